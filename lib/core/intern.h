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

/* A hint to fetch the cache line at addr (no effect on results). */
#if defined(__GNUC__) || defined(__clang__)
#define TP__PREFETCH(addr) __builtin_prefetch(addr)
#else
#define TP__PREFETCH(addr) ((void)(addr))
#endif

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

/* Strings a block of puts takes at most. */
#define TP__INTERN_BLOCK 128

/* Ids of s[k][0..len[k]) for k < n (n <= TP__INTERN_BLOCK), as n calls of
 * tp__intern_put in order would give them, but with the table's slots and
 * entries fetched ahead for the whole block, so the cache misses of a table
 * larger than the caches overlap. Returns 0 or -1 (allocation failure or a
 * limit; the pool may then hold some of the block's strings: roll back). */
int tp__intern_put_block(tp__intern *p, size_t n, const char *const *s, const uint32_t *len,
                         uint32_t *ids);

/* Puts deferred to blocks: a reader queues each string with the index of the
 * uint32 that is to receive its id, and the queue is interned a block at a
 * time (tp__intern_put_block). Queued bytes must stay valid and unchanged
 * until the flush. Zero-initialise; holds no memory. */
typedef struct tp__intern_queue {
    size_t n;
    const char *s[TP__INTERN_BLOCK];
    uint32_t len[TP__INTERN_BLOCK];
    size_t at[TP__INTERN_BLOCK];
} tp__intern_queue;

/* Intern every queued string into p and set out[at] to each one's id; the
 * queue is empty afterwards, whatever the outcome. Returns 0 or -1 (as
 * tp__intern_put_block). */
int tp__intern_queue_flush(tp__intern_queue *q, tp__intern *p, uint32_t *out);

/* Queue s[0..len) for out[at]; a full queue is flushed. Returns 0 or -1 (as
 * tp__intern_queue_flush). len must be below 4 GiB. */
static inline int tp__intern_queue_add(tp__intern_queue *q, tp__intern *p, uint32_t *out,
                                       const char *s, size_t len, size_t at)
{
    q->s[q->n] = s;
    q->len[q->n] = (uint32_t)len;
    q->at[q->n] = at;
    return ++q->n == TP__INTERN_BLOCK ? tp__intern_queue_flush(q, p, out) : 0;
}

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
