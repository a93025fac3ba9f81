/* Fuzz the serialized form of partial aggregates. Invariants: a rejected blob
 * yields no aggregate and a bounded, escaped message; an accepted one
 * serializes back to the same bytes, is unchanged by merging the empty
 * aggregate (either side), merged with itself either doubles every count or
 * fails with TP_ELIMIT leaving it as it was, and finalizes against the
 * default catalog (Markov and Shapley may refuse with TP_EINVAL: a chain whose
 * equations are singular, a rate game over too many touchpoints) into a table
 * whose columns stay inside their documented bounds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static int same_bytes(const tp_agg *a, const uint8_t *data, size_t size)
{
    void *bytes = NULL;
    size_t len = 0;
    FZ_CHECK(tp_agg_serialize(a, &bytes, &len) == TP_OK);
    /* an older format is written as the current one (byte 4: version 2) */
    const unsigned char *b = bytes;
    int same = len == size && size >= 6 && memcmp(b, data, 4) == 0 && b[4] == 2 && b[5] == 0 &&
               memcmp(b + 6, data + 6, size - 6) == 0;
    tp_free(bytes);
    return same;
}

/* The int64 column `col` of b is twice a's, row by row. */
static void check_doubled(const tp_table *a, const tp_table *b, size_t col)
{
    FZ_CHECK(tp_table_row_count(a) == tp_table_row_count(b));
    for (size_t r = 0; r < tp_table_row_count(a); r++) {
        int64_t x, y;
        FZ_CHECK(tp_table_get_int64(a, r, col, &x) == TP_OK);
        FZ_CHECK(tp_table_get_int64(b, r, col, &y) == TP_OK);
        FZ_CHECK(y == 2 * x);
    }
}

/* Every number of column `name` (when the table has it) is NaN, null or in
 * [lo, hi] (with room for the last rounding). */
static void check_range(const tp_table *t, const char *name, double lo, double hi)
{
    size_t col;
    if (tp_table_find_column(t, name, &col) != TP_OK)
        return;
    int ints = tp_table_column_type(t, col) == TP_TYPE_INT64;
    double slack = 1e-9 * (fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi)) + 1e-12;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        if (tp_table_is_null(t, r, col))
            continue;
        double x;
        if (ints) {
            int64_t i;
            FZ_CHECK(tp_table_get_int64(t, r, col, &i) == TP_OK);
            x = (double)i;
        } else {
            FZ_CHECK(tp_table_get_double(t, r, col, &x) == TP_OK);
        }
        if (!isnan(x) && !(x >= lo - slack && x <= hi + slack)) {
            fprintf(stderr, "column %s row %zu: %.17g outside [%g, %g]\n", name, r, x, lo, hi);
            FZ_CHECK(0);
        }
    }
}

/* A finalized table stays inside the documented bounds of its columns. */
static void check_bounds(tp_agg_kind kind, const tp_table *t)
{
    const double big = 1e300;
    switch (kind) {
    case TP_AGG_SCORECARD: {
        static const char *const counts[] = {"reach", "responses", "nps_n", "promoters",
                                             "passives", "detractors", "csat_n", "ces_n",
                                             "ces_easy", "rating_n", "sentiment_n", "audit_n",
                                             "audit_knockouts"};
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
            check_range(t, counts[i], 0, big);
        check_range(t, "nps", -100, 100);
        check_range(t, "csat", 0, 100);
        check_range(t, "ces", 1, 7);
        check_range(t, "rating", 1, 5);
        check_range(t, "rating_bayes", 1, 5);
        check_range(t, "sentiment", -1, 1);
        check_range(t, "audit", 0, 100);
        check_range(t, "cx_index", 0, 100);
        check_range(t, "cx_rollup", 0, 100);
        break;
    }
    case TP_AGG_TRANSITIONS: check_range(t, "count", 1, big); break;
    case TP_AGG_VARIANTS:
        check_range(t, "journeys", 1, big);
        check_range(t, "conversions", 0, big);
        check_range(t, "customers", 1, big);
        check_range(t, "conversion_rate", 0, 1);
        check_range(t, "share", 0, 1);
        break;
    case TP_AGG_FUNNEL:
        check_range(t, "customers", 0, big);
        check_range(t, "conversion_from_start", 0, 1);
        check_range(t, "conversion_from_previous", 0, 1);
        check_range(t, "dropped", 0, big);
        check_range(t, "median_ms", 0, big);
        break;
    case TP_AGG_MARKOV:
        check_range(t, "conversions", 0, big);
        check_range(t, "share", 0, 1);
        check_range(t, "removal_effect", 0, 1);
        break;
    default: /* Shapley credit may be negative: a touchpoint can lower a coalition's rate */
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_agg *a = (tp_agg *)&a; /* must be overwritten or cleared */
    tp_status st = tp_agg_deserialize(&a, data, size);
    if (st != TP_OK) {
        fz_check_error(st);
        FZ_CHECK(a == NULL);
        return 0;
    }
    FZ_CHECK(a != NULL);
    FZ_CHECK(same_bytes(a, data, size));
    tp_agg_kind kind = tp_agg_get_kind(a);
    tp_agg *e = NULL;
    FZ_CHECK(tp_agg_new(&e, kind) == TP_OK);
    FZ_CHECK(tp_agg_merge(a, e) == TP_OK);
    FZ_CHECK(same_bytes(a, data, size));
    FZ_CHECK(tp_agg_merge(e, a) == TP_OK);
    FZ_CHECK(same_bytes(e, data, size));
    tp_catalog *cat = NULL;
    FZ_CHECK(tp_catalog_new_default(&cat) == TP_OK);
    tp_table *once = NULL, *twice = NULL;
    int attribution = kind == TP_AGG_MARKOV || kind == TP_AGG_SHAPLEY;
    st = tp_agg_finalize(a, cat, NULL, &once);
    if (st != TP_OK) {
        FZ_CHECK(attribution && st == TP_EINVAL && once == NULL);
        fz_check_error(st);
    } else {
        tp_table *copy = NULL;
        FZ_CHECK(tp_agg_finalize(a, cat, NULL, &copy) == TP_OK);
        check_bounds(kind, once);
        free(fz_table_text(copy)); /* exports it, and frees it */
    }
    st = tp_agg_merge(a, a);
    if (st != TP_OK) {
        FZ_CHECK(st == TP_ELIMIT);
        fz_check_error(st);
        FZ_CHECK(same_bytes(a, data, size));
    } else if (once) {
        FZ_CHECK(tp_agg_finalize(a, cat, NULL, &twice) == TP_OK || attribution);
        if (twice && kind == TP_AGG_TRANSITIONS)
            check_doubled(once, twice, 2);
        else if (twice && kind == TP_AGG_VARIANTS)
            check_doubled(once, twice, 1);
        else if (twice) /* scorecard, funnel, attribution: the same rows either way */
            FZ_CHECK(tp_table_row_count(once) == tp_table_row_count(twice));
    }
    tp_table_free(once);
    tp_table_free(twice);
    tp_catalog_free(cat);
    tp_agg_free(e);
    tp_agg_free(a);
    return 0;
}
