/* The cell checks of reading a store from parallel columns (a data frame):
 * the CSV reader's field checks on one cell, a bad cell skipping the row or
 * failing the read as the options say (tp__ingest_bad_row). Each sets *bad
 * when the row is bad and returns what skipping or stopping made of it. */
#ifndef TP_IO_COLUMNS_H
#define TP_IO_COLUMNS_H

#include "core/ptrmap.h"
#include "io/fields.h"
#include "io/ingest.h"

/* The text of a cell, or NULL when it is missing (or the column absent). */
static inline const char *tp__cell_text(const tp_text_column *col, size_t i)
{
    return col->values ? col->values[i] : NULL;
}

/* A column's name in messages: the one given, else its text column's, else
 * the reader's own. */
static inline const char *tp__cell_name(const char *given, const tp_text_column *text,
                                        const char *own)
{
    return given ? given : text->name ? text->name : own;
}

/* TP_OK, or the row is bad for the reason @p why in column @p field. */
tp_status tp__cell_verdict(tp__ingest *in, tp_status st, const char *field, const char *why,
                           int *bad);

/* An identifier (customer, touchpoint): missing, empty or malformed is bad. */
tp_status tp__cell_ident(tp__ingest *in, const tp_text_column *col, size_t i, const char *what,
                         int *bad);

/* A time: milliseconds @p ms (with @p missing marks) or, with @p ms NULL, text. */
typedef struct tp__time_cells {
    const int64_t *ms;
    const unsigned char *missing;
    const tp_text_column *text;
    const char *name;
} tp__time_cells;
tp_status tp__cell_time(tp__ingest *in, const tp__time_cells *t, size_t i, int64_t *out,
                        int *bad);

/* A number: doubles @p v (NaN missing) or, with @p v NULL, text (missing or
 * empty: missing). A missing cell leaves *out as it is and sets *given 0. */
tp_status tp__cell_number(tp__ingest *in, const double *v, const tp_text_column *text,
                          const char *name, size_t i, double *out, int *given, int *bad);

/* The fields every store's row has: customer, time and touchpoint, checked
 * in the CSV reader's order, ids met before (by pointer) taken from memos. */
struct tp_catalog;
struct tp__intern;
typedef struct tp__cell_keys {
    const tp_text_column *customer, *touchpoint;
    tp__time_cells time;
    struct tp_catalog *catalog;
    int register_unknown;
    struct tp__intern *customers;           /* the store's customer ids */
    tp__ptrmap customer_memo, touchpoint_memo;
} tp__cell_keys;

/* A row's keys: the ids when met before, the time. */
typedef struct tp__cell_row {
    uint32_t customer, touchpoint;
    int have_customer, have_touchpoint;
    int64_t time;
} tp__cell_row;

void tp__cell_keys_init(tp__cell_keys *k, const tp_text_column *customer,
                        const tp_text_column *touchpoint, tp__time_cells time,
                        struct tp_catalog *catalog, int register_unknown,
                        struct tp__intern *customers);
void tp__cell_keys_free(tp__cell_keys *k);
/* Check row @p i's keys (after tp__ingest_row()). */
tp_status tp__cell_keys_check(tp__ingest *in, tp__cell_keys *k, size_t i, tp__cell_row *row,
                              int *bad);
/* After every check of the row passed: resolve its touchpoint (an unknown one
 * makes the row bad) and intern its customer. */
tp_status tp__cell_keys_store(tp__ingest *in, tp__cell_keys *k, size_t i, tp__cell_row *row,
                              int *bad);

/* A call's attribute columns in the store's: col[k] is the store column of
 * given column k, val[] one row's values by store column (0 missing), n the
 * store's columns. */
struct tp__attrs;
typedef struct tp__cell_attrs {
    size_t n;
    size_t *col;
    uint32_t *val;
} tp__cell_attrs;

/* Check the given columns (each with a name and, for rows, values). */
tp_status tp__cell_attrs_check(const tp_text_column *cols, size_t n, size_t rows,
                               const char *what);
/* Add the given columns to the store (filled with missing for its @p rows). */
tp_status tp__cell_attrs_begin(tp__cell_attrs *a, struct tp__attrs *store,
                               const tp_text_column *cols, size_t n, size_t rows);
/* Intern row @p i's values into a->val. Returns 0, or -1 out of memory. */
int tp__cell_attrs_row(tp__cell_attrs *a, struct tp__attrs *store, const tp_text_column *cols,
                       size_t n, size_t i);
void tp__cell_attrs_end(tp__cell_attrs *a);

/* Row @p i's cell of a text column kept as it is (an attribute, a comment):
 * valid UTF-8, as the CSV reader holds every field to; else a bad row
 * ("invalid UTF-8 at byte N of the field"), through tp__cell_verdict(). */
tp_status tp__cell_utf8(tp__ingest *in, const tp_text_column *col, size_t i, int *bad);

#endif
