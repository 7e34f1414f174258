r"""What the grader found, and its three renderings: Markdown for the student, JSON for tools, LaTeX for print.

The LaTeX rendering is hostile-input safe: it prints only LaTeX that the engine re-rendered from what it
parsed (:func:`derive.printing.latex.latex` of the claim), and the student's own text only through
:func:`escape_text`, which turns every character TeX treats specially into a printable one. ``\input``,
``\write18`` or ``\catcode`` in a submission therefore reach TeX as letters.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["QuestionReport", "Report", "StepReport", "escape_text"]

STEP_STATUSES = ("valid", "invalid", "unverified", "not read")
VERDICTS = ("correct", "incorrect", "partially correct", "not attempted", "not read", "not graded")


@dataclass
class StepReport:
    """One step: where it starts, the student's LaTeX, how it was read, and what the check found.

    ``evidence`` says what a ``valid`` rests on: ``"proof"``, or ``"points"`` (agreement at points, which is
    evidence and not a proof). ``engine_latex`` is the claim as the engine parsed and re-rendered it.
    """

    line: int
    latex: str
    status: str
    reading: str = ""
    why: str = ""
    evidence: str = ""
    engine_latex: str = ""
    counterexample: dict[str, Any] | None = None
    final: bool = False
    lhs: str = ""


@dataclass
class QuestionReport:
    """One question's verdict, score, first wrong step and steps."""

    id: str
    verdict: str
    score: float
    max: float
    line: int = 0
    first_error: dict[str, Any] | None = None
    steps: list[StepReport] = field(default_factory=list)
    note: str = ""
    key_points_found: list[str] = field(default_factory=list)
    key_points_missing: list[str] = field(default_factory=list)


@dataclass
class Report:
    """A graded submission: its questions, the total and the readings file used."""

    questions: list[QuestionReport]
    source: str = ""
    readings: str = ""

    @property
    def score(self) -> float:
        """The total score of the questions graded automatically."""
        return round(sum(q.score for q in self.questions if q.verdict != "not graded"), 2)

    @property
    def max(self) -> float:
        """The total of the maxima of the questions graded automatically (prose ones are left to a person)."""
        return round(sum(q.max for q in self.questions if q.verdict != "not graded"), 2)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (the JSON format).

        Examples
        --------
        >>> Report([QuestionReport("q1", "not attempted", 0.0, 10.0)]).to_dict()["questions"][0]["verdict"]
        'not attempted'
        """
        return {"source": self.source, "readings": self.readings, "score": self.score, "max": self.max,
                "questions": [asdict(q) for q in self.questions]}

    def to_json(self) -> str:
        """The report as JSON (keys sorted, so the same report gives the same bytes)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """Feedback for the student, in Markdown.

        Examples
        --------
        >>> print(Report([QuestionReport("q2", "not graded", 0.0, 0.0, note="prose")]).to_markdown())
        # Feedback
        <BLANKLINE>
        Total: 0 / 0
        <BLANKLINE>
        ## Q2: not graded (0 / 0)
        <BLANKLINE>
        prose
        <BLANKLINE>
        """
        out = ["# Feedback" + (f" on {self.source}" if self.source else ""), "",
               f"Total: {_num(self.score)} / {_num(self.max)}", ""]
        for q in self.questions:
            out += [f"## {q.id.upper()}: {q.verdict} ({_num(q.score)} / {_num(q.max)})", ""]
            if q.note:
                out += [q.note, ""]
            if q.first_error:
                e = q.first_error
                out += [f"**First wrong step**, line {e['line']}: `{e['latex']}`", "", f"{e['why']}", ""]
                if e.get("counterexample"):
                    out += [f"Counterexample: {_counterexample_text(e['counterexample'])}", ""]
            if q.key_points_found or q.key_points_missing:
                out += [f"Key points found: {', '.join(q.key_points_found) or 'none'}; "
                        f"missing: {', '.join(q.key_points_missing) or 'none'}", ""]
            for s in q.steps:
                how = f" ({s.evidence})" if s.evidence else ""
                line = f"- line {s.line}: **{s.status}**{how} `{s.latex}`"
                if s.why:
                    line += f": {s.why}"
                if s.reading:
                    line += f" (read as: {s.reading})"
                out.append(line)
            if q.steps:
                out.append("")
        return "\n".join(out)

    def to_tex(self) -> str:
        r"""A standalone LaTeX report; the student's text appears only escaped (see :func:`escape_text`).

        Examples
        --------
        >>> tex = Report([QuestionReport("q1", "incorrect", 0.0, 10.0, steps=[StepReport(
        ...     3, r"\input{/etc/passwd} = 1", "not read", why="cannot parse")])]).to_tex()
        >>> r"\input{" in tex, r"\textbackslash{}input\{/etc/passwd\}" in tex
        (False, True)
        """
        out = [r"\documentclass[11pt]{article}", r"\usepackage[T1]{fontenc}", r"\usepackage{amsmath,amssymb}",
               r"\usepackage[margin=2cm]{geometry}", r"\begin{document}",
               rf"\section*{{Feedback{(' on ' + escape_text(self.source)) if self.source else ''}}}",
               rf"Total: {_num(self.score)} / {_num(self.max)}"]
        for q in self.questions:
            out.append(rf"\subsection*{{{q.id.upper()}: {q.verdict} ({_num(q.score)} / {_num(q.max)})}}")
            if q.note:
                out.append(escape_text(q.note) + r"\par")
            if q.first_error:
                out.append(rf"\textbf{{First wrong step}}, line {int(q.first_error['line'])}: "
                           + escape_text(str(q.first_error["why"])) + r"\par")
            out.append(r"\begin{itemize}")
            for s in q.steps:
                shown = rf"\(\displaystyle {s.engine_latex}\)" if s.engine_latex else (
                    r"\texttt{" + escape_text(s.latex) + "}")
                extra = (": " + escape_text(s.why)) if s.why else ""
                out.append(rf"\item line {int(s.line)}, \textbf{{{escape_text(s.status)}}}: {shown}{extra}")
                if s.counterexample and s.counterexample.get("latex"):
                    pairs = ", ".join(f"{k} = {v}" for k, v in s.counterexample["latex"])
                    out.append(rf"\\ counterexample: \({pairs}\)")
            out.append(r"\item (no formulas)" if not q.steps else "")
            out.append(r"\end{itemize}")
        out.append(r"\end{document}")
        return "\n".join(out) + "\n"


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def escape_text(text: str) -> str:
    r"""``text`` as printable characters in TeX: no command, group, math or comment can start from it.

    Characters outside printable ASCII become ``?`` (the report's font may lack them, and control characters
    must not reach TeX).

    Examples
    --------
    >>> escape_text(r"\write18{rm} $x$ 50% é")
    '\\textbackslash{}write18\\{rm\\} \\$x\\$ 50\\% ?'
    """
    out = []
    for ch in text:
        if ch in _TEX_ESCAPES:
            out.append(_TEX_ESCAPES[ch])
        elif " " <= ch <= "~":
            out.append(ch)
        elif ch in "\n\t":
            out.append(" ")
        else:
            out.append("?")
    return "".join(out)


def _num(x: float) -> str:
    return f"{x:g}"


def _counterexample_text(c: dict[str, Any]) -> str:
    pairs = c.get("latex") or list(c.get("at", {}).items())
    at = ", ".join(f"${k} = {v}$" for k, v in pairs)
    sides = f"; the left side is {c['lhs']} and the right side {c['rhs']}" if c.get("lhs") is not None else ""
    return at + sides
