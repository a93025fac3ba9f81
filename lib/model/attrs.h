/* Attribute columns: named string columns beside the fixed columns of a store
 * (extra CSV columns, extra JSON keys), used for segments. Values are interned;
 * id 0 is "" and means missing. */
#ifndef TP_MODEL_ATTRS_H
#define TP_MODEL_ATTRS_H

#include "core/intern.h"
#include "core/vec.h"

typedef struct tp__attrs {
    tp__intern names;   /* column index -> name as first spelled */
    tp__intern folded;  /* the names in ASCII lower case -> column index */
    tp__intern values;
    tp__vec_ptr cols;   /* tp__vec_u32 * per column */
} tp__attrs;

typedef struct tp__attrs_mark {
    size_t ncols;
    size_t nrows;
    tp__intern_mark names, folded, values;
} tp__attrs_mark;

/* Returns 0, or -1 on allocation failure (then call tp__attrs_free). */
int tp__attrs_init(tp__attrs *a);
void tp__attrs_free(tp__attrs *a);

static inline size_t tp__attrs_count(const tp__attrs *a) { return a->cols.len; }

/* Index of column `name`, adding it (filled with missing for `nrows` rows) if new.
 * Names match as CSV header names do, ignoring ASCII case ("Segment" is the
 * column "segment" that came first); the first spelling names the column.
 * Returns 0 or -1 on allocation failure. */
int tp__attrs_column(tp__attrs *a, const char *name, size_t len, size_t nrows, size_t *col);

/* Index of column `name` (matched the same way), or SIZE_MAX. */
size_t tp__attrs_find(const tp__attrs *a, const char *name, size_t len);

/* Intern a value. Returns 0 or -1. */
int tp__attrs_value(tp__attrs *a, const char *s, size_t len, uint32_t *id);

/* Make room for n more rows in every column. Returns 0 or -1. */
int tp__attrs_reserve(tp__attrs *a, size_t n);
static inline int tp__attrs_reserve_row(tp__attrs *a) { return tp__attrs_reserve(a, 1); }

/* Append a row: vals[c] for the first n columns, missing for the rest. Must
 * follow a successful tp__attrs_reserve_row(). */
void tp__attrs_push_row(tp__attrs *a, const uint32_t *vals, size_t n);

/* Append src's `nrows` rows to dst's `dst_rows`: src column j goes to dst column
 * cols[j], values re-interned, dst columns src lacks get missing. Returns 0 or -1
 * (roll dst back to a mark). */
int tp__attrs_absorb(tp__attrs *dst, size_t dst_rows, const tp__attrs *src, size_t nrows,
                     const size_t *cols);

const char *tp__attrs_get(const tp__attrs *a, size_t col, size_t row);
const char *tp__attrs_name(const tp__attrs *a, size_t col);

tp__attrs_mark tp__attrs_mark_get(const tp__attrs *a, size_t nrows);
void tp__attrs_rollback(tp__attrs *a, tp__attrs_mark m);

#endif
