"""Reverse mode over the operator graph: closed forms, exact and numeric checks, lemmas, errors."""

import numpy as np
import pytest
import sympy as sp

from derive import ShapeError
from derive.calculus.backprop import (
    backward,
    check_lemma,
    exact_check,
    numeric_check,
    residual_block,
    residual_block_gradients,
    stack,
    vjp_lemmas,
)
from derive.model.operators import Adjoint, Correlate, Flip, Hadamard, KernelCorrelate, Mask


def test_engine_derives_the_closed_forms():
    g = residual_block()
    x, (w1, w2) = g.inputs[0], g.kernels
    h1, z1, h3 = (sp.Symbol(n) for n in ("h^{(1)}", "z^{(1)}", "h^{(3)}"))
    d3 = Hadamard(Adjoint(sp.Symbol("y")), Mask(h3))
    closed = backward(g).closed
    assert closed[w2] == KernelCorrelate(z1, d3, sp.Symbol("k_{w^{(2)}}", integer=True, positive=True))
    assert closed[x] == d3 + Correlate(Hadamard(Correlate(d3, Flip(w2)), Mask(h1)), Flip(w1))


@pytest.mark.parametrize("shape, k", [((1, 1), 5), ((2, 5), 3), ((4, 3), 1), ((3, 3), (3, 5))])
def test_exact_check(shape, k):
    assert exact_check(shape, k).agree


def test_stack_of_two_blocks_exact():
    assert exact_check((3, 2), 3, graph=stack(2)).agree


@pytest.mark.parametrize("k", [3, 5])
def test_numeric_64(k):
    r = numeric_check((64, 64), k, directions=2)
    assert r.fd_rel_error < 1e-6 and r.inner_rel_error < 1e-12


@pytest.mark.parametrize("index", [0, 1])
def test_lemmas_small(index):
    assert check_lemma(vjp_lemmas()[index], bound=2) > 0


@pytest.mark.parametrize("args, match", [
    ((np.ones((3, 3)), np.ones((2, 2)), np.ones((3, 3)), np.ones((3, 3))), "odd"),
    ((np.ones((3, 3)), np.ones((3, 1)), np.ones((3, 3)), np.ones((3, 3))), "square"),
    ((np.ones(3), np.ones((3, 3)), np.ones((3, 3)), np.ones(3)), "2-D"),
    ((np.ones((3, 3)), np.ones((3, 3)), np.ones((3, 3)), np.ones((2, 3))), "grad_y"),
])
def test_errors(args, match):
    with pytest.raises(ShapeError, match=match):
        residual_block_gradients(*args)


def test_float64_out():
    out = residual_block_gradients(np.ones((4, 3)), np.ones((5, 5)), np.ones((3, 3)), np.ones((4, 3)))
    assert {k: v.shape for k, v in out.items()} == {"w1": (5, 5), "w2": (3, 3), "x": (4, 3)}
    assert all(v.dtype == np.float64 for v in out.values())


def test_lemmas_proven_for_symbolic_sizes():
    from derive.verify.delta_substitution import delta_substitution_zero

    for lemma in vjp_lemmas():
        assert delta_substitution_zero(lemma.lhs - lemma.rhs), lemma.name


def test_wrong_lemmas_are_not_proven():
    from derive import verify_claim
    from derive.verify.delta_substitution import delta_substitution_zero

    lemmas = vjp_lemmas()
    by_input = lemmas[2]
    w = next(iter(by_input.rhs.atoms(sp.IndexedBase) - by_input.lhs.atoms(sp.IndexedBase) or
                  [b for b in by_input.rhs.atoms(sp.IndexedBase) if str(b) == "w"]))
    flipped = next(e for e in by_input.rhs.atoms(sp.Indexed) if e.base == w)
    unflipped = by_input.rhs.xreplace({flipped: w[tuple(2 * sp.Symbol("q", integer=True, nonnegative=True) - i
                                                          for i in flipped.indices)]})
    assert not delta_substitution_zero(by_input.lhs - unflipped)
    assert verify_claim(by_input.lhs, unflipped).status == "refuted"
    assert not delta_substitution_zero(lemmas[0].lhs - lemmas[1].rhs)  # relu without its mask


@pytest.mark.parametrize("shape, k, channels", [((2, 3, 2), 3, (3, 2)), ((3, 1, 4), (5, 1), (1, 3)),
                                                ((1, 2, 2), 3, (2, 1))])
def test_exact_check_multichannel(shape, k, channels):
    assert exact_check(shape, k, out_channels=channels).agree


def test_exact_check_rejects_wrong_closed_forms():
    g = residual_block()
    x, (w1, w2) = g.inputs[0], g.kernels
    h1, h2, h3 = (sp.Symbol(n) for n in ("h^{(1)}", "h^{(2)}", "h^{(3)}"))
    d3 = Hadamard(Adjoint(sp.Symbol("y")), Mask(h3))
    closed = backward(g).closed
    wrong = {
        "mask [h2 > 0]": {w1: closed[w1].xreplace({Mask(h3): Mask(h2)})},
        "w1 not flipped": {x: d3 + Correlate(Hadamard(Correlate(d3, Flip(w2)), Mask(h1)), w1)},
        "skip term dropped": {x: closed[x] - d3},
    }
    for variant in wrong.values():  # a wrong form must disagree at one of a few seeded points
        assert any(not exact_check((3, 3), 3, closed=variant, seed=s).agree for s in range(4))
        assert any(not exact_check((2, 4, 4), 3, closed=variant, seed=s).agree for s in range(4))


def test_multichannel_gradients_numeric_and_errors():
    r = numeric_check((2, 9, 7), 3, directions=2, mid_channels=3)
    assert r.fd_rel_error < 1e-6 and r.inner_rel_error < 1e-12
    out = residual_block_gradients(np.ones((2, 4, 3)), np.ones((3, 2, 5, 5)), np.ones((2, 3, 1, 1)), np.ones((2, 4, 3)))
    assert {k: v.shape for k, v in out.items()} == {"w1": (3, 2, 5, 5), "w2": (2, 3, 1, 1), "x": (2, 4, 3)}
    with pytest.raises(ShapeError, match="input channels"):
        residual_block_gradients(np.ones((2, 4, 3)), np.ones((3, 1, 3, 3)), np.ones((2, 3, 1, 1)), np.ones((2, 4, 3)))
    with pytest.raises(ShapeError, match="4-D"):
        residual_block_gradients(np.ones((2, 4, 3)), np.ones((3, 3)), np.ones((3, 3)), np.ones((2, 4, 3)))
    with pytest.raises(ShapeError, match="adds arrays of shapes"):
        residual_block_gradients(np.ones((2, 4, 3)), np.ones((3, 2, 3, 3)), np.ones((3, 3, 1, 1)), np.ones((2, 4, 3)))
