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
void fz_check_report(const tp_report *report, tp_status st);

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
/* One CSV field, always quoted, inner quotes doubled. */
void fz_put_field(fz_buf *b, const char *s, int first);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
