/* Versioned public structs (tp_read_options, tp_touchpoint_def): fields are only
 * ever appended, each under a new version number, and the library reads and
 * writes only the bytes of the fields the caller's version has, so a caller
 * built against an older header is never read or written past its struct.
 * Each struct has a size-of-version function beside its init; this is the
 * measure they use. */
#ifndef TP_CORE_VERSIONED_H
#define TP_CORE_VERSIONED_H

#include <stddef.h>

/* Where @p field of @p type ends: the size of the struct up to and including it. */
#define TP__END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

#endif
