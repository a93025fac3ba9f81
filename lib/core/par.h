/* A parallel loop over independent items: each index writes only its own
 * results, so the outcome is the same whatever the number of threads. */
#ifndef TP_CORE_PAR_H
#define TP_CORE_PAR_H

#include <stddef.h>

#include "touchpoint/common.h"

/* Calls fn(ctx, i) for i in [0, n) on up to `threads` threads (the caller's
 * included; 0: one per online CPU). Returns TP_OK, or the status of the
 * failing call with the lowest index, its message set on the calling thread.
 * If threads cannot be started the caller does the rest. */
tp_status tp__parallel_for(size_t n, int threads, tp_status (*fn)(void *ctx, size_t i),
                           void *ctx);

/* tp__parallel_for, with poll(poll_ctx) called on the calling thread about
 * every 20 ms while it waits for the other threads once its own share is
 * done (poll NULL: none). A poll that wants the loop to stop sets a flag the
 * calls of fn read; the items in progress finish. */
tp_status tp__parallel_for_polled(size_t n, int threads, tp_status (*fn)(void *ctx, size_t i),
                                  void *ctx, void (*poll)(void *poll_ctx), void *poll_ctx);

/* The thread count that 0 means. */
int tp__cpu_count(void);

#endif
