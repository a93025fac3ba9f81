/* Every kind of aggregate in one place: what it records, how a call's data is
 * counted into it, which key ids are names, how a loaded blob is checked, and
 * how it renders. agg.c (merge, add, finalize) and agg_blob.c (the serialized
 * form) are the same code for every kind; they ask tp__agg_ops_of() for the
 * rest. A new kind is one row of ops[] and its functions here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg/agg_internal.h"
#include "analysis/attribution_internal.h"
#include "analysis/counts.h"
#include "analysis/sentiment_internal.h"
#include "core/error.h"

/* ---- counting one call's data ---- */

/* A fingerprint of what a lexicon scores: every term, its kind and value. */
static uint64_t lexicon_print(const tp_lexicon *lex)
{
    uint64_t h = 0x6c6578696361ULL;
    if (!lex) /* the built-in one */
        return h;
    for (uint32_t i = 0; i < tp__intern_count(&lex->terms); i++) {
        h = tp__hash_bytes(tp__intern_str(&lex->terms, i), tp__intern_len(&lex->terms, i), h);
        unsigned char kv[9];
        kv[0] = lex->kind.data[i];
        memcpy(kv + 1, &lex->value.data[i], 8);
        h = tp__hash_bytes(kv, sizeof kv, h);
    }
    return h;
}

static uint64_t knockouts_print(const struct tp_options *o)
{
    uint64_t h = 0x6b6e6f636bULL;
    for (uint32_t i = 0; i < tp__intern_count(&o->knockouts); i++)
        h = tp__hash_bytes(tp__intern_str(&o->knockouts, i), tp__intern_len(&o->knockouts, i) + 1,
                           h);
    return h;
}

tp_status tp__agg_catalog_names(tp_agg *p, const tp_catalog *c)
{
    for (size_t t = 0; t < c->tps.len; t++) {
        uint32_t id;
        const char *s = tp__catalog_id(c, (uint32_t)t);
        if (tp__agg_add_name(p, s, strlen(s), &id))
            return tp__error(TP_ENOMEM, "out of memory");
    }
    return TP_OK;
}

tp_status tp__agg_paths_partial(tp_agg *p, const tp_paths *paths, const struct tp_options *o,
                                int64_t timeout)
{
    for (uint32_t i = 0; i < tp__intern_count(&paths->names); i++) {
        uint32_t id;
        if (tp__agg_add_name(p, tp__intern_str(&paths->names, i), tp__intern_len(&paths->names, i),
                             &id))
            return tp__error(TP_ENOMEM, "out of memory");
    }
    p->param[0] = (uint64_t)timeout;
    p->param[1] = timeout ? (uint64_t)o->credit_conversion : 0;
    if (p->kind == TP_AGG_MARKOV) {
        p->param[2] = (uint64_t)o->order;
        p->param[3] = (uint64_t)o->self_loops;
    }
    p->empty = 0;
    return p->kind == TP_AGG_MARKOV ? tp__markov_count(paths, o, &p->tab, &p->tab2)
                                    : tp__shapley_count(paths, &p->tab);
}

static tp_status add_scorecard(tp_agg *p, const tp_events *events, const tp_feedback *feedback,
                               const tp_filter *filter, const tp_options *options)
{
    tp__view v;
    tp_status st =
        tp__view_open(&v, events, feedback, filter, options,
                      TP__NEED_ACCUMULATE | TP__NEED_RESPONDENTS, "tp_agg_add");
    if (st != TP_OK)
        return st;
    st = tp__agg_catalog_names(p, v.cat);
    if (st == TP_OK)
        st = tp__scorecard_rows(&v, p->sc.data);
    double pass = v.opt->knockout_pass;
    memcpy(&p->param[0], &pass, sizeof pass);
    p->param[1] = knockouts_print(v.opt);
    /* The built-in lexicon by name: a partition without feedback loads none,
     * and must still merge with one that has feedback. */
    p->param[2] = v.opt->lexicon ? lexicon_print(v.opt->lexicon) : lexicon_print(NULL);
    p->has_reach = v.ev != NULL;
    tp__view_close(&v);
    return st;
}

/* Transitions and variants: journeys of the events, counted by @p count. */
static tp_status add_journey_counts(tp_agg *p, const tp_events *events, const tp_feedback *feedback,
                                    const tp_filter *filter, const tp_options *options,
                                    tp_status (*count)(const tp__view *, const tp__journey_index *,
                                                       tp__ktab *))
{
    if (feedback)
        return tp__error(TP_EINVAL, "tp_agg_add: a %s aggregate takes events only",
                         tp__agg_ops_of(p->kind)->name);
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_agg_add");
    if (st != TP_OK)
        return st;
    st = tp__agg_catalog_names(p, v.cat);
    if (st == TP_OK)
        st = count(&v, &ix, &p->tab);
    p->param[0] = (uint64_t)v.opt->timeout;
    p->param[1] = p->kind == TP_AGG_VARIANTS ? (uint64_t)v.opt->collapse : 0;
    tp__journeys_close(&v, &ix);
    return st;
}

static tp_status add_transitions(tp_agg *p, const tp_events *e, const tp_feedback *fb,
                                 const tp_filter *f, const tp_options *o)
{
    return add_journey_counts(p, e, fb, f, o, tp__transitions_count);
}

static tp_status add_variants(tp_agg *p, const tp_events *e, const tp_feedback *fb,
                              const tp_filter *f, const tp_options *o)
{
    return add_journey_counts(p, e, fb, f, o, tp__variants_count);
}

/* Markov and Shapley: the paths of the events' journeys. */
static tp_status add_paths_of_events(tp_agg *p, const tp_events *events,
                                     const tp_feedback *feedback, const tp_filter *filter,
                                     const tp_options *options)
{
    if (feedback || !events)
        return tp__error(TP_EINVAL, "tp_agg_add: a %s aggregate takes events only",
                         tp__agg_ops_of(p->kind)->name);
    struct tp_options defaults;
    const struct tp_options *o = tp__options_or_defaults(options, &defaults);
    tp_paths *paths = NULL;
    tp_status st = tp_paths_from_events(&paths, events, filter, options);
    if (st == TP_OK)
        st = tp__agg_paths_partial(p, paths, o, o->timeout);
    tp_paths_free(paths);
    return st;
}

/* ---- which key ids are names (the rest are markers or numbers) ---- */

static int names_but_markers(const tp__ktab *t, uint32_t r, size_t k)
{
    uint32_t x = tp__ktab_key_at(t, r, k);
    return x != TP__KEY_START && x != TP__KEY_END;
}

/* (STEP, step, name or ANY, flags) or (DELTA, step, ms low, ms high). */
static int funnel_step_name(const tp__ktab *t, uint32_t r, size_t k)
{
    return k == 2 && tp__ktab_key_at(t, r, 0) == TP__KEY_STEP &&
           tp__ktab_key_at(t, r, 2) != TP__KEY_ANY;
}

static int u32_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* A coalition is a set: its ids ascending. */
static void ascending(uint32_t *key, size_t len)
{
    qsort(key, len, sizeof *key, u32_cmp);
}

/* ---- checking what a blob holds ---- */

static const char *names_in_range(const uint32_t *key, size_t k, size_t nn)
{
    if (k == 0)
        return "empty";
    for (size_t i = 0; i < k; i++)
        if (key[i] >= nn)
            return "id out of range";
    return NULL;
}

static const char *key_transition(const tp_agg *a, const uint32_t *key, size_t k, size_t nn)
{
    (void)a;
    if (k != 2)
        return "a transition key has two ids";
    for (size_t i = 0; i < 2; i++)
        if (key[i] >= nn && !(i == 0 && key[i] == TP__KEY_START) &&
            !(i == 1 && key[i] == TP__KEY_END))
            return "id out of range";
    return NULL;
}

static const char *key_variant(const tp_agg *a, const uint32_t *key, size_t k, size_t nn)
{
    (void)a;
    return names_in_range(key, k, nn);
}

static const char *key_markov(const tp_agg *a, const uint32_t *key, size_t k, size_t nn)
{
    (void)a;
    return k > 8 ? "a Markov state holds at most 8 touches" : names_in_range(key, k, nn);
}

static const char *key_coalition(const tp_agg *a, const uint32_t *key, size_t k, size_t nn)
{
    (void)a;
    for (size_t i = 1; i < k; i++)
        if (key[i] <= key[i - 1])
            return "a coalition's ids are not ascending";
    return names_in_range(key, k, nn);
}

static const char *key_funnel(const tp_agg *a, const uint32_t *key, size_t k, size_t nn)
{
    if (k != 4 || (key[0] != TP__KEY_STEP && key[0] != TP__KEY_DELTA))
        return "not a funnel step or time record";
    if (key[1] >= a->param[1])
        return "step out of range";
    /* flags: optional | (event type + 1) << 1; any touchpoint needs a type */
    if (key[0] == TP__KEY_STEP && key[3] == TP__FUNNEL_COUNT_ROW)
        return key[2] == TP__KEY_ANY ? NULL : "a row of an any-order funnel names a touchpoint";
    if (key[0] == TP__KEY_STEP &&
        (key[3] > (TP_EVENT_EXIT + 1) * 2 + 1 ||
         (key[2] >= nn && !(key[2] == TP__KEY_ANY && key[3] >> 1))))
        return "step touchpoint, event type or optional flag out of range";
    return NULL;
}

static const char *record_counted(const uint32_t *key, const tp__krec *rec)
{
    (void)key;
    return rec->n[0] == 0 ? "zero count" : NULL;
}

static const char *record_variant(const uint32_t *key, const tp__krec *rec)
{
    if (rec->n[0] == 0)
        return record_counted(key, rec);
    if (rec->n[1] > rec->n[0] || rec->n[2] > rec->n[0] || !rec->n[2])
        return "conversions or customers do not fit the journeys";
    /* Each conversion's value is within TP_MAX_AMOUNT; no conversion, no value. */
    if (fabs(tp__xsum_get(&rec->x[0])) > TP_MAX_AMOUNT * (double)rec->n[1] * (1 + 1e-12))
        return "value beyond what its conversions can hold";
    return NULL;
}

/* Conversions, value, nulls: conversions and nulls are never negative. */
static const char *record_paths(const uint32_t *key, const tp__krec *rec)
{
    (void)key;
    return tp__xsum_is_negative(&rec->x[0]) || tp__xsum_is_negative(&rec->x[2])
               ? "negative conversions or nulls"
               : NULL;
}

/* A step may have no customers; a time record has some. */
static const char *record_funnel(const uint32_t *key, const tp__krec *rec)
{
    return key[0] == TP__KEY_DELTA && rec->n[0] == 0 ? "zero count" : NULL;
}

/* Whether values of m can all lie in [lo, hi]: the mean inside the scale, the
 * sum of squares at most what values in the scale allow ((x - lo)(hi - x) >= 0
 * for each, so sq <= (lo + hi) sum - lo hi n) and at least what the mean
 * needs (sum^2 <= n sq). The sums are exact; the slack covers only their
 * conversion to double. */
static int moments_fit(const tp__xmoments *m, double lo, double hi)
{
    if (m->n == 0)
        return 1;
    double n = (double)m->n, sum = tp__xsum_get(&m->sum), sq = tp__xsum_get(&m->sq);
    double big = fmax(fabs(lo), fabs(hi)), eps = 1e-12;
    return sum >= lo * n - eps * big * n && sum <= hi * n + eps * big * n &&
           sq <= (lo + hi) * sum - lo * hi * n + eps * big * big * n &&
           sum * sum <= n * sq * (1 + eps) + eps;
}

/* Scorecard rows: every metric's values inside its scale (CES 1-7 with the
 * easy ones 5-7, rating 1-5, sentiment -1 to 1, audit 0-100 with the knocked
 * out visits at 0, every value 0-100 on the common scale). The loader has
 * already checked that parts fit their wholes. */
static int whole_scorecard(const tp_agg *a, const char **field, const char **why)
{
    for (size_t i = 0; i < a->sc.len; i++) {
        const tp__acc *x = &a->sc.data[i].acc;
        const char *bad = NULL;
        if (!moments_fit(&x->ces, 1, 7))
            bad = "ces";
        else if (x->ces.n && (tp__xsum_get(&x->ces.sum) <
                                  (double)x->ces.n + 4.0 * (double)x->ces_easy - 1e-9 * 7 * (double)x->ces.n ||
                              tp__xsum_get(&x->ces.sum) >
                                  4.0 * (double)(x->ces.n - x->ces_easy) + 7.0 * (double)x->ces_easy +
                                      1e-9 * 7 * (double)x->ces.n))
            bad = "ces";
        else if (!moments_fit(&x->rating, 1, 5))
            bad = "rating";
        else if (!moments_fit(&x->sentiment, -1, 1))
            bad = "sentiment";
        else if (!moments_fit(&x->audit, 0, 100) ||
                 tp__xsum_get(&x->audit.sum) >
                     100.0 * (double)(x->audit.n - x->audit_knocked) * (1 + 1e-12))
            bad = "audit";
        else if (!moments_fit(&x->all, 0, 100))
            bad = "all";
        if (bad) {
            *field = bad;
            *why = "values outside the metric's scale";
            return 1;
        }
    }
    return 0;
}

/* Every journey runs (start) -> ... -> (end), so what enters a touchpoint
 * leaves it, and as many journeys end as start. */
static int whole_transitions(const tp_agg *a, const char **field, const char **why)
{
    size_t nn = tp__intern_count(&a->names);
    uint64_t *in = tp__calloc(nn + 1, sizeof *in), *out = tp__calloc(nn + 1, sizeof *out);
    if (!in || !out) {
        tp__free(in);
        tp__free(out);
        return -1;
    }
    int overflow = 0, bad = 0;
    for (uint32_t r = 0; r < tp__ktab_count(&a->tab); r++) {
        uint32_t from = tp__ktab_key_at(&a->tab, r, 0), to = tp__ktab_key_at(&a->tab, r, 1);
        uint64_t c = a->tab.rec.data[r].n[0];
        uint64_t *o = &out[from == TP__KEY_START ? nn : from], *i = &in[to == TP__KEY_END ? nn : to];
        overflow |= c > UINT64_MAX - *o || c > UINT64_MAX - *i;
        *o += c;
        *i += c;
    }
    for (size_t k = 0; !overflow && k <= nn; k++)
        bad |= in[k] != out[k];
    tp__free(in);
    tp__free(out);
    *field = "counts";
    *why = overflow ? "counts overflow"
                    : "a touchpoint's transitions in and out differ (or journeys start and end "
                      "in different numbers)";
    return overflow || bad;
}

/* Markov: what enters a state leaves it (through transitions, conversions or
 * nulls), exactly, and every state is entered: real counts always are, and it
 * keeps the chain's equations well defined. */
static int whole_markov(const tp_agg *a, const char **field, const char **why)
{
    size_t ns = tp__ktab_count(&a->tab), nt = tp__ktab_count(&a->tab2);
    tp__xsum *in = tp__calloc(ns ? ns : 1, sizeof *in), *out = tp__calloc(ns ? ns : 1, sizeof *out);
    int ok = in && out, overflow = 0;
    for (size_t s = 0; ok && s < ns; s++)
        overflow |= tp__xsum_merge(&out[s], &a->tab.rec.data[s].x[0]) ||
                    tp__xsum_merge(&out[s], &a->tab.rec.data[s].x[2]);
    for (uint32_t e = 0; ok && e < nt; e++) {
        uint32_t from = tp__ktab_key_at(&a->tab2, e, 0), to = tp__ktab_key_at(&a->tab2, e, 1);
        const tp__xsum *w = &a->tab2.rec.data[e].x[0];
        overflow |= tp__xsum_merge(&in[to], w);
        if (from != TP__KEY_START)
            overflow |= tp__xsum_merge(&out[from], w);
    }
    int bad_state = -1;
    for (size_t s = 0; ok && !overflow && bad_state < 0 && s < ns; s++)
        if (tp__xsum_is_zero(&in[s]) || memcmp(&in[s], &out[s], sizeof in[s]))
            bad_state = (int)s;
    tp__free(in);
    tp__free(out);
    if (!ok)
        return -1;
    *field = "transitions";
    if (overflow)
        *why = "weights overflow";
    else if (bad_state >= 0)
        *why = "a state's weight in and out differ (or it has none)";
    return overflow || bad_state >= 0;
}

/* A funnel has one step record per step, and no more than 64 steps. */
static int whole_funnel(const tp_agg *a, const char **field, const char **why)
{
    if (a->empty)
        return 0;
    if (a->param[1] == 0 || a->param[1] > 64) {
        *field = "options";
        *why = "a funnel has 1 to 64 steps";
        return 1;
    }
    uint64_t seen = 0;
    *field = "key";
    for (uint32_t i = 0; i < tp__ktab_count(&a->tab); i++) {
        if (tp__ktab_key_at(&a->tab, i, 0) != TP__KEY_STEP)
            continue;
        uint32_t j = tp__ktab_key_at(&a->tab, i, 1);
        if (seen >> j & 1) {
            *why = "a step recorded twice";
            return 1;
        }
        seen |= (uint64_t)1 << j;
    }
    if (seen != (a->param[1] == 64 ? UINT64_MAX : ((uint64_t)1 << a->param[1]) - 1)) {
        *why = "a step without its record";
        return 1;
    }
    /* Every reached step chains back to the first step through the nearest
     * required step before it, so no step has more customers than either;
     * each customer past the first step has one time from the step before. */
    size_t nsteps = (size_t)a->param[1];
    uint64_t customers[64], timed[64] = {0};
    int optional[64];
    for (uint32_t i = 0; i < tp__ktab_count(&a->tab); i++) {
        uint32_t j = tp__ktab_key_at(&a->tab, i, 1);
        uint64_t n = a->tab.rec.data[i].n[0];
        if (tp__ktab_key_at(&a->tab, i, 0) == TP__KEY_STEP) {
            customers[j] = n;
            uint32_t flags = tp__ktab_key_at(&a->tab, i, 3);
            optional[j] = flags != TP__FUNNEL_COUNT_ROW && (flags & 1) != 0;
            continue;
        }
        uint64_t ms = (uint64_t)tp__ktab_key_at(&a->tab, i, 2) |
                      (uint64_t)tp__ktab_key_at(&a->tab, i, 3) << 32;
        if (j == 0 || ms > (uint64_t)INT64_MAX) {
            *why = j == 0 ? "a time for the first step" : "a negative time between steps";
            return 1;
        }
        if (n > UINT64_MAX - timed[j]) {
            *why = "counts overflow";
            return 1;
        }
        timed[j] += n;
    }
    *field = "counts";
    size_t req = 0; /* the nearest required step before j */
    for (size_t j = 1; j < nsteps; j++) {
        if (customers[j] > customers[0] || customers[j] > customers[req]) {
            *why = "a step has more customers than a step before it";
            return 1;
        }
        if (timed[j] != customers[j]) {
            *why = "a step's times do not match its customers";
            return 1;
        }
        if (!optional[j])
            req = j;
    }
    return 0;
}

/* ---- rendering ---- */

static tp_status render_scorecard(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                                  const tp__names *nm, tp_table **out)
{
    return tp__scorecard_render(c, o, nm, a->sc.data, a->has_reach, out);
}

static tp_status render_transitions(const tp_agg *a, const tp_catalog *c,
                                    const struct tp_options *o, const tp__names *nm, tp_table **out)
{
    (void)c;
    return tp__transitions_render(nm, &a->tab, o, out);
}

static tp_status render_variants(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                                 const tp__names *nm, tp_table **out)
{
    (void)c;
    return tp__variants_render(nm, &a->tab, o, out);
}

static tp_status render_funnel(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                               const tp__names *nm, tp_table **out)
{
    (void)c, (void)o;
    return tp__funnel_render(nm, &a->tab, out);
}

static tp_status render_markov(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                               const tp__names *nm, tp_table **out)
{
    (void)c;
    return tp__attribution_counts_table(TP_MODEL_MARKOV, nm->id, nm->n, &a->tab, &a->tab2, o, out);
}

static tp_status render_shapley(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                                const tp__names *nm, tp_table **out)
{
    (void)c;
    return tp__attribution_counts_table(TP_MODEL_SHAPLEY, nm->id, nm->n, &a->tab, &a->tab2, o, out);
}

/* ---- the kinds ---- */

#define P_INT TP__AGG_PARAM_INT
#define P_DOUBLE TP__AGG_PARAM_DOUBLE
#define P_PRINT TP__AGG_PARAM_PRINT

/* "timeout" of markov and shapley is 0 for partials of path sets. */
static const tp__agg_ops ops[] = {
    [TP_AGG_SCORECARD] = {"scorecard",
                          3,
                          {"knockout_pass", "knock-out items", "lexicon"},
                          {P_DOUBLE, P_PRINT, P_PRINT},
                          0,
                          0,
                          0,
                          1,
                          0,
                          0,
                          add_scorecard,
                          NULL,
                          NULL,
                          NULL,
                          NULL,
                          whole_scorecard,
                          render_scorecard},
    [TP_AGG_TRANSITIONS] = {"transitions",
                            1,
                            {"timeout"},
                            {P_INT},
                            1,
                            0,
                            0,
                            0,
                            0,
                            0,
                            add_transitions,
                            names_but_markers,
                            NULL,
                            key_transition,
                            record_counted,
                            whole_transitions,
                            render_transitions},
    [TP_AGG_VARIANTS] = {"variants",
                         2,
                         {"timeout", "collapse"},
                         {P_INT, P_INT},
                         3,
                         1,
                         0,
                         0,
                         0,
                         0,
                         add_variants,
                         names_but_markers,
                         NULL,
                         key_variant,
                         record_variant,
                         NULL,
                         render_variants},
    [TP_AGG_MARKOV] = {"markov",
                       4,
                       {"timeout (0: a path set)", "credit_conversion", "order", "self_loops"},
                       {P_INT, P_INT, P_INT, P_INT},
                       0,
                       3,
                       1,
                       0,
                       1,
                       0,
                       add_paths_of_events,
                       names_but_markers,
                       NULL,
                       key_markov,
                       record_paths,
                       whole_markov,
                       render_markov},
    [TP_AGG_SHAPLEY] = {"shapley",
                        2,
                        {"timeout (0: a path set)", "credit_conversion"},
                        {P_INT, P_INT},
                        0,
                        3,
                        0,
                        0,
                        1,
                        0,
                        add_paths_of_events,
                        names_but_markers,
                        ascending,
                        key_coalition,
                        record_paths,
                        NULL,
                        render_shapley},
    [TP_AGG_FUNNEL] = {"funnel",
                       2,
                       {"funnel definition", "step count"},
                       {P_PRINT, P_INT},
                       1,
                       0,
                       0,
                       0,
                       0,
                       1,
                       NULL,
                       funnel_step_name,
                       NULL,
                       key_funnel,
                       record_funnel,
                       whole_funnel,
                       render_funnel},
};

#define NKINDS (sizeof ops / sizeof ops[0])

int tp__agg_kind_valid(int kind)
{
    return kind > 0 && (size_t)kind < NKINDS && ops[kind].name;
}

const tp__agg_ops *tp__agg_ops_of(tp_agg_kind kind)
{
    return &ops[kind];
}

size_t tp__agg_kind_total(void)
{
    return NKINDS;
}
