"""derive.calculus.quadratic, quadratic_model and eigen: contour axes, samplers, 2x2 eigenpairs, the figure."""

import numpy as np
import pytest
import sympy as sp

from derive import (
    InvalidLevelError,
    NotPositiveDefiniteError,
    NotSymmetricError,
    ShapeError,
    verify_claim,
)
from derive.calculus.eigen import eigen_sampler, orthonormal_rational, symmetric_2x2_eigen
from derive.calculus.quadratic import contour_axes, contour_figure
from derive.calculus.quadratic_model import quadratic_model
from derive.verify.sum_rewrites import flatten_sums, sum_kronecker


@pytest.mark.parametrize("n", [1, 2, 5, 20])
def test_contour_axes_endpoints_on_level_set(n):
    rng = np.random.default_rng(n)
    A = rng.normal(size=(n, n))
    H = A @ A.T + np.eye(n)
    lengths, U = contour_axes(H, 0.7)
    assert np.allclose(U.T @ U, np.eye(n))
    for m in range(n):
        v = lengths[m] * U[:, m]
        assert 0.5 * v @ H @ v == pytest.approx(0.7)
    assert np.allclose(lengths, np.sqrt(1.4 / np.linalg.eigvalsh(H)))


def test_lengths_scale_as_inverse_sqrt_not_inverse():
    lengths, _ = contour_axes(np.diag([1.0, 4.0]), 1.0)
    assert lengths[0] / lengths[1] == pytest.approx(2.0)  # sqrt(4/1), not 4/1


@pytest.mark.parametrize("H, error, match", [
    ([[1.0, 2.0], [0.0, 1.0]], NotSymmetricError, "not symmetric"),
    ([[1.0, 0.0], [0.0, -3.0]], NotPositiveDefiniteError, "eigenvalue -3"),
    ([[1.0, 0.0], [0.0, 0.0]], NotPositiveDefiniteError, "eigenvalue 0"),
    ([1.0, 2.0], ShapeError, "square 2-D"),
    (np.ones((2, 3)), ShapeError, "square 2-D"),
])
def test_contour_axes_rejects_bad_matrices(H, error, match):
    with pytest.raises(error, match=match):
        contour_axes(H, 1.0)


def test_indefinite_error_carries_the_eigenvalue():
    with pytest.raises(NotPositiveDefiniteError) as info:
        contour_axes([[2.0, 0.0], [0.0, -0.5]], 1.0)
    assert info.value.eigenvalue == pytest.approx(-0.5)


def test_asymmetry_is_reported():
    with pytest.raises(NotSymmetricError) as info:
        contour_axes([[1.0, 0.5], [0.0, 1.0]], 1.0)
    assert info.value.asymmetry == pytest.approx(0.5)


def test_tolerance_is_relative_to_the_norm():
    H = 1e8 * np.array([[2.0, 1.0], [1.0 + 1e-15, 3.0]])
    lengths, _ = contour_axes(H, 1.0)
    assert lengths.shape == (2,)


@pytest.mark.parametrize("level", [0.0, -1.0, float("nan")])
def test_contour_axes_rejects_bad_levels(level):
    with pytest.raises(InvalidLevelError, match="must be positive"):
        contour_axes(np.eye(2), level)


@pytest.mark.parametrize("n", [1, 2, 4, 6])
def test_orthonormal_rational_is_exact(n):
    Q = orthonormal_rational(n, np.random.default_rng(n))
    assert Q.T * Q == sp.eye(n)


def test_eigen_sampler_satisfies_hypotheses_exactly():
    m = quadratic_model()
    values = eigen_sampler(m, sizes=(3, 3))(np.random.default_rng(7))
    U = sp.Matrix(3, 3, lambda r, c: values[m.U[r + 1, c + 1]])
    H = sp.Matrix(3, 3, lambda r, c: values[m.H[r + 1, c + 1]])
    for c in range(3):
        assert H * U[:, c] == values[m.lam[c + 1]] * U[:, c]


def test_symmetric_2x2_eigen_substitutes_back():
    a, b, d = sp.symbols("a b d", real=True)
    H = sp.Matrix([[a, b], [b, d]])
    for pair in symmetric_2x2_eigen(a, b, d):
        assert sp.expand(H * pair.vector - pair.value * pair.vector) == sp.zeros(2, 1)


def test_contour_figure_is_computed():
    tex = contour_figure(np.array([[3.0, 1.0], [1.0, 2.0]]), (1.0, 0.5), (0.5, 1.0))
    lengths, _ = contour_axes(np.array([[3.0, 1.0], [1.0, 2.0]]), 1.0)
    assert f"{lengths[0]:.2f}" in tex and f"{lengths[1]:.2f}" in tex
    with pytest.raises(InvalidLevelError):
        contour_figure(np.eye(2), (0.0, 0.0), ())
    with pytest.raises(NotPositiveDefiniteError):
        contour_figure(np.diag([1.0, -1.0]), (0.0, 0.0), (1.0,))


def test_sum_strategies():
    a, b = sp.IndexedBase("a"), sp.IndexedBase("b")
    k, l, n = sp.symbols("k l n", integer=True)  # noqa: E741
    assert sum_kronecker(sp.Sum(a[k] * b[l] * sp.KroneckerDelta(k, l), (k, 1, n), (l, 1, n))) in (
        sp.Sum(a[l] * b[l], (l, 1, n)), sp.Sum(a[k] * b[k], (k, 1, n)))
    # deltas over different ranges are left alone
    m = sp.Symbol("m", integer=True)
    odd = sp.Sum(a[k] * sp.KroneckerDelta(k, l), (k, 1, n), (l, 1, m))
    assert sum_kronecker(odd) == odd
    assert flatten_sums(sp.Sum(a[k], (k, 1, n)) * sp.Sum(b[l], (l, 1, n))) == sp.Sum(a[k] * b[l], (k, 1, n), (l, 1, n))
    # a size that may be negative (where SymPy's sums run backwards) is not proven, only checked at points
    assert verify_claim(sp.Sum(a[k], (k, 1, n)) * sp.Sum(b[l], (l, 1, n)),
                        sp.Sum(sp.Sum(a[k] * b[l], (k, 1, n)), (l, 1, n))).status in ("agrees", "proven")
    size = sp.Symbol("n", integer=True, nonnegative=True)
    proven = verify_claim(sp.Sum(a[k], (k, 1, size)) * sp.Sum(b[l], (l, 1, size)),
                          sp.Sum(sp.Sum(a[k] * b[l], (k, 1, size)), (l, 1, size)))
    assert proven.status == "proven" and proven.method.startswith("flatten")
    assert verify_claim(sp.Sum(a[k], (k, 1, size)) * sp.Sum(b[l], (l, 1, size)),
                        2 * sp.Sum(sp.Sum(a[k] * b[l], (k, 1, size)), (l, 1, size))).status == "refuted"
