"""Max and average pooling, as PyTorch's ``max_pool2d`` and ``avg_pool2d``."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.model import kernels
from derive.model.array import ArrayOp, Shape, shape_of
from derive.model.ops.common import dims, ints, operand, out_size, settings


def _pooled(x: Shape, params: tuple[sp.Basic, ...], what: str) -> Shape:
    dims(x, (2, 3, 4), what)
    (kh, kw), (sh, sw), (ph, pw) = (ints(p) for p in params)
    for k, p in ((kh, ph), (kw, pw)):
        if 2 * p > k:
            from derive.errors import ShapeError
            raise ShapeError(f"{what}: padding {p} must be at most half the kernel size {k}", name="padding")
    return (*x[:-2], out_size(x[-2], kh, sh, ph, 1, what), out_size(x[-1], kw, sw, pw, 1, what))


class MaxPool2d(ArrayOp):
    r"""``max_pool2d(x, kernel, stride, padding)``: the largest entry of each window (padding with −∞).

    Examples
    --------
    >>> from derive.model.array import Array
    >>> MaxPool2d(Array("x", (2, 3, 8, 8)), (2, 2), (2, 2), (0, 0)).shape
    (2, 3, 4, 4)
    """

    lemma = "max_pool2d"
    n_arrays = 1

    def shape_rule(self, x: Shape) -> Shape:  # type: ignore[override]
        return _pooled(x, self.params, "max_pool2d")

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return MaxPool2dGrad(cotangent, self.args[0], *self.params)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any) -> Any:
        k, s, p = (ints(q) for q in self.params)
        return kernels.max_pool2d(x, k, s, p, ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "max_pool2d", dict(zip(("kernel", "stride", "padding"), (ints(p) for p in self.params)))

    def _latex(self, printer: Any) -> str:
        k, s, p = (ints(q) for q in self.params)
        head = f"\\operatorname{{maxpool}}_{{{k[0]}\\times{k[1]}}}{settings(None, s=s, p=p)}"
        return f"{head}\\left({printer._print(self.args[0])}\\right)"


class MaxPool2dGrad(ArrayOp):
    r"""The VJP of :class:`MaxPool2d`: each cotangent routed to the first maximum of its window.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> MaxPool2dGrad(Array("g", (4, 4)), Array("x", (8, 8)), (2, 2), (2, 2), (0, 0)).shape
    (8, 8)
    """

    n_arrays = 2

    def shape_rule(self, g: Shape, x: Shape) -> Shape:  # type: ignore[override]
        return x

    def evaluate(self, arith: Any, g: Any, x: Any) -> Any:
        k, s, p = (ints(q) for q in self.params)
        return kernels.max_pool2d_grad(g, x, k, s, p, ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "max_pool2d_grad", dict(zip(("kernel", "stride", "padding"), (ints(p) for p in self.params)))

    def _latex(self, printer: Any) -> str:
        g, x = self.arrays
        return f"\\operatorname{{route}}_{{\\arg\\max}}\\left({printer._print(g)};\\, {printer._print(x)}\\right)"


class AvgPool2d(ArrayOp):
    r"""``avg_pool2d(x, kernel, stride, padding)``: the mean of each window (zero padding counted).

    Examples
    --------
    >>> from derive.model.array import Array
    >>> AvgPool2d(Array("x", (7, 7)), (3, 3), (2, 2), (1, 1)).shape
    (4, 4)
    """

    lemma = "avg_pool2d"
    n_arrays = 1

    def shape_rule(self, x: Shape) -> Shape:  # type: ignore[override]
        return _pooled(x, self.params, "avg_pool2d")

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return AvgPool2dGrad(cotangent, sp.Tuple(*shape_of(self.args[0])[-2:]), *self.params)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any) -> Any:
        return kernels.avg_pool2d(x, *(ints(p) for p in self.params))

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "avg_pool2d", dict(zip(("kernel", "stride", "padding"), (ints(p) for p in self.params)))

    def _latex(self, printer: Any) -> str:
        k, s, p = (ints(q) for q in self.params)
        head = f"\\operatorname{{avgpool}}_{{{k[0]}\\times{k[1]}}}{settings(None, s=s, p=p)}"
        return f"{head}\\left({printer._print(self.args[0])}\\right)"


class AvgPool2dGrad(ArrayOp):
    r"""The VJP of :class:`AvgPool2d`: each cotangent spread evenly over its window.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> AvgPool2dGrad(Array("g", (4, 4)), (7, 7), (3, 3), (2, 2), (1, 1)).shape
    (7, 7)
    """

    n_arrays = 1

    def shape_rule(self, g: Shape) -> Shape:  # type: ignore[override]
        return (*g[:-2], *tuple(self.args[1]))  # type: ignore[arg-type]

    def evaluate(self, arith: Any, g: Any) -> Any:
        return kernels.avg_pool2d_grad(g, *(ints(p) for p in self.args[1:]))

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "avg_pool2d_grad", dict(zip(("in_hw", "kernel", "stride", "padding"), (ints(p) for p in self.args[1:])))

    def _latex(self, printer: Any) -> str:
        k = ints(self.args[2])
        return f"\\operatorname{{spread}}_{{{k[0]}\\times{k[1]}}}\\left({operand(printer, self.args[0])}\\right)"
