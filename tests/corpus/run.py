"""Run the adversarial corpus through ``derive.claims.check`` and print the outcome table (for the README).

Usage: ``python tests/corpus/run.py [--failures]``. The test ``tests/test_corpus.py`` asserts the same rules.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import tomllib

from derive.claims.check import check
from derive.document.loader import import_submodule
from derive.errors import DeriveError

CORPUS = Path(__file__).with_name("claims.toml")
TIMEOUT = 3.0
#: The repository's proofs: their vocabulary module registers q1, q4 and q5, the corpus's questions.
PROOFS = Path(__file__).resolve().parents[2] / "proofs"

import_submodule(PROOFS, "vocabulary")  # by path, so that run.py works from any directory


def load(path: Path = CORPUS) -> list[dict]:
    """The claims of a corpus file, in file order."""
    return tomllib.loads(path.read_text(encoding="utf-8"))["claim"]


def outcome(entry: dict) -> tuple[str, str]:
    """The status of one claim (``parse error`` when the notation layer refuses it) and a short reason."""
    vocab = None if entry["vocabulary"] == "default" else entry["vocabulary"]
    try:
        verdict = check(entry["latex"], question=vocab, timeout=TIMEOUT)
    except DeriveError as exc:
        return "parse error", str(exc)[:80]
    return verdict.status, verdict.reason[:80]


def wrong(entry: dict, status: str) -> bool:
    """A false claim proven or agreeing, a true claim refuted, or a claim marked provable not proven."""
    if entry["truth"]:
        return status == "refuted" or (entry.get("proven", False) and status != "proven")
    return status in ("proven", "agrees")


def main() -> int:
    table: Counter[tuple[bool, str]] = Counter()
    bad, times = [], []
    path = Path(sys.argv[sys.argv.index("--corpus") + 1]) if "--corpus" in sys.argv else CORPUS
    for n, entry in enumerate(load(path)):
        start = time.perf_counter()
        status, why = outcome(entry)
        times.append(time.perf_counter() - start)
        table[(entry["truth"], status)] += 1
        if wrong(entry, status):
            bad.append((n, entry["vocabulary"], entry["truth"], status, entry["latex"], why))
    total = sum(table.values())
    print(f"{total} claims; seconds per claim: median {sorted(times)[len(times) // 2]:.3f}, "
          f"p95 {sorted(times)[int(0.95 * len(times))]:.3f}")
    print("| truth | proven | refuted | agrees | unknown | parse error |")
    print("|---|---|---|---|---|---|")
    for truth in (True, False):
        cells = [str(table[(truth, s)]) for s in ("proven", "refuted", "agrees", "unknown", "parse error")]
        print(f"| {'true' if truth else 'false'} | " + " | ".join(cells) + " |")
    if "--failures" in sys.argv:
        for row in bad:
            print("WRONG", *row)
    print(f"{len(bad)} wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
