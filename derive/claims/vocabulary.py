"""Vocabularies: which symbols a claim may use, their index ranges and derived results; the registry by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import sympy as sp

from derive.errors import InvalidVocabularyError, UnsupportedError
from derive.model.nn import layer_name

#: The size of an index range that no vocabulary fixes: ``1 <= j <= n``.
DEFAULT_SIZE = sp.Symbol("n", integer=True, positive=True)


def _is_zero(value: sp.Basic) -> bool | None:
    """Whether ``value`` is zero at every admissible index value: ``True``, ``False`` or ``None`` (it depends).

    An ``Idx`` lies in its range, so ``j + 1`` is non-zero for ``j`` in ``1..M`` while ``j - 1`` depends on ``j``.
    """
    decided = value.is_zero
    if decided is not None:
        return bool(decided)
    ranged = [i for i in value.atoms(sp.Idx) if i.lower is not None and i.upper is not None]
    for end, sign in (("lower", 1), ("upper", -1)):  # idx = lower + d or upper - d with d >= 0
        shift = {i: getattr(i, end) + sign * sp.Dummy(integer=True, nonnegative=True) for i in ranged}
        if ranged and value.xreplace(shift).is_zero is False:
            return False
    return None


def _equal(a: sp.Basic, b: sp.Basic) -> sp.Basic:
    """``a = b`` for index values: ``sp.true``, ``sp.false`` or an undecided ``Eq``."""
    decided = _is_zero(a - b)
    if decided is None:
        return sp.Eq(a, b)
    return sp.true if decided else sp.false


def _instantiate(value: sp.Basic, binding: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """``value`` with the wildcards bound, renaming bound variables of sums and products that would capture."""
    taken = {s.name for actual in binding.values() for s in actual.atoms(sp.Symbol)}  # by name: j and Idx(j)

    def clashes(e: sp.Basic) -> bool:
        return isinstance(e, (sp.Sum, sp.Product)) and any(limit[0].name in taken for limit in e.limits)

    def rename(e: sp.Basic) -> sp.Basic:
        fresh = {limit[0]: sp.Dummy(limit[0].name, **limit[0].assumptions0)
                 for limit in e.limits if limit[0].name in taken}
        return e.xreplace(fresh)

    if taken:
        value = value.replace(clashes, rename)
    return value.xreplace(dict(binding))


@dataclass(frozen=True)
class IndexedRule:
    r"""Replace the elements of ``base`` whose indices match ``pattern`` by ``value``.

    A pattern entry that is a symbol (or an ``Idx``) is a wildcard; it matches any index whose value is not
    ``0`` (index 0 is the bias), and a wildcard written twice matches equal indices. Any other entry must
    equal the index. The wildcards are replaced in ``value``. The decision is on the *value* of each index:
    :meth:`select` gives the condition on symbolic indices (``j - 1`` is 0 exactly when ``j = 1``).

    Examples
    --------
    >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
    >>> j = sp.Symbol("j")
    >>> IndexedRule(t, (j,), w[j] / 2).match(t[3])
    w[3]/2
    >>> IndexedRule(t, (j,), w[j] / 2).match(t[0]) is None
    True
    >>> J = sp.Idx(sp.Symbol("j", integer=True), (1, 5))
    >>> IndexedRule(t, (j,), w[j] / 2).select(t[J - 1])
    (Ne(j - 1, 0), w[j - 1]/2)
    """

    base: sp.IndexedBase
    pattern: tuple[sp.Basic, ...]
    value: sp.Basic
    #: Whether a wildcard may match the index 0 (False where index 0 is a bias, as in q4).
    zero_matches: bool = False

    def select(self, element: sp.Indexed) -> tuple[sp.Basic, sp.Basic] | None:
        """``(condition, replacement)``: the rule applies to ``element`` exactly where ``condition`` holds.

        The condition is ``sp.true`` when the index values decide it; ``None`` when the rule never applies.

        Examples
        --------
        >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
        >>> j = sp.Symbol("j", integer=True, positive=True)
        >>> IndexedRule(t, (j,), w[j]).select(t[j + 1])
        (True, w[j + 1])
        >>> IndexedRule(t, (sp.Integer(0),), w[0]).select(t[j + 1]) is None
        True
        """
        if element.base != self.base or len(element.indices) != len(self.pattern):
            return None
        binding: dict[sp.Basic, sp.Basic] = {}
        conditions: list[sp.Basic] = []
        for wanted, actual in zip(self.pattern, element.indices):
            if isinstance(wanted, (sp.Symbol, sp.Idx)):
                if wanted in binding:
                    condition = _equal(binding[wanted], actual)
                else:
                    binding[wanted] = actual
                    condition = sp.true if self.zero_matches else sp.Not(_equal(actual, sp.Integer(0)))
            else:
                condition = _equal(actual, wanted)
            if condition is sp.false:
                return None
            conditions.append(condition)
        return sp.And(*conditions), _instantiate(self.value, binding)

    def match(self, element: sp.Indexed) -> sp.Basic | None:
        """The replacement of ``element``, or ``None`` unless the rule surely applies at its index values.

        Examples
        --------
        >>> t, j = sp.IndexedBase("t"), sp.Symbol("j")
        >>> IndexedRule(t, (j, j), sp.Integer(1)).match(t[2, 3]) is None
        True
        """
        found = self.select(element)
        return found[1] if found is not None and found[0] is sp.true else None


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

    def __call__(self, lhs: sp.Basic, rhs: sp.Basic, relation: str, seed: int) -> Any:
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
        ``evaluator(lhs, rhs, relation, seed)`` returning a :class:`derive.verify.Verdict` (or an
        :class:`OperatorResult`, mapped onto one: points never prove) for operator-level claims (⊙, ∗, flip,
        masks, gradients), for example a :class:`derive.claims.arraycheck.ArrayModel`; ``None`` when the vocabulary
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
        """Apply the derived rules to every array element of ``expr``, deciding on the value of each index.

        An element with integer indices takes the first rule that matches. An element with symbolic indices
        (``t_{k,j-1}``) becomes a ``Piecewise`` that selects, at the index values, the first rule whose
        pattern matches (wildcards non-zero, literal entries equal), with the element itself as the fallback;
        conditions that the index ranges decide are dropped.

        Examples
        --------
        >>> w, t = sp.IndexedBase("w"), sp.IndexedBase("t")
        >>> j = sp.Symbol("j")
        >>> v = Vocabulary(rules=(IndexedRule(t, (sp.Integer(0),), w[0]), IndexedRule(t, (j,), 2 * w[j])))
        >>> v.substitute(t[1] + 1)
        2*w[1] + 1
        >>> J = sp.Idx(sp.Symbol("j", integer=True), (1, 5))
        >>> v.substitute(t[J - 1])
        Piecewise((w[0], Eq(j, 1)), (2*w[j - 1], True))
        >>> v.substitute(t[J + 1])
        2*w[j + 1]
        """
        if not self.rules:
            return expr

        def replace(element: sp.Indexed) -> sp.Basic:
            if all(i.is_Integer for i in element.indices):
                for rule in self.rules:
                    value = rule.match(element)
                    if value is not None:
                        return value
                return element
            pieces: list[tuple[sp.Basic, sp.Basic]] = []
            for rule in self.rules:
                found = rule.select(element)
                if found is None:
                    continue
                condition, value = found
                pieces.append((value, condition))
                if condition is sp.true:
                    break
            else:
                pieces.append((element, sp.true))
            return pieces[0][0] if pieces[0][1] is sp.true else sp.Piecewise(*pieces)

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

#: What :func:`register_vocabulary` takes: a vocabulary, or a function without arguments that builds one.
VocabularyEntry = Vocabulary | Callable[[], Vocabulary]

#: Registered vocabularies by lower-case name; a factory is replaced by what it built at its first lookup.
_REGISTERED: dict[str, VocabularyEntry] = {}


def _key(name: str) -> str:
    return name.strip().lower()


def register_vocabulary(name: str, vocabulary: VocabularyEntry) -> None:
    r"""Register ``vocabulary`` under ``name``, for ``check(claim, question=name)`` and ``derive check --question``.

    A project registers its vocabularies when its module is imported (``proofs/vocabulary.py`` registers
    ``q1``, ``q4`` and ``q5``); ``derive check --proofs DIR`` imports ``DIR/vocabulary.py`` for that. A later
    registration of the same name replaces the earlier one, so importing such a module twice is harmless.

    Parameters
    ----------
    name : str
        The name to look up, such as a question ``"q4"``; case and surrounding spaces do not count.
        ``"default"`` is the built-in :data:`DEFAULT` and cannot be replaced.
    vocabulary : Vocabulary or callable
        The vocabulary, or a function without arguments that builds it. A function is called at the first
        lookup of ``name`` (not at registration, so registering costs nothing), and only once.

    Raises
    ------
    InvalidVocabularyError
        When ``name`` is empty or ``"default"``, or ``vocabulary`` is neither a :class:`Vocabulary` nor callable.

    Examples
    --------
    >>> register_vocabulary("demo", Vocabulary(name="demo", index_ranges={"j": (sp.Integer(1), sp.Integer(3))}))
    >>> "demo" in registered_vocabularies(), load_vocabulary("DEMO").bounds("j")
    (True, (1, 3))
    >>> from derive.claims.check import check
    >>> check(r"\sum_j j = 6", question="demo").status
    'proven'
    """
    key = _key(name) if isinstance(name, str) else ""
    if key in ("", "default"):
        raise InvalidVocabularyError(f"a vocabulary needs a name other than {name!r}")
    if not isinstance(vocabulary, Vocabulary) and not callable(vocabulary):
        raise InvalidVocabularyError(f"vocabulary {name!r}: expected a Vocabulary or a function that builds one, "
                                     f"got {type(vocabulary).__name__}")
    _REGISTERED[key] = vocabulary


def registered_vocabularies() -> tuple[str, ...]:
    """The names of the registered vocabularies, sorted (``"default"`` is always there and is not listed).

    Examples
    --------
    >>> register_vocabulary("demo", Vocabulary(name="demo"))
    >>> "demo" in registered_vocabularies()
    True
    """
    return tuple(sorted(_REGISTERED))


def load_vocabulary(question: str | None) -> Vocabulary:
    """The vocabulary registered as ``question`` (``"q4"``); :data:`DEFAULT` for ``None``, ``""`` or ``"default"``.

    A vocabulary registered as a factory is built here, at its first lookup, and kept.

    Raises
    ------
    UnsupportedError
        When no vocabulary is registered under that name; the message names the registered ones.
    InvalidVocabularyError
        When a registered factory does not return a :class:`Vocabulary`.

    Examples
    --------
    >>> load_vocabulary(None).name
    'default'
    >>> load_vocabulary("q99")
    Traceback (most recent call last):
    ...
    derive.errors.UnsupportedError: no vocabulary registered for question 'q99' (registered: ...)...
    """
    if question is None or _key(question) in ("", "default"):
        return DEFAULT
    key = _key(question)
    entry = _REGISTERED.get(key)
    if entry is None:
        known = ", ".join(registered_vocabularies()) or "none"
        raise UnsupportedError(f"no vocabulary registered for question {question!r} (registered: {known}); a "
                               "project registers its own with derive.claims.vocabulary.register_vocabulary")
    if isinstance(entry, Vocabulary):
        return entry
    built = entry()
    if not isinstance(built, Vocabulary):
        raise InvalidVocabularyError(f"the factory registered for {question!r} returned "
                                     f"{type(built).__name__}, not a Vocabulary")
    if _REGISTERED.get(key) is entry:  # not replaced while it was being built
        _REGISTERED[key] = built
    return built


__all__ = ["DEFAULT", "DEFAULT_SIZE", "IndexedRule", "OperatorEvaluator", "OperatorResult", "Vocabulary",
           "VocabularyEntry", "load_vocabulary", "register_vocabulary", "registered_vocabularies"]
