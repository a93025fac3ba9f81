/* A growable byte buffer for building output text. Appends never fail loudly:
 * the first failed allocation sets `failed`, later appends do nothing, and the
 * writer checks once at the end (tp__sb_finish()). printf formats in the "C"
 * locale. */
#ifndef TP_CORE_STRBUF_H
#define TP_CORE_STRBUF_H

#include <stddef.h>

#include "core/error.h"

typedef struct tp__strbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* sticky: set by the first allocation failure */
} tp__strbuf;

void tp__sb_add(tp__strbuf *b, const char *s, size_t len);
void tp__sb_puts(tp__strbuf *b, const char *s);
void tp__sb_putc(tp__strbuf *b, char c);
void tp__sb_printf(tp__strbuf *b, const char *fmt, ...) TP__PRINTF(2, 3);
/* JSON string literal with quotes; input must be valid UTF-8. */
void tp__sb_json_string(tp__strbuf *b, const char *s, size_t len);
/* A NUL-terminated UTF-8 text as a JSON string literal; NULL gives null. */
void tp__sb_json_text(tp__strbuf *b, const char *s);
/* Text escaped for XML/HTML content and attribute values (NULL adds nothing). */
void tp__sb_xml(tp__strbuf *b, const char *s);
/* A fixed-point number with 0-6 decimals, no "-0"; "-" when not finite. */
void tp__sb_number(tp__strbuf *b, double v, int decimals);
/* Shortest decimal text that reads back as the same double; "null" when not finite. */
void tp__sb_json_double(tp__strbuf *b, double v);
/* Hand the NUL-terminated text to the caller; TP_ENOMEM (and frees) if any step failed. */
tp_status tp__sb_finish(tp__strbuf *b, char **out, size_t *len);
void tp__sb_free(tp__strbuf *b);

/* Shortest "%.Ng" text (N <= 17) that reads back as v, written to buf (>= 32 bytes). */
void tp__format_double(double v, char *buf, size_t cap);

#endif
