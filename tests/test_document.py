"""The committed document is current, deterministic, and compiles."""

import shutil
import tempfile
from pathlib import Path

from derive.document.article import render
from derive.document.build import load_catalogue
from derive.document.pdf import compile_pdf

ROOT = Path(__file__).resolve().parents[1]


def test_every_step_of_every_proof_is_supported(verified):
    failures = [(vp.proof.name, r.id, r.evidence) for vp in verified for r in vp.results if not r.ok]
    assert not failures


def test_committed_tex_is_current(verified):
    tex = render(load_catalogue(ROOT / "proofs").spec, verified)
    committed = (ROOT / "output" / "solutions.tex").read_text(encoding="utf-8")
    assert tex == committed, "output/solutions.tex is stale: run `make solutions` and commit it"


def test_render_is_deterministic(verified):
    spec = load_catalogue(ROOT / "proofs").spec
    assert render(spec, verified) == render(spec, verified)


def test_every_step_is_marked(verified):
    tex = render(load_catalogue(ROOT / "proofs").spec, verified)
    steps = sum(len(vp.results) for vp in verified)
    marks = sum(tex.count(rf"\,\v{m}}}") for m in "SAIXU")
    assert marks == steps


def test_committed_tex_compiles_reproducibly(need_tex):
    pdfs = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as tmp:
            tex = Path(tmp) / "solutions.tex"
            shutil.copyfile(ROOT / "output" / "solutions.tex", tex)
            pdfs.append(compile_pdf(tex).read_bytes())
    assert pdfs[0].startswith(b"%PDF")
    assert pdfs[0] == pdfs[1], "two compilations of the same .tex differ"
