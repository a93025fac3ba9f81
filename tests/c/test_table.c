/* lib/model/table.c and lib/io/table_format.c: typed columns, nulls, export. */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static tp_table *sample(void)
{
    tp_table *t;
    size_t r;
    CU_ASSERT_EQUAL_FATAL(tp_table_new(&t), TP_OK);
    ASSERT_OK(tp_table_add_column(t, "name", TP_TYPE_STRING, NULL));
    ASSERT_OK(tp_table_add_column(t, "n", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "x", TP_TYPE_DOUBLE, NULL));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_string(t, r, 0, "plain"));
    ASSERT_OK(tp_table_set_int64(t, r, 1, -42));
    ASSERT_OK(tp_table_set_double(t, r, 2, 0.1));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_string(t, r, 0, "=SUM(A1), \"x\""));
    ASSERT_OK(tp_table_set_double(t, r, 2, 1e300));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_string(t, r, 0, "-5"));
    ASSERT_OK(tp_table_set_int64(t, r, 1, 7));
    return t;
}

static void test_cells_and_nulls(void)
{
    tp_table *t = sample();
    CU_ASSERT_EQUAL(tp_table_row_count(t), 3);
    CU_ASSERT_EQUAL(tp_table_column_count(t), 3);
    CU_ASSERT_STRING_EQUAL(tp_table_column_name(t, 1), "n");
    CU_ASSERT_EQUAL(tp_table_column_type(t, 2), TP_TYPE_DOUBLE);
    size_t col;
    ASSERT_OK(tp_table_find_column(t, "x", &col));
    CU_ASSERT_EQUAL(col, 2);
    CU_ASSERT_EQUAL(tp_table_find_column(t, "nope", &col), TP_ENOTFOUND);
    const char *s;
    int64_t i;
    double d;
    ASSERT_OK(tp_table_get_string(t, 0, 0, &s));
    CU_ASSERT_STRING_EQUAL(s, "plain");
    ASSERT_OK(tp_table_get_int64(t, 0, 1, &i));
    CU_ASSERT_EQUAL(i, -42);
    CU_ASSERT_EQUAL(tp_table_is_null(t, 1, 1), 1);
    CU_ASSERT_EQUAL(tp_table_is_null(t, 0, 1), 0);
    CU_ASSERT_EQUAL(tp_table_is_null(t, 9, 1), -1);
    ASSERT_OK(tp_table_get_double(t, 1, 1, &d));
    CU_ASSERT_TRUE(isnan(d));
    ASSERT_OK(tp_table_get_double(t, 2, 1, &d));
    CU_ASSERT_DOUBLE_EQUAL(d, 7.0, 0);
    CU_ASSERT_EQUAL(tp_table_get_int64(t, 0, 0, &i), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_set_double(t, 0, 1, 1.0), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_set_string(t, 5, 0, "x"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_set_string(t, 0, 0, "bad\xff"), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_add_column(t, "n", TP_TYPE_INT64, NULL), TP_ECONFLICT);
    const int64_t *ints = tp_table_int64_data(t, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ints);
    CU_ASSERT_EQUAL(ints[0], -42);
    CU_ASSERT_EQUAL(ints[2], 7);
    CU_ASSERT_PTR_NULL(tp_table_double_data(t, 1));
    /* A column added later is null in existing rows. */
    ASSERT_OK(tp_table_add_column(t, "late", TP_TYPE_STRING, &col));
    CU_ASSERT_EQUAL(tp_table_is_null(t, 2, col), 1);
    ASSERT_OK(tp_table_set_null(t, 0, 0));
    ASSERT_OK(tp_table_get_string(t, 0, 0, &s));
    CU_ASSERT_PTR_NULL(s);
    tp_table_free(t);
    tp_table_free(NULL);
}

static void test_csv_export(void)
{
    tp_table *t = sample();
    char *out;
    size_t len;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_CSV, &out, &len));
    /* Formula guard on string cells (not on numbers), RFC 4180 quoting, nulls empty,
     * shortest exact doubles. */
    CU_ASSERT_STRING_EQUAL(out, "name,n,x\n"
                                "plain,-42,0.1\n"
                                "\"'=SUM(A1), \"\"x\"\"\",,1e+300\n"
                                "'-5,7,\n");
    CU_ASSERT_EQUAL(len, strlen(out));
    tp_free(out);
    tp_table_free(t);
}

static void test_json_export(void)
{
    tp_table *t = sample();
    char *out;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_JSON, &out, NULL));
    CU_ASSERT_STRING_EQUAL(out, "[\n"
                                "{\"name\":\"plain\",\"n\":-42,\"x\":0.1},\n"
                                "{\"name\":\"=SUM(A1), \\\"x\\\"\",\"n\":null,\"x\":1e+300},\n"
                                "{\"name\":\"-5\",\"n\":7,\"x\":null}\n"
                                "]\n");
    tp_free(out);
    tp_table_free(t);
}

static void test_text_export(void)
{
    tp_table *t = sample();
    char *out;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_TEXT, &out, NULL));
    CU_ASSERT_STRING_EQUAL(out, "name             n       x\n"
                                "plain          -42     0.1\n"
                                "=SUM(A1), \"x\"       1e+300\n"
                                "-5               7\n");
    tp_free(out);
    tp_table_free(t);
}

/* Units say what numbers mean: the text format writes them in words, CSV and
 * JSON as they are. 1772323200000 ms is 2026-03-01T00:00:00Z. */
static void test_units(void)
{
    tp_table *t;
    size_t r;
    ASSERT_OK(tp_table_new(&t));
    ASSERT_OK(tp_table_add_column(t, "when", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "day", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "took", TP_TYPE_DOUBLE, NULL));
    ASSERT_OK(tp_table_add_column(t, "span", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "ok", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "name", TP_TYPE_STRING, NULL));
    CU_ASSERT_EQUAL(tp_table_column_unit(t, 0), TP_UNIT_NONE);
    ASSERT_OK(tp_table_set_column_unit(t, 0, TP_UNIT_TIME));
    ASSERT_OK(tp_table_set_column_unit(t, 1, TP_UNIT_TIME));
    ASSERT_OK(tp_table_set_column_unit(t, 2, TP_UNIT_DURATION));
    ASSERT_OK(tp_table_set_column_unit(t, 3, TP_UNIT_DURATION));
    ASSERT_OK(tp_table_set_column_unit(t, 4, TP_UNIT_FLAG));
    CU_ASSERT_EQUAL(tp_table_column_unit(t, 4), TP_UNIT_FLAG);
    CU_ASSERT_EQUAL(tp_table_column_unit(t, 99), TP_UNIT_NONE);
    CU_ASSERT_EQUAL(tp_table_set_column_unit(t, 5, TP_UNIT_TIME), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "column 'name': a string column cannot hold a time");
    CU_ASSERT_EQUAL(tp_table_set_column_unit(t, 2, TP_UNIT_FLAG), TP_EINVAL);
    ASSERT_CONTAINS(tp_last_error(), "column 'took': a double column cannot hold a flag");
    CU_ASSERT_EQUAL(tp_table_set_column_unit(t, 6, TP_UNIT_TIME), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_set_column_unit(t, 0, (tp_unit)9), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_set_column_unit(NULL, 0, TP_UNIT_TIME), TP_EINVAL);
    CU_ASSERT_EQUAL(tp_table_column_unit(t, 2), TP_UNIT_DURATION); /* unchanged */
    CU_ASSERT_STRING_EQUAL(tp_unit_name(TP_UNIT_DURATION), "duration");
    tp_unit u;
    ASSERT_OK(tp_unit_parse("flag", &u));
    CU_ASSERT_EQUAL(u, TP_UNIT_FLAG);
    CU_ASSERT_EQUAL(tp_unit_parse("flags", &u), TP_EINVAL);

    const int64_t day = 86400000, midnight = 1772323200000LL;
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_int64(t, r, 0, midnight + 34200000)); /* 09:30 */
    ASSERT_OK(tp_table_set_int64(t, r, 1, midnight));
    ASSERT_OK(tp_table_set_double(t, r, 2, 850));
    ASSERT_OK(tp_table_set_int64(t, r, 3, 725000)); /* 12 min 5 s */
    ASSERT_OK(tp_table_set_int64(t, r, 4, 1));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_int64(t, r, 0, midnight + 34200123));
    ASSERT_OK(tp_table_set_int64(t, r, 1, midnight + day));
    ASSERT_OK(tp_table_set_double(t, r, 2, 4200));
    ASSERT_OK(tp_table_set_int64(t, r, 3, 2 * day + 4 * 3600000)); /* 2 d 4 h */
    ASSERT_OK(tp_table_set_int64(t, r, 4, 0));
    ASSERT_OK(tp_table_append_row(t, &r)); /* nulls, a negative span, a flag of 2 */
    ASSERT_OK(tp_table_set_int64(t, r, 3, -3600000));
    ASSERT_OK(tp_table_set_int64(t, r, 4, 2));
    char *out;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_TEXT, &out, NULL));
    CU_ASSERT_STRING_EQUAL(out, "                   when         day   took    span   ok  name\n"
                                "    2026-03-01 09:30:00  2026-03-01  850ms  12m 5s  yes\n"
                                "2026-03-01 09:30:00.123  2026-03-02   4.2s   2d 4h   no\n"
                                "                                               -1h    2\n");
    tp_free(out);
    ASSERT_OK(tp_table_format(t, TP_FORMAT_CSV, &out, NULL));
    CU_ASSERT_STRING_EQUAL(out, "when,day,took,span,ok,name\n"
                                "1772357400000,1772323200000,850,725000,1,\n"
                                "1772357400123,1772409600000,4200,187200000,0,\n"
                                ",,,-3600000,2,\n");
    tp_free(out);
    tp_table_free(t);
}

static void test_write_atomic(void)
{
    tp_table *t = sample();
    char path[] = "/tmp/tp-table-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    ASSERT_OK(tp_table_write(t, TP_FORMAT_CSV, path));
    FILE *f = fopen(path, "r");
    char buf[64] = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, f));
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "name,n,x\n");
    unlink(path);
    CU_ASSERT_EQUAL(tp_table_write(t, TP_FORMAT_CSV, "/nonexistent-dir/x.csv"), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), "/nonexistent-dir/x.csv");
    tp_format fmt;
    ASSERT_OK(tp_format_parse("json", &fmt));
    CU_ASSERT_EQUAL(fmt, TP_FORMAT_JSON);
    CU_ASSERT_EQUAL(tp_format_parse("xml", &fmt), TP_EINVAL);
    tp_table_free(t);
}

/* A failed write leaves nothing behind; a replaced file keeps its mode. */
static void test_write_failure_and_mode(void)
{
    char dir[] = "/tmp/tp-atomic-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char target[64];
    snprintf(target, sizeof target, "%s/out", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(target, 0755), 0); /* a directory where the file should go */
    tp_table *t = sample();
    CU_ASSERT_EQUAL(tp_table_write(t, TP_FORMAT_CSV, target), TP_EIO);
    ASSERT_CONTAINS(tp_last_error(), target);
    size_t entries = 0;
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    for (struct dirent *de; (de = readdir(d)) != NULL;)
        entries += de->d_name[0] != '.';
    closedir(d);
    CU_ASSERT_EQUAL(entries, 1); /* no temporary file left */
    CU_ASSERT_EQUAL(rmdir(target), 0);
    FILE *f = fopen(target, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("old\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(chmod(target, 0640), 0);
    ASSERT_OK(tp_table_write(t, TP_FORMAT_CSV, target));
    struct stat sb;
    CU_ASSERT_EQUAL(stat(target, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0640);
    char buf[64] = {0};
    f = fopen(target, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, f));
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "name,n,x\n");
    unlink(target);
    rmdir(dir);
    tp_table_free(t);
}

/* Text longer than a column goes on over the next lines, broken at its last
 * space within 48 characters (or at 48 without one): every character stays.
 * The wide format keeps each row on one line. */
static void test_text_wraps_and_never_cuts(void)
{
    static const char path[] = "advertising > store-parking > store > store-signage > "
                               "sales-staff > point-of-sale";
    char word[61];
    memset(word, 'x', 60);
    word[59] = 'y';
    word[60] = '\0';
    tp_table *t;
    size_t r;
    ASSERT_OK(tp_table_new(&t));
    ASSERT_OK(tp_table_add_column(t, "path", TP_TYPE_STRING, NULL));
    ASSERT_OK(tp_table_add_column(t, "n", TP_TYPE_INT64, NULL));
    ASSERT_OK(tp_table_add_column(t, "note", TP_TYPE_STRING, NULL));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_string(t, r, 0, path));
    ASSERT_OK(tp_table_set_int64(t, r, 1, 436));
    ASSERT_OK(tp_table_set_string(t, r, 2, word));
    ASSERT_OK(tp_table_append_row(t, &r));
    ASSERT_OK(tp_table_set_string(t, r, 0, "website"));
    ASSERT_OK(tp_table_set_int64(t, r, 1, 7));
    char *out;
    ASSERT_OK(tp_table_format(t, TP_FORMAT_TEXT, &out, NULL));
    /* "...store-signage >" ends at character 53: the break is the space after
     * "store >" (37); the 60 x's break hard at 48. */
    CU_ASSERT_STRING_EQUAL(out,
        "path                                                n  note\n"
        "advertising > store-parking > store >             436  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
        "store-signage > sales-staff > point-of-sale            xxxxxxxxxxxy\n"
        "website                                             7\n");
    tp_free(out);
    ASSERT_OK(tp_table_format(t, TP_FORMAT_TEXT_WIDE, &out, NULL));
    char want[512];
    int L = (int)strlen(path);
    snprintf(want, sizeof want, "%-*s  %3s  note\n%s  436  %s\n%-*s  %3s\n", L, "path", "n", path,
             word, L, "website", "7");
    CU_ASSERT_STRING_EQUAL(out, want);
    tp_free(out);
    tp_format f;
    ASSERT_OK(tp_format_parse("wide", &f));
    CU_ASSERT_EQUAL(f, TP_FORMAT_TEXT_WIDE);
    tp_table_free(t);
}

static const tp_test tests[] = {TP_TEST(test_cells_and_nulls), TP_TEST(test_text_wraps_and_never_cuts), TP_TEST(test_csv_export),
                                TP_TEST(test_json_export), TP_TEST(test_text_export), TP_TEST(test_units),
                                TP_TEST(test_write_atomic), TP_TEST(test_write_failure_and_mode),
                                TP_TESTS_END};

int main(void)
{
    const tp_suite suites[] = {{"model/table", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
