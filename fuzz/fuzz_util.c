#include "fuzz_util.h"

#include "io/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n  last error: %s\n", file, line, what,
            tp_last_error() ? tp_last_error() : "(none)");
    abort();
}

int fz_input_error(tp_status st)
{
    return st == TP_EPARSE || st == TP_EVALIDATE || st == TP_ENOTFOUND || st == TP_ELIMIT ||
           st == TP_EINVAL || st == TP_ECONFLICT;
}

static void check_text(const char *msg, size_t cap)
{
    FZ_CHECK(msg != NULL);
    size_t n = strlen(msg);
    FZ_CHECK(n > 0);
    FZ_CHECK(n < cap);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)msg[i];
        FZ_CHECK(ch >= 0x20 && ch < 0x7f);
    }
}

void fz_check_error(tp_status st)
{
    FZ_CHECK(fz_input_error(st));
    FZ_CHECK(tp_last_error_status() == st);
    check_text(tp_last_error(), 1024);
}

void fz_check_report(const tp_read_log *report, tp_status st)
{
    /* A failed read rolls back the rows it had accepted: they were read but
     * are neither accepted nor rejected. */
    uint64_t sum = tp_read_log_rows_accepted(report) + tp_read_log_rows_rejected(report);
    FZ_CHECK(st == TP_OK ? tp_read_log_rows_read(report) == sum
                         : tp_read_log_rows_read(report) >= sum);
    if (st != TP_OK)
        FZ_CHECK(tp_read_log_rows_accepted(report) == 0);
    size_t n = tp_read_log_issue_count(report);
    FZ_CHECK(n <= tp_read_log_rows_rejected(report) + 1);
    for (size_t i = 0; i < n; i++) {
        check_text(tp_read_log_issue_reason(report, i), 1024);
        FZ_CHECK(fz_input_error(tp_read_log_issue_status(report, i)));
        const char *field = tp_read_log_issue_field(report, i);
        if (field && *field)
            check_text(field, 256);
    }
}

char *fz_table_text(tp_table *table)
{
    FZ_CHECK(table != NULL);
    char *text = NULL;
    size_t len = 0;
    tp_status st = tp_table_format(table, TP_FORMAT_CSV, &text, &len);
    FZ_CHECK(st == TP_OK);
    char *copy = fz_strndup((const uint8_t *)text, len);
    tp_free(text);
    tp_table_free(table);
    return copy;
}

char *fz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

void fz_put(fz_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        FZ_CHECK(b->p != NULL);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void fz_puts(fz_buf *b, const char *s) { fz_put(b, s, strlen(s)); }

void fz_put_field(fz_buf *b, const char *s, int first)
{
    if (!first)
        fz_put(b, ",", 1);
    fz_put(b, "\"", 1);
    /* The readers drop one apostrophe before =, +, -, @, TAB, CR or another
     * apostrophe (the export's formula guard): write one more, as the export does. */
    if (s && s[0] == '\'' && s[1] && strchr("=+-@\t\r'", s[1]))
        fz_put(b, "'", 1);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            fz_put(b, "\"\"", 2);
        else
            fz_put(b, p, 1);
    }
    fz_put(b, "\"", 1);
}

void fz_check_reader(const fz_reader *r, const uint8_t *data, size_t size)
{
    tp_read_options strict, lenient, tight;
    tp_read_options_init(&strict, TP_READ_OPTIONS_VERSION);
    strict.on_error = TP_ON_ERROR_STOP;
    tp_read_options_init(&lenient, TP_READ_OPTIONS_VERSION);
    tp_read_options_init(&tight, TP_READ_OPTIONS_VERSION);
    r->tight(&tight, size);

    /* Strict read into a store that already holds rows. */
    void *held = r->create();
    r->prefill(held);
    char *before = r->fingerprint(held);
    size_t tps_before = r->touchpoints(held), rows_before = r->count(held);
    tp_read_log *rs = NULL;
    FZ_CHECK(tp_read_log_new(&rs) == TP_OK);
    tp_status st_strict = r->read(held, data, size, &strict, rs);
    fz_check_report(rs, st_strict);
    if (st_strict != TP_OK) {
        fz_check_error(st_strict);
        char *after = r->fingerprint(held);
        FZ_CHECK(strcmp(before, after) == 0);
        FZ_CHECK(r->touchpoints(held) == tps_before);
        FZ_CHECK(r->count(held) == rows_before);
        free(after);
    } else {
        FZ_CHECK(tp_read_log_rows_rejected(rs) == 0);
        if (r->one_row_per_line)
            FZ_CHECK(r->count(held) == rows_before + tp_read_log_rows_accepted(rs));
    }
    free(before);

    /* Lenient read into an empty store. */
    void *loose = r->create();
    tp_read_log *rl = NULL;
    FZ_CHECK(tp_read_log_new(&rl) == TP_OK);
    tp_status st_lenient = r->read(loose, data, size, &lenient, rl);
    fz_check_report(rl, st_lenient);
    if (st_lenient != TP_OK) {
        fz_check_error(st_lenient);
        FZ_CHECK(r->count(loose) == 0);
        FZ_CHECK(st_strict != TP_OK);
    } else if (r->one_row_per_line) {
        FZ_CHECK(r->count(loose) == tp_read_log_rows_accepted(rl));
    }
    if (st_strict == TP_OK) {
        FZ_CHECK(st_lenient == TP_OK);
        FZ_CHECK(tp_read_log_rows_accepted(rl) == tp_read_log_rows_accepted(rs));
    }

    /* Round trip through the canonical form. */
    if (st_lenient == TP_OK && r->count(loose) > 0) {
        char *text = r->canonical ? r->canonical(loose) : r->fingerprint(loose);
        void *again = r->create();
        tp_status st = r->read(again, text, strlen(text), &strict, NULL);
        if (st != TP_OK)
            fprintf(stderr, "canonical form rejected: %s\n%s\n", tp_last_error(), text);
        FZ_CHECK(st == TP_OK);
        char *a = r->fingerprint(loose), *b = r->fingerprint(again);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "round trip differs:\n%s\n---\n%s\n", a, b);
        FZ_CHECK(strcmp(a, b) == 0);
        free(a);
        free(b);
        free(text);
        r->destroy(again);
        if (r->extra)
            r->extra(loose);
    }

    /* Third read with tight options: the report and message rules only. */
    void *small = r->create();
    tp_read_log *rt = NULL;
    FZ_CHECK(tp_read_log_new(&rt) == TP_OK);
    tp_status st_tight = r->read(small, data, size, &tight, rt);
    fz_check_report(rt, st_tight);
    if (st_tight != TP_OK)
        fz_check_error(st_tight);

    tp_read_log_free(rs);
    tp_read_log_free(rl);
    tp_read_log_free(rt);
    r->destroy(held);
    r->destroy(loose);
    r->destroy(small);
}

/* Tokenize with scanner s: the records as text (free() b.p). */
static fz_buf tokens(const uint8_t *data, size_t size, char delim, tp__csv_scanner s)
{
    tp__csv c;
    tp__csv_init(&c, (const char *)data, size, delim, 64);
    tp__csv_use_scanner(&c, s);
    fz_buf b = {0};
    int r;
    fz_puts(&b, "");
    while ((r = tp__csv_next(&c)) == 1) {
        char head[320];
        snprintf(head, sizeof head, "R%llu@%llu n%zu/%zu e%d c%zu %s\n",
                 (unsigned long long)c.rec_line, (unsigned long long)c.rec_offset, c.nf,
                 c.nfields, (int)c.err, c.err_col, c.err_reason);
        fz_puts(&b, head);
        for (size_t i = 0; i < c.nf; i++) {
            snprintf(head, sizeof head, "%zu:%d:", c.f[i].len, c.f[i].guarded);
            fz_puts(&b, head);
            fz_put(&b, c.f[i].ptr, c.f[i].len);
            fz_puts(&b, "\n");
        }
    }
    FZ_CHECK(r == 0);
    char end[64];
    snprintf(end, sizeof end, "end %llu\n", (unsigned long long)c.line);
    fz_puts(&b, end);
    tp__csv_free(&c);
    return b;
}

void fz_check_scanners(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';', '\t'};
    for (size_t d = 0; d < sizeof delims; d++) {
        fz_buf want = tokens(data, size, delims[d], TP__SCAN_SCALAR);
        for (tp__csv_scanner s = TP__SCAN_SSE2; s <= TP__SCAN_AVX2; s++) {
            if (!tp__csv_scanner_available(s))
                continue;
            fz_buf got = tokens(data, size, delims[d], s);
            FZ_CHECK(got.len == want.len && memcmp(got.p, want.p, want.len) == 0);
            free(got.p);
        }
        free(want.p);
    }
}
