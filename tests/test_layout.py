"""The engine's folders are the stages of its pipeline, and a stage imports only the stages before it.

The exceptions are listed, each with its reason; a new backward import fails here until it is listed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The stages in pipeline order; the shared infrastructure at the top of ``derive/`` comes first.
STAGES = ("errors", "config", "budget", "coerce", "model", "numeric", "calculus", "printing", "verify", "claims",
          "document", "grade", "cli")

#: (module, imported stage) -> why the import runs backwards.
BACKWARD = {
    ("derive/calculus/backprop.py", "verify"): "the residual block's numeric checks seed their points like the policy",
    ("derive/calculus/eigen.py", "verify"): "the quadratic model draws its test points with the policy's sampler",
    ("derive/calculus/reparam.py", "verify"): "a derived weight map is verified as it is derived",
    ("derive/calculus/expectation.py", "document"): "expectation_chain returns proof steps (imported lazily)",
    ("derive/calculus/gradient.py", "document"): "Gradient.latex() renders its document (imported lazily)",
    ("derive/calculus/gradient.py", "printing"): "Gradient.numpy_source() prints its module (imported lazily)",
}

MODULES = sorted(p for p in (ROOT / "derive").rglob("*.py") if len(p.relative_to(ROOT).parts) > 2)


def _stage(path: Path) -> str:
    return path.relative_to(ROOT).parts[1]


def _imported_stages(path: Path) -> set[str]:
    stages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "derive" and len(parts) > 1 and parts[1] in STAGES:
                stages.add(parts[1])
    return stages


def test_every_folder_is_a_stage():
    folders = {p.name for p in (ROOT / "derive").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(STAGES)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_a_stage_imports_only_earlier_stages(path):
    rank = STAGES.index(_stage(path))
    where = str(path.relative_to(ROOT))
    backward = {s for s in _imported_stages(path) if STAGES.index(s) > rank and (where, s) not in BACKWARD}
    assert not backward, f"{where} ({_stage(path)}) imports the later stage(s) {sorted(backward)}"


def test_every_listed_exception_is_still_needed():
    stale = [(m, s) for m, s in BACKWARD if s not in _imported_stages(ROOT / m)]
    assert not stale, f"no longer imported, remove from BACKWARD: {stale}"
