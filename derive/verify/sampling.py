r"""The points at which a claim is tried: sizes, indices and values chosen to find counterexamples.

A point fixes every symbolic size (the bounds of sums), every free index, and every scalar the claim
mentions. Scalars are drawn lazily, when the evaluation first needs them, from a mixture
(:func:`draw_scalar`): special values (0, ±1, small integers), rationals with small and with huge
denominators, magnitudes from :math:`10^{-6}` to :math:`10^{6}`, and integers, always within the
symbol's assumptions (positive, nonnegative, integer); the first points give all scalars one common
value (0, 1, -1, 2, 1/2, -2, then a random one), so that claims failing where variables vanish or coincide
are caught; after them, every other point draws all its values on one moderate scale (rationals
:math:`p/q`, :math:`q \le 12`, :math:`|p/q| \le 4`), so that sums of many terms take either sign.
Sizes run through every value 1..8, then 64, a random value in 9..63 and 200 (dropped, and then the largest size
halved, when one point would cost more than its operation cap). Free indices are made to coincide at some
points and to differ at others. Points exactly at a kink of ReLU, an indicator,
``Abs``, ``Max``, ``Min``, ``Heaviside``, ``sign`` or a piecewise condition, and just either side of it,
are included: the kink's argument is solved for one variable that occurs in it linearly, or, in a claim of
one variable, its real roots are found (exactly for polynomials, by ``solveset`` otherwise). The gap of an
inequality is probed the same way, so a strict inequality that fails only where the sides meet is caught.

The seed comes from the canonical form of the parsed claim (:func:`claim_seed`), so the text's spacing
cannot change the points.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, cast

import numpy as np
import sympy as sp

from derive.coerce import as_basic
from derive.model.activations import KINKED
from derive.verify.arithmetic import Unsupported
from derive.verify.evaluate import EXACT, Env, Key, compile_expr

#: A custom sampler returns values for some symbols that satisfy a step's hypotheses.
Sampler = Callable[[np.random.Generator], Mapping[sp.Basic, sp.Basic]]

#: Offsets from a kink: exactly at it, just either side, and a band around it.
KINK_OFFSETS: tuple[Fraction, ...] = (Fraction(0), Fraction(1, 10**9), Fraction(-1, 10**9), Fraction(1, 1000),
                                      Fraction(-1, 1000), Fraction(1, 8), Fraction(-1, 8))
#: Sizes every claim is tried at, and how many random sizes in :data:`LARGE_SIZES` follow them.
SMALL_SIZES, LARGE_SIZES, LARGE_DRAWS = range(1, 9), (9, 64), 2
#: A size far beyond the others, tried once after them when one point at it is affordable.
FAR_SIZE = 200
#: The common values of the first points (see :meth:`PointSource.points`).
COMMON_VALUES = tuple(Fraction(v) for v in (0, 1, -1, 2, Fraction(1, 2), -2))
_SPECIAL = tuple(Fraction(v) for v in (0, 1, -1, 2, -2, 3, -3, Fraction(1, 2), Fraction(-1, 2), 10, -10))


def stable_seed(*parts: object) -> int:
    """A seed that depends only on the text of ``parts`` (not on ``PYTHONHASHSEED``).

    Examples
    --------
    >>> stable_seed("q4", 3) == stable_seed("q4", 3)
    True
    """
    return zlib.crc32("\x1f".join(map(str, parts)).encode())


_DUMMY_INDEX = re.compile(r", dummy_index=\d+")


def claim_seed(lhs: sp.Basic, rhs: sp.Basic, relation: str) -> int:
    """The seed of a claim: a hash of its canonical SymPy form, so spacing in the LaTeX cannot change it.

    Examples
    --------
    >>> x, y = sp.symbols("x y")
    >>> claim_seed(x + y, 0, "=") == claim_seed(y + x, 0, "=")
    True
    """
    text = _DUMMY_INDEX.sub("", sp.srepr(sp.Tuple(lhs, rhs)))
    return stable_seed("claim", relation, text)


def _flags(obj: sp.Basic) -> dict[str, bool]:
    def ask(name: str) -> bool:
        return bool(getattr(obj, name, None))
    return {name: ask("is_" + name) for name in ("integer", "positive", "nonnegative", "negative", "nonpositive",
                                                  "nonzero")}


def draw_scalar(rng: np.random.Generator, flags: Mapping[str, bool], moderate: bool = False) -> Fraction:
    """One value from the mixture, within the assumptions in ``flags`` (``positive``, ``integer`` ...).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> all(draw_scalar(rng, {"positive": True}) > 0 for _ in range(200))
    True
    >>> all(draw_scalar(rng, {"integer": True}).denominator == 1 for _ in range(200))
    True
    """
    kind = int(rng.integers(0, 100)) if not moderate else 30
    if kind < 22:
        value = _SPECIAL[int(rng.integers(0, len(_SPECIAL)))]
    elif kind < 40:
        q = int(rng.integers(1, 13))
        value = Fraction(int(rng.integers(-4 * q, 4 * q + 1)), q)
    elif kind < 60:  # a "random real": a rational with a 24-bit denominator, off every small-denominator lattice
        den = (1 << 24) + int(rng.integers(0, 1 << 23))
        value = Fraction(int(rng.integers(-(1 << 26), 1 << 26)), den)
    elif kind < 80:  # wide magnitudes, 1e-6 .. 1e6
        mantissa = Fraction(int(rng.integers(1000, 10000)), 1000)
        exponent = int(rng.integers(-6, 7)) if rng.integers(0, 4) else int(rng.integers(-15, 16))
        value = mantissa * Fraction(10) ** exponent * (1 if rng.integers(0, 2) else -1)
    else:
        value = Fraction(int(rng.integers(-20, 21)) if rng.integers(0, 2) else int(rng.integers(-10**6, 10**6)))
    if flags.get("integer"):
        value = Fraction(round(value))
    if flags.get("positive") or flags.get("nonnegative"):
        value = abs(value)
    if flags.get("negative") or flags.get("nonpositive"):
        value = -abs(value)
    if value == 0 and (flags.get("positive") or flags.get("negative") or flags.get("nonzero")):
        value = Fraction(-1 if flags.get("negative") else 1)
    return value


#: Assumptions the sampler honours by rejection, beyond the sign and integer flags it draws within.
_EXTRA_ASSUMPTIONS = ("even", "odd", "prime", "composite", "zero", "nonzero", "positive", "negative",
                      "nonnegative", "nonpositive", "integer")


def honours(value: Fraction, obj: sp.Basic) -> bool:
    """True when the number ``value`` has every assumption that ``obj`` (a symbol or array base) declares.

    Examples
    --------
    >>> m = sp.Symbol("m", odd=True)
    >>> honours(Fraction(3), m), honours(Fraction(2), m)
    (True, False)
    """
    number = sp.Rational(value.numerator, value.denominator)
    for name in _EXTRA_ASSUMPTIONS:
        if getattr(obj, "is_" + name, None) is True and getattr(number, "is_" + name, None) is not True:
            return False
    return True


def satisfies(value: Fraction, flags: Mapping[str, bool]) -> bool:
    """True when ``value`` meets the assumptions in ``flags``.

    Examples
    --------
    >>> satisfies(Fraction(-1), {"positive": True})
    False
    """
    return not ((flags.get("integer") and value.denominator != 1) or (flags.get("positive") and value <= 0)
                or (flags.get("nonnegative") and value < 0) or (flags.get("negative") and value >= 0)
                or (flags.get("nonpositive") and value > 0) or (flags.get("nonzero") and value == 0))


def unroll_sums(expr: sp.Basic) -> sp.Basic:
    """Write every sum with integer bounds out as its terms (an empty range gives 0).

    Examples
    --------
    >>> from sympy import IndexedBase, Sum, symbols
    >>> w = IndexedBase("w"); j, k = symbols("j k", integer=True)
    >>> unroll_sums(Sum(Sum(w[j, k], (k, 1, j)), (j, 1, 2)))
    w[1, 1] + w[2, 1] + w[2, 2]
    """
    def unroll_one(summation: sp.Sum) -> sp.Basic:
        *inner, (index, lower, upper) = summation.limits
        if not (lower.is_Integer and upper.is_Integer):
            return summation
        body = sp.Sum(summation.function, *inner) if inner else summation.function
        return sp.Add(*(body.xreplace({index: sp.Integer(v)}) for v in range(int(lower), int(upper) + 1)))

    previous = None
    while previous != expr and expr.has(sp.Sum):
        previous = expr
        expr = expr.replace(lambda e: isinstance(e, sp.Sum), unroll_one)
    return expr


def _limits(exprs: Iterable[sp.Basic]) -> dict[sp.Basic, tuple[sp.Basic, sp.Basic]]:
    found: dict[sp.Basic, tuple[sp.Basic, sp.Basic]] = {}
    for expr in exprs:
        for s in sorted(expr.atoms(sp.Sum, sp.Product), key=sp.default_sort_key):  # not by hash: deterministic
            for index, lower, upper in s.limits:
                found.setdefault(index, (lower, upper))
    return found


@dataclass(frozen=True)
class _Kink:
    argument: sp.Expr
    variable: sp.Basic          # a Symbol or an Indexed element (possibly with bound indices)
    slope: sp.Expr = sp.S.Zero
    offset: sp.Expr = sp.S.Zero
    roots: tuple[sp.Expr, ...] = ()   # for an argument in one variable that is not linear: its real roots


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


def kink_arguments(expr: sp.Basic) -> list[sp.Expr]:
    """Arguments whose sign switches a kinked function or a piecewise branch, or bounds a domain (poles).

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> kink_arguments(ReLU(sp.Symbol("h") - 1) + sp.Abs(sp.Symbol("x")))
    [x, h - 1]
    """
    found: list[sp.Expr] = []
    nodes: list[Any] = list(sp.preorder_traversal(expr))
    for f in nodes:
        if isinstance(f, (*KINKED, sp.Heaviside, sp.Abs, sp.sign, sp.log)):
            found.append(cast(Any, f).args[0])
        elif isinstance(f, (sp.Max, sp.Min)):
            found += [a - b for a, b in zip(f.args, f.args[1:])]
        elif isinstance(f, sp.Rel) and isinstance(f.lhs, sp.Expr) and isinstance(f.rhs, sp.Expr):
            found.append(f.lhs - f.rhs)
        elif isinstance(f, sp.Pow) and (f.exp.is_negative or not f.exp.is_integer):
            found.append(f.base)  # a pole, or the edge of the domain of a root: probe just either side
    return list(dict.fromkeys(found))


#: Kink arguments considered per claim, and their largest size (tree nodes): solving bigger ones is not cheap.
MAX_KINKS, MAX_KINK_NODES = 12, 60


def _small(expr: sp.Basic, limit: int) -> bool:
    """True when ``expr`` has fewer than ``limit`` nodes (stops counting at the limit)."""
    for n, _ in enumerate(sp.preorder_traversal(expr)):
        if n >= limit:
            return False
    return True


def _solve_linear(arg: sp.Expr, v: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """``(slope, offset)`` with ``arg = slope * v + offset`` and neither depending on ``v``, when there are."""
    offset, rest = arg.as_independent(v, as_Add=True)
    slope, factor = rest.as_independent(v, as_Add=False)
    if factor != v or slope == 0:
        return None
    return slope, offset


def _real_roots(arg: sp.Expr, v: sp.Symbol) -> tuple[sp.Expr, ...]:
    """A few real roots of ``arg`` in ``v``: exact ones of a polynomial, else those ``solveset`` finds quickly."""
    from derive.budget import run_with_budget

    def solve() -> tuple[sp.Expr, ...]:
        numerator = sp.numer(sp.together(arg)) if arg.is_rational_function(v) else arg
        if numerator.is_polynomial(v):
            poly = sp.Poly(numerator, v)
            if 1 <= poly.degree() <= 8 and (poly.degree() > 1 or numerator is not arg):
                return tuple(poly.real_roots())
            return ()
        found = sp.solveset(arg, v, sp.S.Reals).intersect(sp.Interval(-100, 100))
        return tuple(found) if isinstance(found, sp.FiniteSet) else ()

    try:
        outcome = run_with_budget(solve, 2.0)
    except Exception:  # noqa: BLE001 - a root finder that fails only loses probe points
        return ()
    roots = [r for r in (outcome.value or ()) if r.is_real]
    return tuple(sorted(roots, key=lambda r: (abs(float(r)), float(r)))[:6])


def _kinks(expr: sp.Basic, not_variables: set[sp.Basic], extra: list[sp.Expr] | None = None) -> list[_Kink]:
    out = []
    args = [a for a in [*kink_arguments(expr), *(extra or [])] if isinstance(a, sp.Expr) and _small(a, MAX_KINK_NODES)]
    for arg in args[:MAX_KINKS]:
        candidates = sorted(arg.atoms(sp.Indexed) | {s for s in arg.free_symbols if isinstance(s, sp.Symbol)
                                                    and s not in not_variables and not s.is_integer},
                            key=sp.default_sort_key)
        for v in candidates:
            if any(v in i.free_symbols for i in arg.atoms(sp.Indexed) if i != v):
                continue
            solved = _solve_linear(sp.expand(arg), v)
            if solved is not None:
                out.append(_Kink(arg, v, *solved))
                break
        else:
            if len(candidates) == 1 and isinstance(candidates[0], sp.Symbol) and arg.free_symbols == {candidates[0]}:
                roots = _real_roots(arg, candidates[0])
                if roots:
                    out.append(_Kink(arg, candidates[0], roots=roots))
    return out


@dataclass
class Point:
    """One point: the fixed values, the environment that evaluates it, and whether it sits on a kink."""

    env: Env
    on_kink: bool = False
    kink: sp.Expr | None = None


class PointSource:
    """The deterministic stream of points of one claim.

    Parameters
    ----------
    shape : ClaimShape
    seed : int
    sampler : callable, optional
        Values that satisfy a step's hypotheses (they override drawn values).
    point_cap : int
        Operations allowed for one evaluation of the claim at one point.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> src = PointSource(ClaimShape.of([sp.Abs(x)]), seed=1)
    >>> points = [next(src.points()) for _ in range(1)]
    >>> isinstance(points[0].env, Env)
    True
    """

    def __init__(self, shape: ClaimShape, seed: int, sampler: Sampler | None = None,
                 point_cap: int = 200_000, almost_everywhere: bool = False) -> None:
        self.shape = shape
        self.rng = np.random.default_rng(seed)
        self.sampler = sampler
        self.point_cap = point_cap
        self.almost_everywhere = almost_everywhere
        #: Under almost-everywhere semantics points exactly on a kink are excluded, so none is placed there.
        self.offsets = tuple(d for d in KINK_OFFSETS if d != 0) if almost_everywhere else KINK_OFFSETS
        self.large_sizes_ok = True
        #: Sizes above this are lowered to it; halved each time a point is too costly.
        self.size_cap = FAR_SIZE
        self._flags: dict[Any, dict[str, bool]] = {}
        self._probes: dict[Any, sp.Basic | None] = {}
        self._common: Fraction | None = None
        self._moderate = False

    def flags(self, key: Key) -> dict[str, bool]:
        """The assumptions of the value ``key`` (of its base, for an array element)."""
        owner = key[0] if isinstance(key, tuple) else key
        if owner not in self._flags:
            probe = owner[sp.Integer(1)] if isinstance(owner, sp.IndexedBase) else owner
            self._flags[owner] = _flags(probe)
        return self._flags[owner]

    def probe(self, key: Key) -> sp.Basic | None:
        """The object whose assumptions the value ``key`` must honour by rejection (odd, even, prime ...), or
        None when the sign and integer flags of :meth:`flags` already cover them (computed once per owner)."""
        owner = key[0] if isinstance(key, tuple) else key
        if owner not in self._probes:
            probe = owner[sp.Integer(1)] if isinstance(owner, sp.IndexedBase) else owner
            covered = set(self.flags(key)) | {"nonzero"}
            extra = [n for n in _EXTRA_ASSUMPTIONS if n not in covered and getattr(probe, "is_" + n, None) is True]
            self._probes[owner] = probe if extra else None
        return self._probes[owner]

    def draw_within_assumptions(self, key: Key) -> Fraction:
        """A fresh value for ``key`` from the full mixture (used when a counterexample is simplified)."""
        return self._draw(key)

    def _draw(self, key: Key) -> Fraction:
        flags, probe = self.flags(key), self.probe(key)
        if self._common is not None and satisfies(self._common, flags) and (probe is None
                                                                          or honours(self._common, probe)):
            return self._common
        for _ in range(64):  # rejection for assumptions beyond sign and integrality (odd, even, prime ...)
            value = draw_scalar(self.rng, flags, self._moderate)
            if probe is None or honours(value, probe):
                return value
        raise Unsupported(f"cannot draw a value with the assumptions of {probe}")

    def _sizes(self, n: int) -> dict[sp.Basic, Fraction]:
        out = {}
        for pos, s in enumerate(self.shape.sizes):
            small = [v for v in (*SMALL_SIZES, 0, *range(-1, -9, -1)) if honours(Fraction(v), s)]
            if not small:
                raise Unsupported(f"no size in -8..8 has the assumptions of {s}")
            order = list(np.random.default_rng(stable_seed(n // len(small), pos, str(s))).permutation(small))
            if n < len(small):
                value = int(order[n])
            elif n < len(small) + LARGE_DRAWS and self.large_sizes_ok and s.is_positive:
                # the largest size, then a random one (each within the size's assumptions)
                large = [v for v in range(LARGE_SIZES[1], LARGE_SIZES[0] - 1, -1) if honours(Fraction(v), s)]
                value = large[0] if n == len(small) or len(large) == 1 else int(self.rng.choice(large[1:]))
            elif n == len(small) + LARGE_DRAWS and self.large_sizes_ok and honours(Fraction(FAR_SIZE), s):
                value = FAR_SIZE
            else:
                value = int(self.rng.choice(small))
            out[s] = Fraction(min(value, self.size_cap) if value > 0 else value)
        return out

    def too_costly(self) -> None:
        """A point exceeded its cap: drop the large sizes, then halve the largest size tried."""
        if self.large_sizes_ok:
            self.large_sizes_ok = False
            self.size_cap = max(SMALL_SIZES)
        else:
            self.size_cap = max(1, self.size_cap // 2)

    def _indices(self, env: Env) -> bool:
        coincide = bool(self.rng.integers(0, 2))
        chosen: int | None = None
        for idx in self.shape.indices:
            lo = EXACT.to_int(compile_expr(as_basic(idx.lower))(env, EXACT))
            hi = EXACT.to_int(compile_expr(as_basic(idx.upper))(env, EXACT))
            if hi < lo:
                return False
            if coincide and chosen is not None and lo <= chosen <= hi:
                value = chosen
            else:
                value = int(self.rng.integers(lo, hi + 1))
            chosen = value if chosen is None else chosen
            env.values[idx] = Fraction(value)
            env.order.append(idx)
        return True

    def _fixed(self) -> dict[Key, Any]:
        if self.sampler is None:
            return {}
        fixed: dict[Key, Any] = {}
        for obj, value in self.sampler(self.rng).items():
            key: Key = obj
            if isinstance(obj, sp.Indexed) and all(i.is_Integer for i in obj.indices):
                key = (obj.base, tuple(int(i) for i in obj.indices))
            v = as_basic(value)
            fixed[key] = Fraction(int(v.p), int(v.q)) if isinstance(v, sp.Rational) else v
        return fixed

    def _place_kink(self, env: Env, n: int) -> tuple[bool, sp.Expr | None]:
        kinks = self.shape.kinks
        kink = kinks[(n // 4) % len(kinks)]
        delta = self.offsets[(n // (4 * len(kinks))) % len(self.offsets)]
        saved = dict(env.bound)
        try:
            for index in sorted(kink.argument.free_symbols & set(self.shape.limits), key=str):
                lower, upper = self.shape.limits[index]
                lo = EXACT.to_int(compile_expr(lower)(env, EXACT))
                hi = EXACT.to_int(compile_expr(upper)(env, EXACT))
                if hi < lo:
                    return False, None
                env.bound[index] = Fraction(int(self.rng.integers(lo, hi + 1)))
            v = kink.variable
            value: Any
            if kink.roots:
                root = kink.roots[(n // (4 * len(kinks) * len(self.offsets))) % len(kink.roots)]
                approx = sp.Rational(sp.N(root, 60))
                near = Fraction(int(approx.p), int(approx.q))
                if delta == 0:
                    value = Fraction(int(root.p), int(root.q)) if isinstance(root, sp.Rational) else root
                else:
                    value = near * (1 + delta) if near != 0 else delta
                if not satisfies(near * (1 + delta) if near != 0 else delta, self.flags(v)):
                    return False, None
                if key_is_taken := (v in env.values):
                    return False, None
                del key_is_taken
                env.values[v] = value
                env.order.append(v)
                env.pinned.add(v)
                return delta == 0, kink.argument
            slope = compile_expr(kink.slope)(env, EXACT)
            offset = compile_expr(kink.offset)(env, EXACT)
            if slope == 0:
                return False, None
            value = -offset / slope + delta / abs(slope)
            if isinstance(v, sp.Indexed):
                key: Key = (v.base, tuple(EXACT.to_int(compile_expr(i)(env, EXACT)) for i in v.indices))
            else:
                key = v
            if not satisfies(value, self.flags(key)) or key in env.values:
                return False, None
            env.values[key] = value
            env.order.append(key)
            env.pinned.add(key)
            return delta == 0, kink.argument
        except ArithmeticError:
            return False, None
        finally:
            env.bound.clear()
            env.bound.update(saved)

    def points(self) -> Iterator[Point]:
        """Yield points forever (the caller decides how many it needs)."""
        n = 0
        while True:
            # The first points give every value one common value (0, 1, -1, 2, 1/2, then a random one), so
            # claims that fail where variables coincide or vanish are caught; then values are independent.
            self._common = (COMMON_VALUES[n] if n < len(COMMON_VALUES) else
                            draw_scalar(self.rng, {}) if n == len(COMMON_VALUES) else None)
            self._moderate = n % 2 == 1
            env = Env({}, self._draw, cap=self.point_cap)
            env.values.update(self._sizes(n))
            env.order.extend(self.shape.sizes)
            for key, value in self._fixed().items():
                if key not in env.values:
                    env.order.append(key)
                env.values[key] = value
                env.pinned.add(key)
            try:
                ok = self._indices(env)
            except ArithmeticError:
                ok = False
            if not ok:
                n += 1
                continue
            on_kink, kink = False, None
            if self.shape.kinks and n % 4 == 3:
                on_kink, kink = self._place_kink(env, n)
            yield Point(env, on_kink, kink)
            n += 1


__all__ = ["KINK_OFFSETS", "ClaimShape", "Point", "PointSource", "Sampler", "claim_seed", "draw_scalar",
           "kink_arguments", "satisfies", "stable_seed", "unroll_sums"]
