"""The numeric path of ``derive.grad``: the residual block at C = 16 against hand-written NumPy and torch float64."""

from __future__ import annotations

import os
import time
from functools import partial

import numpy as np

from .harness import Figure, median_time

SEED = 20261202
CHANNELS = 16
SPEC = """x  = input({c}, H, W)
w1 = param({c}, {c}, {k}, {k})
w2 = param({c}, {c}, {k}, {k})
h1 = conv2d(x, w1, padding=same)
z1 = relu(h1)
h2 = conv2d(z1, w2, padding=same)
y  = relu(h2 + x)
output y
"""
ROWS = 1 << 21  # entries of one im2col block of the baseline (bounded memory, as the engine's kernels)


def _sizes() -> list[tuple[int, int]]:
    """``(H, k)`` pairs; ``DERIVE_BENCH_GRAD_SIZES=64,256`` limits the image sizes (default 64, 256, 1024)."""
    sizes = [int(s) for s in os.environ.get("DERIVE_BENCH_GRAD_SIZES", "64,256,1024").split(",")]
    return [(n, k) for n in sizes for k in (3, 7)]


def _cols(x: np.ndarray, k: int, i0: int, i1: int) -> np.ndarray:
    """Baseline im2col of output rows [i0, i1) of a 'same' convolution of x (C, H, W), zero padding by slicing."""
    c, h, w = x.shape
    p = k // 2
    buf = np.zeros((c, k, k, i1 - i0, w))
    for a in range(k):
        lo, hi = max(i0, p - a), min(i1, h + p - a)
        for b in range(k):
            jlo, jhi = max(0, p - b), min(w, w + p - b)
            buf[:, a, b, lo - i0:hi - i0, jlo:jhi] = x[:, lo + a - p:hi + a - p, jlo + b - p:jhi + b - p]
    return buf.reshape(c * k * k, -1)


def _blocks(c: int, k: int, h: int, w: int) -> list[tuple[int, int]]:
    rows = max(1, min(h, ROWS // (c * k * k * w)))
    return [(i, min(h, i + rows)) for i in range(0, h, rows)]


def baseline(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, g: np.ndarray) -> dict[str, np.ndarray]:
    """Hand-written forward and backward of the block: blocked im2col GEMMs, masks once, in-place sums."""
    c, h, w = x.shape
    k = w1.shape[-1]
    blocks = _blocks(c, k, h, w)

    def conv(a: np.ndarray, wt: np.ndarray) -> np.ndarray:
        out = np.empty((wt.shape[0], h * w))
        w2d = wt.reshape(wt.shape[0], -1)
        for i0, i1 in blocks:
            np.matmul(w2d, _cols(a, k, i0, i1), out=out[:, i0 * w:i1 * w])
        return out.reshape(wt.shape[0], h, w)

    def grad_w(d: np.ndarray, a: np.ndarray) -> np.ndarray:
        out = np.zeros((d.shape[0], c * k * k))
        d2 = d.reshape(d.shape[0], -1)
        for i0, i1 in blocks:
            out += d2[:, i0 * w:i1 * w] @ _cols(a, k, i0, i1).T
        return out.reshape(d.shape[0], c, k, k)

    def flip(wt: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(wt[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))

    h1 = conv(x, w1)
    m1 = h1 > 0
    z1 = np.maximum(h1, 0)
    s = conv(z1, w2)
    s += x
    delta = g * (s > 0)
    dw2 = grad_w(delta, z1)
    dh1 = conv(delta, flip(w2))
    dh1 *= m1
    dw1 = grad_w(dh1, x)
    dx = conv(dh1, flip(w1))
    dx += delta
    return {"x": dx, "w1": dw1, "w2": dw2}


def _torch(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, g: np.ndarray) -> dict[str, np.ndarray]:
    import torch

    tx, t1, t2 = (torch.tensor(a, requires_grad=True) for a in (x, w1, w2))
    p = w1.shape[-1] // 2
    h1 = torch.nn.functional.conv2d(tx[None], t1, padding=p)
    y = torch.relu(torch.nn.functional.conv2d(torch.relu(h1), t2, padding=p) + tx[None])
    grads = torch.autograd.grad(y, (tx, t1, t2), torch.tensor(g[None]))
    return {name: v.numpy() for name, v in zip(("x", "w1", "w2"), grads)}


def _gap(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> float:
    return max(float(np.max(np.abs(a[n] - b[n])) / max(float(np.max(np.abs(b[n]))), 1e-300)) for n in b)


def _numpy_threads() -> int:
    from derive.numeric.threads import _openblas

    found = _openblas()
    return int(found[1]()) if found is not None else 1


def grad_numeric_suite() -> list[Figure]:
    """``Gradient.evaluate`` and the generated module against the NumPy baseline and torch float64 autograd."""
    from derive.calculus.gradient import grad

    try:
        import torch
    except ImportError:
        torch = None
    threads = _numpy_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    figures: list[Figure] = []
    rng = np.random.default_rng(SEED)
    for n, k in _sizes():
        start = time.perf_counter()
        g = grad(SPEC.format(c=CHANNELS, k=k))
        _ = g.closed_forms
        derive_s = time.perf_counter() - start
        namespace: dict[str, object] = {}
        exec(compile(g.numpy_source(), "generated", "exec"), namespace)  # noqa: S102 - our own generated code
        module = namespace["gradients"]
        x, g_up = rng.normal(size=(CHANNELS, n, n)), rng.normal(size=(CHANNELS, n, n))
        w1, w2 = (rng.normal(size=(CHANNELS, CHANNELS, k, k)) / k for _ in range(2))
        arrays = {"x": x, "w1": w1, "w2": w2}
        ref = baseline(x, w1, w2, g_up)  # each first call is also the warm-up
        ours = g.evaluate(arrays, g_up)
        gen = module(arrays, g_up)  # type: ignore[operator]
        gaps = {"evaluate": _gap(ours, ref), "generated": _gap(gen, ref)}
        if torch is not None:
            gaps["torch"] = _gap(_torch(x, w1, w2, g_up), ref)
        if max(gaps.values()) > 1e-10:
            raise AssertionError(f"{n}x{n}, k={k}: gradients disagree, relative errors {gaps}")
        repeat = 3 if n <= 256 else 1
        base_s = median_time(partial(baseline, x, w1, w2, g_up), repeat)
        eval_s = median_time(partial(g.evaluate, arrays, g_up), repeat)
        gen_s = median_time(partial(module, arrays, g_up), repeat)  # type: ignore[arg-type]
        what = f"{n}x{n}, k={k}, C={CHANNELS}"
        agree = ", ".join(f"{name} {v:.1e}" for name, v in gaps.items())
        note = (f"seed {SEED}; parse + derivation {derive_s:.3f} s (excluded); relative error vs baseline: {agree}; "
                f"NumPy/OpenBLAS threads {threads}" + (f", torch threads {threads}" if torch is not None else ""))
        base_name = "hand-written NumPy forward+backward (blocked im2col)"
        figures.append(Figure(f"grad evaluate, {what}", eval_s, base_name, base_s, target="<= 1.2x",
                              met=eval_s <= 1.2 * base_s, note=note))
        figures.append(Figure(f"generated numpy module, {what}", gen_s, base_name, base_s, target="<= 1.2x",
                              met=gen_s <= 1.2 * base_s))
        if torch is not None:
            torch_s = median_time(partial(_torch, x, w1, w2, g_up), repeat)
            figures.append(Figure(f"grad evaluate vs torch float64 autograd, {what}", eval_s,
                                  f"torch {torch.__version__} CPU float64 autograd", torch_s,
                                  target="< 1x" if n >= 256 else "", met=(eval_s < torch_s) if n >= 256 else None))
    return figures
