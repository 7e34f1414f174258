"""Parameter counts computed from a list of layers (convolutions, batch norms, dense layers)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derive.errors import InvalidLayerError


@dataclass(frozen=True)
class Layer:
    """One layer: ``kind`` is ``conv``, ``bn`` or ``dense``; ``block`` names the stage it belongs to.

    ``conv``: ``k*k*c_in*c_out`` weights (+ ``c_out`` biases if ``bias``); ``bn``: a scale and a shift
    per channel (``2*c_out``; running statistics are buffers, not parameters); ``dense``: ``c_in*c_out``
    weights + ``c_out`` biases.
    """

    kind: str
    c_in: int
    c_out: int
    k: int = 1
    bias: bool = False
    block: str = ""

    def count(self) -> sp.Integer:
        """The number of parameters of the layer.

        Examples
        --------
        >>> Layer("dense", 512, 200).count(), Layer("conv", 3, 64, 7).count(), Layer("bn", 64, 64).count()
        (102600, 9408, 128)
        """
        if min(self.c_in, self.c_out, self.k) < 1:
            raise InvalidLayerError(f"layer sizes must be >= 1, got {self}", field="size", value=self)
        if self.kind == "conv":
            return sp.Integer(self.k * self.k * self.c_in * self.c_out + (self.c_out if self.bias else 0))
        if self.kind == "bn":
            return sp.Integer(2 * self.c_out)
        if self.kind == "dense":
            return sp.Integer(self.c_in * self.c_out + self.c_out)
        raise InvalidLayerError(f"unknown layer kind {self.kind!r}", field="kind", value=self.kind)


def dense_count(c_in: sp.Expr, c_out: sp.Expr) -> sp.Expr:
    """Symbolic parameter count ``c_in*c_out + c_out`` of a dense layer.

    Examples
    --------
    >>> F, C = sp.symbols("F C")
    >>> dense_count(F, C)
    C*F + C
    """
    return c_in * c_out + c_out


def count_by_block(layers: tuple[Layer, ...]) -> dict[str, sp.Integer]:
    """Parameters per block, in the order the blocks first appear.

    Examples
    --------
    >>> layers = (Layer("conv", 3, 8, 3, block="stem"), Layer("bn", 8, 8, block="stem"),
    ...           Layer("dense", 8, 10, block="head"))
    >>> count_by_block(layers)
    {'stem': 232, 'head': 90}
    """
    out: dict[str, sp.Integer] = {}
    for layer in layers:
        out[layer.block] = out.get(layer.block, sp.Integer(0)) + layer.count()
    return out


__all__ = ["Layer", "count_by_block", "dense_count"]
