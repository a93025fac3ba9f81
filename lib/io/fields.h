/* Field checks and header mapping shared by the CSV and JSON Lines readers.
 * Each check returns TP_OK or the error class, with a reason written to why. */
#ifndef TP_IO_FIELDS_H
#define TP_IO_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/intern.h"
#include "core/utf8.h"
#include "io/csv.h"
#include "io/ingest.h"

enum { TP__WHY_CAP = 320 };

/* The columns of the CSV readers, in their role order (events: customer_id,
 * timestamp, touchpoint, type, value, channel; feedback: customer_id,
 * timestamp, touchpoint, metric, score, comment, weight). */
enum { TP__EVENT_ROLES = 6, TP__FEEDBACK_ROLES = 7 };
/* The first this many roles are required (the readers' masks 0x7 and 0x1f). */
enum { TP__EVENT_REQUIRED = 3, TP__FEEDBACK_REQUIRED = 5 };
extern const char *const tp__event_roles[TP__EVENT_ROLES];
extern const char *const tp__feedback_roles[TP__FEEDBACK_ROLES];

/* The input's names of the roles @p names: each role's own name, or the one
 * tp_read_options.columns maps it to; want[k] is not NUL-terminated (it may
 * point into the mapping). A mapping of a column no reader has fails the read
 * (TP_EINVAL, naming this reader's columns). */
tp_status tp__mapped_names(tp__ingest *in, const char *const *names, size_t nroles,
                           const char **want, size_t *want_len);

tp_status tp__check_ident_field(const char *s, size_t len, const char *what, char *why);
/* A timestamp field; `day` (may be NULL) caches the day of the last one of
 * the usual layout (tp__time_parse_cached). */
tp_status tp__check_time_field(const char *s, size_t len, tp_epoch_unit unit,
                               tp__day_cache *day, int64_t *out, char *why);
tp_status tp__check_number_field(const char *s, size_t len, double *out, char *why);
/* An event type: interaction, conversion or exit in any case, spaces around
 * ignored; empty is an interaction. */
tp_status tp__check_type_field(const char *s, size_t len, uint8_t *out, char *why);

/* A mapped CSV header. */
typedef struct tp__header {
    size_t ncols;
    int *role_of_col; /* per column: role index, or -1 for an attribute column */
    char **names;     /* per column: trimmed name (copied) */
} tp__header;

/* Most columns a CSV header may have. */
#define TP__MAX_COLUMNS TP__CSV_MAX_FIELDS

/* Read and map the header row. names[0..nroles) are the known column names
 * (matched case-insensitively after trimming spaces); bit i of `required` marks
 * names[i] as required; col_of_role receives, per role, the column or -1.
 * Fails (via tp__ingest_fail) on an empty input, a malformed header, an empty or
 * duplicate column name or a missing required column. */
tp_status tp__csv_header(tp__csv *c, tp__ingest *in, const char *const *names, size_t nroles,
                         unsigned required, tp__header *h, int *col_of_role);
void tp__header_free(tp__header *h);

struct tp__attrs;

/* Validate and store one data row (c->f holds its fields). Returns TP_OK when the
 * row was stored or skipped, or the fatal status. */
typedef tp_status (*tp__csv_row_fn)(void *store, tp__ingest *in, const tp__csv *c,
                                    const int *col_of_role, const int *attr_of_col,
                                    uint32_t *vals, size_t nattr, const tp__header *h);

/* Checks every CSV data row shares: the tokenizer's flag, the field count, and
 * roles 0-2 (customer_id, timestamp, touchpoint). Returns 1 when the row passed
 * (*time set), 0 when it was rejected; then *st is the outcome of
 * tp__ingest_bad_row (TP_OK to go on, or the fatal status). */
int tp__csv_row_common(tp__ingest *in, const tp__csv *c, const tp__header *h,
                       const int *col_of_role, int64_t *time, tp_status *st);

struct tp__pending;
struct tp_catalog;

/* The touchpoint id a CSV field names. Readers drop one formula-guard
 * apostrophe (see tp__csv_next), so a catalog id that itself starts with '=
 * would never match a file that did not double the guard: when the field lost
 * an apostrophe, its text without it is not in the catalog and its literal
 * text is, the literal text is the id. */
void tp__csv_touchpoint_id(const struct tp_catalog *c, const tp__csv_field *f, const char **id,
                           size_t *len);

/* Set column[row] to the id of customer field f in pool: queued (the table's
 * cache misses are then taken a block at a time; the store's flush op ends the
 * queue), or at once when f's bytes are the tokenizer's scratch, which the next
 * record reuses. Returns 0 or -1 (out of memory, or the pool's limit). */
int tp__csv_queue_customer(tp__intern_queue *q, tp__intern *pool, uint32_t *column,
                           const tp__csv_field *f, size_t row);

/* What tp__csv_read needs of a store (events or feedback). */
typedef struct tp__csv_store {
    tp__csv_row_fn row;
    struct tp__attrs *(*attrs)(void *store);
    size_t (*rows)(const void *store);
    int (*reserve)(void *store, size_t rows); /* room for more rows: 0 or -1 */
    int (*flush)(void *store);                /* intern what rows queued: 0 or -1 */
    /* For reads on several threads (tp__events_worker_new and friends). */
    struct tp_catalog *(*catalog)(const void *store);
    void (*set_pending)(void *store, struct tp__pending *p);
    tp_status (*worker_new)(const void *main, struct tp__pending *p, void **out);
    void (*worker_free)(void *w);
    tp_status (*absorb)(void *main, const void *w, uint32_t base, const uint32_t *map,
                        const size_t *cols);
    void (*map_pending)(void *main, size_t from, uint32_t base, const uint32_t *map);
} tp__csv_store;

/* Defines `static const tp__csv_store name` for a store type T with members
 * attrs, time (one entry per row), touchpoint, catalog, policy, pending and
 * customers, customer and customer_queue (tp__csv_queue_customer),
 * made by new_fn(&out, catalog) and freed by free_fn, with the reserve and
 * absorb functions of its model (tp__events_* or tp__feedback_*). */
#define TP__CSV_STORE(name, T, row_fn, new_fn, free_fn, reserve_fn, absorb_fn)                \
    static tp__attrs *name##_attrs(void *s) { return &((T *)s)->attrs; }                      \
    static int name##_flush(void *s)                                                          \
    {                                                                                         \
        T *t = s;                                                                             \
        return tp__intern_queue_flush(&t->customer_queue, &t->customers, t->customer.data);   \
    }                                                                                         \
    static size_t name##_rows(const void *s) { return ((const T *)s)->time.len; }             \
    static int name##_reserve(void *s, size_t n) { return reserve_fn(s, n); }                 \
    static tp_catalog *name##_catalog(const void *s) { return ((const T *)s)->catalog; }      \
    static void name##_set_pending(void *s, tp__pending *p) { ((T *)s)->pending = p; }        \
    static tp_status name##_worker_new(const void *m, tp__pending *p, void **out)             \
    {                                                                                         \
        const T *main_store = m;                                                              \
        T *w = NULL;                                                                          \
        tp_status st = new_fn(&w, main_store->catalog);                                       \
        if (st == TP_OK) {                                                                    \
            w->policy = main_store->policy;                                                   \
            w->pending = p;                                                                   \
        }                                                                                     \
        *out = w;                                                                             \
        return st;                                                                            \
    }                                                                                         \
    static void name##_worker_free(void *w) { free_fn(w); }                                   \
    static tp_status name##_absorb(void *m, const void *w, uint32_t base, const uint32_t *map, \
                                   const size_t *cols)                                        \
    {                                                                                         \
        return absorb_fn(m, w, base, map, cols);                                              \
    }                                                                                         \
    static void name##_map_pending(void *m, size_t from, uint32_t base, const uint32_t *map)  \
    {                                                                                         \
        tp__pending_map_from(&((T *)m)->touchpoint, from, base, map);                        \
    }                                                                                         \
    static const tp__csv_store name = {                                                       \
        .row = row_fn,                                                                        \
        .attrs = name##_attrs,                                                                \
        .rows = name##_rows,                                                                  \
        .reserve = name##_reserve,                                                            \
        .flush = name##_flush,                                                                \
        .catalog = name##_catalog,                                                            \
        .set_pending = name##_set_pending,                                                    \
        .worker_new = name##_worker_new,                                                      \
        .worker_free = name##_worker_free,                                                    \
        .absorb = name##_absorb,                                                              \
        .map_pending = name##_map_pending,                                                    \
    }

/* A span of a CSV input read on its own (a piece of a parallel read): the
 * records that start in [start, limit), lines counted from `line`. Reading
 * sets `first` (where its first record starts) and `next`, `next_line` (where
 * the record after its last one would start): a span whose first record is
 * not where the one before it stopped was cut inside a quoted field. */
typedef struct tp__csv_span {
    const char *start, *limit;
    uint64_t line;
    const char *first, *next;
    uint64_t next_line;
} tp__csv_span;

/* Cut the body of c (from c->p) into at most n spans at clean record starts
 * (records of ncols fields) and set their first lines (counted on up to
 * `threads` threads). Returns how many spans there are (1 to n). */
size_t tp__csv_spans(tp__csv_span *spans, size_t n, const tp__csv *c, size_t ncols,
                     int threads);

/* One record of a span: TP_OK, or a status that stops the span. */
typedef tp_status (*tp__csv_span_row_fn)(void *ctx, tp__ingest *in, const tp__csv *c);

/* Read the records of span s of data[0..len) (the whole input) with `in`'s
 * delimiter and field limit, counting each through tp__ingest_row(in) and
 * handing it to row(ctx, in, c). Returns TP_OK or the first failing status. */
tp_status tp__csv_span_read(tp__csv_span *s, const char *data, size_t len, tp__ingest *in,
                            tp__csv_span_row_fn row, void *ctx);

/* Read a whole CSV input: header (roles as for tp__csv_header), attribute columns
 * created in the store, then ops->row for every record. With in->opts.threads
 * other than 1 and a large enough input, pieces are read on threads and joined
 * in input order; if that cannot give the one-thread result (a piece cut inside
 * a quoted field, a fatal row) it fails with in->retry_serial set: the caller
 * rolls the store back and reads again with one thread. */
tp_status tp__csv_read(void *store, const tp__csv_store *ops, const char *data, size_t len,
                       tp__ingest *in, const char *const *roles, size_t nroles,
                       unsigned required);


#endif
