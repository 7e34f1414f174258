"""The receptive field measured independently: NumPy impulse responses and the SymPy dependencies of each unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from derive.calculus.receptive import ReceptiveField, Region, _check_position, receptive_field
from derive.calculus.stack_windows import as_windows, layer_shapes
from derive.errors import ShapeError
from derive.model.windows import Pair, Window, correlate, correlate_numpy, symbol_grid


def _positive_kernel(kernel: Pair) -> np.ndarray:
    return 1.0 + np.arange(kernel[0] * kernel[1], dtype=float).reshape(kernel) / (kernel[0] * kernel[1])


def impulse_response(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                     pixel: Sequence[int]) -> Region:
    """Influence region measured with NumPy: propagate a one-hot image, count the non-zero outputs.

    Kernels are strictly positive, so no contribution can cancel; this check shares no code with
    :func:`~derive.calculus.receptive.influence_region` beyond :func:`derive.model.windows.correlate_numpy`.

    Examples
    --------
    >>> impulse_response([{"kernel": 3, "padding": 1}] * 4, (12, 12), (0, 0)).count
    25
    """
    windows = as_windows(layers)
    shape = (int(image_shape[0]), int(image_shape[1]))
    x = np.zeros(shape)
    x[_check_position(pixel, shape, "pixel")] = 1.0
    for w in windows:
        x = correlate_numpy(x, _positive_kernel(w.kernel), w)
    return Region.of(zip(*np.nonzero(x)))


def input_symbols(expr: sp.Basic, base: sp.IndexedBase, memo: dict[int, frozenset[sp.Indexed]] | None = None
                  ) -> frozenset[sp.Indexed]:
    """The elements ``base[i, j]`` among the ``free_symbols`` of ``expr``, memoised over shared subexpressions.

    A deep stack of unexpanded correlations shares each layer's entries between many outputs; the plain
    ``free_symbols`` property walks every path of that graph, this walk visits each node once.

    Examples
    --------
    >>> x, w = sp.IndexedBase("x"), sp.IndexedBase("w")
    >>> sorted(input_symbols(w[0] * (x[0, 1] + w[1] * x[2, 2]), x), key=str)
    [x[0, 1], x[2, 2]]
    """
    memo = {} if memo is None else memo
    key = id(expr)  # the caller keeps the expression (and so every node) alive while the memo is in use
    if key not in memo:
        if isinstance(expr, sp.Indexed):
            memo[key] = frozenset({expr}) if expr.base == base else frozenset()
        else:
            memo[key] = frozenset().union(*(input_symbols(a, base, memo) for a in expr.args))
    return memo[key]


def symbolic_dependencies(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                          name: str = "x") -> dict[Pair, Region]:
    """For every last-layer unit, the input symbols its SymPy expression depends on (its ``free_symbols``).

    The stack is built with :func:`derive.model.windows.correlate` on a
    :func:`~derive.model.windows.symbol_grid` image with a symbolic kernel per layer (``w1``, ``w2``,
    ...). The expressions are never expanded, so nothing can cancel: this is the network's own statement of
    what each output reads.

    Examples
    --------
    >>> deps = symbolic_dependencies([{"kernel": 2}], (2, 3))
    >>> deps[(0, 1)].indices
    ((0, 1), (0, 2), (1, 1), (1, 2))
    """
    windows = as_windows(layers)
    shape = (int(image_shape[0]), int(image_shape[1]))
    h = symbol_grid(name, shape)
    base = h[0, 0].base
    for n, w in enumerate(windows, start=1):
        h = correlate(h, symbol_grid(f"w{n}", w.kernel), w)
    memo: dict[int, frozenset[sp.Indexed]] = {}
    return {(r, c): Region.of(e.indices for e in input_symbols(h[r, c], base, memo))
            for r in range(h.rows) for c in range(h.cols)}


def measure_receptive_field(dependencies: Mapping[Pair, Region]) -> ReceptiveField:
    """Read size, stride and padding off measured dependency sets, without using any formula.

    The size is the largest bounding-box extent over units (units near the border are clipped); the stride
    is the shift of the first input between two neighbouring units of largest extent; the padding is
    ``u S - first(u)``.

    Raises
    ------
    ShapeError
        When the image is too small to hold two neighbouring unclipped units along an axis.

    Examples
    --------
    >>> measure_receptive_field(symbolic_dependencies([{"kernel": 3, "stride": 2, "padding": 1}], (9, 9)))
    ReceptiveField(sizes=(3, 3), strides=(2, 2), paddings=(1, 1))
    """
    sizes, strides, pads = [0, 0], [0, 0], [0, 0]
    for a in range(2):
        spans: dict[int, set[Pair]] = {}
        for unit, region in dependencies.items():
            coords = region.rows if a == 0 else region.cols
            if coords:
                spans.setdefault(unit[a], set()).add((coords[0], coords[-1]))
        # along one axis every unit in the same row (col) has the same span
        first = {u: min(lo for lo, _ in v) for u, v in spans.items()}
        extent = {u: max(hi for _, hi in v) - first[u] + 1 for u, v in spans.items()}
        sizes[a] = max(extent.values(), default=0)
        full = [u for u in sorted(extent) if extent[u] == sizes[a]]
        pairs = [u for u in full if u + 1 in full]
        if not pairs:
            raise ShapeError("the image is too small: no two neighbouring units see their whole receptive field",
                             shape=None)
        u = pairs[0]
        strides[a] = first[u + 1] - first[u]
        pads[a] = u * strides[a] - first[u]
    return ReceptiveField((sizes[0], sizes[1]), (strides[0], strides[1]), (pads[0], pads[1]))


def impulse_dependencies(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int]) -> dict[
        Pair, Region]:
    """Dependency set of every last-layer unit, from one NumPy impulse per input pixel.

    Examples
    --------
    >>> impulse_dependencies([{"kernel": 2}], (2, 3))[(0, 1)].indices
    ((0, 1), (0, 2), (1, 1), (1, 2))
    """
    windows = as_windows(layers)
    shape = (int(image_shape[0]), int(image_shape[1]))
    found: dict[Pair, list[Pair]] = {u: [] for u in np.ndindex(*layer_shapes(windows, shape)[-1])}
    for pixel in np.ndindex(*shape):
        for unit in impulse_response(windows, shape, pixel).indices:
            found[unit].append((int(pixel[0]), int(pixel[1])))
    return {u: Region.of(v) for u, v in found.items()}


def fitting_shape(layers: Iterable[Mapping[str, Any] | Window], margin: int = 1) -> Pair:
    """A small image shape that holds two neighbouring units with unclipped receptive fields, plus a margin.

    Examples
    --------
    >>> fitting_shape([{"kernel": 3, "padding": 1}] * 4)
    (12, 12)
    """
    windows = as_windows(layers)
    rf = receptive_field(windows)
    out = []
    for a in range(2):
        r, s, p = rf.sizes[a], rf.strides[a], rf.paddings[a]
        u = -(-p // s) + margin
        n = (u + 1 + margin) * s - p + r
        out.append(n)
    return out[0], out[1]


__all__ = ["fitting_shape", "impulse_dependencies", "impulse_response", "input_symbols", "measure_receptive_field",
           "symbolic_dependencies"]
