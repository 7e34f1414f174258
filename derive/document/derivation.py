"""The derivation document of a block: its arrays, each cotangent with the lemma it uses, and the evidence.

It uses the solution document's printer, preamble and marks: \\vS for a line whose every rule is proven for
symbolic sizes (:mod:`derive.verify.index_lemmas`), \\vI for a line that also uses an operator lemma checked
as a polynomial identity at every small configuration (:mod:`derive.verify.lemmas`), \\vA for a lemma that
agrees at rational points only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

from derive.document.article import PREAMBLE
from derive.model.array import Array, ArrayOp, Cotangent
from derive.printing.latex import latex
from derive.verify.gradient_checks import exact_check, numeric_check
from derive.verify.index_lemmas import proven_rules, rule_name
from derive.verify.lemmas import LemmaReport, check_lemmas

if TYPE_CHECKING:
    from derive.calculus.gradient import Gradient

__all__ = ["derivation_document", "lemmas_used"]

_ROLE = {"input": "input", "param": "parameter", "target": "target (no gradient)", "node": "computed"}


def lemmas_used(expr: sp.Basic) -> tuple[list[str], list[str]]:
    """The operator lemmas and the elementwise rules that the reverse mode of ``expr`` uses.

    Examples
    --------
    >>> from derive.model.activations import ReLU
    >>> from derive.model.layers import conv2d
    >>> x, w = Array("x", (4, 4)), Array("w", (3, 3))
    >>> lemmas_used(ReLU(conv2d(x, w)) + x)
    (['conv2d'], ['ReLU', 'sum rule'])
    """
    lemmas: set[str] = set()
    rules: set[str] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, ArrayOp):
            lemmas.add(node.lemma)
        elif isinstance(node, (sp.Add, sp.Mul, sp.Pow, sp.Function)) and node.atoms(Array):
            rules.add(rule_name(node))
    return sorted(lemmas), sorted(rules)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in "_&%$#{}" else c for c in text)


def _line(g: Gradient, target: Array, form: sp.Expr, reports: dict[str, LemmaReport], proven: frozenset[str]) -> str:
    consumers = [n for n in g.spec.order if target in g.spec.definitions[n].atoms(Array)]
    lemmas: set[str] = set()
    rules: set[str] = set()
    for c in consumers:
        found, used = lemmas_used(g.spec.definitions[c])
        lemmas.update(found)
        rules.update(used)
    standing = [reports[name] for name in sorted(lemmas - proven)]
    if any(r.failures for r in standing):
        mark, why = r"\vX", "a lemma it uses FAILED its check"
    elif rules - proven or any(not r.proven for r in standing):
        mark, why = r"\vA", "a rule it uses has no proof, only agreement at rational points"
    elif standing:
        mark, why = r"\vI", ("its operator lemmas are polynomial identities at every configuration checked"
                             + ("; its other rules are proven for symbolic sizes" if lemmas & proven or rules else ""))
    else:
        mark, why = r"\vS", "every rule it uses is proven for symbolic sizes"
    via = ", ".join([*(f"the {_escape(n)} lemma" for n in sorted(lemmas)), *(_escape(r) for r in sorted(rules))])
    source = ", ".join(f"${latex(c)}$" for c in consumers) or "none"
    return (rf"\[ {latex(Cotangent(target))} = {latex(form)} \qquad {mark} \]" "\n"
            rf"\noindent{{\small Chain rule through {source}, using {via}: {why}.}}" "\n")


def derivation_document(g: Gradient, *, lemma_limit: int = 2, seed: int = 0) -> str:
    """The LaTeX article deriving a block's gradients (deterministic text).

    Examples
    --------
    >>> from derive.calculus.gradient import grad
    >>> tex = derivation_document(grad("x = input(3)\\ny = sum(tanh(x))\\noutput y"))
    >>> r"\\begin{document}" in tex and r"\\delta_{x}" in tex
    True
    """
    proven = proven_rules()
    used = {lemma for n in g.spec.order for lemma in lemmas_used(g.spec.definitions[n])[0]}
    needed = sorted(used - proven)
    reports = {r.operator: r for r in check_lemmas(lemma_limit, only=tuple(needed))} if needed else {}
    out = [PREAMBLE, r"\title{Derived gradients of a block}", r"\author{derive}", r"\date{}",
           r"\begin{document}", r"\maketitle",
           r"The gradients below are derived by reverse mode from the operators' vector--Jacobian lemmas; "
           r"each line is printed from the engine's objects. $\delta_v$ is $\partial L/\partial v$ for "
           r"$L = \langle \delta_{" + latex(g.output) + r"}, " + latex(g.output) + r"\rangle$.",
           "", r"\section*{The block}", r"\begin{center}\begin{tabular}{lll}\toprule",
           r"array & role & shape \\ \midrule"]
    for leaf in [*g.spec.leaves.values(), *g.spec.nodes.values()]:
        shape = r" \times ".join(latex(s) for s in leaf.shape) or "scalar"
        out.append(rf"${latex(leaf)}$ & {_ROLE[leaf.kind]} & ${shape}$ \\")
    out += [r"\bottomrule\end{tabular}\end{center}", r"\begin{align*}"]
    out += [rf"{latex(n)} &:= {latex(g.spec.definitions[n])} \\" for n in g.spec.order]
    out[-1] = out[-1].removesuffix(r" \\")
    out += [r"\end{align*}", "", r"\section*{Gradients}"]
    lines = g.derivation()
    named = {cotangent.of: form for cotangent, form in lines}
    for leaf in g.wrt:
        out.append(rf"\[ \boxed{{\frac{{\partial L}}{{\partial {latex(leaf)}}} = {latex(named[leaf])}}} \]")
    out += ["", r"\section*{Derivation}"]
    for cotangent, form in lines:
        out.append(_line(g, cotangent.of, form, reports, proven))
    out += ["", r"\section*{Evidence}", r"\subsection*{Operator lemmas}"]
    if reports:
        out += [r"\begin{center}\begin{tabular}{lrl}\toprule", r"lemma & configurations & standing \\ \midrule"]
        for r in reports.values():
            status = "FAILED" if r.failures else r.how
            out.append(rf"{_escape(r.operator)} & {r.configurations} & {status} \\")
        out += [r"\bottomrule\end{tabular}\end{center}",
                rf"Configurations: every size up to {lemma_limit} (kernels up to 3, strides and dilations up "
                r"to 2, padding up to 1, one or two channels and samples)."]
    rules = sorted({r for n in g.spec.order for r in lemmas_used(g.spec.definitions[n])[1]} | (used & proven))
    symbolic = [_escape(r) for r in rules if r in proven]
    if symbolic:
        out.append("Proven for symbolic sizes, in index notation (SymPy's derivative of "
                   r"$\sum_j \delta_j y_j$ against the rule, every size and entry a symbol): "
                   + ", ".join(symbolic) + ".")
    out.append(r"\subsection*{Checks of the closed forms}")
    for report in _checks(g, seed):
        out.append(_escape(report[0]))
        out.append(r"\begin{itemize}")
        out += [rf"\item {_escape(line.strip())}" for line in report[1:]]
        out.append(r"\end{itemize}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _checks(g: Gradient, seed: int) -> list[list[str]]:
    from derive.errors import DeriveError

    found = []
    for check in (exact_check, numeric_check):
        try:
            found.append(check(g, seed=seed).lines(stable=True))
        except DeriveError as exc:
            found.append([f"{check.__name__}: not run ({exc})"])
    return found


_ = Any
