"""Q2: every step verifies, the three checks agree in the document, and the false variants are rejected."""

import numpy as np
import pytest
import sympy as sp

from derive import verify_claim
from derive.calculus.receptive import influence_region, receptive_field
from proofs.q2_receptive_field import (
    ALEXNET,
    ASSIGNMENT,
    VGG16,
    N,
    X,
    Y,
    border_cases,
    border_sampler,
    count_formula,
    influence_regions,
    interior_sampler,
    receptive_field_recurrence,
)

PROOFS = [receptive_field_recurrence(), influence_regions()]


def test_induction_steps_are_proven_symbolically():
    results = PROOFS[0].verify()
    assert results and all(r.evidence.symbolic for r in results if not r.step.by_points)
    assert all(r.evidence.status in ("agrees", "proven") for r in results if r.step.by_points)


def test_border_table_counts_agree():
    rows = border_cases()
    assert [row[2] for row in rows] == [25, 42, 45, 81]
    assert all(len(set(row[2:])) == 1 for row in rows)


def test_well_known_architectures():
    alex, vgg = receptive_field(ALEXNET), receptive_field(VGG16)
    assert (alex.size, alex.stride) == (195, 32)
    assert (vgg.size, vgg.stride, vgg.padding) == (212, 32, 90)
    assert receptive_field(VGG16[:-1]).size == 196


def test_formula_matches_the_exact_sets_on_every_pixel():
    formula, n = count_formula(), 11
    for i in range(n):
        for j in range(n):
            value = formula.xreplace({X: i, Y: j, N: n})
            assert value == influence_region(ASSIGNMENT, (n, n), (i, j)).count


FALSE_VARIANTS = {
    "81 units for a corner pixel": (count_formula(), sp.Integer(81), border_sampler),
    "9 units for a corner pixel": (count_formula(), sp.Integer(9), border_sampler),
    "r^2 = 1 + sum(k - 1) = 9 squared ignores the border": (count_formula(), sp.Integer(81),
                                                            lambda rng: {N: sp.Integer(9), X: sp.Integer(0),
                                                                         Y: sp.Integer(int(rng.integers(0, 9)))}),
    "interior count (1 + 2L)^2 with L = 3": (count_formula(), sp.Integer(49), interior_sampler),
}


@pytest.mark.parametrize("name", FALSE_VARIANTS)
def test_false_variant_is_rejected(name):
    lhs, rhs, sampler = FALSE_VARIANTS[name]
    refutation = verify_claim(lhs, rhs, sampler=sampler)
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


def test_corner_counterexample_is_25():
    ev = verify_claim(count_formula(), sp.Integer(81), sampler=border_sampler)
    assert ev.status == "refuted"
    point = ev.counterexample
    assert point.lhs == 25 and point.rhs == 81 and point.lhs_text == "25"
    values = dict(point.assignments)
    assert np.isin(int(values[X]), [0, int(values[N]) - 1])
    assert np.isin(int(values[Y]), [0, int(values[N]) - 1])
    assert point.record()[str(X)] == str(values[X])


def test_influence_steps_pass_and_point_checks_are_not_called_proofs():
    results = PROOFS[1].verify()
    assert results and all(r.ok for r in results)
    assert all(r.evidence.status in ("agrees", "proven") for r in results if r.step.by_points)
    assert all(r.evidence.status == "proven" for r in results if not r.step.by_points and r.step.expect)
