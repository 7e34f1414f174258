"""Q1: the boxed results and handwritten review verify; the false variants are rejected."""

import pytest

from derive import verify_claim
from derive.model.operators import Adjoint
from proofs.q1_residual_backprop import GRADS, W1, W2, X, elementwise_rules, false_variants, handwritten

RULES = elementwise_rules()


@pytest.mark.parametrize("leaf", [W2, W1, X], ids=str)
def test_boxed_result(leaf):
    assert verify_claim(Adjoint(leaf), GRADS.closed[leaf], hypotheses=RULES).status == "proven"


@pytest.mark.parametrize("name", list(false_variants()))
def test_false_variant_is_rejected(name):
    lhs, rhs = false_variants()[name]
    refutation = verify_claim(lhs, rhs, hypotheses=RULES)
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


def test_handwritten_review():
    for lhs, rhs, correct in handwritten().values():
        verdict = verify_claim(lhs, rhs, hypotheses=RULES)
        assert verdict.status == ("proven" if correct else "refuted")
        assert (verdict.counterexample is None) == correct


def test_lemmas_are_proven_for_symbolic_sizes():
    from proofs.q1_residual_backprop import lemma_proofs

    assert all(lemma_proofs().values())


def test_figure_is_generated_from_the_graph():
    from proofs.q1_residual_backprop import BLOCK, tikz_graph

    tikz = tikz_graph()
    nodes = len(BLOCK.inputs) + len(BLOCK.nodes) + len(BLOCK.kernels)
    assert tikz.count(r"\node[") == 2 * nodes  # every array and its adjoint
    assert r"\operatorname{flip}\left(w^{(2)}\right)" in tikz and "(skip)" in tikz
