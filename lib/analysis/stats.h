/* Statistics used by the analyses: distributions, tests, running moments and a
 * small symmetric eigensolver. Self-contained (libm only); see stats.c for why
 * no external numerical library is used. */
#ifndef TP_ANALYSIS_STATS_H
#define TP_ANALYSIS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "core/xsum.h"

/* Running count, mean and sum of squared deviations (Welford), mergeable
 * (Chan et al.), so partial aggregates combine exactly as one pass would. */
typedef struct tp__moments {
    uint64_t n;
    double mean;
    double m2;
} tp__moments;

void tp__moments_add(tp__moments *m, double x);
void tp__moments_merge(tp__moments *into, const tp__moments *from);
/* Sample variance (n - 1); NaN when n < 2. */
double tp__moments_var(const tp__moments *m);

/* The largest count a merge may reach: counts end up in int64 table columns. */
#define TP__COUNT_MAX ((uint64_t)INT64_MAX)

/* Count, sum and sum of squares held exactly (core/xsum.h): merging in any
 * order or grouping gives the same bits as one pass, so partial aggregates
 * and threads reproduce a single-process result exactly. Squares are split
 * into two doubles with fma, so the sum of squares is exact too. Values must
 * be finite with |x| < 2^63. */
typedef struct tp__xmoments {
    uint64_t n;
    tp__xsum sum, sq;
} tp__xmoments;

/* Returns 0, or -1 (m unchanged) for a value out of range or an overflow. */
int tp__xmoments_add(tp__xmoments *m, double x);
int tp__xmoments_merge(tp__xmoments *into, const tp__xmoments *from);
/* n, mean and the sum of squared deviations, computed from the exact sums in
 * double-double arithmetic (about 100 good bits before the last rounding). */
tp__moments tp__xmoments_get(const tp__xmoments *m);

/* Standard normal CDF and its inverse (p in (0, 1); NaN outside). */
double tp__norm_cdf(double x);
double tp__norm_quantile(double p);

/* Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
double tp__beta_inc(double a, double b, double x);

/* Two-sided p-value of Student's t with df > 0 degrees of freedom (df may be
 * fractional, as Welch's is). */
double tp__t_two_sided(double t, double df);

/* Welch's unequal-variance t-test of two samples given their moments. Fills t,
 * df and the two-sided p; returns 0, or -1 when a sample has fewer than 2
 * values or both variances are 0 (t is then +-Inf or NaN and p is 0 or 1). */
int tp__welch(const tp__moments *a, const tp__moments *b, double *t, double *df, double *p);

/* Eigen-decomposition of the symmetric n x n matrix a (row-major, destroyed) by
 * cyclic Jacobi rotations: eigenvalues to w[n], eigenvectors as the columns of
 * v (n x n). Returns 0, or -1 if it did not converge. */
int tp__eigen_sym(double *a, size_t n, double *w, double *v);

#endif
