"""Symbolic strategies that try to prove an expression is identically zero, in order, within one budget.

The sum rewrites they use come from :mod:`derive.verify.sum_rewrites`, the delta substitution from
:mod:`derive.verify.delta_substitution`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from derive.budget import run_with_budget
from derive.calculus.tidy import peel_last
from derive.verify.delta_substitution import delta_substitution_zero
from derive.verify.sum_rewrites import flatten_sums, merge_sums, sum_kronecker


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
