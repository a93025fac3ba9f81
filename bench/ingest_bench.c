/* CSV ingest: throughput, resident memory per row, and threads.
 *
 *   ingest_bench FILE.csv [REPEATS [THREADS [events|feedback]]]
 *
 * Reads the file REPEATS times (default 5) into a fresh store each time and
 * prints the best wall time as MB/s and rows/s, then the resident memory the
 * store holds after the first read: RSS after it (file unmapped) minus RSS
 * before, per row.
 * With THREADS other than 1 (0: one per CPU) it also reads with that many
 * threads and prints the speed-up over one thread measured in the same run.
 * A measurement, never a pass/fail test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "touchpoint.h"

typedef struct result {
    double best;
    size_t rows;
    long mem;
} result;

static int measure(const char *path, int repeats, unsigned threads, int feedback, result *r)
{
    r->best = 1e30;
    for (int i = 0; i < repeats; i++) {
        tp_catalog *c;
        tp_events *e = NULL;
        tp_feedback *f = NULL;
        if (tp_catalog_new_default(&c) != TP_OK ||
            (feedback ? tp_feedback_new(&f, c) : tp_events_new(&e, c)) != TP_OK)
            return 1;
        tp_read_options o;
        tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
        o.threads = threads;
        long before = bench_rss_bytes();
        double t0 = bench_now();
        tp_status st = feedback ? tp_feedback_read_csv(f, path, &o, NULL)
                                : tp_events_read_csv(e, path, &o, NULL);
        if (st != TP_OK) {
            fprintf(stderr, "%s\n", tp_last_error());
            return 1;
        }
        double dt = bench_now() - t0;
        if (i == 0) /* later reads reuse the memory freed by earlier ones */
            r->mem = bench_rss_bytes() - before;
        r->rows = feedback ? tp_feedback_count(f) : tp_events_count(e);
        if (dt < r->best)
            r->best = dt;
        tp_events_free(e);
        tp_feedback_free(f);
        tp_catalog_free(c);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.csv [REPEATS [THREADS [events|feedback]]]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    unsigned threads = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
    int feedback = argc > 4 && strcmp(argv[4], "feedback") == 0;
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    result one;
    if (measure(argv[1], repeats, 1, feedback, &one))
        return 1;
    double mb = (double)st.st_size / 1e6;
    printf("file: %s, %.1f MB, %zu rows\n", argv[1], mb, one.rows);
    printf("1 thread, best of %d: %.3f s, %.0f MB/s, %.2f M rows/s\n", repeats, one.best,
           mb / one.best, (double)one.rows / one.best / 1e6);
    printf("resident memory held by the store: %.1f MB, %.1f bytes/row\n", (double)one.mem / 1e6,
           (double)one.mem / (double)one.rows);
    if (threads != 1) {
        result many;
        if (measure(argv[1], repeats, threads, feedback, &many))
            return 1;
        printf("%u threads, best of %d: %.3f s, %.0f MB/s, %.2f M rows/s: %.2fx one thread\n",
               threads, repeats, many.best, mb / many.best, (double)many.rows / many.best / 1e6,
               one.best / many.best);
    }
    return 0;
}
