"""The ``derive grad`` subcommand: derive, print, check and export the gradients of a block in a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from derive.errors import DeriveError

#: Exit statuses of ``derive grad``.
EXIT_OK, EXIT_CHECK_FAILED, EXIT_SPEC_ERROR = 0, 1, 3
GRAD_EXIT_TABLE = "exit status: 0 derived (and checks passed), 1 a check failed, 3 the block is wrong, 64 usage error"


def add_grad_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``grad`` subcommand to the ``subparsers`` of the main parser.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="derive")
    >>> _ = add_grad_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["grad", "block.txt", "--check"]).check
    True
    """
    sub = subparsers.add_parser("grad", help="derive the gradients of a block written in a file",
                                description="Derive the gradients of a block (one statement per line: "
                                            "x = input(3, 8, 8), w = param(...), h = conv2d(x, w, padding=1), "
                                            "..., output y). " + GRAD_EXIT_TABLE + ".")
    sub.add_argument("spec", type=Path, metavar="SPEC_FILE", help="the block's text")
    sub.add_argument("--latex", type=Path, metavar="OUT.tex", help="write the derivation document")
    sub.add_argument("--pdf", action="store_true", help="also compile the derivation document to PDF")
    sub.add_argument("--emit-numpy", type=Path, metavar="OUT.py", help="write a standalone NumPy module")
    sub.add_argument("--check", action="store_true",
                     help="check against SymPy's diff (exactly, at small sizes) and by finite differences")
    sub.add_argument("--seed", type=int, default=0, help="seed of the checks' random points (default 0)")
    return sub


def run_grad(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``derive grad`` with parsed ``args``, printing to ``out``; returns the exit status.

    Examples
    --------
    >>> import io, tempfile
    >>> spec = Path(tempfile.mkdtemp()) / "block.txt"
    >>> _ = spec.write_text("x = input(3)\\ny = sum(relu(x))\\noutput y\\n")
    >>> ns = argparse.Namespace(spec=spec, latex=None, pdf=False, emit_numpy=None, check=False, seed=0)
    >>> buffer = io.StringIO()
    >>> run_grad(ns, buffer)
    0
    >>> print(buffer.getvalue().strip())
    delta_x = broadcast(delta_y; (3,))*Indicator(x)
    """
    from derive.calculus.gradient import grad
    from derive.model.spec import SpecError

    try:
        text = args.spec.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeriveError(f"cannot read {args.spec}: {exc}") from exc
    try:
        g = grad(text)
    except SpecError as exc:
        print(f"derive grad: {args.spec}: {exc}", file=out)
        return EXIT_SPEC_ERROR
    for node, form in g.derivation():
        print(f"{node} = {form}", file=out)
    status = EXIT_OK
    if args.check:
        from derive.verify.gradient_checks import exact_check, numeric_check

        for check in (exact_check, numeric_check):
            try:
                report = check(g, seed=args.seed)
            except DeriveError as exc:
                print(f"{check.__name__}: not run ({exc})", file=out)
                continue
            print("\n".join(report.lines()), file=out)
            if not report.passed:
                status = EXIT_CHECK_FAILED
    if args.emit_numpy is not None:
        _write(args.emit_numpy, g.numpy_source())
        print(f"wrote {args.emit_numpy}", file=out)
    if args.latex is not None or args.pdf:
        tex = args.latex if args.latex is not None else args.spec.with_suffix(".tex")
        _write(tex, g.latex())
        print(f"wrote {tex}", file=out)
        if args.pdf:
            from derive.document.pdf import compile_pdf

            print(f"wrote {compile_pdf(tex)}", file=out)
    return status


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DeriveError(f"cannot write {path}: {exc}") from exc
