"""Value-preserving rewrites of finite sums: merge sums over one range, sum out Kronecker deltas, flatten nests."""

from __future__ import annotations

from collections import defaultdict

import sympy as sp


def merge_sums(expr: sp.Expr) -> sp.Expr:
    """Combine the sums of an expanded expression that share their limits.

    ``c * Sum(f, (j, a, b))`` terms with the same ``(a, b)`` are renamed to a
    common index and merged into one ``Sum`` of the combined summand;
    coefficients that do not depend on the index move inside. Terms without a
    sum are kept as they are.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, i, M = symbols("j i M", integer=True)
    >>> merge_sums(2*Sum(w[j], (j, 1, M)) - Sum(2*w[i], (i, 1, M)))
    0
    """
    groups: dict[tuple[sp.Basic, ...], list[sp.Expr]] = defaultdict(list)
    indices: dict[tuple[sp.Basic, ...], sp.Symbol] = {}
    rest: list[sp.Expr] = []
    for term in sp.Add.make_args(sp.expand(expr)):
        coeff: sp.Expr = sp.S.One
        sums: list[sp.Sum] = []
        for factor in sp.Mul.make_args(term):
            (sums if isinstance(factor, sp.Sum) and len(factor.limits) == 1 else []).append(factor)
            if not (isinstance(factor, sp.Sum) and len(factor.limits) == 1):
                coeff *= factor
        if len(sums) != 1:
            rest.append(term)
            continue
        summation = sums[0]
        index, lower, upper = summation.limits[0]
        if index in coeff.free_symbols:
            rest.append(term)
            continue
        key = (lower, upper)
        common = indices.setdefault(key, sp.Dummy("k", integer=True))  # fresh: it cannot capture a free symbol
        groups[key].append(coeff * summation.function.xreplace({index: common}))
    merged = [
        sp.Sum(sp.Add(*terms), (indices[key], *key))
        for key, terms in groups.items()
        if sp.Add(*terms) != 0
    ]
    return sp.Add(*rest, *merged)


def _strip_delta(body: sp.Expr, index: sp.Symbol, keep: sp.Symbol) -> sp.Expr | None:
    terms = []
    for term in sp.Add.make_args(sp.expand(body)):
        deltas = [f for f in sp.Mul.make_args(term)
                  if isinstance(f, sp.KroneckerDelta) and set(f.args) == {keep, index}]
        if len(deltas) != 1:
            return None
        terms.append((term / deltas[0]).xreplace({index: keep}))
    return sp.Add(*terms)


def _collapse(summation: sp.Sum) -> sp.Expr:
    body, limits = summation.function, list(summation.limits)
    dummies = {lim[0] for lim in limits}
    changed = True
    while changed and len(limits) > 1:
        changed = False
        for p, (x, lo, hi) in enumerate(limits):
            for q, (y, lo2, hi2) in enumerate(limits):
                if p == q or (lo, hi) != (lo2, hi2) or (lo.free_symbols | hi.free_symbols) & dummies:
                    continue
                stripped = _strip_delta(body, x, y)
                if stripped is not None:
                    body, changed = stripped, True
                    del limits[p]
                    break
            if changed:
                break
    return sp.Sum(body, *limits) if len(limits) != len(summation.limits) else summation


def sum_kronecker(expr: sp.Expr) -> sp.Expr:
    r"""Sum out Kronecker deltas: :math:`\sum_{k=a}^b \sum_{l=a}^b f_{kl}\,\delta_{kl} = \sum_{k=a}^b f_{kk}`.

    Within one (multiple) sum, an index ranging over the same bounds as
    another is summed out when every term of the summand carries exactly one
    :math:`\delta` of the two, so the rewrite preserves the value.

    Examples
    --------
    >>> from sympy import IndexedBase, KroneckerDelta, Sum, symbols
    >>> a = IndexedBase("a"); k, l, n = symbols("k l n", integer=True)
    >>> sum_kronecker(Sum(Sum(a[k]*a[l]*KroneckerDelta(k, l), (l, 1, n)), (k, 1, n)))
    Sum(a[k]**2, (k, 1, n))
    """
    return expr.replace(lambda e: isinstance(e, sp.Sum), _collapse)


def _independent(limits: list[tuple[sp.Basic, ...]]) -> bool:
    dummies = {lim[0] for lim in limits}
    return not any((lo.free_symbols | hi.free_symbols) & dummies for _, lo, hi in limits)


def _flatten_mul(product: sp.Mul) -> sp.Expr:
    sums = [f for f in product.args if isinstance(f, sp.Sum)]
    if not sums:
        return product
    others = [f for f in product.args if not isinstance(f, sp.Sum)]
    limits = [lim for s in sums for lim in s.limits]
    dummies = [lim[0] for lim in limits]
    outside = set().union(*(f.free_symbols for f in others)) | {x for _, lo, hi in limits
                                                                for x in lo.free_symbols | hi.free_symbols}
    if len(set(dummies)) != len(dummies) or outside & set(dummies):
        return product
    return sp.Sum(sp.Mul(*others, *(s.function for s in sums)), *limits)


def flatten_sums(expr: sp.Expr) -> sp.Expr:
    r"""Pull products into sums and write each nest of finite sums with independent bounds as one sum.

    The limits of such a sum are sorted by index name (finite sums with
    constant bounds may be exchanged), so equal sums get equal forms.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> a, b = IndexedBase("a"), IndexedBase("b"); k, l, n = symbols("k l n", integer=True)
    >>> flatten_sums(Sum(a[k], (k, 1, n)) * Sum(b[l], (l, 1, n)))
    Sum(a[k]*b[l], (k, 1, n), (l, 1, n))
    """

    def visit(e: sp.Basic) -> sp.Basic:
        if not e.args or not e.has(sp.Sum):
            return e
        e = e.func(*(visit(a) for a in e.args))
        if isinstance(e, sp.Mul):
            e = _flatten_mul(e)
        if isinstance(e, sp.Sum) and isinstance(e.function, sp.Sum):
            e = sp.Sum(e.function.function, *e.function.limits, *e.limits)
        if isinstance(e, sp.Sum) and _independent(list(e.limits)):
            e = sp.Sum(e.function, *sorted(e.limits, key=lambda lim: str(lim[0])))
        return e

    return visit(expr)


__all__ = ["flatten_sums", "merge_sums", "sum_kronecker"]
