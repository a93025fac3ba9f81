/* Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC). */
#ifndef TP_CORE_CIVIL_H
#define TP_CORE_CIVIL_H

#include <stddef.h>
#include <stdint.h>

#include "touchpoint/time.h"

int64_t tp__days_from_civil(int64_t y, unsigned m, unsigned d);
void tp__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* The day of the last timestamp of the usual layout (YYYY-MM-DDTHH:MM:SS[.sss]Z)
 * read through tp__time_parse_cached; zero-initialise. */
typedef struct tp__day_cache {
    char date[10];
    int valid;
    int64_t day_ms; /* that day's midnight, ms since the epoch */
} tp__day_cache;

/* tp_time_parse (same result and status for every text), where a text of the
 * usual layout on the cached day costs only its time of day: sorted logs
 * repeat the date row after row. cache may be NULL. */
int tp__time_parse_cached(tp__day_cache *cache, const char *text, size_t len,
                          tp_epoch_unit unit, int64_t *out);

#endif
