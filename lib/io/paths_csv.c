/* Path-aggregate CSV reader: path,conversions[,value][,nulls], the format
 * attribution tools export ("a > b > c",12,340.5,88). */
#include <stdio.h>
#include <math.h>
#include <string.h>

#include "model/paths_internal.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/utf8.h"
#include "io/csv.h"
#include "io/fields.h"
#include "io/ingest.h"

enum { R_PATH, R_CONV, R_VALUE, R_NULLS, R_CONV2, R_VALUE2, R_NULLS2, NROLES };
static const char *const role_names[NROLES] = {
    "path", "conversions", "value", "nulls", "total_conversions", "total_conversion_value",
    "total_null"};

typedef struct reader {
    tp_paths *p;
    const char *sep;
    size_t seplen;
    tp__vec_u32 ids;
    tp__vec_size tok; /* token start, length pairs of the current path */
} reader;

/* Split s[0..len) at the separator into trimmed, non-empty tokens. */
static int split(reader *r, const char *s, size_t len)
{
    r->tok.len = 0;
    size_t i = 0;
    while (i <= len) {
        const char *hit = NULL;
        for (size_t k = i; k + r->seplen <= len; k++) {
            const char *at = memchr(s + k, r->sep[0], len - r->seplen + 1 - k);
            if (!at)
                break;
            k = (size_t)(at - s);
            size_t m = 1;
            while (m < r->seplen && at[m] == r->sep[m])
                m++;
            if (m == r->seplen) {
                hit = at;
                break;
            }
        }
        size_t end = hit ? (size_t)(hit - s) : len;
        const char *t = s + i;
        size_t tlen = end - i;
        tp__trimmed(&t, &tlen);
        if (tlen && (tp__vec_size_push(&r->tok, (size_t)(t - s)) ||
                     tp__vec_size_push(&r->tok, tlen)))
            return -1;
        i = end + (hit ? r->seplen : 1);
    }
    return 0;
}

/* A count or value field: 1 when good (*out set), else 0 with *st the outcome
 * of rejecting the row. */
static int amount(tp__ingest *in, const tp__csv *c, const tp__header *h, int col, int required,
                  double *out, tp_status *st)
{
    char why[TP__WHY_CAP];
    *out = 0.0;
    if (col < 0)
        return 1;
    const char *s = c->f[col].ptr;
    size_t len = c->f[col].len;
    tp__trimmed(&s, &len);
    if (len == 0 && !required)
        return 1;
    tp_status bad = tp__check_number_field(s, len, out, why);
    if (bad == TP_OK && !(*out >= 0.0)) {
        snprintf(why, sizeof why, "must be >= 0");
        bad = TP_EVALIDATE;
    }
    if (bad == TP_OK)
        return 1;
    *st = tp__ingest_bad_row(in, bad, (uint64_t)col + 1, h->names[col], "%s", why);
    return 0;
}

static tp_status read_row(reader *r, tp__ingest *in, const tp__csv *c, const tp__header *h,
                          const int *col)
{
    char why[TP__WHY_CAP];
    if (c->err != TP_OK) {
        const char *field = c->err_col && c->err_col <= h->ncols ? h->names[c->err_col - 1] : NULL;
        return tp__ingest_bad_row(in, c->err, c->err_col, field, "%s", c->err_reason);
    }
    if (c->nfields != h->ncols)
        return tp__ingest_bad_row(in, TP_EPARSE,
                                  (c->nfields < h->ncols ? c->nfields : h->ncols) + 1, NULL,
                                  "expected %zu fields, found %zu", h->ncols, c->nfields);
    double conv, value, nulls;
    tp_status st = TP_OK;
    if (!amount(in, c, h, col[R_CONV], 1, &conv, &st) ||
        !amount(in, c, h, col[R_VALUE], 0, &value, &st) ||
        !amount(in, c, h, col[R_NULLS], 0, &nulls, &st))
        return st;
    /* Totals are kept as doubles: a row that would make one infinite is bad. */
    const double sums[] = {r->p->total_conv + conv, r->p->total_value + value,
                           r->p->total_nulls + nulls};
    for (int k = 0; k < 3; k++)
        if (!isfinite(sums[k])) {
            int which = k == 0 ? col[R_CONV] : k == 1 ? col[R_VALUE] : col[R_NULLS];
            return tp__ingest_bad_row(in, TP_ELIMIT, (uint64_t)which + 1, h->names[which],
                                      "the set's total would overflow a double");
        }
    const tp__csv_field *pf = &c->f[col[R_PATH]];
    if (split(r, pf->ptr, pf->len))
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    size_t ntok = r->tok.len / 2;
    uint64_t pcol = (uint64_t)col[R_PATH] + 1;
    const char *pname = h->names[col[R_PATH]];
    if (ntok == 0)
        return tp__ingest_bad_row(in, TP_EVALIDATE, pcol, pname, "path has no touchpoint");
    if (tp__vec_u32_reserve(&r->ids, ntok))
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    /* A name the set holds passed the identifier check when it came (every way
     * into a set checks it); only a new one is checked, before any is added. */
    size_t fresh = 0;
    for (size_t i = 0; i < ntok; i++) {
        const char *t = pf->ptr + r->tok.data[2 * i];
        size_t tlen = r->tok.data[2 * i + 1];
        uint32_t *id = &r->ids.data[i];
        if (tp__intern_find(&r->p->names, t, tlen, id))
            continue;
        *id = UINT32_MAX;
        fresh++;
        if (tp__check_ident_field(t, tlen, "touchpoint", why) != TP_OK)
            return tp__ingest_bad_row(in, TP_EVALIDATE, pcol, pname, "%s", why);
    }
    for (size_t i = 0; fresh && i < ntok; i++)
        if (r->ids.data[i] == UINT32_MAX &&
            tp__intern_put(&r->p->names, pf->ptr + r->tok.data[2 * i], r->tok.data[2 * i + 1],
                           &r->ids.data[i]))
            return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    tp_status pushed = tp__paths_push(r->p, r->ids.data, NULL, ntok, conv, value, nulls);
    if (pushed != TP_OK)
        return tp__ingest_fail(in, pushed, in->line, 0, NULL, "%s", tp__last_reason());
    in->rows_accepted++;
    return TP_OK;
}

/* ---- on several threads: spans read into sets of their own, joined in order ---- */

typedef struct path_piece {
    tp__csv_span span;
    tp_paths *w;
    reader r;
    tp__ingest in;
    const tp__header *h;
    const int *col;
} path_piece;

typedef struct path_par {
    path_piece *pieces;
    const char *data;
    size_t len;
    tp__ingest_par par;
} path_par;

static tp_status path_row(void *ctx, tp__ingest *in, const tp__csv *c)
{
    path_piece *pp = ctx;
    return read_row(&pp->r, in, c, pp->h, pp->col);
}

static tp_status read_path_piece(void *ctx, size_t k)
{
    path_par *pp = ctx;
    path_piece *p = &pp->pieces[k];
    return tp__csv_span_read(&p->span, pp->data, pp->len, &p->in, path_row, p);
}

static void poll_path_pieces(void *par) { (void)tp__ingest_par_poll(par); }

static void free_path_pieces(path_piece *pieces, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        tp_paths_free(pieces[k].w);
        tp__vec_u32_free(&pieces[k].r.ids);
        tp__vec_size_free(&pieces[k].r.tok);
        tp_read_log_free(pieces[k].in.report);
    }
    tp__free(pieces);
}

/* Smallest share of the body worth a thread. */
#define PATHS_MIN_PIECE ((size_t)1 << 20)

/* The body of the input (from c->p) read in spans on threads into sets of
 * their own, then added to r->p in input order. Returns 1 when it was not
 * worth it (nothing done), else 0 with *st the outcome; when that cannot be
 * the one-thread result (a span cut inside a quoted field, a failed row, a
 * total that overflows only when the spans are added up) *st is an error with
 * in->retry_serial set (not for a stop: TP_ECANCELED). */
static int read_parallel(reader *r, tp__csv *c, tp__ingest *in, const tp__header *h,
                         const int *col, tp_status *st)
{
    unsigned threads = in->opts.threads ? in->opts.threads : (unsigned)tp__cpu_count();
    size_t n = (size_t)(c->end - c->p) / PATHS_MIN_PIECE;
    if (threads <= 1 || n < 2)
        return 1;
    if (n > threads)
        n = threads;
    path_par pp = {tp__calloc(n, sizeof(path_piece)), c->base, (size_t)(c->end - c->base),
                   {in, pthread_self(), 0, 0, 0}};
    tp__csv_span *spans = tp__calloc(n, sizeof *spans);
    if (!pp.pieces || !spans) {
        tp__free(pp.pieces);
        tp__free(spans);
        *st = tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
        return 0;
    }
    n = tp__csv_spans(spans, n, c, h->ncols, (int)threads);
    *st = TP_OK;
    for (size_t k = 0; k < n && *st == TP_OK; k++) {
        path_piece *p = &pp.pieces[k];
        p->span = spans[k];
        p->h = h;
        p->col = col;
        if (tp__ingest_piece(&p->in, in, &pp.par, (uint64_t)(p->span.start - c->base)) != TP_OK ||
            tp_paths_new(&p->w) != TP_OK)
            *st = tp__error(TP_ENOMEM, "out of memory");
        p->r = (reader){p->w, r->sep, r->seplen, {0}, {0}};
    }
    tp__free(spans);
    if (*st == TP_OK)
        *st = tp__parallel_for_polled(n, (int)threads, read_path_piece, &pp, poll_path_pieces,
                                      &pp.par);
    for (size_t k = 1; *st == TP_OK && k < n; k++)
        if (pp.pieces[k].span.first != pp.pieces[k - 1].span.next)
            *st = tp__error(TP_EPARSE, "a piece of the read began inside a quoted field");
    /* Every set first (a total that overflows only now means: read again on
     * one thread, which rejects that row), then the counts and issues. */
    for (size_t k = 0; *st == TP_OK && k < n; k++) {
        *st = tp__paths_absorb(r->p, pp.pieces[k].w);
        tp_paths_free(pp.pieces[k].w); /* its memory back before the next one grows r->p */
        pp.pieces[k].w = NULL;
    }
    for (size_t k = 0; *st == TP_OK && k < n; k++)
        tp__ingest_absorb_piece(in, &pp.pieces[k].in,
                                (uint64_t)(pp.pieces[k].span.limit - c->base));
    if (*st != TP_OK)
        in->retry_serial = *st != TP_ECANCELED;
    free_path_pieces(pp.pieces, n);
    return 0;
}

static tp_status read_csv(reader *r, const char *data, size_t len, tp__ingest *in)
{
    tp__csv c;
    tp__csv_init(&c, data, len, in->opts.delimiter, in->opts.max_field_bytes);
    int col[NROLES];
    tp__header h;
    tp_status st = tp__csv_header(&c, in, role_names, NROLES, 1u << R_PATH, &h, col);
    if (st != TP_OK) {
        tp__csv_free(&c);
        return st;
    }
    for (int k = R_CONV; k <= R_NULLS; k++)
        if (col[k] < 0)
            col[k] = col[k + (R_CONV2 - R_CONV)];
    if (col[R_CONV] < 0)
        st = tp__ingest_fail(in, TP_EPARSE, 1, 0, NULL,
                             "header: missing column \"conversions\" (or \"total_conversions\")");
    if (st == TP_OK && !read_parallel(r, &c, in, &h, col, &st)) {
        tp__csv_free(&c);
        tp__header_free(&h);
        return st;
    }
    while (st == TP_OK) {
        int more = tp__csv_next(&c);
        if (more == 0)
            break;
        if (more < 0) {
            st = tp__ingest_fail(in, TP_ENOMEM, c.line, 0, NULL, "out of memory");
            break;
        }
        if ((st = tp__ingest_row(in, c.rec_line, c.rec_offset)) == TP_OK)
            st = read_row(r, in, &c, &h, col);
    }
    tp__csv_free(&c);
    tp__header_free(&h);
    return st;
}

TP_API tp_status tp_paths_read_csv_buffer(tp_paths *p, const void *data, size_t len,
                                          const char *name, const char *separator,
                                          const tp_read_options *opts, tp_read_log *report)
{
    if (!p || (!data && len))
        return tp__error(TP_EINVAL, "tp_paths_read_csv_buffer: NULL argument");
    const char *sep = separator ? separator : " > ";
    if (!*sep || strlen(sep) > 16 || tp__utf8_check(sep, strlen(sep)) != (size_t)-1)
        return tp__error(TP_EINVAL, "path separator must be 1 to 16 bytes of UTF-8");
    tp__ingest in;
    tp_status st = tp__ingest_begin(&in, name, opts, report, len);
    if (st != TP_OK)
        return st;
    if (strchr(sep, in.opts.delimiter)) {
        tp__ingest_end(&in, TP_EINVAL, 0);
        return tp__error(TP_EINVAL, "path separator must not contain the CSV delimiter");
    }
    reader r = {p, sep, strlen(sep), {0}, {0}};
    tp__paths_mark m = tp__paths_mark_get(p);
    st = read_csv(&r, data ? data : "", len, &in);
    if (st != TP_OK)
        tp__paths_rollback(p, m);
    if (st != TP_OK && in.retry_serial) {
        tp__ingest_retry(&in);
        if ((st = read_csv(&r, data ? data : "", len, &in)) != TP_OK)
            tp__paths_rollback(p, m);
    }
    tp__vec_u32_free(&r.ids);
    tp__vec_size_free(&r.tok);
    tp__ingest_end(&in, st, len);
    return st;
}

typedef struct file_ctx {
    tp_paths *p;
    const char *separator;
} file_ctx;

static tp_status buffer_reader(void *store, const void *data, size_t len, const char *name,
                               const tp_read_options *opts, tp_read_log *report)
{
    const file_ctx *ctx = store;
    return tp_paths_read_csv_buffer(ctx->p, data, len, name, ctx->separator, opts, report);
}

TP_API tp_status tp_paths_read_csv(tp_paths *p, const char *path, const char *separator,
                                   const tp_read_options *opts, tp_read_log *report)
{
    if (!p)
        return tp__error(TP_EINVAL, "tp_paths_read_csv: paths is NULL");
    file_ctx ctx = {p, separator};
    return tp__read_file(&ctx, path, opts, report, buffer_reader);
}
