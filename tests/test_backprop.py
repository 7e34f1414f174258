"""Reverse mode over the operator graph: closed forms, exact and numeric checks, lemmas, errors."""

import numpy as np
import pytest
import sympy as sp

from derive import ShapeError
from derive.backprop import (
    backward,
    check_lemma,
    exact_check,
    numeric_check,
    residual_block,
    residual_block_gradients,
    stack,
    vjp_lemmas,
)
from derive.operators import Adjoint, Correlate, Flip, Hadamard, KernelCorrelate, Mask


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
