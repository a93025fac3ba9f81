/* Progress of long reads on standard error: rows read and percent of the
 * input, redrawn in place on a terminal. */
#ifndef TOUCHPOINT_TOOL_PROGRESS_H
#define TOUCHPOINT_TOOL_PROGRESS_H

#include <stdint.h>

#include "touchpoint.h"

typedef struct progress {
    int enabled;     /* 0: say nothing */
    int terminal;    /* redraw one line with \r; otherwise a line per update */
    const char *name;
    double started;  /* seconds, monotonic */
    double last;     /* last update shown */
    int shown;       /* something was printed for this input */
} progress;

/* Decide once: `force` (--progress) always shows, `quiet` never, otherwise
 * only when standard error is a terminal. */
void progress_init(progress *p, int force, int quiet);
/* Start a new input. */
void progress_start(progress *p, const char *name);
/* A tp_progress_fn; user_data is the progress. */
void progress_update(void *user_data, uint64_t done, uint64_t total, uint64_t rows);

#endif
