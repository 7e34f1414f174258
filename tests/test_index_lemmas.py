"""VJP lemmas proven for symbolic sizes in index notation; a wrong rule is never proven."""

import pytest
import sympy as sp

from derive.calculus import reverse
from derive.model.activations import ReLU, Sigmoid
from derive.model.array import Array
from derive.model.ops import Linear, LinearGradInput, LinearGradWeight
from derive.verify.index_lemmas import derivative_lemmas, index_lemmas, prove_index_lemma, proven_rules

I0, I1, M0, M1 = sp.symbols("i0 i1 m0 m1", integer=True, nonnegative=True)
N0, N1 = I0 + 1 + M0, I1 + 1 + M1
K = sp.Symbol("K", integer=True, positive=True)


def test_every_listed_lemma_is_proven_for_symbolic_sizes():
    lemmas = index_lemmas()
    assert lemmas and all(lemma.proven is True for lemma in lemmas), [(m.operator, m.operand) for m in lemmas
                                                                       if not m.proven]
    assert {"linear", "bias", "sum", "broadcast", "ReLU", "Sigmoid", "tanh", "sum rule", "product rule"} <= \
        proven_rules()
    assert "conv2d" not in proven_rules() and "max_pool2d" not in proven_rules()


def test_every_activation_derivative_is_its_fdiff():
    assert all(d.proven for d in derivative_lemmas())


@pytest.mark.parametrize("wrong", ["transposed weight", "weight for input", "forgotten cotangent"])
def test_a_wrong_linear_rule_is_not_proven(monkeypatch, wrong):
    a, w = Array("a", (N0, N1)), Array("W", (K, N1))

    def vjp(self, argindex, cotangent):
        if wrong == "transposed weight":
            return LinearGradWeight(cotangent, self.args[0]) if argindex == 2 else LinearGradInput(cotangent, w) * 2
        if wrong == "weight for input":
            return LinearGradInput(cotangent, self.args[1]) + self.args[0]
        return LinearGradInput(Array("g0", cotangent.shape), self.args[1])

    monkeypatch.setattr(Linear, "vjp", vjp)
    assert prove_index_lemma(Linear(a, w), a, (I0, I1)).proven is not True


def test_a_wrong_elementwise_rule_is_not_proven(monkeypatch):
    x = Array("x", (N0,))
    original = reverse.local_vjp

    def wrong(node, argindex, cotangent):
        out = original(node, argindex, cotangent)
        return out + cotangent * node if isinstance(node, sp.Function) else out

    monkeypatch.setattr("derive.verify.index_lemmas.local_vjp", wrong)
    assert prove_index_lemma(Sigmoid(x), x, (I0,)).proven is not True
    assert prove_index_lemma(ReLU(x), x, (I0,)).proven is not True


def test_a_wrong_activation_derivative_is_not_proven(monkeypatch):
    monkeypatch.setattr(Sigmoid, "fdiff", lambda self, argindex=1: Sigmoid(self.args[0]))
    # refuted, not merely unproven: sigma differs from sigma' = sigma (1 - sigma) at a rational point
    assert [d.proven for d in derivative_lemmas() if d.function == "Sigmoid"] == [False]
    assert "Sigmoid" not in proven_rules()


def test_a_block_of_proven_rules_is_marked_proven_and_conv_is_marked_instance():
    from derive import grad

    dense = grad("x = input(N, F)\nw = param(K, F)\nb = param(K)\ny = sum(tanh(linear(x, w, b)))\noutput y")
    tex = dense.latex()
    derivation = tex.split(r"\section*{Derivation}")[1].split(r"\section*{Evidence}")[0]
    assert derivation.count(r"\[ \delta") == derivation.count(r"\qquad \vS") == 3
    conv = grad("x = input(1, 4, 4)\nw = param(1, 1, 3, 3)\ny = sum(conv2d(x, w))\noutput y")
    assert r"\qquad \vI" in conv.latex()
