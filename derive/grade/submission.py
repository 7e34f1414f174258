r"""Split a Markdown submission into questions, and each question into the claims it states, with their lines.

A question starts at a heading such as ``Q1)``, ``## Q1``, ``Question 1`` or ``**Q1.**`` at the start of a
line. A claim is a display (``$$…$$``, ``\[…\]``) or an inline equation (``$…=…$``, or another relation); an
inline formula without a relation (``$h^{(1)}$``) is notation, not a claim. Nothing is evaluated here: the text
is only cut into pieces, each remembering the 1-based line where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from derive.errors import SubmissionError

__all__ = ["MAX_BYTES", "Piece", "Question", "read_submission", "split_submission"]

#: A submission larger than this is refused (a scanned assignment converted to Markdown is a few kilobytes).
MAX_BYTES = 1_000_000

_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:\$\$?[ \t]*)?"
    r"(?:Q|Question[ \t]*|Problem[ \t]*|Exercise[ \t]*)(?P<n>\d{1,3})(?![\d])[ \t]*(?:[).:]|\*\*|__|$|[ \t])",
    re.IGNORECASE | re.MULTILINE)
_RELATION = re.compile(r"(?<![\\a-zA-Z])=|\\neq|\\ne\b|\\leq?|\\geq?|\\approx|(?<!\\left)(?<!\\right)[<>]")


@dataclass(frozen=True)
class Piece:
    """One formula of a submission: its LaTeX, the 1-based line where it starts, and how it was written."""

    latex: str
    line: int
    kind: str  # "display" or "inline"
    problem: str = ""  # why the piece cannot be read at all (an unbalanced delimiter), or ""


@dataclass
class Question:
    """One question of a submission: its id (``"q1"``), the line of its heading, its formulas and its prose."""

    id: str
    line: int
    pieces: list[Piece] = field(default_factory=list)
    prose: str = ""


def read_submission(data: bytes | str, *, path: str = "") -> str:
    """Decode a submission, refusing what is not a text of a sensible size.

    Examples
    --------
    >>> read_submission(b"Q1) $a = a$")
    'Q1) $a = a$'
    >>> read_submission(b"\\x00\\x01")
    Traceback (most recent call last):
    ...
    derive.errors.SubmissionError: the submission is binary data, not text
    """
    if isinstance(data, str):
        raw = data.encode("utf-8", errors="surrogatepass")
    else:
        raw = data
    if len(raw) > MAX_BYTES:
        raise SubmissionError(f"the submission has {len(raw)} bytes, more than the limit of {MAX_BYTES}", path=path)
    if b"\x00" in raw:
        raise SubmissionError("the submission is binary data, not text", path=path)
    try:
        text = raw.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"the submission is not UTF-8 text (byte {exc.start})", path=path) from exc
    if not text.strip():
        raise SubmissionError("the submission is empty", path=path)
    return text


def split_submission(text: str) -> list[Question]:
    r"""The questions of ``text``, each with its formulas in order; text before the first heading is dropped.

    Examples
    --------
    >>> qs = split_submission("Name\n\nQ1) Forward:\n$$h = x * w$$\nso $y = h$ and $h$.\n## Q2\nprose only\n")
    >>> [(q.id, q.line, [(p.latex, p.line, p.kind) for p in q.pieces]) for q in qs]
    [('q1', 3, [('h = x * w', 4, 'display'), ('y = h', 5, 'inline')]), ('q2', 6, [])]
    >>> qs[1].prose
    'prose only'
    """
    headings = [(m.start(), int(m.group("n"))) for m in _HEADING.finditer(text)]
    questions: list[Question] = []
    for k, (start, number) in enumerate(headings):
        end = headings[k + 1][0] if k + 1 < len(headings) else len(text)
        line = text.count("\n", 0, start) + 1
        qid = f"q{number}"
        existing = next((q for q in questions if q.id == qid), None)
        question = existing or Question(qid, line)
        pieces, prose = _pieces(text, start, end)
        question.pieces.extend(pieces)
        question.prose = " ".join(filter(None, [question.prose, prose]))
        if existing is None:
            questions.append(question)
    return questions


_DELIMITERS = (("$$", "$$", "display"), (r"\[", r"\]", "display"), ("$", "$", "inline"), (r"\(", r"\)", "inline"))


def _pieces(text: str, start: int, end: int) -> tuple[list[Piece], str]:
    """The formulas in ``text[start:end]`` and the prose around them (whitespace collapsed)."""
    pieces: list[Piece] = []
    prose: list[str] = []
    i = start
    while i < end:
        opening = _next_opening(text, i, end)
        if opening is None:
            prose.append(text[i:end])
            break
        at, open_, close, kind = opening
        prose.append(text[i:at])
        body_start = at + len(open_)
        stop = _closing(text, body_start, end, close)
        line = text.count("\n", 0, at) + 1
        if stop is None:
            rest = text[body_start:end].split("\n\n", 1)[0]
            pieces.append(Piece(rest.strip(), line, kind, problem=f"the {open_} on this line is never closed"))
            i = body_start + len(rest)
            continue
        body = text[body_start:stop].strip()
        i = stop + len(close)
        if kind == "inline" and not _RELATION.search(body):
            prose.append(body)
            continue
        if body:
            pieces.append(Piece(body, line, kind))
    words = " ".join(" ".join(prose).split())
    heading = _HEADING.match(words)
    return pieces, (words[heading.end():] if heading else words).strip()


def _next_opening(text: str, i: int, end: int) -> tuple[int, str, str, str] | None:
    best: tuple[int, str, str, str] | None = None
    for open_, close, kind in _DELIMITERS:
        at = i
        while True:
            at = text.find(open_, at, end)
            if at < 0 or not _escaped(text, at):
                break
            at += 1
        if at >= 0 and (best is None or at < best[0] or (at == best[0] and len(open_) > len(best[1]))):
            best = (at, open_, close, kind)
    return best


def _closing(text: str, i: int, end: int, close: str) -> int | None:
    at = i
    while True:
        at = text.find(close, at, end)
        if at < 0:
            return None
        if not _escaped(text, at) and not (close == "$" and text.startswith("$$", at)):
            return at
        at += len(close) if close != "$" else 2


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` is escaped by an odd number of backslashes (``\\$`` is a dollar sign)."""
    k = at - 1
    while k >= 0 and text[k] == "\\":
        k -= 1
    backslashes = at - 1 - k
    return backslashes % 2 == 1 and not text.startswith(("\\[", "\\]", "\\(", "\\)"), at)
