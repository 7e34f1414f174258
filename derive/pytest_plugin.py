"""A pytest plugin: every step of every proof module becomes its own test item.

The plugin is loaded by every pytest run in every environment where derive is installed, so it is
lazy: at import it needs only the standard library and pytest, and a project that has no proofs pays
for nothing else. The engine (SymPy, NumPy, :mod:`derive.document.proof`) is imported only when a proof module
is actually expanded into its steps.

What is collected
-----------------
A file becomes a :class:`ProofFile` when

* pytest would collect it as a Python test module too (it is named on the command line, or matches
  the ``python_files`` patterns), or it lies under one of the paths of the ini option
  ``derive_paths``; and
* a line decorates a builder with ``@proof`` or ``@derive.proof``, where ``proof`` is derive's (the
  module imports it from ``derive`` or ``derive.document.proof``).

That is decided from the source text alone: no module is imported to find out. The builders are
found in the syntax tree too, so listing them runs nothing.

When builders run
-----------------
``ProofFile`` yields one :class:`ProofCollector` per builder, named after the builder function.
Its steps are only known once the proof is built, so the collector builds it when pytest expands it:
once per builder, imported once per module, and only for the proof modules the run selects. Under
``--collect-only`` nothing is built: each builder is listed as one id, ``path::builder``, which also
selects all its steps in a real run (``--derive-collect-steps`` builds them to list the steps).
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import math
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # only for annotations: importing these loads SymPy
    from derive.config import VerifyConfig
    from derive.document.proof import Proof, Step

#: A module defines proofs "the documented way" when a line decorates a builder with ``@proof``.
_DECORATOR = re.compile(r"^[ \t]*@(?:derive\.)?proof[ \t]*$", re.MULTILINE)

#: The engine's own package: its modules are never proof modules.
_ENGINE = Path(__file__).resolve().parent

#: Number of proof files listed under ``--collect-only`` without building their proofs.
_LISTED = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--derive-proven-only``, ``--derive-timeout``, ``--derive-collect-steps`` and ``derive_paths``."""
    group = parser.getgroup("derive", "proof validation with derive")
    group.addoption("--derive-proven-only", "--derive-exact-only", dest="derive_proven_only", action="store_true",
                    default=False, help="fail every step that is only checked by points (agrees, not proven)")
    # The default is None, meaning VerifyConfig's own default: reading it here would import the engine.
    group.addoption("--derive-timeout", type=float, default=None, metavar="SECONDS",
                    help="symbolic time budget per step, in seconds, a positive number "
                         "(default: derive.VerifyConfig's timeout)")
    group.addoption("--derive-collect-steps", action="store_true", default=False,
                    help="with --collect-only, build the proofs and list every step (slow); without it each "
                         "proof is listed once, as path::builder")
    parser.addini("derive_paths", type="paths", default=[],
                  help="files, directories or globs (relative to the ini file) whose @proof modules derive "
                       "collects even when they do not match python_files")


def pytest_configure(config: pytest.Config) -> None:
    """Reject a ``--derive-timeout`` that is not a positive, finite number of seconds."""
    timeout = config.getoption("derive_timeout", None)
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        raise pytest.UsageError(f"--derive-timeout must be a positive number of seconds, got {timeout:g}")


def matches_python_files(path: Path, patterns: list[str]) -> bool:
    """True when ``path`` matches one of pytest's ``python_files`` patterns, as pytest matches them.

    A pattern without a path separator is matched against the file name, any other against the path.

    Examples
    --------
    >>> matches_python_files(Path("/p/tests/test_a.py"), ["test_*.py"])
    True
    >>> matches_python_files(Path("/p/scripts/deploy.py"), ["test_*.py", "*_test.py"])
    False
    >>> matches_python_files(Path("/p/checks/deploy.py"), ["checks/*.py"])
    True
    """
    for pattern in patterns:
        pattern = pattern.replace("/", os.sep)
        if os.sep not in pattern:
            name = path.name
        else:
            name = str(path)
            if path.is_absolute() and not os.path.isabs(pattern):
                pattern = f"*{os.sep}{pattern}"
        if fnmatch.fnmatch(name, pattern):
            return True
    return False


def in_derive_paths(path: Path, paths: list[Path]) -> bool:
    """True when ``path`` is, lies under, or matches (as a glob) one of ``paths``.

    Examples
    --------
    >>> in_derive_paths(Path("/p/proofs/q1.py"), [Path("/p/proofs")])
    True
    >>> in_derive_paths(Path("/p/proofs/q1.py"), [Path("/p/proofs/q*.py")]), in_derive_paths(Path("/p/q1.py"), [])
    (True, False)
    """
    return any(path == p or p in path.parents or fnmatch.fnmatch(str(path), str(p)) for p in paths)


def _derive_proof_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names bound to derive's ``proof`` decorator, and to the ``derive`` package, by the module's imports."""
    decorators: set[str] = set()
    packages: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in ("derive", "derive.document.proof"):
            for alias in node.names:
                if alias.name in ("proof", "*"):
                    decorators.add(alias.asname or "proof")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "derive":
                    packages.add(alias.asname or "derive")
    return decorators, packages


def proof_builders(source: str) -> list[tuple[str, int]]:
    """The ``(name, line)`` of each top-level function that derive's ``@proof`` decorates, in order.

    Only the syntax tree is read: nothing is imported or run. A ``@proof`` that the module does not
    import from derive (another library's) does not count.

    Examples
    --------
    >>> proof_builders("from derive import proof\\n\\n@proof\\ndef square():\\n    ...\\n")
    [('square', 3)]
    >>> proof_builders("from deploy import proof\\n\\n@proof\\ndef release():\\n    ...\\n")
    []
    """
    tree = ast.parse(source)
    decorators, packages = _derive_proof_names(tree)
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for deco in node.decorator_list:
            plain = isinstance(deco, ast.Name) and deco.id in decorators
            dotted = (isinstance(deco, ast.Attribute) and deco.attr == "proof" and isinstance(deco.value, ast.Name)
                      and deco.value.id in packages)
            if plain or dotted:
                found.append((node.name, deco.lineno))
                break
    return found


def defines_proofs(path: Path) -> bool:
    """True for a Python file with a line ``@proof`` (or ``@derive.proof``), outside the engine itself.

    This is the cheap textual test; :func:`proof_builders` then checks that the decorator is derive's.

    Examples
    --------
    >>> defines_proofs(Path(__file__))
    False
    """
    if path.suffix != ".py" or _ENGINE in path.resolve().parents:
        return False
    try:
        return bool(_DECORATOR.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect proof modules as :class:`ProofFile`; every other file is left alone (and never imported)."""
    if file_path.suffix != ".py":
        return None
    config = parent.config
    eligible = (parent.session.isinitpath(file_path)
                or matches_python_files(file_path, config.getini("python_files"))
                or in_derive_paths(file_path, config.getini("derive_paths")))
    if not eligible or not defines_proofs(file_path):
        return None
    try:
        builders = proof_builders(file_path.read_text(encoding="utf-8"))
    except SyntaxError:
        builders = None  # ProofFile.collect reports it, as pytest reports a test module it cannot parse
    if builders == []:
        return None  # the @proof lines are another library's
    return ProofFile.from_parent(parent, path=file_path)


def _module_name(path: Path) -> tuple[str, Path]:
    parts, folder = [path.stem], path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


def import_proof_module(path: Path) -> Any:
    """Import a proof module by path, as pytest's ``prepend`` import mode would."""
    name, root = _module_name(path.resolve())
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(name)


def verify_config(config: pytest.Config) -> VerifyConfig:
    """The verification settings that the command line asks for."""
    from derive.config import VerifyConfig

    options = config.option
    settings = VerifyConfig(proven_only=options.derive_proven_only)
    return settings if options.derive_timeout is None else settings.with_(timeout=options.derive_timeout)


class ProofFile(pytest.File):
    """A module whose ``@proof`` builders become :class:`ProofCollector` s; it is imported only when one builds."""

    _module: Any = None

    def module(self) -> Any:
        """The imported proof module (imported once)."""
        if self._module is None:
            self._module = import_proof_module(self.path)
        return self._module

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        try:
            builders = proof_builders(self.path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise self.CollectError(f"derive: cannot parse the proof module {self.path}: {exc}") from exc
        config = self.config
        listing = config.option.collectonly and not config.option.derive_collect_steps
        if listing:
            config.stash[_LISTED] = config.stash.get(_LISTED, 0) + 1
        for name, line in builders:
            if listing:
                yield ProofItem.from_parent(self, name=name, line=line)
            else:
                yield ProofCollector.from_parent(self, name=name, line=line)


def build(node: ProofCollector) -> Proof:
    """Build the proof of ``node``'s builder (the ``@proof`` cache makes it once per process).

    A builder that returns something other than a :class:`derive.Proof` is stopped by ``@proof`` itself,
    with an error that names it.
    """
    parent = node.parent
    assert isinstance(parent, ProofFile)
    builder = getattr(parent.module(), node.name, None)
    if not callable(builder) or not getattr(builder, "__derive_proof__", False):
        raise node.CollectError(f"derive: {node.name} ({node.path.name}:{node.line}) is decorated with @proof, "
                                f"but after import the module's {node.name} is not a derive proof builder")
    built: Proof = builder()
    return built


class ProofCollector(pytest.Collector):
    """One proof builder; its children are the proof's steps, in order, built when pytest expands it."""

    def __init__(self, *, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line = line

    def collect(self) -> Iterator[pytest.Item]:
        built = build(self)
        for step_id, step in built.steps():
            yield ProofStepItem.from_parent(self, name=step_id, proof=built, step=step)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.line - 1, self.name


class ProofStepItem(pytest.Item):
    """One step: passes when the engine's evidence supports it (see :meth:`derive.document.proof.Step.accepts`)."""

    def __init__(self, *, proof: Proof, step: Step, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.proof = proof
        self.step = step

    def runtest(self) -> None:
        from derive.document.proof import step_failure

        result = self.proof.verify_step(self.name, self.step, verify_config(self.config))
        if not result.ok:
            raise step_failure(self.proof.name, result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from derive.errors import StepFailed

        if isinstance(excinfo.value, StepFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.proof.name}::{self.name}: {self.step.reason}"


class ProofItem(pytest.Item):
    """A whole proof as one id, ``path::builder``: what ``--collect-only`` lists without building the proof.

    It exists only for the listing (nothing is run under ``--collect-only``); in a real run the same id
    selects the :class:`ProofCollector` and so all the proof's steps.
    """

    def __init__(self, *, line: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line = line

    def runtest(self) -> None:
        raise RuntimeError("derive: a proof listed by --collect-only is never run; run pytest without it")

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.line - 1, f"{self.name} (proof builder; steps not built)"


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    """Under ``--collect-only``, say that proofs were listed without running their builders."""
    listed = config.stash.get(_LISTED, 0)
    if not listed:
        return None
    return (f"derive: {listed} proof module(s) listed without running their builders; each path::builder id "
            f"selects all the proof's steps (--derive-collect-steps lists the steps)")
