/* Attribution on generated journeys: time of each model.
 *
 *   attribution_bench [JOURNEYS] [TOUCHPOINTS] [MAX_ORDER] [THREADS]
 *
 * Generates JOURNEYS (default 1,000,000) deterministic journeys over
 * TOUCHPOINTS (default 10) channels, 1 to 8 touches each, about 1 in 12
 * converting (more often after some channels), then times the heuristic models,
 * Shapley (exact and simplified) and exact Markov of order 1 .. MAX_ORDER
 * (default 3). Prints seconds per model and the number of Markov states. A
 * measurement, never a pass/fail test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "touchpoint.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, tp_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    long journeys = argc > 1 ? atol(argv[1]) : 1000000;
    int channels = argc > 2 ? atoi(argv[2]) : 10;
    int max_order = argc > 3 ? atoi(argv[3]) : 3;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (journeys < 1 || channels < 1 || channels > 64 || max_order < 1 || max_order > 8) {
        fprintf(stderr, "usage: %s [JOURNEYS] [TOUCHPOINTS 1-64] [MAX_ORDER 1-8] [THREADS]\n", argv[0]);
        return 2;
    }
    char names[64][16];
    const char *tok[8];
    for (int c = 0; c < channels; c++)
        snprintf(names[c], sizeof names[c], "channel-%02d", c);
    tp_paths *p;
    if (tp_paths_new(&p) != TP_OK)
        return fail("tp_paths_new");
    long touches = 0;
    double t0 = bench_now();
    for (long j = 0; j < journeys; j++) {
        size_t n = 1 + next() % 8;
        uint32_t lift = 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t c = next() % (uint32_t)channels;
            tok[k] = names[c];
            lift += c < 3 ? 3 : 1; /* the first channels convert better */
        }
        touches += (long)n;
        int converted = next() % 100 < 2 + lift;
        if (tp_paths_add(p, tok, n, converted, converted ? 20 + next() % 200 : 0, !converted) !=
            TP_OK)
            return fail("tp_paths_add");
    }
    printf("generated %ld journeys, %ld touches, %d touchpoints, %.0f conversions in %.2f s\n",
           journeys, touches, channels, tp_paths_conversions(p), bench_now() - t0);
    tp_options *o;
    if (tp_options_new(&o) != TP_OK)
        return fail("tp_options_new");
    printf("%-28s %10s\n", "model", "seconds");
    for (int m = TP_MODEL_FIRST; m <= TP_MODEL_SHAPLEY_SIMPLIFIED; m++) {
        if (m == TP_MODEL_TIME_DECAY || m == TP_MODEL_MARKOV)
            continue;
        if (m == TP_MODEL_SHAPLEY && channels > 20)
            continue;
        tp_table *t;
        double s = bench_now();
        if (tp_attribute(p, (tp_model)m, o, &t) != TP_OK)
            return fail(tp_model_name((tp_model)m));
        printf("%-28s %10.3f\n", tp_model_name((tp_model)m), bench_now() - s);
        tp_table_free(t);
    }
    for (int k = 1; k <= max_order; k++) {
        tp_options_set_int(o, TP_OPT_ORDER, k);
        tp_options_set_int(o, TP_OPT_THREADS, threads);
        tp_table *t;
        double s = bench_now(), pc = 0;
        if (tp_attribute(p, TP_MODEL_MARKOV, o, &t) != TP_OK)
            return fail("markov");
        double secs = bench_now() - s;
        tp_table_free(t);
        if (tp_markov_chain(p, o, &t, &pc) != TP_OK)
            return fail("markov chain");
        char label[32];
        snprintf(label, sizeof label, "markov order %d", k);
        printf("%-28s %10.3f   (%zu transitions, P(conversion) %.4f)\n", label, secs,
               tp_table_row_count(t), pc);
        tp_table_free(t);
    }
    tp_options_free(o);
    tp_paths_free(p);
    return 0;
}
