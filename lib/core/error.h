/* Internal error helpers: every failing path sets the thread-local error. */
#ifndef TP_CORE_ERROR_H
#define TP_CORE_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "touchpoint/common.h"

#if defined(__GNUC__)
#define TP__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TP__PRINTF(f, a)
#endif

/* Location of an error in an input; any member may be empty/0. */
typedef struct tp__loc {
    const char *file;
    uint64_t line;
    uint64_t column;
    const char *field;
} tp__loc;

/* Set the error with no location; returns status. */
tp_status tp__error(tp_status status, const char *fmt, ...) TP__PRINTF(2, 3);

/* Set the error at a location; the message reads "file:line:column: field: text". */
tp_status tp__error_at(tp_status status, const tp__loc *loc, const char *fmt, ...)
    TP__PRINTF(3, 4);

/* Same, with a va_list. */
tp_status tp__verror_at(tp_status status, const tp__loc *loc, const char *fmt, va_list ap)
    TP__PRINTF(3, 0);

/* Short escaped excerpt of untrusted input: at most 40 source bytes, control and
 * non-ASCII bytes as \xNN, quotes escaped, "..." when cut. Always NUL-terminates. */
void tp__excerpt(const char *s, size_t len, char *buf, size_t cap);

/* Copy NUL-terminated text into dst (cap bytes), bytes outside printable ASCII
 * as \xNN, ending in "..." when cut. Always NUL-terminates when cap > 0. */
void tp__escape_copy(char *dst, size_t cap, const char *src);

/* Size of a buffer that holds any tp__excerpt() result. */
#define TP__EXCERPT_CAP 200

/* Text of the last error without its location prefix (for reports). */
const char *tp__last_reason(void);

#endif
