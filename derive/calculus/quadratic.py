"""The contours of a quadratic error surface near a minimum: their eigen-axes, points and the pgfplots figure.

The index-form model is :mod:`derive.calculus.quadratic_model`, its exact eigen-structure
:mod:`derive.calculus.eigen`, and the numeric loss surface checked against it :mod:`derive.calculus.loss_surface`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from derive.errors import InvalidLevelError, NotPositiveDefiniteError, NotSymmetricError, ShapeError

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


__all__ = ["RELATIVE_TOLERANCE", "contour_axes", "contour_figure", "ellipse_points"]
