"""The README's Python API examples run as written."""

import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_python_api_examples():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Python API"):text.index("Every error derive raises")]
    block = block.replace("```python", "").replace("```", "")
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize().failed == 0
