/**
 * @file touchpoint/attribution.h
 * @brief Which touchpoints earn the conversions: heuristic, Markov and Shapley attribution.
 *
 * Attribution works on a set of paths (::tp_paths). A path is the ordered
 * touchpoints of one journey, or of many journeys with the same touches, with
 * their conversions, conversion value and non-converting journeys ("nulls").
 * Paths come from an event log (tp_paths_from_events(): one path per journey,
 * with touch times, so time-decay works) or from a path-aggregate CSV file
 * (`path,conversions,value,nulls`, the format most attribution tools export).
 *
 * Models (::tp_model):
 * - first, last, linear (one share per touch, so a touchpoint touched twice
 *   gets two), time-decay (weight 2^(-dt / half-life), dt = time before the
 *   conversion; ::TP_OPT_HALF_LIFE, default 7 days), position-based (40% first,
 *   40% last, 20% over the middle; one touch takes 100%, two touches split
 *   40:40, i.e. 50/50; ::TP_OPT_POSITION_FIRST, ::TP_OPT_POSITION_LAST). These
 *   credit converting paths only and split value with the same weights.
 * - markov: a Markov chain of order k (::TP_OPT_ORDER) whose states are k
 *   consecutive touches (a path of k or fewer touches is one state), with
 *   start, conversion and null absorbing states, transitions weighted by
 *   conversions + nulls, consecutive identical states merged
 *   (::TP_OPT_SELF_LOOPS keeps them). The removal effect of touchpoint c is
 *   1 - P(conversion | every state containing c removed) / P(conversion);
 *   attributed conversions = total x effect / sum of effects. Each
 *   P(conversion) is computed exactly: the absorption probabilities solve the
 *   sparse linear system (I - Q) x = r, factorized by KLU (SuiteSparse), once
 *   for the full chain and once per touchpoint; chains of more than 2,048
 *   states are solved by iterating the start distribution through the chain
 *   to 2^-60 of the result instead (KLU if that takes over 2,000 sweeps). Value uses the same chain with
 *   each conversion worth the mean conversion value of the state it leaves.
 * - shapley: exact Shapley values over the touchpoints present; the value of a
 *   coalition S is the conversions (or, with ::TP_OPT_SHAPLEY_VALUE =
 *   ::TP_SHAPLEY_RATE, the conversion rate) of the paths whose touchpoints all
 *   belong to S. Up to 20 touchpoints every one of the 2^n coalitions is
 *   evaluated (subset sums, then the Shapley formula, O(n 2^n)). Beyond 20,
 *   the conversions game is solved through its Harsanyi dividends (each path
 *   set S is a unanimity game worth its conversions, so each member gets
 *   conversions / |S|), still exact; the rate game is refused. Value
 *   attribution uses conversion value in place of conversions.
 * - shapley-simplified: Zhao et al.'s simplified form, each path's conversions
 *   split equally over its distinct touchpoints; any number of touchpoints.
 *   It equals exact Shapley with the conversions coalition value.
 *
 * For every model the attributed conversions sum to the total conversions of
 * the paths (rates are rescaled to it), and the attributed value to the total
 * value.
 *
 * Thread-safety: a ::tp_paths may be read by several analyses at once; adding
 * to it needs the caller's exclusive access. Every returned table belongs to
 * the caller (tp_table_free()).
 */
#ifndef TOUCHPOINT_ATTRIBUTION_H
#define TOUCHPOINT_ATTRIBUTION_H

#include "analysis.h"
#include "catalog.h"
#include "common.h"
#include "events.h"
#include "ingest.h"
#include "scoring.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of attribution paths. Opaque. */
typedef struct tp_paths tp_paths;

/** Attribution models. */
typedef enum tp_model {
    TP_MODEL_FIRST = 0,              /**< "first": first touch takes it all. */
    TP_MODEL_LAST = 1,               /**< "last": last touch takes it all. */
    TP_MODEL_LINEAR = 2,             /**< "linear": equal share per touch. */
    TP_MODEL_TIME_DECAY = 3,         /**< "time-decay": 2^(-dt / half-life) weights. */
    TP_MODEL_POSITION = 4,           /**< "position": 40/20/40 (U-shaped). */
    TP_MODEL_MARKOV = 5,             /**< "markov": removal effects of an order-k chain. */
    TP_MODEL_SHAPLEY = 6,            /**< "shapley": exact Shapley values. */
    TP_MODEL_SHAPLEY_SIMPLIFIED = 7, /**< "shapley-simplified": Zhao's simplified form. */
    TP_MODEL_ALL = 8                 /**< "all": every model that the paths allow. */
} tp_model;

/** Name of a model ("first", ..., "all"); "unknown" when out of range. Static text. */
TP_API const char *tp_model_name(tp_model model);

/**
 * Parse a model name as given by tp_model_name() ("time_decay" and
 * "shapley_simplified" are accepted too).
 * @return ::TP_OK or ::TP_EINVAL (message lists the names)
 */
TP_API tp_status tp_model_parse(const char *name, tp_model *out);

/**
 * Create an empty path set.
 * @param out receives the set, owned by the caller (tp_paths_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_paths_new(tp_paths **out);

/** Free a path set. Accepts NULL. */
TP_API void tp_paths_free(tp_paths *paths);

/**
 * Add one path.
 * @param touchpoints @p count touchpoint names in order (UTF-8, not empty,
 *        at most 1 KiB each); @p count >= 1
 * @param conversions, value, nulls finite and >= 0
 * A set built from events loses its touch times here (time-decay then fails).
 * @return ::TP_OK; ::TP_EINVAL on a bad argument (nothing added); ::TP_ENOMEM
 */
TP_API tp_status tp_paths_add(tp_paths *paths, const char *const *touchpoints, size_t count,
                              double conversions, double value, double nulls);

/**
 * Read a path-aggregate CSV file. The header names the columns: `path` and
 * `conversions` are required, `value` and `nulls` optional (0 when absent);
 * `total_conversions`, `total_conversion_value` and `total_null` are accepted
 * for them. Touchpoints in `path` are split at @p separator (NULL for " > "),
 * trimmed, and empty ones dropped; a row whose path has no touchpoint is bad.
 * Bad rows are skipped and reported, or fail the read, as @p opts says
 * (::tp_read_options; NULL for the defaults); messages name file:line:column
 * and field. On failure the set is unchanged. With `opts->threads` other
 * than 1 an input of 2 MiB or more is read in pieces on threads, each into a
 * set of its own, joined in input order: the set (name numbering included),
 * the log and every error equal a read on one thread.
 * @param log may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_EIO, ::TP_EPARSE, ::TP_EVALIDATE, ::TP_ENOMEM
 */
TP_API tp_status tp_paths_read_csv(tp_paths *paths, const char *path, const char *separator,
                                   const tp_read_options *opts, tp_read_log *log);

/** As tp_paths_read_csv(), from memory; @p name is used in messages. */
TP_API tp_status tp_paths_read_csv_buffer(tp_paths *paths, const void *data, size_t len,
                                          const char *name, const char *separator,
                                          const tp_read_options *opts, tp_read_log *log);

/**
 * Build a path set from an event log: one path per journey (see tp_journeys()),
 * its interaction events in order with their times. A journey that ends with
 * a conversion converts (value = the conversion's value); any other journey is
 * a null. The conversion event's own touchpoint is not a touch unless
 * ::TP_OPT_CREDIT_CONVERSION is set; exit events are never touches. Journeys
 * without a touch are left out.
 * @param out receives the set, owned by the caller
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_paths_from_events(tp_paths **out, const tp_events *events,
                                      const tp_filter *filter, const tp_options *options);

/** Number of paths (rows added or journeys). */
TP_API size_t tp_paths_count(const tp_paths *paths);
/** Total conversions of the set. */
TP_API double tp_paths_conversions(const tp_paths *paths);
/** Total conversion value of the set. */
TP_API double tp_paths_value(const tp_paths *paths);
/** Total nulls (non-converting journeys) of the set. */
TP_API double tp_paths_nulls(const tp_paths *paths);
/** 1 when every path carries touch times (built from events), else 0. */
TP_API int tp_paths_has_times(const tp_paths *paths);

/**
 * The set as path aggregates: one row per distinct path with columns path
 * (touchpoints joined by @p separator, NULL for " > "), conversions, value,
 * nulls; sorted by conversions + nulls descending, then conversions descending,
 * then path. Written as CSV it reads back with tp_paths_read_csv().
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_paths_to_table(const tp_paths *paths, const char *separator, tp_table **out);

/**
 * Attribute the conversions and value of @p paths with one model, or all.
 * Columns: model, touchpoint, conversions, value, share (of conversions),
 * removal_effect and value_removal_effect (markov; null for other models).
 * Rows by model, then conversions descending, then touchpoint name.
 * ::TP_MODEL_ALL leaves out time-decay when the paths have no times, and
 * Shapley of the rate game over more than 20 touchpoints.
 * @param options may be NULL (defaults)
 * @return ::TP_OK; ::TP_EINVAL (time-decay without times, Shapley of the rate
 *         game over more than 20 touchpoints, position shares above 1); ::TP_ENOMEM
 */
TP_API tp_status tp_attribute(const tp_paths *paths, tp_model model, const tp_options *options,
                              tp_table **out);

/**
 * Every model side by side: columns touchpoint, then one column of attributed
 * conversions per model (first, last, linear, time_decay, position, markov,
 * shapley, shapley_simplified; a model the paths do not allow is null), one
 * row per touchpoint, the largest mean credit over the models first (ties by
 * name). In every attribution table credit within 1e-9 of the model's total
 * is 0 (below what the solvers resolve).
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_attribution_compare(const tp_paths *paths, const tp_options *options,
                                        tp_table **out);

/**
 * An attribution table rolled up by a catalog grouping: the credit of each
 * stage, channel, owner or top-level parent (::tp_group) is the sum of its
 * touchpoints' credit.
 * @p attribution is a table of tp_attribute() or tp_attribution_compare() (any
 * table with a string column `touchpoint`). The result has the `model` column
 * when the input has one, then a column named after the grouping (`stage`,
 * `channel`, `owner`, `parent`), then every numeric column of the input summed
 * (nulls add nothing; a sum of nulls only is null), except `removal_effect` and
 * `value_removal_effect`, which are left out: a group's removal effect is not
 * the sum of its members'. A touchpoint the catalog does not know, or without a
 * value for the grouping, counts under "(none)". Rows by model (in the order of
 * the input), then conversions descending (when there is that column), then
 * label.
 * @param attribution the table to roll up; only read
 * @param catalog the catalog that gives each touchpoint its group
 * @param out receives the new table, owned by the caller
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, no touchpoint column, unknown
 *         grouping); ::TP_ENOMEM
 * Thread-safety: the inputs are only read.
 */
TP_API tp_status tp_attribution_rollup(const tp_table *attribution, const tp_catalog *catalog,
                                       tp_group group, tp_table **out);

/**
 * The Markov chain itself: columns from, to, weight (conversions + nulls
 * through the transition), probability; states are k touchpoints joined by
 * " > ", with `(start)`, `(conversion)` and `(null)`. Rows by from-state
 * (start first, then states ordered by their touchpoints' names), then probability
 * descending.
 * @param p_conversion receives P(conversion) from the start state; may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_markov_chain(const tp_paths *paths, const tp_options *options,
                                 tp_table **out, double *p_conversion);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_ATTRIBUTION_H */
