/* Drawing helpers for the report's inline SVG charts: linear scales with
 * "nice" ticks, axes, legends, markers and a palette that stays readable in
 * grey scale (lightness falls steadily from the first series to the last, and
 * lines also differ by dash pattern and marker shape). */
#ifndef TOUCHPOINT_TOOL_SVG_H
#define TOUCHPOINT_TOOL_SVG_H

#include <stddef.h>

#include "core/strbuf.h"

/* Domain [d0, d1] onto range [r0, r1] (either may run backwards). */
typedef struct tp__svg_scale {
    double d0, d1, r0, r1;
} tp__svg_scale;

double tp__svg_map(const tp__svg_scale *s, double v);

/* Tick step for [lo, hi] with at most about `max_ticks` ticks: 1, 2, 2.5 or 5
 * times a power of ten. Returns 0 when the range is empty or not finite. */
double tp__svg_tick_step(double lo, double hi, int max_ticks);
/* Widen [lo, hi] outwards to multiples of the tick step (a zero-width range
 * becomes one step wide); returns the step. */
double tp__svg_nice(double *lo, double *hi, int max_ticks);
/* Decimals needed to print multiples of `step` exactly (0 for whole steps). */
int tp__svg_step_decimals(double step);
/* Thousands separated: 12345.4 -> "12,345". */
void tp__svg_format_count(char *out, size_t size, double v);

/* Series colour i of n, dark to light; fill colour of a bar or line. */
const char *tp__svg_series_color(size_t i, size_t n);
/* Text colour that reads on top of tp__svg_series_color(i, n). */
const char *tp__svg_series_ink(size_t i, size_t n);
/* stroke-dasharray value for line series i ("" for solid). */
const char *tp__svg_dash(size_t i);
/* A marker of shape i (circle, square, triangle, diamond, ...) centred at (x, y). */
void tp__svg_marker(tp__strbuf *b, size_t shape, double x, double y, double r, const char *fill);

/* <svg> with a title and description for screen readers; tp__svg_close ends it. */
void tp__svg_open(tp__strbuf *b, const char *id, double width, double height, const char *title,
              const char *desc);
void tp__svg_close(tp__strbuf *b);
/* Chart title, centred at the top. */
void tp__svg_title(tp__strbuf *b, double width, const char *title);
/* Text (escaped); anchor is start, middle or end; cls may be NULL. */
void tp__svg_text(tp__strbuf *b, double x, double y, const char *anchor, const char *cls, const char *text);
/* Text shortened with an ellipsis to at most `max_chars` characters (UTF-8 aware). */
void tp__svg_text_fit(tp__strbuf *b, double x, double y, const char *anchor, const char *cls,
                  const char *text, size_t max_chars);
/* A number as text (see buf_number). */
void tp__svg_number(tp__strbuf *b, double x, double y, const char *anchor, const char *cls, double v,
                int decimals);

/* Bottom axis at y (line, ticks, tick labels, axis label centred below). */
void tp__svg_axis_bottom(tp__strbuf *b, const tp__svg_scale *x, double y, double step, const char *label);
/* Left axis at x with horizontal grid lines across to x_end; label rotated. */
void tp__svg_axis_left(tp__strbuf *b, const tp__svg_scale *y, double x, double x_end, double step,
                   const char *label);

/* Vertical grid lines at every tick of x from y0 down to y1. */
void tp__svg_grid_x(tp__strbuf *b, const tp__svg_scale *x, double step, double y0, double y1);

/* Legend entries in one row from (x, y): kind 0 swatches, 1 line + marker. */
void tp__svg_legend(tp__strbuf *b, double x, double y, const char *const *names, size_t n, int kind);

/* Approximate width of text at the chart font size (for layout only). */
double tp__svg_text_width(const char *text, double font_size);

#endif
