"""The softmax head: derived gradients, wrong signs rejected, finite differences, parameter counts."""

import numpy as np
import pytest
import sympy as sp

from derive import verify_claim
from derive.calculus.softmax import finite_difference_error, softmax_head, softmax_xent, softmax_xent_gradients
from derive.config import VerifyConfig
from derive.errors import InvalidLayerError, ShapeError
from derive.model.params import Layer, count_by_block, dense_count

HEAD = softmax_head()
ONE = {HEAD.label_sum(): 1}


def test_gradients_take_the_textbook_form():
    i, j = HEAD.i, HEAD.j
    gW = HEAD.gradient(HEAD.W[i, j]).xreplace(ONE)
    gb = HEAD.gradient(HEAD.b[i]).xreplace(ONE)
    assert verify_claim(gW, (HEAD.p[i] - HEAD.y[i]) * HEAD.z[j]).status == "proven"
    assert verify_claim(gb, HEAD.p[i] - HEAD.y[i]).status == "proven"


@pytest.mark.parametrize("wrong", ["sign", "transpose-free", "no z"])
def test_wrong_gradients_are_rejected(wrong):
    i, j = HEAD.i, HEAD.j
    variants = {"sign": (HEAD.y[i] - HEAD.p[i]) * HEAD.z[j], "transpose-free": HEAD.p[i] * HEAD.z[j],
                "no z": HEAD.p[i] - HEAD.y[i]}
    g = HEAD.gradient(HEAD.W[i, j])
    verdict = verify_claim(g, variants[wrong], hypotheses=ONE)
    assert verdict.status == "refuted" and verdict.holds is False
    assert verdict.counterexample and verdict.counterexample.lhs != verdict.counterexample.rhs


def test_derived_bias_gradient_matches_raw_diff_on_small_sizes():
    head = softmax_head(2, 2)
    raw = sp.diff(head.log_softmax_loss(), head.b[head.i])
    assert verify_claim(raw, head.gradient(head.b[head.i]), hypotheses=head.probability_rules()).status in (
        "proven", "agrees")


@pytest.mark.parametrize("C, F", [(2, 1), (7, 5)])
def test_finite_differences(C, F):
    rng = np.random.default_rng(C)
    W, b, Z = rng.normal(size=(C, F)), rng.normal(size=C), rng.normal(size=(4, F))
    Y = np.eye(C)[rng.integers(0, C, 4)]
    gW, gb = softmax_xent_gradients(W, b, Z, Y)
    assert finite_difference_error(lambda w: softmax_xent(w, b, Z, Y), gW, W) < 1e-6
    assert finite_difference_error(lambda v: softmax_xent(W, v, Z, Y), gb, b) < 1e-6
    assert finite_difference_error(lambda w: softmax_xent(w, b, Z, Y), -gW, W) > 0.5


def test_shape_error():
    with pytest.raises(ShapeError, match="head shapes disagree"):
        softmax_xent(np.zeros((3, 2)), np.zeros(3), np.zeros((1, 4)), np.zeros((1, 3)))


def test_parameter_counts():
    layers = (Layer("conv", 3, 64, 7, block="stem"), Layer("bn", 64, 64, block="stem"),
              Layer("conv", 64, 512, 3, bias=True, block="body"), Layer("dense", 512, 200, block="head"))
    blocks = count_by_block(layers)
    assert blocks == {"stem": 9408 + 128, "body": 9 * 64 * 512 + 512, "head": 512 * 200 + 200}
    assert blocks["head"] == dense_count(512, 200)
    closed = verify_claim(blocks["head"], sp.Integer(512 * 1000 + 1000))
    assert closed.status == "refuted" and closed.counterexample.lhs == 512 * 200 + 200
    assert verify_claim(blocks["head"], sp.Integer(512 * 200 + 200)).status == "proven"  # a closed claim
    with pytest.raises(InvalidLayerError, match="unknown layer kind"):
        Layer("pool", 1, 1).count()
    with pytest.raises(InvalidLayerError, match=">= 1"):
        Layer("dense", 0, 3).count()


def _combined(wrt, rhs, **kw):
    hyp = {sp.Derivative(sp.Symbol("L"), wrt): sp.diff(HEAD.log_softmax_loss(), wrt),
           HEAD.p[HEAD.i]: HEAD.probability(HEAD.i)}
    return verify_claim(sp.Derivative(sp.Symbol("L"), wrt), rhs, hypotheses=hyp, config=VerifyConfig(timeout=0.5), **kw)


def test_combined_step_needs_targets_that_sum_to_one():
    i, j = HEAD.i, HEAD.j
    right = (HEAD.p[i] - HEAD.y[i]) * HEAD.z[j]
    assert _combined(HEAD.W[i, j], right, sampler=HEAD.target_sampler()).status in ("agrees", "proven")
    assert _combined(HEAD.W[i, j], right).status == "refuted"  # arbitrary y: the sum of y does not cancel
    wrong = (HEAD.y[i] - HEAD.p[i]) * HEAD.z[j]
    refutation = _combined(HEAD.W[i, j], wrong, sampler=HEAD.target_sampler())
    assert refutation.status == "refuted" and refutation.counterexample


def test_target_sampler_rejects_bad_sizes():
    with pytest.raises(ShapeError, match="class counts"):
        HEAD.target_sampler((0, 2))
