/* Key drivers: importance (correlation of a customer's experience at a
 * touchpoint with an outcome) against performance (the CX index), with
 * Johnson's relative weights when the touchpoints are taken together. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/error.h"

typedef struct exp_row {
    uint32_t customer, tp;
    double value;
} exp_row;

static int exp_cmp(const void *pa, const void *pb)
{
    const exp_row *a = pa, *b = pb;
    if (a->customer != b->customer)
        return a->customer < b->customer ? -1 : 1;
    return a->tp < b->tp ? -1 : a->tp > b->tp;
}

/* Co-moments of (x, y), mergeable like tp__moments. */
typedef struct comoments {
    uint64_t n;
    double mx, my, sxx, syy, sxy;
} comoments;

static void co_add(comoments *c, double x, double y)
{
    c->n++;
    double dx = x - c->mx;
    c->mx += dx / (double)c->n;
    double dy = y - c->my;
    c->my += dy / (double)c->n;
    c->sxx += dx * (x - c->mx);
    c->syy += dy * (y - c->my);
    c->sxy += dx * (y - c->my);
}

typedef struct driver {
    uint32_t tp;
    uint64_t n;
    double r, p, rw, perf;
    size_t slot; /* position among the relative-weight predictors */
} driver;

static int driver_cmp(const void *pa, const void *pb)
{
    const driver *a = pa, *b = pb;
    if (a->r != b->r)
        return a->r > b->r ? -1 : 1;
    return a->tp < b->tp ? -1 : a->tp > b->tp;
}

/* Johnson's relative weights from the predictor correlation matrix R (k x k,
 * destroyed) and the predictor-outcome correlations ry: with R = V L V',
 * Lambda = V L^1/2 V', beta = Lambda^+ ry, eps_j = sum_m Lambda_jm^2 beta_m^2. */
static tp_status relative_weights(double *R, const double *ry, size_t k, double *eps)
{
    double *w = tp__malloc(k * sizeof *w), *V = tp__malloc(k * k * sizeof *V);
    double *L = tp__malloc(k * k * sizeof *L), *beta = tp__calloc(k, sizeof *beta);
    if (!w || !V || !L || !beta) {
        tp__free(w);
        tp__free(V);
        tp__free(L);
        tp__free(beta);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    tp__eigen_sym(R, k, w, V);
    double wmax = 0.0;
    for (size_t i = 0; i < k; i++)
        wmax = fmax(wmax, w[i]);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double lij = 0.0;
            for (size_t m = 0; m < k; m++)
                if (w[m] > 1e-12 * wmax)
                    lij += V[i * k + m] * sqrt(w[m]) * V[j * k + m];
            L[i * k + j] = lij;
        }
    /* beta = V diag(1/sqrt(w)) V' ry, pseudo-inverse over the positive eigenvalues */
    for (size_t m = 0; m < k; m++) {
        if (!(w[m] > 1e-12 * wmax))
            continue;
        double proj = 0.0;
        for (size_t j = 0; j < k; j++)
            proj += V[j * k + m] * ry[j];
        proj /= sqrt(w[m]);
        for (size_t i = 0; i < k; i++)
            beta[i] += V[i * k + m] * proj;
    }
    for (size_t j = 0; j < k; j++) {
        eps[j] = 0.0;
        for (size_t m = 0; m < k; m++)
            eps[j] += L[j * k + m] * L[j * k + m] * beta[m] * beta[m];
    }
    tp__free(w);
    tp__free(V);
    tp__free(L);
    tp__free(beta);
    return TP_OK;
}

enum { DR_TOUCHPOINT, DR_CUSTOMERS, DR_IMPORTANCE, DR_P, DR_RW, DR_PERF, DR_QUADRANT, DR_OWNER };

static const tp__col driver_cols[] = {
    {"touchpoint", TP_TYPE_STRING},     {"customers", TP_TYPE_INT64},
    {"importance", TP_TYPE_DOUBLE},     {"p_value", TP_TYPE_DOUBLE},
    {"relative_weight", TP_TYPE_DOUBLE}, {"performance", TP_TYPE_DOUBLE},
    {"quadrant", TP_TYPE_STRING},       {"owner", TP_TYPE_STRING},
};

TP_API tp_status tp_drivers(const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_drivers: out is NULL");
    *out = NULL;
    int outcome = options ? (int)options->outcome : TP_OUTCOME_RECOMMEND;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options,
                                 outcome == TP_OUTCOME_RECOMMEND
                                     ? TP__NEED_FEEDBACK
                                     : TP__NEED_EVENTS | TP__NEED_FEEDBACK | TP__NEED_FB_TO_EV, "tp_drivers");
    if (st != TP_OK)
        return st;
    const tp_feedback *f = v.fb;
    size_t ntp = v.ntp, nc = tp__intern_count(&f->customers), nexp = 0, ndrivers = 0;
    double *y = tp__malloc((nc ? nc : 1) * sizeof *y);
    exp_row *ex = tp__malloc((v.resp.len ? v.resp.len : 1) * sizeof *ex);
    comoments *co = tp__calloc(ntp ? ntp : 1, sizeof *co);
    driver *dr = tp__malloc((ntp ? ntp : 1) * sizeof *dr);
    tp__acc *acc = tp__view_by_touchpoint(&v);
    uint32_t *conv = NULL;
    double *R = NULL, *ry = NULL, *eps = NULL, *mean = NULL, *sxx = NULL;
    size_t *slot_of = NULL;
    if (!y || !ex || !co || !dr || !acc) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto out;
    }
    /* The outcome per feedback customer (NaN: undefined). */
    if (outcome == TP_OUTCOME_RECOMMEND) {
        uint64_t *cnt = tp__calloc(nc ? nc : 1, sizeof *cnt);
        if (!cnt) {
            st = tp__error(TP_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t c = 0; c < nc; c++)
            y[c] = 0.0;
        for (size_t i = 0; i < v.resp.len; i++) {
            const tp__resp *r = &v.resp.data[i];
            if (r->metric == TP__M_NPS) {
                cnt[r->customer]++;
                y[r->customer] += (r->raw - y[r->customer]) / (double)cnt[r->customer];
            }
        }
        for (size_t c = 0; c < nc; c++)
            if (!cnt[c])
                y[c] = NAN;
        tp__free(cnt);
    } else {
        size_t nev = tp__intern_count(&v.ev->customers);
        conv = tp__calloc(nev ? nev : 1, sizeof *conv);
        if (!conv) {
            st = tp__error(TP_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t r = 0; r < v.ev->customer.len; r++)
            if (v.ev->type.data[r] == TP_EVENT_CONVERSION && tp__view_event_scope(&v, r))
                conv[v.ev->customer.data[r]]++;
        for (size_t c = 0; c < nc; c++) {
            uint32_t e = v.fb_to_ev[c];
            y[c] = e == TP__NONE ? NAN
                   : outcome == TP_OUTCOME_CONVERSION ? (conv[e] >= 1)
                                                      : (conv[e] >= 2);
        }
    }
    /* Experience: the customer's mean 0-100 value per touchpoint. */
    for (size_t i = 0; i < v.resp.len; i++) {
        const tp__resp *r = &v.resp.data[i];
        if (isnan(y[r->customer]) || (outcome == TP_OUTCOME_RECOMMEND && r->metric == TP__M_NPS))
            continue;
        ex[nexp++] = (exp_row){r->customer, r->tp, r->value};
    }
    qsort(ex, nexp, sizeof *ex, exp_cmp);
    size_t m = 0;
    for (size_t i = 0; i < nexp;) {
        size_t j = i;
        double sum = 0.0;
        while (j < nexp && ex[j].customer == ex[i].customer && ex[j].tp == ex[i].tp)
            sum += ex[j++].value;
        ex[m] = ex[i];
        ex[m++].value = sum / (double)(j - i);
        i = j;
    }
    nexp = m;
    for (size_t i = 0; i < nexp; i++)
        co_add(&co[ex[i].tp], ex[i].value, y[ex[i].customer]);
    size_t most_at = SIZE_MAX; /* the touchpoint with the most customers, for the note */
    for (size_t t = 0; t < ntp; t++) {
        const comoments *c = &co[t];
        if (c->n && (most_at == SIZE_MAX || c->n > co[most_at].n))
            most_at = t;
        if (c->n < (uint64_t)v.opt->min_responses || c->n < 3 || !(c->sxx > 0.0) ||
            !(c->syy > 0.0))
            continue;
        driver *d = &dr[ndrivers++];
        d->tp = (uint32_t)t;
        d->n = c->n;
        d->r = c->sxy / sqrt(c->sxx * c->syy);
        double r2 = d->r * d->r, df = (double)c->n - 2.0;
        d->p = r2 >= 1.0 ? 0.0 : tp__t_two_sided(d->r * sqrt(df / (1.0 - r2)), df);
        d->perf = tp__acc_cx(&acc[t], v.opt->weight);
        d->rw = NAN;
        d->slot = ndrivers - 1;
    }
    /* Relative weights over all drivers together, missing experiences imputed
     * with the touchpoint's mean (they then add nothing to the co-moments). */
    size_t k = ndrivers;
    if (k >= 1) {
        slot_of = tp__malloc(ntp * sizeof *slot_of);
        mean = tp__calloc(k, sizeof *mean);
        sxx = tp__calloc(k, sizeof *sxx);
        R = tp__calloc(k * k, sizeof *R);
        ry = tp__calloc(k, sizeof *ry);
        eps = tp__calloc(k, sizeof *eps);
        uint64_t *cnt = tp__calloc(k, sizeof *cnt);
        if (!slot_of || !mean || !sxx || !R || !ry || !eps || !cnt) {
            tp__free(cnt);
            st = tp__error(TP_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t t = 0; t < ntp; t++)
            slot_of[t] = SIZE_MAX;
        for (size_t j = 0; j < k; j++)
            slot_of[dr[j].tp] = j;
        /* means over the customers in the set (outcome and >= 1 experience) */
        double ymean = 0.0;
        uint64_t ny = 0;
        for (size_t i = 0; i < nexp;) {
            size_t j = i;
            int any = 0;
            for (; j < nexp && ex[j].customer == ex[i].customer; j++) {
                size_t s = slot_of[ex[j].tp];
                if (s != SIZE_MAX) {
                    any = 1;
                    cnt[s]++;
                    mean[s] += (ex[j].value - mean[s]) / (double)cnt[s];
                }
            }
            if (any) {
                ny++;
                ymean += (y[ex[i].customer] - ymean) / (double)ny;
            }
            i = j;
        }
        double syy = 0.0;
        for (size_t i = 0; i < nexp;) {
            size_t j = i;
            int any = 0;
            double yc = y[ex[i].customer] - ymean;
            for (; j < nexp && ex[j].customer == ex[i].customer; j++) {
                size_t a = slot_of[ex[j].tp];
                if (a == SIZE_MAX)
                    continue;
                any = 1;
                double xa = ex[j].value - mean[a];
                ry[a] += xa * yc;
                for (size_t q = i; q < nexp && ex[q].customer == ex[i].customer; q++) {
                    size_t b2 = slot_of[ex[q].tp];
                    if (b2 != SIZE_MAX)
                        R[a * k + b2] += xa * (ex[q].value - mean[b2]);
                }
            }
            if (any)
                syy += yc * yc;
            i = j;
        }
        tp__free(cnt);
        int usable = syy > 0.0;
        for (size_t a = 0; a < k; a++) {
            sxx[a] = R[a * k + a];
            usable = usable && sxx[a] > 0.0;
        }
        if (usable) {
            for (size_t a = 0; a < k; a++) {
                ry[a] /= sqrt(sxx[a] * syy);
                for (size_t b2 = 0; b2 < k; b2++)
                    R[a * k + b2] /= sqrt(sxx[a] * sxx[b2]);
            }
            st = relative_weights(R, ry, k, eps);
            if (st != TP_OK)
                goto out;
            for (size_t j = 0; j < k; j++)
                dr[j].rw = eps[j];
        }
    }
    qsort(dr, ndrivers, sizeof *dr, driver_cmp);
    double imp_mean = 0.0, perf_mean = 0.0;
    size_t nperf = 0;
    for (size_t j = 0; j < ndrivers; j++) {
        imp_mean += dr[j].r / (double)ndrivers;
        if (!isnan(dr[j].perf)) {
            nperf++;
            perf_mean += (dr[j].perf - perf_mean) / (double)nperf;
        }
    }
    tp__rb b;
    tp__rb_begin(&b, driver_cols, TP__NCOLS(driver_cols));
    for (size_t j = 0; j < ndrivers && b.st == TP_OK; j++) {
        const driver *d = &dr[j];
        int important = d->r >= imp_mean, good = d->perf >= perf_mean;
        tp__rb_row(&b);
        tp__rb_str(&b, DR_TOUCHPOINT, tp__catalog_id(v.cat, d->tp));
        tp__rb_i64(&b, DR_CUSTOMERS, (int64_t)d->n);
        tp__rb_f64(&b, DR_IMPORTANCE, d->r);
        tp__rb_f64(&b, DR_P, d->p);
        tp__rb_f64(&b, DR_RW, d->rw);
        tp__rb_f64(&b, DR_PERF, d->perf);
        tp__rb_str(&b, DR_QUADRANT,
                   important ? (good ? "maintain" : "fix first")
                             : (good ? "possible overkill" : "low priority"));
        tp__rb_str(&b, DR_OWNER, tp__catalog_owner(v.cat, d->tp));
    }
    st = tp__rb_finish(&b, out);
    if (st == TP_OK && ndrivers == 0) {
        /* An empty table says why. */
        static const char *const outcomes[] = {"their NPS answer", "a conversion",
                                               "a repeat purchase"};
        const char *what = outcomes[outcome >= 0 && outcome <= 2 ? outcome : 0];
        uint64_t min = v.opt->min_responses > 3 ? (uint64_t)v.opt->min_responses : 3;
        char why[512];
        if (most_at == SIZE_MAX)
            snprintf(why, sizeof why,
                     "no drivers: no customer has both an experience at a touchpoint and an "
                     "outcome (%s)%s",
                     what, outcome == TP_OUTCOME_RECOMMEND ? "" : " known from the events");
        else if (co[most_at].n < min)
            snprintf(why, sizeof why,
                     "no drivers: no touchpoint has %llu customers with both an experience there "
                     "and an outcome (%s); the most: %llu, at %s (min_responses)",
                     (unsigned long long)min, what, (unsigned long long)co[most_at].n,
                     tp__catalog_id(v.cat, (uint32_t)most_at));
        else
            snprintf(why, sizeof why,
                     "no drivers: the outcome (%s) or the experiences do not vary among the "
                     "customers who have both, so nothing correlates",
                     what);
        st = tp__note_if_empty(st, out, why);
    }
out:
    tp__free(y);
    tp__free(ex);
    tp__free(co);
    tp__free(dr);
    tp__free(acc);
    tp__free(conv);
    tp__free(R);
    tp__free(ry);
    tp__free(eps);
    tp__free(mean);
    tp__free(sxx);
    tp__free(slot_of);
    tp__view_close(&v);
    return st;
}
