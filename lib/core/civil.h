/* Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC). */
#ifndef TP_CORE_CIVIL_H
#define TP_CORE_CIVIL_H

#include <stdint.h>

int64_t tp__days_from_civil(int64_t y, unsigned m, unsigned d);
void tp__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
