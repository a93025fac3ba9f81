/**
 * @file touchpoint/redact.h
 * @brief Removing personal data (e-mail addresses, phone numbers) from free
 *        text: what tp_read_options.redact applies to feedback comments as
 *        they are read, and the same rules for any text.
 */
#ifndef TOUCHPOINT_REDACT_H
#define TOUCHPOINT_REDACT_H

#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Personal data to remove from free text, as bit flags (tp_read_options.redact,
 * tp_redact_text()). Matches are replaced by "[email]" and "[phone]".
 */
typedef enum tp_redact {
    TP_REDACT_NONE = 0,  /**< Keep the text as it is. */
    TP_REDACT_EMAIL = 1, /**< E-mail addresses: local@domain.tld. */
    TP_REDACT_PHONE = 2, /**< Phone numbers: 7-15 digits, optional +, with spaces, -, ., /, ( ). */
    TP_REDACT_ALL = 3    /**< Both. */
} tp_redact;

/**
 * Read what to redact as the command line and the bindings write it: a
 * comma-separated list of "none", "email", "phone" and "all" ("" is none).
 * @param text  the list; NUL-terminated
 * @param out   receives the ::tp_redact bits
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, a word that is not one of
 *         those four, naming it). Thread-safe.
 */
TP_API tp_status tp_redact_parse(const char *text, unsigned *out);

/**
 * Replace e-mail addresses and phone numbers in text, as the ::tp_redact bits in
 * @p flags ask (the same rules tp_read_options.redact applies on ingest).
 *
 * E-mail: local@domain where the domain has at least two labels and a
 * top-level label of two or more letters. Phone: an optional '+', then 7 to 15
 * digits with single separators (space, '-', '.', '/', parentheses), not
 * glued to letters or digits; calendar dates (2026-01-31, 31.01.2026,
 * 01/31/2026) and plain decimals (3.14159) are left alone. The rules lean
 * towards removal: a long order number is removed as a phone number.
 *
 * @param text  the text (need not be NUL-terminated); NULL only with @p len 0
 * @param len   its length in bytes
 * @param flags ::tp_redact bits
 * @param out   receives the NUL-terminated result, owned by the caller (tp_free())
 * @param out_len receives its length; may be NULL
 * @return ::TP_OK; ::TP_EINVAL (NULL @p out, unknown flags); ::TP_ENOMEM.
 * Thread-safe.
 */
TP_API tp_status tp_redact_text(const char *text, size_t len, unsigned flags, char **out,
                                size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_REDACT_H */
