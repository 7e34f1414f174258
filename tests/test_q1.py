"""Q1: the boxed results and handwritten review verify; the false variants are rejected."""

import pytest

from derive import verify_claim
from proofs.q1_residual_backprop import W1, W2, Elementwise, Partial, X, closed, false_variants, handwritten

ELEMENTWISE = Elementwise()


@pytest.mark.parametrize("leaf", [W2, W1, X], ids=str)
def test_boxed_result(leaf):
    form = closed(leaf)
    assert verify_claim(Partial(leaf), form, hypotheses=ELEMENTWISE.rules(form)).status == "proven"


@pytest.mark.parametrize("name", list(false_variants()))
def test_false_variant_is_rejected(name):
    lhs, rhs = false_variants()[name]
    refutation = verify_claim(lhs, rhs, hypotheses=ELEMENTWISE.rules(rhs))
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


def test_handwritten_review():
    for lhs, rhs, correct in handwritten().values():
        verdict = verify_claim(lhs, rhs, hypotheses=ELEMENTWISE.rules(rhs))
        assert verdict.status == ("proven" if correct else "refuted")
        assert (verdict.counterexample is None) == correct


def test_lemmas_are_proven_for_symbolic_sizes():
    from proofs.q1_residual_backprop import lemma_proofs

    assert all(lemma_proofs().values())


def test_figure_is_generated_from_the_graph():
    from proofs.q1_residual_backprop import BLOCK, tikz_graph

    tikz = tikz_graph()
    nodes = len(BLOCK.spec.leaves) + len(BLOCK.spec.order)
    assert tikz.count(r"\node[") == 2 * nodes  # every array and its adjoint
    assert r"\operatorname{flip}\left(w^{(2)}\right)" in tikz and "(skip)" in tikz
