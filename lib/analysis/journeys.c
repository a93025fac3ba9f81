/* Journeys and the directly-follows graph. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "analysis/counts.h"
#include "analysis/journey_index.h"
#include "analysis/options_internal.h"
#include "analysis/result.h"
#include "core/alloc.h"
#include "core/error.h"
#include "touchpoint/journeys.h"

typedef struct sort_key {
    int64_t time;
    uint32_t row;
} sort_key;

static int key_cmp(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Sort rows[0..n) of one customer by (time, row). Logs mostly hold a customer's
 * events in time order already, so that is checked first. Returns 0 or -1. */
static int sort_customer(const tp_events *e, uint32_t *rows, size_t n, sort_key **buf,
                         size_t *cap)
{
    size_t i = 1;
    while (i < n && e->time.data[rows[i - 1]] <= e->time.data[rows[i]])
        i++;
    if (i >= n)
        return 0; /* rows ascend already, and ties keep row order */
    if (n <= 16) { /* insertion sort: rows ascend, so it is stable by row */
        for (size_t a = i; a < n; a++) {
            uint32_t row = rows[a];
            int64_t t = e->time.data[row];
            size_t b = a;
            for (; b > 0 && e->time.data[rows[b - 1]] > t; b--)
                rows[b] = rows[b - 1];
            rows[b] = row;
        }
        return 0;
    }
    if (n > *cap) {
        sort_key *p = tp__realloc(*buf, n * sizeof *p);
        if (!p)
            return -1;
        *buf = p;
        *cap = n;
    }
    for (size_t k = 0; k < n; k++)
        (*buf)[k] = (sort_key){e->time.data[rows[k]], rows[k]};
    qsort(*buf, n, sizeof **buf, key_cmp);
    for (size_t k = 0; k < n; k++)
        rows[k] = (*buf)[k].row;
    return 0;
}

/* The selected rows ordered by (customer, time, row): a counting sort by
 * customer id (ids are dense; input order is kept within a customer), then each
 * customer's rows by time. O(events + customers), against O(n log n) for one
 * comparison sort of every event. */
tp_status tp__journeys_build(const tp__view *v, tp__journey_index *ix)
{
    const tp_events *e = v->ev;
    size_t n = e->customer.len, nc = tp__intern_count(&e->customers), k = 0, cap = 0;
    memset(ix, 0, sizeof *ix);
    uint32_t *first = tp__calloc(nc + 1, sizeof *first); /* customer -> first slot */
    uint8_t *sel = tp__malloc(n ? n : 1);
    sort_key *buf = NULL;
    ix->rows = tp__malloc((n ? n : 1) * sizeof *ix->rows);
    ix->start = tp__malloc((n + 1) * sizeof *ix->start);
    if (!first || !sel || !ix->rows || !ix->start) {
        tp__free(first);
        tp__free(sel);
        tp__journeys_free(ix);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    const struct tp_options *o = v->opt;
    tp_status st = TP_OK;
    for (size_t r = 0; r < n && st == TP_OK; r++) {
        if ((sel[r] = (uint8_t)tp__view_event(v, r)) != 0)
            first[e->customer.data[r] + 1]++;
        st = tp__options_tick(o, r, n);
    }
    if (st != TP_OK) {
        tp__free(first);
        tp__free(sel);
        tp__journeys_free(ix);
        return st;
    }
    for (size_t c = 0; c < nc; c++)
        first[c + 1] += first[c];
    k = first[nc];
    for (size_t r = 0; r < n; r++) /* first[c] walks customer c's slots */
        if (sel[r])
            ix->rows[first[e->customer.data[r]]++] = (uint32_t)r;
    tp__free(sel);
    /* first[c] is now the end of customer c's slots, the start of c + 1's. */
    int failed = 0;
    for (size_t c = 0, s = 0; c < nc && !failed && st == TP_OK; s = first[c++]) {
        failed = sort_customer(e, ix->rows + s, first[c] - s, &buf, &cap);
        st = tp__options_tick(o, c, nc);
    }
    tp__free(first);
    tp__free(buf);
    if (failed || st != TP_OK) {
        tp__journeys_free(ix);
        return failed ? tp__error(TP_ENOMEM, "out of memory") : st;
    }
    for (size_t i = 0; i < k; i++) {
        uint32_t row = ix->rows[i], prev = i ? ix->rows[i - 1] : 0;
        int cut = i == 0 || e->customer.data[row] != e->customer.data[prev];
        if (!cut)
            cut = e->type.data[prev] != TP_EVENT_INTERACTION ||
                  e->time.data[row] - e->time.data[prev] > v->opt->timeout;
        if (cut)
            ix->start[ix->njourneys++] = (uint32_t)i;
    }
    ix->start[ix->njourneys] = (uint32_t)k;
    ix->nrows = k;
    return TP_OK;
}

void tp__journeys_free(tp__journey_index *ix)
{
    tp__free(ix->rows);
    tp__free(ix->start);
    memset(ix, 0, sizeof *ix);
}

void tp__journeys_close(tp__view *v, tp__journey_index *ix)
{
    tp__journeys_free(ix);
    tp__view_close(v);
}

tp_status tp__journeys_open(tp__view *v, tp__journey_index *ix, const tp_events *events,
                               const tp_filter *filter, const tp_options *options,
                               const char *what)
{
    tp_status st = tp__view_open(v, events, NULL, filter, options, TP__NEED_EVENTS, what);
    if (st == TP_OK && (st = tp__journeys_build(v, ix)) != TP_OK)
        tp__view_close(v);
    return st;
}

const char *tp__journeys_why_none(const tp__view *v, const tp__journey_index *ix, char *buf,
                                  size_t cap)
{
    size_t n = v->ev->customer.len;
    if (ix->njourneys)
        return NULL;
    if (!n)
        snprintf(buf, cap, "no journeys: the event log is empty");
    else
        snprintf(buf, cap, "no journeys: none of the %zu events passes the filter", n);
    return buf;
}

enum { JN_CUSTOMER, JN_JOURNEY, JN_START, JN_END, JN_TOUCHES, JN_CONVERTED, JN_EXITED, JN_VALUE,
       JN_DURATION };

static const tp__col journey_cols[] = {
    {"customer", TP_TYPE_STRING}, {"journey", TP_TYPE_INT64},   {"start", TP_TYPE_INT64},
    {"end", TP_TYPE_INT64},       {"touches", TP_TYPE_INT64},   {"converted", TP_TYPE_INT64},
    {"exited", TP_TYPE_INT64},    {"value", TP_TYPE_DOUBLE},    {"duration", TP_TYPE_INT64},
};

TP_API tp_status tp_journeys(const tp_events *events, const tp_filter *filter,
                             const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_journeys: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_journeys");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    tp__rb b;
    tp__rb_begin(&b, journey_cols, TP__NCOLS(journey_cols));
    tp__rb_unit(&b, "start", TP_UNIT_TIME);
    tp__rb_unit(&b, "end", TP_UNIT_TIME);
    tp__rb_unit(&b, "converted", TP_UNIT_FLAG);
    tp__rb_unit(&b, "exited", TP_UNIT_FLAG);
    tp__rb_unit(&b, "duration", TP_UNIT_DURATION);
    int64_t number = 0;
    for (size_t j = 0; j < ix.njourneys && b.st == TP_OK; j++) {
        if ((b.st = tp__options_tick(v.opt, j, ix.njourneys)) != TP_OK)
            break;
        uint32_t first = ix.rows[ix.start[j]], last = ix.rows[ix.start[j + 1] - 1];
        uint32_t cust = e->customer.data[first];
        number = j > 0 && e->customer.data[ix.rows[ix.start[j - 1]]] == cust ? number + 1 : 1;
        int64_t t0 = e->time.data[first], t1 = e->time.data[last];
        uint8_t type = e->type.data[last];
        tp__rb_row(&b);
        tp__rb_str(&b, JN_CUSTOMER, tp__intern_str(&e->customers, cust));
        tp__rb_i64(&b, JN_JOURNEY, number);
        tp__rb_i64(&b, JN_START, t0);
        tp__rb_i64(&b, JN_END, t1);
        tp__rb_i64(&b, JN_TOUCHES, (int64_t)(ix.start[j + 1] - ix.start[j]));
        tp__rb_i64(&b, JN_CONVERTED, type == TP_EVENT_CONVERSION);
        tp__rb_i64(&b, JN_EXITED, type == TP_EVENT_EXIT);
        tp__rb_f64(&b, JN_VALUE, type == TP_EVENT_CONVERSION ? tp_events_value(e, last) : 0.0);
        tp__rb_i64(&b, JN_DURATION, t1 - t0);
    }
    char why[128];
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           tp__journeys_why_none(&v, &ix, why, sizeof why));
    tp__journeys_close(&v, &ix);
    return st;
}

typedef struct edge {
    uint32_t from, to; /* ranks: names by their rank, then (start), then (end) */
    uint32_t id;       /* record */
    uint64_t count;
} edge;

static int edge_cmp(const void *pa, const void *pb)
{
    const edge *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

tp_status tp__transitions_count(const tp__view *v, const tp__journey_index *ix, tp__ktab *out)
{
    const tp_events *e = v->ev;
    /* A dense (n + 1) x (n + 1) matrix when the catalog is small (row n is
     * the start marker, column n the end marker); else straight into the table. */
    size_t n = v->ntp, side = n + 1;
    uint64_t *m = side <= 2048 ? tp__calloc(side * side, sizeof *m) : NULL; /* NULL: use the table */
    tp__krec *r;
    for (size_t j = 0; j < ix->njourneys; j++) {
        tp_status st = tp__options_tick(v->opt, j, ix->njourneys);
        if (st != TP_OK) {
            tp__free(m);
            return st;
        }
        uint32_t prev = (uint32_t)n;
        for (uint32_t i = ix->start[j]; i <= ix->start[j + 1]; i++) {
            uint32_t tp = i < ix->start[j + 1] ? e->touchpoint.data[ix->rows[i]] : (uint32_t)n;
            if (m) {
                m[(size_t)prev * side + tp]++;
            } else {
                uint32_t key[2] = {prev == n ? TP__KEY_START : prev, tp == n ? TP__KEY_END : tp};
                if (!(r = tp__ktab_get(out, key, 2, NULL)))
                    return tp__error(TP_ENOMEM, "out of memory");
                r->n[0]++;
            }
            prev = tp;
        }
    }
    if (!m) /* counted straight into the table */
        return TP_OK;
    for (size_t a = 0; a < side; a++)
        for (size_t b = 0; b < side; b++) {
            if (!m[a * side + b])
                continue;
            uint32_t key[2] = {a == n ? TP__KEY_START : (uint32_t)a,
                               b == n ? TP__KEY_END : (uint32_t)b};
            if (!(r = tp__ktab_get(out, key, 2, NULL))) {
                tp__free(m);
                return tp__error(TP_ENOMEM, "out of memory");
            }
            r->n[0] += m[a * side + b];
        }
    tp__free(m);
    return TP_OK;
}

static uint32_t marker_rank(const tp__names *nm, uint32_t x)
{
    return x == TP__KEY_START ? (uint32_t)nm->n : x == TP__KEY_END ? (uint32_t)nm->n + 1 : nm->rank[x];
}

tp_status tp__transitions_render(const tp__names *nm, const tp__ktab *t,
                                 const struct tp_options *o, tp_table **out)
{
    (void)o;
    size_t ne = tp__ktab_count(t);
    edge *edges = tp__malloc((ne ? ne : 1) * sizeof *edges);
    if (!edges)
        return tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < ne; i++)
        edges[i] = (edge){marker_rank(nm, tp__ktab_key_at(t, i, 0)),
                          marker_rank(nm, tp__ktab_key_at(t, i, 1)), i, t->rec.data[i].n[0]};
    qsort(edges, ne, sizeof *edges, edge_cmp);
    static const tp__col cols[] = {
        {"from", TP_TYPE_STRING}, {"to", TP_TYPE_STRING}, {"count", TP_TYPE_INT64}};
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    for (size_t i = 0; i < ne && b.st == TP_OK; i++) {
        uint32_t from = tp__ktab_key_at(t, edges[i].id, 0), to = tp__ktab_key_at(t, edges[i].id, 1);
        tp__rb_row(&b);
        tp__rb_str(&b, 0, from == TP__KEY_START ? TP_START_MARKER : nm->id[from]);
        tp__rb_str(&b, 1, to == TP__KEY_END ? TP_END_MARKER : nm->id[to]);
        tp__rb_i64(&b, 2, (int64_t)edges[i].count);
    }
    tp__free(edges);
    return tp__rb_finish(&b, out);
}

tp_status tp__journey_analysis(const tp_events *events, const tp_filter *filter,
                               const tp_options *options, const char *what,
                               tp__journey_count_fn count, tp__render_fn render, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "%s: out is NULL", what);
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, what);
    if (st != TP_OK)
        return st;
    tp__ktab t;
    tp__names nm;
    tp__ktab_init(&t);
    memset(&nm, 0, sizeof nm);
    st = count(&v, &ix, &t);
    if (st == TP_OK)
        st = tp__names_of_catalog(v.cat, &nm);
    if (st == TP_OK)
        st = render(&nm, &t, v.opt, out);
    char why[128];
    st = tp__note_if_empty(st, out, tp__journeys_why_none(&v, &ix, why, sizeof why));
    tp__names_free(&nm);
    tp__ktab_free(&t);
    tp__journeys_close(&v, &ix);
    return st;
}

TP_API tp_status tp_transitions(const tp_events *events, const tp_filter *filter,
                                const tp_options *options, tp_table **out)
{
    return tp__journey_analysis(events, filter, options, "tp_transitions",
                                tp__transitions_count, tp__transitions_render, out);
}
