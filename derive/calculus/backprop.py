"""Reverse mode over a graph of array operators: closed operator-level gradients, their evaluation and checks."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from derive.errors import ShapeError, UnsupportedError
from derive.model.activations import Indicator, ReLU
from derive.model.nn import layer_symbol
from derive.model.operators import (
    Adjoint,
    ArrayReLU,
    Correlate,
    evaluate_exact,
    evaluate_numpy,
    kernel_size_symbol,
    vjp,
)
from derive.model.windows import symbol_grid
from derive.verify.sampling import stable_seed, unroll_sums

__all__ = [
    "Graph", "Gradients", "backward", "residual_block", "stack", "forward_elementwise", "sympy_gradients",
    "closed_gradients_exact", "exact_check", "exact_sweep", "numeric_check", "residual_block_gradients",
    "graph_gradients", "residual_block_forward", "activation_pattern", "random_point", "Lemma", "vjp_lemmas",
    "check_lemma", "leaf_shapes", "forward_exact", "polynomial_loss", "ExactReport", "NumericReport",
]

Node = tuple[sp.Symbol, sp.Expr]


@dataclass(frozen=True)
class Graph:
    """A straight-line program over arrays: ``nodes`` are ``(name, op)`` in order, ops use earlier names.

    ``inputs`` are the image(s); ``kernels`` are the kernel symbols (square, odd size); ``output`` is the
    node whose gradient ``∂L/∂output`` is given.

    Examples
    --------
    >>> g = residual_block()
    >>> [str(n) for n, _ in g.nodes]
    ['h^{(1)}', 'z^{(1)}', 'h^{(2)}', 'h^{(3)}', 'y']
    """

    inputs: tuple[sp.Symbol, ...]
    kernels: tuple[sp.Symbol, ...]
    nodes: tuple[Node, ...]
    output: sp.Symbol

    @property
    def leaves(self) -> tuple[sp.Symbol, ...]:
        """Inputs and kernels: the arrays the loss is differentiated by."""
        return self.inputs + self.kernels

    def op(self, name: sp.Symbol) -> sp.Expr:
        """The operation that defines the node ``name``."""
        for n, op in self.nodes:
            if n == name:
                return op
        raise KeyError(name)


def residual_block(x: sp.Symbol | None = None, layer: int = 1, out: sp.Symbol | None = None) -> Graph:
    """``h1 = x ∗ w1, z1 = ReLU(h1), h2 = z1 ∗ w2, h3 = h2 + x, y = ReLU(h3)``, numbered from ``layer``.

    Examples
    --------
    >>> g = residual_block()
    >>> g.op(layer_symbol("h", 3)) == layer_symbol("h", 2) + sp.Symbol("x")
    True
    >>> [str(k) for k in g.kernels]
    ['w^{(1)}', 'w^{(2)}']
    """
    x = x if x is not None else sp.Symbol("x")
    w1, w2 = layer_symbol("w", layer), layer_symbol("w", layer + 1)
    h1, z1, h2, h3 = (layer_symbol("h", layer), layer_symbol("z", layer), layer_symbol("h", layer + 1),
                      layer_symbol("h", layer + 2))
    y = out if out is not None else sp.Symbol("y")
    nodes = ((h1, Correlate(x, w1)), (z1, ArrayReLU(h1)), (h2, Correlate(z1, w2)), (h3, h2 + x),
             (y, ArrayReLU(h3)))
    return Graph((x,), (w1, w2), nodes, y)


def stack(blocks: int) -> Graph:
    """``blocks`` residual blocks composed: the output of one is the input of the next.

    Examples
    --------
    >>> g = stack(2)
    >>> len(g.nodes), len(g.kernels), str(g.output)
    (10, 4, 'y')
    """
    if blocks < 1:
        raise ShapeError(f"a stack needs at least one block, got {blocks}")
    x: sp.Symbol = sp.Symbol("x")
    nodes: list[Node] = []
    kernels: list[sp.Symbol] = []
    for b in range(blocks):
        out = sp.Symbol("y") if b == blocks - 1 else layer_symbol("y", b + 1)
        block = residual_block(x, 1 + 3 * b, out)
        nodes += block.nodes
        kernels += block.kernels
        x = out
    return Graph((sp.Symbol("x"),), tuple(kernels), tuple(nodes), nodes[-1][0])


@dataclass(frozen=True)
class Gradients:
    """The result of reverse mode: per array, the local rule and the closed form.

    ``local[a]`` is ``∂L/∂a`` written with the adjoints of the nodes that use ``a`` (one rule application);
    ``closed[a]`` has every adjoint replaced, down to ``∂L/∂output``.
    """

    graph: Graph
    local: Mapping[sp.Symbol, sp.Expr]
    closed: Mapping[sp.Symbol, sp.Expr]
    order: tuple[sp.Symbol, ...] = field(default=())

    def chain(self, name: sp.Symbol) -> list[sp.Expr]:
        """``∂L/∂name`` rewritten one adjoint at a time, from the local rule to the closed form.

        Examples
        --------
        >>> grads = backward(residual_block())
        >>> [str(e) for e in grads.chain(layer_symbol("w", 2))]  # doctest: +NORMALIZE_WHITESPACE
        ['KernelCorrelate(z^{(1)}, Adjoint(h^{(2)}), k_{w^{(2)}})',
         'KernelCorrelate(z^{(1)}, Adjoint(h^{(3)}), k_{w^{(2)}})',
         'KernelCorrelate(z^{(1)}, Hadamard(Adjoint(y), Mask(h^{(3)})), k_{w^{(2)}})']
        """
        out = [self.local[name]]
        while True:
            expr = out[-1]
            pending = [a for a in expr.atoms(Adjoint) if a.args[0] != self.graph.output]
            if not pending:
                return out
            # replace the adjoint of the latest node first (closest to the parameter)
            latest = max(pending, key=lambda a: self.order.index(a.args[0]))
            out.append(expr.xreplace({latest: self.local[latest.args[0]]}))


def backward(graph: Graph) -> Gradients:
    """Reverse mode: apply each node's vector–Jacobian rule from the output back to the leaves.

    Examples
    --------
    >>> grads = backward(residual_block())
    >>> grads.closed[sp.Symbol("x")]  # doctest: +NORMALIZE_WHITESPACE
    Correlate(Hadamard(Correlate(Hadamard(Adjoint(y), Mask(h^{(3)})), Flip(w^{(2)})), Mask(h^{(1)})),
              Flip(w^{(1)})) + Hadamard(Adjoint(y), Mask(h^{(3)}))
    """
    names = [n for n, _ in graph.nodes]
    arrays = set(names) | set(graph.leaves)
    local: dict[sp.Symbol, sp.Expr] = {}
    for name, op in reversed(graph.nodes):
        upstream = Adjoint(name)
        for index, arg in enumerate(op.args):
            if arg not in arrays:
                continue
            if not isinstance(op, (Correlate, ArrayReLU, sp.Add)):
                raise UnsupportedError(f"node {name} = {op}: no rule for {type(op).__name__}")
            contribution = vjp(op, index, upstream)
            local[arg] = local[arg] + contribution if arg in local else contribution
    closed: dict[sp.Symbol, sp.Expr] = {graph.output: Adjoint(graph.output)}
    for name in reversed(names[:-1]):
        closed[name] = _close(local[name], closed)
    for leaf in graph.leaves:
        if leaf not in local:
            raise ShapeError(f"the output does not depend on {leaf}")
        closed[leaf] = _close(local[leaf], closed)
    return Gradients(graph, local, closed, tuple(names) + graph.leaves)


def _close(expr: sp.Expr, closed: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    return expr.xreplace({a: closed[a.args[0]] for a in expr.atoms(Adjoint) if a.args[0] in closed})


# ---------------------------------------------------------------------------------------------------------
# Elementwise expansion (SymPy matrices) and the independent answer of SymPy's own ``diff``.


def kernel_sizes(graph: Graph, sizes: Mapping[sp.Symbol, int]) -> dict[sp.Basic, sp.Integer]:
    """The size symbols ``k_w`` of the graph's kernels, mapped to integers.

    Examples
    --------
    >>> kernel_sizes(residual_block(), {layer_symbol("w", 1): 3, layer_symbol("w", 2): 5})
    {k_{w^{(1)}}: 3, k_{w^{(2)}}: 5}
    """
    return {kernel_size_symbol(w): sp.Integer(sizes[w]) for w in graph.kernels}


def activation_pattern(graph: Graph, arrays: Mapping[sp.Basic, Any]) -> dict[sp.Basic, sp.ImmutableMatrix]:
    """The 0/1 masks ``[u > 0]`` of every ReLU node at a point (numeric leaves).

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> one = sp.ImmutableMatrix([[1]])
    >>> activation_pattern(g, {x: one, w1: one, w2: -3 * one})[g.output]
    Matrix([[0]])
    """
    env = forward_elementwise(graph, arrays)
    return {name: sp.ImmutableMatrix(env[op.args[0]]).applyfunc(lambda v: sp.Integer(1 if v > 0 else 0))
            for name, op in graph.nodes if isinstance(op, ArrayReLU)}


def _node_value(name: sp.Basic, op: sp.Expr, env: Mapping[sp.Basic, Any],
                pattern: Mapping[sp.Basic, Any] | None) -> sp.ImmutableMatrix:
    if pattern is not None and name in pattern:
        arg = sp.Matrix(op.args[0].xreplace(dict(env)))
        return sp.ImmutableMatrix(arg.multiply_elementwise(sp.Matrix(pattern[name])))
    return sp.ImmutableMatrix(op.xreplace(dict(env)))


def forward_elementwise(graph: Graph, arrays: Mapping[sp.Basic, Any],
                        pattern: Mapping[sp.Basic, Any] | None = None) -> dict[sp.Basic, sp.ImmutableMatrix]:
    """Every node as a matrix, given matrices for the leaves (symbols or numbers), via ``derive.model.windows``.

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> env = forward_elementwise(g, {x: sp.ImmutableMatrix([[1]]), w1: sp.ImmutableMatrix([[2]]),
    ...                               w2: sp.ImmutableMatrix([[-3]])})
    >>> env[g.output]
    Matrix([[0]])
    """
    env: dict[sp.Basic, Any] = {k: sp.ImmutableMatrix(v) for k, v in arrays.items()}
    for name, op in graph.nodes:
        env[name] = _node_value(name, op, env, pattern)
    return env


def _leaf_matrices(graph: Graph, shape: tuple[int, int], ks: Sequence[int]) -> dict[sp.Basic, sp.ImmutableMatrix]:
    grids: dict[sp.Basic, sp.ImmutableMatrix] = {}
    for leaf in graph.inputs:
        grids[leaf] = sp.ImmutableMatrix(symbol_grid(str(leaf), shape))
    for w, k in zip(graph.kernels, ks):
        grids[w] = sp.ImmutableMatrix(symbol_grid(str(w), (k, k)))
    return grids


def sympy_gradients(graph: Graph, arrays: Mapping[sp.Basic, Any], upstream: Any,
                    wrt: Sequence[sp.Basic] | None = None,
                    pattern: Mapping[sp.Basic, Any] | None = None) -> dict[sp.Basic, sp.ImmutableMatrix]:
    """SymPy's own ``diff`` of ``L = Σ_ij g_ij y_ij`` with respect to arrays of the graph (leaves or nodes).

    For a node ``n``, the graph downstream of ``n`` is rebuilt with a fresh matrix in place of ``n``; the
    derivative is then evaluated at the forward value of ``n``. With ``pattern`` (node -> 0/1 matrix, the
    activation pattern at a point away from the kinks), each ``ReLU(u)`` node is expanded as ``[u > 0] u``
    with the mask fixed, which equals ReLU near the point; ``diff`` then needs no case analysis.

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> env = {x: sp.ImmutableMatrix([[1]]), w1: sp.ImmutableMatrix([[2]]), w2: sp.ImmutableMatrix([[3]])}
    >>> sympy_gradients(g, env, sp.ImmutableMatrix([[1]]))[x]
    Matrix([[7]])
    """
    wrt = list(wrt if wrt is not None else graph.leaves)
    forward = forward_elementwise(graph, arrays, pattern)
    names = [n for n, _ in graph.nodes]
    out: dict[sp.Basic, sp.ImmutableMatrix] = {}
    for target in wrt:
        value = forward[target]
        fresh = sp.ImmutableMatrix(symbol_grid(f"_{target}", value.shape))
        env: dict[sp.Basic, Any] = {k: forward[k] for k in graph.leaves}
        start = names.index(target) + 1 if target in names else 0
        env.update({n: forward[n] for n in names[:start]})
        env[target] = fresh
        for name, op in graph.nodes[start:]:
            env[name] = _node_value(name, op, env, pattern)
        loss = sum((a * b for a, b in zip(sp.ImmutableMatrix(upstream), env[graph.output])), sp.S.Zero)
        back = dict(zip(fresh, value))
        out[target] = sp.ImmutableMatrix(value.shape[0], value.shape[1],
                                         [sp.diff(loss, e).xreplace(back) for e in fresh])
    return out


def closed_gradients_exact(grads: Gradients, arrays: Mapping[sp.Basic, Any], upstream: Any,
                           wrt: Sequence[sp.Basic] | None = None) -> dict[sp.Basic, sp.ImmutableMatrix]:
    """The closed forms of reverse mode evaluated elementwise (exactly, for rational or symbolic matrices).

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> env = {x: sp.ImmutableMatrix([[1]]), w1: sp.ImmutableMatrix([[2]]), w2: sp.ImmutableMatrix([[3]])}
    >>> closed_gradients_exact(backward(g), env, sp.ImmutableMatrix([[1]]))[x]
    Matrix([[7]])
    """
    graph = grads.graph
    env: dict[sp.Basic, Any] = dict(forward_elementwise(graph, arrays))
    env[Adjoint(graph.output)] = sp.ImmutableMatrix(upstream)
    env.update(kernel_sizes(graph, {w: env[w].rows for w in graph.kernels}))
    return {t: sp.ImmutableMatrix(grads.closed[t].xreplace(env)) for t in (wrt or graph.leaves)}


# ---------------------------------------------------------------------------------------------------------
# Checks: exact (rational points, every size up to a bound) and numeric (finite differences, inner products).


def _random_rationals(rng: np.random.Generator, shape: tuple[int, ...], den: int = 7) -> np.ndarray:
    """Nonzero random rationals ``n/d`` (``QQ``) in an object array; the draws do not depend on the dtype."""
    nums = rng.integers(-2 * den, 2 * den + 1, size=shape)
    dens = rng.integers(1, den + 1, size=shape)
    values = [sp.QQ(int(n) or 1, int(d)) for n, d in zip(nums.ravel(), dens.ravel())]
    return np.array(values + [None], dtype=object)[:-1].reshape(shape)


def _random_rational_matrix(rng: np.random.Generator, shape: tuple[int, int], den: int = 7) -> sp.ImmutableMatrix:
    values = _random_rationals(rng, shape, den)
    return sp.ImmutableMatrix(shape[0], shape[1], [sp.Rational(int(v.numerator), int(v.denominator))
                                                   for v in values.ravel()])


def leaf_shapes(graph: Graph, shape: Sequence[int], ks: Sequence[int],
                out_channels: Sequence[int] | None = None) -> dict[sp.Basic, tuple[int, ...]]:
    """Array shapes of the graph's leaves for an image ``shape`` and kernel sizes ``ks``.

    ``shape`` is ``(H, W)`` (single channel, ``k×k`` kernels) or ``(C, H, W)``: then kernel ``n`` is
    ``C_out×C_in×k×k`` with ``C_in`` the channels of its argument and ``C_out = out_channels[n]`` (default: as
    many as its argument has). A sum of arrays with different channel counts raises :class:`ShapeError`.

    Examples
    --------
    >>> g = residual_block()
    >>> sorted(leaf_shapes(g, (2, 4, 5), (3, 1), (6, 2)).values())
    [(2, 4, 5), (2, 6, 1, 1), (6, 2, 3, 3)]
    >>> leaf_shapes(g, (2, 4, 5), (3, 1), (6, 3))
    Traceback (most recent call last):
    ...
    derive.errors.ShapeError: node h^{(3)} adds arrays with 3 and 2 channels
    """
    if len(shape) not in (2, 3) or any(int(s) < 1 for s in shape):
        raise ShapeError(f"an image shape is (H, W) or (C, H, W) with positive sizes, got {tuple(shape)}",
                         shape=tuple(shape))
    if len(ks) != len(graph.kernels) or any(int(k) < 1 or int(k) % 2 == 0 for k in ks):
        raise ShapeError(f"need one odd kernel size per kernel {[str(w) for w in graph.kernels]}, got {tuple(ks)}")
    shapes: dict[sp.Basic, tuple[int, ...]] = {leaf: tuple(int(s) for s in shape) for leaf in graph.inputs}
    if len(shape) == 2:
        shapes.update({w: (int(k), int(k)) for w, k in zip(graph.kernels, ks)})
        return shapes
    outs = dict(zip(graph.kernels, out_channels)) if out_channels is not None else {}
    channels: dict[sp.Basic, int] = {leaf: int(shape[0]) for leaf in graph.inputs}
    sizes = dict(zip(graph.kernels, ks))
    for name, op in graph.nodes:
        if isinstance(op, Correlate):
            source, w = op.args
            c_out = int(outs.get(w, channels[source]))
            shapes[w] = (c_out, channels[source], int(sizes[w]), int(sizes[w]))
            channels[name] = c_out
        else:
            found = sorted({channels[a] for a in op.args if a in channels})
            if len(found) > 1:
                raise ShapeError(f"node {name} adds arrays with {' and '.join(map(str, found[::-1]))} channels")
            channels[name] = found[0]
    return shapes


def _random_point_exact(graph: Graph, shapes: Mapping[sp.Basic, tuple[int, ...]], rng: np.random.Generator,
                        tries: int = 100) -> tuple[dict[sp.Basic, np.ndarray], np.ndarray, dict[sp.Basic, Any]]:
    """Random ``QQ`` leaves and upstream gradient with no ReLU argument at 0; also the exact forward values."""
    for _ in range(tries):
        arrays = {leaf: _random_rationals(rng, shapes[leaf]) for leaf in graph.inputs}
        arrays.update({w: _random_rationals(rng, shapes[w]) for w in graph.kernels})
        env = forward_exact(graph, arrays)
        kinks = [op.args[0] for _, op in graph.nodes if isinstance(op, ArrayReLU)]
        if all(v != 0 for arg in kinks for v in np.asarray(env[arg]).ravel()):
            return arrays, _random_rationals(rng, np.shape(env[graph.output])), env
    raise ShapeError("could not draw a point away from the ReLU kinks")


def random_point(graph: Graph, shape: tuple[int, int], ks: Sequence[int], rng: np.random.Generator,
                 tries: int = 100) -> tuple[dict[sp.Basic, sp.ImmutableMatrix], sp.ImmutableMatrix]:
    """Random rational leaves and upstream gradient, with no ReLU argument exactly at its kink 0.

    Examples
    --------
    >>> pt, up = random_point(residual_block(), (2, 3), (3, 1), np.random.default_rng(0))
    >>> up.shape, pt[layer_symbol("w", 1)].shape
    ((2, 3), (3, 3))
    """
    arrays, upstream, _ = _random_point_exact(graph, leaf_shapes(graph, shape, ks), rng, tries)
    return {leaf: _to_matrix(v) for leaf, v in arrays.items()}, _to_matrix(upstream)


def _to_matrix(values: np.ndarray) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(values.shape[0], values.shape[1],
                              [sp.Rational(int(v.numerator), int(v.denominator)) for v in values.ravel()])


def forward_exact(graph: Graph, arrays: Mapping[sp.Basic, Any]) -> dict[sp.Basic, Any]:
    """Every node of the graph evaluated exactly over ``object`` arrays (``QQ`` entries, or polynomials).

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> one = np.array([[sp.QQ(1)]], dtype=object)
    >>> forward_exact(g, {x: one, w1: 2 * one, w2: -3 * one})[g.output].tolist()
    [[0]]
    """
    env: dict[sp.Basic, Any] = dict(arrays)
    for name, op in graph.nodes:
        env[name] = evaluate_exact(op, env)
    return env


@dataclass(frozen=True)
class ExactReport:
    """Outcome of :func:`exact_check`: sizes, points, agreement, seconds (and kernel output channels)."""

    shape: tuple[int, ...]
    kernels: tuple[int, ...]
    points: int
    agree: bool
    seconds: float
    channels: tuple[int, ...] = ()


def polynomial_loss(graph: Graph, arrays: Mapping[sp.Basic, np.ndarray], upstream: np.ndarray,
                    pattern: Mapping[sp.Basic, Any]) -> Any:
    """``L = Σ g_ij y_ij`` with the block expanded elementwise over polynomial-ring (or rational) entries.

    Each ReLU node is ``[u > 0] u`` with the activation ``pattern`` of the point, which equals ReLU near a
    point off the kinks. Sparse polynomial arithmetic (``sympy.polys.rings``) keeps the expansion fast. The
    expansion is written out entry by entry (zero-padded windows, channel sums), independently of the
    operator rules of :mod:`derive.model.operators`.

    Examples
    --------
    >>> from sympy.polys.rings import ring
    >>> R, a = ring("a", sp.QQ)
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> one = np.array([[sp.QQ(1)]], dtype=object)
    >>> L = polynomial_loss(g, {x: np.array([[a]], dtype=object), w1: one, w2: one}, one,
    ...                     {layer_symbol("z", 1): [[1]], sp.Symbol("y"): [[1]]})
    >>> L, L.diff(a)
    (2*a, 2)
    """
    env: dict[sp.Basic, Any] = dict(arrays)
    for name, op in graph.nodes:
        args = [env[a] for a in op.args]
        if isinstance(op, Correlate):
            value = _elementwise_correlate(np.asarray(args[0], dtype=object), np.asarray(args[1], dtype=object))
        elif isinstance(op, ArrayReLU):
            value = args[0] * np.asarray(pattern[name], dtype=object)
        elif isinstance(op, sp.Add):
            value = args[0]
            for other in args[1:]:
                value = value + other
        else:
            raise UnsupportedError(f"no elementwise expansion for {type(op).__name__}")
        env[name] = value
    return sum((g * y for g, y in zip(np.asarray(upstream).ravel(), np.asarray(env[graph.output]).ravel())), 0)


def _elementwise_correlate(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``out[o, r, c] = Σ_{c', a, b} kernel[o, c', a, b] image[c', r + a - p, c + b - p]``, zero outside."""
    single = image.ndim == 2
    image = image[None] if single else image
    kernel = kernel[None, None] if single else kernel
    C, H, W = image.shape
    k = kernel.shape[-1]
    pad = (k - 1) // 2
    out = np.empty((kernel.shape[0], H, W), dtype=object)
    for o in range(kernel.shape[0]):
        for r in range(H):
            for c in range(W):
                terms = [kernel[o, ch, a, b] * image[ch, r + a - pad, c + b - pad] for ch in range(C)
                         for a in range(max(0, pad - r), min(k, H + pad - r))
                         for b in range(max(0, pad - c), min(k, W + pad - c))]
                out[o, r, c] = sum(terms[1:], terms[0]) if terms else 0
    return out[0] if single else out


def _evaluate(poly: Any, point: Sequence[Any]) -> Any:
    if poly.is_ground:  # the usual case: L is linear in one leaf once the others are numbers
        return poly.LC if poly else sp.QQ(0)
    return poly(*point) if len(point) > 1 else poly(point[0])


def exact_check(shape: Sequence[int], k: int | Sequence[int], *, points: int = 1, graph: Graph | None = None,
                seed: int | None = None, out_channels: Sequence[int] | None = None,
                closed: Mapping[sp.Basic, sp.Expr] | None = None) -> ExactReport:
    """Closed forms vs SymPy's own ``diff`` of the expanded block, in exact arithmetic at random rational points.

    At each point (no ReLU argument at its kink 0; the activation pattern is the point's), the closed forms
    are evaluated exactly by :func:`~derive.model.operators.evaluate_exact` (rationals ``QQ``); independently, for
    each leaf the block is expanded with that leaf's entries as polynomial-ring generators and every other leaf
    already rational ("substitute numbers early"), and ``L = Σ g y`` is differentiated by each generator
    (SymPy's sparse-polynomial ``diff``). ``shape`` is ``(H, W)``, or ``(C, H, W)`` for multi-channel arrays
    (kernels ``C_out×C_in×k×k``, ``out_channels`` as in :func:`leaf_shapes`). ``closed`` replaces some closed
    forms (to see a wrong formula rejected). Intended for timing as well (``exact_check((16, 16), 3)`` takes
    about a second).

    Examples
    --------
    >>> exact_check((2, 3), 3).agree
    True
    >>> exact_check((2, 2, 3), 3, out_channels=(3, 2)).agree
    True
    >>> g = residual_block()
    >>> exact_check((2, 3), 3, closed={g.inputs[0]: Adjoint(g.output)}).agree  # the skip term alone: wrong
    False
    """
    from sympy.polys.rings import ring

    graph = graph or residual_block()
    ks = tuple(k) if isinstance(k, Sequence) else (k,) * len(graph.kernels)
    shapes = leaf_shapes(graph, shape, ks, out_channels)
    forms = {**backward(graph).closed, **(closed or {})}
    parts: tuple[Any, ...] = (tuple(shape), ks) + ((tuple(out_channels),) if out_channels is not None else ())
    rng = np.random.default_rng(stable_seed("exact", *parts) if seed is None else seed)
    start = time.perf_counter()
    agree = True
    rings: dict[int, Any] = {}
    for _ in range(points):
        arrays, upstream, env = _random_point_exact(graph, shapes, rng)
        pattern = {name: np.where(env[op.args[0]] > 0, 1, 0) for name, op in graph.nodes if isinstance(op, ArrayReLU)}
        env[Adjoint(graph.output)] = upstream
        env.update({kernel_size_symbol(w): shapes[w][-1] for w in graph.kernels})
        for leaf in graph.leaves:
            size = arrays[leaf].size
            if size not in rings:
                rings[size] = ring([f"v{i}" for i in range(size)], sp.QQ)
            R, *gens = rings[size]
            symbolic = np.array(gens + [None], dtype=object)[:-1].reshape(arrays[leaf].shape)
            loss = R(polynomial_loss(graph, {**arrays, leaf: symbolic}, upstream, pattern))
            point = list(arrays[leaf].ravel())
            got = [_evaluate(loss.diff(gen), point) for gen in gens]
            want = list(np.asarray(evaluate_exact(forms[leaf], env)).ravel())
            agree &= len(got) == len(want) and all(sp.QQ(0) + a == b for a, b in zip(got, want))
    channels = tuple(shapes[w][0] for w in graph.kernels) if len(shape) == 3 else ()
    return ExactReport(tuple(int(s) for s in shape), ks, points, agree, time.perf_counter() - start, channels)


def exact_sweep(max_size: int = 6, ks: Sequence[int] = (1, 3, 5), points: int = 1,
                channels: Sequence[tuple[int, int]] = ()) -> list[ExactReport]:
    """:func:`exact_check` for every image size ``1×1 … max_size×max_size`` (also non-square) and each ``k``.

    Without ``channels`` the images are single-channel ``H×W``; each ``(C, C1)`` in ``channels`` instead
    checks the multi-channel block with ``x: C×H×W``, ``w1: C1×C×k×k``, ``w2: C×C1×k×k``.

    Examples
    --------
    >>> all(r.agree for r in exact_sweep(2, (1, 3)))
    True
    >>> [r.channels for r in exact_sweep(1, (3,), channels=[(2, 3)])]
    [(3, 2)]
    """
    sizes = [(h, w) for h in range(1, max_size + 1) for w in range(1, max_size + 1)]
    if not channels:
        return [exact_check(s, k, points=points) for k in ks for s in sizes]
    return [exact_check((c, *s), k, points=points, out_channels=(c1, c)) for c, c1 in channels for k in ks
            for s in sizes]


def _as_array(name: str, value: Any, ndims: tuple[int, ...] = (2,)) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim not in ndims:
        kinds = " or ".join({2: "2-D (H x W)", 3: "3-D (C x H x W)", 4: "4-D (C_out x C_in x k x k)"}[n]
                            for n in ndims)
        raise ShapeError(f"{name} must be a {kinds} array, got {arr.ndim}-D with shape {arr.shape}", name=name,
                         shape=arr.shape)
    return arr


def graph_gradients(graph: Graph, arrays: Mapping[sp.Basic, Any], upstream: Any,
                    grads: Gradients | None = None) -> dict[sp.Basic, np.ndarray]:
    """Float64 gradients of every leaf, evaluated from the closed forms of :func:`backward`.

    Images are ``H×W`` with ``k×k`` kernels, or ``C×H×W`` with ``C_out×C_in×k×k`` kernels (multi-channel;
    the same closed forms, with ``flip`` also swapping the channel axes).

    Examples
    --------
    >>> g = residual_block()
    >>> x, w1, w2 = g.leaves
    >>> out = graph_gradients(g, {x: [[1.0]], w1: [[2.0]], w2: [[3.0]]}, [[1.0]])
    >>> float(out[x][0, 0])
    7.0
    >>> out = graph_gradients(g, {x: np.ones((2, 3, 3)), w1: np.ones((4, 2, 3, 3)), w2: np.ones((2, 4, 1, 1))},
    ...                       np.ones((2, 3, 3)))
    >>> out[w1].shape, out[w2].shape
    ((4, 2, 3, 3), (2, 4, 1, 1))
    """
    grads = grads or backward(graph)
    env: dict[sp.Basic, Any] = {k: _as_array(str(k), v, (2, 3)) for k, v in arrays.items() if k in graph.inputs}
    channels = {env[i].ndim for i in graph.inputs}
    if len(channels) != 1:
        raise ShapeError("the inputs must all be 2-D or all be 3-D (channels first)")
    kernel_ndim = 2 if channels == {2} else 4
    for w in graph.kernels:
        env[w] = _as_array(str(w), arrays[w], (kernel_ndim,))
        kr, kc = env[w].shape[-2:]
        if kr != kc:
            raise ShapeError(f"kernel {w} must be square (k x k), got {kr}x{kc}", name=str(w), shape=(kr, kc))
        if kr % 2 == 0:
            raise ShapeError(f"kernel {w} must have odd size to preserve the image size, got {kr}x{kc}",
                             name=str(w), shape=(kr, kc))
        env[kernel_size_symbol(w)] = kr
    for name, op in graph.nodes:
        env[name] = evaluate_numpy(op, env)
    shape = np.shape(env[graph.output])
    g = _as_array("grad_y", upstream, (len(shape),))
    if g.shape != shape:
        raise ShapeError(f"grad_y has shape {g.shape}, but the output has shape {shape}", name="grad_y",
                         shape=g.shape)
    env[Adjoint(graph.output)] = g
    return {leaf: np.asarray(evaluate_numpy(grads.closed[leaf], env), dtype=np.float64) for leaf in graph.leaves}


_BLOCK = residual_block()
_BLOCK_GRADS = backward(_BLOCK)


def residual_block_gradients(x: Any, w1: Any, w2: Any, grad_y: Any) -> dict[str, np.ndarray]:
    """``∂L/∂w1``, ``∂L/∂w2``, ``∂L/∂x`` of the residual block, from the closed forms derived by reverse mode.

    Parameters
    ----------
    x : array_like, shape (H, W) or (C, H, W)
        The image (single channel), or ``C`` channels of it.
    w1, w2 : array_like, shapes (k1, k1) and (k2, k2), or (C1, C, k1, k1) and (C, C1, k2, k2)
        Square kernels of odd size (any size, also larger than the image); 4-D for a 3-D ``x``.
    grad_y : array_like, the shape of ``x``
        ``∂L/∂y``.

    Returns
    -------
    dict
        ``{"w1": ..., "w2": ..., "x": ...}`` float64 arrays of the shapes of ``w1``, ``w2``, ``x``.

    Raises
    ------
    ShapeError
        For an ``x`` that is neither 2-D nor 3-D, kernels of the wrong dimension, even or not square,
        mismatched channel counts, and ``grad_y`` of another shape.

    Examples
    --------
    >>> out = residual_block_gradients(np.ones((2, 2)), np.ones((3, 3)), np.ones((1, 1)), np.ones((2, 2)))
    >>> out["w2"].tolist(), out["x"].tolist()
    ([[16.0]], [[5.0, 5.0], [5.0, 5.0]])
    >>> residual_block_gradients(np.ones((2, 2)), np.ones((2, 2)), np.ones((1, 1)), np.ones((2, 2)))
    Traceback (most recent call last):
    ...
    derive.errors.ShapeError: kernel w^{(1)} must have odd size to preserve the image size, got 2x2
    """
    xs, (w1s, w2s) = _BLOCK.inputs[0], _BLOCK.kernels
    arrays = {xs: _as_array("x", x, (2, 3)), w1s: w1, w2s: w2}
    out = graph_gradients(_BLOCK, arrays, grad_y, _BLOCK_GRADS)
    return {"w1": out[w1s], "w2": out[w2s], "x": out[xs]}


def residual_block_forward(x: Any, w1: Any, w2: Any) -> np.ndarray:
    """The block's output ``y`` in float64 (for finite differences).

    Examples
    --------
    >>> residual_block_forward(np.ones((1, 1)), np.ones((1, 1)), -np.ones((1, 1))).tolist()
    [[0.0]]
    """
    xs, (w1s, w2s) = _BLOCK.inputs[0], _BLOCK.kernels
    image = _as_array("x", x, (2, 3))
    env: dict[sp.Basic, Any] = {xs: image, w1s: _as_array("w1", w1, (2 * image.ndim - 2,)),
                                w2s: _as_array("w2", w2, (2 * image.ndim - 2,))}
    for name, op in _BLOCK.nodes:
        env[name] = evaluate_numpy(op, env)
    return np.asarray(env[_BLOCK.output])


@dataclass(frozen=True)
class NumericReport:
    """Largest relative errors of :func:`numeric_check` (finite differences and inner products)."""

    shape: tuple[int, ...]
    k: int
    fd_rel_error: float
    inner_rel_error: float


def numeric_check(shape: tuple[int, ...], k: int, *, directions: int = 4, eps: float = 1e-6,
                  seed: int = 0, mid_channels: int | None = None) -> NumericReport:
    """Central differences along random directions, and ``⟨J v, u⟩ = ⟨v, Jᵀ u⟩`` for the block's VJPs.

    ``shape`` is ``(H, W)``, or ``(C, H, W)`` for a multi-channel block with ``w1: C1×C×k×k`` and
    ``w2: C×C1×k×k`` (``C1 = mid_channels``, default ``C``).

    Examples
    --------
    >>> r = numeric_check((8, 8), 3, directions=2)
    >>> r.fd_rel_error < 1e-6 and r.inner_rel_error < 1e-12
    True
    >>> r = numeric_check((2, 6, 5), 3, directions=2, mid_channels=3)
    >>> r.fd_rel_error < 1e-6 and r.inner_rel_error < 1e-12
    True
    """
    rng = np.random.default_rng(seed)
    shapes = leaf_shapes(_BLOCK, shape, (k, k), None if mid_channels is None else (mid_channels, shape[0]))
    xs, (w1s, w2s) = _BLOCK.inputs[0], _BLOCK.kernels
    fan = k * (shape[0] if len(shape) == 3 else 1)
    x, w1, w2 = rng.normal(size=shapes[xs]), rng.normal(size=shapes[w1s]) / fan, rng.normal(size=shapes[w2s]) / fan
    g = rng.normal(size=shapes[xs])
    grads = residual_block_gradients(x, w1, w2, g)
    fd_err, ip_err = 0.0, 0.0
    for _ in range(directions):
        v = {"x": rng.normal(size=x.shape), "w1": rng.normal(size=w1.shape), "w2": rng.normal(size=w2.shape)}
        plus = residual_block_forward(x + eps * v["x"], w1 + eps * v["w1"], w2 + eps * v["w2"])
        minus = residual_block_forward(x - eps * v["x"], w1 - eps * v["w1"], w2 - eps * v["w2"])
        jv = (plus - minus) / (2 * eps)  # J v, the directional derivative of y
        lhs = float(np.sum(jv * g))  # <J v, u> with u = grad_y
        rhs = sum(float(np.sum(grads[n] * v[n])) for n in v)  # <v, J^T u>
        fd_err = max(fd_err, abs(lhs - rhs) / max(abs(lhs), abs(rhs), 1e-300))
        # inner-product test of the linear correlation maps and their VJP rules
        ip_err = max(ip_err, _inner_product_error(x, w1, w2, rng))
    return NumericReport(tuple(shape), k, fd_err, ip_err)


def _inner_product_error(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, rng: np.random.Generator) -> float:
    """``⟨J v, u⟩`` vs ``⟨v, Jᵀ u⟩`` for the correlation operator ``x ↦ x ∗ w`` and ``w ↦ x ∗ w`` (linear)."""
    xs, ws, us = sp.symbols("x w u")
    errs = []
    for w in (w1, w2):
        k = w.shape[-1]
        source = x.shape if w.ndim == 2 else (w.shape[1],) + x.shape[1:]
        target = x.shape if w.ndim == 2 else (w.shape[0],) + x.shape[1:]
        u, v, image = rng.normal(size=target), rng.normal(size=source), rng.normal(size=source)
        jv = evaluate_numpy(Correlate(xs, ws), {xs: v, ws: w})
        jtu = evaluate_numpy(vjp(Correlate(xs, ws), 0, us), {us: u, ws: w})
        errs.append(abs(np.sum(jv * u) - np.sum(v * jtu)) / max(abs(np.sum(jv * u)), 1e-300))
        dw = rng.normal(size=w.shape)
        jw = evaluate_numpy(Correlate(xs, ws), {xs: image, ws: dw})
        jtw = evaluate_numpy(vjp(Correlate(xs, ws), 1, us), {us: u, xs: image, kernel_size_symbol(ws): k})
        errs.append(abs(np.sum(jw * u) - np.sum(dw * jtw)) / max(abs(np.sum(jw * u)), 1e-300))
    return float(max(errs))


# ---------------------------------------------------------------------------------------------------------
# The vector–Jacobian rules as lemmas in index form, with symbolic sizes.


@dataclass(frozen=True)
class Lemma:
    """``lhs = rhs`` in index form: ``lhs`` is SymPy's ``diff`` of ``⟨g, op(...)⟩``, ``rhs`` the rule's form."""

    name: str
    lhs: sp.Expr
    rhs: sp.Expr
    sizes: tuple[sp.Symbol, ...]


def _padded(base: sp.IndexedBase, r: sp.Expr, c: sp.Expr, H: sp.Expr, W: sp.Expr) -> sp.Expr:
    """``base[r, c]`` inside the support, 0 outside: the zero padding, written with Kronecker deltas."""
    s, t = sp.symbols("s t", integer=True)
    return sp.Sum(sp.KroneckerDelta(s, r) * sp.KroneckerDelta(t, c) * base[s, t], (s, 0, H - 1), (t, 0, W - 1))


def vjp_lemmas() -> list[Lemma]:
    """The rules of ReLU, addition and correlation (input and kernel), as index-form identities.

    Sizes ``H, W`` and the half-width ``q`` (kernel ``k = 2q + 1``) are symbols; ``u, v`` (and ``a, b`` for
    the kernel) are free indices over their ranges.

    Examples
    --------
    >>> [lem.name for lem in vjp_lemmas()]
    ['relu', 'add', 'correlation, input', 'correlation, kernel']
    """
    H, W = sp.symbols("H W", integer=True, positive=True)
    q = sp.Symbol("q", integer=True, nonnegative=True)
    k = 2 * q + 1
    i, j, a, b, c, d = sp.symbols("i j a b c d", integer=True)
    u, v = sp.Idx("u", (0, H - 1)), sp.Idx("v", (0, W - 1))
    ak, bk = sp.Idx("a", (0, 2 * q)), sp.Idx("b", (0, 2 * q))
    g, h, x, w, z = (sp.IndexedBase(n, real=True) for n in ("g", "h", "x", "w", "z"))
    over = ((i, 0, H - 1), (j, 0, W - 1))
    relu = sp.diff(sp.Sum(g[i, j] * ReLU(h[i, j]), *over), h[u, v])
    relu_rule = g[u, v] * Indicator(h[u, v])
    add = sp.diff(sp.Sum(g[i, j] * (h[i, j] + z[i, j]), *over), h[u, v])
    corr = sp.Sum(w[c, d] * _padded(x, i + c - q, j + d - q, H, W), (c, 0, k - 1), (d, 0, k - 1))
    loss = sp.Sum(g[i, j] * corr, *over)
    by_input = sp.diff(loss, x[u, v])
    input_rule = sp.Sum(w[k - 1 - c, k - 1 - d] * _padded(g, u + c - q, v + d - q, H, W), (c, 0, k - 1),
                        (d, 0, k - 1))
    by_kernel = sp.diff(loss, w[ak, bk])
    kernel_rule = sp.Sum(g[i, j] * _padded(x, i + ak - q, j + bk - q, H, W), *over)
    return [Lemma("relu", relu, relu_rule, (H, W)), Lemma("add", add, g[u, v], (H, W)),
            Lemma("correlation, input", by_input, input_rule, (H, W, q)),
            Lemma("correlation, kernel", by_kernel, kernel_rule, (H, W, q))]


def check_lemma(lemma: Lemma, bound: int = 3, q_bound: int = 2) -> int:
    """Check a lemma exactly for every size ``H, W <= bound``, ``q <= q_bound`` and every free index.

    Both sides are written out (every sum unrolled) and compared as polynomials in the array elements;
    returns the number of (size, index) cases checked, or raises ``AssertionError`` at the first mismatch.

    Examples
    --------
    >>> check_lemma(vjp_lemmas()[1], bound=2)
    9
    """
    cases = 0
    sizes = {s.name: s for s in lemma.sizes}
    qs = range(q_bound + 1) if "q" in sizes else [0]
    for H in range(1, bound + 1):
        for W in range(1, bound + 1):
            for q in qs:
                fixed = {sizes["H"]: H, sizes["W"]: W, **({sizes["q"]: q} if "q" in sizes else {})}
                lhs, rhs = lemma.lhs.xreplace(fixed), lemma.rhs.xreplace(fixed)
                idxs = sorted(set(lhs.atoms(sp.Idx)) | set(rhs.atoms(sp.Idx)), key=str)
                ranges = [range(int(ix.lower), int(ix.upper) + 1) for ix in idxs]
                # Sizes fixed: write the sums out once; the deltas evaluate when the free indices get values.
                difference = unroll_sums(lhs) - unroll_sums(rhs)
                for combo in np.ndindex(*[len(r) for r in ranges]):
                    at = {ix: sp.Integer(r[n]) for ix, r, n in zip(idxs, ranges, combo)}
                    gap = sp.expand(difference.xreplace(at))
                    if gap != 0:
                        raise AssertionError(f"lemma {lemma.name} fails at {fixed}, {at}: {gap}")
                    cases += 1
    return cases
