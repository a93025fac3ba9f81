/* The registry: every analysis described once, as data, and run by name. The
 * tool, the bindings and their help texts read this table (registry.h). */
#include <stdio.h>
#include <string.h>

#include "analysis/counts.h"
#include "analysis/options_internal.h"
#include "analysis/view.h"
#include "analysis/words.h"
#include "core/alloc.h"
#include "model/table_internal.h"
#include "model/funnel_internal.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "touchpoint/agg.h"
#include "touchpoint/conformance.h"
#include "touchpoint/funnel.h"
#include "touchpoint/journeys.h"
#include "touchpoint/registry.h"
#include "touchpoint/scoring.h"

/* ---- What a run sees ---- */

typedef struct run {
    const tp_analysis_info *info;
    const tp_events *ev;
    const tp_feedback *fb;
    const tp_paths *paths;
    const tp_filter *filter;
    const tp_options *opts;
    const char *const *params; /* checked pairs */
    size_t nparams;
    const tp_catalog *cat; /* of the events, when there are events */
} run;

typedef tp_status (*run_fn)(const run *r, tp_table **out, size_t n);

/* The value of parameter @p name: the last one given, else its fallback (or NULL). */
static const char *param(const run *r, const char *name)
{
    for (size_t i = r->nparams; i-- > 0;)
        if (!strcmp(r->params[2 * i], name))
            return r->params[2 * i + 1];
    const tp_param_info *p = tp_analysis_param(r->info, name);
    return p ? p->fallback : NULL;
}

/* ---- Adapters to the typed functions ---- */

static tp_status run_scorecard(const run *r, tp_table **out, size_t n)
{
    (void)n;
    const char *by = param(r, "by");
    if (!by)
        return tp_scorecard(r->ev, r->fb, r->filter, r->opts, out);
    tp_group g;
    tp_status st = tp_group_parse(by, &g);
    return st ? st : tp_scorecard_rollup(r->ev, r->fb, r->filter, r->opts, g, out);
}

#define FEEDBACK_RUN(fn)                                                  \
    static tp_status run_##fn(const run *r, tp_table **out, size_t n)     \
    {                                                                     \
        (void)n;                                                          \
        return tp_##fn(r->ev, r->fb, r->filter, r->opts, out);            \
    }
FEEDBACK_RUN(hotspots)
FEEDBACK_RUN(targets)
FEEDBACK_RUN(drivers)
FEEDBACK_RUN(trend)
FEEDBACK_RUN(sentiment_terms)

#define EVENTS_RUN(fn)                                                    \
    static tp_status run_##fn(const run *r, tp_table **out, size_t n)     \
    {                                                                     \
        (void)n;                                                          \
        return tp_##fn(r->ev, r->filter, r->opts, out);                   \
    }
EVENTS_RUN(journeys)
EVENTS_RUN(transitions)
EVENTS_RUN(variants)
EVENTS_RUN(conversion_times)
EVENTS_RUN(flow)

static tp_status run_next_touchpoints(const run *r, tp_table **out, size_t n)
{
    (void)n;
    return tp_next_touchpoints(r->ev, param(r, "after"), r->filter, r->opts, out);
}

static tp_status run_phrases(const run *r, tp_table **out, size_t n)
{
    (void)n;
    return tp_comment_phrases(r->ev, r->fb, r->filter, r->opts, out);
}

static tp_status run_retention(const run *r, tp_table **out, size_t n)
{
    return tp_retention(r->ev, r->filter, r->opts, &out[0], n > 1 ? &out[1] : NULL);
}

static tp_status run_repeat(const run *r, tp_table **out, size_t n)
{
    (void)n;
    return tp_repeat_purchases(r->ev, r->filter, r->opts, out);
}

static tp_status run_engagement(const run *r, tp_table **out, size_t n)
{
    return tp_engagement(r->ev, r->filter, r->opts, &out[0], n > 1 ? &out[1] : NULL);
}

static tp_status run_profile(const run *r, tp_table **out, size_t n)
{
    return tp_profile(r->ev, r->fb, param(r, "id"), r->filter, r->opts, &out[0],
                      n > 1 ? &out[1] : NULL, n > 2 ? &out[2] : NULL, n > 3 ? &out[3] : NULL);
}

static tp_status funnel_build(const run *r, tp_funnel *f)
{
    tp_status st = TP_OK;
    for (size_t i = 0; i < r->nparams && st == TP_OK; i++)
        st = tp_funnel_set(f, r->params[2 * i], r->params[2 * i + 1]);
    return st;
}

static tp_status run_funnel(const run *r, tp_table **out, size_t n)
{
    tp_funnel *f = NULL;
    tp_status st = tp_funnel_new(&f);
    if (st == TP_OK)
        st = funnel_build(r, f);
    if (st == TP_OK)
        st = tp_funnel_run(r->ev, f, r->filter, r->opts, &out[0], n > 1 ? &out[1] : NULL);
    tp_funnel_free(f);
    return st;
}

static tp_status run_conformance(const run *r, tp_table **out, size_t n)
{
    const char *map = param(r, "map");
    if (!map) {
        const tp_catalog *c = tp_events_catalog(r->ev);
        size_t maps = tp_catalog_journey_map_count(c);
        if (maps != 1)
            return tp__error(TP_EINVAL, "conformance: name the journey map (map): the catalog "
                                        "has %zu maps", maps);
        map = tp_journey_map_id(tp_catalog_journey_map(c, 0));
    }
    return tp_conformance(r->ev, map, r->filter, r->opts, &out[0], n > 1 ? &out[1] : NULL);
}

static tp_status run_roadmap(const run *r, tp_table **out, size_t n)
{
    (void)n;
    return tp_roadmap(r->ev, r->fb, param(r, "map"), r->filter, r->opts, out);
}

/* The attribution in *out rolled up as the "by" parameter says (none: kept). */
static tp_status rolled_up(const run *r, tp_status st, tp_table **out)
{
    const char *by = param(r, "by");
    if (st != TP_OK || !by)
        return st;
    tp_group g;
    if ((st = tp_group_parse(by, &g)) == TP_OK && !r->cat)
        st = tp__error(TP_EINVAL, "attribution by %s needs the catalog of the events: give "
                                  "events, not a path set", by);
    tp_table *t = NULL;
    if (st == TP_OK)
        st = tp_attribution_rollup(*out, r->cat, g, &t);
    tp_table_free(*out);
    *out = t;
    return st;
}

static tp_status run_attribute(const run *r, tp_table **out, size_t n)
{
    (void)n;
    tp_model m;
    tp_status st = tp_model_parse(param(r, "model"), &m);
    return rolled_up(r, st ? st : tp_attribute(r->paths, m, r->opts, out), out);
}

static tp_status run_attribution_compare(const run *r, tp_table **out, size_t n)
{
    (void)n;
    return rolled_up(r, tp_attribution_compare(r->paths, r->opts, out), out);
}

static tp_status run_markov_chain(const run *r, tp_table **out, size_t n)
{
    double p = 0;
    tp_status st = tp_markov_chain(r->paths, r->opts, &out[0], &p);
    if (st != TP_OK || n < 2)
        return st;
    static const char *const names[] = {"p_conversion", "paths", "conversions", "nulls",
                                        "value"};
    const double values[] = {p, (double)tp_paths_count(r->paths),
                             tp_paths_conversions(r->paths), tp_paths_nulls(r->paths),
                             tp_paths_value(r->paths)};
    tp_table *t = NULL;
    size_t row = 0, col = 0;
    st = tp_table_new(&t);
    for (size_t i = 0; i < 5 && st == TP_OK; i++)
        st = tp_table_add_column(t, names[i], i == 1 ? TP_TYPE_INT64 : TP_TYPE_DOUBLE, &col);
    if (st == TP_OK)
        st = tp_table_append_row(t, &row);
    for (size_t i = 0; i < 5 && st == TP_OK; i++)
        st = i == 1 ? tp_table_set_int64(t, row, i, (int64_t)values[i])
                    : tp_table_set_double(t, row, i, values[i]);
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    out[1] = t;
    return TP_OK;
}

/* ---- The table ---- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(a) a, COUNT(a)
#define NONE NULL, 0

/* Options of the CX index and of reading feedback. */
#define INDEX_OPTIONS                                                                    \
    TP_OPT_WEIGHT_NPS, TP_OPT_WEIGHT_CSAT, TP_OPT_WEIGHT_CES, TP_OPT_WEIGHT_RATING,      \
        TP_OPT_WEIGHT_SENTIMENT, TP_OPT_WEIGHT_AUDIT, TP_OPT_KNOCKOUT_PASS
/* Options of building paths from events, and of every attribution model. */
#define PATH_OPTIONS TP_OPT_TIMEOUT, TP_OPT_CREDIT_CONVERSION
#define MODEL_OPTIONS                                                                    \
    TP_OPT_HALF_LIFE, TP_OPT_POSITION_FIRST, TP_OPT_POSITION_LAST, TP_OPT_SHAPLEY_VALUE, \
        TP_OPT_ORDER, TP_OPT_SELF_LOOPS, TP_OPT_THREADS, TP_OPT_MARKOV_MAX_WORK

static const tp_option scorecard_opts[] = {TP_OPT_LEVEL, TP_OPT_MIN_RESPONSES,
                                           TP_OPT_RATING_PRIOR_MEAN, TP_OPT_RATING_PRIOR_WEIGHT,
                                           INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option targets_opts[] = {TP_OPT_LEVEL, INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option roadmap_opts[] = {TP_OPT_LEVEL, TP_OPT_PERIOD, TP_OPT_TIMEOUT,
                                         INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option hotspots_opts[] = {TP_OPT_ALPHA, TP_OPT_MIN_RESPONSES,
                                          TP_OPT_ALL_HOTSPOTS, INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option drivers_opts[] = {TP_OPT_MIN_RESPONSES, TP_OPT_OUTCOME, TP_OPT_TIMEOUT,
                                         INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option trend_opts[] = {TP_OPT_ALPHA, TP_OPT_PERIOD, TP_OPT_BY_TOUCHPOINT,
                                       INDEX_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option terms_opts[] = {TP_OPT_TOP_TERMS, TP_OPT_BREAKDOWN};
static const tp_option timeout_opts[] = {TP_OPT_TIMEOUT, TP_OPT_BREAKDOWN};
static const tp_option variants_opts[] = {TP_OPT_TIMEOUT, TP_OPT_TOP, TP_OPT_COLLAPSE,
                                          TP_OPT_BREAKDOWN};
static const tp_option flow_opts[] = {TP_OPT_TIMEOUT, TP_OPT_TOP, TP_OPT_COLLAPSE,
                                      TP_OPT_MAX_STEPS, TP_OPT_BREAKDOWN};
static const tp_option next_opts[] = {TP_OPT_TIMEOUT, TP_OPT_BREAKDOWN};
static const tp_option attribution_opts[] = {PATH_OPTIONS, MODEL_OPTIONS, TP_OPT_BREAKDOWN};
static const tp_option chain_opts[] = {PATH_OPTIONS, TP_OPT_ORDER, TP_OPT_SELF_LOOPS,
                                       TP_OPT_MARKOV_MAX_WORK, TP_OPT_BREAKDOWN};

static const tp_option funnel_opts[] = {TP_OPT_BREAKDOWN};
static const tp_option retention_opts[] = {TP_OPT_PERIOD, TP_OPT_COHORT, TP_OPT_BREAKDOWN};
static const tp_option repeat_opts[] = {TP_OPT_BREAKDOWN};
static const tp_option engagement_opts[] = {TP_OPT_PERIOD, TP_OPT_BREAKDOWN};
static const tp_option profile_opts[] = {TP_OPT_TIMEOUT, INDEX_OPTIONS, TP_OPT_BREAKDOWN};

static const tp_param_info scorecard_params[] = {
    {"by", TP_VALUE_CHOICE, tp__group_words, 0, NULL,
     "roll up by stage, channel, owner or parent (default: one row per touchpoint)"},
};
static const tp_param_info next_params[] = {
    {"after", TP_VALUE_TEXT, NULL, TP_PARAM_REQUIRED | TP_PARAM_POSITIONAL, NULL,
     "the touchpoint whose next steps to list"},
};
static const tp_param_info profile_params[] = {
    {"id", TP_VALUE_TEXT, NULL, TP_PARAM_REQUIRED | TP_PARAM_POSITIONAL, NULL,
     "the customer's id, as the data spells it"},
};
static const tp_param_info funnel_params[] = {
    {"steps", TP_VALUE_TEXT, NULL, TP_PARAM_REQUIRED | TP_PARAM_POSITIONAL | TP_PARAM_LIST, NULL,
     "the steps in order, comma-separated: T? marks an optional step, T<2d a window "
     "from the step before, 'T (conversion)' a purchase at T, '(conversion)' one anywhere"},
    {"window", TP_VALUE_DURATION, NULL, 0, NULL,
     "conversion window from the first step (default: none)"},
    {"mode", TP_VALUE_CHOICE, tp__funnel_mode_words, 0, "loose",
     "loose: anything may come between two steps; strict: no other funnel step; any: the "
     "steps in any order (row k: customers who did k of them)"},
    {"exclude", TP_VALUE_TEXT, NULL, TP_PARAM_LIST, NULL,
     "touchpoints (or 'T (conversion)', '(exit)', ...) that break a funnel in progress, "
     "comma-separated"},
};
static const tp_param_info roadmap_params[] = {
    {"map", TP_VALUE_TEXT, NULL, TP_PARAM_POSITIONAL, NULL,
     "the designed journey: a journey map of the catalog (default: its only map)"},
};
static const tp_param_info conformance_params[] = {
    {"map", TP_VALUE_TEXT, NULL, TP_PARAM_POSITIONAL, NULL,
     "the journey map of the catalog (default: its only map)"},
};
static const tp_param_info attribute_params[] = {
    {"model", TP_VALUE_CHOICE, tp__model_words, TP_PARAM_POSITIONAL, "all",
     "the model, or all for every model the paths allow, one row per model and touchpoint"},
    {"by", TP_VALUE_CHOICE, tp__group_words, 0, NULL,
     "credit per stage, channel, owner or parent of the catalog (default: per touchpoint)"},
};
static const tp_param_info compare_params[] = {
    {"by", TP_VALUE_CHOICE, tp__group_words, 0, NULL,
     "credit per stage, channel, owner or parent of the catalog (default: per touchpoint)"},
};

#define COLS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const tp_output_info scorecard_out[] = {
    {"scorecard",
     COLS("touchpoint", "name", "stage", "channel", "owner", "parent", "weight", "reach",
          "responses", "respondents", "response_rate", "nps_n", "promoters", "passives",
          "detractors", "nps", "nps_se", "nps_low", "nps_high", "nps_moe", "csat_n", "csat",
          "csat_low", "csat_high", "csat_moe", "ces_n", "ces", "ces_low", "ces_high", "ces_moe",
          "ces_easy", "rating_n", "rating", "rating_low", "rating_high", "rating_moe",
          "rating_bayes", "sentiment_n", "sentiment", "sentiment_low", "sentiment_high",
          "sentiment_moe", "audit_n", "audit", "audit_low", "audit_high", "audit_moe",
          "audit_knockouts", "cx_index", "cx_low", "cx_high", "cx_moe", "cx_rollup",
          "low_sample", "expectation"),
     "one row per touchpoint (per group with by): each metric with its interval, the CX index"},
};
static const tp_output_info targets_out[] = {
    {"targets",
     COLS("touchpoint", "name", "stage", "owner", "metric", "target", "value", "low", "high", "n",
          "gap", "status"),
     "one row per touchpoint and target: the metric with its interval, the gap, met, missed "
     "or unclear"},
};
static const tp_output_info roadmap_out[] = {
    {"roadmap",
     COLS("stage", "touchpoint", "name", "owner", "metric", "target", "value", "low", "high", "n",
          "status", "periods", "slope", "reached_by", "arrivals", "conformance"),
     "one row per touchpoint of the map and target: where it stands, how fast it moves, when "
     "it gets there, and how customers arrive"},
};
static const tp_output_info hotspots_out[] = {
    {"hotspots",
     COLS("rank", "touchpoint", "kind", "cx_index", "overall", "gap", "reach", "impact",
          "responses", "mean", "others_mean", "t", "df", "p_value", "owner"),
     "pain points and bright spots, ranked by impact"},
};
static const tp_output_info drivers_out[] = {
    {"drivers",
     COLS("touchpoint", "customers", "importance", "p_value", "relative_weight", "performance",
          "quadrant", "owner"),
     "importance against performance per touchpoint"},
};
static const tp_output_info trend_out[] = {
    {"trend",
     COLS("period", "start", "touchpoint", "responses", "nps_n", "nps", "csat_n", "csat",
          "ces_n", "ces", "rating_n", "rating", "sentiment_n", "sentiment", "audit_n", "audit",
          "cx_index", "change", "p_value", "significant"),
     "metrics per period, with the change from the period before and its significance"},
};
static const tp_output_info terms_out[] = {
    {"terms", COLS("touchpoint", "comments", "sentiment", "polarity", "term", "count", "rank"),
     "the most frequent sentiment words of the comments, per touchpoint"},
};
static const tp_output_info journeys_out[] = {
    {"journeys",
     COLS("customer", "journey", "start", "end", "touches", "converted", "exited", "value",
          "duration"),
     "one row per journey"},
};
static const tp_output_info transitions_out[] = {
    {"transitions", COLS("from", "to", "count"),
     "the directly-follows graph; (start) and (end) mark the ends of journeys"},
};
static const tp_output_info variants_out[] = {
    {"variants",
     COLS("path", "journeys", "conversions", "conversion_rate", "customers", "value", "share"),
     "the most common journeys, touchpoints joined by \" > \""},
};
static const tp_output_info times_out[] = {
    {"times", COLS("entry", "conversions", "median_ms", "p90_ms", "mean_ms"),
     "time from a journey's first touch to its conversion, per entry touchpoint"},
};
static const tp_output_info next_out[] = {
    {"next", COLS("next", "count", "share", "customers"),
     "what customers did right after the touchpoint"},
};
static const tp_output_info flow_out[] = {
    {"flow", COLS("step", "source", "target", "value", "from", "to"),
     "Sankey edges between the first steps of journeys"},
};
static const tp_output_info phrases_out[] = {
    {"phrases",
     COLS("touchpoint", "comments", "phrase", "words", "count", "share", "sentiment", "rank",
          "owner"),
     "the most frequent two- and three-word phrases of the comments, per touchpoint"},
};
static const tp_output_info retention_out[] = {
    {"retention", COLS("cohort", "start", "customers", "age", "active", "share"),
     "per cohort and age in periods: the share of the cohort active (or buying again)"},
    {"triangle", COLS("cohort", "start", "customers", "p0"),
     "the same as one row per cohort: the share at each age (p0, p1, ...)"},
};
static const tp_output_info repeat_out[] = {
    {"repeat",
     COLS("touchpoint", "buyers", "repeaters", "repeat_rate", "median_ms", "rest_repeat_rate",
          "lift", "p_value", "owner"),
     "repeat purchases overall and for the buyers who touched each touchpoint before buying "
     "again"},
};
static const tp_output_info engagement_out[] = {
    {"engagement",
     COLS("touchpoint", "customers", "touches", "touches_per_customer", "active_last_period",
          "recency_ms", "owner"),
     "per touchpoint: customers, touches per customer, active in the last period, recency"},
    {"by_period", COLS("period", "start", "touchpoint", "customers", "touches"),
     "active customers and touches per period and touchpoint"},
};
static const tp_output_info profile_out[] = {
    {"summary",
     COLS("customer", "start", "end", "events", "journeys", "conversions", "value", "responses",
          "cx_index"),
     "who the customer is: first and last contact, totals, the CX index of their answers, and "
     "their attributes"},
    {"touches",
     COLS("journey", "step", "timestamp", "touchpoint", "name", "stage", "channel", "type",
          "value"),
     "every touch, journey by journey, in order"},
    {"feedback", COLS("timestamp", "touchpoint", "metric", "score", "comment", "sentiment"),
     "every answer and comment, in time order"},
    {"touchpoints",
     COLS("touchpoint", "name", "stage", "owner", "touches", "responses", "nps", "csat", "ces",
          "rating", "sentiment", "audit", "cx_index", "overall_cx_index", "difference"),
     "each touchpoint as the customer met it, against every customer's CX index"},
};
static const tp_output_info funnel_out[] = {
    {"steps",
     COLS("step", "touchpoint", "optional", "customers", "conversion_from_start",
          "conversion_from_previous", "dropped", "median_ms"),
     "customers per step, conversion, drop-off and median time from the step before"},
    {"dropoffs", COLS("step", "touchpoint", "next", "customers"),
     "where the customers who dropped out after a step went next"},
};
static const tp_output_info conformance_out[] = {
    {"summary", COLS("kind", "touchpoint", "count", "journeys", "fitness", "skipped"),
     "overall fitness and the count of each deviation"},
    {"journeys", COLS("customer", "journey", "transitions", "allowed", "deviations", "fitness"),
     "one row per journey"},
};
static const tp_output_info attribute_out[] = {
    {"attribution", COLS("model", "touchpoint", "conversions", "value", "share"),
     "conversions and value credited to each touchpoint (or group, with by), per model"},
};
static const tp_output_info compare_out[] = {
    {"comparison", COLS("touchpoint", "first", "last", "linear"),
     "conversions credited to each touchpoint (or group, with by), one column per model the paths allow"},
};
static const tp_output_info chain_out[] = {
    {"chain", COLS("from", "to", "weight", "probability"),
     "the transitions of the Markov chain"},
    {"summary", COLS("p_conversion", "paths", "conversions", "nulls", "value"),
     "the chain's probability of conversion and the totals of the paths"},
};

typedef struct entry {
    tp_analysis_info info;
    run_fn run;
} entry;

#define EV TP_INPUT_EVENTS
#define FB TP_INPUT_FEEDBACK
#define PA TP_INPUT_PATHS

static const entry entries[] = {
    {{"scorecard", "metrics with intervals and the CX index per touchpoint", FB, EV | FB, 1,
      LIST(scorecard_opts), LIST(scorecard_params), LIST(scorecard_out), TP_AGG_SCORECARD, 0},
     run_scorecard},
    {{"targets", "each touchpoint's targets against its metrics: met, missed or unclear", FB,
      EV | FB, 1, LIST(targets_opts), NONE, LIST(targets_out), 0, 0},
     run_targets},
    {{"roadmap", "the designed journey against the measured one: targets, trend, arrivals",
      EV | FB, EV | FB, 1, LIST(roadmap_opts), LIST(roadmap_params), LIST(roadmap_out), 0, 0},
     run_roadmap},
    {{"hotspots", "pain points and bright spots, ranked by impact", FB, EV | FB, 1,
      LIST(hotspots_opts), NONE, LIST(hotspots_out), 0, 0},
     run_hotspots},
    {{"drivers", "key drivers: importance against performance per touchpoint", FB, EV | FB, 1,
      LIST(drivers_opts), NONE, LIST(drivers_out), 0, 0},
     run_drivers},
    {{"trend", "metrics per day, week or month, with significant changes", FB, EV | FB, 1,
      LIST(trend_opts), NONE, LIST(trend_out), 0, 0},
     run_trend},
    {{"sentiment_terms", "the most frequent sentiment words per touchpoint", FB, EV | FB, 1,
      LIST(terms_opts), NONE, LIST(terms_out), 0, 0},
     run_sentiment_terms},
    {{"phrases", "themes: the frequent two- and three-word phrases of comments per touchpoint",
      FB, EV | FB, 1, LIST(terms_opts), NONE, LIST(phrases_out), 0, 0},
     run_phrases},
    {{"journeys", "one row per customer journey", EV, EV, 1, LIST(timeout_opts), NONE,
      LIST(journeys_out), 0, 0},
     run_journeys},
    {{"transitions", "how often each touchpoint follows another", EV, EV, 1, LIST(timeout_opts),
      NONE, LIST(transitions_out), TP_AGG_TRANSITIONS, 0},
     run_transitions},
    {{"variants", "the most common journeys and how often they convert", EV, EV, 1,
      LIST(variants_opts), NONE, LIST(variants_out), TP_AGG_VARIANTS, 0},
     run_variants},
    {{"conversion_times", "time to convert, per entry touchpoint", EV, EV, 1, LIST(timeout_opts),
      NONE, LIST(times_out), 0, 0},
     run_conversion_times},
    {{"next_touchpoints", "what customers did right after a touchpoint", EV, EV, 1,
      LIST(next_opts), LIST(next_params), LIST(next_out), 0, 0},
     run_next_touchpoints},
    {{"flow", "Sankey edges of the first steps of journeys", EV, EV, 1, LIST(flow_opts), NONE,
      LIST(flow_out), 0, 0},
     run_flow},
    {{"retention", "cohorts by first event or purchase, and the share active in each later "
      "period", EV, EV, 1, LIST(retention_opts), NONE, LIST(retention_out), 0, 0},
     run_retention},
    {{"repeat", "repeat purchases, and the touchpoints before the next purchase", EV, EV, 1,
      LIST(repeat_opts), NONE, LIST(repeat_out), 0, 0},
     run_repeat},
    {{"engagement", "active customers, touches per customer and recency per touchpoint", EV, EV,
      1, LIST(engagement_opts), NONE, LIST(engagement_out), 0, 0},
     run_engagement},
    {{"profile", "one customer: attributes, journeys touch by touch, feedback, and each "
      "touchpoint as they met it", EV, EV | FB, 1, LIST(profile_opts), LIST(profile_params),
      LIST(profile_out), 0, 1},
     run_profile},
    {{"funnel", "customers per step, drop-off and time between steps", EV, EV, 1, LIST(funnel_opts),
      LIST(funnel_params), LIST(funnel_out), TP_AGG_FUNNEL, 0},
     run_funnel},
    {{"conformance", "fitness and deviations against a designed journey map", EV, EV, 1,
      LIST(timeout_opts), LIST(conformance_params), LIST(conformance_out), 0, 0},
     run_conformance},
    {{"attribute", "credit for conversions and value per touchpoint, by model", PA, EV | PA, 1,
      LIST(attribution_opts), LIST(attribute_params), LIST(attribute_out), 0, 0},
     run_attribute},
    {{"attribution_compare", "every attribution model side by side", PA, EV | PA, 1,
      LIST(attribution_opts), LIST(compare_params), LIST(compare_out), 0, 0},
     run_attribution_compare},
    {{"markov_chain", "the Markov chain of the journeys and its probability of conversion", PA,
      EV | PA, 1, LIST(chain_opts), NONE, LIST(chain_out), 0, 0},
     run_markov_chain},
};
#define ENTRY_COUNT COUNT(entries)

/* ---- Lookup ---- */

TP_API size_t tp_analysis_count(void) { return ENTRY_COUNT; }

TP_API const tp_analysis_info *tp_analysis_at(size_t index)
{
    return index < ENTRY_COUNT ? &entries[index].info : NULL;
}

static const char *entry_name(const void *ctx, size_t i)
{
    (void)ctx;
    return entries[i].info.name;
}

/* The entry named @p name, or NULL with the error in *st. */
static const entry *find(const char *name, tp_status *st)
{
    for (size_t i = 0; name && i < ENTRY_COUNT; i++)
        if (!strcmp(entries[i].info.name, name))
            return &entries[i];
    const char *near = tp__nearest(name, ENTRY_COUNT, entry_name, NULL);
    if (!name)
        *st = tp__error(TP_EINVAL, "no analysis name given");
    else if (near)
        *st = tp__error(TP_ENOTFOUND, "unknown analysis '%.60s' (did you mean '%s'?)", name,
                        near);
    else
        *st = tp__error(TP_ENOTFOUND, "unknown analysis '%.60s'", name);
    return NULL;
}

TP_API const tp_analysis_info *tp_analysis_lookup(const char *name)
{
    tp_status st;
    const entry *e = find(name, &st);
    return e ? &e->info : NULL;
}

static const tp_option_info *option_info(tp_option key)
{
    for (size_t i = 0; i < tp_option_count(); i++)
        if (tp_option_at(i)->key == key)
            return tp_option_at(i);
    return NULL;
}

TP_API const tp_param_info *tp_analysis_param(const tp_analysis_info *a, const char *name)
{
    for (size_t i = 0; a && name && i < a->param_count; i++)
        if (!strcmp(a->params[i].name, name))
            return &a->params[i];
    return NULL;
}

TP_API int tp_analysis_reads_option(const tp_analysis_info *a, tp_option key)
{
    for (size_t i = 0; a && i < a->option_count; i++)
        if (a->options[i] == key)
            return 1;
    return 0;
}

/* ---- Checking a call ---- */

/* Every name a caller may mean: the analysis's parameters, then the options
 * it reads, then the filter keys. */
static const char *known_name(const void *ctx, size_t i)
{
    const tp_analysis_info *a = ctx;
    if (i < a->param_count)
        return a->params[i].name;
    i -= a->param_count;
    if (i < a->option_count) {
        const tp_option_info *o = option_info(a->options[i]);
        return o ? o->name : NULL;
    }
    i -= a->option_count;
    return a->filtered ? tp_filter_key_name(i) : NULL;
}

static tp_status unknown_param(const tp_analysis_info *a, const char *name)
{
    size_t count = a->param_count + a->option_count + tp_filter_key_count();
    const char *near = tp__nearest(name, count, known_name, a);
    const tp_option_info *opt = NULL;
    for (size_t i = 0; !opt && i < tp_option_count(); i++)
        if (!strcmp(tp_option_at(i)->name, name))
            opt = tp_option_at(i);
    if (opt)
        return tp__error(TP_EINVAL, "%s: '%s' is an option, not a parameter: set it in the "
                                    "options%s", a->name, name,
                         tp_analysis_reads_option(a, opt->key) ? "" : " (this analysis does "
                                                                      "not read it)");
    if (near)
        return tp__error(TP_EINVAL, "%s: unknown option or parameter '%.60s' (did you mean "
                                    "'%s'?)", a->name, name, near);
    if (!a->param_count)
        return tp__error(TP_EINVAL, "%s: unknown option or parameter '%.60s' (it takes no "
                                    "parameters)", a->name, name);
    char list[256] = "";
    for (size_t i = 0; i < a->param_count; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", a->params[i].name);
    }
    return tp__error(TP_EINVAL, "%s: unknown option or parameter '%.60s' (its parameters: %s)",
                     a->name, name, list);
}

/* A choice word; '_' stands for '-' ("time_decay"). */
static int is_choice(const char *value, const char *const *words)
{
    for (size_t i = 0; words && words[i]; i++) {
        size_t k = 0;
        while (value[k] && (value[k] == words[i][k] || (value[k] == '_' && words[i][k] == '-')))
            k++;
        if (!value[k] && !words[i][k])
            return 1;
    }
    return 0;
}

static tp_status check_value(const tp_analysis_info *a, const tp_param_info *p,
                             const char *value)
{
    if (p->type == TP_VALUE_CHOICE && !is_choice(value, p->choices)) {
        char list[256] = "";
        for (size_t i = 0; p->choices[i]; i++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", p->choices[i]);
        }
        const char *near = tp__nearest_word(value, p->choices);
        if (near)
            return tp__error(TP_EINVAL, "%s: %s '%.60s' is not one of %s (did you mean '%s'?)",
                             a->name, p->name, value, list, near);
        return tp__error(TP_EINVAL, "%s: %s '%.60s' is not one of %s", a->name, p->name, value,
                         list);
    }
    if (p->type == TP_VALUE_DURATION) {
        int64_t ms;
        if (tp__parse_duration_or_ms(value, &ms) != TP_OK)
            return tp__error(TP_EINVAL, "%s: %s '%.60s' is not a duration such as 7d, 12h, 90m "
                                        "or 45s (or milliseconds)", a->name, p->name, value);
    }
    if (p->type == TP_VALUE_TEXT && !*value && !(p->flags & TP_PARAM_LIST))
        return tp__error(TP_EINVAL, "%s: %s is empty", a->name, p->name);
    return TP_OK;
}

static tp_status check_params(const tp_analysis_info *a, const char *const *params, size_t n)
{
    if (n && !params)
        return tp__error(TP_EINVAL, "tp_analysis_run: params is NULL with %zu pairs", n);
    for (size_t i = 0; i < n; i++) {
        const char *key = params[2 * i], *value = params[2 * i + 1];
        if (!key || !value)
            return tp__error(TP_EINVAL, "%s: parameter %zu has no %s", a->name, i,
                             key ? "value" : "name");
        const tp_param_info *p = tp_analysis_param(a, key);
        if (!p)
            return unknown_param(a, key);
        for (size_t j = 0; j < i && !(p->flags & TP_PARAM_LIST); j++)
            if (!strcmp(params[2 * j], key))
                return tp__error(TP_EINVAL, "%s: %s is given twice", a->name, key);
        tp_status st = check_value(a, p, value);
        if (st != TP_OK)
            return st;
    }
    for (size_t k = 0; k < a->param_count; k++) {
        const tp_param_info *p = &a->params[k];
        int given = 0;
        for (size_t i = 0; i < n && !given; i++)
            given = !strcmp(params[2 * i], p->name);
        if ((p->flags & TP_PARAM_REQUIRED) && !given)
            return tp__error(TP_EINVAL, "%s needs %s: %s", a->name, p->name, p->doc);
    }
    return TP_OK;
}

static const char *input_name(unsigned bit)
{
    return bit == TP_INPUT_EVENTS ? "events" : bit == TP_INPUT_FEEDBACK ? "feedback" : "paths";
}

static tp_status check_inputs(const tp_analysis_info *a, const tp_events *ev,
                              const tp_feedback *fb, const tp_paths *paths,
                              const tp_filter *filter)
{
    unsigned given = (ev ? TP_INPUT_EVENTS : 0u) | (fb ? TP_INPUT_FEEDBACK : 0u) |
                     (paths ? TP_INPUT_PATHS : 0u);
    for (unsigned bit = 1; bit <= TP_INPUT_PATHS; bit <<= 1) {
        if ((given & bit) && !(a->takes & bit))
            return tp__error(TP_EINVAL, "%s does not read %s", a->name, input_name(bit));
        int have = (given & bit) || (bit == TP_INPUT_PATHS && ev);
        if ((a->needs & bit) && !have)
            return tp__error(TP_EINVAL, "%s needs %s%s", a->name, input_name(bit),
                             bit == TP_INPUT_PATHS ? " (or events)" : "");
    }
    if ((a->takes & TP_INPUT_PATHS) && paths && ev)
        return tp__error(TP_EINVAL, "%s: give events or paths, not both", a->name);
    if ((a->takes & TP_INPUT_PATHS) && paths && filter)
        return tp__error(TP_EINVAL, "%s: a filter applies to events, not to a path set",
                         a->name);
    return TP_OK;
}

TP_API tp_status tp_analysis_check(const char *name, const char *const *params,
                                   size_t param_count)
{
    tp_status st = TP_OK;
    const entry *e = find(name, &st);
    return e ? check_params(&e->info, params, param_count) : st;
}

/* ---- Running: one table set, or one per value of the breakdown ---- */

/* Run the entry, turning events into paths for the analyses of path sets. */
static tp_status run_entry(const entry *e, const run *given, tp_table **out, size_t n)
{
    run r = *given;
    tp_paths *own = NULL;
    if ((e->info.takes & TP_INPUT_PATHS) && !r.paths) {
        tp_status st = tp_paths_from_events(&own, r.ev, r.filter, r.opts);
        if (st != TP_OK)
            return st;
        r.paths = own;
        r.ev = NULL;
        r.filter = NULL;
    }
    tp_status st = e->run(&r, out, n);
    tp_paths_free(own);
    return st;
}

/* The most values a breakdown runs the analysis for. */
#define BREAKDOWN_MAX 1000

/* Breakdown: the analysis once per value of the attribute (and once for the
 * customers without one, "(none)"), each run on the filter with its own
 * conditions on that attribute replaced by attr=value, the blocks stacked
 * under a first column named after the attribute. Values the filter's own
 * conditions on the attribute exclude are left out. A scorecard per
 * touchpoint also tests each block against the rest of the selection. */
static tp_status run_breakdown(const entry *e, const run *r, tp_table **out, size_t n)
{
    const char *attr = r->opts->breakdown;
    if (r->paths || (!r->ev && !r->fb))
        return tp__error(TP_EINVAL,
                         "%s: breakdown needs events or feedback (the values of '%s' are "
                         "customers'; a path set has none)",
                         e->info.name, attr);
    const char **values = NULL;
    size_t nv = 0;
    int missing = 0;
    tp_status st = tp__attr_values(r->ev, r->fb, attr, BREAKDOWN_MAX, &values, &nv, &missing);
    if (st != TP_OK)
        return st;
    tp_options *opts = NULL;
    tp_filter *seg = NULL, *rest = NULL;
    tp_table *block[8] = {NULL};
    if (n > 8)
        return tp__error(TP_EINVAL, "%s: breakdown of more than 8 tables", e->info.name);
    int scorecard_test = !strcmp(e->info.name, "scorecard") && !param(r, "by");
    const char *first_note = NULL;
    char *note_copy = NULL;
    size_t blocks = 0;
    if ((st = tp_options_copy(r->opts, &opts)) == TP_OK)
        st = tp_options_set_text(opts, TP_OPT_BREAKDOWN, "");
    for (size_t v = 0; st == TP_OK && v < nv + (size_t)missing; v++) {
        const char *value = v < nv ? values[v] : "";
        if (!tp__filter_allows(r->filter, attr, value))
            continue;
        tp_filter_free(seg);
        tp_filter_free(rest);
        seg = rest = NULL;
        if ((st = tp__filter_copy_without(r->filter, attr, &seg)) != TP_OK ||
            (st = tp_filter_add_segment(seg, attr, value, 0)) != TP_OK)
            break;
        run one = *r;
        one.filter = seg;
        one.opts = opts;
        st = run_entry(e, &one, block, n);
        if (st == TP_OK && scorecard_test &&
            (st = tp__filter_copy_without(r->filter, NULL, &rest)) == TP_OK &&
            (st = tp_filter_add_segment(rest, attr, value, 1)) == TP_OK)
            st = tp__scorecard_vs_rest(r->ev, r->fb, seg, rest, opts, block[0]);
        for (size_t k = 0; st == TP_OK && k < n; k++) {
            if (block[k] && !first_note && tp_table_note(block[k]) && !tp_table_row_count(block[k]))
                first_note = note_copy = tp__strdup(tp_table_note(block[k]));
            if (block[k])
                st = tp__table_append_block(&out[k], attr, v < nv ? value : "(none)", block[k]);
        }
        for (size_t k = 0; k < n; k++) {
            tp_table_free(block[k]);
            block[k] = NULL;
        }
        blocks++;
    }
    /* no value passed: the tables still have their columns */
    if (st == TP_OK && !blocks)
        st = tp__error(TP_ENOTFOUND,
                       "%s: breakdown by '%s': the filter's conditions on '%s' leave no value",
                       e->info.name, attr, attr);
    for (size_t k = 0; st == TP_OK && k < n; k++)
        if (out[k] && !tp_table_row_count(out[k]) && first_note) {
            char why[600];
            snprintf(why, sizeof why, "breakdown by %s: every block is empty (%s)", attr,
                     first_note);
            st = tp_table_set_note(out[k], why);
        }
    tp__free(note_copy);
    tp__free(values);
    tp_filter_free(seg);
    tp_filter_free(rest);
    tp_options_free(opts);
    return st;
}

TP_API tp_status tp_analysis_run(const char *name, const tp_events *events,
                                 const tp_feedback *feedback, const tp_paths *paths,
                                 const tp_filter *filter, const tp_options *options,
                                 const char *const *params, size_t param_count, tp_table **out,
                                 size_t out_count)
{
    if (!out || !out_count)
        return tp__error(TP_EINVAL, "tp_analysis_run: no slot for the result (out, out_count)");
    for (size_t i = 0; i < out_count; i++)
        out[i] = NULL;
    tp_status st = TP_OK;
    const entry *e = find(name, &st);
    if (!e)
        return st;
    const tp_analysis_info *a = &e->info;
    st = check_params(a, params, param_count);
    if (st == TP_OK)
        st = check_inputs(a, events, feedback, paths, filter);
    if (st != TP_OK)
        return st;
    run r = {a,       events, feedback,    paths,
             filter,  options, params,     param_count,
             events ? tp_events_catalog(events) : NULL};
    size_t n = out_count < a->output_count ? out_count : a->output_count;
    st = options && options->breakdown[0] ? run_breakdown(e, &r, out, n) : run_entry(e, &r, out, n);
    if (st != TP_OK)
        for (size_t i = 0; i < out_count; i++) {
            tp_table_free(out[i]);
            out[i] = NULL;
        }
    return st;
}
