"""The adversarial corpus (tests/corpus/claims.toml): no false claim proven or agreeing, no true claim refuted.

Each claim carries its mathematical truth, checked independently by ``tests/corpus/validate_truth.py``. A false
claim may come out ``refuted`` or ``unknown`` (or be refused by the parser), never ``proven`` or ``agrees``; a
true claim may be ``proven``, ``agrees`` or ``unknown``, never ``refuted``; a claim marked ``proven = true``
must be proven. ``python tests/corpus/run.py`` prints the table of outcomes quoted in the README.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
from run import load, outcome, wrong  # noqa: E402

CLAIMS = load()


def test_the_corpus_is_large_and_balanced():
    truths = [c["truth"] for c in CLAIMS]
    assert len(CLAIMS) >= 300
    assert sum(truths) >= 100 and len(truths) - sum(truths) >= 100
    assert {c["vocabulary"] for c in CLAIMS} >= {"default", "q1", "q4", "q5"}


@pytest.mark.parametrize("entry", CLAIMS, ids=[f"{n}-{c['family'].replace(' ', '_')}" for n, c in enumerate(CLAIMS)])
def test_claim(entry):
    status, why = outcome(entry)
    assert not wrong(entry, status), f"{entry['latex']!r} is {'true' if entry['truth'] else 'false'}: {status} ({why})"
