/* Calendar periods (UTC days, ISO weeks from Monday, months) of the trend,
 * the roadmap and the cohort analyses. */
#ifndef TP_ANALYSIS_PERIOD_H
#define TP_ANALYSIS_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#define TP__DAY_MS 86400000LL

/* First day (days since the epoch) of the period (a tp_period) holding time t (ms). */
int64_t tp__period_start(int64_t t, int period);
/* The period holding t as an ordinal: consecutive periods differ by 1. */
int64_t tp__period_index(int64_t t, int period);
/* The first day (days since the epoch) of period ordinal i. */
int64_t tp__period_index_start(int64_t i, int period);
/* "2026-03-01": the first day of the period holding day `day` (days since the epoch). */
void tp__period_label(int64_t day, char *buf, size_t cap);

#endif
