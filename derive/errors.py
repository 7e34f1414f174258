"""The single error hierarchy of derive: every failure is a :class:`DeriveError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DeriveError(Exception):
    """Base class of every error that derive raises on purpose.

    Examples
    --------
    >>> issubclass(ShapeError, DeriveError) and issubclass(ShapeError, ValueError)
    True
    """


class UnsupportedError(NotImplementedError, DeriveError):
    """The input is well formed, but derive does not support it (yet)."""


class ShapeError(ValueError, DeriveError):
    """An array or a layer has a shape that the operation cannot take."""

    def __init__(self, message: str, *, name: str = "", shape: tuple[int, ...] | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.shape = shape


class InvalidLayerError(ValueError, DeriveError):
    """A layer specification has an invalid field (kernel < 1, stride < 1, ...)."""

    def __init__(self, message: str, *, field: str = "", value: Any = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class NotSymmetricError(ValueError, DeriveError):
    """A matrix that must be symmetric is not."""

    def __init__(self, message: str, *, asymmetry: float = 0.0) -> None:
        super().__init__(message)
        self.asymmetry = asymmetry


class NotPositiveDefiniteError(ValueError, DeriveError):
    """A matrix that must be positive definite has a non-positive eigenvalue."""

    def __init__(self, message: str, *, eigenvalue: float = 0.0) -> None:
        super().__init__(message)
        self.eigenvalue = eigenvalue


class InvalidLevelError(ValueError, DeriveError):
    """A level (error increase) that must be positive is not."""


class InvalidClaimError(ValueError, DeriveError):
    """A claim that cannot be stated: an unknown relation, sides of different shapes."""


class InvalidVocabularyError(ValueError, DeriveError):
    """A vocabulary that cannot be registered: an empty or reserved name, or not a ``Vocabulary`` (nor builds one)."""


class ProofsDirectoryError(ValueError, DeriveError):
    """A directory of proof modules that cannot be used: missing, not a package name, shadowed, or no ``DOCUMENT``."""

    def __init__(self, message: str, *, directory: str = "") -> None:
        super().__init__(message)
        self.directory = directory


class SelectionError(ValueError, DeriveError):
    """A selection of proofs (``derive build --only``) that names no proof, or would overwrite the full document."""


class InputFileError(OSError, DeriveError):
    """An input file named on the command line that cannot be read (``derive grad SPEC_FILE``)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class OutputError(OSError, DeriveError):
    """An output file or directory that cannot be written (``derive build --out``)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class LatexParseError(ValueError, DeriveError):
    """LaTeX input could not be understood; ``position`` points at the problem."""

    def __init__(self, message: str, *, source: str = "", position: int | None = None) -> None:
        where = ""
        if position is not None and source:
            where = f"\n  {source}\n  {' ' * position}^"
        super().__init__(message + where)
        self.source = source
        self.position = position


class BudgetExceeded(TimeoutError, DeriveError):
    """A computation ran out of its time budget."""

    def __init__(self, message: str, *, seconds: float = 0.0) -> None:
        super().__init__(message)
        self.seconds = seconds


class StepFailed(AssertionError, DeriveError):
    """A proof step could not be confirmed, or a claimed refutation held.

    ``counterexample`` maps symbol names to the values where the two sides differ.
    """

    def __init__(
        self,
        message: str,
        *,
        proof: str = "",
        step: str = "",
        counterexample: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.proof = proof
        self.step = step
        self.counterexample = dict(counterexample or {})


class VacuousStepError(ValueError, DeriveError):
    """A displayed step that states nothing: its two sides are structurally identical (or print the same), or
    a chain line repeats the one before. ``step`` is the step's claim as LaTeX."""

    def __init__(self, message: str, *, step: str = "") -> None:
        super().__init__(message)
        self.step = step


class SubmissionError(ValueError, DeriveError):
    """A submission that cannot be graded at all: empty, not text, too large, or a rubric or readings file that
    cannot be read. A submission that can be read in part is graded, with its unreadable lines reported."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path
