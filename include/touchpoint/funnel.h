/**
 * @file touchpoint/funnel.h
 * @brief Funnels: how many customers pass ordered steps, where the others go.
 *
 * A funnel is a list of steps. A step is a touchpoint (any event there), an
 * event type at a touchpoint (a conversion at online-checkout: the purchase,
 * not the visit) or an event type anywhere (any conversion, at whichever
 * touchpoint). A customer reaches step k
 * when events at the steps up to k occur in that order (ties keep input
 * order), all within the conversion window from the first step
 * (tp_funnel_set_window()) and each within its own window from the step
 * before it (tp_funnel_add_step()). An optional step may be skipped: the step
 * after it then follows the step before it. Loose mode allows anything between
 * two steps; strict mode (::TP_FUNNEL_STRICT) allows no other funnel step in
 * between (repeating the current step is not another step; touchpoints
 * outside the funnel never matter). An event at an exclusion touchpoint
 * breaks every chain in progress: the customer must start again from the
 * first step; an exclusion is a target as a step is (a touchpoint, a type at
 * one, a type anywhere), and an event it matches is never a step. Each
 * customer counts once, by the best of all their attempts;
 * the chain that is kept at each step is the one that started latest, so it
 * leaves the most room in the window.
 *
 * Funnels look at each customer's whole history of the selected events, not at
 * single journeys; the windows bound it.
 *
 * Thread-safety: a funnel is read-only during tp_funnel_run(); distinct
 * funnels may be built in distinct threads.
 */
#ifndef TOUCHPOINT_FUNNEL_H
#define TOUCHPOINT_FUNNEL_H

#include "analysis.h"
#include "catalog.h"
#include "common.h"
#include "events.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* tp_funnel, the opaque funnel definition, is declared in catalog.h (a catalog
 * keeps named funnels). */

/** How strictly steps must follow each other. */
typedef enum tp_funnel_mode {
    TP_FUNNEL_LOOSE = 0,  /**< Other events, funnel steps included, may come in between. */
    TP_FUNNEL_STRICT = 1, /**< No other funnel step may come in between. */
    /** Steps in any order: row k counts the customers who did at least k of
     * the n steps (distinct steps, each matched by an event) within one
     * conversion window, which starts at any of their step events (no window:
     * all their history since the last exclusion); its touchpoint reads
     * "(any k of n)". median_ms is the time from doing k - 1 steps to doing k
     * in the earliest window that holds the customer's most. No optional
     * steps or step windows (::TP_EINVAL when the funnel runs). */
    TP_FUNNEL_ANY_ORDER = 2
} tp_funnel_mode;

/**
 * Create an empty funnel (loose, no windows, no exclusions).
 * @param out receives the funnel, owned by the caller (tp_funnel_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_funnel_new(tp_funnel **out);

/** Free a funnel. Accepts NULL. */
TP_API void tp_funnel_free(tp_funnel *funnel);

/**
 * A new funnel with the steps, exclusions, window and mode of @p funnel.
 * @param out receives the copy, owned by the caller (tp_funnel_free())
 * @return ::TP_OK, ::TP_EINVAL (NULL argument), ::TP_ENOMEM
 * Thread-safety: @p funnel is only read.
 */
TP_API tp_status tp_funnel_copy(const tp_funnel *funnel, tp_funnel **out);

/**
 * Append a step.
 * @param touchpoint touchpoint id (resolved against the event log's catalog
 *        when the funnel runs)
 * @param optional non-zero: customers may skip this step (not the first one)
 * @param window_ms the most time from the previous performed step, in
 *        milliseconds; 0 for no limit
 * @return ::TP_OK; ::TP_EINVAL (NULL, bad id, negative window, optional first
 *         step, more than 64 steps); ::TP_ENOMEM
 */
TP_API tp_status tp_funnel_add_step(tp_funnel *funnel, const char *touchpoint, int optional,
                                    int64_t window_ms);

/**
 * Append a step that an event of one type matches: at @p touchpoint, or at
 * any touchpoint when it is NULL. "Bought online" is (online-checkout,
 * ::TP_EVENT_CONVERSION); "bought anywhere" is (NULL, ::TP_EVENT_CONVERSION).
 * A step at a touchpoint without a type (tp_funnel_add_step()) matches its
 * events of every type, conversions included.
 * @param type ::TP_EVENT_INTERACTION, ::TP_EVENT_CONVERSION or ::TP_EVENT_EXIT
 * @return as tp_funnel_add_step(); ::TP_EINVAL also for another @p type
 * Thread-safety: as every funnel builder (the file's note).
 */
TP_API tp_status tp_funnel_add_typed_step(tp_funnel *funnel, const char *touchpoint,
                                          tp_event_type type, int optional, int64_t window_ms);

/**
 * Parse steps from text and append them: comma-separated steps, each a
 * touchpoint id, an id and an event type in parentheses
 * ("online-checkout (conversion)") or a type alone ("(conversion)": that type
 * at any touchpoint); each optionally followed by `?` (optional step) and by
 * `<` and a duration (its window from the previous step), e.g.
 * "website, cart?, online-checkout (conversion)<2d". Types are interaction,
 * conversion and exit, in any case; other text in parentheses is part of the
 * id. Durations are a number and a unit: d, h, m, s or ms. All or nothing.
 * @return ::TP_OK, ::TP_EINVAL (message names the bad step), ::TP_ENOMEM
 */
TP_API tp_status tp_funnel_parse(tp_funnel *funnel, const char *steps);

/**
 * Add an exclusion touchpoint: an event there breaks the chains in progress.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_funnel_add_exclusion(tp_funnel *funnel, const char *touchpoint);

/**
 * Add an exclusion that events of one type match: at @p touchpoint, or at any
 * touchpoint when it is NULL ("(conversion)": a purchase anywhere starts the
 * customer over).
 * @return ::TP_OK; ::TP_EINVAL (NULL funnel, bad id, another @p type); ::TP_ENOMEM
 */
TP_API tp_status tp_funnel_add_typed_exclusion(tp_funnel *funnel, const char *touchpoint,
                                               tp_event_type type);

/**
 * Set the conversion window: the most time from the first step to any later
 * one, in milliseconds; 0 (the default) for no limit.
 * @return ::TP_OK or ::TP_EINVAL (negative)
 */
TP_API tp_status tp_funnel_set_window(tp_funnel *funnel, int64_t window_ms);

/** Set the mode (default ::TP_FUNNEL_LOOSE). @return ::TP_OK or ::TP_EINVAL */
TP_API tp_status tp_funnel_set_mode(tp_funnel *funnel, tp_funnel_mode mode);

/** The word of a mode ("loose", "strict", "any"), or NULL for another value. Static
 * text; thread-safe. */
TP_API const char *tp_funnel_mode_name(tp_funnel_mode mode);

/**
 * The mode named @p name ("loose", "strict" or "any").
 * @return ::TP_OK; ::TP_EINVAL for NULL or another word (the message lists the words)
 */
TP_API tp_status tp_funnel_mode_parse(const char *name, tp_funnel_mode *out);

/**
 * Set one part of the funnel by name, from text, as the registry's funnel
 * parameters read it: "steps" (tp_funnel_parse(), adds steps), "exclude"
 * (comma-separated exclusions, each written as a step is: "support",
 * "(conversion)"; all or nothing), "window" (a
 * duration "7d", "12h", "90m", "45s" or whole milliseconds) or "mode" ("loose",
 * "strict").
 * @return ::TP_OK; ::TP_EINVAL for NULL, an unknown part or a bad value (the
 *         message names it); on error the funnel may hold the steps parsed
 *         before the bad one
 */
TP_API tp_status tp_funnel_set(tp_funnel *funnel, const char *key, const char *value);

/** Number of steps. */
TP_API size_t tp_funnel_step_count(const tp_funnel *funnel);

/**
 * Run the funnel over the selected events.
 *
 * @p steps receives one row per step: step (1-based), touchpoint (the step as
 * tp_funnel_parse() reads it: an id, "online-checkout (conversion)" or
 * "(conversion)"), optional
 * (0/1), customers (who reached it), conversion_from_start (customers / those
 * of step 1), conversion_from_previous (customers / those of the previous
 * required step), dropped (customers of the previous required step who did
 * not reach this one; 0 for optional steps), median_ms (median time from the
 * previous performed step, null when nobody reached it).
 *
 * @p dropoffs (may be NULL) receives where the dropped customers went: step
 * (the last required step they reached), touchpoint (that step, as in
 * @p steps), next (the touchpoint of their first selected event at another
 * touchpoint after the event that reached it, `(end)` when there is none),
 * customers; by step, then customers
 * descending, then next.
 *
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, funnel without steps);
 *         ::TP_ENOTFOUND (a step or exclusion is not in the catalog);
 *         ::TP_ENOMEM. On error the out tables are NULL.
 * Thread-safety: as every analysis (analysis.h).
 */
TP_API tp_status tp_funnel_run(const tp_events *events, const tp_funnel *funnel,
                               const tp_filter *filter, const tp_options *options,
                               tp_table **steps, tp_table **dropoffs);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_FUNNEL_H */
