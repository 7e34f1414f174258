r"""Readings: how a course's scans are read, as data.

A readings file (TOML) lists substitutions a teaching assistant accepts for a course's scans, each with the
questions it applies to and the reason, for example::

    [[reading]]
    find = '\neq'
    read = '\ast'
    questions = ["q1"]
    why = "the scan shows a not-equal sign where the convolution was written"

``find`` is literal text unless ``regex = true`` (a Python regular expression; ``read`` may then use ``\1`` for a
group; every other backslash in ``read`` is literal).
Every reading that changed a claim is reported with it, so the student sees how the line was read.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.errors import SubmissionError

__all__ = ["NORMALISATIONS", "Reading", "apply_readings", "load_readings", "normalise", "read_toml"]


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML file as data (``tomllib`` of Python 3.11, or the ``tomli`` backport on 3.10).

    Raises
    ------
    SubmissionError
        When the file cannot be read or is not TOML; ``what`` names it in the message.
    """
    try:
        toml = importlib.import_module("tomllib")
    except ModuleNotFoundError:  # Python 3.10
        try:
            toml = importlib.import_module("tomli")
        except ModuleNotFoundError as exc:
            raise SubmissionError(f"reading {what} needs Python 3.11 or the tomli package") from exc
    try:
        data = toml.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError) as exc:
        raise SubmissionError(f"cannot read {what} {path}: {exc}", path=str(path)) from exc
    return dict(data)


@dataclass(frozen=True)
class Reading:
    """One accepted reading: ``find`` is read as ``read`` in ``questions`` (all when empty), because ``why``."""

    find: str
    read: str
    why: str
    questions: tuple[str, ...] = ()
    regex: bool = False

    def pattern(self) -> re.Pattern[str]:
        """The compiled pattern (literal text escaped)."""
        return re.compile(self.find if self.regex else re.escape(self.find))

    def applies_to(self, question: str) -> bool:
        """Whether this reading is meant for ``question``."""
        return not self.questions or question in self.questions


def load_readings(path: str | Path) -> tuple[Reading, ...]:
    r"""Read a readings file.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    ...     _ = f.write('[[reading]]\nfind = "\\\\otimes"\nread = "\\\\odot"\nwhy = "elementwise"\n')
    >>> load_readings(f.name)[0].read
    '\\odot'
    >>> os.unlink(f.name)
    """
    data = read_toml(path, "the readings file")
    out = []
    for k, entry in enumerate(data.get("reading", [])):
        try:
            reading = Reading(str(entry["find"]), str(entry["read"]), str(entry.get("why", "")),
                              tuple(str(q).lower() for q in entry.get("questions", ())), bool(entry.get("regex")))
            reading.pattern()
        except (KeyError, TypeError, re.error) as exc:
            raise SubmissionError(f"reading {k + 1} of {path} is malformed: {exc}", path=str(path)) from exc
        out.append(reading)
    return tuple(out)


def apply_readings(latex: str, question: str, readings: tuple[Reading, ...]) -> tuple[str, tuple[Reading, ...]]:
    r"""``latex`` with every reading for ``question`` applied, and the readings that changed it.

    Examples
    --------
    >>> r = Reading(r"\otimes", r"\odot", "elementwise product")
    >>> apply_readings(r"a \otimes b", "q1", (r,))
    ('a \\odot b', (Reading(find='\\otimes', read='\\odot', why='elementwise product', questions=(), regex=False),))
    """
    applied = []
    for reading in readings:
        if not reading.applies_to(question):
            continue
        changed = reading.pattern().sub(functools.partial(_expand, reading), latex)
        if changed != latex:
            latex = changed
            applied.append(reading)
    return latex, tuple(applied)


def _expand(reading: Reading, match: re.Match[str]) -> str:
    """The replacement text: ``read`` with ``\\1`` ... ``\\9`` standing for groups (regex readings only)."""
    if not reading.regex:
        return reading.read
    return re.sub(r"\\([1-9])", lambda g: match.group(int(g.group(1))) or "", reading.read)


#: Presentation that carries no mathematics, removed from every claim before it is read: leading arrows and
#: "therefore", enumerations, trailing equation tags (``\rightarrow (ii)``), ``//``, check marks, wrappers.
NORMALISATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^\s*(?:Q(?:uestion)?\s*\d+\s*[).:]?)\s*", ""),
    (r"^\s*(?:\\(?:Rightarrow|Longrightarrow|implies|therefore|because|hookrightarrow|to)\s*)+", ""),
    (r"^\s*\(?(?:\d{1,2}|[ivx]{1,4})\)\s*", ""),
    (r"\s*\\(?:rightarrow|longrightarrow|to)\s*\((?:\d{1,2}|[ivx]{1,4})\)\s*$", ""),
    (r"\s*//\s*$", ""),
    (r"\s*(?:\\quad\s*)?\\checkmark\s*$", ""),
))
_WRAPPERS = ("\\boxed", "\\underline")


def normalise(latex: str) -> tuple[str, bool]:
    r"""``latex`` without presentation, and whether it was boxed (a boxed claim is a final answer).

    Examples
    --------
    >>> normalise(r"\Rightarrow \boxed{\alpha_j = \sqrt{c^2}} \rightarrow (2)")
    ('\\alpha_j = \\sqrt{c^2}', True)
    >>> normalise(r"= \frac{a}{b} \longrightarrow (ii)")
    ('= \\frac{a}{b}', False)
    """
    boxed = "\\boxed" in latex
    for wrapper in _WRAPPERS:
        latex = _unwrap(latex, wrapper)
    latex = _unwrap_underbrace(latex)
    for pattern, replacement in NORMALISATIONS:
        latex = pattern.sub(replacement, latex)
    return latex.strip(), boxed


def _group_end(text: str, start: int) -> int | None:
    """The index just after the brace group that opens at ``text[start] == '{'``."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] == "{" and (k == 0 or text[k - 1] != "\\"):
            depth += 1
        elif text[k] == "}" and (k == 0 or text[k - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return k + 1
    return None


def _unwrap(text: str, command: str) -> str:
    """``\\boxed{X}`` -> ``X``, for every occurrence (nested ones too)."""
    while True:
        at = text.find(command + "{")
        if at < 0:
            return text
        brace = at + len(command)
        end = _group_end(text, brace)
        if end is None:
            return text
        text = text[:at] + text[brace + 1:end - 1] + text[end:]


def _unwrap_underbrace(text: str) -> str:
    """``\\underbrace{X}_{note}`` -> ``X`` (the note is a comment)."""
    while True:
        at = text.find("\\underbrace{")
        if at < 0:
            return text
        brace = at + len("\\underbrace")
        end = _group_end(text, brace)
        if end is None:
            return text
        rest = text[end:]
        note = re.match(r"\s*_\s*", rest)
        tail_start = end
        if note:
            after = end + note.end()
            if after < len(text) and text[after] == "{":
                closing = _group_end(text, after)
                tail_start = closing if closing is not None else after
            elif after < len(text):
                tail_start = after + 1
        text = text[:at] + text[brace + 1:end - 1] + text[tail_start:]
