import numpy as np
import pytest
import sympy as sp

from derive.calculus.reparam import affine_relation, solve_weight_map
from derive.errors import ShapeError, UnsupportedError
from derive.model.activations import Sigmoid
from derive.model.nn import two_layer_network


def test_relation_is_derived():
    rel = affine_relation(sp.tanh, Sigmoid)
    assert (rel.alpha, rel.beta, rel.gamma) == (2, 2, -1)


def test_inverse_direction_is_derived_too():
    rel = affine_relation(Sigmoid, sp.tanh)
    assert (rel.alpha, rel.beta, rel.gamma) == (sp.Rational(1, 2), sp.Rational(1, 2), sp.Rational(1, 2))


def test_unrelated_activations_are_unsupported():
    with pytest.raises(UnsupportedError):
        affine_relation(sp.atan, Sigmoid)


def test_mismatched_sizes():
    with pytest.raises(ShapeError):
        solve_weight_map(two_layer_network(Sigmoid, sizes=(1, 2, 3)),
                         two_layer_network(sp.tanh, sizes=(1, 2, 4)), affine_relation(sp.tanh, Sigmoid))


def test_map_has_no_free_target_weights():
    s, t = two_layer_network(Sigmoid), two_layer_network(sp.tanh, weights="t")
    m = solve_weight_map(s, t, affine_relation(sp.tanh, Sigmoid))
    for rule in m.rules.values():
        assert not rule.has(t.w1) and not rule.has(t.w2)
    assert np.isfinite(m.apply(np.ones((2, 3)), np.ones(2), np.ones((1, 2)), np.ones(1))[3]).all()
