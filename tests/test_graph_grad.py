"""derive.grad: blocks a user writes get derived gradients that are right, and wrong rules are caught."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import derive
from derive.model import kernels
from derive.model.ops import AvgPool2d, BatchNorm, Conv2d, MaxPool2d, SoftmaxCrossEntropy
from derive.model.spec import SpecError
from derive.verify.gradient_checks import exact_check, numeric_check
from derive.verify.lemmas import check_lemma, check_lemmas

ROOT = Path(__file__).resolve().parents[1]

CANONICAL = """\
x  = input(3, 8, 8)
w1 = param(4, 3, 3, 3)
w2 = param(3, 4, 3, 3)
h1 = conv2d(x, w1, padding=1)
z1 = relu(h1)
h2 = conv2d(z1, w2, padding=1)
y  = relu(h2 + x)
output y
"""

BLOCKS = {
    "canonical": CANONICAL,
    "strided dilated batched, bias": """
x = input(2, 3, 9, 7)
w = param(4, 3, 3, 2)
b = param(4)
y = leaky_relu(conv2d(x, w, b, stride=2, padding=(1, 2), dilation=(2, 1)), 0.1)
output y
""",
    "pool, batch norm, head": """
x = input(2, 2, 6, 6)
w = param(3, 2, 3, 3)
g = param(3)
be = param(3)
t = target(2, 5)
W = param(5, 12)
c = param(5)
h = batch_norm(conv2d(x, w, padding=same), g, be, 0.001)
p = max_pool2d(tanh(h), 2)
q = avg_pool2d(p, 2, 1)
z = linear(flatten(sigmoid(q)), W, c)
L = softmax_cross_entropy(z, t)
output L
""",
    "unbatched head and penalty": """
x = input(5, 5)
k = param(3, 3)
t = target(4)
W = param(4, 9)
h = relu(conv2d(x, k))
L = softmax_cross_entropy(linear(flatten(h), W), t) + 0.5 * mean(h * h)
output L
""",
    "fan-out, reuse, skip": """
x = input(1, 2, 5, 5)
w = param(2, 2, 3, 3)
u = conv2d(x, w, padding=1)
v = conv2d(u, w, padding=1) - 2 * u * u + x / 4
p = max_pool2d(v, 3, 2, 1)
s = sum(p * p)
output s
""",
    "symbolic sizes": """
x = input(C, H, W)
w = param(2, C, 3, 3)
y = sum(tanh(conv2d(x, w, padding=1)))
output y
""",
}


def _arrays(g: derive.Gradient, rng: np.random.Generator, size: int = 4) -> dict[str, np.ndarray]:
    out = {}
    for name, leaf in g.spec.leaves.items():
        shape = tuple(int(s) if s.is_Integer else size for s in leaf.shape)
        a = rng.random(shape) if leaf.kind == "target" else rng.normal(size=shape)
        out[name] = a / a.sum(axis=-1, keepdims=True) if leaf.kind == "target" else a
    return out


def test_the_canonical_block_is_accepted_as_written() -> None:
    g = derive.grad(CANONICAL)
    assert sorted(g.closed_forms) == ["w1", "w2", "x"]
    assert [n.name for n in g.spec.order] == ["h1", "z1", "h2", "y"]


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_gradients_match_finite_differences(name: str) -> None:
    report = numeric_check(derive.grad(BLOCKS[name]), seed=3)
    assert report.passed, report.lines()
    assert max(report.errors.values()) < 1e-7


@pytest.mark.parametrize("name", ["canonical", "unbatched head and penalty", "symbolic sizes"])
def test_exact_check_against_sympy_diff(name: str) -> None:
    g = derive.grad(BLOCKS[name].replace("input(3, 8, 8)", "input(3, 4, 4)").replace("(3, 4, 3, 3)", "(3, 4, 3, 3)"))
    report = exact_check(g, seed=1)
    assert report.passed, report.lines()


def test_float_and_exact_evaluation_agree() -> None:
    g = derive.grad(BLOCKS["fan-out, reuse, skip"])
    arrays = _arrays(g, np.random.default_rng(0))
    floats = g.evaluate(arrays)
    exact = g.evaluate(arrays, exact=True)
    for name in floats:
        assert np.allclose(floats[name], np.asarray(exact[name], dtype=float), rtol=1e-12, atol=1e-12)


def test_generated_numpy_module_matches_and_names_nothing_the_user_wrote() -> None:
    spec = BLOCKS["pool, batch norm, head"].replace("be", "user_secret_name")
    g = derive.grad(spec)
    source = g.numpy_source()
    identifiers = {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}
    assert "user_secret_name" not in identifiers
    namespace: dict[str, object] = {}
    exec(compile(source, "generated", "exec"), namespace)  # noqa: S102 - the engine's own generated code
    arrays = _arrays(g, np.random.default_rng(1))
    ours = g.evaluate(arrays)
    theirs = namespace["gradients"](arrays)  # type: ignore[operator]
    for name in ours:
        assert np.array_equal(ours[name], theirs[name])


# --- wrong rules must be caught ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["scale", "shift", "mask"])
def test_a_wrong_conv_rule_fails_both_checks(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    original = Conv2d.vjp

    def wrong(self, argindex, cotangent):  # noqa: ANN001, ANN202
        right = original(self, argindex, cotangent)
        if argindex != 2:
            return right
        if case == "scale":
            return right * sp.Rational(101, 100)
        if case == "shift":
            return right + sp.Rational(1, 1000)
        return right * 0
    monkeypatch.setattr(Conv2d, "vjp", wrong)
    g = derive.grad(BLOCKS["symbolic sizes"])
    assert not exact_check(g, seed=2).passed
    assert not numeric_check(g, seed=2).passed or case == "shift"
    assert check_lemmas(1, only=("conv2d",))[0].failures


def test_a_wrong_relu_derivative_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive.calculus import reverse
    from derive.model.activations import ReLU

    original = reverse.local_vjp

    def wrong(node, argindex, cotangent):  # noqa: ANN001, ANN202
        if isinstance(node, ReLU):
            return cotangent  # forgets the mask
        return original(node, argindex, cotangent)
    monkeypatch.setattr(reverse, "local_vjp", wrong)
    g = derive.grad(BLOCKS["canonical"].replace("input(3, 8, 8)", "input(3, 3, 3)"))
    assert not exact_check(g, seed=0).passed


@pytest.mark.parametrize("kernel", ["max_pool2d_grad", "batch_norm_grad_input", "softmax_cross_entropy_grad_logits",
                                    "avg_pool2d_grad", "batch_norm_grad_gamma"])
def test_a_wrong_kernel_fails_its_lemma(monkeypatch: pytest.MonkeyPatch, kernel: str) -> None:
    original = getattr(kernels, kernel)
    monkeypatch.setattr(kernels, kernel, lambda *a, **k: original(*a, **k) * sp.Rational(99, 100))
    cases = {"max_pool2d_grad": MaxPool2d(derive.model.array.Array("x", (3, 3)), (2, 2), (1, 1), (0, 0)),
             "avg_pool2d_grad": AvgPool2d(derive.model.array.Array("x", (3, 3)), (2, 2), (1, 1), (0, 0)),
             "batch_norm_grad_input": None, "batch_norm_grad_gamma": None,
             "softmax_cross_entropy_grad_logits": SoftmaxCrossEntropy(
                 derive.model.array.Array("z", (2, 3)), derive.model.array.Array("t", (2, 3), "target"))}
    y = cases[kernel]
    if y is None:
        A = derive.model.array.Array
        y = BatchNorm(A("x", (2, 2)), A("g", (2,)), A("b", (2,)), sp.Rational(1, 10))
    polynomial = kernel == "avg_pool2d_grad"
    assert check_lemma(y, polynomial=polynomial)


def test_every_lemma_holds_at_small_sizes() -> None:
    reports = check_lemmas(2)
    assert all(not r.failures for r in reports), [(r.operator, r.failures) for r in reports if r.failures]
    assert {r.operator for r in reports} >= {"conv2d", "max_pool2d", "avg_pool2d", "linear", "batch_norm",
                                            "softmax_cross_entropy", "flatten", "sum", "mean", "bias"}


# --- bad blocks get clear errors --------------------------------------------------------------------------

BAD = {
    "shape mismatch": ("x = input(3, 8, 8)\nw = param(4, 2, 3, 3)\ny = conv2d(x, w)\noutput y", 3, "shape"),
    "unknown operation": ("x = input(3)\ny = softmax(x)\noutput y", 2, "unknown"),
    "used before defined": ("x = input(3)\ny = relu(z)\nz = relu(x)\noutput y", 2, "order"),
    "cycle": ("x = input(3)\ny = relu(z)\nz = relu(y)\noutput z", 2, "cycle"),
    "missing output": ("x = input(3)\ny = relu(x)", 0, "output"),
    "undefined": ("x = input(3)\ny = relu(q)\noutput y", 2, "undefined"),
    "elementwise shapes": ("x = input(3)\nv = input(4)\ny = x + v\noutput y", 3, "shape"),
    "redefined": ("x = input(3)\nx = input(3)\noutput x", 2, "redefined"),
    "garbage": ("x = input(3)\ny = relu(x) @ x\noutput y", 2, "syntax"),
    "zero size": ("x = input(0)\ny = sum(x)\noutput y", 1, "shape"),
    "division by an array": ("x = input(3)\ny = x / x\noutput y", 2, "syntax"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_block_names_the_line_and_the_problem(case: str) -> None:
    text, line, problem = BAD[case]
    with pytest.raises(SpecError) as info:
        derive.grad(text)
    assert info.value.line == line, str(info.value)
    assert info.value.problem == problem, str(info.value)
    assert isinstance(info.value, derive.DeriveError)


def test_the_parser_never_evaluates_text() -> None:
    with pytest.raises(SpecError):
        derive.grad("x = input(3)\ny = __import__('os').system('true')\noutput y")


def test_evaluation_refuses_wrong_arrays() -> None:
    g = derive.grad(CANONICAL)
    arrays = _arrays(g, np.random.default_rng(0))
    with pytest.raises(derive.ShapeError):
        g.evaluate({**arrays, "x": np.zeros((3, 7, 8))}, upstream=np.ones((3, 8, 8)))
    with pytest.raises(derive.ShapeError):
        g.evaluate(arrays)  # an array output needs an upstream
    with pytest.raises(derive.ShapeError):
        g.evaluate({k: v for k, v in arrays.items() if k != "w1"}, upstream=np.ones((3, 8, 8)))
    with pytest.raises(derive.ShapeError):
        g.evaluate({**arrays, "x": np.full((3, 8, 8), np.nan)}, upstream=np.ones((3, 8, 8)))


def test_the_derivation_document_prints_the_chain_with_marks() -> None:
    tex = derive.grad(BLOCKS["symbolic sizes"]).latex()
    assert r"\boxed{\frac{\partial L}{\partial w}" in tex
    assert r"\vI" in tex and "conv2d lemma" in tex


def test_the_grad_command_checks_and_reports_bad_blocks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from derive.cli.main import main

    good = tmp_path / "block.txt"
    good.write_text("x = input(2, 3)\nw = param(4, 3)\ny = sum(tanh(linear(x, w)))\noutput y\n", encoding="utf-8")
    assert main(["grad", str(good), "--check", "--emit-numpy", str(tmp_path / "g.py")]) == 0
    printed = capsys.readouterr().out
    assert "delta_w = " in printed and "exact check" in printed and "passed" in printed
    assert (tmp_path / "g.py").read_text(encoding="utf-8").count("def gradients") == 1
    bad = tmp_path / "bad.txt"
    bad.write_text("x = input(2, 3)\ny = conv9(x)\noutput y\n", encoding="utf-8")
    assert main(["grad", str(bad)]) == 3
    assert "line 2" in capsys.readouterr().out
    assert main(["grad", str(tmp_path / "missing.txt")]) == 64
    assert "cannot read" in capsys.readouterr().err


def test_the_committed_example_derivation_is_current(tmp_path: Path) -> None:
    from derive.cli.main import main

    example = ROOT / "output" / "grad"
    tex, module = tmp_path / "residual_block.tex", tmp_path / "residual_block_grad.py"
    assert main(["grad", str(example / "residual_block.txt"), "--latex", str(tex), "--emit-numpy", str(module)]) == 0
    assert tex.read_bytes() == (example / "residual_block.tex").read_bytes(), "run make solutions"
    assert module.read_bytes() == (example / "residual_block_grad.py").read_bytes(), "run make solutions"


def test_a_strided_block_over_letters_is_derived_and_an_empty_output_is_refused_at_evaluation() -> None:
    g = derive.grad("x = input(C, H, W)\nw = param(D, C, 3, 3)\ny = sum(conv2d(x, w, stride=2))\noutput y")
    ok = g.evaluate({"x": np.ones((2, 5, 5)), "w": np.ones((3, 2, 3, 3))})
    assert ok["x"].shape == (2, 5, 5)
    with pytest.raises(derive.ShapeError, match="size 0"):
        g.evaluate({"x": np.ones((2, 1, 5)), "w": np.ones((3, 2, 3, 3))})
