"""Write the grading corpus: submissions in varied forms, some with one planted error at a known line.

Run from the repository root: ``python tests/grade_corpus/make_corpus.py``. It writes ``sub-NN.md`` and
``expected.json`` (per submission and question, the line of the planted error, or null for a correct one).
The corpus is synthetic: written for these tests, not collected from students.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
D = r"\frac{\partial L}{\partial "

Q1_CORRECT = [
    [rf"{D}h^{{(3)}}}} = {D}y}} \odot [h^{{(3)}} > 0]",
     rf"{D}w^{{(2)}}}} = {D}h^{{(3)}}}} \ast z^{{(1)}}",
     rf"{D}w^{{(1)}}}} = \left(\left({D}h^{{(3)}}}} \ast \operatorname{{flip}}(w^{{(2)}})\right) \odot "
     rf"[h^{{(1)}} > 0]\right) \ast x",
     rf"{D}x}} = {D}h^{{(3)}}}} + \left(\left({D}h^{{(3)}}}} \ast \operatorname{{flip}}(w^{{(2)}})\right) "
     rf"\odot [h^{{(1)}} > 0]\right) \ast \operatorname{{flip}}(w^{{(1)}})"],
    [rf"{D}w^{{(2)}}}} = \left({D}y}} \odot [h^{{(3)}} > 0]\right) \ast z^{{(1)}}",
     rf"{D}z^{{(1)}}}} = \left({D}y}} \odot [h^{{(3)}} > 0]\right) \ast \operatorname{{flip}}(w^{{(2)}})"],
]
Q1_ERRORS = {
    "wrong mask": (0, 1, rf"{D}w^{{(2)}}}} = \left({D}y}} \odot [h^{{(2)}} > 0]\right) \ast z^{{(1)}}"),
    "missing flip": (0, 3, rf"{D}x}} = {D}h^{{(3)}}}} + \left(\left({D}h^{{(3)}}}} \ast w^{{(2)}}\right) "
                           rf"\odot [h^{{(1)}} > 0]\right) \ast \operatorname{{flip}}(w^{{(1)}})"),
    "missing skip term": (0, 3, rf"{D}x}} = \left(\left({D}h^{{(3)}}}} \ast \operatorname{{flip}}(w^{{(2)}})"
                                rf"\right) \odot [h^{{(1)}} > 0]\right) \ast \operatorname{{flip}}(w^{{(1)}})"),
    "wrong mask in the chain": (0, 0, rf"{D}h^{{(3)}}}} = {D}y}} \odot [h^{{(1)}} > 0]"),
}
Q2_CORRECT = [[r"(1 + 4 \cdot 2)^2 = 81"], [r"(2 \cdot 4 + 1) \times (2 \cdot 4 + 1) = 81"]]
Q2_ERRORS = {"7x7 instead of 9x9": (0, 0, r"(1 + 3 \cdot 2)^2 = 81"),
             "wrong count": (1, 0, r"(2 \cdot 4 + 1) \times (2 \cdot 4 + 1) = 49")}
Q4_CORRECT = [
    [r"\tanh(z) = 2\sigma(2z) - 1", r"t^{(1)}_{ji} = \frac{w^{(1)}_{ji}}{2}", r"t^{(1)}_{j0} = \frac{w^{(1)}_{j0}}{2}",
     r"t^{(2)}_{kj} = \frac{w^{(2)}_{kj}}{2}", r"t^{(2)}_{k0} = w^{(2)}_{k0} + \sum_j \frac{w^{(2)}_{kj}}{2}"],
    [r"\tanh(a) = \frac{2}{1 + e^{-2a}} - 1", r"= 2\sigma(2a) - 1", r"w^{(1)}_{ji} = 2 t^{(1)}_{ji}",
     r"t^{(2)}_{k0} = w^{(2)}_{k0} + \frac{1}{2}\sum_j w^{(2)}_{kj}"],
]
Q4_ERRORS = {
    "wrong bias relation": (0, 4, r"t^{(2)}_{k0} = w^{(2)}_{k0} - \sum_j \frac{w^{(2)}_{kj}}{2}"),
    "missing 1/2": (0, 1, r"t^{(1)}_{ji} = w^{(1)}_{ji}"),
    "wrong sign": (0, 0, r"\tanh(z) = 2\sigma(2z) + 1"),
    "wrong coefficient": (1, 2, r"w^{(1)}_{ji} = 4 t^{(1)}_{ji}"),
    "wrong chain line": (1, 1, r"= 2\sigma(a) - 1"),
}
Q5_CORRECT = [
    [r"\frac{1}{2}\sum_i \sum_j \lambda_j \alpha_i \alpha_j \delta_{ij} = \frac{1}{2}\sum_i \lambda_i \alpha_i^2",
     r"\lambda_j \left(\sqrt{\frac{c^2}{\lambda_j}}\right)^2 = c^2"],
    [r"\sum_i \sum_j \alpha_i \alpha_j \lambda_j \delta_{ij} = \sum_j \lambda_j \alpha_j^2",
     r"\lambda_j \left(\frac{c}{\sqrt{\lambda_j}}\right)^2 = c^2"],
]
Q5_ERRORS = {
    "missing 1/2": (0, 0, r"\frac{1}{2}\sum_i \sum_j \lambda_j \alpha_i \alpha_j \delta_{ij} = "
                          r"\sum_i \lambda_i \alpha_i^2"),
    "1/lambda instead of 1/sqrt(lambda)": (1, 1, r"\lambda_j \left(\frac{c}{\lambda_j}\right)^2 = c^2"),
}
PROSE = {"q3": "More hidden units: the bias falls and the variance grows, so the model may overfit.",
         "q6": "Freeze the pretrained layers and train a new 200-way head on the small dataset."}
HEADINGS = ["Q{n})", "## Q{n}", "Question {n}", "**Q{n}.**"]
QUESTIONS = {"q1": (Q1_CORRECT, Q1_ERRORS), "q2": (Q2_CORRECT, Q2_ERRORS), "q4": (Q4_CORRECT, Q4_ERRORS),
             "q5": (Q5_CORRECT, Q5_ERRORS)}


def submission(seed: int, planted: dict[str, str]) -> tuple[str, dict[str, int | None]]:
    """One submission: for each question a correct variant, or the variant with the planted error."""
    lines = [f"# Assignment 03 (synthetic submission {seed})", ""]
    expected: dict[str, int | None] = {}
    for n in range(1, 7):
        qid = f"q{n}"
        lines += [HEADINGS[(seed + n) % len(HEADINGS)].format(n=n), ""]
        if qid in PROSE:
            lines += [PROSE[qid], ""]
            continue
        correct, errors = QUESTIONS[qid]
        variant = seed % len(correct)
        body = list(correct[variant])
        wrong_at = None
        if qid in planted:
            variant, wrong_at, text = errors[planted[qid]]
            body = list(correct[variant])
            body[wrong_at] = text
        expected[qid] = None
        for k, display in enumerate(body):
            if seed % 3 == 0 and k == 0:
                lines += ["We start from", ""]
            if k == wrong_at:
                expected[qid] = len(lines) + 1
            lines += [f"$${display}$$" if seed % 2 else rf"\[{display}\]", ""]
    return "\n".join(lines), expected


def main() -> None:
    plans: list[dict[str, str]] = [{} for _ in range(8)]
    for qid, (_, errors) in QUESTIONS.items():
        plans += [{qid: name} for name in errors]
    plans += [{"q1": "missing flip", "q4": "wrong bias relation"}, {"q2": "wrong count", "q5": "missing 1/2"},
              {"q1": "wrong mask", "q5": "1/lambda instead of 1/sqrt(lambda)"}, {"q4": "missing 1/2"},
              {"q1": "missing skip term"}, {"q4": "wrong sign", "q2": "7x7 instead of 9x9"},
              {"q1": "wrong mask in the chain"}, {"q4": "wrong chain line"}, {"q5": "missing 1/2"}]
    manifest = {}
    for seed, planted in enumerate(plans):
        text, expected = submission(seed, planted)
        name = f"sub-{seed:02d}.md"
        (HERE / name).write_text(text, encoding="utf-8")
        manifest[name] = {"planted": planted, "first_error_line": expected}
    (HERE / "expected.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} submissions")


if __name__ == "__main__":
    main()
