/* Filter and options internals, read by the analyses. */
#ifndef TP_ANALYSIS_OPTIONS_INTERNAL_H
#define TP_ANALYSIS_OPTIONS_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "touchpoint/analysis.h"

struct tp_filter {
    int64_t from, to;
    tp__intern text;      /* every string of the filter */
    tp__vec_u32 seg_attr; /* condition i: attribute, value (ids in text), negate */
    tp__vec_u32 seg_value;
    tp__vec_u8 seg_negate;
    tp__vec_u32 stages, channels, touchpoints, owners, customers; /* ids in text */
};

/* Metrics of the CX index, in the order of the weight options. */
enum { TP__M_NPS, TP__M_CSAT, TP__M_CES, TP__M_RATING, TP__M_SENTIMENT, TP__M_AUDIT, TP__M_COUNT };

struct tp_options {
    double level, alpha, prior_mean, prior_weight, knockout_pass;
    double weight[TP__M_COUNT];
    int64_t min_responses, period, outcome, top_terms, all_hotspots, by_touchpoint, timeout;
    int64_t top, collapse, order, half_life, shapley_value, credit_conversion, self_loops,
        max_steps, threads, cohort;
    double position_first, position_last, markov_max_work;
    char breakdown[257];  /* TP_OPT_BREAKDOWN: an attribute name (at most 256 bytes, as every
                             identifier), or "" */
    tp__intern knockouts; /* audit item names, without "audit:" */
    const tp_lexicon *lexicon;
    tp_analysis_progress_fn progress; /* tp_options_set_progress(), or NULL */
    void *progress_data;
    /* Set on a copy by the partial aggregates: the data is one part of the
     * whole, so a segment attribute or value it lacks is not a typo. Not an
     * option a user sets. */
    int partition;
};

/* A copy of src (a new empty filter when src is NULL) without its segment
 * conditions on attribute `skip` (ASCII case ignored), or with all of them
 * when skip is NULL. Returns TP_OK or TP_ENOMEM. */
tp_status tp__filter_copy_without(const tp_filter *src, const char *skip, tp_filter **out);
/* Whether a customer whose `attr` is `value` ("" for none) passes f's
 * conditions on that attribute (1 when f is NULL or has none). */
int tp__filter_allows(const tp_filter *f, const char *attr, const char *value);

/* Report progress through o's callback: TP_OK, or TP_ECANCELED (message set)
 * when it asks to stop. Call on the calling thread only. */
tp_status tp__options_progress(const struct tp_options *o, uint64_t done, uint64_t total);

/* Step i of n of a long loop: every 65,536th step reports progress as
 * tp__options_progress() does (o may be NULL: nothing to report). */
static inline tp_status tp__options_tick(const struct tp_options *o, uint64_t i, uint64_t n)
{
    return (i & 0xFFFF) || !o || !o->progress ? TP_OK : tp__options_progress(o, i, n);
}

/* The default of markov_max_work. */
#define TP__MARKOV_MAX_WORK 3e10

/* The defaults, for analyses called with NULL options (no knock-outs, no lexicon). */
void tp__options_defaults(struct tp_options *o);
/* options, or *defaults filled with the defaults when options is NULL. */
const struct tp_options *tp__options_or_defaults(const tp_options *options,
                                                 struct tp_options *defaults);

#endif
