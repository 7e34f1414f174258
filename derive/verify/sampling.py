"""The values a claim is tried at: seeds from the claim, and scalars drawn from a mixture within assumptions.

:func:`draw_scalar` draws special values (0, ±1, small integers), rationals with small and with huge
denominators, magnitudes from :math:`10^{-6}` to :math:`10^{6}`, and integers, always within the symbol's
assumptions (positive, nonnegative, integer); :func:`honours` checks the assumptions drawn values meet by
rejection (odd, even, prime ...). The seed comes from the canonical form of the parsed claim
(:func:`claim_seed`), so the text's spacing cannot change the points (:mod:`derive.verify.points`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping
from fractions import Fraction

import numpy as np
import sympy as sp

#: A custom sampler returns values for some symbols that satisfy a step's hypotheses.
Sampler = Callable[[np.random.Generator], Mapping[sp.Basic, sp.Basic]]
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



__all__ = ["Sampler", "claim_seed", "draw_scalar", "honours", "satisfies", "stable_seed", "unroll_sums"]
