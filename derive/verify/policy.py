r"""The one verification policy: points hunt for a counterexample, then symbolic strategies try to prove.

:func:`verify_claim` is called by :func:`derive.check`, by every proof step and so by the pytest plugin and
the document. For a claim ``lhs ~ rhs``:

1. The claim is tried at the points of :mod:`derive.verify.sampling`. Each point is decided in exact
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

``a \neq b`` is existential: a point where the sides certainly differ proves it; a symbolic proof of
``a = b`` refutes it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import mpmath
import sympy as sp
from sympy.matrices import MatrixBase

from derive.budget import run_with_budget
from derive.coerce import as_basic
from derive.config import VerifyConfig
from derive.errors import BudgetExceeded, DeriveError, InvalidClaimError
from derive.verify import arithmetic
from derive.verify.arithmetic import Interval, NotExact, Undecided, Undefined, Unsupported
from derive.verify.evaluate import EXACT, Env, TooCostly, compile_condition, compile_expr, key_object
from derive.verify.sampling import ClaimShape, PointSource, Sampler, claim_seed, satisfies
from derive.verify.strategies import prove_zero
from derive.verify.verdict import Counterexample, Verdict

RELATIONS = ("=", "<=", ">=", "<", ">", "!=")

_EXACT_TEST = {"=": lambda s: s == 0, "!=": lambda s: s == 0, "<=": lambda s: s <= 0, ">=": lambda s: s >= 0,
               "<": lambda s: s < 0, ">": lambda s: s > 0}


@dataclass
class _Outcome:
    kind: str                 # agree, differ, undefined, undecided, costly
    lhs: Any = None
    rhs: Any = None
    exact: bool = True
    prec: int = 0
    entry: int = 0
    certified: bool = True    # False for an agreement "within 2^-bits" (not a proof for a closed claim)
    why: str = ""


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


def interval_decision(gap: Any, magnitude: Any, relation: str, bits: int) -> str | None:
    """Decide one relation from the enclosure of ``lhs - rhs``: ``"differ"``, ``"agree"``, ``"agree~"`` or None.

    ``"differ"``: the enclosure excludes the relation. ``"agree"``: it certifies the relation (a strict sign).
    ``"agree~"``: for ``=``, the enclosure holds 0 and is narrower than ``2**-bits * min(1, magnitude)``:
    agreement as evidence, not a certificate. None: undecided at this precision (an enclosure that straddles
    0 never supports an inequality).

    Examples
    --------
    >>> from mpmath import iv
    >>> interval_decision(iv.mpf([1, 2]), 2, "=", 160), interval_decision(iv.mpf([-2, -1]), 2, "<=", 160)
    ('differ', 'agree')
    """
    lo, hi = arithmetic.lower(gap), arithmetic.upper(gap)
    if not (mpmath.isfinite(lo) and mpmath.isfinite(hi)):
        return None
    if relation in (">=", ">"):
        lo, hi = -hi, -lo
        relation = "<=" if relation == ">=" else "<"
    tol = mpmath.ldexp(min(mpmath.mpf(1), magnitude), -bits)
    with mpmath.workprec(64):
        width = mpmath.fsub(hi, lo, rounding="u")
    tiny = width <= tol and lo <= 0 <= hi
    if relation in ("=", "!="):
        if lo > 0 or hi < 0:
            return "differ"
        return "agree~" if tiny else None
    if relation == "<=":
        if lo > 0:
            return "differ"
        if hi <= 0:
            return "agree"
        return None  # an enclosure that straddles 0 says nothing about the sign, however narrow
    if hi < 0:  # strict <
        return "agree"
    if lo >= 0 and hi == lo:
        return "differ"
    if lo > 0:
        return "differ"
    return None


def _on_a_kink(shape: ClaimShape, env: Env) -> bool:
    """True when the argument of a kink (free of summation indices) is exactly 0 at the point."""
    for kink in shape.kinks:
        if kink.argument.free_symbols & set(shape.limits):
            continue
        try:
            if compile_expr(kink.argument)(env, EXACT) == 0:
                return True
        except (ArithmeticError, DeriveError):
            continue
    return False


def _sign(value: sp.Basic) -> int:
    return int(bool(value > 0)) - int(bool(value < 0))


def _symbolic_sides(pair: tuple[sp.Basic, sp.Basic], env: Env) -> tuple[sp.Basic, sp.Basic] | None:
    """Both sides at a point that holds exact symbolic values (a root such as pi/2), when SymPy evaluates
    them to rationals; None otherwise (then the point is decided by intervals)."""
    if all(isinstance(v, Fraction) for v in env.values.values()):
        return None
    values = {}
    for key, raw in env.assignments():
        values[key_object(key)] = sp.Rational(raw.numerator, raw.denominator) if isinstance(raw, Fraction) else raw
    left, right = pair[0].xreplace(values), pair[1].xreplace(values)
    return (left, right) if left.is_Rational and right.is_Rational else None


def _outside(domain: list[Any], env: Env, config: VerifyConfig) -> _Outcome | None:
    """``undefined`` when the point violates a domain condition of the written claim, ``undecided`` when the
    enclosures cannot tell, None inside the domain."""
    for condition in domain:
        try:
            try:
                inside = condition(env, EXACT)
            except NotExact:
                inside = condition(env, Interval(config.precisions[0]))
        except Undecided:
            return _Outcome("undecided")
        except Undefined as exc:
            return _Outcome("undefined", why=str(exc))
        if not inside:
            return _Outcome("undefined", why="outside the domain of the written claim")
    return None


def _at_point(compiled: list[tuple[Any, Any]], relation: str, env: Env, config: VerifyConfig,
              pairs: list[tuple[sp.Basic, sp.Basic]] | None = None, domain: list[Any] | None = None) -> _Outcome:
    if domain:
        try:
            outside = _outside(domain, env, config)
        except TooCostly:
            return _Outcome("costly")
        if outside is not None:
            return outside
    agreed: list[_Outcome] = []
    for n, (left, right) in enumerate(compiled):
        try:
            try:
                env.weight = 1
                lv, rv = left(env, EXACT), right(env, EXACT)
                gap = lv - rv
                ok = _EXACT_TEST[relation]((gap > 0) - (gap < 0))
                out = _Outcome("agree" if ok else "differ", lv, rv, entry=n)
            except NotExact:
                out = _interval(left, right, relation, env, config, n)  # Undefined here excludes the point
                sides = _symbolic_sides(pairs[n], env) if pairs is not None and out.kind != "differ" else None
                if sides is not None and not _EXACT_TEST[relation](_sign(sides[0] - sides[1])):
                    out = _Outcome("differ", sides[0], sides[1], entry=n, why="exact symbolic evaluation")
        except Undefined as exc:
            return _Outcome("undefined", why=str(exc))
        except TooCostly:
            return _Outcome("costly")
        if out.kind != "agree":
            return out
        agreed.append(out)
    certified = all(o.certified for o in agreed)
    first = agreed[0] if agreed else _Outcome("agree")
    return _Outcome("agree", first.lhs, first.rhs, all(o.exact for o in agreed), first.prec, 0, certified)


def _interval(left: Any, right: Any, relation: str, env: Env, config: VerifyConfig, n: int) -> _Outcome:
    for prec in config.precisions:
        arith = Interval(prec)
        env.weight = max(prec // 24, 1)  # an interval operation costs about 8 exact ones at 192 bits
        try:
            lv, rv = left(env, arith), right(env, arith)
        except Undecided:
            continue
        gap = arith.add(lv, arith.neg(rv))
        magnitude = max(arith.magnitude(lv), arith.magnitude(rv))
        decision = interval_decision(gap, magnitude, relation, config.agree_bits)
        if decision is not None:
            kind = "differ" if decision == "differ" else "agree"
            return _Outcome(kind, lv, rv, exact=False, prec=prec, entry=n, certified=decision != "agree~")
    return _Outcome("undecided")


#: Points whose agreement was only "within the tolerance" that are re-decided at the top precision.
CONFIRM_POINTS = 4


def _confirm(compiled: list[tuple[Any, Any]], relation: str, envs: list[Env],
             config: VerifyConfig, pairs: list[tuple[sp.Basic, sp.Basic]] | None = None, closed: bool = False
             ) -> tuple[_Outcome, Env] | None:
    """Re-decide a few near-agreements at the highest precision, with the tolerance scaled to it.

    An agreement within ``2**-agree_bits`` may hide a smaller gap (``e^{-1000}``); at the top precision the
    tolerance shrinks by the same factor as the enclosures, so such a gap is found; beyond that, SymPy's
    assumptions may still certify the sign of the gap at the point (``-e^{-10^6}``).
    """
    top = config.precisions[-1]
    strict = config.with_(precisions=(top,), agree_bits=config.agree_bits + top - config.precisions[0])
    for env in envs:
        env.ops, env.cap = 0, config.point_cap * 20
        outcome = _at_point(compiled, relation, env, strict)
        if outcome.kind == "differ":
            return outcome, env
        if pairs is not None and closed:  # with variables SymPy's sign of a substituted gap proved unreliable
            signed = _sign_at_point(pairs, relation, env)
            if signed is not None:
                return signed, env
    return None


def _sign_at_point(pairs: list[tuple[sp.Basic, sp.Basic]], relation: str, env: Env) -> _Outcome | None:
    """A violation certified by SymPy's assumptions on the gap at the point (``-e^{-10^6} < 0``), if any."""
    values = {key_object(k): (sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v)
              for k, v in env.assignments()}
    for n, (left, right) in enumerate(pairs):
        gap = as_basic(left - right).xreplace(values)
        if gap.free_symbols or gap.has(sp.Sum, sp.Product):
            continue
        for form in (gap, sp.together(gap.rewrite(sp.exp))):
            if form.is_extended_real is not True:
                continue
            positive, negative = form.is_positive, form.is_negative
            sign = 1 if positive else -1 if negative else 0 if form.is_zero else None
            if sign is None:
                continue
            if not _EXACT_TEST[relation](sign):
                return _Outcome("differ", left.xreplace(values), right.xreplace(values), entry=n,
                                why="the sign of the gap, from SymPy's assumptions")
            break
    return None


def _value(v: Any, exact: bool) -> sp.Basic:
    if isinstance(v, sp.Basic):
        return v
    if exact:
        return sp.Rational(v.numerator, v.denominator)
    with mpmath.workprec(80):
        mid = (arithmetic.lower(v) + arithmetic.upper(v)) / 2
    return sp.Float(mid, 20)


#: Simpler values tried, in order, for each value of a counterexample (it is kept if the claim still fails).
_SIMPLE = tuple(Fraction(v) for v in (0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2), 3, -3, 10, -10))


def _shrink(compiled: list[tuple[Any, Any]], relation: str, found: tuple[_Outcome, Env, sp.Basic | None],
            source: PointSource, config: VerifyConfig, domain: list[Any] | None = None
            ) -> tuple[_Outcome, Env, sp.Basic | None]:
    """Replace the values of a counterexample by simpler ones while the claim still fails there.

    Sizes, indices, a custom sampler's values (they satisfy the step's hypotheses) and the value placed on a
    kink are kept; every other value is tried at 0, ±1, ±2, ±1/2, ±3, ±10 (within
    its assumptions). The result is still a confirmed counterexample: each candidate is decided afresh.
    """
    outcome, env, kink = found
    fixed = dict(env.assignments())
    keep = set(source.shape.sizes) | set(source.shape.indices) | env.pinned
    for key in list(fixed)[:24]:
        if key in keep or not isinstance(fixed[key], Fraction):
            continue
        for value in _SIMPLE:
            if value == fixed[key] or not satisfies(value, source.flags(key)):
                continue
            if abs(value.numerator) + value.denominator >= abs(fixed[key].numerator) + fixed[key].denominator:
                break
            trial = Env({**fixed, key: value}, source.draw_within_assumptions, cap=config.point_cap)
            trial.order = list(fixed)
            if source.almost_everywhere and _on_a_kink(source.shape, trial):
                continue
            result = _at_point(compiled, relation, trial, config, domain=domain)
            if result.kind == "differ":
                fixed[key] = value
                outcome, env = result, trial
                break
    return outcome, env, kink


def _counterexample(outcome: _Outcome, env: Env, kink: sp.Basic | None) -> Counterexample:
    pairs = []
    for key, raw in env.assignments():
        value = sp.Rational(raw.numerator, raw.denominator) if isinstance(raw, Fraction) else raw
        pairs.append((key_object(key), value))
    how = "exact rational arithmetic" if outcome.exact else f"interval arithmetic at {outcome.prec} bits"
    if outcome.why in ("exact symbolic evaluation", "the sign of the gap, from SymPy's assumptions"):
        how = outcome.why
    gap = None
    if not outcome.exact:
        arith = Interval(outcome.prec)
        gap = _value(arith.add(outcome.lhs, arith.neg(outcome.rhs)), False)
    return Counterexample(tuple(pairs), _value(outcome.lhs, outcome.exact), _value(outcome.rhs, outcome.exact),
                          how, approximate=not outcome.exact, kink=kink, entry=outcome.entry, gap=gap)


def _safe_ranges(exprs: list[sp.Basic]) -> bool:
    """True when no sum or product may run backwards (where SymPy's convention differs from the empty sum).

    A summation index is judged by the range it runs over, not by its declared assumptions: it is replaced by
    a fresh integer that is positive (nonnegative) only when every range of that index starts at 1 (0) or
    above.
    """
    lowest: dict[sp.Basic, sp.Basic | None] = {}
    for e in exprs:
        for s in e.atoms(sp.Sum, sp.Product):
            for index, lower, _ in s.limits:
                previous = lowest.get(index, lower)
                both = (previous, lower)
                lowest[index] = min(both) if all(b is not None and b.is_number for b in both) else None  # type: ignore[type-var]
    plain = {}
    for index, low in lowest.items():
        if low is not None and low >= 1:
            plain[index] = sp.Dummy(integer=True, positive=True)
        elif low is not None and low >= 0:
            plain[index] = sp.Dummy(integer=True, nonnegative=True)
        else:
            plain[index] = sp.Dummy(integer=True)
    for e in exprs:
        for s in e.atoms(sp.Sum, sp.Product):
            for _, lower, upper in s.limits:
                if (upper - lower + 1).xreplace(plain).is_nonnegative is not True:
                    return False
    return True


def _symbolic_sign(gaps: list[sp.Expr], relation: str) -> str | None:
    attr = {"<=": "is_nonpositive", ">=": "is_nonnegative", "<": "is_negative", ">": "is_positive"}[relation]
    transforms = (("assumptions", lambda e: e), ("expand, assumptions", sp.expand),
                  ("factor, assumptions", sp.factor),
                  ("together, cancel, assumptions", lambda e: sp.cancel(sp.together(e))),
                  ("rewrite(exp), together, assumptions", lambda e: sp.factor_terms(sp.together(e.rewrite(sp.exp)))),
                  ("simplify, assumptions", sp.simplify))
    for name, transform in transforms:
        try:
            if all(getattr(transform(g), attr) is True for g in gaps):
                return name
        except (TypeError, ValueError, NotImplementedError, AttributeError, sp.PolynomialError):
            continue
    return None


def _prove(pairs: list[tuple[sp.Basic, sp.Basic]], relation: str, timeout: float) -> tuple[str | None, bool]:
    exprs = [e for pair in pairs for e in pair]
    if not _safe_ranges(exprs):
        return None, False
    gaps = [as_basic(left - right) for left, right in pairs]
    if relation in ("=", "!="):
        result = prove_zero(gaps, timeout=timeout)
        return result.strategy, result.timed_out
    outcome = run_with_budget(lambda: _symbolic_sign(gaps, relation), timeout)
    return outcome.value, outcome.timed_out


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


__all__ = ["RELATIONS", "interval_decision", "verify_claim"]
