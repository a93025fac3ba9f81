/* Little-endian integers in byte buffers, whatever the host's byte order
 * (serialized aggregates are portable between machines). */
#ifndef TP_CORE_LE_H
#define TP_CORE_LE_H

#include <stdint.h>

static inline void tp__le32_store(unsigned char *p, uint32_t x)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(x >> (8 * i));
}

static inline void tp__le64_store(unsigned char *p, uint64_t x)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(x >> (8 * i));
}

static inline uint32_t tp__le32_load(const unsigned char *p)
{
    uint32_t x = 0;
    for (int i = 3; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

static inline uint64_t tp__le64_load(const unsigned char *p)
{
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

#endif
