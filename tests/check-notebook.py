#!/usr/bin/env python3
"""Execute examples/notebook.ipynb end to end with jupyter nbconvert and check
its outputs: every code cell ran without error, the tables rendered as HTML,
the report rendered inline as the library's fragment and each chart cell
produced the library's SVG.

usage: check-notebook.py NOTEBOOK OUTPUT_DIR
"""
import json
import os
import subprocess
import sys


def main():
    notebook, outdir = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=600", "--output-dir", outdir,
                    "--output", "notebook.executed.ipynb", notebook], check=True, env=env)
    with open(os.path.join(outdir, "notebook.executed.ipynb"), encoding="utf-8") as f:
        nb = json.load(f)
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    def text(o, kind):  # nbformat may split a text output into lines
        v = o.get("data", {}).get(kind, "")
        return "".join(v) if isinstance(v, list) else v
    images = [o for o in outputs if text(o, "image/svg+xml").lstrip().startswith("<svg")
              and 'class="tp-chart"' in text(o, "image/svg+xml")]
    charts = sum("chart(" in "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    reports = [o for o in html if text(o, "text/html").startswith('<div class="tp-report">')]
    print("notebook: %d outputs, %d tables, %d charts, %d reports, %d errors" %
          (len(outputs), len(html), len(images), len(reports), len(errors)))
    if errors or charts < 5 or len(images) < charts or len(reports) != 1 or len(html) < 6:
        sys.exit("notebook outputs are incomplete")


if __name__ == "__main__":
    main()
