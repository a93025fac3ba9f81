/**
 * @file touchpoint/journeys.h
 * @brief Journeys customers really take: journeys and the directly-follows graph.
 *
 * A journey is a customer's events in time order (ties keep input order); it
 * ends at a conversion or exit event, or when the gap to the customer's next
 * event exceeds ::TP_OPT_TIMEOUT (default 30 days). The filter selects events
 * first (time window, segments, touchpoints); journeys are built from what it
 * keeps.
 *
 * Errors: ::TP_EINVAL (events or out NULL), ::TP_ENOMEM; on error *out is NULL.
 * Thread-safety: the event log is only read; concurrent analyses of an
 * unmodified log are safe. The returned table belongs to the caller
 * (tp_table_free()).
 */
#ifndef TOUCHPOINT_JOURNEYS_H
#define TOUCHPOINT_JOURNEYS_H

#include "analysis.h"
#include "common.h"
#include "events.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * One row per journey, by customer (first appearance in the log) then time.
 * Columns: customer, journey (1, 2, ... per customer), start, end (ms), touches
 * (events, the closing conversion or exit included), converted (1 when it ends
 * with a conversion), exited (1 when it ends with an exit event), value (the
 * conversion's value, else 0), duration (end - start, ms).
 */
TP_API tp_status tp_journeys(const tp_events *events, const tp_filter *filter,
                             const tp_options *options, tp_table **out);

/**
 * The directly-follows graph: how often each touchpoint is followed by another
 * within a journey, with `(start)` before each journey's first event and
 * `(end)` after its last. Conversion and exit events are steps like any other.
 * Columns: from, to, count. Sorted by count descending, then by catalog order
 * (markers last).
 */
TP_API tp_status tp_transitions(const tp_events *events, const tp_filter *filter,
                                const tp_options *options, tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_JOURNEYS_H */
