/* Result table internals, shared with the exporters in io/. */
#ifndef TP_MODEL_TABLE_INTERNAL_H
#define TP_MODEL_TABLE_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "touchpoint/table.h"

typedef struct tp__column {
    char *name;
    tp_type type;
    tp_unit unit;
    tp__vec_u32 str;  /* TP_TYPE_STRING: ids in table->text */
    tp__vec_i64 i64;
    tp__vec_f64 f64;
    tp__vec_u8 null;  /* 1 where the cell is null */
} tp__column;

struct tp_table {
    tp__column *cols;
    size_t ncols, capcols;
    size_t nrows;
    tp__intern text;
    char *note; /* why the table is as it is (tp_table_note()), or NULL */
};

/* Append the rows of @p src to *dst (created when NULL, its first column a
 * string column named @p lead), each with @p value in that first column;
 * src's columns are matched by name and added when new (earlier rows null).
 * When src has a column named like the lead, the lead becomes "breakdown".
 * Returns TP_OK, TP_ENOMEM, or TP_EINVAL when a column changes type. On
 * failure *dst may hold part of the block: free it. */
tp_status tp__table_append_block(tp_table **dst, const char *lead, const char *value,
                                 const tp_table *src);

#endif
