/* Fuzz the small text parsers: the first byte picks one, the rest is its input.
 *   0 lexicon file (then scores the same text with it)   4 filter segment condition
 *   1 timestamp (round trip through tp_time_format)      5 sentiment of free text
 *   2 duration                                           6 metric name + score
 *   3 funnel steps                                       7 redaction (idempotent, bounded)
 * Invariants: no crash, bounded escaped messages where one is set, results in
 * range, and a parsed timestamp formats and parses back to itself. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static void timestamp(const char *s, size_t n)
{
    static const tp_epoch_unit units[] = {TP_EPOCH_AUTO, TP_EPOCH_SECONDS, TP_EPOCH_MILLISECONDS};
    for (size_t u = 0; u < 3; u++) {
        int64_t ms = 0;
        tp_status st = tp_time_parse(s, n, units[u], &ms);
        if (st != TP_OK) {
            FZ_CHECK(st == TP_EPARSE || st == TP_EVALIDATE);
            continue;
        }
        FZ_CHECK(ms >= TP_TIME_MIN && ms <= TP_TIME_MAX);
        char buf[32];
        FZ_CHECK(tp_time_format(ms, buf, sizeof buf) == TP_OK);
        int64_t back = 0;
        FZ_CHECK(tp_time_parse(buf, strlen(buf), TP_EPOCH_AUTO, &back) == TP_OK);
        FZ_CHECK(back == ms);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned which = data[0] % 8;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    char *z = fz_strndup(data + 1, n); /* NUL-terminated for the string APIs */
    tp_status st;
    switch (which) {
    case 0: {
        tp_lexicon *lex = NULL;
        FZ_CHECK(tp_lexicon_new(&lex) == TP_OK);
        st = tp_lexicon_load_buffer(lex, s, n, "fuzz.lexicon");
        if (st != TP_OK)
            fz_check_error(st);
        double c = 0;
        st = tp_sentiment_score(lex, s, n, &c);
        FZ_CHECK(st == TP_OK || st == TP_EINVAL);
        if (st == TP_OK)
            FZ_CHECK(c > -1.0 && c < 1.0);
        tp_lexicon_free(lex);
        break;
    }
    case 1:
        timestamp(s, n);
        break;
    case 2: {
        int64_t ms = 0;
        st = tp_duration_parse(s, n, &ms);
        FZ_CHECK(st == TP_OK || st == TP_EINVAL);
        if (st == TP_OK)
            FZ_CHECK(ms >= 1);
        break;
    }
    case 3: {
        tp_funnel *f = NULL;
        FZ_CHECK(tp_funnel_new(&f) == TP_OK);
        st = tp_funnel_parse(f, z);
        if (st != TP_OK) {
            fz_check_error(st);
            FZ_CHECK(tp_funnel_step_count(f) == 0); /* all or nothing */
        }
        tp_funnel_free(f);
        break;
    }
    case 4: {
        tp_filter *f = NULL;
        FZ_CHECK(tp_filter_new(&f) == TP_OK);
        st = tp_filter_parse_segment(f, z);
        if (st != TP_OK)
            fz_check_error(st);
        tp_filter_free(f);
        break;
    }
    case 5: {
        static tp_lexicon *lex;
        if (!lex)
            FZ_CHECK(tp_lexicon_new_default(&lex) == TP_OK);
        double c = 0;
        st = tp_sentiment_score(lex, s, n, &c);
        FZ_CHECK(st == TP_OK || st == TP_EINVAL);
        if (st == TP_OK)
            FZ_CHECK(c > -1.0 && c < 1.0);
        /* the same text as two comments: every phrase found is in both */
        tp_feedback *fb = NULL;
        FZ_CHECK(tp_feedback_new(&fb, NULL) == TP_OK);
        if (tp_feedback_append(fb, "a", 0, "x", "csat", 3, 1, z) == TP_OK &&
            tp_feedback_append(fb, "b", 0, "x", "csat", 3, 1, z) == TP_OK) {
            tp_table *t = NULL;
            FZ_CHECK(tp_comment_phrases(NULL, fb, NULL, NULL, &t) == TP_OK);
            size_t count, words, phrase;
            FZ_CHECK(tp_table_find_column(t, "count", &count) == TP_OK);
            FZ_CHECK(tp_table_find_column(t, "words", &words) == TP_OK);
            FZ_CHECK(tp_table_find_column(t, "phrase", &phrase) == TP_OK);
            FZ_CHECK(tp_table_row_count(t) <= 5);
            for (size_t r = 0; r < tp_table_row_count(t); r++) {
                int64_t k = 0, w = 0;
                const char *text = NULL;
                FZ_CHECK(tp_table_get_int64(t, r, count, &k) == TP_OK && k == 2);
                FZ_CHECK(tp_table_get_int64(t, r, words, &w) == TP_OK && (w == 2 || w == 3));
                FZ_CHECK(tp_table_get_string(t, r, phrase, &text) == TP_OK && *text);
            }
            tp_table_free(t);
        }
        tp_feedback_free(fb);
        break;
    }
    case 7: {
        char *once = NULL, *twice = NULL;
        size_t n1 = 0, n2 = 0;
        FZ_CHECK(tp_redact_text(s, n, TP_REDACT_ALL, &once, &n1) == TP_OK);
        FZ_CHECK(n1 <= n + n / 6 + 8); /* "a@b.co" (6 bytes) -> "[email]" (7) */
        FZ_CHECK(memchr(once, '\0', n1) == NULL || memchr(s, '\0', n) != NULL);
        FZ_CHECK(tp_redact_text(once, n1, TP_REDACT_ALL, &twice, &n2) == TP_OK);
        FZ_CHECK(n1 == n2 && memcmp(once, twice, n1) == 0);
        tp_free(once);
        tp_free(twice);
        break;
    }
    default: {
        const char *nl = memchr(z, '\n', n);
        char *metric = fz_strndup((const uint8_t *)z, nl ? (size_t)(nl - z) : n);
        const char *score = nl ? nl + 1 : "";
        tp_metric kind;
        double v = 0;
        st = tp_metric_check(metric, score, &kind, &v);
        if (st == TP_OK)
            FZ_CHECK(isnan(v) || (v >= 0 && v <= 100));
        else
            FZ_CHECK(st == TP_EINVAL || st == TP_EPARSE || st == TP_EVALIDATE);
        free(metric);
        break;
    }
    }
    free(z);
    return 0;
}
