#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/nearest.h"
#include "core/error.h"
#include "core/utf8.h"
#include "model/table_internal.h"

tp_status tp_table_new(tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_table_new: out is NULL");
    tp_table *t = tp__calloc(1, sizeof *t);
    *out = t;
    if (!t)
        return tp__error(TP_ENOMEM, "out of memory creating table");
    tp__intern_init(&t->text);
    return TP_OK;
}

static void column_free(tp__column *c)
{
    tp__free(c->name);
    tp__vec_u32_free(&c->str);
    tp__vec_i64_free(&c->i64);
    tp__vec_f64_free(&c->f64);
    tp__vec_u8_free(&c->null);
}

void tp_table_free(tp_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        column_free(&t->cols[i]);
    tp__free(t->cols);
    tp__intern_free(&t->text);
    tp__free(t->note);
    tp__free(t);
}

TP_API tp_status tp_table_set_note(tp_table *t, const char *note)
{
    if (!t)
        return tp__error(TP_EINVAL, "tp_table_set_note: table is NULL");
    char *copy = NULL;
    if (note && !(copy = tp__strdup(note)))
        return tp__error(TP_ENOMEM, "out of memory");
    tp__free(t->note);
    t->note = copy;
    return TP_OK;
}

TP_API const char *tp_table_note(const tp_table *t)
{
    return t ? t->note : NULL;
}

/* Grow a column's storage to hold `rows` cells, the new ones null. */
static int column_fill(tp__column *c, size_t rows)
{
    size_t have = c->null.len;
    if (rows <= have)
        return 0;
    size_t extra = rows - have;
    if (tp__vec_u8_reserve(&c->null, extra))
        return -1;
    switch (c->type) {
    case TP_TYPE_STRING:
        if (tp__vec_u32_reserve(&c->str, extra))
            return -1;
        memset(c->str.data + have, 0, extra * sizeof *c->str.data);
        c->str.len = rows;
        break;
    case TP_TYPE_INT64:
        if (tp__vec_i64_reserve(&c->i64, extra))
            return -1;
        memset(c->i64.data + have, 0, extra * sizeof *c->i64.data);
        c->i64.len = rows;
        break;
    case TP_TYPE_DOUBLE:
        if (tp__vec_f64_reserve(&c->f64, extra))
            return -1;
        for (size_t i = have; i < rows; i++)
            c->f64.data[i] = NAN;
        c->f64.len = rows;
        break;
    }
    memset(c->null.data + have, 1, extra);
    c->null.len = rows;
    return 0;
}

static void column_truncate(tp__column *c, size_t rows)
{
    c->null.len = rows;
    if (c->str.len > rows)
        c->str.len = rows;
    if (c->i64.len > rows)
        c->i64.len = rows;
    if (c->f64.len > rows)
        c->f64.len = rows;
}

tp_status tp_table_add_column(tp_table *t, const char *name, tp_type type, size_t *index)
{
    if (!t || !name)
        return tp__error(TP_EINVAL, "tp_table_add_column: NULL argument");
    const char *why = tp__ident_problem(name, strlen(name));
    if (why)
        return tp__error(TP_EINVAL, "column name: %s", why);
    if (type != TP_TYPE_STRING && type != TP_TYPE_INT64 && type != TP_TYPE_DOUBLE)
        return tp__error(TP_EINVAL, "column '%s': invalid type %d", name, (int)type);
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return tp__error(TP_ECONFLICT, "column '%s' already exists", name);
    if (t->ncols == t->capcols &&
        tp__grow((void **)&t->cols, &t->capcols, sizeof *t->cols, t->ncols + 1))
        return tp__error(TP_ENOMEM, "out of memory adding column");
    tp__column c;
    memset(&c, 0, sizeof c);
    c.type = type;
    if (!(c.name = tp__strdup(name)) || column_fill(&c, t->nrows)) {
        column_free(&c);
        return tp__error(TP_ENOMEM, "out of memory adding column");
    }
    t->cols[t->ncols] = c;
    if (index)
        *index = t->ncols;
    t->ncols++;
    return TP_OK;
}

tp_status tp_table_append_row(tp_table *t, size_t *row)
{
    if (!t)
        return tp__error(TP_EINVAL, "tp_table_append_row: table is NULL");
    if (t->nrows >= UINT32_MAX - 1)
        return tp__error(TP_ELIMIT, "table holds the most rows it can");
    for (size_t i = 0; i < t->ncols; i++)
        if (column_fill(&t->cols[i], t->nrows + 1)) {
            for (size_t k = 0; k < i; k++)
                column_truncate(&t->cols[k], t->nrows);
            return tp__error(TP_ENOMEM, "out of memory adding row");
        }
    if (row)
        *row = t->nrows;
    t->nrows++;
    return TP_OK;
}

static tp__column *cell(const tp_table *t, size_t row, size_t col, tp_type want, const char *fn)
{
    if (!t || row >= t->nrows || col >= t->ncols) {
        tp__error(TP_EINVAL, "%s: cell (%zu, %zu) out of range", fn, row, col);
        return NULL;
    }
    tp__column *c = &t->cols[col];
    if (want && c->type != want) {
        tp__error(TP_EINVAL, "%s: column '%s' has another type", fn, c->name);
        return NULL;
    }
    return c;
}

tp_status tp_table_set_string(tp_table *t, size_t row, size_t col, const char *value)
{
    tp__column *c = cell(t, row, col, TP_TYPE_STRING, "tp_table_set_string");
    if (!c)
        return TP_EINVAL;
    if (!value) {
        c->null.data[row] = 1;
        c->str.data[row] = 0;
        return TP_OK;
    }
    size_t n = strlen(value);
    if (tp__utf8_check(value, n) != (size_t)-1)
        return tp__error(TP_EINVAL, "column '%s': invalid UTF-8", c->name);
    uint32_t id;
    if (tp__intern_put(&t->text, value, n, &id))
        return tp__error(TP_ENOMEM, "out of memory setting cell");
    c->str.data[row] = id;
    c->null.data[row] = 0;
    return TP_OK;
}

tp_status tp_table_set_int64(tp_table *t, size_t row, size_t col, int64_t value)
{
    tp__column *c = cell(t, row, col, TP_TYPE_INT64, "tp_table_set_int64");
    if (!c)
        return TP_EINVAL;
    c->i64.data[row] = value;
    c->null.data[row] = 0;
    return TP_OK;
}

tp_status tp_table_set_double(tp_table *t, size_t row, size_t col, double value)
{
    tp__column *c = cell(t, row, col, TP_TYPE_DOUBLE, "tp_table_set_double");
    if (!c)
        return TP_EINVAL;
    c->f64.data[row] = value;
    c->null.data[row] = isnan(value) ? 1 : 0;
    return TP_OK;
}

tp_status tp_table_set_null(tp_table *t, size_t row, size_t col)
{
    tp__column *c = cell(t, row, col, 0, "tp_table_set_null");
    if (!c)
        return TP_EINVAL;
    c->null.data[row] = 1;
    if (c->type == TP_TYPE_DOUBLE)
        c->f64.data[row] = NAN;
    else if (c->type == TP_TYPE_INT64)
        c->i64.data[row] = 0;
    else
        c->str.data[row] = 0;
    return TP_OK;
}

size_t tp_table_row_count(const tp_table *t) { return t ? t->nrows : 0; }
size_t tp_table_column_count(const tp_table *t) { return t ? t->ncols : 0; }

const char *tp_table_column_name(const tp_table *t, size_t col)
{
    return t && col < t->ncols ? t->cols[col].name : NULL;
}

tp_type tp_table_column_type(const tp_table *t, size_t col)
{
    return t && col < t->ncols ? t->cols[col].type : (tp_type)0;
}

tp_status tp_table_find_column(const tp_table *t, const char *name, size_t *col)
{
    if (!t || !name || !col)
        return tp__error(TP_EINVAL, "tp_table_find_column: NULL argument");
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) {
            *col = i;
            return TP_OK;
        }
    return tp__error(TP_ENOTFOUND, "no column '%.200s'", name);
}

int tp_table_is_null(const tp_table *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols)
        return -1;
    return t->cols[col].null.data[row];
}

tp_status tp_table_get_string(const tp_table *t, size_t row, size_t col, const char **out)
{
    tp__column *c = cell(t, row, col, TP_TYPE_STRING, "tp_table_get_string");
    if (!c || !out)
        return tp__error(TP_EINVAL, "tp_table_get_string: bad argument");
    *out = c->null.data[row] ? NULL : tp__intern_str(&t->text, c->str.data[row]);
    return TP_OK;
}

tp_status tp_table_get_int64(const tp_table *t, size_t row, size_t col, int64_t *out)
{
    tp__column *c = cell(t, row, col, TP_TYPE_INT64, "tp_table_get_int64");
    if (!c || !out)
        return tp__error(TP_EINVAL, "tp_table_get_int64: bad argument");
    *out = c->i64.data[row];
    return TP_OK;
}

tp_status tp_table_get_double(const tp_table *t, size_t row, size_t col, double *out)
{
    tp__column *c = cell(t, row, col, 0, "tp_table_get_double");
    if (!c || !out || c->type == TP_TYPE_STRING)
        return tp__error(TP_EINVAL, "tp_table_get_double: bad argument or string column");
    if (c->null.data[row])
        *out = NAN;
    else
        *out = c->type == TP_TYPE_DOUBLE ? c->f64.data[row] : (double)c->i64.data[row];
    return TP_OK;
}

const int64_t *tp_table_int64_data(const tp_table *t, size_t col)
{
    if (!t || col >= t->ncols || t->cols[col].type != TP_TYPE_INT64 || !t->nrows)
        return NULL;
    return t->cols[col].i64.data;
}

const double *tp_table_double_data(const tp_table *t, size_t col)
{
    if (!t || col >= t->ncols || t->cols[col].type != TP_TYPE_DOUBLE || !t->nrows)
        return NULL;
    return t->cols[col].f64.data;
}

tp_status tp_format_parse(const char *name, tp_format *out)
{
    if (!name || !out)
        return tp__error(TP_EINVAL, "tp_format_parse: NULL argument");
    if (!strcasecmp(name, "table") || !strcasecmp(name, "text"))
        *out = TP_FORMAT_TEXT;
    else if (!strcasecmp(name, "wide"))
        *out = TP_FORMAT_TEXT_WIDE;
    else if (!strcasecmp(name, "csv"))
        *out = TP_FORMAT_CSV;
    else if (!strcasecmp(name, "json"))
        *out = TP_FORMAT_JSON;
    else
        return tp__error(TP_EINVAL, "unknown format '%.40s' (expected table, wide, csv or json)", name);
    return TP_OK;
}

static const char *const type_words[] = {"string", "int64", "double", NULL};

TP__WORD_FUNCTIONS(tp_type, tp_type, type_words, "column type", 1)

static const char *const unit_words[] = {"none", "time", "duration", "flag", NULL};

TP__WORD_FUNCTIONS(tp_unit, tp_unit, unit_words, "column unit", 0)

tp_status tp_table_set_column_unit(tp_table *t, size_t col, tp_unit unit)
{
    if (!t)
        return tp__error(TP_EINVAL, "setting a column's unit: the table is NULL");
    if (col >= t->ncols)
        return tp__error(TP_EINVAL, "setting a column's unit: column %zu is out of range (%zu "
                                    "columns)",
                         col, t->ncols);
    tp__column *c = &t->cols[col];
    if ((unsigned)unit > TP_UNIT_FLAG)
        return tp__error(TP_EINVAL, "column '%s': unknown unit %d", c->name, (int)unit);
    int fits = unit == TP_UNIT_NONE || (unit == TP_UNIT_DURATION && c->type != TP_TYPE_STRING) ||
               c->type == TP_TYPE_INT64;
    if (!fits)
        return tp__error(TP_EINVAL, "column '%s': a %s column cannot hold a %s", c->name,
                         tp_type_name(c->type), unit_words[unit]);
    c->unit = unit;
    return TP_OK;
}

tp_unit tp_table_column_unit(const tp_table *t, size_t col)
{
    return t && col < t->ncols ? t->cols[col].unit : TP_UNIT_NONE;
}

/* ---- blocks of rows under a leading value (breakdowns) ---- */

static tp_status copy_cell(tp_table *dst, size_t drow, size_t dcol, const tp_table *src,
                           size_t srow, size_t scol)
{
    if (tp_table_is_null(src, srow, scol))
        return TP_OK;
    const char *s;
    int64_t i;
    double d;
    switch (tp_table_column_type(src, scol)) {
    case TP_TYPE_STRING:
        tp_table_get_string(src, srow, scol, &s);
        return tp_table_set_string(dst, drow, dcol, s);
    case TP_TYPE_INT64:
        tp_table_get_int64(src, srow, scol, &i);
        return tp_table_set_int64(dst, drow, dcol, i);
    default:
        tp_table_get_double(src, srow, scol, &d);
        return tp_table_set_double(dst, drow, dcol, d);
    }
}

tp_status tp__table_append_block(tp_table **dst, const char *lead, const char *value,
                                 const tp_table *src)
{
    tp_status st = TP_OK;
    if (!*dst) {
        if ((st = tp_table_new(dst)) != TP_OK ||
            (st = tp_table_add_column(*dst, lead, TP_TYPE_STRING, NULL)) != TP_OK) {
            tp_table_free(*dst);
            *dst = NULL;
            return st;
        }
    }
    tp_table *t = *dst;
    size_t nc = tp_table_column_count(src);
    size_t *at = tp__malloc((nc ? nc : 1) * sizeof *at);
    if (!at)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t c = 0; st == TP_OK && c < nc; c++) {
        const char *name = tp_table_column_name(src, c);
        if (!strcmp(name, t->cols[0].name)) { /* the analysis has a column of that name */
            char *renamed = tp__strdup("breakdown");
            if (!renamed) {
                st = tp__error(TP_ENOMEM, "out of memory");
                break;
            }
            tp__free(t->cols[0].name);
            t->cols[0].name = renamed;
        }
        if (tp_table_find_column(t, name, &at[c]) == TP_OK) {
            if (tp_table_column_type(t, at[c]) != tp_table_column_type(src, c))
                st = tp__error(TP_EINVAL, "breakdown: column %s changes type between blocks",
                               name);
        } else if ((st = tp_table_add_column(t, name, tp_table_column_type(src, c), &at[c])) ==
                   TP_OK) {
            st = tp_table_set_column_unit(t, at[c], tp_table_column_unit(src, c));
        }
    }
    for (size_t r = 0; st == TP_OK && r < tp_table_row_count(src); r++) {
        size_t row;
        if ((st = tp_table_append_row(t, &row)) != TP_OK ||
            (st = tp_table_set_string(t, row, 0, value)) != TP_OK)
            break;
        for (size_t c = 0; st == TP_OK && c < nc; c++)
            st = copy_cell(t, row, at[c], src, r, c);
    }
    tp__free(at);
    return st;
}
