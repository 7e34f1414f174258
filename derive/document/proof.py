"""Proofs as ordered, verifiable steps, with the prose and displays that surround them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import sympy as sp

from derive.coerce import as_basic
from derive.config import VerifyConfig
from derive.errors import StepFailed
from derive.verify import Sampler, Verdict, verify_claim


@dataclass(frozen=True)
class Step:
    """One claim ``lhs relation rhs``, the reason it holds, and how it is checked.

    ``expect=False`` makes the step a refutation: it passes only when the
    verifier refutes the claim with a counterexample (used to show a handwritten
    result wrong). ``by_points=True`` says the step is checked by points: it
    passes on ``agrees`` as well as on ``proven``, and the document says which;
    every other step needs a proof. ``instance`` names the concrete case that
    ``hypotheses`` instantiate (for example ``"H x W = 2 x 2"``): the document
    then reports the step as checked for that instance, never as proven in
    general. ``almost_everywhere`` excludes points exactly on a kink.
    ``timeout`` overrides the symbolic budget of the configuration for this step.

    Examples
    --------
    >>> from sympy import Symbol
    >>> a = Symbol("a")
    >>> Step(2*a, a + a, "doubling").verify().status
    'proven'
    """

    lhs: sp.Basic
    rhs: sp.Basic
    reason: str
    relation: str = "="
    expect: bool = True
    boxed: bool = False
    sampler: Sampler | None = None
    hypotheses: Mapping[sp.Basic, sp.Basic] = field(default_factory=dict)
    instance: str = ""
    timeout: float | None = None
    by_points: bool = False
    almost_everywhere: bool = False

    @property
    def relation_latex(self) -> str:
        r"""The relation as LaTeX; ``\neq`` for a refutation.

        Examples
        --------
        >>> from sympy import Symbol
        >>> Step(Symbol("a"), 0, "", relation=">=").relation_latex
        '\\ge'
        """
        if not self.expect:
            return r"\neq"
        return {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}[self.relation]

    def latex(self) -> str:
        """The claim as LaTeX, printed by the engine's printer."""
        from derive.printing.latex import latex

        return f"{latex(self.lhs)} {self.relation_latex} {latex(self.rhs)}"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def verify(self, config: VerifyConfig | None = None) -> Verdict:
        """The verdict on this step's claim (see :func:`derive.verify.verify_claim`), seeded by the claim."""
        config = config or VerifyConfig()
        if self.timeout is not None:
            config = config.with_(timeout=min(config.timeout, self.timeout))
        return verify_claim(
            self.lhs, self.rhs, relation=self.relation, config=config, sampler=self.sampler,
            hypotheses=self.hypotheses, almost_everywhere=self.almost_everywhere,
        )

    def accepts(self, verdict: Verdict, config: VerifyConfig | None = None) -> bool:
        """True when ``verdict`` supports the step as stated.

        A claim passes on ``proven``, and on ``agrees`` only when the step is checked by points (and
        ``config.proven_only`` is off); a refutation passes only on ``refuted``.

        Examples
        --------
        >>> from sympy import Symbol
        >>> x = Symbol("x")
        >>> Step(x, x, "").accepts(Verdict("agrees", "points")), Step(x, x, "", by_points=True).accepts(
        ...     Verdict("agrees", "points"))
        (False, True)
        """
        if not self.expect:
            return verdict.status == "refuted"
        if verdict.status == "proven":
            return True
        proven_only = bool(config and config.proven_only)
        return verdict.status == "agrees" and self.by_points and not proven_only

    def describe_hypotheses(self) -> list[str]:
        """The step's hypotheses and pinned sampler, as lines for a failure report."""
        from derive.printing.latex import latex

        lines = [f"{latex(k)} := {latex(v)}" for k, v in list(self.hypotheses.items())[:8]]
        if len(self.hypotheses) > 8:
            lines.append(f"... and {len(self.hypotheses) - 8} more")
        if self.sampler is not None:
            doc = (getattr(self.sampler, "__doc__", None) or "").strip().splitlines()
            name = getattr(self.sampler, "__name__", type(self.sampler).__name__)
            lines.append(f"values from the sampler {name}" + (f": {doc[0]}" if doc else ""))
        if self.instance:
            lines.append(f"instance: {self.instance}")
        return lines


@dataclass(frozen=True)
class Text:
    """A paragraph of prose (LaTeX allowed); it states no formula."""

    body: str


@dataclass(frozen=True)
class Definition:
    """A displayed definition ``lhs := rhs``: it introduces notation, so it is not verified."""

    lhs: sp.Basic
    rhs: sp.Basic
    note: str = ""


@dataclass(frozen=True)
class Chain:
    """An ``align`` chain ``start = rhs_1 = rhs_2 ...``; each link is a :class:`Step`."""

    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Figure:
    """A TikZ/pgfplots picture generated by code from computed data."""

    tikz: str
    caption: str


@dataclass(frozen=True)
class Table:
    """A table whose cells are prose strings or SymPy objects (printed by the printer)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""


Block = Union[Text, Definition, Chain, Figure, Table]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True)
class StepResult:
    """A verified step: its id within the proof, the step, and the evidence."""

    id: str
    step: Step
    evidence: Verdict
    proven_only: bool = False

    @property
    def ok(self) -> bool:
        """True when the verdict supports the step as stated (see :meth:`Step.accepts`)."""
        return self.step.accepts(self.evidence, VerifyConfig(proven_only=self.proven_only))

    def _repr_latex_(self) -> str:
        ev = self.evidence
        return f"$\\displaystyle {self.step.latex()} \\qquad \\text{{[{ev.status}: {ev.method}]}}$"


class Proof:
    """An ordered list of blocks; its :class:`Step` s are the claims to verify.

    Parameters
    ----------
    name : str
        Identifier used in ids and on the command line (``q4``, ``equivalence``).
    title : str
        Heading in the document.
    question : str
        The question this proof answers, e.g. ``"Q4"``; the document groups by it.

    Examples
    --------
    >>> from sympy import Symbol
    >>> x = Symbol("x")
    >>> p = Proof("demo", "A demo")
    >>> p.chain((x + 1)**2, (x**2 + 2*x + 1, "expand the square"))
    >>> _ = p.refute(x**2, x, "not an identity")
    >>> [r.ok for r in p.verify()]
    [True, True]
    """

    def __init__(self, name: str, title: str, *, question: str = "") -> None:
        self.name = name
        self.title = title
        self.question = question
        self.blocks: list[Block] = []
        self._results: dict[tuple[str, VerifyConfig], StepResult] = {}

    def _repr_latex_(self) -> str:
        """Jupyter shows the verified steps, one per line, each with how it was verified."""
        from derive.printing.latex import latex

        rows = []
        for result in self.verify():
            step, kind = result.step, result.evidence.status
            rows.append(f"{latex(step.lhs)} &{step.relation_latex} {latex(step.rhs)} && \\text{{{result.id}: {kind}}}")
        return "$$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$"

    def text(self, body: str) -> None:
        """Add a paragraph of prose."""
        self.blocks.append(Text(body))

    def define(self, lhs: Any, rhs: Any, note: str = "") -> None:
        """Display a definition (not a claim)."""
        self.blocks.append(Definition(as_basic(lhs), as_basic(rhs), note))

    def chain(self, start: Any, *links: tuple[Any, str] | tuple[Any, str, str], **step_options: Any) -> None:
        """Display ``start = e1 = e2 ...``; each link is ``(expr, reason[, relation])``."""
        steps, previous = [], as_basic(start)
        for link in links:
            expr, reason = as_basic(link[0]), link[1]
            relation = link[2] if len(link) > 2 else "="  # type: ignore[misc]
            steps.append(Step(previous, expr, reason, relation=relation, **step_options))
            previous = expr
        self.blocks.append(Chain(tuple(steps)))

    def claim(self, lhs: Any, rhs: Any, reason: str, **step_options: Any) -> Step:
        """Display and verify a single claim; returns the :class:`Step`."""
        step = Step(as_basic(lhs), as_basic(rhs), reason, **step_options)
        self.blocks.append(Chain((step,)))
        return step

    def result(self, lhs: Any, rhs: Any, reason: str, **step_options: Any) -> Step:
        """A boxed final result; verified like any claim."""
        return self.claim(lhs, rhs, reason, boxed=True, **step_options)

    def refute(self, lhs: Any, rhs: Any, reason: str, **step_options: Any) -> Step:
        """A claim that is false: it passes only if the engine finds a counterexample."""
        return self.claim(lhs, rhs, reason, expect=False, **step_options)

    def figure(self, tikz: str, caption: str) -> None:
        """Add a picture; ``tikz`` must be generated from computed data."""
        self.blocks.append(Figure(tikz, caption))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> None:
        """Add a table of prose and SymPy cells."""
        self.blocks.append(Table(tuple(header), tuple(tuple(r) for r in rows), caption))

    def steps(self) -> Iterator[tuple[str, Step]]:
        """Yield ``("step1", step), ("step2", step), ...`` in document order."""
        n = 0
        for block in self.blocks:
            if isinstance(block, Chain):
                for step in block.steps:
                    n += 1
                    yield f"step{n}", step

    def verify_step(self, step_id: str, step: Step, config: VerifyConfig | None = None) -> StepResult:
        """Verify one step (its points are seeded by its claim).

        Results are remembered per ``(step_id, config)``, so a document build and a
        test run in the same process verify each step once.
        """
        config = config or VerifyConfig()
        key = (step_id, config)
        if key not in self._results:
            self._results[key] = StepResult(step_id, step, step.verify(config), config.proven_only)
        return self._results[key]

    def verify(self, config: VerifyConfig | None = None) -> list[StepResult]:
        """Verify every step and return the results in order."""
        return [self.verify_step(sid, step, config) for sid, step in self.steps()]

    def check(self, config: VerifyConfig | None = None) -> list[StepResult]:
        """Verify every step; raise :class:`~derive.errors.StepFailed` at the first that fails."""
        results = self.verify(config)
        for r in results:
            if not r.ok:
                raise step_failure(self.name, r)
        return results


def step_failure(proof_name: str, result: StepResult) -> StepFailed:
    """The :class:`StepFailed` error describing a failed step, with its counterexample.

    Examples
    --------
    >>> from sympy import Symbol
    >>> x = Symbol("x")
    >>> r = StepResult("step1", Step(x, 2*x, "wrong"), Step(x, 2*x, "wrong").verify())
    >>> "step1" in str(step_failure("demo", r))
    True
    """
    ev, step = result.evidence, result.step
    claim = step.latex() if step.expect else step.latex().replace(r"\neq", "=", 1)
    if not step.expect:
        head = f"expected a refutation, got {ev.status}"
    elif ev.status == "refuted":
        head = "claim does not hold"
    elif ev.status == "agrees":
        head = ("claim agrees at points but is not proven" + (" (proven-only mode)" if result.proven_only else
                "; mark the step by_points=True if points are the intended evidence"))
    else:
        head = "claim could not be decided"
    lines = [f"{proof_name}::{result.id}: {head}", f"  claim:    {claim}", f"  reason:   {step.reason}",
             f"  verdict:  {ev.describe()}"]
    if ev.reason and ev.status != "refuted":
        lines.append(f"  why:      {ev.reason}")
    hypotheses = step.describe_hypotheses()
    if hypotheses:
        lines.append("  hypotheses: " + "; ".join(hypotheses))
    point = ev.counterexample
    if point is not None:
        lines.append("  at:       " + ", ".join(f"{k} = {v}" for k, v in point.record().items()))
        lines.append(f"  lhs = {point.lhs_text}, rhs = {point.rhs_text} ({point.confirmed})")
    for note in ev.excluded:
        lines.append(f"  excluded: {note}")
    record = point.record() if point else None
    return StepFailed("\n".join(lines), proof=proof_name, step=result.id, counterexample=record)


ProofBuilder = Callable[[], Proof]


def proof(builder: ProofBuilder) -> ProofBuilder:
    """Mark a function of no arguments that returns a :class:`Proof`, so collectors find it.

    The builder is cached: every caller gets the same :class:`Proof`, whose
    step results are remembered, so nothing is verified twice in one process.

    Examples
    --------
    >>> @proof
    ... def trivial() -> Proof:
    ...     return Proof("trivial", "Trivial")
    >>> trivial.__derive_proof__, trivial() is trivial()
    (True, True)

    A builder that returns anything else is an error that names it:

    >>> @proof
    ... def forgetful() -> Proof:
    ...     Proof("forgetful", "Forgot to return")
    >>> forgetful()
    Traceback (most recent call last):
    ...
    derive.errors.DeriveError: the proof builder forgetful (...) returned None, not a derive.Proof
    """
    from derive.errors import DeriveError

    @functools.wraps(builder)
    def checked() -> Proof:
        built = builder()
        if not isinstance(built, Proof):
            code = getattr(inspect.unwrap(builder), "__code__", None)
            where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
            kind = "None" if built is None else f"a {type(built).__name__}"
            raise DeriveError(f"the proof builder {builder.__name__}{where} returned {kind}, not a derive.Proof")
        return built

    cached = functools.cache(checked)
    cached.__derive_proof__ = True  # type: ignore[attr-defined]
    return cached


def collect(module: Any) -> list[ProofBuilder]:
    """The proof builders a module defines, in source order.

    Examples
    --------
    >>> import types
    >>> collect(types.ModuleType("empty"))
    []
    """
    found = [v for v in vars(module).values() if callable(v) and getattr(v, "__derive_proof__", False)]
    return sorted(found, key=lambda f: inspect.unwrap(f).__code__.co_firstlineno)
