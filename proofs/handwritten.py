r"""The key results of the handwritten solution (../shared/seed/assignment-03.md), transcribed as clean LaTeX.

Each entry says which question it answers and which vocabulary checks it. Where the scan is ambiguous, the
``reading`` says which reading is transcribed: the OCR turned the convolution ``∗`` into ``≠`` in Q1, and
wrote ``⊗`` for the elementwise product, transcribed here as ``\odot``. The Q1 results are checked under the
``q1`` vocabulary, on random arrays against the closed forms derived by reverse mode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Handwritten:
    """One transcribed result: the question, where it stands, the LaTeX, and the reading chosen."""

    question: str
    where: str
    latex: str
    reading: str = ""
    vocabulary: str | None = None


#: The transcribed results, in the order of the handwritten solution.
RESULTS: tuple[Handwritten, ...] = (
    Handwritten("Q1", "boxed gradient of the second kernel",
                r"\frac{\partial L}{\partial w^{(2)}} = \left(\frac{\partial L}{\partial y}(h^{(3)} > 0)\right)"
                r" * z^{(1)}",
                r"the factor $\otimes 1$ of the line before is dropped; $(\cdot) \ast z^{(1)}$ of two image-sized "
                r"arrays is read as the kernel-sized correlation of the zero-padded $z^{(1)}$ with the masked "
                r"gradient, $(a \ast b)_{uv} = \sum_{ij} a_{ij} b_{i+u-p,\, j+v-p}$", "q1"),
    Handwritten("Q1", "gradient of the first kernel",
                r"\frac{\partial L}{\partial w^{(1)}} = \left(\left(\frac{\partial L}{\partial y}(h^{(2)} > 0)"
                r" * w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)\right) * x",
                r"the scan shows $\neq$ where the convolution $\ast$ was written, and $(0)$ between factors; read as "
                r"$\ast$ and $\odot$. The mask $(h^{(2)} > 0)$ is transcribed as written (every line of this "
                r"derivation has $h^{(2)}$); the final $\ast\, X$ is read as $\ast\, x$, a kernel-sized correlation "
                r"as for $w^{(2)}$", "q1"),
    Handwritten("Q1", "gradient of the input, final line",
                r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial h^{(3)}} + \left(\left("
                r"\frac{\partial L}{\partial h^{(3)}} * w^{(2)}_{\text{flip}}\right) \odot (h^{(1)} > 0)\right)"
                r" * w^{(1)}",
                r"$\partial L/\partial h^3$ is read as $\partial L/\partial h^{(3)}$; the unlabelled product is "
                r"read as $\odot$; the last $\ast\, w^{(1)}$ (underlined twice) is transcribed as written, without a "
                r"flip", "q1"),
    Handwritten("Q2", "receptive field of four 3x3 layers", r"(1 + 4 \cdot 2)^2 = 81",
                r"the text says each layer adds 2 to each side of the support, from $1 \times 1$ to $9 \times 9$."),
    Handwritten("Q4", "tanh by exponentials", r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}"),
    Handwritten("Q4", "tanh through one exponential",
                r"\frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = \frac{2}{1 + e^{-2z}} - 1"),
    Handwritten("Q4", "tanh through the sigmoid", r"\tanh(z) = 2\sigma(2z) - 1"),
    Handwritten("Q4", "the expanded tanh network",
                r"\sum_j t^{(2)}_{kj} \tanh(a_j) = \sum_j \left(2 t^{(2)}_{kj} \sigma(2 a_j) - 1\right)",
                r"the handwritten $\sum$ has no index; read as $\sum_j$.", "q4"),
    Handwritten("Q4", "input weights", r"t^{(1)}_{ji} = \frac{w^{(1)}_{ji}}{2}", "", "q4"),
    Handwritten("Q4", "input biases", r"t^{(1)}_{j0} = \frac{w^{(1)}_{j0}}{2}", "", "q4"),
    Handwritten("Q4", "output weights", r"t^{(2)}_{kj} = \frac{w^{(2)}_{kj}}{2}", "", "q4"),
    Handwritten("Q4", "output biases", r"t^{(2)}_{k0} - 2\sum_j t^{(2)}_{kj} = w^{(2)}_{k0}",
                r"the scan writes $t_{j0}^{(2)}$ for the output bias in two lines; read as $t_{k0}^{(2)}$.", "q4"),
    Handwritten("Q5", "orthonormality collapses the double sum",
                r"\frac{1}{2}\sum_i \sum_j \lambda_j \alpha_i \alpha_j \delta_{ij} = "
                r"\frac{1}{2}\sum_i \lambda_i \alpha_i^2", "", "q5"),
    Handwritten("Q5", "the quadratic term is non-negative", r"\frac{1}{2}\sum_i \lambda_i \alpha_i^2 \ge 0",
                r"uses $\lambda_i \ge 0$ because $H$ is positive semi-definite.", "q5"),
    Handwritten("Q5", "length of an axis",
                r"\lambda_j \left(\sqrt{\frac{c^2}{\lambda_j}}\right)^2 = c^2",
                r"the boxed $\alpha_j = \sqrt{c^2/\lambda_j}$ is checked by substituting it into "
                r"$\lambda_j \alpha_j^2 = c^2$.", "q5"),
)
