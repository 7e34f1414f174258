"""A loss surface built symbolically and evaluated with NumPy: Newton's minimum and the cubic error of its model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp


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


__all__ = ["LossSurface", "cubic_error_slopes", "loss_surface", "newton_minimize"]
