/* lib/report/: the report's text helpers, SVG helpers and charts, on hand-made data. */
#include <ctype.h>
#include <math.h>

#include "core/strbuf.h"
#include "report/charts.h"
#include "report/svg.h"
#include "testutil.h"

static void test_ticks(void)
{
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_tick_step(0, 100, 5), 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_tick_step(0, 1, 5), 0.2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_tick_step(0, 7, 8), 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_tick_step(0, 2100, 8), 500, 1e-9); /* 262.5 rounds up to 500 */
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_tick_step(0, 1900, 8), 250, 1e-9);
    CU_ASSERT_EQUAL(tp__svg_tick_step(1, 1, 5), 0);
    CU_ASSERT_EQUAL(tp__svg_tick_step(0, NAN, 5), 0);
    double lo = -38.6, hi = 30.5;
    CU_ASSERT_DOUBLE_EQUAL(tp__svg_nice(&lo, &hi, 8), 10, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(lo, -40, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hi, 40, 1e-12);
    lo = hi = 5; /* an empty range still gets an axis */
    double step = tp__svg_nice(&lo, &hi, 5);
    CU_ASSERT(step > 0 && lo < 5 && hi > 5);
    lo = NAN;
    hi = 3;
    tp__svg_nice(&lo, &hi, 5);
    CU_ASSERT(lo == 0 && hi == 1);
    CU_ASSERT_EQUAL(tp__svg_step_decimals(0.25), 2);
    CU_ASSERT_EQUAL(tp__svg_step_decimals(2.5), 1);
    CU_ASSERT_EQUAL(tp__svg_step_decimals(0.2), 1);
    CU_ASSERT_EQUAL(tp__svg_step_decimals(500), 0);
}

static void test_formatting(void)
{
    char t[64];
    tp__svg_format_count(t, sizeof t, 1234567.4);
    CU_ASSERT_STRING_EQUAL(t, "1,234,567");
    tp__svg_format_count(t, sizeof t, -1197);
    CU_ASSERT_STRING_EQUAL(t, "-1,197");
    tp__svg_format_count(t, sizeof t, -0.4);
    CU_ASSERT_STRING_EQUAL(t, "0");
    tp__svg_format_count(t, sizeof t, 999);
    CU_ASSERT_STRING_EQUAL(t, "999");
    tp__strbuf b = {0};
    tp__sb_number(&b, -0.04, 1);
    tp__sb_puts(&b, " ");
    tp__sb_number(&b, NAN, 1);
    tp__sb_puts(&b, " ");
    tp__sb_number(&b, 17.83075, 1);
    CU_ASSERT_STRING_EQUAL(b.data, "0.0 - 17.8");
    tp__sb_free(&b);
    tp__sb_xml(&b, "<a href='x'>&\"\x01");
    CU_ASSERT_STRING_EQUAL(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;&quot; ");
    tp__sb_free(&b);
    tp__sb_json_text(&b, "a\"b\\\n\x01");
    CU_ASSERT_STRING_EQUAL(b.data, "\"a\\\"b\\\\\\n\\u0001\"");
    tp__sb_free(&b);
    tp__sb_json_text(&b, NULL);
    CU_ASSERT_STRING_EQUAL(b.data, "null");
    tp__sb_free(&b);
    /* Growth past the first block keeps every byte. */
    for (int i = 0; i < 5000; i++)
        tp__sb_printf(&b, "%04d", i % 10000);
    CU_ASSERT_EQUAL(b.len, 20000);
    CU_ASSERT_EQUAL(strncmp(b.data + 4 * 4321, "4321", 4), 0);
    CU_ASSERT_FALSE(b.failed);
    tp__sb_free(&b);
}

/* WCAG relative luminance of "#rrggbb", computed here independently. */
static double luminance(const char *hex)
{
    double c[3];
    for (int i = 0; i < 3; i++) {
        unsigned v;
        sscanf(hex + 1 + 2 * i, "%2x", &v);
        double s = v / 255.0;
        c[i] = s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static void test_palette_reads_in_grey(void)
{
    /* Series stay in order and apart when printed in grey: luminance rises
     * with the series index, by a visible step. */
    for (size_t n = 2; n <= 7; n++)
        for (size_t i = 1; i < n; i++) {
            double a = luminance(tp__svg_series_color(i - 1, n)), b = luminance(tp__svg_series_color(i, n));
            CU_ASSERT(b > a + 0.03);
        }
    /* Ink on a series colour has contrast >= 4.5 (WCAG AA). */
    for (size_t n = 1; n <= 7; n++)
        for (size_t i = 0; i < n; i++) {
            double bg = luminance(tp__svg_series_color(i, n));
            double ink = !strcmp(tp__svg_series_ink(i, n), "#fff") ? 1.0 : luminance("#111111");
            double hi = fmax(bg, ink), lo = fmin(bg, ink);
            CU_ASSERT((hi + 0.05) / (lo + 0.05) >= 4.5);
        }
    CU_ASSERT_STRING_NOT_EQUAL(tp__svg_dash(0), tp__svg_dash(1));
}

/* A minimal XML check: tags nest and close in order, attributes are quoted,
 * text holds no raw '<' or stray '&'. Returns the number of elements, -1 if
 * the text is not well formed. */
static int well_formed(const char *s)
{
    char stack[64][32];
    int depth = 0, elements = 0;
    while (*s) {
        if (*s == '&') {
            if (strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) && strncmp(s, "&gt;", 4) &&
                strncmp(s, "&quot;", 6) && strncmp(s, "&#39;", 5))
                return -1;
            s++;
            continue;
        }
        if (*s != '<') {
            s++;
            continue;
        }
        int closing = s[1] == '/';
        const char *name = s + 1 + closing;
        size_t len = strcspn(name, " />");
        if (len == 0 || len >= 32)
            return -1;
        const char *end = name + len;
        int quote = 0;
        while (*end && (quote || *end != '>')) {
            if (*end == '"')
                quote = !quote;
            else if (*end == '<' && !quote)
                return -1;
            end++;
        }
        if (!*end)
            return -1;
        int self = end[-1] == '/';
        if (closing) {
            if (depth == 0 || strncmp(stack[depth - 1], name, len) || stack[depth - 1][len])
                return -1;
            depth--;
        } else {
            elements++;
            if (!self) {
                if (depth == 64)
                    return -1;
                memcpy(stack[depth], name, len);
                stack[depth++][len] = '\0';
            }
        }
        s = end + 1;
    }
    return depth == 0 ? elements : -1;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_well_formed_checker(void)
{
    CU_ASSERT_EQUAL(well_formed("<svg><g a=\"1 > 2\"><line/></g></svg>"), 3);
    CU_ASSERT_EQUAL(well_formed("<svg><g></svg></g>"), -1);
    CU_ASSERT_EQUAL(well_formed("<svg>a < b</svg>"), -1);
    CU_ASSERT_EQUAL(well_formed("<svg>R&D</svg>"), -1);
}

static void test_charts_are_well_formed_and_escape(void)
{
    const char *labels[] = {"<script>", "a & b", "plain"};
    const double est[] = {-20, NAN, 40}, lo[] = {-30, NAN, 35}, hi[] = {-10, NAN, 45};
    const int kind[] = {0, 1, 1};
    const char *names[2] = {"pain", "bright"};
    const char *stages[] = {"before", "during"};
    const double stage_cx[] = {NAN, 55};
    const size_t stage_of[] = {1, 1, 1};
    const double cx[] = {30, 60, 80};
    const double dots[] = {1, 2, 3, 4, 5, 6};
    const char *series[] = {"first", "markov"};
    const double lines[] = {50, NAN, 60, 70, 1, 2, 3, 4};
    const char *periods[] = {"2026-01", "2026-02", "2026-03", "2026-04"};
    const tp__chart_edge edges[] = {{1, "<a>", "b", 5}, {1, "<a>", "(end)", 2}, {2, "b", "c", 5}};
    /* ids: what the labels name, shown on hover when they differ */
    const char *ids[] = {"id-script", "a & b", "id<3>"};
    tp__chart_journey_data jd = {stages, stage_cx, 2, labels, stage_of, cx, 3, 50, ids};
    tp__chart_quadrant_data qd = {labels, cx, est, 3, 50, 0, "performance", "importance",
                              {"fix first", "maintain", "low priority", "possible overkill"}, ids};
    for (int which = 0; which < 8; which++) {
        tp__strbuf b = {0};
        switch (which) {
        case 0: tp__chart_journey(&b, "j", "Journey <map>", &jd); break;
        case 1: tp__chart_intervals(&b, "i", "NPS", "NPS", labels, ids, est, lo, hi, 3, -100, 100, 0, "0"); break;
        case 2: tp__chart_diverging(&b, "d", "Gaps", "gap", labels, ids, est, kind, 3, names); break;
        case 3: tp__chart_quadrants(&b, "q", "Drivers", &qd); break;
        case 4: tp__chart_funnel(&b, "f", "Funnel", labels, cx, 3); break;
        case 5: tp__chart_sankey(&b, "s", "Flow", edges, 3, NULL, NULL); break;
        case 6: tp__chart_dots(&b, "a", "Attribution", "conversions", labels, 3, series, 2, dots); break;
        default: tp__chart_lines(&b, "t", "Trend", "CX", periods, NULL, 4, series, 2, lines); break;
        }
        CU_ASSERT_FALSE(b.failed);
        int elements = well_formed(b.data);
        if (elements < 10)
            fprintf(stderr, "\n  chart %d: %d elements\n%s\n", which, elements, b.data);
        CU_ASSERT(elements >= 10);
        CU_ASSERT_EQUAL(strncmp(b.data, "<svg ", 5), 0);
        CU_ASSERT_PTR_NULL(strstr(b.data, "<script>"));
        CU_ASSERT_PTR_NULL(strstr(b.data, "<a>"));
        CU_ASSERT(count(b.data, "<title") >= 1);
        if (which <= 3) { /* the charts with ids: on hover, escaped; not when equal to the label */
            ASSERT_CONTAINS(b.data, "plain (id&lt;3&gt;):");
            CU_ASSERT_PTR_NULL(strstr(b.data, "a &amp; b (a &amp; b)"));
        }
        tp__sb_free(&b);
    }
}

static void test_chart_details(void)
{
    tp__strbuf b = {0};
    /* A gap in a series breaks its line: two "M" moves in the first path. */
    const char *series[] = {"all"};
    const double v[] = {50, NAN, 60, 70};
    const char *periods[] = {"p1", "p2", "p3", "p4"};
    tp__chart_lines(&b, "t", "Trend", "CX", periods, NULL, 4, series, 1, v);
    const char *d = strstr(b.data, "class=\"line\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    d = strstr(d, " d=\"");
    const char *end = strchr(d + 4, '"');
    size_t moves = 0, lineto = 0;
    for (const char *p = d + 4; p < end; p++)
        moves += *p == 'M', lineto += *p == 'L';
    CU_ASSERT_EQUAL(moves, 2);
    CU_ASSERT_EQUAL(lineto, 1);
    CU_ASSERT_EQUAL(count(b.data, "<circle"), 3 + 1); /* three points and the legend */
    tp__sb_free(&b);
    /* The funnel names the drop between steps, with the share of the step before. */
    const char *steps[] = {"website", "cart"};
    const double customers[] = {4100, 2903};
    tp__chart_funnel(&b, "f", "Funnel", steps, customers, 2);
    ASSERT_CONTAINS(b.data, "1,197 dropped (29.2% of step 1)");
    ASSERT_CONTAINS(b.data, "2,903 (70.8%)");
    tp__sb_free(&b);
    /* Long labels are cut with an ellipsis and keep the full text as a tooltip. */
    tp__svg_text_fit(&b, 0, 0, "start", NULL, "transactional-email-and-more", 10);
    ASSERT_CONTAINS(b.data, "<title>transactional-email-and-more</title>transacti\xe2\x80\xa6");
    tp__sb_free(&b);
}

static void test_sankey_layout(void)
{
    const tp__chart_edge e[] = {{1, "a", "b", 30}, {1, "a", "c", 10}, {2, "b", "d", 30},
                            {2, "x", "y", 0}}; /* zero edges are ignored */
    tp__chart_node *nodes = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(tp__chart_sankey_layout(e, 4, 100, 10, &nodes, &n), 0);
    CU_ASSERT_EQUAL_FATAL(n, 4);
    /* Column 1 (b 30 and c 10 with one gap) is the fullest: 90 px for 40
     * journeys, so 2.25 px per journey everywhere. */
    CU_ASSERT_STRING_EQUAL(nodes[0].name, "a");
    CU_ASSERT_DOUBLE_EQUAL(nodes[0].h, 90, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(nodes[0].out, 40, 1e-12);
    CU_ASSERT_STRING_EQUAL(nodes[1].name, "b");
    CU_ASSERT_DOUBLE_EQUAL(nodes[1].y, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(nodes[1].h, 67.5, 1e-9);
    CU_ASSERT_STRING_EQUAL(nodes[2].name, "c");
    CU_ASSERT_DOUBLE_EQUAL(nodes[2].y, 77.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(nodes[2].y + nodes[2].h, 100, 1e-9);
    CU_ASSERT_STRING_EQUAL(nodes[3].name, "d");
    CU_ASSERT_EQUAL(nodes[3].column, 2);
    CU_ASSERT_DOUBLE_EQUAL(nodes[3].in, 30, 1e-12);
    free(nodes);
    CU_ASSERT_EQUAL(tp__chart_sankey_layout(e, 0, 100, 10, &nodes, &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    free(nodes);
}

static const tp_test tests[] = {TP_TEST(test_ticks),
                                TP_TEST(test_formatting),
                                TP_TEST(test_palette_reads_in_grey),
                                TP_TEST(test_well_formed_checker),
                                TP_TEST(test_charts_are_well_formed_and_escape),
                                TP_TEST(test_chart_details),
                                TP_TEST(test_sankey_layout),
                                TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"tools/charts", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
