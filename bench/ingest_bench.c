/* Events CSV ingest: throughput and resident memory per event.
 *
 *   ingest_bench FILE.csv [REPEATS]
 *
 * Reads the file REPEATS times (default 5) into a fresh store each time and
 * prints the best wall time as MB/s and rows/s, then the resident memory the
 * store holds: RSS after the read (file unmapped) minus RSS before, per event.
 * A measurement, never a pass/fail test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "touchpoint.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.csv [REPEATS]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    double best = 1e30;
    size_t rows = 0;
    long mem = 0;
    for (int i = 0; i < repeats; i++) {
        tp_catalog *c;
        tp_events *e;
        if (tp_catalog_new_default(&c) != TP_OK || tp_events_new(&e, c) != TP_OK)
            return 1;
        long before = bench_rss_bytes();
        double t0 = bench_now();
        if (tp_events_read_csv(e, argv[1], NULL, NULL) != TP_OK) {
            fprintf(stderr, "%s\n", tp_last_error());
            return 1;
        }
        double dt = bench_now() - t0;
        mem = bench_rss_bytes() - before;
        rows = tp_events_count(e);
        if (dt < best)
            best = dt;
        tp_events_free(e);
        tp_catalog_free(c);
    }
    double mb = (double)st.st_size / 1e6;
    printf("file: %s, %.1f MB, %zu rows\n", argv[1], mb, rows);
    printf("best of %d: %.3f s, %.0f MB/s, %.2f M rows/s\n", repeats, best, mb / best,
           (double)rows / best / 1e6);
    printf("resident memory held by the store: %.1f MB, %.1f bytes/event\n", (double)mem / 1e6,
           (double)mem / (double)rows);
    return 0;
}
