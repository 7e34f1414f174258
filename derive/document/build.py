"""Load proof modules, verify every step, and write the solution document."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from derive.config import VerifyConfig
from derive.document.article import DocumentSpec, VerifiedProof, render
from derive.document.loader import import_directory
from derive.document.pdf import compile_pdf
from derive.document.proof import Proof, collect
from derive.errors import UnsupportedError


@dataclass(frozen=True)
class Catalogue:
    """The proofs of a directory of proof modules, in document order, and the document's title page."""

    spec: DocumentSpec
    builders: tuple[Callable[[], Proof], ...]
    data: tuple[Callable[[], dict[str, str]], ...] = ()


def load_catalogue(directory: str | os.PathLike[str] = "proofs") -> Catalogue:
    """Import the proof modules of ``directory``, by path, as the package named after it.

    The package's ``__init__.py`` lists its proof modules in document order (``DOCUMENT``, a tuple of module
    names) and may give the title page (``SPEC``, a :class:`~derive.document.article.DocumentSpec`). A proof
    module may also define ``data_files() -> {relative path: text}``: the data behind its figures, written
    next to the document so readers can reuse it. Other modules of the directory (helpers) are imported only
    when a proof module imports them.

    Parameters
    ----------
    directory : str or path
        The directory of proof modules, relative to the working directory unless absolute (see
        :func:`derive.document.loader.import_directory`).

    Returns
    -------
    Catalogue

    Raises
    ------
    UnsupportedError
        When ``directory`` is not a directory or cannot be imported under its name, or lists no proof modules.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp()) / "catalogue_demo"
    >>> root.mkdir()
    >>> _ = (root / "__init__.py").write_text('DOCUMENT = ("square",)\\n')
    >>> _ = (root / "square.py").write_text(
    ...     "import sympy as sp\\nfrom derive import Proof, proof\\n\\n@proof\\ndef square():\\n"
    ...     "    x = sp.Symbol('x')\\n    p = Proof('square', 'Square')\\n"
    ...     "    p.claim((x + 1)**2, x**2 + 2*x + 1, 'expand')\\n    return p\\n")
    >>> catalogue = load_catalogue(root)
    >>> [b().name for b in catalogue.builders], catalogue.spec.title
    (['square'], 'catalogue_demo')
    """
    root = import_directory(directory)
    package = root.__name__
    names = getattr(root, "DOCUMENT", None)
    if not names:
        raise UnsupportedError(f"{Path(directory)}: its __init__.py lists no proof modules (DOCUMENT = (...))")
    builders: list[Callable[[], Proof]] = []
    data: list[Callable[[], dict[str, str]]] = []
    for name in names:
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
