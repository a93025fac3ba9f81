#include "analysis/result.h"

#include <math.h>

#include "core/error.h"

void tp__rb_begin(tp__rb *b, const tp__col *cols, size_t n)
{
    b->t = NULL;
    b->row = 0;
    b->st = tp_table_new(&b->t);
    for (size_t i = 0; i < n && b->st == TP_OK; i++)
        b->st = tp_table_add_column(b->t, cols[i].name, cols[i].type, NULL);
}

void tp__rb_column(tp__rb *b, const char *name, tp_type type)
{
    if (b->st == TP_OK)
        b->st = tp_table_add_column(b->t, name, type, NULL);
}

void tp__rb_unit(tp__rb *b, const char *name, tp_unit unit)
{
    size_t c;
    if (b->st == TP_OK && (b->st = tp_table_find_column(b->t, name, &c)) == TP_OK)
        b->st = tp_table_set_column_unit(b->t, c, unit);
}

void tp__rb_row(tp__rb *b)
{
    if (b->st == TP_OK)
        b->st = tp_table_append_row(b->t, &b->row);
}

void tp__rb_str(tp__rb *b, size_t col, const char *s)
{
    if (b->st == TP_OK && s)
        b->st = tp_table_set_string(b->t, b->row, col, s);
}

void tp__rb_i64(tp__rb *b, size_t col, int64_t v)
{
    if (b->st == TP_OK)
        b->st = tp_table_set_int64(b->t, b->row, col, v);
}

void tp__rb_f64(tp__rb *b, size_t col, double v)
{
    if (b->st == TP_OK && !isnan(v))
        b->st = tp_table_set_double(b->t, b->row, col, v);
}

tp_status tp__note(tp_status st, tp_table **out, const char *why)
{
    if (st != TP_OK || !*out || !why)
        return st;
    if ((st = tp_table_set_note(*out, why)) != TP_OK) {
        tp_table_free(*out);
        *out = NULL;
    }
    return st;
}

tp_status tp__note_if_empty(tp_status st, tp_table **out, const char *why)
{
    if (st != TP_OK || !*out || tp_table_row_count(*out) || !why)
        return st;
    if ((st = tp_table_set_note(*out, why)) != TP_OK) {
        tp_table_free(*out);
        *out = NULL;
    }
    return st;
}

tp_status tp__rb_finish(tp__rb *b, tp_table **out)
{
    if (b->st != TP_OK) {
        tp_table_free(b->t);
        b->t = NULL;
        *out = NULL;
        return b->st;
    }
    *out = b->t;
    b->t = NULL;
    return TP_OK;
}
