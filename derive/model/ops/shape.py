"""Reshaping and whole-array reductions: ``flatten``, ``sum`` and the broadcast that is its VJP."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model import kernels
from derive.model.array import ArrayOp, Shape, numel, same_shape, shape_of
from derive.model.ops.common import operand


class Reshape(ArrayOp):
    r"""``x`` with a new shape of as many entries (C order). ``flatten`` is a reshape.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> Reshape(Array("x", (2, 3, 4, 4)), (2, 48)).shape
    (2, 48)
    """

    lemma = "flatten"
    n_arrays = 1

    def shape_rule(self, x: Shape) -> Shape:  # type: ignore[override]
        target = tuple(self.args[1])
        if not same_shape((numel(x),), (numel(target),)):  # type: ignore[arg-type]
            raise ShapeError(f"cannot reshape {tuple(x)} to {target}", shape=None)
        return target  # type: ignore[return-value]

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return Reshape(cotangent, sp.Tuple(*shape_of(self.args[0])))
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any) -> Any:
        return kernels.reshape(x, tuple(int(s) for s in self.args[1]))  # type: ignore[attr-defined]

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "reshape", {"shape": tuple(int(s) for s in self.args[1])}  # type: ignore[attr-defined]

    def _latex(self, printer: Any) -> str:
        shape = "\\times ".join(str(printer._print(s)) for s in self.args[1])
        return f"\\operatorname{{reshape}}_{{{shape}}}\\left({printer._print(self.args[0])}\\right)"


class Total(ArrayOp):
    r"""The sum of every entry (shape ``()``); ``mean`` is ``Total(x)/numel``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> from derive.printing.latex import latex
    >>> t = Total(Array("x", (2, 3)))
    >>> t.shape, latex(t)
    ((), '\\textstyle\\sum x')
    """

    lemma = "sum"
    n_arrays = 1

    def shape_rule(self, x: Shape) -> Shape:  # type: ignore[override]
        return ()

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return Broadcast(cotangent, sp.Tuple(*shape_of(self.args[0])))
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any) -> Any:
        return kernels.total(x)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "total", {}

    def _latex(self, printer: Any) -> str:
        return f"\\textstyle\\sum {operand(printer, self.args[0])}"


class Broadcast(ArrayOp):
    r"""A shape-``()`` value repeated over a shape, printed ``g \mathbf{1}``: the VJP of :class:`Total`.

    Examples
    --------
    >>> Broadcast(sp.Symbol("g"), (2, 3)).shape
    (2, 3)
    """

    lemma = "broadcast"
    n_arrays = 1

    def shape_rule(self, g: Shape) -> Shape:  # type: ignore[override]
        if g != ():
            raise ShapeError(f"only a scalar broadcasts, got shape {tuple(g)}")
        return tuple(self.args[1])  # type: ignore[return-value]

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return Total(cotangent)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, g: Any) -> Any:
        return kernels.broadcast(g, tuple(int(s) for s in self.args[1]))  # type: ignore[attr-defined]

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "broadcast", {"shape": tuple(int(s) for s in self.args[1])}  # type: ignore[attr-defined]

    def _latex(self, printer: Any) -> str:
        return f"{operand(printer, self.args[0])}\\,\\mathbf{{1}}"
