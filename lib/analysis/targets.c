/* Targets: each touchpoint's numeric targets against its measured metrics. */
#include <math.h>
#include <string.h>

#include "analysis/metrics_internal.h"
#include "analysis/options_internal.h"
#include "analysis/result.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/error.h"
#include "model/catalog_internal.h"
#include "model/targets_internal.h"
#include "touchpoint/scoring.h"

/* The metric (TP__M_*) each target is measured by; the CX index has none. */
static const int metric_of[TP_TARGET_COUNT] = {TP__M_NPS,    TP__M_CSAT,  TP__M_CES,
                                               TP__M_RATING, TP__M_AUDIT, -1};

static const char *text_or_null(const tp_catalog *c, uint32_t id)
{
    return id == TP__NONE ? NULL : tp__intern_str(&c->text, id);
}

static const char *target_status(double target, const tp_estimate *e)
{
    if (e->n == 0 || isnan(e->value))
        return "no data";
    if (e->low >= target)
        return "met";
    if (e->high < target)
        return "missed";
    return "unclear";
}

TP_API tp_status tp_targets(const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_targets: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options, TP__NEED_ACCUMULATE,
                                 "tp_targets");
    if (st != TP_OK)
        return st;
    tp__acc *acc = tp__view_by_touchpoint(&v);
    if (!acc) {
        tp__view_close(&v);
        return tp_last_error_status();
    }
    static const tp__col cols[] = {
        {"touchpoint", TP_TYPE_STRING}, {"name", TP_TYPE_STRING},  {"stage", TP_TYPE_STRING},
        {"owner", TP_TYPE_STRING},      {"metric", TP_TYPE_STRING}, {"target", TP_TYPE_DOUBLE},
        {"value", TP_TYPE_DOUBLE},      {"low", TP_TYPE_DOUBLE},    {"high", TP_TYPE_DOUBLE},
        {"n", TP_TYPE_INT64},           {"gap", TP_TYPE_DOUBLE},    {"status", TP_TYPE_STRING}};
    const tp_catalog *c = v.cat;
    double z = tp__z(v.opt->level);
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    for (size_t t = 0; t < v.ntp && b.st == TP_OK; t++) {
        const tp__touchpoint *d = &c->tps.data[t];
        if (!v.tp_ok[t] || !d->targets)
            continue;
        for (int k = 0; k < TP_TARGET_COUNT; k++) {
            if (!(d->targets >> k & 1))
                continue;
            tp_estimate e = metric_of[k] < 0 ? tp__acc_cx_estimate(&acc[t], v.opt->weight, z)
                                             : tp__acc_estimate(&acc[t], metric_of[k], z);
            double goal = d->target[k];
            tp__rb_row(&b);
            tp__rb_str(&b, 0, tp__catalog_id(c, (uint32_t)t));
            const char *name = text_or_null(c, d->name);
            tp__rb_str(&b, 1, name && *name ? name : tp__catalog_id(c, (uint32_t)t));
            tp__rb_str(&b, 2, d->stage == TP__NONE ? NULL : tp_catalog_stage_name(c, d->stage));
            tp__rb_str(&b, 3, tp__catalog_owner(c, (uint32_t)t));
            tp__rb_str(&b, 4, tp__target_words[k]);
            tp__rb_f64(&b, 5, goal);
            tp__rb_i64(&b, 9, (int64_t)e.n);
            if (e.n) {
                tp__rb_f64(&b, 6, e.value);
                tp__rb_f64(&b, 7, e.low);
                tp__rb_f64(&b, 8, e.high);
                tp__rb_f64(&b, 10, e.value - goal);
            }
            tp__rb_str(&b, 11, target_status(goal, &e));
        }
    }
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           "no targets: the catalog sets none for the selected touchpoints "
                           "(\"targets\" in catalog JSON, tp_catalog_set_target())");
    tp__free(acc);
    tp__view_close(&v);
    return st;
}
