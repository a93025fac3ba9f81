/* `touchpoint report`: the analyses, the findings, and their HTML and JSON forms. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "svg.h"


const char *const report_finding_keys[4] = {"worst_touchpoint", "best_touchpoint",
                                            "biggest_funnel_drop", "top_channel"};

/* ---- table access -------------------------------------------------------------- */

size_t report_col(const tp_table *t, const char *name)
{
    size_t c;
    return t && tp_table_find_column(t, name, &c) == TP_OK ? c : (size_t)-1;
}

double report_num(const tp_table *t, size_t row, const char *name)
{
    double v = NAN;
    size_t c = report_col(t, name);
    if (c != (size_t)-1)
        tp_table_get_double(t, row, c, &v);
    return v;
}

const char *report_str(const tp_table *t, size_t row, const char *name)
{
    const char *s = NULL;
    size_t c = report_col(t, name);
    if (c != (size_t)-1)
        tp_table_get_string(t, row, c, &s);
    return s ? s : "";
}

size_t report_rows(const tp_table *t) { return t ? tp_table_row_count(t) : 0; }

static void count_text(char *out, size_t size, double v) { svg_format_count(out, size, v); }

/* ---- building ------------------------------------------------------------------------ */

/* Steps of the most common converting path (repeats dropped), "a, b, c". */
static int default_funnel(const tp_events *ev, const report_config *cfg, tp_funnel **out)
{
    tp_table *var = NULL;
    *out = NULL;
    if (tp_variants(ev, cfg->filter, cfg->opts, &var) != TP_OK)
        return -1;
    size_t best = (size_t)-1;
    double most = 0;
    for (size_t i = 0; i < report_rows(var); i++)
        if (report_num(var, i, "conversions") > most) {
            most = report_num(var, i, "conversions");
            best = i;
        }
    int rc = -1;
    if (tp_funnel_new(out) != TP_OK)
        goto done;
    rc = 0;
    if (best == (size_t)-1)
        goto done;
    const char *path = report_str(var, best, "path");
    const char *seen[64];
    size_t seen_len[64], nseen = 0;
    while (*path && nseen < 64) {
        const char *sep = strstr(path, " > ");
        size_t len = sep ? (size_t)(sep - path) : strlen(path);
        char id[256];
        int dup = 0;
        for (size_t k = 0; k < nseen; k++)
            dup |= seen_len[k] == len && !memcmp(seen[k], path, len);
        if (len < sizeof id && !dup) {
            memcpy(id, path, len);
            id[len] = '\0';
            seen[nseen] = path;
            seen_len[nseen++] = len;
            if (tp_funnel_add_step(*out, id, 0, 0) != TP_OK) {
                rc = -1;
                break;
            }
        }
        path += len + (sep ? 3 : 0);
    }
done:
    tp_table_free(var);
    return rc;
}

static int channel_totals(report *r)
{
    for (size_t i = 0; i < report_rows(r->markov); i++) {
        const char *tp = report_str(r->markov, i, "touchpoint");
        double conv = report_num(r->markov, i, "conversions");
        size_t idx;
        const char *channel = "(none)";
        tp_touchpoint_def def;
        tp_touchpoint_def_init(&def, TP_TOUCHPOINT_DEF_VERSION);
        if (tp_catalog_find_touchpoint(r->cat, tp, &idx) == TP_OK &&
            tp_catalog_get_touchpoint(r->cat, idx, &def) == TP_OK && def.channel && *def.channel)
            channel = def.channel;
        if (!isfinite(conv))
            continue;
        r->conversions += conv;
        size_t k = 0;
        while (k < r->nchannels && strcmp(r->channels[k], channel))
            k++;
        if (k == r->nchannels) {
            char **c = realloc(r->channels, (k + 1) * sizeof *c);
            if (!c)
                return -1;
            r->channels = c;
            double *v = realloc(r->channel_conv, (k + 1) * sizeof *v);
            if (!v)
                return -1;
            r->channel_conv = v;
            if (!(r->channels[k] = strdup(channel)))
                return -1;
            r->channel_conv[k] = 0;
            r->nchannels++;
        }
        r->channel_conv[k] += conv;
    }
    /* Largest first (insertion sort: a handful of channels). */
    for (size_t i = 1; i < r->nchannels; i++)
        for (size_t j = i; j > 0 && r->channel_conv[j] > r->channel_conv[j - 1]; j--) {
            double v = r->channel_conv[j];
            r->channel_conv[j] = r->channel_conv[j - 1];
            r->channel_conv[j - 1] = v;
            char *s = r->channels[j];
            r->channels[j] = r->channels[j - 1];
            r->channels[j - 1] = s;
        }
    return 0;
}

static void find_spot(report *r, int which, const char *kind)
{
    buf *f = &r->findings[which];
    char reach[48];
    for (size_t i = 0; i < report_rows(r->hotspots); i++) {
        if (strcmp(report_str(r->hotspots, i, "kind"), kind))
            continue;
        count_text(reach, sizeof reach, report_num(r->hotspots, i, "reach"));
        double gap = report_num(r->hotspots, i, "gap");
        buf_printf(f, "%s (CX index %.1f, %.1f points %s the overall %.1f; reach %s customers)",
                   report_str(r->hotspots, i, "touchpoint"), report_num(r->hotspots, i, "cx_index"), fabs(gap),
                   gap < 0 ? "below" : "above", report_num(r->hotspots, i, "overall"), reach);
        return;
    }
    /* No significant hot spot: fall back to the extreme CX index. */
    size_t pick = (size_t)-1;
    for (size_t i = 0; i < report_rows(r->scorecard); i++) {
        double v = report_num(r->scorecard, i, "cx_index");
        if (!isfinite(v))
            continue;
        if (pick == (size_t)-1 || (which == 0 ? v < report_num(r->scorecard, pick, "cx_index")
                                              : v > report_num(r->scorecard, pick, "cx_index")))
            pick = i;
    }
    if (pick == (size_t)-1)
        buf_puts(f, "none (no touchpoint has feedback)");
    else
        buf_printf(f, "%s (CX index %.1f; no significant %s spot)",
                   report_str(r->scorecard, pick, "touchpoint"), report_num(r->scorecard, pick, "cx_index"),
                   which == 0 ? "pain" : "bright");
}

static void build_findings(report *r)
{
    find_spot(r, 0, "pain");
    find_spot(r, 1, "bright");
    size_t drop = (size_t)-1;
    for (size_t i = 1; i < report_rows(r->steps); i++)
        if (report_num(r->steps, i, "dropped") > 0 &&
            (drop == (size_t)-1 || report_num(r->steps, i, "dropped") > report_num(r->steps, drop, "dropped")))
            drop = i;
    if (drop == (size_t)-1) {
        buf_puts(&r->findings[2], report_rows(r->steps) ? "none (no customer dropped out)"
                                                 : "none (no funnel)");
    } else {
        char lost[48], of[48];
        double before = report_num(r->steps, drop - 1, "customers"), gone = report_num(r->steps, drop, "dropped");
        count_text(lost, sizeof lost, gone);
        count_text(of, sizeof of, before);
        buf_printf(&r->findings[2], "%s -> %s: %s of %s customers (%.1f%%) did not go on",
                   report_str(r->steps, drop - 1, "touchpoint"), report_str(r->steps, drop, "touchpoint"), lost,
                   of, before > 0 ? 100 * gone / before : 0.0);
    }
    if (r->nchannels == 0 || !(r->conversions > 0)) {
        buf_puts(&r->findings[3], "none (no conversions)");
    } else {
        buf_printf(&r->findings[3], "%s (%.1f of %.0f conversions, %.1f%%, Markov order %lld)",
                   r->channels[0], r->channel_conv[0], r->conversions,
                   100 * r->channel_conv[0] / r->conversions, (long long)r->order);
    }
}

static void time_span(report *r, const tp_events *ev)
{
    r->first = INT64_MAX;
    r->last = INT64_MIN;
    for (size_t i = 0; i < r->events; i++) {
        int64_t t = tp_events_time(ev, i);
        r->first = t < r->first ? t : r->first;
        r->last = t > r->last ? t : r->last;
    }
}

int report_build(const tp_events *ev, const tp_feedback *fb, const report_config *cfg,
                 report **out)
{
    report *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return -1;
    r->cat = tp_events_catalog(ev);
    r->title = cfg->title ? cfg->title : "Customer experience report";
    r->source = cfg->source ? cfg->source : "";
    r->rejected = cfg->rejected;
    r->events = tp_events_count(ev);
    r->customers = tp_events_customer_count(ev);
    r->feedback = tp_feedback_count(fb);
    r->touchpoints = tp_catalog_touchpoint_count(r->cat);
    r->overall = NAN;
    time_span(r, ev);
    const tp_filter *f = cfg->filter;
    const tp_options *o = cfg->opts;
    tp_paths *paths = NULL;
    tp_funnel *own = NULL;
    const tp_funnel *fun = cfg->funnel;
    if (!fun || tp_funnel_step_count(fun) == 0) {
        if (default_funnel(ev, cfg, &own))
            goto fail;
        fun = own;
        r->funnel_default = 1;
    }
    if (tp_scorecard(ev, fb, f, o, &r->scorecard) != TP_OK ||
        tp_scorecard_rollup(ev, fb, f, o, TP_GROUP_STAGE, &r->stages) != TP_OK ||
        tp_hotspots(ev, fb, f, o, &r->hotspots) != TP_OK ||
        tp_drivers(ev, fb, f, o, &r->drivers) != TP_OK || tp_flow(ev, f, o, &r->flow) != TP_OK ||
        tp_trend(ev, fb, f, o, &r->trend) != TP_OK)
        goto fail;
    if (tp_funnel_step_count(fun) &&
        tp_funnel_run(ev, fun, f, o, &r->steps, &r->drops) != TP_OK)
        goto fail;
    if (tp_paths_from_events(&paths, ev, f, o) != TP_OK ||
        tp_attribution_compare(paths, o, &r->attr) != TP_OK ||
        tp_attribute(paths, TP_MODEL_MARKOV, o, &r->markov) != TP_OK)
        goto fail;
    tp_paths_free(paths);
    paths = NULL;
    r->nstages = tp_catalog_stage_count(r->cat);
    if (r->nstages > MAX_STAGES)
        r->nstages = MAX_STAGES;
    for (size_t s = 0; s < r->nstages && cfg->stage_filter; s++) {
        tp_filter *sf = NULL;
        if (cfg->stage_filter(cfg->stage_filter_ctx, tp_catalog_stage_name(r->cat, s), &sf))
            continue; /* this stage is outside the user's selection */
        tp_status st = tp_trend(ev, fb, sf, o, &r->stage_trend[s]);
        tp_filter_free(sf);
        if (st != TP_OK)
            goto fail;
    }
    if (report_rows(r->hotspots))
        r->overall = report_num(r->hotspots, 0, "overall");
    for (size_t i = 0; i < report_rows(r->steps); i++)
        buf_printf(&r->funnel_text, "%s%s", i ? ", " : "", report_str(r->steps, i, "touchpoint"));
    if (channel_totals(r))
        goto fail;
    r->order = 1;
    if (o)
        tp_options_get_int(o, TP_OPT_ORDER, &r->order);
    build_findings(r);
    tp_funnel_free(own);
    for (size_t i = 0; i < 4; i++)
        if (r->findings[i].oom)
            goto fail_nomem;
    if (r->funnel_text.oom)
        goto fail_nomem;
    *out = r;
    return 0;
fail_nomem:
    errno = ENOMEM;
fail:
    tp_paths_free(paths);
    tp_funnel_free(own);
    report_free(r);
    return -1;
}

void report_free(report *r)
{
    if (!r)
        return;
    tp_table *all[] = {r->scorecard, r->stages, r->hotspots, r->drivers, r->steps,
                       r->drops,     r->flow,   r->attr,     r->markov,  r->trend};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        tp_table_free(all[i]);
    for (size_t s = 0; s < MAX_STAGES; s++)
        tp_table_free(r->stage_trend[s]);
    for (size_t i = 0; i < r->nchannels; i++)
        free(r->channels[i]);
    free(r->channels);
    free(r->channel_conv);
    for (size_t i = 0; i < 4; i++)
        buf_free(&r->findings[i]);
    buf_free(&r->funnel_text);
    free(r);
}

void report_print_findings(const report *r, FILE *f)
{
    static const char *const heads[4] = {"Worst touchpoint:   ", "Best touchpoint:    ",
                                         "Biggest funnel drop:", "Top channel:        "};
    for (size_t i = 0; i < 4; i++)
        fprintf(f, "  %s %s\n", heads[i], r->findings[i].data ? r->findings[i].data : "");
}
