"""derive.verify.verify_claim: the four verdicts, their evidence, the points and the relations."""

from unittest import mock

import pytest
import sympy as sp

from derive.config import VerifyConfig
from derive.errors import InvalidClaimError
from derive.model.activations import Indicator, ReLU, Sigmoid
from derive.verify import STATUSES, Counterexample, Verdict, claim_seed, verify_claim
from derive.verify.strategies import SymbolicResult

a, b, x = sp.symbols("a b x", real=True)
n = sp.Symbol("n", integer=True, positive=True)
j = sp.Symbol("j", integer=True)
w = sp.IndexedBase("w", real=True)

#: Disable every symbolic strategy: what is left is the evidence of the points alone.
NO_PROOF = mock.patch("derive.verify.proof_attempt.prove_zero", return_value=SymbolicResult(None, False))


def gap_at(lhs, rhs, counterexample: Counterexample) -> sp.Basic:
    """lhs - rhs at the counterexample, recomputed by SymPy independently of the engine (60 digits)."""
    values = dict(counterexample.assignments)
    gap = (sp.sympify(lhs) - sp.sympify(rhs)).xreplace(values).doit()
    return sp.N(gap.xreplace(values), 60)


def assert_genuine(lhs, rhs, verdict: Verdict, relation: str = "=") -> None:
    """The verdict is a refutation whose counterexample really violates ``lhs relation rhs``."""
    assert verdict.status == "refuted", verdict.describe()
    assert verdict.holds is False and not verdict
    cex = verdict.counterexample
    assert isinstance(cex, Counterexample) and cex.confirmed
    assert cex.assignments or not (sp.sympify(lhs) - sp.sympify(rhs)).free_symbols
    gap = gap_at(lhs, rhs, cex)
    if not cex.approximate:  # the values shown are those of the displayed sides
        assert abs(sp.N(cex.lhs - cex.rhs, 60) - gap) <= sp.Float(10.0**-40) * max(1, abs(gap)), (cex, gap)
    violated = {"=": gap != 0, "<=": gap > 0, ">=": gap < 0, "<": gap >= 0, ">": gap <= 0}[relation]
    assert violated, (cex.record(), gap)


# --- proven -------------------------------------------------------------------------------------------------
def test_symbolic_proof_comes_after_the_points_found_no_counterexample():
    ev = verify_claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1)
    assert ev.status == "proven" and ev.holds is True and bool(ev)
    assert ev.method not in ("points", "counterexample") and ev.counterexample is None
    assert ev.points == VerifyConfig().points  # the proof is cross-checked at every point first
    assert ev.describe().startswith("proven (")


def test_claim_without_variables_is_proven_by_exact_evaluation():
    j = sp.Symbol("j", integer=True)
    ev = verify_claim(sp.Sum(j, (j, 1, 3)) + Sigmoid(sp.Integer(0)), sp.Rational(13, 2))
    assert ev.status == "proven" and ev.method == "exact evaluation"
    assert verify_claim(sp.Rational(1, 2**99), sp.Rational(2, 2**100)).status == "proven"
    assert_genuine(sp.Rational(1, 2**99), sp.Rational(1, 2**98),
                   verify_claim(sp.Rational(1, 2**99), sp.Rational(1, 2**98)))


def test_closed_irrational_claim_is_decided_in_interval_arithmetic():
    assert verify_claim(sp.exp(1) * sp.exp(-1), 1).status == "proven"
    ev = verify_claim(sp.exp(1), sp.Rational(27182818284590452353602874713527, 10**31))
    assert ev.status == "refuted" and ev.counterexample.approximate
    assert "interval" in ev.counterexample.confirmed


# --- agrees -------------------------------------------------------------------------------------------------
def test_true_claim_sympy_cannot_prove_agrees_and_is_never_proven():
    ev = verify_claim(ReLU(a) - ReLU(-a), a)
    assert ev.status == "agrees" and ev.holds is None and not ev
    assert ev.points == VerifyConfig().points and ev.counterexample is None
    assert ev.describe() == f"agrees at {ev.points} points, not proven"


def test_without_strategies_a_true_identity_only_agrees():
    with NO_PROOF:
        ev = verify_claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1)
    assert ev.status == "agrees" and ev.method == "points" and ev.points == 64


def test_points_setting_is_the_number_of_decided_points():
    with NO_PROOF:
        assert verify_claim(sp.tanh(a), 2 * Sigmoid(2 * a) - 1, config=VerifyConfig(points=8)).points == 8


def test_proven_only_does_not_change_the_verdict():
    # proven_only is a policy of steps (Step.accepts), not of the verifier
    strict = VerifyConfig(proven_only=True)
    assert verify_claim(ReLU(a) - ReLU(-a), a, config=strict).status == "agrees"
    assert verify_claim(sp.exp(sp.log(a**2 + 1)), a**2 + 1, config=strict).status == "proven"


# --- refuted ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (sp.tanh(a), 2 * Sigmoid(a) - 1),
        ((a + b) ** 2, a**2 + b**2),
        (ReLU(a), a),
        (a / 2, a / 3),
        (sp.Sum(w[j], (j, 1, n)), sp.Sum(w[j], (j, 2, n))),
    ],
)
def test_false_claims_are_refuted_with_a_genuine_counterexample(lhs, rhs):
    assert_genuine(lhs, rhs, verify_claim(lhs, rhs))


def test_counterexample_api():
    ev = verify_claim(a**2, a)
    cex = ev.counterexample
    assert ev.status == "refuted" and "exact rational arithmetic" in cex.confirmed and not cex.approximate
    assert set(cex.record()) == {"a"} and ev.record() == cex.record()
    assert cex.latex_pairs() == (("a", sp.latex(cex.assignments[0][1])),)
    assert cex.lhs == cex.assignments[0][1] ** 2 and cex.rhs == cex.assignments[0][1]
    assert cex.lhs_text == str(cex.lhs) and cex.lhs != cex.rhs
    assert ev.describe() == "refuted (counterexample; exact rational arithmetic)"


def test_record_keeps_distinct_symbols_that_print_alike():
    # x without assumptions and the real x are two variables; the report must show both values, or it
    # reads "x = 1" for the claim x^2 = x^2 with lhs = 0, rhs = 1
    plain = sp.Symbol("x")
    ev = verify_claim(plain**2, x**2)
    assert ev.status == "refuted" and len(ev.counterexample.assignments) == 2
    assert len(ev.counterexample.record()) == 2, ev.counterexample.record()


def test_long_counterexamples_are_truncated_in_the_record():
    m = sp.Symbol("m", integer=True, positive=True)
    ev = verify_claim(sp.Sum(w[j] ** 2, (j, 1, m)), 0, relation="<=")
    assert ev.status == "refuted"
    record = ev.counterexample.record(limit=2)
    assert len(record) <= 3 and ("..." in record) == (len(ev.counterexample.assignments) > 2)


def test_a_true_claim_is_never_refuted():
    # ported from "refuting a true claim fails": there is no expect= any more, a true claim is simply proven
    ev = verify_claim(a + a, 2 * a)
    assert ev.status == "proven" and ev.counterexample is None


def test_tiny_perturbation_is_refuted_not_lost_in_rounding():
    # float64 would call these equal; exact and interval arithmetic do not
    lhs = x + sp.Rational(1, 10**45) * Sigmoid(x)
    assert_genuine(lhs, x, verify_claim(lhs, x))
    lhs = sp.tanh(a) + sp.Rational(1, 10**12)
    assert_genuine(lhs, 2 * Sigmoid(2 * a) - 1, verify_claim(lhs, 2 * Sigmoid(2 * a) - 1))


def test_cancellation_does_not_refute_a_true_identity():
    # cosh(20x)^2 - sinh(20x)^2 loses every digit in float64 for |x| > 1; it must never be refuted
    lhs = sp.cosh(20 * x) ** 2 - sp.sinh(20 * x) ** 2
    assert verify_claim(lhs, 1).status == "proven"
    with NO_PROOF:
        ev = verify_claim(lhs, 1)
    assert ev.status == "agrees" and ev.points == 64


# --- the points ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lhs, rhs, relation", [
    (x**2, 4, "<="),                                  # false outside the old value range [-2, 2]
    (x, 10**5, "<="),                                 # magnitudes up to 1e6
    (x**2, sp.Rational(1, 10**14), ">="),             # special value 0 and magnitudes down to 1e-6
    (sp.Sum(w[j], (j, 5, n)), 0, "="),                # sizes 1..8, beyond the old 1..4
    (sp.Sum(w[j], (j, 10, n)), 0, "="),               # and two sizes in 9..64
])
def test_claims_true_only_on_a_narrow_range_are_refuted(lhs, rhs, relation):
    assert_genuine(lhs, rhs, verify_claim(lhs, rhs, relation=relation), relation)


@pytest.mark.parametrize("lower, rhs", [(1, "M"), (0, "M + 1"), (-1, "M + 2")])
def test_sizes_that_may_be_negative_use_the_empty_sum_everywhere(lower, rhs):
    # M is an integer of unknown sign: the verifier sums an empty range to 0 (it refutes
    # sum_{j=1}^{M} 1 = M at M = -1), so sum_{j=0}^{M} 1 = M + 1 is false at M = -2, and so on
    m = sp.Symbol("M", integer=True)
    lhs, right = sp.Sum(1, (j, lower, m)), sp.sympify(rhs, locals={"M": m})
    ev = verify_claim(lhs, right)
    assert ev.status == "refuted", ev.describe()
    assert dict(ev.counterexample.assignments)[m] < lower
    assert verify_claim(sp.Sum(1, (j, lower, n)), right.xreplace({m: n})).status == "proven"


def test_values_are_drawn_within_the_symbols_assumptions():
    p, k = sp.Symbol("p", positive=True), sp.Symbol("k", integer=True)
    claims = [(p + 1 / p, 2, ">="), (p, 0, ">"), (k**2, k, ">=")]
    with mock.patch("derive.verify.policy._prove", return_value=(None, False)):  # points alone
        for lhs, rhs, relation in claims:
            ev = verify_claim(lhs, rhs, relation=relation)
            assert ev.status == "agrees" and ev.points == 64, (lhs, relation, rhs, ev.describe())
    # without the assumptions each of them is false
    for lhs, rhs, relation in claims:
        lhs, rhs = (sp.sympify(e).xreplace({p: x, k: x}) for e in (lhs, rhs))
        assert verify_claim(lhs, rhs, relation=relation).status == "refuted", (lhs, relation, rhs)


def test_kinks_are_tried_exactly_and_just_either_side():
    third = sp.Rational(1, 3)
    band = sp.Piecewise((0, sp.And(x > third, x < third + sp.Rational(1, 10**6))), (1, True))
    assert_genuine(band, 1, verify_claim(band, 1))  # only false within 1e-6 of a kink
    at_kink = verify_claim(sp.Abs(x - third), sp.Rational(1, 10**12), relation=">=")
    assert_genuine(sp.Abs(x - third), sp.Rational(1, 10**12), at_kink, ">=")
    assert "kink" in at_kink.qualifier and at_kink.counterexample.kink is not None
    assert dict(at_kink.counterexample.assignments)[x] == third


def test_almost_everywhere_excludes_the_kink():
    third = sp.Rational(1, 3)
    ev = verify_claim(sp.Abs(x - third), sp.Rational(1, 10**12), relation=">=", almost_everywhere=True)
    assert ev.status != "proven"  # false in a band of width 2e-12: refuted, or agrees off the kink
    assert ev.status == "refuted" or ev.qualifier == "almost everywhere"
    # under almost-everywhere semantics no point is placed exactly on a kink, so [x > 0] + [-x > 0] = 1 agrees
    ev = verify_claim(Indicator(x) + Indicator(-x), 1, almost_everywhere=True)
    assert ev.status == "agrees" and ev.qualifier == "almost everywhere"
    assert verify_claim(sp.Abs(x - third), -1, relation=">=", almost_everywhere=True).status == "proven"


def test_undefined_points_are_excluded_and_listed():
    ev = verify_claim((x**2 - 1) / (x - 1), x + 1)
    assert ev.status == "proven" and ev.points == 64
    assert ev.excluded and all("x = 1" in e for e in ev.excluded)
    with NO_PROOF:
        assert verify_claim((x**2 - 1) / (x - 1), x + 1).status == "agrees"
    assert_genuine((x**2 - 1) / (x - 1), x, verify_claim((x**2 - 1) / (x - 1), x))


def test_custom_sampler_values_override_drawn_ones():
    # true only on the unit circle: the sampler supplies the hypothesis
    c, s = sp.symbols("c s", real=True)

    def circle(rng):
        t = sp.Rational(int(rng.integers(1, 50)), 7)
        return {c: (1 - t**2) / (1 + t**2), s: 2 * t / (1 + t**2)}

    with NO_PROOF:
        assert verify_claim(c**2 + s**2, 1, sampler=circle).status == "agrees"
    assert verify_claim(c**2 + s**2, 1).status == "refuted"


def test_hypotheses_are_substituted_first():
    assert verify_claim(a * b, a, hypotheses={b: sp.Integer(1)}).status == "proven"


# --- relations ----------------------------------------------------------------------------------------------
def test_inequalities():
    assert verify_claim(a**2, 0, relation=">=").status == "proven"
    assert_genuine(a, 0, verify_claim(a, 0, relation=">="), ">=")
    assert verify_claim(-(a**2), 0, relation="<=").status == "proven"
    assert verify_claim(a**2 + 1, 0, relation=">").status == "proven"
    assert_genuine(a**2, 0, verify_claim(a**2, 0, relation=">"), ">")  # fails at a = 0 only
    assert verify_claim(a, a + 1, relation="<").status == "proven"
    assert_genuine(a, a, verify_claim(a, a, relation="<"), "<")
    assert verify_claim(Sigmoid(a), 1, relation="<=").status == "proven"


def test_not_equal_is_existential():
    ev = verify_claim(a**2, a, relation="!=")
    assert ev.status == "proven" and ev.witness is not None and ev.counterexample is None
    assert gap_at(a**2, a, ev.witness) != 0
    ev = verify_claim(a + a, 2 * a, relation="!=")
    assert ev.status == "refuted" and ev.holds is False  # refuted by a proof of equality, not by a point


@pytest.mark.parametrize("relation", ["~", "==", "\\neq", ""])
def test_unknown_relation(relation):
    with pytest.raises(InvalidClaimError, match="unknown relation"):
        verify_claim(a, a, relation=relation)


def test_sides_of_different_shapes_are_invalid():
    with pytest.raises(InvalidClaimError, match="shapes"):
        verify_claim(sp.Matrix([a, b]), sp.Matrix([a, b, a]))


def test_matrices_and_tuples_are_compared_entry_by_entry():
    assert verify_claim(sp.Matrix([[a + a, b]]), sp.Matrix([[2 * a, b]])).status == "proven"
    ev = verify_claim(sp.Matrix([[a, b]]), sp.Matrix([[a, a]]))
    assert ev.status == "refuted" and ev.counterexample.entry == 1
    ev = verify_claim(sp.Tuple(a, a), sp.Tuple(a, 2 * a))
    assert ev.status == "refuted" and ev.counterexample.entry == 1
    with pytest.raises(InvalidClaimError, match="different lengths"):
        verify_claim(sp.Tuple(a), sp.Tuple(a, a))


def test_strings_are_refused():
    with pytest.raises(InvalidClaimError, match="refusing"):
        verify_claim("x", "x")


# --- determinism --------------------------------------------------------------------------------------------
def test_seeded_points_are_deterministic():
    first = verify_claim(a**2, a, seed=3)
    second = verify_claim(a**2, a, seed=3)
    assert first.counterexample == second.counterexample


def test_default_seed_is_the_claim_seed():
    lhs, rhs = sp.tanh(a) + b, 2 * Sigmoid(a) - 1 + b
    assert verify_claim(lhs, rhs).counterexample == verify_claim(lhs, rhs, seed=claim_seed(lhs, rhs, "=")
                                                                 ).counterexample
    assert claim_seed(lhs, rhs, "=") != claim_seed(lhs, rhs, "<=")


def test_two_spellings_of_one_claim_give_the_same_verdict_and_points():
    from derive.claims.check import check

    spellings = [r"\tanh(a)+b = 2\sigma(a)-1+b", r"  \tanh( a ) + b  =  2 \sigma ( a ) - 1 + b ",
                 r"b + \tanh{(a)} = b + 2\sigma(a) - 1"]
    verdicts = [check(s) for s in spellings]
    assert {v.status for v in verdicts} == {"refuted"}
    assert len({v.counterexample for v in verdicts}) == 1
    with NO_PROOF:
        agreeing = [check(s) for s in (r"\tanh(a) = 2\sigma(2a) - 1", r"\tanh (a)=2 \sigma(2 a)-1")]
    assert [v.status for v in agreeing] == ["agrees", "agrees"]
    assert agreeing[0].points == agreeing[1].points


# --- the Verdict itself -------------------------------------------------------------------------------------
@pytest.mark.parametrize("status, holds, truth", [
    ("proven", True, True), ("refuted", False, False), ("agrees", None, False), ("unknown", None, False),
])
def test_holds_and_bool_on_each_status(status, holds, truth):
    v = Verdict(status, "m")
    assert v.holds is holds and bool(v) is truth and v.proven is truth and v.word == status


def test_holds_and_bool_on_real_verdicts():
    proven, refuted = verify_claim(a + a, 2 * a), verify_claim(a, 2 * a)
    agrees = verify_claim(ReLU(a) - ReLU(-a), a)
    with mock.patch("derive.verify.policy.run_with_budget") as budget:
        budget.return_value = mock.Mock(value=None, timed_out=True)
        unknown = verify_claim(a, a)
    assert [v.status for v in (proven, refuted, agrees, unknown)] == list(STATUSES)
    assert [v.holds for v in (proven, refuted, agrees, unknown)] == [True, False, None, None]
    assert [bool(v) for v in (proven, refuted, agrees, unknown)] == [True, False, False, False]
    assert "budget" in unknown.reason and unknown.describe().startswith("unknown: ")


@pytest.mark.parametrize("old", ["exact", "numeric", "failed", "true", ""])
def test_old_statuses_are_gone(old):
    with pytest.raises(ValueError, match="unknown status"):
        Verdict(old, "m")


def test_old_config_fields_are_gone():
    for old in ("exact_only", "size_range", "value_range", "denominator", "kink_margin", "rtol", "atol",
                "cross_check"):
        with pytest.raises(TypeError):
            VerifyConfig(**{old: 1})
    assert VerifyConfig().precisions[0] == 192 and VerifyConfig().agree_bits == 160


def test_unsupported_comparison_is_unknown():
    ev = verify_claim(sp.FiniteSet(a), sp.FiniteSet(b))
    assert ev.status == "unknown" and ev.holds is None and ev.reason
