/* The peer-comparison tasks, timed in libtouchpoint (bench/README.md).
 *
 *   tpbench EVENTS.csv FEEDBACK.csv JOURNEYS.csv [REPEATS [THREADS]]
 *
 * THREADS (default 1) is tp_read_options.threads for the reads and
 * TP_OPT_THREADS for the analyses (0: one per online CPU).
 * Prints one tab-separated line per task: task, best seconds of REPEATS
 * (default 3), rows, bytes, and a check value that the peers print too (so
 * the engines are seen to compute the same thing). Ingest also prints the
 * resident bytes per event the store holds (RSS after the read, freed pages
 * handed back with glibc's malloc_trim, minus RSS before). A measurement, never a test. */
#define _POSIX_C_SOURCE 200809L
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "touchpoint.h"

static void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, tp_last_error());
    exit(1);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* Sum of an int64 column, or of a double column, as a check value. */
static double column_sum(const tp_table *t, const char *name)
{
    size_t col;
    double s = 0.0;
    if (tp_table_find_column(t, name, &col) != TP_OK)
        return -1.0;
    for (size_t r = 0; r < tp_table_row_count(t); r++) {
        int64_t i;
        double d;
        if (tp_table_is_null(t, r, col))
            continue;
        if (tp_table_column_type(t, col) == TP_TYPE_INT64 && tp_table_get_int64(t, r, col, &i) == TP_OK)
            s += (double)i;
        else if (tp_table_get_double(t, r, col, &d) == TP_OK)
            s += d;
    }
    return s;
}

static tp_read_options reading;
static tp_options *options;

static tp_events *read_events(tp_catalog *c, const char *path)
{
    tp_events *e;
    if (tp_events_new(&e, c) != TP_OK || tp_events_read_csv(e, path, &reading, NULL) != TP_OK)
        die(path);
    return e;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s EVENTS.csv FEEDBACK.csv JOURNEYS.csv [REPEATS]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 4 ? atoi(argv[4]) : 3;
    int threads = argc > 5 ? atoi(argv[5]) : 1;
    tp_read_options_init(&reading, TP_READ_OPTIONS_VERSION);
    reading.threads = (unsigned)threads;
    if (tp_options_new(&options) != TP_OK ||
        tp_options_set_int(options, TP_OPT_THREADS, threads) != TP_OK)
        die("options");
    tp_catalog *cat;
    if (tp_catalog_new_default(&cat) != TP_OK)
        die("catalog");

    /* ingest: a fresh store each time; memory of the first store */
    double best = 1e30, per_event = 0.0;
    size_t rows = 0;
    for (int i = 0; i < repeats; i++) {
        tp_catalog *c;
        if (tp_catalog_new_default(&c) != TP_OK)
            die("catalog");
        long before = bench_rss_bytes();
        double t0 = bench_now();
        tp_events *e = read_events(c, argv[1]);
        double dt = bench_now() - t0;
        if (i == 0) {
            /* Pages the read freed (a worker thread's malloc arena keeps them
             * until trimmed) are not the store's: hand them back first. */
            malloc_trim(0);
            per_event = (double)(bench_rss_bytes() - before) / (double)tp_events_count(e);
        }
        rows = tp_events_count(e);
        best = dt < best ? dt : best;
        tp_events_free(e);
        tp_catalog_free(c);
    }
    printf("ingest_events\t%.4f\t%zu\t%ld\t%zu\t%.1f\n", best, rows, file_size(argv[1]), rows,
           per_event);

    tp_events *ev = read_events(cat, argv[1]);
    tp_feedback *fb;
    best = 1e30;
    for (int i = 0; i < repeats; i++) {
        tp_feedback *f;
        double t0 = bench_now();
        if (tp_feedback_new(&f, cat) != TP_OK ||
            tp_feedback_read_csv(f, argv[2], &reading, NULL) != TP_OK)
            die(argv[2]);
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
        rows = tp_feedback_count(f);
        tp_feedback_free(f);
    }
    printf("ingest_feedback\t%.4f\t%zu\t%ld\t%zu\n", best, rows, file_size(argv[2]), rows);
    if (tp_feedback_new(&fb, cat) != TP_OK ||
        tp_feedback_read_csv(fb, argv[2], &reading, NULL) != TP_OK)
        die(argv[2]);

    /* analyses: best of repeats; check values from the last run */
    enum { SCORECARD, TRANSITIONS, FUNNEL, MARKOV, NTASKS };
    static const char *const names[] = {"scorecard", "transitions", "funnel", "markov1"};
    tp_events *jv = read_events(cat, argv[3]);
    tp_funnel *fu;
    if (tp_funnel_new(&fu) != TP_OK ||
        tp_funnel_parse(fu, "advertising, website, product-page, cart, online-checkout") != TP_OK)
        die("funnel");
    for (int task = 0; task < NTASKS; task++) {
        double check = 0.0;
        size_t n = task == MARKOV ? tp_events_count(jv) : tp_events_count(ev);
        best = 1e30;
        for (int i = 0; i < repeats; i++) {
            tp_table *t = NULL, *drop = NULL;
            tp_paths *p = NULL;
            double t0 = bench_now();
            tp_status st;
            switch (task) {
            case SCORECARD: st = tp_scorecard(ev, fb, NULL, options, &t); break;
            case TRANSITIONS: st = tp_transitions(ev, NULL, options, &t); break;
            case FUNNEL: st = tp_funnel_run(ev, fu, NULL, options, &t, &drop); break;
            default:
                st = tp_paths_from_events(&p, jv, NULL, options);
                if (st == TP_OK)
                    st = tp_attribute(p, TP_MODEL_MARKOV, options, &t);
                break;
            }
            double dt = bench_now() - t0;
            if (st != TP_OK)
                die(names[task]);
            best = dt < best ? dt : best;
            check = task == SCORECARD     ? column_sum(t, "nps_n") + column_sum(t, "csat_n")
                    : task == TRANSITIONS ? column_sum(t, "count")
                    : task == FUNNEL      ? column_sum(t, "customers")
                                          : column_sum(t, "removal_effect");
            tp_table_free(t);
            tp_table_free(drop);
            tp_paths_free(p);
        }
        printf("%s\t%.4f\t%zu\t0\t%.10g\n", names[task], best, n, check);
    }
    tp_funnel_free(fu);
    tp_events_free(jv);
    tp_events_free(ev);
    tp_feedback_free(fb);
    tp_catalog_free(cat);
    tp_options_free(options);
    return 0;
}
