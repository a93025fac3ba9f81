/**
 * @file touchpoint/report.h
 * @brief The CX report: every analysis in one self-contained page, its
 * headline findings, and each of its charts on its own.
 *
 * A report runs the scorecard (per touchpoint and per stage), the hot spots,
 * the key drivers, a funnel, the journey flow, attribution (every model, and
 * Markov rolled up by channel, stage or owner) and the trend (overall and per
 * stage) over one event log and one feedback set, once. It is then rendered as
 * HTML (one page with inline CSS and SVG, no script, no network: a
 * Content-Security-Policy forbids them), as an HTML fragment for a notebook or
 * a web page, as JSON (the same content as data), or as text (the findings);
 * each chart is also available alone as SVG.
 *
 * The funnel is, in this order: tp_report_options::funnel, the catalog's first
 * named funnel (tp_catalog_add_funnel(), `"funnels"` in catalog JSON), the
 * most common converting path of the events.
 *
 * The report uses only the public API, so every face (C, Python, Ruby, the
 * `touchpoint report` command) gives the same report.
 *
 * Thread-safety: a report is immutable once built; several threads may render
 * it at once. Building one reads the events and feedback as any analysis does.
 */
#ifndef TOUCHPOINT_REPORT_H
#define TOUCHPOINT_REPORT_H

#include "analysis.h"
#include "common.h"
#include "events.h"
#include "feedback.h"
#include "funnel.h"
#include "ingest.h"
#include "scoring.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A built report. Opaque. */
typedef struct tp_report tp_report;

/** The forms a report renders to. */
typedef enum tp_report_form {
    TP_REPORT_HTML = 0,     /**< A whole HTML document. */
    TP_REPORT_FRAGMENT = 1, /**< One `<div>` with its own scoped style, to embed in a page or notebook. */
    TP_REPORT_JSON = 2,     /**< One JSON document: inputs, findings and every table. */
    TP_REPORT_TEXT = 3      /**< The headline findings, one per line. */
} tp_report_form;

/** The word of a form ("html", "fragment", "json", "text"), or NULL. Thread-safe. */
TP_API const char *tp_report_form_name(tp_report_form form);

/**
 * The form named @p name.
 * @return ::TP_OK; ::TP_EINVAL (NULL or another word; the message lists the words)
 */
TP_API tp_status tp_report_form_parse(const char *name, tp_report_form *out);

/** The file extension of a form (".html", ".html", ".json", ".txt"), or NULL.
 * Static text; thread-safe. */
TP_API const char *tp_report_form_extension(tp_report_form form);

/**
 * The form a file name asks for by its extension, as tp_report_save()'s
 * callers choose it: ".json" JSON, ".txt" text (either case), anything else
 * the HTML page. NULL gives ::TP_REPORT_HTML. Thread-safe.
 */
TP_API tp_report_form tp_report_form_of_path(const char *path);

/** Version of ::tp_report_options this header describes. */
#define TP_REPORT_OPTIONS_VERSION 1

/**
 * What a report shows besides the analyses' own options. Versioned (see
 * tp_report_options_init()); every pointer is borrowed for the duration of
 * tp_report_new() only.
 */
typedef struct tp_report_options {
    unsigned int version;    /**< ::TP_REPORT_OPTIONS_VERSION or an older one */
    const char *title;       /**< page title; NULL for "Customer experience report" */
    const char *source;      /**< what was read, shown in the header; NULL for none */
    const tp_funnel *funnel; /**< NULL or no steps: the catalog's first funnel, else the most common converting path */
    const tp_read_log *log;  /**< the log of the reads, for the count of rejected rows; may be NULL */
    tp_group credit_by;      /**< attribution roll-up: ::TP_GROUP_CHANNEL (default), stage, owner or parent */
} tp_report_options;

/** Static initialiser of the current version's defaults. */
#define TP_REPORT_OPTIONS_INIT {TP_REPORT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, TP_GROUP_CHANNEL}

/**
 * Set @p options to the defaults of @p version, writing only the fields that
 * version has.
 * @return ::TP_OK; ::TP_EINVAL (NULL, unknown version: nothing is written)
 * Thread-safe.
 */
TP_API tp_status tp_report_options_init(tp_report_options *options, unsigned int version);

/**
 * Build a report: run every analysis it shows.
 * @param out      receives the report, owned by the caller (tp_report_free())
 * @param events   the event log; required
 * @param feedback the feedback; NULL for none (the feedback sections then say so)
 * @param filter   rows to look at; may be NULL (all)
 * @param options  analysis options (confidence level, Markov order, ...); may be NULL
 * @param report   title, source, funnel, read log and roll-up; may be NULL (defaults)
 * @return ::TP_OK; ::TP_EINVAL (NULL events, unknown version or grouping);
 *         ::TP_ENOTFOUND (a funnel step not in the catalog); ::TP_ENOMEM; any
 *         error of the analyses. On error *out is NULL.
 */
TP_API tp_status tp_report_new(tp_report **out, const tp_events *events,
                               const tp_feedback *feedback, const tp_filter *filter,
                               const tp_options *options, const tp_report_options *report);

/** Free a report. Accepts NULL. */
TP_API void tp_report_free(tp_report *report);

/**
 * Render the report.
 * @param out receives NUL-terminated UTF-8 text owned by the caller (tp_free())
 * @param len receives its length in bytes; may be NULL
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, unknown form); ::TP_ENOMEM
 */
TP_API tp_status tp_report_render(const tp_report *report, tp_report_form form, char **out,
                                  size_t *len);

/**
 * Render the report and write it to @p path atomically (a temporary file in
 * the same directory, synced, then renamed over @p path): a reader sees the
 * old file or the whole new one, never part of it.
 * @return ::TP_OK; ::TP_EINVAL; ::TP_ENOMEM; ::TP_EIO (the message names the
 *         path and the reason; no temporary file is left)
 */
TP_API tp_status tp_report_save(const tp_report *report, const char *path, tp_report_form form);

/**
 * The headline findings as a table, one row each: key (worst_touchpoint,
 * best_touchpoint, biggest_funnel_drop, top_channel, or top_stage/top_owner/
 * top_parent when attribution is rolled up so), heading, subject (the
 * touchpoint, step pair or group the finding names; null when there is none),
 * value (its CX index, customers lost, or conversions credited; null when
 * none), text (the sentence the report shows).
 * @param out receives a table owned by the caller
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_report_findings(const tp_report *report, tp_table **out);

/** Number of charts a report draws. Thread-safe. */
TP_API size_t tp_report_chart_count(void);

/** Name of chart @p index ("journey", "nps", "hotspots", "drivers", "funnel",
 * "flow", "attribution", "trend"), or NULL out of range. Static text. */
TP_API const char *tp_report_chart_name(size_t index);

/** One line describing chart @p index, or NULL out of range. Static text. */
TP_API const char *tp_report_chart_doc(size_t index);

/**
 * One chart of the report as a standalone SVG document (its style inside), as
 * a notebook or a web page shows it.
 * @param name a name of tp_report_chart_name()
 * @param out  receives NUL-terminated text owned by the caller (tp_free())
 * @param len  receives its length; may be NULL
 * @return ::TP_OK; ::TP_EINVAL (NULL argument; unknown name, with the nearest
 *         one suggested); ::TP_ENOMEM
 */
TP_API tp_status tp_report_chart(const tp_report *report, const char *name, char **out,
                                 size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_REPORT_H */
