"""Public names of ``proofs`` and ``derive`` are imported on first use: the command line's parser, ``check`` and
a size formula load only what they use (warm start), and every public name still resolves."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return set(out.stdout.strip().splitlines()[-1].split())


def test_the_parser_loads_neither_the_judge_nor_numba():
    loaded = _loaded_after("import proofs.cli.main")
    assert not loaded & {"numpy", "numba", "numeric", "sympy", "hypothesis", "proofs.checker", "proofs.properties"}


def test_check_does_not_load_the_property_toolkit_or_hypothesis():
    loaded = _loaded_after("from proofs.cli.main import main\nmain(['check', 'examples/notes.md', '-o', '/dev/null'])")
    assert "proofs.checker" in loaded
    assert not loaded & {"hypothesis", "proofs.properties", "proofs.strategies"}


def test_a_size_formula_does_not_load_the_backward_passes():
    loaded = _loaded_after("import derive\nderive.output_size('conv', 7, 3, 2, 1)")
    assert "derive.sizes" in loaded and "derive.gradients" not in loaded


def test_every_public_name_resolves_and_all_is_the_union_of_the_submodules():
    import derive
    import derive.gradients
    import derive.sizes
    import proofs
    import proofs.checker
    import proofs.properties

    assert proofs.__all__ == list(dict.fromkeys(
        ["Finding", "Report", "Verdict", *proofs.checker.__all__, *proofs.properties.__all__]))
    assert derive.__all__ == list(dict.fromkeys(
        ["Derivation", "Step", *derive.sizes.__all__, *derive.gradients.__all__, "layers", "nets"]))
    for module in (proofs, derive):
        for name in module.__all__:
            assert getattr(module, name) is not None, name
    assert proofs.course.__name__ == "proofs.course"  # a submodule, imported on first use
