"""The derive command: list, build and check, with the directory of proofs named by path."""

import subprocess
import sys
from pathlib import Path

import pytest

from derive.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def test_list(capsys):
    assert main(["list"]) == 0
    assert "tanh_sigmoid" in capsys.readouterr().out


def test_build_writes_tex(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path), "--only", "q4", "--no-pdf"]) == 0
    out = capsys.readouterr().out
    assert "tanh_sigmoid" in out and "ok" in out
    assert (tmp_path / "solutions.tex").read_text().startswith(r"\documentclass")
    assert (tmp_path / "timings.tsv").exists()


def test_unknown_selection(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path), "--only", "q99", "--no-pdf"]) == 2


def test_python_dash_m():
    proc = subprocess.run([sys.executable, "-m", "derive", "list"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "q4" in proc.stdout


def test_failing_step_gives_nonzero_exit(tmp_path, capsys, monkeypatch):
    import sympy as sp

    from derive.document.article import DocumentSpec
    from derive.document.build import Catalogue
    from derive.document.proof import Proof

    def broken() -> Proof:
        p = Proof("broken", "Broken", question="Q0")
        x = sp.Symbol("x")
        p.claim((x + 1) ** 2, x**2 + 1, "a classic mistake")
        return p

    monkeypatch.setattr("derive.cli.main.load_catalogue", lambda name: Catalogue(DocumentSpec("t"), (broken,)))
    assert main(["build", "--out", str(tmp_path), "--no-pdf"]) == 1
    out = capsys.readouterr().out
    assert "broken::step1" in out and "x = " in out
    assert not (tmp_path / "solutions.tex").exists()


# --- a directory of proofs, named by path ----------------------------------------------------------------
USER_INIT = """from derive.document.article import DocumentSpec

DOCUMENT = ("square",)
SPEC = DocumentSpec("My proofs")
"""
USER_PROOF = """import sympy as sp

from derive import Proof, proof
from myproofs.helpers import shifted


@proof
def square():
    x = sp.Symbol("x")
    p = Proof("square", "Binomial square", question="Q1")
    p.chain(shifted(x) ** 2, (x**2 + 2*x + 1, "expand"))
    return p
"""
USER_VOCABULARY = """import sympy as sp

from derive.claims.vocabulary import Vocabulary, register_vocabulary

register_vocabulary("mine", Vocabulary(name="mine", index_ranges={"j": (sp.Integer(1), sp.Integer(4))}))
"""


def _user_proofs(root):
    """A user's own ``myproofs/``: a proof module, a helper module (no proofs) and a vocabulary module."""
    folder = root / "myproofs"
    folder.mkdir()
    for name, text in {"__init__.py": USER_INIT, "square.py": USER_PROOF, "helpers.py": "def shifted(x):\n"
                       "    return x + 1\n", "vocabulary.py": USER_VOCABULARY}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_build_a_users_directory_by_path(tmp_path, capsys, isolated_imports):
    folder = _user_proofs(tmp_path)
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--no-pdf"]) == 0
    assert "square" in capsys.readouterr().out
    assert "My proofs" in (tmp_path / "out" / "solutions.tex").read_text(encoding="utf-8")


def test_build_a_relative_directory_and_the_global_alias(tmp_path, capsys, isolated_imports, monkeypatch):
    _user_proofs(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["--proofs", "myproofs", "list"]) == 0
    assert main(["list", "./myproofs"]) == 0
    assert main(["--proofs", "myproofs", "build", "myproofs", "--out", "out", "--no-pdf"]) == 0  # the same one
    assert capsys.readouterr().out.count("Binomial square") == 2
    assert (tmp_path / "out" / "solutions.tex").exists()


def test_two_different_directories_are_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--proofs", str(tmp_path / "a"), "build", str(tmp_path / "b")])
    assert exit_.value.code == 64 and "two directories of proofs" in capsys.readouterr().err


def test_build_without_proofs_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--no-pdf"]) == 64
    assert "no directory" in capsys.readouterr().err


def test_a_directory_without_document(tmp_path, capsys, isolated_imports):
    (tmp_path / "emptyproofs").mkdir()
    (tmp_path / "emptyproofs" / "__init__.py").write_text("", encoding="utf-8")
    assert main(["list", str(tmp_path / "emptyproofs")]) == 64
    assert "lists no proof modules" in capsys.readouterr().err


def _derive(*args, cwd):
    return subprocess.run([sys.executable, "-m", "derive", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_check_question_from_the_repository_root():
    """A fresh process: derive check imports proofs/vocabulary.py by path, which registers q4."""
    proc = _derive("check", r"t_{k0} - 2\sum_j t_{kj} = w_{k0}", "--question", "q4", cwd=ROOT)
    assert proc.returncode == 1 and "verdict: refuted" in proc.stdout, proc.stdout + proc.stderr
    proc = _derive("check", r"t_{k0} - \sum_j t_{kj} = w_{k0}", "--question", "q4", "--proofs", "proofs", cwd=ROOT)
    assert proc.returncode == 0 and "verdict: proven" in proc.stdout, proc.stdout + proc.stderr


def test_check_with_a_users_vocabulary(tmp_path):
    _user_proofs(tmp_path)
    proc = _derive("check", r"\sum_j j = 10", "--question", "mine", "--proofs", "myproofs", cwd=tmp_path)
    assert proc.returncode == 0 and "verdict: proven" in proc.stdout, proc.stdout + proc.stderr
    proc = _derive("--proofs", "myproofs", "check", r"\sum_j j = 10", "--question", "mine", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_elsewhere_knows_no_questions(tmp_path):
    proc = _derive("check", "x = x", "--question", "q4", cwd=tmp_path)  # no proofs/ here
    assert proc.returncode == 2 and "registered: none" in proc.stdout, proc.stdout + proc.stderr
    assert _derive("check", "x + x = 2 x", cwd=tmp_path).returncode == 0
    proc = _derive("check", "x = x", "--question", "q4", "--proofs", "nowhere", cwd=tmp_path)
    assert proc.returncode == 64 and "no directory" in proc.stdout
