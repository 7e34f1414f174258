r"""Verification: decide a claim at adversarial points in exact and interval arithmetic, then prove it.

The stages, one module each: :mod:`~derive.verify.arithmetic` (exact rationals and certified intervals),
:mod:`~derive.verify.evaluate` (one walk of the expression tree in either arithmetic),
:mod:`~derive.verify.sampling` (the values), :mod:`~derive.verify.claim_shape` and :mod:`~derive.verify.kinks`
(what a claim ranges over), :mod:`~derive.verify.points` (the points), :mod:`~derive.verify.point_decision`
(a claim at one point), :mod:`~derive.verify.counterexamples` (a failure made simple),
:mod:`~derive.verify.strategies` and :mod:`~derive.verify.proof_attempt` (symbolic proofs),
:mod:`~derive.verify.policy` (the one policy, :func:`verify_claim`) and :mod:`~derive.verify.verdict`.
"""

from derive.verify.policy import RELATIONS, verify_claim
from derive.verify.sampling import Sampler, claim_seed, stable_seed
from derive.verify.verdict import STATUSES, Counterexample, Status, Verdict

__all__ = ["RELATIONS", "STATUSES", "Counterexample", "Sampler", "Status", "Verdict", "claim_seed", "stable_seed",
           "verify_claim"]
