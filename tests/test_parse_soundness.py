r"""Soundness of the notation layer: each construct means what the notation means, or it is refused.

Tested at the level of :func:`parse_claim` / :func:`parse_latex` and :meth:`Vocabulary.substitute`, so the
meaning is pinned down independently of the verifier. Every test that checks a true meaning also checks a
wrong variant: the parse must not coincide with a plausible misreading.
"""

import builtins
import math

import numpy as np
import pytest
import sympy as sp
import sympy.parsing.sympy_parser as sympy_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive import Sigmoid
from derive.calculus.loss_surface import loss_surface
from derive.calculus.reparam import _evaluate
from derive.claims.parse import Convolve, Transpose, is_operator_level, parse_claim, parse_latex
from derive.claims.vocabulary import IndexedRule, Vocabulary
from derive.errors import DeriveError, LatexParseError
from proofs.vocabulary import q1, q4, q5

a, b, x, y = sp.symbols("a b x y", real=True)


# --- 1. the summand's index is the bound index -------------------------------------------------------------
def _only_variable(s: sp.Basic) -> sp.Symbol:
    (variable,) = [limit[0] for limit in s.limits]
    return variable


def test_summand_letter_is_the_summation_variable():
    c = parse_claim(r"\sum_{k=1}^{3} k = 6")
    assert c.lhs.function == _only_variable(c.lhs)
    assert c.lhs.doit() == 6
    assert not c.lhs.free_symbols  # wrong reading: a free real k, giving 3k
    assert c.lhs.doit() != 3 * sp.Symbol("k", real=True)


def test_summand_letter_with_symbolic_upper_bound():
    M = q4().symbols["M"]
    s = parse_latex(r"\sum_{j=1}^{M} j", vocabulary=q4())
    assert s.free_symbols == {M}
    assert sp.simplify(s.doit() - M * (M + 1) / 2) == 0
    assert sp.simplify(s.doit() - M * sp.Symbol("j", real=True)) != 0


def test_subscript_and_bare_factor_are_one_bound_index():
    s = parse_latex(r"\sum_{i=1}^{n} x_i i")
    i = _only_variable(s)
    (element,) = s.function.atoms(sp.Indexed)
    assert element.indices == (i,)
    assert s.function == i * element
    assert s.free_symbols & {sp.Symbol("i", real=True)} == set()
    # at n = 3: x_1 + 2 x_2 + 3 x_3
    X = sp.IndexedBase("x", real=True)
    assert s.xreplace({sp.Symbol("n", integer=True, positive=True): 3}).doit() == X[1] + 2 * X[2] + 3 * X[3]


def test_product_binds_its_index():
    p = parse_latex(r"\prod_{k=1}^{4} k")
    assert isinstance(p, sp.Product) and p.doit() == 24
    assert parse_latex("∏_{k=1}^{3} (k + 1)").doit() == 24
    assert not p.free_symbols


def test_nested_sums_bind_their_own_indices():
    assert parse_latex(r"\sum_{i=1}^{3}\sum_{j=1}^{i} j").doit() == 10  # the inner bound i is the outer index
    assert parse_latex(r"\sum_{i=1}^{2}\sum_{j=1}^{3} i j").doit() == 18
    assert parse_latex(r"\sum_{k=1}^{2}\sum_{k=1}^{3} k").doit() == 12  # the inner sum shadows the outer
    s = parse_latex(r"\sum_{i=1}^{2}\sum_{j=1}^{2} x_{ij} i")
    X = sp.IndexedBase("x", real=True)
    assert s.doit() == X[1, 1] + X[1, 2] + 2 * X[2, 1] + 2 * X[2, 2]


def test_letter_outside_the_sum_stays_free():
    e = parse_latex(r"k + \sum_{k=1}^{3} k")
    assert e.doit() == sp.Symbol("k", real=True) + 6


def test_index_assumptions_follow_the_lower_bound():
    s = parse_latex(r"\sum_{k=0}^{3} k")
    assert _only_variable(s).is_positive is not True  # k = 0 is a term
    assert s.doit() == 6
    assert parse_latex(r"\sum_{k=-2}^{2} k^2").doit() == 10
    assert parse_latex(r"\sum_{k=-2}^{2} k^3").doit() == 0


def test_empty_ranges_are_empty_not_karr():
    assert parse_latex(r"\sum_{k=5}^{1} k") == 0  # SymPy's Karr convention would give -9
    assert parse_latex(r"\prod_{k=4}^{1} k") == 1
    assert parse_latex(r"\sum_{k=1}^{0} k") == 0


def test_bounds_are_integers_and_the_same_symbol_throughout():
    with pytest.raises(LatexParseError, match="integers"):
        parse_latex(r"\sum_{k=1}^{2.5} k")
    with pytest.raises(LatexParseError, match="integers"):
        parse_latex(r"\sum_{k=1}^{n/2} k")
    c = parse_claim(r"\sum_{k=1}^{x} 1 = x")
    assert c.rhs.is_integer and c.lhs.doit() == c.rhs
    # \sum_j runs to the default size n; an explicit upper bound n is that same size
    c = parse_claim(r"\sum_j x_j = \sum_{j=1}^{n} x_j")
    assert c.lhs == c.rhs
    # an array named like a bound letter keeps its own (real) type
    e = parse_latex(r"\sum_{i=1}^{N} N_i")
    (element,) = e.atoms(sp.Indexed)
    assert element.base == sp.IndexedBase("N", real=True)


def test_free_index_and_variable_with_one_letter_is_refused():
    with pytest.raises(LatexParseError, match="free index and as a variable"):
        parse_latex("x_i i")
    with pytest.raises(LatexParseError, match="free index and as a variable"):
        parse_claim(r"\sum_{j=1}^{i} x_j = x_i")


# --- 2. ^{T} on a group is a transpose, never dropped ------------------------------------------------------
def test_transpose_of_an_array_group():
    e = parse_latex(r"(x * w)^{T}")
    assert isinstance(e, Transpose) and isinstance(e.arg, Convolve)
    assert e != Convolve(x, sp.Symbol("w", real=True))  # the dropped reading
    assert is_operator_level(e)
    assert str(e)  # printable
    assert isinstance(parse_latex(r"w_{\text{flip}}^{T}"), Transpose)
    assert isinstance(parse_latex(r"\frac{\partial L}{\partial w}^{T}"), Transpose)
    assert isinstance(parse_latex(r"\sigma(x * w)^{T}"), Transpose)


def test_transpose_with_an_array_vocabulary():
    vocab = q1()
    for text in (r"(u+v)^T", r"(u + v)^{T}", "x^T", r"(x * w)^\top", "(u)ᵀ"):
        e = parse_latex(text, vocabulary=vocab)
        assert isinstance(e, Transpose), text


def test_transpose_of_a_scalar_is_itself():
    assert parse_latex("(a+b)^T") == a + b
    assert parse_latex(r"(a+b)^{\top}") == a + b
    assert parse_latex("(a+b)ᵀ") == a + b
    assert parse_latex("(x_1 + x_2)^T") == sp.IndexedBase("x", real=True)[1] + sp.IndexedBase("x", real=True)[2]


def test_transpose_of_a_construct_without_a_bracket_is_refused():
    for text in (r"\frac{a}{b}^T", r"\sqrt{a}^T"):
        with pytest.raises(LatexParseError, match="T"):
            parse_latex(text)


# --- 3. f^{-1}(x) is the inverse function or refused -------------------------------------------------------
INVERSES = {
    r"\tanh": (sp.atanh, sp.tanh), r"\sin": (sp.asin, sp.sin), r"\cos": (sp.acos, sp.cos),
    r"\sinh": (sp.asinh, sp.sinh), r"\cosh": (sp.acosh, sp.cosh), r"\exp": (sp.log, sp.exp),
    r"\ln": (sp.exp, sp.log), r"\log": (sp.exp, sp.log),
}


@pytest.mark.parametrize("name", INVERSES)
def test_inverse_function(name):
    inverse, forward = INVERSES[name]
    assert parse_latex(rf"{name}^{{-1}}(x)") == inverse(x)
    assert parse_latex(rf"{name}^{{-1}} x") == inverse(x)
    assert parse_latex(rf"{name}^{{-1}}(x)") != 1 / forward(x)  # the reciprocal misreading


def test_inverse_sigmoid_is_the_logit():
    e = parse_latex(r"\sigma^{-1}(y)")
    assert e != 1 / Sigmoid(y)
    assert sp.simplify(e - sp.log(y / (1 - y))) == 0
    assert sp.simplify(e.xreplace({y: Sigmoid(a)}).rewrite(sp.exp) - a) == 0
    assert parse_latex("σ^{-1}(y)") == e


def test_function_powers_stay_powers():
    assert parse_latex(r"\tanh^{2}(x)") == sp.tanh(x) ** 2
    assert parse_latex(r"\tanh^2 x") == sp.tanh(x) ** 2
    assert parse_latex(r"\sin^{3}(x)") == sp.sin(x) ** 3
    assert parse_latex(r"\tanh(x)^{-1}") == 1 / sp.tanh(x)  # the explicit reciprocal


@pytest.mark.parametrize("text", [
    r"\tanh^{-2}(x)", r"\tanh^{n}(x)", r"\sigma^{\frac{1}{2}}(x)", r"\mathrm{ReLU}^{-1}(x)",
    r"\operatorname{flip}^{-1}(w)", r"\tanh^{T}(x)", r"\sin^{0}(x)",
])
def test_ambiguous_function_superscripts_are_refused(text):
    with pytest.raises(LatexParseError, match="ambiguous"):
        parse_latex(text)


# --- 4. vocabulary rules decide on the value of each index -------------------------------------------------
def _q4_element(text: str) -> tuple[Vocabulary, sp.Indexed]:
    vocab = q4()
    element = parse_latex(text, vocabulary=vocab)
    assert isinstance(element, sp.Indexed)
    return vocab, element


def test_q4_bias_is_selected_at_the_index_value():
    vocab, element = _q4_element(r"t_{k,j-1}")
    k, shifted = element.indices
    J = shifted + 1
    value = vocab.substitute(element)
    assert isinstance(value, sp.Piecewise)
    bias = vocab.substitute(element.base[k, 0])
    for j in (1, 2, 5):
        at = value.xreplace({J: sp.Integer(j)})
        assert at == (bias if j == 1 else vocab.substitute(element.base[k, j - 1])), j
    # the claim of the brief: true for j > 1, false at j = 1 (t_{k,0} is the bias)
    c = parse_claim(r"t_{k,j-1} = \frac{w_{k,j-1}}{2}", vocabulary=vocab)
    gap = vocab.substitute(c.lhs) - vocab.substitute(c.rhs)
    assert gap.xreplace({J: sp.Integer(2)}) == 0
    assert gap.xreplace({J: sp.Integer(1)}) != 0


def test_q4_decided_indices_need_no_piecewise():
    vocab, element = _q4_element(r"t_{kj}")
    assert not vocab.substitute(element).has(sp.Piecewise)
    _, shifted = _q4_element(r"t_{k,j+1}")  # j >= 1, so j + 1 is never the bias
    assert not vocab.substitute(shifted).has(sp.Piecewise)
    _, bias = _q4_element(r"t_{k0}")
    assert vocab.substitute(bias).has(sp.Sum)


def test_q4_summation_from_zero_takes_the_bias_at_zero():
    vocab = q4()
    M = vocab.symbols["M"]
    s = parse_latex(r"\sum_{j=0}^{M} t_{kj}", vocabulary=vocab)
    value = vocab.substitute(s).xreplace({M: 2}).doit()
    (k,) = {e.indices[0] for e in s.atoms(sp.Indexed)}
    w2 = sp.IndexedBase("w^{(2)}", real=True)
    bias = w2[k, 0] + (w2[k, 1] + w2[k, 2]) / 2
    assert sp.expand(value - (bias + w2[k, 1] / 2 + w2[k, 2] / 2)) == 0


def test_rule_values_do_not_capture_the_element_index():
    vocab = q4()
    M = vocab.symbols["M"]
    s = parse_latex(r"\sum_{j=1}^{M} t^{(2)}_{j0}", vocabulary=vocab)
    value = vocab.substitute(s).xreplace({M: 2}).doit()
    w2 = sp.IndexedBase("w^{(2)}", real=True)
    expected = sum(w2[j, 0] + (w2[j, 1] + w2[j, 2]) / 2 for j in (1, 2))
    assert sp.expand(value - expected) == 0


def test_integer_indices_keep_the_direct_match():
    t, w = sp.IndexedBase("t"), sp.IndexedBase("w")
    j = sp.Symbol("j")
    vocab = Vocabulary(rules=(IndexedRule(t, (sp.Integer(0),), w[0]), IndexedRule(t, (j,), 2 * w[j])))
    assert vocab.substitute(t[0]) == w[0]
    assert vocab.substitute(t[3]) == 2 * w[3]
    J = sp.Idx(sp.Symbol("j", integer=True), (0, 4))  # the range includes 0
    assert vocab.substitute(t[J]) == sp.Piecewise((w[0], sp.Eq(J, 0)), (2 * w[J], True))


def test_repeated_wildcard_matches_equal_indices_only():
    t = sp.IndexedBase("t")
    p = sp.Symbol("p")
    rule = IndexedRule(t, (p, p), sp.Integer(1))
    assert rule.match(t[2, 2]) == 1
    assert rule.match(t[2, 3]) is None
    P, K = (sp.Idx(sp.Symbol(c, integer=True), (1, 3)) for c in "ik")
    value = Vocabulary(rules=(rule,)).substitute(t[P, K])
    assert value.xreplace({P: 2, K: 2}) == 1
    assert value.xreplace({P: 2, K: 3}) == t[2, 3]


def test_hypotheses_agree_with_substitute():
    vocab = q4()
    c = parse_claim(r"t_{k,j-1} + t_{kj} = t_{k0}", vocabulary=vocab)
    table = vocab.hypotheses(c.lhs, c.rhs)
    assert set(table) == c.lhs.atoms(sp.Indexed) | c.rhs.atoms(sp.Indexed)
    for element, value in table.items():
        assert value == vocab.substitute(element)
    assert any(isinstance(v, sp.Piecewise) for v in table.values())
    assert vocab.substitute(c.lhs) == c.lhs.xreplace(table)


def test_kronecker_rule_on_shifted_indices():
    vocab = q5()
    assert vocab.substitute(parse_latex(r"\delta_{i,i+1}", vocabulary=vocab)) == 0
    assert vocab.substitute(parse_latex(r"\delta_{ii}", vocabulary=vocab)) == 1


# --- 5. crashes become DeriveErrors ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "x_{} = x", "x^{}", r"\frac{}{}", r"\frac{1}{}", "{x", "x}", r"\sum_{}^{} x", r"\sum_{k=}^{} x", r"\sqrt{}",
    r"\sqrt[]{x}", "^", "_", "x^", "x_", "x^^2", "x__1", "^{T}", "ᵀ", r"\sum", r"\sum_k", r"\prod_{k=1}^{3}",
    r"\text{}", "x_{,}", "x_{i,}", r"\tanh^{}(x)", r"\tanh^{-1}", r"\left(x", "x = y = z", "", " ", "\\",
    r"\frac{1}{0}", "0^{-1}", r"\frac{x}{x - x}", r"\ln 0", r"\tanh^{-1}(1)", r"\sigma^{-1}(0)",
    "{" * 30 + "x" + "}" * 30, "(" * 30 + "x" + ")" * 30, "x+" * 1500, "𝑥 = 1", "x\u202e = 1", "x\x00",
    "9" * 80, "2^{999999}", "10^{10^{10}}",
])
def test_bad_input_is_a_latex_parse_error(text):
    with pytest.raises(LatexParseError) as info:
        parse_latex(text)
    assert str(info.value).strip()


def test_tiny_numbers_do_not_underflow():
    c = parse_claim(r"(10^{-400})^{2} = 0")
    assert c.lhs == sp.Rational(1, 10**800)
    assert parse_latex(r"(10^{-400})^{-2}") == sp.Integer(10) ** 800
    with pytest.raises(LatexParseError, match="too large"):
        parse_latex(r"(10^{-400})^{40}")


@pytest.mark.parametrize("text", [r"w^{(1)}_{1} = w^{(1)}", r"w^{*}_{1} = w^{*}", "x_1 = x"])
def test_array_element_and_scalar_of_one_name_are_distinct(text):
    c = parse_claim(text)
    assert isinstance(c.lhs, sp.Indexed) and isinstance(c.rhs, sp.Symbol)
    assert c.lhs != c.rhs


ODD = st.sampled_from([
    "x", "k", "j", "t_{k,j-1}", "w^{(1)}_{ji}", "w^{*}", "^", "_", "{", "}", "{}", "^{}", "_{}", "(", ")", "[", "]",
    "^{T}", "ᵀ", "^{-1}", r"\tanh^{-1}", r"\sigma^{-1}", r"\sum_{k=1}^{3}", r"\sum_{}^{}", r"\prod_j", "∑", "∏",
    r"\frac{", "}{", r"\frac{}{}", r"\sqrt[", "*", r"\odot", "+", "-", "=", r"\le", "<", "0", "2", "10^{-400}", ",",
    r"\left(", r"\right)", r"\mathbb{1}[", r"\mathrm{}", r"\text{flip}", "ä", "𝑥", "\u202e", "\\", " ", "|", "'",
])
INPUTS = st.one_of(st.lists(ODD, max_size=14).map("".join), st.text(max_size=30))


@settings(derandomize=True, deadline=None, database=None, max_examples=400, suppress_health_check=list(HealthCheck))
@given(INPUTS, st.sampled_from([None, "q4", "q5"]))
def test_fuzz_parse_and_substitute_only_return_or_refuse(text, question):
    vocab = {None: None, "q4": q4(), "q5": q5()}[question]
    try:
        value = parse_latex(text, vocabulary=vocab, timeout=2.0)
    except DeriveError as exc:
        assert str(exc).strip()
        return
    assert isinstance(value, sp.Basic)
    if vocab is not None:
        vocab.substitute(value)
        vocab.hypotheses(value)


# --- 6. parsing never evaluates text -----------------------------------------------------------------------
def test_parsing_evaluates_no_string(monkeypatch):
    texts = [r"\sum_{k=1}^{3} k = 6", r"\frac{1}{2} + \tanh^{-1}(x) \cdot w^{(1)}_{ji}", "(a+b)^T", "0.25 x^{2}",
             r"\sqrt[3]{x} - \prod_{k=1}^{2} k", r"\sigma^{-1}(y) \neq 1"]
    expected = [parse_latex(t) for t in texts]  # warm up: imports may legitimately use eval (namedtuple)

    def refuse(*args, **kwargs):
        raise AssertionError("a string was evaluated")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(sympy_parser, "parse_expr", refuse)
    monkeypatch.setattr(sympy_parser, "eval_expr", refuse)
    assert [parse_latex(t) for t in texts] == expected


# --- lambdify: no symbol name reaches generated source -----------------------------------------------------
def test_reparam_evaluation_with_unsafe_names():
    base = sp.IndexedBase("w^{*}")
    k, j = sp.Symbol("k^{(1)}", integer=True), sp.Symbol("lambda", integer=True)
    size, shadow = sp.Symbol("M-1", integer=True), sp.Symbol("exp")  # "exp" would shadow numpy.exp
    expr = base[k, 0] + sp.Sum(base[k, j], (j, 1, size)) / 2 + sp.exp(shadow)
    array = np.arange(12.0).reshape(3, 4)
    value = _evaluate(expr, {base.label: array}, {k: np.array([1, 2]), size: 3, shadow: 0.0})
    assert value.tolist() == [1 + 4.0 + (5 + 6 + 7) / 2, 1 + 8.0 + (9 + 10 + 11) / 2]


def test_loss_surface_with_unsafe_names():
    p, q = sp.Symbol("exp"), sp.Symbol("x_{1} + 1")  # "exp" would shadow numpy.exp in the generated function
    surface = loss_surface(sp.exp(p) * q, [p], [q])
    data = (np.array([1.0, 2.0]),)
    assert math.isclose(surface.value(np.array([0.0]), data), 3.0)
    assert surface.gradient(np.array([0.0]), data).tolist() == [3.0]
    assert surface.hessian(np.array([0.0]), data).tolist() == [[3.0]]


@pytest.mark.parametrize("text", [r"h^{(l+1)} = h^{l+1}", r"w^{(l-1)} = w^{l} w^{-1}", r"h^{(1+1)} = h^{(2)}"])
def test_a_layer_superscript_holding_an_expression_is_refused(text):
    with pytest.raises(LatexParseError, match="layer superscript"):
        parse_claim(text)
