/* Frames on the container's stdin and stdout: u32 payload length, u8 type, 3 reserved bytes, payload.
 * All integers are little-endian. */
#include "agent.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_all(const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die("the engine stopped reading (write: %s)", n < 0 ? strerror(errno) : "closed");
        p += n;
        len -= (size_t)n;
    }
}

void send_frame(uint8_t type, const void *payload, size_t len)
{
    unsigned char header[FRAME_HEADER_SIZE] = {0};
    uint32_t n = (uint32_t)len;
    memcpy(header, &n, 4);
    header[4] = type;
    write_all(header, sizeof header);
    if (len)
        write_all(payload, len);
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

void send_exit(const struct run_result *r)
{
    unsigned char payload[4 + 4 + 4 + 4 + 8 + 4 + 2];
    unsigned char *p = payload;
    memcpy(p, &r->code, 4), p += 4;
    memcpy(p, &r->signal, 4), p += 4;
    memcpy(p, &r->wall_ms, 4), p += 4;
    memcpy(p, &r->cpu_ms, 4), p += 4;
    memcpy(p, &r->peak_rss, 8), p += 8;
    memcpy(p, &r->flags, 4), p += 4;
    memcpy(p, &r->step, 2);
    send_frame(F_EXIT, payload, sizeof payload);
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

/* Parses everything before the files section; *files_offset points at the files section. */
int parse_run_request(const unsigned char *payload, size_t len, struct run_request *out, const char **error)
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
    out->timeout_ms = (uint32_t)read_uint(&r, 4);
    out->output_limit = read_uint(&r, 8);
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
    int nenv = (int)read_uint(&r, 2);
    out->env = calloc((size_t)nenv + 1, sizeof(char *));
    for (int e = 0; e < nenv && !r.failed; e++)
        out->env[e] = read_string(&r, &store);
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
    free(req->payload);
    memset(req, 0, sizeof *req);
}
