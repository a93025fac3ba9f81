/**
 * @file touchpoint/common.h
 * @brief Status codes, error reporting, version query and allocator hooks.
 *
 * Conventions used by every libtouchpoint header:
 * - Every fallible call returns a ::tp_status; ::TP_OK (0) is success and every
 *   error is negative. The message with context (file, line, column, field) is
 *   read with tp_last_error(), which is thread-local.
 * - Constructors write the new handle to an out-parameter that comes first and
 *   leave it NULL on failure. Every `_free` accepts NULL.
 * - Strings passed in are UTF-8 and NUL-terminated unless a length is given.
 *   Strings returned are borrowed from their parent handle and stay valid until
 *   that handle is modified or freed, unless stated otherwise.
 * - Memory the library allocates for the caller (exported text) is released with
 *   tp_free().
 * - Distinct handles may be used from distinct threads at the same time. A handle
 *   shared between threads needs the caller's locking if any thread modifies it;
 *   concurrent read-only calls on an unmodified handle are safe.
 */
#ifndef TOUCHPOINT_COMMON_H
#define TOUCHPOINT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TP_BUILDING_LIBRARY) && defined(__GNUC__)
#define TP_API __attribute__((visibility("default")))
#else
#define TP_API
#endif

/** Major version of the headers. */
#define TP_VERSION_MAJOR 0
/** Minor version of the headers. */
#define TP_VERSION_MINOR 1
/** Patch version of the headers. */
#define TP_VERSION_PATCH 0
/** Version of the headers as text. */
#define TP_VERSION_STRING "0.1.0"
/** Version of the headers as one number: major * 10000 + minor * 100 + patch. */
#define TP_VERSION_NUMBER (TP_VERSION_MAJOR * 10000 + TP_VERSION_MINOR * 100 + TP_VERSION_PATCH)

/**
 * Result of every fallible call. The values are pinned: they never change
 * between releases, and new classes only ever get new numbers.
 */
typedef enum tp_status {
    TP_OK = 0,          /**< Success. */
    TP_EINVAL = -1,     /**< Invalid argument: NULL handle, bad option, index out of range. */
    TP_ENOMEM = -2,     /**< An allocation failed; the handle is unchanged. */
    TP_EIO = -3,        /**< A file could not be opened, read or written. */
    TP_EPARSE = -4,     /**< Input is not well formed (CSV quoting, JSON syntax, bad UTF-8). */
    TP_EVALIDATE = -5,  /**< Input is well formed but invalid (range, unknown stage, cycle). */
    TP_ENOTFOUND = -6,  /**< A named item does not exist. */
    TP_ECONFLICT = -7,  /**< The call conflicts with existing state (duplicate id). */
    TP_ELIMIT = -8,     /**< A size limit was exceeded (field length, row count, nesting). */
    TP_ECANCELED = -9   /**< The caller's progress callback asked to stop (tp_options_set_progress()). */
} tp_status;

/**
 * Static description of a status code ("parse error", ...).
 * @return never NULL; unknown codes give "unknown status". Thread-safe.
 */
TP_API const char *tp_status_str(tp_status status);

/**
 * Message of the last error raised on the calling thread, with its context
 * ("events.csv:12:3: timestamp: cannot parse \"2026-13-01\"").
 *
 * Set by every call that fails; successful calls leave it as it was.
 * @return never NULL (an empty string when no error happened on this thread);
 *         borrowed, valid until the next failing call on this thread.
 *         Thread-safe: each thread has its own.
 */
TP_API const char *tp_last_error(void);

/** Status of the last error on the calling thread (::TP_OK if none). Thread-safe. */
TP_API tp_status tp_last_error_status(void);

/** Input file (or buffer name) of the last error on this thread, or "" if none. Borrowed. */
TP_API const char *tp_last_error_file(void);

/** 1-based line of the last error on this thread, or 0 when it has no line. */
TP_API uint64_t tp_last_error_line(void);

/**
 * 1-based column of the last error on this thread, or 0 when it has none.
 * For CSV input the column is the field number; for JSON input it is the byte
 * within the line or document.
 */
TP_API uint64_t tp_last_error_column(void);

/**
 * Field of the last error on this thread: a CSV column name or a JSON path such
 * as "$.touchpoints[3].stage"; "" when none. Borrowed.
 */
TP_API const char *tp_last_error_field(void);

/** Forget the last error of the calling thread. Thread-safe. */
TP_API void tp_clear_error(void);

/** Version of the library that is loaded, as text ("0.1.0"). Static; thread-safe. */
TP_API const char *tp_version_string(void);

/** Version of the library that is loaded, as ::TP_VERSION_NUMBER encodes it. Thread-safe. */
TP_API uint32_t tp_version_number(void);

/** Allocation hook: like malloc(); @p user is the pointer given to tp_set_allocator(). */
typedef void *(*tp_malloc_fn)(size_t size, void *user);
/** Reallocation hook: like realloc(). */
typedef void *(*tp_realloc_fn)(void *ptr, size_t size, void *user);
/** Release hook: like free(); must accept NULL. */
typedef void (*tp_free_fn)(void *ptr, void *user);

/**
 * Replace the allocator the library uses for all its own memory.
 *
 * Pass all three functions, or all three NULL to restore malloc/realloc/free.
 * Memory obtained from one allocator must be released by the same one, so call
 * this only while no libtouchpoint object or library-allocated buffer exists.
 * The JSON parser (cJSON) keeps its own process-wide hooks, which this call
 * does not change.
 *
 * Thread-safety: not thread-safe; call before any thread uses the library.
 * The functions themselves must be thread-safe if the library is used from
 * several threads, or with a `threads` option other than 1 (reads and Markov
 * solves then allocate from threads of their own).
 * @return ::TP_OK, or ::TP_EINVAL if only some functions are given.
 */
TP_API tp_status tp_set_allocator(tp_malloc_fn malloc_fn, tp_realloc_fn realloc_fn,
                                  tp_free_fn free_fn, void *user);

/**
 * Release memory the library allocated for the caller (exported text, ...).
 * Accepts NULL. Thread-safe.
 */
TP_API void tp_free(void *ptr);

/**
 * The largest magnitude of an amount any reader or append call accepts: an
 * event's value, a path's conversions, value and nulls, an audit item's
 * weight. Sums of up to 2^64 such amounts stay inside the exact-sum range
 * (2^126) every analysis adds in, so an accepted row can never make an
 * analysis overflow or drop it; a larger one is a bad row (::TP_EVALIDATE,
 * naming file, line and field) or ::TP_EINVAL from an append.
 */
#define TP_MAX_AMOUNT 1e15

/**
 * Write @p len bytes to @p path atomically, as every file the library writes:
 * the file is written unnamed (O_TMPFILE where the filesystem has it, else
 * under a temporary name in the same directory), synced, and only then named
 * (linked into place, or renamed over the old file; the directory is synced),
 * so a reader sees the old file or the whole new one. New files get 0666 less
 * the umask; a replaced file keeps its permission bits. A symlink is followed
 * and its target written (the link stays); a FIFO, device or socket is
 * written into in place. While a temporary name exists, the calling thread
 * holds back SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGALRM and
 * SIGUSR1/2 (delivered once the name is gone); no handler is installed.
 * @return ::TP_OK; ::TP_EINVAL (NULL path, or NULL data with @p len > 0);
 *         ::TP_ENOMEM; ::TP_EIO (a directory, or the step and reason that
 *         failed, with the path; no temporary file is left behind)
 * Thread-safe for distinct paths.
 */
TP_API tp_status tp_file_write(const char *path, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_COMMON_H */
