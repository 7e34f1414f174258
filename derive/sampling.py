"""Seeded random points for checking claims: sizes, indices and values, away from kinks."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .coerce import as_basic
from .config import VerifyConfig
from .errors import DeriveError
from .functions import KINKED

#: A custom sampler returns values for some symbols that satisfy a step's hypotheses.
Sampler = Callable[[np.random.Generator], Mapping[sp.Basic, sp.Basic]]


def stable_seed(*parts: object) -> int:
    """A seed that depends only on the text of ``parts`` (not on ``PYTHONHASHSEED``).

    Examples
    --------
    >>> stable_seed("q4", 3) == stable_seed("q4", 3)
    True
    """
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


def size_symbols(exprs: Iterable[sp.Basic]) -> list[sp.Symbol]:
    """Integer symbols used as bounds of sums or of free ``Idx`` ranges, sorted by name.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, M = symbols("j M", integer=True)
    >>> size_symbols([Sum(w[j], (j, 1, M))])
    [M]
    """
    found: set[sp.Symbol] = set()
    for expr in exprs:
        for s in expr.atoms(sp.Sum):
            for _, lower, upper in s.limits:
                found |= {x for x in (lower.free_symbols | upper.free_symbols) if isinstance(x, sp.Symbol)}
        for idx in expr.atoms(sp.Idx):
            if idx.lower is not None:
                found |= {x for x in (idx.lower.free_symbols | idx.upper.free_symbols)}
    dummies = {lim[0] for expr in exprs for s in expr.atoms(sp.Sum) for lim in s.limits}
    return sorted(found - dummies, key=str)


def variables(exprs: Iterable[sp.Basic]) -> list[sp.Basic]:
    """Free scalar unknowns: plain symbols and concrete ``Indexed`` elements, sorted.

    Examples
    --------
    >>> from sympy import IndexedBase, Symbol
    >>> w = IndexedBase("w"); x = Symbol("x")
    >>> variables([w[1, 2]*x + w[0, 0]])
    [x, w[0, 0], w[1, 2]]
    """
    found: set[sp.Basic] = set()
    labels: set[sp.Basic] = set()
    for expr in exprs:
        found |= expr.atoms(sp.Indexed)
        labels |= {b.label for b in expr.atoms(sp.IndexedBase)}
        found |= {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and not isinstance(s, sp.Idx)}
    found -= labels
    found = {v for v in found if not (isinstance(v, sp.Indexed) and v.free_symbols - {v, v.base.label})}
    return sorted(found, key=lambda v: (isinstance(v, sp.Indexed), sp.default_sort_key(v)))


def random_value(symbol: sp.Basic, rng: np.random.Generator, config: VerifyConfig) -> sp.Rational:
    """A random non-zero rational respecting the sign and integer assumptions of ``symbol``.

    Examples
    --------
    >>> from sympy import Symbol
    >>> v = random_value(Symbol("s", positive=True), np.random.default_rng(0), VerifyConfig())
    >>> v > 0
    True
    """
    lo, hi = config.value_range
    if getattr(symbol, "is_nonnegative", None) or getattr(symbol, "is_positive", None):
        lo = 0
    if getattr(symbol, "is_integer", None):
        den = 1
    else:
        den = int(rng.integers(1, config.denominator + 1))
    while True:
        num = int(rng.integers(lo * den, hi * den + 1))
        if num != 0:
            return sp.Rational(num, den)


@dataclass(frozen=True)
class Point:
    """One instantiated check point: the sizes chosen, the values, and the two sides."""

    sizes: Mapping[sp.Basic, sp.Basic]
    values: Mapping[sp.Basic, sp.Basic]
    lhs: sp.Basic
    rhs: sp.Basic


def _unroll_one(summation: sp.Sum) -> sp.Basic:
    *inner, (index, lower, upper) = summation.limits
    if not (lower.is_Integer and upper.is_Integer):
        return summation
    body = sp.Sum(summation.function, *inner) if inner else summation.function
    return sp.Add(*(body.xreplace({index: sp.Integer(v)}) for v in range(int(lower), int(upper) + 1)))


def unroll_sums(expr: sp.Basic) -> sp.Basic:
    """Write every sum with integer bounds out as its terms (much faster than ``doit`` on nested sums).

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, k = symbols("j k", integer=True)
    >>> unroll_sums(Sum(Sum(w[j, k], (k, 1, j)), (j, 1, 2)))
    w[1, 1] + w[2, 1] + w[2, 2]
    """
    previous = None
    while previous != expr and expr.has(sp.Sum):
        previous = expr
        expr = expr.replace(lambda e: isinstance(e, sp.Sum), _unroll_one)
    return expr


def _instantiate(expr: sp.Basic, fixed: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    out = expr.xreplace(dict(fixed)) if fixed else expr
    if out.has(sp.Sum):
        out = unroll_sums(out)
    if out.has(sp.Sum, sp.Product):
        out = out.doit()
    if fixed:
        # Sampler values for concrete elements (U[1, 2]) appear only once the sums are expanded.
        out = out.xreplace(dict(fixed))
    return out


def kink_arguments(exprs: Iterable[sp.Basic]) -> list[sp.Basic]:
    """Arguments of the kinked functions (ReLU, indicator, Heaviside, Abs) in ``exprs``.

    Examples
    --------
    >>> from sympy import Symbol
    >>> from derive.functions import ReLU
    >>> kink_arguments([ReLU(Symbol("h") - 1)])
    [h - 1]
    """
    found: set[sp.Basic] = set()
    for expr in exprs:
        found |= {f.args[0] for f in expr.atoms(*KINKED, sp.Heaviside, sp.Abs)}
    return sorted(found, key=sp.default_sort_key)


def _near_kink(arguments: Iterable[sp.Basic], values: Mapping[sp.Basic, sp.Basic], margin: float) -> bool:
    for argument in arguments:
        arg = argument.xreplace(dict(values))
        if arg.is_number and abs(float(arg)) < margin:
            return True
    return False


def sample_points(
    lhs: sp.Basic,
    rhs: sp.Basic,
    *,
    seed: int,
    config: VerifyConfig,
    sampler: Sampler | None = None,
    tries: int = 200,
) -> list[Point]:
    """Draw ``config.points`` seeded points for the claim ``lhs ~ rhs``.

    Sizes (bounds of sums) are drawn first and the sums expanded; free
    indices ranging over those sizes come next; then every remaining symbol
    and array element gets a random rational. Points where an argument of a
    kinked function (ReLU, indicator) comes within ``config.kink_margin`` of 0
    are rejected and drawn again.

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, M = symbols("j M", integer=True, positive=True)
    >>> pts = sample_points(Sum(w[j], (j, 1, M)), 0, seed=1, config=VerifyConfig(points=2))
    >>> [p.lhs.func.__name__ in ("Add", "Indexed") for p in pts]
    [True, True]
    """
    lhs, rhs = as_basic(lhs), as_basic(rhs)
    rng = np.random.default_rng(seed)
    sizes_syms = size_symbols([lhs, rhs])
    idxs = sorted(set(lhs.atoms(sp.Idx)) | set(rhs.atoms(sp.Idx)), key=str)
    points: list[Point] = []
    # Instantiating, and scanning for unknowns and kinks, depends only on the sizes and sampler values;
    # do it once per distinct choice (large elementwise expansions repeat the same one).
    prepared: dict[frozenset[tuple[sp.Basic, sp.Basic]], tuple[sp.Basic, sp.Basic, list[sp.Basic],
                                                               list[sp.Basic]]] = {}
    for _ in range(tries):
        if len(points) == config.points:
            break
        fixed: dict[sp.Basic, sp.Basic] = dict(sampler(rng)) if sampler else {}
        for s in sizes_syms:
            if s not in fixed:
                fixed[s] = sp.Integer(int(rng.integers(config.size_range[0], config.size_range[1] + 1)))
        for idx in idxs:
            lower = as_basic(idx.lower).xreplace(fixed)
            upper = as_basic(idx.upper).xreplace(fixed)
            fixed[idx] = sp.Integer(int(rng.integers(int(lower), int(upper) + 1)))
        key = frozenset(fixed.items())
        if key not in prepared:
            left, right = _instantiate(lhs, fixed), _instantiate(rhs, fixed)
            prepared[key] = (left, right, variables([left, right]), kink_arguments([left, right]))
        left, right, unknowns, kinks = prepared[key]
        values = {v: random_value(v, rng, config) for v in unknowns}
        if _near_kink(kinks, values, config.kink_margin):
            continue
        points.append(Point(fixed, values, left, right))
    if len(points) < config.points:
        raise DeriveError(f"could only draw {len(points)} of {config.points} points away from kinks")
    return points
