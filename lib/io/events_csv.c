/* Events CSV reader: customer_id,timestamp,touchpoint[,type][,value][,channel][,...] */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "io/fields.h"
#include "io/ingest.h"
#include "model/events_internal.h"

enum { R_CUSTOMER, R_TIMESTAMP, R_TOUCHPOINT, R_TYPE, R_VALUE, R_CHANNEL, NROLES };
_Static_assert((int)NROLES == (int)TP__EVENT_ROLES, "the roles are fields.c's");

/* One data row: validate every field, then commit. Returns TP_OK when the row
 * was stored or skipped, or the fatal status. */
static tp_status read_row(void *store, tp__ingest *in, const tp__csv *c, const int *col_of_role,
                          const int *attr_of_col, uint32_t *vals, size_t nattr,
                          const tp__header *h)
{
    tp_events *e = store;
    const char *const *colname = (const char *const *)h->names;
    char why[TP__WHY_CAP];
    tp_status st;
    int64_t time;
    if (!tp__csv_row_common(in, c, h, col_of_role, &time, &st))
        return st;
#define FIELD(role) (&c->f[col_of_role[role]])
#define BAD(status, role)                                                                     \
    tp__ingest_bad_row(in, status, (uint64_t)col_of_role[role] + 1, colname[col_of_role[role]], \
                       "%s", why)
    const tp__csv_field *cf = FIELD(R_CUSTOMER), *tf = FIELD(R_TOUCHPOINT);
    uint8_t type = TP_EVENT_INTERACTION;
    if (col_of_role[R_TYPE] >= 0 &&
        (st = tp__check_type_field(FIELD(R_TYPE)->ptr, FIELD(R_TYPE)->len, &type, why)) != TP_OK)
        return BAD(st, R_TYPE);
    double value = 0;
    if (col_of_role[R_VALUE] >= 0 && FIELD(R_VALUE)->len) {
        const tp__csv_field *f = FIELD(R_VALUE);
        const char *s = f->ptr;
        size_t len = f->len;
        tp__trimmed(&s, &len); /* a blank value is an empty one: 0, as in a frame */
        if (len && (st = tp__check_number_field(s, len, &value, why)) != TP_OK)
            return BAD(st, R_VALUE);
    }
    const char *channel = NULL;
    size_t channel_len = 0;
    if (col_of_role[R_CHANNEL] >= 0 && FIELD(R_CHANNEL)->len) {
        const tp__csv_field *f = FIELD(R_CHANNEL);
        if ((st = tp__check_ident_field(f->ptr, f->len, "channel", why)) != TP_OK)
            return BAD(st, R_CHANNEL);
        channel = f->ptr;
        channel_len = f->len;
    }
    uint32_t tp;
    const char *id;
    size_t id_len;
    tp__csv_touchpoint_id(e->catalog, tf, &id, &id_len);
    st = tp__catalog_resolve_in(e->catalog, e->pending, id, id_len, channel, channel_len,
                                e->policy == TP_UNKNOWN_REGISTER, &tp);
    if (st == TP_ENOTFOUND) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(tf->ptr, tf->len, ex, sizeof ex);
        snprintf(why, sizeof why, "unknown touchpoint \"%s\" (not in the catalog)", ex);
        return BAD(TP_ENOTFOUND, R_TOUCHPOINT);
    }
    if (st != TP_OK)
        return tp__ingest_fail(in, st, in->line, 0, NULL, "cannot register touchpoint");
#undef BAD
#undef FIELD
    for (size_t i = 0; i < h->ncols; i++)
        if (attr_of_col[i] >= 0 &&
            tp__attrs_value(&e->attrs, c->f[i].ptr, c->f[i].len, &vals[attr_of_col[i]]))
            return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    if (tp__events_reserve_row(e))
        return tp__ingest_fail(in, e->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               in->line, 0, NULL, "cannot grow the event log");
    size_t row = e->time.len;
    tp__events_push(e, 0, tp, time, type, value, vals, nattr);
    if (tp__csv_queue_customer(&e->customer_queue, &e->customers, e->customer.data, cf, row))
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    in->rows_accepted++;
    return TP_OK;
}

TP__CSV_STORE(events_store, tp_events, read_row, tp_events_new, tp_events_free,
              tp__events_reserve, tp__events_absorb);

static tp_status read_csv(tp_events *e, const char *data, size_t len, tp__ingest *in)
{
    return tp__csv_read(e, &events_store, data, len, in, tp__event_roles, NROLES,
                        (1u << TP__EVENT_REQUIRED) - 1);
}

tp_status tp_events_read_csv_buffer(tp_events *e, const void *data, size_t len, const char *name,
                                    const tp_read_options *opts, tp_read_log *report)
{
    return tp__events_ingest(e, data, len, name, opts, report, read_csv);
}

static tp_status buffer_reader(void *store, const void *data, size_t len, const char *name,
                               const tp_read_options *opts, tp_read_log *report)
{
    return tp_events_read_csv_buffer(store, data, len, name, opts, report);
}

tp_status tp_events_read_csv(tp_events *e, const char *path, const tp_read_options *opts,
                             tp_read_log *report)
{
    return tp__read_file(e, path, opts, report, buffer_reader);
}

tp_status tp__events_ingest(tp_events *e, const void *data, size_t len, const char *name,
                            const tp_read_options *opts, tp_read_log *report, tp__events_body body)
{
    if (!e || (!data && len))
        return tp__error(TP_EINVAL, "events read: NULL argument");
    tp__ingest in;
    tp_status st = tp__ingest_begin(&in, name, opts, report, len);
    if (st != TP_OK)
        return st;
    tp__events_mark m = tp__events_mark_get(e);
    st = body(e, data ? data : "", len, &in);
    if (st != TP_OK)
        tp__events_rollback(e, m);
    if (st != TP_OK && in.retry_serial) {
        tp__ingest_retry(&in);
        if ((st = body(e, data ? data : "", len, &in)) != TP_OK)
            tp__events_rollback(e, m);
    }
    tp__ingest_end(&in, st, len);
    return st;
}
