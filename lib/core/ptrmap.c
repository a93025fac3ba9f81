#include "core/ptrmap.h"

#include "core/alloc.h"

void tp__ptrmap_free(tp__ptrmap *m)
{
    tp__free(m->keys);
    tp__free(m->vals);
    tp__ptrmap_init(m);
}

static void insert(tp__ptrmap *m, const void *key, uint32_t val)
{
    size_t i = tp__ptrmap_slot(key, m->cap);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->vals[i] = val;
    m->len++;
}

int tp__ptrmap_put(tp__ptrmap *m, const void *key, uint32_t val)
{
    if (!key)
        return 0;
    if (2 * (m->len + 1) > m->cap) { /* at most half full */
        size_t cap = m->cap ? m->cap * 2 : 64;
        tp__ptrmap old = *m;
        m->keys = tp__calloc(cap, sizeof *m->keys);
        m->vals = tp__malloc(cap * sizeof *m->vals);
        if (!m->keys || !m->vals) {
            tp__free(m->keys);
            tp__free(m->vals);
            *m = old;
            return -1;
        }
        m->cap = cap;
        m->len = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i])
                insert(m, old.keys[i], old.vals[i]);
        tp__free(old.keys);
        tp__free(old.vals);
    }
    insert(m, key, val);
    return 0;
}
