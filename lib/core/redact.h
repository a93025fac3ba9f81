/* Redaction of personal data in free text (tp_redact_text, tp_read_options.redact). */
#ifndef TP_CORE_REDACT_H
#define TP_CORE_REDACT_H

#include <stddef.h>

#include "core/strbuf.h"

/* Append s[0..len) to b with e-mail addresses replaced by "[email]" and phone
 * numbers by "[phone]", as the TP_REDACT_* bits in flags ask. Returns the
 * number of replacements. */
size_t tp__redact(tp__strbuf *b, const char *s, size_t len, unsigned flags);

/* Whether s[0..len) holds anything tp__redact() would replace. */
int tp__redact_needed(const char *s, size_t len, unsigned flags);

#endif
