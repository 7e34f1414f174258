"""derive: a symbolic derivation engine for the mathematics of neural networks.

The public names are imported lazily (PEP 562), so ``import derive`` and the pytest plugin cost nothing
until a name is used; ``from derive import check`` imports what ``check`` needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "residual_block_gradients": ".calculus.backprop",
    "check": ".claims.check",
    "VerifyConfig": ".config",
    **{name: ".errors" for name in (
        "BudgetExceeded", "DeriveError", "InvalidClaimError", "InvalidLayerError", "InvalidLevelError",
        "LatexParseError", "NotPositiveDefiniteError", "NotSymmetricError", "ShapeError", "StepFailed",
        "UnsupportedError")},
    "Indicator": ".model.activations",
    "LeakyReLU": ".model.activations",
    "Gradient": ".calculus.gradient",
    "grad": ".calculus.gradient",
    "grade": ".grade.grader",
    "Report": ".grade.report",
    "SubmissionError": ".errors",
    "SpecError": ".model.spec",
    "register_activation": ".model.layers",
    "unregister_activation": ".model.layers",
    "ReLU": ".model.activations",
    "Sigmoid": ".model.activations",
    "parse_claim": ".claims.parse",
    "parse_latex": ".claims.parse",
    "latex": ".printing.latex",
    "Proof": ".document.proof",
    "Step": ".document.proof",
    "proof": ".document.proof",
    "contour_axes": ".calculus.quadratic",
    "influence_region": ".calculus.receptive",
    "receptive_field": ".calculus.receptive",
    "Counterexample": ".verify",
    "Verdict": ".verify",
    "verify_claim": ".verify",
    "Vocabulary": ".claims.vocabulary",
    "register_vocabulary": ".claims.vocabulary",
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
    "Report",
    "ShapeError",
    "Sigmoid",
    "SpecError",
    "Step",
    "StepFailed",
    "SubmissionError",
    "UnsupportedError",
    "Verdict",
    "VerifyConfig",
    "Vocabulary",
    "check",
    "contour_axes",
    "grad",
    "grade",
    "influence_region",
    "latex",
    "parse_claim",
    "parse_latex",
    "proof",
    "receptive_field",
    "register_activation",
    "register_vocabulary",
    "residual_block_gradients",
    "unregister_activation",
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


if TYPE_CHECKING:  # pragma: no cover - the same names, for type checkers
    from derive.calculus.backprop import residual_block_gradients
    from derive.calculus.gradient import Gradient, grad
    from derive.calculus.quadratic import contour_axes
    from derive.calculus.receptive import influence_region, receptive_field
    from derive.claims.check import check
    from derive.claims.parse import parse_claim, parse_latex
    from derive.claims.vocabulary import Vocabulary, register_vocabulary
    from derive.config import VerifyConfig
    from derive.document.proof import Proof, Step, proof
    from derive.errors import (
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
        SubmissionError,
        UnsupportedError,
    )
    from derive.grade.grader import grade
    from derive.grade.report import Report
    from derive.model.activations import Indicator, LeakyReLU, ReLU, Sigmoid
    from derive.model.layers import register_activation, unregister_activation
    from derive.model.spec import SpecError
    from derive.printing.latex import latex
    from derive.verify import Counterexample, Verdict, verify_claim
