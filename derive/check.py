r"""Check a claim written in LaTeX: parse it, substitute the question's derived results, decide it under a budget."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy as sp

from .budget import run_with_budget
from .config import VerifyConfig
from .errors import DeriveError
from .latex.parse import Claim, is_operator_level, parse_claim
from .latex.printer import latex
from .sampling import sample_points, stable_seed
from .verify import Evidence, verify_claim
from .vocabulary import Vocabulary, load_vocabulary

#: Evidence statuses that mean "the two sides agree", and whether each is a proof.
_AGREE = {"proven": True, "exact": False, "numeric": False}


@dataclass(frozen=True)
class Verdict:
    r"""The answer of :func:`check`.

    ``holds`` is True, False or None (unknown). ``proven`` is True only for a
    symbolic proof; a True verdict from random points says "numerically
    equal, not proven" in ``method``. ``counterexample`` maps the free symbols
    to the values where the claim fails.

    Examples
    --------
    >>> Verdict(None, "budget", explanation="time ran out").holds is None
    True
    """

    holds: bool | None
    method: str
    counterexample: Mapping[str, str] | None = None
    explanation: str = ""
    proven: bool = False
    claim: sp.Basic | None = None
    lhs_value: str | None = None
    rhs_value: str | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())
    counterexample_latex: tuple[tuple[str, str], ...] = ()

    @property
    def word(self) -> str:
        """``true``, ``false`` or ``unknown``."""
        return {True: "true", False: "false", None: "unknown"}[self.holds]


def _derivatives(expr: sp.Basic) -> sp.Basic:
    return expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())


def _from_evidence(ev: Evidence, relation: str, claim: sp.Basic, seconds: float) -> Verdict:
    agree = ev.status in _AGREE
    proven = ev.status == "proven"
    how = {"proven": f"symbolic proof ({ev.method})",
           "exact": f"numerically equal, not proven: {ev.method}",
           "numeric": f"numerically equal, not proven: {ev.method}"
                      + (f", largest relative error {ev.max_rel_error:.1e}" if ev.max_rel_error else "")}
    if relation == "!=":
        if ev.status == "failed" and ev.counterexample is not None:
            return Verdict(True, "counterexample to equality", ev.counterexample,
                           "the two sides differ at the values shown", False, claim, ev.lhs_value, ev.rhs_value,
                           seconds, counterexample_latex=ev.counterexample_latex)
        if agree:
            return Verdict(False, how[ev.status], None, "the two sides are equal", proven, claim, seconds=seconds)
        return Verdict(None, ev.method, None, "could not decide whether the sides differ", claim=claim,
                       seconds=seconds)
    if agree:
        what = "holds" if relation == "=" else f"holds ({relation})"
        return Verdict(True, how[ev.status], None, f"the claim {what}", proven, claim, seconds=seconds,
                       notes=ev.notes)
    if ev.status == "failed" and ev.counterexample is not None:
        return Verdict(False, ev.method, ev.counterexample,
                       f"the claim fails: lhs = {ev.lhs_value}, rhs = {ev.rhs_value}", False, claim,
                       ev.lhs_value, ev.rhs_value, seconds, counterexample_latex=ev.counterexample_latex)
    return Verdict(None, ev.method, ev.counterexample, "no proof and no reliable counterexample", claim=claim,
                   seconds=seconds)


#: Digits of the high-precision re-check of a float64 agreement, and the gap that counts as a difference.
DIGITS = 60
HP_GAP = sp.Float(10) ** -40


def _high_precision(lhs: sp.Basic, rhs: sp.Basic, seed: int, config: VerifyConfig) -> Evidence | None:
    """Re-evaluate a float64 agreement with ``DIGITS`` digits; a counterexample if the gap is real."""
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)):
        return None
    for point in sample_points(lhs, rhs, seed=seed, config=config):
        values = dict(point.values)
        left = point.lhs.xreplace(values).evalf(DIGITS)
        right = point.rhs.xreplace(values).evalf(DIGITS)
        gap = (left - right).evalf(DIGITS)
        if not (gap.is_number and left.is_number and right.is_number):
            return None
        scale = max(abs(left), abs(right), sp.Integer(1))
        if abs(gap) > HP_GAP * scale:
            record = {str(k): str(v) for k, v in [*point.sizes.items(), *values.items()]}
            shown = tuple((latex(k), latex(v)) for k, v in [*point.sizes.items(), *values.items()])
            return Evidence("failed", f"counterexample in {DIGITS}-digit arithmetic (float64 could not see it)", 1,
                            counterexample=record, counterexample_latex=shown, lhs_value=str(left.evalf(20)),
                            rhs_value=str(right.evalf(20)))
    return None


def _decide(parsed: Claim, vocab: Vocabulary, seed: int, budget: float) -> Verdict:
    start = time.perf_counter()
    lhs, rhs = vocab.substitute(parsed.lhs), vocab.substitute(parsed.rhs)
    shown = parsed.as_relational()
    if is_operator_level(lhs) or is_operator_level(rhs) or vocab.is_array(lhs) or vocab.is_array(rhs):
        # before derivatives are evaluated: d h/d x of two arrays is not the derivative of independent scalars
        if vocab.operator_evaluator is None:
            return Verdict(None, "operator-level claim", None,
                           f"vocabulary {vocab.name!r} cannot evaluate array operators (*, flip, gradients)",
                           claim=shown)
        res = vocab.operator_evaluator(lhs, rhs, parsed.relation, seed)
        return Verdict(res.holds, res.method, res.counterexample, res.explanation, False, shown, res.lhs_value,
                       res.rhs_value, time.perf_counter() - start, counterexample_latex=res.counterexample_latex)
    lhs, rhs = _derivatives(lhs), _derivatives(rhs)
    relation = "=" if parsed.relation == "!=" else parsed.relation
    config = VerifyConfig(timeout=max(budget * 0.6, 0.1), points=8)
    ev = verify_claim(lhs, rhs, relation=relation, seed=seed, config=config)
    if ev.status == "numeric" and relation == "=":
        ev = _high_precision(lhs, rhs, seed, config) or Evidence(
            "numeric", f"{ev.method}, confirmed with {DIGITS} digits", ev.points, ev.max_abs_error,
            ev.max_rel_error, notes=ev.notes)
    return _from_evidence(ev, parsed.relation, shown, time.perf_counter() - start)


def check(
    claim: str,
    *,
    question: str | None = None,
    timeout: float = 3.0,
    vocabulary: Vocabulary | None = None,
    seed: int | None = None,
) -> Verdict:
    r"""Decide whether a LaTeX claim holds: symbolic proof first, then seeded random points.

    Parameters
    ----------
    claim : str
        ``lhs = rhs`` (or ``\neq``, ``\le``, ``\ge``, ``<``, ``>``) in LaTeX.
    question : str, optional
        ``"q1"`` ... ``"q6"``: load that question's vocabulary and derived results.
    timeout : float
        Budget in seconds for the whole check; when it runs out the verdict is unknown.
    vocabulary : Vocabulary, optional
        Use this vocabulary instead of the question's.
    seed : int, optional
        Seed of the random points; by default derived from the claim text.

    Returns
    -------
    Verdict

    Raises
    ------
    LatexParseError
        When the claim cannot be parsed (``position`` points at the problem).

    Examples
    --------
    >>> check(r"\tanh(a) = 2\sigma(2a) - 1").holds
    True
    >>> v = check(r"\tanh(a) = 2\sigma(a) - 1")
    >>> v.holds, bool(v.counterexample)
    (False, True)
    >>> check(r"h^{(3)} = h^3").holds
    False
    """
    vocab = vocabulary or load_vocabulary(question)  # loaded once and cached; not part of the budget
    start = time.perf_counter()
    parsed = parse_claim(claim, vocabulary=vocab, timeout=max(timeout * 0.4, 0.5))
    seed = stable_seed("check", claim) if seed is None else seed
    left = max(timeout - (time.perf_counter() - start), 0.2)

    def decide() -> Verdict:
        try:
            return _decide(parsed, vocab, seed, left)
        except (DeriveError, ArithmeticError, ValueError, TypeError, AttributeError, NotImplementedError,
                IndexError, KeyError, RecursionError, MemoryError, OverflowError) as exc:
            return Verdict(None, "evaluation error", None, f"{type(exc).__name__}: {str(exc)[:120]}",
                           claim=parsed.as_relational())

    outcome = run_with_budget(decide, left)
    seconds = time.perf_counter() - start
    if outcome.timed_out or outcome.value is None:
        return Verdict(None, "time budget expired", None, f"no decision within {timeout:g} s",
                       claim=parsed.as_relational(), seconds=seconds)
    verdict: Verdict = outcome.value
    return Verdict(**{**verdict.__dict__, "seconds": seconds})


def format_verdict(verdict: Verdict) -> str:
    """The verdict as a few lines of text for the command line.

    Examples
    --------
    >>> print(format_verdict(Verdict(True, "symbolic proof (expand)", explanation="the claim holds")))
    verdict: true
    method:  symbolic proof (expand)
    the claim holds
    """
    lines = [f"verdict: {verdict.word}", f"method:  {verdict.method}"]
    if verdict.counterexample:
        lines.append("counterexample: " + ", ".join(f"{k} = {v}" for k, v in verdict.counterexample.items()))
    if verdict.explanation:
        lines.append(verdict.explanation)
    return "\n".join(lines)


__all__ = ["Verdict", "check", "format_verdict"]
