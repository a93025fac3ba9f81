/* A growable byte buffer for building output text. */
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
/* Shortest decimal text that reads back as the same double; "null" when not finite. */
void tp__sb_json_double(tp__strbuf *b, double v);
/* Hand the NUL-terminated text to the caller; TP_ENOMEM (and frees) if any step failed. */
tp_status tp__sb_finish(tp__strbuf *b, char **out, size_t *len);
void tp__sb_free(tp__strbuf *b);

/* Shortest "%.Ng" text (N <= 17) that reads back as v, written to buf (>= 32 bytes). */
void tp__format_double(double v, char *buf, size_t cap);

#endif
