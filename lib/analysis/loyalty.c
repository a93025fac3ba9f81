/* Loyalty and engagement: cohort retention, repeat purchases (and which
 * touchpoints come before them), and engagement per touchpoint. All three
 * read the selected events of each customer in time order (the journey
 * index's rows; the cut into journeys does not matter here). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/counts.h"
#include "analysis/journey_index.h"
#include "analysis/period.h"
#include "analysis/result.h"
#include "analysis/stats.h"
#include "core/alloc.h"
#include "core/error.h"
#include "touchpoint/journeys.h"

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The median of n sorted values, as a double. */
static double median_of(const int64_t *x, size_t n)
{
    return n % 2 ? (double)x[n / 2] : ((double)x[n / 2 - 1] + (double)x[n / 2]) / 2.0;
}

/* The end of the customer run starting at ix->rows[i]. */
static size_t run_end(const tp_events *e, const tp__journey_index *ix, size_t i)
{
    uint32_t c = e->customer.data[ix->rows[i]];
    size_t j = i + 1;
    while (j < ix->nrows && e->customer.data[ix->rows[j]] == c)
        j++;
    return j;
}

static const char *owner_of(const tp_catalog *c, uint32_t tp)
{
    uint32_t o = c->tps.data[tp].owner;
    return o == TP__NONE ? NULL : tp__intern_str(&c->text, o);
}

/* ---- retention ---- */

static const tp__col retention_cols[] = {
    {"cohort", TP_TYPE_STRING}, {"start", TP_TYPE_INT64},  {"customers", TP_TYPE_INT64},
    {"age", TP_TYPE_INT64},     {"active", TP_TYPE_INT64}, {"share", TP_TYPE_DOUBLE},
};

/* Per customer: the cohort (the period of the first event, or the first
 * conversion) and, for every later period with an event (or a conversion),
 * one (cohort, age) pair; pairs are counted after one sort. */
static tp_status retention_tables(const tp__view *v, const tp__journey_index *ix, tp_table **out,
                                  tp_table **triangle)
{
    const tp_events *e = v->ev;
    int period = (int)v->opt->period, by_conversion = v->opt->cohort == TP_COHORT_FIRST_CONVERSION;
    uint64_t *pairs = tp__malloc((ix->nrows ? ix->nrows : 1) * sizeof *pairs);
    uint64_t *firsts = tp__malloc((ix->nrows ? ix->nrows : 1) * sizeof *firsts);
    if (!pairs || !firsts) {
        tp__free(pairs);
        tp__free(firsts);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    size_t np = 0, nc = 0;
    int64_t lo = INT64_MAX, last = INT64_MIN;
    for (size_t i = 0; i < ix->nrows; i++) {
        int64_t p = tp__period_index(e->time.data[ix->rows[i]], period);
        lo = p < lo ? p : lo;
        last = p > last ? p : last;
    }
    tp_status st = TP_OK;
    for (size_t i = 0; i < ix->nrows && st == TP_OK;) {
        size_t j = run_end(e, ix, i);
        st = tp__options_tick(v->opt, i, ix->nrows);
        int64_t cohort = INT64_MIN, prev_age = -1;
        for (size_t k = i; k < j; k++) {
            uint32_t r = ix->rows[k];
            if (by_conversion && e->type.data[r] != TP_EVENT_CONVERSION)
                continue;
            int64_t p = tp__period_index(e->time.data[r], period);
            if (cohort == INT64_MIN) {
                cohort = p;
                firsts[nc++] = (uint64_t)(cohort - lo);
            }
            int64_t age = p - cohort; /* rows are in time order: ages never go down */
            if (age != prev_age)
                pairs[np++] = (uint64_t)(cohort - lo) << 32 | (uint64_t)age;
            prev_age = age;
        }
        i = j;
    }
    if (st == TP_OK) {
        qsort(pairs, np, sizeof *pairs, u64_cmp);
        qsort(firsts, nc, sizeof *firsts, u64_cmp);
    }
    tp__rb b, w;
    tp__rb_begin(&b, retention_cols, TP__NCOLS(retention_cols));
    tp__rb_unit(&b, "start", TP_UNIT_TIME);
    tp__rb_begin(&w, retention_cols, 3);
    tp__rb_unit(&w, "start", TP_UNIT_TIME);
    size_t ages = nc ? (size_t)(last - lo) + 1 : 0;
    for (size_t a = 0; a < ages && w.st == TP_OK; a++) {
        char name[32];
        snprintf(name, sizeof name, "p%zu", a);
        tp__rb_column(&w, name, TP_TYPE_DOUBLE);
    }
    if (st != TP_OK)
        b.st = w.st = st;
    for (size_t i = 0, k = 0; i < nc && b.st == TP_OK && w.st == TP_OK;) {
        uint64_t c = firsts[i];
        size_t size = 0;
        while (i < nc && firsts[i] == c)
            i++, size++;
        int64_t day = tp__period_index_start((int64_t)c + lo, period);
        char label[16];
        tp__period_label(day, label, sizeof label);
        tp__rb_row(&w);
        tp__rb_str(&w, 0, label);
        tp__rb_i64(&w, 1, day * TP__DAY_MS);
        tp__rb_i64(&w, 2, (int64_t)size);
        for (int64_t age = 0; age <= last - ((int64_t)c + lo) && b.st == TP_OK; age++) {
            uint64_t key = c << 32 | (uint64_t)age;
            while (k < np && pairs[k] < key)
                k++;
            size_t active = 0;
            while (k < np && pairs[k] == key)
                k++, active++;
            tp__rb_row(&b);
            tp__rb_str(&b, 0, label);
            tp__rb_i64(&b, 1, day * TP__DAY_MS);
            tp__rb_i64(&b, 2, (int64_t)size);
            tp__rb_i64(&b, 3, age);
            tp__rb_i64(&b, 4, (int64_t)active);
            tp__rb_f64(&b, 5, (double)active / (double)size);
            tp__rb_f64(&w, 3 + (size_t)age, (double)active / (double)size);
        }
    }
    tp__free(pairs);
    tp__free(firsts);
    char buf[128];
    const char *why = tp__journeys_why_none(v, ix, buf, sizeof buf);
    if (!why && !nc)
        why = "no customer has a conversion in the selection (cohort first_conversion)";
    st = tp__note_if_empty(tp__rb_finish(&b, out), out, why);
    tp_status st2 = tp__note_if_empty(tp__rb_finish(&w, triangle), triangle, why);
    if (st == TP_OK && st2 != TP_OK) {
        tp_table_free(*out);
        *out = NULL;
        st = st2;
    } else if (st != TP_OK) {
        tp_table_free(*triangle);
        *triangle = NULL;
    }
    return st;
}

TP_API tp_status tp_retention(const tp_events *events, const tp_filter *filter,
                              const tp_options *options, tp_table **out, tp_table **triangle)
{
    if (triangle)
        *triangle = NULL;
    if (!out)
        return tp__error(TP_EINVAL, "tp_retention: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_retention");
    if (st != TP_OK)
        return st;
    tp_table *tri = NULL;
    st = retention_tables(&v, &ix, out, &tri);
    if (triangle)
        *triangle = tri;
    else
        tp_table_free(tri);
    tp__journeys_close(&v, &ix);
    return st;
}

/* ---- repeat purchases ---- */

static const tp__col repeat_cols[] = {
    {"touchpoint", TP_TYPE_STRING},     {"buyers", TP_TYPE_INT64},
    {"repeaters", TP_TYPE_INT64},       {"repeat_rate", TP_TYPE_DOUBLE},
    {"median_ms", TP_TYPE_DOUBLE},      {"rest_repeat_rate", TP_TYPE_DOUBLE},
    {"lift", TP_TYPE_DOUBLE},           {"p_value", TP_TYPE_DOUBLE},
    {"owner", TP_TYPE_STRING},
};

/* Two-sided p of the pooled two-proportion z-test of x1/n1 against x2/n2. */
static double two_proportions(double x1, double n1, double x2, double n2)
{
    double p = (x1 + x2) / (n1 + n2), se = sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
    if (!(n1 > 0 && n2 > 0) || !(se > 0))
        return NAN;
    return 2 * (1 - tp__norm_cdf(fabs(x1 / n1 - x2 / n2) / se));
}

typedef struct gap {
    uint32_t tp; /* UINT32_MAX: every buyer */
    int64_t ms;
} gap;

static int gap_cmp(const void *pa, const void *pb)
{
    const gap *a = pa, *b = pb;
    if (a->tp != b->tp)
        return a->tp < b->tp ? -1 : 1;
    return a->ms < b->ms ? -1 : a->ms > b->ms;
}

TP_API tp_status tp_repeat_purchases(const tp_events *events, const tp_filter *filter,
                                     const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_repeat_purchases: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_repeat_purchases");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    size_t ntp = v.ntp;
    uint64_t *touched = tp__calloc(ntp + 1, sizeof *touched); /* buyers who touched it */
    uint64_t *again = tp__calloc(ntp + 1, sizeof *again);     /* ... and bought again */
    uint32_t *stamp = tp__malloc((ntp + 1) * sizeof *stamp);
    gap *gaps = tp__malloc((ix.nrows + 1) * sizeof *gaps);
    if (!touched || !again || !stamp || !gaps)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t t = 0; st == TP_OK && t < ntp; t++)
        stamp[t] = UINT32_MAX;
    uint64_t buyers = 0, repeaters = 0;
    size_t ngaps = 0, nbuyer = 0;
    for (size_t i = 0; i < ix.nrows && st == TP_OK;) {
        size_t j = run_end(e, &ix, i);
        st = tp__options_tick(v.opt, i, ix.nrows);
        size_t first = SIZE_MAX, second = SIZE_MAX;
        for (size_t k = i; k < j && second == SIZE_MAX; k++)
            if (e->type.data[ix.rows[k]] == TP_EVENT_CONVERSION)
                *(first == SIZE_MAX ? &first : &second) = k;
        if (first == SIZE_MAX) {
            i = j;
            continue;
        }
        buyers++;
        int repeat = second != SIZE_MAX;
        repeaters += (uint64_t)repeat;
        int64_t ms = repeat ? e->time.data[ix.rows[second]] - e->time.data[ix.rows[first]] : 0;
        if (repeat)
            gaps[ngaps++] = (gap){UINT32_MAX, ms};
        /* the touchpoints of other events after the first purchase and before
         * the next (or the end of the data): each once per buyer */
        for (size_t k = first + 1; k < (repeat ? second : j); k++) {
            uint32_t r = ix.rows[k], tp = e->touchpoint.data[r];
            if (e->type.data[r] == TP_EVENT_CONVERSION || stamp[tp] == (uint32_t)nbuyer)
                continue;
            stamp[tp] = (uint32_t)nbuyer;
            touched[tp]++;
            again[tp] += (uint64_t)repeat;
            if (repeat)
                gaps[ngaps++] = (gap){tp, ms};
        }
        nbuyer++;
        i = j;
    }
    if (st == TP_OK)
        qsort(gaps, ngaps, sizeof *gaps, gap_cmp);
    tp__rb b;
    tp__rb_begin(&b, repeat_cols, TP__NCOLS(repeat_cols));
    tp__rb_unit(&b, "median_ms", TP_UNIT_DURATION);
    if (st != TP_OK)
        b.st = st;
    /* gaps: the touchpoints' in catalog order, then every buyer's (key last) */
    size_t all_from = ngaps;
    while (all_from > 0 && gaps[all_from - 1].tp == UINT32_MAX)
        all_from--;
    int64_t *ms = tp__malloc((ngaps + 1) * sizeof *ms);
    if (!ms && b.st == TP_OK)
        b.st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t k = all_from; ms && k < ngaps; k++)
        ms[k - all_from] = gaps[k].ms;
    if (buyers) {
        tp__rb_row(&b);
        tp__rb_str(&b, 0, "(all)");
        tp__rb_i64(&b, 1, (int64_t)buyers);
        tp__rb_i64(&b, 2, (int64_t)repeaters);
        tp__rb_f64(&b, 3, (double)repeaters / (double)buyers);
        tp__rb_f64(&b, 4, ms && ngaps > all_from ? median_of(ms, ngaps - all_from) : NAN);
    }
    for (size_t t = 0, at = 0; t < ntp && b.st == TP_OK; t++) {
        size_t n = 0;
        while (at < all_from && gaps[at].tp < t)
            at++;
        while (at < all_from && gaps[at].tp == t)
            ms[n++] = gaps[at++].ms;
        if (!touched[t] || !v.tp_ok[t])
            continue;
        uint64_t nb = touched[t], nr = again[t];
        double rest_n = (double)(buyers - nb), rest_r = (double)(repeaters - nr);
        tp__rb_row(&b);
        tp__rb_str(&b, 0, tp__catalog_id(v.cat, (uint32_t)t));
        tp__rb_i64(&b, 1, (int64_t)nb);
        tp__rb_i64(&b, 2, (int64_t)nr);
        tp__rb_f64(&b, 3, (double)nr / (double)nb);
        tp__rb_f64(&b, 4, n ? median_of(ms, n) : NAN);
        tp__rb_f64(&b, 5, rest_n > 0 ? rest_r / rest_n : NAN);
        tp__rb_f64(&b, 6, rest_n > 0 ? (double)nr / (double)nb - rest_r / rest_n : NAN);
        tp__rb_f64(&b, 7, two_proportions((double)nr, (double)nb, rest_r, rest_n));
        tp__rb_str(&b, 8, owner_of(v.cat, (uint32_t)t));
    }
    tp__free(ms);
    char buf[128];
    const char *why = tp__journeys_why_none(&v, &ix, buf, sizeof buf);
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           why ? why : "no customer has a conversion in the selection");
    tp__free(touched);
    tp__free(again);
    tp__free(stamp);
    tp__free(gaps);
    tp__journeys_close(&v, &ix);
    return st;
}

/* ---- engagement ---- */

static const tp__col engagement_cols[] = {
    {"touchpoint", TP_TYPE_STRING},        {"customers", TP_TYPE_INT64},
    {"touches", TP_TYPE_INT64},            {"touches_per_customer", TP_TYPE_DOUBLE},
    {"active_last_period", TP_TYPE_INT64}, {"recency_ms", TP_TYPE_DOUBLE},
    {"owner", TP_TYPE_STRING},
};
static const tp__col by_period_cols[] = {
    {"period", TP_TYPE_STRING},    {"start", TP_TYPE_INT64},     {"touchpoint", TP_TYPE_STRING},
    {"customers", TP_TYPE_INT64}, {"touches", TP_TYPE_INT64},
};

typedef struct touch {
    int64_t period;
    uint32_t tp;
    uint32_t first; /* 1 for a customer's first touch of tp in the period */
} touch;

static int touch_cmp(const void *pa, const void *pb)
{
    const touch *a = pa, *b = pb;
    if (a->period != b->period)
        return a->period < b->period ? -1 : 1;
    return a->tp < b->tp ? -1 : a->tp > b->tp;
}

TP_API tp_status tp_engagement(const tp_events *events, const tp_filter *filter,
                               const tp_options *options, tp_table **out, tp_table **by_period)
{
    if (by_period)
        *by_period = NULL;
    if (!out)
        return tp__error(TP_EINVAL, "tp_engagement: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_engagement");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    size_t ntp = v.ntp;
    int period = (int)v.opt->period;
    touch *touches = tp__malloc((ix.nrows + 1) * sizeof *touches);
    gap *recency = tp__malloc((ix.nrows + 1) * sizeof *recency);
    uint32_t *stamp = tp__malloc((ntp + 1) * sizeof *stamp);
    int64_t *seen_period = tp__malloc((ntp + 1) * sizeof *seen_period);
    int64_t *last_at = tp__malloc((ntp + 1) * sizeof *last_at);
    uint32_t *list = tp__malloc((ntp + 1) * sizeof *list);
    uint64_t *customers = tp__calloc(ntp + 1, sizeof *customers);
    uint64_t *count = tp__calloc(ntp + 1, sizeof *count);
    uint64_t *active_last = tp__calloc(ntp + 1, sizeof *active_last);
    if (!touches || !recency || !stamp || !seen_period || !last_at || !list || !customers ||
        !count || !active_last)
        st = tp__error(TP_ENOMEM, "out of memory");
    int64_t end = INT64_MIN, last_period = INT64_MIN;
    for (size_t i = 0; st == TP_OK && i < ix.nrows; i++) {
        int64_t t = e->time.data[ix.rows[i]];
        end = t > end ? t : end;
    }
    if (ix.nrows)
        last_period = tp__period_index(end, period);
    for (size_t t = 0; st == TP_OK && t < ntp; t++)
        stamp[t] = UINT32_MAX;
    size_t nrec = 0, cust = 0;
    for (size_t i = 0; i < ix.nrows && st == TP_OK; cust++) {
        size_t j = run_end(e, &ix, i), nlist = 0;
        st = tp__options_tick(v.opt, i, ix.nrows);
        for (size_t k = i; k < j; k++) {
            uint32_t r = ix.rows[k], tp = e->touchpoint.data[r];
            int64_t p = tp__period_index(e->time.data[r], period);
            int first_here = stamp[tp] != (uint32_t)cust;
            if (first_here) {
                stamp[tp] = (uint32_t)cust;
                seen_period[tp] = INT64_MIN;
                list[nlist++] = tp;
                customers[tp]++;
            }
            count[tp]++;
            last_at[tp] = e->time.data[r];
            touches[k] = (touch){p, tp, seen_period[tp] != p};
            seen_period[tp] = p;
        }
        for (size_t k = 0; k < nlist; k++) {
            uint32_t tp = list[k];
            recency[nrec++] = (gap){tp, end - last_at[tp]};
            active_last[tp] += (uint64_t)(seen_period[tp] == last_period);
        }
        i = j;
    }
    if (st == TP_OK) {
        qsort(recency, nrec, sizeof *recency, gap_cmp);
        qsort(touches, ix.nrows, sizeof *touches, touch_cmp);
    }
    tp__rb b;
    tp__rb_begin(&b, engagement_cols, TP__NCOLS(engagement_cols));
    tp__rb_unit(&b, "recency_ms", TP_UNIT_DURATION);
    if (st != TP_OK)
        b.st = st;
    int64_t *ms = b.st == TP_OK ? tp__malloc((nrec + 1) * sizeof *ms) : NULL;
    if (!ms && b.st == TP_OK)
        b.st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t t = 0, at = 0; t < ntp && b.st == TP_OK; t++) {
        size_t n = 0;
        while (at < nrec && recency[at].tp < t)
            at++;
        while (at < nrec && recency[at].tp == t)
            ms[n++] = recency[at++].ms;
        if (!customers[t])
            continue;
        tp__rb_row(&b);
        tp__rb_str(&b, 0, tp__catalog_id(v.cat, (uint32_t)t));
        tp__rb_i64(&b, 1, (int64_t)customers[t]);
        tp__rb_i64(&b, 2, (int64_t)count[t]);
        tp__rb_f64(&b, 3, (double)count[t] / (double)customers[t]);
        tp__rb_i64(&b, 4, (int64_t)active_last[t]);
        tp__rb_f64(&b, 5, median_of(ms, n));
        tp__rb_str(&b, 6, owner_of(v.cat, (uint32_t)t));
    }
    tp__free(ms);
    char buf[128];
    const char *why = tp__journeys_why_none(&v, &ix, buf, sizeof buf);
    st = tp__note_if_empty(tp__rb_finish(&b, out), out, why);
    if (st == TP_OK && by_period) {
        tp__rb w;
        tp__rb_begin(&w, by_period_cols, TP__NCOLS(by_period_cols));
        tp__rb_unit(&w, "start", TP_UNIT_TIME);
        for (size_t i = 0; i < ix.nrows && w.st == TP_OK;) {
            size_t k = i;
            uint64_t who = 0;
            while (k < ix.nrows && !touch_cmp(&touches[k], &touches[i]))
                who += touches[k++].first;
            int64_t day = tp__period_index_start(touches[i].period, period);
            char label[16];
            tp__period_label(day, label, sizeof label);
            tp__rb_row(&w);
            tp__rb_str(&w, 0, label);
            tp__rb_i64(&w, 1, day * TP__DAY_MS);
            tp__rb_str(&w, 2, tp__catalog_id(v.cat, touches[i].tp));
            tp__rb_i64(&w, 3, (int64_t)who);
            tp__rb_i64(&w, 4, (int64_t)(k - i));
            i = k;
        }
        st = tp__note_if_empty(tp__rb_finish(&w, by_period), by_period, why);
        if (st != TP_OK) {
            tp_table_free(*out);
            *out = NULL;
        }
    }
    tp__free(touches);
    tp__free(recency);
    tp__free(stamp);
    tp__free(seen_period);
    tp__free(last_at);
    tp__free(list);
    tp__free(customers);
    tp__free(count);
    tp__free(active_last);
    tp__journeys_close(&v, &ix);
    return st;
}
