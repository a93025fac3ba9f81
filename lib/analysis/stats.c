/* Statistics for the analyses.
 *
 * Why not GSL or Rmath: both are GPL, and this library is MIT; the few
 * functions needed here (normal and Student-t tails, the incomplete beta, a
 * Jacobi eigensolver for matrices of a few dozen rows) are short, and the tests
 * check them against published table values and an independent numerical
 * integration. */
#include "analysis/stats.h"

#include <float.h>
#include <math.h>

void tp__moments_add(tp__moments *m, double x)
{
    m->n++;
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
}

void tp__moments_merge(tp__moments *into, const tp__moments *from)
{
    if (from->n == 0)
        return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    double na = (double)into->n, nb = (double)from->n, n = na + nb;
    double d = from->mean - into->mean;
    into->mean += d * nb / n;
    into->m2 += from->m2 + d * d * na * nb / n;
    into->n += from->n;
}

int tp__xmoments_add(tp__xmoments *m, double x)
{
    if (!isfinite(x) || fabs(x) >= 0x1p63 || m->n == TP__COUNT_MAX)
        return -1;
    double sq = x * x;
    /* x^2 == sq + sq_err exactly; for whole numbers below 2^26 (scores, counts)
     * sq is exact already, which spares the fma. */
    double sq_err = fabs(x) < 0x1p26 && x == (double)(int32_t)x ? 0.0 : fma(x, x, -sq);
    tp__xmoments t = *m;
    if (tp__xsum_add(&t.sum, x) || tp__xsum_add(&t.sq, sq) ||
        (sq_err != 0.0 && tp__xsum_add(&t.sq, sq_err)))
        return -1;
    t.n++;
    *m = t;
    return 0;
}

int tp__xmoments_merge(tp__xmoments *into, const tp__xmoments *from)
{
    tp__xmoments t = *into;
    if (from->n > TP__COUNT_MAX - t.n || tp__xsum_merge(&t.sum, &from->sum) ||
        tp__xsum_merge(&t.sq, &from->sq))
        return -1;
    t.n += from->n;
    *into = t;
    return 0;
}

tp__moments tp__xmoments_get(const tp__xmoments *m)
{
    tp__moments r = {m->n, 0.0, 0.0};
    if (m->n == 0)
        return r;
    double n = (double)m->n, sh, sl, qh, ql;
    tp__xsum_get2(&m->sum, &sh, &sl);
    tp__xsum_get2(&m->sq, &qh, &ql);
    /* mean = S / n with one correction step */
    double q = sh / n;
    r.mean = q + (fma(-q, n, sh) + sl) / n;
    /* m2 = (n Q - S^2) / n, both products carried as double-doubles */
    double s2 = sh * sh, s2e = fma(sh, sh, -s2) + 2.0 * sh * sl;
    double nq = qh * n, nqe = fma(qh, n, -nq) + ql * n;
    double d = (nq - s2) + (nqe - s2e);
    r.m2 = d > 0.0 ? d / n : 0.0;
    return r;
}

double tp__moments_var(const tp__moments *m)
{
    return m->n < 2 ? NAN : m->m2 / (double)(m->n - 1);
}

double tp__norm_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* Start from the Abramowitz & Stegun 26.2.23 rational approximation (error
 * below 4.5e-4) and polish with Halley steps on erfc, which converge cubically
 * to full double precision. */
double tp__norm_quantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return NAN;
    double q = p < 0.5 ? p : 1.0 - p;
    double t = sqrt(-2.0 * log(q));
    double x = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
    if (p < 0.5)
        x = -x;
    for (int i = 0; i < 4; i++) {
        double e = tp__norm_cdf(x) - p;
        double u = e * 2.50662827463100050242 /* sqrt(2 pi) */ * exp(x * x / 2.0);
        double step = u / (1.0 + x * u / 2.0);
        x -= step;
        if (fabs(step) < 1e-15 * (1.0 + fabs(x)))
            break;
    }
    return x;
}

/* One step of the modified Lentz method: fold the partial numerator `num` into
 * the running c and d and return the factor that multiplies the fraction. */
static double lentz_step(double num, double *c, double *d)
{
    const double tiny = 1e-300;
    *d = 1.0 + num * *d;
    *c = 1.0 + num / *c;
    if (fabs(*d) < tiny)
        *d = tiny;
    if (fabs(*c) < tiny)
        *c = tiny;
    *d = 1.0 / *d;
    return *d * *c;
}

/* Continued fraction for the incomplete beta, evaluated by the modified Lentz
 * method; valid (fast converging) for x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < 1e-300)
        d = 1e-300;
    d = 1.0 / d;
    double f = d;
    for (int m = 1; m <= 10000; m++) {
        double dm = (double)m;
        f *= lentz_step(dm * (b - dm) * x / ((a + 2.0 * dm - 1.0) * (a + 2.0 * dm)), &c, &d);
        double delta =
            lentz_step(-(a + dm) * (a + b + dm) * x / ((a + 2.0 * dm) * (a + 2.0 * dm + 1.0)), &c,
                       &d);
        f *= delta;
        if (fabs(delta - 1.0) < 4.0 * DBL_EPSILON)
            break;
    }
    return f;
}

double tp__beta_inc(double a, double b, double x)
{
    if (!(a > 0.0 && b > 0.0) || isnan(x))
        return NAN;
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lfront) * beta_cf(a, b, x) / a;
    return 1.0 - exp(lfront) * beta_cf(b, a, 1.0 - x) / b;
}

double tp__t_two_sided(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    if (isinf(t))
        return 0.0;
    if (isinf(df))
        return 2.0 * tp__norm_cdf(-fabs(t));
    return tp__beta_inc(df / 2.0, 0.5, df / (df + t * t));
}

int tp__welch(const tp__moments *a, const tp__moments *b, double *t, double *df, double *p)
{
    if (a->n < 2 || b->n < 2) {
        *t = *df = *p = NAN;
        return -1;
    }
    double va = tp__moments_var(a) / (double)a->n, vb = tp__moments_var(b) / (double)b->n;
    double diff = a->mean - b->mean;
    if (va + vb <= 0.0) {
        /* Both samples constant: a difference is certain, none is certain not. */
        *t = diff == 0.0 ? NAN : copysign(INFINITY, diff);
        *df = (double)(a->n + b->n - 2);
        *p = diff == 0.0 ? 1.0 : 0.0;
        return -1;
    }
    *t = diff / sqrt(va + vb);
    *df = (va + vb) * (va + vb) /
          (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    *p = tp__t_two_sided(*t, *df);
    return 0;
}

int tp__eigen_sym(double *a, size_t n, double *w, double *v)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            v[i * n + j] = i == j ? 1.0 : 0.0;
    int converged = 0;
    for (int sweep = 0; sweep < 100 && !converged; sweep++) {
        double off = 0.0, total = 0.0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                total += a[i * n + j] * a[i * n + j];
                if (i != j)
                    off += a[i * n + j] * a[i * n + j];
            }
        if (off <= 1e-30 * (total > 0.0 ? total : 1.0)) {
            converged = 1;
            break;
        }
        for (size_t p = 0; p + 1 < n; p++)
            for (size_t q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (apq == 0.0)
                    continue;
                double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                double t = copysign(1.0, theta) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (size_t k = 0; k < n; k++) {
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < n; k++) {
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (size_t k = 0; k < n; k++) {
                    double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
    for (size_t i = 0; i < n; i++)
        w[i] = a[i * n + i];
    return converged || n < 2 ? 0 : -1;
}
