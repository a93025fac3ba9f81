#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

int tp__is_ascii(const char *s, size_t len)
{
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        uint64_t a, b;
        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        any |= a | b;
    }
    if (len - i >= 8) {
        uint64_t a;
        memcpy(&a, s + i, 8);
        any |= a;
        i += 8;
    }
    for (; i < len; i++)
        any |= (unsigned char)s[i];
    return !(any & 0x8080808080808080ULL);
}

size_t tp__utf8_check(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* Fast path: eight ASCII bytes at a time. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            cp = c & 0x1f;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            cp = c & 0x0f;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= need)
            return i;
        for (size_t k = 1; k <= need; k++) {
            unsigned char d = s[i + k];
            if ((d & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (d & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += need + 1;
    }
    return (size_t)-1;
}

const char *tp__ident_problem(const char *s, size_t len)
{
    if (!s || len == 0)
        return "empty identifier";
    if (len > TP__IDENT_MAX)
        return "identifier longer than 256 bytes";
    /* Eight bytes a step (the last step overlapping the one before): printable
     * ASCII throughout is fine; a byte below 0x20, 0x7f or above 0x7f sends
     * the identifier to the checks byte by byte. */
    if (len >= 8) {
        const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        uint64_t odd = 0;
        for (size_t i = 0;; i += 8) {
            if (i + 8 > len)
                i = len - 8;
            uint64_t w, x;
            memcpy(&w, s + i, 8);
            x = w ^ 0x7f * ones;
            odd |= ((w - 0x20 * ones) & ~w) | ((x - ones) & ~x) | w;
            if (i + 8 == len)
                break;
        }
        if (!(odd & highs))
            return NULL;
    }
    unsigned char any = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return "control character in identifier";
        any |= c;
    }
    if (any < 0x80) /* ASCII: valid UTF-8, and no C1 or bidirectional control */
        return NULL;
    if (tp__utf8_check(s, len) != (size_t)-1)
        return "invalid UTF-8 in identifier";
    /* C1 controls (a terminal acts on U+009B) and bidirectional controls (U+202E
     * reverses the text after it in a report) would reach every output raw. */
    for (size_t i = 0; i + 1 < len; i++) {
        const unsigned char *u = (const unsigned char *)s + i;
        if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
            return "control character in identifier";
        if (i + 2 < len && u[0] == 0xe2 &&
            ((u[1] == 0x80 && (u[2] == 0x8e || u[2] == 0x8f || (u[2] >= 0xaa && u[2] <= 0xae))) ||
             (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
            return "bidirectional control character in identifier";
    }
    return NULL;
}

void tp__trimmed(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}
