"""Symbolic strategies that try to prove an expression is identically zero."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from derive.budget import run_with_budget
from derive.calculus.tidy import peel_last


def _zero(expr: sp.Basic) -> bool:
    return expr == 0 or bool(getattr(expr, "is_zero", None) is True)


def _identical(expr: sp.Expr) -> bool:
    return _zero(expr)


def _expand(expr: sp.Expr) -> bool:
    return _zero(sp.expand(expr))


def _cancel(expr: sp.Expr) -> bool:
    return _zero(sp.cancel(sp.together(expr)))


def _rewrite_exp(expr: sp.Expr) -> bool:
    rewritten = expr.rewrite(sp.exp)
    return _zero(sp.cancel(sp.together(rewritten))) or _zero(sp.simplify(rewritten))


def _piecewise(expr: sp.Expr) -> bool:
    return _zero(sp.simplify(sp.piecewise_fold(expr.rewrite(sp.Piecewise))))


def _doit(expr: sp.Expr) -> bool:
    """Evaluate sums and products in closed form (``doit``), then expand: only reached when every range is
    known not to run backwards, where SymPy's closed forms agree with the empty-sum convention."""
    if not expr.has(sp.Sum, sp.Product):
        return False

    def nest(e: sp.Basic) -> sp.Basic:
        if isinstance(e, (sp.Sum, sp.Product)) and len(e.limits) > 1:
            inner = e.func(e.function, e.limits[0])
            for lim in e.limits[1:]:
                inner = e.func(inner, lim)
            return inner
        return e

    def constant(e: sp.Sum) -> sp.Basic:
        # an index that the summand and the other limits do not mention counts terms: (b - a + 1) of them
        keep, factor = [], sp.S.One
        for index, lower, upper in e.limits:
            others = {x for lim in e.limits if lim[0] != index for x in lim[1].free_symbols | lim[2].free_symbols}
            if index in e.function.free_symbols or index in others:
                keep.append((index, lower, upper))
            else:
                factor *= upper - lower + 1
        # the count goes inside the remaining sum: it may mention the other indices (sum_{i=1}^{j} 1 = j)
        return sp.Sum(factor * e.function, *keep) if keep else factor * e.function

    counted = expr.replace(lambda e: isinstance(e, sp.Sum), constant)
    nested = counted.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)) and len(e.limits) > 1, nest)
    return _zero(sp.expand(counted)) or _zero(sp.expand(nested.doit()))


def _simplify(expr: sp.Expr) -> bool:
    return _zero(sp.simplify(expr))


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


def _flattened_zero(expr: sp.Expr) -> bool:
    if not expr.has(sp.Sum):
        return False
    groups: dict[tuple[sp.Basic, ...], sp.Expr] = defaultdict(lambda: sp.S.Zero)
    for term in sp.Add.make_args(flatten_sums(sp.expand(expr))):
        term = flatten_sums(term)
        if isinstance(term, sp.Sum):
            groups[tuple(term.limits)] += term.function
        else:
            groups[()] += term
    return all(_zero(sp.expand(body)) for body in groups.values())


def _kronecker(expr: sp.Expr) -> bool:
    if not expr.has(sp.KroneckerDelta):
        return False
    collapsed = sum_kronecker(expr)
    return _zero(sp.expand(collapsed)) or _summands_zero(collapsed)


def _summands_zero(expr: sp.Expr) -> bool:
    merged = merge_sums(expr)
    if _zero(merged):
        return True
    terms = sp.Add.make_args(merged)
    if not all(isinstance(t, sp.Sum) for t in terms):
        return False
    return all(
        any(test(t.function) for _, test in _INNER)
        for t in terms
    )


def _peeled(expr: sp.Expr) -> bool:
    peeled = peel_last(expr)
    if peeled == expr:
        return False
    return _zero(sp.expand(peeled)) or _summands_zero(peeled)


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


def _delta_substitution(expr: sp.Expr) -> bool:
    return delta_substitution_zero(expr)


@dataclass(frozen=True)
class Strategy:
    """A named symbolic test: ``test(expr)`` is True only if ``expr`` is identically 0."""

    name: str
    test: Callable[[sp.Expr], bool]


_INNER: tuple[tuple[str, Callable[[sp.Expr], bool]], ...] = (
    ("expand", _expand),
    ("rewrite(exp), simplify", _rewrite_exp),
    ("piecewise", _piecewise),
)

#: The symbolic strategies, in the order they are tried.
STRATEGIES: tuple[Strategy, ...] = (
    Strategy("structural identity", _identical),
    Strategy("expand", _expand),
    Strategy("cancel", _cancel),
    Strategy("evaluate sums in closed form (doit), then expand", _doit),
    Strategy("merge sums, then summand by expand / rewrite(exp)", _summands_zero),
    Strategy("peel the last term off sums and products, then expand / merge sums", _peeled),
    Strategy("sum out Kronecker deltas, then expand / merge sums", _kronecker),
    Strategy("sum out Kronecker deltas with range brackets, reverse summation indices", _delta_substitution),
    Strategy("flatten and exchange finite sums, then expand", _flattened_zero),
    Strategy("rewrite(exp), simplify", _rewrite_exp),
    Strategy("piecewise fold, simplify", _piecewise),
    Strategy("simplify", _simplify),
)


@dataclass(frozen=True)
class SymbolicResult:
    """Which strategy proved the identity (``None`` if none did), and whether time ran out."""

    strategy: str | None
    timed_out: bool


def prove_zero(
    exprs: list[sp.Expr], *, timeout: float, strategies: tuple[Strategy, ...] = STRATEGIES
) -> SymbolicResult:
    """Try each strategy in turn to show every expression in ``exprs`` is identically 0.

    All strategies together share one time budget; when it runs out the
    result is ``SymbolicResult(None, True)``: unknown, never a silent yes.

    Examples
    --------
    >>> from sympy import Symbol, tanh, exp
    >>> from derive.model.activations import Sigmoid
    >>> a = Symbol("a")
    >>> prove_zero([tanh(a) - 2*Sigmoid(2*a) + 1], timeout=10).strategy
    'rewrite(exp), simplify'
    >>> prove_zero([a**2 - a], timeout=10)
    SymbolicResult(strategy=None, timed_out=False)
    """

    def attempt() -> str | None:
        for strategy in strategies:
            try:
                if all(strategy.test(e) for e in exprs):
                    return strategy.name
            except (TypeError, ValueError, NotImplementedError, AttributeError, RuntimeError, sp.PolynomialError):
                continue
        return None

    outcome = run_with_budget(attempt, timeout)
    return SymbolicResult(outcome.value, outcome.timed_out)
