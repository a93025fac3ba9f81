/* Hot spots: touchpoints significantly worse (pain) or better (bright) than
 * the rest, ranked by impact = reach x gap. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/error.h"

typedef struct spot {
    uint32_t tp;
    int kind; /* 0 pain, 1 bright, 2 neutral */
    double cx, gap, impact, t, df, p, others_mean;
    uint64_t reach;
} spot;

static int spot_cmp(const void *pa, const void *pb)
{
    const spot *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    double x = a->impact, y = b->impact;
    if (a->kind == 1) {
        x = -x;
        y = -y;
    } else if (a->kind == 2) {
        x = a->p;
        y = b->p;
    }
    if (x != y)
        return x < y ? -1 : 1;
    return a->tp < b->tp ? -1 : a->tp > b->tp;
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Without events, reach is the number of distinct customers who responded. */
static tp_status responders(const tp__view *v, uint64_t *out)
{
    memset(out, 0, v->ntp * sizeof *out);
    size_t n = v->resp.len;
    uint64_t *keys = tp__malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        keys[i] = (uint64_t)v->resp.data[i].tp << 32 | v->resp.data[i].customer;
    qsort(keys, n, sizeof *keys, u64_cmp);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || keys[i] != keys[i - 1])
            out[keys[i] >> 32]++;
    tp__free(keys);
    return TP_OK;
}

enum {
    HS_RANK, HS_TOUCHPOINT, HS_KIND, HS_CX, HS_OVERALL, HS_GAP, HS_REACH, HS_IMPACT,
    HS_RESPONSES, HS_MEAN, HS_OTHERS_MEAN, HS_T, HS_DF, HS_P, HS_OWNER
};

static const tp__col hotspot_cols[] = {
    {"rank", TP_TYPE_INT64},      {"touchpoint", TP_TYPE_STRING}, {"kind", TP_TYPE_STRING},
    {"cx_index", TP_TYPE_DOUBLE}, {"overall", TP_TYPE_DOUBLE},    {"gap", TP_TYPE_DOUBLE},
    {"reach", TP_TYPE_INT64},     {"impact", TP_TYPE_DOUBLE},     {"responses", TP_TYPE_INT64},
    {"mean", TP_TYPE_DOUBLE},     {"others_mean", TP_TYPE_DOUBLE}, {"t", TP_TYPE_DOUBLE},
    {"df", TP_TYPE_DOUBLE},       {"p_value", TP_TYPE_DOUBLE},    {"owner", TP_TYPE_STRING},
};

TP_API tp_status tp_hotspots(const tp_events *events, const tp_feedback *feedback,
                             const tp_filter *filter, const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_hotspots: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options, TP__NEED_FEEDBACK,
                                 "tp_hotspots");
    if (st != TP_OK)
        return st;
    size_t n = v.ntp, nspots = 0;
    tp__acc *acc = tp__view_by_touchpoint(&v);
    uint64_t *reach = tp__malloc((n ? n : 1) * sizeof *reach);
    uint32_t *key = tp__malloc((n ? n : 1) * sizeof *key);
    tp__xmoments *before = tp__calloc(n + 1, sizeof *before), *after = tp__calloc(n + 1, sizeof *after);
    spot *spots = tp__malloc((n ? n : 1) * sizeof *spots);
    if (!acc || !reach || !key || !before || !after || !spots) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t t = 0; t < n; t++)
        key[t] = (uint32_t)t;
    st = v.ev ? tp__view_reach(&v, key, n, reach) : responders(&v, reach);
    if (st != TP_OK)
        goto out;
    tp__acc overall;
    memset(&overall, 0, sizeof overall);
    for (size_t t = 0; t < n; t++)
        (void)tp__acc_merge(&overall, &acc[t]); /* validated responses: cannot overflow */
    double overall_cx = tp__acc_cx(&overall, v.opt->weight);
    /* Others' values without re-reading the responses: prefix and suffix merges. */
    for (size_t t = 0; t < n; t++) {
        before[t + 1] = before[t];
        (void)tp__xmoments_merge(&before[t + 1], &acc[t].all);
    }
    for (size_t t = n; t-- > 0;) {
        after[t] = after[t + 1];
        (void)tp__xmoments_merge(&after[t], &acc[t].all);
    }
    size_t tested = 0, most_at = SIZE_MAX;
    for (size_t t = 0; t < n; t++) {
        const tp__acc *a = &acc[t];
        if (v.tp_ok[t] && (most_at == SIZE_MAX || a->all.n > acc[most_at].all.n))
            most_at = t;
        if (!v.tp_ok[t] || a->all.n < (uint64_t)v.opt->min_responses)
            continue;
        tested++;
        spot *s = &spots[nspots];
        tp__xmoments rest = before[t];
        (void)tp__xmoments_merge(&rest, &after[t + 1]);
        tp__moments all = tp__xmoments_get(&a->all), others = tp__xmoments_get(&rest);
        s->tp = (uint32_t)t;
        s->cx = tp__acc_cx(a, v.opt->weight);
        s->gap = s->cx - overall_cx;
        s->reach = reach[t];
        s->impact = (double)s->reach * s->gap;
        s->others_mean = others.n ? others.mean : NAN;
        tp__welch(&all, &others, &s->t, &s->df, &s->p);
        int worse = s->gap < 0.0 && all.mean < others.mean;
        int better = s->gap > 0.0 && all.mean > others.mean;
        s->kind = s->p < v.opt->alpha && (worse || better) ? (worse ? 0 : 1) : 2;
        if (s->kind != 2 || v.opt->all_hotspots)
            nspots++;
    }
    qsort(spots, nspots, sizeof *spots, spot_cmp);
    static const char *const kinds[] = {"pain", "bright", "neutral"};
    tp__rb b;
    tp__rb_begin(&b, hotspot_cols, TP__NCOLS(hotspot_cols));
    for (size_t i = 0; i < nspots && b.st == TP_OK; i++) {
        const spot *s = &spots[i];
        const tp__acc *a = &acc[s->tp];
        tp__rb_row(&b);
        tp__rb_i64(&b, HS_RANK, (int64_t)i + 1);
        tp__rb_str(&b, HS_TOUCHPOINT, tp__catalog_id(v.cat, s->tp));
        tp__rb_str(&b, HS_KIND, kinds[s->kind]);
        tp__rb_f64(&b, HS_CX, s->cx);
        tp__rb_f64(&b, HS_OVERALL, overall_cx);
        tp__rb_f64(&b, HS_GAP, s->gap);
        tp__rb_i64(&b, HS_REACH, (int64_t)s->reach);
        tp__rb_f64(&b, HS_IMPACT, s->impact);
        tp__rb_i64(&b, HS_RESPONSES, (int64_t)a->all.n);
        tp__rb_f64(&b, HS_MEAN, tp__xmoments_get(&a->all).mean);
        tp__rb_f64(&b, HS_OTHERS_MEAN, s->others_mean);
        if (isfinite(s->t))
            tp__rb_f64(&b, HS_T, s->t);
        tp__rb_f64(&b, HS_DF, s->df);
        tp__rb_f64(&b, HS_P, s->p);
        tp__rb_str(&b, HS_OWNER, tp__catalog_owner(v.cat, s->tp));
    }
    st = tp__rb_finish(&b, out);
    if (st == TP_OK && nspots == 0) {
        /* An empty table says why. */
        char why[512];
        uint64_t most = most_at == SIZE_MAX ? 0 : acc[most_at].all.n;
        if (most == 0)
            snprintf(why, sizeof why, "no hot spots: no feedback response was selected");
        else if (tested == 0)
            snprintf(why, sizeof why,
                     "no hot spots: no touchpoint has min_responses (%lld) responses (the most: "
                     "%llu, at %s); lower min_responses to test them",
                     (long long)v.opt->min_responses, (unsigned long long)most,
                     tp__catalog_id(v.cat, (uint32_t)most_at));
        else
            snprintf(why, sizeof why,
                     "no hot spots: none of the %zu touchpoints with at least %lld responses "
                     "differs from the others at alpha %g (all_hotspots lists them)",
                     tested, (long long)v.opt->min_responses, v.opt->alpha);
        st = tp__note_if_empty(st, out, why);
    }
out:
    tp__free(acc);
    tp__free(reach);
    tp__free(key);
    tp__free(before);
    tp__free(after);
    tp__free(spots);
    tp__view_close(&v);
    return st;
}
