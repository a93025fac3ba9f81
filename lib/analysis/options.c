/* tp_options and tp_filter: the settings and row selection every analysis takes. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "analysis/options_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/numtext.h"
#include "core/utf8.h"

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
    tp__free(f);
}

TP_API tp_status tp_filter_set_time_range(tp_filter *f, int64_t from, int64_t to)
{
    if (!f || from > to)
        return tp__error(TP_EINVAL, "tp_filter_set_time_range: %s",
                         f ? "from is after to" : "filter is NULL");
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

/* ---- options ---- */

typedef struct spec {
    tp_option key;
    const char *name;
    int is_int;
    double min, max;
    int open_min, open_max; /* bounds excluded */
    int nan_ok;
    size_t offset;
    const char *const *words; /* by-name values of an enumerated integer, NULL-terminated */
    int duration;             /* milliseconds, also written "30d", "12h", "90m", "45s" */
} spec;

static const char *const periods[] = {"day", "week", "month", NULL};
static const char *const outcomes[] = {"recommend", "conversion", "repeat", NULL};
static const char *const noyes[] = {"no", "yes", NULL};
static const char *const collapses[] = {"none", "repeats", "loops", NULL};
static const char *const shapley_values[] = {"conversions", "rate", NULL};

#define D(field) offsetof(struct tp_options, field)
static const spec specs[] = {
    {TP_OPT_LEVEL, "level", 0, 0, 1, 1, 1, 0, D(level), NULL, 0},
    {TP_OPT_ALPHA, "alpha", 0, 0, 1, 1, 1, 0, D(alpha), NULL, 0},
    {TP_OPT_MIN_RESPONSES, "min_responses", 1, 1, 1e15, 0, 0, 0, D(min_responses), NULL, 0},
    {TP_OPT_RATING_PRIOR_MEAN, "rating_prior_mean", 0, 1, 5, 0, 0, 1, D(prior_mean), NULL, 0},
    {TP_OPT_RATING_PRIOR_WEIGHT, "rating_prior_weight", 0, 0, 1e15, 0, 0, 0, D(prior_weight), NULL, 0},
    {TP_OPT_WEIGHT_NPS, "weight_nps", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_NPS]), NULL, 0},
    {TP_OPT_WEIGHT_CSAT, "weight_csat", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_CSAT]), NULL, 0},
    {TP_OPT_WEIGHT_CES, "weight_ces", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_CES]), NULL, 0},
    {TP_OPT_WEIGHT_RATING, "weight_rating", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_RATING]), NULL, 0},
    {TP_OPT_WEIGHT_SENTIMENT, "weight_sentiment", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_SENTIMENT]), NULL, 0},
    {TP_OPT_WEIGHT_AUDIT, "weight_audit", 0, 0, 1e6, 0, 0, 0, D(weight[TP__M_AUDIT]), NULL, 0},
    {TP_OPT_KNOCKOUT_PASS, "knockout_pass", 0, 0, 100, 0, 0, 0, D(knockout_pass), NULL, 0},
    {TP_OPT_PERIOD, "period", 1, 0, 2, 0, 0, 0, D(period), periods, 0},
    {TP_OPT_OUTCOME, "outcome", 1, 0, 2, 0, 0, 0, D(outcome), outcomes, 0},
    {TP_OPT_TOP_TERMS, "top_terms", 1, 1, 1000000, 0, 0, 0, D(top_terms), NULL, 0},
    {TP_OPT_ALL_HOTSPOTS, "all_hotspots", 1, 0, 1, 0, 0, 0, D(all_hotspots), noyes, 0},
    {TP_OPT_BY_TOUCHPOINT, "by_touchpoint", 1, 0, 1, 0, 0, 0, D(by_touchpoint), noyes, 0},
    {TP_OPT_TIMEOUT, "timeout", 1, 1, 9.2e18, 0, 0, 0, D(timeout), NULL, 1},
    {TP_OPT_TOP, "top", 1, 1, 1e9, 0, 0, 0, D(top), NULL, 0},
    {TP_OPT_COLLAPSE, "collapse", 1, 0, 2, 0, 0, 0, D(collapse), collapses, 0},
    {TP_OPT_ORDER, "order", 1, 1, 8, 0, 0, 0, D(order), NULL, 0},
    {TP_OPT_HALF_LIFE, "half_life", 1, 1, 9.2e18, 0, 0, 0, D(half_life), NULL, 1},
    {TP_OPT_SHAPLEY_VALUE, "shapley_value", 1, 0, 1, 0, 0, 0, D(shapley_value), shapley_values, 0},
    {TP_OPT_CREDIT_CONVERSION, "credit_conversion", 1, 0, 1, 0, 0, 0, D(credit_conversion), noyes,
     0},
    {TP_OPT_SELF_LOOPS, "self_loops", 1, 0, 1, 0, 0, 0, D(self_loops), noyes, 0},
    {TP_OPT_MAX_STEPS, "max_steps", 1, 1, 1000, 0, 0, 0, D(max_steps), NULL, 0},
    {TP_OPT_POSITION_FIRST, "position_first", 0, 0, 1, 0, 0, 0, D(position_first), NULL, 0},
    {TP_OPT_POSITION_LAST, "position_last", 0, 0, 1, 0, 0, 0, D(position_last), NULL, 0},
    {TP_OPT_THREADS, "threads", 1, 0, 256, 0, 0, 0, D(threads), NULL, 0},
};
#undef D

static const spec *find_key(tp_option key)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (specs[i].key == key)
            return &specs[i];
    return NULL;
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
        return tp__error(TP_EINVAL, "option %s must be an integer from %.15g to %.15g", s->name,
                         s->min, s->max);
    return tp__error(TP_EINVAL, "option %s must be a number in %c%.15g, %.15g%c%s", s->name,
                     s->open_min ? '(' : '[', s->min, s->max, s->open_max ? ')' : ']',
                     s->nan_ok ? " (or NaN for the default)" : "");
}

static int in_range(const spec *s, double v)
{
    if (isnan(v))
        return s->nan_ok;
    return (s->open_min ? v > s->min : v >= s->min) && (s->open_max ? v < s->max : v <= s->max);
}

TP_API tp_status tp_options_set_double(tp_options *o, tp_option key, double value)
{
    const spec *s = find_key(key);
    if (!o || !s || s->is_int)
        return tp__error(TP_EINVAL, "tp_options_set_double: %s",
                         !o ? "options is NULL"
                         : !s ? "unknown option"
                              : "option takes an integer (tp_options_set_int)");
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
                              : "option takes a number (tp_options_set_double)");
    if (!in_range(s, (double)value))
        return range_error(s);
    *(int64_t *)(void *)((char *)o + s->offset) = value;
    return TP_OK;
}

TP_API tp_status tp_options_get_double(const tp_options *o, tp_option key, double *out)
{
    const spec *s = find_key(key);
    if (!o || !s || s->is_int || !out)
        return tp__error(TP_EINVAL, "tp_options_get_double: bad argument or integer option");
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
                         s->name, value);
    return tp_options_set_int(o, s->key, ms);
}

TP_API tp_status tp_options_set(tp_options *o, const char *name, const char *value)
{
    if (!o || !name || !value)
        return tp__error(TP_EINVAL, "tp_options_set: NULL argument");
    if (!strcmp(name, "weights"))
        return set_weights(o, value);
    const spec *s = NULL;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (!strcmp(specs[i].name, name))
            s = &specs[i];
    if (!s)
        return tp__error(TP_EINVAL, "unknown option '%.60s'", name);
    int64_t iv;
    static const char *const falsetrue[] = {"false", "true", NULL};
    if (s->words && (word_value(value, s->words, &iv) ||
                     (s->words == noyes && word_value(value, falsetrue, &iv))))
        return tp_options_set_int(o, s->key, iv);
    if (s->words && s->words != noyes) {
        char list[160] = "";
        for (size_t i = 0; s->words[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, s->words[i], sizeof list - strlen(list) - 1);
        }
        return tp__error(TP_EINVAL, "option %s: '%.60s' is not one of %s", s->name, value, list);
    }
    size_t vlen = strlen(value);
    if (s->duration && vlen > 1 && strchr("dhms", value[vlen - 1]))
        return set_duration(o, s, value, vlen);
    double v;
    if (!strcmp(value, "nan") || !strcmp(value, "NaN"))
        v = NAN;
    else if (tp__parse_double(value, strlen(value), &v) != TP_OK)
        return tp__error(TP_EINVAL, "option %s: '%.60s' is not a number", s->name, value);
    if (s->is_int) {
        if (v != floor(v) || !in_range(s, v))
            return range_error(s);
        return tp_options_set_int(o, s->key, (int64_t)v);
    }
    return tp_options_set_double(o, s->key, v);
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

TP_API tp_status tp_options_set_lexicon(tp_options *o, const tp_lexicon *lexicon)
{
    if (!o)
        return tp__error(TP_EINVAL, "tp_options_set_lexicon: options is NULL");
    o->lexicon = lexicon;
    return TP_OK;
}
