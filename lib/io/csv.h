/* RFC 4180 tokenizer over a memory buffer.
 *
 * It always finds the end of a record, even a malformed one, by reading it
 * leniently (a stray quote is kept as text, characters after a closing quote
 * join the field) and flags the record with the first problem it saw. A reader
 * can then skip exactly that record. Fields point into the input when they need
 * no unescaping, so most fields cost no copy. */
#ifndef TP_IO_CSV_H
#define TP_IO_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "touchpoint/common.h"

/* Most fields a header may name (and so a data row may have): a record keeps at
 * most one more, so one that is longer costs no memory for the rest. */
#define TP__CSV_MAX_FIELDS 4096

typedef struct tp__csv_field {
    const char *ptr;
    size_t len;
    size_t off;     /* offset in scratch when in_scratch */
    int in_scratch;
    int guarded;    /* a formula-guard apostrophe was dropped before ptr */
} tp__csv_field;

/* How unquoted runs are scanned for the bytes that end them: byte by byte
 * through a table, or 16 (SSE2) or 32 (AVX2) bytes a step. The vector
 * scanners also split a short record of unquoted fields in one step (the
 * delimiters and the first other stop byte of 64 bytes, as bit masks). Every
 * scanner gives the same records; tp__csv_init picks the widest this
 * processor runs. */
typedef enum tp__csv_scanner {
    TP__SCAN_BEST,   /* what tp__csv_init picks */
    TP__SCAN_SCALAR,
    TP__SCAN_SSE2,
    TP__SCAN_AVX2,
} tp__csv_scanner;

typedef struct tp__csv tp__csv;
typedef const char *(*tp__csv_scan_fn)(const tp__csv *c, const char *p, const char *end);
/* Of the 64 bytes at p: bit i of *delims set where p[i] is the delimiter, of
 * *others where it is LF, CR, a quote or NUL. */
typedef void (*tp__csv_mask_fn)(const tp__csv *c, const char *p, uint64_t *delims,
                                uint64_t *others);

/* Whether this build and processor can run scanner s. */
int tp__csv_scanner_available(tp__csv_scanner s);

/* Use scanner s (available; TP__SCAN_BEST for the default) from now on in c. */
void tp__csv_use_scanner(tp__csv *c, tp__csv_scanner s);

struct tp__csv {
    const char *base, *p, *end;
    const char *limit;       /* no record starts at or after it (default: end) */
    char delim;
    size_t max_field;
    unsigned char stop[256]; /* bytes that end an unquoted run */
    uint64_t line;           /* physical line at p */
    uint64_t rec_line;       /* first line of the current record */
    uint64_t rec_offset;     /* byte offset of the current record */
    tp__csv_field *f;
    size_t nf, capf;         /* fields kept: at most TP__CSV_MAX_FIELDS + 1 */
    size_t nfields;          /* fields the record has (more than nf past the cap) */
    char *scratch;
    size_t slen, scap;
    tp_status err;           /* first problem in the current record, or TP_OK */
    size_t err_col;          /* its 1-based field number */
    char err_reason[192];
    tp__csv_scan_fn scan;    /* first stop byte in [p, end), or end */
    tp__csv_mask_fn mask;    /* NULL for the scalar scanner */
};

/* Line feeds in [from, to). */
uint64_t tp__count_newlines(const char *from, const char *to);

/* Start reading; a UTF-8 byte order mark is skipped. */
void tp__csv_init(tp__csv *c, const char *data, size_t len, char delim, size_t max_field);
void tp__csv_free(tp__csv *c);

/* Read only the records that start in [start, limit) of the input that
 * tp__csv_init was given (a piece read by a thread): records still end where
 * they end, past `limit` if need be; lines count from `line`. `start` must
 * follow a line feed. */
void tp__csv_range(tp__csv *c, const char *start, const char *limit, uint64_t line);

/* Next record: 1 (fields in c->f[0..nf), c->err set if malformed), 0 at the end
 * of input (or at `limit`; c->p is then where the next record would start), -1
 * when out of memory. Blank lines are skipped. A record of more than
 * TP__CSV_MAX_FIELDS + 1 fields keeps that many in c->f (the last one is the
 * record's last field) and counts them all in c->nfields. */
int tp__csv_next(tp__csv *c);

#endif
