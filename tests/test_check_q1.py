"""derive.check under q1: operator-level claims (∗, ⊙, flip, masks, ∂L/∂w) decided on random arrays."""

import argparse
import io

import numpy as np
import pytest
import sympy as sp

from derive.arraycheck import ArrayConfig, ArrayModel, _Ctx
from derive.backprop import residual_block_gradients
from derive.check import check
from derive.check_cli import add_check_parser, run_check
from derive.latex.parse import Convolve, Flip, Gradient, Transpose, parse_latex
from derive.operators import Adjoint
from proofs.vocabulary import q1

DY = r"\frac{\partial L}{\partial y}"
DH3 = r"\frac{\partial L}{\partial h^{(3)}}"
DELTA3 = rf"\left({DY} \odot (h^{{(3)}} > 0)\right)"
DZ1 = rf"\left({DELTA3} * w^{{(2)}}_{{\text{{flip}}}}\right)"
DH1 = rf"\left({DZ1} \odot (h^{{(1)}} > 0)\right)"

TRUE = {
    "dL/dw2 (derived)": rf"\frac{{\partial L}}{{\partial w^{{(2)}}}} = {DELTA3} * z^{{(1)}}",
    "dL/dw1 (derived)": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = {DH1} * x",
    "dL/dx with flip and skip": rf"\frac{{\partial L}}{{\partial x}} = {DH3} + {DH1}"
                                r" * \operatorname{flip}(w^{(1)})",
    "dL/dz1 with flipped w2": rf"\frac{{\partial L}}{{\partial z^{{(1)}}}} = {DH3} * w^{{(2)}}_{{\text{{flip}}}}",
    "dL/dh3 mask": rf"{DH3} = {DY} \odot [h^{{(3)}} > 0]",
    "hadamard commutes": rf"{DY} \odot (h^{{(3)}} > 0) = (h^{{(3)}} > 0) \odot {DY}",
    "flip twice": r"\operatorname{flip}(\operatorname{flip}(w)) = w",
    "forward skip": r"h^{(3)} = h^{(2)} + x",
    "forward relu": r"y = \mathrm{ReLU}(h^{(3)})",
    "relu as mask": r"z^{(1)} = h^{(1)} \odot (h^{(1)} > 0)",
    "masks agree": r"[z^{(1)} > 0] = [h^{(1)} > 0]",
    "correlation is linear": r"(u + 2v) * w = u * w + 2 (v * w)",
    "relu nonnegative": r"y \ge 0",
    "derived differs from zero": r"\frac{\partial L}{\partial w^{(2)}} \neq 0",
    "sigmoid symmetry (float only)": r"\sigma(x) = 1 - \sigma(-x)",
}

FALSE = {
    "handwritten mask [h2>0] in dL/dw1": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = \left(\left({DY}"
                                         r" (h^{(2)} > 0) * w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)"
                                         r"\right) * x",
    "w1 not flipped in dL/dx": rf"\frac{{\partial L}}{{\partial x}} = {DH3} + {DH1} * w^{{(1)}}",
    "skip term dropped in dL/dx": rf"\frac{{\partial L}}{{\partial x}} = {DH1} * \operatorname{{flip}}(w^{{(1)}})",
    "w2 not flipped in dL/dz1": rf"\frac{{\partial L}}{{\partial z^{{(1)}}}} = {DH3} * w^{{(2)}}",
    "w2 not flipped in dL/dw1": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = \left(\left({DELTA3} * w^{{(2)}}\right)"
                                rf" \odot (h^{{(1)}} > 0)\right) * x",
    "operands of the kernel gradient swapped": rf"\frac{{\partial L}}{{\partial w^{{(2)}}}} = z^{{(1)}} * {DELTA3}",
    "mask dropped in dL/dw2": rf"\frac{{\partial L}}{{\partial w^{{(2)}}}} = {DY} * z^{{(1)}}",
    "flip is not the identity": r"\operatorname{flip}(w) = w",
    "y is not h3": r"y = h^{(3)}",
    "transpose": r"x^{T} = x",
    "gradient of a kernel is not an image": r"\frac{\partial L}{\partial w^{(2)}} = h^{(1)}",
    "h1 is not negative": r"h^{(1)} \le 0",
}


@pytest.mark.parametrize("name", TRUE)
def test_true_claims(name):
    v = check(TRUE[name], question="q1")
    assert v.holds is True, v
    assert not v.proven and "not proven" in v.method or v.method.startswith("the sides differ")


@pytest.mark.parametrize("name", FALSE)
def test_false_claims_have_a_counterexample(name):
    v = check(FALSE[name], question="q1")
    assert v.holds is False, v
    assert v.counterexample and "image" in v.counterexample
    assert any(k == r"H \times W" for k, _ in v.counterexample_latex)


def test_counterexample_reports_sizes_and_gap():
    v = check(FALSE["w1 not flipped in dL/dx"], question="q1")
    assert {"image", "w^{(1)}", "entry", "lhs", "rhs", "max |lhs - rhs|"} <= set(v.counterexample)
    assert v.counterexample["w^{(1)}"] != "1x1"  # a 1x1 kernel is its own flip


def test_exact_and_float_points_are_used():
    v = check(TRUE["dL/dx with flip and skip"], question="q1")
    assert "4 exact rational" in v.method and "8 float64" in v.method
    f = check(TRUE["sigmoid symmetry (float only)"], question="q1")
    assert "0 exact rational" in f.method


def test_deterministic():
    a, b = check(FALSE["handwritten mask [h2>0] in dL/dw1"], question="q1"), check(
        FALSE["handwritten mask [h2>0] in dL/dw1"], question="q1")
    assert a.counterexample == b.counterexample and a.method == b.method


@pytest.mark.parametrize("claim, why", [
    (r"x * w^{(1)} = w^{(1)} * x", "kernel on the right"),
    (r"\frac{\partial L}{\partial x^{(5)}} = x", "gradient"),
    (r"\frac{\partial h^{(3)}}{\partial x} = 1", "gradient"),
    (r"a \odot x = x \odot a", "not an array"),
    (r"2 * x = x", "two arrays"),
    (r"x + w^{(1)} = x", "ill-typed"),
])
def test_unknown_rather_than_guessed(claim, why):
    v = check(claim, question="q1")
    assert v.holds is None and why in v.explanation, v


def test_scalar_claims_still_use_the_symbolic_path():
    v = check(r"\sigma(0) = \frac{1}{2}", question="q1")
    assert v.holds is True and v.proven


def test_closed_forms_match_the_engine_gradients():
    vocab = q1()
    model = vocab.operator_evaluator
    assert isinstance(model, ArrayModel)
    x, w1, w2 = (vocab.symbols[n] for n in ("x", "w^{(1)}", "w^{(2)}"))
    g = Adjoint(vocab.symbols["y"])
    env = model._environment(ArrayConfig((5, 4), (3, 5, 1), False), np.random.default_rng(0), _Ctx())
    ref = residual_block_gradients(env[x], env[w1], env[w2], env[g])
    for name, key in (("x", "x"), ("w^{(1)}", "w1"), ("w^{(2)}", "w2")):
        ours = model._eval(model.gradients[name], env, False, False)
        assert np.allclose(ours, ref[key], rtol=1e-12, atol=1e-12)


def test_exact_evaluation_is_rational():
    vocab = q1()
    model = vocab.operator_evaluator
    env = model._environment(ArrayConfig((2, 3), (3, 1, 3), True), np.random.default_rng(1), _Ctx())
    value = model._eval(model.gradients["x"], env, True, False)
    assert value.dtype == object and all(type(v).__name__ == "Fraction" for v in value.ravel())


def test_parse_builds_array_nodes_under_q1():
    vocab = q1()
    e = parse_latex(r"\frac{\partial L}{\partial y} * w^{(2)}_{\text{flip}}", vocabulary=vocab)
    assert isinstance(e, Convolve) and isinstance(e.args[1], Flip)
    assert isinstance(parse_latex(r"x^{T}", vocabulary=vocab), Transpose)
    assert parse_latex(r"x^{T}") == sp.Symbol("x", real=True)  # scalars: the transpose is the identity
    assert Gradient(r"\frac{d L}{d w^{(1)}}").parts() == ("d", "L", "w^{(1)}")


def test_cli_q1_exit_codes():
    parser = argparse.ArgumentParser()
    add_check_parser(parser.add_subparsers(dest="command"))
    for claim, code in ((TRUE["flip twice"], 0), (FALSE["flip is not the identity"], 1),
                        (r"x * w^{(1)} = w^{(1)} * x", 2)):
        out = io.StringIO()
        assert run_check(parser.parse_args(["check", claim, "--question", "q1"]), out) == code
        assert out.getvalue()


def test_review_decides_the_handwritten_q1():
    from proofs.review_handwritten import verdicts

    words = {item.where: v for item, v in verdicts() if item.question == "Q1"}
    assert words["boxed gradient of the second kernel"].holds is True
    assert words["gradient of the first kernel"].holds is False
    assert words["gradient of the input, final line"].holds is False
    assert all(v.counterexample_latex for v in words.values() if v.holds is False)
