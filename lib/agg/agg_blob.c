/* The serialized form of an aggregate, version 2. All integers little-endian.
 *
 *   0  "TPAG"                      magic
 *   4  u16 version (2), u16 kind
 *   8  u64 total length in bytes
 *  16  u8 flags (bit 0: not empty, bit 1: has reach), 3 zero bytes
 *  20  u32 number of recorded options P (0 when empty, else the kind's count)
 *  24  P x u64 recorded options
 *      u32 N names; N x (u32 length, bytes): touchpoint ids, distinct
 *      scorecard: N rows: u8 listed, u64 reach, u64 respondents, u64 reached
 *        respondents (version 2; a version 1 scorecard is refused), 7 x u64 counts (promoters,
 *        passives, detractors, csat_n, csat_top, ces_easy, audit_knocked),
 *        5 x moments (u64 n, 32-byte sum, 32-byte sum of squares) for ces,
 *        rating, sentiment, audit and all 0-100 values
 *      other kinds: u32 R records; R x (u32 key length K, K x u32 key, the
 *        kind's counts as u64, its sums as 32 bytes each)
 *      markov, then: u32 T transitions; T x (u32 from state or 0xfffffffe for
 *        the start, u32 to state, 32-byte weight)
 *
 * Names and records keep their ids, so a load followed by a store gives the
 * same bytes. Reading checks every length against the bytes left, every id
 * against the names, and the counts against each other, and names the field
 * and offset of the first problem. */
#include <string.h>

#include "agg/agg_internal.h"
#include "core/error.h"
#include "core/le.h"
#include "core/utf8.h"

#define MAGIC "TPAG"
#define VERSION 2
#define HEADER 24

/* ---- writing: one pass to measure, one to fill ---- */

typedef struct wbuf {
    unsigned char *p; /* NULL while measuring */
    size_t len;
} wbuf;

static void put(wbuf *w, const void *data, size_t n)
{
    if (w->p)
        memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void put_u8(wbuf *w, unsigned x)
{
    unsigned char b = (unsigned char)x;
    put(w, &b, 1);
}

static void put_u32(wbuf *w, uint32_t x)
{
    unsigned char b[4];
    tp__le32_store(b, x);
    put(w, b, 4);
}

static void put_u64(wbuf *w, uint64_t x)
{
    unsigned char b[8];
    tp__le64_store(b, x);
    put(w, b, 8);
}

static void put_xsum(wbuf *w, const tp__xsum *s)
{
    unsigned char b[TP__XSUM_BYTES];
    tp__xsum_store(s, b);
    put(w, b, sizeof b);
}

static void put_moments(wbuf *w, const tp__xmoments *m)
{
    put_u64(w, m->n);
    put_xsum(w, &m->sum);
    put_xsum(w, &m->sq);
}

static void write_agg(const tp_agg *a, wbuf *w, size_t total)
{
    const tp__agg_ops *sh = tp__agg_ops_of(a->kind);
    put(w, MAGIC, 4);
    unsigned char v[4];
    v[0] = VERSION & 0xff;
    v[1] = VERSION >> 8;
    v[2] = (unsigned char)(a->kind & 0xff);
    v[3] = (unsigned char)((unsigned)a->kind >> 8);
    put(w, v, 4);
    put_u64(w, total);
    put_u8(w, (unsigned)(!a->empty) | (unsigned)(a->has_reach ? 2 : 0));
    put_u8(w, 0), put_u8(w, 0), put_u8(w, 0);
    size_t np = a->empty ? 0 : sh->nparam;
    put_u32(w, (uint32_t)np);
    for (size_t p = 0; p < np; p++)
        put_u64(w, a->param[p]);
    uint32_t nn = (uint32_t)tp__intern_count(&a->names);
    put_u32(w, nn);
    for (uint32_t i = 0; i < nn; i++) {
        put_u32(w, tp__intern_len(&a->names, i));
        put(w, tp__intern_str(&a->names, i), tp__intern_len(&a->names, i));
    }
    if (sh->rows_per_name) {
        for (uint32_t i = 0; i < nn; i++) {
            const tp__sc_row *r = &a->sc.data[i];
            const tp__acc *c = &r->acc;
            put_u8(w, r->listed);
            put_u64(w, r->reach);
            put_u64(w, r->respondents);
            put_u64(w, r->reached);
            const uint64_t counts[7] = {c->promoters, c->passives, c->detractors, c->csat_n,
                                        c->csat_top,  c->ces_easy, c->audit_knocked};
            for (int k = 0; k < 7; k++)
                put_u64(w, counts[k]);
            put_moments(w, &c->ces);
            put_moments(w, &c->rating);
            put_moments(w, &c->sentiment);
            put_moments(w, &c->audit);
            put_moments(w, &c->all);
        }
        return;
    }
    uint32_t nr = (uint32_t)tp__ktab_count(&a->tab);
    put_u32(w, nr);
    for (uint32_t r = 0; r < nr; r++) {
        size_t k = tp__ktab_key_len(&a->tab, r);
        put_u32(w, (uint32_t)k);
        for (size_t i = 0; i < k; i++)
            put_u32(w, tp__ktab_key_at(&a->tab, r, i));
        for (int i = 0; i < sh->nc; i++)
            put_u64(w, a->tab.rec.data[r].n[i]);
        for (int i = 0; i < sh->nx; i++)
            put_xsum(w, &a->tab.rec.data[r].x[i]);
    }
    if (!sh->nx2)
        return;
    uint32_t nt = (uint32_t)tp__ktab_count(&a->tab2);
    put_u32(w, nt);
    for (uint32_t r = 0; r < nt; r++) {
        put_u32(w, tp__ktab_key_at(&a->tab2, r, 0));
        put_u32(w, tp__ktab_key_at(&a->tab2, r, 1));
        put_xsum(w, &a->tab2.rec.data[r].x[0]);
    }
}

TP_API tp_status tp_agg_serialize(const tp_agg *agg, void **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!agg || !out || !len)
        return tp__error(TP_EINVAL, "tp_agg_serialize: %s is NULL",
                         !agg ? "agg" : !out ? "out" : "len");
    wbuf w = {NULL, 0};
    write_agg(agg, &w, 0);
    size_t total = w.len;
    w.p = tp__malloc(total);
    if (!w.p)
        return tp__error(TP_ENOMEM, "out of memory");
    w.len = 0;
    write_agg(agg, &w, total);
    *out = w.p;
    *len = total;
    return TP_OK;
}

/* ---- reading ---- */

typedef struct rbuf {
    const unsigned char *p;
    size_t len, off;
    tp_status st;
} rbuf;

static int bad(rbuf *r, const char *field, const char *why)
{
    if (r->st == TP_OK)
        r->st = tp__error(TP_EPARSE, "aggregate: byte %zu: %s: %s", r->off, field, why);
    return -1;
}

static int take(rbuf *r, size_t n, const char *field, const unsigned char **at)
{
    if (r->st != TP_OK)
        return -1;
    if (n > r->len - r->off)
        return bad(r, field, "truncated");
    *at = r->p + r->off;
    r->off += n;
    return 0;
}

static int get_u32(rbuf *r, const char *field, uint32_t *x)
{
    const unsigned char *at;
    if (take(r, 4, field, &at))
        return -1;
    *x = tp__le32_load(at);
    return 0;
}

static int get_u64(rbuf *r, const char *field, uint64_t *x)
{
    const unsigned char *at;
    if (take(r, 8, field, &at))
        return -1;
    *x = tp__le64_load(at);
    return 0;
}

/* A count: at most TP__COUNT_MAX (counts reach int64 table columns). */
static int get_count(rbuf *r, const char *field, uint64_t *x)
{
    if (get_u64(r, field, x))
        return -1;
    return *x > TP__COUNT_MAX ? bad(r, field, "count too large") : 0;
}

static int get_xsum(rbuf *r, const char *field, tp__xsum *s)
{
    const unsigned char *at;
    if (take(r, TP__XSUM_BYTES, field, &at))
        return -1;
    tp__xsum_load(s, at);
    return 0;
}

static int get_moments(rbuf *r, const char *field, tp__xmoments *m)
{
    if (get_count(r, field, &m->n) || get_xsum(r, field, &m->sum) || get_xsum(r, field, &m->sq))
        return -1;
    if (m->n == 0 && !(tp__xsum_is_zero(&m->sum) && tp__xsum_is_zero(&m->sq)))
        return bad(r, field, "sums without values");
    if (tp__xsum_is_negative(&m->sq))
        return bad(r, field, "negative sum of squares");
    return 0;
}

static int add_ok(uint64_t *sum, uint64_t x)
{
    if (x > UINT64_MAX - *sum)
        return 0;
    *sum += x;
    return 1;
}

static int read_scorecard_row(rbuf *r, tp__sc_row *row)
{
    const unsigned char *at;
    uint64_t c[7];
    if (take(r, 1, "listed", &at))
        return -1;
    if (*at > 1)
        return bad(r, "listed", "not 0 or 1");
    row->listed = *at;
    if (get_count(r, "reach", &row->reach) || get_count(r, "respondents", &row->respondents) ||
        get_count(r, "reached", &row->reached))
        return -1;
    for (int k = 0; k < 7; k++)
        if (get_count(r, "counts", &c[k]))
            return -1;
    tp__acc *a = &row->acc;
    a->promoters = c[0], a->passives = c[1], a->detractors = c[2], a->csat_n = c[3];
    a->csat_top = c[4], a->ces_easy = c[5], a->audit_knocked = c[6];
    if (get_moments(r, "ces", &a->ces) || get_moments(r, "rating", &a->rating) ||
        get_moments(r, "sentiment", &a->sentiment) || get_moments(r, "audit", &a->audit) ||
        get_moments(r, "all", &a->all))
        return -1;
    if (a->csat_top > a->csat_n || a->ces_easy > a->ces.n || a->audit_knocked > a->audit.n)
        return bad(r, "counts", "a part exceeds its whole");
    uint64_t n = 0;
    const uint64_t parts[] = {a->promoters, a->passives, a->detractors, a->csat_n,
                              a->ces.n,     a->rating.n, a->sentiment.n, a->audit.n};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
        if (!add_ok(&n, parts[k]))
            return bad(r, "counts", "overflow");
    if (n != a->all.n)
        return bad(r, "all", "response count differs from the metrics' counts");
    if (row->respondents > n || (row->respondents == 0) != (n == 0))
        return bad(r, "respondents", "not between 1 and the responses (0 without any)");
    if (row->reached > row->respondents || row->reached > row->reach)
        return bad(r, "reached", "more than the respondents or the reach");
    return 0;
}

/* The kind's checks of the whole aggregate, once every record is in. */
static int check_whole(rbuf *r, const tp_agg *a)
{
    const tp__agg_ops *k = tp__agg_ops_of(a->kind);
    const char *field = NULL, *why = NULL;
    int rc = k->check_whole ? k->check_whole(a, &field, &why) : 0;
    if (rc < 0) {
        r->st = tp__error(TP_ENOMEM, "out of memory");
        return -1;
    }
    return rc ? bad(r, field, why) : 0;
}

static int read_agg(rbuf *r, tp_agg *a, size_t nparam_read)
{
    const tp__agg_ops *sh = tp__agg_ops_of(a->kind);
    for (size_t p = 0; p < nparam_read; p++)
        if (get_u64(r, "options", &a->param[p]))
            return -1;
    uint32_t nn;
    if (get_u32(r, "names", &nn))
        return -1;
    for (uint32_t i = 0; i < nn; i++) {
        uint32_t len, id;
        const unsigned char *at;
        if (get_u32(r, "name length", &len) || take(r, len, "name", &at))
            return -1;
        const char *why = tp__ident_problem((const char *)at, len);
        if (why)
            return bad(r, "name", why);
        size_t before = tp__intern_count(&a->names);
        if (tp__agg_add_name(a, (const char *)at, len, &id)) {
            r->st = tp__error(TP_ENOMEM, "out of memory");
            return -1;
        }
        if (tp__intern_count(&a->names) == before)
            return bad(r, "name", "duplicate");
    }
    if (sh->rows_per_name) {
        for (uint32_t i = 0; i < nn; i++)
            if (read_scorecard_row(r, &a->sc.data[i]))
                return -1;
        return check_whole(r, a);
    }
    uint32_t nr;
    if (get_u32(r, "records", &nr))
        return -1;
    tp__vec_u32 key = {0};
    for (uint32_t i = 0; i < nr; i++) {
        uint32_t k, id;
        if (get_u32(r, "key length", &k))
            break;
        if (k > (r->len - r->off) / 4) {
            bad(r, "key", "truncated");
            break;
        }
        key.len = 0;
        if (tp__vec_u32_reserve(&key, k ? k : 1)) {
            r->st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        for (uint32_t j = 0; j < k; j++)
            (void)get_u32(r, "key", &key.data[key.len++]);
        tp__krec rec;
        memset(&rec, 0, sizeof rec);
        for (int j = 0; j < sh->nc; j++)
            (void)get_count(r, "counts", &rec.n[j]);
        for (int j = 0; j < sh->nx; j++)
            (void)get_xsum(r, "sums", &rec.x[j]);
        if (r->st != TP_OK)
            break;
        const char *why = sh->check_key(a, key.data, k, nn);
        if (why) {
            bad(r, "key", why);
            break;
        }
        if ((why = sh->check_record(key.data, &rec)) != NULL) {
            bad(r, "record", why);
            break;
        }
        size_t before = tp__ktab_count(&a->tab);
        tp__krec *slot = tp__ktab_get(&a->tab, key.data, k, &id);
        if (!slot) {
            r->st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        if (tp__ktab_count(&a->tab) == before) {
            bad(r, "key", "duplicate");
            break;
        }
        *slot = rec;
    }
    tp__vec_u32_free(&key);
    if (r->st == TP_OK && !sh->nx2)
        return check_whole(r, a);
    if (r->st != TP_OK)
        return -1;
    uint32_t nt, ns = (uint32_t)tp__ktab_count(&a->tab);
    if (get_u32(r, "transitions", &nt))
        return -1;
    for (uint32_t i = 0; i < nt; i++) {
        uint32_t k2[2];
        tp__krec rec;
        memset(&rec, 0, sizeof rec);
        if (get_u32(r, "transition", &k2[0]) || get_u32(r, "transition", &k2[1]) ||
            get_xsum(r, "weight", &rec.x[0]))
            return -1;
        if ((k2[0] >= ns && k2[0] != TP__KEY_START) || k2[1] >= ns)
            return bad(r, "transition", "state out of range");
        if (tp__xsum_is_negative(&rec.x[0]))
            return bad(r, "weight", "negative");
        size_t before = tp__ktab_count(&a->tab2);
        tp__krec *slot = tp__ktab_get(&a->tab2, k2, 2, NULL);
        if (!slot) {
            r->st = tp__error(TP_ENOMEM, "out of memory");
            return -1;
        }
        if (tp__ktab_count(&a->tab2) == before)
            return bad(r, "transition", "duplicate");
        *slot = rec;
    }
    return check_whole(r, a);
}

TP_API tp_status tp_agg_deserialize(tp_agg **out, const void *data, size_t len)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_agg_deserialize: out is NULL");
    *out = NULL;
    if (!data && len)
        return tp__error(TP_EINVAL, "tp_agg_deserialize: data is NULL");
    rbuf r = {data, len, 0, TP_OK};
    const unsigned char *h;
    if (take(&r, HEADER, "header", &h))
        return r.st;
    if (memcmp(h, MAGIC, 4))
        return tp__error(TP_EPARSE, "aggregate: byte 0: magic: not an aggregate");
    unsigned version = (unsigned)h[4] | (unsigned)h[5] << 8;
    unsigned kind = (unsigned)h[6] | (unsigned)h[7] << 8;
    uint64_t total = tp__le64_load(h + 8);
    unsigned flags = h[16];
    uint32_t np = tp__le32_load(h + 20);
    if (version == 0 || version > VERSION)
        return tp__error(TP_EPARSE, "aggregate: byte 4: version: format %u is not known to "
                                    "this library (it reads 1 to %d)",
                         version, VERSION);
    if (!tp__agg_kind_valid((int)kind))
        return tp__error(TP_EPARSE, "aggregate: byte 6: kind: unknown kind %u", kind);
    if (version < 2 && kind == TP_AGG_SCORECARD)
        return tp__error(TP_EPARSE, "aggregate: byte 4: version: a format 1 scorecard has no "
                                    "respondents; make the partial again with this library");
    if (total != len)
        return tp__error(TP_EPARSE,
                         "aggregate: byte 8: length: the header says %llu bytes, %zu given",
                         (unsigned long long)total, len);
    if ((flags & ~3u) || h[17] || h[18] || h[19])
        return tp__error(TP_EPARSE, "aggregate: byte 16: flags: unknown bits set");
    int empty = !(flags & 1);
    size_t want = empty ? 0 : tp__agg_ops_of((tp_agg_kind)kind)->nparam;
    if (np != want)
        return tp__error(TP_EPARSE, "aggregate: byte 20: options: %u recorded, %zu expected",
                         (unsigned)np, want);
    tp_agg *a = tp__malloc(sizeof *a);
    if (!a)
        return tp__error(TP_ENOMEM, "out of memory");
    tp__agg_init(a, (tp_agg_kind)kind);
    a->empty = empty;
    a->has_reach = (flags & 2) != 0;
    if (read_agg(&r, a, np) == 0 && r.off != len)
        bad(&r, "end", "bytes after the aggregate");
    if (r.st == TP_OK && empty &&
        (tp__intern_count(&a->names) || tp__ktab_count(&a->tab) || tp__ktab_count(&a->tab2) ||
         a->has_reach))
        bad(&r, "flags", "an empty aggregate with content");
    if (r.st != TP_OK) {
        tp_agg_free(a);
        return r.st;
    }
    *out = a;
    return TP_OK;
}
