"""Vocabularies: which symbols a claim may use, their index ranges, and the derived results that define them."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import sympy as sp

from .errors import UnsupportedError
from .nn import layer_name

#: The size of an index range that no vocabulary fixes: ``1 <= j <= n``.
DEFAULT_SIZE = sp.Symbol("n", integer=True, positive=True)


@dataclass(frozen=True)
class IndexedRule:
    r"""Replace the elements of ``base`` whose indices match ``pattern`` by ``value``.

    A pattern entry that is a symbol (or an ``Idx``) is a wildcard; it matches
    any index except the integer ``0`` (index 0 is the bias). Any other entry
    must be equal to the index. The wildcards are replaced in ``value``.

    Examples
    --------
    >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
    >>> j = sp.Symbol("j")
    >>> IndexedRule(t, (j,), w[j] / 2).match(t[3])
    w[3]/2
    >>> IndexedRule(t, (j,), w[j] / 2).match(t[0]) is None
    True
    """

    base: sp.IndexedBase
    pattern: tuple[sp.Basic, ...]
    value: sp.Basic

    def match(self, element: sp.Indexed) -> sp.Basic | None:
        """The replacement of ``element``, or ``None`` when the rule does not apply."""
        if element.base != self.base or len(element.indices) != len(self.pattern):
            return None
        binding: dict[sp.Basic, sp.Basic] = {}
        for wanted, actual in zip(self.pattern, element.indices):
            if isinstance(wanted, (sp.Symbol, sp.Idx)):
                if actual == 0:
                    return None
                binding[wanted] = actual
            elif wanted != actual:
                return None
        return self.value.xreplace(binding)


@dataclass(frozen=True)
class OperatorResult:
    r"""The decision of an operator evaluator on an array-level claim (see :class:`OperatorEvaluator`).

    ``counterexample`` maps names to values as text (sizes, the largest gap); ``counterexample_latex`` holds
    the same as ``(LaTeX name, LaTeX value)`` pairs for the document.

    Examples
    --------
    >>> OperatorResult(None, "operator-level claim").holds is None
    True
    """

    holds: bool | None
    method: str
    counterexample: Mapping[str, str] | None = None
    explanation: str = ""
    lhs_value: str | None = None
    rhs_value: str | None = None
    counterexample_latex: tuple[tuple[str, str], ...] = ()


class OperatorEvaluator(Protocol):
    """Gives operator-level claims (∗, ⊙, flip, masks, gradients of arrays) a meaning and decides them."""

    def handles(self, expr: sp.Basic) -> bool:
        """True when ``expr`` mentions one of the evaluator's arrays (so the claim is about arrays)."""

    def __call__(self, lhs: sp.Basic, rhs: sp.Basic, relation: str, seed: int) -> OperatorResult:
        """Decide ``lhs relation rhs``."""


@dataclass(frozen=True)
class Vocabulary:
    r"""What the symbols of a claim mean: names, index ranges, layers and derived substitution rules.

    Parameters
    ----------
    name : str
        ``"default"`` or a question such as ``"q4"``.
    description : str
        One line for the README and the command line.
    index_ranges : mapping
        Index letter to ``(lower, upper)``; used for the bounds of ``\sum_j`` and for free indices.
    default_range : tuple
        The range of an index letter that ``index_ranges`` does not name.
    symbols : mapping
        Names (``"M"``, ``"D"``) that stand for a given SymPy object, such as a size.
    bases : mapping
        Array names (``"lambda"``) that stand for a given ``IndexedBase``, for example with assumptions.
    default_layers : mapping
        ``(name, first index letter)`` to the layer an unlabelled ``w_{kj}`` belongs to.
    rules : tuple of IndexedRule
        Substitutions from the engine's derived results, applied before checking.
    operator_evaluator : OperatorEvaluator, optional
        ``evaluator(lhs, rhs, relation, seed) -> OperatorResult`` for operator-level claims (⊙, ∗, flip,
        masks, gradients), for example a :class:`derive.arraycheck.ArrayModel`; ``None`` when the vocabulary
        cannot evaluate them.

    Examples
    --------
    >>> v = Vocabulary()
    >>> v.bounds("j")
    (1, n)
    >>> v.base("w", "2")
    w^{(2)}
    """

    name: str = "default"
    description: str = "Scalars and index-form arrays; implicit sums run over 1..n."
    index_ranges: Mapping[str, tuple[sp.Basic, sp.Basic]] = field(default_factory=dict)
    default_range: tuple[sp.Basic, sp.Basic] = (sp.Integer(1), DEFAULT_SIZE)
    symbols: Mapping[str, sp.Basic] = field(default_factory=dict)
    bases: Mapping[str, sp.IndexedBase] = field(default_factory=dict)
    default_layers: Mapping[tuple[str, str], int] = field(default_factory=dict)
    rules: tuple[IndexedRule, ...] = ()
    operator_evaluator: OperatorEvaluator | None = None

    def bounds(self, letter: str) -> tuple[sp.Basic, sp.Basic]:
        """The range of the index ``letter``."""
        return self.index_ranges.get(letter, self.default_range)

    def symbol(self, name: str, layer: str | None = None) -> sp.Basic:
        """The scalar called ``name`` (of ``layer``); real unless the vocabulary names it."""
        key = layer_name(name, layer) if layer else name
        if key in self.symbols:
            return self.symbols[key]
        return sp.Symbol(key, real=True)

    def base(self, name: str, layer: str | None = None) -> sp.IndexedBase:
        """The array called ``name`` (of ``layer``), with real elements."""
        key = layer_name(name, layer) if layer else name
        return self.bases[key] if key in self.bases else sp.IndexedBase(key, real=True)

    def is_array(self, expr: sp.Basic) -> bool:
        """True when ``expr`` mentions an array of the vocabulary's operator evaluator.

        Examples
        --------
        >>> Vocabulary().is_array(sp.Symbol("x"))
        False
        """
        return self.operator_evaluator is not None and self.operator_evaluator.handles(expr)

    def layer_for(self, name: str, indices: tuple[str, ...]) -> str | None:
        """The layer of an array written without one, decided by its first index letter (or ``None``)."""
        if not indices:
            return None
        layer = self.default_layers.get((name, indices[0]))
        return None if layer is None else str(layer)

    def index(self, letter: str, *, bound: bool) -> sp.Basic:
        """The index ``letter``: a summation variable when ``bound``, else an ``Idx`` over its range."""
        symbol = sp.Symbol(letter, integer=True, positive=True)
        return symbol if bound else sp.Idx(symbol, self.bounds(letter))

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        """Apply the derived rules to every matching array element of ``expr``.

        Examples
        --------
        >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
        >>> j = sp.Symbol("j")
        >>> Vocabulary(rules=(IndexedRule(t, (j,), 2 * w[j]),)).substitute(t[1] + 1)
        2*w[1] + 1
        """
        if not self.rules:
            return expr

        def replace(element: sp.Indexed) -> sp.Basic:
            for rule in self.rules:
                value = rule.match(element)
                if value is not None:
                    return value
            return element

        return expr.replace(lambda e: isinstance(e, sp.Indexed), replace)

    def hypotheses(self, *exprs: sp.Basic) -> dict[sp.Basic, sp.Basic]:
        """The rules as an ``xreplace`` mapping for the array elements of ``exprs`` (for proof steps).

        Examples
        --------
        >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
        >>> j = sp.Symbol("j")
        >>> Vocabulary(rules=(IndexedRule(t, (j,), 2 * w[j]),)).hypotheses(t[1] + w[2])
        {t[1]: 2*w[1]}
        """
        found = {e for x in exprs for e in x.atoms(sp.Indexed)}
        table = {e: self.substitute(e) for e in sorted(found, key=sp.default_sort_key)}
        return {k: v for k, v in table.items() if v != k}


#: The vocabulary used when no question is given.
DEFAULT = Vocabulary()

#: The package whose ``VOCABULARIES`` mapping (question -> Vocabulary or factory) is searched.
PACKAGE = "proofs.vocabulary"


def load_vocabulary(question: str | None, *, package: str = PACKAGE) -> Vocabulary:
    """The vocabulary of ``question`` (``"q4"``), imported lazily from ``package``; default for ``None``.

    Raises
    ------
    UnsupportedError
        When the package has no vocabulary for the question.

    Examples
    --------
    >>> load_vocabulary(None).name
    'default'
    """
    if question is None or question.lower() in ("", "default"):
        return DEFAULT
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise UnsupportedError(f"no vocabulary package {package!r}: {exc}") from exc
    table = getattr(module, "VOCABULARIES", {})
    entry = table.get(question.lower())
    if entry is None:
        known = ", ".join(sorted(table)) or "none"
        raise UnsupportedError(f"no vocabulary for question {question!r} (known: {known})")
    return entry() if callable(entry) else entry


__all__ = ["DEFAULT", "DEFAULT_SIZE", "IndexedRule", "OperatorEvaluator", "OperatorResult", "PACKAGE", "Vocabulary",
           "load_vocabulary"]
