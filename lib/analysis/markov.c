/* Markov attribution of order k, solved exactly.
 *
 * States are windows of k consecutive touches (a path of k or fewer touches is
 * one state); start, conversion and null absorb. With Q the transient part of
 * the transition matrix and r the one-step conversion probabilities, the
 * absorption probabilities x solve (I - Q) x = r, and P(conversion) is the
 * start distribution applied to x. Removing a touchpoint removes every state
 * that holds it: its incoming probability flows to null, which is the same as
 * solving the system restricted to the states that remain.
 *
 * I - Q is sparse (a state has as many successors as distinct next touches)
 * and non-singular (every state lies on a path that ends absorbed). KLU
 * (SuiteSparse) factorizes it: a BTF pre-ordering splits it into strongly
 * connected blocks and AMD orders each block, so a chain that is mostly
 * acyclic costs little more than its non-zeros. We factorize n + 1 systems
 * (full chain, and one per touchpoint), each with two right-hand sides
 * (conversions and value).
 *
 * Counting and solving are separate steps: the counts (states and transitions
 * with exact weights) are a mergeable partial aggregate, and the chain is built
 * from them in a canonical order (touchpoints by name, states by their
 * touchpoints), so the same counts always give the same bits, however they
 * were gathered. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/klu.h>

#include "analysis/attribution_internal.h"
#include "analysis/counts.h"
#include "core/error.h"
#include "core/par.h"
#include "core/strbuf.h"

#define START_STATE UINT32_MAX
#define CONV_STATE (UINT32_MAX - 1)
#define NULL_STATE (UINT32_MAX - 2)

typedef struct edge {
    uint32_t from, to;
    double w;
} edge;

typedef struct chain {
    tp__intern states;         /* key: the state's touches as name ranks (raw uint32 bytes) */
    const char *const *label;  /* name text by rank */
    edge *edges;       /* transient -> anything, sorted by (to, from); start edges excluded */
    size_t nedges;
    double *start;     /* per state: weight of start -> state */
    double *out;       /* per state: total outgoing weight */
    double *conv;      /* per state: weight into conversion */
    double *value;     /* per state: conversion value leaving through it */
    double *nulls;     /* per state: weight into null */
    double start_total;
} chain;

static void chain_free(chain *c)
{
    tp__intern_free(&c->states);
    tp__free(c->edges);
    tp__free(c->start);
    tp__free(c->out);
    tp__free(c->conv);
    tp__free(c->value);
    tp__free(c->nulls);
    memset(c, 0, sizeof *c);
}

static size_t state_len(const chain *c, uint32_t s)
{
    return tp__intern_len(&c->states, s) / sizeof(uint32_t);
}

static uint32_t state_touch(const chain *c, uint32_t s, size_t i)
{
    uint32_t t;
    memcpy(&t, tp__intern_str(&c->states, s) + i * sizeof t, sizeof t);
    return t;
}

static int edge_cmp(const void *pa, const void *pb)
{
    const edge *a = pa, *b = pb;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return a->from < b->from ? -1 : a->from > b->from;
}

static tp_status exact_range(void)
{
    return tp__error(TP_ELIMIT, "Markov chain: a weight or value is beyond the exact-sum range "
                                "(2^126)");
}

tp_status tp__markov_count(const tp_paths *p, const struct tp_options *o, tp__ktab *states,
                           tp__ktab *edges)
{
    size_t k = (size_t)o->order;
    int self_loops = o->self_loops != 0;
    for (size_t i = 0; i < tp__paths_n(p); i++) {
        double w = p->conv.data[i] + p->nulls.data[i];
        if (!(w > 0.0))
            continue;
        const uint32_t *t = p->touch.data + p->off.data[i];
        size_t n = p->off.data[i + 1] - p->off.data[i];
        size_t nwin = n <= k ? 1 : n - k + 1, wlen = n <= k ? n : k;
        uint32_t prev = TP__KEY_START, s;
        for (size_t j = 0; j < nwin; j++) {
            if (!tp__ktab_get(states, t + j, wlen, &s))
                return tp__error(TP_ENOMEM, "out of memory");
            if (s == prev && !self_loops)
                continue;
            uint32_t key[2] = {prev, s};
            tp__krec *e = tp__ktab_get(edges, key, 2, NULL);
            if (!e)
                return tp__error(TP_ENOMEM, "out of memory");
            /* conversions and nulls added apart: the weight is their exact sum,
             * so what enters a state equals what leaves it, bit for bit */
            if (tp__xsum_add(&e->x[0], p->conv.data[i]) || tp__xsum_add(&e->x[0], p->nulls.data[i]))
                return exact_range();
            prev = s;
        }
        tp__krec *r = &states->rec.data[prev];
        if (tp__xsum_add(&r->x[0], p->conv.data[i]) || tp__xsum_add(&r->x[1], p->value.data[i]) ||
            tp__xsum_add(&r->x[2], p->nulls.data[i]))
            return exact_range();
    }
    return TP_OK;
}

int tp__ranked_key_cmp(const void *pa, const void *pb)
{
    const tp__ranked_key *a = pa, *b = pb;
    for (size_t i = 0; i < a->len && i < b->len; i++)
        if (a->seq[i] != b->seq[i])
            return a->seq[i] < b->seq[i] ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

typedef struct name_rank {
    const char *text;
    uint32_t id;
} name_rank;

static int name_rank_cmp(const void *pa, const void *pb)
{
    const name_rank *a = pa, *b = pb;
    int c = strcmp(a->text, b->text);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Names ordered by text: id_of[rank], rank_of[id], text_of[rank]. */
tp_status tp__rank_names(const char *const *names, size_t nn, uint32_t **id_of,
                         uint32_t **rank_of, const char ***text_of)
{
    name_rank *nr = tp__malloc((nn ? nn : 1) * sizeof *nr);
    *id_of = tp__malloc((nn ? nn : 1) * sizeof **id_of);
    *rank_of = tp__malloc((nn ? nn : 1) * sizeof **rank_of);
    *text_of = tp__malloc((nn ? nn : 1) * sizeof **text_of);
    if (!nr || !*id_of || !*rank_of || !*text_of) {
        tp__free(nr);
        tp__free(*id_of);
        tp__free(*rank_of);
        tp__free((void *)*text_of);
        *id_of = *rank_of = NULL;
        *text_of = NULL;
        return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nn; i++)
        nr[i] = (name_rank){names[i], (uint32_t)i};
    qsort(nr, nn, sizeof *nr, name_rank_cmp);
    for (size_t r = 0; r < nn; r++) {
        (*id_of)[r] = nr[r].id;
        (*rank_of)[nr[r].id] = (uint32_t)r;
        (*text_of)[r] = nr[r].text;
    }
    tp__free(nr);
    return TP_OK;
}

/* The chain of the counts in canonical order (states by their touchpoints'
 * ranks); label must hold the names by rank and outlive the chain. */
static tp_status chain_build(const uint32_t *rank_of, const char *const *label,
                             const tp__ktab *states, const tp__ktab *edges, chain *c)
{
    memset(c, 0, sizeof *c);
    tp__intern_init(&c->states);
    c->label = label;
    size_t ns = tp__ktab_count(states), ne = tp__ktab_count(edges), total = 0;
    for (uint32_t s = 0; s < ns; s++)
        total += tp__ktab_key_len(states, s);
    uint32_t *seq = tp__malloc((total ? total : 1) * sizeof *seq);
    tp__ranked_key *rs = tp__malloc((ns ? ns : 1) * sizeof *rs);
    uint32_t *newid = tp__malloc((ns ? ns : 1) * sizeof *newid);
    c->start = tp__calloc(ns ? ns : 1, sizeof *c->start);
    c->out = tp__calloc(ns ? ns : 1, sizeof *c->out);
    c->conv = tp__malloc((ns ? ns : 1) * sizeof *c->conv);
    c->value = tp__malloc((ns ? ns : 1) * sizeof *c->value);
    c->nulls = tp__malloc((ns ? ns : 1) * sizeof *c->nulls);
    c->edges = tp__malloc((ne ? ne : 1) * sizeof *c->edges);
    tp_status st = TP_OK;
    if (!seq || !rs || !newid || !c->start || !c->out || !c->conv || !c->value || !c->nulls ||
        !c->edges) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    size_t at = 0;
    for (uint32_t s = 0; s < ns; s++) {
        size_t len = tp__ktab_key_len(states, s);
        for (size_t i = 0; i < len; i++)
            seq[at + i] = rank_of[tp__ktab_key_at(states, s, i)];
        rs[s] = (tp__ranked_key){seq + at, len, s};
        at += len;
    }
    qsort(rs, ns, sizeof *rs, tp__ranked_key_cmp);
    for (uint32_t k = 0; k < ns; k++) {
        uint32_t id;
        if (tp__intern_put(&c->states, (const char *)rs[k].seq, rs[k].len * sizeof *seq, &id)) {
            st = tp__error(TP_ENOMEM, "out of memory");
            goto done;
        }
        const tp__krec *r = &states->rec.data[rs[k].id];
        newid[rs[k].id] = id;
        c->conv[id] = tp__xsum_get(&r->x[0]);
        c->value[id] = tp__xsum_get(&r->x[1]);
        c->nulls[id] = tp__xsum_get(&r->x[2]);
    }
    for (uint32_t e = 0; e < ne; e++) {
        uint32_t from = tp__ktab_key_at(edges, e, 0), to = newid[tp__ktab_key_at(edges, e, 1)];
        double w = tp__xsum_get(&edges->rec.data[e].x[0]);
        if (from == TP__KEY_START)
            c->start[to] = w;
        else
            c->edges[c->nedges++] = (edge){newid[from], to, w};
    }
    qsort(c->edges, c->nedges, sizeof *c->edges, edge_cmp);
    for (size_t e = 0; e < c->nedges; e++)
        c->out[c->edges[e].from] += c->edges[e].w;
    for (size_t s = 0; s < ns; s++) {
        c->out[s] += c->conv[s] + c->nulls[s];
        c->start_total += c->start[s];
    }
done:
    tp__free(seq);
    tp__free(rs);
    tp__free(newid);
    if (st != TP_OK)
        chain_free(c);
    return st;
}

/* Chains with more kept states than this are solved by iteration first. */
size_t tp__markov_direct_max = 2048;
_Atomic unsigned long tp__markov_iterated;

/* Most sweeps of the iteration before it gives way to the direct solve: paths
 * end (convert or not) within a few touches, so their chains shed a good part
 * of their mass every sweep and need a few hundred; chains that cycle longer
 * are left to KLU. */
#define ITERATION_MAX 2000

/* P(conversion) and value by following the start distribution through the
 * chain: v_0 = start, v_{k+1} = v_k Q, P = sum_k v_k b. Self-loops are folded
 * in exactly (a state that returns to itself with probability q leaves with its
 * other transitions scaled by 1 / (1 - q)), which removes the slowest modes of
 * chains of repeated touches. Each sweep reads the edges once, in (to, from)
 * order, so the work is O(transitions) per sweep and memory O(states); the mass
 * still in the chain bounds what is left to add, and the sweeps stop when that
 * is below 2^-60 of the result (or returns 1 when that takes more than
 * ITERATION_MAX sweeps: the caller then solves directly). Deterministic: the
 * same chain gives the same sums in the same order. */
static int chain_iterate(const chain *c, const uint8_t *keep, double *p_conv, double *p_value,
                         tp_status *st)
{
    size_t ns = tp__intern_count(&c->states);
    double *v = tp__calloc(ns, sizeof *v), *next = tp__malloc(ns * sizeof *next);
    double *leave = tp__malloc(ns * sizeof *leave); /* outgoing weight without the self-loop */
    *st = TP_OK;
    if (!v || !next || !leave) {
        tp__free(v);
        tp__free(next);
        tp__free(leave);
        *st = tp__error(TP_ENOMEM, "out of memory");
        return 0;
    }
    for (size_t s = 0; s < ns; s++)
        leave[s] = c->out[s];
    for (size_t e = 0; e < c->nedges; e++)
        if (c->edges[e].from == c->edges[e].to)
            leave[c->edges[e].from] -= c->edges[e].w;
    double bc_max = 0.0, bv_max = 0.0;
    for (size_t s = 0; s < ns; s++) {
        int on = (!keep || keep[s]) && leave[s] > 0.0;
        v[s] = on ? c->start[s] / c->start_total : 0.0;
        if (on && c->conv[s] / leave[s] > bc_max)
            bc_max = c->conv[s] / leave[s];
        if (on && c->value[s] / leave[s] > bv_max)
            bv_max = c->value[s] / leave[s];
        if (!on)
            leave[s] = 0.0; /* marks a state that absorbs nothing and passes nothing on */
    }
    double pc = 0.0, pv = 0.0;
    int done = 0;
    for (int sweep = 0; sweep < ITERATION_MAX && !done; sweep++) {
        double mass = 0.0;
        for (size_t s = 0; s < ns; s++) {
            if (v[s] != 0.0) {
                pc += v[s] * (c->conv[s] / leave[s]);
                pv += v[s] * (c->value[s] / leave[s]);
            }
            next[s] = 0.0;
        }
        for (size_t e = 0; e < c->nedges; e++) {
            const edge *ed = &c->edges[e];
            if (ed->from != ed->to && v[ed->from] != 0.0 && leave[ed->to] > 0.0)
                next[ed->to] += v[ed->from] * (ed->w / leave[ed->from]);
        }
        for (size_t s = 0; s < ns; s++)
            mass += next[s];
        double *t = v;
        v = next;
        next = t;
        done = mass < 0x1p-1000 ||
               (mass * bc_max <= 0x1p-60 * pc && mass * bv_max <= 0x1p-60 * pv);
    }
    tp__free(v);
    tp__free(next);
    tp__free(leave);
    if (!done)
        return 1;
    tp__markov_iterated++;
    *p_conv = pc;
    *p_value = pv;
    return 0;
}

/* P(conversion) and expected value from the start, over the states with
 * keep[s] set (all when keep is NULL). */
static tp_status chain_solve(const chain *c, const uint8_t *keep, double *p_conv, double *p_value)
{
    size_t ns = tp__intern_count(&c->states);
    *p_conv = *p_value = 0.0;
    if (ns == 0 || !(c->start_total > 0.0))
        return TP_OK;
    size_t kept = 0;
    for (size_t s = 0; s < ns; s++)
        kept += !keep || keep[s];
    if (kept > tp__markov_direct_max) {
        tp_status st;
        if (!chain_iterate(c, keep, p_conv, p_value, &st))
            return st;
        *p_conv = *p_value = 0.0;
    }
    int *idx = tp__malloc(ns * sizeof *idx);
    int *Ap = tp__calloc(ns + 1, sizeof *Ap);
    int *Ai = tp__malloc((c->nedges + ns) * sizeof *Ai);
    double *Ax = tp__malloc((c->nedges + ns) * sizeof *Ax);
    double *B = tp__malloc(2 * ns * sizeof *B);
    tp_status st = TP_OK;
    if (!idx || !Ap || !Ai || !Ax || !B) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    int m = 0;
    for (size_t s = 0; s < ns; s++)
        idx[s] = !keep || keep[s] ? m++ : -1;
    if (m == 0)
        goto done;
    /* Column j of I - Q: -P(i -> j) for kept i, plus 1 on the diagonal. The
     * edges are sorted by (to, from), i.e. by column, then row. */
    size_t e = 0, nz = 0;
    for (size_t s = 0; s < ns; s++) {
        int col = idx[s];
        int diag_done = 0;
        while (e < c->nedges && c->edges[e].to < s)
            e++;
        if (col >= 0) {
            for (; e < c->nedges && c->edges[e].to == s; e++) {
                int row = idx[c->edges[e].from];
                if (row < 0)
                    continue;
                double q = c->edges[e].w / c->out[c->edges[e].from];
                if (row == col) {
                    Ai[nz] = row;
                    Ax[nz++] = 1.0 - q;
                    diag_done = 1;
                } else {
                    Ai[nz] = row;
                    Ax[nz++] = -q;
                }
            }
            if (!diag_done) {
                Ai[nz] = col;
                Ax[nz++] = 1.0;
            }
            Ap[col + 1] = (int)nz;
            B[col] = c->conv[s] / c->out[s];
            B[(size_t)m + (size_t)col] = c->value[s] / c->out[s];
        }
    }
    klu_common common;
    klu_defaults(&common);
    klu_symbolic *sym = klu_analyze(m, Ap, Ai, &common);
    klu_numeric *num = sym ? klu_factor(Ap, Ai, Ax, sym, &common) : NULL;
    if (!num || !klu_solve(sym, num, m, 2, B, &common)) {
        st = common.status == KLU_OUT_OF_MEMORY
                 ? tp__error(TP_ENOMEM, "out of memory in the sparse solver")
                 : tp__error(TP_EINVAL, "Markov chain: the sparse solver failed (KLU status %d)",
                             common.status);
    } else {
        double pc = 0.0, pv = 0.0;
        for (size_t s = 0; s < ns; s++)
            if (idx[s] >= 0) {
                pc += c->start[s] * B[idx[s]];
                pv += c->start[s] * B[(size_t)m + (size_t)idx[s]];
            }
        *p_conv = pc / c->start_total;
        *p_value = pv / c->start_total;
    }
    klu_free_numeric(&num, &common);
    klu_free_symbolic(&sym, &common);
done:
    tp__free(idx);
    tp__free(Ap);
    tp__free(Ai);
    tp__free(Ax);
    tp__free(B);
    return st;
}

/* One removal: the chain without the states that hold touchpoint rank ch. */
typedef struct removal {
    const chain *c;
    const uint32_t *id_of;
    double base_conv, base_value;
    tp__credit *out;
} removal;

static tp_status remove_one(void *ctx, size_t ch)
{
    const removal *r = ctx;
    size_t ns = tp__intern_count(&r->c->states);
    uint8_t *keep = tp__malloc(ns ? ns : 1);
    if (!keep)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t s = 0; s < ns; s++) {
        keep[s] = 1;
        for (size_t i = 0; i < state_len(r->c, (uint32_t)s); i++)
            if (state_touch(r->c, (uint32_t)s, i) == ch)
                keep[s] = 0;
    }
    double pc, pv;
    tp_status st = chain_solve(r->c, keep, &pc, &pv);
    tp__free(keep);
    if (st != TP_OK)
        return st;
    uint32_t id = r->id_of[ch];
    r->out->effect[id] = r->base_conv > 0.0 ? 1.0 - pc / r->base_conv : 0.0;
    r->out->value_effect[id] = r->base_value > 0.0 ? 1.0 - pv / r->base_value : 0.0;
    return TP_OK;
}

tp_status tp__markov_credit(const char *const *names, size_t nn, const tp__ktab *states,
                            const tp__ktab *edges, int threads, tp__credit *out,
                            double *total_conv, double *total_value)
{
    uint32_t *id_of, *rank_of;
    const char **text_of;
    tp_status st = tp__rank_names(names, nn, &id_of, &rank_of, &text_of);
    if (st != TP_OK)
        return st;
    chain c;
    st = chain_build(rank_of, text_of, states, edges, &c);
    if (st != TP_OK)
        goto done_names;
    double base_conv = 0.0, base_value = 0.0;
    st = chain_solve(&c, NULL, &base_conv, &base_value);
    out->p_conversion = base_conv;
    tp__xsum tc, tv;
    memset(&tc, 0, sizeof tc);
    memset(&tv, 0, sizeof tv);
    for (size_t s = 0; s < tp__ktab_count(states); s++) /* cannot overflow: < 2^32 x 2^126 */
        (void)(tp__xsum_merge(&tc, &states->rec.data[s].x[0]) ||
               tp__xsum_merge(&tv, &states->rec.data[s].x[1]));
    *total_conv = tp__xsum_get(&tc);
    *total_value = tp__xsum_get(&tv);
    /* the removals are independent systems: one per touchpoint, in parallel
     * when asked; the sums below run in rank order whatever the threads did */
    removal r = {&c, id_of, base_conv, base_value, out};
    if (st == TP_OK)
        st = tp__parallel_for(nn, threads, remove_one, &r);
    double sum_e = 0.0, sum_v = 0.0;
    for (uint32_t ch = 0; ch < nn && st == TP_OK; ch++) {
        sum_e += out->effect[id_of[ch]];
        sum_v += out->value_effect[id_of[ch]];
    }
    for (size_t id = 0; id < nn && st == TP_OK; id++) {
        out->conv[id] = sum_e > 0.0 ? *total_conv * out->effect[id] / sum_e : 0.0;
        out->value[id] = sum_v > 0.0 ? *total_value * out->value_effect[id] / sum_v : 0.0;
    }
    chain_free(&c);
done_names:
    tp__free(id_of);
    tp__free(rank_of);
    tp__free((void *)text_of);
    return st;
}

tp_status tp__markov_attribute(const tp_paths *p, const struct tp_options *o, tp__credit *out)
{
    tp__ktab states, edges;
    tp__ktab_init(&states);
    tp__ktab_init(&edges);
    const char **names = tp__paths_names(p);
    double tc, tv;
    tp_status st = names ? tp__markov_count(p, o, &states, &edges) : TP_ENOMEM;
    if (st == TP_OK)
        st = tp__markov_credit(names, tp__intern_count(&p->names), &states, &edges,
                               (int)o->threads, out, &tc, &tv);
    tp__free((void *)names);
    tp__ktab_free(&states);
    tp__ktab_free(&edges);
    return st;
}

static void state_label(const chain *c, uint32_t s, tp__strbuf *sb)
{
    sb->len = 0;
    if (s == START_STATE || s == CONV_STATE || s == NULL_STATE) {
        tp__sb_puts(sb, s == START_STATE ? "(start)" : s == CONV_STATE ? "(conversion)" : "(null)");
    } else {
        for (size_t i = 0; i < state_len(c, s); i++) {
            if (i)
                tp__sb_puts(sb, " > ");
            tp__sb_puts(sb, c->label[state_touch(c, s, i)]);
        }
    }
    tp__sb_putc(sb, '\0');
}

typedef struct out_edge {
    uint32_t from, to;
    double w, prob;
} out_edge;

/* From-state order: start first, then states in canonical order. */
static int out_edge_cmp(const void *pa, const void *pb)
{
    const out_edge *a = pa, *b = pb;
    uint32_t fa = a->from == START_STATE ? 0 : a->from + 1;
    uint32_t fb = b->from == START_STATE ? 0 : b->from + 1;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->prob != b->prob)
        return a->prob > b->prob ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to; /* absorbing states (largest ids) last */
}

tp_status tp__markov_table(const tp_paths *p, const struct tp_options *o, tp_table **out,
                           double *p_conversion)
{
    tp__ktab states, edges;
    tp__ktab_init(&states);
    tp__ktab_init(&edges);
    const char **names = tp__paths_names(p);
    uint32_t *id_of = NULL, *rank_of = NULL;
    const char **text_of = NULL;
    chain c;
    memset(&c, 0, sizeof c);
    tp_status st = names ? tp__markov_count(p, o, &states, &edges) : TP_ENOMEM;
    if (st == TP_OK)
        st = tp__rank_names(names, tp__intern_count(&p->names), &id_of, &rank_of, &text_of);
    if (st == TP_OK)
        st = chain_build(rank_of, text_of, &states, &edges, &c);
    tp__free((void *)names);
    tp__ktab_free(&states);
    tp__ktab_free(&edges);
    tp__free(id_of);
    tp__free(rank_of);
    if (st != TP_OK) {
        tp__free((void *)text_of);
        return st;
    }
    size_t ns = tp__intern_count(&c.states), n = 0;
    out_edge *rows = tp__malloc((c.nedges + 3 * ns + 1) * sizeof *rows);
    double pc = 0.0, pv;
    if (!rows)
        st = tp__error(TP_ENOMEM, "out of memory");
    else
        st = chain_solve(&c, NULL, &pc, &pv);
    if (p_conversion)
        *p_conversion = pc;
    if (st == TP_OK) {
        for (size_t s = 0; s < ns; s++) {
            if (c.start[s] > 0.0)
                rows[n++] = (out_edge){START_STATE, (uint32_t)s, c.start[s],
                                       c.start[s] / c.start_total};
            if (c.conv[s] > 0.0)
                rows[n++] = (out_edge){(uint32_t)s, CONV_STATE, c.conv[s], c.conv[s] / c.out[s]};
            if (c.nulls[s] > 0.0)
                rows[n++] = (out_edge){(uint32_t)s, NULL_STATE, c.nulls[s],
                                       c.nulls[s] / c.out[s]};
        }
        for (size_t e = 0; e < c.nedges; e++)
            rows[n++] = (out_edge){c.edges[e].from, c.edges[e].to, c.edges[e].w,
                                   c.edges[e].w / c.out[c.edges[e].from]};
        qsort(rows, n, sizeof *rows, out_edge_cmp);
        static const tp__col cols[] = {{"from", TP_TYPE_STRING},
                                       {"to", TP_TYPE_STRING},
                                       {"weight", TP_TYPE_DOUBLE},
                                       {"probability", TP_TYPE_DOUBLE}};
        tp__rb b;
        tp__rb_begin(&b, cols, TP__NCOLS(cols));
        tp__strbuf sb;
        memset(&sb, 0, sizeof sb);
        for (size_t i = 0; i < n; i++) {
            tp__rb_row(&b);
            state_label(&c, rows[i].from, &sb);
            tp__rb_str(&b, 0, sb.failed ? NULL : sb.data);
            state_label(&c, rows[i].to, &sb);
            tp__rb_str(&b, 1, sb.failed ? NULL : sb.data);
            tp__rb_f64(&b, 2, rows[i].w);
            tp__rb_f64(&b, 3, rows[i].prob);
        }
        if (sb.failed)
            b.st = b.st == TP_OK ? tp__error(TP_ENOMEM, "out of memory") : b.st;
        tp__sb_free(&sb);
        st = tp__rb_finish(&b, out);
    }
    tp__free(rows);
    chain_free(&c);
    tp__free((void *)text_of);
    return st;
}
