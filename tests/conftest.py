"""Shared fixtures: the proofs are verified once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from derive.build import load_catalogue, verify_all
from derive.latex.document import VerifiedProof

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def verified() -> list[VerifiedProof]:
    catalogue = load_catalogue("proofs")
    return verify_all([b() for b in catalogue.builders])


@pytest.fixture(scope="session")
def need_tex() -> None:
    """Skip when TeX is missing, except under CI, where a missing TeX is a failure."""
    if shutil.which("pdflatex") and shutil.which("latexmk"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pdflatex/latexmk are missing, and CI=true requires them")
    pytest.skip("pdflatex/latexmk are not installed")
