#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "core/error.h"

/* Blocks of TP__HUGE_BLOCK bytes or more (columns, a file's contents, large
 * string arenas) start on a 2 MiB boundary and are advised for transparent
 * huge pages where the system leaves that to the program ("madvise" in
 * /sys/kernel/mm/transparent_hugepage/enabled). A read writes every page of
 * such blocks once, and first touches are what it pays for: one fault per
 * 4 KiB page costs about 10 us on some virtual machines (more than half of a
 * 1M-row read), one per 2 MiB page costs 0.2 us per 4 KiB. Aligned, a block
 * is huge pages from its start; only its last, partial 2 MiB takes small
 * pages, so capacity that is never written is still never resident. Memory
 * from posix_memalign() is released by free(), as all other memory is. */
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
#define BIG_BLOCKS 1
enum { HUGE_PAGE = 2 << 20 };

static void advise_huge(void *p, size_t size)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    if (!page || (page & (page - 1)))
        return;
    uintptr_t a = (uintptr_t)p & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + size + page - 1) & ~(page - 1);
    (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice only: a refusal changes nothing */
}

static void *big_alloc(size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, size) != 0)
        return NULL;
    advise_huge(p, size);
    return p;
}
#endif

static void *default_malloc(size_t size, void *user)
{
    (void)user;
#ifdef BIG_BLOCKS
    if (size >= TP__HUGE_BLOCK)
        return big_alloc(size);
#endif
    return malloc(size);
}
static void *default_realloc(void *ptr, size_t size, void *user)
{
    (void)user;
#ifdef BIG_BLOCKS
    /* realloc() would not keep the alignment: a new block, the bytes copied
     * (cheap next to the faults the alignment saves; vectors grow by half). */
    if (size >= TP__HUGE_BLOCK) {
        size_t old = ptr ? malloc_usable_size(ptr) : 0;
        if (old >= size)
            return ptr;
        void *p = big_alloc(size);
        if (p && ptr) {
            memcpy(p, ptr, old);
            free(ptr);
        }
        return p;
    }
#endif
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
