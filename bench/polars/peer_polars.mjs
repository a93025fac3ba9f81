// The peer-comparison tasks in Polars (nodejs-polars 0.25.2, bench/README.md).
//
//   POLARS_MAX_THREADS=1 node peer_polars.mjs EVENTS.csv FEEDBACK.csv JOURNEYS.csv [REPEATS]
//
// Same output as tpbench. The thread count is read by Polars when the module
// loads, so it is set (to 1 unless given) before the import. Expressions are
// built before each timed region; the timed region holds the whole
// computation (eager: every result materialized). Journeys are cut at
// conversions, exits and 30-day gaps, the funnel is matched in order per
// customer, and the absorbing Markov chain is solved exactly here (Gaussian
// elimination), as the DuckDB peer does.
import { statSync } from "node:fs";
import { solve } from "../markov_solve.mjs";

process.env.POLARS_MAX_THREADS ??= "1";
const pl = (await import("nodejs-polars")).default;

const [evp, fbp, jvp] = process.argv.slice(2, 5);
const repeats = Number(process.argv[5] ?? 3);
const TIMEOUT_MS = 30 * 86400 * 1000;

function best(fn) {
  let t = Infinity, out;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    out = fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return [t, out];
}

const col = pl.col;
const evTypes = { customer_id: pl.Utf8, timestamp: pl.Utf8, touchpoint: pl.Utf8, type: pl.Utf8,
                  value: pl.Float64 };
// strptime gives microseconds whatever unit it is asked for: cast to ms first
const isoMs = col("timestamp").str.strptime(pl.Datetime("ms"), "%Y-%m-%dT%H:%M:%SZ")
  .cast(pl.Datetime("ms")).cast(pl.Int64).alias("ms");
const typeOrInteraction = col("type").fillNull(pl.lit("interaction")).alias("type");
const readEvents = (path) => pl.readCSV(path, { dtypes: evTypes })
  .withColumns(isoMs, typeOrInteraction, col("value").fillNull(0));

let [t, ev] = best(() => readEvents(evp));
let n = ev.height;
console.log(`ingest_events\t${t.toFixed(4)}\t${n}\t${statSync(evp).size}\t${n}`);

const fbTypes = { customer_id: pl.Utf8, timestamp: pl.Int64, touchpoint: pl.Utf8, metric: pl.Utf8,
                  score: pl.Float64 };
let fb;
[t, fb] = best(() => pl.readCSV(fbp, { dtypes: fbTypes }));
n = fb.height;
console.log(`ingest_feedback\t${t.toFixed(4)}\t${n}\t${statSync(fbp).size}\t${n}`);

const evn = ev.height;
const isNps = col("metric").eq(pl.lit("nps")), isCsat = col("metric").eq(pl.lit("csat"));
const scoreAgg = [
  isNps.sum().alias("nps_n"),
  pl.when(isNps).then(pl.when(col("score").gtEq(9)).then(pl.lit(1)).when(col("score").ltEq(6))
    .then(pl.lit(-1)).otherwise(pl.lit(0))).otherwise(pl.lit(null)).mean().mul(100).alias("nps"),
  isCsat.sum().alias("csat_n"),
  pl.when(isCsat).then(col("score").gtEq(4).cast(pl.Float64)).otherwise(pl.lit(null)).mean().mul(100)
    .alias("csat"),
  pl.when(col("metric").eq(pl.lit("ces"))).then(col("score")).otherwise(pl.lit(null)).mean().alias("ces"),
  pl.when(col("metric").eq(pl.lit("rating"))).then(col("score")).otherwise(pl.lit(null)).mean()
    .alias("rating"),
];
let rows;
[t, rows] = best(() => {
  const s = fb.groupBy("touchpoint").agg(...scoreAgg);
  const r = ev.groupBy("touchpoint").agg(col("customer_id").nUnique().alias("reach"));
  const j = s.join(r, { on: "touchpoint", how: "left" });
  return j.select(col("nps_n").add(col("csat_n")).sum()).getColumns()[0].get(0);
});
console.log(`scorecard\t${t.toFixed(4)}\t${evn}\t0\t${rows}`);

// Journeys: events by customer, time and input order; a journey starts at a
// customer's first event, after a gap over the timeout, or after a
// conversion or exit.
const firstOfJourney = col("customer_id").neq(col("customer_id").shift(1))
  .or(col("ms").sub(col("ms").shift(1)).gt(TIMEOUT_MS))
  .or(col("type").shift(1).isIn(["conversion", "exit"]))
  .fillNull(true).alias("first");
const cut = (df) => df.withRowIndex("pos").sort(["customer_id", "ms", "pos"])
  .withColumns(firstOfJourney)
  .withColumns(col("first").cast(pl.Int64).cumSum().alias("journey"));

[t, rows] = best(() => {
  const s = cut(ev);
  const inner = s.select(
    pl.when(col("first")).then(pl.lit("(start)")).otherwise(col("touchpoint").shift(1)).alias("f"),
    col("touchpoint").alias("t"));
  const ends = s.filter(col("first").shift(-1).fillNull(true))
    .select(col("touchpoint").alias("f"), pl.lit("(end)").alias("t"));
  const c = pl.concat([inner, ends]).groupBy(["f", "t"]).agg(col("t").count().alias("n"));
  return c.getColumn("n").sum();
});
console.log(`transitions\t${t.toFixed(4)}\t${evn}\t0\t${rows}`);

const steps = ["advertising", "website", "product-page", "cart", "online-checkout"];
[t, rows] = best(() => {
  const o = ev.withRowIndex("pos").sort(["customer_id", "ms", "pos"]).withRowIndex("k")
    .select("customer_id", "touchpoint", "k");
  let prev = o.filter(col("touchpoint").eq(pl.lit(steps[0]))).groupBy("customer_id")
    .agg(col("k").min().alias("k"));
  let total = prev.height;
  for (let i = 1; i < steps.length; i++) {
    prev = o.filter(col("touchpoint").eq(pl.lit(steps[i])))
      .join(prev, { on: "customer_id", suffix: "_prev" })
      .filter(col("k").gt(col("k_prev")))
      .groupBy("customer_id").agg(col("k").min().alias("k"));
    total += prev.height;
  }
  return total;
});
console.log(`funnel\t${t.toFixed(4)}\t${evn}\t0\t${rows}`);

const jvTypes = { ...evTypes, timestamp: pl.Int64 };
const jv = pl.readCSV(jvp, { dtypes: jvTypes })
  .withColumns(col("timestamp").mul(1000).alias("ms"), typeOrInteraction);
[t, rows] = best(() => {
  const s = cut(jv);
  const conv = s.groupBy("journey")
    .agg(col("type").eq(pl.lit("conversion")).any().alias("conv"));
  // touches: not the conversion events, consecutive repeats merged
  const d = s.filter(col("type").neq(pl.lit("conversion")))
    .filter(col("touchpoint").neq(col("touchpoint").shift(1).over("journey")).fillNull(true));
  const p = d.withColumns(col("touchpoint").shift(1).over("journey").alias("f"),
                          col("touchpoint").shift(-1).over("journey").alias("nx"));
  const inner = p.select(col("f").fillNull(pl.lit("(start)")).alias("f"),
                         col("touchpoint").alias("t"))
    .groupBy(["f", "t"]).agg(col("t").count().alias("n"));
  const last = p.filter(col("nx").isNull()).join(conv, { on: "journey" })
    .select(col("touchpoint").alias("f"),
            pl.when(col("conv")).then(pl.lit("(conversion)")).otherwise(pl.lit("(null)")).alias("t"))
    .groupBy(["f", "t"]).agg(col("t").count().alias("n"));
  const edges = pl.concat([inner.select("f", "t", col("n").cast(pl.Float64)),
                           last.select("f", "t", col("n").cast(pl.Float64))]).toRecords();
  const names = [...new Set(edges.flatMap((e) => [e.f, e.t]))]
    .filter((x) => !x.startsWith("(")).sort();
  const ix = new Map(names.map((x, i) => [x, i]));
  const m = names.length, w = names.map(() => new Array(m).fill(0));
  const cv = new Array(m).fill(0), out = new Array(m).fill(0), start = new Array(m).fill(0);
  for (const e of edges) {
    if (e.f === "(start)") { start[ix.get(e.t)] += e.n; continue; }
    out[ix.get(e.f)] += e.n;
    if (e.t === "(conversion)") cv[ix.get(e.f)] += e.n;
    else if (e.t !== "(null)") w[ix.get(e.f)][ix.get(e.t)] += e.n;
  }
  const total = start.reduce((a, b) => a + b, 0);
  const pconv = (removed) => {
    const keep = names.map((_, i) => i).filter((i) => i !== removed);
    const a = keep.map((i) => keep.map((j) => (i === j ? 1 : 0) - w[i][j] / out[i]));
    const x = solve(a, keep.map((i) => cv[i] / out[i]));
    return keep.reduce((acc, i, k) => acc + (start[i] / total) * x[k], 0);
  };
  const base = pconv(-1);
  return names.reduce((acc, _, c) => acc + 1 - pconv(c) / base, 0);
});
console.log(`markov1\t${t.toFixed(4)}\t${jv.height}\t0\t${Number(rows).toPrecision(6)}`);
