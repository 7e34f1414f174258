"""derive: a symbolic derivation engine for the mathematics of neural networks."""

from .backprop import residual_block_gradients
from .check import check
from .config import VerifyConfig
from .equivalence import sigmoid_to_tanh, tanh_to_sigmoid
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
from .vocabulary import Vocabulary

__version__ = "0.1.0"

__all__ = [
    "BudgetExceeded",
    "DeriveError",
    "Counterexample",
    "Indicator",
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
    "Step",
    "StepFailed",
    "UnsupportedError",
    "Verdict",
    "VerifyConfig",
    "Vocabulary",
    "check",
    "residual_block_gradients",
    "influence_region",
    "contour_axes",
    "latex",
    "parse_claim",
    "parse_latex",
    "proof",
    "receptive_field",
    "sigmoid_to_tanh",
    "tanh_to_sigmoid",
    "verify_claim",
]
