/* The report as one self-contained HTML page: inline CSS and SVG, no script,
 * no external resource (a Content-Security-Policy forbids them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "report/charts.h"
#include "report/report_internal.h"
#include "report/svg.h"

/* The page's style, scoped to the report's <div> so that a notebook or a web
 * page that embeds the fragment keeps its own look. */
static const char page_style[] =
    ".tp-report{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#111;background:#fff;"
    "max-width:1040px;margin:0 auto;padding:0 16px 48px;line-height:1.45}"
    ".tp-report h1,.tp-report h2,.tp-report p,.tp-report dl,.tp-report table,"
    ".tp-report figcaption{color:#111;font-family:inherit;font-weight:inherit;"
    "letter-spacing:normal;text-transform:none}"
    ".tp-report h1{font-size:26px;font-weight:bold;margin:24px 0 4px}"
    ".tp-report h2{font-size:20px;font-weight:bold;"
    "margin:36px 0 6px;border-bottom:2px solid #111}.tp-report p.meta{color:#444;margin:0 0 12px}"
    ".tp-report nav a{margin-right:12px;color:#1a3f7a}"
    ".tp-report .findings{background:#f3f3f3;border-left:6px solid #111;padding:10px 18px}"
    ".tp-report .findings dt{font-weight:bold}.tp-report .findings dd{margin:0 0 8px 0}"
    ".tp-report figure{margin:12px 0}.tp-report figcaption{color:#333;font-size:14px;"
    "max-width:760px}"
    ".tp-report table{border-collapse:collapse;font-size:13px;margin:8px 0}"
    ".tp-report th,.tp-report td{border-bottom:1px solid #ccc;padding:3px 8px;text-align:right;"
    "white-space:nowrap}"
    ".tp-report th{background:#eee}.tp-report td.t,.tp-report th.t{text-align:left}"
    ".tp-report td small{color:#555;display:block}.tp-report .wide{overflow-x:auto}"
    ".tp-report td.few{color:#666;font-style:italic}"
    ".tp-report tr.pain td:first-child{border-left:5px solid #7f2704}"
    ".tp-report tr.bright td:first-child{border-left:5px solid #9ecae1}"
    ".tp-report td,.tp-report th,.tp-report dd,.tp-report p{unicode-bidi:isolate}"
    ".tp-report details{margin:8px 0}.tp-report footer{margin-top:40px;color:#444;"
    "font-size:13px}"
    "@media print{.tp-report nav{display:none}.tp-report section{break-inside:avoid}}";

/* The charts' style: every chart's <svg> has the class tp-chart, so the same
 * rules serve the page and a chart shown alone (which carries them inside). */
static const char chart_style[] =
    "svg.tp-chart{max-width:100%;height:auto;font-size:12px;"
    "font-family:'DejaVu Sans',Verdana,Arial,sans-serif;background:#fff}"
    "svg.tp-chart text{unicode-bidi:isolate}"
    "svg.tp-chart .title{font-size:15px;font-weight:bold}"
    "svg.tp-chart .tick{font-size:11px;fill:#222}"
    "svg.tp-chart .label{font-size:12px;fill:#111}svg.tp-chart .note{font-size:11px;fill:#555}"
    "svg.tp-chart .stage{font-size:13px;font-weight:bold}svg.tp-chart .value{font-size:12px}"
    "svg.tp-chart .drop{font-size:12px;font-weight:bold;fill:#7f2704}"
    "svg.tp-chart .quadrant{font-size:12px;font-style:italic;fill:#444}"
    "svg.tp-chart .axis line{stroke:#111}"
    "svg.tp-chart .axis .grid,svg.tp-chart line.grid{stroke:#ddd}"
    "svg.tp-chart .ref{stroke:#111;stroke-dasharray:5 4;stroke-width:1.2}"
    "svg.tp-chart .stagebar{stroke:#555;stroke-width:6;stroke-opacity:.55}"
    "svg.tp-chart .curve{fill:none;stroke:#111;stroke-width:2.5}"
    "svg.tp-chart .whisker{stroke:#111;stroke-width:1.5}"
    "svg.tp-chart .span{stroke:#999;stroke-width:1}"
    "svg.tp-chart .line{fill:none;stroke-width:2.5}"
    "svg.tp-chart .band0{fill:#f0f0f0}svg.tp-chart .band1{fill:#fafafa}"
    "svg.tp-chart .ribbon{fill:#6d7f99;fill-opacity:.35;stroke:#3c4a5e;stroke-opacity:.4}"
    "svg.tp-chart .ribbon:hover{fill-opacity:.6}svg.tp-chart .node{fill:#2d1e5c}"
    "svg.tp-chart .node.end{fill:#888}";

/* ---- small HTML helpers -------------------------------------------------------------- */

static void h(tp__strbuf *b, const char *text)
{
    tp__sb_xml(b, text);
}

static void cell_num(tp__strbuf *b, double v, int decimals)
{
    tp__sb_puts(b, "<td>");
    tp__sb_number(b, v, decimals);
    tp__sb_puts(b, "</td>");
}

static void cell_count(tp__strbuf *b, double v)
{
    char t[48];
    if (!isfinite(v)) {
        tp__sb_puts(b, "<td>-</td>");
        return;
    }
    tp__svg_format_count(t, sizeof t, v);
    tp__sb_printf(b, "<td>%s</td>", t);
}

static void cell_text(tp__strbuf *b, const char *s)
{
    tp__sb_puts(b, "<td class=\"t\">");
    h(b, s);
    tp__sb_puts(b, "</td>");
}

/* An estimate and its interval: "-26.8 [-30.1, -23.4]". */
/* Whether the comma-separated list holds `name`. */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !memcmp(p, name, n))
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* The value and its interval; a value the scorecard's low_sample lists
 * (fewer than min_responses answers) is set in grey italics. */
static void cell_interval(tp__strbuf *b, const tp_table *t, size_t row, const char *name,
                          int decimals)
{
    char lo[64], hi[64];
    tp__snprintf_c(lo, sizeof lo, "%s_low", name);
    tp__snprintf_c(hi, sizeof hi, "%s_high", name);
    double v = tp__report_num(t, row, name), l = tp__report_num(t, row, lo),
           u = tp__report_num(t, row, hi);
    const char *few = tp__report_str(t, row, "low_sample");
    tp__sb_puts(b, few && listed(few, name) ? "<td class=\"few\">" : "<td>");
    tp__sb_number(b, v, decimals);
    if (isfinite(v) && isfinite(l) && isfinite(u)) {
        tp__sb_puts(b, "<small>[");
        tp__sb_number(b, l, decimals);
        tp__sb_puts(b, ", ");
        tp__sb_number(b, u, decimals);
        tp__sb_puts(b, "]</small>");
    }
    tp__sb_puts(b, "</td>");
}

static void thead(tp__strbuf *b, const char *const *heads, size_t n)
{
    tp__sb_puts(b, "<table><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        /* A leading '<' marks a left-aligned (text) column. */
        int text = heads[i][0] == '<';
        tp__sb_puts(b, text ? "<th class=\"t\">" : "<th>");
        h(b, heads[i] + text);
        tp__sb_puts(b, "</th>");
    }
    tp__sb_puts(b, "</tr></thead><tbody>\n");
}

static void section(tp__strbuf *b, const char *id, const char *title, const char *intro)
{
    tp__sb_printf(b, "<section id=\"%s\"><h2>", id);
    h(b, title);
    tp__sb_puts(b, "</h2>");
    if (intro) {
        tp__sb_puts(b, "<p>");
        h(b, intro);
        tp__sb_puts(b, "</p>");
    }
    tp__sb_puts(b, "\n");
}

static void figure(tp__strbuf *b)
{
    tp__sb_puts(b, "<figure class=\"chart\">");
}

static void figure_end(tp__strbuf *b, const char *caption)
{
    tp__sb_puts(b, "<figcaption>");
    h(b, caption);
    tp__sb_puts(b, "</figcaption></figure>\n");
}

/* ---- sections ---------------------------------------------------------------------- */

static void header(const tp_report *r, tp__strbuf *b, int fragment)
{
    if (!fragment) {
        tp__sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                       "'none'; style-src 'unsafe-inline'; img-src data:\">"
                       "<meta name=\"generator\" content=\"touchpoint ");
        h(b, tp_version_string());
        tp__sb_puts(b, "\"><title>");
        h(b, r->title);
        tp__sb_printf(b,
                      "</title><style>body{margin:0}%s%s</style></head>\n<body>\n"
                      "<div class=\"tp-report\">\n",
                      page_style, chart_style);
    } else {
        tp__sb_printf(b, "<div class=\"tp-report\"><style>%s%s</style>\n", page_style, chart_style);
    }
    tp__sb_puts(b, "<header><h1>");
    h(b, r->title);
    tp__sb_puts(b, "</h1><p class=\"meta\">");
    char ev[48], cu[48], fb[48];
    tp__svg_format_count(ev, sizeof ev, (double)r->events);
    tp__svg_format_count(cu, sizeof cu, (double)r->customers);
    tp__svg_format_count(fb, sizeof fb, (double)r->feedback);
    tp__sb_printf(b, "%s events from %s customers, %s feedback responses, %zu touchpoints", ev, cu,
                  fb, r->touchpoints);
    if (r->first <= r->last) {
        char t0[40], t1[40];
        if (tp_time_format(r->first, t0, sizeof t0) == TP_OK &&
            tp_time_format(r->last, t1, sizeof t1) == TP_OK)
            tp__sb_printf(b, "; events from %.10s to %.10s", t0, t1);
    }
    if (r->rejected)
        tp__sb_printf(b, "; %zu bad input rows skipped (touchpoint validate lists them)",
                      r->rejected);
    if (*r->source) {
        tp__sb_puts(b, ". Source: ");
        h(b, r->source);
    }
    /* the sections' own ids and titles, so the menu is never out of step */
    tp__sb_puts(b, ".</p>\n<nav><a href=\"#findings\">Findings</a>");
    for (size_t i = 0; i < tp__report_chart_total; i++) {
        if (tp__report_charts[i].shown && !tp__report_charts[i].shown(r))
            continue;
        tp__sb_printf(b, "<a href=\"#%s\">", tp__report_charts[i].section);
        h(b, tp__report_charts[i].title);
        tp__sb_puts(b, "</a>");
    }
    tp__sb_puts(b, "</nav></header>\n<main>\n");
}

static void findings(const tp_report *r, tp__strbuf *b)
{
    section(b, "findings", "Top findings", NULL);
    tp__sb_puts(b, "<dl class=\"findings\">");
    for (size_t i = 0; i < TP__FINDINGS; i++) {
        const tp__finding *f = &r->findings[i];
        tp__sb_puts(b, "<dt>");
        h(b, f->heading);
        if (i == TP__FINDINGS - 1)
            tp__sb_puts(b, " by Markov attribution");
        tp__sb_printf(b, "</dt><dd id=\"finding-%s\">", f->key);
        h(b, f->text.data ? f->text.data : "");
        tp__sb_puts(b, "</dd>");
    }
    tp__sb_puts(b, "</dl></section>\n");
}

/* ---- charts: each draws one <svg> from the report's tables ---- */

static void draw_journey(const tp_report *r, tp__strbuf *b)
{
    size_t ns = r->nstages, n = tp__report_rows(r->scorecard);
    const char **stages = tp__calloc(ns + 1, sizeof *stages);
    double *stage_cx = tp__calloc(ns + 1, sizeof *stage_cx);
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    size_t *stage_of = tp__calloc(n + 1, sizeof *stage_of);
    double *cx = tp__calloc(n + 1, sizeof *cx);
    if (!stages || !stage_cx || !labels || !stage_of || !cx) {
        b->failed = 1;
    } else {
        for (size_t s = 0; s < ns; s++) {
            stages[s] = r->stages[s];
            stage_cx[s] = NAN;
            for (size_t i = 0; i < tp__report_rows(r->stage_cards); i++)
                if (!strcmp(tp__report_str(r->stage_cards, i, "stage"), stages[s]))
                    stage_cx[s] = tp__report_num(r->stage_cards, i, "cx_index");
        }
        for (size_t i = 0; i < n; i++) {
            ids[i] = tp__report_str(r->scorecard, i, "touchpoint");
            labels[i] = tp__report_label_of(r, ids[i]);
            cx[i] = tp__report_num(r->scorecard, i, "cx_index");
            /* A touchpoint without a stage gets ns: not drawn. */
            stage_of[i] = tp__report_stage(r, tp__report_str(r->scorecard, i, "stage"));
        }
        tp__chart_journey_data d = {stages, stage_cx, ns, labels, stage_of, cx, n, r->overall, ids};
        tp__chart_journey(b, "chart-journey", "Emotion curve: CX index by stage and touchpoint",
                          &d);
    }
    tp__free(stages);
    tp__free(stage_cx);
    tp__free(labels);
    tp__free(stage_of);
    tp__free(cx);
}

/* Forest plot of NPS, lowest first. */
static void draw_nps(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->scorecard), k = 0;
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    double *v = tp__calloc(3 * (n + 1), sizeof *v);
    size_t *idx = tp__malloc((n + 1) * sizeof *idx);
    if (!labels || !v || !idx) {
        b->failed = 1;
    } else {
        for (size_t i = 0; i < n; i++)
            if (isfinite(tp__report_num(r->scorecard, i, "nps")))
                idx[k++] = i;
        for (size_t i = 1; i < k; i++)
            for (size_t j = i; j > 0 && tp__report_num(r->scorecard, idx[j], "nps") <
                                            tp__report_num(r->scorecard, idx[j - 1], "nps");
                 j--) {
                size_t t = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = t;
            }
        double *est = v, *lo = v + (n + 1), *hi = v + 2 * (n + 1);
        for (size_t i = 0; i < k; i++) {
            ids[i] = tp__report_str(r->scorecard, idx[i], "touchpoint");
            labels[i] = tp__report_label_of(r, ids[i]);
            est[i] = tp__report_num(r->scorecard, idx[i], "nps");
            lo[i] = tp__report_num(r->scorecard, idx[i], "nps_low");
            hi[i] = tp__report_num(r->scorecard, idx[i], "nps_high");
        }
        tp__chart_intervals(b, "chart-nps", "Net Promoter Score by touchpoint, with intervals",
                            "NPS (-100 to 100)", labels, ids, est, lo, hi, k, -100, 100, 0, "0");
    }
    tp__free(idx);
    tp__free(labels);
    tp__free(v);
}

static void draw_hotspots(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->hotspots);
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    double *gap = tp__calloc(n + 1, sizeof *gap);
    int *kind = tp__calloc(n + 1, sizeof *kind);
    if (!labels || !gap || !kind) {
        b->failed = 1;
    } else {
        for (size_t i = 0; i < n; i++) {
            ids[i] = tp__report_str(r->hotspots, i, "touchpoint");
            labels[i] = tp__report_label_of(r, ids[i]);
            gap[i] = tp__report_num(r->hotspots, i, "gap");
            kind[i] = strcmp(tp__report_str(r->hotspots, i, "kind"), "pain") != 0;
        }
        static const char *const names[2] = {"pain point", "bright spot"};
        tp__chart_diverging(
            b, "chart-hotspots", "Pain points and bright spots: gap to the overall CX index",
            "CX index minus the overall index (points)", labels, ids, gap, kind, n, names);
    }
    tp__free(labels);
    tp__free(gap);
    tp__free(kind);
}

static void draw_drivers(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->drivers);
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    double *x = tp__calloc(n + 1, sizeof *x), *y = tp__calloc(n + 1, sizeof *y);
    if (!labels || !x || !y) {
        b->failed = 1;
    } else {
        double sx = 0, sy = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            ids[i] = tp__report_str(r->drivers, i, "touchpoint");
            labels[i] = tp__report_label_of(r, ids[i]);
            x[i] = tp__report_num(r->drivers, i, "performance");
            y[i] = tp__report_num(r->drivers, i, "importance");
            if (isfinite(x[i]) && isfinite(y[i])) {
                sx += x[i];
                sy += y[i];
                k++;
            }
        }
        tp__chart_quadrant_data d = {
            labels,
            x,
            y,
            n,
            k ? sx / (double)k : NAN,
            k ? sy / (double)k : NAN,
            "Performance (CX index, 0-100)",
            "Importance (correlation)",
            {"fix first", "maintain", "low priority", "possible overkill"},
            ids};
        tp__chart_quadrants(b, "chart-drivers", "Importance and performance of touchpoints", &d);
    }
    tp__free(labels);
    tp__free(x);
    tp__free(y);
}

/* A funnel step's label: the touchpoint's name, and the event type when the
 * step has one ("Online checkout (conversion)"); owned by the caller. */
static char *step_label(const tp_report *r, const char *step)
{
    const char *type = strrchr(step, '(');
    if (type && !(strcmp(type, "(interaction)") == 0 || strcmp(type, "(conversion)") == 0 ||
                  strcmp(type, "(exit)") == 0))
        type = NULL; /* "store (north)" is an id */
    size_t idlen = type ? (size_t)(type - step) : strlen(step);
    while (idlen && step[idlen - 1] == ' ')
        idlen--;
    char *id = tp__strndup(step, idlen);
    tp__strbuf label = {0};
    if (id) {
        tp__sb_puts(&label, tp__report_label_of(r, id));
        if (type && idlen)
            tp__sb_printf(&label, " %s", type);
        else if (type)
            tp__sb_puts(&label, type);
    }
    tp__free(id);
    if (!id || label.failed) {
        tp__sb_free(&label);
        return NULL;
    }
    return label.data;
}

static void draw_funnel(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->steps);
    char **labels = tp__calloc(n + 1, sizeof *labels);
    double *c = tp__calloc(n + 1, sizeof *c);
    if (!labels || !c) {
        b->failed = 1;
    } else {
        for (size_t i = 0; i < n && !b->failed; i++) {
            if (!(labels[i] = step_label(r, tp__report_str(r->steps, i, "touchpoint"))))
                b->failed = 1;
            c[i] = tp__report_num(r->steps, i, "customers");
        }
        if (!b->failed)
            tp__chart_funnel(b, "chart-funnel", "Funnel: customers reaching each step",
                             (const char *const *)labels, c, n);
    }
    for (size_t i = 0; labels && i < n; i++)
        tp__free(labels[i]);
    tp__free(labels);
    tp__free(c);
}

static const char *flow_label(const void *r, const char *id)
{
    return tp__report_label_of(r, id);
}

static void draw_flow(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->flow), k = 0;
    tp__chart_edge *e = tp__calloc(n + 1, sizeof *e);
    if (!e) {
        b->failed = 1;
        return;
    }
    /* The table is sorted by step, then value: keep the top edges of each step. */
    int step = 0;
    size_t in_step = 0;
    for (size_t i = 0; i < n; i++) {
        int s = (int)tp__report_num(r->flow, i, "step");
        if (s > TP__FLOW_STEPS)
            break;
        if (s != step) {
            step = s;
            in_step = 0;
        }
        if (in_step++ >= TP__FLOW_EDGES_PER_STEP)
            continue;
        /* Only edges that leave a node kept at the step before. */
        const char *from = tp__report_str(r->flow, i, "from");
        int reached = s == 1;
        for (size_t j = 0; j < k && !reached; j++)
            reached = e[j].step == s - 1 && !strcmp(e[j].to, from);
        if (!reached)
            continue;
        e[k].step = s;
        e[k].from = from;
        e[k].to = tp__report_str(r->flow, i, "to");
        e[k].value = tp__report_num(r->flow, i, "value");
        k++;
    }
    tp__chart_sankey(b, "chart-flow", "Journey flow: the top transitions of the first steps", e, k,
                     flow_label, r);
    tp__free(e);
}

/* Why the attribution is missing, when it is. */
static void attribution_note(const tp_report *r, tp__strbuf *b)
{
    if (!r->attr_note)
        return;
    tp__sb_puts(b, "<p class=\"note\"><strong>No attribution:</strong> ");
    tp__sb_xml(b, r->attr_note);
    tp__sb_puts(b, "</p>\n");
}

/* The touchpoints that Markov credits most, every model as one marker. */
static void draw_attribution(const tp_report *r, tp__strbuf *b)
{
    static const char *const models[] = {"first",    "last",   "linear", "time_decay",
                                         "position", "markov", "shapley"};
    enum { NM = sizeof models / sizeof models[0] };
    size_t n = tp__report_rows(r->attr);
    size_t *idx = tp__malloc((n + 1) * sizeof *idx);
    const char **labels = tp__calloc(TP__ATTR_ROWS + 1, sizeof *labels);
    const char *series[NM];
    double *v = tp__calloc((TP__ATTR_ROWS + 1) * NM, sizeof *v);
    size_t ns = 0;
    if (!idx || !labels || !v) {
        b->failed = 1;
    } else {
        for (size_t m = 0; m < NM; m++)
            if (tp__report_col(r->attr, models[m]) != (size_t)-1)
                series[ns++] = models[m];
        const char *key = tp__report_col(r->attr, "markov") != (size_t)-1 ? "markov" : "linear";
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && tp__report_num(r->attr, idx[j], key) >
                                            tp__report_num(r->attr, idx[j - 1], key);
                 j--) {
                size_t t = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = t;
            }
        size_t k = n < TP__ATTR_ROWS ? n : TP__ATTR_ROWS;
        for (size_t i = 0; i < k; i++) {
            labels[i] = tp__report_label_of(r, tp__report_str(r->attr, idx[i], "touchpoint"));
            for (size_t s = 0; s < ns; s++)
                v[i * ns + s] = tp__report_num(r->attr, idx[i], series[s]);
        }
        tp__chart_dots(b, "chart-attribution", "Attributed conversions by model", "conversions",
                       labels, k, series, ns, v);
    }
    tp__free(idx);
    tp__free(labels);
    tp__free(v);
}

static void draw_trend(const tp_report *r, tp__strbuf *b)
{
    size_t nx = tp__report_rows(r->trend);
    size_t nst = r->nstages < TP__REPORT_MAX_STAGES ? r->nstages : TP__REPORT_MAX_STAGES;
    const char **x = tp__calloc(nx + 1, sizeof *x);
    char **notes = tp__calloc(nx + 1, sizeof *notes);
    const char *series[TP__REPORT_MAX_STAGES + 1];
    double *v = tp__calloc((nx + 1) * (TP__REPORT_MAX_STAGES + 1), sizeof *v);
    if (!x || !notes || !v) {
        b->failed = 1;
    } else {
        size_t ns = 1;
        series[0] = "all";
        for (size_t i = 0; i < nx; i++) {
            x[i] = tp__report_str(r->trend, i, "period");
            v[i] = tp__report_num(r->trend, i, "cx_index");
            char count[48];
            tp__svg_format_count(count, sizeof count, tp__report_num(r->trend, i, "responses"));
            notes[i] = tp__malloc(strlen(count) + 3);
            if (notes[i])
                tp__snprintf_c(notes[i], strlen(count) + 3, "n=%s", count);
            else
                b->failed = 1;
        }
        for (size_t s = 0; s < nst; s++) {
            const tp_table *t = r->stage_trend[s];
            double *line = v + ns * nx;
            int any = 0;
            for (size_t i = 0; i < nx; i++) {
                line[i] = NAN;
                for (size_t j = 0; j < tp__report_rows(t); j++)
                    if (tp__report_num(t, j, "start") == tp__report_num(r->trend, i, "start"))
                        line[i] = tp__report_num(t, j, "cx_index");
                any |= isfinite(line[i]);
            }
            if (any)
                series[ns++] = r->stages[s];
        }
        tp__chart_lines(b, "chart-trend", "CX index over time", "CX index (0-100)", x,
                        (const char *const *)notes, nx, series, ns, v);
    }
    for (size_t i = 0; i < nx && notes; i++)
        tp__free(notes[i]);
    tp__free(notes);
    tp__free(x);
    tp__free(v);
}

int tp__report_chart(const tp_report *r, const char *name, tp__strbuf *b)
{
    for (size_t i = 0; i < tp__report_chart_total; i++)
        if (!strcmp(tp__report_charts[i].name, name)) {
            /* The style goes in right after the opening tag. */
            tp__strbuf svg = {0};
            tp__report_charts[i].draw(r, &svg);
            const char *end = svg.data ? strchr(svg.data, '>') : NULL;
            if (svg.failed || !end) {
                b->failed = 1;
            } else {
                tp__sb_add(b, svg.data, (size_t)(end + 1 - svg.data));
                tp__sb_printf(b, "<style>%s</style>", chart_style);
                tp__sb_puts(b, end + 1);
            }
            tp__sb_free(&svg);
            return 0;
        }
    return -1;
}

/* ---- sections ---- */

/* The writers of what a section shows besides its chart. */

static void scorecard_table(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->scorecard);
    static const char *const heads[] = {
        "<touchpoint", "<stage",       "<channel",  "reach", "answered %", "NPS", "CSAT %",
        "CES (1-7)",   "rating (1-5)", "sentiment", "audit", "CX index"};
    tp__sb_puts(b, "<div class=\"wide\">");
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        tp__sb_puts(b, "<tr>");
        cell_text(b, tp__report_str(r->scorecard, i, "touchpoint"));
        cell_text(b, tp__report_str(r->scorecard, i, "stage"));
        cell_text(b, tp__report_str(r->scorecard, i, "channel"));
        cell_count(b, tp__report_num(r->scorecard, i, "reach"));
        cell_num(b, 100 * tp__report_num(r->scorecard, i, "response_rate"), 0);
        cell_interval(b, r->scorecard, i, "nps", 1);
        cell_interval(b, r->scorecard, i, "csat", 1);
        cell_interval(b, r->scorecard, i, "ces", 2);
        cell_interval(b, r->scorecard, i, "rating", 2);
        cell_interval(b, r->scorecard, i, "sentiment", 2);
        cell_interval(b, r->scorecard, i, "audit", 1);
        cell_num(b, tp__report_num(r->scorecard, i, "cx_index"), 1);
        tp__sb_puts(b, "</tr>\n");
    }
    tp__sb_printf(b,
                  "</tbody></table></div><p>Intervals in brackets at the chosen confidence "
                  "level (option <code>level</code>, default 95%%). Values in grey italics "
                  "rest on fewer than %lld answers (option <code>min_responses</code>). "
                  "Answered: the share of the customers reached who gave feedback there.</p>",
                  (long long)r->min_responses);
}

static void hotspot_table(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->hotspots);
    static const char *const heads[] = {"<touchpoint", "<kind",  "CX index",  "gap",
                                        "reach",       "impact", "responses", "p-value"};
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        tp__sb_printf(b, "<tr class=\"%s\">",
                      strcmp(tp__report_str(r->hotspots, i, "kind"), "pain") ? "bright" : "pain");
        cell_text(b, tp__report_str(r->hotspots, i, "touchpoint"));
        cell_text(b, tp__report_str(r->hotspots, i, "kind"));
        cell_num(b, tp__report_num(r->hotspots, i, "cx_index"), 1);
        cell_num(b, tp__report_num(r->hotspots, i, "gap"), 1);
        cell_count(b, tp__report_num(r->hotspots, i, "reach"));
        cell_count(b, tp__report_num(r->hotspots, i, "impact"));
        cell_count(b, tp__report_num(r->hotspots, i, "responses"));
        tp__sb_printf(b, "<td>%.2g</td></tr>\n", tp__report_num(r->hotspots, i, "p_value"));
    }
    tp__sb_puts(b, "</tbody></table>");
}

static void funnel_steps(const tp_report *r, tp__strbuf *b)
{
    tp__sb_puts(b, "<p>Steps: ");
    h(b, r->funnel_text.data ? r->funnel_text.data : "(none)");
    switch (r->funnel_from) {
    case TP__FUNNEL_CATALOG:
        tp__sb_puts(b, " (the catalog's funnel <code>");
        h(b, r->funnel_id);
        tp__sb_puts(b, "</code>).</p>");
        break;
    case TP__FUNNEL_COMMON_PATH:
        tp__sb_puts(b, " (the most common converting path; choose others with the funnel "
                       "<code>steps</code> or a catalog funnel).</p>");
        break;
    default:
        tp__sb_puts(b, ".</p>");
    }
}

static void funnel_dropoffs(const tp_report *r, tp__strbuf *b)
{
    if (tp__report_rows(r->drops)) {
        tp__sb_puts(b, "<details><summary>Where the customers who dropped out went "
                       "next</summary>");
        static const char *const heads[] = {"step", "<after", "<went to", "customers"};
        thead(b, heads, 4);
        for (size_t i = 0; i < tp__report_rows(r->drops) && i < 40; i++) {
            tp__sb_puts(b, "<tr>");
            cell_num(b, tp__report_num(r->drops, i, "step"), 0);
            cell_text(b, tp__report_str(r->drops, i, "touchpoint"));
            cell_text(b, tp__report_str(r->drops, i, "next"));
            cell_count(b, tp__report_num(r->drops, i, "customers"));
            tp__sb_puts(b, "</tr>\n");
        }
        tp__sb_puts(b, "</tbody></table></details>");
    }
}

static void rollup_table(const tp_report *r, tp__strbuf *b)
{
    const char *gname = tp_group_name(r->credit_by);
    char head[40];
    tp__snprintf_c(head, sizeof head, "<%s", gname);
    const char *const heads[] = {head, "conversions (Markov)", "share"};
    thead(b, heads, 3);
    for (size_t i = 0; i < tp__report_rows(r->rollup); i++) {
        double conv = tp__report_num(r->rollup, i, "conversions");
        tp__sb_puts(b, "<tr>");
        cell_text(b, tp__report_str(r->rollup, i, gname));
        cell_num(b, conv, 1);
        tp__sb_printf(b, "<td>%.1f%%</td></tr>\n",
                      r->conversions > 0 ? 100 * conv / r->conversions : 0.0);
    }
    tp__sb_puts(b, "</tbody></table>");
}

/* Each target's gap as a share of its metric's scale, so NPS, CES and the CX
 * index share one axis: 0 is the target. */
static void draw_targets(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->targets), k = 0;
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    char **owned = tp__calloc(n + 1, sizeof *owned);
    double *v = tp__calloc(3 * (n + 1), sizeof *v);
    if (!labels || !owned || !v) {
        b->failed = 1;
    } else {
        double *est = v, *lo = v + (n + 1), *hi = v + 2 * (n + 1);
        for (size_t i = 0; i < n && !b->failed; i++) {
            tp_target t;
            double low, high;
            if (tp_target_parse(tp__report_str(r->targets, i, "metric"), &t) != TP_OK ||
                tp_target_scale(t, &low, &high) != TP_OK)
                continue;
            double span = high - low, goal = tp__report_num(r->targets, i, "target");
            tp__strbuf label = {0};
            ids[k] = tp__report_str(r->targets, i, "touchpoint");
            tp__sb_printf(&label, "%s: %s", tp__report_label_of(r, ids[k]),
                          tp__report_str(r->targets, i, "metric"));
            if (label.failed)
                b->failed = 1;
            owned[k] = label.data;
            labels[k] = label.data;
            est[k] = 100 * (tp__report_num(r->targets, i, "value") - goal) / span;
            lo[k] = 100 * (tp__report_num(r->targets, i, "low") - goal) / span;
            hi[k] = 100 * (tp__report_num(r->targets, i, "high") - goal) / span;
            k++;
        }
        if (!b->failed)
            tp__chart_intervals(b, "chart-targets", "Targets: how far each touchpoint is from its own",
                                "gap to the target, in % of the metric's scale", labels, ids, est,
                                lo, hi, k, -50, 50, 0, "target");
    }
    for (size_t i = 0; owned && i < k; i++)
        tp__free(owned[i]);
    tp__free(owned);
    tp__free(labels);
    tp__free(v);
}

static void targets_tables(const tp_report *r, tp__strbuf *b)
{
    if (r->roadmap) {
        tp__sb_puts(b, "<h3>Roadmap: the journey map <code>");
        h(b, r->roadmap_map);
        tp__sb_puts(b, "</code></h3><div class=\"wide\">");
        static const char *const heads[] = {"<stage",  "<touchpoint", "<owner",      "<metric",
                                            "target",  "value",       "<status",     "trend per period",
                                            "<reached", "arrivals in map"};
        thead(b, heads, sizeof heads / sizeof heads[0]);
        for (size_t i = 0; i < tp__report_rows(r->roadmap); i++) {
            tp__sb_puts(b, "<tr>");
            cell_text(b, tp__report_str(r->roadmap, i, "stage"));
            cell_text(b, tp__report_str(r->roadmap, i, "touchpoint"));
            cell_text(b, tp__report_str(r->roadmap, i, "owner"));
            cell_text(b, tp__report_str(r->roadmap, i, "metric"));
            cell_num(b, tp__report_num(r->roadmap, i, "target"), 1);
            cell_interval(b, r->roadmap, i, "value", 1);
            cell_text(b, tp__report_str(r->roadmap, i, "status"));
            cell_num(b, tp__report_num(r->roadmap, i, "slope"), 2);
            cell_text(b, tp__report_str(r->roadmap, i, "reached_by"));
            double share = tp__report_num(r->roadmap, i, "conformance");
            if (isfinite(share))
                tp__sb_printf(b, "<td>%.0f%%</td>", 100 * share);
            else
                tp__sb_puts(b, "<td></td>");
            tp__sb_puts(b, "</tr>\n");
        }
        tp__sb_puts(b, "</tbody></table></div><p>Trend: the least-squares change of the metric "
                       "per period; reached: when that line meets the target. Arrivals in map: "
                       "the share of customers' moves into the touchpoint that the map "
                       "allows.</p>");
    }
    tp__sb_puts(b, "<h3>By owner</h3>");
    static const char *const heads[] = {"<owner",  "touchpoints",    "pain points", "bright spots",
                                        "targets", "targets missed", "responses"};
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < tp__report_rows(r->owners); i++) {
        tp__sb_puts(b, "<tr>");
        cell_text(b, tp__report_str(r->owners, i, "owner"));
        cell_count(b, tp__report_num(r->owners, i, "touchpoints"));
        cell_count(b, tp__report_num(r->owners, i, "pain_points"));
        cell_count(b, tp__report_num(r->owners, i, "bright_spots"));
        cell_count(b, tp__report_num(r->owners, i, "targets"));
        cell_count(b, tp__report_num(r->owners, i, "targets_missed"));
        cell_count(b, tp__report_num(r->owners, i, "responses"));
        tp__sb_puts(b, "</tr>\n");
    }
    tp__sb_puts(b, "</tbody></table>");
}

/* The sections of the page after the findings, in order, each with its chart. */
/* ---- segments (with the option breakdown) ---- */

static int has_segments(const tp_report *r) { return r->segments != NULL; }

/* "vip: Online checkout" for the charts and tables */
static char *segment_label(const tp_report *r, size_t i)
{
    tp__strbuf label = {0};
    tp__sb_printf(&label, "%s: %s", tp__report_str(r->segment_diffs, i, "value"),
                  tp__report_label_of(r, tp__report_str(r->segment_diffs, i, "touchpoint")));
    if (label.failed) {
        tp__sb_free(&label);
        return NULL;
    }
    return label.data;
}

static void draw_segments(const tp_report *r, tp__strbuf *b)
{
    size_t n = tp__report_rows(r->segment_diffs), k = 0;
    const char **labels = tp__calloc(2 * (n + 1), sizeof *labels);
    const char **ids = labels ? labels + n + 1 : NULL;
    char **owned = tp__calloc(n + 1, sizeof *owned);
    double *diff = tp__calloc(n + 1, sizeof *diff);
    int *kind = tp__calloc(n + 1, sizeof *kind);
    if (!labels || !owned || !diff || !kind) {
        b->failed = 1;
    } else {
        for (; k < n; k++) {
            if (!(owned[k] = segment_label(r, k))) {
                b->failed = 1;
                break;
            }
            labels[k] = owned[k];
            ids[k] = tp__report_str(r->segment_diffs, k, "touchpoint");
            diff[k] = tp__report_num(r->segment_diffs, k, "difference");
            kind[k] = diff[k] > 0;
        }
        static const char *const names[2] = {"worse than the rest", "better than the rest"};
        if (!b->failed)
            tp__chart_diverging(b, "chart-segments",
                                "Segments: where a segment's experience differs from the rest",
                                "mean 0-100 experience minus the rest's (points)", labels, ids,
                                diff, kind, k, names);
    }
    for (size_t i = 0; owned && i < k; i++)
        tp__free(owned[i]);
    tp__free(owned);
    tp__free(labels);
    tp__free(diff);
    tp__free(kind);
}

static void segments_summary(const tp_report *r, tp__strbuf *b)
{
    if (!r->segments)
        return;
    tp__sb_puts(b, "<p>Broken down by <code>");
    h(b, r->segment_attr);
    tp__sb_puts(b, "</code> (customers without a value: <code>(none)</code>).</p>"
                   "<div class=\"wide\">");
    static const char *const heads[] = {"<value", "responses", "NPS", "mean experience (0-100)",
                                        "touchpoints worse", "touchpoints better"};
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < tp__report_rows(r->segments); i++) {
        tp__sb_puts(b, "<tr>");
        cell_text(b, tp__report_str(r->segments, i, "value"));
        cell_count(b, tp__report_num(r->segments, i, "responses"));
        cell_num(b, tp__report_num(r->segments, i, "nps"), 1);
        cell_num(b, tp__report_num(r->segments, i, "mean"), 1);
        cell_count(b, tp__report_num(r->segments, i, "worse"));
        cell_count(b, tp__report_num(r->segments, i, "better"));
        tp__sb_puts(b, "</tr>\n");
    }
    tp__sb_puts(b, "</tbody></table></div>");
}

static void segments_table(const tp_report *r, tp__strbuf *b)
{
    if (!r->segments)
        return;
    size_t n = tp__report_rows(r->segment_diffs);
    if (!n) {
        tp__sb_printf(b, "<p>No segment differs from the rest at any touchpoint (p below "
                         "%.3g).</p>", r->alpha);
        return;
    }
    static const char *const heads[] = {"<segment: touchpoint", "mean", "rest", "difference",
                                        "p-value"};
    tp__sb_puts(b, "<div class=\"wide\">");
    thead(b, heads, sizeof heads / sizeof heads[0]);
    for (size_t i = 0; i < n; i++) {
        char *label = segment_label(r, i);
        if (!label) {
            b->failed = 1;
            return;
        }
        tp__sb_puts(b, "<tr>");
        cell_text(b, label);
        tp__free(label);
        cell_num(b, tp__report_num(r->segment_diffs, i, "mean"), 1);
        cell_num(b, tp__report_num(r->segment_diffs, i, "rest_mean"), 1);
        cell_num(b, tp__report_num(r->segment_diffs, i, "difference"), 1);
        cell_num(b, tp__report_num(r->segment_diffs, i, "p_value"), 4);
        tp__sb_puts(b, "</tr>\n");
    }
    tp__sb_printf(b, "</tbody></table></div><p>Mean: the segment's mean 0-100 response value at "
                     "the touchpoint; rest: the other selected customers'; shown when Welch's "
                     "p-value is below alpha (%.3g).</p>",
                  r->alpha);
}

const tp__chart_entry tp__report_charts[] = {
    {"journey", "the emotion curve: the CX index of every touchpoint, stage by stage", draw_journey,
     "journey", "Journey map",
     "How customers feel along the journey: the CX index (0-100) of every touchpoint with "
     "feedback, stage by stage.",
     "Each dot is a touchpoint's CX index (dark: more than 5 points below the overall index, "
     "light: more than 5 above); the curve follows the journey's order, the grey bar is the "
     "stage's criticality-weighted index and the dashed line the overall index.",
     NULL, NULL, NULL},
    {"nps", "every touchpoint's NPS with its confidence interval", draw_nps, "scorecard",
     "Scorecard",
     "Every touchpoint's metrics with their confidence intervals, and the composite CX index.",
     "Squares are each touchpoint's NPS, whiskers its confidence interval; dark squares are "
     "below zero. Touchpoints without NPS answers are left out.",
     NULL, scorecard_table, NULL},
    {"hotspots", "pain points and bright spots: each one's gap to the overall CX index",
     draw_hotspots, "hotspots", "Pain points and bright spots",
     "Touchpoints whose experience differs significantly from all the others (Welch's "
     "t-test), ranked by impact = reach x gap.",
     "Bars to the left (dark) are pain points, to the right (light) bright spots, in order of "
     "impact.",
     NULL, hotspot_table, NULL},
    {"drivers", "importance against performance of the touchpoints (key drivers)", draw_drivers,
     "drivers", "Key drivers",
     "Which touchpoints matter for loyalty: importance is the correlation of a customer's "
     "experience at the touchpoint with the outcome, performance its CX index.",
     "Top left (squares): important but performing below the mean, fix these first; top "
     "right: keep up; bottom: matters less for the outcome.",
     NULL, NULL, NULL},
    {"targets", "each touchpoint's gap to its targets, with the roadmap and the owners",
     draw_targets, "targets", "Targets and owners",
     "Where each touchpoint stands against the targets the catalog sets for it, when the "
     "trend gets it there, and what each team owns.",
     "Each row is a touchpoint's target; the square is the gap of its metric to the target "
     "(left of the dashed line: below it), the whiskers its interval, all in percent of the "
     "metric's scale so that NPS, CES and the CX index share the axis.",
     NULL, targets_tables, NULL},
    {"funnel", "customers reaching each funnel step, and who dropped out", draw_funnel, "funnel",
     "Funnel", NULL,
     "Bar width is the number of customers who reached the step in order; between the bars, "
     "how many did not go on.",
     funnel_steps, funnel_dropoffs, NULL},
    {"flow", "the top transitions of the first steps of journeys (Sankey)", draw_flow, "flow",
     "Journey flow", "The first steps of every journey and the biggest transitions between them.",
     "Columns are the first steps of journeys; band width is the number of journeys taking "
     "that transition; grey nodes are journeys ending.",
     NULL, NULL, NULL},
    {"attribution", "conversions credited to the top touchpoints under each model",
     draw_attribution, "attribution", "Attribution",
     "Who gets the credit for conversions under each model: heuristic rules, the removal "
     "effects of a Markov chain, and exact Shapley values.",
     "One row per touchpoint (the most credited by Markov first); where the markers spread, "
     "the models disagree about the touchpoint's role.",
     attribution_note, rollup_table, NULL},
    {"trend", "the CX index per period, overall and per stage", draw_trend, "trend", "Trend",
     "The CX index per period, overall and for each stage of the journey.",
     "One line per stage and one for all feedback; n is the number of responses in the period "
     "(few responses make a noisy point).",
     NULL, NULL, NULL},
    {"segments", "where each segment's experience differs from the rest (with --breakdown)",
     draw_segments, "segments", "Segments",
     "How each value of the breakdown's attribute compares with the rest of the customers, "
     "touchpoint by touchpoint (Welch's t-test of the 0-100 response values).",
     "Each bar is a touchpoint where the segment's mean experience differs significantly from "
     "the other customers' (p below alpha): dark bars worse, light bars better; at most 15, "
     "the most significant first.",
     segments_summary, segments_table, has_segments},
};
const size_t tp__report_chart_total = sizeof tp__report_charts / sizeof tp__report_charts[0];

void tp__report_html(const tp_report *r, tp__strbuf *b, int fragment)
{
    header(r, b, fragment);
    findings(r, b);
    for (size_t i = 0; i < tp__report_chart_total; i++) {
        const tp__chart_entry *c = &tp__report_charts[i];
        if (c->shown && !c->shown(r))
            continue;
        section(b, c->section, c->title, c->intro);
        if (c->before)
            c->before(r, b);
        figure(b);
        c->draw(r, b);
        figure_end(b, c->caption);
        if (c->after)
            c->after(r, b);
        tp__sb_puts(b, "</section>\n");
    }
    tp__sb_puts(b, "</main>\n<footer><p>Definitions: NPS = % promoters - % detractors; CSAT = % "
                   "of 4-5 answers (Wilson interval); CES on 1-7; ratings on 1-5; the CX index "
                   "puts every metric on 0-100 and averages them. Made by ");
    tp__sb_printf(b, "touchpoint %s.</p></footer>\n</div>\n", tp_version_string());
    if (!fragment)
        tp__sb_puts(b, "</body></html>\n");
}
