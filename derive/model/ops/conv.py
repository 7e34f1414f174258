"""Two-dimensional convolution (cross-correlation, as PyTorch's ``conv2d``) and per-channel biases."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model import kernels
from derive.model.array import ArrayOp, Shape, same_shape, shape_of
from derive.model.ops.common import dims, ints, operand, out_size, settings


def _check_conv(x: Shape, w: Shape) -> None:
    nd = dims(x, (2, 3, 4), "conv2d")
    wd = dims(w, (2, 4), "a conv2d kernel")
    if (nd == 2) != (wd == 2):
        raise ShapeError(f"conv2d: an image of shape {tuple(x)} needs a kernel of "
                         f"{'2' if nd == 2 else '4'} axes, got {tuple(w)}", name="kernel")
    if wd == 4 and not same_shape((x[-3],), (w[1],)):
        raise ShapeError(f"conv2d: the input has {x[-3]} channels but the kernel expects {w[1]}", name="kernel")


class Conv2d(ArrayOp):
    r"""``conv2d(x, w, stride, padding, dilation)``: ``y[n,o,i,j] = Σ_{c,a,b} w[o,c,a,b] x[n,c,s i+d a−p, s j+d b−p]``.

    ``x`` is (H, W) with a (kh, kw) kernel, or (C, H, W) / (N, C, H, W) with a (C_out, C, kh, kw) kernel;
    ``x`` is zero outside its support.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> x, w = Array("x", (3, 8, 8)), Array("w", (4, 3, 3, 3), "param")
    >>> y = Conv2d(x, w, (2, 2), (1, 1), (1, 1))
    >>> y.shape
    (4, 4, 4)
    >>> from derive.printing.latex import latex
    >>> latex(y)
    'x \\ast_{s=2, p=1} w'
    """

    lemma = "conv2d"
    n_arrays = 2
    infix = True

    def shape_rule(self, x: Shape, w: Shape) -> Shape:  # type: ignore[override]
        _check_conv(x, w)
        (sh, sw), (ph, pw), (dh, dw) = (tuple(p) for p in self.params)
        kh, kw = w[-2:]
        out = (out_size(x[-2], kh, sh, ph, dh, "conv2d"), out_size(x[-1], kw, sw, pw, dw, "conv2d"))
        return (*x[:-3], w[0], *out) if len(x) > 2 else out

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        x, w = self.arrays
        if argindex == 1:
            return Conv2dGradInput(cotangent, w, sp.Tuple(*shape_of(x)[-2:]), *self.params)
        if argindex == 2:
            return Conv2dGradWeight(cotangent, x, sp.Tuple(*shape_of(w)), *self.params)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any, w: Any) -> Any:
        return kernels.conv2d(x, w, *(ints(p) for p in self.params))

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "conv2d", dict(zip(("stride", "padding", "dilation"), (ints(p) for p in self.params)))

    def _latex(self, printer: Any) -> str:
        x, w = self.arrays
        if _is_same(self.params, shape_of(w)):
            return f"{operand(printer, x)} \\ast {operand(printer, w)}"
        s, p, d = self.params
        return f"{operand(printer, x)} \\ast{settings(printer, s=s, p=p, d=d)} {operand(printer, w)}"


def _is_same(params: tuple[sp.Basic, ...], kernel: Shape) -> bool:
    """True for a size-preserving layer: stride 1 and padding d(k − 1)/2 on both axes."""
    s, p, d = (tuple(q) for q in params)  # type: ignore[attr-defined]
    return all(s[i] == 1 and sp.simplify(2 * p[i] - d[i] * (kernel[-2 + i] - 1)) == 0 for i in range(2))


class Conv2dGradInput(ArrayOp):
    r"""The VJP of :class:`Conv2d` in its input: the transposed convolution of the cotangent.

    Printed ``g \ast \operatorname{flip}(w)`` when the layer keeps the size (stride 1, padding (k−1)/2):
    then it is the correlation with the kernel rotated by 180° (and its channels swapped).

    Examples
    --------
    >>> from derive.model.array import Array
    >>> from derive.printing.latex import latex
    >>> g, w = Array("g", (4, 8, 8)), Array("w", (4, 3, 3, 3), "param")
    >>> latex(Conv2dGradInput(g, w, (8, 8), (1, 1), (1, 1), (1, 1)))
    'g \\ast \\operatorname{flip}\\left(w\\right)'
    """

    n_arrays = 2
    infix = True

    def shape_rule(self, g: Shape, w: Shape) -> Shape:  # type: ignore[override]
        hw = tuple(self.args[2])
        return (*g[:-3], w[1], *hw) if len(w) == 4 else hw  # type: ignore[return-value]

    def evaluate(self, arith: Any, g: Any, w: Any) -> Any:
        return kernels.conv2d_grad_input(g, w, ints(self.args[2]), *(ints(p) for p in self.args[3:]))

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        names = ("in_hw", "stride", "padding", "dilation")
        return "conv2d_grad_input", dict(zip(names, (ints(p) for p in self.args[2:])))

    def _latex(self, printer: Any) -> str:
        g, w = self.arrays
        params = self.args[3:]
        if _is_same(params, shape_of(w)):
            return f"{operand(printer, g)} \\ast \\operatorname{{flip}}\\left({printer._print(w)}\\right)"
        s, p, d = params
        return f"{operand(printer, g)} \\ast^{{\\top}}{settings(printer, s=s, p=p, d=d)} {operand(printer, w)}"


class Conv2dGradWeight(ArrayOp):
    r"""The VJP of :class:`Conv2d` in its kernel: ``Σ_{n,i,j} g[n,o,i,j] x[n,c,s i+d a−p, s j+d b−p]``.

    Printed ``x \star g``: the correlation of the input with the cotangent, of the kernel's size.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> g, x = Array("g", (6, 6)), Array("x", (8, 8))
    >>> Conv2dGradWeight(g, x, (3, 3), (1, 1), (0, 0), (1, 1)).shape
    (3, 3)
    """

    n_arrays = 2
    infix = True

    def shape_rule(self, g: Shape, x: Shape) -> Shape:  # type: ignore[override]
        return tuple(self.args[2])  # type: ignore[return-value]

    def evaluate(self, arith: Any, g: Any, x: Any) -> Any:
        k = ints(self.args[2])
        s, p, d = (ints(q) for q in self.args[3:])
        return kernels.conv2d_grad_weight(g, x, k[-2:], s, p, d, weight_ndim=len(k))

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        k = ints(self.args[2])
        names = ("stride", "padding", "dilation")
        return "conv2d_grad_weight", {"kernel": k[-2:], **dict(zip(names, (ints(p) for p in self.args[3:]))),
                                      "weight_ndim": len(k)}

    def _latex(self, printer: Any) -> str:
        g, x = self.arrays
        if _is_same(self.args[3:], tuple(self.args[2])):
            return f"{operand(printer, x)} \\star {operand(printer, g)}"
        s, p, d = self.args[3:]
        return f"{operand(printer, x)} \\star{settings(printer, s=s, p=p, d=d)} {operand(printer, g)}"


class ChannelBias(ArrayOp):
    r"""``y + b`` with one bias per channel along ``axis`` (the bias of ``conv2d`` and ``linear``).

    Examples
    --------
    >>> from derive.model.array import Array
    >>> ChannelBias(Array("y", (2, 4, 5, 5)), Array("b", (4,), "param"), 1).shape
    (2, 4, 5, 5)
    """

    lemma = "bias"
    n_arrays = 2
    infix = True

    def shape_rule(self, y: Shape, b: Shape) -> Shape:  # type: ignore[override]
        axis = int(self.args[2])  # type: ignore[call-overload]
        if len(b) != 1 or not same_shape((b[0],), (y[axis],)):
            raise ShapeError(f"a bias of shape {tuple(b)} for {y[axis]} channels", name="bias")
        return y

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        if argindex == 1:
            return cotangent
        if argindex == 2:
            return ChannelSum(cotangent, self.args[2])
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, y: Any, b: Any) -> Any:
        return kernels.add_channel_bias(y, b, int(self.args[2]))  # type: ignore[call-overload]

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "add_channel_bias", {"channel_axis": int(self.args[2])}  # type: ignore[call-overload]

    def _latex(self, printer: Any) -> str:
        return f"{printer._print(self.args[0])} + {printer._print(self.args[1])}"


class ChannelSum(ArrayOp):
    r"""The sum over every axis but ``axis``: the VJP of a per-channel bias, printed ``\sum_{\neq c} g``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> ChannelSum(Array("g", (2, 4, 5, 5)), 1).shape
    (4,)
    """

    n_arrays = 1

    def shape_rule(self, g: Shape) -> Shape:  # type: ignore[override]
        return (g[int(self.args[1])],)  # type: ignore[call-overload]

    def evaluate(self, arith: Any, g: Any) -> Any:
        return kernels.channel_sum(g, int(self.args[1]))  # type: ignore[call-overload]

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "channel_sum", {"channel_axis": int(self.args[1])}  # type: ignore[call-overload]

    def _latex(self, printer: Any) -> str:
        return f"\\textstyle\\sum_{{\\neq c}} {operand(printer, self.args[0])}"
