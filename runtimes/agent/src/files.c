/* Writes the run's files into the workspace. The workspace was wiped and verified empty by the last reset, and
 * no user process is alive, so nothing here can meet a planted symlink; O_NOFOLLOW and O_EXCL make sure. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int valid_relative_path(const char *path)
{
    size_t len = strlen(path);
    if (len == 0 || len > MAX_PATH_LEN || path[0] == '/')
        return 0;
    const char *c = path;
    while (*c) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n + (slash ? 1 : 0);
        if (slash && !*c)
            return 0; /* trailing slash */
    }
    return 1;
}

static int open_parent(int root, char *path, char **name)
{
    int dir = dup(root);
    char *c = path, *slash;
    while ((slash = strchr(c, '/'))) {
        *slash = 0;
        if (mkdirat(dir, c, 0755) == 0) {
            if (fchownat(dir, c, g_config.uid, g_config.gid, AT_SYMLINK_NOFOLLOW) < 0) {
                close(dir);
                return -1;
            }
        } else if (errno != EEXIST) {
            close(dir);
            return -1;
        }
        int next = openat(dir, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        *slash = '/';
        close(dir);
        if (next < 0)
            return -1;
        dir = next;
        c = slash + 1;
    }
    *name = c;
    return dir;
}

int write_one(int root, const char *path, uint32_t mode, const unsigned char *data, uint32_t size)
{
    char copy[MAX_PATH_LEN + 1];
    char *name;
    strcpy(copy, path);
    int dir = open_parent(root, copy, &name);
    if (dir < 0)
        return -1;
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode & 0111) ? 0755 : 0644);
    close(dir);
    if (fd < 0)
        return -1;
    int rc = 0;
    while (size > 0 && rc == 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            rc = -1;
        else {
            data += n;
            size -= (uint32_t)n;
        }
    }
    if (rc == 0 && fchown(fd, g_config.uid, g_config.gid) < 0)
        rc = -1;
    close(fd);
    return rc;
}

int write_files(const unsigned char *p, size_t len, const char **error)
{
    static char message[MAX_PATH_LEN + 128];
    const unsigned char *end = p + len;
    uint32_t nfiles, plen, mode, size;
    if (len < 4) {
        *error = "the file list is missing";
        return -1;
    }
    memcpy(&nfiles, p, 4);
    p += 4;
    int root = open(g_config.workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        *error = "the workspace cannot be opened";
        return -1;
    }
    for (uint32_t i = 0; i < nfiles; i++) {
        char path[MAX_PATH_LEN + 1];
        if ((size_t)(end - p) < 4 || (memcpy(&plen, p, 4), plen > MAX_PATH_LEN) || (size_t)(end - p) < 12u + plen)
            goto malformed;
        memcpy(path, p + 4, plen);
        path[plen] = 0;
        p += 4 + plen;
        memcpy(&mode, p, 4);
        memcpy(&size, p + 4, 4);
        p += 8;
        if ((size_t)(end - p) < size || strlen(path) != plen)
            goto malformed;
        if (!valid_relative_path(path)) {
            snprintf(message, sizeof message, "refused file path '%s'", path);
            *error = message;
            close(root);
            return -1;
        }
        if (write_one(root, path, mode, p, size) < 0) {
            snprintf(message, sizeof message, "cannot write '%s': %s", path, strerror(errno));
            *error = message;
            close(root);
            return -1;
        }
        outfiles_note(path, p, size);
        p += size;
    }
    close(root);
    return 0;
malformed:
    close(root);
    *error = "the file list is truncated or malformed";
    return -1;
}
