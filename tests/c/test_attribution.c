/* lib/analysis/{paths,attribution,markov}.c and lib/io/paths_csv.c: every
 * model on path sets worked by hand, Shapley against an enumeration of all
 * orderings written here, and the invariants every model keeps. */
#include <math.h>

#include "testutil.h"
#include "analysis/attribution_internal.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)
#define ASSERT_NEAR(a, b)                                                                     \
    do {                                                                                      \
        double a__ = (a), b__ = (b);                                                          \
        if (!NEAR(a__, b__))                                                                  \
            fprintf(stderr, "\n  line %d: %s = %.12g, want %.12g\n", __LINE__, #a, a__, b__); \
        CU_ASSERT(NEAR(a__, b__));                                                            \
    } while (0)

static void add(tp_paths *p, const char *path, double conv, double value, double nulls)
{
    const char *tok[16];
    char buf[256];
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = strtok(buf, ">"); s && n < 16; s = strtok(NULL, ">")) {
        while (*s == ' ')
            s++;
        char *end = s + strlen(s);
        while (end > s && end[-1] == ' ')
            *--end = '\0';
        tok[n++] = s;
    }
    ASSERT_OK(tp_paths_add(p, tok, n, conv, value, nulls));
}

/* Find the row of (model, touchpoint) and read a double column. */
static double credit(const tp_table *t, const char *model, const char *tp, const char *col)
{
    size_t cm, ct, cc;
    if (tp_table_find_column(t, "model", &cm) != TP_OK ||
        tp_table_find_column(t, "touchpoint", &ct) != TP_OK ||
        tp_table_find_column(t, col, &cc) != TP_OK)
        return NAN;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *m, *x;
        double v = NAN;
        tp_table_get_string(t, r, cm, &m);
        tp_table_get_string(t, r, ct, &x);
        if (!strcmp(m, model) && !strcmp(x, tp)) {
            tp_table_get_double(t, r, cc, &v);
            return v;
        }
    }
    return NAN;
}

static double model_credit(const tp_paths *p, tp_model m, const tp_options *o, const char *tp,
                           const char *col)
{
    tp_table *t = NULL;
    if (tp_attribute(p, m, o, &t) != TP_OK) {
        fprintf(stderr, "\n  %s: %s\n", tp_model_name(m), tp_last_error());
        return NAN;
    }
    double v = credit(t, tp_model_name(m), tp, col);
    tp_table_free(t);
    return v;
}

/* a > b converts once (value 100); a alone is a null; b converts once (value
 * 50) and is a null once. Order 1 on paper:
 *   start -> a 1/2, start -> b 1/2; a -> b 1/2, a -> null 1/2;
 *   b -> conversion 2/3, b -> null 1/3.
 *   x_b = 2/3, x_a = 1/3, P = 1/2. Without a: P = 1/3, effect 1/3. Without b:
 *   P = 0, effect 1. Credit of 2 conversions: a 2 (1/3)/(4/3) = 0.5, b 1.5.
 *   Value: b leaves with 150 over weight 3, so 50 per visit; V = 37.5; without
 *   a 25 (effect 1/3), without b 0: a 150/4 = 37.5, b 112.5. */
static tp_paths *worked_paths(void)
{
    tp_paths *p;
    CU_ASSERT_EQUAL_FATAL(tp_paths_new(&p), TP_OK);
    add(p, "a > b", 1, 100, 0);
    add(p, "a", 0, 0, 1);
    add(p, "b", 1, 50, 1);
    return p;
}

static void test_markov_worked(void)
{
    tp_paths *p = worked_paths();
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "removal_effect"), 1.0 / 3);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "removal_effect"), 1.0);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "conversions"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "conversions"), 1.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "value"), 37.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "value"), 112.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "value_removal_effect"), 1.0 / 3);
    CU_ASSERT(isnan(model_credit(p, TP_MODEL_FIRST, NULL, "a", "removal_effect")));

    /* The chain itself. */
    tp_table *t;
    double pc = -1;
    ASSERT_OK(tp_markov_chain(p, NULL, &t, &pc));
    ASSERT_NEAR(pc, 0.5);
    static const struct {
        const char *from, *to;
        double w, prob;
    } want[] = {{"(start)", "a", 2, 0.5},    {"(start)", "b", 2, 0.5},
                {"a", "b", 1, 0.5},          {"a", "(null)", 1, 0.5},
                {"b", "(conversion)", 2, 2.0 / 3}, {"b", "(null)", 1, 1.0 / 3}};
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 6);
    for (size_t r = 0; r < 6; r++) {
        const char *from, *to;
        double w, prob;
        ASSERT_OK(tp_table_get_string(t, r, 0, &from));
        ASSERT_OK(tp_table_get_string(t, r, 1, &to));
        ASSERT_OK(tp_table_get_double(t, r, 2, &w));
        ASSERT_OK(tp_table_get_double(t, r, 3, &prob));
        CU_ASSERT_STRING_EQUAL(from, want[r].from);
        CU_ASSERT_STRING_EQUAL(to, want[r].to);
        ASSERT_NEAR(w, want[r].w);
        ASSERT_NEAR(prob, want[r].prob);
    }
    tp_table_free(t);
    tp_paths_free(p);
}

/* A cycle: a > b > a converts, b is a null. a -> b 1/2, a -> conversion 1/2,
 * b -> a 1/2, b -> null 1/2, start a 1/2, b 1/2.
 *   x_a = 1/2 + x_b / 2, x_b = x_a / 2: x_a = 2/3, x_b = 1/3, P = 1/2.
 *   Without a: 0 (effect 1). Without b: x_a = 1/2, P = 1/4 (effect 1/2).
 *   One conversion: a 2/3, b 1/3. With self-loops kept, a > a > b gives a
 *   loop a -> a instead of merging. */
static void test_markov_cycle_and_loops(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    add(p, "a > b > a", 1, 0, 0);
    add(p, "b", 0, 0, 1);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "removal_effect"), 1.0);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "removal_effect"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "conversions"), 2.0 / 3);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "conversions"), 1.0 / 3);
    tp_paths_free(p);

    /* a > a > b converts; c is a null. Merged: start -> a -> b -> conversion,
     * P = 1/2, each of a and b essential (effect 1), c 0. Kept: a -> a has
     * weight 1 and a -> b weight 1, so P(a -> a) = 1/2 and x_a is still 1. */
    ASSERT_OK(tp_paths_new(&p));
    add(p, "a > a > b", 1, 0, 0);
    add(p, "c", 0, 0, 1);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    tp_table *t;
    double pc;
    ASSERT_OK(tp_markov_chain(p, o, &t, &pc));
    ASSERT_NEAR(pc, 0.5);
    CU_ASSERT_EQUAL(tp_table_row_count(t), 5); /* start->a, start->c, a->b, b->conv, c->null */
    tp_table_free(t);
    ASSERT_OK(tp_options_set(o, "self_loops", "yes"));
    ASSERT_OK(tp_markov_chain(p, o, &t, &pc));
    ASSERT_NEAR(pc, 0.5);
    CU_ASSERT_EQUAL(tp_table_row_count(t), 6);
    int saw_loop = 0;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        const char *from, *to;
        double prob;
        tp_table_get_string(t, r, 0, &from);
        tp_table_get_string(t, r, 1, &to);
        tp_table_get_double(t, r, 3, &prob);
        if (!strcmp(from, "a") && !strcmp(to, "a")) {
            saw_loop = 1;
            ASSERT_NEAR(prob, 0.5);
        }
    }
    CU_ASSERT(saw_loop);
    tp_table_free(t);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "a", "conversions"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "c", "conversions"), 0.0);
    tp_options_free(o);
    tp_paths_free(p);
}

/* Order 1 keeps the tables' ids of touches and pairs in arrays when the set
 * has at most 1,023 names: the same chain and credit, bit for bit, as the
 * lookups alone, which a set with more names uses (here the extra names sit on
 * a path of weight 0, which adds nothing to the chain). Random paths with
 * repeats and loops, self loops both ways. */
static void test_markov_order1_memo(void)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g"};
    tp_paths *small, *big;
    ASSERT_OK(tp_paths_new(&small));
    ASSERT_OK(tp_paths_new(&big));
    static char text[1100][8];
    const char *many[1100];
    for (int i = 0; i < 1100; i++) {
        snprintf(text[i], sizeof text[i], "x%d", i);
        many[i] = text[i];
    }
    ASSERT_OK(tp_paths_add(big, many, 1100, 0, 0, 0));
    uint64_t x = 7;
    for (int i = 0; i < 3000; i++) {
        const char *tok[9];
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = 1 + (size_t)(x >> 60) % 9;
        for (size_t j = 0; j < n; j++)
            tok[j] = names[(x >> (8 + 5 * j)) % 7];
        double conv = (x >> 40) % 5 == 0, nulls = 1 - conv, value = conv * (double)(x % 200);
        ASSERT_OK(tp_paths_add(small, tok, n, conv, value, nulls));
        ASSERT_OK(tp_paths_add(big, tok, n, conv, value, nulls));
    }
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    for (int loops = 0; loops < 2; loops++) {
        ASSERT_OK(tp_options_set(o, "self_loops", loops ? "yes" : "no"));
        tp_table *ta, *tb;
        double pa, pb;
        ASSERT_OK(tp_markov_chain(small, o, &ta, &pa));
        ASSERT_OK(tp_markov_chain(big, o, &tb, &pb));
        CU_ASSERT_EQUAL(memcmp(&pa, &pb, sizeof pa), 0);
        CU_ASSERT_TRUE(tp_table_row_count(ta) > 20);
        char *va = NULL, *vb = NULL; /* every probability and weight, to 17 digits */
        ASSERT_OK(tp_table_format(ta, TP_FORMAT_CSV, &va, NULL));
        ASSERT_OK(tp_table_format(tb, TP_FORMAT_CSV, &vb, NULL));
        CU_ASSERT_STRING_EQUAL(va, vb);
        tp_free(va);
        tp_free(vb);
        tp_table_free(ta);
        tp_table_free(tb);
        for (size_t k = 0; k < 7; k++) {
            double ca = model_credit(small, TP_MODEL_MARKOV, o, names[k], "removal_effect");
            double cb = model_credit(big, TP_MODEL_MARKOV, o, names[k], "removal_effect");
            CU_ASSERT_EQUAL(memcmp(&ca, &cb, sizeof ca), 0);
        }
    }
    tp_options_free(o);
    tp_paths_free(small);
    tp_paths_free(big);
}

/* Order 2: a > b > c converts, a > c is a null (one state of two touches), c
 * converts (one state of one touch). Start: (a,b), (a,c), (c) a third each;
 * P = 2/3. Without a: only (c) is left, P = 1/3 (effect 1/2). Without b: (c)
 * and (a,c) are left, P = 1/3 (1/2). Without c: (a,b) leads to the removed
 * (b,c), P = 0 (1). Two conversions: a 0.5, b 0.5, c 1. */
static void test_markov_order2(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    add(p, "a > b > c", 1, 0, 0);
    add(p, "a > c", 0, 0, 1);
    add(p, "c", 1, 0, 0);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_int(o, TP_OPT_ORDER, 2));
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "a", "removal_effect"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "b", "removal_effect"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "c", "removal_effect"), 1.0);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "a", "conversions"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "c", "conversions"), 1.0);
    tp_table *t;
    double pc;
    ASSERT_OK(tp_markov_chain(p, o, &t, &pc));
    ASSERT_NEAR(pc, 2.0 / 3);
    const char *from, *to;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &from));
    ASSERT_OK(tp_table_get_string(t, 0, 1, &to));
    CU_ASSERT_STRING_EQUAL(from, "(start)");
    CU_ASSERT_STRING_EQUAL(to, "a > b"); /* ties by first appearance */
    tp_table_free(t);
    tp_options_free(o);
    tp_paths_free(p);
}

/* a > b > c: 2 conversions (100); b: 1 (10); c > a: 1 (30); a: 5 nulls.
 * first a 2, b 1, c 1; last c 2, b 1, a 1; linear a 2/3 + 1/2, b 2/3 + 1,
 * c 2/3 + 1/2; position (40/20/40, two touches 50/50) a .8 + .5, b .4 + 1,
 * c .8 + .5. */
static void test_heuristics(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    add(p, "a > b > c", 2, 100, 0);
    add(p, "b", 1, 10, 0);
    add(p, "c > a", 1, 30, 0);
    add(p, "a", 0, 0, 5);
    CU_ASSERT_EQUAL(tp_paths_count(p), 4);
    ASSERT_NEAR(tp_paths_conversions(p), 4);
    ASSERT_NEAR(tp_paths_value(p), 140);
    ASSERT_NEAR(tp_paths_nulls(p), 5);
    CU_ASSERT_EQUAL(tp_paths_has_times(p), 0);
    static const struct {
        tp_model m;
        double a, b, c, va, vb, vc;
    } want[] = {
        {TP_MODEL_FIRST, 2, 1, 1, 100, 10, 30},
        {TP_MODEL_LAST, 1, 1, 2, 30, 10, 100},
        {TP_MODEL_LINEAR, 7.0 / 6, 5.0 / 3, 7.0 / 6, 100.0 / 3 + 15, 100.0 / 3 + 10,
         100.0 / 3 + 15},
        {TP_MODEL_POSITION, 1.3, 1.4, 1.3, 40 + 15, 20 + 10, 40 + 15},
        {TP_MODEL_SHAPLEY_SIMPLIFIED, 7.0 / 6, 5.0 / 3, 7.0 / 6, 100.0 / 3 + 15,
         100.0 / 3 + 10, 100.0 / 3 + 15},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "a", "conversions"), want[i].a);
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "b", "conversions"), want[i].b);
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "c", "conversions"), want[i].c);
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "a", "value"), want[i].va);
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "b", "value"), want[i].vb);
        ASSERT_NEAR(model_credit(p, want[i].m, NULL, "c", "value"), want[i].vc);
    }
    ASSERT_NEAR(model_credit(p, TP_MODEL_FIRST, NULL, "a", "share"), 0.5);
    /* Position shares are options; first + last above 1 is refused. */
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set_double(o, TP_OPT_POSITION_FIRST, 0.5));
    ASSERT_OK(tp_options_set_double(o, TP_OPT_POSITION_LAST, 0.3));
    /* a > b > c: .5/.2/.3 x 2; c > a: 0.5/0.3 normalised to 5/8, 3/8. */
    ASSERT_NEAR(model_credit(p, TP_MODEL_POSITION, o, "a", "conversions"), 1.0 + 3.0 / 8);
    ASSERT_NEAR(model_credit(p, TP_MODEL_POSITION, o, "c", "conversions"), 0.6 + 5.0 / 8);
    ASSERT_OK(tp_options_set_double(o, TP_OPT_POSITION_LAST, 0.6));
    tp_table *t;
    ASSERT_STATUS(tp_attribute(p, TP_MODEL_POSITION, o, &t), TP_EINVAL);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_CONTAINS(tp_last_error(), "exceed 1");
    /* Path aggregates have no times. */
    ASSERT_STATUS(tp_attribute(p, TP_MODEL_TIME_DECAY, NULL, &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "time-decay needs touch times");
    tp_options_free(o);
    tp_paths_free(p);
}

/* ---- Shapley by enumeration of every ordering of the players ---- */

typedef struct row {
    unsigned set;
    double conv, nulls, value;
} row;

static double coalition(const row *rows, size_t n, unsigned s, int rate, int use_value)
{
    double num = 0, journeys = 0;
    for (size_t i = 0; i < n; i++)
        if ((rows[i].set & ~s) == 0) {
            num += use_value ? rows[i].value : rows[i].conv;
            journeys += rows[i].conv + rows[i].nulls;
        }
    return rate ? (journeys > 0 ? num / journeys : 0) : num;
}

/* Mean marginal contribution over the 3! orderings. */
static void shapley_by_orderings(const row *rows, size_t n, int rate, int use_value,
                                 double phi[3])
{
    static const int perm[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                   {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    phi[0] = phi[1] = phi[2] = 0;
    for (int k = 0; k < 6; k++) {
        unsigned s = 0;
        for (int j = 0; j < 3; j++) {
            int player = perm[k][j];
            double before = coalition(rows, n, s, rate, use_value);
            s |= 1u << player;
            phi[player] += (coalition(rows, n, s, rate, use_value) - before) / 6;
        }
    }
}

static void test_shapley(void)
{
    /* Players a = bit 0, b = bit 1, c = bit 2. */
    static const row rows[] = {{7, 2, 1, 100}, {2, 1, 3, 10}, {5, 1, 0, 30},
                               {1, 0, 5, 0},   {3, 3, 2, 60}, {4, 0, 4, 0}};
    static const char *const path_of[] = {"a > b > c", "b", "c > a", "a", "b > a", "c"};
    static const char *const name[] = {"a", "b", "c"};
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    for (size_t i = 0; i < 6; i++)
        add(p, path_of[i], rows[i].conv, rows[i].value, rows[i].nulls);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    double total = 0, total_value = 0;
    for (size_t i = 0; i < 6; i++)
        total += rows[i].conv, total_value += rows[i].value;
    for (int rate = 0; rate < 2; rate++) {
        ASSERT_OK(tp_options_set(o, "shapley_value", rate ? "rate" : "conversions"));
        double phi[3], vphi[3];
        shapley_by_orderings(rows, 6, rate, 0, phi);
        shapley_by_orderings(rows, 6, rate, 1, vphi);
        double sum = phi[0] + phi[1] + phi[2], vsum = vphi[0] + vphi[1] + vphi[2];
        for (int k = 0; k < 3; k++) {
            /* Conversions are already totals; rates are scaled to the total. */
            double want = rate ? total * phi[k] / sum : phi[k];
            double want_value = rate ? total_value * vphi[k] / vsum : vphi[k];
            ASSERT_NEAR(model_credit(p, TP_MODEL_SHAPLEY, o, name[k], "conversions"), want);
            ASSERT_NEAR(model_credit(p, TP_MODEL_SHAPLEY, o, name[k], "value"), want_value);
            if (!rate) /* Zhao's form equals exact Shapley for this game */
                ASSERT_NEAR(model_credit(p, TP_MODEL_SHAPLEY_SIMPLIFIED, o, name[k],
                                         "conversions"),
                            want);
        }
    }
    tp_options_free(o);
    tp_paths_free(p);
}

/* ---- invariants ---- */

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Pseudo-random paths over `nch` channels, added in forward or reverse order. */
static tp_paths *random_paths(int nch, int reverse, uint32_t seed)
{
    enum { N = 300 };
    static const char *const ch[] = {"ads", "email", "search", "social", "store", "web"};
    static const char *tok[N][6];
    static size_t len[N];
    static double conv[N], value[N], nulls[N];
    uint32_t s = seed;
    for (int i = 0; i < N; i++) {
        len[i] = 1 + lcg(&s) % 6;
        for (size_t k = 0; k < len[i]; k++)
            tok[i][k] = ch[lcg(&s) % (uint32_t)nch];
        conv[i] = lcg(&s) % 3;
        value[i] = conv[i] * (double)(lcg(&s) % 100);
        nulls[i] = lcg(&s) % 4;
    }
    tp_paths *p = NULL;
    if (tp_paths_new(&p) != TP_OK)
        return NULL;
    for (int j = 0; j < N; j++) {
        int i = reverse ? N - 1 - j : j;
        if (tp_paths_add(p, tok[i], len[i], conv[i], value[i], nulls[i]) != TP_OK)
            fprintf(stderr, "%s\n", tp_last_error());
    }
    return p;
}

/* Every Markov result through the iteration (tp__markov_direct_max 0) against
 * KLU: the worked cycle examples by hand, then random path sets of orders 1-3,
 * with and without self-loops, credit columns within 1e-12. */
static void markov_both(tp_paths *p, tp_options *o, tp_table **direct, tp_table **iterated)
{
    size_t keep = tp__markov_direct_max;
    ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, o, direct));
    unsigned long before = tp__markov_iterated;
    tp__markov_direct_max = 0;
    tp_status st = tp_attribute(p, TP_MODEL_MARKOV, o, iterated);
    tp__markov_direct_max = keep;
    ASSERT_OK(st);
    CU_ASSERT(tp__markov_iterated > before); /* the iteration really ran */
}

/* Random paths over `ntp` touchpoints named t0, t1, ... */
static tp_paths *wide_paths(int ntp, int npaths, uint32_t seed)
{
    tp_paths *p = NULL;
    if (tp_paths_new(&p) != TP_OK)
        return NULL;
    static char names[4096][8];
    const char *tok[8];
    for (int i = 0; i < ntp && i < 4096; i++)
        snprintf(names[i], sizeof names[i], "t%d", i);
    uint32_t s = seed;
    for (int i = 0; i < npaths; i++) {
        size_t len = 2 + lcg(&s) % 6;
        for (size_t k = 0; k < len; k++)
            tok[k] = names[lcg(&s) % (uint32_t)ntp];
        double conv = lcg(&s) % 3 == 0;
        if (tp_paths_add(p, tok, len, conv, 10 * conv, 1 - conv) != TP_OK) {
            tp_paths_free(p);
            return NULL;
        }
    }
    return p;
}

/* The cost of an exact Markov solve is estimated before it starts: over the
 * limit (markov_max_work) it is refused at once, naming the estimate and the
 * option; under it, the answer is the one without a limit. 2,000 touchpoints
 * took over five minutes (a factorization per removal); the removals now come
 * from one factorization. */
static void test_markov_work_limit(void)
{
    tp_paths *p = wide_paths(400, 3000, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    tp_table *t = NULL, *chain = NULL;
    ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 400);
    tp_table_free(t);
    ASSERT_OK(tp_options_set(o, "markov_max_work", "1e6"));
    t = (tp_table *)1;
    ASSERT_STATUS(tp_attribute(p, TP_MODEL_MARKOV, o, &t), TP_ELIMIT);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_CONTAINS(tp_last_error(), "attribution over 400 touchpoints (400 states)");
    ASSERT_CONTAINS(tp_last_error(), "more than the limit of 1e+06 (option markov_max_work");
    double p_conv;
    ASSERT_STATUS(tp_markov_chain(p, o, &chain, &p_conv), TP_ELIMIT);
    ASSERT_CONTAINS(tp_last_error(), "solving it exactly");
    /* the other models do not read it */
    ASSERT_OK(tp_attribute(p, TP_MODEL_LINEAR, NULL, &t));
    tp_table_free(t);
    ASSERT_STATUS(tp_options_set(o, "markov_max_work", "10"), TP_EINVAL);
    tp_options_free(o);
    tp_paths_free(p);
}

typedef struct progress_seen {
    uint64_t calls, last_done, total, stop_at;
    int monotone;
} progress_seen;

static int on_progress(void *data, uint64_t done, uint64_t total)
{
    progress_seen *p = data;
    p->calls++;
    p->monotone &= done > p->last_done && done <= total && (!p->total || total == p->total);
    p->last_done = done;
    p->total = total;
    return p->stop_at && p->calls >= p->stop_at;
}

/* The progress callback sees every solve of a Markov attribution (the full
 * chain, then each removal) on the calling thread, in order, whatever the
 * thread count; returning nonzero stops it with TP_ECANCELED and no table. */
static void test_markov_progress_and_cancel(void)
{
    tp_paths *p = wide_paths(300, 2000, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    tp_table *plain = NULL, *t = NULL;
    ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, NULL, &plain));
    for (int threads = 1; threads <= 2; threads++) {
        /* both methods: removals from the factors, and each on its own */
        for (int own = 0; own <= 1; own++) {
            tp_options *o;
            ASSERT_OK(tp_options_new(&o));
            ASSERT_OK(tp_options_set_int(o, TP_OPT_THREADS, threads));
            progress_seen seen = {0, 0, 0, 0, 1};
            ASSERT_OK(tp_options_set_progress(o, on_progress, &seen));
            size_t schur = tp__markov_schur_max;
            tp__markov_schur_max = own ? 0 : schur;
            tp_status st = tp_attribute(p, TP_MODEL_MARKOV, o, &t);
            ASSERT_OK(st);
            CU_ASSERT(seen.monotone);
            CU_ASSERT_EQUAL(seen.last_done, seen.total);
            CU_ASSERT_EQUAL(seen.total, 1 + tp_table_row_count(t));
            CU_ASSERT(seen.calls >= (own ? 2 : seen.total));
            char *a, *b;
            size_t la, lb;
            ASSERT_OK(tp_table_format(plain, TP_FORMAT_CSV, &a, &la));
            ASSERT_OK(tp_table_format(t, TP_FORMAT_CSV, &b, &lb));
            if (!own)
                CU_ASSERT_STRING_EQUAL(a, b); /* the callback changes nothing */
            tp_free(a);
            tp_free(b);
            tp_table_free(t);
            /* stop at the third call */
            progress_seen stop = {0, 0, 0, 3, 1};
            ASSERT_OK(tp_options_set_progress(o, on_progress, &stop));
            t = (tp_table *)1;
            st = tp_attribute(p, TP_MODEL_MARKOV, o, &t);
            tp__markov_schur_max = schur;
            ASSERT_STATUS(st, TP_ECANCELED);
            CU_ASSERT_PTR_NULL(t);
            CU_ASSERT_EQUAL(stop.calls, 3);
            ASSERT_CONTAINS(tp_last_error(), "cancelled by the progress callback");
            CU_ASSERT_STRING_EQUAL(tp_status_str(TP_ECANCELED), "cancelled");
            ASSERT_OK(tp_options_set_progress(o, NULL, NULL));
            ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, o, &t));
            tp_table_free(t);
            tp_options_free(o);
        }
    }
    ASSERT_STATUS(tp_options_set_progress(NULL, on_progress, NULL), TP_EINVAL);
    tp_table_free(plain);
    tp_paths_free(p);
}

/* Removals solved each on its own (tp__markov_schur_max 0) give the worked
 * example's effects, whether the ordering made when pricing each is kept for
 * its solve or made again (tp__markov_prepared_max 0), including a removal
 * that leaves no state able to convert (b: every conversion passes it). */
static void test_markov_own_removals(void)
{
    tp_paths *p = worked_paths();
    size_t schur = tp__markov_schur_max, prepared = tp__markov_prepared_max;
    for (int again = 0; again <= 1; again++) {
        tp__markov_schur_max = 0;
        tp__markov_prepared_max = again ? 0 : prepared;
        double ea = model_credit(p, TP_MODEL_MARKOV, NULL, "a", "removal_effect");
        double eb = model_credit(p, TP_MODEL_MARKOV, NULL, "b", "removal_effect");
        double ca = model_credit(p, TP_MODEL_MARKOV, NULL, "a", "conversions");
        tp__markov_schur_max = schur;
        tp__markov_prepared_max = prepared;
        ASSERT_NEAR(ea, 1.0 / 3);
        ASSERT_NEAR(eb, 1.0);
        ASSERT_NEAR(ca, 0.5);
    }
    tp_paths_free(p);
}

static void test_markov_iterative(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    add(p, "a > b > a", 1, 0, 0);
    add(p, "b", 0, 0, 1);
    size_t keep = tp__markov_direct_max;
    tp__markov_direct_max = 0;
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "removal_effect"), 1.0);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "b", "removal_effect"), 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, NULL, "a", "conversions"), 2.0 / 3);
    tp__markov_direct_max = keep;
    tp_paths_free(p);
    /* A chain that cycles 1,000 times on average before it ends: the iteration
     * sees its mass decay too slowly to settle within 2,000 sweeps and gives
     * up at its first check, and the full chain's factors answer the removals
     * as well, so the table is the direct one. */
    ASSERT_OK(tp_paths_new(&p));
    static const char *ab[2000];
    for (int i = 0; i < 2000; i++)
        ab[i] = i % 2 ? "b" : "a";
    ASSERT_OK(tp_paths_add(p, ab, 2000, 1, 10, 0));
    ASSERT_OK(tp_paths_add(p, ab, 1, 0, 0, 1));
    tp_table *slow_a, *slow_b;
    unsigned long before = tp__markov_iterated;
    ASSERT_OK(tp_attribute(p, TP_MODEL_MARKOV, NULL, &slow_a));
    tp__markov_direct_max = 0;
    tp_status slow_st = tp_attribute(p, TP_MODEL_MARKOV, NULL, &slow_b);
    tp__markov_direct_max = keep;
    ASSERT_OK(slow_st);
    /* no solve finished by iteration: the removals came from the factors */
    CU_ASSERT_EQUAL(tp__markov_iterated, before);
    char *ta, *tb;
    size_t la, lb;
    ASSERT_OK(tp_table_format(slow_a, TP_FORMAT_CSV, &ta, &la));
    ASSERT_OK(tp_table_format(slow_b, TP_FORMAT_CSV, &tb, &lb));
    CU_ASSERT_STRING_EQUAL(ta, tb);
    tp_free(ta);
    tp_free(tb);
    tp_table_free(slow_a);
    tp_table_free(slow_b);
    tp_paths_free(p);
    static const char *const cols[] = {"conversions", "value", "removal_effect", "share"};
    for (uint32_t seed = 1; seed <= 3; seed++) {
        p = random_paths(6, 0, seed);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        for (int order = 1; order <= 3; order++)
            for (int loops = 0; loops <= 1; loops++) {
                tp_options *o;
                ASSERT_OK(tp_options_new(&o));
                char k[4];
                snprintf(k, sizeof k, "%d", order);
                ASSERT_OK(tp_options_set(o, "order", k));
                ASSERT_OK(tp_options_set(o, "self_loops", loops ? "yes" : "no"));
                tp_table *a, *b, *refactored;
                markov_both(p, o, &a, &b);
                /* Removals from the full chain's factors (the default) against
                 * one factorization per removal. */
                size_t schur = tp__markov_schur_max;
                tp__markov_schur_max = 0;
                tp_status rst = tp_attribute(p, TP_MODEL_MARKOV, o, &refactored);
                tp__markov_schur_max = schur;
                ASSERT_OK(rst);
                for (int pass = 0; pass < 2; pass++) {
                    if (pass == 1) {
                        tp_table_free(b);
                        b = refactored;
                    }
                    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(a), tp_table_row_count(b));
                    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
                        size_t ca = (size_t)-1;
                        for (size_t j = 0; j < tp_table_column_count(a); j++)
                            if (!strcmp(tp_table_column_name(a, j), cols[c]))
                                ca = j;
                        CU_ASSERT_FATAL(ca != (size_t)-1);
                        for (size_t r = 0; r < tp_table_row_count(a); r++) {
                            double x = NAN, y = NAN;
                            tp_table_get_double(a, r, ca, &x);
                            tp_table_get_double(b, r, ca, &y);
                            if (!(fabs(x - y) <= 1e-12 * (1 + fabs(x))))
                                fprintf(stderr, "\n  seed %u order %d loops %d %s row %zu: %.17g vs %.17g\n",
                                        seed, order, loops, cols[c], r, x, y);
                            CU_ASSERT(fabs(x - y) <= 1e-12 * (1 + fabs(x)));
                        }
                    }
                }
                tp_table_free(a);
                tp_table_free(b);
                tp_options_free(o);
            }
        tp_paths_free(p);
    }
}

static void test_invariants(void)
{
    tp_paths *p = random_paths(6, 0, 7), *q = random_paths(6, 1, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    static const char *const ch[] = {"ads", "email", "search", "social", "store", "web"};
    for (int order = 1; order <= 3; order++) {
        ASSERT_OK(tp_options_set_int(o, TP_OPT_ORDER, order));
        tp_table *t, *u;
        ASSERT_OK(tp_attribute(p, TP_MODEL_ALL, o, &t));
        ASSERT_OK(tp_attribute(q, TP_MODEL_ALL, o, &u));
        /* every model that applies to path aggregates, 6 channels each */
        CU_ASSERT_EQUAL(tp_table_row_count(t), 7 * 6);
        for (int m = 0; m < TP_MODEL_ALL; m++) {
            if (m == TP_MODEL_TIME_DECAY)
                continue;
            double sum = 0, vsum = 0;
            for (int k = 0; k < 6; k++) {
                double x = credit(t, tp_model_name((tp_model)m), ch[k], "conversions");
                double y = credit(u, tp_model_name((tp_model)m), ch[k], "conversions");
                sum += x;
                vsum += credit(t, tp_model_name((tp_model)m), ch[k], "value");
                /* credit is 0 or at least 1e-9 of the total, never solver noise */
                CU_ASSERT(x == 0 || fabs(x) >= 1e-9 * tp_paths_conversions(p));
                CU_ASSERT(fabs(x - y) < 1e-9 * (1 + fabs(x))); /* input order */
            }
            ASSERT_NEAR(sum / tp_paths_conversions(p), 1.0);
            ASSERT_NEAR(vsum / tp_paths_value(p), 1.0);
        }
        tp_table_free(t);
        tp_table_free(u);
    }
    tp_paths_free(p);
    tp_paths_free(q);

    /* One channel takes everything, whatever the order. */
    p = random_paths(1, 0, 11);
    for (int order = 1; order <= 3; order++) {
        ASSERT_OK(tp_options_set_int(o, TP_OPT_ORDER, order));
        ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "ads", "share"), 1.0);
        ASSERT_NEAR(model_credit(p, TP_MODEL_MARKOV, o, "ads", "removal_effect"), 1.0);
    }
    tp_paths_free(p);
    tp_options_free(o);
}

/* The mean credit of row @p r over the models that apply (independent of the
 * library's ranking: read back from the table's own columns). */
static double mean_credit(const tp_table *t, size_t r)
{
    double sum = 0, v;
    int n = 0;
    for (size_t c = 1; c < tp_table_column_count(t); c++)
        if (!tp_table_is_null(t, r, c) && tp_table_get_double(t, r, c, &v) == TP_OK) {
            sum += v;
            n++;
        }
    return n ? sum / n : 0;
}

/* Every model side by side, the largest credit first. b starts both
 * converting paths, so it takes every first-touch conversion (2) and more
 * credit than a in every model but last touch. */
static void test_compare(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    add(p, "b > a", 1, 10, 0);
    add(p, "a", 0, 0, 1);
    add(p, "b", 1, 5, 0);
    tp_table *t;
    ASSERT_OK(tp_attribution_compare(p, NULL, &t));
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(t), 2);
    CU_ASSERT_EQUAL_FATAL(tp_table_column_count(t), 9);
    const char *s;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &s));
    CU_ASSERT_STRING_EQUAL(s, "b"); /* by credit, not by name */
    CU_ASSERT(mean_credit(t, 0) >= mean_credit(t, 1));
    size_t col;
    ASSERT_OK(tp_table_find_column(t, "first", &col));
    double v;
    ASSERT_OK(tp_table_get_double(t, 0, col, &v));
    ASSERT_NEAR(v, 2.0); /* b is first on both converting paths */
    ASSERT_OK(tp_table_find_column(t, "time_decay", &col));
    CU_ASSERT(tp_table_is_null(t, 0, col)); /* no times in aggregates */
    tp_table_free(t);
    tp_paths_free(p);

    /* on random paths: rows in non-increasing mean credit, ties by name */
    p = random_paths(6, 0, 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ASSERT_OK(tp_attribution_compare(p, NULL, &t));
    for (size_t r = 1; r < tp_table_row_count(t); r++) {
        double a = mean_credit(t, r - 1), b = mean_credit(t, r);
        const char *na, *nb;
        tp_table_get_string(t, r - 1, 0, &na);
        tp_table_get_string(t, r, 0, &nb);
        CU_ASSERT(a > b || (a == b && strcmp(na, nb) < 0));
    }
    tp_table_free(t);
    tp_paths_free(p);

    tp_model m;
    ASSERT_OK(tp_model_parse("time_decay", &m));
    CU_ASSERT_EQUAL(m, TP_MODEL_TIME_DECAY);
    ASSERT_STATUS(tp_model_parse("w-shaped", &m), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "shapley-simplified");
    CU_ASSERT_STRING_EQUAL(tp_model_name(TP_MODEL_POSITION), "position");
}

/* From events: c1 touches web at day 0 and shop at day 7 and converts at day
 * 14 (70); c2 touches web and exits. Half-life 7 days: web weighs 2^-2,
 * shop 2^-1, so web 1/3 and shop 2/3 of the conversion. */
static void test_from_events_time_decay(void)
{
    static const char log_csv[] = "customer_id,timestamp,touchpoint,type,value\n"
                                  "c1,0,web,interaction,\n"
                                  "c2,0,web,interaction,\n"
                                  "c1,604800,shop,interaction,\n"
                                  "c2,10,web,exit,\n"
                                  "c1,1209600,checkout,conversion,70\n";
    tp_catalog *c = NULL;
    tp_events *e = tp_test_log(&c, log_csv, sizeof log_csv - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    tp_paths *p;
    ASSERT_OK(tp_paths_from_events(&p, e, NULL, NULL));
    CU_ASSERT_EQUAL(tp_paths_count(p), 2);
    ASSERT_NEAR(tp_paths_conversions(p), 1);
    ASSERT_NEAR(tp_paths_nulls(p), 1);
    ASSERT_NEAR(tp_paths_value(p), 70);
    CU_ASSERT_EQUAL(tp_paths_has_times(p), 1);
    ASSERT_NEAR(model_credit(p, TP_MODEL_TIME_DECAY, NULL, "web", "conversions"), 1.0 / 3);
    ASSERT_NEAR(model_credit(p, TP_MODEL_TIME_DECAY, NULL, "shop", "value"), 140.0 / 3);
    /* The conversion's touchpoint is credited only on request. */
    CU_ASSERT(isnan(model_credit(p, TP_MODEL_LAST, NULL, "checkout", "conversions")));
    tp_paths_free(p);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "credit_conversion", "yes"));
    ASSERT_OK(tp_options_set(o, "half_life", "14d"));
    ASSERT_OK(tp_paths_from_events(&p, e, NULL, o));
    ASSERT_NEAR(model_credit(p, TP_MODEL_LAST, o, "checkout", "conversions"), 1.0);
    /* web 2^-1, shop 2^-0.5, checkout 1 */
    double w = 0.5, s = pow(2, -0.5), k = 1, sum = w + s + k;
    ASSERT_NEAR(model_credit(p, TP_MODEL_TIME_DECAY, o, "web", "conversions"), w / sum);
    tp_table *t;
    ASSERT_OK(tp_paths_to_table(p, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 2);
    const char *path;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &path));
    CU_ASSERT_STRING_EQUAL(path, "web > shop > checkout");
    tp_table_free(t);
    /* Adding a path without times drops time-decay. */
    const char *one[] = {"web"};
    ASSERT_OK(tp_paths_add(p, one, 1, 1, 0, 0));
    CU_ASSERT_EQUAL(tp_paths_has_times(p), 0);
    tp_paths_free(p);
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(c);
}

static void test_paths_csv(void)
{
    static const char csv[] = "path,conversions,value,nulls\n"
                              "search > web > web,3,120.5,10\n"
                              "\"ads >  > web\",1,,2\n"   /* empty token dropped */
                              "web,-1,0,0\n"              /* line 4: negative */
                              " > ,1,0,0\n"               /* line 5: no touchpoint */
                              "email > web,x,0,0\n"       /* line 6: not a number */
                              "ads,0,0,4\n";
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    tp_read_log *rep;
    ASSERT_OK(tp_read_log_new(&rep));
    ASSERT_OK(tp_paths_read_csv_buffer(p, csv, sizeof csv - 1, "paths.csv", NULL, NULL, rep));
    CU_ASSERT_EQUAL(tp_paths_count(p), 3);
    ASSERT_NEAR(tp_paths_conversions(p), 4);
    ASSERT_NEAR(tp_paths_value(p), 120.5);
    ASSERT_NEAR(tp_paths_nulls(p), 16);
    CU_ASSERT_EQUAL(tp_read_log_rows_rejected(rep), 3);
    CU_ASSERT_EQUAL(tp_read_log_issue_line(rep, 0), 4);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(rep, 0), "conversions");
    CU_ASSERT_EQUAL(tp_read_log_issue_line(rep, 1), 5);
    CU_ASSERT_STRING_EQUAL(tp_read_log_issue_field(rep, 1), "path");
    CU_ASSERT_EQUAL(tp_read_log_issue_line(rep, 2), 6);
    /* Round trip through the aggregate table and CSV. */
    tp_table *t;
    ASSERT_OK(tp_paths_to_table(p, NULL, &t));
    const char *s;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &s));
    CU_ASSERT_STRING_EQUAL(s, "search > web > web");
    ASSERT_OK(tp_table_get_string(t, 1, 0, &s));
    CU_ASSERT_STRING_EQUAL(s, "ads"); /* weight 4 */
    char *text;
    size_t len;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_CSV, &text, &len));
    tp_paths *q;
    ASSERT_OK(tp_paths_new(&q));
    ASSERT_OK(tp_paths_read_csv_buffer(q, text, len, "again", NULL, NULL, NULL));
    CU_ASSERT_EQUAL(tp_paths_count(q), 3);
    ASSERT_NEAR(tp_paths_value(q), 120.5);
    ASSERT_NEAR(model_credit(q, TP_MODEL_LINEAR, NULL, "web", "conversions"),
                model_credit(p, TP_MODEL_LINEAR, NULL, "web", "conversions"));
    tp_free(text);
    tp_table_free(t);
    tp_paths_free(q);

    /* Strict mode: the first bad row fails the read and nothing is added. */
    tp_read_options ro;
    tp_read_options_init(&ro, TP_READ_OPTIONS_VERSION);
    ro.on_error = TP_ON_ERROR_STOP;
    ASSERT_STATUS(tp_paths_read_csv_buffer(p, csv, sizeof csv - 1, "paths.csv", NULL, &ro, NULL),
                  TP_EVALIDATE);
    ASSERT_CONTAINS(tp_last_error(), "paths.csv:4");
    ASSERT_CONTAINS(tp_last_error(), "conversions");
    CU_ASSERT_EQUAL(tp_paths_count(p), 3);
    ASSERT_NEAR(tp_paths_conversions(p), 4);

    /* Other tools' header names, another separator; a missing column. */
    static const char other[] = "total_conversions;path;total_null\n2;a|b;1\n";
    ro.on_error = TP_ON_ERROR_SKIP;
    ro.delimiter = ';';
    ASSERT_OK(tp_paths_read_csv_buffer(p, other, sizeof other - 1, "other", "|", &ro, NULL));
    CU_ASSERT_EQUAL(tp_paths_count(p), 4);
    ASSERT_NEAR(tp_paths_conversions(p), 6);
    static const char none[] = "path,value\na,1\n";
    ASSERT_STATUS(tp_paths_read_csv_buffer(p, none, sizeof none - 1, "none", NULL, NULL, NULL),
                  TP_EPARSE);
    ASSERT_CONTAINS(tp_last_error(), "conversions");
    ASSERT_STATUS(tp_paths_read_csv_buffer(p, other, sizeof other - 1, "x", ";", &ro, NULL),
                  TP_EINVAL);
    ASSERT_STATUS(tp_paths_read_csv(p, fixture("no-such-file.csv"), NULL, NULL, NULL), TP_EIO);
    CU_ASSERT_EQUAL(tp_paths_count(p), 4);
    const char *bad[] = {"ok", ""};
    ASSERT_STATUS(tp_paths_add(p, bad, 2, 1, 0, 0), TP_EINVAL);
    ASSERT_STATUS(tp_paths_add(p, bad, 1, NAN, 0, 0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_paths_count(p), 4);
    tp_read_log_free(rep);
    tp_paths_free(p);
}

static void test_shapley_limit(void)
{
    tp_paths *p;
    ASSERT_OK(tp_paths_new(&p));
    char names[21][8];
    const char *tok[21];
    for (int i = 0; i < 21; i++) {
        snprintf(names[i], sizeof names[i], "t%02d", i);
        tok[i] = names[i];
    }
    ASSERT_OK(tp_paths_add(p, tok, 21, 1, 0, 0));
    ASSERT_OK(tp_paths_add(p, tok, 2, 1, 0, 3));
    /* Conversions game: exact through the dividends, t00 gets 1/21 + 1/2. */
    ASSERT_NEAR(model_credit(p, TP_MODEL_SHAPLEY, NULL, "t00", "conversions"), 1.0 / 21 + 0.5);
    ASSERT_NEAR(model_credit(p, TP_MODEL_SHAPLEY, NULL, "t20", "conversions"), 1.0 / 21);
    tp_table *t;
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "shapley_value", "rate"));
    ASSERT_STATUS(tp_attribute(p, TP_MODEL_SHAPLEY, o, &t), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "limited to 20");
    /* "all" leaves the rate game out instead of failing. */
    ASSERT_OK(tp_attribute(p, TP_MODEL_ALL, o, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 6 * 21);
    ASSERT_NEAR(credit(t, "shapley-simplified", "t05", "conversions"), 1.0 / 21);
    tp_table_free(t);
    ASSERT_OK(tp_attribute(p, TP_MODEL_ALL, NULL, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 7 * 21);
    tp_table_free(t);
    tp_options_free(o);
    tp_paths_free(p);
}

/* The sample log, read as is and with its data rows in reverse order, gives
 * the same attribution for every model (time-decay included). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

static tp_table *compare_of(tp_catalog *c, const char *csv, size_t len)
{
    tp_events *e = NULL;
    tp_paths *p = NULL;
    tp_table *t = NULL;
    if (tp_events_new(&e, c) != TP_OK ||
        tp_events_read_csv_buffer(e, csv, len, "events", NULL, NULL) != TP_OK ||
        tp_paths_from_events(&p, e, NULL, NULL) != TP_OK ||
        tp_attribution_compare(p, NULL, &t) != TP_OK)
        fprintf(stderr, "%s\n", tp_last_error());
    tp_paths_free(p);
    tp_events_free(e);
    return t;
}

static void test_row_order_of_events(void)
{
    size_t len = 0;
    char *text = slurp(TP_SOURCE_ROOT "/examples/data/events.csv", &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    /* header, then the data lines last to first */
    char *rev = malloc(len + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rev);
    char *nl = strchr(text, '\n');
    size_t head = (size_t)(nl - text) + 1, out = head;
    memcpy(rev, text, head);
    size_t end = len;
    while (end > head && text[end - 1] == '\n')
        end--;
    while (end > head) {
        size_t b = end;
        while (b > head && text[b - 1] != '\n')
            b--;
        memcpy(rev + out, text + b, end - b);
        out += end - b;
        rev[out++] = '\n';
        end = b ? b - 1 : 0;
    }
    tp_catalog *c;
    ASSERT_OK(tp_catalog_new_default(&c));
    tp_table *a = compare_of(c, text, len), *b = compare_of(c, rev, out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL_FATAL(tp_table_row_count(a), tp_table_row_count(b));
    CU_ASSERT(tp_table_row_count(a) > 20);
    size_t mismatches = 0;
    for (size_t r = 0; r < tp_table_row_count(a); r++) {
        const char *x, *y;
        tp_table_get_string(a, r, 0, &x);
        tp_table_get_string(b, r, 0, &y);
        CU_ASSERT_STRING_EQUAL(x, y);
        for (size_t col = 1; col < tp_table_column_count(a); col++) {
            double u = NAN, v = NAN;
            tp_table_get_double(a, r, col, &u);
            tp_table_get_double(b, r, col, &v);
            if (!(fabs(u - v) <= 1e-9 * (1 + fabs(u))))
                mismatches++;
        }
    }
    CU_ASSERT_EQUAL(mismatches, 0);
    size_t col;
    ASSERT_OK(tp_table_find_column(a, "time_decay", &col));
    CU_ASSERT(!tp_table_is_null(a, 0, col));
    tp_table_free(a);
    tp_table_free(b);
    tp_catalog_free(c);
    free(text);
    free(rev);
}

static const tp_test tests[] = {TP_TEST(test_markov_worked),
                                TP_TEST(test_markov_cycle_and_loops),
                                TP_TEST(test_markov_order1_memo),
                                TP_TEST(test_markov_order2),
                                TP_TEST(test_markov_iterative), TP_TEST(test_markov_work_limit),
                                TP_TEST(test_markov_progress_and_cancel),
                                TP_TEST(test_markov_own_removals),
                                TP_TEST(test_heuristics),
                                TP_TEST(test_shapley),
                                TP_TEST(test_invariants),
                                TP_TEST(test_compare),
                                TP_TEST(test_from_events_time_decay),
                                TP_TEST(test_paths_csv),
                                TP_TEST(test_shapley_limit),
                                TP_TEST(test_row_order_of_events),
                                TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"analysis/attribution", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
