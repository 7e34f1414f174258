"""Receptive fields and influence regions of stacks of sliding-window layers, closed-form and checked three ways."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.errors import InvalidLayerError, ShapeError
from derive.model.windows import Pair, Window, correlate, correlate_numpy, symbol_grid

#: The keys a layer mapping may have; ``kernel`` is required.
LAYER_KEYS = ("kernel", "stride", "padding", "dilation", "padding_after")


def _field(layer: Mapping[str, Any], key: str, default: Any) -> int | tuple[int, int] | None:
    value = layer.get(key, default)
    if value is None and key == "padding_after":
        return None
    items = (value,) if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    if not isinstance(items, (tuple, list)) or len(items) not in (1, 2) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
        raise InvalidLayerError(f"{key} must be an int or a pair of ints, got {value!r}", field=key, value=value)
    return int(items[0]) if len(items) == 1 else (int(items[0]), int(items[1]))


def as_window(layer: Mapping[str, Any] | Window) -> Window:
    """Validate one layer mapping and return its :class:`~derive.model.windows.Window`.

    Parameters
    ----------
    layer : mapping or Window
        ``{"kernel": k, "stride": s, "padding": p, "dilation": d}``; only ``kernel`` is required
        (defaults ``s = 1``, ``p = 0``, ``d = 1``); each value is an int or a ``(rows, cols)`` pair.
        ``padding`` is the left/top zero padding; ``padding_after`` (default: ``padding``) the right/bottom.

    Raises
    ------
    InvalidLayerError
        Missing ``kernel``, an unknown key, a non-integer value, ``k < 1``, ``s < 1``, ``d < 1`` or ``p < 0``.

    Examples
    --------
    >>> as_window({"kernel": (3, 5), "stride": 2}).kernel
    (3, 5)
    >>> as_window({"kernel": 3, "strides": 2})
    Traceback (most recent call last):
    ...
    derive.errors.InvalidLayerError: unknown layer key 'strides'; allowed: kernel, stride, padding, dilation, \
padding_after
    """
    if isinstance(layer, Window):
        return layer
    if not isinstance(layer, Mapping):
        raise InvalidLayerError(f"a layer must be a mapping with the key 'kernel', got {layer!r}", value=layer)
    unknown = sorted(set(layer) - set(LAYER_KEYS), key=str)
    if unknown:
        raise InvalidLayerError(f"unknown layer key {unknown[0]!r}; allowed: {', '.join(LAYER_KEYS)}",
                                field=str(unknown[0]), value=layer[unknown[0]])
    if "kernel" not in layer:
        raise InvalidLayerError(f"a layer needs the key 'kernel', got keys {sorted(layer)}", field="kernel")
    k, s, p, d = (_field(layer, key, default) for key, default in (("kernel", 1), ("stride", 1), ("padding", 0),
                                                                    ("dilation", 1)))
    assert k is not None and s is not None and p is not None and d is not None
    return Window.of(k, s, p, d, _field(layer, "padding_after", None))


def as_windows(layers: Iterable[Mapping[str, Any] | Window]) -> tuple[Window, ...]:
    """Validate a stack of layers (see :func:`as_window`).

    Examples
    --------
    >>> len(as_windows([{"kernel": 3}] * 4))
    4
    """
    if isinstance(layers, Mapping):
        raise InvalidLayerError("layers must be a sequence of layer mappings, got a single mapping", value=layers)
    return tuple(as_window(layer) for layer in layers)


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


def layer_shapes(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int]) -> list[Pair]:
    """The map shape after each layer, starting with the image shape.

    Raises
    ------
    ShapeError
        When a window does not fit its input.

    Examples
    --------
    >>> layer_shapes([{"kernel": 3, "stride": 2}], (7, 8))
    [(7, 8), (3, 3)]
    """
    shapes: list[Pair] = [(int(image_shape[0]), int(image_shape[1]))]
    for w in as_windows(layers):
        shapes.append(w.output_shape(shapes[-1]))
    return shapes


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


# --- independent checks ------------------------------------------------------------------------------------


def _positive_kernel(kernel: Pair) -> np.ndarray:
    return 1.0 + np.arange(kernel[0] * kernel[1], dtype=float).reshape(kernel) / (kernel[0] * kernel[1])


def impulse_response(layers: Iterable[Mapping[str, Any] | Window], image_shape: Sequence[int],
                     pixel: Sequence[int]) -> Region:
    """Influence region measured with NumPy: propagate a one-hot image, count the non-zero outputs.

    Kernels are strictly positive, so no contribution can cancel; this check shares no code with
    :func:`influence_region` beyond :func:`derive.model.windows.correlate_numpy`.

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


# --- symbolic derivation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StackSymbols:
    """Symbols of a general stack: depth ``L``, per-layer ``k_l, s_l, d_l, p_l`` and the sequences ``r, S, P``.

    Examples
    --------
    >>> StackSymbols.make().k[2]
    k[2]
    """

    L: sp.Symbol
    index: sp.Symbol
    i: sp.Symbol
    u: sp.Symbol
    k: sp.IndexedBase
    s: sp.IndexedBase
    d: sp.IndexedBase
    p: sp.IndexedBase
    r: sp.IndexedBase
    S: sp.IndexedBase
    P: sp.IndexedBase

    @classmethod
    def make(cls) -> StackSymbols:
        """The standard symbols (all integers; sizes positive, paddings non-negative)."""
        pos = {"integer": True, "positive": True}
        nonneg = {"integer": True, "nonnegative": True}
        return cls(
            L=sp.Symbol("L", **nonneg), index=sp.Symbol("l", **pos), i=sp.Symbol("i", **pos),
            u=sp.Symbol("u", integer=True), k=sp.IndexedBase("k", **pos), s=sp.IndexedBase("s", **pos),
            d=sp.IndexedBase("d", **pos), p=sp.IndexedBase("p", **nonneg), r=sp.IndexedBase("r", **pos),
            S=sp.IndexedBase("S", **pos), P=sp.IndexedBase("P", **nonneg))

    def stride_product(self, upper: sp.Expr) -> sp.Expr:
        """``prod_{i=1}^{upper} s_i``."""
        return sp.Product(self.s[self.i], (self.i, 1, upper))

    def closed_size(self, depth: sp.Expr) -> sp.Expr:
        """``r(L) = 1 + sum_l (k_l - 1) d_l prod_{i<l} s_i``."""
        j = self.index
        return 1 + sp.Sum((self.k[j] - 1) * self.d[j] * self.stride_product(j - 1), (j, 1, depth))

    def closed_stride(self, depth: sp.Expr) -> sp.Expr:
        """``S(L) = prod_l s_l``."""
        return self.stride_product(depth)

    def closed_padding(self, depth: sp.Expr) -> sp.Expr:
        """``P(L) = sum_l p_l prod_{i<l} s_i``."""
        j = self.index
        return sp.Sum(self.p[j] * self.stride_product(j - 1), (j, 1, depth))

    def one_layer_span(self, layer: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """First and last input index read by unit ``u`` of ``layer``, from the spans of the layer below.

        Tap ``a`` of unit ``u`` is unit ``v = u s - p + a d`` below, which reads ``v S' - P' .. v S' - P' + r' - 1``;
        the first tap (``a = 0``) gives the first input and the last tap (``a = k - 1``) the last.
        """
        below = layer - 1
        k, s, d, p = self.k[layer], self.s[layer], self.d[layer], self.p[layer]
        r, S, P = self.r[below], self.S[below], self.P[below]

        def first_input(v: sp.Expr) -> sp.Expr:
            return v * S - P

        first = first_input(self.u * s - p)
        last = first_input(self.u * s - p + (k - 1) * d) + r - 1
        return first, last


__all__ = [
    "LAYER_KEYS", "ReceptiveField", "Region", "StackSymbols", "as_window", "as_windows", "dependency_region",
    "fitting_shape", "impulse_dependencies", "impulse_response", "influence_interval", "influence_region",
    "influence_count_formula", "input_symbols", "interval_count", "layer_shapes", "measure_receptive_field",
    "receptive_field", "symbolic_dependencies",
]
