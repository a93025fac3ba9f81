/* What the report's builder (report.c) hands to its writers (report_html.c,
 * report_json.c). */
#ifndef TOUCHPOINT_TOOL_REPORT_INTERNAL_H
#define TOUCHPOINT_TOOL_REPORT_INTERNAL_H

#include <stdint.h>

#include "buf.h"
#include "report.h"

enum { MAX_STAGES = 32, MAX_FLOW_STEPS = 4, FLOW_EDGES_PER_STEP = 8, ATTR_ROWS = 12 };

struct report {
    const tp_catalog *cat;
    const char *title;
    const char *source;
    size_t rejected;
    size_t events, customers, feedback, touchpoints;
    int64_t first, last; /* event time span; first > last when there are no events */
    tp_table *scorecard, *stages, *hotspots, *drivers, *steps, *drops, *flow, *attr, *markov;
    tp_table *trend;
    tp_table *stage_trend[MAX_STAGES]; /* NULL for stages outside the filter */
    size_t nstages;
    double overall;     /* overall CX index (NaN when unknown) */
    int funnel_default; /* steps chosen from the data */
    buf funnel_text;
    /* Markov conversions per channel, largest first. */
    char **channels;
    double *channel_conv;
    size_t nchannels;
    double conversions;
    int64_t order; /* Markov order of the attribution */
    buf findings[4];
};

/* Keys of the findings in JSON, in report->findings order. */
extern const char *const report_finding_keys[4];

/* Cell access by column name: missing columns and nulls read as NaN / "". */
size_t report_col(const tp_table *t, const char *name);
double report_num(const tp_table *t, size_t row, const char *name);
const char *report_str(const tp_table *t, size_t row, const char *name);
size_t report_rows(const tp_table *t);

#endif
