"""Q1: backpropagation through the residual convolution block, derived by reverse mode and checked exactly.

The block is built with the public API that users have: :class:`derive.model.array.Array` leaves with symbolic
sizes and the PyTorch-style functions of :mod:`derive.model.layers`; :class:`derive.Gradient` derives its
gradients, and every line printed below is one of the derived objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from derive import Proof, proof
from derive.calculus.backprop import check_lemma, vjp_lemmas
from derive.calculus.backprop import exact_sweep as index_sweep
from derive.calculus.backprop import numeric_check as index_numeric_check
from derive.calculus.gradient import Gradient
from derive.calculus.reverse import local_vjp
from derive.document.article import error_bound
from derive.model.activations import Indicator, ReLU
from derive.model.array import Array, ArrayOp, Cotangent, size_symbol
from derive.model.layers import conv2d
from derive.model.ops import Conv2d
from derive.model.spec import Spec
from derive.numeric.evaluate import EXACT, evaluate
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

H_SIZE, W_SIZE = size_symbol("H"), size_symbol("W")
#: The kernels' half-widths: kernel sizes k_l = 2 q_l + 1 (odd, any size, also larger than the image).
Q1_HALF, Q2_HALF = sp.Symbol("q_1", integer=True, nonnegative=True), sp.Symbol("q_2", integer=True, nonnegative=True)


class Partial(Cotangent):
    r"""The cotangent of ``v`` in the question's notation, :math:`\partial L/\partial v`."""

    def _latex(self, printer: Any) -> str:
        return f"\\frac{{\\partial L}}{{\\partial {printer._print(self.of)}}}"


def residual_block(channels: tuple[int, int] | None = None) -> Gradient:
    """The residual block of Q1 and its derived gradient, built from ``Array`` leaves and ``derive.model.layers``.

    Without ``channels`` the image is ``H×W`` and the kernels ``k_l×k_l`` with ``k_l = 2q_l + 1``; with
    ``(C, C1)`` the image is ``C×H×W``, ``w^{(1)}`` is ``C1×C×k_1×k_1`` and ``w^{(2)}`` is ``C×C1×k_2×k_2``.

    Examples
    --------
    >>> sorted(residual_block().closed_forms)
    ['w^{(1)}', 'w^{(2)}', 'x']
    """
    k1, k2 = 2 * Q1_HALF + 1, 2 * Q2_HALF + 1
    c, c1 = channels if channels else (None, None)
    image = (H_SIZE, W_SIZE) if c is None else (c, H_SIZE, W_SIZE)
    hidden = (H_SIZE, W_SIZE) if c1 is None else (c1, H_SIZE, W_SIZE)
    x = Array("x", image)
    w1 = Array("w^{(1)}", (k1, k1) if c is None else (c1, c, k1, k1), "param")
    w2 = Array("w^{(2)}", (k2, k2) if c is None else (c, c1, k2, k2), "param")
    h1, z1 = Array("h^{(1)}", hidden, "node"), Array("z^{(1)}", hidden, "node")
    h2, h3, y = (Array(n, image, "node") for n in ("h^{(2)}", "h^{(3)}", "y"))
    definitions = {h1: conv2d(x, w1, padding="same"), z1: ReLU(h1), h2: conv2d(z1, w2, padding="same"),
                   h3: h2 + x, y: ReLU(h3)}
    spec = Spec(leaves={leaf.name: leaf for leaf in (x, w1, w2)}, nodes={n.name: n for n in definitions},
                definitions=definitions, output=y)
    return Gradient(spec)


BLOCK = residual_block()
X, W1, W2 = BLOCK.spec.leaves.values()
H1, Z1, H2, H3, Y = BLOCK.spec.order
G = Partial(Y)


def notation(expr: sp.Basic) -> sp.Basic:
    r"""An engine object with each cotangent written in the question's notation :math:`\partial L/\partial v`."""
    return expr.xreplace({c: Partial(c.of) for c in expr.atoms(Cotangent) if not isinstance(c, Partial)})


def chain(leaf: Array, grads: Gradient = BLOCK) -> list[sp.Expr]:
    """The reverse-mode lines for ``∂L/∂leaf``: its rule, then one adjoint substituted by its own rule at a time.

    The adjoint of the node latest in the forward order is replaced first, until only ``∂L/∂y`` is left.
    """
    order = [*grads.spec.order]
    rules = {Cotangent(n): grads.chain[n] for n in order if n in grads.chain and n != grads.output}
    expr = grads.chain[leaf]
    lines = [notation(expr)]
    while True:
        pending = [c for c in expr.atoms(Cotangent) if c in rules]
        if not pending:
            return lines
        latest = max(pending, key=lambda c: order.index(c.of))
        expr = expr.xreplace({latest: rules[latest]})
        lines.append(notation(expr))


def closed(leaf: Array, grads: Gradient = BLOCK) -> sp.Expr:
    """The gradient of ``leaf`` in the block's nodes and ``∂L/∂y`` (the last line of :func:`chain`)."""
    return chain(leaf, grads)[-1]


def _grid(name: str, shape: tuple[int, ...]) -> np.ndarray:
    base = sp.IndexedBase(name, real=True)
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        out[index] = base[index]
    return out


def _matrix(values: Any) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(np.asarray(values, dtype=object).tolist())


class Elementwise:
    """The block written out entry by entry at ``SHAPE`` and ``KERNELS``, and SymPy's ``diff`` of ``L = Σ g y``.

    Leaves are matrices of their elements; each node is its forward expansion, computed by the engine's exact
    evaluator; ``∂L/∂v`` for a node or a leaf ``v`` is SymPy's own ``diff`` of ``L = Σ_ij g_ij y_ij`` with
    respect to the entries of ``v`` (the nodes after ``v`` recomputed from a free ``v``), the oracle that the
    derived formulas are compared with.
    """

    def __init__(self, grads: Gradient = BLOCK) -> None:
        self.grads = grads
        spec = grads.spec
        ks = dict(zip((W1, W2), KERNELS))
        self.leaves = {X: _grid("x", SHAPE), **{w: _grid(w.name, (k, k)) for w, k in ks.items()}}
        self.upstream = _grid("g", SHAPE)
        self.forward = self._forward(dict(self.leaves))
        self.sizes = {Q1_HALF: sp.Integer((KERNELS[0] - 1) // 2), Q2_HALF: sp.Integer((KERNELS[1] - 1) // 2)}
        self.adjoints: dict[Array, np.ndarray] = {}
        for v in [*spec.leaves.values(), *spec.order]:
            self.adjoints[v] = self._diff(v)

    def _forward(self, known: dict[Array, Any]) -> dict[Array, Any]:
        values = dict(known)
        for node in self.grads.spec.order:
            if node not in values:
                values[node] = evaluate([self.grads.spec.definitions[node]], values, EXACT)[0]
        return values

    def _diff(self, v: Array) -> np.ndarray:
        free = _grid(f"v_{len(self.adjoints)}", np.shape(self.forward[v]))
        order = self.grads.spec.order
        known = {leaf: value for leaf, value in self.leaves.items()}
        if v in order:
            known.update({n: self.forward[n] for n in order[: order.index(v)]})
        known[v] = free
        y = self._forward(known)[self.grads.output]
        loss = sp.Add(*(np.asarray(y * self.upstream, dtype=object).ravel().tolist()))
        back = {s: self.forward[v][i] for i, s in np.ndenumerate(free)}
        out = np.empty(free.shape, dtype=object)
        for i, s in np.ndenumerate(free):
            out[i] = sp.diff(loss, s).xreplace(back)
        return out

    def value(self, expr: sp.Basic) -> sp.ImmutableMatrix:
        """The entries of an operator formula over the block's arrays and adjoints, by the engine's evaluator."""
        given: dict[Array, Any] = {**self.leaves}
        given.update({n: self.forward[n] for n in self.grads.spec.order})
        for c in expr.atoms(Cotangent):
            given[Array(c.name, c.shape, "cotangent")] = self.upstream if c.of == Y else self.adjoints[c.of]
        concrete = expr.xreplace({c: Array(c.name, c.shape, "cotangent") for c in expr.atoms(Cotangent)})
        return _matrix(evaluate([concrete], given, EXACT)[0])

    def rules(self, *exprs: sp.Basic) -> dict[sp.Basic, Any]:
        """Replacement rules for a claim: every array of the block by its entries, the sizes of the instance,
        and each side ``exprs`` by its entries as the engine evaluates it."""
        rules: dict[sp.Basic, Any] = {X: _matrix(self.leaves[X]), W1: _matrix(self.leaves[W1]),
                                      W2: _matrix(self.leaves[W2])}
        rules.update({n: _matrix(self.forward[n]) for n in self.grads.spec.order})
        rules.update({Partial(v): _matrix(a) for v, a in self.adjoints.items() if v != Y})
        rules[G] = _matrix(self.upstream)
        rules.update(self.sizes)
        for e in exprs:
            if e not in rules:
                rules[e] = self.value(e)
        return rules


def handwritten() -> dict[str, tuple[sp.Basic, sp.Basic, bool]]:
    """The handwritten Q1 results, transcribed with ∗ read as the block's correlation: (lhs, rhs, correct)."""
    conv1, conv2 = BLOCK.spec.definitions[H1], BLOCK.spec.definitions[H2]
    delta3 = G * Indicator(H3)
    return {
        "w2": (Partial(W2), conv2.vjp(2, delta3), True),
        "w1": (Partial(W1), conv1.vjp(2, conv2.vjp(1, G * Indicator(H2)) * Indicator(H1)), False),
        "x": (Partial(X), delta3 + Conv2d(conv2.vjp(1, delta3) * Indicator(H1), W1, *conv1.params), False),
    }


def false_variants() -> dict[str, tuple[sp.Basic, sp.Basic]]:
    """Wrong formulas that the checks must reject."""
    conv1, conv2 = BLOCK.spec.definitions[H1], BLOCK.spec.definitions[H2]
    delta3 = G * Indicator(H3)
    hw = handwritten()
    return {
        "mask [h2 > 0] in dL/dw1": hw["w1"][:2],
        "w1 not flipped in dL/dx": hw["x"][:2],
        "skip term dropped in dL/dx": (Partial(X), conv1.vjp(1, conv2.vjp(1, delta3) * Indicator(H1))),
        "w2 not flipped in dL/dz1": (Partial(Z1), Conv2d(delta3, W2, *conv2.params)),
    }


def tikz_graph(grads: Gradient = BLOCK, spacing: float = 3.0) -> str:
    """A TikZ picture of the block, generated from the block's definitions and the operators' own rules.

    Top row: the forward flow, left to right, with each operator on its arrow, the kernels above their
    correlations and the skip connection arching over. Bottom row: the adjoints ``∂L/∂a`` in red, the backward
    flow right to left, each arrow labelled with the rule the engine applies (the node's ``vjp`` with the
    upstream gradient written ``g``); the kernel gradients sit between the rows.
    """
    spec = grads.spec
    dot = Array("g", (H_SIZE, W_SIZE), "cotangent")
    inputs = [leaf for leaf in spec.leaves.values() if leaf.kind == "input"]
    kernels = [leaf for leaf in spec.leaves.values() if leaf.kind == "param"]
    order = [*inputs, *spec.order]
    column = {n: spacing * i for i, n in enumerate(order)}
    fwd = {n: f"f{i}" for i, n in enumerate(order)}
    back = {n: f"b{i}" for i, n in enumerate(order)}
    users = {w: next(n for n in spec.order if w in spec.definitions[n].args) for w in kernels}
    for i, w in enumerate(kernels):
        fwd[w], back[w] = f"fk{i}", f"bk{i}"
        source = spec.definitions[users[w]].args[0]
        column[w] = (column[source] + column[users[w]]) / 2
    box = "draw, rounded corners, minimum width=9mm, minimum height=6mm"
    red = "red!70!black"
    lines = [r"\begin{tikzpicture}[>={Stealth}, every node/.style={font=\small}]"]
    for n in order:
        lines.append(f"\\node[{box}] ({fwd[n]}) at ({column[n]:.2f},0) {{${latex(n)}$}};")
        lines.append(f"\\node[{box}, {red}] ({back[n]}) at ({column[n]:.2f},-2.8) {{${latex(Partial(n))}$}};")
    for w in kernels:
        lines.append(f"\\node[{box}] ({fwd[w]}) at ({column[w]:.2f},1.3) {{${latex(w)}$}};")
        lines.append(f"\\node[{box}, {red}] ({back[w]}) at ({column[w]:.2f},-1.35) {{${latex(Partial(w))}$}};")
    labels = {Conv2d: r"$\ast$", ReLU: r"$\operatorname{ReLU}$", sp.Add: "$+$"}
    for n in spec.order:
        op = spec.definitions[n]
        operands = op.arrays if isinstance(op, ArrayOp) else op.args
        for index, arg in enumerate(operands, start=1):
            rule = f"${latex(local_vjp(op, index, dot))}$"
            if arg in kernels:
                lines.append(f"\\draw[->] ({fwd[arg]}) -- ({fwd[n]});")
                lines.append(f"\\draw[->, {red}] ({back[n]}) -- node[right, font=\\scriptsize, pos=0.45] "
                             f"{{{rule}}} ({back[arg]});")
                continue
            if order.index(n) - order.index(arg) == 1:
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
    elementwise = Elementwise()
    instance = f"$H\\times W = {SHAPE[0]}\\times {SHAPE[1]}$, $k_1 = {KERNELS[0]}$, $k_2 = {KERNELS[1]}$"
    p.text(r"The block, as an operator graph the engine differentiates in reverse mode; it is built with the "
           r"engine's public layer functions (\texttt{conv2d} with \texttt{padding='same'}, \texttt{relu}, $+$) on "
           r"arrays with symbolic sizes: the image $x$ is $H\times W$ and the kernel $w^{(l)}$ is $k_l\times k_l$ "
           r"with $k_l = 2q_l+1$. Here $\ast$ is the size-preserving zero-padded cross-correlation with an odd "
           r"$k\times k$ kernel (any $k$, also larger than the $H\times W$ image), $\operatorname{flip}$ rotates a "
           r"kernel by $180^\circ$, $\odot$ is the elementwise product, $[h>0]$ the elementwise mask (0 at the "
           r"kink, as in frameworks), and $x \star g$ is the correlation whose output has the size $k\times k$ of "
           r"the kernel it is the gradient of: $(x\star g)_{ab} = \sum_{ij} g_{ij}\, x_{i+a-q,\,j+b-q}$, "
           r"$k = 2q+1$.")
    for n in BLOCK.spec.order:
        p.define(n, BLOCK.spec.definitions[n])
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
           r"SymPy's own \texttt{diff} of $L = \sum_{ij} g_{ij} y_{ij}$ (the right side evaluated by the "
           r"engine's exact evaluator).")
    for leaf in (Z1, W2, W1, X):
        lines = chain(leaf)
        links = [(e, "Rule of the node, then substitute the adjoint.") for e in lines]
        p.chain(Partial(leaf), *links, hypotheses=elementwise.rules(*lines), instance=instance)
    p.text("Hence:")
    for leaf in (W2, W1, X):
        form = closed(leaf)
        p.result(Partial(leaf), form, "Reverse mode through the graph; the exact sweep below checks the same closed "
                 "form at every size up to $6\\times 6$.", hypotheses=elementwise.rules(form),
                 instance=instance)

    p.text(r"\paragraph{Exact checks for all small sizes.} For every image size from $1\times1$ to $6\times6$ "
           r"(also non-square) and $k_1 = k_2 \in \{1, 3, 5\}$ (so also kernels larger than the image), the "
           r"closed forms (the index-level reference implementation \texttt{derive.calculus.backprop}, whose "
           r"formulas are the ones above) were evaluated in rational arithmetic at a random point away from the "
           r"kinks and compared with SymPy's \texttt{diff} of the expanded block (activation pattern fixed by "
           r"the point):")
    reports = index_sweep(6, (1, 3, 5))
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
        reports = index_sweep(MC_SIZE, MC_KERNELS, channels=[(c, c1)])
        r = index_numeric_check((c, 16, 16), 3, mid_channels=c1)
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
        r = index_numeric_check((64, 64), k)
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
    for key in ("w2", "w1", "x"):
        lhs, rhs, _ = hw[key]
        rules = elementwise.rules(rhs)
        if key == "w2":
            p.claim(lhs, rhs, "Handwritten; agrees with the derived result.", hypotheses=rules, instance=instance,
                    almost_everywhere=True)
            p.text(r"$\partial L/\partial w^{(1)}$ is wrong: it masks with $[h^{(2)}>0]$, but "
                   r"$y = \mathrm{ReLU}(h^{(3)})$ and $h^{(3)} = h^{(2)} + x$, so the mask is $[h^{(3)}>0]$:")
        elif key == "w1":
            p.refute(lhs, rhs, r"Handwritten, mask $[h^{(2)}>0]$.", hypotheses=rules, instance=instance)
            p.text(r"$\partial L/\partial x$ has the skip term right but is wrong: it correlates with $w^{(1)}$ "
                   r"instead of $\operatorname{flip}(w^{(1)})$ in the last step:")
        else:
            p.refute(lhs, rhs, r"Handwritten, $w^{(1)}$ not flipped.", hypotheses=rules, instance=instance,
                     almost_everywhere=True)
    return p
