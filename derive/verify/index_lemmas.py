r"""The VJP lemmas that SymPy can carry for symbolic sizes, proven in index notation.

A lemma says that an operator's rule ``vjp(k, g)`` is ``∂⟨g, y⟩/∂x_k``. Here both sides are written entry by
entry: the left side is SymPy's ``diff`` of :math:`\sum_{\mathbf j} g_{\mathbf j}\, y_{\mathbf j}` with respect to
one entry :math:`x_{\mathbf i}` of the operand, and the right side is the entry :math:`\mathbf i` of the rule that
the operator class returns (read through :func:`entry`). Every size is a symbol, and the entry's position is a
symbol too: a size is written :math:`n = i + 1 + m` with :math:`m \ge 0`, which says exactly that the entry
lies inside the array. SymPy then sums out the Kronecker deltas of the derivative itself, and the lemma is
proven when the difference of the two sides simplifies to 0. The proof covers every size and every entry.

Covered: every elementwise rule (``Add``, ``Mul``, ``Pow``, the activations, any SymPy function, by ``fdiff``),
scaling by a scalar (whose gradient is a total), ``sum``/``mean`` and their broadcast, the bias of a channel
and ``linear`` (input, weight and bias, with or without a batch axis). The lemmas of convolution, pooling, batch
norm and the softmax head involve sums whose bounds depend on strides, padding and maxima; SymPy cannot carry
them for symbolic sizes, and :mod:`derive.verify.lemmas` checks them exactly at every small configuration.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from derive.budget import run_with_budget
from derive.calculus.reverse import local_vjp
from derive.errors import UnsupportedError
from derive.model.activations import LeakyReLU
from derive.model.array import Array, ArrayOp, shape_of
from derive.model.layers import ACTIVATIONS, linear
from derive.model.ops import Broadcast, ChannelBias, ChannelSum, Linear, LinearGradInput, LinearGradWeight, Total

__all__ = ["DerivativeLemma", "IndexLemma", "derivative_lemma", "derivative_lemmas", "entry", "index_lemmas",
           "prove_index_lemma", "proven_rules", "rule_name"]

_COUNTER = itertools.count()


def _fresh() -> sp.Symbol:
    return sp.Symbol(f"j{next(_COUNTER)}", integer=True, nonnegative=True)


def _sum(term: sp.Expr, shape: Sequence[sp.Expr], make: Callable[[tuple[sp.Symbol, ...]], sp.Expr]) -> sp.Expr:
    idx = tuple(_fresh() for _ in shape)
    body = make(idx) * term
    return sp.Sum(body, *[(j, 0, n - 1) for j, n in zip(idx, shape)]) if idx else body


def entry(expr: sp.Expr, idx: tuple[sp.Expr, ...]) -> sp.Expr:
    r"""The entry ``idx`` of an array expression, as a scalar SymPy expression in indexed symbols.

    Parameters
    ----------
    expr : sympy.Expr
        An expression over :class:`~derive.model.array.Array` leaves, elementwise SymPy operations and the
        operators this module proves (``Total``, ``Broadcast``, ``ChannelBias``, ``ChannelSum``, ``Linear`` and
        its two gradients).
    idx : tuple of sympy.Expr
        One index per axis of ``expr``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    UnsupportedError
        For an operator without an index form here (convolution, pooling, ...).

    Examples
    --------
    >>> i = sp.Symbol("i", integer=True)
    >>> x, g = Array("x", (3,)), Array("g", (3,))
    >>> entry(g * sp.tanh(x), (i,))
    tanh(x[i])*g[i]
    """
    if isinstance(expr, Array):
        return sp.IndexedBase(expr.name)[idx] if idx else sp.Symbol(expr.name)
    if not expr.atoms(Array):
        return expr
    if isinstance(expr, Total):
        inner = expr.args[0]
        return _sum(sp.Integer(1), shape_of(inner), lambda j: entry(inner, j))
    if isinstance(expr, Broadcast):
        return entry(expr.args[0], ())
    if isinstance(expr, ChannelBias):
        y, b, axis = expr.args
        return entry(y, idx) + entry(b, (idx[int(axis)],))  # type: ignore[call-overload]
    if isinstance(expr, ChannelSum):
        g, axis = expr.args[0], int(expr.args[1])  # type: ignore[call-overload]
        others = [n for k, n in enumerate(shape_of(g)) if k != axis]
        return _sum(sp.Integer(1), others, lambda j: entry(g, (*j[:axis], idx[0], *j[axis:])))
    if isinstance(expr, Linear):  # y[..., q] = Σ_r a[..., r] W[q, r]
        a, w = expr.args[:2]
        return _sum(sp.Integer(1), shape_of(a)[-1:], lambda r: entry(a, (*idx[:-1], r[0])) * entry(w, (idx[-1], r[0])))
    if isinstance(expr, LinearGradInput):  # (g W)[..., r] = Σ_q g[..., q] W[q, r]
        g, w = expr.args[:2]
        return _sum(sp.Integer(1), shape_of(g)[-1:], lambda q: entry(g, (*idx[:-1], q[0])) * entry(w, (q[0], idx[-1])))
    if isinstance(expr, LinearGradWeight):  # (gᵀ a)[q, r] = Σ_batch g[..., q] a[..., r]
        g, a = expr.args[:2]
        batch = shape_of(g)[:-1]
        return _sum(sp.Integer(1), batch, lambda b: entry(g, (*b, idx[0])) * entry(a, (*b, idx[1])))
    if isinstance(expr, ArrayOp):
        raise UnsupportedError(f"{type(expr).__name__} has no index form for a symbolic-size proof")
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow, sp.Function)):
        return expr.func(*[entry(a, idx if shape_of(a) else ()) for a in expr.args])
    raise UnsupportedError(f"{type(expr).__name__} has no index form for a symbolic-size proof")


def rule_name(node: sp.Basic) -> str:
    """The name of the rule by which reverse mode differentiates ``node``: its lemma, or an elementwise rule.

    Examples
    --------
    >>> x = Array("x", (2,))
    >>> rule_name(x + x * x), rule_name(sp.tanh(x)), rule_name(Total(x))
    ('sum rule', 'tanh', 'sum')
    """
    if isinstance(node, ArrayOp):
        return node.lemma
    for kind, name in ((sp.Add, "sum rule"), (sp.Mul, "product rule"), (sp.Pow, "power rule")):
        if isinstance(node, kind):
            return name
    return type(node).__name__


@dataclass(frozen=True)
class IndexLemma:
    """One VJP lemma in index notation: ``lhs`` (SymPy's derivative) against ``rhs`` (the class's rule)."""

    operator: str
    operand: str
    lhs: sp.Expr
    rhs: sp.Expr
    proven: bool | None

    @property
    def how(self) -> str:
        """How the lemma stands, in words."""
        return {True: "proven for symbolic sizes", False: "REFUTED", None: "not proven within the budget"}[
            self.proven]  # type: ignore[index]


def _canonical(expr: sp.Basic, depth: int = 0) -> sp.Basic:
    """Rename every summation index by its nesting depth, so two sums over the same range look alike."""
    if isinstance(expr, sp.Sum):
        renames, limits = {}, []
        for axis, (var, lo, hi) in enumerate(expr.limits):
            new = sp.Symbol(f"s{depth}_{axis}", integer=True, nonnegative=True)
            renames[var] = new
            limits.append((new, _canonical(lo, depth), _canonical(hi, depth)))
        body = _canonical(expr.function.xreplace(renames), depth + 1)
        return sp.Sum(body, *limits)
    if not expr.args:
        return expr
    return expr.func(*[_canonical(a, depth) for a in expr.args])


def _deltas_first(expr: sp.Basic) -> sp.Basic:
    """Order each sum's limits so that the indices of a Kronecker delta are summed out first."""
    if not expr.args:
        return expr
    expr = expr.func(*[_deltas_first(a) for a in expr.args])
    if isinstance(expr, sp.Sum) and not any(lim[0] in (lim2[1].free_symbols | lim2[2].free_symbols)
                                            for lim in expr.limits for lim2 in expr.limits):
        in_delta = set().union(*[d.free_symbols for d in expr.function.atoms(sp.KroneckerDelta)])
        limits = sorted(expr.limits, key=lambda lim: lim[0] not in in_delta)
        return sp.Sum(expr.function, *limits)
    return expr


def _vanishes(difference: sp.Expr) -> bool | None:
    """True when the difference simplifies to 0; False when it is a nonzero number; None when undecided."""
    reduced = sp.simplify(_canonical(sp.piecewise_fold(_deltas_first(difference).doit())))
    if reduced == 0:
        return True
    return False if reduced.is_number else None


def prove_index_lemma(y: sp.Expr, operand: Array, position: tuple[sp.Symbol, ...], *,
                      budget: float = 20.0) -> IndexLemma:
    r"""Prove the lemma of the top operation of ``y`` for its operand ``operand``, at the entry ``position``.

    The shapes must place the entry inside the array: each size of ``operand`` along an axis is
    ``i + 1 + m`` for that axis's index symbol ``i`` and a slack ``m ≥ 0``, both nonnegative integers.

    Parameters
    ----------
    y : sympy.Expr
        One operation applied to array leaves.
    operand : Array
        The leaf whose gradient the lemma gives.
    position : tuple of sympy.Symbol
        The entry of ``operand``, one nonnegative integer symbol per axis.
    budget : float
        Seconds for SymPy; an expired budget gives ``proven=None``.

    Returns
    -------
    IndexLemma

    Examples
    --------
    >>> i, m = sp.symbols("i m", integer=True, nonnegative=True)
    >>> x = Array("x", (i + 1 + m,))
    >>> prove_index_lemma(sp.tanh(x), x, (i,)).how
    'proven for symbolic sizes'
    """
    g = Array("g", shape_of(y))
    total = _sum(sp.Integer(1), shape_of(y), lambda j: entry(g, j) * entry(y, j))
    lhs = sp.diff(total, entry(operand, position)) if position else sp.diff(total, entry(operand, ()))
    argindex = _argindex(y, operand)
    rhs = entry(local_vjp(y, argindex, g), position)
    outcome = run_with_budget(lambda: _vanishes(lhs - rhs), budget)
    return IndexLemma(rule_name(y), operand.name, lhs, rhs, None if outcome.timed_out else outcome.value)


def _argindex(y: sp.Expr, operand: Array) -> int:
    args = y.arrays if isinstance(y, ArrayOp) else y.args
    for k, a in enumerate(args, start=1):
        if a == operand:
            return k
    raise UnsupportedError(f"{operand} is not an operand of {y}")


def _cases() -> Iterator[tuple[sp.Expr, Array, tuple[sp.Symbol, ...]]]:
    """One case per rule: each elementwise operation, scaling, sums, bias and linear, on symbolic sizes."""
    i0, i1, m0, m1 = sp.symbols("i0 i1 m0 m1", integer=True, nonnegative=True)
    n0, n1 = i0 + 1 + m0, i1 + 1 + m1
    k = sp.Symbol("K", integer=True, positive=True)
    x, u = Array("x", (n0, n1)), Array("u", (n0, n1))
    c, p = Array("c", ()), sp.Symbol("p", positive=True, integer=True)
    both, none = (i0, i1), ()
    for fn in sorted(ACTIVATIONS.values(), key=lambda f: getattr(f, "__name__", str(f))):
        yield fn(x), x, both
    yield LeakyReLU(x, sp.Symbol("s", positive=True)), x, both
    yield x + u, x, both
    yield x * u, x, both
    yield x ** p, x, both
    yield c * x, c, none
    yield c * x, x, both
    yield Total(x), x, both
    yield Broadcast(c, sp.Tuple(n0, n1)), c, none
    r = sp.Symbol("R", integer=True, positive=True)
    batch_in, w = Array("a", (n0, n1)), Array("W", (k, n1))
    yield Linear(batch_in, w), batch_in, both
    single = Array("a", (n1,))
    yield Linear(single, w), single, (i1,)
    out_w = Array("W", (n0, n1))
    yield Linear(Array("a", (k, n1)), out_w), out_w, both
    bias = Array("b", (n1,))
    yield linear(Array("a", (k, r)), Array("W", (n1, r)), bias), bias, (i1,)
    channel_bias = Array("b", (n0,))
    yield ChannelBias(Array("h", (n0, k, r)), channel_bias, 0), channel_bias, (i0,)
    yield ChannelBias(Array("h", (k, n0, r, r)), channel_bias, 1), channel_bias, (i0,)


@dataclass(frozen=True)
class DerivativeLemma:
    """An activation's ``fdiff`` against SymPy's derivative of its rewriting (as exponentials or a piecewise)."""

    function: str
    rewritten_as: str
    proven: bool | None


def derivative_lemmas() -> list[DerivativeLemma]:
    """Prove that each registered activation's ``fdiff`` is the derivative of its closed form.

    A piecewise closed form is differentiated piece by piece, which also fixes the convention at a kink
    (``ReLU'(0) = 0``). ``proven`` is ``False`` when the two differ at a rational point (certified by SymPy's
    ``evalf(strict=True)``), and ``None`` for an activation without a closed form or an undecided gap.

    Examples
    --------
    >>> [(d.function, d.rewritten_as, d.proven) for d in derivative_lemmas()][:2]
    [('ReLU', 'Piecewise', True), ('Sigmoid', 'exp', True)]
    """
    return [derivative_lemma(fn) for fn in (*ACTIVATIONS.values(), LeakyReLU)]


def derivative_lemma(function: Callable[..., sp.Expr]) -> DerivativeLemma:
    """Prove one activation's ``fdiff`` against the derivative of its closed form (see :func:`derivative_lemmas`).

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> derivative_lemma(ReLU).proven
    True
    """
    # Keyed by the methods the lemma reads too, so a class whose fdiff or closed form changes is re-proven.
    methods = tuple(getattr(function, m, None) for m in ("fdiff", "_eval_rewrite_as_exp",
                                                         "_eval_rewrite_as_Piecewise", "eval"))
    return _derivative_lemma(function, methods)


@functools.cache
def _derivative_lemma(function: Callable[..., sp.Expr], methods: tuple[object, ...]) -> DerivativeLemma:
    z = sp.Symbol("z", real=True)
    e = function(z, sp.Symbol("s", positive=True)) if function is LeakyReLU else function(z)
    verdict: bool | None = None
    form = "nothing"
    for target in (sp.Piecewise, sp.exp):
        closed = e.rewrite(target)
        if closed != e:
            form = target.__name__
            gap = e.diff(z).rewrite(target) - closed.diff(z)
            verdict = True if sp.simplify(gap) == 0 else _refuted_at_a_point(gap, z)
            break
    return DerivativeLemma(rule_name(e), form, verdict)


_PROBES = (sp.Rational(1, 3), sp.Rational(-5, 7), sp.Rational(9, 4))  # off any kink at 0


def _refuted_at_a_point(gap: sp.Expr, z: sp.Symbol) -> bool | None:
    """``False`` if ``gap`` is certifiably nonzero at a rational probe (SymPy's evalf, 50 digits), else ``None``."""
    for point in _PROBES:
        try:
            value = gap.subs(z, point).evalf(50, strict=True)
        except (ValueError, TypeError, ArithmeticError):  # evalf could not certify the digits
            continue
        if value.is_number and value.is_comparable and abs(value) > sp.Float("1e-30", 50):
            return False
    return None


def proven_rules(*, budget: float = 20.0) -> frozenset[str]:
    """The rules (named as by :func:`rule_name`) whose every lemma is proven for symbolic sizes.

    An activation's rule counts only when its ``fdiff`` is also proven to be its derivative.

    Examples
    --------
    >>> sorted(proven_rules())[:4]
    ['LeakyReLU', 'ReLU', 'Sigmoid', 'bias']
    """
    lemmas = index_lemmas(budget=budget)
    names = {lemma.operator for lemma in lemmas}
    proven = {n for n in names if all(lemma.proven for lemma in lemmas if lemma.operator == n)}
    fdiff_proven = {d.function: d.proven for d in derivative_lemmas()}
    return frozenset(n for n in proven if fdiff_proven.get(n, True))


def index_lemmas(*, budget: float = 20.0) -> list[IndexLemma]:
    """Prove every lemma that SymPy can carry for symbolic sizes.

    Returns
    -------
    list of IndexLemma
        One per rule and operand, each ``proven``, refuted or undecided within ``budget``.

    Examples
    --------
    >>> lemmas = index_lemmas()
    >>> all(lemma.proven for lemma in lemmas), len(lemmas) > 10
    (True, True)
    """
    return [prove_index_lemma(y, operand, position, budget=budget) for y, operand, position in _cases()]
