"""Array-valued leaves and the base class of array operators.

An array expression is an ordinary SymPy tree whose atoms include :class:`Array` leaves. SymPy's own
``Add``, ``Mul`` and ``Pow`` act elementwise on arrays of one shape (a shape-``()`` array or a number
broadcasts), and any scalar ``Function`` applied to an array (``ReLU(h)``, ``tanh(h)``, ``Sigmoid(h)``)
is applied elementwise, so a new activation is one ``Function`` subclass with an ``fdiff``. Operators that
mix entries (convolution, pooling, normalisation, losses) are :class:`ArrayOp` subclasses: one class
carries the shape rule, the vector–Jacobian product, the evaluation and the printing hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import sympy as sp

from derive.errors import ShapeError, UnsupportedError

__all__ = ["Array", "ArrayOp", "Cotangent", "Shape", "is_array_valued", "numel", "same_shape", "shape_of",
           "size_symbol"]

Shape = tuple[sp.Expr, ...]

KINDS = ("input", "param", "target", "node", "cotangent")


def size_symbol(name: str) -> sp.Symbol:
    """The symbol of a size written as a letter (a positive integer).

    Examples
    --------
    >>> size_symbol("H").is_positive, size_symbol("H").is_integer
    (True, True)
    """
    return sp.Symbol(name, positive=True, integer=True)


def _size(value: Any) -> sp.Expr:
    if isinstance(value, bool):
        raise ShapeError(f"a size must be a positive integer or a size symbol, got {value!r}")
    if isinstance(value, int):
        if value < 1:
            raise ShapeError(f"a size must be positive, got {value}")
        return sp.Integer(value)
    if isinstance(value, sp.Expr) and value.is_integer and value.is_positive is not False:
        return value  # positive, or undecidable over letters (a strided size): checked when the letters bind
    raise ShapeError(f"a size must be a positive integer or a size symbol, got {value!r}")


class Array(sp.Symbol):
    """An array-valued symbol with a shape (concrete, symbolic or mixed) and a role in the graph.

    ``kind`` is ``"input"``, ``"param"``, ``"target"`` (no gradient is taken), ``"node"`` (a named
    intermediate) or ``"cotangent"``.

    Examples
    --------
    >>> x = Array("x", (3, size_symbol("H"), size_symbol("H")))
    >>> x.shape
    (3, H, H)
    >>> x == Array("x", (3, size_symbol("H"), size_symbol("H"))), x == Array("x", (3, 2, 2))
    (True, False)
    """

    _shape: Shape
    _kind: str

    def __new__(cls, name: str, shape: Sequence[Any], kind: str = "input") -> Array:
        if kind not in KINDS:
            raise UnsupportedError(f"unknown array kind {kind!r}; expected one of {', '.join(KINDS)}")
        obj = super().__xnew__(cls, name)  # type: ignore[misc]
        obj._shape = tuple(_size(s) for s in shape)
        obj._kind = kind
        return obj  # type: ignore[no-any-return]

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.name, self._shape, self._kind)

    def _hashable_content(self) -> tuple[Any, ...]:
        return (*super()._hashable_content(), self._shape, self._kind)

    @property
    def shape(self) -> Shape:
        """The shape, a tuple of SymPy integers or size symbols."""
        return self._shape

    @property
    def kind(self) -> str:
        """The role of the leaf: input, param, target, node or cotangent."""
        return self._kind

    def _latex(self, printer: Any) -> str:
        return str(printer._print(sp.Symbol(self.name)))


class Cotangent(Array):
    r"""The cotangent :math:`\bar v = \partial L/\partial v` of a named array ``v``, printed ``\delta_{v}``.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Cotangent(Array("h1", (2, 2), "node")))
    '\\delta_{h_{1}}'
    """

    def __new__(cls, of: Array) -> Cotangent:  # type: ignore[override]
        obj = super().__new__(cls, f"delta_{of.name}", of.shape, "cotangent")
        obj._of = of  # type: ignore[attr-defined]
        return obj  # type: ignore[return-value]

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.of,)

    @property
    def of(self) -> Array:
        """The array whose cotangent this is."""
        return self._of  # type: ignore[attr-defined, no-any-return]

    def _latex(self, printer: Any) -> str:
        return f"\\delta_{{{printer._print(self.of)}}}"


class ArrayOp(sp.Function):
    """Base of the operators that mix entries. Subclasses set ``n_arrays`` and implement the hooks.

    The first ``n_arrays`` arguments are arrays; the rest are static parameters (SymPy integers, tuples
    or rationals). ``vjp(argindex, cotangent)`` is 1-based like ``fdiff``.
    """

    #: How many leading arguments are arrays.
    n_arrays: ClassVar[int] = 1
    #: The name of the VJP lemma (in :mod:`derive.verify.lemmas`) that covers this operator.
    lemma: ClassVar[str] = ""
    #: True when the LaTeX form is infix (``x \\ast w``), so a tighter operator must bracket it.
    infix: ClassVar[bool] = False

    @property
    def arrays(self) -> tuple[sp.Expr, ...]:
        """The array operands."""
        return tuple(self.args[: self.n_arrays])

    @property
    def params(self) -> tuple[sp.Basic, ...]:
        """The static parameters."""
        return tuple(self.args[self.n_arrays:])

    @property
    def shape(self) -> Shape:
        """The result's shape, from the operands' shapes."""
        return self.shape_rule(*(shape_of(a) for a in self.arrays))

    def shape_rule(self, *shapes: Shape) -> Shape:  # pragma: no cover - abstract
        raise NotImplementedError

    def vjp(self, argindex: int, cotangent: sp.Expr) -> sp.Expr:
        """The vector–Jacobian product with respect to operand ``argindex`` (1-based)."""
        raise UnsupportedError(f"{type(self).__name__} has no vector-Jacobian product for argument {argindex}")

    def evaluate(self, arith: Any, *values: Any) -> Any:  # pragma: no cover - abstract
        """Evaluate on arrays ``values`` in the arithmetic ``arith`` (float or exact)."""
        raise NotImplementedError

    def kernel_call(self) -> tuple[str, dict[str, Any]]:  # pragma: no cover - abstract
        """The kernel's name in :mod:`derive.model.kernels` and its static keyword arguments."""
        raise NotImplementedError

    def _eval_is_commutative(self) -> bool:
        return True

    def _sympystr(self, printer: Any) -> str:
        """Text form: the operator's snake-case name, its arrays, then its static settings."""
        import re

        name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower().replace("2_d", "2d")
        arrays = ", ".join(printer._print(a) for a in self.arrays)
        params = ", ".join(printer._print(p) for p in self.params)
        return f"{name}({arrays}{'; ' + params if params else ''})"

    def _operand(self, printer: Any, arg: sp.Basic) -> str:
        text = str(printer._print(arg))
        return text if isinstance(arg, (sp.Symbol, sp.Function)) else f"\\left({text}\\right)"


def _integer(value: sp.Basic) -> int:
    return int(value)  # type: ignore[call-overload]


def is_array_valued(expr: sp.Basic) -> bool:
    """True when ``expr`` contains an :class:`Array` (so it denotes an array, possibly of shape ``()``).

    Examples
    --------
    >>> is_array_valued(2 * Array("x", (2,))), is_array_valued(sp.Integer(2))
    (True, False)
    """
    return any(isinstance(a, Array) for a in expr.atoms(Array)) if isinstance(expr, sp.Basic) else False


def same_shape(a: Shape, b: Shape) -> bool:
    """True when two shapes are provably equal, entry by entry.

    Examples
    --------
    >>> H = size_symbol("H")
    >>> same_shape((H + 2 - 2,), (H,)), same_shape((H,), (3,))
    (True, False)
    """
    return len(a) == len(b) and all(sp.simplify(x - y) == 0 for x, y in zip(a, b))


def _broadcast(shapes: list[Shape], where: sp.Basic) -> Shape:
    full = [s for s in shapes if s != ()]
    if not full:
        return ()
    first = full[0]
    for other in full[1:]:
        if not same_shape(first, other):
            raise ShapeError(f"elementwise operands of shapes {first} and {other} in {where}; only a scalar "
                             "broadcasts", shape=tuple(other))  # type: ignore[arg-type]
    return first


def shape_of(expr: sp.Basic) -> Shape:
    """The shape of an array expression (``()`` for a scalar).

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> x = Array("x", (2, 3))
    >>> shape_of(ReLU(2 * x + 1)), shape_of(sp.Integer(3))
    ((2, 3), ())
    """
    if isinstance(expr, Array):
        return expr.shape
    if isinstance(expr, ArrayOp):
        return expr.shape
    if not isinstance(expr, sp.Basic) or not expr.args or not is_array_valued(expr):
        return ()
    if isinstance(expr, (sp.Add, sp.Mul, sp.Pow)) or isinstance(expr, sp.Function):
        return _broadcast([shape_of(a) for a in expr.args], expr)
    raise UnsupportedError(f"{type(expr).__name__} is not an array operation")


def numel(shape: Shape) -> sp.Expr:
    """The number of entries of a shape.

    Examples
    --------
    >>> numel((2, size_symbol("H")))
    2*H
    """
    return sp.Mul(*shape) if shape else sp.Integer(1)
