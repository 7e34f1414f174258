"""Value-preserving rewrites that make derived expressions read like a textbook."""

from __future__ import annotations

import sympy as sp
from sympy.simplify.simplify import factor_sum


def pull_constants(expr: sp.Basic) -> sp.Basic:
    r"""Move factors that do not depend on a summation index out of the sum.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, M = symbols("j M", integer=True)
    >>> pull_constants(Sum(-w[j]/2, (j, 1, M)))
    -Sum(w[j], (j, 1, M))/2
    """
    return expr.replace(
        lambda e: isinstance(e, sp.Sum),
        lambda e: factor_sum(sp.Sum(e.function, *e.limits)),
    )


def expand_sums(expr: sp.Basic) -> sp.Basic:
    r"""Expand, split each sum over the terms of its summand, and pull constants out.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w, v = IndexedBase("w"), IndexedBase("v"); j, M = symbols("j M", integer=True)
    >>> expand_sums(Sum(2*w[j] - v[j], (j, 1, M)))
    -Sum(v[j], (j, 1, M)) + 2*Sum(w[j], (j, 1, M))
    """
    expanded = sp.expand(expr)
    split = expanded.replace(
        lambda e: isinstance(e, sp.Sum) and isinstance(sp.expand(e.function), sp.Add),
        lambda e: sp.Add(*(sp.Sum(t, *e.limits) for t in sp.Add.make_args(sp.expand(e.function)))),
    )
    return pull_constants(split)
