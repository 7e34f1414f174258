"""Builders for networks in index form, with symbolic sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp


def layer_name(name: str, layer: int | str) -> str:
    """The name of a quantity of one layer, printed with a parenthesised superscript.

    Examples
    --------
    >>> layer_name("w", 2)
    'w^{(2)}'
    """
    return f"{name}^{{({layer})}}"


def layer_symbol(name: str, layer: int | str, **assumptions: Any) -> sp.Symbol:
    """A scalar of one layer, such as :math:`h^{(3)}` (a symbol, never a power).

    Examples
    --------
    >>> h3 = layer_symbol("h", 3)
    >>> h3 == layer_symbol("h", 3), h3 == layer_symbol("h", 1)
    (True, False)
    """
    return sp.Symbol(layer_name(name, layer), **assumptions)


def layer_weights(name: str, layer: int | str) -> sp.IndexedBase:
    """The array of weights of one layer, such as :math:`w^{(1)}_{ji}`.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> j, i = sp.symbols("j i")
    >>> latex(layer_weights("w", 1)[j, i])
    'w^{(1)}_{ji}'
    """
    return sp.IndexedBase(layer_name(name, layer), real=True)


def size(name: str) -> sp.Symbol:
    """A symbolic size: a positive integer such as ``D``, ``M`` or ``K``.

    Examples
    --------
    >>> size("M").is_positive and size("M").is_integer
    True
    """
    return sp.Symbol(name, integer=True, positive=True)


@dataclass(frozen=True)
class TwoLayerNetwork:
    r"""The network :math:`y_k = \sum_j w^{(2)}_{kj} g(a_j) + w^{(2)}_{k0}` with inputs :math:`a_j`.

    Here :math:`a_j = \sum_i w^{(1)}_{ji} x_i + w^{(1)}_{j0}`.

    Indices are 1-based; index 0 of a weight array holds the bias. ``k`` is an
    ``Idx`` over ``1..K``; ``i`` and ``j`` are summation variables.
    """

    activation: Any
    x: sp.IndexedBase
    w1: sp.IndexedBase
    w2: sp.IndexedBase
    D: sp.Expr
    M: sp.Expr
    K: sp.Expr
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Idx

    def preactivation(self, j: sp.Expr | None = None) -> sp.Expr:
        r"""The input :math:`a_j` of hidden unit ``j`` (default: the symbol ``j``)."""
        j = self.j if j is None else j
        return sp.Sum(self.w1[j, self.i] * self.x[self.i], (self.i, 1, self.D)) + self.w1[j, 0]

    def hidden_term(self, a: sp.Expr | None = None) -> sp.Expr:
        r"""The summand :math:`w^{(2)}_{kj} g(a_j)` of the output (``a`` replaces :math:`a_j`)."""
        a = self.preactivation() if a is None else a
        return self.w2[self.k, self.j] * self.activation(a)

    def output(self, a: sp.Expr | None = None) -> sp.Expr:
        r"""The output :math:`y_k` as a SymPy expression with symbolic sizes."""
        return sp.Sum(self.hidden_term(a), (self.j, 1, self.M)) + self.w2[self.k, 0]

    def weights(self) -> dict[str, sp.Indexed]:
        """The four generic weight elements: ``W1`` (w_ji), ``b1`` (w_j0), ``W2`` (w_kj), ``b2`` (w_k0)."""
        return {
            "W1": self.w1[self.j, self.i],
            "b1": self.w1[self.j, 0],
            "W2": self.w2[self.k, self.j],
            "b2": self.w2[self.k, 0],
        }


def two_layer_network(
    activation: Any,
    *,
    weights: str = "w",
    inputs: str = "x",
    sizes: tuple[Any, Any, Any] | None = None,
) -> TwoLayerNetwork:
    """Build a two-layer network of any width, in index form.

    Parameters
    ----------
    activation : SymPy function
        The hidden activation, e.g. ``Sigmoid`` or ``sympy.tanh``.
    weights, inputs : str
        Base names; the layers become ``w^{(1)}`` and ``w^{(2)}``.
    sizes : (D, M, K), optional
        Numbers of inputs, hidden units and outputs; symbolic by default.

    Examples
    --------
    >>> from derive.model.activations import Sigmoid
    >>> net = two_layer_network(Sigmoid)
    >>> net.output().has(Sigmoid), sorted(map(str, (net.D, net.M, net.K)))
    (True, ['D', 'K', 'M'])
    """
    D, M, K = sizes if sizes is not None else (size("D"), size("M"), size("K"))
    i, j = sp.symbols("i j", integer=True, positive=True)
    return TwoLayerNetwork(
        activation=activation,
        x=sp.IndexedBase(inputs, real=True),
        w1=layer_weights(weights, 1),
        w2=layer_weights(weights, 2),
        D=sp.Integer(D) if isinstance(D, int) else D,
        M=sp.Integer(M) if isinstance(M, int) else M,
        K=sp.Integer(K) if isinstance(K, int) else K,
        i=i,
        j=j,
        k=sp.Idx(sp.Symbol("k", integer=True, positive=True), (1, K)),
    )
