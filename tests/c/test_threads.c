/* CSV reads on several threads (tp_read_options.threads): the store, its
 * numbering, the catalog, the report and every error equal a read on one
 * thread, whatever the count, for inputs that are cut into pieces (>= 1 MiB a
 * piece), including cuts that fall inside quoted fields. */
#include <stdarg.h>

#include "model/paths_internal.h"
#include "testutil.h"

/* A growing text buffer. */
typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if (b->s && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n + 1) * 2;
        if (!(b->s = realloc(b->s, b->cap)))
            abort();
    }
}

static uint32_t rnd(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*state >> 33);
}

static const char *const known[] = {"advertising", "website", "store", "checkout", "email",
                                    "support"};

/* A catalog touchpoint, or in one row of `every` a new one, prefix-N of n. */
static const char *pick_tp(uint64_t *st, uint32_t r, uint32_t every, const char *prefix,
                           unsigned n, char *fresh, size_t cap)
{
    if (r % every)
        return known[r % 6];
    snprintf(fresh, cap, "%s-%u", prefix, (unsigned)(rnd(st) % n));
    return fresh;
}

/* About `rows` events with attributes, values, types, channels, new touchpoints
 * first met in different pieces, bad rows of several kinds, quoted fields with
 * line breaks, CRLF line ends and blank lines. With `long_field`, one quoted
 * field of 2.5 MB full of line breaks sits in the middle, so a cut falls in it. */
static char *events_text(size_t rows, int long_field, size_t *len)
{
    buf b = {0};
    uint64_t st = 42;
    add(&b, "customer_id,timestamp,touchpoint,type,value,channel,segment,note\n");
    for (size_t i = 0; i < rows; i++) {
        uint32_t r = rnd(&st);
        char fresh[32];
        const char *tp = pick_tp(&st, r, 97, "new", 40, fresh, sizeof fresh);
        const char *type = r % 11 == 0 ? "conversion" : r % 13 == 0 ? "exit" : "";
        const char *channel = r % 5 == 0 ? (r % 2 ? "web" : "store") : "";
        const char *seg = r % 3 == 0 ? "gold" : r % 3 == 1 ? "silver" : "";
        unsigned cust = rnd(&st) % 5000;
        long long t = 1700000000000ll + (long long)(rnd(&st) % 100000000u);
        switch (r % 401) {
        case 0:
            add(&b, "c%u,not-a-time,%s,,,,%s,x\n", cust, tp, seg);
            continue;
        case 1:
            add(&b, "c%u,%lld,%s,sideways,,,%s,x\n", cust, t, tp, seg);
            continue;
        case 2:
            add(&b, "c%u,%lld,%s\n", cust, t, tp);
            continue;
        case 3:
            add(&b, "\r\n\n");
            break;
        default:
            break;
        }
        if (long_field && i == rows / 2) {
            add(&b, "c%u,%lld,%s,,,,%s,\"", cust, t, tp, seg);
            for (int k = 0; k < 50000; k++)
                add(&b, "line %d of a long note, with a comma\n", k);
            add(&b, "end\"\n");
            continue;
        }
        if (r % 7 == 0)
            add(&b, "c%u,%lld,%s,%s,%.2f,%s,%s,\"two\nlines, \"\"quoted\"\"\"\r\n", cust, t, tp,
                type, (double)(r % 1000) / 10.0, channel, seg);
        else
            add(&b, "c%u,%lld,%s,%s,%s,%s,%s,n%u\n", cust, t, tp, type, r % 4 ? "" : "2.5",
                channel, seg, r % 17);
    }
    *len = b.len;
    return b.s;
}

static char *table_csv(tp_table *t)
{
    char *text = NULL;
    size_t len;
    CU_ASSERT_EQUAL_FATAL(tp_table_format(t, TP_FORMAT_CSV, &text, &len), TP_OK);
    char *copy = strdup(text);
    tp_free(text);
    tp_table_free(t);
    return copy;
}

/* Everything a read leaves behind, as text. */
static char *events_state(tp_events *e, tp_read_log *r)
{
    tp_table *t;
    buf b = {0};
    ASSERT_OK(tp_events_to_table(e, &t));
    char *s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    ASSERT_OK(tp_catalog_to_table(tp_events_catalog(e), &t));
    s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    ASSERT_OK(tp_journeys(e, NULL, NULL, &t)); /* shows the customer numbering */
    s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    add(&b, "events %zu customers %zu\n", tp_events_count(e), tp_events_customer_count(e));
    if (r) {
        ASSERT_OK(tp_read_log_to_table(r, &t));
        s = table_csv(t);
        add(&b, "%s read %llu accepted %llu rejected %llu bytes %llu\n", s,
            (unsigned long long)tp_read_log_rows_read(r),
            (unsigned long long)tp_read_log_rows_accepted(r),
            (unsigned long long)tp_read_log_rows_rejected(r),
            (unsigned long long)tp_read_log_bytes_read(r));
        free(s);
    }
    return b.s;
}

typedef struct outcome {
    tp_status st;
    char message[1024];
    char *state;
} outcome;

/* A store that already holds a few rows and an attribute column of its own, then
 * reads `text` with `threads`. */
static outcome read_events(const char *text, size_t len, unsigned threads, tp_on_error mode,
                           tp_unknown_policy policy)
{
    static const char before[] = "customer_id,timestamp,touchpoint,region\n"
                                 "c7,1690000000000,website,north\nzz,1690000000001,store,\n";
    tp_catalog *c;
    tp_events *e;
    tp_read_log *r;
    CU_ASSERT_EQUAL_FATAL(tp_catalog_new_default(&c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_events_new(&e, c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_read_log_new(&r), TP_OK);
    ASSERT_OK(tp_events_read_csv_buffer(e, before, sizeof before - 1, "before.csv", NULL, r));
    ASSERT_OK(tp_events_set_unknown_policy(e, policy));
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.threads = threads;
    o.on_error = mode;
    outcome out;
    out.st = tp_events_read_csv_buffer(e, text, len, "big.csv", &o, r);
    snprintf(out.message, sizeof out.message, "%s", out.st == TP_OK ? "" : tp_last_error());
    out.state = events_state(e, r);
    tp_read_log_free(r);
    tp_events_free(e);
    tp_catalog_free(c);
    return out;
}

static void expect_same(outcome *one, outcome *many, unsigned threads)
{
    if (one->st != many->st || strcmp(one->message, many->message) != 0)
        fprintf(stderr, "\n  threads %u: %d \"%s\", one thread: %d \"%s\"\n", threads,
                (int)many->st, many->message, (int)one->st, one->message);
    CU_ASSERT_EQUAL(one->st, many->st);
    CU_ASSERT_STRING_EQUAL(one->message, many->message);
    size_t a = strlen(one->state), b = strlen(many->state);
    if (a != b || strcmp(one->state, many->state) != 0)
        fprintf(stderr, "\n  threads %u: state differs (%zu vs %zu bytes)\n", threads, b, a);
    CU_ASSERT_EQUAL(a, b);
    CU_ASSERT(strcmp(one->state, many->state) == 0);
    free(many->state);
}

/* want: TP_OK, or any failure. */
static void check_events(const char *text, size_t len, tp_on_error mode, tp_unknown_policy policy,
                         tp_status want)
{
    outcome one = read_events(text, len, 1, mode, policy);
    CU_ASSERT_EQUAL(one.st == TP_OK, want == TP_OK); /* whichever bad row comes first */
    static const unsigned counts[] = {2, 3, 4, 0};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        outcome many = read_events(text, len, counts[i], mode, policy);
        expect_same(&one, &many, counts[i]);
    }
    free(one.state);
}

static void test_events_lenient(void)
{
    size_t len;
    char *text = events_text(120000, 0, &len);
    CU_ASSERT_FATAL(len > 4u << 20); /* four pieces of at least 1 MiB */
    check_events(text, len, TP_ON_ERROR_SKIP, TP_UNKNOWN_REGISTER, TP_OK);
    check_events(text, len, TP_ON_ERROR_SKIP, TP_UNKNOWN_REJECT, TP_OK);
    /* The test means something: the input has bad rows and new touchpoints. */
    outcome one = read_events(text, len, 2, TP_ON_ERROR_SKIP, TP_UNKNOWN_REGISTER);
    ASSERT_CONTAINS(one.state, "new-39");
    ASSERT_CONTAINS(one.state, "cannot parse timestamp");
    ASSERT_CONTAINS(one.state, "unknown event type");
    ASSERT_CONTAINS(one.state, "expected 8 fields");
    free(one.state);
    free(text);
}

static void count_call(void *data, uint64_t done, uint64_t total, uint64_t rows)
{
    (void)total;
    (void)rows;
    uint64_t *calls = data;
    CU_ASSERT(done >= calls[1]);
    calls[0]++;
    calls[1] = done;
}

/* The pieces really are read apart: progress comes once a piece (4 + the end),
 * where one thread reports every 65,536 rows (1 + the end). */
static void test_events_pieces(void)
{
    size_t len;
    char *text = events_text(120000, 0, &len);
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        tp_events *e;
        CU_ASSERT_EQUAL_FATAL(tp_events_new(&e, NULL), TP_OK);
        uint64_t calls[2] = {0, 0};
        tp_read_options o;
        tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
        o.threads = threads;
        o.progress = count_call;
        o.progress_data = calls;
        ASSERT_OK(tp_events_read_csv_buffer(e, text, len, NULL, &o, NULL));
        CU_ASSERT_EQUAL(calls[0], threads == 1 ? 2u : 5u);
        CU_ASSERT_EQUAL(calls[1], len);
        tp_events_free(e);
    }
    free(text);
}

static void test_events_strict(void)
{
    size_t len;
    char *text = events_text(120000, 0, &len);
    /* The first bad row (in the first piece) fails the call; so does one that
     * only the last piece holds. */
    check_events(text, len, TP_ON_ERROR_STOP, TP_UNKNOWN_REGISTER, TP_EINVAL);
    buf b = {0};
    add(&b, "customer_id,timestamp,touchpoint\n");
    for (size_t i = 0; i < 150000; i++)
        add(&b, "c%zu,%llu,website\n", i % 777, 1700000000000ull + i);
    add(&b, "c1,1700000000000,nowhere\n");
    outcome one = read_events(b.s, b.len, 1, TP_ON_ERROR_STOP, TP_UNKNOWN_REJECT);
    CU_ASSERT_EQUAL(one.st, TP_ENOTFOUND);
    ASSERT_CONTAINS(one.message, "big.csv:150002:3: touchpoint");
    outcome many = read_events(b.s, b.len, 3, TP_ON_ERROR_STOP, TP_UNKNOWN_REJECT);
    expect_same(&one, &many, 3);
    free(one.state);
    free(b.s);
    free(text);
}

static void test_events_cut_in_quotes(void)
{
    size_t len;
    char *text = events_text(40000, 1, &len);
    check_events(text, len, TP_ON_ERROR_SKIP, TP_UNKNOWN_REGISTER, TP_OK);
    free(text);
}

/* A path export: 1-10 touches over the known names and, from time to time, a
 * name first met late in the file; bad rows of several kinds (a negative or
 * missing count, too few fields, a control character in a name, a path of
 * separators only); quoted paths; with `long_field`, one quoted path of 2.5 MB
 * full of line breaks in the middle (a bad row, and a cut inside it); with
 * `huge`, two rows of 1e308 conversions far apart (refused as beyond 1e15, so
 * no set's total can overflow a double). */
static char *paths_text(size_t rows, int long_field, int huge, size_t *len)
{
    buf b = {0};
    uint64_t st = 11;
    add(&b, "path,conversions,value,nulls\n");
    for (size_t i = 0; i < rows; i++) {
        uint32_t r = rnd(&st), n = 1 + r % 10;
        if (long_field && i == rows / 2) {
            add(&b, "\"website > ");
            for (int k = 0; k < 50000; k++)
                add(&b, "line %d of a long name, with a comma\n", k);
            add(&b, "end\",1,0,0\n");
            continue;
        }
        if (huge && (i == rows / 5 || i == rows * 4 / 5)) {
            add(&b, "website > store,1e308,0,0\n");
            continue;
        }
        switch (r % 397) {
        case 0: add(&b, "website > store,-1,0,0\n"); continue;
        case 1: add(&b, "website > store,,0,0\n"); continue;
        case 2: add(&b, "website > store,1\n"); continue;
        case 3: add(&b, "web\x01site > store,1,0,0\n"); continue;
        case 4: add(&b, " >  > ,1,0,0\n"); continue;
        default: break;
        }
        int quoted = r % 13 == 0;
        add(&b, "%s", quoted ? "\"" : "");
        for (uint32_t k = 0; k < n; k++) {
            uint32_t q = rnd(&st);
            char fresh[32];
            const char *tp = pick_tp(&st, q, 211, "late", 50, fresh, sizeof fresh);
            add(&b, "%s%s", k ? " > " : "", tp);
        }
        add(&b, "%s,%u,%.2f,%u\n", quoted ? "\"" : "", r % 3 == 0, (double)(r % 500) / 4.0,
            r % 3 != 0);
    }
    *len = b.len;
    return b.s;
}

/* Everything a path read leaves: the paths, the names in id order, totals, the log. */
static outcome read_paths(const char *text, size_t len, unsigned threads, tp_on_error mode)
{
    tp_paths *p;
    tp_read_log *r;
    CU_ASSERT_EQUAL_FATAL(tp_paths_new(&p), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_read_log_new(&r), TP_OK);
    const char *first[] = {"store", "zeta"};
    ASSERT_OK(tp_paths_add(p, first, 2, 1, 10, 0)); /* a set that already holds a path */
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.threads = threads;
    o.on_error = mode;
    outcome out;
    out.st = tp_paths_read_csv_buffer(p, text, len, "paths.csv", NULL, &o, r);
    snprintf(out.message, sizeof out.message, "%s", out.st == TP_OK ? "" : tp_last_error());
    buf b = {0};
    tp_table *t;
    ASSERT_OK(tp_paths_to_table(p, NULL, &t));
    char *s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    for (uint32_t i = 0; i < tp__intern_count(&p->names); i++)
        add(&b, "name %u %s\n", i, tp__intern_str(&p->names, i));
    add(&b, "totals %.17g %.17g %.17g\n", tp_paths_conversions(p), tp_paths_value(p),
        tp_paths_nulls(p));
    ASSERT_OK(tp_read_log_to_table(r, &t));
    s = table_csv(t);
    add(&b, "%s read %llu accepted %llu rejected %llu\n", s,
        (unsigned long long)tp_read_log_rows_read(r),
        (unsigned long long)tp_read_log_rows_accepted(r),
        (unsigned long long)tp_read_log_rows_rejected(r));
    free(s);
    out.state = b.s;
    tp_read_log_free(r);
    tp_paths_free(p);
    return out;
}

static void check_paths(const char *text, size_t len, tp_on_error mode)
{
    outcome one = read_paths(text, len, 1, mode);
    static const unsigned counts[] = {2, 3, 4, 0};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        outcome many = read_paths(text, len, counts[i], mode);
        expect_same(&one, &many, counts[i]);
    }
    free(one.state);
}

/* Path exports read on threads equal one thread: lenient and strict, a cut
 * inside a quoted field, a total that overflows only across pieces. */
static void test_paths_threads(void)
{
    size_t len;
    char *text = paths_text(100000, 0, 0, &len);
    CU_ASSERT_FATAL(len > 4u << 20);
    check_paths(text, len, TP_ON_ERROR_SKIP);
    check_paths(text, len, TP_ON_ERROR_STOP);
    outcome one = read_paths(text, len, 2, TP_ON_ERROR_SKIP);
    ASSERT_CONTAINS(one.state, "late-49");
    ASSERT_CONTAINS(one.state, "must be >= 0");
    ASSERT_CONTAINS(one.state, "control character");
    ASSERT_CONTAINS(one.state, "path has no touchpoint");
    free(one.state);
    free(text);
    text = paths_text(40000, 1, 0, &len);
    check_paths(text, len, TP_ON_ERROR_SKIP);
    free(text);
    /* Amounts above 1e15 are refused row by row, whichever piece holds them. */
    text = paths_text(100000, 0, 1, &len);
    check_paths(text, len, TP_ON_ERROR_SKIP);
    one = read_paths(text, len, 3, TP_ON_ERROR_SKIP);
    ASSERT_CONTAINS(one.state, "beyond the accepted range");
    free(one.state);
    free(text);
}

/* Feedback: metrics and audit items, comments with line breaks (redacted),
 * weights, attributes, new touchpoints, bad rows. */
static char *feedback_text(size_t rows, size_t *len)
{
    static const char *const metrics[] = {"nps", "csat", "ces", "rating", "audit:greeting",
                                          "audit:clean"};
    buf b = {0};
    uint64_t st = 7;
    add(&b, "customer_id,timestamp,touchpoint,metric,score,comment,weight,store\n");
    for (size_t i = 0; i < rows; i++) {
        uint32_t r = rnd(&st);
        char fresh[32];
        const char *tp = pick_tp(&st, r, 89, "kiosk", 30, fresh, sizeof fresh);
        const char *m = metrics[r % 6];
        int score = m[0] == 'n' ? (int)(r % 11) : m[0] == 'a' ? (r % 2 ? 100 : 0) : 1 + (int)(r % 5);
        unsigned cust = rnd(&st) % 3000;
        long long t = 1700000000000ll + (long long)(rnd(&st) % 100000000u);
        if (r % 333 == 0) {
            add(&b, "c%u,%lld,%s,nps,12,,,s1\n", cust, t, tp); /* out of range */
            continue;
        }
        if (r % 9 == 0)
            add(&b, "c%u,%lld,%s,%s,%d,\"call me on +44 20 7946 0958\nor mail a@b.example\","
                    "%s,s%u\n",
                cust, t, tp, m, score, m[0] == 'a' ? "2" : "", r % 4);
        else
            add(&b, "c%u,%lld,%s,%s,%d,%s,,s%u\n", cust, t, tp, m, score,
                r % 5 ? "" : "fine", r % 4);
    }
    *len = b.len;
    return b.s;
}

static outcome read_feedback(const char *text, size_t len, unsigned threads)
{
    tp_catalog *c;
    tp_feedback *f;
    tp_read_log *r;
    CU_ASSERT_EQUAL_FATAL(tp_catalog_new_default(&c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_feedback_new(&f, c), TP_OK);
    CU_ASSERT_EQUAL_FATAL(tp_read_log_new(&r), TP_OK);
    ASSERT_OK(tp_feedback_append(f, "c1", 1690000000000, "website", "nps", 9, 1, "early"));
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.threads = threads;
    o.redact = TP_REDACT_ALL;
    outcome out;
    out.st = tp_feedback_read_csv_buffer(f, text, len, "answers.csv", &o, r);
    snprintf(out.message, sizeof out.message, "%s", out.st == TP_OK ? "" : tp_last_error());
    tp_table *t;
    buf b = {0};
    ASSERT_OK(tp_feedback_to_table(f, &t));
    char *s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    ASSERT_OK(tp_catalog_to_table(c, &t));
    s = table_csv(t);
    add(&b, "%s", s);
    free(s);
    ASSERT_OK(tp_read_log_to_table(r, &t));
    s = table_csv(t);
    add(&b, "%s read %llu accepted %llu rejected %llu\n", s,
        (unsigned long long)tp_read_log_rows_read(r), (unsigned long long)tp_read_log_rows_accepted(r),
        (unsigned long long)tp_read_log_rows_rejected(r));
    free(s);
    out.state = b.s;
    tp_read_log_free(r);
    tp_feedback_free(f);
    tp_catalog_free(c);
    return out;
}

static void test_feedback(void)
{
    size_t len;
    char *text = feedback_text(90000, &len);
    CU_ASSERT_FATAL(len > 4u << 20);
    outcome one = read_feedback(text, len, 1);
    ASSERT_OK(one.st);
    ASSERT_CONTAINS(one.state, "kiosk-29");
    ASSERT_CONTAINS(one.state, "[phone]");
    ASSERT_CONTAINS(one.state, "answers.csv");
    static const unsigned counts[] = {2, 3, 0};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        outcome many = read_feedback(text, len, counts[i]);
        expect_same(&one, &many, counts[i]);
    }
    free(one.state);
    free(text);
}

/* Small inputs stay on one thread; a bad thread count is refused. */
static void test_options(void)
{
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(o.threads, 1u);
    CU_ASSERT_EQUAL(o.version, (unsigned)TP_READ_OPTIONS_VERSION);
    tp_events *e;
    CU_ASSERT_EQUAL_FATAL(tp_events_new(&e, NULL), TP_OK);
    static const char small[] = "customer_id,timestamp,touchpoint\nc1,1700000000000,web\n";
    o.threads = 257;
    ASSERT_STATUS(tp_events_read_csv_buffer(e, small, sizeof small - 1, NULL, &o, NULL),
                  TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "threads 257");
    o.threads = 8;
    ASSERT_OK(tp_events_read_csv_buffer(e, small, sizeof small - 1, NULL, &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(e), 1u);
    /* An older caller's options (version 3) read on one thread. */
    o.version = 3;
    o.threads = 999;
    ASSERT_OK(tp_events_read_csv_buffer(e, small, sizeof small - 1, NULL, &o, NULL));
    CU_ASSERT_EQUAL(tp_events_count(e), 2u);
    tp_events_free(e);
}

int main(void)
{
    static const tp_test tests[] = {TP_TEST(test_events_lenient), TP_TEST(test_events_pieces),
                                    TP_TEST(test_paths_threads),
                                    TP_TEST(test_events_strict),
                                    TP_TEST(test_events_cut_in_quotes), TP_TEST(test_feedback),
                                    TP_TEST(test_options), TP_TESTS_END};
    static const tp_suite suites[] = {{"threads", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
