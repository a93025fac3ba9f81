"""Python bulk ingest: Events.from_pandas / from_arrays from a DataFrame's columns.

    /usr/bin/python3 bench/py_ingest.py EVENTS.csv [REPEATS]

Reads the CSV with pandas once (not timed), then times, best of REPEATS (default
7), building an event log from the columns: customer and touchpoint as the
object columns pandas gives, times as int64 ms (and, separately, as datetime64),
types as uint8 codes and as text. The same-run baseline is pandas itself
interning the two text columns (pd.factorize), the nearest thing pandas does to
what the log stores. A measurement, never a pass/fail test. Needs the bindings
built (build-b, or PYTHONPATH pointing at them).
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "build-b", "bindings", "python"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import touchpoint as tp  # noqa: E402


def best(fn, repeats):
    out = None
    t_best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        t_best = min(t_best, time.perf_counter() - t0)
    return t_best, out


def main():
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    df = pd.read_csv(path)
    n = len(df)
    when = pd.to_datetime(df["timestamp"], utc=True).dt.tz_localize(None)
    ms = when.to_numpy().astype("datetime64[ms]").astype(np.int64)
    codes = df["type"].fillna("").map({"": 0, "interaction": 0, "conversion": 1,
                                       "exit": 2}).to_numpy(np.uint8)
    cust = df["customer_id"].to_numpy(object)
    tps = df["touchpoint"].to_numpy(object)
    cases = [
        ("from_arrays: object text, int64 ms, uint8 types",
         lambda: tp.Events.from_arrays(cust, ms, tps, types=codes)),
        ("from_arrays: object text, datetime64 times, uint8 types",
         lambda: tp.Events.from_arrays(cust, when, tps, types=codes)),
        ("from_pandas: int64 ms, text types",
         lambda: tp.Events.from_pandas(frame)),
    ]
    frame = pd.DataFrame({"customer_id": cust, "touchpoint": tps, "timestamp": ms,
                          "type": df["type"].fillna("")})
    base, _ = best(lambda: (pd.factorize(cust), pd.factorize(tps)), repeats)
    print(f"{n} rows; baseline pd.factorize of both text columns: {base:.3f} s, "
          f"{n / base / 1e6:.2f} M rows/s")
    check = None
    for label, fn in cases:
        t, events = best(fn, repeats)
        assert len(events) == n
        table = events.to_table().to_pandas()
        check = table if check is None else check
        assert table.equals(check), label
        print(f"{label}: {t:.3f} s, {n / t / 1e6:.2f} M rows/s, "
              f"{base / t:.2f}x the pd.factorize baseline")
    # the frame as pandas read it: text times, NaN cells, every other column an
    # attribute; against pandas writing it out for read_csv (the other route)
    t, events = best(lambda: tp.Events.from_pandas(df), repeats)
    assert len(events) == n
    w, text = best(lambda: df.to_csv(index=False), repeats)
    print(f"from_pandas of the frame as read (text times, attributes): {t:.3f} s, "
          f"{n / t / 1e6:.2f} M rows/s; df.to_csv alone {w:.3f} s ({w / t:.1f}x)")


if __name__ == "__main__":
    main()
