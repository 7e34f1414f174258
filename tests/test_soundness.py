r"""Soundness corpus: a true claim is never refuted, a false claim is never proven or agrees.

Every true claim of :data:`TRUE` is proven; those of :data:`TRUE_BY_POINTS` are true but beyond the symbolic
strategies, so they agree at the points (and are never proven by luck). Every false claim is refuted, with a
counterexample (``\neq`` claims are refuted by a proof of equality instead).
"""

import pytest

from derive.claims.check import check

TRUE = [
    r"\tanh(a) = 2\sigma(2a) - 1",
    r"\tanh(a) = \frac{e^{a} - e^{-a}}{e^{a} + e^{-a}}",
    r"\tanh(a) = \frac{2}{1 + e^{-2a}} - 1",
    r"\tanh(a) = \frac{1 - e^{-2a}}{1 + e^{-2a}}",
    r"\frac{d}{dx}\tanh x = 1 - \tanh^2 x",
    r"\frac{d}{dx}\sigma(x) = \sigma(x)(1 - \sigma(x))",
    r"\frac{d}{dx} \mathrm{ReLU}(x) = (x > 0)",
    r"\sigma(-a) = 1 - \sigma(a)",
    r"\sigma(a) = \frac{1}{1 + e^{-a}}",
    r"\sigma(0) = \frac{1}{2}",
    r"\sigma(a) = \frac{1 + \tanh(a/2)}{2}",
    r"\mathrm{ReLU}(h) = h (h > 0)",
    r"[h>0] [h>0] = [h>0]",
    r"\sum_j x_j = \sum_i x_i",
    r"\sum_{j=1}^{M} w_{kj} = \sum_{i=1}^{M} w_{ki}",
    r"\sum_j 2 x_j = 2 \sum_j x_j",
    r"\sum_j (x_j + y_j) = \sum_j x_j + \sum_j y_j",
    r"x_{i+j} = x_{j+i}",
    r"w_{ij} + w_{ij} = 2 w_{ij}",
    r"\sum_{j=1}^{3} x_j = x_1 + x_2 + x_3",
    r"(a + b)^2 = a^2 + 2ab + b^2",
    r"(a - b)(a + b) = a^2 - b^2",
    r"\frac{1}{2^{99}} = \frac{2}{2^{100}}",
    r"\frac{1}{2^{99}} \neq \frac{1}{2^{98}}",
    r"h^{(3)} \neq h^3",
    r"W \neq w",
    r"W^{T} = W",
    r"a \odot b = a b",
    r"e^{a} e^{-a} = 1",
    r"\ln(e^{a}) = a",
    r"\sqrt{4} = 2",
    r"2\frac{1}{2} = 1",
    r"0.5 = \frac{1}{2}",
    r"(a + b)^2 \ge 0",
    r"a^2 + 1 \ge 2a",
    r"-a^2 \le 0",
    r"\sigma(a) \le 1",
    r"\tanh(a) \neq 2\sigma(a) - 1",
    r"\frac{1}{2}\sum_j w_{kj} = \sum_j \frac{w_{kj}}{2}",
    r"w^{(1)}_{ji} = w_{ji}^{(1)}",
    r"\cosh^2 a - \sinh^2 a = 1",
    # float64 loses every digit of these; exact and interval arithmetic must not refute them
    r"\cosh(20x)^2 - \sinh(20x)^2 = 1",
    r"\tanh(1000 x) = 2\sigma(2000x) - 1",
    r"\frac{1}{1 + e^{-1000 x}} = \sigma(1000 x)",
    r"\sigma(100) < 1",
    # a name used as the bound of a sum is that size everywhere in the claim
    r"\sum_{j=1}^{M} w_{kj} = \sum_{i=1}^{M} w_{ki}",
    r"\sum_{j=1}^{M} j = \frac{M(M+1)}{2}",
    r"\sum_i 1 = n",
    r"a^2 + 1 \ge 2a",
    r"\sigma(x)(1-\sigma(x)) \le \frac{1}{4}",
    r"\frac{x^2 - 1}{x - 1} = x + 1",
]

#: True, but no symbolic strategy proves them: they agree at the points.
TRUE_BY_POINTS = [
    r"\operatorname{ReLU}(h) - \operatorname{ReLU}(-h) = h",
    r"\mathrm{ReLU}(x) + \mathrm{ReLU}(y) \ge \mathrm{ReLU}(x + y)",
    r"\mathbb{1}[x y > 0] = \mathbb{1}[x > 0]\mathbb{1}[y > 0] + \mathbb{1}[-x > 0]\mathbb{1}[-y > 0]",
    r"e^{x} \ge 1 + x",
    r"(\sum_i x_i)^2 \le n \sum_i x_i^2",
]

FALSE = [
    r"h^{(3)} = h^3",
    r"W = w",
    r"W^{T} = w",
    r"\frac{1}{2^{99}} = \frac{1}{2^{98}}",
    r"\tanh(a) = 2\sigma(a) - 1",
    r"\tanh(a) = \sigma(2a) - 1",
    r"\tanh(a) = 2\sigma(2a) + 1",
    r"\tanh(a) = 1 - 2\sigma(2a)",
    r"\tanh(a) = \frac{e^{a} + e^{-a}}{e^{a} - e^{-a}}",
    r"\frac{d}{dx}\tanh x = 1 + \tanh^2 x",
    r"\frac{d}{dx}\sigma(x) = \sigma(x)(1 + \sigma(x))",
    r"\frac{d}{dx}\sigma(x) = \sigma(x)",
    r"\sigma(-a) = \sigma(a) - 1",
    r"\sigma(0) = 1",
    r"\sigma(a) = \frac{1 + \tanh(a)}{2}",
    r"\sigma(a) = \tanh(a/2)",
    r"\mathrm{ReLU}(h) = h",
    r"\mathrm{ReLU}(h) = (h > 0)",
    r"\mathrm{ReLU}(h) + \mathrm{ReLU}(-h) = h",
    r"[h > 0] = [-h > 0]",
    r"\sum_j x_j = \sum_j y_j",
    r"\sum_j 2 x_j = \sum_j x_j",
    r"\sum_j (x_j + 1) = \sum_j x_j",
    r"\sum_{j=1}^{3} x_j = x_1 + x_2",
    r"x_{i+j} = x_{i-j}",
    r"w_{ij} = w_{ji}",
    r"w^{(1)}_{ji} = w^{(2)}_{ji}",
    r"(a + b)^2 = a^2 + b^2",
    r"(a - b)(a + b) = a^2 + b^2",
    r"a - b = b - a",
    r"\frac{1}{2}\sum_j w_{kj} = \sum_j w_{kj}",
    r"\frac{1}{2}(a + b) = a + b",
    r"e^{a} e^{-a} = e",
    r"\sqrt{4} = 4",
    r"a^2 \le 0",
    r"a \ge a + 1",
    r"\sigma(a) \ge 1",
    r"x \neq x",
    r"a \odot b = a + b",
    r"\tanh(a) = 2\sigma(2a) - 1 + 10^{-12}",
    r"\cosh^2 a + \sinh^2 a = 1",
    r"h^{(3)} = h^{(2)}",
    r"\mathbb{1}[h > 0] + \mathbb{1}[-h > 0] = 1",  # 0 = 1 at h = 0
    # below float64 resolution
    r"x + 10^{-45}\sigma(x) = x",
    r"(1 + 10^{-30}) x = x",
    r"\tanh(x) + 10^{-60}\tanh(x)^2 = \tanh(x)",
    r"\tanh(a) = 2\sigma(2a) - 1 + 10^{-80} a^2",
    r"\tanh(40) = 1",
    # true only on the old sampler's ranges (values in [-2, 2], sizes 1..4)
    r"x^2 \le 4",
    r"x \le 10^{5}",
    r"\sum_{j=5}^{M} x_j = 0",
    r"\sum_{j=1}^{M} j = \frac{M(M-1)}{2}",
    # false at a single point only, or in a narrow band
    r"\mathbb{1}[x - 10^{-9} > 0] = \mathbb{1}[x > 0]",
    r"e^{x} > 1 + x",
    r"\ln(x) < x - 1",
    r"(x - \frac{1}{3})^2 > 0",
    r"(x - \frac{1}{7})^2 > 0",
    # false, and the gap is below every precision tried; without variables, the sign of the gap is certified
    r"\sigma(10^{6}) = 1",
]

#: False claims whose gap (here e^{-10^6}) lies below every enclosure at every point: "unknown" is the honest
#: answer, since no point can be decided; they must never be proven nor agree.
FALSE_BEYOND_PRECISION = [
    r"\sigma(10^{6}) \ge 1",
    r"\sigma(10^{6} + x^2) \ge 1",
    r"\sigma(-10^{6}) + x^2 \le x^2",
]


@pytest.mark.parametrize("claim", TRUE)
def test_true_claim_is_proven(claim):
    v = check(claim, timeout=5.0)
    assert v.status != "refuted", v
    assert v.status == "proven", v


@pytest.mark.parametrize("claim", TRUE_BY_POINTS)
def test_true_claim_beyond_the_strategies_agrees(claim):
    v = check(claim, timeout=5.0)
    assert v.status != "refuted", v
    assert v.status == "agrees" and v.points > 0, v


@pytest.mark.parametrize("claim", FALSE + FALSE_BEYOND_PRECISION)
def test_false_claim_is_never_proven_nor_agrees(claim):
    v = check(claim, timeout=5.0)
    assert v.status not in ("proven", "agrees"), v


@pytest.mark.parametrize("claim", FALSE)
def test_false_claim_is_refuted(claim):
    v = check(claim, timeout=5.0)
    assert v.status == "refuted" and v.holds is False and not v, v
    assert v.counterexample is not None or "\\neq" in claim, v


#: Operator-level claims about the residual block of Q1, checked under ``question="q1"`` on random arrays.
TRUE_Q1 = [
    r"\frac{\partial L}{\partial w^{(2)}} = \left(\frac{\partial L}{\partial y} \odot [h^{(3)} > 0]\right) * z^{(1)}",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \frac{\partial L}{\partial h^{(1)}}"
    r" * \operatorname{flip}(w^{(1)})",
    r"\frac{\partial L}{\partial h^{(1)}} = \left(\frac{\partial L}{\partial h^{(3)}} * w^{(2)}_{flip}\right)"
    r" \odot \mathbb{1}[h^{(1)} > 0]",
    r"\frac{\partial L}{\partial h^{(2)}} = \frac{\partial L}{\partial h^{(3)}}",
    r"\operatorname{flip}(\operatorname{flip}(w)) = w",
    r"u \odot v = v \odot u",
    r"h^{(1)} = x * w^{(1)}",
    r"\mathrm{ReLU}(h^{(1)}) - \mathrm{ReLU}(-h^{(1)}) = h^{(1)}",
]
FALSE_Q1 = [
    r"\frac{\partial L}{\partial w^{(1)}} = \left(\left(\frac{\partial L}{\partial y}(h^{(2)} > 0) * "
    r"w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)\right) * x",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \frac{\partial L}{\partial h^{(1)}}"
    r" * w^{(1)}",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(1)}} * \operatorname{flip}(w^{(1)})",
    r"\frac{\partial L}{\partial z^{(1)}} = \frac{\partial L}{\partial h^{(3)}} * w^{(2)}",
    r"\frac{\partial L}{\partial h^{(1)}} = \frac{\partial L}{\partial h^{(3)}} * w^{(2)}_{flip}",
    r"\operatorname{flip}(w) = w",
    r"h^{(1)} = x * w^{(2)}",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}",
]


@pytest.mark.parametrize("claim", TRUE_Q1)
def test_true_q1_claim_is_never_refuted(claim):
    v = check(claim, question="q1", timeout=5.0)
    assert v.status != "refuted", v
    assert v.status in ("proven", "agrees") and v.holds is not False, v  # points never prove an array claim...
    if v.status == "agrees":
        assert v.points > 0, v  # ...but they must have been tried


@pytest.mark.parametrize("claim", FALSE_Q1)
def test_false_q1_claim_is_refuted(claim):
    v = check(claim, question="q1", timeout=5.0)
    assert v.status not in ("proven", "agrees"), v
    assert v.status == "refuted" and v.counterexample is not None, v


def test_corpus_size():
    assert len(TRUE) + len(TRUE_BY_POINTS) >= 40 and len(FALSE) >= 40
    assert not set(TRUE) & set(TRUE_BY_POINTS) and not (set(TRUE) | set(TRUE_BY_POINTS)) & set(FALSE)


@pytest.mark.parametrize("claim", [TRUE[0], TRUE_BY_POINTS[0], FALSE[4]])
def test_spacing_cannot_change_the_verdict(claim):
    spaced = claim.replace("=", "  =  ").replace("(", "( ").replace(")", " )")
    first, second = check(claim), check(spaced)
    assert (first.status, first.points, first.counterexample) == (second.status, second.points,
                                                                  second.counterexample)


#: Claims whose written form has a hole that SymPy's simplification would hide (x/x is 1 only for x != 0):
#: the notation layer records the domain, so the hole is excluded and the claim is judged where it is defined.
DOMAIN_TRUE = [
    r"[x > 0] + [-x > 0] = \frac{x}{x}",
    r"\sqrt{x}\sqrt{x} = \mathrm{ReLU}(x)",
    r"\sin(\sin^{-1}(x)) \le 1",
    r"\frac{x^2 - 1}{x - 1} = x + 1",
]
DOMAIN_FALSE = [
    r"\frac{x}{x} = 2",
    r"\sqrt{x}\sqrt{x} \neq \mathrm{ReLU}(x)",
    r"\ln(x) - \ln(x) \neq [x > 0] - 1",
]


@pytest.mark.parametrize("claim", DOMAIN_TRUE)
def test_a_simplified_hole_is_still_excluded(claim):
    assert check(claim, timeout=5.0).status in ("proven", "agrees")


@pytest.mark.parametrize("claim", DOMAIN_FALSE)
def test_a_witness_outside_the_domain_never_counts(claim):
    v = check(claim, timeout=5.0)
    assert v.status in ("refuted", "unknown"), v
    point = v.counterexample or v.witness
    if point is not None:
        assert all(value != 0 for _, value in point.assignments), v
