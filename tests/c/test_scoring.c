/* lib/analysis: scorecard, roll-ups, audits, filters, hot spots, drivers,
 * trends and terms, on small data sets whose results are worked out by hand
 * in the comments, and on the bundled sample data where the generator planted
 * its hot spots. */
#include <math.h>

#include "analysis/options_internal.h"
#include "testutil.h"

/* ---- helpers ---- */

static size_t col(const tp_table *t, const char *name)
{
    size_t c = (size_t)-1;
    if (tp_table_find_column(t, name, &c) != TP_OK)
        fprintf(stderr, "\n  no column %s\n", name);
    CU_ASSERT_FATAL(c != (size_t)-1);
    return c;
}

/* A numeric cell (int64 or double) as a double; NaN when null. */
static double num(const tp_table *t, size_t row, const char *name)
{
    size_t c = col(t, name);
    if (tp_table_is_null(t, row, c))
        return NAN;
    if (tp_table_column_type(t, c) == TP_TYPE_INT64) {
        int64_t v = 0;
        tp_table_get_int64(t, row, c, &v);
        return (double)v;
    }
    double v = NAN;
    tp_table_get_double(t, row, c, &v);
    return v;
}

static const char *str(const tp_table *t, size_t row, const char *name)
{
    const char *s = NULL;
    tp_table_get_string(t, row, col(t, name), &s);
    return s;
}

/* The row whose column `key` equals `value`; fails the test if none. */
static size_t row_of(const tp_table *t, const char *key, const char *value)
{
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *s = str(t, r, key);
        if (s && !strcmp(s, value))
            return r;
    }
    fprintf(stderr, "\n  no row with %s = %s\n", key, value);
    CU_FAIL_FATAL("row not found");
    return 0;
}

static int has_row(const tp_table *t, const char *key, const char *value)
{
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *s = str(t, r, key);
        if (s && !strcmp(s, value))
            return 1;
    }
    return 0;
}

static tp_catalog *test_catalog(void)
{
    tp_catalog *c;
    if (tp_catalog_new(&c) != TP_OK)
        return NULL;
    struct {
        const char *id, *stage, *channel, *owner, *parent;
        double weight;
    } tps[] = {{"web", "during", "web", "E-commerce", NULL, 2},
               {"checkout", "during", "web", "E-commerce", "web", 1},
               {"shop", "during", "store", "Retail", NULL, 1},
               {"till", "during", "store", "Retail", "shop", 3},
               {"survey", "after", "email", "CX", NULL, 1},
               {"support", "after", "chat", "Service", NULL, 1}};
    for (size_t i = 0; i < sizeof tps / sizeof tps[0]; i++) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        d.id = tps[i].id;
        d.stage = tps[i].stage;
        d.channel = tps[i].channel;
        d.owner = tps[i].owner;
        d.parent = tps[i].parent;
        d.weight = tps[i].weight;
        if (tp_catalog_add_touchpoint(c, &d, NULL) != TP_OK) {
            fprintf(stderr, "%s\n", tp_last_error());
            tp_catalog_free(c);
            return NULL;
        }
    }
    return c;
}

static void read_events(tp_events *e, const char *csv)
{
    ASSERT_OK(tp_events_read_csv_buffer(e, csv, strlen(csv), "events.csv", NULL, NULL));
}

static void read_feedback(tp_feedback *f, const char *csv)
{
    ASSERT_OK(tp_feedback_read_csv_buffer(f, csv, strlen(csv), "feedback.csv", NULL, NULL));
}

static double sentiment_of(const char *text)
{
    tp_lexicon *l;
    double s = NAN;
    if (tp_lexicon_new_default(&l) == TP_OK)
        tp_sentiment_score(l, text, strlen(text), &s);
    tp_lexicon_free(l);
    return s;
}

/* ---- the scorecard worked example ---- */

static const char events_csv[] =
    "customer_id,timestamp,touchpoint,type,value,segment\n"
    "c1,2026-01-01T09:00:00Z,web,interaction,,vip\n"
    "c1,2026-01-01T09:05:00Z,checkout,interaction,,vip\n"
    "c1,2026-01-01T09:06:00Z,checkout,conversion,20,vip\n"
    "c2,2026-01-02T10:00:00Z,web,interaction,,new\n"
    "c2,2026-01-02T11:00:00Z,shop,interaction,,new\n"
    "c3,2026-01-03T12:00:00Z,shop,interaction,,new\n"
    "c3,2026-01-03T12:30:00Z,shop,interaction,,new\n"
    "c4,2026-01-04T08:00:00Z,web,interaction,,\n";

/* At shop: NPS 10, 9, 8, 7, 3 (P 2, passives 2, D 1); CSAT 5, 4, 2; CES 7, 5;
 * ratings 4, 5; one comment "good". One NPS answer at survey on Feb 1. */
static const char feedback_csv[] =
    "customer_id,timestamp,touchpoint,metric,score,comment,weight\n"
    "c1,2026-01-01T10:00:00Z,shop,nps,10,good,\n"
    "c2,2026-01-02T10:00:00Z,shop,nps,9,,\n"
    "c3,2026-01-03T10:00:00Z,shop,nps,8,,\n"
    "c4,2026-01-04T10:00:00Z,shop,nps,7,,\n"
    "c5,2026-01-05T10:00:00Z,shop,nps,3,,\n"
    "c1,2026-01-01T10:00:00Z,shop,csat,5,,\n"
    "c2,2026-01-02T10:00:00Z,shop,csat,4,,\n"
    "c3,2026-01-03T10:00:00Z,shop,csat,2,,\n"
    "c1,2026-01-01T10:00:00Z,shop,ces,7,,\n"
    "c2,2026-01-02T10:00:00Z,shop,ces,5,,\n"
    "c1,2026-01-01T10:00:00Z,shop,rating,4,,\n"
    "c2,2026-01-02T10:00:00Z,shop,rating,5,,\n"
    "c2,2026-02-01T10:00:00Z,survey,nps,0,,\n";

typedef struct fixture_set {
    tp_catalog *c;
    tp_events *e;
    tp_feedback *f;
} fixture_set;

static fixture_set open_set(void)
{
    fixture_set s = {test_catalog(), NULL, NULL};
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.c);
    ASSERT_OK(tp_events_new(&s.e, s.c));
    ASSERT_OK(tp_feedback_new(&s.f, s.c));
    read_events(s.e, events_csv);
    read_feedback(s.f, feedback_csv);
    return s;
}

static void close_set(fixture_set *s)
{
    tp_events_free(s->e);
    tp_feedback_free(s->f);
    tp_catalog_free(s->c);
}

/* Reach (distinct customers per touchpoint), respondents (distinct customers
 * who answered there) and the response rate (of the reached, the share who
 * answered) against counts made here, for a log with few customers per
 * touchpoint (counted with bit tables) and one with more touchpoints than
 * events per 64 customers (counted with buckets). A third of the answers come
 * from customers the log lacks, and customers answer more than once. */
static void check_reach(int ntp, int ncust, int nev, unsigned seed)
{
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, NULL));
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, tp_events_catalog(e)));
    int nfc = ncust + ncust / 2, nfb = nev / 2; /* feedback customers: c0 .. c(nfc-1) */
    char (*cust)[16] = malloc((size_t)nfc * sizeof *cust);
    char (*tps)[16] = malloc((size_t)ntp * sizeof *tps);
    const char **cs = malloc((size_t)nev * sizeof *cs), **ts = malloc((size_t)nev * sizeof *ts);
    const char **ms = malloc((size_t)nfb * sizeof *ms);
    int64_t *times = malloc((size_t)nev * sizeof *times);
    double *scores = malloc((size_t)nfb * sizeof *scores);
    unsigned char *seen = calloc((size_t)ntp * (size_t)nfc, 1); /* bit 0 event, bit 1 answer */
    CU_ASSERT_FATAL(cust && tps && cs && ts && ms && times && scores && seen);
    for (int i = 0; i < nfc; i++)
        snprintf(cust[i], sizeof cust[i], "c%d", i);
    for (int i = 0; i < ntp; i++)
        snprintf(tps[i], sizeof tps[i], "tp%d", i);
    uint64_t x = seed;
    for (int i = 0; i < nev; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int c = i < ncust ? i : (int)((x >> 33) % (uint64_t)ncust);
        int t = (int)((x >> 17) % (uint64_t)ntp);
        cs[i] = cust[c];
        ts[i] = tps[t];
        times[i] = i;
        seen[(size_t)t * (size_t)nfc + (size_t)c] |= 1;
    }
    ASSERT_OK(tp_events_append_many(e, (size_t)nev, cs, ts, times, NULL, NULL));
    for (int i = 0; i < nfb; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int c = (int)((x >> 33) % (uint64_t)nfc), t = (int)((x >> 17) % (uint64_t)ntp);
        cs[i] = cust[c];
        ts[i] = tps[t];
        ms[i] = "csat";
        scores[i] = 1 + (double)(i % 5);
        seen[(size_t)t * (size_t)nfc + (size_t)c] |= 2;
    }
    ASSERT_OK(tp_feedback_append_many(f, (size_t)nfb, cs, times, ts, ms, scores, NULL, NULL));
    tp_table *t;
    ASSERT_OK(tp_scorecard(e, f, NULL, NULL, &t));
    for (int k = 0; k < ntp; k++) {
        double reach = 0, who = 0, both = 0;
        for (int c = 0; c < nfc; c++) {
            unsigned char b = seen[(size_t)k * (size_t)nfc + (size_t)c];
            reach += b & 1;
            who += b >> 1;
            both += b == 3;
        }
        size_t r = row_of(t, "touchpoint", tps[k]);
        CU_ASSERT_EQUAL(num(t, r, "reach"), reach);
        CU_ASSERT_EQUAL(num(t, r, "respondents"), who);
        if (reach > 0)
            CU_ASSERT_DOUBLE_EQUAL(num(t, r, "response_rate"), both / reach, 1e-12);
    }
    tp_table_free(t);
    tp_feedback_free(f);
    tp_events_free(e);
    free(cust);
    free(tps);
    free(cs);
    free(ts);
    free(ms);
    free(times);
    free(scores);
    free(seen);
}

static void test_reach_counts(void)
{
    check_reach(7, 300, 5000, 1);   /* 7 x 5 words of bits <= 5000 events */
    check_reach(200, 2000, 2100, 2); /* 200 x 32 words > 2100 events: buckets */
}

static void test_scorecard_worked(void)
{
    fixture_set s = open_set();
    tp_table *t;
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 6); /* every catalog touchpoint */
    size_t r = row_of(t, "touchpoint", "shop");
    CU_ASSERT_STRING_EQUAL(str(t, r, "stage"), "during");
    CU_ASSERT_STRING_EQUAL(str(t, r, "owner"), "Retail");
    CU_ASSERT_EQUAL(num(t, r, "reach"), 2); /* c2 and c3; c3 twice */
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "web"), "reach"), 3);
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "survey"), "reach"), 0);
    CU_ASSERT_EQUAL(num(t, r, "responses"), 13); /* 5 + 3 + 2 + 2 answers + 1 comment */
    /* NPS = 100 (2 - 1) / 5 = 20; SE = 100 sqrt((0.4 + 0.2 - 0.04) / 5) = 33.4664 */
    CU_ASSERT_EQUAL(num(t, r, "promoters"), 2);
    CU_ASSERT_EQUAL(num(t, r, "passives"), 2);
    CU_ASSERT_EQUAL(num(t, r, "detractors"), 1);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "nps"), 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "nps_se"), 100 * sqrt(0.112), 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "nps_low"), 20 - 1.959963984540054 * 100 * sqrt(0.112),
                           1e-9);
    /* CSAT = 2 of 3 top-2-box; interval = the Wilson interval of 2/3 */
    double lo, hi;
    ASSERT_OK(tp_wilson_interval(2, 3, 0.95, &lo, &hi));
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "csat"), 200.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "csat_low"), 100 * lo, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "csat_high"), 100 * hi, 1e-9);
    /* CES 7, 5: mean 6, s = sqrt(2), se = 1; 6 -+ 1.959964; both "easy" */
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces"), 6, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces_low"), 6 - 1.959963984540054, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces_easy"), 100, 1e-12);
    /* ratings 4, 5: mean 4.5; prior = the mean of all ratings = 4.5 */
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "rating"), 4.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "rating_bayes"), 4.5, 1e-12);
    double sent = sentiment_of("good");
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "sentiment"), sent, 1e-12);
    CU_ASSERT_EQUAL(num(t, r, "sentiment_n"), 1);
    CU_ASSERT_TRUE(isnan(num(t, r, "audit")));
    /* CX = mean of (20 + 100) / 2 = 60, 66.667, (6 - 1) / 6 x 100 = 83.333,
     * (4.5 - 1) / 4 x 100 = 87.5 and (sent + 1) / 2 x 100 */
    double cx = (60 + 200.0 / 3 + 500.0 / 6 + 87.5 + (sent + 1) * 50) / 5;
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "cx_index"), cx, 1e-9);
    /* one comment gives sentiment no standard error, so the index has no interval */
    CU_ASSERT_TRUE(isnan(num(t, r, "cx_low")) && isnan(num(t, r, "cx_moe")));
    /* margins of error: half the interval's width. NPS: z SE (inside
     * -100..100); CSAT: half Wilson's width; CES: [6 - z, 7] once kept on
     * its 1-7 scale, so (1 + z) / 2, less than z */
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "nps_moe"), 1.959963984540054 * 100 * sqrt(0.112), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "csat_moe"), 100 * (hi - lo) / 2, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces_high"), 7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces_moe"), (1 + 1.959963984540054) / 2, 1e-9);
    /* ratings 4, 5: SE 0.5, [4.5 - 0.5 z, 5] on the 1-5 scale */
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "rating_moe"), (0.5 + 0.5 * 1.959963984540054) / 2, 1e-9);
    /* respondents: c1..c5 answered at shop; reach: c2 and c3, both answered */
    CU_ASSERT_EQUAL(num(t, r, "respondents"), 5);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "response_rate"), 1.0, 1e-12);
    /* every metric has fewer than min_responses (30) answers */
    CU_ASSERT_STRING_EQUAL(str(t, r, "low_sample"), "nps,csat,ces,rating,sentiment");
    /* a touchpoint without responses has nulls, not zeros */
    size_t w = row_of(t, "touchpoint", "web");
    CU_ASSERT_TRUE(isnan(num(t, w, "nps")) && isnan(num(t, w, "cx_index")));
    CU_ASSERT_TRUE(isnan(num(t, w, "nps_moe")) && isnan(num(t, w, "cx_moe")));
    CU_ASSERT_EQUAL(num(t, w, "nps_n"), 0);
    CU_ASSERT_EQUAL(num(t, w, "respondents"), 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, w, "response_rate"), 0.0, 1e-12); /* 0 of 3 reached */
    CU_ASSERT_PTR_NULL(str(t, w, "low_sample"));                     /* nothing to flag */
    size_t sv = row_of(t, "touchpoint", "survey"); /* c2 answered, nobody reached */
    CU_ASSERT_EQUAL(num(t, sv, "respondents"), 1);
    CU_ASSERT_TRUE(isnan(num(t, sv, "response_rate")));
    tp_table_free(t);
    /* the flag follows min_responses: 3 NPS and CSAT answers are enough */
    tp_options *few;
    ASSERT_OK(tp_options_new(&few));
    ASSERT_OK(tp_options_set(few, "min_responses", "3"));
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, few, &t));
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "shop"), "low_sample"),
                           "ces,rating,sentiment");
    tp_table_free(t);
    tp_options_free(few);
    /* a segment: only vip customers' events and answers (c1): shop has c1's
     * answers but no vip event, so respondents 1 and reach 0 */
    tp_filter *vip;
    ASSERT_OK(tp_filter_new(&vip));
    ASSERT_OK(tp_filter_add_segment(vip, "segment", "vip", 0));
    ASSERT_OK(tp_scorecard(s.e, s.f, vip, NULL, &t));
    r = row_of(t, "touchpoint", "shop");
    CU_ASSERT_EQUAL(num(t, r, "respondents"), 1);
    CU_ASSERT_EQUAL(num(t, r, "reach"), 0);
    CU_ASSERT_TRUE(isnan(num(t, r, "response_rate")));
    tp_table_free(t);
    tp_filter_free(vip);

    /* weights: NPS counts twice; prior mean 3 with weight 10 */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "weights", "nps=2"));
    ASSERT_OK(tp_options_set_double(o, TP_OPT_RATING_PRIOR_MEAN, 3));
    ASSERT_OK(tp_options_set(o, "level", "0.99"));
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, o, &t));
    r = row_of(t, "touchpoint", "shop");
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "cx_index"), (cx * 5 + 60) / 6, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "rating_bayes"), (30 + 9) / 12.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "ces_low"), 6 - 2.5758293035489004, 1e-9);
    tp_table_free(t);
    /* without the comment every metric has an SE: the index's interval is
     * the delta-method one (tp_targets checks its formula) and moe its half */
    ASSERT_OK(tp_options_set(o, "weights", "sentiment=0"));
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, o, &t));
    r = row_of(t, "touchpoint", "shop");
    double c = num(t, r, "cx_index"), cl = num(t, r, "cx_low"), ch = num(t, r, "cx_high");
    CU_ASSERT_TRUE(cl < c && c < ch);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "cx_moe"), (ch - cl) / 2, 1e-12);
    tp_table_free(t);
    /* feedback only: reach is null */
    ASSERT_OK(tp_scorecard(NULL, s.f, NULL, o, &t));
    CU_ASSERT_TRUE(isnan(num(t, row_of(t, "touchpoint", "shop"), "reach")));
    tp_table_free(t);
    tp_options_free(o);
    close_set(&s);
}

/* A scorecard broken down by segment: the fixture's events give c1 "vip",
 * c2 and c3 "new", c4 none; c5 only answered (no events, so no segment).
 * Each block tests its customers' 0-100 values at a touchpoint against the
 * rest's, as the hot spots do (checked here with tp_welch_test on the raw
 * values). `segment=` selects the customers without one. */
static void test_breakdown_vs_rest(void)
{
    fixture_set s = open_set();
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "breakdown", "segment"));
    tp_table *t = NULL;
    ASSERT_OK(tp_analysis_run("scorecard", s.e, s.f, NULL, NULL, o, NULL, 0, &t, 1));
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(t, 0), "segment");
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3 * 6); /* new, vip, (none) x 6 touchpoints */
    size_t vip = SIZE_MAX, none = SIZE_MAX, fresh = SIZE_MAX;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        if (strcmp(str(t, r, "touchpoint"), "shop"))
            continue;
        const char *v = str(t, r, "segment");
        *(!strcmp(v, "vip") ? &vip : !strcmp(v, "new") ? &fresh : &none) = r;
    }
    CU_ASSERT_FATAL(vip != SIZE_MAX && none != SIZE_MAX && fresh != SIZE_MAX);
    CU_ASSERT_STRING_EQUAL(str(t, none, "segment"), "(none)");
    /* 0-100 values at shop: NPS 10/9 -> 100, 8/7 -> 50, 3 -> 0; CSAT 4-5 ->
     * 100, 2 -> 0; CES (x - 1) / 6; rating (x - 1) / 4; sentiment (s + 1) / 2 */
    double good = (sentiment_of("good") + 1) * 50;
    double c1[] = {100, 100, 100, 75, good};         /* vip */
    double c23[] = {100, 100, 200.0 / 3, 100, 50, 0}; /* c2, c3: new */
    double c45[] = {50, 0};                          /* c4, c5: no segment */
    double rest_vip[8], rest_none[11];
    memcpy(rest_vip, c23, sizeof c23);
    memcpy(rest_vip + 6, c45, sizeof c45);
    memcpy(rest_none, c1, sizeof c1);
    memcpy(rest_none + 5, c23, sizeof c23);
    struct {
        size_t row;
        const double *in, *out;
        size_t nin, nout;
    } cases[] = {{vip, c1, rest_vip, 5, 8}, {none, c45, rest_none, 2, 11}};
    for (size_t k = 0; k < 2; k++) {
        double tt, df, p, in = 0, out = 0;
        ASSERT_OK(tp_welch_test(cases[k].in, cases[k].nin, cases[k].out, cases[k].nout, &tt, &df, &p));
        for (size_t i = 0; i < cases[k].nin; i++)
            in += cases[k].in[i] / (double)cases[k].nin;
        for (size_t i = 0; i < cases[k].nout; i++)
            out += cases[k].out[i] / (double)cases[k].nout;
        size_t r = cases[k].row;
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "mean"), in, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "rest_mean"), out, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "difference"), in - out, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "t"), tt, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "df"), df, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(num(t, r, "p_value"), p, 1e-9);
    }
    /* the block is the segment's own scorecard: c1's one NPS answer */
    CU_ASSERT_EQUAL(num(t, vip, "nps_n"), 1);
    CU_ASSERT_EQUAL(num(t, none, "nps_n"), 2);
    CU_ASSERT_EQUAL(num(t, fresh, "nps_n"), 2);
    /* a touchpoint without answers has no test */
    size_t web = SIZE_MAX;
    for (size_t r = 0; r < tp_table_row_count(t); r++)
        if (!strcmp(str(t, r, "touchpoint"), "web") && !strcmp(str(t, r, "segment"), "vip"))
            web = r;
    CU_ASSERT_TRUE(web != SIZE_MAX && isnan(num(t, web, "p_value")) && isnan(num(t, web, "mean")));
    tp_table_free(t);
    /* `segment=` keeps the customers without a segment: c4 and c5 */
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_parse_segment(f, "segment="));
    ASSERT_OK(tp_scorecard(s.e, s.f, f, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 2);
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "web"), "reach"), 1); /* c4 */
    tp_table_free(t);
    tp_filter_free(f);
    /* and `segment!=` those with one: c1, c2, c3 */
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_parse_segment(f, "segment!="));
    ASSERT_OK(tp_scorecard(s.e, s.f, f, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 3);
    tp_table_free(t);
    tp_filter_free(f);
    tp_options_free(o);
    close_set(&s);
}

/* One customer, by hand: c2 visited web then shop on Jan 2 (segment new) and
 * answered at shop (NPS 9, CSAT 4, CES 5, rating 5) and at survey (NPS 0,
 * Feb 1); c5 only answered. */
static void test_profile(void)
{
    fixture_set s = open_set();
    tp_table *sum, *touch, *ans, *tps;
    ASSERT_OK(tp_profile(s.e, s.f, "c2", NULL, NULL, &sum, &touch, &ans, &tps));
    CU_ASSERT_EQUAL(tp_table_row_count(sum), 1);
    CU_ASSERT_STRING_EQUAL(str(sum, 0, "customer"), "c2");
    CU_ASSERT_EQUAL(num(sum, 0, "start"), 1767348000000.0); /* 2026-01-02T10:00:00Z */
    CU_ASSERT_EQUAL(num(sum, 0, "end"), 1769940000000.0);   /* 2026-02-01T10:00:00Z */
    CU_ASSERT_EQUAL(num(sum, 0, "events"), 2);
    CU_ASSERT_EQUAL(num(sum, 0, "journeys"), 1);
    CU_ASSERT_EQUAL(num(sum, 0, "conversions"), 0);
    CU_ASSERT_EQUAL(num(sum, 0, "responses"), 5);
    /* NPS of 9 and 0: 0, on 0-100 50; CSAT 100; CES (5 - 1) / 6; rating 100 */
    CU_ASSERT_DOUBLE_EQUAL(num(sum, 0, "cx_index"), (50 + 100 + 400.0 / 6 + 100) / 4, 1e-9);
    CU_ASSERT_STRING_EQUAL(str(sum, 0, "segment"), "new");
    CU_ASSERT_EQUAL(tp_table_row_count(touch), 2);
    CU_ASSERT_STRING_EQUAL(str(touch, 0, "touchpoint"), "web");
    CU_ASSERT_STRING_EQUAL(str(touch, 1, "touchpoint"), "shop");
    CU_ASSERT_EQUAL(num(touch, 1, "step"), 2);
    CU_ASSERT_STRING_EQUAL(str(touch, 1, "type"), "interaction");
    CU_ASSERT_EQUAL(tp_table_row_count(ans), 5);
    static const char *const metrics[] = {"nps", "csat", "ces", "rating", "nps"};
    static const double scores[] = {9, 4, 5, 5, 0};
    for (size_t i = 0; i < 5; i++) {
        CU_ASSERT_STRING_EQUAL(str(ans, i, "metric"), metrics[i]);
        CU_ASSERT_EQUAL(num(ans, i, "score"), scores[i]);
    }
    CU_ASSERT_STRING_EQUAL(str(ans, 4, "touchpoint"), "survey");
    /* touchpoints: web (touched), shop (touched, rated), survey (rated) */
    CU_ASSERT_EQUAL(tp_table_row_count(tps), 3);
    size_t shop = row_of(tps, "touchpoint", "shop"), web = row_of(tps, "touchpoint", "web");
    CU_ASSERT_EQUAL(num(tps, web, "touches"), 1);
    CU_ASSERT_EQUAL(num(tps, web, "responses"), 0);
    CU_ASSERT_EQUAL(num(tps, shop, "touches"), 1);
    CU_ASSERT_EQUAL(num(tps, shop, "responses"), 4);
    CU_ASSERT_DOUBLE_EQUAL(num(tps, shop, "nps"), 100, 1e-12);
    double mine = (100 + 100 + 400.0 / 6 + 100) / 4;
    CU_ASSERT_DOUBLE_EQUAL(num(tps, shop, "cx_index"), mine, 1e-9);
    tp_table *card;
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, NULL, &card));
    double everyone = num(card, row_of(card, "touchpoint", "shop"), "cx_index");
    CU_ASSERT_DOUBLE_EQUAL(num(tps, shop, "overall_cx_index"), everyone, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(tps, shop, "difference"), mine - everyone, 1e-9);
    tp_table_free(card);
    CU_ASSERT_DOUBLE_EQUAL(num(tps, row_of(tps, "touchpoint", "survey"), "cx_index"), 0, 1e-12);
    tp_table *all[] = {sum, touch, ans, tps};
    for (size_t i = 0; i < 4; i++)
        tp_table_free(all[i]);
    /* the filter applies: before February, no survey answer */
    tp_filter *jan;
    ASSERT_OK(tp_filter_new(&jan));
    ASSERT_OK(tp_filter_set(jan, "until", "2026-01-31"));
    ASSERT_OK(tp_profile(s.e, s.f, "c2", jan, NULL, &sum, NULL, &ans, NULL));
    CU_ASSERT_EQUAL(num(sum, 0, "end"), 1767351600000.0); /* 2026-01-02T11:00:00Z, shop */
    CU_ASSERT_EQUAL(tp_table_row_count(ans), 4);
    tp_table_free(sum);
    tp_table_free(ans);
    tp_filter_free(jan);
    /* c5 only answered: no touches, and the table says why */
    ASSERT_OK(tp_profile(s.e, s.f, "c5", NULL, NULL, &sum, &touch, NULL, NULL));
    CU_ASSERT_EQUAL(num(sum, 0, "events"), 0);
    CU_ASSERT_EQUAL(num(sum, 0, "responses"), 1);
    CU_ASSERT_EQUAL(tp_table_row_count(touch), 0);
    ASSERT_CONTAINS(tp_table_note(touch), "customer c5 has no event in the selection");
    tp_table_free(sum);
    tp_table_free(touch);
    /* an unknown id names the nearest; NULLs are refused */
    sum = (tp_table *)1;
    CU_ASSERT_EQUAL(tp_profile(s.e, s.f, "c22", NULL, NULL, &sum, NULL, NULL, NULL), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "no customer 'c22'");
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'c2'?");
    CU_ASSERT_PTR_NULL(sum);
    CU_ASSERT_EQUAL(tp_profile(s.e, s.f, NULL, NULL, NULL, &sum, NULL, NULL, NULL), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_profile(NULL, s.f, "c2", NULL, NULL, &sum, NULL, NULL, NULL), TP_EINVAL);
    /* the customer filter of every analysis: c2's journeys only */
    tp_filter *one;
    ASSERT_OK(tp_filter_new(&one));
    ASSERT_OK(tp_filter_set(one, "customer", "c2"));
    ASSERT_OK(tp_scorecard(s.e, s.f, one, NULL, &card));
    CU_ASSERT_EQUAL(num(card, row_of(card, "touchpoint", "shop"), "responses"), 4);
    CU_ASSERT_EQUAL(num(card, row_of(card, "touchpoint", "web"), "reach"), 1);
    tp_table_free(card);
    ASSERT_OK(tp_filter_add_customer(one, "c3"));
    ASSERT_OK(tp_scorecard(s.e, s.f, one, NULL, &card));
    CU_ASSERT_EQUAL(num(card, row_of(card, "touchpoint", "shop"), "responses"), 6);
    tp_table_free(card);
    tp_filter_free(one);
    close_set(&s);
}

/* Comment phrases by hand: at shop "coupon code" in three comments, "no
 * answer" in two; at web "took weeks" in three (however cased and
 * punctuated); everything else once, so not listed. */
static void test_phrases(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    const char csv[] = "customer_id,timestamp,touchpoint,metric,score,comment\n"
                       "c1,2026-01-01T10:00:00Z,shop,csat,2,The coupon code did not work!\n"
                       "c2,2026-01-01T10:00:00Z,shop,csat,1,\"Coupon code expired, no answer from support\"\n"
                       "c3,2026-01-01T10:00:00Z,shop,csat,2,no answer yet\n"
                       "c4,2026-01-01T10:00:00Z,shop,csat,5,Great coupon code\n"
                       "c5,2026-01-01T10:00:00Z,web,csat,2,took weeks to arrive\n"
                       "c6,2026-01-01T10:00:00Z,web,csat,2,It took weeks.\n"
                       "c7,2026-01-01T10:00:00Z,web,csat,3,\"Took weeks, but fine\"\n"
                       "c8,2026-01-01T10:00:00Z,checkout,csat,3,coupon code\n";
    read_feedback(f, csv);
    tp_table *t;
    ASSERT_OK(tp_comment_phrases(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    size_t r = row_of(t, "phrase", "coupon code");
    CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), "shop");
    CU_ASSERT_EQUAL(num(t, r, "count"), 3);
    CU_ASSERT_EQUAL(num(t, r, "comments"), 4);
    CU_ASSERT_EQUAL(num(t, r, "words"), 2);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "share"), 0.75, 1e-12);
    CU_ASSERT_EQUAL(num(t, r, "rank"), 1);
    double mean = (sentiment_of("The coupon code did not work!") +
                   sentiment_of("Coupon code expired, no answer from support") +
                   sentiment_of("Great coupon code")) / 3;
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "sentiment"), mean, 1e-12);
    r = row_of(t, "phrase", "no answer");
    CU_ASSERT_EQUAL(num(t, r, "count"), 2);
    CU_ASSERT_EQUAL(num(t, r, "rank"), 2);
    r = row_of(t, "phrase", "took weeks");
    CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), "web");
    CU_ASSERT_EQUAL(num(t, r, "count"), 3);
    CU_ASSERT_STRING_EQUAL(str(t, r, "owner"), "E-commerce");
    tp_table_free(t);
    /* the stop words are the lexicon's: "coupon" as one, no "coupon code";
     * and top_terms caps the list */
    tp_lexicon *lex;
    ASSERT_OK(tp_lexicon_new_default(&lex));
    ASSERT_OK(tp_lexicon_set(lex, "coupon", TP_TERM_STOP, 0));
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_lexicon(o, lex));
    ASSERT_OK(tp_comment_phrases(NULL, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    for (size_t i = 0; i < tp_table_row_count(t); i++)
        CU_ASSERT_PTR_NULL(strstr(str(t, i, "phrase"), "coupon"));
    tp_table_free(t);
    ASSERT_OK(tp_options_set(o, "top_terms", "1"));
    ASSERT_OK(tp_comment_phrases(NULL, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2); /* one per touchpoint */
    tp_table_free(t);
    /* a stop word of the built-in list: "the coupon" is no phrase */
    tp_term_kind kind;
    ASSERT_OK(tp_lexicon_lookup(lex, "the", &kind, NULL));
    CU_ASSERT_EQUAL(kind, TP_TERM_STOP);
    CU_ASSERT_STRING_EQUAL(tp_term_kind_name(TP_TERM_STOP), "stop");
    tp_options_free(o);
    tp_lexicon_free(lex);
    /* nothing shared: the table says why */
    tp_feedback *one;
    ASSERT_OK(tp_feedback_new(&one, c));
    read_feedback(one, "customer_id,timestamp,touchpoint,metric,score,comment\n"
                       "c1,2026-01-01T10:00:00Z,shop,csat,2,took weeks\n");
    ASSERT_OK(tp_comment_phrases(NULL, one, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no phrases");
    tp_table_free(t);
    tp_feedback_free(one);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* Parents roll up their children by criticality: web (w 2) has no index,
 * checkout (w 1) neither; shop (w 1) and its child till (w 3). */
static void test_rollups(void)
{
    fixture_set s = open_set();
    const char more[] = "customer_id,timestamp,touchpoint,metric,score\n"
                        "c1,2026-01-01T10:00:00Z,till,csat,1\n"
                        "c2,2026-01-01T10:00:00Z,till,csat,5\n"
                        "c3,2026-01-01T10:00:00Z,survey,csat,5\n";
    read_feedback(s.f, more);
    tp_table *sc, *t;
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, NULL, &sc));
    double shop = num(sc, row_of(sc, "touchpoint", "shop"), "cx_index");
    double till = num(sc, row_of(sc, "touchpoint", "till"), "cx_index");
    double survey = num(sc, row_of(sc, "touchpoint", "survey"), "cx_index");
    CU_ASSERT_DOUBLE_EQUAL(till, 50, 1e-12);
    /* shop's roll-up: (1 x shop + 3 x till) / 4 */
    CU_ASSERT_DOUBLE_EQUAL(num(sc, row_of(sc, "touchpoint", "shop"), "cx_rollup"),
                           (shop + 3 * till) / 4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(sc, row_of(sc, "touchpoint", "till"), "cx_rollup"), till, 1e-12);
    CU_ASSERT_TRUE(isnan(num(sc, row_of(sc, "touchpoint", "web"), "cx_rollup")));

    ASSERT_OK(tp_scorecard_rollup(s.e, s.f, NULL, NULL, TP_GROUP_STAGE, &t));
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(t, 0), "stage");
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3); /* before, during, after, in stage order */
    CU_ASSERT_STRING_EQUAL(str(t, 0, "stage"), "before");
    size_t d = row_of(t, "stage", "during");
    CU_ASSERT_EQUAL(num(t, d, "touchpoints"), 4);
    CU_ASSERT_DOUBLE_EQUAL(num(t, d, "weight"), 7, 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, d, "cx_index"), (shop + 3 * till) / 4, 1e-9);
    CU_ASSERT_EQUAL(num(t, d, "reach"), 4); /* c1..c4 all touched a "during" touchpoint */
    /* pooled CSAT over the stage: shop 5, 4, 2 and till 1, 5: 3 of 5 */
    CU_ASSERT_DOUBLE_EQUAL(num(t, d, "csat"), 60, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, row_of(t, "stage", "after"), "cx_index"), (survey + 0) / 1,
                           1e-9);
    tp_table_free(t);

    ASSERT_OK(tp_scorecard_rollup(s.e, s.f, NULL, NULL, TP_GROUP_PARENT, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 4); /* web, shop, survey, support */
    CU_ASSERT_EQUAL(num(t, row_of(t, "parent", "web"), "touchpoints"), 2);
    CU_ASSERT_DOUBLE_EQUAL(num(t, row_of(t, "parent", "shop"), "cx_index"), (shop + 3 * till) / 4,
                           1e-9);
    tp_table_free(t);
    ASSERT_OK(tp_scorecard_rollup(s.e, s.f, NULL, NULL, TP_GROUP_OWNER, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "owner", "Retail"), "touchpoints"), 2);
    tp_table_free(t);
    CU_ASSERT_EQUAL(tp_scorecard_rollup(s.e, s.f, NULL, NULL, (tp_group)7, &t), TP_EINVAL);
    tp_group g;
    ASSERT_OK(tp_group_parse("channel", &g));
    CU_ASSERT_EQUAL(g, TP_GROUP_CHANNEL);
    CU_ASSERT_EQUAL(tp_group_parse("team", &g), TP_EINVAL);
    tp_table_free(sc);
    close_set(&s);
}

/* Two audit visits (same shopper and time = one visit):
 * v1: shop greeting 100 (w 2), cleanliness 40 (w 1), parking n/a; till card fail.
 *     shop = (200 + 40) / 3 = 80; till = 0.
 * v2: shop greeting 50 (w 2), cleanliness 100 (w 1); till card pass.
 *     shop = (100 + 100) / 3 = 66.667; till = 100.
 * No knock-outs: shop 73.333, till 50. With "card" a knock-out, v1 scores 0
 * everywhere: shop (0 + 66.667) / 2 = 33.333, till 50. */
static void test_audits(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    read_feedback(f, "customer_id,timestamp,touchpoint,metric,score,comment,weight\n"
                     "A1,2026-03-01T10:00:00Z,shop,audit:greeting,100,,2\n"
                     "A1,2026-03-01T10:00:00Z,shop,audit:cleanliness,40,,1\n"
                     "A1,2026-03-01T10:00:00Z,shop,audit:parking,n/a,,1\n"
                     "A1,2026-03-01T10:00:00Z,till,audit:card,fail,,1\n"
                     "A1,2026-03-08T10:00:00Z,shop,audit:greeting,50,,2\n"
                     "A1,2026-03-08T10:00:00Z,shop,audit:cleanliness,100,,1\n"
                     "A1,2026-03-08T10:00:00Z,till,audit:card,pass,,1\n");
    tp_table *t;
    ASSERT_OK(tp_scorecard(NULL, f, NULL, NULL, &t));
    size_t shop = row_of(t, "touchpoint", "shop"), till = row_of(t, "touchpoint", "till");
    CU_ASSERT_EQUAL(num(t, shop, "audit_n"), 2);
    CU_ASSERT_DOUBLE_EQUAL(num(t, shop, "audit"), (80 + 200.0 / 3) / 2, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, till, "audit"), 50, 1e-12);
    /* two items, 0 and 100: the t interval (1 df) is 50 +- 635, but a mean
     * of scores on 0-100 lies on 0-100 */
    CU_ASSERT_EQUAL(num(t, till, "audit_low"), 0);
    CU_ASSERT_EQUAL(num(t, till, "audit_high"), 100);
    CU_ASSERT_EQUAL(num(t, shop, "audit_knockouts"), 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, shop, "cx_index"), num(t, shop, "audit"), 1e-12);
    tp_table_free(t);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_add_knockout(o, "audit:card"));
    ASSERT_OK(tp_scorecard(NULL, f, NULL, o, &t));
    CU_ASSERT_DOUBLE_EQUAL(num(t, shop, "audit"), 100.0 / 3, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, till, "audit"), 50, 1e-12);
    CU_ASSERT_EQUAL(num(t, shop, "audit_knockouts"), 1);
    CU_ASSERT_EQUAL(num(t, till, "audit_knockouts"), 1);
    tp_table_free(t);
    /* a pass mark of 0: nothing scores below it, so nothing is knocked out */
    ASSERT_OK(tp_options_set_double(o, TP_OPT_KNOCKOUT_PASS, 0));
    ASSERT_OK(tp_scorecard(NULL, f, NULL, o, &t));
    CU_ASSERT_DOUBLE_EQUAL(num(t, shop, "audit"), (80 + 200.0 / 3) / 2, 1e-9);
    tp_table_free(t);
    /* the touchpoint filter keeps the knock-out: it is a property of the visit */
    ASSERT_OK(tp_options_set_double(o, TP_OPT_KNOCKOUT_PASS, 50));
    tp_filter *fl;
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_add_touchpoint(fl, "shop"));
    ASSERT_OK(tp_scorecard(NULL, f, fl, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 1);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "audit"), 100.0 / 3, 1e-9);
    tp_table_free(t);
    tp_filter_free(fl);
    CU_ASSERT_EQUAL(tp_options_add_knockout(o, ""), TP_EINVAL);
    tp_options_free(o);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

static void test_filters(void)
{
    fixture_set s = open_set();
    tp_filter *fl;
    tp_table *t;
    /* segment from the events: only c1 is vip -> shop NPS 10, CSAT 5 */
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_parse_segment(fl, "segment=vip"));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    size_t r = row_of(t, "touchpoint", "shop");
    CU_ASSERT_EQUAL(num(t, r, "nps_n"), 1);
    CU_ASSERT_DOUBLE_EQUAL(num(t, r, "nps"), 100, 0);
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "web"), "reach"), 1);
    CU_ASSERT_EQUAL(num(t, r, "reach"), 0);
    tp_table_free(t);
    /* alternatives of one attribute: vip or new -> c1, c2, c3 (c4 has no value, c5 no events) */
    ASSERT_OK(tp_filter_add_segment(fl, "segment", "new", 0));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 3);
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "web"), "reach"), 2);
    tp_table_free(t);
    tp_filter_free(fl);
    /* != keeps customers without the attribute: c2..c5 at shop */
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_parse_segment(fl, "segment!=vip"));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 4);
    tp_table_free(t);
    tp_filter_free(fl);
    /* time window [Jan 2, Jan 4): c2 and c3 */
    ASSERT_OK(tp_filter_new(&fl));
    int64_t from, to;
    ASSERT_OK(tp_time_parse("2026-01-02", 10, TP_EPOCH_AUTO, &from));
    ASSERT_OK(tp_time_parse("2026-01-04", 10, TP_EPOCH_AUTO, &to));
    ASSERT_OK(tp_filter_set_time_range(fl, from, to));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    r = row_of(t, "touchpoint", "shop");
    CU_ASSERT_EQUAL(num(t, r, "nps_n"), 2);
    CU_ASSERT_EQUAL(num(t, r, "reach"), 2);
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "web"), "reach"), 1);
    tp_table_free(t);
    CU_ASSERT_EQUAL(tp_filter_set_time_range(fl, to, from), TP_EINVAL);
    tp_filter_free(fl);
    /* stage and channel pick touchpoints */
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_add_stage(fl, "after"));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    CU_ASSERT_TRUE(has_row(t, "touchpoint", "survey") && has_row(t, "touchpoint", "support"));
    tp_table_free(t);
    ASSERT_OK(tp_filter_add_channel(fl, "email"));
    ASSERT_OK(tp_scorecard(s.e, s.f, fl, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 1);
    tp_table_free(t);
    tp_filter_free(fl);
    /* a feedback row's own attribute wins over the customer's */
    tp_feedback *f2;
    ASSERT_OK(tp_feedback_new(&f2, s.c));
    read_feedback(f2, "customer_id,timestamp,touchpoint,metric,score,segment\n"
                      "c1,2026-01-01T10:00:00Z,shop,nps,10,\n"
                      "c1,2026-01-01T10:00:00Z,shop,nps,0,new\n");
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_parse_segment(fl, "segment=vip"));
    ASSERT_OK(tp_scorecard(s.e, f2, fl, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 1);
    CU_ASSERT_DOUBLE_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps"), 100, 0);
    tp_table_free(t);
    CU_ASSERT_EQUAL(tp_filter_parse_segment(fl, "segment"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_filter_parse_segment(fl, "=vip"), TP_EINVAL);
    tp_filter_free(fl);
    tp_feedback_free(f2);
    close_set(&s);
}

/* 40 CSAT answers at checkout all 1 or 2 (value 0), 40 at support likewise, 40
 * at shop all 4 or 5 (100), 40 at web half 5 half 1 (mean 50), 40 CES at
 * survey half 1 half 7 (mean 50), 2 CSAT 1 at till. Checkout and support are pain points, shop a
 * bright spot; till has 2 answers and is never flagged. */
static void test_hotspots(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    tp_events *e;
    ASSERT_OK(tp_feedback_new(&f, c));
    ASSERT_OK(tp_events_new(&e, c));
    char id[32];
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "k%d", i);
        ASSERT_OK(tp_feedback_append(f, id, i, "checkout", "csat", 1 + i % 2, 1, NULL));
        ASSERT_OK(tp_feedback_append(f, id, i, "support", "csat", 1 + i % 2, 1, NULL));
        ASSERT_OK(tp_feedback_append(f, id, i, "shop", "csat", 4 + i % 2, 1, NULL));
        ASSERT_OK(tp_feedback_append(f, id, i, "web", "csat", i % 2 ? 5 : 1, 1, NULL));
        ASSERT_OK(tp_feedback_append(f, id, i, "survey", "ces", i % 2 ? 7 : 1, 1, NULL));
    }
    ASSERT_OK(tp_feedback_append(f, "k1", 1, "till", "csat", 1, 1, NULL));
    ASSERT_OK(tp_feedback_append(f, "k2", 1, "till", "csat", 1, 1, NULL));
    for (int i = 0; i < 10; i++) { /* reach: checkout 10, support 2, shop 5 */
        snprintf(id, sizeof id, "k%d", i);
        ASSERT_OK(tp_events_append(e, id, "checkout", i, TP_EVENT_INTERACTION, 0));
        if (i < 2)
            ASSERT_OK(tp_events_append(e, id, "support", i, TP_EVENT_INTERACTION, 0));
        if (i < 5)
            ASSERT_OK(tp_events_append(e, id, "shop", i, TP_EVENT_INTERACTION, 0));
    }
    tp_table *t;
    ASSERT_OK(tp_hotspots(e, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    /* overall: CSAT pooled 60 of 162 (40 shop + 20 web) = 37.037, CES 50 -> 43.5185 */
    double overall = (100.0 * 60 / 162 + 50) / 2;
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "checkout"); /* impact 10 x -43.5 */
    CU_ASSERT_STRING_EQUAL(str(t, 0, "kind"), "pain");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "touchpoint"), "support"); /* impact 2 x -43.5 */
    CU_ASSERT_STRING_EQUAL(str(t, 2, "touchpoint"), "shop");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "kind"), "bright");
    CU_ASSERT_EQUAL(num(t, 0, "rank"), 1);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "overall"), overall, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "gap"), -overall, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "impact"), -10 * overall, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "impact"), 5 * (100 - overall), 1e-9);
    /* p of shop = Welch's test of its 40 values (100) against the other 162 */
    double shop[40], others[162];
    int n = 0;
    for (int i = 0; i < 40; i++) {
        shop[i] = 100;
        others[n++] = 0;                  /* checkout */
        others[n++] = 0;                  /* support */
        others[n++] = i % 2 ? 100 : 0;    /* web */
        others[n++] = i % 2 ? 100 : 0;    /* survey */
    }
    others[n++] = 0;
    others[n++] = 0; /* till */
    double tt, df, p;
    ASSERT_OK(tp_welch_test(shop, 40, others, 162, &tt, &df, &p));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "p_value"), p, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "others_mean"), (20 * 100 + 20 * 100) / 162.0, 1e-9);
    CU_ASSERT_FALSE(has_row(t, "touchpoint", "till"));
    tp_table_free(t);
    /* --all lists the rest as neutral, still never till (2 answers) */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "all_hotspots", "yes"));
    ASSERT_OK(tp_hotspots(e, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 5);
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "web"), "kind"), "neutral");
    CU_ASSERT_FALSE(has_row(t, "touchpoint", "till"));
    tp_table_free(t);
    /* with min_responses 2, till (2 answers of value 0) becomes a pain point */
    ASSERT_OK(tp_options_set_int(o, TP_OPT_MIN_RESPONSES, 2));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_ALL_HOTSPOTS, 0));
    ASSERT_OK(tp_hotspots(e, f, NULL, o, &t));
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "till"), "kind"), "pain");
    tp_table_free(t);
    /* without events, reach counts the customers who answered */
    ASSERT_OK(tp_hotspots(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "checkout"), "reach"), 40);
    tp_table_free(t);
    CU_ASSERT_EQUAL(tp_hotspots(e, NULL, NULL, NULL, &t), TP_EINVAL);
    tp_options_free(o);
    tp_events_free(e);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* Four customer types, ten of each. CSAT at web is 1 for types 1-2 and 5 for
 * 3-4 (x1 = 0, 0, 100, 100); at shop 1, 5, 1, 5 (x2 = 0, 100, 0, 100); the NPS
 * answer (at survey) is y = 0, 4, 6, 10 = 6 [x1] + 4 [x2]. x1 and x2 are
 * uncorrelated, so r1 = 6 / sqrt(52), r2 = 4 / sqrt(52) and the relative
 * weights are r1^2 = 36/52 and r2^2 = 16/52, summing to R^2 = 1. */
static void test_drivers(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    tp_events *e;
    ASSERT_OK(tp_feedback_new(&f, c));
    ASSERT_OK(tp_events_new(&e, c));
    static const double x1[] = {1, 1, 5, 5}, x2[] = {1, 5, 1, 5}, y[] = {0, 4, 6, 10};
    char id[32];
    for (int k = 0; k < 10; k++)
        for (int j = 0; j < 4; j++) {
            snprintf(id, sizeof id, "d%d_%d", j, k);
            ASSERT_OK(tp_feedback_append(f, id, 1, "web", "csat", x1[j], 1, NULL));
            ASSERT_OK(tp_feedback_append(f, id, 1, "shop", "csat", x2[j], 1, NULL));
            ASSERT_OK(tp_feedback_append(f, id, 1, "survey", "nps", y[j], 1, NULL));
            ASSERT_OK(tp_events_append(e, id, "web", 1, TP_EVENT_INTERACTION, 0));
            if (j >= 2) /* types 3 and 4 convert: conversion = [x1] */
                ASSERT_OK(tp_events_append(e, id, "checkout", 2, TP_EVENT_CONVERSION, 10));
        }
    tp_table *t;
    ASSERT_OK(tp_drivers(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2); /* survey has only NPS: the outcome itself */
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "web");
    CU_ASSERT_EQUAL(num(t, 0, "customers"), 40);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "importance"), 6 / sqrt(52), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "importance"), 4 / sqrt(52), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "relative_weight"), 36.0 / 52, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "relative_weight"), 16.0 / 52, 1e-9);
    double r = 6 / sqrt(52);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "p_value"), tp_t_test_p(r * sqrt(38 / (1 - r * r)), 38),
                           1e-15);
    /* performance: both CSAT 50 -> CX 50; importance mean 0.693 splits them */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "performance"), 50, 1e-12);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "quadrant"), "maintain");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "quadrant"), "possible overkill");
    tp_table_free(t);
    /* conversion: exactly the web experience, r = 1; shop r = 0 */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "outcome", "conversion"));
    ASSERT_OK(tp_drivers(e, f, NULL, o, &t));
    CU_ASSERT_DOUBLE_EQUAL(num(t, row_of(t, "touchpoint", "web"), "importance"), 1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "importance"), 0, 1e-12);
    /* survey now counts: its NPS answers are experience, not the outcome; the
     * three explain conversion exactly, so the relative weights sum to R^2 = 1,
     * and web, the true driver, carries the most */
    CU_ASSERT_TRUE(has_row(t, "touchpoint", "survey"));
    double sum = 0, web_rw = num(t, row_of(t, "touchpoint", "web"), "relative_weight");
    for (size_t k = 0; k < tp_table_row_count(t); k++) {
        sum += num(t, k, "relative_weight");
        CU_ASSERT_TRUE(num(t, k, "relative_weight") <= web_rw);
    }
    CU_ASSERT_DOUBLE_EQUAL(sum, 1, 1e-9);
    tp_table_free(t);
    CU_ASSERT_EQUAL(tp_drivers(NULL, f, NULL, o, &t), TP_EINVAL); /* conversion needs events */
    ASSERT_OK(tp_options_set(o, "outcome", "repeat")); /* nobody converts twice: y constant */
    ASSERT_OK(tp_drivers(e, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    tp_table_free(t);
    /* fewer customers than min_responses: no drivers */
    ASSERT_OK(tp_options_set(o, "outcome", "recommend"));
    ASSERT_OK(tp_options_set(o, "min_responses", "41"));
    ASSERT_OK(tp_drivers(e, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    tp_table_free(t);
    tp_options_free(o);
    tp_events_free(e);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* January CSAT 5, 5, 4, 1 (75%); February 1, 1, 2, 5 (25%): change -50, and
 * p = Welch's test of {100, 100, 100, 0} against {0, 0, 0, 100}. */
static void test_trend(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    read_feedback(f, "customer_id,timestamp,touchpoint,metric,score\n"
                     "a,2026-01-01T00:00:00Z,shop,csat,5\n"
                     "b,2026-01-15T00:00:00Z,shop,csat,5\n"
                     "c,2026-01-31T23:59:59Z,web,csat,4\n"
                     "d,2026-01-20T00:00:00Z,shop,csat,1\n"
                     "a,2026-02-01T00:00:00Z,shop,csat,1\n"
                     "b,2026-02-10T00:00:00Z,shop,csat,1\n"
                     "c,2026-02-11T00:00:00Z,web,csat,2\n"
                     "d,2026-02-28T00:00:00Z,shop,csat,5\n");
    tp_table *t;
    ASSERT_OK(tp_trend(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "period"), "2026-01-01");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "period"), "2026-02-01");
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "(all)");
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "csat"), 75, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "csat"), 25, 1e-12);
    CU_ASSERT_TRUE(isnan(num(t, 0, "change")));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "change"), -50, 1e-12);
    const double jan[] = {100, 100, 100, 0}, feb[] = {0, 0, 0, 100};
    double p;
    ASSERT_OK(tp_welch_test(feb, 4, jan, 4, NULL, NULL, &p));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "p_value"), p, 1e-15);
    CU_ASSERT_EQUAL(num(t, 1, "significant"), p < 0.05);
    tp_table_free(t);
    /* weeks start on Monday: Thursday 2026-01-01 is in the week of 2025-12-29 */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "period", "week"));
    ASSERT_OK(tp_options_set(o, "by_touchpoint", "true"));
    ASSERT_OK(tp_trend(NULL, f, NULL, o, &t));
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "web"); /* catalog order, then time */
    CU_ASSERT_STRING_EQUAL(str(t, 0, "period"), "2026-01-26");
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "shop"), "period"), "2025-12-29");
    size_t web_rows = 0;
    for (size_t r = 0; r < tp_table_row_count(t); r++)
        web_rows += !strcmp(str(t, r, "touchpoint"), "web");
    CU_ASSERT_EQUAL(web_rows, 2); /* Jan 31 (week of Jan 26) and Feb 11 (week of Feb 9) */
    tp_table_free(t);
    ASSERT_OK(tp_options_set(o, "period", "day"));
    ASSERT_OK(tp_options_set(o, "by_touchpoint", "0"));
    ASSERT_OK(tp_trend(NULL, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 8);
    tp_table_free(t);
    tp_options_free(o);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* Comments at checkout: "not happy", "terrible service", "Terrible!",
 * "good"; terms are counted once per comment. */
static void test_terms(void)
{
    tp_catalog *c = test_catalog();
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    read_feedback(f, "customer_id,timestamp,touchpoint,metric,score,comment\n"
                     "a,2026-01-01T00:00:00Z,checkout,csat,1,not happy\n"
                     "b,2026-01-01T00:00:00Z,checkout,csat,1,terrible service terrible\n"
                     "c,2026-01-01T00:00:00Z,checkout,csat,1,Terrible!\n"
                     "d,2026-01-01T00:00:00Z,checkout,csat,5,good\n"
                     "d,2026-01-01T00:00:00Z,shop,csat,5,\n");
    tp_table *t;
    ASSERT_OK(tp_sentiment_terms(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "polarity"), "positive");
    CU_ASSERT_STRING_EQUAL(str(t, 0, "term"), "good");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "term"), "terrible");
    CU_ASSERT_EQUAL(num(t, 1, "count"), 2);
    CU_ASSERT_EQUAL(num(t, 1, "rank"), 1);
    CU_ASSERT_STRING_EQUAL(str(t, 2, "term"), "not happy");
    CU_ASSERT_EQUAL(num(t, 2, "comments"), 4);
    CU_ASSERT_TRUE(num(t, 2, "sentiment") < 0);
    tp_table_free(t);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_TOP_TERMS, 1));
    ASSERT_OK(tp_sentiment_terms(NULL, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    tp_table_free(t);
    /* a caller's lexicon replaces the built-in one */
    tp_lexicon *l;
    ASSERT_OK(tp_lexicon_new(&l));
    ASSERT_OK(tp_lexicon_set(l, "service", TP_TERM_WORD, 1));
    ASSERT_OK(tp_options_set_lexicon(o, l));
    ASSERT_OK(tp_sentiment_terms(NULL, f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 1);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "term"), "service");
    tp_table_free(t);
    tp_lexicon_free(l);
    tp_options_free(o);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* The option registry: every option described once, and the description true. */
static void test_option_registry(void)
{
    CU_ASSERT_EQUAL(tp_option_count(), (size_t)TP_OPT_COHORT); /* keys run 1..32 */
    CU_ASSERT_PTR_NULL(tp_option_at(tp_option_count()));
    tp_options *defaults, *o;
    ASSERT_OK(tp_options_new(&defaults));
    for (size_t i = 0; i < tp_option_count(); i++) {
        const tp_option_info *info = tp_option_at(i);
        CU_ASSERT_FATAL(info != NULL);
        CU_ASSERT_EQUAL(info->key, (tp_option)(i + 1));
        CU_ASSERT_PTR_EQUAL(tp_option_lookup(info->name), info);
        CU_ASSERT(info->doc && strlen(info->doc) > 10);
        for (size_t j = 0; j < i; j++)
            CU_ASSERT(strcmp(tp_option_at(j)->name, info->name) != 0);
        ASSERT_OK(tp_options_new(&o));
        int is_double = info->type == TP_VALUE_NUMBER;
        /* Its fallback is the real default: set it on changed options, read it back. */
        ASSERT_OK(tp_options_set(o, info->name, info->fallback));
        if (info->type == TP_VALUE_TEXT) {
            const char *a, *b;
            ASSERT_OK(tp_options_get_text(o, info->key, &a));
            ASSERT_OK(tp_options_get_text(defaults, info->key, &b));
            CU_ASSERT_STRING_EQUAL(a, b);
        } else if (is_double) {
            double a, b;
            ASSERT_OK(tp_options_get_double(o, info->key, &a));
            ASSERT_OK(tp_options_get_double(defaults, info->key, &b));
            CU_ASSERT(a == b || (isnan(a) && isnan(b)));
        } else {
            int64_t a, b;
            ASSERT_OK(tp_options_get_int(o, info->key, &a));
            ASSERT_OK(tp_options_get_int(defaults, info->key, &b));
            CU_ASSERT_EQUAL(a, b);
        }
        /* Bounds: each end accepted unless open; just outside refused. */
        char text[64];
        if (info->type == TP_VALUE_NUMBER || info->type == TP_VALUE_INTEGER) {
            snprintf(text, sizeof text, "%.17g", info->min);
            CU_ASSERT_EQUAL(tp_options_set(o, info->name, text), info->min_open ? TP_EINVAL : TP_OK);
            snprintf(text, sizeof text, "%.17g", info->max);
            CU_ASSERT_EQUAL(tp_options_set(o, info->name, text), info->max_open ? TP_EINVAL : TP_OK);
            snprintf(text, sizeof text, "%.17g", info->min - 1);
            CU_ASSERT_EQUAL(tp_options_set(o, info->name, text), TP_EINVAL);
            CU_ASSERT_EQUAL(tp_options_set(o, info->name, "nan"), info->nan_ok ? TP_OK : TP_EINVAL);
        }
        if (info->type == TP_VALUE_CHOICE || info->type == TP_VALUE_FLAG) {
            size_t n = 0;
            for (; info->choices[n]; n++) {
                int64_t v = -1;
                ASSERT_OK(tp_options_set(o, info->name, info->choices[n]));
                ASSERT_OK(tp_options_get_int(o, info->key, &v));
                CU_ASSERT_EQUAL(v, (int64_t)n);
            }
            CU_ASSERT_EQUAL((double)n - 1, info->max);
            CU_ASSERT_EQUAL(tp_options_set(o, info->name, "sometimes"), TP_EINVAL);
        } else {
            CU_ASSERT_PTR_NULL(info->choices);
        }
        if (info->type == TP_VALUE_DURATION) {
            int64_t v = 0;
            ASSERT_OK(tp_options_set(o, info->name, "2d"));
            ASSERT_OK(tp_options_get_int(o, info->key, &v));
            CU_ASSERT_EQUAL(v, 2 * 86400000LL);
        }
        tp_options_free(o);
    }
    tp_options_free(defaults);
    CU_ASSERT_STRING_EQUAL(tp_value_type_name(TP_VALUE_DURATION), "duration");
    CU_ASSERT_STRING_EQUAL(tp_value_type_name(TP_VALUE_CHOICE), "choice");
    CU_ASSERT_PTR_NULL(tp_value_type_name((tp_value_type)0));
    CU_ASSERT_PTR_NULL(tp_value_type_name((tp_value_type)99));
    CU_ASSERT_EQUAL(tp_option_lookup("threads")->type, TP_VALUE_INTEGER);
    CU_ASSERT_EQUAL(tp_option_lookup("self_loops")->type, TP_VALUE_FLAG);
    CU_ASSERT_EQUAL(tp_option_lookup("period")->type, TP_VALUE_CHOICE);
    CU_ASSERT_PTR_NULL(tp_option_lookup("min_response"));
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'min_responses'");
    CU_ASSERT_PTR_NULL(tp_option_lookup("colour"));
    CU_ASSERT(strstr(tp_last_error(), "did you mean") == NULL);
    CU_ASSERT_PTR_NULL(tp_option_lookup(NULL));
    ASSERT_OK(tp_options_new(&o));
    CU_ASSERT_EQUAL(tp_options_set(o, "halflife", "7d"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'half_life'");
    /* text: kept as given, "" for none; refused by the number setters */
    const char *text;
    CU_ASSERT_EQUAL(tp_option_lookup("breakdown")->type, TP_VALUE_TEXT);
    ASSERT_OK(tp_options_set(o, "breakdown", "tier"));
    ASSERT_OK(tp_options_get_text(o, TP_OPT_BREAKDOWN, &text));
    CU_ASSERT_STRING_EQUAL(text, "tier");
    ASSERT_OK(tp_options_set_text(o, TP_OPT_BREAKDOWN, NULL));
    ASSERT_OK(tp_options_get_text(o, TP_OPT_BREAKDOWN, &text));
    CU_ASSERT_STRING_EQUAL(text, "");
    CU_ASSERT_EQUAL(tp_options_set_double(o, TP_OPT_BREAKDOWN, 1), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "takes text");
    CU_ASSERT_EQUAL(tp_options_set_int(o, TP_OPT_BREAKDOWN, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_get_int(o, TP_OPT_BREAKDOWN, &(int64_t){0}), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set_text(o, TP_OPT_LEVEL, "x"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_get_text(o, TP_OPT_LEVEL, &text), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "breakdown", "ti\ner"), TP_EINVAL);
    char longer[300];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    CU_ASSERT_EQUAL(tp_options_set(o, "breakdown", longer), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "longer than 256 bytes");
    tp_options *copy;
    ASSERT_OK(tp_options_set(o, "breakdown", "region"));
    ASSERT_OK(tp_options_copy(o, &copy));
    ASSERT_OK(tp_options_get_text(copy, TP_OPT_BREAKDOWN, &text));
    CU_ASSERT_STRING_EQUAL(text, "region");
    tp_options_free(copy);
    tp_options_free(o);
}

/* A filter naming what the data does not hold is an error that says what may
 * have been meant, never an empty table; a partial aggregate's partition may
 * lack a segment value the whole has. */
static void test_filter_typos(void)
{
    fixture_set s = open_set();
    static const struct {
        const char *key, *value, *says, *hint;
    } cases[] = {
        {"stage", "aftr", "no stage 'aftr' in the catalog", "did you mean 'after'?"},
        {"stage", "purchase", "no stage 'purchase'", "stages: "},
        {"channel", "emial", "no channel 'emial' in the catalog", "did you mean 'email'?"},
        {"touchpoint", "shopp", "no touchpoint 'shopp' in the catalog", "did you mean 'shop'?"},
        {"segment", "segmnt=vip", "no attribute 'segmnt' in the events or the feedback",
         "did you mean 'segment'?"},
        {"segment", "segment=vipp", "no row has segment 'vipp'", "did you mean 'vip'?"},
        {"segment", "segment!=nwe", "segment 'segment!=nwe': no row has segment 'nwe'",
         "did you mean 'new'?"},
        {"segment", "segment=gold", "no row has segment 'gold'", "values: vip, new"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tp_filter *fl;
        tp_table *t = NULL;
        ASSERT_OK(tp_filter_new(&fl));
        ASSERT_OK(tp_filter_set(fl, cases[k].key, cases[k].value));
        CU_ASSERT_EQUAL(tp_scorecard(s.e, s.f, fl, NULL, &t), TP_ENOTFOUND);
        CU_ASSERT_PTR_NULL(t);
        ASSERT_CONTAINS(tp_last_error(), cases[k].says);
        ASSERT_CONTAINS(tp_last_error(), cases[k].hint);
        /* the journey analyses read the same filter */
        CU_ASSERT_EQUAL(tp_transitions(s.e, fl, NULL, &t), TP_ENOTFOUND);
        tp_filter_free(fl);
    }
    /* a feedback-only run looks in the feedback */
    tp_filter *fl;
    tp_table *t = NULL;
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_set(fl, "segment", "segment=vip"));
    CU_ASSERT_EQUAL(tp_scorecard(NULL, s.f, fl, NULL, &t), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "no attribute 'segment' in the feedback (attributes: none)");
    /* one partition of the whole lacks vip customers: an aggregate takes it */
    tp_events *part;
    ASSERT_OK(tp_events_new(&part, s.c));
    read_events(part, "customer_id,timestamp,touchpoint,segment\n"
                      "c2,2026-01-02T10:00:00Z,web,new\n");
    tp_agg *a;
    ASSERT_OK(tp_agg_new(&a, TP_AGG_SCORECARD));
    ASSERT_OK(tp_agg_add(a, part, NULL, fl, NULL));
    ASSERT_OK(tp_agg_add(a, s.e, s.f, fl, NULL));
    ASSERT_OK(tp_agg_finalize(a, s.c, NULL, &t));
    CU_ASSERT_EQUAL(num(t, row_of(t, "touchpoint", "shop"), "nps_n"), 1);
    tp_table_free(t);
    tp_agg_free(a);
    tp_events_free(part);
    tp_filter_free(fl);
    close_set(&s);
}

static void test_filter_by_name(void)
{
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    CU_ASSERT_EQUAL(tp_filter_key_count(), 8);
    for (size_t i = 0; i < tp_filter_key_count(); i++)
        CU_ASSERT(tp_filter_key_name(i) && tp_filter_key_doc(i));
    CU_ASSERT_PTR_NULL(tp_filter_key_name(8));
    ASSERT_OK(tp_filter_set(f, "since", "2026-03-01"));
    ASSERT_OK(tp_filter_set(f, "until", "1775000000000"));
    CU_ASSERT_EQUAL(f->from, 1772323200000LL); /* 2026-03-01T00:00:00Z */
    CU_ASSERT_EQUAL(f->to, 1775000000000LL);
    CU_ASSERT_EQUAL(tp_filter_set(f, "since", "2027-01-01"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "filter: the time window starts (since "
                                     "2027-01-01T00:00:00.000Z) after it ends (until "
                                     "2026-03-31T23:33:20.000Z)");
    CU_ASSERT_EQUAL(f->from, 1772323200000LL); /* unchanged */
    CU_ASSERT_NOT_EQUAL(tp_filter_set(f, "until", "May 1"), TP_OK);
    ASSERT_CONTAINS(tp_last_error(), "filter until: cannot read 'May 1' as a time: write ISO 8601");
    CU_ASSERT_EQUAL(f->to, 1775000000000LL); /* unchanged */
    /* an until of a date alone includes its day; with a time of day it is exact */
    ASSERT_OK(tp_filter_set(f, "until", "2026-03-31"));
    CU_ASSERT_EQUAL(f->to, 1772323200000LL + 31 * 86400000LL); /* 2026-04-01T00:00:00Z */
    ASSERT_OK(tp_filter_set(f, "until", " 2026-03-31T12:00:00Z "));
    CU_ASSERT_EQUAL(f->to, 1772323200000LL + 30 * 86400000LL + 43200000LL);
    ASSERT_OK(tp_filter_set(f, "since", "2026-03-31"));
    CU_ASSERT_EQUAL(f->from, 1772323200000LL + 30 * 86400000LL); /* a since is its start */
    ASSERT_OK(tp_filter_set(f, "since", "2026-03-01"));
    ASSERT_OK(tp_filter_set(f, "segment", "tier=gold"));
    ASSERT_OK(tp_filter_set(f, "segment", "region!=north"));
    CU_ASSERT_EQUAL(f->seg_attr.len, 2);
    CU_ASSERT_EQUAL(f->seg_negate.data[1], 1);
    ASSERT_OK(tp_filter_set(f, "stage", "during"));
    ASSERT_OK(tp_filter_set(f, "channel", "web"));
    ASSERT_OK(tp_filter_set(f, "touchpoint", "website"));
    ASSERT_OK(tp_filter_set(f, "touchpoint", "cart"));
    ASSERT_OK(tp_filter_set(f, "owner", "E-commerce"));
    CU_ASSERT(f->stages.len == 1 && f->channels.len == 1 && f->touchpoints.len == 2 &&
              f->owners.len == 1);
    CU_ASSERT(tp_filter_selects(f, "owner", "E-commerce") && !tp_filter_selects(f, "owner", "CX"));
    CU_ASSERT_EQUAL(tp_filter_set(f, "stag", "during"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'stage'");
    CU_ASSERT_EQUAL(tp_filter_set(f, "segment", "tier"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_filter_set(NULL, "stage", "x"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_filter_set(f, "stage", NULL), TP_EINVAL);
    tp_filter_free(f);
}

static void test_options_and_errors(void)
{
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    double d;
    int64_t i;
    ASSERT_OK(tp_options_get_double(o, TP_OPT_LEVEL, &d));
    CU_ASSERT_DOUBLE_EQUAL(d, 0.95, 0);
    ASSERT_OK(tp_options_get_int(o, TP_OPT_MIN_RESPONSES, &i));
    CU_ASSERT_EQUAL(i, 30);
    ASSERT_OK(tp_options_get_int(o, TP_OPT_PERIOD, &i));
    CU_ASSERT_EQUAL(i, TP_PERIOD_MONTH);
    CU_ASSERT_EQUAL(tp_options_set(o, "level", "1.5"), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "level must be a number in (0, 1)");
    CU_ASSERT_EQUAL(tp_options_set(o, "period", "fortnight"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "min_responses", "2.5"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "colour", "red"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "weights", "nps=2,mood=1"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set(o, "weights", "nps=-1"), TP_EINVAL);
    ASSERT_OK(tp_options_get_double(o, TP_OPT_WEIGHT_NPS, &d));
    CU_ASSERT_DOUBLE_EQUAL(d, 1, 0); /* failed weight text changed nothing */
    ASSERT_OK(tp_options_set(o, "weights", "nps=2,audit=0"));
    ASSERT_OK(tp_options_get_double(o, TP_OPT_WEIGHT_AUDIT, &d));
    CU_ASSERT_DOUBLE_EQUAL(d, 0, 0);
    CU_ASSERT_EQUAL(tp_options_set_int(o, TP_OPT_LEVEL, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set_double(o, TP_OPT_PERIOD, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_options_set_double(o, (tp_option)999, 1), TP_EINVAL);
    ASSERT_OK(tp_options_set(o, "rating_prior_mean", "nan"));
    tp_options_free(o);

    /* inputs bound to different catalogs, or none at all */
    tp_events *e;
    tp_feedback *f;
    tp_table *t = (tp_table *)&t;
    ASSERT_OK(tp_events_new(&e, NULL));
    ASSERT_OK(tp_feedback_new(&f, NULL));
    CU_ASSERT_EQUAL(tp_scorecard(e, f, NULL, NULL, &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "different catalogs");
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_EQUAL(tp_scorecard(NULL, NULL, NULL, NULL, &t), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_trend(e, NULL, NULL, NULL, &t), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_scorecard(NULL, f, NULL, NULL, NULL), TP_EINVAL);
    /* empty inputs are not an error */
    ASSERT_OK(tp_hotspots(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    tp_table_free(t);
    ASSERT_OK(tp_trend(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    tp_table_free(t);
    tp_events_free(e);
    tp_feedback_free(f);
}

/* ---- the bundled sample data: the generator planted the hot spots ---- */

static void test_sample_hotspots(void)
{
    tp_catalog *c;
    tp_events *e;
    tp_feedback *f;
    ASSERT_OK(tp_catalog_load_json(&c, TP_SAMPLE_DATA "/catalog.json"));
    ASSERT_OK(tp_events_new(&e, c));
    ASSERT_OK(tp_feedback_new(&f, c));
    ASSERT_OK(tp_events_read_csv(e, TP_SAMPLE_DATA "/events.csv", NULL, NULL));
    ASSERT_OK(tp_feedback_read_csv(f, TP_SAMPLE_DATA "/feedback.csv", NULL, NULL));
    tp_table *t;
    ASSERT_OK(tp_hotspots(e, f, NULL, NULL, &t));
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "online-checkout");
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "support"), "kind"), "pain");
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "online-checkout"), "kind"), "pain");
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "sales-staff"), "kind"), "bright");
    CU_ASSERT_STRING_EQUAL(str(t, row_of(t, "touchpoint", "delivery"), "kind"), "bright");
    /* the two planted bright spots lead the bright list */
    size_t first_bright = 0;
    while (strcmp(str(t, first_bright, "kind"), "bright"))
        first_bright++;
    CU_ASSERT_STRING_EQUAL(str(t, first_bright, "touchpoint"), "sales-staff");
    CU_ASSERT_STRING_EQUAL(str(t, first_bright + 1, "touchpoint"), "delivery");
    tp_table_free(t);
    /* the scorecard agrees: the lowest CX index is online-checkout's, the highest sales-staff's */
    ASSERT_OK(tp_scorecard(e, f, NULL, NULL, &t));
    double lo = INFINITY, hi = -INFINITY;
    const char *worst = NULL, *best = NULL;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        double cx = num(t, r, "cx_index");
        if (isnan(cx) || num(t, r, "responses") < 30)
            continue;
        if (cx < lo) {
            lo = cx;
            worst = str(t, r, "touchpoint");
        }
        if (cx > hi) {
            hi = cx;
            best = str(t, r, "touchpoint");
        }
    }
    CU_ASSERT_STRING_EQUAL(worst, "online-checkout");
    CU_ASSERT_STRING_EQUAL(best, "sales-staff");
    tp_table_free(t);
    /* what customers say at the worst touchpoint is negative */
    tp_filter *fl;
    ASSERT_OK(tp_filter_new(&fl));
    ASSERT_OK(tp_filter_add_touchpoint(fl, "online-checkout"));
    ASSERT_OK(tp_sentiment_terms(e, f, fl, NULL, &t));
    CU_ASSERT_TRUE(num(t, 0, "sentiment") < -0.05);
    tp_table_free(t);
    tp_filter_free(fl);
    tp_events_free(e);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* The owner filter keeps the touchpoints a team owns; hot spots and drivers
 * name each row's owner. */
static void test_owners(void)
{
    fixture_set s = open_set();
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_add_owner(f, "Retail"));
    ASSERT_OK(tp_filter_add_owner(f, "Service"));
    tp_table *t;
    ASSERT_OK(tp_scorecard(s.e, s.f, f, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 3);
    static const char *const want[] = {"shop", "till", "support"};
    for (size_t r = 0; r < 3; r++)
        CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), want[r]);
    tp_table_free(t);
    /* the same rows as the whole scorecard's, by value */
    tp_table *all;
    ASSERT_OK(tp_scorecard(s.e, s.f, NULL, NULL, &all));
    ASSERT_OK(tp_scorecard(s.e, s.f, f, NULL, &t));
    size_t shop = row_of(all, "touchpoint", "shop");
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "responses"), num(all, shop, "responses"), 0);
    tp_table_free(t);
    tp_table_free(all);
    tp_filter_clear(f, "owner");
    ASSERT_OK(tp_filter_add_owner(f, "Retial"));
    ASSERT_STATUS(tp_scorecard(s.e, s.f, f, NULL, &t), TP_ENOTFOUND);
    ASSERT_CONTAINS(tp_last_error(), "no owner 'Retial' in the catalog (did you mean 'Retail'?)");
    tp_filter_free(f);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "min_responses", "1"));
    ASSERT_OK(tp_options_set(o, "all_hotspots", "1"));
    ASSERT_OK(tp_hotspots(s.e, s.f, NULL, o, &t));
    CU_ASSERT_TRUE(tp_table_row_count(t) > 0);
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        size_t idx;
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        ASSERT_OK(tp_catalog_find_touchpoint(s.c, str(t, r, "touchpoint"), &idx));
        ASSERT_OK(tp_catalog_get_touchpoint(s.c, idx, &d));
        CU_ASSERT_STRING_EQUAL(str(t, r, "owner"), d.owner);
    }
    tp_table_free(t);
    tp_options_free(o);
    close_set(&s);
}

/* ---- targets ---- */

/* web: NPS 10, 10, 9, 0 (50); CSAT 5, 5, 4, 2 (75%); CES 2, 2, 2, 3 (2.25, sd 0.5).
 * shop: one rating of 5 (no standard error). till: targets, no responses. */
static void test_targets_worked(void)
{
    tp_catalog *c = test_catalog();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    size_t web, shop, till;
    ASSERT_OK(tp_catalog_find_touchpoint(c, "web", &web));
    ASSERT_OK(tp_catalog_find_touchpoint(c, "shop", &shop));
    ASSERT_OK(tp_catalog_find_touchpoint(c, "till", &till));
    ASSERT_OK(tp_catalog_set_target(c, web, TP_TARGET_NPS, 40));
    ASSERT_OK(tp_catalog_set_target(c, web, TP_TARGET_CSAT, 10));
    ASSERT_OK(tp_catalog_set_target(c, web, TP_TARGET_CES, 5.5));
    ASSERT_OK(tp_catalog_set_target(c, web, TP_TARGET_CX_INDEX, 80));
    ASSERT_OK(tp_catalog_set_target(c, shop, TP_TARGET_RATING, 4));
    ASSERT_OK(tp_catalog_set_target(c, till, TP_TARGET_RATING, 4.5));
    ASSERT_OK(tp_catalog_set_target(c, till, TP_TARGET_AUDIT, 99));
    ASSERT_OK(tp_catalog_set_target(c, till, TP_TARGET_AUDIT, NAN)); /* removed */
    CU_ASSERT(isnan(tp_catalog_target(c, till, TP_TARGET_AUDIT)));
    CU_ASSERT_DOUBLE_EQUAL(tp_catalog_target(c, web, TP_TARGET_CES), 5.5, 0);
    tp_feedback *f;
    ASSERT_OK(tp_feedback_new(&f, c));
    read_feedback(f, "customer_id,timestamp,touchpoint,metric,score\n"
                     "a,1,web,nps,10\nb,1,web,nps,10\nc,1,web,nps,9\nd,1,web,nps,0\n"
                     "a,1,web,csat,5\nb,1,web,csat,5\nc,1,web,csat,4\nd,1,web,csat,2\n"
                     "a,1,web,ces,2\nb,1,web,ces,2\nc,1,web,ces,2\nd,1,web,ces,3\n"
                     "e,1,shop,rating,5\n");
    tp_table *t;
    ASSERT_OK(tp_targets(NULL, f, NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 6);
    static const char *const metric[] = {"nps", "csat", "ces", "cx_index", "rating", "rating"};
    static const char *const status[] = {"unclear", "met", "missed", "missed", "unclear",
                                         "no data"};
    static const char *const who[] = {"web", "web", "web", "web", "shop", "till"};
    for (size_t r = 0; r < 6; r++) {
        CU_ASSERT_STRING_EQUAL(str(t, r, "touchpoint"), who[r]);
        CU_ASSERT_STRING_EQUAL(str(t, r, "metric"), metric[r]);
        CU_ASSERT_STRING_EQUAL(str(t, r, "status"), status[r]);
    }
    double z = tp_normal_quantile(0.975);
    /* NPS 50, se 100 sqrt((p + d - (p - d)^2) / n) = 100 sqrt(0.75 / 4) */
    double nps_se = 100 * sqrt(0.75 / 4);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "value"), 50, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "low"), 50 - z * nps_se, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "high"), 100, 1e-9); /* kept on the scale */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "gap"), 10, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "n"), 4, 0);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "owner"), "E-commerce");
    /* CSAT 3 of 4: the Wilson interval, (k + z^2/2) / (n + z^2) -+ ... */
    double centre = (3 + z * z / 2) / (4 + z * z),
           half = z * sqrt(3.0 * 1 / 4 + z * z / 4) / (4 + z * z);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "value"), 75, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "low"), 100 * (centre - half), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "gap"), 65, 1e-9);
    /* CES 2.25 +- z 0.5 / 2 */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "value"), 2.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "high"), 2.25 + z * 0.25, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "gap"), -3.25, 1e-12);
    /* CX index: (75 + 75 + 20.83) / 3 of NPS (50+100)/2, CSAT 75, CES
     * (2.25-1)/6 x 100; se = sqrt((0.5 nps_se)^2 + csat_se^2 + (100/6 0.25)^2) / 3 */
    double ces_scaled = 1.25 / 6 * 100, csat_se = 100 * sqrt(0.75 * 0.25 / 4);
    double cx = (75 + 75 + ces_scaled) / 3;
    double cx_se = sqrt(pow(0.5 * nps_se, 2) + pow(csat_se, 2) + pow(100.0 / 6 * 0.25, 2)) / 3;
    CU_ASSERT_DOUBLE_EQUAL(num(t, 3, "value"), cx, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 3, "low"), cx - z * cx_se, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 3, "high"), cx + z * cx_se, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 3, "n"), 12, 0);
    CU_ASSERT(cx + z * cx_se < 80); /* so "missed" */
    /* one rating: a value, no interval, so unclear; no responses: no data */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 4, "value"), 5, 0);
    CU_ASSERT(isnan(num(t, 4, "low")));
    CU_ASSERT(isnan(num(t, 5, "value")) && isnan(num(t, 5, "gap")));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 5, "target"), 4.5, 0);
    tp_table_free(t);

    /* The filter's touchpoint parts select rows; the level widens intervals. */
    tp_filter *flt;
    ASSERT_OK(tp_filter_new(&flt));
    ASSERT_OK(tp_filter_set(flt, "channel", "store"));
    ASSERT_OK(tp_targets(NULL, f, flt, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "touchpoint"), "shop");
    tp_table_free(t);
    tp_filter_free(flt);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "level", "0.5"));
    ASSERT_OK(tp_targets(NULL, f, NULL, o, &t));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "low"), 50 - tp_normal_quantile(0.75) * nps_se, 1e-9);
    tp_table_free(t);
    tp_options_free(o);

    /* Off the scale, unknown metric, out of range. */
    ASSERT_STATUS(tp_catalog_set_target(c, web, TP_TARGET_CES, 8), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "ces targets are from 1 to 7, not 8");
    ASSERT_STATUS(tp_catalog_set_target(c, web, TP_TARGET_NPS, -101), TP_EINVAL);
    ASSERT_STATUS(tp_catalog_set_target(c, web, (tp_target)6, 1), TP_EINVAL);
    ASSERT_STATUS(tp_catalog_set_target(c, 99, TP_TARGET_NPS, 1), TP_EINVAL);
    CU_ASSERT_DOUBLE_EQUAL(tp_catalog_target(c, web, TP_TARGET_CES), 5.5, 0); /* unchanged */
    CU_ASSERT(isnan(tp_catalog_target(c, 99, TP_TARGET_NPS)));
    CU_ASSERT(isnan(tp_catalog_target(NULL, 0, TP_TARGET_NPS)));
    tp_target w;
    ASSERT_OK(tp_target_parse("cx_index", &w));
    CU_ASSERT_EQUAL(w, TP_TARGET_CX_INDEX);
    ASSERT_STATUS(tp_target_parse("nsp", &w), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "did you mean 'nps'");
    CU_ASSERT_STRING_EQUAL(tp_target_name(TP_TARGET_CES), "ces");
    CU_ASSERT_PTR_NULL(tp_target_name((tp_target)TP_TARGET_COUNT));
    ASSERT_STATUS(tp_targets(NULL, f, NULL, NULL, NULL), TP_EINVAL);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

/* An empty hot-spot or driver table says why. */
static void test_empty_tables_say_why(void)
{
    fixture_set s = open_set();
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    tp_table *t;
    ASSERT_OK(tp_options_set(o, "min_responses", "100000"));
    ASSERT_OK(tp_hotspots(s.e, s.f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no touchpoint has min_responses (100000) responses (the most: ");
    tp_table_free(t);
    ASSERT_OK(tp_drivers(s.e, s.f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no touchpoint has 100000 customers with both an experience");
    tp_table_free(t);
    ASSERT_OK(tp_options_set(o, "min_responses", "1"));
    ASSERT_OK(tp_options_set(o, "alpha", "1e-300"));
    ASSERT_OK(tp_hotspots(s.e, s.f, NULL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "differs from the others at alpha 1e-300");
    tp_table_free(t);
    /* no responses selected at all */
    tp_filter *f;
    ASSERT_OK(tp_filter_new(&f));
    ASSERT_OK(tp_filter_set(f, "until", "1970-01-02"));
    ASSERT_OK(tp_hotspots(s.e, s.f, f, NULL, &t));
    CU_ASSERT_STRING_EQUAL(tp_table_note(t), "no hot spots: no feedback response was selected");
    tp_table_free(t);
    ASSERT_OK(tp_drivers(s.e, s.f, f, NULL, &t));
    ASSERT_CONTAINS(tp_table_note(t), "no customer has both an experience at a touchpoint and an "
                                      "outcome (their NPS answer)");
    tp_table_free(t);
    ASSERT_OK(tp_trend(s.e, s.f, f, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no trend: no feedback response was selected");
    tp_table_free(t);
    ASSERT_OK(tp_sentiment_terms(s.e, s.f, f, NULL, &t));
    ASSERT_CONTAINS(tp_table_note(t), "no terms: no selected comment");
    tp_table_free(t);
    /* the fixture's catalog sets no targets */
    ASSERT_OK(tp_targets(s.e, s.f, NULL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 0);
    ASSERT_CONTAINS(tp_table_note(t), "no targets: the catalog sets none");
    tp_table_free(t);
    ASSERT_OK(tp_trend(s.e, s.f, NULL, NULL, &t));
    CU_ASSERT_TRUE(tp_table_row_count(t) > 0);
    CU_ASSERT_PTR_NULL(tp_table_note(t));
    tp_table_free(t);
    /* a table with rows has no note */
    ASSERT_OK(tp_options_set(o, "alpha", "0.05"));
    ASSERT_OK(tp_options_set(o, "all_hotspots", "1"));
    ASSERT_OK(tp_hotspots(s.e, s.f, NULL, o, &t));
    CU_ASSERT_TRUE(tp_table_row_count(t) > 0);
    CU_ASSERT_PTR_NULL(tp_table_note(t));
    ASSERT_OK(tp_table_set_note(t, "x"));
    CU_ASSERT_STRING_EQUAL(tp_table_note(t), "x");
    ASSERT_OK(tp_table_set_note(t, NULL));
    CU_ASSERT_PTR_NULL(tp_table_note(t));
    ASSERT_STATUS(tp_table_set_note(NULL, "x"), TP_EINVAL);
    tp_table_free(t);
    tp_filter_free(f);
    tp_options_free(o);
    close_set(&s);
}

/* ---- the roadmap ---- */

/* Map m: s1 = [a], s2 = [b]; allowed (start) > a > b > (end).
 * Journeys: c1 a > b; c2 b (from the start: not allowed); c3 a > a > b.
 * Arrivals at a: 2 from the start, both allowed; at b: 2 from a, 1 from the
 * start: conformance 2/3.
 * CSAT at a by month: Jan 1 of 2 (50%), Feb 3 of 5 (60%), Mar 7 of 10 (70%):
 * slope 10 a month; overall 11/17 = 64.7%, target 80: ceil(15.3 / 10) = 2
 * months after March, 2026-05-01. NPS at a: Jan 100, Feb 0, Mar -100 (slope
 * -100), overall 0 against 50: moving away. */
static void test_roadmap_worked(void)
{
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new(&c));
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "a";
    d.owner = "Team A";
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    d.id = "b";
    d.owner = NULL;
    ASSERT_OK(tp_catalog_add_touchpoint(c, &d, NULL));
    ASSERT_OK(tp_catalog_set_target(c, 0, TP_TARGET_CSAT, 80));
    ASSERT_OK(tp_catalog_set_target(c, 0, TP_TARGET_NPS, 50));
    tp_journey_map *m;
    ASSERT_OK(tp_journey_map_new(&m, "m"));
    const char *s1[] = {"a"}, *s2[] = {"b"};
    ASSERT_OK(tp_journey_map_add_stage(m, "s1", s1, 1));
    ASSERT_OK(tp_journey_map_add_stage(m, "s2", s2, 1));
    ASSERT_OK(tp_journey_map_allow(m, "(start)", "a"));
    ASSERT_OK(tp_journey_map_allow(m, "a", "b"));
    ASSERT_OK(tp_journey_map_allow(m, "b", "(end)"));
    ASSERT_OK(tp_catalog_add_journey_map(c, m));
    tp_journey_map_free(m);
    tp_events *e;
    tp_feedback *f;
    ASSERT_OK(tp_events_new(&e, c));
    ASSERT_OK(tp_feedback_new(&f, c));
    read_events(e, "customer_id,timestamp,touchpoint\n"
                   "c1,2026-01-01,a\nc1,2026-01-02,b\nc2,2026-01-03,b\n"
                   "c3,2026-01-04,a\nc3,2026-01-05,a\nc3,2026-01-06,b\n");
    read_feedback(f, "customer_id,timestamp,touchpoint,metric,score\n"
                     "c1,2026-01-10,a,csat,5\nc1,2026-01-11,a,csat,2\n"
                     "c1,2026-02-10,a,csat,5\nc1,2026-02-11,a,csat,5\nc1,2026-02-12,a,csat,5\n"
                     "c1,2026-02-13,a,csat,2\nc1,2026-02-14,a,csat,1\n"
                     "c2,2026-03-01,a,csat,5\nc2,2026-03-02,a,csat,5\nc2,2026-03-03,a,csat,5\n"
                     "c2,2026-03-04,a,csat,4\nc2,2026-03-05,a,csat,4\nc2,2026-03-06,a,csat,4\n"
                     "c2,2026-03-07,a,csat,5\nc2,2026-03-08,a,csat,1\nc2,2026-03-09,a,csat,2\n"
                     "c2,2026-03-10,a,csat,3\n"
                     "c3,2026-01-20,a,nps,10\nc3,2026-02-20,a,nps,10\nc3,2026-02-21,a,nps,0\n"
                     "c3,2026-03-20,a,nps,0\nc3,2026-03-21,b,rating,4\n");
    tp_table *t;
    ASSERT_OK(tp_roadmap(e, f, NULL, NULL, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 3);
    /* a's targets in target order (nps, csat), then b without one */
    CU_ASSERT_STRING_EQUAL(str(t, 0, "metric"), "nps");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "metric"), "csat");
    CU_ASSERT_STRING_EQUAL(str(t, 0, "stage"), "s1");
    CU_ASSERT_STRING_EQUAL(str(t, 0, "owner"), "Team A");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "touchpoint"), "b");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "stage"), "s2");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "status"), "no target");
    CU_ASSERT_STRING_EQUAL(str(t, 2, "metric"), "cx_index");
    CU_ASSERT(isnan(num(t, 2, "target")) && isnan(num(t, 2, "slope")));
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "periods"), 1, 0);
    /* NPS: 100, 0, -100 by month */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "value"), 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "slope"), -100, 1e-9);
    CU_ASSERT_STRING_EQUAL(str(t, 0, "reached_by"), "moving away");
    CU_ASSERT_STRING_EQUAL(str(t, 0, "status"), "unclear");
    /* CSAT: 50, 60, 70 by month */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "value"), 100.0 * 11 / 17, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "periods"), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 1, "slope"), 10, 1e-9);
    CU_ASSERT_STRING_EQUAL(str(t, 1, "reached_by"), "2026-05-01");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "status"), "unclear");
    /* arrivals and the map's share of them */
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "arrivals"), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 0, "conformance"), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "arrivals"), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(num(t, 2, "conformance"), 2.0 / 3, 1e-12);
    tp_table_free(t);

    /* By week: the same CSAT rows fall in more periods; a met target is "now". */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "period", "week"));
    ASSERT_OK(tp_catalog_set_target(c, 0, TP_TARGET_CSAT, 10));
    ASSERT_OK(tp_roadmap(e, f, "m", NULL, o, &t));
    CU_ASSERT_STRING_EQUAL(str(t, 1, "status"), "met");
    CU_ASSERT_STRING_EQUAL(str(t, 1, "reached_by"), "now");
    CU_ASSERT(num(t, 1, "periods") > 3);
    tp_table_free(t);
    tp_options_free(o);

    /* Errors: an unknown map names the nearest, both inputs are needed. */
    ASSERT_STATUS(tp_roadmap(e, f, "n", NULL, NULL, &t), TP_ENOTFOUND);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_STATUS(tp_roadmap(e, NULL, NULL, NULL, NULL, &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "needs the events");
    ASSERT_STATUS(tp_roadmap(e, f, NULL, NULL, NULL, NULL), TP_EINVAL);
    tp_events_free(e);
    tp_feedback_free(f);
    tp_catalog_free(c);
}

static const tp_test scorecard_tests[] = {
    TP_TEST(test_scorecard_worked), TP_TEST(test_breakdown_vs_rest), TP_TEST(test_profile), TP_TEST(test_phrases), TP_TEST(test_reach_counts), TP_TEST(test_rollups), TP_TEST(test_audits),
    TP_TEST(test_filters), TP_TEST(test_options_and_errors), TP_TEST(test_option_registry),
    TP_TEST(test_filter_by_name), TP_TEST(test_targets_worked), TP_TEST(test_owners),
    TP_TEST(test_roadmap_worked), TP_TEST(test_empty_tables_say_why),
                                TP_TEST(test_filter_typos), TP_TESTS_END};
static const tp_test analysis_tests[] = {TP_TEST(test_hotspots), TP_TEST(test_drivers),
                                         TP_TEST(test_trend), TP_TEST(test_terms),
                                         TP_TEST(test_sample_hotspots), TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"analysis/scorecard", scorecard_tests},
                               {"analysis/hotspots-drivers-trend", analysis_tests},
                               {NULL, NULL}};
    return tp_run_suites(suites);
}
