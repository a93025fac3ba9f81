#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/utf8.h"
#include "model/catalog_internal.h"

tp_status tp_journey_map_new(tp_journey_map **out, const char *id)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_journey_map_new: out is NULL");
    *out = NULL;
    const char *why = tp__ident_problem(id, id ? strlen(id) : 0);
    if (why)
        return tp__error(TP_EINVAL, "journey map id: %s", why);
    tp_journey_map *m = tp__calloc(1, sizeof *m);
    if (!m || !(m->id = tp__strdup(id))) {
        tp__free(m);
        return tp__error(TP_ENOMEM, "out of memory creating journey map");
    }
    tp__intern_init(&m->names);
    *out = m;
    return TP_OK;
}

void tp_journey_map_free(tp_journey_map *m)
{
    if (!m)
        return;
    tp__free(m->id);
    tp__intern_free(&m->names);
    tp__vec_u32_free(&m->stage_names);
    tp__vec_u32_free(&m->stage_start);
    tp__vec_u32_free(&m->members);
    tp__vec_u32_free(&m->from);
    tp__vec_u32_free(&m->to);
    tp__free(m);
}

static int has(const tp__vec_u32 *v, size_t from, size_t to, uint32_t x)
{
    for (size_t i = from; i < to; i++)
        if (v->data[i] == x)
            return 1;
    return 0;
}

tp_status tp_journey_map_add_stage(tp_journey_map *m, const char *name,
                                   const char *const *touchpoints, size_t count)
{
    if (!m || (!touchpoints && count))
        return tp__error(TP_EINVAL, "tp_journey_map_add_stage: NULL argument");
    const char *why = tp__ident_problem(name, name ? strlen(name) : 0);
    if (why)
        return tp__error(TP_EINVAL, "journey map '%s': stage name: %s", m->id, why);
    for (size_t i = 0; i < count; i++) {
        why = tp__ident_problem(touchpoints[i], touchpoints[i] ? strlen(touchpoints[i]) : 0);
        if (why)
            return tp__error(TP_EINVAL, "journey map '%s': stage '%s': touchpoint %zu: %s", m->id,
                             name, i, why);
    }
    if (m->stage_names.len >= TP_MAX_STAGES || count > TP_MAX_MAP_ENTRIES - m->members.len)
        return tp__error(TP_ELIMIT, "journey map '%s': at most %d stages and %d touchpoints",
                         m->id, TP_MAX_STAGES, TP_MAX_MAP_ENTRIES);
    uint32_t id;
    if (tp__intern_find(&m->names, name, strlen(name), &id) &&
        has(&m->stage_names, 0, m->stage_names.len, id))
        return tp__error(TP_ECONFLICT, "journey map '%s': stage '%s' listed twice", m->id, name);
    tp__intern_mark mark = tp__intern_mark_get(&m->names);
    size_t old_members = m->members.len;
    if (tp__vec_u32_reserve(&m->stage_names, 1) || tp__vec_u32_reserve(&m->stage_start, 2) ||
        tp__vec_u32_reserve(&m->members, count) ||
        tp__intern_put(&m->names, name, strlen(name), &id))
        goto nomem;
    for (size_t i = 0; i < count; i++) {
        uint32_t t;
        if (tp__intern_put(&m->names, touchpoints[i], strlen(touchpoints[i]), &t))
            goto nomem;
        if (has(&m->members, 0, m->members.len, t)) {
            m->members.len = old_members;
            tp__intern_rollback(&m->names, mark);
            return tp__error(TP_ECONFLICT, "journey map '%s': touchpoint '%s' is in two stages",
                             m->id, touchpoints[i]);
        }
        m->members.data[m->members.len++] = t;
    }
    if (m->stage_start.len == 0)
        m->stage_start.data[m->stage_start.len++] = 0;
    m->stage_names.data[m->stage_names.len++] = id;
    m->stage_start.data[m->stage_start.len++] = (uint32_t)m->members.len;
    return TP_OK;
nomem:
    m->members.len = old_members;
    tp__intern_rollback(&m->names, mark);
    return tp__error(TP_ENOMEM, "out of memory adding journey map stage");
}

tp_status tp_journey_map_allow(tp_journey_map *m, const char *from, const char *to)
{
    if (!m || !from || !to)
        return tp__error(TP_EINVAL, "tp_journey_map_allow: NULL argument");
    const char *why = tp__ident_problem(from, strlen(from));
    if (!why)
        why = tp__ident_problem(to, strlen(to));
    if (why)
        return tp__error(TP_EINVAL, "journey map '%s': transition: %s", m->id, why);
    if (strcmp(from, TP_END_MARKER) == 0 || strcmp(to, TP_START_MARKER) == 0)
        return tp__error(TP_EINVAL, "journey map '%s': '(end)' cannot lead anywhere and '(start)' "
                                    "cannot be reached", m->id);
    if (tp_journey_map_allows(m, from, to))
        return TP_OK;
    if (m->from.len >= TP_MAX_MAP_ENTRIES)
        return tp__error(TP_ELIMIT, "journey map '%s': at most %d allowed transitions", m->id,
                         TP_MAX_MAP_ENTRIES);
    tp__intern_mark mark = tp__intern_mark_get(&m->names);
    uint32_t f, t;
    if (tp__vec_u32_reserve(&m->from, 1) || tp__vec_u32_reserve(&m->to, 1) ||
        tp__intern_put(&m->names, from, strlen(from), &f) ||
        tp__intern_put(&m->names, to, strlen(to), &t)) {
        tp__intern_rollback(&m->names, mark);
        return tp__error(TP_ENOMEM, "out of memory adding transition");
    }
    m->from.data[m->from.len++] = f;
    m->to.data[m->to.len++] = t;
    return TP_OK;
}

const char *tp_journey_map_id(const tp_journey_map *m) { return m ? m->id : NULL; }
size_t tp_journey_map_stage_count(const tp_journey_map *m) { return m ? m->stage_names.len : 0; }

const char *tp_journey_map_stage_name(const tp_journey_map *m, size_t stage)
{
    if (!m || stage >= m->stage_names.len)
        return NULL;
    return tp__intern_str(&m->names, m->stage_names.data[stage]);
}

size_t tp_journey_map_stage_size(const tp_journey_map *m, size_t stage)
{
    if (!m || stage >= m->stage_names.len)
        return 0;
    return m->stage_start.data[stage + 1] - m->stage_start.data[stage];
}

const char *tp_journey_map_stage_touchpoint(const tp_journey_map *m, size_t stage, size_t i)
{
    if (i >= tp_journey_map_stage_size(m, stage))
        return NULL;
    return tp__intern_str(&m->names, m->members.data[m->stage_start.data[stage] + i]);
}

size_t tp_journey_map_transition_count(const tp_journey_map *m) { return m ? m->from.len : 0; }

tp_status tp_journey_map_transition(const tp_journey_map *m, size_t i, const char **from,
                                    const char **to)
{
    if (!m || !from || !to || i >= m->from.len)
        return tp__error(TP_EINVAL, "tp_journey_map_transition: bad argument");
    *from = tp__intern_str(&m->names, m->from.data[i]);
    *to = tp__intern_str(&m->names, m->to.data[i]);
    return TP_OK;
}

int tp_journey_map_allows(const tp_journey_map *m, const char *from, const char *to)
{
    if (!m || !from || !to)
        return 0;
    uint32_t f, t;
    if (!tp__intern_find(&m->names, from, strlen(from), &f) ||
        !tp__intern_find(&m->names, to, strlen(to), &t))
        return 0;
    for (size_t i = 0; i < m->from.len; i++)
        if (m->from.data[i] == f && m->to.data[i] == t)
            return 1;
    return 0;
}

static int is_marker(const char *s)
{
    return strcmp(s, TP_START_MARKER) == 0 || strcmp(s, TP_END_MARKER) == 0;
}

/* Copy a map by replaying it, so the copy is built by the same checked paths. */
static tp_status clone_map(const tp_journey_map *src, tp_journey_map **out)
{
    tp_journey_map *m;
    tp_status st = tp_journey_map_new(&m, src->id);
    for (size_t s = 0; st == TP_OK && s < src->stage_names.len; s++) {
        size_t n = tp_journey_map_stage_size(src, s);
        const char **ids = tp__malloc((n + 1) * sizeof *ids);
        if (!ids) {
            st = tp__error(TP_ENOMEM, "out of memory copying journey map");
            break;
        }
        for (size_t i = 0; i < n; i++)
            ids[i] = tp_journey_map_stage_touchpoint(src, s, i);
        st = tp_journey_map_add_stage(m, tp_journey_map_stage_name(src, s), ids, n);
        tp__free(ids);
    }
    for (size_t i = 0; st == TP_OK && i < src->from.len; i++)
        st = tp_journey_map_allow(m, tp__intern_str(&src->names, src->from.data[i]),
                                  tp__intern_str(&src->names, src->to.data[i]));
    if (st != TP_OK) {
        tp_journey_map_free(m);
        return st;
    }
    *out = m;
    return TP_OK;
}

static const char *map_id_at(const void *ctx, size_t i)
{
    const tp_catalog *c = ctx;
    const tp_journey_map *m = c->maps.data[i];
    return m->id;
}

static const char *touchpoint_id_at(const void *ctx, size_t i)
{
    return tp__catalog_id(ctx, (uint32_t)i);
}

void tp__catalog_suggest_map(const tp_catalog *c, const char *id, char *buf, size_t cap)
{
    tp__suggest(buf, cap, id, c->maps.len, map_id_at, c, "journey maps");
}

void tp__catalog_suggest_touchpoint(const tp_catalog *c, const char *id, char *buf, size_t cap)
{
    tp__suggest(buf, cap, id, c->tps.len, touchpoint_id_at, c, "touchpoints");
}

static const tp_journey_map *find_map(const tp_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->maps.len; i++) {
        const tp_journey_map *m = c->maps.data[i];
        if (strcmp(m->id, id) == 0)
            return m;
    }
    return NULL;
}

tp_status tp_catalog_add_journey_map(tp_catalog *c, const tp_journey_map *m)
{
    if (!c || !m)
        return tp__error(TP_EINVAL, "tp_catalog_add_journey_map: NULL argument");
    if (find_map(c, m->id))
        return tp__error(TP_ECONFLICT, "journey map '%s' already exists", m->id);
    uint32_t idx32;
    for (size_t i = 0; i < m->members.len; i++) {
        const char *t = tp__intern_str(&m->names, m->members.data[i]);
        if (!tp__intern_find(&c->ids, t, strlen(t), &idx32))
            return tp__error(TP_ENOTFOUND, "journey map '%s': unknown touchpoint '%s'", m->id, t);
    }
    for (size_t i = 0; i < m->from.len; i++) {
        const char *ends[2] = {tp__intern_str(&m->names, m->from.data[i]),
                               tp__intern_str(&m->names, m->to.data[i])};
        for (int k = 0; k < 2; k++)
            if (!is_marker(ends[k]) && !tp__intern_find(&c->ids, ends[k], strlen(ends[k]), &idx32))
                return tp__error(TP_ENOTFOUND,
                                 "journey map '%s': transition names unknown touchpoint '%s'",
                                 m->id, ends[k]);
    }
    tp_journey_map *copy;
    tp_status st = clone_map(m, &copy);
    if (st != TP_OK)
        return st;
    if (tp__vec_ptr_push(&c->maps, copy)) {
        tp_journey_map_free(copy);
        return tp__error(TP_ENOMEM, "out of memory adding journey map");
    }
    return TP_OK;
}

size_t tp_catalog_journey_map_count(const tp_catalog *c) { return c ? c->maps.len : 0; }

const tp_journey_map *tp_catalog_journey_map(const tp_catalog *c, size_t index)
{
    if (!c || index >= c->maps.len)
        return NULL;
    return c->maps.data[index];
}

tp_status tp_catalog_find_journey_map(const tp_catalog *c, const char *id,
                                      const tp_journey_map **out)
{
    if (!c || !id || !out)
        return tp__error(TP_EINVAL, "tp_catalog_find_journey_map: NULL argument");
    if ((*out = find_map(c, id)) != NULL)
        return TP_OK;
    char hint[512];
    tp__catalog_suggest_map(c, id, hint, sizeof hint);
    return tp__error(TP_ENOTFOUND, "no journey map '%.60s' in the catalog (%s)", id, hint);
}
