"""derive.claims.check: verdicts, methods, counterexamples, vocabularies, budgets and the command line."""

import argparse
import io
from unittest import mock

import pytest
import sympy as sp

from derive.claims.check import Verdict, check, format_verdict
from derive.claims.vocabulary import load_vocabulary
from derive.cli.check_command import (
    EXIT,
    EXIT_INTERNAL,
    EXIT_PARSE_ERROR,
    EXIT_TABLE,
    EXIT_USAGE,
    add_check_parser,
    run_check,
)
from derive.errors import LatexParseError, UnsupportedError
from derive.verify import Counterexample
from derive.verify.strategies import SymbolicResult


def test_symbolic_true():
    v = check(r"\tanh(a) = 2\sigma(2a) - 1")
    assert v.status == "proven" and v.holds is True and v.proven and bool(v)
    assert v.method not in ("points", "counterexample") and v.counterexample is None
    assert isinstance(v.claim, sp.Eq) and v.seconds > 0


def test_false_has_counterexample():
    v = check(r"\tanh(a) = 2\sigma(a) - 1")
    assert v.status == "refuted" and v.holds is False and not v
    cex = v.counterexample
    assert isinstance(cex, Counterexample) and "a" in cex.record() and v.record() == cex.record()
    a = next(s for s in v.claim.free_symbols if s.name == "a")
    value = dict(cex.assignments)[a]
    assert sp.N(sp.tanh(value) - (2 / (1 + sp.exp(-value)) - 1), 50) != 0  # a genuine counterexample
    assert cex.lhs != cex.rhs and cex.confirmed


def test_true_but_unproven_is_agrees_not_proven():
    with mock.patch("derive.verify.proof_attempt.prove_zero", return_value=SymbolicResult(None, False)):
        v = check(r"\tanh(a) = 2\sigma(2a) - 1")
    assert v.status == "agrees" and v.holds is None and not v.proven and not bool(v)
    assert v.method == "points" and v.points == 64 and "not proven" in v.describe()


def test_true_claim_sympy_cannot_prove_agrees():
    v = check(r"\operatorname{ReLU}(h) - \operatorname{ReLU}(-h) = h")
    assert v.status == "agrees" and v.points > 0


def test_q4_derived_bias():
    v = check(r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}", question="q4")
    assert v.status == "proven"


def test_q4_handwritten_bias_is_false():
    v = check(r"t_{k0} - 2\sum_j t_{kj} = w_{k0}", question="q4")
    assert v.status == "refuted" and v.counterexample


def test_q4_without_vocabulary_is_not_proven():
    v = check(r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}")
    assert v.status != "proven"


def test_q5_uses_psd_eigenvalues():
    assert check(r"\sum_i \lambda_i \alpha_i^2 \ge 0", question="q5").status == "proven"
    v = check(r"\sum_i \lambda_i \alpha_i^2 \ge 0")
    assert v.status == "refuted" and v.counterexample


def test_unknown_question():
    with pytest.raises(UnsupportedError, match="q9"):
        load_vocabulary("q9")


def test_operator_level_is_unknown_without_evaluator():
    v = check(r"x * w = w * x")
    assert v.status == "unknown" and v.holds is None and v.method == "unsupported"
    assert "array operators" in v.reason


def test_budget_expiry_gives_unknown():
    from derive.budget import Outcome

    with mock.patch("derive.claims.check.run_with_budget", return_value=Outcome(None, True)):
        v = check("a = a")
    assert v.status == "unknown" and v.holds is None and "budget" in v.method


def test_evaluation_error_gives_unknown():
    with mock.patch("derive.claims.check.verify_claim", side_effect=ZeroDivisionError("boom")):
        v = check("a = b")
    assert v.status == "unknown" and v.holds is None and "ZeroDivisionError" in v.reason


def test_parse_error_propagates():
    with pytest.raises(LatexParseError):
        check("a = {")


def test_seed_does_not_depend_on_spacing():
    first, second = check(r"x^2 = x"), check(r"x^{2}   =  x ")
    assert first.status == second.status == "refuted"
    assert first.counterexample == second.counterexample


@pytest.mark.parametrize("claim", [r"x + 10^{-45}\sigma(x) = x", r"(1 + 10^{-30}) x = x",
                                   r"\tanh(a) = 2\sigma(2a) - 1 + 10^{-12}"])
def test_perturbations_below_float64_are_refuted(claim):
    v = check(claim)
    assert v.status == "refuted" and v.counterexample


@pytest.mark.parametrize("claim", [r"\cosh(20x)^2 - \sinh(20x)^2 = 1", r"\cosh(200x)^2 - \sinh(200x)^2 = 1"])
def test_cancellation_never_refutes(claim):
    assert check(claim).status == "proven"
    with mock.patch("derive.verify.proof_attempt.prove_zero", return_value=SymbolicResult(None, False)):
        assert check(claim).status == "agrees"


def test_format():
    a = sp.Symbol("a")
    cex = Counterexample(((a, sp.Integer(1)),), sp.Integer(2), sp.Integer(3), "exact rational arithmetic")
    text = format_verdict(Verdict("refuted", "counterexample", "fails", counterexample=cex, excluded=("x = 0",)))
    lines = text.splitlines()
    assert lines[:2] == ["verdict: refuted", "method:  counterexample"]
    assert "counterexample: a = 1" in lines and "  lhs = 2, rhs = 3 (exact rational arithmetic)" in lines
    assert "fails" in lines and "note: x = 0" in lines
    witness = format_verdict(Verdict("proven", "witness point", witness=cex))
    assert "witness: a = 1" in witness
    assert format_verdict(Verdict("agrees", "points", "no counterexample at 64 points", points=64)).splitlines()[0] \
        == "verdict: agrees"


# --- the command line ---------------------------------------------------------------------------------------
def _args(claim: str, question: str | None = None, timeout: float = 3.0) -> argparse.Namespace:
    return argparse.Namespace(claim=claim, question=question, timeout=timeout)


@pytest.mark.parametrize("claim, question, code", [
    (r"\sigma(0) = \frac{1}{2}", None, 0),
    (r"\tanh(a) = 2\sigma(2a) - 1", None, 0),
    (r"\sigma(0) = 1", None, 1),
    (r"x^2 \le 4", None, 1),
    (r"x * w = w * x", None, 2),
    ("a = {", None, 3),
    (r"\operatorname{ReLU}(h) - \operatorname{ReLU}(-h) = h", None, 4),
    (r"u \odot v = v \odot u", "q1", 4),
])
def test_cli_exit_codes(claim, question, code):
    out = io.StringIO()
    assert run_check(_args(claim, question), out) == code
    text = out.getvalue()
    assert text
    if code != EXIT_PARSE_ERROR:
        word = {v: k for k, v in EXIT.items()}[code]
        assert text.startswith(f"verdict: {word}\n")
    else:
        assert text.startswith("parse error: ")


def test_cli_exit_table():
    assert EXIT == {"proven": 0, "refuted": 1, "unknown": 2, "agrees": 4}
    assert (EXIT_PARSE_ERROR, EXIT_USAGE, EXIT_INTERNAL) == (3, 64, 70)
    for code in (0, 1, 2, 3, 4, 64, 70):
        assert f"{code} " in EXIT_TABLE


@pytest.mark.parametrize("timeout", [0.0, -1.0, float("nan")])
def test_cli_non_positive_timeout_is_a_usage_error(timeout):
    out = io.StringIO()
    with mock.patch("derive.cli.check_command.check") as checking:
        assert run_check(_args("a = a", timeout=timeout), out) == EXIT_USAGE
    assert not checking.called and "usage error" in out.getvalue()


def test_cli_derive_error_is_unknown():
    with mock.patch("derive.cli.check_command.check", side_effect=UnsupportedError("no such thing")):
        out = io.StringIO()
        assert run_check(_args("a = a"), out) == EXIT["unknown"]
    assert "no such thing" in out.getvalue()


def test_cli_internal_error_exits_70(capsys):
    from derive.cli.main import main

    with mock.patch("derive.cli.check_command.check", side_effect=RuntimeError("engine bug")):
        assert main(["check", "a = a"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "RuntimeError: engine bug" in err and "Traceback" in err


def test_cli_usage_errors_exit_64(capsys):
    from derive.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(["check"])  # the claim is missing
    assert info.value.code == EXIT_USAGE
    with pytest.raises(SystemExit) as info:
        main(["check", "a = a", "--timeout", "soon"])
    assert info.value.code == EXIT_USAGE
    assert main(["check", "a = a", "--timeout", "0"]) == EXIT_USAGE
    capsys.readouterr()


def test_cli_main_passes_the_verdict_through(capsys):
    from derive.cli.main import main

    assert main(["check", r"\sigma(0) = 1"]) == EXIT["refuted"]
    assert capsys.readouterr().out.startswith("verdict: refuted")


def test_cli_unknown_verdict_exits_2():
    with mock.patch("derive.cli.check_command.check", return_value=Verdict("unknown", "budget", "no decision")):
        assert run_check(_args("a = a"), io.StringIO()) == EXIT["unknown"]


def test_cli_parser():
    parser = argparse.ArgumentParser()
    add_check_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", r"t_{k0} - \sum_j t_{kj} = w_{k0}", "--question", "q4", "--timeout", "4"])
    assert (args.question, args.timeout) == ("q4", 4.0)
    assert run_check(args, io.StringIO()) == 0


def test_check_in_a_thread():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        v = pool.submit(check, r"\sigma(0) = 1").result()
    assert v.status == "refuted"


def test_review_builder():
    from proofs.review_handwritten import review_handwritten, verdicts

    p = review_handwritten()
    assert all(r.ok for r in p.verify())
    words = {item.where: v.status for item, v in verdicts()}
    assert words["output biases"] == "refuted" and words["output weights"] == "proven"
    assert words["the expanded tanh network"] == "refuted"
