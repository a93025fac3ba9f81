#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static void *default_malloc(size_t size, void *user)
{
    (void)user;
    return malloc(size);
}
static void *default_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
    return realloc(ptr, size);
}
static void default_free(void *ptr, void *user)
{
    (void)user;
    free(ptr);
}

/* Process-wide and set before use (documented in common.h): a plain global is
 * enough, and keeps every allocation one indirect call. */
static tp_malloc_fn hook_malloc = default_malloc;
static tp_realloc_fn hook_realloc = default_realloc;
static tp_free_fn hook_free = default_free;
static void *hook_user;

tp_status tp_set_allocator(tp_malloc_fn malloc_fn, tp_realloc_fn realloc_fn, tp_free_fn free_fn,
                           void *user)
{
    if (!malloc_fn && !realloc_fn && !free_fn) {
        hook_malloc = default_malloc;
        hook_realloc = default_realloc;
        hook_free = default_free;
        hook_user = NULL;
        return TP_OK;
    }
    if (!malloc_fn || !realloc_fn || !free_fn)
        return tp__error(TP_EINVAL, "tp_set_allocator: give all three functions or none");
    hook_malloc = malloc_fn;
    hook_realloc = realloc_fn;
    hook_free = free_fn;
    hook_user = user;
    return TP_OK;
}

int tp__allocator_is_default(void) { return hook_malloc == default_malloc; }

void *tp__malloc(size_t size) { return hook_malloc(size ? size : 1, hook_user); }

void *tp__calloc(size_t count, size_t size)
{
    size_t total;
    if (!tp__mul_ok(count, size, &total))
        return NULL;
    void *p = tp__malloc(total);
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *tp__realloc(void *ptr, size_t size) { return hook_realloc(ptr, size ? size : 1, hook_user); }

void tp__free(void *ptr)
{
    if (ptr)
        hook_free(ptr, hook_user);
}

void tp_free(void *ptr) { tp__free(ptr); }

char *tp__strndup(const char *s, size_t len)
{
    char *p = tp__malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *tp__strdup(const char *s) { return tp__strndup(s, strlen(s)); }
