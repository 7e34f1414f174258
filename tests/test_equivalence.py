"""The weight map between sigmoid and tanh networks (proofs/support/equivalence.py, the helper of Q4)."""

import numpy as np
import pytest

from derive import ShapeError
from proofs.support.equivalence import sigmoid_to_tanh, tanh_to_sigmoid, two_layer_forward


@pytest.mark.parametrize("sizes", [(1, 1, 1), (2, 3, 4), (7, 20, 3), (30, 64, 10)])
def test_tanh_network_matches_sigmoid_network(sizes):
    D, M, K = sizes
    rng = np.random.default_rng(sum(sizes))
    W1, b1, W2, b2 = rng.normal(size=(M, D)), rng.normal(size=M), rng.normal(size=(K, M)), rng.normal(size=K)
    x = rng.normal(size=(50, D))
    tanh_weights = sigmoid_to_tanh(W1, b1, W2, b2)
    np.testing.assert_allclose(two_layer_forward("tanh", x, *tanh_weights),
                               two_layer_forward("sigmoid", x, W1, b1, W2, b2), rtol=1e-12, atol=1e-12)
    for back, original in zip(tanh_to_sigmoid(*tanh_weights), (W1, b1, W2, b2)):
        np.testing.assert_allclose(back, original, rtol=1e-13, atol=1e-14)


def test_output_bias_gets_half_the_row_sum():
    W2 = np.array([[1.0, 2.0, 3.0]])
    *_, b2t = sigmoid_to_tanh(np.ones((3, 1)), np.zeros(3), W2, np.array([0.5]))
    assert b2t.tolist() == [0.5 + 6.0 / 2]


def test_returns_float64_arrays_of_input_shapes():
    out = sigmoid_to_tanh(np.ones((4, 2)), np.ones(4), np.ones((3, 4)), np.ones(3))
    assert [a.shape for a in out] == [(4, 2), (4,), (3, 4), (3,)]
    assert all(a.dtype == np.float64 for a in out)


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.ones(3), np.ones(3), np.ones((1, 3)), np.ones(1)), "W1 must be 2-D"),
        ((np.ones((3, 2)), np.ones(2), np.ones((1, 3)), np.ones(1)), "b1 must have shape"),
        ((np.ones((3, 2)), np.ones(3), np.ones((1, 4)), np.ones(1)), "W2 must have shape"),
        ((np.ones((3, 2)), np.ones(3), np.ones((2, 3)), np.ones(3)), "b2 must have shape"),
    ],
)
def test_wrong_shapes(args, match):
    with pytest.raises(ShapeError, match=match):
        sigmoid_to_tanh(*args)
