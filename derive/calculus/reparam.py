"""Re-parametrise a network when its activation is replaced by an affine image of another."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.errors import DeriveError, ShapeError, UnsupportedError
from derive.model.nn import TwoLayerNetwork
from derive.verify import verify_claim


@dataclass(frozen=True)
class AffineRelation:
    r"""``target(u) = alpha * source(beta * u) + gamma`` for all real ``u``."""

    alpha: sp.Expr
    beta: sp.Expr
    gamma: sp.Expr

    def apply(self, source: Any, u: sp.Expr) -> sp.Expr:
        """The right-hand side ``alpha * source(beta*u) + gamma``."""
        return self.alpha * source(self.beta * u) + self.gamma


def affine_relation(target: Any, source: Any) -> AffineRelation:
    r"""Derive ``alpha, beta, gamma`` with ``target(u) = alpha*source(beta*u) + gamma``.

    The constants are fixed by the limits at :math:`\pm\infty` (with
    ``beta > 0``) and by the slope at 0. Those conditions are necessary only,
    so a candidate is kept only when the verifier shows it is an identity.

    Raises
    ------
    UnsupportedError
        When no such relation follows from the limits and slope.

    Examples
    --------
    >>> from sympy import tanh
    >>> from derive.model.activations import Sigmoid
    >>> affine_relation(tanh, Sigmoid)
    AffineRelation(alpha=2, beta=2, gamma=-1)
    """
    u = sp.Symbol("u", real=True)
    alpha, gamma = sp.symbols("alpha gamma")
    beta = sp.Symbol("beta", positive=True)
    t, s = target(u), source(u)
    equations = [
        sp.Eq(sp.limit(t, u, sp.oo), alpha * sp.limit(s, u, sp.oo) + gamma),
        sp.Eq(sp.limit(t, u, -sp.oo), alpha * sp.limit(s, u, -sp.oo) + gamma),
        sp.Eq(sp.diff(t, u).subs(u, 0), alpha * beta * sp.diff(s, u).subs(u, 0)),
    ]
    solutions = sp.solve(equations, [alpha, beta, gamma], dict=True)
    for sol in solutions:
        rel = AffineRelation(sol[alpha], sol[beta], sol[gamma])
        # Limits and slope are necessary conditions only: keep the relation if it is an identity.
        if verify_claim(t, rel.apply(source, u)).status == "proven":
            return rel
    raise UnsupportedError(f"no affine relation {target}(u) = a*{source}(b*u) + c follows from limits and slope")


@dataclass(frozen=True)
class WeightMap:
    """Rules giving each weight element of one network in terms of another's.

    ``rules`` maps the generic elements ``W1, b1, W2, b2`` of ``target`` to
    expressions in the elements of ``source`` (see :meth:`TwoLayerNetwork.weights`).
    """

    source: TwoLayerNetwork
    target: TwoLayerNetwork
    rules: Mapping[str, sp.Expr]

    def substitution(self) -> dict[sp.Basic, sp.Expr]:
        """``{target element: expression}`` for ``xreplace`` into the target network."""
        elements = self.target.weights()
        return {elements[name]: rule for name, rule in self.rules.items()}

    def apply(self, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[np.ndarray, ...]:
        """Evaluate the rules on NumPy arrays ``W1 (M, D), b1 (M,), W2 (K, M), b2 (K,)``."""
        W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2, b2))
        M, D, K = _check_shapes(W1, b1, W2, b2)
        # 1-based augmented arrays: column 0 holds the bias, row 0 is unused.
        A1 = np.full((M + 1, D + 1), np.nan)
        A1[1:, 0], A1[1:, 1:] = b1, W1
        A2 = np.full((K + 1, M + 1), np.nan)
        A2[1:, 0], A2[1:, 1:] = b2, W2
        src = self.source
        arrays = {src.w1.label: A1, src.w2.label: A2}
        j = np.arange(1, M + 1)[:, None]
        i = np.arange(1, D + 1)[None, :]
        k = np.arange(1, K + 1)[:, None]
        jr = np.arange(1, M + 1)[None, :]
        grids = {
            "W1": {src.j: j, src.i: i},
            "b1": {src.j: j[:, 0]},
            "W2": {src.k: k, src.j: jr},
            "b2": {src.k: k[:, 0]},
        }
        shapes = {"W1": (M, D), "b1": (M,), "W2": (K, M), "b2": (K,)}
        sizes = {src.D: D, src.M: M, src.K: K}
        out = []
        for name in ("W1", "b1", "W2", "b2"):
            value = _evaluate(self.rules[name], arrays, {**grids[name], **sizes})
            out.append(np.broadcast_to(value, shapes[name]).astype(float).copy())
        return tuple(out)


def _check_shapes(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> tuple[int, int, int]:
    for name, arr, ndim in (("W1", W1, 2), ("b1", b1, 1), ("W2", W2, 2), ("b2", b2, 1)):
        if arr.ndim != ndim:
            raise ShapeError(f"{name} must be {ndim}-D, got shape {arr.shape}", name=name, shape=arr.shape)
    M, D = W1.shape
    K = W2.shape[0]
    expected = {"b1": (M,), "W2": (K, M), "b2": (K,)}
    for name, arr in (("b1", b1), ("W2", W2), ("b2", b2)):
        if arr.shape != expected[name]:
            raise ShapeError(
                f"{name} must have shape {expected[name]} to match W1 {W1.shape}, got {arr.shape}",
                name=name, shape=arr.shape,
            )
    return M, D, K


def _evaluate(expr: sp.Expr, arrays: Mapping[sp.Basic, np.ndarray], values: Mapping[sp.Basic, Any]) -> Any:
    # Every name is a Dummy (bound summation variables too), so no symbol name reaches the generated source.
    bases = {b: sp.IndexedBase(sp.Dummy(f"A{n}")) for n, b in enumerate(sorted(arrays, key=str))}
    renamed = expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base.label in bases,
                           lambda e: bases[e.base.label][e.indices])
    names = {s: sp.Dummy(f"s{n}") for n, s in enumerate(sorted(values, key=str))}
    renamed = renamed.xreplace(names)
    renamed = renamed.xreplace({s: sp.Dummy(**s.assumptions0) for s in renamed.atoms(sp.Symbol)
                                if not isinstance(s, sp.Dummy)})
    args = [bases[b] for b in sorted(arrays, key=str)] + [names[s] for s in sorted(values, key=str)]
    fn = sp.lambdify(args, renamed, modules="numpy", dummify=True)
    return fn(*[arrays[b] for b in sorted(arrays, key=str)], *[values[s] for s in sorted(values, key=str)])


def _match_conditions(source: TwoLayerNetwork, target: TwoLayerNetwork, rel: AffineRelation) -> list[sp.Eq]:
    """Coefficient matching: the target output, rewritten through ``rel``, must equal the source output."""
    x_i = source.x[source.i]
    # a_j is linear in x: match the coefficient of x_i and the constant term of beta*a^t_j and a^s_j.
    coeff = lambda net: net.w1[net.j, net.i] * net.x[net.i]  # noqa: E731 - summand of a_j
    conditions = [
        sp.Eq(sp.expand(rel.beta * coeff(target)).coeff(x_i), sp.expand(coeff(source)).coeff(x_i)),
        sp.Eq(rel.beta * target.w1[target.j, 0], source.w1[source.j, 0]),
    ]
    # The output is linear in the functions source(a_j) and in the constant: match both.
    rewritten = target.w2[target.k, target.j] * rel.alpha
    conditions.append(sp.Eq(rewritten, source.w2[source.k, source.j]))
    constant = target.w2[target.k, 0] + rel.gamma * sp.Sum(target.w2[target.k, target.j], (target.j, 1, target.M))
    conditions.append(sp.Eq(constant, source.w2[source.k, 0]))
    return conditions


def solve_weight_map(source: TwoLayerNetwork, target: TwoLayerNetwork, rel: AffineRelation) -> WeightMap:
    """Derive the weights of ``target`` that make it compute the same outputs as ``source``.

    With ``target.activation(u) = alpha * source.activation(beta*u) + gamma``,
    the target output is a linear combination of ``source.activation(beta * a^t_j)``
    plus a constant; matching the arguments, the coefficients of each hidden
    unit and the constant gives linear conditions, solved here in order.

    Examples
    --------
    >>> from sympy import tanh
    >>> from derive.model.activations import Sigmoid
    >>> from derive.model.nn import two_layer_network
    >>> s, t = two_layer_network(Sigmoid), two_layer_network(tanh, weights="t")
    >>> m = solve_weight_map(s, t, affine_relation(tanh, Sigmoid))
    >>> m.rules["W1"], m.rules["W2"]
    (w^{(1)}[j, i]/2, w^{(2)}[k, j]/2)
    """
    if (source.D, source.M, source.K) != (target.D, target.M, target.K):
        raise ShapeError("the two networks must have the same sizes")
    conditions = dict(zip(("W1", "b1", "W2", "b2"), _match_conditions(source, target, rel)))
    return WeightMap(source, target, _solve_in_order(conditions, target.weights(), target.w2, source.j))


def _solve_in_order(
    conditions: Mapping[str, sp.Eq], unknowns: Mapping[str, sp.Indexed], w2: sp.IndexedBase, j: sp.Symbol
) -> dict[str, sp.Expr]:
    """Solve ``W1, b1, W2, b2`` in turn; solved rules, also for ``W2`` elements inside sums, are substituted."""
    rules: dict[str, sp.Expr] = {}
    for name in ("W1", "b1", "W2", "b2"):
        condition = conditions[name].xreplace({unknowns[n]: r for n, r in rules.items()})
        if "W2" in rules:
            condition = condition.replace(
                lambda e: isinstance(e, sp.Indexed) and e.base == w2 and e.indices[1] != 0,
                lambda e: rules["W2"].xreplace({j: e.indices[1]}),
            )
        solution = sp.solve(condition, unknowns[name], dict=True)
        if len(solution) != 1:
            raise DeriveError(f"coefficient matching gives no unique value for {unknowns[name]}")
        rules[name] = sp.expand(solution[0][unknowns[name]])
    return rules


def invert_weight_map(forward: WeightMap) -> WeightMap:
    """Solve the forward rules for the source weights: the inverse map.

    Examples
    --------
    >>> from sympy import tanh
    >>> from derive.model.activations import Sigmoid
    >>> from derive.model.nn import two_layer_network
    >>> s, t = two_layer_network(Sigmoid), two_layer_network(tanh, weights="t")
    >>> inv = invert_weight_map(solve_weight_map(s, t, affine_relation(tanh, Sigmoid)))
    >>> inv.rules["W1"]
    2*t^{(1)}[j, i]
    """
    src, tgt = forward.source, forward.target
    s_el, t_el = src.weights(), tgt.weights()
    conditions = {name: sp.Eq(t_el[name], forward.rules[name]) for name in s_el}
    rules = _solve_in_order(conditions, s_el, src.w2, tgt.j)
    return WeightMap(tgt, src, rules)
