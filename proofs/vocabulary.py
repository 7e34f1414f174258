"""Vocabularies of the assignment's questions (q1, q4, q5), registered with derive when this module is imported.

``import proofs.vocabulary`` makes ``derive.claims.check(claim, question="q4")`` work; ``derive check --question q4``
imports this module itself, by path, from the ``--proofs`` directory (``proofs/`` by default).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sympy as sp

from derive.calculus.backprop import backward, residual_block
from derive.claims.arraycheck import ArrayModel
from derive.claims.vocabulary import IndexedRule, Vocabulary, register_vocabulary
from derive.model.operators import Adjoint, kernel_size_symbol
from proofs.support.equivalence import sigmoid_tanh_map


@cache
def q1() -> Vocabulary:
    r"""Q1: the residual block ``h1 = x ∗ w1, z1 = ReLU(h1), h2 = z1 ∗ w2, h3 = h2 + x, y = ReLU(h3)``.

    The arrays are the image ``x`` and ``\frac{\partial L}{\partial y}`` (H x W), the kernels ``w^{(1)}``,
    ``w^{(2)}`` (odd sizes of their own), the nodes ``h^{(1)}, z^{(1)}, h^{(2)}, h^{(3)}, y`` with their forward
    definitions, and free arrays ``u, v`` (H x W) and ``w`` (a kernel) for generic identities. Every gradient
    ``\frac{\partial L}{\partial a}`` of a leaf or node means the closed form that reverse mode
    (:func:`derive.calculus.backprop.backward`) derived for the block. Claims are checked on random arrays.

    Examples
    --------
    >>> from derive.claims.check import check
    >>> check(r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \frac{\partial L}"
    ...       r"{\partial h^{(1)}} * \operatorname{flip}(w^{(1)})", vocabulary=q1()).status
    'agrees'
    >>> check(r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(1)}} * "
    ...       r"\operatorname{flip}(w^{(1)})", vocabulary=q1()).status
    'refuted'
    """
    block = residual_block()
    grads = backward(block)
    (x,), (w1, w2) = block.inputs, block.kernels
    w, u, v = sp.Symbol("w"), sp.Symbol("u"), sp.Symbol("v")
    g = Adjoint(block.output)
    kernels = (w1, w2, w)
    model = ArrayModel(
        images=(x, g, u, v),
        kernels=kernels,
        nodes=block.nodes,
        gradients={str(a): grads.closed[a] for a in grads.closed},
        sizes={kernel_size_symbol(k): k for k in kernels},
    )
    names = [x, w1, w2, w, u, v, *(n for n, _ in block.nodes)]
    return Vocabulary(
        name="q1",
        description="Q1: the residual block's arrays x, w^{(1)}, w^{(2)}, h^{(l)}, z^{(1)}, y and the derived "
                    "gradients dL/da; operator claims are checked on random arrays.",
        symbols={str(n): n for n in names},
        operator_evaluator=model,
    )


def q4() -> Vocabulary:
    r"""Q4: sigmoid weights :math:`w`, tanh weights :math:`t`, sizes D, M, K; the derived map rewrites t into w.

    ``i`` runs over the D inputs, ``j`` over the M hidden units, ``k`` over the K outputs; index 0 is the
    bias. ``w_{kj}`` and ``t_{k0}`` written without a layer belong to layer 2 (first index k), ``w_{ji}``
    to layer 1 (first index j).

    Examples
    --------
    >>> from derive.claims.check import check
    >>> check(r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}", vocabulary=q4()).holds
    True
    >>> check(r"t_{k0} - 2\sum_j t_{kj} = w_{k0}", vocabulary=q4()).holds
    False
    """
    m = sigmoid_tanh_map()
    S, T = m.source, m.target
    rules = (
        IndexedRule(T.w1, (T.j, sp.Integer(0)), m.rules["b1"]),
        IndexedRule(T.w1, (T.j, T.i), m.rules["W1"]),
        IndexedRule(T.w2, (T.k, sp.Integer(0)), m.rules["b2"]),
        IndexedRule(T.w2, (T.k, T.j), m.rules["W2"]),
    )
    layers = {(name, "k"): 2 for name in ("w", "t")} | {(name, "j"): 1 for name in ("w", "t")}
    return Vocabulary(
        name="q4",
        description="Q4: sigmoid weights w, tanh weights t (rewritten by the derived map), sizes D, M, K.",
        index_ranges={"i": (sp.Integer(1), S.D), "j": (sp.Integer(1), S.M), "k": (sp.Integer(1), S.K)},
        symbols={"D": S.D, "M": S.M, "K": S.K},
        default_layers=layers,
        rules=rules,
    )


def q5() -> Vocabulary:
    r"""Q5: eigenvalues :math:`\lambda_i \ge 0` of the PSD Hessian, coordinates :math:`\alpha_i`, and
    :math:`\delta_{ij}` the Kronecker delta (from :math:`u_i^T u_j = \delta_{ij}`).

    Examples
    --------
    >>> from derive.claims.check import check
    >>> check(r"\sum_i \sum_j \alpha_i \alpha_j \delta_{ij} = \sum_i \alpha_i^2", vocabulary=q5()).holds
    True
    """
    a, b = sp.symbols("a b", integer=True, positive=True)
    delta = sp.IndexedBase("delta", real=True)
    return Vocabulary(
        name="q5",
        description="Q5: eigenvalues lambda_i >= 0 (H is PSD), coordinates alpha_i, delta_{ij} Kronecker delta.",
        bases={"lambda": sp.IndexedBase("lambda", nonnegative=True)},
        symbols={"lambda": sp.Symbol("lambda", nonnegative=True)},
        rules=(IndexedRule(delta, (a, b), sp.KroneckerDelta(a, b), zero_matches=True),),
    )


#: Question -> vocabulary factory, each registered with :func:`derive.claims.vocabulary.register_vocabulary` below.
VOCABULARIES: dict[str, Callable[[], Vocabulary]] = {"q1": q1, "q4": q4, "q5": q5}

for _question, _factory in VOCABULARIES.items():
    register_vocabulary(_question, _factory)
