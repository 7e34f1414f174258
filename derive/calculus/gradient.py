"""``derive.grad``: the derived gradient of a block a user writes, with its closed forms, values and checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from derive.calculus.reverse import backward
from derive.errors import ShapeError
from derive.model.array import Array, ArrayOp, Cotangent, shape_of
from derive.model.layers import OPERATORS
from derive.model.spec import Spec, parse_spec
from derive.numeric.evaluate import EXACT, FLOAT, Arithmetic, bind_sizes, evaluate

__all__ = ["Gradient", "grad"]


@dataclass(frozen=True)
class Gradient:
    """The derived gradient of ⟨upstream, output⟩ for every ``input`` and ``param`` of a block.

    ``chain`` holds each named array's cotangent in terms of its consumers' cotangents (the derivation);
    ``closed_forms`` the gradient of each leaf in the leaves and the upstream cotangent alone.
    """

    spec: Spec

    @property
    def output(self) -> Array:
        """The block's output."""
        assert self.spec.output is not None
        return self.spec.output

    @property
    def upstream(self) -> Cotangent:
        """The cotangent of the output, the ``upstream`` array of :meth:`evaluate`."""
        return Cotangent(self.output)

    @property
    def wrt(self) -> list[Array]:
        """The leaves whose gradient is taken: every input and param (targets are data)."""
        return [leaf for leaf in self.spec.leaves.values() if leaf.kind in ("input", "param")]

    @cached_property
    def chain(self) -> dict[Array, sp.Expr]:
        """Reverse mode over the named arrays: each cotangent from its consumers' cotangents."""
        return backward(self.spec.definitions, self.spec.order, self.output, self.wrt)

    def derivation(self) -> list[tuple[Cotangent, sp.Expr]]:
        """The reverse-mode lines in order: each cotangent from the ones before it, by name where it recurs.

        A term of a later line that is an earlier line's whole right side is written as that line's name
        (``δ_x = δ_{h₂} + …`` rather than repeating ``δ_{h₂}``'s expression).

        Examples
        --------
        >>> g = grad("x = input(2)\\nh = relu(x)\\ny = relu(h + x)\\noutput y")
        >>> for name, form in g.derivation():
        ...     print(name, "=", form)
        delta_h = delta_y*Indicator(h + x)
        delta_x = delta_h*Indicator(x) + delta_h
        """
        order = [n for n in reversed(self.spec.order) if n in self.chain and n != self.output] + self.wrt
        lines: list[tuple[Cotangent, sp.Expr]] = []
        named: dict[sp.Basic, Cotangent] = {}
        for n in order:
            form = self.chain[n].xreplace(named) if named else self.chain[n]
            lines.append((Cotangent(n), form))
            if not isinstance(self.chain[n], (Array, Cotangent)):
                named[self.chain[n]] = Cotangent(n)
        return lines

    @cached_property
    def closed_forms(self) -> dict[str, sp.Expr]:
        """The gradient of each leaf, in terms of the leaves and the output's cotangent only.

        Examples
        --------
        >>> g = grad("x = input(3)\\ny = sum(x * x)\\noutput y")
        >>> g.closed_forms["x"]
        2*x*broadcast(delta_y; (3,))
        """
        forward: dict[sp.Basic, sp.Expr] = {}
        for node in self.spec.order:
            forward[node] = self.spec.definitions[node].xreplace(forward)
        cotangents: dict[sp.Basic, sp.Expr] = {self.upstream: self.upstream}
        for node in reversed(self.spec.order):
            if node in self.chain and node != self.output:
                cotangents[Cotangent(node)] = self.chain[node].xreplace(cotangents).xreplace(forward)
        return {leaf.name: self.chain[leaf].xreplace(cotangents).xreplace(forward) for leaf in self.wrt}

    def _leaf_arrays(self, arrays: Mapping[str, Any], upstream: Any, arith: Arithmetic) -> dict[Array, Any]:
        given: dict[Array, Any] = {}
        leaves = self.spec.leaves
        for name in arrays:
            if name not in leaves:
                raise ShapeError(f"{name!r} is not a leaf of the block (leaves: {', '.join(leaves)})", name=name)
        for name, leaf in leaves.items():
            if name not in arrays:
                raise ShapeError(f"no array given for {name}", name=name)
            given[leaf] = arrays[name]
        if upstream is None:
            if shape_of(self.output) != ():
                raise ShapeError(f"the output {self.output.name} has shape {shape_of(self.output)}: give an "
                                 "upstream array of that shape", name="upstream")
            upstream = 1
        cot = Array(self.upstream.name, shape_of(self.output), "cotangent")
        given[cot] = upstream
        self._check_node_sizes(given)
        return given

    def _check_node_sizes(self, given: Mapping[Array, Any]) -> None:
        """Refuse arrays whose sizes make a computed array empty (a strided size over letters, say)."""
        bound = bind_sizes({leaf: value for leaf, value in given.items() if leaf.kind != "cotangent"})
        sizes = {letter: sp.Integer(value) for letter, value in bound.items()}
        if not sizes:
            return
        for node, definition in self.spec.definitions.items():
            for part in sp.preorder_traversal(definition):
                if not isinstance(part, ArrayOp):
                    continue
                for axis, size in enumerate(shape_of(part)):
                    value = size.xreplace(sizes)
                    if value.is_Integer and value < 1:
                        letters = ", ".join(f"{k} = {v}" for k, v in sorted(sizes.items(), key=lambda kv: str(kv[0])))
                        raise ShapeError(f"in {node.name}, {type(part).__name__} would have size {value} along "
                                         f"axis {axis} ({size}) with {letters}", name=node.name)

    def evaluate(self, arrays: Mapping[str, Any], upstream: Any = None, *, exact: bool = False) -> dict[str, Any]:
        """The gradient at concrete arrays, computed from the closed forms (float64, or exact).

        Examples
        --------
        >>> g = grad("x = input(3)\\ny = sum(x * x)\\noutput y")
        >>> g.evaluate({"x": [1.0, 2.0, 3.0]})["x"].tolist()
        [2.0, 4.0, 6.0]
        """
        arith = EXACT if exact else FLOAT
        given = self._leaf_arrays(arrays, upstream, arith)
        forms = [self._concrete(f) for f in self.closed_forms.values()]
        values = evaluate(forms, given, arith)
        shapes = {leaf.name: np.shape(given[leaf]) for leaf in self.wrt}
        return {name: np.array(np.broadcast_to(v, shapes[name])) for name, v in zip(self.closed_forms, values)}

    def forward(self, arrays: Mapping[str, Any], *, exact: bool = False) -> Any:
        """The output at concrete arrays.

        Examples
        --------
        >>> grad("x = input(2)\\ny = mean(x)\\noutput y").forward({"x": [1.0, 2.0]}).tolist()
        1.5
        """
        arith = EXACT if exact else FLOAT
        given = {leaf: arrays[name] for name, leaf in self.spec.leaves.items() if name in arrays}
        missing = set(self.spec.leaves) - set(arrays)
        if missing:
            raise ShapeError(f"no array given for {', '.join(sorted(missing))}")
        expr = self.spec.definitions[self.output]
        for node in reversed(self.spec.order):
            expr = expr.xreplace({node: self.spec.definitions[node]})
        return evaluate([expr], given, arith)[0]

    def _concrete(self, form: sp.Expr) -> sp.Expr:
        # The output's cotangent is an input of the evaluation: a plain Array of the output's shape.
        return form.xreplace({self.upstream: Array(self.upstream.name, shape_of(self.output), "cotangent")})

    def latex(self) -> str:
        """A derivation document: the block, each cotangent with its lemmas, and the closed forms."""
        from derive.document.derivation import derivation_document

        return derivation_document(self)

    def numpy_source(self) -> str:
        """A standalone NumPy module that computes the gradients from the closed forms."""
        from derive.printing.numpy_module import numpy_source

        return numpy_source(self)


def grad(spec: str) -> Gradient:
    """Derive the gradient of a block written as text (see :mod:`derive.model.spec` for the syntax).

    Examples
    --------
    >>> g = grad('''
    ... x  = input(3, 8, 8)
    ... w1 = param(4, 3, 3, 3)
    ... w2 = param(3, 4, 3, 3)
    ... h1 = conv2d(x, w1, padding=1)
    ... z1 = relu(h1)
    ... h2 = conv2d(z1, w2, padding=1)
    ... y  = relu(h2 + x)
    ... output y
    ... ''')
    >>> sorted(g.closed_forms)
    ['w1', 'w2', 'x']
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> arrays = {"x": rng.normal(size=(3, 8, 8)), "w1": rng.normal(size=(4, 3, 3, 3)),
    ...           "w2": rng.normal(size=(3, 4, 3, 3))}
    >>> g.evaluate(arrays, upstream=np.ones((3, 8, 8)))["w1"].shape
    (4, 3, 3, 3)
    """
    return Gradient(parse_spec(spec, OPERATORS))
