/**
 * @file touchpoint/scoring.h
 * @brief Scorecards, roll-ups, hot spots, key drivers, trends and what
 *        customers talk about.
 *
 * Every function here reads an event log and/or a feedback set bound to the
 * same catalog (either may be NULL where stated), applies an optional
 * ::tp_filter, takes optional ::tp_options, and returns a new ::tp_table that
 * the caller owns (tp_table_free()). Inputs are only read.
 *
 * ## Responses and their 0-100 values
 * Every response is put on a 0-100 scale (DESIGN section 5): NPS promoter 100,
 * passive 50, detractor 0; CSAT 100 for 4-5 else 0; CES (x-1)/6 x 100; rating
 * (x-1)/4 x 100; each non-empty comment is a sentiment response (compound+1)/2
 * x 100; each audit visit at a touchpoint is one response: the weighted mean of
 * its items' scores (N/A items excluded), or 0 when a knock-out item of the
 * visit failed (see tp_options_add_knockout()). A visit is the set of audit rows
 * with the same customer (shopper) and time.
 *
 * ## CX index
 * Per touchpoint, each available metric rescaled to 0-100 (NPS (x+100)/2, CSAT
 * as is, CES (mean-1)/6 x 100, rating (mean-1)/4 x 100, sentiment (x+1)/2 x 100,
 * audit as is) and averaged with the weights ::TP_OPT_WEIGHT_NPS ...
 * ::TP_OPT_WEIGHT_AUDIT over the metrics that have responses. NaN (null) when no
 * weighted metric has a response.
 *
 * Errors, common to all: ::TP_EINVAL (both inputs NULL, inputs bound to
 * different catalogs, NULL out); ::TP_ENOMEM. On error *out is NULL.
 * Thread-safety: the inputs are only read; concurrent analyses of unmodified
 * inputs are safe.
 */
#ifndef TOUCHPOINT_SCORING_H
#define TOUCHPOINT_SCORING_H

#include "analysis.h"
#include "common.h"
#include "events.h"
#include "feedback.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Scorecard: one row per catalog touchpoint that passes the filter's stage,
 * channel and touchpoint parts, in catalog order.
 *
 * Columns: touchpoint, name, stage, channel, owner, parent, weight (criticality),
 * reach (unique customers in the events; null without events), responses (all
 * 0-100 responses), respondents (unique customers with a response),
 * response_rate (of the customers reached, the share who responded there:
 * |responded and reached| / reach, 0-1; null without events or reach),
 * nps_n, promoters, passives, detractors, nps, nps_se, nps_low, nps_high,
 * nps_moe, csat_n, csat, csat_low, csat_high, csat_moe, ces_n, ces, ces_low,
 * ces_high, ces_moe, ces_easy (percent of 5-7), rating_n, rating, rating_low,
 * rating_high, rating_moe, rating_bayes, sentiment_n, sentiment,
 * sentiment_low, sentiment_high, sentiment_moe, audit_n (visits), audit,
 * audit_low, audit_high, audit_moe, audit_knockouts, cx_index, cx_low,
 * cx_high, cx_moe (the interval of tp_targets()), cx_rollup
 * (criticality-weighted mean of the CX indices of the touchpoint and all its
 * descendants), low_sample, expectation.
 * A metric without responses is null. Each _moe (margin of error) is half
 * its interval's width, (high - low) / 2: z SE for NPS and means away from
 * the ends of their scale, Wilson's half-width for CSAT, less where the
 * interval is cut at the end of its scale (so low and high, not value +- moe,
 * are the bounds). low_sample lists, comma-separated in column order, the
 * metrics with at least one but fewer than ::TP_OPT_MIN_RESPONSES (default
 * 30) answers ("nps,ces"); null when none. rating_bayes uses ::TP_OPT_RATING_PRIOR_MEAN
 * (default: the mean of all selected ratings) and ::TP_OPT_RATING_PRIOR_WEIGHT.
 */
TP_API tp_status tp_scorecard(const tp_events *events, const tp_feedback *feedback,
                              const tp_filter *filter, const tp_options *options, tp_table **out);

/**
 * Targets: each numeric target of the catalog's touchpoints (tp_catalog_set_target(),
 * `"targets"` in catalog JSON) against the metric it names, one row per
 * touchpoint and target, in catalog order and then target order, for the
 * touchpoints that pass the filter's stage, channel and touchpoint parts.
 *
 * Columns: touchpoint, name, stage, owner, metric (the target's word: nps,
 * csat, ces, rating, audit, cx_index), target, value, low, high (the metric and
 * its interval at ::TP_OPT_LEVEL, as in tp_scorecard(); the CX index's interval
 * from its metrics' standard errors: se = sqrt(sum (w_m / W)^2 (k_m se_m)^2)
 * with k_m the factor that puts metric m on 0-100, taken as independent), n
 * (its responses), gap (value - target; null without responses), status:
 * "met" when the whole interval is at or above the target, "missed" when it is
 * below, "unclear" when it holds the target (or has no width to tell: one
 * response), "no data" without responses. Higher is better on every metric.
 */
TP_API tp_status tp_targets(const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options, tp_table **out);

/**
 * The roadmap: the journey the team designed (a journey map of the catalog,
 * and its touchpoints' targets) against the one customers have. One row per
 * touchpoint of the map and target, in map order (stage by stage), and one
 * row with metric cx_index and status "no target" for a touchpoint without
 * targets; touchpoints the filter's touchpoint parts leave out are left out.
 *
 * Columns: stage (the map's), touchpoint, name, owner, metric, target, value,
 * low, high, n, status (as tp_targets() gives them), periods (the
 * ::TP_OPT_PERIOD periods with responses at the touchpoint), slope (the
 * least-squares change of the metric per period over those periods, as
 * tp_trend() per touchpoint gives them; null with fewer than two),
 * reached_by ("now" when the value is at or above the target or the target is
 * met; else the start date (YYYY-MM-DD) of the first period at which the line
 * reaches it, ceil((target - value) / slope) periods after the last one; "moving
 * away" for a negative slope, "not moving" for none (or more than 1,200
 * periods away); null without a value or a slope), arrivals (observed moves
 * into the touchpoint from another one or from the start of a journey, as
 * tp_transitions() counts them) and conformance (the share of arrivals the map
 * allows; null without arrivals).
 *
 * @param map_id the journey map; NULL for the catalog's only one
 * @return ::TP_OK; ::TP_EINVAL (NULL out, events or feedback missing, no map
 *         named and not exactly one); ::TP_ENOTFOUND (no such map: the message
 *         names the nearest); ::TP_ENOMEM
 * Thread-safety: as every analysis.
 */
TP_API tp_status tp_roadmap(const tp_events *events, const tp_feedback *feedback,
                            const char *map_id, const tp_filter *filter,
                            const tp_options *options, tp_table **out);

/** Groupings for tp_scorecard_rollup(). */
typedef enum tp_group {
    TP_GROUP_STAGE = 0,   /**< By stage ("(none)" for touchpoints without one). */
    TP_GROUP_CHANNEL = 1, /**< By channel. */
    TP_GROUP_OWNER = 2,   /**< By owner. */
    TP_GROUP_PARENT = 3   /**< By top-level ancestor: a parent with all its descendants. */
} tp_group;

/**
 * Scorecard rolled up by stage, channel, owner or top-level parent.
 *
 * Columns: stage|channel|owner|parent (named after the grouping), touchpoints,
 * weight (sum of criticality), reach (unique customers over the group), responses,
 * nps_n, nps, csat_n, csat, ces_n, ces, rating_n, rating, sentiment_n, sentiment,
 * audit_n, audit (metrics pooled over the group's responses), cx_index (the
 * criticality-weighted mean of the members' CX indices: sum w_t cx_t / sum w_t
 * over members with an index), cx_pooled (the CX index of the pooled metrics).
 * Rows in stage order for stages, else in order of first appearance in the catalog.
 * @return as the others, and ::TP_EINVAL for an unknown grouping.
 */
TP_API tp_status tp_scorecard_rollup(const tp_events *events, const tp_feedback *feedback,
                                     const tp_filter *filter, const tp_options *options,
                                     tp_group group, tp_table **out);

/** Name of a grouping ("stage", ...), or NULL. */
TP_API const char *tp_group_name(tp_group group);

/** Parse a grouping name. @return ::TP_OK or ::TP_EINVAL */
TP_API tp_status tp_group_parse(const char *name, tp_group *out);

/**
 * Hot spots: touchpoints whose CX index differs significantly from the overall
 * index (the CX index of all selected responses pooled).
 *
 * For each touchpoint with at least ::TP_OPT_MIN_RESPONSES responses, Welch's
 * t-test compares its 0-100 response values with those of all other
 * touchpoints; it is a pain point when p < ::TP_OPT_ALPHA and its index is
 * below the overall index, a bright spot when above. impact = reach x (cx_index
 * - overall), where reach is the number of unique customers in the events at
 * the touchpoint (without events: unique customers who responded there).
 *
 * Columns: rank, touchpoint, kind ("pain", "bright"; "neutral" with
 * ::TP_OPT_ALL_HOTSPOTS), cx_index, overall, gap, reach, impact, responses,
 * mean (of its 0-100 values), others_mean, t, df, p_value, owner (the team
 * that owns the touchpoint, null without one).
 * Pain points come first by impact ascending (worst first), then bright spots
 * by impact descending, then neutral ones by p-value.
 */
TP_API tp_status tp_hotspots(const tp_events *events, const tp_feedback *feedback,
                             const tp_filter *filter, const tp_options *options, tp_table **out);

/**
 * Key drivers of an outcome (::TP_OPT_OUTCOME).
 *
 * A customer's experience at a touchpoint is the mean of their 0-100 response
 * values there (for the recommend outcome their NPS answers are the outcome and
 * are left out of the experience). importance is the Pearson correlation, over
 * customers with both, of experience at the touchpoint and the outcome
 * (recommend: the customer's mean NPS answer; conversion/repeat: 0/1 from the
 * events, which are then required). Touchpoints with fewer than
 * ::TP_OPT_MIN_RESPONSES such customers are left out. relative_weight is
 * Johnson's relative weight of the touchpoint when the outcome is regressed on
 * all listed touchpoints together (customers with the outcome and at least one
 * experience; a missing experience is imputed with the touchpoint's mean); the
 * weights sum to that regression's R^2. performance is the touchpoint's CX index.
 *
 * quadrant compares importance and performance with their means over the rows:
 * "fix first" (important, below-average performance), "maintain" (important,
 * above), "possible overkill" (less important, above), "low priority" (less
 * important, below).
 *
 * Columns: touchpoint, customers, importance, p_value (of the correlation),
 * relative_weight, performance, quadrant, owner (as in tp_hotspots()). Sorted
 * by importance descending.
 */
TP_API tp_status tp_drivers(const tp_events *events, const tp_feedback *feedback,
                            const tp_filter *filter, const tp_options *options, tp_table **out);

/**
 * Per-period series (::TP_OPT_PERIOD) of the feedback metrics, overall or per
 * touchpoint (::TP_OPT_BY_TOUCHPOINT).
 *
 * Columns: period (start date, YYYY-MM-DD), start (ms), touchpoint ("(all)"
 * when overall), responses, nps_n, nps, csat_n, csat, ces_n, ces, rating_n,
 * rating, sentiment_n, sentiment, audit_n, audit, cx_index, change (cx_index
 * minus the previous period's; null for the first), p_value (Welch's t-test of
 * this period's 0-100 values against the previous period's), significant (1 when
 * p_value < ::TP_OPT_ALPHA, else 0). Periods without responses are left out;
 * the previous period is the previous row of the same touchpoint.
 * Events are not needed except for segment filters.
 */
TP_API tp_status tp_trend(const tp_events *events, const tp_feedback *feedback,
                          const tp_filter *filter, const tp_options *options, tp_table **out);

/**
 * What customers talk about: the most frequent sentiment words in the comments
 * at each touchpoint, by polarity as scored (a negated "happy" counts as the
 * negative term "not happy").
 *
 * Columns: touchpoint, comments, sentiment (mean compound), polarity
 * ("positive"/"negative"), term, count (comments using it), rank (1 = most
 * frequent). At most ::TP_OPT_TOP_TERMS terms per touchpoint and polarity; ties
 * by term. Touchpoints without comments are left out. Events are not needed
 * except for segment filters.
 */
TP_API tp_status tp_sentiment_terms(const tp_events *events, const tp_feedback *feedback,
                                    const tp_filter *filter, const tp_options *options,
                                    tp_table **out);

/**
 * Themes in comments: the two- and three-word phrases that come up in at
 * least two comments at a touchpoint ("coupon code", "no answer", "took
 * weeks"). Words are the sentiment scorer's (case folded, punctuation at
 * their ends dropped); a phrase stays within a clause (a comma or a full stop
 * ends one), and neither begins nor ends with a stop word of the lexicon
 * (::TP_TERM_STOP; the built-in list is in the lexicon file, replaced or
 * extended as any term); a booster or negation may begin one ("no answer",
 * "very slow") but not end it, a contrast word ("but") neither. A comment counts once per phrase. A two-word phrase
 * inside a three-word one of as many comments is left out.
 *
 * Columns: touchpoint, comments (the touchpoint's selected comments), phrase,
 * words (2 or 3), count (comments holding it), share (count / comments),
 * sentiment (the mean compound score of those comments), rank, owner. At most
 * ::TP_OPT_TOP_TERMS phrases per touchpoint, most comments first, then longer,
 * then alphabetical; touchpoints in catalog order. An empty table says why.
 * Errors and thread-safety as every analysis; uses the options' lexicon.
 */
TP_API tp_status tp_comment_phrases(const tp_events *events, const tp_feedback *feedback,
                                    const tp_filter *filter, const tp_options *options,
                                    tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_SCORING_H */
