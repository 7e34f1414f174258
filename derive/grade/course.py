"""Grade every submission of a course folder in parallel processes: one feedback file each, and a gradebook.

A submission that fails to grade (binary, empty, too large, or a bug) is reported in its gradebook row and
never stops the run.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from derive.errors import DeriveError, SubmissionError
from derive.grade.grader import DEFAULT_BUDGET, grade
from derive.grade.readings import Reading
from derive.grade.report import Report
from derive.grade.rubric import Rubric

__all__ = ["Graded", "gradebook_csv", "grade_directory", "submissions_in"]

FORMATS = {"md": ".feedback.md", "json": ".feedback.json", "tex": ".feedback.tex"}


@dataclass
class Graded:
    """One submission of a course: its path, its report, or why it could not be graded."""

    path: Path
    report: Report | None
    error: str = ""


def submissions_in(directory: Path) -> list[Path]:
    """The Markdown submissions in ``directory`` (``*.md``, not feedback files), sorted by name."""
    if not directory.is_dir():
        raise SubmissionError(f"{directory} is not a directory", path=str(directory))
    return sorted(p for p in directory.glob("*.md") if not p.name.endswith(".feedback.md"))


def _grade_one(args: tuple[Path, tuple[Reading, ...], Rubric | None, float, tuple[str, ...]]) -> Graded:
    path, readings, rubric, budget, modules = args
    _register(modules)
    try:
        report = grade(path.read_bytes(), readings=readings, rubric=rubric, budget=budget, source=path.name)
    except DeriveError as exc:
        return Graded(path, None, str(exc).splitlines()[0])
    except OSError as exc:
        return Graded(path, None, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a bug in the grader must not stop a course's run
        return Graded(path, None, f"internal error: {type(exc).__name__}: {exc}")
    return Graded(path, report)


def _register(modules: tuple[str, ...]) -> None:
    """Import the vocabulary modules in a worker process (they register the course's vocabularies)."""
    from derive.document.loader import import_submodule

    for directory in modules:
        import_submodule(Path(directory), "vocabulary")


def grade_directory(directory: Path, *, readings: tuple[Reading, ...] = (), rubric: Rubric | None = None,
                    jobs: int | None = None, budget: float = DEFAULT_BUDGET,
                    vocabulary_dirs: Sequence[str] = ()) -> list[Graded]:
    """Grade every submission in ``directory`` with ``jobs`` processes (default: the number of cores).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.md").write_text("Q1) $$2 + 2 = 4$$")
    >>> _ = (d / "b.md").write_bytes(b"\\x00")
    >>> [(g.path.name, g.report.questions[0].verdict if g.report else g.error) for g in grade_directory(d, jobs=1)]
    [('a.md', 'correct'), ('b.md', 'the submission is binary data, not text')]
    """
    paths = submissions_in(directory)
    work = [(p, tuple(readings), rubric, budget, tuple(vocabulary_dirs)) for p in paths]
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(work) <= 1:
        return [_grade_one(w) for w in work]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_grade_one, work))


def gradebook_csv(graded: Sequence[Graded]) -> str:
    """The gradebook: one row per submission, one column per question (its score, or "not graded" for a prose
    answer left to a person), the total of the graded questions, its maximum and any error.

    Examples
    --------
    >>> from derive.grade.report import QuestionReport
    >>> g = Graded(Path("a.md"), Report([QuestionReport("q1", "correct", 10.0, 10.0)]))
    >>> print(gradebook_csv([g, Graded(Path("b.md"), None, "empty")]).strip())
    submission,q1,total,max,error
    a.md,10,10,10,
    b.md,,,,empty
    """
    questions = sorted({q.id for g in graded if g.report for q in g.report.questions},
                       key=lambda q: (len(q), q))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", *questions, "total", "max", "error"])
    for g in graded:
        if g.report is None:
            writer.writerow([g.path.name, *([""] * len(questions)), "", "", g.error])
            continue
        scores = {q.id: "not graded" if q.verdict == "not graded" else f"{q.score:g}" for q in g.report.questions}
        writer.writerow([g.path.name, *(scores.get(q, "") for q in questions), f"{g.report.score:g}",
                         f"{g.report.max:g}", ""])
    return buffer.getvalue()
