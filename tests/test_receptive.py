"""Receptive fields and influence regions: the closed form, NumPy impulses and SymPy free_symbols agree."""

import pytest
import sympy as sp

from derive import InvalidLayerError, ShapeError, verify_claim
from derive.calculus.receptive import (
    dependency_region,
    influence_interval,
    influence_region,
    interval_count,
    receptive_field,
)
from derive.calculus.receptive_checks import (
    fitting_shape,
    impulse_dependencies,
    impulse_response,
    input_symbols,
    measure_receptive_field,
    symbolic_dependencies,
)
from derive.calculus.stack_symbols import StackSymbols
from derive.model.windows import Window, correlate, symbol_grid

ASSIGNMENT = [{"kernel": 3, "padding": 1}] * 4
STACKS = {
    "assignment": ASSIGNMENT,
    "strided": [{"kernel": 3, "stride": 2, "padding": 1}, {"kernel": 3, "padding": 1}, {"kernel": 2, "stride": 2}],
    "dilated": [{"kernel": 3, "dilation": 2, "padding": 2}, {"kernel": 3, "stride": 2}],
    "non-square": [{"kernel": (3, 5), "stride": (1, 2), "padding": (1, 2)}, {"kernel": (2, 3), "dilation": (2, 1)}],
    "mixed": [{"kernel": 5, "stride": 2, "padding": 2}, {"kernel": 3, "stride": 2, "padding": 1},
              {"kernel": 3, "dilation": 2, "padding": 2}],
    "pooling": [{"kernel": 3, "padding": 1}, {"kernel": 2, "stride": 2}, {"kernel": 3, "padding": 1}],
    "holes": [{"kernel": 2, "dilation": 3}, {"kernel": 3, "dilation": 2}],
}
#: Hand-computed answers for a few stacks (size, stride, padding).
EXPECTED = {"assignment": (9, 1, 4), "strided": (9, 4, 3), "dilated": (7, 2, 2), "holes": (8, 1, 0)}


@pytest.fixture(scope="module", params=list(STACKS))
def measured(request):
    layers = STACKS[request.param]
    shape = fitting_shape(layers)
    return request.param, layers, shape, impulse_dependencies(layers, shape), symbolic_dependencies(layers, shape)


def test_three_checks_agree_on_the_receptive_field(measured):
    name, layers, shape, impulse, symbolic = measured
    rf = receptive_field(layers)
    assert measure_receptive_field(impulse) == rf
    assert measure_receptive_field(symbolic) == rf
    if name in EXPECTED:
        assert (rf.size, rf.stride, rf.padding) == EXPECTED[name]


def test_three_checks_agree_on_every_dependency_set(measured):
    _, layers, shape, impulse, symbolic = measured
    assert impulse == symbolic
    assert all(dependency_region(layers, shape, u) == region for u, region in impulse.items())


def test_three_checks_agree_on_influence_regions(measured):
    name, layers, shape, impulse, symbolic = measured
    for pixel in [(0, 0), (0, shape[1] // 2), (shape[0] // 2, shape[1] // 2), (shape[0] - 1, shape[1] - 1)]:
        exact = influence_region(layers, shape, pixel)
        assert impulse_response(layers, shape, pixel) == exact
        assert {u for u, r in symbolic.items() if pixel in r.indices} == set(exact.indices)
        if name in ("assignment", "strided", "pooling"):  # spans without holes: the closed form is exact
            interval = influence_interval(layers, shape, pixel)
            assert interval_count(interval) == exact.count
            assert exact.rows == tuple(range(interval[0][0], interval[0][1] + 1))


def test_assignment_counts():
    shape = (16, 16)
    assert influence_region(ASSIGNMENT, shape, (8, 8)).count == 81
    assert influence_region(ASSIGNMENT, shape, (0, 0)).count == 25
    assert influence_region(ASSIGNMENT, shape, (0, 8)).count == 45
    assert influence_region(ASSIGNMENT, shape, (0, 0)).indices == tuple((i, j) for i in range(5) for j in range(5))


def test_strided_influence_differs_from_the_receptive_field():
    layers = [{"kernel": 3, "stride": 2, "padding": 1}] * 2
    assert receptive_field(layers).size == 7
    assert influence_region(layers, (16, 16), (9, 9)).count == 4


def test_dilation_leaves_holes():
    region = dependency_region([{"kernel": 3, "dilation": 2}], (9, 9), (0, 0))
    assert region.rows == (0, 2, 4) and region.extent() == (5, 5) and region.count == 9


def test_input_symbols_is_free_symbols():
    h = symbol_grid("x", (6, 6))
    for n in (1, 2):
        h = correlate(h, symbol_grid(f"w{n}", (2, 3)), Window.of((2, 3), padding=1))
    base = sp.IndexedBase("x", real=True)
    for e in h:
        assert input_symbols(e, base) == {s for s in e.free_symbols if isinstance(s, sp.Indexed) and s.base == base}


def test_non_square_values():
    rf = receptive_field(STACKS["non-square"])
    assert rf.size == (5, 9) and rf.stride == (1, 2) and rf.padding == (1, 2)


@pytest.mark.parametrize("layer, message", [
    ({"kernel": 0}, "kernel must be >= 1"),
    ({"kernel": 3, "stride": 0}, "stride must be >= 1"),
    ({"kernel": 3, "dilation": 0}, "dilation must be >= 1"),
    ({"kernel": 3, "padding": -1}, "padding must be >= 0"),
    ({"stride": 2}, "needs the key 'kernel'"),
    ({"kernel": 3, "strides": 2}, "unknown layer key 'strides'"),
    ({"kernel": 2.5}, "kernel must be an int or a pair"),
    ({"kernel": (3, 3, 3)}, "kernel must be an int or a pair"),
    ({"kernel": True}, "kernel must be an int or a pair"),
    (3, "a layer must be a mapping"),
])
def test_invalid_layers_raise(layer, message):
    with pytest.raises(InvalidLayerError, match=message):
        receptive_field([layer])


def test_single_mapping_is_rejected():
    with pytest.raises(InvalidLayerError, match="sequence of layer mappings"):
        receptive_field({"kernel": 3})


def test_pixel_outside_the_image_raises():
    with pytest.raises(ShapeError, match="outside the map"):
        influence_region(ASSIGNMENT, (8, 8), (8, 0))


Z = StackSymbols.make()
L, j = Z.L, Z.index


def _depth(rng):
    return {L: sp.Integer(int(rng.integers(1, 5)))}


FALSE_SIZE_FORMULAS = {
    "no stride product": 1 + sp.Sum((Z.k[j] - 1) * Z.d[j], (j, 1, L)),
    "dilation ignored": 1 + sp.Sum((Z.k[j] - 1) * Z.stride_product(j - 1), (j, 1, L)),
    "product over i <= l": 1 + sp.Sum((Z.k[j] - 1) * Z.d[j] * Z.stride_product(j), (j, 1, L)),
}


@pytest.mark.parametrize("name", FALSE_SIZE_FORMULAS)
def test_false_closed_forms_are_rejected(name):
    wrong = FALSE_SIZE_FORMULAS[name]
    refutation = verify_claim(Z.closed_size(L), wrong, sampler=_depth)
    assert refutation.status == "refuted" and refutation.holds is False
    assert refutation.counterexample and refutation.counterexample.lhs != refutation.counterexample.rhs


@pytest.mark.parametrize("name", FALSE_SIZE_FORMULAS)
def test_false_closed_forms_disagree_with_the_networks(name):
    # on a concrete strided, dilated stack the wrong formula gives a size that the impulses do not show
    layers = [{"kernel": 3, "stride": 2}, {"kernel": 3, "dilation": 2}]
    values = {b[m + 1]: sp.Integer(layer.get(key, default)) for m, layer in enumerate(layers)
              for b, key, default in ((Z.k, "kernel", 1), (Z.s, "stride", 1), (Z.d, "dilation", 1))}
    wrong = FALSE_SIZE_FORMULAS[name].xreplace({L: 2}).doit().xreplace(values)
    right = Z.closed_size(2).doit().xreplace(values)
    measured = measure_receptive_field(impulse_dependencies(layers, fitting_shape(layers)))
    assert right == measured.size != wrong


def test_closed_forms_match_the_calculator():
    layers = STACKS["mixed"]
    values = {}
    for m, layer in enumerate(layers, start=1):
        for base, key, default in ((Z.k, "kernel", 1), (Z.s, "stride", 1), (Z.d, "dilation", 1), (Z.p, "padding", 0)):
            values[base[m]] = sp.Integer(layer.get(key, default))
    rf = receptive_field(layers)
    n = len(layers)
    assert Z.closed_size(n).doit().xreplace(values) == rf.size
    assert Z.closed_stride(n).doit().xreplace(values) == rf.stride
    assert Z.closed_padding(n).doit().xreplace(values) == rf.padding
