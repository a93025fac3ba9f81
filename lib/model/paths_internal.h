/* Attribution paths: the columns behind tp_paths (model/paths.c), shared by
 * the CSV reader, the builder from events, and the models. */
#ifndef TP_MODEL_PATHS_INTERNAL_H
#define TP_MODEL_PATHS_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "touchpoint/attribution.h"

struct tp_paths {
    tp__intern names;            /* touchpoint names; a touch is an id here */
    tp__vec_u32 touch;           /* every path's touches, one after another */
    tp__vec_size off;            /* path i is touch[off[i] .. off[i + 1]); off[0] = 0 */
    tp__vec_f64 conv, value, nulls;
    tp__vec_i64 dt;              /* per touch: ms before the conversion (valid when has_times) */
    int has_times;
    double total_conv, total_value, total_nulls;
};

typedef struct tp__paths_mark {
    size_t npaths, ntouch;
    tp__intern_mark names;
    int has_times;
    double total_conv, total_value, total_nulls;
} tp__paths_mark;

tp__paths_mark tp__paths_mark_get(const tp_paths *p);
void tp__paths_rollback(tp_paths *p, tp__paths_mark m);

static inline size_t tp__paths_n(const tp_paths *p) { return p->off.len - 1; }

/* The set's names by id, in an array the caller frees (tp__free); NULL on
 * allocation failure (error set). */
const char **tp__paths_names(const tp_paths *p);

/* Append one path of interned ids (dt may be NULL when the set has no times).
 * Returns TP_OK or TP_ENOMEM (error set; nothing added). */
tp_status tp__paths_push(tp_paths *p, const uint32_t *ids, const int64_t *dt, size_t n,
                         double conv, double value, double nulls);

/* Append every path of w (read apart, on a thread) to p, in order: names
 * re-interned into p, totals added row by row as tp__paths_push adds them (so
 * they equal one read of both). TP_OK, TP_ENOMEM, or TP_ELIMIT when a total
 * would overflow (error set either way; p may hold part: roll it back). */
tp_status tp__paths_absorb(tp_paths *p, const tp_paths *w);

#endif
