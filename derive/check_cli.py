"""The ``derive check`` subcommand: check a LaTeX claim and exit 0 (holds), 1 (false), 2 (unknown), 3 (parse error)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .check import check, format_verdict
from .errors import DeriveError, LatexParseError

#: Exit statuses of ``derive check``.
EXIT = {True: 0, False: 1, None: 2}
EXIT_PARSE_ERROR = 3


def add_check_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``check`` subcommand to the ``subparsers`` of the main parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="derive")
    >>> _ = add_check_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["check", "a = a", "--question", "q4"]).question
    'q4'
    """
    sub = subparsers.add_parser("check", help="check a claim written in LaTeX",
                                description="Exit 0 when the claim holds, 1 when it is false, 2 when unknown, "
                                            "3 on a parse error.")
    sub.add_argument("claim", help=r"the claim, e.g. '\tanh(a) = 2\sigma(2a) - 1'")
    sub.add_argument("--question", default=None, help="load a question's vocabulary, e.g. q4")
    sub.add_argument("--timeout", type=float, default=3.0, help="budget in seconds (default 3)")
    return sub


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    r"""Run ``derive check`` with parsed ``args``; print the verdict to ``out`` and return the exit status.

    Examples
    --------
    >>> import io, sys
    >>> ns = argparse.Namespace(claim=r"\sigma(0) = \frac{1}{2}", question=None, timeout=3.0)
    >>> run_check(ns, sys.stdout)
    verdict: true
    method:  symbolic proof (structural identity)
    the claim holds
    0
    >>> run_check(argparse.Namespace(claim="x = {", question=None, timeout=3.0), io.StringIO())
    3
    """
    try:
        verdict = check(args.claim, question=args.question, timeout=args.timeout)
    except LatexParseError as exc:
        print(f"parse error: {exc}", file=out)
        return EXIT_PARSE_ERROR
    except DeriveError as exc:
        print(f"unknown: {exc}", file=out)
        return EXIT[None]
    print(format_verdict(verdict), file=out)
    return EXIT[verdict.holds]


__all__ = ["EXIT", "EXIT_PARSE_ERROR", "add_check_parser", "run_check"]
