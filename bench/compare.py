#!/usr/bin/env python3
"""libtouchpoint against pandas, DuckDB and Polars on the same tasks and data.

    bench/compare.py [--dir DIR] [--repeats N] [--scale 1] [--threads 1]

Generates the deterministic data sets into DIR (default /tmp/touchpoint-bench)
unless present (events: 1M x scale rows, feedback: 1M, journeys: 1M), runs
build-rel/bench/tpbench, bench/peer_pandas.py (Debian python3-pandas) and
bench/duckdb/peer_duckdb.mjs (npm @duckdb/node-api; `npm ci` in bench/duckdb
first) and bench/polars/peer_polars.mjs (npm nodejs-polars 0.25.2; `npm ci` in
bench/polars first), checks that all computed the same check values, and prints a
Markdown table: seconds per engine, the ratio peer / libtouchpoint, and for
libtouchpoint MB/s, rows/s and resident bytes per event. Each engine runs
with --threads threads (default 1: libtouchpoint's reads and analyses,
DuckDB's `threads`, POLARS_MAX_THREADS; pandas has one thread whatever the
count); each figure is the best of N runs in one process.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"


THREADS = "1"


def run(cmd, cwd=None):
    # the same threads for each; Polars reads POLARS_MAX_THREADS when its module loads
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               POLARS_MAX_THREADS=THREADS, PEER_THREADS=THREADS)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=cwd, env=env).stdout
    rows = {}
    for line in out.splitlines():
        f = line.split("\t")
        rows[f[0]] = f[1:]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/touchpoint-bench")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scale", type=int, default=1, help="events in millions")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    global THREADS
    THREADS = str(a.threads)
    os.makedirs(a.dir, exist_ok=True)
    ev = os.path.join(a.dir, "events-%dm.csv" % a.scale)
    fb = os.path.join(a.dir, "feedback-1m.csv")
    jv = os.path.join(a.dir, "journeys-1m.csv")
    for path, kind, n in ((ev, "events", a.scale * 10**6), (fb, "feedback", 10**6),
                          (jv, "journeys", 10**6)):
        if not os.path.exists(path):
            subprocess.run([PY, os.path.join(HERE, "gen_data.py"), kind, str(n), path], check=True)
    args = [ev, fb, jv, str(a.repeats)]
    tp = run([os.path.join(ROOT, "build-rel", "bench", "tpbench")] + args + [THREADS])
    pd = run([PY, os.path.join(HERE, "peer_pandas.py")] + args)
    dd = run(["node", "peer_duckdb.mjs"] + args, cwd=os.path.join(HERE, "duckdb"))
    po = run(["node", "peer_polars.mjs"] + args, cwd=os.path.join(HERE, "polars"))
    print("| task | libtouchpoint s | pandas s | DuckDB s | Polars s | pandas / tp | DuckDB / tp "
          "| Polars / tp | tp MB/s | tp M rows/s | check (all equal) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ok = True
    for task in tp:
        t, p, d, q = (float(x[task][0]) for x in (tp, pd, dd, po))
        rows, size = int(tp[task][1]), int(tp[task][2])
        checks = {tp[task][3], pd[task][3], dd[task][3], po[task][3]}
        same = len({round(float(c), 4) for c in checks}) == 1
        ok &= same
        mbs = "%.0f" % (size / 1e6 / t) if size else ""
        print("| %s | %.3f | %.3f | %.3f | %.3f | %.1fx | %.1fx | %.1fx | %s | %.2f | %s%s |" % (
            task, t, p, d, q, p / t, d / t, q / t, mbs, rows / t / 1e6, tp[task][3],
            "" if same else " DIFFERS: " + " / ".join(sorted(checks))))
    if len(tp["ingest_events"]) > 4:
        print("\nlibtouchpoint resident memory after ingest: %s bytes/event" % tp["ingest_events"][4])
    # paths: the whole process of `touchpoint attribute --paths` on the
    # 1M-path export (read, Markov order 1 solved exactly, table written),
    # against ChannelAttribution 2.1.7's recorded C++ core time on such a file
    pv = os.path.join(a.dir, "paths-1m.csv")
    if not os.path.exists(pv):
        subprocess.run([PY, os.path.join(HERE, "gen_data.py"), "paths", str(10**6), pv], check=True)
    tool = os.path.join(ROOT, "build-rel", "tools", "touchpoint")
    cmd = [tool, "attribute", "--paths", pv, "--model", "markov", "--format", "csv", "-q"]
    best = float("inf")
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    print("\n| task | libtouchpoint s (whole process) | ChannelAttribution 2.1.7 s (recorded) "
          "| ChannelAttribution / tp | tp MB/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("| paths | %.3f | 3.86 | %.1fx | %.0f |" % (best, 3.86 / best,
                                                    os.path.getsize(pv) / 1e6 / best))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
