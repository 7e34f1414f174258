"""Two-dimensional cross-correlation layers, symbolic (elementwise SymPy) and numeric (NumPy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.errors import InvalidLayerError, ShapeError

Pair = tuple[int, int]


def _pair(value: int | Sequence[int], name: str) -> Pair:
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    pair = tuple(int(v) for v in value)
    if len(pair) != 2:
        raise InvalidLayerError(f"{name} must be an int or a pair, got {value!r}", field=name, value=value)
    return pair[0], pair[1]


@dataclass(frozen=True)
class Window:
    """One sliding-window layer per axis: kernel size, stride, zero padding before and after, dilation.

    Examples
    --------
    >>> Window.of(kernel=3, padding=1).output_shape((5, 4))
    (5, 4)
    >>> Window.of(kernel=0)
    Traceback (most recent call last):
    ...
    derive.errors.InvalidLayerError: kernel must be >= 1 on each axis, got (0, 0)
    """

    kernel: Pair
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    padding_after: Pair = (0, 0)
    dilation: Pair = (1, 1)

    @classmethod
    def of(
        cls,
        kernel: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        dilation: int | Sequence[int] = 1,
        padding_after: int | Sequence[int] | None = None,
    ) -> Window:
        """Build and validate a window; ``padding_after`` defaults to ``padding`` (symmetric)."""
        k, s, p, d = _pair(kernel, "kernel"), _pair(stride, "stride"), _pair(padding, "padding"), _pair(
            dilation, "dilation")
        q = p if padding_after is None else _pair(padding_after, "padding_after")
        for name, value, low in (("kernel", k, 1), ("stride", s, 1), ("dilation", d, 1), ("padding", p, 0),
                                 ("padding_after", q, 0)):
            if min(value) < low:
                raise InvalidLayerError(f"{name} must be >= {low} on each axis, got {value}", field=name,
                                        value=value)
        return cls(k, s, p, q, d)

    @classmethod
    def same(cls, kernel: int | Sequence[int]) -> Window:
        """Stride 1 with the zero padding that keeps the size; the kernel must be odd.

        Examples
        --------
        >>> Window.same(5).padding
        (2, 2)
        """
        k = _pair(kernel, "kernel")
        if k[0] % 2 == 0 or k[1] % 2 == 0 or min(k) < 1:
            raise ShapeError(f"a size-preserving kernel must be odd, got {k[0]}x{k[1]}", name="kernel", shape=k)
        return cls.of(k, padding=(k[0] // 2, k[1] // 2))

    def output_shape(self, shape: Sequence[int]) -> Pair:
        """Output size per axis: ``floor((n + p + q - d(k-1) - 1)/s) + 1``."""
        out = []
        for axis in range(2):
            span = shape[axis] + self.padding[axis] + self.padding_after[axis] - self.dilation[axis] * (
                self.kernel[axis] - 1)
            if span < 1:
                raise ShapeError(f"the window does not fit the input of shape {tuple(shape)}", shape=tuple(shape))
            out.append((span - 1) // self.stride[axis] + 1)
        return out[0], out[1]

    def taps(self, r: int, c: int) -> list[tuple[int, int, int, int]]:
        """``(a, b, i, j)``: kernel entry ``(a, b)`` meets input ``(i, j)`` at output ``(r, c)`` (may lie outside)."""
        return [
            (a, b, r * self.stride[0] - self.padding[0] + a * self.dilation[0],
             c * self.stride[1] - self.padding[1] + b * self.dilation[1])
            for a in range(self.kernel[0]) for b in range(self.kernel[1])
        ]


def symbol_grid(name: str, shape: Sequence[int]) -> sp.Matrix:
    """A matrix of the array elements ``name[i, j]`` (0-based), real.

    Examples
    --------
    >>> symbol_grid("x", (2, 2))
    Matrix([
    [x[0, 0], x[0, 1]],
    [x[1, 0], x[1, 1]]])
    """
    base = sp.IndexedBase(name, real=True)
    return sp.Matrix(shape[0], shape[1], lambda i, j: base[i, j])


def correlate(image: sp.Matrix, kernel: sp.Matrix, window: Window | None = None) -> sp.Matrix:
    """Cross-correlation of SymPy matrices with explicit zero padding, as deep-learning libraries compute it.

    ``out[r, c] = sum_{a,b} kernel[a, b] * image[r*s - p + a*d, c*s - p + b*d]``, where positions
    outside the image contribute 0 (the padding is encoded explicitly, never by out-of-range indices).

    Examples
    --------
    >>> x, w = symbol_grid("x", (1, 3)), symbol_grid("w", (1, 3))
    >>> correlate(x, w, Window.same((1, 3)))[0, 0]
    w[0, 1]*x[0, 0] + w[0, 2]*x[0, 1]
    """
    window = window or Window.of((kernel.rows, kernel.cols))
    if (kernel.rows, kernel.cols) != window.kernel:
        raise ShapeError(f"kernel shape {kernel.shape} does not match the window {window.kernel}",
                         name="kernel", shape=kernel.shape)
    rows, cols = window.output_shape(image.shape)

    def entry(r: int, c: int) -> sp.Expr:
        return sp.Add(*(kernel[a, b] * image[i, j] for a, b, i, j in window.taps(r, c)
                        if 0 <= i < image.rows and 0 <= j < image.cols))

    return sp.Matrix(rows, cols, entry)


def correlate_numpy(image: Any, kernel: Any, window: Window | None = None) -> np.ndarray:
    """The same cross-correlation in NumPy (float64), vectorised over output positions.

    Examples
    --------
    >>> correlate_numpy(np.arange(3.0)[None], np.ones((1, 3)), Window.same((1, 3))).tolist()
    [[1.0, 3.0, 3.0]]
    """
    x, k = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    if x.ndim != 2 or k.ndim != 2:
        raise ShapeError(f"image and kernel must be 2-D, got {x.shape} and {k.shape}", shape=x.shape)
    window = window or Window.of(k.shape)
    if k.shape != window.kernel:
        raise ShapeError(f"kernel shape {k.shape} does not match the window {window.kernel}", name="kernel",
                         shape=k.shape)
    rows, cols = window.output_shape(x.shape)
    (p0, p1), (q0, q1), (s0, s1), (d0, d1) = window.padding, window.padding_after, window.stride, window.dilation
    padded = np.pad(x, ((p0, q0), (p1, q1)))
    out = np.zeros((rows, cols))
    for a in range(k.shape[0]):
        for b in range(k.shape[1]):
            r0, c0 = a * d0, b * d1
            out += k[a, b] * padded[r0:r0 + s0 * (rows - 1) + 1:s0, c0:c0 + s1 * (cols - 1) + 1:s1]
    return out
