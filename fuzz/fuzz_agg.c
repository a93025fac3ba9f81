/* Fuzz the serialized form of partial aggregates. Invariants: a rejected blob
 * yields no aggregate and a bounded, escaped message; an accepted one
 * serializes back to the same bytes, is unchanged by merging the empty
 * aggregate (either side), merged with itself either doubles every count or
 * fails with TP_ELIMIT leaving it as it was, and finalizes against the
 * default catalog (Markov and Shapley may refuse with TP_EINVAL: a chain whose
 * equations are singular, a rate game over too many touchpoints). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static int same_bytes(const tp_agg *a, const uint8_t *data, size_t size)
{
    void *bytes = NULL;
    size_t len = 0;
    FZ_CHECK(tp_agg_serialize(a, &bytes, &len) == TP_OK);
    int same = len == size && memcmp(bytes, data, size) == 0;
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
