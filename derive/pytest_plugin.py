"""A pytest plugin: every step of every proof module becomes its own test item."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .config import VerifyConfig
from .errors import StepFailed
from .proof import Proof, Step, collect, step_failure

#: A module defines proofs "the documented way" when a line decorates a builder with ``@proof``.
_DECORATOR = re.compile(r"^[ \t]*@(?:derive\.)?proof[ \t]*$", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--derive-proven-only`` and ``--derive-timeout``."""
    group = parser.getgroup("derive", "proof validation with derive")
    group.addoption("--derive-proven-only", "--derive-exact-only", dest="derive_proven_only", action="store_true",
                    default=False, help="fail every step that is only checked by points (agrees, not proven)")
    group.addoption("--derive-timeout", type=float, default=VerifyConfig.timeout,
                    help="symbolic time budget per step, in seconds")


def defines_proofs(path: Path) -> bool:
    """True for a Python file that decorates a builder with ``@proof``, outside the engine itself.

    Examples
    --------
    >>> defines_proofs(Path(__file__))
    False
    """
    if path.suffix != ".py" or Path(__file__).parent in path.resolve().parents:
        return False
    try:
        return bool(_DECORATOR.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect proof modules as :class:`ProofFile`."""
    if defines_proofs(file_path):
        return ProofFile.from_parent(parent, path=file_path)
    return None


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


class ProofFile(pytest.File):
    """A module whose ``@proof`` builders become collectors of steps."""

    def collect(self) -> Iterator[pytest.Collector]:
        module = import_proof_module(self.path)
        for builder in collect(module):
            built = builder()
            yield ProofCollector.from_parent(self, name=built.name, proof=built)


class ProofCollector(pytest.Collector):
    """One proof; its children are its steps, in order."""

    def __init__(self, *, proof: Proof, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.proof = proof

    def collect(self) -> Iterator[pytest.Item]:
        for step_id, step in self.proof.steps():
            yield ProofStepItem.from_parent(self, name=step_id, proof=self.proof, step=step)


class ProofStepItem(pytest.Item):
    """One step: passes when the engine's evidence supports it."""

    def __init__(self, *, proof: Proof, step: Step, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.proof = proof
        self.step = step

    def runtest(self) -> None:
        options = self.config.option
        config = VerifyConfig(timeout=options.derive_timeout, proven_only=options.derive_proven_only)
        result = self.proof.verify_step(self.name, self.step, config)
        if not result.ok:
            raise step_failure(self.proof.name, result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, StepFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.proof.name}::{self.name}: {self.step.reason}"
