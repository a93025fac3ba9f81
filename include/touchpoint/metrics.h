/**
 * @file touchpoint/metrics.h
 * @brief The metric formulas, usable on their own: NPS, CSAT (Wilson), means,
 *        Bayesian averages, Welch's t-test.
 *
 * These are the exact formulas every analysis uses (DESIGN section 5):
 * - NPS = 100 (P - D) / N; SE = 100 sqrt((p + d - (p - d)^2) / N) with p = P/N,
 *   d = D/N; interval NPS +- z SE, clipped to [-100, 100].
 * - CSAT = 100 x share of satisfied (top-2-box: 4 and 5); Wilson score interval
 *   (centre (k + z^2/2) / (n + z^2), half-width z sqrt(k(n-k)/n + z^2/4) /
 *   (n + z^2)), in percent.
 * - Mean (CES, ratings, sentiment, audits): interval mean +- z s / sqrt(n), s the
 *   sample standard deviation (n - 1).
 * - Bayesian average: (C m + sum) / (C + n).
 * - z is the standard normal quantile at (1 + level) / 2: 1.959964 for 0.95.
 *
 * An estimate over no responses is not an error: every number in it is NaN
 * (and n is 0). Where a standard error is undefined (one response for a mean)
 * se, low and high are NaN.
 *
 * Thread-safety: every function here is pure and thread-safe.
 */
#ifndef TOUCHPOINT_METRICS_H
#define TOUCHPOINT_METRICS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A point estimate with its standard error and confidence interval. */
typedef struct tp_estimate {
    double value; /**< The estimate (NPS points, CSAT percent, mean, ...). */
    double se;    /**< Standard error, same unit; NaN when undefined. */
    double low;   /**< Lower bound of the interval at the requested level. */
    double high;  /**< Upper bound. */
    uint64_t n;   /**< Number of responses. */
} tp_estimate;

/**
 * Standard normal quantile: the x with P(Z <= x) = p.
 * @return the quantile, or NaN when p is not in (0, 1).
 */
TP_API double tp_normal_quantile(double p);

/**
 * Two-sided p-value of a Student t statistic.
 * @param t  the statistic
 * @param df degrees of freedom, > 0 (fractional allowed; INFINITY gives the normal)
 * @return P(|T| >= |t|), or NaN for a NaN t or df <= 0.
 */
TP_API double tp_t_test_p(double t, double df);

/**
 * Net Promoter Score from counts.
 * @param level confidence level in (0, 1), e.g. 0.95
 * @param out   receives the NPS (-100..100) with SE and clipped interval
 * @return ::TP_OK; ::TP_EINVAL (out NULL, level outside (0, 1)); ::TP_ELIMIT
 *         (the counts overflow).
 */
TP_API tp_status tp_nps_estimate(uint64_t promoters, uint64_t passives, uint64_t detractors,
                                 double level, tp_estimate *out);

/**
 * Wilson score interval for a proportion k / n, as fractions in [0, 1].
 * @return ::TP_OK (NaN bounds when n is 0); ::TP_EINVAL (k > n, NULL outputs,
 *         level outside (0, 1)).
 */
TP_API tp_status tp_wilson_interval(uint64_t k, uint64_t n, double level, double *low,
                                    double *high);

/**
 * CSAT top-2-box from counts: 100 k / n with the Wilson interval in percent; se
 * is the binomial standard error 100 sqrt(p(1-p)/n).
 * @return as tp_wilson_interval().
 */
TP_API tp_status tp_csat_estimate(uint64_t satisfied, uint64_t n, double level, tp_estimate *out);

/**
 * Mean with a normal interval mean +- z s / sqrt(n).
 * @param values n numbers (borrowed); NaN values are an error
 * @return ::TP_OK; ::TP_EINVAL (NULL with n > 0, NaN or infinite value, bad level).
 */
TP_API tp_status tp_mean_estimate(const double *values, size_t n, double level, tp_estimate *out);

/**
 * Bayesian (shrunk) average (C m + sum) / (C + n), for ranking items with few
 * ratings.
 * @return the average, or NaN when C + n is 0 or an input is not finite or C < 0.
 */
TP_API double tp_bayes_average(double sum, uint64_t n, double prior_mean, double prior_weight);

/**
 * Welch's unequal-variance t-test of two samples.
 * @param t, df, p receive the statistic, the Welch-Satterthwaite degrees of
 *        freedom and the two-sided p-value; any may be NULL
 * @return ::TP_OK; ::TP_EINVAL (a sample has fewer than 2 values, NULL data,
 *         non-finite values). Two constant samples give t = +-INFINITY and p 0
 *         when their means differ, t NaN and p 1 when they are equal.
 */
TP_API tp_status tp_welch_test(const double *a, size_t na, const double *b, size_t nb, double *t,
                               double *df, double *p);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_METRICS_H */
