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

/* The thread count that 0 means. */
int tp__cpu_count(void);

#endif
