"""The notation layer: deep-learning LaTeX to SymPy, refusals with positions, and no string evaluation."""

import pytest
import sympy as sp

from derive import Indicator, ReLU, Sigmoid
from derive.claims.parse import Convolve, Flip, Gradient, parse_claim, parse_latex, tokenize
from derive.claims.vocabulary import Vocabulary
from derive.errors import BudgetExceeded, LatexParseError
from derive.model.nn import layer_symbol, layer_weights
from derive.printing.latex import latex

h, a, x = sp.symbols("h a x", real=True)
j, i, k = (sp.Symbol(c, integer=True, positive=True) for c in "jik")
n = sp.Symbol("n", integer=True, positive=True)
J, II, K = (sp.Idx(s, (1, n)) for s in (j, i, k))

CASES = {
    r"h^{(3)}": layer_symbol("h", 3, real=True),
    r"h^3": h**3,
    r"w^{(1)}_{ji}": layer_weights("w", 1)[J, II],
    r"w_{ji}^{(1)}": layer_weights("w", 1)[J, II],
    r"\sigma(2a)": Sigmoid(2 * a),
    r"\tanh a": sp.tanh(a),
    r"\tanh^2 a": sp.tanh(a) ** 2,
    r"\mathrm{ReLU}(h)": ReLU(h),
    r"\operatorname{ReLU}(h)": ReLU(h),
    r"(h > 0)": Indicator(h),
    r"[h>0]": Indicator(h),
    r"\mathbb{1}[h>0]": Indicator(h),
    r"a \odot h": a * h,
    r"x * w": Convolve(x, sp.Symbol("w", real=True)),
    r"x \ast w": Convolve(x, sp.Symbol("w", real=True)),
    r"w_{\text{flip}}": Flip(sp.Symbol("w", real=True)),
    r"\operatorname{flip}(w)": Flip(sp.Symbol("w", real=True)),
    r"\frac{\partial L}{\partial w^{(2)}}": Gradient(r"\frac{\partial L}{\partial w^{(2)}}", real=True),
    r"\sum_j x_j": sp.Sum(sp.IndexedBase("x", real=True)[j], (j, 1, n)),
    r"\sum_{j=1}^{3} x_j": sp.Sum(sp.IndexedBase("x", real=True)[j], (j, 1, 3)),
    r"W^{T}": sp.Symbol("W", real=True),
    r"W^\top": sp.Symbol("W", real=True),
    r"\frac{1}{2^{99}}": sp.Rational(1, 2**99),
    r"2\frac{1}{2}": sp.Integer(1),
    r"0.25": sp.Rational(1, 4),
    r"e^{-a}": sp.exp(-a),
    r"\frac{d}{da}\tanh a": sp.Derivative(sp.tanh(a), a),
    r"\left(a + h\right)^2": (a + h) ** 2,
    r"\sqrt{a}": sp.sqrt(a),
    r"x_{i+j}": sp.IndexedBase("x", real=True)[II + J],
}


@pytest.mark.parametrize("source", CASES)
def test_notation(source):
    assert parse_latex(source) == CASES[source]


def test_case_is_kept():
    assert parse_latex("W") != parse_latex("w")


def test_layer_from_vocabulary():
    vocab = Vocabulary(default_layers={("t", "k"): 2})
    assert parse_latex("t_{k0}", vocabulary=vocab).base == layer_weights("t", 2)


def test_claim_relations():
    for text, rel in (("a = h", "="), (r"a \neq h", "!="), (r"a \le h", "<="), (r"a \geq h", ">=")):
        assert parse_claim(text).relation == rel


@pytest.mark.parametrize("source, position", [
    ("x + }", 4), ("{x", 0), (r"\foo x", 0), ("x'", 1), (r"\mathrm{GeLU}(x)", 0), ("a = b = c", 6),
    ("x^{10000}", 0), ("2^{10^{10}}", 0), ("\x00", 0), ("a \u2603", 2), (r"\sum x_j", 0), ("", 0),
])
def test_refusals_point_at_the_problem(source, position):
    with pytest.raises(LatexParseError) as info:
        parse_latex(source) if "=" not in source or source.count("=") < 2 else parse_claim(source)
    assert info.value.position == position


def test_claim_needs_relation():
    with pytest.raises(LatexParseError, match="relation"):
        parse_claim("a + b")


def test_printed_back():
    assert latex(parse_latex(r"w^{(1)}_{ji}")) == "w^{(1)}_{ji}"
    assert latex(parse_latex(r"\left(x * w_{\text{flip}}\right) \odot (h > 0)")) == (
        r"\left(x \ast w_{\mathrm{flip}}\right) \odot \left[h > 0\right]")


def test_no_string_evaluation(monkeypatch):
    """Nothing in a parse reaches parse_expr (which sympify uses for every string) or eval."""
    import builtins

    import sympy.parsing.sympy_parser as sp_parser

    def refuse(*args, **kwargs):
        raise AssertionError("string evaluation")

    monkeypatch.setattr(sp_parser, "parse_expr", refuse)
    monkeypatch.setattr(builtins, "eval", refuse)
    claim = parse_claim(r"\tanh(a) = \frac{e^{2a} - 1}{e^{2a} + 1} + 0.5 \cdot 12 - \sqrt{2} + \sum_{j=1}^{3} x_j")
    assert claim.rhs.has(sp.sqrt(2))


def test_skeleton_guard_refuses_user_text():
    from derive.claims.parse import _latex2sympy

    with pytest.raises(LatexParseError, match="skeleton"):
        _latex2sympy()("x + 1")


def test_budget(monkeypatch):
    import importlib

    from derive.budget import Outcome

    module = importlib.import_module("derive.claims.parse")
    monkeypatch.setattr(module, "run_with_budget", lambda fn, seconds: Outcome(None, True))
    with pytest.raises(BudgetExceeded):
        parse_latex("a + b")


def test_tokens_and_unicode():
    assert [t.text for t in tokenize("a ⊙ b ≠ c")] == ["a", r"\odot", "b", r"\neq", "c"]
