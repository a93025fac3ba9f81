/* Responses from parallel columns (a data frame), row by row as the feedback
 * CSV reader reads: the same field checks and reasons, bad rows skipped into
 * the log or fatal, the set rolled back when the call fails. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/redact.h"
#include "io/columns.h"
#include "model/feedback_internal.h"

typedef struct run {
    tp_feedback *f;
    const tp_feedback_columns *c;
    tp__ingest in;
    const char *time_name, *score_name, *weight_name;
    tp__cell_attrs attrs;
    tp__cell_keys keys;
} run;

/* The metric and score of row @p i: TP_OK, or the row is bad. */
static tp_status row_score(run *r, size_t i, tp_metric *kind, const char **item,
                           size_t *item_len, double *score, int *bad)
{
    const tp_feedback_columns *c = r->c;
    char why[TP__WHY_CAP], ex[TP__EXCERPT_CAP];
    const char *reason, *m = tp__cell_text(&c->metric, i);
    size_t mlen = m ? strlen(m) : 0;
    if (m)
        tp__trimmed(&m, &mlen);
    if (!m || tp__metric_parse(m, mlen, kind, item, item_len, &reason) != TP_OK) {
        if (m) {
            tp__excerpt(m, mlen, ex, sizeof ex);
            snprintf(why, sizeof why, "\"%s\": %s", ex, reason);
        } else {
            snprintf(why, sizeof why, "metric is missing");
        }
        return tp__cell_verdict(&r->in, TP_EVALIDATE, c->metric.name, why, bad);
    }
    tp_status st;
    if (c->scores) {
        *score = c->scores[i];
        if (isnan(*score) && *kind == TP_METRIC_AUDIT)
            return TP_OK; /* an audit item not applicable, as append_many takes it */
        if (isnan(*score)) {
            snprintf(why, sizeof why, "score is missing");
            return tp__cell_verdict(&r->in, TP_EVALIDATE, r->score_name, why, bad);
        }
        st = tp__score_check(*kind, *score, &reason);
        snprintf(ex, sizeof ex, "%.17g", *score);
    } else {
        const char *s = tp__cell_text(&c->score_text, i);
        size_t len = s ? strlen(s) : 0;
        if (s)
            tp__trimmed(&s, &len);
        if (!len) {
            snprintf(why, sizeof why, "score is missing");
            return tp__cell_verdict(&r->in, TP_EVALIDATE, r->score_name, why, bad);
        }
        st = tp__score_text(*kind, s, len, score, &reason);
        tp__excerpt(s, len, ex, sizeof ex);
    }
    if (st != TP_OK)
        snprintf(why, sizeof why, "\"%s\": %s", ex, reason);
    return tp__cell_verdict(&r->in, st, r->score_name, why, bad);
}

/* The weight of an audit item (1 when missing, ignored for other metrics). */
static tp_status row_weight(run *r, size_t i, tp_metric kind, double *weight, int *bad)
{
    const tp_feedback_columns *c = r->c;
    int given;
    *weight = 1.0;
    if (kind != TP_METRIC_AUDIT)
        return TP_OK;
    tp_status st = tp__cell_number(&r->in, c->weights, &c->weight_text, r->weight_name, i,
                                   weight, &given, bad);
    if (*bad || *weight >= 0)
        return st;
    return tp__cell_verdict(&r->in, TP_EVALIDATE, r->weight_name, "weight must be >= 0", bad);
}

/* The comment of row @p i, redacted as the options say, interned (0: none). */
static int row_comment(run *r, size_t i, uint32_t *id)
{
    const char *text = tp__cell_text(&r->c->comment, i);
    size_t len = text ? strlen(text) : 0;
    *id = 0;
    if (!len)
        return 0;
    tp__strbuf clean = {0};
    int nomem = 0;
    if (r->in.opts.redact && tp__redact_needed(text, len, r->in.opts.redact)) {
        tp__redact(&clean, text, len, r->in.opts.redact);
        nomem = clean.failed;
        text = clean.data;
        len = clean.len;
    }
    if (!nomem)
        nomem = tp__intern_put(&r->f->comments, text, len, id);
    tp__sb_free(&clean);
    return nomem ? -1 : 0;
}

static tp_status append_row(run *r, size_t i)
{
    tp_feedback *f = r->f;
    const tp_feedback_columns *c = r->c;
    tp_status st = tp__ingest_row(&r->in, i + 1, 0);
    if (st != TP_OK)
        return st;
    int bad = 0;
    tp__cell_row row;
    st = tp__cell_keys_check(&r->in, &r->keys, i, &row, &bad);
    tp_metric kind = TP_METRIC_NPS;
    const char *item = NULL;
    size_t item_len = 0;
    double score = 0, weight = 1.0;
    if (!bad)
        st = row_score(r, i, &kind, &item, &item_len, &score, &bad);
    if (!bad)
        st = row_weight(r, i, kind, &weight, &bad);
    if (!bad) /* a weight a non-audit row ignores is still held to UTF-8, as in a file */
        st = tp__cell_utf8(&r->in, &c->weight_text, i, &bad);
    if (!bad)
        st = tp__cell_utf8(&r->in, &c->comment, i, &bad);
    for (size_t k = 0; !bad && k < c->nattrs; k++)
        st = tp__cell_utf8(&r->in, &c->attrs[k], i, &bad);
    if (bad)
        return st;
    if ((st = tp__cell_keys_store(&r->in, &r->keys, i, &row, &bad)) != TP_OK || bad)
        return st;
    uint32_t metric, comment;
    int nomem = tp__feedback_metric_id(f, kind, item, item_len, &metric) ||
                row_comment(r, i, &comment) ||
                tp__cell_attrs_row(&r->attrs, &f->attrs, c->attrs, c->nattrs, i);
    if (nomem)
        return tp__ingest_fail(&r->in, TP_ENOMEM, i + 1, 0, NULL, "out of memory");
    if (tp__feedback_reserve_row(f))
        return tp__ingest_fail(&r->in, f->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               i + 1, 0, NULL, "cannot grow the feedback set");
    tp__feedback_push(f, row.customer, row.time, row.touchpoint, metric, score, weight, comment,
                      r->attrs.val, r->attrs.n);
    r->in.rows_accepted++;
    return TP_OK;
}

static tp_status check_columns(const tp_feedback_columns *c)
{
    if (c->version != TP_FEEDBACK_COLUMNS_VERSION)
        return tp__error(TP_EINVAL, "feedback columns: unknown version %u (this library reads "
                                    "%u)",
                         c->version, TP_FEEDBACK_COLUMNS_VERSION);
    if (c->count && (!c->customer.values || !c->touchpoint.values || !c->metric.values ||
                     (!c->times_ms && !c->time_text.values) ||
                     (!c->scores && !c->score_text.values)))
        return tp__error(TP_EINVAL, "feedback columns: the customer, touchpoint, time, metric "
                                    "and score columns are required");
    return tp__cell_attrs_check(c->attrs, c->nattrs, c->count, "feedback columns");
}

tp_status tp_feedback_append_columns(tp_feedback *f, const tp_feedback_columns *c,
                                     const char *name, const tp_read_options *opts,
                                     tp_read_log *log)
{
    if (!f || !c)
        return tp__error(TP_EINVAL, "appending feedback columns: %s is NULL",
                         f ? "the columns" : "the feedback set");
    tp_status st = check_columns(c);
    if (st != TP_OK)
        return st;
    run r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.c = c;
    r.time_name = tp__cell_name(c->time_name, &c->time_text, "timestamp");
    r.score_name = tp__cell_name(c->score_name, &c->score_text, "score");
    r.weight_name = tp__cell_name(c->weight_name, &c->weight_text, "weight");
    if ((st = tp__ingest_begin(&r.in, name ? name : "columns", opts, log, 0)) != TP_OK)
        return st;
    tp__feedback_mark mark = tp__feedback_mark_get(f);
    tp__cell_keys_init(&r.keys, &c->customer, &c->touchpoint,
                       (tp__time_cells){c->times_ms, c->time_missing, &c->time_text, r.time_name},
                       f->catalog, f->policy == TP_UNKNOWN_REGISTER, &f->customers);
    st = tp__cell_attrs_begin(&r.attrs, &f->attrs, c->attrs, c->nattrs, f->time.len);
    if (st == TP_OK && c->count <= UINT32_MAX - 1 - f->time.len &&
        tp__feedback_reserve(f, c->count))
        st = tp__error(TP_ENOMEM, "cannot grow the feedback set by %zu responses", c->count);
    for (size_t i = 0; st == TP_OK && i < c->count; i++)
        st = append_row(&r, i);
    if (st != TP_OK)
        tp__feedback_rollback(f, mark);
    tp__ingest_end(&r.in, st, 0);
    tp__cell_keys_free(&r.keys);
    tp__cell_attrs_end(&r.attrs);
    return st;
}
