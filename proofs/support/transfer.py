r"""Transfer learning on synthetic data: pretrain on a large source task, then learn a small target task.

The data are SYNTHETIC. A fixed random "world" maps latent vectors :math:`u \in \mathbb{R}^k` to inputs
:math:`x = \tanh(A u) + \text{noise}`; a class is a prototype :math:`\mu_c` in latent space and its
examples are :math:`u = \mu_c + s\,\xi`. The source task has many classes and plenty of examples; the
target task has other classes (new prototypes) with few examples each, in the same world, so the two
tasks share the underlying features but not the classes. A two-hidden-layer ReLU network is pretrained
on the source, then the target is learned three ways: from scratch, with the pretrained layers frozen
and a new softmax head, and by fine-tuning every layer from the pretrained ones with a new head.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from derive.calculus.softmax import softmax_xent_backward
from derive.numeric.threads import single_blas_thread


@dataclass(frozen=True)
class TransferConfig:
    """Sizes, training budget and seeds; the defaults are the ones the document uses."""

    latent: int = 16
    inputs: int = 32
    hidden: int = 64
    features: int = 32
    source_classes: int = 100
    source_per_class: int = 30
    target_classes: int = 200
    target_per_class: int = 20
    test_per_class: int = 10
    spread: float = 0.8
    input_noise: float = 0.1
    pretrain_epochs: int = 15
    epochs: int = 20
    batch: int = 500
    lr: float = 1e-2
    finetune_lr: float = 3e-3
    weight_decay: float = 1e-4
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)


Params = dict[str, np.ndarray]


def _world(cfg: TransferConfig, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(size=(cfg.inputs, cfg.latent)) / np.sqrt(cfg.latent) * 2.0


def make_task(
    cfg: TransferConfig, A: np.ndarray, classes: int, per_class: int, rng: np.random.Generator,
    prototypes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, integer labels and prototypes of a task with ``classes`` classes in the world ``A``.

    Examples
    --------
    >>> cfg = TransferConfig()
    >>> rng = np.random.default_rng(0)
    >>> X, y, P = make_task(cfg, _world(cfg, rng), 3, 2, rng)
    >>> X.shape, y.tolist(), P.shape
    ((6, 32), [0, 0, 1, 1, 2, 2], (3, 16))
    """
    P = rng.normal(size=(classes, cfg.latent)) if prototypes is None else prototypes
    y = np.repeat(np.arange(classes), per_class)
    u = P[y] + cfg.spread * rng.normal(size=(len(y), cfg.latent))
    X = np.tanh(u @ A.T) + cfg.input_noise * rng.normal(size=(len(y), cfg.inputs))
    return X, y, P


def init_params(cfg: TransferConfig, classes: int, rng: np.random.Generator) -> Params:
    """He-initialised backbone (two ReLU layers) and a zero softmax head with ``classes`` outputs."""
    return {
        "W1": rng.normal(size=(cfg.hidden, cfg.inputs)) * np.sqrt(2.0 / cfg.inputs),
        "b1": np.zeros(cfg.hidden),
        "W2": rng.normal(size=(cfg.features, cfg.hidden)) * np.sqrt(2.0 / cfg.hidden),
        "b2": np.zeros(cfg.features),
        "W": np.zeros((classes, cfg.features)),
        "b": np.zeros(classes),
    }


def backbone(params: Params, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden activations and features ``z`` of the backbone."""
    h1 = np.maximum(0.0, X @ params["W1"].T + params["b1"])
    return h1, np.maximum(0.0, h1 @ params["W2"].T + params["b2"])


def train(
    cfg: TransferConfig, params: Params, X: np.ndarray, y: np.ndarray, *, trainable: tuple[str, ...],
    epochs: int, lr: float, rng: np.random.Generator,
) -> Params:
    """Adam on the mean cross-entropy; only ``trainable`` parameters move (frozen ones get no gradient).

    When only the head trains, the features are computed once: the gradient with respect to the
    frozen backbone is never needed.
    """
    params = {k: v.copy() for k, v in params.items()}
    Y = np.eye(params["b"].shape[0])[y]
    m = {k: np.zeros_like(params[k]) for k in trainable}
    v = {k: np.zeros_like(params[k]) for k in trainable}
    head_only = set(trainable) <= {"W", "b"}
    Z_all = backbone(params, X)[1] if head_only else None
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), cfg.batch):
            idx = order[start:start + cfg.batch]
            if Z_all is not None:
                z = Z_all[idx]
                h1 = None
            else:
                h1, z = backbone(params, X[idx])
            gW, gb, G = softmax_xent_backward(params["W"], params["b"], z, Y[idx])
            grads = {"W": gW, "b": gb}
            if not head_only:
                dz = G @ params["W"] * (z > 0)
                grads["W2"], grads["b2"] = dz.T @ h1, dz.sum(axis=0)
                dh = dz @ params["W2"] * (h1 > 0)  # type: ignore[operator]
                grads["W1"], grads["b1"] = dh.T @ X[idx], dh.sum(axis=0)
            step += 1
            for k in trainable:
                g = grads[k] + cfg.weight_decay * params[k]
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                params[k] -= lr * (m[k] / (1 - 0.9**step)) / (np.sqrt(v[k] / (1 - 0.999**step)) + 1e-8)
    return params


def accuracy(params: Params, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of ``X`` whose largest logit is the label ``y``."""
    z = backbone(params, X)[1]
    return float(((z @ params["W"].T + params["b"]).argmax(axis=1) == y).mean())


STRATEGIES = ("scratch", "frozen", "fine-tune")


def run_seed(cfg: TransferConfig, seed: int) -> dict[str, float]:
    """Held-out target accuracy of each strategy, and the source accuracy, for one seed."""
    rng = np.random.default_rng([seed, 7])
    A = _world(cfg, rng)
    Xs, ys, Ps = make_task(cfg, A, cfg.source_classes, cfg.source_per_class, rng)
    Xt, yt, Pt = make_task(cfg, A, cfg.target_classes, cfg.target_per_class, rng)
    Xv, yv, _ = make_task(cfg, A, cfg.target_classes, cfg.test_per_class, rng, prototypes=Pt)
    every = ("W1", "b1", "W2", "b2", "W", "b")
    pre = train(cfg, init_params(cfg, cfg.source_classes, rng), Xs, ys, trainable=every,
                epochs=cfg.pretrain_epochs, lr=cfg.lr, rng=rng)
    fresh = init_params(cfg, cfg.target_classes, rng)
    transferred = {**pre, "W": fresh["W"], "b": fresh["b"]}
    out = {"source": accuracy(pre, *make_task(cfg, A, cfg.source_classes, 5, rng, prototypes=Ps)[:2])}
    out["scratch"] = accuracy(train(cfg, fresh, Xt, yt, trainable=every, epochs=cfg.epochs, lr=cfg.lr, rng=rng),
                              Xv, yv)
    out["frozen"] = accuracy(train(cfg, transferred, Xt, yt, trainable=("W", "b"), epochs=cfg.epochs, lr=cfg.lr,
                                   rng=rng), Xv, yv)
    out["fine-tune"] = accuracy(train(cfg, transferred, Xt, yt, trainable=every, epochs=cfg.epochs,
                                      lr=cfg.finetune_lr, rng=rng), Xv, yv)
    return out


@functools.lru_cache(maxsize=4)
def run(cfg: TransferConfig = TransferConfig()) -> tuple[tuple[int, dict[str, float]], ...]:
    """``(seed, accuracies)`` for every seed of ``cfg`` (cached in-process)."""
    with single_blas_thread():
        return tuple((seed, run_seed(cfg, seed)) for seed in cfg.seeds)


def summary(results: tuple[tuple[int, dict[str, float]], ...], key: str) -> tuple[float, float, float, float]:
    """Mean, sample standard deviation, minimum and maximum of one accuracy over the seeds.

    Examples
    --------
    >>> summary(((0, {"a": 0.5}), (1, {"a": 0.7})), "a")[0]
    0.6
    """
    vals = np.array([r[key] for _, r in results])
    sd = float(vals.std(ddof=1)) if len(vals) > 1 else 0.0
    return round(float(vals.mean()), 6), sd, float(vals.min()), float(vals.max())
