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

from .grad_numeric import grad_numeric_suite
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


def _corpus() -> list[tuple[str, str | None, str]]:
    """The adversarial corpus of tests/corpus/claims.toml: ``(latex, question, family)`` triples."""
    import tomllib

    path = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "claims.toml"
    claims = tomllib.loads(path.read_text(encoding="utf-8"))["claim"]
    return [(c["latex"], None if c["vocabulary"] == "default" else c["vocabulary"], c["family"]) for c in claims]


def _percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def check_suite() -> list[Figure]:
    """``derive.claims.check`` latency per claim over the adversarial corpus (warm), against a naive simplify check."""
    import sympy as sp

    from derive.budget import run_with_budget
    from derive.claims.check import check
    from derive.claims.parse import parse_claim
    from derive.claims.vocabulary import load_vocabulary
    from derive.errors import DeriveError
    from proofs import vocabulary  # noqa: F401 - registers q1, q4, q5, the corpus's questions

    claims = _corpus()
    for claim, question, _ in claims[:3]:  # warm up imports and caches
        check(claim, question=question)
    ours, naive = [], []
    for claim, question, family in claims:
        start = time.perf_counter()
        try:
            check(claim, question=question)
        except DeriveError:
            pass
        ours.append(time.perf_counter() - start)
        if family == "huge exponents":  # simplify expands x^(10^6) and runs out of memory: no baseline
            continue
        try:
            parsed = parse_claim(claim, vocabulary=load_vocabulary(question))
        except DeriveError:
            continue
        start = time.perf_counter()
        try:
            gap = parsed.lhs - parsed.rhs
            run_with_budget(lambda gap=gap: sp.simplify(gap), 3.0)
        except (TypeError, ValueError, AttributeError, NotImplementedError, ArithmeticError):
            pass
        naive.append(time.perf_counter() - start)
    p50, p95 = _percentiles(ours)
    n50, n95 = _percentiles(naive)
    base = (f"naive simplify(lhs - rhs) on the parsed claim, same corpus ({len(naive)} of {len(claims)} claims; "
            "3 s cap; huge exponents left out)")
    return [
        Figure("derive check p50 latency, warm", p50, base + ", p50", n50),
        Figure("derive check p95 latency, warm", p95, base + ", p95", n95, target="< 0.5 s", met=p95 < 0.5),
    ]


def fuzz_suite() -> list[Figure]:
    """Parser throughput on seeded random LaTeX fragments, against the bare latex2sympy2_extended parser."""
    from latex2sympy2_extended import latex2sympy

    from derive.claims.parse import parse_latex
    from derive.errors import DeriveError

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


def plain_sympy_diff(shape: tuple[int, int], k: int, seed: int = 0) -> None:
    """Baseline: expand the whole block elementwise, let SymPy ``diff`` the scalar loss, evaluate at a point."""
    import numpy as np
    import sympy as sp

    from derive.model.activations import ReLU
    from derive.model.windows import Window, correlate, symbol_grid

    X, W1, W2, G = (symbol_grid(n, s) for n, s in (("x", shape), ("a", (k, k)), ("b", (k, k)), ("g", shape)))
    same = Window.same(k)
    z1 = correlate(X, W1, same).applyfunc(ReLU)
    y = (correlate(z1, W2, same) + X).applyfunc(ReLU)
    loss = sum((G[i, j] * y[i, j] for i in range(shape[0]) for j in range(shape[1])), sp.S.Zero)
    rng = np.random.default_rng(seed)
    point = {s: sp.Rational(int(rng.integers(-20, 21)), 7) for s in loss.free_symbols}
    for grid in (X, W1, W2):
        [sp.diff(loss, v).xreplace(point) for v in grid]


def q1_suite() -> list[Figure]:
    """Q1: exact check of the closed forms, and the numeric gradient, each against a plain baseline."""
    import numpy as np

    from derive.budget import run_with_budget
    from derive.calculus.backprop import exact_check, residual_block_gradients
    from derive.model.windows import Window, correlate_numpy

    budget = 240.0
    baseline = run_with_budget(lambda: median_time(lambda: plain_sympy_diff((8, 8), 3), 1), budget)
    plain_s = budget if baseline.timed_out else float(baseline.value or 0.0)
    plain_name = "plain SymPy diff of the fully expanded 8x8 block, k=3" + (" (> budget)" if baseline.timed_out else "")
    figures = []
    for size, target in ((8, ""), (16, "< 5 s")):
        t = median_time(lambda size=size: exact_check((size, size), 3), 1)
        figures.append(Figure(f"Q1 exact check of the closed forms, {size}x{size}, k=3", t, plain_name, plain_s,
                              target=target, met=(t < 5) if target else None))

    rng = np.random.default_rng(0)
    x, g = rng.normal(size=(256, 256)), rng.normal(size=(256, 256))
    w1, w2 = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))

    def reference() -> None:
        same = Window.same(3)
        h1 = correlate_numpy(x, w1, same)
        z1 = np.maximum(h1, 0)
        h3 = correlate_numpy(z1, w2, same) + x
        delta = g * (h3 > 0)
        dz1 = correlate_numpy(delta, w2[::-1, ::-1], same)
        dh1 = dz1 * (h1 > 0)
        padded_z, padded_x = np.pad(z1, 1), np.pad(x, 1)
        _ = np.array([[np.sum(padded_z[a:a + 256, b:b + 256] * delta) for b in range(3)] for a in range(3)])
        _ = np.array([[np.sum(padded_x[a:a + 256, b:b + 256] * dh1) for b in range(3)] for a in range(3)])
        _ = delta + correlate_numpy(dh1, w1[::-1, ::-1], same)

    ours = median_time(lambda: residual_block_gradients(x, w1, w2, g), 5)
    ref = median_time(reference, 5)
    figures.append(Figure("Q1 numeric gradients, 256x256, k=3 (derived closed forms)", ours,
                          "hand-written loop-free NumPy backprop", ref, note="seed 0, standard normal arrays"))
    return figures


SUITES: tuple[Callable[[], list[Figure]], ...] = (build_suite, q1_suite, check_suite, fuzz_suite, grad_numeric_suite)
