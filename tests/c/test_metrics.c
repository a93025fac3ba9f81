/* lib/analysis/metrics.c and stats.c: every formula against values worked by
 * hand (shown in the comments), published table values, or an independent
 * computation written here. */
#include <math.h>

#include "analysis/stats.h"
#include "testutil.h"

#define Z95 1.959963984540054 /* Phi^-1(0.975), published to 16 digits */
#define Z99 2.5758293035489004

static void test_normal_quantile(void)
{
    CU_ASSERT_DOUBLE_EQUAL(tp_normal_quantile(0.975), Z95, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(tp_normal_quantile(0.995), Z99, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(tp_normal_quantile(0.5), 0.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(tp_normal_quantile(0.025), -Z95, 1e-13);
    CU_ASSERT_DOUBLE_EQUAL(tp_normal_quantile(1e-10), -6.361340902404056, 1e-10);
    CU_ASSERT_TRUE(isnan(tp_normal_quantile(0.0)));
    CU_ASSERT_TRUE(isnan(tp_normal_quantile(1.0)));
    CU_ASSERT_TRUE(isnan(tp_normal_quantile(NAN)));
    /* round trip through the CDF */
    for (double p = 0.001; p < 1.0; p += 0.0371)
        CU_ASSERT_DOUBLE_EQUAL(tp__norm_cdf(tp_normal_quantile(p)), p, 1e-14);
}

/* I_x(a, b) for integer a, b is a binomial tail: I_0.5(2, 3) = sum_{j=2..4}
 * C(4, j) / 16 = (6 + 4 + 1) / 16. */
static void test_beta_inc(void)
{
    CU_ASSERT_DOUBLE_EQUAL(tp__beta_inc(2, 3, 0.5), 11.0 / 16.0, 1e-14);
    /* I_0.3(1, 1) = 0.3; I_x(1, b) = 1 - (1 - x)^b */
    CU_ASSERT_DOUBLE_EQUAL(tp__beta_inc(1, 1, 0.3), 0.3, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(tp__beta_inc(1, 7, 0.2), 1 - pow(0.8, 7), 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(tp__beta_inc(3, 4, 0.9), 1 - tp__beta_inc(4, 3, 0.1), 1e-14);
    CU_ASSERT_EQUAL(tp__beta_inc(2, 2, 0), 0.0);
    CU_ASSERT_EQUAL(tp__beta_inc(2, 2, 1), 1.0);
}

/* Student t density, integrated by composite Simpson's rule: an independent
 * route to the two-sided p-value. */
static double t_pdf(double x, double df)
{
    return exp(lgamma((df + 1) / 2) - lgamma(df / 2)) / sqrt(df * 3.141592653589793) *
           pow(1 + x * x / df, -(df + 1) / 2);
}

static double p_by_integration(double t, double df)
{
    int n = 20000;
    double h = fabs(t) / n, s = t_pdf(0, df) + t_pdf(fabs(t), df);
    for (int i = 1; i < n; i++)
        s += (i % 2 ? 4 : 2) * t_pdf(i * h, df);
    return 1.0 - 2.0 * s * h / 3.0;
}

static void test_t_p_values(void)
{
    /* Critical values from the usual t table: two-sided p = 0.05. */
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(12.706, 1), 0.05, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(2.228, 10), 0.05, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(-2.042, 30), 0.05, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(3.169, 10), 0.01, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(1.7, 7.3), p_by_integration(1.7, 7.3), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(0.4, 2.5), p_by_integration(0.4, 2.5), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(1.96, INFINITY), 0.05, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(tp_t_test_p(0, 5), 1.0, 1e-15);
    CU_ASSERT_TRUE(isnan(tp_t_test_p(1, 0)));
}

/* NPS over 100 answers: 50 promoters, 30 passives, 20 detractors.
 * NPS = 100 (0.5 - 0.2) = 30; SE = 100 sqrt((0.5 + 0.2 - 0.3^2) / 100)
 * = 100 sqrt(0.0061) = 7.810249675906654; 95%: 30 -+ 1.959964 x 7.810250
 * = [14.69218, 45.30782]. */
static void test_nps_worked_example(void)
{
    tp_estimate e;
    ASSERT_OK(tp_nps_estimate(50, 30, 20, 0.95, &e));
    CU_ASSERT_EQUAL(e.n, 100);
    CU_ASSERT_DOUBLE_EQUAL(e.value, 30.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.se, 7.810249675906654, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.low, 14.692182, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 45.307818, 1e-5);
    /* level 0.99: 30 -+ 2.575829 x 7.810250 = 30 -+ 20.117869 = [9.882131, 50.117869] */
    ASSERT_OK(tp_nps_estimate(50, 30, 20, 0.99, &e));
    CU_ASSERT_DOUBLE_EQUAL(e.low, 9.882131, 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 50.117869, 1e-5);
}

static void test_nps_edges(void)
{
    tp_estimate e;
    ASSERT_OK(tp_nps_estimate(0, 0, 0, 0.95, &e)); /* no responses: all NaN */
    CU_ASSERT_EQUAL(e.n, 0);
    CU_ASSERT_TRUE(isnan(e.value) && isnan(e.se) && isnan(e.low) && isnan(e.high));
    ASSERT_OK(tp_nps_estimate(12, 0, 0, 0.95, &e)); /* all promoters: p = 1, d = 0, SE 0 */
    CU_ASSERT_DOUBLE_EQUAL(e.value, 100, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.se, 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.low, 100, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 100, 0);
    ASSERT_OK(tp_nps_estimate(0, 0, 1, 0.95, &e)); /* a single detractor */
    CU_ASSERT_DOUBLE_EQUAL(e.value, -100, 0);
    CU_ASSERT_EQUAL(e.n, 1);
    /* 1 promoter, 1 detractor: NPS 0, SE = 100 sqrt(1 / 2) = 70.71; clipped to [-100, 100] */
    ASSERT_OK(tp_nps_estimate(1, 0, 1, 0.95, &e));
    CU_ASSERT_DOUBLE_EQUAL(e.se, 70.71067811865476, 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(e.low, -100, 0);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 100, 0);
    CU_ASSERT_EQUAL(tp_nps_estimate(1, 1, 1, 1.0, &e), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_nps_estimate(1, 1, 1, 0.0, &e), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_nps_estimate(UINT64_MAX, 1, 0, 0.95, &e), TP_ELIMIT);
}

/* Wilson for 8 of 10 at 95%: z^2 = 3.841459; centre = (8 + 1.920729) /
 * 13.841459 = 0.716740; half = 1.959964 sqrt(1.6 + 0.960365) / 13.841459 =
 * 0.226578; [0.490162, 0.943318] (the textbook values 0.4902 and 0.9433). */
static void test_wilson_worked_example(void)
{
    double lo, hi;
    ASSERT_OK(tp_wilson_interval(8, 10, 0.95, &lo, &hi));
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.490162, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.943318, 1e-6);
    tp_estimate e;
    ASSERT_OK(tp_csat_estimate(8, 10, 0.95, &e));
    CU_ASSERT_DOUBLE_EQUAL(e.value, 80, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.low, 49.0162, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 94.3318, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(e.se, 100 * sqrt(0.8 * 0.2 / 10), 1e-12);
    /* 0 of 5 and 5 of 5 stay inside [0, 1] and are not degenerate:
     * upper for 0/5 = z^2 / (5 + z^2) = 3.841459 / 8.841459 = 0.434482 */
    ASSERT_OK(tp_wilson_interval(0, 5, 0.95, &lo, &hi));
    CU_ASSERT_DOUBLE_EQUAL(lo, 0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.434482, 1e-6);
    ASSERT_OK(tp_wilson_interval(5, 5, 0.95, &lo, &hi));
    CU_ASSERT_DOUBLE_EQUAL(lo, 1 - 0.434482, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(hi, 1, 1e-15);
    ASSERT_OK(tp_wilson_interval(0, 0, 0.95, &lo, &hi));
    CU_ASSERT_TRUE(isnan(lo) && isnan(hi));
    CU_ASSERT_EQUAL(tp_wilson_interval(3, 2, 0.95, &lo, &hi), TP_EINVAL);
    /* a wider interval at 0.99 */
    double lo99, hi99;
    ASSERT_OK(tp_wilson_interval(8, 10, 0.99, &lo99, &hi99));
    CU_ASSERT_TRUE(lo99 < 0.490162 && hi99 > 0.943318);
}

/* CES 1, 2, 3, 4, 5: mean 3, s = sqrt(2.5) = 1.581139, se = s / sqrt(5) =
 * 0.707107; 95%: 3 -+ 1.385904 = [1.614096, 4.385904]. */
static void test_mean_estimate(void)
{
    const double x[] = {1, 2, 3, 4, 5};
    tp_estimate e;
    ASSERT_OK(tp_mean_estimate(x, 5, 0.95, &e));
    CU_ASSERT_DOUBLE_EQUAL(e.value, 3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(e.se, sqrt(0.5), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(e.low, 1.614096, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(e.high, 4.385904, 1e-6);
    ASSERT_OK(tp_mean_estimate(x, 1, 0.95, &e)); /* one response: no interval */
    CU_ASSERT_DOUBLE_EQUAL(e.value, 1, 0);
    CU_ASSERT_TRUE(isnan(e.se) && isnan(e.low));
    ASSERT_OK(tp_mean_estimate(NULL, 0, 0.95, &e));
    CU_ASSERT_TRUE(isnan(e.value));
    const double bad[] = {1, NAN};
    CU_ASSERT_EQUAL(tp_mean_estimate(bad, 2, 0.95, &e), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "value 1");
}

/* Two 4.5-star ratings, prior mean 3.5 and weight 10: (35 + 9) / 12. */
static void test_bayes_average(void)
{
    CU_ASSERT_DOUBLE_EQUAL(tp_bayes_average(9, 2, 3.5, 10), 44.0 / 12.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(tp_bayes_average(9, 2, 3.5, 0), 4.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(tp_bayes_average(0, 0, 3.5, 10), 3.5, 1e-15);
    CU_ASSERT_TRUE(isnan(tp_bayes_average(0, 0, 3.5, 0)));
    CU_ASSERT_TRUE(isnan(tp_bayes_average(1, 1, 3.5, -1)));
}

/* a = 1..5: mean 3, var 2.5; b = 2, 4, ..., 12: mean 7, var 14.
 * va = 2.5/5 = 0.5, vb = 14/6; t = -4 / sqrt(17/6) = -2.376354;
 * df = (17/6)^2 / (0.25/4 + (14/6)^2/5) = 6.972222... */
static void test_welch(void)
{
    const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10, 12};
    double t, df, p;
    ASSERT_OK(tp_welch_test(a, 5, b, 6, &t, &df, &p));
    CU_ASSERT_DOUBLE_EQUAL(t, -4 / sqrt(17.0 / 6), 1e-12);
    double want_df = (17.0 / 6) * (17.0 / 6) / (0.25 / 4 + (14.0 / 6) * (14.0 / 6) / 5);
    CU_ASSERT_DOUBLE_EQUAL(df, want_df, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p, p_by_integration(t, df), 1e-9);
    CU_ASSERT_EQUAL(tp_welch_test(a, 1, b, 6, &t, &df, &p), TP_EINVAL);
    const double c1[] = {5, 5, 5}, c2[] = {7, 7};
    ASSERT_OK(tp_welch_test(c1, 3, c2, 2, &t, &df, &p)); /* constant samples */
    CU_ASSERT_TRUE(isinf(t) && t < 0);
    CU_ASSERT_EQUAL(p, 0.0);
    ASSERT_OK(tp_welch_test(c1, 3, c1, 3, &t, &df, &p));
    CU_ASSERT_EQUAL(p, 1.0);
}

static void test_moments_merge(void)
{
    const double x[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    tp__moments all = {0, 0, 0}, a = {0, 0, 0}, b = {0, 0, 0}, empty = {0, 0, 0};
    for (int i = 0; i < 10; i++) {
        tp__moments_add(&all, x[i]);
        tp__moments_add(i < 4 ? &a : &b, x[i]);
    }
    tp__moments_merge(&a, &b);
    tp__moments_merge(&a, &empty);
    CU_ASSERT_EQUAL(a.n, 10);
    CU_ASSERT_DOUBLE_EQUAL(a.mean, 3.9, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(tp__moments_var(&a), tp__moments_var(&all), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(tp__moments_var(&all), 54.9 / 9, 1e-12);
}

/* A V L V' reconstruction and known eigenvalues: [[2,1,0],[1,2,0],[0,0,5]]
 * has eigenvalues 1, 3, 5. */
static void test_eigen(void)
{
    const double m[9] = {2, 1, 0, 1, 2, 0, 0, 0, 5};
    double a[9], w[3], v[9];
    memcpy(a, m, sizeof a);
    ASSERT_OK(tp__eigen_sym(a, 3, w, v) == 0 ? TP_OK : TP_EINVAL);
    double sorted[3] = {w[0], w[1], w[2]};
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (sorted[j] < sorted[i]) {
                double tmp = sorted[i];
                sorted[i] = sorted[j];
                sorted[j] = tmp;
            }
    CU_ASSERT_DOUBLE_EQUAL(sorted[0], 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sorted[1], 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sorted[2], 5, 1e-12);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double r = 0;
            for (int k = 0; k < 3; k++)
                r += v[i * 3 + k] * w[k] * v[j * 3 + k];
            CU_ASSERT_DOUBLE_EQUAL(r, m[i * 3 + j], 1e-12);
        }
}

/* Exact moments: the worked example above, a near-constant sample where a
 * textbook sum-of-squares formula in doubles cancels to nothing, and bitwise
 * equality under any grouping. The reference is a two-pass long double
 * computation. */
static void test_xmoments(void)
{
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9, 10, 3.5};
    tp__xmoments all, a, b;
    memset(&all, 0, sizeof all);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    for (int i = 0; i < 10; i++) {
        CU_ASSERT_EQUAL(tp__xmoments_add(&all, x[i]), 0);
        CU_ASSERT_EQUAL(tp__xmoments_add(i % 3 ? &a : &b, x[i]), 0);
    }
    CU_ASSERT_EQUAL(tp__xmoments_merge(&b, &a), 0);
    CU_ASSERT_EQUAL(memcmp(&b, &all, sizeof b), 0);
    tp__moments m = tp__xmoments_get(&all);
    CU_ASSERT_EQUAL(m.n, 10);
    CU_ASSERT_EQUAL(m.mean, 5.35);
    CU_ASSERT_DOUBLE_EQUAL(m.m2, 58.025, 1e-12); /* sum of (x - 5.35)^2, by hand */
    long double mean = 0, m2 = 0;
    for (int i = 0; i < 10; i++)
        mean += x[i];
    mean /= 10;
    for (int i = 0; i < 10; i++)
        m2 += (x[i] - mean) * (x[i] - mean);
    CU_ASSERT_DOUBLE_EQUAL(m.m2, (double)m2, 1e-12);
    /* 1e9 + {0.1, 0.2, 0.3}: variance 0.01 survives exact sums. */
    tp__xmoments c;
    memset(&c, 0, sizeof c);
    const double y[] = {1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3};
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(tp__xmoments_add(&c, y[i]), 0);
    m = tp__xmoments_get(&c);
    long double ym = ((long double)y[0] + y[1] + y[2]) / 3, ym2 = 0;
    for (int i = 0; i < 3; i++)
        ym2 += (y[i] - ym) * (y[i] - ym);
    CU_ASSERT_DOUBLE_EQUAL(m.mean, (double)ym, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(m.m2, (double)ym2, 1e-9);
    CU_ASSERT_EQUAL(tp__xmoments_add(&c, NAN), -1);
    CU_ASSERT_EQUAL(c.n, 3);
}

static const tp_test tests[] = {
    TP_TEST(test_normal_quantile), TP_TEST(test_beta_inc),     TP_TEST(test_t_p_values),
    TP_TEST(test_nps_worked_example), TP_TEST(test_nps_edges), TP_TEST(test_wilson_worked_example),
    TP_TEST(test_mean_estimate),   TP_TEST(test_bayes_average), TP_TEST(test_welch),
    TP_TEST(test_moments_merge),   TP_TEST(test_xmoments),     TP_TEST(test_eigen),        TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"analysis/metrics", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
