/* The roadmap: a designed journey (a journey map and the catalog's targets)
 * against the measured one. Composed of the analyses it reads: tp_targets()
 * for where each touchpoint stands, tp_trend() per touchpoint for how fast it
 * moves, tp_transitions() for how customers arrive at it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "analysis/result.h"
#include "core/alloc.h"
#include "analysis/period.h"
#include "core/error.h"
#include "model/catalog_internal.h"
#include "touchpoint/journeys.h"
#include "touchpoint/scoring.h"

#define DAY_MS 86400000LL

static double cell(const tp_table *t, size_t row, const char *name)
{
    size_t c;
    double v = NAN;
    if (tp_table_find_column(t, name, &c) == TP_OK)
        tp_table_get_double(t, row, c, &v);
    return v;
}

static const char *text(const tp_table *t, size_t row, const char *name)
{
    size_t c;
    const char *s = NULL;
    if (tp_table_find_column(t, name, &c) == TP_OK && !tp_table_is_null(t, row, c))
        tp_table_get_string(t, row, c, &s);
    return s;
}

/* A period's number on a line of periods, and the first day of number n. */
static int64_t period_number(int64_t start_ms, int64_t period)
{
    return tp__period_index(start_ms, (int)period);
}

static void period_label(int64_t n, int64_t period, char *buf, size_t cap)
{
    tp__period_label(tp__period_index_start(n, (int)period), buf, cap);
}

/* Least-squares slope of the metric per period over the trend rows of one
 * touchpoint; *last receives the last period's number. NaN with fewer than
 * two periods. */
static double slope_of(const tp_table *trend, const char *id, const char *metric, int64_t period,
                       size_t *periods, int64_t *last)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t n = 0;
    for (size_t r = 0; r < tp_table_row_count(trend); r++) {
        const char *who = text(trend, r, "touchpoint");
        double y = cell(trend, r, metric);
        if (!who || strcmp(who, id) || isnan(y))
            continue;
        int64_t p = period_number((int64_t)cell(trend, r, "start"), period);
        double x = (double)p;
        *last = p;
        sx += x, sy += y, sxx += x * x, sxy += x * y, n++;
    }
    *periods = n;
    double den = (double)n * sxx - sx * sx;
    return n >= 2 && den > 0 ? ((double)n * sxy - sx * sy) / den : NAN;
}

/* Observed transitions into touchpoint @p id, and those the map allows. */
static void arrivals(const tp_table *tr, const tp_journey_map *map, const char *id,
                     int64_t *all, int64_t *allowed)
{
    *all = *allowed = 0;
    for (size_t r = 0; r < tp_table_row_count(tr); r++) {
        const char *from = text(tr, r, "from"), *to = text(tr, r, "to");
        if (!from || !to || strcmp(to, id) || !strcmp(from, id))
            continue; /* a repeat at the touchpoint is not an arrival */
        int64_t n = (int64_t)cell(tr, r, "count");
        *all += n;
        if (tp_journey_map_allows(map, from, to))
            *allowed += n;
    }
}

enum {
    RM_STAGE, RM_TOUCHPOINT, RM_NAME, RM_OWNER, RM_METRIC, RM_TARGET, RM_VALUE, RM_LOW, RM_HIGH,
    RM_N, RM_STATUS, RM_PERIODS, RM_SLOPE, RM_REACHED_BY, RM_ARRIVALS, RM_CONFORMANCE
};

static const tp__col roadmap_cols[] = {
    {"stage", TP_TYPE_STRING},      {"touchpoint", TP_TYPE_STRING}, {"name", TP_TYPE_STRING},
    {"owner", TP_TYPE_STRING},      {"metric", TP_TYPE_STRING},     {"target", TP_TYPE_DOUBLE},
    {"value", TP_TYPE_DOUBLE},      {"low", TP_TYPE_DOUBLE},        {"high", TP_TYPE_DOUBLE},
    {"n", TP_TYPE_INT64},           {"status", TP_TYPE_STRING},     {"periods", TP_TYPE_INT64},
    {"slope", TP_TYPE_DOUBLE},      {"reached_by", TP_TYPE_STRING}, {"arrivals", TP_TYPE_INT64},
    {"conformance", TP_TYPE_DOUBLE},
};

/* Where the trend leads: "now" when the target is met (or the value is at or
 * above it), the first period at which the line reaches it, "moving away" or
 * "not moving"; NULL when that cannot be told (no value, fewer than two
 * periods). */
static const char *reached_by(double target, double value, const char *status, double slope,
                              int64_t last, int64_t period, char *buf, size_t cap)
{
    if (!strcmp(status, "met") || (!isnan(value) && value >= target))
        return "now";
    if (isnan(value) || isnan(slope))
        return NULL;
    if (slope < 0)
        return "moving away";
    if (slope == 0)
        return "not moving";
    double k = ceil((target - value) / slope);
    if (k > 1200) /* a hundred years of months: not a plan */
        return "not moving";
    period_label(last + (int64_t)k, period, buf, cap);
    return buf;
}

static tp_status render(const tp_catalog *cat, const tp_journey_map *map, const tp_table *targets,
                        const tp_table *trend, const tp_table *tr, int64_t period, tp_table **out)
{
    tp__rb b;
    tp__rb_begin(&b, roadmap_cols, TP__NCOLS(roadmap_cols));
    for (size_t s = 0; s < tp_journey_map_stage_count(map) && b.st == TP_OK; s++) {
        for (size_t k = 0; k < tp_journey_map_stage_size(map, s) && b.st == TP_OK; k++) {
            const char *id = tp_journey_map_stage_touchpoint(map, s, k);
            size_t idx;
            if (tp_catalog_find_touchpoint(cat, id, &idx) != TP_OK)
                continue;
            int64_t all, allowed;
            arrivals(tr, map, id, &all, &allowed);
            size_t rows = 0;
            for (size_t r = 0; r <= tp_table_row_count(targets) && b.st == TP_OK; r++) {
                int none = r == tp_table_row_count(targets); /* the row of no target */
                if (none ? rows > 0 : strcmp(text(targets, r, "touchpoint"), id) != 0)
                    continue;
                const char *metric = none ? "cx_index" : text(targets, r, "metric");
                tp__rb_row(&b);
                rows++;
                tp__rb_str(&b, RM_STAGE, tp_journey_map_stage_name(map, s));
                tp__rb_str(&b, RM_TOUCHPOINT, id);
                tp_touchpoint_def d;
                tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
                tp_catalog_get_touchpoint(cat, idx, &d);
                tp__rb_str(&b, RM_NAME, d.name);
                tp__rb_str(&b, RM_OWNER, d.owner);
                tp__rb_str(&b, RM_METRIC, metric);
                size_t periods = 0;
                int64_t last = 0;
                double slope = slope_of(trend, id, metric, period, &periods, &last);
                tp__rb_i64(&b, RM_PERIODS, (int64_t)periods);
                tp__rb_f64(&b, RM_SLOPE, slope);
                tp__rb_i64(&b, RM_ARRIVALS, all);
                tp__rb_f64(&b, RM_CONFORMANCE, all ? (double)allowed / (double)all : NAN);
                if (none) {
                    tp__rb_str(&b, RM_STATUS, "no target");
                    continue;
                }
                double target = cell(targets, r, "target"), value = cell(targets, r, "value");
                const char *status = text(targets, r, "status");
                tp__rb_f64(&b, RM_TARGET, target);
                tp__rb_f64(&b, RM_VALUE, value);
                tp__rb_f64(&b, RM_LOW, cell(targets, r, "low"));
                tp__rb_f64(&b, RM_HIGH, cell(targets, r, "high"));
                tp__rb_i64(&b, RM_N, (int64_t)cell(targets, r, "n"));
                tp__rb_str(&b, RM_STATUS, status);
                char when[16];
                tp__rb_str(&b, RM_REACHED_BY,
                           reached_by(target, value, status, slope, last, period, when,
                                      sizeof when));
            }
        }
    }
    return tp__rb_finish(&b, out);
}

TP_API tp_status tp_roadmap(const tp_events *events, const tp_feedback *feedback,
                            const char *map_id, const tp_filter *filter,
                            const tp_options *options, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_roadmap: out is NULL");
    *out = NULL;
    if (!events || !feedback)
        return tp__error(TP_EINVAL, "tp_roadmap: needs the events (for the journeys) and the "
                                    "feedback (for the metrics)");
    const tp_catalog *cat = tp_events_catalog(events);
    const tp_journey_map *map = NULL;
    tp_status st;
    if (map_id) {
        if ((st = tp_catalog_find_journey_map(cat, map_id, &map)) != TP_OK)
            return st;
    } else if (tp_catalog_journey_map_count(cat) == 1) {
        map = tp_catalog_journey_map(cat, 0);
    } else {
        return tp__error(TP_EINVAL, "roadmap: name the journey map (map): the catalog has %zu maps",
                         tp_catalog_journey_map_count(cat));
    }
    tp_options *by_tp = NULL;
    tp_table *targets = NULL, *trend = NULL, *tr = NULL;
    st = options ? tp_options_copy(options, &by_tp) : tp_options_new(&by_tp);
    if (st == TP_OK)
        st = tp_options_set_int(by_tp, TP_OPT_BY_TOUCHPOINT, 1);
    if (st == TP_OK)
        st = tp_targets(events, feedback, filter, options, &targets);
    if (st == TP_OK)
        st = tp_trend(events, feedback, filter, by_tp, &trend);
    if (st == TP_OK)
        st = tp_transitions(events, filter, options, &tr);
    if (st == TP_OK)
        st = render(cat, map, targets, trend, tr, by_tp->period, out);
    tp_table_free(targets);
    tp_table_free(trend);
    tp_table_free(tr);
    tp_options_free(by_tp);
    return st;
}
