/* Exact sums of doubles on a 256-bit fixed-point grid (see xsum.h).
 *
 * Why not Kahan or pairwise summation: both still depend on the order of the
 * values, and partial aggregates merge in whatever order a scheduler picks. A
 * full superaccumulator (every exponent down to 2^-1074) would be exact for
 * every double but costs half a kilobyte per sum; the values we sum are scores
 * and money, for which a 2^-128 grid loses nothing that a double result could
 * show. */
#include "core/xsum.h"

#include <math.h>
#include <string.h>

#include "core/le.h"

#define NW 4
#define FRAC_BITS 128

static int top_bit(uint64_t x) /* x != 0 */
{
    return 63 - __builtin_clzll(x);
}

/* r = a + b; returns -1 on signed overflow (r untouched then). */
static int add256(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t t[NW], carry = 0;
    for (int i = 0; i < NW; i++) {
        uint64_t s = a[i] + carry;
        uint64_t c1 = s < carry;
        t[i] = s + b[i];
        carry = c1 | (t[i] < s);
    }
    uint64_t sa = a[NW - 1] >> 63, sb = b[NW - 1] >> 63, st = t[NW - 1] >> 63;
    if (sa == sb && st != sa)
        return -1;
    memcpy(r, t, sizeof t);
    return 0;
}

static void negate256(uint64_t *a)
{
    uint64_t carry = 1;
    for (int i = 0; i < NW; i++) {
        a[i] = ~a[i] + carry;
        carry = carry && a[i] == 0;
    }
}

/* s += x for finite |x| < 2^127. The double's bits are read directly (no
 * frexp/ldexp: this is the inner loop of every scorecard), and its 53-bit
 * significand is added to, or subtracted from, the limbs it covers. */
static int add_double(tp__xsum *s, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int neg = (int)(bits >> 63), ex = (int)(bits >> 52 & 0x7ff);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    if (ex == 0) { /* zero or subnormal */
        if (!m)
            return 0;
        ex = 1;
    } else {
        m |= UINT64_C(1) << 52;
    }
    int sh = ex - 1075 + FRAC_BITS; /* grid position of m's last bit */
    if (sh < 0) {                   /* below the grid: round to nearest, ties to even */
        int d = -sh;
        if (d > 54) {
            m = 0;
        } else {
            uint64_t q = m >> d, r = m & ((UINT64_C(1) << d) - 1), half = UINT64_C(1) << (d - 1);
            m = q + (r > half || (r == half && (q & 1)));
        }
        sh = 0;
        if (m == 0)
            return 0;
    }
    int limb = sh / 64, off = sh % 64;
    uint64_t part[NW + 1] = {0, 0, 0, 0, 0};
    part[limb] = m << off;
    part[limb + 1] = off ? m >> (64 - off) : 0; /* 0 past the top: |x| < 2^127 */
    uint64_t t[NW], carry = 0;
    memcpy(t, s->w, sizeof t);
    for (int i = limb; i < NW; i++) {
        uint64_t a = t[i], b = part[i];
        if (!neg) {
            uint64_t v = a + b, c = v < b;
            t[i] = v + carry;
            carry = c | (t[i] < v);
        } else {
            uint64_t v = a - b, c = a < b;
            t[i] = v - carry;
            carry = c | (v < carry);
        }
    }
    uint64_t before = s->w[NW - 1] >> 63, after = t[NW - 1] >> 63;
    if (before == (uint64_t)neg && after != before)
        return -1; /* the sum left the range */
    memcpy(s->w, t, sizeof t);
    return 0;
}

int tp__xsum_add(tp__xsum *s, double x)
{
    /* A whole number below 2^63 (counts, most scores) lies on the integer
     * limbs alone: two limbs and a carry instead of the general shift. */
    if (x >= 0.0 && x < 0x1p63) {
        uint64_t k = (uint64_t)x;
        if ((double)k == x) {
            uint64_t lo = s->w[2] + k, hi = s->w[3] + (lo < k);
            if ((s->w[3] >> 63) == 0 && (hi >> 63) != 0)
                return -1; /* the sum left the range */
            s->w[2] = lo;
            s->w[3] = hi;
            return 0;
        }
    }
    if (!isfinite(x) || fabs(x) >= 0x1p126)
        return -1;
    return add_double(s, x);
}

int tp__xsum_merge(tp__xsum *into, const tp__xsum *from)
{
    return add256(into->w, into->w, from->w);
}

int tp__xsum_is_zero(const tp__xsum *s)
{
    return !(s->w[0] | s->w[1] | s->w[2] | s->w[3]);
}

int tp__xsum_is_negative(const tp__xsum *s)
{
    return (int)(s->w[NW - 1] >> 63);
}

double tp__xsum_get(const tp__xsum *s)
{
    uint64_t a[NW];
    memcpy(a, s->w, sizeof a);
    int neg = tp__xsum_is_negative(s);
    if (neg)
        negate256(a); /* -2^255 stays 2^255 read unsigned, which is its magnitude */
    int i = NW - 1;
    while (i >= 0 && !a[i])
        i--;
    if (i < 0)
        return 0.0;
    int b = 64 * i + top_bit(a[i]); /* index of the leading bit */
    uint64_t m;
    int sticky = 0;
    if (b < 64) {
        m = a[0] << (63 - b);
    } else {
        int lo = b - 63, limb = lo / 64, off = lo % 64;
        m = a[limb] >> off;
        if (off)
            m |= a[limb + 1] << (64 - off);
        sticky = off && (a[limb] & ((UINT64_C(1) << off) - 1));
        for (int k = 0; k < limb && !sticky; k++)
            sticky = a[k] != 0;
    }
    /* 64 bits, leading one on top: the conversion rounds away 11 bits, so a
     * sticky one in the last place settles ties correctly. */
    double r = ldexp((double)(m | (uint64_t)sticky), b - 63 - FRAC_BITS);
    return neg ? -r : r;
}

void tp__xsum_get2(const tp__xsum *s, double *hi, double *lo)
{
    *hi = tp__xsum_get(s);
    tp__xsum rest = *s;
    /* hi is on the grid (|hi| >= 2^-75, or hi equals the sum exactly), so this
     * subtraction is exact and cannot overflow. */
    if (add_double(&rest, -*hi) != 0) {
        *lo = 0.0;
        return;
    }
    *lo = tp__xsum_get(&rest);
}

void tp__xsum_store(const tp__xsum *s, unsigned char *out)
{
    for (int i = 0; i < NW; i++)
        tp__le64_store(out + 8 * i, s->w[i]);
}

void tp__xsum_load(tp__xsum *s, const unsigned char *in)
{
    for (int i = 0; i < NW; i++)
        s->w[i] = tp__le64_load(in + 8 * i);
}
