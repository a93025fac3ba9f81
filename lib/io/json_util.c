#include "io/json_util.h"

#include <errno.h>
#include <string.h>

size_t tp__json_find_nul_escape(const char *s, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++) {
        if (s[i] != '\\')
            continue;
        size_t run = 0;
        while (i + run < len && s[i + run] == '\\')
            run++;
        size_t u = i + run;
        if ((run & 1) && u + 5 <= len && s[u] == 'u' && memcmp(s + u + 1, "0000", 4) == 0)
            return i + run - 1;
        i += run - 1;
    }
    return (size_t)-1;
}

cJSON *tp__json_parse(const char *s, size_t len, size_t *err_offset)
{
    const char *end = NULL;
    /* cJSON answers NULL both for bad syntax and for a failed allocation; a
     * failed malloc() leaves errno at ENOMEM (POSIX), and nothing else in
     * cJSON's parser sets ENOMEM, so errno tells the two apart. */
    int saved = errno;
    errno = 0;
    cJSON *j = cJSON_ParseWithLengthOpts(s, len, &end, 0);
    int oom = !j && errno == ENOMEM;
    errno = saved;
    if (!j) {
        *err_offset = oom ? TP__JSON_OOM
                          : end && end >= s && end <= s + len ? (size_t)(end - s) : 0;
        return NULL;
    }
    const char *p = end, *stop = s + len;
    while (p < stop && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (p < stop) {
        cJSON_Delete(j);
        *err_offset = (size_t)(p - s);
        return NULL;
    }
    return j;
}

int tp__json_check_members(const cJSON *o, const char **dup)
{
    size_t n = 0;
    for (const cJSON *a = o->child; a; a = a->next)
        if (++n > TP__JSON_MAX_MEMBERS)
            return 2;
    /* Quadratic, but over at most TP__JSON_MAX_MEMBERS keys. */
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0) {
                *dup = a->string;
                return 1;
            }
    return 0;
}
