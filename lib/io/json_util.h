/* Checks cJSON (1.7.15) leaves to its callers: invalid UTF-8, "\u0000" (which it
 * truncates at), duplicate keys (it keeps both) and trailing content. */
#ifndef TP_IO_JSON_UTIL_H
#define TP_IO_JSON_UTIL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "touchpoint/common.h"

/* Byte offset of a "\u0000" escape in s[0..len) (an odd run of backslashes
 * before 'u0000'), or (size_t)-1. */
size_t tp__json_find_nul_escape(const char *s, size_t len);

/* *err_offset after a parse that failed for want of memory. */
#define TP__JSON_OOM ((size_t)-1)

/* Parse s[0..len) as one JSON value followed only by white space. On failure
 * returns NULL and sets *err_offset to the byte where it went wrong, or to
 * TP__JSON_OOM when an allocation failed. */
cJSON *tp__json_parse(const char *s, size_t len, size_t *err_offset);

/* Most keys an object may have (so checking them stays cheap on hostile input). */
#define TP__JSON_MAX_MEMBERS 4096

/* Check an object's keys: 0 when fine, 1 when a key repeats (*dup names it),
 * 2 when it has more than TP__JSON_MAX_MEMBERS keys. */
int tp__json_check_members(const cJSON *o, const char **dup);

#endif
