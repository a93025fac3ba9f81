/* The report's charts as inline SVG. Layout is computed here; styling (fonts,
 * line colours of axes) comes from the report's style sheet. */
#include "report/charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "report/svg.h"

enum { WIDTH = 760 };

/* Colours of "bad", "neutral" and "good" that differ in lightness. */
#define BAD_FILL "#7f2704"
#define MID_FILL "#bdbdbd"
#define GOOD_FILL "#c6e5f5"

static void range_of(const double *v, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
}

/* A message in place of the marks of a chart that has none, centred at
 * height @p y of the plot (below the title). */
static void empty_note(tp__strbuf *b, double w, double y, const char *text)
{
    tp__svg_text(b, w / 2, y, "middle", "note", text);
}

/* The hover text of a mark: the label (a catalog name) and, when it differs,
 * what it names (the touchpoint id). */
static void hover_label(tp__strbuf *b, const char *const *labels, const char *const *ids, size_t i)
{
    tp__sb_xml(b, labels[i]);
    if (ids && ids[i] && strcmp(ids[i], labels[i])) {
        tp__sb_puts(b, " (");
        tp__sb_xml(b, ids[i]);
        tp__sb_putc(b, ')');
    }
}

/* ---- journey map -------------------------------------------------------------- */

void tp__chart_journey(tp__strbuf *b, const char *id, const char *title, const tp__chart_journey_data *d)
{
    const double H = 400, left = 70, right = WIDTH - 20, top = 64, bottom = 270;
    tp__svg_open(b, id, WIDTH, H, title,
             "Customer journey by stage: CX index (0-100) of each touchpoint as a curve, the "
             "stage index as a bar across each stage, the overall index as a dashed line.");
    tp__svg_title(b, WIDTH, title);
    /* One slot per touchpoint with an index; a stage without any gets one slot. */
    size_t slots = 0;
    size_t *per_stage = tp__calloc(d->nstages ? d->nstages : 1, sizeof *per_stage);
    if (!per_stage) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < d->n; i++)
        if (isfinite(d->cx[i]) && d->stage_of[i] < d->nstages)
            per_stage[d->stage_of[i]]++;
    for (size_t s = 0; s < d->nstages; s++)
        slots += per_stage[s] ? per_stage[s] : 2;
    double slot_w = slots ? (right - left) / (double)slots : right - left;
    tp__svg_scale y = {0, 100, bottom, top};
    tp__svg_axis_left(b, &y, left, right, 20, "CX index (0-100)");
    /* Stage bands, stage bars and names. */
    double x = left;
    double *slot_x = tp__calloc(d->n ? d->n : 1, sizeof *slot_x);
    if (!slot_x) {
        tp__free(per_stage);
        b->failed = 1;
        return;
    }
    for (size_t s = 0; s < d->nstages; s++) {
        size_t k = per_stage[s] ? per_stage[s] : 2;
        double w = k * slot_w;
        tp__sb_printf(b,
                   "<rect class=\"band%zu\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                   s % 2, x, top - 30, w, bottom - top + 30);
        char head[64];
        if (isfinite(d->stage_cx[s]))
            tp__snprintf_c(head, sizeof head, "index %.1f", d->stage_cx[s]);
        else
            tp__snprintf_c(head, sizeof head, "no feedback");
        tp__svg_text_fit(b, x + w / 2, top - 16, "middle", "stage", d->stages[s], (size_t)(w / 8));
        tp__svg_text_fit(b, x + w / 2, top - 3, "middle", "note", head, (size_t)(w / 6));
        if (isfinite(d->stage_cx[s]))
            tp__sb_printf(b,
                       "<line class=\"stagebar\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\"/>",
                       x + 4, tp__svg_map(&y, d->stage_cx[s]), x + w - 4, tp__svg_map(&y, d->stage_cx[s]));
        size_t j = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->stage_of[i] == s && isfinite(d->cx[i]))
                slot_x[i] = x + (j++ + 0.5) * slot_w;
        x += w;
    }
    /* Overall reference. */
    if (isfinite(d->overall)) {
        double py = tp__svg_map(&y, d->overall);
        tp__sb_printf(b, "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", left,
                   py, right, py);
    }
    /* The curve: a smooth path through the points in journey order
     * (Catmull-Rom segments written as cubic Beziers). */
    size_t *order = tp__malloc((d->n ? d->n : 1) * sizeof *order);
    size_t m = 0;
    if (!order) {
        tp__free(per_stage);
        tp__free(slot_x);
        b->failed = 1;
        return;
    }
    for (size_t s = 0; s < d->nstages; s++)
        for (size_t i = 0; i < d->n; i++)
            if (d->stage_of[i] == s && isfinite(d->cx[i]))
                order[m++] = i;
    if (m > 1) {
        tp__sb_puts(b, "<path class=\"curve\" d=\"");
        for (size_t k = 0; k < m; k++) {
            double px = slot_x[order[k]], py = tp__svg_map(&y, d->cx[order[k]]);
            if (k == 0) {
                tp__sb_printf(b, "M%.1f %.1f", px, py);
                continue;
            }
            size_t a = order[k >= 2 ? k - 2 : 0], p = order[k - 1], c = order[k],
                   e = order[k + 1 < m ? k + 1 : k];
            double ax = slot_x[a], ay = tp__svg_map(&y, d->cx[a]), bx = slot_x[p],
                   by = tp__svg_map(&y, d->cx[p]), cxx = slot_x[c], cy = tp__svg_map(&y, d->cx[c]),
                   ex = slot_x[e], ey = tp__svg_map(&y, d->cx[e]);
            /* Control points stay between the two ends' heights, so the curve
             * never dips below or above the values it joins. */
            double ylo = fmin(by, cy), yhi = fmax(by, cy);
            tp__sb_printf(b, "C%.1f %.1f %.1f %.1f %.1f %.1f", bx + (cxx - ax) / 6,
                       fmin(yhi, fmax(ylo, by + (cy - ay) / 6)), cxx - (ex - bx) / 6,
                       fmin(yhi, fmax(ylo, cy - (ey - by) / 6)), cxx, cy);
        }
        tp__sb_puts(b, "\"/>\n");
    }
    for (size_t k = 0; k < m; k++) {
        size_t i = order[k];
        double px = slot_x[i], py = tp__svg_map(&y, d->cx[i]);
        const char *fill = d->cx[i] < d->overall - 5   ? BAD_FILL
                           : d->cx[i] > d->overall + 5 ? GOOD_FILL
                                                       : MID_FILL;
        tp__sb_puts(b, "<g class=\"point\"><title>");
        hover_label(b, d->labels, d->ids, i);
        tp__sb_printf(b, ": %.1f</title>", d->cx[i]);
        tp__svg_marker(b, 0, px, py, 5.5, fill);
        tp__sb_puts(b, "</g>");
        tp__sb_printf(b, "<text class=\"tick\" text-anchor=\"end\" transform=\"translate(%.1f %.1f) "
                      "rotate(-40)\">",
                   px + 3, bottom + 14);
        tp__sb_xml(b, d->labels[i]);
        tp__sb_puts(b, "</text>");
    }
    if (m == 0)
        empty_note(b, WIDTH, (top + bottom) / 2, "No touchpoint has feedback to score.");
    static const char *const legend[] = {"below overall - 5", "within 5 of overall",
                                         "above overall + 5"};
    static const char *const fills[] = {BAD_FILL, MID_FILL, GOOD_FILL};
    double lx = left;
    tp__sb_puts(b, "<g class=\"legend\">");
    for (size_t k = 0; k < 3; k++) {
        tp__svg_marker(b, 0, lx + 6, H - 14, 5, fills[k]);
        tp__svg_text(b, lx + 16, H - 10, "start", NULL, legend[k]);
        lx += 30 + tp__svg_text_width(legend[k], 12);
    }
    tp__sb_printf(b, "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", lx,
               H - 14, lx + 24, H - 14);
    tp__svg_text(b, lx + 30, H - 10, "start", NULL, "overall");
    lx += 40 + tp__svg_text_width("overall", 12);
    tp__sb_printf(b, "<line class=\"stagebar\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
               lx, H - 14, lx + 24, H - 14);
    tp__svg_text(b, lx + 30, H - 10, "start", NULL, "stage index");
    tp__sb_puts(b, "</g>\n");
    tp__free(order);
    tp__free(slot_x);
    tp__free(per_stage);
    tp__svg_close(b);
}

/* ---- rows: intervals and diverging bars ------------------------------------------- */

enum { ROW_H = 20, LABEL_W = 170 };

void tp__chart_intervals(tp__strbuf *b, const char *id, const char *title, const char *axis,
                     const char *const *labels, const char *const *ids, const double *est,
                     const double *lo, const double *hi, size_t n, double dlo, double dhi,
                     double ref, const char *ref_label)
{
    const double top = 40, left = LABEL_W, right = WIDTH - 60;
    double H = top + (n ? n : 1) * ROW_H + 50;
    tp__svg_open(b, id, WIDTH, H, title, "Point estimates with their confidence intervals, one row each.");
    tp__svg_title(b, WIDTH, title);
    double step = tp__svg_nice(&dlo, &dhi, 8);
    tp__svg_scale x = {dlo, dhi, left, right};
    double bottom = top + n * ROW_H;
    tp__svg_grid_x(b, &x, step, top, bottom);
    if (isfinite(ref)) {
        double px = tp__svg_map(&x, ref);
        tp__sb_printf(b, "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", px,
                   top - 4, px, bottom);
        if (ref_label)
            tp__svg_text(b, px + 4, top - 6, "start", "note", ref_label);
    }
    for (size_t i = 0; i < n; i++) {
        double cy = top + (i + 0.5) * ROW_H;
        tp__svg_text_fit(b, left - 8, cy + 4, "end", NULL, labels[i], 26);
        if (!isfinite(est[i]))
            continue;
        tp__sb_puts(b, "<g class=\"point\"><title>");
        hover_label(b, labels, ids, i);
        tp__sb_printf(b, ": %.1f [%.1f, %.1f]</title>", est[i], lo[i], hi[i]);
        if (isfinite(lo[i]) && isfinite(hi[i]))
            tp__sb_printf(b,
                       "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                       "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                       "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                       tp__svg_map(&x, lo[i]), cy, tp__svg_map(&x, hi[i]), cy, tp__svg_map(&x, lo[i]), cy - 4,
                       tp__svg_map(&x, lo[i]), cy + 4, tp__svg_map(&x, hi[i]), cy - 4, tp__svg_map(&x, hi[i]),
                       cy + 4);
        tp__svg_marker(b, 1, tp__svg_map(&x, est[i]), cy, 4, isfinite(ref) && est[i] < ref ? BAD_FILL
                                                                                    : GOOD_FILL);
        tp__sb_puts(b, "</g>");
        tp__svg_number(b, right + 8, cy + 4, "start", "tick", est[i], 1);
    }
    if (n == 0)
        empty_note(b, WIDTH, top + ROW_H / 2 + 4, "No touchpoint has responses to show.");
    tp__svg_axis_bottom(b, &x, bottom + 4, step, axis);
    tp__svg_close(b);
}

void tp__chart_diverging(tp__strbuf *b, const char *id, const char *title, const char *axis,
                     const char *const *labels, const char *const *ids, const double *values,
                     const int *kind, size_t n, const char *const names[2])
{
    const double top = 40, left = LABEL_W, right = WIDTH - 60;
    double H = top + (n ? n : 1) * ROW_H + 70;
    tp__svg_open(b, id, WIDTH, H, title, "Bars from zero, one row each; shade shows the kind.");
    tp__svg_title(b, WIDTH, title);
    double lo, hi;
    range_of(values, n, &lo, &hi);
    lo = fmin(isfinite(lo) ? lo : 0, 0);
    hi = fmax(isfinite(hi) ? hi : 0, 0);
    /* Room for the value printed beyond the end of the longest bars. */
    double pad = (hi - lo) * 0.12;
    lo -= lo < 0 ? pad : 0;
    hi += hi > 0 ? pad : 0;
    double step = tp__svg_nice(&lo, &hi, 8);
    tp__svg_scale x = {lo, hi, left, right};
    double bottom = top + n * ROW_H, zero = tp__svg_map(&x, 0);
    for (size_t i = 0; i < n; i++) {
        double cy = top + (i + 0.5) * ROW_H;
        tp__svg_text_fit(b, left - 8, cy + 4, "end", NULL, labels[i], 26);
        if (!isfinite(values[i]))
            continue;
        double px = tp__svg_map(&x, values[i]);
        tp__sb_printf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                   "stroke=\"#111\"><title>",
                   fmin(px, zero), cy - ROW_H * 0.35, fabs(px - zero), (int)(ROW_H * 0.7),
                   kind[i] ? GOOD_FILL : BAD_FILL);
        hover_label(b, labels, ids, i);
        tp__sb_printf(b, ": %.1f</title></rect>", values[i]);
        tp__svg_number(b, values[i] < 0 ? px - 4 : px + 4, cy + 4, values[i] < 0 ? "end" : "start",
                   "tick", values[i], 1);
    }
    tp__sb_printf(b, "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", zero,
               top - 4, zero, bottom);
    if (n == 0)
        empty_note(b, WIDTH, top + ROW_H / 2 + 4,
                   "No pain point or bright spot: too few responses, or none apart from the rest.");
    tp__svg_axis_bottom(b, &x, bottom + 4, step, axis);
    tp__sb_puts(b, "<g class=\"legend\">");
    tp__sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\" stroke=\"#111\"/>",
               left, H - 20, BAD_FILL);
    tp__svg_text(b, left + 20, H - 10, "start", NULL, names[0]);
    double lx = left + 40 + tp__svg_text_width(names[0], 12);
    tp__sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\" stroke=\"#111\"/>",
               lx, H - 20, GOOD_FILL);
    tp__svg_text(b, lx + 20, H - 10, "start", NULL, names[1]);
    tp__sb_puts(b, "</g>\n");
    tp__svg_close(b);
}

/* ---- importance-performance ----------------------------------------------------------- */

void tp__chart_quadrants(tp__strbuf *b, const char *id, const char *title, const tp__chart_quadrant_data *d)
{
    const double H = 440, left = 80, right = WIDTH - 30, top = 40, bottom = H - 60;
    tp__svg_open(b, id, WIDTH, H, title,
             "Each touchpoint by its performance (x) and its importance to the outcome (y); "
             "dashed lines at the means split the four quadrants.");
    tp__svg_title(b, WIDTH, title);
    double xlo, xhi, ylo, yhi;
    range_of(d->x, d->n, &xlo, &xhi);
    range_of(d->y, d->n, &ylo, &yhi);
    if (!isfinite(xlo)) {
        xlo = 0;
        xhi = 100;
    }
    if (!isfinite(ylo)) {
        ylo = 0;
        yhi = 1;
    }
    xlo = fmax(0, xlo - 5);
    xhi = fmin(100, xhi + 5);
    ylo = fmin(ylo, 0);
    double xs = tp__svg_nice(&xlo, &xhi, 8), ys = tp__svg_nice(&ylo, &yhi, 6);
    tp__svg_scale x = {xlo, xhi, left, right}, y = {ylo, yhi, bottom, top};
    tp__svg_axis_left(b, &y, left, right, ys, d->yaxis);
    tp__svg_axis_bottom(b, &x, bottom, xs, d->xaxis);
    if (isfinite(d->xref) && isfinite(d->yref)) {
        double px = tp__svg_map(&x, d->xref), py = tp__svg_map(&y, d->yref);
        tp__sb_printf(b,
                   "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                   "<line class=\"ref\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                   px, top, px, bottom, left, py, right, py);
    }
    tp__svg_text(b, left + 8, top + 14, "start", "quadrant", d->corner[0]);
    tp__svg_text(b, right - 8, top + 14, "end", "quadrant", d->corner[1]);
    tp__svg_text(b, left + 8, bottom - 8, "start", "quadrant", d->corner[2]);
    tp__svg_text(b, right - 8, bottom - 8, "end", "quadrant", d->corner[3]);
    double placed[64][3]; /* x, baseline, width of the labels drawn so far */
    size_t nplaced = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(d->x[i]) || !isfinite(d->y[i]))
            continue;
        double px = tp__svg_map(&x, d->x[i]), py = tp__svg_map(&y, d->y[i]);
        int high = d->y[i] >= d->yref, good = d->x[i] >= d->xref;
        tp__sb_puts(b, "<g class=\"point\"><title>");
        hover_label(b, d->labels, d->ids, i);
        tp__sb_printf(b, ": performance %.1f, importance %.3f</title>", d->x[i], d->y[i]);
        tp__svg_marker(b, high && !good ? 1 : 0, px, py, 5, high && !good ? BAD_FILL : GOOD_FILL);
        tp__sb_puts(b, "</g>");
        int flip = px > right - 120;
        double w = tp__svg_text_width(d->labels[i], 11), lx0 = flip ? px - 8 - w : px + 8;
        double ly = py - 6;
        /* Move a label down until it clears the ones already placed. */
        for (int tries = 0; tries < 8; tries++) {
            int clash = 0;
            for (size_t k = 0; k < nplaced && !clash; k++)
                clash = fabs(placed[k][1] - ly) < 11 && lx0 < placed[k][0] + placed[k][2] &&
                        placed[k][0] < lx0 + w;
            if (!clash)
                break;
            ly += 12;
        }
        if (nplaced < sizeof placed / sizeof placed[0]) {
            placed[nplaced][0] = lx0;
            placed[nplaced][1] = ly;
            placed[nplaced++][2] = w;
        }
        tp__svg_text(b, flip ? px - 8 : px + 8, ly, flip ? "end" : "start", "tick", d->labels[i]);
    }
    if (d->n == 0)
        empty_note(b, WIDTH, H / 2, "Not enough customers with both experience and outcome.");
    tp__svg_close(b);
}

/* ---- funnel ---------------------------------------------------------------------------- */

void tp__chart_funnel(tp__strbuf *b, const char *id, const char *title, const char *const *labels,
                  const double *customers, size_t n)
{
    const double top = 40, bar_h = 30, gap = 26, left = LABEL_W, right = WIDTH - 150;
    double H = top + (n ? n : 1) * (bar_h + gap) + 30;
    tp__svg_open(b, id, WIDTH, H, title,
             "Customers reaching each funnel step, with the share of the first step and the "
             "number who dropped out between steps.");
    tp__svg_title(b, WIDTH, title);
    double first = n && customers[0] > 0 ? customers[0] : 1;
    double y = top;
    for (size_t i = 0; i < n; i++) {
        char label[80], count[48];
        tp__snprintf_c(label, sizeof label, "%zu. %s", i + 1, labels[i]);
        tp__svg_text_fit(b, left - 8, y + bar_h / 2 + 4, "end", NULL, label, 26);
        double w = (right - left) * fmax(0, customers[i]) / first;
        /* Centred bars give the funnel shape. */
        double x0 = left + ((right - left) - w) / 2;
        tp__sb_printf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
                   "stroke=\"#111\"/>",
                   x0, y, fmax(w, 1), bar_h, tp__svg_series_color(i, n));
        tp__svg_format_count(count, sizeof count, customers[i]);
        tp__sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">", right + 8, y + bar_h / 2 + 4);
        tp__sb_xml(b, count);
        tp__sb_printf(b, " (%.1f%%)</text>", 100 * customers[i] / first);
        if (i + 1 < n) {
            double lost = customers[i] - customers[i + 1];
            char drop[96], num[48];
            tp__svg_format_count(num, sizeof num, lost);
            tp__snprintf_c(drop, sizeof drop, "\xe2\x86\x93 %s dropped (%.1f%% of step %zu)", num,
                     customers[i] > 0 ? 100 * lost / customers[i] : 0.0, i + 1);
            tp__svg_text(b, (left + right) / 2, y + bar_h + gap / 2 + 5, "middle",
                     lost > 0 ? "drop" : "note", drop);
        }
        y += bar_h + gap;
    }
    if (n == 0)
        empty_note(b, WIDTH, top + 30, "No funnel steps.");
    tp__svg_text(b, (left + right) / 2, H - 12, "middle", "label",
             "bar width: customers who reached the step (share of step 1)");
    tp__svg_text(b, left - 8, H - 12, "end", "label", "step");
    tp__svg_close(b);
}

/* ---- Sankey ---------------------------------------------------------------------------- */

static int node_cmp(const void *pa, const void *pb)
{
    const tp__chart_node *a = pa, *b = pb;
    if (a->column != b->column)
        return a->column - b->column;
    double va = fmax(a->in, a->out), vb = fmax(b->in, b->out);
    if (va != vb)
        return va > vb ? -1 : 1;
    return strcmp(a->name, b->name);
}

static size_t node_find(const tp__chart_node *nodes, size_t count, int column, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (nodes[i].column == column && !strcmp(nodes[i].name, name))
            return i;
    return (size_t)-1;
}

int tp__chart_sankey_layout(const tp__chart_edge *edges, size_t n, double height, double gap,
                        tp__chart_node **out, size_t *count)
{
    tp__chart_node *nodes = tp__calloc(2 * n + 1, sizeof *nodes);
    size_t k = 0;
    if (!nodes)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!(edges[i].value > 0) || edges[i].step < 1)
            continue;
        for (int side = 0; side < 2; side++) {
            int col = edges[i].step - 1 + side;
            const char *name = side ? edges[i].to : edges[i].from;
            size_t j = node_find(nodes, k, col, name);
            if (j == (size_t)-1) {
                j = k++;
                nodes[j].column = col;
                nodes[j].name = name;
            }
            if (side)
                nodes[j].in += edges[i].value;
            else
                nodes[j].out += edges[i].value;
        }
    }
    qsort(nodes, k, sizeof *nodes, node_cmp);
    /* One scale for every column: the fullest column fills the band. */
    double scale = INFINITY;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        double total = 0;
        while (j < k && nodes[j].column == nodes[i].column)
            total += fmax(nodes[j].in, nodes[j].out), j++;
        double room = height - gap * (double)(j - i - 1);
        if (total > 0 && room > 0)
            scale = fmin(scale, room / total);
        i = j;
    }
    if (!isfinite(scale))
        scale = 0;
    for (size_t i = 0; i < k;) {
        double y = 0;
        size_t j = i;
        for (; j < k && nodes[j].column == nodes[i].column; j++) {
            nodes[j].y = y;
            nodes[j].h = fmax(nodes[j].in, nodes[j].out) * scale;
            y += nodes[j].h + gap;
        }
        i = j;
    }
    *out = nodes;
    *count = k;
    return 0;
}

void tp__chart_sankey(tp__strbuf *b, const char *id, const char *title, const tp__chart_edge *edges,
                      size_t n, tp__chart_namer name_of, const void *ctx)
{
    const double H = 460, top = 40, band = H - top - 30, left = 20, right = WIDTH - 20,
                 node_w = 10;
    tp__svg_open(b, id, WIDTH, H, title,
             "Journey flow: each column is a step of the journey, each band a transition "
             "between touchpoints, its width the number of journeys.");
    tp__svg_title(b, WIDTH, title);
    tp__chart_node *nodes = NULL;
    size_t k = 0;
    if (tp__chart_sankey_layout(edges, n, band, 8, &nodes, &k)) {
        b->failed = 1;
        tp__svg_close(b);
        return;
    }
    int columns = 0;
    for (size_t i = 0; i < k; i++)
        columns = nodes[i].column + 1 > columns ? nodes[i].column + 1 : columns;
    double col_w = columns > 1 ? (right - left - node_w) / (columns - 1) : 0;
    double scale = 0;
    for (size_t i = 0; i < k; i++)
        if (fmax(nodes[i].in, nodes[i].out) > 0)
            scale = fmax(scale, nodes[i].h / fmax(nodes[i].in, nodes[i].out));
    /* A ribbon leaves its source below the ribbons to higher targets and
     * enters its target below the ribbons from higher sources, so ribbons
     * cross only where the flows really cross. */
    size_t *src = tp__malloc((n + 1) * sizeof *src), *dst = tp__malloc((n + 1) * sizeof *dst),
           *ord = tp__malloc((n + 1) * sizeof *ord);
    double *y0 = tp__malloc((n + 1) * sizeof *y0), *y1 = tp__malloc((n + 1) * sizeof *y1),
           *off = tp__calloc(k + 1, sizeof *off);
    if (!src || !dst || !ord || !y0 || !y1 || !off) {
        b->failed = 1;
    } else {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (!(edges[i].value > 0) || edges[i].step < 1)
                continue;
            src[i] = node_find(nodes, k, edges[i].step - 1, edges[i].from);
            dst[i] = node_find(nodes, k, edges[i].step, edges[i].to);
            ord[m++] = i;
        }
        for (int pass = 0; pass < 2; pass++) {
            /* pass 0: order by (source, target's height); pass 1: (target, source's). */
            const size_t *own = pass ? dst : src, *other = pass ? src : dst;
            for (size_t i = 1; i < m; i++)
                for (size_t j = i; j > 0; j--) {
                    size_t a = ord[j - 1], c = ord[j];
                    int after = own[a] != own[c] ? own[a] > own[c]
                                                 : nodes[other[a]].y > nodes[other[c]].y;
                    if (!after)
                        break;
                    ord[j - 1] = c;
                    ord[j] = a;
                }
            memset(off, 0, (k + 1) * sizeof *off);
            for (size_t i = 0; i < m; i++) {
                size_t e = ord[i];
                double *y = pass ? y1 : y0;
                y[e] = top + nodes[own[e]].y + off[own[e]];
                off[own[e]] += edges[e].value * scale;
            }
        }
        tp__sb_puts(b, "<g class=\"ribbons\">");
        for (size_t i = 0; i < n; i++) {
            if (!(edges[i].value > 0) || edges[i].step < 1)
                continue;
            double w = edges[i].value * scale;
            double x0 = left + nodes[src[i]].column * col_w + node_w,
                   x1 = left + nodes[dst[i]].column * col_w, xm = (x0 + x1) / 2;
            tp__sb_printf(b,
                       "<path class=\"ribbon\" d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1fL%.1f "
                       "%.1fC%.1f %.1f %.1f %.1f %.1f %.1fZ\"><title>",
                       x0, y0[i], xm, y0[i], xm, y1[i], x1, y1[i], x1, y1[i] + w, xm, y1[i] + w,
                       xm, y0[i] + w, x0, y0[i] + w);
            tp__sb_xml(b, edges[i].from);
            tp__sb_puts(b, " \xe2\x86\x92 ");
            tp__sb_xml(b, edges[i].to);
            tp__sb_printf(b, ": %.0f</title></path>", edges[i].value);
        }
        tp__sb_puts(b, "</g>\n");
    }
    tp__free(src);
    tp__free(dst);
    tp__free(ord);
    tp__free(y0);
    tp__free(y1);
    tp__free(off);
    for (size_t i = 0; i < k; i++) {
        double x = left + nodes[i].column * col_w, y = top + nodes[i].y;
        int end = !strcmp(nodes[i].name, "(end)");
        const char *label = name_of ? name_of(ctx, nodes[i].name) : nodes[i].name;
        tp__sb_printf(b,
                   "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"><title>",
                   end ? "node end" : "node", x, y, node_w, fmax(nodes[i].h, 1));
        hover_label(b, &label, &nodes[i].name, 0);
        tp__sb_printf(b, ": %.0f</title></rect>", fmax(nodes[i].in, nodes[i].out));
        if (nodes[i].h >= 9) {
            int last = nodes[i].column == columns - 1;
            tp__svg_text_fit(b, last ? x - 4 : x + node_w + 4, y + fmin(nodes[i].h / 2, 12) + 4,
                         last ? "end" : "start", "tick", label, 22);
        }
    }
    for (int c = 0; c < columns; c++) {
        char head[32];
        tp__snprintf_c(head, sizeof head, "step %d", c + 1);
        tp__svg_text(b, left + c * col_w + (c == columns - 1 ? node_w : 0), H - 10,
                 c == 0 ? "start" : c == columns - 1 ? "end" : "middle", "label", head);
    }
    if (k == 0)
        empty_note(b, WIDTH, H / 2, "No journeys.");
    tp__free(nodes);
    tp__svg_close(b);
}

/* ---- dot plot ------------------------------------------------------------------------- */

void tp__chart_dots(tp__strbuf *b, const char *id, const char *title, const char *axis,
                const char *const *categories, size_t ncat, const char *const *series,
                size_t nseries, const double *values)
{
    const double top = 60, left = LABEL_W, right = WIDTH - 30, row = 24;
    double H = top + (ncat ? ncat : 1) * row + 50;
    tp__svg_open(b, id, WIDTH, H, title,
             "One row per touchpoint, one marker per model; markers differ by shape and shade.");
    tp__svg_title(b, WIDTH, title);
    tp__svg_legend(b, left, 44, series, nseries, 1);
    double lo, hi;
    range_of(values, ncat * nseries, &lo, &hi);
    lo = 0;
    hi = isfinite(hi) ? hi : 1;
    double step = tp__svg_nice(&lo, &hi, 8);
    tp__svg_scale x = {lo, hi, left, right};
    double bottom = top + ncat * row;
    tp__svg_grid_x(b, &x, step, top, bottom);
    for (size_t c = 0; c < ncat; c++) {
        double cy = top + (c + 0.5) * row;
        tp__svg_text_fit(b, left - 8, cy + 4, "end", NULL, categories[c], 26);
        double vlo = INFINITY, vhi = -INFINITY;
        for (size_t s = 0; s < nseries; s++) {
            double v = values[c * nseries + s];
            if (isfinite(v)) {
                vlo = fmin(vlo, v);
                vhi = fmax(vhi, v);
            }
        }
        if (isfinite(vlo))
            tp__sb_printf(b, "<line class=\"span\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                       tp__svg_map(&x, vlo), cy, tp__svg_map(&x, vhi), cy);
        for (size_t s = 0; s < nseries; s++) {
            double v = values[c * nseries + s];
            if (!isfinite(v))
                continue;
            tp__sb_puts(b, "<g class=\"point\"><title>");
            tp__sb_xml(b, categories[c]);
            tp__sb_puts(b, ", ");
            tp__sb_xml(b, series[s]);
            tp__sb_printf(b, ": %.1f</title>", v);
            tp__svg_marker(b, s, tp__svg_map(&x, v), cy, 4.5, tp__svg_series_color(s, nseries));
            tp__sb_puts(b, "</g>");
        }
    }
    if (ncat == 0)
        empty_note(b, WIDTH, top + 30, "No conversions to attribute.");
    tp__svg_axis_bottom(b, &x, bottom + 4, step, axis);
    tp__svg_close(b);
}

/* ---- lines ------------------------------------------------------------------------- */

void tp__chart_lines(tp__strbuf *b, const char *id, const char *title, const char *axis,
                 const char *const *xlabels, const char *const *notes, size_t nx,
                 const char *const *series, size_t nseries, const double *values)
{
    const double H = 380, left = 80, right = WIDTH - 30, top = 60, bottom = H - 70;
    tp__svg_open(b, id, WIDTH, H, title, "One line per series over time; lines differ by dash "
                                     "pattern, marker shape and shade.");
    tp__svg_title(b, WIDTH, title);
    tp__svg_legend(b, left, 44, series, nseries, 1);
    double lo, hi;
    range_of(values, nx * nseries, &lo, &hi);
    if (!isfinite(lo)) {
        lo = 0;
        hi = 100;
    }
    double step = tp__svg_nice(&lo, &hi, 6);
    tp__svg_scale y = {lo, hi, bottom, top};
    tp__svg_axis_left(b, &y, left, right, step, axis);
    double slot = nx ? (right - left) / (double)nx : 0;
    tp__sb_printf(b, "<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", left,
               bottom, right, bottom);
    for (size_t i = 0; i < nx; i++) {
        double px = left + (i + 0.5) * slot;
        tp__sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", px, bottom, px,
                   bottom + 5);
        tp__svg_text(b, px, bottom + 18, "middle", "tick", xlabels[i]);
        if (notes && notes[i])
            tp__svg_text(b, px, bottom + 32, "middle", "note", notes[i]);
    }
    tp__svg_text(b, (left + right) / 2, H - 12, "middle", "label", "period");
    tp__sb_puts(b, "</g>\n");
    for (size_t s = 0; s < nseries; s++) {
        const double *v = values + s * nx;
        const char *color = tp__svg_series_color(s, nseries);
        /* A gap in the data breaks the line. */
        int pen = 0;
        tp__sb_printf(b,
                   "<path class=\"line\" stroke=\"%s\" stroke-dasharray=\"%s\" d=\"", color,
                   tp__svg_dash(s));
        for (size_t i = 0; i < nx; i++) {
            if (!isfinite(v[i])) {
                pen = 0;
                continue;
            }
            tp__sb_printf(b, "%c%.1f %.1f", pen ? 'L' : 'M', left + (i + 0.5) * slot,
                       tp__svg_map(&y, v[i]));
            pen = 1;
        }
        tp__sb_puts(b, "\"/>");
        for (size_t i = 0; i < nx; i++) {
            if (!isfinite(v[i]))
                continue;
            tp__sb_puts(b, "<g class=\"point\"><title>");
            tp__sb_xml(b, series[s]);
            tp__sb_puts(b, ", ");
            tp__sb_xml(b, xlabels[i]);
            tp__sb_printf(b, ": %.1f</title>", v[i]);
            tp__svg_marker(b, s, left + (i + 0.5) * slot, tp__svg_map(&y, v[i]), 4, color);
            tp__sb_puts(b, "</g>");
        }
        tp__sb_puts(b, "\n");
    }
    if (nx == 0)
        empty_note(b, WIDTH, H / 2, "No dated feedback.");
    tp__svg_close(b);
}
