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
 * (conversions and value). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/klu.h>

#include "analysis/attribution_internal.h"
#include "core/error.h"
#include "core/strbuf.h"

#define START_STATE UINT32_MAX
#define CONV_STATE (UINT32_MAX - 1)
#define NULL_STATE (UINT32_MAX - 2)

/* Edge map: (from, to) -> weight, open addressing. */
typedef struct edge_map {
    uint64_t *keys; /* from << 32 | to; UINT64_MAX marks an empty slot */
    double *w;
    size_t cap, len;
} edge_map;

static int edges_grow(edge_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    uint64_t *keys = tp__malloc(cap * sizeof *keys);
    double *w = tp__malloc(cap * sizeof *w);
    if (!keys || !w) {
        tp__free(keys);
        tp__free(w);
        return -1;
    }
    memset(keys, 0xff, cap * sizeof *keys);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == UINT64_MAX)
            continue;
        size_t h = (size_t)(tp__hash_bytes(&m->keys[i], 8, 0) & (cap - 1));
        while (keys[h] != UINT64_MAX)
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        w[h] = m->w[i];
    }
    tp__free(m->keys);
    tp__free(m->w);
    m->keys = keys;
    m->w = w;
    m->cap = cap;
    return 0;
}

static int edges_add(edge_map *m, uint32_t from, uint32_t to, double w)
{
    if (2 * (m->len + 1) > m->cap && edges_grow(m))
        return -1;
    uint64_t key = (uint64_t)from << 32 | to;
    size_t h = (size_t)(tp__hash_bytes(&key, 8, 0) & (m->cap - 1));
    while (m->keys[h] != UINT64_MAX && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    if (m->keys[h] == UINT64_MAX) {
        m->keys[h] = key;
        m->w[h] = 0.0;
        m->len++;
    }
    m->w[h] += w;
    return 0;
}

typedef struct edge {
    uint32_t from, to;
    double w;
} edge;

typedef struct chain {
    tp__intern states; /* key: the state's touches as raw uint32 bytes */
    edge *edges;       /* transient -> anything, sorted by (to, from); start edges excluded */
    size_t nedges;
    double *start;     /* per state: weight of start -> state */
    double *out;       /* per state: total outgoing weight */
    double *conv;      /* per state: weight into conversion */
    double *value;     /* per state: conversion value leaving through it */
    double *nulls;     /* per state: weight into null */
    double start_total;
    edge_map map;
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
    tp__free(c->map.keys);
    tp__free(c->map.w);
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

/* Count every transition of the paths. */
static tp_status chain_build(const tp_paths *p, const struct tp_options *o, chain *c)
{
    memset(c, 0, sizeof *c);
    tp__intern_init(&c->states);
    size_t k = (size_t)o->order;
    int self_loops = o->self_loops != 0;
    /* Edges into conversion and null are kept per state; the map holds
     * start -> state and state -> state. */
    tp__vec_f64 conv = {0}, value = {0}, nulls = {0};
    for (size_t i = 0; i < tp__paths_n(p); i++) {
        double w = p->conv.data[i] + p->nulls.data[i];
        if (!(w > 0.0))
            continue;
        const uint32_t *t = p->touch.data + p->off.data[i];
        size_t n = p->off.data[i + 1] - p->off.data[i];
        size_t nwin = n <= k ? 1 : n - k + 1, wlen = n <= k ? n : k;
        uint32_t prev = START_STATE;
        for (size_t j = 0; j < nwin; j++) {
            uint32_t s;
            if (tp__intern_put(&c->states, (const char *)(t + j), wlen * sizeof *t, &s))
                goto nomem;
            if (s == conv.len && (tp__vec_f64_push(&conv, 0.0) || tp__vec_f64_push(&value, 0.0) ||
                                  tp__vec_f64_push(&nulls, 0.0)))
                goto nomem;
            if (s == prev && !self_loops)
                continue;
            if (edges_add(&c->map, prev, s, w))
                goto nomem;
            prev = s;
        }
        conv.data[prev] += p->conv.data[i];
        value.data[prev] += p->value.data[i];
        nulls.data[prev] += p->nulls.data[i];
    }
    size_t ns = tp__intern_count(&c->states);
    c->start = tp__calloc(ns ? ns : 1, sizeof *c->start);
    c->out = tp__calloc(ns ? ns : 1, sizeof *c->out);
    c->edges = tp__malloc((c->map.len ? c->map.len : 1) * sizeof *c->edges);
    if (!c->start || !c->out || !c->edges)
        goto nomem;
    for (size_t h = 0; h < c->map.cap; h++) {
        if (c->map.keys[h] == UINT64_MAX)
            continue;
        uint32_t from = (uint32_t)(c->map.keys[h] >> 32), to = (uint32_t)c->map.keys[h];
        double w = c->map.w[h];
        if (from == START_STATE) {
            c->start[to] += w;
            c->start_total += w;
        } else {
            c->edges[c->nedges++] = (edge){from, to, w};
            c->out[from] += w;
        }
    }
    qsort(c->edges, c->nedges, sizeof *c->edges, edge_cmp);
    for (size_t s = 0; s < ns; s++)
        c->out[s] += conv.data[s] + nulls.data[s];
    c->conv = conv.data;
    c->value = value.data;
    c->nulls = nulls.data;
    return TP_OK;
nomem:
    tp__vec_f64_free(&conv);
    tp__vec_f64_free(&value);
    tp__vec_f64_free(&nulls);
    chain_free(c);
    return tp__error(TP_ENOMEM, "out of memory");
}

/* P(conversion) and expected value from the start, over the states with
 * keep[s] set (all when keep is NULL). */
static tp_status chain_solve(const chain *c, const uint8_t *keep, double *p_conv, double *p_value)
{
    size_t ns = tp__intern_count(&c->states);
    *p_conv = *p_value = 0.0;
    if (ns == 0 || !(c->start_total > 0.0))
        return TP_OK;
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

tp_status tp__markov_attribute(const tp_paths *p, const struct tp_options *o, tp__credit *out)
{
    size_t nn = tp__intern_count(&p->names);
    chain c;
    tp_status st = chain_build(p, o, &c);
    if (st != TP_OK)
        return st;
    size_t ns = tp__intern_count(&c.states);
    uint8_t *keep = tp__malloc(ns ? ns : 1);
    double base_conv = 0.0, base_value = 0.0;
    if (!keep)
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = chain_solve(&c, NULL, &base_conv, &base_value);
    out->p_conversion = base_conv;
    double sum_e = 0.0, sum_v = 0.0;
    for (size_t ch = 0; ch < nn && st == TP_OK; ch++) {
        for (size_t s = 0; s < ns; s++) {
            keep[s] = 1;
            for (size_t i = 0; i < state_len(&c, (uint32_t)s); i++)
                if (state_touch(&c, (uint32_t)s, i) == ch)
                    keep[s] = 0;
        }
        double pc, pv;
        if ((st = chain_solve(&c, keep, &pc, &pv)) != TP_OK)
            break;
        out->effect[ch] = base_conv > 0.0 ? 1.0 - pc / base_conv : 0.0;
        out->value_effect[ch] = base_value > 0.0 ? 1.0 - pv / base_value : 0.0;
        sum_e += out->effect[ch];
        sum_v += out->value_effect[ch];
    }
    for (size_t ch = 0; ch < nn && st == TP_OK; ch++) {
        out->conv[ch] = sum_e > 0.0 ? p->total_conv * out->effect[ch] / sum_e : 0.0;
        out->value[ch] = sum_v > 0.0 ? p->total_value * out->value_effect[ch] / sum_v : 0.0;
    }
    tp__free(keep);
    chain_free(&c);
    return st;
}

static void state_label(const tp_paths *p, const chain *c, uint32_t s, tp__strbuf *sb)
{
    sb->len = 0;
    if (s == START_STATE || s == CONV_STATE || s == NULL_STATE) {
        tp__sb_puts(sb, s == START_STATE ? "(start)" : s == CONV_STATE ? "(conversion)" : "(null)");
    } else {
        for (size_t i = 0; i < state_len(c, s); i++) {
            if (i)
                tp__sb_puts(sb, " > ");
            tp__sb_puts(sb, tp__intern_str(&p->names, state_touch(c, s, i)));
        }
    }
    tp__sb_putc(sb, '\0');
}

typedef struct out_edge {
    uint32_t from, to;
    double w, prob;
} out_edge;

/* From-state order: start first, then states by first appearance. */
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
    chain c;
    tp_status st = chain_build(p, o, &c);
    if (st != TP_OK)
        return st;
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
            state_label(p, &c, rows[i].from, &sb);
            tp__rb_str(&b, 0, sb.failed ? NULL : sb.data);
            state_label(p, &c, rows[i].to, &sb);
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
    return st;
}
