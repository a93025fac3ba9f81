/* Feedback CSV reader: customer_id,timestamp,touchpoint,metric,score[,comment][,weight][,...] */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/redact.h"
#include "io/csv.h"
#include "io/fields.h"
#include "io/ingest.h"
#include "model/feedback_internal.h"

enum { R_CUSTOMER, R_TIMESTAMP, R_TOUCHPOINT, R_METRIC, R_SCORE, R_COMMENT, R_WEIGHT, NROLES };
_Static_assert((int)NROLES == (int)TP__FEEDBACK_ROLES, "the roles are fields.c's");

static tp_status read_row(void *store, tp__ingest *in, const tp__csv *c, const int *col_of_role,
                          const int *attr_of_col, uint32_t *vals, size_t nattr,
                          const tp__header *h)
{
    tp_feedback *f = store;
    char why[TP__WHY_CAP];
    const char *reason;
    tp_status st;
    int64_t time;
    if (!tp__csv_row_common(in, c, h, col_of_role, &time, &st))
        return st;
#define FIELD(role) (&c->f[col_of_role[role]])
#define BAD(status, role)                                                                      \
    tp__ingest_bad_row(in, status, (uint64_t)col_of_role[role] + 1, h->names[col_of_role[role]], \
                       "%s", why)
    const tp__csv_field *cf = FIELD(R_CUSTOMER), *tf = FIELD(R_TOUCHPOINT);
    const tp__csv_field *mf = FIELD(R_METRIC);
    const char *ms = mf->ptr, *item;
    size_t mlen = mf->len, item_len;
    tp__trimmed(&ms, &mlen);
    tp_metric kind;
    if (tp__metric_parse(ms, mlen, &kind, &item, &item_len, &reason) != TP_OK) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(mf->ptr, mf->len, ex, sizeof ex);
        snprintf(why, sizeof why, "\"%s\": %s", ex, reason);
        return BAD(TP_EVALIDATE, R_METRIC);
    }
    const tp__csv_field *sf = FIELD(R_SCORE);
    const char *ss = sf->ptr;
    size_t slen = sf->len;
    tp__trimmed(&ss, &slen);
    double score;
    if ((st = tp__score_text(kind, ss, slen, &score, &reason)) != TP_OK) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(sf->ptr, sf->len, ex, sizeof ex);
        snprintf(why, sizeof why, "\"%s\": %s", ex, reason);
        return BAD(st, R_SCORE);
    }
    double weight = 1.0;
    if (kind == TP_METRIC_AUDIT && col_of_role[R_WEIGHT] >= 0 && FIELD(R_WEIGHT)->len) {
        const tp__csv_field *wf = FIELD(R_WEIGHT);
        const char *ws = wf->ptr;
        size_t wlen = wf->len;
        tp__trimmed(&ws, &wlen); /* a blank weight is an empty one, as in a frame */
        if (wlen && (st = tp__check_number_field(ws, wlen, &weight, why)) != TP_OK)
            return BAD(st, R_WEIGHT);
        if (weight < 0) {
            snprintf(why, sizeof why, "weight must be >= 0");
            return BAD(TP_EVALIDATE, R_WEIGHT);
        }
    }
    uint32_t tp;
    const char *id;
    size_t id_len;
    tp__csv_touchpoint_id(f->catalog, tf, &id, &id_len);
    st = tp__catalog_resolve_in(f->catalog, f->pending, id, id_len, NULL, 0,
                                f->policy == TP_UNKNOWN_REGISTER, &tp);
    if (st == TP_ENOTFOUND) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(tf->ptr, tf->len, ex, sizeof ex);
        snprintf(why, sizeof why, "unknown touchpoint \"%s\" (not in the catalog)", ex);
        return BAD(TP_ENOTFOUND, R_TOUCHPOINT);
    }
    if (st != TP_OK)
        return tp__ingest_fail(in, st, in->line, 0, NULL, "cannot register touchpoint");
    uint32_t metric, comment = 0;
    int nomem = tp__feedback_metric_id(f, kind, item, item_len, &metric);
    if (!nomem && col_of_role[R_COMMENT] >= 0 && FIELD(R_COMMENT)->len) {
        const char *text = FIELD(R_COMMENT)->ptr;
        size_t text_len = FIELD(R_COMMENT)->len;
        tp__strbuf clean = {0};
        if (in->opts.redact && tp__redact_needed(text, text_len, in->opts.redact)) {
            tp__redact(&clean, text, text_len, in->opts.redact);
            nomem = clean.failed;
            text = clean.data;
            text_len = clean.len;
        }
        if (!nomem)
            nomem = tp__intern_put(&f->comments, text, text_len, &comment);
        tp__sb_free(&clean);
    }
#undef BAD
#undef FIELD
    for (size_t i = 0; !nomem && i < h->ncols; i++)
        if (attr_of_col[i] >= 0)
            nomem = tp__attrs_value(&f->attrs, c->f[i].ptr, c->f[i].len, &vals[attr_of_col[i]]);
    if (nomem)
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    if (tp__feedback_reserve_row(f))
        return tp__ingest_fail(in, f->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               in->line, 0, NULL, "cannot grow the feedback set");
    size_t row = f->time.len;
    tp__feedback_push(f, 0, time, tp, metric, score, weight, comment, vals, nattr);
    if (tp__csv_queue_customer(&f->customer_queue, &f->customers, f->customer.data, cf, row))
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    in->rows_accepted++;
    return TP_OK;
}

TP__CSV_STORE(feedback_store, tp_feedback, read_row, tp_feedback_new, tp_feedback_free,
              tp__feedback_reserve, tp__feedback_absorb);

static tp_status read_csv(tp_feedback *f, const char *data, size_t len, tp__ingest *in)
{
    return tp__csv_read(f, &feedback_store, data, len, in, tp__feedback_roles, NROLES,
                        (1u << TP__FEEDBACK_REQUIRED) - 1);
}

tp_status tp_feedback_read_csv_buffer(tp_feedback *f, const void *data, size_t len,
                                      const char *name, const tp_read_options *opts,
                                      tp_read_log *report)
{
    if (!f || (!data && len))
        return tp__error(TP_EINVAL, "tp_feedback_read_csv_buffer: NULL argument");
    tp__ingest in;
    tp_status st = tp__ingest_begin(&in, name, opts, report, len);
    if (st != TP_OK)
        return st;
    tp__feedback_mark m = tp__feedback_mark_get(f);
    st = read_csv(f, data ? data : "", len, &in);
    if (st != TP_OK)
        tp__feedback_rollback(f, m);
    if (st != TP_OK && in.retry_serial) {
        tp__ingest_retry(&in);
        if ((st = read_csv(f, data ? data : "", len, &in)) != TP_OK)
            tp__feedback_rollback(f, m);
    }
    tp__ingest_end(&in, st, len);
    return st;
}

static tp_status buffer_reader(void *store, const void *data, size_t len, const char *name,
                               const tp_read_options *opts, tp_read_log *report)
{
    return tp_feedback_read_csv_buffer(store, data, len, name, opts, report);
}

tp_status tp_feedback_read_csv(tp_feedback *f, const char *path, const tp_read_options *opts,
                               tp_read_log *report)
{
    return tp__read_file(f, path, opts, report, buffer_reader);
}
