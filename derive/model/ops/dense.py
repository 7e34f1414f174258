"""The fully connected layer ``linear(a, W) = a Wᵀ``, as PyTorch's ``linear`` (its bias is a ChannelBias)."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model import kernels
from derive.model.array import ArrayOp, Shape, same_shape
from derive.model.ops.common import dims, operand


class Linear(ArrayOp):
    r"""``a Wᵀ`` for ``a`` of shape (F,) or (N, F) and ``W`` of shape (O, F).

    Examples
    --------
    >>> from derive.model.array import Array
    >>> from derive.printing.latex import latex
    >>> y = Linear(Array("a", (5, 3)), Array("W", (2, 3), "param"))
    >>> y.shape, latex(y)
    ((5, 2), 'a W^{\\top}')
    """

    lemma = "linear"
    n_arrays = 2

    def shape_rule(self, a: Shape, w: Shape) -> Shape:  # type: ignore[override]
        dims(a, (1, 2), "linear")
        dims(w, (2,), "a linear weight")
        if not same_shape((a[-1],), (w[1],)):
            raise ShapeError(f"linear: {a[-1]} input features but the weight expects {w[1]}", name="weight")
        return (*a[:-1], w[0])

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        a, w = self.arrays
        if argindex == 1:
            return LinearGradInput(cotangent, w)
        if argindex == 2:
            return LinearGradWeight(cotangent, a)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, a: Any, w: Any) -> Any:
        return kernels.linear(a, w)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "linear", {}

    def _latex(self, printer: Any) -> str:
        return f"{operand(printer, self.args[0])} {operand(printer, self.args[1])}^{{\\top}}"


class LinearGradInput(ArrayOp):
    r"""The VJP of :class:`Linear` in ``a``: ``g W``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> LinearGradInput(Array("g", (5, 2)), Array("W", (2, 3), "param")).shape
    (5, 3)
    """

    n_arrays = 2

    def shape_rule(self, g: Shape, w: Shape) -> Shape:  # type: ignore[override]
        return (*g[:-1], w[1])

    def evaluate(self, arith: Any, g: Any, w: Any) -> Any:
        return kernels.linear_grad_input(g, w)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "linear_grad_input", {}

    def _latex(self, printer: Any) -> str:
        return f"{operand(printer, self.args[0])} {operand(printer, self.args[1])}"


class LinearGradWeight(ArrayOp):
    r"""The VJP of :class:`Linear` in ``W``: ``gᵀ a``, summed over the batch.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> LinearGradWeight(Array("g", (5, 2)), Array("a", (5, 3))).shape
    (2, 3)
    """

    n_arrays = 2

    def shape_rule(self, g: Shape, a: Shape) -> Shape:  # type: ignore[override]
        return (g[-1], a[-1])

    def evaluate(self, arith: Any, g: Any, a: Any) -> Any:
        return kernels.linear_grad_weight(g, a)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "linear_grad_weight", {}

    def _latex(self, printer: Any) -> str:
        return f"{operand(printer, self.args[0])}^{{\\top}} {operand(printer, self.args[1])}"
