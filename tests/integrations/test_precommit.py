"""The pre-commit hook, installed from this checkout by the real ``pre-commit`` into a temporary Git repository:
a document with a mistake is refused, a correct one (or a baseline-accepted mistake) is committed."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed (pip install pre-commit)"),
]

WRONG = "# Output size\n\nA convolution gives $$H_{out} = \\frac{H - k}{S}$$ rows.\n"
RIGHT = "# Output size\n\nA convolution gives $$H_{out} = \\left\\lfloor \\frac{H - k}{S} \\right\\rfloor + 1$$ rows.\n"


def _run(cmd, cwd, env, check=True):
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    if check and out.returncode:
        raise AssertionError(f"{cmd} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


@pytest.fixture(scope="module")
def hook_rev():
    """This checkout's HEAD — the hook is installed from it (its .pre-commit-hooks.yaml must be committed)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode:
        pytest.skip(f"{ROOT} is not a Git checkout: pre-commit installs hooks from a Git repository")
    rev = head.stdout.strip()
    shown = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True)
    if shown.returncode:
        pytest.skip(".pre-commit-hooks.yaml is not committed at HEAD yet: pre-commit reads hooks from a commit")
    return rev


def test_commit_with_a_mistake_is_refused_and_a_correct_one_accepted(tmp_path, hook_rev):
    repo = tmp_path / "course"
    repo.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(Path(os.environ.get("CONVPROOF_PRE_COMMIT_HOME", tmp_path / "cache"))),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", PYTHONPATH="")
    _run(["git", "init", "-q"], repo, env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {hook_rev}\n  hooks:\n  - id: convproof\n")
    _run(["git", "add", ".pre-commit-config.yaml"], repo, env)
    _run(["git", "commit", "-q", "-m", "config", "--no-verify"], repo, env)
    _run(["pre-commit", "install"], repo, env)

    (repo / "lecture.md").write_text(WRONG)
    _run(["git", "add", "lecture.md"], repo, env)
    refused = _run(["git", "commit", "-m", "wrong formula"], repo, env, check=False)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "INCORRECT" in refused.stdout + refused.stderr
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "1"

    (repo / "lecture.md").write_text(RIGHT)
    (repo / "empty.txt").write_text("")
    _run(["git", "add", "lecture.md", "empty.txt"], repo, env)
    accepted = _run(["git", "commit", "-m", "right formula"], repo, env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "2"

    # a mistake accepted in the baseline passes; a new one next to it is refused
    (repo / "old.md").write_text(WRONG)
    _run(["python", "-m", "proofs", "check", "old.md", "--write-baseline", ".convproof-baseline.json"],
         repo, dict(env, PYTHONPATH=str(ROOT)))
    assert (repo / ".convproof-baseline.json").exists()
    _run(["git", "add", "old.md", ".convproof-baseline.json"], repo, env)
    assert _run(["git", "commit", "-m", "accepted"], repo, env, check=False).returncode == 0
    (repo / "new.md").write_text(WRONG.replace("rows", "columns"))
    _run(["git", "add", "new.md"], repo, env)
    assert _run(["git", "commit", "-m", "new mistake"], repo, env, check=False).returncode != 0
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "3"
