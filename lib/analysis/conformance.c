/* Conformance of observed journeys to a designed journey map, in one pass
 * with one small state per customer (so it also runs on streams). */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "analysis/journey_index.h"
#include "analysis/result.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "core/utf8.h"
#include "touchpoint/conformance.h"

enum { K_UNEXPECTED, K_BACKWARD, K_SKIPPED, K_DISALLOWED, NKINDS };
static const char *const kind_names[NKINDS] = {"unexpected_touchpoint", "backward_move",
                                               "skipped_stage", "disallowed_transition"};

#define START_ID 0u
#define END_ID 1u
#define UNEXPECTED INT32_MIN

TP__VEC(u64, uint64_t)
TP__VEC(i32, int32_t)

typedef struct cust {
    uint32_t last;          /* touchpoint id, START_ID before the first event */
    int64_t time;
    uint32_t journey;       /* journeys so far */
    uint32_t transitions, allowed, deviations;
    uint8_t open, last_type;
    uint8_t entered;        /* the open journey visited a touchpoint of the map */
    tp__vec_u64 seen;       /* the open journey's deviations, one key per occurrence,
                               counted when it closes (if it entered the map) */
} cust;

TP__VEC(cust, cust)

/* A deviation's key: its kind, the designed stages it moved between (a skip
 * names the stages passed over; 0 for the other kinds) and its touchpoint. */
_Static_assert(TP_MAX_STAGES + 2 <= 4096, "a stage (+1, and the end) fits 12 bits of a key");
static uint64_t dev_key(int kind, int32_t from, int32_t to, uint32_t tp)
{
    uint64_t stages = kind == K_SKIPPED ? (uint64_t)(from + 1) << 12 | (uint64_t)(to + 1) : 0;
    return (uint64_t)kind << 56 | stages << 32 | tp;
}

struct tp_conformer {
    tp__intern names;       /* touchpoint ids; 0 "(start)", 1 "(end)" */
    tp__intern stage_names; /* the map's stages, by index */
    tp__vec_i32 stage_of;   /* per name: designed stage, UNEXPECTED, -1 for start */
    int32_t nstages;
    tp__vec_u64 allowed;    /* sorted from << 32 | to; empty: the default rule */
    int64_t timeout;
    tp__intern own_customers;
    const tp__intern *customers; /* own_customers, or an event log's pool */
    tp__vec_cust state;     /* per customer id */
    /* results */
    tp__intern dev_keys;    /* 8-byte dev_key()s -> dense id */
    tp__vec_u64 dev_count, dev_journeys;
    uint64_t njourneys, conforming, transitions, allowed_transitions;
    uint64_t outside;       /* journeys that never visited a touchpoint of the map */
    double fitness_sum;
    tp__vec_u32 j_customer, j_number, j_transitions, j_allowed, j_deviations;
};

static int name_id(tp_conformer *c, const char *s, size_t len, uint32_t *id)
{
    if (tp__intern_put(&c->names, s, len, id))
        return -1;
    while (c->stage_of.len <= *id)
        if (tp__vec_i32_push(&c->stage_of, UNEXPECTED))
            return -1;
    return 0;
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static tp_status conformer_init(tp_conformer *c, const tp_catalog *cat, const char *map_id,
                                const tp_options *options)
{
    memset(c, 0, sizeof *c);
    tp__intern_init(&c->names);
    tp__intern_init(&c->stage_names);
    tp__intern_init(&c->own_customers);
    tp__intern_init(&c->dev_keys);
    c->customers = &c->own_customers;
    struct tp_options defaults;
    tp__options_defaults(&defaults);
    c->timeout = (options ? options : &defaults)->timeout;
    const tp_journey_map *m;
    tp_status st = tp_catalog_find_journey_map(cat, map_id, &m);
    if (st != TP_OK)
        return st;
    uint32_t id;
    if (name_id(c, TP_START_MARKER, strlen(TP_START_MARKER), &id) ||
        name_id(c, TP_END_MARKER, strlen(TP_END_MARKER), &id))
        return tp__error(TP_ENOMEM, "out of memory");
    size_t ns = tp_journey_map_stage_count(m);
    c->nstages = (int32_t)ns;
    c->stage_of.data[START_ID] = -1;
    c->stage_of.data[END_ID] = (int32_t)ns;
    for (size_t s = 0; s < ns; s++) {
        const char *stage = tp_journey_map_stage_name(m, s);
        if (tp__intern_put(&c->stage_names, stage, strlen(stage), &id))
            return tp__error(TP_ENOMEM, "out of memory");
        for (size_t i = 0; i < tp_journey_map_stage_size(m, s); i++) {
            const char *tp = tp_journey_map_stage_touchpoint(m, s, i);
            if (name_id(c, tp, strlen(tp), &id))
                return tp__error(TP_ENOMEM, "out of memory");
            if (c->stage_of.data[id] == UNEXPECTED)
                c->stage_of.data[id] = (int32_t)s;
        }
    }
    for (size_t i = 0; i < tp_journey_map_transition_count(m); i++) {
        const char *from, *to;
        uint32_t a, b;
        tp_journey_map_transition(m, i, &from, &to);
        if (name_id(c, from, strlen(from), &a) || name_id(c, to, strlen(to), &b) ||
            tp__vec_u64_push(&c->allowed, (uint64_t)a << 32 | b))
            return tp__error(TP_ENOMEM, "out of memory");
    }
    if (c->allowed.len)
        qsort(c->allowed.data, c->allowed.len, sizeof *c->allowed.data, u64_cmp);
    return TP_OK;
}

static void conformer_clear(tp_conformer *c)
{
    tp__intern_free(&c->names);
    tp__intern_free(&c->stage_names);
    tp__vec_i32_free(&c->stage_of);
    tp__vec_u64_free(&c->allowed);
    tp__intern_free(&c->own_customers);
    for (size_t i = 0; i < c->state.len; i++)
        tp__vec_u64_free(&c->state.data[i].seen);
    tp__vec_cust_free(&c->state);
    tp__intern_free(&c->dev_keys);
    tp__vec_u64_free(&c->dev_count);
    tp__vec_u64_free(&c->dev_journeys);
    tp__vec_u32_free(&c->j_customer);
    tp__vec_u32_free(&c->j_number);
    tp__vec_u32_free(&c->j_transitions);
    tp__vec_u32_free(&c->j_allowed);
    tp__vec_u32_free(&c->j_deviations);
}

static int is_allowed(const tp_conformer *c, uint32_t a, uint32_t b)
{
    if (c->allowed.len) {
        uint64_t key = (uint64_t)a << 32 | b;
        return bsearch(&key, c->allowed.data, c->allowed.len, sizeof key, u64_cmp) != NULL;
    }
    int32_t sa = c->stage_of.data[a], sb = c->stage_of.data[b];
    if (sa == UNEXPECTED || sb == UNEXPECTED)
        return 0;
    if (a == START_ID)
        return sb == 0 || (b == END_ID && c->nstages == 0);
    if (b == END_ID)
        return sa == c->nstages - 1;
    return sb == sa || sb == sa + 1;
}

/* A deviation of the open journey; counted when the journey closes. */
static int deviation(tp_conformer *c, cust *s, uint64_t key)
{
    (void)c;
    s->deviations++;
    return tp__vec_u64_push(&s->seen, key);
}

/* Count the closed journey's deviations: every occurrence, and each key once
 * for the journeys it happened in. */
static int count_deviations(tp_conformer *c, cust *s)
{
    if (s->seen.len > 1)
        qsort(s->seen.data, s->seen.len, sizeof *s->seen.data, u64_cmp);
    for (size_t i = 0; i < s->seen.len; i++) {
        uint64_t key = s->seen.data[i];
        uint32_t id;
        if (tp__intern_put(&c->dev_keys, (const char *)&key, sizeof key, &id))
            return -1;
        if (id == c->dev_count.len &&
            (tp__vec_u64_push(&c->dev_count, 0) || tp__vec_u64_push(&c->dev_journeys, 0)))
            return -1;
        c->dev_count.data[id]++;
        c->dev_journeys.data[id] += i == 0 || s->seen.data[i - 1] != key;
    }
    return 0;
}

static int transition(tp_conformer *c, cust *s, uint32_t a, uint32_t b)
{
    s->transitions++;
    if (is_allowed(c, a, b)) {
        s->allowed++;
        return 0;
    }
    int32_t sa = c->stage_of.data[a], sb = c->stage_of.data[b];
    if (sa == UNEXPECTED || sb == UNEXPECTED)
        return 0; /* the visit itself is the deviation */
    int kind = sb < sa ? K_BACKWARD : sb > sa + 1 ? K_SKIPPED : K_DISALLOWED;
    return deviation(c, s, dev_key(kind, sa, sb, b == END_ID ? a : b));
}

static int close_journey(tp_conformer *c, uint32_t customer)
{
    cust *s = &c->state.data[customer];
    if (!s->open)
        return 0;
    if (transition(c, s, s->last, END_ID))
        return -1;
    s->open = 0;
    if (!s->entered) { /* outside the map's scope: not a journey of it */
        c->outside++;
        s->seen.len = 0;
        return 0;
    }
    if (count_deviations(c, s))
        return -1;
    if (tp__vec_u32_push(&c->j_customer, customer) || tp__vec_u32_push(&c->j_number, s->journey) ||
        tp__vec_u32_push(&c->j_transitions, s->transitions) ||
        tp__vec_u32_push(&c->j_allowed, s->allowed) ||
        tp__vec_u32_push(&c->j_deviations, s->deviations))
        return -1;
    c->njourneys++;
    c->transitions += s->transitions;
    c->allowed_transitions += s->allowed;
    c->conforming += s->allowed == s->transitions;
    c->fitness_sum += (double)s->allowed / (double)s->transitions;
    s->seen.len = 0;
    return 0;
}

/* One event of customer `customer` (a state index) at touchpoint id `tp`. */
static int on_event(tp_conformer *c, uint32_t customer, int64_t time, uint32_t tp, uint8_t type)
{
    while (c->state.len <= customer)
        if (tp__vec_cust_push(&c->state, (cust){0}))
            return -1;
    cust *s = &c->state.data[customer];
    if (s->open && (s->last_type != TP_EVENT_INTERACTION || time - s->time > c->timeout) &&
        close_journey(c, customer))
        return -1;
    s = &c->state.data[customer];
    if (!s->open) {
        *s = (cust){START_ID, time, s->journey + 1, 0, 0, 0, 1, 0, 0, s->seen};
        s->seen.len = 0;
    }
    if (transition(c, s, s->last, tp))
        return -1;
    if (c->stage_of.data[tp] == UNEXPECTED && deviation(c, s, dev_key(K_UNEXPECTED, 0, 0, tp)))
        return -1;
    s->entered |= c->stage_of.data[tp] != UNEXPECTED;
    s->last = tp;
    s->time = time;
    s->last_type = type;
    return 0;
}

typedef struct dev_row {
    int kind;
    uint64_t count, journeys;
    const char *tp;
    uint32_t from, to; /* a skip: from + 1 .. to - 1 are the stages passed over */
} dev_row;

static int dev_cmp(const void *pa, const void *pb)
{
    const dev_row *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = strcmp(a->tp, b->tp);
    if (c)
        return c;
    return a->from != b->from ? (a->from < b->from ? -1 : 1) : (a->to > b->to) - (a->to < b->to);
}

/* The stages a skip passed over, "consideration, purchase" (rows' keys hold
 * the stages + 1: 0 is before the first stage). */
static const char *skipped_names(const tp_conformer *c, const dev_row *r, tp__strbuf *out)
{
    out->len = 0;
    for (uint32_t st = r->from; st + 1 < r->to; st++) /* stage st: key value st + 1 */
        tp__sb_printf(out, "%s%s", st > r->from ? ", " : "", tp__intern_str(&c->stage_names, st));
    return out->failed || !out->data ? NULL : out->data;
}

static tp_status report(const tp_conformer *c, tp_table **summary, tp_table **journeys)
{
    size_t nd = c->dev_count.len;
    dev_row *rows = tp__malloc((nd ? nd : 1) * sizeof *rows);
    if (!rows)
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < nd; i++) {
        uint64_t key;
        memcpy(&key, tp__intern_str(&c->dev_keys, (uint32_t)i), sizeof key);
        rows[i] = (dev_row){(int)(key >> 56), c->dev_count.data[i], c->dev_journeys.data[i],
                            tp__intern_str(&c->names, (uint32_t)key),
                            (uint32_t)(key >> 44) & 0xFFF, (uint32_t)(key >> 32) & 0xFFF};
    }
    qsort(rows, nd, sizeof *rows, dev_cmp);
    static const tp__col cols[] = {{"kind", TP_TYPE_STRING},
                                   {"touchpoint", TP_TYPE_STRING},
                                   {"count", TP_TYPE_INT64},
                                   {"journeys", TP_TYPE_INT64},
                                   {"fitness", TP_TYPE_DOUBLE},
                                   {"skipped", TP_TYPE_STRING}};
    tp__rb b;
    tp__strbuf names = {0};
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    tp__rb_row(&b);
    tp__rb_str(&b, 0, "overall");
    tp__rb_i64(&b, 2, (int64_t)c->transitions);
    tp__rb_i64(&b, 3, (int64_t)c->njourneys);
    tp__rb_f64(&b, 4, c->njourneys ? c->fitness_sum / (double)c->njourneys : NAN);
    tp__rb_row(&b);
    tp__rb_str(&b, 0, "conforming");
    tp__rb_i64(&b, 2, (int64_t)c->allowed_transitions);
    tp__rb_i64(&b, 3, (int64_t)c->conforming);
    tp__rb_f64(&b, 4,
               c->transitions ? (double)c->allowed_transitions / (double)c->transitions : NAN);
    tp__rb_row(&b);
    tp__rb_str(&b, 0, "outside_map");
    tp__rb_i64(&b, 3, (int64_t)c->outside);
    for (size_t i = 0; i < nd; i++) {
        tp__rb_row(&b);
        tp__rb_str(&b, 0, kind_names[rows[i].kind]);
        tp__rb_str(&b, 1, rows[i].tp);
        tp__rb_i64(&b, 2, (int64_t)rows[i].count);
        tp__rb_i64(&b, 3, (int64_t)rows[i].journeys);
        if (rows[i].kind == K_SKIPPED)
            tp__rb_str(&b, 5, skipped_names(c, &rows[i], &names));
    }
    if (names.failed && b.st == TP_OK)
        b.st = tp__error(TP_ENOMEM, "out of memory");
    tp__sb_free(&names);
    tp__free(rows);
    tp_status st = tp__rb_finish(&b, summary);
    if (st != TP_OK || !journeys)
        return st;
    static const tp__col jcols[] = {{"customer", TP_TYPE_STRING},   {"journey", TP_TYPE_INT64},
                                    {"transitions", TP_TYPE_INT64}, {"allowed", TP_TYPE_INT64},
                                    {"deviations", TP_TYPE_INT64},  {"fitness", TP_TYPE_DOUBLE}};
    tp__rb_begin(&b, jcols, TP__NCOLS(jcols));
    for (size_t i = 0; i < c->j_customer.len; i++) {
        tp__rb_row(&b);
        tp__rb_str(&b, 0, tp__intern_str(c->customers, c->j_customer.data[i]));
        tp__rb_i64(&b, 1, c->j_number.data[i]);
        tp__rb_i64(&b, 2, c->j_transitions.data[i]);
        tp__rb_i64(&b, 3, c->j_allowed.data[i]);
        tp__rb_i64(&b, 4, c->j_deviations.data[i]);
        tp__rb_f64(&b, 5, (double)c->j_allowed.data[i] / (double)c->j_transitions.data[i]);
    }
    if ((st = tp__rb_finish(&b, journeys)) != TP_OK) {
        tp_table_free(*summary);
        *summary = NULL;
    }
    return st;
}

/* ---- streaming API ---- */

TP_API tp_status tp_conformer_new(tp_conformer **out, const tp_catalog *catalog,
                                  const char *map_id, const tp_options *options)
{
    if (!out || !catalog || !map_id)
        return tp__error(TP_EINVAL, "tp_conformer_new: NULL argument");
    *out = NULL;
    tp_conformer *c = tp__malloc(sizeof *c);
    if (!c)
        return tp__error(TP_ENOMEM, "out of memory");
    tp_status st = conformer_init(c, catalog, map_id, options);
    if (st != TP_OK) {
        conformer_clear(c);
        tp__free(c);
        return st;
    }
    *out = c;
    return TP_OK;
}

TP_API void tp_conformer_free(tp_conformer *c)
{
    if (!c)
        return;
    conformer_clear(c);
    tp__free(c);
}

TP_API tp_status tp_conformer_add(tp_conformer *c, const char *customer, int64_t time_ms,
                                  const char *touchpoint, tp_event_type type)
{
    if (!c || !customer || !touchpoint)
        return tp__error(TP_EINVAL, "tp_conformer_add: NULL argument");
    if ((unsigned)type > TP_EVENT_EXIT)
        return tp__error(TP_EINVAL, "tp_conformer_add: unknown event type %d", (int)type);
    size_t clen = strlen(customer), tlen = strlen(touchpoint);
    const char *why = tp__ident_problem(customer, clen);
    if (!why)
        why = tp__ident_problem(touchpoint, tlen);
    if (why)
        return tp__error(TP_EINVAL, "tp_conformer_add: customer or touchpoint id %s", why);
    uint32_t cid, tid;
    int known = tp__intern_find(&c->own_customers, customer, clen, &cid);
    if (known && cid < c->state.len && c->state.data[cid].open &&
        time_ms < c->state.data[cid].time)
        return tp__error(TP_EINVAL,
                         "tp_conformer_add: events of customer '%.40s' must arrive in time order",
                         customer);
    if (!known && tp__intern_put(&c->own_customers, customer, clen, &cid))
        return tp__error(TP_ENOMEM, "out of memory");
    if (name_id(c, touchpoint, tlen, &tid) || on_event(c, cid, time_ms, tid, (uint8_t)type))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

TP_API tp_status tp_conformer_finish(tp_conformer *c, tp_table **summary, tp_table **journeys)
{
    if (journeys)
        *journeys = NULL;
    if (!summary || !c)
        return tp__error(TP_EINVAL, "tp_conformer_finish: NULL argument");
    *summary = NULL;
    for (size_t i = 0; i < c->state.len; i++)
        if (close_journey(c, (uint32_t)i))
            return tp__error(TP_ENOMEM, "out of memory");
    return report(c, summary, journeys);
}

/* ---- over an event log ---- */

TP_API tp_status tp_conformance(const tp_events *events, const char *map_id,
                                const tp_filter *filter, const tp_options *options,
                                tp_table **summary, tp_table **journeys)
{
    if (journeys)
        *journeys = NULL;
    if (!summary || !map_id)
        return tp__error(TP_EINVAL, "tp_conformance: NULL argument");
    *summary = NULL;
    tp__view v;
    tp__journey_index ix;
    tp_status st = tp__journeys_open(&v, &ix, events, filter, options, "tp_conformance");
    if (st != TP_OK)
        return st;
    const tp_events *e = v.ev;
    tp_conformer c;
    uint32_t *id_of = NULL;
    st = conformer_init(&c, v.cat, map_id, options);
    c.customers = &e->customers;
    if (st == TP_OK && !(id_of = tp__malloc((v.ntp ? v.ntp : 1) * sizeof *id_of)))
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < v.ntp; i++) {
        const char *id = tp__catalog_id(v.cat, (uint32_t)i);
        if (name_id(&c, id, strlen(id), &id_of[i]))
            st = tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; st == TP_OK && i < ix.nrows; i++) {
        if ((st = tp__options_tick(v.opt, i, ix.nrows)) != TP_OK)
            break;
        uint32_t row = ix.rows[i], who = e->customer.data[row];
        if (on_event(&c, who, e->time.data[row], id_of[e->touchpoint.data[row]],
                     e->type.data[row]) ||
            ((i + 1 == ix.nrows || e->customer.data[ix.rows[i + 1]] != who) &&
             close_journey(&c, who)))
            st = tp__error(TP_ENOMEM, "out of memory");
    }
    if (st == TP_OK)
        st = report(&c, summary, journeys);
    char buf[128];
    const char *why = st == TP_OK ? tp__journeys_why_none(&v, &ix, buf, sizeof buf) : NULL;
    st = tp__note(st, summary, why);
    if (journeys && (st = tp__note(st, journeys, why)) != TP_OK) {
        tp_table_free(*summary);
        *summary = NULL;
    }
    tp__free(id_of);
    conformer_clear(&c);
    tp__journeys_close(&v, &ix);
    return st;
}
