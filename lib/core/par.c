/* Parallel loops on POSIX threads: workers take the next index from a shared
 * counter, and the first failure by index wins, so errors are deterministic
 * too. Why not OpenMP: the library would impose its runtime and thread pool
 * on every host program; a few pthreads per call, joined before returning,
 * leave no state behind. */
#include "core/par.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

typedef struct loop {
    size_t n, next, fail_at;
    tp_status fail;
    char message[512];
    tp_status (*fn)(void *, size_t);
    void *ctx;
    pthread_mutex_t lock;
} loop;

static void *worker(void *arg)
{
    loop *l = arg;
    for (;;) {
        pthread_mutex_lock(&l->lock);
        size_t i = l->next < l->fail_at ? l->next++ : l->n;
        pthread_mutex_unlock(&l->lock);
        if (i >= l->n)
            return NULL;
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

int tp__cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

tp_status tp__parallel_for(size_t n, int threads, tp_status (*fn)(void *ctx, size_t i),
                           void *ctx)
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
    loop l = {n, 0, n, TP_OK, "", fn, ctx, PTHREAD_MUTEX_INITIALIZER};
    pthread_t tid[256];
    int started = 0;
    while (started < threads - 1 && pthread_create(&tid[started], NULL, worker, &l) == 0)
        started++;
    worker(&l); /* the caller works too, and finishes the loop if no thread started */
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&l.lock);
    if (l.fail != TP_OK)
        return tp__error(l.fail, "%s", l.message);
    return TP_OK;
}
