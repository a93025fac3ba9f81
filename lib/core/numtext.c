#define _GNU_SOURCE
#include "core/numtext.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One immutable "C" locale object for the process, made on first use. */
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static locale_t get_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

tp_status tp__parse_double(const char *s, size_t len, double *out)
{
    char buf[128];
    size_t i = 0;
    if (len == 0 || len >= sizeof buf)
        return TP_EPARSE;
    if (s[i] == '+' || s[i] == '-')
        i++;
    size_t digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return TP_EPARSE;
    int exponent = i < len && (s[i] == 'e' || s[i] == 'E');
    if (exponent) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, e++;
        if (!e)
            return TP_EPARSE;
    }
    if (i != len)
        return TP_EPARSE;
    /* At most 15 digits and no exponent: the digits as an integer m (below
     * 2^53, so exact) over 10^f (exact up to 10^22) is one correctly rounded
     * division, the very double strtod gives, without the call. */
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (digits <= 15 && !exponent) {
        uint64_t m = 0;
        size_t frac = 0;
        int seen_point = 0;
        for (size_t k = s[0] == '+' || s[0] == '-'; k < len; k++) {
            if (s[k] == '.') {
                seen_point = 1;
                continue;
            }
            m = m * 10 + (uint64_t)(s[k] - '0');
            frac += (size_t)seen_point;
        }
        double v = (double)m / pow10[frac];
        *out = s[0] == '-' ? -v : v;
        return TP_OK;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    locale_t loc = get_c_locale();
    double v = loc ? strtod_l(buf, NULL, loc) : strtod(buf, NULL);
    if (!isfinite(v))
        return TP_EVALIDATE;
    *out = v;
    return TP_OK;
}

int tp__vsnprintf_c(char *buf, size_t cap, const char *fmt, va_list ap)
{
    locale_t loc = get_c_locale();
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    int n = vsnprintf(buf, cap, fmt, ap);
    if (loc)
        uselocale(old);
    return n;
}

int tp__snprintf_c(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = tp__vsnprintf_c(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

tp_status tp__parse_duration(const char *s, size_t len, int64_t *ms)
{
    static const char units[] = "dhms";
    static const double unit_ms[] = {86400000.0, 3600000.0, 60000.0, 1000.0};
    double n, v = NAN;
    if (len > 2 && s[len - 2] == 'm' && s[len - 1] == 's') {
        if (tp__parse_double(s, len - 2, &n) == TP_OK)
            v = n;
    } else {
        const char *u = len > 1 ? memchr(units, s[len - 1], 4) : NULL;
        if (u && tp__parse_double(s, len - 1, &n) == TP_OK)
            v = n * unit_ms[u - units];
    }
    /* Whole milliseconds: 1.234s is 1234 ms, not the 1233 truncation would give. */
    v = round(v);
    if (!(v >= 1.0 && v <= 9.2e18))
        return TP_EINVAL;
    *ms = (int64_t)v;
    return TP_OK;
}

void tp__format_duration(int64_t ms, char *buf, size_t cap)
{
    static const char units[] = "dhms";
    static const int64_t unit_ms[] = {86400000, 3600000, 60000, 1000};
    for (size_t i = 0; i < 4; i++)
        if (ms != 0 && ms % unit_ms[i] == 0) {
            snprintf(buf, cap, "%lld%c", (long long)(ms / unit_ms[i]), units[i]);
            return;
        }
    snprintf(buf, cap, "%lldms", (long long)ms);
}

tp_status tp__parse_duration_or_ms(const char *text, int64_t *ms)
{
    size_t len = strlen(text), digits = 0;
    while (digits < len && text[digits] >= '0' && text[digits] <= '9')
        digits++;
    if (digits && digits == len && digits <= 18) {
        int64_t v = 0;
        for (size_t i = 0; i < len; i++)
            v = v * 10 + (text[i] - '0');
        *ms = v;
        return v >= 1 ? TP_OK : TP_EINVAL;
    }
    return tp__parse_duration(text, len, ms);
}
