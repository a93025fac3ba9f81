/* The report as one self-contained HTML page: inline CSS and SVG, no script,
 * no external resource (a Content-Security-Policy forbids them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "report_internal.h"
#include "svg.h"

static const char style[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#111;background:#fff;"
    "max-width:1040px;margin:0 auto;padding:0 16px 48px;line-height:1.45}"
    "h1{font-size:26px;margin:24px 0 4px}h2{font-size:20px;margin:36px 0 6px;"
    "border-bottom:2px solid #111}p.meta{color:#444;margin:0 0 12px}"
    "nav a{margin-right:12px;color:#1a3f7a}"
    ".findings{background:#f3f3f3;border-left:6px solid #111;padding:10px 18px}"
    ".findings dt{font-weight:bold}.findings dd{margin:0 0 8px 0}"
    "figure{margin:12px 0}figcaption{color:#333;font-size:14px;max-width:760px}"
    "svg{max-width:100%;height:auto;font-size:12px;font-family:inherit}"
    "svg .title{font-size:15px;font-weight:bold}svg .tick{font-size:11px;fill:#222}"
    "svg .label{font-size:12px;fill:#111}svg .note{font-size:11px;fill:#555}"
    "svg .stage{font-size:13px;font-weight:bold}svg .value{font-size:12px}"
    "svg .drop{font-size:12px;font-weight:bold;fill:#7f2704}"
    "svg .quadrant{font-size:12px;font-style:italic;fill:#444}"
    "svg .axis line{stroke:#111}svg .axis .grid,svg line.grid{stroke:#ddd}"
    "svg .ref{stroke:#111;stroke-dasharray:5 4;stroke-width:1.2}"
    "svg .stagebar{stroke:#555;stroke-width:6;stroke-opacity:.55}"
    "svg .curve{fill:none;stroke:#111;stroke-width:2.5}"
    "svg .whisker{stroke:#111;stroke-width:1.5}svg .span{stroke:#999;stroke-width:1}"
    "svg .line{fill:none;stroke-width:2.5}"
    "svg .band0{fill:#f0f0f0}svg .band1{fill:#fafafa}"
    "svg .ribbon{fill:#6d7f99;fill-opacity:.35;stroke:#3c4a5e;stroke-opacity:.4}"
    "svg .ribbon:hover{fill-opacity:.6}svg .node{fill:#2d1e5c}svg .node.end{fill:#888}"
    "table{border-collapse:collapse;font-size:13px;margin:8px 0}"
    "th,td{border-bottom:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}"
    "th{background:#eee}td.t,th.t{text-align:left}td small{color:#555;display:block}"
    ".wide{overflow-x:auto}"
    "tr.pain td:first-child{border-left:5px solid #7f2704}"
    "tr.bright td:first-child{border-left:5px solid #9ecae1}"
    "details{margin:8px 0}footer{margin-top:40px;color:#444;font-size:13px}"
    "@media print{nav{display:none}section{break-inside:avoid}}";

/* ---- small HTML helpers -------------------------------------------------------------- */

static void h(buf *b, const char *text) { buf_xml(b, text); }

static void cell_num(buf *b, double v, int decimals)
{
    buf_puts(b, "<td>");
    buf_number(b, v, decimals);
    buf_puts(b, "</td>");
}

static void cell_count(buf *b, double v)
{
    char t[48];
    if (!isfinite(v)) {
        buf_puts(b, "<td>-</td>");
        return;
    }
    svg_format_count(t, sizeof t, v);
    buf_printf(b, "<td>%s</td>", t);
}

static void cell_text(buf *b, const char *s)
{
    buf_puts(b, "<td class=\"t\">");
    h(b, s);
    buf_puts(b, "</td>");
}

/* An estimate and its interval: "-26.8 [-30.1, -23.4]". */
static void cell_interval(buf *b, const tp_table *t, size_t row, const char *name, int decimals)
{
    char lo[64], hi[64];
    snprintf(lo, sizeof lo, "%s_low", name);
    snprintf(hi, sizeof hi, "%s_high", name);
    double v = report_num(t, row, name), l = report_num(t, row, lo), u = report_num(t, row, hi);
    buf_puts(b, "<td>");
    buf_number(b, v, decimals);
    if (isfinite(v) && isfinite(l) && isfinite(u)) {
        buf_puts(b, "<small>[");
        buf_number(b, l, decimals);
        buf_puts(b, ", ");
        buf_number(b, u, decimals);
        buf_puts(b, "]</small>");
    }
    buf_puts(b, "</td>");
}

static void thead(buf *b, const char *const *heads, size_t n)
{
    buf_puts(b, "<table><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        /* A leading '<' marks a left-aligned (text) column. */
        int text = heads[i][0] == '<';
        buf_puts(b, text ? "<th class=\"t\">" : "<th>");
        h(b, heads[i] + text);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead><tbody>\n");
}

static void section(buf *b, const char *id, const char *title, const char *intro)
{
    buf_printf(b, "<section id=\"%s\"><h2>", id);
    h(b, title);
    buf_puts(b, "</h2>");
    if (intro) {
        buf_puts(b, "<p>");
        h(b, intro);
        buf_puts(b, "</p>");
    }
    buf_puts(b, "\n");
}

static void figure(buf *b) { buf_puts(b, "<figure class=\"chart\">"); }

static void figure_end(buf *b, const char *caption)
{
    buf_puts(b, "<figcaption>");
    h(b, caption);
    buf_puts(b, "</figcaption></figure>\n");
}

/* ---- sections ---------------------------------------------------------------------- */

static void header(const report *r, buf *b)
{
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                "style-src 'unsafe-inline'; img-src data:\">"
                "<meta name=\"generator\" content=\"touchpoint ");
    h(b, tp_version_string());
    buf_puts(b, "\"><title>");
    h(b, r->title);
    buf_printf(b, "</title><style>%s</style></head>\n<body>\n<header><h1>", style);
    h(b, r->title);
    buf_puts(b, "</h1><p class=\"meta\">");
    char ev[48], cu[48], fb[48];
    svg_format_count(ev, sizeof ev, (double)r->events);
    svg_format_count(cu, sizeof cu, (double)r->customers);
    svg_format_count(fb, sizeof fb, (double)r->feedback);
    buf_printf(b, "%s events from %s customers, %s feedback responses, %zu touchpoints", ev, cu,
               fb, r->touchpoints);
    if (r->first <= r->last) {
        char t0[40], t1[40];
        if (tp_time_format(r->first, t0, sizeof t0) == TP_OK &&
            tp_time_format(r->last, t1, sizeof t1) == TP_OK)
            buf_printf(b, "; events from %.10s to %.10s", t0, t1);
    }
    if (r->rejected)
        buf_printf(b, "; %zu bad input rows skipped (touchpoint validate lists them)", r->rejected);
    buf_puts(b, ". Source: ");
    h(b, r->source);
    buf_puts(b, ".</p>\n<nav><a href=\"#findings\">Findings</a><a href=\"#journey\">Journey map</a>"
                "<a href=\"#scorecard\">Scorecard</a><a href=\"#hotspots\">Hot spots</a>"
                "<a href=\"#drivers\">Key drivers</a><a href=\"#funnel\">Funnel</a>"
                "<a href=\"#flow\">Journey flow</a><a href=\"#attribution\">Attribution</a>"
                "<a href=\"#trend\">Trend</a></nav></header>\n<main>\n");
}

static void findings(const report *r, buf *b)
{
    static const char *const heads[4] = {"Worst touchpoint", "Best touchpoint",
                                         "Biggest funnel drop", "Top channel by Markov attribution"};
    section(b, "findings", "Top findings", NULL);
    buf_puts(b, "<dl class=\"findings\">");
    for (size_t i = 0; i < 4; i++) {
        buf_printf(b, "<dt>%s</dt><dd id=\"finding-%s\">", heads[i], report_finding_keys[i]);
        h(b, r->findings[i].data ? r->findings[i].data : "");
        buf_puts(b, "</dd>");
    }
    buf_puts(b, "</dl></section>\n");
}

static void journey(const report *r, buf *b)
{
    size_t ns = tp_catalog_stage_count(r->cat), n = report_rows(r->scorecard);
    const char **stages = calloc(ns + 1, sizeof *stages);
    double *stage_cx = calloc(ns + 1, sizeof *stage_cx);
    const char **labels = calloc(n + 1, sizeof *labels);
    size_t *stage_of = calloc(n + 1, sizeof *stage_of);
    double *cx = calloc(n + 1, sizeof *cx);
    section(b, "journey", "Journey map",
            "How customers feel along the journey: the CX index (0-100) of every touchpoint "
            "with feedback, stage by stage.");
    if (!stages || !stage_cx || !labels || !stage_of || !cx) {
        b->oom = 1;
    } else {
        for (size_t s = 0; s < ns; s++) {
            stages[s] = tp_catalog_stage_name(r->cat, s);
            stage_cx[s] = NAN;
            for (size_t i = 0; i < report_rows(r->stages); i++)
                if (!strcmp(report_str(r->stages, i, "stage"), stages[s]))
                    stage_cx[s] = report_num(r->stages, i, "cx_index");
        }
        for (size_t i = 0; i < n; i++) {
            labels[i] = report_str(r->scorecard, i, "touchpoint");
            cx[i] = report_num(r->scorecard, i, "cx_index");
            stage_of[i] = ns; /* unassigned: not drawn */
            size_t s;
            if (tp_catalog_find_stage(r->cat, report_str(r->scorecard, i, "stage"), &s) == TP_OK)
                stage_of[i] = s;
        }
        chart_journey_data d = {stages, stage_cx, ns, labels, stage_of, cx, n, r->overall};
        figure(b);
        chart_journey(b, "chart-journey", "Emotion curve: CX index by stage and touchpoint", &d);
        figure_end(b, "Each dot is a touchpoint's CX index (dark: more than 5 points below the "
                      "overall index, light: more than 5 above); the curve follows the "
                      "journey's order, the grey bar is the stage's criticality-weighted index "
                      "and the dashed line the overall index.");
    }
    free(stages);
    free(stage_cx);
    free(labels);
    free(stage_of);
    free(cx);
    buf_puts(b, "</section>\n");
}

static void scorecard(const report *r, buf *b)
{
    size_t n = report_rows(r->scorecard), k = 0;
    section(b, "scorecard", "Scorecard",
            "Every touchpoint's metrics with their confidence intervals, and the composite "
            "CX index.");
    const char **labels = calloc(n + 1, sizeof *labels);
    double *v = calloc(3 * (n + 1), sizeof *v);
    if (!labels || !v) {
        b->oom = 1;
    } else {
        /* Forest plot of NPS, lowest first. */
        size_t *idx = malloc((n + 1) * sizeof *idx);
        if (!idx) {
            b->oom = 1;
        } else {
            for (size_t i = 0; i < n; i++)
                if (isfinite(report_num(r->scorecard, i, "nps")))
                    idx[k++] = i;
            for (size_t i = 1; i < k; i++)
                for (size_t j = i; j > 0 && report_num(r->scorecard, idx[j], "nps") <
                                                report_num(r->scorecard, idx[j - 1], "nps");
                     j--) {
                    size_t t = idx[j];
                    idx[j] = idx[j - 1];
                    idx[j - 1] = t;
                }
            double *est = v, *lo = v + (n + 1), *hi = v + 2 * (n + 1);
            for (size_t i = 0; i < k; i++) {
                labels[i] = report_str(r->scorecard, idx[i], "touchpoint");
                est[i] = report_num(r->scorecard, idx[i], "nps");
                lo[i] = report_num(r->scorecard, idx[i], "nps_low");
                hi[i] = report_num(r->scorecard, idx[i], "nps_high");
            }
            figure(b);
            chart_intervals(b, "chart-nps", "Net Promoter Score by touchpoint, with intervals",
                            "NPS (-100 to 100)", labels, est, lo, hi, k, -100, 100, 0, "0");
            figure_end(b, "Squares are each touchpoint's NPS, whiskers its confidence interval; "
                          "dark squares are below zero. Touchpoints without NPS answers are "
                          "left out.");
            free(idx);
        }
    }
    free(labels);
    free(v);
    static const char *const heads[] = {"<touchpoint", "<stage", "<channel", "reach", "NPS",
                                        "CSAT %",      "CES (1-7)", "rating (1-5)", "sentiment",
                                        "audit",       "CX index"};
    buf_puts(b, "<div class=\"wide\">");
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "<tr>");
        cell_text(b, report_str(r->scorecard, i, "touchpoint"));
        cell_text(b, report_str(r->scorecard, i, "stage"));
        cell_text(b, report_str(r->scorecard, i, "channel"));
        cell_count(b, report_num(r->scorecard, i, "reach"));
        cell_interval(b, r->scorecard, i, "nps", 1);
        cell_interval(b, r->scorecard, i, "csat", 1);
        cell_interval(b, r->scorecard, i, "ces", 2);
        cell_interval(b, r->scorecard, i, "rating", 2);
        cell_interval(b, r->scorecard, i, "sentiment", 2);
        cell_interval(b, r->scorecard, i, "audit", 1);
        cell_num(b, report_num(r->scorecard, i, "cx_index"), 1);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody></table></div><p>Intervals in brackets at the chosen confidence level "
                "(<code>--level</code>, default 95%).</p></section>\n");
}

static void hotspots(const report *r, buf *b)
{
    size_t n = report_rows(r->hotspots);
    section(b, "hotspots", "Pain points and bright spots",
            "Touchpoints whose experience differs significantly from all the others (Welch's "
            "t-test), ranked by impact = reach x gap.");
    const char **labels = calloc(n + 1, sizeof *labels);
    double *gap = calloc(n + 1, sizeof *gap);
    int *kind = calloc(n + 1, sizeof *kind);
    if (!labels || !gap || !kind) {
        b->oom = 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            labels[i] = report_str(r->hotspots, i, "touchpoint");
            gap[i] = report_num(r->hotspots, i, "gap");
            kind[i] = strcmp(report_str(r->hotspots, i, "kind"), "pain") != 0;
        }
        static const char *const names[2] = {"pain point", "bright spot"};
        figure(b);
        chart_diverging(b, "chart-hotspots", "Pain points and bright spots: gap to the overall "
                                             "CX index",
                        "CX index minus the overall index (points)", labels, gap, kind, n, names);
        figure_end(b, "Bars to the left (dark) are pain points, to the right (light) bright "
                      "spots, in order of impact.");
    }
    free(labels);
    free(gap);
    free(kind);
    static const char *const heads[] = {"<touchpoint", "<kind", "CX index", "gap",
                                        "reach",       "impact", "responses", "p-value"};
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "<tr class=\"%s\">",
                   strcmp(report_str(r->hotspots, i, "kind"), "pain") ? "bright" : "pain");
        cell_text(b, report_str(r->hotspots, i, "touchpoint"));
        cell_text(b, report_str(r->hotspots, i, "kind"));
        cell_num(b, report_num(r->hotspots, i, "cx_index"), 1);
        cell_num(b, report_num(r->hotspots, i, "gap"), 1);
        cell_count(b, report_num(r->hotspots, i, "reach"));
        cell_count(b, report_num(r->hotspots, i, "impact"));
        cell_count(b, report_num(r->hotspots, i, "responses"));
        buf_printf(b, "<td>%.2g</td></tr>\n", report_num(r->hotspots, i, "p_value"));
    }
    buf_puts(b, "</tbody></table></section>\n");
}

static void drivers(const report *r, buf *b)
{
    size_t n = report_rows(r->drivers);
    section(b, "drivers", "Key drivers",
            "Which touchpoints matter for loyalty: importance is the correlation of a "
            "customer's experience at the touchpoint with the outcome, performance its CX "
            "index.");
    const char **labels = calloc(n + 1, sizeof *labels);
    double *x = calloc(n + 1, sizeof *x), *y = calloc(n + 1, sizeof *y);
    if (!labels || !x || !y) {
        b->oom = 1;
    } else {
        double sx = 0, sy = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            labels[i] = report_str(r->drivers, i, "touchpoint");
            x[i] = report_num(r->drivers, i, "performance");
            y[i] = report_num(r->drivers, i, "importance");
            if (isfinite(x[i]) && isfinite(y[i])) {
                sx += x[i];
                sy += y[i];
                k++;
            }
        }
        chart_quadrant_data d = {labels,
                                 x,
                                 y,
                                 n,
                                 k ? sx / k : NAN,
                                 k ? sy / k : NAN,
                                 "Performance (CX index, 0-100)",
                                 "Importance (correlation)",
                                 {"fix first", "maintain", "low priority", "possible overkill"}};
        figure(b);
        chart_quadrants(b, "chart-drivers", "Importance and performance of touchpoints", &d);
        figure_end(b, "Top left (squares): important but performing below the mean, fix these "
                      "first; top right: keep up; bottom: matters less for the outcome.");
    }
    free(labels);
    free(x);
    free(y);
    buf_puts(b, "</section>\n");
}

static void funnel(const report *r, buf *b)
{
    size_t n = report_rows(r->steps);
    section(b, "funnel", "Funnel", NULL);
    buf_puts(b, "<p>Steps: ");
    h(b, r->funnel_text.data ? r->funnel_text.data : "(none)");
    buf_puts(b, r->funnel_default ? " (the most common converting path; choose others with "
                                    "<code>--steps</code>).</p>"
                                  : ".</p>");
    const char **labels = calloc(n + 1, sizeof *labels);
    double *c = calloc(n + 1, sizeof *c);
    if (!labels || !c) {
        b->oom = 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            labels[i] = report_str(r->steps, i, "touchpoint");
            c[i] = report_num(r->steps, i, "customers");
        }
        figure(b);
        chart_funnel(b, "chart-funnel", "Funnel: customers reaching each step", labels, c, n);
        figure_end(b, "Bar width is the number of customers who reached the step in order; "
                      "between the bars, how many did not go on.");
    }
    free(labels);
    free(c);
    if (report_rows(r->drops)) {
        buf_puts(b, "<details><summary>Where the customers who dropped out went next</summary>");
        static const char *const heads[] = {"step", "<after", "<went to", "customers"};
        thead(b, heads, 4);
        for (size_t i = 0; i < report_rows(r->drops) && i < 40; i++) {
            buf_puts(b, "<tr>");
            cell_num(b, report_num(r->drops, i, "step"), 0);
            cell_text(b, report_str(r->drops, i, "touchpoint"));
            cell_text(b, report_str(r->drops, i, "next"));
            cell_count(b, report_num(r->drops, i, "customers"));
            buf_puts(b, "</tr>\n");
        }
        buf_puts(b, "</tbody></table></details>");
    }
    buf_puts(b, "</section>\n");
}

static void flow(const report *r, buf *b)
{
    size_t n = report_rows(r->flow), k = 0;
    section(b, "flow", "Journey flow",
            "The first steps of every journey and the biggest transitions between them.");
    chart_edge *e = calloc(n + 1, sizeof *e);
    if (!e) {
        b->oom = 1;
    } else {
        /* The table is sorted by step, then value: keep the top edges of each step. */
        int step = 0;
        size_t in_step = 0;
        for (size_t i = 0; i < n; i++) {
            int s = (int)report_num(r->flow, i, "step");
            if (s > MAX_FLOW_STEPS)
                break;
            if (s != step) {
                step = s;
                in_step = 0;
            }
            if (in_step++ >= FLOW_EDGES_PER_STEP)
                continue;
            /* Only edges that leave a node kept at the step before. */
            const char *from = report_str(r->flow, i, "from");
            int reached = s == 1;
            for (size_t j = 0; j < k && !reached; j++)
                reached = e[j].step == s - 1 && !strcmp(e[j].to, from);
            if (!reached)
                continue;
            e[k].step = s;
            e[k].from = from;
            e[k].to = report_str(r->flow, i, "to");
            e[k].value = report_num(r->flow, i, "value");
            k++;
        }
        figure(b);
        chart_sankey(b, "chart-flow", "Journey flow: the top transitions of the first steps", e,
                     k);
        figure_end(b, "Columns are the first steps of journeys; band width is the number of "
                      "journeys taking that transition; grey nodes are journeys ending.");
    }
    free(e);
    buf_puts(b, "</section>\n");
}

static void attribution(const report *r, buf *b)
{
    static const char *const models[] = {"first", "last", "linear", "time_decay",
                                         "position", "markov", "shapley"};
    enum { NM = sizeof models / sizeof models[0] };
    size_t n = report_rows(r->attr);
    section(b, "attribution", "Attribution",
            "Who gets the credit for conversions under each model: heuristic rules, the "
            "removal effects of a Markov chain, and exact Shapley values.");
    /* The touchpoints that Markov credits most. */
    size_t *idx = malloc((n + 1) * sizeof *idx);
    const char **labels = calloc(ATTR_ROWS + 1, sizeof *labels);
    const char *series[NM];
    double *v = calloc((ATTR_ROWS + 1) * NM, sizeof *v);
    size_t ns = 0;
    if (!idx || !labels || !v) {
        b->oom = 1;
    } else {
        for (size_t m = 0; m < NM; m++)
            if (report_col(r->attr, models[m]) != (size_t)-1)
                series[ns++] = models[m];
        const char *key = report_col(r->attr, "markov") != (size_t)-1 ? "markov" : "linear";
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && report_num(r->attr, idx[j], key) >
                                            report_num(r->attr, idx[j - 1], key);
                 j--) {
                size_t t = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = t;
            }
        size_t k = n < ATTR_ROWS ? n : ATTR_ROWS;
        for (size_t i = 0; i < k; i++) {
            labels[i] = report_str(r->attr, idx[i], "touchpoint");
            for (size_t s = 0; s < ns; s++)
                v[i * ns + s] = report_num(r->attr, idx[i], series[s]);
        }
        figure(b);
        chart_dots(b, "chart-attribution", "Attributed conversions by model", "conversions",
                   labels, k, series, ns, v);
        figure_end(b, "One row per touchpoint (the most credited by Markov first); where the "
                      "markers spread, the models disagree about the touchpoint's role.");
    }
    free(idx);
    free(labels);
    free(v);
    static const char *const heads[] = {"<channel", "conversions (Markov)", "share"};
    thead(b, heads, 3);
    for (size_t i = 0; i < r->nchannels; i++) {
        buf_puts(b, "<tr>");
        cell_text(b, r->channels[i]);
        cell_num(b, r->channel_conv[i], 1);
        buf_printf(b, "<td>%.1f%%</td></tr>\n",
                   r->conversions > 0 ? 100 * r->channel_conv[i] / r->conversions : 0.0);
    }
    buf_puts(b, "</tbody></table></section>\n");
}

static void trend(const report *r, buf *b)
{
    size_t nx = report_rows(r->trend);
    section(b, "trend", "Trend",
            "The CX index per period, overall and for each stage of the journey.");
    const char **x = calloc(nx + 1, sizeof *x);
    char **notes = calloc(nx + 1, sizeof *notes);
    const char *series[MAX_STAGES + 1];
    double *v = calloc((nx + 1) * (MAX_STAGES + 1), sizeof *v);
    if (!x || !notes || !v) {
        b->oom = 1;
    } else {
        size_t ns = 1;
        series[0] = "all";
        for (size_t i = 0; i < nx; i++) {
            x[i] = report_str(r->trend, i, "period");
            v[i] = report_num(r->trend, i, "cx_index");
            char count[48];
            svg_format_count(count, sizeof count, report_num(r->trend, i, "responses"));
            notes[i] = malloc(strlen(count) + 3);
            if (notes[i])
                snprintf(notes[i], strlen(count) + 3, "n=%s", count);
        }
        for (size_t s = 0; s < r->nstages; s++) {
            const tp_table *t = r->stage_trend[s];
            double *line = v + ns * nx;
            int any = 0;
            for (size_t i = 0; i < nx; i++) {
                line[i] = NAN;
                for (size_t j = 0; j < report_rows(t); j++)
                    if (report_num(t, j, "start") == report_num(r->trend, i, "start"))
                        line[i] = report_num(t, j, "cx_index");
                any |= isfinite(line[i]);
            }
            if (any)
                series[ns++] = tp_catalog_stage_name(r->cat, s);
        }
        figure(b);
        chart_lines(b, "chart-trend", "CX index over time", "CX index (0-100)", x,
                    (const char *const *)notes, nx, series, ns, v);
        figure_end(b, "One line per stage and one for all feedback; n is the number of "
                      "responses in the period (few responses make a noisy point).");
    }
    for (size_t i = 0; i < nx && notes; i++)
        free(notes[i]);
    free(notes);
    free(x);
    free(v);
    buf_puts(b, "</section>\n");
}

void report_html(const report *r, buf *b)
{
    header(r, b);
    findings(r, b);
    journey(r, b);
    scorecard(r, b);
    hotspots(r, b);
    drivers(r, b);
    funnel(r, b);
    flow(r, b);
    attribution(r, b);
    trend(r, b);
    buf_puts(b, "</main>\n<footer><p>Definitions: NPS = % promoters - % detractors; CSAT = % of "
                "4-5 answers (Wilson interval); CES on 1-7; ratings on 1-5; the CX index puts "
                "every metric on 0-100 and averages them. Made by ");
    buf_printf(b, "touchpoint %s.</p></footer>\n</body></html>\n", tp_version_string());
}
