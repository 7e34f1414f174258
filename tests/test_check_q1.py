"""derive.claims.check under q1: operator-level claims (∗, ⊙, flip, masks, ∂L/∂w) decided on random arrays.

Points never prove an array identity: a true claim ``agrees`` (almost everywhere), a false one is ``refuted``
with a counterexample confirmed in exact rational (or interval) arithmetic.
"""

import argparse
import io
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from derive.calculus.backprop import residual_block_gradients
from derive.claims.arraycheck import CONFIGS, H_SYMBOL, W_SYMBOL, ArrayConfig, ArrayModel, _Ctx
from derive.claims.check import check
from derive.claims.parse import Convolve, Flip, Gradient, Transpose, parse_latex
from derive.cli.check_command import add_check_parser, run_check
from derive.model.operators import Adjoint
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
    "dL/dh1 with its mask": rf"\frac{{\partial L}}{{\partial h^{{(1)}}}} = \left({DH3} * w^{{(2)}}_{{\text{{flip}}}}"
                            r"\right) \odot [h^{(1)} > 0]",
    "dL/dh3 mask": rf"{DH3} = {DY} \odot [h^{{(3)}} > 0]",
    "dL/dh2 passes through the sum": rf"\frac{{\partial L}}{{\partial h^{{(2)}}}} = {DH3}",
    "hadamard commutes": rf"{DY} \odot (h^{{(3)}} > 0) = (h^{{(3)}} > 0) \odot {DY}",
    "flip twice": r"\operatorname{flip}(\operatorname{flip}(w)) = w",
    "forward skip": r"h^{(3)} = h^{(2)} + x",
    "forward relu": r"y = \mathrm{ReLU}(h^{(3)})",
    "relu as mask": r"z^{(1)} = h^{(1)} \odot (h^{(1)} > 0)",
    "masks agree": r"[z^{(1)} > 0] = [h^{(1)} > 0]",
    "relu splits": r"\mathrm{ReLU}(h^{(1)}) - \mathrm{ReLU}(-h^{(1)}) = h^{(1)}",
    "correlation is linear": r"(u + 2v) * w = u * w + 2 (v * w)",
    "correlation commutes with transposes": r"x^{T} * w^{T} = (x * w)^{T}",
    "correlation commutes with flips": r"x * w = \operatorname{flip}(\operatorname{flip}(x) * \operatorname{flip}(w))",
    "kernel gradient flipped": r"\operatorname{flip}(u * v) = v * u",
    "relu nonnegative": r"y \ge 0",
    "sigmoid symmetry (interval arithmetic)": r"\sigma(x) = 1 - \sigma(-x)",
    "tanh through the sigmoid (interval arithmetic)": r"\tanh(u) = 2\sigma(2u) - 1",
}

FALSE = {
    "handwritten mask [h2>0] in dL/dw1": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = \left(\left({DY}"
                                         r" (h^{(2)} > 0) * w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)"
                                         r"\right) * x",
    "wrong mask [h3>0] in dL/dh1": rf"\frac{{\partial L}}{{\partial h^{{(1)}}}} = \left({DH3} * "
                                   rf"w^{{(2)}}_{{\text{{flip}}}}\right) \odot (h^{{(3)}} > 0)",
    "mask dropped in dL/dh1": rf"\frac{{\partial L}}{{\partial h^{{(1)}}}} = {DH3} * w^{{(2)}}_{{\text{{flip}}}}",
    "w1 not flipped in dL/dx": rf"\frac{{\partial L}}{{\partial x}} = {DH3} + {DH1} * w^{{(1)}}",
    "skip term dropped in dL/dx": rf"\frac{{\partial L}}{{\partial x}} = {DH1} * \operatorname{{flip}}(w^{{(1)}})",
    "skip term dropped in the forward pass": r"h^{(3)} = h^{(2)}",
    "w2 not flipped in dL/dz1": rf"\frac{{\partial L}}{{\partial z^{{(1)}}}} = {DH3} * w^{{(2)}}",
    "w2 transposed instead of flipped": rf"\frac{{\partial L}}{{\partial z^{{(1)}}}} = {DH3} * (w^{{(2)}})^{{T}}",
    "w2 not flipped in dL/dw1": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = \left(\left({DELTA3} * w^{{(2)}}\right)"
                                rf" \odot (h^{{(1)}} > 0)\right) * x",
    "operands of the kernel gradient swapped": rf"\frac{{\partial L}}{{\partial w^{{(2)}}}} = z^{{(1)}} * {DELTA3}",
    "operands of dL/dw1 swapped": rf"\frac{{\partial L}}{{\partial w^{{(1)}}}} = x * {DH1}",
    "mask dropped in dL/dw2": rf"\frac{{\partial L}}{{\partial w^{{(2)}}}} = {DY} * z^{{(1)}}",
    "flip is not the identity": r"\operatorname{flip}(w) = w",
    "wrong kernel in the forward pass": r"h^{(1)} = x * w^{(2)}",
    "y is not h3": r"y = h^{(3)}",
    "dL/dx is not dL/dy": rf"\frac{{\partial L}}{{\partial x}} = {DY}",
    "transpose": r"x^{T} = x",
    "gradient of a kernel is not an image": r"\frac{\partial L}{\partial w^{(2)}} = h^{(1)}",
    "h1 is not negative": r"h^{(1)} \le 0",
    # true on square images only: both sides are zero arrays, of shapes W x H and H x W
    "true only on square images": r"[x^{T} > 0] \odot [-x^{T} > 0] = [x > 0] \odot [-x > 0]",
    # every entry of the kernel gradient of two positive images is a sum over a non-empty overlap, unless
    # the kernel reaches beyond the image (then its corners see no pixel and are 0)
    "true only when the kernel is smaller than the image": r"(u \odot u + 1) * (v \odot v + 1) > 0",
    "tiny exact difference (float64 would call it equal)": r"(1 + 10^{-20}) u = u",
    "tanh through the wrong sigmoid (interval arithmetic)": r"\tanh(u) = 2\sigma(u) - 1",
}


@pytest.mark.parametrize("name", TRUE)
def test_true_claims_agree_but_are_not_proven(name):
    v = check(TRUE[name], question="q1")
    assert v.status == "agrees", v
    assert not v.proven and v.holds is None and v.method == "points"
    assert v.qualifier == "almost everywhere"
    assert v.points >= 6 and v.counterexample is None


@pytest.mark.parametrize("name", FALSE)
def test_false_claims_are_refuted_with_a_counterexample(name):
    v = check(FALSE[name], question="q1")
    assert v.status == "refuted", v
    point = v.counterexample
    assert point is not None
    names = dict(point.assignments)
    assert isinstance(names[H_SYMBOL], sp.Integer) and isinstance(names[W_SYMBOL], sp.Integer)
    assert point.confirmed in ("exact rational arithmetic", "array shapes (left, right)") \
        or point.confirmed.startswith("interval arithmetic at ")


def test_counterexample_reports_sizes_entry_and_exact_values():
    v = check(FALSE["w1 not flipped in dL/dx"], question="q1")
    point = v.counterexample
    names = {str(k): val for k, val in point.assignments}
    assert {"H", "W", "k_{w^{(1)}}", "k_{w^{(2)}}", "i", "j"} <= set(names)
    assert names["k_{w^{(1)}}"] != 1  # a 1x1 kernel is its own flip
    assert 0 <= names["i"] < names["H"] and 0 <= names["j"] < names["W"]
    assert isinstance(point.lhs, sp.Rational) and isinstance(point.rhs, sp.Rational) and point.lhs != point.rhs
    assert point.confirmed == "exact rational arithmetic" and not point.approximate
    assert v.record() and "H" in v.record()


def test_interval_counterexample_is_marked_approximate():
    v = check(FALSE["tanh through the wrong sigmoid (interval arithmetic)"], question="q1")
    point = v.counterexample
    assert point.approximate and point.confirmed.startswith("interval arithmetic at ")
    assert abs(float(point.lhs) - float(point.rhs)) > 1e-3


def test_kernel_larger_than_the_image_is_where_it_fails():
    v = check(FALSE["true only when the kernel is smaller than the image"], question="q1")
    names = {str(k): int(val) for k, val in v.counterexample.assignments}
    assert names["k"] > min(names["H"], names["W"])
    assert v.counterexample.lhs == 0


def test_non_square_image_is_where_it_fails():
    v = check(FALSE["true only on square images"], question="q1")
    names = {str(k): int(val) for k, val in v.counterexample.assignments}
    assert names["H"] != names["W"]
    assert v.points >= 1  # the square images before it agreed


def test_exact_and_interval_points_are_used():
    v = check(TRUE["dL/dx with flip and skip"], question="q1")
    n = sum(c.points for c in CONFIGS)
    assert v.points == n and f"{n} in exact rational arithmetic, 0 by interval arithmetic" in v.reason
    f = check(TRUE["sigmoid symmetry (interval arithmetic)"], question="q1")
    assert "0 in exact rational arithmetic" in f.reason and f.points >= 6


def test_kinks_are_excluded_and_counted():
    v = check(r"[u > 0] + [-u > 0] = 1", question="q1")
    assert v.status == "agrees" and v.qualifier == "almost everywhere"
    assert v.excluded and "kink" in v.excluded[0] and v.excluded[0].split()[0].isdigit()


def test_not_equal_is_a_witness_or_unknown():
    v = check(r"\frac{\partial L}{\partial w^{(2)}} \neq 0", question="q1")
    assert v.status == "proven" and v.witness is not None and v.counterexample is None
    u = check(r"\operatorname{flip}(\operatorname{flip}(w)) \neq w", question="q1")
    assert u.status == "unknown" and "cannot prove" in u.reason


def test_deterministic():
    a, b = check(FALSE["handwritten mask [h2>0] in dL/dw1"], question="q1"), check(
        FALSE["handwritten mask [h2>0] in dL/dw1"], question="q1")
    assert a.counterexample == b.counterexample and a.reason == b.reason


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
    assert v.status == "unknown" and why in v.reason, v


def test_scalar_claims_still_use_the_symbolic_path():
    v = check(r"\sigma(0) = \frac{1}{2}", question="q1")
    assert v.status == "proven"


def _point(model, shape, kernels, profile="moderate", key=(0, 0, 0, 0)):
    return model._point(ArrayConfig(shape, kernels), _Ctx(), list(key), profile)


def test_closed_forms_match_the_engine_gradients():
    vocab = q1()
    model = vocab.operator_evaluator
    assert isinstance(model, ArrayModel)
    x, w1, w2 = (vocab.symbols[n] for n in ("x", "w^{(1)}", "w^{(2)}"))
    g = Adjoint(vocab.symbols["y"])
    point = _point(model, (5, 4), (3, 5, 1))
    as_float = {a: point.leaf(a).astype(float) for a in (x, w1, w2, g)}
    ref = residual_block_gradients(as_float[x], as_float[w1], as_float[w2], as_float[g])
    for name, key in (("x", "x"), ("w^{(1)}", "w1"), ("w^{(2)}", "w2")):
        ours, exact = model._eval(model.gradients[name], point, None)
        assert exact
        assert np.allclose(ours.astype(float), ref[key], rtol=1e-9, atol=1e-9)


def test_exact_evaluation_is_rational():
    vocab = q1()
    model = vocab.operator_evaluator
    point = _point(model, (2, 3), (3, 1, 3), "mixture")
    value, exact = model._eval(model.gradients["x"], point, None)
    assert exact and value.dtype == object and all(type(v) is Fraction for v in value.ravel())


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
    for claim, code in ((TRUE["flip twice"], 4), (FALSE["flip is not the identity"], 1),
                        (r"x * w^{(1)} = w^{(1)} * x", 2)):
        out = io.StringIO()
        assert run_check(parser.parse_args(["check", claim, "--question", "q1"]), out) == code
        assert out.getvalue()


def test_review_decides_the_handwritten_q1():
    from proofs.review_handwritten import verdicts

    words = {item.where: v for item, v in verdicts() if item.question == "Q1"}
    assert words["boxed gradient of the second kernel"].status == "agrees"
    assert words["gradient of the first kernel"].status == "refuted"
    assert words["gradient of the input, final line"].status == "refuted"
    assert all(v.counterexample.assignments for v in words.values() if v.status == "refuted")
