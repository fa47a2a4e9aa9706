"""The MkDocs plugin in a real ``mkdocs build`` of a tiny site: warnings with page and line; ``strict`` fails."""

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs", reason="MkDocs is not installed (pip install mkdocs)")

ROOT = Path(__file__).resolve().parents[2]

PAGE = ("---\ntitle: Convolution\n---\n# Output size\n\nThe correct size is\n"
        "$$H_{out} = \\left\\lfloor \\frac{H + 2P - k}{S} \\right\\rfloor + 1$$\n\n"
        "but some notes write $$H_{out} = \\frac{H - k}{S}$$ instead.\n")


def _registered() -> bool:
    return any(ep.name == "convproof" and ep.value.startswith("proofs.integrations")
               for ep in importlib.metadata.entry_points(group="mkdocs.plugins"))


def _env(tmp_path: Path) -> dict:
    """This checkout first on the path; when the installed convproof predates the plugin, a stand-in
    distribution's metadata registers the ``mkdocs.plugins`` entry point from pyproject.toml."""
    paths = [str(ROOT)]
    if not _registered():
        info = tmp_path / "meta" / "convproof_plugin_shim-0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: convproof-plugin-shim\nVersion: 0\n")
        (info / "entry_points.txt").write_text(
            "[mkdocs.plugins]\nconvproof = proofs.integrations.mkdocs_plugin:ConvproofPlugin\n")
        paths.append(str(info.parent))
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths))


def _site(tmp_path: Path, options: str) -> Path:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "conv.md").write_text(PAGE)
    (site / "docs" / "index.md").write_text("# Home\n\nNothing to check here.\n")
    (site / "mkdocs.yml").write_text(f"site_name: t\nplugins:\n  - convproof{options}\n")
    return site


def _build(site: Path, env: dict, *extra: str):
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=site, env=env,
                          capture_output=True, text=True, timeout=600)


def test_build_warns_with_page_and_line(tmp_path):
    site = _site(tmp_path, "")
    out = _build(site, _env(tmp_path))
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines() if "convproof" in line]
    # the wrong formula is on line 9 of conv.md (after a 3-line front matter); the correct one is not reported
    assert any("conv.md:9 INCORRECT" in line and "\\frac{H - k}{S}" in line for line in lines), out.stderr
    assert len(lines) == 1, out.stderr
    assert (site / "site" / "conv" / "index.html").exists()


def test_strict_option_fails_the_build(tmp_path):
    site = _site(tmp_path, ":\n      strict: true")
    out = _build(site, _env(tmp_path))
    assert out.returncode != 0
    assert "1 INCORRECT finding(s): conv.md:9" in out.stderr


def test_correct_site_builds_strictly(tmp_path):
    site = _site(tmp_path, ":\n      strict: true")
    (site / "docs" / "conv.md").write_text(PAGE.split("but some")[0])
    out = _build(site, _env(tmp_path), "--strict")
    assert out.returncode == 0, out.stderr
