/* lib/model/catalog.c, journey_map.c, default_catalog.c and lib/io/catalog_json.c. */
#include "testutil.h"

static tp_catalog *load(const char *name, tp_status want)
{
    tp_catalog *c = NULL;
    ASSERT_STATUS(tp_catalog_load_json(&c, fixture(name)), want);
    return c;
}

static void test_stages(void)
{
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new(&c));
    CU_ASSERT_EQUAL(tp_catalog_stage_count(c), 3);
    CU_ASSERT_STRING_EQUAL(tp_catalog_stage_name(c, 0), "before");
    CU_ASSERT_STRING_EQUAL(tp_catalog_stage_name(c, 2), "after");
    CU_ASSERT_EQUAL(tp_catalog_add_stage(c, "during"), TP_ECONFLICT);
    ASSERT_OK(tp_catalog_add_stage(c, "advocacy"));
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "ad";
    d.stage = "before";
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    const char *keep[] = {"awareness", "before"};
    ASSERT_OK(tp_catalog_set_stages(c, keep, 2));
    tp_touchpoint_def got;
    tp_touchpoint_def_init(&got, TP_TOUCHPOINT_DEF_VERSION);
    ASSERT_OK(tp_catalog_get_touchpoint(c, 0, &got));
    CU_ASSERT_STRING_EQUAL(got.stage, "before");
    const char *drop[] = {"awareness"};
    CU_ASSERT_EQUAL(tp_catalog_set_stages(c, drop, 1), TP_ECONFLICT);
    CU_ASSERT_EQUAL(tp_catalog_stage_count(c), 2);
    const char *twice[] = {"a", "a"};
    CU_ASSERT_EQUAL(tp_catalog_set_stages(c, twice, 2), TP_EINVAL);
    tp_catalog_free(c);
}

static void test_touchpoints_and_parents(void)
{
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new(&c));
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "store";
    d.stage = "during";
    d.kind = TP_KIND_PHYSICAL;
    d.owner = "Retail";
    d.weight = 2;
    size_t idx;
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, &idx));
    CU_ASSERT_EQUAL(idx, 0);
    CU_ASSERT_EQUAL(tp_catalog_add_touchpoint(c, &d, NULL), TP_ECONFLICT);
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "checkout";
    d.parent = "store";
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, &idx));
    d.id = "x";
    d.parent = "missing";
    CU_ASSERT_EQUAL(tp_catalog_add_touchpoint(c, &d, NULL), TP_ENOTFOUND);
    d.parent = NULL;
    d.stage = "nowhere";
    CU_ASSERT_EQUAL(tp_catalog_add_touchpoint(c, &d, NULL), TP_ENOTFOUND);
    d.stage = NULL;
    d.weight = -1;
    CU_ASSERT_EQUAL(tp_catalog_add_touchpoint(c, &d, NULL), TP_EINVAL);
    d.weight = 1;
    d.id = "";
    CU_ASSERT_EQUAL(tp_catalog_add_touchpoint(c, &d, NULL), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_catalog_touchpoint_count(c), 2);
    /* Cycles are refused, self-parent included. */
    CU_ASSERT_EQUAL(tp_catalog_set_parent(c, "store", "checkout"), TP_EVALIDATE);
    CU_ASSERT_EQUAL(tp_catalog_set_parent(c, "store", "store"), TP_EVALIDATE);
    ASSERT_OK(tp_catalog_set_parent(c, "checkout", NULL));
    ASSERT_OK(tp_catalog_set_parent(c, "store", "checkout"));
    tp_touchpoint_def got;
    tp_touchpoint_def_init(&got, TP_TOUCHPOINT_DEF_VERSION);
    ASSERT_OK(tp_catalog_get_touchpoint(c, 0, &got));
    CU_ASSERT_STRING_EQUAL(got.parent, "checkout");
    CU_ASSERT_STRING_EQUAL(got.owner, "Retail");
    CU_ASSERT_STRING_EQUAL(got.name, "store"); /* no name given: the display name is the id */
    CU_ASSERT_EQUAL(got.kind, TP_KIND_PHYSICAL);
    CU_ASSERT_DOUBLE_EQUAL(got.weight, 2.0, 0);
    tp_catalog_free(c);
}

static void test_default_catalog(void)
{
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new_default(&c));
    CU_ASSERT_TRUE(tp_catalog_touchpoint_count(c) >= 25);
    static const char *const must[] = {"social-media", "online-reviews", "word-of-mouth",
                                       "advertising", "website", "store", "catalog",
                                       "promotions", "sales-staff", "phone", "point-of-sale",
                                       "billing", "transactional-email", "marketing-email",
                                       "support", "help-center", "follow-up", "thank-you-card"};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        size_t idx;
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        ASSERT_OK(tp_catalog_find_touchpoint(c, must[i], &idx));
        ASSERT_OK(tp_catalog_get_touchpoint(c, idx, &d));
        CU_ASSERT_PTR_NOT_NULL(d.stage);
        CU_ASSERT_PTR_NOT_NULL(d.channel);
        CU_ASSERT_PTR_NOT_NULL(d.expectation);
        CU_ASSERT_NOT_EQUAL(d.kind, TP_KIND_UNKNOWN);
    }
    size_t idx;
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    ASSERT_OK(tp_catalog_find_touchpoint(c, "point-of-sale", &idx));
    ASSERT_OK(tp_catalog_get_touchpoint(c, idx, &d));
    CU_ASSERT_STRING_EQUAL(d.parent, "store");
    const tp_journey_map *m;
    ASSERT_OK(tp_catalog_find_journey_map(c, "online-purchase", &m));
    CU_ASSERT_TRUE(tp_journey_map_allows(m, "(start)", "search"));
    CU_ASSERT_TRUE(tp_journey_map_allows(m, "cart", "online-checkout"));
    CU_ASSERT_FALSE(tp_journey_map_allows(m, "online-checkout", "cart"));
    tp_table *t;
    ASSERT_OK(tp_catalog_to_table(c, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), tp_catalog_touchpoint_count(c));
    size_t col;
    int64_t depth;
    ASSERT_OK(tp_table_find_column(t, "depth", &col));
    ASSERT_OK(tp_table_get_int64(t, idx, col, &depth));
    CU_ASSERT_EQUAL(depth, 1);
    tp_table_free(t);
    tp_catalog_free(c);
}

static void test_journey_map(void)
{
    tp_journey_map *m;
    ASSERT_OK(tp_journey_map_new(&m, "m"));
    const char *see[] = {"ad", "search"};
    ASSERT_OK(tp_journey_map_add_stage(m, "see", see, 2));
    CU_ASSERT_EQUAL(tp_journey_map_add_stage(m, "see", NULL, 0), TP_ECONFLICT);
    const char *again[] = {"ad"};
    CU_ASSERT_EQUAL(tp_journey_map_add_stage(m, "buy", again, 1), TP_ECONFLICT);
    CU_ASSERT_EQUAL(tp_journey_map_stage_count(m), 1);
    ASSERT_OK(tp_journey_map_allow(m, "(start)", "ad"));
    ASSERT_OK(tp_journey_map_allow(m, "(start)", "ad"));
    CU_ASSERT_EQUAL(tp_journey_map_transition_count(m), 1);
    CU_ASSERT_EQUAL(tp_journey_map_allow(m, "(end)", "ad"), TP_EINVAL);
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new(&c));
    CU_ASSERT_EQUAL(tp_catalog_add_journey_map(c, m), TP_ENOTFOUND);
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "ad";
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    d.id = "search";
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    ASSERT_OK(tp_catalog_add_journey_map(c, m));
    CU_ASSERT_EQUAL(tp_catalog_add_journey_map(c, m), TP_ECONFLICT);
    tp_journey_map_free(m);
    const tp_journey_map *copy = tp_catalog_journey_map(c, 0);
    CU_ASSERT_STRING_EQUAL(tp_journey_map_stage_touchpoint(copy, 0, 1), "search");
    tp_catalog_free(c);
}

static void test_json_roundtrip(void)
{
    tp_catalog *c = load("custom.json", TP_OK), *back;
    CU_ASSERT_EQUAL(tp_catalog_stage_count(c), 3);
    CU_ASSERT_STRING_EQUAL(tp_catalog_stage_name(c, 2), "loyalty");
    size_t idx;
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    ASSERT_OK(tp_catalog_find_touchpoint(c, "shop", &idx));
    ASSERT_OK(tp_catalog_get_touchpoint(c, idx, &d));
    CU_ASSERT_STRING_EQUAL(d.name, "Shop \xc3\xa9");
    char *a, *b;
    ASSERT_OK(tp_catalog_to_json(c, &a, NULL));
    ASSERT_OK(tp_catalog_parse_json(&back, a, strlen(a), "roundtrip"));
    ASSERT_OK(tp_catalog_to_json(back, &b, NULL));
    CU_ASSERT_STRING_EQUAL(a, b);
    tp_free(a);
    tp_free(b);
    tp_catalog_free(back);
    tp_catalog_free(c);
    /* The sample data set's catalog is the built-in default. */
    tp_catalog *def, *sample;
    ASSERT_OK(tp_catalog_new_default(&def));
    ASSERT_OK(tp_catalog_load_json(&sample, TP_SAMPLE_DATA "/catalog.json"));
    ASSERT_OK(tp_catalog_to_json(def, &a, NULL));
    ASSERT_OK(tp_catalog_to_json(sample, &b, NULL));
    CU_ASSERT_STRING_EQUAL(a, b);
    tp_free(a);
    tp_free(b);
    tp_catalog_free(def);
    tp_catalog_free(sample);
}

/* Each malformed catalog: exact class and the JSON path (or line:column). */
static void expect(const char *name, tp_status want, const char *field, const char *text)
{
    tp_catalog *c = load(name, want);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), field);
    ASSERT_CONTAINS(tp_last_error(), text);
    ASSERT_CONTAINS(tp_last_error(), name);
}

static void test_json_errors(void)
{
    expect("duplicate_ids.json", TP_ECONFLICT, "$.touchpoints[2].id", "duplicate touchpoint id \"a\"");
    expect("cycle.json", TP_EVALIDATE, "$.touchpoints[2].parent", "makes a cycle");
    expect("unknown_stage.json", TP_EVALIDATE, "$.touchpoints[0].stage", "unknown stage \"durin\"");
    expect("dangling_parent.json", TP_EVALIDATE, "$.touchpoints[1].parent", "\"zz\" is not a touchpoint");
    expect("wrong_type.json", TP_EVALIDATE, "$.touchpoints[0].weight", "expected a number");
    expect("duplicate_key.json", TP_EPARSE, "$.touchpoints[0]", "duplicate key \"id\"");
    expect("deep.json", TP_EPARSE, "", "invalid JSON");
    expect("syntax.json", TP_EPARSE, "", "invalid JSON");
    CU_ASSERT_EQUAL(tp_last_error_line(), 2);
    CU_ASSERT_EQUAL(tp_last_error_column(), 18); /* the "]" after "x", */
    expect("empty.csv", TP_EPARSE, "", "empty input");
    tp_catalog *c;
    CU_ASSERT_EQUAL(tp_catalog_load_json(&c, fixture("no-such-file.json")), TP_EIO);
    static const char nul[] = "{\"stages\":[\"a\\u0000b\"]}";
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, nul, sizeof nul - 1, "nul"), TP_EPARSE);
    static const char bad[] = "{\"stages\":[\"a\xff\"]}";
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, bad, sizeof bad - 1, "utf8"), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_last_error_column(), 14);
    static const char unknown[] = "{\"touchpoints\":[], \"colour\": 1}";
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, unknown, sizeof unknown - 1, "k"), TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "$");
    static const char trailing[] = "{} {}";
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, trailing, sizeof trailing - 1, "t"), TP_EPARSE);
    CU_ASSERT_EQUAL(tp_last_error_column(), 4);
    static const char badmap[] = "{\"touchpoints\":[{\"id\":\"a\"}],\"journey_maps\":[{\"id\":\"m\","
                                 "\"stages\":[{\"name\":\"s\",\"touchpoints\":[\"a\",\"b\"]}]}]}";
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, badmap, sizeof badmap - 1, "m"), TP_EVALIDATE);
    CU_ASSERT_STRING_EQUAL(tp_last_error_field(), "$.journey_maps[0].stages[0].touchpoints[1]");
}

/* Targets in JSON: read, written back as read, and each bad one named by path. */
static void test_json_targets(void)
{
    static const char doc[] = "{\"touchpoints\":[{\"id\":\"a\",\"targets\":{\"ces\":5.5,\"nps\":-20}},"
                              "{\"id\":\"b\",\"targets\":{}},{\"id\":\"c\",\"targets\":null}]}";
    tp_catalog *c;
    ASSERT_OK(tp_catalog_parse_json(&c, doc, sizeof doc - 1, "t.json"));
    CU_ASSERT_DOUBLE_EQUAL(tp_catalog_target(c, 0, TP_TARGET_NPS), -20, 0);
    CU_ASSERT_DOUBLE_EQUAL(tp_catalog_target(c, 0, TP_TARGET_CES), 5.5, 0);
    CU_ASSERT(isnan(tp_catalog_target(c, 0, TP_TARGET_CSAT)));
    CU_ASSERT(isnan(tp_catalog_target(c, 1, TP_TARGET_NPS)));
    char *a, *b;
    ASSERT_OK(tp_catalog_to_json(c, &a, NULL));
    ASSERT_CONTAINS(a, "\"targets\": {\"nps\": -20, \"ces\": 5.5}"); /* in target order */
    CU_ASSERT_PTR_NULL(strstr(strstr(a, "\"id\": \"b\""), "targets"));
    tp_catalog *back;
    ASSERT_OK(tp_catalog_parse_json(&back, a, strlen(a), "back.json"));
    ASSERT_OK(tp_catalog_to_json(back, &b, NULL));
    CU_ASSERT_STRING_EQUAL(a, b);
    tp_free(a);
    tp_free(b);
    tp_catalog_free(back);
    tp_catalog_free(c);
    static const struct {
        const char *json, *path, *reason;
    } cases[] = {
        {"{\"touchpoints\":[{\"id\":\"a\",\"targets\":{\"nsp\":1}}]}", "$.touchpoints[0].targets",
         "unknown key \"nsp\" (did you mean 'nps'?)"},
        {"{\"touchpoints\":[{\"id\":\"a\",\"targets\":{\"nps\":\"20\"}}]}",
         "$.touchpoints[0].targets.nps", "expected a number"},
        {"{\"touchpoints\":[{\"id\":\"a\",\"targets\":{\"ces\":9}}]}",
         "$.touchpoints[0].targets.ces", "ces targets are from 1 to 7, not 9"},
        {"{\"touchpoints\":[{\"id\":\"a\",\"targets\":[20]}]}", "$.touchpoints[0].targets",
         "expected an object"},
        {"{\"touchpoints\":[{\"id\":\"a\",\"expectation\":4.5}]}",
         "$.touchpoints[0].expectation", "a number to reach goes in \"targets\""},
        {"{\"touchpoints\":[{\"id\":\"a\",\"expectaton\":\"x\"}]}", "$.touchpoints[0]",
         "did you mean 'expectation'?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tp_catalog *x = NULL;
        CU_ASSERT_EQUAL(tp_catalog_parse_json(&x, cases[i].json, strlen(cases[i].json), "t.json"),
                        TP_EVALIDATE);
        CU_ASSERT_PTR_NULL(x);
        CU_ASSERT_STRING_EQUAL(tp_last_error_field(), cases[i].path);
        ASSERT_CONTAINS(tp_last_error(), cases[i].reason);
    }
}

static const tp_test model_tests[] = {TP_TEST(test_stages), TP_TEST(test_touchpoints_and_parents),
                                      TP_TEST(test_default_catalog), TP_TEST(test_journey_map),
                                      TP_TESTS_END};
static const tp_test json_tests[] = {TP_TEST(test_json_roundtrip), TP_TEST(test_json_errors),
                                     TP_TEST(test_json_targets),
                                     TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"model/catalog", model_tests}, {"io/catalog_json", json_tests},
                               {NULL, NULL}};
    return tp_run_suites(suites);
}
