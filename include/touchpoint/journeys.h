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
#include "feedback.h"
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

/**
 * The most common journey variants (the sequence of touchpoints of a journey,
 * conversion and exit events included). ::TP_OPT_COLLAPSE merges consecutive
 * repeats (a > a > b is a > b) or keeps each touchpoint's first visit only;
 * ::TP_OPT_TOP sets how many variants are listed (default 10).
 * Columns: path (touchpoints joined by " > "), journeys, conversions,
 * conversion_rate (conversions / journeys), customers (distinct), value (sum
 * of conversion values), share (journeys / all journeys). Sorted by journeys
 * descending, then conversions descending, then path.
 */
TP_API tp_status tp_variants(const tp_events *events, const tp_filter *filter,
                             const tp_options *options, tp_table **out);

/**
 * Time to convert: from a journey's first event to its conversion, for
 * converting journeys. First row entry `(all)`, then one row per entry
 * touchpoint (the journey's first touchpoint), by conversions descending, then
 * id. Columns: entry, conversions, median_ms, p90_ms, mean_ms (p90: the
 * smallest time at least 90% of conversions reach, nearest rank).
 */
TP_API tp_status tp_conversion_times(const tp_events *events, const tp_filter *filter,
                                     const tp_options *options, tp_table **out);

/**
 * What customers did right after a touchpoint: for every visit of
 * @p touchpoint, the next event of the same journey, or `(end)` when the
 * journey ended there. Columns: next, count, share (of visits), customers
 * (distinct). Sorted by count descending, then next.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOTFOUND (not in the catalog), ::TP_ENOMEM
 */
TP_API tp_status tp_next_touchpoints(const tp_events *events, const char *touchpoint,
                                     const tp_filter *filter, const tp_options *options,
                                     tp_table **out);

/**
 * The journey flow by step, ready for a Sankey diagram: the first
 * ::TP_OPT_MAX_STEPS (default 5) events of every journey, as edges from
 * "k. touchpoint" to "k+1. touchpoint", and to `(end)` from the last event of
 * a journey that ends within those steps. Nodes are unique per step, so the
 * graph has no cycles. Columns: step (k), source, target, value (journeys),
 * from, to (touchpoint ids). Sorted by step, then value descending, then
 * source and target.
 */
TP_API tp_status tp_flow(const tp_events *events, const tp_filter *filter,
                         const tp_options *options, tp_table **out);

/**
 * Write an edge table as a Graphviz DOT digraph: a table with columns
 * source, target, value (tp_flow()) or from, to, count (tp_transitions()).
 * Edges are labelled with their weight and drawn 1 to 8 points wide in
 * proportion to it; names are quoted and escaped.
 * @param out receives a NUL-terminated buffer owned by the caller (tp_free())
 * @param len receives its length; may be NULL
 * @return ::TP_OK, ::TP_EINVAL (NULL, or neither set of columns), ::TP_ENOMEM
 */
TP_API tp_status tp_edges_to_dot(const tp_table *edges, char **out, size_t *len);

/**
 * Cohort retention: customers grouped by the period (::TP_OPT_PERIOD, default
 * month) of their first selected event, or of their first conversion
 * (::TP_OPT_COHORT), and per later period the share of each cohort active in
 * it: with an event (any type), or with a conversion (buying again).
 *
 * @param out      receives one row per cohort and age, cohorts in time order,
 *                 ages 0 to the last period of the data (the triangle, in long
 *                 form): cohort ("2026-01-01"), start (ms), customers (the
 *                 cohort's size), age (periods since the cohort's), active
 *                 (customers active in that period), share (active / customers;
 *                 1 at age 0)
 * @param triangle receives the same as one row per cohort: cohort, start,
 *                 customers, then p0, p1, ... (the share at each age; null past
 *                 the data); may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOTFOUND (a filter name), ::TP_ENOMEM,
 *         ::TP_ECANCELED. An empty table says why (tp_table_note()).
 *         Thread-safety: as every analysis.
 */
TP_API tp_status tp_retention(const tp_events *events, const tp_filter *filter,
                              const tp_options *options, tp_table **out, tp_table **triangle);

/**
 * Repeat purchases, overall and per touchpoint. A buyer is a customer with a
 * selected conversion; a repeater one with a second. The row "(all)" has every
 * buyer: buyers, repeaters, repeat_rate and median_ms, the median time from
 * the first purchase to the second. Then one row per touchpoint (catalog
 * order) that buyers touched (an event other than a conversion) after their
 * first purchase and before their second (or the end of the data): buyers
 * and repeaters among them, their repeat_rate and median_ms, the
 * rest_repeat_rate of the other buyers, lift = repeat_rate - rest_repeat_rate,
 * p_value of the two-proportion z-test (pooled) and the touchpoint's owner.
 * An association, not an effect: buyers observed longer have more time both
 * to touch and to buy again.
 * @return as tp_retention()
 */
TP_API tp_status tp_repeat_purchases(const tp_events *events, const tp_filter *filter,
                                     const tp_options *options, tp_table **out);

/**
 * Engagement per touchpoint (catalog order, touchpoints with a selected
 * event): customers (distinct), touches, touches_per_customer,
 * active_last_period (customers who touched it in the data's last period,
 * ::TP_OPT_PERIOD), recency_ms (the median over its customers of the time
 * from their last touch of it to the last selected event of the data), owner.
 * @param by_period receives one row per period and touchpoint: period
 *                  ("2026-03-01"), start, touchpoint, customers (active),
 *                  touches; may be NULL
 * @return as tp_retention()
 */
TP_API tp_status tp_engagement(const tp_events *events, const tp_filter *filter,
                               const tp_options *options, tp_table **out, tp_table **by_period);

/**
 * One customer's profile: who they are, their journeys touch by touch, what
 * they said, and each touchpoint as they met it against everyone's.
 *
 * @param customer the customer's id, as the data spells it; an id neither
 *                 @p events nor @p feedback has fails with ::TP_ENOTFOUND,
 *                 naming the nearest id
 * @param filter   applies to everything, as for every analysis (a time window,
 *                 touchpoints, ...); may be NULL
 * @param summary  receives one row: customer, start and end (first and last
 *                 selected event or answer, ms), events, journeys, conversions,
 *                 value, responses, cx_index (the CX index of all their
 *                 answers), then one string column per attribute of the
 *                 events and then of the feedback: the customer's last
 *                 non-empty value
 * @param touches  receives one row per selected event, journey by journey in
 *                 time order: journey (1, 2, ...), step, timestamp, touchpoint,
 *                 name, stage, channel, type (interaction, conversion, exit),
 *                 value (conversions); may be NULL
 * @param answers  receives one row per selected feedback row in time order:
 *                 timestamp, touchpoint, metric, score, comment, sentiment (the
 *                 comment's compound score); may be NULL
 * @param touchpoints receives one row per touchpoint the customer touched or
 *                 rated, in catalog order: touchpoint, name, stage, owner,
 *                 touches, responses, nps, csat, ces, rating, sentiment, audit,
 *                 cx_index (their own answers, as tp_scorecard() computes
 *                 them), overall_cx_index (every customer's in the same
 *                 selection) and difference (cx_index - overall_cx_index); may
 *                 be NULL
 * Tables without rows carry a note (tp_table_note()). Each table is owned by
 * the caller (tp_table_free()); all are NULL on error.
 * @return ::TP_OK; ::TP_EINVAL (NULL summary or customer, no events);
 *         ::TP_ENOTFOUND (unknown customer, or a filter name the data lacks);
 *         ::TP_ENOMEM. Thread-safety: as every analysis (inputs only read).
 */
TP_API tp_status tp_profile(const tp_events *events, const tp_feedback *feedback,
                            const char *customer, const tp_filter *filter,
                            const tp_options *options, tp_table **summary, tp_table **touches,
                            tp_table **answers, tp_table **touchpoints);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_JOURNEYS_H */
