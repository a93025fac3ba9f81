#include "io/ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "core/nearest.h"
#include "core/alloc.h"
#include "core/intern.h"
#include "core/vec.h"
#include "core/versioned.h"
#include "core/file.h"
#include "touchpoint/table.h"

enum { MAX_ISSUES = 10000, DEFAULT_MAX_FIELD = 1 << 20 };
_Static_assert(DEFAULT_MAX_FIELD == 1048576, "TP_READ_OPTIONS_INIT spells the default out");

typedef struct issue {
    uint32_t file, field, reason;
    tp_status status;
    uint64_t line, offset, column;
} issue;

TP__VEC(issue, issue)

struct tp_read_log {
    tp__intern text;
    tp__vec_issue issues;
    uint64_t rows_read, rows_accepted, rows_rejected, bytes;
};

/* Bytes of a tp_read_options that @p version has (its last field ends there);
 * 0 for an unknown version. */
static size_t read_options_size(unsigned version)
{
    switch (version) {
    case 1: return TP__END_OF(tp_read_options, max_field_bytes);
    case 2: return TP__END_OF(tp_read_options, progress_data);
    case 3: return TP__END_OF(tp_read_options, redact);
    case 4: return TP__END_OF(tp_read_options, threads);
    case 5: return TP__END_OF(tp_read_options, max_input_bytes);
    case 6: return TP__END_OF(tp_read_options, columns);
    case 7: return TP__END_OF(tp_read_options, check_data);
    default: return 0;
    }
}

tp_status tp_read_options_init(tp_read_options *opts, unsigned int version)
{
    size_t size = read_options_size(version);
    if (!opts || !size)
        return tp__error(TP_EINVAL, "tp_read_options_init: %s",
                         opts ? "unknown version" : "opts is NULL");
    tp_read_options d = TP_READ_OPTIONS_INIT;
    d.version = version;
    memcpy(opts, &d, size);
    return TP_OK;
}

tp_status tp_read_log_new(tp_read_log **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_read_log_new: out is NULL");
    tp_read_log *r = tp__calloc(1, sizeof *r);
    *out = r;
    if (!r)
        return tp__error(TP_ENOMEM, "out of memory creating a read log");
    tp__intern_init(&r->text);
    return TP_OK;
}

void tp_read_log_free(tp_read_log *r)
{
    if (!r)
        return;
    tp__intern_free(&r->text);
    tp__vec_issue_free(&r->issues);
    tp__free(r);
}

void tp_read_log_clear(tp_read_log *r)
{
    if (!r)
        return;
    tp__intern_free(&r->text);
    tp__intern_init(&r->text);
    r->issues.len = 0;
    r->rows_read = r->rows_accepted = r->rows_rejected = r->bytes = 0;
}

uint64_t tp_read_log_rows_read(const tp_read_log *r) { return r ? r->rows_read : 0; }
uint64_t tp_read_log_rows_accepted(const tp_read_log *r) { return r ? r->rows_accepted : 0; }
uint64_t tp_read_log_rows_rejected(const tp_read_log *r) { return r ? r->rows_rejected : 0; }
uint64_t tp_read_log_bytes_read(const tp_read_log *r) { return r ? r->bytes : 0; }
size_t tp_read_log_issue_count(const tp_read_log *r) { return r ? r->issues.len : 0; }

static const issue *get(const tp_read_log *r, size_t i)
{
    return r && i < r->issues.len ? &r->issues.data[i] : NULL;
}

const char *tp_read_log_issue_file(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? tp__intern_str(&r->text, x->file) : NULL;
}
uint64_t tp_read_log_issue_line(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? x->line : 0;
}
uint64_t tp_read_log_issue_offset(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? x->offset : 0;
}
uint64_t tp_read_log_issue_column(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? x->column : 0;
}
const char *tp_read_log_issue_field(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? tp__intern_str(&r->text, x->field) : NULL;
}
tp_status tp_read_log_issue_status(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? x->status : TP_EINVAL;
}
const char *tp_read_log_issue_reason(const tp_read_log *r, size_t i)
{
    const issue *x = get(r, i);
    return x ? tp__intern_str(&r->text, x->reason) : NULL;
}

tp_status tp_read_log_to_table(const tp_read_log *r, tp_table **out)
{
    if (!r || !out)
        return tp__error(TP_EINVAL, "tp_read_log_to_table: NULL argument");
    *out = NULL;
    static const char *const names[] = {"file", "line", "offset", "column", "field", "status",
                                        "reason"};
    static const tp_type types[] = {TP_TYPE_STRING, TP_TYPE_INT64, TP_TYPE_INT64, TP_TYPE_INT64,
                                    TP_TYPE_STRING, TP_TYPE_STRING, TP_TYPE_STRING};
    tp_table *t;
    tp_status st = tp_table_new(&t);
    for (size_t k = 0; st == TP_OK && k < 7; k++)
        st = tp_table_add_column(t, names[k], types[k], NULL);
    for (size_t i = 0; st == TP_OK && i < r->issues.len; i++) {
        const issue *x = &r->issues.data[i];
        size_t row;
        if ((st = tp_table_append_row(t, &row)) != TP_OK)
            break;
        const char *field = tp__intern_str(&r->text, x->field);
        st = tp_table_set_string(t, row, 0, tp__intern_str(&r->text, x->file));
        if (st == TP_OK)
            st = tp_table_set_int64(t, row, 1, (int64_t)x->line);
        if (st == TP_OK)
            st = tp_table_set_int64(t, row, 2, (int64_t)x->offset);
        if (st == TP_OK && x->column)
            st = tp_table_set_int64(t, row, 3, (int64_t)x->column);
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 4, *field ? field : NULL);
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 5, tp_status_str(x->status));
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 6, tp__intern_str(&r->text, x->reason));
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}

/* Add an issue; a report that cannot grow keeps counting but drops the detail. */
static void record(tp_read_log *r, const char *file, uint64_t line, uint64_t offset,
                   uint64_t column, const char *field, tp_status status, const char *reason)
{
    if (!r || r->issues.len >= MAX_ISSUES)
        return;
    issue x = {0, 0, 0, status, line, offset, column};
    /* Report text is shown as is: escape it like error messages. */
    char file_e[256], field_e[256], reason_e[768];
    tp__escape_copy(file_e, sizeof file_e, file);
    tp__escape_copy(field_e, sizeof field_e, field);
    tp__escape_copy(reason_e, sizeof reason_e, reason);
    tp__intern_mark m = tp__intern_mark_get(&r->text);
    if (tp__intern_put(&r->text, file_e, strlen(file_e), &x.file) ||
        tp__intern_put(&r->text, field_e, strlen(field_e), &x.field) ||
        tp__intern_put(&r->text, reason_e, strlen(reason_e), &x.reason) ||
        tp__vec_issue_push(&r->issues, x))
        tp__intern_rollback(&r->text, m);
}

void tp__ingest_retry(tp__ingest *in)
{
    in->rows_read = in->rows_accepted = in->rows_rejected = 0;
    in->line = in->offset = 0;
    in->retry_serial = 0;
    in->opts.threads = 1;
}

tp_status tp__ingest_piece(tp__ingest *piece, const tp__ingest *in, tp__ingest_par *par,
                           uint64_t offset)
{
    *piece = *in;
    piece->rows_read = piece->rows_accepted = piece->rows_rejected = 0;
    piece->opts.progress = NULL;
    piece->opts.check = NULL;
    piece->par = par;
    piece->tick_offset = offset;
    piece->tick_rows = 0;
    piece->report = NULL;
    return in->report && tp_read_log_new(&piece->report) != TP_OK ? TP_ENOMEM : TP_OK;
}

void tp__ingest_absorb_piece(tp__ingest *in, const tp__ingest *piece, uint64_t done)
{
    in->rows_read += piece->rows_read;
    in->rows_accepted += piece->rows_accepted;
    in->rows_rejected += piece->rows_rejected;
    in->line = piece->line;
    in->offset = piece->offset;
    tp__read_log_absorb(in->report, piece->report);
    if (in->opts.progress)
        in->opts.progress(in->opts.progress_data, done, in->total, in->rows_read);
}

void tp__read_log_absorb(tp_read_log *dst, const tp_read_log *src)
{
    if (!dst || !src)
        return;
    for (size_t i = 0; i < src->issues.len; i++) {
        const issue *x = &src->issues.data[i];
        record(dst, tp__intern_str(&src->text, x->file), x->line, x->offset, x->column,
               tp__intern_str(&src->text, x->field), x->status,
               tp__intern_str(&src->text, x->reason));
    }
}

tp_status tp__ingest_begin(tp__ingest *in, const char *name, const tp_read_options *opts,
                           tp_read_log *report, uint64_t total)
{
    memset(in, 0, sizeof *in);
    in->name = name && *name ? name : "<buffer>";
    in->report = report;
    in->total = total;
    const tp_read_options defaults = TP_READ_OPTIONS_INIT;
    in->opts = defaults;
    if (opts) {
        /* An older caller's struct ends before the fields its version lacks. */
        size_t size = read_options_size(opts->version);
        if (!size)
            return tp__error(TP_EINVAL, "tp_read_options: unknown version %u "
                                        "(use tp_read_options_init)", opts->version);
        memcpy(&in->opts, opts, size);
    }
    if (in->opts.on_error != TP_ON_ERROR_SKIP && in->opts.on_error != TP_ON_ERROR_STOP)
        return tp__error(TP_EINVAL, "tp_read_options: invalid on_error");
    if (in->opts.redact & ~(unsigned)TP_REDACT_ALL)
        return tp__error(TP_EINVAL, "tp_read_options: invalid redact flags 0x%x",
                         in->opts.redact);
    if ((unsigned)in->opts.epoch_unit > TP_EPOCH_MILLISECONDS)
        return tp__error(TP_EINVAL, "tp_read_options: invalid epoch_unit");
    char d = in->opts.delimiter;
    if (d == '"' || d == '\n' || d == '\r' || d == '\0' || (unsigned char)d >= 0x80)
        return tp__error(TP_EINVAL, "tp_read_options: invalid delimiter");
    if (in->opts.threads > TP__MAX_THREADS)
        return tp__error(TP_EINVAL, "tp_read_options: threads %u is more than %d",
                         in->opts.threads, TP__MAX_THREADS);
    if (in->opts.max_field_bytes == 0)
        in->opts.max_field_bytes = DEFAULT_MAX_FIELD;
    if (in->opts.max_input_bytes == 0)
        in->opts.max_input_bytes = TP_DEFAULT_MAX_INPUT_BYTES;
    if (total > in->opts.max_input_bytes) {
        char lim[32];
        tp__format_bytes(in->opts.max_input_bytes, lim, sizeof lim);
        tp__loc loc = {in->name, 0, 0, NULL};
        return tp__error_at(TP_ELIMIT, &loc, "input larger than the limit of %s (max_input_bytes)",
                            lim);
    }
    return TP_OK;
}

tp_status tp__ingest_bad_row(tp__ingest *in, tp_status status, uint64_t column,
                             const char *field, const char *fmt, ...)
{
    char reason[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    in->rows_rejected++;
    record(in->report, in->name, in->line, in->offset, column, field, status, reason);
    if (in->opts.on_error == TP_ON_ERROR_SKIP)
        return TP_OK;
    tp__loc loc = {in->name, in->line, column, field};
    return tp__error_at(status, &loc, "%s", reason);
}

tp_status tp__ingest_fail(tp__ingest *in, tp_status status, uint64_t line, uint64_t column,
                          const char *field, const char *fmt, ...)
{
    char reason[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    record(in->report, in->name, line, 0, column, field, status, reason);
    tp__loc loc = {in->name, line, column, field};
    return tp__error_at(status, &loc, "%s", reason);
}

static tp_status cancelled(const tp__ingest *in)
{
    tp__loc loc = {in->name, in->line, 0, NULL};
    return tp__error_at(TP_ECANCELED, &loc, "read cancelled by the check callback");
}

tp_status tp__ingest_tick(tp__ingest *in)
{
    tp__ingest_par *par = in->par;
    if (!par) {
        if (in->opts.progress)
            in->opts.progress(in->opts.progress_data, in->offset, in->total, in->rows_read);
        if (in->opts.check &&
            in->opts.check(in->opts.check_data, in->offset, in->total, in->rows_read))
            return cancelled(in);
        return TP_OK;
    }
    atomic_fetch_add(&par->bytes, in->offset - in->tick_offset);
    atomic_fetch_add(&par->rows, in->rows_read - in->tick_rows);
    in->tick_offset = in->offset;
    in->tick_rows = in->rows_read;
    int stop = atomic_load(&par->stop);
    if (!stop && pthread_equal(pthread_self(), par->caller))
        stop = tp__ingest_par_poll(par);
    return stop ? cancelled(in) : TP_OK;
}

int tp__ingest_par_poll(tp__ingest_par *par)
{
    const tp__ingest *in = par->root;
    uint64_t bytes = atomic_load(&par->bytes), rows = in->rows_read + atomic_load(&par->rows);
    /* The check only: progress reports a parallel read as its pieces join. */
    if (!atomic_load(&par->stop) && in->opts.check &&
        in->opts.check(in->opts.check_data, bytes, in->total, rows))
        atomic_store(&par->stop, 1);
    return atomic_load(&par->stop);
}

void tp__ingest_end(tp__ingest *in, tp_status result, uint64_t bytes)
{
    if (in->opts.progress)
        in->opts.progress(in->opts.progress_data, bytes, in->total, in->rows_read);
    if (in->opts.check)
        (void)in->opts.check(in->opts.check_data, bytes, in->total, in->rows_read);
    tp_read_log *r = in->report;
    if (!r)
        return;
    r->rows_read += in->rows_read;
    r->rows_rejected += in->rows_rejected;
    r->bytes += bytes;
    if (result == TP_OK)
        r->rows_accepted += in->rows_accepted;
}

static int watch_file(void *data, uint64_t done, uint64_t total)
{
    const tp_read_options *o = data;
    return o->check(o->check_data, done, total, 0);
}

tp_status tp__read_file(void *store, const char *path, const tp_read_options *opts,
                        tp_read_log *report, tp__buffer_reader fn)
{
    if (!store || !path)
        return tp__error(TP_EINVAL, "read: NULL argument");
    uint64_t max = TP_DEFAULT_MAX_INPUT_BYTES;
    if (opts && read_options_size(opts->version) >= TP__END_OF(tp_read_options, max_input_bytes) &&
        opts->max_input_bytes)
        max = opts->max_input_bytes;
    /* While the file is read in: the caller's check, with no rows yet. */
    tp_read_options o = TP_READ_OPTIONS_INIT;
    if (opts && read_options_size(opts->version) >= TP__END_OF(tp_read_options, check_data))
        o = *opts;
    else if (opts && read_options_size(opts->version) >= TP__END_OF(tp_read_options, threads))
        o.threads = opts->threads;
    tp__file f;
    tp_status st = tp__file_read_watched(&f, path, max, "input", "max_input_bytes",
                                         o.check ? watch_file : NULL, &o, o.threads);
    if (st != TP_OK) {
        record(report, path, 0, 0, 0, NULL, st, tp__last_reason());
        return st;
    }
    st = fn(store, f.data, f.len, path, opts, report);
    tp__file_close(&f);
    return st;
}

static const char *const policy_words[] = {"register", "reject", NULL};

TP__WORD_FUNCTIONS(tp_unknown_policy, tp_unknown_policy, policy_words, "unknown policy", 0)
