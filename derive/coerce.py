"""Turn Python numbers into SymPy objects without ever parsing a string."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.matrices import MatrixBase


def as_basic(value: Any) -> sp.Basic:
    """Return ``value`` as a SymPy object; strings are refused, never parsed.

    Examples
    --------
    >>> as_basic(3), as_basic(Fraction(1, 2)), as_basic(0.5)
    (3, 1/2, 0.500000000000000)
    >>> as_basic("x")
    Traceback (most recent call last):
    ...
    TypeError: refusing to convert str to a SymPy object; build it with SymPy
    """
    if isinstance(value, (sp.Basic, MatrixBase)):
        return value
    if isinstance(value, bool):
        return sp.true if value else sp.false
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sp.Float(value)
    if isinstance(value, (tuple, list)):
        return sp.Tuple(*(as_basic(v) for v in value))
    raise TypeError(f"refusing to convert {type(value).__name__} to a SymPy object; build it with SymPy")
