"""The benchmark suites; each returns a list of figures."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable

from .harness import Figure, run_child


def build_suite() -> list[Figure]:
    """Cold ``derive build --no-pdf`` of the whole document, against a cold import of the same code."""
    with tempfile.TemporaryDirectory() as tmp:
        import_s, import_mb = run_child([sys.executable, "-c", "import derive, proofs, sympy, numpy"])
        build_s, build_mb = run_child([sys.executable, "-m", "derive", "build", "--no-pdf", "--out", tmp])
    return [
        Figure("cold build, whole document, all checks", build_s, "cold import of derive + proofs", import_s,
               target="< 10 s", met=build_s < 10,
               note=f"peak RSS of the build process {build_mb:.0f} MiB (import alone {import_mb:.0f} MiB)"),
    ]


SUITES: tuple[Callable[[], list[Figure]], ...] = (build_suite,)
