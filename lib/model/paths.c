/* tp_paths: the store of attribution paths (columns with mark and rollback,
 * like the event log), filled by hand, by the CSV reader (io/paths_csv.c) or
 * from the journeys of an event log (analysis/paths.c). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "model/paths_internal.h"

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

tp_status tp__paths_absorb(tp_paths *p, const tp_paths *w)
{
    size_t n = tp__paths_n(w), nt = w->touch.len, nn = tp__intern_count(&w->names);
    uint32_t *map = tp__malloc((nn ? nn : 1) * sizeof *map);
    int times = p->has_times && w->has_times;
    if (!map || tp__intern_map_into(&p->names, &w->names, map) ||
        tp__vec_u32_reserve(&p->touch, nt) || tp__vec_size_reserve(&p->off, n) ||
        tp__vec_f64_reserve(&p->conv, n) || tp__vec_f64_reserve(&p->value, n) ||
        tp__vec_f64_reserve(&p->nulls, n) || (times && tp__vec_i64_reserve(&p->dt, nt))) {
        tp__free(map);
        return tp__error(TP_ENOMEM, "out of memory joining the pieces of a read");
    }
    for (size_t i = 0; i < n; i++) {
        p->total_conv += w->conv.data[i];
        p->total_value += w->value.data[i];
        p->total_nulls += w->nulls.data[i];
        if (!isfinite(p->total_conv) || !isfinite(p->total_value) || !isfinite(p->total_nulls)) {
            tp__free(map);
            return tp__error(TP_ELIMIT, "the set's total conversions, value or nulls would "
                                        "overflow a double");
        }
    }
    size_t base = p->touch.len;
    for (size_t i = 0; i < nt; i++)
        p->touch.data[base + i] = map[w->touch.data[i]];
    p->touch.len += nt;
    if (times) {
        memcpy(p->dt.data + p->dt.len, w->dt.data, nt * sizeof *w->dt.data);
        p->dt.len += nt;
    } else if (n) {
        p->has_times = 0; /* the times already held stay, for a rollback */
    }
    for (size_t i = 0; i < n; i++)
        p->off.data[p->off.len++] = base + w->off.data[i + 1];
    memcpy(p->conv.data + p->conv.len, w->conv.data, n * sizeof *w->conv.data);
    memcpy(p->value.data + p->value.len, w->value.data, n * sizeof *w->value.data);
    memcpy(p->nulls.data + p->nulls.len, w->nulls.data, n * sizeof *w->nulls.data);
    p->conv.len += n;
    p->value.len += n;
    p->nulls.len += n;
    tp__free(map);
    return TP_OK;
}

static int good_amount(double x) { return isfinite(x) && x >= 0.0 && x <= TP_MAX_AMOUNT; }

TP_API tp_status tp_paths_add(tp_paths *p, const char *const *touchpoints, size_t count,
                              double conversions, double value, double nulls)
{
    if (!p || !touchpoints || count == 0)
        return tp__error(TP_EINVAL, "tp_paths_add: %s",
                         !p ? "paths is NULL" : "a path needs at least one touchpoint");
    if (!good_amount(conversions) || !good_amount(value) || !good_amount(nulls))
        return tp__error(TP_EINVAL,
                         "tp_paths_add: conversions, value and nulls must be finite, >= 0 and "
                         "<= 1e15 (TP_MAX_AMOUNT)");
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
