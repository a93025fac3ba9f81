#define _GNU_SOURCE
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/vec.h"

tp_status tp__file_read(tp__file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    tp__loc loc = {path, 0, 0, NULL};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tp__error_at(TP_EIO, &loc, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return tp__error_at(TP_EIO, &loc, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return tp__error_at(TP_EIO, &loc, "is a directory");
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            close(fd);
            madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
            f->map = m;
            f->map_len = (size_t)st.st_size;
            f->data = m;
            f->len = (size_t)st.st_size;
            return TP_OK;
        }
    }
    /* Pipes, devices and anything mmap refuses: read until EOF. */
    size_t cap = 0, len = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - len < 65536 && tp__grow((void **)&buf, &cap, 1, len + 65536)) {
            tp__free(buf);
            close(fd);
            return tp__error_at(TP_ENOMEM, &loc, "out of memory reading file");
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            tp__free(buf);
            close(fd);
            return tp__error_at(TP_EIO, &loc, "read failed: %s", strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    f->heap = buf;
    f->data = buf ? buf : "";
    f->len = len;
    return TP_OK;
}

void tp__file_close(tp__file *f)
{
    if (f->map)
        munmap(f->map, f->map_len);
    tp__free(f->heap);
    memset(f, 0, sizeof *f);
}

tp_status tp__file_write_atomic(const char *path, const char *data, size_t len)
{
    tp__loc loc = {path, 0, 0, NULL};
    size_t plen = strlen(path);
    char *tmp = tp__malloc(plen + 16);
    if (!tmp)
        return tp__error_at(TP_ENOMEM, &loc, "out of memory");
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        tp__free(tmp);
        return tp__error_at(TP_EIO, &loc, "cannot create temporary file: %s", strerror(e));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            tp__free(tmp);
            return tp__error_at(TP_EIO, &loc, "write failed: %s", strerror(e));
        }
        off += (size_t)n;
    }
    /* mkostemp creates 0600: keep the mode of the file being replaced, else 0644
     * (umask() would be a process-wide race). */
    struct stat old;
    mode_t mode = stat(path, &old) == 0 ? (old.st_mode & 07777) : 0644;
    if (fchmod(fd, mode) != 0 || fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        tp__free(tmp);
        return tp__error_at(TP_EIO, &loc, "cannot finish file: %s", strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        tp__free(tmp);
        return tp__error_at(TP_EIO, &loc, "cannot rename into place: %s", strerror(e));
    }
    tp__free(tmp);
    return TP_OK;
}

TP_API tp_status tp_file_write(const char *path, const void *data, size_t len)
{
    if (!path || (!data && len))
        return tp__error(TP_EINVAL, "tp_file_write: NULL %s", path ? "data" : "path");
    return tp__file_write_atomic(path, data ? data : "", len);
}
