/* tp_options and tp_filter: the settings and row selection every analysis takes. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/options_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "touchpoint/time.h"

/* ---- filter ---- */

TP_API tp_status tp_filter_new(tp_filter **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_filter_new: out is NULL");
    tp_filter *f = tp__calloc(1, sizeof *f);
    if (!(*out = f))
        return tp__error(TP_ENOMEM, "out of memory");
    f->from = INT64_MIN;
    f->to = INT64_MAX;
    tp__intern_init(&f->text);
    return TP_OK;
}

TP_API void tp_filter_free(tp_filter *f)
{
    if (!f)
        return;
    tp__intern_free(&f->text);
    tp__vec_u32_free(&f->seg_attr);
    tp__vec_u32_free(&f->seg_value);
    tp__vec_u8_free(&f->seg_negate);
    tp__vec_u32_free(&f->stages);
    tp__vec_u32_free(&f->channels);
    tp__vec_u32_free(&f->touchpoints);
    tp__vec_u32_free(&f->owners);
    tp__vec_u32_free(&f->customers);
    tp__free(f);
}

TP_API tp_status tp_filter_set_time_range(tp_filter *f, int64_t from, int64_t to)
{
    if (!f)
        return tp__error(TP_EINVAL, "setting a filter's time window: the filter is NULL");
    if (from > to) {
        char a[32] = "", b[32] = "";
        if (tp_time_format(from, a, sizeof a) != TP_OK)
            snprintf(a, sizeof a, "%lld ms", (long long)from);
        if (tp_time_format(to, b, sizeof b) != TP_OK)
            snprintf(b, sizeof b, "%lld ms", (long long)to);
        return tp__error(TP_EINVAL, "filter: the time window starts (since %s) after it ends "
                                    "(until %s)",
                         a, b);
    }
    f->from = from;
    f->to = to;
    return TP_OK;
}

static tp_status text_id(tp_filter *f, const char *s, size_t len, const char *what, uint32_t *id)
{
    if (tp__utf8_check(s, len) != (size_t)-1)
        return tp__error(TP_EINVAL, "filter: %s is not valid UTF-8", what);
    if (tp__intern_put(&f->text, s, len, id))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

static tp_status add_segment(tp_filter *f, const char *attr, size_t alen, const char *value,
                             size_t vlen, int negate)
{
    if (alen == 0)
        return tp__error(TP_EINVAL, "filter: empty attribute name");
    uint32_t a, v;
    tp__intern_mark m = tp__intern_mark_get(&f->text);
    tp_status st = text_id(f, attr, alen, "attribute", &a);
    if (st == TP_OK)
        st = text_id(f, value, vlen, "value", &v);
    if (st == TP_OK && (tp__vec_u32_reserve(&f->seg_attr, 1) ||
                        tp__vec_u32_reserve(&f->seg_value, 1) ||
                        tp__vec_u8_reserve(&f->seg_negate, 1)))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st != TP_OK) {
        tp__intern_rollback(&f->text, m);
        return st;
    }
    f->seg_attr.data[f->seg_attr.len++] = a;
    f->seg_value.data[f->seg_value.len++] = v;
    f->seg_negate.data[f->seg_negate.len++] = negate ? 1 : 0;
    return TP_OK;
}

TP_API tp_status tp_filter_add_segment(tp_filter *f, const char *attribute, const char *value,
                                       int negate)
{
    if (!f || !attribute || !value)
        return tp__error(TP_EINVAL, "tp_filter_add_segment: NULL argument");
    return add_segment(f, attribute, strlen(attribute), value, strlen(value), negate);
}

TP_API tp_status tp_filter_parse_segment(tp_filter *f, const char *cond)
{
    if (!f || !cond)
        return tp__error(TP_EINVAL, "tp_filter_parse_segment: NULL argument");
    const char *eq = strchr(cond, '=');
    if (!eq)
        return tp__error(TP_EINVAL,
                         "segment '%.60s' has no operator: write attribute=value or attribute!=value",
                         cond);
    int negate = eq > cond && eq[-1] == '!';
    size_t alen = (size_t)(eq - cond) - (negate ? 1 : 0);
    return add_segment(f, cond, alen, eq + 1, strlen(eq + 1), negate);
}

static tp_status add_name(tp_filter *f, tp__vec_u32 *list, const char *s, const char *what)
{
    if (!f || !s)
        return tp__error(TP_EINVAL, "filter: %s is NULL", f ? what : "filter");
    uint32_t id;
    if (tp__vec_u32_reserve(list, 1))
        return tp__error(TP_ENOMEM, "out of memory");
    tp_status st = text_id(f, s, strlen(s), what, &id);
    if (st == TP_OK)
        list->data[list->len++] = id;
    return st;
}

TP_API tp_status tp_filter_add_stage(tp_filter *f, const char *stage)
{
    return add_name(f, f ? &f->stages : NULL, stage, "stage");
}

TP_API tp_status tp_filter_add_channel(tp_filter *f, const char *channel)
{
    return add_name(f, f ? &f->channels : NULL, channel, "channel");
}

TP_API tp_status tp_filter_add_touchpoint(tp_filter *f, const char *touchpoint)
{
    return add_name(f, f ? &f->touchpoints : NULL, touchpoint, "touchpoint");
}

TP_API tp_status tp_filter_add_owner(tp_filter *f, const char *owner)
{
    return add_name(f, f ? &f->owners : NULL, owner, "owner");
}

TP_API tp_status tp_filter_add_customer(tp_filter *f, const char *customer)
{
    return add_name(f, f ? &f->customers : NULL, customer, "customer");
}

static const struct {
    const char *name, *doc;
} filter_keys[] = {
    {"since", "keep rows at or after this time"},
    {"until", "keep rows before this time"},
    {"segment", "keep customers with attribute=value (or attribute!=value)"},
    {"stage", "keep touchpoints of this stage"},
    {"channel", "keep touchpoints of this channel"},
    {"touchpoint", "keep this touchpoint"},
    {"owner", "keep touchpoints this team owns"},
    {"customer", "keep this customer (by id)"},
};
#define FILTER_KEY_COUNT (sizeof filter_keys / sizeof filter_keys[0])

TP_API size_t tp_filter_key_count(void) { return FILTER_KEY_COUNT; }

TP_API const char *tp_filter_key_name(size_t i)
{
    return i < FILTER_KEY_COUNT ? filter_keys[i].name : NULL;
}

TP_API const char *tp_filter_key_doc(size_t i)
{
    return i < FILTER_KEY_COUNT ? filter_keys[i].doc : NULL;
}

static const char *filter_key_at(const void *ctx, size_t i)
{
    (void)ctx;
    return tp_filter_key_name(i);
}

/* The value list of a list key, or NULL for another key. */
static tp__vec_u32 *key_list(tp_filter *f, const char *key)
{
    return !strcmp(key, "stage")        ? &f->stages
           : !strcmp(key, "channel")    ? &f->channels
           : !strcmp(key, "touchpoint") ? &f->touchpoints
           : !strcmp(key, "owner")      ? &f->owners
           : !strcmp(key, "customer")   ? &f->customers
                                        : NULL;
}

static tp_status unknown_key(const char *key)
{
    const char *near = tp__nearest(key, FILTER_KEY_COUNT, filter_key_at, NULL);
    if (near)
        return tp__error(TP_EINVAL, "unknown filter key '%.60s' (did you mean '%s'?)", key, near);
    return tp__error(TP_EINVAL, "unknown filter key '%.60s' (keys: since, until, segment, stage, "
                                "channel, touchpoint, owner, customer)", key);
}

TP_API tp_status tp_filter_set(tp_filter *f, const char *key, const char *value)
{
    if (!f || !key || !value)
        return tp__error(TP_EINVAL, "tp_filter_set: NULL argument");
    if (!strcmp(key, "since") || !strcmp(key, "until")) {
        int64_t ms;
        int since = key[0] == 's';
        tp_status st = since ? tp_time_read(value, TP_EPOCH_AUTO, &ms)
                             : tp_time_read_end(value, TP_EPOCH_AUTO, &ms);
        if (st != TP_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", tp_last_error());
            return tp__error(st, "filter %s: %s", key, why);
        }
        int64_t from = since ? ms : f->from, to = since ? f->to : ms;
        if (from > to)
            return tp_filter_set_time_range(f, from, to);
        f->from = from;
        f->to = to;
        return TP_OK;
    }
    if (!strcmp(key, "segment"))
        return tp_filter_parse_segment(f, value);
    if (!strcmp(key, "stage"))
        return tp_filter_add_stage(f, value);
    if (!strcmp(key, "channel"))
        return tp_filter_add_channel(f, value);
    if (!strcmp(key, "touchpoint"))
        return tp_filter_add_touchpoint(f, value);
    if (!strcmp(key, "owner"))
        return tp_filter_add_owner(f, value);
    if (!strcmp(key, "customer"))
        return tp_filter_add_customer(f, value);
    return unknown_key(key);
}

/* A copy of src (a new empty filter when src is NULL) without its segment
 * conditions on attribute `skip` (ASCII case ignored, as columns match), or
 * with all of them when skip is NULL. */
tp_status tp__filter_copy_without(const tp_filter *src, const char *skip, tp_filter **out)
{
    *out = NULL;
    tp_filter *f;
    tp_status st = tp_filter_new(&f);
    if (st != TP_OK || !src) {
        *out = st == TP_OK ? f : NULL;
        return st;
    }
    f->from = src->from;
    f->to = src->to;
    for (size_t i = 0; i < src->seg_attr.len && st == TP_OK; i++) {
        const char *attr = tp__intern_str(&src->text, src->seg_attr.data[i]);
        if (!skip || strcasecmp(attr, skip))
            st = tp_filter_add_segment(f, attr, tp__intern_str(&src->text, src->seg_value.data[i]),
                                       src->seg_negate.data[i]);
    }
    const tp__vec_u32 *from[5] = {&src->stages, &src->channels, &src->touchpoints, &src->owners,
                                  &src->customers};
    tp__vec_u32 *to[5] = {&f->stages, &f->channels, &f->touchpoints, &f->owners, &f->customers};
    for (size_t k = 0; k < 5; k++)
        for (size_t i = 0; i < from[k]->len && st == TP_OK; i++)
            st = add_name(f, to[k], tp__intern_str(&src->text, from[k]->data[i]), "value");
    if (st != TP_OK) {
        tp_filter_free(f);
        return st;
    }
    *out = f;
    return TP_OK;
}

int tp__filter_allows(const tp_filter *f, const char *attr, const char *value)
{
    if (!f)
        return 1;
    /* conditions are grouped by their attribute's spelling, as the analyses
     * group them: every group must pass; within one, any `=` and no `!=` */
    for (size_t i = 0; i < f->seg_attr.len; i++) {
        if (strcasecmp(tp__intern_str(&f->text, f->seg_attr.data[i]), attr))
            continue;
        int seen_before = 0;
        for (size_t k = 0; k < i && !seen_before; k++)
            seen_before = f->seg_attr.data[k] == f->seg_attr.data[i];
        if (seen_before)
            continue;
        int npos = 0, pos = 0, neg = 0;
        for (size_t k = i; k < f->seg_attr.len; k++) {
            if (f->seg_attr.data[k] != f->seg_attr.data[i])
                continue;
            int same = !strcmp(tp__intern_str(&f->text, f->seg_value.data[k]), value);
            if (f->seg_negate.data[k])
                neg |= same;
            else
                npos++, pos |= same;
        }
        if (neg || (npos && !pos))
            return 0;
    }
    return 1;
}

TP_API tp_status tp_filter_copy(const tp_filter *src, tp_filter **out)
{
    if (!src || !out)
        return tp__error(TP_EINVAL, "tp_filter_copy: NULL argument");
    return tp__filter_copy_without(src, NULL, out);
}

TP_API tp_status tp_filter_clear(tp_filter *f, const char *key)
{
    if (!f)
        return tp__error(TP_EINVAL, "tp_filter_clear: filter is NULL");
    int all = key == NULL;
    if (!all && !strcmp(key, "since")) {
        f->from = INT64_MIN;
        return TP_OK;
    }
    if (!all && !strcmp(key, "until")) {
        f->to = INT64_MAX;
        return TP_OK;
    }
    if (all || !strcmp(key, "segment")) {
        f->seg_attr.len = f->seg_value.len = f->seg_negate.len = 0;
        if (!all)
            return TP_OK;
    }
    if (all) {
        f->from = INT64_MIN;
        f->to = INT64_MAX;
        f->stages.len = f->channels.len = f->touchpoints.len = f->owners.len = 0;
        f->customers.len = 0;
        return TP_OK;
    }
    tp__vec_u32 *list = key_list(f, key);
    if (!list)
        return unknown_key(key);
    list->len = 0;
    return TP_OK;
}

TP_API int tp_filter_selects(const tp_filter *f, const char *key, const char *value)
{
    if (!f || !key || !value)
        return 0;
    const tp__vec_u32 *list = key_list((tp_filter *)f, key);
    if (!list)
        return 0;
    if (list->len == 0)
        return 1;
    uint32_t id;
    if (!tp__intern_find(&f->text, value, strlen(value), &id))
        return 0;
    for (size_t i = 0; i < list->len; i++)
        if (list->data[i] == id)
            return 1;
    return 0;
}

/* ---- options ---- */

typedef struct spec {
    tp_option_info info; /* what tp_option_at() hands out */
    size_t offset;       /* of the value in struct tp_options */
    int is_int;          /* held as int64_t (every type but TP_VALUE_NUMBER and TEXT) */
} spec;

static const char *const periods[] = {"day", "week", "month", NULL};
static const char *const outcomes[] = {"recommend", "conversion", "repeat", NULL};
static const char *const noyes[] = {"no", "yes", NULL};
static const char *const collapses[] = {"none", "repeats", "loops", NULL};
static const char *const shapley_values[] = {"conversions", "rate", NULL};
static const char *const cohorts[] = {"first_event", "first_conversion", NULL};

/* Every option, described once: the command line, the bindings and their
 * documentation read this table through tp_option_info(). */
#define D(field) offsetof(struct tp_options, field)
#define OPT(key, name, type, min, max, min_open, max_open, nan_ok, choices, field, fallback, doc) \
    {{key, name, type, min, max, min_open, max_open, nan_ok, choices, fallback, doc}, field,      \
     type != TP_VALUE_NUMBER && type != TP_VALUE_TEXT}
static const spec specs[] = {
    OPT(TP_OPT_LEVEL, "level", TP_VALUE_NUMBER, 0, 1, 1, 1, 0, NULL, D(level), "0.95",
        "confidence level of every interval"),
    OPT(TP_OPT_ALPHA, "alpha", TP_VALUE_NUMBER, 0, 1, 1, 1, 0, NULL, D(alpha), "0.05",
        "significance level of the hot-spot and trend tests"),
    OPT(TP_OPT_MIN_RESPONSES, "min_responses", TP_VALUE_INTEGER, 1, 1e15, 0, 0, 0, NULL,
        D(min_responses), "30", "responses a touchpoint needs to be a hot spot or a driver; a scorecard metric with fewer is "
        "listed in low_sample"),
    OPT(TP_OPT_RATING_PRIOR_MEAN, "rating_prior_mean", TP_VALUE_NUMBER, 1, 5, 0, 0, 1, NULL,
        D(prior_mean), "nan", "prior mean of the Bayesian average rating (NaN: the overall mean)"),
    OPT(TP_OPT_RATING_PRIOR_WEIGHT, "rating_prior_weight", TP_VALUE_NUMBER, 0, 1e15, 0, 0, 0, NULL,
        D(prior_weight), "10", "prior weight C of the Bayesian average rating"),
    OPT(TP_OPT_WEIGHT_NPS, "weight_nps", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_NPS]), "1", "weight of NPS in the CX index"),
    OPT(TP_OPT_WEIGHT_CSAT, "weight_csat", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_CSAT]), "1", "weight of CSAT in the CX index"),
    OPT(TP_OPT_WEIGHT_CES, "weight_ces", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_CES]), "1", "weight of CES in the CX index"),
    OPT(TP_OPT_WEIGHT_RATING, "weight_rating", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_RATING]), "1", "weight of star ratings in the CX index"),
    OPT(TP_OPT_WEIGHT_SENTIMENT, "weight_sentiment", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_SENTIMENT]), "1", "weight of comment sentiment in the CX index"),
    OPT(TP_OPT_WEIGHT_AUDIT, "weight_audit", TP_VALUE_NUMBER, 0, 1e6, 0, 0, 0, NULL,
        D(weight[TP__M_AUDIT]), "1", "weight of audit compliance in the CX index"),
    OPT(TP_OPT_KNOCKOUT_PASS, "knockout_pass", TP_VALUE_NUMBER, 0, 100, 0, 0, 0, NULL,
        D(knockout_pass), "50", "score below which a knock-out audit item fails its whole visit"),
    OPT(TP_OPT_PERIOD, "period", TP_VALUE_CHOICE, 0, 2, 0, 0, 0, periods, D(period), "month",
        "period of a trend"),
    OPT(TP_OPT_OUTCOME, "outcome", TP_VALUE_CHOICE, 0, 2, 0, 0, 0, outcomes, D(outcome),
        "recommend", "outcome of the key-driver analysis"),
    OPT(TP_OPT_TOP_TERMS, "top_terms", TP_VALUE_INTEGER, 1, 1000000, 0, 0, 0, NULL, D(top_terms),
        "5", "sentiment terms per touchpoint and polarity; comment phrases per touchpoint"),
    OPT(TP_OPT_ALL_HOTSPOTS, "all_hotspots", TP_VALUE_FLAG, 0, 1, 0, 0, 0, noyes, D(all_hotspots),
        "no", "list every touchpoint, \"neutral\" when not a hot spot"),
    OPT(TP_OPT_BY_TOUCHPOINT, "by_touchpoint", TP_VALUE_FLAG, 0, 1, 0, 0, 0, noyes,
        D(by_touchpoint), "no", "a trend per touchpoint instead of overall"),
    OPT(TP_OPT_TIMEOUT, "timeout", TP_VALUE_DURATION, 1, 9.2e18, 0, 0, 0, NULL, D(timeout), "30d",
        "inactivity gap that ends a journey"),
    OPT(TP_OPT_TOP, "top", TP_VALUE_INTEGER, 1, 1e9, 0, 0, 0, NULL, D(top), "10",
        "rows of top-N lists (path variants)"),
    OPT(TP_OPT_COLLAPSE, "collapse", TP_VALUE_CHOICE, 0, 2, 0, 0, 0, collapses, D(collapse), "none",
        "how path variants treat repeated touchpoints"),
    OPT(TP_OPT_ORDER, "order", TP_VALUE_INTEGER, 1, 8, 0, 0, 0, NULL, D(order), "1",
        "Markov order: states are this many consecutive touches"),
    OPT(TP_OPT_HALF_LIFE, "half_life", TP_VALUE_DURATION, 1, 9.2e18, 0, 0, 0, NULL, D(half_life),
        "7d", "half-life of time-decay attribution"),
    OPT(TP_OPT_SHAPLEY_VALUE, "shapley_value", TP_VALUE_CHOICE, 0, 1, 0, 0, 0, shapley_values,
        D(shapley_value), "conversions", "value of a Shapley coalition"),
    OPT(TP_OPT_CREDIT_CONVERSION, "credit_conversion", TP_VALUE_FLAG, 0, 1, 0, 0, 0, noyes,
        D(credit_conversion), "no",
        "the conversion event's own touchpoint is the last touch of its path"),
    OPT(TP_OPT_SELF_LOOPS, "self_loops", TP_VALUE_FLAG, 0, 1, 0, 0, 0, noyes, D(self_loops), "no",
        "Markov keeps repeated consecutive states as self-loops"),
    OPT(TP_OPT_MAX_STEPS, "max_steps", TP_VALUE_INTEGER, 1, 1000, 0, 0, 0, NULL, D(max_steps), "5",
        "steps of the flow (Sankey) table"),
    OPT(TP_OPT_POSITION_FIRST, "position_first", TP_VALUE_NUMBER, 0, 1, 0, 0, 0, NULL,
        D(position_first), "0.4", "position-based attribution: share of the first touch"),
    OPT(TP_OPT_POSITION_LAST, "position_last", TP_VALUE_NUMBER, 0, 1, 0, 0, 0, NULL,
        D(position_last), "0.4", "position-based attribution: share of the last touch"),
    OPT(TP_OPT_THREADS, "threads", TP_VALUE_INTEGER, 0, 256, 0, 0, 0, NULL, D(threads), "1",
        "threads of the heaviest analyses (0: one per CPU); results do not depend on it"),
    OPT(TP_OPT_MARKOV_MAX_WORK, "markov_max_work", TP_VALUE_NUMBER, 1e6, 1e18, 0, 0, 0, NULL,
        D(markov_max_work), "3e10",
        "the most floating-point operations an exact Markov attribution may take (checked "
        "before it starts; raise it to wait longer)"),
    OPT(TP_OPT_BREAKDOWN, "breakdown", TP_VALUE_TEXT, 0, 0, 0, 0, 0, NULL, D(breakdown), "",
        "an attribute (a column of the events or feedback): one block of rows per value, the "
        "value first"),
    OPT(TP_OPT_COHORT, "cohort", TP_VALUE_CHOICE, 0, 1, 0, 0, 0, cohorts, D(cohort),
        "first_event",
        "retention cohorts by the period of the first event (active: any event) or of the first "
        "conversion (active: a conversion)"),
};
#undef D
#undef OPT
#define SPEC_COUNT (sizeof specs / sizeof specs[0])

static const spec *find_key(tp_option key)
{
    for (size_t i = 0; i < SPEC_COUNT; i++)
        if (specs[i].info.key == key)
            return &specs[i];
    return NULL;
}

static const spec *find_name(const char *name)
{
    for (size_t i = 0; name && i < SPEC_COUNT; i++)
        if (!strcmp(specs[i].info.name, name))
            return &specs[i];
    return NULL;
}

static const char *spec_name(const void *ctx, size_t i)
{
    (void)ctx;
    return specs[i].info.name;
}

static tp_status unknown_option(const char *name)
{
    const char *near = tp__nearest(name, SPEC_COUNT, spec_name, NULL);
    if (near)
        return tp__error(TP_EINVAL, "unknown option '%.60s' (did you mean '%s'?)", name, near);
    return tp__error(TP_EINVAL, "unknown option '%.60s'", name);
}

TP_API const char *tp_value_type_name(tp_value_type type)
{
    static const char *const names[] = {NULL, "number", "integer", "flag", "duration", "choice",
                                         "text"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

TP_API size_t tp_option_count(void) { return SPEC_COUNT; }

TP_API const tp_option_info *tp_option_at(size_t index)
{
    return index < SPEC_COUNT ? &specs[index].info : NULL;
}

TP_API const tp_option_info *tp_option_lookup(const char *name)
{
    const spec *s = find_name(name);
    if (!s) {
        if (name)
            unknown_option(name);
        else
            tp__error(TP_EINVAL, "no option name given");
        return NULL;
    }
    return &s->info;
}

void tp__options_defaults(struct tp_options *o)
{
    memset(o, 0, sizeof *o);
    o->level = 0.95;
    o->alpha = 0.05;
    o->min_responses = 30;
    o->prior_mean = NAN;
    o->prior_weight = 10.0;
    for (int m = 0; m < TP__M_COUNT; m++)
        o->weight[m] = 1.0;
    o->knockout_pass = 50.0;
    o->period = TP_PERIOD_MONTH;
    o->outcome = TP_OUTCOME_RECOMMEND;
    o->top_terms = 5;
    o->timeout = 30LL * 24 * 3600 * 1000;
    o->top = 10;
    o->order = 1;
    o->half_life = 7LL * 24 * 3600 * 1000;
    o->max_steps = 5;
    o->position_first = 0.4;
    o->position_last = 0.4;
    o->threads = 1;
    o->markov_max_work = TP__MARKOV_MAX_WORK;
}

const struct tp_options *tp__options_or_defaults(const tp_options *options,
                                                 struct tp_options *defaults)
{
    if (options)
        return options;
    tp__options_defaults(defaults);
    return defaults;
}

TP_API tp_status tp_options_new(tp_options **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_options_new: out is NULL");
    tp_options *o = tp__malloc(sizeof *o);
    if (!(*out = o))
        return tp__error(TP_ENOMEM, "out of memory");
    tp__options_defaults(o);
    tp__intern_init(&o->knockouts);
    return TP_OK;
}

TP_API tp_status tp_options_copy(const tp_options *o, tp_options **out)
{
    if (out)
        *out = NULL;
    if (!o || !out)
        return tp__error(TP_EINVAL, "tp_options_copy: %s is NULL", o ? "out" : "options");
    tp_options *c = tp__malloc(sizeof *c);
    if (!c)
        return tp__error(TP_ENOMEM, "out of memory");
    *c = *o;
    tp__intern_init(&c->knockouts);
    uint32_t id;
    for (size_t i = 0; i < tp__intern_count(&o->knockouts); i++)
        if (tp__intern_put(&c->knockouts, tp__intern_str(&o->knockouts, (uint32_t)i),
                           tp__intern_len(&o->knockouts, (uint32_t)i), &id)) {
            tp_options_free(c);
            return tp__error(TP_ENOMEM, "out of memory");
        }
    *out = c;
    return TP_OK;
}

TP_API void tp_options_free(tp_options *o)
{
    if (!o)
        return;
    tp__intern_free(&o->knockouts);
    tp__free(o);
}

static tp_status range_error(const spec *s)
{
    if (s->is_int)
        return tp__error(TP_EINVAL, "option %s must be an integer from %.15g to %.15g", s->info.name,
                         s->info.min, s->info.max);
    return tp__error(TP_EINVAL, "option %s must be a number in %c%.15g, %.15g%c%s", s->info.name,
                     s->info.min_open ? '(' : '[', s->info.min, s->info.max, s->info.max_open ? ')' : ']',
                     s->info.nan_ok ? " (or NaN for the default)" : "");
}

static int in_range(const spec *s, double v)
{
    if (isnan(v))
        return s->info.nan_ok;
    return (s->info.min_open ? v > s->info.min : v >= s->info.min) && (s->info.max_open ? v < s->info.max : v <= s->info.max);
}

TP_API tp_status tp_options_set_double(tp_options *o, tp_option key, double value)
{
    const spec *s = find_key(key);
    if (!o || !s || s->is_int || s->info.type == TP_VALUE_TEXT)
        return tp__error(TP_EINVAL, "tp_options_set_double: %s",
                         !o ? "options is NULL"
                         : !s ? "unknown option"
                         : s->is_int ? "option takes an integer (tp_options_set_int)"
                                     : "option takes text (tp_options_set_text)");
    if (!in_range(s, value))
        return range_error(s);
    *(double *)(void *)((char *)o + s->offset) = value;
    return TP_OK;
}

TP_API tp_status tp_options_set_int(tp_options *o, tp_option key, int64_t value)
{
    const spec *s = find_key(key);
    if (!o || !s || !s->is_int)
        return tp__error(TP_EINVAL, "tp_options_set_int: %s",
                         !o ? "options is NULL"
                         : !s ? "unknown option"
                         : s->info.type == TP_VALUE_TEXT
                             ? "option takes text (tp_options_set_text)"
                             : "option takes a number (tp_options_set_double)");
    if (!in_range(s, (double)value))
        return range_error(s);
    *(int64_t *)(void *)((char *)o + s->offset) = value;
    return TP_OK;
}

TP_API tp_status tp_options_get_double(const tp_options *o, tp_option key, double *out)
{
    const spec *s = find_key(key);
    if (!o || !s || s->is_int || s->info.type == TP_VALUE_TEXT || !out)
        return tp__error(TP_EINVAL, "tp_options_get_double: bad argument, integer or text option");
    *out = *(const double *)(const void *)((const char *)o + s->offset);
    return TP_OK;
}

TP_API tp_status tp_options_get_int(const tp_options *o, tp_option key, int64_t *out)
{
    const spec *s = find_key(key);
    if (!o || !s || !s->is_int || !out)
        return tp__error(TP_EINVAL, "tp_options_get_int: bad argument or double option");
    *out = *(const int64_t *)(const void *)((const char *)o + s->offset);
    return TP_OK;
}

TP_API tp_status tp_options_set_text(tp_options *o, tp_option key, const char *value)
{
    const spec *s = find_key(key);
    if (!o || !s || s->info.type != TP_VALUE_TEXT)
        return tp__error(TP_EINVAL, "tp_options_set_text: %s",
                         !o ? "options is NULL" : !s ? "unknown option" : "not a text option");
    char *dst = (char *)o + s->offset;
    size_t len = value ? strlen(value) : 0;
    const char *why = len ? tp__ident_problem(value, len) : NULL;
    if (why)
        return tp__error(TP_EINVAL, "option %s: %s", s->info.name, why);
    memcpy(dst, value ? value : "", len + 1);
    return TP_OK;
}

TP_API tp_status tp_options_get_text(const tp_options *o, tp_option key, const char **out)
{
    const spec *s = find_key(key);
    if (!o || !s || s->info.type != TP_VALUE_TEXT || !out)
        return tp__error(TP_EINVAL, "tp_options_get_text: bad argument or not a text option");
    *out = (const char *)o + s->offset;
    return TP_OK;
}

static int word_value(const char *v, const char *const *words, int64_t *out)
{
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(v, words[i])) {
            *out = (int64_t)i;
            return 1;
        }
    return 0;
}

/* "nps=2,csat=1": every name must be a metric; all or nothing. */
static tp_status set_weights(tp_options *o, const char *text)
{
    static const char *const names[TP__M_COUNT] = {"nps",    "csat",      "ces",
                                                   "rating", "sentiment", "audit"};
    double w[TP__M_COUNT];
    memcpy(w, o->weight, sizeof w);
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        int m = -1;
        for (int k = 0; eq && k < TP__M_COUNT; k++)
            if ((size_t)(eq - p) == strlen(names[k]) && !memcmp(p, names[k], (size_t)(eq - p)))
                m = k;
        double v;
        if (m < 0 || tp__parse_double(eq + 1, n - (size_t)(eq - p) - 1, &v) != TP_OK ||
            !(v >= 0.0 && v <= 1e6))
            return tp__error(TP_EINVAL,
                             "weights: '%.*s' is not metric=number (metrics: nps, csat, ces, "
                             "rating, sentiment, audit; numbers 0 to 1e6)",
                             (int)(n < 60 ? n : 60), p);
        w[m] = v;
        p += n;
        if (*p == ',')
            p++;
    }
    memcpy(o->weight, w, sizeof w);
    return TP_OK;
}

/* A duration such as "30d", "12h", "90m" or "45s", in milliseconds. */
static tp_status set_duration(tp_options *o, const spec *s, const char *value, size_t len)
{
    int64_t ms;
    if (tp__parse_duration(value, len, &ms) != TP_OK)
        return tp__error(TP_EINVAL,
                         "option %s: '%.60s' is not a duration such as 30d, 12h, 90m or 45s",
                         s->info.name, value);
    return tp_options_set_int(o, s->info.key, ms);
}

static const char *choice_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

TP_API tp_status tp_options_set(tp_options *o, const char *name, const char *value)
{
    if (!o || !name || !value)
        return tp__error(TP_EINVAL, "tp_options_set: NULL argument");
    if (!strcmp(name, "weights"))
        return set_weights(o, value);
    const spec *s = find_name(name);
    if (!s)
        return unknown_option(name);
    if (s->info.type == TP_VALUE_TEXT)
        return tp_options_set_text(o, s->info.key, value);
    int64_t iv;
    static const char *const falsetrue[] = {"false", "true", NULL};
    if (s->info.choices && (word_value(value, s->info.choices, &iv) ||
                     (s->info.type == TP_VALUE_FLAG && word_value(value, falsetrue, &iv))))
        return tp_options_set_int(o, s->info.key, iv);
    if (s->info.choices && s->info.type != TP_VALUE_FLAG) {
        char list[160] = "";
        for (size_t i = 0; s->info.choices[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, s->info.choices[i], sizeof list - strlen(list) - 1);
        }
        size_t n = 0;
        while (s->info.choices[n])
            n++;
        const char *near = tp__nearest(value, n, choice_at, s->info.choices);
        if (near)
            return tp__error(TP_EINVAL, "option %s: '%.60s' is not one of %s (did you mean '%s'?)",
                             s->info.name, value, list, near);
        return tp__error(TP_EINVAL, "option %s: '%.60s' is not one of %s", s->info.name, value, list);
    }
    size_t vlen = strlen(value);
    if (s->info.type == TP_VALUE_DURATION && vlen > 1 && strchr("dhms", value[vlen - 1]))
        return set_duration(o, s, value, vlen);
    double v;
    if (!strcmp(value, "nan") || !strcmp(value, "NaN"))
        v = NAN;
    else if (tp__parse_double(value, strlen(value), &v) != TP_OK)
        return tp__error(TP_EINVAL, "option %s: '%.60s' is not a number", s->info.name, value);
    if (s->is_int) {
        if (v != floor(v) || !in_range(s, v))
            return range_error(s);
        return tp_options_set_int(o, s->info.key, (int64_t)v);
    }
    return tp_options_set_double(o, s->info.key, v);
}

TP_API tp_status tp_options_add_knockout(tp_options *o, const char *item)
{
    if (!o || !item)
        return tp__error(TP_EINVAL, "tp_options_add_knockout: NULL argument");
    if (!strncmp(item, "audit:", 6))
        item += 6;
    size_t len = strlen(item);
    const char *why = tp__ident_problem(item, len);
    if (why)
        return tp__error(TP_EINVAL, "knock-out item: %s", why);
    uint32_t id;
    if (tp__intern_put(&o->knockouts, item, len, &id))
        return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

TP_API tp_status tp_options_set_progress(tp_options *o, tp_analysis_progress_fn fn,
                                         void *user_data)
{
    if (!o)
        return tp__error(TP_EINVAL, "tp_options_set_progress: options is NULL");
    o->progress = fn;
    o->progress_data = user_data;
    return TP_OK;
}

tp_status tp__options_progress(const struct tp_options *o, uint64_t done, uint64_t total)
{
    if (o && o->progress && o->progress(o->progress_data, done, total))
        return tp__error(TP_ECANCELED, "cancelled by the progress callback (%llu of %llu done)",
                         (unsigned long long)done, (unsigned long long)total);
    return TP_OK;
}

TP_API tp_status tp_options_set_lexicon(tp_options *o, const tp_lexicon *lexicon)
{
    if (!o)
        return tp__error(TP_EINVAL, "tp_options_set_lexicon: options is NULL");
    o->lexicon = lexicon;
    return TP_OK;
}
