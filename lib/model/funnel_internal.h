/* The funnel definition, shared by its builder (model/funnel.c), the catalog
 * that keeps named funnels, and the analysis that runs it. */
#ifndef TP_MODEL_FUNNEL_INTERNAL_H
#define TP_MODEL_FUNNEL_INTERNAL_H

#include <stdint.h>

#include "core/strbuf.h"
#include "core/vec.h"
#include "touchpoint/funnel.h"

enum { TP__FUNNEL_MAX_STEPS = 64 };

/* What an event must be to match a step or an exclusion: at a touchpoint
 * (NULL: at any) and of a type (TP__ANY_TYPE: of any). Never both "any". */
enum { TP__ANY_TYPE = -1 };

typedef struct tp__funnel_target {
    char *touchpoint; /* owned, or NULL */
    int type;         /* tp_event_type or TP__ANY_TYPE */
} tp__funnel_target;

TP__VEC(target, tp__funnel_target)

typedef struct tp__funnel_step {
    tp__funnel_target at;
    int optional;
    int64_t window;
} tp__funnel_step;

struct tp_funnel {
    tp__funnel_step steps[TP__FUNNEL_MAX_STEPS];
    size_t nsteps;
    tp__vec_target exclusions;
    int64_t window;
    tp_funnel_mode mode;
};

/* A target as text, the form tp_funnel_parse() reads: "cart",
 * "online-checkout (conversion)", "(conversion)". Appends to @p b. */
void tp__funnel_target_text(tp__strbuf *b, const char *touchpoint, int type);

/* The words of tp_funnel_mode, NULL-terminated, indexed by the mode. */
extern const char *const tp__funnel_mode_words[];

#endif
