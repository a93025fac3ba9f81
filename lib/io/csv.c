#include "io/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/utf8.h"
#include "core/vec.h"

static const char *scan_scalar(const tp__csv *c, const char *p, const char *end)
{
    while (p < end && !c->stop[(unsigned char)*p])
        p++;
    return p;
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TP__HAVE_SSE2 1

/* Stop bytes among the 16 at p, one bit each. */
static inline unsigned stops16(const tp__csv *c, const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(c->delim)),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                  _mm_cmpeq_epi8(v, _mm_setzero_si128()))));
    return (unsigned)_mm_movemask_epi8(hit);
}

static void mask_sse2(const tp__csv *c, const char *p, uint64_t *delims, uint64_t *others)
{
    uint64_t d = 0, o = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i is_d = _mm_cmpeq_epi8(v, _mm_set1_epi8(c->delim));
        __m128i is_o = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                         _mm_cmpeq_epi8(v, _mm_setzero_si128())));
        d |= (uint64_t)(unsigned)_mm_movemask_epi8(is_d) << (16 * k);
        o |= (uint64_t)(unsigned)_mm_movemask_epi8(is_o) << (16 * k);
    }
    *delims = d;
    *others = o;
}

/* 16 bytes a step: equal to the delimiter, LF, CR, quote or NUL. */
static const char *scan_sse2(const tp__csv *c, const char *p, const char *end)
{
    for (; end - p >= 16; p += 16) {
        unsigned m = stops16(c, p);
        if (m)
            return p + __builtin_ctz(m);
    }
    return scan_scalar(c, p, end);
}

/* Compiled for AVX2, run only where the processor has it: the first 16 bytes
 * (most fields are shorter), then 32 a step, then 16 for the rest. */
__attribute__((target("avx2"))) static const char *scan_avx2(const tp__csv *c, const char *p,
                                                             const char *end)
{
    if (end - p >= 16) {
        unsigned m = stops16(c, p);
        if (m)
            return p + __builtin_ctz(m);
        p += 16;
    }
    const __m256i d = _mm256_set1_epi8(c->delim), lf = _mm256_set1_epi8('\n'),
                  cr = _mm256_set1_epi8('\r'), q = _mm256_set1_epi8('"'),
                  z = _mm256_setzero_si256();
    for (; end - p >= 32; p += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
        __m256i hit = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, d), _mm256_cmpeq_epi8(v, lf)),
            _mm256_or_si256(_mm256_cmpeq_epi8(v, cr),
                            _mm256_or_si256(_mm256_cmpeq_epi8(v, q), _mm256_cmpeq_epi8(v, z))));
        unsigned m = (unsigned)_mm256_movemask_epi8(hit);
        if (m)
            return p + __builtin_ctz(m);
    }
    return scan_sse2(c, p, end);
}
__attribute__((target("avx2"))) static void mask_avx2(const tp__csv *c, const char *p,
                                                      uint64_t *delims, uint64_t *others)
{
    uint64_t d = 0, o = 0;
    for (int k = 0; k < 2; k++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
        __m256i is_d = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c->delim));
        __m256i is_o = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')),
                            _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r'))),
            _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
                            _mm256_cmpeq_epi8(v, _mm256_setzero_si256())));
        d |= (uint64_t)(uint32_t)_mm256_movemask_epi8(is_d) << (32 * k);
        o |= (uint64_t)(uint32_t)_mm256_movemask_epi8(is_o) << (32 * k);
    }
    *delims = d;
    *others = o;
}
#endif

int tp__csv_scanner_available(tp__csv_scanner s)
{
    switch (s) {
    case TP__SCAN_BEST:
    case TP__SCAN_SCALAR:
        return 1;
#ifdef TP__HAVE_SSE2
    case TP__SCAN_SSE2:
        return 1;
    case TP__SCAN_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") != 0;
#endif
    default:
        return 0;
    }
}

void tp__csv_use_scanner(tp__csv *c, tp__csv_scanner s)
{
    if (s == TP__SCAN_BEST)
        s = tp__csv_scanner_available(TP__SCAN_AVX2)   ? TP__SCAN_AVX2
            : tp__csv_scanner_available(TP__SCAN_SSE2) ? TP__SCAN_SSE2
                                                       : TP__SCAN_SCALAR;
    c->scan = scan_scalar;
    c->mask = NULL;
#ifdef TP__HAVE_SSE2
    if (s == TP__SCAN_SSE2) {
        c->scan = scan_sse2;
        c->mask = mask_sse2;
    } else if (s == TP__SCAN_AVX2) {
        c->scan = scan_avx2;
        c->mask = mask_avx2;
    }
#endif
}

void tp__csv_init(tp__csv *c, const char *data, size_t len, char delim, size_t max_field)
{
    memset(c, 0, sizeof *c);
    c->base = c->p = data;
    c->end = c->limit = data + len;
    c->delim = delim;
    c->max_field = max_field;
    c->line = 1;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        c->p += 3;
    c->stop[(unsigned char)delim] = 1;
    c->stop['\n'] = c->stop['\r'] = c->stop['"'] = c->stop[0] = 1;
    tp__csv_use_scanner(c, TP__SCAN_BEST);
}

void tp__csv_range(tp__csv *c, const char *start, const char *limit, uint64_t line)
{
    c->p = start;
    c->limit = limit;
    c->line = line;
}

void tp__csv_free(tp__csv *c)
{
    tp__free(c->f);
    tp__free(c->scratch);
    c->f = NULL;
    c->scratch = NULL;
}

static void flag(tp__csv *c, tp_status st, size_t col, const char *fmt, ...) TP__PRINTF(4, 5);
static void flag(tp__csv *c, tp_status st, size_t col, const char *fmt, ...)
{
    if (c->err != TP_OK)
        return;
    c->err = st;
    c->err_col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err_reason, sizeof c->err_reason, fmt, ap);
    va_end(ap);
}

static int scratch_add(tp__csv *c, const char *s, size_t n)
{
    if (c->scap - c->slen < n && tp__grow((void **)&c->scratch, &c->scap, 1, c->slen + n))
        return -1;
    memcpy(c->scratch + c->slen, s, n);
    c->slen += n;
    return 0;
}

uint64_t tp__count_newlines(const char *from, const char *to)
{
    uint64_t n = 0;
#ifdef TP__HAVE_SSE2
    /* 16 bytes a step: a line feed's lane counts one up in a byte counter,
     * folded into n (psadbw) before any lane can pass 255. */
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (to - from >= 16) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && to - from >= 16; k++, from += 16)
            acc = _mm_sub_epi8(
                acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)from), lf));
        __m128i sums = _mm_sad_epu8(acc, zero);
        n += (uint64_t)(uint32_t)_mm_cvtsi128_si32(sums) + (uint64_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; from < to; from++)
        n += *from == '\n';
    return n;
}

static void count_lines(tp__csv *c, const char *from, const char *to)
{
    c->line += tp__count_newlines(from, to);
}

/* Read a quoted field starting at the opening quote. Returns -1 on out of memory. */
static int quoted(tp__csv *c, tp__csv_field *fd, size_t col)
{
    uint64_t open_line = c->line;
    const char *p = c->p + 1, *seg = p;
    int copying = 0;
    size_t total = 0;
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(c->end - p));
        const char *stop = q ? q : c->end;
        if (memchr(p, '\0', (size_t)(stop - p)))
            flag(c, TP_EPARSE, col, "NUL byte in field");
        count_lines(c, p, stop);
        total += (size_t)(stop - p);
        if (!q) {
            flag(c, TP_EPARSE, col,
                 "unterminated quoted field (opened on line %llu); the rest of the input is "
                 "part of it", (unsigned long long)open_line);
            fd->ptr = seg;
            fd->len = (size_t)(c->end - seg);
            c->p = c->end;
            return 0;
        }
        if (q + 1 < c->end && q[1] == '"') {
            /* A doubled quote: the field needs unescaping, so it moves to scratch. */
            if (!copying) {
                fd->off = c->slen;
                copying = 1;
            }
            if (total <= c->max_field && scratch_add(c, seg, (size_t)(q + 1 - seg)))
                return -1;
            total++;
            p = seg = q + 2;
            continue;
        }
        if (copying) {
            if (total <= c->max_field && scratch_add(c, seg, (size_t)(q - seg)))
                return -1;
            fd->in_scratch = 1;
            fd->len = c->slen - fd->off;
        } else {
            fd->ptr = seg;
            fd->len = (size_t)(q - seg);
        }
        p = q + 1;
        if (p < c->end && *p != c->delim && *p != '\n' && !(*p == '\r' && p + 1 < c->end && p[1] == '\n')) {
            flag(c, TP_EPARSE, col, "unexpected character after closing quote");
            while (p < c->end && *p != c->delim && *p != '\n' && *p != '\r')
                p++;
        }
        c->p = p;
        if (total > c->max_field)
            flag(c, TP_ELIMIT, col, "field longer than %zu bytes", c->max_field);
        return 0;
    }
}

static void unquoted(tp__csv *c, tp__csv_field *fd, size_t col)
{
    const char *s = c->p, *p = c->p, *end = c->end;
    for (;;) {
        p = c->scan(c, p, end);
        if (p >= end)
            break;
        char ch = *p;
        if (ch == c->delim || ch == '\n')
            break;
        if (ch == '\r') {
            if (p + 1 < end && p[1] == '\n')
                break;
            flag(c, TP_EPARSE, col, "carriage return without line feed inside a field");
        } else if (ch == '"') {
            flag(c, TP_EPARSE, col, "quote inside an unquoted field (quote the whole field and "
                                    "double the quote)");
        } else {
            flag(c, TP_EPARSE, col, "NUL byte in field");
        }
        p++;
    }
    fd->ptr = s;
    fd->len = (size_t)(p - s);
    c->p = p;
    if (fd->len > c->max_field)
        flag(c, TP_ELIMIT, col, "field longer than %zu bytes", c->max_field);
}

/* The record at c->p split from bit masks when its fields are unquoted and it
 * ends with a line feed within SHORT_WINDOWS * 64 bytes: 1 (fields set, c->p
 * past the line feed), 0 when it is not such a record (nothing changed but
 * c->f's room; the general reader takes it), -1 when out of memory. */
enum { SHORT_WINDOWS = 4 };

static int short_record(tp__csv *c)
{
    /* Room for the most fields such a record can have (one per byte, and one). */
    size_t most = SHORT_WINDOWS * 64 + 1;
    if (c->capf < most && tp__grow((void **)&c->f, &c->capf, sizeof *c->f, most))
        return -1;
    uint64_t delims[SHORT_WINDOWS], others = 0;
    size_t w = 0;
    for (; w < SHORT_WINDOWS && c->end - c->p >= (ptrdiff_t)(64 * (w + 1)); w++) {
        c->mask(c, c->p + 64 * w, &delims[w], &others);
        if (others)
            break;
    }
    if (!others)
        return 0;
    unsigned e = (unsigned)__builtin_ctzll(others);
    if (c->p[64 * w + e] != '\n')
        return 0;
    delims[w] = e == 0 ? 0 : delims[w] & (~0ULL >> (64 - e));
    const char *start = c->p;
    size_t i = 0;
    for (size_t k = 0; k <= w; k++) {
        const char *base = c->p + 64 * k;
        for (uint64_t m = delims[k];; m &= m - 1) {
            const char *at = m ? base + __builtin_ctzll(m) : k == w ? base + e : NULL;
            if (!at)
                break;
            tp__csv_field *fd = &c->f[i++];
            fd->ptr = start;
            fd->len = (size_t)(at - start);
            fd->off = 0;
            fd->in_scratch = fd->guarded = 0;
            if (fd->len > c->max_field)
                flag(c, TP_ELIMIT, i, "field longer than %zu bytes", c->max_field);
            start = at + 1;
            if (!m)
                break;
        }
    }
    c->nf = c->nfields = i;
    c->p += 64 * w + e + 1;
    c->line++;
    return 1;
}

int tp__csv_next(tp__csv *c)
{
    c->nf = 0;
    c->slen = 0;
    c->err = TP_OK;
    c->err_col = 0;
    c->err_reason[0] = '\0';
    while (c->p < c->end) {
        if (*c->p == '\n') {
            c->p++;
            c->line++;
        } else if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
            c->p += 2;
            c->line++;
        } else {
            break;
        }
    }
    if (c->p >= c->limit)
        return 0;
    c->rec_line = c->line;
    c->rec_offset = (uint64_t)(c->p - c->base);
    c->nfields = 0;
    int fast = c->mask ? short_record(c) : 0;
    if (fast < 0)
        return -1;
    for (; !fast;) {
        if (c->nf > TP__CSV_MAX_FIELDS) {
            /* Past the cap each field overwrites the last slot (and its scratch). */
            tp__csv_field *last = &c->f[--c->nf];
            if (last->in_scratch)
                c->slen = last->off;
        }
        if (c->nf == c->capf && tp__grow((void **)&c->f, &c->capf, sizeof *c->f, c->nf + 1))
            return -1;
        size_t col = ++c->nfields;
        tp__csv_field *fd = &c->f[c->nf++];
        memset(fd, 0, sizeof *fd);
        if (c->p < c->end && *c->p == '"') {
            if (quoted(c, fd, col))
                return -1;
        } else {
            unquoted(c, fd, col);
        }
        if (c->p >= c->end)
            break;
        if (*c->p == c->delim) {
            c->p++;
            continue;
        }
        if (*c->p == '\n') {
            c->p++;
            c->line++;
            break;
        }
        if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
            c->p += 2;
            c->line++;
            break;
        }
    }
    /* A record of ASCII bytes is valid UTF-8 in every field (unescaping only
     * drops quotes); only another one is checked field by field. */
    const char *rec = c->base + c->rec_offset;
    int ascii = tp__is_ascii(rec, (size_t)(c->p - rec));
    for (size_t i = 0; i < c->nf; i++) {
        tp__csv_field *fd = &c->f[i];
        if (fd->in_scratch)
            fd->ptr = fd->len ? c->scratch + fd->off : "";
        /* The spreadsheet formula guard of CSV exports: an apostrophe before
         * =, +, -, @, TAB, CR or another apostrophe is dropped. */
        if (fd->len >= 2 && fd->ptr[0] == '\'' && fd->ptr[1] &&
            strchr("=+-@\t\r'", fd->ptr[1])) {
            fd->ptr++;
            fd->len--;
            fd->guarded = 1;
        }
        if (c->err == TP_OK && !ascii) {
            size_t bad = tp__utf8_check(fd->ptr, fd->len);
            if (bad != (size_t)-1)
                flag(c, TP_EPARSE, i + 1, "invalid UTF-8 at byte %zu of the field", bad + 1);
        }
    }
    return 1;
}
