/**
 * @file touchpoint/sentiment.h
 * @brief Sentiment of free-text comments: a lexicon and rules.
 *
 * A lexicon maps terms to a valence in [-4, 4] (words and emoticons) or marks
 * them as modifiers: boosters and dampeners (a signed amount added to the
 * magnitude of the next sentiment word), negations, and contrast words ("but").
 * The built-in English lexicon is the data file `lexicon-en.tsv` that the
 * library ships (installed under share/touchpoint/, and compiled in); callers
 * may load their own or extend any lexicon at run time.
 *
 * Lexicon files are UTF-8 text, one entry per line, `#` starts a comment:
 * @code
 * term<TAB>value[<TAB>kind]      kind: word (default), booster, negation, contrast
 * @endcode
 * Terms are matched case-insensitively (ASCII letters) after the text is split
 * on white space and surrounding punctuation is stripped (emoticons such as
 * `:)` are matched before stripping). A later entry for the same term replaces
 * the earlier one.
 *
 * Scoring rules, for each sentiment word w with valence v:
 * - all-caps emphasis: a word in capitals inside mixed-case text adds 0.733 to |v|;
 * - boosters/dampeners among the three preceding words add their amount to |v|,
 *   scaled 1, 0.95, 0.9 by distance (a capitalised booster adds 0.733 more);
 * - a negation among the three preceding words multiplies v by -0.74 ("not bad"
 *   is mildly positive); the window stops at , ; . ! ? and at contrast words;
 * - contrast: words before the first contrast word weigh 0.5, words after it 1.5;
 * - the text's score M is the weighted mean of the sentiment words' values (the
 *   mean, not the sum: a long text of mildly positive words scores like a short
 *   one, instead of saturating at +1 as summed scores do); each '!' (up to 4) adds
 *   0.292 to |M|;
 * - compound = M / sqrt(M^2 + 4), in (-1, 1); 0 when no sentiment word occurs.
 * Labels: positive when compound >= 0.05, negative when <= -0.05, else neutral.
 *
 * Thread-safety: a lexicon may be shared by any number of threads scoring texts
 * once it is no longer modified.
 */
#ifndef TOUCHPOINT_SENTIMENT_H
#define TOUCHPOINT_SENTIMENT_H

#include "common.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A sentiment lexicon. Opaque. */
typedef struct tp_lexicon tp_lexicon;

/** What a lexicon term does. */
typedef enum tp_term_kind {
    TP_TERM_WORD = 0,     /**< Carries a valence in [-4, 4]. */
    TP_TERM_BOOSTER = 1,  /**< Adds its value (negative: a dampener) to the next word's |v|. */
    TP_TERM_NEGATION = 2, /**< Flips and damps the next sentiment word (value unused). */
    TP_TERM_CONTRAST = 3, /**< Shifts the weight to what follows, like "but" (value unused). */
    TP_TERM_STOP = 4      /**< A stop word ("the", "was"): no sentiment, and no comment
                               phrase begins or ends with one (tp_comment_phrases(); value
                               unused) */
} tp_term_kind;

/** The word of a term kind ("word", "booster", "negation", "contrast", "stop"), or NULL
 * for another value (the kinds of a lexicon file's third column). */
TP_API const char *tp_term_kind_name(tp_term_kind kind);

/** The term kind named @p name. @return ::TP_OK, or ::TP_EINVAL naming the words */
TP_API tp_status tp_term_kind_parse(const char *name, tp_term_kind *out);

/**
 * Create an empty lexicon.
 * @param out receives the lexicon (caller owns; tp_lexicon_free())
 * @return ::TP_OK, ::TP_EINVAL (out NULL), ::TP_ENOMEM
 */
TP_API tp_status tp_lexicon_new(tp_lexicon **out);

/**
 * Create a lexicon holding the built-in English lexicon (lexicon-en.tsv).
 * @param out receives the lexicon (caller owns; tp_lexicon_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_lexicon_new_default(tp_lexicon **out);

/** Free a lexicon. Accepts NULL. */
TP_API void tp_lexicon_free(tp_lexicon *lexicon);

/**
 * Add or replace one term.
 * @param term  a single token, 1-64 bytes of UTF-8 without white space
 * @param kind  what the term does
 * @param value valence in [-4, 4] for words, amount in [-4, 4] for boosters
 * @return ::TP_OK; ::TP_EINVAL (bad term, kind or value); ::TP_ENOMEM.
 *         Not thread-safe on the same lexicon.
 */
TP_API tp_status tp_lexicon_set(tp_lexicon *lexicon, const char *term, tp_term_kind kind,
                                double value);

/**
 * Look a term up (case-insensitively).
 * @param kind, value receive the entry; either may be NULL
 * @return ::TP_OK, ::TP_ENOTFOUND, ::TP_EINVAL
 */
TP_API tp_status tp_lexicon_lookup(const tp_lexicon *lexicon, const char *term,
                                   tp_term_kind *kind, double *value);

/** Number of terms. */
TP_API size_t tp_lexicon_size(const tp_lexicon *lexicon);

/**
 * Add the entries of a lexicon file (see the format above); all or nothing.
 * @return ::TP_OK; ::TP_EIO; ::TP_EPARSE or ::TP_EVALIDATE naming file, line and
 *         field of the first bad entry (the lexicon is then unchanged); ::TP_ELIMIT
 *         (larger than 256 MiB: a regular file before it is read, a pipe as soon as
 *         it passes that); ::TP_ENOMEM.
 */
TP_API tp_status tp_lexicon_load(tp_lexicon *lexicon, const char *path);

/**
 * Same as tp_lexicon_load() from a buffer.
 * @param name used in error messages in place of a file name; may be NULL
 */
TP_API tp_status tp_lexicon_load_buffer(tp_lexicon *lexicon, const void *data, size_t len,
                                        const char *name);

/**
 * Compound sentiment of a text.
 * @param text UTF-8 text (invalid UTF-8 is an error)
 * @param out  receives the compound score in (-1, 1)
 * @return ::TP_OK, ::TP_EINVAL (NULL arguments, invalid UTF-8). Thread-safe.
 */
TP_API tp_status tp_sentiment_score(const tp_lexicon *lexicon, const char *text, size_t len,
                                    double *out);

/** Label of a compound score: "positive", "neutral" or "negative" (static text). */
TP_API const char *tp_sentiment_label(double compound);

/**
 * Score many texts into a table with columns text, compound, label, terms
 * (the sentiment words as scored, e.g. "not bad(+1.85) slow(-1.4)").
 * @param texts n NUL-terminated UTF-8 strings (borrowed)
 * @param out   receives the table (caller owns; tp_table_free())
 * @return ::TP_OK, ::TP_EINVAL (a NULL or invalid text, naming its index), ::TP_ENOMEM
 */
TP_API tp_status tp_sentiment_table(const tp_lexicon *lexicon, const char *const *texts, size_t n,
                                    tp_table **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_SENTIMENT_H */
