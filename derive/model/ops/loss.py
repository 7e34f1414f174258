"""The softmax cross-entropy head, as ``F.cross_entropy`` with probability targets (mean over the batch)."""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.errors import ShapeError
from derive.model import kernels
from derive.model.array import ArrayOp, Shape, same_shape
from derive.model.ops.common import dims


class SoftmaxCrossEntropy(ArrayOp):
    r"""``−(1/N) Σ_n Σ_k t_{nk} log softmax(z_n)_k`` for logits (K,) or (N, K) and a target of the same shape.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> from derive.printing.latex import latex
    >>> loss = SoftmaxCrossEntropy(Array("z", (4, 10)), Array("t", (4, 10), "target"))
    >>> loss.shape, latex(loss)
    ((), '\\operatorname{CE}\\left(\\operatorname{softmax}\\left(z\\right), t\\right)')
    """

    lemma = "softmax_cross_entropy"
    n_arrays = 2

    def shape_rule(self, z: Shape, t: Shape) -> Shape:  # type: ignore[override]
        dims(z, (1, 2), "softmax_cross_entropy")
        if not same_shape(z, t):
            raise ShapeError(f"softmax_cross_entropy: logits {tuple(z)} and target {tuple(t)} differ in shape",
                             name="target")
        return ()

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        z, t = self.arrays
        if argindex == 1:
            return SoftmaxCrossEntropyGradLogits(cotangent, z, t)
        if argindex == 2:
            return SoftmaxCrossEntropyGradTarget(cotangent, z)
        return super().vjp(argindex, cotangent)

    def evaluate(self, arith: Any, z: Any, t: Any) -> Any:
        return kernels.softmax_cross_entropy(z, t, ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "softmax_cross_entropy", {}

    def _latex(self, printer: Any) -> str:
        z, t = self.arrays
        return (f"\\operatorname{{CE}}\\left(\\operatorname{{softmax}}\\left({printer._print(z)}\\right), "
                f"{printer._print(t)}\\right)")


class SoftmaxCrossEntropyGradLogits(ArrayOp):
    r"""The VJP in the logits: ``g (softmax(z) Σ_k t_k − t)/N``, which is ``g (softmax(z) − t)/N`` when Σt = 1.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> SoftmaxCrossEntropyGradLogits(sp.Symbol("g"), Array("z", (4, 10)), Array("t", (4, 10))).shape
    (4, 10)
    """

    n_arrays = 3

    def shape_rule(self, g: Shape, z: Shape, t: Shape) -> Shape:  # type: ignore[override]
        return z

    def evaluate(self, arith: Any, g: Any, z: Any, t: Any) -> Any:
        return kernels.softmax_cross_entropy_grad_logits(g, z, t, ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "softmax_cross_entropy_grad_logits", {}

    def _latex(self, printer: Any) -> str:
        g, z, t = (printer._print(a) for a in self.arrays)
        return (f"\\frac{{{g}}}{{N}}\\left(\\operatorname{{softmax}}\\left({z}\\right) \\textstyle\\sum_k {t}_k"
                f" - {t}\\right)")


class SoftmaxCrossEntropyGradTarget(ArrayOp):
    r"""The VJP in the target: ``−g log softmax(z)/N``.

    Examples
    --------
    >>> from derive.model.array import Array
    >>> SoftmaxCrossEntropyGradTarget(sp.Symbol("g"), Array("z", (10,))).shape
    (10,)
    """

    n_arrays = 2

    def shape_rule(self, g: Shape, z: Shape) -> Shape:  # type: ignore[override]
        return z

    def evaluate(self, arith: Any, g: Any, z: Any) -> Any:
        return kernels.softmax_cross_entropy_grad_target(g, z, ops=arith.ops)

    def kernel_call(self) -> tuple[str, dict[str, Any]]:
        return "softmax_cross_entropy_grad_target", {}

    def _latex(self, printer: Any) -> str:
        g, z = (printer._print(a) for a in self.arrays)
        return f"-\\frac{{{g}}}{{N}} \\log \\operatorname{{softmax}}\\left({z}\\right)"
