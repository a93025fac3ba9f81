/* "Did you mean": the known name nearest to a misspelt one. */
#include "core/nearest.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

size_t tp__edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *tp__nearest(const char *name, size_t count,
                        const char *(*name_of)(const void *ctx, size_t i), const void *ctx)
{
    const char *near = NULL;
    size_t best = 3;
    for (size_t i = 0; name && i < count; i++) {
        const char *candidate = name_of(ctx, i);
        size_t d = candidate ? tp__edit_distance(name, candidate) : 99;
        if (d < best) {
            best = d;
            near = candidate;
        }
    }
    return near;
}

/* Edits from name to the nearest word of candidate, or 99. */
static size_t word_distance(const char *name, const char *candidate)
{
    size_t best = 99;
    char word[41];
    const char *s = candidate;
    while (*s) {
        size_t n = strcspn(s, "-_. ");
        if (n > 0 && n < sizeof word) {
            memcpy(word, s, n);
            word[n] = '\0';
            size_t d = tp__edit_distance(name, word);
            best = d < best ? d : best;
        }
        s += n;
        s += *s != '\0';
    }
    return best;
}

void tp__suggest(char *buf, size_t cap, const char *name, size_t count,
                 const char *(*name_of)(const void *ctx, size_t i), const void *ctx,
                 const char *plural)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    const char *near = tp__nearest(name, count, name_of, ctx);
    size_t best = 3;
    const char *word_near = NULL;
    for (size_t i = 0; !near && name && *name && i < count; i++) {
        const char *candidate = name_of(ctx, i);
        size_t d = candidate ? word_distance(name, candidate) : 99;
        if (d < best) {
            best = d;
            word_near = candidate;
        }
    }
    near = near ? near : word_near;
    if (near) {
        snprintf(buf, cap, "did you mean '%.60s'?", near);
        return;
    }
    size_t shown = 0, named = 0;
    int w = snprintf(buf, cap, "%s: ", plural);
    size_t used = w > 0 && (size_t)w < cap ? (size_t)w : 0;
    for (size_t i = 0; i < count; i++) {
        const char *candidate = name_of(ctx, i);
        if (!candidate)
            continue;
        if (named++ < 8) {
            w = snprintf(buf + used, cap - used, "%s%.40s", shown++ ? ", " : "", candidate);
            used += w > 0 ? (size_t)w : 0;
            if (used >= cap) {
                buf[cap - 1] = '\0';
                return;
            }
        }
    }
    if (named == 0)
        snprintf(buf + used, cap - used, "none");
    else if (named > shown)
        snprintf(buf + used, cap - used, ", ... (%zu in all)", named);
}

static const char *word_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

const char *tp__nearest_word(const char *name, const char *const *words)
{
    size_t n = 0;
    while (words && words[n])
        n++;
    return tp__nearest(name, n, word_at, words);
}

tp_status tp__word_parse(const char *const *words, const char *what, const char *name, int *out)
{
    size_t n = 0;
    for (; words[n]; n++)
        if (name && !strcmp(name, words[n])) {
            *out = (int)n;
            return TP_OK;
        }
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                 words[i]);
    }
    const char *near = name ? tp__nearest_word(name, words) : NULL;
    if (near)
        return tp__error(TP_EINVAL, "unknown %s '%.60s' (%s; did you mean '%s'?)", what, name,
                         list, near);
    return tp__error(TP_EINVAL, "unknown %s '%.60s' (%s)", what, name ? name : "(null)", list);
}

const char *tp__word_name(const char *const *words, int index)
{
    for (int i = 0; index >= 0 && words[i]; i++)
        if (i == index)
            return words[i];
    return NULL;
}
