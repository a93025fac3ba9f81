/* The aggregate handle, shared by its operations (agg.c) and its serialized
 * form (agg_blob.c). */
#ifndef TP_AGG_AGG_INTERNAL_H
#define TP_AGG_AGG_INTERNAL_H

#include "analysis/counts.h"
#include "touchpoint/agg.h"

#define TP__AGG_MAX_PARAMS 4

TP__VEC(scrow, tp__sc_row)

struct tp_agg {
    tp_agg_kind kind;
    int empty;                          /* nothing added or merged: the identity */
    int has_reach;                      /* scorecard: some partition had events */
    uint64_t param[TP__AGG_MAX_PARAMS]; /* options that shaped the partials */
    tp__intern names;                   /* touchpoint ids */
    tp__vec_scrow sc;                   /* scorecard: one row per name */
    tp__ktab tab;                       /* other kinds: records by key of name ids */
    tp__ktab tab2;                      /* markov: transitions, keyed by state ids of tab */
};

/* What a kind stores: recorded options, and counts/sums per keyed record. */
typedef struct tp__agg_shape {
    size_t nparam;
    int nc, nx;
    int nx2; /* sums per record of tab2 (0: no second table) */
} tp__agg_shape;

/* kind must be valid. */
tp__agg_shape tp__agg_shape_of(tp_agg_kind kind);
int tp__agg_kind_valid(int kind);

void tp__agg_init(tp_agg *a, tp_agg_kind kind);
void tp__agg_clear(tp_agg *a);
/* Intern a name (with a zero scorecard row when new). 0 or -1 (no memory). */
int tp__agg_add_name(tp_agg *a, const char *s, size_t len, uint32_t *id);

#endif
