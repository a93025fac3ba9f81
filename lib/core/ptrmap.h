/* A memo from pointers to uint32 values, for bulk appends whose arrays repeat
 * the same string pointer (a dictionary of names, Python's shared str objects):
 * a string seen once is checked and looked up once per call. Open addressing
 * over (key, value) pairs; NULL is never a key. */
#ifndef TP_CORE_PTRMAP_H
#define TP_CORE_PTRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tp__ptrmap {
    const void **keys;
    uint32_t *vals;
    size_t cap; /* power of two, or 0 */
    size_t len;
} tp__ptrmap;

static inline void tp__ptrmap_init(tp__ptrmap *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->len = 0;
}

void tp__ptrmap_free(tp__ptrmap *m);

static inline size_t tp__ptrmap_slot(const void *key, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

/* 1 with *val set if key is in the map, else 0. */
static inline int tp__ptrmap_get(const tp__ptrmap *m, const void *key, uint32_t *val)
{
    if (!m->cap || !key)
        return 0;
    for (size_t i = tp__ptrmap_slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            *val = m->vals[i];
            return 1;
        }
        if (!m->keys[i])
            return 0;
    }
}

/* Remember key -> val (key not NULL, not yet present). Returns 0, or -1 when
 * the map cannot grow (it is then unchanged). */
int tp__ptrmap_put(tp__ptrmap *m, const void *key, uint32_t val);

#endif
