/* The selected data of one analysis run: the filter compiled against the
 * inputs, the resolved options, and the feedback turned into responses with
 * 0-100 values. Every scoring analysis starts from a view. */
#ifndef TP_ANALYSIS_VIEW_H
#define TP_ANALYSIS_VIEW_H

#include <stdint.h>

#include "analysis/options_internal.h"
#include "analysis/stats.h"
#include "model/catalog_internal.h"
#include "model/events_internal.h"
#include "model/feedback_internal.h"
#include "touchpoint/scoring.h"

/* One response: a survey answer, a comment's sentiment, or an audit visit's
 * score at one touchpoint. */
typedef struct tp__resp {
    int64_t time;
    uint32_t tp;       /* catalog index */
    uint32_t customer; /* feedback customer id */
    uint8_t metric;    /* TP__M_* */
    uint8_t knocked;   /* audit: a knock-out item failed */
    double raw;        /* nps 0-10, csat 1-5, ces 1-7, rating 1-5, compound, audit 0-100 */
    double value;      /* 0-100 */
} tp__resp;

TP__VEC(resp, tp__resp)

typedef struct tp__segment tp__segment;
typedef struct tp__acc tp__acc;

typedef struct tp__view {
    const tp_events *ev;        /* may be NULL */
    const tp_feedback *fb;      /* may be NULL */
    const tp_catalog *cat;
    const struct tp_options *opt;
    struct tp_options defaults; /* used when no options were given */
    const tp_filter *filter;    /* may be NULL */
    const tp_lexicon *lexicon; /* the built-in one, shared or own_lexicon */
    tp_lexicon *own_lexicon;
    uint8_t *tp_ok;             /* per touchpoint: passes the stage/channel/id parts */
    size_t ntp;
    tp__segment *seg;           /* one per distinct attribute in the conditions */
    size_t nseg;
    uint8_t *cust_ev, *cust_fb; /* with the filter's customers: 1 per selected customer of
                                   the events / the feedback; NULL without */
    uint32_t *fb_to_ev;         /* feedback customer -> events customer or TP__NONE;
                                   NULL unless asked for (TP__NEED_FB_TO_EV) or segments need it */
    tp__vec_resp resp;          /* selected responses, feedback order (audits last) */
    tp__acc *acc;               /* with TP__NEED_ACCUMULATE: per touchpoint, instead of resp */
    int who;                    /* with TP__NEED_RESPONDENTS and no bit tables: who_tp and
                                   who_cust are kept */
    /* with TP__NEED_RESPONDENTS, when a bit per (touchpoint, customer) fits:
     * a row of ev_words (fb_words) words per touchpoint, of the selected
     * events (reach) and of the responses (respondents, set as they are made) */
    uint64_t *bits_ev, *bits_fb;
    size_t ev_words, fb_words;
    tp__vec_u32 who_tp, who_cust; /* per selected response: touchpoint, feedback customer */
} tp__view;

/* What an analysis needs of a view (bit flags of tp__view_open). */
enum {
    TP__NEED_EVENTS = 1,     /* an event log is required */
    TP__NEED_FEEDBACK = 2,   /* a feedback set is required */
    TP__NEED_FB_TO_EV = 4,   /* fb_to_ev (also built when the filter has segments) */
    TP__NEED_ACCUMULATE = 8, /* only the per-touchpoint accumulators: responses are added
                                up as they are made, never stored (resp stays empty;
                                tp__view_by_touchpoint gives the same result) */
    TP__NEED_RESPONDENTS = 16 /* who answered where, and fb_to_ev, for
                                tp__view_reach_respondents */
};

/* Open a view: check inputs, compile the filter, build the responses.
 * `need`: TP__NEED_* flags. On failure the view is cleaned up and the error is set. */
tp_status tp__view_open(tp__view *v, const tp_events *ev, const tp_feedback *fb,
                        const tp_filter *filter, const tp_options *opt, unsigned need,
                        const char *what);
void tp__view_close(tp__view *v);

/* The distinct non-empty values of attribute `attr` (a column of the events
 * or the feedback, matched as segments match it), sorted by byte order, in
 * *values (tp__free the array; the texts are borrowed from the stores), and
 * whether some row lacks one (its customer has no value in the events).
 * Returns TP_OK; TP_ENOTFOUND (no such attribute, naming the nearest);
 * TP_ELIMIT (more than `limit` values); TP_ENOMEM. */
tp_status tp__attr_values(const tp_events *ev, const tp_feedback *fb, const char *attr,
                          size_t limit, const char ***values, size_t *n, int *missing);

/* Whether event row `row` passes the filter. */
int tp__view_event(const tp__view *v, size_t row);
/* Whether event row `row` passes the time and segment parts (for outcomes,
 * which do not depend on the touchpoint parts). */
int tp__view_event_scope(const tp__view *v, size_t row);
/* Whether feedback row `row` passes the filter. */
int tp__view_feedback(const tp__view *v, size_t row);

/* The lexicon to use for comments. */
const tp_lexicon *tp__view_lexicon(const tp__view *v);

/* Unique customers of the selected events per key: key_of_tp maps a touchpoint
 * to a key < nkeys (or TP__NONE to skip). out[nkeys] receives the counts.
 * Returns TP_OK or TP_ENOMEM. */
tp_status tp__view_reach(const tp__view *v, const uint32_t *key_of_tp, size_t nkeys,
                         uint64_t *out);

/* Per touchpoint (v->ntp entries each): reach (tp__view_reach), respondents
 * = distinct customers with a selected response, and reached = those of them
 * with a selected event there too (0 without events). Needs
 * TP__NEED_RESPONDENTS: read off the bit tables the view made, or counted
 * from the customers it kept. Returns TP_OK or TP_ENOMEM. */
tp_status tp__view_reach_respondents(const tp__view *v, uint64_t *reach, uint64_t *respondents,
                                     uint64_t *reached);

/* Per-key accumulation of responses. */
struct tp__acc {
    uint64_t promoters, passives, detractors;
    uint64_t csat_n, csat_top;
    uint64_t ces_easy, audit_knocked;
    tp__xmoments ces, rating, sentiment, audit; /* raw values */
    tp__xmoments all; /* every 0-100 value */
};

/* Accumulators per touchpoint over the view's responses (v->ntp of them;
 * caller frees with tp__free). NULL on allocation failure (error set). */
tp__acc *tp__view_by_touchpoint(const tp__view *v);

/* Responses are validated (bounded values), so adding cannot overflow; merging
 * returns -1 (into unchanged) when a count or sum would overflow, which only
 * partial aggregates read from outside can cause. */
void tp__acc_add(tp__acc *a, const tp__resp *r);
int tp__acc_merge(tp__acc *into, const tp__acc *from);
/* A metric on the 0-100 scale of the CX index, NaN without responses. */
double tp__acc_scaled(const tp__acc *a, int metric);
/* The CX index with the given weights (NaN when no weighted metric has data). */
double tp__acc_cx(const tp__acc *a, const double *weights);
/* Metric in its own unit: NPS points, CSAT percent, CES/rating mean, mean
 * compound, audit percent. */
double tp__acc_metric(const tp__acc *a, int metric);
uint64_t tp__acc_n(const tp__acc *a, int metric);

#endif
