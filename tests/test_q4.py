"""Q4: the theorem is proven symbolically, and the false variants are rejected.

Each step of the proof is a test item of its own, collected from proofs/ by the derive pytest plugin.
"""

import pytest
import sympy as sp

from derive import Sigmoid, verify_claim
from proofs.q4_tanh_sigmoid import handwritten_bias_relation, tanh_sigmoid
from proofs.support.equivalence import sigmoid_tanh_map

PROOF = tanh_sigmoid()


def test_main_theorem_is_proven_symbolically():
    results = PROOF.verify()
    boxed = [r for r in results if r.step.boxed]
    assert boxed and all(r.evidence.symbolic for r in boxed if not r.step.by_points)
    assert all(r.evidence.status in ("agrees", "proven") for r in results if r.step.by_points)


m = sigmoid_tanh_map()
S, T = m.source, m.target
a = sp.Symbol("a", real=True)


def _network_with(rule_overrides):
    rules = {**m.rules, **rule_overrides}
    substitution = {T.weights()[name]: rule for name, rule in rules.items()}
    return T.output().xreplace(substitution)


FALSE_VARIANTS = {
    "handwritten bias t_k0 - 2 sum t_kj = w_k0": (
        _network_with({"b2": S.w2[S.k, 0] + sp.Sum(S.w2[S.k, S.j], (S.j, 1, S.M))}),
        S.output(),
    ),
    "factor 2 instead of 1/2 on the input weights": (
        _network_with({"W1": 2 * S.w1[S.j, S.i], "b1": 2 * S.w1[S.j, 0]}),
        S.output(),
    ),
    "factor 2 instead of 1/2 on the output weights": (_network_with({"W2": 2 * S.w2[S.k, S.j]}), S.output()),
    "tanh(a) = 2 sigma(a) - 1": (sp.tanh(a), 2 * Sigmoid(a) - 1),
    "tanh(a) = sigma(2a) - 1": (sp.tanh(a), Sigmoid(2 * a) - 1),
}


@pytest.mark.parametrize("name", FALSE_VARIANTS)
def test_false_variant_is_rejected(name):
    lhs, rhs = FALSE_VARIANTS[name]
    refutation = verify_claim(lhs, rhs)
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


def test_handwritten_bias_relation_is_false_under_the_true_map():
    lhs, rhs = handwritten_bias_relation()
    ev = verify_claim(lhs, rhs, hypotheses=m.substitution())
    assert ev.status == "refuted" and ev.counterexample
