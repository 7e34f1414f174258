r"""A softmax cross-entropy head in index form, with symbolic class count and width, and its gradients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from derive.calculus.tidy import pull_constants
from derive.errors import ShapeError


def _expand(expr: sp.Basic) -> sp.Basic:
    return sp.expand(expr, power_exp=False, log=False)


def collapse_deltas(expr: sp.Basic) -> sp.Basic:
    r"""Sum out Kronecker deltas: :math:`\sum_{v=a}^{b} \delta_{v i} g(v) = g(i)` for an ``Idx`` ``i`` over ``a..b``.

    Sums are split over the terms of their (expanded) summand; a term with a
    delta between the summation variable and an ``Idx`` of the same range is
    evaluated at that index; other terms stay summed. Exponentials are not
    split (``exp(a + b)`` stays).

    Examples
    --------
    >>> w = sp.IndexedBase("w"); v = sp.Symbol("v", integer=True); n = sp.Symbol("n", integer=True)
    >>> i = sp.Idx(sp.Symbol("i", integer=True), (1, n))
    >>> collapse_deltas(sp.Sum(sp.KroneckerDelta(v, i) * w[v] + w[v], (v, 1, n)))
    w[i] + Sum(w[v], (v, 1, n))
    """

    def rule(s: sp.Sum) -> sp.Basic:
        if len(s.limits) != 1:
            return s
        v, lo, hi = s.limits[0]
        out = []
        for term in sp.Add.make_args(_expand(s.function)):
            deltas = [d for d in sp.Mul.make_args(term) if isinstance(d, sp.KroneckerDelta) and v in d.args]
            if deltas:
                d = deltas[0]
                other = d.args[0] if d.args[1] == v else d.args[1]
                if isinstance(other, sp.Idx) and other.lower == lo and other.upper == hi:
                    out.append((term / d).xreplace({v: other}))
                    continue
            out.append(sp.Sum(term, (v, lo, hi)))
        return sp.Add(*out)

    previous = None
    while previous != expr:
        previous = expr
        expr = _expand(expr.replace(lambda e: isinstance(e, sp.Sum), rule))
    return expr


@dataclass(frozen=True)
class SoftmaxHead:
    r"""A dense layer on features :math:`z_f` followed by softmax and cross-entropy, in index form.

    Logits :math:`a_c = \sum_f W_{cf} z_f + b_c`, probabilities
    :math:`p_c = e^{a_c} / \sum_k e^{a_k}`, loss :math:`L = -\sum_c y_c \log p_c`.
    ``i`` (over ``1..C``) and ``j`` (over ``1..F``) are free ``Idx`` indices.
    """

    C: sp.Expr
    F: sp.Expr
    W: sp.IndexedBase
    b: sp.IndexedBase
    z: sp.IndexedBase
    y: sp.IndexedBase
    p: sp.IndexedBase
    c: sp.Symbol
    k: sp.Symbol
    f: sp.Symbol
    i: sp.Idx
    j: sp.Idx

    def logit(self, c: sp.Expr) -> sp.Expr:
        """The logit :math:`a_c`."""
        return sp.Sum(self.W[c, self.f] * self.z[self.f], (self.f, 1, self.F)) + self.b[c]

    def partition(self) -> sp.Expr:
        r"""The normaliser :math:`\sum_k e^{a_k}`."""
        return sp.Sum(sp.exp(self.logit(self.k)), (self.k, 1, self.C))

    def probability(self, c: sp.Expr) -> sp.Expr:
        """The softmax probability :math:`p_c` written out."""
        return sp.exp(self.logit(c)) / self.partition()

    def loss(self) -> sp.Expr:
        r"""The cross-entropy :math:`-\sum_c y_c \log p_c`, with ``log p_c`` written out."""
        return -sp.Sum(self.y[self.c] * sp.log(self.probability(self.c)), (self.c, 1, self.C))

    def log_softmax_loss(self) -> sp.Expr:
        r"""The same loss with :math:`\log p_c = a_c - \log\sum_k e^{a_k}`."""
        return -sp.Sum(self.y[self.c] * (self.logit(self.c) - sp.log(self.partition())), (self.c, 1, self.C))

    def probability_rules(self) -> dict[sp.Basic, sp.Basic]:
        """``{p_i: softmax expression at i}``, the definition of the probabilities as a hypothesis."""
        return {self.p[self.i]: self.probability(self.i)}

    def label_sum(self) -> sp.Sum:
        r"""The sum :math:`\sum_c y_c` (1 for a one-hot or any probability target)."""
        return sp.Sum(self.y[self.c], (self.c, 1, self.C))

    def target_sampler(
        self, sizes: tuple[int, int] = (1, 4)
    ) -> Callable[[np.random.Generator], dict[sp.Basic, sp.Basic]]:
        r"""A sampler of targets with :math:`\sum_c y_c = 1`: a class count, and a one-hot or probability ``y``.

        The class count ``C`` (when symbolic) is drawn in ``sizes``; every other draw is one-hot, the rest
        positive rational probability vectors.

        Examples
        --------
        >>> head = softmax_head()
        >>> point = head.target_sampler()(np.random.default_rng(0))
        >>> sum(v for k, v in point.items() if k != head.C)
        1
        """
        lo, hi = sizes
        if lo < 1 or hi < lo:
            raise ShapeError(f"class counts must satisfy 1 <= low <= high, got {sizes}", name="C", shape=sizes)

        def sample(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
            """A class count and a target ``y`` (one-hot, or a random probability vector) with ``sum y = 1``."""
            C = int(rng.integers(lo, hi + 1)) if not isinstance(self.C, sp.Integer) else int(self.C)
            if rng.integers(0, 2):
                hot = int(rng.integers(0, C))
                weights = [sp.Integer(int(n == hot)) for n in range(C)]
            else:
                raw = [int(w) for w in rng.integers(1, 8, C)]
                weights = [sp.Rational(w, sum(raw)) for w in raw]
            point: dict[sp.Basic, sp.Basic] = {self.y[n + 1]: w for n, w in enumerate(weights)}
            if not isinstance(self.C, sp.Integer):
                point[self.C] = sp.Integer(C)
            return point

        return sample

    def name_probabilities(self, expr: sp.Basic) -> sp.Basic:
        r"""Name each ratio :math:`e^{a_v} / \sum_k e^{a_k}` as :math:`p_v` (also inside a sum over ``v``)."""
        Z = self.partition()
        terms = []
        for term in sp.Add.make_args(_expand(pull_constants(_expand(expr)))):
            factors = list(sp.Mul.make_args(term))
            if 1 / Z in factors:
                named = self._name_in(factors)
                if named is not None:
                    factors = [q for q in named if q != 1 / Z]
            terms.append(sp.Mul(*factors))
        return sp.factor_terms(pull_constants(sp.Add(*terms)))

    def _name_in(self, factors: list[sp.Basic]) -> list[sp.Basic] | None:
        for n, q in enumerate(factors):
            if isinstance(q, sp.exp) and q == sp.exp(self.logit(self.i)):
                return [*factors[:n], self.p[self.i], *factors[n + 1:]]
            if isinstance(q, sp.Sum) and len(q.limits) == 1:
                v = q.limits[0][0]
                body = q.function.xreplace({sp.exp(self.logit(v)): self.p[v]})
                if body != q.function:
                    return [*factors[:n], sp.Sum(body, *q.limits), *factors[n + 1:]]
        return None

    def gradient(self, wrt: sp.Basic) -> sp.Basic:
        """``dL/d(wrt)`` by SymPy's ``diff`` of the index-form loss, deltas summed out, ``p`` named."""
        return self.name_probabilities(collapse_deltas(sp.diff(self.log_softmax_loss(), wrt)))


def softmax_head(C: sp.Expr | int | None = None, F: sp.Expr | int | None = None) -> SoftmaxHead:
    """A softmax head with ``C`` classes on ``F`` features (symbolic positive integers by default).

    Examples
    --------
    >>> head = softmax_head()
    >>> head.gradient(head.b[head.i])
    p[i]*Sum(y[c], (c, 1, C)) - y[i]
    >>> head.gradient(head.W[head.i, head.j])
    (p[i]*Sum(y[c], (c, 1, C)) - y[i])*z[j]
    """
    Cs = sp.Symbol("C", integer=True, positive=True) if C is None else sp.Integer(C) if isinstance(C, int) else C
    Fs = sp.Symbol("F", integer=True, positive=True) if F is None else sp.Integer(F) if isinstance(F, int) else F
    c, k, f = sp.symbols("c k f", integer=True, positive=True)
    W, b, z, y, p = (sp.IndexedBase(n, real=True) for n in "Wbzyp")
    i = sp.Idx(sp.Symbol("i", integer=True), (1, Cs))
    j = sp.Idx(sp.Symbol("j", integer=True), (1, Fs))
    return SoftmaxHead(Cs, Fs, W, b, z, y, p, c, k, f, i, j)


def softmax_xent(W: np.ndarray, b: np.ndarray, Z: np.ndarray, Y: np.ndarray) -> float:
    """Mean cross-entropy of the head on features ``Z`` (n, F) with targets ``Y`` (n, C).

    Examples
    --------
    >>> bool(np.isclose(softmax_xent(np.zeros((4, 3)), np.zeros(4), np.ones((2, 3)), np.eye(4)[:2]), np.log(4)))
    True
    """
    if W.shape != (b.shape[0], Z.shape[1]) or Y.shape != (Z.shape[0], b.shape[0]):
        raise ShapeError(f"head shapes disagree: W {W.shape}, b {b.shape}, Z {Z.shape}, Y {Y.shape}",
                         name="W", shape=W.shape)
    logits = Z @ W.T + b
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-(Y * logp).sum() / Z.shape[0])


def softmax_xent_gradients(
    W: np.ndarray, b: np.ndarray, Z: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""The derived gradients :math:`\overline{(p - y) z^\top}` and :math:`\overline{p - y}` (batch means).

    Examples
    --------
    >>> gW, gb = softmax_xent_gradients(np.zeros((2, 3)), np.zeros(2), np.ones((1, 3)), np.array([[1.0, 0.0]]))
    >>> gb.tolist(), gW[0].tolist()
    ([-0.5, 0.5], [-0.5, -0.5, -0.5])
    """
    gW, gb, _ = softmax_xent_backward(W, b, Z, Y)
    return gW, gb


def softmax_xent_backward(
    W: np.ndarray, b: np.ndarray, Z: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The head gradients and :math:`G = \partial L/\partial a = (P - Y)/n`, to back-propagate as :math:`G W`.

    One softmax serves both the head's gradients and the gradient with respect to the features.

    Examples
    --------
    >>> _, _, G = softmax_xent_backward(np.zeros((2, 3)), np.zeros(2), np.ones((1, 3)), np.array([[1.0, 0.0]]))
    >>> G.tolist()
    [[-0.5, 0.5]]
    """
    G = Z @ W.T
    G += b
    G -= G.max(axis=1, keepdims=True)
    np.exp(G, out=G)
    G /= G.sum(axis=1, keepdims=True)
    G -= Y
    G /= Z.shape[0]
    return G.T @ Z, G.sum(axis=0), G


def finite_difference_error(
    loss: Callable[[np.ndarray], float], grad: np.ndarray, x: np.ndarray, *, seed: int = 0,
    directions: int = 8, step: float = 1e-5,
) -> float:
    """Largest relative gap between central differences and ``grad`` along seeded random directions.

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> finite_difference_error(lambda v: float((v**2).sum()), 2 * x, x) < 1e-8
    True
    """
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(directions):
        d = rng.normal(size=x.shape)
        numeric = (loss(x + step * d) - loss(x - step * d)) / (2 * step)
        analytic = float((grad * d).sum())
        worst = max(worst, abs(numeric - analytic) / max(abs(numeric), abs(analytic), 1e-12))
    return worst


__all__ = [
    "SoftmaxHead",
    "collapse_deltas",
    "finite_difference_error",
    "softmax_head",
    "softmax_xent",
    "softmax_xent_backward",
    "softmax_xent_gradients",
]
