/* Rule-based sentiment scoring (rules and constants documented in
 * touchpoint/sentiment.h). One pass over the text, no allocation. */
#include <math.h>
#include <string.h>

#include "analysis/result.h"
#include "analysis/sentiment_internal.h"
#include "core/error.h"
#include "core/numtext.h"
#include "core/strbuf.h"
#include "core/utf8.h"

#define CAPS_BOOST 0.733
#define NEGATE (-0.74)
#define EXCLAIM 0.292
#define EXCLAIM_MAX 4
#define BEFORE_CONTRAST 0.5
#define AFTER_CONTRAST 1.5
#define ALPHA 4.0
#define WINDOW 3

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int tp__is_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

#define is_punct tp__is_punct

size_t tp__next_token(const char *text, size_t len, size_t *pos)
{
    size_t p = *pos;
    while (p < len && is_space((unsigned char)text[p]))
        p++;
    size_t start = p;
    while (p < len && !is_space((unsigned char)text[p]))
        p++;
    *pos = p;
    return start;
}

static int is_boundary(unsigned char c)
{
    return c == ',' || c == ';' || c == '.' || c == '!' || c == '?' || c == ':';
}

/* Letters in capitals: at least two ASCII letters and no lower-case one. */
static int all_caps(const char *s, size_t len)
{
    size_t upper = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= 'a' && s[i] <= 'z')
            return 0;
        if (s[i] >= 'A' && s[i] <= 'Z')
            upper++;
    }
    return upper >= 2;
}

static int lookup(const tp_lexicon *lex, const char *s, size_t len, uint32_t *id)
{
    char buf[TP__TERM_MAX];
    if (len == 0 || len > TP__TERM_MAX)
        return 0;
    size_t n = tp__term_fold(s, len, buf);
    return tp__intern_find(&lex->terms, buf, n, id);
}

static int ends_nt(const char *s, size_t len)
{
    char buf[TP__TERM_MAX];
    if (len < 4 || len > TP__TERM_MAX)
        return 0;
    size_t n = tp__term_fold(s, len, buf);
    return n >= 4 && !memcmp(buf + n - 3, "n't", 3);
}

typedef struct slot {
    int kind; /* -1: a word without a role; else tp_term_kind */
    double value;
    int caps;
} slot;

double tp__sentiment(const tp_lexicon *lex, const char *text, size_t len, tp__term_fn fn,
                     void *ctx)
{
    int has_lower = 0, exclaim = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] >= 'a' && text[i] <= 'z')
            has_lower = 1;
        else if (text[i] == '!' && exclaim < EXCLAIM_MAX)
            exclaim++;
    }
    slot win[WINDOW];
    size_t nwin = 0; /* slots in use; win[nwin - 1] is the nearest */
    int contrast = 0;
    double sum[2] = {0.0, 0.0};
    size_t count[2] = {0, 0};

    size_t pos = 0;
    while (pos < len) {
        size_t start = tp__next_token(text, len, &pos);
        if (start == pos)
            break;
        const char *tok = text + start;
        size_t tlen = pos - start;
        uint32_t id;
        int found = lookup(lex, tok, tlen, &id); /* emoticons, "don't", plain words */
        int boundary_after = 0;
        if (!found) {
            size_t a = 0, b = tlen;
            while (a < b && is_punct((unsigned char)tok[a]) && tok[a] != '\'')
                a++;
            while (b > a && is_punct((unsigned char)tok[b - 1])) {
                if (is_boundary((unsigned char)tok[b - 1]))
                    boundary_after = 1;
                b--;
            }
            tok += a;
            tlen = b - a;
            found = lookup(lex, tok, tlen, &id);
        }
        slot cur = {-1, 0.0, all_caps(tok, tlen) && has_lower};
        if (found) {
            cur.kind = lex->kind.data[id];
            cur.value = lex->value.data[id];
        } else if (ends_nt(tok, tlen)) {
            cur.kind = TP_TERM_NEGATION;
        }
        if (cur.kind == TP_TERM_CONTRAST) {
            contrast = 1;
            nwin = 0;
        } else if (cur.kind == TP_TERM_WORD && cur.value != 0.0) {
            double v = cur.value;
            if (cur.caps)
                v += copysign(CAPS_BOOST, v);
            int negated = 0;
            static const double decay[WINDOW] = {1.0, 0.95, 0.9};
            for (size_t k = 0; k < nwin; k++) {
                const slot *s = &win[nwin - 1 - k];
                if (s->kind == TP_TERM_BOOSTER) {
                    double b = v < 0.0 ? -s->value : s->value;
                    if (s->caps)
                        b += copysign(CAPS_BOOST, v);
                    v += b * decay[k];
                } else if (s->kind == TP_TERM_NEGATION) {
                    negated = 1;
                }
            }
            if (negated)
                v *= NEGATE;
            nwin = 0; /* modifiers apply to the first sentiment word after them */
            sum[contrast] += v;
            count[contrast]++;
            if (fn)
                fn(ctx, id, negated, v);
        } else {
            if (nwin == WINDOW) {
                memmove(win, win + 1, (WINDOW - 1) * sizeof *win);
                nwin--;
            }
            win[nwin++] = cur;
        }
        if (boundary_after)
            nwin = 0;
    }
    if (count[0] + count[1] == 0)
        return 0.0;
    double m;
    if (contrast)
        m = (BEFORE_CONTRAST * sum[0] + AFTER_CONTRAST * sum[1]) /
            (BEFORE_CONTRAST * (double)count[0] + AFTER_CONTRAST * (double)count[1]);
    else
        m = sum[0] / (double)count[0];
    if (exclaim && m != 0.0)
        m += copysign(EXCLAIM * exclaim, m);
    return m / sqrt(m * m + ALPHA);
}

TP_API tp_status tp_sentiment_score(const tp_lexicon *lex, const char *text, size_t len,
                                    double *out)
{
    if (!lex || (!text && len) || !out)
        return tp__error(TP_EINVAL, "tp_sentiment_score: %s is NULL",
                         !lex ? "lexicon" : !out ? "out" : "text");
    size_t bad = tp__utf8_check(text, len);
    if (bad != (size_t)-1)
        return tp__error(TP_EINVAL, "tp_sentiment_score: invalid UTF-8 at byte %zu", bad);
    *out = tp__sentiment(lex, text, len, NULL, NULL);
    return TP_OK;
}

TP_API const char *tp_sentiment_label(double compound)
{
    if (compound >= 0.05)
        return "positive";
    if (compound <= -0.05)
        return "negative";
    return "neutral";
}

typedef struct terms_ctx {
    const tp_lexicon *lex;
    tp__strbuf sb;
} terms_ctx;

static void add_term(void *p, uint32_t term, int negated, double value)
{
    terms_ctx *c = p;
    char num[32];
    if (c->sb.len)
        tp__sb_putc(&c->sb, ' ');
    if (negated)
        tp__sb_puts(&c->sb, "not ");
    tp__sb_puts(&c->sb, tp__intern_str(&c->lex->terms, term));
    tp__snprintf_c(num, sizeof num, "(%+.2f)", value);
    tp__sb_puts(&c->sb, num);
}

TP_API tp_status tp_sentiment_table(const tp_lexicon *lex, const char *const *texts, size_t n,
                                    tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_sentiment_table: out is NULL");
    *out = NULL;
    if (!lex || (!texts && n))
        return tp__error(TP_EINVAL, "tp_sentiment_table: %s is NULL", lex ? "texts" : "lexicon");
    for (size_t i = 0; i < n; i++) {
        if (!texts[i])
            return tp__error(TP_EINVAL, "tp_sentiment_table: text %zu is NULL", i);
        size_t bad = tp__utf8_check(texts[i], strlen(texts[i]));
        if (bad != (size_t)-1)
            return tp__error(TP_EINVAL, "tp_sentiment_table: text %zu: invalid UTF-8 at byte %zu",
                             i, bad);
    }
    static const tp__col cols[] = {{"text", TP_TYPE_STRING},
                                   {"compound", TP_TYPE_DOUBLE},
                                   {"label", TP_TYPE_STRING},
                                   {"terms", TP_TYPE_STRING}};
    tp__rb b;
    tp__rb_begin(&b, cols, TP__NCOLS(cols));
    for (size_t i = 0; i < n && b.st == TP_OK; i++) {
        terms_ctx c = {lex, {NULL, 0, 0, 0}};
        double s = tp__sentiment(lex, texts[i], strlen(texts[i]), add_term, &c);
        tp__sb_putc(&c.sb, '\0');
        if (c.sb.failed) {
            tp__sb_free(&c.sb);
            b.st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        tp__rb_row(&b);
        tp__rb_str(&b, 0, texts[i]);
        tp__rb_f64(&b, 1, s);
        tp__rb_str(&b, 2, tp_sentiment_label(s));
        tp__rb_str(&b, 3, c.sb.data);
        tp__sb_free(&c.sb);
    }
    return tp__rb_finish(&b, out);
}
