"""Grade the corpus and print the measures the README reports (run from the repository root).

``python tests/grade_corpus/measure.py``: first-wrong-step accuracy, false rejections (a question without a
planted error marked incorrect or given a first error), missed errors, and seconds per submission.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def measure() -> dict[str, Any]:
    """Grade every corpus submission in this process and tally the outcomes against ``expected.json``."""
    import proofs.vocabulary  # noqa: F401 - registers the questions' vocabularies
    from derive.grade.grader import grade

    manifest = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    tally = {"planted": 0, "found_at_line": 0, "missed": 0, "false_rejections": 0, "correct_questions": 0,
             "wrong_line": 0}
    details = []
    started = time.perf_counter()
    for name, entry in sorted(manifest.items()):
        report = grade((HERE / name).read_bytes(), source=name)
        by_id = {q.id: q for q in report.questions}
        for qid, line in entry["first_error_line"].items():
            q = by_id[qid]
            found = q.first_error["line"] if q.first_error else None
            if line is None:
                tally["correct_questions"] += 1
                if found is not None or q.verdict == "incorrect":
                    tally["false_rejections"] += 1
                    details.append((name, qid, "false rejection", found))
            else:
                tally["planted"] += 1
                if found == line:
                    tally["found_at_line"] += 1
                elif found is None:
                    tally["missed"] += 1
                    details.append((name, qid, "missed", line))
                else:
                    tally["wrong_line"] += 1
                    details.append((name, qid, f"found at {found}", line))
    seconds = time.perf_counter() - started
    return {**tally, "submissions": len(manifest), "seconds_per_submission": seconds / len(manifest),
            "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
            "details": details}


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
