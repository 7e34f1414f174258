"""Symbolic strategies that try to prove an expression is identically zero."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .budget import run_with_budget


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
            except (TypeError, ValueError, NotImplementedError, AttributeError, sp.PolynomialError):
                continue
        return None

    outcome = run_with_budget(attempt, timeout)
    return SymbolicResult(outcome.value, outcome.timed_out)
