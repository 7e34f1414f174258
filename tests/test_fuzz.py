"""Fuzz the parser and the checker: only a result or a DeriveError, within the budget (CI: >= 2000 cases)."""

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.claims.check import Verdict, check
from derive.claims.parse import parse_latex
from derive.errors import DeriveError
from derive.verify.verdict import STATUSES

SCALE = int(os.environ.get("DERIVE_FUZZ_SCALE", "1"))  # make fuzz: DERIVE_FUZZ_SCALE=20
PIECES = [
    "x", "W", "w", "h^{(3)}", "w^{(1)}_{ji}", "w_{kj}", "t_{k0}", "\\sigma(", "\\tanh", "\\mathrm{ReLU}(", "(", ")",
    "[", "]", "{", "}", "^", "_", "+", "-", "=", "\\neq", "\\le", "\\ge", ">", "<", "\\frac{", "}{", "\\sqrt{",
    "\\sum_j", "\\sum_{j=1}^{M}", "\\odot", "*", "\\ast", "w_{\\text{flip}}", "\\operatorname{flip}(w)",
    "\\frac{\\partial L}{\\partial w^{(2)}}", "\\frac{d}{dx}", "^{T}", "^\\top", "2", "10^{10^{10}}", "0.5", "e^{",
    "\\mathbb{1}[", "\\left(", "\\right)", "\\alpha_i", "|", "!", "'", "\\", "\x00", "\u202e", "ä", "⊙", "≠",
    "9999999999999999999999999999999999999999999999999999999999999999", "^{999999}", "\\cdot", "/", " ",
]
fragments = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
garbage = st.text(max_size=40)
nested = st.integers(min_value=1, max_value=60).map(lambda n: "(" * n + "x" + ")" * n)
powers = st.integers(min_value=1, max_value=8).map(lambda n: "2" + "^{2" * n + "}" * n)
inputs = st.one_of(fragments, garbage, nested, powers)

FAST = settings(derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@settings(FAST, max_examples=1800 * SCALE)
@given(inputs)
def test_parser_only_parses_or_refuses(text):
    start = time.perf_counter()
    try:
        parse_latex(text, timeout=1.0)
    except DeriveError:
        pass
    assert time.perf_counter() - start < 3.0


claims = st.tuples(fragments, st.sampled_from(["=", "\\neq", "\\le", "\\ge"]), fragments).map(
    lambda t: f"{t[0]} {t[1]} {t[2]}")
sound = st.tuples(st.sampled_from(["x", "a", "h^{(3)}", "w_{kj}", "\\sigma(a)", "\\tanh(a)", "\\sum_j x_j", "2"]),
                  st.sampled_from(["+", "-", "\\cdot"]),
                  st.sampled_from(["x", "a", "1", "\\frac{1}{2}", "\\mathrm{ReLU}(a)", "(a > 0)", "e^{a}"]),
                  ).map(lambda t: f"{t[0]} {t[1]} {t[2]}")


@settings(FAST, max_examples=160 * SCALE)
@given(st.one_of(claims, st.tuples(sound, sound).map(lambda t: f"{t[0]} = {t[1]}")))
def test_checker_only_gives_verdicts_or_derive_errors(text):
    start = time.perf_counter()
    try:
        v = check(text, timeout=1.0)
    except DeriveError:
        return
    assert isinstance(v, Verdict) and v.holds in (True, False, None) and v.status in STATUSES
    assert time.perf_counter() - start < 4.0


@settings(FAST, max_examples=60 * SCALE)
@given(sound)
def test_an_expression_equals_itself(text):
    v = check(f"{text} = {text}", timeout=2.0)
    assert v.holds is True and v.status == "proven"
    off_by_one = check(f"{text} = {text} + 1", timeout=2.0)
    assert off_by_one.status == "refuted" and off_by_one.counterexample is not None


Q1_PIECES = [
    "x", "w^{(1)}", "w^{(2)}", "h^{(1)}", "h^{(3)}", "z^{(1)}", "y", "u", "v", "w", "a",
    "\\frac{\\partial L}{\\partial y}", "\\frac{\\partial L}{\\partial w^{(1)}}", "\\frac{\\partial L}{\\partial x}",
    "*", "\\ast", "\\odot", "\\operatorname{flip}(", "w^{(2)}_{\\text{flip}}", "(h^{(3)} > 0)", "[h^{(1)}>0]", "+",
    "-", "2", "0", "(", ")", "^{T}", "^{2}", "^{-1}", "\\sigma(", "\\mathrm{ReLU}(", "\\frac{", "}{", "}", "0.5",
]
q1_fragments = st.lists(st.sampled_from(Q1_PIECES), min_size=1, max_size=10).map("".join)


@settings(FAST, max_examples=300 * SCALE)
@given(st.tuples(q1_fragments, st.sampled_from(["=", "\\neq", "\\le", "\\ge"]), q1_fragments))
def test_q1_array_checker_only_gives_verdicts_or_derive_errors(parts):
    start = time.perf_counter()
    try:
        v = check(f"{parts[0]} {parts[1]} {parts[2]}", question="q1", timeout=1.0)
    except DeriveError:
        return
    assert isinstance(v, Verdict) and v.holds in (True, False, None) and v.status in STATUSES
    if parts[0] == parts[2] and parts[1] == "=":
        assert v.holds is not False
    assert time.perf_counter() - start < 4.0
