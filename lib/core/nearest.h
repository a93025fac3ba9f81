/* "Did you mean": the known name nearest to a misspelt one. */
#ifndef TP_CORE_NEAREST_H
#define TP_CORE_NEAREST_H

#include <stddef.h>

#include "core/error.h"
#include "touchpoint/common.h"

/* Edits between two names (Levenshtein distance); 99 when either is longer than
 * 40 bytes. */
size_t tp__edit_distance(const char *a, const char *b);

/* The name among @p count names (name_of(ctx, i) for i in [0, count), NULL entries
 * skipped) within two edits of @p name and nearest to it, or NULL. */
const char *tp__nearest(const char *name, size_t count,
                        const char *(*name_of)(const void *ctx, size_t i), const void *ctx);

/* What to tell a user who wrote @p name where one of @p count names was meant,
 * written into buf (at most cap bytes, always terminated): "did you mean 'b'?"
 * when a name is within two edits of it, or of one of its words (split at
 * '-', '_', '.' and spaces: "chekout" finds "online-checkout"), else
 * "PLURAL: a, b, c" (the first 8 and how many in all), or "none" when there are
 * no names. */
void tp__suggest(char *buf, size_t cap, const char *name, size_t count,
                 const char *(*name_of)(const void *ctx, size_t i), const void *ctx,
                 const char *plural);

/* tp__nearest() over a NULL-terminated array of names. */
const char *tp__nearest_word(const char *name, const char *const *words);

/* The index of @p name in the NULL-terminated @p words, in *out: TP_OK, or
 * TP_EINVAL with the message "unknown WHAT 'name' (a, b or c; did you mean 'b'?)". */
tp_status tp__word_parse(const char *const *words, const char *what, const char *name, int *out);

/* words[index], or NULL when @p index is past the last word (or negative). */
const char *tp__word_name(const char *const *words, int index);

/* The public pair PREFIX_name(TYPE) and PREFIX_parse(const char *, TYPE *) of an
 * enumeration whose value v is the word words[v - offset]. */
#define TP__WORD_FUNCTIONS(prefix, type, words, what, offset)                           \
    TP_API const char *prefix##_name(type value)                                        \
    {                                                                                   \
        return tp__word_name(words, (int)value - (offset));                             \
    }                                                                                   \
    TP_API tp_status prefix##_parse(const char *name, type *out)                        \
    {                                                                                   \
        int i = 0;                                                                      \
        if (!out)                                                                       \
            return tp__error(TP_EINVAL, #prefix "_parse: out is NULL");                 \
        tp_status st = tp__word_parse(words, what, name, &i);                           \
        if (st == TP_OK)                                                                \
            *out = (type)(i + (offset));                                                \
        return st;                                                                      \
    }

#endif
