/* The public metric formulas (touchpoint/metrics.h). The analyses call the
 * same functions, so a formula lives in exactly one place. */
#include <math.h>

#include "analysis/metrics_internal.h"
#include "analysis/stats.h"
#include "core/error.h"
#include "touchpoint/metrics.h"

static const tp_estimate empty = {NAN, NAN, NAN, NAN, 0};

static int level_ok(double level) { return level > 0.0 && level < 1.0; }

double tp__z(double level) { return tp__norm_quantile((1.0 + level) / 2.0); }

TP_API double tp_normal_quantile(double p) { return tp__norm_quantile(p); }

TP_API double tp_t_test_p(double t, double df) { return tp__t_two_sided(t, df); }

static double clip(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

tp_estimate tp__nps(uint64_t promoters, uint64_t passives, uint64_t detractors, double z)
{
    uint64_t n = promoters + passives + detractors;
    if (n == 0)
        return empty;
    double N = (double)n, p = (double)promoters / N, d = (double)detractors / N;
    tp_estimate e;
    e.n = n;
    e.value = 100.0 * (p - d);
    double var = p + d - (p - d) * (p - d);
    e.se = 100.0 * sqrt(var > 0.0 ? var / N : 0.0);
    e.low = clip(e.value - z * e.se, -100.0, 100.0);
    e.high = clip(e.value + z * e.se, -100.0, 100.0);
    return e;
}

TP_API tp_status tp_nps_estimate(uint64_t promoters, uint64_t passives, uint64_t detractors,
                                 double level, tp_estimate *out)
{
    if (!out || !level_ok(level))
        return tp__error(TP_EINVAL, "tp_nps_estimate: %s",
                         out ? "level must be in (0, 1)" : "out is NULL");
    uint64_t n;
    if (__builtin_add_overflow(promoters, passives, &n) ||
        __builtin_add_overflow(n, detractors, &n))
        return tp__error(TP_ELIMIT, "tp_nps_estimate: counts overflow");
    *out = tp__nps(promoters, passives, detractors, tp__z(level));
    return TP_OK;
}

void tp__wilson(uint64_t k, uint64_t n, double z, double *low, double *high)
{
    if (n == 0) {
        *low = *high = NAN;
        return;
    }
    double N = (double)n, K = (double)k, z2 = z * z;
    double centre = (K + z2 / 2.0) / (N + z2);
    double half = z * sqrt(K * (N - K) / N + z2 / 4.0) / (N + z2);
    *low = clip(centre - half, 0.0, 1.0);
    *high = clip(centre + half, 0.0, 1.0);
}

TP_API tp_status tp_wilson_interval(uint64_t k, uint64_t n, double level, double *low,
                                    double *high)
{
    if (!low || !high || !level_ok(level) || k > n)
        return tp__error(TP_EINVAL, "tp_wilson_interval: %s",
                         k > n ? "k is larger than n"
                         : !level_ok(level) ? "level must be in (0, 1)"
                                            : "NULL output");
    tp__wilson(k, n, tp__z(level), low, high);
    return TP_OK;
}

tp_estimate tp__csat(uint64_t satisfied, uint64_t n, double z)
{
    if (n == 0)
        return empty;
    tp_estimate e;
    double p = (double)satisfied / (double)n;
    e.n = n;
    e.value = 100.0 * p;
    e.se = 100.0 * sqrt(p * (1.0 - p) / (double)n);
    tp__wilson(satisfied, n, z, &e.low, &e.high);
    e.low *= 100.0;
    e.high *= 100.0;
    return e;
}

TP_API tp_status tp_csat_estimate(uint64_t satisfied, uint64_t n, double level, tp_estimate *out)
{
    if (!out || !level_ok(level) || satisfied > n)
        return tp__error(TP_EINVAL, "tp_csat_estimate: %s",
                         satisfied > n ? "satisfied is larger than n"
                         : !out        ? "out is NULL"
                                       : "level must be in (0, 1)");
    *out = tp__csat(satisfied, n, tp__z(level));
    return TP_OK;
}

tp_estimate tp__mean(const tp__moments *m, double z)
{
    if (m->n == 0)
        return empty;
    tp_estimate e;
    e.n = m->n;
    e.value = m->mean;
    double var = tp__moments_var(m);
    e.se = isnan(var) ? NAN : sqrt(var / (double)m->n);
    e.low = e.value - z * e.se;
    e.high = e.value + z * e.se;
    return e;
}

static tp_status sample(const double *x, size_t n, tp__moments *m, const char *fn)
{
    if (n && !x)
        return tp__error(TP_EINVAL, "%s: values are NULL", fn);
    *m = (tp__moments){0, 0.0, 0.0};
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return tp__error(TP_EINVAL, "%s: value %zu is not a finite number", fn, i);
        tp__moments_add(m, x[i]);
    }
    return TP_OK;
}

TP_API tp_status tp_mean_estimate(const double *values, size_t n, double level, tp_estimate *out)
{
    if (!out || !level_ok(level))
        return tp__error(TP_EINVAL, "tp_mean_estimate: %s",
                         out ? "level must be in (0, 1)" : "out is NULL");
    tp__moments m;
    tp_status st = sample(values, n, &m, "tp_mean_estimate");
    if (st != TP_OK)
        return st;
    *out = tp__mean(&m, tp__z(level));
    return TP_OK;
}

TP_API double tp_bayes_average(double sum, uint64_t n, double prior_mean, double prior_weight)
{
    if (!isfinite(sum) || !isfinite(prior_mean) || !isfinite(prior_weight) || prior_weight < 0.0)
        return NAN;
    double denom = prior_weight + (double)n;
    return denom > 0.0 ? (prior_weight * prior_mean + sum) / denom : NAN;
}

TP_API tp_status tp_welch_test(const double *a, size_t na, const double *b, size_t nb, double *t,
                               double *df, double *p)
{
    if (na < 2 || nb < 2)
        return tp__error(TP_EINVAL, "tp_welch_test: each sample needs at least 2 values");
    tp__moments ma, mb;
    tp_status st = sample(a, na, &ma, "tp_welch_test");
    if (st == TP_OK)
        st = sample(b, nb, &mb, "tp_welch_test");
    if (st != TP_OK)
        return st;
    double tt, dd, pp;
    tp__welch(&ma, &mb, &tt, &dd, &pp);
    if (t)
        *t = tt;
    if (df)
        *df = dd;
    if (p)
        *p = pp;
    return TP_OK;
}
