"""The array operators, one class each: shape rule, vector–Jacobian product, evaluation and printing."""

from derive.model.ops.conv import ChannelBias, ChannelSum, Conv2d, Conv2dGradInput, Conv2dGradWeight
from derive.model.ops.dense import Linear, LinearGradInput, LinearGradWeight
from derive.model.ops.loss import SoftmaxCrossEntropy, SoftmaxCrossEntropyGradLogits, SoftmaxCrossEntropyGradTarget
from derive.model.ops.norm import BatchNorm, BatchNormGradGamma, BatchNormGradInput
from derive.model.ops.pool import AvgPool2d, AvgPool2dGrad, MaxPool2d, MaxPool2dGrad
from derive.model.ops.shape import Broadcast, Reshape, Total

__all__ = [
    "AvgPool2d", "AvgPool2dGrad", "BatchNorm", "BatchNormGradGamma", "BatchNormGradInput", "Broadcast",
    "ChannelBias", "ChannelSum", "Conv2d", "Conv2dGradInput", "Conv2dGradWeight", "Linear", "LinearGradInput",
    "LinearGradWeight", "MaxPool2d", "MaxPool2dGrad", "Reshape", "SoftmaxCrossEntropy",
    "SoftmaxCrossEntropyGradLogits", "SoftmaxCrossEntropyGradTarget", "Total",
]
