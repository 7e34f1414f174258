"""Run small NumPy experiments on one BLAS thread: on shared cores, threaded tiny matmuls are far slower."""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from collections.abc import Iterator
from typing import Any

import numpy as np


def _openblas() -> Any | None:
    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs", "*openblas*")
    for path in sorted(glob.glob(libs)):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            setter = getattr(lib, f"{prefix}_set_num_threads64_", None) or getattr(
                lib, f"{prefix}_set_num_threads", None)
            getter = getattr(lib, f"{prefix}_get_num_threads64_", None) or getattr(
                lib, f"{prefix}_get_num_threads", None)
            if setter is not None and getter is not None:
                return setter, getter
    return None


@contextlib.contextmanager
def single_blas_thread() -> Iterator[bool]:
    """Limit NumPy's bundled OpenBLAS to one thread inside the block; yields whether it could.

    The results do not depend on it (each product is computed the same way); only the time does.

    Examples
    --------
    >>> with single_blas_thread() as limited:
    ...     float((np.ones((2, 2)) @ np.ones(2))[0])
    2.0
    """
    found = _openblas()
    if found is None:
        yield False
        return
    setter, getter = found
    before = int(getter())
    setter(1)
    try:
        yield True
    finally:
        setter(before)
