/* The words of the analyses' enumerations, shared by their parsers and the
 * registry (each array NULL-terminated, indexed by the enum value). */
#ifndef TP_ANALYSIS_WORDS_H
#define TP_ANALYSIS_WORDS_H

extern const char *const tp__group_words[];       /* tp_group */
extern const char *const tp__model_words[];       /* tp_model */
extern const char *const tp__funnel_mode_words[]; /* tp_funnel_mode */

#endif
