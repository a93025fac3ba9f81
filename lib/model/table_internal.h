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

#endif
