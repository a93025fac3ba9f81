/*
 * Stopping long calls: a read's check (tp_read_options.check) and an
 * analysis's progress callback (tp_options_set_progress) are asked as the call
 * goes on, on the calling thread, and a nonzero answer stops the call with
 * TP_ECANCELED, leaving the store as it was before the read, whatever the
 * thread count and the reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

enum { ROWS = 300000 }; /* over 12 MiB of CSV: a parallel read cuts it in pieces */

static const char *const places[] = {"website", "cart", "online-checkout", "store", "search"};

static char *events_text(size_t *len)
{
    size_t cap = (size_t)ROWS * 64 + 64, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    n += (size_t)snprintf(s, cap, "customer_id,timestamp,touchpoint,type\n");
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(s + n, cap - n, "c%d,%lld,%s,%s\n", i % 40000,
                              1767225600000LL + (long long)i * 1000, places[i % 5],
                              i % 5 == 2 ? "conversion" : "interaction");
    *len = n;
    return s;
}

static char *feedback_text(size_t *len)
{
    size_t cap = (size_t)ROWS * 64 + 64, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    n += (size_t)snprintf(s, cap, "customer_id,timestamp,touchpoint,metric,score\n");
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(s + n, cap - n, "c%d,%lld,%s,nps,%d\n", i % 40000,
                              1767225600000LL + (long long)i * 1000, places[i % 5], i % 11);
    *len = n;
    return s;
}

/* A check that says stop at its `stop_at`-th call (0: never) and only then,
 * and remembers what it saw. */
typedef struct watch {
    unsigned calls, stop_at;
    uint64_t last_done, last_total, last_rows;
    int figures_ok; /* done <= total whenever total is known */
    pthread_t thread;
    int other_thread; /* called from a thread other than the caller's */
} watch;

static void watch_init(watch *w, unsigned stop_at)
{
    memset(w, 0, sizeof *w);
    w->stop_at = stop_at;
    w->figures_ok = 1;
    w->thread = pthread_self();
}

static int read_check(void *data, uint64_t done, uint64_t total, uint64_t rows)
{
    watch *w = data;
    w->calls++;
    if (total && done > total)
        w->figures_ok = 0;
    if (!pthread_equal(pthread_self(), w->thread))
        w->other_thread = 1;
    w->last_done = done, w->last_total = total, w->last_rows = rows;
    return w->calls == w->stop_at;
}

static tp_events *store_with_one_row(tp_catalog **cat)
{
    tp_events *e = NULL;
    if (tp_catalog_new_default(cat) != TP_OK || tp_events_new(&e, *cat) != TP_OK ||
        tp_events_append(e, "before", "website", 1000, TP_EVENT_INTERACTION, 0) != TP_OK)
        return NULL;
    return e;
}

/* Stopped at the first or second ask, on one thread and on two: the
 * read fails with TP_ECANCELED, once (a stop is no reason to read again on one
 * thread: that read would succeed, since the check says stop only once), and
 * the store keeps exactly the row it had. */
static void test_events_read_stops(void)
{
    size_t len = 0;
    char *text = events_text(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    for (unsigned threads = 1; threads <= 2; threads++)
        for (unsigned stop_at = 1; stop_at <= 2; stop_at++) {
            tp_catalog *cat = NULL;
            tp_events *e = store_with_one_row(&cat);
            CU_ASSERT_PTR_NOT_NULL_FATAL(e);
            tp_read_log *log;
            ASSERT_OK(tp_read_log_new(&log));
            watch w;
            watch_init(&w, stop_at);
            tp_read_options o = TP_READ_OPTIONS_INIT;
            o.threads = threads;
            o.check = read_check;
            o.check_data = &w;
            ASSERT_STATUS(tp_events_read_csv_buffer(e, text, len, "big.csv", &o, log),
                          TP_ECANCELED);
            ASSERT_CONTAINS(tp_last_error(), "big.csv");
            ASSERT_CONTAINS(tp_last_error(), "cancelled");
            CU_ASSERT_EQUAL(tp_events_count(e), 1u);
            CU_ASSERT_EQUAL(tp_events_customer_count(e), 1u);
            CU_ASSERT_EQUAL(tp_read_log_rows_accepted(log), 0u);
            CU_ASSERT_TRUE(w.calls >= stop_at); /* and once more as the read ends */
            CU_ASSERT_TRUE(w.figures_ok);
            CU_ASSERT_FALSE(w.other_thread);
            /* The store reads on as if nothing had happened. */
            ASSERT_OK(tp_events_read_csv_buffer(e, text, len, "big.csv", NULL, NULL));
            CU_ASSERT_EQUAL(tp_events_count(e), 1u + ROWS);
            tp_read_log_free(log);
            tp_events_free(e);
            tp_catalog_free(cat);
        }
    free(text);
}

/* A check that never says stop sees the whole read and changes nothing: the
 * last call has every byte and every row. */
static void test_events_read_goes_on(void)
{
    size_t len = 0;
    char *text = events_text(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    for (unsigned threads = 1; threads <= 2; threads++) {
        tp_catalog *cat = NULL;
        tp_events *e = store_with_one_row(&cat);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        watch w;
        watch_init(&w, 0);
        tp_read_options o = TP_READ_OPTIONS_INIT;
        o.threads = threads;
        o.check = read_check;
        o.check_data = &w;
        ASSERT_OK(tp_events_read_csv_buffer(e, text, len, "big.csv", &o, NULL));
        CU_ASSERT_EQUAL(tp_events_count(e), 1u + ROWS);
        CU_ASSERT_TRUE(w.calls >= 2);
        CU_ASSERT_EQUAL(w.last_done, len);
        CU_ASSERT_EQUAL(w.last_total, len);
        CU_ASSERT_EQUAL(w.last_rows, (uint64_t)ROWS);
        CU_ASSERT_TRUE(w.figures_ok);
        CU_ASSERT_FALSE(w.other_thread);
        tp_events_free(e);
        tp_catalog_free(cat);
    }
    free(text);
}

/* Every other reader stops the same way: feedback (one and two threads), JSON
 * lines, path sets and the column entry points. */
static void test_other_readers_stop(void)
{
    size_t len = 0;
    char *text = feedback_text(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    tp_catalog *cat;
    ASSERT_OK(tp_catalog_new_default(&cat));
    watch w;
    tp_read_options o = TP_READ_OPTIONS_INIT;
    o.check = read_check;
    o.check_data = &w;
    for (unsigned threads = 1; threads <= 2; threads++) {
        tp_feedback *f;
        ASSERT_OK(tp_feedback_new(&f, cat));
        watch_init(&w, 2);
        o.threads = threads;
        ASSERT_STATUS(tp_feedback_read_csv_buffer(f, text, len, "fb.csv", &o, NULL),
                      TP_ECANCELED);
        CU_ASSERT_EQUAL(tp_feedback_count(f), 0u);
        tp_feedback_free(f);
    }
    free(text);
    o.threads = 1;

    /* JSON lines */
    size_t cap = (size_t)ROWS * 80, n = 0;
    char *jl = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(jl);
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(jl + n, cap - n,
                              "{\"customer_id\":\"c%d\",\"timestamp\":%d,\"touchpoint\":\"store\"}\n",
                              i, 1000 + i);
    tp_events *e;
    ASSERT_OK(tp_events_new(&e, cat));
    watch_init(&w, 2);
    ASSERT_STATUS(tp_events_read_jsonl_buffer(e, jl, n, "ev.jsonl", &o, NULL), TP_ECANCELED);
    CU_ASSERT_EQUAL(tp_events_count(e), 0u);
    free(jl);

    /* path sets */
    n = 0;
    char *pc = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    n += (size_t)snprintf(pc, cap, "path,conversions,value,nulls\n");
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(pc + n, cap - n, "a%d > b > c,1,0,%d\n", i % 1000, i % 3);
    for (unsigned threads = 1; threads <= 2; threads++) { /* 5 MB: two pieces */
        tp_paths *p;
        ASSERT_OK(tp_paths_new(&p));
        o.threads = threads;
        watch_init(&w, 2);
        ASSERT_STATUS(tp_paths_read_csv_buffer(p, pc, n, "paths.csv", NULL, &o, NULL),
                      TP_ECANCELED);
        CU_ASSERT_EQUAL(tp_paths_count(p), 0u);
        CU_ASSERT_FALSE(w.other_thread);
        watch_init(&w, 0);
        ASSERT_OK(tp_paths_read_csv_buffer(p, pc, n, "paths.csv", NULL, &o, NULL));
        CU_ASSERT_EQUAL(tp_paths_count(p), (size_t)ROWS);
        CU_ASSERT_EQUAL(w.last_rows, (uint64_t)ROWS);
        CU_ASSERT_EQUAL(w.last_done, n);
        CU_ASSERT_FALSE(w.other_thread);
        tp_paths_free(p);
    }
    o.threads = 1;
    free(pc);

    /* columns */
    const char **cust = malloc(ROWS * sizeof *cust), **tps = malloc(ROWS * sizeof *tps);
    int64_t *times = malloc(ROWS * sizeof *times);
    CU_ASSERT_FATAL(cust && tps && times);
    for (int i = 0; i < ROWS; i++)
        cust[i] = "c1", tps[i] = "store", times[i] = 1000 + i;
    tp_event_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_EVENT_COLUMNS_VERSION;
    c.count = ROWS;
    c.customer.values = cust;
    c.touchpoint.values = tps;
    c.times_ms = times;
    watch_init(&w, 2);
    ASSERT_STATUS(tp_events_append_columns(e, &c, "frame", &o, NULL), TP_ECANCELED);
    CU_ASSERT_EQUAL(tp_events_count(e), 0u);
    CU_ASSERT_EQUAL(w.last_rows, 131072u); /* asked at 65,536 and 131,072 rows */
    free(cust);
    free(tps);
    free(times);
    tp_events_free(e);
    tp_catalog_free(cat);
}

/* A read of a pipe that blocks (its writer has gone quiet) is stopped when a
 * signal interrupts it: the check is asked on EINTR, before the writer ends. */
static volatile sig_atomic_t alarmed;
static void on_alarm(int sig)
{
    (void)sig;
    alarmed = 1;
}
static int stop_when_alarmed(void *data, uint64_t done, uint64_t total, uint64_t rows)
{
    (void)done, (void)total, (void)rows;
    ++*(unsigned *)data;
    return alarmed;
}

static void test_blocked_pipe_read_stops_on_a_signal(void)
{
    char dir[] = "/tmp/tp-cancel-XXXXXX", path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/fifo", dir);
    CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
    pid_t child = fork();
    CU_ASSERT_FATAL(child >= 0);
    if (child == 0) { /* writes a header and a row, then goes quiet */
        int fd = open(path, O_WRONLY);
        static const char head[] = "customer_id,timestamp,touchpoint\nc1,1000,store\n";
        if (fd < 0 || write(fd, head, sizeof head - 1) < 0)
            _exit(1);
        sleep(30);
        _exit(0);
    }
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the blocked read() returns EINTR */
    sigaction(SIGALRM, &sa, &old);
    alarmed = 0;
    struct itimerval t = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &t, NULL);
    tp_catalog *cat;
    tp_events *e;
    ASSERT_OK(tp_catalog_new_default(&cat));
    ASSERT_OK(tp_events_new(&e, cat));
    unsigned calls = 0;
    tp_read_options o = TP_READ_OPTIONS_INIT;
    o.check = stop_when_alarmed;
    o.check_data = &calls;
    tp_status st = tp_events_read_csv(e, path, &o, NULL);
    int status = 0;
    pid_t done = waitpid(child, &status, WNOHANG); /* the writer has not finished */
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    sigaction(SIGALRM, &old, NULL);
    ASSERT_STATUS(st, TP_ECANCELED);
    ASSERT_CONTAINS(tp_last_error(), path);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_TRUE(calls >= 1);
    CU_ASSERT_EQUAL(tp_events_count(e), 0u);
    unlink(path);
    rmdir(dir);
    tp_events_free(e);
    tp_catalog_free(cat);
}

/* ---- analyses ---- */

typedef struct progress {
    unsigned calls, stop_at;
    int figures_ok;
} progress;

static int analysis_progress(void *data, uint64_t done, uint64_t total)
{
    progress *p = data;
    p->calls++;
    if (done > total)
        p->figures_ok = 0;
    return p->calls == p->stop_at;
}

/* Every analysis that cuts events into journeys asks the progress callback as
 * it goes, and stops with no result when it says stop; with a callback that
 * never stops, the result is the one without a callback. */
static void test_journey_analyses_stop(void)
{
    size_t len = 0;
    char *text = events_text(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    tp_catalog *cat = NULL;
    tp_events *e = tp_test_log(&cat, "customer_id,timestamp,touchpoint\n", 33);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    ASSERT_OK(tp_events_read_csv_buffer(e, text, len, "big.csv", NULL, NULL));
    free(text);
    tp_options *o;
    ASSERT_OK(tp_options_new(&o));
    size_t checked = 0;
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        if (!(a->needs & (TP_INPUT_EVENTS | TP_INPUT_PATHS)) || (a->needs & TP_INPUT_FEEDBACK))
            continue;
        const char *params[4];
        size_t np = 0;
        if (!strcmp(a->name, "funnel"))
            params[0] = "steps", params[1] = "website,cart", np = 1;
        else if (!strcmp(a->name, "next_touchpoints"))
            params[0] = "after", params[1] = "website", np = 1;
        else if (!strcmp(a->name, "profile"))
            params[0] = "id", params[1] = "c7", np = 1;
        else if (!strcmp(a->name, "conformance"))
            continue; /* needs a journey map: test_conformance_stops */
        tp_table *out[4] = {NULL}, *plain[4] = {NULL};
        progress p = {0, 1, 1};
        ASSERT_OK(tp_options_set_progress(o, analysis_progress, &p));
        tp_status st = tp_analysis_run(a->name, e, NULL, NULL, NULL, o, params, np, out, 4);
        if (st != TP_ECANCELED)
            fprintf(stderr, "\n  %s: %d %s\n", a->name, (int)st, tp_last_error());
        CU_ASSERT_EQUAL(st, TP_ECANCELED);
        CU_ASSERT_PTR_NULL(out[0]);
        CU_ASSERT_EQUAL(p.calls, 1u);
        p = (progress){0, 0, 1};
        ASSERT_OK(tp_analysis_run(a->name, e, NULL, NULL, NULL, o, params, np, out, 4));
        CU_ASSERT_TRUE(p.calls >= 2);
        CU_ASSERT_TRUE(p.figures_ok);
        ASSERT_OK(tp_analysis_run(a->name, e, NULL, NULL, NULL, NULL, params, np, plain, 4));
        for (size_t k = 0; k < a->output_count; k++) {
            char *x = NULL, *y = NULL;
            if (out[k] && plain[k]) {
                ASSERT_OK(tp_table_format(out[k], TP_FORMAT_CSV, &x, NULL));
                ASSERT_OK(tp_table_format(plain[k], TP_FORMAT_CSV, &y, NULL));
                CU_ASSERT_STRING_EQUAL(x, y);
            } else {
                CU_ASSERT_PTR_EQUAL(out[k], plain[k]);
            }
            tp_free(x);
            tp_free(y);
            tp_table_free(out[k]);
            tp_table_free(plain[k]);
        }
        checked++;
    }
    CU_ASSERT_TRUE(checked >= 10);
    tp_options_free(o);
    tp_events_free(e);
    tp_catalog_free(cat);
}

/* A copy of options carries every option and knock-out, and a progress
 * callback of its own. */
static void test_options_copy(void)
{
    tp_options *o, *c;
    ASSERT_OK(tp_options_new(&o));
    ASSERT_OK(tp_options_set(o, "level", "0.9"));
    ASSERT_OK(tp_options_add_knockout(o, "greeting"));
    progress p = {0, 0, 1};
    ASSERT_OK(tp_options_set_progress(o, analysis_progress, &p));
    ASSERT_OK(tp_options_copy(o, &c));
    double level;
    ASSERT_OK(tp_options_get_double(c, TP_OPT_LEVEL, &level));
    CU_ASSERT_DOUBLE_EQUAL(level, 0.9, 1e-12);
    tp_options_free(o); /* the copy owns its knock-outs */
    ASSERT_OK(tp_options_set_progress(c, NULL, NULL));
    tp_options *d;
    ASSERT_OK(tp_options_copy(c, &d));
    tp_options_free(c);
    tp_options_free(d);
    ASSERT_STATUS(tp_options_copy(NULL, &d), TP_EINVAL);
    CU_ASSERT_PTR_NULL(d);
    ASSERT_STATUS(tp_options_copy(o = NULL, NULL), TP_EINVAL);
}

int main(void)
{
    static const tp_test tests[] = {TP_TEST(test_events_read_stops),
                                    TP_TEST(test_events_read_goes_on),
                                    TP_TEST(test_other_readers_stop),
                                    TP_TEST(test_blocked_pipe_read_stops_on_a_signal),
                                    TP_TEST(test_journey_analyses_stop),
                                    TP_TEST(test_options_copy),
                                    TP_TESTS_END};
    static const tp_suite suites[] = {{"cancel", tests}, {NULL, NULL}};
    return tp_run_suites(suites);
}
