/* Funnels: ordered steps with windows, optional steps, strict or loose order,
 * exclusions; counts per step and where the dropped customers went.
 *
 * Each customer's selected events are scanned once in time order. For every
 * step we keep the chains that have reached it as (time at the step, time at
 * step 1) candidates. A later, later-started candidate beats an earlier one
 * (more room for both kinds of window), so each list keeps start times
 * decreasing as step times increase; the best predecessor for an event is then
 * the first candidate inside the step's window, found by binary search. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "analysis/counts.h"
#include "analysis/journey_index.h"
#include "analysis/result.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "model/funnel_internal.h"
#include "touchpoint/funnel.h"

/* ---- running ---- */

typedef struct cand {
    int64_t time, start;
} cand;

TP__VEC(cand, cand)

typedef struct run {
    const tp_funnel *f;
    size_t n;
    uint32_t tp[TP__FUNNEL_MAX_STEPS];    /* catalog index per step, TP__NONE for any */
    /* Per cell (catalog touchpoint x event type, CELL()): */
    uint8_t *excluded;         /* whether an exclusion matches the event */
    uint64_t *steps_of;        /* the bit set of the steps it matches */
    tp__vec_cand cands[TP__FUNNEL_MAX_STEPS];
    tp__vec_i64 delta[TP__FUNNEL_MAX_STEPS]; /* time from the previous performed step */
    uint64_t customers[TP__FUNNEL_MAX_STEPS];
    /* per customer */
    uint64_t reached;          /* bit set of steps reached */
    int maxreq;                /* furthest required step reached, or -1 */
    size_t maxreq_pos;         /* position in the customer's events where it was first reached */
} run;

static void run_free(run *r)
{
    tp__free(r->excluded);
    tp__free(r->steps_of);
    for (size_t i = 0; i < TP__FUNNEL_MAX_STEPS; i++) {
        tp__vec_cand_free(&r->cands[i]);
        tp__vec_i64_free(&r->delta[i]);
    }
}

/* The best candidate of step p for an event at time t: the first one within
 * the window of the step being reached (and within the funnel window). */
static const cand *best_of(const tp__vec_cand *v, int64_t t, int64_t step_window,
                           int64_t funnel_window)
{
    size_t lo = 0, hi = v->len;
    if (step_window > 0) {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t - v->data[mid].time > step_window)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    if (lo == v->len)
        return NULL;
    const cand *c = &v->data[lo];
    return funnel_window > 0 && t - c->start > funnel_window ? NULL : c;
}

/* Add a candidate, dropping those it dominates (no later start). */
static int push_cand(tp__vec_cand *v, cand c)
{
    while (v->len && v->data[v->len - 1].start <= c.start)
        v->len--;
    return tp__vec_cand_push(v, c);
}

/* One event of the current customer in its cell (touchpoint and type), at
 * time t, which is the customer's pos-th event. Returns 0 or -1 (out of
 * memory). */
static int on_event(run *r, size_t cell, int64_t t, size_t pos)
{
    const tp_funnel *f = r->f;
    if (r->excluded[cell]) {
        for (size_t j = 0; j < r->n; j++)
            r->cands[j].len = 0;
        return 0;
    }
    uint64_t here = r->steps_of[cell];
    if (!here)
        return 0;
    /* Later steps first, so this event never chains onto itself. */
    for (size_t jj = r->n; jj-- > 0;) {
        if (!(here >> jj & 1))
            continue;
        cand best = {0, INT64_MIN};
        int64_t prev_time = 0;
        if (jj == 0) {
            best = (cand){t, t};
            prev_time = t;
        } else {
            for (size_t p = jj; p-- > 0;) {
                const cand *c = best_of(&r->cands[p], t, f->steps[jj].window, f->window);
                if (c && (c->start > best.start ||
                          (c->start == best.start && c->time > prev_time))) {
                    best = (cand){t, c->start};
                    prev_time = c->time;
                }
                if (!f->steps[p].optional)
                    break;
            }
            if (best.start == INT64_MIN)
                continue;
        }
        if (push_cand(&r->cands[jj], best))
            return -1;
        if (!(r->reached >> jj & 1)) {
            r->reached |= (uint64_t)1 << jj;
            if (jj > 0 && tp__vec_i64_push(&r->delta[jj], t - prev_time))
                return -1;
            if (!f->steps[jj].optional && (int)jj > r->maxreq) {
                r->maxreq = (int)jj;
                r->maxreq_pos = pos;
            }
        }
    }
    if (f->mode == TP_FUNNEL_STRICT) /* another funnel step breaks the other chains */
        for (size_t j = 0; j < r->n; j++)
            if (!(here >> j & 1))
                r->cands[j].len = 0;
    return 0;
}

static int i64_cmp(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

typedef struct drop {
    uint32_t step, next; /* next: catalog index, or TP__NONE for (end) */
    uint64_t customers;
    const char *next_name;
} drop;

static int drop_cmp(const void *pa, const void *pb)
{
    const drop *a = pa, *b = pb;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    if (a->next != b->next) {
        /* grouping pass: by next; the final order is set by drop_rank */
        return a->next < b->next ? -1 : 1;
    }
    return 0;
}

static int drop_rank(const void *pa, const void *pb)
{
    const drop *a = pa, *b = pb;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    if (a->customers != b->customers)
        return a->customers > b->customers ? -1 : 1;
    return strcmp(a->next_name, b->next_name);
}

/* Events are matched by cell: catalog touchpoint x event type. */
enum { NTYPES = TP_EVENT_EXIT + 1 };
#define CELL(tp, type) ((size_t)(tp) * NTYPES + (size_t)(type))

/* The catalog index of a target's touchpoint (TP__NONE for any), or an error
 * naming it (@p what, e.g. "funnel step 2"). */
static tp_status target_index(const tp__view *v, const tp__funnel_target *at, const char *what,
                              uint32_t *out)
{
    *out = TP__NONE;
    size_t idx;
    if (!at->touchpoint)
        return TP_OK;
    if (tp_catalog_find_touchpoint(v->cat, at->touchpoint, &idx) == TP_OK) {
        *out = (uint32_t)idx;
        return TP_OK;
    }
    /* "online-checkout (convrsion)": a touchpoint and a misspelt type. */
    const char *id = at->touchpoint, *open = strrchr(id, '(');
    size_t len = strlen(id);
    if (open && open > id && len && id[len - 1] == ')') {
        static const char *const types[] = {"interaction", "conversion", "exit", NULL};
        char word[64], prefix[TP__IDENT_MAX + 1];
        size_t plen = (size_t)(open - id), wlen = len - plen - 2;
        while (plen && id[plen - 1] == ' ')
            plen--;
        memcpy(prefix, id, plen);
        prefix[plen] = '\0';
        snprintf(word, sizeof word, "%.*s", (int)wlen, open + 1);
        const char *near = tp__nearest_word(word, types);
        if (plen && near && tp_catalog_find_touchpoint(v->cat, prefix, &idx) == TP_OK)
            return tp__error(TP_ENOTFOUND,
                             "%s: '(%s)' is not an event type (did you mean '%s (%s)'? types: "
                             "interaction, conversion, exit)",
                             what, word, prefix, near);
    }
    char hint[512];
    tp__catalog_suggest_touchpoint(v->cat, id, hint, sizeof hint);
    return tp__error(TP_ENOTFOUND, "%s: '%.60s' is not a touchpoint of the catalog (%s)", what,
                     id, hint);
}

/* Visit the cells a target matches. */
#define EACH_CELL(v, idx, type, cell)                                                         \
    for (size_t tp_ = (idx) == TP__NONE ? 0 : (idx);                                          \
         tp_ < ((idx) == TP__NONE ? (v)->ntp : (size_t)(idx) + 1); tp_++)                      \
        for (size_t ty_ = (type) == TP__ANY_TYPE ? 0 : (size_t)(type);                        \
             ty_ < ((type) == TP__ANY_TYPE ? (size_t)NTYPES : (size_t)(type) + 1); ty_++)      \
            for (size_t cell = CELL(tp_, ty_), once_ = 1; once_; once_ = 0)

static tp_status resolve(run *r, const tp__view *v)
{
    const tp_funnel *f = r->f;
    size_t ncells = (v->ntp ? v->ntp : 1) * NTYPES;
    r->excluded = tp__calloc(ncells, 1);
    r->steps_of = tp__calloc(ncells, sizeof *r->steps_of);
    if (!r->excluded || !r->steps_of)
        return tp__error(TP_ENOMEM, "out of memory");
    char what[48];
    for (size_t j = 0; f->mode == TP_FUNNEL_ANY_ORDER && j < f->nsteps; j++)
        if (f->steps[j].optional || f->steps[j].window)
            return tp__error(TP_EINVAL,
                             "funnel step %zu: a funnel in any order has no optional steps or "
                             "step windows (the conversion window bounds it)",
                             j + 1);
    for (size_t i = 0; i < f->exclusions.len; i++) {
        const tp__funnel_target *at = &f->exclusions.data[i];
        uint32_t idx;
        tp_status st = target_index(v, at, "funnel exclusion", &idx);
        if (st != TP_OK)
            return st;
        EACH_CELL(v, idx, at->type, cell)
            r->excluded[cell] = 1;
    }
    for (size_t j = 0; j < f->nsteps; j++) {
        const tp__funnel_target *at = &f->steps[j].at;
        snprintf(what, sizeof what, "funnel step %zu", j + 1);
        tp_status st = target_index(v, at, what, &r->tp[j]);
        if (st != TP_OK)
            return st;
        /* An excluded event is never a step: a step that only such events
         * match could never be reached. */
        int open = 0;
        EACH_CELL(v, r->tp[j], at->type, cell) {
            r->steps_of[cell] |= (uint64_t)1 << j;
            open |= !r->excluded[cell];
        }
        if (!open && (r->tp[j] != TP__NONE || v->ntp)) {
            tp__strbuf b = {0};
            tp__funnel_target_text(&b, at->touchpoint, at->type);
            st = tp__error(TP_EINVAL, "funnel: the exclusions match every event of step %zu ('%.60s')",
                           j + 1, b.failed ? "?" : b.data);
            tp__sb_free(&b);
            return st;
        }
    }
    return TP_OK;
}

/* The run's step counts and time deltas as a partial aggregate. */
static tp_status partial_of(run *r, tp__ktab *out)
{
    for (size_t j = 0; j < r->n; j++) {
        const tp__funnel_step *s = &r->f->steps[j];
        uint32_t key[4] = {TP__KEY_STEP, (uint32_t)j, r->tp[j] == TP__NONE ? TP__KEY_ANY : r->tp[j],
                           (uint32_t)s->optional | (uint32_t)(s->at.type + 1) << 1};
        if (r->f->mode == TP_FUNNEL_ANY_ORDER) { /* row j: did j + 1 of the steps */
            key[2] = TP__KEY_ANY;
            key[3] = TP__FUNNEL_COUNT_ROW;
        }
        tp__krec *k = tp__ktab_get(out, key, 4, NULL);
        if (!k)
            return tp__error(TP_ENOMEM, "out of memory");
        k->n[0] += r->customers[j];
        tp__vec_i64 *d = &r->delta[j];
        if (d->len) /* an empty vector has no buffer; qsort wants one */
            qsort(d->data, d->len, sizeof *d->data, i64_cmp);
        for (size_t a = 0; a < d->len;) {
            size_t b = a;
            while (b < d->len && d->data[b] == d->data[a])
                b++;
            uint64_t ms = (uint64_t)d->data[a];
            uint32_t dk[4] = {TP__KEY_DELTA, (uint32_t)j, (uint32_t)ms, (uint32_t)(ms >> 32)};
            if (!(k = tp__ktab_get(out, dk, 4, NULL)))
                return tp__error(TP_ENOMEM, "out of memory");
            k->n[0] += b - a;
            a = b;
        }
    }
    return TP_OK;
}

typedef struct delta_count {
    uint32_t step;
    int64_t ms;
    uint64_t n;
} delta_count;

static int delta_cmp(const void *pa, const void *pb)
{
    const delta_count *a = pa, *b = pb;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    return a->ms < b->ms ? -1 : a->ms > b->ms;
}

/* The value at rank k (0-based) of a step's sorted deltas. */
static int64_t delta_at(const delta_count *d, size_t n, uint64_t k)
{
    for (size_t i = 0; i < n; i++) {
        if (k < d[i].n)
            return d[i].ms;
        k -= d[i].n;
    }
    return 0;
}

/* Column 1 of a steps or drop-offs row: step @p j's text ("cart",
 * "online-checkout (conversion)"), or "(any k of n)" in an any-order funnel. */
static void put_label(tp__rb *b, int any_order, size_t j, size_t nsteps, const char *id,
                      int type)
{
    tp__strbuf label = {0};
    if (any_order)
        tp__sb_printf(&label, "(any %zu of %zu)", j + 1, nsteps);
    else
        tp__funnel_target_text(&label, id, type);
    if (label.failed && b->st == TP_OK)
        b->st = tp__error(TP_ENOMEM, "out of memory");
    tp__rb_str(b, 1, label.data);
    tp__sb_free(&label);
}

tp_status tp__funnel_render(const tp__names *nm, const tp__ktab *t, tp_table **out)
{
    size_t nr = tp__ktab_count(t), nsteps = 0, nd = 0;
    uint32_t step_rec[TP__FUNNEL_MAX_STEPS];
    delta_count *d = tp__malloc((nr ? nr : 1) * sizeof *d);
    if (!d)
        return tp__error(TP_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < nr; i++) {
        uint32_t tag = tp__ktab_key_at(t, i, 0), j = tp__ktab_key_at(t, i, 1);
        if (tag == TP__KEY_STEP && j < TP__FUNNEL_MAX_STEPS) {
            step_rec[j] = i;
            nsteps++;
        } else if (tag == TP__KEY_DELTA) {
            uint64_t ms = (uint64_t)tp__ktab_key_at(t, i, 2) | (uint64_t)tp__ktab_key_at(t, i, 3) << 32;
            d[nd++] = (delta_count){j, (int64_t)ms, t->rec.data[i].n[0]};
        }
    }
    qsort(d, nd, sizeof *d, delta_cmp);
    static const tp__col cols[] = {
        {"step", TP_TYPE_INT64},     {"touchpoint", TP_TYPE_STRING},
        {"optional", TP_TYPE_INT64}, {"customers", TP_TYPE_INT64},
        {"conversion_from_start", TP_TYPE_DOUBLE}, {"conversion_from_previous", TP_TYPE_DOUBLE},
        {"dropped", TP_TYPE_INT64},  {"median_ms", TP_TYPE_DOUBLE}};
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    tp__rb_unit(&b, "optional", TP_UNIT_FLAG);
    tp__rb_unit(&b, "median_ms", TP_UNIT_DURATION);
    uint64_t first = nsteps ? t->rec.data[step_rec[0]].n[0] : 0, prev = first;
    size_t at = 0;
    for (size_t j = 0; j < nsteps; j++) {
        const tp__krec *k = &t->rec.data[step_rec[j]];
        uint64_t n = k->n[0];
        uint32_t flags = tp__ktab_key_at(t, step_rec[j], 3);
        int opt = flags == TP__FUNNEL_COUNT_ROW ? 0 : (int)(flags & 1);
        size_t from = at;
        uint64_t total = 0;
        while (at < nd && d[at].step == j)
            total += d[at++].n;
        double median = NAN;
        if (total) {
            int64_t hi = delta_at(d + from, at - from, total / 2);
            median = total % 2 ? (double)hi
                               : ((double)delta_at(d + from, at - from, total / 2 - 1) + (double)hi) / 2;
        }
        tp__rb_row(&b);
        tp__rb_i64(&b, 0, (int64_t)j + 1);
        uint32_t where = tp__ktab_key_at(t, step_rec[j], 2);
        put_label(&b, flags == TP__FUNNEL_COUNT_ROW, j, nsteps,
                  where == TP__KEY_ANY ? NULL : nm->id[where], (int)(flags >> 1) - 1);
        tp__rb_i64(&b, 2, opt);
        tp__rb_i64(&b, 3, (int64_t)n);
        tp__rb_f64(&b, 4, first ? (double)n / (double)first : NAN);
        tp__rb_f64(&b, 5, j == 0 ? (first ? 1.0 : NAN) : prev ? (double)n / (double)prev : NAN);
        tp__rb_i64(&b, 6, j == 0 || opt ? 0 : (int64_t)(prev - n));
        tp__rb_f64(&b, 7, median);
        if (!opt)
            prev = n;
    }
    tp__free(d);
    return tp__rb_finish(&b, out);
}

/* A target's text and its NUL, hashed; a step at a touchpoint without a type
 * hashes as its id alone did before steps had types. */
static uint64_t hash_target(const tp__funnel_target *at, uint64_t h)
{
    if (at->type == TP__ANY_TYPE)
        return tp__hash_bytes(at->touchpoint, strlen(at->touchpoint) + 1, h);
    tp__strbuf b = {0};
    tp__funnel_target_text(&b, at->touchpoint, at->type);
    tp__sb_putc(&b, '\0');
    h = b.failed ? h ^ (uint64_t)at->type : tp__hash_bytes(b.data, b.len, h);
    tp__sb_free(&b);
    return h;
}

uint64_t tp__funnel_print(const tp_funnel *f)
{
    uint64_t h = 0x66756e6e656cULL;
    for (size_t j = 0; j < f->nsteps; j++) {
        const tp__funnel_step *s = &f->steps[j];
        h = hash_target(&s->at, h);
        int64_t w[2] = {s->optional, s->window};
        h = tp__hash_bytes(w, sizeof w, h);
    }
    for (size_t i = 0; i < f->exclusions.len; i++)
        h = hash_target(&f->exclusions.data[i], h ^ 0x65);
    int64_t w[2] = {f->window, (int64_t)f->mode};
    return tp__hash_bytes(w, sizeof w, h);
}

static tp_status dropoffs_table(run *r, const tp__view *v, drop *d, size_t nd, tp_table **out)
{
    qsort(d, nd, sizeof *d, drop_cmp);
    size_t m = 0;
    for (size_t i = 0; i < nd; i++) {
        if (m && d[m - 1].step == d[i].step && d[m - 1].next == d[i].next) {
            d[m - 1].customers++;
            continue;
        }
        d[m] = d[i];
        d[m].customers = 1;
        d[m].next_name = d[i].next == TP__NONE ? TP_END_MARKER : tp__catalog_id(v->cat, d[i].next);
        m++;
    }
    qsort(d, m, sizeof *d, drop_rank);
    static const tp__col cols[] = {{"step", TP_TYPE_INT64},
                                   {"touchpoint", TP_TYPE_STRING},
                                   {"next", TP_TYPE_STRING},
                                   {"customers", TP_TYPE_INT64}};
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    for (size_t i = 0; i < m; i++) {
        tp__rb_row(&b);
        tp__rb_i64(&b, 0, (int64_t)d[i].step + 1);
        uint32_t at = r->tp[d[i].step];
        put_label(&b, r->f->mode == TP_FUNNEL_ANY_ORDER, d[i].step, r->n,
                  at == TP__NONE ? NULL : tp__catalog_id(v->cat, at),
                  r->f->steps[d[i].step].at.type);
        tp__rb_str(&b, 2, d[i].next_name);
        tp__rb_i64(&b, 3, (int64_t)d[i].customers);
    }
    return tp__rb_finish(&b, out);
}

/* Any order: the most distinct steps the customer's events [i, end) of the
 * index cover in one window (starting at a step event; exclusions cut the
 * history into pieces no window crosses), and in the earliest window that
 * covers that many, the time each further step was first done. Sets reached,
 * maxreq and maxreq_pos as the ordered scan does. Returns 0 or -1 (memory). */
static int any_order(run *r, const tp_events *e, const tp__journey_index *ix, size_t i, size_t end)
{
    const tp_funnel *f = r->f;
#define AT(k) CELL(e->touchpoint.data[ix->rows[k]], e->type.data[ix->rows[k]])
#define TIME(k) e->time.data[ix->rows[k]]
    size_t best = 0, best_start = end;
    for (size_t seg = i; seg < end;) {
        size_t stop = seg;
        while (stop < end && !r->excluded[AT(stop)])
            stop++;
        uint32_t cnt[TP__FUNNEL_MAX_STEPS] = {0};
        size_t distinct = 0, hi = seg;
        for (size_t lo = seg; lo < stop; lo++) {
            uint64_t here = r->steps_of[AT(lo)];
            if (!here)
                continue; /* windows start at step events */
            for (; hi < stop && (f->window == 0 || TIME(hi) - TIME(lo) <= f->window); hi++)
                for (uint64_t h = r->steps_of[AT(hi)]; h; h &= h - 1)
                    distinct += cnt[__builtin_ctzll(h)]++ == 0;
            if (distinct > best) {
                best = distinct;
                best_start = lo;
            }
            for (uint64_t h = here; h; h &= h - 1)
                distinct -= --cnt[__builtin_ctzll(h)] == 0;
        }
        seg = stop + 1; /* past the exclusion */
    }
    if (!best)
        return 0;
    uint64_t seen = 0;
    size_t k = 0;
    int64_t prev = TIME(best_start);
    for (size_t q = best_start; q < end && k < best && !r->excluded[AT(q)]; q++) {
        uint64_t fresh = r->steps_of[AT(q)] & ~seen;
        if (!fresh)
            continue;
        seen |= fresh;
        for (; fresh; fresh &= fresh - 1, k++) {
            if (k > 0 && tp__vec_i64_push(&r->delta[k], TIME(q) - prev))
                return -1;
            prev = TIME(q);
            r->maxreq_pos = q;
        }
    }
#undef AT
#undef TIME
    r->reached = best == 64 ? UINT64_MAX : ((uint64_t)1 << best) - 1;
    r->maxreq = (int)best - 1;
    return 0;
}

/* Scan every customer's events; dropped customers go to d (when not NULL). */
static tp_status scan(run *r, const tp__view *v, const tp__journey_index *ix, drop *d,
                      size_t *nd)
{
    const tp_events *e = v->ev;
    const tp_funnel *f = r->f;
    tp_status st = TP_OK;
    /* Customers are contiguous in the index: scan each one's events. */
    for (size_t i = 0, who = 0; i < ix->nrows && st == TP_OK; who++) {
        if ((st = tp__options_tick(v->opt, who, tp__intern_count(&e->customers))) != TP_OK)
            break;
        uint32_t cust = e->customer.data[ix->rows[i]];
        size_t end = i;
        while (end < ix->nrows && e->customer.data[ix->rows[end]] == cust)
            end++;
        r->reached = 0;
        r->maxreq = -1;
        for (size_t j = 0; j < r->n; j++)
            r->cands[j].len = 0;
        if (f->mode == TP_FUNNEL_ANY_ORDER) {
            if (any_order(r, e, ix, i, end))
                st = tp__error(TP_ENOMEM, "out of memory");
        }
        for (size_t k = i; f->mode != TP_FUNNEL_ANY_ORDER && k < end && st == TP_OK; k++) {
            uint32_t row = ix->rows[k];
            if (on_event(r, CELL(e->touchpoint.data[row], e->type.data[row]), e->time.data[row], k))
                st = tp__error(TP_ENOMEM, "out of memory");
        }
        for (size_t j = 0; j < r->n; j++)
            r->customers[j] += r->reached >> j & 1;
        /* A customer who started but stopped before the last required step. */
        int last_req = (int)r->n - 1;
        while (last_req > 0 && f->steps[last_req].optional)
            last_req--;
        if (d && r->maxreq >= 0 && r->maxreq < last_req) {
            /* Where they went: the next event elsewhere than the event that
             * reached the step (staying is not going). */
            uint32_t at = e->touchpoint.data[ix->rows[r->maxreq_pos]];
            size_t nxt = r->maxreq_pos + 1;
            while (nxt < end && e->touchpoint.data[ix->rows[nxt]] == at)
                nxt++;
            d[(*nd)++] = (drop){(uint32_t)r->maxreq,
                                nxt < end ? e->touchpoint.data[ix->rows[nxt]] : TP__NONE, 0, NULL};
        }
        i = end;
    }
    return st;
}

tp_status tp__funnel_count(const tp__view *v, const tp__journey_index *ix, const tp_funnel *f,
                           tp__ktab *out)
{
    if (!f || f->nsteps == 0)
        return tp__error(TP_EINVAL, "funnel: %s", f ? "no steps" : "funnel is NULL");
    run r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.n = f->nsteps;
    tp_status st = resolve(&r, v);
    if (st == TP_OK)
        st = scan(&r, v, ix, NULL, NULL);
    if (st == TP_OK)
        st = partial_of(&r, out);
    run_free(&r);
    return st;
}

TP_API tp_status tp_funnel_run(const tp_events *events, const tp_funnel *f,
                               const tp_filter *filter, const tp_options *options,
                               tp_table **steps, tp_table **dropoffs)
{
    if (steps)
        *steps = NULL;
    if (dropoffs)
        *dropoffs = NULL;
    if (!steps || !f || f->nsteps == 0)
        return tp__error(TP_EINVAL, "tp_funnel_run: %s",
                         !steps ? "steps is NULL" : !f ? "funnel is NULL" : "funnel has no steps");
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_funnel_run");
    if (st != TP_OK)
        return st;
    run r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.n = f->nsteps;
    drop *d = NULL;
    size_t nd = 0;
    tp__ktab t;
    tp__names nm;
    tp__ktab_init(&t);
    memset(&nm, 0, sizeof nm);
    if ((st = resolve(&r, &v)) == TP_OK && !(d = tp__malloc((ix.nrows ? ix.nrows : 1) * sizeof *d)))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = scan(&r, &v, &ix, d, &nd);
    if (st == TP_OK)
        st = partial_of(&r, &t);
    if (st == TP_OK)
        st = tp__names_of_catalog(v.cat, &nm);
    if (st == TP_OK)
        st = tp__funnel_render(&nm, &t, steps);
    char why[128];
    st = tp__note(st, steps, tp__journeys_why_none(&v, &ix, why, sizeof why));
    if (st == TP_OK && dropoffs && (st = dropoffs_table(&r, &v, d, nd, dropoffs)) != TP_OK) {
        tp_table_free(*steps);
        *steps = NULL;
    }
    tp__names_free(&nm);
    tp__ktab_free(&t);
    tp__free(d);
    run_free(&r);
    tp__journeys_close(&v, &ix);
    return st;
}
