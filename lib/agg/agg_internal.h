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

/* How a conflict message shows a recorded option. */
enum { TP__AGG_PARAM_INT, TP__AGG_PARAM_DOUBLE, TP__AGG_PARAM_PRINT /* a fingerprint */ };

/* One kind of aggregate (agg_kinds.c): everything in which the kinds differ. */
typedef struct tp__agg_ops {
    const char *name;
    size_t nparam; /* options recorded in param[] */
    const char *param[TP__AGG_MAX_PARAMS];
    unsigned char param_shown[TP__AGG_MAX_PARAMS];
    int nc, nx;        /* counts and sums per keyed record */
    int nx2;           /* sums per record of tab2 (0: no second table) */
    int rows_per_name; /* scorecard rows (sc) instead of keyed records */
    int takes_paths;   /* tp_agg_add_paths() adds to it */
    int takes_funnel;  /* tp_agg_add_funnel() adds to it */
    /* Count one call's data into the empty partial @p p (names, options,
     * records); NULL when only tp_agg_add_funnel() adds to the kind. */
    tp_status (*add)(tp_agg *p, const tp_events *events, const tp_feedback *feedback,
                     const tp_filter *filter, const tp_options *options);
    /* Whether id k of the key of record r is a name id (remapped by a merge). */
    int (*key_is_name)(const tp__ktab *t, uint32_t r, size_t k);
    /* Put a remapped key in its canonical order; NULL: as it is. */
    void (*canonical)(uint32_t *key, size_t len);
    /* A loaded key and record: NULL, or what is wrong with them. */
    const char *(*check_key)(const tp_agg *a, const uint32_t *key, size_t k, size_t nn);
    const char *(*check_record)(const uint32_t *key, const tp__krec *rec);
    /* The loaded aggregate as a whole: 0, 1 with *field and *why set, or -1
     * (out of memory); NULL: nothing to check. */
    int (*check_whole)(const tp_agg *a, const char **field, const char **why);
    tp_status (*render)(const tp_agg *a, const tp_catalog *c, const struct tp_options *o,
                        const tp__names *nm, tp_table **out);
} tp__agg_ops;

/* kind must be valid (tp__agg_kind_valid()). */
const tp__agg_ops *tp__agg_ops_of(tp_agg_kind kind);
/* One more than the largest kind. */
size_t tp__agg_kind_total(void);
int tp__agg_kind_valid(int kind);

void tp__agg_init(tp_agg *a, tp_agg_kind kind);
void tp__agg_clear(tp_agg *a);
/* Intern a name (with a zero scorecard row when new). 0 or -1 (no memory). */
int tp__agg_add_name(tp_agg *a, const char *s, size_t len, uint32_t *id);
/* The partial's names are the catalog's touchpoints (name id == catalog index). */
tp_status tp__agg_catalog_names(tp_agg *p, const tp_catalog *c);
/* Markov or Shapley counts of a path set into the empty partial @p p. */
tp_status tp__agg_paths_partial(tp_agg *p, const tp_paths *paths, const struct tp_options *o,
                                int64_t timeout);

#endif
