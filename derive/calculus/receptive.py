"""Receptive fields and influence regions of stacks of sliding-window layers, in closed form and exactly.

The stack's windows come from :mod:`derive.calculus.stack_windows`; the independent checks (NumPy impulses,
SymPy dependencies) are :mod:`derive.calculus.receptive_checks`, the symbolic recurrence
:mod:`derive.calculus.stack_symbols`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.calculus.stack_windows import as_windows, layer_shapes
from derive.errors import ShapeError
from derive.model.windows import Pair, Window


def _scalar(pair: Pair) -> int | Pair:
    return pair[0] if pair[0] == pair[1] else pair


@dataclass(frozen=True)
class ReceptiveField:
    """Receptive field of a stack, per axis: size ``r``, effective stride ``S`` and effective padding ``P``.

    Unit ``u`` of the last layer reads the input positions ``u*S - P, ..., u*S - P + r - 1`` (its span; with
    dilation the span may have holes, see :func:`dependency_region`).

    Examples
    --------
    >>> rf = ReceptiveField((9, 9), (1, 1), (4, 4))
    >>> rf.size, rf.stride, rf.padding, rf.span((0, 2))
    (9, 1, 4, ((-4, 4), (-2, 6)))
    """

    sizes: Pair
    strides: Pair
    paddings: Pair

    @property
    def size(self) -> int | Pair:
        """``r``: an int when both axes agree, else ``(rows, cols)``."""
        return _scalar(self.sizes)

    @property
    def stride(self) -> int | Pair:
        """``S``, the product of the strides: an int when both axes agree, else a pair."""
        return _scalar(self.strides)

    @property
    def padding(self) -> int | Pair:
        """``P``, the input offset of unit 0: an int when both axes agree, else a pair."""
        return _scalar(self.paddings)

    def span(self, unit: Sequence[int]) -> tuple[Pair, Pair]:
        """First and last input index read by ``unit``, per axis: ``((first_row, last_row), (first_col, last_col))``."""
        out = []
        for axis in range(2):
            first = unit[axis] * self.strides[axis] - self.paddings[axis]
            out.append((first, first + self.sizes[axis] - 1))
        return out[0], out[1]


def receptive_field(layers: Iterable[Mapping[str, Any] | Window]) -> ReceptiveField:
    """Size, effective stride and effective padding of a stack, by the one-layer recurrence.

    ``r_l = r_{l-1} + (k_l - 1) d_l S_{l-1}``, ``S_l = S_{l-1} s_l``, ``P_l = P_{l-1} + p_l S_{l-1}`` from
    ``r_0 = S_0 = 1``, ``P_0 = 0``; pooling layers are windows like any other.

    Parameters
    ----------
    layers : sequence of mappings
        Each with ``kernel`` and optional ``stride`` (1), ``padding`` (0), ``dilation`` (1); see :func:`as_window`.

    Returns
    -------
    ReceptiveField

    Raises
    ------
    InvalidLayerError
        For an invalid layer.

    Examples
    --------
    >>> receptive_field([{"kernel": 3, "padding": 1}] * 4).size
    9
    >>> rf = receptive_field([{"kernel": 3, "stride": 2}, {"kernel": (3, 5), "dilation": 2}])
    >>> rf.size, rf.stride, rf.padding
    ((11, 19), 2, 0)
    """
    size, stride, pad = [1, 1], [1, 1], [0, 0]
    for w in as_windows(layers):
        for a in range(2):
            size[a] += (w.kernel[a] - 1) * w.dilation[a] * stride[a]
            pad[a] += w.padding[a] * stride[a]
            stride[a] *= w.stride[a]
    return ReceptiveField((size[0], size[1]), (stride[0], stride[1]), (pad[0], pad[1]))


@dataclass(frozen=True)
class Region:
    """A set of units (or pixels) of one map: ``count`` and the sorted ``indices`` ``(row, col)``.

    The dependency structure of a stack is separable, so every region is the product ``rows x cols``.

    Examples
    --------
    >>> Region.product((0, 1), (2,)).indices
    ((0, 2), (1, 2))
    """

    count: int
    indices: tuple[Pair, ...]
    rows: tuple[int, ...] = ()
    cols: tuple[int, ...] = ()

    @classmethod
    def product(cls, rows: Iterable[int], cols: Iterable[int]) -> Region:
        """The region ``rows x cols``."""
        r, c = tuple(sorted(set(rows))), tuple(sorted(set(cols)))
        return cls(len(r) * len(c), tuple((i, j) for i in r for j in c), r, c)

    @classmethod
    def of(cls, indices: Iterable[Sequence[int]]) -> Region:
        """A region from any set of ``(row, col)`` pairs (rows and cols are its projections)."""
        idx = tuple(sorted({(int(i), int(j)) for i, j in indices}))
        return cls(len(idx), idx, tuple(sorted({i for i, _ in idx})), tuple(sorted({j for _, j in idx})))

    def extent(self) -> Pair:
        """Height and width of the bounding box (0 for an empty region)."""
        if not self.indices:
            return 0, 0
        return self.rows[-1] - self.rows[0] + 1, self.cols[-1] - self.cols[0] + 1


def _check_position(position: Sequence[int], shape: Pair, what: str) -> Pair:
    if len(position) != 2 or not all(0 <= int(position[a]) < shape[a] for a in range(2)):
        raise ShapeError(f"{what} {tuple(position)} lies outside the map of shape {shape}", name=what, shape=shape)
    return int(position[0]), int(position[1])


def influence_region(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                     pixel: Sequence[int]) -> Region:
    """The exact set of last-layer units whose value depends on one input pixel.

    Per axis, the set is propagated layer by layer: unit ``u`` of layer ``l`` depends on the pixel iff one of
    its taps ``u s_l - p_l + a d_l`` (``0 <= a < k_l``) lies in the previous set; taps in the zero padding
    depend on nothing. The two axes are independent, so the region is the product of the two sets.

    Parameters
    ----------
    layers : sequence of mappings
        See :func:`receptive_field`.
    image_shape : (rows, cols)
    pixel : (row, col)
        0-based position of the input pixel.

    Returns
    -------
    Region
        Units ``(row, col)`` of the last layer, and their number.

    Raises
    ------
    ShapeError
        When the pixel lies outside the image, or a window does not fit.

    Examples
    --------
    >>> stack = [{"kernel": 3, "padding": 1}] * 4
    >>> influence_region(stack, (16, 16), (8, 8)).count, influence_region(stack, (16, 16), (0, 0)).count
    (81, 25)
    >>> influence_region([{"kernel": 3, "stride": 2}], (9, 9), (4, 4)).rows
    (1, 2)
    """
    windows = as_windows(layers)
    shapes = layer_shapes(windows, image_shape)
    start = _check_position(pixel, shapes[0], "pixel")
    axes = []
    for a in range(2):
        current = {start[a]}
        for w, n in zip(windows, shapes[1:]):
            s, p, d, k = w.stride[a], w.padding[a], w.dilation[a], w.kernel[a]
            current = {u for u in range(n[a]) if any(u * s - p + t * d in current for t in range(k))}
        axes.append(current)
    return Region.product(axes[0], axes[1])


def dependency_region(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                      unit: Sequence[int]) -> Region:
    """The exact set of input pixels that one last-layer unit depends on (its clipped receptive field).

    Examples
    --------
    >>> dependency_region([{"kernel": 3, "dilation": 2}], (9, 9), (0, 0)).rows
    (0, 2, 4)
    >>> dependency_region([{"kernel": 3, "padding": 1}] * 4, (16, 16), (8, 8)).extent()
    (9, 9)
    """
    windows = as_windows(layers)
    shapes = layer_shapes(windows, image_shape)
    target = _check_position(unit, shapes[-1], "unit")
    axes = []
    for a in range(2):
        current = {target[a]}
        for w, n in zip(reversed(windows), reversed(shapes[:-1])):
            s, p, d, k = w.stride[a], w.padding[a], w.dilation[a], w.kernel[a]
            current = {v for u in current for t in range(k) if 0 <= (v := u * s - p + t * d) < n[a]}
        axes.append(current)
    return Region.product(axes[0], axes[1])


def influence_interval(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                       pixel: Sequence[int]) -> tuple[Pair, Pair]:
    """Closed form of the influence region: units whose span ``[uS - P, uS - P + r - 1]`` holds the pixel.

    ``ceil((x + P - r + 1)/S) <= u <= floor((x + P)/S)``, clipped to the last map. This is the exact region
    whenever spans have no holes and no unit reads only padding (e.g. stride-1 stacks with at most "same"
    padding); :func:`influence_region` is exact in all cases.

    Returns
    -------
    ((first_row, last_row), (first_col, last_col))
        Empty along an axis when ``first > last``.

    Examples
    --------
    >>> influence_interval([{"kernel": 3, "padding": 1}] * 4, (16, 16), (0, 8))
    ((0, 4), (4, 12))
    """
    windows = as_windows(layers)
    rf, last = receptive_field(windows), layer_shapes(windows, image_shape)[-1]
    x = _check_position(pixel, (int(image_shape[0]), int(image_shape[1])), "pixel")
    out = []
    for a in range(2):
        r, s, p = rf.sizes[a], rf.strides[a], rf.paddings[a]
        lo = max(0, -((r - 1 - x[a] - p) // s))
        hi = min(last[a] - 1, (x[a] + p) // s)
        out.append((lo, hi))
    return out[0], out[1]


def influence_count_formula(layers: Iterable[Mapping[str, Any] | Window], position: sp.Expr, size: sp.Expr,
                            axis: int = 0) -> sp.Expr:
    """Closed form, along one axis, of the number of last-layer units whose span holds input ``position``.

    ``min(floor((x + P)/S), n_L - 1) - max(0, ceil((x + P - r + 1)/S)) + 1`` with the map length ``n_L``
    propagated symbolically from ``size`` (see :func:`influence_interval` for when it is exact).

    Examples
    --------
    >>> x, n = sp.symbols("x n", integer=True, nonnegative=True)
    >>> influence_count_formula([{"kernel": 3, "padding": 1}] * 4, x, n)
    -Max(0, x - 4) + Min(n - 1, x + 4) + 1
    """
    windows = as_windows(layers)
    rf = receptive_field(windows)
    length = size
    for w in windows:
        span = length + w.padding[axis] + w.padding_after[axis] - w.dilation[axis] * (w.kernel[axis] - 1)
        length = sp.floor((span - 1) / w.stride[axis]) + 1
    r, s, p = rf.sizes[axis], rf.strides[axis], rf.paddings[axis]
    return sp.Min(sp.floor((position + p) / s), length - 1) - sp.Max(0, sp.ceiling((position + p - r + 1) / s)) + 1


def interval_count(interval: tuple[Pair, Pair]) -> int:
    """Number of units in the product of two closed integer intervals.

    Examples
    --------
    >>> interval_count(((0, 4), (4, 12)))
    45
    """
    return math.prod(max(0, hi - lo + 1) for lo, hi in interval)


__all__ = [
    "ReceptiveField", "Region", "dependency_region", "influence_count_formula", "influence_interval",
    "influence_region", "interval_count", "receptive_field",
]
