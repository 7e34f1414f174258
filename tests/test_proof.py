"""derive.document.proof: steps, what each verdict means for a step, and the failure report."""

import pytest
import sympy as sp

from derive import Proof, StepFailed
from derive.config import VerifyConfig
from derive.document.proof import Step, StepResult, collect, proof, step_failure
from derive.model.activations import ReLU
from derive.verify import STATUSES, Verdict

x = sp.Symbol("x")
h = sp.Symbol("h", real=True)
M = sp.Symbol("M", integer=True, positive=True)
j = sp.Symbol("j", integer=True)
v = sp.IndexedBase("v", real=True)


def _demo() -> Proof:
    p = Proof("demo", "Demo", question="D")
    p.chain((x + 1) ** 2, (x**2 + 2 * x + 1, "expand"))
    p.refute(x**2, x, "not an identity")
    return p


def test_steps_are_numbered_in_order():
    assert [sid for sid, _ in _demo().steps()] == ["step1", "step2"]


def test_demo_verdicts():
    first, second = _demo().verify()
    assert first.evidence.status == "proven" and first.ok
    assert second.evidence.status == "refuted" and second.ok


def test_results_are_remembered():
    p = _demo()
    first = p.verify()
    assert p.verify()[0] is first[0]
    assert p.verify(VerifyConfig(proven_only=True))[0] is not first[0]  # remembered per configuration


def test_step_verify_takes_a_config_and_no_seed():
    step = Step(2 * x, x + x, "doubling")
    assert step.verify(VerifyConfig(points=4)).status == "proven"
    with pytest.raises(TypeError):
        step.verify(VerifyConfig(), 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        step.verify(seed=3)  # type: ignore[call-arg]


def test_step_timeout_caps_the_configuration():
    from unittest import mock

    step = Step(2 * x, x + x, "doubling", timeout=0.5)
    with mock.patch("derive.document.proof.verify_claim") as verify:
        step.verify(VerifyConfig(timeout=9))
    assert verify.call_args.kwargs["config"].timeout == 0.5


# --- Step.accepts: which verdicts support which step --------------------------------------------------------
_STEPS = {
    "plain": Step(x, x, ""),
    "by points": Step(x, x, "", by_points=True),
    "refutation": Step(x, x, "", expect=False),
    "refutation by points": Step(x, x, "", expect=False, by_points=True),
}
_ACCEPTED = {  # (kind, proven_only) -> the statuses that pass
    ("plain", False): {"proven"},
    ("plain", True): {"proven"},
    ("by points", False): {"proven", "agrees"},
    ("by points", True): {"proven"},
    ("refutation", False): {"refuted"},
    ("refutation", True): {"refuted"},
    ("refutation by points", False): {"refuted"},
    ("refutation by points", True): {"refuted"},
}


@pytest.mark.parametrize("kind, proven_only", sorted(_ACCEPTED))
@pytest.mark.parametrize("status", STATUSES)
def test_accepts(kind, proven_only, status):
    step, verdict = _STEPS[kind], Verdict(status, "m")
    expected = status in _ACCEPTED[kind, proven_only]
    assert step.accepts(verdict, VerifyConfig(proven_only=proven_only)) is expected
    result = StepResult("step1", step, verdict, proven_only)
    assert result.ok is expected


def test_accepts_without_config_is_not_proven_only():
    assert Step(x, x, "", by_points=True).accepts(Verdict("agrees", "points"))
    assert not Step(x, x, "").accepts(Verdict("agrees", "points"))


def test_step_checked_by_points():
    p = Proof("pts", "Points")
    p.claim(ReLU(h) - ReLU(-h), h, "odd part of ReLU", by_points=True)
    p.claim(ReLU(h) - ReLU(-h), h, "the same, but claimed proven")
    first, second = p.verify()
    assert first.evidence.status == second.evidence.status == "agrees"
    assert first.ok and not second.ok
    with pytest.raises(StepFailed, match=r"pts::step2: claim agrees at points but is not proven; mark the step "
                                         r"by_points=True"):
        p.check()
    strict = p.verify(VerifyConfig(proven_only=True))
    assert not strict[0].ok
    with pytest.raises(StepFailed, match=r"pts::step1: .*\(proven-only mode\)"):
        p.check(VerifyConfig(proven_only=True))


# --- failures -----------------------------------------------------------------------------------------------
def test_check_raises_on_the_first_bad_step():
    p = Proof("bad", "Bad")
    p.claim((x + 1) ** 2, x**2 + 1, "forgot the cross term")
    with pytest.raises(StepFailed, match=r"bad::step1: claim does not hold") as info:
        p.check()
    assert info.value.counterexample and info.value.step == "step1" and info.value.proof == "bad"
    assert set(info.value.counterexample) == {"x"}


def test_refuting_a_true_claim_is_a_failure():
    p = Proof("bad", "Bad")
    p.refute(2 * x, x + x, "this is actually true")
    with pytest.raises(StepFailed, match="expected a refutation, got proven"):
        p.check()


def test_refutation_that_only_agrees_is_a_failure():
    p = Proof("bad", "Bad")
    p.refute(ReLU(h) - ReLU(-h), h, "claimed false, but true")
    with pytest.raises(StepFailed, match="expected a refutation, got agrees"):
        p.check()


@pytest.mark.parametrize("lhs, rhs, relation", [
    (h**2, 4, "<="),                                 # true only on the old value range [-2, 2]
    (sp.Sum(v[j], (j, 5, M)), 0, "="),               # true only for the old sizes 1..4
])
def test_step_true_only_on_the_old_range_fails(lhs, rhs, relation):
    p = Proof("old", "Old range")
    p.claim(lhs, rhs, "true on a small range", relation=relation, by_points=True)
    (result,) = p.verify()
    assert result.evidence.status == "refuted" and not result.ok


def test_failure_report_of_a_refuted_step():
    c, s = sp.symbols("c s", real=True)

    def unit_circle(rng):
        """c = cos t, s = sin t at a rational point of the circle."""
        return {c: sp.Rational(3, 5), s: sp.Rational(4, 5)}

    step = Step(c**2 + s**2 + x, 1, "Pythagoras", sampler=unit_circle, hypotheses={x: x**2})
    result = StepResult("step3", step, step.verify())
    text = str(step_failure("trig", result))
    lines = text.splitlines()
    assert lines[0] == "trig::step3: claim does not hold"
    assert lines[1].split() == ["claim:", *step.latex().split()]
    assert lines[2] == "  reason:   Pythagoras"
    assert lines[3] == f"  verdict:  {result.evidence.describe()}" and "refuted" in lines[3]
    hypotheses = next(line for line in lines if line.startswith("  hypotheses: "))
    assert "x := x^{2}" in hypotheses and "sampler unit_circle: c = cos t, s = sin t" in hypotheses
    at = next(line for line in lines if line.startswith("  at:"))
    assert "x = " in at and "c = 3/5" in at and "s = 4/5" in at
    values = next(line for line in lines if line.startswith("  lhs = "))
    cex = result.evidence.counterexample
    assert values == f"  lhs = {cex.lhs_text}, rhs = {cex.rhs_text} ({cex.confirmed})"
    err = step_failure("trig", result)
    assert err.proof == "trig" and err.step == "step3" and err.counterexample == cex.record()


def test_failure_report_of_an_undecided_step():
    step = Step(x, x, "")
    verdict = Verdict("unknown", "budget", "no decision within the budget of 1 s")
    text = str(step_failure("p", StepResult("step1", step, verdict)))
    assert "p::step1: claim could not be decided" in text
    assert "verdict:  unknown: no decision within the budget of 1 s" in text
    assert "why:      no decision within the budget of 1 s" in text
    assert "at:" not in text and "hypotheses:" not in text


def test_failure_report_of_an_agreeing_step_explains_why():
    step = Step(ReLU(h) - ReLU(-h), h, "odd part")
    result = StepResult("step1", step, step.verify())
    text = str(step_failure("p", result))
    assert "verdict:  agrees at 64 points, not proven" in text
    assert "why:      no counterexample at 64 points" in text


def test_failure_report_of_a_refutation_shows_the_claim_as_equality():
    step = Step(2 * x, x + x, "true", expect=False)
    text = str(step_failure("p", StepResult("step1", step, step.verify())))
    assert r"\neq" not in text and "claim:    2 x = 2 x" in text
    assert "expected a refutation, got proven" in text


def test_notebook_rendering():
    p = _demo()
    assert p._repr_latex_().startswith("$$\\begin{aligned}")
    assert r"\neq" in p._repr_latex_()
    assert "step1: proven" in p._repr_latex_() and "step2: refuted" in p._repr_latex_()
    assert "[proven: expand]" in p.verify()[0]._repr_latex_()
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
