"""Helpers shared by the operator classes: static parameters and shape checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model.array import Shape


def pair(value: Any, name: str) -> sp.Tuple:
    """A static pair of positive or non-negative integers, from an int or a pair.

    Examples
    --------
    >>> pair(2, "stride"), pair((1, 3), "padding")
    ((2, 2), (1, 3))
    """
    def integer(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        return isinstance(v, int) or (isinstance(v, sp.Expr) and v.is_integer is True)

    values = (value, value) if integer(value) else tuple(value) if isinstance(value, (tuple, list, sp.Tuple)) else ()
    if len(values) != 2 or not all(integer(v) for v in values):
        raise ShapeError(f"{name} must be an integer or a pair of integers, got {value!r}", name=name)
    return sp.Tuple(*(sp.Integer(v) if isinstance(v, int) else v for v in values))


def ints(value: sp.Basic) -> tuple[Any, ...]:
    """A static tuple as Python integers (a symbolic size stays a SymPy expression until sizes are known)."""
    return tuple(int(v) if v.is_Integer else v for v in value)  # type: ignore[attr-defined]


def concrete(shape: Shape) -> bool:
    """True when every size is a number."""
    return all(s.is_Integer for s in shape)


def out_size(n: sp.Expr, k: Any, s: Any, p: Any, d: Any, what: str) -> sp.Expr:
    """PyTorch's output size ``⌊(n + 2p − d(k−1) − 1)/s⌋ + 1``, refused when it is not positive."""
    span = n + 2 * p - d * (k - 1) - 1
    size = sp.floor(span / (sp.Integer(s) if isinstance(s, int) else s)) + 1
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


def settings(printer: Any = None, **values: Any) -> str:
    """The non-default settings of a layer, as a subscript ``{s=2, p=1}`` (empty when all are defaults).

    Examples
    --------
    >>> settings(s=(2, 2), p=(1, 0), d=(1, 1))
    '_{s=2, p=1,0}'
    """
    default = {"s": 1, "p": 0, "d": 1}
    show = (lambda v: str(printer._print(v))) if printer is not None else str
    shown = []
    for key, value in values.items():
        items = tuple(value) if isinstance(value, (tuple, list, sp.Tuple)) else (value,)
        flat = items if len(set(items)) > 1 else items[:1]
        if flat != (default.get(key),) and flat != (sp.Integer(default.get(key, -1)),):
            shown.append(f"{key}={','.join(show(v) for v in flat)}")
    return "_{" + ", ".join(shown) + "}" if shown else ""
