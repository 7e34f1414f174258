from unittest import mock

import sympy as sp

from derive.functions import Sigmoid
from derive.verify.strategies import merge_sums, prove_zero

a = sp.Symbol("a", real=True)
w = sp.IndexedBase("w")
j, i, M = sp.symbols("j i M", integer=True, positive=True)


def test_tanh_identity_needs_rewrite_not_plain_simplify():
    expr = sp.tanh(a) - (2 / (1 + sp.exp(-2 * a)) - 1)
    assert prove_zero([expr], timeout=10).strategy == "rewrite(exp), simplify"


def test_sums_with_renamed_indices_merge():
    expr = sp.Sum(w[j] * sp.tanh(a), (j, 1, M)) - sp.Sum(w[i] * (2 * Sigmoid(2 * a) - 1), (i, 1, M))
    assert prove_zero([expr], timeout=10).strategy.startswith("merge sums")


def test_false_identity_is_not_proven():
    result = prove_zero([sp.tanh(a) - (2 * Sigmoid(a) - 1)], timeout=10)
    assert result.strategy is None


def test_merge_keeps_index_dependent_coefficients_apart():
    expr = j * sp.Sum(w[j], (j, 1, M))
    assert merge_sums(expr) == expr


def test_budget_expiry_gives_unknown():
    with mock.patch("derive.strategies.run_with_budget") as budget:
        budget.return_value = mock.Mock(value=None, timed_out=True)
        result = prove_zero([a - a], timeout=0.01)
    assert result.strategy is None and result.timed_out
