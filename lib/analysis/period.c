/* Calendar periods: see period.h. */
#include "analysis/period.h"

#include <stdio.h>

#include "core/civil.h"
#include "touchpoint/analysis.h"
#include "touchpoint/time.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t tp__period_start(int64_t t, int period)
{
    int64_t day = floor_div(t, TP__DAY_MS);
    if (period == TP_PERIOD_DAY)
        return day;
    if (period == TP_PERIOD_WEEK)
        return day - ((day + 3) - floor_div(day + 3, 7) * 7); /* 1970-01-01 was a Thursday */
    int64_t y;
    unsigned m, d;
    tp__civil_from_days(day, &y, &m, &d);
    return tp__days_from_civil(y, m, 1);
}

int64_t tp__period_index(int64_t t, int period)
{
    int64_t start = tp__period_start(t, period);
    if (period == TP_PERIOD_DAY)
        return start;
    if (period == TP_PERIOD_WEEK)
        return floor_div(start + 3, 7); /* Mondays are 7 apart */
    int64_t y;
    unsigned m, d;
    tp__civil_from_days(start, &y, &m, &d);
    return y * 12 + (int64_t)m - 1;
}

int64_t tp__period_index_start(int64_t i, int period)
{
    if (period == TP_PERIOD_DAY)
        return i;
    if (period == TP_PERIOD_WEEK)
        return i * 7 - 3;
    return tp__days_from_civil(floor_div(i, 12), (unsigned)(i - floor_div(i, 12) * 12 + 1), 1);
}

void tp__period_label(int64_t day, char *buf, size_t cap)
{
    char date[40];
    tp_time_format(day * TP__DAY_MS, date, sizeof date);
    snprintf(buf, cap, "%.10s", date); /* the date of the ISO 8601 time */
}
