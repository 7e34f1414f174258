"""The symbolic proof attempt of a claim: ordered strategies for ``=``, SymPy's assumptions for an inequality."""

from __future__ import annotations

import sympy as sp

from derive.budget import run_with_budget
from derive.coerce import as_basic
from derive.verify.strategies import prove_zero


def _safe_ranges(exprs: list[sp.Basic]) -> bool:
    """True when no sum or product may run backwards (where SymPy's convention differs from the empty sum).

    A summation index is judged by the range it runs over, not by its declared assumptions: it is replaced by
    a fresh integer that is positive (nonnegative) only when every range of that index starts at 1 (0) or
    above.
    """
    lowest: dict[sp.Basic, sp.Basic | None] = {}
    for e in exprs:
        for s in e.atoms(sp.Sum, sp.Product):
            for index, lower, _ in s.limits:
                previous = lowest.get(index, lower)
                both = (previous, lower)
                lowest[index] = min(both) if all(b is not None and b.is_number for b in both) else None  # type: ignore[type-var]
    plain = {}
    for index, low in lowest.items():
        if low is not None and low >= 1:
            plain[index] = sp.Dummy(integer=True, positive=True)
        elif low is not None and low >= 0:
            plain[index] = sp.Dummy(integer=True, nonnegative=True)
        else:
            plain[index] = sp.Dummy(integer=True)
    for e in exprs:
        for s in e.atoms(sp.Sum, sp.Product):
            for _, lower, upper in s.limits:
                if (upper - lower + 1).xreplace(plain).is_nonnegative is not True:
                    return False
    return True


def _symbolic_sign(gaps: list[sp.Expr], relation: str) -> str | None:
    attr = {"<=": "is_nonpositive", ">=": "is_nonnegative", "<": "is_negative", ">": "is_positive"}[relation]
    transforms = (("assumptions", lambda e: e), ("expand, assumptions", sp.expand),
                  ("factor, assumptions", sp.factor),
                  ("together, cancel, assumptions", lambda e: sp.cancel(sp.together(e))),
                  ("rewrite(exp), together, assumptions", lambda e: sp.factor_terms(sp.together(e.rewrite(sp.exp)))),
                  ("simplify, assumptions", sp.simplify))
    for name, transform in transforms:
        try:
            if all(getattr(transform(g), attr) is True for g in gaps):
                return name
        except (TypeError, ValueError, NotImplementedError, AttributeError, sp.PolynomialError):
            continue
    return None


def _prove(pairs: list[tuple[sp.Basic, sp.Basic]], relation: str, timeout: float) -> tuple[str | None, bool]:
    exprs = [e for pair in pairs for e in pair]
    if not _safe_ranges(exprs):
        return None, False
    gaps = [as_basic(left - right) for left, right in pairs]
    if relation in ("=", "!="):
        result = prove_zero(gaps, timeout=timeout)
        return result.strategy, result.timed_out
    outcome = run_with_budget(lambda: _symbolic_sign(gaps, relation), timeout)
    return outcome.value, outcome.timed_out

