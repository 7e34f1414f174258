"""Two checks of a derived gradient, both independent of the VJP rules they test.

* :func:`exact_check`: SymPy's ``diff`` of the expanded block at a random rational point, against the
  closed forms evaluated exactly at the same point, along every coordinate direction of a small leaf (so
  entry by entry) and random rational directions of a large one. An activation whose ``fdiff`` is not
  proven to be its derivative is first rewritten as its closed form, so that the ``fdiff`` is not trusted.
* :func:`numeric_check`: central finite differences along random directions and the inner-product test
  ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ in float64, as JAX's ``check_grads`` does.

Both report what they measured; neither is a proof. The proof for all sizes is the lemmas of the operators
(each VJP checked by :func:`derive.verify.lemmas.check_lemmas`) composed by the chain rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from derive.calculus.gradient import Gradient
from derive.errors import ShapeError, UnsupportedError
from derive.model.array import Array
from derive.verify.index_lemmas import derivative_lemma

__all__ = ["CheckReport", "concrete_sizes", "exact_check", "numeric_check", "random_arrays"]

#: A leaf with at most this many entries is checked along every coordinate direction.
ONE_HOT_LIMIT = 16
#: At most this many entries in all leaves together for the exact check.
EXACT_ENTRY_LIMIT = 4096


@dataclass
class CheckReport:
    """What a check measured: the largest error per leaf, how, where, and whether it passed."""

    kind: str
    sizes: dict[str, int]
    errors: dict[str, float] = field(default_factory=dict)
    method: dict[str, str] = field(default_factory=dict)
    passed: bool = True
    seed: int = 0
    note: str = ""

    #: Errors below this are reported as "below" it in documents (float64 digits differ between BLAS kernels).
    threshold: float = 0.0

    def lines(self, *, stable: bool = False) -> list[str]:
        """The report as text lines; ``stable`` reports float errors against the threshold only.

        Examples
        --------
        >>> r = CheckReport("finite-difference", {}, {"x": 3.1e-9}, {"x": "4 directions"}, threshold=1e-5)
        >>> r.lines(stable=True)[1]
        '  x: largest error below 1e-05 (4 directions)'
        """
        sizes = ", ".join(f"{k}={v}" for k, v in self.sizes.items()) or "as written"
        head = f"{self.kind} check (sizes {sizes}, seed {self.seed}): {'passed' if self.passed else 'FAILED'}"

        def error(err: float) -> str:
            if stable and 0 < err < self.threshold:
                return f"below {self.threshold:g}"
            return f"{err:.3g}" if not stable or err == 0 else f"{err:.0e}"

        out = [head] + [f"  {name}: largest error {error(err)} ({self.method.get(name, '')})"
                        for name, err in self.errors.items()]
        return out + ([f"  {self.note}"] if self.note else [])


def _trial_shapes(g: Gradient, sizes: Mapping[sp.Symbol, int]) -> dict[str, tuple[int, ...]]:
    return {name: tuple(int(s.xreplace(sizes)) for s in leaf.shape) for name, leaf in g.spec.leaves.items()}


def concrete_sizes(g: Gradient, candidates: tuple[int, ...]) -> dict[sp.Symbol, int]:
    """The first size (one value for every size letter) from ``candidates`` at which the block's shapes fit.

    Examples
    --------
    >>> from derive.calculus.gradient import grad
    >>> concrete_sizes(grad("x = input(H)\\ny = sum(x)\\noutput y"), (3, 4))
    {H: 3}
    """
    symbols = sorted({s for leaf in g.spec.leaves.values() for s in leaf.shape if isinstance(s, sp.Symbol)},
                     key=str)
    if not symbols:
        return {}
    for value in candidates:
        sizes = {s: value for s in symbols}
        shapes = _trial_shapes(g, sizes)
        try:
            g.forward({n: np.zeros(s) for n, s in shapes.items()})
        except (ShapeError, ValueError, IndexError):
            continue
        return sizes
    raise UnsupportedError(f"no size in {candidates} fits the block's shapes")


def random_arrays(g: Gradient, sizes: Mapping[sp.Symbol, int], rng: np.random.Generator,
                  exact: bool) -> dict[str, Any]:
    """Random arrays for the leaves: rationals with denominators up to 97 (exact) or normal floats."""
    out: dict[str, Any] = {}
    for name, shape in _trial_shapes(g, sizes).items():
        if exact:
            num = rng.integers(-200, 201, size=shape)
            den = rng.integers(7, 98, size=shape)
            arr = np.empty(shape, dtype=object)
            for idx in np.ndindex(shape):
                arr[idx] = sp.Rational(int(num[idx]), int(den[idx]))
            out[name] = arr
        else:
            out[name] = rng.normal(size=shape)
    return out


def _upstream(g: Gradient, arrays: Mapping[str, Any], rng: np.random.Generator, exact: bool) -> Any:
    shape = np.shape(g.forward({k: np.asarray(v, dtype=float) for k, v in arrays.items()}))
    if exact:
        up = np.empty(shape, dtype=object)
        for idx in np.ndindex(shape):
            up[idx] = sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 8)))
        return up
    return rng.normal(size=shape)


def _gap(a: sp.Basic, b: sp.Basic) -> tuple[float, str]:
    d = sp.nsimplify(a - b) if (a - b).is_Rational else a - b
    if d.is_Rational:
        return abs(float(d)), "exact"
    value = sp.N(d, 80)
    if not value.is_number or value.has(sp.nan, sp.zoo):
        raise UnsupportedError("a derivative that is not a number at the check point")
    scale = max(1.0, abs(float(sp.N(a, 20))))
    return abs(float(value)) / scale, "80 digits"


def _closed_form(application: sp.Expr) -> sp.Expr:
    """An activation applied to an argument, rewritten as exponentials or a piecewise when it has such a form."""
    for target in (sp.exp, sp.Piecewise):
        rewritten = application.rewrite(target)
        if rewritten != application:
            return rewritten
    return application


def _without_unproven_activations(f: sp.Expr) -> tuple[sp.Expr, list[str]]:
    """``f`` with each activation whose ``fdiff`` is not proven (:func:`derivative_lemma`) written out.

    A proven ``fdiff`` is the derivative of the closed form, so SymPy's ``diff`` may use it. Returned too: the
    names of unproven activations with no closed form, whose ``fdiff`` the oracle then has to use.
    """
    from derive.model.activations import LeakyReLU
    from derive.model.layers import ACTIVATIONS

    classes = tuple(c for c in {*ACTIVATIONS.values(), LeakyReLU}
                    if isinstance(c, type) and derivative_lemma(c).proven is not True)
    kept: set[str] = set()

    def rewrite(e: sp.Expr) -> sp.Expr:
        closed = _closed_form(e)
        if closed == e:
            kept.add(type(e).__name__)
        return closed

    if not classes:
        return f, []
    return f.replace(lambda e: isinstance(e, classes), rewrite), sorted(kept)


def exact_check(g: Gradient, *, seed: int = 0, sizes: Mapping[sp.Symbol, int] | None = None,
                directions: int = 3) -> CheckReport:
    """Compare the closed forms with SymPy's ``diff`` of the expanded block, exactly, at small sizes.

    Examples
    --------
    >>> from derive.calculus.gradient import grad
    >>> report = exact_check(grad("x = input(2, 3)\\ny = sum(tanh(x) * x)\\noutput y"))
    >>> report.passed, report.method["x"]
    (True, 'entry by entry (6 coordinate directions), exact')
    """
    rng = np.random.default_rng(seed)
    sizes = dict(sizes) if sizes is not None else concrete_sizes(g, (2, 3, 4, 5, 6, 7, 8, 9, 12, 16))
    point = random_arrays(g, sizes, rng, exact=True)
    entries = sum(int(np.size(v)) for v in point.values())
    if entries > EXACT_ENTRY_LIMIT:
        raise UnsupportedError(f"the exact check expands every entry; {entries} entries is more than "
                               f"{EXACT_ENTRY_LIMIT} (write the sizes as letters to check at small sizes)")
    upstream = _upstream(g, point, rng, exact=True)
    closed = g.evaluate(point, upstream, exact=True)
    report = CheckReport("exact", {str(k): v for k, v in sizes.items()}, seed=seed, threshold=1e-60)
    t = sp.Symbol("t", real=True)
    opaque: set[str] = set()
    for leaf in g.wrt:
        base = point[leaf.name]
        if base.size <= ONE_HOT_LIMIT:
            dirs = []
            for idx in np.ndindex(base.shape):
                d = np.zeros(base.shape, dtype=object)
                d[...] = 0
                d[idx] = 1
                dirs.append(d)
            how = f"entry by entry ({len(dirs)} coordinate directions)"
        else:
            dirs = [random_arrays(g, sizes, rng, exact=True)[leaf.name] for _ in range(directions)]
            how = f"{len(dirs)} random rational directions"
        worst, kinds = 0.0, set()
        for d in dirs:
            moved = dict(point)
            moved[leaf.name] = base + t * d
            out = g.forward(moved, exact=True)
            pairing = sp.Add(*np.ravel(np.asarray(out, dtype=object) * upstream).tolist())
            f, kept = _without_unproven_activations(pairing)
            opaque.update(kept)
            derivative = sp.diff(f, t).subs(t, 0)
            claimed = sp.Add(*np.ravel(closed[leaf.name] * d).tolist())
            err, kind = _gap(derivative, claimed)
            worst = max(worst, err)
            kinds.add(kind)
        report.errors[leaf.name] = worst
        report.method[leaf.name] = f"{how}, {'exact' if kinds == {'exact'} else '80 digits'}"
        tolerance = 0.0 if kinds == {"exact"} else 1e-60
        report.passed = report.passed and worst <= tolerance
    if opaque:
        report.note = (f"no closed form to rewrite {', '.join(sorted(opaque))} into: "
                       "the oracle used its own fdiff")
    return report


def numeric_check(g: Gradient, *, seed: int = 0, sizes: Mapping[sp.Symbol, int] | None = None,
                  directions: int = 4, eps: float = 1e-6) -> CheckReport:
    """Finite differences and the inner-product test in float64, at the block's sizes (letters: 8 if it fits).

    Examples
    --------
    >>> from derive.calculus.gradient import grad
    >>> r = numeric_check(grad("x = input(4)\\ny = sum(sigmoid(x))\\noutput y"))
    >>> r.passed, r.errors["x"] < 1e-7
    (True, True)
    """
    rng = np.random.default_rng(seed)
    sizes = dict(sizes) if sizes is not None else concrete_sizes(g, (8, 6, 5, 4, 3, 2, 12, 16, 32))
    point = random_arrays(g, sizes, rng, exact=False)
    upstream = _upstream(g, point, rng, exact=False)
    grads = g.evaluate(point, upstream)
    report = CheckReport("finite-difference", {str(k): v for k, v in sizes.items()}, seed=seed, threshold=1e-5)

    def f(arrays: Mapping[str, Any]) -> float:
        return float(np.sum(np.asarray(g.forward(arrays)) * upstream))

    for leaf in g.wrt:
        worst = 0.0
        for _ in range(directions):
            v = rng.normal(size=np.shape(point[leaf.name]))
            plus = {**point, leaf.name: point[leaf.name] + eps * v}
            minus = {**point, leaf.name: point[leaf.name] - eps * v}
            fd = (f(plus) - f(minus)) / (2 * eps)
            vjp = float(np.sum(grads[leaf.name] * v))
            worst = max(worst, abs(fd - vjp) / max(1.0, abs(fd), abs(vjp)))
        report.errors[leaf.name] = worst
        report.method[leaf.name] = f"{directions} random directions, central differences with step {eps:g}"
        report.passed = report.passed and worst < report.threshold
    report.note = "finite differences are evidence at one point; a kink within eps of the point can spoil one direction"
    return report


_ = Array
