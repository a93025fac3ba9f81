/* What customers talk about: the most frequent sentiment words per touchpoint. */
#include <stdlib.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/sentiment_internal.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/error.h"

/* One use of a sentiment word in a comment. */
typedef struct use {
    uint32_t tp, term;
    uint8_t negated, positive;
} use;

typedef struct collect {
    use *uses;
    size_t n, cap, first; /* first: where the current comment's uses start */
    uint32_t tp;
    int failed;
} collect;

static void on_term(void *p, uint32_t term, int negated, double value)
{
    collect *c = p;
    use u = {c->tp, term, (uint8_t)negated, (uint8_t)(value > 0.0)};
    for (size_t i = c->first; i < c->n; i++)
        if (c->uses[i].tp == u.tp && c->uses[i].term == u.term &&
            c->uses[i].negated == u.negated && c->uses[i].positive == u.positive)
            return; /* count a term once per comment */
    if (c->n == c->cap) {
        void *d = c->uses;
        if (tp__grow(&d, &c->cap, sizeof *c->uses, c->n + 1)) {
            c->failed = 1;
            return;
        }
        c->uses = d;
    }
    c->uses[c->n++] = u;
}

/* By touchpoint, polarity (positive first), term, negation. */
static int use_cmp(const void *pa, const void *pb)
{
    const use *a = pa, *b = pb;
    if (a->tp != b->tp)
        return a->tp < b->tp ? -1 : 1;
    if (a->positive != b->positive)
        return a->positive > b->positive ? -1 : 1;
    if (a->term != b->term)
        return a->term < b->term ? -1 : 1;
    return a->negated - b->negated;
}

typedef struct term_count {
    const char *term;
    int negated;
    uint64_t count;
} term_count;

/* Most frequent first; ties alphabetically. */
static int count_cmp(const void *pa, const void *pb)
{
    const term_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = strcmp(a->term, b->term);
    return c ? c : a->negated - b->negated;
}

enum { TM_TOUCHPOINT, TM_COMMENTS, TM_SENTIMENT, TM_POLARITY, TM_TERM, TM_COUNT, TM_RANK };

static const tp__col term_cols[] = {
    {"touchpoint", TP_TYPE_STRING}, {"comments", TP_TYPE_INT64}, {"sentiment", TP_TYPE_DOUBLE},
    {"polarity", TP_TYPE_STRING},   {"term", TP_TYPE_STRING},    {"count", TP_TYPE_INT64},
    {"rank", TP_TYPE_INT64},
};

TP_API tp_status tp_sentiment_terms(const tp_events *events, const tp_feedback *feedback,
                                    const tp_filter *filter, const tp_options *options,
                                    tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_sentiment_terms: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options,
                                 TP__NEED_FEEDBACK | TP__NEED_ACCUMULATE, "tp_sentiment_terms");
    if (st != TP_OK)
        return st;
    const tp_feedback *f = v.fb;
    const tp_lexicon *lex = tp__view_lexicon(&v);
    collect c = {NULL, 0, 0, 0, 0, 0};
    tp__acc *acc = tp__view_by_touchpoint(&v); /* comment counts and mean sentiment */
    term_count *list = NULL;
    if (!acc) {
        tp__view_close(&v);
        return TP_ENOMEM;
    }
    for (size_t r = 0; r < f->customer.len && !c.failed; r++) {
        uint32_t cm = f->comment.data[r];
        if (cm == 0 || !tp__view_feedback(&v, r))
            continue;
        c.tp = f->touchpoint.data[r];
        c.first = c.n;
        tp__sentiment(lex, tp__intern_str(&f->comments, cm), tp__intern_len(&f->comments, cm),
                      on_term, &c);
    }
    if (c.failed || !(list = tp__malloc((c.n ? c.n : 1) * sizeof *list))) {
        tp__free(c.uses);
        tp__free(acc);
        tp__view_close(&v);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    if (c.n) /* no comment term: no buffer, and qsort wants one */
        qsort(c.uses, c.n, sizeof *c.uses, use_cmp);
    tp__rb b;
    tp__rb_begin(&b, term_cols, TP__NCOLS(term_cols));
    for (size_t i = 0; i < c.n && b.st == TP_OK;) {
        /* one touchpoint and polarity: count each (term, negated) run */
        size_t j = i, nl = 0;
        while (j < c.n && c.uses[j].tp == c.uses[i].tp && c.uses[j].positive == c.uses[i].positive) {
            const use *u = &c.uses[j++];
            if (nl && j - 1 > i && u->term == c.uses[j - 2].term &&
                u->negated == c.uses[j - 2].negated)
                list[nl - 1].count++;
            else
                list[nl++] = (term_count){tp__intern_str(&lex->terms, u->term), u->negated, 1};
        }
        qsort(list, nl, sizeof *list, count_cmp);
        const tp__acc *a = &acc[c.uses[i].tp];
        for (size_t k = 0; k < nl && k < (size_t)v.opt->top_terms && b.st == TP_OK; k++) {
            char term[TP__TERM_MAX + 8];
            const char *w = list[k].term;
            if (list[k].negated) {
                memcpy(term, "not ", 4);
                memcpy(term + 4, w, strlen(w) + 1);
                w = term;
            }
            tp__rb_row(&b);
            tp__rb_str(&b, TM_TOUCHPOINT, tp__catalog_id(v.cat, c.uses[i].tp));
            tp__rb_i64(&b, TM_COMMENTS, (int64_t)a->sentiment.n);
            tp__rb_f64(&b, TM_SENTIMENT, tp__xmoments_get(&a->sentiment).mean);
            tp__rb_str(&b, TM_POLARITY, c.uses[i].positive ? "positive" : "negative");
            tp__rb_str(&b, TM_TERM, w);
            tp__rb_i64(&b, TM_COUNT, (int64_t)list[k].count);
            tp__rb_i64(&b, TM_RANK, (int64_t)k + 1);
        }
        i = j;
    }
    tp__free(list);
    tp__free(c.uses);
    tp__free(acc);
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           "no terms: no selected comment holds a word of the lexicon");
    tp__view_close(&v);
    return st;
}
