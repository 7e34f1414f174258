r"""Bias and variance of one-hidden-layer random-feature networks fitted to resampled datasets.

Each of ``L`` datasets has ``n`` inputs drawn uniformly on [0, 1] and targets
:math:`t = h(x) + \varepsilon`, :math:`h(x) = \sin 2\pi x`, noise sd ``noise`` (Bishop, PRML §3.2).
A network with ``H`` hidden cosine units :math:`\sqrt{2/H}\cos(\omega_j x + \beta_j)` (random Fourier
features, :math:`\omega_j \sim N(0, 1/\ell^2)`, :math:`\beta_j \sim U(0, 2\pi)`), drawn afresh for each
dataset (a fresh random initialisation of the hidden layer), has its
output layer fitted either by ridge regression (penalty ``ridge``) or by minimum-norm least squares
(``ridge = 0``, the pseudo-inverse; Belkin et al., PNAS 2019).

A third regime trains every weight: a one-hidden-layer ``tanh`` network with ``H`` units, initialised
afresh for each dataset and trained by full-batch Adam on the mean squared error with weight decay
for a fixed number of epochs (all ``L`` networks of one width are trained together, batched).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from derive.errors import InvalidLevelError
from derive.numeric.threads import single_blas_thread


@dataclass(frozen=True)
class BiasVarianceConfig:
    """Sizes and seed of the experiment; the defaults are the ones the document uses."""

    widths: tuple[int, ...] = (1, 2, 3, 5, 8, 12, 16, 20, 23, 25, 27, 30, 35, 40, 50, 70, 100, 200, 400, 800)
    datasets: int = 200
    n: int = 25
    noise: float = 0.3
    grid: int = 200
    ridge: float = 1e-2
    length_scale: float = 0.03
    seed: int = 2019


@dataclass(frozen=True)
class TrainedConfig:
    """Sizes, training budget and seed of the trained-network regime; the defaults are the document's.

    Input weights start as ``N(0, init_scale^2)`` and input biases as ``U(-init_scale, init_scale)``, so the
    units' kinks fall inside [0, 1]; output weights start as ``N(0, 1/H)``. Weight decay acts on the weights,
    not the biases.
    """

    widths: tuple[int, ...] = (1, 2, 3, 5, 8, 12, 16, 25, 35, 50, 100)
    datasets: int = 32
    n: int = 25
    noise: float = 0.3
    grid: int = 200
    epochs: int = 1500
    lr: float = 0.02
    weight_decay: float = 1e-5
    init_scale: float = 8.0
    seed: int = 2019


@dataclass(frozen=True)
class BiasVarianceRow:
    """Measured terms at one width: bias², variance, noise, expected error, and the decomposition gap."""

    H: int
    bias2: float
    variance: float
    noise: float
    error: float
    train_error: float = float("nan")

    @property
    def gap(self) -> float:
        """``error - (noise + bias2 + variance)``: the sampled cross terms, which vanish in expectation."""
        return self.error - (self.noise + self.bias2 + self.variance)


def target(x: np.ndarray) -> np.ndarray:
    """The regression function h(x) = sin(2 pi x).

    Examples
    --------
    >>> float(target(np.array([0.25]))[0])
    1.0
    """
    return np.sin(2 * np.pi * x)


def features(x: np.ndarray, omega: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Hidden units ``sqrt(2/H) cos(omega_j x + phase_j)``, batched over leading axes of the weights.

    ``x`` has shape (..., n) and ``omega``, ``phase`` shape (..., H); the result has shape (..., n, H).

    Examples
    --------
    >>> features(np.array([0.0]), np.array([1.0]), np.array([0.0])).round(6).tolist()
    [[1.414214]]
    """
    H = omega.shape[-1]
    return np.sqrt(2.0 / H) * np.cos(x[..., :, None] * omega[..., None, :] + phase[..., None, :])


def fit_output_layer(Phi: np.ndarray, t: np.ndarray, ridge: float) -> np.ndarray:
    """Output weights by ridge regression, or minimum-norm least squares when ``ridge == 0`` (batched).

    Examples
    --------
    >>> fit_output_layer(np.eye(2), np.array([1.0, 2.0]), 0.0).round(6).tolist()
    [1.0, 2.0]
    """
    if ridge < 0:
        raise InvalidLevelError(f"the ridge penalty must be >= 0, got {ridge}")
    if ridge == 0:
        return (np.linalg.pinv(Phi, rcond=1e-12) @ t[..., None])[..., 0]
    # The dual form (Phi Phi^T + ridge I)^{-1}: an n-by-n solve, equal to the primal ridge solution.
    gram = Phi @ np.swapaxes(Phi, -1, -2) + ridge * np.eye(Phi.shape[-2])
    return (np.swapaxes(Phi, -1, -2) @ np.linalg.solve(gram, t[..., None]))[..., 0]


def measure(config: BiasVarianceConfig, H: int, ridge: float) -> BiasVarianceRow:
    """Fit ``config.datasets`` networks of width ``H`` and measure the terms on a dense grid.

    The expected error is measured against fresh noisy targets at the grid points, one
    noise draw per dataset and grid point, so it is an independent estimate of the sum.

    Examples
    --------
    >>> row = measure(BiasVarianceConfig(datasets=20, grid=50), 5, 1e-3)
    >>> abs(row.gap) < 0.05
    True
    """
    rng = np.random.default_rng([config.seed, H, int(ridge == 0)])
    grid = np.linspace(0.0, 1.0, config.grid)
    L = config.datasets
    x = np.broadcast_to(np.linspace(0.0, 1.0, config.n), (L, config.n))
    t = target(x) + config.noise * rng.normal(size=(L, config.n))
    omega = rng.normal(size=(L, H)) / config.length_scale
    phase = rng.uniform(0.0, 2 * np.pi, (L, H))
    w = fit_output_layer(features(x, omega, phase), t, ridge)
    preds = (features(np.broadcast_to(grid, (L, config.grid)), omega, phase) @ w[..., None])[..., 0]
    return terms(H, preds, grid, config.noise, rng)


def terms(H: int, preds: np.ndarray, grid: np.ndarray, noise: float, rng: np.random.Generator) -> BiasVarianceRow:
    """Bias², variance, noise and expected error of ``L`` fitted functions ``preds`` (L, grid) at ``grid``.

    The expected error is measured against fresh noisy targets (sd ``noise``), one draw per fit and grid point.

    Examples
    --------
    >>> g = np.linspace(0.0, 1.0, 5)
    >>> row = terms(1, np.stack([target(g) + 0.1, target(g) - 0.1]), g, 0.0, np.random.default_rng(0))
    >>> round(row.bias2, 12), round(row.variance, 12), round(row.gap, 12)
    (0.0, 0.01, 0.0)
    """
    mean = preds.mean(axis=0)
    eps = noise * rng.normal(size=preds.shape)
    error = float(((target(grid) + eps - preds) ** 2).mean())
    return BiasVarianceRow(H, float(((mean - target(grid)) ** 2).mean()), float(((preds - mean) ** 2).mean()),
                           float((eps**2).mean()), error)


TanhNet = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def tanh_net(x: np.ndarray, params: TanhNet) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations (L, n, H) and outputs (L, n) of ``L`` one-hidden-layer tanh networks at ``x`` (L, n).

    ``params = (w1, b1, w2, b2)`` with shapes (L, H), (L, H), (L, H), (L,).

    Examples
    --------
    >>> one = np.ones((1, 1))
    >>> tanh_net(np.zeros((1, 2)), (one, np.zeros((1, 1)), one, np.ones(1)))[1].tolist()
    [[1.0, 1.0]]
    """
    w1, b1, w2, b2 = params
    hidden = np.tanh(x[..., :, None] * w1[..., None, :] + b1[..., None, :])
    # einsum, not ``@``: the training loop amplifies rounding, and a BLAS kernel's last bits (FMA or not)
    # would change the trained networks, hence the document, from one CPU to the next.
    return hidden, np.einsum("...nh,...h->...n", hidden, w2) + b2[..., None]


def train_tanh_nets(
    x: np.ndarray, t: np.ndarray, H: int, config: TrainedConfig, rng: np.random.Generator
) -> TanhNet:
    """Train ``L`` tanh networks of width ``H``, one per row of ``(x, t)``, by full-batch Adam (batched).

    The loss of each network is its mean squared error plus ``weight_decay / 2`` times the squared input and
    output weights; every network takes ``config.epochs`` steps of size ``config.lr``.

    Examples
    --------
    >>> x = np.linspace(0.0, 1.0, 25)[None, :]
    >>> cfg = TrainedConfig(epochs=1000)
    >>> net = train_tanh_nets(x, target(x), 8, cfg, np.random.default_rng(0))
    >>> bool(((tanh_net(x, net)[1] - target(x)) ** 2).mean() < 0.01)
    True
    """
    if H < 1 or config.epochs < 0 or config.lr <= 0:
        raise InvalidLevelError(f"need H >= 1, epochs >= 0 and lr > 0, got {H}, {config.epochs}, {config.lr}")
    L, n = t.shape
    s = config.init_scale
    params = [rng.normal(size=(L, H)) * s, rng.uniform(-s, s, (L, H)), rng.normal(size=(L, H)) / np.sqrt(H),
              np.zeros(L)]
    m = [np.zeros_like(q) for q in params]
    v = [np.zeros_like(q) for q in params]
    decay = (config.weight_decay, 0.0, config.weight_decay, 0.0)
    for step in range(1, config.epochs + 1):
        w1, b1, w2, b2 = params
        hidden, out = tanh_net(x, (w1, b1, w2, b2))
        d = 2.0 * (out - t) / n
        back = d[..., :, None] * w2[..., None, :] * (1.0 - hidden * hidden)
        grads = (np.einsum("lnh,ln->lh", back, x), back.sum(axis=-2), np.einsum("lnh,ln->lh", hidden, d),
                 d.sum(axis=-1))
        for q, g, mq, vq, wd in zip(params, grads, m, v, decay):
            g = g + wd * q if wd else g
            mq *= 0.9
            mq += 0.1 * g
            vq *= 0.999
            vq += 0.001 * g * g
            q -= config.lr * (mq / (1 - 0.9**step)) / (np.sqrt(vq / (1 - 0.999**step)) + 1e-8)
    return params[0], params[1], params[2], params[3]


def measure_trained(config: TrainedConfig, H: int) -> BiasVarianceRow:
    """Train ``config.datasets`` tanh networks of width ``H`` on resampled datasets and measure the terms.

    Examples
    --------
    >>> row = measure_trained(TrainedConfig(datasets=8, grid=50, epochs=200), 3)
    >>> abs(row.gap) < 0.05
    True
    """
    rng = np.random.default_rng([config.seed, H, 2])
    L = config.datasets
    x = np.ascontiguousarray(np.broadcast_to(np.linspace(0.0, 1.0, config.n), (L, config.n)))
    t = target(x) + config.noise * rng.normal(size=(L, config.n))
    net = train_tanh_nets(x, t, H, config, rng)
    grid = np.linspace(0.0, 1.0, config.grid)
    preds = tanh_net(np.ascontiguousarray(np.broadcast_to(grid, (L, config.grid))), net)[1]
    train_error = float(((tanh_net(x, net)[1] - t) ** 2).mean())
    return dataclasses.replace(terms(H, preds, grid, config.noise, rng), train_error=train_error)


@functools.lru_cache(maxsize=4)
def run_trained(config: TrainedConfig = TrainedConfig()) -> tuple[BiasVarianceRow, ...]:
    """The trained-network regime over ``config.widths`` (cached in-process).

    Examples
    --------
    >>> [r.H for r in run_trained(TrainedConfig(widths=(1, 4), datasets=4, grid=10, epochs=20))]
    [1, 4]
    """
    with single_blas_thread():
        return tuple(measure_trained(config, H) for H in config.widths)


@functools.lru_cache(maxsize=4)
def run(config: BiasVarianceConfig = BiasVarianceConfig()) -> dict[str, tuple[BiasVarianceRow, ...]]:
    """Both regimes, ``{"ridge": rows, "min-norm": rows}`` over ``config.widths`` (cached in-process).

    Examples
    --------
    >>> out = run(BiasVarianceConfig(widths=(2, 25), datasets=10, grid=20))
    >>> sorted(out), len(out["ridge"])
    (['min-norm', 'ridge'], 2)
    """
    with single_blas_thread():
        return {
            "ridge": tuple(measure(config, H, config.ridge) for H in config.widths),
            "min-norm": tuple(measure(config, H, 0.0) for H in config.widths),
        }


def round_sig(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits (for printing, and cross-machine determinism).

    Examples
    --------
    >>> round_sig(0.0123456), round_sig(1234.5)
    (0.0123, 1230.0)
    """
    if value == 0 or not np.isfinite(value):
        return float(value)
    return float(f"{value:.{digits}g}")


def data_file(rows: tuple[BiasVarianceRow, ...], *, train: bool = False) -> str:
    """The rows as a whitespace-separated table (3 significant digits) for ``pgfplots`` and readers.

    ``train=True`` adds a column with the mean training error of the fits.

    Examples
    --------
    >>> data_file((BiasVarianceRow(1, 0.5, 0.01, 0.09, 0.6),)).splitlines()[1]
    '1 0.5 0.01 0.51 0.09 0.6'
    >>> data_file((BiasVarianceRow(1, 0.5, 0.01, 0.09, 0.6, 0.2),), train=True).splitlines()[1]
    '1 0.5 0.01 0.51 0.09 0.6 0.2'
    """
    lines = ["H bias2 variance sum noise error" + (" train" if train else "")]
    for r in rows:
        vals = (r.bias2, r.variance, r.bias2 + r.variance, r.noise, r.error, *((r.train_error,) if train else ()))
        lines.append(" ".join([str(r.H), *(f"{round_sig(v):.3g}" for v in vals)]))
    return "\n".join(lines) + "\n"
