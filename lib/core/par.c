/* Parallel loops on POSIX threads: workers take the next index from a shared
 * counter, and the first failure by index wins, so errors are deterministic
 * too. Why not OpenMP: the library would impose its runtime and thread pool
 * on every host program; a few pthreads per call, joined before returning,
 * leave no state behind. */
#include "core/par.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"

typedef struct loop {
    size_t n, next, fail_at;
    tp_status fail;
    char message[512];
    tp_status (*fn)(void *, size_t);
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t done;  /* signalled as each started thread finishes */
    int running;          /* started threads still working */
} loop;

static void work(loop *l)
{
    for (;;) {
        pthread_mutex_lock(&l->lock);
        size_t i = l->next < l->fail_at ? l->next++ : l->n;
        pthread_mutex_unlock(&l->lock);
        if (i >= l->n)
            return;
        tp_status st = l->fn(l->ctx, i);
        if (st != TP_OK) {
            pthread_mutex_lock(&l->lock);
            if (i < l->fail_at) {
                l->fail_at = i;
                l->fail = st;
                snprintf(l->message, sizeof l->message, "%s", tp_last_error());
            }
            pthread_mutex_unlock(&l->lock);
        }
    }
}

static void *worker(void *arg)
{
    loop *l = arg;
    work(l);
    pthread_mutex_lock(&l->lock);
    l->running--;
    pthread_cond_signal(&l->done);
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

/* Wait for the started threads, calling poll about every 20 ms meanwhile
 * (poll NULL: just wait). */
static void wait_polling(loop *l, void (*poll)(void *), void *poll_ctx)
{
    pthread_mutex_lock(&l->lock);
    while (l->running > 0) {
        if (!poll) {
            pthread_cond_wait(&l->done, &l->lock);
            continue;
        }
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += 20 * 1000 * 1000;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&l->done, &l->lock, &t) == ETIMEDOUT) {
            pthread_mutex_unlock(&l->lock);
            poll(poll_ctx);
            pthread_mutex_lock(&l->lock);
        }
    }
    pthread_mutex_unlock(&l->lock);
}

int tp__cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

tp_status tp__parallel_for(size_t n, int threads, tp_status (*fn)(void *ctx, size_t i),
                           void *ctx)
{
    return tp__parallel_for_polled(n, threads, fn, ctx, NULL, NULL);
}

tp_status tp__parallel_for_polled(size_t n, int threads, tp_status (*fn)(void *ctx, size_t i),
                                  void *ctx, void (*poll)(void *poll_ctx), void *poll_ctx)
{
    if (threads <= 0)
        threads = tp__cpu_count();
    if ((size_t)threads > n)
        threads = (int)n;
    if (threads <= 1) {
        for (size_t i = 0; i < n; i++) {
            tp_status st = fn(ctx, i);
            if (st != TP_OK)
                return st;
        }
        return TP_OK;
    }
    loop l = {n, 0, n, TP_OK, "", fn, ctx, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    pthread_t tid[256];
    int started = 0;
    pthread_mutex_lock(&l.lock);
    while (started < threads - 1 && pthread_create(&tid[started], NULL, worker, &l) == 0) {
        started++;
        l.running++;
    }
    pthread_mutex_unlock(&l.lock);
    work(&l); /* the caller works too, and finishes the loop if no thread started */
    wait_polling(&l, poll, poll_ctx);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_cond_destroy(&l.done);
    pthread_mutex_destroy(&l.lock);
    if (l.fail != TP_OK)
        return tp__error(l.fail, "%s", l.message);
    return TP_OK;
}
