r"""``convproof derive``: print, save or typeset a catalogued derivation.

``convproof derive NAME [--stride s] [--padding P] [--dilation d] [--groups g] [--kernel-size k]
[--ceil-mode] [--no-count-include-pad] [--format tex|md|text|html] [-o FILE] [--pdf] [--force]``;
the examples are in :data:`EXAMPLES` and ``convproof derive --help``.

Every derivation is verified before it is printed (each step's status is part
of the output). ``--format tex`` is a complete LaTeX document; ``--format html`` a
self-contained page with every step typeset as MathML (``--list --format html``: the whole catalogue). ``--pdf``
writes the ``.tex`` laid out for print (the result first, every equation fitted
to the page; to ``-o`` or ``NAME.tex``) and compiles the PDF beside it;
without ``pdflatex`` it says so, keeps the ``.tex`` and exits 1. Files are
written atomically and never overwrite an existing file unless ``--force``.
Option values are integers or symbol names (``--stride s`` keeps it general).

Exit status: 0 done, 1 a step failed to verify or the PDF could not be made,
2 bad usage (unknown name — the known ones are listed —, an option the
derivation does not take, an existing output file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "run", "parse_value"]


def parse_value(text: str):
    """An option value: an int, or a symbol name kept general.

    >>> parse_value("2"), parse_value("s")
    (2, 's')
    >>> parse_value("2+x")
    Traceback (most recent call last):
    ...
    ValueError: option value '2+x' must be an integer or a symbol name (letters, digits, _)
    """
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    if text.isidentifier():
        return text
    raise ValueError(f"option value {text!r} must be an integer or a symbol name (letters, digits, _)")


def _option_value(text: str):
    try:
        return parse_value(text)
    except ValueError as exc:  # argparse prints an ArgumentTypeError's own message
        raise argparse.ArgumentTypeError(str(exc)) from None


EXAMPLES = (
    ("convproof derive --list", "the catalogue, with the options each derivation takes"),
    ("convproof derive conv.output_size --format html -o conv_output_size.html", "a page, every step typeset"),
    ("convproof derive conv.output_size", "floor((H + 2P - d(k-1) - 1)/s) + 1, every step checked"),
    ("convproof derive conv2d.grad_input --stride s --format md", "keeps (a + P - d p) mod s = 0"),
    ("convproof derive max_pool2d.grad_input --kernel-size 2 --stride 2", "numbers instead of symbols"),
    ("convproof derive conv2d.grad_input --stride 2 -o grad_input.tex --format tex --force", "a LaTeX document"),
    ("convproof derive conv2d.grad_input --stride 2 --pdf --force", "conv2d.grad_input.tex and .pdf (needs pdflatex)"),
)


def register(subparsers) -> None:
    """Add the ``derive`` verb."""
    from .help import add_verb

    p = add_verb(
        subparsers, "derive",
        summary="print a machine-checked derivation (LaTeX, Markdown or text), optionally as PDF",
        description="Derive a formula from its definition; every step is checked before it is printed.\n"
                    "Option values are integers, or symbol names that keep the result general (--stride s).\n"
                    "--pdf writes the .tex laid out for print (to -o or NAME.tex) and compiles the PDF beside\n"
                    "it. Existing files are overwritten only with --force.",
        examples=EXAMPLES,
        exit_status="0  done\n"
                    "1  a step failed to verify, or the PDF could not be made (no pdflatex: the .tex is kept)\n"
                    "2  bad usage: an unknown name (the known ones are listed), an option the derivation\n"
                    "   does not take, an existing output file without --force",
    )
    p.add_argument("name", nargs="?", help="a catalogued derivation, e.g. conv2d.grad_input (see --list)")
    p.add_argument("--list", action="store_true", help="list the catalogued derivations and exit")
    for opt in ("stride", "padding", "dilation", "groups", "kernel-size"):
        p.add_argument(f"--{opt}", type=_option_value, default=None, metavar="N|SYM",
                       help=f"{opt.replace('-', ' ')}: an integer, or a symbol name to keep it general")
    p.add_argument("--ceil-mode", action="store_true", default=None, help="pooling: ceil_mode=True")
    p.add_argument("--no-count-include-pad", dest="count_include_pad", action="store_false", default=None,
                   help="average pooling: divide by the positions inside the input only")
    p.add_argument("--format", choices=("text", "md", "tex", "html"), default="text",
                   help="output format (default: text); html with --list: the whole catalogue typeset on one page")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (- for standard output)")
    p.add_argument("--pdf", action="store_true", help="also compile the LaTeX to PDF (needs pdflatex)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=run)


def _list() -> int:
    from derive.catalogue import CATALOGUE

    width = max(len(n) for n in CATALOGUE)
    for name, e in CATALOGUE.items():
        opts = f"  [{', '.join('--' + o.replace('_', '-') for o in e.options)}]" if e.options else ""
        print(f"{name:<{width}}  {e.summary}{opts}")
    return 0


def _list_html(args) -> int:
    """The whole catalogue, verified and typeset on one HTML page (to -o FILE or standard output)."""
    from derive.catalogue import CATALOGUE, get_derivation

    from ..report.derivations_html import render_derivations_html
    from .output import write_output

    items, status = [], 0
    for name, e in CATALOGUE.items():
        d = get_derivation(name)  # checked when built (derive.derivation.checked_once)
        status |= 0 if d.holds else 1
        items.append((name, e.summary, d))
    text = render_derivations_html(items)
    if args.output:
        print(f"wrote {write_output(args.output, text, force=args.force)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return status


#: the smallest integer each numeric option takes
MINIMUM = {"stride": 1, "dilation": 1, "groups": 1, "kernel_size": 1, "padding": 0}


def _flag(option: str) -> str:
    """``kernel_size`` -> ``--kernel-size``; ``count_include_pad`` -> ``--no-count-include-pad`` (its switch)."""
    return "--no-count-include-pad" if option == "count_include_pad" else "--" + option.replace("_", "-")


def _check_options(name: str, given: dict) -> None:
    """The options a derivation takes and their ranges, named as on the command line.

    >>> _check_options("conv2d.grad_input", {"stride": 2, "padding": "P"})
    >>> _check_options("dense.grad_input", {"stride": 2})
    Traceback (most recent call last):
    ...
    ValueError: dense.grad_input takes no option --stride; it takes none
    >>> _check_options("conv2d.grad_input.stride1", {"stride": 2})
    Traceback (most recent call last):
    ...
    ValueError: conv2d.grad_input.stride1 takes no option --stride; it takes --padding, --dilation, --groups
    >>> _check_options("conv2d.grad_input", {"stride": 0})
    Traceback (most recent call last):
    ...
    ValueError: --stride must be an integer >= 1 or a symbol name, got 0
    """
    from derive.catalogue import entry

    accepted = entry(name).options
    extra = [o for o in given if o not in accepted]
    if extra:
        takes = ", ".join(_flag(o) for o in accepted) or "none"
        raise ValueError(f"{name} takes no option {', '.join(_flag(o) for o in extra)}; it takes {takes}")
    for option, value in given.items():
        low = MINIMUM.get(option)
        if low is not None and isinstance(value, int) and value < low:
            raise ValueError(f"{_flag(option)} must be an integer >= {low} or a symbol name, got {value}")


def _render(derivation, fmt: str) -> str:
    if fmt == "tex":
        return derivation.to_tex_document()
    if fmt == "md":
        return derivation.to_markdown() + "\n"
    if fmt == "html":
        from ..report.derivations_html import render_derivations_html

        return render_derivations_html([(derivation.title, "", derivation)], title=derivation.title)
    return derivation.to_text() + "\n"


def run(args: argparse.Namespace) -> int:
    """Run ``convproof derive`` (see the module docstring)."""
    from derive.catalogue import get_derivation
    from derive.derivation import PASSED

    from .output import write_output

    if args.list and args.format == "html":
        return _list_html(args)
    if args.list:
        return _list()
    if not args.name:
        raise ValueError("give a derivation name, or --list to see them all")
    options = {
        "stride": args.stride, "padding": args.padding, "dilation": args.dilation, "groups": args.groups,
        "kernel_size": args.kernel_size, "ceil_mode": args.ceil_mode, "count_include_pad": args.count_include_pad,
    }
    _check_options(args.name, {k: v for k, v in options.items() if v is not None})
    derivation = get_derivation(args.name, **options)  # checked when built: a failing step raises there
    status = 0 if derivation.holds else 1
    if status:
        for i, step in enumerate(derivation.steps, 1):
            if step.status not in PASSED:
                print(f"convproof derive: step {i} {step.status}: {step.failure}", file=sys.stderr)
    if args.pdf:
        from derive.latex_pdf import print_document

        return _pdf(args, derivation, print_document(derivation), status)
    text = _render(derivation, args.format)
    if args.output:
        path = write_output(args.output, text, force=args.force)
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return status


def _pdf(args, derivation, tex: str, status: int) -> int:
    from derive.latex_pdf import LatexError, PdflatexMissing, compile_pdf

    from .output import check_target, write_output

    tex_path = Path(args.output) if args.output else Path(f"{args.name}.tex")
    if tex_path.suffix != ".tex":
        tex_path = tex_path.with_suffix(tex_path.suffix + ".tex") if tex_path.suffix else tex_path.with_suffix(".tex")
    pdf_path = tex_path.with_suffix(".pdf")
    for p in (tex_path, pdf_path):
        check_target(p, force=args.force)  # both refused before anything is written
    write_output(tex_path, tex, force=args.force)
    print(f"wrote {tex_path}", file=sys.stderr)
    try:
        pdf = compile_pdf(tex)
    except PdflatexMissing as exc:
        print(f"convproof derive: no PDF: {exc}; the LaTeX source is in {tex_path}", file=sys.stderr)
        return 1
    except LatexError as exc:
        print(f"convproof derive: no PDF: {exc}", file=sys.stderr)
        return 1
    write_output(pdf_path, pdf, force=args.force)
    print(f"wrote {pdf_path}", file=sys.stderr)
    return status
