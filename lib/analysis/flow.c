/* Path analyses over journeys: variants, time to convert, what follows a
 * touchpoint, the step-by-step flow (Sankey) and its Graphviz export. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "analysis/counts.h"
#include "analysis/journey_index.h"
#include "analysis/result.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "touchpoint/journeys.h"

/* Counts per interned key (a flow edge). */
typedef struct tally {
    uint64_t journeys, conversions, customers;
    uint32_t last_customer;
    double value;
    const char *text;
    uint32_t id;
} tally;

TP__VEC(tally, tally)

static int tally_add(tp__intern *pool, tp__vec_tally *v, const void *key, size_t len,
                     uint32_t customer, int converted, double value)
{
    uint32_t id;
    if (tp__intern_put(pool, key, len, &id))
        return -1;
    if (id == v->len && tp__vec_tally_push(v, (tally){0, 0, 0, TP__NONE, 0, NULL, id}))
        return -1;
    tally *t = &v->data[id];
    t->journeys++;
    t->conversions += converted != 0;
    t->value += value;
    if (t->last_customer != customer) { /* a customer's journeys are contiguous */
        t->last_customer = customer;
        t->customers++;
    }
    return 0;
}

tp_status tp__variants_count(const tp__view *v, const tp__journey_index *ix, tp__ktab *out)
{
    const tp_events *e = v->ev;
    int collapse = (int)v->opt->collapse;
    tp_status st = TP_OK;
    tp__vec_u32 last = {0}; /* per record: the last customer counted (journeys are by customer) */
    uint32_t *seq = tp__malloc((ix->nrows ? ix->nrows : 1) * sizeof *seq);
    uint32_t *seen = tp__malloc((v->ntp ? v->ntp : 1) * sizeof *seen); /* journey stamp */
    if (!seq || !seen)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < v->ntp; i++)
        seen[i] = UINT32_MAX;
    for (size_t j = 0; st == TP_OK && j < ix->njourneys; j++) {
        if ((st = tp__options_tick(v->opt, j, ix->njourneys)) != TP_OK)
            break;
        size_t n = 0;
        for (uint32_t i = ix->start[j]; i < ix->start[j + 1]; i++) {
            uint32_t tp = e->touchpoint.data[ix->rows[i]];
            if (collapse == TP_COLLAPSE_REPEATS && n && seq[n - 1] == tp)
                continue;
            if (collapse == TP_COLLAPSE_LOOPS) {
                if (seen[tp] == (uint32_t)j)
                    continue;
                seen[tp] = (uint32_t)j;
            }
            seq[n++] = tp;
        }
        uint32_t row = ix->rows[ix->start[j + 1] - 1], id, cust = e->customer.data[row];
        int conv = e->type.data[row] == TP_EVENT_CONVERSION;
        tp__krec *r = tp__ktab_get(out, seq, n, &id);
        if (!r || (id == last.len && tp__vec_u32_push(&last, UINT32_MAX))) {
            st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        r->n[0]++;
        r->n[1] += conv;
        if (last.data[id] != cust) {
            last.data[id] = cust;
            r->n[2]++;
        }
        /* Accepted values are at most TP_MAX_AMOUNT, so this cannot leave the exact
         * range; if it ever did, the table would be wrong: refuse it instead. */
        if (conv && tp__xsum_add(&r->x[0], tp_events_value(e, row)))
            st = tp__error(TP_ELIMIT, "variants: conversion values beyond the exact-sum range");
    }
    tp__free(seq);
    tp__free(seen);
    tp__vec_u32_free(&last);
    return st;
}

typedef struct variant {
    uint64_t journeys, conversions;
    uint32_t id;
    const char *text;
} variant;

static int variant_cmp(const void *pa, const void *pb)
{
    const variant *a = pa, *b = pb;
    if (a->journeys != b->journeys)
        return a->journeys > b->journeys ? -1 : 1;
    if (a->conversions != b->conversions)
        return a->conversions > b->conversions ? -1 : 1;
    return strcmp(a->text, b->text);
}

tp_status tp__variants_render(const tp__names *nm, const tp__ktab *t, const struct tp_options *o,
                              tp_table **out)
{
    size_t nv = tp__ktab_count(t);
    /* a double: the counts of merged partials may each reach 2^63, and their
     * sum wrapped (a share of 2.24 from a crafted blob) */
    double total = 0;
    tp__intern texts;
    tp__intern_init(&texts);
    tp__strbuf sb;
    memset(&sb, 0, sizeof sb);
    variant *vs = tp__malloc((nv ? nv : 1) * sizeof *vs);
    tp_status st = vs ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; st == TP_OK && i < nv; i++) {
        sb.len = 0;
        for (size_t k = 0; k < tp__ktab_key_len(t, i); k++) {
            if (k)
                tp__sb_puts(&sb, " > ");
            tp__sb_puts(&sb, nm->id[tp__ktab_key_at(t, i, k)]);
        }
        uint32_t tid;
        if (sb.failed || tp__intern_put(&texts, sb.len ? sb.data : "", sb.len, &tid)) {
            st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        vs[i] = (variant){t->rec.data[i].n[0], t->rec.data[i].n[1], i, tp__intern_str(&texts, tid)};
        total += (double)vs[i].journeys;
    }
    if (st == TP_OK) {
        qsort(vs, nv, sizeof *vs, variant_cmp);
        static const tp__col cols[] = {
            {"path", TP_TYPE_STRING},    {"journeys", TP_TYPE_INT64},
            {"conversions", TP_TYPE_INT64}, {"conversion_rate", TP_TYPE_DOUBLE},
            {"customers", TP_TYPE_INT64}, {"value", TP_TYPE_DOUBLE},
            {"share", TP_TYPE_DOUBLE}};
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        size_t top = (size_t)o->top < nv ? (size_t)o->top : nv;
        for (size_t i = 0; i < top; i++) {
            const tp__krec *r = &t->rec.data[vs[i].id];
            tp__rb_row(&b);
            tp__rb_str(&b, 0, vs[i].text);
            tp__rb_i64(&b, 1, (int64_t)r->n[0]);
            tp__rb_i64(&b, 2, (int64_t)r->n[1]);
            tp__rb_f64(&b, 3, (double)r->n[1] / (double)r->n[0]);
            tp__rb_i64(&b, 4, (int64_t)r->n[2]);
            tp__rb_f64(&b, 5, tp__xsum_get(&r->x[0]));
            tp__rb_f64(&b, 6, (double)r->n[0] / total);
        }
        st = tp__rb_finish(&b, out);
    }
    tp__free(vs);
    tp__sb_free(&sb);
    tp__intern_free(&texts);
    return st;
}

TP_API tp_status tp_variants(const tp_events *events, const tp_filter *filter,
                             const tp_options *options, tp_table **out)
{
    return tp__journey_analysis(events, filter, options, "tp_variants", tp__variants_count,
                                tp__variants_render, out);
}

/* ---- time to convert ---- */

typedef struct conv_time {
    uint32_t entry;
    int64_t ms;
} conv_time;

static int conv_time_cmp(const void *pa, const void *pb)
{
    const conv_time *a = pa, *b = pb;
    if (a->entry != b->entry)
        return a->entry < b->entry ? -1 : 1;
    return a->ms < b->ms ? -1 : a->ms > b->ms;
}

typedef struct group {
    uint32_t entry;
    size_t begin, n;
    const char *name;
} group;

static int group_cmp(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Median, nearest-rank p90 and mean of sorted times. */
static void time_row(tp__rb *b, const char *entry, const conv_time *t, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)t[i].ms;
    size_t rank90 = (size_t)ceil(0.9 * (double)n);
    tp__rb_row(b);
    tp__rb_str(b, 0, entry);
    tp__rb_i64(b, 1, (int64_t)n);
    tp__rb_f64(b, 2, n % 2 ? (double)t[n / 2].ms
                           : ((double)t[n / 2 - 1].ms + (double)t[n / 2].ms) / 2);
    tp__rb_f64(b, 3, (double)t[rank90 ? rank90 - 1 : 0].ms);
    tp__rb_f64(b, 4, sum / (double)n);
}

static int ms_cmp(const void *pa, const void *pb)
{
    int64_t a = ((const conv_time *)pa)->ms, b = ((const conv_time *)pb)->ms;
    return a < b ? -1 : a > b;
}

TP_API tp_status tp_conversion_times(const tp_events *events, const tp_filter *filter,
                                     const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_conversion_times: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_conversion_times");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    size_t n = 0, ng = 0;
    conv_time *t = tp__malloc((ix.njourneys ? ix.njourneys : 1) * sizeof *t);
    conv_time *all = tp__malloc((ix.njourneys ? ix.njourneys : 1) * sizeof *all);
    group *g = tp__malloc((ix.njourneys ? ix.njourneys : 1) * sizeof *g);
    if (!t || !all || !g)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t j = 0; st == TP_OK && j < ix.njourneys; j++) {
        if ((st = tp__options_tick(v.opt, j, ix.njourneys)) != TP_OK)
            break;
        uint32_t first = ix.rows[ix.start[j]], last = ix.rows[ix.start[j + 1] - 1];
        if (e->type.data[last] == TP_EVENT_CONVERSION)
            t[n++] = (conv_time){e->touchpoint.data[first], e->time.data[last] - e->time.data[first]};
    }
    if (st == TP_OK) {
        memcpy(all, t, n * sizeof *t);
        qsort(all, n, sizeof *all, ms_cmp);
        qsort(t, n, sizeof *t, conv_time_cmp);
        for (size_t i = 0; i < n; i++) {
            if (i == 0 || t[i].entry != t[i - 1].entry)
                g[ng++] = (group){t[i].entry, i, 0, tp__catalog_id(v.cat, t[i].entry)};
            g[ng - 1].n++;
        }
        qsort(g, ng, sizeof *g, group_cmp);
        static const tp__col cols[] = {{"entry", TP_TYPE_STRING},    {"conversions", TP_TYPE_INT64},
                                       {"median_ms", TP_TYPE_DOUBLE}, {"p90_ms", TP_TYPE_DOUBLE},
                                       {"mean_ms", TP_TYPE_DOUBLE}};
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        tp__rb_unit(&b, "median_ms", TP_UNIT_DURATION);
        tp__rb_unit(&b, "p90_ms", TP_UNIT_DURATION);
        tp__rb_unit(&b, "mean_ms", TP_UNIT_DURATION);
        if (n)
            time_row(&b, "(all)", all, n);
        for (size_t i = 0; i < ng; i++)
            time_row(&b, g[i].name, t + g[i].begin, g[i].n);
        char why[128];
        const char *none = tp__journeys_why_none(&v, &ix, why, sizeof why);
        st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                               none ? none : "no journey ends in a conversion");
    }
    tp__free(t);
    tp__free(all);
    tp__free(g);
    tp__journeys_close(&v, &ix);
    return st;
}

/* ---- next touchpoints ---- */

typedef struct next_row {
    uint64_t count, customers;
    uint32_t last_customer;
    const char *name;
} next_row;

static int next_cmp(const void *pa, const void *pb)
{
    const next_row *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

TP_API tp_status tp_next_touchpoints(const tp_events *events, const char *touchpoint,
                                     const tp_filter *filter, const tp_options *options,
                                     tp_table **out)
{
    if (!out || !touchpoint)
        return tp__error(TP_EINVAL, "tp_next_touchpoints: NULL argument");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_next_touchpoints");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    size_t target;
    next_row *rows = NULL;
    char hint[512];
    if (tp_catalog_find_touchpoint(v.cat, touchpoint, &target) != TP_OK) {
        tp__catalog_suggest_touchpoint(v.cat, touchpoint ? touchpoint : "", hint, sizeof hint);
        st = tp__error(TP_ENOTFOUND, "'%.60s' is not a touchpoint of the catalog (%s)",
                       touchpoint ? touchpoint : "(null)", hint);
    } else if (!(rows = tp__calloc(v.ntp + 1, sizeof *rows)))
        st = tp__error(TP_ENOMEM, "out of memory");
    uint64_t visits = 0;
    for (size_t k = 0; st == TP_OK && k <= v.ntp; k++) {
        rows[k].last_customer = TP__NONE;
        rows[k].name = k == v.ntp ? TP_END_MARKER : tp__catalog_id(v.cat, (uint32_t)k);
    }
    for (size_t j = 0; st == TP_OK && j < ix.njourneys; j++) {
        if ((st = tp__options_tick(v.opt, j, ix.njourneys)) != TP_OK)
            break;
        for (uint32_t i = ix.start[j]; i < ix.start[j + 1]; i++) {
            if (e->touchpoint.data[ix.rows[i]] != target)
                continue;
            size_t k = i + 1 < ix.start[j + 1] ? e->touchpoint.data[ix.rows[i + 1]] : v.ntp;
            uint32_t cust = e->customer.data[ix.rows[i]];
            visits++;
            rows[k].count++;
            if (rows[k].last_customer != cust) {
                rows[k].last_customer = cust;
                rows[k].customers++;
            }
        }
    }
    if (st == TP_OK) {
        qsort(rows, v.ntp + 1, sizeof *rows, next_cmp);
        static const tp__col cols[] = {{"next", TP_TYPE_STRING},
                                       {"count", TP_TYPE_INT64},
                                       {"share", TP_TYPE_DOUBLE},
                                       {"customers", TP_TYPE_INT64}};
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        for (size_t k = 0; k <= v.ntp && rows[k].count; k++) {
            tp__rb_row(&b);
            tp__rb_str(&b, 0, rows[k].name);
            tp__rb_i64(&b, 1, (int64_t)rows[k].count);
            tp__rb_f64(&b, 2, (double)rows[k].count / (double)visits);
            tp__rb_i64(&b, 3, (int64_t)rows[k].customers);
        }
        char why[256];
        const char *none = tp__journeys_why_none(&v, &ix, why, sizeof why);
        if (!none)
            snprintf(why, sizeof why, "no selected journey passes through %.100s", touchpoint);
        st = tp__note_if_empty(tp__rb_finish(&b, out), out, why);
    }
    tp__free(rows);
    tp__journeys_close(&v, &ix);
    return st;
}

/* ---- flow (Sankey) ---- */

typedef struct flow_key {
    uint32_t step, from, to; /* to == TP__NONE: (end) */
} flow_key;

typedef struct flow_edge {
    flow_key k;
    uint64_t n;
    const char *from, *to;
} flow_edge;

static int flow_cmp(const void *pa, const void *pb)
{
    const flow_edge *a = pa, *b = pb;
    if (a->k.step != b->k.step)
        return a->k.step < b->k.step ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    int c = strcmp(a->from, b->from);
    return c ? c : strcmp(a->to, b->to);
}

TP_API tp_status tp_flow(const tp_events *events, const tp_filter *filter,
                         const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_flow: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_flow");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    size_t steps = (size_t)v.opt->max_steps;
    tp__intern pool;
    tp__intern_init(&pool);
    tp__vec_tally tv = {0};
    for (size_t j = 0; st == TP_OK && j < ix.njourneys; j++) {
        if ((st = tp__options_tick(v.opt, j, ix.njourneys)) != TP_OK)
            break;
        size_t n = ix.start[j + 1] - ix.start[j], upto = n < steps ? n : steps;
        for (size_t k = 0; k < upto && st == TP_OK; k++) {
            uint32_t from = e->touchpoint.data[ix.rows[ix.start[j] + k]];
            uint32_t to = k + 1 < n ? e->touchpoint.data[ix.rows[ix.start[j] + k + 1]] : TP__NONE;
            if (k + 1 == steps && to != TP__NONE)
                break; /* the journey goes on past the last step */
            flow_key key = {(uint32_t)k + 1, from, to};
            if (tally_add(&pool, &tv, &key, sizeof key, TP__NONE, 0, 0.0))
                st = tp__error(TP_ENOMEM, "out of memory");
        }
    }
    flow_edge *edges = tp__malloc((tv.len ? tv.len : 1) * sizeof *edges);
    if (st == TP_OK && !edges)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < tv.len; i++) {
        flow_key k;
        memcpy(&k, tp__intern_str(&pool, tv.data[i].id), sizeof k);
        edges[i] = (flow_edge){k, tv.data[i].journeys, tp__catalog_id(v.cat, k.from),
                               k.to == TP__NONE ? TP_END_MARKER : tp__catalog_id(v.cat, k.to)};
    }
    if (st == TP_OK) {
        qsort(edges, tv.len, sizeof *edges, flow_cmp);
        static const tp__col cols[] = {{"step", TP_TYPE_INT64},   {"source", TP_TYPE_STRING},
                                       {"target", TP_TYPE_STRING}, {"value", TP_TYPE_INT64},
                                       {"from", TP_TYPE_STRING},   {"to", TP_TYPE_STRING}};
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        char src[1100], dst[1100];
        for (size_t i = 0; i < tv.len; i++) {
            const flow_edge *x = &edges[i];
            snprintf(src, sizeof src, "%u. %s", x->k.step, x->from);
            if (x->k.to == TP__NONE)
                snprintf(dst, sizeof dst, "%s", TP_END_MARKER);
            else
                snprintf(dst, sizeof dst, "%u. %s", x->k.step + 1, x->to);
            tp__rb_row(&b);
            tp__rb_i64(&b, 0, x->k.step);
            tp__rb_str(&b, 1, src);
            tp__rb_str(&b, 2, dst);
            tp__rb_i64(&b, 3, (int64_t)x->n);
            tp__rb_str(&b, 4, x->from);
            tp__rb_str(&b, 5, x->to);
        }
        char why[128];
        st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                               tp__journeys_why_none(&v, &ix, why, sizeof why));
    }
    tp__free(edges);
    tp__vec_tally_free(&tv);
    tp__intern_free(&pool);
    tp__journeys_close(&v, &ix);
    return st;
}

/* ---- Graphviz ---- */

static void dot_id(tp__strbuf *sb, const char *s)
{
    tp__sb_putc(sb, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            tp__sb_putc(sb, '\\');
        if (*s == '\n' || *s == '\r')
            tp__sb_puts(sb, " ");
        else
            tp__sb_putc(sb, *s);
    }
    tp__sb_putc(sb, '"');
}

TP_API tp_status tp_edges_to_dot(const tp_table *t, char **out, size_t *len)
{
    if (!t || !out)
        return tp__error(TP_EINVAL, "tp_edges_to_dot: NULL argument");
    *out = NULL;
    size_t cf, ct, cw;
    if (!((tp_table_find_column(t, "source", &cf) == TP_OK &&
           tp_table_find_column(t, "target", &ct) == TP_OK &&
           tp_table_find_column(t, "value", &cw) == TP_OK) ||
          (tp_table_find_column(t, "from", &cf) == TP_OK &&
           tp_table_find_column(t, "to", &ct) == TP_OK &&
           tp_table_find_column(t, "count", &cw) == TP_OK)) ||
        tp_table_column_type(t, cf) != TP_TYPE_STRING ||
        tp_table_column_type(t, ct) != TP_TYPE_STRING ||
        tp_table_column_type(t, cw) == TP_TYPE_STRING)
        return tp__error(TP_EINVAL, "tp_edges_to_dot: the table needs string columns source and "
                                    "target with a numeric value, or from, to and count");
    size_t n = tp_table_row_count(t);
    double max = 0;
    for (size_t r = 0; r < n; r++) {
        double w = 0;
        int64_t iw;
        if (tp_table_column_type(t, cw) == TP_TYPE_INT64 && tp_table_get_int64(t, r, cw, &iw) == TP_OK)
            w = (double)iw;
        else
            tp_table_get_double(t, r, cw, &w);
        if (w > max)
            max = w;
    }
    tp__strbuf sb;
    memset(&sb, 0, sizeof sb);
    tp__sb_puts(&sb, "digraph journeys {\n  rankdir=LR;\n"
                     "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                     "  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t r = 0; r < n; r++) {
        const char *a = NULL, *b = NULL;
        double w = 0;
        int64_t iw;
        tp_table_get_string(t, r, cf, &a);
        tp_table_get_string(t, r, ct, &b);
        if (tp_table_column_type(t, cw) == TP_TYPE_INT64 && tp_table_get_int64(t, r, cw, &iw) == TP_OK)
            w = (double)iw;
        else
            tp_table_get_double(t, r, cw, &w);
        if (!a || !b)
            continue;
        tp__sb_puts(&sb, "  ");
        dot_id(&sb, a);
        tp__sb_puts(&sb, " -> ");
        dot_id(&sb, b);
        /* Numbers through tp__format_double: a host locale must not turn the
         * decimal point into a comma. */
        char num[32], pen[32];
        tp__format_double(w, num, sizeof num);
        tp__format_double(round((max > 0 ? 1.0 + 7.0 * w / max : 1.0) * 100) / 100, pen,
                          sizeof pen);
        tp__sb_printf(&sb, " [label=\"%s\", penwidth=%s];\n", num, pen);
    }
    tp__sb_puts(&sb, "}\n");
    return tp__sb_finish(&sb, out, len);
}
