/**
 * @file touchpoint/agg.h
 * @brief Mergeable, serializable partial aggregates: one analysis over many
 *        partitions (processes, machines, Dask workers).
 *
 * An aggregate of one kind starts empty, takes data with tp_agg_add() (one
 * partition's events and feedback), merges with other aggregates of the same
 * kind with tp_agg_merge(), travels as bytes (tp_agg_serialize(),
 * tp_agg_deserialize()), and becomes the analysis's result table with
 * tp_agg_finalize(). Merging is associative and commutative, the empty
 * aggregate is its identity, and sums are exact, so any partitioning merged in
 * any tree gives the table the single-process analysis gives, bit for bit.
 *
 * Partitioning: scorecard reach (distinct customers) and every journey-level
 * count (transitions, variants, funnels, Markov, Shapley) need each customer's events
 * in one partition:
 * partition by customer. Feedback may be split any way.
 *
 * Options: the options that shape a partial (journey timeout, variant collapse,
 * Markov order and self-loops, conversion credit, knock-out items and pass
 * mark, sentiment lexicon) are recorded by the first
 * tp_agg_add(); later adds and merges with other values fail with
 * ::TP_ECONFLICT. Options that only shape the result (confidence level, CX
 * weights, rating prior, top-N, Shapley coalition value) are read by
 * tp_agg_finalize().
 *
 * Serialized form (version 1): little-endian, starting with the magic "TPAG",
 * a 16-bit format version, the 16-bit kind and the 64-bit total length; every
 * field is validated on load (lengths, UTF-8 ids, duplicate keys, count
 * consistency), so bytes from anywhere may be given to tp_agg_deserialize().
 * A newer library reads older versions; an older one refuses newer ones.
 *
 * Thread-safety: an aggregate is not shared between threads without locking;
 * distinct aggregates are independent. Inputs are only read.
 */
#ifndef TOUCHPOINT_AGG_H
#define TOUCHPOINT_AGG_H

#include "analysis.h"
#include "attribution.h"
#include "funnel.h"
#include "catalog.h"
#include "common.h"
#include "events.h"
#include "feedback.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A partial aggregate. Opaque. */
typedef struct tp_agg tp_agg;

/** What an aggregate computes; its finalized table is that analysis's. */
typedef enum tp_agg_kind {
    TP_AGG_SCORECARD = 1,   /**< "scorecard": tp_scorecard() (events optional, for reach). */
    TP_AGG_TRANSITIONS = 2, /**< "transitions": tp_transitions() (events). */
    TP_AGG_VARIANTS = 3,    /**< "variants": tp_variants() (events). */
    TP_AGG_MARKOV = 4,      /**< "markov": tp_attribute() with ::TP_MODEL_MARKOV (events or
                                 paths): states and transition weights. */
    TP_AGG_SHAPLEY = 5,     /**< "shapley": tp_attribute() with ::TP_MODEL_SHAPLEY (events or
                                 paths): conversions, value and nulls per coalition. */
    TP_AGG_FUNNEL = 6       /**< "funnel": the steps table of tp_funnel_run() (events, through
                                 tp_agg_add_funnel()): customers per step and the exact
                                 histogram of step times, so the median is exact. */
} tp_agg_kind;

/** Name of a kind ("scorecard", ...), NULL when out of range. Static text. */
TP_API const char *tp_agg_kind_name(tp_agg_kind kind);

/** Parse a kind name. @return ::TP_OK or ::TP_EINVAL (message lists the names) */
TP_API tp_status tp_agg_kind_parse(const char *name, tp_agg_kind *out);

/**
 * Create an empty aggregate.
 * @param out receives it, owned by the caller (tp_agg_free())
 * @return ::TP_OK, ::TP_EINVAL (NULL out, unknown kind), ::TP_ENOMEM
 */
TP_API tp_status tp_agg_new(tp_agg **out, tp_agg_kind kind);

/** Free an aggregate. Accepts NULL. */
TP_API void tp_agg_free(tp_agg *agg);

/** The kind of @p agg (0 for NULL). */
TP_API tp_agg_kind tp_agg_get_kind(const tp_agg *agg);

/** 1 when nothing was added or merged into @p agg yet, else 0 (1 for NULL). */
TP_API int tp_agg_is_empty(const tp_agg *agg);

/**
 * Add one partition: what the analysis would select from @p events and
 * @p feedback with @p filter and @p options.
 * For markov and shapley the events become journey paths as in
 * tp_paths_from_events() (options timeout and credit_conversion).
 * @param events   required, except for a scorecard, where it may be NULL (no
 *                 reach)
 * @param feedback scorecard only (may be NULL there); must be NULL otherwise
 * @param filter   may be NULL
 * @param options  may be NULL (defaults)
 * @return ::TP_OK; ::TP_EINVAL (a required input is NULL); ::TP_ECONFLICT
 *         (options differ from those recorded, named in the message);
 *         ::TP_ELIMIT (a count would overflow); ::TP_ENOMEM. On error @p agg
 *         is unchanged.
 */
TP_API tp_status tp_agg_add(tp_agg *agg, const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options);

/**
 * Add a path set (markov and shapley only), as tp_attribute() would count it.
 * Partials from paths and from events do not mix (::TP_ECONFLICT).
 * @param options may be NULL (defaults); markov records order and self_loops
 * @return as tp_agg_add(); ::TP_EINVAL for other kinds
 */
TP_API tp_status tp_agg_add_paths(tp_agg *agg, const tp_paths *paths, const tp_options *options);

/**
 * Add one partition to a funnel aggregate, as tp_funnel_run() would count it.
 * The funnel's definition (steps, windows, exclusions, mode) is recorded; a
 * different one conflicts.
 * @return as tp_agg_add(); ::TP_EINVAL for other kinds or a funnel without
 *         steps; ::TP_ENOTFOUND (a step is not in the catalog)
 */
TP_API tp_status tp_agg_add_funnel(tp_agg *agg, const tp_events *events, const tp_funnel *funnel,
                                   const tp_filter *filter, const tp_options *options);

/**
 * Merge @p from into @p into (same kind). @p from is only read; merging an
 * aggregate into itself doubles it.
 * @return ::TP_OK; ::TP_EINVAL (NULL, kinds differ); ::TP_ECONFLICT (recorded
 *         options differ); ::TP_ELIMIT (overflow); ::TP_ENOMEM. On error
 *         @p into is unchanged.
 */
TP_API tp_status tp_agg_merge(tp_agg *into, const tp_agg *from);

/**
 * The aggregate as bytes (see the format above).
 * @param out receives a buffer owned by the caller (tp_free())
 * @param len receives its length
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_agg_serialize(const tp_agg *agg, void **out, size_t *len);

/**
 * Read an aggregate from bytes made by tp_agg_serialize(). Serializing the
 * result gives the same bytes back.
 * @param out receives a new aggregate, owned by the caller (NULL on error)
 * @return ::TP_OK; ::TP_EINVAL (NULL argument); ::TP_EPARSE (not an aggregate,
 *         truncated, a newer format version, or an invalid field: the message
 *         names the field and its byte offset); ::TP_ENOMEM
 */
TP_API tp_status tp_agg_deserialize(tp_agg **out, const void *data, size_t len);

/**
 * The result table, as the single-process analysis would give it.
 * @param catalog the catalog the partitions were read against (touchpoint
 *                details, order); borrowed. Touchpoints it lacks come after
 *                its own, by id, without details.
 * @param options may be NULL (defaults); the result-only options apply here
 * @param out     receives the table, owned by the caller (tp_table_free())
 * @return ::TP_OK; ::TP_EINVAL (NULL argument); ::TP_ENOMEM
 */
TP_API tp_status tp_agg_finalize(const tp_agg *agg, const tp_catalog *catalog,
                                 const tp_options *options, tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_AGG_H */
