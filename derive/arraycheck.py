r"""Decide operator-level claims (∗, ⊙, flip, masks, ∂L/∂w) by evaluating both sides on seeded random arrays.

An :class:`ArrayModel` says which symbols are arrays (image-sized leaves, kernels of their own odd size),
how derived arrays are defined (forward nodes such as ``h = x ∗ w``) and what the gradients ``∂L/∂a`` are
(closed forms, for example those derived by :func:`derive.backprop.backward`). A parsed claim is mapped onto
the array operators of :mod:`derive.operators`:

* ``a ∗ b`` with ``b`` a kernel: the size-preserving cross-correlation ``Correlate(a, b)``;
* ``a ∗ b`` with both image-sized: the kernel gradient ``KernelCorrelate(b, a, k)``, the correlation of the
  zero-padded ``b`` with the window weights ``a``, of the size ``k × k`` of the kernel on the other side of
  the claim: ``(a ∗ b)[u, v] = Σ_ij a[i, j] b[i + u - p, j + v - p]``;
* ``\operatorname{flip}``, ``\odot`` (and juxtaposition of arrays), ``[h > 0]`` and ReLU elementwise;
  ``^{T}`` the transpose; numbers scale.

Both sides are evaluated for several image sizes (square and not, kernels larger than the image) and odd
kernel sizes: first in exact rational arithmetic (``fractions.Fraction``), then in float64. Points where a
pre-activation of the model (the argument of a ReLU or mask) is zero are rejected, as are float points near
the kink of a mask written in the claim. Equality at every point is "numerically equal, not proven"; one
point where the sides differ (exactly, or by far more than rounding) is a counterexample.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from .errors import ShapeError, UnsupportedError
from .functions import Indicator, ReLU, Sigmoid
from .latex.parse import Convolve, Gradient, Transpose
from .latex.parse import Flip as ParsedFlip
from .latex.parse import Hadamard as ParsedHadamard
from .operators import ArrayReLU, Correlate, Flip, Hadamard, KernelCorrelate, Mask
from .vocabulary import OperatorResult

__all__ = ["CONFIGS", "ArrayConfig", "ArrayModel"]

#: Roles of a value: a scalar, an image-sized array, its transpose, a kernel (the kernel's symbol), or the
#: kernel-sized output of ``image ∗ image`` whose size comes from the other side of the claim.
SCALAR, IMAGE, IMAGE_T, PENDING = "scalar", "image", "image^T", "kernel?"
#: Relative tolerances of float64: below ``RTOL`` the sides agree, above ``GAP`` they differ reliably.
RTOL, GAP = 1e-9, 1e-6
#: Relative distance to zero below which a float point counts as on a kink.
KINK = 1e-6

_FLOAT_FUNCTIONS: dict[type, Any] = {
    Sigmoid: lambda v: 1.0 / (1.0 + np.exp(-v)), sp.tanh: np.tanh, sp.exp: np.exp, sp.log: np.log, sp.sin: np.sin,
    sp.cos: np.cos, sp.sinh: np.sinh, sp.cosh: np.cosh,
}


@dataclass(frozen=True)
class ArrayConfig:
    """One random point: the image shape, the size of each kernel (cycled over the model's kernels), exactness.

    Examples
    --------
    >>> ArrayConfig((2, 3), (3, 1), True).kernel(2)
    3
    """

    shape: tuple[int, int]
    kernels: tuple[int, ...]
    exact: bool
    points: int = 1

    def kernel(self, index: int) -> int:
        """The size of kernel number ``index``."""
        return self.kernels[index % len(self.kernels)]


#: The default points: exact rationals on small images (kernels larger than the image included), then float64.
CONFIGS: tuple[ArrayConfig, ...] = (
    ArrayConfig((2, 3), (3, 1, 3), True),
    ArrayConfig((3, 2), (1, 3, 5), True),
    ArrayConfig((1, 4), (5, 3, 1), True),
    ArrayConfig((3, 3), (3, 5, 3), True),
    ArrayConfig((5, 7), (3, 5, 3), False, 2),
    ArrayConfig((6, 4), (5, 3, 1), False, 2),
    ArrayConfig((4, 4), (3, 3, 5), False, 2),
    ArrayConfig((7, 5), (7, 1, 3), False, 2),
)


class _NeedsFloat(Exception):
    """Raised inside exact evaluation when a value is not rational (then the point is evaluated in float64)."""


class _Kink(Exception):
    """Raised when a point lies on (or, in float64, near) the kink of a mask or ReLU."""


@dataclass
class _Ctx:
    """Per-claim state: the size placeholder of ``image ∗ image`` and the kernel it was unified with."""

    pending: sp.Dummy = field(default_factory=lambda: sp.Dummy("k"))
    bound: sp.Basic | None = None


def _zeros(shape: tuple[int, ...], exact: bool) -> np.ndarray:
    return np.full(shape, Fraction(0), dtype=object) if exact else np.zeros(shape)


def _pad(x: np.ndarray, p: int, exact: bool) -> np.ndarray:
    out = _zeros((x.shape[0] + 2 * p, x.shape[1] + 2 * p), exact)
    out[p:p + x.shape[0], p:p + x.shape[1]] = x
    return out


def _correlate(x: np.ndarray, w: np.ndarray, exact: bool) -> np.ndarray:
    k = w.shape[0]
    if w.ndim != 2 or w.shape[1] != k or k % 2 == 0:
        raise ShapeError(f"a size-preserving kernel must be square with odd size, got {w.shape}", shape=w.shape)
    xp, (H, W) = _pad(_as2d(x), (k - 1) // 2, exact), _as2d(x).shape
    out = _zeros((H, W), exact)
    for a in range(k):
        for b in range(k):
            out = out + w[a, b] * xp[a:a + H, b:b + W]
    return out


def _kernel_correlate(x: np.ndarray, g: np.ndarray, k: int, exact: bool) -> np.ndarray:
    x, g = _as2d(x), _as2d(g)
    if x.shape != g.shape:
        raise ShapeError(f"image {x.shape} and gradient {g.shape} must have the same shape", shape=g.shape)
    xp, (H, W) = _pad(x, (k - 1) // 2, exact), x.shape
    out = _zeros((k, k), exact)
    for a in range(k):
        for b in range(k):
            out[a, b] = (g * xp[a:a + H, b:b + W]).sum()
    return out


def _as2d(v: Any) -> np.ndarray:
    arr = np.asarray(v)
    if arr.ndim != 2:
        raise ShapeError(f"an array operator needs a 2-D array, got shape {arr.shape}", shape=arr.shape)
    return arr


def _same_shape(values: list[Any]) -> None:
    shapes = {np.shape(v) for v in values if np.ndim(v) > 0}
    if len(shapes) > 1:
        raise ShapeError(f"elementwise operation on arrays of shapes {sorted(shapes)}")


def _fmt(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value) if abs(value.numerator) < 10**6 and value.denominator < 10**4 else f"{float(value):.3g}"
    return f"{float(value):.3g}"


def _fmt_latex(value: Any) -> str:
    if isinstance(value, Fraction) and abs(value.numerator) < 10**6 and value.denominator < 10**4:
        return sp.latex(sp.Rational(value.numerator, value.denominator))
    return _fmt(value)


@dataclass(frozen=True)
class ArrayModel:
    r"""Arrays, their definitions and gradients: an operator evaluator for :class:`derive.vocabulary.Vocabulary`.

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
        Size symbol (as used in :class:`~derive.operators.KernelCorrelate`) to its kernel.
    loss : str
        The numerator of the gradients, ``L``.
    configs : tuple of ArrayConfig
        The random points.
    tries : int
        Resamplings of a point that lies on a kink.

    Examples
    --------
    >>> x, w = sp.symbols("x w")
    >>> m = ArrayModel(images=(x,), kernels=(w,))
    >>> m(Convolve(x, ParsedFlip(ParsedFlip(w))), Convolve(x, w), "=", 0).holds
    True
    >>> r = m(Convolve(x, ParsedFlip(w)), Convolve(x, w), "=", 0)
    >>> r.holds, "image" in r.counterexample
    (False, True)
    """

    images: tuple[sp.Basic, ...]
    kernels: tuple[sp.Basic, ...]
    nodes: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    gradients: Mapping[str, sp.Basic] = field(default_factory=dict)
    sizes: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    loss: str = "L"
    configs: tuple[ArrayConfig, ...] = CONFIGS
    tries: int = 20

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

    def kinks(self) -> list[sp.Basic]:
        """The arguments of every ReLU and mask in the definitions: a point where one is zero is rejected."""
        found: list[sp.Basic] = []
        for tree in [*(op for _, op in self.nodes), *self.gradients.values()]:
            for node in sp.preorder_traversal(tree):
                if isinstance(node, (Mask, ArrayReLU)) and node.args[0] not in found:
                    found.append(node.args[0])
        return found

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
        if isinstance(ir, (Flip, Mask, ArrayReLU)) or type(ir) in _FLOAT_FUNCTIONS:
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
        operators of :mod:`derive.operators`, with ``image ∗ image`` sized by ``ctx.pending``.

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
        if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)) or type(expr) in _FLOAT_FUNCTIONS:
            return expr.func(*args)
        raise UnsupportedError(f"no array meaning for {type(expr).__name__}")

    # --- evaluation -------------------------------------------------------------------------------------------
    def _leaf(self, rng: np.random.Generator, shape: tuple[int, int], exact: bool) -> np.ndarray:
        if not exact:
            return rng.standard_normal(shape)
        nums = rng.integers(1, 10, size=shape) * rng.choice([-1, 1], size=shape)
        dens = rng.integers(1, 5, size=shape)
        out = np.empty(shape, dtype=object)
        for idx in np.ndindex(*shape):
            out[idx] = Fraction(int(nums[idx]), int(dens[idx]))
        return out

    def _eval(self, ir: sp.Basic, env: dict[sp.Basic, Any], exact: bool, user: bool) -> Any:
        if ir in env:
            return env[ir]
        if ir.is_number:
            if isinstance(ir, sp.Rational):
                return Fraction(int(ir.p), int(ir.q)) if exact else float(ir)
            if exact:
                raise _NeedsFloat
            return complex(ir).real if ir.is_real else float("nan")
        args = [self._eval(a, env, exact, user) for a in ir.args]
        if isinstance(ir, Correlate):
            return _correlate(args[0], _as2d(args[1]), exact)
        if isinstance(ir, KernelCorrelate):
            return _kernel_correlate(args[0], args[1], int(args[2]), exact)
        if isinstance(ir, Flip):
            return _as2d(args[0])[::-1, ::-1]
        if isinstance(ir, Transpose):
            return _as2d(args[0]).T
        if isinstance(ir, (Mask, ArrayReLU)):
            value = np.asarray(args[0])
            if user and not exact:
                scale = max(1.0, float(np.max(np.abs(value), initial=0.0)))
                if np.any((value != 0) & (np.abs(value) < KINK * 1e-3 * scale)):
                    raise _Kink
            positive = np.asarray(value > 0, dtype=bool)
            zero: Any = np.array(Fraction(0), dtype=object) if exact else np.array(0.0)
            one: Any = np.array(Fraction(1), dtype=object) if exact else np.array(1.0)
            return np.where(positive, one if isinstance(ir, Mask) else value, zero)
        if isinstance(ir, (sp.Add, sp.Mul, Hadamard)):
            _same_shape(args)
            out = args[0]
            for a in args[1:]:
                out = out + a if isinstance(ir, sp.Add) else out * a
            return out
        if isinstance(ir, sp.Pow):
            base, exp = args
            if exact and isinstance(exp, Fraction) and exp.denominator == 1:
                power = int(exp)
                if np.ndim(base) == 0:
                    return base ** power
                return np.vectorize(lambda v: v ** power, otypes=[object])(base)
            if exact:
                raise _NeedsFloat
            return np.power(np.asarray(base, dtype=float), float(exp))
        if type(ir) in _FLOAT_FUNCTIONS:
            if exact:
                raise _NeedsFloat
            return _FLOAT_FUNCTIONS[type(ir)](np.asarray(args[0], dtype=float))
        raise UnsupportedError(f"cannot evaluate {type(ir).__name__} on arrays")

    def _environment(self, config: ArrayConfig, rng: np.random.Generator, ctx: _Ctx) -> dict[sp.Basic, Any]:
        env: dict[sp.Basic, Any] = {leaf: self._leaf(rng, config.shape, config.exact) for leaf in self.images}
        ksize = {w: config.kernel(i) for i, w in enumerate(self.kernels)}
        for w, k in ksize.items():
            env[w] = self._leaf(rng, (k, k), config.exact)
        for size, w in self.sizes.items():
            env[size] = ksize[w]
        env[ctx.pending] = ksize[ctx.bound] if ctx.bound in ksize else (config.kernel(0) if self.kernels else 1)
        for name, op in self.nodes:
            env[name] = self._eval(op, env, config.exact, False)
        for quantity in self.kinks():
            value = np.asarray(self._eval(quantity, env, config.exact, False))
            if config.exact and np.any(value == 0):
                raise _Kink
            scale = max(1.0, float(np.max(np.abs(value.astype(float)), initial=0.0)))
            if not config.exact and np.any(np.abs(value) < KINK * scale):
                raise _Kink
        return env

    # --- the decision -----------------------------------------------------------------------------------------
    def __call__(self, lhs: sp.Basic, rhs: sp.Basic, relation: str, seed: int) -> OperatorResult:
        """Decide ``lhs relation rhs`` on the random points of ``configs`` (see the module docstring)."""
        ctx = _Ctx()
        try:
            left, right = self.lower(lhs, ctx), self.lower(rhs, ctx)
            roles = [self.role(left, ctx), self.role(right, ctx)]
            try:
                self._unify(ctx, *roles)
            except UnsupportedError:
                pass  # arrays of different shapes: the comparison below reports it
        except UnsupportedError as exc:
            return OperatorResult(None, "operator-level claim", None, str(exc))
        used = self._used(left) | self._used(right)
        counts = {True: 0, False: 0}
        unclear = ""
        for c, config in enumerate(self.configs):
            for point in range(config.points):
                rng = np.random.default_rng([seed % 2**32, c, point])
                outcome = self._point(config, rng, ctx, left, right, relation)
                if outcome is None:
                    continue
                status, detail = outcome
                exact = detail["arithmetic"] == "exact rational"
                if status == "unclear":
                    unclear = unclear or detail.get("why", "a gap of the order of rounding")
                elif relation == "!=" and status == "differ":
                    return OperatorResult(True, f"the sides differ on random arrays ({detail['arithmetic']})",
                                          self._record(config, used, ctx, detail)[0],
                                          "the two sides differ at the sizes shown")
                elif status == "differ":
                    return self._counterexample(config, used, ctx, relation, detail)
                else:
                    counts[exact] += 1
        n = counts[True] + counts[False]
        if unclear or n < 6:
            why = unclear or f"only {n} usable random points (kinks or non-finite values)"
            return OperatorResult(None, "random arrays", None, f"undecided: {why}")
        sizes = ", ".join(f"{c.shape[0]}x{c.shape[1]}" for c in self.configs)
        kind = "exactly equal" if not counts[False] else "numerically equal"
        what = kind if relation in ("=", "!=") else f"{relation} elementwise"
        method = (f"{what} at {n} random arrays ({counts[True]} exact rational, {counts[False]} float64; "
                  f"images {sizes}), not proven")
        if relation == "!=":
            return OperatorResult(False, method, None, "the two sides are equal on every random array")
        return OperatorResult(True, method, None, "holds on every random array (checked, not proven)")

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

    def _point(self, config: ArrayConfig, rng: np.random.Generator, ctx: _Ctx, left: sp.Basic, right: sp.Basic,
               relation: str) -> tuple[str, dict[str, Any]] | None:
        """Both sides at one point: ``("equal" | "differ" | "unclear", detail)``, or ``None`` (no usable point).

        An exact point falls back to float64 when a value is not rational (``\\sigma``, ``\\tanh``).
        """
        for exact in ((True, False) if config.exact else (False,)):
            cfg = ArrayConfig(config.shape, config.kernels, exact)
            for _ in range(self.tries):
                try:
                    env = self._environment(cfg, rng, ctx)
                    lv = self._eval(left, env, exact, True)
                    rv = self._eval(right, env, exact, True)
                except _Kink:
                    continue
                except _NeedsFloat:
                    break
                except (ZeroDivisionError, FloatingPointError):
                    continue
                detail: dict[str, Any] = {"arithmetic": "exact rational" if exact else "float64"}
                return self._compare(np.asarray(lv), np.asarray(rv), relation, exact, detail)
            else:
                return None
        return None

    @staticmethod
    def _compare(lv: np.ndarray, rv: np.ndarray, relation: str, exact: bool,
                 detail: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """Compare the sides: "differ" means the relation fails (for ``!=``: the sides are not equal)."""
        if lv.ndim and rv.ndim and lv.shape != rv.shape:
            detail.update(shapes=(lv.shape, rv.shape))
            return "differ", detail
        lv, rv = np.broadcast_arrays(lv, rv)
        if not exact:
            lv, rv = lv.astype(float), rv.astype(float)
            if not (np.all(np.isfinite(lv)) and np.all(np.isfinite(rv))):
                return None
        diff = lv - rv
        scale = max(1.0, float(np.max(np.abs(lv.astype(float)), initial=0.0)),
                    float(np.max(np.abs(rv.astype(float)), initial=0.0)))
        lo, hi = (0.0, 0.0) if exact else (RTOL * scale, GAP * scale)
        if relation in ("=", "!="):
            violation = np.abs(diff)  # > hi: reliably different; <= lo: equal
            bad, fine = violation > hi, violation <= lo
        else:
            violation = {"<=": diff, "<": diff, ">=": -diff, ">": -diff}[relation]  # > 0 means violated
            if relation in ("<", ">"):
                bad, fine = (violation >= 0, violation < 0) if exact else (violation > hi, violation < -hi)
            else:
                bad, fine = violation > hi, violation <= lo
        bad, fine = np.asarray(bad, dtype=bool), np.asarray(fine, dtype=bool)
        flat = np.asarray(violation, dtype=float).reshape(-1)
        at = int(np.argmax(flat)) if flat.size else 0
        where = tuple(int(i) for i in np.unravel_index(at, diff.shape)) if diff.ndim else ()
        detail.update(gap=np.abs(diff)[where], where=where, lhs=lv[where], rhs=rv[where])
        if np.any(bad):
            return "differ", detail
        if np.all(fine):
            return "equal", detail
        return "unclear", {**detail, "why": "the sides differ by more than rounding but less than a reliable gap"}

    def _record(self, config: ArrayConfig, used: set[sp.Basic], ctx: _Ctx,
                detail: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, str]]]:
        H, W = config.shape
        record: dict[str, str] = {"image": f"{H}x{W}"}
        shown: list[tuple[str, str]] = [(r"H \times W", f"{H} \\times {W}")]
        for i, w in enumerate(self.kernels):
            if w in used or w == ctx.bound:
                k = config.kernel(i)
                record[f"{w}"] = f"{k}x{k}"
                shown.append((f"k_{{{w}}}", str(k)))
        record["arithmetic"] = detail["arithmetic"]
        return record, shown

    def _counterexample(self, config: ArrayConfig, used: set[sp.Basic], ctx: _Ctx, relation: str,
                        detail: dict[str, Any]) -> OperatorResult:
        record, shown = self._record(config, used, ctx, detail)
        H, W = config.shape
        if "shapes" in detail:
            a, b = detail["shapes"]
            record["shapes"] = f"{a} vs {b}"
            return OperatorResult(False, "the sides are arrays of different shapes", record,
                                  f"at image {H}x{W} the left side has shape {a}, the right side {b}",
                                  counterexample_latex=tuple(shown))
        lhs, rhs = _fmt(detail["lhs"]), _fmt(detail["rhs"])
        record.update(entry=str(list(detail["where"])), lhs=lhs, rhs=rhs)
        if relation == "=":
            record["max |lhs - rhs|"] = _fmt(detail["gap"])
            shown.append((r"\max|\mathrm{lhs} - \mathrm{rhs}|", _fmt_latex(detail["gap"])))
        else:
            shown.append((r"\mathrm{lhs} - \mathrm{rhs}", _fmt_latex(detail["lhs"] - detail["rhs"])))
        return OperatorResult(
            False, f"counterexample on random arrays ({detail['arithmetic']})", record,
            f"the claim fails at image {H}x{W}, entry {list(detail['where'])}: lhs = {lhs}, rhs = {rhs}",
            lhs, rhs, tuple(shown))
