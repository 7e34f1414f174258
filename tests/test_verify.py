import pytest
import sympy as sp

from derive.config import VerifyConfig
from derive.functions import ReLU, Sigmoid
from derive.verify import verify_claim

a, b = sp.symbols("a b", real=True)


def test_symbolic_proof_is_cross_checked():
    ev = verify_claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1)
    assert ev.status == "proven" and ev.max_rel_error is not None and ev.max_rel_error < 1e-12


def test_exact_evidence_when_no_strategy_applies():
    with_budget = VerifyConfig(timeout=5)
    ev = verify_claim(ReLU(a) - ReLU(-a), a, config=with_budget)
    assert ev.status in ("proven", "exact")


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (sp.tanh(a), 2 * Sigmoid(a) - 1),
        ((a + b) ** 2, a**2 + b**2),
        (ReLU(a), a),
        (a / 2, a / 3),
    ],
)
def test_false_claims_are_refuted(lhs, rhs):
    assert verify_claim(lhs, rhs).status == "refuted"
    refutation = verify_claim(lhs, rhs)
    assert refutation.status == "refuted" and refutation.counterexample


def test_refuting_a_true_claim_fails():
    assert verify_claim(a + a, 2 * a).status == "refuted"


def test_inequalities():
    assert verify_claim(a**2, 0, relation=">=").status in ("proven", "exact")
    assert verify_claim(a, 0, relation=">=").status == "refuted"


def test_exact_only_refuses_numeric_evidence():
    ev = verify_claim(sp.exp(sp.log(a**2 + 1)), a**2 + 1, config=VerifyConfig(exact_only=True, timeout=0.5))
    assert ev.status in ("proven", "unknown")


def test_unknown_relation():
    with pytest.raises(ValueError, match="unknown relation"):
        verify_claim(a, a, relation="~")


def test_seeded_points_are_deterministic():
    first = verify_claim(a**2, a, seed=3)
    second = verify_claim(a**2, a, seed=3)
    assert first.counterexample == second.counterexample


def test_strings_are_refused():
    with pytest.raises(TypeError, match="refusing"):
        verify_claim("x", "x")
