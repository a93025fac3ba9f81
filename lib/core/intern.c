#include "core/intern.h"

#include <string.h>

struct tp__chunk {
    size_t size;
    size_t used;
    char data[];
};

/* String chunks start small (most pools hold a few names) and double up to
 * CHUNK_BYTES, so an empty catalog costs bytes, not a large chunk. Large pools
 * (a million customer ids) fill chunks of TP__HUGE_BLOCK, which the allocator
 * advises for huge pages: one first-touch fault per 2 MiB, not per 4 KiB. */
enum { FIRST_CHUNK_BYTES = 256, CHUNK_BYTES = 4 << 20 };

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
    for (size_t k = 0; k < p->chunks.len; k++)
        tp__free(p->chunks.data[k]);
    tp__vec_ptr_free(&p->chunks);
    tp__vec_ptr_free(&p->strs);
    tp__free(p->slots);
    memset(p, 0, sizeof *p);
}

/* The pool's hash: keys of 4 to 32 bytes (most ids) in two to four
 * multiplies from overlapping loads, others by tp__hash_bytes. Never stored outside the
 * pool, so it may differ from tp__hash_bytes (whose values blobs keep). */
static inline uint32_t hash32(const tp__intern *p, const char *s, size_t len)
{
    uint64_t a, b;
    if (len > 16 && len <= 32) {
        uint64_t c, d;
        memcpy(&a, s, 8);
        memcpy(&b, s + 8, 8);
        memcpy(&c, s + len - 16, 8);
        memcpy(&d, s + len - 8, 8);
        a = mix(a ^ p->seed ^ K1, b ^ K2);
        b = mix(c ^ p->seed ^ K3, d ^ K1);
    } else if (len >= 8 && len <= 16) {
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
    } else if (len >= 4 && len < 8) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + len - 4, 4);
        a = x;
        b = y;
    } else {
        return (uint32_t)tp__hash_bytes(s, len, p->seed);
    }
    uint64_t h = mix(a ^ p->seed ^ K1, b ^ K2 ^ len);
    return (uint32_t)mix(h ^ K3, K1);
}

/* An entry in the arena: uint32 hash, uint32 length, uint32 id, the bytes, a NUL;
 * entries start 4-byte aligned. A slot holds the entry's location + 1: its
 * chunk's index << 20 | its offset / 4 (chunks hold at most 4 MiB of small
 * entries; a longer string gets a chunk of its own, at offset 0). So a probe
 * reads the slot, then the entry, whose header and bytes share a cache line.
 * 4,095 chunks of 4 MiB: 16 GiB of text, as 2^18 chunks of 64 KiB were. */
enum { HEADER = 12, LOC_BITS = 20, MAX_CHUNKS = (1 << (32 - LOC_BITS)) - 1 };
_Static_assert((size_t)CHUNK_BYTES <= (size_t)4 << LOC_BITS, "a chunk's offsets fit a location");

typedef struct head {
    uint32_t hash, len, id;
} head;

static inline const char *entry_at(const tp__intern *p, uint32_t loc)
{
    const tp__chunk *c = p->chunks.data[loc >> LOC_BITS];
    return c->data + ((size_t)(loc & ((1u << LOC_BITS) - 1)) << 2);
}

static inline size_t entry_size(size_t len) { return (HEADER + len + 1 + 3) & ~(size_t)3; }

/* a[0..len) == b[0..len): short keys (most ids) by two overlapping loads
 * each, without a call. */
static inline int same_bytes(const char *a, const char *b, size_t len)
{
    if (len > 16 && len <= 32) {
        uint64_t a0, a1, a2, a3, b0, b1, b2, b3;
        memcpy(&a0, a, 8);
        memcpy(&a1, a + 8, 8);
        memcpy(&a2, a + len - 16, 8);
        memcpy(&a3, a + len - 8, 8);
        memcpy(&b0, b, 8);
        memcpy(&b1, b + 8, 8);
        memcpy(&b2, b + len - 16, 8);
        memcpy(&b3, b + len - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0;
    }
    if (len >= 8 && len <= 16) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + len - 8, 8);
        memcpy(&b1, b + len - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (len >= 4 && len < 8) {
        uint32_t a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + len - 4, 4);
        memcpy(&b1, b + len - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return memcmp(a, b, len) == 0;
}

/* Slot of s: *found set, and *id when found. */
static size_t probe(const tp__intern *p, uint32_t h, const char *s, size_t len, int *found,
                    uint32_t *id)
{
    size_t mask = p->nslots - 1;
    size_t i = h & mask;
    for (;;) {
        uint32_t slot = p->slots[i];
        if (!slot) {
            *found = 0;
            return i;
        }
        const char *e = entry_at(p, slot - 1);
        head hd;
        memcpy(&hd, e, sizeof hd);
        if (hd.hash == h && hd.len == len && same_bytes(e + HEADER, s, len)) {
            *found = 1;
            *id = hd.id;
            return i;
        }
        i = (i + 1) & mask;
    }
}

/* Seat every entry in `slots` (zeroed, nslots of them), walking the arena in
 * id order. Allocates nothing. */
static void seat_all(const tp__intern *p, uint32_t *slots, size_t nslots)
{
    size_t mask = nslots - 1;
    for (size_t k = 0; k < p->chunks.len; k++) {
        const tp__chunk *c = p->chunks.data[k];
        for (size_t off = 0; off < c->used;) {
            head hd;
            memcpy(&hd, c->data + off, sizeof hd);
            size_t i = hd.hash & mask;
            while (slots[i])
                i = (i + 1) & mask;
            slots[i] = (uint32_t)(k << LOC_BITS | off >> 2) + 1;
            off += entry_size(hd.len);
        }
    }
}

static int rebuild(tp__intern *p, size_t nslots)
{
    uint32_t *slots = tp__calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    seat_all(p, slots, nslots);
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
    probe(p, hash32(p, s, len), s, len, &found, id);
    return found;
}

/* Copy s with its header; *loc receives its location. NULL when out of memory
 * or out of locations. */
static char *arena_copy(tp__intern *p, const char *s, size_t len, uint32_t h, uint32_t id,
                        uint32_t *loc)
{
    tp__chunk *c = p->chunks.len ? p->chunks.data[p->chunks.len - 1] : NULL;
    size_t need = entry_size(len);
    if (!c || c->size - c->used < need) {
        size_t size = !c ? FIRST_CHUNK_BYTES : c->size >= CHUNK_BYTES / 2 ? CHUNK_BYTES : c->size * 2;
        if (size < need)
            size = need;
        if (size > SIZE_MAX - sizeof(tp__chunk) || p->chunks.len >= MAX_CHUNKS ||
            tp__vec_ptr_reserve(&p->chunks, 1))
            return NULL;
        tp__chunk *n = tp__malloc(sizeof(tp__chunk) + size);
        if (!n)
            return NULL;
        n->size = size;
        n->used = 0;
        p->chunks.data[p->chunks.len++] = c = n;
    }
    char *dst = c->data + c->used;
    head hd = {h, (uint32_t)len, id};
    memcpy(dst, &hd, sizeof hd);
    memcpy(dst + HEADER, s, len);
    dst[HEADER + len] = '\0';
    *loc = (uint32_t)((p->chunks.len - 1) << LOC_BITS | c->used >> 2);
    c->used += need;
    return dst + HEADER;
}

/* Room for `more` strings beyond those held, keeping the load factor at or
 * below 1/2. Returns 0 or -1. */
static int make_room(tp__intern *p, size_t more)
{
    size_t count = p->strs.len;
    if (more > UINT32_MAX - 1 - count)
        return -1;
    size_t n = p->nslots ? p->nslots : 64;
    while ((count + more) * 2 > n)
        n *= 2;
    if (n != p->nslots && rebuild(p, n))
        return -1;
    return tp__vec_ptr_reserve(&p->strs, more);
}

/* Add s as the next id at empty slot i (room made). Returns 0 or -1. */
static int insert(tp__intern *p, size_t i, uint32_t h, const char *s, size_t len, uint32_t *id)
{
    uint32_t loc, count = (uint32_t)p->strs.len;
    char *copy = arena_copy(p, s, len, h, count, &loc);
    if (!copy)
        return -1;
    p->strs.data[p->strs.len++] = copy;
    p->slots[i] = loc + 1;
    *id = count;
    return 0;
}

int tp__intern_put(tp__intern *p, const char *s, size_t len, uint32_t *id)
{
    if (len > UINT32_MAX - HEADER - 4)
        return -1;
    uint32_t h = hash32(p, s, len);
    int found = 0;
    size_t i = 0;
    if (p->nslots && (i = probe(p, h, s, len, &found, id), found))
        return 0;
    size_t before = p->nslots;
    if (make_room(p, 1))
        return -1;
    if (p->nslots != before) {
        uint32_t unused;
        i = probe(p, h, s, len, &found, &unused);
    }
    return insert(p, i, h, s, len, id);
}

int tp__intern_put_block(tp__intern *p, size_t n, const char *const *s, const uint32_t *len,
                         uint32_t *ids)
{
    uint32_t h[TP__INTERN_BLOCK];
    if (n > TP__INTERN_BLOCK)
        return -1;
    for (size_t k = 0; k < n; k++)
        if (len[k] > UINT32_MAX - HEADER - 4)
            return -1;
    if (make_room(p, n)) {
        /* Near a limit, or short of memory: one at a time, as far as it goes. */
        for (size_t k = 0; k < n; k++)
            if (tp__intern_put(p, s[k], len[k], &ids[k]))
                return -1;
        return 0;
    }
    /* A pipeline over the block: key k is hashed and its first slot fetched
     * ahead, the slot of key k - AHEAD_SLOT is read and its occupant's entry
     * fetched ahead, and key k - AHEAD_PROBE is probed (and inserted if new),
     * in block order, so ids are those of one put after another. The fetches
     * of a table larger than the caches overlap, where a put at a time waits
     * for a slot and then an entry. */
    enum { AHEAD_SLOT = 8, AHEAD_PROBE = 16 };
    size_t mask = p->nslots - 1;
    for (size_t k = 0; k < n + AHEAD_PROBE; k++) {
        if (k < n) {
            h[k] = hash32(p, s[k], len[k]);
            TP__PREFETCH(&p->slots[h[k] & mask]);
        }
        if (k >= AHEAD_SLOT && k - AHEAD_SLOT < n) {
            uint32_t slot = p->slots[h[k - AHEAD_SLOT] & mask];
            if (slot)
                TP__PREFETCH(entry_at(p, slot - 1));
        }
        if (k >= AHEAD_PROBE) {
            size_t j = k - AHEAD_PROBE;
            int found;
            size_t i = probe(p, h[j], s[j], len[j], &found, &ids[j]);
            if (!found && insert(p, i, h[j], s[j], len[j], &ids[j]))
                return -1;
        }
    }
    return 0;
}

int tp__intern_queue_flush(tp__intern_queue *q, tp__intern *p, uint32_t *out)
{
    uint32_t ids[TP__INTERN_BLOCK];
    size_t n = q->n;
    q->n = 0;
    if (tp__intern_put_block(p, n, q->s, q->len, ids))
        return -1;
    for (size_t k = 0; k < n; k++)
        out[q->at[k]] = ids[k];
    return 0;
}

int tp__intern_map_into(tp__intern *dst, const tp__intern *src, uint32_t *map)
{
    const char *s[TP__INTERN_BLOCK];
    uint32_t len[TP__INTERN_BLOCK];
    for (size_t i = 0; i < src->strs.len; i += TP__INTERN_BLOCK) {
        size_t n = src->strs.len - i < TP__INTERN_BLOCK ? src->strs.len - i : TP__INTERN_BLOCK;
        for (size_t k = 0; k < n; k++) {
            s[k] = src->strs.data[i + k];
            len[k] = tp__intern_len(src, (uint32_t)(i + k));
        }
        if (tp__intern_put_block(dst, n, s, len, map + i))
            return -1;
    }
    return 0;
}

tp__intern_mark tp__intern_mark_get(const tp__intern *p)
{
    const tp__chunk *c = p->chunks.len ? p->chunks.data[p->chunks.len - 1] : NULL;
    tp__intern_mark m = {p->strs.len, p->chunks.len, c ? c->used : 0};
    return m;
}

void tp__intern_rollback(tp__intern *p, tp__intern_mark m)
{
    if (p->strs.len == m.count)
        return;
    while (p->chunks.len > m.chunks)
        tp__free(p->chunks.data[--p->chunks.len]);
    if (p->chunks.len)
        ((tp__chunk *)p->chunks.data[p->chunks.len - 1])->used = m.used;
    /* Clear the removed ids' slots, then re-seat the survivors that probed past
     * them (a rebuild in place, without allocating, so rollback cannot fail). */
    p->strs.len = m.count;
    memset(p->slots, 0, p->nslots * sizeof *p->slots);
    seat_all(p, p->slots, p->nslots);
}
