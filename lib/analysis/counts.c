/* Keyed partial aggregates and the names they are rendered with. */
#include "analysis/counts.h"

#include <string.h>

#include "core/error.h"

void tp__ktab_init(tp__ktab *t)
{
    memset(t, 0, sizeof *t);
    tp__intern_init(&t->keys);
}

void tp__ktab_free(tp__ktab *t)
{
    tp__intern_free(&t->keys);
    tp__vec_krec_free(&t->rec);
}

tp__krec *tp__ktab_get(tp__ktab *t, const uint32_t *key, size_t n, uint32_t *id)
{
    uint32_t k;
    tp__intern_mark m = tp__intern_mark_get(&t->keys);
    if (tp__intern_put(&t->keys, (const char *)key, n * sizeof *key, &k))
        return NULL;
    if (k == t->rec.len) {
        tp__krec zero;
        memset(&zero, 0, sizeof zero);
        if (tp__vec_krec_push(&t->rec, zero)) {
            tp__intern_rollback(&t->keys, m);
            return NULL;
        }
    }
    if (id)
        *id = k;
    return &t->rec.data[k];
}

size_t tp__ktab_key_len(const tp__ktab *t, uint32_t id)
{
    return tp__intern_len(&t->keys, id) / sizeof(uint32_t);
}

uint32_t tp__ktab_key_at(const tp__ktab *t, uint32_t id, size_t i)
{
    uint32_t x;
    memcpy(&x, tp__intern_str(&t->keys, id) + i * sizeof x, sizeof x);
    return x;
}

int tp__krec_merge(tp__krec *into, const tp__krec *from)
{
    tp__krec r = *into;
    for (int i = 0; i < 3; i++) {
        if (from->n[i] > TP__COUNT_MAX - r.n[i] || tp__xsum_merge(&r.x[i], &from->x[i]))
            return -1;
        r.n[i] += from->n[i];
    }
    *into = r;
    return 0;
}

tp_status tp__names_of_catalog(const tp_catalog *c, tp__names *out)
{
    size_t n = c->tps.len;
    const char **id = tp__malloc((n ? n : 1) * sizeof *id);
    uint32_t *rank = tp__malloc((n ? n : 1) * sizeof *rank);
    uint32_t *cat = tp__malloc((n ? n : 1) * sizeof *cat);
    if (!id || !rank || !cat) {
        tp__free((void *)id);
        tp__free(rank);
        tp__free(cat);
        return tp__error(TP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        id[i] = tp__catalog_id(c, (uint32_t)i);
        rank[i] = cat[i] = (uint32_t)i;
    }
    *out = (tp__names){n, id, rank, cat};
    return TP_OK;
}

void tp__names_free(tp__names *nm)
{
    tp__free((void *)nm->id);
    tp__free((void *)nm->rank);
    tp__free((void *)nm->cat);
    memset(nm, 0, sizeof *nm);
}
