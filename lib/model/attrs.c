#include "model/attrs.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

int tp__attrs_init(tp__attrs *a)
{
    uint32_t id;
    memset(a, 0, sizeof *a);
    tp__intern_init(&a->names);
    tp__intern_init(&a->folded);
    tp__intern_init(&a->values);
    return tp__intern_put(&a->values, "", 0, &id);
}

void tp__attrs_free(tp__attrs *a)
{
    for (size_t i = 0; i < a->cols.len; i++) {
        tp__vec_u32_free(a->cols.data[i]);
        tp__free(a->cols.data[i]);
    }
    tp__vec_ptr_free(&a->cols);
    tp__intern_free(&a->names);
    tp__intern_free(&a->folded);
    tp__intern_free(&a->values);
}

static int add_column(tp__attrs *a, const char *name, const char *folded, size_t len,
                      size_t nrows, size_t *col);

/* `name` in ASCII lower case, in `buf` when it fits, else allocated (*heap). */
static const char *fold(const char *name, size_t len, char *buf, size_t cap, char **heap)
{
    char *out = buf;
    *heap = NULL;
    if (len > cap && !(out = *heap = tp__malloc(len)))
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    return out;
}

size_t tp__attrs_find(const tp__attrs *a, const char *name, size_t len)
{
    char buf[256], *heap;
    const char *f = fold(name, len, buf, sizeof buf, &heap);
    uint32_t id;
    int found = f && tp__intern_find(&a->folded, f, len, &id);
    tp__free(heap);
    return found ? id : SIZE_MAX;
}

int tp__attrs_column(tp__attrs *a, const char *name, size_t len, size_t nrows, size_t *col)
{
    char buf[256], *heap;
    const char *f = fold(name, len, buf, sizeof buf, &heap);
    if (!f)
        return -1;
    uint32_t id;
    if (tp__intern_find(&a->folded, f, len, &id)) {
        tp__free(heap);
        *col = id;
        return 0;
    }
    int rc = add_column(a, name, f, len, nrows, col);
    tp__free(heap);
    return rc;
}

static int add_column(tp__attrs *a, const char *name, const char *folded, size_t len,
                      size_t nrows, size_t *col)
{
    uint32_t id, fid;
    if (tp__vec_ptr_reserve(&a->cols, 1))
        return -1;
    tp__vec_u32 *v = tp__calloc(1, sizeof *v);
    if (!v)
        return -1;
    if (tp__vec_u32_reserve(v, nrows + 1)) {
        tp__free(v);
        return -1;
    }
    tp__intern_mark m = tp__intern_mark_get(&a->names), fm = tp__intern_mark_get(&a->folded);
    if (tp__intern_put(&a->names, name, len, &id) ||
        tp__intern_put(&a->folded, folded, len, &fid)) {
        tp__intern_rollback(&a->names, m);
        tp__intern_rollback(&a->folded, fm);
        tp__vec_u32_free(v);
        tp__free(v);
        return -1;
    }
    memset(v->data, 0, nrows * sizeof *v->data);
    v->len = nrows;
    a->cols.data[a->cols.len++] = v;
    *col = id;
    return 0;
}

int tp__attrs_value(tp__attrs *a, const char *s, size_t len, uint32_t *id)
{
    return tp__intern_put(&a->values, s, len, id);
}

int tp__attrs_reserve(tp__attrs *a, size_t n)
{
    for (size_t c = 0; c < a->cols.len; c++)
        if (tp__vec_u32_reserve(a->cols.data[c], n))
            return -1;
    return 0;
}

void tp__attrs_push_row(tp__attrs *a, const uint32_t *vals, size_t n)
{
    for (size_t c = 0; c < a->cols.len; c++) {
        tp__vec_u32 *v = a->cols.data[c];
        v->data[v->len++] = c < n ? vals[c] : 0;
    }
}

int tp__attrs_absorb(tp__attrs *dst, size_t dst_rows, const tp__attrs *src, size_t nrows,
                     const size_t *cols)
{
    size_t nv = tp__intern_count(&src->values), nd = dst->cols.len;
    uint32_t *vmap = tp__malloc((nv ? nv : 1) * sizeof *vmap);
    const tp__vec_u32 **from = tp__calloc(nd ? nd : 1, sizeof *from);
    int bad = !vmap || !from || tp__intern_map_into(&dst->values, &src->values, vmap);
    for (size_t j = 0; !bad && j < src->cols.len; j++)
        from[cols[j]] = src->cols.data[j];
    for (size_t c = 0; !bad && c < nd; c++) {
        tp__vec_u32 *v = dst->cols.data[c];
        bad = v->len != dst_rows || tp__vec_u32_reserve(v, nrows);
    }
    for (size_t c = 0; !bad && c < nd; c++) {
        tp__vec_u32 *v = dst->cols.data[c];
        if (from[c])
            for (size_t i = 0; i < nrows; i++)
                v->data[v->len + i] = vmap[from[c]->data[i]];
        else
            memset(v->data + v->len, 0, nrows * sizeof *v->data);
        v->len += nrows;
    }
    tp__free(vmap);
    tp__free(from);
    return bad ? -1 : 0;
}

const char *tp__attrs_get(const tp__attrs *a, size_t col, size_t row)
{
    const tp__vec_u32 *v = a->cols.data[col];
    return tp__intern_str(&a->values, v->data[row]);
}

const char *tp__attrs_name(const tp__attrs *a, size_t col) { return tp__intern_str(&a->names, (uint32_t)col); }

tp__attrs_mark tp__attrs_mark_get(const tp__attrs *a, size_t nrows)
{
    tp__attrs_mark m = {a->cols.len, nrows, tp__intern_mark_get(&a->names),
                        tp__intern_mark_get(&a->folded), tp__intern_mark_get(&a->values)};
    return m;
}

void tp__attrs_rollback(tp__attrs *a, tp__attrs_mark m)
{
    while (a->cols.len > m.ncols) {
        tp__vec_u32 *v = a->cols.data[--a->cols.len];
        tp__vec_u32_free(v);
        tp__free(v);
    }
    for (size_t c = 0; c < a->cols.len; c++) {
        tp__vec_u32 *v = a->cols.data[c];
        if (v->len > m.nrows)
            v->len = m.nrows;
    }
    tp__intern_rollback(&a->names, m.names);
    tp__intern_rollback(&a->folded, m.folded);
    tp__intern_rollback(&a->values, m.values);
}
