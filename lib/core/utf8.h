/* UTF-8 validation (strict: no overlong forms, surrogates or code points past U+10FFFF). */
#ifndef TP_CORE_UTF8_H
#define TP_CORE_UTF8_H

#include <stddef.h>

/* Returns (size_t)-1 if s[0..len) is valid UTF-8, else the offset of the first bad byte. */
size_t tp__utf8_check(const char *s, size_t len);

/* Whether s[0..len) is all ASCII (so valid UTF-8), sixteen bytes a step. */
int tp__is_ascii(const char *s, size_t len);

/* An identifier: non-empty, valid UTF-8, at most 256 bytes, no control characters.
 * Returns NULL if fine, else a static reason. */
const char *tp__ident_problem(const char *s, size_t len);

/* Trim spaces and tabs at both ends of s[0..len). */
void tp__trimmed(const char **s, size_t *len);

#define TP__IDENT_MAX 256

#endif
