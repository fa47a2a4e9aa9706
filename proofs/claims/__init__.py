"""Claims made in words: recognise them, extract their parameters, decide them with evidence.

``check_claims(text)`` cuts a document into sentences
(:mod:`~proofs.claims.sentences`), normalises each
(:mod:`~proofs.claims.numbers_words`), lets every claim form of
:mod:`proofs.claims.forms` extract formal statements — receptive fields,
parameter comparisons, output-size effects, growth rates, equivariance and
invariance, complexity — and decides each with :mod:`derive`, :mod:`numeric`
and the properties of :mod:`proofs` (:mod:`~proofs.claims.decide`). Every
finding has ``kind="claim"``. A sentence no form covers is not reported
(``verbose=True``: UNRECOGNIZED, "no claim form covers this sentence", for
sentences that look like claims about the quantities above).

Examples
--------
>>> [f.quantity for f in check_claims("Pooling and stride break exact equivariance.")]
['translation_equivariance']
>>> check_claims("The weather is nice.")
[]
"""

from __future__ import annotations

import re

from ..findings import Finding, Verdict
from .decide import Outcome, decide, to_finding
from .forms import complexity, equivariance, growth, parameters, receptive_field, resolution
from .numbers_words import normalise
from .sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences

__all__ = ["check_claims", "claims_of_sentence", "FORMS"]

#: the claim forms, each ``(name, find(norm, section) -> statements)``
FORMS = (
    ("receptive_field", lambda norm, section: receptive_field.find(norm)),
    ("parameters", lambda norm, section: parameters.find(norm)),
    ("resolution", resolution.find),
    ("growth", growth.find),
    ("equivariance", equivariance.find),
    ("complexity", complexity.find),
)
#: at most this many statements are decided per sentence
MAX_STATEMENTS_PER_SENTENCE = 6

_CLAIMISH = re.compile(r"receptive field|\brf\b|equivarian|invarian|fewer param|halves|separable|o\(")
_NOT_A_CLAIM = re.compile(
    r"^\W*(?:\d{1,3}[.)]\s*)?(?:prove|show|derive|explain|verify|compute|calculate|implement|create|design|exercise|problem|question|"
    r"compare|visuali[sz]e|plot|try|consider|suppose|assume|recall|see|cf|why|what|which)\b|\?\s*$")
#: a leading list marker and "label:" prefix ("1. **Convolution Properties**: Verify …")
_LABEL = re.compile(r"^\W*(?:\d{1,3}[.)]\s*)?[^:]{1,60}:\s*")


def claims_of_sentence(sentence: Sentence) -> list[tuple[str, object | None, str | None]]:
    """The statements every form extracts from one sentence: ``(form, statement, why_not)``.

    A form that recognises the sentence but cannot read its parameters yields
    ``(form, None, reason)``.
    """
    if sentence.heading:
        return []
    norm = normalise(sentence.text[:MAX_SENTENCE_CHARS])
    if _NOT_A_CLAIM.search(norm) or _NOT_A_CLAIM.search(_LABEL.sub("", norm)):
        return []
    out: list[tuple[str, object | None, str | None]] = []
    for name, find in FORMS:
        try:
            found = find(norm, sentence.section)
        except (ValueError, ArithmeticError, OverflowError, RecursionError) as exc:
            out.append((name, None, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a form's bug must not stop the document; it is reported
            out.append((name, None, f"internal error of the claim form ({type(exc).__name__}: {exc})"))
            continue
        out.extend((name, s, None) for s in found)
    return out[:MAX_STATEMENTS_PER_SENTENCE]


def check_claims(text: str, *, verbose: bool = False) -> list[Finding]:
    """Judge the claims a document makes in words.

    Parameters
    ----------
    text : the document's text.
    verbose : also report sentences that look like claims but that no form
        covers (UNRECOGNIZED, with why).

    Returns
    -------
    list of :class:`~proofs.findings.Finding` with ``kind="claim"``, in line order.

    Raises
    ------
    TypeError
        if ``text`` is not a string.

    Examples
    --------
    >>> f = check_claims("An FC layer gives global invariance.")[0]
    >>> f.verdict.value, f.quantity
    ('INCORRECT', 'translation_invariance')
    >>> check_claims(None)
    Traceback (most recent call last):
    ...
    TypeError: check_claims: text must be a str, got NoneType
    """
    if not isinstance(text, str):
        raise TypeError(f"check_claims: text must be a str, got {type(text).__name__}")
    findings: list[Finding] = []
    for sentence in split_sentences(text):
        statements = claims_of_sentence(sentence)
        seen: set[tuple] = set()
        for form, statement, why in statements:
            if statement is None:
                findings.append(to_finding(sentence.line, sentence.text, form,
                                           Outcome(Verdict.UNRECOGNIZED, f"recognised as a {form} claim but: {why}")))
                continue
            key = (statement.quantity, repr(statement))
            if key in seen:
                continue
            seen.add(key)
            findings.append(to_finding(sentence.line, sentence.text, statement.quantity, decide(statement)))
        if not statements and verbose and _CLAIMISH.search(normalise(sentence.text)):
            findings.append(to_finding(sentence.line, sentence.text, None,
                                       Outcome(Verdict.UNRECOGNIZED, "no claim form covers this sentence")))
    return findings
