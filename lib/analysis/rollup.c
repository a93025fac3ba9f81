/* Attribution tables rolled up by a catalog grouping (stage, channel, owner,
 * parent): the credit of a group is the sum of its touchpoints' credit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/words.h"
#include "core/alloc.h"
#include "core/error.h"
#include "touchpoint/attribution.h"

/* One output row: a (model, label) pair and its sums. */
typedef struct group {
    size_t model;      /* order of first appearance of the model; 0 without a model column */
    const char *mname; /* borrowed from the input table */
    const char *label; /* borrowed from the catalog, or "(none)" */
    double *sum;       /* one per summed column */
    unsigned char *seen;
    double key; /* conversions, for the order */
} group;

static int group_cmp(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->model != b->model)
        return a->model < b->model ? -1 : 1;
    if (a->key != b->key && !(isnan(a->key) && isnan(b->key))) {
        if (isnan(a->key) || isnan(b->key))
            return isnan(a->key) ? 1 : -1;
        return a->key > b->key ? -1 : 1;
    }
    return strcmp(a->label, b->label);
}

/* Columns that are not credit: their group value is not the sum of its members'. */
static int summed(const char *name, tp_type type)
{
    return (type == TP_TYPE_INT64 || type == TP_TYPE_DOUBLE) && strcmp(name, "removal_effect") &&
           strcmp(name, "value_removal_effect");
}

TP_API tp_status tp_attribution_rollup(const tp_table *t, const tp_catalog *c, tp_group g,
                                       tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_attribution_rollup: out is NULL");
    *out = NULL;
    if (!t || !c)
        return tp__error(TP_EINVAL, "tp_attribution_rollup: NULL %s", t ? "catalog" : "table");
    const char *gname = tp_group_name(g);
    if (!gname)
        return tp__error(TP_EINVAL, "tp_attribution_rollup: unknown grouping %d", (int)g);
    size_t tcol, mcol = (size_t)-1, ccol = (size_t)-1;
    if (tp_table_find_column(t, "touchpoint", &tcol) != TP_OK ||
        tp_table_column_type(t, tcol) != TP_TYPE_STRING)
        return tp__error(TP_EINVAL, "tp_attribution_rollup: the table has no touchpoint column "
                                    "(give a table of tp_attribute() or tp_attribution_compare())");
    if (tp_table_find_column(t, "model", &mcol) != TP_OK ||
        tp_table_column_type(t, mcol) != TP_TYPE_STRING)
        mcol = (size_t)-1;
    size_t ncols = tp_table_column_count(t), nrows = tp_table_row_count(t), nsum = 0;
    size_t *cols = tp__calloc(ncols + 1, sizeof *cols);
    group *gs = tp__calloc(nrows + 1, sizeof *gs);
    double *sums = NULL;
    unsigned char *seen = NULL;
    tp_status st = TP_OK;
    if (!cols || !gs) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < ncols; k++)
        if (k != tcol && k != mcol &&
            summed(tp_table_column_name(t, k), tp_table_column_type(t, k))) {
            if (!strcmp(tp_table_column_name(t, k), "conversions"))
                ccol = nsum;
            cols[nsum++] = k;
        }
    size_t cells;
    if (!tp__mul_ok(nrows + 1, nsum + 1, &cells) || !(sums = tp__calloc(cells, sizeof *sums)) ||
        !(seen = tp__calloc(cells, 1))) {
        st = tp__error(TP_ENOMEM, "out of memory");
        goto done;
    }
    size_t ng = 0, nmodels = 0;
    for (size_t r = 0; r < nrows; r++) {
        const char *id = NULL, *mname = NULL;
        tp_table_get_string(t, r, tcol, &id);
        if (mcol != (size_t)-1)
            tp_table_get_string(t, r, mcol, &mname);
        size_t idx;
        const char *label = NULL;
        if (id && tp_catalog_find_touchpoint(c, id, &idx) == TP_OK)
            label = tp__group_label(c, idx, g);
        if (!label)
            label = "(none)";
        /* The model's order: the index of the first group that has it. */
        size_t model = 0;
        if (mcol != (size_t)-1) {
            model = nmodels;
            for (size_t k = 0; k < ng; k++)
                if (!strcmp(gs[k].mname ? gs[k].mname : "", mname ? mname : "")) {
                    model = gs[k].model;
                    break;
                }
            if (model == nmodels)
                nmodels++;
        }
        size_t k = 0;
        while (k < ng && !(gs[k].model == model && !strcmp(gs[k].label, label)))
            k++;
        if (k == ng) {
            gs[ng] =
                (group){model, mname, label, sums + ng * (nsum + 1), seen + ng * (nsum + 1), NAN};
            ng++;
        }
        for (size_t j = 0; j < nsum; j++) {
            if (tp_table_is_null(t, r, cols[j]) != 0)
                continue;
            double v;
            if (tp_table_column_type(t, cols[j]) == TP_TYPE_INT64) {
                int64_t i64 = 0;
                tp_table_get_int64(t, r, cols[j], &i64);
                v = (double)i64;
            } else {
                tp_table_get_double(t, r, cols[j], &v);
            }
            gs[k].sum[j] += v;
            gs[k].seen[j] = 1;
        }
    }
    for (size_t k = 0; k < ng; k++)
        gs[k].key = ccol != (size_t)-1 && gs[k].seen[ccol] ? gs[k].sum[ccol] : NAN;
    qsort(gs, ng, sizeof *gs, group_cmp);
    tp__rb b;
    tp__rb_begin(&b, NULL, 0);
    if (mcol != (size_t)-1)
        tp__rb_column(&b, "model", TP_TYPE_STRING);
    tp__rb_column(&b, gname, TP_TYPE_STRING);
    for (size_t j = 0; j < nsum; j++)
        tp__rb_column(&b, tp_table_column_name(t, cols[j]), tp_table_column_type(t, cols[j]));
    size_t first = mcol != (size_t)-1 ? 2 : 1;
    for (size_t k = 0; k < ng; k++) {
        tp__rb_row(&b);
        if (mcol != (size_t)-1)
            tp__rb_str(&b, 0, gs[k].mname);
        tp__rb_str(&b, first - 1, gs[k].label);
        for (size_t j = 0; j < nsum; j++) {
            if (!gs[k].seen[j])
                continue;
            if (tp_table_column_type(t, cols[j]) == TP_TYPE_INT64)
                tp__rb_i64(&b, first + j, (int64_t)gs[k].sum[j]);
            else
                tp__rb_f64(&b, first + j, gs[k].sum[j]);
        }
    }
    st = tp__rb_finish(&b, out);
done:
    tp__free(cols);
    tp__free(gs);
    tp__free(sums);
    tp__free(seen);
    return st;
}
