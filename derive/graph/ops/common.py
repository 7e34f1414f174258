"""Helpers shared by the operator classes: static parameters and shape checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from ...errors import ShapeError
from ..array import Shape


def pair(value: Any, name: str) -> sp.Tuple:
    """A static pair of positive or non-negative integers, from an int or a pair.

    Examples
    --------
    >>> pair(2, "stride"), pair((1, 3), "padding")
    ((2, 2), (1, 3))
    """
    if isinstance(value, sp.Tuple):
        value = tuple(int(v) for v in value)
    values = (value, value) if isinstance(value, (int, sp.Integer)) else tuple(value)
    if len(values) != 2 or not all(isinstance(v, (int, sp.Integer)) and not isinstance(v, bool) for v in values):
        raise ShapeError(f"{name} must be an integer or a pair of integers, got {value!r}", name=name)
    return sp.Tuple(*(sp.Integer(int(v)) for v in values))


def ints(value: sp.Basic) -> tuple[int, ...]:
    """A static tuple as Python integers."""
    return tuple(int(v) for v in value)  # type: ignore[attr-defined, call-overload]


def concrete(shape: Shape) -> bool:
    """True when every size is a number."""
    return all(s.is_Integer for s in shape)


def out_size(n: sp.Expr, k: int, s: int, p: int, d: int, what: str) -> sp.Expr:
    """PyTorch's output size ``⌊(n + 2p − d(k−1) − 1)/s⌋ + 1``, refused when it is not positive."""
    size = sp.floor((n + 2 * p - d * (k - 1) - 1) / sp.Integer(s)) + 1
    if size.is_Integer and size < 1:
        raise ShapeError(f"{what}: an input of size {n} gives an output of size {size} (kernel {k}, stride {s}, "
                         f"padding {p}, dilation {d})", shape=(int(size),))
    if size.is_positive is False:
        raise ShapeError(f"{what}: the output size {size} is not positive")
    return size


def dims(shape: Shape, allowed: Sequence[int], what: str) -> int:
    """The number of axes, refused unless it is one of ``allowed``."""
    if len(shape) not in allowed:
        raise ShapeError(f"{what} takes an array of {' or '.join(map(str, allowed))} axes, got shape "
                         f"{tuple(shape)}", shape=tuple(shape))  # type: ignore[arg-type]
    return len(shape)


def operand(printer: Any, arg: sp.Basic) -> str:
    """An operand, parenthesised unless it is a symbol or an applied function."""
    text = str(printer._print(arg))
    return text if isinstance(arg, (sp.Symbol, sp.Function)) else f"\\left({text}\\right)"


def settings(**values: tuple[int, ...] | int) -> str:
    """The non-default settings of a layer, as a subscript ``{s=2, p=1}`` (empty when all are defaults)."""
    default = {"s": 1, "p": 0, "d": 1}
    shown = []
    for key, value in values.items():
        flat = value if isinstance(value, int) else (value[0] if len(set(value)) == 1 else value)
        if flat != default.get(key):
            shown.append(f"{key}={flat if isinstance(flat, int) else ','.join(map(str, flat))}")
    return "_{" + ", ".join(shown) + "}" if shown else ""
