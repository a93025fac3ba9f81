/**
 * @file touchpoint/events.h
 * @brief The event log: a columnar store of customer contacts with touchpoints.
 *
 * Each event has a customer (interned), a touchpoint (an index into the store's
 * catalog), a time (int64 ms since the epoch), a type (interaction, conversion,
 * exit) and a value (revenue for conversions). Extra CSV columns or JSON keys
 * become string attributes (for segments), one column each; an event without a
 * value for an attribute reads "".
 *
 * Every append and read is all-or-nothing: on failure the store is unchanged
 * (and so is the catalog, which a failed call never leaves with new touchpoints).
 *
 * Thread-safety: see common.h. Appending may add touchpoints to the catalog, so
 * stores that share a catalog must not append concurrently.
 */
#ifndef TOUCHPOINT_EVENTS_H
#define TOUCHPOINT_EVENTS_H

#include "catalog.h"
#include "common.h"
#include "ingest.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An event log. Opaque. */
typedef struct tp_events tp_events;

/** Event types. */
typedef enum tp_event_type {
    TP_EVENT_INTERACTION = 0, /**< A contact with a touchpoint. */
    TP_EVENT_CONVERSION = 1,  /**< A purchase (value = revenue); ends a journey. */
    TP_EVENT_EXIT = 2         /**< The customer left without buying; ends a journey. */
} tp_event_type;

/** Name of an event type ("interaction", ...), NULL if invalid. */
TP_API const char *tp_event_type_name(tp_event_type type);

/** Parse an event type name (case-insensitive; "" is interaction). @return ::TP_OK or ::TP_EINVAL. */
TP_API tp_status tp_event_type_parse(const char *name, tp_event_type *out);

/**
 * Create an empty event log.
 * @param out     receives the log, owned by the caller (tp_events_free())
 * @param catalog the catalog whose touchpoints events refer to; borrowed, it must
 *                outlive the log. NULL makes the log own a new empty catalog.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_events_new(tp_events **out, tp_catalog *catalog);

/** Free an event log (and its catalog if it owns it). Accepts NULL. */
TP_API void tp_events_free(tp_events *events);

/** The catalog of the log (borrowed). */
TP_API tp_catalog *tp_events_catalog(const tp_events *events);

/** Set what appends and reads do with unknown touchpoint ids (default register). */
TP_API tp_status tp_events_set_unknown_policy(tp_events *events, tp_unknown_policy policy);

/**
 * Append one event.
 * @param customer   customer id, non-empty UTF-8 without control characters
 * @param touchpoint touchpoint id (see tp_events_set_unknown_policy())
 * @param time_ms    within [::TP_TIME_MIN, ::TP_TIME_MAX]
 * @param value      finite
 * @return ::TP_OK; ::TP_EINVAL (bad argument); ::TP_ENOTFOUND (unknown touchpoint
 *         under ::TP_UNKNOWN_REJECT); ::TP_ELIMIT (2^32 - 1 events, customers or
 *         touchpoints); ::TP_ENOMEM
 */
TP_API tp_status tp_events_append(tp_events *events, const char *customer,
                                  const char *touchpoint, int64_t time_ms, tp_event_type type,
                                  double value);

/**
 * Append @p count events from parallel arrays, all or none. A string pointer
 * that repeats (one pointer per distinct name, as a dictionary of names gives)
 * is checked and looked up once per call, which makes such arrays much faster
 * to append; the strings must not change during the call.
 * @param types  event types as ::tp_event_type values, or NULL for all interactions
 * @param values values, or NULL for all 0
 * @return as tp_events_append(); the message names the first bad index
 */
TP_API tp_status tp_events_append_many(tp_events *events, size_t count,
                                       const char *const *customers,
                                       const char *const *touchpoints, const int64_t *times_ms,
                                       const uint8_t *types, const double *values);

/** The version of ::tp_event_columns this header describes. */
#define TP_EVENT_COLUMNS_VERSION 1u

/**
 * Events as a data frame holds them: parallel columns of @c count rows, each
 * checked as the CSV reader checks its fields. Set @c version to
 * ::TP_EVENT_COLUMNS_VERSION and leave unused members zero (NULL).
 */
typedef struct tp_event_columns {
    unsigned int version;
    size_t count;                 /**< Rows. */
    tp_text_column customer;      /**< Required; a missing id is a bad row. */
    tp_text_column touchpoint;    /**< Required; ids as in the CSV reader (unknown-id policy). */
    /** Times as milliseconds (with @c time_missing: nonzero where the cell is
     *  missing, which is a bad row); or, with @c times_ms NULL, @c time_text:
     *  text read as the CSV reader reads timestamps (tp_read_options.epoch_unit). */
    const int64_t *times_ms;
    const unsigned char *time_missing;
    tp_text_column time_text;
    const char *time_name;        /**< The time column's name in messages ("timestamp" if NULL). */
    /** Event types, optional: text "interaction", "conversion" or "exit" in
     *  any case, a missing or empty cell an interaction. */
    tp_text_column type;
    /** Values, optional: doubles (NaN is a missing cell: 0), or @c value_text
     *  read as the CSV reader reads numbers (a missing or empty cell is 0). */
    const double *values;
    tp_text_column value_text;
    const char *value_name;       /**< The value column's name in messages ("value" if NULL). */
    /** Attribute columns (segments): a missing cell is missing. A name is
     *  matched with the store's attributes as CSV headers are (ASCII case). */
    size_t nattrs;
    const tp_text_column *attrs;
} tp_event_columns;

/**
 * Append events from parallel columns, as a reader reads rows: each row is
 * checked as tp_events_read_csv() checks a CSV row; with
 * tp_read_options.on_error ::TP_ON_ERROR_SKIP (the default) a bad row is
 * skipped and recorded in @p log, whose line is the row's position from 1 (row
 * 1 is the first), whose field is the column's name; with ::TP_ON_ERROR_STOP
 * the first bad row fails the call ("NAME:3: customer_id: customer id is
 * empty") and nothing is appended. Strings that repeat by pointer are checked
 * and looked up once.
 * @param events  the store
 * @param columns the columns; borrowed for the call
 * @param name    what messages and the log call the input ("DataFrame"); NULL: "columns"
 * @param opts    options (on_error, epoch_unit, progress), or NULL for the defaults
 * @param log     receives counts and skipped rows; may be NULL
 * @return ::TP_OK (also when rows were skipped); in stop mode the first bad
 *         row's status; ::TP_EINVAL (NULL @p events or @p columns, an unknown
 *         version, a required column NULL, an attribute without a name);
 *         ::TP_ELIMIT; ::TP_ENOMEM. On failure the store is as it was. Not
 *         thread-safe on the same store.
 */
TP_API tp_status tp_events_append_columns(tp_events *events, const tp_event_columns *columns,
                                          const char *name, const tp_read_options *opts,
                                          tp_read_log *log);

/**
 * Read events from CSV with a header row:
 * `customer_id,timestamp,touchpoint[,type][,value][,channel][,...]`, columns in any
 * order, extra columns becoming attributes. RFC 4180 quoting (doubled quotes,
 * embedded separators and newlines), LF or CRLF line ends, an optional UTF-8 BOM.
 * "channel" sets the channel of a touchpoint registered from the row.
 *
 * With tp_read_options.threads other than 1, an input of at least 1 MiB per
 * thread is cut into pieces at line ends and the pieces are read at the same
 * time; the store, its customer and touchpoint numbering, the log and any
 * error are exactly those of a read on one thread (pieces join in input order;
 * a cut that falls inside a quoted field, or a bad row in strict mode, makes
 * the call read the input again on one thread). The memory allocator set with
 * tp_set_allocator() is then called from several threads. Reading blocks the
 * calling thread until all pieces are joined.
 *
 * @param path    file to read
 * @param opts    options, or NULL for the defaults
 * @param log  receives counts and rejected rows; may be NULL
 * @return ::TP_OK (lenient mode, even if rows were skipped); in strict mode the
 *         first row's error (::TP_EPARSE, ::TP_EVALIDATE, ::TP_ENOTFOUND,
 *         ::TP_ELIMIT); ::TP_EIO; ::TP_ENOMEM; ::TP_EINVAL. On failure the store
 *         is unchanged.
 */
TP_API tp_status tp_events_read_csv(tp_events *events, const char *path,
                                    const tp_read_options *opts, tp_read_log *log);

/** As tp_events_read_csv(), from memory; @p name is used in messages (may be NULL). */
TP_API tp_status tp_events_read_csv_buffer(tp_events *events, const void *data, size_t len,
                                           const char *name, const tp_read_options *opts,
                                           tp_read_log *log);

/**
 * Read events from JSON Lines: one object per line with "customer_id",
 * "timestamp" (ISO 8601 text or an epoch number), "touchpoint", optional "type",
 * "value", "channel", and other scalar keys as attributes. Blank lines are
 * skipped. Same modes and results as tp_events_read_csv().
 */
TP_API tp_status tp_events_read_jsonl(tp_events *events, const char *path,
                                      const tp_read_options *opts, tp_read_log *log);

/** As tp_events_read_jsonl(), from memory. */
TP_API tp_status tp_events_read_jsonl_buffer(tp_events *events, const void *data, size_t len,
                                             const char *name, const tp_read_options *opts,
                                             tp_read_log *log);

/** Number of events. */
TP_API size_t tp_events_count(const tp_events *events);

/** Number of distinct customers. */
TP_API size_t tp_events_customer_count(const tp_events *events);

/** Customer of event @p row (borrowed), NULL if out of range. */
TP_API const char *tp_events_customer(const tp_events *events, size_t row);

/** Touchpoint id of event @p row (borrowed from the catalog), NULL if out of range. */
TP_API const char *tp_events_touchpoint(const tp_events *events, size_t row);

/** Catalog index of the touchpoint of event @p row, (size_t)-1 if out of range. */
TP_API size_t tp_events_touchpoint_index(const tp_events *events, size_t row);

/** Time of event @p row in ms, 0 if out of range. */
TP_API int64_t tp_events_time(const tp_events *events, size_t row);

/** Type of event @p row (interaction if out of range). */
TP_API tp_event_type tp_events_type(const tp_events *events, size_t row);

/** Value of event @p row, 0 if out of range. */
TP_API double tp_events_value(const tp_events *events, size_t row);

/** Number of attribute columns. */
TP_API size_t tp_events_attribute_count(const tp_events *events);

/** Name of attribute column @p attr (borrowed), NULL if out of range. */
TP_API const char *tp_events_attribute_name(const tp_events *events, size_t attr);

/** Value of attribute @p attr for event @p row (borrowed; "" if missing), NULL if out of range. */
TP_API const char *tp_events_attribute(const tp_events *events, size_t attr, size_t row);

/**
 * The log as a table: customer_id, timestamp (ms), touchpoint, type, value, then one
 * string column per attribute (null where missing): the names the readers take,
 * so the table written as CSV reads back as the same log. An attribute named
 * like a fixed column is "attr.<name>".
 * @param out receives a table owned by the caller
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_events_to_table(const tp_events *events, tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_EVENTS_H */
