/* Shared checks for the fuzz targets: every target calls public API only and
 * aborts (so libFuzzer and the replay driver both see a crash) when an
 * invariant breaks. */
#ifndef TP_FUZZ_UTIL_H
#define TP_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "touchpoint.h"

/* Abort with a message naming the broken invariant. */
#define FZ_CHECK(cond)                                                                       \
    do {                                                                                     \
        if (!(cond))                                                                         \
            fz_fail(__FILE__, __LINE__, #cond);                                              \
    } while (0)

void fz_fail(const char *file, int line, const char *what);

/* A status that a failing call may return for bad input (never TP_ENOMEM: the
 * fuzz targets run with a working allocator, so ENOMEM would be a misreport). */
int fz_input_error(tp_status st);

/* Check tp_last_error() after a failed call: set, bounded, printable ASCII
 * (input reaches messages only as a short escaped excerpt). */
void fz_check_error(tp_status st);

/* Check every issue in a report of one read that returned @p st the same way,
 * and the count arithmetic. */
void fz_check_report(const tp_read_log *report, tp_status st);

/* The table as CSV (a fingerprint of a store's whole content); free with
 * free(). Consumes @p table. Never NULL. */
char *fz_table_text(tp_table *table);

/* NUL-terminated copy of the input; free with free(). */
char *fz_strndup(const uint8_t *data, size_t size);

/* Growable text for building canonical inputs. */
typedef struct fz_buf {
    char *p;
    size_t len, cap;
} fz_buf;
void fz_put(fz_buf *b, const char *s, size_t n);
void fz_puts(fz_buf *b, const char *s);
/* One CSV field, always quoted, inner quotes doubled, an apostrophe added where
 * the readers would drop one (see the formula guard in docs/bad-input.md). */
void fz_put_field(fz_buf *b, const char *s, int first);

/* A store reader under test, through plain callbacks over an opaque store. */
typedef struct fz_reader {
    void *(*create)(void);          /* a new, empty store */
    void (*destroy)(void *store);
    void (*prefill)(void *store);   /* add a few valid rows */
    tp_status (*read)(void *store, const void *data, size_t size, const tp_read_options *opts,
                      tp_read_log *report);
    size_t (*count)(const void *store);      /* rows held */
    size_t (*touchpoints)(const void *store); /* catalog entries the store may add */
    char *(*fingerprint)(const void *store); /* the whole content as text (free()) */
    char *(*canonical)(const void *store);   /* text the reader reads back to the same
                                                store (free()); NULL: the fingerprint */
    int one_row_per_line;                    /* count() == rows accepted */
    void (*tight)(tp_read_options *opts, size_t size); /* options of the third read */
    void (*extra)(void *store);              /* more checks on the lenient result; may be NULL */
} fz_reader;

/* The reader invariants on one input:
 *  - a strict read into a store that holds rows either succeeds, adding exactly
 *    the rows it accepts, or fails with a clean error leaving the store (and the
 *    catalog) exactly as it was;
 *  - a lenient read into an empty store accepts the same rows when the strict
 *    one succeeded; a whole-input failure keeps nothing;
 *  - report counts add up and every message is short, printable and escaped;
 *  - the lenient result, written in its canonical form, reads back strictly to
 *    the same store;
 *  - a third read with the reader's tight options keeps those rules too. */
void fz_check_reader(const fz_reader *r, const uint8_t *data, size_t size);

/* The CSV tokenizer gives the same records, fields, lines and problems with
 * each vector scanner this processor runs as with the scalar one, for the
 * delimiters ',', ';' and TAB. */
void fz_check_scanners(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
