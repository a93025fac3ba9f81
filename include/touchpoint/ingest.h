/**
 * @file touchpoint/ingest.h
 * @brief Options shared by every reader, and the read log of rejected rows.
 *
 * Readers are transactional. In lenient mode (::TP_ON_ERROR_SKIP) a bad row is
 * skipped and recorded in the read log; the call still succeeds. In strict mode
 * (::TP_ON_ERROR_STOP) the first bad row fails the call with an error naming
 * file:line:column and field, and the store is left exactly as it was before the
 * call. Errors that concern the whole input (unreadable file, missing header, out
 * of memory) fail the call in both modes and also leave the store unchanged.
 */
#ifndef TOUCHPOINT_INGEST_H
#define TOUCHPOINT_INGEST_H

#include "common.h"
#include "redact.h"
#include "table.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a reader does with a bad row. */
typedef enum tp_on_error {
    TP_ON_ERROR_SKIP = 0, /**< Lenient: skip it, record it in the read log, go on. */
    TP_ON_ERROR_STOP = 1  /**< Strict: fail the call and roll the store back. */
} tp_on_error;

/**
 * What an event or feedback store does with a touchpoint id its catalog does not
 * know, in appends and reads alike (tp_events_set_unknown_policy()).
 */
typedef enum tp_unknown_policy {
    /** Add it to the catalog (stage unassigned, kind unknown, channel from the row if any). */
    TP_UNKNOWN_REGISTER = 0,
    /** Treat the row as bad (::TP_ENOTFOUND): skipped or fatal per ::tp_on_error. */
    TP_UNKNOWN_REJECT = 1
} tp_unknown_policy;

/** The word of a policy ("register", "reject"), or NULL for another value. */
TP_API const char *tp_unknown_policy_name(tp_unknown_policy policy);

/** The policy named @p name. @return ::TP_OK, or ::TP_EINVAL naming the words */
TP_API tp_status tp_unknown_policy_parse(const char *name, tp_unknown_policy *out);

/**
 * The columns the readers of @p input know by name, in their order (events:
 * customer_id, timestamp, touchpoint, type, value, channel; feedback:
 * customer_id, timestamp, touchpoint, metric, score, comment, weight): the
 * names tp_read_options.columns maps, for faces that map another source's
 * names (a data frame, a form).
 * @param input    ::TP_INPUT_EVENTS or ::TP_INPUT_FEEDBACK (registry.h)
 * @param index    from 0
 * @param required receives 1 when every input must have the column, else 0; may be NULL
 * @return the name (static storage), or NULL past the last column or for another input.
 * Thread-safe.
 */
TP_API const char *tp_read_column(unsigned int input, size_t index, int *required);

/** Current version of ::tp_read_options. */
#define TP_READ_OPTIONS_VERSION 7

/** The default of tp_read_options.max_input_bytes: 4 GiB. */
#define TP_DEFAULT_MAX_INPUT_BYTES ((uint64_t)4 << 30)


/**
 * Progress of a read, for a progress bar: called from the calling thread about
 * every 65,536 rows (when several threads read, as each piece of the input
 * joins the store) and once when the read ends (successful or not), with the
 * bytes of the input consumed so far, the input's size in bytes and the data
 * rows read so far. It must not call back into the store being read.
 */
typedef void (*tp_progress_fn)(void *user_data, uint64_t bytes_done, uint64_t bytes_total,
                               uint64_t rows_read);

/**
 * Progress of a read that may also stop it (tp_read_options.check): called on
 * the calling thread with the figures ::tp_progress_fn receives, about every
 * 65,536 rows, every 16 MiB while a file is read in, when a read of a pipe or
 * terminal is interrupted by a signal, about every 20 ms while the calling
 * thread waits for the other threads of a parallel read, and once when the
 * read ends. Return 0 to go on, anything else to stop: the read then fails
 * with ::TP_ECANCELED, and the store keeps what it held before the read, as
 * after every failed read (the answer of the call at the end is ignored). A
 * binding checks here for a pending interrupt (Ctrl-C). It must not call back
 * into the store being read.
 */
typedef int (*tp_read_check_fn)(void *user_data, uint64_t bytes_done, uint64_t bytes_total,
                                uint64_t rows_read);

/**
 * Reader options. Initialise with ::TP_READ_OPTIONS_INIT or
 * tp_read_options_init(); fields are only ever appended, each under a new
 * ::TP_READ_OPTIONS_VERSION, and the library touches only the fields of the
 * version the struct says it has (a caller built against an older header keeps
 * working).
 */
typedef struct tp_read_options {
    unsigned int version;                 /**< Set by tp_read_options_init(). */
    tp_on_error on_error;                 /**< Default ::TP_ON_ERROR_SKIP. */
    tp_epoch_unit epoch_unit;             /**< How numeric timestamps read; default auto. */
    char delimiter;                       /**< CSV field separator; default ','. */
    size_t max_field_bytes;               /**< Longest accepted field or JSON line; default 1 MiB. */
    /* Version 2 */
    tp_progress_fn progress;              /**< Called as the read goes on; default NULL (none). */
    void *progress_data;                  /**< Passed to @c progress as is. */
    /* Version 3 */
    unsigned int redact;                  /**< ::tp_redact bits applied to feedback comments
                                               as they are read; default ::TP_REDACT_NONE. */
    /* Version 4 */
    unsigned int threads;                 /**< Threads for CSV reads of events, feedback and
                                               path sets: 1 (the default) reads on the calling
                                               thread, 0 uses one per online CPU, at most 256;
                                               a file of 16 MiB or more is also read from
                                               disk in pieces on them. The store, the log and
                                               every error are the same whatever the count;
                                               see tp_events_read_csv(). */
    /* Version 5 */
    uint64_t max_input_bytes;             /**< Most bytes one read takes from its input (a
                                               file, pipe, device or buffer); default
                                               ::TP_DEFAULT_MAX_INPUT_BYTES, 0 also means
                                               that. A regular file or buffer over it is
                                               refused (::TP_ELIMIT) before any byte is
                                               read; a pipe or device as soon as it passes
                                               it, so no input grows memory beyond it. */
    /* Version 6 */
    const char *columns;                  /**< The file's names of the reader's columns,
                                               "customer_id=user_pseudo_id,timestamp=
                                               event_time" (names matched as headers
                                               are, ignoring ASCII case); NULL or "":
                                               the reader's own names. CSV readers of
                                               events and feedback, and the keys of
                                               JSON lines. Borrowed for the read. */
    /* Version 7 */
    tp_read_check_fn check;               /**< Progress that may stop the read; default
                                               NULL (none). Called besides @c progress
                                               when both are set. */
    void *check_data;                     /**< Passed to @c check as is. */
} tp_read_options;

/**
 * The defaults, as a static initializer:
 * `tp_read_options opts = TP_READ_OPTIONS_INIT;`
 */
#define TP_READ_OPTIONS_INIT \
    {TP_READ_OPTIONS_VERSION, TP_ON_ERROR_SKIP, TP_EPOCH_AUTO, ',', 1048576u, NULL, NULL, \
     TP_REDACT_NONE, 1u, TP_DEFAULT_MAX_INPUT_BYTES, NULL, NULL, NULL}

/**
 * Set @p opts to the defaults of @p version, writing only the fields that
 * version has (pass ::TP_READ_OPTIONS_VERSION; a caller built against an older
 * header passes its older value, so no byte past its struct is written).
 * @param opts    the struct to fill; @c version is set to @p version
 * @param version 1 to ::TP_READ_OPTIONS_VERSION
 * @return ::TP_OK; ::TP_EINVAL (NULL @p opts, unknown version: nothing is written).
 * Thread-safe.
 */
TP_API tp_status tp_read_options_init(tp_read_options *opts, unsigned int version);


/**
 * One column of text for tp_events_append_columns() and
 * tp_feedback_append_columns(): the caller's name for it, which messages and
 * the read log name, and one value per row (NUL-terminated UTF-8; a NULL
 * value is a missing cell).
 */
typedef struct tp_text_column {
    const char *name;
    const char *const *values;
} tp_text_column;

/**
 * The read log: what readers accepted and rejected (row counts and the issues
 * with file, line, column and field). Opaque. Not shared between threads
 * without the caller's locking.
 */
typedef struct tp_read_log tp_read_log;

/**
 * Create an empty read log. A log may be passed to several reads in turn; it
 * accumulates their counts and issues.
 * @param out receives the log, owned by the caller (tp_read_log_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_read_log_new(tp_read_log **out);

/** Free a read log. Accepts NULL. */
TP_API void tp_read_log_free(tp_read_log *log);

/** Forget every count and issue. */
TP_API void tp_read_log_clear(tp_read_log *log);

/** Data rows read (header excluded), accepted or not. */
TP_API uint64_t tp_read_log_rows_read(const tp_read_log *log);
/** Rows added to the store. */
TP_API uint64_t tp_read_log_rows_accepted(const tp_read_log *log);
/** Rows rejected (may exceed tp_read_log_issue_count(), which is capped). */
TP_API uint64_t tp_read_log_rows_rejected(const tp_read_log *log);
/** Input bytes read. */
TP_API uint64_t tp_read_log_bytes_read(const tp_read_log *log);

/** Number of recorded issues; at most 10,000 are kept, the first ones. */
TP_API size_t tp_read_log_issue_count(const tp_read_log *log);
/** Input name of issue @p i (borrowed), NULL if out of range. */
TP_API const char *tp_read_log_issue_file(const tp_read_log *log, size_t i);
/** 1-based line of issue @p i (the line the row starts on), 0 if out of range. */
TP_API uint64_t tp_read_log_issue_line(const tp_read_log *log, size_t i);
/** Byte offset of the start of the row of issue @p i. */
TP_API uint64_t tp_read_log_issue_offset(const tp_read_log *log, size_t i);
/** 1-based column (CSV field number) of issue @p i, 0 when not tied to a column. */
TP_API uint64_t tp_read_log_issue_column(const tp_read_log *log, size_t i);
/** Field (column name or JSON key) of issue @p i (borrowed), "" when none. */
TP_API const char *tp_read_log_issue_field(const tp_read_log *log, size_t i);
/** Status class of issue @p i (::TP_EPARSE, ::TP_EVALIDATE, ...). */
TP_API tp_status tp_read_log_issue_status(const tp_read_log *log, size_t i);
/** Reason of issue @p i (borrowed), without the location prefix. */
TP_API const char *tp_read_log_issue_reason(const tp_read_log *log, size_t i);

/**
 * The issues as a table: file, line, offset, column, field, status, reason.
 * @param out receives a table owned by the caller
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_read_log_to_table(const tp_read_log *log, tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_INGEST_H */
