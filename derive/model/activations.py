"""SymPy ``Function`` subclasses for the activations and masks of neural networks."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp
from sympy.core.function import ArgumentIndexError


class Sigmoid(sp.Function):
    r"""The logistic sigmoid :math:`\sigma(a) = 1/(1 + e^{-a})`.

    Examples
    --------
    >>> from sympy import Symbol, exp
    >>> a = Symbol("a")
    >>> Sigmoid(a).diff(a)
    (1 - Sigmoid(a))*Sigmoid(a)
    >>> Sigmoid(a).rewrite(exp)
    1/(1 + exp(-a))
    >>> Sigmoid(0)
    1/2
    """

    nargs = 1

    def _latex(self, printer: Any) -> str:
        """The notation of the solution document, also for ``sympy.latex`` and notebooks."""
        return f"\\sigma\\left({printer._print(self.args[0])}\\right)"

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.S.Half
        if arg is sp.S.Infinity:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_rewrite_as_tanh(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return (1 + sp.tanh(arg / 2)) / 2

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.exp)._eval_evalf(prec)

    @classmethod
    def _derive_evaluate(cls, arith: Any, a: Any) -> Any:
        """The value in an arithmetic of :mod:`derive.verify.arithmetic`: ``1 / (1 + exp(-a))``."""
        return arith.inv(arith.add(arith.number(Fraction(1)), arith.exp(arith.neg(a))))

    def _numpycode(self, printer: Any) -> str:
        arg = printer._print(self.args[0])
        return f"{printer._module_format('numpy.exp')}(-{printer._module_format('numpy.logaddexp')}(0, -({arg})))"


class Indicator(sp.Function):
    r"""The mask :math:`[a > 0]`: 1 where ``a`` is positive, else 0 (also at 0).

    Examples
    --------
    >>> Indicator(2), Indicator(0), Indicator(-1)
    (1, 0, 0)
    >>> from sympy import Symbol, Piecewise
    >>> Indicator(Symbol("h")).rewrite(Piecewise)
    Piecewise((1, h > 0), (0, True))
    """

    nargs = 1

    def _latex(self, printer: Any) -> str:
        """The notation of the solution document, also for ``sympy.latex`` and notebooks."""
        return f"\\left[{printer._print(self.args[0])} > 0\\right]"

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_positive:
            return sp.S.One
        if arg.is_nonpositive:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sp.S.Zero  # almost everywhere; the kink is excluded by convention

    def _eval_rewrite_as_Piecewise(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((1, arg > 0), (0, True))

    @classmethod
    def _derive_evaluate(cls, arith: Any, a: Any) -> Any:
        """The value in an arithmetic: 1 where ``a > 0``, else 0 (so 0 at the kink)."""
        return arith.number(Fraction(int(arith.sign(a) > 0)))

    def _eval_is_nonnegative(self) -> bool:
        return True

    def _eval_is_integer(self) -> bool:
        return True

    def _numpycode(self, printer: Any) -> str:
        arg = printer._print(self.args[0])
        return f"{printer._module_format('numpy.greater')}({arg}, 0).astype(float)"


class ReLU(sp.Function):
    r"""The rectifier :math:`\max(0, a)` with derivative ``Indicator(a)`` (0 at the kink).

    Deep-learning frameworks take the derivative at 0 to be 0; SymPy's
    ``Max(0, a).diff(a)`` is ``Heaviside(a)``, which is 1/2 there. This class
    pins the framework convention.

    Examples
    --------
    >>> from sympy import Symbol, Max
    >>> h = Symbol("h")
    >>> ReLU(h).diff(h)
    Indicator(h)
    >>> ReLU(-3), ReLU(2)
    (0, 2)
    >>> ReLU(h).rewrite(Max)
    Max(0, h)
    """

    nargs = 1

    def _latex(self, printer: Any) -> str:
        """The notation of the solution document, also for ``sympy.latex`` and notebooks."""
        return f"\\operatorname{{ReLU}}\\left({printer._print(self.args[0])}\\right)"

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_nonnegative:
            return arg
        if arg.is_nonpositive:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return Indicator(self.args[0])

    def _eval_rewrite_as_Max(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Max(0, arg)

    def _eval_rewrite_as_Piecewise(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((arg, arg > 0), (0, True))

    def _eval_rewrite_as_Indicator(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return arg * Indicator(arg)

    @classmethod
    def _derive_evaluate(cls, arith: Any, a: Any) -> Any:
        """The value in an arithmetic: ``max(0, a)``."""
        return arith.max(arith.number(Fraction(0)), a)

    def _eval_is_nonnegative(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _numpycode(self, printer: Any) -> str:
        arg = printer._print(self.args[0])
        return f"{printer._module_format('numpy.maximum')}({arg}, 0)"


class LeakyReLU(sp.Function):
    r"""The leaky rectifier :math:`a` for :math:`a > 0`, :math:`s a` otherwise; its derivative is ``s`` at 0.

    The derivative follows PyTorch: ``1`` where ``a > 0``, the slope ``s`` elsewhere (the kink included).

    Examples
    --------
    >>> from sympy import Rational, Symbol
    >>> h = Symbol("h")
    >>> LeakyReLU(h, Rational(1, 100)).diff(h)
    99*Indicator(h)/100 + 1/100
    >>> LeakyReLU(-2, Rational(1, 10)), LeakyReLU(3, Rational(1, 10))
    (-1/5, 3)
    """

    nargs = 2

    def _latex(self, printer: Any) -> str:
        a, s = (printer._print(v) for v in self.args)
        return f"\\operatorname{{LeakyReLU}}_{{{s}}}\\left({a}\\right)"

    @classmethod
    def eval(cls, arg: sp.Expr, slope: sp.Expr) -> sp.Expr | None:
        if arg.is_positive:
            return arg
        if arg.is_nonpositive:
            return slope * arg
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex == 1:
            slope = self.args[1]
            return slope + (1 - slope) * Indicator(self.args[0])
        if argindex == 2:
            return self.args[0] * (1 - Indicator(self.args[0]))
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_Piecewise(self, arg: sp.Expr, slope: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((arg, arg > 0), (slope * arg, True))

    def _numpycode(self, printer: Any) -> str:
        a, s = (printer._print(v) for v in self.args)
        return f"{printer._module_format('numpy.where')}(({a}) > 0, {a}, ({s}) * ({a}))"


#: Functions whose argument has a kink at 0; random check points keep away from it.
KINKED: tuple[type[sp.Function], ...] = (ReLU, Indicator, LeakyReLU)
