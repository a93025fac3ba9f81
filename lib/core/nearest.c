/* "Did you mean": the known name nearest to a misspelt one. */
#include "core/nearest.h"

#include <string.h>

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

static const char *word_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

const char *tp__nearest_word(const char *name, const char *const *words)
{
    size_t n = 0;
    while (words && words[n])
        n++;
    return tp__nearest(name, n, word_at, words);
}
