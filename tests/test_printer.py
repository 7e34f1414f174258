import pytest
import sympy as sp

from derive.model.activations import Indicator, ReLU, Sigmoid
from derive.model.nn import layer_symbol, layer_weights
from derive.printing.latex import latex

j, i, k = sp.symbols("j i k")


@pytest.mark.parametrize(
    "expr, expected",
    [
        (layer_symbol("h", 3), "h^{(3)}"),
        (layer_weights("w", 1)[j, i], "w^{(1)}_{ji}"),
        (layer_weights("w", 2)[k, 0], "w^{(2)}_{k0}"),
        (Sigmoid(sp.Symbol("a")), r"\sigma\left(a\right)"),
        (ReLU(sp.Symbol("h")), r"\operatorname{ReLU}\left(h\right)"),
        (Indicator(layer_symbol("h", 3)), r"\left[h^{(3)} > 0\right]"),
    ],
)
def test_notation(expr, expected):
    assert latex(expr) == expected


def test_layer_symbol_is_not_a_power():
    h = sp.Symbol("h")
    assert layer_symbol("h", 3) != h**3


def test_weights_print_before_functions():
    w = layer_weights("w", 2)
    assert latex(w[k, j] * Sigmoid(sp.Symbol("a"))) == r"w^{(2)}_{kj} \sigma\left(a\right)"


def test_multi_character_indices_keep_commas():
    w = sp.IndexedBase("w")
    assert latex(w[j + 1, i]) == "w_{j + 1,i}"
