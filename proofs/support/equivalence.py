"""Convert the weights of a sigmoid network into those of the equivalent tanh network, and back."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from derive.calculus.reparam import WeightMap, affine_relation, invert_weight_map, solve_weight_map
from derive.model.activations import Sigmoid
from derive.model.nn import two_layer_network


@cache
def sigmoid_tanh_map() -> WeightMap:
    """The engine-derived map from sigmoid-network weights to tanh-network weights.

    Examples
    --------
    >>> sigmoid_tanh_map().rules["b1"]
    w^{(1)}[j, 0]/2
    """
    source = two_layer_network(Sigmoid)
    target = two_layer_network(sp.tanh, weights="t")
    return solve_weight_map(source, target, affine_relation(sp.tanh, Sigmoid))


@cache
def tanh_sigmoid_map() -> WeightMap:
    """The inverse of :func:`sigmoid_tanh_map`, solved by the engine.

    Examples
    --------
    >>> tanh_sigmoid_map().rules["b2"]
    t^{(2)}[k, 0] - Sum(t^{(2)}[k, j], (j, 1, M))
    """
    return invert_weight_map(sigmoid_tanh_map())


def sigmoid_to_tanh(W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[np.ndarray, ...]:
    """Weights of the tanh network that computes the same function as a sigmoid network.

    Parameters
    ----------
    W1 : array, shape (M, D)
    b1 : array, shape (M,)
    W2 : array, shape (K, M)
    b2 : array, shape (K,)

    Returns
    -------
    (W1t, b1t, W2t, b2t) : tuple of float64 arrays with the same shapes.

    Raises
    ------
    ShapeError
        When the shapes do not fit together.

    Examples
    --------
    >>> W1t, b1t, W2t, b2t = sigmoid_to_tanh([[2.0]], [4.0], [[6.0]], [1.0])
    >>> W1t.tolist(), b1t.tolist(), W2t.tolist(), b2t.tolist()
    ([[1.0]], [2.0], [[3.0]], [4.0])
    """
    return sigmoid_tanh_map().apply(W1, b1, W2, b2)


def tanh_to_sigmoid(W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[np.ndarray, ...]:
    """Inverse of :func:`sigmoid_to_tanh`: sigmoid-network weights from tanh-network weights.

    Examples
    --------
    >>> [a.tolist() for a in tanh_to_sigmoid([[1.0]], [2.0], [[3.0]], [4.0])]
    [[[2.0]], [4.0], [[6.0]], [1.0]]
    """
    return tanh_sigmoid_map().apply(W1, b1, W2, b2)


def two_layer_forward(activation: str, x: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> np.ndarray:
    """Evaluate ``W2 g(W1 x + b1) + b2`` in NumPy for ``g`` in ``{"sigmoid", "tanh"}``; x is (N, D).

    Examples
    --------
    >>> two_layer_forward("tanh", [[0.0]], [[1.0]], [0.0], [[1.0]], [0.5]).tolist()
    [[0.5]]
    """
    activations: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
        "tanh": np.tanh,
    }
    g = activations[activation]
    hidden = g(np.asarray(x, float) @ np.asarray(W1, float).T + np.asarray(b1, float))
    return np.asarray(hidden @ np.asarray(W2, float).T + np.asarray(b2, float))
