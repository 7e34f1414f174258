import pytest
import sympy as sp

from derive import Proof, StepFailed
from derive.proof import Step, collect, proof

x = sp.Symbol("x")


def _demo() -> Proof:
    p = Proof("demo", "Demo", question="D")
    p.chain((x + 1) ** 2, (x**2 + 2 * x + 1, "expand"))
    p.refute(x**2, x, "not an identity")
    return p


def test_steps_are_numbered_in_order():
    assert [sid for sid, _ in _demo().steps()] == ["step1", "step2"]


def test_results_are_remembered():
    p = _demo()
    first = p.verify()
    assert p.verify()[0] is first[0]


def test_check_raises_on_the_first_bad_step():
    p = Proof("bad", "Bad")
    p.claim((x + 1) ** 2, x**2 + 1, "forgot the cross term")
    with pytest.raises(StepFailed, match=r"bad::step1: claim does not hold") as info:
        p.check()
    assert info.value.counterexample and info.value.step == "step1"


def test_refuting_a_true_claim_is_a_failure():
    p = Proof("bad", "Bad")
    p.refute(2 * x, x + x, "this is actually true")
    with pytest.raises(StepFailed, match="expected a counterexample"):
        p.check()


def test_notebook_rendering():
    p = _demo()
    assert p._repr_latex_().startswith("$$\\begin{aligned}")
    assert r"\neq" in p._repr_latex_()
    assert "symbolic" in p.verify()[0]._repr_latex_()
    assert Step(x, x, "same")._repr_latex_() == r"$\displaystyle x = x$"


def test_collect_keeps_source_order():
    import types

    module = types.ModuleType("m")

    @proof
    def first() -> Proof:
        return Proof("first", "First")

    @proof
    def second() -> Proof:
        return Proof("second", "Second")

    module.second, module.first = second, first
    assert [b().name for b in collect(module)] == ["first", "second"]
