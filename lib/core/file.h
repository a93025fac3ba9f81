/* Whole-file input (read, never mapped: a file that shrinks cannot raise
 * SIGBUS) and atomic output. */
#ifndef TP_CORE_FILE_H
#define TP_CORE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "touchpoint/common.h"

typedef struct tp__file {
    const char *data;
    size_t len;
    char *heap; /* the read() buffer, or NULL */
} tp__file;

/* Open and read a whole file of at most `max` bytes. Errors set tp_last_error()
 * naming the path; a regular file that ends before its size at open is TP_EIO
 * ("shrank"). A larger input is TP_ELIMIT "WHAT larger than the limit of ...
 * (LIMIT_NAME)": a regular file before any byte is read, a pipe or device as
 * soon as it passes the limit, so no input grows memory past it. */
tp_status tp__file_read(tp__file *f, const char *path, uint64_t max, const char *what,
                        const char *limit_name);

/* tp__file_read, asking watch(data, bytes read, size or 0) every 16 MiB and
 * whenever a read is interrupted by a signal (EINTR): nonzero stops the read
 * with TP_ECANCELED. With `threads` other than 1 (0: one per CPU), a regular
 * file of at least 16 MiB is read in 8 MiB pieces on that many threads (each
 * piece's pages are faulted in by the thread that fills them), watch then
 * called on the calling thread about every 20 ms; the bytes, the shrink check
 * and the errors are those of one thread. */
tp_status tp__file_read_watched(tp__file *f, const char *path, uint64_t max, const char *what,
                                const char *limit_name,
                                int (*watch)(void *data, uint64_t done, uint64_t total),
                                void *data, unsigned threads);

/* "4 GiB", "256 MiB", "1.5 KiB", "12 bytes": a byte count for messages. */
void tp__format_bytes(uint64_t n, char *buf, size_t cap);
void tp__file_close(tp__file *f);

/* Tests only: called between a read's fstat() and its first read(), so a test
 * can change the file there (truncate it). NULL normally. */
extern void (*tp__file_after_stat)(const char *path);

/* 0: write through a named temporary even where O_TMPFILE works (tests take
 * that path too). Not for concurrent change. */
extern int tp__file_tmpfile;

/* Write data to path atomically (see tp_file_write() in touchpoint/common.h). */
tp_status tp__file_write_atomic(const char *path, const char *data, size_t len);

/* The writers' common tail: @p made is the status of making @p text (owned,
 * allocated with tp__malloc); on TP_OK the text is written atomically to
 * @p path. The text is freed either way. */
tp_status tp__file_write_made(const char *path, tp_status made, char *text, size_t len);

#endif
