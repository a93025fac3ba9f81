/* Mergeable partial aggregates (touchpoint/agg.h).
 *
 * An aggregate holds touchpoint ids (names) and, by kind, either one scorecard
 * row per name or a keyed table whose keys are sequences of name ids. Merging
 * maps the other aggregate's name ids onto ours and adds record by record;
 * counts are checked for overflow and sums are exact (core/xsum.h), so the
 * merge order never shows in the result. Every public operation that changes
 * an aggregate builds the new state aside and swaps it in, so a failure leaves
 * the aggregate as it was. */
#include "touchpoint/agg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg/agg_internal.h"
#include "analysis/counts.h"
#include "core/error.h"
#include "core/utf8.h"

#define KIND(k) tp__agg_ops_of(k)

TP_API const char *tp_agg_kind_name(tp_agg_kind kind)
{
    return tp__agg_kind_valid((int)kind) ? KIND(kind)->name : NULL;
}

TP_API tp_status tp_agg_kind_parse(const char *name, tp_agg_kind *out)
{
    for (size_t k = 1; name && out && k < tp__agg_kind_total(); k++)
        if (tp__agg_kind_valid((int)k) && !strcmp(name, KIND((tp_agg_kind)k)->name)) {
            *out = (tp_agg_kind)k;
            return TP_OK;
        }
    return tp__error(TP_EINVAL,
                     "unknown aggregate kind '%.60s' (scorecard, transitions, variants, markov, "
                     "shapley, funnel)",
                     name ? name : "(null)");
}

/* ---- the handle ---- */

void tp__agg_init(tp_agg *a, tp_agg_kind kind)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->empty = 1;
    tp__intern_init(&a->names);
    tp__ktab_init(&a->tab);
    tp__ktab_init(&a->tab2);
}

void tp__agg_clear(tp_agg *a)
{
    tp__intern_free(&a->names);
    tp__vec_scrow_free(&a->sc);
    tp__ktab_free(&a->tab);
    tp__ktab_free(&a->tab2);
}

TP_API tp_status tp_agg_new(tp_agg **out, tp_agg_kind kind)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_agg_new: out is NULL");
    *out = NULL;
    if (!tp__agg_kind_valid((int)kind))
        return tp__error(TP_EINVAL, "tp_agg_new: unknown kind %d", (int)kind);
    tp_agg *a = tp__malloc(sizeof *a);
    if (!a)
        return tp__error(TP_ENOMEM, "out of memory");
    tp__agg_init(a, kind);
    *out = a;
    return TP_OK;
}

TP_API void tp_agg_free(tp_agg *agg)
{
    if (!agg)
        return;
    tp__agg_clear(agg);
    tp__free(agg);
}

TP_API tp_agg_kind tp_agg_get_kind(const tp_agg *agg) { return agg ? agg->kind : (tp_agg_kind)0; }

TP_API int tp_agg_is_empty(const tp_agg *agg) { return !agg || agg->empty; }

/* ---- merging ---- */

int tp__agg_add_name(tp_agg *dst, const char *s, size_t len, uint32_t *id)
{
    if (tp__intern_put(&dst->names, s, len, id))
        return -1;
    if (KIND(dst->kind)->rows_per_name && *id == dst->sc.len) {
        tp__sc_row zero;
        memset(&zero, 0, sizeof zero);
        if (tp__vec_scrow_push(&dst->sc, zero))
            return -1;
    }
    return 0;
}

static tp_status conflict(const tp_agg *a, size_t p, uint64_t mine, uint64_t theirs,
                          const char *what)
{
    const tp__agg_ops *k = KIND(a->kind);
    const char *name = k->param[p];
    if (k->param_shown[p] == TP__AGG_PARAM_PRINT)
        return tp__error(TP_ECONFLICT, "%s: the aggregates were built with different %s", what,
                         name);
    if (k->param_shown[p] == TP__AGG_PARAM_DOUBLE) {
        double x, y;
        memcpy(&x, &mine, sizeof x);
        memcpy(&y, &theirs, sizeof y);
        return tp__error(TP_ECONFLICT, "%s: the aggregates were built with different %s (%g, %g)",
                         what, name, x, y);
    }
    return tp__error(TP_ECONFLICT,
                     "%s: the aggregates were built with different %s (%lld, %lld)", what, name,
                     (long long)mine, (long long)theirs);
}

/* dst += src, not atomic (dst is a scratch aggregate of the same kind). */
static tp_status merge_into(tp_agg *dst, const tp_agg *src, const char *what)
{
    if (src->empty)
        return TP_OK;
    const tp__agg_ops *kind = KIND(dst->kind);
    size_t np = kind->nparam;
    if (dst->empty) {
        memcpy(dst->param, src->param, sizeof dst->param);
    } else {
        for (size_t p = 0; p < np; p++)
            if (dst->param[p] != src->param[p])
                return conflict(dst, p, dst->param[p], src->param[p], what);
    }
    dst->empty = 0;
    dst->has_reach |= src->has_reach;
    size_t nn = tp__intern_count(&src->names), nk = tp__ktab_count(&src->tab);
    uint32_t *map = tp__malloc((nn ? nn : 1) * sizeof *map);
    uint32_t *state = tp__malloc((nk ? nk : 1) * sizeof *state); /* src record -> dst record */
    tp__vec_u32 key = {0};
    tp_status st = map && state ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; st == TP_OK && i < nn; i++)
        if (tp__agg_add_name(dst, tp__intern_str(&src->names, i), tp__intern_len(&src->names, i), &map[i]))
            st = tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; st == TP_OK && kind->rows_per_name && i < nn; i++) {
        tp__sc_row *d = &dst->sc.data[map[i]];
        const tp__sc_row *s = &src->sc.data[i];
        if (s->reach > TP__COUNT_MAX - d->reach ||
            s->respondents > TP__COUNT_MAX - d->respondents || tp__acc_merge(&d->acc, &s->acc)) {
            st = tp__error(TP_ELIMIT, "%s: a count or sum would overflow", what);
            break;
        }
        d->reach += s->reach;
        d->respondents += s->respondents;
        d->reached += s->reached;
        d->listed |= s->listed;
    }
    for (uint32_t r = 0; st == TP_OK && r < nk; r++) {
        size_t len = tp__ktab_key_len(&src->tab, r);
        key.len = 0;
        if (tp__vec_u32_reserve(&key, len ? len : 1)) {
            st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < len; k++) {
            uint32_t x = tp__ktab_key_at(&src->tab, r, k);
            key.data[key.len++] = kind->key_is_name(&src->tab, r, k) ? map[x] : x;
        }
        if (kind->canonical)
            kind->canonical(key.data, key.len);
        tp__krec *d = tp__ktab_get(&dst->tab, key.data, key.len, &state[r]);
        if (!d)
            st = tp__error(TP_ENOMEM, "out of memory");
        else if (tp__krec_merge(d, &src->tab.rec.data[r]))
            st = tp__error(TP_ELIMIT, "%s: a count or sum would overflow", what);
    }
    for (uint32_t r = 0; st == TP_OK && r < tp__ktab_count(&src->tab2); r++) {
        uint32_t from = tp__ktab_key_at(&src->tab2, r, 0), to = tp__ktab_key_at(&src->tab2, r, 1);
        uint32_t k2[2] = {from == TP__KEY_START ? from : state[from], state[to]};
        tp__krec *d = tp__ktab_get(&dst->tab2, k2, 2, NULL);
        if (!d)
            st = tp__error(TP_ENOMEM, "out of memory");
        else if (tp__krec_merge(d, &src->tab2.rec.data[r]))
            st = tp__error(TP_ELIMIT, "%s: a count or sum would overflow", what);
    }
    tp__vec_u32_free(&key);
    tp__free(map);
    tp__free(state);
    return st;
}

static void swap_in(tp_agg *into, tp_agg *t)
{
    tp_agg old = *into;
    *into = *t;
    *t = old;
}

TP_API tp_status tp_agg_merge(tp_agg *into, const tp_agg *from)
{
    if (!into || !from)
        return tp__error(TP_EINVAL, "tp_agg_merge: %s is NULL", into ? "from" : "into");
    if (into->kind != from->kind)
        return tp__error(TP_EINVAL, "tp_agg_merge: cannot merge a %s aggregate into a %s one",
                         KIND(from->kind)->name, KIND(into->kind)->name);
    tp_agg t;
    tp__agg_init(&t, into->kind);
    tp_status st = merge_into(&t, into, "tp_agg_merge");
    if (st == TP_OK)
        st = merge_into(&t, from, "tp_agg_merge");
    if (st == TP_OK)
        swap_in(into, &t);
    tp__agg_clear(&t);
    return st;
}

/* ---- adding data ---- */

TP_API tp_status tp_agg_add(tp_agg *agg, const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options)
{
    if (!agg)
        return tp__error(TP_EINVAL, "tp_agg_add: agg is NULL");
    const tp__agg_ops *kind = KIND(agg->kind);
    if (!kind->add)
        return tp__error(TP_EINVAL, "tp_agg_add: a %s aggregate takes tp_agg_add_%s()",
                         kind->name, kind->name);
    /* One partition of the data: segment names it lacks are not typos. */
    struct tp_options defaults, part = *tp__options_or_defaults(options, &defaults);
    part.partition = 1;
    tp_agg p;
    tp__agg_init(&p, agg->kind);
    tp_status st = kind->add(&p, events, feedback, filter, &part);
    p.empty = 0;
    if (st == TP_OK)
        st = tp_agg_merge(agg, &p);
    tp__agg_clear(&p);
    return st;
}

TP_API tp_status tp_agg_add_paths(tp_agg *agg, const tp_paths *paths, const tp_options *options)
{
    if (!agg || !paths)
        return tp__error(TP_EINVAL, "tp_agg_add_paths: %s is NULL", agg ? "paths" : "agg");
    if (!KIND(agg->kind)->takes_paths)
        return tp__error(TP_EINVAL, "tp_agg_add_paths: a %s aggregate does not take paths",
                         KIND(agg->kind)->name);
    struct tp_options defaults;
    tp_agg p;
    tp__agg_init(&p, agg->kind);
    tp_status st =
        tp__agg_paths_partial(&p, paths, tp__options_or_defaults(options, &defaults), 0);
    if (st == TP_OK)
        st = tp_agg_merge(agg, &p);
    tp__agg_clear(&p);
    return st;
}

TP_API tp_status tp_agg_add_funnel(tp_agg *agg, const tp_events *events, const tp_funnel *funnel,
                                   const tp_filter *filter, const tp_options *options)
{
    if (!agg || !events || !funnel)
        return tp__error(TP_EINVAL, "tp_agg_add_funnel: %s is NULL",
                         !agg ? "agg" : !events ? "events" : "funnel");
    if (!KIND(agg->kind)->takes_funnel)
        return tp__error(TP_EINVAL, "tp_agg_add_funnel: a %s aggregate does not take a funnel",
                         KIND(agg->kind)->name);
    tp_agg p;
    tp__agg_init(&p, agg->kind);
    tp__view v;
    tp__journey_index ix;
    struct tp_options defaults, part = *tp__options_or_defaults(options, &defaults);
    part.partition = 1;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, &part, "tp_agg_add_funnel");
    if (st == TP_OK) {
        st = tp__agg_catalog_names(&p, v.cat);
        if (st == TP_OK)
            st = tp__funnel_count(&v, &ix, funnel, &p.tab);
        tp__journeys_close(&v, &ix);
    }
    p.param[0] = tp__funnel_print(funnel);
    p.param[1] = tp_funnel_step_count(funnel);
    p.empty = 0;
    if (st == TP_OK)
        st = tp_agg_merge(agg, &p);
    tp__agg_clear(&p);
    return st;
}

/* ---- finalizing ---- */

typedef struct name_order {
    uint32_t id, cat;
    const char *text;
} name_order;

static int name_order_cmp(const void *pa, const void *pb)
{
    const name_order *a = pa, *b = pb;
    if (a->cat != b->cat)
        return a->cat < b->cat ? -1 : 1; /* TP__NONE (not in the catalog) last */
    return strcmp(a->text, b->text);
}

TP_API tp_status tp_agg_finalize(const tp_agg *agg, const tp_catalog *catalog,
                                 const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_agg_finalize: out is NULL");
    *out = NULL;
    if (!agg || !catalog)
        return tp__error(TP_EINVAL, "tp_agg_finalize: %s is NULL", agg ? "catalog" : "agg");
    struct tp_options defaults;
    const struct tp_options *o = tp__options_or_defaults(options, &defaults);
    size_t n = tp__intern_count(&agg->names);
    const char **id = tp__malloc((n ? n : 1) * sizeof *id);
    uint32_t *rank = tp__malloc((n ? n : 1) * sizeof *rank);
    uint32_t *cat = tp__malloc((n ? n : 1) * sizeof *cat);
    name_order *ord = tp__malloc((n ? n : 1) * sizeof *ord);
    tp_status st = id && rank && cat && ord ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; st == TP_OK && i < n; i++) {
        id[i] = tp__intern_str(&agg->names, i);
        if (!tp__intern_find(&catalog->ids, id[i], tp__intern_len(&agg->names, i), &cat[i]))
            cat[i] = TP__NONE;
        ord[i] = (name_order){i, cat[i], id[i]};
    }
    if (st == TP_OK) {
        qsort(ord, n, sizeof *ord, name_order_cmp);
        for (uint32_t k = 0; k < n; k++)
            rank[ord[k].id] = k;
        tp__names nm = {n, id, rank, cat};
        st = KIND(agg->kind)->render(agg, catalog, o, &nm, out);
    }
    tp__free((void *)id);
    tp__free(rank);
    tp__free(cat);
    tp__free(ord);
    return st;
}
