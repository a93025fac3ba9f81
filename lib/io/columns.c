#include "io/columns.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/intern.h"
#include "core/utf8.h"
#include "model/attrs.h"
#include "model/catalog_internal.h"

tp_status tp__cell_verdict(tp__ingest *in, tp_status st, const char *field, const char *why,
                           int *bad)
{
    if (st == TP_OK)
        return TP_OK;
    *bad = 1;
    return tp__ingest_bad_row(in, st, 0, field, "%s", why);
}

tp_status tp__cell_ident(tp__ingest *in, const tp_text_column *col, size_t i, const char *what,
                         int *bad)
{
    char why[TP__WHY_CAP];
    const char *s = tp__cell_text(col, i);
    tp_status st = s ? tp__check_ident_field(s, strlen(s), what, why) : TP_EVALIDATE;
    if (!s)
        snprintf(why, sizeof why, "%s is missing", what);
    return tp__cell_verdict(in, st, col->name, why, bad);
}

tp_status tp__cell_time(tp__ingest *in, const tp__time_cells *t, size_t i, int64_t *out,
                        int *bad)
{
    const char *s = t->ms ? NULL : tp__cell_text(t->text, i);
    char why[TP__WHY_CAP] = "timestamp is missing";
    if (t->ms ? t->missing && t->missing[i] : !s)
        return tp__cell_verdict(in, TP_EVALIDATE, t->name, why, bad);
    if (s)
        return tp__cell_verdict(in, tp__check_time_field(s, strlen(s), in->opts.epoch_unit, &in->day, out,
                                                         why),
                                t->name, why, bad);
    *out = t->ms[i];
    if (*out >= TP_TIME_MIN && *out <= TP_TIME_MAX)
        return TP_OK;
    snprintf(why, sizeof why, "timestamp %lld ms is out of range", (long long)*out);
    return tp__cell_verdict(in, TP_EVALIDATE, t->name, why, bad);
}

tp_status tp__cell_number(tp__ingest *in, const double *v, const tp_text_column *text,
                          const char *name, size_t i, double *out, int *given, int *bad)
{
    char why[TP__WHY_CAP];
    tp_status st;
    *given = 0;
    if (v) {
        if (isnan(v[i]))
            return TP_OK;
        if (isfinite(v[i]) && fabs(v[i]) <= TP_MAX_AMOUNT) {
            *out = v[i];
            *given = 1;
            return TP_OK;
        }
        char num[40]; /* the reason as the CSV reader gives it, quoting the number */
        snprintf(num, sizeof num, "%.17g", v[i]);
        st = tp__check_number_field(num, strlen(num), out, why);
    } else {
        const char *s = tp__cell_text(text, i);
        size_t len = s ? strlen(s) : 0;
        if (s)
            tp__trimmed(&s, &len);
        if (!len)
            return TP_OK;
        st = tp__check_number_field(s, len, out, why);
    }
    *given = st == TP_OK;
    return tp__cell_verdict(in, st, name, why, bad);
}

tp_status tp__cell_attrs_check(const tp_text_column *cols, size_t n, size_t rows,
                               const char *what)
{
    for (size_t k = 0; k < n; k++) {
        int named = cols && cols[k].name && *cols[k].name;
        if (!named || (rows && !cols[k].values))
            return tp__error(TP_EINVAL, "%s: attribute column %zu has no %s", what, k,
                             named ? "values" : "name");
        if (tp__utf8_check(cols[k].name, strlen(cols[k].name)) != (size_t)-1)
            return tp__error(TP_EINVAL, "%s: the name of attribute column %zu is not UTF-8",
                             what, k);
    }
    return TP_OK;
}

tp_status tp__cell_utf8(tp__ingest *in, const tp_text_column *col, size_t i, int *bad)
{
    const char *s = tp__cell_text(col, i);
    size_t at = s ? tp__utf8_check(s, strlen(s)) : (size_t)-1;
    if (at == (size_t)-1)
        return TP_OK;
    char why[TP__WHY_CAP];
    snprintf(why, sizeof why, "invalid UTF-8 at byte %zu of the field", at + 1);
    return tp__cell_verdict(in, TP_EPARSE, col->name, why, bad);
}

tp_status tp__cell_attrs_begin(tp__cell_attrs *a, tp__attrs *store, const tp_text_column *cols,
                               size_t n, size_t rows)
{
    memset(a, 0, sizeof *a);
    a->col = tp__calloc(n + 1, sizeof *a->col);
    for (size_t k = 0; a->col && k < n; k++)
        if (tp__attrs_column(store, cols[k].name, strlen(cols[k].name), rows, &a->col[k]))
            return tp__error(TP_ENOMEM, "out of memory adding attribute columns");
    a->n = tp__attrs_count(store);
    a->val = tp__calloc(a->n + 1, sizeof *a->val);
    return a->col && a->val ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
}

int tp__cell_attrs_row(tp__cell_attrs *a, tp__attrs *store, const tp_text_column *cols, size_t n,
                       size_t i)
{
    for (size_t k = 0; k < n; k++) {
        const char *s = tp__cell_text(&cols[k], i);
        uint32_t *v = &a->val[a->col[k]];
        *v = 0;
        if (s && tp__attrs_value(store, s, strlen(s), v))
            return -1;
    }
    return 0;
}

void tp__cell_attrs_end(tp__cell_attrs *a)
{
    tp__free(a->col);
    tp__free(a->val);
    memset(a, 0, sizeof *a);
}

void tp__cell_keys_init(tp__cell_keys *k, const tp_text_column *customer,
                        const tp_text_column *touchpoint, tp__time_cells time,
                        tp_catalog *catalog, int register_unknown, tp__intern *customers)
{
    k->customer = customer;
    k->touchpoint = touchpoint;
    k->time = time;
    k->catalog = catalog;
    k->register_unknown = register_unknown;
    k->customers = customers;
    tp__ptrmap_init(&k->customer_memo);
    tp__ptrmap_init(&k->touchpoint_memo);
}

void tp__cell_keys_free(tp__cell_keys *k)
{
    tp__ptrmap_free(&k->customer_memo);
    tp__ptrmap_free(&k->touchpoint_memo);
}

tp_status tp__cell_keys_check(tp__ingest *in, tp__cell_keys *k, size_t i, tp__cell_row *row,
                              int *bad)
{
    const char *cid = k->customer->values[i], *tid = k->touchpoint->values[i];
    row->have_customer = cid && tp__ptrmap_get(&k->customer_memo, cid, &row->customer);
    row->have_touchpoint = tid && tp__ptrmap_get(&k->touchpoint_memo, tid, &row->touchpoint);
    row->time = 0;
    tp_status st = row->have_customer ? TP_OK
                                      : tp__cell_ident(in, k->customer, i, "customer id", bad);
    if (!*bad)
        st = tp__cell_time(in, &k->time, i, &row->time, bad);
    if (!*bad && !row->have_touchpoint)
        st = tp__cell_ident(in, k->touchpoint, i, "touchpoint id", bad);
    return st;
}

tp_status tp__cell_keys_store(tp__ingest *in, tp__cell_keys *k, size_t i, tp__cell_row *row,
                              int *bad)
{
    const char *cid = k->customer->values[i], *tid = k->touchpoint->values[i];
    if (!row->have_touchpoint) {
        tp_status st = tp__catalog_resolve(k->catalog, tid, strlen(tid), NULL, 0,
                                           k->register_unknown, &row->touchpoint);
        if (st == TP_ENOTFOUND) {
            char ex[TP__EXCERPT_CAP], why[TP__WHY_CAP];
            tp__excerpt(tid, strlen(tid), ex, sizeof ex);
            snprintf(why, sizeof why, "unknown touchpoint \"%s\" (not in the catalog)", ex);
            return tp__cell_verdict(in, st, k->touchpoint->name, why, bad);
        }
        if (st != TP_OK || tp__ptrmap_put(&k->touchpoint_memo, tid, row->touchpoint))
            return tp__ingest_fail(in, st != TP_OK ? st : TP_ENOMEM, i + 1, 0, NULL,
                                   "cannot register touchpoint");
    }
    if (!row->have_customer &&
        (tp__intern_put(k->customers, cid, strlen(cid), &row->customer) ||
         tp__ptrmap_put(&k->customer_memo, cid, row->customer)))
        return tp__ingest_fail(in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    return TP_OK;
}
