"""A proof module of false steps: each must fail as its own pytest item (issue: soundness of the plugin)."""

import pytest

pytest_plugins = ["pytester"]

#: Each false step is false for all its sizes and values, but agrees on the old sampler's range (rationals
#: p/q with q <= 7 and |p/q| <= 2, sizes 1..4, no kinks) or hides behind a float tolerance.
FALSE_MODULE = r'''
import sympy as sp
from derive import Proof, proof, ReLU, Sigmoid, Indicator

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
M = sp.Symbol("M", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
X = sp.IndexedBase("x", real=True)


@proof
def false_steps():
    p = Proof("false_steps", "Nine and more false steps")
    p.claim(x**2, 4, "true on |x| <= 2 only", relation="<=")
    p.claim(sp.Sum(X[j], (j, 5, M)), 0, "an empty sum while M <= 4")
    p.claim(Indicator(x) + Indicator(-x), 1, "fails only at the kink x = 0")
    p.claim(sp.exp(200) + Sigmoid(x), sp.exp(200), "a gap hidden by a relative tolerance")
    p.claim(x + sp.Rational(1, 10**45) * Sigmoid(x), x, "a gap of 1e-45")
    p.claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1 + sp.Rational(1, 10**12), "a gap of 1e-12")
    p.claim(sp.exp(40000 * x**2), 0, "an overflow to inf")
    p.claim((M - 1) * (M - 2) * (M - 3) * (M - 4) * sp.Sum(X[j], (j, 1, M)), 0, "zero for M <= 4")
    p.claim(ReLU(x - 3), 0, "zero for x <= 3")
    p.claim(1 / x, 7, "fails only near 0", relation="<=")
    p.claim(sp.sin(420 * sp.pi * x), 0, "zero on a lattice of rationals")
    p.claim(sp.Abs(x), x, "false even by points", by_points=True)
    return p


@proof
def true_steps():
    p = Proof("true_steps", "True steps")
    p.claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1, "proven")
    p.claim(sp.Abs(x), ReLU(x) + ReLU(-x), "checked by points", by_points=True)
    p.claim(sp.Abs(x), ReLU(x) + ReLU(-x), "true, but only agrees: not accepted without by_points")
    return p
'''

FALSE_STEPS = 12


@pytest.fixture
def module(pytester):
    pytester.makepyfile(false_module=FALSE_MODULE)
    return pytester


def test_every_false_step_fails_as_an_item(module):
    result = module.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "false_module.py")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == FALSE_STEPS + 1, result.stdout.str()
    for n in range(1, FALSE_STEPS + 1):
        result.stdout.fnmatch_lines([f"FAILED false_module.py::false_steps::step{n} *"])
    result.stdout.fnmatch_lines(["FAILED false_module.py::true_steps::step3 *"])
    assert outcomes.get("passed") == 2


def test_proven_only_fails_point_checked_steps(module):
    result = module.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "--derive-proven-only",
                              "false_module.py")
    result.stdout.fnmatch_lines(["FAILED false_module.py::true_steps::step2 *"])
    assert result.parseoutcomes().get("passed") == 1


def test_failure_report_names_the_counterexample(module):
    result = module.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "false_module.py", "-k", "step9")
    text = result.stdout.str()
    assert "claim does not hold" in text and "at:" in text and "exact rational arithmetic" in text
