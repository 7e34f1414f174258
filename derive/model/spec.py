"""The text of a block a user writes: a tokenizer and a recursive-descent parser, which never evaluate text.

A block is one statement per line::

    x  = input(3, 8, 8)          # a leaf: input, param or target, sizes numbers or letters
    w1 = param(4, 3, 3, 3)
    h1 = conv2d(x, w1, padding=1)
    y  = relu(h1) + 0.5 * x      # operators, +, -, elementwise *, scaling and division by numbers
    output y

Numbers are read exactly (``0.1`` is 1/10). The result is a :class:`Spec`: named leaves and nodes, each
with its line, built by the operator table of :mod:`derive.model.layers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.errors import DeriveError, ShapeError
from derive.model.array import Array, shape_of, size_symbol

__all__ = ["Spec", "SpecError", "parse_spec"]

MAX_SPEC_CHARS = 200_000
MAX_LINES = 2_000
MAX_SIZE = 1 << 20


class SpecError(ValueError, DeriveError):
    """A block's text is wrong: the message names the line and the problem."""

    def __init__(self, message: str, *, line: int = 0, problem: str = "syntax") -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.problem = problem


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>[-+*/(),=]))")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def _tokens(text: str, line: int) -> list[Token]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = text[pos:].strip()[:1]
            raise SpecError(f"unexpected character {bad!r}", line=line)
        kind = m.lastgroup or "op"
        out.append(Token(kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class Spec:
    """A parsed block: leaves and nodes by name (in the order written), the output, and each name's line."""

    leaves: dict[str, Array] = field(default_factory=dict)
    nodes: dict[str, Array] = field(default_factory=dict)
    definitions: dict[Array, sp.Expr] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    output: Array | None = None
    text: str = ""

    @property
    def order(self) -> list[Array]:
        """The nodes in a topological order (the order written, which the parser checks)."""
        return list(self.nodes.values())


Operator = Callable[[list[Any], dict[str, Any]], sp.Expr]


class _Line:
    """Recursive descent over one line's tokens."""

    def __init__(self, tokens: list[Token], line: int, names: Mapping[str, Array], later: set[str],
                 operators: Mapping[str, Operator]) -> None:
        self.tokens, self.pos, self.line = tokens, 0, line
        self.names, self.later, self.operators = names, later, operators

    def peek(self, text: str | None = None) -> Token | None:
        tok = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        if text is not None and (tok is None or tok.text != text):
            return None
        return tok

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        tok = self.peek()
        if tok is None or (text is not None and tok.text != text) or (kind is not None and tok.kind != kind):
            want = repr(text) if text else (kind or "more")
            got = repr(tok.text) if tok else "the end of the line"
            raise SpecError(f"expected {want}, found {got}", line=self.line)
        self.pos += 1
        return tok

    def done(self) -> None:
        if self.pos != len(self.tokens):
            raise SpecError(f"unexpected {self.tokens[self.pos].text!r}", line=self.line)

    def expr(self) -> Any:
        value = self.term()
        while self.peek("+") or self.peek("-"):
            op = self.take().text
            right = self.term()
            value = self.combine(op, value, right)
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.peek("*") or self.peek("/"):
            op = self.take().text
            right = self.unary()
            value = self.combine(op, value, right)
        return value

    def unary(self) -> Any:
        if self.peek("-"):
            self.take()
            return self.combine("*", sp.Integer(-1), self.unary())
        if self.peek("+"):
            self.take()
            return self.unary()
        return self.atom()

    def atom(self) -> Any:
        tok = self.take()
        if tok.kind == "number":
            return sp.Rational(tok.text)
        if tok.text == "(":
            items = [self.argument_value()]
            while self.peek(","):
                self.take(",")
                items.append(self.argument_value())
            self.take(")")
            return items[0] if len(items) == 1 else tuple(items)
        if tok.kind != "name":
            raise SpecError(f"unexpected {tok.text!r}", line=self.line)
        if self.peek("("):
            return self.call(tok.text)
        if tok.text in self.names:
            return self.names[tok.text]
        if tok.text in self.later:
            raise SpecError(f"{tok.text} is used before it is defined", line=self.line, problem="order")
        return _Word(tok.text)

    def argument_value(self) -> Any:
        return self.expr()

    def call(self, name: str) -> sp.Expr:
        if name not in self.operators:
            known = ", ".join(sorted(self.operators))
            raise SpecError(f"unknown operation {name!r} (known: {known})", line=self.line, problem="unknown")
        self.take("(")
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        while not self.peek(")"):
            head = self.peek()
            if head is not None and head.kind == "name" and self.pos + 1 < len(self.tokens) \
                    and self.tokens[self.pos + 1].text == "=":
                key = self.take().text
                self.take("=")
                if key in kwargs:
                    raise SpecError(f"{name}: {key} given twice", line=self.line)
                kwargs[key] = self.argument_value()
            else:
                if kwargs:
                    raise SpecError(f"{name}: a positional argument after a keyword", line=self.line)
                args.append(self.argument_value())
            if not self.peek(","):
                break
            self.take(",")
        self.take(")")
        for value in args:
            if isinstance(value, _Word):
                raise SpecError(f"{value} is not defined", line=self.line, problem="undefined")
        try:
            return self.operators[name](args, kwargs)
        except SpecError:
            raise
        except ShapeError as exc:
            text = str(exc)
            raise SpecShapeError(text if text.startswith(name) else f"{name}: {text}", line=self.line) from exc
        except DeriveError as exc:
            raise SpecError(f"{name}: {exc}", line=self.line, problem="arguments") from exc

    def combine(self, op: str, left: Any, right: Any) -> sp.Expr:
        for side in (left, right):
            if isinstance(side, (_Word, tuple)):
                raise SpecError(f"{side} is not an array or a number", line=self.line,
                                problem="undefined" if isinstance(side, _Word) else "syntax")
        if op == "/" and not right.is_Number:
            raise SpecError("division is only by a number", line=self.line)
        if op == "/" and right == 0:
            raise SpecError("division by zero", line=self.line)
        value = {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                 "/": lambda: left / right}[op]()
        try:
            shape_of(value)
        except ShapeError as exc:
            raise SpecShapeError(str(exc), line=self.line) from exc
        return value


class SpecShapeError(SpecError, ShapeError):
    """A block whose shapes do not fit, with the line where they meet."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        SpecError.__init__(self, message, line=line, problem="shape")
        self.name, self.shape = "", None


@dataclass(frozen=True)
class _Word:
    """A bare name that is not an array: a keyword value such as ``same``, or an undefined name."""

    text: str

    def __str__(self) -> str:
        return self.text


def _leaf(kind: str, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Array:
    if kwargs:
        raise SpecError(f"{kind}() takes sizes only, got {', '.join(kwargs)}=", line=line)
    sizes: list[Any] = []
    for a in args:
        if isinstance(a, _Word):
            sizes.append(size_symbol(a.text))
        elif isinstance(a, sp.Integer) and 1 <= int(a) <= MAX_SIZE:
            sizes.append(int(a))
        else:
            raise SpecError(f"{kind}(): a size must be a positive integer up to {MAX_SIZE} or a letter, "
                            f"got {a}", line=line, problem="shape")
    return Array(name, sizes, kind)


def parse_spec(text: str, operators: Mapping[str, Operator]) -> Spec:
    """Parse a block's text with the operator table ``operators`` (name -> builder of an expression).

    Raises
    ------
    SpecError
        With the line and the problem: syntax, an unknown operation, a name used before it is defined,
        a cycle, a shape mismatch, a missing ``output``.

    Examples
    --------
    >>> from derive.model.layers import OPERATORS
    >>> spec = parse_spec("x = input(4)\\ny = relu(x) * 2\\noutput y", OPERATORS)
    >>> spec.definitions[spec.output]
    2*ReLU(x)
    >>> parse_spec("x = input(4)\\ny = relu(z)\\noutput y", OPERATORS)
    Traceback (most recent call last):
    ...
    derive.model.spec.SpecError: line 2: z is not defined
    """
    if not isinstance(text, str):
        raise SpecError("a block is text")
    if len(text) > MAX_SPEC_CHARS:
        raise SpecError(f"a block of {len(text)} characters is longer than the {MAX_SPEC_CHARS} allowed")
    raw = text.splitlines()
    if len(raw) > MAX_LINES:
        raise SpecError(f"a block of {len(raw)} lines is longer than the {MAX_LINES} allowed")
    statements: list[tuple[int, list[Token]]] = []
    for number, line in enumerate(raw, start=1):
        body = line.split("#", 1)[0]
        if body.strip():
            statements.append((number, _tokens(body, number)))
    defined_at: dict[str, int] = {}
    for number, toks in statements:
        if len(toks) >= 2 and toks[0].kind == "name" and toks[1].text == "=":
            if toks[0].text in defined_at:
                raise SpecError(f"{toks[0].text} is defined twice (first on line {defined_at[toks[0].text]})",
                                line=number, problem="redefined")
            defined_at[toks[0].text] = number
    _refuse_cycles(statements, defined_at)
    spec = Spec(text=text)
    names: dict[str, Array] = {}
    for number, toks in statements:
        if toks[0].text == "output" and toks[0].kind == "name" and (len(toks) == 1 or toks[1].text != "="):
            if spec.output is not None:
                raise SpecError("a second output", line=number)
            if len(toks) != 2 or toks[1].kind != "name":
                raise SpecError("write 'output NAME'", line=number)
            target = toks[1].text
            if target not in names:
                raise SpecError(f"{target} is not defined", line=number, problem="undefined")
            spec.output = names[target]
            if spec.output.kind != "node":
                raise SpecError(f"the output {target} must be computed from the leaves", line=number)
            continue
        if len(toks) < 3 or toks[0].kind != "name" or toks[1].text != "=":
            raise SpecError("expected 'NAME = EXPRESSION' or 'output NAME'", line=number)
        name = toks[0].text
        if name in ("output", "input", "param", "target") or name in operators:
            raise SpecError(f"{name!r} is a reserved word", line=number)
        later = {n for n, at in defined_at.items() if at > number}
        parser = _Line(toks[2:], number, names, later, operators)
        if toks[2].kind == "name" and toks[2].text in ("input", "param", "target") and len(toks) > 3 \
                and toks[3].text == "(":
            parser.pos = 1
            args: list[Any] = []
            parser.take("(")
            while not parser.peek(")"):
                args.append(parser.argument_value())
                if not parser.peek(","):
                    break
                parser.take(",")
            parser.take(")")
            parser.done()
            names[name] = spec.leaves[name] = _leaf(toks[2].text, name, args, {}, number)
        else:
            value = parser.expr()
            parser.done()
            if isinstance(value, _Word):
                raise SpecError(f"{value} is not defined", line=number, problem="undefined")
            if isinstance(value, tuple) or not isinstance(value, sp.Basic) or not value.atoms(Array):
                raise SpecError(f"{name} must be an array expression", line=number)
            try:
                shape = shape_of(value)
            except ShapeError as exc:
                raise SpecShapeError(str(exc), line=number) from exc
            # A size that is provably not a positive integer is refused; one that SymPy cannot decide (the
            # floor of a strided size over letters) is kept, and checked once concrete arrays bind the letters.
            node = Array(name, shape, "node") if not any(s.is_integer is False or s.is_positive is False
                                                         for s in shape) else None
            if node is None:
                raise SpecShapeError(f"{name} has shape {shape}, which is not a shape of positive sizes",
                                     line=number)
            names[name] = spec.nodes[name] = node
            spec.definitions[node] = value
        spec.lines[name] = number
    if spec.output is None:
        raise SpecError("the block has no 'output NAME' line", problem="output")
    return spec


def _refuse_cycles(statements: list[tuple[int, list[Token]]], defined_at: Mapping[str, int]) -> None:
    uses: dict[str, set[str]] = {}
    for _, toks in statements:
        if len(toks) >= 2 and toks[1].text == "=":
            uses[toks[0].text] = {t.text for t in toks[2:] if t.kind == "name" and t.text in defined_at}
    remaining = {n: set(u) for n, u in uses.items()}
    changed = True
    while changed:  # peel off the names whose uses are all resolved; what stays lies on or behind a cycle
        changed = False
        for n in [n for n, u in remaining.items() if not (u & remaining.keys())]:
            del remaining[n]
            changed = True
    if not remaining:
        return
    start = min(remaining, key=lambda k: defined_at[k])
    path, seen = [start], {start}
    while True:
        nxt = min(remaining[path[-1]] & remaining.keys(), key=lambda k: defined_at[k])
        if nxt in seen:
            cycle = path[path.index(nxt):] + [nxt]
            raise SpecError(f"a cycle: {' -> '.join(cycle)}", line=defined_at[cycle[0]], problem="cycle")
        path.append(nxt)
        seen.add(nxt)
