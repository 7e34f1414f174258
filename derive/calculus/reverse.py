"""Reverse mode over array expressions and over graphs of named arrays: the chain rule, one VJP at a time.

Every local rule comes from the classes: :meth:`ArrayOp.vjp` for operators, ``fdiff`` for elementwise
functions (``ReLU``, ``tanh``, ``Sigmoid``, ...), and the product and power rules for SymPy's elementwise
``Add``, ``Mul`` and ``Pow``. A scalar operand of an array expression receives the sum of its cotangent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sympy as sp

from derive.errors import UnsupportedError
from derive.model.array import Array, ArrayOp, Cotangent, is_array_valued, shape_of
from derive.model.ops import Broadcast, Total

__all__ = ["backward", "local_vjps", "zeros_like"]


def _operands(node: sp.Basic) -> list[tuple[int, sp.Basic]]:
    """The (1-based index, operand) pairs through which a gradient flows."""
    args = node.arrays if isinstance(node, ArrayOp) else node.args
    return [(i + 1, a) for i, a in enumerate(args) if is_array_valued(a)]


def _unbroadcast(contribution: sp.Expr, operand: sp.Basic, node: sp.Basic) -> sp.Expr:
    if shape_of(operand) == () and shape_of(node) != ():
        return Total(contribution)
    return contribution


def local_vjp(node: sp.Basic, argindex: int, cotangent: sp.Expr) -> sp.Expr:
    """The cotangent that ``node`` sends to its operand ``argindex`` (1-based) given its own cotangent.

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> x, g = Array("x", (2,)), Array("g", (2,))
    >>> local_vjp(ReLU(x), 1, g)
    g*Indicator(x)
    """
    if isinstance(node, ArrayOp):
        out = node.vjp(argindex, cotangent)
    elif isinstance(node, sp.Add):
        out = cotangent
    elif isinstance(node, sp.Mul):
        others = [a for i, a in enumerate(node.args, start=1) if i != argindex]
        out = cotangent * sp.Mul(*others)
    elif isinstance(node, sp.Pow):
        base, exponent = node.args
        if argindex == 1:
            out = cotangent * exponent * base ** (exponent - 1)
        else:
            out = cotangent * node * sp.log(base)
    elif isinstance(node, sp.Function):
        out = cotangent * node.fdiff(argindex)
    else:
        raise UnsupportedError(f"no vector-Jacobian rule for {type(node).__name__}")
    return _unbroadcast(out, node.args[argindex - 1] if not isinstance(node, ArrayOp) else
                        node.arrays[argindex - 1], node)


def _postorder(root: sp.Basic, wanted: frozenset[Array]) -> list[sp.Basic]:
    order: list[sp.Basic] = []
    seen: set[sp.Basic] = set()
    stack: list[tuple[sp.Basic, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        if not isinstance(node, Array):
            for _, arg in _operands(node):
                if arg.atoms(Array) & wanted:
                    stack.append((arg, False))
    return order


def local_vjps(expr: sp.Basic, cotangent: sp.Expr, wrt: Iterable[Array]) -> dict[Array, sp.Expr]:
    """The cotangent of each array in ``wrt`` from one expression and its cotangent (fan-out summed).

    Examples
    --------
    >>> x, g = Array("x", (2,)), Array("g", (2,))
    >>> local_vjps(x * x + 3 * x, g, [x])
    {x: 2*g*x + 3*g}
    """
    wanted = frozenset(wrt)
    adjoint: dict[sp.Basic, list[sp.Expr]] = {expr: [cotangent]}
    for node in reversed(_postorder(expr, wanted)):
        terms = adjoint.get(node)
        if not terms or isinstance(node, Array):
            continue
        total = sp.Add(*terms)
        for index, arg in _operands(node):
            if arg.atoms(Array) & wanted:
                adjoint.setdefault(arg, []).append(local_vjp(node, index, total))
    return {a: sp.Add(*adjoint[a]) for a in wanted if a in adjoint}


def zeros_like(leaf: Array) -> sp.Expr:
    """The zero cotangent of a leaf that does not reach the output."""
    return Broadcast(sp.Integer(0), sp.Tuple(*leaf.shape)) if leaf.shape else sp.Integer(0)


def backward(definitions: Mapping[Array, sp.Expr], order: Sequence[Array], output: Array,
             leaves: Sequence[Array]) -> dict[Array, sp.Expr]:
    """Reverse mode over named arrays: the cotangent of every node and leaf, in terms of the consumers' cotangents.

    ``definitions`` maps each named node to its expression in other named arrays; ``order`` is a
    topological order of the nodes. The output's cotangent is :class:`Cotangent` ``(output)``.

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> x, h = Array("x", (2,)), Array("h", (2,), "node")
    >>> chain = backward({h: ReLU(x) + x}, [h], h, [x])
    >>> chain[x]
    delta_h*Indicator(x) + delta_h
    """
    chain: dict[Array, sp.Expr] = {output: Cotangent(output)}
    incoming: dict[Array, list[sp.Expr]] = {}
    for node in reversed(order):
        if node != output:
            if node not in incoming:
                continue
            chain[node] = sp.Add(*incoming[node])
        named = definitions[node].atoms(Array) - {a for a in definitions[node].atoms(Array) if a.kind == "cotangent"}
        for arg, contribution in local_vjps(definitions[node], Cotangent(node), named).items():
            incoming.setdefault(arg, []).append(contribution)
    for leaf in leaves:
        chain[leaf] = sp.Add(*incoming[leaf]) if leaf in incoming else zeros_like(leaf)
    return chain
