/* What every reader shares: options, the current row's location, and the one
 * place that decides whether a bad row is skipped (and reported) or fatal. */
#ifndef TP_IO_INGEST_H
#define TP_IO_INGEST_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/civil.h"
#include "core/error.h"
#include "touchpoint/ingest.h"

struct tp__ingest;

/* What the pieces of a parallel read share so that it can be stopped: only the
 * calling thread asks the caller's check; the others read `stop`. */
typedef struct tp__ingest_par {
    const struct tp__ingest *root; /* the read on the calling thread: options, total */
    pthread_t caller;
    atomic_int stop;
    atomic_uint_fast64_t bytes, rows; /* consumed by every piece so far */
} tp__ingest_par;

typedef struct tp__ingest {
    const char *name;
    tp_read_options opts;
    tp_read_log *report;
    uint64_t rows_read;
    uint64_t rows_accepted;
    uint64_t rows_rejected;
    uint64_t line;   /* where the current row starts, 1-based */
    uint64_t offset; /* byte offset of the current row */
    uint64_t total;  /* input size, for progress */
    int retry_serial; /* a parallel read gave up: roll back and read on one thread */
    tp__ingest_par *par; /* a piece of a parallel read: its shared state; else NULL */
    uint64_t tick_offset, tick_rows; /* a piece: the figures it has added to par */
    tp__day_cache day; /* the day of the last timestamp read (tp__time_parse_cached) */
} tp__ingest;

/* Most threads a read may use (tp_read_options.threads). */
#define TP__MAX_THREADS 256

/* A parallel read gave up (retry_serial): start over on one thread. */
void tp__ingest_retry(tp__ingest *in);

/* Append src's issues to dst (in order, within dst's cap); counts are not touched.
 * Escaping is idempotent for the text recorded, so issues read the same. */
void tp__read_log_absorb(tp_read_log *dst, const tp_read_log *src);

/* Check the options (NULL = defaults) and start a read. */
tp_status tp__ingest_begin(tp__ingest *in, const char *name, const tp_read_options *opts,
                           tp_read_log *report, uint64_t total);

/* Every 65,536th row: report progress and ask whether to stop. TP_OK, or
 * TP_ECANCELED with the message set. */
tp_status tp__ingest_tick(tp__ingest *in);

/* A new data row starts at `line` and byte `offset`; reports progress now and
 * then. TP_OK, or TP_ECANCELED (message set) when the read is to stop. */
static inline tp_status tp__ingest_row(tp__ingest *in, uint64_t line, uint64_t offset)
{
    in->rows_read++;
    in->line = line;
    in->offset = offset;
    return (in->rows_read & 0xFFFF) ? TP_OK : tp__ingest_tick(in);
}

/* The read of one piece of a parallel read of `in`, starting `offset` bytes
 * into the input: in's options without the callbacks (the calling thread asks
 * them through par), no rows yet, a log of its own when in has one. TP_OK or
 * TP_ENOMEM. */
tp_status tp__ingest_piece(tp__ingest *piece, const tp__ingest *in, tp__ingest_par *par,
                           uint64_t offset);

/* A piece that has been read, added to `in` in input order: its counts, where
 * it ended and its log; then the progress callback with `done` bytes. */
void tp__ingest_absorb_piece(tp__ingest *in, const tp__ingest *piece, uint64_t done);

/* On the calling thread of a parallel read: ask the check with the pieces'
 * figures so far; sets par->stop when it says stop. Returns par->stop. */
int tp__ingest_par_poll(tp__ingest_par *par);

/* The current row is bad. Skip mode: record it, return TP_OK. Stop mode: set the
 * error (file:line:column: field: reason), record it, return the status. */
tp_status tp__ingest_bad_row(tp__ingest *in, tp_status status, uint64_t column,
                             const char *field, const char *fmt, ...) TP__PRINTF(5, 6);

/* A problem with the whole input (header, empty file): always fatal. */
tp_status tp__ingest_fail(tp__ingest *in, tp_status status, uint64_t line, uint64_t column,
                          const char *field, const char *fmt, ...) TP__PRINTF(6, 7);

/* Finish a read: add the counts to the report (accepted rows only on success). */
void tp__ingest_end(tp__ingest *in, tp_status result, uint64_t bytes);

/* Read a whole file and hand it to a buffer reader (the *_read_csv_buffer functions). */
typedef tp_status (*tp__buffer_reader)(void *store, const void *data, size_t len, const char *name,
                                       const tp_read_options *opts, tp_read_log *report);
tp_status tp__read_file(void *store, const char *path, const tp_read_options *opts,
                        tp_read_log *report, tp__buffer_reader fn);

/* Run one events read as a transaction: options checked, the store marked,
 * `body` run, the store rolled back on failure, the report updated. */
struct tp_events;
typedef tp_status (*tp__events_body)(struct tp_events *e, const char *data, size_t len,
                                     tp__ingest *in);
tp_status tp__events_ingest(struct tp_events *e, const void *data, size_t len, const char *name,
                            const tp_read_options *opts, tp_read_log *report, tp__events_body body);

#endif
