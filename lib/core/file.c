#define _GNU_SOURCE
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/par.h"
#include "core/vec.h"

void (*tp__file_after_stat)(const char *path);

/*
 * The whole file is read into memory, never mapped: a mapped file that shrinks
 * while it is parsed (logrotate's copytruncate) raises SIGBUS, which a library
 * cannot catch. A regular file that ends before the size it had when opened is
 * reported as such instead of parsed as if whole.
 */
void tp__format_bytes(uint64_t n, char *buf, size_t cap)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (n < 1024) {
        snprintf(buf, cap, "%llu byte%s", (unsigned long long)n, n == 1 ? "" : "s");
        return;
    }
    int u = 0;
    uint64_t whole = n >> 10;
    while (whole >= 1024 && u < 5) {
        whole >>= 10;
        u++;
    }
    uint64_t unit = (uint64_t)1 << (10 * (u + 1));
    if (n % unit == 0)
        snprintf(buf, cap, "%llu %s", (unsigned long long)(n / unit), units[u]);
    else
        snprintf(buf, cap, "%.1f %s", (double)n / (double)unit, units[u]);
}

static tp_status too_large(const tp__loc *loc, uint64_t max, const char *what,
                           const char *limit_name)
{
    char lim[32];
    tp__format_bytes(max, lim, sizeof lim);
    return tp__error_at(TP_ELIMIT, loc, "%s larger than the limit of %s (%s)", what, lim,
                        limit_name);
}

tp_status tp__file_read(tp__file *f, const char *path, uint64_t max, const char *what,
                        const char *limit_name)
{
    return tp__file_read_watched(f, path, max, what, limit_name, NULL, NULL, 1);
}

/* ---- a regular file read in pieces on threads ---- */

enum { PIECE_BYTES = 8 << 20 };

typedef struct par_file {
    int fd;
    char *buf;
    size_t size;
    const tp__loc *loc;
    atomic_size_t done;
    atomic_int stop;
    int (*watch)(void *data, uint64_t done, uint64_t total);
    void *data;
} par_file;

static tp_status read_piece(void *ctx, size_t k)
{
    par_file *pf = ctx;
    size_t off = k * (size_t)PIECE_BYTES, end = off + PIECE_BYTES < pf->size ? off + PIECE_BYTES
                                                                             : pf->size;
    while (off < end) {
        if (atomic_load(&pf->stop))
            return tp__error_at(TP_ECANCELED, pf->loc, "read cancelled by the check callback");
        ssize_t n = pread(pf->fd, pf->buf + off, end - off, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return tp__error_at(TP_EIO, pf->loc, "read failed: %s", strerror(errno));
        if (n == 0)
            return tp__error_at(TP_EIO, pf->loc,
                                "the file shrank while it was read (%zu bytes when opened, %zu "
                                "read): read it again once it is no longer being truncated",
                                pf->size, off);
        off += (size_t)n;
        atomic_fetch_add(&pf->done, (size_t)n);
    }
    return TP_OK;
}

static void poll_file(void *ctx)
{
    par_file *pf = ctx;
    if (pf->watch && !atomic_load(&pf->stop) &&
        pf->watch(pf->data, atomic_load(&pf->done), pf->size))
        atomic_store(&pf->stop, 1);
}

/* The first `size` bytes of fd into buf on threads: TP_OK, or the error of the
 * first piece that failed (set on this thread). */
static tp_status read_pieces(int fd, char *buf, size_t size, const tp__loc *loc,
                             unsigned threads,
                             int (*watch)(void *data, uint64_t done, uint64_t total), void *data)
{
    par_file pf = {fd, buf, size, loc, 0, 0, watch, data};
    size_t n = (size + PIECE_BYTES - 1) / PIECE_BYTES;
    return tp__parallel_for_polled(n, (int)threads, read_piece, &pf, poll_file, &pf);
}

tp_status tp__file_read_watched(tp__file *f, const char *path, uint64_t max, const char *what,
                                const char *limit_name,
                                int (*watch)(void *data, uint64_t done, uint64_t total),
                                void *data, unsigned threads)
{
    enum { WATCH_EVERY = 16 << 20 };
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
    if (tp__file_after_stat)
        tp__file_after_stat(path);
    int regular = S_ISREG(st.st_mode);
    if (regular && (uint64_t)st.st_size > max) {
        close(fd);
        return too_large(&loc, max, what, limit_name);
    }
    size_t expect = regular && st.st_size > 0 ? (size_t)st.st_size : 0;
    if (regular)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    /* A regular file: its size plus one byte (to see that it ended); pipes and
     * devices grow the buffer as they go. */
    size_t cap = 0, len = 0, watched = 0;
    char *buf = NULL;
    if (threads != 1 && (threads ? threads : (unsigned)tp__cpu_count()) > 1 &&
        expect >= 2 * (size_t)PIECE_BYTES) {
        if (tp__grow((void **)&buf, &cap, 1, expect + 1)) {
            close(fd);
            return tp__error_at(TP_ENOMEM, &loc, "out of memory reading file");
        }
        tp_status ps = read_pieces(fd, buf, expect, &loc, threads, watch, data);
        /* Asked once more with every piece in, as one thread asks past 16 MiB. */
        if (ps == TP_OK && watch && watch(data, expect, expect))
            ps = tp__error_at(TP_ECANCELED, &loc, "read cancelled by the check callback");
        if (ps != TP_OK) {
            tp__free(buf);
            close(fd);
            return ps;
        }
        /* The rest as one thread reads it: the end of the file, or what it grew by. */
        len = watched = expect;
        if (lseek(fd, (off_t)expect, SEEK_SET) < 0) {
            int e = errno;
            tp__free(buf);
            close(fd);
            return tp__error_at(TP_EIO, &loc, "cannot seek: %s", strerror(e));
        }
    }
    for (;;) {
        /* One byte past the limit shows that the input exceeds it. */
        if ((uint64_t)len > max) {
            tp__free(buf);
            close(fd);
            return too_large(&loc, max, what, limit_name);
        }
        size_t want = len < expect ? expect + 1 : len + 65536;
        if ((uint64_t)want - 1 > max)
            want = (size_t)max + 1;
        if (cap < want && tp__grow((void **)&buf, &cap, 1, want)) {
            tp__free(buf);
            close(fd);
            return tp__error_at(TP_ENOMEM, &loc, "out of memory reading file");
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR && watch && watch(data, len, expect)) {
            tp__free(buf);
            close(fd);
            return tp__error_at(TP_ECANCELED, &loc, "read cancelled by the check callback");
        }
        if (n > 0 && watch && len + (size_t)n - watched >= WATCH_EVERY) {
            watched = len + (size_t)n;
            if (watch(data, watched, expect)) {
                tp__free(buf);
                close(fd);
                return tp__error_at(TP_ECANCELED, &loc, "read cancelled by the check callback");
            }
        }
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
    if (len < expect) {
        tp__free(buf);
        return tp__error_at(TP_EIO, &loc,
                            "the file shrank while it was read (%zu bytes when opened, %zu read): "
                            "read it again once it is no longer being truncated",
                            expect, len);
    }
    f->heap = buf;
    f->data = buf ? buf : "";
    f->len = len;
    return TP_OK;
}

void tp__file_close(tp__file *f)
{
    tp__free(f->heap);
    memset(f, 0, sizeof *f);
}

/* ---- writing ---- */

int tp__file_tmpfile = 1;

static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        off += (size_t)n;
    }
    return 0;
}

/* The file a path names once its symbolic links are followed (the last one
 * may dangle: writing through it creates its target). Allocated; NULL with
 * errno set on a loop or no memory. */
static char *follow_links(const char *path)
{
    char *cur = tp__strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        if (hops == 40) {
            tp__free(cur);
            errno = ELOOP;
            return NULL;
        }
        char target[4096];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n < 0) {
            tp__free(cur);
            return NULL;
        }
        target[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dirlen = target[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
        char *next = tp__malloc(dirlen + (size_t)n + 1);
        if (next) {
            memcpy(next, cur, dirlen);
            memcpy(next + dirlen, target, (size_t)n + 1);
        }
        tp__free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* The directory part of @p path ("." when it has none). Allocated. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return tp__strdup(".");
    if (slash == path)
        return tp__strdup("/");
    return tp__strndup(path, (size_t)(slash - path));
}

/* A name in the same directory that nothing uses yet, for a temporary file. */
static void temp_name(char *out, size_t cap, const char *path, unsigned attempt)
{
    static unsigned long counter;
    unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = ((unsigned long long)getpid() << 32) ^ (unsigned long long)ts.tv_nsec ^
                           ((unsigned long long)n << 20) ^ attempt;
    x *= 0x9e3779b97f4a7c15ULL;
    snprintf(out, cap, "%s.tmp.%06llx", path, (x >> 40) & 0xffffff);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* EINVAL on filesystems without it: nothing more to do */
        close(fd);
    }
}

/* A device, FIFO or socket is written in place: it is not ours to replace. */
static tp_status write_in_place(const char *path, const char *data, size_t len, tp__loc *loc)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return tp__error_at(TP_EIO, loc, "cannot open: %s", strerror(errno));
    int e = write_all(fd, data, len);
    if (!e && fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    return e ? tp__error_at(TP_EIO, loc, "write failed: %s", strerror(e)) : TP_OK;
}

/*
 * The file is written unnamed (O_TMPFILE) where the filesystem allows it and
 * named only when whole and synced: linked straight to the path when nothing
 * is there, else to a temporary name that rename() moves over the old file.
 * Elsewhere it is written under a temporary name. While a temporary name
 * exists the calling thread holds back the signals that end a process by
 * default (they are delivered when the name is gone), so an interrupt leaves
 * no file behind; the library installs no handler. New files get 0666 less
 * the umask (the kernel applies it); a replaced file keeps its mode.
 */
tp_status tp__file_write_atomic(const char *path, const char *data, size_t len)
{
    tp__loc loc = {path, 0, 0, NULL};
    char *target = follow_links(path);
    if (!target)
        return tp__error_at(errno == ENOMEM ? TP_ENOMEM : TP_EIO, &loc,
                            "cannot follow the link: %s", strerror(errno));
    struct stat old;
    int exists = stat(target, &old) == 0;
    if (exists && S_ISDIR(old.st_mode)) {
        tp__free(target);
        return tp__error_at(TP_EIO, &loc, "is a directory");
    }
    if (exists && !S_ISREG(old.st_mode)) {
        tp_status st = write_in_place(target, data, len, &loc);
        tp__free(target);
        return st;
    }
    char *dir = dir_of(target);
    size_t tlen = strlen(target);
    char *tmp = tp__malloc(tlen + 32);
    if (!dir || !tmp) {
        tp__free(dir);
        tp__free(tmp);
        tp__free(target);
        return tp__error_at(TP_ENOMEM, &loc, "out of memory");
    }
    sigset_t hold, saved;
    sigemptyset(&hold);
    static const int held[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE,
                               SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        sigaddset(&hold, held[i]);
    int named = 0;   /* tmp names a file of ours */
    int holding = 0; /* the signals in hold are held back */
    /* Naming an unnamed file goes through /proc/self/fd: without /proc, the
     * named temporary is the way. */
    int fd = tp__file_tmpfile && access("/proc/self/fd", X_OK) == 0
                 ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666)
                 : -1;
    if (fd < 0) { /* no O_TMPFILE here: a named temporary from the start */
        holding = pthread_sigmask(SIG_BLOCK, &hold, &saved) == 0;
        for (unsigned attempt = 0; fd < 0 && attempt < 100; attempt++) {
            temp_name(tmp, tlen + 32, target, attempt);
            fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
            if (fd < 0 && errno != EEXIST)
                break;
        }
        named = fd >= 0;
    }
    const char *fail = "cannot create the file";
    int e = fd < 0 ? errno : 0;
    if (!e && (e = write_all(fd, data, len)) != 0)
        fail = "write failed";
    if (!e && exists && fchmod(fd, old.st_mode & 07777) != 0)
        e = errno, fail = "cannot keep the file's mode";
    if (!e && fsync(fd) != 0)
        e = errno, fail = "cannot sync";
    if (!e && !named) { /* name the unnamed file */
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        holding = pthread_sigmask(SIG_BLOCK, &hold, &saved) == 0;
        /* Nothing there: linked straight to the path, no temporary name at all. */
        int placed = !exists && linkat(AT_FDCWD, proc, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0;
        for (unsigned attempt = 0; !placed && !named && attempt < 100; attempt++) {
            temp_name(tmp, tlen + 32, target, attempt);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
                named = 1;
            else if (errno != EEXIST)
                break;
        }
        if (!placed && !named)
            e = errno, fail = "cannot name the file";
    }
    if (fd >= 0 && close(fd) != 0 && !e)
        e = errno, fail = "cannot finish the file";
    if (!e && named && rename(tmp, target) != 0)
        e = errno, fail = "cannot rename into place";
    if (named && e)
        unlink(tmp);
    if (holding) /* a held signal is delivered now, with no temporary name left */
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (!e)
        sync_dir(dir);
    tp__free(dir);
    tp__free(tmp);
    tp__free(target);
    return e ? tp__error_at(TP_EIO, &loc, "%s: %s", fail, strerror(e)) : TP_OK;
}

tp_status tp__file_write_made(const char *path, tp_status made, char *text, size_t len)
{
    tp_status st = made == TP_OK ? tp__file_write_atomic(path, text, len) : made;
    tp__free(text);
    return st;
}

TP_API tp_status tp_file_write(const char *path, const void *data, size_t len)
{
    if (!path || (!data && len))
        return tp__error(TP_EINVAL, "tp_file_write: NULL %s", path ? "data" : "path");
    return tp__file_write_atomic(path, data ? data : "", len);
}
