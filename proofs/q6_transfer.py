"""Q6: transfer learning with 20 images of each of 200 classes: procedure, head gradients, parameters, measurement."""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Proof, proof
from derive.calculus.softmax import (
    SoftmaxHead,
    collapse_deltas,
    finite_difference_error,
    softmax_head,
    softmax_xent,
    softmax_xent_gradients,
)
from derive.calculus.tidy import pull_constants
from derive.document.article import error_bound
from derive.document.proof import Chain, Step
from derive.model.params import count_by_block, dense_count
from proofs.support.resnet import resnet_basic
from proofs.support.transfer import TransferConfig, run, summary

#: The transfer experiment the document measures.
CONFIG = TransferConfig()
#: The assignment's numbers: new classes, images per class, classes of the deployed model, feature width.
NEW_CLASSES, PER_CLASS, OLD_CLASSES, WIDTH = 200, 20, 1000, 512
#: Class counts and widths of the random heads checked by finite differences; the seed of each is its index.
FD_SIZES = ((2, 1), (5, 3), (10, 16), (200, 512))
#: Data file of the measured accuracies (relative to output/).
DATA_NAME = "data/q6_transfer.dat"
#: Symbolic budget (seconds) of the delta-summing steps: no strategy sums a Kronecker delta against a free
#: index, so these steps are checked at points; a longer budget would only be spent failing.
DELTA_BUDGET = 0.5


def finite_difference_rows() -> list[tuple[str, str, str, str]]:
    """Relative gap between central differences and the derived gradients on random heads."""
    rows = []
    for seed, (C, F) in enumerate(FD_SIZES):
        rng = np.random.default_rng(seed)
        W, b = rng.normal(size=(C, F)) * 0.1, rng.normal(size=C) * 0.1
        Z = rng.normal(size=(8, F))
        Y = np.eye(C)[rng.integers(0, C, 8)]
        gW, gb = softmax_xent_gradients(W, b, Z, Y)
        eW = finite_difference_error(lambda w, b=b, Z=Z, Y=Y: softmax_xent(w, b, Z, Y), gW, W, seed=seed)
        eb = finite_difference_error(lambda v, W=W, Z=Z, Y=Y: softmax_xent(W, v, Z, Y), gb, b, seed=seed)
        rows.append((f"${C}, {F}$", str(seed), error_bound(eW, threshold=1e-6), error_bound(eb, threshold=1e-6)))
    return rows


def delta_chain(head: SoftmaxHead, wrt: sp.Basic, loss: sp.Symbol, a: sp.IndexedBase) -> Chain:
    """``dL/d(wrt)`` = SymPy's ``diff`` with the deltas summed out = the same with ``p`` named.

    The first link is checked at exact random points under a short budget (see ``DELTA_BUDGET``); the
    second, naming the softmax ratio, is proven symbolically.
    """
    i, k = head.i, head.k
    raw = sp.diff(head.log_softmax_loss(), wrt)
    names = {head.logit(i): a[i], head.logit(k): a[k]}
    summed = pull_constants(sp.expand(collapse_deltas(raw), power_exp=False, log=False)).xreplace(names)
    hyp = {sp.Derivative(loss, wrt): raw, head.p[i]: head.probability(i), head.p[k]: head.probability(k),
           a[i]: head.logit(i), a[k]: head.logit(k)}
    return Chain((
        Step(sp.Derivative(loss, wrt), summed, r"\texttt{diff} of the loss; the Kronecker deltas summed out.",
             hypotheses=hyp, timeout=DELTA_BUDGET, by_points=True),
        Step(summed, head.gradient(wrt), r"The softmax ratio named $p$.", hypotheses=hyp),
    ))


def parameter_table() -> tuple[list[tuple[str, ...]], dict[str, sp.Integer]]:
    """Trainable parameters and examples per trainable parameter for the three strategies."""
    blocks = count_by_block(resnet_basic(classes=NEW_CLASSES))
    total = sum(blocks.values(), sp.Integer(0))
    last = list(blocks)[-2]
    counts = {"scratch": total, "frozen": blocks["head"], "fine-tune": blocks[last] + blocks["head"]}
    examples = NEW_CLASSES * PER_CLASS
    names = {"scratch": "train from scratch", "frozen": "freeze backbone, new head",
             "fine-tune": f"fine-tune last block ({last}) + head"}
    rows = [(names[k], f"{int(v):,}".replace(",", r"\,"), f"{int(total - v):,}".replace(",", r"\,"),
             f"{examples / int(v):.3g}") for k, v in counts.items()]
    return rows, {**counts, "total": total, "examples": sp.Integer(examples)}


def data_files() -> dict[str, str]:
    """``{path relative to output/: contents}``: the accuracy of each strategy for each seed."""
    lines = ["seed source scratch frozen finetune"]
    for seed, acc in run(CONFIG):
        lines.append(" ".join([str(seed), *(f"{acc[k]:.4f}" for k in ("source", "scratch", "frozen", "fine-tune"))]))
    return {DATA_NAME: "\n".join(lines) + "\n"}


@proof
def transfer() -> Proof:
    p = Proof("transfer", "Q6: transfer learning with 20 images of each of 200 classes", question="Q6")
    p.text(r"\paragraph{Procedure.} $200 \times 20 = 4000$ labelled images are far too few to train a large "
           r"network from scratch, but a deployed network trained on a large 1000-class data set already computes "
           r"useful features $z = z(x; \theta)$ in its last hidden layer. (1) Keep the backbone (architecture and "
           r"pretrained weights $\theta$) and freeze it. (2) Discard the 1000-way classification layer. (3) Attach "
           r"a new dense layer with 200 outputs and a softmax, randomly (or zero) initialised. (4) Train only the "
           r"new layer on the 4000 images, with cross-entropy and a held-out split for early stopping; "
           r"data augmentation helps. (5) Optionally, when that has converged, unfreeze the last block and "
           r"fine-tune it together with the head at a small learning rate.")

    head = softmax_head()
    i, j, c = head.i, head.j, head.c
    a = sp.IndexedBase("a", real=True)
    p.text(r"\paragraph{Gradients of the new head.} Features $z_f$ ($f = 1..F$), weights $W_{cf}$, biases $b_c$, "
           r"$C$ classes, a target $y$ with $\sum_c y_c = 1$ (one-hot for a labelled image); $C$ and $F$ stay "
           r"symbolic:")
    p.define(a[c], head.logit(c), "logits")
    p.define(head.p[c], head.probability(c).xreplace({sp.exp(head.logit(c)): sp.exp(a[c])}), "softmax")
    loss = sp.Symbol("L")
    p.define(loss, -sp.Sum(head.y[c] * sp.log(head.p[c]), (c, 1, head.C)), "cross-entropy")
    p.chain(head.loss(), (head.log_softmax_loss(), r"$\log(e^{a_c}/\sum_k e^{a_k}) = a_c - \log\sum_k e^{a_k}$."))
    for wrt, name in ((head.W[i, j], "W_{ij}"), (head.b[i], "b_i")):
        derived = head.gradient(wrt)
        final = derived.xreplace({head.label_sum(): 1})
        p.text(rf"SymPy differentiates the index-form loss with respect to ${name}$; the Kronecker deltas are "
               r"summed out and the softmax ratio is named $p_i$:")
        p.blocks.append(delta_chain(head, wrt, loss, a))
        p.claim(derived, final, r"Hypothesis $\sum_c y_c = 1$.", hypotheses={head.label_sum(): 1})
    p.text(r"The same in one step, from SymPy's raw derivative, with $\sum_c y_c = 1$ imposed on the sampled "
           r"targets (each point draws $C$ and a one-hot or a random probability vector $y$); no symbolic strategy "
           r"knows $\sum_c y_c = 1$, so these steps are checked at points:")
    for wrt in (head.W[i, j], head.b[i]):
        final = head.gradient(wrt).xreplace({head.label_sum(): 1})
        p.claim(sp.Derivative(loss, wrt), final, r"\texttt{diff} of the loss; $y$ sums to 1.",
                sampler=head.target_sampler(), timeout=DELTA_BUDGET,
                by_points=True,
                hypotheses={sp.Derivative(loss, wrt): sp.diff(head.log_softmax_loss(), wrt),
                            head.p[i]: head.probability(i)})
    p.text(r"In matrix form $\partial L/\partial W = (p - y)\,z^{\top}$ and $\partial L/\partial b = p - y$. "
           r"A sign error is caught:")
    p.refute(head.gradient(head.W[i, j]), (head.y[i] - head.p[i]) * head.z[j], r"Wrong sign: $(y - p)\,z^{\top}$.",
             hypotheses={head.label_sum(): 1})
    p.text(r"The derived gradients, coded in \texttt{derive.calculus.softmax.softmax\_xent\_gradients}, agree with "
           r"central differences of the loss along 8 seeded random directions (batch of 8 random features and labels):")
    p.table(("$C, F$", "seed", r"rel.\ gap $\partial L/\partial W$", r"rel.\ gap $\partial L/\partial b$"),
            finite_difference_rows(),
            "Largest relative gap, against the acceptance threshold $10^{-6}$; step $10^{-5}$.")

    p.text(r"\paragraph{Why freezing is cheap.} The head gradients above contain the backbone only through the "
           r"forward values $z_f$. The backbone parameters $\theta$ would need, by the chain rule, "
           r"$\partial L/\partial\theta = \sum_f (\partial L/\partial z_f)(\partial z_f/\partial\theta)$, with")
    dz = head.gradient(head.z[j])
    p.blocks.append(delta_chain(head, head.z[j], loss, a))
    p.claim(dz, sp.Sum(sp.expand((head.p[c] - head.y[c]) * head.W[c, j]), (c, 1, head.C)),
            r"$\sum_c y_c = 1$; back-propagation would carry this into the backbone.",
            hypotheses={head.label_sum(): 1})
    p.text(r"When $\theta$ is frozen this backward pass through the backbone is never computed: the features of "
           r"the 4000 images are computed once, and training the head is multinomial logistic regression on "
           r"fixed features (a convex problem). The experiment below does exactly this.")

    rows, counts = parameter_table()
    F, C = sp.symbols("F C", integer=True, positive=True)
    p.text(r"\paragraph{Parameters.} For a concrete backbone take ResNet-18 (He et al., CVPR 2016, Table 1): a "
           r"$7\times7$ stem, four stages of two basic blocks (widths 64, 128, 256, 512; $1\times1$ projections "
           r"where the width changes), batch norm after every convolution (a scale and a shift per channel), and a "
           rf"{WIDTH}-wide feature layer. Counting from the layer list, the 1000-class network has "
           rf"{int(sum(x.count() for x in resnet_basic())):,} parameters. A dense head on $F$ features with $C$ "
           r"classes has")
    p.claim(sp.Symbol(r"n_{\mathrm{head}}"), dense_count(F, C), "Weights $W$ ($C \\times F$) and biases $b$ ($C$).",
            hypotheses={sp.Symbol(r"n_{\mathrm{head}}"): C * F + C})
    shown = sp.Add(sp.Mul(WIDTH, NEW_CLASSES, evaluate=False), NEW_CLASSES, evaluate=False)
    n_new = sp.Symbol(r"n_{\mathrm{head}}")
    counted = {n_new: counts["frozen"]}
    p.claim(n_new, shown, rf"Counted from the layer list of the new network, $F = {WIDTH}$, $C = {NEW_CLASSES}$.",
            hypotheses=counted)
    p.refute(n_new, sp.Add(sp.Mul(WIDTH, OLD_CLASSES, evaluate=False), OLD_CLASSES, evaluate=False),
             rf"The new head is not the size of the old {OLD_CLASSES}-way head.", hypotheses=counted)
    p.table(("strategy", "trainable", "frozen", "examples per trainable parameter"), rows,
            rf"{int(counts['examples']):,} labelled examples ($200 \times 20$); ResNet-18 with a 200-way head.")

    results = run(CONFIG)
    cfg = CONFIG
    seeds = ", ".join(str(s) for s, _ in results)
    data_tt = DATA_NAME.replace("_", r"\_")
    p.text(r"\paragraph{Measured (synthetic data).} The data are \emph{synthetic}, not images. A fixed random "
           rf"``world'' maps latent vectors $u \in \mathbb{{R}}^{{{cfg.latent}}}$ to inputs $x = \tanh(Au) + "
           rf"\text{{noise}} \in \mathbb{{R}}^{{{cfg.inputs}}}$; a class is a prototype in latent space and its "
           rf"examples scatter around it. Source task: {cfg.source_classes} classes $\times$ "
           rf"{cfg.source_per_class} examples. Target task: {cfg.target_classes} \emph{{new}} classes $\times$ "
           rf"{cfg.target_per_class} training examples (and {cfg.test_per_class} held-out test examples each) "
           rf"in the same world. Network: {cfg.inputs}--{cfg.hidden}--{cfg.features} ReLU backbone and a softmax "
           rf"head, Adam, batch {cfg.batch}, weight decay {cfg.weight_decay}; pretraining {cfg.pretrain_epochs} "
           rf"epochs; each target strategy {cfg.epochs} epochs (learning rate {cfg.lr}, fine-tuning "
           rf"{cfg.finetune_lr}). Seeds {seeds}; per-seed accuracies are in \texttt{{{data_tt}}}.")
    table = []
    for key, label in (("scratch", "train from scratch"), ("frozen", "frozen features + new head"),
                       ("fine-tune", "fine-tune all layers + new head")):
        mean, sd, lo, hi = summary(results, key)
        table.append((label, f"{mean:.3f}", f"{sd:.3f}", f"{lo:.3f}--{hi:.3f}"))
    p.table(("strategy", "mean accuracy", "sd", "range"), table,
            f"Held-out target accuracy over seeds {seeds} (chance $1/{cfg.target_classes}$).")
    sm, ss = summary(results, "scratch")[0], summary(results, "source")[0]
    fm, tm = summary(results, "frozen")[0], summary(results, "fine-tune")[0]
    wins = sum(r["fine-tune"] > max(r["scratch"], r["frozen"]) for _, r in results)
    p.text(r"\paragraph{Review of the handwritten answer.} The handwritten procedure is right: freeze the "
           r"feature layers, discard the 1000-way classifier, attach a randomly initialised classification layer "
           r"with 200 outputs (one per new class; the parameter table shows its size), and train only that layer. "
           r"It leaves out the softmax and cross-entropy of the new head (derived above), a held-out split, and "
           r"the option of fine-tuning. In our synthetic experiment fine-tuning was best in "
           rf"{wins} of {len(results)} seeds (mean {tm:.3f}, against {fm:.3f} for frozen features and {sm:.3f} "
           rf"from scratch; the pretrained network reached {ss:.3f} on its own source task). Frozen features did "
           r"not beat training from scratch here. Yosinski et al.\ (NeurIPS 2014) found on ImageNet that features "
           r"of the first layers are general while those of the last layers are specific to the source task, and "
           r"that transferring and then fine-tuning improved generalisation. Our measurement agrees in direction "
           r"with the second finding; it is a small synthetic task and says nothing about images.")
    return p
