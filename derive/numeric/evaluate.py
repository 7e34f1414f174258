"""The two evaluators of array expressions: float64 and exact, each dispatching through the operator classes.

One tree walk serves both. Every distinct subexpression is computed once (SymPy trees are hash-consed), so a
mask or a correlation shared by several gradients is evaluated once. :class:`Arithmetic` says how numbers,
elementwise functions and the kernels' scalar functions (``max``, ``exp``, ``log``, ``sqrt``) behave:
:data:`FLOAT` uses NumPy float64, :data:`EXACT` uses object arrays of SymPy numbers (rational where the
values are rational, exact algebraic or transcendental numbers otherwise, and symbols when given symbols).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from derive.errors import ShapeError, UnsupportedError
from derive.model import kernels
from derive.model.array import Array, ArrayOp

__all__ = ["EXACT", "FLOAT", "Arithmetic", "bind_sizes", "evaluate"]


class ExactOps:
    """The scalar functions of exact arithmetic, on object arrays of SymPy numbers or expressions."""

    dtype = object
    neg_inf = sp.S.NegativeInfinity

    _max = np.frompyfunc(lambda a, b: sp.Max(a, b), 2, 1)
    _exp = np.frompyfunc(sp.exp, 1, 1)
    _log = np.frompyfunc(sp.log, 1, 1)
    _sqrt = np.frompyfunc(sp.sqrt, 1, 1)

    def max(self, a: Any, axis: int) -> Any:
        return self._max.reduce(a, axis=axis)

    def exp(self, a: Any) -> Any:
        return np.asarray(self._exp(a), dtype=object)

    def log(self, a: Any) -> Any:
        return np.asarray(self._log(a), dtype=object)

    def sqrt(self, a: Any) -> Any:
        return np.asarray(self._sqrt(a), dtype=object)

    def logsumexp(self, a: Any, axis: int) -> Any:
        return self.log(np.sum(self.exp(a), axis=axis))


@cache
def _float_function(func: type, nargs: int) -> Callable[..., Any]:
    dummies = sp.symbols(f"a0:{nargs}", cls=sp.Dummy)
    return sp.lambdify(dummies, func(*dummies), modules="numpy")  # type: ignore[no-any-return]


def _exact_number(value: Any) -> sp.Basic:
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, (bool, np.bool_)):
        return sp.Integer(int(value))
    if isinstance(value, (int, np.integer)):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise ShapeError(f"an array entry is {value}")
        return sp.Rational(*float(value).as_integer_ratio())  # the float's exact binary value
    raise UnsupportedError(f"an array entry of type {type(value).__name__}")


class Arithmetic:
    """How one evaluator computes: ``FLOAT`` (NumPy float64) or ``EXACT`` (SymPy numbers in object arrays).

    Examples
    --------
    >>> EXACT.array([0.5, 1]).tolist(), FLOAT.array([1, 2]).dtype
    ([1/2, 1], dtype('float64'))
    """

    def __init__(self, name: str, ops: Any) -> None:
        self.name = name
        self.ops = ops

    @property
    def exact(self) -> bool:
        """True for exact arithmetic."""
        return self.name == "exact"

    def array(self, value: Any) -> np.ndarray:
        """An input array in this arithmetic (floats convert to their exact binary value when exact)."""
        if not self.exact:
            out = np.asarray(value, dtype=np.float64)
            if not np.all(np.isfinite(out)):
                raise ShapeError("an array holds inf or NaN")
            return out
        raw = np.asarray(value, dtype=object)
        out = np.empty(raw.shape, dtype=object)
        for index in np.ndindex(raw.shape):
            out[index] = _exact_number(raw[index])
        return out

    def constant(self, number: sp.Basic) -> Any:
        """A SymPy number in this arithmetic."""
        return number if self.exact else float(number)  # type: ignore[arg-type]

    def apply(self, func: type, values: Sequence[Any]) -> Any:
        """An elementwise SymPy function applied to arrays (or numbers) ``values``."""
        if self.exact:
            return np.asarray(np.frompyfunc(lambda *a: func(*a), len(values), 1)(*values), dtype=object)
        return _float_function(func, len(values))(*values)

    def __repr__(self) -> str:
        return f"Arithmetic({self.name!r})"


FLOAT = Arithmetic("float", kernels.FLOAT)
EXACT = Arithmetic("exact", ExactOps())


def bind_sizes(arrays: Mapping[Array, Any]) -> dict[sp.Symbol, int]:
    """The value of every size symbol, read from the arrays given for the leaves; mismatches are refused.

    Examples
    --------
    >>> from derive.model.array import size_symbol
    >>> H = size_symbol("H")
    >>> bind_sizes({Array("x", (2, H)): np.zeros((2, 5))})
    {H: 5}
    """
    sizes: dict[sp.Symbol, int] = {}
    pending: list[tuple[Array, sp.Expr, int]] = []
    for leaf, value in arrays.items():
        shape = np.shape(value)
        if len(shape) != len(leaf.shape):
            raise ShapeError(f"{leaf.name} has shape {tuple(leaf.shape)}, got an array of shape {shape}",
                             name=leaf.name, shape=shape)
        for want, got in zip(leaf.shape, shape):
            if want.is_Integer:
                if int(want) != got:
                    raise ShapeError(f"{leaf.name} has shape {tuple(leaf.shape)}, got an array of shape {shape}",
                                     name=leaf.name, shape=shape)
            elif isinstance(want, sp.Symbol):
                if sizes.setdefault(want, got) != got:
                    raise ShapeError(f"size {want} is {sizes[want]} elsewhere but {got} in {leaf.name}",
                                     name=leaf.name, shape=shape)
            else:
                pending.append((leaf, want, got))
    for leaf, want, got in pending:  # a size such as 2q + 1: solve for its one unknown, then check
        known = want.xreplace({s: sp.Integer(v) for s, v in sizes.items()})
        unknown = sorted(known.free_symbols, key=str)
        if len(unknown) == 1:
            roots = [r for r in sp.solve(sp.Eq(known, got), unknown[0]) if r.is_Integer and r >= 0]
            if not roots:
                raise ShapeError(f"{leaf.name}: no integer {unknown[0]} makes the size {want} equal {got}",
                                 name=leaf.name)
            sizes[unknown[0]] = int(roots[0])
            known = known.xreplace({unknown[0]: roots[0]})
        if not (known.is_Integer and int(known) == got):
            raise ShapeError(f"{leaf.name}: the size {want} does not fit {got}", name=leaf.name)
    return sizes


def evaluate(exprs: Sequence[sp.Basic], arrays: Mapping[Array, Any], arith: Arithmetic = FLOAT) -> list[Any]:
    """Evaluate array expressions at concrete arrays for their leaves, sharing every common subexpression.

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> x = Array("x", (3,))
    >>> evaluate([ReLU(x) * 2 + 1], {x: [-1, 0.5, 2]})[0].tolist()
    [1.0, 2.0, 5.0]
    >>> evaluate([ReLU(x) / 3], {x: [-1, 0.5, 2]}, EXACT)[0].tolist()
    [0, 1/6, 2/3]
    """
    values = {leaf: arith.array(v) for leaf, v in arrays.items()}
    sizes = bind_sizes(values)
    memo: dict[sp.Basic, Any] = dict(values)

    def walk(e: sp.Basic) -> Any:
        found = memo.get(e)
        if found is not None:
            return found
        if isinstance(e, Array):
            raise ShapeError(f"no array given for {e.name}", name=e.name)
        if e.is_Number:
            out = arith.constant(e)
        elif isinstance(e, sp.Symbol):
            if e not in sizes:
                raise UnsupportedError(f"{e} is neither an array nor a size that the arrays fix")
            out = arith.constant(sp.Integer(sizes[e]))
        elif isinstance(e, ArrayOp):
            concrete = e.xreplace({s: sp.Integer(v) for s, v in sizes.items()}) if e.free_symbols & set(sizes) else e
            out = concrete.evaluate(arith, *(walk(a) for a in e.arrays))
        elif isinstance(e, sp.Add):
            parts = [walk(a) for a in e.args]
            out = parts[0]
            for p in parts[1:]:
                out = out + p
        elif isinstance(e, sp.Mul):
            parts = [walk(a) for a in e.args]
            out = parts[0]
            for p in parts[1:]:
                out = out * p
        elif isinstance(e, sp.Pow):
            out = walk(e.args[0]) ** walk(e.args[1])
        elif isinstance(e, sp.Function):
            out = arith.apply(type(e), [walk(a) for a in e.args])
        else:
            raise UnsupportedError(f"cannot evaluate {type(e).__name__}")
        memo[e] = out
        return out

    results = []
    for expr in exprs:
        out = walk(expr)
        results.append(np.asarray(out, dtype=object if arith.exact else np.float64))
    return results
