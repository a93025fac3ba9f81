/* Attribution: heuristic models, Shapley (exact and simplified), and the
 * tables that report them. The Markov model lives in markov.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution_internal.h"
#include "analysis/words.h"
#include "core/error.h"

enum { SHAPLEY_MAX = 20 };

const char *const tp__model_words[] = {"first",    "last",    "linear",
                                       "time-decay", "position", "markov",
                                       "shapley",  "shapley-simplified", "all", NULL};
#define model_names tp__model_words

TP_API const char *tp_model_name(tp_model model)
{
    return (unsigned)model <= TP_MODEL_ALL ? model_names[model] : "unknown";
}

TP_API tp_status tp_model_parse(const char *name, tp_model *out)
{
    if (!name || !out)
        return tp__error(TP_EINVAL, "tp_model_parse: NULL argument");
    for (int m = 0; m <= TP_MODEL_ALL; m++) {
        const char *n = model_names[m];
        size_t len = strlen(n);
        int same = strlen(name) == len;
        for (size_t i = 0; same && i < len; i++)
            same = name[i] == n[i] || (n[i] == '-' && name[i] == '_');
        if (same) {
            *out = (tp_model)m;
            return TP_OK;
        }
    }
    return tp__error(TP_EINVAL,
                     "unknown attribution model '%.40s' (first, last, linear, time-decay, "
                     "position, markov, shapley, shapley-simplified, all)",
                     name);
}

/* ---- heuristic models: per-touch weights of each converting path ---- */

static void touch_weights(const tp_paths *p, size_t i, tp_model m, const struct tp_options *o,
                          double *w)
{
    size_t b = p->off.data[i], n = p->off.data[i + 1] - b;
    for (size_t k = 0; k < n; k++)
        w[k] = 0.0;
    switch (m) {
    case TP_MODEL_FIRST:
        w[0] = 1.0;
        break;
    case TP_MODEL_LAST:
        w[n - 1] = 1.0;
        break;
    case TP_MODEL_LINEAR:
        for (size_t k = 0; k < n; k++)
            w[k] = 1.0 / (double)n;
        break;
    case TP_MODEL_TIME_DECAY: {
        /* Weights relative to the latest touch, so no term underflows to 0 for all. */
        int64_t dmin = p->dt.data[b];
        for (size_t k = 1; k < n; k++)
            if (p->dt.data[b + k] < dmin)
                dmin = p->dt.data[b + k];
        double sum = 0.0, h = (double)o->half_life;
        for (size_t k = 0; k < n; k++)
            sum += w[k] = exp2(-(double)(p->dt.data[b + k] - dmin) / h);
        for (size_t k = 0; k < n; k++)
            w[k] /= sum;
        break;
    }
    default: /* TP_MODEL_POSITION */
        if (n == 1) {
            w[0] = 1.0;
        } else if (n == 2) {
            double f = o->position_first, l = o->position_last, s = f + l;
            w[0] = s > 0 ? f / s : 0.5;
            w[1] = s > 0 ? l / s : 0.5;
        } else {
            w[0] = o->position_first;
            w[n - 1] = o->position_last;
            double mid = (1.0 - o->position_first - o->position_last) / (double)(n - 2);
            for (size_t k = 1; k + 1 < n; k++)
                w[k] = mid;
        }
        break;
    }
}

static tp_status heuristic(const tp_paths *p, tp_model m, const struct tp_options *o,
                           tp__credit *c)
{
    size_t maxlen = 1;
    for (size_t i = 0; i < tp__paths_n(p); i++)
        if (p->off.data[i + 1] - p->off.data[i] > maxlen)
            maxlen = p->off.data[i + 1] - p->off.data[i];
    double *w = tp__malloc(maxlen * sizeof *w);
    if (!w)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < tp__paths_n(p); i++) {
        double conv = p->conv.data[i], value = p->value.data[i];
        if (conv <= 0.0 && value <= 0.0)
            continue;
        touch_weights(p, i, m, o, w);
        for (size_t t = p->off.data[i], k = 0; t < p->off.data[i + 1]; t++, k++) {
            c->conv[p->touch.data[t]] += conv * w[k];
            c->value[p->touch.data[t]] += value * w[k];
        }
    }
    tp__free(w);
    return TP_OK;
}

/* ---- Shapley ---- */

static int u32_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

static int popcount32(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Shapley value of every player for the game v[mask] over n players. */
static void shapley_values(const double *v, int n, double *phi)
{
    /* weight(s) = s! (n - s - 1)! / n! = 1 / (n * C(n - 1, s)) */
    double weight[SHAPLEY_MAX];
    double binom = 1.0; /* C(n - 1, s) */
    for (int s = 0; s < n; s++) {
        weight[s] = 1.0 / ((double)n * binom);
        binom = binom * (double)(n - 1 - s) / (double)(s + 1);
    }
    uint32_t full = (uint32_t)1 << n;
    for (int i = 0; i < n; i++) {
        uint32_t bit = (uint32_t)1 << i;
        double sum = 0.0;
        for (uint32_t mask = 0; mask < full; mask++)
            if (!(mask & bit))
                sum += weight[popcount32(mask)] * (v[mask | bit] - v[mask]);
        phi[i] = sum;
    }
}

/* Sum over subsets (zeta transform): f[S] = sum of f[T] for T within S. */
static void subset_sums(double *f, int n)
{
    uint32_t full = (uint32_t)1 << n;
    for (int i = 0; i < n; i++)
        for (uint32_t mask = 0; mask < full; mask++)
            if (mask & ((uint32_t)1 << i))
                f[mask] += f[mask ^ ((uint32_t)1 << i)];
}

tp_status tp__shapley_count(const tp_paths *p, tp__ktab *coalitions)
{
    size_t nn = tp__intern_count(&p->names);
    uint32_t *stamp = tp__malloc((nn ? nn : 1) * sizeof *stamp);
    uint32_t *set = tp__malloc((p->touch.len ? p->touch.len : 1) * sizeof *set);
    tp_status st = stamp && set ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (size_t k = 0; st == TP_OK && k < nn; k++)
        stamp[k] = UINT32_MAX;
    for (size_t i = 0; st == TP_OK && i < tp__paths_n(p); i++) {
        size_t n = 0;
        for (size_t t = p->off.data[i]; t < p->off.data[i + 1]; t++)
            if (stamp[p->touch.data[t]] != (uint32_t)i) {
                stamp[p->touch.data[t]] = (uint32_t)i;
                set[n++] = p->touch.data[t];
            }
        qsort(set, n, sizeof *set, u32_cmp);
        tp__krec *r = tp__ktab_get(coalitions, set, n, NULL);
        if (!r)
            st = tp__error(TP_ENOMEM, "out of memory");
        else if (tp__xsum_add(&r->x[0], p->conv.data[i]) ||
                 tp__xsum_add(&r->x[1], p->value.data[i]) ||
                 tp__xsum_add(&r->x[2], p->nulls.data[i]))
            st = tp__error(TP_ELIMIT, "Shapley: a value is beyond the exact-sum range (2^126)");
    }
    tp__free(stamp);
    tp__free(set);
    return st;
}

tp_status tp__shapley_credit(const char *const *names, size_t nn, const tp__ktab *coal,
                             const struct tp_options *o, int simplified, tp__credit *c,
                             double *total_conv, double *total_value)
{
    int rate = o->shapley_value == TP_SHAPLEY_RATE;
    if (!simplified && nn > SHAPLEY_MAX && rate)
        return tp__error(TP_EINVAL,
                         "exact Shapley of the conversion-rate game over %zu touchpoints needs "
                         "2^%zu coalitions; it is limited to %d touchpoints (the conversions "
                         "game has no limit)",
                         nn, nn, SHAPLEY_MAX);
    /* The conversions game over many touchpoints is a sum of unanimity games,
     * one per coalition S with dividend R(S), so each member's exact Shapley
     * value is the sum of R(S) / |S| (Harsanyi), which is also Zhao's
     * simplified form: no 2^n table needed. */
    if (nn > SHAPLEY_MAX)
        simplified = 1;
    uint32_t *id_of, *rank_of;
    const char **text_of;
    tp_status st = tp__rank_names(names, nn, &id_of, &rank_of, &text_of);
    if (st != TP_OK)
        return st;
    size_t nc = tp__ktab_count(coal), total = 0;
    for (uint32_t k = 0; k < nc; k++)
        total += tp__ktab_key_len(coal, k);
    uint32_t *ranks = tp__malloc((total ? total : 1) * sizeof *ranks);
    tp__ranked_key *cs = tp__malloc((nc ? nc : 1) * sizeof *cs);
    size_t full = simplified ? 1 : (size_t)1 << nn;
    double *conv = tp__calloc(full, sizeof *conv), *nulls = tp__calloc(full, sizeof *nulls);
    double *value = tp__calloc(full, sizeof *value), *v = tp__malloc(full * sizeof *v);
    double *phi = tp__malloc((nn ? nn : 1) * sizeof *phi);
    if (!ranks || !cs || !conv || !nulls || !value || !v || !phi) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    tp__xsum tc, tv;
    memset(&tc, 0, sizeof tc);
    memset(&tv, 0, sizeof tv);
    size_t at = 0;
    for (uint32_t k = 0; k < nc; k++) {
        size_t n = tp__ktab_key_len(coal, k);
        for (size_t i = 0; i < n; i++)
            ranks[at + i] = rank_of[tp__ktab_key_at(coal, k, i)];
        qsort(ranks + at, n, sizeof *ranks, u32_cmp);
        cs[k] = (tp__ranked_key){ranks + at, n, k};
        at += n;
        (void)(tp__xsum_merge(&tc, &coal->rec.data[k].x[0]) || /* < 2^32 x 2^126 */
               tp__xsum_merge(&tv, &coal->rec.data[k].x[1]));
    }
    *total_conv = tp__xsum_get(&tc);
    *total_value = tp__xsum_get(&tv);
    qsort(cs, nc, sizeof *cs, tp__ranked_key_cmp);
    if (simplified) {
        for (size_t k = 0; k < nc; k++) {
            const tp__krec *r = &coal->rec.data[cs[k].id];
            double cv = tp__xsum_get(&r->x[0]), val = tp__xsum_get(&r->x[1]);
            if ((cv <= 0.0 && val <= 0.0) || cs[k].len == 0)
                continue;
            for (size_t i = 0; i < cs[k].len; i++) {
                c->conv[id_of[cs[k].seq[i]]] += cv / (double)cs[k].len;
                c->value[id_of[cs[k].seq[i]]] += val / (double)cs[k].len;
            }
        }
        goto done;
    }
    if (nn == 0)
        goto done;
    for (size_t k = 0; k < nc; k++) {
        uint32_t mask = 0;
        for (size_t i = 0; i < cs[k].len; i++)
            mask |= (uint32_t)1 << cs[k].seq[i];
        const tp__krec *r = &coal->rec.data[cs[k].id];
        conv[mask] = tp__xsum_get(&r->x[0]);
        value[mask] = tp__xsum_get(&r->x[1]);
        nulls[mask] = tp__xsum_get(&r->x[2]);
    }
    int n = (int)nn;
    subset_sums(conv, n);
    subset_sums(nulls, n);
    subset_sums(value, n);
    for (int pass = 0; pass < 2; pass++) {
        const double *num = pass == 0 ? conv : value;
        double *dest = pass == 0 ? c->conv : c->value;
        double tot = pass == 0 ? *total_conv : *total_value;
        for (size_t m = 0; m < full; m++) {
            double journeys = conv[m] + nulls[m];
            v[m] = !rate ? num[m] : journeys > 0.0 ? num[m] / journeys : 0.0;
        }
        shapley_values(v, n, phi);
        /* Conversions: the values already sum to the total. A rate game sums to
         * the overall rate; scale it to the total. */
        double scale = !rate ? 1.0 : v[full - 1] != 0.0 ? tot / v[full - 1] : 0.0;
        for (int k = 0; k < n; k++)
            dest[id_of[k]] = phi[k] * scale;
    }
done:
    tp__free(id_of);
    tp__free(rank_of);
    tp__free((void *)text_of);
    tp__free(ranks);
    tp__free(cs);
    tp__free(conv), tp__free(nulls), tp__free(value), tp__free(v), tp__free(phi);
    return st;
}

static tp_status shapley_run(const tp_paths *p, const struct tp_options *o, int simplified,
                             tp__credit *c)
{
    size_t nn = tp__intern_count(&p->names);
    tp__ktab coal;
    tp__ktab_init(&coal);
    const char **names = tp__paths_names(p);
    double tc, tv;
    tp_status st = names ? tp__shapley_count(p, &coal) : TP_ENOMEM;
    if (st == TP_OK)
        st = tp__shapley_credit(names, nn, &coal, o, simplified, c, &tc, &tv);
    tp__free((void *)names);
    tp__ktab_free(&coal);
    return st;
}

/* ---- running models and reporting ---- */

static tp_status check_options(const tp_paths *p, tp_model m, const struct tp_options *o)
{
    if (m == TP_MODEL_POSITION && o->position_first + o->position_last > 1.0 + 1e-12)
        return tp__error(TP_EINVAL,
                         "position-based shares: first (%g) + last (%g) exceed 1",
                         o->position_first, o->position_last);
    if (m == TP_MODEL_TIME_DECAY && !p->has_times)
        return tp__error(TP_EINVAL,
                         "time-decay needs touch times: build the paths from events "
                         "(path aggregates carry none)");
    return TP_OK;
}

/* Whether TP_MODEL_ALL includes model m for these paths. */
static int model_applies(const tp_paths *p, tp_model m, const struct tp_options *o)
{
    if (m == TP_MODEL_TIME_DECAY)
        return p->has_times;
    if (m == TP_MODEL_SHAPLEY)
        return tp__intern_count(&p->names) <= SHAPLEY_MAX || o->shapley_value != TP_SHAPLEY_RATE;
    return 1;
}

/* Credit within 1e-9 of the total is below what the solvers resolve (a
 * Markov solve leaves -8.4e-13 conversions where the exact credit is 0): it
 * is 0, so no table shows float noise as credit. */
static void credit_denoise(double *credit, size_t nn)
{
    double total = 0;
    for (size_t k = 0; k < nn; k++)
        total += fabs(credit[k]);
    for (size_t k = 0; k < nn; k++)
        if (fabs(credit[k]) < 1e-9 * total)
            credit[k] = 0;
}

static tp_status run_model_raw(const tp_paths *p, tp_model m, const struct tp_options *o,
                               tp__credit *c);

static tp_status run_model(const tp_paths *p, tp_model m, const struct tp_options *o,
                           tp__credit *c)
{
    tp_status st = run_model_raw(p, m, o, c);
    size_t nn = tp__intern_count(&p->names);
    if (st == TP_OK) {
        credit_denoise(c->conv, nn);
        credit_denoise(c->value, nn);
    }
    return st;
}

static tp_status run_model_raw(const tp_paths *p, tp_model m, const struct tp_options *o,
                               tp__credit *c)
{
    size_t nn = tp__intern_count(&p->names);
    memset(c->conv, 0, nn * sizeof *c->conv);
    memset(c->value, 0, nn * sizeof *c->value);
    c->effect = c->value_effect = NULL;
    tp_status st = check_options(p, m, o);
    if (st != TP_OK)
        return st;
    switch (m) {
    case TP_MODEL_MARKOV:
        c->effect = c->value + nn;
        c->value_effect = c->effect + nn;
        return tp__markov_attribute(p, o, c);
    case TP_MODEL_SHAPLEY:
        return shapley_run(p, o, 0, c);
    case TP_MODEL_SHAPLEY_SIMPLIFIED:
        return shapley_run(p, o, 1, c);
    default:
        return heuristic(p, m, o, c);
    }
}

typedef struct ranked {
    uint32_t id;
    double conv;
    const char *name;
} ranked;

static int by_conv_then_name(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->conv != b->conv)
        return a->conv > b->conv ? -1 : 1;
    return strcmp(a->name, b->name);
}


/* Credit arrays for nn names: conv, value, effect, value_effect back to back. */
static double *credit_alloc(size_t nn, tp__credit *c)
{
    double *mem = tp__calloc(4 * (nn ? nn : 1), sizeof *mem);
    c->conv = mem;
    c->value = mem ? mem + nn : NULL;
    return mem;
}

enum { AT_MODEL, AT_TOUCHPOINT, AT_CONV, AT_VALUE, AT_SHARE, AT_EFFECT, AT_VEFFECT };

static const tp__col attribution_cols[] = {
    {"model", TP_TYPE_STRING},  {"touchpoint", TP_TYPE_STRING},
    {"conversions", TP_TYPE_DOUBLE}, {"value", TP_TYPE_DOUBLE},
    {"share", TP_TYPE_DOUBLE},  {"removal_effect", TP_TYPE_DOUBLE},
    {"value_removal_effect", TP_TYPE_DOUBLE}};

/* One model's rows: by conversions descending, then touchpoint name. */
static void attribution_rows(tp__rb *b, const char *model, const char *const *names, size_t nn,
                             const tp__credit *c, double total_conv)
{
    ranked *rank = tp__malloc((nn ? nn : 1) * sizeof *rank);
    if (!rank) {
        if (b->st == TP_OK)
            b->st = tp__error(TP_ENOMEM, "out of memory");
        return;
    }
    for (size_t k = 0; k < nn; k++)
        rank[k] = (ranked){(uint32_t)k, c->conv[k], names[k]};
    qsort(rank, nn, sizeof *rank, by_conv_then_name);
    for (size_t r = 0; r < nn; r++) {
        uint32_t k = rank[r].id;
        tp__rb_row(b);
        tp__rb_str(b, AT_MODEL, model);
        tp__rb_str(b, AT_TOUCHPOINT, rank[r].name);
        tp__rb_f64(b, AT_CONV, c->conv[k]);
        tp__rb_f64(b, AT_VALUE, c->value[k]);
        tp__rb_f64(b, AT_SHARE, total_conv > 0 ? c->conv[k] / total_conv : NAN);
        tp__rb_f64(b, AT_EFFECT, c->effect ? c->effect[k] : NAN);
        tp__rb_f64(b, AT_VEFFECT, c->value_effect ? c->value_effect[k] : NAN);
    }
    tp__free(rank);
}

tp_status tp__attribution_counts_table(tp_model model, const char *const *names, size_t nn,
                                       const tp__ktab *t1, const tp__ktab *t2,
                                       const struct tp_options *o, tp_table **out)
{
    tp__credit c;
    double *mem = credit_alloc(nn, &c), tc = 0.0, tv = 0.0;
    if (!mem)
        return tp__error(TP_ENOMEM, "out of memory");
    c.effect = c.value_effect = NULL;
    tp_status st;
    if (model == TP_MODEL_MARKOV) {
        c.effect = c.value + nn;
        c.value_effect = c.effect + nn;
        st = tp__markov_credit(names, nn, t1, t2, o, &c, &tc, &tv);
    } else {
        st = tp__shapley_credit(names, nn, t1, o, 0, &c, &tc, &tv);
    }
    if (st == TP_OK) {
        tp__rb b;
        tp__rb_begin(&b, attribution_cols, TP__NCOLS(attribution_cols));
        attribution_rows(&b, model_names[model], names, nn, &c, tc);
        st = tp__rb_finish(&b, out);
    }
    tp__free(mem);
    return st;
}

/* Why an attribution table has no rows: no path, or no touchpoint on any. */
static const char *tp__paths_why_none(const tp_paths *p)
{
    return tp__paths_n(p) ? "no touchpoints: every path is empty"
                          : "no paths: the path set is empty (from events: no journey passed the "
                            "filter)";
}

TP_API tp_status tp_attribute(const tp_paths *p, tp_model model, const tp_options *options,
                              tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_attribute: out is NULL");
    *out = NULL;
    if (!p || (unsigned)model > TP_MODEL_ALL)
        return tp__error(TP_EINVAL, "tp_attribute: %s", p ? "unknown model" : "paths is NULL");
    struct tp_options defaults;
    const struct tp_options *o = tp__options_or_defaults(options, &defaults);
    size_t nn = tp__intern_count(&p->names);
    tp__credit c;
    double *mem = credit_alloc(nn, &c);
    const char **names = tp__paths_names(p);
    if (!mem || !names) {
        tp__free(mem);
        tp__free((void *)names);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    /* shares of the exact total, as the aggregates compute it */
    tp__xsum exact;
    memset(&exact, 0, sizeof exact);
    int beyond = 0; /* cannot happen with accepted amounts (TP_MAX_AMOUNT): refused if it does */
    for (size_t i = 0; i < tp__paths_n(p); i++)
        beyond |= tp__xsum_add(&exact, p->conv.data[i]);
    if (beyond) {
        tp__free(mem);
        tp__free((void *)names);
        return tp__error(TP_ELIMIT, "attribution: conversions beyond the exact-sum range");
    }
    double total_conv = tp__xsum_get(&exact);
    tp__rb b;
    tp__rb_begin(&b, attribution_cols, TP__NCOLS(attribution_cols));
    tp_status st = TP_OK;
    tp_model first = model == TP_MODEL_ALL ? TP_MODEL_FIRST : model;
    tp_model last = model == TP_MODEL_ALL ? TP_MODEL_SHAPLEY_SIMPLIFIED : model;
    for (int m = (int)first; m <= (int)last && st == TP_OK; m++) {
        if (model == TP_MODEL_ALL && !model_applies(p, (tp_model)m, o))
            continue;
        if ((st = run_model(p, (tp_model)m, o, &c)) != TP_OK)
            break;
        attribution_rows(&b, model_names[m], names, nn, &c, total_conv);
    }
    if (st == TP_OK)
        st = tp__note_if_empty(tp__rb_finish(&b, out), out, tp__paths_why_none(p));
    else
        tp_table_free(b.t);
    tp__free(mem);
    tp__free((void *)names);
    return st;
}

TP_API tp_status tp_attribution_compare(const tp_paths *p, const tp_options *options,
                                        tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_attribution_compare: out is NULL");
    *out = NULL;
    if (!p)
        return tp__error(TP_EINVAL, "tp_attribution_compare: paths is NULL");
    struct tp_options defaults;
    const struct tp_options *o = tp__options_or_defaults(options, &defaults);
    size_t nn = tp__intern_count(&p->names);
    enum { NMODELS = TP_MODEL_SHAPLEY_SIMPLIFIED + 1 };
    tp__credit c;
    double *mem = credit_alloc(nn, &c);
    double *all = tp__malloc((nn ? nn : 1) * NMODELS * sizeof *all);
    ranked *rank = tp__malloc((nn ? nn : 1) * sizeof *rank);
    tp_status st = mem && all && rank ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (int m = 0; m < NMODELS && st == TP_OK; m++) {
        int applies = model_applies(p, (tp_model)m, o);
        if (applies && (st = run_model(p, (tp_model)m, o, &c)) != TP_OK)
            break;
        for (size_t k = 0; k < nn; k++)
            all[(size_t)m * nn + k] = applies ? c.conv[k] : NAN;
    }
    if (st == TP_OK) {
        /* largest credit first: the mean over the models that apply */
        for (size_t k = 0; k < nn; k++) {
            double sum = 0;
            int n = 0;
            for (int m = 0; m < NMODELS; m++)
                if (!isnan(all[(size_t)m * nn + k])) {
                    sum += all[(size_t)m * nn + k];
                    n++;
                }
            rank[k] = (ranked){(uint32_t)k, n ? sum / n : 0, tp__intern_str(&p->names, (uint32_t)k)};
        }
        qsort(rank, nn, sizeof *rank, by_conv_then_name);
        tp__rb b;
        tp__rb_begin(&b, NULL, 0);
        tp__rb_column(&b, "touchpoint", TP_TYPE_STRING);
        for (int m = 0; m < NMODELS; m++) {
            char name[32];
            size_t len = strlen(model_names[m]);
            for (size_t i = 0; i <= len; i++)
                name[i] = model_names[m][i] == '-' ? '_' : model_names[m][i];
            tp__rb_column(&b, name, TP_TYPE_DOUBLE);
        }
        for (size_t r = 0; r < nn; r++) {
            tp__rb_row(&b);
            tp__rb_str(&b, 0, rank[r].name);
            for (int m = 0; m < NMODELS; m++)
                tp__rb_f64(&b, (size_t)m + 1, all[(size_t)m * nn + rank[r].id]);
        }
        st = tp__note_if_empty(tp__rb_finish(&b, out), out, tp__paths_why_none(p));
    }
    tp__free(mem);
    tp__free(all);
    tp__free(rank);
    return st;
}

TP_API tp_status tp_markov_chain(const tp_paths *p, const tp_options *options, tp_table **out,
                                 double *p_conversion)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_markov_chain: out is NULL");
    *out = NULL;
    if (!p)
        return tp__error(TP_EINVAL, "tp_markov_chain: paths is NULL");
    struct tp_options defaults;
    return tp__markov_table(p, tp__options_or_defaults(options, &defaults), out, p_conversion);
}
