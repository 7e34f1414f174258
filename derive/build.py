"""Load proof modules, verify every step, and write the solution document."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import VerifyConfig
from .errors import UnsupportedError
from .latex.document import DocumentSpec, VerifiedProof, compile_pdf, render
from .proof import Proof, collect
from .vocabulary import import_from_working_directory


@dataclass(frozen=True)
class Catalogue:
    """The proofs of a package, in document order, and the document's title page."""

    spec: DocumentSpec
    builders: tuple[Callable[[], Proof], ...]
    data: tuple[Callable[[], dict[str, str]], ...] = ()


def load_catalogue(package: str = "proofs") -> Catalogue:
    """Import ``package``; its ``DOCUMENT`` lists proof modules in order, ``SPEC`` the title page.

    A proof module may also define ``data_files() -> {relative path: text}``: the
    data behind its figures, written next to the document so readers can reuse it.

    Examples
    --------
    >>> load_catalogue("proofs").spec.title != ""
    True
    """
    try:
        root = import_from_working_directory(package)  # a proofs package in the working directory
    except ModuleNotFoundError as exc:
        if exc.name != package:
            raise
        raise UnsupportedError(f"no proofs package {package!r} in {os.getcwd()}") from exc
    builders: list[Callable[[], Proof]] = []
    data: list[Callable[[], dict[str, str]]] = []
    for name in getattr(root, "DOCUMENT", ()):
        module = importlib.import_module(f"{package}.{name}")
        builders += collect(module)
        if callable(getattr(module, "data_files", None)):
            data.append(module.data_files)
    return Catalogue(getattr(root, "SPEC", DocumentSpec(package)), tuple(builders), tuple(data))


def select(proofs: Sequence[Proof], only: Sequence[str]) -> list[Proof]:
    """Keep the proofs whose question (``q4``) or name is in ``only``; all when ``only`` is empty."""
    wanted = {o.lower() for o in only}
    return [p for p in proofs if not wanted or p.question.lower() in wanted or p.name.lower() in wanted]


def verify_all(
    proofs: Sequence[Proof],
    config: VerifyConfig | None = None,
    on_proof: Callable[[VerifiedProof], None] | None = None,
) -> list[VerifiedProof]:
    """Verify each proof in turn; ``on_proof`` is called as each one finishes."""
    done = []
    for proof in proofs:
        start = time.perf_counter()
        results = tuple(proof.verify(config))
        vp = VerifiedProof(proof, results, time.perf_counter() - start)
        if on_proof:
            on_proof(vp)
        done.append(vp)
    return done


def write_outputs(
    out_dir: Path,
    spec: DocumentSpec,
    verified: Sequence[VerifiedProof],
    *,
    pdf: bool,
    data: Sequence[Callable[[], dict[str, str]]] = (),
) -> Path:
    """Write ``solutions.tex`` (and the PDF when ``pdf``), the data files and ``timings.tsv`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for files in data:
        for relative, text in files().items():
            path = out_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    tex_path = out_dir / "solutions.tex"
    tex_path.write_text(render(spec, verified), encoding="utf-8")
    rows = ["proof\tstep\tstatus\tseconds"]
    for vp in verified:
        rows += [f"{vp.proof.name}\t{r.id}\t{r.evidence.status}\t{r.evidence.seconds:.4f}" for r in vp.results]
    (out_dir / "timings.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if pdf:
        compile_pdf(tex_path)
    return tex_path
