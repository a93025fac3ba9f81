/* Locale-independent number text: the library must read "1.5" and write "1.5"
 * even when the host program has set a locale with a decimal comma. */
#ifndef TP_CORE_NUMTEXT_H
#define TP_CORE_NUMTEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "touchpoint/common.h"

/* Parse a decimal number from s[0..len): optional sign, digits, optional
 * fraction and exponent; no spaces, hex, "inf" or "nan".
 * Returns TP_OK, TP_EPARSE (not a number) or TP_EVALIDATE (overflows to infinity). */
tp_status tp__parse_double(const char *s, size_t len, double *out);

/* A duration "30d", "12h", "90m", "45s", "1500ms" (a number, then a unit) in
 * whole milliseconds (rounded), >= 1 and <= 9.2e18. Returns TP_OK or TP_EINVAL. */
tp_status tp__parse_duration(const char *s, size_t len, int64_t *ms);

/* The shortest text tp__parse_duration() reads back as @p ms exactly: the
 * largest whole unit ("2d", "36h", "90m", "45s"), else "1500ms". */
void tp__format_duration(int64_t ms, char *buf, size_t cap);

/* tp__parse_duration() of NUL-terminated text, which may also be whole
 * milliseconds ("604800000"). Returns TP_OK or TP_EINVAL. */
tp_status tp__parse_duration_or_ms(const char *text, int64_t *ms);

/* vsnprintf in the "C" locale (a decimal point whatever the host's locale). */
int tp__vsnprintf_c(char *buf, size_t cap, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;
/* snprintf in the "C" locale. */
int tp__snprintf_c(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
