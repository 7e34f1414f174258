"""Q6's pretrained network: the layer list of a ResNet with basic blocks (ResNet-18 by default)."""

from __future__ import annotations

from derive.errors import InvalidLayerError
from derive.model.params import Layer


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


__all__ = ["resnet_basic"]
