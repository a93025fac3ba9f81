/* Events from parallel columns (a data frame), row by row as a reader reads:
 * the same field checks as the CSV reader, bad rows skipped into the log or
 * fatal, the store rolled back when the call fails. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/ptrmap.h"
#include "io/fields.h"
#include "io/ingest.h"
#include "model/events_internal.h"

/* The state of one call: the columns, their names, and what was found. */
typedef struct run {
    tp_events *e;
    const tp_event_columns *c;
    tp__ingest in;
    const char *time_name, *value_name;
    size_t nattrs;      /* the store's attribute columns after this call's were added */
    size_t *attr_col;   /* per given attribute column: the store's column */
    uint32_t *attr_val; /* per store column: the row's value (0 missing) */
    tp__ptrmap customers, touchpoints; /* ids found for string pointers met before */
} run;

/* The outcome of one field's check: TP_OK, or the row is bad (*bad set) and
 * the status is what skipping or stopping makes of it. */
static tp_status verdict(run *r, tp_status st, const char *field, const char *why, int *bad)
{
    if (st == TP_OK)
        return TP_OK;
    *bad = 1;
    return tp__ingest_bad_row(&r->in, st, 0, field, "%s", why);
}

/* The text of a cell, or NULL when it is missing. */
static const char *text(const tp_text_column *col, size_t i)
{
    return col->values ? col->values[i] : NULL;
}

/* An identifier cell (customer, touchpoint): TP_OK, or the row is bad. */
static tp_status ident(run *r, const tp_text_column *col, size_t i, const char *what,
                       int *bad)
{
    char why[TP__WHY_CAP];
    const char *s = text(col, i);
    tp_status st = s ? tp__check_ident_field(s, strlen(s), what, why) : TP_EVALIDATE;
    if (!s)
        snprintf(why, sizeof why, "%s is missing", what);
    return verdict(r, st, col->name, why, bad);
}

static tp_status row_time(run *r, size_t i, int64_t *out, int *bad)
{
    const tp_event_columns *c = r->c;
    const char *s = c->times_ms ? NULL : text(&c->time_text, i);
    char why[TP__WHY_CAP] = "timestamp is missing";
    if (c->times_ms ? c->time_missing && c->time_missing[i] : !s)
        return verdict(r, TP_EVALIDATE, r->time_name, why, bad);
    if (s)
        return verdict(r, tp__check_time_field(s, strlen(s), r->in.opts.epoch_unit, out, why),
                       r->time_name, why, bad);
    *out = c->times_ms[i];
    if (*out >= TP_TIME_MIN && *out <= TP_TIME_MAX)
        return TP_OK;
    snprintf(why, sizeof why, "timestamp %lld ms is out of range", (long long)*out);
    return verdict(r, TP_EVALIDATE, r->time_name, why, bad);
}

static tp_status row_value(run *r, size_t i, double *out, int *bad)
{
    const tp_event_columns *c = r->c;
    char why[TP__WHY_CAP];
    tp_status st = TP_OK;
    *out = 0;
    if (c->values) {
        double v = c->values[i];
        if (isnan(v))
            return TP_OK;
        if (isfinite(v) && fabs(v) <= TP_MAX_AMOUNT) {
            *out = v;
            return TP_OK;
        }
        char num[40]; /* the reason as the CSV reader gives it, quoting the number */
        snprintf(num, sizeof num, "%.17g", v);
        st = tp__check_number_field(num, strlen(num), out, why);
        if (st == TP_OK) /* never: the text reads back as the same double */
            return TP_OK;
    } else {
        const char *s = text(&c->value_text, i);
        size_t len = s ? strlen(s) : 0;
        tp__trimmed(&s, &len);
        if (!len)
            return TP_OK;
        st = tp__check_number_field(s, len, out, why);
    }
    return verdict(r, st, r->value_name, why, bad);
}

/* One row: every field checked, then the row stored; a bad row is skipped
 * (TP_OK) or fatal, as the options say. */
static tp_status append_row(run *r, size_t i)
{
    tp_events *e = r->e;
    const tp_event_columns *c = r->c;
    tp__ingest_row(&r->in, i + 1, 0);
    int bad = 0;
    uint32_t cust, tp;
    const char *cid = c->customer.values[i], *tid = c->touchpoint.values[i];
    int have_c = cid && tp__ptrmap_get(&r->customers, cid, &cust);
    int have_t = tid && tp__ptrmap_get(&r->touchpoints, tid, &tp);
    int64_t time = 0;
    tp_status st = have_c ? TP_OK : ident(r, &c->customer, i, "customer id", &bad);
    if (!bad)
        st = row_time(r, i, &time, &bad);
    if (!bad && !have_t)
        st = ident(r, &c->touchpoint, i, "touchpoint id", &bad);
    uint8_t type = TP_EVENT_INTERACTION;
    const char *ty = bad ? NULL : text(&c->type, i);
    char why[TP__WHY_CAP];
    if (ty)
        st = verdict(r, tp__check_type_field(ty, strlen(ty), &type, why), c->type.name, why, &bad);
    double value = 0;
    if (!bad)
        st = row_value(r, i, &value, &bad);
    if (bad)
        return st;
    if (!have_t) {
        const char *id = tid;
        st = tp__catalog_resolve(e->catalog, id, strlen(id), NULL, 0,
                                 e->policy == TP_UNKNOWN_REGISTER, &tp);
        if (st == TP_ENOTFOUND) {
            char ex[TP__EXCERPT_CAP];
            tp__excerpt(id, strlen(id), ex, sizeof ex);
            return tp__ingest_bad_row(&r->in, st, 0, c->touchpoint.name,
                                      "unknown touchpoint \"%s\" (not in the catalog)", ex);
        }
        if (st != TP_OK || tp__ptrmap_put(&r->touchpoints, id, tp))
            return tp__ingest_fail(&r->in, st != TP_OK ? st : TP_ENOMEM, i + 1, 0, NULL,
                                   "cannot register touchpoint");
    }
    if (!have_c) {
        const char *id = cid;
        if (tp__intern_put(&e->customers, id, strlen(id), &cust) ||
            tp__ptrmap_put(&r->customers, id, cust))
            return tp__ingest_fail(&r->in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    }
    for (size_t k = 0; k < c->nattrs; k++) {
        const char *s = text(&c->attrs[k], i);
        uint32_t *v = &r->attr_val[r->attr_col[k]];
        *v = 0;
        if (s && tp__attrs_value(&e->attrs, s, strlen(s), v))
            return tp__ingest_fail(&r->in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    }
    if (tp__events_reserve_row(e))
        return tp__ingest_fail(&r->in, e->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               i + 1, 0, NULL, "cannot grow the event log");
    tp__events_push(e, cust, tp, time, type, value, r->attr_val, r->nattrs);
    r->in.rows_accepted++;
    return TP_OK;
}

/* The call's own arguments, before any row. */
static tp_status check_columns(const tp_event_columns *c)
{
    if (c->version != TP_EVENT_COLUMNS_VERSION)
        return tp__error(TP_EINVAL, "event columns: unknown version %u (this library reads %u)",
                         c->version, TP_EVENT_COLUMNS_VERSION);
    if (c->count && (!c->customer.values || !c->touchpoint.values ||
                     (!c->times_ms && !c->time_text.values)))
        return tp__error(TP_EINVAL, "event columns: the customer, touchpoint and time columns "
                                    "are required");
    for (size_t k = 0; k < c->nattrs; k++)
        if (!c->attrs || !c->attrs[k].name || !*c->attrs[k].name ||
            (c->count && !c->attrs[k].values))
            return tp__error(TP_EINVAL, "event columns: attribute column %zu has no %s", k,
                             c->attrs && c->attrs[k].name && *c->attrs[k].name ? "values"
                                                                               : "name");
    return TP_OK;
}

tp_status tp_events_append_columns(tp_events *e, const tp_event_columns *c, const char *name,
                                   const tp_read_options *opts, tp_read_log *log)
{
    if (!e || !c)
        return tp__error(TP_EINVAL, "appending event columns: %s is NULL",
                         e ? "the columns" : "the event log");
    tp_status st = check_columns(c);
    if (st != TP_OK)
        return st;
    run r;
    memset(&r, 0, sizeof r);
    r.e = e;
    r.c = c;
    r.time_name = c->time_name ? c->time_name : c->time_text.name ? c->time_text.name : "timestamp";
    r.value_name = c->value_name ? c->value_name : c->value_text.name ? c->value_text.name : "value";
    if ((st = tp__ingest_begin(&r.in, name ? name : "columns", opts, log, 0)) != TP_OK)
        return st;
    tp__events_mark mark = tp__events_mark_get(e);
    tp__ptrmap_init(&r.customers);
    tp__ptrmap_init(&r.touchpoints);
    r.attr_col = tp__calloc(c->nattrs + 1, sizeof *r.attr_col);
    for (size_t k = 0; r.attr_col && k < c->nattrs && st == TP_OK; k++)
        if (tp__attrs_column(&e->attrs, c->attrs[k].name, strlen(c->attrs[k].name), e->time.len,
                             &r.attr_col[k]))
            st = tp__error(TP_ENOMEM, "out of memory adding attribute columns");
    r.nattrs = tp__attrs_count(&e->attrs);
    r.attr_val = tp__calloc(r.nattrs + 1, sizeof *r.attr_val);
    if (st == TP_OK && (!r.attr_col || !r.attr_val))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK && c->count <= UINT32_MAX - 1 - e->time.len && tp__events_reserve(e, c->count))
        st = tp__error(TP_ENOMEM, "cannot grow the event log by %zu events", c->count);
    for (size_t i = 0; st == TP_OK && i < c->count; i++)
        st = append_row(&r, i);
    if (st != TP_OK)
        tp__events_rollback(e, mark);
    tp__ingest_end(&r.in, st, 0);
    tp__ptrmap_free(&r.customers);
    tp__ptrmap_free(&r.touchpoints);
    tp__free(r.attr_col);
    tp__free(r.attr_val);
    return st;
}
