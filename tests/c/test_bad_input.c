/* Classes of bad input not covered by the per-reader suites; together they back
 * the catalogue in docs/bad-input.md. Each test names its class. */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "testutil.h"

static tp_read_options strict(void)
{
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.on_error = TP_ON_ERROR_STOP;
    return o;
}

/* Read CSV events from memory into a new log; returns the status, frees all. */
static tp_status read_events(const char *csv, tp_read_log *report, size_t *rows)
{
    tp_events *e = NULL;
    tp_status st = tp_events_new(&e, NULL);
    if (st == TP_OK)
        st = tp_events_read_csv_buffer(e, csv, strlen(csv), "in.csv", NULL, report);
    if (rows)
        *rows = tp_events_count(e);
    tp_events_free(e);
    return st;
}

static void test_nan_and_infinity(void)
{
    tp_read_log *r;
    ASSERT_OK(tp_read_log_new(&r));
    size_t rows;
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint,value\n"
                          "c1,2026-01-01,web,inf\nc2,2026-01-01,web,-Infinity\n"
                          "c3,2026-01-01,web,nan\nc4,2026-01-01,web,1e309\n"
                          "c5,2026-01-01,web,1e15\n",
                          r, &rows));
    CU_ASSERT_EQUAL(rows, 1); /* only the finite 1e15 */
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 4);
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(tp_read_log_issue_column(r, i), 4);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, i), "value");
    }
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 3), "not a finite number");
    tp_read_log_free(r);

    /* Feedback scores and JSON numbers too. */
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    static const char fb[] = "customer_id,timestamp,touchpoint,metric,score\n"
                             "c1,2026-01-01,store,rating,inf\nc2,2026-01-01,store,csat,NaN\n";
    ASSERT_OK(tp_feedback_read_csv_buffer(f, fb, sizeof fb - 1, "f.csv", NULL, NULL));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 0);
    tp_feedback_free(f);
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    static const char jl[] = "{\"customer_id\":\"a\",\"timestamp\":1,\"touchpoint\":\"w\",\"value\":1e999}\n";
    tp_read_options o = strict();
    ASSERT_STATUS(tp_events_read_jsonl_buffer(e, jl, sizeof jl - 1, "e.jsonl", &o, NULL),
                  TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "value");
    CU_ASSERT_EQUAL(tp_events_count(e), 0);
    tp_events_free(e);
    /* The append API refuses them as well. */
    ASSERT_OK(tp_events_new(&e, NULL));
    CU_ASSERT_EQUAL(tp_events_append(e, "a", "w", 0, TP_EVENT_CONVERSION, INFINITY), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_append(e, "a", "w", 0, TP_EVENT_CONVERSION, NAN), TP_EINVAL);
    tp_events_free(e);
}

static void test_timestamps_out_of_range(void)
{
    tp_read_log *r;
    ASSERT_OK(tp_read_log_new(&r));
    size_t rows;
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint\n"
                          "c1,99999999999999999999,web\n"       /* beyond int64 ms */
                          "c2,-62135596800001,web\n"            /* 1 ms before year 1 */
                          "c3,10000-01-01,web\n"                /* five-digit year */
                          "c4,2026-02-29,web\n"                 /* not a leap year */
                          "c5,2026-01-01T24:00:01Z,web\n"       /* hour 24 */
                          "c6,2026-01-01T10:00:00+19:00,web\n"  /* offset beyond 18 h */
                          "c7,0001-01-01T00:00:00Z,web\n"       /* the first instant: fine */
                          "c8,9999-12-31T23:59:59.999Z,web\n",  /* the last one: fine */
                          r, &rows));
    CU_ASSERT_EQUAL(rows, 2);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 6);
    for (size_t i = 0; i < tp_read_log_issue_count(r); i++) {
        CU_ASSERT_EQUAL(tp_read_log_issue_line(r, i), i + 2);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, i), "timestamp");
    }
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "out of range");
    tp_read_log_free(r);
}

static void test_missing_header(void)
{
    ASSERT_STATUS(read_events("c1,2026-01-01,web\nc2,2026-01-02,store\n", NULL, NULL), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_last_error_line(), 1);
    ASSERT_CONTAINS(tp_last_error(), "missing required column \"customer_id\"");
}

static void test_too_many_columns(void)
{
    /* 5,000 columns: refused at once (the header check stays linear). */
    size_t cap = 5000 * 8 + 100, n = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    n += (size_t)sprintf(csv, "customer_id,timestamp,touchpoint");
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(csv + n, ",a%d", i);
    sprintf(csv + n, "\nc1,2026-01-01,web\n");
    ASSERT_STATUS(read_events(csv, NULL, NULL), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "more than the 4096 allowed");
    free(csv);
}

static void test_json_limits(void)
{
    /* An object with 5,000 keys. */
    size_t cap = 5000 * 16 + 100, n = 0;
    char *doc = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    n += (size_t)sprintf(doc, "{\"touchpoints\":[{\"id\":\"a\"");
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(doc + n, ",\"k%d\":1", i);
    n += (size_t)sprintf(doc + n, "}]}");
    tp_catalog *c = NULL;
    ASSERT_STATUS(tp_catalog_parse_json(&c, doc, n, "wide.json"), TP_ELIMIT);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "$.touchpoints[0]");
    CU_ASSERT_PTR_NULL(c);
    free(doc);
    /* A document over 256 MiB is refused before it is read (the length alone
     * decides; the bytes past the first are never touched). */
    static const char tiny[] = "{}";
    ASSERT_STATUS(tp_catalog_parse_json(&c, tiny, (size_t)257 << 20, "huge.json"), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "256 MiB");
    /* A JSON line longer than max_field_bytes. */
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    char line[300];
    int k = snprintf(line, sizeof line,
                     "{\"customer_id\":\"%0200d\",\"timestamp\":1,\"touchpoint\":\"w\"}\n", 7);
    tp_read_options o = strict();
    o.max_field_bytes = 128;
    ASSERT_STATUS(tp_events_read_jsonl_buffer(e, line, (size_t)k, "long.jsonl", &o, NULL),
                  TP_ELIMIT);
    CU_ASSERT_EQUAL(tp_last_error_line(), 1);
    /* A JSON line with 300 keys (events carry at most 256). */
    size_t cap2 = 300 * 16 + 100, m = 0;
    char *wide = malloc(cap2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wide);
    m += (size_t)sprintf(wide, "{\"customer_id\":\"a\",\"timestamp\":1,\"touchpoint\":\"w\"");
    for (int i = 0; i < 300; i++)
        m += (size_t)sprintf(wide + m, ",\"k%d\":1", i);
    m += (size_t)sprintf(wide + m, "}\n");
    o.max_field_bytes = 0;
    ASSERT_STATUS(tp_events_read_jsonl_buffer(e, wide, m, "wide.jsonl", &o, NULL), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "more than 256 keys");
    CU_ASSERT_EQUAL(tp_events_count(e), 0);
    free(wide);
    tp_events_free(e);
}

static void test_duplicate_events_are_kept(void)
{
    /* Two identical rows are two events: the library does not guess which
     * repeats are mistakes (a customer can visit the same page twice in the
     * same second); journey analyses collapse repeats where that is the rule. */
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    static const char csv[] = "customer_id,timestamp,touchpoint\n"
                              "c1,2026-01-01T10:00:00Z,web\nc1,2026-01-01T10:00:00Z,web\n";
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "dup.csv", &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(e), 2);
    CU_ASSERT_EQUAL(tp_events_customer_count(e), 1);
    tp_events_free(e);
}

static void test_truncated_input(void)
{
    tp_read_log *r;
    ASSERT_OK(tp_read_log_new(&r));
    size_t rows;
    /* The last line cut short (no newline, a field missing). */
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint\nc1,2026-01-01,web\nc2,2026-01-0",
                          r, &rows));
    CU_ASSERT_EQUAL(rows, 1);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 3);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "expected 3 fields, found 2");
    tp_read_log_clear(r);
    /* A file that ends without a newline keeps its last row. */
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint\nc1,2026-01-01,web", r, &rows));
    CU_ASSERT_EQUAL(rows, 1);
    tp_read_log_clear(r);
    /* Cut inside a UTF-8 sequence. */
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint\nc1,2026-01-01,caf\xc3", r, &rows));
    CU_ASSERT_EQUAL(rows, 0);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "invalid UTF-8");
    tp_read_log_free(r);
}

static void test_unreadable_paths(void)
{
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    ASSERT_STATUS(tp_events_read_csv(e, TP_TEST_DATA, NULL, NULL), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), TP_TEST_DATA);
    ASSERT_CONTAINS(tp_last_error(), "directory");
    ASSERT_STATUS(tp_events_read_jsonl(e, "/nonexistent/dir/e.jsonl", NULL, NULL), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), "/nonexistent/dir/e.jsonl");
    tp_events_free(e);
}

/* Every amount a reader or an append accepts is one every analysis can add
 * (TP_MAX_AMOUNT); beyond it a row is bad, naming its line and field. */
static void test_amount_range(void)
{
    /* Events CSV and JSON Lines: 1e38 was accepted, then dropped from path values. */
    tp_read_log *r;
    size_t rows;
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(read_events("customer_id,timestamp,touchpoint,type,value\n"
                          "c1,2026-01-01,web,conversion,1e38\nc2,2026-01-01,web,conversion,"
                          "-2e15\nc3,2026-01-01,web,conversion,1e15\n",
                          r, &rows));
    CU_ASSERT_EQUAL(rows, 1);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 2);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 2);
    CU_ASSERT_EQUAL(tp_read_log_issue_status(r, 0), TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 0), "value");
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "beyond the accepted range");
    tp_read_log_free(r);
    tp_catalog *c;
    tp_events *e;
    ASSERT_OK(tp_catalog_new_default(&c));
    ASSERT_OK(tp_events_new(&e, c));
    static const char jl[] = "{\"customer_id\":\"a\",\"timestamp\":1,\"touchpoint\":\"web\","
                             "\"type\":\"conversion\",\"value\":1e38}\n";
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_events_read_jsonl_buffer(e, jl, sizeof jl - 1, "e.jsonl", NULL, r));
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 1);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 0), "value");
    tp_read_log_free(r);
    ASSERT_STATUS(tp_events_append(e, "a", "web", 1, TP_EVENT_CONVERSION, 1e38), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "1e15");
    /* At the limit, the analyses add exactly: 1,000 conversions of 1e15 each. */
    for (int i = 0; i < 1000; i++) {
        char id[16];
        snprintf(id, sizeof id, "c%d", i);
        ASSERT_OK(tp_events_append(e, id, "website", 1000 + i, TP_EVENT_INTERACTION, 0));
        ASSERT_OK(tp_events_append(e, id, "store", 2000 + i, TP_EVENT_CONVERSION, 1e15));
    }
    tp_paths *paths;
    tp_table *t;
    ASSERT_OK(tp_paths_from_events(&paths, e, NULL, NULL));
    CU_ASSERT_DOUBLE_EQUAL(tp_paths_value(paths), 1e18, 0);
    ASSERT_OK(tp_attribute(paths, TP_MODEL_ALL, NULL, &t));
    double sum = 0;
    size_t vcol, mcol;
    ASSERT_OK(tp_table_find_column(t, "value", &vcol));
    ASSERT_OK(tp_table_find_column(t, "model", &mcol));
    for (size_t i = 0; i < tp_table_row_count(t); i++) {
        const char *m;
        double v;
        tp_table_get_string(t, i, mcol, &m);
        tp_table_get_double(t, i, vcol, &v);
        if (!strcmp(m, "first"))
            sum += v;
    }
    CU_ASSERT_DOUBLE_EQUAL(sum, 1e18, 0); /* nothing dropped */
    tp_table_free(t);
    tp_paths_free(paths);
    tp_events_free(e);
    /* Path aggregates: CSV rows and tp_paths_add. */
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    static const char csv[] = "path,conversions,value\na > b,1.7e308,0\nc,1e15,1e15\nd,1,2e15\n";
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_paths_read_csv_buffer(p, csv, sizeof csv - 1, "p.csv", NULL, NULL, r));
    CU_ASSERT_EQUAL(tp_paths_count(p), 1);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 2);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 0), "conversions");
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 1), 4);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 1), "value");
    const char *path[] = {"x"};
    ASSERT_STATUS(tp_paths_add(p, path, 1, 1.7e308, 0, 0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_paths_count(p), 1);
    tp_read_log_free(r);
    tp_paths_free(p);
    /* Audit weights: 9e307 dropped the visit without a word. */
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    static const char fcsv[] = "customer_id,timestamp,touchpoint,metric,score,weight\n"
                               "a,2026-01-01,store,audit:clean,pass,9e307\n"
                               "a,2026-01-01,store,audit:staffed,pass,2\n";
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_feedback_read_csv_buffer(f, fcsv, sizeof fcsv - 1, "f.csv", NULL, r));
    CU_ASSERT_EQUAL(tp_feedback_count(f), 1);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 2);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 0), "weight");
    tp_read_log_free(r);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

static void test_messages_are_short_and_escaped(void)
{
    /* A 10 KB timestamp full of terminal escape sequences. */
    size_t big = 10000;
    char *csv = malloc(big + 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    int n = sprintf(csv, "customer_id,timestamp,touchpoint\nc1,");
    for (size_t i = 0; i < big; i++)
        csv[n + (int)i] = i % 2 ? '\x1b' : '[';
    strcpy(csv + n + big, ",web\n");
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    tp_read_options o = strict();
    ASSERT_STATUS(tp_events_read_csv_buffer(e, csv, strlen(csv), "esc.csv", &o, NULL), TP_EPARSE);
    const char *msg = tp_last_error();
    CU_ASSERT_TRUE(strlen(msg) < 400);
    CU_ASSERT_PTR_NULL(strchr(msg, '\x1b'));
    ASSERT_CONTAINS(msg, "\\x1b");
    ASSERT_CONTAINS(msg, "...");
    /* A header name with control and non-ASCII bytes, echoed in a message. */
    static const char hdr[] = "customer_id,timestamp,touchpoint,caf\xc3\xa9\x7f\n"
                              "c1,2026-01-01,web\n";
    ASSERT_STATUS(tp_events_read_csv_buffer(e, hdr, sizeof hdr - 1, "h.csv", &o, NULL), TP_EPARSE);
    msg = tp_last_error();
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
        CU_ASSERT_TRUE(*p >= 0x20 && *p < 0x7f);
    free(csv);
    tp_events_free(e);
}

/* A catalog document whose touchpoint i has parent i - 1 (or i + 1 when
 * reversed), n touchpoints, plus an optional extra link closing a cycle. */
static char *chain_doc(int n, int reversed, size_t *len)
{
    size_t cap = (size_t)n * 48 + 64, k = 0;
    char *doc = malloc(cap);
    if (!doc)
        return NULL;
    k += (size_t)sprintf(doc, "{\"touchpoints\":[");
    for (int i = 0; i < n; i++) {
        int parent = reversed ? (i + 1 < n ? i + 1 : -1) : i - 1;
        k += (size_t)sprintf(doc + k, "%s{\"id\":\"t%d\"", i ? "," : "", i);
        if (parent >= 0)
            k += (size_t)sprintf(doc + k, ",\"parent\":\"t%d\"", parent);
        k += (size_t)sprintf(doc + k, "}");
    }
    k += (size_t)sprintf(doc + k, "]}");
    *len = k;
    return doc;
}

static void test_catalog_structure_limits(void)
{
    tp_catalog *c = NULL;
    size_t len = 0;
    /* 33 touchpoints in a chain: depth 32 is the deepest allowed. */
    char *doc = chain_doc(TP_MAX_DEPTH + 1, 0, &len);
    ASSERT_OK(tp_catalog_parse_json(&c, doc, len, "ok.json"));
    tp_catalog_free(c);
    free(doc);
    doc = chain_doc(TP_MAX_DEPTH + 2, 0, &len);
    ASSERT_STATUS(tp_catalog_parse_json(&c, doc, len, "deep.json"), TP_ELIMIT);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "$.touchpoints[33].parent");
    free(doc);
    /* The same, listed leaf first: still found, in one pass. */
    doc = chain_doc(TP_MAX_DEPTH + 2, 1, &len);
    ASSERT_STATUS(tp_catalog_parse_json(&c, doc, len, "deep.json"), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "nests more than 32 levels deep");
    free(doc);
    /* 50,000 in a chain: refused (this took 10 s when each link walked the chain). */
    doc = chain_doc(50000, 1, &len);
    ASSERT_STATUS(tp_catalog_parse_json(&c, doc, len, "long.json"), TP_ELIMIT);
    free(doc);
    /* A cycle that closes on a touchpoint listed before the others. */
    static const char cyc[] = "{\"touchpoints\":[{\"id\":\"a\",\"parent\":\"c\"},"
                              "{\"id\":\"b\",\"parent\":\"a\"},{\"id\":\"c\",\"parent\":\"b\"}]}";
    ASSERT_STATUS(tp_catalog_parse_json(&c, cyc, sizeof cyc - 1, "cyc.json"), TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "$.touchpoints[2].parent");
    ASSERT_CONTAINS(tp_last_error(), "makes a cycle");

    /* Through the API: two chains of 20, joined, would nest 40 deep. */
    ASSERT_OK(tp_catalog_new(&c));
    char id[16], parent[16];
    for (int k = 0; k < 40; k++) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        snprintf(id, sizeof id, "n%d", k);
        snprintf(parent, sizeof parent, "n%d", k - 1);
        d.id = id;
        d.parent = k % 20 ? parent : NULL;
        ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    }
    ASSERT_STATUS(tp_catalog_set_parent(c, "n20", "n19"), TP_ELIMIT);
    ASSERT_OK(tp_catalog_set_parent(c, "n20", "n10")); /* 11 + 20 levels: fits */
    ASSERT_STATUS(tp_catalog_set_parent(c, "n20", "n39"), TP_EVALIDATE); /* a cycle */
    /* Stages. */
    char name[16];
    ASSERT_OK(tp_catalog_set_stages(c, NULL, 0));
    for (int k = 0; k < TP_MAX_STAGES; k++) {
        snprintf(name, sizeof name, "s%d", k);
        ASSERT_OK(tp_catalog_add_stage(c, name));
    }
    ASSERT_STATUS(tp_catalog_add_stage(c, "one-more"), TP_ELIMIT);
    CU_ASSERT_EQUAL(tp_catalog_stage_count(c), TP_MAX_STAGES);
    tp_catalog_free(c);
    /* Journey maps: transitions beyond the limit are refused. */
    tp_journey_map *m;
    ASSERT_OK(tp_journey_map_new(&m, "m"));
    for (int k = 0; k < TP_MAX_MAP_ENTRIES; k++) {
        snprintf(id, sizeof id, "a%d", k);
        ASSERT_OK(tp_journey_map_allow(m, "(start)", id));
    }
    ASSERT_STATUS(tp_journey_map_allow(m, "(start)", "extra"), TP_ELIMIT);
    ASSERT_OK(tp_journey_map_allow(m, "(start)", "a7")); /* a repeat is still fine */
    CU_ASSERT_EQUAL(tp_journey_map_transition_count(m), TP_MAX_MAP_ENTRIES);
    tp_journey_map_free(m);
}

/* Spreadsheet formulas: exported CSV guards them with an apostrophe, and the
 * readers drop exactly that apostrophe, so an export reads back unchanged. */
static void test_formula_guard_round_trip(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint,note\n"
                              "c1,2026-01-01,web,=1+1\n"
                              "c2,2026-01-01,web,'=2\n"
                              "c3,2026-01-01,web,''x\n"
                              "c4,2026-01-01,web,'plain\n"
                              "c5,2026-01-01,web,\"@a,b\"\n"
                              "c6,2026-01-01,web,'''y\n";
    const char *want[] = {"=1+1", "=2", "'x", "'plain", "@a,b", "''y"};
    tp_events *e, *again;
    ASSERT_OK(tp_events_new(&e, NULL));
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "f.csv", &o, NULL));
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, i), want[i]);
    char *text = tp_test_events_csv(e); /* the export, its header as the readers take it */
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    ASSERT_CONTAINS(text, ",'=1+1\n");
    ASSERT_CONTAINS(text, ",'=2\n");
    ASSERT_CONTAINS(text, ",'x\n");        /* not before a formula character: kept */
    ASSERT_CONTAINS(text, ",'''y\n");      /* before an apostrophe: guarded */
    ASSERT_CONTAINS(text, ",'plain\n");
    ASSERT_CONTAINS(text, ",\"'@a,b\"\n");
    /* The export reads back as events. */
    ASSERT_OK(tp_events_new(&again, NULL));
    ASSERT_OK(tp_events_read_csv_buffer(again, text, strlen(text), "again.csv", &o, NULL));
    for (size_t i = 0; i < 6; i++)
        CU_ASSERT_STRING_EQUAL(tp_events_attribute(again, 0, i), want[i]);
    free(text);
    tp_events_free(again);
    tp_events_free(e);
}

/* A catalog id that itself starts with an apostrophe before a formula
 * character: a file that holds it literally (not doubled) names that
 * touchpoint, not a second one without the apostrophe; a doubled guard, an
 * export and a guarded id the catalog lacks still read as before. */
static void test_formula_guard_catalog_ids(void)
{
    static const char cat_json[] =
        "{\"stages\":[\"awareness\"],\"touchpoints\":["
        "{\"id\":\"'=sum\",\"stage\":\"awareness\"},{\"id\":\"=x\",\"stage\":\"awareness\"}]}";
    static const char csv[] = "customer_id,timestamp,touchpoint\n"
                              "c1,2026-01-01,'=sum\n"   /* literal: the catalog's '=sum */
                              "c2,2026-01-01,''=sum\n"  /* doubled guard: '=sum */
                              "c3,2026-01-01,'=x\n"     /* guarded =x */
                              "c4,2026-01-01,=x\n"
                              "c5,2026-01-01,'+new\n";  /* unknown: registered as +new */
    const char *want[] = {"'=sum", "'=sum", "=x", "=x", "+new"};
    tp_catalog *cat;
    ASSERT_OK(tp_catalog_parse_json(&cat, cat_json, sizeof cat_json - 1, "cat.json"));
    tp_events *e, *again;
    ASSERT_OK(tp_events_new(&e, cat));
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "f.csv", &o, NULL));
    CU_ASSERT_EQUAL_FATAL(tp_events_count(e), 5);
    for (size_t i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(e, i), want[i]);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(cat), 3);
    /* Exported and read back into the same catalog: the same ids, no new ones. */
    char *fixed = tp_test_events_csv(e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
    ASSERT_CONTAINS(fixed, ",''=sum,");
    ASSERT_OK(tp_events_new(&again, cat));
    ASSERT_OK(tp_events_read_csv_buffer(again, fixed, strlen(fixed), "again.csv", &o, NULL));
    CU_ASSERT_EQUAL_FATAL(tp_events_count(again), 5);
    for (size_t i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(again, i), want[i]);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(cat), 3);
    free(fixed);
    tp_events_free(again);
    tp_events_free(e);
    tp_catalog_free(cat);
}

/* The largest single request the library makes while a test runs. */
static size_t biggest_request;

static void *track_malloc(size_t n, void *user)
{
    (void)user;
    if (n > biggest_request)
        biggest_request = n;
    return malloc(n);
}

static void *track_realloc(void *p, size_t n, void *user)
{
    (void)user;
    if (n > biggest_request)
        biggest_request = n;
    return realloc(p, n);
}

static void track_free(void *p, void *user)
{
    (void)user;
    free(p);
}

/* A data row with a million fields: refused as a bad row naming the count,
 * without a field table the size of the row (it took 32 bytes a field: 30
 * million commas took 970 MB). The header's limit of 4,096 columns also holds
 * for data rows, and a row just over the header's count is reported as before. */
static void test_wide_data_row(void)
{
    const size_t commas = 1000000;
    const char head[] = "customer_id,timestamp,touchpoint\nc1,2026-01-01,web\nc2,2026-01-01,";
    const char tail[] = "\nc3,2026-01-01,web,extra\nc4,2026-01-01,web\n";
    size_t n = sizeof head - 1 + commas + sizeof tail - 1;
    char *csv = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    memcpy(csv, head, sizeof head - 1);
    memset(csv + sizeof head - 1, ',', commas);
    memcpy(csv + sizeof head - 1 + commas, tail, sizeof tail);
    tp_read_log *r;
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_set_allocator(track_malloc, track_realloc, track_free, NULL));
    biggest_request = 0;
    tp_events *e;
    tp_status st = tp_events_new(&e, NULL);
    if (st == TP_OK)
        st = tp_events_read_csv_buffer(e, csv, n, "wide.csv", NULL, r);
    size_t rows = tp_events_count(e);
    tp_events_free(e);
    ASSERT_OK(tp_set_allocator(NULL, NULL, NULL, NULL));
    ASSERT_OK(st);
    CU_ASSERT_EQUAL(rows, 2);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(r), 2);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "expected 3 fields, found 1000003");
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 3);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 1), "expected 3 fields, found 4");
    CU_ASSERT(biggest_request < ((size_t)1 << 20)); /* the row's fields: 32 MB before */
    tp_read_log_free(r);
    free(csv);
}

typedef struct pipe_writer {
    int fd;
    size_t bytes; /* to write; 0 for an endless stream */
    size_t written;
} pipe_writer;

static void *write_pipe(void *arg)
{
    /* A header, then rows (the last one may be cut: a bad row). */
    pipe_writer *w = arg;
    static const char head[] = "customer_id,timestamp,touchpoint\n", row[] = "c,2026-01-01,w\n";
    char block[65536];
    size_t fill = sizeof head - 1;
    memcpy(block, head, fill);
    while (fill + sizeof row - 1 <= sizeof block) {
        memcpy(block + fill, row, sizeof row - 1);
        fill += sizeof row - 1;
    }
    size_t start = 0; /* the header goes once */
    while (!w->bytes || w->written < w->bytes) {
        size_t want = fill - start;
        if (w->bytes && w->bytes - w->written < want)
            want = w->bytes - w->written;
        ssize_t k = write(w->fd, block + start, want);
        if (k <= 0)
            break; /* the reader closed its end (EPIPE) */
        w->written += (size_t)k;
        start = (start + (size_t)k - (sizeof head - 1)) % (sizeof row - 1) + sizeof head - 1;
    }
    close(w->fd);
    return NULL;
}

/* Read "/dev/fd/N" of a pipe fed by a thread with `bytes` bytes (0: endless). */
static tp_status read_pipe(size_t bytes, uint64_t max, size_t *biggest, size_t *written)
{
    int fds[2];
    CU_ASSERT_FATAL(pipe(fds) == 0);
    pipe_writer w = {fds[1], bytes, 0};
    pthread_t t;
    CU_ASSERT_FATAL(pthread_create(&t, NULL, write_pipe, &w) == 0);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.max_input_bytes = max;
    ASSERT_OK(tp_set_allocator(track_malloc, track_realloc, track_free, NULL));
    biggest_request = 0;
    tp_events *e;
    tp_status st = tp_events_new(&e, NULL);
    if (st == TP_OK)
        st = tp_events_read_csv(e, path, &o, NULL);
    tp_events_free(e);
    *biggest = biggest_request;
    ASSERT_OK(tp_set_allocator(NULL, NULL, NULL, NULL));
    close(fds[0]);
    pthread_join(t, NULL);
    *written = w.written;
    return st;
}

/* Pipes and devices are capped while they are read, not after: an endless
 * stream (`--events /dev/zero` grew until the memory limit) stops just past
 * max_input_bytes; a file or buffer over it is refused before it is read. */
static void test_input_limits(void)
{
    struct sigaction ign = {0}, old;
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    size_t biggest, written;
    const uint64_t mib = 1 << 20;
    ASSERT_STATUS(read_pipe(0, mib, &biggest, &written), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "larger than the limit of 1 MiB (max_input_bytes)");
    CU_ASSERT(biggest < 3 * mib); /* the buffer grows to just past the limit, no further */
    CU_ASSERT(written < 8 * mib); /* the read stopped; the writer saw the pipe close */
    /* Under the limit a stream is read whole. */
    ASSERT_STATUS(read_pipe(mib / 2, mib, &biggest, &written), TP_OK);
    CU_ASSERT_EQUAL(written, mib / 2);
    /* Exactly the limit is allowed; one byte more is not. */
    ASSERT_STATUS(read_pipe(mib, mib, &biggest, &written), TP_OK);
    ASSERT_STATUS(read_pipe(mib + 1, mib, &biggest, &written), TP_ELIMIT);
    sigaction(SIGPIPE, &old, NULL);

    /* A buffer over the limit: refused, nothing added. */
    static const char csv[] = "customer_id,timestamp,touchpoint\nc1,2026-01-01,web\n";
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(o.max_input_bytes, TP_DEFAULT_MAX_INPUT_BYTES);
    o.max_input_bytes = 20;
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    ASSERT_STATUS(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "b.csv", &o, NULL),
                  TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "b.csv: input larger than the limit of 20 bytes");
    CU_ASSERT_EQUAL(tp_events_count(e), 0);
    o.max_input_bytes = sizeof csv - 1;
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "b.csv", &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(e), 1);
    /* A regular file over it: refused with the log naming the file. */
    char path[] = "/tmp/tp-limit-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, csv, sizeof csv - 1) == (ssize_t)(sizeof csv - 1));
    close(fd);
    tp_read_log *r;
    ASSERT_OK(tp_read_log_new(&r));
    o.max_input_bytes = 20;
    ASSERT_STATUS(tp_events_read_csv(e, path, &o, r), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "input larger than the limit of 20 bytes");
    CU_ASSERT_EQUAL(tp_read_log_issue_status(r, 0), TP_ELIMIT);
    CU_ASSERT_EQUAL(tp_events_count(e), 1);
    /* Feedback and path files take the same limit. */
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, NULL));
    ASSERT_STATUS(tp_feedback_read_csv(f, path, &o, NULL), TP_ELIMIT);
    tp_feedback_free(f);
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    ASSERT_STATUS(tp_paths_read_csv(p, path, NULL, &o, NULL), TP_ELIMIT);
    tp_paths_free(p);
    unlink(path);
    tp_read_log_free(r);
    tp_events_free(e);
}

int main(void)
{
    const tp_test tests[] = {
        TP_TEST(test_nan_and_infinity), TP_TEST(test_timestamps_out_of_range),
        TP_TEST(test_missing_header), TP_TEST(test_too_many_columns), TP_TEST(test_json_limits),
        TP_TEST(test_duplicate_events_are_kept), TP_TEST(test_truncated_input),
        TP_TEST(test_unreadable_paths), TP_TEST(test_amount_range),
        TP_TEST(test_messages_are_short_and_escaped), TP_TEST(test_catalog_structure_limits),
        TP_TEST(test_formula_guard_round_trip),
        TP_TEST(test_formula_guard_catalog_ids), TP_TEST(test_wide_data_row),
        TP_TEST(test_input_limits), TP_TESTS_END};
    const tp_suite suites[] = {{"io/bad_input", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
