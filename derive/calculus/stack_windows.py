"""A stack of sliding-window layers: layer mappings validated into windows, and the map shape after each layer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from derive.errors import InvalidLayerError
from derive.model.windows import Pair, Window

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


__all__ = ["LAYER_KEYS", "as_window", "as_windows", "layer_shapes"]
