#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/ptrmap.h"
#include "core/utf8.h"
#include "model/events_internal.h"

static const char *const type_names[] = {"interaction", "conversion", "exit"};

const char *tp_event_type_name(tp_event_type type)
{
    return (unsigned)type <= TP_EVENT_EXIT ? type_names[type] : NULL;
}

tp_status tp_event_type_parse(const char *name, tp_event_type *out)
{
    if (!name || !out)
        return tp__error(TP_EINVAL, "tp_event_type_parse: NULL argument");
    if (!*name) {
        *out = TP_EVENT_INTERACTION;
        return TP_OK;
    }
    for (int i = 0; i <= TP_EVENT_EXIT; i++)
        if (strcasecmp(name, type_names[i]) == 0) {
            *out = (tp_event_type)i;
            return TP_OK;
        }
    return tp__error(TP_EINVAL, "unknown event type (expected interaction, conversion or exit)");
}

tp_status tp_events_new(tp_events **out, tp_catalog *catalog)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_events_new: out is NULL");
    *out = NULL;
    tp_events *e = tp__calloc(1, sizeof *e);
    if (!e)
        return tp__error(TP_ENOMEM, "out of memory creating event log");
    tp__intern_init(&e->customers);
    if (tp__attrs_init(&e->attrs)) {
        tp_events_free(e);
        return tp__error(TP_ENOMEM, "out of memory creating event log");
    }
    if (!catalog) {
        tp_status st = tp_catalog_new(&catalog);
        if (st != TP_OK) {
            tp_events_free(e);
            return st;
        }
        e->owns_catalog = 1;
    }
    e->catalog = catalog;
    *out = e;
    return TP_OK;
}

void tp_events_free(tp_events *e)
{
    if (!e)
        return;
    if (e->owns_catalog)
        tp_catalog_free(e->catalog);
    tp__intern_free(&e->customers);
    tp__vec_u32_free(&e->customer);
    tp__vec_u32_free(&e->touchpoint);
    tp__vec_i64_free(&e->time);
    tp__vec_u8_free(&e->type);
    tp__vec_u32_free(&e->value_row);
    tp__vec_f64_free(&e->value);
    tp__attrs_free(&e->attrs);
    tp__free(e);
}

tp_catalog *tp_events_catalog(const tp_events *e) { return e ? e->catalog : NULL; }

tp_status tp_events_set_unknown_policy(tp_events *e, tp_unknown_policy policy)
{
    if (!e || (policy != TP_UNKNOWN_REGISTER && policy != TP_UNKNOWN_REJECT))
        return tp__error(TP_EINVAL, "tp_events_set_unknown_policy: bad argument");
    e->policy = policy;
    return TP_OK;
}

tp__events_mark tp__events_mark_get(const tp_events *e)
{
    tp__events_mark m;
    m.rows = e->time.len;
    m.values = e->value.len;
    m.customers = tp__intern_mark_get(&e->customers);
    m.catalog = tp__catalog_mark_get(e->catalog);
    m.attrs = tp__attrs_mark_get(&e->attrs, e->time.len);
    return m;
}

void tp__events_rollback(tp_events *e, tp__events_mark m)
{
    e->customer.len = e->touchpoint.len = e->time.len = e->type.len = m.rows;
    e->value_row.len = e->value.len = m.values;
    e->customer_queue.n = 0;
    tp__intern_rollback(&e->customers, m.customers);
    tp__catalog_rollback(e->catalog, m.catalog);
    tp__attrs_rollback(&e->attrs, m.attrs);
}

tp_status tp__events_absorb(tp_events *e, const tp_events *w, uint32_t base,
                            const uint32_t *map, const size_t *cols)
{
    size_t n = w->time.len, r0 = e->time.len, nv = w->value.len;
    if (n > UINT32_MAX - 1 - r0)
        return tp__error(TP_ELIMIT, "cannot grow the event log: more than %u events",
                         UINT32_MAX - 2);
    size_t nc = tp__intern_count(&w->customers);
    uint32_t *cmap = tp__malloc((nc ? nc : 1) * sizeof *cmap);
    if (!cmap || tp__intern_map_into(&e->customers, &w->customers, cmap) ||
        tp__vec_u32_reserve(&e->customer, n) || tp__vec_u32_reserve(&e->touchpoint, n) ||
        tp__vec_i64_reserve(&e->time, n) || tp__vec_u8_reserve(&e->type, n) ||
        tp__vec_u32_reserve(&e->value_row, nv) || tp__vec_f64_reserve(&e->value, nv) ||
        tp__attrs_absorb(&e->attrs, r0, &w->attrs, n, cols)) {
        tp__free(cmap);
        return tp__error(TP_ENOMEM, "out of memory joining the pieces of a read");
    }
    for (size_t i = 0; i < n; i++)
        e->customer.data[r0 + i] = cmap[w->customer.data[i]];
    tp__free(cmap);
    if (n) {
        tp__pending_map_column(e->touchpoint.data + r0, w->touchpoint.data, n, base, map);
        memcpy(e->time.data + r0, w->time.data, n * sizeof *w->time.data);
        memcpy(e->type.data + r0, w->type.data, n * sizeof *w->type.data);
    }
    for (size_t i = 0; i < nv; i++) {
        e->value_row.data[e->value_row.len + i] = (uint32_t)(r0 + w->value_row.data[i]);
        e->value.data[e->value.len + i] = w->value.data[i];
    }
    e->customer.len = e->touchpoint.len = e->time.len = e->type.len = r0 + n;
    e->value_row.len += nv;
    e->value.len += nv;
    return TP_OK;
}

int tp__events_reserve(tp_events *e, size_t n)
{
    return tp__vec_u32_reserve(&e->customer, n) || tp__vec_u32_reserve(&e->touchpoint, n) ||
           tp__vec_i64_reserve(&e->time, n) || tp__vec_u8_reserve(&e->type, n) ||
           tp__attrs_reserve(&e->attrs, n);
}

int tp__events_reserve_row(tp_events *e)
{
    if (e->time.len >= UINT32_MAX - 1)
        return -1;
    return tp__events_reserve(e, 1) || tp__vec_u32_reserve(&e->value_row, 1) ||
           tp__vec_f64_reserve(&e->value, 1);
}

void tp__events_push(tp_events *e, uint32_t customer, uint32_t touchpoint, int64_t time,
                     uint8_t type, double value, const uint32_t *attrs, size_t nattrs)
{
    size_t row = e->time.len;
    e->customer.data[e->customer.len++] = customer;
    e->touchpoint.data[e->touchpoint.len++] = touchpoint;
    e->time.data[e->time.len++] = time;
    e->type.data[e->type.len++] = type;
    if (value != 0) {
        e->value_row.data[e->value_row.len++] = (uint32_t)row;
        e->value.data[e->value.len++] = value;
    }
    tp__attrs_push_row(&e->attrs, attrs, nattrs);
}

/* Ids already found for the strings of a bulk append, by pointer. */
typedef struct memo {
    tp__ptrmap customer, touchpoint;
} memo;

/* Validate and append one event; the caller rolls back on failure. With a memo,
 * a customer or touchpoint pointer met before is neither checked nor looked up
 * again (same outcome: it passed before). */
static tp_status append_one(tp_events *e, size_t i, const char *customer, const char *touchpoint,
                            int64_t time_ms, int type, double value, memo *m)
{
    uint32_t c, t;
    int have_c = m && tp__ptrmap_get(&m->customer, customer, &c);
    int have_t = m && tp__ptrmap_get(&m->touchpoint, touchpoint, &t);
    const char *why;
    if (!have_c && (why = customer ? tp__ident_problem(customer, strlen(customer)) : "NULL"))
        return tp__error(TP_EINVAL, "event %zu: customer id: %s", i, why);
    if (!have_t && (why = touchpoint ? tp__ident_problem(touchpoint, strlen(touchpoint)) : "NULL"))
        return tp__error(TP_EINVAL, "event %zu: touchpoint id: %s", i, why);
    if (time_ms < TP_TIME_MIN || time_ms > TP_TIME_MAX)
        return tp__error(TP_EINVAL, "event %zu: time %lld ms out of range", i, (long long)time_ms);
    if (type < TP_EVENT_INTERACTION || type > TP_EVENT_EXIT)
        return tp__error(TP_EINVAL, "event %zu: invalid type %d", i, type);
    if (!isfinite(value))
        return tp__error(TP_EINVAL, "event %zu: value is not finite", i);
    if (fabs(value) > TP_MAX_AMOUNT)
        return tp__error(TP_EINVAL, "event %zu: value %g is beyond the accepted range (|x| <= 1e15)",
                         i, value);
    if (!have_t) {
        tp_status st = tp__catalog_resolve(e->catalog, touchpoint, strlen(touchpoint), NULL, 0,
                                           e->policy == TP_UNKNOWN_REGISTER, &t);
        if (st == TP_ENOTFOUND)
            return tp__error(st, "event %zu: unknown touchpoint '%s'", i, touchpoint);
        if (st != TP_OK)
            return tp__error(st, "event %zu: cannot register touchpoint", i);
        if (m && tp__ptrmap_put(&m->touchpoint, touchpoint, t))
            return tp__error(TP_ENOMEM, "event %zu: out of memory", i);
    }
    if (!have_c && (tp__intern_put(&e->customers, customer, strlen(customer), &c) ||
                    (m && tp__ptrmap_put(&m->customer, customer, c))))
        return tp__error(TP_ENOMEM, "event %zu: cannot grow the event log", i);
    if (tp__events_reserve_row(e))
        return tp__error(e->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                         "event %zu: cannot grow the event log", i);
    tp__events_push(e, c, t, time_ms, (uint8_t)type, value, NULL, 0);
    return TP_OK;
}

tp_status tp_events_append(tp_events *e, const char *customer, const char *touchpoint,
                           int64_t time_ms, tp_event_type type, double value)
{
    if (!e)
        return tp__error(TP_EINVAL, "tp_events_append: events is NULL");
    tp__events_mark m = tp__events_mark_get(e);
    tp_status st = append_one(e, 0, customer, touchpoint, time_ms, (int)type, value, NULL);
    if (st != TP_OK)
        tp__events_rollback(e, m);
    return st;
}

tp_status tp_events_append_many(tp_events *e, size_t count, const char *const *customers,
                                const char *const *touchpoints, const int64_t *times_ms,
                                const uint8_t *types, const double *values)
{
    if (!e || (count && (!customers || !touchpoints || !times_ms)))
        return tp__error(TP_EINVAL, "tp_events_append_many: NULL argument");
    tp__events_mark mark = tp__events_mark_get(e);
    memo m;
    tp__ptrmap_init(&m.customer);
    tp__ptrmap_init(&m.touchpoint);
    tp_status st = TP_OK;
    /* Room for every row at once, so the columns grow once. */
    if (count <= UINT32_MAX - 1 - e->time.len && tp__events_reserve(e, count))
        st = tp__error(TP_ENOMEM, "cannot grow the event log by %zu events", count);
    for (size_t i = 0; st == TP_OK && i < count; i++)
        st = append_one(e, i, customers[i], touchpoints[i], times_ms[i], types ? types[i] : 0,
                        values ? values[i] : 0.0, &m);
    tp__ptrmap_free(&m.customer);
    tp__ptrmap_free(&m.touchpoint);
    if (st != TP_OK)
        tp__events_rollback(e, mark);
    return st;
}

size_t tp_events_count(const tp_events *e) { return e ? e->time.len : 0; }
size_t tp_events_customer_count(const tp_events *e) { return e ? tp__intern_count(&e->customers) : 0; }

const char *tp_events_customer(const tp_events *e, size_t row)
{
    if (!e || row >= e->time.len)
        return NULL;
    return tp__intern_str(&e->customers, e->customer.data[row]);
}

const char *tp_events_touchpoint(const tp_events *e, size_t row)
{
    if (!e || row >= e->time.len)
        return NULL;
    return tp__catalog_id(e->catalog, e->touchpoint.data[row]);
}

size_t tp_events_touchpoint_index(const tp_events *e, size_t row)
{
    if (!e || row >= e->time.len)
        return (size_t)-1;
    return e->touchpoint.data[row];
}

int64_t tp_events_time(const tp_events *e, size_t row)
{
    return e && row < e->time.len ? e->time.data[row] : 0;
}

tp_event_type tp_events_type(const tp_events *e, size_t row)
{
    return e && row < e->time.len ? (tp_event_type)e->type.data[row] : TP_EVENT_INTERACTION;
}

double tp_events_value(const tp_events *e, size_t row)
{
    if (!e || row >= e->time.len)
        return 0;
    size_t lo = 0, hi = e->value_row.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->value_row.data[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->value_row.len && e->value_row.data[lo] == row ? e->value.data[lo] : 0.0;
}

size_t tp_events_attribute_count(const tp_events *e) { return e ? tp__attrs_count(&e->attrs) : 0; }

const char *tp_events_attribute_name(const tp_events *e, size_t attr)
{
    if (!e || attr >= tp__attrs_count(&e->attrs))
        return NULL;
    return tp__attrs_name(&e->attrs, attr);
}

const char *tp_events_attribute(const tp_events *e, size_t attr, size_t row)
{
    if (!e || attr >= tp__attrs_count(&e->attrs) || row >= e->time.len)
        return NULL;
    return tp__attrs_get(&e->attrs, attr, row);
}

tp_status tp_events_to_table(const tp_events *e, tp_table **out)
{
    if (!e || !out)
        return tp__error(TP_EINVAL, "tp_events_to_table: NULL argument");
    *out = NULL;
    tp_table *t;
    tp_status st = tp_table_new(&t);
    if (st == TP_OK)
        st = tp_table_add_column(t, "customer_id", TP_TYPE_STRING, NULL);
    if (st == TP_OK)
        st = tp_table_add_column(t, "timestamp", TP_TYPE_INT64, NULL);
    if (st == TP_OK)
        st = tp_table_set_column_unit(t, 1, TP_UNIT_TIME);
    if (st == TP_OK)
        st = tp_table_add_column(t, "touchpoint", TP_TYPE_STRING, NULL);
    if (st == TP_OK)
        st = tp_table_add_column(t, "type", TP_TYPE_STRING, NULL);
    if (st == TP_OK)
        st = tp_table_add_column(t, "value", TP_TYPE_DOUBLE, NULL);
    size_t nattr = tp__attrs_count(&e->attrs);
    for (size_t a = 0; st == TP_OK && a < nattr; a++) {
        /* An attribute named like a fixed column keeps its data under "attr.<name>". */
        static const char *const fixed[] = {"customer_id", "timestamp", "touchpoint", "type", "value"};
        const char *name = tp__attrs_name(&e->attrs, a);
        int clash = 0;
        for (size_t k = 0; k < 5; k++)
            clash |= strcasecmp(name, fixed[k]) == 0;
        char buf[300];
        snprintf(buf, sizeof buf, "%s%s", clash ? "attr." : "", name);
        st = tp_table_add_column(t, buf, TP_TYPE_STRING, NULL);
    }
    size_t v = 0;
    for (size_t r = 0; st == TP_OK && r < e->time.len; r++) {
        size_t row;
        if ((st = tp_table_append_row(t, &row)) != TP_OK)
            break;
        double value = 0;
        if (v < e->value_row.len && e->value_row.data[v] == r)
            value = e->value.data[v++];
        st = tp_table_set_string(t, row, 0, tp_events_customer(e, r));
        if (st == TP_OK)
            st = tp_table_set_int64(t, row, 1, e->time.data[r]);
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 2, tp_events_touchpoint(e, r));
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 3, type_names[e->type.data[r]]);
        if (st == TP_OK)
            st = tp_table_set_double(t, row, 4, value);
        for (size_t a = 0; st == TP_OK && a < nattr; a++) {
            const char *s = tp__attrs_get(&e->attrs, a, r);
            st = tp_table_set_string(t, row, 5 + a, *s ? s : NULL);
        }
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}
