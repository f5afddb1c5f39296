/* The resident compiler (see ../PROTOCOL.md, "Resident compiler"): a process the agent starts with the container and
 * keeps across runs, as a uid of its own, that does a toolchain's repeated work once. A step whose command is the
 * one it stands for (`--resident-for`) goes to it through a relay: a child of the agent that takes the resident's
 * uid, writes the request on the resident's stdin, and turns the answer into its own stdout, stderr and exit code.
 * The relay is an ordinary step to the rest of the agent (pipes, timeout, KILL, figures). Programs never reach the
 * resident: it is another uid, it has no socket or file, and its pipes are the agent's alone (close-on-exec). */
#include "agent.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The answer's records: a kind byte, a u32 length (big-endian, as Java's DataOutputStream writes it), the bytes. */
enum { ANSWER_STDOUT = 1, ANSWER_STDERR = 2, ANSWER_EXIT = 3 };
/* At most this much of an answer is held before it is written on: javac's own output is far smaller. */
#define RELAY_HOLD_MAX (16u * 1024u * 1024u)

static pid_t g_pid;
static int g_requests = -1, g_answers = -1; /* the agent's ends: the resident's stdin and stdout */

pid_t resident_pid(void)
{
    return g_pid;
}

int resident_serves(char *const argv[])
{
    return g_pid > 0 && g_config.resident_for && argv[0] && !strcmp(argv[0], g_config.resident_for);
}

static void close_pipes(void)
{
    if (g_requests >= 0)
        close(g_requests);
    if (g_answers >= 0)
        close(g_answers);
    g_requests = g_answers = -1;
}

void resident_start(void)
{
    if (!g_config.resident || g_pid > 0)
        return;
    int requests[2], answers[2];
    if (pipe2(requests, O_CLOEXEC) < 0 || pipe2(answers, O_CLOEXEC) < 0) {
        warnx("the resident compiler cannot start: pipe: %s", strerror(errno));
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        start_child();
        if (dup2(requests[0], 0) < 0 || dup2(answers[1], 1) < 0 || chdir(g_config.workdir) < 0 ||
            become_user(g_config.resident_uid, (gid_t)g_config.resident_uid) < 0)
            _exit(127);
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        /* stderr stays the agent's: what the resident says there reaches the engine's log. */
        close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
        char *argv[] = {(char *)g_config.resident, NULL};
        char *envp[] = {"LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin", NULL};
        execve(argv[0], argv, envp);
        _exit(127);
    }
    close(requests[0]);
    close(answers[1]);
    if (pid < 0) {
        warnx("the resident compiler cannot start: fork: %s", strerror(errno));
        close(requests[1]);
        close(answers[0]);
        return;
    }
    g_pid = pid;
    g_requests = requests[1];
    g_answers = answers[0];
}

int resident_reaped(pid_t pid, int status)
{
    if (pid != g_pid || pid <= 0)
        return 0;
    warnx("the resident compiler (pid %d) ended (%s %d); %s runs as a plain step until it is restarted after the run",
          pid, WIFSIGNALED(status) ? "signal" : "exit code", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
          g_config.resident_for);
    g_pid = 0;
    close_pipes();
    return 1;
}

void resident_stop(struct rusage *usage)
{
    struct rusage ignored;
    usage = usage ? usage : &ignored;
    memset(usage, 0, sizeof *usage);
    if (g_pid <= 0)
        return;
    pid_t pid = g_pid;
    kill(pid, SIGKILL);
    int status;
    while (wait4(pid, &status, 0, usage) < 0 && errno == EINTR) {
    }
    g_pid = 0;
    close_pipes();
}

static void put_u32(struct buffer *b, uint32_t value)
{
    uint32_t be = htonl(value);
    buf_append(b, &be, 4);
}

/* Runs in the relay child, as the resident's uid: never returns. Output is held until the answer is whole, so that
 * a resident that dies midway leaves nothing written, and the agent can run the step plainly instead. */
void resident_relay(char *const argv[])
{
    /* A resident that died but is not reaped yet must read as gone (EPIPE), not kill the relay with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    struct buffer request = {0}, held[2] = {{0}, {0}};
    int argc = 0;
    while (argv[argc])
        argc++;
    put_u32(&request, (uint32_t)argc);
    for (int i = 0; i < argc; i++) {
        put_u32(&request, (uint32_t)strlen(argv[i]));
        buf_append(&request, argv[i], strlen(argv[i]));
    }
    if (write_all(g_requests, request.data, request.len) < 0)
        _exit(RESIDENT_GONE);
    int writing = 0; /* past RELAY_HOLD_MAX, output goes on as it comes */
    for (;;) {
        unsigned char kind;
        uint32_t len;
        if (read_all(g_answers, &kind, 1) < 0 || read_all(g_answers, &len, 4) < 0)
            _exit(writing ? 1 : RESIDENT_GONE);
        len = ntohl(len);
        if (kind == ANSWER_EXIT) {
            int32_t code;
            if (len != 4 || read_all(g_answers, &code, 4) < 0)
                _exit(writing ? 1 : RESIDENT_GONE);
            for (int i = 0; i < 2; i++)
                if (held[i].len && write_all(i + 1, held[i].data, held[i].len) < 0) {
                    /* the agent closed the pipe: the step is being killed */
                }
            _exit((int)ntohl((uint32_t)code) & 0xff);
        }
        if ((kind != ANSWER_STDOUT && kind != ANSWER_STDERR) || len > RELAY_HOLD_MAX)
            _exit(writing ? 1 : RESIDENT_GONE);
        struct buffer *into = &held[kind == ANSWER_STDERR];
        unsigned char chunk[65536];
        while (len) {
            size_t n = len < sizeof chunk ? len : sizeof chunk;
            if (read_all(g_answers, chunk, n) < 0)
                _exit(writing ? 1 : RESIDENT_GONE);
            buf_append(into, chunk, n);
            len -= (uint32_t)n;
        }
        if (held[0].len + held[1].len > RELAY_HOLD_MAX) {
            writing = 1;
            for (int i = 0; i < 2; i++) {
                write_all(i + 1, held[i].data, held[i].len);
                held[i].len = 0;
            }
        }
    }
}
