/* lib/analysis/lexicon.c and sentiment.c: the rules, on sentences with an
 * expected sign and on pairs with an expected order, plus worked values. */
#include <math.h>

#include <stdlib.h>

#include "analysis/sentiment_internal.h"
#include "testutil.h"

static tp_lexicon *lex;

static double score(const char *text)
{
    double s = NAN;
    tp_status st = tp_sentiment_score(lex, text, strlen(text), &s);
    if (st != TP_OK)
        fprintf(stderr, "\n  score(\"%s\"): %s\n", text, tp_last_error());
    return s;
}

typedef struct signed_text {
    const char *text;
    int sign; /* 1 positive, 0 neutral, -1 negative (labels at +-0.05) */
} signed_text;

static const signed_text sentences[] = {
    {"The staff member was so helpful and friendly", 1},
    {"Great advice, never pushy", 1},
    {"Arrived a day early, perfect", 1},
    {"Fast delivery and great tracking", 1},
    {"Clean and welcoming shop", 1},
    {"Agent solved it quickly, thank you", 1},
    {"Not bad at all", 1},
    {"The checkout was not difficult", 1},
    {"No problems whatsoever", 1},
    {"I love this store :)", 1},
    {"Excellent service!!!", 1},
    {"The app is okay", 1},
    {"It was fine", 1},
    {"Slow start but the staff were brilliant", 1},
    {"Never had a problem with delivery", 1},
    {"Thanks, really appreciate the quick reply", 1},
    {"Highly recommended", 1},
    {"<3 the new layout", 1},
    {"Payment failed twice, very frustrating", -1},
    {"Checkout keeps crashing", -1},
    {"Hidden shipping costs at the last step, not happy", -1},
    {"Waited 40 minutes on chat, awful", -1},
    {"Nobody solved my problem", -1},
    {"Support was rude and slow", -1},
    {"Refund was delayed and the form was confusing", -1},
    {"Not good", -1},
    {"The website is not helpful at all", -1},
    {"TERRIBLE experience", -1},
    {"I hate the new app :(", -1},
    {"Great price but the parcel arrived damaged", -1},
    {"The staff were nice, however the queue was horrible", -1},
    {"Worst purchase ever", -1},
    {"Still broken after two updates", -1},
    {"Didn't work", 0}, /* "work" carries no valence */
    {"The parcel arrived on Tuesday", 0},
    {"I bought a lamp", 0},
    {"Visit 12 to the north store", 0},
    {"", 0},
    {"As expected", 0},
    {"Nothing to report", 0},
    {"Card terminal, receipt, bag", 0},
};

static void test_signs(void)
{
    size_t n = sizeof sentences / sizeof sentences[0];
    CU_ASSERT_TRUE(n >= 40);
    for (size_t i = 0; i < n; i++) {
        double s = score(sentences[i].text);
        int got = s >= 0.05 ? 1 : s <= -0.05 ? -1 : 0;
        if (got != sentences[i].sign)
            fprintf(stderr, "\n  \"%s\": %g, want sign %d\n", sentences[i].text, s,
                    sentences[i].sign);
        CU_ASSERT_EQUAL(got, sentences[i].sign);
        CU_ASSERT_TRUE(s > -1.0 && s < 1.0);
        CU_ASSERT_STRING_EQUAL(tp_sentiment_label(s),
                               got > 0 ? "positive" : got < 0 ? "negative" : "neutral");
    }
}

/* Pairs where the first must score strictly lower than the second. */
static void test_orderings(void)
{
    static const char *const lower_higher[][2] = {
        {"good", "very good"},                      /* booster */
        {"slightly good", "good"},                  /* dampener */
        {"The staff were very good", "The staff were VERY good"}, /* capitalised booster */
        {"The staff were good", "The staff were GOOD"},           /* capitalised word */
        {"good", "good!"},                          /* exclamation */
        {"good!", "good!!!"},
        {"good!!!!", "good!!!!!!!!"}, /* capped at four: equal, checked below */
        {"bad", "not bad"},                         /* negation flips */
        {"not good", "good"},
        {"very bad", "bad"},
        {"awful", "bad"},
        {"bad", "good"},
        {"great but awful", "awful but great"},     /* contrast weighs the second clause */
        {"The room was clean but cold", "The room was cold but clean"},
        {":(", ":)"},
    };
    size_t n = sizeof lower_higher / sizeof lower_higher[0];
    for (size_t i = 0; i < n; i++) {
        double a = score(lower_higher[i][0]), b = score(lower_higher[i][1]);
        if (i == 6) {
            CU_ASSERT_DOUBLE_EQUAL(a, b, 1e-15);
            continue;
        }
        if (!(a < b))
            fprintf(stderr, "\n  \"%s\" (%g) should be below \"%s\" (%g)\n", lower_higher[i][0],
                    a, lower_higher[i][1], b);
        CU_ASSERT_TRUE(a < b);
    }
}

/* Worked values: "good" has valence 1.9 in lexicon-en.tsv, so compound =
 * 1.9 / sqrt(1.9^2 + 4) = 0.688750; "not bad": -2.5 x -0.74 = 1.85 ->
 * 0.679042; "very good": 1.9 + 0.293 = 2.193 -> 0.738872; contrast
 * "great but awful": M = (0.5 x 2.8 + 1.5 x -3.2) / (0.5 + 1.5) = -1.7 ->
 * -0.647648; "good!!": M = 1.9 + 2 x 0.292 = 2.484 -> 0.778919. */
static void test_worked_values(void)
{
    CU_ASSERT_DOUBLE_EQUAL(score("good"), 1.9 / sqrt(1.9 * 1.9 + 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(score("Not bad."), 1.85 / sqrt(1.85 * 1.85 + 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(score("very good"), 2.193 / sqrt(2.193 * 2.193 + 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(score("great but awful"), -1.7 / sqrt(1.7 * 1.7 + 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(score("good!!"), 2.484 / sqrt(2.484 * 2.484 + 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(score("The parcel arrived"), 0.0, 0);
}

/* The mean keeps long texts on the per-word scale: fifty "good"s score as one,
 * and a long positive review with one complaint stays positive but lower. */
static void test_no_saturation(void)
{
    char buf[400] = "";
    for (int i = 0; i < 50; i++)
        strcat(buf, "good ");
    CU_ASSERT_DOUBLE_EQUAL(score(buf), score("good"), 1e-12);
    CU_ASSERT_TRUE(score(buf) < 0.9);
    double mixed = score("friendly staff, clean store, helpful advice, easy parking, slow till");
    CU_ASSERT_TRUE(mixed > 0.05 && mixed < score("friendly staff, clean store, helpful advice"));
}

static void test_negation_scope(void)
{
    /* the negation applies to the first sentiment word only */
    CU_ASSERT_TRUE(score("nobody solved my problem") < -0.05);
    /* a comma ends the negation window */
    CU_ASSERT_TRUE(score("not once, great service") > 0.05);
    /* n't words negate even when not listed */
    CU_ASSERT_TRUE(score("mightn't be good") < 0);
    CU_ASSERT_TRUE(score("It wasn\xE2\x80\x99t good") < 0); /* typographic apostrophe */
}

static void test_lexicon_runtime(void)
{
    tp_lexicon *l;
    ASSERT_OK(tp_lexicon_new(&l));
    CU_ASSERT_EQUAL(tp_lexicon_size(l), 0);
    double s;
    ASSERT_OK(tp_sentiment_score(l, "great", 5, &s));
    CU_ASSERT_EQUAL(s, 0.0); /* an empty lexicon knows nothing */
    ASSERT_OK(tp_lexicon_set(l, "Zippy", TP_TERM_WORD, 2.0));
    ASSERT_OK(tp_sentiment_score(l, "so zippy", 8, &s));
    CU_ASSERT_DOUBLE_EQUAL(s, 2.0 / sqrt(8.0), 1e-12);
    ASSERT_OK(tp_lexicon_set(l, "so", TP_TERM_BOOSTER, 1.0));
    ASSERT_OK(tp_sentiment_score(l, "so zippy", 8, &s));
    CU_ASSERT_DOUBLE_EQUAL(s, 3.0 / sqrt(13.0), 1e-12);
    tp_term_kind k;
    double v;
    ASSERT_OK(tp_lexicon_lookup(l, "ZIPPY", &k, &v));
    CU_ASSERT_EQUAL(k, TP_TERM_WORD);
    CU_ASSERT_DOUBLE_EQUAL(v, 2.0, 0);
    CU_ASSERT_EQUAL(tp_lexicon_lookup(l, "nope", &k, &v), TP_ENOTFOUND);
    CU_ASSERT_EQUAL(tp_lexicon_set(l, "two words", TP_TERM_WORD, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_lexicon_set(l, "x", TP_TERM_WORD, 4.5), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_lexicon_set(l, "", TP_TERM_WORD, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_lexicon_set(l, "x", (tp_term_kind)9, 1), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_sentiment_score(l, "\xff", 1, &s), TP_EINVAL);
    /* extending the built-in lexicon changes scores at run time */
    ASSERT_OK(tp_lexicon_set(lex, "clunky", TP_TERM_WORD, -2.0));
    CU_ASSERT_TRUE(score("the app is clunky") < -0.05);
    tp_lexicon_free(l);
}

static void test_lexicon_file(void)
{
    tp_lexicon *l;
    ASSERT_OK(tp_lexicon_new(&l));
    const char good[] = "\xEF\xBB\xBF# comment\n\nsuperb\t3.5\nrather\t0.2\tbooster\r\nnae\t0\tnegation\n";
    ASSERT_OK(tp_lexicon_load_buffer(l, good, sizeof good - 1, "mine.tsv"));
    CU_ASSERT_EQUAL(tp_lexicon_size(l), 3);
    /* errors name the line and the field; the lexicon is unchanged */
    const char *bad[] = {"ok\t1\nfoo\tbar\n", "ok\t1\nfoo\t9\n", "ok\t1\nfoo\t1\tmood\n",
                         "ok\t1\nfoo\n", "ok\t1\n\t1\n", "ok\t1\nfoo\t1\tword\textra\n"};
    const char *field[] = {"value", "value", "kind", "value", "term", NULL};
    for (size_t i = 0; i < 6; i++) {
        tp_status st = tp_lexicon_load_buffer(l, bad[i], strlen(bad[i]), "mine.tsv");
        CU_ASSERT_TRUE(st == TP_EPARSE || st == TP_EVALIDATE);
        CU_ASSERT_EQUAL(tp_last_error_line(), 2);
        CU_ASSERT_STRING_EQUAL(tp_last_error_file(), "mine.tsv");
        if (field[i])
            CU_ASSERT_STRING_EQUAL(tp_last_error_field(), field[i]);
        CU_ASSERT_EQUAL(tp_lexicon_size(l), 3);
        CU_ASSERT_EQUAL(tp_lexicon_lookup(l, "ok", NULL, NULL), TP_ENOTFOUND);
    }
    CU_ASSERT_EQUAL(tp_lexicon_load_buffer(l, "a\xff\t1\n", 5, "x"), TP_EPARSE);
    /* a later line replaces an earlier one */
    ASSERT_OK(tp_lexicon_load_buffer(l, "superb\t-1\n", 10, NULL));
    double v;
    ASSERT_OK(tp_lexicon_lookup(l, "superb", NULL, &v));
    CU_ASSERT_DOUBLE_EQUAL(v, -1, 0);
    CU_ASSERT_EQUAL(tp_lexicon_load(l, fixture("no-such-lexicon.tsv")), TP_EIO);
    tp_lexicon_free(l);
    /* the shipped file loads on its own and matches the built-in lexicon */
    ASSERT_OK(tp_lexicon_new(&l));
    ASSERT_OK(tp_lexicon_load(l, TP_SOURCE_ROOT "/data/lexicon-en.tsv"));
    tp_lexicon *d;
    ASSERT_OK(tp_lexicon_new_default(&d));
    CU_ASSERT_EQUAL(tp_lexicon_size(l), tp_lexicon_size(d));
    CU_ASSERT_TRUE(tp_lexicon_size(d) > 250);
    tp_lexicon_free(d);
    tp_lexicon_free(l);
}

static void test_sentiment_table(void)
{
    const char *texts[] = {"not bad", "awful", "plain"};
    tp_table *t;
    ASSERT_OK(tp_sentiment_table(lex, texts, 3, &t));
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    const char *s;
    ASSERT_OK(tp_table_get_string(t, 0, 3, &s));
    CU_ASSERT_STRING_EQUAL(s, "not bad(+1.85)");
    ASSERT_OK(tp_table_get_string(t, 1, 2, &s));
    CU_ASSERT_STRING_EQUAL(s, "negative");
    ASSERT_OK(tp_table_get_string(t, 2, 2, &s));
    CU_ASSERT_STRING_EQUAL(s, "neutral");
    tp_table_free(t);
    const char *bad[] = {"fine", NULL};
    CU_ASSERT_EQUAL(tp_sentiment_table(lex, bad, 2, &t), TP_EINVAL);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_STRING_EQUAL(tp_sentiment_label(0.05), "positive");
    CU_ASSERT_STRING_EQUAL(tp_sentiment_label(0.0499), "neutral");
    CU_ASSERT_STRING_EQUAL(tp_sentiment_label(-0.05), "negative");
}

static void *plain_malloc(size_t n, void *u) { (void)u; return malloc(n); }
static void *plain_realloc(void *p, size_t n, void *u) { (void)u; return realloc(p, n); }
static void plain_free(void *p, void *u) { (void)u; free(p); }

/* The built-in lexicon is parsed once and shared, and scores as a new one does;
 * under the caller's allocator each call gets its own (nothing outlives it). */
static void test_default_lexicon_parsed_once(void)
{
    const tp_lexicon *a = NULL, *b = NULL;
    tp_lexicon *own = NULL, *fresh = NULL;
    ASSERT_OK(tp__lexicon_default(&a, &own));
    CU_ASSERT_PTR_NULL(own);
    ASSERT_OK(tp__lexicon_default(&b, &own));
    CU_ASSERT_PTR_NULL(own);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_EQUAL(a, b);
    ASSERT_OK(tp_lexicon_new_default(&fresh));
    CU_ASSERT_EQUAL(tp_lexicon_size(a), tp_lexicon_size(fresh));
    double x = 0, y = 1;
    const char *text = "not bad at all, but the wait was awful";
    ASSERT_OK(tp_sentiment_score(a, text, strlen(text), &x));
    ASSERT_OK(tp_sentiment_score(fresh, text, strlen(text), &y));
    CU_ASSERT_DOUBLE_EQUAL(x, y, 0);
    tp_lexicon_free(fresh);
    ASSERT_OK(tp_set_allocator(plain_malloc, plain_realloc, plain_free, NULL));
    ASSERT_OK(tp__lexicon_default(&b, &own));
    CU_ASSERT_PTR_NOT_NULL(own);
    CU_ASSERT_PTR_EQUAL(b, own);
    tp_lexicon_free(own);
    ASSERT_OK(tp_set_allocator(NULL, NULL, NULL, NULL));
}

static const tp_test tests[] = {
    TP_TEST(test_signs),         TP_TEST(test_orderings),       TP_TEST(test_worked_values),
    TP_TEST(test_no_saturation), TP_TEST(test_negation_scope),  TP_TEST(test_lexicon_runtime),
    TP_TEST(test_lexicon_file),  TP_TEST(test_sentiment_table),
    TP_TEST(test_default_lexicon_parsed_once), TP_TESTS_END};

int main(void)
{
    if (tp_lexicon_new_default(&lex) != TP_OK)
        return 2;
    const tp_suite suites[] = {{"analysis/sentiment", tests}, {NULL, NULL}};
    int rc = tp_run_suites(suites);
    tp_lexicon_free(lex);
    return rc;
}
