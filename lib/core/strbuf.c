#include "core/strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "core/vec.h"

static int reserve(tp__strbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->cap - b->len > extra)
        return 0;
    if (extra >= SIZE_MAX - b->len || tp__grow((void **)&b->data, &b->cap, 1, b->len + extra + 1)) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

void tp__sb_add(tp__strbuf *b, const char *s, size_t len)
{
    if (reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void tp__sb_puts(tp__strbuf *b, const char *s) { tp__sb_add(b, s, strlen(s)); }

void tp__sb_putc(tp__strbuf *b, char c)
{
    if (reserve(b, 1))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void tp__sb_printf(tp__strbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = tp__vsnprintf_c(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        tp__sb_add(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    tp__vsnprintf_c(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void tp__sb_json_string(tp__strbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    tp__sb_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        tp__sb_add(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': tp__sb_add(b, "\\\"", 2); break;
        case '\\': tp__sb_add(b, "\\\\", 2); break;
        case '\n': tp__sb_add(b, "\\n", 2); break;
        case '\r': tp__sb_add(b, "\\r", 2); break;
        case '\t': tp__sb_add(b, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tp__sb_add(b, esc, 6);
        }
        }
    }
    tp__sb_add(b, s + start, len - start);
    tp__sb_putc(b, '"');
}

void tp__sb_json_text(tp__strbuf *b, const char *s)
{
    if (s)
        tp__sb_json_string(b, s, strlen(s));
    else
        tp__sb_add(b, "null", 4);
}

void tp__sb_xml(tp__strbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* XML 1.0 forbids most C0 controls even as character references. */
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
                rep = " ";
        }
        if (rep) {
            tp__sb_add(b, run, (size_t)(s - run));
            tp__sb_puts(b, rep);
            run = s + 1;
        }
    }
    tp__sb_add(b, run, (size_t)(s - run));
}

void tp__sb_number(tp__strbuf *b, double v, int decimals)
{
    if (!isfinite(v)) {
        tp__sb_putc(b, '-');
        return;
    }
    decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
    char tmp[400];
    tp__snprintf_c(tmp, sizeof tmp, "%.*f", decimals, v);
    /* "-0" and "-0.0" read as a sign without a value. */
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
        memmove(tmp, tmp + 1, strlen(tmp));
    tp__sb_puts(b, tmp);
}

void tp__format_double(double v, char *buf, size_t cap)
{
    if (v == 0) {
        snprintf(buf, cap, "%s", signbit(v) ? "-0" : "0");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        tp__snprintf_c(buf, cap, "%.*g", prec, v);
        double back;
        if (prec == 17 || (tp__parse_double(buf, strlen(buf), &back) == TP_OK && back == v))
            return;
    }
}

void tp__sb_json_double(tp__strbuf *b, double v)
{
    if (!isfinite(v)) {
        tp__sb_add(b, "null", 4);
        return;
    }
    char buf[40];
    tp__format_double(v, buf, sizeof buf);
    tp__sb_puts(b, buf);
}

tp_status tp__sb_finish(tp__strbuf *b, char **out, size_t *len)
{
    if (!b->failed && reserve(b, 0) == 0) {
        b->data[b->len] = '\0';
        *out = b->data;
        if (len)
            *len = b->len;
        b->data = NULL;
        b->len = b->cap = 0;
        return TP_OK;
    }
    tp__sb_free(b);
    *out = NULL;
    return tp__error(TP_ENOMEM, "out of memory while building text");
}

void tp__sb_free(tp__strbuf *b)
{
    tp__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
