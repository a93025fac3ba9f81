/* Metric formulas on counts and moments, shared by the analyses (the public
 * wrappers in metrics.c validate arguments; these do not). */
#ifndef TP_ANALYSIS_METRICS_INTERNAL_H
#define TP_ANALYSIS_METRICS_INTERNAL_H

#include "analysis/stats.h"
#include "touchpoint/metrics.h"

/* z for a two-sided interval at `level`. */
double tp__z(double level);
tp_estimate tp__nps(uint64_t promoters, uint64_t passives, uint64_t detractors, double z);
tp_estimate tp__csat(uint64_t satisfied, uint64_t n, double z);
tp_estimate tp__mean(const tp__moments *m, double z);
void tp__wilson(uint64_t k, uint64_t n, double z, double *low, double *high);

#endif
