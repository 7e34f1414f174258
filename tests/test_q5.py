"""Q5: the key step is symbolic, and the false variants are rejected.

Each step of the proof is a test item of its own, collected from proofs/ by the derive pytest plugin.
"""

import numpy as np
import pytest
import sympy as sp

from derive import NotPositiveDefiniteError, ShapeError, verify_claim
from derive.calculus.eigen import eigen_sampler
from derive.calculus.quadratic import contour_axes
from derive.calculus.quadratic_model import quadratic_model
from proofs.q5_quadratic_surface import network_rows, quadratic_surface
from proofs.support.tanh_network import tanh_network_loss

PROOF = quadratic_surface()


def test_key_step_is_proven_symbolically():
    boxed = [PROOF.verify_step(sid, st) for sid, st in PROOF.steps() if st.boxed]
    assert boxed and all(r.evidence.symbolic for r in boxed if not r.step.by_points)
    assert all(r.evidence.status in ("agrees", "proven") for r in boxed if r.step.by_points)


m = quadratic_model()
c = m.c
lam = sp.Symbol("lambda", positive=True)
SAMPLER = eigen_sampler(m, sizes=(1, 3))
Q = m.quadratic_form()

FALSE_VARIANTS = {
    "semi-axis proportional to 1/lambda": (lam * (sp.sqrt(2 * c) / lam) ** 2 / 2, c, {}),
    "semi-axis sqrt(c/lambda) (a missing 1/2)": (lam * sp.sqrt(c / lam) ** 2 / 2, c, {}),
    "E - E* = sum lambda alpha^2 (a missing 1/2)": (Q, m.eigen_form(half=False), {"hypotheses": m.eigen_substitution(),
                                                                                  "sampler": SAMPLER}),
    "quadratic form without 1/2": (Q, m.quadratic_form(half=False), {}),
}


@pytest.mark.parametrize("name", FALSE_VARIANTS)
def test_false_variant_is_rejected(name):
    lhs, rhs, opts = FALSE_VARIANTS[name]
    refutation = verify_claim(lhs, rhs, **opts)
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


def test_true_end_to_end_identity_at_orthonormal_bases():
    ev = verify_claim(Q, m.eigen_form(), hypotheses=m.eigen_substitution(), sampler=SAMPLER, seed=3)
    assert ev.status in ("agrees", "proven")
    assert ev.counterexample is None and (ev.status == "proven" or ev.points > 0)


def test_key_step_fails_without_orthonormality():
    ev = verify_claim(Q, m.eigen_form(), hypotheses=m.eigen_substitution())
    assert ev.status == "refuted"


def test_ellipse_for_indefinite_hessian_is_refused():
    with pytest.raises(NotPositiveDefiniteError, match=r"eigenvalue -1\b.*negative") as info:
        contour_axes(np.array([[1.0, 2.0], [2.0, 1.0]]), 1.0)
    assert info.value.eigenvalue == pytest.approx(-1.0)


def test_positive_definite_claimed_at_flat_minimum_is_refuted():
    a, b = sp.symbols("a b", positive=True)
    w1, w2 = sp.symbols("w_1 w_2", real=True)
    H = sp.hessian(a * w1 ** 4 + b * w2 ** 2, (w1, w2)).subs({w1: 0, w2: 0})
    assert verify_claim(H.det(), 0, relation=">").status == "refuted"


def test_network_check_slope_is_cubic():
    strict, flat = network_rows()
    assert float(strict[3].strip("$")) > 0  # strict minimum: H positive definite
    assert "<10^{-" in flat[3]  # flat minimum: an eigenvalue zero to rounding
    for row in (strict, flat):
        assert "<10^{-1" in row[2]  # gradient vanishes
        assert abs(float(row[5]) - 3.0) < 0.1  # median log-log slope


def test_the_tiny_network():
    loss, params, (x, y) = tanh_network_loss(1)
    a, b, v, c = params
    assert sp.expand(loss - (y - v * sp.tanh(a * x + b) - c) ** 2 / 2) == 0
    with pytest.raises(ShapeError, match="at least one hidden unit"):
        tanh_network_loss(0)
