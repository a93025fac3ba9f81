/* Internal allocation: every library allocation goes through these, so the
 * caller's hooks (tp_set_allocator) see all of it and tests can fail any one. */
#ifndef TP_CORE_ALLOC_H
#define TP_CORE_ALLOC_H

#include <stddef.h>

/* Under the default allocator, blocks of at least this many bytes are advised
 * for transparent huge pages (alloc.c). */
#define TP__HUGE_BLOCK ((size_t)2 << 20)

void *tp__malloc(size_t size);
void *tp__calloc(size_t count, size_t size);
void *tp__realloc(void *ptr, size_t size);
void tp__free(void *ptr);
char *tp__strndup(const char *s, size_t len);
char *tp__strdup(const char *s);

/* 1 while the library's own allocator is in use (no tp_set_allocator() hooks):
 * data built then may be kept for the life of the process. */
int tp__allocator_is_default(void);

/* a * b without overflow; returns 0 on overflow. */
static inline int tp__mul_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

#endif
