"""Q4: a tanh network computes exactly what a sigmoid network does, after a derived linear map of weights."""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Proof, Sigmoid, proof
from derive.calculus.reparam import affine_relation
from derive.calculus.tidy import expand_sums, pull_constants
from derive.document.article import error_bound
from proofs.support.equivalence import sigmoid_tanh_map, sigmoid_to_tanh, tanh_sigmoid_map, two_layer_forward

#: Sizes (D, M, K) of the random concrete networks checked numerically; the seed of each is its index.
CONCRETE_SIZES = ((1, 1, 1), (3, 5, 2), (10, 50, 7), (784, 100, 10))


def handwritten_bias_relation() -> tuple[sp.Expr, sp.Expr]:
    """The handwritten final relation, transcribed: t_k0 - 2 sum_j t_kj = w_k0 (sides as SymPy objects)."""
    m = sigmoid_tanh_map()
    t, s = m.target, m.source
    return t.w2[t.k, 0] - 2 * sp.Sum(t.w2[t.k, t.j], (t.j, 1, t.M)), s.w2[s.k, 0]


def concrete_agreement() -> list[tuple[str, str, str]]:
    """Largest |y_tanh - y_sigmoid| on random networks mapped by :func:`proofs.support.equivalence.sigmoid_to_tanh`."""
    rows = []
    for seed, (D, M, K) in enumerate(CONCRETE_SIZES):
        rng = np.random.default_rng(seed)
        W1, b1 = rng.normal(size=(M, D)), rng.normal(size=M)
        W2, b2 = rng.normal(size=(K, M)), rng.normal(size=K)
        x = rng.normal(size=(64, D))
        gap = np.abs(two_layer_forward("tanh", x, *sigmoid_to_tanh(W1, b1, W2, b2))
                     - two_layer_forward("sigmoid", x, W1, b1, W2, b2))
        rows.append((f"${D}, {M}, {K}$", f"{seed}", error_bound(float(gap.max()))))
    return rows


@proof
def tanh_sigmoid() -> Proof:
    p = Proof("tanh_sigmoid", "Q4: tanh and sigmoid networks are equivalent", question="Q4")
    forward = sigmoid_tanh_map()
    S, T = forward.source, forward.target
    rel = affine_relation(sp.tanh, Sigmoid)
    a = sp.Symbol("a", real=True)

    p.text(r"The two networks have $D$ inputs, $M$ hidden units and $K$ outputs; all three sizes stay "
           r"symbolic. Index $0$ of a weight array is the bias. The sigmoid network and the tanh network are")
    y = sp.Function("y")
    p.define(y(sp.Symbol("x"), sp.Symbol("w")), S.output(), "sigmoid")
    p.define(y(sp.Symbol("x"), sp.Symbol("t")), T.output(), "tanh")

    p.text(r"\paragraph{The activation identity.} The engine looks for constants with "
           r"$\tanh(a) = \alpha\,\sigma(\beta a) + \gamma$ by matching the limits at $\pm\infty$ and the slope "
           r"at $0$, and finds the relation below; it is then proven, not assumed.")
    p.chain(
        sp.tanh(a),
        (sp.tanh(a).rewrite(sp.exp), r"Definition of $\tanh$ by exponentials."),
        (rel.apply(Sigmoid, a).rewrite(sp.exp), r"Multiply numerator and denominator by $e^{-a}$."),
        (rel.apply(Sigmoid, a), r"Definition of $\sigma$."),
    )

    p.text(r"\paragraph{The weight map.} Substituting the identity into the tanh network gives a sum of "
           r"$\sigma(2 a_j)$ terms plus a constant. Matching the argument of each $\sigma$ with the sigmoid "
           r"network's, the coefficient of each hidden unit, and the constant term gives linear conditions; "
           r"the engine solves them for the tanh weights:")
    for name in ("W1", "b1", "W2", "b2"):
        p.define(T.weights()[name], pull_constants(forward.rules[name]))
    p.text("and, solved the other way, the inverse map:")
    inverse = tanh_sigmoid_map()
    for name in ("W1", "b1", "W2", "b2"):
        p.define(S.weights()[name], pull_constants(inverse.rules[name]))
    p.text("Applying the inverse after the forward map returns every weight unchanged:")
    for name in ("W1", "b1", "W2", "b2"):
        p.claim(pull_constants(inverse.rules[name]), S.weights()[name],
                "Substitute the forward map into the inverse.", hypotheses=forward.substitution())

    p.text(r"\paragraph{Equivalence for every size.} Insert the derived map into the tanh network and use the "
           r"identity with $u = a_j/2$:")
    mapped = pull_constants(T.output().xreplace(forward.substitution()))
    via_identity = mapped.replace(sp.tanh, lambda u: rel.apply(Sigmoid, u))
    p.chain(
        mapped,
        (via_identity, r"$\tanh(u) = 2\sigma(2u) - 1$ with $u = a_j/2$, so $2u = a_j$."),
        (expand_sums(via_identity), r"Expand the sum; $-\tfrac12\sum_j w^{(2)}_{kj}$ cancels the derived bias "
                                    r"term $+\tfrac12\sum_j w^{(2)}_{kj}$."),
    )
    p.text("Hence the theorem, for all inputs, all weights and all sizes $D, M, K$:")
    p.result(T.output(), S.output(), r"The tanh network with the derived weights is the sigmoid network.",
             hypotheses=forward.substitution())

    p.text(r"\paragraph{Numerical check on concrete networks.} \texttt{derive.sigmoid\_to\_tanh} evaluates "
           r"the derived map with \texttt{lambdify}. On random networks (standard normal weights and 64 "
           r"standard normal inputs, NumPy seed given) the outputs of the two networks differ by at most:")
    p.table(("$D, M, K$", "seed", r"$\max|y^{\tanh} - y^{\sigma}|$"), concrete_agreement(),
            "Measured in float64, against the acceptance threshold $10^{-10}$.")

    p.text(r"\paragraph{Review of the handwritten solution.} The handwritten answer derives the activation "
           r"identity (proven above) and halves the input weights, the input biases and the output weights; "
           r"those three maps agree with the engine's, as checked next. Its output-bias relation is wrong: "
           r"when it expands the tanh network, the $-1$ of the identity loses its factor $t^{(2)}_{kj}$, which "
           r"doubles the constant term.")
    for name, handwritten in (("W1", S.w1[S.j, S.i] / 2), ("b1", S.w1[S.j, 0] / 2), ("W2", S.w2[S.k, S.j] / 2)):
        p.claim(T.weights()[name], handwritten, "Handwritten; agrees with the derived map.",
                hypotheses=forward.substitution())
    lhs, rhs = handwritten_bias_relation()
    p.text("The handwritten relation for the output bias fails at the tanh weights that make the networks "
           "equal:")
    p.refute(lhs, rhs, r"The handwritten output-bias relation.",
             hypotheses=forward.substitution())
    p.text("The correct relation, derived above, is")
    p.result(T.w2[T.k, 0] - sp.Sum(T.w2[T.k, T.j], (T.j, 1, T.M)), S.w2[S.k, 0],
             r"From the derived map.",
             hypotheses=forward.substitution())
    return p
