"""The ``derive check`` subcommand: check a LaTeX claim; the exit status is the verdict (see :data:`EXIT`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from derive.claims.check import check, format_verdict
from derive.document.loader import import_submodule
from derive.errors import DeriveError, LatexParseError, UnsupportedError

#: Exit statuses of ``derive check``, one per verdict.
EXIT = {"proven": 0, "refuted": 1, "unknown": 2, "agrees": 4}
EXIT_PARSE_ERROR = 3
EXIT_USAGE = 64
EXIT_INTERNAL = 70

#: The directory of proof modules when ``--proofs`` is not given (relative to the working directory).
DEFAULT_PROOFS = "proofs"
#: The module of that directory that registers the questions' vocabularies when imported.
VOCABULARY_MODULE = "vocabulary"

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
    sub.add_argument("--proofs", default=None, metavar="DIR",
                     help=f"directory of proof modules whose {VOCABULARY_MODULE}.py, when present, registers the "
                          f"vocabularies of --question; imported by path (default: {DEFAULT_PROOFS})")
    sub.add_argument("--timeout", type=float, default=3.0, help="budget in seconds (default 3)")
    return sub


def register_from(directory: str | None, *, explicit: bool = False) -> None:
    """Import ``directory``'s vocabulary module by path, so that its vocabularies are registered.

    Nothing happens when the directory or the module does not exist, unless the directory was ``explicit``
    (named on the command line): then a missing directory is an error.

    Parameters
    ----------
    directory : str, optional
        The directory of proof modules; :data:`DEFAULT_PROOFS` (relative to the working directory) for ``None``.
    explicit : bool
        Whether the user named the directory, so that its absence is an error.

    Raises
    ------
    UnsupportedError
        When an explicit directory does not exist, or the directory cannot be imported under its name.

    Examples
    --------
    >>> register_from("no such directory")
    >>> register_from("no such directory", explicit=True)
    Traceback (most recent call last):
    ...
    derive.errors.UnsupportedError: no directory .../no such directory
    """
    path = Path(directory or DEFAULT_PROOFS)
    if not path.is_dir():
        if explicit:
            raise UnsupportedError(f"no directory {path.resolve()}")
        return
    import_submodule(path, VOCABULARY_MODULE)


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    r"""Run ``derive check`` with parsed ``args``; print the verdict to ``out`` and return the exit status.

    With ``--question``, the vocabulary module of the ``--proofs`` directory (default ``proofs/`` in the
    working directory) is imported first, by path, when it exists: it registers the questions' vocabularies.

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
    >>> run_check(argparse.Namespace(claim="a = a", question="q4", timeout=3.0, proofs="nowhere"), sys.stdout)
    usage error: no directory .../nowhere
    64
    """
    if not args.timeout > 0:
        print("usage error: --timeout must be positive", file=out)
        return EXIT_USAGE
    if args.question is not None:
        directory = getattr(args, "proofs", None) or getattr(args, "proofs_option", None)
        try:
            register_from(directory, explicit=directory is not None)
        except DeriveError as exc:
            print(f"usage error: {exc}", file=out)
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


__all__ = ["DEFAULT_PROOFS", "EXIT", "EXIT_INTERNAL", "EXIT_PARSE_ERROR", "EXIT_TABLE", "EXIT_USAGE",
           "VOCABULARY_MODULE", "add_check_parser", "register_from", "run_check"]
