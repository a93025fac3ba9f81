/**
 * @file touchpoint/registry.h
 * @brief Every analysis described as data, and run by name.
 *
 * The command-line tool, the Python and Ruby bindings and their help texts read
 * this description instead of keeping lists of their own: an analysis added
 * here appears in every face. For each analysis the library gives its name,
 * the inputs it takes, the options of ::tp_options it reads, its own
 * parameters (funnel steps, a journey map, a model), the tables it returns
 * with the columns each always has, and the partial aggregate that computes
 * it from merged parts, where there is one. The typed functions (tp_scorecard(),
 * tp_funnel_run(), ...) stay the documented entries; tp_analysis_run() calls them.
 *
 * Thread-safety: the description is constant and every function here may be
 * called from any thread; tp_analysis_run() has the thread-safety of the
 * typed function it calls (inputs are only read).
 */
#ifndef TOUCHPOINT_REGISTRY_H
#define TOUCHPOINT_REGISTRY_H

#include "analysis.h"
#include "attribution.h"
#include "common.h"
#include "events.h"
#include "feedback.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The inputs an analysis reads (bits of tp_analysis_info::needs and ::takes). */
typedef enum tp_input {
    TP_INPUT_EVENTS = 1,   /**< an event log */
    TP_INPUT_FEEDBACK = 2, /**< a feedback set */
    TP_INPUT_PATHS = 4     /**< a path set; an event log may be given in its place: it
                                gives one path per journey (tp_paths_from_events()), and
                                the filter applies to its events */
} tp_input;

/** Bits of tp_param_info::flags. */
typedef enum tp_param_flag {
    TP_PARAM_REQUIRED = 1,   /**< the analysis cannot run without it */
    TP_PARAM_POSITIONAL = 2, /**< the faces take it positionally, after the inputs */
    TP_PARAM_LIST = 4        /**< may be given more than once; the values add up */
} tp_param_flag;

/**
 * One parameter of one analysis: what only that analysis takes (funnel steps,
 * a journey map id, a model), as opposed to the options every analysis may read.
 * Constant data owned by the library; fields are only ever appended.
 */
typedef struct tp_param_info {
    const char *name;           /**< its name ("steps"), unique among the analysis's
                                     parameters, options and filter keys */
    tp_value_type type;         /**< ::TP_VALUE_TEXT, ::TP_VALUE_CHOICE (a word; '_' may
                                     stand for '-') or ::TP_VALUE_DURATION ("7d", "12h",
                                     "90m", "45s" or whole milliseconds); every value is
                                     given as text */
    const char *const *choices; /**< ::TP_VALUE_CHOICE: the words, NULL-terminated */
    unsigned flags;             /**< ::tp_param_flag bits */
    const char *fallback;       /**< the value when it is not given, as text; NULL when
                                     there is none (see the doc) */
    const char *doc;            /**< one line of documentation, in plain words */
} tp_param_info;

/** One table an analysis returns. Constant data owned by the library. */
typedef struct tp_output_info {
    const char *name;            /**< its name ("steps", "dropoffs") */
    const char *const *columns;  /**< the columns it always has, in order, NULL-terminated;
                                      it may have more after them */
    const char *doc;             /**< one line of documentation */
} tp_output_info;

/** The description of one analysis. Constant data owned by the library; fields
 * are only ever appended. */
typedef struct tp_analysis_info {
    const char *name;              /**< "scorecard", "funnel", ... (the faces' name) */
    const char *doc;               /**< one line of documentation, in plain words */
    unsigned needs;                /**< ::tp_input bits that must be given */
    unsigned takes;                /**< ::tp_input bits it reads when given (needs included) */
    int filtered;                  /**< 1 when it honours a ::tp_filter */
    const tp_option *options;      /**< the options of ::tp_options it reads */
    size_t option_count;
    const tp_param_info *params;   /**< its own parameters */
    size_t param_count;
    const tp_output_info *outputs; /**< the tables it returns, at least one */
    size_t output_count;
    int agg_kind;                  /**< the ::tp_agg_kind computing its first table from
                                        merged partials, or 0 when there is none */
    int whole;                     /**< 1 when its tables are parts of one answer (a
                                        customer's profile): a face shows them all, where
                                        it would show the first of another analysis */
} tp_analysis_info;

/** Number of analyses: tp_analysis_at() takes 0 to this - 1. */
TP_API size_t tp_analysis_count(void);

/**
 * The description of analysis @p index (0 to tp_analysis_count() - 1).
 * @return borrowed, constant data; NULL when @p index is out of range
 */
TP_API const tp_analysis_info *tp_analysis_at(size_t index);

/**
 * The description of the analysis named @p name.
 * @return borrowed, constant data; NULL when there is no such analysis, with
 *         tp_last_error() naming the nearest name ("did you mean 'funnel'?")
 */
TP_API const tp_analysis_info *tp_analysis_lookup(const char *name);

/**
 * The parameter named @p name of @p analysis, or NULL (no error is set).
 */
TP_API const tp_param_info *tp_analysis_param(const tp_analysis_info *analysis, const char *name);

/** Whether @p analysis reads option @p key: 1 or 0. */
TP_API int tp_analysis_reads_option(const tp_analysis_info *analysis, tp_option key);

/**
 * Check a call before its inputs are read: the analysis exists, and its
 * parameters (as for tp_analysis_run()) are known, given once unless they are
 * lists, valid, and complete. tp_analysis_run() makes the same checks.
 * @return ::TP_OK; ::TP_ENOTFOUND for an unknown analysis; ::TP_EINVAL, with a
 *         message naming the parameter (and the nearest name for a misspelt one)
 */
TP_API tp_status tp_analysis_check(const char *name, const char *const *params,
                                   size_t param_count);

/**
 * Run an analysis by name.
 *
 * @param name      an analysis of the registry (tp_analysis_lookup())
 * @param events    event log, or NULL; see tp_analysis_info::needs and ::takes
 * @param feedback  feedback set, or NULL
 * @param paths     path set, or NULL (analyses that take paths read @p events
 *                  instead when this is NULL)
 * @param filter    row selection, or NULL for every row; an analysis of a path
 *                  set (no events) takes none
 * @param options   options, or NULL for the defaults. With ::TP_OPT_BREAKDOWN
 *                  set to an attribute, the analysis runs once per value of it
 *                  (values of the events and the feedback, in byte order, then
 *                  "(none)" when some customer has none; at most 1,000), each
 *                  run on @p filter with its conditions on that attribute
 *                  replaced by `attribute = value`; values those conditions
 *                  exclude get no run. Every table gains a first string column
 *                  named after the attribute ("breakdown" when the table has a
 *                  column of that name) and holds the blocks in that order. A
 *                  scorecard per touchpoint also gets mean, rest_mean,
 *                  difference, t, df and p_value: Welch's test of the block's
 *                  0-100 response values at the touchpoint against those of the
 *                  rest of the selection (the filter with `attribute != value`).
 *                  Errors: ::TP_ENOTFOUND (no such attribute, naming the
 *                  nearest; no value left by the filter), ::TP_ELIMIT (more
 *                  than 1,000 values), ::TP_EINVAL (a path set: it has no
 *                  attributes)
 * @param params    @p param_count pairs of text: params[2i] a parameter name of
 *                  the analysis, params[2i+1] its value; NULL when @p param_count
 *                  is 0. Names are checked: a name the analysis does not take
 *                  fails, naming the nearest parameter, option or filter key
 * @param out       @p out_count slots that receive the first @p out_count tables
 *                  of tp_analysis_info::outputs (later tables are not computed;
 *                  slots past the last table are set to NULL). Each table is owned
 *                  by the caller (tp_table_free()); all are NULL on error
 * @param out_count 1 or more
 * @return ::TP_OK; ::TP_ENOTFOUND for an unknown analysis; ::TP_EINVAL for a
 *         missing input or required parameter, an unknown or repeated parameter,
 *         a bad value (the message names the parameter), or an error of the
 *         typed function; any status of the typed function
 */
TP_API tp_status tp_analysis_run(const char *name, const tp_events *events,
                                 const tp_feedback *feedback, const tp_paths *paths,
                                 const tp_filter *filter, const tp_options *options,
                                 const char *const *params, size_t param_count, tp_table **out,
                                 size_t out_count);

#ifdef __cplusplus
}
#endif

#endif
