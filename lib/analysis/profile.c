/* One customer: who they are, their journeys touch by touch, what they said,
 * and every touchpoint as they met it against everyone's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/counts.h"
#include "analysis/journey_index.h"
#include "analysis/result.h"
#include "analysis/sentiment_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "touchpoint/journeys.h"
#include "touchpoint/scoring.h"

static const char *text_of(const tp_catalog *c, uint32_t id)
{
    return id == TP__NONE ? NULL : tp__intern_str(&c->text, id);
}

/* The customer's last non-empty value of each attribute column of a store,
 * added as string columns of the one-row summary (a name the events already
 * gave is skipped). */
static tp_status attribute_columns(tp__rb *b, const tp__attrs *a, const uint32_t *rows,
                                   size_t n, const tp__attrs *before)
{
    for (size_t c = 0; c < tp__attrs_count(a) && b->st == TP_OK; c++) {
        const char *name = tp__attrs_name(a, c);
        if (before && tp__attrs_find(before, name, strlen(name)) != SIZE_MAX)
            continue;
        const char *value = NULL;
        for (size_t i = 0; i < n; i++) {
            const char *v = tp__attrs_get(a, c, rows[i]);
            if (v && *v)
                value = v;
        }
        size_t col;
        if (tp_table_find_column(b->t, name, &col) == TP_OK) /* a fixed column's name */
            continue;
        if ((b->st = tp_table_add_column(b->t, name, TP_TYPE_STRING, &col)) == TP_OK)
            tp__rb_str(b, col, value);
    }
    return b->st;
}

static const tp__col summary_cols[] = {
    {"customer", TP_TYPE_STRING},  {"start", TP_TYPE_INT64},     {"end", TP_TYPE_INT64},
    {"events", TP_TYPE_INT64},     {"journeys", TP_TYPE_INT64},  {"conversions", TP_TYPE_INT64},
    {"value", TP_TYPE_DOUBLE},     {"responses", TP_TYPE_INT64}, {"cx_index", TP_TYPE_DOUBLE},
};
static const tp__col touch_cols[] = {
    {"journey", TP_TYPE_INT64},      {"step", TP_TYPE_INT64},    {"timestamp", TP_TYPE_INT64},
    {"touchpoint", TP_TYPE_STRING},  {"name", TP_TYPE_STRING},   {"stage", TP_TYPE_STRING},
    {"channel", TP_TYPE_STRING},     {"type", TP_TYPE_STRING},   {"value", TP_TYPE_DOUBLE},
};
static const tp__col answer_cols[] = {
    {"timestamp", TP_TYPE_INT64}, {"touchpoint", TP_TYPE_STRING}, {"metric", TP_TYPE_STRING},
    {"score", TP_TYPE_DOUBLE},    {"comment", TP_TYPE_STRING},    {"sentiment", TP_TYPE_DOUBLE},
};

/* The customer's selected feedback rows, in time order (then input order). */
typedef struct answer {
    int64_t time;
    uint32_t row;
} answer;

static int answer_cmp(const void *pa, const void *pb)
{
    const answer *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static tp_status summary_and_touches(const tp__view *v, const tp__journey_index *ix,
                                     const char *customer, const answer *ans, size_t nans,
                                     tp_table **summary, tp_table **touches)
{
    const tp_events *e = v->ev;
    const tp_catalog *c = v->cat;
    tp__rb t;
    tp__rb_begin(&t, touch_cols, TP__NCOLS(touch_cols));
    tp__rb_unit(&t, "timestamp", TP_UNIT_TIME);
    int64_t start = INT64_MAX, end = INT64_MIN, conversions = 0;
    double value = 0;
    for (size_t j = 0; j < ix->njourneys && t.st == TP_OK; j++)
        for (uint32_t k = ix->start[j]; k < ix->start[j + 1]; k++) {
            uint32_t r = ix->rows[k], tp = e->touchpoint.data[r];
            const tp__touchpoint *d = &c->tps.data[tp];
            int64_t at = e->time.data[r];
            uint8_t type = e->type.data[r];
            start = at < start ? at : start;
            end = at > end ? at : end;
            tp__rb_row(&t);
            tp__rb_i64(&t, 0, (int64_t)j + 1);
            tp__rb_i64(&t, 1, (int64_t)(k - ix->start[j]) + 1);
            tp__rb_i64(&t, 2, at);
            tp__rb_str(&t, 3, tp__catalog_id(c, tp));
            tp__rb_str(&t, 4, text_of(c, d->name));
            tp__rb_str(&t, 5, d->stage == TP__NONE ? NULL : text_of(c, c->stages.data[d->stage]));
            tp__rb_str(&t, 6, text_of(c, d->channel));
            tp__rb_str(&t, 7, tp_event_type_name((tp_event_type)type));
            if (type == TP_EVENT_CONVERSION) {
                tp__rb_f64(&t, 8, tp_events_value(e, r));
                value += tp_events_value(e, r);
                conversions++;
            }
        }
    char why[200];
    snprintf(why, sizeof why, "customer %.60s has no event in the selection", customer);
    tp_status st = tp__note_if_empty(tp__rb_finish(&t, touches), touches, why);
    if (st != TP_OK)
        return st;
    for (size_t i = 0; i < nans; i++) {
        int64_t at = v->fb->time.data[ans[i].row];
        start = at < start ? at : start;
        end = at > end ? at : end;
    }
    tp__acc *acc = tp__view_by_touchpoint(v), all;
    if (!acc) {
        tp_table_free(*touches);
        *touches = NULL;
        return TP_ENOMEM;
    }
    memset(&all, 0, sizeof all);
    for (size_t k = 0; k < v->ntp; k++)
        (void)tp__acc_merge(&all, &acc[k]); /* validated responses: cannot overflow */
    tp__free(acc);
    tp__rb s;
    tp__rb_begin(&s, summary_cols, TP__NCOLS(summary_cols));
    tp__rb_unit(&s, "start", TP_UNIT_TIME);
    tp__rb_unit(&s, "end", TP_UNIT_TIME);
    tp__rb_row(&s);
    tp__rb_str(&s, 0, customer);
    if (start <= end) {
        tp__rb_i64(&s, 1, start);
        tp__rb_i64(&s, 2, end);
    }
    tp__rb_i64(&s, 3, (int64_t)ix->nrows);
    tp__rb_i64(&s, 4, (int64_t)ix->njourneys);
    tp__rb_i64(&s, 5, conversions);
    tp__rb_f64(&s, 6, value);
    tp__rb_i64(&s, 7, (int64_t)all.all.n);
    tp__rb_f64(&s, 8, tp__acc_cx(&all, v->opt->weight));
    /* attributes: the events' (the customer's rows), then the feedback's own */
    uint32_t *rows = tp__malloc((ix->nrows + nans + 1) * sizeof *rows);
    if (!rows)
        s.st = tp__error(TP_ENOMEM, "out of memory");
    if (s.st == TP_OK)
        attribute_columns(&s, &e->attrs, ix->rows, ix->nrows, NULL);
    for (size_t i = 0; rows && i < nans; i++)
        rows[i] = ans[i].row;
    if (s.st == TP_OK && v->fb)
        attribute_columns(&s, &v->fb->attrs, rows, nans, &e->attrs);
    tp__free(rows);
    st = tp__rb_finish(&s, summary);
    if (st != TP_OK) {
        tp_table_free(*touches);
        *touches = NULL;
    }
    return st;
}

static tp_status answers_table(const tp__view *v, const char *customer, const answer *ans,
                               size_t nans, tp_table **out)
{
    const tp_feedback *f = v->fb;
    tp__rb b;
    tp__rb_begin(&b, answer_cols, TP__NCOLS(answer_cols));
    tp__rb_unit(&b, "timestamp", TP_UNIT_TIME);
    const tp_lexicon *lex = tp__view_lexicon(v);
    for (size_t i = 0; i < nans && b.st == TP_OK; i++) {
        uint32_t r = ans[i].row, comment = f->comment.data[r];
        tp__rb_row(&b);
        tp__rb_i64(&b, 0, f->time.data[r]);
        tp__rb_str(&b, 1, tp__catalog_id(v->cat, f->touchpoint.data[r]));
        tp__rb_str(&b, 2, tp_feedback_metric(f, r));
        tp__rb_f64(&b, 3, f->score.data[r]);
        if (comment) {
            const char *text = tp__intern_str(&f->comments, comment);
            tp__rb_str(&b, 4, text);
            tp__rb_f64(&b, 5, tp__sentiment(lex, text, tp__intern_len(&f->comments, comment), NULL,
                                            NULL));
        }
    }
    char why[200];
    snprintf(why, sizeof why, "customer %.60s has no feedback in the selection", customer);
    return tp__note_if_empty(tp__rb_finish(&b, out), out, why);
}

/* Every touchpoint the customer touched or rated: their metrics and CX index
 * (their scorecard) beside everyone's in the same selection. */
static tp_status touchpoints_table(const tp_events *ev, const tp_feedback *fb,
                                   const tp_filter *mine, const tp_filter *all,
                                   const tp_options *o, const tp_table *touches, tp_table **out)
{
    static const char *const copied[] = {"touchpoint", "name", "stage", "owner", "responses",
                                         "nps", "csat", "ces", "rating", "sentiment", "audit",
                                         "cx_index"};
    enum { NCOPIED = sizeof copied / sizeof copied[0] };
    tp_table *own = NULL, *every = NULL, *t = NULL;
    tp_status st = tp_scorecard(ev, fb, mine, o, &own);
    if (st == TP_OK)
        st = tp_scorecard(ev, fb, all, o, &every);
    if (st == TP_OK)
        st = tp_table_new(&t);
    size_t src[NCOPIED], id_col = 0, touch_col = 0;
    for (size_t k = 0; st == TP_OK && k < NCOPIED; k++) {
        if ((st = tp_table_find_column(own, copied[k], &src[k])) == TP_OK)
            st = tp_table_add_column(t, copied[k], tp_table_column_type(own, src[k]), NULL);
        if (st == TP_OK && k == 3)
            st = tp_table_add_column(t, "touches", TP_TYPE_INT64, NULL);
    }
    size_t every_cx = 0;
    if (st == TP_OK && (st = tp_table_add_column(t, "overall_cx_index", TP_TYPE_DOUBLE, NULL)) == TP_OK &&
        (st = tp_table_add_column(t, "difference", TP_TYPE_DOUBLE, NULL)) == TP_OK &&
        (st = tp_table_find_column(every, "cx_index", &every_cx)) == TP_OK &&
        (st = tp_table_find_column(touches, "touchpoint", &touch_col)) == TP_OK)
        st = tp_table_find_column(own, "touchpoint", &id_col);
    /* both scorecards list the same touchpoints in catalog order */
    for (size_t r = 0; st == TP_OK && r < tp_table_row_count(own); r++) {
        const char *id;
        int64_t responses = 0, n = 0;
        tp_table_get_string(own, r, id_col, &id);
        tp_table_get_int64(own, r, src[4], &responses);
        for (size_t k = 0; k < tp_table_row_count(touches); k++) {
            const char *at;
            tp_table_get_string(touches, k, touch_col, &at);
            n += !strcmp(at, id);
        }
        if (!responses && !n)
            continue;
        size_t row;
        if ((st = tp_table_append_row(t, &row)) != TP_OK)
            break;
        for (size_t k = 0, dst = 0; st == TP_OK && k < NCOPIED; k++, dst++) {
            if (k == 4) /* touches, before responses */
                st = tp_table_set_int64(t, row, dst++, n);
            if (st != TP_OK || tp_table_is_null(own, r, src[k]))
                continue;
            const char *s;
            int64_t i;
            double d;
            switch (tp_table_column_type(own, src[k])) {
            case TP_TYPE_STRING:
                tp_table_get_string(own, r, src[k], &s);
                st = tp_table_set_string(t, row, dst, s);
                break;
            case TP_TYPE_INT64:
                tp_table_get_int64(own, r, src[k], &i);
                st = tp_table_set_int64(t, row, dst, i);
                break;
            default:
                tp_table_get_double(own, r, src[k], &d);
                st = tp_table_set_double(t, row, dst, d);
            }
        }
        double mine_cx = NAN, all_cx = NAN;
        tp_table_get_double(own, r, src[NCOPIED - 1], &mine_cx);
        tp_table_get_double(every, r, every_cx, &all_cx);
        if (st == TP_OK)
            st = tp_table_set_double(t, row, NCOPIED + 1, all_cx);
        if (st == TP_OK)
            st = tp_table_set_double(t, row, NCOPIED + 2, mine_cx - all_cx);
    }
    tp_table_free(own);
    tp_table_free(every);
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}

TP_API tp_status tp_profile(const tp_events *events, const tp_feedback *feedback,
                            const char *customer, const tp_filter *filter,
                            const tp_options *options, tp_table **summary, tp_table **touches,
                            tp_table **answers, tp_table **touchpoints)
{
    tp_table **outs[4] = {summary, touches, answers, touchpoints};
    for (int k = 0; k < 4; k++)
        if (outs[k])
            *outs[k] = NULL;
    if (!summary || !customer)
        return tp__error(TP_EINVAL, "tp_profile: %s is NULL", summary ? "customer" : "summary");
    if (!events)
        return tp__error(TP_EINVAL, "tp_profile: needs an event log");
    tp_filter *mine = NULL;
    tp_status st = tp__filter_copy_without(filter, NULL, &mine);
    if (st == TP_OK)
        st = tp_filter_add_customer(mine, customer);
    tp__view v;
    tp__journey_index ix;
    int open = 0;
    if (st == TP_OK && (st = tp__view_open(&v, events, feedback, mine, options, 0, "tp_profile")) == TP_OK) {
        open = 1;
        if ((st = tp__journeys_build(&v, &ix)) != TP_OK) {
            tp__view_close(&v);
            open = 0;
        }
    }
    answer *ans = NULL;
    size_t nans = 0, nfb = feedback ? feedback->customer.len : 0;
    if (st == TP_OK && !(ans = tp__malloc((nfb ? nfb : 1) * sizeof *ans)))
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t r = 0; st == TP_OK && r < nfb; r++)
        if (tp__view_feedback(&v, r))
            ans[nans++] = (answer){feedback->time.data[r], (uint32_t)r};
    if (st == TP_OK && nans > 1)
        qsort(ans, nans, sizeof *ans, answer_cmp);
    tp_table *t[4] = {NULL};
    if (st == TP_OK)
        st = summary_and_touches(&v, &ix, customer, ans, nans, &t[0], &t[1]);
    if (st == TP_OK && feedback)
        st = answers_table(&v, customer, ans, nans, &t[2]);
    if (st == TP_OK && !feedback) { /* the columns, no rows */
        tp__rb b;
        tp__rb_begin(&b, answer_cols, TP__NCOLS(answer_cols));
        st = tp__note_if_empty(tp__rb_finish(&b, &t[2]), &t[2], "no feedback given");
    }
    if (st == TP_OK && touchpoints)
        st = touchpoints_table(events, feedback, mine, filter, options, t[1], &t[3]);
    tp__free(ans);
    if (open) {
        tp__journeys_free(&ix);
        tp__view_close(&v);
    }
    tp_filter_free(mine);
    for (int k = 0; k < 4; k++) {
        if (st == TP_OK && outs[k])
            *outs[k] = t[k];
        else
            tp_table_free(t[k]);
    }
    return st;
}
