"""Batch normalisation in training mode, as ``torch.nn.functional.batch_norm(..., training=True)``."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model import kernels
from derive.model.array import ArrayOp, Shape, same_shape
from derive.model.ops.common import dims


def _channels(x: Shape) -> sp.Expr:
    return x[1] if len(x) in (2, 4) else x[0]


class BatchNorm(ArrayOp):
    r"""``γ (x − μ)/√(σ² + ε) + β`` with μ, σ² (biased) per channel over N, H, W (over H, W for (C, H, W)).

    A (N, C) array is normalised over N, as ``batch_norm`` does for ``BatchNorm1d``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> from derive.printing.latex import latex
    >>> y = BatchNorm(Array("x", (2, 3, 4, 4)), Array("g", (3,), "param"), Array("b", (3,), "param"),
    ...               sp.Rational(1, 100000))
    >>> y.shape, latex(y)
    ((2, 3, 4, 4), '\\operatorname{BN}_{g, b}\\left(x\\right)')
    """

    lemma = "batch_norm"
    n_arrays = 3

    def shape_rule(self, x: Shape, gamma: Shape, beta: Shape) -> Shape:  # type: ignore[override]
        dims(x, (2, 3, 4), "batch_norm")
        for name, v in (("gamma", gamma), ("beta", beta)):
            if len(v) != 1 or not same_shape((v[0],), (_channels(x),)):
                raise ShapeError(f"batch_norm: {name} of shape {tuple(v)} for {_channels(x)} channels", name=name)
        eps = self.args[3]
        if not (eps.is_Rational and eps > 0):
            raise ShapeError(f"batch_norm: eps must be a positive number, got {eps}", name="eps")
        return x

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        x, gamma, _ = self.arrays
        eps = self.args[3]
        if argindex == 1:
            return BatchNormGradInput(cotangent, x, gamma, eps)
        if argindex == 2:
            return BatchNormGradGamma(cotangent, x, eps)
        if argindex == 3:
            from derive.model.ops.conv import ChannelSum
            return ChannelSum(cotangent, 1 if len(x.shape) in (2, 4) else 0)  # type: ignore[attr-defined]
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, x: Any, gamma: Any, beta: Any) -> Any:
        return kernels.batch_norm(x, gamma, beta, arith.constant(self.args[3]), ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "batch_norm", {"eps": float(self.args[3])}  # type: ignore[arg-type]

    def _latex(self, printer: Any) -> str:
        x, gamma, beta = self.arrays
        return (f"\\operatorname{{BN}}_{{{printer._print(gamma)}, {printer._print(beta)}}}"
                f"\\left({printer._print(x)}\\right)")


class BatchNormGradInput(ArrayOp):
    r"""The VJP of :class:`BatchNorm` in ``x``: ``γ/√(σ²+ε) (g − mean g − x̂ mean(g x̂))``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> BatchNormGradInput(Array("d", (2, 3)), Array("x", (2, 3)), Array("g", (3,)), sp.Rational(1, 10)).shape
    (2, 3)
    """

    n_arrays = 3

    def shape_rule(self, g: Shape, x: Shape, gamma: Shape) -> Shape:  # type: ignore[override]
        return x

    def evaluate(self, arith: Any, g: Any, x: Any, gamma: Any) -> Any:
        return kernels.batch_norm_grad_input(g, x, gamma, arith.constant(self.args[3]), ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "batch_norm_grad_input", {"eps": float(self.args[3])}  # type: ignore[arg-type]

    def _latex(self, printer: Any) -> str:
        g, x, gamma = self.arrays
        return (f"\\frac{{{printer._print(gamma)}}}{{\\sqrt{{\\sigma^2_{{{printer._print(x)}}} + \\epsilon}}}}"
                f"\\left({printer._print(g)} - \\overline{{{printer._print(g)}}} - \\hat{{{printer._print(x)}}}\\,"
                f"\\overline{{{printer._print(g)}\\,\\hat{{{printer._print(x)}}}}}\\right)")


class BatchNormGradGamma(ArrayOp):
    r"""The VJP of :class:`BatchNorm` in ``γ``: ``Σ g x̂`` per channel.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> BatchNormGradGamma(Array("d", (2, 3)), Array("x", (2, 3)), sp.Rational(1, 10)).shape
    (3,)
    """

    n_arrays = 2

    def shape_rule(self, g: Shape, x: Shape) -> Shape:  # type: ignore[override]
        return (_channels(x),)

    def evaluate(self, arith: Any, g: Any, x: Any) -> Any:
        return kernels.batch_norm_grad_gamma(g, x, arith.constant(self.args[2]), ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "batch_norm_grad_gamma", {"eps": float(self.args[2])}  # type: ignore[arg-type]

    def _latex(self, printer: Any) -> str:
        g, x = self.arrays
        return f"\\textstyle\\sum_{{\\neq c}} {printer._print(g)} \\odot \\hat{{{printer._print(x)}}}"
