#include "core/intern.h"

#include <string.h>

struct tp__chunk {
    tp__chunk *prev;
    size_t size;
    size_t used;
    char data[];
};

/* String chunks start small (most pools hold a few names) and double up to
 * CHUNK_BYTES, so an empty catalog costs bytes, not a 64 KiB chunk. */
enum { FIRST_CHUNK_BYTES = 256, CHUNK_BYTES = 64 * 1024 };

static const uint64_t K1 = 0xa0761d6478bd642fULL;
static const uint64_t K2 = 0xe7037ed1a0b428dbULL;
static const uint64_t K3 = 0x8ebc6af09c88c6e3ULL;

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    __extension__ typedef unsigned __int128 u128;
    u128 r = (u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t tp__hash_bytes(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ mix(len ^ K1, K2);
    size_t n = len;
    while (n >= 16) {
        uint64_t a, b;
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        h = mix(a ^ h ^ K1, b ^ K2);
        p += 16;
        n -= 16;
    }
    unsigned char tail[16] = {0};
    if (n)
        memcpy(tail, p, n);
    uint64_t a, b;
    memcpy(&a, tail, 8);
    memcpy(&b, tail + 8, 8);
    h = mix(a ^ h ^ K1, b ^ K3 ^ n);
    return mix(h ^ K2, K3);
}

void tp__intern_init(tp__intern *p)
{
    memset(p, 0, sizeof *p);
    /* The pool's own address (randomised by ASLR) seeds the hash, so colliding
     * keys cannot be precomputed; ids depend only on insertion order. */
    p->seed = mix((uint64_t)(uintptr_t)p ^ K3, K1);
}

void tp__intern_free(tp__intern *p)
{
    tp__chunk *c = p->chunk;
    while (c) {
        tp__chunk *prev = c->prev;
        tp__free(c);
        c = prev;
    }
    tp__vec_ptr_free(&p->strs);
    tp__free(p->slots);
    memset(p, 0, sizeof *p);
}

static uint32_t hash32(const tp__intern *p, const char *s, size_t len)
{
    return (uint32_t)tp__hash_bytes(s, len, p->seed);
}

enum { HEADER = 8 }; /* uint32 hash, uint32 length, before the bytes */

static inline uint32_t stored_hash(const tp__intern *p, size_t id)
{
    uint32_t h;
    memcpy(&h, (const char *)p->strs.data[id] - HEADER, sizeof h);
    return h;
}

static size_t probe(const tp__intern *p, uint32_t h, const char *s, size_t len, int *found)
{
    size_t mask = p->nslots - 1;
    size_t i = h & mask;
    for (;;) {
        uint32_t slot = p->slots[i];
        if (!slot) {
            *found = 0;
            return i;
        }
        const char *str = p->strs.data[slot - 1];
        uint32_t head[2];
        memcpy(head, str - HEADER, sizeof head);
        if (head[0] == h && head[1] == len && memcmp(str, s, len) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int rebuild(tp__intern *p, size_t nslots)
{
    uint32_t *slots = tp__calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    size_t mask = nslots - 1;
    for (size_t id = 0; id < p->strs.len; id++) {
        size_t i = stored_hash(p, id) & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = (uint32_t)id + 1;
    }
    tp__free(p->slots);
    p->slots = slots;
    p->nslots = nslots;
    return 0;
}

int tp__intern_find(const tp__intern *p, const char *s, size_t len, uint32_t *id)
{
    if (!p->nslots)
        return 0;
    int found;
    size_t i = probe(p, hash32(p, s, len), s, len, &found);
    if (found)
        *id = p->slots[i] - 1;
    return found;
}

/* Copy s with its header; entries start 4-byte aligned (chunk data is). */
static char *arena_copy(tp__intern *p, const char *s, size_t len, uint32_t h)
{
    tp__chunk *c = p->chunk;
    size_t need = (HEADER + len + 1 + 3) & ~(size_t)3;
    if (!c || c->size - c->used < need) {
        size_t size = !c ? FIRST_CHUNK_BYTES : c->size >= CHUNK_BYTES / 2 ? CHUNK_BYTES : c->size * 2;
        if (size < need)
            size = need;
        if (size > SIZE_MAX - sizeof(tp__chunk))
            return NULL;
        tp__chunk *n = tp__malloc(sizeof(tp__chunk) + size);
        if (!n)
            return NULL;
        n->prev = c;
        n->size = size;
        n->used = 0;
        p->chunk = c = n;
    }
    char *dst = c->data + c->used;
    uint32_t head[2] = {h, (uint32_t)len};
    memcpy(dst, head, sizeof head);
    memcpy(dst + HEADER, s, len);
    dst[HEADER + len] = '\0';
    c->used += need;
    return dst + HEADER;
}

int tp__intern_put(tp__intern *p, const char *s, size_t len, uint32_t *id)
{
    if (len > UINT32_MAX)
        return -1;
    uint32_t h = hash32(p, s, len);
    if (p->nslots) {
        int found;
        size_t i = probe(p, h, s, len, &found);
        if (found) {
            *id = p->slots[i] - 1;
            return 0;
        }
    }
    size_t count = p->strs.len;
    if (count >= UINT32_MAX - 1)
        return -1;
    /* Keep the load factor at or below 1/2. */
    if ((count + 1) * 2 > p->nslots) {
        size_t n = p->nslots ? p->nslots * 2 : 64;
        if (rebuild(p, n))
            return -1;
    }
    if (tp__vec_ptr_reserve(&p->strs, 1))
        return -1;
    char *copy = arena_copy(p, s, len, h);
    if (!copy)
        return -1;
    p->strs.data[p->strs.len++] = copy;
    int found;
    size_t i = probe(p, h, s, len, &found);
    p->slots[i] = (uint32_t)count + 1;
    *id = (uint32_t)count;
    return 0;
}

int tp__intern_map_into(tp__intern *dst, const tp__intern *src, uint32_t *map)
{
    for (size_t i = 0; i < src->strs.len; i++)
        if (tp__intern_put(dst, src->strs.data[i], tp__intern_len(src, (uint32_t)i), &map[i]))
            return -1;
    return 0;
}

tp__intern_mark tp__intern_mark_get(const tp__intern *p)
{
    tp__intern_mark m = {p->strs.len, p->chunk, p->chunk ? p->chunk->used : 0};
    return m;
}

void tp__intern_rollback(tp__intern *p, tp__intern_mark m)
{
    if (p->strs.len == m.count)
        return;
    while (p->chunk && p->chunk != m.chunk) {
        tp__chunk *prev = p->chunk->prev;
        tp__free(p->chunk);
        p->chunk = prev;
    }
    if (p->chunk)
        p->chunk->used = m.used;
    /* Clear the removed ids' slots, then re-seat the survivors that probed past
     * them (a rebuild in place, without allocating, so rollback cannot fail). */
    p->strs.len = m.count;
    memset(p->slots, 0, p->nslots * sizeof *p->slots);
    size_t mask = p->nslots - 1;
    for (size_t id = 0; id < m.count; id++) {
        size_t i = stored_hash(p, id) & mask;
        while (p->slots[i])
            i = (i + 1) & mask;
        p->slots[i] = (uint32_t)id + 1;
    }
}
