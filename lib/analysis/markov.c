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
#include <stdio.h>
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
    uint32_t *in_first;  /* per state: its first edge in `edges` (sorted by to); ns + 1 */
    uint32_t *out_first; /* per state: its successors out_to[out_first[s] ..]; ns + 1 */
    uint32_t *out_to;
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
    tp__free(c->in_first);
    tp__free(c->out_first);
    tp__free(c->out_to);
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

/* For order 1 a state is one touch: the tables' ids of each touch and of each
 * (previous touch, touch) pair, kept in arrays as they are first met, so a
 * touch costs two loads instead of two lookups. The ids come from the tables,
 * in the order they are first met, so the counts are the same either way. */
typedef struct order1_memo {
    size_t names;
    uint32_t *state; /* by touch id; UINT32_MAX: not met yet */
    uint32_t *edge;  /* by (previous touch id, or names for the start) * names + touch id */
} order1_memo;

enum { MEMO_MAX_PAIRS = 1 << 20 };

/* The memo for p, or one with no arrays (every touch looked up) when the
 * order is not 1, the pairs are too many, or memory is short. */
static order1_memo memo_new(const tp_paths *p, size_t k)
{
    order1_memo m = {tp__intern_count(&p->names), NULL, NULL};
    if (k != 1 || !m.names || (m.names + 1) * m.names > MEMO_MAX_PAIRS)
        return m;
    m.state = tp__malloc(m.names * sizeof *m.state);
    m.edge = tp__malloc((m.names + 1) * m.names * sizeof *m.edge);
    if (!m.state || !m.edge) {
        tp__free(m.state);
        tp__free(m.edge);
        m.state = m.edge = NULL; /* the lookups do without */
        return m;
    }
    memset(m.state, 0xff, m.names * sizeof *m.state);
    memset(m.edge, 0xff, (m.names + 1) * m.names * sizeof *m.edge);
    return m;
}

tp_status tp__markov_count(const tp_paths *p, const struct tp_options *o, tp__ktab *states,
                           tp__ktab *edges)
{
    size_t k = (size_t)o->order;
    int self_loops = o->self_loops != 0;
    order1_memo m = memo_new(p, k);
    tp_status st = TP_OK;
    for (size_t i = 0; st == TP_OK && i < tp__paths_n(p); i++) {
        double w = p->conv.data[i] + p->nulls.data[i];
        if (!(w > 0.0))
            continue;
        const uint32_t *t = p->touch.data + p->off.data[i];
        size_t n = p->off.data[i + 1] - p->off.data[i];
        size_t nwin = n <= k ? 1 : n - k + 1, wlen = n <= k ? n : k;
        uint32_t prev = TP__KEY_START, s;
        size_t prev_touch = m.names; /* the start */
        for (size_t j = 0; j < nwin; j++) {
            uint32_t *known = m.state ? &m.state[t[j]] : NULL;
            if (known && *known != UINT32_MAX) {
                s = *known;
            } else if (!tp__ktab_get(states, t + j, wlen, &s)) {
                st = tp__error(TP_ENOMEM, "out of memory");
                break;
            } else if (known) {
                *known = s;
            }
            if (s == prev && !self_loops)
                continue;
            uint32_t *pair = m.edge ? &m.edge[prev_touch * m.names + t[j]] : NULL, e_id;
            if (pair && *pair != UINT32_MAX) {
                e_id = *pair;
            } else {
                uint32_t key[2] = {prev, s};
                if (!tp__ktab_get(edges, key, 2, &e_id)) {
                    st = tp__error(TP_ENOMEM, "out of memory");
                    break;
                }
                if (pair)
                    *pair = e_id;
            }
            tp__krec *e = &edges->rec.data[e_id];
            /* conversions and nulls added apart: the weight is their exact sum,
             * so what enters a state equals what leaves it, bit for bit */
            if (tp__xsum_add(&e->x[0], p->conv.data[i]) ||
                tp__xsum_add(&e->x[0], p->nulls.data[i])) {
                st = exact_range();
                break;
            }
            prev = s;
            prev_touch = t[j];
        }
        if (st != TP_OK)
            break;
        tp__krec *r = &states->rec.data[prev];
        if (tp__xsum_add(&r->x[0], p->conv.data[i]) || tp__xsum_add(&r->x[1], p->value.data[i]) ||
            tp__xsum_add(&r->x[2], p->nulls.data[i]))
            st = exact_range();
    }
    tp__free(m.state);
    tp__free(m.edge);
    return st;
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
    c->in_first = tp__calloc(ns + 1, sizeof *c->in_first);
    c->out_first = tp__calloc(ns + 2, sizeof *c->out_first);
    c->out_to = tp__malloc((c->nedges ? c->nedges : 1) * sizeof *c->out_to);
    if (!c->in_first || !c->out_first || !c->out_to) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t e = 0; e < c->nedges; e++) {
        c->in_first[c->edges[e].to + 1] = (uint32_t)e + 1;
        c->out_first[c->edges[e].from + 2]++;
    }
    for (size_t s = 0; s < ns; s++) {
        if (c->in_first[s + 1] < c->in_first[s])
            c->in_first[s + 1] = c->in_first[s];
        c->out_first[s + 2] += c->out_first[s + 1];
    }
    for (size_t e = 0; e < c->nedges; e++)
        c->out_to[c->out_first[c->edges[e].from + 1]++] = c->edges[e].to;
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

/* Chains with more kept states than this are solved by iteration first; 0
 * makes every solve iterate (a test hook). */
size_t tp__markov_direct_max = 2048;
_Atomic unsigned long tp__markov_iterated;

/* Most sweeps of the iteration before it gives way to the direct solve: paths
 * end (convert or not) within a few touches, so their chains shed a good part
 * of their mass every sweep and need a few hundred; chains that cycle longer
 * are left to KLU. */
#define ITERATION_MAX 2000

/* Removal sets of at most this many states are solved from the full chain's
 * factorization (see removals_direct); larger ones are factorized anew (0:
 * every one, a test hook). */
size_t tp__markov_schur_max = 64;

/* Bytes of removal analyses kept from pricing to solving (see chain_removals);
 * beyond them a removal is ordered again when it runs. */
size_t tp__markov_prepared_max = (size_t)64 << 20;

/* P(conversion) and value by following the start distribution through the
 * chain: v_0 = start, v_{k+1} = v_k Q, P = sum_k v_k b. Self-loops are folded
 * in exactly (a state that returns to itself with probability q leaves with its
 * other transitions scaled by 1 / (1 - q)), which removes the slowest modes of
 * chains of repeated touches. Each sweep reads the edges once, in (to, from)
 * order, so the work is O(transitions) per sweep and memory O(states); the mass
 * still in the chain bounds what is left to add, and the sweeps stop when that
 * is below 2^-60 of the result. Every 32 sweeps the decay of that mass predicts
 * the sweeps still needed; when they would pass ITERATION_MAX (a chain whose
 * walks are long, like one path of 100,000 touches) the iteration gives up at
 * once and returns 1: the caller then solves directly. *sweeps receives the
 * sweeps taken. Deterministic: the same chain gives the same sums in the same
 * order. */
static int chain_iterate(const chain *c, const uint8_t *keep, double *p_conv, double *p_value,
                         int *sweeps, tp_status *st)
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
    double pc = 0.0, pv = 0.0, checkpoint = 1.0;
    int done = 0, hopeless = 0, sweep = 0;
    for (; sweep < ITERATION_MAX && !done && !hopeless; sweep++) {
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
        if (!done && sweep % 32 == 31) {
            /* The mass left shrinks by about `rate` a sweep; it must fall to `goal`. */
            double rate = pow(mass / checkpoint, 1.0 / 32), goal = INFINITY;
            if (bc_max > 0.0 && pc > 0.0)
                goal = 0x1p-60 * pc / bc_max;
            if (bv_max > 0.0 && pv > 0.0 && 0x1p-60 * pv / bv_max < goal)
                goal = 0x1p-60 * pv / bv_max;
            /* Before any conversion is reached the goal is unknown: ask for
             * the mass to shrink by 2^-60 then. */
            if (!isfinite(goal))
                goal = 0x1p-60 * mass;
            hopeless = !(rate < 1.0) ||
                       (goal < mass && log(goal / mass) / log(rate) > ITERATION_MAX - sweep);
            checkpoint = mass;
        }
    }
    tp__free(v);
    tp__free(next);
    tp__free(leave);
    *sweeps = sweep;
    if (!done)
        return 1;
    tp__markov_iterated++;
    *p_conv = pc;
    *p_value = pv;
    return 0;
}

/* The system I - Q over the kept states, with its right-hand sides. */
typedef struct linsys {
    int m;        /* its size: the kept states */
    int *idx;     /* per state: its row and column, or -1 */
    int *Ap, *Ai;
    double *Ax;
    double *B;    /* 2 m: P(conversion) and value one step ahead; solutions after a solve */
    klu_common common;
    klu_symbolic *sym;
    klu_numeric *num;
} linsys;

static void linsys_free(linsys *L)
{
    klu_free_numeric(&L->num, &L->common);
    klu_free_symbolic(&L->sym, &L->common);
    tp__free(L->idx);
    tp__free(L->Ap);
    tp__free(L->Ai);
    tp__free(L->Ax);
    tp__free(L->B);
    memset(L, 0, sizeof *L);
}

static tp_status klu_failed(const linsys *L)
{
    return L->common.status == KLU_OUT_OF_MEMORY
               ? tp__error(TP_ENOMEM, "out of memory in the sparse solver")
               : tp__error(TP_EINVAL, "Markov chain: the sparse solver failed (KLU status %d)",
                           L->common.status);
}

/* States in the largest strongly connected set of the kept states (Tarjan's
 * algorithm without recursion, O(transitions)); SIZE_MAX when out of memory. */
static size_t largest_scc(const chain *c, const uint8_t *keep)
{
    size_t ns = tp__intern_count(&c->states), best = 0, next = 1, top = 0, depth = 0;
    uint32_t *num = tp__calloc(ns ? ns : 1, sizeof *num); /* 0: not visited */
    uint32_t *low = tp__malloc((ns ? ns : 1) * sizeof *low);
    uint32_t *stack = tp__malloc((ns ? ns : 1) * sizeof *stack);
    uint32_t *call = tp__malloc((ns ? ns : 1) * sizeof *call); /* the DFS path */
    uint32_t *at = tp__malloc((ns ? ns : 1) * sizeof *at); /* per state: its next edge */
    uint8_t *on = tp__calloc(ns ? ns : 1, 1);
    if (!num || !low || !stack || !call || !at || !on) {
        best = SIZE_MAX;
        goto done;
    }
    for (size_t root = 0; root < ns; root++) {
        if ((keep && !keep[root]) || num[root])
            continue;
        call[depth++] = (uint32_t)root;
        num[root] = low[root] = (uint32_t)next++;
        at[root] = c->out_first[root];
        stack[top++] = (uint32_t)root;
        on[root] = 1;
        while (depth) {
            uint32_t v = call[depth - 1];
            if (at[v] < c->out_first[v + 1]) {
                uint32_t w = c->out_to[at[v]++];
                if (keep && !keep[w])
                    continue;
                if (!num[w]) {
                    num[w] = low[w] = (uint32_t)next++;
                    at[w] = c->out_first[w];
                    stack[top++] = w;
                    on[w] = 1;
                    call[depth++] = w;
                } else if (on[w] && num[w] < low[v]) {
                    low[v] = num[w];
                }
                continue;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
            if (low[v] == num[v]) {
                size_t size = 0;
                uint32_t w;
                do {
                    w = stack[--top];
                    on[w] = 0;
                    size++;
                } while (w != v);
                best = size > best ? size : best;
            }
        }
    }
done:
    tp__free(num);
    tp__free(low);
    tp__free(stack);
    tp__free(call);
    tp__free(at);
    tp__free(on);
    return best;
}

/* Fill the system over the states with keep[s] set (all when keep is NULL):
 * the matrix, the right-hand sides, the state of each row. Not ordered. */
static tp_status linsys_fill(const chain *c, const uint8_t *keep, linsys *L)
{
    memset(L, 0, sizeof *L);
    size_t ns = tp__intern_count(&c->states);
    L->idx = tp__malloc((ns ? ns : 1) * sizeof *L->idx);
    L->Ap = tp__calloc(ns + 1, sizeof *L->Ap);
    L->Ai = tp__malloc((c->nedges + ns + 1) * sizeof *L->Ai);
    L->Ax = tp__malloc((c->nedges + ns + 1) * sizeof *L->Ax);
    L->B = tp__malloc((2 * ns + 1) * sizeof *L->B);
    if (!L->idx || !L->Ap || !L->Ai || !L->Ax || !L->B) {
        linsys_free(L);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    int m = 0;
    for (size_t s = 0; s < ns; s++)
        L->idx[s] = !keep || keep[s] ? m++ : -1;
    L->m = m;
    /* Column j of I - Q: -P(i -> j) for kept i, plus 1 on the diagonal. The
     * edges are sorted by (to, from), i.e. by column, then row. */
    size_t e = 0, nz = 0;
    for (size_t s = 0; s < ns; s++) {
        int col = L->idx[s];
        int diag_done = 0;
        while (e < c->nedges && c->edges[e].to < s)
            e++;
        if (col < 0)
            continue;
        for (; e < c->nedges && c->edges[e].to == s; e++) {
            int row = L->idx[c->edges[e].from];
            if (row < 0)
                continue;
            double q = c->edges[e].w / c->out[c->edges[e].from];
            L->Ai[nz] = row;
            L->Ax[nz++] = row == col ? 1.0 - q : -q;
            diag_done |= row == col;
        }
        if (!diag_done) {
            L->Ai[nz] = col;
            L->Ax[nz++] = 1.0;
        }
        L->Ap[col + 1] = (int)nz;
        L->B[col] = c->conv[s] / c->out[s];
        L->B[(size_t)m + (size_t)col] = c->value[s] / c->out[s];
    }
    klu_defaults(&L->common);
    return TP_OK;
}

/* linsys_fill, then order the system (KLU's symbolic analysis: BTF blocks,
 * AMD within each), which also estimates the cost of factorizing it. No
 * factorization yet. */
static tp_status linsys_build(const chain *c, const uint8_t *keep, linsys *L)
{
    tp_status st = linsys_fill(c, keep, L);
    if (st != TP_OK || L->m == 0)
        return st;
    /* When one strongly connected set holds most of the system, BTF cannot
     * split it, and its search for a zero-free diagonal (which I - Q always
     * has) took a quarter of the time of a long cyclic chain: AMD orders the
     * whole instead. */
    size_t scc = largest_scc(c, keep);
    if (scc == SIZE_MAX) {
        linsys_free(L);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    if (scc * 8 > (size_t)L->m)
        L->common.btf = 0;
    L->sym = klu_analyze(L->m, L->Ap, L->Ai, &L->common);
    if (!L->sym) {
        st = klu_failed(L);
        linsys_free(L);
    }
    return st;
}

/* Floating-point operations to factorize the system, and one solve with it. */
static double linsys_factor_work(const linsys *L)
{
    if (!L->sym)
        return 0.0;
    double lu = L->sym->lnz + L->sym->unz;
    return L->sym->est_flops >= 0 ? L->sym->est_flops : lu * lu / (L->m ? L->m : 1);
}

static double linsys_solve_work(const linsys *L)
{
    return L->sym ? 2.0 * (L->sym->lnz + L->sym->unz) : 0.0;
}

static tp_status linsys_factor(linsys *L)
{
    if (L->m == 0)
        return TP_OK;
    L->num = klu_factor(L->Ap, L->Ai, L->Ax, L->sym, &L->common);
    return L->num ? TP_OK : klu_failed(L);
}

/* Solve in place for `nrhs` right-hand sides of m values each (transposed
 * when `transposed`). Not thread-safe for one system: KLU's numeric object
 * holds the workspace. */
static tp_status linsys_solve(linsys *L, double *B, int nrhs, int transposed)
{
    if (L->m == 0 || nrhs == 0)
        return TP_OK;
    int ok = transposed ? klu_tsolve(L->sym, L->num, L->m, nrhs, B, &L->common)
                        : klu_solve(L->sym, L->num, L->m, nrhs, B, &L->common);
    return ok ? TP_OK : klu_failed(L);
}

/* P(conversion) and expected value from the start, given the solutions in
 * L->B of a factorized system. */
static void linsys_result(const chain *c, const linsys *L, double *p_conv, double *p_value)
{
    size_t ns = tp__intern_count(&c->states);
    double pc = 0.0, pv = 0.0;
    for (size_t s = 0; s < ns; s++)
        if (L->idx[s] >= 0) {
            pc += c->start[s] * L->B[L->idx[s]];
            pv += c->start[s] * L->B[(size_t)L->m + (size_t)L->idx[s]];
        }
    *p_conv = pc / c->start_total;
    *p_value = pv / c->start_total;
}

static tp_status too_costly(const char *what, double work, double limit)
{
    return tp__error(TP_ELIMIT,
                     "Markov chain: %s would take about %.2g floating-point operations, more "
                     "than the limit of %.2g (option markov_max_work: raise it to wait longer, "
                     "or lower the order, or group touchpoints)",
                     what, work, limit);
}

/* Clear keep[s] for the states no solve needs: those the start cannot reach
 * through kept states, and those that reach no conversion or value through
 * kept states (their absorption probabilities are 0). Exact, O(transitions);
 * a removal often leaves few states reachable. Returns the states kept, or
 * SIZE_MAX when out of memory. */
static size_t prune(const chain *c, uint8_t *keep)
{
    size_t ns = tp__intern_count(&c->states), top = 0, kept = 0;
    uint32_t *stack = tp__malloc((ns ? ns : 1) * sizeof *stack);
    uint8_t *seen = tp__calloc(ns ? ns : 1, 1);
    if (!stack || !seen) {
        tp__free(stack);
        tp__free(seen);
        return SIZE_MAX;
    }
    /* forward from the start: bit 1 */
    for (size_t s = 0; s < ns; s++)
        if (keep[s] && c->start[s] > 0.0) {
            seen[s] = 1;
            stack[top++] = (uint32_t)s;
        }
    while (top) {
        uint32_t s = stack[--top];
        for (uint32_t k = c->out_first[s]; k < c->out_first[s + 1]; k++) {
            uint32_t t = c->out_to[k];
            if (keep[t] && !seen[t]) {
                seen[t] = 1;
                stack[top++] = t;
            }
        }
    }
    /* backward from what absorbs into conversion or carries value: bit 2 */
    for (size_t s = 0; s < ns; s++)
        if ((seen[s] & 1) && (c->conv[s] > 0.0 || c->value[s] != 0.0)) {
            seen[s] |= 2;
            stack[top++] = (uint32_t)s;
        }
    while (top) {
        uint32_t s = stack[--top];
        for (uint32_t e = c->in_first[s]; e < c->in_first[s + 1]; e++) {
            uint32_t f = c->edges[e].from;
            if (seen[f] == 1) {
                seen[f] |= 2;
                stack[top++] = f;
            }
        }
    }
    for (size_t s = 0; s < ns; s++) {
        keep[s] = seen[s] == 3;
        kept += keep[s];
    }
    tp__free(stack);
    tp__free(seen);
    return kept;
}

/* A removal priced before it runs (solve_work): its pruned states and their
 * ordering, kept so its solve does not prune and order the system again. */
typedef struct prepared {
    uint8_t *keep; /* the pruned states; NULL when not kept */
    size_t kept;
    klu_symbolic *sym;
    klu_common common;
} prepared;

static void prepared_free(prepared *pre)
{
    klu_free_symbolic(&pre->sym, &pre->common);
    tp__free(pre->keep);
    memset(pre, 0, sizeof *pre);
}

/* chain_solve over states already pruned (`kept` of them in mine), ordered
 * by pre when it is given (its ordering is lent, not taken). */
static tp_status chain_solve_pruned(const chain *c, const uint8_t *mine, size_t kept,
                                    const prepared *pre, int try_iteration, double max_work,
                                    double *p_conv, double *p_value)
{
    tp_status st = TP_OK;
    *p_conv = *p_value = 0.0;
    if (try_iteration && kept > tp__markov_direct_max) {
        int sweeps;
        if (!chain_iterate(c, mine, p_conv, p_value, &sweeps, &st) || st != TP_OK)
            return st;
        *p_conv = *p_value = 0.0;
    }
    linsys L;
    if (pre) {
        if ((st = linsys_fill(c, mine, &L)) == TP_OK) {
            L.common = pre->common;
            L.sym = pre->sym;
        }
    } else {
        st = linsys_build(c, mine, &L);
    }
    if (st == TP_OK && linsys_factor_work(&L) > max_work)
        st = too_costly("solving it exactly", linsys_factor_work(&L), max_work);
    if (st == TP_OK && L.m > 0 && (st = linsys_factor(&L)) == TP_OK &&
        (st = linsys_solve(&L, L.B, 2, 0)) == TP_OK)
        linsys_result(c, &L, p_conv, p_value);
    if (pre)
        L.sym = NULL;
    linsys_free(&L);
    return st;
}

/* P(conversion) and expected value from the start, over the states with
 * keep[s] set (all when keep is NULL): by iteration when the chain is large
 * and settles fast, else by factorizing it, refused with TP_ELIMIT before
 * the factorization when that would take more than max_work. */
static tp_status chain_solve(const chain *c, const uint8_t *keep, int try_iteration,
                             double max_work, double *p_conv, double *p_value)
{
    size_t ns = tp__intern_count(&c->states);
    *p_conv = *p_value = 0.0;
    if (ns == 0 || !(c->start_total > 0.0))
        return TP_OK;
    uint8_t *mine = tp__malloc(ns);
    if (!mine)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t s = 0; s < ns; s++)
        mine[s] = !keep || keep[s];
    size_t kept = prune(c, mine);
    tp_status st = kept == SIZE_MAX
                       ? tp__error(TP_ENOMEM, "out of memory")
                       : chain_solve_pruned(c, mine, kept, NULL, try_iteration, max_work,
                                            p_conv, p_value);
    tp__free(mine);
    return st;
}

/* What chain_solve would spend on a direct solve over keep: the pruned
 * system's estimated factorization and one solve; -1 when out of memory.
 * Only orders the system (KLU's analysis), which is cheap; when pre is given,
 * the pruned states and the ordering are handed to it for the solve. */
static double solve_work(const chain *c, const uint8_t *keep, prepared *pre)
{
    size_t ns = tp__intern_count(&c->states), kept;
    uint8_t *mine = tp__malloc(ns ? ns : 1);
    if (!mine)
        return -1.0;
    memcpy(mine, keep, ns);
    double w = -1.0;
    linsys L;
    if ((kept = prune(c, mine)) != SIZE_MAX && linsys_build(c, mine, &L) == TP_OK) {
        w = linsys_factor_work(&L) + linsys_solve_work(&L);
        if (pre) {
            pre->keep = mine;
            pre->kept = kept;
            pre->sym = L.sym;
            pre->common = L.common;
            mine = NULL;
            L.sym = NULL;
        }
        linsys_free(&L);
    }
    tp__free(mine);
    return w;
}

/* The states that hold each touchpoint: states[first[t] .. first[t + 1]). */
typedef struct holders {
    uint32_t *first, *states;
} holders;

static tp_status holders_build(const chain *c, size_t nn, holders *h)
{
    size_t ns = tp__intern_count(&c->states), total = 0;
    h->first = tp__calloc(nn + 2, sizeof *h->first);
    for (size_t s = 0; h->first && s < ns; s++)
        total += state_len(c, (uint32_t)s);
    h->states = tp__malloc((total ? total : 1) * sizeof *h->states);
    if (!h->first || !h->states) {
        tp__free(h->first);
        tp__free(h->states);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    /* A state counts once per touchpoint, however often it holds it. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < ns; s++) {
            size_t len = state_len(c, (uint32_t)s);
            for (size_t i = 0; i < len; i++) {
                uint32_t t = state_touch(c, (uint32_t)s, i);
                int seen = 0;
                for (size_t j = 0; j < i && !seen; j++)
                    seen = state_touch(c, (uint32_t)s, j) == t;
                if (seen)
                    continue;
                if (pass == 0)
                    h->first[t + 2]++;
                else
                    h->states[h->first[t + 1]++] = (uint32_t)s;
            }
        }
        for (size_t t = 0; pass == 0 && t < nn; t++)
            h->first[t + 2] += h->first[t + 1];
    }
    return TP_OK;
}

/* One removal: the chain without the states that hold touchpoint rank ch. */
typedef struct removal {
    const chain *c;
    const holders *h;
    const uint32_t *id_of;
    const uint32_t *which; /* the touchpoint ranks to remove, by index */
    const prepared *pre;   /* NULL, or by index: each removal priced and ordered */
    double base_conv, base_value, max_work;
    int iterate; /* removals may try the iteration: the full chain's settled */
    tp__credit *out;
    const struct tp_options *o;
    uint64_t done, total; /* solves, for the progress callback */
} removal;

static void set_effect(const removal *r, uint32_t ch, double pc, double pv)
{
    uint32_t id = r->id_of[ch];
    r->out->effect[id] = r->base_conv > 0.0 ? 1.0 - pc / r->base_conv : 0.0;
    r->out->value_effect[id] = r->base_value > 0.0 ? 1.0 - pv / r->base_value : 0.0;
}

static tp_status remove_one(void *ctx, size_t i)
{
    const removal *r = ctx;
    uint32_t ch = r->which[i];
    size_t ns = tp__intern_count(&r->c->states);
    double pc, pv;
    if (r->pre && r->pre[i].keep) {
        tp_status st = chain_solve_pruned(r->c, r->pre[i].keep, r->pre[i].kept, &r->pre[i],
                                          r->iterate, r->max_work, &pc, &pv);
        if (st == TP_OK)
            set_effect(r, ch, pc, pv);
        return st;
    }
    uint8_t *keep = tp__malloc(ns ? ns : 1);
    if (!keep)
        return tp__error(TP_ENOMEM, "out of memory");
    memset(keep, 1, ns);
    for (uint32_t k = r->h->first[ch]; k < r->h->first[ch + 1]; k++)
        keep[r->h->states[k]] = 0;
    tp_status st = chain_solve(r->c, keep, r->iterate, r->max_work, &pc, &pv);
    tp__free(keep);
    if (st == TP_OK)
        set_effect(r, ch, pc, pv);
    return st;
}

/* Solve the m x m system G z = b for two right-hand sides (b and z in the
 * columns of bz, m apart) by Gaussian elimination with partial pivoting; G
 * is overwritten. Returns -1 when G is singular. */
static int dense_solve(double *G, size_t m, double *bz)
{
    for (size_t k = 0; k < m; k++) {
        size_t p = k;
        for (size_t i = k + 1; i < m; i++)
            if (fabs(G[i * m + k]) > fabs(G[p * m + k]))
                p = i;
        if (!(fabs(G[p * m + k]) > 0.0))
            return -1;
        if (p != k) {
            for (size_t j = 0; j < m; j++) {
                double t = G[k * m + j];
                G[k * m + j] = G[p * m + j];
                G[p * m + j] = t;
            }
            for (int r = 0; r < 2; r++) {
                double t = bz[r * m + k];
                bz[r * m + k] = bz[r * m + p];
                bz[r * m + p] = t;
            }
        }
        for (size_t i = k + 1; i < m; i++) {
            double f = G[i * m + k] / G[k * m + k];
            for (size_t j = k; j < m; j++)
                G[i * m + j] -= f * G[k * m + j];
            for (int r = 0; r < 2; r++)
                bz[r * m + i] -= f * bz[r * m + k];
        }
    }
    for (size_t k = m; k-- > 0;)
        for (int r = 0; r < 2; r++) {
            double x = bz[r * m + k];
            for (size_t j = k + 1; j < m; j++)
                x -= G[k * m + j] * bz[r * m + j];
            bz[r * m + k] = x / G[k * m + k];
        }
    return 0;
}

/*
 * Removal effects from the full chain's factorization. With A = I - Q, x the
 * absorption probabilities (A x = r) and y the expected visits from the start
 * (A' y = s), removing a set S of states forces x'_S = 0 and drops their
 * equations; then x' = x - G[:,S] G_SS^-1 x_S with G = A^-1, so
 *     P' = P - y_S' G_SS^-1 x_S,
 * which needs |S| solves with the factors already made and an |S| x |S| dense
 * solve, instead of a new factorization. For order 1, S is one state and this
 * is P' = P - h x_c, h the probability of ever reaching c. The conversion
 * probability is kept within [0, P] against rounding. Sequential: one KLU
 * workspace.
 */
static tp_status removals_direct(removal *r, linsys *L, const double *y, const uint32_t *list,
                                 size_t n)
{
    size_t m_max = 0, ns = (size_t)L->m;
    for (size_t i = 0; i < n; i++) {
        size_t m = r->h->first[list[i] + 1] - r->h->first[list[i]];
        m_max = m > m_max ? m : m_max;
    }
    double *E = tp__malloc((m_max ? m_max : 1) * ns * sizeof *E);
    double *G = tp__malloc((m_max * m_max + 1) * sizeof *G);
    double *bz = tp__malloc((2 * m_max + 1) * sizeof *bz);
    tp_status st = E && G && bz ? TP_OK : tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < n; i++) {
        uint32_t ch = list[i];
        const uint32_t *S = r->h->states + r->h->first[ch];
        size_t m = r->h->first[ch + 1] - r->h->first[ch];
        memset(E, 0, m * ns * sizeof *E);
        for (size_t j = 0; j < m; j++)
            E[j * ns + (size_t)L->idx[S[j]]] = 1.0;
        if ((st = linsys_solve(L, E, (int)m, 0)) != TP_OK)
            break;
        for (size_t a = 0; a < m; a++) {
            for (size_t j = 0; j < m; j++)
                G[a * m + j] = E[j * ns + (size_t)L->idx[S[a]]];
            bz[a] = L->B[L->idx[S[a]]];
            bz[m + a] = L->B[ns + (size_t)L->idx[S[a]]];
        }
        double pc = r->base_conv, pv = r->base_value;
        if (m) {
            if (dense_solve(G, m, bz)) {
                st = tp__error(TP_EINVAL, "Markov chain: a removal's system is singular");
                break;
            }
            for (size_t a = 0; a < m; a++) {
                pc -= y[L->idx[S[a]]] * bz[a];
                pv -= y[L->idx[S[a]]] * bz[m + a];
            }
        }
        set_effect(r, ch, fmin(fmax(pc, 0.0), r->base_conv), pv);
        r->done++;
        st = tp__options_progress(r->o, r->done, r->total);
    }
    tp__free(E);
    tp__free(G);
    tp__free(bz);
    return st;
}

/* remove_one for r->which[0 .. n), on o->threads threads, a batch of that many
 * at a time so the progress callback runs on the calling thread between them. */
static tp_status removals_each(removal *r, size_t n)
{
    size_t batch = r->o->threads == 0 ? (size_t)tp__cpu_count() : (size_t)r->o->threads;
    removal part = *r;
    tp_status st = TP_OK;
    for (size_t at = 0; st == TP_OK && at < n; at += batch) {
        size_t k = n - at < batch ? n - at : batch;
        part.which = r->which + at;
        part.pre = r->pre ? r->pre + at : NULL;
        st = tp__parallel_for(k, (int)r->o->threads, remove_one, &part);
        r->done += k;
        if (st == TP_OK)
            st = tp__options_progress(r->o, r->done, r->total);
    }
    return st;
}

/*
 * P(conversion) of the full chain and the removal effect of every touchpoint,
 * by the cheaper of two exact methods, each estimated before it starts:
 * iterating every removal (when the chain is large and the full chain's
 * iteration settled: removals x sweeps x transitions), or factorizing the
 * full chain once and taking each removal from its factors (removals_direct;
 * a removal of more than tp__markov_schur_max states is factorized on its own). More
 * than o->markov_max_work for both is TP_ELIMIT before any of it runs.
 */
static tp_status chain_removals(const chain *c, size_t nn, const uint32_t *id_of,
                                const struct tp_options *o, tp__credit *out, double *base_conv,
                                double *base_value)
{
    size_t ns = tp__intern_count(&c->states);
    *base_conv = *base_value = 0.0;
    for (size_t id = 0; id < nn; id++)
        out->effect[id] = out->value_effect[id] = 0.0;
    if (ns == 0 || !(c->start_total > 0.0))
        return TP_OK;
    double limit = o->markov_max_work;
    holders h;
    tp_status st = holders_build(c, nn, &h);
    if (st != TP_OK)
        return st;
    uint32_t *all = tp__malloc((nn ? nn : 1) * sizeof *all), nbig = 0, nsmall = 0;
    uint32_t *big = tp__malloc((nn ? nn : 1) * sizeof *big);
    linsys L;
    memset(&L, 0, sizeof L);
    double *y = NULL;
    prepared *pre = NULL;
    if (!all || !big) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    size_t holding = 0;
    for (uint32_t ch = 0; ch < nn; ch++) {
        size_t m = h.first[ch + 1] - h.first[ch];
        if (m > tp__markov_schur_max)
            big[nbig++] = ch;
        else if (m > 0) {
            all[nsmall++] = ch;
            holding += m;
        }
    }
    /* The iteration, when the chain is large: the full chain first; its
     * sweeps price the removals. */
    double iter_work = INFINITY;
    int iterated = 0;
    if (ns > tp__markov_direct_max) {
        int sweeps;
        iterated = !chain_iterate(c, NULL, base_conv, base_value, &sweeps, &st);
        if (st != TP_OK)
            goto done;
        if (iterated)
            iter_work = (double)(nsmall + nbig) * sweeps * 2.0 * (double)(c->nedges + ns);
    }
    removal r = {c,   &h,  id_of, all, NULL, 0.0, 0.0, limit, iterated || ns <= tp__markov_direct_max,
                 out, o,   0,     1 + (uint64_t)nsmall + nbig};
    if (iterated && (iter_work <= limit || tp__markov_direct_max == 0)) {
        r.base_conv = *base_conv;
        r.base_value = *base_value;
        r.done = 1;
        if ((st = tp__options_progress(o, r.done, r.total)) == TP_OK &&
            (st = removals_each(&r, nsmall)) == TP_OK) {
            r.which = big;
            st = removals_each(&r, nbig);
        }
        goto done;
    }
    if ((st = linsys_build(c, NULL, &L)) != TP_OK)
        goto done;
    double direct_work = linsys_factor_work(&L) + linsys_solve_work(&L) * (3.0 + (double)holding);
    /* A removal of many states is solved on its own, priced by its own
     * analysis; the analyses are kept for the solves while they take less
     * than tp__markov_prepared_max bytes. */
    uint8_t *keep = nbig ? tp__malloc(ns) : NULL;
    pre = nbig ? tp__calloc(nbig, sizeof *pre) : NULL;
    if (nbig && (!keep || !pre)) {
        tp__free(keep);
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    size_t held = 0;
    for (uint32_t i = 0; i < nbig && direct_work <= limit; i++) {
        memset(keep, 1, ns);
        for (uint32_t k = h.first[big[i]]; k < h.first[big[i] + 1]; k++)
            keep[h.states[k]] = 0;
        double w = solve_work(c, keep, held < tp__markov_prepared_max ? &pre[i] : NULL);
        if (w < 0) {
            tp__free(keep);
            st = tp__error(TP_ENOMEM, "out of memory");
            goto done;
        }
        if (pre[i].keep)
            held += ns + (pre[i].sym ? 8 * (size_t)pre[i].sym->n : 0);
        direct_work += w;
    }
    tp__free(keep);
    if (direct_work > limit) {
        char what[96];
        snprintf(what, sizeof what, "attribution over %zu touchpoints (%zu states)",
                 (size_t)(nsmall + nbig), ns);
        st = too_costly(what, fmin(direct_work, iter_work), limit);
        goto done;
    }
    if ((st = linsys_factor(&L)) != TP_OK || (st = linsys_solve(&L, L.B, 2, 0)) != TP_OK)
        goto done;
    linsys_result(c, &L, base_conv, base_value);
    /* y: expected visits from the start distribution (A' y = s). */
    y = tp__malloc((size_t)L.m * sizeof *y);
    if (!y) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < ns; s++)
        y[L.idx[s]] = c->start[s] / c->start_total;
    if ((st = linsys_solve(&L, y, 1, 1)) != TP_OK)
        goto done;
    r.base_conv = *base_conv;
    r.base_value = *base_value;
    r.done = 1;
    if ((st = tp__options_progress(o, r.done, r.total)) == TP_OK &&
        (st = removals_direct(&r, &L, y, all, nsmall)) == TP_OK) {
        r.which = big;
        r.pre = pre;
        st = removals_each(&r, nbig);
    }
done:
    for (uint32_t i = 0; pre && i < nbig; i++)
        prepared_free(&pre[i]);
    tp__free(pre);
    linsys_free(&L);
    tp__free(y);
    tp__free(all);
    tp__free(big);
    tp__free(h.first);
    tp__free(h.states);
    return st;
}

tp_status tp__markov_credit(const char *const *names, size_t nn, const tp__ktab *states,
                            const tp__ktab *edges, const struct tp_options *o, tp__credit *out,
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
    tp__xsum tc, tv;
    memset(&tc, 0, sizeof tc);
    memset(&tv, 0, sizeof tv);
    for (size_t s = 0; s < tp__ktab_count(states); s++) /* cannot overflow: < 2^32 x 2^126 */
        (void)(tp__xsum_merge(&tc, &states->rec.data[s].x[0]) ||
               tp__xsum_merge(&tv, &states->rec.data[s].x[1]));
    *total_conv = tp__xsum_get(&tc);
    *total_value = tp__xsum_get(&tv);
    double base_conv = 0.0, base_value = 0.0;
    st = chain_removals(&c, nn, id_of, o, out, &base_conv, &base_value);
    out->p_conversion = base_conv;
    /* the sums below run in rank order whatever the threads did */
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
        st = tp__markov_credit(names, tp__intern_count(&p->names), &states, &edges, o, out,
                               &tc, &tv);
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
        st = chain_solve(&c, NULL, 1, o->markov_max_work, &pc, &pv);
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
