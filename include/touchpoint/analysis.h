/**
 * @file touchpoint/analysis.h
 * @brief What every analysis takes besides its data: a filter (which rows) and
 *        options (how to compute).
 *
 * Both are opaque objects with typed setters, so new settings never break the
 * ABI. Every analysis accepts NULL for either: no filter selects everything, no
 * options means the defaults listed in ::tp_option.
 *
 * Thread-safety: a filter or options object may be read by concurrent analyses
 * once it is no longer modified.
 */
#ifndef TOUCHPOINT_ANALYSIS_H
#define TOUCHPOINT_ANALYSIS_H

#include "common.h"
#include "sentiment.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A row filter: a time window, customer segments, stages, channels and
 * touchpoints. Opaque.
 *
 * A row passes when it passes every part that is set:
 * - time: from <= time < to (event time for events, response time for feedback);
 * - segments: conditions `attribute = value` / `attribute != value` on customer
 *   attributes (the extra columns of the events file, or of the feedback file).
 *   A row's own attribute value is used when it has one, else the customer's
 *   value: the last non-empty value in the events. Several `=` values of one
 *   attribute are alternatives (OR); different attributes and every `!=` must
 *   all hold (AND). A customer without the attribute fails `=` and passes `!=`;
 * - stages, channels, touchpoints: the row's touchpoint has one of the listed
 *   stages (by name), channels, or ids (each list is an OR).
 *
 * A filter never answers a typo with an empty result: an analysis given a
 * filter that names a stage, channel or touchpoint its catalog lacks, a
 * segment attribute that neither its events nor its feedback have, or a
 * segment value no row of them holds fails with ::TP_ENOTFOUND, and the
 * message names the nearest name ("did you mean 'region'?") or lists the known
 * ones. The partial aggregates (tp_agg_add(), tp_agg_add_funnel()) check the
 * catalog's names only: one partition may lack an attribute or a value that
 * the whole has.
 */
typedef struct tp_filter tp_filter;

/** Create an empty filter (selects everything). Caller owns it; tp_filter_free().
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_filter_new(tp_filter **out);

/** Free a filter. Accepts NULL. */
TP_API void tp_filter_free(tp_filter *filter);

/**
 * Restrict to from <= time < to (milliseconds since the epoch). INT64_MIN and
 * INT64_MAX leave an end open.
 * @return ::TP_OK, ::TP_EINVAL (from > to, NULL filter)
 */
TP_API tp_status tp_filter_set_time_range(tp_filter *filter, int64_t from, int64_t to);

/**
 * Add a segment condition. A customer's value is the row's own, else the
 * last non-empty one of their events. Conditions on one attribute combine as
 * "any of the = values and none of the != values"; attributes combine with and.
 * @param attribute attribute (column) name
 * @param value     value to compare with (exact, case-sensitive); "" stands for
 *                  no value: `attribute = ""` keeps the customers without one,
 *                  `attribute != ""` those with one
 * @param negate    0 for `attribute = value`, 1 for `attribute != value`
 * @return ::TP_OK, ::TP_EINVAL (NULL or invalid UTF-8), ::TP_ENOMEM
 */
TP_API tp_status tp_filter_add_segment(tp_filter *filter, const char *attribute, const char *value,
                                       int negate);

/**
 * Add a segment condition written as text: `attribute=value` or
 * `attribute!=value` (white space around the operator is kept as part of the
 * names, so write none).
 * @return ::TP_OK, ::TP_EINVAL (no operator, empty attribute), ::TP_ENOMEM
 */
TP_API tp_status tp_filter_parse_segment(tp_filter *filter, const char *condition);

/** Keep rows whose touchpoint is in this stage (repeat for several).
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_filter_add_stage(tp_filter *filter, const char *stage);

/** Keep rows whose touchpoint has this channel (repeat for several).
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_filter_add_channel(tp_filter *filter, const char *channel);

/** Keep rows at this touchpoint id (repeat for several).
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_filter_add_touchpoint(tp_filter *filter, const char *touchpoint);

/** Keep rows whose touchpoint this team owns (the catalog's owner; repeat for
 * several). An owner no touchpoint has is ::TP_ENOTFOUND when an analysis runs.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_filter_add_owner(tp_filter *filter, const char *owner);

/**
 * Keep the rows of one customer (by id, as the data spells it); repeated, any
 * of them. An id no events or feedback row has is refused by the analysis
 * (::TP_ENOTFOUND, naming the nearest id), except in partial aggregates.
 * @return ::TP_OK, ::TP_EINVAL (NULL, invalid UTF-8, a control character), ::TP_ENOMEM
 */
TP_API tp_status tp_filter_add_customer(tp_filter *filter, const char *customer);

/**
 * Set one part of a filter by name, as the command line and the bindings do:
 * - "since", "until": a time (ISO 8601 or epoch milliseconds, tp_time_parse())
 *   that opens or closes the window from <= time < to;
 * - "segment": `attribute=value` or `attribute!=value` (tp_filter_parse_segment());
 * - "stage", "channel", "touchpoint", "owner", "customer": one more accepted
 *   value (repeat for several).
 * tp_filter_key_count() and tp_filter_key_name() list the names.
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, unknown name with the nearest
 *         one suggested, since after until); ::TP_EPARSE/::TP_EVALIDATE (a time
 *         that does not read); ::TP_ENOMEM
 */
TP_API tp_status tp_filter_set(tp_filter *filter, const char *key, const char *value);

/**
 * A new filter with the same conditions as @p filter.
 * @param out receives the copy, owned by the caller (tp_filter_free())
 * @return ::TP_OK, ::TP_EINVAL (NULL argument), ::TP_ENOMEM
 * Thread-safety: @p filter is only read.
 */
TP_API tp_status tp_filter_copy(const tp_filter *filter, tp_filter **out);

/**
 * Drop the conditions of one filter key ("since", "until", "segment", "stage",
 * "channel", "touchpoint"), or of every key when @p key is NULL.
 * @return ::TP_OK; ::TP_EINVAL (NULL filter, unknown key with the nearest one)
 */
TP_API tp_status tp_filter_clear(tp_filter *filter, const char *key);

/**
 * Whether the list of key @p key ("stage", "channel" or "touchpoint") lets
 * @p value through: 1 when the list is empty or holds @p value, else 0 (also 0
 * for NULL arguments and other keys). Exact, case-sensitive comparison.
 * Thread-safe for concurrent readers.
 */
TP_API int tp_filter_selects(const tp_filter *filter, const char *key, const char *value);

/** Number of filter keys tp_filter_set() takes. Thread-safe. */
TP_API size_t tp_filter_key_count(void);

/** Name of filter key @p index, or NULL out of range (static text). Thread-safe. */
TP_API const char *tp_filter_key_name(size_t index);

/** One line of documentation of filter key @p index, or NULL (static text). Thread-safe. */
TP_API const char *tp_filter_key_doc(size_t index);

/** Analysis options. Opaque. */
typedef struct tp_options tp_options;

/**
 * Option keys. Each has a type (double or integer), a default and a valid
 * range; tp_options_set() also takes them by name (the text after `TP_OPT_`, in
 * lower case, e.g. "min_responses").
 */
typedef enum tp_option {
    TP_OPT_LEVEL = 1,               /**< double in (0, 1); confidence level of intervals; 0.95 */
    TP_OPT_ALPHA = 2,               /**< double in (0, 1); hot-spot/trend significance; 0.05 */
    TP_OPT_MIN_RESPONSES = 3,       /**< int >= 1; responses a touchpoint needs to be a hot spot
                                         or a driver; 30 */
    TP_OPT_RATING_PRIOR_MEAN = 4,   /**< double in [1, 5], or NaN for the overall mean rating; NaN */
    TP_OPT_RATING_PRIOR_WEIGHT = 5, /**< double >= 0; C of the Bayesian average; 10 */
    TP_OPT_WEIGHT_NPS = 6,          /**< double >= 0; weight of NPS in the CX index; 1 */
    TP_OPT_WEIGHT_CSAT = 7,         /**< double >= 0; 1 */
    TP_OPT_WEIGHT_CES = 8,          /**< double >= 0; 1 */
    TP_OPT_WEIGHT_RATING = 9,       /**< double >= 0; 1 */
    TP_OPT_WEIGHT_SENTIMENT = 10,   /**< double >= 0; 1 */
    TP_OPT_WEIGHT_AUDIT = 11,       /**< double >= 0; 1 */
    TP_OPT_KNOCKOUT_PASS = 12,      /**< double in [0, 100]; a knock-out audit item scoring
                                         below this fails the visit; 50 */
    TP_OPT_PERIOD = 13,             /**< int, a ::tp_period; trend period; TP_PERIOD_MONTH */
    TP_OPT_OUTCOME = 14,            /**< int, a ::tp_outcome; key-driver outcome;
                                         TP_OUTCOME_RECOMMEND */
    TP_OPT_TOP_TERMS = 15,          /**< int >= 1; terms per touchpoint and polarity; 5 */
    TP_OPT_ALL_HOTSPOTS = 16,       /**< int 0/1; list every touchpoint, "neutral" when not a
                                         hot spot; 0 */
    TP_OPT_BY_TOUCHPOINT = 17,      /**< int 0/1; trend per touchpoint instead of overall; 0 */
    TP_OPT_TIMEOUT = 18,            /**< int, milliseconds >= 1; inactivity gap that ends a
                                         journey; 30 days. By name also "30d", "12h", "90m",
                                         "45s" */
    TP_OPT_TOP = 19,                /**< int >= 1; rows of top-N lists (path variants); 10 */
    TP_OPT_COLLAPSE = 20,           /**< int, a ::tp_collapse; how variants treat repeated
                                         touchpoints; TP_COLLAPSE_NONE */
    TP_OPT_ORDER = 21,              /**< int in [1, 8]; Markov order k (states are k
                                         consecutive touches); 1 */
    TP_OPT_HALF_LIFE = 22,          /**< int, milliseconds >= 1; time-decay half-life; 7 days
                                         (by name also "7d", "12h", ...) */
    TP_OPT_SHAPLEY_VALUE = 23,      /**< int, a ::tp_shapley_value; coalition value; conversions */
    TP_OPT_CREDIT_CONVERSION = 24,  /**< int 0/1; the conversion event's own touchpoint is the
                                         last touch of the path it closes; 0 */
    TP_OPT_SELF_LOOPS = 25,         /**< int 0/1; Markov keeps repeated consecutive states as
                                         self-loops instead of merging them; 0 */
    TP_OPT_MAX_STEPS = 26,          /**< int >= 1; steps of the flow (Sankey) table; 5 */
    TP_OPT_POSITION_FIRST = 27,     /**< double in [0, 1]; position-based share of the first
                                         touch; 0.4 (first + last must not exceed 1) */
    TP_OPT_POSITION_LAST = 28,      /**< double in [0, 1]; share of the last touch; 0.4 */
    TP_OPT_THREADS = 29,            /**< int in [0, 256]; threads of the heaviest analyses
                                         (Markov removal effects): 1 the calling thread only,
                                         0 one per online CPU; results are identical whatever
                                         the count; 1 */
    TP_OPT_MARKOV_MAX_WORK = 30,    /**< double >= 1e6; the most floating-point operations
                                         an exact Markov attribution may take (estimated
                                         before it starts: the chain's factorization and
                                         the removal solves); beyond it the call fails at
                                         once with ::TP_ELIMIT naming the estimate; 3e10,
                                         about 10-30 s on one core */
    TP_OPT_BREAKDOWN = 31,          /**< text, an attribute name (a column of the events or
                                         the feedback), or "" for none; tp_analysis_run()
                                         runs the analysis once per value of the attribute
                                         and puts the value first in every row (see
                                         registry.h); the typed functions refuse it; "" */
    TP_OPT_COHORT = 32              /**< int, a ::tp_cohort; how tp_retention() forms cohorts;
                                         TP_COHORT_FIRST_EVENT */
} tp_option;

/** How tp_retention() forms its cohorts and what counts as active. */
typedef enum tp_cohort {
    TP_COHORT_FIRST_EVENT = 0,     /**< by the period of the first event; active: any event */
    TP_COHORT_FIRST_CONVERSION = 1 /**< by the period of the first conversion; active: a
                                        conversion (buying again) */
} tp_cohort;

/** What values an option takes (tp_option_info.type). */
typedef enum tp_value_type {
    TP_VALUE_NUMBER = 1,   /**< a double in [min, max] (ends excluded when *_open) */
    TP_VALUE_INTEGER = 2,  /**< an integer in [min, max] */
    TP_VALUE_FLAG = 3,     /**< 0/1; by name also no/yes, false/true */
    TP_VALUE_DURATION = 4, /**< milliseconds >= min; by name also "30d", "12h", "90m", "45s" */
    TP_VALUE_CHOICE = 5,   /**< the index of one of @c choices; by name the word */
    TP_VALUE_TEXT = 6      /**< text (analysis parameters: funnel steps, a journey map id) */
} tp_value_type;

/**
 * The description of one option: what the command line, the bindings and
 * their help texts read instead of keeping a table of their own. Owned by the
 * library, constant, valid for the life of the process; fields are only ever
 * appended.
 */
typedef struct tp_option_info {
    tp_option key;              /**< the key of the typed setters and getters */
    const char *name;           /**< the name of tp_options_set() ("min_responses") */
    tp_value_type type;         /**< what values it takes */
    double min, max;            /**< bounds of the numeric value */
    int min_open, max_open;     /**< 1 when the bound itself is excluded */
    int nan_ok;                 /**< 1 when NaN is accepted (it means "the default") */
    const char *const *choices; /**< ::TP_VALUE_CHOICE and ::TP_VALUE_FLAG: the words, by
                                     value, NULL-terminated; else NULL */
    const char *fallback;       /**< the default, written as tp_options_set() reads it */
    const char *doc;            /**< one line of documentation, in plain words */
} tp_option_info;

/** The word for a ::tp_value_type ("number", "integer", "flag", "duration",
 * "choice", "text"), or NULL for another value. Static text; thread-safe. */
TP_API const char *tp_value_type_name(tp_value_type type);

/** Number of options: tp_option_at() takes 0 to this - 1. Thread-safe. */
TP_API size_t tp_option_count(void);

/**
 * The description of option @p index (0 to tp_option_count() - 1), in the
 * order of ::tp_option.
 * @return borrowed, constant data; NULL when @p index is out of range. Thread-safe.
 */
TP_API const tp_option_info *tp_option_at(size_t index);

/**
 * The description of the option named @p name (as tp_options_set() takes it).
 * @return borrowed, constant data; NULL when there is no such option, with
 *         tp_last_error() naming it and the nearest option name ("did you mean").
 *         Thread-safe.
 */
TP_API const tp_option_info *tp_option_lookup(const char *name);

/** How path variants treat touchpoints a journey visits more than once. */
typedef enum tp_collapse {
    TP_COLLAPSE_NONE = 0,    /**< Every touch: a > a > b > a stays as it is. */
    TP_COLLAPSE_REPEATS = 1, /**< Consecutive repeats merged: a > b > a. */
    TP_COLLAPSE_LOOPS = 2    /**< Each touchpoint at its first visit only: a > b. */
} tp_collapse;

/** The value of a coalition in the Shapley attribution model. */
typedef enum tp_shapley_value {
    TP_SHAPLEY_CONVERSIONS = 0, /**< Conversions of the journeys whose touchpoints all belong to
                                     the coalition. */
    TP_SHAPLEY_RATE = 1         /**< Their conversion rate (conversions / journeys). */
} tp_shapley_value;

/** Trend periods (UTC; weeks start on Monday, ISO 8601). */
typedef enum tp_period {
    TP_PERIOD_DAY = 0,
    TP_PERIOD_WEEK = 1,
    TP_PERIOD_MONTH = 2
} tp_period;

/** Outcomes for key-driver analysis. */
typedef enum tp_outcome {
    TP_OUTCOME_RECOMMEND = 0,  /**< The customer's mean NPS answer (0-10). */
    TP_OUTCOME_CONVERSION = 1, /**< 1 if the customer has a conversion event, else 0. */
    TP_OUTCOME_REPEAT = 2      /**< 1 if the customer converted at least twice, else 0. */
} tp_outcome;

/** Create options holding the defaults. Caller owns them; tp_options_free().
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM */
TP_API tp_status tp_options_new(tp_options **out);

/** Free options. Accepts NULL. */
TP_API void tp_options_free(tp_options *options);

/**
 * Set a double option.
 * @return ::TP_OK; ::TP_EINVAL (unknown key, integer key, value out of range,
 *         naming the option and its range)
 */
TP_API tp_status tp_options_set_double(tp_options *options, tp_option key, double value);

/**
 * Set an integer option.
 * @return ::TP_OK; ::TP_EINVAL (unknown key, double key, value out of range)
 */
TP_API tp_status tp_options_set_int(tp_options *options, tp_option key, int64_t value);

/** Read a double option. @return ::TP_OK, ::TP_EINVAL (unknown or integer key) */
TP_API tp_status tp_options_get_double(const tp_options *options, tp_option key, double *out);

/** Read an integer option. @return ::TP_OK, ::TP_EINVAL (unknown or double key) */
TP_API tp_status tp_options_get_int(const tp_options *options, tp_option key, int64_t *out);

/**
 * Set a text option (::TP_VALUE_TEXT: ::TP_OPT_BREAKDOWN). The text is copied;
 * "" or NULL sets it back to none.
 * @return ::TP_OK; ::TP_EINVAL (NULL options, not a text option, invalid
 *         UTF-8, a control character, or longer than 256 bytes)
 */
TP_API tp_status tp_options_set_text(tp_options *options, tp_option key, const char *value);

/**
 * Read a text option: *out receives the text ("" for none), borrowed from the
 * options and valid until they are changed or freed.
 * @return ::TP_OK, ::TP_EINVAL (NULL argument, not a text option)
 */
TP_API tp_status tp_options_get_text(const tp_options *options, tp_option key, const char **out);

/**
 * Set any option by name from text, as the command line and the bindings do:
 * numbers for numeric options, "day"/"week"/"month" for period,
 * "recommend"/"conversion"/"repeat" for outcome, "yes"/"no"/"true"/"false"/"1"/"0"
 * for the 0/1 options. Also accepts "weights" with text such as
 * "nps=2,csat=1,audit=0".
 * @return ::TP_OK; ::TP_EINVAL (unknown name, unparseable or out-of-range value)
 */
TP_API tp_status tp_options_set(tp_options *options, const char *name, const char *value);

/**
 * Mark an audit checklist item as a knock-out: when it scores below
 * ::TP_OPT_KNOCKOUT_PASS, every item of that visit (same customer and time, all
 * touchpoints) counts as 0.
 * @param item the item name, with or without the "audit:" prefix
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_options_add_knockout(tp_options *options, const char *item);

/**
 * Use this lexicon for comment sentiment instead of the built-in one.
 * @param lexicon borrowed; must outlive every analysis run with these options;
 *        NULL restores the built-in lexicon
 * @return ::TP_OK, ::TP_EINVAL
 */
TP_API tp_status tp_options_set_lexicon(tp_options *options, const tp_lexicon *lexicon);

/**
 * Progress of a long analysis, and the way to stop one: called on the calling
 * thread with the units of the current step done so far and their total:
 * about every 65,536 events, customers or journeys while events are cut into
 * journeys and while journeys are read, and, in Markov attribution, after the
 * full chain and after each removal (solves; `attribution_compare` and the
 * report too, as they run it). A step starts again from 0, so @p done may go
 * down between calls. Return 0 to go on, anything else to stop: the analysis
 * then returns ::TP_ECANCELED, with no result. A single unit (one
 * factorization) is not interrupted. A binding checks here for a pending
 * interrupt (Ctrl-C). It must not call back into the library with the same
 * objects.
 */
typedef int (*tp_analysis_progress_fn)(void *user_data, uint64_t done, uint64_t total);

/**
 * A copy of @p options (every option, knock-out, lexicon and progress
 * callback), for instance to give each thread its own progress callback.
 * @param out receives the copy (NULL on failure), owned by the caller: free it
 *        with tp_options_free()
 * @return ::TP_OK, ::TP_EINVAL (NULL argument), ::TP_ENOMEM
 * Thread-safety: @p options may be read by other threads meanwhile.
 */
TP_API tp_status tp_options_copy(const tp_options *options, tp_options **out);

/**
 * Set (or with @p fn NULL clear) the progress callback of analyses run with
 * these options.
 * @param user_data passed to @p fn as is
 * @return ::TP_OK, ::TP_EINVAL (NULL options)
 * Thread-safety: as every tp_options setter (not while an analysis reads them).
 */
TP_API tp_status tp_options_set_progress(tp_options *options, tp_analysis_progress_fn fn,
                                         void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_ANALYSIS_H */
