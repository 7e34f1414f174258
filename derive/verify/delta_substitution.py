"""A proof that a sum of Kronecker-delta products is 0: deltas summed out with range brackets, indices reversed."""

from __future__ import annotations

import sympy as sp

from derive.verify.sum_rewrites import flatten_sums


def _unit_solution(delta: sp.KroneckerDelta, x: sp.Symbol) -> sp.Expr | None:
    """``e`` with ``δ(A, B) = δ(x, e)``, when ``A - B = ±x + r`` and ``r`` is free of ``x``."""
    if len(delta.args) != 2:
        return None
    gap = sp.expand(delta.args[0] - delta.args[1])
    slope = gap.diff(x)
    rest = sp.expand(gap - slope * x)
    if slope not in (1, -1) or x in rest.free_symbols:
        return None
    return -rest / slope


def _within(e: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> bool:
    lower, upper = (e.lower, e.upper) if isinstance(e, sp.Idx) and e.lower is not None else (e, e)
    return bool((lower - lo).is_nonnegative) and bool((hi - upper).is_nonnegative)


class _InRange(sp.Function):
    """The bracket ``[lo <= e <= hi]`` (1 or 0), kept unevaluated: only compared structurally."""

    nargs = 3


def _range_factor(e: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    if _within(e, lo, hi):
        return sp.S.One
    return _InRange(e, lo, hi)


_Limits = tuple[tuple[sp.Symbol, sp.Expr, sp.Expr], ...]


def _eliminations(body: sp.Expr, limits: _Limits, memo: dict, cap: int) -> set[tuple[sp.Expr, _Limits]]:
    """Every delta-free form of ``Σ_limits body`` (one product term), one summed-out index at a time."""
    key = (body, limits)
    if key in memo:
        return memo[key]
    dummies = {lim[0] for lim in limits}
    bound_inside = {lim[0] for s in body.atoms(sp.Sum) for lim in s.limits}
    if dummies & bound_inside:  # renaming an index that an inner sum also binds would be unsound: leave as is
        memo[key] = {(body, limits)}
        return memo[key]
    valid = []
    for factor in sp.Mul.make_args(body):
        if not isinstance(factor, sp.KroneckerDelta):
            continue
        for p, (x, lo, hi) in enumerate(limits):
            e = _unit_solution(factor, x) if x in factor.free_symbols else None
            rest = limits[:p] + limits[p + 1:]
            if (e is None or e.is_integer is not True or (hi - lo + 1).is_nonnegative is not True
                    or (lo.free_symbols | hi.free_symbols) & dummies
                    or any(x in lo2.free_symbols | hi2.free_symbols for _, lo2, hi2 in rest)):
                continue
            valid.append((factor, x, e, lo, hi, rest))
    # An elimination whose bracket is provably 1 loses nothing: take the first such, without branching.
    free = [v for v in valid if _within(v[2], v[3], v[4])]
    found: set[tuple[sp.Expr, _Limits]] = set()
    for factor, x, e, lo, hi, rest in free[:1] or valid:
        reduced = sp.expand((body / factor).xreplace({x: e}) * _range_factor(e, lo, hi))
        if len(sp.Add.make_args(reduced)) == 1 and len(memo) < cap:
            found |= _eliminations(reduced, rest, memo, cap)
    if not found:
        found = {(body, limits)}
    memo[key] = found
    return found


def _canonical_forms(body: sp.Expr, limits: _Limits, taken: set[sp.Basic]) -> set[tuple[sp.Expr, _Limits]]:
    """Reversals ``x -> lo + hi - x`` of each index and orders of the limits, renamed to fixed names."""
    from itertools import permutations, product

    forms: set[tuple[sp.Expr, _Limits]] = set()
    if not limits:
        return {(sp.expand(body), ())}
    if len(limits) > 4 or {lim[0] for lim in limits} & {lim[0] for s in body.atoms(sp.Sum) for lim in s.limits}:
        return forms
    for flips in product((False, True), repeat=len(limits)):
        flipped = body.xreplace({x: lo + hi - x for (x, lo, hi), f in zip(limits, flips) if f})
        for order in permutations(limits):
            if [(lo, hi) for _, lo, hi in order] != sorted([(lo, hi) for _, lo, hi in order], key=str):
                continue
            names = [sp.Symbol(f"_s{n}", integer=True) for n in range(len(order))]
            if set(names) & taken:
                return set()
            renamed = sp.expand(flipped.xreplace({x: nm for (x, _, _), nm in zip(order, names)}))
            forms.add((renamed, tuple((nm, lo, hi) for nm, (_, lo, hi) in zip(names, order))))
    return forms


def _atomic_terms(expr: sp.Expr) -> list[tuple[sp.Expr, _Limits]]:
    out: list[tuple[sp.Expr, _Limits]] = []
    for term in sp.Add.make_args(sp.expand(flatten_sums(expr))):
        term = flatten_sums(term)
        if isinstance(term, sp.Sum):
            limits = tuple((lim[0], lim[1], lim[2]) for lim in term.limits)
            out += [(t, limits) for t in sp.Add.make_args(sp.expand(term.function))]
        elif term.has(sp.Sum):
            raise ValueError("a sum that cannot be flattened")
        else:
            out.append((term, ()))
    return out


def delta_substitution_zero(expr: sp.Expr, cap: int = 2000) -> bool:
    r"""True if ``expr`` is 0 after summing out Kronecker deltas and reversing summation indices.

    Each term is a (flattened) finite sum of a product. A factor :math:`\delta(A, B)` with
    :math:`A - B = \pm x + r` for a summation index :math:`x \in [l, h]` (bounds free of other indices,
    :math:`h \ge l - 1`) and an integer :math:`e = \mp r` is summed out:
    :math:`\sum_{x=l}^{h} \delta_{x e} f(x) = f(e)\,[l \le e \le h]`, the bracket dropped when :math:`e` is an
    ``Idx`` whose range lies in :math:`[l, h]`. Every order of elimination is tried; then each remaining index
    may be reversed, :math:`x \mapsto l + h - x`. The expression is 0 if its terms cancel in pairs (equal
    limits, summands adding to 0 after ``expand``) and the rest expands to 0. Only value-preserving rewrites
    are used, so ``True`` is a proof.

    Examples
    --------
    >>> from sympy import Idx, IndexedBase, KroneckerDelta, Sum, symbols
    >>> g, w = IndexedBase("g"), IndexedBase("w"); n, q = symbols("n q", integer=True, nonnegative=True)
    >>> i, c, s = symbols("i c s", integer=True); u = Idx("u", (0, n - 1))
    >>> delta_substitution_zero(Sum(KroneckerDelta(i, u) * g[i], (i, 0, n - 1)) - g[u])
    True
    >>> padded = Sum(KroneckerDelta(s, u + c - q) * g[s], (s, 0, n - 1))
    >>> delta_substitution_zero(Sum(w[c] * padded, (c, 0, 2*q)) - Sum(w[2*q - c] * padded.xreplace({c: 2*q - c}),
    ...                                                              (c, 0, 2*q)))
    True
    >>> delta_substitution_zero(Sum(KroneckerDelta(i, u) * g[i], (i, 0, n - 1)) - g[u + 1])
    False
    """
    if not expr.has(sp.KroneckerDelta):
        return False
    taken = expr.free_symbols
    memo: dict = {}
    terms = []
    for body, limits in _atomic_terms(expr):
        forms: set[tuple[sp.Expr, _Limits]] = set()
        for reduced, rest in _eliminations(body, limits, memo, cap):
            forms |= _canonical_forms(reduced, rest, taken)
        if not forms:
            return False
        terms.append(sorted(forms, key=sp.default_sort_key))
    left = list(range(len(terms)))
    while left:
        a = left.pop(0)
        partner = next((b for b in left if any(fa[1] == fb[1] and sp.expand(fa[0] + fb[0]) == 0
                                               for fa in terms[a] for fb in terms[b])), None)
        if partner is not None:
            left.remove(partner)
            continue
        if not any(f[0] == 0 for f in terms[a]):
            rest_sum = sp.Add(*[terms[t][0][0] for t in [a, *left] if not terms[t][0][1]])
            if any(terms[t][0][1] for t in [a, *left]) or sp.expand(rest_sum) != 0:
                return False
            return True
    return True


__all__ = ["delta_substitution_zero"]
