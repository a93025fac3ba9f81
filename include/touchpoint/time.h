/**
 * @file touchpoint/time.h
 * @brief Timestamps: int64 milliseconds since the Unix epoch (UTC).
 */
#ifndef TOUCHPOINT_TIME_H
#define TOUCHPOINT_TIME_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a bare number is read as a timestamp. */
typedef enum tp_epoch_unit {
    /** Numbers whose magnitude is below 1e11 are seconds, larger ones milliseconds
     *  (1e11 s is the year 5138; 1e11 ms is March 1973). */
    TP_EPOCH_AUTO = 0,
    TP_EPOCH_SECONDS = 1,      /**< Numbers are seconds (fractions allowed). */
    TP_EPOCH_MILLISECONDS = 2  /**< Numbers are milliseconds (integers). */
} tp_epoch_unit;

/** The word of an epoch unit ("auto", "seconds", "milliseconds"), or NULL for
 * another value. Static text; thread-safe. */
TP_API const char *tp_epoch_unit_name(tp_epoch_unit unit);

/** The epoch unit named @p name. @return ::TP_OK, or ::TP_EINVAL naming the words */
TP_API tp_status tp_epoch_unit_parse(const char *name, tp_epoch_unit *out);

/** Earliest accepted timestamp: 0001-01-01T00:00:00Z. */
#define TP_TIME_MIN ((int64_t)-62135596800000LL)
/** Latest accepted timestamp: 9999-12-31T23:59:59.999Z. */
#define TP_TIME_MAX ((int64_t)253402300799999LL)

/**
 * Parse a timestamp.
 *
 * Accepted forms:
 * - ISO 8601 / RFC 3339: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff...]]` with `T`
 *   or a space, followed by `Z`, `+HH:MM`, `+HHMM`, `+HH` (or `-`), or nothing
 *   (then UTC). Fractions beyond milliseconds are truncated.
 * - Epoch numbers: an optional sign, digits and for seconds an optional fraction,
 *   read according to @p unit.
 *
 * Leading and trailing spaces are ignored. Calendar fields are range-checked
 * (month 1-12, day within the month, hour 0-23, minute and second 0-59, offset
 * within +-18:00); results outside [::TP_TIME_MIN, ::TP_TIME_MAX] are rejected.
 *
 * @param text  the characters, need not be NUL-terminated
 * @param len   their number
 * @param unit  how bare numbers are read
 * @param out   receives milliseconds since the epoch; untouched on failure
 * @return ::TP_OK; ::TP_EPARSE if the text is not a timestamp; ::TP_EVALIDATE if
 *         a field or the result is out of range; ::TP_EINVAL for NULL pointers.
 *         Does not set tp_last_error() (callers add their own context).
 * Thread-safe.
 */
TP_API tp_status tp_time_parse(const char *text, size_t len, tp_epoch_unit unit, int64_t *out);

/**
 * tp_time_parse() of NUL-terminated text that says why it failed: the message
 * in tp_last_error() quotes the text and the forms it may take.
 * @param text  NUL-terminated; white space around it is ignored
 * @param unit  how bare numbers are read
 * @param out   receives milliseconds since the epoch; untouched on failure
 * @return ::TP_OK; ::TP_EPARSE (not a time); ::TP_EVALIDATE (a field or the
 *         result out of range); ::TP_EINVAL (NULL, unknown unit). Thread-safe.
 */
TP_API tp_status tp_time_read(const char *text, tp_epoch_unit unit, int64_t *out);

/**
 * tp_time_read() of the end of a time window, which excludes its end: a date
 * alone ("2026-04-30") is read as the end of that day (2026-05-01T00:00:00Z),
 * so the window includes the day, as a user who writes `--to 2026-04-30`
 * means; any other text is read as tp_time_read() reads it. The filters'
 * "until" and the tool's --to read their time this way.
 * @return as tp_time_read(). Thread-safe.
 */
TP_API tp_status tp_time_read_end(const char *text, tp_epoch_unit unit, int64_t *out);

/**
 * Format a timestamp as ISO 8601 UTC with milliseconds ("2026-03-01T09:30:00.000Z").
 * @param ms   milliseconds since the epoch, within [::TP_TIME_MIN, ::TP_TIME_MAX]
 * @param buf  receives the NUL-terminated text
 * @param cap  size of @p buf; 25 bytes are always enough
 * @return ::TP_OK, ::TP_EINVAL if @p ms is out of range or @p buf too small. Thread-safe.
 */
TP_API tp_status tp_time_format(int64_t ms, char *buf, size_t cap);

/**
 * Parse a duration: a decimal number and a unit, d (days), h, m, s or ms
 * ("30d", "12h", "1.5h", "90m", "45s", "1500ms"), as every duration option
 * reads them; the result is rounded to whole milliseconds.
 * @param text  the characters (not necessarily NUL-terminated)
 * @param len   their number
 * @param out   receives milliseconds, >= 1; untouched on failure
 * @return ::TP_OK; ::TP_EINVAL for NULL pointers, text that is not such a
 *         duration, or a result below 1 ms or above 9.2e18 ms. Does not set
 *         tp_last_error(). Thread-safe.
 */
TP_API tp_status tp_duration_parse(const char *text, size_t len, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_TIME_H */
