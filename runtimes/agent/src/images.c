/* The image channel: a socket that every step of a run has as descriptor IMAGE_FD. A program writes images to it,
 * each a u32 length (little-endian) and that many bytes of PNG, and reads one byte back once the agent has sent it
 * on. The agent first sends the text the program wrote before, so an image lands in order with the output.
 * Whatever a program writes here, the agent reads at most IMAGE_MAX_BYTES + IMAGE_HEADER at a time, and drops what
 * is not a PNG with a message. See ../PROTOCOL.md, "Images". */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The length, then the PNG signature: what the agent checks before it keeps any byte. */
#define IMAGE_HEADER 12

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static struct {
    int fd;                 /* the agent's end, or -1 */
    int child_fd;           /* the program's end until it is forked, or -1 */
    unsigned char header[IMAGE_HEADER];
    size_t header_len;
    uint32_t length;        /* of the image being read */
    unsigned char *data;    /* the image being kept, or NULL while one too large is skipped */
    size_t got;             /* bytes of the image read so far, signature included */
    unsigned count;         /* images sent in this run */
    uint64_t bytes;         /* bytes of images sent in this run */
    int run_cap_said;       /* the per-run cap was reported once; later images are dropped silently */
} g_img = {.fd = -1, .child_fd = -1};

void images_reset(void)
{
    g_img.count = 0;
    g_img.bytes = 0;
    g_img.run_cap_said = 0;
}

int images_open(void)
{
    images_close(NULL);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    g_img.fd = sv[0];
    g_img.child_fd = sv[1];
    return sv[1];
}

void images_forked(void)
{
    if (g_img.child_fd >= 0)
        close(g_img.child_fd);
    g_img.child_fd = -1;
}

int images_fd(void)
{
    return g_img.fd;
}

int images_child_fd(void)
{
    return g_img.child_fd;
}

static void ack(void)
{
    unsigned char one = 1;
    /* A program that never reads its acknowledgements only fills its own socket. */
    if (send(g_img.fd, &one, 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
    }
}

static void forget_image(void)
{
    free(g_img.data);
    g_img.data = NULL;
    g_img.header_len = 0;
    g_img.got = 0;
    g_img.length = 0;
}

/* Data that is not an image: the stream cannot be trusted past it, so the channel closes for the rest of the step. */
static void refuse_channel(void)
{
    send_text(F_STDERR, "coderunner: the program wrote something that is not a PNG image to the image channel; "
                        "no further image of this step is shown\n");
    forget_image();
    close(g_img.fd);
    g_img.fd = -1;
}

/* The header is whole: decide whether to keep the image, skip it, or refuse the channel. */
static void header_done(void (*drain_text)(void))
{
    memcpy(&g_img.length, g_img.header, 4);
    if (g_img.length < sizeof png_signature || memcmp(g_img.header + 4, png_signature, sizeof png_signature)) {
        refuse_channel();
        return;
    }
    g_img.got = sizeof png_signature;
    const char *why = NULL;
    if (g_img.length > IMAGE_MAX_BYTES)
        why = "over the cap of " IMAGE_MAX_TEXT " per image";
    else if (g_img.count >= IMAGE_MAX_COUNT || g_img.bytes + g_img.length > IMAGE_RUN_MAX_BYTES) {
        if (!g_img.run_cap_said)
            why = "over the cap of " IMAGE_RUN_MAX_TEXT " per run";
        g_img.run_cap_said = 1;
        if (!why)
            return; /* skipped silently: said once */
    } else if (!(g_img.data = malloc(g_img.length))) {
        why = "more than the agent could hold";
    }
    if (why) {
        drain_text();
        send_text(F_STDERR, "coderunner: an image of %u bytes was dropped: %s\n", g_img.length, why);
        return;
    }
    memcpy(g_img.data, png_signature, sizeof png_signature);
}

static void image_done(void (*drain_text)(void))
{
    if (g_img.data) {
        drain_text();
        send_frame(F_IMAGE, g_img.data, g_img.length);
        g_img.count++;
        g_img.bytes += g_img.length;
    }
    forget_image();
    ack();
}

void images_read(void (*drain_text)(void))
{
    /* Bounded, so that a program writing without pause never keeps the agent from its timeouts. */
    for (int reads = 0; reads < 256 && g_img.fd >= 0; reads++) {
        unsigned char chunk[65536];
        unsigned char *into = chunk;
        size_t want = sizeof chunk;
        if (g_img.header_len < IMAGE_HEADER) {
            into = g_img.header + g_img.header_len;
            want = IMAGE_HEADER - g_img.header_len;
        } else if (g_img.data) {
            into = g_img.data + g_img.got;
            want = g_img.length - g_img.got;
        } else if (g_img.length - g_img.got < want) {
            want = g_img.length - g_img.got;
        }
        ssize_t n = read(g_img.fd, into, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            if (g_img.header_len)
                send_text(F_STDERR, "coderunner: an image was cut short and dropped\n");
            forget_image();
            close(g_img.fd);
            g_img.fd = -1;
            return;
        }
        if (g_img.header_len < IMAGE_HEADER) {
            g_img.header_len += (size_t)n;
            if (g_img.header_len == IMAGE_HEADER)
                header_done(drain_text);
            if (g_img.fd >= 0 && g_img.header_len == IMAGE_HEADER && g_img.got == g_img.length)
                image_done(drain_text);
            continue;
        }
        g_img.got += (size_t)n;
        if (g_img.got == g_img.length)
            image_done(drain_text);
    }
}

void images_close(void (*drain_text)(void))
{
    /* A program may write an image and exit without waiting for the acknowledgement: what is there still counts. */
    if (drain_text && g_img.fd >= 0)
        images_read(drain_text);
    forget_image();
    if (g_img.fd >= 0)
        close(g_img.fd);
    g_img.fd = -1;
    images_forked();
}
