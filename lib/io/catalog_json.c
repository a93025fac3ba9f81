/* Catalog JSON: parsed with cJSON, validated here with JSON paths in every error;
 * written with our own writer so the output is stable and needs no cJSON buffers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/file.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "io/json_util.h"
#include "model/catalog_internal.h"
#include "model/funnel_internal.h"
#include "model/targets_internal.h"

enum { MAX_DOC = 256 << 20 };

typedef struct ctx {
    const char *name;
    char path[512];
} ctx;

static tp_status fail(ctx *x, tp_status st, const char *fmt, ...) TP__PRINTF(3, 4);
static tp_status fail(ctx *x, tp_status st, const char *fmt, ...)
{
    tp__loc loc = {x->name, 0, 0, x->path};
    va_list ap;
    va_start(ap, fmt);
    tp__verror_at(st, &loc, fmt, ap);
    va_end(ap);
    return st;
}

/* Set x->path to base + suffix (printf style). */
static void at(ctx *x, const char *fmt, ...) TP__PRINTF(2, 3);
static void at(ctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->path, sizeof x->path, fmt, ap);
    va_end(ap);
}

/* Location of byte `off` as line and column, for syntax errors. */
static void line_col(const char *s, size_t off, uint64_t *line, uint64_t *col)
{
    *line = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            (*line)++;
            start = i + 1;
        }
    *col = off - start + 1;
}

static const char *key_at(const void *keys, size_t i)
{
    return ((const char *const *)keys)[i];
}

static tp_status check_keys(ctx *x, const cJSON *o, const char *const *allowed, size_t n)
{
    const char *dup = NULL;
    int members = tp__json_check_members(o, &dup);
    if (members == 2)
        return fail(x, TP_ELIMIT, "object with more than %d keys", TP__JSON_MAX_MEMBERS);
    if (members == 1)
        return fail(x, TP_EPARSE, "duplicate key \"%.100s\"", dup);
    for (const cJSON *m = o->child; m; m = m->next) {
        size_t k = 0;
        while (k < n && strcmp(m->string, allowed[k]) != 0)
            k++;
        if (k == n) {
            char ex[TP__EXCERPT_CAP], hint[256];
            tp__excerpt(m->string, strlen(m->string), ex, sizeof ex);
            tp__suggest(hint, sizeof hint, m->string, n, key_at, allowed, "keys");
            return fail(x, TP_EVALIDATE, "unknown key \"%s\" (%s)", ex, hint);
        }
    }
    return TP_OK;
}

/* Optional string member; NULL if absent or null. */
static tp_status opt_string(ctx *x, const cJSON *o, const char *key, const char *base,
                            const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return TP_OK;
    if (!cJSON_IsString(v)) {
        at(x, "%s.%s", base, key);
        return fail(x, TP_EVALIDATE, "expected a string%s",
                    !strcmp(key, "expectation") && cJSON_IsNumber(v)
                        ? " (a number to reach goes in \"targets\": {\"nps\": 20, ...})"
                        : "");
    }
    *out = v->valuestring;
    return TP_OK;
}

static tp_status read_stages(ctx *x, tp_catalog *c, const cJSON *stages)
{
    at(x, "$.stages");
    if (!cJSON_IsArray(stages))
        return fail(x, TP_EVALIDATE, "expected an array of stage names");
    size_t n = (size_t)cJSON_GetArraySize(stages);
    if (n > TP_MAX_STAGES) /* before the quadratic repeat check below */
        return fail(x, TP_ELIMIT, "a catalog has at most %d stages", TP_MAX_STAGES);
    const char **names = tp__calloc(n + 1, sizeof *names);
    if (!names)
        return fail(x, TP_ENOMEM, "out of memory");
    size_t i = 0;
    tp_status st = TP_OK;
    for (const cJSON *s = stages->child; s; s = s->next, i++) {
        at(x, "$.stages[%zu]", i);
        const char *why;
        if (!cJSON_IsString(s)) {
            st = fail(x, TP_EVALIDATE, "expected a string");
            break;
        }
        if ((why = tp__ident_problem(s->valuestring, strlen(s->valuestring))) != NULL) {
            st = fail(x, TP_EVALIDATE, "stage name: %s", why);
            break;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(names[k], s->valuestring) == 0) {
                st = fail(x, TP_ECONFLICT, "stage \"%s\" listed twice", s->valuestring);
                break;
            }
        if (st != TP_OK)
            break;
        names[i] = s->valuestring;
    }
    if (st == TP_OK) {
        at(x, "$.stages");
        st = tp_catalog_set_stages(c, names, n);
        if (st != TP_OK)
            st = fail(x, st, "%s", tp__last_reason());
    }
    tp__free(names);
    return st;
}

static const char *const tp_keys[] = {"id",     "name",        "stage",  "channel", "kind",
                                      "owner",  "expectation", "weight", "parent",  "targets"};

/* "targets": {"nps": 20, "ces": 5.5, ...} of touchpoint @p index. */
static tp_status read_targets(ctx *x, tp_catalog *c, const cJSON *t, const char *base, size_t index)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(t, "targets");
    if (!o || cJSON_IsNull(o))
        return TP_OK;
    at(x, "%s.targets", base);
    if (!cJSON_IsObject(o))
        return fail(x, TP_EVALIDATE, "expected an object such as {\"nps\": 20, \"ces\": 5.5}");
    tp_status st = check_keys(x, o, tp__target_words, TP_TARGET_COUNT);
    for (const cJSON *m = o->child; m && st == TP_OK; m = m->next) {
        tp_target which;
        at(x, "%s.targets.%s", base, m->string);
        tp_target_parse(m->string, &which); /* check_keys took only target words */
        if (!cJSON_IsNumber(m))
            return fail(x, TP_EVALIDATE, "expected a number");
        if ((st = tp_catalog_set_target(c, index, which, m->valuedouble)) != TP_OK)
            return fail(x, TP_EVALIDATE, "%s", tp__last_reason());
    }
    return st;
}

static tp_status read_touchpoint(ctx *x, tp_catalog *c, const cJSON *t, size_t i)
{
    char base[64];
    snprintf(base, sizeof base, "$.touchpoints[%zu]", i);
    at(x, "%s", base);
    if (!cJSON_IsObject(t))
        return fail(x, TP_EVALIDATE, "expected an object");
    tp_status st = check_keys(x, t, tp_keys, sizeof tp_keys / sizeof *tp_keys);
    if (st != TP_OK)
        return st;
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    const char *kind = NULL;
    if ((st = opt_string(x, t, "id", base, &d.id)) != TP_OK ||
        (st = opt_string(x, t, "name", base, &d.name)) != TP_OK ||
        (st = opt_string(x, t, "stage", base, &d.stage)) != TP_OK ||
        (st = opt_string(x, t, "channel", base, &d.channel)) != TP_OK ||
        (st = opt_string(x, t, "kind", base, &kind)) != TP_OK ||
        (st = opt_string(x, t, "owner", base, &d.owner)) != TP_OK ||
        (st = opt_string(x, t, "expectation", base, &d.expectation)) != TP_OK ||
        (st = opt_string(x, t, "parent", base, &d.parent)) != TP_OK)
        return st;
    at(x, "%s.id", base);
    if (!d.id)
        return fail(x, TP_EVALIDATE, "missing touchpoint id");
    const char *why = tp__ident_problem(d.id, strlen(d.id));
    if (why)
        return fail(x, TP_EVALIDATE, "%s", why);
    uint32_t existing;
    if (tp__intern_find(&c->ids, d.id, strlen(d.id), &existing))
        return fail(x, TP_ECONFLICT, "duplicate touchpoint id \"%s\"", d.id);
    if (kind) {
        at(x, "%s.kind", base);
        if (tp_kind_parse(kind, &d.kind) != TP_OK)
            return fail(x, TP_EVALIDATE, "unknown kind (expected digital, physical, human or unknown)");
    }
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(t, "weight");
    if (w && !cJSON_IsNull(w)) {
        at(x, "%s.weight", base);
        if (!cJSON_IsNumber(w))
            return fail(x, TP_EVALIDATE, "expected a number");
        if (!isfinite(w->valuedouble) || w->valuedouble < 0)
            return fail(x, TP_EVALIDATE, "weight must be a finite number >= 0");
        d.weight = w->valuedouble;
    }
    if (d.stage) {
        size_t s;
        at(x, "%s.stage", base);
        if (tp_catalog_find_stage(c, d.stage, &s) != TP_OK) {
            char ex[TP__EXCERPT_CAP];
            tp__excerpt(d.stage, strlen(d.stage), ex, sizeof ex);
            return fail(x, TP_EVALIDATE, "unknown stage \"%s\"", ex);
        }
    }
    /* Parents are linked in a second pass: they may come later in the file. */
    d.parent = NULL;
    at(x, "%s", base);
    size_t index;
    st = tp_catalog_add_touchpoint(c, &d, &index);
    if (st != TP_OK)
        return fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
    return read_targets(x, c, t, base, index);
}

static tp_status link_parents(ctx *x, tp_catalog *c, const cJSON *tps)
{
    /* Resolve every link, then check the whole forest at once (linear, where
     * one tp_catalog_set_parent per link would be quadratic on a long chain). */
    size_t n = tp_catalog_touchpoint_count(c), i = 0;
    uint32_t *parent_of = tp__malloc((n + 1) * sizeof *parent_of);
    if (!parent_of)
        return fail(x, TP_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        parent_of[k] = TP__NONE;
    tp_status st = TP_OK;
    for (const cJSON *t = tps->child; t && st == TP_OK; t = t->next, i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "parent");
        if (!p || cJSON_IsNull(p))
            continue;
        at(x, "$.touchpoints[%zu].parent", i);
        uint32_t idx;
        if (!tp__intern_find(&c->ids, p->valuestring, strlen(p->valuestring), &idx)) {
            char ex[TP__EXCERPT_CAP];
            tp__excerpt(p->valuestring, strlen(p->valuestring), ex, sizeof ex);
            st = fail(x, TP_EVALIDATE, "parent \"%s\" is not a touchpoint of the catalog", ex);
        } else {
            parent_of[i] = idx; /* touchpoint i is the document's i-th */
        }
    }
    size_t bad = 0;
    if (st == TP_OK && (st = tp__catalog_set_parents(c, parent_of, &bad)) != TP_OK) {
        at(x, "$.touchpoints[%zu].parent", bad);
        const char *id = tp__catalog_id(c, (uint32_t)bad);
        if (st == TP_EVALIDATE)
            st = fail(x, st, "parent \"%s\" of \"%s\" makes a cycle",
                      tp__catalog_id(c, parent_of[bad]), id);
        else if (st == TP_ELIMIT)
            st = fail(x, st, "\"%s\" nests more than %d levels deep", id, TP_MAX_DEPTH);
        else
            st = fail(x, st, "out of memory");
    }
    tp__free(parent_of);
    return st;
}

static const char *const map_keys[] = {"id", "stages", "allowed"};
static const char *const stage_keys[] = {"name", "touchpoints"};

static tp_status read_map(ctx *x, tp_catalog *c, const cJSON *jm, size_t i)
{
    at(x, "$.journey_maps[%zu]", i);
    if (!cJSON_IsObject(jm))
        return fail(x, TP_EVALIDATE, "expected an object");
    tp_status st = check_keys(x, jm, map_keys, 3);
    if (st != TP_OK)
        return st;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(jm, "id");
    at(x, "$.journey_maps[%zu].id", i);
    if (!cJSON_IsString(id))
        return fail(x, TP_EVALIDATE, "expected a string id");
    tp_journey_map *m;
    if ((st = tp_journey_map_new(&m, id->valuestring)) != TP_OK)
        return fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
    const cJSON *stages = cJSON_GetObjectItemCaseSensitive(jm, "stages");
    const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(jm, "allowed");
    size_t s = 0;
    if (stages && !cJSON_IsArray(stages)) {
        at(x, "$.journey_maps[%zu].stages", i);
        st = fail(x, TP_EVALIDATE, "expected an array");
    }
    for (const cJSON *js = stages ? stages->child : NULL; st == TP_OK && js; js = js->next, s++) {
        at(x, "$.journey_maps[%zu].stages[%zu]", i, s);
        if (!cJSON_IsObject(js)) {
            st = fail(x, TP_EVALIDATE, "expected an object");
            break;
        }
        if ((st = check_keys(x, js, stage_keys, 2)) != TP_OK)
            break;
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(js, "name");
        const cJSON *tps = cJSON_GetObjectItemCaseSensitive(js, "touchpoints");
        if (!cJSON_IsString(name)) {
            at(x, "$.journey_maps[%zu].stages[%zu].name", i, s);
            st = fail(x, TP_EVALIDATE, "expected a string");
            break;
        }
        if (tps && !cJSON_IsArray(tps)) {
            at(x, "$.journey_maps[%zu].stages[%zu].touchpoints", i, s);
            st = fail(x, TP_EVALIDATE, "expected an array of touchpoint ids");
            break;
        }
        size_t n = tps ? (size_t)cJSON_GetArraySize(tps) : 0, k = 0;
        const char **ids = tp__calloc(n + 1, sizeof *ids);
        if (!ids) {
            st = fail(x, TP_ENOMEM, "out of memory");
            break;
        }
        for (const cJSON *t = tps ? tps->child : NULL; t; t = t->next, k++) {
            at(x, "$.journey_maps[%zu].stages[%zu].touchpoints[%zu]", i, s, k);
            uint32_t idx;
            if (!cJSON_IsString(t)) {
                st = fail(x, TP_EVALIDATE, "expected a string");
                break;
            }
            if (!tp__intern_find(&c->ids, t->valuestring, strlen(t->valuestring), &idx)) {
                char ex[TP__EXCERPT_CAP];
                tp__excerpt(t->valuestring, strlen(t->valuestring), ex, sizeof ex);
                st = fail(x, TP_EVALIDATE, "unknown touchpoint \"%s\"", ex);
                break;
            }
            ids[k] = t->valuestring;
        }
        if (st == TP_OK) {
            at(x, "$.journey_maps[%zu].stages[%zu]", i, s);
            st = tp_journey_map_add_stage(m, name->valuestring, ids, n);
            if (st != TP_OK)
                st = fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
        }
        tp__free(ids);
    }
    if (st == TP_OK && allowed && !cJSON_IsArray(allowed)) {
        at(x, "$.journey_maps[%zu].allowed", i);
        st = fail(x, TP_EVALIDATE, "expected an array of [from, to] pairs");
    }
    size_t a = 0;
    for (const cJSON *p = allowed ? allowed->child : NULL; st == TP_OK && p; p = p->next, a++) {
        at(x, "$.journey_maps[%zu].allowed[%zu]", i, a);
        if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2 || !cJSON_IsString(p->child) ||
            !cJSON_IsString(p->child->next)) {
            st = fail(x, TP_EVALIDATE, "expected a [from, to] pair of strings");
            break;
        }
        const char *ends[2] = {p->child->valuestring, p->child->next->valuestring};
        for (int k = 0; k < 2 && st == TP_OK; k++) {
            uint32_t idx;
            const char *marker = k == 0 ? TP_START_MARKER : TP_END_MARKER;
            if (strcmp(ends[k], marker) != 0 &&
                !tp__intern_find(&c->ids, ends[k], strlen(ends[k]), &idx)) {
                char ex[TP__EXCERPT_CAP];
                tp__excerpt(ends[k], strlen(ends[k]), ex, sizeof ex);
                at(x, "$.journey_maps[%zu].allowed[%zu][%d]", i, a, k);
                st = fail(x, TP_EVALIDATE, "unknown touchpoint \"%s\"", ex);
            }
        }
        if (st == TP_OK && (st = tp_journey_map_allow(m, ends[0], ends[1])) != TP_OK)
            st = fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
    }
    if (st == TP_OK) {
        at(x, "$.journey_maps[%zu]", i);
        if ((st = tp_catalog_add_journey_map(c, m)) != TP_OK)
            st = fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
    }
    tp_journey_map_free(m);
    return st;
}

static const char *const funnel_keys[] = {"id", "steps", "window", "mode", "exclude"};

/* One funnel part from a JSON string, or from an array of strings joined by
 * commas (steps, exclude). */
static tp_status funnel_part(ctx *x, tp_funnel *f, const cJSON *j, const char *key, size_t i)
{
    at(x, "$.funnels[%zu].%s", i, key);
    if (!j)
        return TP_OK;
    tp_status st;
    if (cJSON_IsNumber(j) && !strcmp(key, "window")) {
        double v = j->valuedouble;
        if (!(v >= 0 && v <= 9.2e18) || v != floor(v))
            return fail(x, TP_EVALIDATE, "expected whole milliseconds >= 0 or a duration text");
        st = tp_funnel_set_window(f, (int64_t)v);
    } else if (cJSON_IsString(j)) {
        st = tp_funnel_set(f, key, j->valuestring);
    } else if (cJSON_IsArray(j) && (!strcmp(key, "steps") || !strcmp(key, "exclude"))) {
        st = TP_OK;
        size_t k = 0;
        for (const cJSON *e = j->child; e && st == TP_OK; e = e->next, k++) {
            at(x, "$.funnels[%zu].%s[%zu]", i, key, k);
            if (!cJSON_IsString(e))
                return fail(x, TP_EVALIDATE, "expected a string");
            if (strchr(e->valuestring, ','))
                return fail(x, TP_EVALIDATE, "one step per array element (no comma)");
            st = tp_funnel_set(f, key, e->valuestring);
        }
    } else {
        return fail(x, TP_EVALIDATE, "expected %s", !strcmp(key, "window") ? "a duration text or milliseconds" : !strcmp(key, "mode") ? "a string" : "an array of strings or one text");
    }
    return st == TP_OK ? TP_OK : fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
}

static tp_status read_funnel(ctx *x, tp_catalog *c, const cJSON *jf, size_t i)
{
    at(x, "$.funnels[%zu]", i);
    if (!cJSON_IsObject(jf))
        return fail(x, TP_EVALIDATE, "expected an object");
    tp_status st = check_keys(x, jf, funnel_keys, 5);
    if (st != TP_OK)
        return st;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(jf, "id");
    at(x, "$.funnels[%zu].id", i);
    if (!cJSON_IsString(id))
        return fail(x, TP_EVALIDATE, "expected a string id");
    at(x, "$.funnels[%zu].steps", i);
    if (!cJSON_GetObjectItemCaseSensitive(jf, "steps"))
        return fail(x, TP_EVALIDATE, "a funnel needs steps");
    tp_funnel *f;
    if ((st = tp_funnel_new(&f)) != TP_OK)
        return st;
    for (size_t k = 1; k < 5 && st == TP_OK; k++)
        st = funnel_part(x, f, cJSON_GetObjectItemCaseSensitive(jf, funnel_keys[k]), funnel_keys[k], i);
    if (st == TP_OK) {
        at(x, "$.funnels[%zu]", i);
        if ((st = tp_catalog_add_funnel(c, id->valuestring, f)) != TP_OK)
            st = fail(x, st == TP_EINVAL ? TP_EVALIDATE : st, "%s", tp__last_reason());
    }
    tp_funnel_free(f);
    return st;
}

static const char *const root_keys[] = {"stages", "touchpoints", "journey_maps", "funnels"};

static tp_status read_doc(ctx *x, tp_catalog *c, const cJSON *root)
{
    at(x, "$");
    if (!cJSON_IsObject(root))
        return fail(x, TP_EVALIDATE, "expected a JSON object");
    tp_status st = check_keys(x, root, root_keys, 4);
    if (st != TP_OK)
        return st;
    const cJSON *stages = cJSON_GetObjectItemCaseSensitive(root, "stages");
    if (stages && (st = read_stages(x, c, stages)) != TP_OK)
        return st;
    const cJSON *tps = cJSON_GetObjectItemCaseSensitive(root, "touchpoints");
    if (tps) {
        at(x, "$.touchpoints");
        if (!cJSON_IsArray(tps))
            return fail(x, TP_EVALIDATE, "expected an array");
        size_t i = 0;
        for (const cJSON *t = tps->child; t; t = t->next, i++)
            if ((st = read_touchpoint(x, c, t, i)) != TP_OK)
                return st;
        if ((st = link_parents(x, c, tps)) != TP_OK)
            return st;
    }
    const cJSON *maps = cJSON_GetObjectItemCaseSensitive(root, "journey_maps");
    if (maps) {
        at(x, "$.journey_maps");
        if (!cJSON_IsArray(maps))
            return fail(x, TP_EVALIDATE, "expected an array");
        size_t i = 0;
        for (const cJSON *m = maps->child; m; m = m->next, i++)
            if ((st = read_map(x, c, m, i)) != TP_OK)
                return st;
    }
    const cJSON *funnels = cJSON_GetObjectItemCaseSensitive(root, "funnels");
    if (funnels) {
        at(x, "$.funnels");
        if (!cJSON_IsArray(funnels))
            return fail(x, TP_EVALIDATE, "expected an array");
        size_t i = 0;
        for (const cJSON *f = funnels->child; f; f = f->next, i++)
            if ((st = read_funnel(x, c, f, i)) != TP_OK)
                return st;
    }
    return TP_OK;
}

tp_status tp_catalog_parse_json(tp_catalog **out, const char *data, size_t len, const char *name)
{
    if (!out || (!data && len))
        return tp__error(TP_EINVAL, "tp_catalog_parse_json: NULL argument");
    *out = NULL;
    ctx x = {name && *name ? name : "<buffer>", ""};
    tp__loc loc = {x.name, 0, 0, NULL};
    if (len > MAX_DOC)
        return tp__error_at(TP_ELIMIT, &loc, "catalog larger than the limit of 256 MiB (the catalog limit)");
    if (!data)
        data = "";
    size_t bad = tp__utf8_check(data, len);
    size_t nul = bad == (size_t)-1 ? tp__json_find_nul_escape(data, len) : (size_t)-1;
    if (bad == (size_t)-1 && nul == (size_t)-1) {
        const char *z = memchr(data, '\0', len);
        if (z)
            bad = (size_t)(z - data);
    }
    if (bad != (size_t)-1 || nul != (size_t)-1) {
        size_t off = bad != (size_t)-1 ? bad : nul;
        line_col(data, off, &loc.line, &loc.column);
        return tp__error_at(TP_EPARSE, &loc, "%s",
                            bad != (size_t)-1 ? "invalid UTF-8 or NUL byte"
                                              : "\\u0000 is not allowed in strings");
    }
    size_t err_at;
    cJSON *root = tp__json_parse(data, len, &err_at);
    if (!root && err_at == TP__JSON_OOM)
        return tp__error_at(TP_ENOMEM, &loc, "out of memory parsing JSON");
    if (!root) {
        line_col(data, err_at, &loc.line, &loc.column);
        return tp__error_at(TP_EPARSE, &loc, "%s",
                            len == 0 ? "empty input" : "invalid JSON (or nested deeper than 1000)");
    }
    tp_catalog *c;
    tp_status st = tp_catalog_new(&c);
    if (st == TP_OK)
        st = read_doc(&x, c, root);
    cJSON_Delete(root);
    if (st != TP_OK) {
        tp_catalog_free(c);
        return st;
    }
    *out = c;
    return TP_OK;
}

tp_status tp_catalog_load_json(tp_catalog **out, const char *path)
{
    if (!out || !path)
        return tp__error(TP_EINVAL, "tp_catalog_load_json: NULL argument");
    *out = NULL;
    tp__file f;
    tp_status st = tp__file_read(&f, path, MAX_DOC, "catalog", "the catalog limit");
    if (st != TP_OK)
        return st;
    st = tp_catalog_parse_json(out, f.data, f.len, path);
    tp__file_close(&f);
    return st;
}

static void member(tp__strbuf *b, const char *indent, const char *key, const char *value, int *first)
{
    if (!value)
        return;
    tp__sb_puts(b, *first ? "\n" : ",\n");
    *first = 0;
    tp__sb_puts(b, indent);
    tp__sb_json_string(b, key, strlen(key));
    tp__sb_puts(b, ": ");
    tp__sb_json_string(b, value, strlen(value));
}

/* "funnels": each step as the text tp_funnel_parse() reads back. */
static void write_funnels(tp__strbuf *b, const tp_catalog *c)
{
    char d[48];
    tp__sb_puts(b, ",\n  \"funnels\": [");
    for (size_t i = 0; i < tp_catalog_funnel_count(c); i++) {
        const char *id = tp_catalog_funnel_id(c, i);
        const tp_funnel *f = tp_catalog_funnel(c, i);
        tp__sb_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        tp__sb_json_text(b, id);
        tp__sb_puts(b, ", \"steps\": [");
        for (size_t k = 0; k < f->nsteps; k++) {
            tp__strbuf step = {0};
            tp__funnel_target_text(&step, f->steps[k].at.touchpoint, f->steps[k].at.type);
            if (f->steps[k].optional)
                tp__sb_putc(&step, '?');
            if (f->steps[k].window) {
                tp__format_duration(f->steps[k].window, d, sizeof d);
                tp__sb_printf(&step, "<%s", d);
            }
            tp__sb_puts(b, k ? ", " : "");
            if (step.failed)
                b->failed = 1;
            else
                tp__sb_json_string(b, step.data, step.len);
            tp__sb_free(&step);
        }
        tp__sb_puts(b, "]");
        if (f->window) {
            tp__format_duration(f->window, d, sizeof d);
            tp__sb_printf(b, ", \"window\": \"%s\"", d);
        }
        tp__sb_printf(b, ", \"mode\": \"%s\"", tp_funnel_mode_name(f->mode));
        if (f->exclusions.len) {
            tp__sb_puts(b, ", \"exclude\": [");
            for (size_t k = 0; k < f->exclusions.len; k++) {
                tp__strbuf text = {0};
                tp__funnel_target_text(&text, f->exclusions.data[k].touchpoint,
                                       f->exclusions.data[k].type);
                tp__sb_puts(b, k ? ", " : "");
                if (text.failed)
                    b->failed = 1;
                else
                    tp__sb_json_string(b, text.data, text.len);
                tp__sb_free(&text);
            }
            tp__sb_puts(b, "]");
        }
        tp__sb_puts(b, "}");
    }
    tp__sb_puts(b, "\n  ]");
}

tp_status tp_catalog_to_json(const tp_catalog *c, char **out, size_t *len)
{
    if (!c || !out)
        return tp__error(TP_EINVAL, "tp_catalog_to_json: NULL argument");
    *out = NULL;
    tp__strbuf b = {0};
    tp__sb_puts(&b, "{\n  \"stages\": [");
    for (size_t s = 0; s < tp_catalog_stage_count(c); s++) {
        const char *n = tp_catalog_stage_name(c, s);
        tp__sb_puts(&b, s ? ", " : "");
        tp__sb_json_string(&b, n, strlen(n));
    }
    tp__sb_puts(&b, "],\n  \"touchpoints\": [");
    for (size_t i = 0; i < tp_catalog_touchpoint_count(c); i++) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        tp_catalog_get_touchpoint(c, i, &d);
        int first = 1;
        tp__sb_puts(&b, i ? ",\n    {" : "\n    {");
        member(&b, "      ", "id", d.id, &first);
        member(&b, "      ", "name", d.name, &first);
        member(&b, "      ", "stage", d.stage, &first);
        member(&b, "      ", "channel", d.channel, &first);
        member(&b, "      ", "kind", tp_kind_name(d.kind), &first);
        member(&b, "      ", "owner", d.owner, &first);
        member(&b, "      ", "expectation", d.expectation, &first);
        tp__sb_puts(&b, ",\n      \"weight\": ");
        tp__sb_json_double(&b, d.weight);
        member(&b, "      ", "parent", d.parent, &first);
        int targets = 0;
        for (int k = 0; k < TP_TARGET_COUNT; k++) {
            double v = tp_catalog_target(c, i, (tp_target)k);
            if (isnan(v))
                continue;
            tp__sb_printf(&b, targets++ ? ", \"%s\": " : ",\n      \"targets\": {\"%s\": ",
                          tp__target_words[k]);
            tp__sb_json_double(&b, v);
        }
        if (targets)
            tp__sb_puts(&b, "}");
        tp__sb_puts(&b, "\n    }");
    }
    tp__sb_puts(&b, tp_catalog_touchpoint_count(c) ? "\n  ],\n  \"journey_maps\": [" : "],\n  \"journey_maps\": [");
    for (size_t i = 0; i < tp_catalog_journey_map_count(c); i++) {
        const tp_journey_map *m = tp_catalog_journey_map(c, i);
        tp__sb_puts(&b, i ? ",\n    {\n      \"id\": " : "\n    {\n      \"id\": ");
        tp__sb_json_string(&b, m->id, strlen(m->id));
        tp__sb_puts(&b, ",\n      \"stages\": [");
        for (size_t s = 0; s < tp_journey_map_stage_count(m); s++) {
            const char *n = tp_journey_map_stage_name(m, s);
            tp__sb_puts(&b, s ? ",\n        {\"name\": " : "\n        {\"name\": ");
            tp__sb_json_string(&b, n, strlen(n));
            tp__sb_puts(&b, ", \"touchpoints\": [");
            for (size_t k = 0; k < tp_journey_map_stage_size(m, s); k++) {
                const char *t = tp_journey_map_stage_touchpoint(m, s, k);
                tp__sb_puts(&b, k ? ", " : "");
                tp__sb_json_string(&b, t, strlen(t));
            }
            tp__sb_puts(&b, "]}");
        }
        tp__sb_puts(&b, tp_journey_map_stage_count(m) ? "\n      ],\n      \"allowed\": [" : "],\n      \"allowed\": [");
        for (size_t k = 0; k < tp_journey_map_transition_count(m); k++) {
            const char *from, *to;
            tp_journey_map_transition(m, k, &from, &to);
            tp__sb_puts(&b, k ? ",\n        [" : "\n        [");
            tp__sb_json_string(&b, from, strlen(from));
            tp__sb_puts(&b, ", ");
            tp__sb_json_string(&b, to, strlen(to));
            tp__sb_puts(&b, "]");
        }
        tp__sb_puts(&b, tp_journey_map_transition_count(m) ? "\n      ]\n    }" : "]\n    }");
    }
    tp__sb_puts(&b, tp_catalog_journey_map_count(c) ? "\n  ]" : "]");
    if (tp_catalog_funnel_count(c))
        write_funnels(&b, c);
    tp__sb_puts(&b, "\n}\n");
    return tp__sb_finish(&b, out, len);
}

tp_status tp_catalog_save_json(const tp_catalog *c, const char *path)
{
    if (!path)
        return tp__error(TP_EINVAL, "tp_catalog_save_json: path is NULL");
    char *text = NULL;
    size_t len = 0;
    tp_status st = tp_catalog_to_json(c, &text, &len);
    return tp__file_write_made(path, st, text, len);
}
