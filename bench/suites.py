"""The benchmark suites; each returns a list of figures."""

from __future__ import annotations

import importlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .harness import Figure, median_time, run_child


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


def _corpus() -> tuple[list[str], list[str]]:
    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path.insert(0, str(tests))
    try:
        soundness = importlib.import_module("test_soundness")
    finally:
        sys.path.remove(str(tests))
    return list(soundness.TRUE), list(soundness.FALSE)


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def check_suite() -> list[Figure]:
    """``derive.check`` latency per claim over the soundness corpus (warm), against a naive simplify check."""
    import sympy as sp

    from derive.check import check
    from derive.latex.parse import parse_claim

    true, false = _corpus()
    claims = true + false
    for claim in claims[:3]:  # warm up imports and caches
        check(claim)
    ours, naive = [], []
    for claim in claims:
        start = time.perf_counter()
        check(claim)
        ours.append(time.perf_counter() - start)
        parsed = parse_claim(claim)
        start = time.perf_counter()
        try:
            sp.simplify(parsed.lhs - parsed.rhs)
        except (TypeError, ValueError, AttributeError):
            pass
        naive.append(time.perf_counter() - start)
    p50, p95 = _percentiles(ours)
    n50, n95 = _percentiles(naive)
    base = f"naive simplify(lhs - rhs) on the parsed claim, same corpus ({len(claims)} claims)"
    return [
        Figure("derive check p50 latency, warm", p50, base + ", p50", n50),
        Figure("derive check p95 latency, warm", p95, base + ", p95", n95, target="< 0.5 s", met=p95 < 0.5),
    ]


def fuzz_suite() -> list[Figure]:
    """Parser throughput on seeded random LaTeX fragments, against the bare latex2sympy2_extended parser."""
    from latex2sympy2_extended import latex2sympy

    from derive.errors import DeriveError
    from derive.latex.parse import parse_latex

    tests = Path(__file__).resolve().parents[1] / "tests"
    sys.path.insert(0, str(tests))
    try:
        pieces = importlib.import_module("test_fuzz").PIECES
    finally:
        sys.path.remove(str(tests))
    rng = random.Random(20261129)
    cases = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(400)]

    def ours() -> None:
        for text in cases:
            try:
                parse_latex(text)
            except DeriveError:
                pass

    def bare() -> None:
        for text in cases:
            try:
                latex2sympy(text)
            except Exception:  # noqa: BLE001 - the bare parser raises anything; that is the point
                pass

    ours_s, bare_s = median_time(ours, 1), median_time(bare, 1)
    return [Figure(f"fuzz: {len(cases)} random fragments through parse_latex ({len(cases) / ours_s:.0f} cases/s)",
                   ours_s, f"bare latex2sympy2_extended on the same fragments ({len(cases) / bare_s:.0f} cases/s)",
                   bare_s, note="seed 20261129; fragments drawn from tests/test_fuzz.py PIECES")]


SUITES: tuple[Callable[[], list[Figure]], ...] = (build_suite, check_suite, fuzz_suite)
