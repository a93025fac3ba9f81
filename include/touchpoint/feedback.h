/**
 * @file touchpoint/feedback.h
 * @brief Feedback responses: NPS, CSAT, CES, star ratings, audits, comments.
 *
 * Each response has a customer, a time, a touchpoint (an index into the store's
 * catalog), a metric, a score, for audit items a weight, and an optional comment.
 *
 * Scores are validated on entry:
 * | metric           | accepted score                                         |
 * | ---------------- | ------------------------------------------------------ |
 * | `nps`            | integer 0-10                                           |
 * | `csat`           | integer 1-5                                            |
 * | `ces`            | integer 1-7                                            |
 * | `rating`         | number 1-5 (half stars allowed)                        |
 * | `audit:<item>`   | number 0-100, `pass` (100), `fail` (0), `n/a` (NaN)     |
 * Metric names are case-insensitive; audit item names are kept as written.
 *
 * Appends and reads are all-or-nothing, as for events. Thread-safety: see
 * common.h and events.h.
 */
#ifndef TOUCHPOINT_FEEDBACK_H
#define TOUCHPOINT_FEEDBACK_H

#include "catalog.h"
#include "common.h"
#include "ingest.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of feedback responses. Opaque. */
typedef struct tp_feedback tp_feedback;

/** Metric families. */
typedef enum tp_metric {
    TP_METRIC_NPS = 0,    /**< Likelihood to recommend, 0-10. */
    TP_METRIC_CSAT = 1,   /**< Satisfaction, 1-5. */
    TP_METRIC_CES = 2,    /**< Customer effort (ease), 1-7, higher is easier. */
    TP_METRIC_RATING = 3, /**< Star rating, 1-5. */
    TP_METRIC_AUDIT = 4   /**< Mystery-shopping checklist item, 0-100. */
} tp_metric;

/** The word of a metric kind ("nps", "csat", "ces", "rating", "audit"), or NULL
 * for another value. Static text; thread-safe. */
TP_API const char *tp_metric_name(tp_metric metric);

/**
 * Check a metric name and a score as written in a file.
 * @param metric  "nps", "csat", "ces", "rating" or "audit:<item>"
 * @param score   the score text ("9", "pass", "n/a", ...)
 * @param kind    receives the family; may be NULL
 * @param value   receives the numeric score (NaN for an audit "n/a"); may be NULL
 * @return ::TP_OK; ::TP_EINVAL (unknown metric, empty audit item); ::TP_EPARSE
 *         (score not a number); ::TP_EVALIDATE (out of range, not an integer,
 *         NaN/Inf). Sets tp_last_error() on failure. Thread-safe.
 */
TP_API tp_status tp_metric_check(const char *metric, const char *score, tp_metric *kind,
                                 double *value);

/**
 * Create an empty feedback set.
 * @param catalog borrowed, must outlive the set; NULL makes the set own a new one
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_feedback_new(tp_feedback **out, tp_catalog *catalog);

/** Free a feedback set. Accepts NULL. */
TP_API void tp_feedback_free(tp_feedback *feedback);

/** The catalog of the set (borrowed). */
TP_API tp_catalog *tp_feedback_catalog(const tp_feedback *feedback);

/** Set what appends and reads do with unknown touchpoint ids (default register). */
TP_API tp_status tp_feedback_set_unknown_policy(tp_feedback *feedback, tp_unknown_policy policy);

/**
 * Append one response.
 * @param metric  metric name as in tp_metric_check()
 * @param score   numeric score, validated as in tp_metric_check(); NaN marks an
 *                audit item not applicable
 * @param weight  audit item weight (finite, >= 0); ignored (stored as 1) for other metrics
 * @param comment free text or NULL
 * @return ::TP_OK; ::TP_EINVAL; ::TP_EVALIDATE (score); ::TP_ENOTFOUND (unknown
 *         touchpoint under ::TP_UNKNOWN_REJECT); ::TP_ELIMIT; ::TP_ENOMEM
 */
TP_API tp_status tp_feedback_append(tp_feedback *feedback, const char *customer,
                                    int64_t time_ms, const char *touchpoint, const char *metric,
                                    double score, double weight, const char *comment);

/**
 * Append @p count responses from parallel arrays, all or none (on failure the
 * set is as it was before the call). As in tp_events_append_many(), a string
 * pointer that repeats is checked and looked up once per call.
 * @param weights  audit item weights, or NULL for all 1
 * @param comments comments (entries may be NULL), or NULL for none
 * @return as tp_feedback_append(); the message names the first bad index
 *         ("response 12: score: ..."). Not thread-safe on the same set.
 */
TP_API tp_status tp_feedback_append_many(tp_feedback *feedback, size_t count,
                                         const char *const *customers, const int64_t *times_ms,
                                         const char *const *touchpoints,
                                         const char *const *metrics, const double *scores,
                                         const double *weights, const char *const *comments);

/** The version of ::tp_feedback_columns this header describes. */
#define TP_FEEDBACK_COLUMNS_VERSION 1u

/**
 * Responses as a data frame holds them: parallel columns of @c count rows,
 * each checked as the CSV reader checks its fields (see ::tp_event_columns
 * for the columns both have). Set @c version to ::TP_FEEDBACK_COLUMNS_VERSION
 * and leave unused members zero (NULL).
 */
typedef struct tp_feedback_columns {
    unsigned int version;
    size_t count;                 /**< Rows. */
    tp_text_column customer;      /**< Required. */
    tp_text_column touchpoint;    /**< Required. */
    const int64_t *times_ms;      /**< Times as ms, or NULL for @c time_text. */
    const unsigned char *time_missing; /**< Nonzero where a time in ms is missing. */
    tp_text_column time_text;     /**< Times as text, read as the CSV reader reads them. */
    const char *time_name;        /**< The time column's name in messages ("timestamp" if NULL). */
    tp_text_column metric;        /**< Required: nps, csat, ces, rating or audit:<item>. */
    /** Scores, required: doubles (NaN is a missing cell, a bad row, except
     *  for an audit item, where it is "n/a" as in tp_feedback_append_many())
     *  or, with @c scores NULL, text as in a file ("9", "pass", "n/a"). */
    const double *scores;
    tp_text_column score_text;
    const char *score_name;       /**< The score column's name in messages ("score" if NULL). */
    /** Audit weights, optional: doubles (NaN missing: 1) or text; >= 0. */
    const double *weights;
    tp_text_column weight_text;
    const char *weight_name;      /**< The weight column's name ("weight" if NULL). */
    tp_text_column comment;       /**< Free text, optional (redacted as tp_read_options.redact says). */
    size_t nattrs;                /**< Attribute columns, as in ::tp_event_columns. */
    const tp_text_column *attrs;
} tp_feedback_columns;

/**
 * Append responses from parallel columns, as tp_events_append_columns()
 * appends events: each row checked as tp_feedback_read_csv() checks a row,
 * bad rows skipped into @p log (line: the row's position from 1; field: the
 * column's name) or, with ::TP_ON_ERROR_STOP, the first fails the call and
 * nothing is appended.
 * @return as tp_events_append_columns(). Not thread-safe on the same set.
 */
TP_API tp_status tp_feedback_append_columns(tp_feedback *feedback,
                                            const tp_feedback_columns *columns,
                                            const char *name, const tp_read_options *opts,
                                            tp_read_log *log);

/**
 * Read responses from CSV with a header row:
 * `customer_id,timestamp,touchpoint,metric,score[,comment][,weight][,...]`, columns
 * in any order; extra columns are attributes. Modes and results as in
 * tp_events_read_csv().
 */
TP_API tp_status tp_feedback_read_csv(tp_feedback *feedback, const char *path,
                                      const tp_read_options *opts, tp_read_log *log);

/** As tp_feedback_read_csv(), from memory; @p name is used in messages. */
TP_API tp_status tp_feedback_read_csv_buffer(tp_feedback *feedback, const void *data,
                                             size_t len, const char *name,
                                             const tp_read_options *opts, tp_read_log *log);

/** Number of responses. */
TP_API size_t tp_feedback_count(const tp_feedback *feedback);
/** Customer of response @p row (borrowed), NULL if out of range. */
TP_API const char *tp_feedback_customer(const tp_feedback *feedback, size_t row);
/** Time of response @p row in ms, 0 if out of range. */
TP_API int64_t tp_feedback_time(const tp_feedback *feedback, size_t row);
/** Touchpoint id of response @p row (borrowed), NULL if out of range. */
TP_API const char *tp_feedback_touchpoint(const tp_feedback *feedback, size_t row);
/** Catalog index of the touchpoint of response @p row, (size_t)-1 if out of range. */
TP_API size_t tp_feedback_touchpoint_index(const tp_feedback *feedback, size_t row);
/** Metric family of response @p row (nps if out of range). */
TP_API tp_metric tp_feedback_metric_kind(const tp_feedback *feedback, size_t row);
/** Metric name of response @p row ("nps", "audit:greeting"; borrowed), NULL if out of range. */
TP_API const char *tp_feedback_metric(const tp_feedback *feedback, size_t row);
/** Score of response @p row (NaN: audit item not applicable, or out of range). */
TP_API double tp_feedback_score(const tp_feedback *feedback, size_t row);
/** Weight of response @p row (1 except for weighted audit items). */
TP_API double tp_feedback_weight(const tp_feedback *feedback, size_t row);
/** Comment of response @p row (borrowed), NULL if none or out of range. */
TP_API const char *tp_feedback_comment(const tp_feedback *feedback, size_t row);
/** Number of attribute columns. */
TP_API size_t tp_feedback_attribute_count(const tp_feedback *feedback);
/** Name of attribute column @p attr (borrowed), NULL if out of range. */
TP_API const char *tp_feedback_attribute_name(const tp_feedback *feedback, size_t attr);
/** Value of attribute @p attr for response @p row ("" if missing), NULL if out of range. */
TP_API const char *tp_feedback_attribute(const tp_feedback *feedback, size_t attr, size_t row);

/**
 * The responses as a table: customer_id, timestamp, touchpoint, metric, score, weight,
 * comment, then the attributes: the names the readers take (as tp_events_to_table()).
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_feedback_to_table(const tp_feedback *feedback, tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_FEEDBACK_H */
