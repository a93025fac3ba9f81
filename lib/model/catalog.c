#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/versioned.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "model/catalog_internal.h"

#define TEXT_MAX 4096

static const char *const default_stages[] = {"before", "during", "after"};

const char *tp_kind_name(tp_kind kind)
{
    switch (kind) {
    case TP_KIND_UNKNOWN: return "unknown";
    case TP_KIND_DIGITAL: return "digital";
    case TP_KIND_PHYSICAL: return "physical";
    case TP_KIND_HUMAN: return "human";
    }
    return NULL;
}

tp_status tp_kind_parse(const char *name, tp_kind *out)
{
    if (!name || !out)
        return tp__error(TP_EINVAL, "tp_kind_parse: NULL argument");
    for (int k = TP_KIND_UNKNOWN; k <= TP_KIND_HUMAN; k++) {
        if (strcasecmp(name, tp_kind_name((tp_kind)k)) == 0) {
            *out = (tp_kind)k;
            return TP_OK;
        }
    }
    return tp__error(TP_EINVAL, "unknown kind (expected digital, physical, human or unknown)");
}

/* Bytes of a tp_touchpoint_def that @p version has (its last field ends there);
 * 0 for an unknown version. */
static size_t def_size(unsigned version)
{
    switch (version) {
    case 1: return TP__END_OF(tp_touchpoint_def, parent);
    default: return 0;
    }
}

tp_status tp_touchpoint_def_init(tp_touchpoint_def *def, unsigned int version)
{
    size_t size = def_size(version);
    if (!def || !size)
        return tp__error(TP_EINVAL, "tp_touchpoint_def_init: %s", def ? "unknown version"
                                                                      : "def is NULL");
    tp_touchpoint_def d = TP_TOUCHPOINT_DEF_INIT;
    d.version = version;
    memcpy(def, &d, size);
    return TP_OK;
}

tp_status tp_catalog_new(tp_catalog **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_catalog_new: out is NULL");
    *out = NULL;
    tp_catalog *c = tp__calloc(1, sizeof *c);
    if (!c)
        return tp__error(TP_ENOMEM, "out of memory creating catalog");
    tp__intern_init(&c->ids);
    tp__intern_init(&c->text);
    for (size_t i = 0; i < 3; i++) {
        tp_status st = tp_catalog_add_stage(c, default_stages[i]);
        if (st != TP_OK) {
            tp_catalog_free(c);
            return st;
        }
    }
    *out = c;
    return TP_OK;
}

void tp_catalog_free(tp_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->maps.len; i++)
        tp_journey_map_free(c->maps.data[i]);
    tp__vec_ptr_free(&c->maps);
    tp__catalog_free_funnels(c);
    tp__vec_tpt_free(&c->tps);
    tp__vec_u32_free(&c->stages);
    tp__intern_free(&c->ids);
    tp__intern_free(&c->text);
    tp__free(c);
}

size_t tp_catalog_stage_count(const tp_catalog *c) { return c ? c->stages.len : 0; }

const char *tp_catalog_stage_name(const tp_catalog *c, size_t index)
{
    if (!c || index >= c->stages.len)
        return NULL;
    return tp__intern_str(&c->text, c->stages.data[index]);
}

/* Parents above touchpoint i (nesting is kept within TP_MAX_DEPTH, so this is short). */
static uint32_t depth_of(const tp_catalog *c, uint32_t i)
{
    uint32_t d = 0;
    for (uint32_t a = c->tps.data[i].parent; a != TP__NONE; a = c->tps.data[a].parent)
        d++;
    return d;
}

static int stage_index(const tp_catalog *c, const char *name, size_t len, size_t *index)
{
    uint32_t id;
    if (!tp__intern_find(&c->text, name, len, &id))
        return 0;
    for (size_t i = 0; i < c->stages.len; i++) {
        if (c->stages.data[i] == id) {
            *index = i;
            return 1;
        }
    }
    return 0;
}

tp_status tp_catalog_find_stage(const tp_catalog *c, const char *name, size_t *index)
{
    if (!c || !name || !index)
        return tp__error(TP_EINVAL, "tp_catalog_find_stage: NULL argument");
    if (!stage_index(c, name, strlen(name), index))
        return tp__error(TP_ENOTFOUND, "no stage named '%.200s'", name);
    return TP_OK;
}

static tp_status check_ident(const char *what, const char *s)
{
    const char *why = tp__ident_problem(s, s ? strlen(s) : 0);
    if (why)
        return tp__error(TP_EINVAL, "%s: %s", what, why);
    return TP_OK;
}

static tp_status check_text(const char *what, const char *s)
{
    if (!s)
        return TP_OK;
    size_t n = strlen(s);
    if (n > TEXT_MAX)
        return tp__error(TP_EINVAL, "%s: text longer than %d bytes", what, TEXT_MAX);
    if (tp__utf8_check(s, n) != (size_t)-1)
        return tp__error(TP_EINVAL, "%s: invalid UTF-8", what);
    return TP_OK;
}

tp_status tp_catalog_add_stage(tp_catalog *c, const char *name)
{
    if (!c)
        return tp__error(TP_EINVAL, "tp_catalog_add_stage: catalog is NULL");
    tp_status st = check_ident("stage name", name);
    if (st != TP_OK)
        return st;
    size_t idx;
    if (stage_index(c, name, strlen(name), &idx))
        return tp__error(TP_ECONFLICT, "stage '%s' already exists", name);
    if (c->stages.len >= TP_MAX_STAGES)
        return tp__error(TP_ELIMIT, "a catalog has at most %d stages", TP_MAX_STAGES);
    tp__intern_mark m = tp__intern_mark_get(&c->text);
    uint32_t id;
    if (c->stages.len >= UINT32_MAX - 1 || tp__vec_u32_reserve(&c->stages, 1) ||
        tp__intern_put(&c->text, name, strlen(name), &id)) {
        tp__intern_rollback(&c->text, m);
        return tp__error(TP_ENOMEM, "out of memory adding stage");
    }
    c->stages.data[c->stages.len++] = id;
    return TP_OK;
}

tp_status tp_catalog_set_stages(tp_catalog *c, const char *const *names, size_t count)
{
    if (!c || (!names && count))
        return tp__error(TP_EINVAL, "tp_catalog_set_stages: NULL argument");
    if (count > TP_MAX_STAGES)
        return tp__error(TP_ELIMIT, "a catalog has at most %d stages", TP_MAX_STAGES);
    for (size_t i = 0; i < count; i++) {
        tp_status st = check_ident("stage name", names[i]);
        if (st != TP_OK)
            return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return tp__error(TP_EINVAL, "stage '%s' listed twice", names[i]);
    }
    /* Map each old stage to its place in the new list; a used one must survive. */
    uint32_t *remap = tp__malloc((c->stages.len + 1) * sizeof *remap);
    uint32_t *ids = tp__malloc((count + 1) * sizeof *ids);
    tp__intern_mark m = tp__intern_mark_get(&c->text);
    if (!remap || !ids)
        goto nomem;
    for (size_t i = 0; i < count; i++)
        if (tp__intern_put(&c->text, names[i], strlen(names[i]), &ids[i]))
            goto nomem;
    for (size_t s = 0; s < c->stages.len; s++) {
        remap[s] = TP__NONE;
        for (size_t i = 0; i < count; i++)
            if (ids[i] == c->stages.data[s])
                remap[s] = (uint32_t)i;
    }
    for (size_t t = 0; t < c->tps.len; t++) {
        uint32_t s = c->tps.data[t].stage;
        if (s != TP__NONE && remap[s] == TP__NONE) {
            tp_status st = tp__error(TP_ECONFLICT, "stage '%s' is used by touchpoint '%s'",
                                     tp_catalog_stage_name(c, s), tp__catalog_id(c, (uint32_t)t));
            tp__intern_rollback(&c->text, m);
            tp__free(remap);
            tp__free(ids);
            return st;
        }
    }
    if (count > c->stages.len && tp__vec_u32_reserve(&c->stages, count - c->stages.len))
        goto nomem;
    for (size_t t = 0; t < c->tps.len; t++)
        if (c->tps.data[t].stage != TP__NONE)
            c->tps.data[t].stage = remap[c->tps.data[t].stage];
    memcpy(c->stages.data, ids, count * sizeof *ids);
    c->stages.len = count;
    tp__free(remap);
    tp__free(ids);
    return TP_OK;
nomem:
    tp__intern_rollback(&c->text, m);
    tp__free(remap);
    tp__free(ids);
    return tp__error(TP_ENOMEM, "out of memory setting stages");
}

static int put_opt(tp_catalog *c, const char *s, uint32_t *id)
{
    if (!s) {
        *id = TP__NONE;
        return 0;
    }
    return tp__intern_put(&c->text, s, strlen(s), id);
}

tp_status tp_catalog_add_touchpoint(tp_catalog *c, const tp_touchpoint_def *user_def, size_t *index)
{
    if (!c || !user_def)
        return tp__error(TP_EINVAL, "tp_catalog_add_touchpoint: NULL argument");
    /* An older caller's struct ends before the fields its version lacks. */
    size_t size = def_size(user_def->version);
    if (!size)
        return tp__error(TP_EINVAL, "tp_touchpoint_def: unknown version %u (use tp_touchpoint_def_init)",
                         user_def->version);
    tp_touchpoint_def full = TP_TOUCHPOINT_DEF_INIT;
    memcpy(&full, user_def, size);
    const tp_touchpoint_def *def = &full;
    tp_status st;
    if ((st = check_ident("touchpoint id", def->id)) != TP_OK)
        return st;
    if ((def->channel && (st = check_ident("channel", def->channel)) != TP_OK) ||
        (def->owner && (st = check_ident("owner", def->owner)) != TP_OK) ||
        (st = check_text("name", def->name)) != TP_OK ||
        (st = check_text("expectation", def->expectation)) != TP_OK)
        return st;
    if (!isfinite(def->weight) || def->weight < 0)
        return tp__error(TP_EINVAL, "touchpoint '%s': weight must be a finite number >= 0", def->id);
    if (!tp_kind_name(def->kind))
        return tp__error(TP_EINVAL, "touchpoint '%s': invalid kind %d", def->id, (int)def->kind);
    size_t len = strlen(def->id);
    uint32_t existing;
    if (tp__intern_find(&c->ids, def->id, len, &existing))
        return tp__error(TP_ECONFLICT, "touchpoint '%s' already exists", def->id);
    tp__touchpoint t = {TP__NONE, TP__NONE, TP__NONE, TP__NONE, TP__NONE, TP__NONE, def->kind,
                        def->weight, {0}, 0};
    if (def->stage) {
        size_t s;
        if (!stage_index(c, def->stage, strlen(def->stage), &s))
            return tp__error(TP_ENOTFOUND, "touchpoint '%s': unknown stage '%.200s'", def->id,
                             def->stage);
        t.stage = (uint32_t)s;
    }
    if (def->parent) {
        uint32_t p;
        if (!tp__intern_find(&c->ids, def->parent, strlen(def->parent), &p))
            return tp__error(TP_ENOTFOUND, "touchpoint '%s': unknown parent '%.200s'", def->id,
                             def->parent);
        if (depth_of(c, p) >= TP_MAX_DEPTH)
            return tp__error(TP_ELIMIT, "touchpoint '%s': touchpoints nest at most %d deep",
                             def->id, TP_MAX_DEPTH);
        t.parent = p;
    }
    tp__catalog_mark m = tp__catalog_mark_get(c);
    uint32_t id;
    if (c->tps.len >= UINT32_MAX - 1 || tp__vec_tpt_reserve(&c->tps, 1) ||
        put_opt(c, def->name, &t.name) || put_opt(c, def->channel, &t.channel) ||
        put_opt(c, def->owner, &t.owner) || put_opt(c, def->expectation, &t.expectation) ||
        tp__intern_put(&c->ids, def->id, len, &id)) {
        tp__catalog_rollback(c, m);
        return tp__error(TP_ENOMEM, "out of memory adding touchpoint");
    }
    c->tps.data[c->tps.len++] = t;
    if (index)
        *index = id;
    return TP_OK;
}

size_t tp_catalog_touchpoint_count(const tp_catalog *c) { return c ? c->tps.len : 0; }

tp_status tp_catalog_find_touchpoint(const tp_catalog *c, const char *id, size_t *index)
{
    if (!c || !id || !index)
        return tp__error(TP_EINVAL, "tp_catalog_find_touchpoint: NULL argument");
    uint32_t i;
    if (!tp__intern_find(&c->ids, id, strlen(id), &i))
        return tp__error(TP_ENOTFOUND, "no touchpoint '%.200s'", id);
    *index = i;
    return TP_OK;
}

static const char *opt_text(const tp_catalog *c, uint32_t id)
{
    return id == TP__NONE ? NULL : tp__intern_str(&c->text, id);
}

tp_status tp_catalog_get_touchpoint(const tp_catalog *c, size_t index, tp_touchpoint_def *out)
{
    if (!c || !out)
        return tp__error(TP_EINVAL, "tp_catalog_get_touchpoint: NULL argument");
    size_t size = def_size(out->version);
    if (!size)
        return tp__error(TP_EINVAL, "tp_touchpoint_def: unknown version %u", out->version);
    if (index >= c->tps.len)
        return tp__error(TP_EINVAL, "touchpoint index %zu out of range", index);
    const tp__touchpoint *t = &c->tps.data[index];
    tp_touchpoint_def d = TP_TOUCHPOINT_DEF_INIT;
    d.version = out->version;
    d.id = tp__catalog_id(c, (uint32_t)index);
    d.name = opt_text(c, t->name);
    if (!d.name || !*d.name) /* the display name defaults to the id */
        d.name = d.id;
    d.stage = t->stage == TP__NONE ? NULL : tp_catalog_stage_name(c, t->stage);
    d.channel = opt_text(c, t->channel);
    d.kind = t->kind;
    d.owner = opt_text(c, t->owner);
    d.expectation = opt_text(c, t->expectation);
    d.weight = t->weight;
    d.parent = t->parent == TP__NONE ? NULL : tp__catalog_id(c, t->parent);
    memcpy(out, &d, size); /* the fields of the caller's version only */
    return TP_OK;
}

tp_status tp_catalog_set_parent(tp_catalog *c, const char *id, const char *parent)
{
    if (!c || !id)
        return tp__error(TP_EINVAL, "tp_catalog_set_parent: NULL argument");
    uint32_t child, p = TP__NONE;
    if (!tp__intern_find(&c->ids, id, strlen(id), &child))
        return tp__error(TP_ENOTFOUND, "no touchpoint '%.200s'", id);
    if (parent) {
        if (!tp__intern_find(&c->ids, parent, strlen(parent), &p))
            return tp__error(TP_ENOTFOUND, "no touchpoint '%.200s'", parent);
        /* Walk up from the new parent: meeting the child means a cycle. The walk
         * is short because the existing links are acyclic and shallow. */
        uint32_t above = 0; /* levels from the root down to p */
        for (uint32_t a = p; a != TP__NONE; a = c->tps.data[a].parent, above++)
            if (a == child)
                return tp__error(TP_EVALIDATE, "parent '%s' of '%s' would make a cycle", parent,
                                 id);
        /* The levels below the child: the longest chain up to it (chains are
         * at most TP_MAX_DEPTH long, so this is O(touchpoints)). */
        uint32_t below = 0;
        for (uint32_t t = 0; t < (uint32_t)c->tps.len; t++) {
            uint32_t d = 0;
            for (uint32_t a = t; a != TP__NONE; a = c->tps.data[a].parent, d++)
                if (a == child) {
                    below = d > below ? d : below;
                    break;
                }
        }
        if (above + 1 + below > TP_MAX_DEPTH)
            return tp__error(TP_ELIMIT, "parent '%s' of '%s': touchpoints nest at most %d deep",
                             parent, id, TP_MAX_DEPTH);
    }
    c->tps.data[child].parent = p;
    return TP_OK;
}

tp_status tp__catalog_set_parents(tp_catalog *c, const uint32_t *parent_of, size_t *bad)
{
    const uint32_t UNKNOWN = UINT32_MAX, ON_PATH = UINT32_MAX - 1;
    size_t n = c->tps.len;
    uint32_t *depth = tp__malloc((n + 1) * sizeof *depth);
    uint32_t path[TP_MAX_DEPTH + 1];
    if (!depth)
        return TP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        depth[i] = UNKNOWN;
    tp_status st = TP_OK;
    /* Each touchpoint gets its depth once: walk up to a known one (or a root),
     * then number the walked path downwards. */
    for (size_t t = 0; t < n && st == TP_OK; t++) {
        size_t len = 0;
        uint32_t a = (uint32_t)t;
        while (a != TP__NONE && depth[a] == UNKNOWN && len <= TP_MAX_DEPTH) {
            depth[a] = ON_PATH;
            path[len++] = a;
            a = parent_of[a];
        }
        if (a != TP__NONE && depth[a] == ON_PATH) {
            /* A cycle: blame its last link in document order. */
            size_t k = 0;
            while (path[k] != a)
                k++;
            uint32_t last = a;
            for (; k < len; k++)
                last = path[k] > last ? path[k] : last;
            *bad = last;
            st = TP_EVALIDATE;
        } else if ((a != TP__NONE && depth[a] == UNKNOWN) ||
                   (a != TP__NONE ? depth[a] + 1 : 0) + len - 1 > TP_MAX_DEPTH) {
            *bad = t; /* the walk ran out of levels */
            st = TP_ELIMIT;
        } else {
            uint32_t base = a == TP__NONE ? 0 : depth[a] + 1;
            for (size_t k = len; k-- > 0;)
                depth[path[k]] = base + (uint32_t)(len - 1 - k);
        }
    }
    if (st == TP_OK)
        for (size_t i = 0; i < n; i++)
            c->tps.data[i].parent = parent_of[i];
    tp__free(depth);
    return st;
}

tp__catalog_mark tp__catalog_mark_get(const tp_catalog *c)
{
    tp__catalog_mark m = {c->tps.len, tp__intern_mark_get(&c->ids), tp__intern_mark_get(&c->text)};
    return m;
}

void tp__catalog_rollback(tp_catalog *c, tp__catalog_mark m)
{
    c->tps.len = m.count;
    tp__intern_rollback(&c->ids, m.ids);
    tp__intern_rollback(&c->text, m.text);
}

tp_status tp__catalog_resolve(tp_catalog *c, const char *id, size_t len, const char *channel,
                              size_t channel_len, int reg, uint32_t *index)
{
    if (tp__intern_find(&c->ids, id, len, index))
        return TP_OK;
    if (!reg)
        return TP_ENOTFOUND;
    if (c->tps.len >= UINT32_MAX - 1)
        return TP_ELIMIT;
    tp__touchpoint t = {TP__NONE, TP__NONE, TP__NONE, TP__NONE, TP__NONE, TP__NONE,
                        TP_KIND_UNKNOWN, 1.0, {0}, 0};
    tp__catalog_mark m = tp__catalog_mark_get(c);
    if (tp__vec_tpt_reserve(&c->tps, 1) ||
        (channel_len && tp__intern_put(&c->text, channel, channel_len, &t.channel)) ||
        tp__intern_put(&c->ids, id, len, index)) {
        tp__catalog_rollback(c, m);
        return TP_ENOMEM;
    }
    c->tps.data[c->tps.len++] = t;
    return TP_OK;
}

int tp__pending_init(tp__pending *p, uint32_t base)
{
    uint32_t none;
    memset(p, 0, sizeof *p);
    p->base = base;
    tp__intern_init(&p->ids);
    tp__intern_init(&p->channels);
    return tp__intern_put(&p->channels, "", 0, &none);
}

void tp__pending_free(tp__pending *p)
{
    tp__intern_free(&p->ids);
    tp__intern_free(&p->channels);
    tp__vec_u32_free(&p->channel);
}

tp_status tp__catalog_resolve_in(tp_catalog *c, tp__pending *p, const char *id, size_t len,
                                 const char *channel, size_t channel_len, int reg,
                                 uint32_t *index)
{
    if (!p)
        return tp__catalog_resolve(c, id, len, channel, channel_len, reg, index);
    if (tp__intern_find(&c->ids, id, len, index))
        return TP_OK;
    if (!reg)
        return TP_ENOTFOUND;
    uint32_t j;
    if (tp__intern_find(&p->ids, id, len, &j)) {
        *index = p->base + j;
        return TP_OK;
    }
    if (p->base + (uint64_t)tp__intern_count(&p->ids) >= UINT32_MAX - 1)
        return TP_ELIMIT;
    uint32_t ch;
    if (tp__vec_u32_reserve(&p->channel, 1) ||
        tp__intern_put(&p->channels, channel_len ? channel : "", channel_len, &ch) ||
        tp__intern_put(&p->ids, id, len, &j))
        return TP_ENOMEM;
    p->channel.data[p->channel.len++] = ch;
    *index = p->base + j;
    return TP_OK;
}

tp_status tp__pending_commit(tp_catalog *c, const tp__pending *p, uint32_t *map)
{
    for (uint32_t j = 0; j < tp__intern_count(&p->ids); j++) {
        uint32_t ch = p->channel.data[j];
        tp_status st = tp__catalog_resolve(c, tp__intern_str(&p->ids, j), tp__intern_len(&p->ids, j),
                                           tp__intern_str(&p->channels, ch),
                                           tp__intern_len(&p->channels, ch), 1, &map[j]);
        if (st != TP_OK)
            return st;
    }
    return TP_OK;
}

tp_status tp_catalog_to_table(const tp_catalog *c, tp_table **out)
{
    if (!c || !out)
        return tp__error(TP_EINVAL, "tp_catalog_to_table: NULL argument");
    *out = NULL;
    static const char *const names[] = {"id", "name", "stage", "channel", "kind",
                                        "owner", "expectation", "weight", "parent", "depth"};
    static const tp_type types[] = {TP_TYPE_STRING, TP_TYPE_STRING, TP_TYPE_STRING,
                                    TP_TYPE_STRING, TP_TYPE_STRING, TP_TYPE_STRING,
                                    TP_TYPE_STRING, TP_TYPE_DOUBLE, TP_TYPE_STRING,
                                    TP_TYPE_INT64};
    tp_table *t;
    tp_status st = tp_table_new(&t);
    for (size_t k = 0; st == TP_OK && k < 10; k++)
        st = tp_table_add_column(t, names[k], types[k], NULL);
    for (size_t i = 0; st == TP_OK && i < c->tps.len; i++) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        tp_catalog_get_touchpoint(c, i, &d);
        size_t r;
        if ((st = tp_table_append_row(t, &r)) != TP_OK)
            break;
        const char *vals[] = {d.id, d.name, d.stage, d.channel, tp_kind_name(d.kind), d.owner,
                              d.expectation};
        for (size_t k = 0; st == TP_OK && k < 7; k++)
            st = tp_table_set_string(t, r, k, vals[k]);
        if (st == TP_OK)
            st = tp_table_set_double(t, r, 7, d.weight);
        if (st == TP_OK)
            st = tp_table_set_string(t, r, 8, d.parent);
        if (st == TP_OK)
            st = tp_table_set_int64(t, r, 9, depth_of(c, (uint32_t)i));
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}
