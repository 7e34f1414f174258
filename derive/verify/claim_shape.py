"""What a claim ranges over: its sizes, free indices, free integers, bound indices and kinks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sympy as sp

from derive.verify.kinks import _Kink, _kinks


def _limits(exprs: Iterable[sp.Basic]) -> dict[sp.Basic, tuple[sp.Basic, sp.Basic]]:
    found: dict[sp.Basic, tuple[sp.Basic, sp.Basic]] = {}
    for expr in exprs:
        for s in sorted(expr.atoms(sp.Sum, sp.Product), key=sp.default_sort_key):  # not by hash: deterministic
            for index, lower, upper in s.limits:
                found.setdefault(index, (lower, upper))
    return found



@dataclass(frozen=True)
class ClaimShape:
    """What a claim ranges over: sizes, free indices, free integers, bound indices and kinks.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> x = IndexedBase("x"); j = sp.Symbol("j", integer=True); M = sp.Symbol("M", integer=True, positive=True)
    >>> ClaimShape.of([Sum(x[j], (j, 1, M))]).sizes
    (M,)
    """

    sizes: tuple[sp.Symbol, ...]
    indices: tuple[sp.Idx, ...]
    integers: tuple[sp.Symbol, ...]
    limits: Mapping[sp.Basic, tuple[sp.Basic, sp.Basic]] = field(default_factory=dict)
    kinks: tuple[_Kink, ...] = ()
    closed: bool = False

    @classmethod
    def of(cls, exprs: list[sp.Basic], probes: list[sp.Expr] | None = None) -> ClaimShape:
        """Analyse the expressions of a claim (both sides, every entry).

        ``probes`` are further expressions whose zeros are worth visiting (the gap of an inequality).
        """
        limits = _limits(exprs)
        bound = set(limits)
        size_set: set[sp.Symbol] = set()
        for lower, upper in limits.values():
            size_set |= {s for s in (lower.free_symbols | upper.free_symbols) if isinstance(s, sp.Symbol)}
        idxs: set[sp.Idx] = set()
        for expr in exprs:
            for idx in expr.atoms(sp.Idx):
                idxs.add(idx)
                if idx.lower is not None:
                    size_set |= {s for s in idx.lower.free_symbols | idx.upper.free_symbols if isinstance(s, sp.Symbol)}
        size_set -= bound
        size_set = {s for s in size_set if not isinstance(s, sp.Idx)}
        labels = {i.label for i in idxs}
        free = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
        integers = {s for s in free if isinstance(s, sp.Symbol) and not isinstance(s, sp.Idx) and s.is_integer
                    and s not in size_set and s not in labels}
        kinks = tuple(k for e in exprs for k in _kinks(e, bound | size_set | labels))
        kinks += tuple(_kinks(sp.Integer(0), bound | size_set | labels, list(probes or [])))
        has_values = any(_has_values(e, bound) for e in exprs)
        closed = not (size_set or idxs or integers or has_values)
        return cls(tuple(sorted(size_set, key=str)), tuple(sorted(idxs, key=str)), tuple(sorted(integers, key=str)),
                   limits, tuple(dict.fromkeys(kinks)), closed)


def _has_values(expr: sp.Basic, bound: set[sp.Basic]) -> bool:
    # free_symbols leaves out summation indices where they are bound, so a free symbol that shares a bound
    # index's name still counts
    if expr.atoms(sp.Indexed):
        return True
    return any(isinstance(s, sp.Symbol) for s in expr.free_symbols)


__all__ = ["ClaimShape"]
