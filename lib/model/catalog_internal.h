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
} tp__touchpoint;

TP__VEC(tpt, tp__touchpoint)

struct tp_catalog {
    tp__intern ids;      /* touchpoint ids; intern id == touchpoint index */
    tp__intern text;     /* every other string: names, channels, stage names, ... */
    tp__vec_u32 stages;  /* stage index -> id in text */
    tp__vec_tpt tps;
    tp__vec_ptr maps;    /* tp_journey_map *, owned */
};

struct tp_journey_map {
    char *id;
    tp__intern names;      /* stage names, touchpoint ids, markers */
    tp__vec_u32 stage_names;
    tp__vec_u32 stage_start; /* members of stage i: [stage_start[i], stage_start[i+1]) */
    tp__vec_u32 members;
    tp__vec_u32 from, to;
};

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

static inline const char *tp__catalog_id(const tp_catalog *c, uint32_t index)
{
    return tp__intern_str(&c->ids, index);
}

#endif
