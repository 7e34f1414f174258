"""The VJP lemma of every operator class, checked exactly at every small configuration.

The lemma of an operator ``y = f(x₁, …, x_m)`` says that its ``vjp(i, g)`` is ``∂⟨g, f(x)⟩/∂x_i``. For the
operators that are polynomial in their operands (convolution and its relatives, average pooling, linear,
reshape, sums, biases) the check is a polynomial identity in symbolic entries, which proves the lemma at
that configuration. For the others (max pooling, batch norm, the softmax cross-entropy head) SymPy's
``diff`` of the expanded operator is compared with the VJP at random rational points, exactly or to 80
digits: evidence, not proof. Reverse mode composes the lemmas by the chain rule, so a block's gradient is
right wherever its operators' lemmas hold.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.calculus.reverse import local_vjp
from derive.model.array import Array, ArrayOp
from derive.model.layers import avg_pool2d, batch_norm, conv2d, flatten, linear, max_pool2d, mean, softmax_cross_entropy
from derive.model.ops import Broadcast, ChannelBias, Total
from derive.numeric.evaluate import EXACT, evaluate

__all__ = ["LemmaReport", "check_lemma", "check_lemmas", "configurations"]


@dataclass(frozen=True)
class LemmaReport:
    """How one operator's lemma was checked: over how many configurations, and with what standing."""

    operator: str
    configurations: int
    proven: bool
    failures: tuple[str, ...] = ()

    @property
    def how(self) -> str:
        """``polynomial identity at each configuration`` or ``exact agreement at rational points``."""
        return ("polynomial identity at each configuration" if self.proven else
                "SymPy diff at random rational points, exactly or to 80 digits")


def _symbols(name: str, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = sp.Symbol(f"{name}_{'_'.join(map(str, idx))}", real=True)
    return out


def _rationals(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = sp.Rational(int(rng.integers(-60, 61)), int(rng.integers(7, 60)))
    return out


def check_lemma(y: sp.Expr, *, polynomial: bool, seed: int = 0) -> list[str]:
    """Check every VJP of one operator application ``y``; returns the failures (empty when it holds).

    Examples
    --------
    >>> x, w = Array("x", (1, 3, 3)), Array("w", (1, 1, 2, 2))
    >>> check_lemma(conv2d(x, w, stride=2, padding=1), polynomial=True)
    []
    """
    leaves = sorted(y.atoms(Array), key=lambda a: a.name)
    shapes = {a: tuple(int(s) for s in a.shape) for a in leaves}
    out_shape = tuple(int(s) for s in _shape(y))
    g = Array("g", out_shape, "cotangent")
    rng = np.random.default_rng(seed)
    node = y
    failures: list[str] = []
    symbolic = {a: _symbols(a.name, shapes[a]) for a in leaves}
    gvals = _symbols("g", out_shape) if polynomial else _rationals(out_shape, rng)
    point = {a: _rationals(shapes[a], rng) for a in leaves}
    for index, operand in _array_operands(node):
        cot = local_vjp(node, index, g)
        if polynomial:
            values = {**symbolic, g: gvals}
            lhs = evaluate([node], symbolic, EXACT)[0]
            inner = sp.expand(sp.Add(*np.ravel(lhs * gvals).tolist()))
            vjp = _fit(evaluate([cot], values, EXACT)[0], shapes[operand])
            if vjp is None:
                failures.append(f"{node.func.__name__} argument {index}: a VJP of the wrong shape")
                continue
            for idx in np.ndindex(shapes[operand]):
                want = sp.diff(inner, symbolic[operand][idx])
                if sp.expand(vjp[idx] - want) != 0:
                    failures.append(f"{node.func.__name__} argument {index} entry {idx}")
                    break
        else:
            t = sp.Symbol("t", real=True)
            vjp = _fit(evaluate([cot], {**point, g: gvals}, EXACT)[0], shapes[operand])
            if vjp is None:
                failures.append(f"{node.func.__name__} argument {index}: a VJP of the wrong shape")
                continue
            for idx in np.ndindex(shapes[operand]):
                moved = dict(point)
                shifted = point[operand].copy()
                shifted[idx] = shifted[idx] + t
                moved[operand] = shifted
                value = evaluate([node], moved, EXACT)[0]
                want = sp.diff(sp.Add(*np.ravel(value * gvals).tolist()), t).subs(t, 0)
                gap = sp.N(vjp[idx] - want, 80)
                if abs(gap) > sp.Float(10) ** -60 * max(1, abs(sp.N(want, 20))):
                    failures.append(f"{node.func.__name__} argument {index} entry {idx}: gap {sp.N(gap, 3)}")
                    break
    return failures


def _fit(value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """A VJP's value in the operand's shape (a scalar zero broadcasts); ``None`` when the shape is wrong."""
    if value.shape == shape:
        return value
    if value.shape == ():
        return np.broadcast_to(value, shape)
    return None


def _shape(y: sp.Expr) -> tuple[sp.Expr, ...]:
    from derive.model.array import shape_of

    return shape_of(y)


def _array_operands(node: sp.Basic) -> list[tuple[int, sp.Basic]]:
    args = node.arrays if isinstance(node, ArrayOp) else node.args
    return [(i + 1, a) for i, a in enumerate(args) if isinstance(a, Array)]


def _conv_cases(limit: int) -> Iterator[sp.Expr]:
    for h, w, kh, kw, s, p, d, (n, c, o) in itertools.product(
            range(1, limit + 1), range(1, limit + 1), (1, 2, 3), (1, 2, 3), (1, 2), (0, 1), (1, 2),
            ((0, 0, 0), (0, 1, 2), (1, 2, 1), (2, 1, 1))):
        if d * (kh - 1) + 1 > h + 2 * p or d * (kw - 1) + 1 > w + 2 * p:
            continue
        x = Array("x", (h, w) if n == 0 and c == 0 else ((c, h, w) if n == 0 else (n, c, h, w)))
        k = Array("w", (kh, kw) if c == 0 else (o, c, kh, kw), "param")
        yield conv2d(x, k, stride=s, padding=p, dilation=d)


def _pool_cases(limit: int, fn: Callable[..., sp.Expr]) -> Iterator[sp.Expr]:
    for h, w, k, s, p, batch in itertools.product(range(1, limit + 1), range(1, limit + 1), (1, 2, 3), (1, 2),
                                                  (0, 1), (False, True)):
        if 2 * p > k or k > h + 2 * p or k > w + 2 * p:
            continue
        yield fn(Array("x", (2, 1, h, w) if batch else (h, w)), k, s, p)


def configurations(limit: int = 3) -> dict[str, tuple[bool, list[sp.Expr]]]:
    """Every operator's configurations up to size ``limit``, and whether its lemma is polynomial.

    Examples
    --------
    >>> sorted(configurations(1))[:3]
    ['avg_pool2d', 'batch_norm', 'bias']
    """
    return {
        "conv2d": (True, list(_conv_cases(limit))),
        "avg_pool2d": (True, list(_pool_cases(limit, avg_pool2d))),
        "max_pool2d": (False, list(_pool_cases(min(limit, 3), max_pool2d))),
        "linear": (True, [linear(Array("a", s), Array("W", (o, s[-1]), "param"))
                          for s in ((1,), (3,), (2, 3)) for o in (1, 2)]),
        "bias": (True, [ChannelBias(Array("y", s), Array("b", (s[axis],), "param"), axis)
                        for s, axis in (((2, 3), 1), ((3, 2, 2), 0), ((2, 3, 2, 1), 1))]),
        "flatten": (True, [flatten(Array("x", s)) for s in ((2, 3, 2, 2), (3, 2, 2), (2, 2))]),
        "sum": (True, [Total(Array("x", s)) for s in ((1,), (2, 3))]),
        "mean": (True, [mean(Array("x", s)) for s in ((3,), (2, 2))]),
        "broadcast": (True, [Broadcast(Array("s", ()), sp.Tuple(2, 3))]),
        "batch_norm": (False, [batch_norm(Array("x", s), Array("g", (s[c],), "param"), Array("b", (s[c],), "param"),
                                          sp.Rational(1, 10)) for s, c in (((3, 2), 1), ((2, 2, 2), 0),
                                                                           ((2, 2, 2, 1), 1))]),
        "softmax_cross_entropy": (False, [softmax_cross_entropy(Array("z", s), Array("t", s, "target"))
                                          for s in ((3,), (2, 3))]),
    }


def check_lemmas(limit: int = 3, *, only: tuple[str, ...] = ()) -> list[LemmaReport]:
    """Check every operator's lemma at every configuration up to size ``limit``.

    Examples
    --------
    >>> [(r.operator, r.proven, r.failures) for r in check_lemmas(1, only=("linear", "sum"))]
    [('linear', True, ()), ('sum', True, ())]
    """
    reports = []
    for name, (polynomial, cases) in configurations(limit).items():
        if only and name not in only:
            continue
        failures: list[str] = []
        for i, y in enumerate(cases):
            failures += check_lemma(y, polynomial=polynomial, seed=i)
        reports.append(LemmaReport(name, len(cases), polynomial, tuple(failures)))
    return reports


_ = Any
