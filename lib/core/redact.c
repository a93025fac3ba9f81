/* E-mail and phone-number redaction. Deliberately simple patterns (no regex
 * engine, linear time, no allocation but the output): it errs on the side of
 * removing a long digit run that is not a phone number rather than keeping one
 * that is.
 *
 * E-mail: local@domain where local is [A-Za-z0-9._%+-]+ and domain is labels
 * of [A-Za-z0-9-] joined by dots, at least two, the last of two or more letters.
 * Phone: an optional '+', then digits with single separators (space, '-', '.',
 * '/', '(' and ')') between them, 7 to 15 digits in all (E.164 allows 15), not
 * preceded by a letter or digit; a last group glued to letters is left out; a
 * calendar date (2026-01-31, 31.01.2026, 01/31/2026) and a plain decimal number
 * (3.14159265) are not phone numbers. A replacement's end counts as a word
 * boundary, so redacting redacted text changes nothing. */
#include "core/redact.h"

#include <string.h>

#include "touchpoint/redact.h"

static int is_alpha(unsigned char c)
{
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}
static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static int is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}
static int is_local(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static int is_label(unsigned char c)
{
    return is_alnum(c) || c == '-';
}

/* An address whose '@' is at s[at] and which starts at or after s[floor] (the
 * end of the previous replacement, a boundary like the ']' that replaced it):
 * sets [*b, *e) and returns 1. */
static int email_at(const unsigned char *s, size_t len, size_t at, size_t floor, size_t *b,
                    size_t *e)
{
    size_t start = at;
    while (start > floor && is_local(s[start - 1]))
        start--;
    while (start < at && s[start] == '.') /* a sentence's dot is not part of it */
        start++;
    if (start == at)
        return 0;
    /* The longest run of labels that ends in a top-level label of two or more
     * letters ("a@example.co.5777" is "a@example.co" and ".5777"). */
    size_t i = at + 1, labels = 0, end = 0;
    for (;;) {
        size_t ls = i;
        while (i < len && is_label(s[i]))
            i++;
        if (i == ls)
            break;
        labels++;
        int alpha = i - ls >= 2;
        for (size_t k = ls; k < i && alpha; k++)
            alpha = is_alpha(s[k]);
        if (labels >= 2 && alpha)
            end = i;
        if (i + 1 < len && s[i] == '.' && is_label(s[i + 1]))
            i++;
        else
            break;
    }
    if (!end)
        return 0;
    *b = start;
    *e = end;
    return 1;
}

static int is_sep(unsigned char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

/* Digit groups of a candidate, for the date and decimal exclusions. */
typedef struct groups {
    size_t n, len[8];
    unsigned char sep[8]; /* separator before group k (k >= 1) */
    size_t end[8];        /* offset just past the group's last digit */
} groups;

static int looks_like_date(const groups *g)
{
    if (g->n != 3 || g->sep[1] != g->sep[2] ||
        (g->sep[1] != '-' && g->sep[1] != '.' && g->sep[1] != '/'))
        return 0;
    int ymd = g->len[0] == 4 && g->len[1] <= 2 && g->len[2] <= 2;
    int dmy = g->len[0] <= 2 && g->len[1] <= 2 && (g->len[2] == 4 || g->len[2] == 2);
    return ymd || dmy;
}

/* A phone number starting at s[i] (a '+', '(' or digit not preceded by an
 * alphanumeric) and ending before s[limit]: sets *e and returns 1. Either way
 * *scanned is where the candidate's digits and separators end, so a rejected
 * one is skipped whole. */
static int phone_at(const unsigned char *s, size_t len, size_t i, size_t limit, size_t *e,
                    size_t *scanned)
{
    size_t k = i, digits = 0, end = 0;
    int plus = 0, paren = 0, run = 0; /* run: separators since the last digit */
    unsigned char sep = 0;            /* what separates the next group: '-', '.', '/' or ' ' */
    groups g = {0, {0}, {0}, {0}};
    if (s[k] == '+') {
        plus = 1;
        k++;
    }
    for (; k < len; k++) {
        unsigned char c = s[k];
        if (is_digit(c)) {
            if (g.n == 0 || run) {
                if (g.n == 8)
                    break;
                g.sep[g.n] = sep;
                g.len[g.n] = 0;
                g.n++;
            }
            g.len[g.n - 1]++;
            g.end[g.n - 1] = k + 1;
            run = 0;
            sep = 0;
            if (++digits > 15)
                break;
            end = k + 1;
        } else if (is_sep(c)) {
            int strong = c != ' ' && c != '(' && c != ')';
            if ((g.n == 0 && c != '(') || run == 2 || (strong && sep && sep != ' '))
                break;
            if (c == '(' || c == ')')
                paren = 1;
            if (strong || !sep)
                sep = strong ? c : ' ';
            run++;
        } else {
            break;
        }
    }
    *scanned = end > i ? end : i + 1;
    /* The longest run of whole groups that makes a number: a last group glued to
     * letters ("7920 79no...") is left out rather than losing the number. */
    for (size_t n = g.n; n > 0; n--) {
        size_t d = 0;
        for (size_t k2 = 0; k2 < n; k2++)
            d += g.len[k2];
        size_t e_n = g.end[n - 1];
        if (e_n > limit)
            continue;
        groups h = g;
        h.n = n;
        /* 7-15 digits, in groups of two or more on average ("1 2 3 4 5 6 7" is a list). */
        if (d < 7 || d > 15 || d < 2 * n)
            continue;
        if (e_n < len && (is_alnum(s[e_n]) || s[e_n] == '@'))
            continue;
        if (!plus && !paren && (looks_like_date(&h) || (n == 2 && h.sep[1] == '.')))
            continue;
        *e = e_n;
        return 1;
    }
    return 0;
}

size_t tp__redact(tp__strbuf *b, const char *text, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t done = 0, count = 0, i = 0;
    while (i < len) {
        size_t mb, me;
        if ((flags & TP_REDACT_EMAIL) && s[i] == '@' && email_at(s, len, i, done, &mb, &me)) {
            if (b) {
                tp__sb_add(b, text + done, mb - done);
                tp__sb_puts(b, "[email]");
            }
            done = i = me;
            count++;
            continue;
        }
        size_t scanned = i + 1;
        if ((flags & TP_REDACT_PHONE) && (is_digit(s[i]) || s[i] == '+' || s[i] == '(') &&
            (i == done || !is_alnum(s[i - 1])) && phone_at(s, len, i, len, &me, &scanned)) {
            /* Digits that run into an address's local part ("+44 20 7931 6.1x@y.uk")
             * belong to the address: keep only the groups before it. */
            int ok = 1;
            size_t at = me;
            while (at < len && is_local(s[at]))
                at++;
            size_t eb, ee;
            if ((flags & TP_REDACT_EMAIL) && at < len && s[at] == '@' &&
                email_at(s, len, at, done, &eb, &ee))
                ok = eb > i && phone_at(s, len, i, eb, &me, &scanned);
            if (ok) {
                if (b) {
                    tp__sb_add(b, text + done, i - done);
                    tp__sb_puts(b, "[phone]");
                }
                done = i = me;
                count++;
                continue;
            }
        }
        /* Skip a rejected number whole ("3.14159265" is not "3." and a phone
         * number), and the rest of a word, so numbers inside words stay. */
        if (scanned > i + 1) {
            i = scanned;
            while (i < len && is_alnum(s[i]))
                i++;
        } else if (is_alnum(s[i])) {
            while (i < len && is_alnum(s[i]))
                i++;
        } else {
            i++;
        }
    }
    if (b)
        tp__sb_add(b, text + done, len - done);
    return count;
}

int tp__redact_needed(const char *s, size_t len, unsigned flags)
{
    return tp__redact(NULL, s, len, flags) > 0;
}

TP_API tp_status tp_redact_text(const char *text, size_t len, unsigned flags, char **out,
                                size_t *out_len)
{
    if (!out || (!text && len))
        return tp__error(TP_EINVAL, "tp_redact_text: NULL argument");
    *out = NULL;
    if (flags & ~(unsigned)TP_REDACT_ALL)
        return tp__error(TP_EINVAL, "tp_redact_text: unknown flags 0x%x", flags);
    tp__strbuf b = {0};
    tp__redact(&b, text ? text : "", len, flags);
    tp_status st = tp__sb_finish(&b, out, out_len);
    if (st != TP_OK)
        return tp__error(TP_ENOMEM, "out of memory redacting text");
    return TP_OK;
}

TP_API tp_status tp_redact_parse(const char *text, unsigned *out)
{
    static const struct {
        const char *word;
        unsigned flags;
    } words[] = {{"none", TP_REDACT_NONE},
                 {"email", TP_REDACT_EMAIL},
                 {"phone", TP_REDACT_PHONE},
                 {"all", TP_REDACT_ALL}};
    if (!text || !out)
        return tp__error(TP_EINVAL, "tp_redact_parse: NULL argument");
    unsigned flags = 0;
    for (const char *w = text; *w;) {
        size_t n = strcspn(w, ",");
        size_t k = 0;
        while (k < sizeof words / sizeof words[0] &&
               (strlen(words[k].word) != n || strncmp(w, words[k].word, n)))
            k++;
        if (k == sizeof words / sizeof words[0])
            return tp__error(TP_EINVAL, "redact: '%.*s' is not one of none, email, phone, all",
                             (int)(n > 60 ? 60 : n), w);
        flags |= words[k].flags;
        w += n + (w[n] == ',');
    }
    *out = flags;
    return TP_OK;
}
