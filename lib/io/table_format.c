/* Table export: aligned text, CSV (RFC 4180, formula-safe) and JSON. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/file.h"
#include "core/numtext.h"
#include "core/strbuf.h"
#include "model/table_internal.h"

enum { TEXT_CELL_MAX = 48 }; /* characters shown per text cell */

static const char *str_cell(const tp_table *t, const tp__column *c, size_t r, size_t *len)
{
    uint32_t id = c->str.data[r];
    *len = tp__intern_len(&t->text, id);
    return tp__intern_str(&t->text, id);
}

/* Number cell as text into buf; returns length. */
static size_t num_cell(const tp__column *c, size_t r, int exact, char *buf, size_t cap)
{
    if (c->type == TP_TYPE_INT64)
        return (size_t)snprintf(buf, cap, "%" PRId64, c->i64.data[r]);
    double v = c->f64.data[r];
    if (!isfinite(v)) {
        buf[0] = '\0';
        return 0;
    }
    if (exact)
        tp__format_double(v, buf, cap);
    else
        tp__snprintf_c(buf, cap, "%.6g", v);
    return strlen(buf);
}

/* Characters (code points) in s[0..len), and the byte length of the first `max`. */
static size_t utf8_chars(const char *s, size_t len, size_t max, size_t *cut)
{
    size_t n = 0;
    *cut = len;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (n == max)
                *cut = i;
            n++;
        }
    }
    return n;
}

/* Control characters (newlines in comments) would break the grid: show them as spaces. */
static void add_flat(tp__strbuf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20) {
            tp__sb_add(b, s + start, i - start);
            tp__sb_putc(b, ' ');
            start = i + 1;
        }
    tp__sb_add(b, s + start, len - start);
}

static void pad(tp__strbuf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tp__sb_putc(b, ' ');
}

/* End a text line without trailing spaces (null cells at the end pad nothing). */
static void end_line(tp__strbuf *b)
{
    while (b->len && b->data && b->data[b->len - 1] == ' ')
        b->len--;
    tp__sb_putc(b, '\n');
}

static void format_text(const tp_table *t, tp__strbuf *b)
{
    size_t *w = tp__calloc(t->ncols + 1, sizeof *w);
    if (!w) {
        b->failed = 1;
        return;
    }
    char num[64];
    size_t cut;
    for (size_t c = 0; c < t->ncols; c++) {
        const tp__column *col = &t->cols[c];
        w[c] = utf8_chars(col->name, strlen(col->name), SIZE_MAX, &cut);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t n = 0;
            if (col->null.data[r])
                n = 0;
            else if (col->type == TP_TYPE_STRING) {
                size_t len;
                const char *s = str_cell(t, col, r, &len);
                n = utf8_chars(s, len, SIZE_MAX, &cut);
                if (n > TEXT_CELL_MAX)
                    n = TEXT_CELL_MAX;
            } else
                n = num_cell(col, r, 0, num, sizeof num);
            if (n > w[c])
                w[c] = n;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const tp__column *col = &t->cols[c];
        size_t n = utf8_chars(col->name, strlen(col->name), SIZE_MAX, &cut);
        if (c)
            tp__sb_add(b, "  ", 2);
        if (col->type != TP_TYPE_STRING)
            pad(b, w[c] - n);
        tp__sb_puts(b, col->name);
        if (col->type == TP_TYPE_STRING && c + 1 < t->ncols)
            pad(b, w[c] - n);
    }
    end_line(b);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const tp__column *col = &t->cols[c];
            if (c)
                tp__sb_add(b, "  ", 2);
            if (col->type == TP_TYPE_STRING) {
                size_t len = 0, n = 0;
                if (!col->null.data[r]) {
                    const char *s = str_cell(t, col, r, &len);
                    n = utf8_chars(s, len, TEXT_CELL_MAX - 1, &cut);
                    if (n > TEXT_CELL_MAX) {
                        add_flat(b, s, cut);
                        tp__sb_puts(b, "\xe2\x80\xa6"); /* ellipsis */
                        n = TEXT_CELL_MAX;
                    } else
                        add_flat(b, s, len);
                }
                if (c + 1 < t->ncols)
                    pad(b, w[c] - n);
            } else {
                size_t n = col->null.data[r] ? 0 : num_cell(col, r, 0, num, sizeof num);
                pad(b, w[c] - n);
                tp__sb_add(b, num, n);
            }
        }
        end_line(b);
    }
    tp__free(w);
}

static void csv_field(tp__strbuf *b, const char *s, size_t len, int guard)
{
    /* A leading apostrophe stops spreadsheets from running =, +, -, @, TAB, CR.
     * Text that already starts with an apostrophe before one of those (or
     * before another apostrophe) gets one more, so our readers, which drop
     * exactly one such apostrophe, read back what was written. */
    int formula = guard && len && s[0] &&
                  (strchr("=+-@\t\r", s[0]) ||
                   (s[0] == '\'' && len > 1 && s[1] && strchr("=+-@\t\r'", s[1])));
    int quote = 0;
    for (size_t i = 0; i < len && !quote; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (!quote) {
        if (formula)
            tp__sb_putc(b, '\'');
        tp__sb_add(b, s, len);
        return;
    }
    tp__sb_putc(b, '"');
    if (formula)
        tp__sb_putc(b, '\'');
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            tp__sb_add(b, s + start, i + 1 - start);
            tp__sb_putc(b, '"');
            start = i + 1;
        }
    tp__sb_add(b, s + start, len - start);
    tp__sb_putc(b, '"');
}

static void format_csv(const tp_table *t, tp__strbuf *b)
{
    char num[64];
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            tp__sb_putc(b, ',');
        csv_field(b, t->cols[c].name, strlen(t->cols[c].name), 1);
    }
    tp__sb_putc(b, '\n');
    for (size_t r = 0; r < t->nrows && !b->failed; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const tp__column *col = &t->cols[c];
            if (c)
                tp__sb_putc(b, ',');
            if (col->null.data[r])
                continue;
            if (col->type == TP_TYPE_STRING) {
                size_t len;
                const char *s = str_cell(t, col, r, &len);
                csv_field(b, s, len, 1);
            } else {
                size_t n = num_cell(col, r, 1, num, sizeof num);
                tp__sb_add(b, num, n);
            }
        }
        tp__sb_putc(b, '\n');
    }
}

static void format_json(const tp_table *t, tp__strbuf *b)
{
    char num[64];
    tp__sb_putc(b, '[');
    for (size_t r = 0; r < t->nrows && !b->failed; r++) {
        tp__sb_add(b, r ? ",\n{" : "\n{", r ? 3 : 2);
        for (size_t c = 0; c < t->ncols; c++) {
            const tp__column *col = &t->cols[c];
            if (c)
                tp__sb_putc(b, ',');
            tp__sb_json_string(b, col->name, strlen(col->name));
            tp__sb_putc(b, ':');
            if (col->null.data[r]) {
                tp__sb_add(b, "null", 4);
            } else if (col->type == TP_TYPE_STRING) {
                size_t len;
                const char *s = str_cell(t, col, r, &len);
                tp__sb_json_string(b, s, len);
            } else if (col->type == TP_TYPE_INT64) {
                size_t n = num_cell(col, r, 1, num, sizeof num);
                tp__sb_add(b, num, n);
            } else {
                tp__sb_json_double(b, col->f64.data[r]);
            }
        }
        tp__sb_putc(b, '}');
    }
    tp__sb_add(b, t->nrows ? "\n]\n" : "]\n", t->nrows ? 3 : 2);
}

tp_status tp_table_format(const tp_table *t, tp_format format, char **out, size_t *len)
{
    if (!t || !out)
        return tp__error(TP_EINVAL, "tp_table_format: NULL argument");
    *out = NULL;
    tp__strbuf b = {0};
    switch (format) {
    case TP_FORMAT_TEXT: format_text(t, &b); break;
    case TP_FORMAT_CSV: format_csv(t, &b); break;
    case TP_FORMAT_JSON: format_json(t, &b); break;
    default: return tp__error(TP_EINVAL, "tp_table_format: unknown format %d", (int)format);
    }
    return tp__sb_finish(&b, out, len);
}

tp_status tp_table_write(const tp_table *t, tp_format format, const char *path)
{
    if (!path)
        return tp__error(TP_EINVAL, "tp_table_write: path is NULL");
    char *text = NULL;
    size_t len = 0;
    tp_status st = tp_table_format(t, format, &text, &len);
    return tp__file_write_made(path, st, text, len);
}
