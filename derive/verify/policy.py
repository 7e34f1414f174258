r"""The one verification policy: points hunt for a counterexample, then symbolic strategies try to prove.

:func:`verify_claim` is called by :func:`derive.check`, by every proof step and so by the pytest plugin and
the document. For a claim ``lhs ~ rhs``:

1. The claim is tried at the points of :mod:`derive.verify.points`. Each point is decided in exact
   rational arithmetic, or, where a value is irrational, by interval enclosures at rising precision (192
   bits, about 58 digits, and up): the sides *differ* only when an exact computation or an enclosure that
   excludes agreement says so, and they *agree* only when the enclosure of the gap lies within
   :math:`2^{-160}\min(1, |\text{side}|)`, an absolute and a relative criterion at once. Nothing is decided
   in float64. A point where a side is undefined is excluded and replaced; a point the enclosures cannot
   settle is not counted.
2. A counterexample refutes the claim. One that sits exactly on a kink is reported as such ("fails only at
   the kink"); under almost-everywhere semantics kink points are excluded instead.
3. Otherwise the symbolic strategies (:mod:`derive.verify.strategies`) try to prove the claim; a proof is
   ``proven``. A claim without variables is proven by exact evaluation.
4. Otherwise the verdict is ``agrees`` (at the number of points given) or, if no point could be decided,
   ``unknown``.

The decision at one point is :mod:`derive.verify.point_decision`'s, the simpler counterexample
:mod:`derive.verify.counterexamples`' and the symbolic proof attempt :mod:`derive.verify.proof_attempt`'s;
this module chains them.

``a \neq b`` is existential: a point where the sides certainly differ proves it; a symbolic proof of
``a = b`` refutes it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, cast

import sympy as sp
from sympy.matrices import MatrixBase

from derive.budget import run_with_budget
from derive.coerce import as_basic
from derive.config import VerifyConfig
from derive.errors import BudgetExceeded, InvalidClaimError
from derive.verify.arithmetic import Unsupported
from derive.verify.claim_shape import ClaimShape
from derive.verify.counterexamples import _counterexample, _shrink
from derive.verify.evaluate import Env, compile_condition, compile_expr, key_object
from derive.verify.point_decision import CONFIRM_POINTS, _at_point, _confirm, _on_a_kink, _Outcome
from derive.verify.points import PointSource
from derive.verify.proof_attempt import _prove
from derive.verify.sampling import Sampler, claim_seed
from derive.verify.verdict import Verdict

RELATIONS = ("=", "<=", ">=", "<", ">", "!=")


def _entries(lhs: sp.Basic, rhs: sp.Basic) -> list[tuple[sp.Basic, sp.Basic]] | None:
    if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
        left, right = sp.Matrix(lhs), sp.Matrix(rhs)
        if left.shape != right.shape:
            raise InvalidClaimError(f"the sides have shapes {left.shape} and {right.shape}")
        return list(zip(left, right))
    if isinstance(lhs, sp.Tuple) and isinstance(rhs, sp.Tuple):
        if len(lhs) != len(rhs):
            raise InvalidClaimError("the sides are tuples of different lengths")
        return list(zip(lhs.args, rhs.args))
    if isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr):
        return [(lhs, rhs)]
    return None



def _describe_excluded(env: Env, why: str) -> str:
    shown = ", ".join(f"{key_object(k)} = {v}" for k, v in env.assignments()[:4])
    return f"{why} at {shown}" if shown else why


def _decide(lhs: sp.Basic, rhs: sp.Basic, relation: str, config: VerifyConfig, sampler: Sampler | None,
            seed: int | None, almost_everywhere: bool, claim: sp.Basic | None,
            domain: tuple[sp.Basic, ...] = ()) -> Verdict:
    start = time.perf_counter()
    pairs = _entries(lhs, rhs)
    if pairs is None:
        if relation == "=" and lhs == rhs:
            return Verdict("proven", "structural identity", "the two sides are the same object", claim=claim)
        return Verdict("unknown", "unsupported", f"cannot compare {type(lhs).__name__} with {type(rhs).__name__}",
                       claim=claim)
    if all(a == b for a, b in pairs) and not any(e.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for a, b in pairs
                                                   for e in (a, b)):
        if relation in ("=", "<=", ">="):
            return Verdict("proven", "structural identity", "the two sides are the same expression", claim=claim)
    exprs = [e for pair in pairs for e in pair]
    probes = [as_basic(a - b) for a, b in pairs] if relation in ("<=", ">=", "<", ">") else []
    shape = ClaimShape.of(exprs, probes)
    try:
        compiled: list[tuple[Any, Any]] | None = [(compile_expr(a), compile_expr(b)) for a, b in pairs]
        conditions = [compile_condition(c) for c in domain]
        unsupported = ""
    except Unsupported as exc:
        compiled, conditions, unsupported = None, [], str(exc)
    seed = claim_seed(lhs, rhs, relation) if seed is None else seed
    agree = undecided = costly = tries = ops = 0
    all_certified = all_exact = True
    excluded: list[str] = []
    kink_excluded = 0
    failure: tuple[_Outcome, Env, sp.Basic | None] | None = None
    kink_failure: tuple[_Outcome, Env, sp.Basic | None] | None = None
    witness: tuple[_Outcome, Env, sp.Basic | None] | None = None
    agreed_envs: list[Env] = []
    target = 1 if shape.closed else config.points
    if compiled is not None:
        source = PointSource(shape, seed, sampler, point_cap=config.point_cap, almost_everywhere=almost_everywhere)
        for point in source.points():
            if agree >= target or tries >= 4 * target or ops > config.max_ops:
                break
            tries += 1
            outcome = _at_point(compiled, relation, point.env, config, pairs, conditions)
            ops += point.env.ops
            if outcome.kind == "costly":
                costly += 1
                if shape.sizes:
                    source.too_costly()
                continue
            if outcome.kind == "undefined":
                if len(excluded) < 3:
                    excluded.append(_describe_excluded(point.env, outcome.why))
                continue
            if outcome.kind == "undecided":
                undecided += 1
                continue
            if almost_everywhere and (point.on_kink or _on_a_kink(shape, point.env)):
                kink_excluded += 1
                continue
            if outcome.kind == "differ":
                record = (outcome, point.env, point.kink if point.on_kink else None)
                if relation == "!=":
                    witness = record
                    break
                if point.on_kink:
                    kink_failure = kink_failure or record
                    continue
                failure = record
                break
            agree += 1
            all_certified = all_certified and outcome.certified
            all_exact = all_exact and outcome.exact
            if not outcome.certified and len(agreed_envs) < CONFIRM_POINTS:
                agreed_envs.append(point.env)
    notes = []
    if costly:
        notes.append(f"{costly} points skipped: one evaluation would exceed {config.point_cap} operations"
                     + (f" (sizes then capped at {source.size_cap})" if shape.sizes else ""))
    if kink_excluded:
        excluded.append(f"{kink_excluded} points exactly on a kink (almost-everywhere semantics)")
    qualifier = "almost everywhere" if almost_everywhere else ""
    common: dict[str, Any] = {"points": agree, "undecided": undecided, "excluded": tuple(excluded),
                              "claim": claim, "notes": tuple(notes)}

    def elapsed() -> float:
        return time.perf_counter() - start

    if relation == "!=":
        if witness is not None:
            found = _counterexample(*_shrink(cast(list, compiled), relation, witness, source, config, conditions))
            return Verdict("proven", "witness point", f"the sides differ ({found.confirmed})", witness=found,
                           seconds=elapsed(), **common)
        strategy, timed_out = _prove(pairs, "=", config.timeout)
        if strategy:
            return Verdict("refuted", strategy, "the two sides are equal", seconds=elapsed(), **common)
        return Verdict("unknown", "no witness", "no point where the sides differ was found, and equality is not "
                       "proven" + ("; symbolic budget expired" if timed_out else ""), seconds=elapsed(), **common)
    chosen = failure or kink_failure
    if chosen is not None:
        found = _counterexample(*_shrink(cast(list, compiled), relation, chosen, source, config, conditions))
        if failure is None and found.kink is not None:
            qualifier = f"fails only at the kink {found.kink} = 0; agrees at the {agree} points tried off it"
        return Verdict("refuted", "counterexample", f"the claim fails ({found.confirmed})", counterexample=found,
                       qualifier=qualifier, seconds=elapsed(), **common)
    if shape.closed and agree and all_certified:
        return Verdict("proven", "exact evaluation" if all_exact else "interval arithmetic",
                       "a claim without variables, evaluated", seconds=elapsed(), **common)
    strategy, timed_out = _prove(pairs, relation, config.timeout)
    if strategy:
        return Verdict("proven", strategy, "proven symbolically for every value in the domain",
                       qualifier=qualifier, seconds=elapsed(), **common)
    confirmed = (_confirm(compiled, relation, agreed_envs, config, pairs, shape.closed) if compiled is not None
                 else None)
    if confirmed is not None:
        found = _counterexample(*_shrink(cast(list, compiled), relation, (confirmed[0], confirmed[1], None),
                                         source, config, conditions))
        return Verdict("refuted", "counterexample", f"the claim fails ({found.confirmed})", counterexample=found,
                       seconds=elapsed(), **common)
    if agree:
        why = f"no counterexample at {agree} points" + ("; symbolic budget expired" if timed_out else "")
        return Verdict("agrees", "points", why, qualifier=qualifier, seconds=elapsed(), **common)
    reason = unsupported or ("symbolic budget expired" if timed_out else "no point could be decided")
    return Verdict("unknown", "unsupported" if unsupported else "undecided", reason, seconds=elapsed(), **common)


def verify_claim(
    lhs: Any,
    rhs: Any,
    *,
    relation: str = "=",
    config: VerifyConfig | None = None,
    sampler: Sampler | None = None,
    hypotheses: Mapping[sp.Basic, sp.Basic] | None = None,
    seed: int | None = None,
    almost_everywhere: bool = False,
    domain: tuple[sp.Basic, ...] = (),
) -> Verdict:
    r"""Decide ``lhs relation rhs``: hunt for a counterexample at points, then try to prove it.

    Parameters
    ----------
    lhs, rhs : SymPy objects
        Expressions, matrices (compared entry by entry) or tuples.
    relation : {"=", "<=", ">=", "<", ">", "!="}
        ``"!="`` is existential: it holds when the sides differ somewhere.
    config : VerifyConfig, optional
        Budget, number of points, precisions.
    sampler : callable, optional
        ``sampler(rng)`` returns values for symbols that must satisfy the claim's hypotheses (for example
        an orthonormal basis); they override drawn values.
    hypotheses : mapping, optional
        Replacement rules that hold by hypothesis, applied to both sides first.
    seed : int, optional
        By default a hash of the canonical claim.
    almost_everywhere : bool
        Exclude points exactly on a kink (for identities that hold almost everywhere).
    domain : tuple of SymPy conditions
        Where the written claim is defined (``x \neq 0`` for a ``\frac{x}{x}`` that SymPy cancelled): points
        outside are excluded, as points where a side is undefined are.

    Returns
    -------
    Verdict

    Raises
    ------
    InvalidClaimError
        For an unknown relation or sides of different shapes.

    Examples
    --------
    >>> from sympy import Symbol, tanh
    >>> from derive.model.activations import Sigmoid
    >>> a = Symbol("a", real=True)
    >>> verify_claim(tanh(a), 2*Sigmoid(2*a) - 1).status
    'proven'
    >>> v = verify_claim(tanh(a), 2*Sigmoid(a) - 1)
    >>> v.status, v.counterexample is not None
    ('refuted', True)
    >>> verify_claim((a - 1)**2, 0, relation=">=").status
    'proven'
    """
    config = config or VerifyConfig()
    if relation not in RELATIONS:
        raise InvalidClaimError(f"unknown relation {relation!r}; use one of {', '.join(RELATIONS)}")
    try:
        lhs, rhs = as_basic(lhs), as_basic(rhs)
    except TypeError as exc:
        raise InvalidClaimError(str(exc)) from exc
    seed = claim_seed(lhs, rhs, relation) if seed is None else seed  # the displayed claim, before hypotheses
    if hypotheses:
        rules = dict(hypotheses)
        lhs, rhs = lhs.xreplace(rules), rhs.xreplace(rules)
    claim = _relational(lhs, rhs, relation)
    start = time.perf_counter()

    def decide() -> Verdict:
        try:
            return _decide(lhs, rhs, relation, config, sampler, seed, almost_everywhere, claim, tuple(domain))
        except (InvalidClaimError, BudgetExceeded):
            raise
        except Exception as exc:  # noqa: BLE001 - any failure inside a decision is "unknown", with the reason
            return Verdict("unknown", "evaluation error", f"{type(exc).__name__}: {str(exc)[:160]}", claim=claim)

    outcome = run_with_budget(decide, 2 * config.timeout + 1)
    if outcome.timed_out or outcome.value is None:
        return Verdict("unknown", "budget", f"no decision within the budget of {config.timeout:g} s", claim=claim,
                       seconds=time.perf_counter() - start)
    return outcome.value


def _relational(lhs: sp.Basic, rhs: sp.Basic, relation: str) -> sp.Basic | None:
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)):
        return None
    make = {"=": sp.Eq, "!=": sp.Ne, "<=": sp.Le, ">=": sp.Ge, "<": sp.Lt, ">": sp.Gt}[relation]
    try:
        return make(lhs, rhs, evaluate=False)
    except (TypeError, ValueError):
        return None


__all__ = ["RELATIONS", "verify_claim"]
