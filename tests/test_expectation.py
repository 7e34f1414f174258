"""The expectation operator: rules, reductions, and steps that need a rule they do not name."""

import pytest
import sympy as sp

from derive import verify_claim
from derive.calculus.expectation import (
    E,
    RandomModel,
    Var,
    expectation_chain,
    expectation_hypotheses,
    reduce_expectations,
)
from derive.errors import UnsupportedError

f, g, eps, h = sp.symbols("f g epsilon h", real=True)
s = sp.Symbol("sigma", positive=True)
D, N = sp.symbols("D N")
MODEL = RandomModel(((D, (f, g)), (N, (eps,))), ((eps, sp.S.Zero), (eps**2, s**2)))


def check(lhs, rhs, rules=("definitions", "linearity", "independence", "moments")):
    return verify_claim(lhs, rhs, hypotheses=expectation_hypotheses(MODEL, lhs, rhs, rules=rules))


@pytest.mark.parametrize("lhs, rhs, rules", [
    (E(2 * f + 3), 2 * E(f) + 3, ("linearity",)),
    (E(h * f), h * E(f), ("linearity",)),
    (E(E(f) * f), E(f) ** 2, ("linearity",)),
    (E(eps * f), E(eps) * E(f), ("linearity", "independence")),
    (E(eps), 0, ("linearity", "moments")),
    (E(eps**2), s**2, ("linearity", "moments")),
    (Var(f), E(f**2) - E(f) ** 2, ("linearity",)),
])
def test_rule_holds(lhs, rhs, rules):
    assert check(lhs, rhs, rules).status == "proven"


@pytest.mark.parametrize("lhs, rhs, rules", [
    (E(eps * f), E(eps) * E(f), ("linearity",)),  # needs independence
    (E(f * g), E(f) * E(g), ("linearity", "independence")),  # same group: not independent
    (E(eps), 0, ("linearity",)),  # needs the moment
    (E(f**2), E(f) ** 2, ("linearity", "independence", "moments")),
    (Var(f), E(f**2) + E(f) ** 2, ("linearity",)),
])
def test_false_or_unlicensed_rule_is_rejected(lhs, rhs, rules):
    verdict = check(lhs, rhs, rules)
    assert verdict.status == "refuted" and verdict.holds is False
    assert verdict.counterexample is not None and verdict.counterexample.assignments


def test_unknown_rule_and_bad_model():
    with pytest.raises(UnsupportedError, match="unknown expectation rules"):
        reduce_expectations(E(f), MODEL, ("magic",))
    with pytest.raises(UnsupportedError, match="two groups"):
        RandomModel(((D, (f,)), (N, (f,))))
    with pytest.raises(UnsupportedError, match="one group"):
        RandomModel(((D, (f,)), (N, (eps,))), ((f * eps, sp.S.Zero),))


def test_chain_checks_each_link_with_its_rules():
    block = expectation_chain(E(eps * f), MODEL, (E(eps) * E(f), "independence", ("linearity",)))
    assert block.steps[0].verify().status == "refuted"
