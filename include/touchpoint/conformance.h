/**
 * @file touchpoint/conformance.h
 * @brief Conformance: observed journeys against the journey a company designed.
 *
 * A journey map (catalog.h) lists designed stages, each with touchpoints, and
 * the allowed transitions, `(start)` and `(end)` included. A map without
 * allowed transitions allows moves within a stage and to the next stage, from
 * `(start)` into the first stage and from the last stage to `(end)`.
 *
 * Each journey (same cuts as tp_journeys(): conversion, exit, inactivity
 * timeout) is read as transitions `(start)` -> e1 -> ... -> en -> `(end)`.
 * Fitness of a journey = allowed transitions / all its transitions.
 * A transition that is not allowed is a deviation of one kind:
 * - `unexpected_touchpoint`: a visit to a touchpoint the map does not list
 *   (counted once per visit; the moves into and out of it are not allowed);
 * - `backward_move`: to an earlier designed stage;
 * - `skipped_stage`: past one or more designed stages (`(start)` counts as
 *   before the first stage and `(end)` as after the last);
 * - `disallowed_transition`: within a stage or to the next one, but not in
 *   the allowed list.
 * A deviation is attributed to the touchpoint moved to (to the one left, when
 * the move is to `(end)`).
 *
 * The checker reads each event once and keeps one small state per customer,
 * so it also runs on a stream (::tp_conformer): events must arrive in time
 * order per customer, customers may interleave.
 */
#ifndef TOUCHPOINT_CONFORMANCE_H
#define TOUCHPOINT_CONFORMANCE_H

#include "analysis.h"
#include "catalog.h"
#include "common.h"
#include "events.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A streaming conformance checker. Opaque. */
typedef struct tp_conformer tp_conformer;

/**
 * Create a checker for journey map @p map_id of @p catalog. What it needs of
 * the map is copied: the catalog may be freed afterwards.
 * @param options may be NULL (the inactivity timeout is read from it)
 * @param out receives the checker, owned by the caller (tp_conformer_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOTFOUND (no such map), ::TP_ENOMEM
 * Thread-safety: one checker is fed from one thread at a time.
 */
TP_API tp_status tp_conformer_new(tp_conformer **out, const tp_catalog *catalog,
                                  const char *map_id, const tp_options *options);

/** Free a checker. Accepts NULL. */
TP_API void tp_conformer_free(tp_conformer *conformer);

/**
 * Feed one event.
 * @return ::TP_OK; ::TP_EINVAL (NULL or invalid text, unknown type, or a time
 *         earlier than this customer's previous event: nothing is recorded);
 *         ::TP_ENOMEM
 */
TP_API tp_status tp_conformer_add(tp_conformer *conformer, const char *customer,
                                  int64_t time_ms, const char *touchpoint, tp_event_type type);

/**
 * Close every open journey and report. The checker stays usable: later events
 * start new journeys.
 * @param summary receives the summary (see tp_conformance())
 * @param journeys receives one row per journey; may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_conformer_finish(tp_conformer *conformer, tp_table **summary,
                                     tp_table **journeys);

/**
 * Check the selected events against journey map @p map_id of the log's catalog.
 *
 * @p summary columns: kind, touchpoint, count, journeys, fitness, skipped. First row
 * `overall`: count = transitions checked, journeys = journeys, fitness = mean
 * journey fitness. Second row `conforming`: count = allowed transitions,
 * journeys = journeys with fitness 1, fitness = allowed / all transitions.
 * Third row `outside_map`: journeys = journeys that never visit a touchpoint
 * of the map (a store visit checked against an online map), which are not
 * journeys of the map and count nowhere else; count and fitness null.
 * Then one row per deviation kind and touchpoint: count = occurrences,
 * journeys = journeys with at least one, fitness null; by kind (in the order
 * above), then count descending, then touchpoint. A `skipped_stage` row is
 * one per touchpoint and stages passed over, which `skipped` names in map
 * order ("consideration, purchase"); null on the other rows.
 *
 * @p journeys (may be NULL) columns: customer, journey, transitions, allowed,
 * deviations (unexpected visits + disallowed moves between listed touchpoints),
 * fitness; in the order of tp_journeys(), without the journeys outside the map.
 *
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOTFOUND (no such map), ::TP_ENOMEM
 */
TP_API tp_status tp_conformance(const tp_events *events, const char *map_id,
                                const tp_filter *filter, const tp_options *options,
                                tp_table **summary, tp_table **journeys);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_CONFORMANCE_H */
