"""Soundness corpus: a true claim never gets False, a false claim never gets True (and we aim for decisions)."""

import pytest

from derive.check import check

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
    r"\operatorname{ReLU}(h) - \operatorname{ReLU}(-h) = h",
    r"\mathbb{1}[h > 0] + \mathbb{1}[-h > 0] = 1",
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
]


@pytest.mark.parametrize("claim", TRUE)
def test_true_claim_is_never_false(claim):
    v = check(claim, timeout=5.0)
    assert v.holds is not False, v
    assert v.holds is True, v  # the aim: every one decided


@pytest.mark.parametrize("claim", FALSE)
def test_false_claim_is_never_true(claim):
    v = check(claim, timeout=5.0)
    assert v.holds is not True, v
    assert v.holds is False, v


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
def test_true_q1_claim_is_never_false(claim):
    v = check(claim, question="q1", timeout=5.0)
    assert v.holds is not False, v
    assert v.holds is True, v


@pytest.mark.parametrize("claim", FALSE_Q1)
def test_false_q1_claim_is_never_true(claim):
    v = check(claim, question="q1", timeout=5.0)
    assert v.holds is not True, v
    assert v.holds is False, v


def test_corpus_size():
    assert len(TRUE) >= 40 and len(FALSE) >= 40
