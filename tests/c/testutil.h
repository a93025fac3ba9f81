/* Shared by the CUnit test programs: suite registration and fixture paths. */
#ifndef TP_TESTUTIL_H
#define TP_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "touchpoint.h"

#ifndef TP_TEST_DATA
#error "TP_TEST_DATA must name tests/data"
#endif

typedef struct tp_test {
    const char *name;
    void (*fn)(void);
} tp_test;

typedef struct tp_suite {
    const char *name;
    const tp_test *tests;
} tp_suite;

#define TP_TEST(fn) {#fn, fn}
#define TP_TESTS_END {NULL, NULL}

static inline const char *fixture(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", TP_TEST_DATA, name);
    return path;
}

/* Assert a status and, on mismatch, show the library's message. */
#define ASSERT_STATUS(expr, want)                                                             \
    do {                                                                                      \
        tp_status st__ = (expr);                                                              \
        if (st__ != (want))                                                                   \
            fprintf(stderr, "\n  %s -> %d (%s), want %d\n", #expr, (int)st__, tp_last_error(), \
                    (int)(want));                                                             \
        CU_ASSERT_EQUAL_FATAL(st__, (want));                                                  \
    } while (0)

#define ASSERT_OK(expr) ASSERT_STATUS(expr, TP_OK)

#define ASSERT_CONTAINS(haystack, needle)                                                     \
    do {                                                                                      \
        const char *h__ = (haystack);                                                         \
        if (!h__ || !strstr(h__, (needle)))                                                   \
            fprintf(stderr, "\n  \"%s\" does not contain \"%s\"\n", h__ ? h__ : "(null)",    \
                    (needle));                                                                \
        CU_ASSERT_PTR_NOT_NULL(h__ ? strstr(h__, (needle)) : NULL);                           \
    } while (0)

/* A small event log in CSV with epoch-second times, read strictly into a new
 * store bound to `catalog` (a new default catalog when *catalog is NULL).
 * Prints the error and returns NULL on failure. */
static inline tp_events *tp_test_log(tp_catalog **catalog, const char *csv, size_t len)
{
    tp_events *e = NULL;
    tp_read_options ro;
    tp_read_options_init(&ro, TP_READ_OPTIONS_VERSION);
    ro.epoch_unit = TP_EPOCH_SECONDS;
    ro.on_error = TP_ON_ERROR_STOP;
    if ((!*catalog && tp_catalog_new_default(catalog) != TP_OK) ||
        tp_events_new(&e, *catalog) != TP_OK ||
        tp_events_read_csv_buffer(e, csv, len, "log.csv", &ro, NULL) != TP_OK) {
        fprintf(stderr, "\n  %s\n", tp_last_error());
        tp_events_free(e);
        return NULL;
    }
    return e;
}

/* The events exported as CSV (tp_events_to_table), for round trips; NULL on
 * failure or when its header is not the one the readers take. The caller
 * frees it with free(). */
static inline char *tp_test_events_csv(const tp_events *e)
{
    tp_table *t = NULL;
    char *text = NULL, *out = NULL;
    size_t len;
    if (tp_events_to_table(e, &t) == TP_OK && tp_table_format(t, TP_FORMAT_CSV, &text, &len) == TP_OK &&
        strncmp(text, "customer_id,", 12) == 0 && (out = malloc(len + 1)) != NULL)
        memcpy(out, text, len + 1);
    tp_free(text);
    tp_table_free(t);
    return out;
}

static inline int tp_run_suites(const tp_suite *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (const tp_suite *s = suites; s->name; s++) {
        CU_pSuite cs = CU_add_suite(s->name, NULL, NULL);
        for (const tp_test *t = s->tests; cs && t->name; t++)
            CU_add_test(cs, t->name, t->fn);
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

#endif
