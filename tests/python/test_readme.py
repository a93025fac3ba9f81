"""The README's Python quick start runs as written."""
import contextlib
import io
import os
import re

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


def test_readme_python_quick_start_runs():
    text = open(README, encoding="utf-8").read()
    section = text[text.index("## Python"):text.index("## Ruby")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    assert "visits.csv 2 2 timestamp visits.csv:2:2:" in printed
    assert "cx_index" in printed and "markov" in printed
