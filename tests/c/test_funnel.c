/* lib/analysis/funnel.c: funnels on a small log with answers worked by hand. */
#include <math.h>

#include "testutil.h"

/* Times in seconds. Steps website > cart > online-checkout.
 * u1: website 0, cart 10, checkout 20                    -> 3
 * u2: website 0, cart 10                                 -> 2, then nothing
 * u3: website 0, support 5, cart 10, checkout 20         -> 3 (1 if support excludes)
 * u4: cart 0, website 10, checkout 20                    -> 1, then checkout
 * u5: website 0, checkout 5, cart 10, checkout 100000    -> 3 (loose; 2 within a day;
 *                                                           1 strict)
 * u6: website 0, website 50, cart 60                     -> 2 */
static const char log_csv[] = "customer_id,timestamp,touchpoint,type\n"
                              "u1,0,website,interaction\n"
                              "u1,10,cart,interaction\n"
                              "u1,20,online-checkout,conversion\n"
                              "u2,0,website,interaction\n"
                              "u2,10,cart,interaction\n"
                              "u3,0,website,interaction\n"
                              "u3,5,support,interaction\n"
                              "u3,10,cart,interaction\n"
                              "u3,20,online-checkout,interaction\n"
                              "u4,0,cart,interaction\n"
                              "u4,10,website,interaction\n"
                              "u4,20,online-checkout,interaction\n"
                              "u5,100000,online-checkout,interaction\n"
                              "u5,0,website,interaction\n"
                              "u5,5,online-checkout,interaction\n"
                              "u5,10,cart,interaction\n"
                              "u6,0,website,interaction\n"
                              "u6,50,website,interaction\n"
                              "u6,60,cart,interaction\n";

static tp_catalog *cat;
static tp_events *ev;

static void load(void) { ev = tp_test_log(&cat, log_csv, sizeof log_csv - 1); }

static int64_t i64(const tp_table *t, size_t r, const char *col)
{
    size_t c;
    int64_t v = -1;
    if (tp_table_find_column(t, col, &c) == TP_OK)
        tp_table_get_int64(t, r, c, &v);
    return v;
}

static double f64(const tp_table *t, size_t r, const char *col)
{
    size_t c;
    double v = -1;
    if (tp_table_find_column(t, col, &c) == TP_OK && tp_table_get_double(t, r, c, &v) != TP_OK)
        v = NAN;
    return v;
}

static const char *str(const tp_table *t, size_t r, const char *col)
{
    size_t c;
    const char *s = "?";
    if (tp_table_find_column(t, col, &c) == TP_OK)
        tp_table_get_string(t, r, c, &s);
    return s;
}

/* Run website > cart > online-checkout with a setup and check the counts. */
static void check(void (*setup)(tp_funnel *), const int64_t want[3])
{
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart, online-checkout"));
    if (setup)
        setup(f);
    tp_table *t;
    ASSERT_OK(tp_funnel_run(ev, f, NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 3);
    for (size_t r = 0; r < 3; r++) {
        if (i64(t, r, "customers") != want[r])
            fprintf(stderr, "\n  step %zu: %lld customers, want %lld\n", r + 1,
                    (long long)i64(t, r, "customers"), (long long)want[r]);
        CU_ASSERT_EQUAL(i64(t, r, "customers"), want[r]);
    }
    tp_table_free(t);
    tp_funnel_free(f);
}

static void test_loose(void)
{
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart, online-checkout"));
    CU_ASSERT_EQUAL(tp_funnel_step_count(f), 3);
    tp_table *t, *d;
    ASSERT_OK(tp_funnel_run(ev, f, NULL, NULL, &t, &d));
    static const int64_t customers[] = {6, 5, 3}, dropped[] = {0, 1, 2};
    static const double from_start[] = {1, 5.0 / 6, 0.5}, from_prev[] = {1, 5.0 / 6, 0.6};
    static const char *const tp[] = {"website", "cart", "online-checkout"};
    for (size_t r = 0; r < 3; r++) {
        CU_ASSERT_EQUAL(i64(t, r, "step"), (int64_t)r + 1);
        CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), tp[r]);
        CU_ASSERT_EQUAL(i64(t, r, "customers"), customers[r]);
        CU_ASSERT_EQUAL(i64(t, r, "dropped"), dropped[r]);
        CU_ASSERT_DOUBLE_EQUAL(f64(t, r, "conversion_from_start"), from_start[r], 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(f64(t, r, "conversion_from_previous"), from_prev[r], 1e-12);
    }
    CU_ASSERT(isnan(f64(t, 0, "median_ms")));
    /* website -> cart: 10 s for all five (u6 from its later website visit). */
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 1, "median_ms"), 10000, 1e-9);
    /* cart -> checkout: 10, 10, 99990 s. */
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 2, "median_ms"), 10000, 1e-9);
    /* u4 stopped at website and went to checkout; u2 and u6 stopped at cart. */
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(d), 2);
    CU_ASSERT_EQUAL(i64(d, 0, "step"), 1);
    CU_ASSERT_STRING_EQUAL(str(d, 0, "touchpoint"), "website");
    CU_ASSERT_STRING_EQUAL(str(d, 0, "next"), "online-checkout");
    CU_ASSERT_EQUAL(i64(d, 0, "customers"), 1);
    CU_ASSERT_EQUAL(i64(d, 1, "step"), 2);
    CU_ASSERT_STRING_EQUAL(str(d, 1, "next"), "(end)");
    CU_ASSERT_EQUAL(i64(d, 1, "customers"), 2);
    tp_table_free(t);
    tp_table_free(d);
    tp_funnel_free(f);
}

static void exclude_support(tp_funnel *f) { ASSERT_OK(tp_funnel_add_exclusion(f, "support")); }
static void within_a_day(tp_funnel *f) { ASSERT_OK(tp_funnel_set_window(f, 86400000)); }
static void strict(tp_funnel *f) { ASSERT_OK(tp_funnel_set_mode(f, TP_FUNNEL_STRICT)); }

static void test_variants(void)
{
    static const int64_t excl[] = {6, 4, 2}, day[] = {6, 5, 2}, str_[] = {6, 4, 2};
    check(exclude_support, excl);
    check(within_a_day, day);
    check(strict, str_);

    /* Where the excluded customer went: support. */
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website,cart,online-checkout"));
    ASSERT_OK(tp_funnel_add_exclusion(f, "support"));
    tp_table *t, *d;
    ASSERT_OK(tp_funnel_run(ev, f, NULL, NULL, &t, &d));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(d), 3);
    /* step 1: online-checkout (u4) and support (u3), one each, by name */
    CU_ASSERT_STRING_EQUAL(str(d, 0, "next"), "online-checkout");
    CU_ASSERT_STRING_EQUAL(str(d, 1, "next"), "support");
    CU_ASSERT_EQUAL(i64(d, 2, "customers"), 2);
    tp_table_free(t);
    tp_table_free(d);
    /* A filter applies before the funnel: before 15 s nobody reaches checkout,
     * and u1, u2 and u5 reach cart (u3 is excluded, u6's cart is later). */
    tp_filter *flt;
    ASSERT_OK(tp_filter_new(&flt));
    ASSERT_OK(tp_filter_set_time_range(flt, 0, 15000));
    ASSERT_OK(tp_funnel_run(ev, f, flt, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i64(t, 2, "customers"), 0);
    CU_ASSERT_EQUAL(i64(t, 1, "customers"), 3);
    tp_table_free(t);
    tp_filter_free(flt);
    tp_funnel_free(f);
}

/* Greedy matching of the earliest events fails here; the funnel must not.
 * x: website 0, cart 1, cart 10, checkout 15 with checkout<6s: only cart@10
 * works. y: website 0, website 100, cart 105 within 50 s: only website@100. */
static void test_windows_need_best_chain(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint\n"
                              "x,0,website\nx,1,cart\nx,10,cart\nx,15,online-checkout\n"
                              "y,0,website\ny,100,website\ny,105,cart\n";
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart, online-checkout<6s"));
    ASSERT_OK(tp_funnel_set_window(f, 50000));
    tp_table *t;
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i64(t, 0, "customers"), 2);
    CU_ASSERT_EQUAL(i64(t, 1, "customers"), 2);
    CU_ASSERT_EQUAL(i64(t, 2, "customers"), 1);
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 2, "median_ms"), 5000, 1e-9);
    tp_table_free(t);
    tp_funnel_free(f);

    /* Optional step: website > product-page? > cart. x skips it. */
    static const char opt_csv[] = "customer_id,timestamp,touchpoint\n"
                                  "p,0,website\np,1,product-page\np,2,cart\n"
                                  "q,0,website\nq,2,cart\nr,0,website\n";
    tp_events_free(e);
    e = tp_test_log(&c, opt_csv, sizeof opt_csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website,product-page?,cart"));
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, NULL));
    static const int64_t customers[] = {3, 1, 2}, optional[] = {0, 1, 0}, dropped[] = {0, 0, 1};
    static const double prev[] = {1, 1.0 / 3, 2.0 / 3};
    for (size_t r = 0; r < 3; r++) {
        CU_ASSERT_EQUAL(i64(t, r, "customers"), customers[r]);
        CU_ASSERT_EQUAL(i64(t, r, "optional"), optional[r]);
        CU_ASSERT_EQUAL(i64(t, r, "dropped"), dropped[r]);
        CU_ASSERT_DOUBLE_EQUAL(f64(t, r, "conversion_from_previous"), prev[r], 1e-12);
    }
    /* cart comes 1 s after product-page (p) and 2 s after website (q). */
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 2, "median_ms"), 1500, 1e-9);
    tp_table_free(t);
    tp_funnel_free(f);
    tp_events_free(e);
    tp_catalog_free(c);
}

static void test_definition_errors(void)
{
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_STATUS(tp_funnel_parse(f, "website,,cart"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "step 2 is empty");
    ASSERT_STATUS(tp_funnel_parse(f, "website,cart<2x"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "2x");
    ASSERT_STATUS(tp_funnel_parse(f, "website?,cart"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "first step");
    CU_ASSERT_EQUAL(tp_funnel_step_count(f), 0); /* all or nothing */
    tp_table *t;
    ASSERT_STATUS(tp_funnel_run(ev, f, NULL, NULL, &t, NULL), TP_EINVAL);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_OK(tp_funnel_parse(f, "website, no-such-page"));
    ASSERT_STATUS(tp_funnel_run(ev, f, NULL, NULL, &t, NULL), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "no-such-page");
    tp_funnel_free(f);
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_add_step(f, "website", 0, 0));
    ASSERT_OK(tp_funnel_add_exclusion(f, "website"));
    ASSERT_STATUS(tp_funnel_run(ev, f, NULL, NULL, &t, NULL), TP_EINVAL);
    ASSERT_STATUS(tp_funnel_set_window(f, -1), TP_EINVAL);
    ASSERT_STATUS(tp_funnel_add_step(f, "cart", 0, -5), TP_EINVAL);
    ASSERT_STATUS(tp_funnel_set_mode(f, (tp_funnel_mode)7), TP_EINVAL);
    tp_funnel_free(f);
    tp_funnel_free(NULL);
}

/* Steps of one event type. Times in seconds; c = conversion, i = interaction.
 * a: website 0, online-checkout 10 i, online-checkout 20 c
 * b: website 0, online-checkout 10 i                  (never buys)
 * c: website 0, point-of-sale 30 c                    (buys in the store)
 * d: online-checkout 0 c, website 5                   (bought before the website)
 * e: website 0, online-checkout 10 c                  (buys at its only checkout event) */
static const char typed_csv[] = "customer_id,timestamp,touchpoint,type\n"
                                "a,0,website,interaction\n"
                                "a,10,online-checkout,interaction\n"
                                "a,20,online-checkout,conversion\n"
                                "b,0,website,interaction\n"
                                "b,10,online-checkout,interaction\n"
                                "c,0,website,interaction\n"
                                "c,30,point-of-sale,conversion\n"
                                "d,0,online-checkout,conversion\n"
                                "d,5,website,interaction\n"
                                "e,0,website,interaction\n"
                                "e,10,online-checkout,conversion\n";

/* Customers per step of @p steps (and @p exclude) over the typed log. */
static void typed(const tp_events *e, const char *steps, const char *exclude, size_t n,
                  const int64_t *want, tp_table **keep, tp_table **drops)
{
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_set(f, "steps", steps));
    if (exclude)
        ASSERT_OK(tp_funnel_set(f, "exclude", exclude));
    tp_table *t;
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, drops));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), n);
    for (size_t r = 0; r < n; r++) {
        if (i64(t, r, "customers") != want[r])
            fprintf(stderr, "\n  %s, step %zu: %lld customers, want %lld\n", steps, r + 1,
                    (long long)i64(t, r, "customers"), (long long)want[r]);
        CU_ASSERT_EQUAL(i64(t, r, "customers"), want[r]);
    }
    if (keep)
        *keep = t;
    else
        tp_table_free(t);
    tp_funnel_free(f);
}

static void test_typed_steps(void)
{
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, typed_csv, sizeof typed_csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_table *t, *d;

    /* A purchase anywhere after the website: a (20 s), c (30 s), e (10 s); d
     * bought before. The median time is 20 s. */
    static const int64_t any[] = {5, 3};
    typed(e, "website, (conversion)", NULL, 2, any, &t, NULL);
    CU_ASSERT_STRING_EQUAL(str(t, 1, "touchpoint"), "(conversion)");
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 1, "median_ms"), 20000, 1e-9);
    tp_table_free(t);

    /* The visit, then the purchase there: a visit step matches events of every
     * type (e's conversion is its visit), and a purchase must follow a visit
     * before it (an event is never two chained steps), so only a buys. */
    static const int64_t visit_buy[] = {5, 3, 1};
    typed(e, "website, online-checkout, online-checkout (conversion)", NULL, 3, visit_buy, &t,
          &d);
    CU_ASSERT_STRING_EQUAL(str(t, 1, "touchpoint"), "online-checkout");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "touchpoint"), "online-checkout (conversion)");
    CU_ASSERT_EQUAL(i64(t, 2, "dropped"), 2);
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 2, "median_ms"), 10000, 1e-9);
    /* Dropped at step 1: c went to point-of-sale, d had nothing after; at
     * step 2: b and e had nothing after the event that reached it. */
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(d), 3);
    CU_ASSERT_EQUAL(i64(d, 0, "step"), 1);
    CU_ASSERT_STRING_EQUAL(str(d, 0, "next"), "(end)");
    CU_ASSERT_STRING_EQUAL(str(d, 1, "next"), "point-of-sale");
    CU_ASSERT_EQUAL(i64(d, 2, "step"), 2);
    CU_ASSERT_STRING_EQUAL(str(d, 2, "touchpoint"), "online-checkout");
    CU_ASSERT_EQUAL(i64(d, 2, "customers"), 2);
    tp_table_free(t);
    tp_table_free(d);

    /* Within 15 s of the website: e only (a took 20 s). The type in any case,
     * spaces around it. */
    static const int64_t quick[] = {5, 1};
    typed(e, "website, online-checkout ( CONVERSION )<15s", NULL, 2, quick, NULL, NULL);

    /* A purchase anywhere starts the customer over and is never a step: e's
     * checkout event is a purchase, so a and b reach checkout. */
    static const int64_t excl[] = {5, 2};
    typed(e, "website, online-checkout", "(conversion)", 2, excl, NULL, NULL);
    /* Only store purchases excluded: e's online purchase is a visit again. */
    static const int64_t excl_pos[] = {5, 3};
    typed(e, "website, online-checkout", "point-of-sale (conversion)", 2, excl_pos, NULL, NULL);

    /* Optional typed steps, '?' before or after the type: a and b visit
     * checkout without buying; the purchase follows the website for a, c, e. */
    static const int64_t opt[] = {5, 2, 3};
    typed(e, "website, online-checkout? (interaction), (conversion)", NULL, 3, opt, &t, NULL);
    CU_ASSERT_EQUAL(i64(t, 1, "optional"), 1);
    CU_ASSERT_STRING_EQUAL(str(t, 1, "touchpoint"), "online-checkout (interaction)");
    tp_table_free(t);
    typed(e, "website, online-checkout (interaction)?, (conversion)", NULL, 3, opt, NULL, NULL);

    /* The C builders give the same funnel as the text. */
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_add_step(f, "website", 0, 0));
    ASSERT_OK(tp_funnel_add_typed_step(f, NULL, TP_EVENT_CONVERSION, 0, 0));
    ASSERT_OK(tp_funnel_add_typed_exclusion(f, "point-of-sale", TP_EVENT_CONVERSION));
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i64(t, 1, "customers"), 2); /* a and e: c's purchase is excluded */
    tp_table_free(t);
    tp_funnel *copy;
    ASSERT_OK(tp_funnel_copy(f, &copy));
    ASSERT_OK(tp_funnel_run(e, copy, NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i64(t, 1, "customers"), 2);
    CU_ASSERT_STRING_EQUAL(str(t, 1, "touchpoint"), "(conversion)");
    tp_table_free(t);
    tp_funnel_free(copy);

    /* Errors: no touchpoint and no type, an unknown type, a step the
     * exclusions cover, a type's typo (the message says what types are). */
    ASSERT_STATUS(tp_funnel_add_typed_step(f, NULL, (tp_event_type)9, 0, 0), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "event type 9");
    ASSERT_STATUS(tp_funnel_add_typed_exclusion(f, "cart", (tp_event_type)-1), TP_EINVAL);
    tp_funnel_free(f);
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, online-checkout (conversion)"));
    ASSERT_OK(tp_funnel_set(f, "exclude", "(conversion)"));
    ASSERT_STATUS(tp_funnel_run(e, f, NULL, NULL, &t, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "every event of step 2 ('online-checkout (conversion)')");
    tp_funnel_free(f);
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, online-checkout (convertion)"));
    ASSERT_STATUS(tp_funnel_run(e, f, NULL, NULL, &t, NULL), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "'(convertion)' is not an event type (did you mean "
                                     "'online-checkout (conversion)'?");
    tp_funnel_free(f);
    /* Other text in parentheses is part of the id. */
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, store (north)"));
    ASSERT_STATUS(tp_funnel_run(e, f, NULL, NULL, &t, NULL), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "'store (north)'");
    tp_funnel_free(f);

    tp_events_free(e);
    tp_catalog_free(c);
}

/* Any order, steps website, cart, online-checkout (times in seconds):
 * p: cart 0, website 10, checkout 20      -> 3 steps (10 s, 10 s after the one before)
 * q: checkout 0, cart 5                  -> 2 (5 s)
 * r: website 0                           -> 1
 * s: support 0                           -> 0 (no step)
 * t: cart 0, cart 5, website 100         -> 2 (100 s); 1 within 50 s
 * u: website 0, support 5, cart 10       -> 2; 1 when support excludes */
static void test_any_order(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint\n"
                              "p,0,cart\np,10,website\np,20,online-checkout\n"
                              "q,0,online-checkout\nq,5,cart\nr,0,website\ns,0,support\n"
                              "t,0,cart\nt,5,cart\nt,100,website\n"
                              "u,0,website\nu,5,support\nu,10,cart\n";
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart, online-checkout"));
    ASSERT_OK(tp_funnel_set(f, "mode", "any"));
    tp_table *t, *d;
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, &d));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 3);
    static const int64_t customers[] = {5, 4, 1}, dropped[] = {0, 1, 3};
    static const double median[] = {NAN, 10000, 10000};
    static const char *const label[] = {"(any 1 of 3)", "(any 2 of 3)", "(any 3 of 3)"};
    for (size_t r = 0; r < 3; r++) {
        CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), label[r]);
        CU_ASSERT_EQUAL(i64(t, r, "customers"), customers[r]);
        CU_ASSERT_EQUAL(i64(t, r, "dropped"), dropped[r]);
        CU_ASSERT_EQUAL(i64(t, r, "optional"), 0);
        if (r)
            CU_ASSERT_DOUBLE_EQUAL(f64(t, r, "median_ms"), median[r], 1e-9);
    }
    CU_ASSERT(isnan(f64(t, 0, "median_ms")));
    /* row 2: 10 s (p), 5 s (q), 100 s (t), 10 s (u): median 10 s; row 3: p's 10 s */
    CU_ASSERT_DOUBLE_EQUAL(f64(t, 1, "conversion_from_start"), 0.8, 1e-12);
    /* r stopped at 1 with nothing after; q, t, u at 2 */
    CU_ASSERT_STRING_EQUAL(str(d, 0, "touchpoint"), "(any 1 of 3)");
    CU_ASSERT_EQUAL(i64(d, 0, "customers"), 1);
    tp_table_free(t);
    tp_table_free(d);
    /* within 50 s t does one step at a time; support excludes: u starts over */
    ASSERT_OK(tp_funnel_set(f, "window", "50s"));
    ASSERT_OK(tp_funnel_add_exclusion(f, "support"));
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i64(t, 0, "customers"), 5);
    CU_ASSERT_EQUAL(i64(t, 1, "customers"), 2); /* p, q */
    CU_ASSERT_EQUAL(i64(t, 2, "customers"), 1);
    tp_table_free(t);
    tp_funnel_free(f);
    /* no optional steps or step windows in any order */
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart?"));
    ASSERT_OK(tp_funnel_set_mode(f, TP_FUNNEL_ANY_ORDER));
    ASSERT_STATUS(tp_funnel_run(e, f, NULL, NULL, &t, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "funnel step 2: a funnel in any order has no optional steps");
    tp_funnel_free(f);
    CU_ASSERT_STRING_EQUAL(tp_funnel_mode_name(TP_FUNNEL_ANY_ORDER), "any");
    tp_events_free(e);
    tp_catalog_free(c);
}

static void test_cleanup(void)
{
    tp_events_free(ev);
    tp_catalog_free(cat);
}

static const tp_test tests[] = {TP_TEST(test_loose),
                                TP_TEST(test_variants),
                                TP_TEST(test_windows_need_best_chain),
                                TP_TEST(test_definition_errors),
                                TP_TEST(test_typed_steps),
                                TP_TEST(test_any_order),
                                TP_TEST(test_cleanup),
                                TP_TESTS_END};

int main(void)
{
    load();
    const tp_suite suites[] = {{"analysis/funnel", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
