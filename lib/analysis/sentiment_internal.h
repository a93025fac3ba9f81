/* Lexicon internals and the scorer with a per-term callback, shared with the
 * per-touchpoint analyses. */
#ifndef TP_ANALYSIS_SENTIMENT_INTERNAL_H
#define TP_ANALYSIS_SENTIMENT_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "touchpoint/sentiment.h"

struct tp_lexicon {
    tp__intern terms; /* lower-cased term -> entry id */
    tp__vec_u8 kind;  /* tp_term_kind per id */
    tp__vec_f64 value;
};

/* Called for each sentiment word as scored: the lexicon entry id, whether it
 * was negated, and its final value (before the contrast weight). */
typedef void (*tp__term_fn)(void *ctx, uint32_t term, int negated, double value);

/* The built-in lexicon in *out: one parsed once and shared (*own NULL), or, while
 * the caller's allocator hooks are in use, a new one in *own that the caller
 * frees. */
tp_status tp__lexicon_default(const tp_lexicon **out, tp_lexicon **own);

/* Score text (valid UTF-8 is the caller's promise). Never fails. */
double tp__sentiment(const tp_lexicon *lex, const char *text, size_t len, tp__term_fn fn,
                     void *ctx);

/* The next token of text (the bytes up to white space) from *pos: returns
 * its start and leaves *pos at its end (start == *pos: no more). */
size_t tp__next_token(const char *text, size_t len, size_t *pos);
/* ASCII punctuation, as the scorer strips it from the ends of a token. */
int tp__is_punct(unsigned char c);

/* Longest term, in bytes. */
#define TP__TERM_MAX 64

/* Lower-case ASCII letters of s[0..len) into buf (len bytes at most) and fold
 * the typographic apostrophe (U+2019) to '; returns the folded length. */
size_t tp__term_fold(const char *s, size_t len, char *buf);

#endif
