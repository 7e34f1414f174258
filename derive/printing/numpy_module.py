"""A standalone NumPy module generated from a block's closed forms: the kernels' source and one function.

The generated code names its values ``v0, v1, ...`` and reads the arrays by key; no name a user wrote
becomes an identifier. Shared subexpressions are computed once, in dependency order.
"""

from __future__ import annotations

import inspect
from typing import Any

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from derive.calculus.gradient import Gradient
from derive.errors import UnsupportedError
from derive.model import kernels
from derive.model.array import Array, ArrayOp

__all__ = ["numpy_source"]


class _Printer(NumPyPrinter):
    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return expr.name


def _order(roots: list[sp.Basic]) -> list[sp.Basic]:
    order: list[sp.Basic] = []
    seen: set[sp.Basic] = set()
    stack: list[tuple[sp.Basic, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen or node.is_Number:
            continue
        seen.add(node)
        stack.append((node, True))
        children = node.arrays if isinstance(node, ArrayOp) else node.args
        stack.extend((c, False) for c in reversed(children) if isinstance(c, sp.Basic) and not c.is_Number)
    return order


def _static(value: Any, printer: NumPyPrinter, names: dict[sp.Basic, str]) -> str:
    """A static argument as code: numbers as literals, symbolic sizes from the arrays' shapes."""
    if isinstance(value, tuple):
        items = [_static(v, printer, names) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, sp.Basic) and not value.is_Number:
        stand_ins = {s: sp.Symbol(names[s]) for s in value.free_symbols if s in names}
        if set(value.free_symbols) - set(stand_ins):
            raise UnsupportedError(f"a size {value} that the arrays do not fix")
        return f"int({printer.doprint(value.xreplace(stand_ins))})"
    return repr(int(value) if isinstance(value, sp.Integer) else float(value) if isinstance(value, sp.Basic) else value)


def numpy_source(g: Gradient) -> str:
    """The text of a module with ``gradients(arrays, upstream=None) -> dict`` computed from the closed forms.

    Examples
    --------
    >>> from derive.calculus.gradient import grad
    >>> source = numpy_source(grad("x = input(3)\\ny = sum(relu(x) * x)\\noutput y"))
    >>> namespace = {}
    >>> exec(compile(source, "generated", "exec"), namespace)
    >>> namespace["gradients"]({"x": [-1.0, 2.0, 3.0]})["x"].tolist()
    [0.0, 4.0, 6.0]
    """
    forms = {name: g._concrete(f) for name, f in g.closed_forms.items()}
    names: dict[sp.Basic, str] = {}
    printer = _Printer({"fully_qualified_modules": True, "allow_unknown_functions": False})
    body: list[str] = []
    leaves = {leaf: leaf.name for leaf in g.spec.leaves.values()}
    cot = Array(g.upstream.name, g.upstream.shape, "cotangent")
    sizes = sorted({s for leaf in g.spec.leaves.values() for s in leaf.shape if isinstance(s, sp.Symbol)}, key=str)
    for i, (leaf, key) in enumerate(leaves.items()):
        names[leaf] = f"a{i}"
        body.append(f"    a{i} = numpy.asarray(arrays[{key!r}], dtype=numpy.float64)")
    names[cot] = "upstream"
    for j, s in enumerate(sizes):
        names[s] = f"n{j}"
        found = next(((lf, k) for lf in leaves for k, d in enumerate(lf.shape) if d == s), None)
        if found is None:
            raise UnsupportedError(f"the size {s} is not the size of an axis of a leaf")
        body.append(f"    n{j} = {names[found[0]]}.shape[{found[1]}]")
    count = 0
    for node in _order(list(forms.values())):
        if node in names:
            continue
        if isinstance(node, ArrayOp):
            kernel, static = node.kernel_call()
            args = ", ".join(names[a] for a in node.arrays)
            extra = "".join(f", {k}={_static(v, printer, names)}" for k, v in static.items())
            if "ops" in inspect.signature(getattr(kernels, kernel)).parameters:
                extra += ", ops=FLOAT"
            code = f"{kernel}({args}{extra})"
        elif isinstance(node, sp.Symbol) and not isinstance(node, Array):
            raise UnsupportedError(f"a free symbol {node} in a closed form")
        else:
            stand_ins = {c: sp.Symbol(names[c]) for c in node.args if c in names}
            code = printer.doprint(node.func(*(stand_ins.get(c, c) for c in node.args)))
        names[node] = f"v{count}"
        body.append(f"    v{count} = {code}")
        count += 1
    position = {leaf.name: f"a{i}" for i, leaf in enumerate(leaves)}
    def value(f: sp.Basic) -> str:
        return names[f] if f in names else repr(float(f))  # type: ignore[arg-type]

    result = ", ".join(f"{name!r}: numpy.array(numpy.broadcast_to({value(f)}, {position[name]}.shape), "
                       "dtype=numpy.float64)" for name, f in forms.items())
    scalar = g.upstream.shape == ()
    source = inspect.getsource(kernels)
    kernel_source = source[source.index("from __future__"):]
    head = ['"""Gradients of a block, generated by derive from its derived closed forms. Do not edit."""', ""]
    function = [
        "",
        "",
        "def gradients(arrays, upstream=None):",
        '    """The gradient of <upstream, output> for every input and param, by name."""',
        "    if upstream is None:",
        "        upstream = 1.0" if scalar else '        raise ValueError("the output is an array: give upstream")',
        "    upstream = numpy.asarray(upstream, dtype=numpy.float64)",
        *body,
        f"    return {{{result}}}",
        "",
    ]
    return "\n".join(head) + kernel_source.replace("import numpy as np\n", "import numpy\nimport numpy as np\n", 1) \
        + "\n".join(function)


_ = Any
