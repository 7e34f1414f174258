"""The quadratic error surface near a minimum: index-form model, eigen-axes, contours and local checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.coerce import as_basic
from derive.errors import InvalidLevelError, NotPositiveDefiniteError, NotSymmetricError, ShapeError
from derive.verify.sampling import Sampler

#: Relative tolerance (times the matrix norm and the size) for symmetry and for a zero eigenvalue.
RELATIVE_TOLERANCE = 1e-12


def _square(H: Any, name: str = "H") -> np.ndarray:
    A = np.asarray(H, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ShapeError(f"{name} must be a non-empty square 2-D array, got shape {A.shape}", name=name,
                         shape=tuple(A.shape))
    return A


def contour_axes(H: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Semi-axes of the level set :math:`\tfrac12 v^T H v = c` of a positive definite quadratic form.

    With :math:`H u_i = \lambda_i u_i` the level set is the ellipsoid
    :math:`\sum_i \lambda_i \alpha_i^2 = 2c`; its semi-axis along :math:`u_i`
    has length :math:`\sqrt{2c/\lambda_i}`.

    Parameters
    ----------
    H : array_like, shape (n, n)
        A symmetric positive definite matrix (the Hessian at a minimum).
    level : float
        The increase :math:`c = E - E^*` of the error; must be positive.

    Returns
    -------
    lengths : ndarray, shape (n,)
        ``lengths[i]`` is the semi-axis length along ``directions[:, i]``, in
        the order of ascending eigenvalues (so descending lengths).
    directions : ndarray, shape (n, n)
        Orthonormal unit eigenvectors of ``H``, one per column.

    Raises
    ------
    ShapeError
        If ``H`` is not a non-empty square 2-D array.
    NotSymmetricError
        If ``H`` differs from its transpose by more than a tolerance relative to its norm.
    NotPositiveDefiniteError
        If an eigenvalue is not positive (beyond the tolerance); the error carries it.
    InvalidLevelError
        If ``level <= 0`` (or is not finite).

    Examples
    --------
    >>> lengths, U = contour_axes([[2.0, 0.0], [0.0, 8.0]], 1.0)
    >>> lengths.round(6).tolist()
    [1.0, 0.5]
    >>> np.abs(U).round(6).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    >>> contour_axes([[1.0, 0.0], [0.0, -1.0]], 1.0)
    Traceback (most recent call last):
    ...
    derive.errors.NotPositiveDefiniteError: H is not positive definite: it has the eigenvalue -1, which is negative...
    """
    A = _square(H)
    if not np.all(np.isfinite(A)):
        raise ShapeError("H must have finite entries", name="H", shape=tuple(A.shape))
    level = float(level)
    if not np.isfinite(level) or level <= 0:
        raise InvalidLevelError(f"the level E - E* must be positive, got {level!r}")
    scale = max(float(np.linalg.norm(A, 2)), np.finfo(float).tiny)
    tol = RELATIVE_TOLERANCE * A.shape[0] * scale
    asymmetry = float(np.max(np.abs(A - A.T)))
    if asymmetry > tol:
        raise NotSymmetricError(f"H is not symmetric: max |H - H^T| = {asymmetry:.3g} exceeds {tol:.3g}",
                                asymmetry=asymmetry)
    eigenvalues, vectors = np.linalg.eigh((A + A.T) / 2)
    worst = float(eigenvalues[0])
    if worst <= tol:
        kind = "zero (the level set is unbounded)" if abs(worst) <= tol else "negative (the level set is no ellipse)"
        raise NotPositiveDefiniteError(
            f"H is not positive definite: it has the eigenvalue {worst:.6g}, which is {kind}", eigenvalue=worst)
    return np.sqrt(2 * level / eigenvalues), vectors


@dataclass(frozen=True)
class QuadraticModel:
    r"""The local model :math:`E(w) \approx E^* + \tfrac12 \sum_i\sum_j (w_i - w^*_i) H_{ij} (w_j - w^*_j)`.

    Everything is in index form over ``1..n`` (``n`` may be symbolic): the
    weights ``w``, the minimum ``w_star``, the gradient ``g`` and Hessian ``H``
    at ``w_star``, the eigenvectors ``U`` (column ``k`` is :math:`u_k`, so
    :math:`U_{ik}` is its ``i``-th entry), the eigenvalues ``lam`` and the
    coordinates ``alpha`` of :math:`w - w^*` in the eigenbasis.
    """

    n: sp.Expr
    w: sp.IndexedBase
    w_star: sp.IndexedBase
    g: sp.IndexedBase
    H: sp.IndexedBase
    U: sp.IndexedBase
    lam: sp.IndexedBase
    alpha: sp.IndexedBase
    E_star: sp.Symbol
    c: sp.Symbol
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    l: sp.Symbol  # noqa: E741 - the textbook name of the second eigen-index

    def displacement(self, i: sp.Expr) -> sp.Expr:
        """The entry :math:`w_i - w^*_i` of the displacement."""
        return self.w[i] - self.w_star[i]

    def eigen_displacement(self, i: sp.Expr, k: sp.Symbol | None = None) -> sp.Expr:
        r"""The same entry written in the eigenbasis: :math:`\sum_k \alpha_k U_{ik}` (summed over ``k``)."""
        k = self.k if k is None else k
        return sp.Sum(self.alpha[k] * self.U[i, k], (k, 1, self.n))

    def eigen_substitution(self) -> dict[sp.Basic, sp.Basic]:
        r"""Rules :math:`w_i \to w^*_i + \sum_k \alpha_k U_{ik}` and :math:`w_j \to w^*_j + \sum_l \alpha_l U_{jl}`."""
        return {self.w[self.i]: self.w_star[self.i] + self.eigen_displacement(self.i, self.k),
                self.w[self.j]: self.w_star[self.j] + self.eigen_displacement(self.j, self.l)}

    def quadratic_form(self, d: Callable[[sp.Expr], sp.Expr] | None = None, *, half: bool = True) -> sp.Expr:
        r""":math:`\tfrac12\sum_i\sum_j d_i H_{ij} d_j` with ``d`` the displacement (default :math:`w - w^*`)."""
        d = self.displacement if d is None else d
        i, j = self.i, self.j
        inner = sp.Sum(sp.Sum(d(i) * self.H[i, j] * d(j), (j, 1, self.n)), (i, 1, self.n))
        return inner / 2 if half else inner

    def first_order(self) -> sp.Expr:
        r"""The first-order Taylor term :math:`\sum_i g_i (w_i - w^*_i)`."""
        return sp.Sum(self.g[self.i] * self.displacement(self.i), (self.i, 1, self.n))

    def taylor(self) -> sp.Expr:
        """The second-order Taylor polynomial of E about w*, with the gradient term."""
        return self.E_star + self.first_order() + self.quadratic_form()

    def model(self) -> sp.Expr:
        """The quadratic model: the Taylor polynomial once the gradient term is gone."""
        return self.E_star + self.quadratic_form()

    def eigen_form(self, *, half: bool = True) -> sp.Expr:
        r""":math:`\tfrac12 \sum_k \lambda_k \alpha_k^2`."""
        s = sp.Sum(self.lam[self.k] * self.alpha[self.k] ** 2, (self.k, 1, self.n))
        return s / 2 if half else s

    def eigenvector_rule(self, i: sp.Expr, l: sp.Expr) -> tuple[sp.Expr, sp.Expr]:  # noqa: E741
        r"""Both sides of :math:`(H u_l)_i = \lambda_l U_{il}` (summed over ``j``)."""
        return sp.Sum(self.H[i, self.j] * self.U[self.j, l], (self.j, 1, self.n)), self.lam[l] * self.U[i, l]

    def orthonormality_rule(self, k: sp.Expr, l: sp.Expr) -> tuple[sp.Expr, sp.Expr]:  # noqa: E741
        r"""Both sides of :math:`u_k^T u_l = \delta_{kl}` (summed over ``i``)."""
        return sp.Sum(self.U[self.i, k] * self.U[self.i, l], (self.i, 1, self.n)), sp.KroneckerDelta(k, l)


def quadratic_model(n: Any = None) -> QuadraticModel:
    """Build the index-form quadratic model in dimension ``n`` (a positive integer symbol by default).

    Examples
    --------
    >>> m = quadratic_model()
    >>> m.n.is_integer and m.n.is_positive
    True
    >>> from derive.printing.latex import latex
    >>> latex(m.displacement(m.i))
    'w_{i} - w^{*}_{i}'
    """
    integer = {"integer": True}
    return QuadraticModel(
        n=sp.Symbol("n", integer=True, positive=True) if n is None else as_basic(n),
        w=sp.IndexedBase("w", real=True),
        w_star=sp.IndexedBase("w^{*}", real=True),
        g=sp.IndexedBase("g", real=True),
        H=sp.IndexedBase("H", real=True),
        U=sp.IndexedBase("U", real=True),
        lam=sp.IndexedBase("lambda", real=True),
        alpha=sp.IndexedBase("alpha", real=True),
        E_star=sp.Symbol("E^{*}", real=True),
        c=sp.Symbol("c", positive=True),
        i=sp.Symbol("i", **integer), j=sp.Symbol("j", **integer),
        k=sp.Symbol("k", **integer), l=sp.Symbol("l", **integer),
    )


def orthonormal_rational(n: int, rng: np.random.Generator, *, spread: int = 3) -> sp.Matrix:
    r"""An exactly orthogonal ``n`` x ``n`` matrix of rationals: the Cayley transform of a rational skew matrix.

    For skew :math:`S`, :math:`I + S` is invertible and :math:`Q = (I - S)(I + S)^{-1}` satisfies
    :math:`Q^T Q = I` exactly.

    Examples
    --------
    >>> Q = orthonormal_rational(3, np.random.default_rng(0))
    >>> Q.T * Q == sp.eye(3), all(isinstance(q, sp.Rational) for q in Q)
    (True, True)
    """
    if n < 1:
        raise ShapeError(f"the size must be at least 1, got {n}", shape=(n,))
    S = sp.zeros(n, n)
    for r in range(n):
        for c in range(r + 1, n):
            S[r, c] = sp.Rational(int(rng.integers(-spread, spread + 1)), int(rng.integers(1, spread + 1)))
            S[c, r] = -S[r, c]
    eye = sp.eye(n)
    return (eye - S) * (eye + S).inv()


def eigen_sampler(model: QuadraticModel, *, sizes: tuple[int, int] = (1, 4), positive: bool = False) -> Sampler:
    r"""A sampler of exact hypotheses: :math:`H = U \Lambda U^T` with rational orthogonal :math:`U`.

    It draws the size ``n``, an exactly orthogonal rational ``U``
    (:func:`orthonormal_rational`), non-zero rational eigenvalues (positive if
    ``positive``) and the matching symmetric ``H``, so that
    :math:`H u_l = \lambda_l u_l` and :math:`u_k^T u_l = \delta_{kl}` hold exactly.

    Examples
    --------
    >>> m = quadratic_model()
    >>> values = eigen_sampler(m, sizes=(2, 2))(np.random.default_rng(1))
    >>> values[m.n], values[m.H[1, 2]] == values[m.H[2, 1]]
    (2, True)
    """
    if sizes[0] < 1 or sizes[1] < sizes[0]:
        raise ShapeError(f"invalid size range {sizes}", shape=tuple(sizes))

    def sample(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
        """A size, an exactly orthonormal rational basis ``U`` (Cayley transform) and ``H = U Lambda U^T``."""
        size = int(rng.integers(sizes[0], sizes[1] + 1))
        U = orthonormal_rational(size, rng)
        lams = []
        for _ in range(size):
            lo = 1 if positive else -6
            num = 0
            while num == 0:
                num = int(rng.integers(lo, 7))
            lams.append(sp.Rational(num, int(rng.integers(1, 4))))
        H = U * sp.diag(*lams) * U.T
        values: dict[sp.Basic, sp.Basic] = {model.n: sp.Integer(size)}
        for r in range(size):
            values[model.lam[r + 1]] = lams[r]
            for c in range(size):
                values[model.U[r + 1, c + 1]] = U[r, c]
                values[model.H[r + 1, c + 1]] = H[r, c]
        return values

    return sample


@dataclass(frozen=True)
class Eigenpair:
    """A symbolic eigenvalue with an (unnormalised) eigenvector."""

    value: sp.Expr
    vector: sp.Matrix


def symmetric_2x2_eigen(a: sp.Expr, b: sp.Expr, d: sp.Expr) -> tuple[Eigenpair, Eigenpair]:
    r"""Eigenvalues and eigenvectors of :math:`\begin{pmatrix} a & b \\ b & d\end{pmatrix}`, in closed form.

    The eigenvalues are the roots of the characteristic polynomial, smaller
    first (for ``b != 0``); the eigenvector of :math:`\lambda` is
    :math:`(b, \lambda - a)^T`, which is non-zero when ``b != 0``.

    Examples
    --------
    >>> a, b, d = sp.symbols("a b d", real=True)
    >>> low, high = symmetric_2x2_eigen(a, b, d)
    >>> sp.expand(low.value + high.value), sp.expand(low.value * high.value)
    (a + d, a*d - b**2)
    """
    lam = sp.Dummy("lambda")
    H = sp.Matrix([[a, b], [b, d]])
    roots = sp.roots(sp.Poly((H - lam * sp.eye(2)).det(), lam))
    values = sorted(roots, key=lambda r: float(r.subs({a: 2, b: 1, d: 1})) if r.free_symbols else float(r))
    pairs = [Eigenpair(sp.simplify(v), sp.Matrix([b, sp.simplify(v) - a])) for v in values]
    if len(pairs) == 1:
        pairs = pairs * 2
    return pairs[0], pairs[1]


def ellipse_points(H: Any, level: float, center: Sequence[float] | np.ndarray, samples: int = 73) -> np.ndarray:
    r"""Points :math:`w^* + \sum_i \ell_i (\cos t, \sin t)_i u_i` on a 2-D contour, closed (first = last).

    Examples
    --------
    >>> P = ellipse_points([[2.0, 0.0], [0.0, 8.0]], 1.0, (0.0, 0.0), samples=5)
    >>> np.abs(P).round(6).tolist()
    [[1.0, 0.0], [0.0, 0.5], [1.0, 0.0], [0.0, 0.5], [1.0, 0.0]]
    """
    lengths, U = contour_axes(H, level)
    if lengths.size != 2:
        raise ShapeError("ellipse_points draws 2-D contours only", name="H", shape=(lengths.size,) * 2)
    t = np.linspace(0, 2 * np.pi, samples)
    coords = np.stack([lengths[0] * np.cos(t), lengths[1] * np.sin(t)])
    return (np.asarray(center, dtype=float)[:, None] + U @ coords).T


def _coords(points: np.ndarray) -> str:
    return " ".join(f"({x:.4f},{y:.4f})" for x, y in points)


def contour_figure(H: Any, center: Sequence[float], levels: Sequence[float], *, samples: int = 73,
                   symbol: str = r"\ell") -> str:
    r"""A pgfplots picture of the contours of :math:`\tfrac12 (w-w^*)^T H (w-w^*)`, with the eigen-axes.

    Every coordinate is computed here: the contour ellipses at ``levels``,
    the eigenvector axes through ``center`` (drawn across the outer contour)
    and the semi-axes of the outer contour, labelled with their lengths.

    Examples
    --------
    >>> tex = contour_figure([[2.0, 0.0], [0.0, 8.0]], (0.0, 0.0), (0.5, 1.0))
    >>> tex.startswith("\\begin{tikzpicture}") and tex.count("\\addplot") == 6
    True
    """
    if not levels:
        raise InvalidLevelError("contour_figure needs at least one level")
    center_arr = np.asarray(center, dtype=float)
    outer = max(levels)
    lengths, U = contour_axes(H, outer)
    reach = float(lengths.max()) * 1.25
    lo, hi = center_arr - reach, center_arr + reach
    lines = [r"\begin{tikzpicture}",
             rf"\begin{{axis}}[axis equal image, width=9cm, xmin={lo[0]:.3f}, xmax={hi[0]:.3f}, "
             rf"ymin={lo[1]:.3f}, ymax={hi[1]:.3f}, xlabel={{$w_1$}}, ylabel={{$w_2$}}, "
             r"tick label style={font=\footnotesize}]"]
    for n, level in enumerate(sorted(levels)):
        shade = 30 + int(60 * (n + 1) / len(levels))
        lines.append(rf"\addplot[blue!{shade}!black, thick, no markers] coordinates {{"
                     f"{_coords(ellipse_points(H, level, center_arr, samples))}}};")
    colours = ("red!70!black", "green!45!black")
    for n in range(2):
        tip = center_arr + lengths[n] * U[:, n]
        far = center_arr + 1.2 * lengths[n] * U[:, n]
        lines.append(rf"\addplot[gray, dashed, no markers] coordinates {{"
                     f"{_coords(np.stack([2 * center_arr - far, far]))}}};")
        anchor = ("north" if U[1, n] < 0 else "south") + (" west" if U[0, n] > 0 else " east")
        lines.append(rf"\addplot[{colours[n]}, very thick, -{{Stealth}}] coordinates {{"
                     f"{_coords(np.stack([center_arr, tip]))}}} node[pos=1, anchor={anchor}, inner sep=1pt, "
                     rf"font=\footnotesize] {{${symbol}_{n + 1} = {lengths[n]:.2f}$}};")
    side = "above" if np.all(U[1] < 0) else "below" if np.all(U[1] > 0) else "left"
    lines.append(rf"\node[fill=black, circle, inner sep=1.2pt, label={side}:{{$w^*$}}] at "
                 rf"(axis cs:{center_arr[0]:.4f},{center_arr[1]:.4f}) {{}};")
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    return "\n".join(lines)


@dataclass(frozen=True)
class LossSurface:
    """A loss built symbolically, with lambdified value, gradient and Hessian summed over data."""

    loss: sp.Expr
    params: tuple[sp.Symbol, ...]
    inputs: tuple[sp.Symbol, ...]
    value_fn: Callable[..., Any]
    gradient_fn: Callable[..., Any]
    hessian_fn: Callable[..., Any]

    def _total(self, raw: Any, shape: tuple[int, ...]) -> float:
        return float(np.sum(np.broadcast_to(np.asarray(raw, dtype=float), shape)))

    def value(self, theta: np.ndarray, data: Sequence[np.ndarray]) -> float:
        """The total loss over the data."""
        shape = np.shape(data[0])
        return self._total(self.value_fn(*theta, *data), shape)

    def gradient(self, theta: np.ndarray, data: Sequence[np.ndarray]) -> np.ndarray:
        """The gradient of the total loss (the symbolic gradient, lambdified)."""
        shape = np.shape(data[0])
        return np.array([self._total(g, shape) for g in self.gradient_fn(*theta, *data)])

    def hessian(self, theta: np.ndarray, data: Sequence[np.ndarray]) -> np.ndarray:
        """The Hessian of the total loss (the symbolic Hessian, lambdified)."""
        shape = np.shape(data[0])
        rows = self.hessian_fn(*theta, *data)
        return np.array([[self._total(h, shape) for h in row] for row in rows])


def loss_surface(loss: sp.Expr, params: Sequence[sp.Symbol], inputs: Sequence[sp.Symbol]) -> LossSurface:
    """Differentiate a per-example loss symbolically and lambdify it, its gradient and its Hessian.

    Examples
    --------
    >>> p, x = sp.symbols("p x")
    >>> s = loss_surface((p * x - 1) ** 2 / 2, [p], [x])
    >>> data = (np.array([1.0, 2.0]),)
    >>> s.value(np.array([0.5]), data), s.gradient(np.array([0.5]), data).tolist()
    (0.125, [-0.5])
    >>> s.hessian(np.array([0.5]), data).tolist()
    [[5.0]]
    """
    params, inputs = tuple(params), tuple(inputs)
    grad = [sp.diff(loss, p) for p in params]
    hess = [[sp.diff(g, q) for q in params] for g in grad]
    args = [*params, *inputs]
    return LossSurface(loss, params, inputs, _compile(args, loss), _compile(args, grad), _compile(args, hess))


def _compile(args: Sequence[sp.Symbol], expr: Any) -> Callable[..., Any]:
    """``lambdify`` after replacing every symbol by a ``Dummy``: no symbol name reaches the generated source.

    (``dummify=True`` alone is not enough: lambdify also puts each symbol into the function's namespace under
    its name, so a symbol called ``exp`` would shadow ``numpy.exp``.)

    Examples
    --------
    >>> e = sp.Symbol("exp")
    >>> float(_compile([e], sp.exp(e))(0.0))
    1.0
    """
    table: dict[sp.Basic, sp.Basic] = {s: sp.Dummy(f"a{n}") for n, s in enumerate(args)}

    def swap(e: Any) -> Any:
        if isinstance(e, (list, tuple)):
            return [swap(x) for x in e]
        table.update({s: sp.Dummy() for s in e.atoms(sp.Symbol) if s not in table})
        return e.xreplace(table)

    body = swap(expr)
    return sp.lambdify([table[s] for s in args], body, "numpy", dummify=True)


def newton_minimize(surface: LossSurface, theta0: np.ndarray, data: Sequence[np.ndarray], *,
                    iterations: int = 200, gtol: float = 1e-11) -> np.ndarray:
    """Minimise with damped Newton steps (Levenberg-Marquardt damping), deterministically.

    Examples
    --------
    >>> p, x = sp.symbols("p x")
    >>> s = loss_surface((p * x - 1) ** 2 / 2, [p], [x])
    >>> round(float(newton_minimize(s, np.array([3.0]), (np.array([2.0]),))[0]), 9)
    0.5
    """
    theta = np.array(theta0, dtype=float)
    mu = 1e-3
    value = surface.value(theta, data)
    for _ in range(iterations):
        g = surface.gradient(theta, data)
        if np.linalg.norm(g) < gtol:
            break
        H = surface.hessian(theta, data)
        step = np.linalg.solve(H + mu * np.eye(theta.size), -g)
        trial = theta + step
        trial_value = surface.value(trial, data)
        if trial_value <= value:
            theta, value, mu = trial, trial_value, max(mu / 10, 1e-15)
        else:
            mu *= 10
    return theta


def cubic_error_slopes(surface: LossSurface, theta: np.ndarray, data: Sequence[np.ndarray],
                       directions: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Log-log slopes of :math:`|E(w^* + t d) - E^* - \tfrac12 t^2 d^T H d|` against ``t``, one per direction.

    Returns the slopes and the matrix of errors (directions x steps).

    Examples
    --------
    >>> p, x = sp.symbols("p x")
    >>> s = loss_surface(sp.exp(p * x) - p * x, [p], [x])
    >>> slopes, _ = cubic_error_slopes(s, np.array([0.0]), (np.array([1.0]),), np.array([[1.0]]),
    ...                                np.logspace(-2, -1, 5))
    >>> round(float(slopes[0]), 1)
    3.0
    """
    E0 = surface.value(theta, data)
    H = surface.hessian(theta, data)
    errors = np.empty((len(directions), len(steps)))
    for r, d in enumerate(directions):
        curvature = float(d @ H @ d)
        for c, t in enumerate(steps):
            errors[r, c] = abs(surface.value(theta + t * d, data) - E0 - 0.5 * t * t * curvature)
    slopes = np.array([np.polyfit(np.log(steps), np.log(row), 1)[0] for row in errors])
    return slopes, errors


__all__ = [
    "Eigenpair", "LossSurface", "QuadraticModel", "contour_axes", "contour_figure", "cubic_error_slopes",
    "eigen_sampler", "ellipse_points", "loss_surface", "newton_minimize", "orthonormal_rational",
    "quadratic_model", "symmetric_2x2_eigen",
]
