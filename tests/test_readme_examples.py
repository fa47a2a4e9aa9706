"""Every example command runs as documented: the shell blocks of the README and the examples of every
`convproof VERB --help`, from a copy of the repository's `examples/` folder, each with the exit status it
announces (0, or the `exit N` its comment states — 1 for `check` on the example notes' planted mistakes)."""

import re
import shlex
import shutil
from pathlib import Path

import pytest

from proofs.cli.help import examples_of
from proofs.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
EXIT = re.compile(r"\bexit (\d)\b")
SHELL = ("", "sh", "bash", "shell", "console")


def readme_examples() -> list[tuple[str, int]]:
    """``(command, exit status)`` for every ``convproof`` command in the README's shell code blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S):
        if lang not in SHELL:
            continue
        for line in body.splitlines():
            command, _, comment = line.partition(" # ")
            m = EXIT.search(comment)
            for part in command.split("&&"):
                if part.strip().startswith("convproof "):
                    out.append((part.strip(), int(m.group(1)) if m else 0))
    return out


def help_examples() -> list[tuple[str, int]]:
    """``(command, exit status)`` of the examples in every verb's ``--help`` epilog."""
    parser = build_parser()
    subparsers = next(a for a in parser._actions if getattr(a, "choices", None) and "check" in a.choices)
    return [ex for verb in subparsers.choices.values() for ex in examples_of(verb)]


def _all_examples():
    seen = {}
    for source, examples in (("README", readme_examples()), ("--help", help_examples())):
        for command, status in examples:
            seen.setdefault(command, (status, source))
    return [pytest.param(cmd, status, id=f"{source}: {cmd[len('convproof '):]}")
            for cmd, (status, source) in seen.items()]


def test_there_are_examples_in_both_places():
    assert len(readme_examples()) >= 15 and len(help_examples()) >= 20
    verbs = {cmd.split()[1] for cmd, _ in help_examples()}
    assert verbs == {"check", "derive", "shape", "params", "rf", "prove"}


def test_a_command_announces_one_exit_status():
    statuses = {}
    for command, status in readme_examples() + help_examples():
        statuses.setdefault(command, set()).add(status)
    assert {c: s for c, s in statuses.items() if len(s) > 1} == {}


def test_the_shipped_files_the_examples_name_exist():
    for command, _ in readme_examples() + help_examples():
        for word in shlex.split(command, comments=True):
            if word.startswith("examples/"):
                assert (ROOT / word).exists(), (command, word)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding a copy of the shipped examples, where the commands run (their outputs land here)."""
    d = tmp_path_factory.mktemp("examples-run")
    shutil.copytree(ROOT / "examples", d / "examples")
    return d


@pytest.mark.parametrize("command, status", _all_examples())
def test_example_runs_with_its_exit_status(command, status, workdir, monkeypatch, capsys):
    argv = shlex.split(command, comments=True)
    assert argv[0] == "convproof"
    if "--pdf" in argv and shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: --pdf exits 1 by design")
    monkeypatch.chdir(workdir)
    try:
        got = main(argv[1:])
    except SystemExit as exc:  # argparse refusing the command line
        got = exc.code
    out, err = capsys.readouterr()
    assert got == status, f"{command}: exit {got}, documented {status}\n{err[-2000:]}"
    assert "Traceback" not in err
    if status == 0:
        assert out or err or list(workdir.iterdir())


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S) if lang == "python"]


@pytest.mark.parametrize("index", range(len(readme_python_blocks())))
def test_readme_python_block_runs(index, workdir, monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    exec(compile(readme_python_blocks()[index], f"README.md python block {index}", "exec"), {})
