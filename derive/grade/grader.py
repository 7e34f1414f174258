r"""Grade a submission step by step: each claim against the engine's results, each chain line against the one
before, the first wrong step with a counterexample in the student's notation, and a score.

Every claim is decided by :func:`derive.claims.check.check` under the question's vocabulary and the budget of
the verification policy; an expired budget gives ``unverified``, never ``valid``. ``valid`` says what it rests
on: a proof, or agreement at points (evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.claims.check import check
from derive.claims.vocabulary import Vocabulary, load_vocabulary, registered_vocabularies
from derive.errors import DeriveError
from derive.grade.readings import Reading, apply_readings, normalise
from derive.grade.report import QuestionReport, Report, StepReport
from derive.grade.rubric import DEFAULT_RUBRIC, QuestionRubric, Rubric
from derive.grade.submission import Piece, Question, read_submission, split_submission

__all__ = ["DEFAULT_BUDGET", "grade", "split_relations"]

#: Seconds for the check of one step.
DEFAULT_BUDGET = 3.0

_RELATIONS = ("\\approx", "\\neq", "\\leq", "\\geq", "\\ne", "\\le", "\\ge", "=", "<", ">")
_OPEN, _CLOSE = "({[", ")}]"


def split_relations(latex: str) -> tuple[list[str], list[str]]:
    r"""Cut ``latex`` at its top-level relations: ``a = b \le c`` -> ``(['a', 'b', 'c'], ['=', '\le'])``.

    Relations inside brackets, braces or environments (``(h > 0)``, ``\begin{cases}``) are not cut.

    Examples
    --------
    >>> split_relations(r"= \frac{1}{2} (h > 0) \geq 0")
    (['', '\\frac{1}{2} (h > 0)', '0'], ['=', '\\geq'])
    """
    sides, relations, depth, start, k = [], [], 0, 0, 0
    while k < len(latex):
        if latex.startswith("\\begin{", k):
            depth += 1
        elif latex.startswith("\\end{", k):
            depth -= 1
        ch = latex[k]
        if ch == "\\" and k + 1 < len(latex) and latex[k + 1] in _OPEN + _CLOSE + "\\":
            k += 2
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0:
            relation = next((r for r in _RELATIONS if latex.startswith(r, k)
                             and not (r[0] == "\\" and latex[k + len(r):k + len(r) + 1].isalpha())), None)
            if relation is not None:
                sides.append(latex[start:k].strip())
                relations.append(relation)
                k += len(relation)
                start = k
                continue
        k += 1
    sides.append(latex[start:].strip())
    return sides, relations


@dataclass
class _Context:
    question: str
    vocabulary: Vocabulary
    readings: tuple[Reading, ...]
    budget: float
    #: Names the student defined in this question (LaTeX of the name -> LaTeX of its definition), in order.
    definitions: dict[str, str] = field(default_factory=dict)
    #: Names of the symbols and arrays used so far in this question.
    seen: set[str] = field(default_factory=set)


def _names(expr: sp.Basic) -> set[str]:
    """The names ``expr`` uses; an array ``z_j`` is ``z[]``, so it is told apart from a scalar ``z``."""
    indexed = expr.atoms(sp.Indexed)
    out = {f"{i.base.label}[]" for i in indexed}
    out |= {str(s) for s in expr.free_symbols - {i.base.label for i in indexed} - set().union(
        *(i.free_symbols - i.base.free_symbols for i in indexed))}
    out |= {type(f).__name__ for f in expr.atoms(AppliedUndef)}
    return out


#: A single name as a student writes one: ``z_j``, ``h^{(1)}``, ``w^{(2)}_{kj}``, ``y_k(x, w)``.
_NAME = re.compile(r"^\\?[A-Za-z]+(?:_(?:\{[^{}]*\}|[A-Za-z0-9])|\^\{\(\d+\)\}|\^\(\d+\))*(?:\s*\([^()]*\))?$")
_CALL = re.compile(r"\s*\([^()]*\)$")


def _definition(lhs: str, rhs: str, ctx: _Context) -> str | None:
    """The name ``lhs = rhs`` introduces, when it is a definition: ``lhs`` is a single name (``z_j``, ``a``)
    that the vocabulary does not know, not used before in the question, and not on the right side."""
    from derive.claims.parse import parse_latex

    if not _NAME.match(lhs.strip()):
        return None
    called = _CALL.search(lhs) is not None  # y_k(x, w): a function the student names, known by its name only
    try:
        left = parse_latex(_CALL.sub("", lhs), vocabulary=ctx.vocabulary, timeout=ctx.budget)
        right = parse_latex(rhs, vocabulary=ctx.vocabulary, timeout=ctx.budget)
    except DeriveError:
        return None
    if called and lhs.strip() not in ctx.definitions:
        return lhs.strip() if not ctx.vocabulary.is_array(left) else None
    if isinstance(left, sp.Symbol):
        name = left.name
        known = name in ctx.vocabulary.symbols
    elif isinstance(left, sp.Indexed):
        name = f"{left.base.label}[]"
        known = str(left.base.label) in ctx.vocabulary.bases or any(
            rule.base == left.base or left.base in {i.base for i in rule.value.atoms(sp.Indexed)}
            for rule in ctx.vocabulary.rules)  # an array the engine's results define, or are stated in
    else:
        return None
    if known or ctx.vocabulary.is_array(left) or name in ctx.seen or name in _names(right):
        return None
    return name


def _substitute(text: str, ctx: _Context) -> str:
    """``text`` with each name the student defined replaced by its definition, in brackets."""
    for name, value in ctx.definitions.items():
        bracketed = rf"\left({value}\right)"
        text = re.sub(re.escape(name) + r"(?![A-Za-z0-9{^_'])", lambda _m: bracketed, text)  # noqa: B023
    return text


def _decide(text: str, ctx: _Context) -> tuple[str, str, str, str, dict[str, object] | None]:
    """(status, why, evidence, engine LaTeX, counterexample) of one claim."""
    from derive.printing.latex import latex

    try:
        verdict = check(text, vocabulary=ctx.vocabulary, timeout=ctx.budget)
    except DeriveError as exc:
        return "not read", str(exc).splitlines()[0], "", "", None
    shown = latex(verdict.claim) if verdict.claim is not None else ""
    if verdict.status == "proven":
        return "valid", "", "proof", shown, None
    if verdict.status == "agrees":
        return "valid", "", f"agrees at {verdict.points} points (evidence, not a proof)", shown, None
    if verdict.status == "refuted":
        point = verdict.counterexample or verdict.witness
        record: dict[str, object] | None = None
        if point is not None:
            record = {"at": point.record(), "latex": [list(p) for p in point.latex_pairs()],
                      "lhs": point.lhs_text, "rhs": point.rhs_text}
        why = verdict.reason or "the two sides differ"
        return "invalid", why, "", shown, record
    return "unverified", verdict.reason or "undecided within the budget", "", shown, None


def _steps_of(piece: Piece, previous: str | None, ctx: _Context) -> tuple[list[StepReport], str | None]:
    if piece.problem:
        return [StepReport(piece.line, piece.latex, "not read", why=piece.problem)], None
    body, boxed = normalise(piece.latex)
    read, applied = apply_readings(body, ctx.question, ctx.readings)
    reading = "; ".join(f"{r.find} as {r.read} ({r.why})" if r.why else f"{r.find} as {r.read}" for r in applied)
    sides, relations = split_relations(read)
    if not relations:
        return [StepReport(piece.line, piece.latex, "not read", reading=reading,
                           why="states no relation (=, <, \\le, ...) to check")], previous
    if not sides[0]:
        if previous is None:
            return [StepReport(piece.line, piece.latex, "not read", reading=reading,
                               why="begins with a relation, but no line before it ends in an expression")], None
        sides[0] = previous
    steps = []
    for k, relation in enumerate(relations):
        lhs, rhs = sides[k], sides[k + 1]
        shown_text = piece.latex if len(relations) == 1 else f"{lhs} {relation} {rhs}"
        if not lhs or not rhs:
            steps.append(StepReport(piece.line, piece.latex, "not read", reading=reading,
                                    why=f"one side of {relation} is empty"))
            continue
        if relation == "\\approx":
            steps.append(StepReport(piece.line, piece.latex, "unverified", reading=reading,
                                    why="an approximation (\\approx) is not checked"))
            continue
        if k == 0 and relation == "=" and (name := _definition(lhs, rhs, ctx)) is not None:
            steps.append(StepReport(piece.line, shown_text, "valid", reading=reading,
                                    evidence=f"a definition: it introduces {lhs}"))
            ctx.definitions[lhs] = _substitute(rhs, ctx)
            ctx.seen.add(name)
            continue
        status, why, evidence, shown, counterexample = _decide(
            f"{_substitute(lhs, ctx)} {relation} {_substitute(rhs, ctx)}", ctx)
        _remember(f"{lhs} {relation} {rhs}", ctx)
        steps.append(StepReport(piece.line, shown_text, status, reading=reading, why=why, evidence=evidence,
                                engine_latex=shown, counterexample=counterexample, final=boxed, lhs=lhs))
    return steps, sides[-1] or None


def _remember(text: str, ctx: _Context) -> None:
    """Add the names ``text`` uses to those seen in the question (so they cannot be defined later)."""
    from derive.claims.parse import parse_latex

    try:
        ctx.seen |= _names(parse_latex(text, vocabulary=ctx.vocabulary, timeout=ctx.budget))
    except DeriveError:
        return


def _grade_question(q: Question, rubric: QuestionRubric, readings: tuple[Reading, ...],
                    budget: float) -> QuestionReport:
    if rubric.prose or (rubric.prose is None and not q.pieces):
        found = [k.point for k in rubric.key_points if any(w.lower() in q.prose.lower() for w in k.words)]
        missing = [k.point for k in rubric.key_points if k.point not in found]
        verdict = "not graded" if (q.prose or q.pieces) else "not attempted"
        return QuestionReport(q.id, verdict, 0.0, rubric.max, q.line,
                              note="not graded automatically (a prose answer)" if verdict == "not graded" else "",
                              key_points_found=found, key_points_missing=missing)
    name = rubric.vocabulary or (q.id if q.id in registered_vocabularies() else None)
    note = ""
    try:
        vocabulary = load_vocabulary(name)
    except DeriveError:
        vocabulary, note = load_vocabulary(None), f"no vocabulary {name!r} is registered; read with the default one"
    ctx = _Context(q.id, vocabulary, readings, budget)
    steps: list[StepReport] = []
    previous: str | None = None
    for piece in q.pieces:
        new, previous = _steps_of(piece, previous, ctx)
        steps.extend(new)
    return _score(q, rubric, steps, note)


def _score(q: Question, rubric: QuestionRubric, steps: list[StepReport], note: str) -> QuestionReport:
    read = [s for s in steps if s.status != "not read"]
    if not read:
        return QuestionReport(q.id, "not read", 0.0, rubric.max, q.line, steps=steps,
                              note=note or "no formula of this question could be read")
    missing: list[str] = []
    if rubric.final:
        finals = []
        for target in rubric.final:
            stated = [s for s in read if _compact(s.lhs) == _compact(target)]
            if stated:
                finals.append(stated[-1])
            else:
                missing.append(target)
        for s in steps:
            s.final = s in finals
    else:
        finals = [s for s in read if s.final] or [read[-1]]
        for s in finals:
            s.final = True
    first = next((s for s in read if s.status == "invalid"), None)
    before = read[:read.index(first)] if first else read
    valid_before = sum(s.status == "valid" for s in before)
    answer_ok = not missing and all(s.status == "valid" for s in finals)
    if missing:
        note = " ".join(filter(None, [note, "no final answer states " + ", ".join(f"${m}$" for m in missing)]))
    score = (rubric.answer if answer_ok else 0.0) + rubric.steps * valid_before / len(read)
    unsure = [s for s in steps if s.status in ("unverified", "not read")]
    if first is None and answer_ok and not unsure:
        verdict = "correct"
    elif first is None or valid_before or answer_ok:
        verdict = "partially correct"
    else:
        verdict = "incorrect"
    error = None
    if first is not None:
        error = {"line": first.line, "latex": first.latex, "why": first.why, "counterexample": first.counterexample,
                 "engine_latex": first.engine_latex}
    if unsure and first is None:
        note = " ".join(filter(None, [note, f"{len(unsure)} of {len(steps)} steps could not be read or verified, "
                                            "so the question is not called correct"]))
    return QuestionReport(q.id, verdict, round(score, 2), rubric.max, q.line, error, steps, note)


def _compact(latex: str) -> str:
    """LaTeX without spaces and sizing (``\\left``, ``\\right``), to compare two left sides."""
    return re.sub(r"\s+|\\left|\\right", "", latex)


def grade(text: str | bytes, *, readings: tuple[Reading, ...] | None = None, rubric: Rubric | None = None,
          budget: float = DEFAULT_BUDGET, source: str = "") -> Report:
    r"""Grade a Markdown submission question by question.

    Parameters
    ----------
    text : str or bytes
        The submission: Markdown with LaTeX maths, questions headed ``Q1)``, ``## Q1``, ``Question 1``, ...
    readings : tuple of Reading, optional
        How the course's scans are read (:func:`derive.grade.readings.load_readings`).
    rubric : Rubric, optional
        Points and vocabularies per question; :data:`derive.grade.rubric.DEFAULT_RUBRIC` when omitted.
    budget : float
        Seconds for the check of one step.
    source : str
        A name for the submission, printed in the reports.

    Returns
    -------
    Report

    Raises
    ------
    SubmissionError
        When the submission is empty, binary, too large or not UTF-8.

    Examples
    --------
    >>> r = grade("Q1) $$\\tanh(z) = 2\\sigma(2z) - 1$$\n$$= 2\\sigma(z) - 1$$\nQ2) more units: less bias")
    >>> [(q.id, q.verdict) for q in r.questions]
    [('q1', 'partially correct'), ('q2', 'not graded')]
    >>> r.questions[0].first_error["line"]
    2
    """
    if not budget > 0:
        raise DeriveError(f"the budget must be positive, got {budget!r}")
    body = read_submission(text, path=source)
    rubric = rubric or DEFAULT_RUBRIC
    questions = split_submission(body)
    reports = [_grade_question(q, rubric.for_question(q.id), tuple(readings or ()), budget) for q in questions]
    report = Report(reports, source=source)
    if not questions:
        report.questions.append(QuestionReport("none", "not attempted", 0.0, 0.0,
                                               note="no question heading (Q1), ## Q1, Question 1) was found"))
    return report
