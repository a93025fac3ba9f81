/* `touchpoint report`: every analysis of the library in one self-contained
 * HTML page (inline SVG charts, no scripts, no network) or one JSON document,
 * plus the top findings for the terminal. Built on the public API only. */
#ifndef TOUCHPOINT_TOOL_REPORT_H
#define TOUCHPOINT_TOOL_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "touchpoint.h"

/* Builds the filter of one stage's trend line from the user's filter
 * arguments: `stage` replaces any stage selection. Returns 0 or -1. */
typedef int (*report_stage_filter_fn)(void *ctx, const char *stage, tp_filter **out);

typedef struct report_config {
    const char *title;        /* page title; NULL for the default */
    const char *source;       /* what was read, for the header ("sample data", file names) */
    const tp_filter *filter;  /* may be NULL */
    const tp_options *opts;   /* may be NULL */
    const tp_funnel *funnel;  /* NULL or no steps: the most common converting path */
    report_stage_filter_fn stage_filter;
    void *stage_filter_ctx;
    size_t rejected;          /* input rows skipped while reading */
} report_config;

typedef struct report report;

/* Run the analyses. Returns 0, or -1 with tp_last_error() (or errno) telling why. */
int report_build(const tp_events *events, const tp_feedback *feedback, const report_config *cfg,
                 report **out);
void report_free(report *r);

void report_html(const report *r, buf *out);
void report_json(const report *r, buf *out);
/* The four headline findings, one per line. */
void report_print_findings(const report *r, FILE *f);

#endif
