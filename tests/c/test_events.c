/* lib/model/events.c and lib/io/events_csv.c, events_jsonl.c, csv.c. */
#include <math.h>
#include <stddef.h>

#include "io/csv.h"
#include "model/events_internal.h"
#include "testutil.h"

typedef struct store {
    tp_catalog *c;
    tp_events *e;
    tp_read_log *r;
} store;

static store open_store(void)
{
    store s;
    CU_ASSERT_EQUAL_FATAL(tp_catalog_new_default(&s.c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_events_new(&s.e, s.c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_read_log_new(&s.r), TP_OK);
    return s;
}

static void close_store(store *s)
{
    tp_read_log_free(s->r);
    tp_events_free(s->e);
    tp_catalog_free(s->c);
}

static tp_read_options strict(void)
{
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.on_error = TP_ON_ERROR_STOP;
    return o;
}

static void test_append(void)
{
    store s = open_store();
    ASSERT_OK(tp_events_append(s.e, "c1", "website", 1000, TP_EVENT_INTERACTION, 0));
    ASSERT_OK(tp_events_append(s.e, "c2", "online-checkout", 2000, TP_EVENT_CONVERSION, 49.5));
    ASSERT_OK(tp_events_append(s.e, "c1", "brand-new", 3000, TP_EVENT_EXIT, 0));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), 2);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(s.e, 2), "c1");
    CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(s.e, 1), "online-checkout");
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 1), 49.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 0), 0, 0);
    CU_ASSERT_EQUAL(tp_events_type(s.e, 2), TP_EVENT_EXIT);
    CU_ASSERT_EQUAL(tp_events_time(s.e, 2), 3000);
    size_t idx;
    ASSERT_OK(tp_catalog_find_touchpoint(s.c, "brand-new", &idx));
    CU_ASSERT_EQUAL(tp_events_touchpoint_index(s.e, 2), idx);
    ASSERT_OK(tp_events_set_unknown_policy(s.e, TP_UNKNOWN_REJECT));
    size_t tps = tp_catalog_touchpoint_count(s.c);
    CU_ASSERT_EQUAL(tp_events_append(s.e, "c3", "another", 1, 0, 0), TP_ENOTFOUND);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(s.c), tps);
    CU_ASSERT_EQUAL(tp_events_append(s.e, "c3", "store", 1, 0, NAN), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_append(s.e, "", "store", 1, 0, 0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_append(s.e, "c3", "store", TP_TIME_MAX + 1, 0, 0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_append(s.e, "c3", "store", 1, (tp_event_type)7, 0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), 2);
    close_store(&s);
}

/* Arrays that repeat one pointer per name (a dictionary) and arrays of distinct
 * copies give the same log, numbering and errors. */
static void test_append_many_shared_strings(void)
{
    enum { N = 3000 };
    static const char *const names[] = {"website", "store", "email", "kiosk"};
    char custs[50][8];
    const char *shared_c[N], *shared_t[N];
    char *copy_c[N], *copy_t[N];
    int64_t times[N];
    for (int k = 0; k < 50; k++)
        snprintf(custs[k], sizeof custs[k], "c%d", (k * 37) % 50);
    for (int i = 0; i < N; i++) {
        shared_c[i] = custs[(i * 7) % 50];
        shared_t[i] = names[(i / 3) % 4];
        copy_c[i] = strdup(shared_c[i]);
        copy_t[i] = strdup(shared_t[i]);
        times[i] = 1000 * (int64_t)i;
    }
    store a = open_store(), b = open_store();
    ASSERT_OK(tp_events_append_many(a.e, N, shared_c, shared_t, times, NULL, NULL));
    ASSERT_OK(tp_events_append_many(b.e, N, (const char *const *)copy_c,
                                    (const char *const *)copy_t, times, NULL, NULL));
    tp_table *ta, *tb;
    char *xa, *xb;
    size_t la, lb;
    ASSERT_OK(tp_journeys(a.e, NULL, NULL, &ta));
    ASSERT_OK(tp_journeys(b.e, NULL, NULL, &tb));
    ASSERT_OK(tp_table_format(ta, TP_FORMAT_CSV, &xa, &la));
    ASSERT_OK(tp_table_format(tb, TP_FORMAT_CSV, &xb, &lb));
    CU_ASSERT_EQUAL(la, lb);
    CU_ASSERT_STRING_EQUAL(xa, xb);
    CU_ASSERT_EQUAL(tp_events_customer_count(a.e), 50u);
    CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(a.e, 2999), "kiosk"); /* (2999 / 3) % 4 == 3 */
    tp_free(xa);
    tp_free(xb);
    tp_table_free(ta);
    tp_table_free(tb);
    /* An unknown name first met late, then repeated: the error names its first row. */
    ASSERT_OK(tp_events_set_unknown_policy(a.e, TP_UNKNOWN_REJECT));
    ASSERT_OK(tp_events_set_unknown_policy(b.e, TP_UNKNOWN_REJECT));
    shared_t[2500] = shared_t[2600] = "nowhere";
    free(copy_t[2500]);
    copy_t[2500] = strdup("nowhere");
    free(copy_t[2600]);
    copy_t[2600] = strdup("nowhere");
    ASSERT_STATUS(tp_events_append_many(a.e, N, shared_c, shared_t, times, NULL, NULL),
                  TP_ENOTFOUND);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", tp_last_error());
    ASSERT_CONTAINS(msg, "event 2500: unknown touchpoint 'nowhere'");
    ASSERT_STATUS(tp_events_append_many(b.e, N, (const char *const *)copy_c,
                                        (const char *const *)copy_t, times, NULL, NULL),
                  TP_ENOTFOUND);
    CU_ASSERT_STRING_EQUAL(tp_last_error(), msg);
    CU_ASSERT_EQUAL(tp_events_count(a.e), (size_t)N); /* all or none */
    for (int i = 0; i < N; i++) {
        free(copy_c[i]);
        free(copy_t[i]);
    }
    close_store(&a);
    close_store(&b);
}

static void test_append_many_is_atomic(void)
{
    store s = open_store();
    const char *cust[] = {"a", "b", "c"};
    const char *tps[] = {"website", "new-one", "store"};
    const int64_t times[] = {1, 2, 3};
    const uint8_t types[] = {0, 1, 9};
    const double vals[] = {0, 5, 0};
    size_t ntp = tp_catalog_touchpoint_count(s.c);
    CU_ASSERT_EQUAL(tp_events_append_many(s.e, 3, cust, tps, times, types, vals), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "event 2");
    CU_ASSERT_EQUAL(tp_events_count(s.e), 0);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), 0);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(s.c), ntp);
    ASSERT_OK(tp_events_append_many(s.e, 3, cust, tps, times, NULL, vals));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 1), 5, 0);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(s.c), ntp + 1);
    close_store(&s);
}

static void test_csv_bom_crlf_quotes(void)
{
    store s = open_store();
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv(s.e, fixture("bom_crlf.csv"), &o, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(s.e, 0), "c1");
    CU_ASSERT_EQUAL(tp_events_time(s.e, 0), 1767225600000LL + 8 * 3600000LL); /* 10:00+02:00 */
    CU_ASSERT_EQUAL(tp_events_time(s.e, 1), 1767225600000LL);
    CU_ASSERT_EQUAL(tp_events_time(s.e, 2), 1767225600000LL);
    CU_ASSERT_EQUAL(tp_events_type(s.e, 1), TP_EVENT_CONVERSION);
    CU_ASSERT_EQUAL(tp_events_type(s.e, 2), TP_EVENT_EXIT);
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 1), 19.99, 1e-12);
    CU_ASSERT_EQUAL(tp_events_attribute_count(s.e), 1);
    CU_ASSERT_STRING_EQUAL(tp_events_attribute_name(s.e, 0), "note");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 0), "first, with comma");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 1), "two\r\nlines and \"quotes\"");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 2), "");
    /* Ids are case-sensitive: "Store" is a new touchpoint. */
    CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(s.e, 2), "Store");
    CU_ASSERT_EQUAL(tp_read_log_rows_read(s.r), 3);
    CU_ASSERT_EQUAL(tp_read_log_rows_accepted(s.r), 3);
    close_store(&s);
}

/* Every record of a tokenization, one line of text per field: what the
 * scanners must agree on. */
static size_t tokenize(const char *data, size_t len, char delim, tp__csv_scanner scanner,
                       char *out, size_t cap)
{
    tp__csv c;
    tp__csv_init(&c, data, len, delim, 1 << 20);
    tp__csv_use_scanner(&c, scanner);
    size_t at = 0;
    int r;
    while ((r = tp__csv_next(&c)) == 1 && at < cap) {
        at += (size_t)snprintf(out + at, cap - at, "R%llu,%llu,%zu,%d,%zu:%s\n",
                               (unsigned long long)c.rec_line, (unsigned long long)c.rec_offset,
                               c.nfields, (int)c.err, c.err_col, c.err_reason);
        for (size_t i = 0; i < c.nf && at < cap; i++)
            at += (size_t)snprintf(out + at, cap - at, " %zu:%.*s|\n", c.f[i].len,
                                   (int)c.f[i].len, c.f[i].ptr);
    }
    CU_ASSERT_EQUAL(r, 0);
    tp__csv_free(&c);
    return at;
}

/* The SSE2 and AVX2 scanners find the stop bytes the scalar one finds: random
 * inputs dense in delimiters, line ends, quotes, NULs and UTF-8, with runs that
 * cross the 16- and 32-byte steps and end at the buffer's end. */
static void test_csv_scanners(void)
{
    static const char alphabet[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,,,,;\n\r\"\0\xc3\xa9\t ''=";
    static char data[4096], want[1 << 16], got[1 << 16];
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    CU_ASSERT_TRUE(tp__csv_scanner_available(TP__SCAN_SCALAR));
    int compared = 0;
    for (int round = 0; round < 400; round++) {
        size_t len = 0, n = 1 + (size_t)(round * 37 % 4000);
        int run = 1 + round % 70; /* plain bytes between the stop bytes */
        while (len < n) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char ch = alphabet[x % (sizeof alphabet - 1)];
            if (round % 2) /* rows as exports write them: short fields, an odd byte */
                ch = x % 97 == 0 ? ch : x % 7 == 0 ? (round % 3 ? ',' : ';') : x % 29 == 0 ? '\n' : 'c';
            data[len++] = (x >> 32) % (unsigned)run ? 'b' : ch;
        }
        char delim = round % 3 ? ',' : ';';
        size_t a = tokenize(data, len, delim, TP__SCAN_SCALAR, want, sizeof want);
        for (tp__csv_scanner s = TP__SCAN_SSE2; s <= TP__SCAN_AVX2; s++) {
            if (!tp__csv_scanner_available(s))
                continue;
            size_t b = tokenize(data, len, delim, s, got, sizeof got);
            CU_ASSERT_EQUAL_FATAL(b, a);
            CU_ASSERT_EQUAL_FATAL(memcmp(got, want, a), 0);
            compared++;
        }
    }
#if defined(__x86_64__)
    CU_ASSERT_TRUE(compared >= 400); /* SSE2 is part of x86-64 */
#endif
}

/* Line feeds counted 16 bytes a step equal a byte-by-byte count, for every
 * length and alignment, runs of line feeds long enough to fill the byte
 * counters (more than 255 steps of 16), and none at all. */
static void test_count_newlines(void)
{
    enum { N = 20000 };
    static char text[N];
    uint64_t x = 3;
    for (size_t i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1;
        text[i] = i >= 5000 && i < 12000 ? '\n' : (x >> 60) < 3 ? '\n' : (char)('a' + (x >> 59) % 5);
    }
    for (size_t from = 0; from < 40; from++)
        for (size_t to = from; to < N; to += to < 200 ? 1 : 997) {
            uint64_t want = 0;
            for (size_t i = from; i < to; i++)
                want += text[i] == '\n';
            CU_ASSERT_EQUAL_FATAL(tp__count_newlines(text + from, text + to), want);
        }
    CU_ASSERT_EQUAL(tp__count_newlines(text + 5000, text + 12000), 7000);
}

/* Customer ids are interned a block at a time: the ids, strings and their
 * order are those of appending row by row, across blocks, with quoted ids
 * whose doubled quotes make the tokenizer unescape them (interned at once) and
 * rejected rows among the queued ones. */
static void test_csv_customer_blocks(void)
{
    enum { ROWS = 300 };
    static char csv[ROWS * 64];
    size_t at = (size_t)snprintf(csv, sizeof csv, "customer_id,timestamp,touchpoint\n");
    store s = open_store(), t = open_store();
    for (int i = 0; i < ROWS; i++) {
        char id[32];
        int k = (i * 7) % 41;
        if (i % 5 == 0) {
            snprintf(id, sizeof id, "q\"%d", k);
            at += (size_t)snprintf(csv + at, sizeof csv - at, "\"q\"\"%d\",%d,website\n", k,
                                   i);
        } else {
            snprintf(id, sizeof id, "c%d", k);
            at += (size_t)snprintf(csv + at, sizeof csv - at, "c%d,%d,website\n", k, i);
        }
        if (i % 11 == 3) /* a row the lenient read rejects: no time */
            at += (size_t)snprintf(csv + at, sizeof csv - at, "bad%d,,website\n", i);
        ASSERT_OK(tp_events_append(t.e, id, "website", (int64_t)i * 1000, TP_EVENT_INTERACTION,
                                   0));
    }
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.threads = 1;
    ASSERT_OK(tp_events_read_csv_buffer(s.e, csv, at, "blocks.csv", &o, s.r));
    CU_ASSERT_EQUAL_FATAL(tp_events_count(s.e), ROWS);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), (ROWS + 7) / 11);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), tp_events_customer_count(t.e));
    for (size_t r = 0; r < ROWS; r++) {
        CU_ASSERT_STRING_EQUAL(tp_events_customer(s.e, r), tp_events_customer(t.e, r));
        CU_ASSERT_EQUAL(s.e->customer.data[r], t.e->customer.data[r]);
    }
    close_store(&s);
    close_store(&t);
}

/* A malformed CSV in strict mode: exact class, line, column, field; store untouched.
 * The same file in lenient mode: the other rows are kept and the bad ones reported. */
static void check_csv(const char *name, tp_status want, uint64_t line, uint64_t column,
                      const char *field, const char *reason, size_t lenient_rows)
{
    store s = open_store();
    ASSERT_OK(tp_events_append(s.e, "before", "website", 5, 0, 0));
    size_t tps = tp_catalog_touchpoint_count(s.c);
    tp_read_options o = strict();
    o.max_field_bytes = 64;
    ASSERT_STATUS(tp_events_read_csv(s.e, fixture(name), &o, s.r), want);
    CU_ASSERT_EQUAL(tp_last_error_line(), line);
    CU_ASSERT_EQUAL(tp_last_error_column(), column);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), field);
    ASSERT_CONTAINS(tp_last_error(), reason);
    ASSERT_CONTAINS(tp_last_error(), name);
    CU_ASSERT_EQUAL(tp_events_count(s.e), 1);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), 1);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(s.c), tps);
    CU_ASSERT_EQUAL(tp_events_attribute_count(s.e), 0);
    if (lenient_rows != (size_t)-1) {
        tp_read_log_clear(s.r);
        o.on_error = TP_ON_ERROR_SKIP;
        ASSERT_OK(tp_events_read_csv(s.e, fixture(name), &o, s.r));
        CU_ASSERT_EQUAL(tp_events_count(s.e), 1 + lenient_rows);
        CU_ASSERT_EQUAL(tp_read_log_rows_accepted(s.r), lenient_rows);
        CU_ASSERT_TRUE(tp_read_log_rows_rejected(s.r) >= 1);
        CU_ASSERT_EQUAL(tp_read_log_issue_line(s.r, 0), line);
        CU_ASSERT_EQUAL(tp_read_log_issue_column(s.r, 0), column);
        CU_ASSERT_EQUAL(tp_read_log_issue_status(s.r, 0), want);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(s.r, 0), field);
        ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, 0), reason);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_file(s.r, 0), fixture(name));
    }
    close_store(&s);
}

static void test_csv_malformed(void)
{
    check_csv("bad_quote.csv", TP_EPARSE, 3, 3, "touchpoint", "quote inside an unquoted field", 2);
    check_csv("unterminated_quote.csv", TP_EPARSE, 3, 3, "touchpoint", "unterminated quoted field", 1);
    check_csv("char_after_quote.csv", TP_EPARSE, 2, 2, "timestamp", "after closing quote", 1);
    check_csv("invalid_utf8.csv", TP_EPARSE, 3, 1, "customer_id", "invalid UTF-8", 2);
    check_csv("wrong_columns.csv", TP_EPARSE, 3, 4, "", "expected 4 fields, found 3", 1);
    check_csv("bad_timestamp.csv", TP_EVALIDATE, 3, 2, "timestamp", "\"2026-13-01\" is out of range", 1);
    check_csv("nan_value.csv", TP_EPARSE, 2, 5, "value", "\"NaN\" is not a number", 1);
    check_csv("huge_field.csv", TP_ELIMIT, 2, 4, "comment", "longer than 64 bytes", 1);
    check_csv("nul_byte.csv", TP_EPARSE, 2, 3, "touchpoint", "NUL byte", 0);
    check_csv("empty.csv", TP_EPARSE, 1, 0, "", "empty input", (size_t)-1);
    check_csv("missing_column.csv", TP_EPARSE, 1, 0, "", "missing required column \"timestamp\"",
              (size_t)-1);
    check_csv("duplicate_header.csv", TP_EPARSE, 1, 4, "", "duplicate column", (size_t)-1);
    check_csv("no-such-file.csv", TP_EIO, 0, 0, "", "cannot open", (size_t)-1);
}

static void test_csv_lenient_report(void)
{
    store s = open_store();
    ASSERT_OK(tp_events_read_csv(s.e, fixture("bad_timestamp.csv"), NULL, s.r));
    CU_ASSERT_EQUAL(tp_read_log_rows_read(s.r), 3);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), 2);
    CU_ASSERT_EQUAL(tp_read_log_issue_count(s.r), 2);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(s.r, 1), 4);
    CU_ASSERT_EQUAL(tp_read_log_issue_status(s.r, 1), TP_EPARSE);
    ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, 1), "cannot parse timestamp \"yesterday\"");
    /* Byte offset of line 3: the header (33 bytes) and line 2 (22 bytes). */
    CU_ASSERT_EQUAL(tp_read_log_issue_offset(s.r, 0), 33 + 22);
    tp_table *t;
    ASSERT_OK(tp_read_log_to_table(s.r, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    tp_table_free(t);
    close_store(&s);
}

/* Event columns of @p count rows with these customer and touchpoint columns. */
static tp_event_columns event_columns(size_t count, tp_text_column customer,
                                      tp_text_column touchpoint)
{
    tp_event_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_EVENT_COLUMNS_VERSION;
    c.count = count;
    c.customer = customer;
    c.touchpoint = touchpoint;
    return c;
}

/* tp_events_append_columns(): a frame's columns read as the CSV reader reads
 * rows. The accepted rows equal a CSV read of the same rows; each bad row is
 * logged with its position and its column's name, as the CSV reader says it. */
static void test_append_columns(void)
{
    const int64_t t0 = 1772323200000LL, m = 60000;
    const char *c1 = "c1", *c2 = "c2";
    const char *cust[] = {c1, c2, NULL, "c4", "c5", c1, c1, c2};
    const char *tps[] = {"website", "cart", "website", "", "store", "website", "cart", "store"};
    int64_t times[] = {t0, t0 + m, t0 + 2 * m, t0 + 3 * m, 0, t0 + 5 * m, t0 + 6 * m, t0 + 7 * m};
    const unsigned char missing[] = {0, 0, 0, 0, 1, 0, 0, 0};
    const char *types[] = {NULL, "Conversion", NULL, NULL, NULL, " exit ", "bogus", "exit"};
    double values[] = {NAN, 12.5, 0, 0, 0, 1e38, 0, 2};
    const char *region[] = {"north", NULL, "south", NULL, NULL, NULL, NULL, "south"};
    tp_text_column attrs[] = {{"region", region}};
    tp_event_columns cols = event_columns(8, (tp_text_column){"customer_id", cust},
                                          (tp_text_column){"touchpoint", tps});
    cols.times_ms = times;
    cols.time_missing = missing;
    cols.type = (tp_text_column){"type", types};
    cols.values = values;
    cols.nattrs = 1;
    cols.attrs = attrs;

    store s = open_store();
    ASSERT_OK(tp_events_append_columns(s.e, &cols, "frame", NULL, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_EQUAL(tp_read_log_rows_read(s.r), 8);
    CU_ASSERT_EQUAL(tp_read_log_rows_accepted(s.r), 3);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), 5);
    static const struct {
        uint64_t line;
        const char *field, *reason;
    } want[] = {{3, "customer_id", "customer id is missing"},
                {4, "touchpoint", "touchpoint id is empty"},
                {5, "timestamp", "timestamp is missing"},
                {6, "value", "is beyond the accepted range"},
                {7, "type", "unknown event type \"bogus\""}};
    CU_ASSERT_EQUAL_FATAL(tp_read_log_issue_count(s.r), 5);
    for (size_t i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(tp_read_log_issue_line(s.r, i), want[i].line);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(s.r, i), want[i].field);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_file(s.r, i), "frame");
        ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, i), want[i].reason);
    }
    /* the same rows as CSV, read by the CSV reader */
    store csv = open_store();
    const char text[] = "customer_id,timestamp,touchpoint,type,value,region\n"
                        "c1,1772323200000,website,,,north\n"
                        "c2,1772323260000,cart,Conversion,12.5,\n"
                        "c2,1772323620000,store,exit,2,south\n";
    tp_read_options so = strict();
    ASSERT_OK(tp_events_read_csv_buffer(csv.e, text, sizeof text - 1, "same.csv", &so, NULL));
    char *a = tp_test_events_csv(s.e), *b = tp_test_events_csv(csv.e);
    CU_ASSERT_TRUE(a && b && !strcmp(a, b));
    free(a);
    free(b);
    close_store(&csv);

    /* strict: the first bad row fails the call and nothing is appended */
    size_t before = tp_events_count(s.e);
    ASSERT_STATUS(tp_events_append_columns(s.e, &cols, "frame", &so, NULL), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "frame:3: customer_id: customer id is missing");
    CU_ASSERT_EQUAL(tp_events_count(s.e), before);

    /* times as text, read as the CSV reader reads timestamps */
    const char *when[] = {"2026-03-01T10:00:00Z", "May 1"};
    tp_event_columns tc = event_columns(2, (tp_text_column){"user", cust},
                                        (tp_text_column){"page", tps});
    tc.time_text = (tp_text_column){"event_time", when};
    tp_read_log_clear(s.r);
    ASSERT_OK(tp_events_append_columns(s.e, &tc, NULL, NULL, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), before + 1);
    CU_ASSERT_EQUAL(tp_events_time(s.e, before), t0 + 10 * 3600000LL);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(s.r, 0), "event_time");
    ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, 0), "cannot parse timestamp \"May 1\"");
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_file(s.r, 0), "columns");

    /* an id the catalog lacks, when unknown ids are refused, is a bad row */
    ASSERT_OK(tp_events_set_unknown_policy(s.e, TP_UNKNOWN_REJECT));
    const char *nowhere[] = {"nowhere"};
    tp_event_columns uc = event_columns(1, (tp_text_column){"user", cust},
                                        (tp_text_column){"page", nowhere});
    uc.times_ms = times;
    tp_read_log_clear(s.r);
    ASSERT_OK(tp_events_append_columns(s.e, &uc, NULL, NULL, s.r));
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(s.r, 0), "page");
    ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, 0), "unknown touchpoint \"nowhere\"");
    CU_ASSERT_EQUAL(tp_events_count(s.e), before + 1);
    ASSERT_OK(tp_events_set_unknown_policy(s.e, TP_UNKNOWN_REGISTER));

    /* a time in milliseconds the library cannot hold */
    const int64_t far[] = {INT64_MAX};
    tp_event_columns fc = event_columns(1, (tp_text_column){"user", cust},
                                        (tp_text_column){"page", tps});
    fc.times_ms = far;
    ASSERT_STATUS(tp_events_append_columns(s.e, &fc, "frame", &so, NULL), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "frame:1: timestamp: timestamp 9223372036854775807 ms is "
                                     "out of range");

    /* the call's own mistakes */
    tc.version = 2;
    ASSERT_STATUS(tp_events_append_columns(s.e, &tc, NULL, NULL, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "unknown version 2");
    tc.version = TP_EVENT_COLUMNS_VERSION;
    tc.time_text.values = NULL;
    ASSERT_STATUS(tp_events_append_columns(s.e, &tc, NULL, NULL, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "the customer, touchpoint and time columns are required");
    attrs[0].name = "";
    ASSERT_STATUS(tp_events_append_columns(s.e, &cols, NULL, NULL, NULL), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "attribute column 0 has no name");
    ASSERT_STATUS(tp_events_append_columns(NULL, &cols, NULL, NULL, NULL), TP_EINVAL);
    ASSERT_STATUS(tp_events_append_columns(s.e, NULL, NULL, NULL, NULL), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_count(s.e), before + 1);
    close_store(&s);
}

/* tp_read_options.columns: the file's names of the reader's columns. */
static void test_csv_column_names(void)
{
    const char text[] = "user_pseudo_id,Event_Time,page,region\n"
                        "u1,2026-03-01T10:00:00Z,website,north\n"
                        "u2,2026-03-01T11:00:00Z,cart,south\n";
    store s = open_store();
    tp_read_options o = strict();
    o.columns = "customer_id=user_pseudo_id, timestamp = event_time,touchpoint=page,metric=q";
    ASSERT_OK(tp_events_read_csv_buffer(s.e, text, sizeof text - 1, "ga.csv", &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 2);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(s.e, 1), "u2");
    CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(s.e, 1), "cart");
    CU_ASSERT_EQUAL(tp_events_attribute_count(s.e), 1); /* region; the mapped ones are read */
    o.columns = "customer_id=user_pseudo_id,timestamp=when,touchpoint=page";
    ASSERT_STATUS(tp_events_read_csv_buffer(s.e, text, sizeof text - 1, "ga.csv", &o, NULL),
                  TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "missing required column \"when\" (the file's name for "
                                     "timestamp)");
    o.columns = "custmer_id=user_pseudo_id";
    ASSERT_STATUS(tp_events_read_csv_buffer(s.e, text, sizeof text - 1, "ga.csv", &o, NULL),
                  TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "'custmer_id=user_pseudo_id' is not COLUMN=NAME");
    o.columns = "customer_id";
    ASSERT_STATUS(tp_events_read_csv_buffer(s.e, text, sizeof text - 1, "ga.csv", &o, NULL),
                  TP_EINVAL);
    CU_ASSERT_EQUAL(tp_events_count(s.e), 2);
    close_store(&s);
}

/* Found by fuzz/fuzz_columns.c, which reads the same cells as columns and as
 * CSV: an attribute cell of invalid UTF-8 is a bad row in both (the columns
 * kept it, and the store could not be exported); a blank value is 0 in both
 * (the CSV reader refused it). */
static void test_columns_and_csv_agree(void)
{
    const char *cust[] = {"c1", "c2", "c3"}, *tps[] = {"website", "cart", "store"};
    const char *when[] = {"2026-03-01", "2026-03-02", "2026-03-03"};
    const char *vals[] = {"   ", "2", ""}, *seg[] = {"gold", "bad\xff", NULL};
    tp_text_column attrs[] = {{"segment", seg}};
    tp_event_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_EVENT_COLUMNS_VERSION;
    c.count = 3;
    c.customer = (tp_text_column){"customer_id", cust};
    c.touchpoint = (tp_text_column){"touchpoint", tps};
    c.time_text = (tp_text_column){"timestamp", when};
    c.value_text = (tp_text_column){"value", vals};
    c.nattrs = 1;
    c.attrs = attrs;
    store s = open_store();
    ASSERT_OK(tp_events_append_columns(s.e, &c, "frame", NULL, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 2);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), 1);
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 0), 0, 0);
    tp_table *t;
    ASSERT_OK(tp_read_log_to_table(s.r, &t));
    size_t col;
    const char *reason = NULL;
    ASSERT_OK(tp_table_find_column(t, "reason", &col));
    tp_table_get_string(t, 0, col, &reason);
    ASSERT_CONTAINS(reason, "invalid UTF-8 at byte 4 of the field");
    tp_table_free(t);
    tp_table *all;
    ASSERT_OK(tp_events_to_table(s.e, &all)); /* what the fuzzer could not do */
    tp_table_free(all);
    close_store(&s);
    static const char csv[] = "customer_id,timestamp,touchpoint,value\nc1,2026-03-01,website,  \n";
    s = open_store();
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv_buffer(s.e, csv, sizeof csv - 1, "blank.csv", &o, NULL));
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 0), 0, 0);
    close_store(&s);
}

/* tp_read_column: the readers' own names, required first, NULL past the end. */
static void test_read_column_names(void)
{
    static const char *const ev[] = {"customer_id", "timestamp", "touchpoint", "type", "value",
                                     "channel"};
    static const char *const fb[] = {"customer_id", "timestamp", "touchpoint", "metric",
                                     "score", "comment", "weight"};
    int req = -1;
    for (size_t i = 0; i < 6; i++) {
        CU_ASSERT_STRING_EQUAL(tp_read_column(TP_INPUT_EVENTS, i, &req), ev[i]);
        CU_ASSERT_EQUAL(req, i < 3);
    }
    for (size_t i = 0; i < 7; i++) {
        CU_ASSERT_STRING_EQUAL(tp_read_column(TP_INPUT_FEEDBACK, i, &req), fb[i]);
        CU_ASSERT_EQUAL(req, i < 5);
    }
    CU_ASSERT_PTR_NULL(tp_read_column(TP_INPUT_EVENTS, 6, &req));
    CU_ASSERT_EQUAL(req, 0);
    CU_ASSERT_PTR_NULL(tp_read_column(TP_INPUT_PATHS, 0, NULL));
    /* A file without a required column is refused naming it. */
    store s = open_store();
    static const char text[] = "customer_id,touchpoint\nc1,website\n";
    ASSERT_STATUS(tp_events_read_csv_buffer(s.e, text, sizeof text - 1, "two.csv", NULL, NULL),
                  TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "timestamp");
    close_store(&s);
}

/* The same mapping names the keys of JSON lines; messages use the file's key. */
static void test_jsonl_column_names(void)
{
    const char text[] = "{\"user\":\"u1\",\"TS\":1000,\"page\":\"website\",\"region\":\"north\"}\n"
                        "{\"user\":\"u2\",\"ts\":2000,\"page\":\"cart\",\"customer_id\":\"x\"}\n"
                        "{\"user\":\"u3\",\"ts\":3000}\n";
    store s = open_store();
    tp_read_options o = TP_READ_OPTIONS_INIT;
    o.epoch_unit = TP_EPOCH_MILLISECONDS;
    o.columns = "customer_id=user,timestamp=ts,touchpoint=page,score=stars";
    ASSERT_OK(tp_events_read_jsonl_buffer(s.e, text, sizeof text - 1, "ga.jsonl", &o, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 2);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(s.e, 1), "u2");
    CU_ASSERT_EQUAL(tp_events_time(s.e, 1), 2000);
    CU_ASSERT_STRING_EQUAL(tp_events_touchpoint(s.e, 1), "cart");
    /* region, and customer_id, which is no longer the customer's key */
    CU_ASSERT_EQUAL(tp_events_attribute_count(s.e), 2);
    tp_table *t;
    ASSERT_OK(tp_read_log_to_table(s.r, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 1);
    const char *field = NULL;
    size_t col = 0;
    ASSERT_OK(tp_table_find_column(t, "field", &col));
    tp_table_get_string(t, 0, col, &field);
    CU_ASSERT_STRING_EQUAL(field, "page"); /* line 3 lacks the touchpoint, named as the file does */
    tp_table_free(t);
    o.columns = "customer_id=user,timstamp=ts";
    ASSERT_STATUS(tp_events_read_jsonl_buffer(s.e, text, sizeof text - 1, "ga.jsonl", &o, NULL),
                  TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "'timstamp=ts' is not COLUMN=NAME");
    CU_ASSERT_EQUAL(tp_events_count(s.e), 2);
    close_store(&s);
}

static void test_csv_edge_inputs(void)
{
    store s = open_store();
    ASSERT_OK(tp_events_read_csv(s.e, fixture("header_only.csv"), NULL, s.r));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 0);
    CU_ASSERT_EQUAL(tp_read_log_rows_read(s.r), 0);
    /* Unknown touchpoints: registered by default, rejected on request. */
    ASSERT_OK(tp_events_read_csv(s.e, fixture("unknown_touchpoint.csv"), NULL, NULL));
    size_t idx;
    ASSERT_OK(tp_catalog_find_touchpoint(s.c, "hologram", &idx));
    close_store(&s);
    s = open_store();
    ASSERT_OK(tp_events_set_unknown_policy(s.e, TP_UNKNOWN_REJECT));
    tp_read_options o = strict();
    ASSERT_STATUS(tp_events_read_csv(s.e, fixture("unknown_touchpoint.csv"), &o, NULL), TP_ENOTFOUND);
    CU_ASSERT_EQUAL(tp_last_error_line(), 3);
    CU_ASSERT_EQUAL(tp_last_error_column(), 3);
    CU_ASSERT_EQUAL(tp_events_count(s.e), 0);
    /* A 2 MiB field against the default 1 MiB limit. */
    size_t big = 2u << 20;
    char *buf = malloc(big + 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    int n = sprintf(buf, "customer_id,timestamp,touchpoint\nc1,2026-01-01,");
    memset(buf + n, 'x', big);
    ASSERT_STATUS(tp_events_read_csv_buffer(s.e, buf, (size_t)n + big, "big", &o, NULL), TP_ELIMIT);
    CU_ASSERT_EQUAL(tp_last_error_column(), 3);
    free(buf);
    /* Bad options are refused before anything is read. */
    o.delimiter = '"';
    CU_ASSERT_EQUAL(tp_events_read_csv(s.e, fixture("header_only.csv"), &o, NULL), TP_EINVAL);
    o.delimiter = ';';
    static const char semi[] = "customer_id;timestamp;touchpoint\nc1;2026-01-01;store\n";
    ASSERT_OK(tp_events_read_csv_buffer(s.e, semi, sizeof semi - 1, NULL, &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(s.e), 1);
    close_store(&s);
}

/* JSON Lines numbers keep the text they were written as (they went through a
 * double: 12345678901234567 and ...568 became one customer, an attribute
 * 1.2345678901234568e+22), and keys match as CSV header names do: trimmed,
 * ASCII case ignored, one attribute for "seg" and "SEG". */
static void test_jsonl_numbers_and_keys(void)
{
    static const char lines[] =
        "{\"customer_id\":12345678901234567,\"timestamp\":1767225600,\"touchpoint\":\"web\","
        "\"seg\":12345678901234567890123}\n"
        "{\"customer_id\":12345678901234568,\"timestamp\":1767225600,\"touchpoint\":\"web\","
        "\"SEG\":1.50}\n"
        "{\"note\":\"a\\\"b,}:\",\"Customer_ID\":42,\"TIMESTAMP\":1767225600,"
        "\" Touchpoint \":\"web\",\"Seg\":-0,\"m\":null,\"k\":1e3}\n"
        "{\"customer_id\":\"c4\",\"timestamp\":1767225600,\"touchpoint\":\"web\","
        "\"seg\":\"a\",\"SEG\":\"b\"}\n"
        "{\"customer_id\":\"c5\",\"timestamp\":1767225600,\"touchpoint\":\"web\",\"value\":2,"
        "\"VALUE\":3}\n";
    tp_events *e;
    tp_read_log *r;
    ASSERT_OK(tp_events_new(&e, NULL));
    ASSERT_OK(tp_read_log_new(&r));
    ASSERT_OK(tp_events_read_jsonl_buffer(e, lines, sizeof lines - 1, "n.jsonl", NULL, r));
    CU_ASSERT_EQUAL_FATAL(tp_events_count(e), 3);
    CU_ASSERT_EQUAL(tp_events_customer_count(e), 3);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(e, 0), "12345678901234567");
    CU_ASSERT_STRING_EQUAL(tp_events_customer(e, 1), "12345678901234568");
    CU_ASSERT_STRING_EQUAL(tp_events_customer(e, 2), "42");
    /* One attribute, named as first spelled, holding each value's text. */
    CU_ASSERT_EQUAL_FATAL(tp_events_attribute_count(e), 3);
    CU_ASSERT_STRING_EQUAL(tp_events_attribute_name(e, 0), "seg");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, 0), "12345678901234567890123");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, 1), "1.50");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, 2), "-0");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute_name(e, 1), "note");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 1, 2), "a\"b,}:");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute_name(e, 2), "k");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 2, 2), "1e3");
    /* Two spellings of one key in a line are a duplicate key. */
    CU_ASSERT_EQUAL_FATAL(tp_read_log_rows_rejected(r), 2);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 0), 4);
    ASSERT_CONTAINS(tp_read_log_issue_reason(r, 0), "duplicate key");
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(r, 0), "SEG");
    CU_ASSERT_EQUAL(tp_read_log_issue_line(r, 1), 5);
    /* CSV files that spell the column differently add to the same attribute,
     * a filter finds it in any case, and the export reads back. */
    static const char csv[] = "customer_id,timestamp,touchpoint,Seg\nc6,2026-01-02,web,north\n";
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "s.csv", NULL, r));
    CU_ASSERT_EQUAL(tp_events_attribute_count(e), 3);
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, 3), "north");
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_add_segment(f, "SEG", "north", 0));
    tp_table *t;
    ASSERT_OK(tp_journeys(e, f, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 1);
    tp_table_free(t);
    tp_filter_free(f);
    char *fixed = tp_test_events_csv(e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
    tp_events *again;
    ASSERT_OK(tp_events_new(&again, NULL));
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.on_error = TP_ON_ERROR_STOP;
    ASSERT_OK(tp_events_read_csv_buffer(again, fixed, strlen(fixed), "again.csv", &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(again), 4);
    CU_ASSERT_STRING_EQUAL(tp_events_customer(again, 0), "12345678901234567");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(again, 0, 0), "12345678901234567890123");
    free(fixed);
    tp_events_free(again);
    tp_read_log_free(r);
    tp_events_free(e);
}

static void test_jsonl(void)
{
    store s = open_store();
    ASSERT_OK(tp_events_read_jsonl(s.e, fixture("events.jsonl"), NULL, s.r));
    /* Lines 1, 2 and 11 are good; line 7 is blank. */
    CU_ASSERT_EQUAL(tp_events_count(s.e), 3);
    CU_ASSERT_EQUAL(tp_events_type(s.e, 1), TP_EVENT_CONVERSION);
    CU_ASSERT_DOUBLE_EQUAL(tp_events_value(s.e, 1), 20, 0);
    CU_ASSERT_EQUAL(tp_events_time(s.e, 1), 1767225600000LL);
    CU_ASSERT_EQUAL(tp_events_time(s.e, 2), 1767225600000LL);
    CU_ASSERT_STRING_EQUAL(tp_events_attribute_name(s.e, 0), "device");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 0), "mobile");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 1), "");
    CU_ASSERT_STRING_EQUAL(tp_events_attribute(s.e, 0, 2), "true");
    CU_ASSERT_EQUAL(tp_read_log_rows_read(s.r), 10);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), 7);
    struct { uint64_t line; tp_status st; const char *field; const char *reason; } want[] = {
        {3, TP_EPARSE, "", "invalid JSON"},               /* truncated object */
        {4, TP_EVALIDATE, "", "expected a JSON object"},
        {5, TP_EPARSE, "customer_id", "duplicate key"},
        {6, TP_EPARSE, "", "\\u0000"},
        {8, TP_EVALIDATE, "timestamp", "out of range"},   /* 30 February */
        {9, TP_EPARSE, "", "invalid JSON"},               /* trailing garbage */
        {10, TP_EVALIDATE, "extra", "strings, numbers or booleans"},
    };
    CU_ASSERT_EQUAL_FATAL(tp_read_log_issue_count(s.r), 7);
    CU_ASSERT_EQUAL(tp_read_log_issue_column(s.r, 5), 81); /* where the garbage starts */
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        size_t k = i;
        CU_ASSERT_EQUAL(tp_read_log_issue_line(s.r, k), want[i].line);
        CU_ASSERT_EQUAL(tp_read_log_issue_status(s.r, k), want[i].st);
        CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(s.r, k), want[i].field);
        ASSERT_CONTAINS(tp_read_log_issue_reason(s.r, k), want[i].reason);
    }
    /* Strict mode stops at line 3 and keeps nothing of this read. */
    tp_read_options o = strict();
    size_t before = tp_events_count(s.e);
    ASSERT_STATUS(tp_events_read_jsonl(s.e, fixture("events.jsonl"), &o, NULL), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_last_error_line(), 3);
    CU_ASSERT_EQUAL(tp_events_count(s.e), before);
    close_store(&s);
}

static void test_to_table(void)
{
    store s = open_store();
    ASSERT_OK(tp_events_read_csv(s.e, fixture("bom_crlf.csv"), NULL, NULL));
    tp_table *t;
    ASSERT_OK(tp_events_to_table(s.e, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    CU_ASSERT_EQUAL(tp_table_column_count(t), 6);
    const char *str;
    ASSERT_OK(tp_table_get_string(t, 1, 3, &str));
    CU_ASSERT_STRING_EQUAL(str, "conversion");
    CU_ASSERT_EQUAL(tp_table_is_null(t, 2, 5), 1);
    tp_table_free(t);
    close_store(&s);
}

/* The bundled sample data reads without a single rejected row against the
 * default catalog, in strict mode with unknown touchpoints rejected. */
static void test_sample_data(void)
{
    store s = open_store();
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, s.c));
    ASSERT_OK(tp_events_set_unknown_policy(s.e, TP_UNKNOWN_REJECT));
    ASSERT_OK(tp_feedback_set_unknown_policy(f, TP_UNKNOWN_REJECT));
    tp_read_options o = strict();
    ASSERT_OK(tp_events_read_csv(s.e, TP_SAMPLE_DATA "/events.csv", &o, s.r));
    ASSERT_OK(tp_feedback_read_csv(f, TP_SAMPLE_DATA "/feedback.csv", &o, s.r));
    CU_ASSERT_TRUE(tp_events_count(s.e) > 50000);
    CU_ASSERT_EQUAL(tp_events_customer_count(s.e), 5000);
    CU_ASSERT_TRUE(tp_feedback_count(f) > 7000);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(s.r), 0);
    tp_feedback_free(f);
    close_store(&s);
}

typedef struct progress_log {
    size_t calls;
    uint64_t last_done, total, rows;
    int monotonic;
} progress_log;

static void log_progress(void *user, uint64_t done, uint64_t total, uint64_t rows)
{
    progress_log *l = user;
    l->monotonic &= done >= l->last_done && rows >= l->rows;
    l->calls++;
    l->last_done = done;
    l->total = total;
    l->rows = rows;
}

static void test_progress(void)
{
    /* 200,000 rows: a call at rows 65,536, 131,072 and 196,608, then one at the end. */
    size_t n = 200000, cap = 40 * n + 64, len = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    len += (size_t)snprintf(csv, cap, "customer_id,timestamp,touchpoint\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(csv + len, cap - len, "c%zu,%zu,website\n", i % 97,
                                1767225600 + i);
    tp_catalog *c = NULL;
    tp_events *e = NULL;
    ASSERT_OK(tp_catalog_new_default(&c));
    ASSERT_OK(tp_events_new(&e, c));
    tp_read_options ro;
    tp_read_options_init(&ro, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(ro.version, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_PTR_NULL(ro.progress);
    progress_log l = {0, 0, 0, 0, 1};
    ro.progress = log_progress;
    ro.progress_data = &l;
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, len, "big.csv", &ro, NULL));
    CU_ASSERT_EQUAL(l.calls, 4);
    CU_ASSERT_TRUE(l.monotonic);
    CU_ASSERT_EQUAL(l.last_done, len);
    CU_ASSERT_EQUAL(l.total, len);
    CU_ASSERT_EQUAL(l.rows, n);
    /* A version 1 caller's struct has no progress fields: none is read (a
     * heap block of exactly the old size lets ASan see any overread). */
    size_t v1 = offsetof(tp_read_options, progress);
    tp_read_options *old = malloc(v1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(old);
    unsigned int one = 1;
    memcpy(old, &ro, v1);
    memcpy(old, &one, sizeof one); /* version, the first field */
    l.calls = 0;
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, len, "big.csv", old, NULL));
    CU_ASSERT_EQUAL(l.calls, 0);
    CU_ASSERT_EQUAL(tp_events_count(e), 2 * n);
    /* A failed read still ends with a call. */
    l.calls = 0;
    ro.on_error = TP_ON_ERROR_STOP;
    CU_ASSERT_NOT_EQUAL(tp_events_read_csv_buffer(e, "customer_id,timestamp,touchpoint\nc,x,web\n",
                                                  41, "bad.csv", &ro, NULL),
                        TP_OK);
    CU_ASSERT_EQUAL(l.calls, 1);
    CU_ASSERT_EQUAL(l.rows, 1);
    free(old);
    free(csv);
    tp_events_free(e);
    tp_catalog_free(c);
}

static const tp_test store_tests[] = {TP_TEST(test_append), TP_TEST(test_append_many_is_atomic),
                                     TP_TEST(test_append_many_shared_strings),
                                      TP_TEST(test_to_table), TP_TESTS_END};
static const tp_test csv_tests[] = {TP_TEST(test_csv_bom_crlf_quotes), TP_TEST(test_csv_customer_blocks), TP_TEST(test_csv_scanners), TP_TEST(test_count_newlines), TP_TEST(test_csv_malformed),
                                    TP_TEST(test_csv_lenient_report), TP_TEST(test_csv_edge_inputs),
                                    TP_TEST(test_append_columns), TP_TEST(test_csv_column_names), TP_TEST(test_jsonl_column_names), TP_TEST(test_read_column_names), TP_TEST(test_columns_and_csv_agree),
                                    TP_TEST(test_sample_data), TP_TEST(test_progress),
                                    TP_TESTS_END};
static const tp_test jsonl_tests[] = {TP_TEST(test_jsonl), TP_TEST(test_jsonl_numbers_and_keys), TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"model/events", store_tests},
                               {"io/events_csv", csv_tests},
                               {"io/events_jsonl", jsonl_tests},
                               {NULL, NULL}};
    return tp_run_suites(suites);
}
