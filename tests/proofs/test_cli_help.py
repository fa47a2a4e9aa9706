"""One command line: the same names across verbs, one help style, a wrong option answered by the verb."""

import pytest

from proofs.cli.help import examples_of
from proofs.cli.main import build_parser, main

VERBS = ("check", "derive", "shape", "params", "rf", "prove")


def _help(capsys, *argv):
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("verb", VERBS)
def test_help_is_plain_text_with_examples_and_exit_status(capsys, verb):
    text = _help(capsys, verb)
    assert text.startswith(f"usage: convproof {verb}")
    assert "::" not in text and "``" not in text and ":mod:" not in text  # no reST
    assert "\nexamples:\n" in text and "\nexit status:\n" in text
    assert all(cmd.startswith(f"convproof {verb}") for cmd, _ in examples_of(_verb(verb)))


def _verb(name):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and name in a.choices)
    return sub.choices[name]


@pytest.mark.parametrize("verb", ("shape", "params", "rf", "prove", "derive"))
def test_the_kernel_is_called_kernel_size_everywhere(capsys, verb):
    text = _help(capsys, verb)
    assert "--kernel-size" in text
    assert "--kernel " not in text and "--kernel," not in text  # the old spelling is a quiet alias


def test_old_kernel_spelling_still_works(capsys):
    assert main(["shape", "conv", "--size", "8", "--kernel", "3", "--format", "json"]) == 0
    old = capsys.readouterr().out
    assert main(["shape", "conv", "--size", "8", "--kernel-size", "3", "--format", "json"]) == 0
    assert capsys.readouterr().out == old and '"value": 6' in old


def test_rf_help_lists_only_what_rf_uses(capsys):
    text = _help(capsys, "rf")
    for option in ("--size", "--ceil-mode", "--output-padding", "--in-channels", "--groups"):
        assert option not in text
    for option in ("--kernel-size", "--stride", "--padding", "--dilation", "--layers"):
        assert option in text


@pytest.mark.parametrize("argv, hint", [
    (["rf", "conv", "--kernal", "3"], "did you mean --kernel-size?"),
    (["prove", "equivariance", "conv2d", "--strides", "2"], "did you mean --stride?"),
    (["check", "examples/notes.md", "--formats", "json"], "did you mean --format?"),
    (["shape", "conv", "--layers", "3"], ""),
])
def test_a_wrong_option_prints_the_verbs_usage(capsys, argv, hint):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith(f"usage: convproof {argv[0]} ")
    assert f"convproof {argv[0]}: error: unrecognized arguments" in err and hint in err


@pytest.mark.parametrize("argv, words", [
    (["prove", "equivariance", "conv3d"], ["argument OP: invalid choice: 'conv3d'", "conv2d", "max_pool2d"]),
    (["check", "examples/notes.md", "--format", "pdf"], ["--format", "invalid choice: 'pdf'", "json"]),
    (["shape", "conv", "--padding", "full"], ["--padding", "SAME, VALID, SAME_LOWER"]),
])
def test_errors_name_the_option_and_the_allowed_values(capsys, argv, words):
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2 and all(w in err for w in words), err
