/* Path sets from the journeys of an event log, and as a table (the store
 * itself is model/paths.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "analysis/journey_index.h"
#include "analysis/result.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "model/paths_internal.h"

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
        if ((st = tp__options_tick(v.opt, j, ix.njourneys)) != TP_OK)
            break;
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
