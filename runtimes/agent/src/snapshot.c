/* A test run's workspace after compiling, kept so that every case starts from it: whatever one case writes or
 * deletes, the next never sees. The mounts are copied into a memfd, which no program can open (it is the agent's,
 * close-on-exec) and which is mapped by nobody while a program runs, so it never counts in a program's memory.
 * Between cases the reset empties every mount as after any run, then the kept files are written back. */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAPSHOT_MAX_DEPTH 64

/* Each entry: u16 mount index, u32 path length, u32 mode, u32 size, the path, then the contents. A directory comes
 * before what it holds. Symlinks, FIFOs and sockets are not kept: compilers do not make them. */
struct entry_header {
    uint16_t root;
    uint32_t path_len, mode, size;
} __attribute__((packed));

struct walk {
    struct buffer out;
    char path[MAX_PATH_LEN + 1];
    char *error;
    size_t error_len;
};

static int add_file(struct walk *w, uint16_t root, int dir, const char *name, const struct stat *st)
{
    size_t plen = strlen(w->path);
    if (w->out.len + sizeof(struct entry_header) + plen + (uint64_t)st->st_size > SNAPSHOT_MAX) {
        snprintf(w->error, w->error_len, "the workspace after compiling holds more than %u MiB", SNAPSHOT_MAX >> 20);
        return -1;
    }
    struct entry_header h = {root, (uint32_t)plen, st->st_mode, 0};
    size_t at = w->out.len;
    buf_append(&w->out, &h, sizeof h);
    buf_append(&w->out, w->path, plen);
    if (S_ISDIR(st->st_mode))
        return 0;
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(w->error, w->error_len, "cannot keep '%.40s': %s", w->path, strerror(errno));
        return -1;
    }
    unsigned char chunk[65536];
    ssize_t n;
    uint32_t size = 0;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && size + (uint64_t)n <= (uint64_t)st->st_size) {
        buf_append(&w->out, chunk, (size_t)n);
        size += (uint32_t)n;
    }
    close(fd);
    memcpy(w->out.data + at + offsetof(struct entry_header, size), &size, sizeof size);
    return 0;
}

static int walk_dir(struct walk *w, uint16_t root, int fd, int depth)
{
    if (depth > SNAPSHOT_MAX_DEPTH) {
        close(fd);
        snprintf(w->error, w->error_len, "the workspace after compiling is nested deeper than %d", SNAPSHOT_MAX_DEPTH);
        return -1;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        snprintf(w->error, w->error_len, "cannot list the workspace: %s", strerror(errno));
        return -1;
    }
    size_t plen = strlen(w->path);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t nlen = strlen(e->d_name);
        if (plen + 1 + nlen > MAX_PATH_LEN) {
            snprintf(w->error, w->error_len, "a path in the workspace is longer than %d bytes", MAX_PATH_LEN);
            rc = -1;
            break;
        }
        snprintf(w->path + plen, sizeof w->path - plen, "%s%s", plen ? "/" : "", e->d_name);
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
            w->path[plen] = 0;
            continue;
        }
        rc = add_file(w, root, dirfd(d), e->d_name, &st);
        if (rc == 0 && S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            rc = sub < 0 ? -1 : walk_dir(w, root, sub, depth + 1);
        }
        w->path[plen] = 0;
    }
    closedir(d);
    return rc;
}

/* Copies the mounts into a new memfd; returns it, or -1 with the reason in error. */
int snapshot_take(const char *const *roots, int nroots, char *error, size_t error_len)
{
    struct walk w = {.error = error, .error_len = error_len};
    int rc = 0;
    for (int i = 0; i < nroots && rc == 0; i++) {
        int fd = open(roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        w.path[0] = 0;
        rc = fd < 0 ? -1 : walk_dir(&w, (uint16_t)i, fd, 0);
    }
    int memfd = rc < 0 ? -1 : memfd_create("coderunner-snapshot", MFD_CLOEXEC);
    size_t done = 0;
    while (memfd >= 0 && done < w.out.len) {
        ssize_t n = write(memfd, w.out.data + done, w.out.len - done);
        if (n <= 0) {
            snprintf(error, error_len, "cannot keep the workspace: %s", strerror(errno));
            close(memfd);
            memfd = -1;
        } else {
            done += (size_t)n;
        }
    }
    if (rc < 0 && !error[0])
        snprintf(error, error_len, "cannot keep the workspace: %s", strerror(errno));
    free(w.out.data);
    return memfd;
}

/* Writes the kept files back into the emptied mounts, owned by the program's user. */
int snapshot_restore(int fd, const char *const *roots, int nroots, char *error, size_t error_len)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        snprintf(error, error_len, "the kept workspace is gone: %s", strerror(errno));
        return -1;
    }
    if (st.st_size == 0)
        return 0;
    unsigned char *data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (data == MAP_FAILED) {
        snprintf(error, error_len, "cannot read the kept workspace: %s", strerror(errno));
        return -1;
    }
    int rootfd[MAX_WIPE_DIRS];
    for (int i = 0; i < nroots; i++)
        rootfd[i] = open(roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;
    size_t at = 0, size = (size_t)st.st_size;
    while (rc == 0 && at + sizeof(struct entry_header) <= size) {
        struct entry_header h;
        memcpy(&h, data + at, sizeof h);
        at += sizeof h;
        char path[MAX_PATH_LEN + 1];
        if (h.root >= nroots || rootfd[h.root] < 0 || h.path_len > MAX_PATH_LEN || at + h.path_len + h.size > size) {
            snprintf(error, error_len, "the kept workspace is damaged");
            rc = -1;
            break;
        }
        memcpy(path, data + at, h.path_len);
        path[h.path_len] = 0;
        at += h.path_len;
        if (S_ISDIR(h.mode)) {
            if ((mkdirat(rootfd[h.root], path, h.mode & 0777) < 0 && errno != EEXIST) ||
                fchownat(rootfd[h.root], path, g_config.uid, g_config.gid, AT_SYMLINK_NOFOLLOW) < 0)
                rc = -1;
        } else {
            rc = write_one(rootfd[h.root], path, h.mode, data + at, h.size);
            at += h.size;
        }
        if (rc < 0)
            snprintf(error, error_len, "cannot restore '%.40s': %s", path, strerror(errno));
    }
    for (int i = 0; i < nroots; i++)
        if (rootfd[i] >= 0)
            close(rootfd[i]);
    munmap(data, size);
    return rc;
}

/* The CPU time and the resident memory of every process but the agent and the resident compiler, now: what a run's limits are checked
 * against while it runs. Processes already reaped count through RUSAGE_CHILDREN, which the caller adds. */
int measure_run(uint64_t *cpu_ms, uint64_t *rss_bytes)
{
    static long ticks, page;
    if (!ticks) {
        ticks = sysconf(_SC_CLK_TCK);
        page = sysconf(_SC_PAGESIZE);
    }
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    uint64_t cpu = 0, rss = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == 1 || atoi(e->d_name) == resident_pid())
            continue;
        char file[300], text[1024];
        snprintf(file, sizeof file, "/proc/%s/stat", e->d_name);
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, text, sizeof text - 1);
        close(fd);
        if (n <= 0)
            continue;
        text[n] = 0;
        /* After the command's closing parenthesis: state is field 3, utime 14, stime 15, rss 24. */
        char *p = strrchr(text, ')');
        unsigned long long utime = 0, stime = 0;
        long long pages = 0;
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %*u %*u %lld",
                        &utime, &stime, &pages) == 3) {
            cpu += (utime + stime) * 1000u / (unsigned long long)ticks;
            rss += pages > 0 ? (uint64_t)pages * (uint64_t)page : 0;
        }
    }
    closedir(d);
    *cpu_ms = cpu;
    *rss_bytes = rss;
    return 0;
}
