#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "touchpoint/time.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years). */
int64_t tp__days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void tp__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

/* Read exactly n digits at s[*i]. */
static bool digits(const char *s, size_t len, size_t *i, int n, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < n; k++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return true;
}

static tp_status parse_iso(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    unsigned y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (!digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &mo) ||
        i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &d))
        return TP_EPARSE;
    int offset_min = 0;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
            return TP_EPARSE;
        i++;
        if (!digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' || !digits(s, len, &i, 2, &mi))
            return TP_EPARSE;
        if (i < len && s[i] == ':') {
            i++;
            if (!digits(s, len, &i, 2, &sec))
                return TP_EPARSE;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                int nd = 0;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (nd < 3)
                        ms = ms * 10 + (unsigned)(s[i] - '0');
                    nd++;
                    i++;
                }
                if (nd == 0)
                    return TP_EPARSE;
                for (; nd < 3; nd++)
                    ms *= 10;
            }
        }
        if (i < len) {
            char c = s[i++];
            if (c == 'Z' || c == 'z') {
                /* UTC */
            } else if (c == '+' || c == '-') {
                unsigned oh, om = 0;
                if (!digits(s, len, &i, 2, &oh))
                    return TP_EPARSE;
                if (i < len && s[i] == ':')
                    i++;
                if (i < len && !digits(s, len, &i, 2, &om))
                    return TP_EPARSE;
                if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60)
                    return TP_EVALIDATE;
                offset_min = (int)(oh * 60 + om) * (c == '-' ? -1 : 1);
            } else {
                return TP_EPARSE;
            }
        }
        if (i != len)
            return TP_EPARSE;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || sec > 59)
        return TP_EVALIDATE;
    int64_t days = tp__days_from_civil(y, mo, d);
    int64_t t = ((days * 24 + h) * 60 + mi) * 60 + sec;
    t = t * 1000 + ms - (int64_t)offset_min * 60000;
    if (t < TP_TIME_MIN || t > TP_TIME_MAX)
        return TP_EVALIDATE;
    *out = t;
    return TP_OK;
}

/* The time of day of a text of the usual layout, in ms: 1, or 0 when the
 * layout or a field is off (the full reader then decides). */
static int time_of_day(const char *s, size_t len, int64_t *ms_of_day)
{
    if ((len != 20 && len != 24) || s[len - 1] != 'Z' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || (len == 24 && s[19] != '.'))
        return 0;
#define DIG(i) ((unsigned)(unsigned char)s[i] - '0')
    unsigned bad = (DIG(11) > 9) | (DIG(12) > 9) | (DIG(14) > 9) | (DIG(15) > 9) |
                   (DIG(17) > 9) | (DIG(18) > 9);
    unsigned ms = 0;
    if (len == 24) {
        bad |= (DIG(20) > 9) | (DIG(21) > 9) | (DIG(22) > 9);
        ms = DIG(20) * 100 + DIG(21) * 10 + DIG(22);
    }
    unsigned h = DIG(11) * 10 + DIG(12), mi = DIG(14) * 10 + DIG(15), sec = DIG(17) * 10 + DIG(18);
#undef DIG
    if (bad || h > 23 || mi > 59 || sec > 59)
        return 0;
    *ms_of_day = ((int64_t)(h * 60 + mi) * 60 + sec) * 1000 + ms;
    return 1;
}

/* The layout most exports write, YYYY-MM-DDTHH:MM:SSZ or with .sss before
 * the Z, read in one go: 1 with *out set, or 0 when the text is anything else
 * or out of range (parse_iso then reads it and says why). Same result as
 * parse_iso for every text it accepts. */
static int parse_iso_fixed(const char *s, size_t len, int64_t *out)
{
    int64_t tod;
    if (!time_of_day(s, len, &tod) || s[4] != '-' || s[7] != '-')
        return 0;
#define DIG(i) ((unsigned)(unsigned char)s[i] - '0')
    if ((DIG(0) > 9) | (DIG(1) > 9) | (DIG(2) > 9) | (DIG(3) > 9) | (DIG(5) > 9) |
        (DIG(6) > 9) | (DIG(8) > 9) | (DIG(9) > 9))
        return 0;
    unsigned y = DIG(0) * 1000 + DIG(1) * 100 + DIG(2) * 10 + DIG(3), mo = DIG(5) * 10 + DIG(6),
             d = DIG(8) * 10 + DIG(9);
#undef DIG
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return 0;
    int64_t t = tp__days_from_civil(y, mo, d) * 86400000 + tod;
    if (t < TP_TIME_MIN || t > TP_TIME_MAX)
        return 0;
    *out = t;
    return 1;
}

static tp_status parse_epoch(const char *s, size_t len, tp_epoch_unit unit, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    size_t start = i;
    int64_t whole = 0;
    bool overflow = false;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (whole > (INT64_MAX - 9) / 10)
            overflow = true;
        else
            whole = whole * 10 + (s[i] - '0');
        i++;
    }
    if (i == start)
        return TP_EPARSE;
    int64_t frac_ms = 0;
    bool has_frac = false;
    if (i < len && s[i] == '.') {
        has_frac = true;
        i++;
        int nd = 0;
        size_t fstart = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (nd < 3)
                frac_ms = frac_ms * 10 + (s[i] - '0');
            nd++;
            i++;
        }
        if (i == fstart)
            return TP_EPARSE;
        for (; nd < 3; nd++)
            frac_ms *= 10;
    }
    if (i != len)
        return TP_EPARSE;
    if (overflow)
        return TP_EVALIDATE;
    if (unit == TP_EPOCH_AUTO)
        unit = whole < 100000000000LL ? TP_EPOCH_SECONDS : TP_EPOCH_MILLISECONDS;
    int64_t t;
    if (unit == TP_EPOCH_SECONDS) {
        if (whole > TP_TIME_MAX / 1000 + 1)
            return TP_EVALIDATE;
        t = whole * 1000 + frac_ms;
    } else {
        if (has_frac)
            return TP_EPARSE;
        t = whole;
    }
    if (neg)
        t = -t;
    if (t < TP_TIME_MIN || t > TP_TIME_MAX)
        return TP_EVALIDATE;
    *out = t;
    return TP_OK;
}

tp_status tp_time_parse(const char *text, size_t len, tp_epoch_unit unit, int64_t *out)
{
    if (!text || !out || (unsigned)unit > TP_EPOCH_MILLISECONDS)
        return TP_EINVAL;
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0)
        return TP_EPARSE;
    /* A date has a '-' after four digits; anything else is an epoch number. */
    if (len >= 10 && text[4] == '-' && text[0] >= '0' && text[0] <= '9')
        return parse_iso_fixed(text, len, out) ? TP_OK : parse_iso(text, len, out);
    return parse_epoch(text, len, unit, out);
}

tp_status tp_time_format(int64_t ms, char *buf, size_t cap)
{
    if (!buf || cap < 25 || ms < TP_TIME_MIN || ms > TP_TIME_MAX)
        return TP_EINVAL;
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t milli = ms - secs * 1000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    tp__civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
             (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60),
             (unsigned)milli);
    return TP_OK;
}

tp_status tp_duration_parse(const char *text, size_t len, int64_t *out)
{
    if (!text || !out)
        return TP_EINVAL;
    return tp__parse_duration(text, len, out);
}

static const char *const unit_words[] = {"auto", "seconds", "milliseconds", NULL};

TP__WORD_FUNCTIONS(tp_epoch_unit, tp_epoch_unit, unit_words, "epoch unit", 0)

static tp_status time_read(const char *text, tp_epoch_unit unit, int end, int64_t *out)
{
    if (!text || !out)
        return tp__error(TP_EINVAL, "reading a time: %s is NULL", text ? "out" : "the text");
    size_t len = strlen(text);
    int64_t ms;
    tp_status st = tp_time_parse(text, len, unit, &ms);
    if (st == TP_EINVAL)
        return tp__error(st, "reading a time: unknown epoch unit %d", (int)unit);
    if (st == TP_EPARSE)
        return tp__error(st, "cannot read '%.60s' as a time: write ISO 8601 (2026-03-01 or "
                             "2026-03-01T10:00:00Z) or epoch %s",
                         text, unit == TP_EPOCH_MILLISECONDS ? "milliseconds"
                               : unit == TP_EPOCH_SECONDS   ? "seconds"
                                                            : "seconds or milliseconds");
    if (st != TP_OK)
        return tp__error(st, "'%.60s' is not a valid time: a field (month 1-12, day of the "
                             "month, hour 0-23, minute, second) or the time itself is out of range",
                         text);
    /* a date alone: the end of its day */
    while (*text == ' ' || *text == '\t')
        text++;
    len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (end && len == 10 && text[4] == '-' && text[7] == '-') {
        if (ms > TP_TIME_MAX - 86400000)
            return tp__error(TP_EVALIDATE, "'%.60s' is not a valid time: its end is out of range",
                             text);
        ms += 86400000;
    }
    *out = ms;
    return TP_OK;
}

TP_API tp_status tp_time_read(const char *text, tp_epoch_unit unit, int64_t *out)
{
    return time_read(text, unit, 0, out);
}

TP_API tp_status tp_time_read_end(const char *text, tp_epoch_unit unit, int64_t *out)
{
    return time_read(text, unit, 1, out);
}

int tp__time_parse_cached(tp__day_cache *c, const char *text, size_t len, tp_epoch_unit unit,
                          int64_t *out)
{
    int64_t tod;
    if (c && c->valid && len >= 20 && memcmp(text, c->date, 10) == 0 &&
        time_of_day(text, len, &tod) && c->day_ms + tod <= TP_TIME_MAX &&
        c->day_ms + tod >= TP_TIME_MIN) {
        *out = c->day_ms + tod;
        return TP_OK;
    }
    tp_status st = tp_time_parse(text, len, unit, out);
    /* Only a text of the very layout (no spaces around it) sets the day. */
    if (c && st == TP_OK && time_of_day(text, len, &tod) && text[4] == '-' && text[7] == '-') {
        memcpy(c->date, text, 10);
        c->day_ms = *out - tod;
        c->valid = 1;
    }
    return st;
}
