/* Whole-file input (mapped when possible) and atomic output. */
#ifndef TP_CORE_FILE_H
#define TP_CORE_FILE_H

#include <stddef.h>

#include "touchpoint/common.h"

typedef struct tp__file {
    const char *data;
    size_t len;
    void *map;      /* mmap base, or NULL */
    size_t map_len;
    char *heap;     /* read() buffer, or NULL */
} tp__file;

/* Open and read a whole file. Errors set tp_last_error() naming the path. */
tp_status tp__file_read(tp__file *f, const char *path);
void tp__file_close(tp__file *f);

/* 0: write through a named temporary even where O_TMPFILE works (tests take
 * that path too). Not for concurrent change. */
extern int tp__file_tmpfile;

/* Write data to path atomically (see tp_file_write() in touchpoint/common.h). */
tp_status tp__file_write_atomic(const char *path, const char *data, size_t len);

#endif
