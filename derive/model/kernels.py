"""Array kernels of the operators, in NumPy only, for float64 and for exact object arrays alike.

Each kernel takes arrays in PyTorch's layout and returns a new array. Nothing here imports SymPy or the
rest of derive: :meth:`derive.graph.Gradient.numpy_source` copies this module's source into a standalone
file. The few scalar functions that differ between arithmetics (``max``, ``exp``, ``log``, ``sqrt``) come
from an ``ops`` namespace: :data:`FLOAT` here, the exact one in :mod:`derive.numeric.evaluate`.

Layouts are normalised to four axes, ``(N, C, H, W)`` for images and ``(O, C, kh, kw)`` for kernels, by
the callers' ``batched`` flag: a 2-D image is one channel of one sample, a 3-D image one sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


class FloatOps:
    """The scalar functions of float64 arithmetic."""

    dtype = np.float64
    neg_inf = -np.inf

    @staticmethod
    def max(a: Any, axis: int) -> Any:
        return np.max(a, axis=axis)

    @staticmethod
    def exp(a: Any) -> Any:
        return np.exp(a)

    @staticmethod
    def log(a: Any) -> Any:
        return np.log(a)

    @staticmethod
    def sqrt(a: Any) -> Any:
        return np.sqrt(a)

    @staticmethod
    def logsumexp(a: Any, axis: int) -> Any:
        top = np.max(a, axis=axis, keepdims=True)
        return np.log(np.sum(np.exp(a - top), axis=axis)) + np.squeeze(top, axis=axis)


FLOAT = FloatOps()


def _zeros(shape: Any, like: Any) -> Any:
    out = np.zeros(shape, dtype=like.dtype)
    if like.dtype == object:
        out[...] = 0
    return out


def _as4(x: Any) -> Any:
    return x.reshape((1,) * (4 - x.ndim) + x.shape)


def _from4(y: Any, ndim: int) -> Any:
    return y.reshape(y.shape[4 - ndim:]) if ndim < 4 else y


def _weight4(w: Any) -> Any:
    return w.reshape((1, 1) + w.shape) if w.ndim == 2 else w


def _out_size(n: int, k: int, s: int, p: int, d: int) -> int:
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _windows(xp: Any, kh: int, kw: int, stride: Any, dilation: Any, out: Any) -> Any:
    """The (N, C, Ho, Wo, kh, kw) view of the receptive fields of a padded image (im2col without copying)."""
    (sh, sw), (dh, dw), (ho, wo) = stride, dilation, out
    view = sliding_window_view(xp, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    return view[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :ho, :wo]


def _pad(x: Any, padding: Any, value: Any = 0) -> Any:
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


# One im2col block holds at most this many entries, so peak memory stays bounded at any image size. The
# blocks depend on the shapes only (never on the machine or the thread count), and so does every summation
# order: the same input always gives the same bits.
CHUNK_ENTRIES = 1 << 21


def _chunk_rows(ckk: int, wo: int, ho: int, entries: int | None = None) -> int:
    """How many output rows one im2col block holds (at least one)."""
    return max(1, min(ho, (CHUNK_ENTRIES if entries is None else entries) // max(1, ckk * wo)))


def _taps(hw: Any, kh: int, kw: int, stride: Any, padding: Any, dilation: Any, i0: int, i1: int, wo: int) -> Any:
    """Each tap ``(a, b)`` of output rows ``[i0, i1)``: the block's rows and columns it fills, and the image's.

    Positions outside the image are left out: zero padding without a padded copy of the image.
    """
    (h, w), (sh, sw), (ph, pw), (dh, dw) = hw, stride, padding, dilation
    for a in range(kh):
        off = dh * a - ph
        lo, hi = max(i0, -(off // sh)), min(i1, (h - 1 - off) // sh + 1)
        for b in range(kw):
            offb = dw * b - pw
            jlo, jhi = max(0, -(offb // sw)), min(wo, (w - 1 - offb) // sw + 1)
            if hi <= lo or jhi <= jlo:
                lo = hi = i0
                jlo = jhi = 0
            yield (a, b, slice(lo - i0, hi - i0), slice(jlo, jhi),
                   slice(sh * lo + off, sh * max(hi - 1, lo) + off + 1, sh),
                   slice(sw * jlo + offb, sw * max(jhi - 1, jlo) + offb + 1, sw))


def _im2col(x3: Any, kernel: Any, settings: Any, rows: Any, wo: int, buf: Any) -> Any:
    """Fill ``buf`` (C, kh, kw, r, Wo) with the receptive fields of output rows ``rows`` of one image (C, H, W);
    return it as the (C·kh·kw, r·Wo) matrix of one GEMM."""
    (kh, kw), (stride, padding, dilation), (i0, i1) = kernel, settings, rows
    for a, b, br, bc, xr, xc in _taps(x3.shape[1:], kh, kw, stride, padding, dilation, i0, i1, wo):
        dst = buf[:, a, b]
        dst[:, :br.start] = 0
        dst[:, br.stop:] = 0
        dst[:, :, :bc.start] = 0
        dst[:, :, bc.stop:] = 0
        if br.stop > br.start and bc.stop > bc.start:
            dst[:, br, bc] = x3[:, xr, xc]
    return buf.reshape(buf.shape[0] * kh * kw, -1)


def _blocks(c: int, kernel: Any, out: Any, like: Any, entries: int | None) -> Any:
    """The row blocks ``(i0, i1)`` of an output of size ``out`` and one reusable im2col buffer per block size."""
    (kh, kw), (ho, wo) = kernel, out
    rows = _chunk_rows(c * kh * kw, wo, ho, entries)
    buffers: dict[int, Any] = {}
    for i0 in range(0, ho, rows):
        i1 = min(ho, i0 + rows)
        if i1 - i0 not in buffers:
            buffers[i1 - i0] = _zeros((c, kh, kw, i1 - i0, wo), like)
        yield i0, i1, buffers[i1 - i0]


def _conv_out(hw: Any, kernel: Any, stride: Any, padding: Any, dilation: Any) -> tuple[int, int]:
    return (_out_size(hw[0], kernel[0], stride[0], padding[0], dilation[0]),
            _out_size(hw[1], kernel[1], stride[1], padding[1], dilation[1]))


def conv2d(x: Any, w: Any, stride: Any = (1, 1), padding: Any = (0, 0), dilation: Any = (1, 1),
           *, entries: int | None = None) -> Any:
    """Cross-correlation as ``torch.nn.functional.conv2d``: ``y[n,o,i,j] = Σ w[o,c,a,b] x[n,c,si+da,sj+db]``.

    Blocked im2col: each block of output rows is one GEMM ``(O, C·kh·kw) @ (C·kh·kw, rows·Wo)`` written in
    place into the output; ``entries`` bounds a block (default :data:`CHUNK_ENTRIES`). Each output entry is one
    whole dot product, so the result does not depend on the blocking.
    """
    ndim = x.ndim
    x4, w4 = _as4(x), _weight4(w)
    o, c, kh, kw = w4.shape
    out = _conv_out(x4.shape[2:], (kh, kw), stride, padding, dilation)
    like = x4 if x4.dtype == object else np.empty(0, np.result_type(x4, w4))
    y = _zeros((x4.shape[0], o, out[0] * out[1]), like)
    w2 = w4.reshape(o, -1)
    for n in range(x4.shape[0]):
        for i0, i1, buf in _blocks(c, (kh, kw), out, like, entries):
            cols = _im2col(x4[n], (kh, kw), (stride, padding, dilation), (i0, i1), out[1], buf)
            target = y[n, :, i0 * out[1]:i1 * out[1]]
            if like.dtype == object:
                target[...] = np.matmul(w2, cols)
            else:
                np.matmul(w2, cols, out=target)
    return _from4(y.reshape(x4.shape[0], o, *out), ndim)


def conv2d_grad_input(g: Any, w: Any, in_hw: Any, stride: Any = (1, 1), padding: Any = (0, 0),
                      dilation: Any = (1, 1), *, entries: int | None = None) -> Any:
    """The VJP of :func:`conv2d` in its input: a transposed convolution, accumulated in place.

    Blocked col2im: per block of output rows, one GEMM ``(C·kh·kw, O) @ (O, rows·Wo)``, then each tap is
    added in place into the input's gradient (no padded copy; out-of-image taps are left out).
    """
    ndim = g.ndim
    g4, w4 = _as4(g), _weight4(w)
    n, o, ho, wo = g4.shape
    c, kh, kw = w4.shape[1:]
    like = g4 if g4.dtype == object else np.empty(0, np.result_type(g4, w4))
    grad = _zeros((n, c, in_hw[0], in_hw[1]), like)
    wt = w4.reshape(o, -1).T
    for m in range(n):
        g2 = g4[m].reshape(o, ho * wo)
        for i0, i1, _ in _blocks(c, (kh, kw), (ho, wo), like, entries):
            cols = np.matmul(wt, g2[:, i0 * wo:i1 * wo]).reshape(c, kh, kw, i1 - i0, wo)
            for a, b, br, bc, xr, xc in _taps(in_hw, kh, kw, stride, padding, dilation, i0, i1, wo):
                if br.stop > br.start and bc.stop > bc.start:
                    grad[m, :, xr, xc] += cols[:, a, b, br, bc]
    return _from4(grad, ndim)


def conv2d_grad_weight(g: Any, x: Any, kernel: Any, stride: Any = (1, 1), padding: Any = (0, 0),
                       dilation: Any = (1, 1), weight_ndim: int = 4, *, entries: int | None = None) -> Any:
    """The VJP of :func:`conv2d` in its kernel: ``Σ_{n,i,j} g[n,o,i,j] x[n,c,si+da,sj+db]``.

    Blocked im2col: per block of output rows, one GEMM ``(O, rows·Wo) @ (rows·Wo, C·kh·kw)`` accumulated in
    place, blocks in a fixed order.
    """
    g4, x4 = _as4(g), _as4(x)
    kh, kw = kernel
    n, o, ho, wo = g4.shape
    c = x4.shape[1]
    like = x4 if x4.dtype == object else np.empty(0, np.result_type(g4, x4))
    dw = _zeros((o, c * kh * kw), like)
    for m in range(n):
        g2 = g4[m].reshape(o, ho * wo)
        for i0, i1, buf in _blocks(c, (kh, kw), (ho, wo), like, entries):
            cols = _im2col(x4[m], (kh, kw), (stride, padding, dilation), (i0, i1), wo, buf)
            dw += np.matmul(g2[:, i0 * wo:i1 * wo], cols.T)
    dw = dw.reshape(o, c, kh, kw)
    return np.ascontiguousarray(dw.reshape(kh, kw) if weight_ndim == 2 else dw)


def channel_sum(g: Any, channel_axis: int) -> Any:
    """Sum over every axis but the channel axis (the VJP of a per-channel bias)."""
    axes = tuple(a for a in range(g.ndim) if a != channel_axis)
    return np.sum(g, axis=axes) if axes else g.copy()


def add_channel_bias(y: Any, b: Any, channel_axis: int) -> Any:
    """``y`` plus a per-channel bias ``b`` along ``channel_axis``."""
    shape = [1] * y.ndim
    shape[channel_axis] = b.shape[0]
    return y + b.reshape(shape)


def _pool_windows(x4: Any, k: Any, stride: Any, padding: Any, value: Any) -> Any:
    out = tuple(_out_size(x4.shape[2 + i], k[i], stride[i], padding[i], 1) for i in range(2))
    return _windows(_pad(x4, padding, value), k[0], k[1], stride, (1, 1), out)


def max_pool2d(x: Any, kernel: Any, stride: Any, padding: Any = (0, 0), ops: Any = FLOAT) -> Any:
    """Max pooling as ``torch.nn.functional.max_pool2d`` (padding with −∞)."""
    ndim = x.ndim
    win = _pool_windows(_as4(x), kernel, stride, padding, ops.neg_inf)
    flat = win.reshape(win.shape[:4] + (-1,))
    return _from4(np.ascontiguousarray(ops.max(flat, axis=-1)), ndim)


def max_pool2d_grad(g: Any, x: Any, kernel: Any, stride: Any, padding: Any = (0, 0), ops: Any = FLOAT) -> Any:
    """The VJP of :func:`max_pool2d`: each cotangent goes to the first maximum of its window, as PyTorch does."""
    ndim = x.ndim
    x4, g4 = _as4(x), _as4(g)
    kw, (sh, sw), (ph, pw) = kernel[1], stride, padding
    win = _pool_windows(x4, kernel, stride, padding, ops.neg_inf)
    first = np.argmax(win.reshape(win.shape[:4] + (-1,)), axis=-1)
    grad = _zeros((x4.shape[0], x4.shape[1], x4.shape[2] + 2 * ph, x4.shape[3] + 2 * pw), g4)
    n, c, ho, wo = g4.shape
    nn, cc, ii, jj = np.meshgrid(np.arange(n), np.arange(c), np.arange(ho), np.arange(wo), indexing="ij")
    rows = ii * sh + first // kw
    cols = jj * sw + first % kw
    np.add.at(grad, (nn, cc, rows, cols), g4)
    return _from4(np.ascontiguousarray(grad[:, :, ph:ph + x4.shape[2], pw:pw + x4.shape[3]]), ndim)


def avg_pool2d(x: Any, kernel: Any, stride: Any, padding: Any = (0, 0)) -> Any:
    """Average pooling as ``torch.nn.functional.avg_pool2d`` (zero padding counted, as by default)."""
    ndim = x.ndim
    win = _pool_windows(_as4(x), kernel, stride, padding, 0)
    return _from4(np.ascontiguousarray(np.sum(win, axis=(4, 5)) / (kernel[0] * kernel[1])), ndim)


def avg_pool2d_grad(g: Any, in_hw: Any, kernel: Any, stride: Any, padding: Any = (0, 0)) -> Any:
    """The VJP of :func:`avg_pool2d`: each cotangent spread evenly over its window."""
    ndim = g.ndim
    g4 = _as4(g)
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    n, c, ho, wo = g4.shape
    share = g4 / (kh * kw)
    grad = _zeros((n, c, in_hw[0] + 2 * ph, in_hw[1] + 2 * pw), share)
    for a in range(kh):
        for b in range(kw):
            grad[:, :, a:a + sh * (ho - 1) + 1:sh, b:b + sw * (wo - 1) + 1:sw] += share
    return _from4(np.ascontiguousarray(grad[:, :, ph:ph + in_hw[0], pw:pw + in_hw[1]]), ndim)


def linear(a: Any, w: Any, b: Any = None) -> Any:
    """``a Wᵀ + b`` as ``torch.nn.functional.linear``."""
    y = np.matmul(a, w.T)
    return y if b is None else y + b


def linear_grad_input(g: Any, w: Any) -> Any:
    """The VJP of :func:`linear` in ``a``: ``g W``."""
    return np.matmul(g, w)


def linear_grad_weight(g: Any, a: Any) -> Any:
    """The VJP of :func:`linear` in ``W``: ``gᵀ a`` (an outer product for one sample)."""
    return np.outer(g, a) if g.ndim == 1 else np.matmul(g.T, a)


def _bn_axes(ndim: int) -> tuple[tuple[int, ...], int]:
    return {2: ((0,), 1), 3: ((1, 2), 0), 4: ((0, 2, 3), 1)}[ndim]


def _bn_stats(x: Any, eps: Any, ops: Any) -> tuple[Any, Any, Any, int]:
    axes, channel = _bn_axes(x.ndim)
    count = 1
    for a in axes:
        count *= x.shape[a]
    mean = np.sum(x, axis=axes, keepdims=True) / count
    centred = x - mean
    var = np.sum(centred * centred, axis=axes, keepdims=True) / count
    inv = 1 / ops.sqrt(var + eps)
    return centred * inv, inv, axes, count


def _per_channel(v: Any, ndim: int) -> Any:
    shape = [1] * ndim
    shape[_bn_axes(ndim)[1]] = v.shape[0]
    return v.reshape(shape)


def batch_norm(x: Any, gamma: Any, beta: Any, eps: Any, ops: Any = FLOAT) -> Any:
    """Batch normalisation in training mode (biased variance), per channel, as ``F.batch_norm(training=True)``."""
    xhat = _bn_stats(x, eps, ops)[0]
    return _per_channel(gamma, x.ndim) * xhat + _per_channel(beta, x.ndim)


def batch_norm_grad_input(g: Any, x: Any, gamma: Any, eps: Any, ops: Any = FLOAT) -> Any:
    """The VJP of :func:`batch_norm` in ``x``: ``γ/√(σ²+ε) (g − mean g − x̂ mean(g x̂))``."""
    xhat, inv, axes, count = _bn_stats(x, eps, ops)
    mean_g = np.sum(g, axis=axes, keepdims=True) / count
    mean_gx = np.sum(g * xhat, axis=axes, keepdims=True) / count
    return _per_channel(gamma, x.ndim) * inv * (g - mean_g - xhat * mean_gx)


def batch_norm_grad_gamma(g: Any, x: Any, eps: Any, ops: Any = FLOAT) -> Any:
    """The VJP of :func:`batch_norm` in ``γ``: ``Σ g x̂`` per channel."""
    xhat, _, axes, _ = _bn_stats(x, eps, ops)
    return np.sum(g * xhat, axis=axes)


def _batch(z: Any) -> tuple[Any, int]:
    return (z.reshape(1, -1), 1) if z.ndim == 1 else (z, z.shape[0])


def softmax_cross_entropy(z: Any, t: Any, ops: Any = FLOAT) -> Any:
    """``−(1/N) Σ_n Σ_k t_nk log softmax(z_n)_k``: a probability target, mean over the batch."""
    z2, n = _batch(z)
    t2 = t.reshape(z2.shape)
    log_p = z2 - ops.logsumexp(z2, axis=1).reshape(-1, 1)
    return np.asarray(-np.sum(t2 * log_p) / n)


def softmax_cross_entropy_grad_logits(g: Any, z: Any, t: Any, ops: Any = FLOAT) -> Any:
    """The VJP in the logits: ``g (softmax(z) Σ_k t_k − t) / N`` (``softmax(z) − t`` when ``Σ t = 1``)."""
    z2, n = _batch(z)
    t2 = t.reshape(z2.shape)
    p = ops.exp(z2 - ops.logsumexp(z2, axis=1).reshape(-1, 1))
    return (g * (p * np.sum(t2, axis=1, keepdims=True) - t2) / n).reshape(z.shape)


def softmax_cross_entropy_grad_target(g: Any, z: Any, ops: Any = FLOAT) -> Any:
    """The VJP in the target: ``−g log softmax(z) / N``."""
    z2, n = _batch(z)
    return (-g * (z2 - ops.logsumexp(z2, axis=1).reshape(-1, 1)) / n).reshape(z.shape)


def reshape(x: Any, shape: Any) -> Any:
    """``x`` with a new shape (C order, as ``torch.reshape``)."""
    return np.reshape(x, tuple(shape))


def total(x: Any) -> Any:
    """The sum of every entry, as a shape-() array."""
    return np.asarray(np.sum(x))


def broadcast(g: Any, shape: Any) -> Any:
    """A shape-() value repeated over ``shape`` (the VJP of :func:`total`)."""
    out = np.empty(tuple(shape), dtype=np.asarray(g).dtype)
    out[...] = np.asarray(g)[()]
    return out
