from unittest import mock

import pytest
import sympy as sp

from derive.model.activations import Sigmoid
from derive.verify.strategies import STRATEGIES, prove_zero
from derive.verify.sum_rewrites import merge_sums

a = sp.Symbol("a", real=True)
w = sp.IndexedBase("w")
j, i, M = sp.symbols("j i M", integer=True, positive=True)


def test_tanh_identity_needs_rewrite_not_plain_simplify():
    expr = sp.tanh(a) - (2 / (1 + sp.exp(-2 * a)) - 1)
    assert prove_zero([expr], timeout=10).strategy == "rewrite(exp), simplify"


def test_sums_with_renamed_indices_merge():
    expr = sp.Sum(w[j] * sp.tanh(a), (j, 1, M)) - sp.Sum(w[i] * (2 * Sigmoid(2 * a) - 1), (i, 1, M))
    assert prove_zero([expr], timeout=10).strategy.startswith("merge sums")


@pytest.mark.parametrize("expr", [
    sp.tanh(a) - (2 * Sigmoid(a) - 1),
    sp.Sum(w[j], (j, 1, M)) - sp.Sum(w[j], (j, 2, M)),
    sp.Sum(w[j], (j, 1, M)) - M * w[1],
    sp.cosh(a) ** 2 + sp.sinh(a) ** 2 - 1,
    sp.Rational(1, 10**60) * sp.tanh(a) ** 2,
])
def test_false_identity_is_not_proven(expr):
    result = prove_zero([expr], timeout=10)
    assert result.strategy is None and not result.timed_out


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.name)
def test_no_single_strategy_proves_a_false_identity(strategy):
    for expr in (a**2 - a, sp.tanh(a) - (2 * Sigmoid(a) - 1), sp.Sum(w[j], (j, 1, M)) - sp.Sum(w[i], (i, 1, M - 1))):
        assert prove_zero([expr], timeout=10, strategies=(strategy,)).strategy is None


def test_every_expression_must_be_zero():
    assert prove_zero([a - a, a**2 - a], timeout=10).strategy is None
    assert prove_zero([a - a, 2 * a - a - a], timeout=10).strategy is not None


def test_merge_keeps_index_dependent_coefficients_apart():
    expr = j * sp.Sum(w[j], (j, 1, M))
    assert merge_sums(expr) == expr


def test_budget_expiry_gives_unknown():
    with mock.patch("derive.verify.strategies.run_with_budget") as budget:
        budget.return_value = mock.Mock(value=None, timed_out=True)
        result = prove_zero([a - a], timeout=0.01)
    assert result.strategy is None and result.timed_out
