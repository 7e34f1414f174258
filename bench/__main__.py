"""``python -m bench``: run every benchmark, print a table, write bench/results.md."""

from __future__ import annotations

import sys
from pathlib import Path

from .harness import Figure, machine
from .suites import SUITES

RESULTS = Path(__file__).with_name("results.md")


def main() -> int:
    figures: list[Figure] = []
    chosen = sys.argv[1:]  # e.g. ``python -m bench grad_numeric_suite``: only the suites named
    for suite in SUITES:
        if chosen and suite.__name__ not in chosen:
            continue
        print(f"running {suite.__name__} ...", flush=True)
        figures += suite()
    facts = machine()
    header = "| figure | seconds | baseline | baseline s | ratio | target | met |"
    rows = [header, "|---|---:|---|---:|---:|---|---|"]
    for f in figures:
        met = {True: "yes", False: "no", None: "--"}[f.met]
        rows.append(f"| {f.name} | {f.seconds:.3f} | {f.baseline_name} | {f.baseline_seconds:.3f} | "
                    f"{f.ratio:.3g} | {f.target} | {met} |")
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    text = "\n".join([
        "# Benchmark results",
        "",
        "Written by `make bench`. Each figure is a ratio against a baseline measured in the same run,",
        "because this machine is small and noisy; seconds are medians where repeated.",
        "",
        *[f"- {k}: {v}" for k, v in facts.items()],
        "",
        *rows,
        "",
        "Notes:",
        "",
        *notes,
        "",
    ])
    RESULTS.write_text(text, encoding="utf-8")
    print("\n".join(rows))
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
