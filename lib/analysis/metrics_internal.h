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

struct tp__acc;
/* The estimate of metric m (TP__M_*) of a touchpoint's responses, on the
 * scale the scorecard reports: NPS and CSAT as their own, means with a normal
 * interval kept on their scale (CES 1-7, rating 1-5, sentiment -1..1, audit
 * 0-100). analysis/scorecard.c. */
tp_estimate tp__acc_estimate(const struct tp__acc *a, int m, double z);
/* The CX index with an interval: each metric rescaled to 0-100 as the index
 * does, se = sqrt(sum (w_m / W)^2 (k_m se_m)^2) over the metrics in the index
 * (k_m the rescaling factor; the metrics' errors taken as independent), the
 * interval cx +- z se kept on 0-100; n is their responses. NaN se (and
 * interval) when a metric in it has no standard error (one response). */
tp_estimate tp__acc_cx_estimate(const struct tp__acc *a, const double *weights, double z);

#endif
