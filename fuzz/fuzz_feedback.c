/* Fuzz the feedback CSV reader. Same invariants as fuzz_events.c: strict
 * failure leaves a non-empty set unchanged, strict success equals the lenient
 * result, report arithmetic and bounded escaped messages, and a canonical CSV
 * round trip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static tp_feedback *fresh(void)
{
    tp_feedback *f = NULL;
    FZ_CHECK(tp_feedback_new(&f, NULL) == TP_OK);
    return f;
}

static char *fingerprint(const tp_feedback *f)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_feedback_to_table(f, &t) == TP_OK);
    return fz_table_text(t);
}

static char *canonical_csv(const tp_feedback *f)
{
    fz_buf b = {0};
    size_t nattr = tp_feedback_attribute_count(f);
    fz_puts(&b, "customer_id,timestamp,touchpoint,metric,score,comment,weight");
    for (size_t a = 0; a < nattr; a++)
        fz_put_field(&b, tp_feedback_attribute_name(f, a), 0);
    fz_puts(&b, "\n");
    for (size_t i = 0; i < tp_feedback_count(f); i++) {
        char when[32], score[40], weight[40];
        FZ_CHECK(tp_time_format(tp_feedback_time(f, i), when, sizeof when) == TP_OK);
        double s = tp_feedback_score(f, i), w = tp_feedback_weight(f, i);
        if (isnan(s))
            snprintf(score, sizeof score, "n/a");
        else
            snprintf(score, sizeof score, "%.17g", s);
        FZ_CHECK(isfinite(w));
        snprintf(weight, sizeof weight, "%.17g", w);
        fz_put_field(&b, tp_feedback_customer(f, i), 1);
        fz_put_field(&b, when, 0);
        fz_put_field(&b, tp_feedback_touchpoint(f, i), 0);
        fz_put_field(&b, tp_feedback_metric(f, i), 0);
        fz_put_field(&b, score, 0);
        fz_put_field(&b, tp_feedback_comment(f, i), 0);
        fz_put_field(&b, weight, 0);
        for (size_t a = 0; a < nattr; a++)
            fz_put_field(&b, tp_feedback_attribute(f, a, i), 0);
        fz_puts(&b, "\n");
    }
    return b.p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_read_options strict, lenient, tight;
    tp_read_options_init(&strict);
    strict.on_error = TP_ON_ERROR_STOP;
    tp_read_options_init(&lenient);
    tp_read_options_init(&tight);
    tight.max_field_bytes = 16;
    tight.delimiter = ';';
    tight.redact = TP_REDACT_ALL;

    tp_feedback *held = fresh();
    FZ_CHECK(tp_feedback_append(held, "p1", 1767225600000, "store", "nps", 9, 1, "fine") ==
             TP_OK);
    FZ_CHECK(tp_feedback_append(held, "p2", 1767225600000, "website", "audit:speed", NAN, 2,
                                NULL) == TP_OK);
    char *before = fingerprint(held);
    size_t tps_before = tp_catalog_touchpoint_count(tp_feedback_catalog(held));
    size_t rows_before = tp_feedback_count(held);
    tp_report *rs = NULL;
    FZ_CHECK(tp_report_new(&rs) == TP_OK);
    tp_status st_strict = tp_feedback_read_csv_buffer(held, data, size, "fuzz.csv", &strict, rs);
    fz_check_report(rs, st_strict);
    if (st_strict != TP_OK) {
        fz_check_error(st_strict);
        char *after = fingerprint(held);
        FZ_CHECK(strcmp(before, after) == 0);
        FZ_CHECK(tp_catalog_touchpoint_count(tp_feedback_catalog(held)) == tps_before);
        free(after);
    } else {
        FZ_CHECK(tp_report_rows_rejected(rs) == 0);
        FZ_CHECK(tp_feedback_count(held) == rows_before + tp_report_rows_accepted(rs));
    }
    free(before);

    tp_feedback *loose = fresh();
    tp_report *rl = NULL;
    FZ_CHECK(tp_report_new(&rl) == TP_OK);
    tp_status st_lenient = tp_feedback_read_csv_buffer(loose, data, size, "fuzz.csv", &lenient, rl);
    fz_check_report(rl, st_lenient);
    if (st_lenient != TP_OK) {
        fz_check_error(st_lenient);
        FZ_CHECK(tp_feedback_count(loose) == 0);
        FZ_CHECK(st_strict != TP_OK);
    } else {
        FZ_CHECK(tp_feedback_count(loose) == tp_report_rows_accepted(rl));
    }
    if (st_strict == TP_OK) {
        FZ_CHECK(st_lenient == TP_OK);
        FZ_CHECK(tp_report_rows_accepted(rl) == tp_report_rows_accepted(rs));
    }

    if (st_lenient == TP_OK && tp_feedback_count(loose) > 0) {
        char *csv = canonical_csv(loose);
        tp_feedback *again = fresh();
        tp_status st = tp_feedback_read_csv_buffer(again, csv, strlen(csv), "canonical.csv",
                                                   &strict, NULL);
        if (st != TP_OK)
            fprintf(stderr, "canonical CSV rejected: %s\n%s\n", tp_last_error(), csv);
        FZ_CHECK(st == TP_OK);
        char *a = fingerprint(loose), *b = fingerprint(again);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "round trip differs:\n%s\n---\n%s\n", a, b);
        FZ_CHECK(strcmp(a, b) == 0);
        free(a);
        free(b);
        free(csv);
        tp_feedback_free(again);
    }

    tp_feedback *small = fresh();
    tp_report *rt = NULL;
    FZ_CHECK(tp_report_new(&rt) == TP_OK);
    tp_status st_tight = tp_feedback_read_csv_buffer(small, data, size, "fuzz.csv", &tight, rt);
    fz_check_report(rt, st_tight);
    if (st_tight != TP_OK)
        fz_check_error(st_tight);

    tp_report_free(rs);
    tp_report_free(rl);
    tp_report_free(rt);
    tp_feedback_free(held);
    tp_feedback_free(loose);
    tp_feedback_free(small);
    return 0;
}
