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


def test_readme_dask_example_runs(tmp_path):
    """The Dask example, run as the script it is (workers import it)."""
    import subprocess
    import sys
    text = open(README, encoding="utf-8").read()
    section = text[text.index("## Scaling out"):text.index("## Using the library from C")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    script = tmp_path / "dask_example.py"
    script.write_text(code, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True,
                         text=True, timeout=300).stdout
    assert out.rstrip().endswith("True")
    assert "website" in out and "count" in out
