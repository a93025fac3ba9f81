/* Funnel definitions: steps with their windows, exclusions, the conversion
 * window and the mode. Data only; analysis/funnel.c runs them. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "model/catalog_internal.h"
#include "model/funnel_internal.h"

TP_API tp_status tp_funnel_new(tp_funnel **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_funnel_new: out is NULL");
    if (!(*out = tp__calloc(1, sizeof **out)))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

TP_API void tp_funnel_free(tp_funnel *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nsteps; i++)
        tp__free(f->steps[i].touchpoint);
    for (size_t i = 0; i < f->exclusions.len; i++)
        tp__free(f->exclusions.data[i]);
    tp__vec_ptr_free(&f->exclusions);
    tp__free(f);
}

static tp_status add_step(tp_funnel *f, const char *id, size_t len, int optional, int64_t window)
{
    const char *why = tp__ident_problem(id, len);
    if (why)
        return tp__error(TP_EINVAL, "funnel step %zu: touchpoint id %s", f->nsteps + 1, why);
    if (window < 0)
        return tp__error(TP_EINVAL, "funnel step %zu: negative window", f->nsteps + 1);
    if (optional && f->nsteps == 0)
        return tp__error(TP_EINVAL, "funnel: the first step cannot be optional");
    if (f->nsteps == TP__FUNNEL_MAX_STEPS)
        return tp__error(TP_EINVAL, "funnel: at most %d steps", TP__FUNNEL_MAX_STEPS);
    char *copy = tp__strndup(id, len);
    if (!copy)
        return tp__error(TP_ENOMEM, "out of memory");
    f->steps[f->nsteps++] = (tp__funnel_step){copy, optional != 0, window};
    return TP_OK;
}

TP_API tp_status tp_funnel_add_step(tp_funnel *f, const char *touchpoint, int optional,
                                    int64_t window_ms)
{
    if (!f || !touchpoint)
        return tp__error(TP_EINVAL, "tp_funnel_add_step: NULL argument");
    return add_step(f, touchpoint, strlen(touchpoint), optional, window_ms);
}

TP_API tp_status tp_funnel_parse(tp_funnel *f, const char *text)
{
    if (!f || !text)
        return tp__error(TP_EINVAL, "tp_funnel_parse: NULL argument");
    size_t before = f->nsteps;
    tp_status st = TP_OK;
    const char *p = text;
    for (size_t k = 1; st == TP_OK; k++) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *s = p;
        size_t len = n;
        tp__trimmed(&s, &len);
        int64_t window = 0;
        const char *lt = memchr(s, '<', len);
        if (lt) {
            const char *d = lt + 1;
            size_t dlen = len - (size_t)(d - s);
            tp__trimmed(&d, &dlen);
            if (dlen && d[dlen - 1] == '?')
                dlen--; /* "step<2d?" */
            if (tp__parse_duration(d, dlen, &window) != TP_OK) {
                st = tp__error(TP_EINVAL,
                               "funnel step %zu: '%.*s' is not a duration such as 2d, 12h, 90m "
                               "or 45s",
                               k, (int)(dlen < 40 ? dlen : 40), d);
                break;
            }
        }
        int optional = lt && s[len - 1] == '?'; /* "step<2d?" */
        size_t idlen = lt ? (size_t)(lt - s) : len;
        while (idlen && (s[idlen - 1] == ' ' || s[idlen - 1] == '\t'))
            idlen--;
        if (idlen && s[idlen - 1] == '?') {
            optional = 1;
            idlen--;
        }
        if (idlen == 0) {
            st = tp__error(TP_EINVAL, "funnel step %zu is empty (steps: a,b?,c<2d)", k);
            break;
        }
        st = add_step(f, s, idlen, optional, window);
        if (!end)
            break;
        p = end + 1;
    }
    if (st != TP_OK) {
        while (f->nsteps > before)
            tp__free(f->steps[--f->nsteps].touchpoint);
    }
    return st;
}

TP_API tp_status tp_funnel_add_exclusion(tp_funnel *f, const char *touchpoint)
{
    if (!f || !touchpoint)
        return tp__error(TP_EINVAL, "tp_funnel_add_exclusion: NULL argument");
    const char *why = tp__ident_problem(touchpoint, strlen(touchpoint));
    if (why)
        return tp__error(TP_EINVAL, "funnel exclusion: touchpoint id %s", why);
    char *copy = tp__strndup(touchpoint, strlen(touchpoint));
    if (!copy || tp__vec_ptr_push(&f->exclusions, copy)) {
        tp__free(copy);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    return TP_OK;
}

TP_API tp_status tp_funnel_set_window(tp_funnel *f, int64_t window_ms)
{
    if (!f || window_ms < 0)
        return tp__error(TP_EINVAL, "tp_funnel_set_window: %s",
                         f ? "negative window" : "funnel is NULL");
    f->window = window_ms;
    return TP_OK;
}

TP_API tp_status tp_funnel_set_mode(tp_funnel *f, tp_funnel_mode mode)
{
    if (!f || (mode != TP_FUNNEL_LOOSE && mode != TP_FUNNEL_STRICT))
        return tp__error(TP_EINVAL, "tp_funnel_set_mode: %s",
                         f ? "unknown mode" : "funnel is NULL");
    f->mode = mode;
    return TP_OK;
}

const char *const tp__funnel_mode_words[] = {"loose", "strict", NULL};

TP__WORD_FUNCTIONS(tp_funnel_mode, tp_funnel_mode, tp__funnel_mode_words, "funnel mode", 0)

/* Comma-separated touchpoints, each an exclusion. */
static tp_status add_exclusions(tp_funnel *f, const char *list)
{
    char item[256];
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len >= sizeof item)
            return tp__error(TP_EINVAL, "exclude: '%.40s...' is too long for a touchpoint id", p);
        if (len) {
            memcpy(item, p, len);
            item[len] = '\0';
            tp_status st = tp_funnel_add_exclusion(f, item);
            if (st != TP_OK)
                return st;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return TP_OK;
}

TP_API tp_status tp_funnel_set(tp_funnel *f, const char *key, const char *value)
{
    if (!f || !key || !value)
        return tp__error(TP_EINVAL, "tp_funnel_set: NULL argument");
    if (!strcmp(key, "steps"))
        return tp_funnel_parse(f, value);
    if (!strcmp(key, "exclude"))
        return add_exclusions(f, value);
    if (!strcmp(key, "window")) {
        int64_t ms = 0;
        if (tp__parse_duration_or_ms(value, &ms) != TP_OK)
            return tp__error(TP_EINVAL,
                             "funnel window '%.40s' is not a duration such as 7d, "
                             "12h, 90m or 45s (or milliseconds)",
                             value);
        return tp_funnel_set_window(f, ms);
    }
    if (!strcmp(key, "mode")) {
        tp_funnel_mode m;
        tp_status st = tp_funnel_mode_parse(value, &m);
        return st ? st : tp_funnel_set_mode(f, m);
    }
    return tp__error(TP_EINVAL, "unknown funnel part '%.40s' (steps, window, mode, exclude)", key);
}

TP_API size_t tp_funnel_step_count(const tp_funnel *f)
{
    return f ? f->nsteps : 0;
}

TP_API tp_status tp_funnel_copy(const tp_funnel *f, tp_funnel **out)
{
    if (!f || !out)
        return tp__error(TP_EINVAL, "tp_funnel_copy: NULL argument");
    *out = NULL;
    tp_funnel *c;
    tp_status st = tp_funnel_new(&c);
    for (size_t i = 0; i < f->nsteps && st == TP_OK; i++)
        st =
            tp_funnel_add_step(c, f->steps[i].touchpoint, f->steps[i].optional, f->steps[i].window);
    for (size_t i = 0; i < f->exclusions.len && st == TP_OK; i++)
        st = tp_funnel_add_exclusion(c, f->exclusions.data[i]);
    if (st == TP_OK) {
        c->window = f->window;
        c->mode = f->mode;
        *out = c;
    } else if (c) {
        tp_funnel_free(c);
    }
    return st;
}

/* ---- named funnels of a catalog ---- */

void tp__catalog_free_funnels(tp_catalog *c)
{
    for (size_t i = 0; i < c->funnels.len; i++) {
        tp_funnel_free(c->funnels.data[i]);
        tp__free(c->funnel_ids.data[i]);
    }
    tp__vec_ptr_free(&c->funnels);
    tp__vec_ptr_free(&c->funnel_ids);
}

/* TP_OK when @p t is a touchpoint of @p c, else TP_ENOTFOUND naming the nearest id. */
static tp_status known(const tp_catalog *c, const char *funnel, const char *what, const char *t)
{
    uint32_t id;
    if (tp__intern_find(&c->ids, t, strlen(t), &id))
        return TP_OK;
    char hint[512];
    tp__catalog_suggest_touchpoint(c, t, hint, sizeof hint);
    return tp__error(TP_ENOTFOUND, "funnel '%s': %s '%.60s' is not a touchpoint of the catalog (%s)",
                     funnel, what, t, hint);
}

TP_API tp_status tp_catalog_add_funnel(tp_catalog *c, const char *id, const tp_funnel *f)
{
    if (!c || !id || !f)
        return tp__error(TP_EINVAL, "tp_catalog_add_funnel: NULL argument");
    const char *why = tp__ident_problem(id, strlen(id));
    if (why)
        return tp__error(TP_EINVAL, "funnel id %s", why);
    if (f->nsteps == 0)
        return tp__error(TP_EINVAL, "funnel '%s' has no steps", id);
    for (size_t i = 0; i < c->funnel_ids.len; i++)
        if (!strcmp(c->funnel_ids.data[i], id))
            return tp__error(TP_ECONFLICT, "funnel '%.60s' already exists", id);
    tp_status st = TP_OK;
    for (size_t i = 0; i < f->nsteps && st == TP_OK; i++)
        st = known(c, id, "step", f->steps[i].touchpoint);
    for (size_t i = 0; i < f->exclusions.len && st == TP_OK; i++)
        st = known(c, id, "exclusion", f->exclusions.data[i]);
    if (st != TP_OK)
        return st;
    tp_funnel *copy = NULL;
    char *name = tp__strdup(id);
    if (!name || tp_funnel_copy(f, &copy) != TP_OK || tp__vec_ptr_reserve(&c->funnels, 1) ||
        tp__vec_ptr_reserve(&c->funnel_ids, 1)) {
        tp__free(name);
        tp_funnel_free(copy);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    c->funnels.data[c->funnels.len++] = copy;
    c->funnel_ids.data[c->funnel_ids.len++] = name;
    return TP_OK;
}

TP_API size_t tp_catalog_funnel_count(const tp_catalog *c)
{
    return c ? c->funnels.len : 0;
}

TP_API const char *tp_catalog_funnel_id(const tp_catalog *c, size_t index)
{
    return c && index < c->funnel_ids.len ? c->funnel_ids.data[index] : NULL;
}

TP_API const tp_funnel *tp_catalog_funnel(const tp_catalog *c, size_t index)
{
    return c && index < c->funnels.len ? c->funnels.data[index] : NULL;
}

static const char *funnel_id_at(const void *ctx, size_t i)
{
    return ((const tp_catalog *)ctx)->funnel_ids.data[i];
}

TP_API tp_status tp_catalog_find_funnel(const tp_catalog *c, const char *id, const tp_funnel **out)
{
    if (!c || !id || !out)
        return tp__error(TP_EINVAL, "tp_catalog_find_funnel: NULL argument");
    *out = NULL;
    for (size_t i = 0; i < c->funnel_ids.len; i++)
        if (!strcmp(c->funnel_ids.data[i], id)) {
            *out = c->funnels.data[i];
            return TP_OK;
        }
    const char *near = tp__nearest(id, c->funnel_ids.len, funnel_id_at, c);
    if (near)
        return tp__error(TP_ENOTFOUND, "no funnel '%.60s' in the catalog (did you mean '%s'?)", id,
                         near);
    return tp__error(TP_ENOTFOUND, "no funnel '%.60s' in the catalog (it has %zu)", id,
                     c->funnel_ids.len);
}
