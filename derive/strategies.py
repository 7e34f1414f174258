"""Symbolic strategies that try to prove an expression is identically zero."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .budget import run_with_budget
from .tidy import peel_last


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
        common = indices.setdefault(key, index)
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
    Strategy("merge sums, then summand by expand / rewrite(exp)", _summands_zero),
    Strategy("peel the last term off sums and products, then expand / merge sums", _peeled),
    Strategy("sum out Kronecker deltas, then expand / merge sums", _kronecker),
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
    >>> from derive.functions import Sigmoid
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
