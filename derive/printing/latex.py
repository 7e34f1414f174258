"""A LaTeX printer that knows deep-learning notation."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter


class DeriveLatexPrinter(LatexPrinter):
    r"""``LatexPrinter`` with σ, ReLU, masks ``[h > 0]`` and compact indices ``w^{(1)}_{ji}``.

    Layer superscripts come from names such as ``w^{(1)}`` (see
    :func:`derive.model.nn.layer_symbol`); indices made of single letters or
    digits are written without commas, as in textbooks.

    Examples
    --------
    >>> from sympy import IndexedBase, symbols
    >>> from derive.model.activations import Sigmoid, Indicator
    >>> j, i = symbols("j i")
    >>> latex(IndexedBase("w^{(1)}")[j, i])
    'w^{(1)}_{ji}'
    >>> latex(Sigmoid(2*j))
    '\\sigma\\left(2 j\\right)'
    >>> latex(Indicator(symbols("h")))
    '\\left[h > 0\\right]'
    >>> from sympy import I, oo, pi
    >>> latex(pi * j), latex(oo), latex(I * j)
    ('\\pi j', '\\infty', 'i j')
    """

    printmethod = "_derive_latex"

    def _print(self, expr: Any, **kwargs: Any) -> str:
        # SymPy's own objects (pi, oo, I, ...) print through their ``_latex`` hook, which the printmethod
        # above would bypass; the classes this printer formats itself keep its ``_print_<Class>``.
        own = any(f"_print_{cls.__name__}" in DeriveLatexPrinter.__dict__ for cls in type(expr).__mro__)
        if not own and not hasattr(expr, self.printmethod) and hasattr(expr, "_latex") and not isinstance(expr, type):
            return str(expr._latex(self))
        return str(super()._print(expr, **kwargs))

    def _print_Sigmoid(self, expr: sp.Expr, exp: Any = None) -> str:
        return self._function("\\sigma", expr, exp)

    def _print_ReLU(self, expr: sp.Expr, exp: Any = None) -> str:
        return self._function("\\operatorname{ReLU}", expr, exp)

    def _print_Indicator(self, expr: sp.Expr, exp: Any = None) -> str:
        body = f"\\left[{self._print(expr.args[0])} > 0\\right]"
        return f"{body}^{{{exp}}}" if exp else body

    def _function(self, name: str, expr: sp.Expr, exp: Any) -> str:
        head = f"{name}^{{{exp}}}" if exp else name
        return f"{head}\\left({self._print(expr.args[0])}\\right)"

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base.label)
        parts = [self._print(i) for i in expr.indices]
        sep = "" if all(len(p) == 1 for p in parts) else ","
        return f"{base}_{{{sep.join(parts)}}}"

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:
        return self._print(expr.label)

    def _print_Idx(self, expr: sp.Idx) -> str:
        return self._print(expr.label)

    def _print_Mul(self, expr: sp.Mul) -> str:
        from derive.model.array import Array, shape_of

        if expr.atoms(Array) and shape_of(expr) != ():
            if isinstance(expr, sp.Pow):  # SymPy prints a negative power as a Mul; elementwise, 1 / (…)
                return self._elementwise_reciprocal(expr)
            return self._hadamard(expr)
        # Textbook order: coefficients and weights first, applied functions last
        # (w_{kj} \sigma(a_j), not \sigma(a_j) w_{kj}).
        applied = [f for f in expr.args if isinstance(f, sp.Function)]
        if not applied or len(applied) == len(expr.args):
            return super()._print_Mul(expr)
        others = [f for f in expr.args if not isinstance(f, sp.Function)]
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(sp.Mul(*others, *applied, evaluate=False))
        finally:
            self._settings["order"] = saved


    def _elementwise_reciprocal(self, expr: sp.Pow) -> str:
        """An array to a negative power, ``1 / a`` entry by entry (``\\frac{1}{a^{2}}`` for ``a**-2``)."""
        denominator = self._print(sp.Pow(expr.base, -expr.exp, evaluate=False) if expr.exp != -1 else expr.base)
        return f"\\frac{{1}}{{{denominator}}}"

    def _hadamard(self, expr: sp.Mul) -> str:
        """An elementwise product of arrays: ``c\\, a \\odot b`` (a scalar coefficient in front).

        Sums and operators printed infix (``g \\ast w``) are bracketed, since ``\\odot`` binds tighter.
        """
        from derive.model.array import ArrayOp, shape_of

        coefficient, factors = expr.as_coeff_mul()
        scalars = [f for f in factors if shape_of(f) == ()]
        arrays = [f for f in factors if shape_of(f) != ()]
        # Textbook order: masks and activations (elementwise functions) after the arrays they scale.
        arrays.sort(key=lambda f: isinstance(f, sp.Function) and not isinstance(f, ArrayOp))
        head = sp.Mul(coefficient, *scalars)
        parts = []
        for f in arrays:
            text = self._print(f)
            infix = isinstance(f, sp.Add) or (isinstance(f, ArrayOp) and f.infix)
            parts.append(f"\\left({text}\\right)" if infix else text)
        body = " \\odot ".join(parts)
        if head == 1:
            return body
        if head == -1:
            return f"-{body}"
        lead = self._print(head)
        return f"\\left({lead}\\right) {body}" if isinstance(head, sp.Add) else f"{lead} {body}"


def latex(expr: Any, **settings: Any) -> str:
    r"""Print ``expr`` with :class:`DeriveLatexPrinter`.

    Examples
    --------
    >>> from sympy import Symbol, tanh
    >>> latex(tanh(Symbol("a")))
    '\\tanh{\\left(a \\right)}'
    """
    return DeriveLatexPrinter(settings).doprint(expr)
