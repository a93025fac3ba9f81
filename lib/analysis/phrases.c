/* Themes in comments: the frequent two- and three-word phrases per
 * touchpoint, with how often they come up and the mean sentiment of the
 * comments that hold them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/sentiment_internal.h"
#include "analysis/view.h"
#include "core/alloc.h"
#include "core/error.h"
#include "touchpoint/scoring.h"

/* A phrase must come up in this many comments of a touchpoint to be listed. */
#define MIN_COMMENTS 2
/* Words per phrase. */
#define SHORTEST 2
#define LONGEST 3

/* One comment holding one phrase at one touchpoint. */
typedef struct use {
    uint32_t tp, phrase;
    double sentiment;
} use;

static int use_cmp(const void *pa, const void *pb)
{
    const use *a = pa, *b = pb;
    if (a->tp != b->tp)
        return a->tp < b->tp ? -1 : 1;
    return a->phrase < b->phrase ? -1 : a->phrase > b->phrase;
}

typedef struct phrase {
    const char *text;
    int words;
    uint64_t count;
    double sentiment; /* sum, then mean */
    int dropped;
} phrase;

/* Most comments first, then longer phrases, then alphabetically. */
static int phrase_cmp(const void *pa, const void *pb)
{
    const phrase *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->words != b->words)
        return a->words > b->words ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* The lexicon kind of the (folded) token, or -1 for a word it lacks. */
static int kind_of(const tp_lexicon *lex, const char *s, size_t n)
{
    uint32_t id;
    return tp__intern_find(&lex->terms, s, n, &id) ? lex->kind.data[id] : -1;
}

typedef struct token {
    char text[TP__TERM_MAX];
    size_t len;
    int first_ok, last_ok; /* may begin / end a phrase */
} token;

/* The phrases of one comment, each once: runs of words within a clause (a
 * comma, a full stop or the like ends one), of SHORTEST to LONGEST words,
 * that neither begin nor end with a stop word; a modifier (booster, negation)
 * may begin one ("no answer", "very slow") but not end it, a contrast word
 * ("but") neither. */
static int comment_phrases(const tp_lexicon *lex, const char *text, size_t len, tp__intern *pool,
                           uint32_t tp, double sentiment, use **uses, size_t *n, size_t *cap,
                           size_t first)
{
    token win[LONGEST];
    size_t nwin = 0, pos = 0;
    while (pos < len) {
        size_t start = tp__next_token(text, len, &pos);
        if (start == pos)
            break;
        size_t a = start, b = pos, ends_clause = 0;
        while (a < b && tp__is_punct((unsigned char)text[a]))
            a++;
        while (b > a && tp__is_punct((unsigned char)text[b - 1])) {
            ends_clause |= text[b - 1] != '\'';
            b--;
        }
        if (a > start || b == a || b - a > TP__TERM_MAX) { /* "(x", "-", a very long token */
            nwin = 0;
            if (b == a || b - a > TP__TERM_MAX)
                continue;
        }
        token t;
        t.len = tp__term_fold(text + a, b - a, t.text);
        int kind = kind_of(lex, t.text, t.len);
        t.first_ok = kind != TP_TERM_STOP && kind != TP_TERM_CONTRAST;
        t.last_ok = kind == -1 || kind == TP_TERM_WORD;
        if (nwin == LONGEST) {
            memmove(win, win + 1, (LONGEST - 1) * sizeof *win);
            nwin--;
        }
        win[nwin++] = t;
        /* the phrases ending at this word */
        for (size_t words = SHORTEST; words <= nwin && t.last_ok; words++) {
            const token *w0 = &win[nwin - words];
            if (!w0->first_ok)
                continue;
            char buf[LONGEST * (TP__TERM_MAX + 1)];
            size_t k = 0;
            for (size_t i = nwin - words; i < nwin; i++) {
                if (k)
                    buf[k++] = ' ';
                memcpy(buf + k, win[i].text, win[i].len);
                k += win[i].len;
            }
            uint32_t id;
            if (tp__intern_put(pool, buf, k, &id))
                return -1;
            int seen = 0;
            for (size_t u = first; u < *n && !seen; u++)
                seen = (*uses)[u].phrase == id;
            if (seen)
                continue;
            if (*n == *cap) {
                void *d = *uses;
                if (tp__grow(&d, cap, sizeof **uses, *n + 1))
                    return -1;
                *uses = d;
            }
            (*uses)[(*n)++] = (use){tp, id, sentiment};
        }
        if (ends_clause)
            nwin = 0;
    }
    return 0;
}

/* A two-word phrase inside a three-word one with as many comments says
 * nothing more ("shipping costs" in "hidden shipping costs"). */
static void drop_inner(phrase *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i].words != SHORTEST)
            continue;
        size_t len = strlen(p[i].text);
        for (size_t j = 0; j < n && !p[i].dropped; j++) {
            if (p[j].words != LONGEST || p[j].count != p[i].count)
                continue;
            const char *t = p[j].text;
            size_t tl = strlen(t);
            p[i].dropped = (!strncmp(t, p[i].text, len) && t[len] == ' ') ||
                           (tl > len && t[tl - len - 1] == ' ' && !strcmp(t + tl - len, p[i].text));
        }
    }
}

static const tp__col phrase_cols[] = {
    {"touchpoint", TP_TYPE_STRING}, {"comments", TP_TYPE_INT64}, {"phrase", TP_TYPE_STRING},
    {"words", TP_TYPE_INT64},       {"count", TP_TYPE_INT64},    {"share", TP_TYPE_DOUBLE},
    {"sentiment", TP_TYPE_DOUBLE},  {"rank", TP_TYPE_INT64},     {"owner", TP_TYPE_STRING},
};

TP_API tp_status tp_comment_phrases(const tp_events *events, const tp_feedback *feedback,
                                    const tp_filter *filter, const tp_options *options,
                                    tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_comment_phrases: out is NULL");
    *out = NULL;
    tp__view v;
    tp_status st = tp__view_open(&v, events, feedback, filter, options,
                                 TP__NEED_FEEDBACK | TP__NEED_ACCUMULATE, "tp_comment_phrases");
    if (st != TP_OK)
        return st;
    const tp_feedback *f = v.fb;
    const tp_lexicon *lex = tp__view_lexicon(&v);
    tp__acc *acc = tp__view_by_touchpoint(&v); /* comments per touchpoint */
    tp__intern pool;
    tp__intern_init(&pool);
    use *uses = NULL;
    size_t n = 0, cap = 0;
    phrase *list = NULL;
    if (!acc)
        st = TP_ENOMEM;
    for (size_t r = 0; st == TP_OK && r < f->customer.len; r++) {
        uint32_t cm = f->comment.data[r];
        if (cm == 0 || !tp__view_feedback(&v, r) || !v.tp_ok[f->touchpoint.data[r]])
            continue;
        if ((st = tp__options_tick(v.opt, r, f->customer.len)) != TP_OK)
            break;
        const char *text = tp__intern_str(&f->comments, cm);
        size_t len = tp__intern_len(&f->comments, cm);
        double s = tp__sentiment(lex, text, len, NULL, NULL);
        if (comment_phrases(lex, text, len, &pool, f->touchpoint.data[r], s, &uses, &n, &cap, n))
            st = tp__error(TP_ENOMEM, "out of memory");
    }
    if (st == TP_OK && !(list = tp__malloc((n ? n : 1) * sizeof *list)))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK && n)
        qsort(uses, n, sizeof *uses, use_cmp);
    tp__rb b;
    tp__rb_begin(&b, phrase_cols, TP__NCOLS(phrase_cols));
    if (st != TP_OK)
        b.st = st;
    for (size_t i = 0; i < n && b.st == TP_OK;) {
        uint32_t tp = uses[i].tp;
        size_t nl = 0;
        for (; i < n && uses[i].tp == tp;) {
            size_t j = i;
            double sum = 0;
            while (j < n && uses[j].tp == tp && uses[j].phrase == uses[i].phrase)
                sum += uses[j++].sentiment;
            if (j - i >= MIN_COMMENTS) {
                const char *text = tp__intern_str(&pool, uses[i].phrase);
                int words = 1;
                for (const char *c = text; *c; c++)
                    words += *c == ' ';
                list[nl++] = (phrase){text, words, j - i, sum / (double)(j - i), 0};
            }
            i = j;
        }
        drop_inner(list, nl);
        qsort(list, nl, sizeof *list, phrase_cmp);
        uint64_t comments = acc[tp].sentiment.n;
        uint32_t owner = v.cat->tps.data[tp].owner;
        int64_t rank = 0;
        for (size_t k = 0; k < nl && rank < v.opt->top_terms && b.st == TP_OK; k++) {
            if (list[k].dropped)
                continue;
            tp__rb_row(&b);
            tp__rb_str(&b, 0, tp__catalog_id(v.cat, tp));
            tp__rb_i64(&b, 1, (int64_t)comments);
            tp__rb_str(&b, 2, list[k].text);
            tp__rb_i64(&b, 3, list[k].words);
            tp__rb_i64(&b, 4, (int64_t)list[k].count);
            tp__rb_f64(&b, 5, comments ? (double)list[k].count / (double)comments : NAN);
            tp__rb_f64(&b, 6, list[k].sentiment);
            tp__rb_i64(&b, 7, ++rank);
            tp__rb_str(&b, 8, owner == TP__NONE ? NULL : tp__intern_str(&v.cat->text, owner));
        }
    }
    st = tp__note_if_empty(tp__rb_finish(&b, out), out,
                           "no phrases: no two selected comments of a touchpoint share two or "
                           "three words in a row (stop words aside)");
    tp__free(list);
    tp__free(uses);
    tp__free(acc);
    tp__intern_free(&pool);
    tp__view_close(&v);
    return st;
}
