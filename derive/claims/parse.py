r"""Parse deep-learning LaTeX: a notation layer in front of latex2sympy2_extended, never ``eval``.

The layer tokenizes the input, recognises the constructs of deep-learning notation (layer superscripts
``h^{(3)}``, index subscripts ``w^{(1)}_{ji}``, ``\sigma``, ReLU, masks ``[h > 0]``, ``\sum_j``, ``\prod_j``,
derivatives, ``\odot``, ``\ast``, flips, ``^{T}``) and every identifier and number, builds their SymPy
objects itself, and hands latex2sympy2_extended only a skeleton made of placeholders ``\text{Q<n>}`` and
the operators ``+ - / ^ \frac \sqrt \cdot \times`` and brackets. So no user text ever reaches the
parser's string conversions (its ``sympy.Number(text)`` on number tokens, ``parse_expr`` on variable
values). Anything else is refused with :class:`~derive.errors.LatexParseError` at its position.

Meanings that a misreading would make unsound:

* inside ``\sum_k`` / ``\prod_k`` the letter ``k`` (bare or in a subscript) is the bound index, an integer
  (positive only when the lower bound is at least 1); the bounds are integers, the letters in them are the
  same integers throughout the claim, and a range with upper < lower is empty (0, resp. 1);
* ``^{T}`` is a :class:`Transpose` of an array expression, the identity on a scalar, refused otherwise;
* ``f^{-1}(x)`` is the inverse function (``atanh``, ``asin``, the logit for ``\sigma``, ...), refused where
  no inverse is known; ``f^{n}(x)`` is ``f(x)^n`` only for a positive integer ``n``;
* a letter that is a free index (``x_i``) cannot also be a variable (``i``); ``1/0``, ``\ln 0`` are refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.budget import run_with_budget
from derive.claims.vocabulary import DEFAULT, Vocabulary
from derive.errors import BudgetExceeded, DeriveError, LatexParseError
from derive.model.activations import Indicator, ReLU, Sigmoid

#: Longest input accepted, in characters.
MAX_LENGTH = 2000
#: Deepest nesting of brackets accepted.
MAX_DEPTH = 24
#: Largest integer exponent accepted, and the most digits of a number.
MAX_EXPONENT = 1000
MAX_DIGITS = 60
#: Largest explicit number of terms of a sum.
MAX_TERMS = 64

RELATIONS = {"=": "=", r"\neq": "!=", r"\ne": "!=", r"\le": "<=", r"\leq": "<=", r"\ge": ">=", r"\geq": ">=",
             "<": "<", ">": ">"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
          "kappa", "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
          "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
_FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    r"\sigma": Sigmoid, r"\tanh": sp.tanh, r"\sinh": sp.sinh, r"\cosh": sp.cosh, r"\exp": sp.exp,
    r"\ln": sp.log, r"\log": sp.log, r"\sin": sp.sin, r"\cos": sp.cos,
}
#: ``f^{-1}(x)`` of these functions is the inverse function; of any other function it is refused as ambiguous.
_INVERSES: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    r"\sigma": lambda u: sp.log(u / (1 - u)), r"\tanh": sp.atanh, r"\sinh": sp.asinh, r"\cosh": sp.acosh,
    r"\exp": sp.log, r"\ln": sp.exp, r"\log": sp.exp, r"\sin": sp.asin, r"\cos": sp.acos,
}
#: Big operators over an index: ``\sum`` and ``\prod``, their SymPy node and the value of an empty range.
_BIG = {r"\sum": (sp.Sum, sp.Integer(0)), r"\prod": (sp.Product, sp.Integer(1))}
_NAMED = {"ReLU": ReLU, "relu": ReLU, "flip": None}
_NAME_WRAPPERS = {r"\mathrm", r"\operatorname", r"\text", r"\textrm", r"\mathit"}
_SPACES = {r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", r"\displaystyle", r"\left.", r"\right."}
_PASS = {"/", r"\cdot", r"\times"}
_CONV = {"*", r"\ast"}
_UNICODE = {"⊙": r"\odot", "∗": r"\ast", "≠": r"\neq", "≤": r"\le", "≥": r"\ge", "σ": r"\sigma", "·": r"\cdot",
            "×": r"\times", "−": "-", "∑": r"\sum", "∏": r"\prod", "∂": r"\partial", "ᵀ": r"^{T}"}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_PLACEHOLDER = re.compile(r"\\text\{Q\d+\}")


def _operand(printer: Any, arg: sp.Basic) -> str:
    """An operand of ``\\ast`` or ``\\odot``: bracketed unless it is an atom or an applied function."""
    text = printer._print(arg)
    plain = arg.is_Atom or (isinstance(arg, sp.Function) and not isinstance(arg, (Convolve, Hadamard)))
    return text if plain else f"\\left({text}\\right)"


class Convolve(sp.Function):
    r"""The convolution ``a * b`` of the notation (size-preserving, as in the question it comes from).

    Opaque here: a vocabulary with an operator evaluator gives it meaning on arrays.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Convolve(sp.Symbol("x"), sp.Symbol("w")))
    'x \\ast w'
    """

    nargs = 2

    def _derive_latex(self, printer: Any) -> str:
        return " \\ast ".join(_operand(printer, a) for a in self.args)


class Hadamard(sp.Function):
    r"""The elementwise product ``a \odot b``; on scalars it is the ordinary product.

    Examples
    --------
    >>> x, y = sp.symbols("x y")
    >>> Hadamard(x, y)
    x*y
    """

    nargs = 2

    @classmethod
    def eval(cls, a: sp.Basic, b: sp.Basic) -> sp.Basic | None:
        if any(x.has(Convolve, Flip, Gradient) for x in (a, b)):
            return None  # an array product: kept for an operator evaluator
        if getattr(a, "is_commutative", False) and getattr(b, "is_commutative", False):
            return sp.Mul(a, b)
        return None

    def _derive_latex(self, printer: Any) -> str:
        return " \\odot ".join(_operand(printer, a) for a in self.args)


class Flip(sp.Function):
    r"""The flipped kernel :math:`w_{\mathrm{flip}}` (rotated by 180 degrees); opaque here.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Flip(sp.Symbol("w")))
    'w_{\\mathrm{flip}}'
    """

    nargs = 1

    def _derive_latex(self, printer: Any) -> str:
        return f"{printer.parenthesize(self.args[0], 1000, strict=True)}_{{\\mathrm{{flip}}}}"


class Gradient(sp.Symbol):
    r"""An opaque gradient such as :math:`\partial L/\partial w^{(2)}`, named by its LaTeX.

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Gradient(r"\frac{\partial L}{\partial w^{(2)}}"))
    '\\frac{\\partial L}{\\partial w^{(2)}}'
    """

    def _derive_latex(self, printer: Any) -> str:
        return self.name

    def parts(self) -> tuple[str, str, str] | None:
        r"""``(operator, numerator, variable)`` of the gradient's LaTeX, or ``None`` if it is not of that form.

        Examples
        --------
        >>> Gradient(r"\frac{\partial L}{\partial w^{(2)}}").parts()
        ('\\partial', 'L', 'w^{(2)}')
        """
        m = _GRADIENT.fullmatch(self.name)
        return (m.group(1), m.group(2), m.group(4)) if m and m.group(1) == m.group(3) else None


_GRADIENT = re.compile(r"\\frac\{(\\partial|d) (.*?)\}\{(\\partial|d) (.*)\}", re.S)


class Transpose(sp.Function):
    r"""The transpose :math:`a^{T}` of an array expression (on a scalar expression ``^{T}`` is the identity).

    Examples
    --------
    >>> from derive.printing.latex import latex
    >>> latex(Transpose(sp.Symbol("x")))
    'x^{T}'
    >>> Transpose(sp.Symbol("x")).arg
    x
    """

    nargs = 1

    @property
    def arg(self) -> sp.Basic:
        """The transposed expression (SymPy's printers read ``.arg`` of a node called ``Transpose``)."""
        return self.args[0]

    def _derive_latex(self, printer: Any) -> str:
        return f"{printer.parenthesize(self.args[0], 1000, strict=True)}^{{T}}"


#: Operator-level nodes: a claim containing them needs an array evaluator.
OPERATORS: tuple[type[sp.Basic], ...] = (Convolve, Flip, Gradient, Transpose)


@dataclass(frozen=True)
class Token:
    """One lexical unit: ``kind`` is ``cmd``, ``letter``, ``num`` or ``char``; ``pos`` is its offset."""

    kind: str
    text: str
    pos: int


@dataclass(frozen=True)
class Claim:
    """A parsed claim ``lhs relation rhs``; ``relation`` is one of ``= != <= >= < >``."""

    lhs: sp.Basic
    relation: str
    rhs: sp.Basic
    source: str
    #: Conditions under which the written sides are defined (``x \neq 0`` for ``\frac{x}{x}``), recorded while
    #: parsing, before SymPy simplifies the expression: points outside them are excluded from the domain.
    domain: tuple[sp.Basic, ...] = ()

    def as_relational(self) -> sp.Basic:
        """The claim as an unevaluated SymPy relation (for printing)."""
        op = {"=": sp.Eq, "!=": sp.Ne, "<=": sp.Le, ">=": sp.Ge, "<": sp.Lt, ">": sp.Gt}[self.relation]
        return op(self.lhs, self.rhs, evaluate=False)


def tokenize(source: str) -> list[Token]:
    r"""Split ``source`` into tokens; refuse control characters and unknown unicode at their position.

    Examples
    --------
    >>> [t.text for t in tokenize(r"w^{(1)}_{ji} \odot 12")]
    ['w', '^', '{', '(', '1', ')', '}', '_', '{', 'j', 'i', '}', '\\odot', '12']
    """
    if len(source) > MAX_LENGTH:
        raise LatexParseError(f"input longer than {MAX_LENGTH} characters", source=source[:80], position=0)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in " \t\n\r":
            i += 1
        elif c in _UNICODE:
            tokens.extend(Token(t.kind, t.text, i) for t in tokenize(_UNICODE[c]))
            i += 1
        elif c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", source[i:], re.S)
            if m is None:
                raise LatexParseError("a backslash ends the input", source=source, position=i)
            text = m.group(0)
            if text in (r"\left", r"\right"):
                tail = re.match(r"\s*(\\\{|\\\}|[()\[\].|])", source[i + len(text):])
                if tail is None:
                    raise LatexParseError(f"{text} needs a bracket after it", source=source, position=i)
                bracket = tail.group(1)
                end = i + len(text) + tail.end()
                if bracket == ".":
                    i = end
                    continue
                if bracket not in "()[]":
                    raise LatexParseError(f"{text}{bracket} is not supported", source=source, position=i)
                tokens.append(Token("char", bracket, i))
                i = end
                continue
            if not text[1:].isascii() or not text[1:].isprintable():
                raise LatexParseError("unexpected character after a backslash", source=source, position=i)
            tokens.append(Token("cmd", text, i))
            i += len(text)
        elif c.isascii() and c.isalpha():
            tokens.append(Token("letter", c, i))
            i += 1
        elif c.isascii() and c.isdigit():
            m = re.match(r"\d+(\.\d+)?", source[i:])
            assert m is not None
            tokens.append(Token("num", m.group(0), i))
            i += len(m.group(0))
        elif c.isascii() and c.isprintable():
            tokens.append(Token("char", c, i))
            i += 1
        else:
            raise LatexParseError(f"unexpected character {c!r}", source=source, position=i)
    return [t for t in tokens if t.text not in _SPACES]


def _number(token: Token, source: str) -> sp.Rational:
    digits = token.text.replace(".", "")
    if len(digits) > MAX_DIGITS:
        raise LatexParseError(f"number with more than {MAX_DIGITS} digits", source=source, position=token.pos)
    if "." in token.text:
        whole, frac = token.text.split(".")
        return sp.Rational(int(whole + frac), 10 ** len(frac))
    return sp.Integer(int(token.text))


def _domain_of(fn: Callable[[sp.Expr], sp.Expr], arg: sp.Expr) -> list[sp.Basic]:
    """Where ``fn(arg)`` is defined over the reals, for the functions whose domain is not all of R."""
    if arg.is_number:
        return []
    if fn is sp.log:
        return [sp.Gt(arg, 0)]
    if fn in (sp.asin, sp.acos):
        return [sp.Ge(arg, -1), sp.Le(arg, 1)]
    if fn is sp.acosh:
        return [sp.Ge(arg, 1)]
    if fn is sp.atanh:
        return [sp.Gt(arg, -1), sp.Lt(arg, 1)]
    if fn is _INVERSES[r"\sigma"]:
        return [sp.Gt(arg, 0), sp.Lt(arg, 1)]
    return []


def _retype(expr: sp.Basic, table: dict[sp.Basic, sp.Basic]) -> sp.Basic:
    """``expr.xreplace(table)``, except inside an ``IndexedBase`` (an array ``N`` keeps its name and type)."""
    if isinstance(expr, sp.IndexedBase):
        return expr
    if expr in table:
        return table[expr]
    if not expr.args:
        return expr
    args = tuple(_retype(a, table) for a in expr.args)
    return expr.func(*args) if args != expr.args else expr


class _Layer:
    """The notation layer over one source string (see :func:`parse_claim`)."""

    def __init__(self, source: str, vocabulary: Vocabulary, parser: Callable[[str], Any]) -> None:
        self.source = source
        self.vocab = vocabulary
        self.parser = parser
        self.table: dict[str, sp.Basic] = {}
        #: Domain conditions of the written expression (see :attr:`Claim.domain`).
        self.domain: list[sp.Basic] = []
        #: The indices bound by the enclosing sums and products, innermost last: (letter, symbol).
        self.bound: list[tuple[str, sp.Symbol]] = []
        #: Where each scalar name and each free index letter was first used (see :meth:`finish`).
        self.scalars: dict[str, int] = {}
        self.free_indices: dict[str, int] = {}
        #: Letters in the bounds of a sum or product: integers, the same object throughout the claim.
        self.integers: dict[str, sp.Symbol] = {}
        self.tokens = tokenize(source)
        self.match = self._match_brackets()

    # --- helpers -------------------------------------------------------------------------------------------
    def fail(self, message: str, pos: int) -> LatexParseError:
        return LatexParseError(message, source=self.source, position=pos)

    def _match_brackets(self) -> dict[int, int]:
        stack: list[int] = []
        match: dict[int, int] = {}
        for n, tok in enumerate(self.tokens):
            if tok.kind == "char" and tok.text in _OPEN:
                stack.append(n)
                if len(stack) > MAX_DEPTH:
                    raise self.fail(f"brackets nested deeper than {MAX_DEPTH}", tok.pos)
            elif tok.kind == "char" and tok.text in ")]}":
                if not stack or _OPEN[self.tokens[stack[-1]].text] != tok.text:
                    raise self.fail(f"unmatched {tok.text!r}", tok.pos)
                match[stack.pop()] = n
        if stack:
            tok = self.tokens[stack[-1]]
            raise self.fail(f"unclosed {tok.text!r}", tok.pos)
        return match

    def place(self, obj: sp.Basic) -> str:
        key = f"Q{len(self.table)}"
        self.table[key] = obj
        return f"\\text{{{key}}}"

    def pos(self, lo: int, hi: int) -> int:
        return self.tokens[lo].pos if lo < hi else (self.tokens[hi - 1].pos + 1 if hi > 0 else 0)

    def at(self, n: int, hi: int) -> int:
        """The source position of token ``n`` (the end of the input past the last token)."""
        return self.pos(n, hi) if n < len(self.tokens) else len(self.source)

    def top_level(self, lo: int, hi: int) -> list[int]:
        """Token positions in ``[lo, hi)`` that are outside every bracket."""
        out, n = [], lo
        while n < hi:
            out.append(n)
            n = self.match[n] + 1 if n in self.match else n + 1
        return out

    def group(self, n: int, hi: int) -> tuple[int, int, int]:
        """The argument starting at ``n``: a braced group (contents) or one token; returns (lo, hi, next)."""
        if n >= hi:
            raise self.fail("an argument is missing", self.at(n, hi))
        tok = self.tokens[n]
        if tok.text == "{" and tok.kind == "char":
            if self.match[n] == n + 1:
                raise self.fail("empty braces {} where an argument is expected", tok.pos)
            return n + 1, self.match[n], self.match[n] + 1
        if tok.kind in ("letter", "num") or (tok.kind == "cmd" and tok.text[1:] in _GREEK | {"top", "ast"}) \
                or tok.text == "*":
            if tok.kind == "num" and len(tok.text) > 1:
                raise self.fail("write a multi-digit exponent or index in braces", tok.pos)
            return n, n + 1, n + 1
        raise self.fail(f"expected an argument, found {tok.text!r}", tok.pos)

    def text_of(self, lo: int, hi: int) -> str:
        return "".join(t.text for t in self.tokens[lo:hi])

    # --- entry points --------------------------------------------------------------------------------------
    def claim(self) -> Claim:
        if not self.tokens:
            raise self.fail("empty input", 0)
        top = self.top_level(0, len(self.tokens))
        rels = [n for n in top if self.tokens[n].text in RELATIONS]
        if len(rels) > 1:
            raise self.fail("a claim has one relation; split chains into separate claims", self.tokens[rels[1]].pos)
        if not rels:
            raise self.fail("a claim needs a relation (=, \\neq, \\le, \\ge, <, >)", len(self.source))
        r = rels[0]
        lhs, rhs = self.expr(0, r), self.expr(r + 1, len(self.tokens))
        lhs, rhs = self.finish(lhs), self.finish(rhs)
        table = {sp.Symbol(k, real=True): v for k, v in self.integers.items()}
        domain = tuple(dict.fromkeys(_retype(c, table) if table else c for c in self.domain))
        return Claim(lhs, RELATIONS[self.tokens[r].text], rhs, self.source, domain)

    def expression(self) -> sp.Basic:
        if not self.tokens:
            raise self.fail("empty input", 0)
        return self.finish(self.expr(0, len(self.tokens)))

    def finish(self, value: sp.Basic) -> sp.Basic:
        """Refuse a letter that is both a free index and a variable; make sum-bound letters integers everywhere."""
        for letter, pos in self.free_indices.items():
            if letter in self.scalars:
                raise self.fail(f"the letter {letter} is used both as a free index and as a variable; "
                                f"bind it with a sum or rename one", max(pos, self.scalars[letter]))
        if self.integers:
            value = _retype(value, {sp.Symbol(k, real=True): v for k, v in self.integers.items()})
        return self.defined(value, 0)

    # --- indices -------------------------------------------------------------------------------------------
    def bound_symbol(self, letter: str) -> sp.Symbol | None:
        """The index that the innermost enclosing sum or product over ``letter`` binds, or ``None``."""
        for name, symbol in reversed(self.bound):
            if name == letter:
                return symbol
        return None

    def index_symbol(self, letter: str, pos: int) -> sp.Basic:
        """The index ``letter`` in a subscript: the bound summation variable, else a free ``Idx``."""
        symbol = self.bound_symbol(letter)
        if symbol is not None:
            return symbol
        self.free_indices.setdefault(letter, pos)
        return self.vocab.index(letter, bound=False)

    # --- recursive descent ---------------------------------------------------------------------------------
    def expr(self, lo: int, hi: int) -> sp.Basic:
        """Parse tokens ``[lo, hi)`` to SymPy: rewrite to a skeleton, parse it, put the objects back."""
        if lo >= hi:
            raise self.fail("an expression is missing", self.at(lo, hi))
        text, spans = self.rewrite(lo, hi)
        if _PLACEHOLDER.fullmatch(text):
            return self.table[text[6:-1]]
        try:
            raw = self.parser(text)
        except BudgetExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - the third-party parser raises bare Exception
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise self.fail(f"cannot parse this: {first}", self._error_pos(exc, spans, lo, hi)) from exc
        return self.rebuild(raw, self.pos(lo, hi))

    def _error_pos(self, exc: Exception, spans: list[tuple[int, int]], lo: int, hi: int) -> int:
        lines = str(exc).splitlines()
        marks = [ln for ln in lines if ln and set(ln) <= {"~", "^"}]
        if marks:
            col = len(marks[-1]) - 1
            for start, pos in reversed(spans):
                if start <= col:
                    return pos
        return self.pos(lo, hi)

    def sub(self, lo: int, hi: int) -> str:
        """A bracketed or braced sub-expression, parsed on its own and put back as one placeholder."""
        return self.place(self.expr(lo, hi))

    def rewrite(self, lo: int, hi: int) -> tuple[str, list[tuple[int, int]]]:
        """The skeleton of ``[lo, hi)``: terms split at top-level ``+``/``-`` and rewritten one by one."""
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        start = lo
        cuts = [n for n in self.top_level(lo, hi) if self.tokens[n].text in "+-" and self.tokens[n].kind == "char"]
        for cut in [*cuts, hi]:
            if cut > start:
                spans.append((sum(map(len, out)), self.tokens[start].pos))
                out.append(self.term(start, cut))
            elif cut < hi and cut > lo and self.tokens[cut - 1].text in "+-":
                raise self.fail("two operators in a row", self.tokens[cut].pos)
            if cut < hi:
                spans.append((sum(map(len, out)), self.tokens[cut].pos))
                out.append(self.tokens[cut].text)
                start = cut + 1
        if start >= hi and hi > lo and self.tokens[hi - 1].text in "+-":
            raise self.fail("an operand is missing", self.tokens[hi - 1].pos)
        return "".join(out), spans

    def term(self, lo: int, hi: int) -> str:
        """One term: factors joined by the convolution ``*`` or by ``\\odot`` (looser than juxtaposition)."""
        cuts = [n for n in self.top_level(lo, hi) if self.tokens[n].text in _CONV | {r"\odot"}
                and not (n > lo and self.tokens[n - 1].text == "^")]
        if not cuts:
            return self.product(lo, hi)
        pieces, start = [], lo
        for cut in [*cuts, hi]:
            pieces.append(self.expr(start, cut))
            start = cut + 1
        value = pieces[0]
        for cut, piece in zip(cuts, pieces[1:]):
            value = Hadamard(value, piece) if self.tokens[cut].text == r"\odot" else Convolve(value, piece)
        return self.place(value)

    def product(self, lo: int, hi: int) -> str:
        out: list[str] = []
        n = lo
        while n < hi:
            tok = self.tokens[n]
            text = tok.text
            if tok.kind == "num":
                out.append(self.place(_number(tok, self.source)))
                n += 1
            elif tok.kind == "letter" or (tok.kind == "cmd" and text[1:] in _GREEK) or text == r"\pi":
                piece, n = self.identifier(n, hi)
                out.append(piece)
            elif text in _FUNCTIONS or text in _NAME_WRAPPERS:
                piece, n = self.function(n, hi)
                out.append(piece)
            elif text in (r"\mathbb", r"\mathbf"):
                piece, n = self.indicator_one(n, hi)
                out.append(piece)
            elif text in (r"\frac", r"\dfrac", r"\tfrac"):
                piece, n, rest = self.fraction(n, hi)
                out.append(piece)
                if rest:
                    return "".join(out)
            elif text == r"\sqrt":
                n += 1
                index = ""
                if n < hi and self.tokens[n].text == "[":
                    index = f"[{self.sub(n + 1, self.match[n])}]"
                    n = self.match[n] + 1
                a, b, n = self.group(n, hi)
                out.append(f"\\sqrt{index}{{{self.sub(a, b)}}}")
            elif text in _BIG:
                out.append(self.summation(n, hi))
                return "".join(out)
            elif text in ("(", "["):
                close = self.match[n]
                inner = self.top_level(n + 1, close)
                rel = [m for m in inner if self.tokens[m].text in ("<", ">")]
                if rel:
                    out.append(self.place(self.indicator(n + 1, close)))
                else:
                    out.append(self.sub(n + 1, close))
                n = close + 1
            elif text == "{":
                out.append(self.sub(n + 1, self.match[n]))
                n = self.match[n] + 1
            elif text == "^":
                if not out:
                    raise self.fail("a superscript needs a base", tok.pos)
                a, b, n = self.group(n + 1, hi)
                if self.text_of(a, b) in ("T", r"\top"):
                    if not _PLACEHOLDER.fullmatch(out[-1]):
                        raise self.fail("^{T} applies to a name or a bracket; put the expression in brackets",
                                        tok.pos)
                    out[-1] = self.place(self.transpose(self.table[out[-1][6:-1]], tok.pos))
                else:
                    out.append(f"^{{{self.sub(a, b)}}}")
                if n < hi and self.tokens[n].text in "^_":
                    raise self.fail("double superscript or subscript", self.tokens[n].pos)
            elif text in _PASS:
                if not out or n + 1 >= hi:
                    raise self.fail(f"{text} needs two operands", tok.pos)
                out.append(" / " if text == "/" else r" \cdot ")
                n += 1
            else:
                raise self.fail(f"{text!r} is not understood here", tok.pos)
        return "".join(out)

    # --- constructs ----------------------------------------------------------------------------------------
    def scripts(self, n: int, hi: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None, int]:
        """Read at most one ``_`` and one ``^`` after a base, in either order."""
        sub = sup = None
        while n < hi and self.tokens[n].text in "_^" and self.tokens[n].kind == "char":
            which = self.tokens[n].text
            if (sub if which == "_" else sup) is not None:
                raise self.fail(f"double {'subscript' if which == '_' else 'superscript'}", self.tokens[n].pos)
            a, b, nxt = self.group(n + 1, hi)
            if which == "_":
                sub = (a, b)
            else:
                sup = (a, b)
            n = nxt
        return sub, sup, n

    def layer(self, a: int, b: int) -> str | None:
        """``(l)`` as a layer label, else ``None``."""
        toks = self.tokens[a:b]
        if len(toks) == 3 and toks[0].text == "(" and toks[2].text == ")" and toks[1].kind in ("num", "letter"):
            return toks[1].text
        if len(toks) > 3 and toks[0].text == "(" and toks[-1].text == ")" and self.match.get(a) == b - 1:
            # h^{(l+1)} reads as a layer label in the dialect, but only a number or a letter is one
            raise self.fail("a layer superscript holds one number or letter, as in h^{(3)} or h^{(l)}; write a "
                            "power without parentheses", toks[0].pos)
        return None

    def is_flip(self, a: int, b: int) -> bool:
        word = "".join(t.text for t in self.tokens[a:b] if t.kind == "letter")
        plain = [t for t in self.tokens[a:b] if t.kind == "letter" or t.text in _NAME_WRAPPERS | {"{", "}"}]
        return word in ("flip", "flipped") and len(plain) == b - a

    def indices(self, a: int, b: int) -> list[sp.Basic]:
        toks = self.tokens[a:b]
        if any(t.text == "," for t in toks):
            out, start = [], a
            for m in [m for m in self.top_level(a, b) if self.tokens[m].text == ","] + [b]:
                out.append(self.index_expr(start, m))
                start = m + 1
            return out
        if all(t.kind in ("letter", "num") for t in toks):
            if all(t.kind == "num" for t in toks):
                return [_number(t, self.source) for t in toks]
            out = []
            for t in toks:
                if t.kind == "letter":
                    out.append(self.index_symbol(t.text, t.pos))
                else:
                    out.extend(sp.Integer(int(d)) for d in t.text)
            return out
        return [self.index_expr(a, b)]

    def index_expr(self, a: int, b: int) -> sp.Basic:
        saved = self.vocab
        value = _IndexLayer(self).expr(a, b)
        self.vocab = saved
        return value

    def identifier(self, n: int, hi: int) -> tuple[str, int]:
        tok = self.tokens[n]
        name = tok.text if tok.kind == "letter" else tok.text[1:]
        sub, sup, nxt = self.scripts(n + 1, hi)
        layer, power, transpose, flip = None, None, False, False
        if sup is not None:
            layer = self.layer(*sup)
            sup_text = self.text_of(*sup)
            if sup_text in ("T", r"\top"):
                transpose = True
            elif sup_text in ("*", r"\ast"):
                name += "^{*}"
            elif layer is None:
                power = sup
        plain = tok.kind == "letter" and sub is None and layer is None and name == tok.text
        bound = self.bound_symbol(name) if plain else None
        if bound is not None:  # the summation variable of an enclosing sum or product, as in \sum_k k
            obj: sp.Basic = bound
        elif name == "pi" and sub is None and layer is None:
            obj = sp.pi
        elif name == "e" and sub is None and layer is None:
            obj = sp.E
        elif sub is not None and self.is_flip(*sub):
            flip = True
            obj = self.scalar(name, layer, tok.pos)
        elif sub is not None:
            idx = self.indices(*sub)
            if layer is None:
                letters = tuple(str(i) for i in idx)
                layer = self.vocab.layer_for(name, letters)
            obj = self.vocab.base(name, layer)[tuple(idx)]
        else:
            obj = self.scalar(name, layer, tok.pos)
        if flip:
            obj = Flip(obj)
        if transpose:
            obj = self.transpose(obj, tok.pos)
        piece = self.place(obj)
        if power is not None:
            piece += f"^{{{self.sub(*power)}}}"
        return piece, nxt

    def scalar(self, name: str, layer: str | None, pos: int) -> sp.Basic:
        """The scalar ``name`` (of ``layer``) of the vocabulary, remembered for :meth:`finish`."""
        obj = self.vocab.symbol(name, layer)
        self.scalars.setdefault(obj.name if isinstance(obj, sp.Symbol) else str(obj), pos)
        return obj

    def transpose(self, obj: sp.Basic, pos: int) -> sp.Basic:
        """``obj^{T}``: a :class:`Transpose` of an array expression, ``obj`` itself for a scalar, else refused."""
        if self.vocab.is_array(obj) or obj.has(*OPERATORS) or obj.has(Hadamard):
            return Transpose(obj)
        if isinstance(obj, sp.Expr) and obj.is_commutative and not obj.has(sp.MatrixExpr):
            return obj  # every symbol of the vocabulary here is a scalar, and a scalar is its own transpose
        raise self.fail("cannot tell whether this is a scalar or an array, so ^{T} is refused", pos)

    def argument(self, n: int, hi: int) -> tuple[sp.Basic, int]:
        """The argument of a function: a bracket, a braced group, or a run of juxtaposed atoms."""
        if n >= hi:
            raise self.fail("a function needs an argument", self.at(n, hi))
        tok = self.tokens[n]
        if tok.text in ("(", "{") and tok.kind == "char":
            return self.expr(n + 1, self.match[n]), self.match[n] + 1
        m = n
        while m < hi and (self.tokens[m].kind in ("letter", "num") or self.tokens[m].text[1:] in _GREEK):
            _, _, m = self.scripts(m + 1, hi)
        if m == n:
            raise self.fail("a function needs an argument", tok.pos)
        return self.expr(n, m), m

    def function(self, n: int, hi: int) -> tuple[str, int]:
        tok = self.tokens[n]
        if tok.text in _NAME_WRAPPERS:
            a, b, nxt = self.group(n + 1, hi)
            word = "".join(t.text for t in self.tokens[a:b])
            if word not in _NAMED or not all(t.kind == "letter" for t in self.tokens[a:b]):
                raise self.fail(f"unknown name {word!r}", tok.pos)
            fn: Callable[[sp.Expr], sp.Expr] = _NAMED[word] or Flip
            label = f"{tok.text}{{{word}}}"
            n = nxt
        else:
            fn = _FUNCTIONS[tok.text]
            label = tok.text
            n += 1
        power = None
        if n < hi and self.tokens[n].text == "^":
            a, b, n = self.group(n + 1, hi)
            exponent = self.expr(a, b)
            if exponent == -1 and tok.text in _INVERSES:  # f^{-1}(x) is the inverse function
                fn = _INVERSES[tok.text]
            elif exponent == -1:
                raise self.fail(f"{label}^{{-1}} is ambiguous (an inverse or a reciprocal); write "
                                f"\\frac{{1}}{{{label}(x)}} for the reciprocal", self.tokens[a].pos)
            elif exponent.is_Integer and exponent > 0:  # \tanh^{2}(x) is tanh(x)^2
                power = self.place(exponent)
            else:
                raise self.fail(f"the superscript of {label} is ambiguous; only f^{{n}}(x) = f(x)^n for a "
                                f"positive integer n and f^{{-1}} (the inverse) are understood; write (f(x))^{{p}}",
                                self.tokens[a].pos)
        arg, n = self.argument(n, hi)
        for condition in _domain_of(fn, arg):
            self.require(condition)
        piece = self.place(self.defined(fn(arg), tok.pos))
        return piece + (f"^{{{power}}}" if power else ""), n

    def indicator(self, a: int, b: int) -> sp.Basic:
        rels = [m for m in self.top_level(a, b) if self.tokens[m].text in ("<", ">")]
        if len(rels) != 1:
            raise self.fail("an indicator holds one strict inequality", self.tokens[a].pos)
        r = rels[0]
        left, right = self.expr(a, r), self.expr(r + 1, b)
        return Indicator(left - right) if self.tokens[r].text == ">" else Indicator(right - left)

    def indicator_one(self, n: int, hi: int) -> tuple[str, int]:
        a, b, nxt = self.group(n + 1, hi)
        if self.text_of(a, b) != "1":
            raise self.fail("only \\mathbb{1} (an indicator) is understood", self.tokens[n].pos)
        if nxt < hi and self.tokens[nxt].text in "([" and self.tokens[nxt].kind == "char":
            return self.place(self.indicator(nxt + 1, self.match[nxt])), self.match[nxt] + 1
        if nxt < hi and self.tokens[nxt].text == "_":
            c, d, end = self.group(nxt + 1, hi)
            return self.place(self.indicator(c, d)), end
        raise self.fail("\\mathbb{1} needs a condition such as [h > 0]", self.tokens[n].pos)

    def fraction(self, n: int, hi: int) -> tuple[str, int, bool]:
        a, b, n2 = self.group(n + 1, hi)
        c, d, n3 = self.group(n2, hi)
        diff = {"d", r"\partial"}
        if a < b and c < d and self.tokens[a].text in diff and self.tokens[c].text == self.tokens[a].text:
            var = self.expr(c + 1, d)
            if not isinstance(var, (sp.Symbol, sp.Indexed)):
                raise self.fail("differentiate with respect to one variable", self.tokens[c].pos)
            if a + 1 == b:  # \frac{d}{dx} applies to the rest of the term
                body = self.expr(n3, hi)
                return self.place(sp.Derivative(body, var)), hi, True
            top = self.expr(a + 1, b)
            if top.has(var):
                return self.place(sp.Derivative(top, var)), n3, False
            op = r"\partial" if self.tokens[a].text == r"\partial" else "d"
            name = f"\\frac{{{op} {self.text_of(a + 1, b)}}}{{{op} {self.text_of(c + 1, d)}}}"
            return self.place(Gradient(name, real=True)), n3, False
        num, den = self.sub(a, b), self.sub(c, d)
        return f"\\frac{{{num}}}{{{den}}}", n3, False

    def summation(self, n: int, hi: int) -> str:
        r"""``\sum`` or ``\prod`` over one index letter; the letter in the summand is the bound variable."""
        tok = self.tokens[n]
        node, empty = _BIG[tok.text]
        what = "sum" if node is sp.Sum else "product"
        sub, sup, body = self.scripts(n + 1, hi)
        if sub is None:
            raise self.fail(f"{tok.text} needs an index, as in {tok.text}_j or {tok.text}_{{j=1}}^{{M}}", tok.pos)
        a, b = sub
        eq = [m for m in range(a, b) if self.tokens[m].text == "="]
        letter_tok = self.tokens[a]
        if letter_tok.kind != "letter" or (eq and eq[0] != a + 1) or (not eq and b != a + 1):
            raise self.fail(f"the index of a {what} is one letter", letter_tok.pos)
        letter = letter_tok.text
        lower, upper = self.vocab.bounds(letter)
        if eq:
            lower = self.limit(a + 2, b, what)
            if sup is None:
                raise self.fail(f"a {what} with a lower bound needs an upper bound", tok.pos)
        if sup is not None:
            upper = self.limit(*sup, what)
        span = upper - lower
        if span.is_number and span > MAX_TERMS:
            raise self.fail(f"a {what} of more than {MAX_TERMS} explicit terms", tok.pos)
        if body >= hi:
            raise self.fail(f"the {what} has no {'summand' if node is sp.Sum else 'factor'}", tok.pos)
        if (lower - 1).is_nonnegative:
            index = self.vocab.index(letter, bound=True)
        elif lower.is_nonnegative:
            index = sp.Symbol(letter, integer=True, nonnegative=True)
        else:
            index = sp.Symbol(letter, integer=True)
        self.bound.append((letter, index))
        try:
            summand = self.expr(body, hi)
        finally:
            self.bound.pop()
        if span.is_negative:  # upper < lower: the empty sum (product), not SymPy's Karr convention
            return self.place(empty)
        return self.place(node(summand, (index, lower, upper)))

    def sizes(self) -> dict[str, sp.Symbol]:
        """The sizes that bound the vocabulary's index ranges, by name (``n`` of the default range)."""
        found: dict[str, sp.Symbol] = {}
        for pair in (self.vocab.default_range, *self.vocab.index_ranges.values()):
            for end in pair:
                if isinstance(end, sp.Basic):
                    found.update((s.name, s) for s in end.free_symbols if isinstance(s, sp.Symbol))
        return found

    def limit(self, lo: int, hi: int, what: str) -> sp.Basic:
        """A bound of a sum or product: an integer; its plain letters are integers throughout the claim."""
        value = self.expr(lo, hi)
        sizes = self.sizes()
        table: dict[sp.Basic, sp.Basic] = {}
        for s in value.free_symbols:
            if type(s) is sp.Symbol and s == sp.Symbol(s.name, real=True):
                table[s] = self.integers.setdefault(s.name, sizes.get(s.name, sp.Symbol(s.name, integer=True)))
        value = value.xreplace(table)
        if value.is_integer is not True:
            raise self.fail(f"the bounds of a {what} must be integers", self.pos(lo, hi))
        return value

    # --- back to SymPy -------------------------------------------------------------------------------------
    def rebuild(self, node: Any, pos: int) -> sp.Basic:
        """Rebuild the parser's tree with the placeholders replaced; refuse huge powers and foreign nodes."""
        if isinstance(node, sp.Symbol):
            if node.name in self.table:
                return self.table[node.name]
            raise self.fail(f"the parser produced an unexpected symbol {node.name!r}", pos)
        if isinstance(node, sp.Rational):
            return node
        if isinstance(node, sp.UnevaluatedExpr):
            return self.rebuild(node.args[0], pos)
        if isinstance(node, (sp.Add, sp.Mul)):
            return self.defined(node.func(*(self.rebuild(a, pos) for a in node.args)), pos)
        if isinstance(node, sp.Pow):
            base, exp = self.rebuild(node.args[0], pos), self.rebuild(node.args[1], pos)
            if base == 0 and (exp.is_negative or exp.is_zero is False and exp.is_nonpositive):
                raise self.fail("division by zero", pos)
            if exp.is_Integer and abs(int(exp)) > MAX_EXPONENT and base not in (0, 1, -1):
                raise self.fail(f"exponent larger than {MAX_EXPONENT}", pos)
            if exp.is_number and exp.is_real and not exp.is_Rational:
                raise self.fail("irrational numeric exponents are not supported", pos)
            if not base.is_number and exp.is_number:
                if exp.is_negative:
                    self.require(sp.Ne(base, 0))
                if exp.is_integer is False:
                    self.require(sp.Gt(base, 0) if exp.is_negative else sp.Ge(base, 0))
            if base.is_number and exp.is_Rational and base.is_Rational and base != 0:
                bits = abs(math.log2(abs(base.p)) - math.log2(base.q))  # exact integers: no float underflow
                if abs(exp) * max(bits, 1.0) > 10 * MAX_EXPONENT:
                    raise self.fail("number too large", pos)
            return self.defined(sp.Pow(base, exp), pos)
        raise self.fail(f"unsupported construct {type(node).__name__}", pos)

    def require(self, condition: sp.Basic) -> None:
        """Record a domain condition of the written expression (skipped when it involves a bound index)."""
        if condition is sp.true or not isinstance(condition, sp.Basic):
            return
        if condition is sp.false:
            return  # undefined for every value: ``defined`` refuses such expressions
        if condition.free_symbols & {symbol for _, symbol in self.bound}:
            return
        self.domain.append(condition)

    def defined(self, value: sp.Basic, pos: int) -> sp.Basic:
        """``value``, unless arithmetic made it undefined or infinite (``1/0``, ``0^{-1}``)."""
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise self.fail("the expression is undefined or infinite here (a division by zero, log 0, ...)", pos)
        return value


class _IndexLayer(_Layer):
    """Index arithmetic (``x_{i+j}``): letters are indices, not real symbols."""

    def __init__(self, outer: _Layer) -> None:  # noqa: D107 - shares the outer state
        self.__dict__.update(outer.__dict__)
        self.outer = outer

    def identifier(self, n: int, hi: int) -> tuple[str, int]:
        tok = self.tokens[n]
        if tok.kind != "letter" or (n + 1 < hi and self.tokens[n + 1].text in "_^"):
            raise self.fail("an index is built from letters, numbers, + and -", tok.pos)
        return self.place(self.index_symbol(tok.text, tok.pos)), n + 1

    def place(self, obj: sp.Basic) -> str:
        return self.outer.place(obj)


def _latex2sympy() -> Callable[[str], Any]:
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy

    config = ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False,
                              interpret_simple_eq_as_assignment=False)

    def parse(text: str) -> Any:
        if re.search(r"\d", _PLACEHOLDER.sub("", text)) or re.search(r"[A-Za-z]", re.sub(
                r"\\text\{Q\d+\}|\\frac|\\sqrt|\\cdot", "", text)):
            raise LatexParseError("internal: the skeleton contains user text", source=text, position=0)
        return latex2sympy(text, normalization_config=None, conversion_config=config)

    return parse


def _run(fn: Callable[[], Any], timeout: float, source: str) -> Any:
    def guarded() -> Any:
        try:
            return fn()
        except RecursionError as exc:
            raise LatexParseError("input nested too deeply", source=source, position=0) from exc

    outcome = run_with_budget(guarded, timeout)
    if outcome.timed_out:
        raise BudgetExceeded(f"parsing took longer than {timeout:g} s", seconds=timeout)
    return outcome.value


def parse_claim(source: str, *, vocabulary: Vocabulary | None = None, timeout: float = 2.0) -> Claim:
    r"""Parse a claim ``lhs = rhs`` (or ``\neq``, ``\le``, ``\ge``, ``<``, ``>``) written in LaTeX.

    Parameters
    ----------
    source : str
        The LaTeX text, without ``$``.
    vocabulary : Vocabulary, optional
        Names, index ranges and layers; :data:`derive.claims.vocabulary.DEFAULT` if omitted.
    timeout : float
        Budget in seconds for the whole parse.

    Returns
    -------
    Claim

    Raises
    ------
    LatexParseError
        When the text is not understood; ``position`` points at the problem.
    BudgetExceeded
        When parsing takes longer than ``timeout``.

    Examples
    --------
    >>> c = parse_claim(r"h^{(3)} \neq h^3")
    >>> c.lhs, c.relation, c.rhs
    (h^{(3)}, '!=', h**3)
    """
    if not isinstance(source, str):
        raise LatexParseError(f"expected a string, got {type(source).__name__}")
    vocab = vocabulary or DEFAULT
    parser = _latex2sympy()
    result = _run(lambda: _Layer(source, vocab, parser).claim(), timeout, source)
    assert isinstance(result, Claim)
    return result


def parse_latex(source: str, *, vocabulary: Vocabulary | None = None, timeout: float = 2.0) -> sp.Basic:
    r"""Parse a LaTeX expression, or a claim (returned as an unevaluated relation), to SymPy.

    Examples
    --------
    >>> parse_latex(r"w^{(1)}_{ji}")
    w^{(1)}[j, i]
    >>> parse_latex(r"\sigma(2a) + \mathrm{ReLU}(h)")
    ReLU(h) + Sigmoid(2*a)
    >>> parse_latex(r"\sum_{j=1}^{M} w_{kj}")
    Sum(w[k, j], (j, 1, M))
    >>> parse_latex("W = w")
    Eq(W, w)
    >>> parse_latex("x + }")
    Traceback (most recent call last):
    ...
    derive.errors.LatexParseError: unmatched '}'
      x + }
          ^
    """
    if not isinstance(source, str):
        raise LatexParseError(f"expected a string, got {type(source).__name__}")
    vocab = vocabulary or DEFAULT
    parser = _latex2sympy()

    def go() -> sp.Basic:
        layer = _Layer(source, vocab, parser)
        top = layer.top_level(0, len(layer.tokens))
        if any(layer.tokens[n].text in RELATIONS for n in top):
            return layer.claim().as_relational()
        return layer.expression()

    result = _run(go, timeout, source)
    assert isinstance(result, sp.Basic)
    return result


def is_operator_level(expr: sp.Basic) -> bool:
    """True when ``expr`` contains array operators (∗, flip, opaque gradients) that need an array evaluator.

    Examples
    --------
    >>> is_operator_level(parse_latex(r"x \\ast w")), is_operator_level(parse_latex("x w"))
    (True, False)
    """
    return bool(expr.atoms(*OPERATORS)) if isinstance(expr, sp.Basic) else False


__all__ = [
    "Claim", "Convolve", "DeriveError", "Flip", "Gradient", "Hadamard", "OPERATORS", "Token", "Transpose",
    "is_operator_level", "parse_claim", "parse_latex", "tokenize",
]
