r"""Check a claim written in LaTeX: parse it, substitute the vocabulary's derived results, decide it under a budget.

The decision is :func:`derive.verify.verify_claim`'s, the same policy that verifies every proof step, so a
claim gets the same verdict here, in a proof, under pytest and in the document.
"""

from __future__ import annotations

import time
from typing import Any

import sympy as sp

from derive.budget import run_with_budget
from derive.claims.parse import Claim, is_operator_level, parse_claim
from derive.claims.vocabulary import Vocabulary, load_vocabulary
from derive.config import VerifyConfig
from derive.errors import BudgetExceeded, DeriveError, InvalidClaimError, InvalidVocabularyError, LatexParseError
from derive.verify import Counterexample, Verdict, claim_seed, verify_claim


def _derivatives(expr: sp.Basic) -> sp.Basic:
    # deep=False: differentiate a sum term by term; evaluating the sum first (SymPy's closed form, a
    # Piecewise) would differentiate its branches as constants
    return expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit(deep=False))


def sizes_unified(lhs: sp.Basic, rhs: sp.Basic, vocab: Vocabulary, *extra: sp.Basic) -> tuple[sp.Basic, ...]:
    r"""Make a name used as the bound of a sum one positive-integer size everywhere in the claim.

    In ``\sum_{j=1}^{M} j = rac{M(M+1)}{2}`` both ``M`` are the same size: a positive integer (or the
    vocabulary's own symbol of that name).

    Examples
    --------
    >>> j = sp.Symbol("j", integer=True); M, Mi = sp.Symbol("M", real=True), sp.Symbol("M", integer=True)
    >>> left, right = sizes_unified(sp.Sum(j, (j, 1, Mi)), M, Vocabulary())
    >>> right.is_positive and right.is_integer and right in left.free_symbols
    True
    """
    bound, limits = set(), set()
    for expr in (lhs, rhs):
        for s in expr.atoms(sp.Sum, sp.Product):
            for index, lower, upper in s.limits:
                bound.add(index)
                limits |= lower.free_symbols | upper.free_symbols
    names = {s.name for s in limits - bound if isinstance(s, sp.Symbol) and not isinstance(s, sp.Idx)}
    if not names:
        return (lhs, rhs, *extra)
    mapping: dict[sp.Basic, sp.Basic] = {}
    for s in set().union(lhs.free_symbols, rhs.free_symbols, limits, *(e.free_symbols for e in extra)):
        if isinstance(s, sp.Symbol) and not isinstance(s, sp.Idx) and s.name in names and s not in bound:
            target = vocab.symbols.get(s.name) or sp.Symbol(s.name, integer=True, positive=True)
            if s != target:
                mapping[s] = target
    return tuple(e.xreplace(mapping) for e in (lhs, rhs, *extra))


def _operator_verdict(res: Any, relation: str, claim: sp.Basic | None, seconds: float) -> Verdict:
    """An operator evaluator's answer as a :class:`Verdict` (points never prove an array claim)."""
    if isinstance(res, Verdict):
        return res
    point = None
    if res.counterexample_latex or res.counterexample:
        pairs = tuple((sp.Symbol(k), sp.Symbol(v)) for k, v in (res.counterexample or {}).items())
        point = Counterexample(pairs, sp.Symbol(str(res.lhs_value)), sp.Symbol(str(res.rhs_value)), res.method)
    if relation == "!=":
        if res.holds is True:
            return Verdict("proven", "witness point", res.explanation, witness=point, claim=claim, seconds=seconds)
        return Verdict("unknown", res.method, res.explanation, claim=claim, seconds=seconds)
    if res.holds is True:
        return Verdict("agrees", "points", res.method, claim=claim, seconds=seconds, qualifier="almost everywhere")
    if res.holds is False:
        return Verdict("refuted", "counterexample", res.explanation, counterexample=point, claim=claim,
                       seconds=seconds)
    return Verdict("unknown", res.method, res.explanation, claim=claim, seconds=seconds)


def _decide(parsed: Claim, vocab: Vocabulary, seed: int | None, budget: float) -> Verdict:
    start = time.perf_counter()
    lhs, rhs = vocab.substitute(parsed.lhs), vocab.substitute(parsed.rhs)
    shown = parsed.as_relational()
    if is_operator_level(lhs) or is_operator_level(rhs) or vocab.is_array(lhs) or vocab.is_array(rhs):
        # before derivatives are evaluated: d h/d x of two arrays is not the derivative of independent scalars
        if vocab.operator_evaluator is None:
            return Verdict("unknown", "unsupported", f"vocabulary {vocab.name!r} cannot evaluate array operators "
                           "(*, flip, gradients)", claim=shown)
        res = vocab.operator_evaluator(lhs, rhs, parsed.relation,
                                       claim_seed(lhs, rhs, parsed.relation) if seed is None else seed)
        return _operator_verdict(res, parsed.relation, shown, time.perf_counter() - start)
    lhs, rhs, *domain = sizes_unified(lhs, rhs, vocab, *(vocab.substitute(c) for c in parsed.domain))
    lhs, rhs = _derivatives(lhs), _derivatives(rhs)
    config = VerifyConfig(timeout=max((budget - 1) / 2, 0.1))
    verdict = verify_claim(lhs, rhs, relation=parsed.relation, seed=seed, config=config, domain=tuple(domain),
                           almost_everywhere=bool(getattr(vocab, "almost_everywhere", False)))
    return Verdict(**{**verdict.__dict__, "claim": shown})


def check(
    claim: str,
    *,
    question: str | None = None,
    timeout: float = 3.0,
    vocabulary: Vocabulary | None = None,
    seed: int | None = None,
) -> Verdict:
    r"""Decide a LaTeX claim: ``proven``, ``refuted`` (with a counterexample), ``agrees`` or ``unknown``.

    Parameters
    ----------
    claim : str
        ``lhs = rhs`` (or ``\neq``, ``\le``, ``\ge``, ``<``, ``>``) in LaTeX. ``\neq`` is existential: it
        holds when the sides differ somewhere.
    question : str, optional
        The name of a vocabulary registered with :func:`derive.claims.vocabulary.register_vocabulary` (a project
        registers its questions' vocabularies, ``"q4"``, when its module is imported); the default vocabulary
        when omitted.
    timeout : float
        Budget in seconds for the whole check; when it runs out the verdict is ``unknown``.
    vocabulary : Vocabulary, optional
        Use this vocabulary object directly, registered or not; ``question`` is then ignored.
    seed : int, optional
        Seed of the points; by default a hash of the parsed claim, so spacing cannot change it.

    Returns
    -------
    Verdict

    Raises
    ------
    LatexParseError
        When the claim cannot be parsed (``position`` points at the problem).
    UnsupportedError
        When no vocabulary is registered as ``question`` (the message names the registered ones).
    InvalidVocabularyError
        When ``vocabulary`` is not a :class:`Vocabulary`.

    Examples
    --------
    >>> check(r"\tanh(a) = 2\sigma(2a) - 1").status
    'proven'
    >>> v = check(r"\tanh(a) = 2\sigma(a) - 1")
    >>> v.status, v.counterexample is not None
    ('refuted', True)
    >>> check(r"h^{(3)} = h^3").holds
    False
    >>> import sympy as sp
    >>> sizes = Vocabulary(name="sizes", index_ranges={"j": (sp.Integer(1), sp.Integer(4))})
    >>> check(r"\sum_j j = 10", vocabulary=sizes).status
    'proven'
    """
    if not isinstance(claim, str):
        raise InvalidClaimError(f"a claim is LaTeX text, not {type(claim).__name__}")
    if not timeout > 0:
        raise InvalidClaimError(f"the timeout must be positive, got {timeout!r}")
    if vocabulary is not None and not isinstance(vocabulary, Vocabulary):
        raise InvalidVocabularyError(f"vocabulary= takes a Vocabulary, not {type(vocabulary).__name__}; "
                                     "a registered one is looked up by question=")
    # a registered factory is built at its first lookup and kept; not part of the budget
    vocab = vocabulary if vocabulary is not None else load_vocabulary(question)
    start = time.perf_counter()
    try:
        parsed = parse_claim(claim, vocabulary=vocab, timeout=max(timeout * 0.4, 0.5))
    except DeriveError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to read user text is a parse error
        raise LatexParseError(f"could not read the claim: {type(exc).__name__}: {exc}") from exc
    left = max(timeout - (time.perf_counter() - start), 0.2)

    def decide() -> Verdict:
        try:
            return _decide(parsed, vocab, seed, left)
        except BudgetExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure inside a decision is "unknown", with the reason
            return Verdict("unknown", "evaluation error", f"{type(exc).__name__}: {str(exc)[:160]}",
                           claim=parsed.as_relational())

    outcome = run_with_budget(decide, left + 0.25)
    seconds = time.perf_counter() - start
    if outcome.timed_out or outcome.value is None:
        return Verdict("unknown", "budget", f"no decision within {timeout:g} s", claim=parsed.as_relational(),
                       seconds=seconds)
    verdict: Verdict = outcome.value
    return Verdict(**{**verdict.__dict__, "seconds": seconds})


def format_verdict(verdict: Verdict) -> str:
    """The verdict as a few lines of text for the command line.

    Examples
    --------
    >>> print(format_verdict(Verdict("proven", "expand", "proven symbolically for every value in the domain")))
    verdict: proven
    method:  expand
    proven symbolically for every value in the domain
    """
    lines = [f"verdict: {verdict.status}", f"method:  {verdict.method}"]
    point = verdict.counterexample or verdict.witness
    if point is not None:
        label = "counterexample" if verdict.counterexample else "witness"
        lines.append(f"{label}: " + ", ".join(f"{k} = {v}" for k, v in point.record().items()))
        lines.append(f"  lhs = {point.lhs_text}, rhs = {point.rhs_text} ({point.confirmed})")
    if verdict.reason:
        lines.append(verdict.reason)
    if verdict.qualifier:
        lines.append(verdict.qualifier)
    for note in (*verdict.excluded, *verdict.notes):
        lines.append(f"note: {note}")
    return "\n".join(lines)


__all__ = ["check", "format_verdict"]
