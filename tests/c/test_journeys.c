/* lib/analysis/journeys.c: journeys and transitions on a log worked by hand. */
#include <math.h>

#include "testutil.h"

/* c1: web 0, shop 10, checkout 20 (conversion, 50), web 30 (a new journey
 *     after the conversion);
 * c2: shop 5 and web 5 (a tie: input order), then web 31 days later (timeout);
 * c3: web 7, shop 8 (exit).
 * Journeys: c1#1 web>shop>checkout (converted, 50), c1#2 web, c2#1 shop>web,
 * c2#2 web, c3#1 web>shop (exited). */
static const char log_csv[] = "customer_id,timestamp,touchpoint,type,value\n"
                              "c1,0,web,interaction,\n"
                              "c2,5,shop,interaction,\n"
                              "c2,5,web,interaction,\n"
                              "c3,7,web,interaction,\n"
                              "c3,8,shop,exit,\n"
                              "c1,20,checkout,conversion,50\n"
                              "c1,10,shop,interaction,\n"
                              "c1,30,web,interaction,\n"
                              "c2,2678405,web,interaction,\n";

static tp_events *load(tp_catalog **c)
{
    *c = NULL;
    return tp_test_log(c, log_csv, sizeof log_csv - 1);
}

static int64_t cell(const tp_table *t, size_t row, size_t col)
{
    int64_t v = -1;
    tp_table_get_int64(t, row, col, &v);
    return v;
}

static void test_journeys(void)
{
    tp_catalog *c;
    tp_events *e = load(&c);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL_FATAL(tp_events_count(e), 9);
    tp_table *t;
    ASSERT_OK(tp_journeys(e, NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 5);
    const char *s;
    static const char *const cust[] = {"c1", "c1", "c2", "c2", "c3"};
    static const int64_t number[] = {1, 2, 1, 2, 1}, touches[] = {3, 1, 2, 1, 2},
                         converted[] = {1, 0, 0, 0, 0}, exited[] = {0, 0, 0, 0, 1},
                         start[] = {0, 30000, 5000, 2678405000, 7000},
                         dur[] = {20000, 0, 0, 0, 1000};
    for (size_t r = 0; r < 5; r++) {
        ASSERT_OK(tp_table_get_string(t, r, 0, &s));
        CU_ASSERT_STRING_EQUAL(s, cust[r]);
        CU_ASSERT_EQUAL(cell(t, r, 1), number[r]);
        CU_ASSERT_EQUAL(cell(t, r, 2), start[r]);
        CU_ASSERT_EQUAL(cell(t, r, 4), touches[r]);
        CU_ASSERT_EQUAL(cell(t, r, 5), converted[r]);
        CU_ASSERT_EQUAL(cell(t, r, 6), exited[r]);
        CU_ASSERT_EQUAL(cell(t, r, 8), dur[r]);
    }
    double value;
    ASSERT_OK(tp_table_get_double(t, 0, 7, &value));
    CU_ASSERT_DOUBLE_EQUAL(value, 50, 0);
    tp_table_free(t);
    /* a timeout longer than the gap keeps c2 in one journey */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "timeout", "32d"));
    ASSERT_OK(tp_journeys(e, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 4);
    tp_table_free(t);
    int64_t ms;
    ASSERT_OK(tp_options_get_int(o, TP_OPT_TIMEOUT, &ms));
    CU_ASSERT_EQUAL(ms, 32LL * 86400000);
    CU_ASSERT_EQUAL(tp_options_set(o, "timeout", "soon"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "timeout", "0d"), TP_EINVAL);
    tp_options_free(o);
    /* the filter selects events first */
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_set_time_range(f, 0, 9000));
    ASSERT_OK(tp_journeys(e, f, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3); /* c1 web; c2 shop>web; c3 web>shop */
    CU_ASSERT_EQUAL(cell(t, 0, 4), 1);
    tp_table_free(t);
    tp_filter_free(f);
    CU_ASSERT_EQUAL(tp_journeys(NULL, NULL, NULL, &t), TP_EINVAL);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* From the five journeys: (start)>web 4, (start)>shop 1, web>shop 2 (c1#1,
 * c3#1), shop>checkout 1, checkout>(end) 1, web>(end) 3 (c1#2, c2#1, c2#2),
 * shop>web 1, shop>(end) 1. Total = touches + journeys = 9 + 5 = 14. */
/* A random log (times out of order, ties, conversions) against journeys cut
 * here from one comparison sort of (customer, time, row). */
typedef struct ref_ev {
    uint32_t customer, row;
    int64_t time;
    int type;
} ref_ev;

static int ref_cmp(const void *pa, const void *pb)
{
    const ref_ev *a = pa, *b = pb;
    if (a->customer != b->customer)
        return a->customer < b->customer ? -1 : 1;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static void test_journeys_random(void)
{
    enum { N = 5000, C = 300 };
    static char names[C][8];
    static const char *cs[N], *ts[N];
    static int64_t times[N];
    static uint8_t types[N];
    static ref_ev ref[N];
    static const char *const tps[] = {"web", "shop", "email", "checkout"};
    uint64_t x = 99;
    for (int i = 0; i < C; i++)
        snprintf(names[i], sizeof names[i], "k%d", i);
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int c = (int)((x >> 33) % C);
        cs[i] = names[c];
        ts[i] = tps[(x >> 20) % 4];
        times[i] = (int64_t)((x >> 40) % 50) * 86400000; /* many ties, gaps over 30 days */
        types[i] = (uint8_t)((x >> 10) % 10 == 0 ? 1 : (x >> 10) % 10 == 1 ? 2 : 0);
    }
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    ASSERT_OK(tp_events_append_many(e, N, cs, ts, times, types, NULL));
    /* customer numbers are first appearances: recover them through the table */
    uint32_t id_of[C];
    uint32_t next = 0;
    for (int c = 0; c < C; c++)
        id_of[c] = UINT32_MAX;
    for (int i = 0; i < N; i++) {
        int c = atoi(cs[i] + 1);
        if (id_of[c] == UINT32_MAX)
            id_of[c] = next++;
        ref[i] = (ref_ev){id_of[c], (uint32_t)i, times[i], types[i]};
    }
    qsort(ref, N, sizeof *ref, ref_cmp);
    tp_table *t;
    ASSERT_OK(tp_journeys(e, NULL, NULL, &t));
    size_t row = 0, touches = 0;
    int64_t start = 0;
    for (int i = 0; i <= N; i++) {
        int cut = i == N || i == 0 || ref[i].customer != ref[i - 1].customer ||
                  ref[i - 1].type != 0 || ref[i].time - ref[i - 1].time > 30LL * 86400000;
        if (cut && i > 0) {
            CU_ASSERT_FATAL(row < tp_table_row_count(t));
            CU_ASSERT_EQUAL(cell(t, row, 2), start);
            CU_ASSERT_EQUAL(cell(t, row, 4), (int64_t)touches);
            row++;
        }
        if (i == N)
            break;
        if (cut) {
            start = ref[i].time;
            touches = 0;
        }
        touches++;
    }
    CU_ASSERT_EQUAL(row, tp_table_row_count(t));
    tp_table_free(t);
    tp_events_free(e);
}

static void test_transitions(void)
{
    tp_catalog *c;
    tp_events *e = load(&c);
    tp_table *t;
    ASSERT_OK(tp_transitions(e, NULL, NULL, &t));
    static const char *const want[][2] = {{"(start)", "web"}, {"web", "(end)"},
                                          {"web", "shop"}};
    static const int64_t want_n[] = {4, 3, 2};
    const char *from, *to;
    for (size_t r = 0; r < 3; r++) {
        ASSERT_OK(tp_table_get_string(t, r, 0, &from));
        ASSERT_OK(tp_table_get_string(t, r, 1, &to));
        CU_ASSERT_STRING_EQUAL(from, want[r][0]);
        CU_ASSERT_STRING_EQUAL(to, want[r][1]);
        CU_ASSERT_EQUAL(cell(t, r, 2), want_n[r]);
    }
    CU_ASSERT_EQUAL(tp_table_row_count(t), 8);
    int64_t total = 0;
    for (size_t r = 0; r < tp_table_row_count(t); r++)
        total += cell(t, r, 2);
    CU_ASSERT_EQUAL(total, 14);
    tp_table_free(t);
    tp_events_free(e);
    tp_catalog_free(c);
}

static const char *str_at(const tp_table *t, size_t row, size_t col)
{
    const char *s = "?";
    tp_table_get_string(t, row, col, &s);
    return s;
}

static double dbl_at(const tp_table *t, size_t row, size_t col)
{
    double v = NAN;
    tp_table_get_double(t, row, col, &v);
    return v;
}

/* Variants of the log above: web twice (c1#2, c2#2), then one journey each:
 * web > shop > checkout (converts, 50) first by conversions, then shop > web
 * and web > shop by name. */
static void test_variants(void)
{
    tp_catalog *c;
    tp_events *e = load(&c);
    tp_table *t;
    ASSERT_OK(tp_variants(e, NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 4);
    static const char *const path[] = {"web", "web > shop > checkout", "shop > web", "web > shop"};
    static const int64_t journeys[] = {2, 1, 1, 1}, conv[] = {0, 1, 0, 0}, cust[] = {2, 1, 1, 1};
    for (size_t r = 0; r < 4; r++) {
        CU_ASSERT_STRING_EQUAL(str_at(t, r, 0), path[r]);
        CU_ASSERT_EQUAL(cell(t, r, 1), journeys[r]);
        CU_ASSERT_EQUAL(cell(t, r, 2), conv[r]);
        CU_ASSERT_EQUAL(cell(t, r, 4), cust[r]);
    }
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 1, 3), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 1, 5), 50.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 0, 6), 0.4, 1e-12);
    tp_table_free(t);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "top", "2"));
    ASSERT_OK(tp_variants(e, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    tp_table_free(t);
    tp_events_free(e);

    /* a > a > b > a: as is, repeats merged, loops removed. */
    static const char loop_csv[] = "customer_id,timestamp,touchpoint\nx,1,a\nx,2,a\nx,3,b\nx,4,a\n";
    ASSERT_OK(tp_events_new(&e, c));
    ASSERT_OK(tp_events_read_csv_buffer(e, loop_csv, sizeof loop_csv - 1, "loop", NULL, NULL));
    static const char *const want[] = {"a > a > b > a", "a > b > a", "a > b"};
    static const char *const mode[] = {"none", "repeats", "loops"};
    for (int m = 0; m < 3; m++) {
        ASSERT_OK(tp_options_set(o, "collapse", mode[m]));
        ASSERT_OK(tp_variants(e, NULL, o, &t));
        CU_ASSERT_STRING_EQUAL(str_at(t, 0, 0), want[m]);
        tp_table_free(t);
    }
    ASSERT_STATUS(tp_options_set(o, "collapse", "cycles"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "none, repeats, loops");
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* Conversions after 10, 20, 40 s (entry website) and 30 s (entry cart):
 * all: median 25 s, nearest-rank p90 40 s, mean 25 s; website: 20, 40, 70/3. */
static void test_conversion_times(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint,type\n"
                              "k1,0,website,interaction\nk1,10,online-checkout,conversion\n"
                              "k2,0,website,interaction\nk2,20,online-checkout,conversion\n"
                              "k3,0,cart,interaction\nk3,30,online-checkout,conversion\n"
                              "k4,0,website,interaction\nk4,40,online-checkout,conversion\n"
                              "k5,0,website,interaction\n";
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_table *t;
    ASSERT_OK(tp_conversion_times(e, NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 3);
    CU_ASSERT_STRING_EQUAL(str_at(t, 0, 0), "(all)");
    CU_ASSERT_EQUAL(cell(t, 0, 1), 4);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 0, 2), 25000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 0, 3), 40000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 0, 4), 25000, 1e-9);
    CU_ASSERT_STRING_EQUAL(str_at(t, 1, 0), "website");
    CU_ASSERT_EQUAL(cell(t, 1, 1), 3);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 1, 2), 20000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 1, 3), 40000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 1, 4), 70000.0 / 3, 1e-6);
    CU_ASSERT_STRING_EQUAL(str_at(t, 2, 0), "cart");
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 2, 2), 30000, 1e-9);
    tp_table_free(t);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* After web: shop twice (c1#1, c3), the journey's end three times. */
static void test_next_and_flow(void)
{
    tp_catalog *c;
    tp_events *e = load(&c);
    tp_table *t;
    ASSERT_OK(tp_next_touchpoints(e, "web", NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 2);
    CU_ASSERT_STRING_EQUAL(str_at(t, 0, 0), "(end)");
    CU_ASSERT_EQUAL(cell(t, 0, 1), 3);
    CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, 0, 2), 0.6, 1e-12);
    CU_ASSERT_EQUAL(cell(t, 0, 3), 2);
    CU_ASSERT_STRING_EQUAL(str_at(t, 1, 0), "shop");
    CU_ASSERT_EQUAL(cell(t, 1, 1), 2);
    tp_table_free(t);
    ASSERT_STATUS(tp_next_touchpoints(e, "nowhere", NULL, NULL, &t), TP_ENOTFOUND);

    /* Two steps: step 1 web>(end) 2, web>shop 2, shop>web 1; step 2 shop>(end),
     * web>(end); c1#1 goes on past step 2 and is cut there. */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_MAX_STEPS, 2));
    ASSERT_OK(tp_flow(e, NULL, o, &t));
    static const struct {
        int64_t step;
        const char *src, *dst;
        int64_t n;
    } want[] = {{1, "1. web", "(end)", 2},
                {1, "1. web", "2. shop", 2},
                {1, "1. shop", "2. web", 1},
                {2, "2. shop", "(end)", 1},
                {2, "2. web", "(end)", 1}};
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 5);
    for (size_t r = 0; r < 5; r++) {
        CU_ASSERT_EQUAL(cell(t, r, 0), want[r].step);
        CU_ASSERT_STRING_EQUAL(str_at(t, r, 1), want[r].src);
        CU_ASSERT_STRING_EQUAL(str_at(t, r, 2), want[r].dst);
        CU_ASSERT_EQUAL(cell(t, r, 3), want[r].n);
    }
    char *dot;
    size_t len;
    ASSERT_OK(tp_edges_to_dot(t, &dot, &len));
    ASSERT_CONTAINS(dot, "digraph journeys {");
    ASSERT_CONTAINS(dot, "\"1. web\" -> \"(end)\" [label=\"2\", penwidth=8];");
    ASSERT_CONTAINS(dot, "\"2. web\" -> \"(end)\" [label=\"1\", penwidth=4.5];");
    CU_ASSERT_EQUAL(len, strlen(dot));
    tp_free(dot);
    tp_table_free(t);
    ASSERT_OK(tp_transitions(e, NULL, NULL, &t));
    ASSERT_OK(tp_edges_to_dot(t, &dot, NULL));
    ASSERT_CONTAINS(dot, "\"(start)\" -> \"web\"");
    tp_free(dot);
    tp_table_free(t);
    ASSERT_OK(tp_journeys(e, NULL, NULL, &t));
    ASSERT_STATUS(tp_edges_to_dot(t, &dot, NULL), TP_EINVAL);
    tp_table_free(t);
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* A journey table without rows says why: the filter selected no event, or
 * the log is empty; conversion times without a conversion, the next
 * touchpoints of one nobody visited. A funnel keeps its rows and says it too. */
static void expect_note(tp_table *t, const char *want)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    const char *note = tp_table_note(t);
    CU_ASSERT_PTR_NOT_NULL(note);
    if (note && strcmp(note, want))
        fprintf(stderr, "\n  note \"%s\", expected \"%s\"\n", note, want);
    CU_ASSERT_TRUE(note && !strcmp(note, want));
    tp_table_free(t);
}

static void test_empty_selection_says_why(void)
{
    tp_catalog *c;
    tp_events *e = load(&c);
    tp_filter *late;
    ASSERT_OK(tp_filter_new(&late));
    ASSERT_OK(tp_filter_set_time_range(late, INT64_C(4000000000000), INT64_MAX));
    const char *none = "no journeys: none of the 9 events passes the filter";
    tp_table *t, *d;
    ASSERT_OK(tp_journeys(e, late, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    expect_note(t, none);
    ASSERT_OK(tp_transitions(e, late, NULL, &t));
    expect_note(t, none);
    ASSERT_OK(tp_variants(e, late, NULL, &t));
    expect_note(t, none);
    ASSERT_OK(tp_flow(e, late, NULL, &t));
    expect_note(t, none);
    ASSERT_OK(tp_conversion_times(e, late, NULL, &t));
    expect_note(t, none);
    ASSERT_OK(tp_next_touchpoints(e, "shop", late, NULL, &t));
    expect_note(t, none);
    tp_funnel *f;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "web, shop"));
    ASSERT_OK(tp_funnel_run(e, f, late, NULL, &t, &d));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2); /* both steps, 0 customers */
    expect_note(t, none);
    tp_table_free(d);
    tp_paths *p;
    ASSERT_OK(tp_paths_from_events(&p, e, late, NULL));
    ASSERT_OK(tp_attribute(p, TP_MODEL_ALL, NULL, &t));
    expect_note(t, "no paths: the path set is empty (from events: no journey passed the filter)");
    ASSERT_OK(tp_attribution_compare(p, NULL, &t));
    expect_note(t, "no paths: the path set is empty (from events: no journey passed the filter)");
    tp_paths_free(p);
    /* with journeys: a table with rows has no note; the reasons of its own */
    ASSERT_OK(tp_journeys(e, NULL, NULL, &t));
    CU_ASSERT_PTR_NULL(tp_table_note(t));
    tp_table_free(t);
    ASSERT_OK(tp_funnel_run(e, f, NULL, NULL, &t, NULL));
    CU_ASSERT_PTR_NULL(tp_table_note(t));
    tp_table_free(t);
    ASSERT_OK(tp_next_touchpoints(e, "checkout", late, NULL, &t));
    expect_note(t, none);
    tp_filter *shop;
    ASSERT_OK(tp_filter_new(&shop));
    ASSERT_OK(tp_filter_add_touchpoint(shop, "shop"));
    ASSERT_OK(tp_next_touchpoints(e, "web", shop, NULL, &t));
    expect_note(t, "no selected journey passes through web");
    ASSERT_OK(tp_conversion_times(e, shop, NULL, &t));
    expect_note(t, "no journey ends in a conversion");
    tp_filter_free(shop);
    tp_events *empty;
    ASSERT_OK(tp_events_new(&empty, c));
    ASSERT_OK(tp_transitions(empty, NULL, NULL, &t));
    expect_note(t, "no journeys: the event log is empty");
    tp_events_free(empty);
    tp_funnel_free(f);
    tp_filter_free(late);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* ---- loyalty: retention, repeat purchases, engagement (by hand) ---- */

/* c1: web Jan 5, web Feb 10, shop purchase Apr 1;
 * c2: web purchase Jan 20, shop Jan 25;
 * c3: web Feb 3, web purchase Mar 3, shop purchase Apr 2;
 * c4: web purchase Jan 2, web Jan 10, shop purchase Jan 30. */
static const char loyal_csv[] = "customer_id,timestamp,touchpoint,type,value\n"
                                "c1,2026-01-05T10:00:00Z,web,interaction,\n"
                                "c1,2026-02-10T10:00:00Z,web,interaction,\n"
                                "c1,2026-04-01T10:00:00Z,shop,conversion,10\n"
                                "c2,2026-01-20T10:00:00Z,web,conversion,5\n"
                                "c2,2026-01-25T10:00:00Z,shop,interaction,\n"
                                "c3,2026-02-03T10:00:00Z,web,interaction,\n"
                                "c3,2026-03-03T10:00:00Z,web,conversion,7\n"
                                "c3,2026-04-02T10:00:00Z,shop,conversion,8\n"
                                "c4,2026-01-02T10:00:00Z,web,conversion,3\n"
                                "c4,2026-01-10T10:00:00Z,web,interaction,\n"
                                "c4,2026-01-30T10:00:00Z,shop,conversion,4\n";

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    CU_ASSERT_EQUAL(tp_time_read(iso, TP_EPOCH_AUTO, &ms), TP_OK);
    return ms;
}

static size_t find_row(const tp_table *t, const char *col, const char *value, const char *col2,
                       const char *value2)
{
    size_t c, c2 = 0;
    tp_table_find_column(t, col, &c);
    if (col2)
        tp_table_find_column(t, col2, &c2);
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *v, *v2 = NULL;
        tp_table_get_string(t, r, c, &v);
        if (col2)
            tp_table_get_string(t, r, c2, &v2);
        if (!strcmp(v, value) && (!col2 || !strcmp(v2, value2)))
            return r;
    }
    CU_FAIL("no such row");
    return 0;
}

static double dnum(const tp_table *t, size_t r, const char *col)
{
    size_t c;
    double d = NAN;
    int64_t i;
    if (tp_table_find_column(t, col, &c) != TP_OK || tp_table_is_null(t, r, c))
        return NAN;
    if (tp_table_column_type(t, c) == TP_TYPE_INT64) {
        tp_table_get_int64(t, r, c, &i);
        return (double)i;
    }
    tp_table_get_double(t, r, c, &d);
    return d;
}

static void test_retention(void)
{
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, loyal_csv, sizeof loyal_csv - 1);
    tp_table *t, *tri;
    ASSERT_OK(tp_retention(e, NULL, NULL, &t, &tri));
    /* by first event, months: Jan {c1, c2, c4}: Jan all, Feb c1, Mar none,
     * Apr c1; Feb {c3}: Feb, Mar, Apr */
    static const double jan[] = {3, 1, 0, 1}, feb[] = {1, 1, 1};
    CU_ASSERT_EQUAL(tp_table_row_count(t), 4 + 3);
    for (size_t a = 0; a < 4; a++) {
        CU_ASSERT_STRING_EQUAL(str_at(t, a, 0), "2026-01-01");
        CU_ASSERT_EQUAL(cell(t, a, 2), 3);
        CU_ASSERT_EQUAL(cell(t, a, 3), (int64_t)a);
        CU_ASSERT_EQUAL(cell(t, a, 4), (int64_t)jan[a]);
        CU_ASSERT_DOUBLE_EQUAL(dbl_at(t, a, 5), jan[a] / 3, 1e-12);
    }
    for (size_t a = 0; a < 3; a++) {
        CU_ASSERT_STRING_EQUAL(str_at(t, 4 + a, 0), "2026-02-01");
        CU_ASSERT_EQUAL(cell(t, 4 + a, 4), (int64_t)feb[a]);
    }
    CU_ASSERT_EQUAL(cell(t, 0, 1), at("2026-01-01"));
    /* the triangle: p0..p3; Feb has no p3 */
    CU_ASSERT_EQUAL(tp_table_row_count(tri), 2);
    CU_ASSERT_DOUBLE_EQUAL(dnum(tri, 0, "p1"), 1.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(tri, 0, "p3"), 1.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(tri, 1, "p2"), 1, 1e-12);
    CU_ASSERT_TRUE(isnan(dnum(tri, 1, "p3")));
    tp_table_free(t);
    tp_table_free(tri);
    /* by first purchase, active = buying: Jan {c2, c4} (c4 bought twice in
     * Jan), Mar {c3}: Mar, Apr; Apr {c1} */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "cohort", "first_conversion"));
    ASSERT_OK(tp_retention(e, NULL, o, &t, NULL));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 4 + 2 + 1);
    CU_ASSERT_EQUAL(cell(t, 0, 2), 2);
    CU_ASSERT_EQUAL(cell(t, 0, 4), 2);
    CU_ASSERT_EQUAL(cell(t, 1, 4), 0);
    CU_ASSERT_STRING_EQUAL(str_at(t, 4, 0), "2026-03-01");
    CU_ASSERT_EQUAL(cell(t, 5, 4), 1); /* c3 bought again in April */
    CU_ASSERT_STRING_EQUAL(str_at(t, 6, 0), "2026-04-01");
    tp_table_free(t);
    /* weeks: cohorts start on Mondays */
    ASSERT_OK(tp_options_set(o, "period", "week"));
    ASSERT_OK(tp_options_set(o, "cohort", "first_event"));
    ASSERT_OK(tp_retention(e, NULL, o, &t, NULL));
    CU_ASSERT_STRING_EQUAL(str_at(t, 0, 0), "2025-12-29"); /* the week of Jan 2 */
    tp_table_free(t);
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(c);
}

static void test_repeat_purchases(void)
{
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, loyal_csv, sizeof loyal_csv - 1);
    tp_table *t;
    ASSERT_OK(tp_repeat_purchases(e, NULL, NULL, &t));
    /* buyers c1..c4; repeaters c3 (30 days) and c4 (28 days) */
    size_t all = find_row(t, "touchpoint", "(all)", NULL, NULL);
    CU_ASSERT_EQUAL(all, 0);
    CU_ASSERT_EQUAL(dnum(t, all, "buyers"), 4);
    CU_ASSERT_EQUAL(dnum(t, all, "repeaters"), 2);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, all, "repeat_rate"), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, all, "median_ms"), 29.0 * 86400000, 1e-3);
    /* between a first purchase and the next: c4 touched web (and bought
     * again), c2 touched shop (and did not); c1 and c3 touched nothing */
    size_t web = find_row(t, "touchpoint", "web", NULL, NULL);
    size_t shop = find_row(t, "touchpoint", "shop", NULL, NULL);
    CU_ASSERT_EQUAL(dnum(t, web, "buyers"), 1);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "repeat_rate"), 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "rest_repeat_rate"), 1.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "lift"), 2.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "median_ms"), 28.0 * 86400000, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, shop, "repeat_rate"), 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, shop, "lift"), -2.0 / 3, 1e-12);
    CU_ASSERT_TRUE(isnan(dnum(t, shop, "median_ms")));
    /* pooled two-proportion z: p = 2/4, SE = sqrt(p (1 - p) (1 + 1/3)) */
    double z = (2.0 / 3) / sqrt(0.25 * (1 + 1.0 / 3));
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "p_value"), erfc(z / sqrt(2)), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, shop, "p_value"), erfc(z / sqrt(2)), 1e-12);
    tp_table_free(t);
    /* nobody bought: the table says so */
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_set(f, "customer", "c1"));
    ASSERT_OK(tp_filter_set(f, "until", "2026-03-01"));
    ASSERT_OK(tp_repeat_purchases(e, f, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no customer has a conversion");
    tp_table_free(t);
    tp_filter_free(f);
    tp_events_free(e);
    tp_catalog_free(c);
}

static void test_engagement(void)
{
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, loyal_csv, sizeof loyal_csv - 1);
    tp_table *t, *per;
    ASSERT_OK(tp_engagement(e, NULL, NULL, &t, &per));
    size_t web = find_row(t, "touchpoint", "web", NULL, NULL);
    size_t shop = find_row(t, "touchpoint", "shop", NULL, NULL);
    CU_ASSERT_EQUAL(dnum(t, web, "customers"), 4);
    CU_ASSERT_EQUAL(dnum(t, web, "touches"), 7);
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "touches_per_customer"), 1.75, 1e-12);
    CU_ASSERT_EQUAL(dnum(t, web, "active_last_period"), 0); /* April: shop only */
    CU_ASSERT_EQUAL(dnum(t, shop, "active_last_period"), 2);
    /* recency from the last event (Apr 2): web last touched Feb 10, Jan 20,
     * Mar 3, Jan 10: median of 51 and 72 days */
    int64_t end = at("2026-04-02T10:00:00Z");
    double a = (double)(end - at("2026-02-10T10:00:00Z")), b = (double)(end - at("2026-01-20T10:00:00Z"));
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, web, "recency_ms"), (a + b) / 2, 1e-3);
    double s1 = (double)(end - at("2026-04-01T10:00:00Z")), s2 = (double)(end - at("2026-01-30T10:00:00Z"));
    CU_ASSERT_DOUBLE_EQUAL(dnum(t, shop, "recency_ms"), (s1 + s2) / 2, 1e-3);
    /* per period: January web c1, c2, c4 with 4 touches; April shop c1, c3 */
    size_t jw = find_row(per, "period", "2026-01-01", "touchpoint", "web");
    CU_ASSERT_EQUAL(dnum(per, jw, "customers"), 3);
    CU_ASSERT_EQUAL(dnum(per, jw, "touches"), 4);
    size_t as = find_row(per, "period", "2026-04-01", "touchpoint", "shop");
    CU_ASSERT_EQUAL(dnum(per, as, "customers"), 2);
    CU_ASSERT_EQUAL(tp_table_row_count(per), 5); /* Jan web, shop; Feb web; Mar web; Apr shop */
    tp_table_free(t);
    tp_table_free(per);
    tp_events_free(e);
    tp_catalog_free(c);
}

static const tp_test tests[] = {TP_TEST(test_journeys), TP_TEST(test_journeys_random),
                                TP_TEST(test_empty_selection_says_why),
                                TP_TEST(test_retention), TP_TEST(test_repeat_purchases),
                                TP_TEST(test_engagement),
                                TP_TEST(test_transitions),
                                TP_TEST(test_variants), TP_TEST(test_conversion_times),
                                TP_TEST(test_next_and_flow), TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"analysis/journeys", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
