import numpy as np
import pytest
import sympy as sp

from derive.model.activations import Indicator, ReLU, Sigmoid

a = sp.Symbol("a", real=True)


def test_sigmoid_derivative_and_rewrite():
    assert sp.simplify((Sigmoid(a).diff(a) - sp.diff(1 / (1 + sp.exp(-a)), a)).rewrite(sp.exp)) == 0
    assert Sigmoid(a).rewrite(sp.exp) == 1 / (1 + sp.exp(-a))


def test_relu_derivative_is_zero_at_kink_by_convention():
    assert ReLU(a).diff(a) == Indicator(a)
    assert Indicator(0) == 0
    assert sp.Max(0, a).diff(a).subs(a, 0) == sp.Heaviside(0)  # SymPy's own convention differs


@pytest.mark.parametrize("value", [-2.5, -1e-3, 0.7, 3.0])
def test_lambdify_matches_definitions(value):
    f = sp.lambdify(a, [Sigmoid(a), ReLU(a), Indicator(a)], modules="numpy")
    s, r, m = f(np.float64(value))
    assert s == pytest.approx(1 / (1 + np.exp(-value)))
    assert r == max(value, 0.0)
    assert m == float(value > 0)


def test_sigmoid_is_stable_for_large_arguments():
    f = sp.lambdify(a, Sigmoid(a), modules="numpy")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert f(np.float64(-800.0)) == 0.0
        assert f(np.float64(800.0)) == 1.0


def test_wrong_argument_index():
    with pytest.raises(sp.core.function.ArgumentIndexError):
        Sigmoid(a).fdiff(2)
