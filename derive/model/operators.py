"""Array-level operators of convolutional layers (∗, flip, ⊙, ReLU, masks), each with its vector–Jacobian rule.

The operators are SymPy ``Function`` subclasses whose arguments are array-valued symbols. They stay
unevaluated on symbols (operator-level formulas such as ``z ∗ flip(w)``) and evaluate elementwise as soon as
their arguments are explicit matrices, so replacing every array symbol by a matrix of ``Indexed`` elements
(``xreplace``) turns an operator formula into its elementwise expansion. :func:`evaluate_numpy` evaluates the
same trees in float64.

Conventions: ``x ∗ w`` is the size-preserving (zero-padded, stride 1) cross-correlation with an odd kernel,
``(x ∗ w)[i, j] = Σ_ab w[a, b] x[i + a - p, j + b - p]`` with ``p = (k - 1)/2`` and ``x`` zero outside its
support; ``x ⋆_k g`` is the correlation whose output has the kernel's size ``k × k``,
``(x ⋆_k g)[a, b] = Σ_ij g[i, j] x[i + a - p, j + b - p]``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices import MatrixBase

from derive.errors import ShapeError, UnsupportedError
from derive.model.activations import Indicator, ReLU
from derive.model.windows import Window, correlate

__all__ = [
    "Adjoint", "ArrayReLU", "Correlate", "Flip", "Hadamard", "KernelCorrelate", "Mask", "VJP_RULES",
    "correlate_array", "evaluate_exact", "evaluate_numpy", "flip_array", "is_matrix",
    "kernel_correlate_array", "vjp",
]


def is_matrix(value: Any) -> bool:
    """True for an explicit SymPy matrix (the elementwise form of an array).

    Examples
    --------
    >>> is_matrix(sp.ImmutableMatrix([[1]])), is_matrix(sp.Symbol("x"))
    (True, False)
    """
    return isinstance(value, MatrixBase)


def _imm(m: sp.Matrix) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(m)


def _kernel_size(w: MatrixBase) -> int:
    if w.rows != w.cols or w.rows % 2 == 0:
        raise ShapeError(f"kernels must be square with odd size, got {w.rows}x{w.cols}", name="kernel",
                         shape=(w.rows, w.cols))
    return int(w.rows)


class _ArrayOp(sp.Function):
    """Base of the array operators: printing helpers shared by the subclasses."""

    def _derive_latex(self, printer: Any) -> str:
        return self._latex(printer)

    @staticmethod
    def _operand(printer: Any, arg: sp.Basic) -> str:
        text = printer._print(arg)
        atomic = isinstance(arg, (sp.Symbol, Flip, Adjoint, Mask, ArrayReLU, sp.Indexed))
        return text if atomic else f"\\left({text}\\right)"


class Correlate(_ArrayOp):
    r"""Size-preserving cross-correlation ``x ∗ w`` (odd kernel, zero padding ``(k-1)/2``, stride 1).

    Vector–Jacobian rules: ``∂/∂x ⟨g, x ∗ w⟩ = g ∗ flip(w)`` and ``∂/∂w ⟨g, x ∗ w⟩ = x ⋆_k g``.

    Examples
    --------
    >>> x, w = sp.symbols("x w")
    >>> from derive.printing.latex import latex
    >>> latex(Correlate(x, w))
    'x \\ast w'
    >>> Correlate(sp.ImmutableMatrix([[1, 2, 3]]), sp.ImmutableMatrix([[0, 0, 0], [0, 1, 1], [0, 0, 0]]))
    Matrix([[3, 5, 3]])
    """

    nargs = 2

    @classmethod
    def eval(cls, x: sp.Basic, w: sp.Basic) -> sp.Basic | None:
        if is_matrix(x) and is_matrix(w):
            k = _kernel_size(w)
            return _imm(correlate(sp.Matrix(x), sp.Matrix(w), Window.same(k)))
        return None

    def _latex(self, printer: Any) -> str:
        return f"{self._operand(printer, self.args[0])} \\ast {self._operand(printer, self.args[1])}"


class KernelCorrelate(_ArrayOp):
    r"""Correlation ``x ⋆_k g`` whose output has the kernel size ``k × k``: the gradient of a kernel.

    ``(x ⋆_k g)[a, b] = Σ_ij g[i, j] x[i + a - p, j + b - p]``, ``p = (k - 1)/2``.

    Examples
    --------
    >>> x, g, k = sp.symbols("x g k")
    >>> from derive.printing.latex import latex
    >>> latex(KernelCorrelate(x, g, k))
    'x \\star_{k} g'
    >>> KernelCorrelate(sp.ImmutableMatrix([[1, 2]]), sp.ImmutableMatrix([[1, 1]]), 1)
    Matrix([[3]])
    """

    nargs = 3

    @classmethod
    def eval(cls, x: sp.Basic, g: sp.Basic, k: sp.Basic) -> sp.Basic | None:
        if is_matrix(x) and is_matrix(g) and isinstance(k, sp.Integer):
            if int(k) % 2 == 0 or int(k) < 1:
                raise ShapeError(f"kernel size must be odd and positive, got {k}", name="kernel")
            if x.shape != g.shape:
                raise ShapeError(f"input {x.shape} and gradient {g.shape} must have the same shape", name="g",
                                 shape=g.shape)
            p = (int(k) - 1) // 2
            return _imm(correlate(sp.Matrix(x), sp.Matrix(g), Window.of(g.shape, padding=p)))
        return None

    def _latex(self, printer: Any) -> str:
        x, g, k = self.args
        return f"{self._operand(printer, x)} \\star_{{{printer._print(k)}}} {self._operand(printer, g)}"


class Flip(_ArrayOp):
    r"""The kernel rotated by 180°: ``flip(w)[a, b] = w[k-1-a, k-1-b]``.

    Examples
    --------
    >>> Flip(sp.ImmutableMatrix([[1, 2], [3, 4]]))
    Matrix([
    [4, 3],
    [2, 1]])
    >>> Flip(Flip(sp.Symbol("w")))
    w
    """

    nargs = 1

    @classmethod
    def eval(cls, w: sp.Basic) -> sp.Basic | None:
        if is_matrix(w):
            return _imm(sp.Matrix(w)[::-1, ::-1])
        if isinstance(w, Flip):
            return w.args[0]
        return None

    def _latex(self, printer: Any) -> str:
        return f"\\operatorname{{flip}}\\left({printer._print(self.args[0])}\\right)"


class Hadamard(_ArrayOp):
    r"""Elementwise product ``a ⊙ b``.

    Examples
    --------
    >>> Hadamard(sp.ImmutableMatrix([[1, 2]]), sp.ImmutableMatrix([[3, 4]]))
    Matrix([[3, 8]])
    >>> from derive.printing.latex import latex
    >>> latex(Hadamard(*sp.symbols("a b")))
    'a \\odot b'
    """

    nargs = 2

    @classmethod
    def eval(cls, a: sp.Basic, b: sp.Basic) -> sp.Basic | None:
        if is_matrix(a) and is_matrix(b):
            if a.shape != b.shape:
                raise ShapeError(f"Hadamard product of shapes {a.shape} and {b.shape}", shape=b.shape)
            return _imm(sp.Matrix(a).multiply_elementwise(sp.Matrix(b)))
        return None

    def _latex(self, printer: Any) -> str:
        return f"{self._operand(printer, self.args[0])} \\odot {self._operand(printer, self.args[1])}"


class Mask(_ArrayOp):
    r"""The array mask ``[h > 0]`` (elementwise :class:`~derive.model.activations.Indicator`, 0 at the kink).

    Examples
    --------
    >>> Mask(sp.ImmutableMatrix([[2, 0, -1]]))
    Matrix([[1, 0, 0]])
    >>> from derive.printing.latex import latex
    >>> latex(Mask(sp.Symbol("h")))
    '\\left[h > 0\\right]'
    """

    nargs = 1

    @classmethod
    def eval(cls, h: sp.Basic) -> sp.Basic | None:
        if is_matrix(h):
            return _imm(sp.Matrix(h).applyfunc(Indicator))
        return None

    def _latex(self, printer: Any) -> str:
        return f"\\left[{printer._print(self.args[0])} > 0\\right]"


class ArrayReLU(_ArrayOp):
    r"""Elementwise rectifier of an array; its rule is ``∂/∂h ⟨g, ReLU(h)⟩ = g ⊙ [h > 0]``.

    Examples
    --------
    >>> ArrayReLU(sp.ImmutableMatrix([[2, -1]]))
    Matrix([[2, 0]])
    """

    nargs = 1

    @classmethod
    def eval(cls, h: sp.Basic) -> sp.Basic | None:
        if is_matrix(h):
            return _imm(sp.Matrix(h).applyfunc(ReLU))
        return None

    def _latex(self, printer: Any) -> str:
        return f"\\operatorname{{ReLU}}\\left({printer._print(self.args[0])}\\right)"


class Adjoint(_ArrayOp):
    r"""The gradient ``∂L/∂a`` of the scalar loss with respect to the array ``a`` (a name, never evaluated).

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Adjoint(sp.Symbol("y")))
    '\\frac{\\partial L}{\\partial y}'
    """

    nargs = 1

    def _latex(self, printer: Any) -> str:
        return f"\\frac{{\\partial L}}{{\\partial {printer._print(self.args[0])}}}"


#: A rule ``(node, argument index, upstream gradient) -> gradient of that argument``.
Rule = Callable[[sp.Basic, int, sp.Basic], sp.Basic]


def _correlate_rule(node: sp.Basic, index: int, g: sp.Basic) -> sp.Basic:
    x, w = node.args
    return Correlate(g, Flip(w)) if index == 0 else KernelCorrelate(x, g, _size_of(w))


def _relu_rule(node: sp.Basic, index: int, g: sp.Basic) -> sp.Basic:
    return Hadamard(g, Mask(node.args[0]))


def _add_rule(node: sp.Basic, index: int, g: sp.Basic) -> sp.Basic:
    return g


#: The vector–Jacobian rule of each node type (proven as lemmas in :mod:`derive.calculus.backprop`).
VJP_RULES: dict[type, Rule] = {Correlate: _correlate_rule, ArrayReLU: _relu_rule, sp.Add: _add_rule}

def kernel_size_symbol(w: sp.Basic) -> sp.Symbol:
    """The size symbol ``k_w`` of a kernel symbol, positive and odd by convention.

    Examples
    --------
    >>> kernel_size_symbol(sp.Symbol("w^{(2)}"))
    k_{w^{(2)}}
    """
    return sp.Symbol(f"k_{{{w}}}", integer=True, positive=True)


def _size_of(w: sp.Basic) -> sp.Basic:
    return kernel_size_symbol(w)


def vjp(node: sp.Basic, index: int, g: sp.Basic) -> sp.Basic:
    """The gradient flowing to argument ``index`` of ``node`` from the upstream gradient ``g``.

    Examples
    --------
    >>> x, w, g = sp.symbols("x w g")
    >>> vjp(Correlate(x, w), 0, g)
    Correlate(g, Flip(w))
    >>> vjp(ArrayReLU(x), 0, g)
    Hadamard(g, Mask(x))
    """
    rule = VJP_RULES.get(type(node))
    if rule is None:
        raise UnsupportedError(f"no vector-Jacobian rule for {type(node).__name__}")
    return rule(node, index, g)


def _pad(x: np.ndarray, p: int) -> np.ndarray:
    """Zero padding of the two spatial (last) axes; works for float and object (exact) arrays."""
    widths = [(0, 0)] * (x.ndim - 2) + [(p, p), (p, p)]
    return np.pad(x, widths) if x.dtype != object else np.pad(x, widths, constant_values=0)


def _check_kernel(x: np.ndarray, w: np.ndarray) -> int:
    if w.ndim not in (2, 4) or w.shape[-1] != w.shape[-2] or w.shape[-1] % 2 == 0:
        raise ShapeError(f"a size-preserving kernel must be k x k (or C_out x C_in x k x k) with odd k, "
                         f"got shape {w.shape}", name="kernel", shape=w.shape)
    if x.ndim != w.ndim - 1 + (w.ndim == 2):
        raise ShapeError(f"a {w.ndim}-D kernel needs a {2 if w.ndim == 2 else 3}-D input, got shape {x.shape}",
                         name="image", shape=x.shape)
    if w.ndim == 4 and w.shape[1] != x.shape[0]:
        raise ShapeError(f"kernel of shape {w.shape} expects {w.shape[1]} input channels, got {x.shape[0]}",
                         name="kernel", shape=w.shape)
    return int(w.shape[-1])


def correlate_array(x: Any, w: Any) -> np.ndarray:
    """``x ∗ w`` over NumPy arrays of any dtype (float64, or ``object`` for exact rationals and polynomials).

    Single channel: ``x`` is ``H×W``, ``w`` is ``k×k``. Multi-channel: ``x`` is ``C_in×H×W``, ``w`` is
    ``C_out×C_in×k×k`` and ``(x ∗ w)[o] = Σ_c x[c] ∗ w[o, c]``.

    Examples
    --------
    >>> correlate_array(np.array([[1, 2, 3]]), np.array([[0, 0, 0], [0, 1, 1], [0, 0, 0]])).tolist()
    [[3, 5, 3]]
    >>> correlate_array(np.ones((2, 1, 1)), np.ones((3, 2, 1, 1))).shape
    (3, 1, 1)
    """
    x, w = np.asarray(x), np.asarray(w)
    k = _check_kernel(x, w)
    rows, cols = x.shape[-2:]
    padded = _pad(x, (k - 1) // 2)
    dtype = object if object in (x.dtype, w.dtype) else np.result_type(x, w)
    out = np.zeros(((w.shape[0],) if w.ndim == 4 else ()) + (rows, cols), dtype=dtype)
    for a in range(k):
        for b in range(k):
            window = padded[..., a:a + rows, b:b + cols]
            out = out + (w[a, b] * window if w.ndim == 2 else np.tensordot(w[:, :, a, b], window, axes=1))
    return out


def kernel_correlate_array(x: Any, g: Any, k: int) -> np.ndarray:
    """``x ⋆_k g`` over NumPy arrays of any dtype; ``C_out×C_in×k×k`` for ``C_in×H×W`` and ``C_out×H×W``.

    Examples
    --------
    >>> kernel_correlate_array(np.array([[1, 2]]), np.array([[1, 1]]), 1).tolist()
    [[3]]
    >>> kernel_correlate_array(np.ones((2, 3, 3)), np.ones((4, 3, 3)), 3).shape
    (4, 2, 3, 3)
    """
    x, g = np.asarray(x), np.asarray(g)
    if k % 2 == 0 or k < 1:
        raise ShapeError(f"kernel size must be odd and positive, got {k}", name="kernel")
    if x.ndim not in (2, 3) or x.ndim != g.ndim or x.shape[-2:] != g.shape[-2:]:
        raise ShapeError(f"input {x.shape} and gradient {g.shape} must have the same spatial shape", name="g",
                         shape=g.shape)
    rows, cols = x.shape[-2:]
    padded = _pad(x, (k - 1) // 2)
    entries = [[(np.sum(g * padded[a:a + rows, b:b + cols]) if x.ndim == 2 else
                 np.tensordot(g, padded[:, a:a + rows, b:b + cols], axes=([1, 2], [1, 2])))
                for b in range(k)] for a in range(k)]
    out = np.array(entries, dtype=object if object in (x.dtype, g.dtype) else None)
    return out if x.ndim == 2 else np.moveaxis(out, (0, 1), (2, 3))


def flip_array(w: Any) -> np.ndarray:
    """The flipped kernel: rotated by 180°, and for ``C_out×C_in×k×k`` kernels with the channel axes swapped.

    With the swap, the input rule ``g ∗ flip(w)`` reads the same for one and for many channels.

    Examples
    --------
    >>> flip_array(np.array([[1, 2], [3, 4]])).tolist()
    [[4, 3], [2, 1]]
    >>> flip_array(np.zeros((3, 2, 1, 1))).shape
    (2, 3, 1, 1)
    """
    w = np.asarray(w)
    return w[::-1, ::-1] if w.ndim == 2 else np.swapaxes(w[:, :, ::-1, ::-1], 0, 1)


@dataclass(frozen=True)
class _ArrayEval:
    env: Mapping[sp.Basic, Any]
    exact: bool = False

    def __call__(self, expr: sp.Basic) -> Any:
        if expr in self.env:
            return self.env[expr]
        if isinstance(expr, sp.Number):
            if isinstance(expr, sp.Integer):
                return int(expr)
            if self.exact and isinstance(expr, sp.Rational):
                return sp.QQ(int(expr.p), int(expr.q))
            return float(expr)
        args = [self(a) for a in expr.args]
        if isinstance(expr, Correlate):
            return correlate_array(args[0] if self.exact else np.asarray(args[0], dtype=float),
                                   args[1] if self.exact else np.asarray(args[1], dtype=float))
        if isinstance(expr, KernelCorrelate):
            return kernel_correlate_array(args[0], args[1], int(args[2]))
        if isinstance(expr, Flip):
            return flip_array(args[0])
        if isinstance(expr, Hadamard):
            return np.asarray(args[0]) * np.asarray(args[1])
        if isinstance(expr, Mask):
            positive = np.asarray(args[0]) > 0
            return np.where(positive, 1, 0) if self.exact else positive.astype(float)
        if isinstance(expr, ArrayReLU):
            h = np.asarray(args[0])
            return np.where(h > 0, h, 0) if self.exact else np.maximum(h, 0.0)
        if isinstance(expr, sp.Add):
            shapes = sorted({np.shape(a) for a in args if np.ndim(a)})
            if len(shapes) > 1:
                raise ShapeError(f"{expr} adds arrays of shapes {' and '.join(map(str, shapes))}", shape=shapes[0])
            return sum(args[1:], args[0])
        if isinstance(expr, sp.Mul):
            out = args[0]
            for a in args[1:]:
                out = out * a
            return out
        raise UnsupportedError(f"cannot evaluate {type(expr).__name__} on arrays: {expr}")


def evaluate_numpy(expr: sp.Basic, env: Mapping[sp.Basic, Any]) -> Any:
    """Evaluate an operator tree in float64, with ``env`` giving the arrays (and sizes) of its symbols.

    Arrays are ``H×W`` with ``k×k`` kernels, or ``C×H×W`` with ``C_out×C_in×k×k`` kernels (multi-channel).

    Examples
    --------
    >>> x, w = sp.symbols("x w")
    >>> evaluate_numpy(Correlate(x, Flip(w)), {x: np.array([[1.0, 2.0, 3.0]]),
    ...                                        w: np.array([[0.0, 0, 0], [1, 0, 0], [0, 0, 0]])}).tolist()
    [[2.0, 3.0, 0.0]]
    """
    return _ArrayEval(env)(expr)


def evaluate_exact(expr: sp.Basic, env: Mapping[sp.Basic, Any]) -> Any:
    """Evaluate an operator tree exactly over ``object`` arrays (rationals ``QQ``, or polynomial-ring elements).

    Examples
    --------
    >>> x, w = sp.symbols("x w")
    >>> q = sp.QQ
    >>> xv = np.array([[q(1, 2), q(-1, 3)]], dtype=object)
    >>> out = evaluate_exact(Hadamard(Correlate(x, w), Mask(x)), {x: xv, w: np.array([[q(2)]], dtype=object)})
    >>> [str(v) for v in out.ravel()]
    ['1', '0']
    """
    return _ArrayEval(env, exact=True)(expr)
