"""The array operators, one class each: shape rule, vector–Jacobian product, evaluation and printing."""

from .conv import ChannelBias, ChannelSum, Conv2d, Conv2dGradInput, Conv2dGradWeight
from .dense import Linear, LinearGradInput, LinearGradWeight
from .loss import SoftmaxCrossEntropy, SoftmaxCrossEntropyGradLogits, SoftmaxCrossEntropyGradTarget
from .norm import BatchNorm, BatchNormGradGamma, BatchNormGradInput
from .pool import AvgPool2d, AvgPool2dGrad, MaxPool2d, MaxPool2dGrad
from .shape import Broadcast, Reshape, Total

__all__ = [
    "AvgPool2d", "AvgPool2dGrad", "BatchNorm", "BatchNormGradGamma", "BatchNormGradInput", "Broadcast",
    "ChannelBias", "ChannelSum", "Conv2d", "Conv2dGradInput", "Conv2dGradWeight", "Linear", "LinearGradInput",
    "LinearGradWeight", "MaxPool2d", "MaxPool2dGrad", "Reshape", "SoftmaxCrossEntropy",
    "SoftmaxCrossEntropyGradLogits", "SoftmaxCrossEntropyGradTarget", "Total",
]
