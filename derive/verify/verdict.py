r"""The answer about one claim: ``proven``, ``refuted``, ``agrees`` or ``unknown``, with the evidence.

The same :class:`Verdict` comes out of :func:`derive.verify_claim`, :func:`derive.check`, every proof step,
the pytest plugin and the document:

* ``proven``: a named symbolic strategy (or exact evaluation of a claim without variables) proved it for
  every value in its domain;
* ``refuted``: a counterexample inside the domain, confirmed in exact arithmetic or by an interval
  enclosure that excludes agreement; the values shown are those of the displayed sides;
* ``agrees``: no counterexample at the points tried and no proof: evidence, not truth;
* ``unknown``: the budget expired, or the claim is not supported, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

Status = Literal["proven", "refuted", "agrees", "unknown"]
STATUSES: tuple[Status, ...] = ("proven", "refuted", "agrees", "unknown")


def _text(value: sp.Basic) -> str:
    if isinstance(value, sp.Rational):
        if max(abs(int(value.p)).bit_length(), int(value.q).bit_length()) > 80:
            return sp.Float(value, 15).__str__()
        return str(value)
    return str(value)


@dataclass(frozen=True)
class Counterexample:
    r"""A point of the claim's domain and the values of the two displayed sides there.

    ``assignments`` pairs each symbol, size, index or array element of the claim (as the SymPy object the
    claim uses, so it prints in the claim's notation) with its exact value. ``lhs`` and ``rhs`` are the
    values of the sides: exact rationals, or the midpoints of enclosures (``approximate``).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> c = Counterexample(((x, sp.Rational(1, 2)),), sp.Rational(1, 4), sp.Rational(1, 2), "exact rational arithmetic")
    >>> c.record()
    {'x': '1/2'}
    """

    assignments: tuple[tuple[sp.Basic, sp.Basic], ...]
    lhs: sp.Basic
    rhs: sp.Basic
    confirmed: str
    approximate: bool = False
    kink: sp.Basic | None = None
    entry: int | None = None
    gap: sp.Basic | None = None

    def record(self, limit: int = 16) -> dict[str, str]:
        """The assignments as ``{name: value}`` text (at most ``limit``, then a count of the rest)."""
        out: dict[str, str] = {}
        for k, v in self.assignments[:limit]:
            name = str(k)
            while name in out:  # two different symbols that print alike (x real and x complex)
                name += "'"
            out[name] = _text(v)
        if len(self.assignments) > limit:
            out["..."] = f"and {len(self.assignments) - limit} other values"
        return out

    def latex_pairs(self, limit: int = 8) -> tuple[tuple[str, str], ...]:
        """The assignments as ``(LaTeX name, LaTeX value)`` pairs, printed by the engine's printer."""
        from derive.printing.latex import latex

        shown = tuple((latex(k), latex(v)) for k, v in self.assignments[:limit])
        if len(self.assignments) > limit:
            shown += ((r"\dots", rf"\text{{and {len(self.assignments) - limit} other values}}"),)
        return shown

    @property
    def lhs_text(self) -> str:
        """The left side's value as text (``≈`` marks a midpoint of an enclosure)."""
        return ("≈ " if self.approximate else "") + _text(self.lhs)

    @property
    def rhs_text(self) -> str:
        """The right side's value as text (with the certified gap when the values are approximate)."""
        text = ("≈ " if self.approximate else "") + _text(self.rhs)
        return text + (f"; lhs - rhs ≈ {sp.Float(self.gap, 3)}" if self.approximate and self.gap is not None else "")


@dataclass(frozen=True)
class Verdict:
    r"""What the verifier found about one claim, and how.

    ``status`` is one of :data:`STATUSES`. ``holds`` is True only for ``proven``, False only for
    ``refuted``, None otherwise; ``bool(verdict)`` is ``status == "proven"``, so ``assert check(...)``
    never passes on a claim that is only supported by points. ``method`` names the strategy (or
    ``"points"``), ``reason`` says it in a sentence, ``points`` counts the decided points, ``excluded``
    says what was left out of the domain (undefined points, kinks), ``qualifier`` is ``"almost
    everywhere"`` or a note such as "holds except at ...". For ``\neq`` (an existential claim) the point
    where the sides differ is the ``witness``.

    Examples
    --------
    >>> v = Verdict("agrees", "points", points=64)
    >>> v.holds is None, bool(v)
    (True, False)
    >>> bool(Verdict("proven", "expand"))
    True
    """

    status: Status
    method: str
    reason: str = ""
    points: int = 0
    undecided: int = 0
    excluded: tuple[str, ...] = ()
    counterexample: Counterexample | None = None
    witness: Counterexample | None = None
    qualifier: str = ""
    seconds: float = 0.0
    claim: sp.Basic | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def __bool__(self) -> bool:
        return self.status == "proven"

    @property
    def holds(self) -> bool | None:
        """True for ``proven``, False for ``refuted``, else None."""
        return {"proven": True, "refuted": False}.get(self.status)

    @property
    def symbolic(self) -> bool:
        """True when the claim was proven (by a named strategy or exact evaluation)."""
        return self.status == "proven"

    @property
    def proven(self) -> bool:
        """True when the claim was proven."""
        return self.status == "proven"

    @property
    def word(self) -> str:
        """The status as one word, for the command line."""
        return self.status

    def record(self) -> Mapping[str, str] | None:
        """The counterexample (or witness) as ``{name: value}`` text, or None."""
        point = self.counterexample or self.witness
        return point.record() if point else None

    def describe(self) -> str:
        """One sentence: the status, how it was reached and what it is qualified by.

        Examples
        --------
        >>> Verdict("agrees", "points", points=64).describe()
        'agrees at 64 points, not proven'
        """
        if self.status == "proven":
            text = f"proven ({self.method})"
        elif self.status == "refuted":
            point = self.counterexample
            how = f"; {point.confirmed}" if point else ""
            text = f"refuted ({self.method}{how})"
        elif self.status == "agrees":
            text = f"agrees at {self.points} points, not proven"
        else:
            text = f"unknown: {self.reason or self.method}"
        if self.qualifier:
            text += f"; {self.qualifier}"
        return text


__all__ = ["STATUSES", "Counterexample", "Status", "Verdict"]
