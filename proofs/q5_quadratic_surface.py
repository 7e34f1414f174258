"""Q5: near a minimum the error is a quadratic form whose contours are ellipsoids along the Hessian's eigenvectors."""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Proof, Step, proof
from derive.calculus.eigen import eigen_sampler, symmetric_2x2_eigen
from derive.calculus.loss_surface import cubic_error_slopes, loss_surface, newton_minimize
from derive.calculus.quadratic import contour_axes, contour_figure
from derive.calculus.quadratic_model import quadratic_model
from derive.document.article import error_bound
from derive.document.proof import Chain
from proofs.support.tanh_network import tanh_network_loss

#: Dimensions of the seeded random SPD matrices, grouped into table rows.
SPD_GROUPS = ((2, 10), (11, 25), (26, 50))
#: Seeds of the tiny-network runs shown (seed 0 reaches a strict minimum, seed 2 a flat one).
NETWORK_SEEDS = (0, 2)
#: The 2x2 Hessian, centre and levels drawn in the figure.
FIGURE_ENTRIES = (sp.Integer(3), sp.Integer(1), sp.Integer(2))
FIGURE_CENTER = (1.0, 0.5)
FIGURE_LEVELS = (0.25, 0.5, 1.0)


def spd_rows() -> list[tuple[str, ...]]:
    """Random SPD H (n = 2..50): axis end points and random ellipsoid points against the quadratic form."""
    rows = []
    for lo, hi in SPD_GROUPS:
        eig_err = axis_err = point_err = 0.0
        for n in range(lo, hi + 1):
            rng = np.random.default_rng(n)
            A = rng.normal(size=(n, n))
            H = A @ A.T / n + 0.1 * np.eye(n)
            c = float(rng.uniform(0.5, 2.0))
            center = rng.normal(size=n)
            lengths, U = contour_axes(H, c)
            lam, V = np.linalg.eigh(H)
            eig_err = max(eig_err, float(np.max(np.abs(lengths - np.sqrt(2 * c / lam)) / lengths)),
                          float(np.max(np.abs(np.abs(U.T @ V) - np.eye(n)))))
            for m in range(n):
                v = (center + lengths[m] * U[:, m]) - center
                axis_err = max(axis_err, abs(0.5 * v @ H @ v - c) / c)
            z = rng.normal(size=(16, n))
            z /= np.linalg.norm(z, axis=1)[:, None]
            for alpha in z * lengths:
                v = U @ alpha
                point_err = max(point_err, abs(0.5 * v @ H @ v - c) / c)
        rows.append((f"${lo}$--${hi}$", error_bound(eig_err), error_bound(axis_err), error_bound(point_err)))
    return rows


def network_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic data: 32 inputs on [-3, 3], targets from a fixed two-unit tanh net plus noise drawn from ``rng``."""
    x = np.linspace(-3, 3, 32)
    y = 1.5 * np.tanh(2 * x - 1) - 0.8 * np.tanh(x + 1) + 0.3 + 0.1 * rng.normal(size=x.size)
    return x, y


def network_rows() -> list[tuple[str, ...]]:
    """Train the tiny tanh net with Newton steps on its symbolic gradient and Hessian; measure the model error."""
    loss, params, inputs = tanh_network_loss(2)
    surface = loss_surface(loss, params, inputs)
    rows = []
    for seed in NETWORK_SEEDS:
        rng = np.random.default_rng(seed)
        data = network_data(rng)
        theta = newton_minimize(surface, rng.normal(size=len(params)), data, iterations=300)
        grad = float(np.linalg.norm(surface.gradient(theta, data)))
        lam = np.linalg.eigvalsh(surface.hessian(theta, data))
        directions = rng.normal(size=(8, len(params)))
        directions /= np.linalg.norm(directions, axis=1)[:, None]
        slopes, _ = cubic_error_slopes(surface, theta, data, directions, np.logspace(-2.5, -0.5, 9))
        smallest = f"{lam[0]:.3f}" if abs(lam[0]) >= 1e-3 else error_bound(abs(lam[0])).replace("<", r"|\lambda|<")
        rows.append((f"{seed}", f"{surface.value(theta, data):.4f}", error_bound(grad), f"${smallest}$"
                     if not smallest.startswith("$") else smallest, f"{lam[-1]:.1f}",
                     f"{np.median(slopes):.2f}", f"{slopes.min():.2f}--{slopes.max():.2f}"))
    return rows


@proof
def quadratic_surface() -> Proof:
    p = Proof("quadratic_surface", "Q5: the quadratic error surface near a minimum", question="Q5")
    m = quadratic_model()
    n, i, k, l, c = m.n, m.i, m.k, m.l, m.c  # noqa: E741
    E = sp.Function("E")
    w = sp.Symbol("w")

    p.text(r"Let $w^*$ be a minimum of the error $E$ in $n$ weights, with gradient $g$ and Hessian $H$ at $w^*$ "
           r"($n$ stays symbolic; everything is in index form). The second-order Taylor polynomial is")
    p.define(E(w), m.taylor(), "Taylor, second order")
    p.text(r"\paragraph{The first-order term vanishes.} At a minimum (of a differentiable $E$) the gradient is "
           r"zero, $g_i = 0$ for all $i$, so the linear term drops out and only the quadratic form remains:")
    p.claim(m.taylor(), m.model(), r"Hypothesis $g_i = 0$ (stationarity at $w^*$).", hypotheses={m.g[i]: 0})
    p.text(r"Without the factor $\tfrac12$ the model would have Hessian $2H$, not $H$; the wrong variant is "
           r"rejected below.")

    p.text(r"\paragraph{Eigenvectors.} $H$ is symmetric, so (spectral theorem) it has orthonormal "
           r"eigenvectors $u_1, \dots, u_n$, the columns of $U$ ($U_{ik}$ is the $i$-th entry of $u_k$). In index "
           r"form the two hypotheses are:")
    Hu, lu = m.eigenvector_rule(i, l)
    uu, delta = m.orthonormality_rule(k, l)
    sampler = eigen_sampler(m, sizes=(1, 3))
    r_idx, s_idx = sp.Idx("r", (1, n)), sp.Idx("s", (1, n))
    p.claim(*m.eigenvector_rule(r_idx, s_idx),
            r"$H u_s = \lambda_s u_s$; checked at random $H = U\Lambda U^T$, $U$ the Cayley transform "
            r"$(I - S)(I + S)^{-1}$ of a random rational skew $S$, which is exactly orthogonal.",
            sampler=sampler, by_points=True)
    p.claim(*m.orthonormality_rule(r_idx, s_idx),
            r"$u_r^T u_s = \delta_{rs}$, at the same exactly orthonormal rational bases.",
            sampler=sampler, by_points=True)
    p.text(r"Expand the displacement in this basis, $w - w^* = \sum_k \alpha_k u_k$, with coordinates")
    alpha_def = sp.Sum(m.U[i, k] * m.displacement(i), (i, 1, n))
    p.define(m.alpha[k], alpha_def, r"$\alpha = U^T(w - w^*)$")
    p.text(r"Because $U$ is square with $U^T U = I$, also $U U^T = I$, so $\sum_k \alpha_k U_{ik} = w_i - w^*_i$.")

    p.text(r"\paragraph{The key step: $E(w) - E(w^*) = \tfrac12\sum_k \lambda_k \alpha_k^2$, for every $n$.}")
    Q = m.quadratic_form()
    Q1 = Q.xreplace(m.eigen_substitution())
    Q2 = sp.Sum(sp.Sum(m.alpha[k] * m.alpha[l] * sp.Sum(m.U[i, k] * Hu, (i, 1, n)), (l, 1, n)), (k, 1, n)) / 2
    Q3 = sp.Sum(sp.Sum(m.alpha[k] * m.alpha[l] * m.lam[l] * uu, (l, 1, n)), (k, 1, n)) / 2
    Q4 = sp.Sum(sp.Sum(m.alpha[k] * m.alpha[l] * m.lam[l] * delta, (l, 1, n)), (k, 1, n)) / 2
    Q2b = sp.Sum(sp.Sum(m.alpha[k] * m.alpha[l] * sp.Sum(m.U[i, k] * lu, (i, 1, n)), (l, 1, n)), (k, 1, n)) / 2
    links = (
        (Q, r"The quadratic model.", {}),
        (Q1, r"Substitute $w_i - w^*_i = \sum_k \alpha_k U_{ik}$ and $w_j - w^*_j = \sum_l \alpha_l U_{jl}$.",
         m.eigen_substitution()),
        (Q2, r"Exchange the finite sums.", {}),
        (Q2b, r"Hypothesis $\sum_j H_{ij} U_{jl} = \lambda_l U_{il}$ ($H u_l = \lambda_l u_l$).", {Hu: lu}),
        (Q3, r"Move $\lambda_l$ out of the sum over $i$.", {}),
        (Q4, r"Hypothesis $\sum_i U_{ik} U_{il} = \delta_{kl}$ (orthonormality).", {uu: delta}),
        (m.eigen_form(), r"Sum out the Kronecker delta: the theorem, for every $n$.", {}),
    )
    previous: sp.Basic = m.model() - m.E_star
    steps = []
    for number, (expr, reason, rules) in enumerate(links):
        steps.append(Step(previous, expr, reason, hypotheses=rules, boxed=number == len(links) - 1))
        previous = expr
    p.blocks.append(Chain(tuple(steps)))
    p.text(r"Every link is proven symbolically with $n$ symbolic: the substitutions are exactly the two "
           r"hypotheses (applied as rewrite rules to both sides), and the engine's sum strategies exchange the "
           r"finite sums and sum out $\delta_{kl}$.")

    p.text(r"\paragraph{Level sets.} The level set $E(w) - E(w^*) = c$ is therefore "
           r"$\sum_k \lambda_k \alpha_k^2 = 2c$. If every $\lambda_k > 0$ (positive definite $H$), it is an "
           r"ellipsoid centred at $w^*$ with axes along the $u_k$. Put $\alpha_k = 0$ for $k \neq m$: the "
           r"semi-axis along $u_m$ is")
    lam_m = sp.Symbol(r"\lambda_m", positive=True)
    lam_p = sp.Symbol(r"\lambda_p", positive=True)
    ell = sp.IndexedBase(r"\ell", positive=True)
    ell_m = sp.sqrt(2 * c / lam_m)
    p.define(ell[sp.Symbol("m")], ell_m, "semi-axis")
    alpha_m = sp.Symbol(r"\alpha_m", real=True)
    p.claim(lam_m * alpha_m ** 2 / 2, c, r"At the end point $\alpha_m = \ell_m$ (the other $\alpha_k = 0$).",
            hypotheses={alpha_m: ell_m})
    p.claim(ell_m / sp.sqrt(2 * c / lam_p), sp.sqrt(lam_p / lam_m),
            r"Ratio of two semi-axes: lengths are proportional to $1/\sqrt{\lambda}$.")
    p.text(r"Lengths proportional to $1/\lambda$ instead are wrong: the point at distance "
           r"$\sqrt{2c}/\lambda_m$ is not on the level set.")
    p.refute(lam_m * alpha_m ** 2 / 2, c, r"At $\alpha_m = \sqrt{2c}/\lambda_m$ (false).",
             hypotheses={alpha_m: sp.sqrt(2 * c) / lam_m})

    p.text(r"\paragraph{At a minimum $H$ is only positive semi-definite.} A minimum forces "
           r"$\tfrac12\sum_k\lambda_k\alpha_k^2 \ge 0$ for all $\alpha$, i.e. $\lambda_k \ge 0$; the quadratic "
           r"form is then non-negative:")
    m0 = quadratic_model()
    lam0 = sp.IndexedBase("lambda", nonnegative=True)
    p.claim(sp.Sum(lam0[k] * m0.alpha[k] ** 2, (k, 1, n)) / 2, 0, r"$\lambda_k \ge 0$.", relation=">=")
    p.text(r"But a minimum does not make $H$ positive definite. The engine computes the Hessian of "
           r"$E(w) = a w_1^4 + b w_2^2$ ($a, b > 0$) at its minimum $w^* = 0$:")
    a_, b_ = sp.symbols("a b", positive=True)
    w1, w2 = sp.symbols("w_1 w_2", real=True)
    quartic = a_ * w1 ** 4 + b_ * w2 ** 2
    H0 = sp.hessian(quartic, (w1, w2)).subs({w1: 0, w2: 0})
    p.claim(quartic, 0, r"$w^* = 0$ is a minimum: $E(w) \ge 0 = E(0)$.", relation=">=")
    p.define(sp.Symbol("H"), H0, r"Hessian at $w^* = 0$")
    p.refute(H0.det(), 0, r"``$H$ is positive definite at a minimum'' (false: an eigenvalue is $0$).",
             relation=">")

    p.text(r"\paragraph{A zero eigenvalue gives a degenerate, unbounded level set.} In two dimensions with "
           r"$\lambda_1 > 0 = \lambda_2$, every point $\alpha = (\ell_1, t)$ is on the level set, for every real "
           r"$t$: a pair of lines, not an ellipse.")
    lam1 = sp.Symbol(r"\lambda_1", positive=True)
    t = sp.Symbol("t", real=True)
    ell1 = sp.sqrt(2 * c / lam1)
    a1, a2, lam2 = sp.symbols(r"\alpha_1 \alpha_2 \lambda_2", real=True)
    level2 = (lam1 * a1 ** 2 + lam2 * a2 ** 2) / 2
    p.claim(level2, c, r"At $\lambda_2 = 0$, $\alpha_1 = \ell_1 = \sqrt{2c/\lambda_1}$, $\alpha_2 = t$.",
            hypotheses={lam2: 0, a1: ell1, a2: t})
    p.text(r"With a negative eigenvalue $\lambda_2 = -\mu$ (a saddle, not a minimum) the level set is a "
           r"hyperbola, again unbounded, and \texttt{contour\_axes} refuses it with "
           r"\texttt{NotPositiveDefiniteError}, naming the eigenvalue:")
    mu = sp.Symbol(r"\mu", positive=True)
    alpha1 = sp.sqrt((2 * c + mu * t ** 2) / lam1)
    p.claim(level2, c, r"At $\lambda_2 = -\mu$, $\alpha_1 = \sqrt{(2c + \mu t^2)/\lambda_1}$, $\alpha_2 = t$, any "
            r"real $t$.", hypotheses={lam2: -mu, a1: alpha1, a2: t})

    p.text(r"\paragraph{The explicit $2\times 2$ case.} The engine solves the characteristic polynomial of a "
           r"symbolic symmetric matrix:")
    a, b, d = sp.symbols("a b d", real=True)
    H2 = sp.Matrix([[a, b], [b, d]])
    low, high = symmetric_2x2_eigen(a, b, d)
    p.define(sp.Symbol("H"), H2)
    lm, lp = sp.Symbol(r"\lambda_-"), sp.Symbol(r"\lambda_+")
    um, up = sp.Symbol("u_-"), sp.Symbol("u_+")
    p.define(lm, low.value)
    p.define(lp, high.value)
    p.define(um, low.vector, r"for $b \neq 0$")
    p.define(up, high.vector, r"for $b \neq 0$")
    p.text(r"Substituting back into $H u = \lambda u$:")
    p.claim(H2 * low.vector, low.value * low.vector, r"$H u_- = \lambda_- u_-$.")
    p.claim(H2 * high.vector, high.value * high.vector, r"$H u_+ = \lambda_+ u_+$.")
    p.claim(b ** 2, -(low.vector[1] * high.vector[1]),
            r"$u_-^T u_+ = b^2 + (\lambda_- - a)(\lambda_+ - a) = 0$: the eigenvectors are orthogonal.")
    p.claim(low.value + high.value, a + d, "Sum of the eigenvalues: the trace.")
    p.claim(low.value * high.value, a * d - b ** 2, "Product of the eigenvalues: the determinant.")
    p.text(r"So $H$ is positive definite exactly when $a > 0$ and $ad - b^2 > 0$; then the contour "
           r"$E - E^* = c$ is an ellipse with semi-axes $\sqrt{2c/\lambda_\mp}$ along $u_\mp/\lVert u_\mp\rVert$, "
           r"the longer one along $u_-$.")
    p.claim(lp * alpha_m ** 2 / 2, c, r"At the end point $\alpha_m = \sqrt{2c/\lambda_+}$ of the semi-axis along "
            r"$u_+$.", hypotheses={lp: high.value, alpha_m: sp.sqrt(2 * c / high.value)})

    p.text(r"\paragraph{Numerical cross-check.} For each $n = 2, \dots, 50$ (NumPy seed $n$) the engine draws "
           r"$H = AA^T/n + 0.1 I$ with standard normal $A$ and a level $c \in [0.5, 2]$, and compares "
           r"\texttt{contour\_axes} with \texttt{numpy.linalg.eigh}; it puts $w^* + \ell_i u_i$ and 16 random "
           r"points $w^* + \sum_i \alpha_i u_i$ with $\sum_i \lambda_i \alpha_i^2 = 2c$ into the quadratic form. "
           r"Largest relative errors:")
    p.table(("$n$", r"lengths, axes vs.\ \texttt{eigh}", "axis end points", "random ellipsoid points"),
            spd_rows(), "Relative errors in float64, against the acceptance threshold $10^{-10}$.")

    p.text(r"\paragraph{A real loss.} A network with one input, two $\tanh$ hidden units and a linear output "
           r"(7 parameters) is fitted by squared error to 32 synthetic points ($x$ evenly spaced on $[-3, 3]$, "
           r"$y = 1.5\tanh(2x - 1) - 0.8\tanh(x + 1) + 0.3$ plus Gaussian noise of standard deviation $0.1$, "
           r"NumPy seed as listed). The loss is built with SymPy; its gradient and Hessian are differentiated "
           r"symbolically and lambdified, and damped Newton steps from a seeded standard normal start reach "
           r"$w^*$. Along 8 random unit directions $d$, the error "
           r"$|E(w^* + s d) - E(w^*) - \tfrac12 s^2 d^T H d|$ for $s \in [10^{-2.5}, 10^{-0.5}]$ is fitted "
           r"on a log-log scale; a slope of $3$ means the quadratic model is accurate to $O(\lVert w - "
           r"w^*\rVert^3)$.")
    p.table(("seed", "$E(w^*)$", r"$\lVert\nabla E(w^*)\rVert$", r"$\lambda_{\min}(H)$", r"$\lambda_{\max}(H)$",
             "median slope", "slope range"), network_rows(),
            r"At both points the gradient vanishes to rounding and $H$ is positive semi-definite. Seed 0 "
            r"reaches a strict minimum ($\lambda_{\min} > 0$); seed 2 reaches a flat one, with an eigenvalue "
            r"that is zero to rounding, where the level sets are not ellipses.")

    lengths, _ = contour_axes(np.array(sp.Matrix([[FIGURE_ENTRIES[0], FIGURE_ENTRIES[1]],
                                                   [FIGURE_ENTRIES[1], FIGURE_ENTRIES[2]]]), dtype=float),
                              max(FIGURE_LEVELS))
    p.figure(contour_figure(np.array([[3.0, 1.0], [1.0, 2.0]]), FIGURE_CENTER, FIGURE_LEVELS),
             r"Contours $\tfrac12 (w - w^*)^T H (w - w^*) = c$ for $H = \begin{pmatrix} 3 & 1 \\ 1 & 2 "
             r"\end{pmatrix}$, $c = 0.25, 0.5, 1$, computed by the engine. Dashed: the eigenvector axes "
             r"through $w^*$; arrows: the semi-axes $\ell_i = \sqrt{2c/\lambda_i}$ of the outer contour "
             rf"($c = 1$), the longer along the smaller eigenvalue (ratio {lengths[0] / lengths[1]:.2f}).")

    p.text(r"\paragraph{Review of the handwritten solution.} The handwritten answer is essentially right: it "
           r"expands $w - w^* = \sum_i \alpha_i u_i$, uses $H u_i = \lambda_i u_i$ and $u_i^T u_j = \delta_{ij}$ "
           r"and reaches $E(w) - E(w^*) \approx \tfrac12 \sum_i \lambda_i \alpha_i^2$, which is the boxed "
           r"result above. It is loose in three places. (1) It says $H$ is PSD and then writes "
           r"$\alpha_j = \sqrt{c^2/\lambda_j}$ for all $j$: for $\lambda_j = 0$ this divides by zero, and the "
           r"level set is the unbounded pair of lines shown above, not an ellipse; the ellipse needs a positive "
           r"definite $H$. (2) It never says why the linear term is absent: the gradient vanishes at $w^*$. "
           r"(3) It calls $\sqrt{c^2/\lambda_j}$ the ``length of axis''; with $c^2 = 2(E - E^*)$ it is the "
           r"semi-axis, which agrees with the engine:")
    c2 = sp.Symbol("c^2", positive=True)
    p.claim(sp.sqrt(c2 / lam_m), ell_m, r"Handwritten semi-axis with $c^2 = 2(E - E^*) = 2c$.",
            hypotheses={c2: 2 * c})
    p.text(r"The full axis, from end to end, is twice as long:")
    p.refute(2 * sp.sqrt(c2 / lam_m), ell_m, r"Reading $\sqrt{c^2/\lambda_j}$ as the full axis (false).",
             hypotheses={c2: 2 * c})
    p.text(r"and the factor $2$ in $c^2 = 2(E - E^*)$ matters: taking $c^2 = E - E^*$ (dropping the "
           r"$\tfrac12$ of the model) puts the end point off the level set:")
    p.refute(lam_m * alpha_m ** 2 / 2, c, r"At $\alpha_m = \sqrt{(E - E^*)/\lambda_m}$ (false).",
             hypotheses={alpha_m: sp.sqrt(c / lam_m)})
    return p
