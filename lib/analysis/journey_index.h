/* Journeys of a view: the selected events sorted by customer and time, cut
 * into journeys. Shared by every journey-level analysis. */
#ifndef TP_ANALYSIS_JOURNEY_INDEX_H
#define TP_ANALYSIS_JOURNEY_INDEX_H

#include "analysis/view.h"

typedef struct tp__journey_index {
    uint32_t *rows;  /* selected event rows: customer (first appearance), time, input order */
    size_t nrows;
    uint32_t *start; /* journey j is rows[start[j] .. start[j + 1]) */
    size_t njourneys;
} tp__journey_index;

/* Build from the view's events and options. Returns TP_OK or TP_ENOMEM. */
tp_status tp__journeys_build(const tp__view *v, tp__journey_index *ix);
void tp__journeys_free(tp__journey_index *ix);

/* Open a view on the events (tp__view_open, events only) and cut it into
 * journeys; on failure nothing is left open. */
tp_status tp__journeys_open(tp__view *v, tp__journey_index *ix, const tp_events *events,
                            const tp_filter *filter, const tp_options *options, const char *what);
/* Why a journey table has no rows, when the reason is that there is no
 * journey: "no journeys: the event log is empty" or "no journeys: none of
 * the N events passes the filter" (written to buf). NULL when there are
 * journeys (the analysis says what else left its table empty). */
const char *tp__journeys_why_none(const tp__view *v, const tp__journey_index *ix, char *buf,
                                  size_t cap);
/* Free the index and close the view opened by tp__journeys_open. */
void tp__journeys_close(tp__view *v, tp__journey_index *ix);

#endif
