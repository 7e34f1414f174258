"""Review of the handwritten solution: every transcribed key result is checked by ``derive.check``."""

from __future__ import annotations

from functools import cache

import sympy as sp

from derive import Proof, Verdict, proof
from derive.claims.check import check
from derive.claims.parse import is_operator_level, parse_claim
from derive.claims.vocabulary import load_vocabulary
from proofs import vocabulary  # noqa: F401 - registers q1, q4, q5 for check(question=...)
from proofs.handwritten import RESULTS, Handwritten

#: Budget in seconds for the check of one transcribed result.
BUDGET = 8.0


@cache
def verdicts() -> tuple[tuple[Handwritten, Verdict], ...]:
    """Each transcribed result with its verdict (computed once)."""
    return tuple((r, check(r.latex, question=r.vocabulary, timeout=BUDGET)) for r in RESULTS)


def _correction(item: Handwritten, verdict: Verdict) -> str:
    operator_level = verdict.claim is not None and is_operator_level(verdict.claim)
    if verdict.status == "refuted" and verdict.counterexample is not None and verdict.counterexample.assignments:
        pairs = verdict.counterexample.latex_pairs()
        if operator_level:  # the image and kernel sizes; the Q1 section refutes it in full
            shown = ", ".join(f"${k} = {v}$" for k, v in pairs[:3])
            return f"fails at {shown}; see {item.question}"
        shown = ", ".join(f"${k} = {v}$" for k, v in pairs[:2])
        return f"fails at {shown}, \\ldots; see below"
    if verdict.status == "unknown":
        return verdict.reason
    return ""


def _method(verdict: Verdict) -> str:
    return {"proven": "true (proof)", "agrees": "agrees at points (not proven)", "refuted": "false"}.get(
        verdict.status, "unknown")


@proof
def review_handwritten() -> Proof:
    p = Proof("review_handwritten", "Review of the handwritten solution", question="Review")
    p.text(r"The key results of the handwritten solution were transcribed as \LaTeX{} and checked by "
           r"\texttt{derive.check}, each under the vocabulary of its question (Q1: the gradients mean the "
           r"closed forms derived by reverse mode, and both sides are evaluated on random arrays of several sizes, "
           r"in exact rational arithmetic and in float64; Q4: the weight map derived above rewrites the tanh "
           r"weights $t$ into the sigmoid weights $w$; Q5: $\lambda_i \ge 0$ and "
           r"$\delta_{ij}$ is the Kronecker delta). Each claim below is printed from the parsed SymPy object.")
    rows = []
    for item, verdict in verdicts():
        claim = verdict.claim if verdict.claim is not None else sp.S.true
        rows.append((item.question, claim, _method(verdict), _correction(item, verdict)))
    p.table(("Q", "claim", "verdict", "counterexample or note"), rows,
            "Verdicts of derive.check on the handwritten results.")
    notes = [f"{item.question} ({item.where}): {item.reading}" for item, _ in verdicts() if item.reading]
    p.text(r"\paragraph{Readings.} Where the scan is ambiguous, this reading was checked. " + " ".join(
        f"{n}." if not n.endswith(".") else n for n in notes))
    p.text(r"\paragraph{The false results, refuted.} Each false result is shown with an engine-found "
           r"counterexample, under the question's derived results.")
    for item, verdict in verdicts():
        if verdict.status != "refuted":
            continue
        vocab = load_vocabulary(item.vocabulary)
        claim = parse_claim(item.latex, vocabulary=vocab)
        if is_operator_level(claim.lhs) or claim.relation != "=":
            continue
        p.refute(claim.lhs, claim.rhs, f"Handwritten ({item.question}, {item.where}).",
                 hypotheses=vocab.hypotheses(claim.lhs, claim.rhs))
    return p
