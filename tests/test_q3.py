"""Q3: every step verifies, false decompositions are rejected, and the experiment is deterministic."""

import pytest

from derive import verify_claim
from derive.expectation import expectation_hypotheses
from derive.experiments.bias_variance import BiasVarianceConfig, data_file, measure, run
from proofs.q3_bias_variance import MODEL, RULES_ALL, bias_variance, decomposition, expected_error, false_variants

PROOF = bias_variance()
SMALL = BiasVarianceConfig(widths=(2, 25, 200), datasets=20, grid=30)


@pytest.mark.parametrize("step_id, step", list(PROOF.steps()), ids=[sid for sid, _ in PROOF.steps()])
def test_step(step_id, step):
    result = PROOF.verify_step(step_id, step)
    assert result.ok, result.evidence


def test_decomposition_is_proven_symbolically():
    boxed = [r for r in PROOF.verify() if r.step.boxed]
    assert boxed and all(r.evidence.symbolic for r in boxed)


@pytest.mark.parametrize("name", list(false_variants()))
def test_false_decomposition_is_rejected(name):
    lhs, rhs = expected_error(), false_variants()[name]
    hyp = expectation_hypotheses(MODEL, lhs, rhs, rules=RULES_ALL)
    assert verify_claim(lhs, rhs, hypotheses=hyp).status == "failed"
    assert verify_claim(lhs, rhs, hypotheses=hyp, expect=False).status == "refuted"


def test_decomposition_needs_the_moment_rules():
    lhs, rhs = expected_error(), decomposition()
    hyp = expectation_hypotheses(MODEL, lhs, rhs, rules=("definitions", "linearity"))
    assert verify_claim(lhs, rhs, hypotheses=hyp).status == "failed"


def test_experiment_is_deterministic_and_adds_up():
    a = run.__wrapped__(SMALL)
    b = run.__wrapped__(SMALL)
    assert data_file(a["ridge"]) == data_file(b["ridge"]) and data_file(a["min-norm"]) == data_file(b["min-norm"])
    for rows in a.values():
        for r in rows:
            assert abs(r.gap) < 0.2 * r.error  # sampled cross terms of a small run


def test_min_norm_variance_peaks_near_interpolation_threshold():
    rows = {r.H: r for r in measure_rows()}
    assert rows[25].variance > 10 * rows[2].variance and rows[25].variance > 10 * rows[200].variance


def measure_rows():
    return [measure(SMALL, H, 0.0) for H in SMALL.widths]
