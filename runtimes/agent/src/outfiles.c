/* Output files: after a run's program ended, the regular files of the workspace that the run created or changed
 * go back to the engine as FILE frames, before EXIT. Every process of the run is dead by then, so nothing can swap
 * a name under the walk; even so it never follows a symlink (fstatat and openat with O_NOFOLLOW), opens nothing
 * but directories and regular files, and never leaves the workspace's mount. */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the RUN frame wrote: a file that still has the same size and content did not change. */
struct written {
    char *path;
    uint64_t size, hash;
};

static struct written *g_written;
static size_t g_nwritten, g_capwritten;
static int g_armed;

struct walk {
    dev_t dev;
    uint32_t sent, left;
    uint64_t sent_bytes, left_bytes;
    uint32_t reasons;
    char path[MAX_PATH_LEN + 1];
};

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#define FNV_START 0xcbf29ce484222325ull

void outfiles_forget(void)
{
    for (size_t i = 0; i < g_nwritten; i++)
        free(g_written[i].path);
    free(g_written);
    g_written = NULL;
    g_nwritten = g_capwritten = 0;
    g_armed = 0;
}

void outfiles_note(const char *path, const unsigned char *data, uint32_t size)
{
    if (g_nwritten == g_capwritten) {
        g_capwritten = g_capwritten ? g_capwritten * 2 : 64;
        g_written = realloc(g_written, g_capwritten * sizeof *g_written);
        if (!g_written)
            die("out of memory");
    }
    g_written[g_nwritten++] = (struct written){strdup(path), size, fnv1a(FNV_START, data, size)};
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct written *)a)->path, ((const struct written *)b)->path);
}

void outfiles_arm(void)
{
    qsort(g_written, g_nwritten, sizeof *g_written, by_path);
    g_armed = 1;
}

static const struct written *find_written(const char *path)
{
    struct written key = {.path = (char *)path};
    return g_nwritten ? bsearch(&key, g_written, g_nwritten, sizeof *g_written, by_path) : NULL;
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return (int)got;
}

static int same_as_written(int fd, const struct written *w, uint64_t size)
{
    unsigned char chunk[65536];
    if (!w || w->size != size)
        return 0;
    uint64_t h = FNV_START, left = size;
    while (left > 0) {
        size_t want = left > sizeof chunk ? sizeof chunk : (size_t)left;
        int n = read_full(fd, chunk, want);
        if (n <= 0)
            return 0;
        h = fnv1a(h, chunk, (size_t)n);
        left -= (uint64_t)n;
    }
    return h == w->hash;
}

/* FILE frame, kind 1: the path, then the file's bytes, streamed in chunks (never held whole). */
static void send_file(int fd, const char *path, uint64_t size)
{
    unsigned char chunk[65536];
    uint32_t plen = (uint32_t)strlen(path);
    uint8_t kind = OUTFILE_KIND_FILE;
    send_frame_start(F_FILE, 1 + 4 + (size_t)plen + (size_t)size);
    send_bytes(&kind, 1);
    send_bytes(&plen, 4);
    send_bytes(path, plen);
    lseek(fd, 0, SEEK_SET);
    uint64_t left = size;
    while (left > 0) {
        size_t want = left > sizeof chunk ? sizeof chunk : (size_t)left;
        int n = read_full(fd, chunk, want);
        if (n < (int)want) /* cannot happen with no process alive; the frame's length is kept whatever */
            memset(chunk + (n > 0 ? n : 0), 0, want - (size_t)(n > 0 ? n : 0));
        send_bytes(chunk, want);
        left -= want;
    }
}

static void left_out(struct walk *w, uint64_t size, uint32_t reason)
{
    w->left++;
    w->left_bytes += size;
    w->reasons |= reason;
}

static void visit_file(struct walk *w, int dir, const char *name, const struct stat *st)
{
    const struct written *was = find_written(w->path);
    uint64_t size = (uint64_t)st->st_size;
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat now;
    if (fd < 0)
        return;
    if (fstat(fd, &now) < 0 || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino || now.st_dev != w->dev ||
        same_as_written(fd, was, size)) {
        close(fd);
        return;
    }
    if (w->sent >= OUTFILES_MAX_COUNT)
        left_out(w, size, OUTFILES_OVER_COUNT);
    else if (size > OUTFILES_MAX_FILE)
        left_out(w, size, OUTFILES_OVER_FILE);
    else if (w->sent_bytes + size > OUTFILES_MAX_TOTAL)
        left_out(w, size, OUTFILES_OVER_TOTAL);
    else {
        send_file(fd, w->path, size);
        w->sent++;
        w->sent_bytes += size;
    }
    close(fd);
}

/* Walks one directory (dir is owned here and closed); path holds its relative path, len bytes long. */
static void walk_dir(struct walk *w, int dir, size_t len, int depth)
{
    DIR *d = fdopendir(dir);
    if (!d) {
        close(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        size_t nlen = strlen(name);
        if (len + (len ? 1 : 0) + nlen > MAX_PATH_LEN)
            continue; /* the engine would refuse such a path anyway */
        size_t at = len;
        if (len)
            w->path[at++] = '/';
        memcpy(w->path + at, name, nlen + 1);
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == w->dev) {
            if (S_ISREG(st.st_mode))
                visit_file(w, dirfd(d), name, &st);
            else if (S_ISDIR(st.st_mode) && depth < OUTFILES_MAX_DEPTH) {
                int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0)
                    walk_dir(w, sub, at + nlen, depth + 1);
            }
            /* symlinks, FIFOs, sockets and devices never come back */
        }
        w->path[len] = 0;
    }
    closedir(d);
}

void outfiles_send(void)
{
    if (!g_armed)
        return;
    g_armed = 0;
    int root = open(g_config.workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (root < 0)
        return;
    if (fstat(root, &st) < 0) {
        close(root);
        return;
    }
    static struct walk w;
    memset(&w, 0, sizeof w);
    w.dev = st.st_dev;
    walk_dir(&w, root, 0, 0);
    if (w.left) {
        unsigned char payload[1 + 4 + 8 + 4];
        payload[0] = OUTFILE_KIND_LEFT_OUT;
        memcpy(payload + 1, &w.left, 4);
        memcpy(payload + 5, &w.left_bytes, 8);
        memcpy(payload + 13, &w.reasons, 4);
        send_frame(F_FILE, payload, sizeof payload);
    }
}
