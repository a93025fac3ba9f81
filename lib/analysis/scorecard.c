/* Scorecards per touchpoint, and roll-ups by stage, channel, owner or parent. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/counts.h"
#include "analysis/metrics_internal.h"
#include "analysis/result.h"
#include "analysis/view.h"
#include "analysis/words.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/nearest.h"

static const char *text_or_null(const tp_catalog *c, uint32_t id)
{
    return id == TP__NONE ? NULL : tp__intern_str(&c->text, id);
}

static const char *stage_of(const tp_catalog *c, const tp__touchpoint *t)
{
    return t->stage == TP__NONE ? NULL : tp__intern_str(&c->text, c->stages.data[t->stage]);
}

enum {
    SC_TOUCHPOINT, SC_NAME, SC_STAGE, SC_CHANNEL, SC_OWNER, SC_PARENT, SC_WEIGHT, SC_REACH,
    SC_RESPONSES, SC_RESPONDENTS, SC_RESPONSE_RATE, SC_NPS_N, SC_PROMOTERS, SC_PASSIVES,
    SC_DETRACTORS, SC_NPS, SC_NPS_SE, SC_NPS_LOW, SC_NPS_HIGH, SC_NPS_MOE, SC_CSAT_N, SC_CSAT,
    SC_CSAT_LOW, SC_CSAT_HIGH, SC_CSAT_MOE, SC_CES_N, SC_CES, SC_CES_LOW, SC_CES_HIGH,
    SC_CES_MOE, SC_CES_EASY, SC_RATING_N, SC_RATING, SC_RATING_LOW, SC_RATING_HIGH,
    SC_RATING_MOE, SC_RATING_BAYES, SC_SENT_N, SC_SENT, SC_SENT_LOW, SC_SENT_HIGH, SC_SENT_MOE,
    SC_AUDIT_N, SC_AUDIT, SC_AUDIT_LOW, SC_AUDIT_HIGH, SC_AUDIT_MOE, SC_AUDIT_KO, SC_CX,
    SC_CX_LOW, SC_CX_HIGH, SC_CX_MOE, SC_CX_ROLLUP, SC_LOW_SAMPLE, SC_EXPECTATION
};

static const tp__col scorecard_cols[] = {
    {"touchpoint", TP_TYPE_STRING},     {"name", TP_TYPE_STRING},
    {"stage", TP_TYPE_STRING},          {"channel", TP_TYPE_STRING},
    {"owner", TP_TYPE_STRING},          {"parent", TP_TYPE_STRING},
    {"weight", TP_TYPE_DOUBLE},         {"reach", TP_TYPE_INT64},
    {"responses", TP_TYPE_INT64},       {"respondents", TP_TYPE_INT64},
    {"response_rate", TP_TYPE_DOUBLE},  {"nps_n", TP_TYPE_INT64},
    {"promoters", TP_TYPE_INT64},       {"passives", TP_TYPE_INT64},
    {"detractors", TP_TYPE_INT64},      {"nps", TP_TYPE_DOUBLE},
    {"nps_se", TP_TYPE_DOUBLE},         {"nps_low", TP_TYPE_DOUBLE},
    {"nps_high", TP_TYPE_DOUBLE},       {"nps_moe", TP_TYPE_DOUBLE},
    {"csat_n", TP_TYPE_INT64},          {"csat", TP_TYPE_DOUBLE},
    {"csat_low", TP_TYPE_DOUBLE},       {"csat_high", TP_TYPE_DOUBLE},
    {"csat_moe", TP_TYPE_DOUBLE},       {"ces_n", TP_TYPE_INT64},
    {"ces", TP_TYPE_DOUBLE},            {"ces_low", TP_TYPE_DOUBLE},
    {"ces_high", TP_TYPE_DOUBLE},       {"ces_moe", TP_TYPE_DOUBLE},
    {"ces_easy", TP_TYPE_DOUBLE},       {"rating_n", TP_TYPE_INT64},
    {"rating", TP_TYPE_DOUBLE},         {"rating_low", TP_TYPE_DOUBLE},
    {"rating_high", TP_TYPE_DOUBLE},    {"rating_moe", TP_TYPE_DOUBLE},
    {"rating_bayes", TP_TYPE_DOUBLE},   {"sentiment_n", TP_TYPE_INT64},
    {"sentiment", TP_TYPE_DOUBLE},      {"sentiment_low", TP_TYPE_DOUBLE},
    {"sentiment_high", TP_TYPE_DOUBLE}, {"sentiment_moe", TP_TYPE_DOUBLE},
    {"audit_n", TP_TYPE_INT64},         {"audit", TP_TYPE_DOUBLE},
    {"audit_low", TP_TYPE_DOUBLE},      {"audit_high", TP_TYPE_DOUBLE},
    {"audit_moe", TP_TYPE_DOUBLE},      {"audit_knockouts", TP_TYPE_INT64},
    {"cx_index", TP_TYPE_DOUBLE},       {"cx_low", TP_TYPE_DOUBLE},
    {"cx_high", TP_TYPE_DOUBLE},        {"cx_moe", TP_TYPE_DOUBLE},
    {"cx_rollup", TP_TYPE_DOUBLE},      {"low_sample", TP_TYPE_STRING},
    {"expectation", TP_TYPE_STRING},
};

/* The interval of a mean on a bounded scale stays on it: a normal interval
 * about a mean near an end of the scale leaves it (an audit mean of 56 from
 * five items gave [-15.2, 128.5]); no mean of scores on [lo, hi] lies outside. */
static tp_estimate on_scale(tp_estimate e, double lo, double hi)
{
    if (e.low < lo)
        e.low = lo;
    if (e.high > hi)
        e.high = hi;
    return e;
}

tp_estimate tp__acc_estimate(const tp__acc *a, int m, double z)
{
    tp__moments x;
    switch (m) {
    case TP__M_NPS: return tp__nps(a->promoters, a->passives, a->detractors, z);
    case TP__M_CSAT: return tp__csat(a->csat_top, a->csat_n, z);
    case TP__M_CES: x = tp__xmoments_get(&a->ces); return on_scale(tp__mean(&x, z), 1, 7);
    case TP__M_RATING: x = tp__xmoments_get(&a->rating); return on_scale(tp__mean(&x, z), 1, 5);
    case TP__M_SENTIMENT:
        x = tp__xmoments_get(&a->sentiment);
        return on_scale(tp__mean(&x, z), -1, 1);
    default: x = tp__xmoments_get(&a->audit); return on_scale(tp__mean(&x, z), 0, 100);
    }
}

tp_estimate tp__acc_cx_estimate(const tp__acc *a, const double *weights, double z)
{
    /* d(scaled)/d(metric) of the index's rescaling (tp__acc_scaled) */
    static const double k[TP__M_COUNT] = {0.5, 1.0, 100.0 / 6.0, 25.0, 50.0, 1.0};
    tp_estimate e = {tp__acc_cx(a, weights), NAN, NAN, NAN, 0};
    if (isnan(e.value))
        return e;
    double sw = 0.0, var = 0.0;
    for (int m = 0; m < TP__M_COUNT; m++) {
        tp_estimate x = tp__acc_estimate(a, m, z);
        if (x.n == 0 || !(weights[m] > 0.0))
            continue;
        sw += weights[m];
        var += weights[m] * weights[m] * k[m] * k[m] * x.se * x.se;
        e.n += x.n;
    }
    e.se = sqrt(var) / sw;
    return on_scale((tp_estimate){e.value, e.se, e.value - z * e.se, e.value + z * e.se, e.n}, 0,
                    100);
}

/* value, low, high and the margin of error: half the interval's width (the
 * interval may be asymmetric: Wilson's, or kept on the metric's scale) */
static void put_estimate(tp__rb *b, size_t col_value, tp_estimate e)
{
    tp__rb_f64(b, col_value, e.value);
    tp__rb_f64(b, col_value + 1, e.low);
    tp__rb_f64(b, col_value + 2, e.high);
    tp__rb_f64(b, col_value + 3, (e.high - e.low) / 2.0);
}

/* Appends metric name `m` to the low-sample list when 0 < n < min. */
static void flag_low(char *list, size_t cap, const char *m, uint64_t n, int64_t min)
{
    if (n == 0 || n >= (uint64_t)min)
        return;
    size_t len = strlen(list);
    snprintf(list + len, cap - len, "%s%s", len ? "," : "", m);
}

/* The prior mean for Bayesian rating averages: the option, else the mean of all
 * selected ratings. */
static double rating_prior(const struct tp_options *o, const tp__sc_row *rows, size_t n)
{
    if (!isnan(o->prior_mean))
        return o->prior_mean;
    tp__xmoments all;
    memset(&all, 0, sizeof all);
    for (size_t t = 0; t < n; t++)
        if (tp__xmoments_merge(&all, &rows[t].acc.rating))
            return NAN;
    return all.n ? tp__xmoments_get(&all).mean : NAN;
}

tp_status tp__scorecard_rows(const tp__view *v, tp__sc_row *rows)
{
    size_t n = v->ntp;
    tp__acc *acc = tp__view_by_touchpoint(v);
    uint64_t *reach = tp__malloc((n ? n : 1) * sizeof *reach);
    uint64_t *who = tp__malloc((n ? n : 1) * sizeof *who);
    uint64_t *reached = tp__malloc((n ? n : 1) * sizeof *reached);
    tp_status st = acc && reach && who && reached ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = tp__view_reach_respondents(v, reach, who, reached);
    for (size_t t = 0; st == TP_OK && t < n; t++)
        rows[t] = (tp__sc_row){v->tp_ok[t], reach[t], who[t], reached[t], acc[t]};
    tp__free(acc);
    tp__free(reach);
    tp__free(who);
    tp__free(reached);
    return st;
}

tp_status tp__scorecard_render(const tp_catalog *c, const struct tp_options *o,
                               const tp__names *nm, const tp__sc_row *rows, int has_reach,
                               tp_table **out)
{
    size_t n = nm->n, ntp = c->tps.len;
    uint32_t *order = tp__malloc((n ? n : 1) * sizeof *order);
    uint32_t *row_of = tp__malloc((ntp ? ntp : 1) * sizeof *row_of); /* catalog index -> name */
    double *cx = tp__malloc((n ? n : 1) * sizeof *cx);
    double *roll_sum = tp__calloc(ntp ? ntp : 1, sizeof *roll_sum);
    double *roll_w = tp__calloc(ntp ? ntp : 1, sizeof *roll_w);
    tp_status st = TP_OK;
    if (!order || !row_of || !cx || !roll_sum || !roll_w) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t t = 0; t < ntp; t++)
        row_of[t] = TP__NONE;
    for (size_t i = 0; i < n; i++)
        if (nm->cat[i] != TP__NONE)
            row_of[nm->cat[i]] = (uint32_t)i;
    for (size_t i = 0; i < n; i++) /* rows by rank: catalog order, then the names it lacks */
        order[nm->rank[i]] = (uint32_t)i;
    /* credit each touchpoint and its ancestors (the catalog has no cycles);
     * in catalog order, as the sums are plain doubles */
    for (size_t t = 0; t < ntp; t++) {
        uint32_t i = row_of[t];
        if (i == TP__NONE)
            continue;
        cx[i] = tp__acc_cx(&rows[i].acc, o->weight);
        if (isnan(cx[i]) || !rows[i].listed)
            continue;
        double w = c->tps.data[t].weight;
        for (uint32_t u = (uint32_t)t; u != TP__NONE; u = c->tps.data[u].parent) {
            roll_sum[u] += w * cx[i];
            roll_w[u] += w;
        }
    }
    double z = tp__z(o->level), prior = rating_prior(o, rows, n);
    tp__rb b;
    tp__rb_begin(&b, scorecard_cols, TP__NCOLS(scorecard_cols));
    for (size_t k = 0; k < n && b.st == TP_OK; k++) {
        uint32_t i = order[k], t = nm->cat[i];
        if (!rows[i].listed)
            continue;
        const tp__touchpoint *tpd = t != TP__NONE ? &c->tps.data[t] : NULL;
        const tp__acc *a = &rows[i].acc;
        if (!tpd)
            cx[i] = tp__acc_cx(a, o->weight);
        tp__rb_row(&b);
        tp__rb_str(&b, SC_TOUCHPOINT, nm->id[i]);
        if (tpd) {
            tp__rb_str(&b, SC_NAME, text_or_null(c, tpd->name));
            tp__rb_str(&b, SC_STAGE, stage_of(c, tpd));
            tp__rb_str(&b, SC_CHANNEL, text_or_null(c, tpd->channel));
            tp__rb_str(&b, SC_OWNER, text_or_null(c, tpd->owner));
            tp__rb_str(&b, SC_PARENT,
                       tpd->parent == TP__NONE ? NULL : tp__catalog_id(c, tpd->parent));
            tp__rb_str(&b, SC_EXPECTATION, text_or_null(c, tpd->expectation));
        }
        tp__rb_f64(&b, SC_WEIGHT, tpd ? tpd->weight : 1.0);
        if (has_reach)
            tp__rb_i64(&b, SC_REACH, (int64_t)rows[i].reach);
        tp__rb_i64(&b, SC_RESPONSES, (int64_t)a->all.n);
        tp__rb_i64(&b, SC_RESPONDENTS, (int64_t)rows[i].respondents);
        if (has_reach && rows[i].reach)
            tp__rb_f64(&b, SC_RESPONSE_RATE, (double)rows[i].reached / (double)rows[i].reach);
        char low[64] = "";
        tp_estimate e = tp__acc_estimate(a, TP__M_NPS, z);
        tp__rb_i64(&b, SC_NPS_N, (int64_t)e.n);
        tp__rb_i64(&b, SC_PROMOTERS, (int64_t)a->promoters);
        tp__rb_i64(&b, SC_PASSIVES, (int64_t)a->passives);
        tp__rb_i64(&b, SC_DETRACTORS, (int64_t)a->detractors);
        tp__rb_f64(&b, SC_NPS, e.value);
        tp__rb_f64(&b, SC_NPS_SE, e.se);
        tp__rb_f64(&b, SC_NPS_LOW, e.low);
        tp__rb_f64(&b, SC_NPS_HIGH, e.high);
        tp__rb_f64(&b, SC_NPS_MOE, (e.high - e.low) / 2.0);
        flag_low(low, sizeof low, "nps", e.n, o->min_responses);
        e = tp__acc_estimate(a, TP__M_CSAT, z);
        tp__rb_i64(&b, SC_CSAT_N, (int64_t)e.n);
        put_estimate(&b, SC_CSAT, e);
        flag_low(low, sizeof low, "csat", e.n, o->min_responses);
        e = tp__acc_estimate(a, TP__M_CES, z);
        tp__rb_i64(&b, SC_CES_N, (int64_t)e.n);
        put_estimate(&b, SC_CES, e);
        tp__rb_f64(&b, SC_CES_EASY, e.n ? 100.0 * (double)a->ces_easy / (double)e.n : NAN);
        flag_low(low, sizeof low, "ces", e.n, o->min_responses);
        e = tp__acc_estimate(a, TP__M_RATING, z);
        tp__rb_i64(&b, SC_RATING_N, (int64_t)e.n);
        put_estimate(&b, SC_RATING, e);
        if (e.n)
            tp__rb_f64(&b, SC_RATING_BAYES,
                       tp_bayes_average(tp__xsum_get(&a->rating.sum), e.n, prior,
                                        o->prior_weight));
        flag_low(low, sizeof low, "rating", e.n, o->min_responses);
        e = tp__acc_estimate(a, TP__M_SENTIMENT, z);
        tp__rb_i64(&b, SC_SENT_N, (int64_t)e.n);
        put_estimate(&b, SC_SENT, e);
        flag_low(low, sizeof low, "sentiment", e.n, o->min_responses);
        e = tp__acc_estimate(a, TP__M_AUDIT, z);
        tp__rb_i64(&b, SC_AUDIT_N, (int64_t)e.n);
        put_estimate(&b, SC_AUDIT, e);
        tp__rb_i64(&b, SC_AUDIT_KO, (int64_t)a->audit_knocked);
        flag_low(low, sizeof low, "audit", e.n, o->min_responses);
        e = tp__acc_cx_estimate(a, o->weight, z);
        put_estimate(&b, SC_CX, e);
        double rollup = t == TP__NONE ? cx[i] : roll_w[t] > 0.0 ? roll_sum[t] / roll_w[t] : NAN;
        tp__rb_f64(&b, SC_CX_ROLLUP, rollup);
        if (low[0])
            tp__rb_str(&b, SC_LOW_SAMPLE, low);
    }
    st = tp__rb_finish(&b, out);
out:
    tp__free(order);
    tp__free(row_of);
    tp__free(cx);
    tp__free(roll_sum);
    tp__free(roll_w);
    return st;
}

TP_API tp_status tp_scorecard(const tp_events *events, const tp_feedback *feedback,
                              const tp_filter *filter, const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_scorecard: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options, TP__NEED_ACCUMULATE | TP__NEED_RESPONDENTS,
                                 "tp_scorecard");
    if (st != TP_OK)
        return st;
    tp__names nm;
    memset(&nm, 0, sizeof nm);
    tp__sc_row *rows = tp__malloc((v.ntp ? v.ntp : 1) * sizeof *rows);
    st = rows ? tp__scorecard_rows(&v, rows) : tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = tp__names_of_catalog(v.cat, &nm);
    if (st == TP_OK)
        st = tp__scorecard_render(v.cat, v.opt, &nm, rows, v.ev != NULL, out);
    tp__names_free(&nm);
    tp__free(rows);
    tp__view_close(&v);
    return st;
}

/* ---- roll-ups ---- */

const char *const tp__group_words[] = {"stage", "channel", "owner", "parent", NULL};

TP__WORD_FUNCTIONS(tp_group, tp_group, tp__group_words, "grouping", 0)

enum {
    RU_RESERVED_GROUP, RU_TOUCHPOINTS, RU_WEIGHT, RU_REACH, RU_RESPONSES, RU_NPS_N, RU_NPS,
    RU_CSAT_N, RU_CSAT, RU_CES_N, RU_CES, RU_RATING_N, RU_RATING, RU_SENT_N, RU_SENT, RU_AUDIT_N,
    RU_AUDIT, RU_CX, RU_CX_POOLED
};

static const tp__col rollup_cols[] = {
    {"touchpoints", TP_TYPE_INT64}, {"weight", TP_TYPE_DOUBLE},      {"reach", TP_TYPE_INT64},
    {"responses", TP_TYPE_INT64},   {"nps_n", TP_TYPE_INT64},        {"nps", TP_TYPE_DOUBLE},
    {"csat_n", TP_TYPE_INT64},      {"csat", TP_TYPE_DOUBLE},        {"ces_n", TP_TYPE_INT64},
    {"ces", TP_TYPE_DOUBLE},        {"rating_n", TP_TYPE_INT64},     {"rating", TP_TYPE_DOUBLE},
    {"sentiment_n", TP_TYPE_INT64}, {"sentiment", TP_TYPE_DOUBLE},   {"audit_n", TP_TYPE_INT64},
    {"audit", TP_TYPE_DOUBLE},      {"cx_index", TP_TYPE_DOUBLE},    {"cx_pooled", TP_TYPE_DOUBLE},
};

const char *tp__group_label(const tp_catalog *c, size_t t, tp_group g)
{
    const tp__touchpoint *d = &c->tps.data[t];
    switch (g) {
    case TP_GROUP_STAGE: return stage_of(c, d);
    case TP_GROUP_CHANNEL: return text_or_null(c, d->channel);
    case TP_GROUP_OWNER: return text_or_null(c, d->owner);
    default: {
        uint32_t u = (uint32_t)t;
        while (c->tps.data[u].parent != TP__NONE)
            u = c->tps.data[u].parent;
        return tp__catalog_id(c, u);
    }
    }
}

TP_API tp_status tp_scorecard_rollup(const tp_events *events, const tp_feedback *feedback,
                                     const tp_filter *filter, const tp_options *options,
                                     tp_group group, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_scorecard_rollup: out is NULL");
    *out = NULL;
    if ((unsigned)group > TP_GROUP_PARENT)
        return tp__error(TP_EINVAL, "tp_scorecard_rollup: unknown grouping %d", (int)group);
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options, TP__NEED_ACCUMULATE,
                                 "tp_scorecard_rollup");
    if (st != TP_OK)
        return st;
    const tp_catalog *c = v.cat;
    size_t n = v.ntp, ngroups = 0;
    tp__acc *acc = tp__view_by_touchpoint(&v);
    tp__acc *gacc = tp__calloc(n + 1, sizeof *gacc);
    uint32_t *key = tp__malloc((n ? n : 1) * sizeof *key);
    const char **label = tp__calloc(n + 1, sizeof *label);
    uint64_t *reach = tp__calloc(n + 1, sizeof *reach), *members = tp__calloc(n + 1, sizeof *members);
    double *wsum = tp__calloc(n + 1, sizeof *wsum), *cxsum = tp__calloc(n + 1, sizeof *cxsum),
           *cxw = tp__calloc(n + 1, sizeof *cxw);
    if (!acc || !gacc || !key || !label || !reach || !members || !wsum || !cxsum || !cxw) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto out;
    }
    /* Stages keep their catalog order; other groups their first appearance. */
    if (group == TP_GROUP_STAGE)
        for (size_t s = 0; s < c->stages.len; s++)
            label[ngroups++] = tp__intern_str(&c->text, c->stages.data[s]);
    int has_none = 0;
    for (size_t t = 0; t < n; t++) {
        key[t] = TP__NONE;
        if (!v.tp_ok[t])
            continue;
        const char *l = tp__group_label(c, t, group);
        if (!l) {
            has_none = 1;
            continue;
        }
        size_t g = 0;
        while (g < ngroups && strcmp(label[g], l))
            g++;
        if (g == ngroups)
            label[ngroups++] = l;
        key[t] = (uint32_t)g;
    }
    if (has_none) {
        label[ngroups] = "(none)";
        for (size_t t = 0; t < n; t++)
            if (v.tp_ok[t] && !tp__group_label(c, t, group))
                key[t] = (uint32_t)ngroups;
        ngroups++;
    }
    st = tp__view_reach(&v, key, ngroups, reach);
    if (st != TP_OK)
        goto out;
    for (size_t t = 0; t < n; t++) {
        if (key[t] == TP__NONE)
            continue;
        uint32_t g = key[t];
        double w = c->tps.data[t].weight, cx = tp__acc_cx(&acc[t], v.opt->weight);
        members[g]++;
        wsum[g] += w;
        (void)tp__acc_merge(&gacc[g], &acc[t]);
        if (!isnan(cx)) {
            cxsum[g] += w * cx;
            cxw[g] += w;
        }
    }
    tp__col cols[TP__NCOLS(rollup_cols) + 1];
    cols[0] = (tp__col){tp_group_name(group), TP_TYPE_STRING};
    memcpy(cols + 1, rollup_cols, sizeof rollup_cols);
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    for (size_t g = 0; g < ngroups && b.st == TP_OK; g++) {
        const tp__acc *a = &gacc[g];
        tp__rb_row(&b);
        tp__rb_str(&b, RU_RESERVED_GROUP, label[g]);
        tp__rb_i64(&b, RU_TOUCHPOINTS, (int64_t)members[g]);
        tp__rb_f64(&b, RU_WEIGHT, wsum[g]);
        if (v.ev)
            tp__rb_i64(&b, RU_REACH, (int64_t)reach[g]);
        tp__rb_i64(&b, RU_RESPONSES, (int64_t)a->all.n);
        static const int metric_col[TP__M_COUNT][2] = {
            {RU_NPS_N, RU_NPS},       {RU_CSAT_N, RU_CSAT}, {RU_CES_N, RU_CES},
            {RU_RATING_N, RU_RATING}, {RU_SENT_N, RU_SENT}, {RU_AUDIT_N, RU_AUDIT}};
        for (int m = 0; m < TP__M_COUNT; m++) {
            tp__rb_i64(&b, (size_t)metric_col[m][0], (int64_t)tp__acc_n(a, m));
            tp__rb_f64(&b, (size_t)metric_col[m][1], tp__acc_metric(a, m));
        }
        tp__rb_f64(&b, RU_CX, cxw[g] > 0.0 ? cxsum[g] / cxw[g] : NAN);
        tp__rb_f64(&b, RU_CX_POOLED, tp__acc_cx(a, v.opt->weight));
    }
    st = tp__rb_finish(&b, out);
out:
    tp__free(acc);
    tp__free(gacc);
    tp__free(key);
    tp__free(label);
    tp__free(reach);
    tp__free(members);
    tp__free(wsum);
    tp__free(cxsum);
    tp__free(cxw);
    tp__view_close(&v);
    return st;
}

/* ---- a segment against the rest ---- */

tp_status tp__scorecard_vs_rest(const tp_events *ev, const tp_feedback *fb, const tp_filter *seg,
                                const tp_filter *rest, const tp_options *o, tp_table *t)
{
    tp__view a, b;
    tp_status st =
        tp__view_open(&a, ev, fb, seg, o, TP__NEED_ACCUMULATE, "tp_scorecard (breakdown)");
    if (st != TP_OK)
        return st;
    if ((st = tp__view_open(&b, ev, fb, rest, o, TP__NEED_ACCUMULATE,
                            "tp_scorecard (breakdown)")) != TP_OK) {
        tp__view_close(&a);
        return st;
    }
    tp__acc *sa = tp__view_by_touchpoint(&a), *sb = tp__view_by_touchpoint(&b);
    static const char *const names[] = {"mean", "rest_mean", "difference", "t", "df", "p_value"};
    size_t col[6], id_col = 0;
    if (!sa || !sb)
        st = TP_ENOMEM;
    for (size_t k = 0; st == TP_OK && k < 6; k++)
        st = tp_table_add_column(t, names[k], TP_TYPE_DOUBLE, &col[k]);
    if (st == TP_OK)
        st = tp_table_find_column(t, "touchpoint", &id_col);
    for (size_t r = 0; st == TP_OK && r < tp_table_row_count(t); r++) {
        const char *id = NULL;
        size_t tp;
        if (tp_table_get_string(t, r, id_col, &id) != TP_OK ||
            tp_catalog_find_touchpoint(a.cat, id, &tp) != TP_OK)
            continue;
        tp__moments x = tp__xmoments_get(&sa[tp].all), y = tp__xmoments_get(&sb[tp].all);
        double v[6] = {x.n ? x.mean : NAN, y.n ? y.mean : NAN, NAN, NAN, NAN, NAN};
        v[2] = v[0] - v[1];
        if (x.n >= 2 && y.n >= 2)
            tp__welch(&x, &y, &v[3], &v[4], &v[5]);
        for (size_t k = 0; st == TP_OK && k < 6; k++)
            st = tp_table_set_double(t, r, col[k], isfinite(v[k]) ? v[k] : NAN);
    }
    tp__free(sa);
    tp__free(sb);
    tp__view_close(&a);
    tp__view_close(&b);
    return st;
}
