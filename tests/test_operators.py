"""Array operators: elementwise evaluation, printing, rules, and errors."""

import numpy as np
import pytest
import sympy as sp

from derive import ShapeError, UnsupportedError
from derive.model.operators import Correlate, Flip, Hadamard, KernelCorrelate, Mask, evaluate_numpy, vjp
from derive.model.windows import symbol_grid
from derive.printing.latex import latex

x, w, g = sp.symbols("x w g")


def test_printing():
    assert latex(Correlate(Hadamard(g, Mask(x)), Flip(w))) == (
        r"\left(g \odot \left[x > 0\right]\right) \ast \operatorname{flip}\left(w\right)")


@pytest.mark.parametrize("shape, k", [((1, 1), 3), ((3, 2), 5), ((4, 4), 1)])
def test_symbolic_and_numpy_agree(shape, k):
    rng = np.random.default_rng(0)
    xv, wv = rng.integers(-3, 4, size=shape), rng.integers(-3, 4, size=(k, k))
    sym = Correlate(sp.ImmutableMatrix(xv), Flip(sp.ImmutableMatrix(wv)))
    num = evaluate_numpy(Correlate(x, Flip(w)), {x: xv.astype(float), w: wv.astype(float)})
    assert np.array_equal(np.array(sym, dtype=float), num)


def test_inner_product_rules():
    X, K = sp.ImmutableMatrix(symbol_grid("x", (2, 3))), sp.ImmutableMatrix(symbol_grid("w", (3, 3)))
    U = sp.ImmutableMatrix(symbol_grid("u", (2, 3)))
    pairing = sum(a * b for a, b in zip(U, Correlate(X, K)))
    by_x = vjp(Correlate(x, w), 0, g).xreplace({g: U, w: K})
    by_w = vjp(Correlate(x, w), 1, g).xreplace({g: U, x: X, sp.Symbol("k_{w}", integer=True, positive=True): 3})
    assert sp.expand(pairing - sum(a * b for a, b in zip(X, by_x))) == 0
    assert sp.expand(pairing - sum(a * b for a, b in zip(K, by_w))) == 0


def test_errors():
    with pytest.raises(ShapeError, match="odd"):
        Correlate(sp.ImmutableMatrix([[1, 2]]), sp.ImmutableMatrix([[1, 2], [3, 4]]))
    with pytest.raises(ShapeError, match="same shape"):
        KernelCorrelate(sp.ImmutableMatrix([[1, 2]]), sp.ImmutableMatrix([[1]]), 1)
    with pytest.raises(UnsupportedError):
        vjp(sp.sin(x), 0, g)
