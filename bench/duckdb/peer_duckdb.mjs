// The peer-comparison tasks in DuckDB (bench/README.md), one thread.
//
//   node peer_duckdb.mjs EVENTS.csv FEEDBACK.csv JOURNEYS.csv [REPEATS]
//
// Same output as tpbench. Each task does what libtouchpoint does for it:
// timestamps parsed, journeys cut at conversions, exits and 30-day gaps, the
// funnel matched in order per customer; Markov order 1: transition counts in
// SQL, the absorbing chain solved exactly here (Gaussian elimination), since
// SQL has no linear solver.
import { statSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { solve } from "../markov_solve.mjs";

const [evp, fbp, jvp] = process.argv.slice(2, 5);
const repeats = Number(process.argv[5] ?? 3);
// threads: PEER_THREADS (compare.py --threads), 1 unless given
const instance = await DuckDBInstance.create(":memory:",
                                              { threads: process.env.PEER_THREADS ?? "1" });
const con = await instance.connect();
const q = async (sql) => (await con.runAndReadAll(sql)).getRows();
const TIMEOUT_MS = 30 * 86400 * 1000;

async function best(fn) {
  let t = Infinity, out;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    out = await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return [t, out];
}

const readEvents = (table, path) => q(`
  CREATE OR REPLACE TABLE ${table} AS
  SELECT row_number() OVER () AS pos, customer_id, touchpoint, coalesce(type, 'interaction') AS type,
         coalesce(value, 0) AS value,
         CASE WHEN typeof(timestamp) = 'BIGINT' THEN timestamp::BIGINT * 1000
              ELSE epoch_ms(timestamp::TIMESTAMP) END AS ms
  FROM read_csv('${path}', header = true, columns = {'customer_id': 'VARCHAR',
       'timestamp': '${table === "ev" ? "VARCHAR" : "BIGINT"}', 'touchpoint': 'VARCHAR',
       'type': 'VARCHAR', 'value': 'DOUBLE'})`);
// ISO text -> ms: DuckDB parses '2026-01-01T00:00:10Z' as TIMESTAMP
const count = async (t) => Number((await q(`SELECT count(*) FROM ${t}`))[0][0]);

let [t] = await best(() => readEvents("ev", evp));
let n = await count("ev");
console.log(`ingest_events\t${t.toFixed(4)}\t${n}\t${statSync(evp).size}\t${n}`);

[t] = await best(() => q(`CREATE OR REPLACE TABLE fb AS SELECT * FROM read_csv('${fbp}', header = true,
  columns = {'customer_id': 'VARCHAR', 'timestamp': 'BIGINT', 'touchpoint': 'VARCHAR',
  'metric': 'VARCHAR', 'score': 'DOUBLE'})`));
n = await count("fb");
console.log(`ingest_feedback\t${t.toFixed(4)}\t${n}\t${statSync(fbp).size}\t${n}`);

const evn = await count("ev");
let rows;
[t, rows] = await best(() => q(`
  WITH s AS (
    SELECT touchpoint,
      count(*) FILTER (WHERE metric = 'nps') AS nps_n,
      100 * avg(CASE WHEN score >= 9 THEN 1 WHEN score <= 6 THEN -1 ELSE 0 END)
          FILTER (WHERE metric = 'nps') AS nps,
      count(*) FILTER (WHERE metric = 'csat') AS csat_n,
      100 * avg((score >= 4)::INT) FILTER (WHERE metric = 'csat') AS csat,
      avg(score) FILTER (WHERE metric = 'ces') AS ces,
      avg(score) FILTER (WHERE metric = 'rating') AS rating
    FROM fb GROUP BY touchpoint),
  r AS (SELECT touchpoint, count(DISTINCT customer_id) AS reach FROM ev GROUP BY touchpoint)
  SELECT sum(nps_n + csat_n) FROM s LEFT JOIN r USING (touchpoint)`));
console.log(`scorecard\t${t.toFixed(4)}\t${evn}\t0\t${rows[0][0]}`);

const journeys = (table) => `
  WITH o AS (
    SELECT *, lag(customer_id) OVER w AS pc, lag(ms) OVER w AS pm, lag(type) OVER w AS pt
    FROM ${table} WINDOW w AS (ORDER BY customer_id, ms, pos)),
  j AS (
    SELECT *, (pc IS NULL OR pc <> customer_id OR ms - pm > ${TIMEOUT_MS}
               OR pt IN ('conversion', 'exit'))::INT AS first FROM o)
  SELECT *, sum(first) OVER (ORDER BY customer_id, ms, pos) AS journey FROM j`;

[t, rows] = await best(() => q(`
  WITH s AS (${journeys("ev")}),
  e AS (
    SELECT CASE WHEN first = 1 THEN '(start)' ELSE lag(touchpoint) OVER w END AS f, touchpoint AS t
    FROM s WINDOW w AS (ORDER BY customer_id, ms, pos)
    UNION ALL
    SELECT touchpoint, '(end)' FROM (
      SELECT touchpoint, lead(first) OVER (ORDER BY customer_id, ms, pos) AS nf FROM s)
    WHERE nf IS NULL OR nf = 1),
  c AS (SELECT f, t, count(*) AS n FROM e GROUP BY f, t)
  SELECT sum(n) FROM c`));
console.log(`transitions\t${t.toFixed(4)}\t${evn}\t0\t${rows[0][0]}`);

const steps = ["advertising", "website", "product-page", "cart", "online-checkout"];
[t, rows] = await best(async () => {
  await q(`CREATE OR REPLACE TEMP TABLE o AS
           SELECT customer_id, touchpoint, row_number() OVER (ORDER BY customer_id, ms, pos) AS k FROM ev`);
  let sql = `WITH s1 AS (SELECT customer_id, min(k) AS k FROM o WHERE touchpoint = '${steps[0]}' GROUP BY 1)`;
  for (let i = 1; i < steps.length; i++)
    sql += `, s${i + 1} AS (SELECT o.customer_id, min(o.k) AS k FROM o JOIN s${i} p
             ON o.customer_id = p.customer_id AND o.k > p.k WHERE o.touchpoint = '${steps[i]}' GROUP BY 1)`;
  sql += " SELECT " + steps.map((_, i) => `(SELECT count(*) FROM s${i + 1})`).join(" + ");
  return q(sql);
});
console.log(`funnel\t${t.toFixed(4)}\t${evn}\t0\t${rows[0][0]}`);

await readEvents("jv", jvp);
const jn = await count("jv");
[t, rows] = await best(async () => {
  const edges = await q(`
    WITH s AS (${journeys("jv")}),
    c AS (SELECT journey, bool_or(type = 'conversion') AS conv FROM s GROUP BY journey),
    i AS (SELECT journey, touchpoint, ms, pos,
                 lag(touchpoint) OVER (PARTITION BY journey ORDER BY ms, pos) AS prev
          FROM s WHERE type <> 'conversion'),
    d AS (SELECT * FROM i WHERE prev IS NULL OR prev <> touchpoint),
    p AS (SELECT journey, touchpoint,
                 lag(touchpoint) OVER (PARTITION BY journey ORDER BY ms, pos) AS f,
                 lead(touchpoint) OVER (PARTITION BY journey ORDER BY ms, pos) AS nx FROM d)
    SELECT coalesce(f, '(start)') AS f, touchpoint AS t, count(*) FROM p GROUP BY 1, 2
    UNION ALL
    SELECT touchpoint, CASE WHEN conv THEN '(conversion)' ELSE '(null)' END, count(*)
    FROM p JOIN c USING (journey) WHERE nx IS NULL GROUP BY 1, 2`);
  const names = [...new Set(edges.flatMap(([f, to]) => [f, to]))]
    .filter((s) => !s.startsWith("(")).sort();
  const ix = new Map(names.map((s, i) => [s, i]));
  const n = names.length, w = names.map(() => new Array(n).fill(0));
  const conv = new Array(n).fill(0), out = new Array(n).fill(0), start = new Array(n).fill(0);
  for (const [f, to, c] of edges) {
    const k = Number(c);
    if (f === "(start)") { start[ix.get(to)] += k; continue; }
    out[ix.get(f)] += k;
    if (to === "(conversion)") conv[ix.get(f)] += k;
    else if (to !== "(null)") w[ix.get(f)][ix.get(to)] += k;
  }
  const total = start.reduce((a, b) => a + b, 0);
  const pconv = (removed) => {
    const keep = names.map((_, i) => i).filter((i) => i !== removed);
    const a = keep.map((i) => keep.map((j) => (i === j ? 1 : 0) - w[i][j] / out[i]));
    const x = solve(a, keep.map((i) => conv[i] / out[i]));
    return keep.reduce((s, i, k) => s + (start[i] / total) * x[k], 0);
  };
  const base = pconv(-1);
  return [[names.reduce((s, _, c) => s + 1 - pconv(c) / base, 0)]];
});
console.log(`markov1\t${t.toFixed(4)}\t${jn}\t0\t${Number(rows[0][0]).toPrecision(6)}`);
