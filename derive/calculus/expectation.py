r"""An expectation operator with stated rules, and the reduction that makes its claims checkable.

:class:`Expectation` (alias ``E``) and :class:`Variance` (``Var``) stay unevaluated, so a
derivation can display them. :func:`reduce_expectations` applies the rules of a
:class:`RandomModel`, and only those named:

``definitions``
    random symbols defined by others are replaced (``t := h + \varepsilon``);
``linearity``
    :math:`\mathbb{E}[aX + bY] = a\,\mathbb{E}[X] + b\,\mathbb{E}[Y]` for non-random
    :math:`a, b`, and :math:`\mathbb{E}[c] = c` (constants pull out);
``independence``
    :math:`\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]` when :math:`X` and :math:`Y` depend on
    different groups of the model (groups are mutually independent);
``moments``
    the moments the model declares, e.g. :math:`\mathbb{E}[\varepsilon] = 0`,
    :math:`\mathbb{E}[\varepsilon^2] = \sigma^2`.

``Var[X]`` is always read as its definition :math:`\mathbb{E}[(X - \mathbb{E}X)^2]`. Whatever
the rules leave is an irreducible moment, a :class:`MomentSymbol`: an unknown real number. Two
expressions are equal under the rules when their reductions are equal as polynomials in those
unknowns; :func:`expectation_hypotheses` hands the reduction to the verifier as replacement rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.coerce import as_basic
from derive.errors import UnsupportedError

#: The rules of :func:`reduce_expectations`, in the order they are introduced in a derivation.
RULES: tuple[str, ...] = ("definitions", "linearity", "independence", "moments")


def _labels(args: Sequence[sp.Basic]) -> tuple[sp.Basic, ...]:
    return tuple(args[1]) if len(args) > 1 else ()


def _subscript(printer: Any, labels: tuple[sp.Basic, ...]) -> str:
    return "_{" + ",".join(printer._print(x) for x in labels) + "}" if labels else ""


class Expectation(sp.Function):
    r"""The expectation :math:`\mathbb{E}_{D}[X]`, kept unevaluated; the labels are a subscript.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> x, D = sp.symbols("x D")
    >>> latex(E(x**2, sp.Tuple(D)))
    '\\mathbb{E}_{D}\\left[x^{2}\\right]'
    """

    nargs = (1, 2)

    def _derive_latex(self, printer: Any) -> str:
        return rf"\mathbb{{E}}{_subscript(printer, _labels(self.args))}\left[{printer._print(self.args[0])}\right]"

    def _latex(self, printer: Any) -> str:
        return self._derive_latex(printer)


class Variance(sp.Function):
    r"""The variance :math:`\operatorname{Var}_{D}[X]`, kept unevaluated.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Var(sp.Symbol("x")))
    '\\operatorname{Var}\\left[x\\right]'
    """

    nargs = (1, 2)

    def _derive_latex(self, printer: Any) -> str:
        sub = _subscript(printer, _labels(self.args))
        return rf"\operatorname{{Var}}{sub}\left[{printer._print(self.args[0])}\right]"

    def _latex(self, printer: Any) -> str:
        return self._derive_latex(printer)


E = Expectation
Var = Variance


class MomentSymbol(sp.Symbol):
    r"""An irreducible moment :math:`\mathbb{E}[m]`, an unknown real number, printed as such.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> m = moment_symbol(sp.Symbol("f")**2)
    >>> latex(m), m.is_real
    ('\\mathbb{E}\\left[f^{2}\\right]', True)
    """

    moment: sp.Expr

    def _derive_latex(self, printer: Any) -> str:
        return printer._print(Expectation(self.moment))

    def _latex(self, printer: Any) -> str:
        return self._derive_latex(printer)


def moment_symbol(moment: sp.Expr) -> MomentSymbol:
    """The unknown standing for ``E[moment]``; equal moments give the same symbol.

    Examples
    --------
    >>> f = sp.Symbol("f")
    >>> moment_symbol(f) == moment_symbol(f), moment_symbol(f) == moment_symbol(f**2)
    (True, False)
    """
    symbol = MomentSymbol("E[" + sp.sstr(moment, order="lex") + "]", real=True)
    symbol.moment = moment
    return symbol


@dataclass(frozen=True)
class RandomModel:
    r"""Random symbols in mutually independent groups, their known moments, and definitions.

    Parameters
    ----------
    groups : tuple of (label, tuple of Symbol)
        Each group's variables may depend on each other; different groups are independent.
    moments : tuple of (monomial, value)
        Known moments of single groups, e.g. ``(eps, 0)`` and ``(eps**2, sigma**2)``.
    definitions : tuple of (Symbol, expression)
        Random symbols defined by others, e.g. ``(t, h + eps)``.

    Examples
    --------
    >>> f, eps, D, N = sp.symbols("f epsilon D N")
    >>> model = RandomModel(((D, (f,)), (N, (eps,))), ((eps, sp.S.Zero),))
    >>> model.group_of(eps)
    N
    """

    groups: tuple[tuple[sp.Symbol, tuple[sp.Symbol, ...]], ...]
    moments: tuple[tuple[sp.Expr, sp.Expr], ...] = ()
    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    def __post_init__(self) -> None:
        seen: set[sp.Symbol] = set()
        for _, members in self.groups:
            if seen & set(members):
                raise UnsupportedError(f"random symbols {sorted(map(str, seen & set(members)))} are in two groups")
            seen |= set(members)
        for monomial, _ in self.moments:
            if len(self.groups_of(monomial)) != 1:
                raise UnsupportedError(f"a declared moment must involve one group only, not {monomial}")

    @property
    def random_symbols(self) -> frozenset[sp.Symbol]:
        """Every random symbol of the model (defined ones included)."""
        return frozenset(s for _, members in self.groups for s in members) | {d for d, _ in self.definitions}

    def group_of(self, symbol: sp.Symbol) -> sp.Symbol:
        """The label of the group that ``symbol`` belongs to."""
        for label, members in self.groups:
            if symbol in members:
                return label
        raise UnsupportedError(f"{symbol} is not a random symbol of a group")

    def groups_of(self, expr: sp.Basic) -> frozenset[sp.Symbol]:
        """Labels of the groups whose symbols occur in ``expr``."""
        return frozenset(self.group_of(s) for s in expr.free_symbols
                         if any(s in members for _, members in self.groups))

    def is_random(self, expr: sp.Basic) -> bool:
        """True when ``expr`` contains a random symbol."""
        return bool(expr.free_symbols & self.random_symbols)


def _check_rules(rules: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(rules)
    unknown = chosen - set(RULES)
    if unknown:
        raise UnsupportedError(f"unknown expectation rules {sorted(unknown)}; use some of {RULES}")
    return chosen


def _expect(x: sp.Expr, model: RandomModel, rules: frozenset[str]) -> sp.Expr:
    if "definitions" in rules:
        defs = dict(model.definitions)
        while x.free_symbols & set(defs):
            x = x.xreplace(defs)
    if "linearity" not in rules:
        return moment_symbol(x) if model.is_random(x) else x
    total: sp.Expr = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(x)):
        coeff: sp.Expr = sp.S.One
        random_factors: list[sp.Expr] = []
        for factor in sp.Mul.make_args(term):
            if model.is_random(factor):
                random_factors.append(factor)
            else:
                coeff *= factor
        total += coeff * _expect_product(random_factors, model, rules)
    return total


def _expect_product(factors: list[sp.Expr], model: RandomModel, rules: frozenset[str]) -> sp.Expr:
    if not factors:
        return sp.S.One
    if "independence" in rules:
        by_group: dict[frozenset[sp.Symbol], list[sp.Expr]] = {}
        for factor in factors:
            by_group.setdefault(model.groups_of(factor), []).append(factor)
        parts = list(by_group.values()) if all(len(k) == 1 for k in by_group) else [factors]
    else:
        parts = [factors]
    known = dict(model.moments) if "moments" in rules else {}
    out: sp.Expr = sp.S.One
    for part in parts:
        monomial = sp.Mul(*part)
        out *= known.get(monomial, moment_symbol(monomial))
    return out


def reduce_expectations(expr: Any, model: RandomModel, rules: Iterable[str] = RULES) -> sp.Expr:
    r"""Replace every expectation and variance in ``expr`` by what the chosen ``rules`` give.

    Inner expectations are reduced first (they are numbers, not random). What the rules cannot
    reduce further stays as :class:`MomentSymbol` unknowns.

    Parameters
    ----------
    expr : SymPy expression
    model : RandomModel
    rules : iterable of str
        A subset of :data:`RULES`.

    Returns
    -------
    sympy.Expr
        An expression free of random symbols outside moments.

    Raises
    ------
    UnsupportedError
        For an unknown rule name.

    Examples
    --------
    >>> f, eps, s, h, D, N = sp.symbols("f epsilon sigma h D N")
    >>> model = RandomModel(((D, (f,)), (N, (eps,))), ((eps, sp.S.Zero), (eps**2, s**2)))
    >>> reduce_expectations(E(eps*(h - f)), model)
    0
    >>> reduce_expectations(E(eps*(h - f)), model, ("linearity",))
    -E[epsilon*f] + E[epsilon]*h
    >>> reduce_expectations(Var(f), model)
    E[f**2] - E[f]**2
    """
    chosen = _check_rules(rules)
    expr = as_basic(expr)

    def visit(node: sp.Basic) -> sp.Basic:
        if not node.args:
            return node
        args = [visit(a) for a in node.args]
        if isinstance(node, Variance):
            inner = args[0]
            return _expect((inner - _expect(inner, model, chosen)) ** 2, model, chosen)
        if isinstance(node, Expectation):
            return _expect(args[0], model, chosen)
        return node.func(*args) if any(a is not b for a, b in zip(args, node.args)) else node

    return visit(expr)  # type: ignore[return-value]


def expectation_hypotheses(
    model: RandomModel, *exprs: sp.Basic, rules: Iterable[str] = RULES
) -> dict[sp.Basic, sp.Basic]:
    """Replacement rules ``{E[...]: reduction}`` for the outermost expectations in ``exprs``.

    Passed as a step's ``hypotheses``, they let the verifier check a claim about
    expectations as an identity between the reductions.

    Examples
    --------
    >>> f, D = sp.symbols("f D")
    >>> model = RandomModel(((D, (f,)),))
    >>> sorted(map(str, expectation_hypotheses(model, E(2*f) - 2*E(f)).items()))
    ['(Expectation(2*f), 2*E[f])', '(Expectation(f), E[f])']
    """
    chosen = tuple(rules)
    found: dict[sp.Basic, sp.Basic] = {}

    def walk(node: sp.Basic) -> None:
        if isinstance(node, (Expectation, Variance)):
            found.setdefault(node, reduce_expectations(node, model, chosen))
            return
        for a in node.args:
            walk(a)

    for e in exprs:
        walk(as_basic(e))
    return found


def expectation_chain(
    start: sp.Expr, model: RandomModel, *links: tuple[sp.Expr, str, Iterable[str]]
) -> Any:
    r"""A displayed chain ``start = e1 = e2 ...`` whose link ``k`` is checked under its own rules.

    Each link is ``(expr, reason, rules)``; the step is verified with
    :func:`expectation_hypotheses` for exactly those rules, so a link that
    needs a rule it does not name fails. Append the result to ``proof.blocks``.

    Examples
    --------
    >>> f, D = sp.symbols("f D")
    >>> model = RandomModel(((D, (f,)),))
    >>> block = expectation_chain(E(2*f + 1), model, (2*E(f) + 1, "linearity", ("linearity",)))
    >>> [s.verify().status for s in block.steps]
    ['proven']
    """
    from derive.document.proof import Chain, Step

    steps, previous = [], start
    for expr, reason, rules in links:
        hyp = expectation_hypotheses(model, previous, expr, rules=tuple(rules))
        steps.append(Step(previous, expr, reason, hypotheses=hyp))
        previous = expr
    return Chain(tuple(steps))


__all__ = [
    "E",
    "Expectation",
    "MomentSymbol",
    "RULES",
    "RandomModel",
    "Var",
    "Variance",
    "expectation_chain",
    "expectation_hypotheses",
    "moment_symbol",
    "reduce_expectations",
]
