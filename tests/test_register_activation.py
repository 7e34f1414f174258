"""A new activation is declared once and works in blocks, evaluation, reverse mode, printing and checking."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import sympy as sp

import derive
from derive.errors import UnsupportedError
from derive.model.spec import SpecError
from derive.verify.gradient_checks import exact_check, numeric_check
from derive.verify.index_lemmas import derivative_lemmas


class Softplus(sp.Function):
    """softplus(z) = log(1 + e^z), whose derivative is the logistic sigmoid."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 / (1 + sp.exp(-self.args[0]))

    def _eval_rewrite_as_exp(self, z: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.log(1 + sp.exp(z))

    def _latex(self, printer: sp.printing.latex.LatexPrinter) -> str:
        return rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer: object) -> str:
        return f"numpy.logaddexp(0, {printer._print(self.args[0])})"  # type: ignore[attr-defined]


class WrongSoftplus(Softplus):
    """The same closed form with a wrong derivative (the sigmoid of -z)."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 / (1 + sp.exp(self.args[0]))


BLOCK = """
x = input(2, 3)
w = param(4, 3)
y = sum(softplus(linear(x, w)))
output y
"""


@pytest.fixture
def softplus() -> Iterator[None]:
    derive.register_activation("softplus", Softplus)
    yield
    derive.unregister_activation("softplus")


def test_an_unregistered_activation_is_an_unknown_operation() -> None:
    with pytest.raises(SpecError, match="softplus"):
        derive.grad(BLOCK)


def test_a_registered_activation_is_derived_evaluated_and_printed(softplus: None) -> None:
    g = derive.grad(BLOCK)
    assert r"\operatorname{softplus}" in g.latex()
    x = np.arange(6, dtype=float).reshape(2, 3) / 7 - 0.3
    w = np.linspace(-1, 1, 12).reshape(4, 3)
    z = x @ w.T
    assert np.isclose(float(g.forward({"x": x, "w": w})), np.logaddexp(0, z).sum(), rtol=1e-14)
    sigma = 1 / (1 + np.exp(-z))
    grads = g.evaluate({"x": x, "w": w})
    assert np.allclose(grads["w"], sigma.T @ x, rtol=1e-13)
    assert np.allclose(grads["x"], sigma @ w, rtol=1e-13)
    assert exact_check(g).passed and numeric_check(g).passed


def test_its_derivative_lemma_is_proven_from_its_closed_form(softplus: None) -> None:
    lemma = next(d for d in derivative_lemmas() if d.function == "Softplus")
    assert lemma.proven is True


def test_a_wrong_derivative_is_caught_by_the_lemma_and_the_oracle() -> None:
    derive.register_activation("softplus", WrongSoftplus)
    try:
        lemma = next(d for d in derivative_lemmas() if d.function == "WrongSoftplus")
        assert lemma.proven is False
        assert not exact_check(derive.grad(BLOCK)).passed
    finally:
        derive.unregister_activation("softplus")


def test_names_that_are_not_activations_are_refused() -> None:
    with pytest.raises(UnsupportedError):
        derive.register_activation("conv2d", Softplus)
    with pytest.raises(UnsupportedError):
        derive.register_activation("not a name", Softplus)
    with pytest.raises(UnsupportedError):
        derive.unregister_activation("relu")
