/* Starts one step of a run as the unprivileged user, with fresh pipes for stdin, stdout and stderr. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static void child_fail(int report_fd, const char *what)
{
    int e = errno;
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s: %s", what, strerror(e));
    if (write(report_fd, msg, (size_t)n) < 0) { /* the parent reports a silent failure */ }
    _exit(127);
}

void start_child(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    setsid();
}

int become_user(uid_t uid, gid_t gid)
{
    return setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0 ? -1 : 0;
}

/* Runs in the forked child: never returns. A relay becomes the resident's uid instead, and relays instead of exec. */
static void become_program(char *const argv[], char *const envp[], uint32_t cpu_ms, int relay, int in, int out, int err,
                           int report_fd)
{
    start_child();

    /* The OOM killer must pick the program, never the agent. Raising the score needs no privilege. */
    int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adj >= 0) {
        if (write(adj, "1000", 4) < 0) { /* best effort */ }
        close(adj);
    }

    /* Out of the way of IMAGE_FD, which the image channel takes below. */
    int report_pipe = report_fd;
    report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, IMAGE_FD + 1);
    int image = images_child_fd();
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        child_fail(report_fd, "dup2");
    /* The image channel, without close-on-exec: dup3 refuses to copy a descriptor onto itself. */
    if (image == IMAGE_FD ? fcntl(IMAGE_FD, F_SETFD, 0) < 0 : image >= 0 && dup3(image, IMAGE_FD, 0) < 0)
        child_fail(report_fd, "the image channel");
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    if (cpu_ms) {
        /* The agent measures CPU time every LIMIT_POLL_MS and kills past the limit; this is the backstop, a second
         * later, in case the agent cannot keep up. */
        rlim_t seconds = (cpu_ms + 999) / 1000 + 1;
        struct rlimit cpu = {seconds, seconds + 1};
        setrlimit(RLIMIT_CPU, &cpu);
    }
    if (chdir(g_config.workdir) < 0)
        child_fail(report_fd, "chdir");
    uid_t uid = relay ? g_config.resident_uid : g_config.uid;
    gid_t gid = relay ? (gid_t)g_config.resident_uid : g_config.gid;
    if (become_user(uid, gid) < 0)
        child_fail(report_fd, "dropping privileges");
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    /* The agent opens everything close-on-exec; this makes sure of it, so no descriptor of the protocol leaks. */
    close_range(image >= 0 ? IMAGE_FD + 1 : 3, ~0u, CLOSE_RANGE_CLOEXEC);
    if (relay) {
        close(report_fd); /* as a successful exec would: the agent stops waiting for a failure */
        close(report_pipe);
        resident_relay(argv);
    }
    execvpe(argv[0], argv, envp);
    char what[300];
    snprintf(what, sizeof what, "cannot start '%s'", argv[0]);
    child_fail(report_fd, what);
}

static pid_t spawn(char *const argv[], char *const envp[], int with_stdin, uint32_t cpu_ms, int relay, int *in_fd,
                   int *out_fd, int *err_fd, char *error, size_t error_len)
{
    int in[2] = {-1, -1}, out[2], err[2], report[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
        snprintf(error, error_len, "pipe: %s", strerror(errno));
        return -1;
    }
    if (with_stdin) {
        if (pipe2(in, O_CLOEXEC) < 0) {
            snprintf(error, error_len, "pipe: %s", strerror(errno));
            return -1;
        }
    } else {
        in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }

    pid_t pid = fork();
    if (pid == 0)
        become_program(argv, envp, cpu_ms, relay, in[0], out[1], err[1], report[1]);

    close(in[0]);
    close(out[1]);
    close(err[1]);
    close(report[1]);
    images_forked();
    if (pid < 0) {
        snprintf(error, error_len, "fork: %s", strerror(errno));
        close(in[1]);
        close(out[0]);
        close(err[0]);
        close(report[0]);
        return -1;
    }
    /* The report pipe closes on a successful exec; anything read from it is the reason exec failed. */
    ssize_t n;
    do
        n = read(report[0], error, error_len - 1);
    while (n < 0 && errno == EINTR);
    close(report[0]);
    error[n > 0 ? n : 0] = 0;

    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    if (in[1] >= 0)
        fcntl(in[1], F_SETFL, O_NONBLOCK);
    *in_fd = in[1];
    *out_fd = out[0];
    *err_fd = err[0];
    return pid;
}

pid_t spawn_step(char *const argv[], char *const envp[], int with_stdin, uint32_t cpu_ms, int *in_fd, int *out_fd,
                 int *err_fd, char *error, size_t error_len)
{
    return spawn(argv, envp, with_stdin, cpu_ms, 0, in_fd, out_fd, err_fd, error, error_len);
}

pid_t spawn_relay(char *const argv[], uint32_t cpu_ms, int *in_fd, int *out_fd, int *err_fd, char *error,
                  size_t error_len)
{
    return spawn(argv, NULL, 0, cpu_ms, 1, in_fd, out_fd, err_fd, error, error_len);
}
