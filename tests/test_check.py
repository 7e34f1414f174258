"""derive.check: verdicts, methods, counterexamples, vocabularies, budgets and the command line."""

import argparse
import io
from unittest import mock

import pytest

from derive.check import Verdict, check, format_verdict
from derive.check_cli import add_check_parser, run_check
from derive.errors import LatexParseError, UnsupportedError
from derive.vocabulary import load_vocabulary


def test_symbolic_true():
    v = check(r"\tanh(a) = 2\sigma(2a) - 1")
    assert v.holds is True and v.proven and v.method.startswith("symbolic")


def test_false_has_counterexample():
    v = check(r"\tanh(a) = 2\sigma(a) - 1")
    assert v.holds is False and v.counterexample and "a" in v.counterexample


def test_numeric_true_is_labelled_not_proven():
    with mock.patch("derive.verify.prove_zero") as prove:
        from derive.verify.strategies import SymbolicResult

        prove.return_value = SymbolicResult(None, False)
        v = check(r"\tanh(a) = 2\sigma(2a) - 1")
    assert v.holds is True and not v.proven and "not proven" in v.method


def test_q4_derived_bias():
    v = check(r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}", question="q4")
    assert v.holds is True and v.proven


def test_q4_handwritten_bias_is_false():
    v = check(r"t_{k0} - 2\sum_j t_{kj} = w_{k0}", question="q4")
    assert v.holds is False and v.counterexample


def test_q4_without_vocabulary_is_not_true():
    assert check(r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}").holds is not True


def test_q5_uses_psd_eigenvalues():
    assert check(r"\sum_i \lambda_i \alpha_i^2 \ge 0", question="q5").holds is True
    assert check(r"\sum_i \lambda_i \alpha_i^2 \ge 0").holds is False


def test_unknown_question():
    with pytest.raises(UnsupportedError, match="q9"):
        load_vocabulary("q9")


def test_operator_level_is_unknown_without_evaluator():
    v = check(r"x * w = w * x")
    assert v.holds is None and v.method == "operator-level claim"


def test_budget_expiry_gives_unknown():
    from derive.budget import Outcome

    with mock.patch("derive.check.run_with_budget", return_value=Outcome(None, True)):
        v = check("a = a")
    assert v.holds is None and "budget" in v.method


def test_evaluation_error_gives_unknown():
    with mock.patch("derive.check.verify_claim", side_effect=ZeroDivisionError("boom")):
        v = check("a = b")
    assert v.holds is None and "ZeroDivisionError" in v.explanation


def test_parse_error_propagates():
    with pytest.raises(LatexParseError):
        check("a = {")


def test_format():
    text = format_verdict(Verdict(False, "m", {"a": "1"}, "fails"))
    assert "verdict: false" in text and "a = 1" in text


@pytest.mark.parametrize("claim, code", [
    (r"\sigma(0) = \frac{1}{2}", 0), (r"\sigma(0) = 1", 1), (r"x * w = w * x", 2), ("a = {", 3),
])
def test_cli_exit_codes(claim, code):
    parser = argparse.ArgumentParser()
    add_check_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    assert run_check(parser.parse_args(["check", claim]), out) == code
    assert out.getvalue()


def test_cli_question():
    parser = argparse.ArgumentParser()
    add_check_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", r"t_{k0} - \sum_j t_{kj} = w_{k0}", "--question", "q4"])
    assert run_check(args, io.StringIO()) == 0


def test_check_in_a_thread():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        v = pool.submit(check, r"\sigma(0) = 1").result()
    assert v.holds is False


def test_review_builder():
    from proofs.review_handwritten import review_handwritten, verdicts

    p = review_handwritten()
    assert all(r.ok for r in p.verify())
    words = {item.where: v.holds for item, v in verdicts()}
    assert words["output biases"] is False and words["output weights"] is True
    assert words["the expanded tanh network"] is False
