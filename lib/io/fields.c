#include "io/fields.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "model/attrs.h"
#include "touchpoint/time.h"

tp_status tp__check_ident_field(const char *s, size_t len, const char *what, char *why)
{
    const char *problem = tp__ident_problem(s, len);
    if (!problem)
        return TP_OK;
    if (len == 0) {
        snprintf(why, TP__WHY_CAP, "%s is empty", what);
    } else {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(s, len, ex, sizeof ex);
        snprintf(why, TP__WHY_CAP, "%s \"%s\": %s", what, ex, problem);
    }
    return TP_EVALIDATE;
}

tp_status tp__check_time_field(const char *s, size_t len, tp_epoch_unit unit, int64_t *out,
                               char *why)
{
    tp_status st = tp_time_parse(s, len, unit, out);
    if (st == TP_OK)
        return TP_OK;
    char ex[TP__EXCERPT_CAP];
    tp__excerpt(s, len, ex, sizeof ex);
    if (len == 0)
        snprintf(why, TP__WHY_CAP, "timestamp is empty");
    else if (st == TP_EVALIDATE)
        snprintf(why, TP__WHY_CAP, "timestamp \"%s\" is out of range", ex);
    else
        snprintf(why, TP__WHY_CAP,
                 "cannot parse timestamp \"%s\" (expected ISO 8601 or epoch seconds/ms)", ex);
    return st;
}

tp_status tp__check_number_field(const char *s, size_t len, double *out, char *why)
{
    tp_status st = tp__parse_double(s, len, out);
    if (st == TP_OK)
        return TP_OK;
    char ex[TP__EXCERPT_CAP];
    tp__excerpt(s, len, ex, sizeof ex);
    if (st == TP_EVALIDATE)
        snprintf(why, TP__WHY_CAP, "\"%s\" is not a finite number", ex);
    else
        snprintf(why, TP__WHY_CAP, "\"%s\" is not a number", ex);
    return st;
}

void tp__header_free(tp__header *h)
{
    for (size_t i = 0; h->names && i < h->ncols; i++)
        tp__free(h->names[i]);
    tp__free(h->names);
    tp__free(h->role_of_col);
    memset(h, 0, sizeof *h);
}

tp_status tp__csv_header(tp__csv *c, tp__ingest *in, const char *const *names, size_t nroles,
                         unsigned required, tp__header *h, int *col_of_role)
{
    memset(h, 0, sizeof *h);
    int r = tp__csv_next(c);
    if (r < 0)
        return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
    if (r == 0)
        return tp__ingest_fail(in, TP_EPARSE, 1, 0, NULL,
                               "empty input: a header row is required");
    if (c->err != TP_OK)
        return tp__ingest_fail(in, c->err, c->rec_line, c->err_col, NULL, "header: %s",
                               c->err_reason);
    /* Also keeps the duplicate-name check below cheap on hostile input. */
    if (c->nf > TP__MAX_COLUMNS)
        return tp__ingest_fail(in, TP_ELIMIT, c->rec_line, TP__MAX_COLUMNS + 1, NULL,
                               "header: %zu columns, more than the %d allowed", c->nf,
                               TP__MAX_COLUMNS);
    h->role_of_col = tp__calloc(c->nf, sizeof *h->role_of_col);
    h->names = tp__calloc(c->nf, sizeof *h->names);
    if (!h->role_of_col || !h->names) {
        tp__header_free(h);
        return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
    }
    h->ncols = c->nf;
    for (size_t k = 0; k < nroles; k++)
        col_of_role[k] = -1;
    for (size_t i = 0; i < c->nf; i++) {
        const char *s = c->f[i].ptr;
        size_t len = c->f[i].len;
        tp__trimmed(&s, &len);
        char why[TP__WHY_CAP];
        if (tp__check_ident_field(s, len, "column name", why) != TP_OK) {
            tp__header_free(h);
            return tp__ingest_fail(in, TP_EPARSE, c->rec_line, i + 1, NULL, "header: %s", why);
        }
        if (!(h->names[i] = tp__strndup(s, len))) {
            tp__header_free(h);
            return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
        }
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(h->names[i], h->names[j]) == 0) {
                tp__header_free(h);
                return tp__ingest_fail(in, TP_EPARSE, c->rec_line, i + 1, NULL,
                                       "header: duplicate column \"%.*s\"", (int)len, s);
            }
        h->role_of_col[i] = -1;
        for (size_t k = 0; k < nroles; k++)
            if (strcasecmp(h->names[i], names[k]) == 0) {
                h->role_of_col[i] = (int)k;
                col_of_role[k] = (int)i;
            }
    }
    for (size_t k = 0; k < nroles; k++)
        if ((required >> k & 1u) && col_of_role[k] < 0) {
            tp__header_free(h);
            return tp__ingest_fail(in, TP_EPARSE, c->rec_line, 0, NULL,
                                   "header: missing required column \"%s\"", names[k]);
        }
    return TP_OK;
}

/* Attribute columns of the header: created in the store (rolled back on failure). */
static tp_status map_attributes(tp__attrs *attrs, size_t nrows, const tp__header *h,
                                tp__ingest *in, int **attr_of_col, uint32_t **vals, size_t *nattr)
{
    *attr_of_col = tp__malloc(h->ncols * sizeof **attr_of_col);
    if (!*attr_of_col)
        return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
    for (size_t i = 0; i < h->ncols; i++) {
        size_t col;
        (*attr_of_col)[i] = -1;
        if (h->role_of_col[i] >= 0)
            continue;
        if (tp__attrs_column(attrs, h->names[i], strlen(h->names[i]), nrows, &col))
            return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
        (*attr_of_col)[i] = (int)col;
    }
    *nattr = tp__attrs_count(attrs);
    *vals = tp__calloc(*nattr + 1, sizeof **vals);
    if (!*vals)
        return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
    return TP_OK;
}

tp_status tp__csv_read(void *store, struct tp__attrs *attrs, size_t nrows, const char *data,
                       size_t len, tp__ingest *in, const char *const *roles, size_t nroles,
                       unsigned required, tp__csv_row_fn row)
{
    enum { MAX_ROLES = 16 };
    tp__csv c;
    tp__csv_init(&c, data, len, in->opts.delimiter, in->opts.max_field_bytes);
    int col_of_role[MAX_ROLES];
    int *attr_of_col = NULL;
    uint32_t *vals = NULL;
    size_t nattr = 0;
    tp__header h;
    tp_status st = tp__csv_header(&c, in, roles, nroles < MAX_ROLES ? nroles : MAX_ROLES, required,
                                  &h, col_of_role);
    if (st != TP_OK) {
        tp__csv_free(&c);
        return st;
    }
    st = map_attributes(attrs, nrows, &h, in, &attr_of_col, &vals, &nattr);
    while (st == TP_OK) {
        int r = tp__csv_next(&c);
        if (r == 0)
            break;
        if (r < 0) {
            st = tp__ingest_fail(in, TP_ENOMEM, c.line, 0, NULL, "out of memory");
            break;
        }
        tp__ingest_row(in, c.rec_line, c.rec_offset);
        memset(vals, 0, nattr * sizeof *vals);
        st = row(store, in, &c, col_of_role, attr_of_col, vals, nattr, &h);
    }
    tp__csv_free(&c);
    tp__header_free(&h);
    tp__free(attr_of_col);
    tp__free(vals);
    return st;
}

int tp__csv_row_common(tp__ingest *in, const tp__csv *c, const tp__header *h,
                       const int *col_of_role, int64_t *time, tp_status *st)
{
    char why[TP__WHY_CAP];
    size_t ncols = h->ncols;
    if (c->err != TP_OK) {
        const char *field = c->err_col && c->err_col <= ncols ? h->names[c->err_col - 1] : NULL;
        *st = tp__ingest_bad_row(in, c->err, c->err_col, field, "%s", c->err_reason);
        return 0;
    }
    if (c->nf != ncols) {
        *st = tp__ingest_bad_row(in, TP_EPARSE, (c->nf < ncols ? c->nf : ncols) + 1, NULL,
                                 "expected %zu fields, found %zu", ncols, c->nf);
        return 0;
    }
    /* Roles 0, 1, 2 are customer_id, timestamp, touchpoint in every reader. */
    static const char *const what[3] = {"customer id", NULL, "touchpoint id"};
    for (int role = 0; role < 3; role++) {
        int col = col_of_role[role];
        const tp__csv_field *f = &c->f[col];
        tp_status bad = role == 1
                            ? tp__check_time_field(f->ptr, f->len, in->opts.epoch_unit, time, why)
                            : tp__check_ident_field(f->ptr, f->len, what[role], why);
        if (bad != TP_OK) {
            *st = tp__ingest_bad_row(in, bad, (uint64_t)col + 1, h->names[col], "%s", why);
            return 0;
        }
    }
    *st = TP_OK;
    return 1;
}
