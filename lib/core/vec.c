#include "core/vec.h"

int tp__grow(void **data, size_t *cap, size_t elem, size_t need)
{
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        size_t next = n + n / 2 + 8;
        if (next < n)
            return -1;
        n = next;
    }
    size_t bytes;
    if (!tp__mul_ok(n, elem, &bytes))
        return -1;
    void *p = tp__realloc(*data, bytes);
    if (!p)
        return -1;
    *data = p;
    *cap = n;
    return 0;
}
