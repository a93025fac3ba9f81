/* lib/model/feedback.c and lib/io/feedback_csv.c. */
#include <math.h>
#include <stddef.h>

#include "testutil.h"

static void test_metric_check(void)
{
    tp_metric k;
    double v;
    ASSERT_OK(tp_metric_check("NPS", "10", &k, &v));
    CU_ASSERT_EQUAL(k, TP_METRIC_NPS);
    CU_ASSERT_DOUBLE_EQUAL(v, 10, 0);
    CU_ASSERT_EQUAL(tp_metric_check("nps", "11", &k, &v), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_metric_check("nps", "7.5", &k, &v), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "integer");
    CU_ASSERT_EQUAL(tp_metric_check("csat", "0", &k, &v), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_metric_check("ces", "8", &k, &v), TP_EVALIDATE);
    ASSERT_OK(tp_metric_check("rating", "4.5", &k, &v));
    CU_ASSERT_EQUAL(tp_metric_check("rating", "0.5", &k, &v), TP_EVALIDATE);
    ASSERT_OK(tp_metric_check("audit:greeting", "PASS", &k, &v));
    CU_ASSERT_EQUAL(k, TP_METRIC_AUDIT);
    CU_ASSERT_DOUBLE_EQUAL(v, 100, 0);
    ASSERT_OK(tp_metric_check("audit:greeting", "n/a", &k, &v));
    CU_ASSERT_TRUE(isnan(v));
    CU_ASSERT_EQUAL(tp_metric_check("audit:greeting", "pass!", &k, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_metric_check("audit:", "50", &k, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_metric_check("mood", "3", &k, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_metric_check("csat", "nan", &k, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_metric_check("csat", "1e999", &k, &v), TP_EVALIDATE);
    /* Names in any case, as strncasecmp in the C locale reads them: a letter
     * matches either case, no other byte stands for one ('\x1a' | 0x20 is ':',
     * '\x03' | 0x20 is '#', neither is a letter). */
    ASSERT_OK(tp_metric_check("CsAt", "5", &k, &v));
    CU_ASSERT_EQUAL(k, TP_METRIC_CSAT);
    ASSERT_OK(tp_metric_check("RATING", "5", &k, &v));
    CU_ASSERT_EQUAL(k, TP_METRIC_RATING);
    ASSERT_OK(tp_metric_check("AUDIT:greeting", "pass", &k, &v));
    CU_ASSERT_EQUAL(k, TP_METRIC_AUDIT);
    CU_ASSERT_EQUAL(tp_metric_check("audit\x1agreeting", "pass", &k, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_metric_check("np", "5", &k, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_metric_check("npss", "5", &k, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_metric_check("n\xd0s", "5", &k, &v), TP_EINVAL); /* 0xd0 | 0x20 = 0xf0 */
    CU_ASSERT_EQUAL(tp_metric_check("ce\x13", "5", &k, &v), TP_EINVAL); /* 0x13 | 0x20 = '3' */
}

static void test_append_and_read_back(void)
{
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_OK(tp_feedback_append(f, "c1", 10, "store", "nps", 9, 5, "Great staff"));
    ASSERT_OK(tp_feedback_append(f, "v1", 20, "store", "audit:greeting", NAN, 2, NULL));
    CU_ASSERT_EQUAL(tp_feedback_append(f, "c2", 30, "store", "csat", 6, 1, NULL), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_feedback_append(f, "c2", 30, "store", "nps", NAN, 1, NULL), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_feedback_append(f, "c2", 30, "store", "audit:x", 50, -1, NULL), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_feedback_count(f), 2);
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 0), 1, 0); /* not an audit: weight ignored */
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 1), 2, 0);
    CU_ASSERT_TRUE(isnan(tp_feedback_score(f, 1)));
    CU_ASSERT_STRING_EQUAL(tp_feedback_metric(f, 1), "audit:greeting");
    CU_ASSERT_EQUAL(tp_feedback_metric_kind(f, 1), TP_METRIC_AUDIT);
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 0), "Great staff");
    CU_ASSERT_PTR_NULL(tp_feedback_comment(f, 1));
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(tp_feedback_catalog(f)), 1);
    tp_feedback_free(f);
}

static void test_csv_ranges(void)
{
    tp_feedback *f;
    tp_read_log *r;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_feedback_read_csv(f, fixture("feedback_ranges.csv"), NULL, r));
    /* Good rows: nps 9, rating 4.5, audit pass, audit n/a. */
    CU_ASSERT_EQUAL(tp_feedback_count(f), 4);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 8);
    struct { uint64_t line, column; tp_status st; const char *reason; } want[] = {
        {3, 5, TP_EVALIDATE, "NPS score out of range 0-10"},
        {4, 5, TP_EVALIDATE, "NPS score must be an integer"},
        {5, 5, TP_EVALIDATE, "CSAT score out of range 1-5"},
        {6, 5, TP_EVALIDATE, "CES score out of range 1-7"},
        {9, 5, TP_EVALIDATE, "audit score out of range 0-100"},
        {11, 4, TP_EVALIDATE, "unknown metric"},
        {12, 5, TP_EPARSE, "score is not a number"},
        {13, 4, TP_EVALIDATE, "without an item name"},
    };
    CU_ASSERT_EQUAL_FATAL(tp_read_log_issue_count(r), 8);
    for (size_t i = 0; i < 8; i++) {
        CU_ASSERT_EQUAL(tp_read_log_issue_line(r, i), want[i].line);
        CU_ASSERT_EQUAL(tp_read_log_issue_column(r, i), want[i].column);
        CU_ASSERT_EQUAL(tp_read_log_issue_status(r, i), want[i].st);
        ASSERT_CONTAINS(tp_read_log_issue_reason(r, i), want[i].reason);
    }
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 1), "nice");
    /* Strict mode: first bad row, nothing kept. */
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.on_error = TP_ON_ERROR_STOP;
    ASSERT_STATUS(tp_feedback_read_csv(f, fixture("feedback_ranges.csv"), &o, NULL), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_last_error_line(), 3);
    CU_ASSERT_EQUAL(tp_last_error_column(), 5);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "score");
    CU_ASSERT_EQUAL(tp_feedback_count(f), 4);
    tp_read_log_free(r);
    tp_feedback_free(f);
}

static void test_csv_audit_weights(void)
{
    tp_feedback *f;
    tp_read_log *r;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_feedback_read_csv(f, fixture("feedback_audit.csv"), NULL, r));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 2);
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 0), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 1), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_score(f, 1), 0, 0);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 4);
    CU_ASSERT_EQUAL(tp_read_log_issue_column(r, 0), 6);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "weight must be >= 0");
    tp_table *t;
    ASSERT_OK(tp_feedback_to_table(f, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    tp_table_free(t);
    tp_read_log_free(r);
    tp_feedback_free(f);
}

static void test_append_many(void)
{
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    const char *customers[] = {"c1", "c2", "v1"};
    const int64_t times[] = {10, 20, 30};
    const char *tps[] = {"store", "website", "store"};
    const char *metrics[] = {"nps", "csat", "audit:greeting"};
    const double scores[] = {9, 4, 50};
    const double weights[] = {7, 7, 3};
    const char *comments[] = {"Great staff", NULL, NULL};
    ASSERT_OK(tp_feedback_append_many(f, 3, customers, times, tps, metrics, scores, weights,
                                      comments));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 3);
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 0), 1, 0); /* not an audit */
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, 2), 3, 0);
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 0), "Great staff");
    CU_ASSERT_PTR_NULL(tp_feedback_comment(f, 1));
    CU_ASSERT_STRING_EQUAL(tp_feedback_touchpoint(f, 1), "website");
    CU_ASSERT_EQUAL(tp_feedback_time(f, 2), 30);

    /* All or none: the third response is bad, the first two are rolled back. */
    const double bad[] = {10, 5, 6};
    const char *bad_metrics[] = {"nps", "csat", "csat"};
    CU_ASSERT_EQUAL(tp_feedback_append_many(f, 3, customers, times, tps, bad_metrics, bad, NULL,
                                            NULL),
                    TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "response 2: score");
    CU_ASSERT_EQUAL(tp_feedback_count(f), 3);
    CU_ASSERT_EQUAL(tp_feedback_append_many(f, 1, NULL, times, tps, metrics, scores, NULL, NULL),
                    TP_EINVAL);
    ASSERT_OK(tp_feedback_append_many(f, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    tp_feedback_free(f);
}

/* Repeated pointers (a dictionary of names) and distinct copies: the same set,
 * and the same first error, though a repeated metric is parsed only once. */
static void test_append_many_shared_strings(void)
{
    enum { N = 2000 };
    static const char *const names[] = {"c1", "c2", "c3", "store", "website", "nps", "csat",
                                        "audit:clean", "fine", "slow queue"};
    const char *sc[N], *st[N], *sm[N], *sk[N];
    char *cc[N], *ct[N], *cm[N], *ck[N];
    int64_t times[N];
    double scores[N], weights[N];
    for (int i = 0; i < N; i++) {
        sc[i] = names[i % 3];
        st[i] = names[3 + i % 2];
        sm[i] = names[5 + (i / 2) % 3];
        sk[i] = i % 5 == 0 ? NULL : names[8 + i % 2];
        cc[i] = strdup(sc[i]);
        ct[i] = strdup(st[i]);
        cm[i] = strdup(sm[i]);
        ck[i] = sk[i] ? strdup(sk[i]) : NULL;
        times[i] = i;
        scores[i] = sm[i][0] == 'n' ? i % 11 : sm[i][0] == 'c' ? 1 + i % 5 : 100 * (i % 2);
        weights[i] = 1 + i % 3;
    }
    tp_feedback *a, *b;
    ASSERT_OK(tp_feedback_new(&a, NULL));
    ASSERT_OK(tp_feedback_new(&b, NULL));
    ASSERT_OK(tp_feedback_append_many(a, N, sc, times, st, sm, scores, weights, sk));
    ASSERT_OK(tp_feedback_append_many(b, N, (const char *const *)cc, times,
                                      (const char *const *)ct, (const char *const *)cm, scores,
                                      weights, (const char *const *)ck));
    tp_table *ta, *tb;
    char *xa, *xb;
    size_t la, lb;
    ASSERT_OK(tp_feedback_to_table(a, &ta));
    ASSERT_OK(tp_feedback_to_table(b, &tb));
    ASSERT_OK(tp_table_format(ta, TP_FORMAT_CSV, &xa, &la));
    ASSERT_OK(tp_table_format(tb, TP_FORMAT_CSV, &xb, &lb));
    CU_ASSERT_STRING_EQUAL(xa, xb);
    ASSERT_CONTAINS(xa, "audit:clean");
    tp_free(xa);
    tp_free(xb);
    tp_table_free(ta);
    tp_table_free(tb);
    /* A score out of range for a metric met many times before. */
    scores[1501] = 42;
    ASSERT_STATUS(tp_feedback_append_many(a, N, sc, times, st, sm, scores, weights, sk),
                  TP_EVALIDATE);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", tp_last_error());
    ASSERT_CONTAINS(msg, "response 1501: score");
    ASSERT_STATUS(tp_feedback_append_many(b, N, (const char *const *)cc, times,
                                          (const char *const *)ct, (const char *const *)cm,
                                          scores, weights, (const char *const *)ck),
                  TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_last_error(), msg);
    CU_ASSERT_EQUAL(tp_feedback_count(a), (size_t)N);
    for (int i = 0; i < N; i++) {
        free(cc[i]);
        free(ct[i]);
        free(cm[i]);
        free(ck[i]);
    }
    tp_feedback_free(a);
    tp_feedback_free(b);
}

static void test_csv_redact(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint,metric,score,comment\n"
                              "c1,2026-01-01,store,nps,9,\"Call me on +31 6 1234 5678 or mail "
                              "c1@example.com\"\n"
                              "c2,2026-01-01,store,nps,3,Queue on 2026-01-01 was slow\n";
    tp_feedback *f;
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(o.version, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(o.redact, TP_REDACT_NONE);
    o.redact = TP_REDACT_ALL;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_OK(tp_feedback_read_csv_buffer(f, csv, sizeof csv - 1, "r.csv", &o, NULL));
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 0), "Call me on [phone] or mail [email]");
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 1), "Queue on 2026-01-01 was slow");
    /* Only e-mail. */
    o.redact = TP_REDACT_EMAIL;
    ASSERT_OK(tp_feedback_read_csv_buffer(f, csv, sizeof csv - 1, "r.csv", &o, NULL));
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 2), "Call me on +31 6 1234 5678 or mail [email]");
    /* A version 2 caller has no redact field: nothing is redacted, nothing past
     * its struct is read (an exact-size heap copy under ASan). */
    tp_read_options *v2 = malloc(offsetof(tp_read_options, redact));
    CU_ASSERT_PTR_NOT_NULL_FATAL(v2);
    unsigned int two = 2;
    memcpy(v2, &o, offsetof(tp_read_options, redact));
    memcpy(v2, &two, sizeof two); /* version, the first field */
    ASSERT_OK(tp_feedback_read_csv_buffer(f, csv, sizeof csv - 1, "r.csv", v2, NULL));
    CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 4),
                           "Call me on +31 6 1234 5678 or mail c1@example.com");
    free(v2);
    /* Unknown bits are refused before reading. */
    o.redact = 16;
    CU_ASSERT_EQUAL(tp_feedback_read_csv_buffer(f, csv, sizeof csv - 1, "r.csv", &o, NULL),
                    TP_EINVAL);
    CU_ASSERT_EQUAL(tp_feedback_count(f), 6);
    tp_feedback_free(f);
}

static char *feedback_csv(const tp_feedback *f)
{
    tp_table *t = NULL;
    char *out = NULL;
    if (tp_feedback_to_table(f, &t) == TP_OK)
        tp_table_format(t, TP_FORMAT_CSV, &out, NULL);
    tp_table_free(t);
    return out;
}

/* tp_feedback_append_columns(): a frame's responses read as the CSV reader
 * reads rows; the accepted rows equal a CSV read of the same rows, each bad
 * row is logged by position and column with the CSV reader's reason. */
static void test_append_columns(void)
{
    const char *cust[] = {"c1", NULL, "c3", "c4", "c5", "c6", "c7", "c8"};
    const char *tps[] = {"store", "store", "store", "store", "store", "store", "store", "web"};
    const int64_t t0 = 1772323200000LL;
    const int64_t times[] = {t0, t0, t0, t0, t0, t0, t0, t0 + 1000};
    const char *metric[] = {"nps", "nps", NULL, "nsp", "nps", "audit:greeting", "audit:greeting",
                            "csat"};
    const double scores[] = {9, 9, 9, 9, 11, 80, 100, NAN};
    const double weights[] = {NAN, 1, 1, 1, 1, -1, NAN, 1};
    const char *comments[] = {"mail me at a@b.example", NULL, NULL, NULL, NULL, NULL, "", NULL};
    const char *tier[] = {"gold", NULL, NULL, NULL, NULL, NULL, "silver", NULL};
    tp_text_column attrs[] = {{"tier", tier}};
    tp_feedback_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_FEEDBACK_COLUMNS_VERSION;
    c.count = 8;
    c.customer = (tp_text_column){"customer_id", cust};
    c.touchpoint = (tp_text_column){"touchpoint", tps};
    c.times_ms = times;
    c.metric = (tp_text_column){"metric", metric};
    c.scores = scores;
    c.weights = weights;
    c.comment = (tp_text_column){"comment", comments};
    c.nattrs = 1;
    c.attrs = attrs;
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.redact = TP_REDACT_EMAIL;
    tp_feedback *f;
    tp_read_log *log;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_OK(tp_read_log_new(&log));
    ASSERT_OK(tp_feedback_append_columns(f, &c, "frame", &o, log));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 2);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(log), 6);
    static const struct {
        uint64_t line;
        const char *field, *reason;
    } want[] = {{2, "customer_id", "customer id is missing"},
                {3, "metric", "metric is missing"},
                {4, "metric", "\"nsp\""},
                {5, "score", "\"11\""},
                {6, "weight", "weight must be >= 0"},
                {8, "score", "score is missing"}};
    CU_ASSERT_EQUAL_FATAL(tp_read_log_issue_count(log), 6);
    for (size_t i = 0; i < 6; i++) {
        CU_ASSERT_EQUAL(tp_read_log_issue_line(log, i), want[i].line);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(log, i), want[i].field);
        ASSERT_CONTAINS(tp_read_log_issue_reason(log, i), want[i].reason);
    }
    /* the same rows as CSV, read by the CSV reader with the same options */
    const char text[] = "customer_id,timestamp,touchpoint,metric,score,weight,comment,tier\n"
                        "c1,1772323200000,store,nps,9,,mail me at a@b.example,gold\n"
                        "c7,1772323200000,store,audit:greeting,100,,,silver\n";
    tp_feedback *g;
    ASSERT_OK(tp_feedback_new(&g, NULL));
    o.on_error = TP_ON_ERROR_STOP;
    ASSERT_OK(tp_feedback_read_csv_buffer(g, text, sizeof text - 1, "same.csv", &o, NULL));
    char *a = feedback_csv(f), *b = feedback_csv(g);
    CU_ASSERT_TRUE(a && b && !strcmp(a, b));
    CU_ASSERT_PTR_NULL(a ? strstr(a, "a@b.example") : "");
    tp_free(a);
    tp_free(b);
    /* strict: the first bad row fails the call, nothing is appended */
    ASSERT_STATUS(tp_feedback_append_columns(f, &c, "frame", &o, NULL), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "frame:2: customer_id: customer id is missing");
    CU_ASSERT_EQUAL(tp_feedback_count(f), 2);
    /* scores as text, as a file writes them */
    const char *score_text[] = {"pass", "n/a"};
    const char *audit[] = {"audit:greeting", "audit:greeting"};
    tp_feedback_columns t;
    memset(&t, 0, sizeof t);
    t.version = TP_FEEDBACK_COLUMNS_VERSION;
    t.count = 2;
    t.customer = (tp_text_column){"who", cust + 2};
    t.touchpoint = (tp_text_column){"where", tps};
    t.times_ms = times;
    t.metric = (tp_text_column){"metric", audit};
    t.score_text = (tp_text_column){"answer", score_text};
    ASSERT_OK(tp_feedback_append_columns(f, &t, NULL, &o, NULL));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 4);
    CU_ASSERT_EQUAL(tp_feedback_score(f, 2), 100);
    CU_ASSERT_TRUE(isnan(tp_feedback_score(f, 3)));
    /* a NaN score of an audit item is "n/a", as tp_feedback_append_many() takes it */
    const double na[] = {NAN};
    tp_feedback_columns u = t;
    u.count = 1;
    u.scores = na;
    ASSERT_OK(tp_feedback_append_columns(f, &u, NULL, &o, NULL));
    CU_ASSERT_TRUE(isnan(tp_feedback_score(f, 4)));
    /* Found by fuzz/fuzz_columns.c (feedback_columns): cells are held to
     * UTF-8 as a file's fields are, a comment, and a weight a non-audit row
     * ignores; a blank weight is the default. */
    const char *nps[] = {"nps", "nps", "audit:greeting"}, *nine[] = {"9", "9", "pass"};
    const char *bad_weight[] = {"\xff", "", "  "}, *bad_comment[] = {NULL, "ok\xc3", NULL};
    tp_feedback_columns w = t;
    w.count = 3;
    w.times_ms = NULL;
    const char *days[] = {"2026-03-01", "2026-03-01", "2026-03-01"};
    w.time_text = (tp_text_column){"when", days};
    w.customer = (tp_text_column){"who", cust + 2};
    w.touchpoint = (tp_text_column){"where", (const char *[]){"store", "store", "store"}};
    w.metric = (tp_text_column){"metric", nps};
    w.score_text = (tp_text_column){"answer", nine};
    w.weight_text = (tp_text_column){"weight", bad_weight};
    w.comment = (tp_text_column){"comment", bad_comment};
    tp_read_options lenient = TP_READ_OPTIONS_INIT;
    size_t before = tp_feedback_count(f);
    ASSERT_OK(tp_feedback_append_columns(f, &w, NULL, &lenient, NULL));
    CU_ASSERT_EQUAL(tp_feedback_count(f), before + 1); /* the audit row, weight 1 */
    CU_ASSERT_DOUBLE_EQUAL(tp_feedback_weight(f, before), 1, 0);
    t.score_text.values = NULL;
    ASSERT_STATUS(tp_feedback_append_columns(f, &t, NULL, &o, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "metric and score columns are required");
    t.version = 0;
    ASSERT_STATUS(tp_feedback_append_columns(f, &t, NULL, &o, NULL), TP_EINVAL);
    ASSERT_STATUS(tp_feedback_append_columns(NULL, &t, NULL, &o, NULL), TP_EINVAL);
    tp_feedback_free(g);
    tp_feedback_free(f);
    tp_read_log_free(log);
}

static const tp_test tests[] = {TP_TEST(test_metric_check), TP_TEST(test_append_and_read_back),
                                TP_TEST(test_append_many),
                                TP_TEST(test_append_many_shared_strings),
                                TP_TESTS_END};
static const tp_test csv_tests[] = {TP_TEST(test_csv_ranges), TP_TEST(test_csv_audit_weights),
                                    TP_TEST(test_csv_redact), TP_TEST(test_append_columns),
                                    TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"model/feedback", tests}, {"io/feedback_csv", csv_tests},
                               {NULL, NULL}};
    return tp_run_suites(suites);
}
