/* Growable typed arrays (the columns of every store).
 *
 * TP__VEC(name, T) defines `tp__vec_name` with data/len/cap and inline
 * reserve/push/truncate/free. Growth is 1.5x: a column's untouched capacity is
 * not resident, and 1.5x wastes less address space than doubling on the large
 * columns that dominate memory. */
#ifndef TP_CORE_VEC_H
#define TP_CORE_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

/* Grow *data (elements of size elem, capacity *cap) to hold need elements.
 * Returns 0, or -1 on allocation failure or size overflow (nothing changed). */
int tp__grow(void **data, size_t *cap, size_t elem, size_t need);

#define TP__VEC(name, T)                                                                       \
    typedef struct tp__vec_##name {                                                            \
        T *data;                                                                               \
        size_t len;                                                                            \
        size_t cap;                                                                            \
    } tp__vec_##name;                                                                          \
    static inline int tp__vec_##name##_reserve(tp__vec_##name *v, size_t extra)                \
    {                                                                                          \
        if (v->cap - v->len >= extra)                                                          \
            return 0;                                                                          \
        if (extra > SIZE_MAX - v->len)                                                         \
            return -1;                                                                         \
        return tp__grow((void **)&v->data, &v->cap, sizeof(T), v->len + extra);               \
    }                                                                                          \
    static inline int tp__vec_##name##_push(tp__vec_##name *v, T x)                            \
    {                                                                                          \
        if (v->len == v->cap && tp__vec_##name##_reserve(v, 1))                                \
            return -1;                                                                         \
        v->data[v->len++] = x;                                                                 \
        return 0;                                                                              \
    }                                                                                          \
    static inline void tp__vec_##name##_free(tp__vec_##name *v)                                \
    {                                                                                          \
        tp__free(v->data);                                                                     \
        v->data = NULL;                                                                        \
        v->len = v->cap = 0;                                                                   \
    }

TP__VEC(u8, uint8_t)
TP__VEC(u32, uint32_t)
TP__VEC(i64, int64_t)
TP__VEC(f64, double)
TP__VEC(size, size_t)
TP__VEC(ptr, void *)

#endif
