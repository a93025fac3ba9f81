/* Progress of long reads on standard error. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* 1234567 -> "1,234,567". */
static void group_digits(uint64_t v, char *out, size_t size)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t k = 0;
    for (int i = 0; i < n && k + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}


/* Reads shorter than this never show progress on a terminal. */
#define QUIET_FOR 0.5
#define TERMINAL_EVERY 0.1
#define LOG_EVERY 1.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(progress *p, int force, int quiet)
{
    p->terminal = isatty(STDERR_FILENO);
    p->enabled = force || (!quiet && p->terminal);
    p->name = "";
    p->started = p->last = 0;
    p->shown = 0;
}

void progress_start(progress *p, const char *name)
{
    p->name = name;
    p->started = now();
    p->last = 0;
    p->shown = 0;
}

void progress_update(void *user_data, uint64_t done, uint64_t total, uint64_t rows)
{
    progress *p = user_data;
    if (!p->enabled)
        return;
    int end = done >= total;
    double t = now();
    if (!end) {
        if (p->terminal && t - p->started < QUIET_FOR && !p->shown)
            return;
        if (p->shown && t - p->last < (p->terminal ? TERMINAL_EVERY : LOG_EVERY))
            return;
    } else if (!p->shown && p->terminal && t - p->started < QUIET_FOR) {
        return; /* a short read: nothing to say */
    }
    char count[48];
    group_digits(rows, count, sizeof count);
    double pct = total ? 100.0 * (double)done / (double)total : 100.0;
    fprintf(stderr, "%s%s: %s rows, %.0f%%%s", p->terminal ? "\r" : "", p->name, count, pct,
            p->terminal ? "\033[K" : "\n");
    if (end && p->terminal)
        fputc('\n', stderr);
    fflush(stderr);
    p->shown = 1;
    p->last = t;
}
