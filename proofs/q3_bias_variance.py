"""Q3: the bias-variance decomposition, derived with the expectation operator, and measured as H grows."""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Proof, proof
from derive.calculus.expectation import E, RandomModel, Var, expectation_chain, expectation_hypotheses, moment_symbol
from proofs.support.bias_variance import (
    BiasVarianceConfig,
    BiasVarianceRow,
    TrainedConfig,
    data_file,
    round_sig,
    run,
    run_trained,
)

#: The configuration the document measures (seed, widths, datasets: see the dataclass).
CONFIG = BiasVarianceConfig()
#: The trained-network regime the document measures (kept to about 15 s of CPU: 32 datasets, 1500 epochs).
TRAINED = TrainedConfig()
#: Widths shown in the measured table (all widths are in the figure and the data files).
TABLE_WIDTHS = (1, 3, 8, 16, 25, 40, 100, 800)
#: Data files the build should write beside the document (relative to output/).
DATA_NAMES = {"ridge": "data/q3_bias_variance_ridge.dat", "min-norm": "data/q3_bias_variance_minnorm.dat"}
TRAINED_DATA = "data/q3_bias_variance_trained.dat"

t, f, eps, h = sp.symbols(r"t \hat{f} \varepsilon h", real=True)
sigma = sp.Symbol(r"\sigma", positive=True)
D, N = sp.Symbol("D"), sp.Symbol(r"\varepsilon")
OVER_D, OVER_ALL = sp.Tuple(D), sp.Tuple(D, N)
#: f-hat depends on the dataset D only; the noise of the new target is independent of D.
MODEL = RandomModel(((D, (f,)), (N, (eps,))), ((eps, sp.S.Zero), (eps**2, sigma**2)), ((t, h + eps),))
RULES_LIN = ("definitions", "linearity")
RULES_IND = ("definitions", "linearity", "independence")
RULES_ALL = ("definitions", "linearity", "independence", "moments")


def feasible_moments(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
    r"""Random values of :math:`\mathbb{E}\hat f` and :math:`\mathbb{E}\hat f^2` with a positive variance."""
    mean = sp.Rational(int(rng.integers(-14, 15)), 7)
    return {moment_symbol(f): mean, moment_symbol(f**2): mean**2 + sp.Rational(int(rng.integers(1, 15)), 7)}


def expected_error() -> sp.Expr:
    """The left side: the expected squared error over datasets and noise."""
    return E((t - f) ** 2, OVER_ALL)


def decomposition() -> sp.Expr:
    """The derived right side: noise + bias squared + variance."""
    return sigma**2 + (E(f, OVER_D) - h) ** 2 + Var(f, OVER_D)


def false_variants() -> dict[str, sp.Expr]:
    """Wrong right sides: the variance term missing, and a spurious noise cross term."""
    bias2 = (E(f, OVER_D) - h) ** 2
    return {
        "the variance term is missing": sigma**2 + bias2,
        r"a cross term $2(\mathbb{E}_D\hat f - h)\,\sigma$ is added": decomposition() + 2 * (E(f, OVER_D) - h) * sigma,
        "the noise term is missing": bias2 + Var(f, OVER_D),
    }


def empirical_identity() -> tuple[sp.Expr, sp.Expr, dict[sp.Basic, sp.Basic]]:
    r"""Over L fitted functions: mean of (f_l - h)^2 = (fbar - h)^2 + mean of (f_l - fbar)^2, with fbar the mean."""
    L = sp.Symbol("L", integer=True, positive=True)
    l_ = sp.Symbol("l", integer=True, positive=True)
    F = sp.IndexedBase(r"\hat{f}", real=True)
    fbar = sp.Symbol(r"\bar{f}", real=True)
    lhs = sp.Sum((F[l_] - h) ** 2, (l_, 1, L)) / L
    rhs = (fbar - h) ** 2 + sp.Sum((F[l_] - fbar) ** 2, (l_, 1, L)) / L
    return lhs, rhs, {fbar: sp.Sum(F[l_], (l_, 1, L)) / L}


def _tt(path: str) -> str:
    return path.replace("_", r"\_")


def _fmt(x: float) -> str:
    v = round_sig(x)
    if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
        mant, exp = f"{v:.2e}".split("e")
        return f"${mant}\\times 10^{{{int(exp)}}}$"
    return f"{v:.3g}"


def _fmt_power(x: float) -> str:
    """``x`` for prose: ``$10^{k}$`` when it is a power of ten, else as in the tables."""
    k = round(np.log10(x)) if x > 0 else 0
    return f"$10^{{{k}}}$" if x > 0 and np.isclose(x, 10.0**k) else _fmt(x)


def _rows(rows: tuple[BiasVarianceRow, ...], every: bool = False) -> list[tuple[str, ...]]:
    chosen = [r for r in rows if every or r.H in TABLE_WIDTHS]
    return [(str(r.H), _fmt(r.bias2), _fmt(r.variance), _fmt(r.bias2 + r.variance), _fmt(r.noise), _fmt(r.error),
             _fmt(abs(r.gap) / r.error)) for r in chosen]


def _coords(rows: tuple[BiasVarianceRow, ...], key: str) -> str:
    values = {"bias2": lambda r: r.bias2, "variance": lambda r: r.variance, "sum": lambda r: r.bias2 + r.variance}
    return " ".join(f"({r.H},{round_sig(values[key](r)):.3g})" for r in rows)


def panel_tikz(rows: tuple[BiasVarianceRow, ...], title: str, n: int) -> str:
    """One log-log pgfplots panel of bias², variance and their sum against H; a dotted line at ``H = n``."""
    plots = "\n".join(
        rf"\addplot[{style}] coordinates {{{_coords(rows, key)}}};" + "\n" + rf"\addlegendentry{{{label}}}"
        for key, style, label in (("bias2", "blue, mark=*, mark size=1pt", r"bias$^2$"),
                                  ("variance", "red, mark=square*, mark size=1pt", "variance"),
                                  ("sum", "black, dashed", r"bias$^2$ + variance")))
    return (r"\begin{tikzpicture}" + "\n"
            + rf"\begin{{loglogaxis}}[width=0.48\linewidth, height=5.2cm, title={{{title}}},"
            + r" xlabel={hidden units $H$},"
            + r" legend style={font=\tiny, at={(0.5,-0.3)}, anchor=north, legend columns=3},"
            + r" tick label style={font=\scriptsize},"
            + rf" xmin=0.8, xmax={max(r.H for r in rows) * 1.25:.0f}]" + "\n"
            + plots + "\n"
            + rf"\draw[gray, dotted] (axis cs:{n},1e-5) -- (axis cs:{n},1e12);" + "\n"
            + r"\end{loglogaxis}" + "\n" + r"\end{tikzpicture}")


def figure_tikz(results: dict[str, tuple[BiasVarianceRow, ...]]) -> str:
    """Two log-log pgfplots panels (ridge, minimum norm) with coordinates from the measured rows."""
    return "\n".join(panel_tikz(results[regime], title, CONFIG.n)
                     for regime, title in (("ridge", "ridge output layer"), ("min-norm", "minimum-norm least squares")))


def data_files() -> dict[str, str]:
    """``{path relative to output/: contents}`` of the data the figure plots (3 significant digits)."""
    results = run(CONFIG)
    return {**{DATA_NAMES[k]: data_file(results[k]) for k in DATA_NAMES},
            TRAINED_DATA: data_file(run_trained(TRAINED), train=True)}


@proof
def bias_variance() -> Proof:
    p = Proof("bias_variance", "Q3: bias and variance as the number of hidden units grows", question="Q3")
    p.text(r"A target is $t = h + \varepsilon$ at a fixed input $x$, with $h = h(x)$ the true function and "
           r"noise $\varepsilon$ of mean $0$ and variance $\sigma^2$. An estimator $\hat f = \hat f(x; D)$ is fitted "
           r"to a random training set $D$; a new target's noise is independent of $D$. The engine's expectation "
           r"operator $\mathbb{E}$ has four stated rules: \emph{definitions} ($t$ is replaced by $h + \varepsilon$), "
           r"\emph{linearity} (sums split and non-random factors, including any $\mathbb{E}_D[\hat f]$, pull out; "
           r"$\mathbb{E}[c] = c$), \emph{independence} ($\mathbb{E}[XY] = \mathbb{E}[X]\,\mathbb{E}[Y]$ for $X$ a "
           r"function of $D$ and $Y$ a function of $\varepsilon$) and the \emph{moments} "
           r"$\mathbb{E}[\varepsilon] = 0$, "
           r"$\mathbb{E}[\varepsilon^2] = \sigma^2$; $\operatorname{Var}_D$ is read as its definition. Each step below "
           r"is checked using only the rules its justification names: both sides are reduced by those rules to "
           r"polynomials in the remaining unknown moments (such as $\mathbb{E}[\hat f^2]$), which must agree.")
    p.define(t, h + eps, "the target")
    p.define(Var(f, OVER_D), E((f - E(f, OVER_D)) ** 2, OVER_D), "the variance over datasets")

    p.text(r"\paragraph{Noise.} Expand the square and use that the noise of the new target is independent of $D$:")
    p.blocks.append(expectation_chain(
        expected_error(), MODEL,
        (E((h + eps - f) ** 2, OVER_ALL), r"Definition of the target, $t = h + \varepsilon$.", ("definitions",)),
        (E((h - f) ** 2, OVER_D) + 2 * E(eps * (h - f), OVER_ALL) + E(eps**2, sp.Tuple(N)),
         "Expectation is linear.", RULES_LIN),
        (E((h - f) ** 2, OVER_D) + 2 * E(eps, sp.Tuple(N)) * E(h - f, OVER_D) + E(eps**2, sp.Tuple(N)),
         r"The noise is independent of $D$, so the expectation of the product factorises.", RULES_IND),
        (E((h - f) ** 2, OVER_D) + sigma**2,
         r"$\mathbb{E}[\varepsilon] = 0$ removes the cross term; $\mathbb{E}[\varepsilon^2] = \sigma^2$.", RULES_ALL),
    ))
    p.text(r"\paragraph{Bias and variance.} Add and subtract the average prediction $\mathbb{E}_D[\hat f]$, "
           r"a number, not a random quantity:")
    mean_f = E(f, OVER_D)
    p.blocks.append(expectation_chain(
        E((h - f) ** 2, OVER_D), MODEL,
        (E(((h - mean_f) + (mean_f - f)) ** 2, OVER_D), r"Add and subtract $\mathbb{E}_D[\hat f]$.", RULES_LIN),
        ((mean_f - h) ** 2 + 2 * (h - mean_f) * E(mean_f - f, OVER_D) + E((f - mean_f) ** 2, OVER_D),
         r"Expectation is linear; $h - \mathbb{E}_D[\hat f]$ is a constant and pulls out.", RULES_LIN),
        ((mean_f - h) ** 2 + Var(f, OVER_D),
         r"The cross term vanishes (next line); the last term is the variance by definition.", RULES_LIN),
    ))
    p.blocks.append(expectation_chain(
        E(mean_f - f, OVER_D), MODEL,
        (mean_f - E(f, OVER_D, evaluate=False), r"Expectation is linear and $\mathbb{E}_D[c] = c$.", RULES_LIN),
    ))
    p.text("Together:")
    lhs, rhs = expected_error(), decomposition()
    p.result(lhs, rhs, "The two chains above; all four rules.", sampler=feasible_moments,
             hypotheses=expectation_hypotheses(MODEL, lhs, rhs, rules=RULES_ALL))
    p.text(r"Noise $\sigma^2$ is irreducible; the squared bias $(\mathbb{E}_D\hat f - h)^2$ measures how far the "
           r"average fit is from the truth; the variance measures how much the fit moves from one training set "
           r"to another. Wrong variants are rejected, each by a counterexample: values of the unknown moments "
           r"$\mathbb{E}_D\hat f$ and $\mathbb{E}_D\hat f^2 > (\mathbb{E}_D\hat f)^2$ (a positive variance, as "
           r"for a real distribution), of $h$ and of $\sigma$.")
    for name, wrong in false_variants().items():
        p.refute(lhs, wrong, f"False variant: {name}.", sampler=feasible_moments,
                 hypotheses=expectation_hypotheses(MODEL, lhs, wrong, rules=RULES_ALL))

    results = run(CONFIG)
    cfg = CONFIG
    p.text(rf"\paragraph{{Measured.}} $L = {cfg.datasets}$ training sets of $n = {cfg.n}$ points, $x$ equally spaced "
           rf"on $[0, 1]$, $t = \sin(2\pi x) + \varepsilon$ with noise standard deviation ${cfg.noise}$ "
           rf"(Bishop, PRML \S3.2). The network has $H$ hidden units "
           rf"$\sqrt{{2/H}}\cos(\omega_j x + \beta_j)$ with $\omega_j \sim N(0, 1/\ell^2)$, "
           rf"$\ell = {cfg.length_scale}$, "
           r"$\beta_j \sim U(0, 2\pi)$, drawn afresh for each training set (a random hidden layer, as at "
           r"initialisation), and a linear output layer fitted in one of two ways: ridge regression with penalty "
           rf"$\lambda = {cfg.ridge}$, or minimum-norm least squares (the pseudo-inverse; for $H \ge n$ it "
           r"interpolates the data). Bias$^2$ and variance are averaged over a grid of "
           rf"{cfg.grid} test inputs; the expected error is measured separately against fresh noisy targets, "
           rf"and noise is the mean square of those fresh draws. NumPy seed {cfg.seed}. The data are written to "
           rf"\texttt{{{_tt(DATA_NAMES['ridge'])}}} and \texttt{{{_tt(DATA_NAMES['min-norm'])}}}.")
    p.text(r"For the measured terms the same decomposition holds exactly with empirical averages over the $L$ "
           r"fits (this is why bias$^2$ + variance is the mean squared distance of the fits from $h$):")
    e_lhs, e_rhs, e_hyp = empirical_identity()
    p.claim(e_lhs, e_rhs, r"Empirical version: $\bar f$ is the mean of the $L$ fits $\hat f_l$.", hypotheses=e_hyp,
            by_points=True)
    header = ("$H$", r"bias$^2$", "variance", "sum", "noise", "error", "rel. gap")
    for regime, name in (("ridge", "ridge output layer"), ("min-norm", "minimum-norm least squares")):
        p.table(header, _rows(results[regime]),
                f"{name.capitalize()}: measured terms (3 significant digits). ``rel.\\ gap'' is "
                r"$|\text{error} - (\text{noise} + \text{bias}^2 + \text{variance})|/\text{error}$: "
                "the sampled cross terms, which vanish in expectation.")
    p.figure(figure_tikz(results),
             r"Measured bias$^2$, variance and their sum against the number of hidden units $H$ (log--log); "
             rf"the dotted line marks $H = n = {cfg.n}$. Left: ridge output layer. Right: minimum-norm least squares.")

    trained, tc = run_trained(TRAINED), TRAINED
    p.text(r"\paragraph{Trained networks.} In the two regimes above only the output layer is fitted. In the third "
           r"every weight is trained: $H$ hidden units $\tanh(w_j x + c_j)$ and a linear output "
           r"$\sum_j v_j \tanh(w_j x + c_j) + d$, initialised afresh for each training set ($w_j \sim "
           rf"N(0, {tc.init_scale:g}^2)$, $c_j \sim U(-{tc.init_scale:g}, {tc.init_scale:g})$, $v_j \sim N(0, 1/H)$, "
           r"$d = 0$) and trained by full-batch Adam on the mean squared error plus weight decay "
           rf"(coefficient {_fmt_power(tc.weight_decay)}, times half the squared weights $w, v$), for a fixed "
           rf"{tc.epochs} epochs with step size {tc.lr:g}. The same target, $n = {tc.n}$ points and noise sd "
           rf"${tc.noise}$; $L = {tc.datasets}$ "
           rf"training sets per width (fewer than above, to keep the training to about 15 s of CPU), "
           rf"{tc.grid} test inputs, NumPy seed {tc.seed}. ``train'' is the mean squared error on the training "
           rf"points after training. The data are written to \texttt{{{_tt(TRAINED_DATA)}}}.")
    p.table((*header[:-1], "train", header[-1]),
            [(*row[:-1], _fmt(r.train_error), row[-1]) for r, row in zip(trained, _rows(trained, every=True))],
            "Trained one-hidden-layer tanh networks: measured terms (3 significant digits); columns as above.")
    p.figure(panel_tikz(trained, "trained tanh networks", tc.n),
             r"Trained networks: measured bias$^2$, variance and their sum against $H$ (log--log); "
             rf"the dotted line marks $H = n = {tc.n}$.")

    ridge, mn = results["ridge"], results["min-norm"]
    peak_r = max(ridge, key=lambda r: r.variance)
    peak_m = max(mn, key=lambda r: r.variance)
    low_t = min(trained, key=lambda r: r.variance)
    peak_t = max((r for r in trained if r.H >= low_t.H), key=lambda r: r.variance)
    at_n = next(r for r in trained if r.H == tc.n)
    small_bias = max(r.bias2 for r in trained if r.H >= low_t.H)
    worst_gap = max(abs(r.gap) / r.error for rows in (*results.values(), trained) for r in rows)
    p.text(r"\paragraph{Review of the handwritten answer.} The handwritten answer says that more hidden units "
           r"give a more flexible model, with lower bias and higher variance, because it also fits the noise. "
           r"Our measurements support this only in part. "
           rf"With the ridge output layer, bias$^2$ falls from {_fmt(ridge[0].bias2)} at $H = {ridge[0].H}$ to "
           rf"{_fmt(ridge[-1].bias2)} at $H = {ridge[-1].H}$, and the variance rises from {_fmt(ridge[0].variance)} "
           rf"to its largest value {_fmt(peak_r.variance)} at $H = {peak_r.H}$: the classical trade-off. Beyond that "
           rf"the variance does not keep growing; it settles near {_fmt(ridge[-1].variance)} while bias$^2$ stays "
           r"small, because the penalty, not the width, now controls the fit. "
           rf"With minimum-norm least squares the variance explodes near the interpolation threshold $H \approx n "
           rf"= {cfg.n}$ (largest at $H = {peak_m.H}$: {_fmt(peak_m.variance)}) and then falls again, to "
           rf"{_fmt(mn[-1].variance)} at $H = {mn[-1].H}$, with bias$^2$ {_fmt(mn[-1].bias2)}: the ``double "
           r"descent'' of Belkin et al.\ (PNAS 2019). So ``more hidden units $\Rightarrow$ higher variance'' holds "
           r"for small $H$, below the interpolation threshold; it fails for very wide networks, whose variance "
           r"falls again (unregularised) or levels off (regularised).")
    p.text(rf"Trained networks tell a third story. Bias$^2$ falls from {_fmt(trained[0].bias2)} at $H = 1$ to at "
           rf"most {_fmt(small_bias)} from $H = {low_t.H}$ on. The variance does not start low: it is "
           rf"{_fmt(trained[0].variance)} at $H = 1$ and smallest, {_fmt(low_t.variance)}, at $H = {low_t.H}$; a "
           r"network with very few units depends strongly on its random start, and that spread of the trained "
           r"fits counts as variance here (we did not separate it from the spread due to the data). Beyond "
           rf"$H = {low_t.H}$ the variance grows, as the handwritten answer says, but only mildly and not "
           r"monotonically (with $L = " + str(tc.datasets) + r"$ the estimates fluctuate): to "
           rf"{_fmt(peak_t.variance)} at $H = {peak_t.H}$, {peak_t.variance / low_t.variance:.2g} times its "
           rf"smallest value, with no peak at $H = n$ ({_fmt(at_n.variance)} there) and training error "
           rf"{_fmt(trained[-1].train_error)} at $H = {trained[-1].H}$: below the noise variance "
           rf"{_fmt(tc.noise**2)}, so it fits some of the noise, but far from 0. With a fixed number of gradient "
           rf"steps and weight decay the wide network does not interpolate its {tc.n} points, and nothing like the "
           r"minimum-norm peak appears. So the classical half of the story (bias down, variance up) holds for the "
           r"trained networks only from a few units on, and its variance side is weak. "
           rf"In every row of the three tables the measured error equals noise + bias$^2$ + variance to within a "
           rf"relative {_fmt(worst_gap)}.")
    return p
