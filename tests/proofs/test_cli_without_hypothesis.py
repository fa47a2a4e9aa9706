"""Hypothesis is a test/prove extra, not a runtime dependency: `import proofs`, `convproof --help` and
`convproof check` work without it; `convproof prove` of a property says how to install it; and the runs
convproof makes never leave a `.hypothesis/` folder in the user's current directory."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "examples" / "notes.md"

BLOCKER = '''
import sys

class _NoHypothesis:
    """Makes `import hypothesis` fail as it does where Hypothesis is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("hypothesis", "_hypothesis_globals", "_hypothesis_pytestplugin"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NoHypothesis())
'''


def _run(args, cwd, blocker_dir=None, timeout=600):
    env = dict(os.environ)
    paths = ([str(blocker_dir)] if blocker_dir else []) + [str(ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    env["XDG_CACHE_HOME"] = str(Path(cwd) / "cache-home")
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def no_hypothesis(tmp_path):
    d = tmp_path / "blocker"
    d.mkdir()
    (d / "sitecustomize.py").write_text(BLOCKER)
    probe = _run(["-c", "import hypothesis"], tmp_path, d)
    assert probe.returncode != 0 and "No module named 'hypothesis'" in probe.stderr  # the blocker works
    return d


def test_import_and_help_without_hypothesis(tmp_path, no_hypothesis):
    r = _run(["-c", "import proofs, proofs.cli.main; print(len(proofs.__all__))"], tmp_path, no_hypothesis)
    assert r.returncode == 0, r.stderr
    r = _run(["-m", "proofs", "--help"], tmp_path, no_hypothesis)
    assert r.returncode == 0 and "check" in r.stdout and "prove" in r.stdout, r.stderr


def test_check_without_hypothesis(tmp_path, no_hypothesis):
    r = _run(["-m", "proofs", "check", str(NOTES), "--format", "json"], tmp_path, no_hypothesis)
    assert r.returncode == 1, r.stderr  # the example notes hold planted mistakes
    assert '"INCORRECT"' in r.stdout and "Traceback" not in r.stderr


def test_prove_without_hypothesis_says_how_to_install(tmp_path, no_hypothesis):
    r = _run(["-m", "proofs", "prove", "equivariance", "conv2d", "--max-examples", "3"], tmp_path, no_hypothesis)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Hypothesis" in r.stderr and "pip install hypothesis" in r.stderr
    # a measurement does not draw examples: it runs without Hypothesis
    r = _run(["-m", "proofs", "prove", "erf", "conv2d", "--depths", "1,2"], tmp_path, no_hypothesis)
    assert r.returncode == 0 and "MEASURED" in r.stdout, r.stderr


def test_prove_leaves_no_hypothesis_folder_in_the_cwd(tmp_path):
    pytest.importorskip("hypothesis")
    r = _run(["-m", "proofs", "prove", "invariance", "max_pool2d", "--max-examples", "5"], tmp_path)
    assert r.returncode == 1, r.stderr  # max pooling is not shift invariant: a counterexample
    assert not (tmp_path / ".hypothesis").exists()
    r = _run(["-c", "import numpy as np, proofs; print(proofs.check_invariance(lambda x: x.sum(), "
              "input_shape=(4, 4), shift=range(-2, 3), max_examples=5).holds)"], tmp_path)
    assert r.stdout.strip() == "True", r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache-home"]
