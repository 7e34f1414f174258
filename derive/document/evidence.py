"""What a step's evidence says in the document: its mark, one sentence on how it was established, its conditions."""

from __future__ import annotations

import re
from typing import Any

from derive.printing.latex import latex
from derive.verify import Counterexample, Verdict

MARKS = {"proven": r"\vS", "agrees": r"\vA", "refuted": r"\vX", "unknown": r"\vU", "instance": r"\vI"}


def _point_latex(point: Counterexample) -> str:
    where = ", ".join(f"${k} = {v}$" for k, v in point.latex_pairs())
    approx = r"\approx " if point.approximate else ""
    sides = f"the left side is ${approx}{latex(point.lhs)}$ and the right side ${approx}{latex(point.rhs)}$"
    return f"at {where}; there {sides}" if where else f"here {sides}"


def mark(ev: Verdict, instance: str = "") -> str:
    """The mark of a step's verdict (an instance check is never marked as proven).

    Examples
    --------
    >>> mark(Verdict("proven", "expand")), mark(Verdict("proven", "expand"), "$n = 2$")
    ('\\\\vS', '\\\\vI')
    """
    if instance and ev.status in ("proven", "agrees"):
        return MARKS["instance"]
    return MARKS[ev.status]


def describe(ev: Verdict, instance: str = "") -> str:
    r"""One sentence, in LaTeX, saying what was established about a step and how.

    ``instance`` names the concrete case a step was instantiated at; such a
    step is never called proven in general.

    Examples
    --------
    >>> describe(Verdict("proven", "expand", points=64))
    'Proven (expand); no counterexample at 64 points.'
    >>> describe(Verdict("proven", "expand"), "$n = 2$")
    'Checked for the instance $n = 2$ only: there the sides are equal (expand), no proof for all sizes.'
    """
    excluded = "".join(f" Excluded: {e}." for e in ev.excluded[:1]).replace("_", r"\_")
    if instance and ev.status in ("proven", "agrees"):
        how = f"the sides are equal ({ev.method})" if ev.status == "proven" else f"they agree at {ev.points} points"
        return f"Checked for the instance {instance} only: there {how}, no proof for all sizes." + excluded
    qualifier = f" ({ev.qualifier})" if ev.qualifier else ""
    if ev.counterexample is not None and ev.counterexample.kink is not None:
        qualifier = f" (it fails only where ${latex(ev.counterexample.kink)} = 0$, a kink; it agrees off it)"
    if ev.status == "proven":
        where = f"; no counterexample at {ev.points} points" if ev.points > 1 else ""
        return f"Proven ({ev.method}){qualifier}{where}." + excluded
    if ev.status == "agrees":
        return (f"Agrees at {ev.points} adversarial points{qualifier}, decided exactly or by interval "
                f"arithmetic; not a proof." + excluded)
    if ev.status == "refuted":
        if ev.qualifier == "almost everywhere":
            qualifier = " (away from every kink)"
        point = ev.counterexample
        if point is None:
            return f"False ({ev.method}): {ev.reason}."
        return f"False{qualifier}: counterexample by {point.confirmed} {_point_latex(point)}."
    return f"NOT VERIFIED: {ev.reason or ev.method}."


#: Longest hypothesis (in LaTeX characters) printed in full beside a step; longer ones are named only.
_HYPOTHESIS_WIDTH = 70


def _rst_to_latex(text: str) -> str:
    r"""A one-line docstring (reStructuredText roles) as LaTeX: math kept, other specials escaped.

    Examples
    --------
    >>> _rst_to_latex(r"Values of :math:`\hat f_l` with ``n_k`` terms, 5% of them")
    'Values of $\\hat f_l$ with $n_k$ terms, 5\\% of them'
    """
    text = re.sub(r":math:`([^`]*)`", r"$\1$", text)
    text = re.sub(r"``([^`]*)``", r"$\1$", text)
    pieces = text.split("$")
    for n in range(0, len(pieces), 2):
        pieces[n] = re.sub(r"([_%&#])", r"\\\1", pieces[n])
    return "$".join(pieces)


def conditions(step: Any) -> str:
    r"""The step's hypotheses and pinned sampler, as a sentence for the document (empty when it has none).

    Examples
    --------
    >>> import sympy as sp
    >>> from derive.document.proof import Step
    >>> x, y = sp.symbols("x y")
    >>> conditions(Step(x, y, "", hypotheses={y: 2 * x}))
    ' Hypothesis: $y := 2 x$.'
    """
    parts = []
    shown = [f"${latex(k)} := {latex(v)}$" for k, v in step.hypotheses.items()
             if len(latex(k)) + len(latex(v)) <= _HYPOTHESIS_WIDTH]
    named = [f"${latex(k)}$" for k, v in step.hypotheses.items() if len(latex(k)) + len(latex(v)) > _HYPOTHESIS_WIDTH]
    if shown:
        parts.append(("Hypothesis: " if len(shown) == 1 else "Hypotheses: ") + ", ".join(shown[:4])
                     + (r", \dots" if len(shown) > 4 else ""))
    if named:
        parts.append("substituted by their definitions: " + ", ".join(named[:6])
                     + (r", \dots" if len(named) > 6 else ""))
    if step.sampler is not None:
        doc = (getattr(step.sampler, "__doc__", None) or "").strip().splitlines()
        if doc and not doc[0].startswith("Call self"):
            parts.append("points drawn by the step's sampler: " + _rst_to_latex(doc[0].rstrip(".")))
        else:
            parts.append("points drawn by the step's own sampler")
    return "".join(f" {p[0].upper()}{p[1:]}." for p in parts)


__all__ = ["MARKS", "conditions", "describe", "mark"]
