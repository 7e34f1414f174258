"""derive: a symbolic derivation engine for the mathematics of neural networks.

The public names are imported lazily (PEP 562), so ``import derive`` and the pytest plugin cost nothing
until a name is used; ``from derive import check`` imports what ``check`` needs.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "residual_block_gradients": ".backprop",
    "check": ".check",
    "VerifyConfig": ".config",
    **{name: ".errors" for name in (
        "BudgetExceeded", "DeriveError", "InvalidClaimError", "InvalidLayerError", "InvalidLevelError",
        "LatexParseError", "NotPositiveDefiniteError", "NotSymmetricError", "ShapeError", "StepFailed",
        "UnsupportedError")},
    "Indicator": ".functions",
    "LeakyReLU": ".functions",
    "Gradient": ".graph.program",
    "grad": ".graph.program",
    "SpecError": ".graph.spec",
    "register_activation": ".graph.layers",
    "ReLU": ".functions",
    "Sigmoid": ".functions",
    "parse_claim": ".latex.parse",
    "parse_latex": ".latex.parse",
    "latex": ".latex.printer",
    "Proof": ".proof",
    "Step": ".proof",
    "proof": ".proof",
    "contour_axes": ".quadratic",
    "influence_region": ".receptive",
    "receptive_field": ".receptive",
    "Counterexample": ".verify",
    "Verdict": ".verify",
    "verify_claim": ".verify",
    "Vocabulary": ".vocabulary",
    "register_vocabulary": ".vocabulary",
}

__all__ = [
    "BudgetExceeded",
    "Counterexample",
    "DeriveError",
    "Gradient",
    "Indicator",
    "LeakyReLU",
    "InvalidClaimError",
    "InvalidLayerError",
    "InvalidLevelError",
    "LatexParseError",
    "NotPositiveDefiniteError",
    "NotSymmetricError",
    "Proof",
    "ReLU",
    "ShapeError",
    "Sigmoid",
    "SpecError",
    "Step",
    "StepFailed",
    "UnsupportedError",
    "Verdict",
    "VerifyConfig",
    "Vocabulary",
    "check",
    "contour_axes",
    "grad",
    "influence_region",
    "latex",
    "parse_claim",
    "parse_latex",
    "proof",
    "receptive_field",
    "register_activation",
    "register_vocabulary",
    "residual_block_gradients",
    "verify_claim",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'derive' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(types.ModuleType):
    """Keeps ``derive.check``, ``derive.proof`` and ``derive.latex`` the functions, not the submodules.

    Importing a submodule sets it as an attribute of its package; for the public names that share a
    submodule's name, that assignment is ignored (``import derive.check`` still works through
    ``sys.modules``), as it was when these names were imported eagerly.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover - the same names, for type checkers
    from .backprop import residual_block_gradients
    from .check import check
    from .config import VerifyConfig
    from .errors import (
        BudgetExceeded,
        DeriveError,
        InvalidClaimError,
        InvalidLayerError,
        InvalidLevelError,
        LatexParseError,
        NotPositiveDefiniteError,
        NotSymmetricError,
        ShapeError,
        StepFailed,
        UnsupportedError,
    )
    from .functions import Indicator, ReLU, Sigmoid
    from .latex.parse import parse_claim, parse_latex
    from .latex.printer import latex
    from .proof import Proof, Step, proof
    from .quadratic import contour_axes
    from .receptive import influence_region, receptive_field
    from .verify import Counterexample, Verdict, verify_claim
    from .vocabulary import Vocabulary, register_vocabulary
