"""Frozen settings for verification."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class VerifyConfig:
    """How hard, and how, the verifier tries to decide a claim.

    Parameters
    ----------
    timeout : float
        Wall-clock budget in seconds for the symbolic strategies of one claim; the whole decision, points
        included, is abandoned (verdict ``unknown``) after ``2 * timeout + 1`` seconds.
    points : int
        Number of decided points wanted (a claim without variables needs one).
    max_ops : int
        Operations allowed for all points of one claim together: a deterministic cap, so the number
        of points never depends on the machine's speed.
    point_cap : int
        Operations allowed for one point (larger symbolic sizes are dropped when a point exceeds it).
    precisions : tuple of int
        Bits of the interval enclosures, tried in turn until a point is decided.
    agree_bits : int
        The sides agree at a point when the enclosure of their gap lies within
        ``2**-agree_bits * min(1, |side|)``.
    proven_only : bool
        Accept only proofs: a step checked by points fails.

    Examples
    --------
    >>> VerifyConfig().points
    64
    >>> VerifyConfig().with_(points=3).points
    3
    """

    timeout: float = 5.0
    points: int = 64
    max_ops: int = 600_000
    point_cap: int = 40_000
    precisions: tuple[int, ...] = (192, 384, 768, 1536, 3072)
    agree_bits: int = 160
    proven_only: bool = False

    def with_(self, **overrides: Any) -> VerifyConfig:
        """Return a copy with some fields replaced.

        Examples
        --------
        >>> VerifyConfig().with_(timeout=1.0).timeout
        1.0
        """
        return replace(self, **overrides)
