/* tp_paths: the path set attribution runs on, built by hand, from a CSV file
 * of path aggregates (io/paths_csv.c) or from the journeys of an event log. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/journey_index.h"
#include "analysis/paths_internal.h"
#include "analysis/result.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "core/utf8.h"

TP_API tp_status tp_paths_new(tp_paths **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_paths_new: out is NULL");
    tp_paths *p = tp__calloc(1, sizeof *p);
    if (!p || tp__vec_size_push(&p->off, 0)) {
        tp__free(p);
        *out = NULL;
        return tp__error(TP_ENOMEM, "out of memory");
    }
    tp__intern_init(&p->names);
    p->has_times = 1; /* vacuously: no path lacks times yet */
    *out = p;
    return TP_OK;
}

TP_API void tp_paths_free(tp_paths *p)
{
    if (!p)
        return;
    tp__intern_free(&p->names);
    tp__vec_u32_free(&p->touch);
    tp__vec_size_free(&p->off);
    tp__vec_f64_free(&p->conv);
    tp__vec_f64_free(&p->value);
    tp__vec_f64_free(&p->nulls);
    tp__vec_i64_free(&p->dt);
    tp__free(p);
}

tp__paths_mark tp__paths_mark_get(const tp_paths *p)
{
    return (tp__paths_mark){tp__paths_n(p), p->touch.len,  tp__intern_mark_get(&p->names),
                            p->has_times,   p->total_conv, p->total_value,
                            p->total_nulls};
}

void tp__paths_rollback(tp_paths *p, tp__paths_mark m)
{
    p->off.len = m.npaths + 1;
    p->touch.len = m.ntouch;
    if (p->dt.len > m.ntouch)
        p->dt.len = m.ntouch;
    p->conv.len = p->value.len = p->nulls.len = m.npaths;
    tp__intern_rollback(&p->names, m.names);
    p->has_times = m.has_times;
    p->total_conv = m.total_conv;
    p->total_value = m.total_value;
    p->total_nulls = m.total_nulls;
}

tp_status tp__paths_push(tp_paths *p, const uint32_t *ids, const int64_t *dt, size_t n,
                         double conv, double value, double nulls)
{
    if (!isfinite(p->total_conv + conv) || !isfinite(p->total_value + value) ||
        !isfinite(p->total_nulls + nulls))
        return tp__error(TP_ELIMIT, "the set's total conversions, value or nulls would "
                                    "overflow a double");
    if (tp__vec_u32_reserve(&p->touch, n) || tp__vec_size_reserve(&p->off, 1) ||
        tp__vec_f64_reserve(&p->conv, 1) || tp__vec_f64_reserve(&p->value, 1) ||
        tp__vec_f64_reserve(&p->nulls, 1) || (dt && tp__vec_i64_reserve(&p->dt, n)))
        return tp__error(TP_ENOMEM, "out of memory");
    if (!dt)
        p->has_times = 0; /* the times already held stay, for a rollback */
    memcpy(p->touch.data + p->touch.len, ids, n * sizeof *ids);
    p->touch.len += n;
    if (dt && p->has_times) {
        memcpy(p->dt.data + p->dt.len, dt, n * sizeof *dt);
        p->dt.len += n;
    }
    p->off.data[p->off.len++] = p->touch.len;
    p->conv.data[p->conv.len++] = conv;
    p->value.data[p->value.len++] = value;
    p->nulls.data[p->nulls.len++] = nulls;
    p->total_conv += conv;
    p->total_value += value;
    p->total_nulls += nulls;
    return TP_OK;
}

static int good_amount(double x) { return isfinite(x) && x >= 0.0; }

TP_API tp_status tp_paths_add(tp_paths *p, const char *const *touchpoints, size_t count,
                              double conversions, double value, double nulls)
{
    if (!p || !touchpoints || count == 0)
        return tp__error(TP_EINVAL, "tp_paths_add: %s",
                         !p ? "paths is NULL" : "a path needs at least one touchpoint");
    if (!good_amount(conversions) || !good_amount(value) || !good_amount(nulls))
        return tp__error(TP_EINVAL,
                         "tp_paths_add: conversions, value and nulls must be finite and >= 0");
    if (count > SIZE_MAX / sizeof(uint32_t))
        return tp__error(TP_EINVAL, "tp_paths_add: path too long");
    for (size_t i = 0; i < count; i++) {
        const char *why = touchpoints[i] ? tp__ident_problem(touchpoints[i], strlen(touchpoints[i]))
                                         : "is NULL";
        if (why)
            return tp__error(TP_EINVAL, "tp_paths_add: touchpoint %zu %s", i + 1, why);
    }
    uint32_t *ids = tp__malloc(count * sizeof *ids);
    if (!ids)
        return tp__error(TP_ENOMEM, "out of memory");
    tp__paths_mark m = tp__paths_mark_get(p);
    tp_status st = TP_OK;
    for (size_t i = 0; i < count && st == TP_OK; i++)
        if (tp__intern_put(&p->names, touchpoints[i], strlen(touchpoints[i]), &ids[i]))
            st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = tp__paths_push(p, ids, NULL, count, conversions, value, nulls);
    if (st != TP_OK)
        tp__paths_rollback(p, m);
    tp__free(ids);
    return st;
}

TP_API tp_status tp_paths_from_events(tp_paths **out, const tp_events *events,
                                      const tp_filter *filter, const tp_options *options)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_paths_from_events: out is NULL");
    *out = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_paths_from_events");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    tp_paths *p = NULL;
    /* Catalog index -> name id in the set, interned on first use. */
    uint32_t *name_of = tp__malloc((v.ntp ? v.ntp : 1) * sizeof *name_of);
    uint32_t *ids = tp__malloc((ix.nrows ? ix.nrows : 1) * sizeof *ids);
    int64_t *dt = tp__malloc((ix.nrows ? ix.nrows : 1) * sizeof *dt);
    if (!name_of || !ids || !dt)
        st = tp__error(TP_ENOMEM, "out of memory");
    else
        st = tp_paths_new(&p);
    /* At most every selected event and journey: the columns grow once. */
    if (st == TP_OK &&
        (tp__vec_u32_reserve(&p->touch, ix.nrows) || tp__vec_i64_reserve(&p->dt, ix.nrows) ||
         tp__vec_size_reserve(&p->off, ix.njourneys) ||
         tp__vec_f64_reserve(&p->conv, ix.njourneys) ||
         tp__vec_f64_reserve(&p->value, ix.njourneys) ||
         tp__vec_f64_reserve(&p->nulls, ix.njourneys)))
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < v.ntp; i++)
        name_of[i] = TP__NONE;
    int credit = (int)v.opt->credit_conversion;
    for (size_t j = 0; st == TP_OK && j < ix.njourneys; j++) {
        uint32_t b = ix.start[j], end = ix.start[j + 1];
        uint32_t last = ix.rows[end - 1];
        int converted = e->type.data[last] == TP_EVENT_CONVERSION;
        int64_t t_end = e->time.data[last];
        size_t n = 0;
        for (uint32_t i = b; i < end && st == TP_OK; i++) {
            uint32_t row = ix.rows[i];
            uint8_t type = e->type.data[row];
            if (type == TP_EVENT_EXIT || (type == TP_EVENT_CONVERSION && !credit))
                continue;
            uint32_t tp = e->touchpoint.data[row];
            if (name_of[tp] == TP__NONE) {
                const char *id = tp__catalog_id(v.cat, tp);
                if (tp__intern_put(&p->names, id, strlen(id), &name_of[tp]))
                    st = tp__error(TP_ENOMEM, "out of memory");
            }
            ids[n] = name_of[tp];
            dt[n++] = converted ? t_end - e->time.data[row] : 0;
        }
        if (st == TP_OK && n > 0)
            st = tp__paths_push(p, ids, dt, n, converted ? 1.0 : 0.0,
                                converted ? tp_events_value(e, last) : 0.0, converted ? 0.0 : 1.0);
    }
    tp__free(name_of);
    tp__free(ids);
    tp__free(dt);
    tp__journeys_close(&v, &ix);
    if (st != TP_OK) {
        tp_paths_free(p);
        return st;
    }
    *out = p;
    return TP_OK;
}

const char **tp__paths_names(const tp_paths *p)
{
    size_t nn = tp__intern_count(&p->names);
    const char **names = tp__malloc((nn ? nn : 1) * sizeof *names);
    if (!names) {
        tp__error(TP_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < nn; i++)
        names[i] = tp__intern_str(&p->names, (uint32_t)i);
    return names;
}

TP_API size_t tp_paths_count(const tp_paths *p) { return p ? tp__paths_n(p) : 0; }
TP_API double tp_paths_conversions(const tp_paths *p) { return p ? p->total_conv : 0.0; }
TP_API double tp_paths_value(const tp_paths *p) { return p ? p->total_value : 0.0; }
TP_API double tp_paths_nulls(const tp_paths *p) { return p ? p->total_nulls : 0.0; }
TP_API int tp_paths_has_times(const tp_paths *p)
{
    return p && p->has_times && tp__paths_n(p) > 0;
}

typedef struct agg_row {
    uint32_t id; /* joined path in the temporary pool */
    double conv, value, nulls;
    const char *text;
} agg_row;

static int agg_cmp(const void *pa, const void *pb)
{
    const agg_row *a = pa, *b = pb;
    double wa = a->conv + a->nulls, wb = b->conv + b->nulls;
    if (wa != wb)
        return wa > wb ? -1 : 1;
    if (a->conv != b->conv)
        return a->conv > b->conv ? -1 : 1;
    return strcmp(a->text, b->text);
}

TP_API tp_status tp_paths_to_table(const tp_paths *p, const char *separator, tp_table **out)
{
    if (!out || !p)
        return tp__error(TP_EINVAL, "tp_paths_to_table: NULL argument");
    *out = NULL;
    const char *sep = separator ? separator : " > ";
    size_t n = tp__paths_n(p), nrows = 0;
    tp__intern pool;
    tp__intern_init(&pool);
    tp__strbuf sb;
    memset(&sb, 0, sizeof sb);
    agg_row *rows = tp__malloc((n ? n : 1) * sizeof *rows);
    tp_status st = rows ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && st == TP_OK; i++) {
        sb.len = 0;
        for (size_t t = p->off.data[i]; t < p->off.data[i + 1]; t++) {
            if (t > p->off.data[i])
                tp__sb_puts(&sb, sep);
            tp__sb_puts(&sb, tp__intern_str(&p->names, p->touch.data[t]));
        }
        uint32_t id;
        if (sb.failed || tp__intern_put(&pool, sb.len ? sb.data : "", sb.len, &id)) {
            st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        if (id == nrows)
            rows[nrows++] = (agg_row){id, 0, 0, 0, NULL};
        rows[id].conv += p->conv.data[i];
        rows[id].value += p->value.data[i];
        rows[id].nulls += p->nulls.data[i];
    }
    for (size_t i = 0; i < nrows; i++)
        rows[i].text = tp__intern_str(&pool, rows[i].id);
    if (st == TP_OK)
        qsort(rows, nrows, sizeof *rows, agg_cmp);
    static const tp__col cols[] = {{"path", TP_TYPE_STRING},
                                   {"conversions", TP_TYPE_DOUBLE},
                                   {"value", TP_TYPE_DOUBLE},
                                   {"nulls", TP_TYPE_DOUBLE}};
    if (st == TP_OK) {
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        for (size_t i = 0; i < nrows; i++) {
            tp__rb_row(&b);
            tp__rb_str(&b, 0, rows[i].text);
            tp__rb_f64(&b, 1, rows[i].conv);
            tp__rb_f64(&b, 2, rows[i].value);
            tp__rb_f64(&b, 3, rows[i].nulls);
        }
        st = tp__rb_finish(&b, out);
    }
    tp__free(rows);
    tp__sb_free(&sb);
    tp__intern_free(&pool);
    return st;
}
