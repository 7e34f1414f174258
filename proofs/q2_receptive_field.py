"""Q2: how many units of the 4th layer one input pixel reaches through four 3x3 convolutions of stride 1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from derive import Proof, proof
from derive.calculus.receptive import (
    dependency_region,
    influence_count_formula,
    influence_interval,
    influence_region,
    interval_count,
    receptive_field,
)
from derive.calculus.receptive_checks import impulse_response, symbolic_dependencies
from derive.calculus.stack_symbols import StackSymbols
from derive.calculus.tidy import peel_last

#: The assignment's stack: four 3x3 convolutions, stride 1, "same" zero padding.
ASSIGNMENT = ({"kernel": 3, "padding": 1},) * 4
#: Image of the border-case table (small, so that the symbolic check stays fast).
TABLE_IMAGE = (12, 12)
#: Pixels of the border-case table: corner, next to a corner, edge, interior.
TABLE_PIXELS = ((0, 0), (1, 2), (0, 6), (6, 6))

#: AlexNet up to pool5. Kernel sizes and strides: Krizhevsky, Sutskever and Hinton, "ImageNet Classification
#: with Deep Convolutional Neural Networks", NIPS 2012, Sec. 3.4 (overlapping pooling, z = 3, s = 2), Sec. 3.5
#: and Fig. 2. The paper gives no paddings; these are those of the BVLC Caffe reference model (bvlc_alexnet).
ALEXNET = (
    {"kernel": 11, "stride": 4}, {"kernel": 3, "stride": 2},
    {"kernel": 5, "padding": 2}, {"kernel": 3, "stride": 2},
    {"kernel": 3, "padding": 1}, {"kernel": 3, "padding": 1}, {"kernel": 3, "padding": 1},
    {"kernel": 3, "stride": 2},
)
#: VGG-16 (configuration D) up to pool5: Simonyan and Zisserman, "Very Deep Convolutional Networks for
#: Large-Scale Image Recognition", ICLR 2015, Table 1 and Sec. 2.1 (3x3 convolutions, stride 1, padding 1;
#: 2x2 max pooling, stride 2).
_CONV, _POOL = {"kernel": 3, "padding": 1}, {"kernel": 2, "stride": 2}
VGG16 = (_CONV,) * 2 + (_POOL,) + (_CONV,) * 2 + (_POOL,) + ((_CONV,) * 3 + (_POOL,)) * 3
#: Architectures of the table: name, layer list, source.
ARCHITECTURES: tuple[tuple[str, tuple[Mapping[str, Any], ...], str], ...] = (
    ("AlexNet, pool5", ALEXNET, "Krizhevsky et al.\\ 2012, Sec.~3.4--3.5, Fig.~2"),
    ("VGG-16, conv5\\_3", VGG16[:-1], "Simonyan \\& Zisserman 2015, Table~1 (D)"),
    ("VGG-16, pool5", VGG16, "Simonyan \\& Zisserman 2015, Table~1 (D)"),
)

Z = StackSymbols.make()
X, Y = sp.symbols("i j", integer=True, nonnegative=True)
N = sp.Symbol("n", integer=True, positive=True)


def _depth_sampler(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
    """A depth ``L`` from 0 to 4."""
    return {Z.L: sp.Integer(int(rng.integers(0, 5)))}


def count_formula(layers: tuple[Mapping[str, Any], ...] = ASSIGNMENT) -> sp.Expr:
    """Closed-form number of layer-L units reached by pixel ``(i, j)`` of an ``n x n`` image."""
    return influence_count_formula(layers, X, N, 0) * influence_count_formula(layers, Y, N, 1)


def interior_sampler(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
    """An image size and a pixel at least ``(r - 1)/2`` from every border."""
    n = int(rng.integers(9, 33))
    return {N: sp.Integer(n), X: sp.Integer(int(rng.integers(4, n - 4))), Y: sp.Integer(int(rng.integers(4, n - 4)))}


def border_sampler(rng: np.random.Generator) -> dict[sp.Basic, sp.Basic]:
    """An image size and one of its four corner pixels."""
    n = int(rng.integers(9, 33))
    return {N: sp.Integer(n), X: sp.Integer(int(rng.choice([0, n - 1]))), Y: sp.Integer(int(rng.choice([0, n - 1])))}


def border_cases() -> list[tuple[Any, ...]]:
    """Rows of the border-case table: the four checks of the count of each pixel of :data:`TABLE_PIXELS`."""
    deps = symbolic_dependencies(ASSIGNMENT, TABLE_IMAGE)
    rows = []
    for pixel in TABLE_PIXELS:
        interval = influence_interval(ASSIGNMENT, TABLE_IMAGE, pixel)
        symbolic = sum(1 for region in deps.values() if pixel in region.indices)
        (r0, r1), (c0, c1) = interval
        rows.append((f"$({pixel[0]}, {pixel[1]})$", f"${r0}..{r1} \\times {c0}..{c1}$",
                     sp.Integer(interval_count(interval)), sp.Integer(influence_region(ASSIGNMENT, TABLE_IMAGE,
                                                                                       pixel).count),
                     sp.Integer(impulse_response(ASSIGNMENT, TABLE_IMAGE, pixel).count), sp.Integer(symbolic)))
    return rows


def growth_figure(size: int = 11) -> str:
    """TikZ: the units reached by the centre pixel after 0, 1, ..., 4 layers, computed by the engine."""
    centre = (size // 2, size // 2)
    cell = 0.22
    parts = [r"\begin{tikzpicture}"]
    for depth in range(len(ASSIGNMENT) + 1):
        region = influence_region(ASSIGNMENT[:depth], (size, size), centre)
        x0 = depth * (size + 2) * cell
        for i, j in region.indices:
            parts.append(rf"\fill[blue!45] ({x0 + j * cell:.2f},{-(i + 1) * cell:.2f}) rectangle "
                         rf"({x0 + (j + 1) * cell:.2f},{-i * cell:.2f});")
        parts.append(rf"\draw[very thin,gray] ({x0:.2f},{-size * cell:.2f}) grid[step={cell}] "
                     rf"({x0 + size * cell:.2f},0);")
        h, w = region.extent()
        label = "input" if depth == 0 else f"layer {depth}"
        parts.append(rf"\node[below] at ({x0 + size * cell / 2:.2f},{-size * cell:.2f}) "
                     rf"{{\footnotesize {label}: ${h}\times{w}$}};")
    parts.append(r"\end{tikzpicture}")
    return "\n".join(parts)


@proof
def receptive_field_recurrence() -> Proof:
    p = Proof("q2_recurrence", "Q2: receptive fields of a stack of convolutions", question="Q2")
    z, L = Z, Z.L
    layer = L + 1
    p.text(r"A layer is a window: kernel size $k$, stride $s$, left/top zero padding $p$ and dilation $d$, per "
           r"spatial axis (a pooling layer is the same kind of window). Unit $u$ of layer $l$ reads the units "
           r"$u s_l - p_l + a d_l$, $a = 0, \dots, k_l - 1$, of layer $l - 1$; taps that fall in the padding read "
           r"zeros. Along one axis, let unit $v$ of layer $l-1$ read the input positions "
           r"$v S_{l-1} - P_{l-1}, \dots, v S_{l-1} - P_{l-1} + r_{l-1} - 1$: $r$ is the size of the receptive "
           r"field, $S$ the effective stride and $P$ the effective padding. The input itself has "
           r"$r_0 = S_0 = 1$ and $P_0 = 0$.")
    first, last = z.one_layer_span(layer)
    p.text(r"\paragraph{One layer.} The first tap ($a = 0$) reads the first input position and the last tap "
           r"($a = k - 1$) the last one. The engine composes the two spans and reads off the three quantities:")
    p.define(sp.Symbol(r"\mathrm{first}(u)"), first, "first input read by unit $u$ of layer $L+1$")
    p.define(sp.Symbol(r"\mathrm{last}(u)"), last, "last input read")
    size_rec = sp.expand(last - first + 1)
    stride_rec = sp.diff(first, z.u)
    pad_rec = sp.expand(-first.subs(z.u, 0))
    p.chain(last - first + 1,
            (size_rec, r"Expand: the terms in $u$, $p$ and $P$ cancel."),
            (z.r[L] + (z.k[layer] - 1) * z.d[layer] * z.S[L], r"Collect: the size grows by "
             r"$(k - 1) d$ steps of the stride of the layer below."), sampler=_depth_sampler)
    p.claim(stride_rec, z.S[L] * z.s[layer], r"Effective stride: the coefficient of $u$ in $\mathrm{first}(u)$.",
            sampler=_depth_sampler)
    p.claim(pad_rec, z.P[L] + z.p[layer] * z.S[L], r"Effective padding: $-\mathrm{first}(0)$.",
            sampler=_depth_sampler)

    p.text(r"\paragraph{Closed forms.} Unrolling the recurrence suggests, for a stack of $L$ layers,")
    closed = {"size": (z.r, z.closed_size), "stride": (z.S, z.closed_stride), "padding": (z.P, z.closed_padding)}
    for seq, form in closed.values():
        p.define(seq[L], form(L))
    p.text(r"\paragraph{Proof by induction on $L$.} Base case $L = 0$ (empty sums are $0$, empty products $1$):")
    for (seq, form), start in zip(closed.values(), (1, 1, 0)):
        p.claim(form(0), sp.Integer(start), rf"${seq}_0$ of the input.", sampler=_depth_sampler)
    p.text(r"Induction step: assume the closed forms at $L$. Split the last term off each sum and product at "
           r"$L + 1$; what remains is the recurrence applied to the closed forms at $L$:")
    at_L = {z.r[L]: z.closed_size(L), z.S[L]: z.closed_stride(L), z.P[L]: z.closed_padding(L)}
    for rec, (_, form) in zip((size_rec, stride_rec, pad_rec), closed.values()):
        applied = rec.xreplace(at_L)
        p.chain(form(L + 1),
                (peel_last(form(L + 1)), r"Split off the term $l = L + 1$."),
                (applied, r"The one-layer recurrence applied to the closed forms at $L$."),
                sampler=_depth_sampler)
    p.text(r"So the closed forms hold for every depth. For the assignment's stack ($L = 4$, $k_l = 3$, $s_l = "
           r"d_l = 1$, $p_l = 1$) they give")
    rf = receptive_field(ASSIGNMENT)
    values = {b[m]: sp.Integer(v) for m in range(1, 5)
              for b, v in ((z.k, 3), (z.s, 1), (z.d, 1), (z.p, 1))}
    p.result(z.closed_size(4).doit(), sp.Integer(rf.size), "Receptive field of the 4th layer (9 x 9).",
             hypotheses=values)
    p.claim(z.closed_stride(4).doit(), sp.Integer(rf.stride), "Effective stride.", hypotheses=values)
    p.claim(z.closed_padding(4).doit(), sp.Integer(rf.padding), "Effective padding.", hypotheses=values)

    p.text(r"\paragraph{Well-known architectures.} The same calculator on published layer lists (pooling layers "
           r"included), for the last unit named:")
    rows = []
    for name, layers, source in ARCHITECTURES:
        arch = receptive_field(layers)
        rows.append((name, str(len(layers)), sp.Integer(arch.size), sp.Integer(arch.stride),
                     sp.Integer(arch.padding), source))
    p.table(("Network, unit", "layers", "$r$", "$S$", "$P$", "Source of the layer list"), rows,
            "Receptive field $r$, effective stride $S$ and effective padding $P$ computed from the layer lists. "
            "AlexNet's paddings are not given in the paper; those of the BVLC Caffe reference model are used "
            "(they change $P$ only).")
    return p


@proof
def influence_regions() -> Proof:
    p = Proof("q2_influence", "Q2: how many 4th-layer units one pixel affects", question="Q2")
    rf = receptive_field(ASSIGNMENT)
    p.text(r"Unit $u$ of the 4th layer depends on input pixel $x$ exactly when $x$ lies in its span "
           rf"$u - {rf.padding}, \dots, u + {rf.size - 1 - rf.padding}$ (stride 1, no holes). So pixel $(i, j)$ of an "
           r"$n \times n$ image reaches the units of the 4th layer in a square that is clipped at the border; "
           r"the engine's closed form for their number is")
    c = sp.Function("N")(X, Y)
    formula = count_formula()
    p.define(c, formula)
    p.text(r"For a pixel at least four positions away from every border (checked at random image sizes "
           r"$9 \le n \le 32$ and random interior pixels):")
    p.result(formula, sp.Integer(81), r"Interior pixel: $9 \times 9 = (1 + \sum_l (k_l - 1))^2$ units.",
             sampler=interior_sampler, by_points=True)
    p.text("Near the border fewer units exist to be reached:")
    p.claim(formula, sp.Integer(25), r"Corner pixel $(0, 0)$: $5 \times 5$ units (for every $n \ge 5$).",
            hypotheses={X: 0, Y: 0}, sampler=lambda rng: {N: sp.Integer(int(rng.integers(5, 33)))}, by_points=True)
    p.claim(formula, sp.Integer(45), r"Edge pixel $(0, j)$ with $4 \le j \le n - 5$: $5 \times 9$ units.",
            hypotheses={X: 0}, sampler=lambda rng: interior_sampler(rng) | {X: sp.Integer(0)}, by_points=True)
    p.text(r"\paragraph{Three independent checks.} On a $12 \times 12$ image the closed form is compared with "
           r"(1) the engine's exact set, propagated layer by layer; (2) impulse propagation: four NumPy "
           r"convolutions with strictly positive kernels applied to a one-hot image, counting the non-zero "
           r"outputs; (3) the network's own expressions: the four layers built symbolically with "
           r"\texttt{derive.model.windows.correlate}, reading the input symbols that each output depends on "
           r"(\texttt{free\_symbols}).")
    p.table(("pixel", "units reached (rows $\\times$ cols)", "closed form", "exact set", "impulse", "symbolic"),
            border_cases(), "All four counts agree for every pixel shown.")
    p.figure(growth_figure(), r"Units reached by the centre pixel after $0, 1, \dots, 4$ layers of $3\times 3$ "
             r"convolutions with stride 1, computed by \texttt{derive.influence\_region}.")
    strided = ({"kernel": 3, "stride": 2, "padding": 1},) * 2
    srf = receptive_field(strided)
    reach = influence_region(strided, (16, 16), (9, 9))
    dep = dependency_region(strided, (16, 16), (2, 2))
    p.text(rf"With strides the two notions differ: after two $3\times 3$ layers of stride 2 the receptive "
           rf"field is ${srf.size}\times{srf.size}$ (the engine's exact set of inputs of a central unit has "
           rf"{dep.count} elements), but pixel $(9, 9)$ of a $16 \times 16$ image reaches only {reach.count} units "
           rf"of layer 2, because the units are {srf.stride} input positions apart.")

    p.text(r"\paragraph{Review of the handwritten solution.} The handwritten answer lets the support grow by 2 "
           r"per layer, $1\times 1 \to 3\times 3 \to \dots \to 9\times 9$, and concludes that a pixel affects "
           r"81 units of the 4th layer. This is right for an interior pixel (the boxed result above), but it is "
           r"stated for every pixel; at the corners of the image it fails:")
    p.refute(formula, sp.Integer(81), r"Handwritten: every pixel reaches $9 \times 9 = 81$ units.",
             sampler=border_sampler)
    return p
