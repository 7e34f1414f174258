"""The symbols of a general stack of windows (depth, per-layer sizes, the sequences r, S, P) and its closed forms."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class StackSymbols:
    """Symbols of a general stack: depth ``L``, per-layer ``k_l, s_l, d_l, p_l`` and the sequences ``r, S, P``.

    Examples
    --------
    >>> StackSymbols.make().k[2]
    k[2]
    """

    L: sp.Symbol
    index: sp.Symbol
    i: sp.Symbol
    u: sp.Symbol
    k: sp.IndexedBase
    s: sp.IndexedBase
    d: sp.IndexedBase
    p: sp.IndexedBase
    r: sp.IndexedBase
    S: sp.IndexedBase
    P: sp.IndexedBase

    @classmethod
    def make(cls) -> StackSymbols:
        """The standard symbols (all integers; sizes positive, paddings non-negative)."""
        pos = {"integer": True, "positive": True}
        nonneg = {"integer": True, "nonnegative": True}
        return cls(
            L=sp.Symbol("L", **nonneg), index=sp.Symbol("l", **pos), i=sp.Symbol("i", **pos),
            u=sp.Symbol("u", integer=True), k=sp.IndexedBase("k", **pos), s=sp.IndexedBase("s", **pos),
            d=sp.IndexedBase("d", **pos), p=sp.IndexedBase("p", **nonneg), r=sp.IndexedBase("r", **pos),
            S=sp.IndexedBase("S", **pos), P=sp.IndexedBase("P", **nonneg))

    def stride_product(self, upper: sp.Expr) -> sp.Expr:
        """``prod_{i=1}^{upper} s_i``."""
        return sp.Product(self.s[self.i], (self.i, 1, upper))

    def closed_size(self, depth: sp.Expr) -> sp.Expr:
        """``r(L) = 1 + sum_l (k_l - 1) d_l prod_{i<l} s_i``."""
        j = self.index
        return 1 + sp.Sum((self.k[j] - 1) * self.d[j] * self.stride_product(j - 1), (j, 1, depth))

    def closed_stride(self, depth: sp.Expr) -> sp.Expr:
        """``S(L) = prod_l s_l``."""
        return self.stride_product(depth)

    def closed_padding(self, depth: sp.Expr) -> sp.Expr:
        """``P(L) = sum_l p_l prod_{i<l} s_i``."""
        j = self.index
        return sp.Sum(self.p[j] * self.stride_product(j - 1), (j, 1, depth))

    def one_layer_span(self, layer: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """First and last input index read by unit ``u`` of ``layer``, from the spans of the layer below.

        Tap ``a`` of unit ``u`` is unit ``v = u s - p + a d`` below, which reads ``v S' - P' .. v S' - P' + r' - 1``;
        the first tap (``a = 0``) gives the first input and the last tap (``a = k - 1``) the last.
        """
        below = layer - 1
        k, s, d, p = self.k[layer], self.s[layer], self.d[layer], self.p[layer]
        r, S, P = self.r[below], self.S[below], self.P[below]

        def first_input(v: sp.Expr) -> sp.Expr:
            return v * S - P

        first = first_input(self.u * s - p)
        last = first_input(self.u * s - p + (k - 1) * d) + r - 1
        return first, last


__all__ = ["StackSymbols"]
