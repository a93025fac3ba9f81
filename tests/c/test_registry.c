/* The analysis registry: its description holds together, every analysis runs by
 * name with the same result as its typed function, an analysis reads no option
 * it does not declare, and every wrong call is refused with a message that names
 * what is wrong. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static tp_catalog *cat;
static tp_events *ev;
static tp_feedback *fb;

static int load_sample(void)
{
    if (ev)
        return 0;
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog.json", TP_SAMPLE_DATA);
    if (tp_catalog_load_json(&cat, path) != TP_OK || tp_events_new(&ev, cat) != TP_OK ||
        tp_feedback_new(&fb, cat) != TP_OK)
        return -1;
    snprintf(path, sizeof path, "%s/events.csv", TP_SAMPLE_DATA);
    if (tp_events_read_csv(ev, path, NULL, NULL) != TP_OK)
        return -1;
    snprintf(path, sizeof path, "%s/feedback.csv", TP_SAMPLE_DATA);
    return tp_feedback_read_csv(fb, path, NULL, NULL) == TP_OK ? 0 : -1;
}

static char *csv(const tp_table *t)
{
    char *out = NULL;
    if (!t || tp_table_format(t, TP_FORMAT_CSV, &out, NULL) != TP_OK)
        return NULL;
    return out;
}

/* The parameters every analysis is run with here (the sample's touchpoints). */
static size_t params_of(const tp_analysis_info *a, const char **p)
{
    size_t n = 0;
    if (!strcmp(a->name, "funnel")) {
        p[0] = "steps", p[1] = "website,cart";
        p[2] = "steps", p[3] = "online-checkout?";
        n = 2;
    } else if (!strcmp(a->name, "next_touchpoints")) {
        p[0] = "after", p[1] = "website";
        n = 1;
    } else if (!strcmp(a->name, "profile")) {
        p[0] = "id", p[1] = "C03434";
        n = 1;
    }
    return n;
}

/* Run @p a on the sample with @p opts; all its tables as CSV, joined. */
static char *run_all(const tp_analysis_info *a, const tp_options *opts)
{
    const char *p[8];
    size_t np = params_of(a, p);
    tp_table *out[4] = {NULL};
    const tp_feedback *f = (a->takes & TP_INPUT_FEEDBACK) ? fb : NULL;
    tp_status st = tp_analysis_run(a->name, ev, f, NULL, NULL, opts, p, np, out,
                                   a->output_count);
    if (st != TP_OK) {
        fprintf(stderr, "\n  %s: %s\n", a->name, tp_last_error());
        return NULL;
    }
    size_t len = 1;
    char *parts[4] = {NULL};
    for (size_t i = 0; i < a->output_count; i++) {
        parts[i] = csv(out[i]);
        len += parts[i] ? strlen(parts[i]) + 1 : 8;
        tp_table_free(out[i]);
    }
    char *all = calloc(1, len);
    for (size_t i = 0; all && i < a->output_count; i++) {
        strcat(all, parts[i] ? parts[i] : "(none)");
        strcat(all, "\n");
        tp_free(parts[i]);
    }
    return all;
}

/* ---- The description ---- */

static void test_description(void)
{
    CU_ASSERT_TRUE(tp_analysis_count() >= 16);
    CU_ASSERT_PTR_NULL(tp_analysis_at(tp_analysis_count()));
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_EQUAL(tp_analysis_lookup(a->name), a);
        CU_ASSERT_TRUE(a->doc && *a->doc);
        CU_ASSERT_TRUE(a->needs && (a->needs & a->takes) == a->needs);
        CU_ASSERT_TRUE(a->output_count >= 1 && a->output_count <= 4);
        for (size_t j = 0; j < i; j++)
            CU_ASSERT_STRING_NOT_EQUAL(tp_analysis_at(j)->name, a->name);
        for (size_t k = 0; k < a->output_count; k++)
            CU_ASSERT_TRUE(a->outputs[k].name && a->outputs[k].columns &&
                           a->outputs[k].columns[0] && a->outputs[k].doc);
        for (size_t k = 0; k < a->option_count; k++)
            for (size_t j = 0; j < k; j++)
                CU_ASSERT_NOT_EQUAL(a->options[j], a->options[k]);
        for (size_t k = 0; k < a->param_count; k++) {
            const tp_param_info *p = &a->params[k];
            CU_ASSERT_PTR_EQUAL(tp_analysis_param(a, p->name), p);
            CU_ASSERT_TRUE(p->doc && *p->doc);
            CU_ASSERT_TRUE(p->type == TP_VALUE_TEXT || p->type == TP_VALUE_CHOICE ||
                           p->type == TP_VALUE_DURATION);
            CU_ASSERT_TRUE(p->type != TP_VALUE_CHOICE || (p->choices && p->choices[0]));
            /* a parameter's name is not an option's or a filter key's: the faces
             * take all three as keywords of one call */
            for (size_t o = 0; o < tp_option_count(); o++)
                CU_ASSERT_STRING_NOT_EQUAL(tp_option_at(o)->name, p->name);
            for (size_t f = 0; f < tp_filter_key_count(); f++)
                CU_ASSERT_STRING_NOT_EQUAL(tp_filter_key_name(f), p->name);
            CU_ASSERT_PTR_NULL(tp_analysis_param(a, "no-such-parameter"));
        }
    }
    CU_ASSERT_PTR_NULL(tp_analysis_lookup("fnnel"));
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'funnel'?");
    CU_ASSERT_PTR_NULL(tp_analysis_lookup(NULL));
    CU_ASSERT_PTR_NULL(tp_analysis_lookup("zzzzzzzzzz"));
    ASSERT_CONTAINS(tp_last_error(), "unknown analysis 'zzzzzzzzzz'");
}

/* ---- By name = typed ---- */

/* The typed function's tables for analysis @p name, as the registry would run it. */
static int typed(const char *name, tp_table **t, size_t *n)
{
    tp_status st = TP_OK;
    *n = 1;
    t[1] = t[2] = t[3] = NULL;
    if (!strcmp(name, "scorecard"))
        st = tp_scorecard(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "targets"))
        st = tp_targets(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "roadmap"))
        st = tp_roadmap(ev, fb, NULL, NULL, NULL, &t[0]);
    else if (!strcmp(name, "hotspots"))
        st = tp_hotspots(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "drivers"))
        st = tp_drivers(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "trend"))
        st = tp_trend(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "sentiment_terms"))
        st = tp_sentiment_terms(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "phrases"))
        st = tp_comment_phrases(ev, fb, NULL, NULL, &t[0]);
    else if (!strcmp(name, "journeys"))
        st = tp_journeys(ev, NULL, NULL, &t[0]);
    else if (!strcmp(name, "transitions"))
        st = tp_transitions(ev, NULL, NULL, &t[0]);
    else if (!strcmp(name, "variants"))
        st = tp_variants(ev, NULL, NULL, &t[0]);
    else if (!strcmp(name, "conversion_times"))
        st = tp_conversion_times(ev, NULL, NULL, &t[0]);
    else if (!strcmp(name, "next_touchpoints"))
        st = tp_next_touchpoints(ev, "website", NULL, NULL, &t[0]);
    else if (!strcmp(name, "flow"))
        st = tp_flow(ev, NULL, NULL, &t[0]);
    else if (!strcmp(name, "funnel")) {
        tp_funnel *f = NULL;
        st = tp_funnel_new(&f);
        st = st ? st : tp_funnel_add_step(f, "website", 0, 0);
        st = st ? st : tp_funnel_add_step(f, "cart", 0, 0);
        st = st ? st : tp_funnel_add_step(f, "online-checkout", 1, 0);
        st = st ? st : tp_funnel_run(ev, f, NULL, NULL, &t[0], &t[1]);
        tp_funnel_free(f);
        *n = 2;
    } else if (!strcmp(name, "conformance")) {
        st = tp_conformance(ev, "online-purchase", NULL, NULL, &t[0], &t[1]);
        *n = 2;
    } else if (!strcmp(name, "retention")) {
        st = tp_retention(ev, NULL, NULL, &t[0], &t[1]);
        *n = 2;
    } else if (!strcmp(name, "repeat")) {
        st = tp_repeat_purchases(ev, NULL, NULL, &t[0]);
    } else if (!strcmp(name, "engagement")) {
        st = tp_engagement(ev, NULL, NULL, &t[0], &t[1]);
        *n = 2;
    } else if (!strcmp(name, "profile")) {
        st = tp_profile(ev, fb, "C03434", NULL, NULL, &t[0], &t[1], &t[2], &t[3]);
        *n = 4;
    } else {
        tp_paths *p = NULL;
        st = tp_paths_from_events(&p, ev, NULL, NULL);
        if (st == TP_OK && !strcmp(name, "attribute"))
            st = tp_attribute(p, TP_MODEL_ALL, NULL, &t[0]);
        else if (st == TP_OK && !strcmp(name, "attribution_compare"))
            st = tp_attribution_compare(p, NULL, &t[0]);
        else if (st == TP_OK && !strcmp(name, "markov_chain")) {
            double pc = 0;
            st = tp_markov_chain(p, NULL, &t[0], &pc);
            *n = 2;
            /* the summary: p_conversion and the path totals */
            size_t col, row;
            st = st ? st : tp_table_new(&t[1]);
            st = st ? st : tp_table_add_column(t[1], "p_conversion", TP_TYPE_DOUBLE, &col);
            st = st ? st : tp_table_add_column(t[1], "paths", TP_TYPE_INT64, &col);
            st = st ? st : tp_table_add_column(t[1], "conversions", TP_TYPE_DOUBLE, &col);
            st = st ? st : tp_table_add_column(t[1], "nulls", TP_TYPE_DOUBLE, &col);
            st = st ? st : tp_table_add_column(t[1], "value", TP_TYPE_DOUBLE, &col);
            st = st ? st : tp_table_append_row(t[1], &row);
            st = st ? st : tp_table_set_double(t[1], 0, 0, pc);
            st = st ? st : tp_table_set_int64(t[1], 0, 1, (int64_t)tp_paths_count(p));
            st = st ? st : tp_table_set_double(t[1], 0, 2, tp_paths_conversions(p));
            st = st ? st : tp_table_set_double(t[1], 0, 3, tp_paths_nulls(p));
            st = st ? st : tp_table_set_double(t[1], 0, 4, tp_paths_value(p));
        } else if (st == TP_OK) {
            st = TP_ENOTFOUND;
        }
        tp_paths_free(p);
    }
    if (st != TP_OK)
        fprintf(stderr, "\n  typed %s: %s\n", name, tp_last_error());
    return st == TP_OK ? 0 : -1;
}

/* The unit a column of this name must have: times, lengths of time and yes/no
 * columns say so, so that every face shows them as what they are. */
static tp_unit unit_by_name(const char *name)
{
    static const char *const times[] = {"timestamp", "start", "end", NULL};
    static const char *const flags[] = {"converted", "exited", "significant", "optional", NULL};
    for (size_t i = 0; times[i]; i++)
        if (!strcmp(name, times[i]))
            return TP_UNIT_TIME;
    for (size_t i = 0; flags[i]; i++)
        if (!strcmp(name, flags[i]))
            return TP_UNIT_FLAG;
    size_t n = strlen(name);
    if (!strcmp(name, "duration") || (n > 3 && !strcmp(name + n - 3, "_ms")))
        return TP_UNIT_DURATION;
    return TP_UNIT_NONE;
}

static void check_units(const char *analysis, const tp_table *t)
{
    for (size_t c = 0; t && c < tp_table_column_count(t); c++) {
        const char *name = tp_table_column_name(t, c);
        tp_unit want = unit_by_name(name), have = tp_table_column_unit(t, c);
        if (want != have)
            fprintf(stderr, "\n  %s column %s: unit %s, expected %s\n", analysis, name,
                    tp_unit_name(have), tp_unit_name(want));
        CU_ASSERT_EQUAL(have, want);
    }
}

static void test_run_equals_typed(void)
{
    CU_ASSERT_EQUAL_FATAL(load_sample(), 0);
    size_t covered = 0;
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        tp_table *want[4] = {NULL, NULL, NULL, NULL};
        size_t nwant = 0;
        if (typed(a->name, want, &nwant) != 0) {
            CU_FAIL("an analysis of the registry has no typed counterpart in this test");
            continue;
        }
        covered++;
        CU_ASSERT_EQUAL(nwant, a->output_count);
        const char *p[8];
        size_t np = params_of(a, p);
        tp_table *got[5] = {NULL, NULL, NULL, NULL, NULL};
        const tp_feedback *f = (a->takes & TP_INPUT_FEEDBACK) ? fb : NULL;
        /* one slot more than there are tables: it is set to NULL */
        got[a->output_count] = (tp_table *)&got;
        ASSERT_OK(tp_analysis_run(a->name, ev, f, NULL, NULL, NULL, p, np, got,
                                  a->output_count + 1));
        CU_ASSERT_PTR_NULL(got[a->output_count]);
        for (size_t k = 0; k < a->output_count; k++) {
            char *x = csv(want[k]), *y = csv(got[k]);
            CU_ASSERT_PTR_NOT_NULL(y);
            if (x && y && strcmp(x, y))
                fprintf(stderr, "\n  %s table %zu differs from the typed call\n", a->name, k);
            CU_ASSERT_TRUE(x && y && !strcmp(x, y));
            /* the declared columns lead the table, in order */
            const char *const *cols = a->outputs[k].columns;
            for (size_t c = 0; got[k] && cols[c]; c++) {
                const char *have = tp_table_column_name(got[k], c);
                if (!have || strcmp(have, cols[c]))
                    fprintf(stderr, "\n  %s.%s column %zu: declared %s, table has %s\n",
                            a->name, a->outputs[k].name, c, cols[c], have ? have : "none");
                CU_ASSERT_TRUE(have && !strcmp(have, cols[c]));
            }
            check_units(a->name, got[k]);
            tp_free(x);
            tp_free(y);
            tp_table_free(want[k]);
            tp_table_free(got[k]);
        }
        /* asking for the first table only computes no second one */
        tp_table *first = NULL;
        ASSERT_OK(tp_analysis_run(a->name, ev, f, NULL, NULL, NULL, p, np, &first, 1));
        CU_ASSERT_PTR_NOT_NULL(first);
        tp_table_free(first);
    }
    CU_ASSERT_EQUAL(covered, tp_analysis_count());
}

/* ---- Options: an analysis reads only what it declares ---- */

/* A valid value of @p o other than its default, as text. */
static void other_value(const tp_option_info *o, char *buf, size_t size)
{
    if (o->type == TP_VALUE_FLAG) {
        snprintf(buf, size, "%s", strcmp(o->fallback, "yes") ? "yes" : "no");
    } else if (o->type == TP_VALUE_DURATION) {
        snprintf(buf, size, "%s", strcmp(o->fallback, "1m") ? "1m" : "2m");
    } else if (o->type == TP_VALUE_TEXT) { /* breakdown: an attribute of the sample */
        snprintf(buf, size, "%s", "region");
    } else if (o->type == TP_VALUE_CHOICE) {
        size_t n = 0, at = 0;
        while (o->choices[n]) {
            if (!strcmp(o->choices[n], o->fallback))
                at = n;
            n++;
        }
        snprintf(buf, size, "%s", o->choices[(at + 1) % n]);
    } else {
        double lo = o->min, hi = o->max > 1e9 ? o->min + 1000 : o->max;
        double v = lo + (hi - lo) / 4;
        if (o->type == TP_VALUE_INTEGER)
            v = floor(v) + (floor(v) <= lo && o->min_open ? 1 : 0);
        if (fabs(v - atof(o->fallback)) < 1e-12)
            v = lo + (hi - lo) / 2;
        if (o->type == TP_VALUE_INTEGER)
            v = floor(v);
        snprintf(buf, size, "%.17g", v);
    }
}

static void test_reads_only_declared_options(void)
{
    CU_ASSERT_EQUAL_FATAL(load_sample(), 0);
    size_t tried = 0;
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        char *base = run_all(a, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(base);
        int changed_any = 0;
        for (size_t k = 0; k < tp_option_count(); k++) {
            const tp_option_info *o = tp_option_at(k);
            char value[64];
            other_value(o, value, sizeof value);
            tp_options *opts = NULL;
            ASSERT_OK(tp_options_new(&opts));
            if (tp_options_set(opts, o->name, value) != TP_OK) {
                fprintf(stderr, "\n  %s=%s: %s\n", o->name, value, tp_last_error());
                CU_FAIL("the test's other value is not valid");
                tp_options_free(opts);
                continue;
            }
            char *got = run_all(a, opts);
            int same = got && !strcmp(got, base);
            int declared = tp_analysis_reads_option(a, o->key);
            if (!declared && !same)
                fprintf(stderr, "\n  %s changes with %s=%s, which it does not declare\n",
                        a->name, o->name, value);
            CU_ASSERT_TRUE(declared || same);
            changed_any |= !same;
            tried++;
            free(got);
            tp_options_free(opts);
        }
        /* an analysis that declares options is changed by some of them */
        if (a->option_count && !changed_any)
            fprintf(stderr, "\n  %s declares options but none changes it\n", a->name);
        CU_ASSERT_TRUE(!a->option_count || changed_any);
        free(base);
    }
    CU_ASSERT_TRUE(tried >= tp_analysis_count() * tp_option_count());
}

/* ---- Parameters ---- */

static void test_params(void)
{
    CU_ASSERT_EQUAL_FATAL(load_sample(), 0);
    tp_table *t[2] = {NULL, NULL};
    /* steps given in parts add up; exclude takes a comma list */
    const char *parts[] = {"steps", "website", "steps", "cart?, online-checkout",
                           "exclude", "support, returns", "window", "14d", "mode", "strict"};
    ASSERT_OK(tp_analysis_run("funnel", ev, NULL, NULL, NULL, NULL, parts, 5, t, 1));
    tp_funnel *f = NULL;
    tp_table *want = NULL;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, cart?, online-checkout"));
    ASSERT_OK(tp_funnel_add_exclusion(f, "support"));
    ASSERT_OK(tp_funnel_add_exclusion(f, "returns"));
    ASSERT_OK(tp_funnel_set_window(f, 14LL * 24 * 3600 * 1000));
    ASSERT_OK(tp_funnel_set_mode(f, TP_FUNNEL_STRICT));
    ASSERT_OK(tp_funnel_run(ev, f, NULL, NULL, &want, NULL));
    char *x = csv(want), *y = csv(t[0]);
    CU_ASSERT_TRUE(x && y && !strcmp(x, y));
    CU_ASSERT_EQUAL(tp_table_row_count(t[0]), 3);
    tp_free(x);
    tp_free(y);
    tp_table_free(want);
    tp_table_free(t[0]);
    tp_funnel_free(f);

    /* scorecard by a group is the roll-up */
    const char *by[] = {"by", "stage"};
    ASSERT_OK(tp_analysis_run("scorecard", NULL, fb, NULL, NULL, NULL, by, 1, t, 1));
    ASSERT_OK(tp_scorecard_rollup(NULL, fb, NULL, NULL, TP_GROUP_STAGE, &want));
    x = csv(want), y = csv(t[0]);
    CU_ASSERT_TRUE(x && y && !strcmp(x, y));
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(t[0], 0), "stage");
    tp_free(x);
    tp_free(y);
    tp_table_free(want);
    tp_table_free(t[0]);

    /* a model by name, '_' for '-' */
    const char *model[] = {"model", "time_decay"};
    ASSERT_OK(tp_analysis_run("attribute", ev, NULL, NULL, NULL, NULL, model, 1, t, 1));
    const char *m = NULL;
    ASSERT_OK(tp_table_get_string(t[0], 0, 0, &m));
    CU_ASSERT_STRING_EQUAL(m, "time-decay");
    tp_table_free(t[0]);

    /* a path set, and the filter applied to the events it is built from */
    tp_paths *p = NULL;
    ASSERT_OK(tp_paths_new(&p));
    const char *ab[] = {"search", "website"};
    ASSERT_OK(tp_paths_add(p, ab, 2, 3, 30, 1));
    ASSERT_OK(tp_paths_add(p, ab + 1, 1, 1, 10, 3));
    ASSERT_OK(tp_analysis_run("markov_chain", NULL, NULL, p, NULL, NULL, NULL, 0, t, 2));
    double pc = 0, conv = 0;
    ASSERT_OK(tp_table_get_double(t[1], 0, 0, &pc));
    ASSERT_OK(tp_table_get_double(t[1], 0, 2, &conv));
    CU_ASSERT_DOUBLE_EQUAL(pc, 4.0 / 8.0, 1e-12); /* 4 conversions over 8 journeys */
    CU_ASSERT_DOUBLE_EQUAL(conv, 4.0, 1e-12);
    tp_table_free(t[0]);
    tp_table_free(t[1]);
    tp_filter *flt = NULL;
    ASSERT_OK(tp_filter_new(&flt));
    ASSERT_OK(tp_filter_set(flt, "segment", "region=north"));
    ASSERT_OK(tp_analysis_run("attribution_compare", ev, NULL, NULL, flt, NULL, NULL, 0, t, 1));
    tp_paths *fp = NULL;
    ASSERT_OK(tp_paths_from_events(&fp, ev, flt, NULL));
    ASSERT_OK(tp_attribution_compare(fp, NULL, &want));
    x = csv(want), y = csv(t[0]);
    CU_ASSERT_TRUE(x && y && !strcmp(x, y));
    tp_free(x);
    tp_free(y);
    tp_table_free(want);
    tp_table_free(t[0]);
    tp_paths_free(fp);

    /* refused, each with a message naming what is wrong */
    struct {
        const char *analysis;
        int events, feedback, paths, filter;
        const char *params[4];
        size_t nparams;
        tp_status want;
        const char *says;
    } bad[] = {
        {"funnel", 1, 0, 0, 0, {"stpes", "a,b"}, 1, TP_EINVAL, "did you mean 'steps'?"},
        {"funnel", 1, 0, 0, 0, {NULL}, 0, TP_EINVAL, "funnel needs steps"},
        {"funnel", 1, 0, 0, 0, {"steps", "website", "window", "2 weeks"}, 2, TP_EINVAL,
         "window '2 weeks' is not a duration"},
        {"funnel", 1, 0, 0, 0, {"steps", "website", "mode", "strct"}, 2, TP_EINVAL,
         "did you mean 'strict'?"},
        {"funnel", 1, 0, 0, 0, {"steps", "website", "level", "0.9"}, 2, TP_EINVAL,
         "'level' is an option"},
        {"scorecard", 0, 1, 0, 0, {"by", "stage", "by", "owner"}, 2, TP_EINVAL,
         "by is given twice"},
        {"scorecard", 0, 1, 0, 0, {"by", "region"}, 1, TP_EINVAL, "not one of stage"},
        {"journeys", 1, 0, 0, 0, {"sinse", "2026-01-01"}, 1, TP_EINVAL,
         "did you mean 'since'?"},
        {"journeys", 1, 1, 0, 0, {NULL}, 0, TP_EINVAL, "journeys does not read feedback"},
        {"journeys", 0, 0, 0, 0, {NULL}, 0, TP_EINVAL, "journeys needs events"},
        {"scorecard", 1, 0, 0, 0, {NULL}, 0, TP_EINVAL, "scorecard needs feedback"},
        {"attribute", 0, 0, 1, 1, {NULL}, 0, TP_EINVAL, "filter applies to events"},
        {"attribute", 1, 0, 1, 0, {NULL}, 0, TP_EINVAL, "events or paths, not both"},
        {"attribute", 0, 0, 0, 0, {NULL}, 0, TP_EINVAL, "attribute needs paths (or events)"},
        {"hotspot", 0, 1, 0, 0, {NULL}, 0, TP_ENOTFOUND, "did you mean 'hotspots'?"},
        {"next_touchpoints", 1, 0, 0, 0, {"after", ""}, 1, TP_EINVAL, "after is empty"},
        {"conformance", 1, 0, 0, 0, {"map", "nope"}, 1, TP_ENOTFOUND, "nope"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tp_table *o[2] = {(tp_table *)&bad, (tp_table *)&bad};
        tp_status st = tp_analysis_run(bad[i].analysis, bad[i].events ? ev : NULL,
                                       bad[i].feedback ? fb : NULL, bad[i].paths ? p : NULL,
                                       bad[i].filter ? flt : NULL, NULL, bad[i].params,
                                       bad[i].nparams, o, 2);
        if (st != bad[i].want || !strstr(tp_last_error(), bad[i].says))
            fprintf(stderr, "\n  case %zu: %d '%s', want %d '%s'\n", i, (int)st,
                    tp_last_error(), (int)bad[i].want, bad[i].says);
        CU_ASSERT_EQUAL(st, bad[i].want);
        ASSERT_CONTAINS(tp_last_error(), bad[i].says);
        CU_ASSERT_PTR_NULL(o[0]);
        CU_ASSERT_PTR_NULL(o[1]);
    }
    /* the same checks without running */
    const char *ok[] = {"steps", "website", "mode", "strict"};
    ASSERT_OK(tp_analysis_check("funnel", ok, 2));
    ASSERT_STATUS(tp_analysis_check("funnel", ok + 2, 1), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "funnel needs steps");
    ASSERT_STATUS(tp_analysis_check("funel", NULL, 0), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'funnel'?");
    const char *typo[] = {"min_respones", "5"};
    ASSERT_STATUS(tp_analysis_check("hotspots", typo, 1), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'min_responses'?");
    /* a funnel by name, part by part */
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_set(f, "steps", "website, cart"));
    ASSERT_OK(tp_funnel_set(f, "window", "604800000"));
    ASSERT_STATUS(tp_funnel_set(f, "window", "soon"), TP_EINVAL);
    ASSERT_STATUS(tp_funnel_set(f, "mode", "strcit"), TP_EINVAL);
    ASSERT_STATUS(tp_funnel_set(f, "stps", "a"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "unknown funnel part 'stps'");
    CU_ASSERT_EQUAL(tp_funnel_step_count(f), 2);
    CU_ASSERT_STRING_EQUAL(tp_funnel_mode_name(TP_FUNNEL_STRICT), "strict");
    CU_ASSERT_PTR_NULL(tp_funnel_mode_name((tp_funnel_mode)7));
    tp_funnel_free(f);
    ASSERT_STATUS(tp_analysis_run("journeys", ev, NULL, NULL, NULL, NULL, NULL, 0, NULL, 1),
                  TP_EINVAL);
    ASSERT_STATUS(tp_analysis_run("journeys", ev, NULL, NULL, NULL, NULL, NULL, 0, t, 0),
                  TP_EINVAL);
    ASSERT_STATUS(tp_analysis_run("journeys", ev, NULL, NULL, NULL, NULL, NULL, 1, t, 1),
                  TP_EINVAL);
    tp_filter_free(flt);
    tp_paths_free(p);
}

/* ---- The enumeration words the faces read instead of keeping their own ---- */

static void test_words(void)
{
    tp_type t;
    for (int v = TP_TYPE_STRING; v <= TP_TYPE_DOUBLE; v++) {
        ASSERT_OK(tp_type_parse(tp_type_name((tp_type)v), &t));
        CU_ASSERT_EQUAL((int)t, v);
    }
    CU_ASSERT_PTR_NULL(tp_type_name((tp_type)0));
    ASSERT_STATUS(tp_type_parse("int46", &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'int64'?");
    tp_epoch_unit u;
    for (int v = TP_EPOCH_AUTO; v <= TP_EPOCH_MILLISECONDS; v++) {
        ASSERT_OK(tp_epoch_unit_parse(tp_epoch_unit_name((tp_epoch_unit)v), &u));
        CU_ASSERT_EQUAL((int)u, v);
    }
    ASSERT_STATUS(tp_epoch_unit_parse("minutes", &u), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "auto, seconds or milliseconds");
    tp_unknown_policy p;
    ASSERT_OK(tp_unknown_policy_parse("reject", &p));
    CU_ASSERT_EQUAL(p, TP_UNKNOWN_REJECT);
    CU_ASSERT_STRING_EQUAL(tp_unknown_policy_name(TP_UNKNOWN_REGISTER), "register");
    ASSERT_STATUS(tp_unknown_policy_parse(NULL, &p), TP_EINVAL);
    tp_term_kind k;
    for (int v = TP_TERM_WORD; v <= TP_TERM_STOP; v++) {
        ASSERT_OK(tp_term_kind_parse(tp_term_kind_name((tp_term_kind)v), &k));
        CU_ASSERT_EQUAL((int)k, v);
    }
    CU_ASSERT_PTR_NULL(tp_term_kind_name((tp_term_kind)5));
    static const char *const metrics[] = {"nps", "csat", "ces", "rating", "audit"};
    for (int v = TP_METRIC_NPS; v <= TP_METRIC_AUDIT; v++)
        CU_ASSERT_STRING_EQUAL(tp_metric_name((tp_metric)v), metrics[v]);
    CU_ASSERT_PTR_NULL(tp_metric_name((tp_metric)5));
    tp_funnel_mode m;
    ASSERT_STATUS(tp_funnel_mode_parse("lose", &m), TP_EINVAL);
}

/* ---- Breakdown ---- */

/* Run @p a with @p filter and @p opts into out[]; 0 or -1 (message printed). */
static int run_into(const tp_analysis_info *a, const tp_filter *filter, const tp_options *opts,
                    tp_table **out)
{
    const char *p[8];
    size_t np = params_of(a, p);
    const tp_feedback *f = (a->takes & TP_INPUT_FEEDBACK) ? fb : NULL;
    if (tp_analysis_run(a->name, ev, f, NULL, filter, opts, p, np, out, a->output_count) !=
        TP_OK) {
        fprintf(stderr, "\n  %s: %s\n", a->name, tp_last_error());
        return -1;
    }
    return 0;
}

/* The cell (row, col) of t as text ("" for null), in buf. */
static const char *cell_text(const tp_table *t, size_t row, size_t col, char *buf, size_t cap)
{
    if (tp_table_is_null(t, row, col))
        return "";
    const char *s;
    int64_t i;
    double d;
    switch (tp_table_column_type(t, col)) {
    case TP_TYPE_STRING: tp_table_get_string(t, row, col, &s); return s;
    case TP_TYPE_INT64: tp_table_get_int64(t, row, col, &i); snprintf(buf, cap, "%lld", (long long)i); return buf;
    default: tp_table_get_double(t, row, col, &d); snprintf(buf, cap, "%.17g", d); return buf;
    }
}

/* The rows of `all` whose first column is `value` are, in order, the rows of
 * `one` (every column of `one`, found by name in `all`). */
static int block_equals(const tp_table *all, const char *value, const tp_table *one)
{
    size_t r = 0, n = tp_table_row_count(all), k = 0;
    for (; r < n; r++) {
        const char *v;
        tp_table_get_string(all, r, 0, &v);
        if (strcmp(v, value))
            continue;
        if (k >= tp_table_row_count(one))
            return 0;
        for (size_t c = 0; c < tp_table_column_count(one); c++) {
            size_t ac;
            char b1[64], b2[64];
            if (tp_table_find_column(all, tp_table_column_name(one, c), &ac) != TP_OK ||
                strcmp(cell_text(all, r, ac, b1, sizeof b1), cell_text(one, k, c, b2, sizeof b2))) {
                fprintf(stderr, "\n  %s row %zu column %s differs\n", value, k,
                        tp_table_column_name(one, c));
                return 0;
            }
        }
        k++;
    }
    return k == tp_table_row_count(one);
}

/* Every analysis with a breakdown gives, block by block, what it gives with a
 * segment condition per value; "(none)" is the segment `attr=` (no value).
 * In the sample every customer of the events has a segment and a region, and
 * some who only gave feedback have neither: "(none)" is there when the
 * analysis reads the feedback. */
static void check_breakdown(const tp_analysis_info *a, const char *attr,
                            const char *const *values, size_t nv)
{
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "breakdown", attr));
    tp_table *all[4] = {NULL}, *one[4] = {NULL};
    CU_ASSERT_EQUAL_FATAL(run_into(a, NULL, o, all), 0);
    size_t rows = 0;
    for (size_t v = 0; v < nv; v++) {
        if (!strcmp(values[v], "(none)") && !(a->takes & TP_INPUT_FEEDBACK))
            continue;
        tp_filter *f;
        ASSERT_OK(tp_filter_new(&f));
        ASSERT_OK(tp_filter_add_segment(f, attr, strcmp(values[v], "(none)") ? values[v] : "", 0));
        CU_ASSERT_EQUAL_FATAL(run_into(a, f, NULL, one), 0);
        for (size_t k = 0; k < a->output_count; k++) {
            int same = block_equals(all[k], values[v], one[k]);
            if (!same)
                fprintf(stderr, "\n  %s by %s: block %s of table %zu differs\n", a->name, attr,
                        values[v], k);
            CU_ASSERT_TRUE(same);
            rows += tp_table_row_count(one[k]);
            tp_table_free(one[k]);
            one[k] = NULL;
        }
        tp_filter_free(f);
    }
    size_t total = 0;
    for (size_t k = 0; k < a->output_count; k++) {
        const char *lead = tp_table_column_name(all[k], 0);
        CU_ASSERT_TRUE(!strcmp(lead, attr) || !strcmp(lead, "breakdown"));
        total += tp_table_row_count(all[k]);
        tp_table_free(all[k]);
    }
    CU_ASSERT_EQUAL(total, rows); /* no block beyond the values */
    tp_options_free(o);
}

static void test_breakdown(void)
{
    CU_ASSERT_EQUAL_FATAL(load_sample(), 0);
    static const char *const segments[] = {"new", "returning", "vip", "(none)"};
    static const char *const regions[] = {"east", "north", "south", "west", "(none)"};
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        CU_ASSERT_TRUE(tp_analysis_reads_option(a, TP_OPT_BREAKDOWN));
        check_breakdown(a, "segment", segments, 4);
    }
    check_breakdown(tp_analysis_lookup("scorecard"), "region", regions, 5);
    check_breakdown(tp_analysis_lookup("funnel"), "region", regions, 5);
    /* a typo names the attribute meant; a path set has no attributes */
    tp_options *o;
    tp_table *t = NULL;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "breakdown", "regoin"));
    CU_ASSERT_EQUAL(tp_analysis_run("scorecard", ev, fb, NULL, NULL, o, NULL, 0, &t, 1),
                    TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "breakdown: no attribute 'regoin'");
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'region'?");
    CU_ASSERT_PTR_NULL(t);
    ASSERT_OK(tp_options_set(o, "breakdown", "region"));
    tp_paths *paths;
    ASSERT_OK(tp_paths_from_events(&paths, ev, NULL, NULL));
    CU_ASSERT_EQUAL(tp_analysis_run("attribute", NULL, NULL, paths, NULL, o, NULL, 0, &t, 1),
                    TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "breakdown needs events or feedback");
    tp_paths_free(paths);
    /* the typed functions refuse it rather than ignore it */
    CU_ASSERT_EQUAL(tp_scorecard(ev, fb, NULL, o, &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "is run by tp_analysis_run()");
    /* the filter's own conditions on the attribute choose the blocks */
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_parse_segment(f, "region!=north"));
    ASSERT_OK(tp_filter_parse_segment(f, "region!=east"));
    ASSERT_OK(tp_analysis_run("scorecard", ev, fb, NULL, f, o, NULL, 0, &t, 1));
    int seen[5] = {0};
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *v;
        tp_table_get_string(t, r, 0, &v);
        for (int k = 0; k < 5; k++)
            seen[k] |= !strcmp(v, regions[k]);
    }
    CU_ASSERT_TRUE(!seen[0] && !seen[1] && seen[2] && seen[3] && seen[4]);
    tp_table_free(t);
    tp_filter_free(f);
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_parse_segment(f, "region=north"));
    ASSERT_OK(tp_filter_parse_segment(f, "region!=north"));
    CU_ASSERT_EQUAL(tp_analysis_run("transitions", ev, NULL, NULL, f, o, NULL, 0, &t, 1),
                    TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "leave no value");
    tp_filter_free(f);
    tp_options_free(o);
}

static void test_cleanup(void)
{
    tp_events_free(ev);
    tp_feedback_free(fb);
    tp_catalog_free(cat);
    ev = NULL, fb = NULL, cat = NULL;
}

static const tp_test registry_tests[] = {
    TP_TEST(test_description),
    TP_TEST(test_run_equals_typed),
    TP_TEST(test_reads_only_declared_options),
    TP_TEST(test_params),
    TP_TEST(test_words),
    TP_TEST(test_breakdown),
    TP_TEST(test_cleanup),
    TP_TESTS_END,
};

int main(void)
{
    const tp_suite suites[] = {{"registry", registry_tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
