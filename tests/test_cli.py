import subprocess
import sys

from derive.cli import main


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

    from derive.build import Catalogue
    from derive.latex.document import DocumentSpec
    from derive.proof import Proof

    def broken() -> Proof:
        p = Proof("broken", "Broken", question="Q0")
        x = sp.Symbol("x")
        p.claim((x + 1) ** 2, x**2 + 1, "a classic mistake")
        return p

    monkeypatch.setattr("derive.cli.load_catalogue", lambda name: Catalogue(DocumentSpec("t"), (broken,)))
    assert main(["build", "--out", str(tmp_path), "--no-pdf"]) == 1
    out = capsys.readouterr().out
    assert "broken::step1" in out and "x = " in out
    assert not (tmp_path / "solutions.tex").exists()
