/* Drawing helpers for the report's inline SVG charts. */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/numtext.h"

double tp__svg_map(const tp__svg_scale *s, double v)
{
    double span = s->d1 - s->d0;
    if (span == 0)
        return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) / span * (s->r1 - s->r0);
}

double tp__svg_tick_step(double lo, double hi, int max_ticks)
{
    if (!isfinite(lo) || !isfinite(hi) || hi <= lo || max_ticks < 1)
        return 0;
    double rough = (hi - lo) / max_ticks;
    double mag = pow(10, floor(log10(rough)));
    static const double nice[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
        if (nice[i] * mag >= rough * (1 - 1e-9))
            return nice[i] * mag;
    return 10 * mag;
}

double tp__svg_nice(double *lo, double *hi, int max_ticks)
{
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0;
        *hi = 1;
    }
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*hi == *lo) {
        double pad = *lo == 0 ? 1 : fabs(*lo) * 0.1;
        *lo -= pad;
        *hi += pad;
    }
    double step = tp__svg_tick_step(*lo, *hi, max_ticks);
    /* Widening can add a tick: recompute once on the widened range. */
    for (int pass = 0; pass < 2; pass++) {
        *lo = floor(*lo / step + 1e-9) * step;
        *hi = ceil(*hi / step - 1e-9) * step;
        double again = tp__svg_tick_step(*lo, *hi, max_ticks);
        if (again == step)
            break;
        step = again;
    }
    return step;
}

int tp__svg_step_decimals(double step)
{
    if (!(step > 0) || !isfinite(step))
        return 0;
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6 * step * pow(10, d))
        d++;
    return d;
}

void tp__svg_format_count(char *out, size_t size, double v)
{
    char digits[64];
    if (!isfinite(v) || fabs(v) >= 1e18) {
        tp__snprintf_c(out, size, "%g", v);
        return;
    }
    tp__snprintf_c(digits, sizeof digits, "%.0f", fabs(v));
    if (!strcmp(digits, "0"))
        v = 0;
    size_t n = strlen(digits), k = 0;
    char tmp[96];
    if (v < 0)
        tmp[k++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    tp__snprintf_c(out, size, "%s", tmp);
}

/* Samples of a dark-blue to light-yellow ramp (viridis-like): relative
 * luminance rises monotonically, so series order survives grey-scale printing. */
static const char *const ramp[] = {"#2d1e5c", "#3b4a8c", "#2f6f8e", "#22908b",
                                   "#3aad78", "#7fc858", "#c2dc3c"};
enum { RAMP = sizeof ramp / sizeof ramp[0] };

static size_t ramp_index(size_t i, size_t n)
{
    if (n <= 1)
        return 2;
    if (n >= RAMP)
        return i % RAMP;
    /* Spread n series over the whole ramp. */
    return (size_t)lround((double)i * (RAMP - 1) / (double)(n - 1));
}

const char *tp__svg_series_color(size_t i, size_t n) { return ramp[ramp_index(i, n)]; }

const char *tp__svg_series_ink(size_t i, size_t n) { return ramp_index(i, n) >= 3 ? "#111" : "#fff"; }

const char *tp__svg_dash(size_t i)
{
    static const char *const dashes[] = {"", "6 3", "2 3", "8 3 2 3", "12 4", "1 2"};
    return dashes[i % (sizeof dashes / sizeof dashes[0])];
}

void tp__svg_marker(tp__strbuf *b, size_t shape, double x, double y, double r, const char *fill)
{
    switch (shape % 5) {
    case 0:
        tp__sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#111\"/>", x,
                   y, r, fill);
        break;
    case 1:
        tp__sb_printf(b,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                   "stroke=\"#111\"/>",
                   x - r, y - r, 2 * r, 2 * r, fill);
        break;
    case 2:
        tp__sb_printf(b,
                   "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" stroke=\"#111\"/>", x,
                   y - 1.2 * r, x + 1.1 * r, y + 0.8 * r, x - 1.1 * r, y + 0.8 * r, fill);
        break;
    case 3:
        tp__sb_printf(b,
                   "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" "
                   "stroke=\"#111\"/>",
                   x, y - 1.3 * r, x + 1.3 * r, y, x, y + 1.3 * r, x - 1.3 * r, y, fill);
        break;
    default:
        tp__sb_printf(b,
                   "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" stroke=\"#111\"/>", x,
                   y + 1.2 * r, x + 1.1 * r, y - 0.8 * r, x - 1.1 * r, y - 0.8 * r, fill);
    }
}

void tp__svg_open(tp__strbuf *b, const char *id, double width, double height, const char *title,
              const char *desc)
{
    tp__sb_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tp-chart\" role=\"img\" id=\"");
    tp__sb_xml(b, id);
    tp__sb_printf(b, "\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" aria-labelledby=\"",
               width, height, width, height);
    tp__sb_xml(b, id);
    tp__sb_puts(b, "-t ");
    tp__sb_xml(b, id);
    tp__sb_puts(b, "-d\"><title id=\"");
    tp__sb_xml(b, id);
    tp__sb_puts(b, "-t\">");
    tp__sb_xml(b, title);
    tp__sb_puts(b, "</title><desc id=\"");
    tp__sb_xml(b, id);
    tp__sb_puts(b, "-d\">");
    tp__sb_xml(b, desc);
    tp__sb_puts(b, "</desc>\n");
}

void tp__svg_close(tp__strbuf *b) { tp__sb_puts(b, "</svg>\n"); }

void tp__svg_title(tp__strbuf *b, double width, const char *title)
{
    tp__svg_text(b, width / 2, 20, "middle", "title", title);
}

static void text_open(tp__strbuf *b, double x, double y, const char *anchor, const char *cls)
{
    tp__sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (anchor && strcmp(anchor, "start"))
        tp__sb_printf(b, " text-anchor=\"%s\"", anchor);
    if (cls)
        tp__sb_printf(b, " class=\"%s\"", cls);
    tp__sb_puts(b, ">");
}

void tp__svg_text(tp__strbuf *b, double x, double y, const char *anchor, const char *cls, const char *text)
{
    text_open(b, x, y, anchor, cls);
    tp__sb_xml(b, text);
    tp__sb_puts(b, "</text>");
}

void tp__svg_text_fit(tp__strbuf *b, double x, double y, const char *anchor, const char *cls,
                  const char *text, size_t max_chars)
{
    size_t chars = 0, cut = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80 && ++chars == max_chars)
            cut = (size_t)((const char *)p - text);
    if (chars <= max_chars || max_chars < 2) {
        tp__svg_text(b, x, y, anchor, cls, text);
        return;
    }
    /* Keep max_chars - 1 characters and add an ellipsis; the full text goes in
     * a <title> so it shows on hover. */
    text_open(b, x, y, anchor, cls);
    tp__sb_puts(b, "<title>");
    tp__sb_xml(b, text);
    tp__sb_puts(b, "</title>");
    char tmp[512];
    if (cut >= sizeof tmp)
        cut = sizeof tmp - 1;
    memcpy(tmp, text, cut);
    tmp[cut] = '\0';
    tp__sb_xml(b, tmp);
    tp__sb_puts(b, "\xe2\x80\xa6</text>");
}

void tp__svg_number(tp__strbuf *b, double x, double y, const char *anchor, const char *cls, double v,
                int decimals)
{
    text_open(b, x, y, anchor, cls);
    tp__sb_number(b, v, decimals);
    tp__sb_puts(b, "</text>");
}

static void tick_label(tp__strbuf *b, double x, double y, const char *anchor, double v, double step)
{
    if (fabs(v) >= 10000 && tp__svg_step_decimals(step) == 0) {
        char t[64];
        tp__svg_format_count(t, sizeof t, v);
        tp__svg_text(b, x, y, anchor, "tick", t);
    } else {
        tp__svg_number(b, x, y, anchor, "tick", v, tp__svg_step_decimals(step));
    }
}

void tp__svg_axis_bottom(tp__strbuf *b, const tp__svg_scale *x, double y, double step, const char *label)
{
    double lo = fmin(x->d0, x->d1), hi = fmax(x->d0, x->d1);
    tp__sb_printf(b, "<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
               x->r0, y, x->r1, y);
    if (step > 0)
        for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
            double px = tp__svg_map(x, v);
            tp__sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", px, y, px,
                       y + 5);
            tick_label(b, px, y + 17, "middle", fabs(v) < step * 1e-9 ? 0 : v, step);
        }
    if (label)
        tp__svg_text(b, (x->r0 + x->r1) / 2, y + 36, "middle", "label", label);
    tp__sb_puts(b, "</g>\n");
}

void tp__svg_axis_left(tp__strbuf *b, const tp__svg_scale *y, double x, double x_end, double step,
                   const char *label)
{
    double lo = fmin(y->d0, y->d1), hi = fmax(y->d0, y->d1);
    tp__sb_printf(b, "<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x,
               y->r0, x, y->r1);
    if (step > 0)
        for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
            double py = tp__svg_map(y, v);
            tp__sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                       x, py, x_end, py);
            tick_label(b, x - 6, py + 4, "end", fabs(v) < step * 1e-9 ? 0 : v, step);
        }
    if (label)
        tp__sb_printf(b,
                   "<text class=\"label\" text-anchor=\"middle\" transform=\"translate(%.1f %.1f) "
                   "rotate(-90)\">",
                   x - 44, (y->r0 + y->r1) / 2);
    if (label) {
        tp__sb_xml(b, label);
        tp__sb_puts(b, "</text>");
    }
    tp__sb_puts(b, "</g>\n");
}

void tp__svg_grid_x(tp__strbuf *b, const tp__svg_scale *x, double step, double y0, double y1)
{
    double lo = fmin(x->d0, x->d1), hi = fmax(x->d0, x->d1);
    if (!(step > 0))
        return;
    for (double v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        tp__sb_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                   tp__svg_map(x, v), y0, tp__svg_map(x, v), y1);
}

void tp__svg_legend(tp__strbuf *b, double x, double y, const char *const *names, size_t n, int kind)
{
    tp__sb_puts(b, "<g class=\"legend\">");
    for (size_t i = 0; i < n; i++) {
        const char *c = tp__svg_series_color(i, n);
        if (kind == 0) {
            tp__sb_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\" "
                       "stroke=\"#111\"/>",
                       x, y - 10, c);
        } else {
            tp__sb_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2.5\" stroke-dasharray=\"%s\"/>",
                       x - 4, y - 4, x + 18, y - 4, c, tp__svg_dash(i));
            tp__svg_marker(b, i, x + 7, y - 4, 3.5, c);
        }
        tp__svg_text(b, x + 20, y, "start", NULL, names[i]);
        x += 28 + tp__svg_text_width(names[i], 12);
    }
    tp__sb_puts(b, "</g>\n");
}

double tp__svg_text_width(const char *text, double font_size)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    return (double)chars * font_size * 0.58;
}
