"""Q3: every step verifies, false decompositions are rejected, and the experiment is deterministic."""

import numpy as np
import pytest

from derive import verify_claim
from derive.calculus.expectation import expectation_hypotheses
from derive.errors import InvalidLevelError
from proofs.q3_bias_variance import (
    DATA_NAMES,
    MODEL,
    RULES_ALL,
    TRAINED,
    TRAINED_DATA,
    bias_variance,
    data_files,
    decomposition,
    expected_error,
    false_variants,
)
from proofs.support.bias_variance import (
    BiasVarianceConfig,
    TrainedConfig,
    data_file,
    measure,
    run,
    run_trained,
    train_tanh_nets,
)

PROOF = bias_variance()
SMALL = BiasVarianceConfig(widths=(2, 25, 200), datasets=20, grid=30)


def test_decomposition_is_proven_symbolically():
    results = PROOF.verify()
    boxed = [r for r in results if r.step.boxed]
    assert boxed and all(r.evidence.symbolic for r in boxed if not r.step.by_points)
    assert all(r.evidence.status in ("agrees", "proven") for r in results if r.step.by_points)


@pytest.mark.parametrize("name", list(false_variants()))
def test_false_decomposition_is_rejected(name):
    lhs, rhs = expected_error(), false_variants()[name]
    hyp = expectation_hypotheses(MODEL, lhs, rhs, rules=RULES_ALL)
    verdict = verify_claim(lhs, rhs, hypotheses=hyp)
    assert verdict.status == "refuted" and verdict.holds is False
    assert verdict.counterexample and verdict.counterexample.lhs != verdict.counterexample.rhs


def test_decomposition_needs_the_moment_rules():
    lhs, rhs = expected_error(), decomposition()
    hyp = expectation_hypotheses(MODEL, lhs, rhs, rules=("definitions", "linearity"))
    assert verify_claim(lhs, rhs, hypotheses=hyp).status == "refuted"


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


TRAINED_SMALL = TrainedConfig(widths=(1, 8), datasets=6, grid=30, epochs=300)


def test_trained_regime_is_deterministic_adds_up_and_trains():
    a = run_trained.__wrapped__(TRAINED_SMALL)
    assert data_file(a, train=True) == data_file(run_trained.__wrapped__(TRAINED_SMALL), train=True)
    for r in a:
        assert abs(r.gap) < 0.2 * r.error
    assert a[1].train_error < a[0].train_error  # eight trained units fit better than one


def test_trained_data_file_is_written():
    files = data_files()
    assert set(files) == {*DATA_NAMES.values(), TRAINED_DATA}
    assert files[TRAINED_DATA].splitlines()[0].split()[-1] == "train"
    assert len(files[TRAINED_DATA].splitlines()) == 1 + len(TRAINED.widths)


def test_training_rejects_bad_settings():
    with pytest.raises(InvalidLevelError, match="lr > 0"):
        train_tanh_nets(np.zeros((1, 3)), np.zeros((1, 3)), 2, TrainedConfig(lr=0.0), np.random.default_rng(0))
