/* Fuzz the path-aggregate CSV reader. Invariants: strict failure leaves a
 * non-empty set unchanged; strict success equals the lenient result; report
 * arithmetic; bounded escaped messages; the set written by tp_paths_to_table()
 * as CSV reads back to the same set; Markov attribution over the set either
 * succeeds or fails with a clean error. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static tp_paths *fresh(void)
{
    tp_paths *p = NULL;
    FZ_CHECK(tp_paths_new(&p) == TP_OK);
    return p;
}

static char *fingerprint(const tp_paths *p)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_paths_to_table(p, NULL, &t) == TP_OK);
    return fz_table_text(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_read_options strict, lenient;
    tp_read_options_init(&strict);
    strict.on_error = TP_ON_ERROR_STOP;
    tp_read_options_init(&lenient);

    tp_paths *held = fresh();
    const char *path[] = {"search", "website"};
    FZ_CHECK(tp_paths_add(held, path, 2, 3, 30, 1) == TP_OK);
    char *before = fingerprint(held);
    size_t rows_before = tp_paths_count(held);
    tp_report *rs = NULL;
    FZ_CHECK(tp_report_new(&rs) == TP_OK);
    tp_status st_strict =
        tp_paths_read_csv_buffer(held, data, size, "fuzz.csv", NULL, &strict, rs);
    fz_check_report(rs, st_strict);
    if (st_strict != TP_OK) {
        fz_check_error(st_strict);
        char *after = fingerprint(held);
        FZ_CHECK(strcmp(before, after) == 0);
        FZ_CHECK(tp_paths_count(held) == rows_before);
        free(after);
    } else {
        FZ_CHECK(tp_report_rows_rejected(rs) == 0);
    }
    free(before);

    tp_paths *loose = fresh();
    tp_report *rl = NULL;
    FZ_CHECK(tp_report_new(&rl) == TP_OK);
    tp_status st_lenient =
        tp_paths_read_csv_buffer(loose, data, size, "fuzz.csv", NULL, &lenient, rl);
    fz_check_report(rl, st_lenient);
    if (st_lenient != TP_OK) {
        fz_check_error(st_lenient);
        FZ_CHECK(tp_paths_count(loose) == 0);
        FZ_CHECK(st_strict != TP_OK);
    }
    if (st_strict == TP_OK) {
        FZ_CHECK(st_lenient == TP_OK);
        FZ_CHECK(tp_report_rows_accepted(rl) == tp_report_rows_accepted(rs));
    }

    if (st_lenient == TP_OK && tp_paths_count(loose) > 0) {
        char *a = fingerprint(loose);
        tp_paths *again = fresh();
        tp_status st =
            tp_paths_read_csv_buffer(again, a, strlen(a), "canonical.csv", NULL, &strict, NULL);
        FZ_CHECK(st == TP_OK);
        char *b = fingerprint(again);
        FZ_CHECK(strcmp(a, b) == 0);
        free(a);
        free(b);
        tp_paths_free(again);

        tp_table *out = NULL;
        st = tp_attribute(loose, TP_MODEL_MARKOV, NULL, &out);
        if (st == TP_OK)
            tp_table_free(out);
        else
            FZ_CHECK(st == TP_EINVAL || st == TP_ELIMIT || st == TP_EVALIDATE);
    }

    tp_report_free(rs);
    tp_report_free(rl);
    tp_paths_free(held);
    tp_paths_free(loose);
    return 0;
}
