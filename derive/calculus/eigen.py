"""Exact eigen-structure: rational orthogonal bases, the hypotheses sampler built on them, 2x2 eigenpairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from derive.calculus.quadratic_model import QuadraticModel
from derive.errors import ShapeError
from derive.verify.sampling import Sampler


def orthonormal_rational(n: int, rng: np.random.Generator, *, spread: int = 3) -> sp.Matrix:
    r"""An exactly orthogonal ``n`` x ``n`` matrix of rationals: the Cayley transform of a rational skew matrix.

    For skew :math:`S`, :math:`I + S` is invertible and :math:`Q = (I - S)(I + S)^{-1}` satisfies
    :math:`Q^T Q = I` exactly.

    Examples
    --------
    >>> Q = orthonormal_rational(3, np.random.default_rng(0))
    >>> Q.T * Q == sp.eye(3), all(isinstance(q, sp.Rational) for q in Q)
    (True, True)
    """
    if n < 1:
        raise ShapeError(f"the size must be at least 1, got {n}", shape=(n,))
    S = sp.zeros(n, n)
    for r in range(n):
        for c in range(r + 1, n):
            S[r, c] = sp.Rational(int(rng.integers(-spread, spread + 1)), int(rng.integers(1, spread + 1)))
            S[c, r] = -S[r, c]
    eye = sp.eye(n)
    return (eye - S) * (eye + S).inv()


def eigen_sampler(model: QuadraticModel, *, sizes: tuple[int, int] = (1, 4), positive: bool = False) -> Sampler:
    r"""A sampler of exact hypotheses: :math:`H = U \Lambda U^T` with rational orthogonal :math:`U`.

    It draws the size ``n``, an exactly orthogonal rational ``U``
    (:func:`orthonormal_rational`), non-zero rational eigenvalues (positive if
    ``positive``) and the matching symmetric ``H``, so that
    :math:`H u_l = \lambda_l u_l` and :math:`u_k^T u_l = \delta_{kl}` hold exactly.

    Examples
    --------
    >>> from derive.calculus.quadratic_model import quadratic_model
    >>> m = quadratic_model()
    >>> values = eigen_sampler(m, sizes=(2, 2))(np.random.default_rng(1))
    >>> values[m.n], values[m.H[1, 2]] == values[m.H[2, 1]]
    (2, True)
    """
    if sizes[0] < 1 or sizes[1] < sizes[0]:
        raise ShapeError(f"invalid size range {sizes}", shape=tuple(sizes))

    def sample(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
        """A size, an exactly orthonormal rational basis ``U`` (Cayley transform) and ``H = U Lambda U^T``."""
        size = int(rng.integers(sizes[0], sizes[1] + 1))
        U = orthonormal_rational(size, rng)
        lams = []
        for _ in range(size):
            lo = 1 if positive else -6
            num = 0
            while num == 0:
                num = int(rng.integers(lo, 7))
            lams.append(sp.Rational(num, int(rng.integers(1, 4))))
        H = U * sp.diag(*lams) * U.T
        values: dict[sp.Basic, sp.Basic] = {model.n: sp.Integer(size)}
        for r in range(size):
            values[model.lam[r + 1]] = lams[r]
            for c in range(size):
                values[model.U[r + 1, c + 1]] = U[r, c]
                values[model.H[r + 1, c + 1]] = H[r, c]
        return values

    return sample


@dataclass(frozen=True)
class Eigenpair:
    """A symbolic eigenvalue with an (unnormalised) eigenvector."""

    value: sp.Expr
    vector: sp.Matrix


def symmetric_2x2_eigen(a: sp.Expr, b: sp.Expr, d: sp.Expr) -> tuple[Eigenpair, Eigenpair]:
    r"""Eigenvalues and eigenvectors of :math:`\begin{pmatrix} a & b \\ b & d\end{pmatrix}`, in closed form.

    The eigenvalues are the roots of the characteristic polynomial, smaller
    first (for ``b != 0``); the eigenvector of :math:`\lambda` is
    :math:`(b, \lambda - a)^T`, which is non-zero when ``b != 0``.

    Examples
    --------
    >>> a, b, d = sp.symbols("a b d", real=True)
    >>> low, high = symmetric_2x2_eigen(a, b, d)
    >>> sp.expand(low.value + high.value), sp.expand(low.value * high.value)
    (a + d, a*d - b**2)
    """
    lam = sp.Dummy("lambda")
    H = sp.Matrix([[a, b], [b, d]])
    roots = sp.roots(sp.Poly((H - lam * sp.eye(2)).det(), lam))
    values = sorted(roots, key=lambda r: float(r.subs({a: 2, b: 1, d: 1})) if r.free_symbols else float(r))
    pairs = [Eigenpair(sp.simplify(v), sp.Matrix([b, sp.simplify(v) - a])) for v in values]
    if len(pairs) == 1:
        pairs = pairs * 2
    return pairs[0], pairs[1]


__all__ = ["Eigenpair", "eigen_sampler", "orthonormal_rational", "symmetric_2x2_eigen"]
