r"""Independent ground truth for ``tests/corpus/claims.toml``: re-derive every ``truth`` label by other means.

Run ``python tests/corpus/validate_truth.py`` (``-v`` lists every claim, ``-k TEXT`` keeps the claims whose
LaTeX contains TEXT, ``--seed N`` changes the random points; about two minutes). It never imports
``derive.claims.check`` or ``derive.verify``, nor the LaTeX parser: every claim of the corpus has a hand-written
*meaning* in :data:`SPECS` below, a Python function of the claim's variables written from the mathematics
(not from what a parser makes of the text). The script then decides the claim
by itself and compares with the label:

* scalar claims are evaluated first in exact rational arithmetic (``fractions.Fraction``) when the meaning
  only uses rational operations, ReLU, masks, ``|x|``, max and min; otherwise in mpmath interval arithmetic
  on a precision ladder (60, 150, 400, 1000, 2500 digits): an interval for ``lhs - rhs`` that excludes 0
  decides the sign rigorously (so gaps far below float64, e^{-800}, 10^{-45} sigma(x), are seen), one that
  contains 0 and is narrower than 10^{-d/2} at d >= 400 digits counts as equality, and a kink or domain
  boundary that an interval straddles is re-evaluated at a higher precision. Numerical derivatives
  (``mpmath.diff``) and arcsin/arccos/cube roots, which have no interval version here, use mpmath points on
  the same ladder, where a difference that stays the same as the precision grows is a real gap and one that
  shrinks is rounding noise;
* the points are the claim's witnesses (a hand-picked point where a false claim fails, or where the two
  sides of a true ``\neq`` differ) and a few hundred seeded random points: small integers, rationals with
  small denominators (1/420 included), kinks, powers of ten from 1e-40 to 1e15, sizes up to 70;
* a universal claim is false when it fails at one point where both sides are defined (a side that raises
  :class:`Undefined`, divides by zero or is complex is outside the domain), true when it holds at all of
  them; ``\neq`` is existential (true when the sides differ at one point);
* a true scalar ``=`` claim without arrays is also given to SymPy's ``simplify`` (built from the same
  meaning, with SymPy symbols), reported as an extra, independent confirmation;
* q4 claims use the sigmoid-to-tanh weight map re-derived here by hand (and checked on random networks);
* q1 claims are evaluated on random rational arrays; the gradients of the residual block are obtained by exact
  finite differences of the loss ``L = sum(dL/dy * y)`` (the block is piecewise linear), not from any
  closed form.

A label is *confirmed* when the computed truth equals it: for ``false`` (and a true ``\neq``) that needs a
conclusive counterexample, for ``true`` agreement at every point. The exit status is 0 only when every claim
has a meaning and every label is confirmed.
"""

from __future__ import annotations

import argparse
import math
import random
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath as mp
import numpy as np
import sympy as sp
import tomllib

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "claims.toml"


class Undefined(Exception):
    """The expression is not defined (as a real number) at this point: the point is outside the domain."""


class _NeedsMp(Exception):
    """Raised in exact mode by a transcendental function: evaluate with mpmath instead."""


class _SymSkip(Exception):
    """Raised in symbolic mode by something without a symbolic meaning here."""


# --- polymorphic helpers: exact (Fraction), iv (mpmath intervals), mp (mpmath points) and sym (SymPy) -------
# The same meaning is evaluated in whichever mode the decision needs; comparisons at a kink go through _truth,
# which refuses to guess when an interval straddles the kink.
_MODE = "mp"
iv = mp.iv


class _Straddle(Exception):
    """Raised in interval mode when a comparison (kink, domain) cannot be decided at this precision."""


class _NoIv(Exception):
    """Raised in interval mode by a function without an interval version: use mpmath points instead."""


def _truth(b: Any) -> bool:
    """A comparison result; in interval mode ``None`` (undecided) raises :class:`_Straddle`."""
    if b is None:
        raise _Straddle
    return bool(b)


def F(p: int, q: int = 1) -> Any:
    """The rational p/q in the current mode."""
    if _MODE == "exact":
        return Fraction(p, q)
    if _MODE == "sym":
        return sp.Rational(p, q)
    if _MODE == "iv":
        return iv.mpf(p) / q
    return mp.mpf(p) / q


def _iv_tanh(x: Any) -> Any:
    if _truth(x >= 0):
        u = iv.exp(-2 * x)
        return (1 - u) / (1 + u)
    u = iv.exp(2 * x)
    return (u - 1) / (u + 1)


def _transcendental(mp_fn: Callable[[Any], Any], sym_fn: Callable[[Any], Any],
                    ok: Callable[[Any], bool] | None = None,
                    iv_fn: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        if _MODE == "exact":
            raise _NeedsMp
        if _MODE == "sym":
            return sym_fn(x)
        if _MODE == "iv":
            if iv_fn is None:
                raise _NoIv
            x = x if isinstance(x, iv.mpf) else iv.mpf(x)
        if ok is not None and not ok(x):
            raise Undefined
        return iv_fn(x) if _MODE == "iv" else mp_fn(x)  # type: ignore[misc]
    return fn


exp = _transcendental(mp.exp, sp.exp, iv_fn=iv.exp)
sin = _transcendental(mp.sin, sp.sin, iv_fn=iv.sin)
cos = _transcendental(mp.cos, sp.cos, iv_fn=iv.cos)
tanh = _transcendental(mp.tanh, sp.tanh, iv_fn=_iv_tanh)
sinh = _transcendental(mp.sinh, sp.sinh, iv_fn=lambda x: (iv.exp(x) - iv.exp(-x)) / 2)
cosh = _transcendental(mp.cosh, sp.cosh, iv_fn=lambda x: (iv.exp(x) + iv.exp(-x)) / 2)
log = _transcendental(mp.log, sp.log, lambda x: _truth(x > 0), iv.log)
atanh = _transcendental(mp.atanh, sp.atanh, lambda x: _truth(-1 < x) and _truth(x < 1),
                        lambda x: iv.log((1 + x) / (1 - x)) / 2)
asin = _transcendental(mp.asin, sp.asin, lambda x: -1 <= x <= 1)
acos = _transcendental(mp.acos, sp.acos, lambda x: -1 <= x <= 1)
atan = _transcendental(mp.atan, sp.atan)


def sqrt(x: Any) -> Any:
    """The real square root; undefined below 0. Exact on perfect squares of rationals."""
    if _MODE == "sym":
        return sp.sqrt(x)
    if _MODE == "iv":
        x = x if isinstance(x, iv.mpf) else iv.mpf(x)
    if _truth(x < 0):
        raise Undefined
    if _MODE == "iv":
        _truth(x >= 0)
        return iv.sqrt(x)
    if _MODE == "exact":
        x = Fraction(x)
        p, q = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if p * p == x.numerator and q * q == x.denominator:
            return Fraction(p, q)
        raise _NeedsMp
    return mp.sqrt(x)


def cbrt(x: Any) -> Any:
    """The real cube root (negative for negative x)."""
    if _MODE == "sym":
        return sp.real_root(x, 3)
    if _MODE in ("exact", "iv"):
        raise _NeedsMp if _MODE == "exact" else _NoIv
    return mp.cbrt(x) if x >= 0 else -mp.cbrt(-x)


def sig(x: Any) -> Any:
    """The logistic sigmoid."""
    return 1 / (1 + exp(-x))


def softplus(x: Any) -> Any:
    """log(1 + e^x)."""
    return log(1 + exp(x))


def logit(p: Any) -> Any:
    """The inverse of the sigmoid, defined on (0, 1)."""
    if _MODE != "sym" and not (_truth(p > 0) and _truth(p < 1)):
        raise Undefined
    return log(p / (1 - p))


def PI() -> Any:
    """pi in the current mode."""
    if _MODE == "exact":
        raise _NeedsMp
    if _MODE == "iv":
        return +iv.pi
    return sp.pi if _MODE == "sym" else +mp.pi


def E() -> Any:
    """Euler's number in the current mode."""
    if _MODE == "exact":
        raise _NeedsMp
    if _MODE == "iv":
        return +iv.e
    return sp.E if _MODE == "sym" else mp.e()


def relu(x: Any) -> Any:
    """max(0, x), with relu(0) = 0."""
    if _MODE == "sym":
        return sp.Max(0, x)
    return x if _truth(x > 0) else 0 * x


def ind(x: Any) -> Any:
    """The mask [x > 0] (0 at 0)."""
    if _MODE == "sym":
        return sp.Piecewise((1, x > 0), (0, True))
    return 1 if _truth(x > 0) else 0


def absv(x: Any) -> Any:
    """|x|."""
    if _MODE == "sym":
        return sp.Abs(x)
    return x if _truth(x >= 0) else -x


def mx(*xs: Any) -> Any:
    """max."""
    if _MODE == "sym":
        return sp.Max(*xs)
    out = xs[0]
    for x in xs[1:]:
        out = x if _truth(x > out) else out
    return out


def mn(*xs: Any) -> Any:
    """min."""
    if _MODE == "sym":
        return sp.Min(*xs)
    out = xs[0]
    for x in xs[1:]:
        out = x if _truth(x < out) else out
    return out


def Dx(f: Callable[[Any], Any], x: Any, n: int = 1) -> Any:
    """The n-th derivative of f at x: mpmath's numerical differentiation (or SymPy's diff in sym mode)."""
    if _MODE == "exact":
        raise _NeedsMp
    if _MODE == "iv":
        raise _NoIv  # numerical differentiation is not rigorous: decided on mpmath points
    if _MODE == "sym":
        return sp.diff(f(x), x, n)
    return mp.diff(f, x, n)


def _relu_slope(x: Any) -> Any:
    """The derivative of ReLU: 1 right of 0, 0 left of it; undefined at the kink."""
    if _MODE == "sym":
        raise _SymSkip
    if _truth(x > 0):
        return 1
    if _truth(x < 0):
        return 0
    raise Undefined


def _abs_slope(x: Any) -> Any:
    """The derivative of |x|: the sign of x; undefined at 0."""
    if _MODE == "sym":
        raise _SymSkip
    if _truth(x > 0):
        return 1
    if _truth(x < 0):
        return -1
    raise Undefined


def kd(a: int, b: int) -> int:
    """The Kronecker delta of two integer indices."""
    return 1 if a == b else 0


def S(gen: Any) -> Any:
    """A sum; 0 when empty."""
    total: Any = 0
    for term in gen:
        total = total + term
    return total


def rng_(a: Any, b: Any) -> range:
    """The integers a..b (empty when b < a)."""
    return range(int(a), int(b) + 1)


# --- q4: the sigmoid -> tanh weight map, derived by hand ------------------------------------------------------
# tanh(u) = 2 sigma(2u) - 1. The tanh network t_k0 + sum_j t_kj tanh(t_j0 + sum_i t_ji x_i) with t_ji = w_ji/2,
# t_j0 = w_j0/2 has tanh(a_j/2) = 2 sigma(a_j) - 1 in hidden unit j (a_j the sigmoid pre-activation), so it
# equals t_k0 - sum_j t_kj + sum_j 2 t_kj sigma(a_j): matching the sigmoid network w_k0 + sum_j w_kj sigma(a_j)
# gives t_kj = w_kj/2 and t_k0 = w_k0 + (1/2) sum_j w_kj. Index 0 is the bias.
def t1(v: Any, j: int, i: int) -> Any:
    """The tanh network's first-layer weight t^{(1)}_{ji} (i = 0: the bias)."""
    return v.w1[j, i] / 2


def t2(v: Any, k: int, j: int) -> Any:
    """The tanh network's second-layer weight t^{(2)}_{kj} (j = 0: the bias)."""
    if j == 0:
        return v.w2[k, 0] + S(v.w2[k, jj] for jj in rng_(1, v.M)) / 2
    return v.w2[k, j] / 2


def _q4_self_check() -> None:
    """The map above makes the two networks equal (random sizes, weights and inputs, 50 digits)."""
    r = random.Random(4)
    with mp.workdps(50):
        for _ in range(20):
            D, M, K = r.randint(1, 5), r.randint(1, 6), r.randint(1, 3)
            v = Namespace({"D": D, "M": M, "K": K})
            v.w1, v.w2, v.x = (LazyArray(r, "array", "mp") for _ in range(3))
            for k in rng_(1, K):
                pre = [v.w1[j, 0] + S(v.w1[j, i] * v.x[i] for i in rng_(1, D)) for j in range(M + 1)]
                ys = v.w2[k, 0] + S(v.w2[k, j] * sig(pre[j]) for j in rng_(1, M))
                tpre = [t1(v, j, 0) + S(t1(v, j, i) * v.x[i] for i in rng_(1, D)) for j in range(M + 1)]
                yt = t2(v, k, 0) + S(t2(v, k, j) * tanh(tpre[j]) for j in rng_(1, M))
                assert abs(ys - yt) < mp.mpf(10) ** -40, (ys, yt)


# --- q1: the residual block on arrays -------------------------------------------------------------------------
def _pad(a: np.ndarray, p: int) -> np.ndarray:
    out = np.full((a.shape[0] + 2 * p, a.shape[1] + 2 * p), Fraction(0), dtype=object)
    out[p:p + a.shape[0], p:p + a.shape[1]] = a
    return out


def corr(a: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Size-preserving cross-correlation a * k: out[r, c] = sum_uv k[u, v] a[r + u - p, c + v - p], zero-padded."""
    s = k.shape[0]
    assert k.shape == (s, s) and s % 2 == 1
    H, W = a.shape
    ap = _pad(a, (s - 1) // 2)
    out = np.full((H, W), Fraction(0), dtype=object)
    for u in range(s):
        for w in range(s):
            out = out + k[u, w] * ap[u:u + H, w:w + W]
    return out


def kcorr(a: np.ndarray, b: np.ndarray, s: int) -> np.ndarray:
    """a * b of two image-sized arrays, kernel-sized s x s: out[u, v] = sum_ij a[i, j] b[i + u - p, j + v - p]."""
    assert a.shape == b.shape and s % 2 == 1
    H, W = a.shape
    bp = _pad(b, (s - 1) // 2)
    out = np.full((s, s), Fraction(0), dtype=object)
    for u in range(s):
        for w in range(s):
            out[u, w] = (a * bp[u:u + H, w:w + W]).sum()
    return out


def flip(k: np.ndarray) -> np.ndarray:
    """The kernel rotated by 180 degrees."""
    return k[::-1, ::-1]


def amask(a: np.ndarray) -> np.ndarray:
    """Elementwise [a > 0]."""
    return np.vectorize(lambda t: Fraction(1) if t > 0 else Fraction(0), otypes=[object])(a)


def arelu(a: np.ndarray) -> np.ndarray:
    """Elementwise ReLU."""
    return np.vectorize(lambda t: t if t > 0 else Fraction(0), otypes=[object])(a)


def asig(a: np.ndarray) -> np.ndarray:
    """Elementwise sigmoid, as mpf at the working precision."""
    return np.vectorize(lambda t: 1 / (1 + mp.exp(-mp.mpf(t.numerator) / t.denominator)), otypes=[object])(a)


def _rand_array(r: random.Random, shape: tuple[int, int]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = Fraction(r.choice([-1, 1]) * r.randint(1, 9), r.randint(1, 6))
    return out


def _block(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, start: str = "x", value: Any = None) -> dict[str, Any]:
    """Forward pass; with ``start`` a node name, that node is set to ``value`` and only its consumers recomputed."""
    nodes: dict[str, Any] = {"x": x, "w1": w1, "w2": w2}
    if start in ("x", "w1", "w2") and value is not None:
        nodes[start] = value
    nodes["h1"] = value if start == "h1" else corr(nodes["x"], nodes["w1"])
    nodes["z1"] = value if start == "z1" else arelu(nodes["h1"])
    nodes["h2"] = value if start == "h2" else corr(nodes["z1"], nodes["w2"])
    nodes["h3"] = value if start == "h3" else nodes["h2"] + nodes["x"]
    nodes["y"] = value if start == "y" else arelu(nodes["h3"])
    return nodes


def _gradients(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, g: np.ndarray) -> dict[str, np.ndarray] | None:
    """dL/da for every leaf and node, L = sum(g * y), by exact finite differences (None on a kink)."""
    base = _block(x, w1, w2)
    if any(t == 0 for t in base["h1"].ravel()) or any(t == 0 for t in base["h3"].ravel()):
        return None
    masks = (amask(base["h1"]), amask(base["h3"]))
    L0 = (g * base["y"]).sum()
    eps = Fraction(1, 10**9)
    grads: dict[str, np.ndarray] = {}
    for name in ("x", "w1", "w2", "h1", "z1", "h2", "h3", "y"):
        a = base[name]
        grad = np.full(a.shape, Fraction(0), dtype=object)
        for idx in np.ndindex(*a.shape):
            moved = a.copy()
            moved[idx] = moved[idx] + eps
            nodes = _block(x, w1, w2, name, moved)
            if name in ("x", "w1", "w2", "h1"):
                assert (amask(nodes["h1"]) == masks[0]).all(), "finite difference crossed a kink"
            if name != "y":
                assert (amask(nodes["h3"]) == masks[1]).all(), "finite difference crossed a kink"
            grad[idx] = ((g * nodes["y"]).sum() - L0) / eps
        grads[name] = grad
    return grads


#: (image shape, k1, k2, size of the free kernel w): kernels larger than the image included.
Q1_CONFIGS = (((2, 3), 3, 1, 3), ((3, 2), 1, 3, 5), ((1, 4), 5, 3, 1), ((3, 3), 3, 5, 3), ((4, 5), 3, 3, 5),
              ((5, 4), 5, 1, 3), ((1, 1), 3, 3, 1), ((4, 4), 3, 3, 3), ((2, 5), 3, 5, 3), ((5, 5), 1, 1, 5))


def q1_points(seed: int, per_config: int = 2) -> list[Namespace]:
    """Random residual blocks with their exact gradients."""
    r = random.Random(seed)
    out = []
    for shape, k1, k2, kw in Q1_CONFIGS:
        made = 0
        while made < per_config:
            x, g, u, vv = (_rand_array(r, shape) for _ in range(4))
            w1, w2, w = _rand_array(r, (k1, k1)), _rand_array(r, (k2, k2)), _rand_array(r, (kw, kw))
            grads = _gradients(x, w1, w2, g)
            if grads is None:
                continue
            nodes = _block(x, w1, w2)
            ns = Namespace({"x": x, "g": g, "u": u, "v": vv, "w": w, "w1": w1, "w2": w2, "k1": k1, "k2": k2,
                            "kw": kw, "shape": shape, **{n: nodes[n] for n in ("h1", "z1", "h2", "h3", "y")},
                            **{"d" + n: grads[n] for n in grads}})
            out.append(ns)
            made += 1
    return out


# --- points ------------------------------------------------------------------------------------------------
class Namespace:
    """Attribute access to a point's values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # only called for a missing attribute
        raise AttributeError(f"the point has no variable {name!r} (declare it in the meaning's variables)")

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value


_SMALL_DEN = (2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 420)


def _random_scalar(r: random.Random, kind: str, lim: Fraction | None) -> Fraction:
    while True:
        roll = r.random()
        if roll < 0.12:
            v = Fraction(r.choice([0, 1, -1, 2, -2, 3, -3, 10, -10, 100, -100]))
            v = r.choice([v, Fraction(1, 2), Fraction(-1, 2), Fraction(1, 8), Fraction(-1, 8), Fraction(1, 3)])
        elif roll < 0.27:
            v = Fraction(r.randint(-8, 8))
        elif roll < 0.45:
            q = r.choice(_SMALL_DEN)
            v = Fraction(r.randint(-8 * q, 8 * q), q)
        elif roll < 0.68:
            v = Fraction(r.uniform(-4, 4))
        elif roll < 0.85:
            v = Fraction(10 ** r.uniform(-12, 15)) * r.choice([-1, 1])
        elif roll < 0.93:
            v = Fraction(1, 10 ** r.randint(1, 40)) * r.choice([-1, 1])
        else:
            v = Fraction(r.gauss(0, 30))
        if kind == "nonneg":
            v = abs(v)
        if lim is None or abs(v) <= lim:
            return v


def _array_entry(r: random.Random) -> Fraction:
    roll = r.random()
    if roll < 0.08:
        return Fraction(0)
    if roll < 0.35:
        return Fraction(r.randint(-5, 5))
    if roll < 0.55:
        q = r.choice(_SMALL_DEN)
        return Fraction(r.randint(-5 * q, 5 * q), q)
    if roll < 0.92:
        return Fraction(r.gauss(0, 2))
    return Fraction(10 ** r.uniform(-8, 6)) * r.choice([-1, 1])


class LazyArray:
    """An array of random entries, drawn on first access, for any integer index or tuple of indices."""

    def __init__(self, r: random.Random, kind: str, mode: str, fixed: dict[Any, Any] | None = None) -> None:
        self.r, self.kind, self.mode = r, kind, mode
        self.raw: dict[Any, Fraction] = {}
        for key, val in (fixed or {}).items():
            self.raw[key] = Fraction(val)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, tuple):
            key = tuple(int(k) for k in key)
        else:
            key = int(key)
        if key not in self.raw:
            e = _array_entry(self.r)
            self.raw[key] = abs(e) if self.kind == "nonneg" else e
        return _convert(self.raw[key], self.mode)


def _convert(v: Fraction, mode: str) -> Any:
    if mode == "exact":
        return v
    if mode == "sym":
        return sp.Rational(v.numerator, v.denominator)
    if mode == "iv":
        return iv.mpf(v.numerator) / v.denominator
    return mp.mpf(v.numerator) / v.denominator


SIZES = (1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 20, 29, 30, 31, 32, 40, 50, 64, 70)


@dataclass
class Var:
    """A declared variable: ``x`` real, ``x+`` nonnegative, ``M#`` size, ``i@M`` index in 1..M, ``x[]`` array."""

    name: str
    kind: str  # real, nonneg, size, index, array, array_nonneg
    bound: str = ""


def parse_vars(text: str) -> list[Var]:
    out = []
    for tok in text.split():
        if tok.endswith("[]+"):
            out.append(Var(tok[:-3], "array_nonneg"))
        elif tok.endswith("[]"):
            out.append(Var(tok[:-2], "array"))
        elif tok.endswith("#"):
            out.append(Var(tok[:-1], "size"))
        elif "@" in tok:
            name, bound = tok.split("@")
            out.append(Var(name, "index", bound))
        elif tok.endswith("+"):
            out.append(Var(tok[:-1], "nonneg"))
        else:
            out.append(Var(tok, "real"))
    return out


@dataclass
class Point:
    """One point: exact values of the scalars and sizes, and the seeds/fixed entries of the arrays."""

    scalars: dict[str, Any]
    arrays: dict[str, dict[Any, Any]]
    seed: int
    label: str = "random"

    def namespace(self, spec: Spec, mode: str) -> Namespace:
        r = random.Random(self.seed)
        values: dict[str, Any] = {}
        for var in spec.variables:
            if var.kind in ("size", "index"):
                values[var.name] = int(self.scalars[var.name])
            elif var.kind in ("array", "array_nonneg"):
                values[var.name] = LazyArray(random.Random(r.random()), "nonneg" if var.kind == "array_nonneg"
                                             else "real", mode, self.arrays.get(var.name))
            elif callable(self.scalars[var.name]):  # an irrational witness such as pi/2
                if mode == "exact":
                    raise _NeedsMp
                values[var.name] = self.scalars[var.name]()
            else:
                values[var.name] = _convert(Fraction(self.scalars[var.name]), mode)
        return Namespace(values)


def random_points(spec: Spec, n: int, seed: int) -> list[Point]:
    r = random.Random(seed)
    out = []
    for p in range(n):
        scalars: dict[str, Any] = {}
        sizes = spec.sizes or SIZES
        for var in spec.variables:
            if var.kind == "size":
                scalars[var.name] = r.choice(sizes)
        for var in spec.variables:
            if var.kind == "index":
                top = scalars[var.bound] if var.bound in scalars else r.choice(sizes)
                scalars[var.name] = r.choice([1, top, r.randint(1, top)])
        reals = [v for v in spec.variables if v.kind in ("real", "nonneg")]
        for var in reals:
            scalars[var.name] = _random_scalar(r, var.kind, spec.lim)
        if len(reals) > 1 and r.random() < 0.15:  # coincidences: x = y (or |x| = |y|)
            first = scalars[reals[0].name]
            for var in reals[1:]:
                scalars[var.name] = abs(first) if var.kind == "nonneg" else first * r.choice([1, 1, -1])
        out.append(Point(scalars, {}, r.randrange(2**62), f"random {p}"))
    return out


# --- the specification of a claim --------------------------------------------------------------------------
@dataclass
class Spec:
    r"""The meaning of one claim: ``fn(v) -> (lhs, rhs)`` over the declared variables, and the relation.

    ``witness``: points (dicts of variable values; an array variable maps to a dict of fixed entries) tried
    first. ``lim`` caps |x| of random reals (for claims whose evaluation needs too many digits far out).
    ``kind`` is ``"scalar"`` (default) or ``"q1"`` (arrays of the residual block).
    """

    latex: str
    rel: str
    fn: Callable[[Any], tuple[Any, Any]]
    vars: str = ""
    vocab: str = "default"
    witness: tuple[dict[str, Any], ...] = ()
    lim: Fraction | None = None
    sizes: tuple[int, ...] | None = None
    points: int = 250
    exact: bool = True
    dps: int = 60
    kind: str = "scalar"
    variables: list[Var] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.variables = parse_vars(self.vars)
        if self.lim is not None:
            self.lim = Fraction(self.lim)


SPECS: list[Spec] = []


def C(latex: str, rel: str, fn: Callable[[Any], tuple[Any, Any]], vars: str = "", **kw: Any) -> None:
    """Register the meaning of a claim (``vocab=`` for q1/q4/q5)."""
    SPECS.append(Spec(latex, rel, fn, vars, **kw))


# --- deciding one point --------------------------------------------------------------------------------------
UNDEF, INCONCLUSIVE = "undefined", "inconclusive"
LADDER = (60, 150, 400, 1000, 2500)


def _real(value: Any) -> Any:
    if isinstance(value, (mp.mpc, complex)):
        if value.imag != 0:
            raise Undefined
        value = value.real
    if isinstance(value, mp.mpf) and not mp.isfinite(value):
        raise Undefined
    if isinstance(value, float):
        raise TypeError("a Python float in a claim's meaning (use F(p, q))")
    return value


def _evaluate(spec: Spec, point: Point, mode: str) -> tuple[Any, Any]:
    global _MODE
    _MODE = mode
    try:
        lhs, rhs = spec.fn(point.namespace(spec, mode))
    finally:
        _MODE = "mp"
    if mode == "iv":
        return _iv_real(lhs), _iv_real(rhs)
    return _real(lhs), _real(rhs)


def _iv_real(value: Any) -> Any:
    """An interval for a real value; complex values (a real power of a negative number) are undefined."""
    if isinstance(value, iv.mpc):
        im = value.imag
        if not (_ends(im)[0] == 0 and _ends(im)[1] == 0):
            raise Undefined
        value = value.real
    return value if isinstance(value, iv.mpf) else iv.mpf(value)


def _ends(x: Any) -> tuple[Any, Any]:
    """The endpoints of an interval as mpf."""
    lo, hi = x._mpi_
    return mp.mpf(lo), mp.mpf(hi)


def _sign_iv(spec: Spec, point: Point) -> Any:
    """The sign of lhs - rhs by interval arithmetic: rigorous when the interval excludes 0.

    Returns None when the meaning needs a function without an interval version or a value is not finite
    (a division by an interval around 0): the caller then uses mpmath points.
    """
    seen: tuple[int, Any] | None = None  # a sign found at the previous level, waiting for confirmation
    for d in [x for x in LADDER if x >= spec.dps] or [spec.dps]:
        old = iv.prec
        iv.dps = d
        try:
            lhs, rhs = _evaluate(spec, point, "iv")
            diff = lhs - rhs
            lo, hi = _ends(diff)
            (l0, l1), (r0, r1) = _ends(lhs), _ends(rhs)
        except _NoIv:
            return None
        except _Straddle:
            continue  # a kink or domain boundary not decided at this precision
        except (Undefined, ZeroDivisionError):
            return UNDEF
        finally:
            iv.prec = old
        if not all(mp.isfinite(t) for t in (lo, hi, l0, l1, r0, r1)):
            return None
        if lo > 0 or hi < 0:
            # mpmath's intervals are not always rigorous (log near 1 can come out too narrow), so a sign
            # counts only when the next precision level gives the same sign and nearly the same value
            sign, mid = (1 if lo > 0 else -1), (lo + hi) / 2
            if seen is not None and seen[0] == sign and abs(seen[1] - mid) <= abs(mid) * mp.mpf(10) ** -8:
                return sign
            seen = (sign, mid)
            continue
        seen = None
        scale = max(mp.mpf(1), abs(l0), abs(l1), abs(r0), abs(r1))
        if d >= 400 and hi - lo <= scale * mp.power(10, -d / 2):
            return 0  # |lhs - rhs| below 10^(-d/2) relative, at d >= 400 digits
    return INCONCLUSIVE


def sign_at(spec: Spec, point: Point) -> Any:
    """The sign of lhs - rhs at the point (-1, 0, 1), or UNDEF, or INCONCLUSIVE.

    Exact rationals first, then interval arithmetic on the precision ladder, then (for numerical derivatives
    and functions without an interval version) mpmath points on the ladder.
    """
    if spec.exact:
        try:
            lhs, rhs = _evaluate(spec, point, "exact")
            if isinstance(lhs, (int, Fraction)) and isinstance(rhs, (int, Fraction)):
                gap = Fraction(lhs) - Fraction(rhs)
                return (gap > 0) - (gap < 0)
        except _NeedsMp:
            pass
        except (Undefined, ZeroDivisionError):
            return UNDEF
        except TypeError:
            pass  # a float from Fraction ** Fraction: use mpmath
    s = _sign_iv(spec, point)
    if s is not None:
        return s
    history: list[Any] = []
    shrinks = 0
    for d in [x for x in LADDER if x >= spec.dps] or [spec.dps]:
        with mp.workdps(d):
            try:
                lhs, rhs = _evaluate(spec, point, "mp")
            except (Undefined, ZeroDivisionError):
                return UNDEF
            diff = mp.mpf(lhs) - mp.mpf(rhs)
            scale = max(abs(mp.mpf(lhs)), abs(mp.mpf(rhs)), mp.mpf(1))
        if history:
            A, dA = history[-1]
            if diff != 0 and A != 0 and abs(A - diff) <= abs(diff) * mp.mpf(10) ** -12:
                return 1 if diff > 0 else -1  # the same gap at two precisions: real
            if A == 0 or diff == 0:
                tiny = diff == 0  # a gap that appears at a higher precision is not noise
            else:
                tiny = abs(diff) <= mp.power(10, -(d - dA) / 2) * abs(A)
            shrinks = shrinks + 1 if tiny else 0
            if shrinks >= 2 and abs(diff) <= scale * mp.power(10, -d / 4):
                return 0  # rounding noise that shrinks with the precision
        history.append((diff, d))
    diff, d = history[-1]
    return 0 if abs(diff) <= scale * mp.power(10, -d / 2) else INCONCLUSIVE


def holds(rel: str, s: int) -> bool:
    return {"=": s == 0, "!=": s != 0, "<=": s <= 0, "<": s < 0, ">=": s >= 0, ">": s > 0}[rel]


def _witness_points(spec: Spec) -> list[Point]:
    out = []
    for n, w in enumerate(spec.witness):
        scalars = {k: v for k, v in w.items() if not isinstance(v, dict)}
        arrays = {k: v for k, v in w.items() if isinstance(v, dict)}
        entries = [*scalars.values(), *(e for d in arrays.values() for e in d.values())]
        for val in entries:
            if not isinstance(val, (int, Fraction, Irr)):
                raise TypeError(f"witness value {val!r} of {spec.latex} must be exact (int, Fraction or Irr)")
        r = random.Random(1000 + n)
        for var in spec.variables:  # variables the witness leaves open are drawn at random
            if var.name not in scalars and var.kind not in ("array", "array_nonneg"):
                if var.kind == "size":
                    scalars[var.name] = r.choice(SIZES)
                elif var.kind == "index":
                    scalars[var.name] = 1
                else:
                    scalars[var.name] = _random_scalar(r, var.kind, spec.lim)
        out.append(Point(scalars, arrays, 7 + n, f"witness {n}"))
    return out


@dataclass
class Outcome:
    computed: bool | None
    detail: str
    defined: int = 0
    inconclusive: int = 0


def decide_scalar(spec: Spec, seed: int) -> Outcome:
    universal = spec.rel != "!="
    defined = inconclusive = 0
    for point in _witness_points(spec) + random_points(spec, spec.points, seed):
        s = sign_at(spec, point)
        if s == UNDEF:
            continue
        if s == INCONCLUSIVE:
            inconclusive += 1
            continue
        defined += 1
        if universal and not holds(spec.rel, s):
            return Outcome(False, f"fails at {point.label}: {_show(point)} (sign of lhs - rhs: {s})", defined)
        if not universal and s != 0:
            return Outcome(True, f"sides differ at {point.label}: {_show(point)}", defined)
    if defined == 0:
        return Outcome(None, "no point where both sides are defined", 0, inconclusive)
    if universal:
        return Outcome(True, f"holds at {defined} points", defined, inconclusive)
    return Outcome(False, f"sides equal at {defined} points", defined, inconclusive)


class Irr:
    """An irrational witness value, such as ``Irr("pi/2", lambda: PI() / 2)``."""

    def __init__(self, name: str, fn: Callable[[], Any]) -> None:
        self.name, self.fn = name, fn

    def __call__(self) -> Any:
        return self.fn()

    def __repr__(self) -> str:
        return self.name


def _show(point: Point) -> str:
    parts = []
    for k, v in point.scalars.items():
        if isinstance(v, Irr):
            parts.append(f"{k}={v!r}")
            continue
        f = Fraction(v)
        parts.append(f"{k}={f}" if f.denominator < 10**6 and abs(f.numerator) < 10**12 else f"{k}~{float(f):.6g}")
    parts += [f"{k}={v}" for k, v in point.arrays.items()]
    return ", ".join(parts)


def decide_q1(spec: Spec, points: list[Namespace]) -> Outcome:
    universal = spec.rel != "!="
    defined = 0
    for n, ns in enumerate(points):
        with mp.workdps(60):
            lhs, rhs = spec.fn(ns)
            lhs, rhs = np.asarray(lhs, dtype=object), np.asarray(rhs, dtype=object)
            if lhs.ndim and rhs.ndim and lhs.shape != rhs.shape:
                s_all = [1]  # arrays of different shapes are not equal
            else:
                lhs, rhs = np.broadcast_arrays(lhs, rhs)
                s_all = []
                for a, b in zip(lhs.ravel(), rhs.ravel()):
                    if isinstance(a, Fraction) and isinstance(b, Fraction) or isinstance(a, int) and isinstance(
                            b, int):
                        d = Fraction(a) - Fraction(b)
                        s_all.append((d > 0) - (d < 0))
                    else:
                        d = mp.mpf(a) - mp.mpf(b) if not isinstance(a, Fraction) else (
                            mp.mpf(a.numerator) / a.denominator - mp.mpf(b))
                        s_all.append(0 if abs(d) < mp.mpf(10) ** -40 else (1 if d > 0 else -1))
        defined += 1
        where = f"config {n} (image {ns.shape}, k1={ns.k1}, k2={ns.k2}, kw={ns.kw})"
        if universal and not all(holds(spec.rel, s) for s in s_all):
            return Outcome(False, f"fails at {where}", defined)
        if not universal and any(s != 0 for s in s_all):
            return Outcome(True, f"sides differ at {where}", defined)
    if universal:
        return Outcome(True, f"holds at {defined} random blocks", defined)
    return Outcome(False, f"sides equal at {defined} random blocks", defined)


def symbolic_zero(spec: Spec, seconds: int = 10) -> bool | None:
    """SymPy's simplify on lhs - rhs built from the meaning with real symbols (scalar ``=`` claims only)."""
    global _MODE
    if spec.rel != "=" or spec.kind != "scalar" or any(v.kind not in ("real", "nonneg") for v in spec.variables):
        return None
    values = {v.name: sp.Symbol(v.name, real=True, nonnegative=True if v.kind == "nonneg" else None)
              for v in spec.variables}

    def alarm(*_: Any) -> None:
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    _MODE = "sym"
    try:
        lhs, rhs = spec.fn(Namespace(values))
        diff = sp.sympify(lhs) - sp.sympify(rhs)
        return bool(sp.simplify(diff) == 0 or sp.simplify(diff.rewrite(sp.exp)) == 0)
    except Exception:  # noqa: BLE001 - anything without a symbolic meaning here
        return None
    finally:
        _MODE = "mp"
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- the relation written in the LaTeX (a cross-check of the spec) -----------------------------------------
_REL_TOKENS = (("≠", "!="), ("≤", "<="), ("≥", ">="), ("\\neq", "!="), ("\\ne", "!="), ("\\leq", "<="),
               ("\\le", "<="), ("\\geq", ">="), ("\\ge", ">="), ("=", "="), ("<", "<"), (">", ">"))


def latex_relations(text: str) -> list[str]:
    """The relations of ``text`` outside brackets."""
    found, depth, n = [], 0, 0
    while n < len(text):
        c = text[n]
        if text.startswith("\\left", n) or text.startswith("\\right", n):
            n += 5 if text.startswith("\\left", n) else 6
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            for tok, rel in _REL_TOKENS:
                if text.startswith(tok, n) and not (tok[0] == "\\" and text[n + len(tok):n + len(tok) + 1].isalpha()):
                    found.append(rel)
                    n += len(tok) - 1
                    break
        n += 1
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-k", default="", help="only claims whose LaTeX contains this text")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-sym", action="store_true", help="skip the SymPy confirmation of true identities")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the TOML file (default: claims.toml here)")
    args = ap.parse_args(argv)

    _q4_self_check()
    claims = tomllib.loads(args.corpus.read_text(encoding="utf-8"))["claim"]
    specs: dict[tuple[str, str], Spec] = {}
    problems: list[str] = []
    for s in SPECS:
        key = (s.vocab, s.latex)
        if key in specs:
            problems.append(f"duplicate meaning for [{s.vocab}] {s.latex}")
        specs[key] = s
    seen = set()
    q1_cache: list[Namespace] | None = None
    confirmed = sym_ok = 0
    for n, claim in enumerate(claims):
        key = (claim.get("vocabulary", "default"), claim["latex"])
        if key in seen:
            problems.append(f"duplicate claim [{key[0]}] {key[1]}")
        seen.add(key)
        if args.k not in claim["latex"]:
            continue
        spec = specs.get(key)
        if spec is None:
            problems.append(f"no meaning for claim {n}: [{key[0]}] {key[1]}")
            continue
        rels = latex_relations(claim["latex"])
        if rels != [spec.rel]:
            problems.append(f"claim {n}: the LaTeX has relations {rels}, the meaning says {spec.rel!r}: {key[1]}")
        if spec.kind == "q1":
            q1_cache = q1_cache if q1_cache is not None else q1_points(args.seed)
            out = decide_q1(spec, q1_cache)
        else:
            out = decide_scalar(spec, args.seed * 7919 + n)
        ok = out.computed is claim["truth"]
        confirmed += ok
        extra = ""
        if ok and claim["truth"] and not args.no_sym:
            z = symbolic_zero(spec)
            if z:
                sym_ok += 1
                extra = " [SymPy: simplify(lhs - rhs) = 0]"
        if out.inconclusive:
            extra += f" [{out.inconclusive} inconclusive points]"
        if not ok:
            problems.append(f"claim {n} labelled {claim['truth']}, computed {out.computed}: [{key[0]}] {key[1]}"
                            f" -- {out.detail}")
        if args.verbose or not ok:
            print(f"{'ok ' if ok else 'BAD'} {n:3d} [{key[0]}] {claim['truth']!s:5} {key[1]}  -- {out.detail}{extra}")
    unused = [s.latex for k, s in specs.items() if k not in seen]
    for u in unused:
        problems.append(f"meaning without a claim: {u}")
    print(f"{confirmed} labels confirmed, {sym_ok} true identities also confirmed by SymPy simplify")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


# ==============================================================================================================
# The meanings. Variables: x real, x+ nonnegative, M# size (positive integer), i@M index in 1..M, x[] array.
# Every function returns (lhs, rhs) of the claim as written, read mathematically.
# ==============================================================================================================
# --- sample range ---------------------------------------------------------------------------------------------
C(r'\sin(420\pi x) = 0', "=", lambda v: (sin(420 * PI() * v.x), 0), "x", witness=({"x": Fraction(1, 1000)},))
C(r'x^2 \le 4', "<=", lambda v: (v.x**2, 4), "x", witness=({"x": 3},))
C(r'\frac{1}{x} \le 7', "<=", lambda v: (1 / v.x, 7), "x", witness=({"x": Fraction(1, 8)},))
C(r'e^{x} < 10^{9}', "<", lambda v: (exp(v.x), 10**9), "x", witness=({"x": 21},))
C(r'\mathrm{ReLU}(x - 3) = 0', "=", lambda v: (relu(v.x - 3), 0), "x", witness=({"x": 4},))
C(r'x^3 < 1000', "<", lambda v: (v.x**3, 1000), "x", witness=({"x": 10},))
C(r'\lambda \le 2', "<=", lambda v: (v.lam, 2), "lam+", vocab="q5", witness=({"lam": 3},))
C(r'\lambda^2 \ge \lambda', ">=", lambda v: (v.lam**2, v.lam), "lam+", vocab="q5", witness=({"lam": Fraction(1, 2)},))
C(r'\lambda + 1 > 0', ">", lambda v: (v.lam + 1, 0), "lam+", vocab="q5")
C(r'\lambda \ge 0', ">=", lambda v: (v.lam, 0), "lam+", vocab="q5")
C(r'\cos(2\pi x) \le 1', "<=", lambda v: (cos(2 * PI() * v.x), 1), "x")
C(r'\sin(420\pi x)^2 \le 1', "<=", lambda v: (sin(420 * PI() * v.x)**2, 1), "x")
C(r'x^4 - 5x^2 + 4 \ge 0', ">=", lambda v: (v.x**4 - 5 * v.x**2 + 4, 0), "x", witness=({"x": Fraction(3, 2)},))
C(r'(x - 1)^2 (x - 2)^2 \ge 0', ">=", lambda v: ((v.x - 1)**2 * (v.x - 2)**2, 0), "x")
C(r'x^2 - x + \frac{1}{4} \ge 0', ">=", lambda v: (v.x**2 - v.x + F(1, 4), 0), "x")
C(r'x^2 - x + \frac{1}{4} > 0', ">", lambda v: (v.x**2 - v.x + F(1, 4), 0), "x", witness=({"x": Fraction(1, 2)},))
C(r'(1000x - 1)^2 > 0', ">", lambda v: ((1000 * v.x - 1)**2, 0), "x", witness=({"x": Fraction(1, 1000)},))
C(r'\frac{1}{1 + x^2} \ge \frac{1}{1000}', ">=", lambda v: (1 / (1 + v.x**2), F(1, 1000)), "x",
  witness=({"x": 100},))
C(r'e^{-x^2} > 10^{-20}', ">", lambda v: (exp(-v.x**2), F(1, 10**20)), "x", witness=({"x": 7},))
C(r'\ln(1 + x^2) < 10', "<", lambda v: (log(1 + v.x**2), 10), "x", witness=({"x": 200},))
C(r'x \sin(x) \ge -5', ">=", lambda v: (v.x * sin(v.x), -5), "x", witness=({"x": 11},))
C(r'\sin(x) \le x', "<=", lambda v: (sin(v.x), v.x), "x", witness=({"x": -1},))
C(r'\sin(x)^2 \le x^2', "<=", lambda v: (sin(v.x)**2, v.x**2), "x")
C(r'\cos(x) \ge 1 - \frac{x^2}{2}', ">=", lambda v: (cos(v.x), 1 - v.x**2 / 2), "x")
C(r'\cos(x) \le 1 - \frac{x^2}{2} + \frac{x^4}{24}', "<=", lambda v: (cos(v.x), 1 - v.x**2 / 2 + v.x**4 / 24), "x")
C(r'\cos(x) \ge 1 - \frac{x^2}{2} + \frac{x^4}{25}', ">=", lambda v: (cos(v.x), 1 - v.x**2 / 2 + v.x**4 / 25), "x",
  witness=({"x": 3},))
C(r'\tanh(x) \le x', "<=", lambda v: (tanh(v.x), v.x), "x", witness=({"x": -1},))
C(r'\tanh(x) < 1', "<", lambda v: (tanh(v.x), 1), "x", lim=50)
C(r'10^{-6} x^2 \le 10^{6}', "<=", lambda v: (F(1, 10**6) * v.x**2, 10**6), "x", witness=({"x": 10**7},))
C(r'\mathrm{ReLU}(x - 1000) = 0', "=", lambda v: (relu(v.x - 1000), 0), "x", witness=({"x": 1001},))
C(r'\sigma(x) < 0.9999', "<", lambda v: (sig(v.x), F(9999, 10000)), "x", witness=({"x": 10},))
C(r'\sigma(x) > 10^{-5}', ">", lambda v: (sig(v.x), F(1, 10**5)), "x", witness=({"x": -12},))
C(r'x^{2} \le 2^{x}', "<=", lambda v: (v.x**2, exp(v.x * log(2))), "x", witness=({"x": 3},), lim=1000)
C(r'x \le 10^{12}', "<=", lambda v: (v.x, 10**12), "x", witness=({"x": 10**13},))
C(r'\sin(x) < 1', "<", lambda v: (sin(v.x), 1), "x", witness=({"x": Irr("pi/2", lambda: PI() / 2)},))
C(r'\cos(x) > -1', ">", lambda v: (cos(v.x), -1), "x", witness=({"x": Irr("pi", PI)},))
C(r'\sin(x)^2 < 1', "<", lambda v: (sin(v.x)**2, 1), "x", witness=({"x": Irr("3pi/2", lambda: 3 * PI() / 2)},))
C(r'\sin(x) \le 1', "<=", lambda v: (sin(v.x), 1), "x")
C(r'x^2 + 10^{-12} > 0', ">", lambda v: (v.x**2 + F(1, 10**12), 0), "x")
C(r'e^{x} > 0', ">", lambda v: (exp(v.x), 0), "x")
C(r'\frac{1}{1 + x^2} > 0', ">", lambda v: (1 / (1 + v.x**2), 0), "x")
C(r'\sigma(x) > 0', ">", lambda v: (sig(v.x), 0), "x")
C(r'\sigma(x) < 1', "<", lambda v: (sig(v.x), 1), "x", lim=200)
C(r'\tanh(x) > -1', ">", lambda v: (tanh(v.x), -1), "x", lim=200)
C(r'\ln(1 + x^2) \ge 0', ">=", lambda v: (log(1 + v.x**2), 0), "x")
C(r'x^4 - 5x^2 + 4 \ge -\frac{9}{4}', ">=", lambda v: (v.x**4 - 5 * v.x**2 + 4, -F(9, 4)), "x")
C(r'x^4 - 5x^2 + 4 > -\frac{9}{4}', ">", lambda v: (v.x**4 - 5 * v.x**2 + 4, -F(9, 4)), "x",
  witness=({"x": Irr("sqrt(5/2)", lambda: sqrt(F(5, 2)))},))
C(r'\lambda^2 + \lambda \ge 0', ">=", lambda v: (v.lam**2 + v.lam, 0), "lam+", vocab="q5")
C(r'e^{x} \ge 10^{-300}', ">=", lambda v: (exp(v.x), F(1, 10**300)), "x", witness=({"x": -700},))
C(r'\frac{1}{x^2} > 10^{-30}', ">", lambda v: (1 / v.x**2, F(1, 10**30)), "x", witness=({"x": 10**16},))

# --- sizes ------------------------------------------------------------------------------------------------------
C(r'(M-1)(M-2)(M-3)(M-4)\sum_{j=1}^{M} x_j = 0', "=",
  lambda v: ((v.M - 1) * (v.M - 2) * (v.M - 3) * (v.M - 4) * S(v.x[j] for j in rng_(1, v.M)), 0), "M# x[]",
  witness=({"M": 5, "x": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}},))
C(r'\sum_{j=5}^{M} x_j = 0', "=", lambda v: (S(v.x[j] for j in rng_(5, v.M)), 0), "M# x[]",
  witness=({"M": 5, "x": {5: 1}},))
C(r'\sum_{j=9}^{M} x_j^2 = 0', "=", lambda v: (S(v.x[j]**2 for j in rng_(9, v.M)), 0), "M# x[]",
  witness=({"M": 9, "x": {9: 1}},))
C(r'\sum_{j=30}^{M} x_j = 0', "=", lambda v: (S(v.x[j] for j in rng_(30, v.M)), 0), "M# x[]",
  witness=({"M": 30, "x": {30: 1}},))
C(r'\sum_{j=M+1}^{M} x_j = 0', "=", lambda v: (S(v.x[j] for j in rng_(v.M + 1, v.M)), 0), "M# x[]")
C(r'\sum_{j=1}^{M} j = \frac{M(M+1)}{2}', "=", lambda v: (S(j for j in rng_(1, v.M)), F(v.M * (v.M + 1), 2)), "M#")
C(r'\sum_{j=1}^{M} j = \frac{M(M-1)}{2}', "=", lambda v: (S(j for j in rng_(1, v.M)), F(v.M * (v.M - 1), 2)), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=0}^{M} j = \frac{M(M+1)}{2}', "=", lambda v: (S(j for j in rng_(0, v.M)), F(v.M * (v.M + 1), 2)), "M#")
C(r'\sum_{j=1}^{M-1} j = \frac{M(M-1)}{2}', "=", lambda v: (S(j for j in rng_(1, v.M - 1)), F(v.M * (v.M - 1), 2)),
  "M#")
C(r'\sum_{j=1}^{M} j^2 = \frac{M(M+1)(2M+1)}{6}', "=",
  lambda v: (S(j**2 for j in rng_(1, v.M)), F(v.M * (v.M + 1) * (2 * v.M + 1), 6)), "M#")
C(r'\sum_{j=1}^{M} j^2 = \frac{M(M+1)(2M-1)}{6}', "=",
  lambda v: (S(j**2 for j in rng_(1, v.M)), F(v.M * (v.M + 1) * (2 * v.M - 1), 6)), "M#", witness=({"M": 1},))
C(r'\sum_{j=1}^{M} j^3 = \left(\frac{M(M+1)}{2}\right)^2', "=",
  lambda v: (S(j**3 for j in rng_(1, v.M)), F(v.M * (v.M + 1), 2)**2), "M#")
C(r'\sum_{j=1}^{M} (2j - 1) = M^2', "=", lambda v: (S(2 * j - 1 for j in rng_(1, v.M)), v.M**2), "M#")
C(r'\sum_{j=1}^{M} (2j + 1) = M^2', "=", lambda v: (S(2 * j + 1 for j in rng_(1, v.M)), v.M**2), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=0}^{M} 2^{j} = 2^{M+1} - 1', "=", lambda v: (S(2**j for j in rng_(0, v.M)), 2**(v.M + 1) - 1), "M#")
C(r'\sum_{j=1}^{M} 2^{j} = 2^{M+1} - 1', "=", lambda v: (S(2**j for j in rng_(1, v.M)), 2**(v.M + 1) - 1), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=1}^{M} \frac{1}{j(j+1)} = 1 - \frac{1}{M+1}', "=",
  lambda v: (S(F(1, j * (j + 1)) for j in rng_(1, v.M)), 1 - F(1, v.M + 1)), "M#")
C(r'\sum_{j=1}^{M} \frac{1}{j(j+1)} = 1 - \frac{1}{M}', "=",
  lambda v: (S(F(1, j * (j + 1)) for j in rng_(1, v.M)), 1 - F(1, v.M)), "M#", witness=({"M": 1},))
C(r'\sum_{j=1}^{M} \frac{1}{j^2} < 2', "<", lambda v: (S(F(1, j * j) for j in rng_(1, v.M)), 2), "M#",
  sizes=tuple(range(1, 200)))
C(r'\sum_{j=1}^{M} \frac{1}{j} < 4', "<", lambda v: (S(F(1, j) for j in rng_(1, v.M)), 4), "M#",
  witness=({"M": 31},))
C(r'\sum_{j=1}^{M} \frac{1}{j} \le 1 + \ln M', "<=", lambda v: (S(F(1, j) for j in rng_(1, v.M)), 1 + log(v.M)),
  "M#", sizes=tuple(range(1, 120)))
C(r'\sum_{j=1}^{M} \frac{1}{j} > \ln(M + 1)', ">", lambda v: (S(F(1, j) for j in rng_(1, v.M)), log(v.M + 1)),
  "M#", sizes=tuple(range(1, 120)))
C(r'2^{M} \ge M^2', ">=", lambda v: (2**v.M, v.M**2), "M#", witness=({"M": 3},))
C(r'2^{M} > M^3', ">", lambda v: (2**v.M, v.M**3), "M#", witness=({"M": 9},))
C(r'M^2 \ge M', ">=", lambda v: (v.M**2, v.M), "M", witness=({"M": Fraction(1, 2)},))
C(r'\sum_{j=1}^{M} 1 \le M^2', "<=", lambda v: (S(1 for j in rng_(1, v.M)), v.M**2), "M#")
C(r'\sin(\pi M) = 0', "=", lambda v: (sin(PI() * v.M), 0), "M", witness=({"M": Fraction(1, 2)},))
C(r'\sin(\pi M) \sum_{j=1}^{M} 1 = 0', "=", lambda v: (sin(PI() * v.M) * S(1 for j in rng_(1, v.M)), 0), "M#")
C(r'\cos(\pi M) = (-1)^{M}', "=", lambda v: (cos(PI() * v.M), (-1)**v.M), "M#")
C(r'\sum_{j=1}^{M} (-1)^{j} = 0', "=", lambda v: (S((-1)**j for j in rng_(1, v.M)), 0), "M#", witness=({"M": 1},))
C(r'\sum_{j=1}^{2M} (-1)^{j} = 0', "=", lambda v: (S((-1)**j for j in rng_(1, 2 * v.M)), 0), "M#")
C(r'\sum_{j=1}^{M} x_j = \sum_{j=1}^{M-1} x_j + x_M', "=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M)), S(v.x[j] for j in rng_(1, v.M - 1)) + v.x[v.M]), "M# x[]")
C(r'\sum_{j=1}^{M} x_j = \sum_{j=2}^{M} x_j + x_1', "=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M)), S(v.x[j] for j in rng_(2, v.M)) + v.x[1]), "M# x[]")
C(r'\sum_{j=1}^{M} x_j = \sum_{j=1}^{M+1} x_j - x_M', "=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M)), S(v.x[j] for j in rng_(1, v.M + 1)) - v.x[v.M]), "M# x[]",
  witness=({"M": 1, "x": {1: 0, 2: 1}},))
C(r'\sum_{j=1}^{M} \sum_{i=1}^{j} 1 = \frac{M(M+1)}{2}', "=",
  lambda v: (S(1 for j in rng_(1, v.M) for i in rng_(1, j)), F(v.M * (v.M + 1), 2)), "M#")
C(r'\sum_{j=1}^{M} \sum_{i=1}^{M} x_i = M \sum_{i=1}^{M} x_i', "=",
  lambda v: (S(v.x[i] for j in rng_(1, v.M) for i in rng_(1, v.M)), v.M * S(v.x[i] for i in rng_(1, v.M))), "M# x[]")
C(r'\sum_{j=1}^{M} \sum_{i=1}^{j} x_i = \sum_{i=1}^{M} (M - i + 1) x_i', "=",
  lambda v: (S(v.x[i] for j in rng_(1, v.M) for i in rng_(1, j)), S((v.M - i + 1) * v.x[i] for i in rng_(1, v.M))),
  "M# x[]")
C(r'\sum_{j=1}^{M} \sum_{i=1}^{j} x_i = \sum_{i=1}^{M} (M - i) x_i', "=",
  lambda v: (S(v.x[i] for j in rng_(1, v.M) for i in rng_(1, j)), S((v.M - i) * v.x[i] for i in rng_(1, v.M))),
  "M# x[]", witness=({"M": 1, "x": {1: 1}},))
C(r'\left(\sum_{j=1}^{M} x_j\right)^2 \le M \sum_{j=1}^{M} x_j^2', "<=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M))**2, v.M * S(v.x[j]**2 for j in rng_(1, v.M))), "M# x[]")
C(r'\left(\sum_{j=1}^{M} x_j\right)^2 \le \sum_{j=1}^{M} x_j^2', "<=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M))**2, S(v.x[j]**2 for j in rng_(1, v.M))), "M# x[]",
  witness=({"M": 2, "x": {1: 1, 2: 1}},))
C(r'\left(\sum_{j=1}^{M} x_j\right)^2 \le 4 \sum_{j=1}^{M} x_j^2', "<=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M))**2, 4 * S(v.x[j]**2 for j in rng_(1, v.M))), "M# x[]",
  witness=({"M": 5, "x": {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}},))
C(r'\sum_{j=1}^{M} x_j^2 \ge 0', ">=", lambda v: (S(v.x[j]**2 for j in rng_(1, v.M)), 0), "M# x[]")
C(r'x_i = x_j', "=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'\sum_i x_i - \sum_j x_j = 0', "=",
  lambda v: (S(v.x[i] for i in rng_(1, v.n)) - S(v.x[j] for j in rng_(1, v.n)), 0), "n# x[]")
C(r'\sum_j 1 = n', "=", lambda v: (S(1 for j in rng_(1, v.n)), v.n), "n#")
C(r'\sum_{j=1}^{n} x_j = \sum_j x_j', "=",
  lambda v: (S(v.x[j] for j in rng_(1, v.n)), S(v.x[j] for j in rng_(1, v.n))), "n# x[]")
C(r'\sum_j x_j = \sum_{j=1}^{M} x_j', "=",
  lambda v: (S(v.x[j] for j in rng_(1, v.n)), S(v.x[j] for j in rng_(1, v.M))), "n# M# x[]",
  witness=({"n": 1, "M": 2, "x": {1: 0, 2: 1}},))
C(r'\sum_{j=1}^{M} x_j x_{M+1-j} = \sum_{j=1}^{M} x_j^2', "=",
  lambda v: (S(v.x[j] * v.x[v.M + 1 - j] for j in rng_(1, v.M)), S(v.x[j]**2 for j in rng_(1, v.M))), "M# x[]",
  witness=({"M": 2, "x": {1: 0, 2: 1}},))
C(r'\sum_{j=1}^{M} x_{M+1-j} = \sum_{j=1}^{M} x_j', "=",
  lambda v: (S(v.x[v.M + 1 - j] for j in rng_(1, v.M)), S(v.x[j] for j in rng_(1, v.M))), "M# x[]")
C(r'\sum_{j=1}^{M} (x_{j+1} - x_j) = x_{M+1} - x_1', "=",
  lambda v: (S(v.x[j + 1] - v.x[j] for j in rng_(1, v.M)), v.x[v.M + 1] - v.x[1]), "M# x[]")
C(r'\sum_{j=1}^{M} (x_{j+1} - x_j) = x_M - x_1', "=",
  lambda v: (S(v.x[j + 1] - v.x[j] for j in rng_(1, v.M)), v.x[v.M] - v.x[1]), "M# x[]",
  witness=({"M": 1, "x": {1: 0, 2: 1}},))
C(r'\sum_{j=1}^{M} j x_j \le M \sum_{j=1}^{M} x_j', "<=",
  lambda v: (S(j * v.x[j] for j in rng_(1, v.M)), v.M * S(v.x[j] for j in rng_(1, v.M))), "M# x[]",
  witness=({"M": 2, "x": {1: -1, 2: 0}},))
C(r'\sum_{j=1}^{M} x_j \le M \sum_{j=1}^{M} \mathrm{ReLU}(x_j)', "<=",
  lambda v: (S(v.x[j] for j in rng_(1, v.M)), v.M * S(relu(v.x[j]) for j in rng_(1, v.M))), "M# x[]")
C(r'\sum_{j=1}^{n} x_j^2 \ge \frac{1}{n}\left(\sum_{j=1}^{n} x_j\right)^2', ">=",
  lambda v: (S(v.x[j]**2 for j in rng_(1, v.n)), S(v.x[j] for j in rng_(1, v.n))**2 / v.n), "n# x[]")

# --- integer sums (sums over an index, with masks, ReLU and trigonometry of integers) --------------------------
C(r'\sum_{j=1}^{M} (-1)^{2j} = M', "=", lambda v: (S((-1)**(2 * j) for j in rng_(1, v.M)), v.M), "M#")
C(r'\sum_{j=1}^{M} \cos(2\pi j) = M', "=", lambda v: (S(cos(2 * PI() * j) for j in rng_(1, v.M)), v.M), "M#")
C(r'\sum_{j=1}^{M} \sin(\pi j) = 0', "=", lambda v: (S(sin(PI() * j) for j in rng_(1, v.M)), 0), "M#")
C(r'\sum_{j=1}^{M} \sin(\frac{\pi j}{2}) = 1', "=", lambda v: (S(sin(PI() * j / 2) for j in rng_(1, v.M)), 1), "M#",
  witness=({"M": 3},))
C(r'\sum_{j=1}^{M} \sin(\frac{\pi j}{2}) \ge 0', ">=", lambda v: (S(sin(PI() * j / 2) for j in rng_(1, v.M)), 0),
  "M#", sizes=tuple(range(1, 41)))
C(r'\sum_{j=1}^{M} [j > 3] = \mathrm{ReLU}(M - 3)', "=", lambda v: (S(ind(j - 3) for j in rng_(1, v.M)),
                                                                     relu(v.M - 3)), "M#")
C(r'\sum_{j=1}^{M} [j > 3] = M - 3', "=", lambda v: (S(ind(j - 3) for j in rng_(1, v.M)), v.M - 3), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=1}^{M} [M > j] = M - 1', "=", lambda v: (S(ind(v.M - j) for j in rng_(1, v.M)), v.M - 1), "M#")
C(r'\sum_{j=1}^{M} [M > j] = M', "=", lambda v: (S(ind(v.M - j) for j in rng_(1, v.M)), v.M), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=1}^{M} \mathrm{ReLU}(j - 2) = \frac{(M-2)(M-1)}{2}', "=",
  lambda v: (S(relu(j - 2) for j in rng_(1, v.M)), F((v.M - 2) * (v.M - 1), 2)), "M#")
C(r'\sum_{j=1}^{M} \mathrm{ReLU}(j - 3) = \frac{(M-3)(M-2)}{2}', "=",
  lambda v: (S(relu(j - 3) for j in rng_(1, v.M)), F((v.M - 3) * (v.M - 2), 2)), "M#", witness=({"M": 1},))
C(r'\sum_{j=1}^{M} \mathrm{ReLU}(j - 3) \le \frac{M^2}{2}', "<=",
  lambda v: (S(relu(j - 3) for j in rng_(1, v.M)), F(v.M**2, 2)), "M#")
C(r'\sum_{j=1}^{M} \frac{j}{M} = \frac{M+1}{2}', "=", lambda v: (S(F(j, v.M) for j in rng_(1, v.M)), F(v.M + 1, 2)),
  "M#")
C(r'\sum_{j=1}^{M} \sum_{i=1}^{M} [i > j] = \frac{M(M-1)}{2}', "=",
  lambda v: (S(ind(i - j) for j in rng_(1, v.M) for i in rng_(1, v.M)), F(v.M * (v.M - 1), 2)), "M#")
C(r'\sum_{j=1}^{M} \sum_{i=1}^{M} [i > j] = \frac{M(M+1)}{2}', "=",
  lambda v: (S(ind(i - j) for j in rng_(1, v.M) for i in rng_(1, v.M)), F(v.M * (v.M + 1), 2)), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=1}^{M} 1 = M', "=", lambda v: (S(1 for j in rng_(1, v.M)), v.M), "M#")
C(r'\sum_{j=2}^{M} 1 = M - 1', "=", lambda v: (S(1 for j in rng_(2, v.M)), v.M - 1), "M#")
C(r'\sum_{j=3}^{M} 1 = M - 2', "=", lambda v: (S(1 for j in rng_(3, v.M)), v.M - 2), "M#", witness=({"M": 1},))
C(r'\sum_{j=3}^{M} 1 = \mathrm{ReLU}(M - 2)', "=", lambda v: (S(1 for j in rng_(3, v.M)), relu(v.M - 2)), "M#")
C(r'\sum_{j=1}^{M} \cos(\pi j) = 0', "=", lambda v: (S(cos(PI() * j) for j in rng_(1, v.M)), 0), "M#",
  witness=({"M": 1},))
C(r'\sum_{j=1}^{M} [j > M] = 1', "=", lambda v: (S(ind(j - v.M) for j in rng_(1, v.M)), 1), "M#")
C(r'\sum_{j=1}^{M} \mathrm{ReLU}(M - j) = \frac{M(M+1)}{2}', "=",
  lambda v: (S(relu(v.M - j) for j in rng_(1, v.M)), F(v.M * (v.M + 1), 2)), "M#", witness=({"M": 1},))
C(r'\sum_{j=1}^{M} \mathrm{ReLU}(M - j) = \frac{M(M-1)}{2}', "=",
  lambda v: (S(relu(v.M - j) for j in rng_(1, v.M)), F(v.M * (v.M - 1), 2)), "M#")

# --- kinks ------------------------------------------------------------------------------------------------------
C(r'[x > \frac{1}{8}] = [x > 0]', "=", lambda v: (ind(v.x - F(1, 8)), ind(v.x)), "x", witness=({"x": Fraction(1, 16)},))
C(r'\mathrm{ReLU}(x) - \mathrm{ReLU}(-x) = x', "=", lambda v: (relu(v.x) - relu(-v.x), v.x), "x")
C(r'\mathrm{ReLU}(x) + \mathrm{ReLU}(-x) = \sqrt{x^2}', "=", lambda v: (relu(v.x) + relu(-v.x), sqrt(v.x**2)), "x")
C(r'|x| = \mathrm{ReLU}(x) + \mathrm{ReLU}(-x)', "=", lambda v: (absv(v.x), relu(v.x) + relu(-v.x)), "x")
C(r'|x| - x = 2\mathrm{ReLU}(-x)', "=", lambda v: (absv(v.x) - v.x, 2 * relu(-v.x)), "x")
C(r'|x + y| \le |x| + |y|', "<=", lambda v: (absv(v.x + v.y), absv(v.x) + absv(v.y)), "x y")
C(r'|x| = x', "=", lambda v: (absv(v.x), v.x), "x", witness=({"x": -1},))
C(r'\mathrm{ReLU}(x)[x > 0] = \mathrm{ReLU}(x)', "=", lambda v: (relu(v.x) * ind(v.x), relu(v.x)), "x")
C(r'x [x > 0] = \mathrm{ReLU}(x)', "=", lambda v: (v.x * ind(v.x), relu(v.x)), "x")
C(r'[x > 0] + [-x > 0] = 1', "=", lambda v: (ind(v.x) + ind(-v.x), 1), "x", witness=({"x": 0},))
C(r'[x \ge 0] + [-x > 0] = 1', "=", lambda v: ((1 if v.x >= 0 else 0) + ind(-v.x), 1), "x")
C(r'[x \ge 0] = [x > 0]', "=", lambda v: (1 if v.x >= 0 else 0, ind(v.x)), "x", witness=({"x": 0},))
C(r'[x > 0] + [-x > 0] + [x^2 < 10^{-90}] = 1', "=",
  lambda v: (ind(v.x) + ind(-v.x) + ind(F(1, 10**90) - v.x**2), 1), "x", witness=({"x": Fraction(1, 10**50)},))
C(r'[x > 0] + [-x > 0] + [x^2 < 10^{-90}] \ge 1', ">=",
  lambda v: (ind(v.x) + ind(-v.x) + ind(F(1, 10**90) - v.x**2), 1), "x")
C(r'[x > 0][-x > 0] = 0', "=", lambda v: (ind(v.x) * ind(-v.x), 0), "x")
C(r'[x > 0]^2 = [x > 0]', "=", lambda v: (ind(v.x)**2, ind(v.x)), "x")
C(r'[x > 0] = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2}}\right)', "=",
  lambda v: (ind(v.x), (1 + v.x / sqrt(v.x**2)) / 2), "x")
C(r'[x > 0] = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + 10^{-40}}}\right)', "=",
  lambda v: (ind(v.x), (1 + v.x / sqrt(v.x**2 + F(1, 10**40))) / 2), "x", witness=({"x": 1},))
C(r'\mathrm{ReLU}(x) = \frac{x + \sqrt{x^2}}{2}', "=", lambda v: (relu(v.x), (v.x + sqrt(v.x**2)) / 2), "x")
C(r'\mathrm{ReLU}(x) \ge x', ">=", lambda v: (relu(v.x), v.x), "x")
C(r'\mathrm{ReLU}(x) > x', ">", lambda v: (relu(v.x), v.x), "x", witness=({"x": 1},))
C(r'\mathrm{ReLU}(x) \ge 0', ">=", lambda v: (relu(v.x), 0), "x")
C(r'\mathrm{ReLU}(x) > 0', ">", lambda v: (relu(v.x), 0), "x", witness=({"x": 0},))
C(r'\mathrm{ReLU}(\mathrm{ReLU}(x)) = \mathrm{ReLU}(x)', "=", lambda v: (relu(relu(v.x)), relu(v.x)), "x")
C(r'\mathrm{ReLU}(-\mathrm{ReLU}(x)) = 0', "=", lambda v: (relu(-relu(v.x)), 0), "x")
C(r'\mathrm{ReLU}(x + y) \le \mathrm{ReLU}(x) + \mathrm{ReLU}(y)', "<=",
  lambda v: (relu(v.x + v.y), relu(v.x) + relu(v.y)), "x y")
C(r'\mathrm{ReLU}(x + y) = \mathrm{ReLU}(x) + \mathrm{ReLU}(y)', "=",
  lambda v: (relu(v.x + v.y), relu(v.x) + relu(v.y)), "x y", witness=({"x": 1, "y": -1},))
C(r'\mathrm{ReLU}(x y) = \mathrm{ReLU}(x)\mathrm{ReLU}(y)', "=", lambda v: (relu(v.x * v.y), relu(v.x) * relu(v.y)),
  "x y", witness=({"x": -1, "y": -1},))
C(r'\mathrm{ReLU}(2x) = 2\mathrm{ReLU}(x)', "=", lambda v: (relu(2 * v.x), 2 * relu(v.x)), "x")
C(r'\mathrm{ReLU}(-2x) = -2\mathrm{ReLU}(x)', "=", lambda v: (relu(-2 * v.x), -2 * relu(v.x)), "x",
  witness=({"x": 1},))
C(r'\mathrm{ReLU}(x)\,\mathrm{ReLU}(-x) = 0', "=", lambda v: (relu(v.x) * relu(-v.x), 0), "x")
C(r'[x > 0] \mathrm{ReLU}(-x) = 0', "=", lambda v: (ind(v.x) * relu(-v.x), 0), "x")
C(r'1 - [-x > 0] = [x > 0]', "=", lambda v: (1 - ind(-v.x), ind(v.x)), "x", witness=({"x": 0},))
C(r'1 - [-x > 0] \ge [x > 0]', ">=", lambda v: (1 - ind(-v.x), ind(v.x)), "x")
C(r'[x > 0] = [x^3 > 0]', "=", lambda v: (ind(v.x), ind(v.x**3)), "x")
C(r'[x > 0] = [x^2 > 0]', "=", lambda v: (ind(v.x), ind(v.x**2)), "x", witness=({"x": -1},))
C(r'[x^2 > 0] = [x > 0] + [-x > 0]', "=", lambda v: (ind(v.x**2), ind(v.x) + ind(-v.x)), "x")
C(r'[x > 1] \le [x > 0]', "<=", lambda v: (ind(v.x - 1), ind(v.x)), "x")
C(r'[x > 0] \le [x > 1]', "<=", lambda v: (ind(v.x), ind(v.x - 1)), "x", witness=({"x": Fraction(1, 2)},))
C(r'[x > y] + [y > x] \le 1', "<=", lambda v: (ind(v.x - v.y) + ind(v.y - v.x), 1), "x y")
C(r'[x + y > 0] \le [x > 0] + [y > 0]', "<=", lambda v: (ind(v.x + v.y), ind(v.x) + ind(v.y)), "x y")
C(r'[x y > 0] = [x > 0][y > 0] + [-x > 0][-y > 0]', "=",
  lambda v: (ind(v.x * v.y), ind(v.x) * ind(v.y) + ind(-v.x) * ind(-v.y)), "x y")
C(r'[x y > 0] = [x > 0][y > 0]', "=", lambda v: (ind(v.x * v.y), ind(v.x) * ind(v.y)), "x y",
  witness=({"x": -1, "y": -1},))
C(r'\max(x, y) + \min(x, y) = x + y', "=", lambda v: (mx(v.x, v.y) + mn(v.x, v.y), v.x + v.y), "x y")
C(r'\max(x, y) - \min(x, y) = x - y', "=", lambda v: (mx(v.x, v.y) - mn(v.x, v.y), v.x - v.y), "x y",
  witness=({"x": 0, "y": 1},))
C(r'\max(x, y) = \frac{x + y + \sqrt{(x - y)^2}}{2}', "=",
  lambda v: (mx(v.x, v.y), (v.x + v.y + sqrt((v.x - v.y)**2)) / 2), "x y")
C(r'\max(x, 0) = \mathrm{ReLU}(x)', "=", lambda v: (mx(v.x, 0), relu(v.x)), "x")
C(r'\min(x, 0) = -\mathrm{ReLU}(-x)', "=", lambda v: (mn(v.x, 0), -relu(-v.x)), "x")
C(r'\max(x, y)\min(x, y) = x y', "=", lambda v: (mx(v.x, v.y) * mn(v.x, v.y), v.x * v.y), "x y")
C(r'\frac{\mathrm{ReLU}(x)}{x} = [x > 0]', "=", lambda v: (relu(v.x) / v.x, ind(v.x)), "x")
C(r'\frac{\mathrm{ReLU}(x)}{x} + \frac{\mathrm{ReLU}(-x)}{-x} = 1', "=",
  lambda v: (relu(v.x) / v.x + relu(-v.x) / (-v.x), 1), "x")
C(r'\mathrm{ReLU}(x - \frac{1}{1000}) = \mathrm{ReLU}(x) - \frac{1}{1000}[x > 0]', "=",
  lambda v: (relu(v.x - F(1, 1000)), relu(v.x) - F(1, 1000) * ind(v.x)), "x", witness=({"x": Fraction(1, 2000)},))
C(r'\mathrm{ReLU}(x - \frac{1}{1000}) \ge \mathrm{ReLU}(x) - \frac{1}{1000}', ">=",
  lambda v: (relu(v.x - F(1, 1000)), relu(v.x) - F(1, 1000)), "x")
C(r'\mathrm{ReLU}(x)^2 = x\,\mathrm{ReLU}(x)', "=", lambda v: (relu(v.x)**2, v.x * relu(v.x)), "x")
C(r'\sigma(x) [x > 0] \ge \frac{1}{2}[x > 0]', ">=", lambda v: (sig(v.x) * ind(v.x), ind(v.x) / 2), "x")
C(r'\sigma(x)[x > 0] > \frac{1}{2}[x > 0]', ">", lambda v: (sig(v.x) * ind(v.x), ind(v.x) / 2), "x",
  witness=({"x": -1},))
C(r'(x > 0) + (x < 0) = 1', "=", lambda v: (ind(v.x) + ind(-v.x), 1), "x", witness=({"x": 0},))
C(r'(x > 0) = [x > 0]', "=", lambda v: (ind(v.x), ind(v.x)), "x")
C(r'\mathbb{1}[x > 0] = \mathbb{1}_{x > 0}', "=", lambda v: (ind(v.x), ind(v.x)), "x")
C(r'\mathrm{ReLU}(x) - \mathrm{ReLU}(x - 10^{-30}) \neq 10^{-30}[x > 0]', "!=",
  lambda v: (relu(v.x) - relu(v.x - F(1, 10**30)), F(1, 10**30) * ind(v.x)), "x",
  witness=({"x": Fraction(1, 10**31)},))
C(r'[x > 0] + [-x > 0] \neq 1', "!=", lambda v: (ind(v.x) + ind(-v.x), 1), "x", witness=({"x": 0},))
C(r'\mathrm{ReLU}(x) = x', "=", lambda v: (relu(v.x), v.x), "x", witness=({"x": -1},))
C(r'\mathrm{ReLU}(x - y) = \mathrm{ReLU}(x) - \mathrm{ReLU}(y)', "=",
  lambda v: (relu(v.x - v.y), relu(v.x) - relu(v.y)), "x y", witness=({"x": -1, "y": -2},))
C(r'[2x > 1] = [x > 0]', "=", lambda v: (ind(2 * v.x - 1), ind(v.x)), "x", witness=({"x": Fraction(1, 4)},))
C(r'[x > 0] \mathrm{ReLU}(x) = x', "=", lambda v: (ind(v.x) * relu(v.x), v.x), "x", witness=({"x": -1},))
C(r'\mathrm{ReLU}(x)^2 = x^2', "=", lambda v: (relu(v.x)**2, v.x**2), "x", witness=({"x": -1},))
C(r'[x + 1 > 0] = [x > 0] + [0 > x]', "=", lambda v: (ind(v.x + 1), ind(v.x) + ind(-v.x)), "x",
  witness=({"x": -2},))
C(r'\mathrm{ReLU}(x + 10^{-20}) = \mathrm{ReLU}(x) + 10^{-20}', "=",
  lambda v: (relu(v.x + F(1, 10**20)), relu(v.x) + F(1, 10**20)), "x", witness=({"x": -1},))
C(r'\mathrm{ReLU}(x + 10^{-20}) > \mathrm{ReLU}(x)', ">", lambda v: (relu(v.x + F(1, 10**20)), relu(v.x)), "x",
  witness=({"x": -1},))
C(r'[x > 10^{-40}] = [x > 0]', "=", lambda v: (ind(v.x - F(1, 10**40)), ind(v.x)), "x",
  witness=({"x": Fraction(1, 10**41)},))
C(r'[x^2 > 10^{-40}] = [x > 0] + [-x > 0]', "=", lambda v: (ind(v.x**2 - F(1, 10**40)), ind(v.x) + ind(-v.x)), "x",
  witness=({"x": Fraction(1, 10**21)},))
C(r'[x > 0] + [1 - x > 0] = 1 + [x > 0][1 - x > 0]', "=",
  lambda v: (ind(v.x) + ind(1 - v.x), 1 + ind(v.x) * ind(1 - v.x)), "x")

# --- tiny gaps and huge values ------------------------------------------------------------------------------------
C(r'e^{200} + \sigma(x) = e^{200}', "=", lambda v: (exp(200) + sig(v.x), exp(200)), "x", witness=({"x": 0},))
C(r'x + 10^{-45}\sigma(x) = x', "=", lambda v: (v.x + sig(v.x) / 10**45, v.x), "x", witness=({"x": 1},))
C(r'e^{40000x^2} = 0', "=", lambda v: (exp(40000 * v.x**2), 0), "x", witness=({"x": 1},))
C(r'\cosh(20x)^2 - \sinh(20x)^2 = 1', "=", lambda v: (cosh(20 * v.x)**2 - sinh(20 * v.x)**2, 1), "x", lim=40)
C(r'\cosh(20x)^2 - \sinh(20x)^2 = 1 + 10^{-40}', "=",
  lambda v: (cosh(20 * v.x)**2 - sinh(20 * v.x)**2, 1 + F(1, 10**40)), "x", lim=40, witness=({"x": 0},))
C(r'\sigma(40x) < 1', "<", lambda v: (sig(40 * v.x), 1), "x", lim=10)
C(r'e^{-100} \neq 0', "!=", lambda v: (exp(-100), 0))
C(r'e^{-1000} > 0', ">", lambda v: (exp(-1000), 0))
C(r'e^{-800} = 0', "=", lambda v: (exp(-800), 0))
C(r'e^{-x^2} > 0', ">", lambda v: (exp(-v.x**2), 0), "x")
C(r'(1+10^{-30})^2 = 1 + 2\cdot 10^{-30} + 10^{-60}', "=",
  lambda v: ((1 + F(1, 10**30))**2, 1 + 2 * F(1, 10**30) + F(1, 10**60)))
C(r'(1+10^{-30})^2 = 1 + 2\cdot 10^{-30}', "=", lambda v: ((1 + F(1, 10**30))**2, 1 + 2 * F(1, 10**30)))
C(r'\tanh(x) = 2\sigma(2x) - 1 + 10^{-50}', "=", lambda v: (tanh(v.x), 2 * sig(2 * v.x) - 1 + F(1, 10**50)), "x",
  witness=({"x": 1},))
C(r'\sigma(x) + \sigma(-x) = 1', "=", lambda v: (sig(v.x) + sig(-v.x), 1), "x")
C(r'\sigma(x) + \sigma(-x) = 1 + 10^{-40} e^{-x^2}', "=",
  lambda v: (sig(v.x) + sig(-v.x), 1 + exp(-v.x**2) / 10**40), "x", witness=({"x": 0},))
C(r'\sigma(x) + \sigma(-x) = 1 + e^{-x^2 - 1000}', "=", lambda v: (sig(v.x) + sig(-v.x), 1 + exp(-v.x**2 - 1000)),
  "x", witness=({"x": 0},), dps=1000, points=5)
C(r'10^{60} + 1 > 10^{60}', ">", lambda v: (10**60 + 1, 10**60))
C(r'10^{60} = 10^{60} + 1', "=", lambda v: (10**60, 10**60 + 1))
C(r'x^2 + 10^{-45} > 0', ">", lambda v: (v.x**2 + F(1, 10**45), 0), "x")
C(r'x^2 - 10^{-45} \ge 0', ">=", lambda v: (v.x**2 - F(1, 10**45), 0), "x", witness=({"x": 0},))
C(r'(x + 10^{-20})^2 = x^2 + 2\cdot 10^{-20} x + 10^{-40}', "=",
  lambda v: ((v.x + F(1, 10**20))**2, v.x**2 + 2 * F(1, 10**20) * v.x + F(1, 10**40)), "x")
C(r'(x + 10^{-20})^2 = x^2 + 2\cdot 10^{-20} x', "=",
  lambda v: ((v.x + F(1, 10**20))**2, v.x**2 + 2 * F(1, 10**20) * v.x), "x", witness=({"x": 0},))
C(r'\ln(1 + 10^{-50}) = 10^{-50}', "=", lambda v: (log(1 + F(1, 10**50)), F(1, 10**50)))
C(r'\ln(1 + 10^{-50}) < 10^{-50}', "<", lambda v: (log(1 + F(1, 10**50)), F(1, 10**50)))
C(r'e^{10^{-40}} - 1 > 10^{-40}', ">", lambda v: (exp(F(1, 10**40)) - 1, F(1, 10**40)))
C(r'\sqrt{10^{40} + 1} - 10^{20} > 0', ">", lambda v: (sqrt(10**40 + 1) - 10**20, 0))
C(r'\sqrt{10^{40} + 1} = 10^{20}', "=", lambda v: (sqrt(10**40 + 1), 10**20))
C(r'\sqrt{x^2 + 1} - x > 0', ">", lambda v: (sqrt(v.x**2 + 1) - v.x, 0), "x")
C(r'\frac{1}{\sqrt{x^2 + 1} - x} = \sqrt{x^2 + 1} + x', "=",
  lambda v: (1 / (sqrt(v.x**2 + 1) - v.x), sqrt(v.x**2 + 1) + v.x), "x")
C(r'\sigma(x) = \sigma(x + 10^{-30})', "=", lambda v: (sig(v.x), sig(v.x + F(1, 10**30))), "x", witness=({"x": 0},))
C(r'\tanh(x + 10^{-30}) > \tanh(x)', ">", lambda v: (tanh(v.x + F(1, 10**30)), tanh(v.x)), "x", lim=50)
C(r'10^{-30} \sigma(x) + 1 > 1', ">", lambda v: (sig(v.x) / 10**30 + 1, 1), "x", lim=50)
C(r'(10^{20} + x)^2 - 10^{40} = 2 \cdot 10^{20} x + x^2', "=",
  lambda v: ((10**20 + v.x)**2 - 10**40, 2 * 10**20 * v.x + v.x**2), "x")
C(r'\frac{e^{x} - 1}{x} > 0', ">", lambda v: ((exp(v.x) - 1) / v.x, 0), "x", lim=10**6)
C(r'e^{-800} > 0', ">", lambda v: (exp(-800), 0))
C(r'\left(2^{-1000}\right)^{2} > 0', ">", lambda v: ((F(1, 2**1000))**2, 0))
C(r'\frac{1}{2^{99}} = \frac{2}{2^{100}}', "=", lambda v: (F(1, 2**99), F(2, 2**100)))
C(r'\frac{3}{2^{100}} \neq \frac{1}{2^{98}}', "!=", lambda v: (F(3, 2**100), F(1, 2**98)))

# --- transcendental identities ----------------------------------------------------------------------------------
C(r'\tanh(x) = 2\sigma(2x) - 1', "=", lambda v: (tanh(v.x), 2 * sig(2 * v.x) - 1), "x")
C(r'\tanh(x) = 2\sigma(x) - 1', "=", lambda v: (tanh(v.x), 2 * sig(v.x) - 1), "x", witness=({"x": 1},))
C(r'\tanh(\frac{x}{2}) = 2\sigma(x) - 1', "=", lambda v: (tanh(v.x / 2), 2 * sig(v.x) - 1), "x")
C(r'\tanh(x) = \frac{1 - e^{-2x}}{1 + e^{-2x}}', "=", lambda v: (tanh(v.x), (1 - exp(-2 * v.x)) / (1 + exp(-2 * v.x))),
  "x", lim=10**4)
C(r'\tanh(x) = \frac{e^{2x} - 1}{e^{2x} + 1}', "=", lambda v: (tanh(v.x), (exp(2 * v.x) - 1) / (exp(2 * v.x) + 1)),
  "x", lim=10**4)
C(r'\tanh(x) = \frac{e^{2x} + 1}{e^{2x} - 1}', "=", lambda v: (tanh(v.x), (exp(2 * v.x) + 1) / (exp(2 * v.x) - 1)),
  "x", witness=({"x": 1},))
C(r'\sigma(x) = \frac{e^{x}}{1 + e^{x}}', "=", lambda v: (sig(v.x), exp(v.x) / (1 + exp(v.x))), "x", lim=10**4)
C(r'\sigma(x) = \frac{1 + \tanh(\frac{x}{2})}{2}', "=", lambda v: (sig(v.x), (1 + tanh(v.x / 2)) / 2), "x")
C(r'\sigma(2x) = \frac{1 + \tanh(x)}{2}', "=", lambda v: (sig(2 * v.x), (1 + tanh(v.x)) / 2), "x")
C(r'\sigma(x) = \frac{1 + \tanh(x)}{2}', "=", lambda v: (sig(v.x), (1 + tanh(v.x)) / 2), "x", witness=({"x": 1},))
C(r'\sigma(x)\sigma(-x) = \frac{1}{4\cosh^2(\frac{x}{2})}', "=",
  lambda v: (sig(v.x) * sig(-v.x), 1 / (4 * cosh(v.x / 2)**2)), "x", lim=10**4)
C(r'\sigma(x)\sigma(-x) = \frac{1}{2 + e^{x} + e^{-x}}', "=",
  lambda v: (sig(v.x) * sig(-v.x), 1 / (2 + exp(v.x) + exp(-v.x))), "x", lim=10**4)
C(r'\sigma(x)(1 - \sigma(x)) = \frac{1}{2 + e^{x} + e^{-x}}', "=",
  lambda v: (sig(v.x) * (1 - sig(v.x)), 1 / (2 + exp(v.x) + exp(-v.x))), "x", lim=500)
C(r'\sigma(x)(1 - \sigma(x)) = \frac{1}{4 + e^{x} + e^{-x}}', "=",
  lambda v: (sig(v.x) * (1 - sig(v.x)), 1 / (4 + exp(v.x) + exp(-v.x))), "x", witness=({"x": 0},))
C(r'\ln(1 + e^{x}) - \ln(1 + e^{-x}) = x', "=", lambda v: (softplus(v.x) - softplus(-v.x), v.x), "x", lim=10**4)
C(r'\ln(1 + e^{x}) \ge x', ">=", lambda v: (softplus(v.x), v.x), "x", lim=10**4)
C(r'\ln(1 + e^{x}) > x', ">", lambda v: (softplus(v.x), v.x), "x", lim=300)
C(r'\ln(1 + e^{x}) \le \ln 2 + \mathrm{ReLU}(x)', "<=", lambda v: (softplus(v.x), log(2) + relu(v.x)), "x", lim=10**4)
C(r'\ln(1 + e^{x}) \le \mathrm{ReLU}(x) + \frac{1}{2}', "<=", lambda v: (softplus(v.x), relu(v.x) + F(1, 2)), "x",
  witness=({"x": 0},))
C(r'\ln(1 + e^{x}) = \ln(1 + e^{-x}) + x', "=", lambda v: (softplus(v.x), softplus(-v.x) + v.x), "x", lim=10**4)
C(r'e^{\ln x} = x', "=", lambda v: (exp(log(v.x)), v.x), "x")
C(r'\ln(e^{x}) = x', "=", lambda v: (log(exp(v.x)), v.x), "x", lim=10**6)
C(r'\ln(xy) = \ln x + \ln y', "=", lambda v: (log(v.x * v.y), log(v.x) + log(v.y)), "x y", points=800)
C(r'\ln(x^2) = 2\ln(x)', "=", lambda v: (log(v.x**2), 2 * log(v.x)), "x")
C(r'\ln(x^2) = 2\ln(\sqrt{x^2})', "=", lambda v: (log(v.x**2), 2 * log(sqrt(v.x**2))), "x")
C(r'\ln(x^2) = 2\ln(x) + 1', "=", lambda v: (log(v.x**2), 2 * log(v.x) + 1), "x", witness=({"x": 1},))
C(r'\ln(\frac{x}{y}) = \ln x - \ln y', "=", lambda v: (log(v.x / v.y), log(v.x) - log(v.y)), "x y", points=800)
C(r'\ln(x + y) = \ln x + \ln y', "=", lambda v: (log(v.x + v.y), log(v.x) + log(v.y)), "x y",
  witness=({"x": 1, "y": 1},))
C(r'\sin(x)^2 + \cos(x)^2 = 1', "=", lambda v: (sin(v.x)**2 + cos(v.x)**2, 1), "x")
C(r'\sin(2x) = 2\sin(x)\cos(x)', "=", lambda v: (sin(2 * v.x), 2 * sin(v.x) * cos(v.x)), "x")
C(r'\cos(2x) = 1 - 2\sin(x)^2', "=", lambda v: (cos(2 * v.x), 1 - 2 * sin(v.x)**2), "x")
C(r'\cos(2x) = 2\sin(x)^2 - 1', "=", lambda v: (cos(2 * v.x), 2 * sin(v.x)**2 - 1), "x", witness=({"x": 0},))
C(r'\sin(x + \pi) = -\sin(x)', "=", lambda v: (sin(v.x + PI()), -sin(v.x)), "x")
C(r'\sin(x + \pi) = \sin(x)', "=", lambda v: (sin(v.x + PI()), sin(v.x)), "x", witness=({"x": 1},))
C(r'\cos(x - \frac{\pi}{2}) = \sin(x)', "=", lambda v: (cos(v.x - PI() / 2), sin(v.x)), "x")
C(r'\sin(x + y) = \sin(x)\cos(y) + \cos(x)\sin(y)', "=",
  lambda v: (sin(v.x + v.y), sin(v.x) * cos(v.y) + cos(v.x) * sin(v.y)), "x y")
C(r'\sin(x + y) = \sin(x) + \sin(y)', "=", lambda v: (sin(v.x + v.y), sin(v.x) + sin(v.y)), "x y",
  witness=({"x": 1, "y": 1},))
C(r'\cosh(x) + \sinh(x) = e^{x}', "=", lambda v: (cosh(v.x) + sinh(v.x), exp(v.x)), "x", lim=10**4)
C(r'\cosh(x) - \sinh(x) = e^{-x}', "=", lambda v: (cosh(v.x) - sinh(v.x), exp(-v.x)), "x", lim=500)
C(r'\cosh(x)^2 + \sinh(x)^2 = \cosh(2x)', "=", lambda v: (cosh(v.x)**2 + sinh(v.x)**2, cosh(2 * v.x)), "x",
  lim=10**4)
C(r'\sinh(2x) = 2\sinh(x)\cosh(x)', "=", lambda v: (sinh(2 * v.x), 2 * sinh(v.x) * cosh(v.x)), "x", lim=10**4)
C(r'\cosh(x) \ge 1', ">=", lambda v: (cosh(v.x), 1), "x")
C(r'\cosh(x) > 1', ">", lambda v: (cosh(v.x), 1), "x", witness=({"x": 0},))
C(r'\cosh^2 x - \sinh^2 x = 1', "=", lambda v: (cosh(v.x)**2 - sinh(v.x)**2, 1), "x", lim=800)
C(r'\cosh^2 x + \sinh^2 x = 1', "=", lambda v: (cosh(v.x)**2 + sinh(v.x)**2, 1), "x", witness=({"x": 1},))
C(r'\tanh(x + y) = \frac{\tanh x + \tanh y}{1 + \tanh x \tanh y}', "=",
  lambda v: (tanh(v.x + v.y), (tanh(v.x) + tanh(v.y)) / (1 + tanh(v.x) * tanh(v.y))), "x y", lim=40)
C(r'\tanh(x + y) = \tanh(x) + \tanh(y)', "=", lambda v: (tanh(v.x + v.y), tanh(v.x) + tanh(v.y)), "x y",
  witness=({"x": 1, "y": 1},))
C(r'\sigma(x + y) = \sigma(x)\sigma(y)', "=", lambda v: (sig(v.x + v.y), sig(v.x) * sig(v.y)), "x y",
  witness=({"x": 0, "y": 0},))
C(r'e^{x + y} = e^{x} e^{y}', "=", lambda v: (exp(v.x + v.y), exp(v.x) * exp(v.y)), "x y")
C(r'e^{xy} = e^{x} e^{y}', "=", lambda v: (exp(v.x * v.y), exp(v.x) * exp(v.y)), "x y", witness=({"x": 1, "y": 1},))
C(r'(e^{x})^{y} = e^{xy}', "=", lambda v: (exp(v.x)**v.y, exp(v.x * v.y)), "x y", lim=10**3)
C(r'\sqrt{e^{2x}} = e^{x}', "=", lambda v: (sqrt(exp(2 * v.x)), exp(v.x)), "x")
C(r'\tanh(x) = \frac{\sinh(x)}{\cosh(x)}', "=", lambda v: (tanh(v.x), sinh(v.x) / cosh(v.x)), "x")
C(r'\sigma(\ln x) = \frac{x}{1 + x}', "=", lambda v: (sig(log(v.x)), v.x / (1 + v.x)), "x")
C(r'\sigma(-\ln x) = \frac{1}{1 + x}', "=", lambda v: (sig(-log(v.x)), 1 / (1 + v.x)), "x")
C(r'\sigma(\ln x) = \frac{1}{1 + x}', "=", lambda v: (sig(log(v.x)), 1 / (1 + v.x)), "x", witness=({"x": 2},))
C(r'\tanh(\ln x) = \frac{x^2 - 1}{x^2 + 1}', "=", lambda v: (tanh(log(v.x)), (v.x**2 - 1) / (v.x**2 + 1)), "x")
C(r'\cosh(\ln x) = \frac{x + \frac{1}{x}}{2}', "=", lambda v: (cosh(log(v.x)), (v.x + 1 / v.x) / 2), "x")
C(r'\cosh(\ln x) = \frac{x - \frac{1}{x}}{2}', "=", lambda v: (cosh(log(v.x)), (v.x - 1 / v.x) / 2), "x",
  witness=({"x": 2},))
C(r'\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} + 10^{-30}\tanh(x)', "=",
  lambda v: (tanh(v.x), (exp(v.x) - exp(-v.x)) / (exp(v.x) + exp(-v.x)) + tanh(v.x) / 10**30), "x",
  witness=({"x": 1},))
C(r'\sigma(-x) = \sigma(x) - 1', "=", lambda v: (sig(-v.x), sig(v.x) - 1), "x", witness=({"x": 0},))
C(r'\ln(1 + e^{x}) = x', "=", lambda v: (softplus(v.x), v.x), "x", witness=({"x": 0},))
C(r'\sin(x)^2 = \frac{1 + \cos(2x)}{2}', "=", lambda v: (sin(v.x)**2, (1 + cos(2 * v.x)) / 2), "x",
  witness=({"x": 0},))
C(r'\sin(x)^2 = \frac{1 - \cos(2x)}{2}', "=", lambda v: (sin(v.x)**2, (1 - cos(2 * v.x)) / 2), "x")
C(r'\cosh(x) = \frac{e^{x} - e^{-x}}{2}', "=", lambda v: (cosh(v.x), (exp(v.x) - exp(-v.x)) / 2), "x",
  witness=({"x": 0},))
C(r'\ln(x^3) = 3\ln(x) + 10^{-40}', "=", lambda v: (log(v.x**3), 3 * log(v.x) + F(1, 10**40)), "x",
  witness=({"x": 2},))
C(r'\tanh(2x) = \frac{2\tanh(x)}{1 - \tanh(x)^2}', "=",
  lambda v: (tanh(2 * v.x), 2 * tanh(v.x) / (1 - tanh(v.x)**2)), "x", witness=({"x": 1},))
C(r'\tanh(2x) = \frac{2\tanh(x)}{1 + \tanh(x)^2}', "=",
  lambda v: (tanh(2 * v.x), 2 * tanh(v.x) / (1 + tanh(v.x)**2)), "x", lim=10**4)
C(r'\sigma(x) = 1 - \sigma(x)', "=", lambda v: (sig(v.x), 1 - sig(v.x)), "x", witness=({"x": 1},))
C(r'e^{2\ln x} = x^2', "=", lambda v: (exp(2 * log(v.x)), v.x**2), "x")

# --- derivatives --------------------------------------------------------------------------------------------------
C(r'\frac{d}{dx}\sigma(x) = \sigma(x)(1 - \sigma(x))', "=", lambda v: (Dx(sig, v.x), sig(v.x) * (1 - sig(v.x))),
  "x", lim=100)
C(r'\frac{d}{dx}\sigma(x) = \sigma(x)\sigma(-x)', "=", lambda v: (Dx(sig, v.x), sig(v.x) * sig(-v.x)), "x", lim=100)
C(r'\frac{d}{dx}\sigma(x) = \sigma(x)', "=", lambda v: (Dx(sig, v.x), sig(v.x)), "x", witness=({"x": 0},))
C(r'\frac{d}{dx}\tanh(x) = 1 - \tanh(x)^2', "=", lambda v: (Dx(tanh, v.x), 1 - tanh(v.x)**2), "x", lim=100)
C(r'\frac{d}{dx}\tanh(x) = 4\sigma(2x)(1 - \sigma(2x))', "=",
  lambda v: (Dx(tanh, v.x), 4 * sig(2 * v.x) * (1 - sig(2 * v.x))), "x", lim=100)
C(r'\frac{d}{dx}\tanh(x) = 2\sigma(2x)(1 - \sigma(2x))', "=",
  lambda v: (Dx(tanh, v.x), 2 * sig(2 * v.x) * (1 - sig(2 * v.x))), "x", witness=({"x": 0},))
C(r'\frac{d}{dx}\ln(1 + e^{x}) = \sigma(x)', "=", lambda v: (Dx(softplus, v.x), sig(v.x)), "x", lim=100)
C(r'\frac{d}{dx}\ln(1 + e^{x}) = \sigma(-x)', "=", lambda v: (Dx(softplus, v.x), sig(-v.x)), "x",
  witness=({"x": 1},))
C(r'\frac{d}{dx}\mathrm{ReLU}(x) = [x > 0]', "=",
  lambda v: (_relu_slope(v.x), ind(v.x)), "x")
C(r'\frac{d}{dx}(x\sigma(x)) = \sigma(x) + x\sigma(x)(1 - \sigma(x))', "=",
  lambda v: (Dx(lambda t: t * sig(t), v.x), sig(v.x) + v.x * sig(v.x) * (1 - sig(v.x))), "x", lim=100)
C(r'\frac{d}{dx}(x\sigma(x)) = \sigma(x)', "=", lambda v: (Dx(lambda t: t * sig(t), v.x), sig(v.x)), "x",
  witness=({"x": 1},))
C(r'\frac{d}{dx}\frac{d}{dx}\sigma(x) = \sigma(x)(1 - \sigma(x))(1 - 2\sigma(x))', "=",
  lambda v: (Dx(sig, v.x, 2), sig(v.x) * (1 - sig(v.x)) * (1 - 2 * sig(v.x))), "x", lim=100)
C(r'\frac{d}{dx}e^{x^2} = 2x e^{x^2}', "=", lambda v: (Dx(lambda t: exp(t**2), v.x), 2 * v.x * exp(v.x**2)), "x",
  lim=30)
C(r'\frac{d}{dx}\sin(x^2) = 2x\cos(x^2)', "=", lambda v: (Dx(lambda t: sin(t**2), v.x), 2 * v.x * cos(v.x**2)), "x",
  lim=100)
C(r'\frac{d}{dx}\sin(x^2) = \cos(x^2)', "=", lambda v: (Dx(lambda t: sin(t**2), v.x), cos(v.x**2)), "x",
  witness=({"x": 1},))
C(r'\frac{d}{dx}(x^2 + x) = 2x + 1', "=", lambda v: (Dx(lambda t: t**2 + t, v.x), 2 * v.x + 1), "x", lim=10**6)
C(r'\frac{d}{dx}(x^3) = 3x', "=", lambda v: (Dx(lambda t: t**3, v.x), 3 * v.x), "x", witness=({"x": 2},))
C(r'\frac{\partial}{\partial x}(x^2 y) = 2xy', "=", lambda v: (Dx(lambda t: t**2 * v.y, v.x), 2 * v.x * v.y), "x y",
  lim=10**6)
C(r'\frac{\partial}{\partial y}(x^2 y) = 2xy', "=", lambda v: (Dx(lambda t: v.x**2 * t, v.y), 2 * v.x * v.y), "x y",
  witness=({"x": 1, "y": 1},))
C(r'\frac{d}{dx}\ln(x) = \frac{1}{x}', "=", lambda v: (Dx(log, v.x), 1 / v.x), "x", lim=10**6)
C(r'\frac{d}{dx}\ln(x^2) = \frac{2}{x}', "=", lambda v: (Dx(lambda t: log(t**2), v.x), 2 / v.x), "x", lim=10**6)
C(r'\frac{d}{dx}\sqrt{x^2} = [x > 0] - [-x > 0]', "=", lambda v: (_abs_slope(v.x), ind(v.x) - ind(-v.x)), "x")
C(r'\frac{d}{dx}x^{1000} = 1000x^{999}', "=", lambda v: (Dx(lambda t: t**1000, v.x), 1000 * v.x**999), "x", lim=100)
C(r'\frac{d}{dx}\tanh(\frac{x}{2}) = 2\sigma(x)(1 - \sigma(x))', "=",
  lambda v: (Dx(lambda t: tanh(t / 2), v.x), 2 * sig(v.x) * (1 - sig(v.x))), "x", lim=100)
C(r'\frac{d}{dx}\tanh(\frac{x}{2}) = \sigma(x)(1 - \sigma(x))', "=",
  lambda v: (Dx(lambda t: tanh(t / 2), v.x), sig(v.x) * (1 - sig(v.x))), "x", witness=({"x": 0},))
C(r'\frac{d}{dx}\sigma(2x) = 2\sigma(x)(1 - \sigma(x))', "=",
  lambda v: (Dx(lambda t: sig(2 * t), v.x), 2 * sig(v.x) * (1 - sig(v.x))), "x", witness=({"x": 1},))
C(r'\frac{d}{dx}\sigma(2x) = 2\sigma(2x)(1 - \sigma(2x))', "=",
  lambda v: (Dx(lambda t: sig(2 * t), v.x), 2 * sig(2 * v.x) * (1 - sig(2 * v.x))), "x", lim=100)
C(r'\frac{d}{dx}\ln(x^2) = \frac{1}{x^2}', "=", lambda v: (Dx(lambda t: log(t**2), v.x), 1 / v.x**2), "x",
  witness=({"x": 1},))
C(r'\frac{d}{dx}\mathrm{ReLU}(x) = \mathrm{ReLU}(x)', "=", lambda v: (_relu_slope(v.x), relu(v.x)), "x",
  witness=({"x": 2},))

# --- inequalities -------------------------------------------------------------------------------------------------
C(r'x^2 + y^2 \ge 2xy', ">=", lambda v: (v.x**2 + v.y**2, 2 * v.x * v.y), "x y")
C(r'x^2 + y^2 \ge 2x y + 10^{-9}', ">=", lambda v: (v.x**2 + v.y**2, 2 * v.x * v.y + F(1, 10**9)), "x y",
  witness=({"x": 1, "y": 1},))
C(r'x^2 + y^2 > 2xy', ">", lambda v: (v.x**2 + v.y**2, 2 * v.x * v.y), "x y", witness=({"x": 1, "y": 1},))
C(r'\frac{x^2 + y^2}{2} \ge \left(\frac{x + y}{2}\right)^2', ">=",
  lambda v: ((v.x**2 + v.y**2) / 2, ((v.x + v.y) / 2)**2), "x y")
C(r'x^4 + y^4 \ge x^3 y + x y^3', ">=", lambda v: (v.x**4 + v.y**4, v.x**3 * v.y + v.x * v.y**3), "x y")
C(r'x^3 + y^3 \ge x^2 y + x y^2', ">=", lambda v: (v.x**3 + v.y**3, v.x**2 * v.y + v.x * v.y**2), "x y",
  witness=({"x": -1, "y": 0},))
C(r'x^2 + y^2 + z^2 \ge xy + yz + zx', ">=",
  lambda v: (v.x**2 + v.y**2 + v.z**2, v.x * v.y + v.y * v.z + v.z * v.x), "x y z")
C(r'(x + y + z)^2 \le 3(x^2 + y^2 + z^2)', "<=", lambda v: ((v.x + v.y + v.z)**2, 3 * (v.x**2 + v.y**2 + v.z**2)),
  "x y z")
C(r'(x + y + z)^2 \le 2(x^2 + y^2 + z^2)', "<=", lambda v: ((v.x + v.y + v.z)**2, 2 * (v.x**2 + v.y**2 + v.z**2)),
  "x y z", witness=({"x": 1, "y": 1, "z": 1},))
C(r'e^{x} \ge 1 + x', ">=", lambda v: (exp(v.x), 1 + v.x), "x")
C(r'e^{x} \ge 1 + x + \frac{x^2}{2}', ">=", lambda v: (exp(v.x), 1 + v.x + v.x**2 / 2), "x", witness=({"x": -1},))
C(r'e^{x} \ge 1 + x + \frac{x^2}{2} + \frac{x^3}{6}', ">=", lambda v: (exp(v.x), 1 + v.x + v.x**2 / 2 + v.x**3 / 6),
  "x")
C(r'\ln(x) \le x - 1', "<=", lambda v: (log(v.x), v.x - 1), "x")
C(r'\ln(x) < x - 1', "<", lambda v: (log(v.x), v.x - 1), "x", witness=({"x": 1},))
C(r'\ln(x) \ge 1 - \frac{1}{x}', ">=", lambda v: (log(v.x), 1 - 1 / v.x), "x")
C(r'\sigma(x) \le \frac{1}{2} + \frac{x}{4}', "<=", lambda v: (sig(v.x), F(1, 2) + v.x / 4), "x", witness=({"x": -1},))
C(r'\sigma(\mathrm{ReLU}(x)) \le \frac{1}{2} + \frac{\mathrm{ReLU}(x)}{4}', "<=",
  lambda v: (sig(relu(v.x)), F(1, 2) + relu(v.x) / 4), "x")
C(r'\tanh(x)^2 \le x^2', "<=", lambda v: (tanh(v.x)**2, v.x**2), "x")
C(r'\tanh(x)^2 < x^2', "<", lambda v: (tanh(v.x)**2, v.x**2), "x", witness=({"x": 0},))
C(r'\sigma(x)(1 - \sigma(x)) \le \frac{1}{4}', "<=", lambda v: (sig(v.x) * (1 - sig(v.x)), F(1, 4)), "x")
C(r'\sigma(x)(1 - \sigma(x)) < \frac{1}{4}', "<", lambda v: (sig(v.x) * (1 - sig(v.x)), F(1, 4)), "x",
  witness=({"x": 0},))
C(r'\frac{x}{1 + x^2} \le \frac{1}{2}', "<=", lambda v: (v.x / (1 + v.x**2), F(1, 2)), "x")
C(r'\frac{x^2}{1 + x^4} \le \frac{1}{2}', "<=", lambda v: (v.x**2 / (1 + v.x**4), F(1, 2)), "x")
C(r'\frac{2x}{1 + x^2} < 1', "<", lambda v: (2 * v.x / (1 + v.x**2), 1), "x", witness=({"x": 1},))
C(r'\frac{x + y}{2} \ge \sqrt{xy}', ">=", lambda v: ((v.x + v.y) / 2, sqrt(v.x * v.y)), "x y",
  witness=({"x": -1, "y": -1},))
C(r'\frac{x^2 + y^2}{2} \ge \sqrt{x^2 y^2}', ">=", lambda v: ((v.x**2 + v.y**2) / 2, sqrt(v.x**2 * v.y**2)), "x y")
C(r'x^2 y^2 \le \frac{(x^2 + y^2)^2}{4}', "<=", lambda v: (v.x**2 * v.y**2, (v.x**2 + v.y**2)**2 / 4), "x y")
C(r'\ln(\frac{x + y}{2}) \ge \frac{\ln x + \ln y}{2}', ">=",
  lambda v: (log((v.x + v.y) / 2), (log(v.x) + log(v.y)) / 2), "x y", points=800)
C(r'(1 + x)^{4} \ge 1 + 4x', ">=", lambda v: ((1 + v.x)**4, 1 + 4 * v.x), "x")
C(r'(1 + x)^{3} \ge 1 + 3x', ">=", lambda v: ((1 + v.x)**3, 1 + 3 * v.x), "x", witness=({"x": -4},))
C(r'\frac{e^{x} - 1}{x} \ge 1', ">=", lambda v: ((exp(v.x) - 1) / v.x, 1), "x", witness=({"x": -1},))
C(r'\frac{e^{x} - 1}{x} \ge 1 + \frac{x}{2}', ">=", lambda v: ((exp(v.x) - 1) / v.x, 1 + v.x / 2), "x", lim=10**6)
C(r'\frac{\sin(x)}{x} \le 1', "<=", lambda v: (sin(v.x) / v.x, 1), "x")
C(r'\frac{\sin(x)}{x} < 1', "<", lambda v: (sin(v.x) / v.x, 1), "x")
C(r'\frac{\tanh(x)}{x} \le 1', "<=", lambda v: (tanh(v.x) / v.x, 1), "x")
C(r'-x^2 \le 0', "<=", lambda v: (-v.x**2, 0), "x")

# --- not equal: existential claims ------------------------------------------------------------------------------
C(r'x \neq 2x', "!=", lambda v: (v.x, 2 * v.x), "x", witness=({"x": 1},))
C(r'x + x \neq 2x', "!=", lambda v: (v.x + v.x, 2 * v.x), "x")
C(r'\sigma(x) \neq 1 - \sigma(-x)', "!=", lambda v: (sig(v.x), 1 - sig(-v.x)), "x")
C(r'\tanh(x) \neq 2\sigma(2x) - 1', "!=", lambda v: (tanh(v.x), 2 * sig(2 * v.x) - 1), "x")
C(r'\tanh(x) \neq 2\sigma(x) - 1', "!=", lambda v: (tanh(v.x), 2 * sig(v.x) - 1), "x", witness=({"x": 1},))
C(r'\mathrm{ReLU}(x) \neq x', "!=", lambda v: (relu(v.x), v.x), "x", witness=({"x": -1},))
C(r'\mathrm{ReLU}(x) \neq \frac{x + \sqrt{x^2}}{2}', "!=", lambda v: (relu(v.x), (v.x + sqrt(v.x**2)) / 2), "x")
C(r'[x > 0] \neq [x > 0]^2', "!=", lambda v: (ind(v.x), ind(v.x)**2), "x")
C(r'\sin(420\pi x) \neq 0', "!=", lambda v: (sin(420 * PI() * v.x), 0), "x", witness=({"x": Fraction(1, 840)},))
C(r'x^2 \neq x', "!=", lambda v: (v.x**2, v.x), "x", witness=({"x": 2},))
C(r'(x+1)^2 \neq x^2 + 2x + 1', "!=", lambda v: ((v.x + 1)**2, v.x**2 + 2 * v.x + 1), "x")
C(r'\frac{x^2 - 1}{x - 1} \neq x + 1', "!=", lambda v: ((v.x**2 - 1) / (v.x - 1), v.x + 1), "x")
C(r'\sqrt{x^2} \neq x', "!=", lambda v: (sqrt(v.x**2), v.x), "x", witness=({"x": -1},))
C(r'e^{-1000} \neq 0', "!=", lambda v: (exp(-1000), 0))
C(r'10^{60} + 1 \neq 10^{60}', "!=", lambda v: (10**60 + 1, 10**60))
C(r'\frac{1}{3} \neq 0.333333333333333333', "!=", lambda v: (F(1, 3), F(333333333333333333, 10**18)))
C(r'0.1 + 0.2 \neq 0.3', "!=", lambda v: (F(1, 10) + F(2, 10), F(3, 10)))
C(r'0.1 + 0.2 = 0.3', "=", lambda v: (F(1, 10) + F(2, 10), F(3, 10)))
C(r'x_i \neq x_j', "!=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'\sum_j x_j \neq \sum_i x_i', "!=", lambda v: (S(v.x[j] for j in rng_(1, v.n)), S(v.x[i] for i in rng_(1, v.n))),
  "n# x[]")
C(r'\cosh(x)^2 - \sinh(x)^2 \neq 1', "!=", lambda v: (cosh(v.x)**2 - sinh(v.x)**2, 1), "x", lim=1000)
C(r'e^{x} \neq 1 + x', "!=", lambda v: (exp(v.x), 1 + v.x), "x", witness=({"x": 1},))
C(r'\sigma(x) \neq \frac{1}{2}', "!=", lambda v: (sig(v.x), F(1, 2)), "x", witness=({"x": 1},))
C(r'x^{3} \neq x', "!=", lambda v: (v.x**3, v.x), "x", witness=({"x": 2},))
C(r'(x - y)^2 \neq 0', "!=", lambda v: ((v.x - v.y)**2, 0), "x y", witness=({"x": 0, "y": 1},))
C(r'\lambda \neq \sqrt{\lambda^2}', "!=", lambda v: (v.lam, sqrt(v.lam**2)), "lam+", vocab="q5")
C(r'\lambda \neq -\sqrt{\lambda^2}', "!=", lambda v: (v.lam, -sqrt(v.lam**2)), "lam+", vocab="q5",
  witness=({"lam": 1},))
C(r'\frac{x}{x} \neq 1', "!=", lambda v: (v.x / v.x, 1), "x")
C(r'\mathrm{ReLU}(x) + \mathrm{ReLU}(-x) \neq x', "!=", lambda v: (relu(v.x) + relu(-v.x), v.x), "x",
  witness=({"x": -1},))

# --- removable singularities and domains --------------------------------------------------------------------------
C(r'\frac{x^2 - 1}{x - 1} = x + 1', "=", lambda v: ((v.x**2 - 1) / (v.x - 1), v.x + 1), "x")
C(r'\frac{x^2 - 1}{x - 1} = x - 1', "=", lambda v: ((v.x**2 - 1) / (v.x - 1), v.x - 1), "x", witness=({"x": 0},))
C(r'\frac{x^3 - 1}{x - 1} = x^2 + x + 1', "=", lambda v: ((v.x**3 - 1) / (v.x - 1), v.x**2 + v.x + 1), "x")
C(r'\frac{x^2 - 4}{x - 2} = x + 2', "=", lambda v: ((v.x**2 - 4) / (v.x - 2), v.x + 2), "x")
C(r'\frac{x^2 - 4}{x + 2} = x + 2', "=", lambda v: ((v.x**2 - 4) / (v.x + 2), v.x + 2), "x", witness=({"x": 0},))
C(r'\frac{x}{x} = 1', "=", lambda v: (v.x / v.x, 1), "x")
C(r'\frac{x - y}{y - x} = -1', "=", lambda v: ((v.x - v.y) / (v.y - v.x), -1), "x y")
C(r'\frac{x^2 - y^2}{x - y} = x + y', "=", lambda v: ((v.x**2 - v.y**2) / (v.x - v.y), v.x + v.y), "x y")
C(r'\frac{x^2 + y^2}{x + y} = x + y', "=", lambda v: ((v.x**2 + v.y**2) / (v.x + v.y), v.x + v.y), "x y",
  witness=({"x": 1, "y": 1},))
C(r'\frac{\sin(x)}{x} = 1', "=", lambda v: (sin(v.x) / v.x, 1), "x", witness=({"x": 1},))
C(r'\frac{1}{x} - \frac{1}{x + 1} = \frac{1}{x(x + 1)}', "=",
  lambda v: (1 / v.x - 1 / (v.x + 1), 1 / (v.x * (v.x + 1))), "x")
C(r'\frac{1}{x} - \frac{1}{x + 1} = \frac{1}{x^2}', "=", lambda v: (1 / v.x - 1 / (v.x + 1), 1 / v.x**2), "x",
  witness=({"x": 1},))
C(r'\frac{1}{\frac{1}{x}} = x', "=", lambda v: (1 / (1 / v.x), v.x), "x")
C(r'\frac{1}{1 - x} + \frac{1}{1 - \frac{1}{x}} = 1', "=", lambda v: (1 / (1 - v.x) + 1 / (1 - 1 / v.x), 1), "x")
C(r'\frac{x}{x^2} = \frac{1}{x}', "=", lambda v: (v.x / v.x**2, 1 / v.x), "x")
C(r'\frac{(x - 1)^2}{x - 1} = x - 1', "=", lambda v: ((v.x - 1)**2 / (v.x - 1), v.x - 1), "x")
C(r'\frac{x - 1}{(x - 1)^2} = \frac{1}{x - 1}', "=", lambda v: ((v.x - 1) / (v.x - 1)**2, 1 / (v.x - 1)), "x")
C(r'\sqrt{x}^2 = x', "=", lambda v: (sqrt(v.x)**2, v.x), "x")
C(r'\sqrt{x^2} = x', "=", lambda v: (sqrt(v.x**2), v.x), "x", witness=({"x": -1},))
C(r'\sqrt{x}\sqrt{y} = \sqrt{xy}', "=", lambda v: (sqrt(v.x) * sqrt(v.y), sqrt(v.x * v.y)), "x y", points=800)
C(r'\sqrt{\frac{x}{y}} = \frac{\sqrt{x}}{\sqrt{y}}', "=",
  lambda v: (sqrt(v.x / v.y), sqrt(v.x) / sqrt(v.y)), "x y", points=800)
C(r'\frac{\sqrt{x}}{\sqrt{x}} = 1', "=", lambda v: (sqrt(v.x) / sqrt(v.x), 1), "x")
C(r'\frac{\ln(x)}{\ln(x)} = 1', "=", lambda v: (log(v.x) / log(v.x), 1), "x")
C(r'\frac{x^2 - 2x + 1}{x - 1} = x - 1', "=", lambda v: ((v.x**2 - 2 * v.x + 1) / (v.x - 1), v.x - 1), "x")
C(r'\frac{x^4 - 1}{x^2 - 1} = x^2 + 1', "=", lambda v: ((v.x**4 - 1) / (v.x**2 - 1), v.x**2 + 1), "x")
C(r'\frac{x^4 - 1}{x^2 - 1} = x^2 - 1', "=", lambda v: ((v.x**4 - 1) / (v.x**2 - 1), v.x**2 - 1), "x",
  witness=({"x": 0},))
C(r'\frac{x^2}{x} = x', "=", lambda v: (v.x**2 / v.x, v.x), "x")
C(r'\frac{0}{x} = 0', "=", lambda v: (0 / v.x, 0), "x")
C(r'\frac{1}{x - 1} - \frac{1}{x - 1} = 0', "=", lambda v: (1 / (v.x - 1) - 1 / (v.x - 1), 0), "x")
C(r'\frac{1}{x} \neq 0', "!=", lambda v: (1 / v.x, 0), "x", witness=({"x": 1},))
C(r'\frac{x^2 - 1}{x - 1} \ge 2', ">=", lambda v: ((v.x**2 - 1) / (v.x - 1), 2), "x", witness=({"x": 0},))
C(r'\frac{\sqrt{x^2}}{x} = 1', "=", lambda v: (sqrt(v.x**2) / v.x, 1), "x", witness=({"x": -1},))
C(r'\frac{x^2 - 1}{x^2 + 1} < 1', "<", lambda v: ((v.x**2 - 1) / (v.x**2 + 1), 1), "x")
C(r'\frac{x^2 - x}{x} = x', "=", lambda v: ((v.x**2 - v.x) / v.x, v.x), "x", witness=({"x": 1},))
C(r'\frac{x^3 - x}{x^2 - 1} = x + 1', "=", lambda v: ((v.x**3 - v.x) / (v.x**2 - 1), v.x + 1), "x",
  witness=({"x": 0},))
C(r'\frac{x^3 - x}{x^2 - 1} = x', "=", lambda v: ((v.x**3 - v.x) / (v.x**2 - 1), v.x), "x")
C(r'\frac{x - 2}{x^2 - 4} = \frac{1}{x - 2}', "=", lambda v: ((v.x - 2) / (v.x**2 - 4), 1 / (v.x - 2)), "x",
  witness=({"x": 0},))
C(r'\frac{\sin(2x)}{\sin(x)} = 2\cos(x)', "=", lambda v: (sin(2 * v.x) / sin(v.x), 2 * cos(v.x)), "x")
C(r'\frac{\sin(2x)}{\sin(x)} = 2', "=", lambda v: (sin(2 * v.x) / sin(v.x), 2), "x", witness=({"x": 1},))
C(r'\frac{1}{x} + \frac{1}{y} = \frac{1}{x + y}', "=", lambda v: (1 / v.x + 1 / v.y, 1 / (v.x + v.y)), "x y",
  witness=({"x": 1, "y": 1},))

# --- huge exponents (an exact evaluator could hang) -------------------------------------------------------------
C(r'(x^{1000})^{1000} = (y^{1000})^{1000}', "=", lambda v: ((v.x**1000)**1000, (v.y**1000)**1000), "x y",
  witness=({"x": 1, "y": 2},), exact=False)
C(r'(x^{1000})^{1000} = x^{1000000}', "=", lambda v: ((v.x**1000)**1000, v.x**1000000), "x", exact=False)
C(r'(x^{1000})^{1000} = ((x^{100})^{100})^{100}', "=", lambda v: ((v.x**1000)**1000, ((v.x**100)**100)**100), "x",
  exact=False)
C(r'(x^{1000})^{1000} = ((x^{100})^{100})^{99}', "=", lambda v: ((v.x**1000)**1000, ((v.x**100)**100)**99), "x",
  witness=({"x": 2},), exact=False)
C(r'(x^{1000})^{1000} \ge 0', ">=", lambda v: ((v.x**1000)**1000, 0), "x", exact=False)
C(r'(x^{999})^{999} \ge 0', ">=", lambda v: ((v.x**999)**999, 0), "x", witness=({"x": -1},), exact=False)
C(r'(x^{1000})^{1000} - ((x^{500})^{500})^{4} = 0', "=", lambda v: ((v.x**1000)**1000 - ((v.x**500)**500)**4, 0),
  "x", exact=False)
C(r'(1 + x^2)^{1000} \ge 1 + 1000x^2', ">=", lambda v: ((1 + v.x**2)**1000, 1 + 1000 * v.x**2), "x", exact=False)
C(r'(1 + x^2)^{1000} > 1 + 1000x^2', ">", lambda v: ((1 + v.x**2)**1000, 1 + 1000 * v.x**2), "x",
  witness=({"x": 0},), exact=False)
C(r'((x^{2} + 1)^{1000})^{1000} > 0', ">", lambda v: (((v.x**2 + 1)**1000)**1000, 0), "x", exact=False)
C(r'(x^{1000} + 1)^{1000} = (x^{1000})^{1000} + 1', "=", lambda v: ((v.x**1000 + 1)**1000, (v.x**1000)**1000 + 1),
  "x", witness=({"x": 1},), exact=False)
C(r'2^{1000} > 10^{300}', ">", lambda v: (2**1000, 10**300))
C(r'2^{1000} > 10^{302}', ">", lambda v: (2**1000, 10**302))
C(r'\left(\frac{1}{2}\right)^{1000} < 10^{-300}', "<", lambda v: (F(1, 2)**1000, F(1, 10**300)))
C(r'(x^{1000})^{1000} = (x^{1000})^{999} x^{1000}', "=", lambda v: ((v.x**1000)**1000, (v.x**1000)**999 * v.x**1000),
  "x", exact=False)
C(r'e^{1000 x} = (e^{x})^{1000}', "=", lambda v: (exp(1000 * v.x), exp(v.x)**1000), "x", lim=10**4)
C(r'(1 + 10^{-6})^{1000} > 1 + 10^{-3}', ">", lambda v: ((1 + F(1, 10**6))**1000, 1 + F(1, 10**3)))
C(r'(x^{1000})^{1000} = 0', "=", lambda v: ((v.x**1000)**1000, 0), "x", witness=({"x": 1},), exact=False)
C(r'(x^{1000})^{1000} + 1 > (x^{1000})^{1000}', ">", lambda v: ((v.x**1000)**1000 + 1, (v.x**1000)**1000), "x",
  lim=1, exact=False)

# --- parser traps: inverse functions, transposes, explicit sums, whitespace, precedence, constants ---------------
C(r'\tanh^{-1}(x) = \frac{1}{\tanh(x)}', "=",
  lambda v: (atanh(v.x), 1 / tanh(v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\tanh^{-1}(x) = \frac{1}{2}\ln(\frac{1 + x}{1 - x})', "=",
  lambda v: (atanh(v.x), log((1 + v.x) / (1 - v.x)) / 2), "x", points=800)
C(r'\tanh(\tanh^{-1}(x)) = x', "=", lambda v: (tanh(atanh(v.x)), v.x), "x", points=800)
C(r'\tanh^{-1}(\tanh(x)) = x', "=", lambda v: (atanh(tanh(v.x)), v.x), "x", lim=60)
C(r'\sin^{-1}(\sin(x)) = x', "=", lambda v: (asin(sin(v.x)), v.x), "x", witness=({"x": 2},))
C(r'\sin^{-1}(x) = \frac{1}{\sin(x)}', "=", lambda v: (asin(v.x), 1 / sin(v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\cos^{-1}(\cos(x)) = \sqrt{x^2}', "=", lambda v: (acos(cos(v.x)), sqrt(v.x**2)), "x", witness=({"x": 4},))
C(r'\sigma^{-1}(x) = \ln(\frac{x}{1 - x})', "=", lambda v: (logit(v.x), log(v.x / (1 - v.x))), "x", points=800)
C(r'\sigma^{-1}(\sigma(x)) = x', "=", lambda v: (logit(sig(v.x)), v.x), "x", lim=60)
C(r'\sigma(x)^{-1} = 1 + e^{-x}', "=", lambda v: (1 / sig(v.x), 1 + exp(-v.x)), "x", lim=10**4)
C(r'\sigma^{-1}(x) = 1 + e^{-x}', "=", lambda v: (logit(v.x), 1 + exp(-v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\tanh^{2}(x) = \tanh(x)^2', "=", lambda v: (tanh(v.x)**2, tanh(v.x)**2), "x")
C(r'\tanh^2 x = 1 - \frac{1}{\cosh^2 x}', "=", lambda v: (tanh(v.x)**2, 1 - 1 / cosh(v.x)**2), "x", lim=10**4)
C(r'\sin^2 x = (\sin x)^2', "=", lambda v: (sin(v.x)**2, sin(v.x)**2), "x")
C(r'\cos^{2}(x) + \sin^{2}(x) = 1', "=", lambda v: (cos(v.x)**2 + sin(v.x)**2, 1), "x")
C(r'\sum_{k=1}^{3} k = 6', "=", lambda v: (S(k for k in rng_(1, 3)), 6))
C(r'\sum_{k=1}^{3} k = 7', "=", lambda v: (S(k for k in rng_(1, 3)), 7))
C(r'\sum_{k=1}^{3} k^2 = 14', "=", lambda v: (S(k**2 for k in rng_(1, 3)), 14))
C(r'\sum_{k=1}^{3} 2 = 6', "=", lambda v: (S(2 for k in rng_(1, 3)), 6))
C(r'\sum_{k=1}^{3} x = 3x', "=", lambda v: (S(v.x for k in rng_(1, 3)), 3 * v.x), "x")
C(r'\sum_{k=1}^{3} x_k = x_1 + x_2 + x_3', "=", lambda v: (S(v.x[k] for k in rng_(1, 3)), v.x[1] + v.x[2] + v.x[3]),
  "x[]")
C(r'\sum_{k=1}^{3} x_k = x_1 + x_2', "=", lambda v: (S(v.x[k] for k in rng_(1, 3)), v.x[1] + v.x[2]), "x[]",
  witness=({"x": {3: 1}},))
C(r'\sum_{k=0}^{3} x_k = x_1 + x_2 + x_3', "=", lambda v: (S(v.x[k] for k in rng_(0, 3)), v.x[1] + v.x[2] + v.x[3]),
  "x[]", witness=({"x": {0: 1}},))
C(r'\sum_{k=1}^{10} k^2 = 385', "=", lambda v: (S(k**2 for k in rng_(1, 10)), 385))
C(r'\sum_{k=1}^{64} 1 = 64', "=", lambda v: (S(1 for k in rng_(1, 64)), 64))
C(r'\sum_{k=1}^{3} \sum_{j=1}^{k} 1 = 6', "=", lambda v: (S(1 for k in rng_(1, 3) for j in rng_(1, k)), 6))
C(r'\sum_{k=1}^{3} \sum_{j=1}^{k} j = 10', "=", lambda v: (S(j for k in rng_(1, 3) for j in rng_(1, k)), 10))
C(r'\sum_{k=1}^{3} \sum_{j=1}^{k} j = 14', "=", lambda v: (S(j for k in rng_(1, 3) for j in rng_(1, k)), 14))
C(r'x_{i} = x_{j}', "=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'x_ i = x_ j', "=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'x_{ i } = x_{ j }', "=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'x_{i}=x_{j}', "=", lambda v: (v.x[v.i], v.x[v.j]), "n# i@n j@n x[]",
  witness=({"n": 2, "i": 1, "j": 2, "x": {1: 0, 2: 1}},))
C(r'x_i = x_i', "=", lambda v: (v.x[v.i], v.x[v.i]), "n# i@n x[]")
C(r'x_{i} = x_i', "=", lambda v: (v.x[v.i], v.x[v.i]), "n# i@n x[]")
C(r'w_{ij} = w_{ji}', "=", lambda v: (v.w[v.i, v.j], v.w[v.j, v.i]), "n# i@n j@n w[]",
  witness=({"n": 2, "i": 1, "j": 2, "w": {(1, 2): 0, (2, 1): 1}},))
C(r'w_{ij} = w_{i,j}', "=", lambda v: (v.w[v.i, v.j], v.w[v.i, v.j]), "n# i@n j@n w[]")
C(r'w_{i,j} = w_{j,i}', "=", lambda v: (v.w[v.i, v.j], v.w[v.j, v.i]), "n# i@n j@n w[]",
  witness=({"n": 2, "i": 1, "j": 2, "w": {(1, 2): 0, (2, 1): 1}},))
C(r'w_{i j} = w_{ij}', "=", lambda v: (v.w[v.i, v.j], v.w[v.i, v.j]), "n# i@n j@n w[]")
C(r'x_{i+1} = x_{1+i}', "=", lambda v: (v.x[v.i + 1], v.x[1 + v.i]), "n# i@n x[]")
C(r'x_{i+1} = x_{i}', "=", lambda v: (v.x[v.i + 1], v.x[v.i]), "n# i@n x[]", witness=({"n": 1, "i": 1,
                                                                                      "x": {1: 0, 2: 1}},))
C(r'x_{i+j} = x_{j+i}', "=", lambda v: (v.x[v.i + v.j], v.x[v.j + v.i]), "n# i@n j@n x[]")
C(r'x_{i+j} = x_{i-j}', "=", lambda v: (v.x[v.i + v.j], v.x[v.i - v.j]), "n# i@n j@n x[]",
  witness=({"n": 1, "i": 1, "j": 1, "x": {2: 1, 0: 0}},))
C(r'(x w)^{T} = x w', "=", lambda v: (v.x * v.w, v.x * v.w), "x w")
C(r'(x w)^{T} = w^{T} x^{T}', "=", lambda v: (v.x * v.w, v.w * v.x), "x w")
C(r'(x + w)^{T} = x + w', "=", lambda v: (v.x + v.w, v.x + v.w), "x w")
C(r'(x w)^{T} = x w + 1', "=", lambda v: (v.x * v.w, v.x * v.w + 1), "x w")
C(r'(x w)^{T} = 2 x w', "=", lambda v: (v.x * v.w, 2 * v.x * v.w), "x w", witness=({"x": 1, "w": 1},))
C(r'x^{T} = x', "=", lambda v: (v.x, v.x), "x")
C(r'(x^{T})^{T} = x', "=", lambda v: (v.x, v.x), "x")
C(r'W^{T} = w', "=", lambda v: (v.W, v.w), "W w", witness=({"W": 0, "w": 1},))
C(r'\sqrt[3]{8} = 2', "=", lambda v: (cbrt(8), 2))
C(r'\sqrt[3]{27} = 9', "=", lambda v: (cbrt(27), 9))
C(r'x^{0.5} = \sqrt{x}', "=", lambda v: (v.x**F(1, 2), sqrt(v.x)), "x")
C(r'x^{1/2} = \sqrt{x}', "=", lambda v: (v.x**F(1, 2), sqrt(v.x)), "x")
C(r'\sqrt{4} = 2', "=", lambda v: (sqrt(4), 2))
C(r'\sqrt{4} = -2', "=", lambda v: (sqrt(4), -2))
C(r'\sqrt{2}\sqrt{2} = 2', "=", lambda v: (sqrt(2) * sqrt(2), 2))
C(r'\sqrt{2}^2 = 2', "=", lambda v: (sqrt(2)**2, 2))
C(r'10^{-3} = 0.001', "=", lambda v: (F(1, 1000), F(1, 1000)))
C(r'1.5 \cdot 2 = 3', "=", lambda v: (F(3, 2) * 2, 3))
C(r'0.5 = \frac{1}{2}', "=", lambda v: (F(1, 2), F(1, 2)))
C(r'\pi > 3.14159', ">", lambda v: (PI(), F(314159, 100000)))
C(r'\pi < 3.1416', "<", lambda v: (PI(), F(31416, 10000)))
C(r'\pi > 3.1416', ">", lambda v: (PI(), F(31416, 10000)))
C(r'e > 2.718', ">", lambda v: (E(), F(2718, 1000)))
C(r'\exp(1) > 2.7182818', ">", lambda v: (exp(1), F(27182818, 10**7)))
C(r'\exp(1) > 2.7182819', ">", lambda v: (exp(1), F(27182819, 10**7)))
C(r'e^{1} = e', "=", lambda v: (exp(1), E()))
C(r'e^{x} = \exp(x)', "=", lambda v: (exp(v.x), exp(v.x)), "x")
C(r'\exp{x} = e^{x}', "=", lambda v: (exp(v.x), exp(v.x)), "x")
C(r'\cos(\pi) = -1', "=", lambda v: (cos(PI()), -1))
C(r'\sin(\pi) = 0', "=", lambda v: (sin(PI()), 0))
C(r'a \cdot b = a \times b', "=", lambda v: (v.a * v.b, v.a * v.b), "a b")
C(r'a/b = \frac{a}{b}', "=", lambda v: (v.a / v.b, v.a / v.b), "a b")
C(r'\frac{1}{2}x = \frac{x}{2}', "=", lambda v: (F(1, 2) * v.x, v.x / 2), "x")
C(r'-x^2 = (-x)^2', "=", lambda v: (-v.x**2, (-v.x)**2), "x", witness=({"x": 1},))
C(r'-2^2 = -4', "=", lambda v: (-(2**2), -4))
C(r'(-2)^2 = 4', "=", lambda v: ((-2)**2, 4))
C(r'2^{3^2} = 512', "=", lambda v: (2**(3**2), 512))
C(r'2^{3^2} = 64', "=", lambda v: (2**(3**2), 64))
C(r'(2^3)^2 = 64', "=", lambda v: ((2**3)**2, 64))
C(r'\left(x + 1\right)^2 = x^2 + 2x + 1', "=", lambda v: ((v.x + 1)**2, v.x**2 + 2 * v.x + 1), "x")
C(r'\operatorname{ReLU}(x) = \mathrm{relu}(x)', "=", lambda v: (relu(v.x), relu(v.x)), "x")
C(r'h^{(3)} = h^3', "=", lambda v: (v.h3, v.h**3), "h3 h", witness=({"h3": 0, "h": 1},))
C(r'h^{(3)} \neq h^{3}', "!=", lambda v: (v.h3, v.h**3), "h3 h", witness=({"h3": 0, "h": 1},))
C(r'w^{(1)}_{ji} = w_{ji}^{(1)}', "=", lambda v: (v.w1[v.j, v.i], v.w1[v.j, v.i]), "n# i@n j@n w1[]")
C(r'w^{(1)}_{ji} = w^{(2)}_{ji}', "=", lambda v: (v.w1[v.j, v.i], v.w2[v.j, v.i]), "n# i@n j@n w1[] w2[]",
  witness=({"w1": {(1, 1): 0}, "w2": {(1, 1): 1}},))
C(r'W \neq w', "!=", lambda v: (v.W, v.w), "W w", witness=({"W": 0, "w": 1},))
C(r'x ≠ 2x', "!=", lambda v: (v.x, 2 * v.x), "x", witness=({"x": 1},))
C(r'σ(x) ≤ 1', "<=", lambda v: (sig(v.x), 1), "x")
C(r'x − x = 0', "=", lambda v: (v.x - v.x, 0), "x")
C(r'x · 2 = 2x', "=", lambda v: (v.x * 2, 2 * v.x), "x")
C(r'\mathrm{ReLU}(x) ≥ x', ">=", lambda v: (relu(v.x), v.x), "x")
C(r'\frac{d}{dx} x^3 = 3x^2', "=", lambda v: (Dx(lambda t: t**3, v.x), 3 * v.x**2), "x", lim=10**6)
C(r'\frac{d}{dx}\left(\frac{d}{dx} x^3\right) = 6x', "=", lambda v: (Dx(lambda t: t**3, v.x, 2), 6 * v.x), "x",
  lim=10**6)
C(r'\frac{d}{dx}\frac{d}{dx} x^3 = 3x^2', "=", lambda v: (Dx(lambda t: t**3, v.x, 2), 3 * v.x**2), "x",
  witness=({"x": 1},))
C(r'\sum_{k=1}^{4} k = 10', "=", lambda v: (S(k for k in rng_(1, 4)), 10))
C(r'\sum_{k=2}^{4} k = 10', "=", lambda v: (S(k for k in rng_(2, 4)), 10))
C(r'\tanh^{-1}(x) = \tanh(x)^{-1}', "=", lambda v: (atanh(v.x), 1 / tanh(v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\tanh(x)^{-1} = \frac{1}{\tanh(x)}', "=", lambda v: (1 / tanh(v.x), 1 / tanh(v.x)), "x")
C(r'\sigma^{-1}(x) = \sigma(x)^{-1}', "=", lambda v: (logit(v.x), 1 / sig(v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\sin^{-1}(x) = \sin(x)^{-1}', "=", lambda v: (asin(v.x), 1 / sin(v.x)), "x", witness=({"x": Fraction(1, 2)},))
C(r'\frac{d}{dx} x^3 = 3x', "=", lambda v: (Dx(lambda t: t**3, v.x), 3 * v.x), "x", witness=({"x": 2},))
C(r'(x w)^{T} = x', "=", lambda v: (v.x * v.w, v.x), "x w", witness=({"x": 1, "w": 2},))
C(r'x^{T} w^{T} = (x + w)^{T}', "=", lambda v: (v.x * v.w, v.x + v.w), "x w", witness=({"x": 1, "w": 1},))
C(r'10^{-3} = 0.01', "=", lambda v: (F(1, 1000), F(1, 100)))
C(r'1.5 \cdot 2 = 2', "=", lambda v: (F(3, 2) * 2, 2))
C(r'\pi = 3.14159', "=", lambda v: (PI(), F(314159, 100000)))
C(r'-(-x)^2 = x^2', "=", lambda v: (-((-v.x)**2), v.x**2), "x", witness=({"x": 1},))
C(r'\sqrt{9} = 3', "=", lambda v: (sqrt(9), 3))

# --- q4: tanh-network weights t are the derived images of the sigmoid-network weights w ---------------------------
Q4 = "D# M# K# i@D j@M k@K w1[] w2[] x[] a[]"
Q4S = tuple(range(1, 9)) + (12, 20)


def q4(latex: str, rel: str, fn: Callable[[Any], tuple[Any, Any]], **kw: Any) -> None:
    """A q4 claim over sizes D, M, K, indices i, j, k, weights w1, w2 and inputs x, a."""
    C(latex, rel, fn, Q4, vocab="q4", sizes=Q4S, points=120, **kw)


def _hidden(v: Any, j: int) -> Any:
    """The sigmoid network's pre-activation of hidden unit j."""
    return v.w1[j, 0] + S(v.w1[j, i] * v.x[i] for i in rng_(1, v.D))


def _hidden_t(v: Any, j: int) -> Any:
    """The tanh network's pre-activation of hidden unit j."""
    return t1(v, j, 0) + S(t1(v, j, i) * v.x[i] for i in rng_(1, v.D))


q4(r't^{(1)}_{ji} = \frac{w^{(1)}_{ji}}{2}', "=", lambda v: (t1(v, v.j, v.i), v.w1[v.j, v.i] / 2))
q4(r't^{(1)}_{j0} = \frac{w^{(1)}_{j0}}{2}', "=", lambda v: (t1(v, v.j, 0), v.w1[v.j, 0] / 2))
q4(r't^{(2)}_{kj} = \frac{w^{(2)}_{kj}}{2}', "=", lambda v: (t2(v, v.k, v.j), v.w2[v.k, v.j] / 2))
q4(r't^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}', "=",
   lambda v: (t2(v, v.k, 0), v.w2[v.k, 0] + S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2))
q4(r't_{k0} = w_{k0} + \frac{1}{2}\sum_j w_{kj}', "=",
   lambda v: (t2(v, v.k, 0), v.w2[v.k, 0] + S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2))
q4(r't_{k0} - \sum_j t_{kj} = w_{k0}', "=",
   lambda v: (t2(v, v.k, 0) - S(t2(v, v.k, j) for j in rng_(1, v.M)), v.w2[v.k, 0]))
q4(r't_{k0} - 2\sum_j t_{kj} = w_{k0}', "=",
   lambda v: (t2(v, v.k, 0) - 2 * S(t2(v, v.k, j) for j in rng_(1, v.M)), v.w2[v.k, 0]),
   witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r't_{k0} = w_{k0} + \sum_j w_{kj}', "=",
   lambda v: (t2(v, v.k, 0), v.w2[v.k, 0] + S(v.w2[v.k, j] for j in rng_(1, v.M))),
   witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r't_{k0} = w_{k0} - \frac{1}{2}\sum_j w_{kj}', "=",
   lambda v: (t2(v, v.k, 0), v.w2[v.k, 0] - S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2),
   witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r't_{k0} = w_{k0}', "=", lambda v: (t2(v, v.k, 0), v.w2[v.k, 0]), witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r't_{k0} = \frac{w_{k0}}{2}', "=", lambda v: (t2(v, v.k, 0), v.w2[v.k, 0] / 2),
   witness=({"M": 1, "w2": {(1, 0): 1, (1, 1): 1}},))
q4(r't_{kj} = 2 w_{kj}', "=", lambda v: (t2(v, v.k, v.j), 2 * v.w2[v.k, v.j]), witness=({"w2": {(1, 1): 1}},))
q4(r't_{ji} = w_{ji}', "=", lambda v: (t1(v, v.j, v.i), v.w1[v.j, v.i]), witness=({"w1": {(1, 1): 1}},))
q4(r't_{kj} = \frac{w_{kj}}{2}', "=", lambda v: (t2(v, v.k, v.j), v.w2[v.k, v.j] / 2))
q4(r't_{ji} = \frac{w_{ji}}{2}', "=", lambda v: (t1(v, v.j, v.i), v.w1[v.j, v.i] / 2))
q4(r't_{k,j-1} = \frac{w_{k,j-1}}{2}', "=", lambda v: (t2(v, v.k, v.j - 1), v.w2[v.k, v.j - 1] / 2),
   witness=({"j": 1, "M": 1, "w2": {(1, 0): 0, (1, 1): 1}},))
q4(r't_{j,i-1} = \frac{w_{j,i-1}}{2}', "=", lambda v: (t1(v, v.j, v.i - 1), v.w1[v.j, v.i - 1] / 2))
q4(r't^{(2)}_{k1} = \frac{w^{(2)}_{k1}}{2}', "=", lambda v: (t2(v, v.k, 1), v.w2[v.k, 1] / 2))
q4(r'\sum_j t_{kj} = \frac{1}{2}\sum_j w_{kj}', "=",
   lambda v: (S(t2(v, v.k, j) for j in rng_(1, v.M)), S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2))
q4(r'\sum_{j=0}^{M} t_{kj} = w_{k0} + \sum_j w_{kj}', "=",
   lambda v: (S(t2(v, v.k, j) for j in rng_(0, v.M)), v.w2[v.k, 0] + S(v.w2[v.k, j] for j in rng_(1, v.M))))
q4(r'\sum_{j=0}^{M} t_{kj} = w_{k0} + \frac{1}{2}\sum_j w_{kj}', "=",
   lambda v: (S(t2(v, v.k, j) for j in rng_(0, v.M)), v.w2[v.k, 0] + S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2),
   witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r'\sum_{i=0}^{D} t_{ji} x_i = \frac{1}{2}\sum_{i=0}^{D} w_{ji} x_i', "=",
   lambda v: (S(t1(v, v.j, i) * v.x[i] for i in rng_(0, v.D)), S(v.w1[v.j, i] * v.x[i] for i in rng_(0, v.D)) / 2))
q4(r't_{j0} + \sum_i t_{ji} x_i = \frac{1}{2}(w_{j0} + \sum_i w_{ji} x_i)', "=",
   lambda v: (_hidden_t(v, v.j), _hidden(v, v.j) / 2))
q4(r'\tanh(t_{j0} + \sum_i t_{ji} x_i) = 2\sigma(w_{j0} + \sum_i w_{ji} x_i) - 1', "=",
   lambda v: (tanh(_hidden_t(v, v.j)), 2 * sig(_hidden(v, v.j)) - 1))
q4(r'\tanh(t_{j0} + \sum_i t_{ji} x_i) = 2\sigma(2 w_{j0} + 2\sum_i w_{ji} x_i) - 1', "=",
   lambda v: (tanh(_hidden_t(v, v.j)), 2 * sig(2 * _hidden(v, v.j)) - 1),
   witness=({"D": 1, "w1": {(1, 0): 1, (1, 1): 1}, "x": {1: 1}},))
q4(r't_{k0} + \sum_j t_{kj} \tanh(t_{j0} + \sum_i t_{ji} x_i) = w_{k0} + \sum_j w_{kj} '
   r'\sigma(w_{j0} + \sum_i w_{ji} x_i)', "=",
   lambda v: (t2(v, v.k, 0) + S(t2(v, v.k, j) * tanh(_hidden_t(v, j)) for j in rng_(1, v.M)),
              v.w2[v.k, 0] + S(v.w2[v.k, j] * sig(_hidden(v, j)) for j in rng_(1, v.M))))
q4(r't_{k0} + \sum_j t_{kj} \tanh(t_{j0} + \sum_i t_{ji} x_i) = w_{k0} + \sum_j w_{kj} '
   r'\sigma(2 w_{j0} + 2\sum_i w_{ji} x_i)', "=",
   lambda v: (t2(v, v.k, 0) + S(t2(v, v.k, j) * tanh(_hidden_t(v, j)) for j in rng_(1, v.M)),
              v.w2[v.k, 0] + S(v.w2[v.k, j] * sig(2 * _hidden(v, j)) for j in rng_(1, v.M))),
   witness=({"D": 1, "M": 1, "w1": {(1, 0): 1, (1, 1): 1}, "w2": {(1, 1): 1}, "x": {1: 1}},))
q4(r'\sum_j t^{(2)}_{kj} \tanh(a_j) = \sum_j \left(2 t^{(2)}_{kj} \sigma(2 a_j) - 1\right)', "=",
   lambda v: (S(t2(v, v.k, j) * tanh(v.a[j]) for j in rng_(1, v.M)),
              S(2 * t2(v, v.k, j) * sig(2 * v.a[j]) - 1 for j in rng_(1, v.M))),
   witness=({"M": 1, "w2": {(1, 1): 0}},))
q4(r'\sum_j t^{(2)}_{kj} \tanh(a_j) = \sum_j t^{(2)}_{kj} (2\sigma(2 a_j) - 1)', "=",
   lambda v: (S(t2(v, v.k, j) * tanh(v.a[j]) for j in rng_(1, v.M)),
              S(t2(v, v.k, j) * (2 * sig(2 * v.a[j]) - 1) for j in rng_(1, v.M))))
q4(r'\sum_j t_{kj} \tanh(a_j) = \sum_j w_{kj} \sigma(2 a_j) - \frac{1}{2}\sum_j w_{kj}', "=",
   lambda v: (S(t2(v, v.k, j) * tanh(v.a[j]) for j in rng_(1, v.M)),
              S(v.w2[v.k, j] * sig(2 * v.a[j]) for j in rng_(1, v.M)) - S(v.w2[v.k, j] for j in rng_(1, v.M)) / 2))
q4(r't_{k0} \ge w_{k0}', ">=", lambda v: (t2(v, v.k, 0), v.w2[v.k, 0]), witness=({"M": 1, "w2": {(1, 1): -1}},))
q4(r'2 t_{kj} - w_{kj} = 0', "=", lambda v: (2 * t2(v, v.k, v.j) - v.w2[v.k, v.j], 0))
q4(r'\sum_k t_{k0} = \sum_k w_{k0} + \frac{1}{2}\sum_k \sum_j w_{kj}', "=",
   lambda v: (S(t2(v, k, 0) for k in rng_(1, v.K)),
              S(v.w2[k, 0] for k in rng_(1, v.K)) + S(v.w2[k, j] for k in rng_(1, v.K) for j in rng_(1, v.M)) / 2))
q4(r't_{k0} - \sum_{j=1}^{M-1} t_{kj} = w_{k0}', "=",
   lambda v: (t2(v, v.k, 0) - S(t2(v, v.k, j) for j in rng_(1, v.M - 1)), v.w2[v.k, 0]),
   witness=({"M": 1, "w2": {(1, 1): 1}},))
q4(r't_{k0} - \sum_{j=1}^{M} t_{kj} = w_{k0}', "=",
   lambda v: (t2(v, v.k, 0) - S(t2(v, v.k, j) for j in rng_(1, v.M)), v.w2[v.k, 0]))
q4(r't_{k0} - \sum_{j=2}^{M} t_{kj} = w_{k0} + t_{k1}', "=",
   lambda v: (t2(v, v.k, 0) - S(t2(v, v.k, j) for j in rng_(2, v.M)), v.w2[v.k, 0] + t2(v, v.k, 1)))
C(r'\tanh(\frac{a}{2}) = 2\sigma(a) - 1', "=", lambda v: (tanh(v.a / 2), 2 * sig(v.a) - 1), "a", vocab="q4")
C(r'\frac{d}{da}\tanh(\frac{a}{2}) = 2\sigma(a)(1 - \sigma(a))', "=",
  lambda v: (Dx(lambda s: tanh(s / 2), v.a), 2 * sig(v.a) * (1 - sig(v.a))), "a", vocab="q4", lim=100)
q4(r't_{j0} = w_{j0}', "=", lambda v: (t1(v, v.j, 0), v.w1[v.j, 0]), witness=({"w1": {(1, 0): 1}},))
q4(r't_{kj} + t_{kj} = w_{kj}', "=", lambda v: (t2(v, v.k, v.j) + t2(v, v.k, v.j), v.w2[v.k, v.j]))

# --- q5: eigenvalues lambda_i >= 0, coordinates alpha_i, Kronecker delta ----------------------------------------
Q5 = "n# i@n j@n l[]+ al[] c"


def q5(latex: str, rel: str, fn: Callable[[Any], tuple[Any, Any]], **kw: Any) -> None:
    """A q5 claim over the size n, indices i, j, eigenvalues l (>= 0), coordinates al and a real c."""
    C(latex, rel, fn, Q5, vocab="q5", points=150, **kw)


def _ns(v: Any) -> range:
    return rng_(1, v.n)


q5(r'\lambda_i \ge 0', ">=", lambda v: (v.l[v.i], 0))
q5(r'\lambda_i > 0', ">", lambda v: (v.l[v.i], 0), witness=({"i": 1, "l": {1: 0}},))
q5(r'\sum_i \lambda_i \alpha_i^2 \ge 0', ">=", lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), 0))
q5(r'\sum_i \lambda_i \alpha_i^2 > 0', ">", lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), 0),
   witness=({"n": 1, "l": {1: 0}},))
q5(r'\frac{1}{2}\sum_i \lambda_i \alpha_i^2 \ge 0', ">=", lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)) / 2, 0))
q5(r'\sum_i \sum_j \alpha_i \alpha_j \delta_{ij} = \sum_i \alpha_i^2', "=",
   lambda v: (S(v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)), S(v.al[i]**2 for i in _ns(v))))
q5(r'\sum_i \sum_j \alpha_i \alpha_j \delta_{ij} = \left(\sum_i \alpha_i\right)^2', "=",
   lambda v: (S(v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)), S(v.al[i] for i in _ns(v))**2),
   witness=({"n": 2, "al": {1: 1, 2: 1}},))
q5(r'\frac{1}{2}\sum_i \sum_j \lambda_j \alpha_i \alpha_j \delta_{ij} = \frac{1}{2}\sum_i \lambda_i \alpha_i^2', "=",
   lambda v: (S(v.l[j] * v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)) / 2,
              S(v.l[i] * v.al[i]**2 for i in _ns(v)) / 2))
q5(r'\sum_i \sum_j \lambda_j \alpha_i \alpha_j \delta_{ij} = \sum_i \sum_j \lambda_i \alpha_i \alpha_j', "=",
   lambda v: (S(v.l[j] * v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)),
              S(v.l[i] * v.al[i] * v.al[j] for i in _ns(v) for j in _ns(v))),
   witness=({"n": 2, "l": {1: 1, 2: 1}, "al": {1: 1, 2: 1}},))
q5(r'\sum_j \delta_{ij} = 1', "=", lambda v: (S(kd(v.i, j) for j in _ns(v)), 1))
q5(r'\sum_j \delta_{ij} \alpha_j = \alpha_i', "=", lambda v: (S(kd(v.i, j) * v.al[j] for j in _ns(v)), v.al[v.i]))
q5(r'\sum_j \delta_{ij} \lambda_j \alpha_j = \lambda_i \alpha_i', "=",
   lambda v: (S(kd(v.i, j) * v.l[j] * v.al[j] for j in _ns(v)), v.l[v.i] * v.al[v.i]))
q5(r'\delta_{ii} = 1', "=", lambda v: (kd(v.i, v.i), 1))
q5(r'\delta_{ij} = 1', "=", lambda v: (kd(v.i, v.j), 1), witness=({"n": 2, "i": 1, "j": 2},))
q5(r'\delta_{ij} = \delta_{ji}', "=", lambda v: (kd(v.i, v.j), kd(v.j, v.i)))
q5(r'\delta_{ij}^2 = \delta_{ij}', "=", lambda v: (kd(v.i, v.j)**2, kd(v.i, v.j)))
q5(r'\delta_{ij} \ge 0', ">=", lambda v: (kd(v.i, v.j), 0))
q5(r'\delta_{ij} > 0', ">", lambda v: (kd(v.i, v.j), 0), witness=({"n": 2, "i": 1, "j": 2},))
q5(r'\sum_i \delta_{ii} = n', "=", lambda v: (S(kd(i, i) for i in _ns(v)), v.n))
q5(r'\sum_i \sum_j \delta_{ij} = n', "=", lambda v: (S(kd(i, j) for i in _ns(v) for j in _ns(v)), v.n))
q5(r'\sum_i \sum_j \delta_{ij} = n^2', "=", lambda v: (S(kd(i, j) for i in _ns(v) for j in _ns(v)), v.n**2),
   witness=({"n": 2},))
q5(r'\lambda_i \alpha_i^2 \ge 0', ">=", lambda v: (v.l[v.i] * v.al[v.i]**2, 0))
q5(r'\lambda_j \left(\sqrt{\frac{c^2}{\lambda_j}}\right)^2 = c^2', "=",
   lambda v: (v.l[v.j] * sqrt(v.c**2 / v.l[v.j])**2, v.c**2))
q5(r'\lambda_j \left(\sqrt{\frac{c^2}{\lambda_j}}\right)^2 = c', "=",
   lambda v: (v.l[v.j] * sqrt(v.c**2 / v.l[v.j])**2, v.c), witness=({"j": 1, "l": {1: 1}, "c": 2},))
q5(r'\sqrt{\lambda_i^2} = \lambda_i', "=", lambda v: (sqrt(v.l[v.i]**2), v.l[v.i]))
q5(r'\sqrt{\lambda_i}^2 = \lambda_i', "=", lambda v: (sqrt(v.l[v.i])**2, v.l[v.i]))
q5(r'\lambda_i + \lambda_j \ge 2\sqrt{\lambda_i \lambda_j}', ">=",
   lambda v: (v.l[v.i] + v.l[v.j], 2 * sqrt(v.l[v.i] * v.l[v.j])))
q5(r'\sqrt{\lambda_i \lambda_j} \le \lambda_i', "<=", lambda v: (sqrt(v.l[v.i] * v.l[v.j]), v.l[v.i]),
   witness=({"n": 2, "i": 1, "j": 2, "l": {1: 1, 2: 4}},))
q5(r'\sum_i \lambda_i \alpha_i^2 \le \left(\sum_i \lambda_i\right) \sum_i \alpha_i^2', "<=",
   lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), S(v.l[i] for i in _ns(v)) * S(v.al[i]**2 for i in _ns(v))))
q5(r'\sum_i \lambda_i \alpha_i^2 \ge \lambda_1 \alpha_1^2', ">=",
   lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), v.l[1] * v.al[1]**2))
q5(r'\sum_i \lambda_i \alpha_i^2 \le \lambda_1 \sum_i \alpha_i^2', "<=",
   lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), v.l[1] * S(v.al[i]**2 for i in _ns(v))),
   witness=({"n": 2, "l": {1: 0, 2: 1}, "al": {1: 1, 2: 1}},))
q5(r'\frac{1}{2}\sum_i \lambda_i \alpha_i^2 = \frac{1}{2}\sum_i \sum_j \lambda_i \alpha_i \alpha_j \delta_{ij}', "=",
   lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)) / 2,
              S(v.l[i] * v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)) / 2))
q5(r'\sum_i (\lambda_i + 1)\alpha_i^2 \ge \sum_i \alpha_i^2', ">=",
   lambda v: (S((v.l[i] + 1) * v.al[i]**2 for i in _ns(v)), S(v.al[i]**2 for i in _ns(v))))
q5(r'\sum_i \lambda_i \alpha_i \ge 0', ">=", lambda v: (S(v.l[i] * v.al[i] for i in _ns(v)), 0),
   witness=({"n": 1, "l": {1: 1}, "al": {1: -1}},))
q5(r'\sum_i \lambda_i \ge \lambda_j', ">=", lambda v: (S(v.l[i] for i in _ns(v)), v.l[v.j]))
q5(r'\sum_i \lambda_i > \lambda_j', ">", lambda v: (S(v.l[i] for i in _ns(v)), v.l[v.j]),
   witness=({"n": 1, "j": 1},))
q5(r'\sum_i \sum_j \lambda_i \alpha_i \alpha_j \delta_{ij} \ge 0', ">=",
   lambda v: (S(v.l[i] * v.al[i] * v.al[j] * kd(i, j) for i in _ns(v) for j in _ns(v)), 0))
q5(r'\sum_i \sum_j \lambda_i \alpha_i \alpha_j \ge 0', ">=",
   lambda v: (S(v.l[i] * v.al[i] * v.al[j] for i in _ns(v) for j in _ns(v)), 0),
   witness=({"n": 2, "l": {1: 1, 2: 0}, "al": {1: 1, 2: -2}},))
C(r'\lambda_i \ge 0', ">=", lambda v: (v.l[v.i], 0), "n# i@n l[]", witness=({"i": 1, "l": {1: -1}},))
C(r'\sum_i \lambda_i \alpha_i^2 \ge 0', ">=", lambda v: (S(v.l[i] * v.al[i]**2 for i in _ns(v)), 0), "n# l[] al[]",
  witness=({"n": 1, "l": {1: -1}, "al": {1: 1}},))

# --- q1: the residual block h1 = x * w1, z1 = ReLU(h1), h2 = z1 * w2, h3 = h2 + x, y = ReLU(h3) ----------------
# a * k with k a kernel: size-preserving cross-correlation (corr); a * b of two image-sized arrays: the
# kernel-sized correlation (kcorr) with the size of the kernel on the other side; dX = dL/dX by finite differences.
DY, DX = r'\frac{\partial L}{\partial y}', r'\frac{\partial L}{\partial x}'
DH1, DH2, DH3 = (rf'\frac{{\partial L}}{{\partial h^{{({n})}}}}' for n in (1, 2, 3))
DZ1, DW1, DW2 = r'\frac{\partial L}{\partial z^{(1)}}', r'\frac{\partial L}{\partial w^{(1)}}', \
    r'\frac{\partial L}{\partial w^{(2)}}'
DELTA3 = rf'\left({DY} \odot (h^{{(3)}} > 0)\right)'


def Q1(latex: str, rel: str, fn: Callable[[Any], tuple[Any, Any]]) -> None:
    """A q1 claim about arrays of the residual block."""
    C(latex, rel, fn, vocab="q1", kind="q1")


def _d3(n: Any) -> np.ndarray:
    return n.g * amask(n.h3)


def _dh1(n: Any) -> np.ndarray:
    return corr(_d3(n), flip(n.w2)) * amask(n.h1)


Q1(rf'{DW2} = \left({DY} \odot [h^{{(3)}} > 0]\right) * z^{{(1)}}', "=", lambda n: (n.dw2, kcorr(_d3(n), n.z1, n.k2)))
Q1(rf'{DW1} = \left(\left({DELTA3} * w^{{(2)}}_{{\text{{flip}}}}\right) \odot (h^{{(1)}} > 0)\right) * x', "=",
   lambda n: (n.dw1, kcorr(_dh1(n), n.x, n.k1)))
Q1(rf'{DX} = {DH3} + {DH1} * \operatorname{{flip}}(w^{{(1)}})', "=",
   lambda n: (n.dx, n.dh3 + corr(n.dh1, flip(n.w1))))
Q1(rf'{DZ1} = {DH3} * w^{{(2)}}_{{\text{{flip}}}}', "=", lambda n: (n.dz1, corr(n.dh3, flip(n.w2))))
Q1(rf'{DH3} = {DY} \odot [h^{{(3)}} > 0]', "=", lambda n: (n.dh3, n.g * amask(n.h3)))
Q1(rf'{DH2} = {DH3}', "=", lambda n: (n.dh2, n.dh3))
Q1(rf'{DH1} = {DZ1} \odot [h^{{(1)}} > 0]', "=", lambda n: (n.dh1, n.dz1 * amask(n.h1)))
Q1(rf'{DH1} = \left({DH3} * w^{{(2)}}_{{flip}}\right) \odot \mathbb{{1}}[h^{{(1)}} > 0]', "=",
   lambda n: (n.dh1, corr(n.dh3, flip(n.w2)) * amask(n.h1)))
Q1(rf'{DW2} = {DH2} * z^{{(1)}}', "=", lambda n: (n.dw2, kcorr(n.dh2, n.z1, n.k2)))
Q1(rf'{DW1} = {DH1} * x', "=", lambda n: (n.dw1, kcorr(n.dh1, n.x, n.k1)))
Q1(rf'{DX} = {DH3} + \left(\left({DH3} * w^{{(2)}}_{{\text{{flip}}}}\right) \odot (h^{{(1)}} > 0)\right) * '
   r'\operatorname{flip}(w^{(1)})', "=",
   lambda n: (n.dx, n.dh3 + corr(corr(n.dh3, flip(n.w2)) * amask(n.h1), flip(n.w1))))
Q1(rf'{DW2} = \left({DY} \odot [h^{{(3)}} > 0]\right) * \operatorname{{ReLU}}(h^{{(1)}})', "=",
   lambda n: (n.dw2, kcorr(_d3(n), arelu(n.h1), n.k2)))
Q1(rf'{DY} \odot [y > 0] = {DH3}', "=", lambda n: (n.g * amask(n.y), n.dh3))
Q1(r'h^{(3)} = h^{(2)} + x', "=", lambda n: (n.h3, n.h2 + n.x))
Q1(r'y = \mathrm{ReLU}(h^{(3)})', "=", lambda n: (n.y, arelu(n.h3)))
Q1(r'z^{(1)} = h^{(1)} \odot (h^{(1)} > 0)', "=", lambda n: (n.z1, n.h1 * amask(n.h1)))
Q1(r'h^{(2)} = z^{(1)} * w^{(2)}', "=", lambda n: (n.h2, corr(n.z1, n.w2)))
Q1(r'y \ge 0', ">=", lambda n: (n.y, Fraction(0)))
Q1(r'y \ge h^{(3)}', ">=", lambda n: (n.y, n.h3))
Q1(r'y \ge x', ">=", lambda n: (n.y, n.x))
Q1(r'[z^{(1)} > 0] = [h^{(1)} > 0]', "=", lambda n: (amask(n.z1), amask(n.h1)))
Q1(r'y - h^{(3)} = \mathrm{ReLU}(-h^{(3)})', "=", lambda n: (n.y - n.h3, arelu(-n.h3)))
Q1(r'\operatorname{flip}(\operatorname{flip}(w)) = w', "=", lambda n: (flip(flip(n.w)), n.w))
Q1(r'(u + 2v) * w = u * w + 2 (v * w)', "=", lambda n: (corr(n.u + 2 * n.v, n.w), corr(n.u, n.w) + 2 * corr(n.v, n.w)))
Q1(r'u \odot v = v \odot u', "=", lambda n: (n.u * n.v, n.v * n.u))
Q1(r'u * (w + w) = 2 (u * w)', "=", lambda n: (corr(n.u, n.w + n.w), 2 * corr(n.u, n.w)))
Q1(r'\operatorname{flip}(u * w) = \operatorname{flip}(u) * \operatorname{flip}(w)', "=",
   lambda n: (flip(corr(n.u, n.w)), corr(flip(n.u), flip(n.w))))
Q1(r'\operatorname{flip}(u * w) = \operatorname{flip}(u) * w', "=",
   lambda n: (flip(corr(n.u, n.w)), corr(flip(n.u), n.w)))
Q1(r'(u \odot v) * w = u \odot (v * w)', "=", lambda n: (corr(n.u * n.v, n.w), n.u * corr(n.v, n.w)))
Q1(r'\mathrm{ReLU}(u) - \mathrm{ReLU}(-u) = u', "=", lambda n: (arelu(n.u) - arelu(-n.u), n.u))
Q1(r'\mathrm{ReLU}(u + v) = \mathrm{ReLU}(u) + \mathrm{ReLU}(v)', "=",
   lambda n: (arelu(n.u + n.v), arelu(n.u) + arelu(n.v)))
Q1(r'\sigma(x) = 1 - \sigma(-x)', "=", lambda n: (asig(n.x), 1 - asig(-n.x)))
Q1(rf'{DW2} \neq 0', "!=", lambda n: (n.dw2, Fraction(0)))
Q1(rf'{DX} \neq {DH3}', "!=", lambda n: (n.dx, n.dh3))
Q1(r'u * \operatorname{flip}(w) \neq u * w', "!=", lambda n: (corr(n.u, flip(n.w)), corr(n.u, n.w)))
# false ones
Q1(rf'{DW1} = \left(\left({DY} (h^{{(2)}} > 0) * w^{{(2)}}_{{\text{{flip}}}}\right) \odot (h^{{(1)}} > 0)\right) * x',
   "=", lambda n: (n.dw1, kcorr(corr(n.g * amask(n.h2), flip(n.w2)) * amask(n.h1), n.x, n.k1)))
Q1(rf'{DX} = {DH3} + {DH1} * w^{{(1)}}', "=", lambda n: (n.dx, n.dh3 + corr(n.dh1, n.w1)))
Q1(rf'{DX} = {DH1} * \operatorname{{flip}}(w^{{(1)}})', "=", lambda n: (n.dx, corr(n.dh1, flip(n.w1))))
Q1(rf'{DZ1} = {DH3} * w^{{(2)}}', "=", lambda n: (n.dz1, corr(n.dh3, n.w2)))
Q1(rf'{DW2} = z^{{(1)}} * {DELTA3}', "=", lambda n: (n.dw2, kcorr(n.z1, _d3(n), n.k2)))
Q1(rf'{DW2} = {DY} * z^{{(1)}}', "=", lambda n: (n.dw2, kcorr(n.g, n.z1, n.k2)))
Q1(rf'{DH1} = {DH3} * w^{{(2)}}_{{flip}}', "=", lambda n: (n.dh1, corr(n.dh3, flip(n.w2))))
Q1(rf'{DH2} = {DY}', "=", lambda n: (n.dh2, n.g))
Q1(rf'{DW1} = {DH1} * \operatorname{{flip}}(x)', "=", lambda n: (n.dw1, kcorr(n.dh1, flip(n.x), n.k1)))
Q1(rf'{DX} = {DH3} + {DZ1} * \operatorname{{flip}}(w^{{(1)}})', "=",
   lambda n: (n.dx, n.dh3 + corr(n.dz1, flip(n.w1))))
Q1(rf'{DW1} = \left(\left({DH3} * w^{{(2)}}\right) \odot (h^{{(1)}} > 0)\right) * x', "=",
   lambda n: (n.dw1, kcorr(corr(n.dh3, n.w2) * amask(n.h1), n.x, n.k1)))
Q1(r'y = \mathrm{ReLU}(h^{(2)})', "=", lambda n: (n.y, arelu(n.h2)))
Q1(rf'{DH3} = {DY} \odot [h^{{(2)}} > 0]', "=", lambda n: (n.dh3, n.g * amask(n.h2)))
Q1(rf'{DW2} = {DELTA3} * h^{{(1)}}', "=", lambda n: (n.dw2, kcorr(_d3(n), n.h1, n.k2)))
Q1(rf'{DX} = {DH3} + {DH1} * \operatorname{{flip}}(w^{{(2)}})', "=", lambda n: (n.dx, n.dh3 + corr(n.dh1, flip(n.w2))))
Q1(rf'{DX} = {DH3} + \left(\left({DH3} * w^{{(2)}}_{{\text{{flip}}}}\right) \odot (h^{{(1)}} > 0)\right) * w^{{(1)}}',
   "=", lambda n: (n.dx, n.dh3 + corr(corr(n.dh3, flip(n.w2)) * amask(n.h1), n.w1)))
Q1(r'\operatorname{flip}(w) = w', "=", lambda n: (flip(n.w), n.w))
Q1(r'y = h^{(3)}', "=", lambda n: (n.y, n.h3))
Q1(r'h^{(1)} = x * w^{(2)}', "=", lambda n: (n.h1, corr(n.x, n.w2)))
Q1(r'h^{(1)} \le 0', "<=", lambda n: (n.h1, Fraction(0)))
Q1(r'x^{T} = x', "=", lambda n: (n.x.T, n.x))
Q1(rf'{DW2} = h^{{(1)}}', "=", lambda n: (n.dw2, n.h1))
Q1(rf'{DX} = {DY}', "=", lambda n: (n.dx, n.g))
Q1(rf'{DH1} = {DZ1}', "=", lambda n: (n.dh1, n.dz1))
Q1(rf'{DW2} \neq {DH2} * z^{{(1)}}', "!=", lambda n: (n.dw2, kcorr(n.dh2, n.z1, n.k2)))
Q1(r'[h^{(3)} > 0] = [y > 0]', "=", lambda n: (amask(n.h3), amask(n.y)))
Q1(r'z^{(1)} \le h^{(1)}', "<=", lambda n: (n.z1, n.h1))


if __name__ == "__main__":
    sys.exit(main())
