/* Per-period series of the feedback metrics with period-over-period change and
 * its significance (Welch's t-test on the 0-100 values). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/period.h"
#include "analysis/result.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/civil.h"
#include "core/error.h"

#define DAY_MS TP__DAY_MS

typedef struct item {
    uint32_t key; /* touchpoint, or 0 overall */
    int64_t start;
    uint32_t resp;
} item;

static int item_cmp(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->resp < b->resp ? -1 : a->resp > b->resp;
}

enum {
    TR_PERIOD, TR_START, TR_TOUCHPOINT, TR_RESPONSES, TR_NPS_N, TR_NPS, TR_CSAT_N, TR_CSAT,
    TR_CES_N, TR_CES, TR_RATING_N, TR_RATING, TR_SENT_N, TR_SENT, TR_AUDIT_N, TR_AUDIT, TR_CX,
    TR_CHANGE, TR_P, TR_SIGNIFICANT
};

static const tp__col trend_cols[] = {
    {"period", TP_TYPE_STRING},     {"start", TP_TYPE_INT64},      {"touchpoint", TP_TYPE_STRING},
    {"responses", TP_TYPE_INT64},   {"nps_n", TP_TYPE_INT64},      {"nps", TP_TYPE_DOUBLE},
    {"csat_n", TP_TYPE_INT64},      {"csat", TP_TYPE_DOUBLE},      {"ces_n", TP_TYPE_INT64},
    {"ces", TP_TYPE_DOUBLE},        {"rating_n", TP_TYPE_INT64},   {"rating", TP_TYPE_DOUBLE},
    {"sentiment_n", TP_TYPE_INT64}, {"sentiment", TP_TYPE_DOUBLE}, {"audit_n", TP_TYPE_INT64},
    {"audit", TP_TYPE_DOUBLE},      {"cx_index", TP_TYPE_DOUBLE},  {"change", TP_TYPE_DOUBLE},
    {"p_value", TP_TYPE_DOUBLE},    {"significant", TP_TYPE_INT64},
};

TP_API tp_status tp_trend(const tp_events *events, const tp_feedback *feedback,
                          const tp_filter *filter, const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_trend: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options, TP__NEED_FEEDBACK,
                                 "tp_trend");
    if (st != TP_OK)
        return st;
    size_t n = v.resp.len;
    int by_tp = v.opt->by_touchpoint != 0;
    item *items = tp__malloc((n ? n : 1) * sizeof *items);
    if (!items) {
        tp__view_close(&v);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const tp__resp *r = &v.resp.data[i];
        items[i] = (item){by_tp ? r->tp : 0, tp__period_start(r->time, (int)v.opt->period),
                          (uint32_t)i};
    }
    qsort(items, n, sizeof *items, item_cmp);
    tp__rb b;
    tp__rb_begin(&b, trend_cols, TP__NCOLS(trend_cols));
    tp__rb_unit(&b, "start", TP_UNIT_TIME);
    tp__rb_unit(&b, "significant", TP_UNIT_FLAG);
    tp__acc prev;
    double prev_cx = NAN;
    uint32_t prev_key = TP__NONE;
    for (size_t i = 0; i < n && b.st == TP_OK;) {
        tp__acc a;
        memset(&a, 0, sizeof a);
        size_t j = i;
        while (j < n && items[j].key == items[i].key && items[j].start == items[i].start)
            tp__acc_add(&a, &v.resp.data[items[j++].resp]);
        double cx = tp__acc_cx(&a, v.opt->weight);
        char date[40];
        tp__period_label(items[i].start, date, sizeof date);
        tp__rb_row(&b);
        tp__rb_str(&b, TR_PERIOD, date);
        tp__rb_i64(&b, TR_START, items[i].start * DAY_MS);
        tp__rb_str(&b, TR_TOUCHPOINT, by_tp ? tp__catalog_id(v.cat, items[i].key) : "(all)");
        tp__rb_i64(&b, TR_RESPONSES, (int64_t)a.all.n);
        static const int metric_col[TP__M_COUNT][2] = {
            {TR_NPS_N, TR_NPS},       {TR_CSAT_N, TR_CSAT}, {TR_CES_N, TR_CES},
            {TR_RATING_N, TR_RATING}, {TR_SENT_N, TR_SENT}, {TR_AUDIT_N, TR_AUDIT}};
        for (int m = 0; m < TP__M_COUNT; m++) {
            tp__rb_i64(&b, (size_t)metric_col[m][0], (int64_t)tp__acc_n(&a, m));
            tp__rb_f64(&b, (size_t)metric_col[m][1], tp__acc_metric(&a, m));
        }
        tp__rb_f64(&b, TR_CX, cx);
        if (prev_key == items[i].key) {
            double t, df, p;
            tp__rb_f64(&b, TR_CHANGE, cx - prev_cx);
            tp__moments ma = tp__xmoments_get(&a.all), mb = tp__xmoments_get(&prev.all);
            tp__welch(&ma, &mb, &t, &df, &p);
            tp__rb_f64(&b, TR_P, p);
            tp__rb_i64(&b, TR_SIGNIFICANT, p < v.opt->alpha);
        }
        prev = a;
        prev_cx = cx;
        prev_key = items[i].key;
        i = j;
    }
    tp__free(items);
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           "no trend: no feedback response was selected (check the time "
                           "window and the filter)");
    tp__view_close(&v);
    return st;
}
