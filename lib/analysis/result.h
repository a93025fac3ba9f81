/* Building result tables with a sticky status: each call is a no-op after the
 * first failure, and finish reports it once. Keeps the analyses readable. */
#ifndef TP_ANALYSIS_RESULT_H
#define TP_ANALYSIS_RESULT_H

#include <stdint.h>

#include "touchpoint/table.h"

typedef struct tp__col {
    const char *name;
    tp_type type;
} tp__col;

typedef struct tp__rb {
    tp_table *t;
    tp_status st;
    size_t row;
} tp__rb;

/* Start a table with these columns. */
void tp__rb_begin(tp__rb *b, const tp__col *cols, size_t n);
/* Add one more column after the fixed ones (for tables whose first column is named at run time). */
void tp__rb_column(tp__rb *b, const char *name, tp_type type);
/* Say what the numbers of the column named @p name mean (tp_unit). */
void tp__rb_unit(tp__rb *b, const char *name, tp_unit unit);
void tp__rb_row(tp__rb *b);
/* Cell setters for the current row; NULL strings and NaN doubles become nulls. */
void tp__rb_str(tp__rb *b, size_t col, const char *s);
void tp__rb_i64(tp__rb *b, size_t col, int64_t v);
void tp__rb_f64(tp__rb *b, size_t col, double v);
/* Hand the table over (TP_OK) or free it and return the first error. */
tp_status tp__rb_finish(tp__rb *b, tp_table **out);
/* After a finish that returned @p st: when the table has no rows, give it
 * @p why as its note (tp_table_note()). Returns @p st, or the error of
 * setting the note (the table freed, *out NULL). */
tp_status tp__note_if_empty(tp_status st, tp_table **out, const char *why);
/* The same for tables that keep their rows when nothing was counted (a
 * funnel's steps, conformance's summary): set @p why when it is not NULL. */
tp_status tp__note(tp_status st, tp_table **out, const char *why);

#define TP__NCOLS(a) (sizeof(a) / sizeof((a)[0]))

#endif
