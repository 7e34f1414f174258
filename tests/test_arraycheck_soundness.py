"""Soundness of the array checker: exact references, kinks, precision, coverage of the points, cost.

The gradients of the residual block are checked against an independent reference: with the masks of a
point frozen, the block is linear in each of ``x``, ``w1``, ``w2`` separately, so every entry of a gradient
is ``L(θ + e) - L(θ)`` for the unit array ``e``, computed here by plain loops in exact rationals.
"""

import dataclasses
import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from derive.claims.arraycheck import CONFIGS, PROFILES, ArrayConfig, ArrayModel, _Ctx, _draw_array
from derive.claims.check import check
from derive.claims.parse import Convolve, Flip, parse_claim
from derive.model.operators import Adjoint
from proofs.vocabulary import q1


# --- an independent exact reference for the residual block ------------------------------------------------
def _corr(x, w):
    H, W = len(x), len(x[0])
    k = len(w)
    p = (k - 1) // 2
    return [[sum((w[a][b] * x[i + a - p][j + b - p] for a in range(k) for b in range(k)
                  if 0 <= i + a - p < H and 0 <= j + b - p < W), Fraction(0)) for j in range(W)] for i in range(H)]


def _loss(x, w1, w2, g, m1, m3):
    """``<g, y>`` with the masks ``m1 = [h1 > 0]``, ``m3 = [h3 > 0]`` frozen."""
    h1 = _corr(x, w1)
    z1 = [[m1[i][j] * h1[i][j] for j in range(len(x[0]))] for i in range(len(x))]
    h2 = _corr(z1, w2)
    return sum(g[i][j] * m3[i][j] * (h2[i][j] + x[i][j]) for i in range(len(x)) for j in range(len(x[0])))


def _reference(x, w1, w2, g):
    h1 = _corr(x, w1)
    m1 = [[Fraction(int(v > 0)) for v in row] for row in h1]
    h2 = _corr([[m * v for m, v in zip(mr, hr)] for mr, hr in zip(m1, h1)], w2)
    h3 = [[a + b for a, b in zip(r2, rx)] for r2, rx in zip(h2, x)]
    assert all(v != 0 for row in h1 + h3 for v in row), "the reference needs a point off the kinks"
    m3 = [[Fraction(int(v > 0)) for v in row] for row in h3]
    base = _loss(x, w1, w2, g, m1, m3)
    out = {}
    for name, arr in (("x", x), ("w^{(1)}", w1), ("w^{(2)}", w2)):
        grad = []
        for i in range(len(arr)):
            row = []
            for j in range(len(arr[0])):
                moved = [list(r) for r in arr]
                moved[i][j] += 1
                args = {"x": x, "w^{(1)}": w1, "w^{(2)}": w2, name: moved}
                row.append(_loss(args["x"], args["w^{(1)}"], args["w^{(2)}"], g, m1, m3) - base)
            grad.append(row)
        out[name] = grad
    return out


@pytest.mark.parametrize("shape, kernels", [((1, 1), (3, 1)), ((1, 4), (5, 3)), ((2, 3), (5, 5)), ((3, 2), (1, 3)),
                                            ((4, 4), (3, 5)), ((3, 5), (3, 1))])
@pytest.mark.parametrize("profile", PROFILES)
def test_gradients_equal_an_exact_reference(shape, kernels, profile):
    vocab = q1()
    model = vocab.operator_evaluator
    x, w1, w2 = (vocab.symbols[n] for n in ("x", "w^{(1)}", "w^{(2)}"))
    g = Adjoint(vocab.symbols["y"])
    point = model._point(ArrayConfig(shape, (*kernels, 3)), _Ctx(), [7, len(profile), 0, 0], profile)
    ok, _ = model._off_kinks(point, model.kinks(), np.random.default_rng(1))
    assert ok
    leaves = {a: point.leaf(a).tolist() for a in (x, w1, w2, g)}
    ref = _reference(leaves[x], leaves[w1], leaves[w2], leaves[g])
    for name in ("x", "w^{(1)}", "w^{(2)}"):
        ours, exact = model._eval(model.gradients[name], point, None)
        assert exact and ours.tolist() == ref[name], name


# --- true claims are never refuted, at many seeds ------------------------------------------------------------
SMALL = tuple(c for c in CONFIGS if c.shape[0] * c.shape[1] <= 16)
TRUE_AE = [
    r"[u > 0] + [-u > 0] = 1",
    r"u \odot [u > 0] = \mathrm{ReLU}(u)",
    r"[\mathrm{ReLU}(u) > 0] = [u > 0]",
    r"[x^{T} > 0] + [-x^{T} > 0] = 1",
    r"[\operatorname{flip}(w) > 0] + [-\operatorname{flip}(w) > 0] = 1",
    r"[z^{(1)} > 0] = [h^{(1)} > 0]",
    r"\frac{\partial L}{\partial y} \odot [y > 0] = \frac{\partial L}{\partial y} \odot [h^{(3)} > 0]",
    r"\frac{\partial L}{\partial h^{(1)}} = \left(\frac{\partial L}{\partial h^{(3)}} * w^{(2)}_{flip}\right)"
    r" \odot [h^{(1)} > 0]",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \frac{\partial L}{\partial h^{(1)}}"
    r" * \operatorname{flip}(w^{(1)})",
    r"\mathrm{ReLU}(h^{(1)}) - \mathrm{ReLU}(-h^{(1)}) = h^{(1)}",
    r"x^{-1} \odot x^{-1} = (x \odot x)^{-1}",
]


def _sides(claim):
    vocab = q1()
    parsed = parse_claim(claim, vocabulary=vocab)
    return vocab, vocab.substitute(parsed.lhs), vocab.substitute(parsed.rhs), parsed.relation


@pytest.mark.parametrize("claim", TRUE_AE)
def test_true_claims_are_never_refuted(claim):
    vocab, lhs, rhs, relation = _sides(claim)
    model = dataclasses.replace(vocab.operator_evaluator, configs=SMALL)
    for seed in range(12):
        v = model(lhs, rhs, relation, seed)
        assert v.status == "agrees", (seed, v)
        assert v.qualifier == "almost everywhere" and v.points >= 1


def test_structural_zeros_are_values_not_kinks():
    v = check(r"[z^{(1)} > 0] = [h^{(1)} > 0]", question="q1")  # z1 = ReLU(h1) is 0 wherever h1 < 0
    assert v.status == "agrees" and v.points == sum(c.points for c in CONFIGS) and not v.notes


def test_undefined_points_are_excluded():
    v = check(r"x^{-1} = x^{-1}", question="q1")
    assert v.status == "agrees" and any("undefined" in e for e in v.excluded)


# --- nothing is decided in float64 ----------------------------------------------------------------------------
@pytest.mark.parametrize("claim, confirmed", [
    (r"(1 + 10^{-20}) u = u", "exact rational arithmetic"),
    (r"u + 10^{-300} \odot v = u", "exact rational arithmetic"),
    (r"\sigma(u) = \sigma(u) + 10^{-40}", "interval arithmetic at 192 bits"),
])
def test_differences_below_float64_resolution_are_found(claim, confirmed):
    v = check(claim, question="q1")
    assert v.status == "refuted" and v.counterexample.confirmed == confirmed, v


def test_tiny_terms_do_not_break_agreement():
    v = check(r"u + 10^{-300} \odot v = 10^{-300} \odot v + u", question="q1")
    assert v.status == "agrees"


# --- the points -------------------------------------------------------------------------------------------------
def test_configs_cover_small_non_square_large_and_oversized_kernels():
    shapes = {c.shape for c in CONFIGS}
    assert (1, 1) in shapes and any(h != w for h, w in shapes) and max(h * w for h, w in shapes) >= 256
    assert any(k > min(c.shape) for c in CONFIGS for k in c.kernels)
    assert all(k % 2 == 1 for c in CONFIGS for k in c.kernels)


def test_entries_come_from_the_mixture():
    rng = np.random.default_rng(0)
    values = [v for profile in PROFILES for _ in range(20) for v in _draw_array(rng, (4, 4), profile).ravel()]
    assert all(type(v) is Fraction for v in values)
    assert {Fraction(0), Fraction(1), Fraction(-1)} <= set(values)
    assert any(v.denominator >= 2**60 for v in values)
    assert any(abs(v) >= 10**5 for v in values) and any(0 < abs(v) <= Fraction(1, 10**5) for v in values)


def test_a_leaf_does_not_depend_on_the_other_leaves_used():
    model = q1().operator_evaluator
    x = sp.Symbol("x")
    a = model._point(CONFIGS[4], _Ctx(), [3, 4, 0, 0], "mixture")
    b = model._point(CONFIGS[4], _Ctx(), [3, 4, 0, 0], "mixture")
    a.leaf(sp.Symbol("u"))
    assert a.leaf(x).tolist() == b.leaf(x).tolist()


def test_a_model_without_gradients_and_its_own_configs():
    x, w = sp.symbols("x w")
    model = ArrayModel(images=(x,), kernels=(w,), configs=(ArrayConfig((2, 2), (3,), 3),))
    v = model(Convolve(x, Flip(Flip(w))), Convolve(x, w), "=", 0)
    assert v.status == "agrees" and v.points == 3
    assert model(Convolve(x, Flip(w)), Convolve(x, w), "=", 0).status == "refuted"


# --- cost -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("claim", [
    r"\frac{\partial L}{\partial w^{(1)}} = \left(\left(\left(\frac{\partial L}{\partial y} \odot (h^{(3)} > 0)"
    r"\right) * w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)\right) * x",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \frac{\partial L}{\partial h^{(1)}}"
    r" * \operatorname{flip}(w^{(1)})",
    r"\sigma(x) = 1 - \sigma(-x)",
])
def test_a_true_claim_is_checked_in_about_a_second(claim):
    check(claim, question="q1")  # warm: the vocabulary, the parser, the caches
    start = time.perf_counter()
    v = check(claim, question="q1")
    assert v.status == "agrees"
    assert time.perf_counter() - start < 2.5
