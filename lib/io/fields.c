#include "io/fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/par.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "model/attrs.h"
#include "model/catalog_internal.h"
#include "touchpoint/registry.h"
#include "touchpoint/time.h"

const char *const tp__event_roles[TP__EVENT_ROLES] = {"customer_id", "timestamp", "touchpoint",
                                                      "type",        "value",     "channel"};
const char *const tp__feedback_roles[TP__FEEDBACK_ROLES] = {
    "customer_id", "timestamp", "touchpoint", "metric", "score", "comment", "weight"};

TP_API const char *tp_read_column(unsigned int input, size_t index, int *required)
{
    int events = input == TP_INPUT_EVENTS, feedback = input == TP_INPUT_FEEDBACK;
    size_t n = events ? TP__EVENT_ROLES : feedback ? TP__FEEDBACK_ROLES : 0;
    if (required)
        *required = index < n && index < (events ? TP__EVENT_REQUIRED : TP__FEEDBACK_REQUIRED);
    if (index >= n)
        return NULL;
    return events ? tp__event_roles[index] : tp__feedback_roles[index];
}

/* Whether @p role is a column of either CSV reader. */
static int any_role(const char *role, size_t len)
{
    for (size_t j = 0; j < TP__FEEDBACK_ROLES; j++)
        if ((j < TP__EVENT_ROLES && strlen(tp__event_roles[j]) == len &&
             strncasecmp(tp__event_roles[j], role, len) == 0) ||
            (strlen(tp__feedback_roles[j]) == len &&
             strncasecmp(tp__feedback_roles[j], role, len) == 0))
            return 1;
    return 0;
}

tp_status tp__check_ident_field(const char *s, size_t len, const char *what, char *why)
{
    const char *problem = tp__ident_problem(s, len);
    if (!problem)
        return TP_OK;
    if (len == 0) {
        snprintf(why, TP__WHY_CAP, "%s is empty", what);
    } else {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(s, len, ex, sizeof ex);
        snprintf(why, TP__WHY_CAP, "%s \"%s\": %s", what, ex, problem);
    }
    return TP_EVALIDATE;
}

tp_status tp__check_time_field(const char *s, size_t len, tp_epoch_unit unit,
                               tp__day_cache *day, int64_t *out, char *why)
{
    tp_status st = tp__time_parse_cached(day, s, len, unit, out);
    if (st == TP_OK)
        return TP_OK;
    char ex[TP__EXCERPT_CAP];
    tp__excerpt(s, len, ex, sizeof ex);
    if (len == 0)
        snprintf(why, TP__WHY_CAP, "timestamp is empty");
    else if (st == TP_EVALIDATE)
        snprintf(why, TP__WHY_CAP, "timestamp \"%s\" is out of range", ex);
    else
        snprintf(why, TP__WHY_CAP,
                 "cannot parse timestamp \"%s\" (expected ISO 8601 or epoch seconds/ms)", ex);
    return st;
}

tp_status tp__check_number_field(const char *s, size_t len, double *out, char *why)
{
    tp_status st = tp__parse_double(s, len, out);
    if (st == TP_OK && fabs(*out) <= TP_MAX_AMOUNT)
        return TP_OK;
    char ex[TP__EXCERPT_CAP];
    tp__excerpt(s, len, ex, sizeof ex);
    if (st == TP_OK) {
        snprintf(why, TP__WHY_CAP, "\"%s\" is beyond the accepted range (|x| <= 1e15)", ex);
        return TP_EVALIDATE;
    }
    if (st == TP_EVALIDATE)
        snprintf(why, TP__WHY_CAP, "\"%s\" is not a finite number", ex);
    else
        snprintf(why, TP__WHY_CAP, "\"%s\" is not a number", ex);
    return st;
}

tp_status tp__check_type_field(const char *s, size_t len, uint8_t *out, char *why)
{
    static const char *const names[] = {"interaction", "conversion", "exit"};
    const char *t = s;
    size_t n = len;
    tp__trimmed(&t, &n);
    if (n == 0) {
        *out = 0;
        return TP_OK;
    }
    for (uint8_t i = 0; i < 3; i++)
        if (strlen(names[i]) == n && strncasecmp(t, names[i], n) == 0) {
            *out = i;
            return TP_OK;
        }
    char ex[TP__EXCERPT_CAP];
    tp__excerpt(s, len, ex, sizeof ex);
    snprintf(why, TP__WHY_CAP,
             "unknown event type \"%s\" (expected interaction, conversion or exit)", ex);
    return TP_EVALIDATE;
}

void tp__header_free(tp__header *h)
{
    for (size_t i = 0; h->names && i < h->ncols; i++)
        tp__free(h->names[i]);
    tp__free(h->names);
    tp__free(h->role_of_col);
    memset(h, 0, sizeof *h);
}

/* The header names of the roles: each role's own name, or the one that
 * tp_read_options.columns gives it ("customer_id=user_pseudo_id,..."). */
tp_status tp__mapped_names(tp__ingest *in, const char *const *names, size_t nroles,
                          const char **want, size_t *want_len)
{
    for (size_t k = 0; k < nroles; k++) {
        want[k] = names[k];
        want_len[k] = strlen(names[k]);
    }
    for (const char *p = in->opts.columns; p && *p;) {
        const char *end = strchr(p, ','), *eq;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        eq = memchr(p, '=', len);
        const char *role = p, *name = eq ? eq + 1 : NULL;
        size_t role_len = eq ? (size_t)(eq - p) : len, name_len = eq ? len - role_len - 1 : 0;
        tp__trimmed(&role, &role_len);
        if (name)
            tp__trimmed(&name, &name_len);
        size_t k = 0;
        while (k < nroles && !(strlen(names[k]) == role_len &&
                               strncasecmp(names[k], role, role_len) == 0))
            k++;
        /* one mapping serves the events and the feedback readers: a column of
         * the other kind of file is not this reader's to map */
        if (eq && name_len && k == nroles && any_role(role, role_len)) {
            p = end ? end + 1 : p + len;
            continue;
        }
        if (!eq || !role_len || !name_len || k == nroles) {
            char list[256] = "";
            size_t at = 0;
            for (size_t j = 0; j < nroles && at + 1 < sizeof list; j++)
                at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", j ? ", " : "",
                                       names[j]);
            return tp__ingest_fail(in, TP_EINVAL, 0, 0, NULL,
                                   "columns: '%.*s' is not COLUMN=NAME with a column of events "
                                   "or feedback (this file's: %s)",
                                   (int)(len > 80 ? 80 : len), p, list);
        }
        want[k] = name;
        want_len[k] = name_len;
        p = end ? end + 1 : p + len;
    }
    return TP_OK;
}

tp_status tp__csv_header(tp__csv *c, tp__ingest *in, const char *const *names, size_t nroles,
                         unsigned required, tp__header *h, int *col_of_role)
{
    memset(h, 0, sizeof *h);
    const char *want[16];
    size_t want_len[16];
    tp_status st = nroles <= 16 ? tp__mapped_names(in, names, nroles, want, want_len)
                                : tp__error(TP_EINVAL, "too many roles");
    if (st != TP_OK)
        return st;
    int r = tp__csv_next(c);
    if (r < 0)
        return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
    if (r == 0)
        return tp__ingest_fail(in, TP_EPARSE, 1, 0, NULL,
                               "empty input: a header row is required");
    if (c->err != TP_OK)
        return tp__ingest_fail(in, c->err, c->rec_line, c->err_col, NULL, "header: %s",
                               c->err_reason);
    /* Also keeps the duplicate-name check below cheap on hostile input. */
    if (c->nfields > TP__MAX_COLUMNS)
        return tp__ingest_fail(in, TP_ELIMIT, c->rec_line, TP__MAX_COLUMNS + 1, NULL,
                               "header: %zu columns, more than the %d allowed", c->nfields,
                               TP__MAX_COLUMNS);
    h->role_of_col = tp__calloc(c->nf, sizeof *h->role_of_col);
    h->names = tp__calloc(c->nf, sizeof *h->names);
    if (!h->role_of_col || !h->names) {
        tp__header_free(h);
        return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
    }
    h->ncols = c->nf;
    for (size_t k = 0; k < nroles; k++)
        col_of_role[k] = -1;
    for (size_t i = 0; i < c->nf; i++) {
        const char *s = c->f[i].ptr;
        size_t len = c->f[i].len;
        tp__trimmed(&s, &len);
        char why[TP__WHY_CAP];
        if (tp__check_ident_field(s, len, "column name", why) != TP_OK) {
            tp__header_free(h);
            return tp__ingest_fail(in, TP_EPARSE, c->rec_line, i + 1, NULL, "header: %s", why);
        }
        if (!(h->names[i] = tp__strndup(s, len))) {
            tp__header_free(h);
            return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory reading header");
        }
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(h->names[i], h->names[j]) == 0) {
                tp__header_free(h);
                return tp__ingest_fail(in, TP_EPARSE, c->rec_line, i + 1, NULL,
                                       "header: duplicate column \"%.*s\"", (int)len, s);
            }
        h->role_of_col[i] = -1;
        for (size_t k = 0; k < nroles; k++)
            if (len == want_len[k] && strncasecmp(h->names[i], want[k], len) == 0) {
                h->role_of_col[i] = (int)k;
                col_of_role[k] = (int)i;
            }
    }
    for (size_t k = 0; k < nroles; k++)
        if ((required >> k & 1u) && col_of_role[k] < 0) {
            tp__header_free(h);
            if (want[k] != names[k])
                return tp__ingest_fail(in, TP_EPARSE, c->rec_line, 0, NULL,
                                       "header: missing required column \"%.*s\" (the "
                                       "file's name for %s)",
                                       (int)want_len[k], want[k], names[k]);
            return tp__ingest_fail(in, TP_EPARSE, c->rec_line, 0, NULL,
                                   "header: missing required column \"%s\"", names[k]);
        }
    return TP_OK;
}

/* Attribute columns of the header: created in the store (rolled back on failure). */
static tp_status map_attributes(tp__attrs *attrs, size_t nrows, const tp__header *h,
                                tp__ingest *in, int **attr_of_col, uint32_t **vals, size_t *nattr)
{
    *attr_of_col = tp__malloc(h->ncols * sizeof **attr_of_col);
    if (!*attr_of_col)
        return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
    for (size_t i = 0; i < h->ncols; i++) {
        size_t col;
        (*attr_of_col)[i] = -1;
        if (h->role_of_col[i] >= 0)
            continue;
        if (tp__attrs_column(attrs, h->names[i], strlen(h->names[i]), nrows, &col))
            return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
        (*attr_of_col)[i] = (int)col;
    }
    *nattr = tp__attrs_count(attrs);
    *vals = tp__calloc(*nattr + 1, sizeof **vals);
    if (!*vals)
        return tp__ingest_fail(in, TP_ENOMEM, 1, 0, NULL, "out of memory");
    return TP_OK;
}

/* A piece of the input read on a thread: records starting in [start, limit). */
typedef struct piece {
    tp__csv_span span;
    void *store;            /* the caller's store for piece 0, a worker store after it */
    size_t rows0;           /* rows the store held before */
    tp__pending pending;
    tp__ingest in;
    int *attr_of_col;
    uint32_t *vals;
    size_t nattr;
    uint32_t *map;          /* pending index -> catalog index, when joining */
} piece;

typedef struct par_read {
    const tp__csv_store *ops;
    const char *data;
    size_t len;
    const tp__ingest *in;
    const tp__header *h;
    const int *col_of_role;
    piece *pieces;
    tp__ingest_par par; /* stopping the pieces: see tp__ingest_tick() */
} par_read;

/* About how many records [p, end) holds, from the line length of its first
 * 64 KiB (a little over, so the columns can be sized once; capacity that is
 * never written is never resident). */
static size_t estimate_rows(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    size_t len = (size_t)(end - p), sample = len < 65536 ? len : 65536;
    uint64_t lines = tp__count_newlines(p, p + sample);
    double est = (double)len / (double)(sample ? sample : 1) * (double)lines * 1.02 + 16;
    return est > (double)(UINT32_MAX - 2) ? UINT32_MAX - 2 : (size_t)est;
}

/* Smallest piece worth a thread. */
#define MIN_PIECE ((size_t)1 << 20)

static tp_status count_span_lines(void *ctx, size_t k)
{
    tp__csv_span *s = &((tp__csv_span *)ctx)[k];
    s->line = tp__count_newlines(s->start, s->limit); /* becomes the start line below */
    return TP_OK;
}

tp_status tp__csv_span_read(tp__csv_span *s, const char *data, size_t len, tp__ingest *in,
                            tp__csv_span_row_fn row, void *ctx)
{
    tp__csv c;
    tp__csv_init(&c, data, len, in->opts.delimiter, in->opts.max_field_bytes);
    tp__csv_range(&c, s->start, s->limit, s->line);
    tp_status st = TP_OK;
    int r;
    s->first = NULL;
    while (st == TP_OK && (r = tp__csv_next(&c)) != 0) {
        if (r < 0) {
            st = tp__error(TP_ENOMEM, "out of memory");
            break;
        }
        if (!s->first)
            s->first = c.base + c.rec_offset;
        if ((st = tp__ingest_row(in, c.rec_line, c.rec_offset)) != TP_OK)
            break;
        st = row(ctx, in, &c);
    }
    if (!s->first)
        s->first = c.p;
    s->next = c.p;
    s->next_line = c.line;
    tp__csv_free(&c);
    return st;
}

typedef struct piece_ctx {
    par_read *pr;
    piece *p;
} piece_ctx;

static tp_status piece_row(void *ctx, tp__ingest *in, const tp__csv *c)
{
    piece_ctx *x = ctx;
    memset(x->p->vals, 0, x->p->nattr * sizeof *x->p->vals);
    return x->pr->ops->row(x->p->store, in, c, x->pr->col_of_role, x->p->attr_of_col,
                           x->p->vals, x->p->nattr, x->pr->h);
}

static tp_status read_piece(void *ctx, size_t k)
{
    par_read *pr = ctx;
    piece *p = &pr->pieces[k];
    piece_ctx x = {pr, p};
    tp_status st = tp__csv_span_read(&p->span, pr->data, pr->len, &p->in, piece_row, &x);
    if (st == TP_OK && pr->ops->flush(p->store))
        st = tp__error(TP_ENOMEM, "out of memory");
    return st;
}

/* Whether a record that reads cleanly with `ncols` fields starts at `at`: a
 * line start inside a quoted field rarely does. */
static int record_starts(const tp__csv *whole, const char *at, size_t ncols)
{
    enum { WINDOW = 65536 }; /* a record longer than this is no good place to cut */
    size_t room = (size_t)(whole->end - at);
    tp__csv c;
    tp__csv_init(&c, at, room < WINDOW ? room : WINDOW, whole->delim, whole->max_field);
    int ok = tp__csv_next(&c) == 1 && c.err == TP_OK && c.nfields == ncols &&
             (c.p < c.end || room <= WINDOW);
    tp__csv_free(&c);
    return ok;
}

/* Where the spans start: at or after each even share of the body, the first
 * line start where a clean record begins (of the next 64 line starts; else the
 * first). A wrong guess costs time, not correctness: the reader compares each
 * span's first record with where the one before stopped. */
size_t tp__csv_spans(tp__csv_span *spans, size_t n, const tp__csv *c, size_t ncols,
                     int threads)
{
    const char *body = c->p, *end = c->end;
    size_t size = (size_t)(end - body), k = 1;
    memset(spans, 0, n * sizeof *spans);
    spans[0].start = body;
    for (size_t i = 1; i < n; i++) {
        const char *at = body + size / n * i, *cut = NULL;
        if (at <= spans[k - 1].start)
            continue;
        for (int tries = 0; tries < 64 && at < end; tries++) {
            const char *nl = memchr(at, '\n', (size_t)(end - at));
            if (!nl || nl + 1 >= end)
                break;
            if (!cut)
                cut = nl + 1;
            if (record_starts(c, nl + 1, ncols)) {
                cut = nl + 1;
                break;
            }
            at = nl + 1;
        }
        if (!cut)
            break;
        spans[k++].start = cut;
    }
    for (size_t i = 0; i < k; i++)
        spans[i].limit = i + 1 < k ? spans[i + 1].start : end;
    (void)tp__parallel_for(k, threads, count_span_lines, spans);
    uint64_t line = c->line;
    for (size_t i = 0; i < k; i++) {
        uint64_t lines = spans[i].line;
        spans[i].line = line;
        line += lines;
    }
    return k;
}

/* Free what piece k holds, keeping where it is. */
static void clear_piece(par_read *pr, size_t k)
{
    piece *p = &pr->pieces[k];
    if (k > 0) {
        pr->ops->worker_free(p->store);
        tp__free(p->attr_of_col);
        tp__free(p->vals);
    }
    tp_read_log_free(p->in.report);
    tp__pending_free(&p->pending);
    tp__free(p->map);
    p->store = NULL;
    p->attr_of_col = NULL;
    p->vals = NULL;
    p->in.report = NULL;
    p->map = NULL;
}

static void free_pieces(par_read *pr, size_t n, void *store)
{
    for (size_t k = 0; k < n; k++)
        clear_piece(pr, k);
    pr->ops->set_pending(store, NULL);
    tp__free(pr->pieces);
}

static tp_status setup_piece(par_read *pr, size_t k, void *store, const tp__ingest *in,
                             int *attr_of_col, uint32_t *vals, size_t nattr)
{
    piece *p = &pr->pieces[k];
    if (tp__ingest_piece(&p->in, in, &pr->par, (uint64_t)(p->span.start - pr->data)) != TP_OK ||
        tp__pending_init(&p->pending,
                         (uint32_t)tp_catalog_touchpoint_count(pr->ops->catalog(store))))
        return TP_ENOMEM;
    if (k == 0) {
        p->store = store;
        p->rows0 = pr->ops->rows(store);
        p->attr_of_col = attr_of_col;
        p->vals = vals;
        p->nattr = nattr;
        pr->ops->set_pending(store, &p->pending);
        return TP_OK;
    }
    tp_status st = pr->ops->worker_new(store, &p->pending, &p->store);
    if (st == TP_OK)
        st = map_attributes(pr->ops->attrs(p->store), 0, pr->h, &p->in, &p->attr_of_col,
                            &p->vals, &p->nattr);
    if (st == TP_OK && pr->ops->reserve(p->store, estimate_rows(p->span.start, p->span.limit)))
        st = tp__error(TP_ENOMEM, "out of memory");
    return st;
}

/* Add piece k to the store: its touchpoints registered, its rows, counts and issues. */
static tp_status join_piece(par_read *pr, size_t k, void *store, tp__ingest *in)
{
    piece *p = &pr->pieces[k];
    size_t np = tp__intern_count(&p->pending.ids);
    tp_status st = TP_OK;
    if (!(p->map = tp__malloc((np ? np : 1) * sizeof *p->map)))
        return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
    if ((st = tp__pending_commit(pr->ops->catalog(store), &p->pending, p->map)) != TP_OK)
        return tp__ingest_fail(in, st, 0, 0, NULL, "cannot register touchpoint");
    if (k == 0) {
        pr->ops->map_pending(store, p->rows0, p->pending.base, p->map);
    } else {
        size_t *cols = tp__malloc((p->nattr + 1) * sizeof *cols);
        if (!cols)
            return tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
        for (size_t i = 0; i < pr->h->ncols; i++)
            if (p->attr_of_col[i] >= 0)
                cols[p->attr_of_col[i]] = (size_t)pr->pieces[0].attr_of_col[i];
        st = pr->ops->absorb(store, p->store, p->pending.base, p->map, cols);
        tp__free(cols);
        if (st != TP_OK)
            return st;
    }
    tp__ingest_absorb_piece(in, &p->in, (uint64_t)(p->span.limit - pr->data));
    return TP_OK;
}

static void poll_pieces(void *par) { (void)tp__ingest_par_poll(par); }

/* The body of the input (from c->p) read in pieces on threads. Returns 1 when it
 * was not worth it (nothing done), else 0 with *st the outcome. */
static int read_parallel(void *store, const tp__csv_store *ops, tp__csv *c, tp__ingest *in,
                         const tp__header *h, const int *col_of_role, int *attr_of_col,
                         uint32_t *vals, size_t nattr, tp_status *st)
{
    unsigned threads = in->opts.threads ? in->opts.threads : (unsigned)tp__cpu_count();
    size_t body = (size_t)(c->end - c->p), n = body / MIN_PIECE;
    if (threads <= 1 || n < 2 || !ops->worker_new)
        return 1;
    if (n > threads)
        n = threads;
    par_read pr = {ops, c->base, (size_t)(c->end - c->base), in, h, col_of_role, NULL,
                   {in, pthread_self(), 0, 0, 0}};
    if (!(pr.pieces = tp__calloc(n, sizeof *pr.pieces))) {
        *st = tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
        return 0;
    }
    tp__csv_span *spans = tp__calloc(n, sizeof *spans);
    if (!spans) {
        tp__free(pr.pieces);
        *st = tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
        return 0;
    }
    n = tp__csv_spans(spans, n, c, h->ncols, (int)threads);
    for (size_t k = 0; k < n; k++)
        pr.pieces[k].span = spans[k];
    tp__free(spans);
    *st = TP_OK;
    size_t ready = 0;
    while (*st == TP_OK && ready < n) {
        *st = setup_piece(&pr, ready, store, in, attr_of_col, vals, nattr);
        ready++;
    }
    if (*st == TP_OK)
        *st = tp__parallel_for_polled(n, (int)threads, read_piece, &pr, poll_pieces, &pr.par);
    ops->set_pending(store, NULL);
    /* A piece whose first record is not where the one before it stopped was cut
     * inside a quoted field: read it again, on this thread, from that point. */
    for (size_t k = 1; *st == TP_OK && k < n; k++) {
        piece *p = &pr.pieces[k], *prev = &pr.pieces[k - 1];
        if (p->span.first == prev->span.next)
            continue;
        clear_piece(&pr, k);
        p->span.start = prev->span.next;
        p->span.line = prev->span.next_line;
        if ((*st = setup_piece(&pr, k, store, in, attr_of_col, vals, nattr)) == TP_OK)
            *st = read_piece(&pr, k);
    }
    if (*st != TP_OK) {
        in->retry_serial = *st != TP_ECANCELED; /* a stop is no reason to read again */
        free_pieces(&pr, ready, store);
        return 0;
    }
    for (size_t k = 0; *st == TP_OK && k < n; k++)
        *st = join_piece(&pr, k, store, in);
    free_pieces(&pr, n, store);
    return 0;
}

tp_status tp__csv_read(void *store, const tp__csv_store *ops, const char *data, size_t len,
                       tp__ingest *in, const char *const *roles, size_t nroles,
                       unsigned required)
{
    enum { MAX_ROLES = 16 };
    tp__csv c;
    tp__csv_init(&c, data, len, in->opts.delimiter, in->opts.max_field_bytes);
    int col_of_role[MAX_ROLES];
    int *attr_of_col = NULL;
    uint32_t *vals = NULL;
    size_t nattr = 0;
    tp__header h;
    tp_status st = tp__csv_header(&c, in, roles, nroles < MAX_ROLES ? nroles : MAX_ROLES, required,
                                  &h, col_of_role);
    if (st != TP_OK) {
        tp__csv_free(&c);
        return st;
    }
    st = map_attributes(ops->attrs(store), ops->rows(store), &h, in, &attr_of_col, &vals, &nattr);
    if (st == TP_OK && ops->reserve(store, estimate_rows(c.p, c.end)))
        st = tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
    if (st != TP_OK ||
        read_parallel(store, ops, &c, in, &h, col_of_role, attr_of_col, vals, nattr, &st)) {
        while (st == TP_OK) {
            int r = tp__csv_next(&c);
            if (r == 0)
                break;
            if (r < 0) {
                st = tp__ingest_fail(in, TP_ENOMEM, c.line, 0, NULL, "out of memory");
                break;
            }
            if ((st = tp__ingest_row(in, c.rec_line, c.rec_offset)) != TP_OK)
                break;
            memset(vals, 0, nattr * sizeof *vals);
            st = ops->row(store, in, &c, col_of_role, attr_of_col, vals, nattr, &h);
        }
        if (st == TP_OK && ops->flush(store))
            st = tp__ingest_fail(in, TP_ENOMEM, c.line, 0, NULL, "out of memory");
    }
    tp__csv_free(&c);
    tp__header_free(&h);
    tp__free(attr_of_col);
    tp__free(vals);
    return st;
}

int tp__csv_row_common(tp__ingest *in, const tp__csv *c, const tp__header *h,
                       const int *col_of_role, int64_t *time, tp_status *st)
{
    char why[TP__WHY_CAP];
    size_t ncols = h->ncols;
    if (c->err != TP_OK) {
        const char *field = c->err_col && c->err_col <= ncols ? h->names[c->err_col - 1] : NULL;
        *st = tp__ingest_bad_row(in, c->err, c->err_col, field, "%s", c->err_reason);
        return 0;
    }
    if (c->nfields != ncols) {
        *st = tp__ingest_bad_row(in, TP_EPARSE, (c->nfields < ncols ? c->nfields : ncols) + 1,
                                 NULL, "expected %zu fields, found %zu", ncols, c->nfields);
        return 0;
    }
    /* Roles 0, 1, 2 are customer_id, timestamp, touchpoint in every reader. */
    static const char *const what[3] = {"customer id", NULL, "touchpoint id"};
    for (int role = 0; role < 3; role++) {
        int col = col_of_role[role];
        const tp__csv_field *f = &c->f[col];
        tp_status bad = role == 1
                            ? tp__check_time_field(f->ptr, f->len, in->opts.epoch_unit, &in->day,
                                                   time, why)
                            : tp__check_ident_field(f->ptr, f->len, what[role], why);
        if (bad != TP_OK) {
            *st = tp__ingest_bad_row(in, bad, (uint64_t)col + 1, h->names[col], "%s", why);
            return 0;
        }
    }
    *st = TP_OK;
    return 1;
}

int tp__csv_queue_customer(tp__intern_queue *q, tp__intern *pool, uint32_t *column,
                           const tp__csv_field *f, size_t row)
{
    if (!f->in_scratch)
        return tp__intern_queue_add(q, pool, column, f->ptr, f->len, row);
    return tp__intern_queue_flush(q, pool, column) ||
           tp__intern_put(pool, f->ptr, f->len, &column[row]);
}

void tp__csv_touchpoint_id(const tp_catalog *c, const tp__csv_field *f, const char **id,
                           size_t *len)
{
    uint32_t at;
    *id = f->ptr;
    *len = f->len;
    if (f->guarded && !tp__intern_find(&c->ids, f->ptr, f->len, &at) &&
        tp__intern_find(&c->ids, f->ptr - 1, f->len + 1, &at)) {
        *id = f->ptr - 1;
        *len = f->len + 1;
    }
}
