/* The attribution models, each filling per-touchpoint credit arrays indexed
 * by the path set's name ids. */
#ifndef TP_ANALYSIS_ATTRIBUTION_INTERNAL_H
#define TP_ANALYSIS_ATTRIBUTION_INTERNAL_H

#include "analysis/options_internal.h"
#include "analysis/paths_internal.h"
#include "analysis/result.h"

typedef struct tp__credit {
    double *conv, *value;            /* attributed conversions and value, per name id */
    double *effect, *value_effect;   /* Markov removal effects (else NULL) */
    double p_conversion;             /* Markov: P(conversion) of the full chain */
} tp__credit;

/* Markov order o->order: removal effects and credit. conv, value, effect and
 * value_effect must hold one slot per name. Returns TP_OK or TP_ENOMEM /
 * TP_EINVAL (solver failure), error set. */
tp_status tp__markov_attribute(const tp_paths *p, const struct tp_options *o, tp__credit *out);

/* The chain as a table (tp_markov_chain). */
tp_status tp__markov_table(const tp_paths *p, const struct tp_options *o, tp_table **out,
                           double *p_conversion);

#endif
