"""Parameter counts computed from a list of layers (convolutions, batch norms, dense layers)."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import InvalidLayerError


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


def resnet_basic(
    classes: int = 1000, widths: tuple[int, ...] = (64, 128, 256, 512), blocks: tuple[int, ...] = (2, 2, 2, 2),
) -> tuple[Layer, ...]:
    """The layers of a ResNet with basic blocks (He et al., CVPR 2016, Table 1; ResNet-18 by default).

    A 7x7 stem convolution, stages of basic blocks (two 3x3 convolutions, each with batch norm;
    a 1x1 projection with batch norm where the width or stride changes), global average pooling
    and a dense classifier. Convolutions have no bias (batch norm follows).

    Examples
    --------
    >>> sum(layer.count() for layer in resnet_basic())
    11689512
    """
    if len(widths) != len(blocks) or not widths:
        raise InvalidLayerError("widths and blocks must have the same non-zero length", field="widths", value=widths)
    layers = [Layer("conv", 3, widths[0], 7, block="stem"), Layer("bn", widths[0], widths[0], block="stem")]
    c = widths[0]
    for stage, (width, count) in enumerate(zip(widths, blocks), start=1):
        for b in range(count):
            name = f"stage{stage}"
            layers += [Layer("conv", c, width, 3, block=name), Layer("bn", width, width, block=name),
                       Layer("conv", width, width, 3, block=name), Layer("bn", width, width, block=name)]
            if b == 0 and c != width:
                layers += [Layer("conv", c, width, 1, block=name), Layer("bn", width, width, block=name)]
            c = width
    layers.append(Layer("dense", c, classes, block="head"))
    return tuple(layers)


def count_by_block(layers: tuple[Layer, ...]) -> dict[str, sp.Integer]:
    """Parameters per block, in the order the blocks first appear.

    Examples
    --------
    >>> count_by_block(resnet_basic())["head"]
    513000
    """
    out: dict[str, sp.Integer] = {}
    for layer in layers:
        out[layer.block] = out.get(layer.block, sp.Integer(0)) + layer.count()
    return out


__all__ = ["Layer", "count_by_block", "dense_count", "resnet_basic"]
