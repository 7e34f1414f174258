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


def peel_last(expr: sp.Basic) -> sp.Basic:
    """Split the last term off every sum and product whose upper bound is ``b + c`` with an integer ``c > 0``.

    ``sum_{l=a}^{b+1} f(l) = sum_{l=a}^{b} f(l) + f(b+1)`` (and likewise for products) holds for all ``b``
    under SymPy's (Karr) convention for sums with reversed limits.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> f = IndexedBase("f"); l, L = symbols("l L", integer=True)
    >>> peel_last(Sum(f[l], (l, 1, L + 2)))
    f[L + 1] + f[L + 2] + Sum(f[l], (l, 1, L))
    """

    def peelable(e: sp.Basic) -> bool:
        if not isinstance(e, (sp.Sum, sp.Product)) or len(e.limits) != 1:
            return False
        c = e.limits[0][2].as_coeff_Add()[0]
        return bool(c.is_Integer and c > 0 and e.limits[0][2].free_symbols)

    def peel(e: sp.Basic) -> sp.Basic:
        var, lower, upper = e.limits[0]
        c, b = upper.as_coeff_Add()
        rest = type(e)(e.function, (var, lower, b))
        terms = [e.function.xreplace({var: b + t}) for t in range(1, int(c) + 1)]
        return sp.Add(rest, *terms) if isinstance(e, sp.Sum) else sp.Mul(rest, *terms)

    return expr.replace(peelable, peel)
