"""The ``derive`` command line: build the document, list proofs, check claims."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from derive import __version__
from derive.cli.check_command import DEFAULT_PROOFS, EXIT_INTERNAL, EXIT_TABLE, EXIT_USAGE, add_check_parser, run_check
from derive.cli.grad_command import GRAD_EXIT_TABLE, add_grad_parser, run_grad
from derive.cli.grade_command import add_grade_parser, run_grade
from derive.config import VerifyConfig
from derive.document.article import VerifiedProof
from derive.document.build import load_catalogue, select, verify_all, write_outputs
from derive.document.proof import step_failure
from derive.errors import DeriveError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with :data:`EXIT_USAGE` (64, ``EX_USAGE``)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_proofs_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("proofs_dir", nargs="?", default=None, metavar="PROOFS_DIR",
                        help=f"directory of proof modules, imported by path as the package named after it; its "
                             f"__init__.py lists them in DOCUMENT (default: ./{DEFAULT_PROOFS})")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Symbolic derivations for neural networks.",
                     epilog="derive check " + EXIT_TABLE + "; derive grad " + GRAD_EXIT_TABLE + ".")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--proofs", dest="proofs_option", default=None, metavar="DIR",
                        help=f"directory of proof modules (default: {DEFAULT_PROOFS}); the same as PROOFS_DIR of "
                             "build and list, and --proofs of check")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="verify every proof and write the solution document")
    _add_proofs_dir(build)
    build.add_argument("--out", default="output", type=Path, help="output directory (default: output)")
    build.add_argument("--only", default="", help="comma-separated questions or proof names, e.g. q4,q5")
    build.add_argument("--no-pdf", action="store_true", help="write the .tex only")
    build.add_argument("--timeout", type=float, default=VerifyConfig.timeout, help="symbolic budget per step (s)")
    _add_proofs_dir(sub.add_parser("list", help="list the proofs in document order"))
    add_check_parser(sub)
    add_grad_parser(sub)
    add_grade_parser(sub)
    return parser


def proofs_directory(args: argparse.Namespace) -> str:
    """The directory of proof modules that the parsed ``args`` name: ``PROOFS_DIR``, else ``derive --proofs``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line of ``build`` or ``list``.

    Returns
    -------
    str
        The directory as given (relative to the working directory unless absolute); ``proofs`` by default.

    Examples
    --------
    >>> proofs_directory(_parser().parse_args(["build", "myproofs"]))
    'myproofs'
    >>> proofs_directory(_parser().parse_args(["--proofs", "myproofs", "list"]))
    'myproofs'
    >>> proofs_directory(_parser().parse_args(["build"]))
    'proofs'
    """
    for given in (getattr(args, "proofs_dir", None), getattr(args, "proofs_option", None)):
        if given is not None:
            return str(given)
    return DEFAULT_PROOFS


def _conflict(args: argparse.Namespace) -> str | None:
    """A usage error when two options name different directories of proofs (``None`` when they agree)."""
    named = [d for d in (getattr(args, "proofs_dir", None), getattr(args, "proofs", None),
                         getattr(args, "proofs_option", None)) if d is not None]
    if len({Path(d).resolve() for d in named}) > 1:
        return f"two directories of proofs given: {' and '.join(named)}"
    return None


def _build(args: argparse.Namespace, out: TextIO) -> int:
    catalogue = load_catalogue(proofs_directory(args))
    proofs = select([b() for b in catalogue.builders], [o for o in args.only.split(",") if o])
    if not proofs:
        print(f"no proof matches --only {args.only!r}", file=out)
        return 2

    def report(vp: VerifiedProof) -> None:
        status = "ok" if vp.ok else "FAILED"
        print(f"{vp.proof.name:<28} {status:<7} {len(vp.results):>3} steps  {vp.seconds:7.2f} s", file=out)
        for r in vp.results:
            if not r.ok:
                print(str(step_failure(vp.proof.name, r)), file=out)
        out.flush()

    verified = verify_all(proofs, VerifyConfig(timeout=args.timeout), on_proof=report)
    if not all(vp.ok for vp in verified):
        print("build failed: some steps are not verified; nothing was written", file=out)
        return 1
    tex = write_outputs(args.out, catalogue.spec, verified, pdf=not args.no_pdf, data=catalogue.data)
    print(f"wrote {tex}" + ("" if args.no_pdf else f" and {tex.with_suffix('.pdf')}"), file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "cli_demo"
    >>> root.mkdir()
    >>> _ = (root / "__init__.py").write_text('DOCUMENT = ("square",)\\n')
    >>> _ = (root / "square.py").write_text(
    ...     "from derive import Proof, proof\\n\\n@proof\\ndef square():\\n"
    ...     "    return Proof('square', 'Binomial square', question='Q1')\\n")
    >>> main(["list", str(root)])
    q1   square                       Binomial square
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    conflict = _conflict(args)
    if conflict:
        parser.error(conflict)
    out = sys.stdout
    try:
        if args.command == "check":
            return run_check(args, out)
        if args.command == "grad":
            return run_grad(args, out)
        if args.command == "grade":
            return run_grade(args, out, getattr(args, "proofs_option", None))
        if args.command == "list":
            for builder in load_catalogue(proofs_directory(args)).builders:
                p = builder()
                print(f"{p.question.lower() or '-':<4} {p.name:<28} {p.title}", file=out)
            return 0
        return _build(args, out)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # derive list | head: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:  # noqa: BLE001 - an internal error: show the traceback, exit 70 (EX_SOFTWARE)
        traceback.print_exc()
        return EXIT_INTERNAL
