/* Frames on the container's stdin and stdout: u32 payload length, u8 type, 3 reserved bytes, payload.
 * All integers are little-endian. */
#include "agent.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void send_all(const void *data, size_t len)
{
    errno = 0;
    if (write_all(STDOUT_FILENO, data, len) < 0)
        die("the engine stopped reading (write: %s)", errno ? strerror(errno) : "closed");
}

void send_frame(uint8_t type, const void *payload, size_t len)
{
    unsigned char header[FRAME_HEADER_SIZE] = {0};
    uint32_t n = (uint32_t)len;
    memcpy(header, &n, 4);
    header[4] = type;
    send_all(header, sizeof header);
    if (len)
        send_all(payload, len);
}

/* A frame written in pieces: the header, then exactly len bytes through send_bytes. */
void send_frame_start(uint8_t type, size_t len)
{
    unsigned char header[FRAME_HEADER_SIZE] = {0};
    uint32_t n = (uint32_t)len;
    memcpy(header, &n, 4);
    header[4] = type;
    send_all(header, sizeof header);
}

void send_bytes(const void *data, size_t len)
{
    send_all(data, len);
}

void send_text(uint8_t type, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    send_frame(type, text, n < 0 ? 0 : (size_t)n >= sizeof text ? sizeof text - 1 : (size_t)n);
}

void send_ready(int ok, const char *message)
{
    unsigned char payload[8 + 512];
    uint32_t version = AGENT_PROTOCOL_VERSION, okv = ok ? 1u : 0u;
    size_t mlen = message ? strnlen(message, 512) : 0;
    memcpy(payload, &version, 4);
    memcpy(payload + 4, &okv, 4);
    if (mlen)
        memcpy(payload + 8, message, mlen);
    send_frame(F_READY, payload, 8 + mlen);
}

/* EXIT, or CASE_EXIT: the same figures after the case's index. */
void send_exit(uint8_t type, int case_index, const struct run_result *r)
{
    unsigned char payload[2 + 4 + 4 + 4 + 4 + 8 + 4 + 2];
    unsigned char *p = payload;
    if (type == F_CASE_EXIT) {
        uint16_t index = (uint16_t)case_index;
        memcpy(p, &index, 2), p += 2;
    }
    memcpy(p, &r->code, 4), p += 4;
    memcpy(p, &r->signal, 4), p += 4;
    memcpy(p, &r->wall_ms, 4), p += 4;
    memcpy(p, &r->cpu_ms, 4), p += 4;
    memcpy(p, &r->peak_rss, 8), p += 8;
    memcpy(p, &r->flags, 4), p += 4;
    memcpy(p, &r->step, 2), p += 2;
    send_frame(type, payload, (size_t)(p - payload));
}

/* The size of the whole frame at the start of the engine's input (its payload follows the header), or 0 while
 * the frame is incomplete. */
size_t next_frame(const struct buffer *in, uint8_t *type, size_t *len)
{
    if (in->len < FRAME_HEADER_SIZE)
        return 0;
    uint32_t n;
    memcpy(&n, in->data, 4);
    if (n > MAX_FRAME_SIZE)
        die("frame of %u bytes exceeds the limit", n);
    if (in->len < FRAME_HEADER_SIZE + (size_t)n)
        return 0;
    *type = in->data[4];
    *len = n;
    return FRAME_HEADER_SIZE + (size_t)n;
}

struct reader {
    const unsigned char *p, *end;
    int failed;
};

static uint64_t read_uint(struct reader *r, size_t size)
{
    uint64_t v = 0;
    if (r->failed || (size_t)(r->end - r->p) < size) {
        r->failed = 1;
        return 0;
    }
    memcpy(&v, r->p, size); /* little-endian host */
    r->p += size;
    return v;
}

/* Copies a length-prefixed string into the request's own storage, NUL-terminated. */
static char *read_string(struct reader *r, unsigned char **store)
{
    uint32_t len = (uint32_t)read_uint(r, 4);
    if (r->failed || (size_t)(r->end - r->p) < len || memchr(r->p, 0, len)) {
        r->failed = 1;
        return NULL;
    }
    char *s = (char *)*store;
    memcpy(s, r->p, len);
    s[len] = 0;
    *store += len + 1;
    r->p += len;
    return s;
}

static char **read_strings(struct reader *r, unsigned char **store, int *count)
{
    int n = (int)read_uint(r, 2);
    char **list = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n && !r->failed; i++)
        list[i] = read_string(r, store);
    if (count)
        *count = n;
    return list;
}

static int parse_cases(struct reader *r, unsigned char **store, struct run_request *out, const char **error)
{
    int nkeep = (int)read_uint(r, 2);
    if (nkeep > MAX_WIPE_DIRS) {
        *error = "a test run keeps at most 8 mounts";
        return -1;
    }
    for (int k = 0; k < nkeep && !r->failed; k++) {
        const char *dir = read_string(r, store);
        int wiped = 0;
        for (int w = 0; dir && w < g_config.nwipe; w++)
            wiped |= !strcmp(dir, g_config.wipe[w]);
        if (!wiped) {
            *error = "a test run can only keep mounts that the reset empties (--wipe)";
            return -1;
        }
        out->keep[out->nkeep++] = dir;
    }
    out->ncases = (int)read_uint(r, 2);
    if (r->failed || out->ncases < 1 || out->ncases > MAX_CASES) {
        *error = "a test run needs between 1 and 1000 cases";
        return -1;
    }
    out->cases = calloc((size_t)out->ncases, sizeof *out->cases);
    for (int c = 0; c < out->ncases && !r->failed; c++) {
        struct test_case *t = &out->cases[c];
        t->timeout_ms = (uint32_t)read_uint(r, 4);
        t->cpu_ms = (uint32_t)read_uint(r, 4);
        t->memory_limit = read_uint(r, 8);
        t->output_limit = read_uint(r, 8);
        t->args = read_strings(r, store, &t->nargs);
        t->stdin_len = (uint32_t)read_uint(r, 4);
        if (r->failed || (size_t)(r->end - r->p) < t->stdin_len) {
            r->failed = 1;
            break;
        }
        memcpy(*store, r->p, t->stdin_len); /* the frame itself is released before the first process starts */
        t->stdin_data = *store;
        *store += t->stdin_len;
        r->p += t->stdin_len;
    }
    return 0;
}

/* Parses everything before the files section, and returns where the files section starts. */
int parse_run_request(const unsigned char *payload, size_t len, int is_test, struct run_request *out, const char **error)
{
    struct reader r = {payload, payload + len, 0};
    memset(out, 0, sizeof *out);
    /* Strings are copied with their terminators; twice the payload size is always enough room. */
    out->payload = malloc(len * 2 + 16);
    unsigned char *store = out->payload;
    out->id = (uint32_t)read_uint(&r, 4);
    if (r.failed || out->id == 0) {
        *error = "a run needs an id other than 0";
        return -1;
    }
    out->is_test = is_test;
    out->limits.timeout_ms = (uint32_t)read_uint(&r, 4);
    out->limits.output_limit = read_uint(&r, 8);
    out->limits.cpu_ms = (uint32_t)read_uint(&r, 4);
    out->limits.memory_limit = read_uint(&r, 8);
    out->nsteps = (int)read_uint(&r, 2);
    if (r.failed || out->nsteps < 1 || out->nsteps > 8) {
        *error = "a run needs between 1 and 8 steps";
        return -1;
    }
    out->steps = calloc((size_t)out->nsteps, sizeof *out->steps);
    for (int s = 0; s < out->nsteps && !r.failed; s++) {
        int argc = (int)read_uint(&r, 2);
        if (argc < 1 || argc > 4096) {
            *error = "a step needs between 1 and 4096 arguments";
            return -1;
        }
        out->steps[s] = calloc((size_t)argc + 1, sizeof(char *));
        for (int a = 0; a < argc && !r.failed; a++)
            out->steps[s][a] = read_string(&r, &store);
    }
    out->env = read_strings(&r, &store, NULL);
    if (is_test && !r.failed && parse_cases(&r, &store, out, error) < 0)
        return -1;
    if (r.failed) {
        *error = "the run request is truncated or malformed";
        return -1;
    }
    return (int)(r.p - payload);
}

void free_run_request(struct run_request *req)
{
    for (int s = 0; req->steps && s < req->nsteps; s++)
        free(req->steps[s]);
    free(req->steps);
    free(req->env);
    for (int c = 0; req->cases && c < req->ncases; c++)
        free(req->cases[c].args);
    free(req->cases);
    free(req->payload);
    memset(req, 0, sizeof *req);
}
