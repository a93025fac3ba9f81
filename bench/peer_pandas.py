#!/usr/bin/env python3
"""The peer-comparison tasks in pandas + numpy (bench/README.md).

    peer_pandas.py EVENTS.csv FEEDBACK.csv JOURNEYS.csv [REPEATS]

Same output as tpbench: task, best seconds, rows, bytes, check value. Each
task does what libtouchpoint does for it: timestamps parsed, journeys cut at
conversions, exits and 30-day gaps, funnels matched in order per customer,
Markov order 1 solved exactly (numpy) with removal effects.
"""
import os
import sys
import time

import numpy as np
import pandas as pd

STEPS = ["advertising", "website", "product-page", "cart", "online-checkout"]
TIMEOUT_MS = 30 * 86400 * 1000


def best_of(repeats, fn):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def read_events(path):
    df = pd.read_csv(path, dtype={"customer_id": "string", "touchpoint": "category",
                                  "type": "category"})
    ts = df["timestamp"]
    if ts.dtype == object:
        df["ms"] = pd.to_datetime(ts, utc=True, format="%Y-%m-%dT%H:%M:%SZ").astype("int64") // 10**6
    else:
        df["ms"] = ts.astype("int64") * 1000
    df["value"] = df["value"].fillna(0.0)
    return df


def read_feedback(path):
    df = pd.read_csv(path, dtype={"customer_id": "string", "touchpoint": "category",
                                  "metric": "category"})
    df["ms"] = df["timestamp"].astype("int64") * 1000
    return df


def scorecard(ev, fb):
    g = fb.groupby(["touchpoint", "metric"], observed=True)["score"]
    nps = fb[fb.metric == "nps"]
    nps_g = ((nps["score"] >= 9).astype(int) - (nps["score"] <= 6).astype(int)).groupby(
        nps["touchpoint"], observed=True)
    out = pd.DataFrame({"nps_n": nps_g.size(), "nps": nps_g.mean() * 100})
    csat = fb[fb.metric == "csat"]
    csat_g = (csat["score"] >= 4).groupby(csat["touchpoint"], observed=True)
    out["csat_n"] = csat_g.size()
    out["csat"] = csat_g.mean() * 100
    means = g.mean().unstack()
    out = out.join(means[["ces", "rating"]])
    out["reach"] = ev.groupby("touchpoint", observed=True)["customer_id"].nunique()
    return out


def journeys(ev):
    """Events sorted by customer then time (stable), with a journey number."""
    s = ev.sort_values(["customer_id", "ms"], kind="stable").reset_index(drop=True)
    cust = s["customer_id"].to_numpy()
    ms = s["ms"].to_numpy()
    end = s["type"].isin(["conversion", "exit"]).to_numpy()
    new = np.ones(len(s), dtype=bool)
    new[1:] = (cust[1:] != cust[:-1]) | (ms[1:] - ms[:-1] > TIMEOUT_MS) | end[:-1]
    s["journey"] = np.cumsum(new)
    s["first"] = new
    return s


def transitions(ev):
    s = journeys(ev)
    tp = s["touchpoint"].astype(str).to_numpy()
    prev = np.empty(len(s), dtype=object)
    prev[0] = "(start)"
    prev[1:] = tp[:-1]
    prev[s["first"].to_numpy()] = "(start)"
    last = np.ones(len(s), dtype=bool)
    last[:-1] = s["first"].to_numpy()[1:]
    edges = pd.DataFrame({"from": np.concatenate([prev, tp[last]]),
                          "to": np.concatenate([tp, np.full(last.sum(), "(end)", dtype=object)])})
    return edges.value_counts().rename("count").reset_index()


def funnel(ev):
    s = ev.reset_index(drop=True)
    s = s.assign(pos=np.arange(len(s))).sort_values(["customer_id", "ms", "pos"], kind="stable")
    s["order"] = np.arange(len(s))
    reached = []
    cur = None
    for step in STEPS:
        at = s.loc[s["touchpoint"] == step, ["customer_id", "order"]]
        if cur is None:
            nxt = at.groupby("customer_id")["order"].min()
        else:
            m = at.merge(cur.rename("after"), left_on="customer_id", right_index=True)
            nxt = m[m["order"] > m["after"]].groupby("customer_id")["order"].min()
        reached.append(len(nxt))
        cur = nxt
    return reached


def markov1(ev):
    s = journeys(ev)
    conv = s["type"].eq("conversion").groupby(s["journey"]).any()
    touch = s[s["type"] != "conversion"]
    tp = touch["touchpoint"].astype(str).to_numpy()
    j = touch["journey"].to_numpy()
    keep = np.ones(len(tp), dtype=bool)
    keep[1:] = (tp[1:] != tp[:-1]) | (j[1:] != j[:-1])  # consecutive repeats merge
    tp, j = tp[keep], j[keep]
    cat = pd.Categorical(tp)
    names, code = list(cat.categories), cat.codes.astype(np.int64)
    n = len(names)
    start, conv_s, null_s = n, n + 1, n + 2
    first = np.ones(len(code), dtype=bool)
    first[1:] = j[1:] != j[:-1]
    last = np.ones(len(code), dtype=bool)
    last[:-1] = first[1:]
    frm = np.where(first, start, np.concatenate([[start], code[:-1]]))
    w = np.zeros((n + 3, n + 3))
    np.add.at(w, (frm, code), 1.0)
    converted = conv.loc[j[last]].to_numpy()
    np.add.at(w, (code[last], np.where(converted, conv_s, null_s)), 1.0)

    def p_conv(removed):
        q = w[:n, :n].copy()
        out = w[:n].sum(axis=1)
        r = w[:n, conv_s] / np.where(out > 0, out, 1)
        q = q / np.where(out > 0, out, 1)[:, None]
        keep = np.ones(n, dtype=bool)
        if removed is not None:
            keep[removed] = False
        x = np.zeros(n)
        ks = np.flatnonzero(keep)
        x[ks] = np.linalg.solve(np.eye(len(ks)) - q[np.ix_(ks, ks)], r[ks])
        st = w[start, :n] / w[start, :n].sum()
        return float(st[ks] @ x[ks])

    base = p_conv(None)
    effects = [1 - p_conv(c) / base for c in range(n)]
    return sum(effects)


def main():
    evp, fbp, jvp = sys.argv[1:4]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    t, ev = best_of(repeats, lambda: read_events(evp))
    print("ingest_events\t%.4f\t%d\t%d\t%d" % (t, len(ev), os.path.getsize(evp), len(ev)))
    t, fb = best_of(repeats, lambda: read_feedback(fbp))
    print("ingest_feedback\t%.4f\t%d\t%d\t%d" % (t, len(fb), os.path.getsize(fbp), len(fb)))
    t, sc = best_of(repeats, lambda: scorecard(ev, fb))
    print("scorecard\t%.4f\t%d\t0\t%d" % (t, len(ev), sc["nps_n"].sum() + sc["csat_n"].sum()))
    t, tr = best_of(repeats, lambda: transitions(ev))
    print("transitions\t%.4f\t%d\t0\t%d" % (t, len(ev), tr["count"].sum()))
    t, fu = best_of(repeats, lambda: funnel(ev))
    print("funnel\t%.4f\t%d\t0\t%d" % (t, len(ev), sum(fu)))
    jv = read_events(jvp)
    t, mk = best_of(repeats, lambda: markov1(jv))
    print("markov1\t%.4f\t%d\t0\t%.6g" % (t, len(jv), mk))


if __name__ == "__main__":
    main()
