"""Grading a student's submission step by step (``derive grade``): read it, check it, score it, report it.

submission (split into questions and claims) -> readings (how the scans are read) -> grader (each claim and
chain line checked under the question's vocabulary) -> report (Markdown, JSON, LaTeX) -> course (a folder,
in parallel, with a gradebook).
"""

from __future__ import annotations

from derive.grade.grader import grade
from derive.grade.readings import Reading, load_readings
from derive.grade.report import QuestionReport, Report, StepReport
from derive.grade.rubric import Rubric, load_rubric

__all__ = ["QuestionReport", "Reading", "Report", "Rubric", "StepReport", "grade", "load_readings", "load_rubric"]
