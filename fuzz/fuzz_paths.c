/* Fuzz the path-aggregate CSV reader: the invariants of fz_check_reader()
 * (fuzz_util.h), canonical form = tp_paths_to_table() as CSV; Markov
 * attribution over an accepted set succeeds or fails with a clean status. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static void *create(void)
{
    tp_paths *p = NULL;
    FZ_CHECK(tp_paths_new(&p) == TP_OK);
    return p;
}

static void destroy(void *store) { tp_paths_free(store); }

static void prefill(void *store)
{
    const char *path[] = {"search", "website"};
    FZ_CHECK(tp_paths_add(store, path, 2, 3, 30, 1) == TP_OK);
}

static tp_status read_input(void *store, const void *data, size_t size,
                            const tp_read_options *opts, tp_read_log *report)
{
    return tp_paths_read_csv_buffer(store, data, size, "fuzz.csv", NULL, opts, report);
}

static size_t count(const void *store) { return tp_paths_count(store); }

static char *fingerprint(const void *store)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_paths_to_table(store, NULL, &t) == TP_OK);
    return fz_table_text(t);
}

static void tight(tp_read_options *o, size_t size)
{
    o->max_field_bytes = 16;
    o->delimiter = size % 2 ? ';' : '\t';
}

static void attribute(void *store)
{
    tp_table *out = NULL;
    tp_status st = tp_attribute(store, TP_MODEL_MARKOV, NULL, &out);
    if (st == TP_OK)
        tp_table_free(out);
    else
        FZ_CHECK(st == TP_EINVAL || st == TP_ELIMIT || st == TP_EVALIDATE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Paths merge repeats, so rows held need not equal rows accepted. */
    static const fz_reader reader = {create, destroy, prefill, read_input, count, count,
                                     fingerprint, NULL, 0, tight, attribute};
    fz_check_reader(&reader, data, size);
    return 0;
}
