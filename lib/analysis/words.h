/* The words of the analyses' enumerations, shared by their parsers and the
 * registry (each array NULL-terminated, indexed by the enum value). */
#ifndef TP_ANALYSIS_WORDS_H
#define TP_ANALYSIS_WORDS_H

extern const char *const tp__group_words[];       /* tp_group */
extern const char *const tp__model_words[];       /* tp_model */

#include <stddef.h>

#include "touchpoint/catalog.h"
#include "touchpoint/scoring.h"

/* The label of catalog touchpoint @p t under grouping @p g (its stage, channel,
 * owner, or the id of its top-level ancestor); NULL means "(none)". */
const char *tp__group_label(const tp_catalog *c, size_t t, tp_group g);

#endif
