/* lib/analysis/conformance.c: journeys against a designed map, worked by hand. */
#include "testutil.h"

/* Map "web": browse [website] -> choose [product-page, cart] -> buy
 * [online-checkout]; allowed (start)>website>product-page>cart>online-checkout>(end).
 * u1: website, product-page, cart, online-checkout: 5 of 5 allowed.
 * u2: website, cart, support, website: (start)>website ok; website>cart not
 *     allowed (next stage: disallowed_transition @cart); support is not in the
 *     map (unexpected_touchpoint @support; in and out not allowed);
 *     website>(end) skips stages (@website). 1 of 5.
 * u3: product-page, website: (start)>product-page skips browse (@product-page);
 *     product-page>website goes back (@website); website>(end) skips. 0 of 3.
 * u4: support, store: never enters the map, so it is not a journey of it
 *     (outside_map) and its visits are no deviations. */
static const char log_csv[] = "customer_id,timestamp,touchpoint,type\n"
                              "u1,1,website,interaction\n"
                              "u2,1,website,interaction\n"
                              "u3,1,product-page,interaction\n"
                              "u1,2,product-page,interaction\n"
                              "u2,2,cart,interaction\n"
                              "u3,2,website,interaction\n"
                              "u1,3,cart,interaction\n"
                              "u2,3,support,interaction\n"
                              "u1,4,online-checkout,conversion\n"
                              "u2,4,website,interaction\n"
                              "u4,5,support,interaction\n"
                              "u4,6,store,interaction\n";

static tp_catalog *cat;
static tp_events *ev;

static void add_map(const char *id, int with_transitions)
{
    tp_journey_map *m;
    const char *browse[] = {"website"}, *choose[] = {"product-page", "cart"},
               *buy[] = {"online-checkout"};
    ASSERT_OK(tp_journey_map_new(&m, id));
    ASSERT_OK(tp_journey_map_add_stage(m, "browse", browse, 1));
    ASSERT_OK(tp_journey_map_add_stage(m, "choose", choose, 2));
    ASSERT_OK(tp_journey_map_add_stage(m, "buy", buy, 1));
    static const char *const allowed[][2] = {{"(start)", "website"},
                                             {"website", "product-page"},
                                             {"product-page", "cart"},
                                             {"cart", "online-checkout"},
                                             {"online-checkout", "(end)"}};
    for (size_t i = 0; with_transitions && i < 5; i++)
        ASSERT_OK(tp_journey_map_allow(m, allowed[i][0], allowed[i][1]));
    ASSERT_OK(tp_catalog_add_journey_map(cat, m));
    tp_journey_map_free(m);
}

static void setup(void)
{
    ASSERT_OK(tp_catalog_new_default(&cat));
    add_map("web", 1);
    add_map("web-default", 0);
    ev = tp_test_log(&cat, log_csv, sizeof log_csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
}

static const char *s_at(const tp_table *t, size_t r, size_t c)
{
    const char *s = NULL;
    if (tp_table_is_null(t, r, c))
        return "";
    tp_table_get_string(t, r, c, &s);
    return s ? s : "?";
}

static int64_t i_at(const tp_table *t, size_t r, size_t c)
{
    int64_t v = -1;
    tp_table_get_int64(t, r, c, &v);
    return v;
}

static double d_at(const tp_table *t, size_t r, size_t c)
{
    double v = -1;
    tp_table_get_double(t, r, c, &v);
    return v;
}

static void check_summary(const tp_table *t)
{
    /* A skip names the stages it passed over: website>(end) leaves browse for
     * after buy (choose, buy); (start)>product-page passes browse. */
    static const struct {
        const char *kind, *tp;
        int64_t count, journeys;
        const char *skipped;
    } want[] = {{"overall", "", 13, 3, ""},
                {"conforming", "", 6, 1, ""},
                {"outside_map", "", 0, 1, ""},
                {"unexpected_touchpoint", "support", 1, 1, ""},
                {"backward_move", "website", 1, 1, ""},
                {"skipped_stage", "website", 2, 2, "choose, buy"},
                {"skipped_stage", "product-page", 1, 1, "browse"},
                {"disallowed_transition", "cart", 1, 1, ""}};
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 8);
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(t, 5), "skipped");
    CU_ASSERT(tp_table_is_null(t, 2, 2) && tp_table_is_null(t, 2, 4)); /* outside_map */
    for (size_t r = 0; r < 8; r++) {
        CU_ASSERT_STRING_EQUAL(s_at(t, r, 0), want[r].kind);
        CU_ASSERT_STRING_EQUAL(s_at(t, r, 1), want[r].tp);
        CU_ASSERT_EQUAL(i_at(t, r, 2), want[r].count);
        CU_ASSERT_EQUAL(i_at(t, r, 3), want[r].journeys);
        CU_ASSERT_STRING_EQUAL(s_at(t, r, 5), want[r].skipped);
    }
    CU_ASSERT_DOUBLE_EQUAL(d_at(t, 0, 4), (1.0 + 0.2 + 0.0) / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(d_at(t, 1, 4), 6.0 / 13, 1e-12);
    CU_ASSERT(tp_table_is_null(t, 3, 4));
}

static void test_batch(void)
{
    tp_table *t, *j;
    ASSERT_OK(tp_conformance(ev, "web", NULL, NULL, &t, &j));
    check_summary(t);
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(j), 3);
    static const int64_t trans[] = {5, 5, 3}, allowed[] = {5, 1, 0}, dev[] = {0, 3, 3};
    for (size_t r = 0; r < 3; r++) {
        CU_ASSERT_EQUAL(i_at(j, r, 2), trans[r]);
        CU_ASSERT_EQUAL(i_at(j, r, 3), allowed[r]);
        CU_ASSERT_EQUAL(i_at(j, r, 4), dev[r]);
    }
    CU_ASSERT_STRING_EQUAL(s_at(j, 1, 0), "u2");
    CU_ASSERT_DOUBLE_EQUAL(d_at(j, 1, 5), 0.2, 1e-12);
    tp_table_free(t);
    tp_table_free(j);

    /* Without an allowed list: moves within a stage or to the next one.
     * u1 5/5; u2 (start)>website, website>cart 2/5; u3 0/3. */
    ASSERT_OK(tp_conformance(ev, "web-default", NULL, NULL, &t, NULL));
    CU_ASSERT_EQUAL(i_at(t, 1, 2), 7);
    CU_ASSERT_DOUBLE_EQUAL(d_at(t, 0, 4), (1.0 + 0.4) / 3, 1e-12);
    tp_table_free(t);

    ASSERT_STATUS(tp_conformance(ev, "no-map", NULL, NULL, &t, NULL), TP_ENOTFOUND);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_CONTAINS(tp_last_error(), "no-map");
}

/* The same events fed one at a time, customers interleaved, give the same
 * summary; a customer's events must come in time order. */
static void test_stream(void)
{
    tp_conformer *c;
    ASSERT_OK(tp_conformer_new(&c, cat, "web", NULL));
    for (size_t r = 0; r < tp_events_count(ev); r++) {
        const char *cust = tp_events_customer(ev, r), *tp = tp_events_touchpoint(ev, r);
        ASSERT_OK(tp_conformer_add(c, cust, tp_events_time(ev, r), tp, tp_events_type(ev, r)));
    }
    ASSERT_STATUS(tp_conformer_add(c, "u2", 0, "website", TP_EVENT_INTERACTION), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "time order");
    ASSERT_STATUS(tp_conformer_add(c, "u2", 9000, "website", (tp_event_type)9), TP_EINVAL);
    tp_table *t, *j;
    ASSERT_OK(tp_conformer_finish(c, &t, &j));
    check_summary(t);
    CU_ASSERT_EQUAL(tp_table_row_count(j), 3);
    tp_table_free(t);
    tp_table_free(j);
    tp_conformer_free(c);
    tp_conformer_free(NULL);
    ASSERT_STATUS(tp_conformer_new(&c, cat, "nope", NULL), TP_ENOTFOUND);
    CU_ASSERT_PTR_NULL(c);
}

static void test_cleanup(void)
{
    tp_events_free(ev);
    tp_catalog_free(cat);
}

static const tp_test tests[] = {TP_TEST(setup), TP_TEST(test_batch), TP_TEST(test_stream),
                                TP_TEST(test_cleanup), TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"analysis/conformance", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
