"""Q5's tiny network: the per-example squared error of a one-hidden-layer tanh network, as a SymPy expression."""

from __future__ import annotations

import sympy as sp

from derive.errors import ShapeError


def tanh_network_loss(hidden: int) -> tuple[sp.Expr, tuple[sp.Symbol, ...], tuple[sp.Symbol, sp.Symbol]]:
    r"""Per-example squared error :math:`\tfrac12 (y - \sum_j v_j \tanh(a_j x + b_j) - c)^2` of a tiny net.

    Returns the loss, the parameters ``(a_1..a_M, b_1..b_M, v_1..v_M, c)`` and the data symbols ``(x, y)``.

    Examples
    --------
    >>> loss, params, (x, y) = tanh_network_loss(2)
    >>> len(params)
    7
    """
    if hidden < 1:
        raise ShapeError(f"the network needs at least one hidden unit, got {hidden}", shape=(hidden,))
    a = sp.symbols(f"a1:{hidden + 1}", real=True)
    b = sp.symbols(f"b1:{hidden + 1}", real=True)
    v = sp.symbols(f"v1:{hidden + 1}", real=True)
    c, x, y = sp.symbols("c x y", real=True)
    out = sum((v[j] * sp.tanh(a[j] * x + b[j]) for j in range(hidden)), sp.S.Zero) + c
    return (y - out) ** 2 / 2, (*a, *b, *v, c), (x, y)


__all__ = ["tanh_network_loss"]
