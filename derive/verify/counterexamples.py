"""A counterexample made simpler while the claim still fails there, and turned into its record."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import sympy as sp

from derive.config import VerifyConfig
from derive.verify import arithmetic
from derive.verify.arithmetic import Interval
from derive.verify.evaluate import Env, key_object
from derive.verify.point_decision import _at_point, _on_a_kink, _Outcome
from derive.verify.points import PointSource
from derive.verify.sampling import satisfies
from derive.verify.verdict import Counterexample


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

