r"""Decide operator-level claims (∗, ⊙, flip, masks, ∂L/∂w) by evaluating both sides on seeded random arrays.

An :class:`ArrayModel` says which symbols are arrays (image-sized leaves, kernels of their own odd size),
how derived arrays are defined (forward nodes such as ``h = x ∗ w``) and what the gradients ``∂L/∂a`` are
(closed forms, for example those derived by :func:`derive.calculus.backprop.backward`). A parsed claim is mapped onto
the array operators of :mod:`derive.model.operators`:

* ``a ∗ b`` with ``b`` a kernel: the size-preserving cross-correlation ``Correlate(a, b)``;
* ``a ∗ b`` with both image-sized: the kernel gradient ``KernelCorrelate(b, a, k)``, the correlation of the
  zero-padded ``b`` with the window weights ``a``, of the size ``k × k`` of the kernel on the other side of
  the claim: ``(a ∗ b)[u, v] = Σ_ij a[i, j] b[i + u - p, j + v - p]``;
* ``\operatorname{flip}``, ``\odot`` (and juxtaposition of arrays), ``[h > 0]`` and ReLU elementwise;
  ``^{T}`` the transpose; numbers scale; σ, tanh, exp, log ... apply elementwise.

The sides are evaluated at the points of :data:`CONFIGS` (16 points): images from 1×1 to 16×16, square
and not, with odd kernels of their own sizes, larger than the image too (3×3 on 1×1, 5×5 on 2×3). Each
leaf array is drawn from its own generator, seeded by the claim's seed, the point and the leaf; the entries
come, point after point, from the mixture of :func:`derive.verify.sampling.draw_scalar` (0, ±1, small
integers, rationals with 60-bit denominators, magnitudes from 10⁻⁶ to 10⁶), from moderate values (so that no
term of a sum dominates and a wrong mask shows), or from moderate values times a power of ten per array
(:data:`PROFILES`). Float64 never decides anything:

* every point is evaluated in exact rational arithmetic (object arrays of :class:`fractions.Fraction`);
* where a value is not rational (σ, tanh, exp), the irrational part is evaluated elementwise in the
  certified interval arithmetic of :class:`derive.verify.arithmetic.Interval` at 192, 384 and 768 bits
  (the rational subtrees stay exact): an entry *differs* only when the enclosure of the gap excludes 0,
  and *agrees* when the enclosure lies within :math:`2^{-160}\min(1, |\text{side}|)`; a point that no
  precision settles is not counted (``undecided``).

The gradient identities hold almost everywhere, so kinks are excluded: a point where a pre-activation of
the model (the argument of one of its ReLUs or masks) or the argument of a mask written in the claim is
exactly 0 is not used. It is repaired instead (the leaf entries under the zero are redrawn as random
reals) or drawn afresh, and the verdict's ``excluded`` says how many points were on a kink. A zero of a
mask's argument that a tiny random move of the leaves keeps (``[z > 0]`` with ``z = ReLU(h)`` and
``h < 0``) is a value, not a kink. A point where a side is undefined (division by zero) is excluded too.

The answer is a :class:`derive.verify.Verdict`: ``refuted`` with the counterexample (image size ``H``,
``W``, the kernel sizes, the entry ``i, j`` (0-based), the exact values of both sides there), ``agrees``
when every decided point agrees (evidence, never ``proven``: points cannot prove an equality), ``unknown``
otherwise. For ``\neq`` a point where the sides differ is a witness (``proven``); equality at every point
leaves it ``unknown``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv

from derive.claims.parse import Convolve, Gradient, Transpose
from derive.claims.parse import Flip as ParsedFlip
from derive.claims.parse import Hadamard as ParsedHadamard
from derive.errors import ShapeError, UnsupportedError
from derive.model.activations import Indicator, ReLU
from derive.model.operators import ArrayReLU, Correlate, Flip, Hadamard, KernelCorrelate, Mask, kernel_size_symbol
from derive.verify.arithmetic import Exact, Interval, NotExact, Undecided, Undefined, Unsupported, lower, upper
from derive.verify.evaluate import ELEMENTARY, Env, compile_expr
from derive.verify.point_decision import interval_decision
from derive.verify.sampling import draw_scalar
from derive.verify.verdict import Counterexample, Verdict

__all__ = ["AGREE_BITS", "CONFIGS", "PRECISIONS", "PROFILES", "ArrayConfig", "ArrayModel"]

#: Roles of a value: a scalar, an image-sized array, its transpose, a kernel (the kernel's symbol), or the
#: kernel-sized output of ``image ∗ image`` whose size comes from the other side of the claim.
SCALAR, IMAGE, IMAGE_T, PENDING = "scalar", "image", "image^T", "kernel?"
#: Bits of the interval enclosures, tried in turn until a point is decided.
PRECISIONS: tuple[int, ...] = (192, 384, 768)
#: An entry agrees when the enclosure of its gap lies within ``2**-AGREE_BITS * min(1, |side|)``.
AGREE_BITS = 160
#: The relations an array claim may use.
RELATIONS = ("=", "!=", "<=", ">=", "<", ">")
#: The image size and the matrix entry, as the counterexample names them.
H_SYMBOL, W_SYMBOL = sp.Symbol("H", integer=True, positive=True), sp.Symbol("W", integer=True, positive=True)
ROW, COLUMN = sp.Symbol("i", integer=True, nonnegative=True), sp.Symbol("j", integer=True, nonnegative=True)

#: How the entries of the points are drawn, point after point: ``mixture`` draws every entry from the
#: mixture of :func:`draw_scalar` (0, ±1, small integers, 60-bit denominators, magnitudes 10⁻⁶..10⁶);
#: ``moderate`` from values of moderate size, so that no term of a sum dominates the others (the sign of a
#: pre-activation then depends on every term, and a wrong mask shows); ``scaled`` moderate values times a
#: power of ten (10⁻⁶..10⁶) of each array.
PROFILES: tuple[str, ...] = ("moderate", "scaled", "mixture")

_EXACT = Exact()
_ZERO, _ONE = Fraction(0), Fraction(1)
_MODERATE = tuple(Fraction(v) for v in (0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2)))


@dataclass(frozen=True)
class ArrayConfig:
    """Points of one image shape: the size of each kernel (cycled over the model's kernels), how many points.

    Examples
    --------
    >>> ArrayConfig((2, 3), (3, 1, 3)).kernel(2)
    3
    """

    shape: tuple[int, int]
    kernels: tuple[int, ...]
    points: int = 1

    def kernel(self, index: int) -> int:
        """The size of kernel number ``index``."""
        return self.kernels[index % len(self.kernels)]


#: The default points, small first (a counterexample is reported at the first, usually smallest, point
#: where the claim fails): a 1×1 image, kernels larger than the image (5×5 on 2×3, 3×3 on 1×1), non-square
#: images, and 9×16 and 16×16 images (one point each: exact arithmetic on them costs most, about 0.1 s).
CONFIGS: tuple[ArrayConfig, ...] = (
    ArrayConfig((1, 1), (3, 1, 3), 2),
    ArrayConfig((1, 4), (5, 3, 1), 2),
    ArrayConfig((2, 3), (5, 3, 5), 2),
    ArrayConfig((3, 2), (1, 5, 3), 2),
    ArrayConfig((4, 4), (3, 5, 3), 3),
    ArrayConfig((3, 5), (3, 1, 5), 2),
    ArrayConfig((7, 4), (5, 3, 3)),
    ArrayConfig((9, 16), (3, 5, 1)),
    ArrayConfig((16, 16), (5, 3, 3)),
)


class _Kink(Exception):
    """A pre-activation of a mask (in the model or the claim) is exactly 0 at this point."""


@dataclass
class _Ctx:
    """Per-claim state: the size placeholder of ``image ∗ image`` and the kernel it was unified with."""

    pending: sp.Dummy = field(default_factory=lambda: sp.Dummy("k"))
    bound: sp.Basic | None = None


@dataclass
class _Point:
    """The values of one point: lazily drawn leaves, kernel sizes, and the memo of evaluated subtrees."""

    shape: tuple[int, int]
    ksize: dict[sp.Basic, int]
    draw: Callable[[sp.Basic], np.ndarray]
    leaves: dict[sp.Basic, np.ndarray] = field(default_factory=dict)
    memo: dict[tuple[sp.Basic, int | None], tuple[np.ndarray, bool]] = field(default_factory=dict)
    #: Zeros of mask arguments that are values, not kinks (a tiny move of the leaves keeps them).
    structural: dict[sp.Basic, set[tuple[int, ...]]] = field(default_factory=dict)

    def leaf(self, name: sp.Basic) -> np.ndarray:
        if name not in self.leaves:
            self.leaves[name] = self.draw(name)
        return self.leaves[name]


# --- arrays of exact values or enclosures ------------------------------------------------------------------
def _random_real(rng: np.random.Generator) -> Fraction:
    """A rational with a 60-bit denominator (as the "random real" of :func:`draw_scalar`)."""
    return Fraction(int(rng.integers(-(1 << 62), 1 << 62)), (1 << 60) + int(rng.integers(0, 1 << 59)))


def _moderate(rng: np.random.Generator) -> Fraction:
    """A value of moderate size: 0, ±1, ±2, ±1/2, small fractions, small integers, a random real in (-4, 4)."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return _MODERATE[int(rng.integers(0, len(_MODERATE)))]
    if kind == 1:
        return Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 5)))
    if kind == 2:
        return _random_real(rng)
    return Fraction(int(rng.integers(1, 10)) * (1 if rng.integers(0, 2) else -1))


def _draw_array(rng: np.random.Generator, shape: tuple[int, ...], profile: str) -> np.ndarray:
    """The entries of one leaf array: see :data:`PROFILES`."""
    scale = Fraction(10) ** int(rng.integers(-6, 7)) if profile == "scaled" else _ONE
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = draw_scalar(rng, {}) if profile == "mixture" else scale * _moderate(rng)
    return out


def _wrap(value: Any) -> np.ndarray:
    """An object array (0-d for a scalar)."""
    if isinstance(value, np.ndarray):
        return value if value.dtype == object else value.astype(object)
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def _map(fn: Callable[[Any], Any], arr: np.ndarray) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    for idx in np.ndindex(*arr.shape):
        out[idx] = fn(arr[idx])
    return out


def _full(shape: tuple[int, ...], value: Any) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    out.fill(value)
    return out


@contextmanager
def _precision(prec: int | None) -> Iterator[None]:
    """Native ``+`` and ``*`` of enclosures use ``iv.prec``: set it for one interval evaluation."""
    if prec is None:
        yield
        return
    old = iv.prec
    iv.prec = prec
    try:
        yield
    finally:
        iv.prec = old


def _as2d(arr: np.ndarray) -> np.ndarray:
    if arr.ndim != 2:
        raise ShapeError(f"an array operator needs a 2-D array, got shape {arr.shape}", shape=arr.shape)
    return arr


def _same_shape(values: list[np.ndarray]) -> None:
    shapes = {v.shape for v in values if v.ndim > 0}
    if len(shapes) > 1:
        raise ShapeError(f"elementwise operation on arrays of shapes {sorted(shapes)}")


def _overlap(d: int, n: int) -> tuple[int, int]:
    """The output rows ``i`` whose input row ``i + d`` lies in ``0..n-1`` (zero padding: the rest add 0)."""
    return max(0, -d), min(n, n - d)


def _correlate(x: np.ndarray, w: np.ndarray, zero: Any) -> np.ndarray:
    """``(x ∗ w)[i, j] = Σ_ab w[a, b] x[i + a - p, j + b - p]``, ``x`` zero outside (only overlaps summed)."""
    k = w.shape[0]
    if w.shape[1] != k or k % 2 == 0:
        raise ShapeError(f"a size-preserving kernel must be square with odd size, got {w.shape}", shape=w.shape)
    H, W = x.shape
    p = (k - 1) // 2
    out = _full((H, W), zero)
    for a in range(k):
        i0, i1 = _overlap(a - p, H)
        for b in range(k):
            j0, j1 = _overlap(b - p, W)
            weight = w[a, b]
            if i0 >= i1 or j0 >= j1 or (isinstance(weight, Fraction) and weight == 0):
                continue
            out[i0:i1, j0:j1] = out[i0:i1, j0:j1] + weight * x[i0 + a - p:i1 + a - p, j0 + b - p:j1 + b - p]
    return out


def _kernel_correlate(x: np.ndarray, g: np.ndarray, k: int, zero: Any) -> np.ndarray:
    """``(x ⋆_k g)[a, b] = Σ_ij g[i, j] x[i + a - p, j + b - p]``, a ``k × k`` array."""
    if x.shape != g.shape:
        raise ShapeError(f"image {x.shape} and gradient {g.shape} must have the same shape", shape=g.shape)
    if k < 1 or k % 2 == 0:
        raise ShapeError(f"kernel size must be odd and positive, got {k}")
    H, W = x.shape
    p = (k - 1) // 2
    out = _full((k, k), zero)
    for a in range(k):
        i0, i1 = _overlap(a - p, H)
        for b in range(k):
            j0, j1 = _overlap(b - p, W)
            if i0 < i1 and j0 < j1:
                out[a, b] = (g[i0:i1, j0:j1] * x[i0 + a - p:i1 + a - p, j0 + b - p:j1 + b - p]).sum()
    return out


def _scalar_function(func: type) -> Callable[[Any, Any], Any] | None:
    """The elementwise meaning of a one-argument function in an arithmetic (exact or interval), if any."""
    if func is sp.exp:
        return lambda arith, a: arith.exp(a)
    if func is sp.log:
        return lambda arith, a: arith.log(a)
    if func in ELEMENTARY:
        name = ELEMENTARY[func]
        return lambda arith, a: arith.elementary(name, a)
    if func is sp.Abs:
        return lambda arith, a: arith.abs(a)
    if func in (Indicator, ReLU):  # lowered to Mask and ArrayReLU
        return None
    hook = getattr(func, "_derive_evaluate", None)
    if hook is not None and getattr(func, "nargs", None) == sp.FiniteSet(1):
        return lambda arith, a: hook(arith, a)
    return None


def _gap_decision(gap: Any, magnitude: Any, relation: str) -> str | None:
    """One entry from the enclosure of ``lhs - rhs``, decided as scalar claims are
    (:func:`derive.verify.point_decision.interval_decision`): ``"differ"``, ``"agree"`` or None."""
    decision = interval_decision(gap, magnitude, relation, AGREE_BITS)
    return "agree" if decision == "agree~" else decision


@dataclass
class _Outcome:
    """One point: ``agree``, ``differ``, ``shapes`` (the sides have different shapes) or ``undecided``
    (``hopeless``: undecided, and a higher precision would not narrow the enclosures enough to agree)."""

    kind: str
    entry: tuple[int, ...] = ()
    lhs: Any = None
    rhs: Any = None
    exact: bool = True
    prec: int = 0
    shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None


def _violation(left: Any, right: Any, relation: str) -> tuple[bool, Fraction]:
    """Whether the exact entry violates ``relation`` (for ``!=``: whether it differs), and by how much."""
    gap = left - right
    if relation in ("=", "!="):
        return gap != 0, abs(gap)
    if relation in ("<=", "<"):
        return (gap > 0 if relation == "<=" else gap >= 0), gap
    return (gap < 0 if relation == ">=" else gap <= 0), -gap


def _compare(lv: np.ndarray, rv: np.ndarray, relation: str, prec: int | None, exact: bool) -> _Outcome:
    """Compare the sides entry by entry (``exact``: both are Fraction arrays, else enclosures at ``prec``)."""
    if lv.ndim and rv.ndim and lv.shape != rv.shape:
        return _Outcome("shapes", shapes=(lv.shape, rv.shape))
    lv, rv = np.broadcast_arrays(lv, rv)
    if exact:
        worst: tuple[Fraction, tuple[int, ...]] | None = None
        for idx in np.ndindex(*lv.shape):
            bad, size = _violation(lv[idx], rv[idx], relation)
            if bad and (worst is None or size > worst[0]):
                worst = (size, idx)
        if worst is None:
            return _Outcome("agree")
        idx = worst[1]
        return _Outcome("differ", idx, lv[idx], rv[idx])
    assert prec is not None
    arith = Interval(prec)
    undecided, hopeless = False, relation not in ("<", ">")
    for idx in np.ndindex(*lv.shape):
        gap = arith.add(lv[idx], arith.neg(rv[idx]))
        magnitude = max(arith.magnitude(lv[idx]), arith.magnitude(rv[idx]))
        decision = _gap_decision(gap, magnitude, relation)
        if decision == "differ":
            return _Outcome("differ", idx, lv[idx], rv[idx], exact=False, prec=prec)
        if decision is None:
            undecided = True
            # enclosures narrow about as 2**-prec: would the widest precision reach the agreement bound?
            reach = mpmath.ldexp(arith.width(gap), prec - PRECISIONS[-1])
            hopeless = hopeless and not reach <= mpmath.ldexp(min(mpmath.mpf(1), magnitude), -AGREE_BITS)
    if not undecided:
        return _Outcome("agree", exact=False, prec=prec)
    return _Outcome("hopeless" if hopeless else "undecided", exact=False, prec=prec)


def _sympy_value(value: Any, exact: bool) -> sp.Basic:
    if exact:
        return sp.Rational(value.numerator, value.denominator)
    with mpmath.workprec(80):
        mid = (lower(value) + upper(value)) / 2
    return sp.Float(mid, 20)


def _relational(lhs: sp.Basic, rhs: sp.Basic, relation: str) -> sp.Basic | None:
    make = {"=": sp.Eq, "!=": sp.Ne, "<=": sp.Le, ">=": sp.Ge, "<": sp.Lt, ">": sp.Gt}.get(relation)
    try:
        return make(lhs, rhs, evaluate=False) if make else None
    except (TypeError, ValueError):
        return None


@dataclass
class _Tally:
    """What the points of one claim found."""

    agree: int = 0
    undecided: int = 0
    kinks: int = 0
    undefined: int = 0
    abandoned: int = 0
    exact: int = 0
    interval: int = 0
    why_undefined: str = ""


@dataclass(frozen=True)
class ArrayModel:
    r"""Arrays, their definitions and gradients: an operator evaluator for :class:`derive.claims.vocabulary.Vocabulary`.

    Parameters
    ----------
    images : tuple
        Leaves of the image's size ``H × W`` (symbols, or objects such as ``Adjoint(y)``).
    kernels : tuple
        Leaf kernels; each gets its own odd size ``k × k``.
    nodes : tuple of (name, operator tree)
        Derived arrays in order, such as ``(h, Correlate(x, w))``, over the leaves and earlier nodes.
    gradients : mapping
        The LaTeX name of ``a`` (``"w^{(2)}"``) to the tree of ``∂L/∂a`` (leaves, nodes, size symbols).
    sizes : mapping
        Size symbol (as used in :class:`~derive.model.operators.KernelCorrelate`) to its kernel.
    loss : str
        The numerator of the gradients, ``L``.
    configs : tuple of ArrayConfig
        The random points.
    tries : int
        Fresh draws of a point that is undefined, or on a kink that the repair could not move it off.
    repairs : int
        Rounds of redrawing the leaf entries under a zero pre-activation before a fresh draw.

    Examples
    --------
    >>> x, w = sp.symbols("x w")
    >>> m = ArrayModel(images=(x,), kernels=(w,))
    >>> m(Convolve(x, ParsedFlip(ParsedFlip(w))), Convolve(x, w), "=", 0).status
    'agrees'
    >>> v = m(Convolve(x, ParsedFlip(w)), Convolve(x, w), "=", 0)
    >>> v.status, v.counterexample.confirmed
    ('refuted', 'exact rational arithmetic')
    >>> m(Convolve(x, ParsedFlip(w)), Convolve(x, w), "!=", 0).status
    'proven'
    """

    images: tuple[sp.Basic, ...]
    kernels: tuple[sp.Basic, ...]
    nodes: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    gradients: Mapping[str, sp.Basic] = field(default_factory=dict)
    sizes: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    loss: str = "L"
    configs: tuple[ArrayConfig, ...] = CONFIGS
    tries: int = 6
    repairs: int = 8

    # --- what the model knows --------------------------------------------------------------------------------
    @property
    def arrays(self) -> frozenset[sp.Basic]:
        """Every array name: leaves and nodes."""
        return frozenset((*self.images, *self.kernels, *(n for n, _ in self.nodes)))

    def handles(self, expr: sp.Basic) -> bool:
        """True when ``expr`` mentions an array or gradient of the model.

        Examples
        --------
        >>> m = ArrayModel(images=(sp.Symbol("x"),), kernels=())
        >>> m.handles(sp.Symbol("x") + 1), m.handles(sp.Symbol("a"))
        (True, False)
        """
        if not isinstance(expr, sp.Basic):
            return False
        return bool(expr.free_symbols & self.arrays) or bool(expr.atoms(Gradient, Transpose))

    def kinks(self, *trees: sp.Basic) -> list[sp.Basic]:
        """The pre-activations a point must not zero: the arguments of the ReLUs and masks of the node
        definitions and gradients (all of them when no tree is given; else those ``trees`` use), then the
        arguments of the masks written in ``trees``."""
        defs = dict(self.nodes)
        model: list[sp.Basic] = []
        for tree in [*defs.values(), *self.gradients.values()]:
            for node in sp.preorder_traversal(tree):
                if isinstance(node, (Mask, ArrayReLU)) and node.args[0] not in model:
                    model.append(node.args[0])
        if not trees:
            return model
        found: list[sp.Basic] = []
        todo, seen = list(trees), set()
        while todo:
            tree = todo.pop()
            for node in sp.preorder_traversal(tree):
                if node in defs and node not in seen:
                    seen.add(node)
                    todo.append(defs[node])
                if isinstance(node, (Mask, ArrayReLU)) and node.args[0] not in found:
                    if isinstance(node, Mask) or node.args[0] in model:
                        if node.args[0].free_symbols & self.arrays:
                            found.append(node.args[0])
        return sorted(found, key=lambda k: k not in model)

    def size_symbol(self, kernel: sp.Basic) -> sp.Basic:
        """The symbol of a kernel's size (``k_{w^{(1)}}``)."""
        for size, w in self.sizes.items():
            if w == kernel:
                return size
        return kernel_size_symbol(kernel)

    # --- roles (shapes up to the sizes) ----------------------------------------------------------------------
    def _unify(self, ctx: _Ctx, a: Any, b: Any) -> Any:
        a = ctx.bound if a == PENDING and ctx.bound is not None else a
        b = ctx.bound if b == PENDING and ctx.bound is not None else b
        if a == b or b == SCALAR:
            return a
        if a == SCALAR:
            return b
        if PENDING in (a, b) and {a, b} - {PENDING, IMAGE, IMAGE_T}:
            ctx.bound = b if a == PENDING else a
            return ctx.bound
        raise UnsupportedError(f"ill-typed: combines an array of role {a} with one of role {b}")

    def _is_kernel(self, role: Any) -> bool:
        return role == PENDING or role in self.kernels

    def role(self, ir: sp.Basic, ctx: _Ctx | None = None) -> Any:
        """The role of an operator tree: ``"scalar"``, ``"image"``, ``"image^T"``, a kernel, or ``"kernel?"``."""
        ctx = ctx or _Ctx()
        if ir in self.images:
            return IMAGE
        if ir in self.kernels:
            return ir
        for name, op in self.nodes:
            if ir == name:
                return self.role(op, ctx)
        if ir.is_number or ir in self.sizes or ir == ctx.pending:
            return SCALAR
        if isinstance(ir, Correlate):
            if not self._is_kernel(self.role(ir.args[1], ctx)):
                raise UnsupportedError(f"{ir.args[1]} is not a kernel: x ∗ w needs a kernel on the right")
            return self.role(ir.args[0], ctx)
        if isinstance(ir, KernelCorrelate):
            return self.sizes.get(ir.args[2], PENDING)
        if isinstance(ir, Transpose):
            inner = self.role(ir.args[0], ctx)
            return {IMAGE: IMAGE_T, IMAGE_T: IMAGE}.get(inner, inner)
        if isinstance(ir, (Flip, Mask, ArrayReLU)) or (len(ir.args) == 1 and _scalar_function(type(ir))):
            return self.role(ir.args[0], ctx)
        if isinstance(ir, sp.Pow):
            if self.role(ir.args[1], ctx) != SCALAR:
                raise UnsupportedError("an exponent must be a number")
            return self.role(ir.args[0], ctx)
        if isinstance(ir, (sp.Add, sp.Mul, Hadamard)):
            out: Any = SCALAR
            for arg in ir.args:
                out = self._unify(ctx, out, self.role(arg, ctx))
            return out
        raise UnsupportedError(f"no array meaning for {type(ir).__name__}: {ir}")

    # --- the parsed claim onto array operators ---------------------------------------------------------------
    def lower(self, expr: sp.Basic, ctx: _Ctx) -> sp.Basic:
        r"""Map a parsed claim side (``Convolve``, ``Flip``, ``Hadamard``, ``Indicator``, ``Gradient``) onto the
        operators of :mod:`derive.model.operators`, with ``image ∗ image`` sized by ``ctx.pending``.

        Raises
        ------
        UnsupportedError
            For names the model does not know, and constructs without an array meaning.
        """
        if isinstance(expr, Gradient):
            parts = expr.parts()
            if parts is None or parts[1] != self.loss or parts[2] not in self.gradients:
                raise UnsupportedError(f"the gradient {expr.name} is not one the vocabulary knows")
            return self.gradients[parts[2]]
        if isinstance(expr, sp.Symbol):
            if expr in self.arrays:
                return expr
            raise UnsupportedError(f"{expr} is not an array of this vocabulary")
        if expr.is_number:
            return expr
        args = [self.lower(a, ctx) for a in expr.args]
        if isinstance(expr, Convolve):
            a, b = args
            ra, rb = self.role(a, ctx), self.role(b, ctx)
            if ra == SCALAR or rb == SCALAR:
                raise UnsupportedError("∗ (convolution) needs two arrays; a number scales with juxtaposition")
            if self._is_kernel(rb):
                return Correlate(a, b)
            if ra in (IMAGE, IMAGE_T) and rb == ra:
                return KernelCorrelate(b, a, ctx.pending)
            raise UnsupportedError("a ∗ b needs a kernel on the right, or two image-sized arrays")
        if isinstance(expr, ParsedFlip):
            return Flip(args[0])
        if isinstance(expr, ParsedHadamard):
            return Hadamard(*args)
        if isinstance(expr, Indicator):
            return Mask(args[0])
        if isinstance(expr, ReLU):
            return ArrayReLU(args[0])
        if isinstance(expr, Transpose):
            return Transpose(args[0])
        if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)) or (len(args) == 1 and _scalar_function(type(expr))):
            return expr.func(*args)
        raise UnsupportedError(f"no array meaning for {type(expr).__name__}")

    # --- the points -------------------------------------------------------------------------------------------
    def _point(self, config: ArrayConfig, ctx: _Ctx, rng_key: list[int], profile: str = "mixture") -> _Point:
        """A point of ``config``: each leaf drawn on first use from its own generator (so the value of a leaf
        does not depend on which other leaves the claim uses), its entries as ``profile`` says."""
        ksize = {w: config.kernel(i) for i, w in enumerate(self.kernels)}
        leaves = (*self.images, *self.kernels)

        def draw(name: sp.Basic) -> np.ndarray:
            shape = (ksize[name],) * 2 if name in ksize else config.shape
            rng = np.random.default_rng([*rng_key, leaves.index(name)])
            return _draw_array(rng, shape, profile)

        point = _Point(config.shape, ksize, draw)
        pending = ksize[ctx.bound] if ctx.bound in ksize else (config.kernel(0) if self.kernels else 1)
        point.ksize[ctx.pending] = pending
        return point

    def _repair(self, point: _Point, kink: sp.Basic, shape: tuple[int, ...], zeros: list[tuple[int, ...]],
                rng: np.random.Generator, round_: int) -> bool:
        """Redraw, as random reals, the leaf entries under the zeros of the pre-activation ``kink``.

        A zero at ``(i, j)`` moves the entries ``(i, j)`` of the leaves it depends on, and their images under
        the flips and transposes that relate the leaf's shape to the value's; from the second round on, also
        every zero entry of those leaves (a zero of ``x ∗ w`` on a 1×1 image is a zero centre of ``w``).
        """
        moved = False
        for name in sorted(self._used(kink), key=str):
            leaf = point.leaf(name)
            r, c = leaf.shape[0], leaf.shape[1]
            at: set[tuple[int, ...]] = set()
            for i, j in zeros:
                if leaf.shape == shape:
                    at |= {(i, j), (r - 1 - i, c - 1 - j)}
                if leaf.shape == shape[::-1]:
                    at |= {(j, i), (r - 1 - j, c - 1 - i)}
            if round_ > 0:
                at |= {idx for idx in np.ndindex(*leaf.shape) if leaf[idx] == 0}
            for idx in sorted(at):
                leaf[idx] = _random_real(rng)
                moved = True
        point.memo.clear()
        point.structural.clear()
        return moved

    def _accidental(self, point: _Point, kink: sp.Basic, zeros: list[tuple[int, ...]],
                    rng: np.random.Generator) -> list[tuple[int, ...]]:
        """The zeros of a pre-activation written in the claim that a tiny random move of the leaves removes:
        kinks. Zeros that stay (``[z > 0]`` where ``z = ReLU(h)`` and ``h < 0``) are values, not kinks."""
        moved = _Point(point.shape, point.ksize, point.draw)
        step = Fraction(1, 1 << 256)
        for name in self._used(kink):
            leaf = point.leaf(name)
            shift = np.empty(leaf.shape, dtype=object)
            for idx in np.ndindex(*leaf.shape):
                shift[idx] = step * _random_real(rng)
            moved.leaves[name] = leaf + shift
        try:
            value, _exact = self._eval(kink, moved, None)
        except (NotExact, Undefined, _Kink):
            return zeros
        return [idx for idx in zeros if value[idx] != 0]

    def _off_kinks(self, point: _Point, kinks: list[sp.Basic], rng: np.random.Generator) -> tuple[bool, int]:
        """Move the point off every kink whose pre-activation is rational: ``(ok, points found on a kink)``."""
        model = set(self.kinks())
        found = 0
        for round_ in range(self.repairs + 1):
            on: tuple[sp.Basic, tuple[int, ...], list[tuple[int, ...]]] | None = None
            for kink in kinks:
                try:
                    value, _exact = self._eval(kink, point, None)
                except (NotExact, Undefined, _Kink):
                    continue
                zeros = [idx for idx in np.ndindex(*value.shape) if value[idx] == 0] if value.ndim else []
                if zeros and kink not in model:
                    accidental = self._accidental(point, kink, zeros, rng)
                    point.structural[kink] = set(zeros) - set(accidental)
                    zeros = accidental
                if zeros:
                    on = (kink, value.shape, zeros)
                    break
            if on is None:
                return True, found
            found += 1
            if not self._repair(point, *on, rng, round_):
                return False, found
        return False, found

    # --- evaluation -------------------------------------------------------------------------------------------
    def _eval(self, ir: sp.Basic, point: _Point, prec: int | None) -> tuple[np.ndarray, bool]:
        """The value of ``ir`` (an object array, 0-d for a scalar) and whether it is exact.

        ``prec`` None: exact rationals only (:class:`NotExact` where a value is irrational); else the
        irrational parts as enclosures at ``prec`` bits (rational subtrees stay exact).
        """
        for key in ((ir, None), (ir, prec)):
            if key in point.memo:
                return point.memo[key]
        out = self._compute(ir, point, prec)
        point.memo[(ir, None if out[1] else prec)] = out
        return out

    def _compute(self, ir: sp.Basic, point: _Point, prec: int | None) -> tuple[np.ndarray, bool]:
        if ir in self.images or ir in self.kernels:
            return point.leaf(ir), True
        if ir in self.sizes:
            return _wrap(Fraction(point.ksize[self.sizes[ir]])), True
        if ir in point.ksize:
            return _wrap(Fraction(point.ksize[ir])), True
        for name, op in self.nodes:
            if ir == name:
                return self._eval(op, point, prec)
        if ir.is_number:
            return self._number(ir, prec)
        if isinstance(ir, (Mask, ArrayReLU)):
            return self._kinked(ir, point, prec)
        evaluated = [self._eval(a, point, prec) for a in ir.args]
        exact = all(e for _, e in evaluated)
        arith: Any = _EXACT
        if not exact:
            assert prec is not None
            arith = Interval(prec)
            evaluated = [(_map(arith.number, v) if e else v, e) for v, e in evaluated]
        args = [v for v, _ in evaluated]
        zero = _ZERO if exact else arith.number(_ZERO)
        with _precision(None if exact else prec):
            if isinstance(ir, Correlate):
                return _correlate(_as2d(args[0]), _as2d(args[1]), zero), exact
            if isinstance(ir, KernelCorrelate):
                return _kernel_correlate(_as2d(args[0]), _as2d(args[1]), arith.to_int(args[2][()]), zero), exact
            if isinstance(ir, Flip):
                return _as2d(args[0])[::-1, ::-1], exact
            if isinstance(ir, Transpose):
                return _as2d(args[0]).T, exact
            if isinstance(ir, (sp.Add, sp.Mul, Hadamard)):
                _same_shape(args)
                out = args[0]
                for a in args[1:]:
                    out = _wrap(out + a if isinstance(ir, sp.Add) else out * a)
                return out, exact
            if isinstance(ir, sp.Pow):
                return self._pow(args[0], args[1], exact, prec)
        fn = _scalar_function(type(ir)) if len(ir.args) == 1 else None
        if fn is None:
            raise Unsupported(f"cannot evaluate {type(ir).__name__} on arrays")
        if exact:
            try:
                return _map(lambda a: fn(_EXACT, a), args[0]), True
            except NotExact:
                if prec is None:
                    raise
            arith = Interval(prec)
            args = [_map(arith.number, args[0])]
        return _map(lambda a: fn(arith, a), args[0]), False

    @staticmethod
    def _number(ir: sp.Basic, prec: int | None) -> tuple[np.ndarray, bool]:
        if isinstance(ir, sp.Rational):
            return _wrap(Fraction(int(ir.p), int(ir.q))), True
        node = compile_expr(ir)
        env = Env({}, lambda key: _ZERO)
        try:
            return _wrap(node(env, _EXACT)), True
        except NotExact:
            if prec is None:
                raise
        return _wrap(node(env, Interval(prec))), False

    @staticmethod
    def _pow(base: np.ndarray, exponent: np.ndarray, exact: bool, prec: int | None) -> tuple[np.ndarray, bool]:
        if exponent.ndim:
            raise UnsupportedError("an exponent must be a number")
        e: Any = exponent[()]
        if exact:
            try:
                if e.denominator == 1:
                    n = int(e)
                    return _map(lambda a: _EXACT.pow_int(a, n), base), True
                return _map(lambda a: _EXACT.pow(a, e), base), True
            except NotExact:
                if prec is None:
                    raise
        assert prec is not None
        arith = Interval(prec)
        if exact:
            base, e = _map(arith.number, base), arith.number(e)
        if lower(e) == upper(e) and mpmath.isint(lower(e)):
            m = int(lower(e))
            return _map(lambda a: arith.pow_int(a, m), base), False
        return _map(lambda a: arith.pow(a, e), base), False

    def _kinked(self, ir: sp.Basic, point: _Point, prec: int | None) -> tuple[np.ndarray, bool]:
        value, exact = self._eval(ir.args[0], point, prec)
        if exact:
            signs = _map(lambda a: (a > 0) - (a < 0), value)
        else:
            assert prec is not None
            arith = Interval(prec)
            signs = _map(arith.sign, value)  # Undecided when an enclosure contains 0
        if isinstance(ir, Mask):
            allowed = point.structural.get(ir.args[0], set()) if exact else set()
            if any(signs[idx] == 0 and idx not in allowed for idx in np.ndindex(*signs.shape)):
                raise _Kink(str(ir.args[0]))
            return _map(lambda s: _ONE if s > 0 else _ZERO, signs), True
        if exact:
            return _map(lambda a: a if a > 0 else _ZERO, value), True
        out = np.empty(value.shape, dtype=object)
        for idx in np.ndindex(*value.shape):
            out[idx] = value[idx] if signs[idx] > 0 else arith.number(_ZERO)
        return out, False

    def _used(self, ir: sp.Basic) -> set[sp.Basic]:
        """The leaves an operator tree depends on, through the node definitions."""
        out: set[sp.Basic] = set()
        todo, seen = [ir], set()
        defs = dict(self.nodes)
        while todo:
            for atom in sp.preorder_traversal(todo.pop()):
                if atom in defs and atom not in seen:
                    seen.add(atom)
                    todo.append(defs[atom])
                out.add(self.sizes.get(atom, atom))
        return out & set((*self.images, *self.kernels))

    # --- the decision -----------------------------------------------------------------------------------------
    def __call__(self, lhs: sp.Basic, rhs: sp.Basic, relation: str, seed: int) -> Verdict:
        """Decide ``lhs relation rhs`` at the points of ``configs`` (see the module docstring)."""
        start = time.perf_counter()
        claim = _relational(lhs, rhs, relation)
        ctx = _Ctx()
        try:
            if relation not in RELATIONS:
                raise UnsupportedError(f"unknown relation {relation!r}")
            left, right = self.lower(lhs, ctx), self.lower(rhs, ctx)
            roles = [self.role(left, ctx), self.role(right, ctx)]
            try:
                self._unify(ctx, *roles)
            except UnsupportedError:
                pass  # arrays of different shapes: the comparison below reports it
        except UnsupportedError as exc:
            return Verdict("unknown", "unsupported", f"operator-level claim: {exc}", claim=claim,
                           seconds=time.perf_counter() - start)
        kinks = self.kinks(left, right)
        tally = _Tally()
        n = 0
        try:
            for c, config in enumerate(self.configs):
                for p in range(config.points):
                    profile = PROFILES[n % len(PROFILES)]
                    n += 1
                    found = self._decide_point(config, ctx, [seed % 2**32, c, p], profile, left, right, relation,
                                               kinks, tally)
                    if found is not None:
                        return self._verdict(found, config, ctx, left, right, relation, tally, claim, start)
        except (ShapeError, Unsupported, UnsupportedError) as exc:
            return Verdict("unknown", "unsupported", f"operator-level claim: {exc}", claim=claim,
                           seconds=time.perf_counter() - start)
        return self._verdict(None, None, ctx, left, right, relation, tally, claim, start)

    def _decide_point(self, config: ArrayConfig, ctx: _Ctx, key: list[int], profile: str, left: sp.Basic,
                      right: sp.Basic, relation: str, kinks: list[sp.Basic], tally: _Tally) -> _Outcome | None:
        """Decide one point (fresh draws while it is undefined or stuck on a kink); the outcome if it fails."""
        for attempt in range(self.tries):
            point = self._point(config, ctx, [*key, attempt], profile)
            ok, on_kink = self._off_kinks(point, kinks, np.random.default_rng([*key, attempt, 1 << 20]))
            tally.kinks += on_kink
            if not ok:
                continue
            try:
                outcome = self._evaluate(point, left, right, relation)
            except _Kink:
                tally.kinks += 1
                continue
            except Undefined as exc:
                tally.undefined += 1
                tally.why_undefined = tally.why_undefined or str(exc)
                continue
            if outcome.kind == "undecided":
                tally.undecided += 1
                return None
            if outcome.kind == "agree":
                tally.agree += 1
                if outcome.exact:
                    tally.exact += 1
                else:
                    tally.interval += 1
                return None
            return outcome
        tally.abandoned += 1
        return None

    def _evaluate(self, point: _Point, left: sp.Basic, right: sp.Basic, relation: str) -> _Outcome:
        """Both sides at one point: exactly, else by enclosures at rising precision."""
        try:
            lv, _ = self._eval(left, point, None)
            rv, _ = self._eval(right, point, None)
            return _compare(lv, rv, relation, None, True)
        except NotExact:
            pass
        for prec in PRECISIONS:
            try:
                lv, le = self._eval(left, point, prec)
                rv, re = self._eval(right, point, prec)
                if le and re:
                    return _compare(lv, rv, relation, None, True)
                arith = Interval(prec)
                lv = _map(arith.number, lv) if le else lv
                rv = _map(arith.number, rv) if re else rv
                outcome = _compare(lv, rv, relation, prec, False)
            except Undecided:
                continue
            if outcome.kind == "hopeless":
                break
            if outcome.kind != "undecided":
                return outcome
        return _Outcome("undecided")

    def _verdict(self, found: _Outcome | None, config: ArrayConfig | None, ctx: _Ctx, left: sp.Basic,
                 right: sp.Basic, relation: str, tally: _Tally, claim: sp.Basic | None, start: float) -> Verdict:
        excluded: list[str] = []
        if tally.kinks:
            excluded.append(f"{tally.kinks} points exactly on a kink (a pre-activation of a ReLU or mask is 0; "
                            "redrawn there: almost-everywhere semantics)")
        if tally.undefined:
            excluded.append(f"{tally.undefined} points where a side is undefined ({tally.why_undefined})")
        notes = (f"{tally.abandoned} points abandoned after {self.tries} draws",) if tally.abandoned else ()
        common: dict[str, Any] = {"points": tally.agree, "undecided": tally.undecided, "excluded": tuple(excluded),
                                  "claim": claim, "notes": notes}
        seconds = time.perf_counter() - start
        if found is not None and config is not None:
            point = self._counterexample(found, config, ctx, left, right)
            H, W = config.shape
            if found.shapes is not None:
                a, b = found.shapes
                what = f"at a {H}×{W} image the left side has shape {a}, the right side {b}"
            else:
                at = f", entry [{', '.join(map(str, found.entry))}] (0-based)" if found.entry else ""
                what = f"at a {H}×{W} image{at}: lhs = {point.lhs_text}, rhs = {point.rhs_text}"
            if relation == "!=":
                return Verdict("proven", "witness point", f"the sides differ {what} ({point.confirmed})",
                               witness=point, seconds=seconds, **common)
            if found.shapes is not None and relation != "=":
                return Verdict("unknown", "unsupported", f"the sides are arrays of different shapes: {what}",
                               seconds=seconds, **common)
            return Verdict("refuted", "counterexample", f"the claim fails {what} ({point.confirmed})",
                           counterexample=point, seconds=seconds, **common)
        if tally.agree == 0:
            return Verdict("unknown", "undecided", "no array point could be decided (kinks, undefined values or "
                           "enclosures too wide)", seconds=seconds, **common)
        images = ", ".join(f"{c.shape[0]}×{c.shape[1]}" for c in self.configs)
        how = f"{tally.exact} in exact rational arithmetic, {tally.interval} by interval arithmetic"
        if relation == "!=":
            return Verdict("unknown", "no witness", f"the sides are equal at all {tally.agree} array points "
                           f"({how}; images {images}); points cannot prove equality, nor a difference",
                           seconds=seconds, **common)
        what = "no counterexample" if relation == "=" else f"{relation} holds elementwise"
        return Verdict("agrees", "points", f"{what} at {tally.agree} array points ({how}; images {images}), "
                       "not proven", qualifier="almost everywhere", seconds=seconds, **common)

    def _counterexample(self, found: _Outcome, config: ArrayConfig, ctx: _Ctx, left: sp.Basic,
                        right: sp.Basic) -> Counterexample:
        """The point as assignments: ``H``, ``W``, the kernel sizes the claim uses, the entry ``i, j``."""
        H, W = config.shape
        pairs: list[tuple[sp.Basic, sp.Basic]] = [(H_SYMBOL, sp.Integer(H)), (W_SYMBOL, sp.Integer(W))]
        used = self._used(left) | self._used(right)
        for i, w in enumerate(self.kernels):
            if w in used or w == ctx.bound:
                pairs.append((self.size_symbol(w), sp.Integer(config.kernel(i))))
        if ctx.bound is None and (left.has(ctx.pending) or right.has(ctx.pending)):
            pairs.append((sp.Symbol("k", integer=True, positive=True),
                          sp.Integer(config.kernel(0) if self.kernels else 1)))
        if found.shapes is not None:
            a, b = found.shapes
            return Counterexample(tuple(pairs), sp.Tuple(*a), sp.Tuple(*b), "array shapes (left, right)")
        for symbol, index in zip((ROW, COLUMN), found.entry):
            pairs.append((symbol, sp.Integer(index)))
        how = "exact rational arithmetic" if found.exact else f"interval arithmetic at {found.prec} bits"
        return Counterexample(tuple(pairs), _sympy_value(found.lhs, found.exact),
                              _sympy_value(found.rhs, found.exact), how, approximate=not found.exact)
