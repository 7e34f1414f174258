"""Q1: backpropagation through the residual convolution block, derived by reverse mode and checked exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from derive import Proof, proof
from derive.calculus.backprop import (
    Gradients,
    Graph,
    backward,
    check_lemma,
    exact_sweep,
    forward_elementwise,
    kernel_sizes,
    numeric_check,
    residual_block,
    sympy_gradients,
    vjp_lemmas,
)
from derive.document.article import error_bound
from derive.model.nn import layer_symbol
from derive.model.operators import Adjoint, ArrayReLU, Correlate, Flip, Hadamard, KernelCorrelate, Mask, vjp
from derive.model.windows import symbol_grid
from derive.printing.latex import latex
from derive.verify.strategies import prove_zero

#: Concrete sizes at which the displayed operator-level claims are checked elementwise: image, kernels.
SHAPE, KERNELS = (2, 2), (3, 3)
#: Exhaustive lemma bound: every H, W <= LEMMA_BOUND and half-width q <= LEMMA_Q.
LEMMA_BOUND, LEMMA_Q = 2, 1
#: Symbolic budget (seconds) for proving each lemma for symbolic sizes.
LEMMA_TIMEOUT = 20.0
#: Multi-channel exact sweep: every image size up to MC_SIZE x MC_SIZE, these (C, C1) and kernel sizes.
MC_SIZE, MC_CHANNELS, MC_KERNELS = 3, ((2, 3), (3, 2)), (1, 3, 5)

BLOCK = residual_block()
GRADS = backward(BLOCK)
X, (W1, W2) = BLOCK.inputs[0], BLOCK.kernels
H1, Z1, H2, H3 = (layer_symbol("h", 1), layer_symbol("z", 1), layer_symbol("h", 2), layer_symbol("h", 3))
Y = BLOCK.output
G = Adjoint(Y)


def elementwise_rules(graph: Graph = BLOCK, grads: Gradients = GRADS) -> dict[sp.Basic, Any]:
    """Replacement rules: every array symbol and adjoint of the block -> its elementwise SymPy expansion.

    Leaves become matrices of array elements, nodes their forward expansions (via ``derive.model.windows``), and
    ``∂L/∂a`` SymPy's own ``diff`` of ``L = Σ g_ij y_ij``; so any operator formula over these symbols can be
    checked elementwise by ``verify_claim``.
    """
    leaves = {X: sp.ImmutableMatrix(symbol_grid("x", SHAPE))}
    leaves.update({w: sp.ImmutableMatrix(symbol_grid(str(w), (k, k))) for w, k in zip(graph.kernels, KERNELS)})
    upstream = sp.ImmutableMatrix(symbol_grid("g", SHAPE))
    rules: dict[sp.Basic, Any] = dict(forward_elementwise(graph, leaves))
    names = [n for n, _ in graph.nodes if n != graph.output]
    diffs = sympy_gradients(graph, leaves, upstream, [*graph.leaves, *names])
    rules.update({Adjoint(a): m for a, m in diffs.items()})
    rules[G] = upstream
    rules.update(kernel_sizes(graph, dict(zip(graph.kernels, KERNELS))))
    return rules


def handwritten() -> dict[str, tuple[sp.Basic, sp.Basic, bool]]:
    """The handwritten Q1 results, transcribed with ∗ read as the block's correlation: (lhs, rhs, correct)."""
    delta3 = Hadamard(G, Mask(H3))
    return {
        "w2": (Adjoint(W2), KernelCorrelate(Z1, delta3, GRADS.closed[W2].args[2]), True),
        "w1": (Adjoint(W1), KernelCorrelate(X, Hadamard(Correlate(Hadamard(G, Mask(H2)), Flip(W2)), Mask(H1)),
                                            GRADS.closed[W1].args[2]), False),
        "x": (Adjoint(X), delta3 + Correlate(Hadamard(Correlate(delta3, Flip(W2)), Mask(H1)), W1), False),
    }


def false_variants() -> dict[str, tuple[sp.Basic, sp.Basic]]:
    """Wrong formulas that the checks must reject."""
    delta3 = Hadamard(G, Mask(H3))
    hw = handwritten()
    return {
        "mask [h2 > 0] in dL/dw1": hw["w1"][:2],
        "w1 not flipped in dL/dx": hw["x"][:2],
        "skip term dropped in dL/dx": (Adjoint(X), Correlate(Hadamard(Correlate(delta3, Flip(W2)), Mask(H1)),
                                                             Flip(W1))),
        "w2 not flipped in dL/dz1": (Adjoint(Z1), Correlate(delta3, W2)),
    }


def tikz_graph(graph: Graph = BLOCK, spacing: float = 3.0) -> str:
    """A TikZ picture of the block, generated from the graph and the engine's rules.

    Top row: the forward flow, left to right, with each operator on its arrow, the kernels above their
    correlations and the skip connection arching over. Bottom row: the adjoints ``∂L/∂a`` in red, the backward
    flow right to left, each arrow labelled with the rule the engine applies (``vjp`` of the node with the
    upstream gradient written ``g``); the kernel gradients sit between the rows.
    """
    dot = sp.Symbol("g")
    order = [*graph.inputs, *[n for n, _ in graph.nodes]]
    column = {n: spacing * i for i, n in enumerate(order)}
    fwd = {n: f"f{i}" for i, n in enumerate(order)}
    back = {n: f"b{i}" for i, n in enumerate(order)}
    users = {w: next((n, op) for n, op in graph.nodes if w in op.args) for w in graph.kernels}
    for i, w in enumerate(graph.kernels):
        fwd[w], back[w] = f"fk{i}", f"bk{i}"
        source = users[w][1].args[0]
        column[w] = (column[source] + column[users[w][0]]) / 2
    box = "draw, rounded corners, minimum width=9mm, minimum height=6mm"
    red = "red!70!black"
    lines = [r"\begin{tikzpicture}[>={Stealth}, every node/.style={font=\small}]"]
    for n in order:
        lines.append(f"\\node[{box}] ({fwd[n]}) at ({column[n]:.2f},0) {{${latex(n)}$}};")
        lines.append(f"\\node[{box}, {red}] ({back[n]}) at ({column[n]:.2f},-2.8) {{${latex(Adjoint(n))}$}};")
    for w in graph.kernels:
        lines.append(f"\\node[{box}] ({fwd[w]}) at ({column[w]:.2f},1.3) {{${latex(w)}$}};")
        lines.append(f"\\node[{box}, {red}] ({back[w]}) at ({column[w]:.2f},-1.35) {{${latex(Adjoint(w))}$}};")
    labels = {Correlate: r"$\ast$", ArrayReLU: r"$\operatorname{ReLU}$", sp.Add: "$+$"}
    for n, op in graph.nodes:
        for index, arg in enumerate(op.args):
            rule = f"${latex(vjp(op, index, dot))}$"
            if arg in graph.kernels:
                lines.append(f"\\draw[->] ({fwd[arg]}) -- ({fwd[n]});")
                lines.append(f"\\draw[->, {red}] ({back[n]}) -- node[right, font=\\scriptsize, pos=0.45] "
                             f"{{{rule}}} ({back[arg]});")
                continue
            adjacent = order.index(n) - order.index(arg) == 1
            if adjacent:
                lines.append(f"\\draw[->] ({fwd[arg]}) -- node[above, font=\\scriptsize] "
                             f"{{{labels[type(op)]}}} ({fwd[n]});")
                lines.append(f"\\draw[->, {red}] ({back[n]}) -- node[below, font=\\scriptsize] "
                             f"{{{rule}}} ({back[arg]});")
            else:
                lift = 2.0 + 0.15 * (order.index(n) - order.index(arg))
                lines.append(f"\\draw[->] ({fwd[arg]}.north) .. controls +(0,{lift:.2f}) and +(0,{lift:.2f}) .. "
                             f"node[above, font=\\scriptsize] {{{labels[type(op)]} (skip)}} ({fwd[n]}.north);")
                lines.append(f"\\draw[->, {red}] ({back[n]}.south) .. controls +(0,{-lift + 1:.2f}) and "
                             f"+(0,{-lift + 1:.2f}) .. node[below, font=\\scriptsize] {{{rule} (skip)}} "
                             f"({back[arg]}.south);")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def lemma_proofs(timeout: float = LEMMA_TIMEOUT) -> dict[str, str | None]:
    """For each lemma, the symbolic strategy that proves it for symbolic sizes, or ``None`` (not proven)."""
    return {lem.name: prove_zero([lem.lhs - lem.rhs], timeout=timeout).strategy for lem in vjp_lemmas()}


def lemma_rows(proofs: dict[str, str | None] | None = None) -> list[tuple[str, str, str, str]]:
    """Per lemma: symbolic status, and the exhaustive exact check up to the bound: (lemma, symbolic, sizes, cases)."""
    proofs = proofs if proofs is not None else lemma_proofs()
    rows = []
    for lem in vjp_lemmas():
        cases = check_lemma(lem, LEMMA_BOUND, LEMMA_Q)
        sizes = ", ".join(str(s) for s in lem.sizes)
        status = f"proven for symbolic ${sizes}$" if proofs.get(lem.name) else "not proven (checked only)"
        rows.append((lem.name, status, f"$H, W \\le {LEMMA_BOUND}$" + (f", $q \\le {LEMMA_Q}$"
                                                                      if len(lem.sizes) > 2 else ""), f"{cases}"))
    return rows


def _names(names: list[str]) -> str:
    quoted = [f"({n})" for n in names]
    return ("the lemma " + quoted[0] if len(quoted) == 1
            else "the lemmas " + ", ".join(quoted[:-1]) + " and " + quoted[-1])


def _lemma_sampler(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
    H, W = sp.symbols("H W", integer=True, positive=True)
    q = sp.Symbol("q", integer=True, nonnegative=True)
    return {H: sp.Integer(int(rng.integers(1, 3))), W: sp.Integer(int(rng.integers(1, 3))),
            q: sp.Integer(int(rng.integers(0, 2)))}


@proof
def residual_backprop() -> Proof:
    p = Proof("residual_backprop", "Q1: backpropagation through the residual convolution block", question="Q1")
    rules = elementwise_rules()
    instance = f"$H\\times W = {SHAPE[0]}\\times {SHAPE[1]}$, $k_1 = {KERNELS[0]}$, $k_2 = {KERNELS[1]}$"
    p.text(r"The block, as an operator graph the engine differentiates in reverse mode. Here $\ast$ is the "
           r"size-preserving zero-padded cross-correlation with an odd $k\times k$ kernel (any $k$, also larger "
           r"than the $H\times W$ image), $\operatorname{flip}$ rotates a kernel by $180^\circ$, $\odot$ is the "
           r"elementwise product, $[h>0]$ the elementwise mask (0 at the kink, as in frameworks), and "
           r"$x \star_{k} g$ is the correlation whose output has the kernel size: "
           r"$(x\star_k g)_{ab} = \sum_{ij} g_{ij}\, x_{i+a-q,\,j+b-q}$, $k = 2q+1$.")
    for n, op in BLOCK.nodes:
        p.define(n, op)
    p.figure(tikz_graph(), "The residual block: forward flow (arrows) and the adjoints of backward flow.")

    proofs = lemma_proofs()
    proven = [name for name, how in proofs.items() if how]
    unproven = [name for name, how in proofs.items() if not how]
    strategies = sorted({how for how in proofs.values() if how})
    p.text(r"\paragraph{Lemmas.} Each operator carries its vector--Jacobian rule. In index form, with symbolic "
           r"sizes $H, W$ and kernel half-width $q$ (kernel size $k = 2q+1$), the left side below is SymPy's "
           r"derivative of $\langle g, \mathrm{op}\rangle$ and the right side the rule; zero padding is written "
           r"with Kronecker deltas. "
           + (f"The engine proves {_names(proven)} for symbolic sizes (strategy: " + "; ".join(strategies)
              + r"): each Kronecker delta is summed out against a summation index, with a range bracket where the "
              r"index it is set to may fall outside the image (the zero padding), and the correlation rules then "
              r"match after reversing the kernel indices, $c \mapsto 2q - c$, which is the flip. "
              if proven else "")
           + (f"The engine does not prove {_names(unproven)} for symbolic sizes; " if unproven else "")
           + r"In addition, each lemma is checked exactly for every size and every free index up to the bound in "
           r"the table, and at random sizes and values by the verifier.")
    for lem in vjp_lemmas():
        p.claim(lem.lhs, lem.rhs, f"Lemma ({lem.name}).", sampler=_lemma_sampler, timeout=LEMMA_TIMEOUT)
    p.table(("lemma", "symbolic sizes", "exhaustive exact check", "cases"), lemma_rows(proofs),
            "The index-form lemmas: proven for symbolic sizes, and checked exactly for all small sizes.")

    p.text(r"\paragraph{Reverse mode.} The engine walks the graph from $y$ back and applies one rule per use; "
           r"each line replaces one adjoint. Every equality is checked elementwise at "
           f"$H\\times W = {SHAPE[0]}\\times{SHAPE[1]}$, $k_1 = {KERNELS[0]}$, $k_2 = {KERNELS[1]}$ against "
           r"SymPy's own \texttt{diff} of $L = \sum_{ij} g_{ij} y_{ij}$.")
    for leaf in (Z1, W2, W1, X):
        steps = GRADS.chain(leaf)
        p.chain(Adjoint(leaf), *[(e, "Rule of the node, then substitute the adjoint.") for e in steps],
                hypotheses=rules, instance=instance)
    p.text("Hence:")
    for leaf in (W2, W1, X):
        p.result(Adjoint(leaf), GRADS.closed[leaf], "Reverse mode through the graph; the exact sweep below "
                 "checks the same closed form at every size up to $6\\times 6$.", hypotheses=rules, instance=instance)

    p.text(r"\paragraph{Exact checks for all small sizes.} For every image size from $1\times1$ to $6\times6$ "
           r"(also non-square) and $k_1 = k_2 \in \{1, 3, 5\}$ (so also kernels larger than the image), the "
           r"closed forms were evaluated in rational arithmetic at a random point away from the kinks and "
           r"compared with SymPy's \texttt{diff} of the expanded block (activation pattern fixed by the point):")
    reports = exact_sweep(6, (1, 3, 5))
    rows = [(f"${k}$", f"{sum(r.kernels[0] == k for r in reports)}",
             "all agree" if all(r.agree for r in reports if r.kernels[0] == k) else "MISMATCH")
            for k in (1, 3, 5)]
    p.table(("$k$", "image sizes", "result"), rows, "Exact agreement, rational arithmetic.")

    p.text(r"\paragraph{Multi-channel block.} The same graph, rules and closed forms carry over to "
           r"$C$ input channels and $C_1$ hidden channels: $x$ is $C\times H\times W$, $w^{(1)}$ is "
           r"$C_1\times C\times k\times k$ and $w^{(2)}$ is $C\times C_1\times k\times k$; $\ast$ sums over the "
           r"input channels, $\operatorname{flip}$ also swaps the two channel axes of a kernel (so the input rule "
           r"keeps its form), and $x\star_k g$ has one $k\times k$ block per pair of channels. The closed forms "
           r"derived above, evaluated exactly by the engine's array evaluator, were compared with SymPy's "
           r"\texttt{diff} of the expanded multi-channel block for every image size up to "
           f"${MC_SIZE}\\times{MC_SIZE}$ "
           r"and $k_1 = k_2 \in \{" + ", ".join(map(str, MC_KERNELS)) + r"\}$, and numerically by central "
           r"differences on $16\times16$ images with $3\times3$ kernels:")
    mc_rows = []
    for c, c1 in MC_CHANNELS:
        reports = exact_sweep(MC_SIZE, MC_KERNELS, channels=[(c, c1)])
        r = numeric_check((c, 16, 16), 3, mid_channels=c1)
        mc_rows.append((f"${c}$", f"${c1}$", f"{len(reports)}",
                        "all agree" if all(rep.agree for rep in reports) else "MISMATCH",
                        error_bound(r.fd_rel_error, threshold=1e-6)))
    p.table(("$C$", "$C_1$", "exact checks", "result", "finite differences, rel. error"), mc_rows,
            "Multi-channel block: exact agreement (rational arithmetic) and float64 finite differences.")

    p.text(r"\paragraph{Numerical checks.} On $64\times64$ images, directional derivatives of $\langle g, y\rangle$ "
           r"by central differences ($\varepsilon = 10^{-6}$) along 4 random directions, and the inner-product "
           r"test $\langle Jv, u\rangle = \langle v, J^{\top}u\rangle$ of the correlation rules:")
    num_rows = []
    for k in (3, 5):
        r = numeric_check((64, 64), k)
        num_rows.append((f"${k}\\times{k}$", error_bound(r.fd_rel_error, threshold=1e-6),
                         error_bound(r.inner_rel_error)))
    p.table(("kernel", "finite differences, rel. error", "inner product, rel. error"), num_rows,
            "Largest relative errors in float64, against the acceptance thresholds $10^{-6}$ (differences) and "
            "$10^{-10}$ (inner products).")

    p.text(r"\paragraph{Review of the handwritten Q1.} The scan writes $\neq$ where the convolution $\ast$ was "
           r"meant; we read every $\neq$ as $\ast$, and $(\cdot)\ast z^{(1)}$ in the $w^{(2)}$ result as the "
           r"correlation of $z^{(1)}$ with the masked gradient (the kernel-sized output). Under that reading "
           r"$\partial L/\partial w^{(2)}$ is correct:")
    hw = handwritten()
    p.claim(hw["w2"][0], hw["w2"][1], "Handwritten; agrees with the derived result.", hypotheses=rules,
            instance=instance, almost_everywhere=True)
    p.text(r"$\partial L/\partial w^{(1)}$ is wrong: it masks with $[h^{(2)}>0]$, but $y = \mathrm{ReLU}(h^{(3)})$ "
           r"and $h^{(3)} = h^{(2)} + x$, so the mask is $[h^{(3)}>0]$:")
    p.refute(hw["w1"][0], hw["w1"][1], r"Handwritten, mask $[h^{(2)}>0]$.", hypotheses=rules, instance=instance,
             almost_everywhere=True)
    p.text(r"$\partial L/\partial x$ has the skip term right but is wrong: it correlates with $w^{(1)}$ "
           r"instead of $\operatorname{flip}(w^{(1)})$ in the last step:")
    p.refute(hw["x"][0], hw["x"][1], r"Handwritten, $w^{(1)}$ not flipped.", hypotheses=rules, instance=instance,
             almost_everywhere=True)
    return p
