/*
 * Versioned structs are safe in both directions: a caller built against an
 * older header hands the library a shorter struct, and the library neither
 * writes nor reads a byte past the fields of the version the struct says it has.
 *
 * The layouts below are the structs as each old header declared them, written
 * out here on their own (not taken from today's header), followed in memory by
 * canary bytes that must survive every call.
 */
#include <stddef.h>
#include <stdint.h>

#include "testutil.h"

#define END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define CANARY 0xA5
#define BUF 256

/* tp_read_options as versions 1-7 of touchpoint/ingest.h declared it. */
typedef struct {
    unsigned int version;
    tp_on_error on_error;
    tp_epoch_unit epoch_unit;
    char delimiter;
    size_t max_field_bytes;
} read_options_v1;
typedef struct {
    read_options_v1 v1;
    tp_progress_fn progress;
    void *progress_data;
} read_options_v2;
typedef struct {
    read_options_v2 v2;
    unsigned int redact;
} read_options_v3;
typedef struct {
    read_options_v2 v2;
    unsigned int redact;
    unsigned int threads;
} read_options_v4;
typedef struct {
    read_options_v4 v4;
    uint64_t max_input_bytes;
} read_options_v5;
typedef struct {
    read_options_v5 v5;
    const char *columns;
} read_options_v6;
typedef struct {
    read_options_v6 v6;
    int (*check)(void *, uint64_t, uint64_t, uint64_t);
    void *check_data;
} read_options_v7;

/* Where the last field of each version ends. */
static const size_t read_options_end[] = {
    0,
    END_OF(read_options_v1, max_field_bytes),
    END_OF(read_options_v2, progress_data),
    END_OF(read_options_v3, redact),
    END_OF(read_options_v4, threads),
    END_OF(read_options_v5, max_input_bytes),
    END_OF(read_options_v6, columns),
    END_OF(read_options_v7, check_data),
};

/* tp_touchpoint_def as version 1 of touchpoint/catalog.h declared it. */
typedef struct {
    unsigned int version;
    const char *id, *name, *stage, *channel;
    tp_kind kind;
    const char *owner, *expectation;
    double weight;
    const char *parent;
} touchpoint_def_v1;

/* tp_report_options as version 1 of touchpoint/report.h declared it. */
typedef struct {
    unsigned int version;
    const char *title, *source;
    const tp_funnel *funnel;
    const tp_read_log *log;
    tp_group credit_by;
} report_options_v1;

typedef union {
    unsigned char bytes[BUF];
    max_align_t align;
} buffer;

static void fill(buffer *b) { memset(b->bytes, CANARY, sizeof b->bytes); }

/* Whether every byte from @p from on still holds the canary. */
static int intact_from(const buffer *b, size_t from)
{
    for (size_t i = from; i < sizeof b->bytes; i++)
        if (b->bytes[i] != CANARY)
            return 0;
    return 1;
}

static void test_read_options_init_writes_only_its_version(void)
{
    CU_ASSERT_EQUAL(TP_READ_OPTIONS_VERSION, 7);
    for (unsigned v = 1; v <= 7; v++) {
        buffer b;
        fill(&b);
        ASSERT_OK(tp_read_options_init((tp_read_options *)(void *)b.bytes, v));
        CU_ASSERT(intact_from(&b, read_options_end[v]));
        read_options_v7 got7;
        memcpy(&got7, b.bytes, sizeof got7);
        read_options_v6 got6 = got7.v6;
        read_options_v5 got5 = got6.v5;
        read_options_v4 got = got5.v4;
        CU_ASSERT_EQUAL(got.v2.v1.version, v);
        CU_ASSERT_EQUAL(got.v2.v1.on_error, TP_ON_ERROR_SKIP);
        CU_ASSERT_EQUAL(got.v2.v1.epoch_unit, TP_EPOCH_AUTO);
        CU_ASSERT_EQUAL(got.v2.v1.delimiter, ',');
        CU_ASSERT_EQUAL(got.v2.v1.max_field_bytes, 1u << 20);
        if (v >= 2)
            CU_ASSERT(got.v2.progress == NULL && got.v2.progress_data == NULL);
        if (v >= 3)
            CU_ASSERT_EQUAL(got.redact, TP_REDACT_NONE);
        if (v >= 4)
            CU_ASSERT_EQUAL(got.threads, 1);
        if (v >= 5)
            CU_ASSERT_EQUAL(got5.max_input_bytes, TP_DEFAULT_MAX_INPUT_BYTES);
        if (v >= 6)
            CU_ASSERT_PTR_NULL(got6.columns);
        if (v >= 7)
            CU_ASSERT(got7.check == NULL && got7.check_data == NULL);
    }
    /* Unknown versions and NULL: refused, nothing written. */
    unsigned bad[] = {0, 8, 1000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buffer b;
        fill(&b);
        ASSERT_STATUS(tp_read_options_init((tp_read_options *)(void *)b.bytes, bad[i]), TP_EINVAL);
        CU_ASSERT(intact_from(&b, 0));
    }
    ASSERT_STATUS(tp_read_options_init(NULL, TP_READ_OPTIONS_VERSION), TP_EINVAL);
}

static void test_read_options_static_initializer_is_the_default(void)
{
    tp_read_options a = TP_READ_OPTIONS_INIT, b;
    memset(&b, 0x5A, sizeof b);
    ASSERT_OK(tp_read_options_init(&b, TP_READ_OPTIONS_VERSION));
    CU_ASSERT_EQUAL(a.version, b.version);
    CU_ASSERT_EQUAL(a.on_error, b.on_error);
    CU_ASSERT_EQUAL(a.epoch_unit, b.epoch_unit);
    CU_ASSERT_EQUAL(a.delimiter, b.delimiter);
    CU_ASSERT_EQUAL(a.max_field_bytes, b.max_field_bytes);
    CU_ASSERT(a.progress == b.progress && a.progress_data == b.progress_data);
    CU_ASSERT_EQUAL(a.redact, b.redact);
    CU_ASSERT_EQUAL(a.threads, b.threads);
    CU_ASSERT_EQUAL(a.max_input_bytes, b.max_input_bytes);
    CU_ASSERT(a.columns == b.columns && a.columns == NULL);
    CU_ASSERT(a.check == b.check && a.check == NULL && a.check_data == b.check_data);
}

static int progress_calls;
static void count_progress(void *data, uint64_t done, uint64_t total, uint64_t rows)
{
    (void)data, (void)done, (void)total, (void)rows;
    progress_calls++;
}

static const char events_csv[] = "customer_id,timestamp,touchpoint\n"
                                 "c1,2026-03-01T10:00:00Z,website\n"
                                 "c2,2026-03-01T11:00:00Z,store\n";
static const char feedback_csv[] = "customer_id,timestamp,touchpoint,metric,score,comment\n"
                                   "c1,2026-03-01T10:00:00Z,website,nps,9,write to a@example.com\n";

/* Options of an old version whose missing fields are canary bytes: read as
 * fields, they would be a wild progress pointer, invalid redact bits and
 * 0xA5A5A5A5 threads, each of which fails or crashes the read. */
static void test_reads_ignore_fields_past_the_callers_version(void)
{
    for (unsigned v = 1; v <= 3; v++) {
        buffer b;
        fill(&b);
        ASSERT_OK(tp_read_options_init((tp_read_options *)(void *)b.bytes, v));
        if (v >= 2) {
            read_options_v2 o;
            memcpy(&o, b.bytes, sizeof o);
            o.progress = count_progress;
            memcpy(b.bytes, &o, sizeof o);
        }
        if (v == 3) {
            unsigned redact = TP_REDACT_EMAIL;
            memcpy(b.bytes + offsetof(read_options_v3, redact), &redact, sizeof redact);
        }
        const tp_read_options *opts = (const tp_read_options *)(const void *)b.bytes;
        tp_events *e = NULL;
        tp_feedback *f = NULL;
        ASSERT_OK(tp_events_new(&e, NULL));
        ASSERT_OK(tp_feedback_new(&f, NULL));
        progress_calls = 0;
        ASSERT_OK(tp_events_read_csv_buffer(e, events_csv, sizeof events_csv - 1, "e.csv", opts,
                                            NULL));
        CU_ASSERT_EQUAL(tp_events_count(e), 2);
        CU_ASSERT(v >= 2 ? progress_calls > 0 : progress_calls == 0);
        ASSERT_OK(tp_feedback_read_csv_buffer(f, feedback_csv, sizeof feedback_csv - 1, "f.csv",
                                              opts, NULL));
        CU_ASSERT_STRING_EQUAL(tp_feedback_comment(f, 0),
                               v == 3 ? "write to [email]" : "write to a@example.com");
        CU_ASSERT(intact_from(&b, read_options_end[v])); /* reads write nothing */
        tp_events_free(e);
        tp_feedback_free(f);
    }
}

static void test_touchpoint_def_writes_and_reads_only_its_version(void)
{
    CU_ASSERT_EQUAL(TP_TOUCHPOINT_DEF_VERSION, 1);
    size_t end = END_OF(touchpoint_def_v1, parent);
    buffer b;
    fill(&b);
    ASSERT_OK(tp_touchpoint_def_init((tp_touchpoint_def *)(void *)b.bytes, 1));
    CU_ASSERT(intact_from(&b, end));
    touchpoint_def_v1 d;
    memcpy(&d, b.bytes, sizeof d);
    CU_ASSERT(d.version == 1 && d.weight == 1.0 && d.kind == TP_KIND_UNKNOWN);
    CU_ASSERT(!d.id && !d.name && !d.stage && !d.channel && !d.owner && !d.expectation &&
              !d.parent);

    /* Add from a version-1 struct followed by canary bytes, read it back into another. */
    tp_catalog *c = NULL;
    ASSERT_OK(tp_catalog_new(&c));
    d.id = "store";
    d.stage = "during";
    d.owner = "retail";
    d.kind = TP_KIND_PHYSICAL;
    d.weight = 2.5;
    memcpy(b.bytes, &d, sizeof d);
    size_t index = 99;
    ASSERT_OK(tp_catalog_add_touchpoint(c, (const tp_touchpoint_def *)(const void *)b.bytes, &index));
    fill(&b);
    ASSERT_OK(tp_touchpoint_def_init((tp_touchpoint_def *)(void *)b.bytes, 1));
    ASSERT_OK(tp_catalog_get_touchpoint(c, index, (tp_touchpoint_def *)(void *)b.bytes));
    CU_ASSERT(intact_from(&b, end));
    touchpoint_def_v1 got;
    memcpy(&got, b.bytes, sizeof got);
    CU_ASSERT_STRING_EQUAL(got.id, "store");
    CU_ASSERT_STRING_EQUAL(got.owner, "retail");
    CU_ASSERT(got.kind == TP_KIND_PHYSICAL && got.weight == 2.5 && got.version == 1);

    /* Unknown versions: refused, nothing written. */
    fill(&b);
    ASSERT_STATUS(tp_touchpoint_def_init((tp_touchpoint_def *)(void *)b.bytes, 2), TP_EINVAL);
    ASSERT_STATUS(tp_touchpoint_def_init((tp_touchpoint_def *)(void *)b.bytes, 0), TP_EINVAL);
    CU_ASSERT(intact_from(&b, 0));
    unsigned two = 2;
    memcpy(b.bytes, &two, sizeof two);
    ASSERT_STATUS(tp_catalog_get_touchpoint(c, index, (tp_touchpoint_def *)(void *)b.bytes),
                  TP_EINVAL);
    CU_ASSERT(intact_from(&b, sizeof two));
    tp_catalog_free(c);

    tp_touchpoint_def s = TP_TOUCHPOINT_DEF_INIT;
    CU_ASSERT(s.version == TP_TOUCHPOINT_DEF_VERSION && s.weight == 1.0 && s.kind == TP_KIND_UNKNOWN);
}

static void test_report_options_write_and_read_only_their_version(void)
{
    CU_ASSERT_EQUAL(TP_REPORT_OPTIONS_VERSION, 1);
    size_t end = END_OF(report_options_v1, credit_by);
    buffer b;
    fill(&b);
    ASSERT_OK(tp_report_options_init((tp_report_options *)(void *)b.bytes, 1));
    CU_ASSERT(intact_from(&b, end));
    report_options_v1 o;
    memcpy(&o, b.bytes, sizeof o);
    CU_ASSERT(o.version == 1 && !o.title && !o.source && !o.funnel && !o.log &&
              o.credit_by == TP_GROUP_CHANNEL);

    /* A report built from a version-1 struct followed by canary bytes reads only it. */
    tp_catalog *c = NULL;
    static const char csv[] = "customer_id,timestamp,touchpoint,type\n"
                              "a,1,website,interaction\na,2,online-purchase,conversion\n";
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    o.title = "v1 title";
    o.credit_by = TP_GROUP_STAGE;
    memcpy(b.bytes, &o, sizeof o);
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, e, NULL, NULL, NULL, (const tp_report_options *)(void *)b.bytes));
    char *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    ASSERT_CONTAINS(json, "\"title\": \"v1 title\"");
    ASSERT_CONTAINS(json, "\"by\": \"stage\"");
    CU_ASSERT(intact_from(&b, end));
    tp_free(json);
    tp_report_free(r);

    fill(&b);
    ASSERT_STATUS(tp_report_options_init((tp_report_options *)(void *)b.bytes, 2), TP_EINVAL);
    ASSERT_STATUS(tp_report_options_init((tp_report_options *)(void *)b.bytes, 0), TP_EINVAL);
    CU_ASSERT(intact_from(&b, 0));
    tp_events_free(e);
    tp_catalog_free(c);
    tp_report_options s = TP_REPORT_OPTIONS_INIT;
    CU_ASSERT(s.version == TP_REPORT_OPTIONS_VERSION && s.credit_by == TP_GROUP_CHANNEL);
}

static const tp_test version_tests[] = {
    TP_TEST(test_read_options_init_writes_only_its_version),
    TP_TEST(test_read_options_static_initializer_is_the_default),
    TP_TEST(test_reads_ignore_fields_past_the_callers_version),
    TP_TEST(test_touchpoint_def_writes_and_reads_only_its_version),
    TP_TEST(test_report_options_write_and_read_only_their_version),
    TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"versioned structs", version_tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
