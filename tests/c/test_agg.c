/* lib/agg: partial aggregates merge to the single-process result, bit for bit;
 * the serialized form round-trips and rejects what it should. */
#include <stdio.h>
#include <stdlib.h>

#include "agg/agg_internal.h"
#include "core/le.h"
#include "testutil.h"
#include "touchpoint.h"

enum { NPART = 8 };

/* The sample data set, whole and split into NPART partitions by customer (a
 * hash of the id): journeys and reach need a customer's events together, and
 * an audit visit's item rows must stay together too. */
typedef struct sample {
    tp_catalog *cat, *part_cat;
    tp_events *ev, *pev[NPART];
    tp_feedback *fb, *pfb[NPART];
} sample;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    if (s)
        s[n] = '\0';
    *len = (size_t)n;
    return s;
}

static unsigned part_of(const char *line)
{
    unsigned h = 2166136261u;
    for (const char *p = line; *p && *p != ','; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % NPART;
}

/* Split a CSV file (no quoted newlines) into NPART buffers with its header. */
static int split(const char *text, char *parts[NPART], size_t plen[NPART])
{
    const char *nl = strchr(text, '\n');
    size_t hlen = (size_t)(nl - text) + 1, total = strlen(text);
    for (int p = 0; p < NPART; p++) {
        parts[p] = malloc(total + 1);
        if (!parts[p])
            return -1;
        memcpy(parts[p], text, hlen);
        plen[p] = hlen;
    }
    for (const char *s = nl + 1; *s;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) + 1 : strlen(s);
        unsigned p = part_of(s);
        memcpy(parts[p] + plen[p], s, n);
        plen[p] += n;
        s += n;
    }
    return 0;
}

static int sample_load(sample *s)
{
    memset(s, 0, sizeof *s);
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog.json", TP_SAMPLE_DATA);
    if (tp_catalog_load_json(&s->cat, path) || tp_catalog_load_json(&s->part_cat, path))
        return -1;
    size_t elen, flen;
    snprintf(path, sizeof path, "%s/events.csv", TP_SAMPLE_DATA);
    char *etext = slurp(path, &elen);
    snprintf(path, sizeof path, "%s/feedback.csv", TP_SAMPLE_DATA);
    char *ftext = slurp(path, &flen);
    char *ep[NPART], *fp[NPART];
    size_t eplen[NPART], fplen[NPART];
    int bad = !etext || !ftext || split(etext, ep, eplen) || split(ftext, fp, fplen);
    bad = bad || tp_events_new(&s->ev, s->cat) ||
          tp_events_read_csv_buffer(s->ev, etext, elen, "events.csv", NULL, NULL) ||
          tp_feedback_new(&s->fb, s->cat) ||
          tp_feedback_read_csv_buffer(s->fb, ftext, flen, "feedback.csv", NULL, NULL);
    for (int p = 0; p < NPART && !bad; p++) {
        bad = tp_events_new(&s->pev[p], s->part_cat) ||
              tp_events_read_csv_buffer(s->pev[p], ep[p], eplen[p], "part", NULL, NULL) ||
              tp_feedback_new(&s->pfb[p], s->part_cat) ||
              tp_feedback_read_csv_buffer(s->pfb[p], fp[p], fplen[p], "part", NULL, NULL);
    }
    for (int p = 0; p < NPART && etext && ftext; p++)
        free(ep[p]), free(fp[p]);
    free(etext);
    free(ftext);
    if (bad)
        fprintf(stderr, "\n  %s\n", tp_last_error());
    return bad ? -1 : 0;
}

static void sample_free(sample *s)
{
    tp_events_free(s->ev);
    tp_feedback_free(s->fb);
    for (int p = 0; p < NPART; p++) {
        tp_events_free(s->pev[p]);
        tp_feedback_free(s->pfb[p]);
    }
    tp_catalog_free(s->cat);
    tp_catalog_free(s->part_cat);
}

/* Same columns, types and cells; doubles bit for bit (both null counts too). */
static int tables_identical(const tp_table *a, const tp_table *b, char *why, size_t cap)
{
    size_t nc = tp_table_column_count(a), nr = tp_table_row_count(a);
    if (nc != tp_table_column_count(b) || nr != tp_table_row_count(b)) {
        snprintf(why, cap, "shape %zux%zu vs %zux%zu", nr, nc, tp_table_row_count(b),
                 tp_table_column_count(b));
        return 0;
    }
    for (size_t c = 0; c < nc; c++) {
        if (strcmp(tp_table_column_name(a, c), tp_table_column_name(b, c)) ||
            tp_table_column_type(a, c) != tp_table_column_type(b, c)) {
            snprintf(why, cap, "column %zu", c);
            return 0;
        }
        for (size_t r = 0; r < nr; r++) {
            int na = tp_table_is_null(a, r, c), nb = tp_table_is_null(b, r, c), same = na == nb;
            if (same && !na) {
                const char *sa, *sb;
                int64_t ia, ib;
                double da, db;
                switch (tp_table_column_type(a, c)) {
                case TP_TYPE_STRING:
                    tp_table_get_string(a, r, c, &sa);
                    tp_table_get_string(b, r, c, &sb);
                    same = !strcmp(sa, sb);
                    break;
                case TP_TYPE_INT64:
                    tp_table_get_int64(a, r, c, &ia);
                    tp_table_get_int64(b, r, c, &ib);
                    same = ia == ib;
                    break;
                default:
                    tp_table_get_double(a, r, c, &da);
                    tp_table_get_double(b, r, c, &db);
                    same = !memcmp(&da, &db, sizeof da);
                    break;
                }
            }
            if (!same) {
                snprintf(why, cap, "row %zu column %s", r, tp_table_column_name(a, c));
                return 0;
            }
        }
    }
    return 1;
}

static tp_funnel *test_funnel; /* the funnel of the funnel kind's tests */

/* Add one partition the way its kind takes it. */
static tp_status add_part(tp_agg *a, tp_agg_kind kind, const tp_events *ev, const tp_feedback *fb,
                          const tp_options *o)
{
    if (kind == TP_AGG_FUNNEL)
        return tp_agg_add_funnel(a, ev, test_funnel, NULL, o);
    return tp_agg_add(a, ev, kind == TP_AGG_SCORECARD ? fb : NULL, NULL, o);
}

static tp_status single(const sample *s, tp_agg_kind kind, const tp_options *o, tp_table **out)
{
    if (kind == TP_AGG_FUNNEL)
        return tp_funnel_run(s->ev, test_funnel, NULL, o, out, NULL);
    tp_paths *paths = NULL;
    tp_status st;
    switch (kind) {
    case TP_AGG_SCORECARD: return tp_scorecard(s->ev, s->fb, NULL, o, out);
    case TP_AGG_TRANSITIONS: return tp_transitions(s->ev, NULL, o, out);
    case TP_AGG_VARIANTS: return tp_variants(s->ev, NULL, o, out);
    default:
        st = tp_paths_from_events(&paths, s->ev, NULL, o);
        if (st == TP_OK)
            st = tp_attribute(paths, kind == TP_AGG_MARKOV ? TP_MODEL_MARKOV : TP_MODEL_SHAPLEY, o,
                              out);
        tp_paths_free(paths);
        return st;
    }
}

/* Partials per partition, through bytes, merged in a tree whose shape and
 * order depend on `seed`. */
static tp_agg *distributed(const sample *s, tp_agg_kind kind, const tp_options *o,
                           unsigned seed)
{
    tp_agg *parts[NPART];
    int order[NPART];
    for (int p = 0; p < NPART; p++)
        order[p] = p;
    for (int p = NPART - 1; p > 0; p--) {
        seed = seed * 1103515245u + 12345u;
        int j = (int)((seed >> 8) % (unsigned)(p + 1)), t = order[p];
        order[p] = order[j];
        order[j] = t;
    }
    for (int p = 0; p < NPART; p++) {
        tp_agg *a = NULL, *b = NULL;
        void *bytes = NULL;
        size_t len = 0;
        int q = order[p];
        CU_ASSERT_EQUAL_FATAL(tp_agg_new(&a, kind), TP_OK);
        CU_ASSERT_EQUAL_FATAL(add_part(a, kind, s->pev[q], s->pfb[q], o), TP_OK);
        CU_ASSERT_EQUAL_FATAL(tp_agg_serialize(a, &bytes, &len), TP_OK);
        CU_ASSERT_EQUAL_FATAL(tp_agg_deserialize(&b, bytes, len), TP_OK);
        tp_free(bytes);
        tp_agg_free(a);
        parts[p] = b;
    }
    for (int width = 1; width < NPART; width *= 2) /* tree: pairs, then pairs of pairs */
        for (int p = 0; p + width < NPART; p += 2 * width) {
            CU_ASSERT_EQUAL_FATAL(tp_agg_merge(parts[p], parts[p + width]), TP_OK);
            tp_agg_free(parts[p + width]);
            parts[p + width] = NULL;
        }
    return parts[0];
}

static void check_kind(tp_agg_kind kind, const tp_options *o)
{
    sample s;
    CU_ASSERT_EQUAL_FATAL(sample_load(&s), 0);
    tp_table *want = NULL;
    CU_ASSERT_EQUAL_FATAL(single(&s, kind, o, &want), TP_OK);
    CU_ASSERT_TRUE(tp_table_row_count(want) >= 4); /* the shortest: a 4-step funnel */
    for (unsigned seed = 1; seed <= 3; seed++) {
        tp_agg *a = distributed(&s, kind, o, seed);
        tp_table *got = NULL;
        char why[128] = "";
        CU_ASSERT_EQUAL(tp_agg_finalize(a, s.cat, o, &got), TP_OK);
        int same = got && tables_identical(want, got, why, sizeof why);
        if (!same)
            fprintf(stderr, "\n  %s, seed %u: %s\n", tp_agg_kind_name(kind), seed, why);
        CU_ASSERT_TRUE(same);
        tp_table_free(got);
        tp_agg_free(a);
    }
    /* One partition holding everything gives the same table too. */
    tp_agg *whole = NULL;
    tp_table *got = NULL;
    char why[128] = "";
    CU_ASSERT_EQUAL(tp_agg_new(&whole, kind), TP_OK);
    CU_ASSERT_EQUAL(add_part(whole, kind, s.ev, s.fb, o), TP_OK);
    CU_ASSERT_EQUAL(tp_agg_finalize(whole, s.cat, o, &got), TP_OK);
    CU_ASSERT_TRUE(got && tables_identical(want, got, why, sizeof why));
    tp_table_free(got);
    tp_agg_free(whole);
    tp_table_free(want);
    sample_free(&s);
}

static void test_scorecard_partitions(void) { check_kind(TP_AGG_SCORECARD, NULL); }
static void test_transitions_partitions(void) { check_kind(TP_AGG_TRANSITIONS, NULL); }

/* Funnels: loose with an optional step, strict with windows and an exclusion,
 * steps of one event type (at a touchpoint and anywhere). */
static void test_funnel_partitions(void)
{
    static const char *const defs[] = {"website, product-page?, cart, online-checkout",
                                       "advertising, website<7d, cart<2d, online-checkout",
                                       ("website, online-checkout, "
                                        "online-checkout (conversion), (conversion)"),
                                       "website, cart, product-page, online-checkout"};
    for (int i = 0; i < 4; i++) {
        ASSERT_OK(tp_funnel_new(&test_funnel));
        ASSERT_OK(tp_funnel_parse(test_funnel, defs[i]));
        if (i == 3) {
            ASSERT_OK(tp_funnel_set_mode(test_funnel, TP_FUNNEL_ANY_ORDER));
            ASSERT_OK(tp_funnel_set_window(test_funnel, 3LL * 86400000));
        }
        if (i == 1) {
            ASSERT_OK(tp_funnel_set_mode(test_funnel, TP_FUNNEL_STRICT));
            ASSERT_OK(tp_funnel_add_exclusion(test_funnel, "billing"));
            ASSERT_OK(tp_funnel_set_window(test_funnel, 30LL * 86400000));
        }
        check_kind(TP_AGG_FUNNEL, NULL);
        tp_funnel_free(test_funnel);
        test_funnel = NULL;
    }
    /* another funnel definition conflicts; plain tp_agg_add is refused */
    tp_catalog *cat = NULL;
    ASSERT_OK(tp_catalog_new_default(&cat));
    tp_events *e = NULL;
    ASSERT_OK(tp_events_new(&e, cat));
    ASSERT_OK(tp_events_append(e, "a", "website", 1000, TP_EVENT_INTERACTION, 0));
    ASSERT_OK(tp_events_append(e, "a", "cart", 2000, TP_EVENT_INTERACTION, 0));
    tp_funnel *f1 = NULL, *f2 = NULL;
    ASSERT_OK(tp_funnel_new(&f1));
    ASSERT_OK(tp_funnel_parse(f1, "website, cart"));
    ASSERT_OK(tp_funnel_new(&f2));
    ASSERT_OK(tp_funnel_parse(f2, "website, cart<1h"));
    tp_agg *a = NULL;
    ASSERT_OK(tp_agg_new(&a, TP_AGG_FUNNEL));
    CU_ASSERT_EQUAL(tp_agg_add(a, e, NULL, NULL, NULL), TP_EINVAL);
    ASSERT_OK(tp_agg_add_funnel(a, e, f1, NULL, NULL));
    ASSERT_OK(tp_agg_add_funnel(a, e, f1, NULL, NULL));
    CU_ASSERT_EQUAL(tp_agg_add_funnel(a, e, f2, NULL, NULL), TP_ECONFLICT);
    ASSERT_CONTAINS(tp_last_error(), "different funnel definition");
    tp_table *t = NULL;
    ASSERT_OK(tp_agg_finalize(a, cat, NULL, &t));
    int64_t n;
    double median;
    ASSERT_OK(tp_table_get_int64(t, 1, 3, &n));
    CU_ASSERT_EQUAL(n, 2); /* the same customer, added twice */
    ASSERT_OK(tp_table_get_double(t, 1, 7, &median));
    CU_ASSERT_EQUAL(median, 1000.0);
    tp_table_free(t);
    tp_agg *v = NULL;
    ASSERT_OK(tp_agg_new(&v, TP_AGG_VARIANTS));
    CU_ASSERT_EQUAL(tp_agg_add_funnel(v, e, f1, NULL, NULL), TP_EINVAL);
    tp_agg_free(v);
    tp_agg_free(a);
    tp_funnel_free(f1);
    tp_funnel_free(f2);
    tp_events_free(e);
    tp_catalog_free(cat);
}

static void test_markov_partitions(void)
{
    tp_options *o = NULL;
    check_kind(TP_AGG_MARKOV, NULL);
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_ORDER, 3));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_CREDIT_CONVERSION, 1));
    check_kind(TP_AGG_MARKOV, o);
    tp_options_free(o);
}

static void test_shapley_partitions(void)
{
    tp_options *o = NULL;
    check_kind(TP_AGG_SHAPLEY, NULL); /* 28 touchpoints: the Harsanyi split */
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_CREDIT_CONVERSION, 1));
    check_kind(TP_AGG_SHAPLEY, o);
    tp_options_free(o);
}

/* Threads change nothing: Markov order 2 on the sample, 1, 2, 3 and "one per
 * CPU" threads, bit for bit; a bad thread count is refused. */
static void test_threads_identical(void)
{
    sample s;
    CU_ASSERT_EQUAL_FATAL(sample_load(&s), 0);
    tp_paths *p = NULL;
    ASSERT_OK(tp_paths_from_events(&p, s.ev, NULL, NULL));
    tp_options *o = NULL;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_ORDER, 2));
    tp_table *one = NULL;
    ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, o, &one));
    const int counts[] = {2, 3, 0};
    for (int i = 0; i < 3; i++) {
        tp_table *t = NULL;
        char why[128] = "";
        ASSERT_OK(tp_options_set_int(o, TP_OPT_THREADS, counts[i]));
        ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, o, &t));
        CU_ASSERT_TRUE(t && tables_identical(one, t, why, sizeof why));
        tp_table_free(t);
    }
    CU_ASSERT_EQUAL(tp_options_set_int(o, TP_OPT_THREADS, 257), TP_EINVAL);
    ASSERT_OK(tp_options_set(o, "threads", "4"));
    tp_table_free(one);
    tp_options_free(o);
    tp_paths_free(p);
    sample_free(&s);
}

/* Path sets with fractional conversions, split in three and merged. */
static void test_paths_partitions(void)
{
    static const char *const rows[][4] = {
        {"search", "website", "store", NULL}, {"social", "website", NULL, NULL},
        {"search", "store", "store", NULL},   {"email", "website", "cart", "store"},
        {"social", NULL, NULL, NULL},         {"email", "store", NULL, NULL}};
    static const double cv[][3] = {{3.5, 120.25, 1}, {0, 0, 4.75}, {2.1, 40.3, 2.2},
                                   {1.3, 7.7, 0.4},  {0.2, 1.1, 9}, {0.7, 0.1, 0.3}};
    tp_paths *whole = NULL, *part[3] = {NULL, NULL, NULL};
    ASSERT_OK(tp_paths_new(&whole));
    for (int p = 0; p < 3; p++)
        ASSERT_OK(tp_paths_new(&part[p]));
    for (int rep = 0; rep < 50; rep++)
        for (int i = 0; i < 6; i++) {
            size_t n = 0;
            while (n < 4 && rows[i][n])
                n++;
            ASSERT_OK(tp_paths_add(whole, rows[i], n, cv[i][0], cv[i][1], cv[i][2]));
            ASSERT_OK(tp_paths_add(part[(rep + i) % 3], rows[i], n, cv[i][0], cv[i][1], cv[i][2]));
        }
    tp_catalog *cat = NULL;
    ASSERT_OK(tp_catalog_new(&cat));
    tp_options *rate = NULL;
    ASSERT_OK(tp_options_new(&rate));
    ASSERT_OK(tp_options_set_int(rate, TP_OPT_SHAPLEY_VALUE, TP_SHAPLEY_RATE));
    for (int k = 0; k < 3; k++) {
        tp_agg_kind kind = k ? TP_AGG_SHAPLEY : TP_AGG_MARKOV;
        const tp_options *o = k == 2 ? rate : NULL; /* exact over 2^6 coalitions, rate game */
        tp_table *want = NULL, *got = NULL;
        tp_agg *a = NULL;
        ASSERT_OK(tp_attribute(whole, k ? TP_MODEL_SHAPLEY : TP_MODEL_MARKOV, o, &want));
        ASSERT_OK(tp_agg_new(&a, kind));
        for (int p = 2; p >= 0; p--) {
            tp_agg *b = NULL;
            ASSERT_OK(tp_agg_new(&b, kind));
            ASSERT_OK(tp_agg_add_paths(b, part[p], NULL));
            ASSERT_OK(tp_agg_merge(a, b));
            tp_agg_free(b);
        }
        ASSERT_OK(tp_agg_finalize(a, cat, o, &got));
        char why[128] = "";
        int same = tables_identical(want, got, why, sizeof why);
        if (!same)
            fprintf(stderr, "\n  paths %s: %s\n", tp_agg_kind_name(kind), why);
        CU_ASSERT_TRUE(same);
        CU_ASSERT_EQUAL(tp_agg_add_paths(a, whole, NULL), TP_OK); /* more paths: fine */
        tp_table_free(want);
        tp_table_free(got);
        tp_agg_free(a);
    }
    tp_options_free(rate);
    tp_agg *t = NULL;
    ASSERT_OK(tp_agg_new(&t, TP_AGG_TRANSITIONS));
    CU_ASSERT_EQUAL(tp_agg_add_paths(t, whole, NULL), TP_EINVAL);
    tp_agg_free(t);
    tp_catalog_free(cat);
    tp_paths_free(whole);
    for (int p = 0; p < 3; p++)
        tp_paths_free(part[p]);
}

static void test_variants_partitions(void)
{
    tp_options *o = NULL;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_TOP, 1000)); /* every variant, not only the top 10 */
    check_kind(TP_AGG_VARIANTS, o);
    ASSERT_OK(tp_options_set_int(o, TP_OPT_COLLAPSE, TP_COLLAPSE_REPEATS));
    check_kind(TP_AGG_VARIANTS, o);
    tp_options_free(o);
}

/* A tiny log whose numbers are checked by hand. */
static const char tiny[] = "customer_id,timestamp,touchpoint,type,value\n"
                           "a,1,website,,\n"
                           "a,2,store,conversion,10.5\n"
                           "b,1,website,,\n"
                           "b,2,store,conversion,0.25\n"
                           "c,5,email,,\n";

static tp_agg *tiny_agg(tp_agg_kind kind, const tp_options *o)
{
    tp_catalog *cat = NULL;
    tp_events *e = tp_test_log(&cat, tiny, sizeof tiny - 1);
    tp_agg *a = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(tp_agg_new(&a, kind), TP_OK);
    CU_ASSERT_EQUAL(tp_agg_add(a, e, NULL, NULL, o), TP_OK);
    tp_events_free(e);
    tp_catalog_free(cat);
    return a;
}

static void test_algebra(void)
{
    tp_catalog *cat = NULL;
    ASSERT_OK(tp_catalog_new_default(&cat));
    tp_agg *a = tiny_agg(TP_AGG_VARIANTS, NULL), *e = NULL, *b = NULL;
    ASSERT_OK(tp_agg_new(&e, TP_AGG_VARIANTS));
    CU_ASSERT_TRUE(tp_agg_is_empty(e));
    CU_ASSERT_FALSE(tp_agg_is_empty(a));
    CU_ASSERT_EQUAL(tp_agg_get_kind(a), TP_AGG_VARIANTS);
    void *x = NULL, *y = NULL;
    size_t xl, yl;
    /* the empty aggregate is the identity, on either side */
    ASSERT_OK(tp_agg_serialize(a, &x, &xl));
    ASSERT_OK(tp_agg_merge(a, e));
    ASSERT_OK(tp_agg_serialize(a, &y, &yl));
    CU_ASSERT_TRUE(xl == yl && !memcmp(x, y, xl));
    tp_free(y);
    ASSERT_OK(tp_agg_merge(e, a));
    ASSERT_OK(tp_agg_serialize(e, &y, &yl));
    CU_ASSERT_TRUE(xl == yl && !memcmp(x, y, xl));
    tp_free(y);
    /* a + a doubles every count: by hand, website > store twice per copy */
    ASSERT_OK(tp_agg_merge(a, a));
    tp_table *t = NULL;
    ASSERT_OK(tp_agg_finalize(a, cat, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    const char *path;
    int64_t n;
    double v;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &path));
    CU_ASSERT_STRING_EQUAL(path, "website > store");
    ASSERT_OK(tp_table_get_int64(t, 0, 1, &n));
    CU_ASSERT_EQUAL(n, 4); /* journeys */
    ASSERT_OK(tp_table_get_int64(t, 0, 2, &n));
    CU_ASSERT_EQUAL(n, 4); /* conversions */
    ASSERT_OK(tp_table_get_int64(t, 0, 4, &n));
    CU_ASSERT_EQUAL(n, 4); /* customers: a and b, counted once per copy */
    ASSERT_OK(tp_table_get_double(t, 0, 5, &v));
    CU_ASSERT_EQUAL(v, 21.5); /* (10.5 + 0.25) x 2 */
    ASSERT_OK(tp_table_get_double(t, 0, 6, &v));
    CU_ASSERT_EQUAL(v, 4.0 / 6.0); /* share of 6 journeys */
    tp_table_free(t);
    /* commutative: b + a finalizes like a + b */
    tp_agg *c = tiny_agg(TP_AGG_VARIANTS, NULL), *d = tiny_agg(TP_AGG_VARIANTS, NULL);
    ASSERT_OK(tp_agg_merge(c, d));
    ASSERT_OK(tp_agg_deserialize(&b, x, xl));
    ASSERT_OK(tp_agg_merge(d, b));
    tp_table *t1 = NULL, *t2 = NULL;
    char why[64];
    ASSERT_OK(tp_agg_finalize(c, cat, NULL, &t1));
    ASSERT_OK(tp_agg_finalize(d, cat, NULL, &t2));
    CU_ASSERT_TRUE(tables_identical(t1, t2, why, sizeof why));
    tp_table_free(t1);
    tp_table_free(t2);
    tp_free(x);
    tp_agg_free(a);
    tp_agg_free(b);
    tp_agg_free(c);
    tp_agg_free(d);
    tp_agg_free(e);
    tp_catalog_free(cat);
}

static void test_conflicts(void)
{
    tp_options *o = NULL;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "timeout", "1h"));
    tp_agg *a = tiny_agg(TP_AGG_TRANSITIONS, NULL), *b = tiny_agg(TP_AGG_TRANSITIONS, o);
    tp_agg *v = tiny_agg(TP_AGG_VARIANTS, NULL);
    void *x = NULL, *y = NULL;
    size_t xl, yl;
    ASSERT_OK(tp_agg_serialize(a, &x, &xl));
    CU_ASSERT_EQUAL(tp_agg_merge(a, b), TP_ECONFLICT);
    ASSERT_CONTAINS(tp_last_error(), "timeout (2592000000, 3600000)");
    CU_ASSERT_EQUAL(tp_agg_merge(a, v), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "cannot merge a variants aggregate into a transitions one");
    ASSERT_OK(tp_agg_serialize(a, &y, &yl));
    CU_ASSERT_TRUE(xl == yl && !memcmp(x, y, xl)); /* unchanged */
    tp_free(y);
    /* an add with other options is refused the same way */
    tp_catalog *cat = NULL;
    tp_events *e = tp_test_log(&cat, tiny, sizeof tiny - 1);
    CU_ASSERT_EQUAL(tp_agg_add(a, e, NULL, NULL, o), TP_ECONFLICT);
    CU_ASSERT_EQUAL(tp_agg_add(a, e, (const tp_feedback *)NULL, NULL, NULL), TP_OK);
    CU_ASSERT_EQUAL(tp_agg_add(a, NULL, NULL, NULL, NULL), TP_EINVAL);
    /* a Markov partial of events does not take a path set (timeout 0) */
    tp_agg *m = tiny_agg(TP_AGG_MARKOV, NULL);
    tp_paths *paths = NULL;
    ASSERT_OK(tp_paths_from_events(&paths, e, NULL, NULL));
    CU_ASSERT_EQUAL(tp_agg_add_paths(m, paths, NULL), TP_ECONFLICT);
    ASSERT_CONTAINS(tp_last_error(), "timeout (0: a path set)");
    tp_paths_free(paths);
    tp_agg_free(m);
    /* overflow: counts stop at 2^63 - 1 (tables hold int64). A transitions
     * aggregate ends with its 5 records (key length, two ids, count: 20
     * bytes each); the same count in all of them keeps every touchpoint's
     * in and out equal, one alone does not. */
    unsigned char *bytes = x;
    tp_agg *big = NULL;
    tp__le64_store(bytes + xl - 8, (uint64_t)INT64_MAX + 1);
    CU_ASSERT_EQUAL(tp_agg_deserialize(&big, bytes, xl), TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "counts: count too large");
    tp__le64_store(bytes + xl - 8, (uint64_t)INT64_MAX - 1);
    CU_ASSERT_EQUAL(tp_agg_deserialize(&big, bytes, xl), TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "transitions in and out differ");
    for (size_t r = 0; r < 5; r++)
        tp__le64_store(bytes + xl - 8 - 20 * r, (uint64_t)INT64_MAX - 1);
    ASSERT_OK(tp_agg_deserialize(&big, bytes, xl));
    CU_ASSERT_EQUAL(tp_agg_merge(big, big), TP_ELIMIT);
    ASSERT_OK(tp_agg_serialize(big, &y, &yl));
    CU_ASSERT_TRUE(xl == yl && !memcmp(x, y, xl));
    tp_free(y);
    tp_free(x);
    tp_agg_free(big);
    tp_events_free(e);
    tp_catalog_free(cat);
    tp_agg_free(a);
    tp_agg_free(b);
    tp_agg_free(v);
    tp_options_free(o);
}

static void expect_bad(const unsigned char *data, size_t len, const char *needle)
{
    tp_agg *a = (tp_agg *)1;
    CU_ASSERT_EQUAL(tp_agg_deserialize(&a, data, len), TP_EPARSE);
    CU_ASSERT_PTR_NULL(a);
    ASSERT_CONTAINS(tp_last_error(), needle);
}

static void test_bad_bytes(void)
{
    tp_agg *kinds[3] = {tiny_agg(TP_AGG_TRANSITIONS, NULL), tiny_agg(TP_AGG_VARIANTS, NULL),
                        NULL};
    ASSERT_OK(tp_agg_new(&kinds[2], TP_AGG_SCORECARD));
    for (int k = 0; k < 3; k++) {
        void *x = NULL;
        size_t xl;
        ASSERT_OK(tp_agg_serialize(kinds[k], &x, &xl));
        unsigned char *b = malloc(xl);
        memcpy(b, x, xl);
        /* every proper prefix is refused (the length field, or truncation) */
        for (size_t n = 0; n < xl; n++) {
            tp_agg *a = NULL;
            CU_ASSERT_EQUAL(tp_agg_deserialize(&a, b, n), TP_EPARSE);
            CU_ASSERT_PTR_NULL(a);
        }
        b[0] = 'X';
        expect_bad(b, xl, "byte 0: magic: not an aggregate");
        b[0] = 'T';
        b[4] = 3;
        expect_bad(b, xl, "format 3 is not known");
        b[4] = 1; /* format 1 differs from 2 in scorecard rows only */
        if (k == 2)
            expect_bad(b, xl, "a format 1 scorecard has no respondents");
        b[4] = 2;
        b[6] = 9;
        expect_bad(b, xl, "unknown kind 9");
        b[6] = x ? ((unsigned char *)x)[6] : 0;
        tp__le64_store(b + 8, xl + 1);
        expect_bad(b, xl, "the header says");
        tp__le64_store(b + 8, xl);
        b[17] = 1;
        expect_bad(b, xl, "flags");
        b[17] = 0;
        tp_agg *ok = NULL;
        ASSERT_OK(tp_agg_deserialize(&ok, b, xl));
        tp_agg_free(ok);
        free(b);
        tp_free(x);
    }
    /* A transitions aggregate: names "website", "store", "email", ... patch
     * the second name into the first: a duplicate. */
    void *x = NULL;
    size_t xl;
    ASSERT_OK(tp_agg_serialize(kinds[0], &x, &xl));
    unsigned char *b = x;
    size_t first = 24 + 8 + 4; /* header, one option, name count */
    uint32_t l0 = tp__le32_load(b + first);
    size_t second = first + 4 + l0;
    uint32_t l1 = tp__le32_load(b + second);
    if (l1 == l0) {
        memcpy(b + second + 4, b + first + 4, l0);
        expect_bad(b, xl, "name: duplicate");
    }
    /* a key id past the names */
    tp__le32_store(b + xl - 12, 0xfffffff0u);
    expect_bad(b, xl, "key: id out of range");
    tp_free(x);
    for (int k = 0; k < 3; k++)
        tp_agg_free(kinds[k]);
    tp_agg *a = NULL;
    CU_ASSERT_EQUAL(tp_agg_deserialize(&a, NULL, 3), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_agg_kind_parse("funnelish", &(tp_agg_kind){0}), TP_EINVAL);
    tp_agg_kind kind;
    ASSERT_OK(tp_agg_kind_parse("variants", &kind));
    CU_ASSERT_EQUAL(kind, TP_AGG_VARIANTS);
    CU_ASSERT_PTR_NULL(tp_agg_kind_name((tp_agg_kind)42));
    CU_ASSERT_EQUAL(tp_agg_new(&a, (tp_agg_kind)42), TP_EINVAL);
}

/* Serialize a, then expect the load to refuse it naming `needle`. */
static void expect_refused(const tp_agg *a, const char *needle)
{
    void *x = NULL;
    size_t xl;
    ASSERT_OK(tp_agg_serialize(a, &x, &xl));
    tp_agg *back = (tp_agg *)1;
    CU_ASSERT_EQUAL(tp_agg_deserialize(&back, x, xl), TP_EPARSE);
    CU_ASSERT_PTR_NULL(back);
    ASSERT_CONTAINS(tp_last_error(), needle);
    tp_free(x);
}

static void expect_loads(const tp_agg *a)
{
    void *x = NULL;
    size_t xl;
    ASSERT_OK(tp_agg_serialize(a, &x, &xl));
    tp_agg *back = NULL;
    ASSERT_OK(tp_agg_deserialize(&back, x, xl));
    tp_agg_free(back);
    tp_free(x);
}

static void set_moments(tp__xmoments *m, uint64_t n, double sum, double sq)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    CU_ASSERT_EQUAL(tp__xsum_add(&m->sum, sum), 0);
    CU_ASSERT_EQUAL(tp__xsum_add(&m->sq, sq), 0);
}

/* Blobs whose counts and sums no data can give are refused on load: one-bit
 * flips of real blobs used to load and finalize to a funnel step with more
 * customers than the step before (conversion 1.5) or a CX index of
 * 1325607277 on its 0-100 scale. Each case starts from a state that loads. */
static void test_impossible_blobs_are_refused(void)
{
    /* Scorecard: one touchpoint; CES answers 6 and 7 (both easy). */
    tp_agg *sc = NULL;
    ASSERT_OK(tp_agg_new(&sc, TP_AGG_SCORECARD));
    sc->empty = 0;
    uint32_t id;
    CU_ASSERT_EQUAL_FATAL(tp__agg_add_name(sc, "store", 5, &id), 0);
    tp__acc *acc = &sc->sc.data[id].acc;
    set_moments(&acc->ces, 2, 13, 85);
    acc->ces_easy = 2;
    set_moments(&acc->all, 2, 100.0 * 5 / 6 + 100, 100.0 * 5 / 6 * 100.0 * 5 / 6 + 10000);
    expect_refused(sc, "respondents: not between 1 and the responses");
    sc->sc.data[id].respondents = 3; /* three customers for two answers */
    expect_refused(sc, "respondents: not between 1 and the responses");
    sc->sc.data[id].respondents = 2;
    sc->sc.data[id].reached = 1; /* reached, but no reach */
    expect_refused(sc, "reached: more than the respondents or the reach");
    sc->sc.data[id].reach = 1;
    expect_loads(sc);
    set_moments(&acc->ces, 2, 20, 200); /* mean 10 on a 1-7 scale */
    expect_refused(sc, "ces: values outside the metric's scale");
    set_moments(&acc->ces, 2, 8, 32); /* values 4 and 4: not easy */
    expect_refused(sc, "ces: values outside");
    set_moments(&acc->ces, 2, 13, 84); /* sum^2 > n sq: a negative variance */
    expect_refused(sc, "ces: values outside");
    set_moments(&acc->ces, 2, 13, 98); /* more spread than 1-7 allows */
    expect_refused(sc, "ces: values outside");
    set_moments(&acc->ces, 2, 13, 85);
    set_moments(&acc->all, 2, 1e9, 1e18); /* the CX index's 0-100 values */
    expect_refused(sc, "all: values outside");
    set_moments(&acc->all, 2, 100, 10000);
    acc->ces_easy = 0;
    acc->ces.n = 0;
    memset(&acc->ces, 0, sizeof acc->ces);
    set_moments(&acc->audit, 2, 150, 12500); /* 100 and 50, one knocked out (score 0) */
    acc->audit_knocked = 1;
    expect_refused(sc, "audit: values outside");
    acc->audit_knocked = 0;
    expect_loads(sc);
    memset(&acc->audit, 0, sizeof acc->audit);
    set_moments(&acc->rating, 2, 6, 20);
    expect_loads(sc);
    set_moments(&acc->rating, 2, 11, 61); /* 5.5 on a 1-5 scale */
    expect_refused(sc, "rating: values outside");
    memset(&acc->rating, 0, sizeof acc->rating);
    set_moments(&acc->sentiment, 2, 0.5, 0.25);
    expect_loads(sc);
    set_moments(&acc->sentiment, 2, 3, 4.5);
    expect_refused(sc, "sentiment: values outside");
    tp_agg_free(sc);

    /* Funnel website -> store over the tiny log: 2 customers reach both. */
    tp_catalog *cat = NULL;
    tp_events *e = tp_test_log(&cat, tiny, sizeof tiny - 1);
    tp_funnel *f = NULL;
    ASSERT_OK(tp_funnel_new(&f));
    ASSERT_OK(tp_funnel_parse(f, "website, email?, store"));
    tp_agg *fu = NULL;
    ASSERT_OK(tp_agg_new(&fu, TP_AGG_FUNNEL));
    ASSERT_OK(tp_agg_add_funnel(fu, e, f, NULL, NULL));
    expect_loads(fu);
    uint32_t step[3] = {0}, delta2 = UINT32_MAX;
    for (uint32_t i = 0; i < tp__ktab_count(&fu->tab); i++) {
        uint32_t j = tp__ktab_key_at(&fu->tab, i, 1);
        if (tp__ktab_key_at(&fu->tab, i, 0) == TP__KEY_STEP)
            step[j] = i;
        else if (j == 2)
            delta2 = i;
    }
    CU_ASSERT_FATAL(delta2 != UINT32_MAX);
    uint64_t *n0 = &fu->tab.rec.data[step[0]].n[0], *n2 = &fu->tab.rec.data[step[2]].n[0];
    uint64_t *d2 = &fu->tab.rec.data[delta2].n[0];
    CU_ASSERT_EQUAL(*n0, 2); /* a and b: website, then store; c saw only email */
    CU_ASSERT_EQUAL(*n2, 2);
    (*n2)++, (*d2)++; /* 3 at the store, 2 at the website */
    expect_refused(fu, "a step has more customers than a step before it");
    (*n2)--;
    expect_refused(fu, "a step's times do not match its customers");
    (*d2)--;
    expect_loads(fu);
    fu->tab.rec.data[step[1]].n[0] = 3; /* the optional step too */
    expect_refused(fu, "a step has more customers than a step before it");
    fu->tab.rec.data[step[1]].n[0] = 0;
    tp_agg_free(fu);
    tp_funnel_free(f);

    /* Variants: a value without a conversion. */
    tp_agg *va = NULL;
    ASSERT_OK(tp_agg_new(&va, TP_AGG_VARIANTS));
    ASSERT_OK(tp_agg_add(va, e, NULL, NULL, NULL));
    expect_loads(va);
    for (uint32_t i = 0; i < tp__ktab_count(&va->tab); i++)
        if (va->tab.rec.data[i].n[1] == 0)
            CU_ASSERT_EQUAL(tp__xsum_add(&va->tab.rec.data[i].x[0], 5.0), 0);
    expect_refused(va, "value beyond what its conversions can hold");
    tp_agg_free(va);
    tp_events_free(e);
    tp_catalog_free(cat);
}

/* Every kind is whole: a way in, a way out, and checks for what it loads. */
static void test_every_kind_has_its_ops(void)
{
    size_t kinds = 0;
    for (size_t k = 0; k < tp__agg_kind_total(); k++) {
        if (!tp__agg_kind_valid((int)k))
            continue;
        kinds++;
        const tp__agg_ops *o = tp__agg_ops_of((tp_agg_kind)k);
        tp_agg_kind back;
        ASSERT_OK(tp_agg_kind_parse(o->name, &back));
        CU_ASSERT_EQUAL(back, (tp_agg_kind)k);
        CU_ASSERT(o->add || o->takes_funnel); /* something adds to it */
        CU_ASSERT_PTR_NOT_NULL(o->render);
        CU_ASSERT(o->nparam <= TP__AGG_MAX_PARAMS);
        for (size_t p = 0; p < o->nparam; p++)
            CU_ASSERT_PTR_NOT_NULL(o->param[p]);
        if (!o->rows_per_name) { /* keyed records: merged and checked by the kind */
            CU_ASSERT_PTR_NOT_NULL(o->key_is_name);
            CU_ASSERT_PTR_NOT_NULL(o->check_key);
            CU_ASSERT_PTR_NOT_NULL(o->check_record);
            CU_ASSERT(o->nc + o->nx > 0);
        }
        CU_ASSERT(!o->nx2 || o->check_whole); /* a second table is checked against the first */
    }
    CU_ASSERT_EQUAL(kinds, 6);
}

static const tp_test tests[] = {TP_TEST(test_every_kind_has_its_ops),
                                TP_TEST(test_impossible_blobs_are_refused),
                                TP_TEST(test_scorecard_partitions),
                                TP_TEST(test_transitions_partitions),
                                TP_TEST(test_variants_partitions),
                                TP_TEST(test_funnel_partitions),
                                TP_TEST(test_markov_partitions),
                                TP_TEST(test_shapley_partitions),
                                TP_TEST(test_paths_partitions),
                                TP_TEST(test_threads_identical),
                                TP_TEST(test_algebra),
                                TP_TEST(test_conflicts),
                                TP_TEST(test_bad_bytes),
                                TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"agg", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
