import numpy as np
import pytest
import sympy as sp

from derive.errors import InvalidLayerError, ShapeError
from derive.model.windows import Window, correlate, correlate_numpy, symbol_grid

CASES = [
    ((5, 4), Window.same(3)),
    ((6, 7), Window.of((3, 1), stride=2, padding=1)),
    ((7, 7), Window.of(3, dilation=2, padding=2)),
    ((4, 5), Window.of(2, stride=(1, 2), padding=(0, 1), padding_after=0)),
    ((2, 3), Window.same(5)),  # kernel larger than the image
]


@pytest.mark.parametrize("shape, window", CASES)
def test_symbolic_and_numpy_agree(shape, window):
    rng = np.random.default_rng(0)
    x, k = rng.normal(size=shape), rng.normal(size=window.kernel)
    X, K = symbol_grid("x", shape), symbol_grid("w", window.kernel)
    values = {X[i, j]: x[i, j] for i in range(shape[0]) for j in range(shape[1])}
    values |= {K[a, b]: k[a, b] for a in range(window.kernel[0]) for b in range(window.kernel[1])}
    symbolic = np.array(correlate(X, K, window).xreplace(values), dtype=float)
    np.testing.assert_allclose(symbolic, correlate_numpy(x, k, window), rtol=1e-12, atol=1e-12)


def test_same_padding_keeps_shape():
    assert correlate_numpy(np.ones((3, 8)), np.ones((5, 5)), Window.same(5)).shape == (3, 8)


@pytest.mark.parametrize("kwargs, field", [({"kernel": 0}, "kernel"), ({"kernel": 3, "stride": 0}, "stride"),
                                           ({"kernel": 3, "dilation": 0}, "dilation"),
                                           ({"kernel": 3, "padding": -1}, "padding")])
def test_invalid_layers(kwargs, field):
    with pytest.raises(InvalidLayerError, match=field):
        Window.of(**kwargs)


def test_even_kernel_cannot_keep_size():
    with pytest.raises(ShapeError, match="odd"):
        Window.same(4)


def test_window_too_large():
    with pytest.raises(ShapeError, match="does not fit"):
        Window.of(5).output_shape((3, 3))


def test_non_2d_rejected():
    with pytest.raises(ShapeError, match="2-D"):
        correlate_numpy(np.ones(3), np.ones((1, 1)))


def test_padding_is_explicit_zero():
    X, K = symbol_grid("x", (1, 1)), symbol_grid("w", (3, 3))
    out = correlate(X, K, Window.same(3))
    assert out[0, 0] == K[1, 1] * X[0, 0]
    assert not out.has(sp.IndexedBase("x")[5, 5])
