/* Exact sums of doubles.
 *
 * A sum is a 256-bit two's-complement fixed-point number with 128 fraction
 * bits. Adding a double is exact when |x| >= 2^-75 (its last bit then lies on
 * the grid); smaller magnitudes are rounded to the grid, to nearest, once per
 * value. So a sum depends only on the multiset of values added, never on their
 * order or grouping: partial sums merged in any tree equal the one-pass sum bit
 * for bit, which is what makes partial aggregates and threaded analyses
 * deterministic. The total is rounded once, when it is read.
 *
 * Values must be finite with |x| < 2^126; a sum that would leave the range
 * (+-2^127) is refused. Both are reported, never wrapped. */
#ifndef TP_CORE_XSUM_H
#define TP_CORE_XSUM_H

#include <stdint.h>

typedef struct tp__xsum {
    uint64_t w[4]; /* w[0] least significant; value = (signed)w / 2^128 */
} tp__xsum;

#define TP__XSUM_BYTES 32

/* Add x. Returns 0, or -1 (s unchanged) when x is not finite, |x| >= 2^126,
 * or the sum would overflow. */
int tp__xsum_add(tp__xsum *s, double x);

/* into += from. Returns 0, or -1 on overflow (into unchanged). */
int tp__xsum_merge(tp__xsum *into, const tp__xsum *from);

/* The sum rounded to the nearest double (ties to even). */
double tp__xsum_get(const tp__xsum *s);

/* The sum as an unevaluated pair hi + lo (hi = tp__xsum_get, lo the rounded
 * rest), about 106 significant bits. */
void tp__xsum_get2(const tp__xsum *s, double *hi, double *lo);

int tp__xsum_is_zero(const tp__xsum *s);
int tp__xsum_is_negative(const tp__xsum *s);

/* Little-endian bytes (TP__XSUM_BYTES), for serialized aggregates. */
void tp__xsum_store(const tp__xsum *s, unsigned char *out);
void tp__xsum_load(tp__xsum *s, const unsigned char *in);

#endif
