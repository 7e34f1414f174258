r"""Evaluate a SymPy expression at a point, in exact or in interval arithmetic, by one walk of the tree.

:func:`compile_expr` turns an expression into a tree of Python closures once per claim; each point then
calls it with an :class:`Env` (the values of the point) and an arithmetic from
:mod:`derive.verify.arithmetic`. Sums and products are evaluated by iterating their index, never by
building the expanded SymPy expression, and the work per point is capped (:class:`TooCostly`), so a
deterministic operation count, not the clock, bounds how far a size can grow.

Operators of derive carry their own meaning: a ``Function`` subclass with a classmethod
``_derive_evaluate(arith, *args)`` (for example :class:`derive.model.activations.ReLU`) is evaluated through it,
in every arithmetic. SymPy's own functions are looked up in :data:`ELEMENTARY`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue

from derive.verify.arithmetic import Exact, NotExact, Undecided, Undefined, Unsupported

__all__ = ["ELEMENTARY", "EXACT", "Env", "TooCostly", "compile_condition", "compile_expr", "describe_key", "key_object"]

#: The exact arithmetic, shared (it has no state).
EXACT = Exact()

#: SymPy functions evaluated through ``arith.elementary(name, x)``.
ELEMENTARY: dict[type, str] = {
    sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh",
    sp.asin: "asin", sp.acos: "acos", sp.atan: "atan", sp.asinh: "asinh", sp.acosh: "acosh",
    sp.atanh: "atanh", sp.erf: "erf",
}


class TooCostly(ArithmeticError):
    """The evaluation of one point needs more operations than its cap (a size too large to afford)."""


#: A value's key: a symbol (or ``Idx``), or ``(IndexedBase, (i, j, ...))`` for an array element.
Key = Any
Node = Callable[["Env", Any], Any]


class Env:
    """The values of one point: fixed values, lazily drawn ones, bound summation indices, an operation cap.

    Parameters
    ----------
    fixed : mapping
        Values chosen before evaluation: sizes, free indices, a custom sampler's values, kink solutions.
        Each is a :class:`~fractions.Fraction` or a closed SymPy number.
    draw : callable
        ``draw(key)`` returns a Fraction for a value the point has not fixed; called once per key.
    cap : int
        Largest number of operations of one evaluation.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> env = Env({x: Fraction(1, 2)}, lambda key: Fraction(0))
    >>> compile_expr(2 * x + 1)(env, EXACT)
    Fraction(2, 1)
    """

    def __init__(self, fixed: Mapping[Key, Any], draw: Callable[[Key], Fraction], cap: int = 200_000) -> None:
        self.values: dict[Key, Any] = dict(fixed)
        self.order: list[Key] = list(fixed)
        self.draw = draw
        self.bound: dict[sp.Basic, Fraction] = {}
        self.cap = cap
        self.ops = 0
        self.weight = 1
        self.pinned: set[Key] = set()
        self._converted: dict[tuple[Key, int], Any] = {}

    def tick(self, n: int = 1) -> None:
        """Count ``n`` operations (times ``weight``, the cost of the arithmetic); :class:`TooCostly` past the cap."""
        self.ops += n * self.weight
        if self.ops > self.cap:
            raise TooCostly(f"more than {self.cap} operations at one point")

    def value(self, key: Key, arith: Any) -> Any:
        """The value of ``key`` in ``arith``, drawn on first use."""
        if key not in self.values:
            self.values[key] = self.draw(key)
            self.order.append(key)
        raw = self.values[key]
        if isinstance(raw, Fraction):
            if arith.exact:
                return raw
            slot = (key, arith.prec)
            if slot not in self._converted:
                self._converted[slot] = arith.number(raw)
            return self._converted[slot]
        return compile_expr(raw)(self, arith)

    def assignments(self) -> list[tuple[Key, Any]]:
        """The values the point used, in the order they were fixed or drawn."""
        return [(k, self.values[k]) for k in self.order]


def key_object(key: Key) -> sp.Basic:
    """The SymPy object a key stands for (an ``Indexed`` element for an array key).

    Examples
    --------
    >>> w = sp.IndexedBase("w")
    >>> key_object((w, (1, 2)))
    w[1, 2]
    """
    if isinstance(key, tuple):
        base, idx = key
        return base[tuple(sp.Integer(i) for i in idx)]
    return key


def describe_key(key: Key) -> str:
    """A key as text.

    Examples
    --------
    >>> describe_key(sp.Symbol("x"))
    'x'
    """
    return str(key_object(key))


def _number(q: Fraction) -> Node:
    def node(env: Env, arith: Any) -> Any:
        return arith.number(q)
    return node


def _fold(op: str, parts: list[Node]) -> Node:
    def node(env: Env, arith: Any) -> Any:
        env.tick(len(parts))
        fn = getattr(arith, op)
        acc = parts[0](env, arith)
        for part in parts[1:]:
            acc = fn(acc, part(env, arith))
        return acc
    return node


def _symbol(sym: sp.Basic) -> Node:
    def node(env: Env, arith: Any) -> Any:
        if sym in env.bound:
            q = env.bound[sym]
            return q if arith.exact else arith.number(q)
        return env.value(sym, arith)
    return node


def _integer(part: Node, env: Env) -> int:
    return EXACT.to_int(part(env, EXACT))


def _indexed(expr: sp.Indexed) -> Node:
    base = expr.base
    if all(i.is_Integer for i in expr.indices):
        key = (base, tuple(int(i) for i in expr.indices))

        def element(env: Env, arith: Any) -> Any:
            env.tick()
            return env.value(key, arith)
        return element
    indices = [compile_expr(i) for i in expr.indices]

    def node(env: Env, arith: Any) -> Any:
        env.tick()
        return env.value((base, tuple(_integer(i, env) for i in indices)), arith)
    return node


def _call(method: str, arg: Node, *extra: Any) -> Node:
    """A node that applies ``arith.<method>(arg, *extra)``."""
    def node(env: Env, arith: Any) -> Any:
        env.tick()
        return getattr(arith, method)(*extra, arg(env, arith)) if extra else getattr(arith, method)(arg(env, arith))
    return node


def _pow(expr: sp.Pow) -> Node:
    base = compile_expr(expr.base)
    exponent = expr.exp
    if exponent.is_Integer:
        n = int(exponent)

        def integer_power(env: Env, arith: Any) -> Any:
            env.tick()
            return arith.pow_int(base(env, arith), n)
        return integer_power
    if exponent == sp.S.Half:
        return _call("sqrt", base)
    power = compile_expr(exponent)

    def node(env: Env, arith: Any) -> Any:
        env.tick()
        b = base(env, arith)
        try:
            e_exact = power(env, EXACT)
        except NotExact:
            return arith.pow(b, power(env, arith))
        if e_exact.denominator == 1:
            return arith.pow_int(b, int(e_exact))
        return arith.pow(b, e_exact if arith.exact else arith.number(e_exact))
    return node


def _function(expr: sp.Function) -> Node:
    func = type(expr)
    args = [compile_expr(a) for a in expr.args]
    hook = getattr(func, "_derive_evaluate", None)
    if hook is not None:
        def node(env: Env, arith: Any) -> Any:
            env.tick()
            return hook(arith, *(a(env, arith) for a in args))
        return node
    if func is sp.exp:
        return _call("exp", args[0])
    if func is sp.log:
        return _call("log", args[0])
    if func in ELEMENTARY:
        return _call("elementary", args[0], ELEMENTARY[func])
    if func is sp.Abs:
        return _call("abs", args[0])
    if func is sp.sign:
        def sign(env: Env, arith: Any) -> Any:
            env.tick()
            return arith.number(Fraction(arith.sign(args[0](env, arith))))
        return sign
    if func is sp.Heaviside:
        at_zero = compile_expr(expr.args[1]) if len(expr.args) > 1 else _number(Fraction(1, 2))

        def heaviside(env: Env, arith: Any) -> Any:
            env.tick()
            s = arith.sign(args[0](env, arith))
            return arith.number(Fraction(int(s > 0))) if s else at_zero(env, arith)
        return heaviside
    if func in (sp.floor, sp.ceiling):
        flip = func is sp.ceiling

        def rounding(env: Env, arith: Any) -> Any:
            env.tick()
            x = args[0](env, arith)
            return arith.neg(arith.floor(arith.neg(x))) if flip else arith.floor(x)
        return rounding
    if func is sp.KroneckerDelta:
        def delta(env: Env, arith: Any) -> Any:
            env.tick()
            gap = EXACT.add(args[0](env, EXACT), EXACT.neg(args[1](env, EXACT)))
            return arith.number(Fraction(int(gap == 0)))
        return delta
    raise Unsupported(f"cannot evaluate the function {func.__name__}")


def compile_condition(cond: sp.Basic) -> Callable[[Env, Any], bool]:
    """A closure ``f(env, arith)`` deciding a condition (relations, And, Or, Not); :class:`Undecided` when the
    enclosures cannot tell.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> compile_condition(sp.Ne(x, 0))(Env({x: Fraction(0)}, lambda key: Fraction(1)), EXACT)
    False
    """
    return _condition(cond)


def _condition(cond: sp.Basic) -> Callable[[Env, Any], bool]:
    if isinstance(cond, BooleanTrue):
        return lambda env, arith: True
    if isinstance(cond, BooleanFalse):
        return lambda env, arith: False
    if isinstance(cond, sp.Rel):
        gap = compile_expr(cond.lhs - cond.rhs)
        test = {"==": lambda s: s == 0, "!=": lambda s: s != 0, "<": lambda s: s < 0, "<=": lambda s: s <= 0,
                ">": lambda s: s > 0, ">=": lambda s: s >= 0}[cond.rel_op]
        return lambda env, arith: test(arith.sign(gap(env, arith)))
    if isinstance(cond, (sp.And, sp.Or)):
        parts = [_condition(c) for c in cond.args]
        combine = all if isinstance(cond, sp.And) else any
        return lambda env, arith: combine(p(env, arith) for p in parts)
    if isinstance(cond, sp.Not):
        inner = _condition(cond.args[0])
        return lambda env, arith: not inner(env, arith)
    raise Unsupported(f"cannot evaluate the condition {cond}")


def _piecewise(expr: sp.Piecewise) -> Node:
    branches = [(compile_expr(e), _condition(c)) for e, c in expr.args]

    def node(env: Env, arith: Any) -> Any:
        env.tick()
        for value, cond in branches:
            if cond(env, arith):
                return value(env, arith)
        raise Undefined("no branch of a piecewise expression applies")
    return node


def _sum_or_product(expr: sp.Sum | sp.Product) -> Node:
    body = compile_expr(expr.function)
    limits = [(lim[0], compile_expr(lim[1]), compile_expr(lim[2])) for lim in expr.limits]
    is_sum = isinstance(expr, sp.Sum)
    unit = Fraction(0 if is_sum else 1)
    combine = "add" if is_sum else "mul"

    def run(env: Env, arith: Any, level: int) -> Any:
        if level < 0:
            return body(env, arith)
        index, lower, upper = limits[level]
        lo, hi = _integer(lower, env), _integer(upper, env)
        acc = arith.number(unit)
        fn = getattr(arith, combine)
        saved = env.bound.get(index)
        try:
            for v in range(lo, hi + 1):  # an empty range is the empty sum (0) or product (1)
                env.tick()
                env.bound[index] = Fraction(v)
                acc = fn(acc, run(env, arith, level - 1))
        finally:
            if saved is None:
                env.bound.pop(index, None)
            else:
                env.bound[index] = saved
        return acc

    # SymPy lists the innermost limit first; iterate the outermost (last) in the outer loop.
    return lambda env, arith: run(env, arith, len(limits) - 1)


def _compile(expr: sp.Basic) -> Node:
    if isinstance(expr, (sp.Integer, sp.Rational)):
        return _number(Fraction(int(expr.p), int(expr.q)))
    if isinstance(expr, sp.Float):
        r = sp.Rational(expr)
        return _number(Fraction(int(r.p), int(r.q)))
    if expr is sp.pi or expr is sp.E:
        name = "pi" if expr is sp.pi else "E"
        return lambda env, arith: arith.constant(name)
    if isinstance(expr, sp.Indexed):
        return _indexed(expr)
    if isinstance(expr, (sp.Symbol, sp.Idx)):
        return _symbol(expr)
    if isinstance(expr, sp.Add):
        return _fold("add", [compile_expr(a) for a in expr.args])
    if isinstance(expr, sp.Mul):
        return _fold("mul", [compile_expr(a) for a in expr.args])
    if isinstance(expr, sp.Pow):
        return _pow(expr)
    if isinstance(expr, sp.Piecewise):
        return _piecewise(expr)
    if isinstance(expr, (sp.Sum, sp.Product)):
        return _sum_or_product(expr)
    if isinstance(expr, (sp.Max, sp.Min)):
        return _fold("max" if isinstance(expr, sp.Max) else "min", [compile_expr(a) for a in expr.args])
    if isinstance(expr, AppliedUndef):
        raise Unsupported(f"cannot evaluate the undefined function {expr.func}")
    if isinstance(expr, sp.Function):
        return _function(expr)
    if isinstance(expr, Boolean):
        cond = _condition(expr)
        return lambda env, arith: arith.number(Fraction(int(cond(env, arith))))
    if expr.is_infinite or expr is sp.nan or expr is sp.zoo:
        raise Unsupported(f"the value {expr} is not a real number")
    if expr is sp.I or (isinstance(expr, sp.Expr) and expr.is_number and expr.is_real is False):
        raise Unsupported("complex values are not supported")
    raise Unsupported(f"cannot evaluate {type(expr).__name__} objects")


_CACHE: dict[sp.Basic, Node] = {}


def compile_expr(expr: sp.Basic) -> Node:
    """A closure ``f(env, arith)`` that evaluates ``expr`` at the point ``env`` in ``arith``.

    Raises
    ------
    Unsupported
        When ``expr`` contains an object no arithmetic can evaluate (an undefined function, ``oo``).

    Examples
    --------
    >>> from derive.verify.arithmetic import Interval
    >>> x = sp.Symbol("x")
    >>> f = compile_expr(sp.exp(x) - 1)
    >>> env = Env({x: Fraction(0)}, lambda key: Fraction(0))
    >>> f(env, EXACT)
    Fraction(0, 1)
    >>> Interval(200).sign(f(Env({x: Fraction(1, 10**40)}, lambda key: Fraction(0)), Interval(200)))
    1
    """
    node = _CACHE.get(expr)
    if node is None:
        node = _compile(expr)
        if len(_CACHE) > 20_000:
            _CACHE.clear()
        _CACHE[expr] = node
    return node


#: Errors that end the evaluation of one point without deciding anything about the claim.
POINT_ERRORS = (NotExact, Undecided, Undefined, TooCostly)
