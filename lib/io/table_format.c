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
#include "touchpoint/time.h"

enum { TEXT_CELL_MAX = 48 }; /* characters of a text cell a line (TP_FORMAT_TEXT) */

static const char *str_cell(const tp_table *t, const tp__column *c, size_t r, size_t *len)
{
    uint32_t id = c->str.data[r];
    *len = tp__intern_len(&t->text, id);
    return tp__intern_str(&t->text, id);
}

/* A time as people read it: "2026-03-01 09:30:00" (UTC), milliseconds only
 * when there are some, the date alone in a column of midnights (@p date).
 * 0 when out of range. */
static size_t time_words(int64_t ms, int date, char *buf, size_t cap)
{
    char iso[32];
    if (tp_time_format(ms, iso, sizeof iso) != TP_OK)
        return 0;
    iso[10] = ' ';
    iso[strlen(iso) - 1] = '\0'; /* the Z */
    size_t n = strlen(iso);
    if (date)
        n = 10;
    else if (n > 4 && !strcmp(iso + n - 4, ".000"))
        n -= 4;
    iso[n] = '\0';
    return (size_t)snprintf(buf, cap, "%s", iso);
}

/* Whether every time of a time column is a midnight (a column of days). */
static int column_of_days(const tp_table *t, const tp__column *c)
{
    if (c->unit != TP_UNIT_TIME)
        return 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (!c->null.data[r] && c->i64.data[r] % 86400000 != 0)
            return 0;
    return 1;
}

/* A duration as people read it, in its two largest units: "2d 4h", "3h 12m",
 * "12m 5s", "4.2s", "850ms". */
static size_t duration_words(double ms, char *buf, size_t cap)
{
    const char *sign = ms < 0 ? "-" : "";
    double a = fabs(ms);
    if (a < 1000)
        return (size_t)snprintf(buf, cap, "%s%.0fms", sign, a);
    if (a < 60000)
        return (size_t)tp__snprintf_c(buf, cap, "%s%.3gs", sign, a / 1000);
    static const struct {
        double ms;
        const char *name;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    double s = floor(a / 1000 + 0.5); /* whole seconds */
    for (size_t i = 0; i + 1 < sizeof units / sizeof units[0]; i++) {
        double per = units[i].ms / 1000, next = units[i + 1].ms / 1000;
        if (s >= per) {
            double big = floor(s / per), small = floor(fmod(s, per) / next);
            if (small)
                return (size_t)snprintf(buf, cap, "%s%.0f%s %.0f%s", sign, big, units[i].name,
                                        small, units[i + 1].name);
            return (size_t)snprintf(buf, cap, "%s%.0f%s", sign, big, units[i].name);
        }
    }
    return (size_t)snprintf(buf, cap, "%s%.0fs", sign, s);
}

/* A cell of a column with a unit, in words (text format only); 0 when the
 * value has none (a flag other than 0 or 1, a time out of range). */
static size_t unit_cell(const tp__column *c, size_t r, int days, char *buf, size_t cap)
{
    double v = c->type == TP_TYPE_INT64 ? (double)c->i64.data[r] : c->f64.data[r];
    switch (c->unit) {
    case TP_UNIT_TIME: return time_words(c->i64.data[r], days, buf, cap);
    case TP_UNIT_DURATION: return isfinite(v) ? duration_words(v, buf, cap) : 0;
    case TP_UNIT_FLAG:
        if (c->i64.data[r] == 0 || c->i64.data[r] == 1)
            return (size_t)snprintf(buf, cap, "%s", c->i64.data[r] ? "yes" : "no");
        return 0;
    case TP_UNIT_NONE: break;
    }
    return 0;
}

/* Number cell as text into buf; returns length. @p exact: 1 the shortest
 * exact text (CSV, JSON); 0 for people (6 digits, units in words); -1 the
 * same in a column of days. */
static size_t num_cell(const tp__column *c, size_t r, int exact, char *buf, size_t cap)
{
    size_t words = exact > 0 ? 0 : unit_cell(c, r, exact < 0, buf, cap);
    if (words)
        return words;
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

/* The first line of text cell *s (*len bytes) in a column of at most @p max
 * characters: its byte length, its characters in *chars; *s and *len move past
 * it. A longer cell breaks at its last space within the width (the space
 * dropped), or, with none, at the width: nothing of it is ever left out. */
static size_t take_line(const char **s, size_t *len, size_t max, size_t *chars)
{
    size_t cut, n = utf8_chars(*s, *len, max, &cut), take = *len, skip = 0;
    if (n > max) {
        take = cut;
        for (size_t i = cut; i > 0; i--)
            if ((*s)[i] == ' ') {
                take = i;
                skip = 1;
                break;
            }
    }
    const char *line = *s;
    *s += take + skip;
    *len -= take + skip;
    *chars = utf8_chars(line, take, SIZE_MAX, &cut);
    return take;
}

static void format_text(const tp_table *t, tp__strbuf *b, size_t cell_max)
{
    /* w: the width of each column; days: whether a time column holds days;
     * rest, rest_len: what is left of each text cell of the row being written */
    size_t nc = t->ncols + 1;
    size_t *w = tp__calloc(3 * nc, sizeof *w), *days = w ? w + nc : NULL;
    size_t *rest_len = w ? w + 2 * nc : NULL;
    const char **rest = tp__calloc(nc, sizeof *rest);
    if (!w || !rest) {
        tp__free(w);
        tp__free(rest);
        b->failed = 1;
        return;
    }
    char num[64];
    size_t cut;
    for (size_t c = 0; c < t->ncols; c++) {
        const tp__column *col = &t->cols[c];
        days[c] = (size_t)column_of_days(t, col);
        w[c] = utf8_chars(col->name, strlen(col->name), SIZE_MAX, &cut);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t n = 0;
            if (col->null.data[r])
                n = 0;
            else if (col->type == TP_TYPE_STRING) {
                size_t len;
                const char *s = str_cell(t, col, r, &len);
                n = utf8_chars(s, len, SIZE_MAX, &cut);
                if (n > cell_max)
                    n = cell_max;
            } else
                n = num_cell(col, r, days[c] ? -1 : 0, num, sizeof num);
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
            rest[c] = NULL;
            rest_len[c] = 0;
            if (col->type == TP_TYPE_STRING && !col->null.data[r])
                rest[c] = str_cell(t, col, r, &rest_len[c]);
        }
        /* One line, and more while a text cell is longer than its column. */
        for (int first = 1, more = 1; more; first = 0) {
            more = 0;
            for (size_t c = 0; c < t->ncols; c++) {
                const tp__column *col = &t->cols[c];
                if (c)
                    tp__sb_add(b, "  ", 2);
                if (col->type == TP_TYPE_STRING) {
                    size_t n = 0;
                    if (rest[c] && (first || rest_len[c])) {
                        const char *line = rest[c];
                        add_flat(b, line, take_line(&rest[c], &rest_len[c], cell_max, &n));
                        more |= rest_len[c] > 0;
                    }
                    if (c + 1 < t->ncols)
                        pad(b, w[c] - n);
                } else {
                    size_t n = col->null.data[r] || !first
                                   ? 0
                                   : num_cell(col, r, days[c] ? -1 : 0, num, sizeof num);
                    pad(b, w[c] - n);
                    tp__sb_add(b, num, n);
                }
            }
            end_line(b);
        }
    }
    tp__free(w);
    tp__free(rest);
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
    case TP_FORMAT_TEXT: format_text(t, &b, TEXT_CELL_MAX); break;
    case TP_FORMAT_TEXT_WIDE: format_text(t, &b, SIZE_MAX); break;
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
