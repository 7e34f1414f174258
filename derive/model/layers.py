"""The operations a block can use, with PyTorch's names and conventions, as Python functions and as a table.

Each function builds an engine expression from arrays; :data:`OPERATORS` adapts them to the block syntax of
:mod:`derive.model.spec`. A new elementwise activation is one SymPy ``Function`` subclass with an ``fdiff``
(and ``_latex``, ``_numpycode``), registered once with :func:`register_activation`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from derive.errors import DeriveError, ShapeError, UnsupportedError
from derive.model.activations import LeakyReLU, ReLU, Sigmoid
from derive.model.array import Array, numel, shape_of
from derive.model.ops import (
    AvgPool2d,
    BatchNorm,
    ChannelBias,
    Conv2d,
    Linear,
    MaxPool2d,
    Reshape,
    SoftmaxCrossEntropy,
    Total,
)
from derive.model.ops.common import pair

__all__ = ["ACTIVATIONS", "OPERATORS", "avg_pool2d", "batch_norm", "conv2d", "flatten", "leaky_relu", "linear",
           "max_pool2d", "mean", "register_activation", "softmax_cross_entropy", "total",
           "unregister_activation"]


def _array(value: Any, what: str) -> sp.Expr:
    if not isinstance(value, sp.Basic) or not value.atoms(Array):
        raise ShapeError(f"{what} must be an array, got {value}")
    return value


def _kernel_sizes(w: sp.Expr) -> None:
    if not all(s.is_integer and s.is_positive for s in shape_of(w)[-2:]):
        raise UnsupportedError(f"kernel sizes must be positive integers, got {shape_of(w)[-2:]}")


def _padding(value: Any, w: sp.Expr, stride: sp.Tuple, dilation: sp.Tuple) -> sp.Tuple:
    if str(value) == "valid":
        return pair(0, "padding")
    if str(value) == "same":
        if tuple(int(s) for s in stride) != (1, 1):  # type: ignore[attr-defined]
            raise ShapeError("padding='same' needs stride 1, as in PyTorch", name="padding")
        k = list(shape_of(w)[-2:])
        d = list(dilation)  # type: ignore[call-overload]
        half = [sp.expand(d[i] * (k[i] - 1) / 2) for i in range(2)]
        if not all(h.is_integer for h in half):
            raise UnsupportedError("padding='same' with an even effective kernel pads unevenly; give the padding")
        return pair(tuple(half), "padding")
    return pair(value, "padding")


def conv2d(x: Any, w: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> sp.Expr:
    """``torch.nn.functional.conv2d``: cross-correlation of ``x`` (H, W), (C, H, W) or (N, C, H, W) with ``w``.

    Examples
    --------
    >>> x, w = Array("x", (3, 8, 8)), Array("w", (4, 3, 3, 3), "param")
    >>> shape_of(conv2d(x, w, padding=1)), shape_of(conv2d(x, w, stride=2, dilation=2))
    ((4, 8, 8), (4, 2, 2))
    """
    x, w = _array(x, "conv2d's input"), _array(w, "conv2d's kernel")
    _kernel_sizes(w)
    s, d = pair(stride, "stride"), pair(dilation, "dilation")
    if any(v.is_positive is False for v in (*s, *d)):
        raise ShapeError("stride and dilation must be positive", name="stride")
    p = _padding(padding, w, s, d)
    if any(v.is_nonnegative is False for v in p):
        raise ShapeError("padding must not be negative", name="padding")
    y = Conv2d(x, w, s, p, d)
    shape_of(y)
    if bias is not None:
        if len(shape_of(y)) == 2:
            raise ShapeError("a bias needs a kernel of shape (C_out, C_in, kh, kw)", name="bias")
        y = ChannelBias(y, _array(bias, "conv2d's bias"), len(shape_of(y)) - 3)
        shape_of(y)
    return y


def linear(a: Any, w: Any, b: Any = None) -> sp.Expr:
    """``torch.nn.functional.linear``: ``a Wᵀ + b`` for ``a`` (F,) or (N, F) and ``W`` (O, F).

    Examples
    --------
    >>> shape_of(linear(Array("a", (5, 3)), Array("W", (2, 3)), Array("b", (2,))))
    (5, 2)
    """
    y = Linear(_array(a, "linear's input"), _array(w, "linear's weight"))
    shape_of(y)
    if b is not None:
        y = ChannelBias(y, _array(b, "linear's bias"), len(shape_of(y)) - 1)
        shape_of(y)
    return y


def leaky_relu(a: Any, negative_slope: Any = None) -> sp.Expr:
    """``torch.nn.functional.leaky_relu`` (slope 0.01 by default).

    Examples
    --------
    >>> leaky_relu(Array("a", (2,)), sp.Rational(1, 5))
    LeakyReLU(a, 1/5)
    """
    if negative_slope is None:
        negative_slope = sp.Rational(1, 100)
    if not (isinstance(negative_slope, sp.Basic) and negative_slope.is_Rational):
        raise ShapeError(f"leaky_relu's slope must be a number, got {negative_slope}", name="negative_slope")
    return LeakyReLU(_array(a, "leaky_relu's input"), negative_slope)


def _pool(cls: type, x: Any, kernel_size: Any, stride: Any, padding: Any, what: str) -> sp.Expr:
    k = pair(kernel_size, "kernel_size")
    s = k if stride is None else pair(stride, "stride")
    p = pair(padding, "padding")
    if not all(v.is_Integer for v in (*k, *s, *p)):
        raise UnsupportedError(f"{what}: kernel, stride and padding must be numbers")
    if min(int(v) for v in (*k, *s)) < 1 or min(int(v) for v in p) < 0:
        raise ShapeError(f"{what}: kernel and stride must be positive, padding not negative", name="kernel_size")
    y = cls(_array(x, f"{what}'s input"), k, s, p)
    shape_of(y)
    return y  # type: ignore[no-any-return]


def max_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0) -> sp.Expr:
    """``torch.nn.functional.max_pool2d`` (stride defaults to the kernel size).

    Examples
    --------
    >>> shape_of(max_pool2d(Array("x", (1, 2, 6, 6)), 2))
    (1, 2, 3, 3)
    """
    return _pool(MaxPool2d, x, kernel_size, stride, padding, "max_pool2d")


def avg_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0) -> sp.Expr:
    """``torch.nn.functional.avg_pool2d`` (zero padding counted in the mean, as by default).

    Examples
    --------
    >>> shape_of(avg_pool2d(Array("x", (6, 6)), 3, 3))
    (2, 2)
    """
    return _pool(AvgPool2d, x, kernel_size, stride, padding, "avg_pool2d")


def batch_norm(a: Any, gamma: Any, beta: Any, eps: Any = None) -> sp.Expr:
    """Batch normalisation in training mode (``F.batch_norm(training=True)``), per channel.

    Examples
    --------
    >>> shape_of(batch_norm(Array("a", (2, 3, 4, 4)), Array("g", (3,)), Array("b", (3,))))
    (2, 3, 4, 4)
    """
    if eps is None:
        eps = sp.Rational(1, 100000)
    if not (isinstance(eps, sp.Basic) and eps.is_Rational and eps > 0):
        raise ShapeError(f"batch_norm's eps must be a positive number, got {eps}", name="eps")
    y = BatchNorm(_array(a, "batch_norm's input"), _array(gamma, "gamma"), _array(beta, "beta"), eps)
    shape_of(y)
    return y


def flatten(a: Any, start_dim: Any = None) -> sp.Expr:
    """Flatten to one axis; a 4-D (N, C, H, W) array keeps its batch axis, as ``nn.Flatten`` does.

    ``start_dim`` (as in ``torch.flatten``) overrides: the axes from it on are merged.

    Examples
    --------
    >>> shape_of(flatten(Array("a", (2, 3, 4, 4)))), shape_of(flatten(Array("a", (3, 4, 4))))
    ((2, 48), (48,))
    """
    a = _array(a, "flatten's input")
    shape = shape_of(a)
    start = (1 if len(shape) == 4 else 0) if start_dim is None else int(start_dim)
    if not 0 <= start < max(len(shape), 1):
        raise ShapeError(f"flatten: start_dim {start} for an array of {len(shape)} axes", name="start_dim")
    target = (*shape[:start], numel(shape[start:]))
    return Reshape(a, sp.Tuple(*target)) if target != shape else a


def total(a: Any) -> sp.Expr:
    """The sum of every entry (``torch.sum``).

    Examples
    --------
    >>> total(Array("a", (2, 2)))
    total(a)
    """
    return Total(_array(a, "sum's input"))


def mean(a: Any) -> sp.Expr:
    """The mean of every entry (``torch.mean``).

    Examples
    --------
    >>> mean(Array("a", (2, 2)))
    total(a)/4
    """
    a = _array(a, "mean's input")
    return Total(a) / numel(shape_of(a))


def softmax_cross_entropy(logits: Any, target: Any) -> sp.Expr:
    """``F.cross_entropy`` with a probability target (or a batch of them), the mean over the batch.

    Examples
    --------
    >>> shape_of(softmax_cross_entropy(Array("z", (4, 10)), Array("t", (4, 10), "target")))
    ()
    """
    y = SoftmaxCrossEntropy(_array(logits, "the logits"), _array(target, "the target"))
    shape_of(y)
    return y


#: Elementwise activations by the name a block uses: SymPy functions applied entry by entry.
ACTIVATIONS: dict[str, Callable[..., sp.Expr]] = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": sp.tanh}


def register_activation(name: str, function: type) -> None:
    """Make a one-argument SymPy ``Function`` subclass usable in blocks as ``name(a)``.

    The class's ``fdiff`` gives reverse mode, its ``_latex`` the printing and its ``_numpycode`` (or
    SymPy's own NumPy printing) the float evaluation; nothing else needs to change.

    Examples
    --------
    >>> class Softplus(sp.Function):
    ...     def fdiff(self, argindex=1):
    ...         return 1 / (1 + sp.exp(-self.args[0]))
    ...     def _numpycode(self, printer):
    ...         return f"numpy.logaddexp(0, {printer._print(self.args[0])})"
    >>> register_activation("softplus", Softplus)
    >>> "softplus" in OPERATORS
    True
    >>> unregister_activation("softplus")
    >>> "softplus" in OPERATORS
    False
    """
    if not name.isidentifier():
        raise UnsupportedError(f"an activation's name must be an identifier, got {name!r}")
    if name in OPERATORS and name not in ACTIVATIONS:
        raise UnsupportedError(f"{name!r} is an operation, not an activation; choose another name")
    ACTIVATIONS[name] = function
    OPERATORS[name] = _adapt(_activation(function, name), name)


def unregister_activation(name: str) -> None:
    """Remove an activation registered with :func:`register_activation`; the built-in ones stay.

    Examples
    --------
    >>> unregister_activation("relu")
    Traceback (most recent call last):
    ...
    derive.errors.UnsupportedError: 'relu' is built in and cannot be removed
    """
    if name in _BUILT_IN_ACTIVATIONS:
        raise UnsupportedError(f"{name!r} is built in and cannot be removed")
    if name not in ACTIVATIONS:
        raise UnsupportedError(f"no activation named {name!r} is registered")
    del ACTIVATIONS[name]
    del OPERATORS[name]


def _activation(function: Callable[..., sp.Expr], name: str) -> Callable[[Any], sp.Expr]:
    def apply(a: Any) -> sp.Expr:
        return function(_array(a, f"{name}'s input"))

    return apply


def _adapt(function: Callable[..., sp.Expr], name: str) -> Callable[[list[Any], dict[str, Any]], sp.Expr]:
    import inspect

    signature = inspect.signature(function)

    def call(args: list[Any], kwargs: dict[str, Any]) -> sp.Expr:
        try:
            bound = signature.bind(*args, **{k: (v if not hasattr(v, "text") else v.text) for k, v in kwargs.items()})
        except TypeError as exc:
            raise UnsupportedError(f"{name}{signature}: {exc}") from exc
        values = {k: _static(v) for k, v in bound.arguments.items()}
        return function(**values)

    return call


def _static(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_static(v) for v in value)
    if hasattr(value, "text") and not isinstance(value, sp.Basic):
        return value.text
    return value


OPERATORS: dict[str, Callable[[list[Any], dict[str, Any]], sp.Expr]] = {
    "conv2d": _adapt(conv2d, "conv2d"),
    "linear": _adapt(linear, "linear"),
    "leaky_relu": _adapt(leaky_relu, "leaky_relu"),
    "max_pool2d": _adapt(max_pool2d, "max_pool2d"),
    "avg_pool2d": _adapt(avg_pool2d, "avg_pool2d"),
    "batch_norm": _adapt(batch_norm, "batch_norm"),
    "flatten": _adapt(flatten, "flatten"),
    "sum": _adapt(total, "sum"),
    "mean": _adapt(mean, "mean"),
    "softmax_cross_entropy": _adapt(softmax_cross_entropy, "softmax_cross_entropy"),
}
for _name, _function in list(ACTIVATIONS.items()):
    OPERATORS[_name] = _adapt(_activation(_function, _name), _name)
_BUILT_IN_ACTIVATIONS = frozenset(ACTIVATIONS)

_ = DeriveError  # the adapters raise DeriveError subclasses only
