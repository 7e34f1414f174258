"""The engine knows nothing of the assignment: derive/ never imports proofs/, and works without it."""

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted((ROOT / "derive").rglob("*.py"))


def _imports_of_proofs(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` of each import of ``proofs`` or a submodule, also through ``import_module("proofs...")``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "proofs"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "proofs":
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            value = node.args[0].value
            if name in ("import_module", "__import__") and isinstance(value, str) and value.split(".")[0] == "proofs":
                found.append((node.lineno, value))
    return found


def test_the_engine_has_modules():
    assert len(ENGINE) > 20 and ROOT / "derive" / "__init__.py" in ENGINE


@pytest.mark.parametrize("path", ENGINE, ids=[str(p.relative_to(ROOT)) for p in ENGINE])
def test_no_engine_module_imports_proofs(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert _imports_of_proofs(tree) == [], f"{path.relative_to(ROOT)} imports the assignment's proofs"


def test_the_scan_finds_imports_of_proofs():
    source = "import proofs\nfrom proofs.vocabulary import q1\nimport importlib\nimportlib.import_module('proofs.x')\n"
    assert [line for line, _ in _imports_of_proofs(ast.parse(source))] == [1, 2, 4]
    assert _imports_of_proofs(ast.parse("from .proofs import x\nimport proofsmith\n")) == []


def test_check_runs_without_proofs_in_a_fresh_interpreter(tmp_path):
    """In another directory (no proofs/ there), with the engine importable: no module named proofs is loaded."""
    script = textwrap.dedent(r"""
        import sys
        import sympy as sp
        import derive
        from derive.claims.vocabulary import Vocabulary, registered_vocabularies

        assert derive.check(r"x + x = 2 x").status == "proven"
        sizes = Vocabulary(name="sizes", index_ranges={"j": (sp.Integer(1), sp.Integer(4))})
        assert derive.check(r"\sum_j j = 10", vocabulary=sizes).status == "proven"
        assert derive.check(r"\sum_j j = 11", vocabulary=sizes).status == "refuted"
        try:
            derive.check(r"x = x", question="q4")
        except derive.UnsupportedError as exc:
            assert "registered: none" in str(exc), exc
        else:
            raise AssertionError("q4 is not registered here")
        assert registered_vocabularies() == ()
        loaded = sorted(m for m in sys.modules if m == "proofs" or m.startswith("proofs."))
        assert loaded == [], loaded
        print("ok")
    """)
    # the repository on the path: derive importable, and proofs would be too, if anything asked for it
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
