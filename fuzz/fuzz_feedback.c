/* Fuzz the feedback CSV reader: the invariants of fz_check_reader()
 * (fuzz_util.h), canonical form = CSV with every field quoted; the tight read
 * also redacts comments. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static void *create(void)
{
    tp_feedback *f = NULL;
    FZ_CHECK(tp_feedback_new(&f, NULL) == TP_OK);
    return f;
}

static void destroy(void *store) { tp_feedback_free(store); }

static void prefill(void *store)
{
    FZ_CHECK(tp_feedback_append(store, "p1", 1767225600000, "store", "nps", 9, 1, "fine") ==
             TP_OK);
    FZ_CHECK(tp_feedback_append(store, "p2", 1767225600000, "website", "audit:speed", NAN, 2,
                                NULL) == TP_OK);
}

static tp_status read_input(void *store, const void *data, size_t size,
                            const tp_read_options *opts, tp_read_log *report)
{
    return tp_feedback_read_csv_buffer(store, data, size, "fuzz.csv", opts, report);
}

static size_t count(const void *store) { return tp_feedback_count(store); }

static size_t touchpoints(const void *store)
{
    return tp_catalog_touchpoint_count(tp_feedback_catalog(store));
}

static char *fingerprint(const void *store)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_feedback_to_table(store, &t) == TP_OK);
    return fz_table_text(t);
}

static void tight(tp_read_options *o, size_t size)
{
    (void)size;
    o->max_field_bytes = 16;
    o->delimiter = ';';
    o->redact = TP_REDACT_ALL;
}

static char *canonical_csv(const void *store)
{
    const tp_feedback *f = store;
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
    static const fz_reader reader = {create, destroy, prefill, read_input, count, touchpoints,
                                     fingerprint, canonical_csv, 1, tight, NULL};
    fz_check_reader(&reader, data, size);
    return 0;
}
