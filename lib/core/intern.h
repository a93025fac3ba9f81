/* String interning: equal strings get one dense uint32 id (0, 1, 2, ... in
 * insertion order, so ids and every result built on them are deterministic).
 *
 * Bytes live in an arena of large chunks, NUL-terminated, so a borrowed
 * `const char *` stays valid until the pool is freed or rolled back past it.
 * Each string is preceded there by its 32-bit hash, length and id, and the
 * index (open addressing, linear probing) holds where each entry is, so a probe
 * reads a slot and then one place, where header and bytes share a cache line. */
#ifndef TP_CORE_INTERN_H
#define TP_CORE_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/vec.h"

typedef struct tp__chunk tp__chunk;

typedef struct tp__intern {
    tp__vec_ptr strs;    /* id -> const char * (NUL-terminated), after its header:
                            uint32 hash (growth never rehashes bytes), length, id */
    uint32_t *slots;     /* entry location + 1 (see intern.c), or 0 for empty */
    size_t nslots;       /* power of two */
    uint64_t seed;
    tp__vec_ptr chunks;  /* arena chunks, in the order they were made */
} tp__intern;

/* A point to roll back to. */
typedef struct tp__intern_mark {
    size_t count;
    size_t chunks;
    size_t used;
} tp__intern_mark;

void tp__intern_init(tp__intern *p);
void tp__intern_free(tp__intern *p);

/* Id of s[0..len), adding it if new. Returns 0 or -1 (allocation failure, or the
 * pool already holds UINT32_MAX - 1 strings or about 16 GiB of text: 262,143
 * arena chunks; nothing changed either way). */
int tp__intern_put(tp__intern *p, const char *s, size_t len, uint32_t *id);

/* Id of s[0..len) if present: returns 1 and sets *id, or 0. */
int tp__intern_find(const tp__intern *p, const char *s, size_t len, uint32_t *id);

static inline size_t tp__intern_count(const tp__intern *p) { return p->strs.len; }
static inline const char *tp__intern_str(const tp__intern *p, uint32_t id)
{
    return (const char *)p->strs.data[id];
}
static inline uint32_t tp__intern_len(const tp__intern *p, uint32_t id)
{
    uint32_t len;
    memcpy(&len, (const char *)p->strs.data[id] - 8, sizeof len);
    return len;
}

/* Add every string of src to dst in src's id order; map[i] receives dst's id of
 * src's string i. Returns 0 or -1 (dst may then hold some of them: roll back). */
int tp__intern_map_into(tp__intern *dst, const tp__intern *src, uint32_t *map);

tp__intern_mark tp__intern_mark_get(const tp__intern *p);
/* Forget every string added after the mark. */
void tp__intern_rollback(tp__intern *p, tp__intern_mark m);

/* 64-bit hash of bytes (wyhash-style multiply-mix; ours, not a copy). */
uint64_t tp__hash_bytes(const void *data, size_t len, uint64_t seed);

#endif
