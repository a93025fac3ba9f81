/* lib/core: status and errors, UTF-8, interning, time, allocator hooks. */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/civil.h"
#include "core/file.h"
#include "core/intern.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "core/xsum.h"
#include "testutil.h"

static void test_status_strings(void)
{
    CU_ASSERT_STRING_EQUAL(tp_status_str(TP_OK), "success");
    CU_ASSERT_STRING_EQUAL(tp_status_str(TP_EPARSE), "parse error");
    CU_ASSERT_STRING_EQUAL(tp_status_str(TP_ELIMIT), "limit exceeded");
    CU_ASSERT_STRING_EQUAL(tp_status_str((tp_status)-99), "unknown status");
    /* Pinned values: part of the ABI. */
    CU_ASSERT_EQUAL(TP_EINVAL, -1);
    CU_ASSERT_EQUAL(TP_ENOMEM, -2);
    CU_ASSERT_EQUAL(TP_EIO, -3);
    CU_ASSERT_EQUAL(TP_EPARSE, -4);
    CU_ASSERT_EQUAL(TP_EVALIDATE, -5);
    CU_ASSERT_EQUAL(TP_ENOTFOUND, -6);
    CU_ASSERT_EQUAL(TP_ECONFLICT, -7);
    CU_ASSERT_EQUAL(TP_ELIMIT, -8);
}

static void test_error_context(void)
{
    tp_clear_error();
    CU_ASSERT_STRING_EQUAL(tp_last_error(), "");
    CU_ASSERT_EQUAL(tp_last_error_status(), TP_OK);
    tp__loc loc = {"events.csv", 12, 3, "timestamp"};
    CU_ASSERT_EQUAL(tp__error_at(TP_EPARSE, &loc, "bad %s", "time"), TP_EPARSE);
    CU_ASSERT_STRING_EQUAL(tp_last_error(), "events.csv:12:3: timestamp: bad time");
    CU_ASSERT_EQUAL(tp_last_error_line(), 12);
    CU_ASSERT_EQUAL(tp_last_error_column(), 3);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "timestamp");
    CU_ASSERT_STRING_EQUAL(tp_last_error_file(), "events.csv");
    CU_ASSERT_EQUAL(tp_last_error_status(), TP_EPARSE);
    tp__error(TP_EINVAL, "plain");
    CU_ASSERT_STRING_EQUAL(tp_last_error(), "plain");
    CU_ASSERT_EQUAL(tp_last_error_line(), 0);
}

static void test_excerpt_escapes(void)
{
    char buf[TP__EXCERPT_CAP];
    tp__excerpt("a\"b\x01\xff", 5, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "a\\\"b\\x01\\xff");
    char longs[100];
    memset(longs, 'x', sizeof longs);
    tp__excerpt(longs, sizeof longs, buf, sizeof buf);
    CU_ASSERT_EQUAL(strlen(buf), 43); /* 40 bytes and "..." */
}

static void test_version(void)
{
    CU_ASSERT_STRING_EQUAL(tp_version_string(), TP_VERSION_STRING);
    CU_ASSERT_EQUAL(tp_version_number(), TP_VERSION_MAJOR * 10000 + TP_VERSION_MINOR * 100 + TP_VERSION_PATCH);
}

static void test_utf8(void)
{
    CU_ASSERT_EQUAL(tp__utf8_check("plain ascii text", 16), (size_t)-1);
    CU_ASSERT_EQUAL(tp__utf8_check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14), (size_t)-1);
    CU_ASSERT_EQUAL(tp__utf8_check("ab\xc0\xaf", 4), 2);          /* overlong '/' */
    CU_ASSERT_EQUAL(tp__utf8_check("\xed\xa0\x80", 3), 0);        /* surrogate */
    CU_ASSERT_EQUAL(tp__utf8_check("\xf4\x90\x80\x80", 4), 0);    /* > U+10FFFF */
    CU_ASSERT_EQUAL(tp__utf8_check("abcdefgh\xe2\x82", 10), 8);   /* truncated */
    CU_ASSERT_PTR_NULL(tp__ident_problem("ok-id", 5));
    CU_ASSERT_PTR_NOT_NULL(tp__ident_problem("", 0));
    CU_ASSERT_PTR_NOT_NULL(tp__ident_problem("a\tb", 3));
    /* C1 controls (U+009B, the terminal's CSI) and bidi controls are refused;
     * other non-ASCII letters are fine. */
    CU_ASSERT_STRING_EQUAL(tp__ident_problem("a\xc2\x9b" "31m", 6), "control character in identifier");
    CU_ASSERT_STRING_EQUAL(tp__ident_problem("evil\xe2\x80\xae" "gnp", 10),
                           "bidirectional control character in identifier");
    CU_ASSERT_PTR_NOT_NULL(tp__ident_problem("x\xe2\x81\xa6", 4)); /* U+2066 */
    CU_ASSERT_PTR_NOT_NULL(tp__ident_problem("x\xe2\x80\x8f", 4)); /* U+200F */
    CU_ASSERT_PTR_NULL(tp__ident_problem("caf\xc3\xa9", 5));         /* U+00E9 */
    CU_ASSERT_PTR_NULL(tp__ident_problem("\xe2\x80\x94" "dash", 7));    /* U+2014 */
    CU_ASSERT_PTR_NULL(tp__ident_problem("\xc2\xa0" "nbsp", 6));         /* U+00A0 */
    /* Printable ASCII is read eight bytes a step: a bad byte is found at any
     * place of any length, the overlapping last step included. */
    static const char *const bad[] = {"\x01", "\x1f", "\x7f", "\x80", "\xff", "\xc2\x85",
                                      "\xe2\x80\xae"};
    char id[48];
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++) {
            memset(id, 'a' + (int)(len % 26), len);
            id[at] = at % 2 ? '~' : ' '; /* the printable edges, 0x7e and 0x20 */
            CU_ASSERT_PTR_NULL(tp__ident_problem(id, len));
            for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
                size_t n = strlen(bad[b]);
                if (at + n > len)
                    continue;
                memcpy(id + at, bad[b], n);
                CU_ASSERT_PTR_NOT_NULL(tp__ident_problem(id, len));
                memset(id + at, 'q', n);
            }
        }
}

static void test_intern(void)
{
    tp__intern p;
    tp__intern_init(&p);
    uint32_t a, b, c, d;
    CU_ASSERT_EQUAL(tp__intern_put(&p, "alpha", 5, &a), 0);
    CU_ASSERT_EQUAL(tp__intern_put(&p, "beta", 4, &b), 0);
    CU_ASSERT_EQUAL(tp__intern_put(&p, "alpha", 5, &c), 0);
    CU_ASSERT_EQUAL(a, 0);
    CU_ASSERT_EQUAL(b, 1);
    CU_ASSERT_EQUAL(c, 0);
    CU_ASSERT_STRING_EQUAL(tp__intern_str(&p, b), "beta");
    tp__intern_mark m = tp__intern_mark_get(&p);
    /* Enough strings to grow the table and add arena chunks. */
    char buf[32];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(buf, sizeof buf, "key-%d", i);
        CU_ASSERT_EQUAL_FATAL(tp__intern_put(&p, buf, (size_t)n, &d), 0);
        CU_ASSERT_EQUAL(d, (uint32_t)i + 2);
    }
    CU_ASSERT_TRUE(tp__intern_find(&p, "key-12345", 9, &d));
    CU_ASSERT_EQUAL(d, 12347);
    tp__intern_rollback(&p, m);
    CU_ASSERT_EQUAL(tp__intern_count(&p), 2);
    CU_ASSERT_FALSE(tp__intern_find(&p, "key-12345", 9, &d));
    CU_ASSERT_TRUE(tp__intern_find(&p, "beta", 4, &d));
    CU_ASSERT_EQUAL(d, 1);
    CU_ASSERT_EQUAL(tp__intern_put(&p, "gamma", 5, &d), 0);
    CU_ASSERT_EQUAL(d, 2);
    tp__intern_free(&p);
}

/* A pool past its small chunks: ids and text survive several 4 MiB chunks, a
 * string larger than a chunk (a chunk of its own), and a rollback to the
 * middle of a large chunk. */
static void test_intern_large_chunks(void)
{
    tp__intern p;
    tp__intern_init(&p);
    enum { KEYS = 400000 };
    char buf[40];
    uint32_t id;
    for (int i = 0; i < KEYS / 2; i++) {
        int n = snprintf(buf, sizeof buf, "customer-%08d", i);
        CU_ASSERT_EQUAL_FATAL(tp__intern_put(&p, buf, (size_t)n, &id), 0);
    }
    size_t huge_len = ((size_t)5 << 20) + 3;
    char *huge = malloc(huge_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(huge);
    for (size_t i = 0; i < huge_len; i++)
        huge[i] = (char)('a' + i % 26);
    CU_ASSERT_EQUAL(tp__intern_put(&p, huge, huge_len, &id), 0);
    CU_ASSERT_EQUAL(id, KEYS / 2);
    tp__intern_mark m = tp__intern_mark_get(&p);
    for (int i = KEYS / 2; i < KEYS; i++) {
        int n = snprintf(buf, sizeof buf, "customer-%08d", i);
        CU_ASSERT_EQUAL_FATAL(tp__intern_put(&p, buf, (size_t)n, &id), 0);
        CU_ASSERT_EQUAL(id, (uint32_t)i + 1);
    }
    int wrong = 0;
    for (int i = 0; i < KEYS; i++) {
        int n = snprintf(buf, sizeof buf, "customer-%08d", i);
        uint32_t want = (uint32_t)(i < KEYS / 2 ? i : i + 1);
        wrong += !tp__intern_find(&p, buf, (size_t)n, &id) || id != want ||
                 strcmp(tp__intern_str(&p, want), buf) != 0;
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_TRUE(tp__intern_find(&p, huge, huge_len, &id));
    CU_ASSERT_EQUAL(id, KEYS / 2);
    CU_ASSERT_EQUAL(memcmp(tp__intern_str(&p, KEYS / 2), huge, huge_len), 0);
    tp__intern_rollback(&p, m);
    CU_ASSERT_EQUAL(tp__intern_count(&p), KEYS / 2 + 1);
    CU_ASSERT_FALSE(tp__intern_find(&p, "customer-00300000", 17, &id));
    CU_ASSERT_TRUE(tp__intern_find(&p, "customer-00100000", 17, &id));
    CU_ASSERT_EQUAL(id, 100000);
    CU_ASSERT_EQUAL(tp__intern_put(&p, "customer-00300000", 17, &id), 0);
    CU_ASSERT_EQUAL(id, KEYS / 2 + 1);
    free(huge);
    tp__intern_free(&p);
}

/* Blocks (tp__intern_put_block, the reader's queue, tp__intern_map_into) give
 * the ids of one put after another: the same strings, with repeats inside a
 * block and across blocks, an empty string and long keys, through many table
 * growths, interned both ways. */
static void test_intern_blocks(void)
{
    enum { N = 30000 };
    static char text[N][40];
    static uint32_t one[N], queued[N];
    uint32_t len[N];
    const char *s[N];
    uint64_t x = 88172645463325252ULL; /* xorshift: a fixed, repeating draw */
    for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        unsigned pick = (unsigned)(x % 9000); /* about three uses of each key */
        int n = pick == 0      ? 0
                : pick % 7 == 0 ? snprintf(text[i], sizeof text[i], "a-long-customer-key-%u", pick)
                                : snprintf(text[i], sizeof text[i], "C%07u", pick);
        if (i % 97 == 1) { /* the string before, again, inside the block */
            n = (int)len[i - 1];
            memcpy(text[i], text[i - 1], sizeof text[i]);
        }
        s[i] = text[i];
        len[i] = (uint32_t)n;
    }
    tp__intern a, b, c;
    tp__intern_init(&a);
    tp__intern_init(&b);
    tp__intern_init(&c);
    for (int i = 0; i < N; i++)
        CU_ASSERT_EQUAL_FATAL(tp__intern_put(&a, s[i], len[i], &one[i]), 0);
    /* Blocks of every size from 1 to TP__INTERN_BLOCK, in turn. */
    uint32_t ids[TP__INTERN_BLOCK];
    size_t k = 1;
    for (size_t i = 0; i < N; k = k % TP__INTERN_BLOCK + 1) {
        size_t n = N - i < k ? N - i : k;
        CU_ASSERT_EQUAL_FATAL(tp__intern_put_block(&b, n, s + i, len + i, ids), 0);
        for (size_t j = 0; j < n; j++)
            CU_ASSERT_EQUAL(ids[j], one[i + j]);
        i += n;
    }
    CU_ASSERT_EQUAL(tp__intern_put_block(&b, TP__INTERN_BLOCK + 1, s, len, ids), -1);
    /* The queue, written out of order into its column (`at` is the row). */
    tp__intern_queue q = {0};
    for (int i = 0; i < N; i++)
        CU_ASSERT_EQUAL_FATAL(tp__intern_queue_add(&q, &c, queued, s[i], len[i], (size_t)i), 0);
    CU_ASSERT_EQUAL(tp__intern_queue_flush(&q, &c, queued), 0);
    CU_ASSERT_EQUAL(q.n, 0);
    CU_ASSERT_EQUAL(memcmp(queued, one, sizeof one), 0);
    CU_ASSERT_EQUAL(tp__intern_count(&b), tp__intern_count(&a));
    CU_ASSERT_EQUAL(tp__intern_count(&c), tp__intern_count(&a));
    for (uint32_t id = 0; id < tp__intern_count(&a); id++) {
        CU_ASSERT_EQUAL(tp__intern_len(&b, id), tp__intern_len(&a, id));
        CU_ASSERT_STRING_EQUAL(tp__intern_str(&b, id), tp__intern_str(&a, id));
    }
    /* map_into (blocks too): a's strings into a pool that holds some already. */
    static uint32_t map[N];
    tp__intern d;
    tp__intern_init(&d);
    uint32_t first;
    CU_ASSERT_EQUAL(tp__intern_put(&d, s[5], len[5], &first), 0);
    CU_ASSERT_EQUAL(tp__intern_map_into(&d, &a, map), 0);
    for (uint32_t id = 0; id < tp__intern_count(&a); id++) {
        uint32_t want = id == one[5] ? 0 : id < one[5] ? id + 1 : id;
        CU_ASSERT_EQUAL(map[id], want);
    }
    tp__intern_free(&a);
    tp__intern_free(&b);
    tp__intern_free(&c);
    tp__intern_free(&d);
}

static int64_t T(const char *s)
{
    int64_t v = 0;
    tp_status st = tp_time_parse(s, strlen(s), TP_EPOCH_AUTO, &v);
    return st == TP_OK ? v : (int64_t)st * 1000000000000000LL;
}

static void test_time_parse(void)
{
    /* Worked values: 2026-01-01T00:00:00Z is 1767225600 s after the epoch
     * (56 years, 14 leap days: (56 * 365 + 14) * 86400). */
    CU_ASSERT_EQUAL(T("2026-01-01T00:00:00Z"), 1767225600000LL);
    CU_ASSERT_EQUAL(T("2026-01-01"), 1767225600000LL);
    CU_ASSERT_EQUAL(T("2026-01-01 02:00:00+02:00"), 1767225600000LL);
    CU_ASSERT_EQUAL(T("2025-12-31T19:00-0500"), 1767225600000LL);
    CU_ASSERT_EQUAL(T("2026-01-01T00:00:00.250Z"), 1767225600250LL);
    CU_ASSERT_EQUAL(T("2026-01-01T00:00:00.2509Z"), 1767225600250LL);
    CU_ASSERT_EQUAL(T("1970-01-01T00:00:00Z"), 0);
    CU_ASSERT_EQUAL(T("2024-02-29T12:00:00Z"), 1709208000000LL);
    CU_ASSERT_EQUAL(T("1767225600"), 1767225600000LL);       /* epoch seconds */
    CU_ASSERT_EQUAL(T("1767225600.5"), 1767225600500LL);
    CU_ASSERT_EQUAL(T("1767225600000"), 1767225600000LL);    /* epoch ms */
    CU_ASSERT_EQUAL(T("  1767225600 "), 1767225600000LL);
    CU_ASSERT_EQUAL(T("-86400"), -86400000LL);
    CU_ASSERT_EQUAL(T("1969-12-31"), -86400000LL);
    /* Rejections: class and no partial result. */
    CU_ASSERT_EQUAL(tp_time_parse("2026-13-01", 10, TP_EPOCH_AUTO, &(int64_t){0}), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_time_parse("2025-02-29", 10, TP_EPOCH_AUTO, &(int64_t){0}), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_time_parse("2026-01-01T24:00", 16, TP_EPOCH_AUTO, &(int64_t){0}), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_time_parse("2026-01-01T10:00+19:00", 22, TP_EPOCH_AUTO, &(int64_t){0}), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_time_parse("yesterday", 9, TP_EPOCH_AUTO, &(int64_t){0}), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_time_parse("2026-01-01X", 11, TP_EPOCH_AUTO, &(int64_t){0}), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_time_parse("", 0, TP_EPOCH_AUTO, &(int64_t){0}), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_time_parse("99999999999999999999", 20, TP_EPOCH_AUTO, &(int64_t){0}), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_time_parse("1e9", 3, TP_EPOCH_AUTO, &(int64_t){0}), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_time_parse("1767225600.5", 12, TP_EPOCH_MILLISECONDS, &(int64_t){0}), TP_EPARSE);
    int64_t v;
    ASSERT_OK(tp_time_parse("1000", 4, TP_EPOCH_MILLISECONDS, &v));
    CU_ASSERT_EQUAL(v, 1000);
}

/* tp_time_read(): the reason in the message; tp_time_read_end(): a date alone
 * is the end of its day (2026-01-01 is 1767225600000 ms). */
static void test_time_read(void)
{
    int64_t v = 7;
    ASSERT_OK(tp_time_read(" 2026-01-01 ", TP_EPOCH_AUTO, &v));
    CU_ASSERT_EQUAL(v, 1767225600000LL);
    ASSERT_OK(tp_time_read_end(" 2026-01-01 ", TP_EPOCH_AUTO, &v));
    CU_ASSERT_EQUAL(v, 1767225600000LL + 86400000LL);
    ASSERT_OK(tp_time_read_end("2026-01-01T00:00:00Z", TP_EPOCH_AUTO, &v));
    CU_ASSERT_EQUAL(v, 1767225600000LL);
    ASSERT_OK(tp_time_read_end("2026-01-01 06:00", TP_EPOCH_AUTO, &v));
    CU_ASSERT_EQUAL(v, 1767225600000LL + 6 * 3600000LL);
    ASSERT_OK(tp_time_read_end("1767225600", TP_EPOCH_SECONDS, &v)); /* a number is exact */
    CU_ASSERT_EQUAL(v, 1767225600000LL);
    v = 7;
    CU_ASSERT_EQUAL(tp_time_read("May 1", TP_EPOCH_SECONDS, &v), TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "cannot read 'May 1' as a time: write ISO 8601 (2026-03-01 "
                                     "or 2026-03-01T10:00:00Z) or epoch seconds");
    CU_ASSERT_EQUAL(tp_time_read_end("2026-02-30", TP_EPOCH_AUTO, &v), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "'2026-02-30' is not a valid time: a field");
    CU_ASSERT_EQUAL(tp_time_read_end("9999-12-31", TP_EPOCH_AUTO, &v), TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "its end is out of range");
    CU_ASSERT_EQUAL(v, 7); /* untouched on failure */
    ASSERT_OK(tp_time_read("9999-12-31", TP_EPOCH_AUTO, &v));
    CU_ASSERT_EQUAL(tp_time_read(NULL, TP_EPOCH_AUTO, &v), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_time_read("2026-01-01", TP_EPOCH_AUTO, NULL), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_time_read("2026-01-01", (tp_epoch_unit)9, &v), TP_EINVAL);
}

static void test_time_format_roundtrip(void)
{
    char buf[32];
    ASSERT_OK(tp_time_format(1767225600250LL, buf, sizeof buf));
    CU_ASSERT_STRING_EQUAL(buf, "2026-01-01T00:00:00.250Z");
    ASSERT_OK(tp_time_format(-1, buf, sizeof buf));
    CU_ASSERT_STRING_EQUAL(buf, "1969-12-31T23:59:59.999Z");
    CU_ASSERT_EQUAL(tp_time_format(TP_TIME_MAX + 1, buf, sizeof buf), TP_EINVAL);
    /* Every day across leap years reads back to itself. */
    for (int64_t ms = -4102444800000LL; ms < 4102444800000LL; ms += 86400000LL * 7 + 3723004) {
        int64_t back;
        ASSERT_OK(tp_time_format(ms, buf, sizeof buf));
        ASSERT_OK(tp_time_parse(buf, strlen(buf), TP_EPOCH_AUTO, &back));
        CU_ASSERT_EQUAL_FATAL(back, ms);
    }
}

/* The fixed layout's fast path (YYYY-MM-DDTHH:MM:SS[.sss]Z) gives what the
 * general reader gives for the same instant written with "+00:00", and leaves
 * every wrong text to the general reader's verdict. */
static void test_time_fixed_layout(void)
{
    char buf[40], alt[40];
    for (int64_t ms = -4102444800000LL; ms < 4102444800000LL; ms += 86400000LL * 5 + 3599999) {
        ASSERT_OK(tp_time_format(ms, buf, sizeof buf));
        int64_t a, b, c, d;
        snprintf(alt, sizeof alt, "%.23s+00:00", buf); /* general reader */
        ASSERT_OK(tp_time_parse(buf, 24, TP_EPOCH_AUTO, &a));
        ASSERT_OK(tp_time_parse(alt, strlen(alt), TP_EPOCH_AUTO, &b));
        CU_ASSERT_EQUAL_FATAL(a, b);
        snprintf(alt, sizeof alt, "%.19sZ", buf);
        ASSERT_OK(tp_time_parse(alt, 20, TP_EPOCH_AUTO, &c));
        snprintf(alt, sizeof alt, "%.19s+00:00", buf);
        ASSERT_OK(tp_time_parse(alt, strlen(alt), TP_EPOCH_AUTO, &d));
        CU_ASSERT_EQUAL_FATAL(c, d);
        CU_ASSERT_EQUAL(a - c, ms - (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) * 1000);
    }
    static const struct {
        const char *text;
        tp_status want;
    } wrong[] = {{"2026-02-29T00:00:00Z", TP_EVALIDATE}, {"2024-02-30T00:00:00Z", TP_EVALIDATE},
                 {"2026-13-01T00:00:00Z", TP_EVALIDATE}, {"2026-00-01T00:00:00Z", TP_EVALIDATE},
                 {"2026-01-00T00:00:00Z", TP_EVALIDATE}, {"2026-01-01T24:00:00Z", TP_EVALIDATE},
                 {"2026-01-01T00:60:00Z", TP_EVALIDATE}, {"2026-01-01T00:00:60Z", TP_EVALIDATE},
                 {"2026-01-01T0a:00:00Z", TP_EPARSE},    {"2026-01-01X00:00:00Z", TP_EPARSE},
                 {"2026-01-01T00:00:00.12aZ", TP_EPARSE}, {"2026-01-01T00-00:00Z", TP_EPARSE},
                 {"2026-01-01T00:00:00z", TP_OK},         {"2024-02-29T23:59:59.999Z", TP_OK}};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        int64_t v;
        CU_ASSERT_EQUAL(tp_time_parse(wrong[i].text, strlen(wrong[i].text), TP_EPOCH_AUTO, &v),
                        wrong[i].want);
    }
}

/* The day cache of the readers answers as tp_time_parse does, text after
 * text: the cached day with good and bad times of day, other days, other
 * layouts, and texts that only look like the layout. */
static void test_time_day_cache(void)
{
    static const char *const texts[] = {
        "2026-03-01T10:00:00Z",     "2026-03-01T10:00:01.250Z", "2026-03-01T23:59:59Z",
        "2026-03-01T24:00:00Z",     "2026-03-01T10:60:00Z",     "2026-03-01T10:00:6xZ",
        "2026-03-01 10:00:00Z",     "2026-03-01T10:00:00z",     "2026-03-01T10:00:00+02:00",
        " 2026-03-01T10:00:00Z",    "2026-03-01T10:00:00Z ",    "2026-03-01T10:00:00.5Z",
        "2026-03-02T00:00:00Z",     "2026-03-01T00:00:00.000Z", "1772359200",
        "2026-02-29T10:00:00Z",     "2024-02-29T10:00:00Z",     "2024-02-29T10:00:00.999Z",
        "2026-03-01",               "9999-12-31T23:59:59.999Z", "2026-03-01T10:00:00X"};
    size_t n = sizeof texts / sizeof texts[0];
    tp__day_cache day;
    memset(&day, 0, sizeof day);
    uint64_t x = 5;
    for (int round = 0; round < 3000; round++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *t = texts[(x >> 33) % n];
        int64_t a = -1, b = -1;
        tp_status sa = tp__time_parse_cached(&day, t, strlen(t), TP_EPOCH_AUTO, &a);
        tp_status sb = tp_time_parse(t, strlen(t), TP_EPOCH_AUTO, &b);
        CU_ASSERT_EQUAL_FATAL(sa, sb);
        if (sb == TP_OK)
            CU_ASSERT_EQUAL_FATAL(a, b);
    }
    CU_ASSERT_TRUE(day.valid);
}

static void test_duration_parse(void)
{
    static const struct {
        const char *text;
        int64_t ms;
    } good[] = {{"30d", 2592000000LL}, {"12h", 43200000LL}, {"1.5h", 5400000LL},
                {"90m", 5400000LL},   {"45s", 45000LL},     {"0.001s", 1LL},
                {"1500ms", 1500LL},   {"1.234s", 1234LL},   {"0.6ms", 1LL}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t ms = -1;
        ASSERT_OK(tp_duration_parse(good[i].text, strlen(good[i].text), &ms));
        CU_ASSERT_EQUAL(ms, good[i].ms);
    }
    static const char *const bad[] = {"", "d", "7", "7x", "-1d", "0s", "1e30d", "7 d", "nand",
                                      "ms", "0.4ms", "5 ms"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 42;
        CU_ASSERT_EQUAL(tp_duration_parse(bad[i], strlen(bad[i]), &ms), TP_EINVAL);
        CU_ASSERT_EQUAL(ms, 42);
    }
    int64_t ms;
    CU_ASSERT_EQUAL(tp_duration_parse(NULL, 0, &ms), TP_EINVAL);
    /* only the first len bytes count */
    ASSERT_OK(tp_duration_parse("2hours", 2, &ms));
    CU_ASSERT_EQUAL(ms, 7200000LL);
    /* The shortest text reads back exactly. */
    static const struct {
        int64_t ms;
        const char *text;
    } fmt[] = {{172800000LL, "2d"}, {129600000LL, "36h"}, {5400000LL, "90m"},
               {45000LL, "45s"},    {1500LL, "1500ms"},   {1LL, "1ms"}};
    for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
        char text[48];
        tp__format_duration(fmt[i].ms, text, sizeof text);
        CU_ASSERT_STRING_EQUAL(text, fmt[i].text);
        ASSERT_OK(tp_duration_parse(text, strlen(text), &ms));
        CU_ASSERT_EQUAL(ms, fmt[i].ms);
    }
}

static void test_parse_double(void)
{
    double v;
    ASSERT_OK(tp__parse_double("12.5", 4, &v));
    CU_ASSERT_DOUBLE_EQUAL(v, 12.5, 0);
    ASSERT_OK(tp__parse_double("-1e3", 4, &v));
    CU_ASSERT_DOUBLE_EQUAL(v, -1000, 0);
    CU_ASSERT_EQUAL(tp__parse_double("NaN", 3, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp__parse_double("inf", 3, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp__parse_double("0x10", 4, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp__parse_double("1e999", 5, &v), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp__parse_double("1,5", 3, &v), TP_EPARSE);
    CU_ASSERT_EQUAL(tp__parse_double("", 0, &v), TP_EPARSE);
    /* The short-decimal path gives strtod's double, bit for bit: random
     * numbers of 1 to 17 digits (past 15 strtod reads them), a point anywhere
     * or none, signs, leading zeros, "-0" and ".5" forms. */
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int round = 0; round < 200000; round++) {
        char text[40];
        size_t n = 0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x % 5 == 0)
            text[n++] = x % 10 == 0 ? '-' : '+';
        size_t digits = 1 + (size_t)((x >> 8) % 17), point = (size_t)((x >> 16) % (digits + 2));
        for (size_t k = 0; k < digits; k++) {
            if (k == point && k > 0)
                text[n++] = '.';
            uint64_t d = (x >> (20 + (k * 3) % 40)) % 10;
            text[n++] = (char)('0' + (round % 3 == 0 && k < 3 ? 0 : d));
        }
        if (point == 0 && x % 7 == 0) { /* ".5" */
            memmove(text + 1, text, n);
            text[0] = '.';
            n++;
            if (text[1] == '+' || text[1] == '-') {
                text[0] = text[1];
                text[1] = '.';
            }
        }
        text[n] = '\0';
        double want = strtod(text, NULL), got = -1;
        ASSERT_OK(tp__parse_double(text, n, &got));
        CU_ASSERT_EQUAL_FATAL(memcmp(&got, &want, sizeof got), 0);
    }
    ASSERT_OK(tp__parse_double("-0", 2, &v));
    CU_ASSERT_TRUE(signbit(v));
    ASSERT_OK(tp__parse_double("0.000000000000001", 17, &v));
    CU_ASSERT_EQUAL(v, 1e-15);
}

/* A failing allocator: the Nth allocation (counting from 1) returns NULL. */
static long alloc_count, alloc_fail_at;
static void *fail_malloc(size_t n, void *u)
{
    (void)u;
    return ++alloc_count == alloc_fail_at ? NULL : malloc(n);
}
static void *fail_realloc(void *p, size_t n, void *u)
{
    (void)u;
    return ++alloc_count == alloc_fail_at ? NULL : realloc(p, n);
}
static void plain_free(void *p, void *u)
{
    (void)u;
    free(p);
}

/* Fail each allocation of a CSV read in turn: every failure must report
 * TP_ENOMEM (or a row-level outcome when only the report lost detail), leave the
 * store and catalog unchanged, and leak nothing (ASan checks that). */
static void test_alloc_failure_rollback(void)
{
    static const char csv[] = "customer_id,timestamp,touchpoint,type,value,segment\n"
                              "c1,2026-01-01,website,,,gold\n"
                              "c2,2026-01-02,brand-new,conversion,12.5,silver\n"
                              "c1,2026-01-03,store,exit,,gold\n";
    CU_ASSERT_EQUAL(tp_set_allocator(fail_malloc, NULL, plain_free, NULL), TP_EINVAL);
    int succeeded = 0;
    for (long n = 1; n < 500 && !succeeded; n++) {
        ASSERT_OK(tp_set_allocator(fail_malloc, fail_realloc, plain_free, NULL));
        alloc_count = 0;
        alloc_fail_at = 0;
        tp_catalog *c = NULL;
        tp_events *e = NULL;
        tp_status st = tp_catalog_new(&c);
        if (st == TP_OK)
            st = tp_events_new(&e, c);
        if (st == TP_OK)
            st = tp_events_append(e, "c0", "website", 0, TP_EVENT_INTERACTION, 0);
        CU_ASSERT_EQUAL_FATAL(st, TP_OK);
        size_t before = tp_events_count(e), tps = tp_catalog_touchpoint_count(c);
        alloc_count = 0;
        alloc_fail_at = n;
        st = tp_events_read_csv_buffer(e, csv, sizeof csv - 1, "mem.csv", NULL, NULL);
        alloc_fail_at = 0;
        if (st == TP_OK) {
            succeeded = 1;
            CU_ASSERT_EQUAL(tp_events_count(e), before + 3);
            CU_ASSERT_STRING_EQUAL(tp_events_attribute(e, 0, 2), "silver");
        } else {
            CU_ASSERT_EQUAL(st, TP_ENOMEM);
            CU_ASSERT_NOT_EQUAL(tp_last_error()[0], '\0');
            CU_ASSERT_EQUAL(tp_events_count(e), before);
            CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(c), tps);
            CU_ASSERT_EQUAL(tp_events_attribute_count(e), 0);
            /* The handle still works. */
            ASSERT_OK(tp_events_append(e, "c9", "website", 1, TP_EVENT_INTERACTION, 0));
        }
        tp_events_free(e);
        tp_catalog_free(c);
        ASSERT_OK(tp_set_allocator(NULL, NULL, NULL, NULL));
    }
    CU_ASSERT_TRUE(succeeded);
}

/* Whether the mapping holding p is advised for huge pages ("hg" among the
 * VmFlags of /proc/self/smaps): 1, 0, or -1 when that cannot be told. */
static int advised_huge(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int in = 0, found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (in && !strncmp(line, "VmFlags:", 8))
            found = strstr(line, " hg") != NULL;
    }
    fclose(f);
    return found;
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* Under the default allocator a block of TP__HUGE_BLOCK or more starts on a
 * 2 MiB boundary and is advised for huge pages, through malloc, calloc and a
 * realloc that grows a small block or a large one; contents survive, and
 * free() releases it (ASan and valgrind check that). */
static void test_alloc_large_blocks(void)
{
#if defined(__linux__) && defined(__GLIBC__)
    const uintptr_t huge = (uintptr_t)2 << 20;
    /* Advice is only possible where the kernel has transparent huge pages. */
    int thp = access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0;
    size_t big = TP__HUGE_BLOCK + 12345;
    unsigned char *a = tp__malloc(big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL((uintptr_t)a % huge, 0);
    if (thp)
        CU_ASSERT_EQUAL(advised_huge(a), 1);
    memset(a, 0xa5, big);
    unsigned char *b = tp__realloc(a, 3 * big);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL((uintptr_t)b % huge, 0);
    CU_ASSERT_TRUE(all_bytes(b, big, 0xa5));
    if (thp)
        CU_ASSERT_EQUAL(advised_huge(b + 2 * big), 1);
    unsigned char *c = tp__realloc(b, big); /* shrinking keeps the bytes */
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(all_bytes(c, big, 0xa5));
    unsigned char *d = tp__malloc(1000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    memset(d, 0x3c, 1000);
    unsigned char *e = tp__realloc(d, 2 * big); /* a small block grows into a large one */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL((uintptr_t)e % huge, 0);
    CU_ASSERT_TRUE(all_bytes(e, 1000, 0x3c));
    unsigned char *z = tp__calloc(big, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    CU_ASSERT_EQUAL((uintptr_t)z % huge, 0);
    CU_ASSERT_TRUE(all_bytes(z, big, 0));
    unsigned char *s = tp__realloc(e, 4096); /* back under the threshold */
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_TRUE(all_bytes(s, 1000, 0x3c));
    tp__free(c);
    tp__free(s);
    tp__free(z);
    /* A caller's allocator gets every request as it is. */
    ASSERT_OK(tp_set_allocator(fail_malloc, fail_realloc, plain_free, NULL));
    alloc_fail_at = 0;
    long before = alloc_count;
    void *h = tp__malloc(big);
    CU_ASSERT_PTR_NOT_NULL(h);
    CU_ASSERT_EQUAL(alloc_count, before + 1);
    tp__free(h);
    ASSERT_OK(tp_set_allocator(NULL, NULL, NULL, NULL));
#endif
}

static void expect_redacted(const char *in, unsigned flags, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    ASSERT_OK(tp_redact_text(in, strlen(in), flags, &out, &len));
    if (strcmp(out, want) != 0)
        fprintf(stderr, "\n  redact(\"%s\") = \"%s\", want \"%s\"\n", in, out, want);
    CU_ASSERT_STRING_EQUAL(out, want);
    CU_ASSERT_EQUAL(len, strlen(want));
    tp_free(out);
}

static void test_redact(void)
{
    unsigned flags = 99;
    ASSERT_OK(tp_redact_parse("", &flags));
    CU_ASSERT_EQUAL(flags, TP_REDACT_NONE);
    ASSERT_OK(tp_redact_parse("none", &flags));
    CU_ASSERT_EQUAL(flags, TP_REDACT_NONE);
    ASSERT_OK(tp_redact_parse("email,phone", &flags));
    CU_ASSERT_EQUAL(flags, TP_REDACT_ALL);
    ASSERT_OK(tp_redact_parse("phone", &flags));
    CU_ASSERT_EQUAL(flags, TP_REDACT_PHONE);
    ASSERT_OK(tp_redact_parse("all,none", &flags));
    CU_ASSERT_EQUAL(flags, TP_REDACT_ALL);
    flags = 7;
    CU_ASSERT_EQUAL(tp_redact_parse("email,names", &flags), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "'names' is not one of none, email, phone, all");
    CU_ASSERT_EQUAL(flags, 7); /* unchanged on failure */
    CU_ASSERT_EQUAL(tp_redact_parse("emailx", &flags), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_redact_parse(NULL, &flags), TP_EINVAL);

    const unsigned all = TP_REDACT_ALL;
    expect_redacted("mail jane.doe+cx@example.co.uk.", all, "mail [email].");
    expect_redacted("call +44 20 7946 0958 today", all, "call [phone] today");
    expect_redacted("+44 (0)20 7946 0958", all, "[phone]");
    expect_redacted("(555) 123-4567, or 555.123.4567", all, "[phone], or [phone]");
    expect_redacted("a@b.co and 0612345678", all, "[email] and [phone]");
    expect_redacted("0612345678@sms.example.com", all, "[email]");
    /* Not personal data: dates, times, decimals, prices, short numbers, lists. */
    expect_redacted("on 2026-01-31 at 10:30, 31.01.2026 or 01/31/2026", all,
                    "on 2026-01-31 at 10:30, 31.01.2026 or 01/31/2026");
    expect_redacted("pi is 3.14159265, price 1,299.00, room 12", all,
                    "pi is 3.14159265, price 1,299.00, room 12");
    expect_redacted("rated 1 2 3 4 5 6 7", all, "rated 1 2 3 4 5 6 7");
    expect_redacted("code abc12345678 or 12345678xyz", all, "code abc12345678 or 12345678xyz");
    expect_redacted("x@y a@b.c user@localhost @@", all, "x@y a@b.c user@localhost @@");
    /* Leaning to removal: a long order number goes. */
    expect_redacted("order 123456789", all, "order [phone]");
    /* Flags pick what goes; none keeps everything. */
    expect_redacted("a@b.co 555-123-4567", TP_REDACT_EMAIL, "[email] 555-123-4567");
    expect_redacted("a@b.co 555-123-4567", TP_REDACT_PHONE, "a@b.co [phone]");
    expect_redacted("a@b.co 555-123-4567", TP_REDACT_NONE, "a@b.co 555-123-4567");
    expect_redacted("", all, "");
    char *out = NULL;
    CU_ASSERT_EQUAL(tp_redact_text("x", 1, 8, &out, NULL), TP_EINVAL);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(tp_redact_text(NULL, 1, all, &out, NULL), TP_EINVAL);
    /* Not NUL-terminated: only len bytes are read. */
    ASSERT_OK(tp_redact_text("a@b.co!garbage", 6, all, &out, NULL));
    CU_ASSERT_STRING_EQUAL(out, "[email]");
    tp_free(out);
}

/* ---- exact sums ---- */

static double xsum_of(const double *x, size_t n)
{
    tp__xsum s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&s, x[i]), 0);
    return tp__xsum_get(&s);
}

static uint64_t xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Whole numbers take a shorter path: the same sums bit for bit as the same
 * numbers written as two non-whole parts (x - 0.25, then 0.25), mixed with
 * fractions and negatives, up to 2^63 and past it, and the range's edge. */
static void test_xsum_whole_numbers(void)
{
    uint64_t r = 12345;
    tp__xsum a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    for (int i = 0; i < 100000; i++) {
        uint64_t u = xorshift(&r);
        double x = i % 4 == 0   ? (double)(u % 11)
                   : i % 4 == 1 ? (double)(u >> (u % 64)) /* up to 2^64: past the short path */
                   : i % 4 == 2 ? -(double)(u % 1000) - 0.5
                                : (double)(u % 100000) / 8.0;
        CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&a, x), 0);
        if (x == floor(x) && fabs(x) < 0x1p50) {
            CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&b, x - 0.25), 0);
            CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&b, 0.25), 0);
        } else {
            tp__xsum part;
            memset(&part, 0, sizeof part);
            CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&part, x), 0);
            CU_ASSERT_EQUAL_FATAL(tp__xsum_merge(&b, &part), 0);
        }
    }
    CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof a), 0);
    /* The range's edge on the short path: 2^127 - 2^62 (3 * 2^125, then
     * 2^124 down to 2^63), then 2^62 fits once; the next 2^62 would reach 2^127
     * and is refused, the sum unchanged. */
    tp__xsum s;
    memset(&s, 0, sizeof s);
    for (int k = 0; k < 3; k++)
        CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p125), 0);
    for (int e = 124; e >= 63; e--)
        CU_ASSERT_EQUAL(tp__xsum_add(&s, ldexp(1.0, e)), 0);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p62), 0);
    tp__xsum before = s;
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p62), -1);
    CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof s), 0);
    CU_ASSERT_EQUAL(tp__xsum_get(&s), 0x1p127);
}

static void test_xsum_worked_examples(void)
{
    /* Cancellation that a running double sum loses entirely. */
    const double a[] = {1e16, 1.0, -1e16};
    CU_ASSERT_EQUAL(xsum_of(a, 3), 1.0);
    const double b[] = {1e20, 3.14, -1e20, 2.0};
    CU_ASSERT_EQUAL(xsum_of(b, 4), 3.14 + 2.0); /* one rounding of 3.14 + 2 */
    /* 0.1 ten times: the exact sum of the ten doubles rounds to 1.0; the naive
     * loop gives 0.9999999999999999. */
    const double c[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    CU_ASSERT_EQUAL(xsum_of(c, 10), 1.0);
    /* Correct rounding: a tie goes to even, a sticky bit below breaks it. */
    const double tie[] = {1.0, 0x1p-53};
    CU_ASSERT_EQUAL(xsum_of(tie, 2), 1.0);
    const double above[] = {1.0, 0x1p-53, 0x1p-100};
    CU_ASSERT_EQUAL(xsum_of(above, 3), 1.0 + 0x1p-52);
    const double odd_tie[] = {1.0 + 0x1p-52, 0x1p-53};
    CU_ASSERT_EQUAL(xsum_of(odd_tie, 2), 1.0 + 0x1p-51);
    /* Signs, zero, and a negative total. */
    const double neg[] = {-2.5, 1.25, -0.0, 0.0, -3.75};
    CU_ASSERT_EQUAL(xsum_of(neg, 5), -5.0);
    CU_ASSERT_EQUAL(xsum_of(NULL, 0), 0.0);
    /* The grid: 2^-128 is its step; smaller values round to it once each. */
    const double tiny[] = {0x1p-128, 0x1p-130, 3 * 0x1p-130};
    CU_ASSERT_EQUAL(xsum_of(tiny, 1), 0x1p-128);
    CU_ASSERT_EQUAL(xsum_of(tiny + 1, 1), 0.0);
    CU_ASSERT_EQUAL(xsum_of(tiny + 2, 1), 0x1p-128);
    /* Large magnitudes keep their low bits. */
    const double big[] = {0x1p100, 1.0, -0x1p100};
    CU_ASSERT_EQUAL(xsum_of(big, 3), 1.0);
    /* hi + lo carries what one double cannot. */
    tp__xsum s;
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 1.0), 0);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p-80), 0);
    double hi, lo;
    tp__xsum_get2(&s, &hi, &lo);
    CU_ASSERT_EQUAL(hi, 1.0);
    CU_ASSERT_EQUAL(lo, 0x1p-80);
    CU_ASSERT_FALSE(tp__xsum_is_negative(&s));
    CU_ASSERT_FALSE(tp__xsum_is_zero(&s));
}

static void test_xsum_limits(void)
{
    tp__xsum s, before;
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, NAN), -1);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, INFINITY), -1);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p126), -1);
    CU_ASSERT_TRUE(tp__xsum_is_zero(&s));
    /* 0x1p125 * 3 fits below 2^127; the fourth overflows and changes nothing. */
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p125 + 0x1p73), 0);
    before = s;
    CU_ASSERT_EQUAL(tp__xsum_add(&s, 0x1p125), -1);
    CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof s), 0);
    CU_ASSERT_EQUAL(tp__xsum_merge(&s, &before), -1);
    CU_ASSERT_EQUAL(memcmp(&s, &before, sizeof s), 0);
    /* Two's complement: the negative side reaches -2^127 itself. */
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(tp__xsum_add(&s, -0x1p125), 0);
    CU_ASSERT_EQUAL(tp__xsum_get(&s), -0x1p127);
    CU_ASSERT_EQUAL(tp__xsum_add(&s, -0x1p-128), -1);
}

/* Any order and any grouping give the same bits; and where every partial sum
 * is a double, that double (an independent reference: integers scaled by a
 * power of two add exactly in double arithmetic). */
static void test_xsum_order_and_grouping(void)
{
    enum { N = 2000 };
    static double x[N];
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < N; i++) {
        uint64_t r = xorshift(&seed);
        double m = (double)(r >> 11) / 0x1p53;            /* [0, 1) */
        int e = (int)(xorshift(&seed) % 120) - 60;        /* wide magnitudes */
        x[i] = ldexp(r & 1 ? -m : m, e);
    }
    tp__xsum whole;
    memset(&whole, 0, sizeof whole);
    for (size_t i = 0; i < N; i++)
        CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&whole, x[i]), 0);
    for (int round = 0; round < 20; round++) {
        for (size_t i = N - 1; i > 0; i--) { /* shuffle */
            size_t j = (size_t)(xorshift(&seed) % (i + 1));
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
        tp__xsum part[7], total;
        memset(part, 0, sizeof part);
        memset(&total, 0, sizeof total);
        for (size_t i = 0; i < N; i++)
            CU_ASSERT_EQUAL_FATAL(tp__xsum_add(&part[xorshift(&seed) % 7], x[i]), 0);
        for (int p = 6; p >= 0; p--)
            CU_ASSERT_EQUAL_FATAL(tp__xsum_merge(&total, &part[p]), 0);
        CU_ASSERT_EQUAL(memcmp(&total, &whole, sizeof total), 0);
        unsigned char bytes[TP__XSUM_BYTES];
        tp__xsum back;
        tp__xsum_store(&total, bytes);
        tp__xsum_load(&back, bytes);
        CU_ASSERT_EQUAL(memcmp(&back, &whole, sizeof back), 0);
    }
    /* Integers times 2^-20 below 2^53 in total: every running sum is exact. */
    double exact = 0.0;
    for (size_t i = 0; i < N; i++) {
        x[i] = ldexp((double)(int64_t)(xorshift(&seed) % 2000001) - 1000000.0, -20);
        exact += x[i];
    }
    CU_ASSERT_EQUAL(xsum_of(x, N), exact);
}

/* tp_file_write: the whole text or nothing, the path in every error. */
static void test_file_write(void)
{
    char dir[] = "/tmp/tp-write-XXXXXX", path[80], back[16] = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ASSERT_OK(tp_file_write(path, "first", 5));
    ASSERT_OK(tp_file_write(path, "second", 6)); /* replaces */
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fread(back, 1, sizeof back - 1, f), 6);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(back, "second");
    ASSERT_OK(tp_file_write(path, NULL, 0)); /* an empty file */
    ASSERT_STATUS(tp_file_write(path, NULL, 3), TP_EINVAL);
    ASSERT_STATUS(tp_file_write(NULL, "x", 1), TP_EINVAL);
    char missing[96];
    snprintf(missing, sizeof missing, "%s/none/out.txt", dir);
    ASSERT_STATUS(tp_file_write(missing, "x", 1), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), "none/out.txt");
    unlink(path);
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* no temporary file left */
}

/* Mode of @p path (permission bits), or -1. */
static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static size_t entries_in(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void *drain_fifo(void *path)
{
    static char got[64];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(got, 1, sizeof got - 1, f) : 0;
    got[n] = '\0';
    if (f)
        fclose(f);
    return got;
}

/* New files honour the umask, replaced ones keep their mode, links are followed,
 * devices and FIFOs are written in place, directories refused. */
static void test_file_write_kinds_of_path(void)
{
    char dir[] = "/tmp/tp-kinds-XXXXXX", path[128], link[128], fifo[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/new.txt", dir);
    mode_t before = umask(077);
    ASSERT_OK(tp_file_write(path, "a", 1));
    CU_ASSERT_EQUAL(mode_of(path), 0600);
    unlink(path);
    umask(022);
    ASSERT_OK(tp_file_write(path, "a", 1));
    CU_ASSERT_EQUAL(mode_of(path), 0644);
    CU_ASSERT_EQUAL(chmod(path, 0640), 0);
    ASSERT_OK(tp_file_write(path, "bb", 2));
    CU_ASSERT_EQUAL(mode_of(path), 0640); /* kept */
    umask(before);

    /* A symlink: its target gets the text, the link stays a link. */
    snprintf(link, sizeof link, "%s/link.txt", dir);
    CU_ASSERT_EQUAL(symlink("new.txt", link), 0);
    ASSERT_OK(tp_file_write(link, "via link", 8));
    struct stat st;
    CU_ASSERT(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    FILE *f = fopen(path, "rb");
    char back[16] = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fread(back, 1, sizeof back - 1, f), 8);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(back, "via link");
    unlink(link);
    /* A dangling link creates its target. */
    CU_ASSERT_EQUAL(symlink("made.txt", link), 0);
    ASSERT_OK(tp_file_write(link, "x", 1));
    char made[160];
    snprintf(made, sizeof made, "%s/made.txt", dir);
    CU_ASSERT_EQUAL(mode_of(made) >= 0, 1);
    unlink(link);
    unlink(made);

    /* A FIFO is written into, not replaced. */
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
    pthread_t reader;
    CU_ASSERT_EQUAL_FATAL(pthread_create(&reader, NULL, drain_fifo, fifo), 0);
    ASSERT_OK(tp_file_write(fifo, "through the pipe", 16));
    void *got;
    pthread_join(reader, &got);
    CU_ASSERT_STRING_EQUAL((char *)got, "through the pipe");
    CU_ASSERT(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    unlink(fifo);
    /* A character device too (/dev/null stays what it is). */
    ASSERT_OK(tp_file_write("/dev/null", "x", 1));
    CU_ASSERT(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    /* A directory is refused. */
    ASSERT_STATUS(tp_file_write(dir, "x", 1), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), "is a directory");
    /* Only new.txt is left: no temporary file anywhere. */
    CU_ASSERT_EQUAL(entries_in(dir), 1);
    unlink(path);
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static void cut_to_ten_bytes(const char *path) { CU_ASSERT_EQUAL(truncate(path, 10), 0); }

/* A file cut short while it is read is reported, not parsed as if whole (and,
 * never being mapped, cannot raise SIGBUS). */
static void test_file_that_shrinks(void)
{
    char dir[] = "/tmp/tp-shrink-XXXXXX", path[80];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/events.csv", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("customer_id,timestamp,touchpoint\n", f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "c%d,%d,website\n", i, 1767225600 + i);
    fclose(f);
    tp_catalog *c;
    tp_events *e;
    ASSERT_OK(tp_catalog_new_default(&c));
    ASSERT_OK(tp_events_new(&e, c));
    tp__file_after_stat = cut_to_ten_bytes;
    ASSERT_STATUS(tp_events_read_csv(e, path, NULL, NULL), TP_EIO);
    tp__file_after_stat = NULL;
    ASSERT_CONTAINS(tp_last_error(), "shrank while it was read");
    ASSERT_CONTAINS(tp_last_error(), "events.csv");
    CU_ASSERT_EQUAL(tp_events_count(e), 0); /* nothing half-read was kept */
    tp_events_free(e);
    tp_catalog_free(c);
    unlink(path);
    rmdir(dir);
}

static long grow_by = 0, cut_to = -1;
static void change_after_stat(const char *path)
{
    if (cut_to >= 0)
        CU_ASSERT_EQUAL(truncate(path, cut_to), 0);
    if (grow_by) {
        FILE *f = fopen(path, "ab");
        for (long i = 0; f && i < grow_by; i++)
            fputc('z', f);
        if (f)
            fclose(f);
    }
}

static int watched_calls, stop_after;
static int watch_count(void *data, uint64_t done, uint64_t total)
{
    (void)data;
    CU_ASSERT_TRUE(done <= total);
    return ++watched_calls >= stop_after && stop_after > 0;
}

/* A large regular file read on threads (8 MiB pieces) gives the bytes one
 * thread reads; a file cut after it was opened, inside a piece or at one's
 * edge, is "shrank" on both paths; one that grew is read to its new end; a
 * watch that says stop cancels it. */
static void test_file_read_in_pieces(void)
{
    char dir[] = "/tmp/tp-pieces-XXXXXX", path[80];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/big.csv", dir);
    const size_t size = (size_t)17 << 20 | 12345; /* three pieces, the last one ragged */
    uint64_t *words = malloc(size + 8), x = 99;
    CU_ASSERT_PTR_NOT_NULL_FATAL(words);
    for (size_t i = 0; i < size / 8 + 1; i++)
        words[i] = x = x * 6364136223846793005ULL + 1;
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(fwrite(words, 1, size, f), size);
    fclose(f);
    free(words);
    tp__file one, two;
    ASSERT_OK(tp__file_read_watched(&one, path, UINT64_MAX, "input", "max", NULL, NULL, 1));
    ASSERT_OK(tp__file_read_watched(&two, path, UINT64_MAX, "input", "max", NULL, NULL, 3));
    CU_ASSERT_EQUAL_FATAL(one.len, size);
    CU_ASSERT_EQUAL_FATAL(two.len, size);
    CU_ASSERT_EQUAL(memcmp(one.data, two.data, size), 0);
    tp__file_close(&two);
    tp__file_after_stat = change_after_stat;
    static const long cuts[] = {(long)(8 << 20) + 77, (long)(16 << 20), 5};
    for (size_t k = 0; k < 3; k++) {
        cut_to = cuts[k];
        for (unsigned threads = 1; threads <= 2; threads++) {
            ASSERT_STATUS(tp__file_read_watched(&two, path, UINT64_MAX, "input", "max", NULL,
                                                NULL, threads),
                          TP_EIO);
            ASSERT_CONTAINS(tp_last_error(), "shrank while it was read");
            ASSERT_CONTAINS(tp_last_error(), "big.csv");
            /* put the file back */
            f = fopen(path, "wb");
            CU_ASSERT_PTR_NOT_NULL_FATAL(f);
            fwrite(one.data, 1, size, f);
            fclose(f);
        }
    }
    cut_to = -1;
    grow_by = 1000;
    ASSERT_OK(tp__file_read_watched(&two, path, UINT64_MAX, "input", "max", NULL, NULL, 2));
    CU_ASSERT_EQUAL(two.len, size + 1000);
    CU_ASSERT_EQUAL(memcmp(one.data, two.data, size), 0);
    CU_ASSERT_EQUAL(two.data[size + 999], 'z');
    tp__file_close(&two);
    grow_by = 0;
    tp__file_after_stat = NULL;
    watched_calls = 0;
    stop_after = 1;
    ASSERT_STATUS(tp__file_read_watched(&two, path, UINT64_MAX, "input", "max", watch_count,
                                        NULL, 2),
                  TP_ECANCELED);
    CU_ASSERT_TRUE(watched_calls >= 1);
    stop_after = 0;
    tp__file_close(&one);
    unlink(path);
    rmdir(dir);
}

/* The same without O_TMPFILE: a named temporary, held signals, the same answers. */
static void test_file_write_named_temporary(void)
{
    tp__file_tmpfile = 0;
    test_file_write();
    test_file_write_kinds_of_path();
    tp__file_tmpfile = 1;
}

static const tp_test error_tests[] = {TP_TEST(test_status_strings), TP_TEST(test_error_context),
                                      TP_TEST(test_excerpt_escapes), TP_TEST(test_version),
                                      TP_TESTS_END};
static const tp_test text_tests[] = {TP_TEST(test_utf8), TP_TEST(test_intern), TP_TEST(test_intern_blocks),
                                     TP_TEST(test_intern_large_chunks), TP_TEST(test_redact),
                                     TP_TEST(test_parse_double), TP_TESTS_END};
static const tp_test time_tests[] = {TP_TEST(test_time_parse), TP_TEST(test_time_read),
                                     TP_TEST(test_time_format_roundtrip), TP_TEST(test_time_fixed_layout),
                                     TP_TEST(test_time_day_cache),
                                     TP_TEST(test_duration_parse), TP_TESTS_END};
static const tp_test alloc_tests[] = {TP_TEST(test_alloc_failure_rollback),
                                      TP_TEST(test_alloc_large_blocks), TP_TESTS_END};
static const tp_test file_tests[] = {TP_TEST(test_file_write),
                                     TP_TEST(test_file_write_kinds_of_path),
                                     TP_TEST(test_file_write_named_temporary),
                                     TP_TEST(test_file_that_shrinks),
                                     TP_TEST(test_file_read_in_pieces), TP_TESTS_END};
static const tp_test xsum_tests[] = {TP_TEST(test_xsum_worked_examples),
                                     TP_TEST(test_xsum_whole_numbers), TP_TEST(test_xsum_limits),
                                     TP_TEST(test_xsum_order_and_grouping), TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"core/error", error_tests},
                               {"core/text", text_tests},
                               {"core/time", time_tests},
                               {"core/alloc", alloc_tests},
                               {"core/xsum", xsum_tests},
                               {"core/file", file_tests},
                               {NULL, NULL}};
    return tp_run_suites(suites);
}
