/* Events from parallel columns (a data frame), row by row as a reader reads:
 * the same field checks as the CSV reader, bad rows skipped into the log or
 * fatal, the store rolled back when the call fails. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "io/columns.h"
#include "model/events_internal.h"

/* The state of one call: the columns, their names, and what was found. */
typedef struct run {
    tp_events *e;
    const tp_event_columns *c;
    tp__ingest in;
    const char *time_name, *value_name;
    tp__cell_attrs attrs;
    tp__cell_keys keys;
    tp__ptrmap types; /* type codes of type strings met before, by pointer */
} run;

/* One row: every field checked, then the row stored; a bad row is skipped
 * (TP_OK) or fatal, as the options say. */
static tp_status append_row(run *r, size_t i)
{
    tp_events *e = r->e;
    const tp_event_columns *c = r->c;
    tp_status st = tp__ingest_row(&r->in, i + 1, 0);
    if (st != TP_OK)
        return st;
    int bad = 0;
    tp__cell_row row;
    st = tp__cell_keys_check(&r->in, &r->keys, i, &row, &bad);
    uint8_t type = TP_EVENT_INTERACTION;
    const char *ty = bad ? NULL : tp__cell_text(&c->type, i);
    char why[TP__WHY_CAP];
    uint32_t code;
    if (ty && tp__ptrmap_get(&r->types, ty, &code)) {
        type = (uint8_t)code;
    } else if (ty) {
        st = tp__cell_verdict(&r->in, tp__check_type_field(ty, strlen(ty), &type, why),
                              c->type.name, why, &bad);
        if (!bad && tp__ptrmap_put(&r->types, ty, type))
            return tp__ingest_fail(&r->in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    }
    double value = 0;
    int given;
    if (!bad)
        st = tp__cell_number(&r->in, c->values, &c->value_text, r->value_name, i, &value, &given,
                             &bad);
    for (size_t k = 0; !bad && k < c->nattrs; k++)
        st = tp__cell_utf8(&r->in, &c->attrs[k], i, &bad);
    if (bad)
        return st;
    if ((st = tp__cell_keys_store(&r->in, &r->keys, i, &row, &bad)) != TP_OK || bad)
        return st;
    if (tp__cell_attrs_row(&r->attrs, &e->attrs, c->attrs, c->nattrs, i))
        return tp__ingest_fail(&r->in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    if (tp__events_reserve_row(e))
        return tp__ingest_fail(&r->in, e->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               i + 1, 0, NULL, "cannot grow the event log");
    tp__events_push(e, row.customer, row.touchpoint, row.time, type, value, r->attrs.val,
                    r->attrs.n);
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
    return tp__cell_attrs_check(c->attrs, c->nattrs, c->count, "event columns");
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
    r.time_name = tp__cell_name(c->time_name, &c->time_text, "timestamp");
    r.value_name = tp__cell_name(c->value_name, &c->value_text, "value");
    if ((st = tp__ingest_begin(&r.in, name ? name : "columns", opts, log, 0)) != TP_OK)
        return st;
    tp__events_mark mark = tp__events_mark_get(e);
    tp__ptrmap_init(&r.types);
    tp__cell_keys_init(&r.keys, &c->customer, &c->touchpoint,
                       (tp__time_cells){c->times_ms, c->time_missing, &c->time_text, r.time_name},
                       e->catalog, e->policy == TP_UNKNOWN_REGISTER, &e->customers);
    st = tp__cell_attrs_begin(&r.attrs, &e->attrs, c->attrs, c->nattrs, e->time.len);
    if (st == TP_OK && c->count <= UINT32_MAX - 1 - e->time.len && tp__events_reserve(e, c->count))
        st = tp__error(TP_ENOMEM, "cannot grow the event log by %zu events", c->count);
    for (size_t i = 0; st == TP_OK && i < c->count; i++)
        st = append_row(&r, i);
    if (st != TP_OK)
        tp__events_rollback(e, mark);
    tp__ingest_end(&r.in, st, 0);
    tp__cell_keys_free(&r.keys);
    tp__ptrmap_free(&r.types);
    tp__cell_attrs_end(&r.attrs);
    return st;
}
