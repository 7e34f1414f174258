"""The blocked conv kernels: any blocking gives the unblocked result, and the result matches a plain reference."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from derive.model import kernels

CASES = [  # (N, C, O, H, W, kh, kw, stride, padding, dilation)
    (1, 3, 4, 8, 9, 3, 3, 1, 1, 1),
    (2, 3, 2, 9, 7, 3, 2, 2, 1, 1),
    (1, 2, 3, 10, 10, 3, 3, 1, 2, 2),
    (1, 1, 1, 5, 5, 2, 2, 3, 0, 1),
    (2, 2, 2, 7, 8, 3, 3, 2, 3, 1),
    (1, 2, 2, 6, 6, 3, 3, 1, 0, 2),
]


def _reference(x: np.ndarray, w: np.ndarray, s: int, p: int, d: int) -> np.ndarray:
    """Padded copy and a sliding-window einsum: the plain definition of conv2d."""
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    view = sliding_window_view(xp, (d * (kh - 1) + 1, d * (kw - 1) + 1), axis=(2, 3))[..., ::d, ::d]
    return np.einsum("ncijab,ocab->noij", view[:, :, ::s, ::s], w)


def _vjps(x: np.ndarray, w: np.ndarray, g: np.ndarray, s: int, p: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """The input and kernel VJPs of the reference, by the adjoint identity on a basis (small sizes only)."""
    gx = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = 1
        gx[index] = np.sum(g * _reference(e, w, s, p, d))
    gw = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[index] = 1
        gw[index] = np.sum(g * _reference(x, e, s, p, d))
    return gx, gw


@pytest.mark.parametrize("case", CASES)
def test_blocked_conv_kernels_match_the_reference_for_every_blocking(case: tuple[int, ...]) -> None:
    n, c, o, h, w_, kh, kw, s, p, d = case
    rng = np.random.default_rng(sum(case))
    x, w = rng.normal(size=(n, c, h, w_)), rng.normal(size=(o, c, kh, kw))
    S, P, D = (s, s), (p, p), (d, d)
    y = kernels.conv2d(x, w, S, P, D)
    np.testing.assert_allclose(y, _reference(x, w, s, p, d), rtol=1e-12, atol=1e-12)
    g = rng.normal(size=y.shape)
    gx, gw = _vjps(x, w, g, s, p, d)
    dx = kernels.conv2d_grad_input(g, w, (h, w_), S, P, D)
    dw = kernels.conv2d_grad_weight(g, x, (kh, kw), S, P, D)
    np.testing.assert_allclose(dx, gx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dw, gw, rtol=1e-12, atol=1e-12)
    for entries in (1, 7, 50, 10**9):  # one row per block up to one block for everything
        np.testing.assert_allclose(kernels.conv2d(x, w, S, P, D, entries=entries), y, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(kernels.conv2d_grad_input(g, w, (h, w_), S, P, D, entries=entries), dx,
                                   rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(kernels.conv2d_grad_weight(g, x, (kh, kw), S, P, D, entries=entries), dw,
                                   rtol=1e-13, atol=1e-13)


def test_blocked_kernels_are_exact_on_object_arrays_for_every_blocking() -> None:
    rng = np.random.default_rng(3)
    x = np.array([[Fraction(int(v), 3) for v in row] for row in rng.integers(-5, 5, (6, 5))], dtype=object)
    w = np.array([[Fraction(int(v), 2) for v in row] for row in rng.integers(-5, 5, (3, 3))], dtype=object)
    one = ((1, 1), (1, 1), (1, 1))
    for entries in (1, 9, 10**9):
        y = kernels.conv2d(x, w, *one, entries=entries)
        expected = _reference(x.astype(float)[None, None], w.astype(float)[None, None], 1, 1, 1)[0, 0]
        assert y.dtype == object
        np.testing.assert_allclose(y.astype(float), expected, rtol=1e-12, atol=1e-12)
        dx = kernels.conv2d_grad_input(y, w, (6, 5), *one, entries=entries)
        dw = kernels.conv2d_grad_weight(y, x, (3, 3), *one, weight_ndim=2, entries=entries)
        assert dx.dtype == object and dw.dtype == object
        if entries == 1:
            first = (dx, dw)
        else:
            assert (dx == first[0]).all() and (dw == first[1]).all()


def test_the_blocks_bound_the_im2col_buffer() -> None:
    # 1024² with k = 7 and C = 16: a full im2col matrix would hold 16·49·1024² entries; a block holds at most
    # CHUNK_ENTRIES (one output row at the least).
    rows = kernels._chunk_rows(16 * 49, 1024, 1024)
    assert 1 <= rows < 1024 and 16 * 49 * rows * 1024 <= max(kernels.CHUNK_ENTRIES, 16 * 49 * 1024)
