/* Partial aggregates of the analyses that merge (scorecards, transitions,
 * variants, Markov chains, Shapley coalitions): counts and exact sums keyed by
 * sequences of name ids. Every analysis of this kind is written as "count into
 * a partial, then render the partial", and the single-process call does the
 * same two steps as a merged distributed run, so both give the same table. */
#ifndef TP_ANALYSIS_COUNTS_H
#define TP_ANALYSIS_COUNTS_H

#include "analysis/journey_index.h"
#include "analysis/view.h"
#include "core/intern.h"
#include "core/xsum.h"

/* Marker ids inside keys (never name ids: pools hold fewer than 2^32 - 2). */
#define TP__KEY_START (UINT32_MAX - 1)
#define TP__KEY_END (UINT32_MAX - 2)
/* Funnel record tags (first id of the key). */
#define TP__KEY_STEP (UINT32_MAX - 3)  /* (tag, step, touchpoint name or TP__KEY_ANY, optional |
                                          (event type + 1) << 1, 0 for any type): n[0] customers */
#define TP__KEY_DELTA (UINT32_MAX - 4) /* (tag, step, ms low, ms high): n[0] customers whose
                                          time from the previous step was ms */
#define TP__KEY_ANY (UINT32_MAX - 5)   /* a funnel step at any touchpoint */
/* The flags of a funnel row of a funnel in any order (with TP__KEY_ANY): "did
 * k of the steps", not a step. */
#define TP__FUNNEL_COUNT_ROW 8u

/* One record: up to three counts and three exact sums; each partial kind
 * documents which it uses. */
typedef struct tp__krec {
    uint64_t n[3];
    tp__xsum x[3];
} tp__krec;

TP__VEC(krec, tp__krec)

/* Records by key; a key is a sequence of uint32 ids. Ids are dense in order
 * of first insertion. */
typedef struct tp__ktab {
    tp__intern keys;
    tp__vec_krec rec;
} tp__ktab;

void tp__ktab_init(tp__ktab *t);
void tp__ktab_free(tp__ktab *t);
static inline size_t tp__ktab_count(const tp__ktab *t) { return t->rec.len; }
/* The record of key[0..n), created zeroed when new; NULL on allocation failure
 * (nothing added). *id receives its id when id is not NULL. */
tp__krec *tp__ktab_get(tp__ktab *t, const uint32_t *key, size_t n, uint32_t *id);
/* Key of record id: its length in ids, and element i. */
size_t tp__ktab_key_len(const tp__ktab *t, uint32_t id);
uint32_t tp__ktab_key_at(const tp__ktab *t, uint32_t id, size_t i);
/* into += from, field by field. Returns 0, or -1 on overflow (into unchanged). */
int tp__krec_merge(tp__krec *into, const tp__krec *from);

/* How a partial's name ids are shown and ordered when it is rendered. */
typedef struct tp__names {
    size_t n;
    const char *const *id; /* touchpoint id text per name id */
    const uint32_t *rank;  /* sort position, a permutation of 0..n-1: catalog order, then the
                              names the catalog lacks, by id */
    const uint32_t *cat;   /* catalog index per name id, or TP__NONE */
} tp__names;

/* Names of a catalog: id i is touchpoint i. Arrays are allocated (free with
 * tp__names_free); returns TP_OK or TP_ENOMEM. */
tp_status tp__names_of_catalog(const tp_catalog *c, tp__names *out);
void tp__names_free(tp__names *nm);

/* ---- per analysis ---- */

/* Scorecard: one row per name. `listed` marks touchpoints the filter kept. */
typedef struct tp__sc_row {
    uint8_t listed;
    uint64_t reach; /* distinct customers (sums over customer partitions) */
    uint64_t respondents, reached; /* distinct customers who answered; of them, those reached */
    tp__acc acc;
} tp__sc_row;

tp_status tp__scorecard_rows(const tp__view *v, tp__sc_row *rows);
/* Breakdown: add to scorecard table t (rows by touchpoint id) the test of the
 * segment's 0-100 response values against the rest's at each touchpoint:
 * mean, rest_mean, difference, and Welch's t, df and p_value (null unless
 * both have 2 values or more). `seg` and `rest` select the two groups. */
tp_status tp__scorecard_vs_rest(const tp_events *ev, const tp_feedback *fb, const tp_filter *seg,
                                const tp_filter *rest, const tp_options *o, tp_table *t);
tp_status tp__scorecard_render(const tp_catalog *c, const struct tp_options *o,
                               const tp__names *nm, const tp__sc_row *rows, int has_reach,
                               tp_table **out);

/* Counting over journeys, and rendering a keyed partial. */
typedef tp_status (*tp__journey_count_fn)(const tp__view *v, const tp__journey_index *ix,
                                          tp__ktab *out);
typedef tp_status (*tp__render_fn)(const tp__names *nm, const tp__ktab *t,
                                   const struct tp_options *o, tp_table **out);
/* The single-process analysis: open the journeys, count, render with the
 * catalog's names. */
tp_status tp__journey_analysis(const tp_events *events, const tp_filter *filter,
                               const tp_options *options, const char *what,
                               tp__journey_count_fn count, tp__render_fn render, tp_table **out);

/* Transitions: key (from, to) of name ids and markers; n[0] = count. */
tp_status tp__transitions_count(const tp__view *v, const tp__journey_index *ix, tp__ktab *out);
tp_status tp__transitions_render(const tp__names *nm, const tp__ktab *t,
                                 const struct tp_options *o, tp_table **out);

/* Funnel steps (tp_funnel_run's steps table): step and delta records above;
 * the median comes from the exact delta histogram. count fails like
 * tp_funnel_run (ENOTFOUND for a step outside the catalog, ...). */
struct tp_funnel;
tp_status tp__funnel_count(const tp__view *v, const tp__journey_index *ix,
                           const struct tp_funnel *f, tp__ktab *out);
tp_status tp__funnel_render(const tp__names *nm, const tp__ktab *t, tp_table **out);
/* A fingerprint of a funnel's definition (steps, windows, exclusions, mode). */
uint64_t tp__funnel_print(const struct tp_funnel *f);

/* Variants: key = the journey's touchpoints; n[0] journeys, n[1] conversions,
 * n[2] customers (distinct within the partial), x[0] value. */
tp_status tp__variants_count(const tp__view *v, const tp__journey_index *ix, tp__ktab *out);
tp_status tp__variants_render(const tp__names *nm, const tp__ktab *t,
                              const struct tp_options *o, tp_table **out);

#endif
