"""Frozen settings for verification."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class VerifyConfig:
    """How hard, and how, the verifier tries to confirm a step.

    Parameters
    ----------
    timeout : float
        Wall-clock budget in seconds for the symbolic strategies of one step.
    points : int
        Number of random points for the exact and the float64 checks.
    size_range : tuple of int
        Inclusive range for symbolic sizes (``D``, ``M``, ``K``) at random points.
    value_range : tuple of int
        Random values are rationals in this closed interval.
    denominator : int
        Largest denominator of a random rational value.
    kink_margin : float
        Points where an argument of ReLU or an indicator lies closer than this to 0 are rejected.
    rtol, atol : float
        float64 agreement: ``|lhs - rhs| <= atol + rtol * max(|lhs|, |rhs|)``.
    exact_only : bool
        Refuse evidence that is only numeric (float64).
    cross_check : bool
        Also evaluate symbolically proven steps in float64 and record the error.

    Examples
    --------
    >>> VerifyConfig().points
    8
    >>> VerifyConfig().with_(points=3).points
    3
    """

    timeout: float = 5.0
    points: int = 8
    size_range: tuple[int, int] = (1, 4)
    value_range: tuple[int, int] = (-2, 2)
    denominator: int = 7
    kink_margin: float = 1e-3
    rtol: float = 1e-9
    atol: float = 1e-12
    exact_only: bool = False
    cross_check: bool = True

    def with_(self, **overrides: Any) -> VerifyConfig:
        """Return a copy with some fields replaced.

        Examples
        --------
        >>> VerifyConfig().with_(timeout=1.0).timeout
        1.0
        """
        return replace(self, **overrides)
