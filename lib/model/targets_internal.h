/* Targets' words and scales, shared by the catalog, its JSON and the analyses. */
#ifndef TP_MODEL_TARGETS_INTERNAL_H
#define TP_MODEL_TARGETS_INTERNAL_H

#include "touchpoint/catalog.h"

/* The words of tp_target, NULL-terminated, indexed by the target. */
extern const char *const tp__target_words[];
/* [lo, hi] of each target's scale. */
extern const double tp__target_scale[TP_TARGET_COUNT][2];

#endif
