#include "core/error.h"

#include <stdio.h>
#include <string.h>

/* One error record per thread, so concurrent callers never see each other's errors. */
typedef struct tp__error_state {
    tp_status status;
    uint64_t line;
    uint64_t column;
    char file[256];
    char field[256];
    char reason[768];
    char message[256 + 256 + 768 + 64];
} tp__error_state;

static _Thread_local tp__error_state tls_error;

void tp__escape_copy(char *dst, size_t cap, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (cap == 0)
        return;
    for (const unsigned char *p = (const unsigned char *)(src ? src : ""); *p; p++) {
        int plain = *p >= 0x20 && *p < 0x7f;
        size_t need = plain ? 1 : 4;
        if (o + need + 4 > cap) { /* room for this, "..." and the NUL */
            if (o + 4 <= cap) {
                memcpy(dst + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (plain) {
            dst[o++] = (char)*p;
        } else {
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[*p >> 4];
            dst[o++] = hex[*p & 15];
        }
    }
    dst[o] = '\0';
}

/* Append to a fixed buffer, truncating: messages are bounded on purpose. */
static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...) TP__PRINTF(4, 5);
static void append(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (k > 0)
        *n = *n + (size_t)k < cap ? *n + (size_t)k : cap - 1;
}

tp_status tp__verror_at(tp_status status, const tp__loc *loc, const char *fmt, va_list ap)
{
    tp__error_state *e = &tls_error;
    e->status = status;
    /* Messages reach terminals and logs: whatever input they quote, they hold
     * printable ASCII only (other bytes as \xNN) and are bounded. */
    char raw[sizeof e->reason];
    vsnprintf(raw, sizeof raw, fmt, ap);
    tp__escape_copy(e->reason, sizeof e->reason, raw);
    tp__escape_copy(e->file, sizeof e->file, loc ? loc->file : NULL);
    tp__escape_copy(e->field, sizeof e->field, loc ? loc->field : NULL);
    e->line = loc ? loc->line : 0;
    e->column = loc ? loc->column : 0;

    size_t n = 0;
    if (e->file[0]) {
        append(e->message, sizeof e->message, &n, "%s", e->file);
        if (e->line)
            append(e->message, sizeof e->message, &n, ":%llu", (unsigned long long)e->line);
        if (e->line && e->column)
            append(e->message, sizeof e->message, &n, ":%llu", (unsigned long long)e->column);
        append(e->message, sizeof e->message, &n, ": ");
    }
    if (e->field[0])
        append(e->message, sizeof e->message, &n, "%s: ", e->field);
    append(e->message, sizeof e->message, &n, "%s", e->reason);
    return status;
}

tp_status tp__error_at(tp_status status, const tp__loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tp__verror_at(status, loc, fmt, ap);
    va_end(ap);
    return status;
}

tp_status tp__error(tp_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tp__verror_at(status, NULL, fmt, ap);
    va_end(ap);
    return status;
}

void tp__excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t limit = len > 40 ? 40 : len;
    size_t o = 0;
    if (cap < 8) {
        if (cap)
            buf[0] = '\0';
        return;
    }
    for (size_t i = 0; i < limit && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c >= 0x7f) {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        } else {
            buf[o++] = (char)c;
        }
    }
    if (len > limit && o + 4 < cap) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
}

const char *tp__last_reason(void) { return tls_error.reason; }

const char *tp_last_error(void) { return tls_error.message; }
tp_status tp_last_error_status(void) { return tls_error.status; }
const char *tp_last_error_file(void) { return tls_error.file; }
uint64_t tp_last_error_line(void) { return tls_error.line; }
uint64_t tp_last_error_column(void) { return tls_error.column; }
const char *tp_last_error_field(void) { return tls_error.field; }

void tp_clear_error(void) { memset(&tls_error, 0, sizeof tls_error); }

const char *tp_status_str(tp_status status)
{
    switch (status) {
    case TP_OK: return "success";
    case TP_EINVAL: return "invalid argument";
    case TP_ENOMEM: return "out of memory";
    case TP_EIO: return "input/output error";
    case TP_EPARSE: return "parse error";
    case TP_EVALIDATE: return "validation error";
    case TP_ENOTFOUND: return "not found";
    case TP_ECONFLICT: return "conflict";
    case TP_ELIMIT: return "limit exceeded";
    case TP_ECANCELED: return "cancelled";
    }
    return "unknown status";
}

const char *tp_version_string(void) { return TP_VERSION_STRING; }
uint32_t tp_version_number(void) { return TP_VERSION_NUMBER; }
