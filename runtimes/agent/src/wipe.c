/* Empties one writable mount after a run, and checks that its root is as the container started.
 *
 * The walk holds two descriptors and one small buffer whatever the tree: it never builds a path (a 20,000-level tree
 * is far past PATH_MAX), never follows a symlink, never opens anything but a directory, and never leaves the mount.
 * In each directory it removes entries in order; at the first subdirectory that is not empty it goes down into it,
 * and once a directory is empty it climbs back with "..", and lists the parent again. Everything before that
 * subdirectory is gone by then, so the new listing starts with it, now empty: each entry is met a bounded number of
 * times, and the whole wipe is linear in the number of entries. */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Small on purpose: after climbing back, what a listing reads past the next subdirectory to enter is read again. */
#define LISTING_BYTES 4096

struct walk {
    const char *root;
    dev_t dev;
    ino_t ino;
    long depth;
    char *error;
    size_t error_len;
};

static int fail(struct walk *w, const char *what, const char *name)
{
    char shown[48];
    const char *reason = strerror(errno);
    note("%s: cannot %s '%s' at depth %ld: %s", w->root, what, printable(name, shown, sizeof shown), w->depth, reason);
    if (!w->error[0])
        snprintf(w->error, w->error_len, "%s: cannot %s '%s' at depth %ld: %s", w->root, what, shown, w->depth, reason);
    return -1;
}

static int is_dot(const char *name)
{
    return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* Removes what *fd holds, in listing order, up to the first subdirectory that is not empty. Returns 0 when the
 * directory is empty, 1 after going down (*fd is then the subdirectory), -1 on failure. */
static int clear_dir(struct walk *w, int *fd)
{
    char listing[LISTING_BYTES] __attribute__((aligned(8)));
    ssize_t n;
    while ((n = getdents64(*fd, listing, sizeof listing)) > 0) {
        for (ssize_t at = 0; at < n;) {
            struct dirent64 *entry = (struct dirent64 *)(listing + at);
            const char *name = entry->d_name;
            at += entry->d_reclen;
            if (is_dot(name))
                continue;
            /* Files, links, FIFOs, sockets: the name goes, whatever it points at. unlinkat never follows a link and
             * cannot remove a mount point, so no stat is needed first. */
            if (entry->d_type != DT_DIR && entry->d_type != DT_UNKNOWN) {
                if (unlinkat(*fd, name, 0) == 0 || errno == ENOENT)
                    continue;
                if (errno != EISDIR)
                    return fail(w, "remove", name);
            }
            if (unlinkat(*fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
                continue;
            if (errno == ENOTDIR) {
                if (unlinkat(*fd, name, 0) == 0 || errno == ENOENT)
                    continue;
                return fail(w, "remove", name);
            }
            if (errno != ENOTEMPTY && errno != EEXIST)
                return fail(w, "remove", name);
            int child = openat(*fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            struct stat st;
            if (child < 0 || fstat(child, &st) < 0 || st.st_dev != w->dev) {
                if (child >= 0)
                    close(child), errno = EXDEV; /* nobody here can mount, but the wipe never leaves its mount */
                return fail(w, "enter", name);
            }
            close(*fd);
            *fd = child;
            w->depth++;
            return 1;
        }
    }
    return n < 0 ? fail(w, "list", ".") : 0;
}

int wipe_mount(const char *root, char *error, size_t error_len)
{
    struct walk w = {.root = root, .error = error, .error_len = error_len};
    struct stat st;
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        fail(&w, "open", ".");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    w.dev = st.st_dev;
    w.ino = st.st_ino;
    for (;;) {
        int rc = clear_dir(&w, &fd);
        if (rc < 0)
            break;
        if (rc == 1)
            continue;
        if (w.depth == 0) {
            close(fd);
            return 0;
        }
        /* Climb back. Nothing else runs during a reset, so ".." is the directory we came from; check anyway. */
        int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(fd);
        fd = parent;
        w.depth--;
        if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != w.dev || (w.depth == 0) != (st.st_ino == w.ino)) {
            if (fd >= 0)
                errno = ESTALE;
            fail(&w, "climb back from", "..");
            break;
        }
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

static int is_empty(int fd)
{
    char listing[LISTING_BYTES] __attribute__((aligned(8)));
    ssize_t n;
    while ((n = getdents64(fd, listing, sizeof listing)) > 0)
        for (ssize_t at = 0; at < n; at += ((struct dirent64 *)(listing + at))->d_reclen)
            if (!is_dot(((struct dirent64 *)(listing + at))->d_name))
                return 0;
    return n == 0;
}

/* The root of a wipe must be as Docker made it: root's, mode 1777, empty, with no ACL and no extended attribute.
 * Then a program can create files in it but cannot chmod it, give it an ACL or an xattr (the kernel refuses
 * user.* xattrs on a sticky directory to anyone but its owner), or set its timestamps to anything but now; and
 * the timestamps are set to a fixed value here. */
int check_mount_root(const char *root, char *error, size_t error_len)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(error, error_len, "%s cannot be opened: %s", root, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ssize_t xattrs = flistxattr(fd, NULL, 0);
    int xattr_errno = errno;
    char names[256] = "", shown[48];
    if (xattrs > 0 && flistxattr(fd, names, sizeof names - 1) < 0)
        snprintf(names, sizeof names, "%zd bytes of names", xattrs);
    int rc = -1;
    if (st.st_uid != 0 || st.st_gid != 0 || (st.st_mode & 07777) != WIPE_ROOT_MODE)
        snprintf(error, error_len, "%s is owned by %u:%u with mode %04o, not by root with mode %04o", root,
                 (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777), WIPE_ROOT_MODE);
    else if (xattrs > 0)
        snprintf(error, error_len, "%s carries an ACL or extended attributes, first %s", root,
                 printable(names, shown, sizeof shown));
    else if (xattrs < 0 && xattr_errno != EOPNOTSUPP)
        snprintf(error, error_len, "cannot list the extended attributes of %s: %s", root, strerror(xattr_errno));
    else if (!is_empty(fd))
        snprintf(error, error_len, "%s is not empty after the wipe", root);
    else if (futimens(fd, (struct timespec[2]){{WIPE_ROOT_TIME, 0}, {WIPE_ROOT_TIME, 0}}) < 0)
        snprintf(error, error_len, "cannot reset the timestamps of %s: %s", root, strerror(errno));
    else
        rc = 0;
    close(fd);
    return rc;
}
