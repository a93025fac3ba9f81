/* Views: filter compilation, response building, reach and accumulation. */
#include "analysis/view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sentiment_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/nearest.h"

/* One attribute's conditions, as value ids in the events' and the feedback's
 * attribute pools (TP__NONE: the value does not occur there). */
struct tp__segment {
    uint32_t attr;              /* attribute name, id in the filter's text */
    size_t ev_col, fb_col;      /* attribute column, or SIZE_MAX */
    tp__vec_u32 ev_pos, fb_pos; /* values of the `=` conditions */
    tp__vec_u32 ev_neg, fb_neg; /* values of the `!=` conditions */
    size_t npos;                /* number of `=` conditions */
    uint32_t *cust;             /* events customer -> last non-empty value id */
};

static int has(const tp__vec_u32 *v, uint32_t id)
{
    for (size_t i = 0; i < v->len; i++)
        if (v->data[i] == id)
            return 1;
    return 0;
}

/* Does a value (id in one pool; 0 = missing) satisfy the attribute's
 * conditions? An empty value stands for missing: `tier=` keeps the customers
 * without a tier, `tier!=` those with one. */
static int seg_pass(const tp__segment *s, uint32_t id, const tp__vec_u32 *pos,
                    const tp__vec_u32 *neg)
{
    if (has(neg, id))
        return 0;
    return s->npos == 0 || has(pos, id);
}

static int segments_pass_event(const tp__view *v, size_t row)
{
    const tp_events *e = v->ev;
    for (size_t g = 0; g < v->nseg; g++) {
        const tp__segment *s = &v->seg[g];
        uint32_t id = 0;
        if (s->ev_col != SIZE_MAX)
            id = ((const tp__vec_u32 *)e->attrs.cols.data[s->ev_col])->data[row];
        if (id == 0 && s->cust)
            id = s->cust[e->customer.data[row]];
        if (!seg_pass(s, id, &s->ev_pos, &s->ev_neg))
            return 0;
    }
    return 1;
}

static int segments_pass_feedback(const tp__view *v, size_t row)
{
    const tp_feedback *f = v->fb;
    for (size_t g = 0; g < v->nseg; g++) {
        const tp__segment *s = &v->seg[g];
        uint32_t id = 0;
        if (s->fb_col != SIZE_MAX)
            id = ((const tp__vec_u32 *)f->attrs.cols.data[s->fb_col])->data[row];
        if (id) {
            if (!seg_pass(s, id, &s->fb_pos, &s->fb_neg))
                return 0;
            continue;
        }
        uint32_t c = v->fb_to_ev ? v->fb_to_ev[f->customer.data[row]] : TP__NONE;
        if (c != TP__NONE && s->cust)
            id = s->cust[c];
        if (!seg_pass(s, id, &s->ev_pos, &s->ev_neg))
            return 0;
    }
    return 1;
}

int tp__view_event_scope(const tp__view *v, size_t row)
{
    int64_t t = v->ev->time.data[row];
    if (v->filter && (t < v->filter->from || t >= v->filter->to))
        return 0;
    if (v->cust_ev && !v->cust_ev[v->ev->customer.data[row]])
        return 0;
    return v->nseg == 0 || segments_pass_event(v, row);
}

int tp__view_event(const tp__view *v, size_t row)
{
    const tp_events *e = v->ev;
    int64_t t = e->time.data[row];
    if (v->filter && (t < v->filter->from || t >= v->filter->to))
        return 0;
    if (!v->tp_ok[e->touchpoint.data[row]])
        return 0;
    if (v->cust_ev && !v->cust_ev[e->customer.data[row]])
        return 0;
    return v->nseg == 0 || segments_pass_event(v, row);
}

/* Feedback row passes time and segments (touchpoint parts are checked apart,
 * because audit knock-outs look at the whole visit). */
static int feedback_row(const tp__view *v, size_t row)
{
    int64_t t = v->fb->time.data[row];
    if (v->filter && (t < v->filter->from || t >= v->filter->to))
        return 0;
    if (v->cust_fb && !v->cust_fb[v->fb->customer.data[row]])
        return 0;
    return v->nseg == 0 || segments_pass_feedback(v, row);
}

int tp__view_feedback(const tp__view *v, size_t row)
{
    return v->tp_ok[v->fb->touchpoint.data[row]] && feedback_row(v, row);
}

const tp_lexicon *tp__view_lexicon(const tp__view *v)
{
    return v->opt->lexicon ? v->opt->lexicon : v->lexicon;
}

static int in_names(const tp_filter *f, const tp__vec_u32 *list, const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < list->len; i++)
        if (!strcmp(tp__intern_str(&f->text, list->data[i]), s))
            return 1;
    return 0;
}

static const char *stage_at(const void *ctx, size_t i)
{
    const tp_catalog *c = ctx;
    return tp__intern_str(&c->text, c->stages.data[i]);
}

static const char *id_at(const void *ctx, size_t i) { return tp__catalog_id(ctx, (uint32_t)i); }

/* Touchpoint i's channel when no earlier touchpoint has it: each channel once. */
static const char *channel_at(const void *ctx, size_t i)
{
    const tp_catalog *c = ctx;
    uint32_t ch = c->tps.data[i].channel;
    for (size_t j = 0; ch != TP__NONE && j < i; j++)
        if (c->tps.data[j].channel == ch)
            return NULL;
    return ch == TP__NONE ? NULL : tp__intern_str(&c->text, ch);
}

/* Touchpoint i's owner when no earlier touchpoint has it: each owner once. */
static const char *owner_at(const void *ctx, size_t i)
{
    const tp_catalog *c = ctx;
    uint32_t o = c->tps.data[i].owner;
    for (size_t j = 0; o != TP__NONE && j < i; j++)
        if (c->tps.data[j].owner == o)
            return NULL;
    return o == TP__NONE ? NULL : tp__intern_str(&c->text, o);
}

/* TP_OK when every name of list is one of the catalog's names of that kind
 * (count of them, name_of(c, i)), else TP_ENOTFOUND naming the first that is
 * not and what it may have meant. */
static tp_status known_names(const tp__view *v, const tp__vec_u32 *list, const char *what,
                             const char *plural, size_t count,
                             const char *(*name_of)(const void *ctx, size_t i))
{
    for (size_t k = 0; k < list->len; k++) {
        const char *name = tp__intern_str(&v->filter->text, list->data[k]);
        int found = 0;
        for (size_t i = 0; i < count && !found; i++) {
            const char *known = name_of(v->cat, i);
            found = known && !strcmp(known, name);
        }
        if (!found) {
            char hint[512];
            tp__suggest(hint, sizeof hint, name, count, name_of, v->cat, plural);
            return tp__error(TP_ENOTFOUND, "filter: no %s '%.60s' in the catalog (%s)", what,
                             name, hint);
        }
    }
    return TP_OK;
}

static tp_status compile_touchpoints(tp__view *v)
{
    const tp_catalog *c = v->cat;
    const tp_filter *f = v->filter;
    tp_status st = TP_OK;
    if (f) {
        st = known_names(v, &f->stages, "stage", "stages", c->stages.len, stage_at);
        if (st == TP_OK)
            st = known_names(v, &f->channels, "channel", "channels", c->tps.len, channel_at);
        if (st == TP_OK)
            st = known_names(v, &f->touchpoints, "touchpoint", "touchpoints", c->tps.len, id_at);
        if (st == TP_OK)
            st = known_names(v, &f->owners, "owner", "owners", c->tps.len, owner_at);
        if (st != TP_OK)
            return st;
    }
    v->ntp = c->tps.len;
    v->tp_ok = tp__malloc(v->ntp ? v->ntp : 1);
    if (!v->tp_ok)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->ntp; i++) {
        const tp__touchpoint *t = &c->tps.data[i];
        int ok = 1;
        if (f && f->stages.len)
            ok = t->stage != TP__NONE &&
                 in_names(f, &f->stages, tp__intern_str(&c->text, c->stages.data[t->stage]));
        if (ok && f && f->channels.len)
            ok = t->channel != TP__NONE &&
                 in_names(f, &f->channels, tp__intern_str(&c->text, t->channel));
        if (ok && f && f->touchpoints.len)
            ok = in_names(f, &f->touchpoints, tp__catalog_id(c, (uint32_t)i));
        if (ok && f && f->owners.len)
            ok = t->owner != TP__NONE &&
                 in_names(f, &f->owners, tp__intern_str(&c->text, t->owner));
        v->tp_ok[i] = (uint8_t)ok;
    }
    return TP_OK;
}

static size_t attr_col(const tp__attrs *a, const char *name)
{
    return tp__attrs_find(a, name, strlen(name));
}

static uint32_t value_id(const tp__attrs *a, const char *s)
{
    uint32_t id;
    return tp__intern_find(&a->values, s, strlen(s), &id) ? id : TP__NONE;
}

/* The attribute names of the events then the feedback, each once. */
typedef struct attr_names {
    const tp__attrs *ev, *fb; /* either may be NULL */
} attr_names;

static const char *attr_name_at(const void *ctx, size_t i)
{
    const attr_names *a = ctx;
    size_t nev = a->ev ? tp__attrs_count(a->ev) : 0;
    if (i < nev)
        return tp__attrs_name(a->ev, i);
    const char *name = tp__attrs_name(a->fb, i - nev);
    return a->ev && attr_col(a->ev, name) != SIZE_MAX ? NULL : name;
}

/* Whether column col of a holds value id somewhere. */
static int column_has(const tp__attrs *a, size_t col, uint32_t id)
{
    if (col == SIZE_MAX || id == TP__NONE)
        return 0;
    const tp__vec_u32 *c = a->cols.data[col];
    for (size_t r = 0; r < c->len; r++)
        if (c->data[r] == id)
            return 1;
    return 0;
}

/* The distinct non-empty values of a column (of the events or the feedback),
 * appended to *names (a tp__malloc'd array of n, grown here), stopping once
 * there are more than `limit` (the check of each against the others is
 * linear). Returns 0 or -1. */
static int column_values(const tp__attrs *a, size_t col, const char ***names, size_t *n,
                         size_t limit)
{
    if (col == SIZE_MAX)
        return 0;
    size_t nv = tp__intern_count(&a->values);
    uint8_t *seen = tp__calloc(nv ? nv : 1, 1);
    if (!seen)
        return -1;
    const tp__vec_u32 *c = a->cols.data[col];
    int rc = 0;
    for (size_t r = 0; r < c->len && rc == 0 && *n <= limit; r++) {
        uint32_t id = c->data[r];
        if (id == 0 || seen[id])
            continue;
        seen[id] = 1;
        const char *text = tp__intern_str(&a->values, id);
        int dup = 0;
        for (size_t k = 0; k < *n && !dup; k++)
            dup = !strcmp((*names)[k], text);
        if (dup)
            continue;
        const char **grown = tp__realloc(*names, (*n + 2) * sizeof **names);
        if (!grown) {
            rc = -1;
            break;
        }
        *names = grown;
        (*names)[(*n)++] = text;
    }
    tp__free(seen);
    return rc;
}

static const char *text_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

/* TP_ENOTFOUND for a segment value no customer of the data has. */
static tp_status unknown_value(const tp__view *v, const tp__segment *s, const char *attr,
                               const char *val, int negate)
{
    const char **names = NULL;
    size_t n = 0;
    if (column_values(v->ev ? &v->ev->attrs : NULL, s->ev_col, &names, &n, 10000) ||
        column_values(v->fb ? &v->fb->attrs : NULL, s->fb_col, &names, &n, 10000)) {
        tp__free(names);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    char hint[512];
    tp__suggest(hint, sizeof hint, val, n, text_at, names, "values");
    tp__free(names);
    return tp__error(TP_ENOTFOUND, "filter: segment '%.60s%s=%.60s': no row has %s '%.60s' (%s)",
                     attr, negate ? "!" : "", val, attr, val, hint);
}

/* The customer ids of the events then the feedback, each once. */
typedef struct cust_names {
    const tp__intern *ev, *fb; /* either may be NULL */
} cust_names;

static const char *cust_name_at(const void *ctx, size_t i)
{
    const cust_names *c = ctx;
    size_t nev = c->ev ? tp__intern_count(c->ev) : 0;
    if (i < nev)
        return tp__intern_str(c->ev, (uint32_t)i);
    uint32_t id;
    const char *name = tp__intern_str(c->fb, (uint32_t)(i - nev));
    return c->ev && tp__intern_find(c->ev, name, strlen(name), &id) ? NULL : name;
}

/* The filter's customers as one flag per customer of each store; an id
 * neither store has is refused (a partition may lack it). */
static tp_status compile_customers(tp__view *v)
{
    const tp_filter *f = v->filter;
    if (!f || !f->customers.len)
        return TP_OK;
    const tp__intern *pools[2] = {v->ev ? &v->ev->customers : NULL,
                                  v->fb ? &v->fb->customers : NULL};
    uint8_t **flags[2] = {&v->cust_ev, &v->cust_fb};
    for (int k = 0; k < 2; k++) {
        size_t n = pools[k] ? tp__intern_count(pools[k]) : 0;
        if (pools[k] && !(*flags[k] = tp__calloc(n ? n : 1, 1)))
            return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < f->customers.len; i++) {
        const char *id = tp__intern_str(&f->text, f->customers.data[i]);
        int found = 0;
        for (int k = 0; k < 2; k++) {
            uint32_t c;
            if (pools[k] && tp__intern_find(pools[k], id, strlen(id), &c)) {
                (*flags[k])[c] = 1;
                found = 1;
            }
        }
        if (!found && !v->opt->partition) {
            cust_names cn = {pools[0], pools[1]};
            size_t count = (pools[0] ? tp__intern_count(pools[0]) : 0) +
                           (pools[1] ? tp__intern_count(pools[1]) : 0);
            char hint[512];
            tp__suggest(hint, sizeof hint, id, count, cust_name_at, &cn, "customers");
            return tp__error(TP_ENOTFOUND, "filter: no customer '%.60s' in the %s (%s)", id,
                             v->ev && v->fb ? "events or the feedback" : v->ev ? "events" : "feedback",
                             hint);
        }
    }
    return TP_OK;
}

static int text_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

tp_status tp__attr_values(const tp_events *ev, const tp_feedback *fb, const char *attr,
                          size_t limit, const char ***values, size_t *n, int *missing)
{
    *values = NULL;
    *n = 0;
    *missing = 0;
    size_t len = strlen(attr);
    size_t ev_col = ev ? tp__attrs_find(&ev->attrs, attr, len) : SIZE_MAX;
    size_t fb_col = fb ? tp__attrs_find(&fb->attrs, attr, len) : SIZE_MAX;
    if (ev_col == SIZE_MAX && fb_col == SIZE_MAX) {
        attr_names an = {ev ? &ev->attrs : NULL, fb ? &fb->attrs : NULL};
        size_t count = (an.ev ? tp__attrs_count(an.ev) : 0) + (an.fb ? tp__attrs_count(an.fb) : 0);
        char hint[512];
        tp__suggest(hint, sizeof hint, attr, count, attr_name_at, &an, "attributes");
        return tp__error(TP_ENOTFOUND, "breakdown: no attribute '%.60s' in the %s (%s)", attr,
                         ev && fb ? "events or the feedback" : ev ? "events" : "feedback", hint);
    }
    const tp__attrs *stores[2] = {ev_col != SIZE_MAX ? &ev->attrs : NULL,
                                  fb_col != SIZE_MAX ? &fb->attrs : NULL};
    size_t cols[2] = {ev_col, fb_col};
    for (int k = 0; k < 2; k++) {
        if (!stores[k])
            continue;
        if (column_values(stores[k], cols[k], values, n, limit)) {
            tp__free(*values);
            *values = NULL;
            *n = 0;
            return tp__error(TP_ENOMEM, "out of memory");
        }
        if (*n > limit) {
            tp__free(*values);
            *values = NULL;
            *n = 0;
            return tp__error(TP_ELIMIT,
                             "breakdown: '%.60s' has more than %zu values; pick an attribute "
                             "with fewer, or select values with a segment filter",
                             attr, limit);
        }
    }
    qsort(*values, *n, sizeof **values, text_cmp);
    /* missing: a row without the value whose customer has none in the events */
    uint8_t *has = NULL;
    if (ev) {
        size_t nc = tp__intern_count(&ev->customers);
        if (!(has = tp__calloc(nc ? nc : 1, 1))) {
            tp__free(*values);
            *values = NULL;
            *n = 0;
            return tp__error(TP_ENOMEM, "out of memory");
        }
        const uint32_t *col =
            ev_col != SIZE_MAX ? ((const tp__vec_u32 *)ev->attrs.cols.data[ev_col])->data : NULL;
        for (size_t r = 0; col && r < ev->customer.len; r++)
            if (col[r])
                has[ev->customer.data[r]] = 1;
        for (size_t r = 0; r < ev->customer.len && !*missing; r++)
            *missing = !has[ev->customer.data[r]];
    }
    if (fb && !*missing) {
        const uint32_t *col =
            fb_col != SIZE_MAX ? ((const tp__vec_u32 *)fb->attrs.cols.data[fb_col])->data : NULL;
        for (size_t r = 0; r < fb->customer.len && !*missing; r++) {
            if (col && col[r])
                continue;
            uint32_t c = fb->customer.data[r], id;
            *missing = !ev || !has ||
                       !tp__intern_find(&ev->customers, tp__intern_str(&fb->customers, c),
                                        tp__intern_len(&fb->customers, c), &id) ||
                       !has[id];
        }
    }
    tp__free(has);
    return TP_OK;
}

static tp_status compile_segments(tp__view *v)
{
    const tp_filter *f = v->filter;
    if (!f || f->seg_attr.len == 0)
        return TP_OK;
    v->seg = tp__calloc(f->seg_attr.len, sizeof *v->seg);
    if (!v->seg)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < f->seg_attr.len; i++) {
        const char *attr = tp__intern_str(&f->text, f->seg_attr.data[i]);
        const char *val = tp__intern_str(&f->text, f->seg_value.data[i]);
        size_t g = 0;
        while (g < v->nseg && v->seg[g].attr != f->seg_attr.data[i])
            g++;
        tp__segment *s;
        if (g == v->nseg) {
            s = &v->seg[v->nseg++];
            s->attr = f->seg_attr.data[i];
            s->ev_col = v->ev ? attr_col(&v->ev->attrs, attr) : SIZE_MAX;
            s->fb_col = v->fb ? attr_col(&v->fb->attrs, attr) : SIZE_MAX;
            if (s->ev_col == SIZE_MAX && s->fb_col == SIZE_MAX && !v->opt->partition) {
                attr_names an = {v->ev ? &v->ev->attrs : NULL, v->fb ? &v->fb->attrs : NULL};
                size_t count = (an.ev ? tp__attrs_count(an.ev) : 0) +
                               (an.fb ? tp__attrs_count(an.fb) : 0);
                char hint[512];
                tp__suggest(hint, sizeof hint, attr, count, attr_name_at, &an, "attributes");
                return tp__error(TP_ENOTFOUND,
                                 "filter: segment '%.60s': no attribute '%.60s' in the %s (%s)",
                                 attr, attr,
                                 v->ev && v->fb ? "events or the feedback"
                                 : v->ev        ? "events"
                                                : "feedback",
                                 hint);
            }
        } else {
            s = &v->seg[g];
        }
        /* "" is missing (id 0) in either store, with the column or without */
        uint32_t ev_id = !*val                 ? 0
                         : s->ev_col != SIZE_MAX ? value_id(&v->ev->attrs, val)
                                                 : TP__NONE;
        uint32_t fb_id = !*val                 ? 0
                         : s->fb_col != SIZE_MAX ? value_id(&v->fb->attrs, val)
                                                 : TP__NONE;
        int neg = f->seg_negate.data[i];
        if (*val && !v->opt->partition &&
            !column_has(v->ev ? &v->ev->attrs : NULL, s->ev_col, ev_id) &&
            !column_has(v->fb ? &v->fb->attrs : NULL, s->fb_col, fb_id))
            return unknown_value(v, s, attr, val, neg);
        if (!neg)
            s->npos++;
        if (tp__vec_u32_push(neg ? &s->ev_neg : &s->ev_pos, ev_id) ||
            tp__vec_u32_push(neg ? &s->fb_neg : &s->fb_pos, fb_id))
            return tp__error(TP_ENOMEM, "out of memory");
    }
    /* Customer values from the events: the last non-empty one. */
    for (size_t g = 0; g < v->nseg; g++) {
        tp__segment *s = &v->seg[g];
        if (s->ev_col == SIZE_MAX)
            continue;
        size_t nc = tp__intern_count(&v->ev->customers);
        s->cust = tp__calloc(nc ? nc : 1, sizeof *s->cust);
        if (!s->cust)
            return tp__error(TP_ENOMEM, "out of memory");
        const uint32_t *col = ((const tp__vec_u32 *)v->ev->attrs.cols.data[s->ev_col])->data;
        for (size_t r = 0; r < v->ev->customer.len; r++)
            if (col[r])
                s->cust[v->ev->customer.data[r]] = col[r];
    }
    return TP_OK;
}

/* Feedback customers as events customers (for segments and outcomes). */
static tp_status map_customers(tp__view *v)
{
    if (!v->ev || !v->fb)
        return TP_OK;
    size_t n = tp__intern_count(&v->fb->customers);
    v->fb_to_ev = tp__malloc((n ? n : 1) * sizeof *v->fb_to_ev);
    if (!v->fb_to_ev)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        uint32_t id;
        const tp__intern *p = &v->fb->customers;
        v->fb_to_ev[i] = tp__intern_find(&v->ev->customers, tp__intern_str(p, (uint32_t)i),
                                         tp__intern_len(p, (uint32_t)i), &id)
                             ? id
                             : TP__NONE;
    }
    return TP_OK;
}

typedef struct audit_row {
    uint32_t customer, tp, metric;
    uint32_t row;
    int64_t time;
} audit_row;

static int audit_cmp(const void *pa, const void *pb)
{
    const audit_row *a = pa, *b = pb;
    if (a->customer != b->customer)
        return a->customer < b->customer ? -1 : 1;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->tp != b->tp)
        return a->tp < b->tp ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static tp_status push(tp__view *v, tp__resp r)
{
    if (v->bits_fb) {
        v->bits_fb[r.tp * v->fb_words + r.customer / 64] |= UINT64_C(1) << (r.customer % 64);
    } else if (v->who && (tp__vec_u32_push(&v->who_tp, r.tp) ||
                          tp__vec_u32_push(&v->who_cust, r.customer))) {
        return tp__error(TP_ENOMEM, "out of memory");
    }
    if (v->acc) {
        tp__acc_add(&v->acc[r.tp], &r);
        return TP_OK;
    }
    if (tp__vec_resp_push(&v->resp, r))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

/* Audit visits: rows with one customer and time. A visit is knocked out when a
 * knock-out item scores below the pass mark; each of its touchpoints that
 * passes the filter gives one response: the weighted mean of its applicable
 * items, or 0 when knocked out. */
static tp_status audit_responses(tp__view *v, audit_row *rows, size_t n)
{
    const tp_feedback *f = v->fb;
    const struct tp_options *o = v->opt;
    size_t nmetrics = tp__intern_count(&f->metrics);
    uint8_t *ko = tp__calloc(nmetrics ? nmetrics : 1, 1);
    if (!ko)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t m = TP__METRIC_FIRST_AUDIT; m < nmetrics; m++) {
        const char *name = tp__intern_str(&f->metrics, (uint32_t)m);
        const char *item = strchr(name, ':');
        uint32_t id;
        item = item ? item + 1 : name;
        ko[m] = (uint8_t)tp__intern_find(&o->knockouts, item, strlen(item), &id);
    }
    qsort(rows, n, sizeof *rows, audit_cmp);
    tp_status st = TP_OK;
    for (size_t i = 0; i < n && st == TP_OK;) {
        size_t j = i;
        int knocked = 0;
        while (j < n && rows[j].customer == rows[i].customer && rows[j].time == rows[i].time) {
            double s = f->score.data[rows[j].row];
            if (ko[rows[j].metric] && !isnan(s) && s < o->knockout_pass)
                knocked = 1;
            j++;
        }
        for (size_t a = i; a < j && st == TP_OK;) {
            size_t b = a;
            double sw = 0.0, sws = 0.0;
            while (b < j && rows[b].tp == rows[a].tp) {
                double s = f->score.data[rows[b].row], w = f->weight.data[rows[b].row];
                if (!isnan(s) && w > 0.0) {
                    sw += w;
                    sws += w * s;
                }
                b++;
            }
            if (sw > 0.0 && v->tp_ok[rows[a].tp]) {
                double score = knocked ? 0.0 : sws / sw;
                tp__resp r = {rows[a].time, rows[a].tp, rows[a].customer, TP__M_AUDIT,
                              (uint8_t)knocked, score, score};
                st = push(v, r);
            }
            a = b;
        }
        i = j;
    }
    tp__free(ko);
    return st;
}

static double scaled(tp_metric kind, double x)
{
    switch (kind) {
    case TP_METRIC_NPS: return x >= 9.0 ? 100.0 : x >= 7.0 ? 50.0 : 0.0;
    case TP_METRIC_CSAT: return x >= 4.0 ? 100.0 : 0.0;
    case TP_METRIC_CES: return (x - 1.0) / 6.0 * 100.0;
    case TP_METRIC_RATING: return (x - 1.0) / 4.0 * 100.0;
    default: return x;
    }
}

static tp_status build_responses(tp__view *v)
{
    const tp_feedback *f = v->fb;
    if (!f)
        return TP_OK;
    const tp_lexicon *lex = tp__view_lexicon(v);
    size_t ncomments = tp__intern_count(&f->comments);
    double *sent = tp__malloc((ncomments ? ncomments : 1) * sizeof *sent);
    audit_row *audits = NULL;
    size_t naudits = 0, capaudits = 0;
    tp_status st = TP_OK;
    /* one response per row is the usual case: reserve it (capacity never touched
     * is never resident), so the vector does not grow by copying */
    if (!sent || (!v->acc && tp__vec_resp_reserve(&v->resp, f->customer.len + 1))) {
        tp__free(sent);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < ncomments; c++)
        sent[c] = NAN;
    for (size_t r = 0; r < f->customer.len && st == TP_OK; r++) {
        if (!feedback_row(v, r))
            continue;
        uint32_t tp = f->touchpoint.data[r], m = f->metric.data[r];
        if (m >= TP__METRIC_FIRST_AUDIT) {
            if (naudits == capaudits) {
                void *p = audits;
                size_t cap = capaudits;
                if (tp__grow(&p, &cap, sizeof *audits, naudits + 1)) {
                    st = tp__error(TP_ENOMEM, "out of memory");
                    break;
                }
                audits = p;
                capaudits = cap;
            }
            audits[naudits++] = (audit_row){f->customer.data[r], tp, m, (uint32_t)r,
                                            f->time.data[r]};
        } else if (v->tp_ok[tp]) {
            double x = f->score.data[r];
            tp__resp resp = {f->time.data[r], tp, f->customer.data[r], (uint8_t)m, 0, x,
                             scaled((tp_metric)m, x)};
            st = push(v, resp);
        }
        uint32_t c = f->comment.data[r];
        if (st == TP_OK && c != 0 && v->tp_ok[tp]) {
            if (isnan(sent[c]))
                sent[c] = tp__sentiment(lex, tp__intern_str(&f->comments, c),
                                        tp__intern_len(&f->comments, c), NULL, NULL);
            tp__resp resp = {f->time.data[r], tp, f->customer.data[r], TP__M_SENTIMENT, 0,
                             sent[c], (sent[c] + 1.0) / 2.0 * 100.0};
            st = push(v, resp);
        }
    }
    if (st == TP_OK && naudits)
        st = audit_responses(v, audits, naudits);
    tp__free(audits);
    tp__free(sent);
    return st;
}

/* The bit tables of the respondents: a bit per (touchpoint, customer), a row
 * of words per touchpoint (compact: a bit per customer and touchpoint), when
 * they take no more words than the data has rows and a few MB at most. The
 * events' bits are set here, in one pass; push() sets the responses'. Else
 * the responses' customers are kept (who) and counted later. */
static tp_status respondent_bits(tp__view *v)
{
    size_t ntp = v->ntp ? v->ntp : 1, cap = (size_t)1 << 20;
    size_t nce = v->ev ? tp__intern_count(&v->ev->customers) : 0;
    size_t ncf = v->fb ? tp__intern_count(&v->fb->customers) : 0;
    size_t ew = (nce + 63) / 64 + 1, fw = (ncf + 63) / 64 + 1;
    size_t rows = (v->ev ? v->ev->customer.len : 0) + (v->fb ? v->fb->customer.len : 0);
    if (ew > cap / ntp || fw > cap / ntp || ntp * (ew + fw) > rows + 64) {
        v->who = 1;
        return TP_OK;
    }
    v->ev_words = ew;
    v->fb_words = fw;
    v->bits_ev = tp__calloc(ntp * ew, sizeof *v->bits_ev);
    v->bits_fb = tp__calloc(ntp * fw, sizeof *v->bits_fb);
    if (!v->bits_ev || !v->bits_fb)
        return tp__error(TP_ENOMEM, "out of memory");
    const tp_events *e = v->ev;
    for (size_t r = 0; e && r < e->customer.len; r++) {
        uint32_t t = e->touchpoint.data[r], c = e->customer.data[r];
        if (tp__view_event(v, r))
            v->bits_ev[t * ew + c / 64] |= UINT64_C(1) << (c % 64);
    }
    return TP_OK;
}

tp_status tp__view_open(tp__view *v, const tp_events *ev, const tp_feedback *fb,
                        const tp_filter *filter, const tp_options *opt, unsigned need,
                        const char *what)
{
    memset(v, 0, sizeof *v);
    if ((need & TP__NEED_EVENTS) && !ev)
        return tp__error(TP_EINVAL, "%s: needs an event log", what);
    if ((need & TP__NEED_FEEDBACK) && !fb)
        return tp__error(TP_EINVAL, "%s: needs a feedback set", what);
    if (!ev && !fb)
        return tp__error(TP_EINVAL, "%s: needs events or feedback", what);
    if (ev && fb && ev->catalog != fb->catalog)
        return tp__error(TP_EINVAL,
                         "%s: the events and the feedback are bound to different catalogs "
                         "(create both with the same tp_catalog)",
                         what);
    if (opt && opt->breakdown[0])
        return tp__error(TP_EINVAL,
                         "%s: option breakdown ('%s') is run by tp_analysis_run(), which every "
                         "face uses; a typed call gives one table (add a segment condition per "
                         "value instead)",
                         what, opt->breakdown);
    v->ev = ev;
    v->fb = fb;
    v->cat = ev ? ev->catalog : fb->catalog;
    v->filter = filter;
    if (opt) {
        v->opt = opt;
    } else {
        tp__options_defaults(&v->defaults);
        v->opt = &v->defaults;
    }
    tp_status st = TP_OK;
    if (!v->opt->lexicon && fb)
        st = tp__lexicon_default(&v->lexicon, &v->own_lexicon);
    if (st == TP_OK)
        st = compile_touchpoints(v);
    if (st == TP_OK)
        st = compile_segments(v);
    if (st == TP_OK)
        st = compile_customers(v);
    if (st == TP_OK && ((need & (TP__NEED_FB_TO_EV | TP__NEED_RESPONDENTS)) || v->nseg))
        st = map_customers(v);
    if (st == TP_OK && (need & TP__NEED_RESPONDENTS))
        st = respondent_bits(v);
    if (st == TP_OK && (need & TP__NEED_ACCUMULATE) && !(v->acc = tp__calloc(v->ntp ? v->ntp : 1, sizeof *v->acc)))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = build_responses(v);
    if (st != TP_OK)
        tp__view_close(v);
    return st;
}

void tp__view_close(tp__view *v)
{
    for (size_t g = 0; g < v->nseg; g++) {
        tp__vec_u32_free(&v->seg[g].ev_pos);
        tp__vec_u32_free(&v->seg[g].fb_pos);
        tp__vec_u32_free(&v->seg[g].ev_neg);
        tp__vec_u32_free(&v->seg[g].fb_neg);
        tp__free(v->seg[g].cust);
    }
    tp__free(v->seg);
    tp__free(v->tp_ok);
    tp__free(v->fb_to_ev);
    tp__free(v->cust_ev);
    tp__free(v->cust_fb);
    tp__free(v->acc);
    tp__vec_u32_free(&v->who_tp);
    tp__vec_u32_free(&v->who_cust);
    tp__free(v->bits_ev);
    tp__free(v->bits_fb);
    tp__vec_resp_free(&v->resp);
    tp_lexicon_free(v->own_lexicon);
    memset(v, 0, sizeof *v);
}

/* Distinct (key, customer) pairs per key over one or two lists of pairs
 * (key TP__NONE: skip). With few keys times customers, one bit per pair, set
 * in one pass and counted; else a counting sort of the customers by key and a
 * stamp per customer: O(pairs + customers) time, 4 bytes per pair and 4 per
 * customer. */
typedef struct pairs {
    const uint32_t *key, *cust;
    size_t n;
} pairs;

static tp_status count_pairs(const pairs *seg, size_t nseg, size_t nkeys, size_t ncust,
                             uint64_t *out)
{
    memset(out, 0, nkeys * sizeof *out);
    size_t n = 0, words = (ncust + 63) / 64;
    for (size_t s = 0; s < nseg; s++)
        n += seg[s].n;
    if (nkeys && words <= (SIZE_MAX / 8) / nkeys && nkeys * words <= n &&
        nkeys * words <= (1u << 20)) {
        uint64_t *bits = tp__calloc(nkeys * words, sizeof *bits);
        if (!bits)
            return tp__error(TP_ENOMEM, "out of memory");
        for (size_t s = 0; s < nseg; s++)
            for (size_t i = 0; i < seg[s].n; i++) {
                uint32_t k = seg[s].key[i], c = seg[s].cust[i];
                if (k != TP__NONE)
                    bits[k * words + c / 64] |= UINT64_C(1) << (c % 64);
            }
        for (size_t k = 0; k < nkeys; k++)
            for (size_t w = 0; w < words; w++)
                out[k] += (uint64_t)__builtin_popcountll(bits[k * words + w]);
        tp__free(bits);
        return TP_OK;
    }
    size_t *start = tp__calloc(nkeys + 1, sizeof *start);
    uint32_t *bucket = tp__malloc((n ? n : 1) * sizeof *bucket); /* customers by key */
    uint32_t *stamp = tp__malloc((ncust ? ncust : 1) * sizeof *stamp);
    if (!start || !bucket || !stamp) {
        tp__free(start);
        tp__free(bucket);
        tp__free(stamp);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t s = 0; s < nseg; s++)
        for (size_t i = 0; i < seg[s].n; i++)
            if (seg[s].key[i] != TP__NONE)
                start[seg[s].key[i] + 1]++;
    for (size_t k = 0; k < nkeys; k++) /* start[k]: first slot of bucket k */
        start[k + 1] += start[k];
    /* start[k] is the cursor of bucket k; afterwards it is the bucket's end */
    for (size_t s = 0; s < nseg; s++)
        for (size_t i = 0; i < seg[s].n; i++)
            if (seg[s].key[i] != TP__NONE)
                bucket[start[seg[s].key[i]]++] = seg[s].cust[i];
    for (size_t c = 0; c < ncust; c++)
        stamp[c] = UINT32_MAX;
    for (size_t k = 0; k < nkeys; k++)
        for (size_t i = k ? start[k - 1] : 0; i < start[k]; i++)
            if (stamp[bucket[i]] != (uint32_t)k) {
                stamp[bucket[i]] = (uint32_t)k;
                out[k]++;
            }
    tp__free(start);
    tp__free(bucket);
    tp__free(stamp);
    return TP_OK;
}

/* The key of each event row: key_of_tp of its touchpoint when it is selected,
 * else TP__NONE. NULL on allocation failure (error set). */
static uint32_t *event_keys(const tp__view *v, const uint32_t *key_of_tp)
{
    const tp_events *e = v->ev;
    size_t n = e->customer.len;
    uint32_t *key = tp__malloc((n ? n : 1) * sizeof *key);
    if (!key) {
        tp__error(TP_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t r = 0; r < n; r++) {
        uint32_t k = key_of_tp[e->touchpoint.data[r]];
        key[r] = k != TP__NONE && tp__view_event(v, r) ? k : TP__NONE;
    }
    return key;
}

tp_status tp__view_reach(const tp__view *v, const uint32_t *key_of_tp, size_t nkeys,
                         uint64_t *out)
{
    memset(out, 0, nkeys * sizeof *out);
    if (!v->ev)
        return TP_OK;
    uint32_t *key = event_keys(v, key_of_tp);
    if (!key)
        return TP_ENOMEM;
    pairs ev = {key, v->ev->customer.data, v->ev->customer.len};
    tp_status st = count_pairs(&ev, 1, nkeys, tp__intern_count(&v->ev->customers), out);
    tp__free(key);
    return st;
}

/* From the kept customers: respondents, and the reached ones as
 * |R and E| = |R| + |E| - |R or E|. */
static tp_status respondents_of_who(const tp__view *v, const uint64_t *reach,
                                    uint64_t *respondents, uint64_t *reached)
{
    size_t ntp = v->ntp, nr = v->who_tp.len;
    memset(reached, 0, ntp * sizeof *reached);
    pairs fb = {v->who_tp.data, v->who_cust.data, nr};
    tp_status st = count_pairs(&fb, 1, ntp, v->fb ? tp__intern_count(&v->fb->customers) : 0,
                               respondents);
    if (st != TP_OK || !v->ev || !v->fb_to_ev || !nr)
        return st;
    /* reached respondents = |R and E| = |R| + |E| - |R or E|, R the
     * respondents as events customers (those the log has), E the reached */
    size_t nc = tp__intern_count(&v->ev->customers);
    size_t m = ntp ? ntp : 1;
    uint32_t *self = tp__malloc(m * sizeof *self);
    uint32_t *rkey = tp__malloc(nr * sizeof *rkey);
    uint32_t *rcust = tp__malloc(nr * sizeof *rcust);
    uint64_t *r = tp__malloc(m * sizeof *r);
    uint64_t *both = tp__malloc(m * sizeof *both);
    uint32_t *ekey = NULL;
    if (!self || !rkey || !rcust || !r || !both)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t t = 0; st == TP_OK && t < ntp; t++)
        self[t] = (uint32_t)t;
    if (st == TP_OK && !(ekey = event_keys(v, self)))
        st = TP_ENOMEM;
    for (size_t i = 0; st == TP_OK && i < nr; i++) {
        rcust[i] = v->fb_to_ev[v->who_cust.data[i]];
        rkey[i] = rcust[i] == TP__NONE ? TP__NONE : v->who_tp.data[i];
    }
    pairs seg[2] = {{rkey, rcust, nr}, {ekey, v->ev->customer.data, v->ev->customer.len}};
    if (st == TP_OK)
        st = count_pairs(seg, 1, ntp, nc, r);
    if (st == TP_OK)
        st = count_pairs(seg, 2, ntp, nc, both);
    for (size_t t = 0; st == TP_OK && t < ntp; t++)
        reached[t] = r[t] + reach[t] - both[t];
    tp__free(self);
    tp__free(rkey);
    tp__free(rcust);
    tp__free(r);
    tp__free(both);
    tp__free(ekey);
    return st;
}

tp_status tp__view_reach_respondents(const tp__view *v, uint64_t *reach, uint64_t *respondents,
                                     uint64_t *reached)
{
    if (v->bits_fb) { /* set as the events were selected and the responses made */
        size_t ew = v->ev_words, fw = v->fb_words;
        size_t ncf = v->fb ? tp__intern_count(&v->fb->customers) : 0;
        for (size_t t = 0; t < v->ntp; t++) {
            const uint64_t *be = v->bits_ev + t * ew, *bf = v->bits_fb + t * fw;
            reach[t] = respondents[t] = reached[t] = 0;
            for (size_t w = 0; w < ew; w++)
                reach[t] += (uint64_t)__builtin_popcountll(be[w]);
            for (size_t w = 0; w < fw; w++)
                respondents[t] += (uint64_t)__builtin_popcountll(bf[w]);
        }
        /* reached: each respondent's bits against the same customer's events */
        for (size_t c = 0; v->fb_to_ev && c < ncf; c++) {
            uint32_t e = v->fb_to_ev[c];
            if (e == TP__NONE)
                continue;
            for (size_t t = 0; t < v->ntp; t++)
                reached[t] += (v->bits_fb[t * fw + c / 64] >> (c % 64) &
                               v->bits_ev[t * ew + e / 64] >> (e % 64) & 1);
        }
        return TP_OK;
    }
    /* the customers were kept (who): distinct pairs counted afterwards */
    size_t ntp = v->ntp;
    uint32_t *self = tp__malloc((ntp ? ntp : 1) * sizeof *self);
    if (!self)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t t = 0; t < ntp; t++)
        self[t] = (uint32_t)t;
    tp_status st = tp__view_reach(v, self, ntp, reach);
    tp__free(self);
    return st == TP_OK ? respondents_of_who(v, reach, respondents, reached) : st;
}

tp__acc *tp__view_by_touchpoint(const tp__view *v)
{
    tp__acc *acc = tp__calloc(v->ntp ? v->ntp : 1, sizeof *acc);
    if (!acc) {
        tp__error(TP_ENOMEM, "out of memory");
        return NULL;
    }
    if (v->acc)
        memcpy(acc, v->acc, v->ntp * sizeof *acc);
    for (size_t i = 0; i < v->resp.len; i++)
        tp__acc_add(&acc[v->resp.data[i].tp], &v->resp.data[i]);
    return acc;
}

void tp__acc_add(tp__acc *a, const tp__resp *r)
{
    switch (r->metric) {
    case TP__M_NPS:
        if (r->raw >= 9.0)
            a->promoters++;
        else if (r->raw >= 7.0)
            a->passives++;
        else
            a->detractors++;
        break;
    case TP__M_CSAT:
        a->csat_n++;
        a->csat_top += r->raw >= 4.0;
        break;
    case TP__M_CES:
        (void)tp__xmoments_add(&a->ces, r->raw);
        a->ces_easy += r->raw >= 5.0;
        break;
    case TP__M_RATING: (void)tp__xmoments_add(&a->rating, r->raw); break;
    case TP__M_SENTIMENT: (void)tp__xmoments_add(&a->sentiment, r->raw); break;
    default:
        (void)tp__xmoments_add(&a->audit, r->raw);
        a->audit_knocked += r->knocked;
        break;
    }
    (void)tp__xmoments_add(&a->all, r->value);
}

static int add_u64(uint64_t *into, uint64_t x)
{
    if (x > TP__COUNT_MAX - *into)
        return -1;
    *into += x;
    return 0;
}

int tp__acc_merge(tp__acc *into, const tp__acc *from)
{
    tp__acc t = *into;
    if (add_u64(&t.promoters, from->promoters) || add_u64(&t.passives, from->passives) ||
        add_u64(&t.detractors, from->detractors) || add_u64(&t.csat_n, from->csat_n) ||
        add_u64(&t.csat_top, from->csat_top) || add_u64(&t.ces_easy, from->ces_easy) ||
        add_u64(&t.audit_knocked, from->audit_knocked) ||
        tp__xmoments_merge(&t.ces, &from->ces) || tp__xmoments_merge(&t.rating, &from->rating) ||
        tp__xmoments_merge(&t.sentiment, &from->sentiment) ||
        tp__xmoments_merge(&t.audit, &from->audit) || tp__xmoments_merge(&t.all, &from->all))
        return -1;
    *into = t;
    return 0;
}

uint64_t tp__acc_n(const tp__acc *a, int m)
{
    switch (m) {
    case TP__M_NPS: return a->promoters + a->passives + a->detractors;
    case TP__M_CSAT: return a->csat_n;
    case TP__M_CES: return a->ces.n;
    case TP__M_RATING: return a->rating.n;
    case TP__M_SENTIMENT: return a->sentiment.n;
    default: return a->audit.n;
    }
}

double tp__acc_metric(const tp__acc *a, int m)
{
    if (tp__acc_n(a, m) == 0)
        return NAN;
    switch (m) {
    case TP__M_NPS:
        return 100.0 * ((double)a->promoters - (double)a->detractors) / (double)tp__acc_n(a, m);
    case TP__M_CSAT: return 100.0 * (double)a->csat_top / (double)a->csat_n;
    case TP__M_CES: return tp__xmoments_get(&a->ces).mean;
    case TP__M_RATING: return tp__xmoments_get(&a->rating).mean;
    case TP__M_SENTIMENT: return tp__xmoments_get(&a->sentiment).mean;
    default: return tp__xmoments_get(&a->audit).mean;
    }
}

double tp__acc_scaled(const tp__acc *a, int m)
{
    double x = tp__acc_metric(a, m);
    switch (m) {
    case TP__M_NPS: return (x + 100.0) / 2.0;
    case TP__M_CES: return (x - 1.0) / 6.0 * 100.0;
    case TP__M_RATING: return (x - 1.0) / 4.0 * 100.0;
    case TP__M_SENTIMENT: return (x + 1.0) / 2.0 * 100.0;
    default: return x;
    }
}

double tp__acc_cx(const tp__acc *a, const double *weights)
{
    double sw = 0.0, sum = 0.0;
    for (int m = 0; m < TP__M_COUNT; m++) {
        double x = tp__acc_scaled(a, m);
        if (!isnan(x) && weights[m] > 0.0) {
            sw += weights[m];
            sum += weights[m] * x;
        }
    }
    return sw > 0.0 ? sum / sw : NAN;
}
