/* Funnel definitions: steps with their windows, exclusions, the conversion
 * window and the mode. Data only; analysis/funnel.c runs them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
        tp__free(f->steps[i].at.touchpoint);
    for (size_t i = 0; i < f->exclusions.len; i++)
        tp__free(f->exclusions.data[i].touchpoint);
    tp__vec_target_free(&f->exclusions);
    tp__free(f);
}

void tp__funnel_target_text(tp__strbuf *b, const char *touchpoint, int type)
{
    if (touchpoint)
        tp__sb_puts(b, touchpoint);
    if (type != TP__ANY_TYPE)
        tp__sb_printf(b, touchpoint ? " (%s)" : "(%s)", tp_event_type_name((tp_event_type)type));
}

/* Split a target's text into its touchpoint (s, *idlen; 0: any) and its event
 * type: a last word in parentheses that names a type ("(conversion)"). Any
 * other text in parentheses belongs to the id. */
static int split_target(const char *s, size_t len, size_t *idlen)
{
    *idlen = len;
    if (len < 3 || s[len - 1] != ')')
        return TP__ANY_TYPE;
    size_t open = len - 1;
    while (open > 0 && s[open] != '(')
        open--;
    if (s[open] != '(')
        return TP__ANY_TYPE;
    const char *w = s + open + 1;
    size_t wlen = len - 2 - open;
    tp__trimmed(&w, &wlen);
    for (int t = TP_EVENT_INTERACTION; t <= TP_EVENT_EXIT; t++) {
        const char *name = tp_event_type_name((tp_event_type)t);
        if (wlen == strlen(name) && !strncasecmp(w, name, wlen)) {
            while (open && (s[open - 1] == ' ' || s[open - 1] == '\t'))
                open--;
            *idlen = open;
            return t;
        }
    }
    return TP__ANY_TYPE;
}

static int known_type(int type)
{
    return type == TP__ANY_TYPE || (type >= TP_EVENT_INTERACTION && type <= TP_EVENT_EXIT);
}

/* A copy of a target; the id is checked. @p what names it in messages. */
static tp_status make_target(const char *id, size_t len, int type, const char *what,
                             tp__funnel_target *out)
{
    out->touchpoint = NULL;
    out->type = type;
    if (!known_type(type))
        return tp__error(TP_EINVAL, "%s: unknown event type %d (interaction, conversion, exit)",
                         what, type);
    if (!id && type == TP__ANY_TYPE)
        return tp__error(TP_EINVAL, "%s: give a touchpoint, an event type or both", what);
    if (!id)
        return TP_OK;
    const char *why = tp__ident_problem(id, len);
    if (why)
        return tp__error(TP_EINVAL, "%s: touchpoint id %s", what, why);
    if (!(out->touchpoint = tp__strndup(id, len)))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

static tp_status add_step(tp_funnel *f, const char *id, size_t len, int type, int optional,
                          int64_t window)
{
    char what[48];
    snprintf(what, sizeof what, "funnel step %zu", f->nsteps + 1);
    if (window < 0)
        return tp__error(TP_EINVAL, "%s: negative window", what);
    if (optional && f->nsteps == 0)
        return tp__error(TP_EINVAL, "funnel: the first step cannot be optional");
    if (f->nsteps == TP__FUNNEL_MAX_STEPS)
        return tp__error(TP_EINVAL, "funnel: at most %d steps", TP__FUNNEL_MAX_STEPS);
    tp__funnel_target at;
    tp_status st = make_target(id, len, type, what, &at);
    if (st != TP_OK)
        return st;
    f->steps[f->nsteps++] = (tp__funnel_step){at, optional != 0, window};
    return TP_OK;
}

TP_API tp_status tp_funnel_add_step(tp_funnel *f, const char *touchpoint, int optional,
                                    int64_t window_ms)
{
    if (!f || !touchpoint)
        return tp__error(TP_EINVAL, "tp_funnel_add_step: NULL argument");
    return add_step(f, touchpoint, strlen(touchpoint), TP__ANY_TYPE, optional, window_ms);
}

TP_API tp_status tp_funnel_add_typed_step(tp_funnel *f, const char *touchpoint,
                                          tp_event_type type, int optional, int64_t window_ms)
{
    if (!f)
        return tp__error(TP_EINVAL, "tp_funnel_add_typed_step: funnel is NULL");
    if (!known_type((int)type) || (int)type == TP__ANY_TYPE)
        return tp__error(TP_EINVAL,
                         "funnel step %zu: unknown event type %d (interaction, conversion, exit)",
                         f->nsteps + 1, (int)type);
    return add_step(f, touchpoint, touchpoint ? strlen(touchpoint) : 0, (int)type, optional,
                    window_ms);
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
        int type = split_target(s, idlen, &idlen);
        while (idlen && (s[idlen - 1] == ' ' || s[idlen - 1] == '\t'))
            idlen--;
        if (idlen && s[idlen - 1] == '?') { /* "cart? (conversion)" */
            optional = 1;
            idlen--;
        }
        st = add_step(f, idlen ? s : NULL, idlen, type, optional, window);
        if (!end)
            break;
        p = end + 1;
    }
    if (st != TP_OK) {
        while (f->nsteps > before)
            tp__free(f->steps[--f->nsteps].at.touchpoint);
    }
    return st;
}

static tp_status add_exclusion(tp_funnel *f, const char *id, size_t len, int type)
{
    tp__funnel_target at;
    tp_status st = make_target(id, len, type, "funnel exclusion", &at);
    if (st != TP_OK)
        return st;
    if (tp__vec_target_push(&f->exclusions, at)) {
        tp__free(at.touchpoint);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    return TP_OK;
}

TP_API tp_status tp_funnel_add_exclusion(tp_funnel *f, const char *touchpoint)
{
    if (!f || !touchpoint)
        return tp__error(TP_EINVAL, "tp_funnel_add_exclusion: NULL argument");
    return add_exclusion(f, touchpoint, strlen(touchpoint), TP__ANY_TYPE);
}

TP_API tp_status tp_funnel_add_typed_exclusion(tp_funnel *f, const char *touchpoint,
                                               tp_event_type type)
{
    if (!f)
        return tp__error(TP_EINVAL, "tp_funnel_add_typed_exclusion: funnel is NULL");
    if (!known_type((int)type) || (int)type == TP__ANY_TYPE)
        return tp__error(TP_EINVAL,
                         "funnel exclusion: unknown event type %d (interaction, conversion, exit)",
                         (int)type);
    return add_exclusion(f, touchpoint, touchpoint ? strlen(touchpoint) : 0, (int)type);
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
    if (!f || (mode != TP_FUNNEL_LOOSE && mode != TP_FUNNEL_STRICT && mode != TP_FUNNEL_ANY_ORDER))
        return tp__error(TP_EINVAL, "tp_funnel_set_mode: %s",
                         f ? "unknown mode" : "funnel is NULL");
    f->mode = mode;
    return TP_OK;
}

const char *const tp__funnel_mode_words[] = {"loose", "strict", "any", NULL};

TP__WORD_FUNCTIONS(tp_funnel_mode, tp_funnel_mode, tp__funnel_mode_words, "funnel mode", 0)

/* Comma-separated targets ("support", "(conversion)"), each an exclusion; all
 * or nothing. */
static tp_status add_exclusions(tp_funnel *f, const char *list)
{
    size_t before = f->exclusions.len;
    tp_status st = TP_OK;
    for (const char *p = list; *p && st == TP_OK;) {
        const char *end = strchr(p, ',');
        const char *s = p;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        tp__trimmed(&s, &len);
        if (len) {
            size_t idlen;
            int type = split_target(s, len, &idlen);
            while (idlen && (s[idlen - 1] == ' ' || s[idlen - 1] == '\t'))
                idlen--;
            st = add_exclusion(f, idlen ? s : NULL, idlen, type);
        }
        if (!end)
            break;
        p = end + 1;
    }
    if (st != TP_OK)
        while (f->exclusions.len > before)
            tp__free(f->exclusions.data[--f->exclusions.len].touchpoint);
    return st;
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
    for (size_t i = 0; i < f->nsteps && st == TP_OK; i++) {
        const tp__funnel_step *s = &f->steps[i];
        const char *id = s->at.touchpoint;
        st = add_step(c, id, id ? strlen(id) : 0, s->at.type, s->optional, s->window);
    }
    for (size_t i = 0; i < f->exclusions.len && st == TP_OK; i++) {
        const char *id = f->exclusions.data[i].touchpoint;
        st = add_exclusion(c, id, id ? strlen(id) : 0, f->exclusions.data[i].type);
    }
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
    if (!t || tp__intern_find(&c->ids, t, strlen(t), &id))
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
        st = known(c, id, "step", f->steps[i].at.touchpoint);
    for (size_t i = 0; i < f->exclusions.len && st == TP_OK; i++)
        st = known(c, id, "exclusion", f->exclusions.data[i].touchpoint);
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
