/* Catalog internals shared with the stores and the JSON reader/writer. */
#ifndef TP_MODEL_CATALOG_INTERNAL_H
#define TP_MODEL_CATALOG_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "touchpoint/catalog.h"

#define TP__NONE UINT32_MAX

typedef struct tp__touchpoint {
    uint32_t name, channel, owner, expectation; /* ids in catalog->text, or TP__NONE */
    uint32_t stage;                             /* stage index or TP__NONE */
    uint32_t parent;                            /* touchpoint index or TP__NONE */
    tp_kind kind;
    double weight;
    double target[TP_TARGET_COUNT]; /* by tp_target; only those in `targets` are set */
    uint8_t targets;                /* bit set of the targets the touchpoint has */
} tp__touchpoint;

TP__VEC(tpt, tp__touchpoint)

struct tp_catalog {
    tp__intern ids;      /* touchpoint ids; intern id == touchpoint index */
    tp__intern text;     /* every other string: names, channels, stage names, ... */
    tp__vec_u32 stages;  /* stage index -> id in text */
    tp__vec_tpt tps;
    tp__vec_ptr maps;    /* tp_journey_map *, owned */
    tp__vec_ptr funnels; /* tp_funnel *, owned; funnel_ids[i] names funnels[i] */
    tp__vec_ptr funnel_ids; /* char *, owned */
};

struct tp_journey_map {
    char *id;
    tp__intern names;      /* stage names, touchpoint ids, markers */
    tp__vec_u32 stage_names;
    tp__vec_u32 stage_start; /* members of stage i: [stage_start[i], stage_start[i+1]) */
    tp__vec_u32 members;
    tp__vec_u32 from, to;
};

/* Free the named funnels of a catalog (model/funnel.c). */
void tp__catalog_free_funnels(tp_catalog *c);

#define TP_START_MARKER "(start)"
#define TP_END_MARKER "(end)"

typedef struct tp__catalog_mark {
    size_t count;
    tp__intern_mark ids, text;
} tp__catalog_mark;

tp__catalog_mark tp__catalog_mark_get(const tp_catalog *c);

/* Set every touchpoint's parent at once: parent_of[i] for touchpoint i (all of
 * them, TP__NONE for none), the whole forest checked in O(touchpoints). On a
 * cycle (TP_EVALIDATE) or nesting deeper than TP_MAX_DEPTH (TP_ELIMIT) *bad is
 * the touchpoint to blame and nothing changes; TP_ENOMEM likewise. The message
 * is left to the caller. */
tp_status tp__catalog_set_parents(tp_catalog *c, const uint32_t *parent_of, size_t *bad);
void tp__catalog_rollback(tp_catalog *c, tp__catalog_mark m);

/* Index of touchpoint id[0..len); unknown ids are registered (stage unassigned,
 * kind unknown, the given channel) when `reg` is set. Returns TP_OK,
 * TP_ENOTFOUND (unknown and !reg), TP_ELIMIT or TP_ENOMEM, without setting the
 * error message (callers add their location). The id must be a valid identifier. */
tp_status tp__catalog_resolve(tp_catalog *c, const char *id, size_t len, const char *channel,
                              size_t channel_len, int reg, uint32_t *index);

/* Touchpoints a reader thread meets that the catalog lacks. While threads read,
 * the catalog is shared read-only: each thread numbers the ids it lacks from
 * `base` (the catalog's size when the read began) in the order it meets them,
 * keeping the channel of the first row, and the caller registers them after the
 * threads have joined, piece by piece in input order (tp__pending_commit), so
 * the catalog ends as a read on one thread leaves it. */
typedef struct tp__pending {
    uint32_t base;
    tp__intern ids;
    tp__intern channels; /* id 0 is "": no channel */
    tp__vec_u32 channel; /* per pending id: its channel in `channels` */
} tp__pending;

/* Returns 0, or -1 on allocation failure (then call tp__pending_free). */
int tp__pending_init(tp__pending *p, uint32_t base);
void tp__pending_free(tp__pending *p);

/* tp__catalog_resolve for a store that reads on a thread: with `p` NULL exactly
 * that; otherwise the catalog is only read and an id it lacks gets (when `reg`)
 * the index p->base + its pending number. */
tp_status tp__catalog_resolve_in(tp_catalog *c, tp__pending *p, const char *id, size_t len,
                                 const char *channel, size_t channel_len, int reg,
                                 uint32_t *index);

/* Register p's ids in c in their order; map[j] receives the catalog index of
 * pending id j (p->ids holds that many). Returns TP_OK, TP_ELIMIT or TP_ENOMEM
 * (the caller rolls the catalog back). */
tp_status tp__pending_commit(tp_catalog *c, const tp__pending *p, uint32_t *map);

/* A touchpoint index as stored by a reader thread, mapped to the catalog's. */
static inline uint32_t tp__pending_map(uint32_t index, uint32_t base, const uint32_t *map)
{
    return index < base ? index : map[index - base];
}

/* dst[i] = tp__pending_map(src[i]) for n indexes; dst may be src. */
static inline void tp__pending_map_column(uint32_t *dst, const uint32_t *src, size_t n,
                                          uint32_t base, const uint32_t *map)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = tp__pending_map(src[i], base, map);
}

/* Map a touchpoint column's rows [from, end) in place (they were read with
 * pending indexes). */
static inline void tp__pending_map_from(tp__vec_u32 *col, size_t from, uint32_t base,
                                        const uint32_t *map)
{
    if (col->len > from)
        tp__pending_map_column(col->data + from, col->data + from, col->len - from, base, map);
}

static inline const char *tp__catalog_id(const tp_catalog *c, uint32_t index)
{
    return tp__intern_str(&c->ids, index);
}

/* The team that owns touchpoint @p index, or NULL. */
static inline const char *tp__catalog_owner(const tp_catalog *c, uint32_t index)
{
    uint32_t o = c->tps.data[index].owner;
    return o == TP__NONE ? NULL : tp__intern_str(&c->text, o);
}

/* For a user who named an unknown touchpoint (or journey map): "did you mean
 * 'x'?" or the catalog's first names, into buf (see tp__suggest). */
void tp__catalog_suggest_touchpoint(const tp_catalog *c, const char *id, char *buf, size_t cap);
void tp__catalog_suggest_map(const tp_catalog *c, const char *id, char *buf, size_t cap);

#endif
