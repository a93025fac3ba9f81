/* Feedback set internals, shared with the reader and (later) the analyses. */
#ifndef TP_MODEL_FEEDBACK_INTERNAL_H
#define TP_MODEL_FEEDBACK_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "model/attrs.h"
#include "model/catalog_internal.h"
#include "touchpoint/feedback.h"

/* Metric ids: 0-3 are nps, csat, ces, rating (equal to tp_metric); audit items
 * ("audit:<item>") follow from 4. */
#define TP__METRIC_FIRST_AUDIT 4

struct tp_feedback {
    tp_catalog *catalog;
    int owns_catalog;
    tp_unknown_policy policy;
    tp__intern customers;
    tp__intern metrics;
    tp__intern comments;    /* id 0 is "" = no comment */
    tp__vec_u32 customer;
    tp__vec_i64 time;
    tp__vec_u32 touchpoint;
    tp__vec_u32 metric;
    tp__vec_f64 score;
    tp__vec_f64 weight;
    tp__vec_u32 comment;
    tp__attrs attrs;
    tp__pending *pending;   /* set while threads read into the set (catalog_internal.h) */
    tp__intern_queue customer_queue; /* a reader's customer ids not yet interned */
};

typedef struct tp__feedback_mark {
    size_t rows;
    tp__intern_mark customers, metrics, comments;
    tp__catalog_mark catalog;
    tp__attrs_mark attrs;
} tp__feedback_mark;

tp__feedback_mark tp__feedback_mark_get(const tp_feedback *f);
void tp__feedback_rollback(tp_feedback *f, tp__feedback_mark m);
int tp__feedback_reserve_row(tp_feedback *f);
/* Room for n more rows (as tp__events_reserve). Returns 0 or -1. */
int tp__feedback_reserve(tp_feedback *f, size_t n);
void tp__feedback_push(tp_feedback *f, uint32_t customer, int64_t time, uint32_t touchpoint,
                       uint32_t metric, double score, double weight, uint32_t comment,
                       const uint32_t *attrs, size_t nattrs);

/* Parse a metric name. On success *kind is set and, for audits, *item and *item_len
 * point at the item name inside `name`. Returns TP_OK or TP_EINVAL with a static
 * reason in *why. */
tp_status tp__metric_parse(const char *name, size_t len, tp_metric *kind, const char **item,
                           size_t *item_len, const char **why);

/* Check a score against its metric's range. NaN is allowed for audits only.
 * Returns TP_OK or TP_EVALIDATE with a static reason in *why. */
tp_status tp__score_check(tp_metric kind, double score, const char **why);

/* Parse a score as written for a metric: numbers, and for audits also "pass"
 * (100), "fail" (0), "n/a"/"na" (NaN). Returns TP_OK, TP_EPARSE (not a number)
 * or TP_EVALIDATE (range); *why gets a static reason. */
tp_status tp__score_text(tp_metric kind, const char *s, size_t len, double *out, const char **why);

/* Intern the canonical metric name; returns 0 or -1. */
int tp__feedback_metric_id(tp_feedback *f, tp_metric kind, const char *item, size_t item_len,
                           uint32_t *id);

/* As tp__events_absorb, for feedback (metrics and comments re-interned too). */
tp_status tp__feedback_absorb(tp_feedback *f, const tp_feedback *w, uint32_t base,
                              const uint32_t *map, const size_t *cols);

#endif
