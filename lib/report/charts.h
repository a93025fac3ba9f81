/* The report's charts, each a complete inline <svg>, drawn from plain arrays
 * (no library handles), so they can be tested on hand-made data. NaN marks a
 * missing value everywhere. Every chart has a title, axis labels and, when it
 * shows more than one series, a legend. */
#ifndef TOUCHPOINT_TOOL_CHARTS_H
#define TOUCHPOINT_TOOL_CHARTS_H

#include <stddef.h>

#include "core/strbuf.h"

/* Journey map: stage bands in order, the CX index of every touchpoint that has
 * one as an "emotion curve" through the stages, each stage's index as a bar
 * across its band, and the overall index as a reference line. */
typedef struct tp__chart_journey_data {
    const char *const *stages;
    const double *stage_cx; /* per stage */
    size_t nstages;
    const char *const *labels; /* touchpoints in journey order (catalog names) */
    const size_t *stage_of;    /* stage index of each touchpoint */
    const double *cx;          /* CX index of each touchpoint */
    size_t n;
    double overall;
    const char *const *ids;    /* what labels name (touchpoint ids), shown on hover; may be NULL */
} tp__chart_journey_data;
void tp__chart_journey(tp__strbuf *b, const char *id, const char *title, const tp__chart_journey_data *d);

/* Estimates with intervals, one row each (a forest plot), on [dlo, dhi]. */
void tp__chart_intervals(tp__strbuf *b, const char *id, const char *title, const char *axis,
                     const char *const *labels, const char *const *ids, const double *est,
                     const double *lo, const double *hi, size_t n, double dlo, double dhi,
                     double ref, const char *ref_label);

/* Bars from zero, one row each; kind[i] != 0 draws bar i as the "high"
 * kind (names[1]), 0 as the "low" kind (names[0]). */
void tp__chart_diverging(tp__strbuf *b, const char *id, const char *title, const char *axis,
                     const char *const *labels, const char *const *ids, const double *values,
                     const int *kind, size_t n, const char *const names[2]);

/* Importance-performance scatter with the quadrant lines at (xref, yref). */
typedef struct tp__chart_quadrant_data {
    const char *const *labels;
    const double *x; /* performance */
    const double *y; /* importance */
    size_t n;
    double xref, yref;
    const char *xaxis, *yaxis;
    const char *corner[4]; /* top-left, top-right, bottom-left, bottom-right */
    const char *const *ids; /* what labels name (touchpoint ids), shown on hover; may be NULL */
} tp__chart_quadrant_data;
void tp__chart_quadrants(tp__strbuf *b, const char *id, const char *title, const tp__chart_quadrant_data *d);

/* Funnel: one bar per step, its customers and share of the first step, and
 * between steps the number who dropped out. */
void tp__chart_funnel(tp__strbuf *b, const char *id, const char *title, const char *const *labels,
                  const double *customers, size_t n);

/* Sankey diagram of step-to-step flows. Edge i goes from node `from` in
 * column step-1 to node `to` in column step (steps count from 1). */
typedef struct tp__chart_edge {
    int step;
    const char *from, *to;
    double value;
} tp__chart_edge;

/* Where the Sankey layout put a node (exposed for tests). */
typedef struct tp__chart_node {
    int column;
    const char *name;
    double in, out; /* flow into and out of the node */
    double y, h;    /* top and height in pixels */
} tp__chart_node;
/* Lay out the nodes of `edges` in a band of `height` pixels with `gap` pixels
 * between nodes; *nodes is malloc'd (caller frees). Returns -1 on no memory. */
int tp__chart_sankey_layout(const tp__chart_edge *edges, size_t n, double height, double gap,
                        tp__chart_node **nodes, size_t *count);
/* name_of(ctx, node) is what a node is called on the chart (its id on hover);
 * NULL: the node's own name. */
typedef const char *(*tp__chart_namer)(const void *ctx, const char *node);
void tp__chart_sankey(tp__strbuf *b, const char *id, const char *title, const tp__chart_edge *edges,
                      size_t n, tp__chart_namer name_of, const void *ctx);

/* A dot plot: one row per category, one marker per series (shape and shade
 * differ by series), values[cat * nseries + s]. */
void tp__chart_dots(tp__strbuf *b, const char *id, const char *title, const char *axis,
                const char *const *categories, size_t ncat, const char *const *series,
                size_t nseries, const double *values);

/* Lines over ordered periods, values[s * nx + i]; `notes` (may be NULL) is
 * printed under each period label (e.g. the number of responses). */
void tp__chart_lines(tp__strbuf *b, const char *id, const char *title, const char *axis,
                 const char *const *xlabels, const char *const *notes, size_t nx,
                 const char *const *series, size_t nseries, const double *values);

#endif
