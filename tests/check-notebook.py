#!/usr/bin/env python3
"""Execute examples/notebook.ipynb end to end with jupyter nbconvert and check
its outputs: every code cell ran without error, the tables rendered as HTML and
each chart produced an image.

usage: check-notebook.py NOTEBOOK OUTPUT_DIR
"""
import json
import os
import subprocess
import sys


def main():
    notebook, outdir = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)          # the kernel's inline backend draws the charts
    env.setdefault("MPLCONFIGDIR", os.path.join(outdir, "matplotlib"))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=600", "--output-dir", outdir,
                    "--output", "notebook.executed.ipynb", notebook], check=True, env=env)
    with open(os.path.join(outdir, "notebook.executed.ipynb"), encoding="utf-8") as f:
        nb = json.load(f)
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    charts = sum("plt.show()" in "".join(c["source"]) for c in nb["cells"])
    print("notebook: %d outputs, %d tables, %d images, %d errors" %
          (len(outputs), len(html), len(images), len(errors)))
    if errors or len(images) < charts or len(html) < 5:
        sys.exit("notebook outputs are incomplete")


if __name__ == "__main__":
    main()
