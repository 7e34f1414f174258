"""The quadratic model of an error surface near a minimum, in index form over a symbolic dimension ``n``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.coerce import as_basic


@dataclass(frozen=True)
class QuadraticModel:
    r"""The local model :math:`E(w) \approx E^* + \tfrac12 \sum_i\sum_j (w_i - w^*_i) H_{ij} (w_j - w^*_j)`.

    Everything is in index form over ``1..n`` (``n`` may be symbolic): the
    weights ``w``, the minimum ``w_star``, the gradient ``g`` and Hessian ``H``
    at ``w_star``, the eigenvectors ``U`` (column ``k`` is :math:`u_k`, so
    :math:`U_{ik}` is its ``i``-th entry), the eigenvalues ``lam`` and the
    coordinates ``alpha`` of :math:`w - w^*` in the eigenbasis.
    """

    n: sp.Expr
    w: sp.IndexedBase
    w_star: sp.IndexedBase
    g: sp.IndexedBase
    H: sp.IndexedBase
    U: sp.IndexedBase
    lam: sp.IndexedBase
    alpha: sp.IndexedBase
    E_star: sp.Symbol
    c: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    l: sp.Symbol  # noqa: E741 - the textbook name of the second eigen-index

    def displacement(self, i: sp.Expr) -> sp.Expr:
        """The entry :math:`w_i - w^*_i` of the displacement."""
        return self.w[i] - self.w_star[i]

    def eigen_displacement(self, i: sp.Expr, k: sp.Symbol | None = None) -> sp.Expr:
        r"""The same entry written in the eigenbasis: :math:`\sum_k \alpha_k U_{ik}` (summed over ``k``)."""
        k = self.k if k is None else k
        return sp.Sum(self.alpha[k] * self.U[i, k], (k, 1, self.n))

    def eigen_substitution(self) -> dict[sp.Basic, sp.Basic]:
        r"""Rules :math:`w_i \to w^*_i + \sum_k \alpha_k U_{ik}` and :math:`w_j \to w^*_j + \sum_l \alpha_l U_{jl}`."""
        return {self.w[self.i]: self.w_star[self.i] + self.eigen_displacement(self.i, self.k),
                self.w[self.j]: self.w_star[self.j] + self.eigen_displacement(self.j, self.l)}

    def quadratic_form(self, d: Callable[[sp.Expr], sp.Expr] | None = None, *, half: bool = True) -> sp.Expr:
        r""":math:`\tfrac12\sum_i\sum_j d_i H_{ij} d_j` with ``d`` the displacement (default :math:`w - w^*`)."""
        d = self.displacement if d is None else d
        i, j = self.i, self.j
        inner = sp.Sum(sp.Sum(d(i) * self.H[i, j] * d(j), (j, 1, self.n)), (i, 1, self.n))
        return inner / 2 if half else inner

    def first_order(self) -> sp.Expr:
        r"""The first-order Taylor term :math:`\sum_i g_i (w_i - w^*_i)`."""
        return sp.Sum(self.g[self.i] * self.displacement(self.i), (self.i, 1, self.n))

    def taylor(self) -> sp.Expr:
        """The second-order Taylor polynomial of E about w*, with the gradient term."""
        return self.E_star + self.first_order() + self.quadratic_form()

    def model(self) -> sp.Expr:
        """The quadratic model: the Taylor polynomial once the gradient term is gone."""
        return self.E_star + self.quadratic_form()

    def eigen_form(self, *, half: bool = True) -> sp.Expr:
        r""":math:`\tfrac12 \sum_k \lambda_k \alpha_k^2`."""
        s = sp.Sum(self.lam[self.k] * self.alpha[self.k] ** 2, (self.k, 1, self.n))
        return s / 2 if half else s

    def eigenvector_rule(self, i: sp.Expr, l: sp.Expr) -> tuple[sp.Expr, sp.Expr]:  # noqa: E741
        r"""Both sides of :math:`(H u_l)_i = \lambda_l U_{il}` (summed over ``j``)."""
        return sp.Sum(self.H[i, self.j] * self.U[self.j, l], (self.j, 1, self.n)), self.lam[l] * self.U[i, l]

    def orthonormality_rule(self, k: sp.Expr, l: sp.Expr) -> tuple[sp.Expr, sp.Expr]:  # noqa: E741
        r"""Both sides of :math:`u_k^T u_l = \delta_{kl}` (summed over ``i``)."""
        return sp.Sum(self.U[self.i, k] * self.U[self.i, l], (self.i, 1, self.n)), sp.KroneckerDelta(k, l)


def quadratic_model(n: Any = None) -> QuadraticModel:
    """Build the index-form quadratic model in dimension ``n`` (a positive integer symbol by default).

    Examples
    --------
    >>> m = quadratic_model()
    >>> m.n.is_integer and m.n.is_positive
    True
    >>> from derive.printing.latex import latex
    >>> latex(m.displacement(m.i))
    'w_{i} - w^{*}_{i}'
    """
    integer = {"integer": True}
    return QuadraticModel(
        n=sp.Symbol("n", integer=True, positive=True) if n is None else as_basic(n),
        w=sp.IndexedBase("w", real=True),
        w_star=sp.IndexedBase("w^{*}", real=True),
        g=sp.IndexedBase("g", real=True),
        H=sp.IndexedBase("H", real=True),
        U=sp.IndexedBase("U", real=True),
        lam=sp.IndexedBase("lambda", real=True),
        alpha=sp.IndexedBase("alpha", real=True),
        E_star=sp.Symbol("E^{*}", real=True),
        c=sp.Symbol("c", positive=True),
        i=sp.Symbol("i", **integer), j=sp.Symbol("j", **integer),
        k=sp.Symbol("k", **integer), l=sp.Symbol("l", **integer),
    )


__all__ = ["QuadraticModel", "quadratic_model"]
