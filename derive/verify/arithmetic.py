r"""The two arithmetics that decide a claim at a point: exact rationals and certified intervals.

Both expose the same small vocabulary of operations (``add``, ``mul``, ``inv``, ``exp``, ``indicator`` ...),
so an operator class describes its value once, in terms of these operations, and is evaluated in either
arithmetic (see :mod:`derive.verify.evaluate`).

* :class:`Exact` computes with :class:`fractions.Fraction`. An operation whose result is not rational
  (``exp(1)``, ``sqrt(2)``) raises :class:`NotExact`, and so does a result with more than
  :data:`MAX_BITS` bits, so no exact evaluation can run away on huge integers.
* :class:`Interval` computes with mpmath's interval arithmetic (``mpmath.iv``) at a given precision: every
  value is an enclosure of the true value. A question that the enclosure cannot settle (is this
  interval positive?) raises :class:`Undecided`; the caller raises the precision and tries again.

A point outside the domain of a side (division by zero, the logarithm of a non-positive number, a
non-integer power of a negative number) raises :class:`Undefined` in both arithmetics: the point is
excluded from the claim's domain and replaced.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import mpmath
from mpmath import iv

from derive.errors import DeriveError

#: Largest argument of exp and of the trigonometric functions evaluated in interval arithmetic.
HUGE = 10**15

#: Largest numerator or denominator, in bits, of an exact intermediate value; beyond it the value is
#: computed in interval arithmetic instead (a cap that keeps exact arithmetic from hanging).
MAX_BITS = 1 << 15


class Undefined(ArithmeticError):
    """The point is outside the domain of an expression (division by zero, log of a non-positive number)."""


class Undecided(ArithmeticError):
    """The interval enclosure is too wide to answer a question about the value; raise the precision."""


class NotExact(ArithmeticError):
    """The value is not a (reasonably sized) rational: exact arithmetic cannot represent it."""


class Unsupported(DeriveError, ArithmeticError):
    """The expression contains an object that the evaluators do not know (an undefined function, ``oo``)."""


def _check_size(q: Fraction) -> Fraction:
    if q.numerator.bit_length() > MAX_BITS or q.denominator.bit_length() > MAX_BITS:
        raise NotExact("exact value too large")
    return q


def _perfect_root(n: int, k: int) -> int | None:
    if n < 0:
        return None
    r = round(n ** (1.0 / k)) if n.bit_length() < 1000 else _int_root(n, k)
    for c in (r - 1, r, r + 1):
        if c >= 0 and c**k == n:
            return c
    return None


def _int_root(n: int, k: int) -> int:
    lo, hi = 0, 1 << (n.bit_length() // k + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid**k <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def lower(a: Any) -> Any:
    """The lower end of an enclosure, as an mpf (not rounded)."""
    return mpmath.mp.make_mpf(a._mpi_[0])


def upper(a: Any) -> Any:
    """The upper end of an enclosure, as an mpf (not rounded)."""
    return mpmath.mp.make_mpf(a._mpi_[1])


def _lo(a: Any) -> Any:
    return mpmath.mp.make_mpf(a._mpi_[0])


def _hi(a: Any) -> Any:
    return mpmath.mp.make_mpf(a._mpi_[1])


class Exact:
    """Exact rational arithmetic on :class:`~fractions.Fraction` values.

    Examples
    --------
    >>> from fractions import Fraction
    >>> E = Exact()
    >>> E.add(E.number(Fraction(1, 3)), E.number(Fraction(1, 6)))
    Fraction(1, 2)
    >>> E.sqrt(Fraction(9, 4))
    Fraction(3, 2)
    >>> E.exp(Fraction(1))
    Traceback (most recent call last):
    ...
    derive.verify.arithmetic.NotExact: exp of a non-zero rational is irrational
    """

    name = "exact"
    exact = True

    def number(self, q: Fraction) -> Fraction:
        """The rational ``q``."""
        return q

    def constant(self, name: str) -> Fraction:
        """A named constant (``pi``, ``E``): never rational."""
        raise NotExact(f"{name} is irrational")

    def add(self, a: Fraction, b: Fraction) -> Fraction:
        """``a + b``."""
        return _check_size(a + b)

    def mul(self, a: Fraction, b: Fraction) -> Fraction:
        """``a * b``."""
        return _check_size(a * b)

    def neg(self, a: Fraction) -> Fraction:
        """``-a``."""
        return -a

    def inv(self, a: Fraction) -> Fraction:
        """``1 / a``; :class:`Undefined` at 0."""
        if a == 0:
            raise Undefined("division by zero")
        return 1 / a

    def pow_int(self, a: Fraction, n: int) -> Fraction:
        """``a ** n`` for an integer ``n``, refused (NotExact) when the result would be huge."""
        if n < 0:
            return self.pow_int(self.inv(a), -n)
        if a in (0, 1) or n in (0, 1):
            return a**n
        if n * max(a.numerator.bit_length(), a.denominator.bit_length()) > MAX_BITS:
            raise NotExact("exact power too large")
        return a**n

    def pow(self, a: Fraction, b: Fraction) -> Fraction:
        """``a ** b`` over the reals: a rational root when there is one."""
        if b.denominator == 1:
            return self.pow_int(a, int(b))
        if a < 0:
            raise Undefined("non-integer power of a negative number")
        if a == 0:
            if b > 0:
                return Fraction(0)
            raise Undefined("negative power of zero")
        k = b.denominator
        num, den = _perfect_root(a.numerator, k), _perfect_root(a.denominator, k)
        if num is None or den is None:
            raise NotExact("irrational root")
        return self.pow_int(Fraction(num, den), b.numerator)

    def sqrt(self, a: Fraction) -> Fraction:
        """The square root, when it is rational."""
        return self.pow(a, Fraction(1, 2))

    def exp(self, a: Fraction) -> Fraction:
        """``exp(a)``: rational only at 0."""
        if a == 0:
            return Fraction(1)
        raise NotExact("exp of a non-zero rational is irrational")

    def log(self, a: Fraction) -> Fraction:
        """``log(a)``: :class:`Undefined` for ``a <= 0``; rational only at 1."""
        if a <= 0:
            raise Undefined("logarithm of a non-positive number")
        if a == 1:
            return Fraction(0)
        raise NotExact("log of a rational other than 1 is irrational")

    def elementary(self, name: str, a: Fraction) -> Fraction:
        """Other elementary functions: their rational values at 0 (and domain checks)."""
        if name in ("asin", "acos", "atanh") and (abs(a) > 1 or (name == "atanh" and abs(a) == 1)):
            raise Undefined(f"{name} outside its domain")
        if name == "acosh" and a < 1:
            raise Undefined("acosh outside its domain")
        zero_at_zero = {"sin", "tan", "sinh", "tanh", "asin", "atan", "asinh", "atanh", "erf"}
        if a == 0 and name in zero_at_zero:
            return Fraction(0)
        if a == 0 and name in ("cos", "cosh"):
            return Fraction(1)
        if a == 1 and name in ("acos", "acosh"):
            return Fraction(0)
        raise NotExact(f"{name} of a rational is irrational here")

    def abs(self, a: Fraction) -> Fraction:
        """``|a|``."""
        return abs(a)

    def max(self, a: Fraction, b: Fraction) -> Fraction:
        """``max(a, b)``."""
        return max(a, b)

    def min(self, a: Fraction, b: Fraction) -> Fraction:
        """``min(a, b)``."""
        return min(a, b)

    def sign(self, a: Fraction) -> int:
        """-1, 0 or 1."""
        return (a > 0) - (a < 0)

    def floor(self, a: Fraction) -> Fraction:
        """The largest integer not above ``a``."""
        return Fraction(math.floor(a))

    def to_int(self, a: Fraction) -> int:
        """``a`` as an int; :class:`Unsupported` when it is not an integer (an index or a bound)."""
        if a.denominator != 1:
            raise Unsupported(f"an index or a bound evaluates to the non-integer {a}")
        return int(a)


class Interval:
    """Certified enclosures in mpmath's interval arithmetic, at ``prec`` bits.

    Examples
    --------
    >>> from fractions import Fraction
    >>> I = Interval(200)
    >>> third = I.number(Fraction(1, 3))
    >>> I.sign(I.add(third, I.number(Fraction(-1, 4))))
    1
    >>> I.sign(I.exp(I.number(Fraction(-400))))
    1
    """

    name = "interval"
    exact = False

    def __init__(self, prec: int) -> None:
        self.prec = prec

    def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        old = iv.prec
        iv.prec = self.prec
        try:
            return fn(*args)
        finally:
            iv.prec = old

    def number(self, q: Fraction) -> Any:
        """An enclosure of the rational ``q``."""
        return self._run(lambda: iv.mpf(q.numerator) / iv.mpf(q.denominator))

    def constant(self, name: str) -> Any:
        """An enclosure of ``pi`` or ``E``."""
        table = {"pi": lambda: +iv.pi, "E": lambda: +iv.e}
        if name not in table:
            raise Unsupported(f"the constant {name}")
        return self._run(table[name])

    def add(self, a: Any, b: Any) -> Any:
        """``a + b``."""
        return self._run(lambda: a + b)

    def mul(self, a: Any, b: Any) -> Any:
        """``a * b``."""
        return self._run(lambda: a * b)

    def neg(self, a: Any) -> Any:
        """``-a``."""
        return self._run(lambda: -a)

    def inv(self, a: Any) -> Any:
        """``1 / a``: :class:`Undefined` at exactly 0, :class:`Undecided` when the enclosure contains 0."""
        s = self._sign_or_none(a)
        if s == 0:
            raise Undefined("division by zero")
        if s is None:
            raise Undecided("the divisor's enclosure contains 0")
        return self._run(lambda: 1 / a)

    def pow_int(self, a: Any, n: int) -> Any:
        """``a ** n`` for an integer ``n``."""
        if n < 0:
            return self.pow_int(self.inv(a), -n)
        return self._run(lambda: a**n)

    def pow(self, a: Any, b: Any) -> Any:
        """``a ** b`` over the reals, for a non-integer or interval exponent: ``exp(b log a)``."""
        s = self._sign_or_none(a)
        if s == 0:
            if self.sign(b) > 0:
                return self.number(Fraction(0))
            raise Undefined("non-positive power of zero")
        if s is None:
            raise Undecided("the base's enclosure contains 0")
        if s < 0:
            raise Undefined("non-integer power of a negative number")
        return self.exp(self.mul(b, self.log(a)))

    def sqrt(self, a: Any) -> Any:
        """The square root: :class:`Undefined` below 0."""
        s = self._sign_or_none(a)
        if s is not None and s < 0:
            raise Undefined("square root of a negative number")
        if s == 0:
            return self.number(Fraction(0))
        if s is None:
            raise Undecided("the radicand's enclosure contains 0")
        return self._run(lambda: iv.sqrt(a))

    def exp(self, a: Any) -> Any:
        """``exp(a)``; :class:`Undecided` beyond ``|a| > 10^15`` (the result would not fit any precision)."""
        if self.magnitude(a) > HUGE:
            raise Undecided("exp of a huge argument")
        return self._run(lambda: iv.exp(a))

    def log(self, a: Any) -> Any:
        """``log(a)``: :class:`Undefined` for ``a <= 0``."""
        s = self._sign_or_none(a)
        if s is not None and s <= 0:
            raise Undefined("logarithm of a non-positive number")
        if s is None:
            raise Undecided("the argument's enclosure contains 0")
        return self._run(lambda: iv.log(a))

    def _monotone(self, fn: Callable[[Any], Any], a: Any, increasing: bool) -> Any:
        """A monotone function on the endpoints, evaluated with guard bits and widened outwards."""
        with mpmath.workprec(self.prec + 30):
            lo, hi = fn(_lo(a)), fn(_hi(a))
            if not increasing:
                lo, hi = hi, lo
            slack = mpmath.ldexp(1, -self.prec)
            lo = lo - abs(lo) * slack - mpmath.ldexp(1, -10 * self.prec)
            hi = hi + abs(hi) * slack + mpmath.ldexp(1, -10 * self.prec)
        return self._run(lambda: iv.mpf([lo, hi]))

    def elementary(self, name: str, a: Any) -> Any:
        """sin, cos, tan, sinh, cosh, tanh, asin, acos, atan, asinh, acosh, atanh and erf."""
        one = self.number(Fraction(1))
        if name in ("sin", "cos", "tan", "sinh", "cosh", "tanh") and self.magnitude(a) > HUGE:
            raise Undecided(f"{name} of a huge argument")
        if name in ("sin", "cos", "tan"):
            return self._run(lambda: getattr(iv, name)(a))
        if name == "erf":
            return self._monotone(mpmath.erf, a, True)
        if name in ("sinh", "cosh"):
            e, f = self.exp(a), self.exp(self.neg(a))
            both = self.add(e, f if name == "cosh" else self.neg(f))
            return self.mul(both, self.number(Fraction(1, 2)))
        if name == "tanh":  # 1 - 2 / (exp(2a) + 1), monotone in exp(2a): a tight enclosure
            t = self.exp(self.mul(self.number(Fraction(2)), a))
            return self.add(one, self.neg(self.mul(self.number(Fraction(2)), self.inv(self.add(t, one)))))
        domain = {"asin": (-1, 1), "acos": (-1, 1), "atanh": (-1, 1), "acosh": (1, None)}
        if name in domain:
            lo, hi = domain[name]
            open_ends = name == "atanh"
            a_lo, a_hi = _lo(a), _hi(a)
            below = a_hi < lo or (open_ends and a_hi <= lo)
            above = hi is not None and (a_lo > hi or (open_ends and a_lo >= hi))
            if below or above:
                raise Undefined(f"{name} outside its domain")
            if a_lo < lo or (hi is not None and a_hi > hi) or (open_ends and (a_lo <= lo or a_hi >= hi)):
                raise Undecided(f"the enclosure reaches outside the domain of {name}")
        fns = {"asin": (mpmath.asin, True), "acos": (mpmath.acos, False), "atan": (mpmath.atan, True),
               "asinh": (mpmath.asinh, True), "acosh": (mpmath.acosh, True), "atanh": (mpmath.atanh, True)}
        if name not in fns:
            raise Unsupported(f"the function {name}")
        fn, increasing = fns[name]
        return self._monotone(fn, a, increasing)

    def abs(self, a: Any) -> Any:
        """``|a|``."""
        return self._run(lambda: abs(a))

    def max(self, a: Any, b: Any) -> Any:
        """``max(a, b)``, endpoint by endpoint."""
        return self._run(lambda: iv.mpf([max(_lo(a), _lo(b)), max(_hi(a), _hi(b))]))

    def min(self, a: Any, b: Any) -> Any:
        """``min(a, b)``, endpoint by endpoint."""
        return self._run(lambda: iv.mpf([min(_lo(a), _lo(b)), min(_hi(a), _hi(b))]))

    def _sign_or_none(self, a: Any) -> int | None:
        lo, hi = _lo(a), _hi(a)
        if mpmath.isnan(lo) or mpmath.isnan(hi):
            return None
        if lo > 0:
            return 1
        if hi < 0:
            return -1
        if lo == 0 and hi == 0:
            return 0
        return None

    def sign(self, a: Any) -> int:
        """-1, 0 or 1 when the enclosure settles it, else :class:`Undecided`."""
        s = self._sign_or_none(a)
        if s is None:
            raise Undecided("the enclosure contains 0")
        return s

    def floor(self, a: Any) -> Any:
        """The floor, when both ends of the enclosure have the same one."""
        lo, hi = mpmath.floor(_lo(a), prec=0), mpmath.floor(_hi(a), prec=0)  # exact, not at 53 bits
        if lo != hi:
            raise Undecided("the enclosure straddles an integer")
        return self._run(lambda: iv.mpf(lo))

    def to_int(self, a: Any) -> int:
        """``a`` as an int, when the enclosure is one integer."""
        lo, hi = _lo(a), _hi(a)
        if lo == hi and mpmath.isint(lo):
            return int(lo)
        raise Unsupported("an index or a bound is not an exact integer")

    def width(self, a: Any) -> Any:
        """The width of the enclosure (an mpf)."""
        return _hi(a) - _lo(a)

    def magnitude(self, a: Any) -> Any:
        """The largest absolute value in the enclosure (an mpf)."""
        return max(abs(_lo(a)), abs(_hi(a)))


__all__ = ["MAX_BITS", "Exact", "Interval", "NotExact", "Undecided", "Undefined", "Unsupported"]
