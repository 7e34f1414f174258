r"""A rubric: points per question, per final answer and per valid step, and which vocabulary reads a question.

A rubric file (TOML)::

    [default]            # applies to every question not listed
    answer = 4.0         # points for a correct final answer
    steps = 6.0          # shared by the question's steps; partial credit is the share of valid steps before
                         # the first wrong one
    [questions.q1]
    vocabulary = "q1"    # a registered vocabulary (derive.register_vocabulary); else the default one
    final = ['\\frac{\\partial L}{\\partial x}']   # the last such line is the final answer
    [questions.q3]
    prose = true         # "not graded automatically"
    key_points = [{point = "bias falls", words = ["less bias", "lower bias"]}]

Without a file, :data:`DEFAULT_RUBRIC` gives every question 4 points for the final answer and 6 for the steps,
reads it with the vocabulary registered under its id (``q4``) when there is one, and treats a question without
equations as prose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from derive.errors import SubmissionError
from derive.grade.readings import read_toml

__all__ = ["DEFAULT_RUBRIC", "KeyPoint", "QuestionRubric", "Rubric", "load_rubric"]


@dataclass(frozen=True)
class KeyPoint:
    """A point a prose answer should make, found when any of ``words`` occurs (case-insensitive)."""

    point: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class QuestionRubric:
    """How one question is graded."""

    answer: float = 4.0
    steps: float = 6.0
    vocabulary: str | None = None
    prose: bool | None = None  # None: prose when the question states no equation
    key_points: tuple[KeyPoint, ...] = ()
    #: The left sides (LaTeX) whose last statement in the question is a final answer; empty: the boxed claims,
    #: else the question's last step.
    final: tuple[str, ...] = ()

    @property
    def max(self) -> float:
        """The question's maximum score."""
        return self.answer + self.steps


@dataclass(frozen=True)
class Rubric:
    """Per-question rubrics and the default for questions not listed."""

    default: QuestionRubric = field(default_factory=QuestionRubric)
    questions: dict[str, QuestionRubric] = field(default_factory=dict)

    def for_question(self, qid: str) -> QuestionRubric:
        """The rubric of question ``qid`` (``"q1"``).

        Examples
        --------
        >>> DEFAULT_RUBRIC.for_question("q7").max
        10.0
        """
        return self.questions.get(qid, self.default)


DEFAULT_RUBRIC = Rubric()


def _question(entry: dict[str, object], base: QuestionRubric, where: str) -> QuestionRubric:
    try:
        points = tuple(KeyPoint(str(k["point"]), tuple(str(w) for w in k["words"]))  # type: ignore[index]
                       for k in entry.get("key_points", ()))  # type: ignore[attr-defined]
        answer = float(entry.get("answer", base.answer))  # type: ignore[arg-type]
        steps = float(entry.get("steps", base.steps))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise SubmissionError(f"the rubric's {where} is malformed: {exc}") from exc
    if answer < 0 or steps < 0:
        raise SubmissionError(f"the rubric's {where} gives negative points")
    vocabulary = entry.get("vocabulary", base.vocabulary)
    prose = entry.get("prose", base.prose)
    final = entry.get("final", ())
    if not isinstance(final, (list, tuple)) or not all(isinstance(f, str) for f in final):
        raise SubmissionError(f"the rubric's {where} final must be a list of LaTeX strings")
    return QuestionRubric(answer, steps, None if vocabulary is None else str(vocabulary),
                          None if prose is None else bool(prose), points or base.key_points, tuple(final))


def load_rubric(path: str | Path) -> Rubric:
    """Read a rubric file.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    ...     _ = f.write('[default]\\nanswer = 2\\n[questions.q1]\\nvocabulary = "q1"\\nsteps = 8\\n')
    >>> r = load_rubric(f.name)
    >>> r.for_question("q1").max, r.for_question("q2").max
    (10.0, 8.0)
    >>> os.unlink(f.name)
    """
    data = read_toml(path, "the rubric")
    default = _question(data.get("default", {}), QuestionRubric(), "[default]")
    questions = {str(q).lower(): _question(entry, default, f"[questions.{q}]")
                 for q, entry in data.get("questions", {}).items()}
    return Rubric(default, questions)
