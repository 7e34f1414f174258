"""Check one claim: symbolic strategies first, then exact rational points, then float64 points."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import sympy as sp
from sympy.matrices import MatrixBase

from .budget import run_with_budget
from .coerce import as_basic
from .config import VerifyConfig
from .sampling import Point, Sampler, sample_points
from .strategies import prove_zero

Status = Literal["proven", "exact", "numeric", "refuted", "failed", "unknown"]
Relation = Literal["=", "<=", ">=", "<", ">"]

_RELATIONS: dict[str, Any] = {
    "=": lambda d: d == 0,
    "<=": lambda d: d <= 0,
    ">=": lambda d: d >= 0,
    "<": lambda d: d < 0,
    ">": lambda d: d > 0,
}
#: A float64 gap larger than this, relative to the size of the two sides, is a reliable counterexample.
RELIABLE_GAP = 1e-6


@dataclass(frozen=True)
class Evidence:
    """What the verifier found for one claim, and how.

    ``status`` is one of ``proven`` (a symbolic strategy, named in
    ``method``), ``exact`` (exact arithmetic at ``points`` random rational
    points), ``numeric`` (float64 at ``points`` points, with the largest
    errors), ``refuted`` (a counterexample was found), ``failed`` (a claim that
    should hold does not, or a refutation found nothing) or ``unknown``.

    Examples
    --------
    >>> Evidence("proven", "expand").symbolic
    True
    """

    status: Status
    method: str
    points: int = 0
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    counterexample: Mapping[str, str] | None = None
    counterexample_latex: tuple[tuple[str, str], ...] = ()
    lhs_value: str | None = None
    rhs_value: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def symbolic(self) -> bool:
        """True when the claim was proven by a symbolic strategy."""
        return self.status == "proven"

    @property
    def kind(self) -> str:
        """One word for the document: symbolic, exact, numeric, refuted, failed or unknown."""
        return {"proven": "symbolic"}.get(self.status, self.status)


def _entries(lhs: sp.Basic, rhs: sp.Basic) -> list[sp.Expr]:
    if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
        return list(sp.Matrix(lhs) - sp.Matrix(rhs))
    if isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr):
        return [lhs - rhs]
    return []


def _symbolic_sign(entries: list[sp.Expr], relation: str, timeout: float) -> str | None:
    tests = {"<=": "is_nonpositive", ">=": "is_nonnegative", "<": "is_negative", ">": "is_positive"}
    attr = tests[relation]

    def attempt() -> str | None:
        for name, transform in (("assumptions", lambda e: e), ("expand, assumptions", sp.expand),
                                ("simplify, assumptions", sp.simplify)):
            if all(getattr(transform(e), attr) is True for e in entries):
                return name
        return None

    outcome = run_with_budget(attempt, timeout)
    return outcome.value


def _fmt(value: sp.Basic) -> str:
    if isinstance(value, sp.Rational):
        return str(value)
    if isinstance(value, sp.Float) or isinstance(value, float):
        return f"{float(value):.6g}"
    return str(value)


def _point_latex(point: Point, limit: int = 8) -> tuple[tuple[str, str], ...]:
    from .latex.printer import latex

    items = [*point.sizes.items(), *point.values.items()]
    shown = tuple((latex(k), latex(v)) for k, v in items[:limit])
    return shown + ((("\\ldots", f"{len(items) - limit} more"),) if len(items) > limit else ())


def _point_record(point: Point, limit: int = 16) -> dict[str, str]:
    items = [*point.sizes.items(), *point.values.items()]
    record = {str(k): _fmt(v) for k, v in items[:limit]}
    if len(items) > limit:
        record["..."] = f"{len(items) - limit} more"
    return record


Compiled = dict[tuple[int, int], tuple[list[sp.Basic], Any, Any]]


def _float_pair(point: Point, compiled: Compiled) -> tuple[np.ndarray, np.ndarray]:
    """Both sides in float64; each distinct instantiation is lambdified once per claim."""
    key = (id(point.lhs), id(point.rhs))
    if key not in compiled:
        unknowns = list(point.values)
        dummies = [sp.Dummy() for _ in unknowns]
        sub = dict(zip(unknowns, dummies))

        def compile_side(side: sp.Basic) -> Any:
            expr = side.xreplace(sub)
            if isinstance(expr, MatrixBase):
                expr = sp.Matrix(expr)
            return sp.lambdify(dummies, expr, modules="numpy")

        compiled[key] = (unknowns, compile_side(point.lhs), compile_side(point.rhs))
    unknowns, left, right = compiled[key]
    args = [float(point.values[u]) for u in unknowns]
    return np.asarray(left(*args), dtype=float), np.asarray(right(*args), dtype=float)


def _holds_exactly(point: Point, relation: str) -> bool | None:
    left = point.lhs.xreplace(dict(point.values))
    right = point.rhs.xreplace(dict(point.values))
    entries = _entries(left, right)
    if not entries or not all(isinstance(e, sp.Rational) for e in entries):
        if not entries and not isinstance(left, sp.Expr):
            return bool(left == right) if relation == "=" else None
        return None
    return all(bool(_RELATIONS[relation](e)) for e in entries)


def _float_check(
    point: Point, relation: str, config: VerifyConfig, compiled: Compiled
) -> tuple[bool, float, float, str, str]:
    left, right = _float_pair(point, compiled)
    gap = left - right
    scale = np.maximum(np.abs(left), np.abs(right))
    abs_err = float(np.max(np.abs(gap))) if gap.size else 0.0
    rel_err = float(np.max(np.abs(gap) / np.where(scale > 0, scale, 1.0))) if gap.size else 0.0
    tol = config.atol + config.rtol * scale
    allowed = {"=": np.abs(gap) <= tol, "<=": gap <= tol, ">=": gap >= -tol, "<": gap < 0, ">": gap > 0}
    ok = bool(np.all(allowed[relation]))
    return ok, abs_err, rel_err, np.array2string(left, precision=6), np.array2string(right, precision=6)


def verify_claim(
    lhs: Any,
    rhs: Any,
    *,
    relation: str = "=",
    expect: bool = True,
    seed: int = 0,
    config: VerifyConfig | None = None,
    sampler: Sampler | None = None,
    hypotheses: Mapping[sp.Basic, sp.Basic] | None = None,
) -> Evidence:
    """Gather evidence for (``expect=True``) or against (``expect=False``) ``lhs relation rhs``.

    For a claim expected to hold, symbolic strategies run first under the
    time budget; if none succeeds the claim is evaluated exactly at seeded
    random rational points, and where exact evaluation is impossible
    (transcendental values) in float64, with the largest errors recorded. A
    symbolic proof is cross-checked in float64 as well. For a claim expected
    to be false, the verifier searches for a reliable counterexample.

    Parameters
    ----------
    lhs, rhs : SymPy objects
        The two sides: expressions, matrices, or (for ``=``) any SymPy object.
    relation : {"=", "<=", ">=", "<", ">"}
    expect : bool
        Whether the claim is asserted (True) or asserted to be false (False).
    seed : int
        Seed of the random points.
    config : VerifyConfig, optional
    sampler : callable, optional
        ``sampler(rng)`` returns values for symbols that must satisfy the
        step's hypotheses (for example an orthonormal basis).
    hypotheses : mapping, optional
        Replacement rules that hold by hypothesis (for example a derived
        map of weights), applied to both sides before any check.

    Returns
    -------
    Evidence

    Points are evaluated before the symbolic strategies run, so a false claim
    fails fast. ``config.cross_check`` is kept for callers that only want the
    symbolic verdict; the points are cheap next to simplification.

    Examples
    --------
    >>> from sympy import Symbol, tanh
    >>> from derive.functions import Sigmoid
    >>> a = Symbol("a")
    >>> verify_claim(tanh(a), 2*Sigmoid(2*a) - 1).status
    'proven'
    >>> verify_claim(tanh(a), 2*Sigmoid(a) - 1, expect=False).status
    'refuted'
    >>> verify_claim((a - 1)**2, 0, relation=">=").status
    'exact'
    """
    config = config or VerifyConfig()
    if relation not in _RELATIONS:
        raise ValueError(f"unknown relation {relation!r}; use one of {sorted(_RELATIONS)}")
    lhs, rhs = as_basic(lhs), as_basic(rhs)
    start = time.perf_counter()
    symbolic: str | None = None
    timed_out = False
    rules = dict(hypotheses or {})
    if rules:
        lhs, rhs = lhs.xreplace(rules), rhs.xreplace(rules)
    points = sample_points(lhs, rhs, seed=seed, config=config, sampler=sampler)
    exact_count, max_abs, max_rel = 0, 0.0, 0.0
    floats_used = False
    compiled: Compiled = {}
    for point in points:
        exact = _holds_exactly(point, relation)
        if exact is True:
            exact_count += 1
            continue
        record = _point_record(point)
        if exact is False:
            lv = _fmt(point.lhs.xreplace(dict(point.values)))
            rv = _fmt(point.rhs.xreplace(dict(point.values)))
            return _counterexample(expect, symbolic, "exact rational arithmetic", point, lv, rv, start)
        ok, abs_err, rel_err, lv, rv = _float_check(point, relation, config, compiled)
        floats_used = True
        max_abs, max_rel = max(max_abs, abs_err), max(max_rel, rel_err)
        if not ok and (rel_err > RELIABLE_GAP or relation != "="):
            return _counterexample(expect, symbolic, "float64", point, lv, rv, start)
        if not ok:
            return Evidence("unknown", "float64 disagreement too small to be a reliable counterexample",
                            points=len(points), max_abs_error=abs_err, max_rel_error=rel_err,
                            counterexample=record, lhs_value=lv, rhs_value=rv, seconds=time.perf_counter() - start)
    # Points first: a false claim is refuted quickly, before any costly simplification.
    if expect:
        entries = _entries(lhs, rhs)
        if relation == "=":
            if entries:
                result = prove_zero(entries, timeout=config.timeout)
                symbolic, timed_out = result.strategy, result.timed_out
            elif lhs == rhs:
                symbolic = "structural identity"
        elif entries:
            symbolic = _symbolic_sign(entries, relation, config.timeout)
    seconds = time.perf_counter() - start
    n = len(points)
    abs_e, rel_e = (max_abs, max_rel) if floats_used else (None, None)
    if not expect:
        found = f"no counterexample at {n} points" + (f"; the claim is proven true ({symbolic})" if symbolic else "")
        return Evidence("failed", found, points=n, seconds=seconds, max_abs_error=abs_e, max_rel_error=rel_e)
    if symbolic:
        return Evidence("proven", symbolic, points=n, seconds=seconds, max_abs_error=abs_e, max_rel_error=rel_e)
    note = ("symbolic budget expired",) if timed_out else ()
    if exact_count == n:
        return Evidence("exact", f"exact at {n} random rational points", points=n, seconds=seconds, notes=note)
    if config.exact_only:
        return Evidence("unknown", "only float64 evidence, and exact evidence was required", points=n,
                        seconds=seconds, notes=note, max_abs_error=abs_e, max_rel_error=rel_e)
    return Evidence("numeric", f"float64 at {n} random points", points=n, seconds=seconds, notes=note,
                    max_abs_error=abs_e, max_rel_error=rel_e)


def _counterexample(
    expect: bool, symbolic: str | None, how: str, point: Point, lv: str, rv: str, start: float
) -> Evidence:
    seconds = time.perf_counter() - start
    status: Status = "failed" if expect else "refuted"
    why = f"counterexample in {how}"
    if expect and symbolic:
        why += f", although '{symbolic}' claimed a proof"
    return Evidence(status, why, 1, counterexample=_point_record(point), counterexample_latex=_point_latex(point),
                    lhs_value=lv, rhs_value=rv, seconds=seconds)


__all__ = ["Evidence", "verify_claim"]
