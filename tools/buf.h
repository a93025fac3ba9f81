/* A growable text buffer for the tool's writers (HTML, SVG, JSON). Appends
 * never fail loudly: the first failed allocation sets `oom`, later appends do
 * nothing, and the writer checks `oom` once at the end. */
#ifndef TOUCHPOINT_TOOL_BUF_H
#define TOUCHPOINT_TOOL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data; /* NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int oom;
} buf;

void buf_free(buf *b);
void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text escaped for HTML/XML content and attribute values. */
void buf_xml(buf *b, const char *s);
/* A JSON string literal (quotes included); NULL gives null. */
void buf_json_string(buf *b, const char *s);
/* A number: shortest form with up to 6 significant digits; NaN gives "-". */
void buf_number(buf *b, double v, int decimals);

#endif
