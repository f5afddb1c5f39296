/* Small helpers: time, growable buffers, diagnostics on stderr. */
#include "agent.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Reads or writes all of len bytes, through EINTR and short transfers; -1 at an error or end of file. */
static int transfer_all(int fd, unsigned char *p, size_t len, int writing)
{
    while (len) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int write_all(int fd, const void *data, size_t len)
{
    return transfer_all(fd, (unsigned char *)data, len, 1);
}

int read_all(int fd, void *data, size_t len)
{
    return transfer_all(fd, data, len, 0);
}

uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void buf_append(struct buffer *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown)
            die("out of memory growing a buffer to %zu bytes", cap);
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void buf_consume(struct buffer *b, size_t len)
{
    memmove(b->data, b->data + len, b->len - len);
    b->len -= len;
}

/* Gives a large, empty buffer's memory back. A program forked while the agent holds a big RUN frame would
 * otherwise count those pages in its own peak RSS, and so would every later run of the container. */
void buf_release(struct buffer *b)
{
    if (b->len || b->cap <= 64 * 1024)
        return;
    free(b->data);
    b->data = NULL;
    b->cap = 0;
}

/* Diagnostics go to stderr, which the engine logs; stdout carries only frames. */
void warnx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("coderunner-agent: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Diagnostics of one reset. A program can leave a million entries that cannot be removed; the log gets the first
 * few and a count, never one line each. */
static int g_notes;

void note(const char *fmt, ...)
{
    if (g_notes++ >= RESET_NOTE_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("coderunner-agent: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void notes_done(void)
{
    if (g_notes > RESET_NOTE_LINES)
        warnx("… and %d more", g_notes - RESET_NOTE_LINES);
    g_notes = 0;
}

/* A file name the program chose, safe for a log line: at most 40 bytes, control bytes as '?'. */
const char *printable(const char *name, char *out, size_t out_len)
{
    size_t i = 0;
    for (; name[i] && i + 4 < out_len && i < 40; i++)
        out[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    if (name[i])
        out[i++] = '.', out[i++] = '.', out[i++] = '.';
    out[i] = 0;
    return out;
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("coderunner-agent: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    _exit(2);
}
