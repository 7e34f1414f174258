r"""One claim decided at one point: exact rationals, else interval enclosures at rising precision.

The sides *differ* only when an exact computation or an enclosure that excludes agreement says so, and they
*agree* only when the enclosure of the gap lies within :math:`2^{-160}\min(1, |\text{side}|)`
(:func:`interval_decision`). Near-agreements are re-decided at the top precision (:func:`_confirm`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from derive.coerce import as_basic
from derive.config import VerifyConfig
from derive.errors import DeriveError
from derive.verify import arithmetic
from derive.verify.arithmetic import Interval, NotExact, Undecided, Undefined
from derive.verify.claim_shape import ClaimShape
from derive.verify.evaluate import EXACT, Env, TooCostly, compile_expr, key_object

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



__all__ = ["CONFIRM_POINTS", "interval_decision"]
