/* The CX report (lib/report/), attribution roll-ups, catalog funnels and the
 * filter calls the report is built on. Every expected value is computed here
 * from the typed analyses or by hand, not taken from the report. */
#include <cJSON.h>
#include <math.h>
#include <unistd.h>

#include "testutil.h"

static tp_catalog *cat;
static tp_events *ev;
static tp_feedback *fb;

static void load_sample(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog.json", TP_SAMPLE_DATA);
    ASSERT_OK(tp_catalog_load_json(&cat, path));
    ASSERT_OK(tp_events_new(&ev, cat));
    ASSERT_OK(tp_feedback_new(&fb, cat));
    snprintf(path, sizeof path, "%s/events.csv", TP_SAMPLE_DATA);
    ASSERT_OK(tp_events_read_csv(ev, path, NULL, NULL));
    snprintf(path, sizeof path, "%s/feedback.csv", TP_SAMPLE_DATA);
    ASSERT_OK(tp_feedback_read_csv(fb, path, NULL, NULL));
}

static double num(const tp_table *t, size_t row, const char *col)
{
    size_t c;
    double v = NAN;
    if (tp_table_find_column(t, col, &c) == TP_OK && !tp_table_is_null(t, row, c)) {
        if (tp_table_column_type(t, c) == TP_TYPE_INT64) {
            int64_t i;
            tp_table_get_int64(t, row, c, &i);
            v = (double)i;
        } else {
            tp_table_get_double(t, row, c, &v);
        }
    }
    return v;
}

static const char *str(const tp_table *t, size_t row, const char *col)
{
    size_t c;
    const char *s = NULL;
    if (tp_table_find_column(t, col, &c) == TP_OK)
        tp_table_get_string(t, row, c, &s);
    return s;
}

/* The row of @p findings whose key is @p key. */
static size_t finding_row(const tp_table *findings, const char *key)
{
    for (size_t i = 0; i < tp_table_row_count(findings); i++)
        if (!strcmp(str(findings, i, "key"), key))
            return i;
    CU_FAIL("finding missing");
    return 0;
}

/* ---- findings against the typed analyses ---- */

static void test_findings_match_the_analyses(void)
{
    load_sample();
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, NULL, NULL));
    tp_table *f;
    ASSERT_OK(tp_report_findings(r, &f));
    CU_ASSERT_EQUAL(tp_table_row_count(f), 4);

    /* Worst and best: the first pain point and bright spot of tp_hotspots(). */
    tp_table *hot;
    ASSERT_OK(tp_hotspots(ev, fb, NULL, NULL, &hot));
    const char *kinds[2] = {"pain", "bright"}, *keys[2] = {"worst_touchpoint", "best_touchpoint"};
    for (int k = 0; k < 2; k++) {
        size_t i = 0;
        while (i < tp_table_row_count(hot) && strcmp(str(hot, i, "kind"), kinds[k]))
            i++;
        CU_ASSERT_FATAL(i < tp_table_row_count(hot));
        size_t row = finding_row(f, keys[k]);
        CU_ASSERT_STRING_EQUAL(str(f, row, "subject"), str(hot, i, "touchpoint"));
        CU_ASSERT_DOUBLE_EQUAL(num(f, row, "value"), num(hot, i, "cx_index"), 1e-12);
        ASSERT_CONTAINS(str(f, row, "text"), str(hot, i, "touchpoint"));
    }
    tp_table_free(hot);

    /* Funnel: the most common converting variant (tp_variants, not the path set
     * the report reads), each touchpoint once; the drop is the largest
     * "dropped" of tp_funnel_run(). */
    tp_table *var;
    ASSERT_OK(tp_variants(ev, NULL, NULL, &var));
    size_t best = 0;
    for (size_t i = 1; i < tp_table_row_count(var); i++)
        if (num(var, i, "conversions") > num(var, best, "conversions"))
            best = i;
    tp_funnel *fun;
    ASSERT_OK(tp_funnel_new(&fun));
    char steps[1024];
    snprintf(steps, sizeof steps, "%s", str(var, best, "path"));
    char seen[1024] = ",";
    for (char *p = strtok(steps, " >"); p; p = strtok(NULL, " >")) {
        char key[300];
        snprintf(key, sizeof key, ",%s,", p);
        if (strstr(seen, key))
            continue;
        strncat(seen, key + 1, sizeof seen - strlen(seen) - 1);
        ASSERT_OK(tp_funnel_add_step(fun, p, 0, 0));
    }
    tp_table_free(var);
    tp_table *st;
    ASSERT_OK(tp_funnel_run(ev, fun, NULL, NULL, &st, NULL));
    size_t drop = 1;
    for (size_t i = 2; i < tp_table_row_count(st); i++)
        if (num(st, i, "dropped") > num(st, drop, "dropped"))
            drop = i;
    size_t row = finding_row(f, "biggest_funnel_drop");
    char subject[600];
    snprintf(subject, sizeof subject, "%s -> %s", str(st, drop - 1, "touchpoint"),
             str(st, drop, "touchpoint"));
    CU_ASSERT_STRING_EQUAL(str(f, row, "subject"), subject);
    CU_ASSERT_DOUBLE_EQUAL(num(f, row, "value"), num(st, drop, "dropped"), 0);
    tp_table_free(st);
    tp_funnel_free(fun);

    /* Top channel: Markov credit summed per catalog channel here. */
    tp_paths *paths;
    tp_table *mk;
    ASSERT_OK(tp_paths_from_events(&paths, ev, NULL, NULL));
    ASSERT_OK(tp_attribute(paths, TP_MODEL_MARKOV, NULL, &mk));
    const char *chan[64];
    double conv[64];
    size_t nchan = 0;
    for (size_t i = 0; i < tp_table_row_count(mk); i++) {
        size_t idx;
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        const char *c = "(none)";
        if (tp_catalog_find_touchpoint(cat, str(mk, i, "touchpoint"), &idx) == TP_OK &&
            tp_catalog_get_touchpoint(cat, idx, &d) == TP_OK && d.channel)
            c = d.channel;
        size_t k = 0;
        while (k < nchan && strcmp(chan[k], c))
            k++;
        if (k == nchan) {
            chan[nchan] = c;
            conv[nchan++] = 0;
        }
        conv[k] += num(mk, i, "conversions");
    }
    size_t top = 0;
    for (size_t k = 1; k < nchan; k++)
        if (conv[k] > conv[top])
            top = k;
    row = finding_row(f, "top_channel");
    CU_ASSERT_STRING_EQUAL(str(f, row, "subject"), chan[top]);
    CU_ASSERT_DOUBLE_EQUAL(num(f, row, "value"), conv[top], 1e-9);
    tp_table_free(mk);
    tp_paths_free(paths);
    tp_table_free(f);

    /* The text form: one line per finding, each "Heading: text". */
    char *text;
    size_t len;
    ASSERT_OK(tp_report_render(r, TP_REPORT_TEXT, &text, &len));
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    CU_ASSERT_EQUAL(lines, 4);
    CU_ASSERT(!strncmp(text, "Worst touchpoint:", 17));
    ASSERT_CONTAINS(text, "\nTop channel:");
    tp_free(text);
    tp_report_free(r);
}

/* ---- forms and charts ---- */

static void test_forms(void)
{
    tp_report *r;
    tp_report_options ro;
    ASSERT_OK(tp_report_options_init(&ro, TP_REPORT_OPTIONS_VERSION));
    ro.title = "Q1 <review>";
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, NULL, &ro));
    char *page, *frag, *json;
    size_t n;
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, &n));
    CU_ASSERT_EQUAL(strlen(page), n);
    CU_ASSERT(!strncmp(page, "<!DOCTYPE html>", 15));
    CU_ASSERT(n > 20 && !strcmp(page + n - 15, "</body></html>\n"));
    ASSERT_CONTAINS(page, "<title>Q1 &lt;review&gt;</title>");
    CU_ASSERT_PTR_NULL(strstr(page, "<script"));
    /* Charts say a touchpoint's catalog name, and its id on hover. */
    ASSERT_CONTAINS(page, "<title>Online checkout (online-checkout): ");
    ASSERT_CONTAINS(page, ">Online checkout</text>");
    const char *flow = strstr(page, "id=\"chart-flow\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(flow);
    ASSERT_CONTAINS(flow, "<title>Shopping cart (cart): "); /* the flow's nodes too */
    ASSERT_OK(tp_report_render(r, TP_REPORT_FRAGMENT, &frag, NULL));
    CU_ASSERT(!strncmp(frag, "<div class=\"tp-report\"><style>", 30));
    CU_ASSERT_PTR_NULL(strstr(frag, "<html"));
    CU_ASSERT_PTR_NULL(strstr(frag, "<body"));
    /* No rule of the fragment's style reaches outside the report or its charts. */
    const char *style = strstr(frag, "<style>") + 7, *end = strstr(style, "</style>");
    for (const char *p = style; p && p < end; p = strchr(p, '}')) {
        p += *p == '}';
        if (p >= end || !strncmp(p, "@media", 6))
            break;
        CU_ASSERT(!strncmp(p, ".tp-report", 10) || !strncmp(p, "svg.tp-chart", 12));
    }
    /* The same nine charts in both (the tenth, segments, needs a breakdown). */
    size_t a = 0, b = 0;
    for (const char *p = page; (p = strstr(p, "<svg ")); p++)
        a++;
    for (const char *p = frag; (p = strstr(p, "<svg ")); p++)
        b++;
    CU_ASSERT_EQUAL(a, 9);
    CU_ASSERT_EQUAL(b, 9);
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    cJSON *doc = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(doc, "title")->valuestring, "Q1 <review>");
    cJSON *fi = cJSON_GetObjectItem(doc, "findings");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(fi), 4);
    CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItem(fi, "top_channel"));
    cJSON *roll = cJSON_GetObjectItem(doc, "attribution_rollup");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(roll, "by")->valuestring, "channel");
    double share = 0;
    cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(roll, "rows")) share +=
        cJSON_GetObjectItem(row, "share")->valuedouble;
    CU_ASSERT_DOUBLE_EQUAL(share, 1, 1e-9);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "trend_by_stage")), 3);
    cJSON_Delete(doc);
    tp_free(page);
    tp_free(frag);
    tp_free(json);

    /* Every chart alone: an SVG document that carries its style. */
    CU_ASSERT_EQUAL(tp_report_chart_count(), 10);
    for (size_t i = 0; i < tp_report_chart_count(); i++) {
        char *svg;
        ASSERT_OK(tp_report_chart(r, tp_report_chart_name(i), &svg, &n));
        CU_ASSERT(
            !strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tp-chart\"", 56));
        CU_ASSERT(n > 8 && strstr(svg + n - 8, "</svg>") != NULL);
        ASSERT_CONTAINS(svg, "<style>svg.tp-chart{");
        CU_ASSERT_PTR_NOT_NULL(tp_report_chart_doc(i));
        tp_free(svg);
    }
    CU_ASSERT_PTR_NULL(tp_report_chart_name(10));
    char *svg = (char *)"x";
    ASSERT_STATUS(tp_report_chart(r, "jurney", &svg, NULL), TP_EINVAL);
    CU_ASSERT_PTR_NULL(svg);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'journey'");
    ASSERT_STATUS(tp_report_render(r, (tp_report_form)9, &svg, NULL), TP_EINVAL);

    /* Atomic save: the whole page, no temporary file left. */
    char dir[] = "/tmp/tp-report-XXXXXX", path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/r.json", dir);
    ASSERT_OK(tp_report_save(r, path, TP_REPORT_JSON));
    FILE *fp = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(fgetc(fp), '{');
    fclose(fp);
    snprintf(path, sizeof path, "%s/no/such/r.html", dir);
    ASSERT_STATUS(tp_report_save(r, path, TP_REPORT_HTML), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), "no/such/r.html");
    snprintf(path, sizeof path, "%s/r.json", dir);
    unlink(path);
    CU_ASSERT_EQUAL(rmdir(dir), 0); /* empty: nothing left behind */
    tp_report_free(r);

    tp_report_form form;
    ASSERT_OK(tp_report_form_parse("fragment", &form));
    CU_ASSERT_EQUAL(form, TP_REPORT_FRAGMENT);
    CU_ASSERT_STRING_EQUAL(tp_report_form_name(TP_REPORT_JSON), "json");
    ASSERT_STATUS(tp_report_form_parse("htm", &form), TP_EINVAL);
    /* The form a file name asks for, and the extension of each form. */
    CU_ASSERT_EQUAL(tp_report_form_of_path("out/q1.JSON"), TP_REPORT_JSON);
    CU_ASSERT_EQUAL(tp_report_form_of_path("findings.txt"), TP_REPORT_TEXT);
    CU_ASSERT_EQUAL(tp_report_form_of_path("q1.html"), TP_REPORT_HTML);
    CU_ASSERT_EQUAL(tp_report_form_of_path("dir.json/report"), TP_REPORT_HTML);
    CU_ASSERT_EQUAL(tp_report_form_of_path(NULL), TP_REPORT_HTML);
    for (int f = TP_REPORT_HTML; f <= TP_REPORT_TEXT; f++) {
        char name[32];
        snprintf(name, sizeof name, "r%s", tp_report_form_extension((tp_report_form)f));
        CU_ASSERT_EQUAL(tp_report_form_of_path(name), f == TP_REPORT_FRAGMENT ? TP_REPORT_HTML
                                                                              : (tp_report_form)f);
    }
    CU_ASSERT_PTR_NULL(tp_report_form_extension((tp_report_form)4));
    ASSERT_CONTAINS(tp_last_error(), "html");
}

/* The report outlives what it was built from, and takes no feedback. */
static void test_lifetime_and_no_feedback(void)
{
    tp_catalog *c = NULL;
    static const char csv[] = "customer_id,timestamp,touchpoint,type\n"
                              "c1,1,website,interaction\nc1,2,cart,interaction\n"
                              "c1,3,online-purchase,conversion\nc2,1,website,interaction\n";
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, e, NULL, NULL, NULL, NULL));
    tp_events_free(e);
    tp_catalog_free(c);
    char *page;
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    ASSERT_CONTAINS(page, "0 feedback responses");
    ASSERT_CONTAINS(page, "Steps: website, cart");
    /* An empty chart says why, below its title (it drew "No data." over it). */
    CU_ASSERT_PTR_NULL(strstr(page, "No data."));
    ASSERT_CONTAINS(page, "No pain point or bright spot: too few responses");
    tp_free(page);
    tp_table *f;
    ASSERT_OK(tp_report_findings(r, &f));
    size_t row = finding_row(f, "worst_touchpoint");
    CU_ASSERT_EQUAL(tp_table_is_null(f, row, 2), 1); /* no subject without feedback */
    ASSERT_CONTAINS(str(f, row, "text"), "no touchpoint has feedback");
    tp_table_free(f);
    tp_report_free(r);
    tp_report *none = (tp_report *)1;
    ASSERT_STATUS(tp_report_new(&none, NULL, NULL, NULL, NULL, NULL), TP_EINVAL);
    CU_ASSERT_PTR_NULL(none);
}

/* A Markov chain too costly to solve (markov_max_work) costs the report its
 * attribution, not the whole report (it used to fail, or hang): the section,
 * the JSON and the top-channel finding say why. */
static void test_attribution_refused(void)
{
    size_t cap = 700 * 4 * 40 + 64, n = 0;
    char *csv = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    n += (size_t)snprintf(csv, cap, "customer_id,timestamp,touchpoint,type\n");
    uint32_t s = 5;
    for (int c = 0; c < 700; c++)
        for (int j = 0; j < 4; j++) {
            s = s * 1103515245u + 12345u;
            n += (size_t)snprintf(csv + n, cap - n, "c%d,%d,t%u,%s\n", c, 1000 * c + j,
                                  (s >> 8) % 400, j == 3 && c % 3 == 0 ? "conversion" : "interaction");
        }
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, csv, n);
    free(csv);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "markov_max_work", "1e6"));
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, e, NULL, NULL, o, NULL));
    char *page, *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    ASSERT_CONTAINS(page, "<strong>No attribution:</strong> Markov chain: attribution over");
    ASSERT_CONTAINS(page, "option markov_max_work");
    tp_free(page);
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    cJSON *doc = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    ASSERT_CONTAINS(cJSON_GetObjectItem(doc, "attribution_note")->valuestring, "markov_max_work");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "attribution")), 0);
    cJSON_Delete(doc);
    tp_free(json);
    tp_table *f;
    ASSERT_OK(tp_report_findings(r, &f));
    ASSERT_CONTAINS(str(f, finding_row(f, "top_channel"), "text"), "too costly to solve");
    tp_table_free(f);
    tp_report_free(r);
    /* Under the default limit the same data is attributed. */
    ASSERT_OK(tp_report_new(&r, e, NULL, NULL, NULL, NULL));
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    doc = cJSON_Parse(json);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(doc, "attribution_note")));
    CU_ASSERT(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "attribution")) > 0);
    cJSON_Delete(doc);
    tp_free(json);
    tp_report_free(r);
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(c);
}

/* Whether @p got (a table in the report's JSON) is table @p t as JSON; frees @p t. */
static int same_table(const cJSON *got, tp_table *t)
{
    char *text = NULL;
    int same = tp_table_format(t, TP_FORMAT_JSON, &text, NULL) == TP_OK;
    cJSON *want = same ? cJSON_Parse(text) : NULL;
    same = want && cJSON_Compare(want, got, 1);
    cJSON_Delete(want);
    tp_free(text);
    tp_table_free(t);
    return same;
}

/* Filters narrow the stage trends; a given funnel and credit_by are honoured. */
static void test_options_and_filters(void)
{
    tp_filter *flt;
    ASSERT_OK(tp_filter_new(&flt));
    ASSERT_OK(tp_filter_set(flt, "stage", "during"));
    tp_funnel *fun;
    ASSERT_OK(tp_funnel_new(&fun));
    ASSERT_OK(tp_funnel_parse(fun, "website, product-page, cart"));
    tp_report_options ro = TP_REPORT_OPTIONS_INIT;
    ro.funnel = fun;
    ro.credit_by = TP_GROUP_STAGE;
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, ev, fb, flt, NULL, &ro));
    char *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    cJSON *doc = cJSON_Parse(json);
    cJSON *tbs = cJSON_GetObjectItem(doc, "trend_by_stage");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(tbs), 1);
    CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItem(tbs, "during"));
    cJSON *fu = cJSON_GetObjectItem(doc, "funnel");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(fu, "steps_from")->valuestring, "steps");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(fu, "steps")), 3);
    CU_ASSERT_STRING_EQUAL(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "attribution_rollup"), "by")->valuestring,
        "stage");
    CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "findings"), "top_stage"));
    /* The stage trend equals tp_trend() with that stage alone. */
    tp_table *t;
    ASSERT_OK(tp_trend(ev, fb, flt, NULL, &t));
    CU_ASSERT(same_table(cJSON_GetObjectItem(tbs, "during"), t));
    cJSON_Delete(doc);
    tp_free(json);
    tp_report_free(r);
    ro.credit_by = (tp_group)7;
    ASSERT_STATUS(tp_report_new(&r, ev, fb, NULL, NULL, &ro), TP_EINVAL);
    ro.version = 99;
    ASSERT_STATUS(tp_report_new(&r, ev, fb, NULL, NULL, &ro), TP_EINVAL);
    tp_funnel_free(fun);
    tp_filter_free(flt);
}

/* A funnel with purchase steps: the report's funnel is that of
 * tp_funnel_run(), and its chart names the touchpoint and the type. */
static void test_purchase_funnel(void)
{
    tp_funnel *fun;
    ASSERT_OK(tp_funnel_new(&fun));
    ASSERT_OK(tp_funnel_parse(fun, "website, online-checkout (conversion), (conversion)"));
    tp_report_options ro = TP_REPORT_OPTIONS_INIT;
    ro.funnel = fun;
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, NULL, &ro));
    char *page, *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    ASSERT_CONTAINS(page, "<title>2. Online checkout (conversion)</title>");
    ASSERT_CONTAINS(page, ">3. (conversion)</text>");
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    tp_table *t;
    ASSERT_OK(tp_funnel_run(ev, fun, NULL, NULL, &t, NULL));
    cJSON *doc = cJSON_Parse(json);
    cJSON *steps = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "funnel"), "steps");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(steps), 3);
    for (int i = 0; i < 3; i++) {
        cJSON *row = cJSON_GetArrayItem(steps, i);
        CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(row, "customers")->valuedouble,
                               num(t, (size_t)i, "customers"), 0);
    }
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 1), "touchpoint")->valuestring,
                           "online-checkout (conversion)");
    /* The last step is a second purchase, anywhere: some buy again. */
    CU_ASSERT(num(t, 2, "customers") > 0);
    cJSON_Delete(doc);
    tp_table_free(t);
    tp_free(page);
    tp_free(json);
    tp_report_free(r);
    tp_funnel_free(fun);
}

/* The report's targets and roadmap are the analyses'; its owner summary
 * counts their rows (and the hot spots') by owner. */
static size_t count_rows(cJSON *rows, const char *owner, const char *key, const char *value)
{
    size_t n = 0;
    cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        cJSON *o = cJSON_GetObjectItem(row, "owner"), *v = key ? cJSON_GetObjectItem(row, key) : NULL;
        n += cJSON_IsString(o) && !strcmp(o->valuestring, owner) &&
             (!key || (cJSON_IsString(v) && !strcmp(v->valuestring, value)));
    }
    return n;
}

static void test_targets_roadmap_owners(void)
{
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, NULL, NULL));
    char *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    cJSON *doc = cJSON_Parse(json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    tp_table *t;
    ASSERT_OK(tp_targets(ev, fb, NULL, NULL, &t));
    CU_ASSERT(same_table(cJSON_GetObjectItem(doc, "targets"), t));
    cJSON *road = cJSON_GetObjectItem(doc, "roadmap");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(road, "map")->valuestring, "online-purchase");
    ASSERT_OK(tp_roadmap(ev, fb, "online-purchase", NULL, NULL, &t));
    CU_ASSERT(same_table(cJSON_GetObjectItem(road, "rows"), t));
    cJSON *owners = cJSON_GetObjectItem(doc, "owners"), *row;
    cJSON *targets = cJSON_GetObjectItem(doc, "targets"), *hot = cJSON_GetObjectItem(doc, "hotspots");
    CU_ASSERT_TRUE(cJSON_GetArraySize(owners) >= 5);
    double responses = 0;
    cJSON_ArrayForEach(row, owners)
    {
        const char *o = cJSON_GetObjectItem(row, "owner")->valuestring;
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "pain_points")->valueint,
                        (int)count_rows(hot, o, "kind", "pain"));
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "targets_missed")->valueint,
                        (int)count_rows(targets, o, "status", "missed"));
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "targets")->valueint,
                        (int)count_rows(targets, o, NULL, NULL));
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "touchpoints")->valueint,
                        (int)count_rows(cJSON_GetObjectItem(doc, "scorecard"), o, NULL, NULL));
        responses += cJSON_GetObjectItem(row, "responses")->valuedouble;
    }
    /* every touchpoint has an owner in the sample: the owners hold every response */
    double all = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(doc, "scorecard")) all +=
        cJSON_GetObjectItem(row, "responses")->valuedouble;
    CU_ASSERT_DOUBLE_EQUAL(responses, all, 0);
    CU_ASSERT_TRUE(all >= (double)tp_feedback_count(fb) / 2);
    char *page;
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    ASSERT_CONTAINS(page, "<section id=\"targets\"><h2>Targets and owners</h2>");
    ASSERT_CONTAINS(page, "<h3>Roadmap: the journey map <code>online-purchase</code></h3>");
    ASSERT_CONTAINS(page, "<title>Sales staff: nps (sales-staff): ");
    ASSERT_CONTAINS(page, "<a href=\"#targets\">Targets and owners</a>");
    /* the scorecard's low-sample metrics are greyed: as many cells as the
     * low_sample lists name, counted over the JSON's scorecard */
    size_t flagged = 0, greyed = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(doc, "scorecard"))
    {
        cJSON *few = cJSON_GetObjectItem(row, "low_sample");
        if (cJSON_IsString(few))
            for (const char *p = few->valuestring; p; p = strchr(p + 1, ','))
                flagged++;
    }
    for (const char *p = strstr(page, "<td class=\"few\">"); p; p = strstr(p + 1, "<td class=\"few\">"))
        greyed++;
    CU_ASSERT_TRUE(flagged > 0);
    CU_ASSERT_EQUAL(greyed, flagged);
    ASSERT_CONTAINS(page, "rest on fewer than 30 answers");
    cJSON_Delete(doc);
    tp_free(json);
    tp_free(page);
    tp_report_free(r);
    /* with min_responses 1 nothing is few */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "min_responses", "1"));
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, o, NULL));
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    CU_ASSERT_PTR_NULL(strstr(page, "<td class=\"few\">"));
    ASSERT_CONTAINS(page, "rest on fewer than 1 answers");
    tp_free(page);
    tp_report_free(r);
    tp_options_free(o);
}

/* With the option breakdown the report gains its segments section, made
 * from the scorecard by the attribute (recounted here), and every other
 * section stays that of the whole selection. */
static void test_segments(void)
{
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "breakdown", "segment"));
    tp_report *r, *plain;
    ASSERT_OK(tp_report_new(&r, ev, fb, NULL, o, NULL));
    ASSERT_OK(tp_report_new(&plain, ev, fb, NULL, NULL, NULL));
    char *json, *json0, *page, *page0;
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    ASSERT_OK(tp_report_render(plain, TP_REPORT_JSON, &json0, NULL));
    cJSON *doc = cJSON_Parse(json), *doc0 = cJSON_Parse(json0);
    CU_ASSERT_FATAL(doc && doc0);
    CU_ASSERT_TRUE(cJSON_Compare(cJSON_GetObjectItem(doc, "scorecard"),
                                 cJSON_GetObjectItem(doc0, "scorecard"), 1));
    CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(doc0, "segments")));
    cJSON *seg = cJSON_GetObjectItem(doc, "segments");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(seg, "attribute")->valuestring, "segment");
    tp_table *card;
    ASSERT_OK(tp_analysis_run("scorecard", ev, fb, NULL, NULL, o, NULL, 0, &card, 1));
    cJSON *row;
    size_t values = 0, diffs = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(seg, "summary"))
    {
        const char *v = cJSON_GetObjectItem(row, "value")->valuestring;
        double resp = 0, worse = 0, better = 0, net = 0, n = 0;
        for (size_t i = 0; i < tp_table_row_count(card); i++) {
            const char *s;
            tp_table_get_string(card, i, 0, &s);
            if (strcmp(s, v))
                continue;
            resp += num(card, i, "responses");
            n += num(card, i, "nps_n");
            net += num(card, i, "promoters") - num(card, i, "detractors");
            double p = num(card, i, "p_value");
            if (p < 0.05) {
                worse += num(card, i, "difference") < 0;
                better += num(card, i, "difference") > 0;
            }
        }
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "responses")->valuedouble, resp);
        if (n > 0) {
            CU_ASSERT_DOUBLE_EQUAL(cJSON_GetObjectItem(row, "nps")->valuedouble, 100 * net / n, 1e-9);
        } else {
            CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(row, "nps")));
        }
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "worse")->valuedouble, worse);
        CU_ASSERT_EQUAL(cJSON_GetObjectItem(row, "better")->valuedouble, better);
        diffs += (size_t)(worse + better);
        values++;
    }
    CU_ASSERT_EQUAL(values, 4); /* new, returning, vip, (none) */
    int listed = cJSON_GetArraySize(cJSON_GetObjectItem(seg, "differences"));
    CU_ASSERT_EQUAL((size_t)listed, diffs < 15 ? diffs : 15);
    double last = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(seg, "differences"))
    {
        double p = cJSON_GetObjectItem(row, "p_value")->valuedouble;
        CU_ASSERT_TRUE(p >= last && p < 0.05); /* the most significant first */
        last = p;
    }
    ASSERT_OK(tp_report_render(r, TP_REPORT_HTML, &page, NULL));
    ASSERT_OK(tp_report_render(plain, TP_REPORT_HTML, &page0, NULL));
    ASSERT_CONTAINS(page, "<section id=\"segments\"><h2>Segments</h2>");
    ASSERT_CONTAINS(page, "<a href=\"#segments\">Segments</a>");
    ASSERT_CONTAINS(page, "Broken down by <code>segment</code>");
    CU_ASSERT_PTR_NULL(strstr(page0, "id=\"segments\""));
    CU_ASSERT_PTR_NULL(strstr(page0, "href=\"#segments\""));
    size_t a = 0, b = 0;
    for (const char *p = page; (p = strstr(p, "<svg ")); p++)
        a++;
    for (const char *p = page0; (p = strstr(p, "<svg ")); p++)
        b++;
    CU_ASSERT_EQUAL(a, b + 1);
    tp_table_free(card);
    cJSON_Delete(doc);
    cJSON_Delete(doc0);
    tp_free(json);
    tp_free(json0);
    tp_free(page);
    tp_free(page0);
    tp_report_free(r);
    tp_report_free(plain);
    tp_options_free(o);
}

/* ---- attribution roll-up, by hand ---- */

static void test_rollup_by_hand(void)
{
    static const char json[] =
        "{\"touchpoints\":[{\"id\":\"ad\",\"stage\":\"before\",\"channel\":\"media\"},"
        "{\"id\":\"web\",\"stage\":\"during\",\"channel\":\"online\"},"
        "{\"id\":\"app\",\"stage\":\"during\",\"channel\":\"online\"},"
        "{\"id\":\"shop\",\"stage\":\"during\"}]}";
    tp_catalog *c;
    ASSERT_OK(tp_catalog_parse_json(&c, json, sizeof json - 1, "c.json"));
    /* ad > web: 3 conversions; app: 2; shop > web: 1; ghost: 4 (not in the catalog). */
    static const char paths_csv[] = "path,conversions,value,nulls\n"
                                    "ad > web,3,30,1\napp,2,10,0\nshop > web,1,5,2\nghost,4,8,0\n";
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    ASSERT_OK(
        tp_paths_read_csv_buffer(p, paths_csv, sizeof paths_csv - 1, "p.csv", NULL, NULL, NULL));
    tp_table *first, *by;
    ASSERT_OK(tp_attribute(p, TP_MODEL_FIRST, NULL, &first));
    ASSERT_OK(tp_attribution_rollup(first, c, TP_GROUP_CHANNEL, &by));
    /* First touch: ad 3 (media), app 2 (online), shop 1 (no channel), ghost 4 (unknown). */
    CU_ASSERT_EQUAL(tp_table_row_count(by), 3);
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(by, 0), "model");
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(by, 1), "channel");
    size_t col;
    CU_ASSERT_EQUAL(tp_table_find_column(by, "removal_effect", &col), TP_ENOTFOUND);
    CU_ASSERT_STRING_EQUAL(str(by, 0, "channel"), "(none)"); /* ghost 4 + shop 1 */
    CU_ASSERT_DOUBLE_EQUAL(num(by, 0, "conversions"), 5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(by, 0, "value"), 13, 1e-12);
    CU_ASSERT_STRING_EQUAL(str(by, 1, "channel"), "media");
    CU_ASSERT_DOUBLE_EQUAL(num(by, 1, "conversions"), 3, 1e-12);
    CU_ASSERT_STRING_EQUAL(str(by, 2, "channel"), "online");
    CU_ASSERT_DOUBLE_EQUAL(num(by, 2, "conversions"), 2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(by, 2, "share"), 0.2, 1e-12);
    tp_table_free(by);
    /* Linear by stage: ad 1.5 (before); web 1.5 + 0.5, app 2, shop 0.5 (during); ghost 4. */
    tp_table *lin;
    ASSERT_OK(tp_attribute(p, TP_MODEL_LINEAR, NULL, &lin));
    ASSERT_OK(tp_attribution_rollup(lin, c, TP_GROUP_STAGE, &by));
    CU_ASSERT_EQUAL(tp_table_row_count(by), 3);
    CU_ASSERT_STRING_EQUAL(str(by, 0, "stage"), "during");
    CU_ASSERT_DOUBLE_EQUAL(num(by, 0, "conversions"), 4.5, 1e-12);
    CU_ASSERT_STRING_EQUAL(str(by, 1, "stage"), "(none)");
    CU_ASSERT_DOUBLE_EQUAL(num(by, 2, "conversions"), 1.5, 1e-12);
    tp_table_free(by);
    tp_table_free(lin);
    /* The comparison table: one column per model, summed per group, sorted by label. */
    tp_table *cmp;
    ASSERT_OK(tp_attribution_compare(p, NULL, &cmp));
    ASSERT_OK(tp_attribution_rollup(cmp, c, TP_GROUP_CHANNEL, &by));
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(by, 0), "channel");
    CU_ASSERT_STRING_EQUAL(str(by, 0, "channel"), "(none)");
    CU_ASSERT_STRING_EQUAL(str(by, 2, "channel"), "online");
    CU_ASSERT_DOUBLE_EQUAL(num(by, 2, "last"), 6, 1e-12); /* web 3 + 1, app 2 */
    CU_ASSERT_DOUBLE_EQUAL(num(by, 1, "first"), 3, 1e-12);
    tp_table_free(by);
    tp_table_free(cmp);
    /* Misuse. */
    ASSERT_STATUS(tp_attribution_rollup(NULL, c, TP_GROUP_CHANNEL, &by), TP_EINVAL);
    ASSERT_STATUS(tp_attribution_rollup(first, c, (tp_group)9, &by), TP_EINVAL);
    tp_table *plain;
    ASSERT_OK(tp_table_new(&plain));
    ASSERT_STATUS(tp_attribution_rollup(plain, c, TP_GROUP_CHANNEL, &by), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "touchpoint column");
    tp_table_free(plain);
    tp_table_free(first);
    tp_paths_free(p);
    tp_catalog_free(c);
}

/* The registry's `by` parameter is the same roll-up. */
static void test_rollup_by_name(void)
{
    const char *params[] = {"model", "first", "by", "owner"};
    tp_table *out[1] = {NULL}, *first, *want;
    ASSERT_OK(tp_analysis_run("attribute", ev, NULL, NULL, NULL, NULL, params, 2, out, 1));
    tp_paths *p;
    ASSERT_OK(tp_paths_from_events(&p, ev, NULL, NULL));
    ASSERT_OK(tp_attribute(p, TP_MODEL_FIRST, NULL, &first));
    ASSERT_OK(tp_attribution_rollup(first, cat, TP_GROUP_OWNER, &want));
    char *a, *b;
    ASSERT_OK(tp_table_format(out[0], TP_FORMAT_CSV, &a, NULL));
    ASSERT_OK(tp_table_format(want, TP_FORMAT_CSV, &b, NULL));
    CU_ASSERT_STRING_EQUAL(a, b);
    ASSERT_CONTAINS(a, "model,owner,conversions");
    tp_free(a);
    tp_free(b);
    tp_table_free(out[0]);
    tp_table_free(want);
    tp_table_free(first);
    /* A path set carries no catalog: grouping it is refused with the reason. */
    out[0] = NULL;
    ASSERT_STATUS(tp_analysis_run("attribute", NULL, NULL, p, NULL, NULL, params, 2, out, 1),
                  TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "needs the catalog");
    const char *typo[] = {"by", "chanel"};
    ASSERT_STATUS(
        tp_analysis_run("attribution_compare", ev, NULL, NULL, NULL, NULL, typo, 1, out, 1),
        TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "channel");
    tp_paths_free(p);
}

/* ---- catalog funnels ---- */

static const char funnel_catalog[] =
    "{\"touchpoints\":[{\"id\":\"website\"},{\"id\":\"cart\"},{\"id\":\"checkout\"},"
    "{\"id\":\"support\"}],"
    "\"funnels\":[{\"id\":\"buy\",\"steps\":[\"website\",\"cart?\",\"checkout<1500ms\"],"
    "\"window\":\"7d\",\"mode\":\"strict\",\"exclude\":[\"support\"]},"
    "{\"id\":\"quick\",\"steps\":\"website, checkout<2h\",\"window\":3600000}]}";

static void test_catalog_funnels(void)
{
    tp_catalog *c;
    ASSERT_OK(tp_catalog_parse_json(&c, funnel_catalog, sizeof funnel_catalog - 1, "f.json"));
    CU_ASSERT_EQUAL(tp_catalog_funnel_count(c), 2);
    CU_ASSERT_STRING_EQUAL(tp_catalog_funnel_id(c, 0), "buy");
    CU_ASSERT_EQUAL(tp_funnel_step_count(tp_catalog_funnel(c, 0)), 3);
    CU_ASSERT_PTR_NULL(tp_catalog_funnel(c, 2));
    const tp_funnel *quick;
    ASSERT_OK(tp_catalog_find_funnel(c, "quick", &quick));
    ASSERT_STATUS(tp_catalog_find_funnel(c, "quik", &quick), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'quick'");

    /* The catalog's funnel runs as the same funnel built by hand. */
    static const char csv[] =
        "customer_id,timestamp,touchpoint,type\n"
        "a,1,website,interaction\na,2,cart,interaction\na,3,checkout,interaction\n"
        "b,1,website,interaction\nb,5,checkout,interaction\n"
        "c,1,website,interaction\nc,2,support,interaction\nc,3,checkout,interaction\n";
    tp_events *e = tp_test_log(&c, csv, sizeof csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_funnel *hand;
    ASSERT_OK(tp_funnel_new(&hand));
    ASSERT_OK(tp_funnel_parse(hand, "website, cart?, checkout<1500ms"));
    ASSERT_OK(tp_funnel_set_window(hand, 7 * 86400000LL));
    ASSERT_OK(tp_funnel_set_mode(hand, TP_FUNNEL_STRICT));
    ASSERT_OK(tp_funnel_add_exclusion(hand, "support"));
    tp_table *s1, *s2;
    ASSERT_OK(tp_funnel_run(e, tp_catalog_funnel(c, 0), NULL, NULL, &s1, NULL));
    ASSERT_OK(tp_funnel_run(e, hand, NULL, NULL, &s2, NULL));
    char *a, *b;
    ASSERT_OK(tp_table_format(s1, TP_FORMAT_CSV, &a, NULL));
    ASSERT_OK(tp_table_format(s2, TP_FORMAT_CSV, &b, NULL));
    CU_ASSERT_STRING_EQUAL(a, b);
    /* Hand count: a reaches all 3 (checkout 1 s after cart); b reaches checkout 4 s after
     * website (over 1.5 s); c is broken by support. */
    CU_ASSERT_DOUBLE_EQUAL(num(s1, 2, "customers"), 1, 0);
    tp_free(a);
    tp_free(b);
    tp_table_free(s1);
    tp_table_free(s2);

    /* The report uses the catalog's first funnel. */
    tp_report *r;
    ASSERT_OK(tp_report_new(&r, e, NULL, NULL, NULL, NULL));
    char *json;
    ASSERT_OK(tp_report_render(r, TP_REPORT_JSON, &json, NULL));
    ASSERT_CONTAINS(json, "\"steps_from\": \"catalog\", \"funnel_id\": \"buy\"");
    tp_free(json);
    tp_report_free(r);
    tp_events_free(e);

    /* Saved and read back: the same funnels. */
    char *text, *again;
    ASSERT_OK(tp_catalog_to_json(c, &text, NULL));
    ASSERT_CONTAINS(text, "\"steps\": [\"website\", \"cart?\", \"checkout<1500ms\"], \"window\": "
                          "\"7d\", \"mode\": \"strict\", \"exclude\": [\"support\"]");
    ASSERT_CONTAINS(text, "\"steps\": [\"website\", \"checkout<2h\"], \"window\": \"1h\"");
    tp_catalog *back;
    ASSERT_OK(tp_catalog_parse_json(&back, text, strlen(text), "back.json"));
    ASSERT_OK(tp_catalog_to_json(back, &again, NULL));
    CU_ASSERT_STRING_EQUAL(text, again);
    tp_free(text);
    tp_free(again);
    tp_catalog_free(back);

    /* Steps and exclusions of one event type are written as they are read. */
    static const char typed[] =
        "{\"touchpoints\":[{\"id\":\"website\"},{\"id\":\"checkout\"},{\"id\":\"support\"}],"
        "\"funnels\":[{\"id\":\"buy\",\"steps\":[\"website\",\"checkout (Conversion)?<1h\","
        "\"(conversion)\"],\"exclude\":\"support (exit), (exit)\"}]}";
    ASSERT_OK(tp_catalog_parse_json(&back, typed, sizeof typed - 1, "typed.json"));
    ASSERT_OK(tp_catalog_to_json(back, &text, NULL));
    ASSERT_CONTAINS(text, "\"steps\": [\"website\", \"checkout (conversion)?<1h\", "
                          "\"(conversion)\"], \"mode\": \"loose\", \"exclude\": "
                          "[\"support (exit)\", \"(exit)\"]");
    tp_catalog_free(back);
    ASSERT_OK(tp_catalog_parse_json(&back, text, strlen(text), "back.json"));
    ASSERT_OK(tp_catalog_to_json(back, &again, NULL));
    CU_ASSERT_STRING_EQUAL(text, again);
    tp_free(text);
    tp_free(again);
    tp_catalog_free(back);

    /* Added by hand: copied, checked against the catalog. */
    ASSERT_STATUS(tp_catalog_add_funnel(c, "buy", hand), TP_ECONFLICT);
    tp_funnel *bad;
    ASSERT_OK(tp_funnel_new(&bad));
    ASSERT_STATUS(tp_catalog_add_funnel(c, "empty", bad), TP_EINVAL);
    ASSERT_OK(tp_funnel_parse(bad, "website, chekout"));
    ASSERT_STATUS(tp_catalog_add_funnel(c, "typo", bad), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'checkout'");
    CU_ASSERT_EQUAL(tp_catalog_funnel_count(c), 2);
    ASSERT_OK(tp_catalog_add_funnel(c, "again", hand));
    tp_funnel_free(hand); /* the catalog holds its own copy */
    CU_ASSERT_EQUAL(tp_funnel_step_count(tp_catalog_funnel(c, 2)), 3);
    tp_funnel_free(bad);
    tp_catalog_free(c);

    /* Bad funnels in JSON name their path. */
    static const struct {
        const char *json, *path, *reason;
    } cases[] = {
        {"{\"funnels\":[{\"id\":\"f\"}]}", "$.funnels[0].steps", "needs steps"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a\",\"b\"]}]}",
         "$.funnels[0]", "'b' is not a touchpoint"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a\"],"
         "\"mode\":\"strikt\"}]}",
         "$.funnels[0].mode", "strict"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a,a\"]}]}",
         "$.funnels[0].steps[0]", "one step per array element"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a\"],"
         "\"window\":-5}]}",
         "$.funnels[0].window", "milliseconds"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a\"],"
         "\"order\":1}]}",
         "$.funnels[0]", "unknown key \"order\""},
        {"{\"funnels\":{}}", "$.funnels", "expected an array"},
        {"{\"touchpoints\":[{\"id\":\"a\"}],\"funnels\":[{\"id\":\"f\",\"steps\":[\"a\","
         "\"chekout (conversion)\"]}]}",
         "$.funnels[0]", "step 'chekout' is not a touchpoint"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_catalog *x = NULL;
        CU_ASSERT_NOT_EQUAL(
            tp_catalog_parse_json(&x, cases[i].json, strlen(cases[i].json), "f.json"), TP_OK);
        CU_ASSERT_PTR_NULL(x);
        ASSERT_CONTAINS(tp_last_error(), cases[i].path);
        ASSERT_CONTAINS(tp_last_error(), cases[i].reason);
    }
}

/* ---- filter copy, clear, selects ---- */

/* The scorecards under two filters are the same, byte for byte. */
static void assert_same_scorecard(const tp_filter *x, const tp_filter *y)
{
    tp_table *a, *b;
    char *ta, *tb;
    ASSERT_OK(tp_scorecard(ev, fb, x, NULL, &a));
    ASSERT_OK(tp_scorecard(ev, fb, y, NULL, &b));
    ASSERT_OK(tp_table_format(a, TP_FORMAT_CSV, &ta, NULL));
    ASSERT_OK(tp_table_format(b, TP_FORMAT_CSV, &tb, NULL));
    CU_ASSERT_STRING_EQUAL(ta, tb);
    tp_free(ta);
    tp_free(tb);
    tp_table_free(a);
    tp_table_free(b);
}

static void test_filter_copy_clear_selects(void)
{
    tp_filter *f, *g;
    ASSERT_OK(tp_filter_new(&f));
    CU_ASSERT_EQUAL(tp_filter_selects(f, "stage", "during"), 1); /* no list: everything */
    ASSERT_OK(tp_filter_set(f, "stage", "before"));
    ASSERT_OK(tp_filter_set(f, "stage", "after"));
    ASSERT_OK(tp_filter_set(f, "segment", "region=north"));
    ASSERT_OK(tp_filter_set(f, "since", "2026-03-01"));
    CU_ASSERT_EQUAL(tp_filter_selects(f, "stage", "after"), 1);
    CU_ASSERT_EQUAL(tp_filter_selects(f, "stage", "during"), 0);
    CU_ASSERT_EQUAL(tp_filter_selects(f, "channel", "web"), 1);
    CU_ASSERT_EQUAL(tp_filter_selects(f, "segment", "x"), 0);
    CU_ASSERT_EQUAL(tp_filter_selects(NULL, "stage", "after"), 0);
    ASSERT_OK(tp_filter_copy(f, &g));
    /* The copy selects the same rows as the original. */
    assert_same_scorecard(f, g);
    tp_filter_free(f); /* the copy owns its text */
    ASSERT_OK(tp_filter_clear(g, "stage"));
    CU_ASSERT_EQUAL(tp_filter_selects(g, "stage", "during"), 1);
    /* Cleared of everything it selects what an empty filter selects. */
    ASSERT_OK(tp_filter_clear(g, NULL));
    assert_same_scorecard(g, NULL);
    ASSERT_STATUS(tp_filter_clear(g, "stages"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'stage'");
    ASSERT_STATUS(tp_filter_copy(NULL, &f), TP_EINVAL);
    tp_filter_free(g);
}

static void test_cleanup(void)
{
    tp_events_free(ev);
    tp_feedback_free(fb);
    tp_catalog_free(cat);
    ev = NULL, fb = NULL, cat = NULL;
}

static const tp_test report_tests[] = {
    TP_TEST(test_findings_match_the_analyses),
    TP_TEST(test_forms),
    TP_TEST(test_lifetime_and_no_feedback), TP_TEST(test_attribution_refused),
    TP_TEST(test_options_and_filters),
    TP_TEST(test_purchase_funnel),
    TP_TEST(test_targets_roadmap_owners), TP_TEST(test_segments),
    TP_TEST(test_rollup_by_hand),
    TP_TEST(test_rollup_by_name),
    TP_TEST(test_catalog_funnels),
    TP_TEST(test_filter_copy_clear_selects),
    TP_TEST(test_cleanup),
    TP_TESTS_END,
};

int main(void)
{
    const tp_suite suites[] = {{"report", report_tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
