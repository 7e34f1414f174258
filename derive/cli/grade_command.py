"""The ``derive grade`` subcommand: grade one submission, or every submission in a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from derive.errors import InputFileError, OutputError

#: Exit statuses of ``derive grade``.
EXIT_GRADED, EXIT_NOT_GRADED = 0, 1
GRADE_EXIT_TABLE = ("exit status: 0 graded (whatever the grades), 1 a submission could not be graded (empty, binary, "
                    "too large) or the output cannot be written, 64 usage error")
DEFAULT_READINGS = Path("grading") / "readings.toml"
DEFAULT_RUBRIC = Path("grading") / "rubric.toml"


def add_grade_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``grade`` subcommand to the ``subparsers`` of the main parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="derive")
    >>> _ = add_grade_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["grade", "hw.md", "--format", "json"]).format
    'json'
    """
    sub = subparsers.add_parser(
        "grade", help="grade a student's submission (Markdown with LaTeX) step by step",
        description="Grade a submission, or every *.md in a folder (then one feedback file each and a "
                    "gradebook.csv). The questions' vocabularies, readings and rubric come from the proofs "
                    f"directory: PROOFS/vocabulary.py, PROOFS/{DEFAULT_READINGS}, PROOFS/{DEFAULT_RUBRIC}, "
                    "when they exist. " + GRADE_EXIT_TABLE + ".")
    sub.add_argument("submission", type=Path, metavar="SUBMISSION.md or DIR")
    sub.add_argument("--readings", type=Path, default=None, metavar="FILE",
                     help=f"how the scans are read (TOML; default: PROOFS/{DEFAULT_READINGS} if it exists)")
    sub.add_argument("--no-readings", action="store_true", help="apply no readings")
    sub.add_argument("--rubric", type=Path, default=None, metavar="FILE",
                     help=f"points per question (TOML; default: PROOFS/{DEFAULT_RUBRIC} if it exists, else 4 "
                          "points per final answer and 6 for the steps of each question)")
    sub.add_argument("--format", choices=("md", "json", "tex"), default="md", help="the report's format")
    sub.add_argument("--pdf", action="store_true", help="also compile the LaTeX report (implies --format tex)")
    sub.add_argument("--out", type=Path, default=None, metavar="FILE or DIR",
                     help="where to write (default: standard output; for a folder, the folder itself)")
    sub.add_argument("-j", "--jobs", type=int, default=None, help="processes for a folder (default: the cores)")
    sub.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                     help="budget of one step's check (default 3)")
    return sub


def run_grade(args: argparse.Namespace, out: TextIO, proofs_dir: str | None = None) -> int:
    """Run ``derive grade`` with parsed ``args``; the exit status.

    Examples
    --------
    >>> import io, tempfile
    >>> hw = Path(tempfile.mkdtemp()) / "hw.md"
    >>> _ = hw.write_text("Q1) $$(1 + 4 \\\\cdot 2)^2 = 81$$\\n")
    >>> ns = argparse.Namespace(submission=hw, readings=None, no_readings=True, rubric=None, format="json",
    ...                         pdf=False, out=None, jobs=1, budget=None)
    >>> buffer = io.StringIO()
    >>> run_grade(ns, buffer, proofs_dir="nowhere")
    0
    >>> '"verdict": "correct"' in buffer.getvalue()
    True
    """
    from derive.cli.check_command import DEFAULT_PROOFS, register_from
    from derive.grade.grader import DEFAULT_BUDGET, grade
    from derive.grade.readings import load_readings
    from derive.grade.rubric import load_rubric

    proofs = Path(proofs_dir or DEFAULT_PROOFS)
    register_from(str(proofs))
    readings_path = args.readings or (proofs / DEFAULT_READINGS if (proofs / DEFAULT_READINGS).is_file() else None)
    readings = () if args.no_readings or readings_path is None else load_readings(readings_path)
    rubric_path = args.rubric or (proofs / DEFAULT_RUBRIC if (proofs / DEFAULT_RUBRIC).is_file() else None)
    rubric = load_rubric(rubric_path) if rubric_path is not None else None
    budget = args.budget if args.budget is not None else DEFAULT_BUDGET
    if not budget > 0:
        raise InputFileError(f"--budget must be positive, got {budget}")
    fmt = "tex" if args.pdf else args.format
    if args.submission.is_dir():
        return _grade_folder(args, readings, rubric, budget, fmt, proofs, out)
    try:
        data = args.submission.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {args.submission}: {exc.strerror or exc}",
                             path=str(args.submission)) from exc
    report = grade(data, readings=readings, rubric=rubric, budget=budget, source=args.submission.name)
    if readings_path is not None and not args.no_readings:
        report.readings = str(readings_path)
    text = _render(report, fmt)
    if args.out is None and not args.pdf:
        out.write(text)
        return EXIT_GRADED
    target = args.out or args.submission.with_suffix(".feedback.tex")
    _write(target, text)
    if args.pdf:
        from derive.document.pdf import compile_pdf

        compile_pdf(target)
    print(f"wrote {target}", file=out)
    return EXIT_GRADED


def _render(report: Any, fmt: str) -> str:
    return {"md": report.to_markdown, "json": report.to_json, "tex": report.to_tex}[fmt]()


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from exc


def _grade_folder(args: argparse.Namespace, readings: Any, rubric: Any, budget: float, fmt: str, proofs: Path,
                  out: TextIO) -> int:
    from derive.grade.course import FORMATS, grade_directory, gradebook_csv

    target = args.out or args.submission
    if not target.is_dir():
        raise OutputError(f"{target} is not a directory", path=str(target))
    dirs = (str(proofs),) if (proofs / "vocabulary.py").is_file() else ()
    graded = grade_directory(args.submission, readings=readings, rubric=rubric, jobs=args.jobs, budget=budget,
                             vocabulary_dirs=dirs)
    for g in graded:
        if g.report is not None:
            _write(target / (g.path.stem + FORMATS[fmt]), _render(g.report, fmt))
        else:
            print(f"derive grade: {g.path.name}: {g.error}", file=sys.stderr)
    _write(target / "gradebook.csv", gradebook_csv(graded))
    print(f"graded {sum(g.report is not None for g in graded)} of {len(graded)} submissions; "
          f"wrote {target / 'gradebook.csv'}", file=out)
    return EXIT_GRADED if all(g.report is not None for g in graded) else EXIT_NOT_GRADED
