"""Shared fixtures: the proofs are verified once per session; the questions' vocabularies are registered."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import proofs.vocabulary  # noqa: F401 - registers q1, q4, q5: the tests check claims with question="q4"
from derive.document.article import VerifiedProof
from derive.document.build import load_catalogue, verify_all

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def verified() -> list[VerifiedProof]:
    catalogue = load_catalogue(ROOT / "proofs")
    return verify_all([b() for b in catalogue.builders])


@pytest.fixture(scope="session")
def need_tex() -> None:
    """Skip when TeX is missing, except under CI, where a missing TeX is a failure."""
    if shutil.which("pdflatex") and shutil.which("latexmk"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pdflatex/latexmk are missing, and CI=true requires them")
    pytest.skip("pdflatex/latexmk are not installed")


@pytest.fixture
def isolated_imports(monkeypatch, tmp_path):
    """Forget the modules a test imports from its ``tmp_path`` (and its sys.path entries): each test's
    ``myproofs`` is its own. The engine's modules that the test imports first stay imported."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        module = sys.modules[name]
        where = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", ())), None)
        if where and Path(where).resolve().is_relative_to(tmp_path.resolve()):
            del sys.modules[name]
