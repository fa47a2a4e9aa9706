"""Shared helpers for the test-suite (paths to shared material, optional tools)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"  # copies of the user's documents, kept in the repo

IN_CI = os.environ.get("CI", "").lower() == "true"

try:  # PyTorch is an optional cross-check, never a runtime dependency
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_TORCH = False

requires_torch = pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed (pip install torch==2.13.0)")
requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"development corpus {CORPUS} is absent (it lives beside the repo, not in it)"
)
HAVE_PDFLATEX = shutil.which("pdflatex") is not None
requires_pdflatex = pytest.mark.skipif(
    not HAVE_PDFLATEX and not IN_CI, reason="pdflatex is not installed (CI installs TeX Live)"
)


def load_claims_eval():
    """``benchmarks/claims_eval.py`` as a module (its ``judge``, ``score``, ``load_claims``): the claim sets' tests
    check claims exactly as the benchmark does."""
    spec = importlib.util.spec_from_file_location("claims_eval", REPO / "benchmarks" / "claims_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
