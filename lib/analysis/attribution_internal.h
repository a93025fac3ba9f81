/* The attribution models, each filling per-touchpoint credit arrays indexed
 * by the path set's name ids. */
#ifndef TP_ANALYSIS_ATTRIBUTION_INTERNAL_H
#define TP_ANALYSIS_ATTRIBUTION_INTERNAL_H

#include "analysis/counts.h"
#include "analysis/options_internal.h"
#include "model/paths_internal.h"
#include "analysis/result.h"

typedef struct tp__credit {
    double *conv, *value;            /* attributed conversions and value, per name id */
    double *effect, *value_effect;   /* Markov removal effects (else NULL) */
    double p_conversion;             /* Markov: P(conversion) of the full chain */
} tp__credit;

/* Markov order o->order: removal effects and credit. conv, value, effect and
 * value_effect must hold one slot per name. Returns TP_OK or TP_ENOMEM /
 * TP_EINVAL (solver failure), error set. */
tp_status tp__markov_attribute(const tp_paths *p, const struct tp_options *o, tp__credit *out);

/* Markov counts of a path set (a partial aggregate): states keyed by their
 * touches (name ids of p), x[0] conversions, x[1] value, x[2] nulls leaving
 * through the state; edges keyed (from state or TP__KEY_START, to state), x[0]
 * weight. TP_ELIMIT when a weight is beyond the exact-sum range. */
/* Markov chains with more (kept) states than this are solved by iteration,
 * falling back to KLU if the iteration is slow to settle; smaller ones by KLU
 * directly. The two agree to about 1e-15 (tested with this lowered to 0). */
extern size_t tp__markov_direct_max;
/* Removals of at most this many states come from the full chain's factors;
 * larger ones are factorized on their own (64; a test hook). */
extern size_t tp__markov_schur_max;
/* Bytes of the large removals' orderings kept from pricing to solving
 * (64 MiB; 0 orders every one again when it runs, a test hook). */
extern size_t tp__markov_prepared_max;
/* Chain solves the iteration finished (a test hook: counts across threads). */
extern _Atomic unsigned long tp__markov_iterated;

tp_status tp__markov_count(const tp_paths *p, const struct tp_options *o, tp__ktab *states,
                           tp__ktab *edges);
/* Removal effects and credit from counts; names[nn] by id. Totals are the
 * exact sums of the counts. */
tp_status tp__markov_credit(const char *const *names, size_t nn, const tp__ktab *states,
                            const tp__ktab *edges, const struct tp_options *o,
                            tp__credit *out, double *total_conv, double *total_value);
/* A key in rank space (a Markov state or a Shapley coalition) and its
 * canonical order: lexicographic, a prefix first. */
typedef struct tp__ranked_key {
    const uint32_t *seq;
    size_t len;
    uint32_t id;
} tp__ranked_key;
int tp__ranked_key_cmp(const void *a, const void *b);

/* Names ordered by text (ties by id): id_of[rank], rank_of[id], text_of[rank];
 * all three allocated (tp__free). */
tp_status tp__rank_names(const char *const *names, size_t nn, uint32_t **id_of,
                         uint32_t **rank_of, const char ***text_of);

/* Shapley coalition counts of a path set: key = the distinct touchpoints of a
 * path (name ids of p, ascending), x[0] conversions, x[1] value, x[2] nulls. */
tp_status tp__shapley_count(const tp_paths *p, tp__ktab *coalitions);
/* Shapley credit from coalition counts (exact over at most 20 touchpoints,
 * else, or when `simplified`, the Harsanyi split R(S) / |S|). */
tp_status tp__shapley_credit(const char *const *names, size_t nn, const tp__ktab *coal,
                             const struct tp_options *o, int simplified, tp__credit *c,
                             double *total_conv, double *total_value);

/* The attribution table (tp_attribute's columns) of one model computed from
 * counts: TP_MODEL_MARKOV (t1 states, t2 edges) or TP_MODEL_SHAPLEY (t1
 * coalitions); names[nn] by id. */
tp_status tp__attribution_counts_table(tp_model model, const char *const *names, size_t nn,
                                       const tp__ktab *t1, const tp__ktab *t2,
                                       const struct tp_options *o, tp_table **out);

/* The chain as a table (tp_markov_chain). */
tp_status tp__markov_table(const tp_paths *p, const struct tp_options *o, tp_table **out,
                           double *p_conversion);

#endif
