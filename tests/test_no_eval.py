"""No code path evaluates strings: no eval, exec, sympify or parse_expr calls in the engine or the proofs."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"eval", "exec", "sympify", "parse_expr"}
SOURCES = sorted([*(ROOT / "derive").rglob("*.py"), *(ROOT / "proofs").rglob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_string_evaluation(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) in FORBIDDEN or getattr(node.func, "attr", None) in FORBIDDEN)
    ]
    assert not calls, f"{path.name} calls a string evaluator at lines {calls}"
