"""The ``derive check`` subcommand: check a LaTeX claim; the exit status is the verdict (see :data:`EXIT`)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .check import check, format_verdict
from .errors import DeriveError, LatexParseError

#: Exit statuses of ``derive check``, one per verdict.
EXIT = {"proven": 0, "refuted": 1, "unknown": 2, "agrees": 4}
EXIT_PARSE_ERROR = 3
EXIT_USAGE = 64
EXIT_INTERNAL = 70

#: The table printed by ``derive check --help`` and in the README.
EXIT_TABLE = ("exit status: 0 proven, 1 refuted, 2 unknown, 3 parse error, 4 agrees at points (not proven), "
              "64 usage error, 70 internal error")


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
                                description="Decide a claim written in LaTeX. " + EXIT_TABLE + ".")
    sub.add_argument("claim", help=r"the claim, e.g. '\tanh(a) = 2\sigma(2a) - 1'")
    sub.add_argument("--question", default=None, help="use a registered vocabulary, e.g. q4")
    sub.add_argument("--timeout", type=float, default=3.0, help="budget in seconds (default 3)")
    return sub


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    r"""Run ``derive check`` with parsed ``args``; print the verdict to ``out`` and return the exit status.

    Examples
    --------
    >>> import io, sys
    >>> ns = argparse.Namespace(claim=r"\sum_{k=1}^{3} k = 6", question=None, timeout=3.0)
    >>> run_check(ns, sys.stdout)
    verdict: proven
    method:  exact evaluation
    a claim without variables, evaluated
    0
    >>> run_check(argparse.Namespace(claim="x = {", question=None, timeout=3.0), io.StringIO())
    3
    """
    if not args.timeout > 0:
        print("usage error: --timeout must be positive", file=out)
        return EXIT_USAGE
    try:
        verdict = check(args.claim, question=args.question, timeout=args.timeout)
    except LatexParseError as exc:
        print(f"parse error: {exc}", file=out)
        return EXIT_PARSE_ERROR
    except DeriveError as exc:
        print(f"unknown: {exc}", file=out)
        return EXIT["unknown"]
    print(format_verdict(verdict), file=out)
    return EXIT[verdict.status]


__all__ = ["EXIT", "EXIT_INTERNAL", "EXIT_PARSE_ERROR", "EXIT_TABLE", "EXIT_USAGE", "add_check_parser", "run_check"]
