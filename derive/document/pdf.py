"""Compile a LaTeX document with latexmk, reproducibly (no shell escape, a fixed ``SOURCE_DATE_EPOCH``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from derive.errors import DeriveError


def tex_install_hint() -> str:
    """The exact command that installs what the document needs on Debian."""
    return ("apt-get install -y --no-install-recommends texlive-latex-recommended texlive-pictures "
            "texlive-fonts-recommended latexmk")


def compile_pdf(tex_path: Path, *, epoch: int = 0) -> Path:
    """Compile ``tex_path`` with ``latexmk -pdf`` (no shell escape), reproducibly.

    The PDF is written next to the ``.tex``; auxiliary files stay in a
    temporary directory. ``SOURCE_DATE_EPOCH`` is fixed so two compilations
    of the same ``.tex`` give the same bytes.

    Raises
    ------
    DeriveError
        When latexmk is missing or the compilation fails (the log tail is included).
    """
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise DeriveError(f"latexmk/pdflatex not found; install TeX Live: {tex_install_hint()}")
    # openin_any=p: TeX may read no file outside the working directory tree (a hostile \\openin or \\input)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1", "openin_any": "p"}
    with tempfile.TemporaryDirectory() as tmp:
        # The document is self-contained: it is compiled from a copy in the temporary directory, where
        # openin_any=p confines every file TeX opens.
        shutil.copyfile(tex_path, Path(tmp) / tex_path.name)
        cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
               f"-outdir={tmp}", tex_path.name]
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, check=False)
        pdf = Path(tmp) / (tex_path.stem + ".pdf")
        if proc.returncode != 0 or not pdf.exists():
            log = Path(tmp) / (tex_path.stem + ".log")
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else proc.stdout[-3000:]
            raise DeriveError(f"latexmk failed on {tex_path}:\n{tail}")
        target = tex_path.with_suffix(".pdf")
        shutil.copyfile(pdf, target)
    return target


__all__ = ["compile_pdf", "tex_install_hint"]
