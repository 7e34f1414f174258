"""The pytest plugin behaves in other people's projects: it is cheap to load and touches only proof modules."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[1] / "derive" / "pytest_plugin.py"

from test_pytest_plugin import USER_PROOF  # noqa: E402 - the same user proof as the plugin's tests

#: A module that records, in ``log.txt`` next to it, when it is imported and when each builder runs.
LOGGING_PROOF = textwrap.dedent(
    """
    from pathlib import Path

    import sympy as sp
    from derive import Proof, proof

    LOG = Path(__file__).with_name("log.txt")
    with LOG.open("a") as f:
        f.write("import\\n")


    def _record(what):
        with LOG.open("a") as f:
            f.write(what + "\\n")


    @proof
    def first():
        _record("build first")
        x = sp.Symbol("x")
        p = Proof("first", "First")
        p.claim(x + x, 2 * x, "doubling")
        p.claim(x * x, x**2, "squaring")
        return p


    @proof
    def second():
        _record("build second")
        x = sp.Symbol("x")
        p = Proof("second", "Second")
        p.claim(x - x, 0, "cancelling")
        return p
    """
)


def _imports_sympy(statement: str) -> bool:
    code = f"import sys; {statement}; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_the_plugin_module_imports_only_the_standard_library_and_pytest():
    """Module-level imports of the plugin (``TYPE_CHECKING`` blocks aside) are stdlib or pytest."""
    tree = ast.parse(PLUGIN.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"module-level relative import of {node.module}: it would load the engine"
            names.append((node.module or "").split(".")[0])
    foreign = {n for n in names if n not in sys.stdlib_module_names and n not in ("pytest", "__future__")}
    assert not foreign, foreign


@pytest.mark.xfail(_imports_sympy("import derive"), strict=True,
                   reason="derive/__init__.py imports the whole engine eagerly, and importing "
                          "derive.pytest_plugin runs it first: it needs lazy exports (PEP 562)")
def test_importing_the_plugin_does_not_import_sympy():
    assert not _imports_sympy("import derive.pytest_plugin")


def test_another_librarys_proof_outside_python_files_is_never_imported(pytester):
    """The issue's ``scripts/deploy.py``: its ``@proof`` is not derive's, and it is not a test module."""
    pytester.mkdir("scripts")
    deploy = textwrap.dedent(
        """
        from deploylib import proof

        raise SystemExit("scripts/deploy.py was imported")

        @proof
        def release():
            ...
        """
    )
    (pytester.path / "scripts" / "deploy.py").write_text(deploy, encoding="utf-8")
    pytester.makepyfile(test_ok="def test_ok():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "deploy.py" not in result.stdout.str()
    # Even where derive_paths points at it, the @proof that is not derive's keeps it out.
    pytester.makeini("[pytest]\nderive_paths = scripts\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "deploy.py" not in result.stdout.str()


def test_a_file_outside_python_files_is_collected_only_when_derive_paths_lists_it(pytester):
    pytester.mkdir("proofs")
    (pytester.path / "proofs" / "square.py").write_text(USER_PROOF, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    pytester.makeini("[pytest]\nderive_paths = proofs\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED proofs/square.py::square::step2*"])


def test_a_file_matching_python_files_is_collected(pytester):
    pytester.makepyfile(test_square=USER_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_collect_only_neither_imports_nor_builds(pytester):
    # Under derive_paths, so that only derive collects it (pytest imports a file named on the command line).
    pytester.mkdir("proofs")
    (pytester.path / "proofs" / "logged.py").write_text(LOGGING_PROOF, encoding="utf-8")
    pytester.makeini("[pytest]\nderive_paths = proofs\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["proofs/logged.py::first", "proofs/logged.py::second", "2 tests collected*"])
    assert not (pytester.path / "proofs" / "log.txt").exists()


def test_collect_only_does_not_build_a_module_named_on_the_command_line(pytester):
    pytester.makepyfile(logged_proof=LOGGING_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q", "logged_proof.py")
    result.stdout.fnmatch_lines(["logged_proof.py::first", "logged_proof.py::second", "2 tests collected*"])
    # pytest itself imports a module named on its command line, looking for tests; nothing is built.
    assert "build" not in (pytester.path / "log.txt").read_text()


def test_a_run_imports_the_module_once_and_builds_each_proof_once(pytester):
    pytester.makepyfile(logged_proof=LOGGING_PROOF)
    result = pytester.runpytest("-p", "no:cacheprovider", "logged_proof.py")
    result.assert_outcomes(passed=3)
    log = (pytester.path / "log.txt").read_text().splitlines()
    assert log == ["import", "build first", "build second"]


def test_deselected_proof_modules_are_not_built(pytester):
    pytester.makepyfile(logged_proof=LOGGING_PROOF, test_other="def test_other():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "test_other.py")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "log.txt").exists()


def test_a_name_that_is_not_a_derive_builder_after_import_is_a_clear_error(pytester):
    pytester.makepyfile(shadowed_proof=textwrap.dedent(
        """
        from derive import Proof, proof

        @proof
        def shadowed():
            return Proof("shadowed", "Shadowed")

        shadowed = None
        """
    ))
    result = pytester.runpytest("-p", "no:cacheprovider", "shadowed_proof.py")
    result.stdout.fnmatch_lines(["*derive: shadowed (shadowed_proof.py:3) is decorated with @proof, but after "
                                 "import the module's shadowed is not a derive proof builder*"])
