r"""The points at which a claim is tried: sizes, indices and values chosen to find counterexamples.

A point fixes every symbolic size (the bounds of sums), every free index, and every scalar the claim
mentions. Scalars are drawn lazily, when the evaluation first needs them, from a mixture
(:func:`~derive.verify.sampling.draw_scalar`): special values (0, ±1, small integers), rationals with small
and with huge denominators, magnitudes from :math:`10^{-6}` to :math:`10^{6}`, and integers, always within the
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

The seed comes from the canonical form of the parsed claim (:func:`~derive.verify.sampling.claim_seed`), so
the text's spacing cannot change the points; the values come from :mod:`derive.verify.sampling`, the kinks from
:mod:`derive.verify.kinks`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from derive.coerce import as_basic
from derive.verify.arithmetic import Unsupported
from derive.verify.claim_shape import ClaimShape
from derive.verify.evaluate import EXACT, Env, Key, compile_expr
from derive.verify.sampling import _EXTRA_ASSUMPTIONS, Sampler, _flags, draw_scalar, honours, satisfies, stable_seed

#: Offsets from a kink: exactly at it, just either side, and a band around it.
KINK_OFFSETS: tuple[Fraction, ...] = (Fraction(0), Fraction(1, 10**9), Fraction(-1, 10**9), Fraction(1, 1000),
                                      Fraction(-1, 1000), Fraction(1, 8), Fraction(-1, 8))
#: Sizes every claim is tried at, and how many random sizes in :data:`LARGE_SIZES` follow them.
SMALL_SIZES, LARGE_SIZES, LARGE_DRAWS = range(1, 9), (9, 64), 2
#: A size far beyond the others, tried once after them when one point at it is affordable.
FAR_SIZE = 200
#: The common values of the first points (see :meth:`PointSource.points`).
COMMON_VALUES = tuple(Fraction(v) for v in (0, 1, -1, 2, Fraction(1, 2), -2))


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



__all__ = ["COMMON_VALUES", "FAR_SIZE", "KINK_OFFSETS", "Point", "PointSource"]
