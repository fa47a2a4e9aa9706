"""Claims made in words: recognise them, extract their parameters, decide them with evidence.

``check_claims(text)`` cuts a document into sentences
(:mod:`~proofs.claims.sentences`), normalises each
(:mod:`~proofs.claims.numbers_words`), lets every claim form of
:mod:`proofs.claims.forms` extract formal statements — receptive fields,
parameter comparisons, output-size effects, growth rates, equivariance and
invariance, complexity, symbolic sizes ("(2n+1)×(2n+1)"), single-layer facts
(no parameters, size kept, stride and cost), connections of one neuron, named
architectures (counts built by :mod:`derive.nets`), rotations and flips,
general "attribute (never) changes quantity" claims, parameter-sharing totals,
output sizes of described stacks, bottleneck savings — and
decides each with :mod:`derive`, :mod:`numeric` and the properties of
:mod:`proofs` (:mod:`~proofs.claims.decide`). A sentence without its own
subject ("Equivalent to one 7×7 conv but fewer parameters!") is read with a
bounded discourse context: the sentence just before, else the section heading
(:func:`statements_in_context`). Every
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

import bisect
import re

from ..findings import Finding, Verdict
from .decide import Outcome, decide, to_finding
from .forms import bottleneck, complexity, connections, dependence, equivariance, growth, layer_facts, named_nets, param_count, rotations, sharing, stack_sizes, parameters, receptive_field, resolution, symbolic_sizes
from .forms import change_effect, described_network, layer_quantity, layer_size, role_keep, role_size, stack_coefficients
from .numbers_words import normalise
from .inline_roles import spell_assignments
from .roles import unused_roles
from .sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences

__all__ = ["check_claims", "claims_of_sentence", "statements_in_context", "FORMS", "DISCOURSE_FORMS", "CONTEXT_FORMS", "CONTEXT_LINES", "NO_CONTEXT_QUANTITIES"]

#: the claim forms, each ``(name, find(norm, section) -> statements)``
FORMS = (
    ("receptive_field", lambda norm, section: receptive_field.find(norm)),
    ("parameters", lambda norm, section: parameters.find(norm)),
    ("resolution", resolution.find),
    ("growth", growth.find),
    ("equivariance", equivariance.find),
    ("complexity", complexity.find),
    ("symbolic_sizes", lambda norm, section: symbolic_sizes.find(norm)),
    ("layer_facts", layer_facts.find),
    ("connections", connections.find),
    ("param_count", param_count.find),
    ("named_nets", named_nets.find),
    ("rotations", rotations.find),
    ("dependence", dependence.find),
    ("sharing", sharing.find),
    ("stack_sizes", stack_sizes.find),
    ("bottleneck", bottleneck.find),
    ("change_effect", change_effect.find),
    ("stack_coefficients", stack_coefficients.find),
)
#: forms that also read the sentences before (a description of the network built from the neighbours),
#: each ``(name, find(norm, section, context) -> statements)``; ``context`` = normalised earlier sentences
DISCOURSE_FORMS = (
    ("layer_quantity", layer_quantity.find),
    ("described_network", described_network.find),
    ("layer_size", layer_size.find),
)
#: how many earlier sentences (same section, at most DISCOURSE_LINES lines back) a discourse form reads
DISCOURSE_SENTENCES = 3
DISCOURSE_LINES = 8
#: at most this many statements are decided per sentence
MAX_STATEMENTS_PER_SENTENCE = 6

_CLAIMISH = re.compile(r"receptive field|\brf\b|equivarian|invarian|fewer param|halves|separable|o\(|no (?:learnable |trainable )?param|same (?:spatial )?size")
_NOT_A_CLAIM = re.compile(
    r"^\W*(?:\d{1,3}[.)]\s*)?(?:prove|show|derive|explain|verify|compute|calculate|implement|create|design|exercise|problem|question|"
    r"compare|visuali[sz]e|plot|try|consider|suppose|assume|recall|see|cf|why|what|which)\b|\?\s*$")
#: a leading list marker and "label:" prefix ("1. **Convolution Properties**: Verify …")
_LABEL = re.compile(r"^\W*(?:\d{1,3}[.)]\s*)?[^:]{1,60}:\s*")


def claims_of_sentence(sentence: Sentence, context: list[str] | None = None, roles: dict | None = None) -> list[tuple[str, object | None, str | None]]:
    """The statements every form extracts from one sentence: ``(form, statement, why_not)``.

    A form that recognises the sentence but cannot read its parameters yields
    ``(form, None, reason)``. ``context``: the sentences before it (text, nearest last), read by
    :data:`DISCOURSE_FORMS`. ``roles``: the document's symbol table at the sentence (letter -> role), by which
    inline assignments ``$f = 3$`` are read as role words (:mod:`~proofs.claims.inline_roles`).
    """
    if sentence.heading:
        return []
    norm = normalise(spell_assignments(sentence.text, roles)[:MAX_SENTENCE_CHARS])
    if _NOT_A_CLAIM.search(norm) or _NOT_A_CLAIM.search(_LABEL.sub("", norm)):
        return []
    out: list[tuple[str, object | None, str | None]] = []
    near = [normalise(c[:MAX_SENTENCE_CHARS]) for c in (context or [])]
    forms = [*FORMS, *((name, (lambda f: lambda n, sec: f(n, sec, near))(f)) for name, f in DISCOURSE_FORMS)]
    for name, find in forms:
        try:
            found = find(norm, sentence.section)
        except (ValueError, ArithmeticError, OverflowError, RecursionError) as exc:
            out.append((name, None, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a form's bug must not stop the document; it is reported
            out.append((name, None, f"internal error of the claim form ({type(exc).__name__}: {exc})"))
            continue
        out.extend((name, s, None) for s in found)
    if not any(s is not None and not unused_roles(norm, s) for _, s, _ in out):  # no form read it all: the reading by roles
        try:
            out.extend(("role_size", s, None) for s in role_size.find(norm, sentence.section))
            out.extend(("role_keep", s, None) for s in role_keep.find(norm, sentence.section))
        except (ValueError, ArithmeticError) as exc:
            out.append(("role_size", None, str(exc)))
    return _outranked(_complete_first(norm, out))[:MAX_STATEMENTS_PER_SENTENCE]


def _complete_first(norm: str, out: list) -> list:
    """Of two statements of one quantity, the one whose configuration holds every role value the sentence
    states (:func:`~proofs.claims.roles.unused_roles`) replaces one that leaves a value out.

    "The window slides with `stride=2` over a `6x6` input with a `3x3` kernel, which gives a `2x2` output":
    the stack reader missed the stride, the one-layer reader did not; the claim is decided on the latter.
    """
    read = [(f, s, w) for f, s, w in out if s is not None]
    if len(read) < 2:
        return out
    missing = {id(s): bool(unused_roles(norm, s)) for _, s, _ in read}
    keep = [(f, s, w) for f, s, w in out if s is None or not missing[id(s)] or not any(
        t is not s and not missing[id(t)] and _family(t.quantity) == _family(s.quantity) for _, t, _ in read)]
    return keep


def _family(quantity: str) -> str:
    return next((name for name, members in _SAME_FAMILY.items() if quantity in members), quantity)


def _outranked(out: list) -> list:
    """One statement per claim where a discourse form and a sentence-only form read the same claim.

    "A unit in the last layer sees a 9×9 region, as for any four 3×3 layers", after a sentence describing
    the network: the 9×9 is claimed for *the last layer of that network*, not for the four layers the aside
    names; the statement read from the aside alone is dropped. A network read from the sentence itself
    outranks a statement that reads fewer of its layers ("a 3×3 stride-2 conv then a 2×2 pool see 5×5" is
    not a claim about the pool alone), and gives way to one that reads as many. A one-layer quantity
    (:mod:`~proofs.claims.forms.layer_quantity`) gives way to a form that already read that quantity.
    """
    names = {name for name, _ in DISCOURSE_FORMS}
    mine = [(f, s, w) for f, s, w in out if f in names and s is not None]
    if not mine:
        return out
    drop: set[int] = set()
    for f, s, _ in mine:
        if hasattr(s, "net"):
            depth = 10**6 if s.from_context else s.end
            for g, t, _ in out:
                if g in names or t is None or (t.quantity, getattr(t, "claimed", None)) != (s.quantity, s.claimed):
                    continue
                if depth > _depth(t):
                    drop.add(id(t))
                else:
                    drop.add(id(s))
        elif any(g not in names and t is not None and t.quantity in _SAME_FAMILY.get(s.quantity, ()) for g, t, _ in out):
            drop.add(id(s))
    return [(f, s, w) for f, s, w in out if s is None or id(s) not in drop]


#: quantities a sentence-only form reads that a one-layer quantity of the same family repeats
_SAME_FAMILY = {"params": ("params", "param_count", "connections"), "macs": ("macs", "complexity"), "memory": ("memory",), "output_size": ("output_size",)}


def _depth(statement) -> int:
    """How many layers a sentence-only statement reads (a large number when it does not say)."""
    try:
        stacks = (statement.stack, *statement.then)
        return sum(len(s.layers()) for s in stacks)
    except (AttributeError, ValueError, TypeError):
        return 10**9


def check_claims(text: str, *, verbose: bool = False, stop=None, roles_at=None) -> list[Finding]:
    """Judge the claims a document makes in words.

    Parameters
    ----------
    text : the document's text.
    verbose : also report sentences that look like claims but that no form
        covers (UNRECOGNIZED, with why).
    stop : optional ``stop(line) -> bool`` called before each sentence; when it returns True the
        sentences from that line on are not judged (the checker's per-document budget, :mod:`proofs.budget`).
    roles_at : optional ``roles_at(line) -> {letter: role}``, the document's symbol table
        (:meth:`proofs.notation.SymbolTable.roles_at`): inline assignments of its letters are read as values.

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
    blank = [i for i, line in enumerate(text.splitlines(), 1) if not line.strip()]  # paragraph breaks
    previous: tuple[Sentence, set[tuple]] | None = None
    recent: list[Sentence] = []
    for sentence in split_sentences(text):
        if stop is not None and stop(sentence.line):
            break
        recent = [r for r in recent if r.section == sentence.section and 0 <= sentence.line - r.line <= DISCOURSE_LINES
                  and not _paragraph_break(blank, r.line, sentence.line)]
        roles = roles_at(sentence.line) if roles_at is not None and ("$" in sentence.text or "\\(" in sentence.text) else None
        statements = claims_of_sentence(sentence, [r.text for r in recent[-DISCOURSE_SENTENCES:]], roles)
        note = ""
        if previous is not None and previous[0].section != sentence.section:
            previous = None
        if not any(s is not None for _, s, _ in statements):
            with_context = statements_in_context(sentence, previous)
            if with_context:
                statements, note = with_context
        keys: set[tuple] = set()
        for form, statement, why in statements:
            if statement is None:
                findings.append(to_finding(sentence.line, sentence.text, form,
                                           Outcome(Verdict.UNRECOGNIZED, f"recognised as a {form} claim but: {why}")))
                continue
            key = _key(statement)
            if key in keys:
                continue
            keys.add(key)
            outcome = _unless_roles_unused(decide(statement), spell_assignments(sentence.text, roles), statement)
            if note:
                outcome.explanation = f"{note} {outcome.explanation}"
            findings.append(to_finding(sentence.line, sentence.text, statement.quantity, outcome))
        if not statements and verbose and not sentence.heading and _CLAIMISH.search(normalise(sentence.text)):
            findings.append(to_finding(sentence.line, sentence.text, None,
                                       Outcome(Verdict.UNRECOGNIZED, "no claim form covers this sentence")))
        if not sentence.heading:
            previous = (sentence, keys)
            recent.append(sentence)
    return findings


#: verdicts that a reading missing a stated value must not give
GUARDED = frozenset({Verdict.INCORRECT, Verdict.CONDITIONAL, Verdict.CORRECT})


def _unless_roles_unused(outcome: Outcome, text: str, statement) -> Outcome:
    """UNRECOGNIZED instead of a verdict reached on a reading that left out a value the sentence states.

    The sentence's stride, padding, dilation and window sizes are read a second time, by role
    (:mod:`~proofs.claims.roles`); a statement whose configuration does not contain one of them was read
    about something else (another layer of the sentence, a default, a context sentence), and its verdict
    is not given.
    """
    if outcome.verdict not in GUARDED:
        return outcome
    unused = unused_roles(normalise(text[:MAX_SENTENCE_CHARS]), statement)
    if not unused:
        return outcome
    return Outcome(Verdict.UNRECOGNIZED,
                   f"not decided: the sentence states {'; '.join(unused)}, so the reading it was checked on is uncertain")


def _paragraph_break(blank: list[int], first: int, last: int) -> bool:
    """True when a blank line lies between lines ``first`` and ``last``: the sentences are in different
    paragraphs, and the earlier one does not describe the layer the later one talks about."""
    i = bisect.bisect_right(blank, first)
    return i < len(blank) and blank[i] < last


def _key(statement) -> tuple:
    return (statement.quantity, repr(statement))


#: a sentence that opens with a predicate or a pronoun takes its subject from the sentence before
_SUBJECTLESS = re.compile(
    r"^\W*(?:\d{1,3}[.)]\s*)?(?:equivalent|same|identical|equal|matches|this|these|that|those|it|its|they|their|which|but|so|thus|hence|"
    r"fewer|less|more|while|whereas|has|have|gives|yields|uses|needs|requires|reduces|saves|only|preserves|keeps|halves|"
    r"costs|grows|sees|covers|results? in|leads? to|i\.e\.|e\.g\.|→|->|=>)\b")
#: "… this increases to O(…)": a pronoun subject in the middle of the sentence
_ANAPHOR = re.compile(r"\b(?:this|it|that|these)\s+(?:increases|decreases|grows|becomes|drops|reduces|rises|shrinks|is reduced|is increased|goes up|goes down)\b")
#: forms whose subject may come from the context: sizes and counts of named layers (not the
#: qualitative equivariance and growth forms, whose subject a pronoun does not pin down)
CONTEXT_FORMS = frozenset({"receptive_field", "parameters", "complexity", "resolution", "symbolic_sizes", "layer_facts", "connections", "param_count"})
#: statements whose subject is a layer *kind* ("these layers have no parameters"): a pronoun does not name it
NO_CONTEXT_QUANTITIES = frozenset({"params"})
#: the sentence before is used as context only when it starts at most this many lines earlier
CONTEXT_LINES = 3


def statements_in_context(sentence: Sentence, previous: tuple[Sentence, set[tuple]] | None):
    """Statements of a subject-less sentence read with its discourse context, and a note saying so.

    "Equivalent to one 7×7 conv but fewer parameters!" after "3 layers of 3×3
    conv: RF = 7×7" compares the *previous* stack with one 7×7 conv. The
    context is bounded: the sentence just before (same section, at most
    :data:`CONTEXT_LINES` lines earlier), else the section heading (its
    parameters: "3×3 conv, stride 2"). Statements the context sentence makes
    on its own are not repeated. Returns ``(statements, note)`` or None.

    Examples
    --------
    >>> prev = Sentence(1, "3 layers of 3×3 conv: RF = 7×7")
    >>> here = Sentence(2, "Equivalent to one 7×7 conv but fewer parameters!")
    >>> found, note = statements_in_context(here, (prev, set()))
    >>> sorted(s.quantity for _, s, _ in found), note[:40]
    (['param_ratio', 'receptive_field'], 'Read with the previous sentence ("3 laye')
    >>> statements_in_context(Sentence(2, "The weather is nice."), (prev, set())) is None
    True
    """
    norm = normalise(sentence.text[:MAX_SENTENCE_CHARS])
    if not (_SUBJECTLESS.search(norm) or _ANAPHOR.search(norm)) or _NOT_A_CLAIM.search(norm):
        return None
    contexts = []
    if previous is not None and 0 <= sentence.line - previous[0].line <= CONTEXT_LINES:
        contexts.append((previous[0].text, previous[1], "previous sentence"))
    if sentence.section:
        contexts.append((sentence.section, set(), "section heading"))
    for text, known, where in contexts:
        joined = Sentence(sentence.line, f"{text[:MAX_SENTENCE_CHARS // 2]} {sentence.text}"[:MAX_SENTENCE_CHARS], sentence.section)
        found = [(f, s, w) for f, s, w in claims_of_sentence(joined)
                 if s is not None and f in CONTEXT_FORMS and s.quantity not in NO_CONTEXT_QUANTITIES and _key(s) not in known]
        if found:
            quoted = text if len(text) <= 60 else text[:57] + "…"
            return found, f'Read with the {where} ("{quoted}") as its subject:'
    return None
