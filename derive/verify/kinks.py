"""The kinks of a claim: where a kinked function or a branch switches, solved for a variable to place points on.

A kink's argument is solved for one variable that occurs in it linearly, or, in a claim of one variable, its
real roots are found (exactly for polynomials, by ``solveset`` otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import sympy as sp

from derive.model.activations import KINKED


@dataclass(frozen=True)
class _Kink:
    argument: sp.Expr
    variable: sp.Basic          # a Symbol or an Indexed element (possibly with bound indices)
    slope: sp.Expr = sp.S.Zero
    offset: sp.Expr = sp.S.Zero
    roots: tuple[sp.Expr, ...] = ()   # for an argument in one variable that is not linear: its real roots



def kink_arguments(expr: sp.Basic) -> list[sp.Expr]:
    """Arguments whose sign switches a kinked function or a piecewise branch, or bounds a domain (poles).

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> kink_arguments(ReLU(sp.Symbol("h") - 1) + sp.Abs(sp.Symbol("x")))
    [x, h - 1]
    """
    found: list[sp.Expr] = []
    nodes: list[Any] = list(sp.preorder_traversal(expr))
    for f in nodes:
        if isinstance(f, (*KINKED, sp.Heaviside, sp.Abs, sp.sign, sp.log)):
            found.append(cast(Any, f).args[0])
        elif isinstance(f, (sp.Max, sp.Min)):
            found += [a - b for a, b in zip(f.args, f.args[1:])]
        elif isinstance(f, sp.Rel) and isinstance(f.lhs, sp.Expr) and isinstance(f.rhs, sp.Expr):
            found.append(f.lhs - f.rhs)
        elif isinstance(f, sp.Pow) and (f.exp.is_negative or not f.exp.is_integer):
            found.append(f.base)  # a pole, or the edge of the domain of a root: probe just either side
    return list(dict.fromkeys(found))


#: Kink arguments considered per claim, and their largest size (tree nodes): solving bigger ones is not cheap.
MAX_KINKS, MAX_KINK_NODES = 12, 60


def _small(expr: sp.Basic, limit: int) -> bool:
    """True when ``expr`` has fewer than ``limit`` nodes (stops counting at the limit)."""
    for n, _ in enumerate(sp.preorder_traversal(expr)):
        if n >= limit:
            return False
    return True


def _solve_linear(arg: sp.Expr, v: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """``(slope, offset)`` with ``arg = slope * v + offset`` and neither depending on ``v``, when there are."""
    offset, rest = arg.as_independent(v, as_Add=True)
    slope, factor = rest.as_independent(v, as_Add=False)
    if factor != v or slope == 0:
        return None
    return slope, offset


def _real_roots(arg: sp.Expr, v: sp.Symbol) -> tuple[sp.Expr, ...]:
    """A few real roots of ``arg`` in ``v``: exact ones of a polynomial, else those ``solveset`` finds quickly."""
    from derive.budget import run_with_budget

    def solve() -> tuple[sp.Expr, ...]:
        numerator = sp.numer(sp.together(arg)) if arg.is_rational_function(v) else arg
        if numerator.is_polynomial(v):
            poly = sp.Poly(numerator, v)
            if 1 <= poly.degree() <= 8 and (poly.degree() > 1 or numerator is not arg):
                return tuple(poly.real_roots())
            return ()
        found = sp.solveset(arg, v, sp.S.Reals).intersect(sp.Interval(-100, 100))
        return tuple(found) if isinstance(found, sp.FiniteSet) else ()

    try:
        outcome = run_with_budget(solve, 2.0)
    except Exception:  # noqa: BLE001 - a root finder that fails only loses probe points
        return ()
    roots = [r for r in (outcome.value or ()) if r.is_real]
    return tuple(sorted(roots, key=lambda r: (abs(float(r)), float(r)))[:6])


def _kinks(expr: sp.Basic, not_variables: set[sp.Basic], extra: list[sp.Expr] | None = None) -> list[_Kink]:
    out = []
    args = [a for a in [*kink_arguments(expr), *(extra or [])] if isinstance(a, sp.Expr) and _small(a, MAX_KINK_NODES)]
    for arg in args[:MAX_KINKS]:
        candidates = sorted(arg.atoms(sp.Indexed) | {s for s in arg.free_symbols if isinstance(s, sp.Symbol)
                                                    and s not in not_variables and not s.is_integer},
                            key=sp.default_sort_key)
        for v in candidates:
            if any(v in i.free_symbols for i in arg.atoms(sp.Indexed) if i != v):
                continue
            solved = _solve_linear(sp.expand(arg), v)
            if solved is not None:
                out.append(_Kink(arg, v, *solved))
                break
        else:
            if len(candidates) == 1 and isinstance(candidates[0], sp.Symbol) and arg.free_symbols == {candidates[0]}:
                roots = _real_roots(arg, candidates[0])
                if roots:
                    out.append(_Kink(arg, candidates[0], roots=roots))
    return out



__all__ = ["MAX_KINK_NODES", "MAX_KINKS", "kink_arguments"]
