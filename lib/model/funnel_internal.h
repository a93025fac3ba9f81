/* The funnel definition, shared by its builder (model/funnel.c), the catalog
 * that keeps named funnels, and the analysis that runs it. */
#ifndef TP_MODEL_FUNNEL_INTERNAL_H
#define TP_MODEL_FUNNEL_INTERNAL_H

#include <stdint.h>

#include "core/vec.h"
#include "touchpoint/funnel.h"

enum { TP__FUNNEL_MAX_STEPS = 64 };

typedef struct tp__funnel_step {
    char *touchpoint;
    int optional;
    int64_t window;
} tp__funnel_step;

struct tp_funnel {
    tp__funnel_step steps[TP__FUNNEL_MAX_STEPS];
    size_t nsteps;
    tp__vec_ptr exclusions; /* char *, owned */
    int64_t window;
    tp_funnel_mode mode;
};

/* The words of tp_funnel_mode, NULL-terminated, indexed by the mode. */
extern const char *const tp__funnel_mode_words[];

#endif
