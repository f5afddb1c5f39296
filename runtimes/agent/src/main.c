/* coderunner-agent: PID 1 of a runtime container. It reads frames from the engine on stdin, runs the steps of
 * one run at a time as an unprivileged user, streams their output as frames on stdout, and resets the container
 * after every run. The protocol is described in ../PROTOCOL.md. */
#include "agent.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define DRAIN_GRACE_MS 2000

struct config g_config = {.uid = 1000, .gid = 1000, .workdir = "/workspace"};
static struct run g_run = {.out_fd = -1, .err_fd = -1, .in_fd = -1, .case_index = -1, .snapshot_fd = -1};
static struct buffer g_input;
static int g_input_open = 1;

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* The resident compiler's CPU time is not the run's, though RUSAGE_CHILDREN counts it once the agent reaps it. */
static void discount(const struct rusage *ru)
{
    if (!g_run.active)
        return;
    timeradd(&g_run.children_at_start.ru_utime, &ru->ru_utime, &g_run.children_at_start.ru_utime);
    timeradd(&g_run.children_at_start.ru_stime, &ru->ru_stime, &g_run.children_at_start.ru_stime);
}

/* Every process reaped while a run is active belongs to it: its main process, what that one forked and waited for
 * (counted in the main process's own figures), and orphans killed at the end. The peak is the largest of them. */
static void on_reap(pid_t pid, int status, const struct rusage *ru)
{
    if (resident_reaped(pid, status)) {
        discount(ru);
        return;
    }
    if (!g_run.active)
        return;
    if (ru->ru_maxrss > g_run.maxrss_kb)
        g_run.maxrss_kb = ru->ru_maxrss;
    if (pid != g_run.pid || g_run.main_exited)
        return;
    g_run.main_exited = 1;
    g_run.status = status;
    /* Whatever the program left running dies with it: nothing outlives its run. */
    kill_all_processes(on_reap);
    g_run.drain_deadline_ms = now_ms() + DRAIN_GRACE_MS;
    close_fd(&g_run.in_fd);
}

static void kill_run(uint32_t flag)
{
    g_run.flags |= flag;
    kill_all_processes(on_reap);
}

/* Starts argv as the process of the run now: a step, or a case of a test run (frame F_CASE). */
static void spawn_current(char **argv, int with_stdin, uint8_t frame, int index)
{
    char error[512];
    g_run.main_exited = 0;
    images_open();
    /* A compile step the resident compiler stands in for goes to it, unless it is not running now. */
    g_run.relay = frame == F_STEP && resident_serves(argv);
    g_run.pid = g_run.relay ? spawn_relay(argv, g_run.limits.cpu_ms, &g_run.in_fd, &g_run.out_fd, &g_run.err_fd, error,
                                          sizeof error)
                            : spawn_step(argv, g_run.req.env, with_stdin, g_run.limits.cpu_ms, &g_run.in_fd,
                                         &g_run.out_fd, &g_run.err_fd, error, sizeof error);
    uint16_t i = (uint16_t)index;
    if (!g_run.step_sent || frame != F_STEP)
        send_frame(frame, &i, sizeof i);
    g_run.step_sent = 0;
    if (error[0]) {
        g_run.flags |= X_SPAWN_FAILED;
        send_text(F_STDERR, "%s\n", error);
    }
    if (g_run.pid < 0) { /* fork itself failed: nothing to wait for */
        g_run.main_exited = 1;
        g_run.status = 127 << 8;
    }
}

static uint64_t cpu_us(const struct rusage *ru)
{
    return (uint64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000u +
           (uint64_t)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec);
}

/* A run with a CPU or a memory limit of its own is measured every LIMIT_POLL_MS. */
static int measured(void)
{
    return g_run.limits.cpu_ms || g_run.limits.memory_limit;
}

static void check_limits(void)
{
    uint64_t cpu_ms, rss;
    if (measure_run(&cpu_ms, &rss) < 0)
        return;
    struct rusage reaped;
    getrusage(RUSAGE_CHILDREN, &reaped);
    cpu_ms += (cpu_us(&reaped) - cpu_us(&g_run.children_at_start)) / 1000u;
    if (rss / 1024u > (uint64_t)g_run.maxrss_kb)
        g_run.maxrss_kb = (long)(rss / 1024u);
    if (g_run.limits.cpu_ms && cpu_ms > g_run.limits.cpu_ms)
        kill_run(X_CPU_LIMIT);
    else if (g_run.limits.memory_limit && rss > g_run.limits.memory_limit)
        kill_run(X_OUT_OF_MEMORY);
}

static void start_step(void)
{
    spawn_current(g_run.req.steps[g_run.step], g_run.step == g_run.req.nsteps - 1, F_STEP, g_run.step);
}

/* What a run or a case measures from its start. */
static void start_clock(uint32_t timeout_ms)
{
    g_run.start_ms = now_ms();
    /* A timeout of 0 is none: a notebook kernel lives until the engine ends it. */
    g_run.deadline_ms = timeout_ms ? g_run.start_ms + timeout_ms : UINT64_MAX;
    getrusage(RUSAGE_CHILDREN, &g_run.children_at_start);
    g_run.oom_kills_at_start = read_oom_kills();
    images_reset();
}

/* The figures of the run, or of the case, that just ended. */
static struct run_result result_now(void)
{
    /* RUSAGE_CHILDREN and the OOM counter add up over the container's life: the run's share is the difference. */
    struct rusage now;
    getrusage(RUSAGE_CHILDREN, &now);
    if (read_oom_kills() > g_run.oom_kills_at_start)
        g_run.flags |= X_OUT_OF_MEMORY;
    uint32_t cpu_ms = (uint32_t)((cpu_us(&now) - cpu_us(&g_run.children_at_start)) / 1000u);
    uint64_t peak = (uint64_t)g_run.maxrss_kb * 1024u;
    /* A spike shorter than LIMIT_POLL_MS is still over the limit. */
    if (g_run.limits.cpu_ms && cpu_ms > g_run.limits.cpu_ms)
        g_run.flags |= X_CPU_LIMIT;
    if (g_run.limits.memory_limit && peak > g_run.limits.memory_limit)
        g_run.flags |= X_OUT_OF_MEMORY;
    struct run_result result = {
        .code = WIFEXITED(g_run.status) ? WEXITSTATUS(g_run.status) : -1,
        .signal = WIFSIGNALED(g_run.status) ? WTERMSIG(g_run.status) : 0,
        .wall_ms = (uint32_t)(now_ms() - g_run.start_ms),
        .cpu_ms = cpu_ms,
        .peak_rss = peak,
        .flags = g_run.flags,
        .step = (uint16_t)g_run.step,
    };
    return result;
}

static void finish_run(void)
{
    struct run_result result = result_now();
    if (g_run.req.is_test && g_run.case_index >= 0) {
        /* The test run's own EXIT: the cases reported their figures; this says whether it was cut short. */
        result = (struct run_result){.code = 0, .wall_ms = (uint32_t)(now_ms() - g_run.test_start_ms),
                                     .flags = g_run.aborted ? X_KILLED : 0, .step = (uint16_t)g_run.step};
    }
    outfiles_send(); /* before EXIT, so that the verdict has them */
    outfiles_forget();
    send_exit(F_EXIT, -1, &result);

    if (g_run.snapshot_fd >= 0)
        close(g_run.snapshot_fd);
    free(g_run.case_argv);
    free_run_request(&g_run.req);
    free(g_run.stdin_pending.data);
    memset(&g_run, 0, sizeof g_run);
    g_run.out_fd = g_run.err_fd = g_run.in_fd = g_run.snapshot_fd = -1;
    g_run.case_index = -1;

    char error[512] = "";
    int ok = reset_container(on_reap, error, sizeof error) == 0;
    resident_start(); /* again, if it died or was stopped during the run */
    send_ready(ok, ok ? NULL : error);
}

/* Starts case i of a test run, from the workspace as it was after compiling. */
static void start_case(int i)
{
    struct test_case *c = &g_run.req.cases[i];
    char **run_step = g_run.req.steps[g_run.req.nsteps - 1];
    int base = 0;
    while (run_step[base])
        base++;
    free(g_run.case_argv);
    g_run.case_argv = calloc((size_t)(base + c->nargs + 1), sizeof(char *));
    memcpy(g_run.case_argv, run_step, (size_t)base * sizeof(char *));
    memcpy(g_run.case_argv + base, c->args, (size_t)c->nargs * sizeof(char *));

    g_run.case_index = i;
    g_run.flags = 0;
    g_run.status = 0;
    g_run.maxrss_kb = 0;
    g_run.output_bytes = 0;
    g_run.limits = (struct limits){c->timeout_ms, c->cpu_ms, c->memory_limit, c->output_limit};
    g_run.stdin_pending.len = 0;
    buf_append(&g_run.stdin_pending, c->stdin_data, c->stdin_len);
    g_run.stdin_eof = 1;
    start_clock(c->timeout_ms);
    spawn_current(g_run.case_argv, 1, F_CASE, i);
}

/* A test run stops where it cannot go on: the message goes with its EXIT, and no further case starts. */
static void abort_test(const char *error)
{
    send_text(F_STDERR, "coderunner: %s\n", error);
    g_run.aborted = 1;
    finish_run();
}

/* The test run compiled: keep the workspace, then run every case from it. */
static void start_cases(void)
{
    char error[512] = "";
    g_run.test_start_ms = g_run.start_ms;
    g_run.snapshot_fd = snapshot_take(g_run.req.keep, g_run.req.nkeep, error, sizeof error);
    if (g_run.snapshot_fd < 0) {
        g_run.flags |= X_SPAWN_FAILED;
        g_run.status = 127 << 8;
        send_text(F_STDERR, "coderunner: %s\n", error);
        finish_run();
        return;
    }
    start_case(0);
}

/* A case ended: report it, then reset the container as after any run and put back the compiled workspace. */
static void case_done(void)
{
    struct run_result result = result_now();
    send_exit(F_CASE_EXIT, g_run.case_index, &result);
    if (g_run.aborted || g_run.case_index + 1 >= g_run.req.ncases) {
        finish_run();
        return;
    }
    char error[512] = "";
    if (reset_container(on_reap, error, sizeof error) < 0 ||
        snapshot_restore(g_run.snapshot_fd, g_run.req.keep, g_run.req.nkeep, error, sizeof error) < 0) {
        abort_test(error);
        return;
    }
    start_case(g_run.case_index + 1);
}

/* The next thing to run once the files are written or a compile step succeeded. */
static void start_next(void)
{
    if (g_run.req.is_test && g_run.step == g_run.req.nsteps - 1)
        start_cases();
    else
        start_step();
}

static void start_run(const unsigned char *payload, size_t len, int is_test)
{
    const char *error = NULL;
    if (g_run.active)
        die("a run was requested while another is active");
    outfiles_forget();
    int files_at = parse_run_request(payload, len, is_test, &g_run.req, &error);
    if (files_at < 0 || write_files(payload + files_at, len - (size_t)files_at, &error) < 0) {
        /* Nothing started: report it as a failed spawn of the first step. */
        g_run.active = 1;
        g_run.start_ms = now_ms();
        g_run.flags = X_SPAWN_FAILED;
        g_run.main_exited = 1;
        g_run.status = 127 << 8;
        send_text(F_STDERR, "coderunner: %s\n", error);
        finish_run();
        return;
    }
    if (!is_test) /* a test run's cases send no files */
        outfiles_arm();
    g_run.active = 1;
    g_run.limits = g_run.req.limits;
    start_clock(g_run.limits.timeout_ms);
    g_run.step_pending = 1; /* started once the RUN frame's memory is released: see process_input */
}

/* Returns whether it read anything. */
static int forward_output(int *fd, uint8_t type)
{
    unsigned char chunk[65536];
    ssize_t n = read(*fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n <= 0) {
        close_fd(fd);
        return 0;
    }
    if (g_run.flags & X_OUTPUT_LIMIT)
        return 1; /* past the cap: drain and drop */
    uint64_t room = g_run.limits.output_limit - g_run.output_bytes;
    size_t send = (uint64_t)n > room ? (size_t)room : (size_t)n;
    g_run.output_bytes += send;
    if (send)
        send_frame(type, chunk, send);
    if ((uint64_t)n > room)
        kill_run(X_OUTPUT_LIMIT);
    return 1;
}

/* Before an image goes out, the text written before it: the program flushed it, so it waits in the pipes. A pipe
 * holds at most 1 MiB (F_SETPIPE_SZ's ceiling); the bound keeps a program that writes on from holding the agent. */
static void drain_text(void)
{
    for (int i = 0; i < 16 && g_run.out_fd >= 0 && forward_output(&g_run.out_fd, F_STDOUT); i++) {
    }
    for (int i = 0; i < 16 && g_run.err_fd >= 0 && forward_output(&g_run.err_fd, F_STDERR); i++) {
    }
}

static void flush_stdin(void)
{
    struct buffer *b = &g_run.stdin_pending;
    if (g_run.in_fd < 0) {
        b->len = 0;
        return;
    }
    if (b->len) {
        ssize_t n = write(g_run.in_fd, b->data, b->len);
        if (n > 0)
            buf_consume(b, (size_t)n);
        else if (n < 0 && errno != EAGAIN && errno != EINTR)
            close_fd(&g_run.in_fd); /* the program closed its stdin */
    }
    if (!b->len && g_run.stdin_eof)
        close_fd(&g_run.in_fd);
}

/* STDIN, STDIN_EOF, KILL and SIGNAL start with the id of the run they are for. One that arrives late, for a run that
 * already ended, must never reach the next run's program. */
static int for_this_run(const unsigned char *payload, size_t len)
{
    uint32_t id;
    if (len < 4)
        die("a frame for a run is %zu bytes long, too short for its run id", len);
    memcpy(&id, payload, 4);
    return g_run.active && id == g_run.req.id;
}

/* SIGNAL: the run's process group gets the signal, as a terminal's would on Ctrl-C; only SIGINT is allowed, so the
 * engine can interrupt a notebook kernel's cell without ending it. */
static void signal_run(const unsigned char *payload, size_t len)
{
    uint32_t sig;
    if (len < 8)
        die("a SIGNAL frame is %zu bytes long, too short for its signal", len);
    memcpy(&sig, payload + 4, 4);
    if (sig != SIGINT) {
        warnx("refused a SIGNAL frame for signal %u: only SIGINT (%d) may be sent", sig, SIGINT);
        return;
    }
    if (g_run.pid > 0 && !g_run.main_exited)
        kill(-g_run.pid, SIGINT);
}

static void handle_frame(uint8_t type, const unsigned char *payload, size_t len)
{
    switch (type) {
    case F_RUN:
    case F_TEST_RUN:
        start_run(payload, len, type == F_TEST_RUN);
        break;
    case F_STDIN:
        if (for_this_run(payload, len) && !g_run.stdin_eof)
            buf_append(&g_run.stdin_pending, payload + 4, len - 4);
        break;
    case F_STDIN_EOF:
        if (for_this_run(payload, len))
            g_run.stdin_eof = 1;
        break;
    case F_KILL:
        if (for_this_run(payload, len)) {
            g_run.aborted = 1; /* a test run's further cases never start */
            kill_run(X_KILLED);
        }
        break;
    case F_SIGNAL:
        if (for_this_run(payload, len))
            signal_run(payload, len);
        break;
    default:
        die("unknown frame type 0x%02x", type);
    }
}

/* Handles every whole frame received so far. */
static void process_input(void)
{
    uint8_t type;
    size_t len, size;
    while ((size = next_frame(&g_input, &type, &len)) > 0) {
        handle_frame(type, g_input.data + FRAME_HEADER_SIZE, len);
        buf_consume(&g_input, size);
        if (g_run.step_pending) {
            /* A RUN frame can be megabytes: the program must not be forked while the agent still holds it. */
            buf_release(&g_input);
            g_run.step_pending = 0;
            start_next();
        }
    }
    buf_release(&g_input);
}

static void read_engine(void)
{
    unsigned char chunk[65536];
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        g_input_open = 0;
        return;
    }
    buf_append(&g_input, chunk, (size_t)n);
    process_input();
}

/* After the current step's process exited and its pipes drained: next step, or the verdict. */
static void step_done(void)
{
    images_close(drain_text);
    close_fd(&g_run.out_fd);
    close_fd(&g_run.err_fd);
    close_fd(&g_run.in_fd);
    if (g_run.case_index >= 0) {
        case_done();
        return;
    }
    if (g_run.relay && !(WIFEXITED(g_run.status) && WEXITSTATUS(g_run.status) < RESIDENT_GONE)) {
        /* The relay was killed, or the resident went away or answered nonsense: its state is unknown, so it goes,
         * and comes back after the run. A relay that wrote nothing (RESIDENT_GONE) is run again as a plain step. */
        struct rusage usage;
        resident_stop(&usage);
        discount(&usage);
        if (!g_run.flags && WIFEXITED(g_run.status) && WEXITSTATUS(g_run.status) == RESIDENT_GONE) {
            warnx("the resident compiler did not answer; %s runs as a plain step", g_run.req.steps[g_run.step][0]);
            g_run.step_sent = 1; /* the engine already has this step's STEP frame */
            start_step();
            return;
        }
    }
    int ok = WIFEXITED(g_run.status) && WEXITSTATUS(g_run.status) == 0 && !g_run.flags;
    if (ok && g_run.step + 1 < g_run.req.nsteps) {
        g_run.step++;
        start_next();
    } else {
        finish_run();
    }
}

static int hold(void)
{
    /* A network holder: keeps a network namespace alive for the containers that join it. */
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (;;) {
        int sig = sigwaitinfo(&all, NULL);
        if (sig == SIGTERM || sig == SIGINT)
            return 0;
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--hold"))
            exit(hold());
        if (!strcmp(a, "--bench") && v && i + 2 < argc && !strcmp(argv[i + 2], "--"))
            exit(bench_main(atoi(v), argv + i + 3));
        if (!v)
            die("option %s needs a value", a);
        if (!strcmp(a, "--uid"))
            g_config.uid = g_config.gid = (uid_t)atoi(v);
        else if (!strcmp(a, "--workdir"))
            g_config.workdir = v;
        else if (!strcmp(a, "--wipe") && g_config.nwipe < MAX_WIPE_DIRS)
            g_config.wipe[g_config.nwipe++] = v;
        else if (!strcmp(a, "--resident"))
            g_config.resident = v;
        else if (!strcmp(a, "--resident-for"))
            g_config.resident_for = v;
        else if (!strcmp(a, "--resident-uid"))
            g_config.resident_uid = (uid_t)atoi(v);
        else
            die("unknown option %s", a);
        i++;
    }
    if (g_config.nwipe == 0)
        die("name every writable mount to empty after a run with --wipe");
    if (g_config.resident && (!g_config.resident_for || g_config.resident_uid == 0 || g_config.resident_uid == g_config.uid))
        die("--resident needs --resident-for and a --resident-uid that is neither root nor the program's --uid");
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    /* Large buffers are mapped, so that freeing them gives their memory back (see buf_release). A fixed threshold
     * also stops glibc from raising it after the first large free. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    /* Programs inherit it: files they create get the usual modes whatever Docker gave PID 1. */
    umask(022);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    for (int fd = 0; fd <= 2; fd++)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(STDIN_FILENO, F_SETFL, O_NONBLOCK);

    char error[512] = "";
    int ok = reset_container(on_reap, error, sizeof error) == 0;
    resident_start();
    send_ready(ok, ok ? NULL : error);

    while (g_input_open || g_run.active) {
        struct pollfd fds[6] = {
            {g_input_open ? STDIN_FILENO : -1, POLLIN, 0},
            {sigfd, POLLIN, 0},
            {g_run.out_fd, POLLIN, 0},
            {g_run.err_fd, POLLIN, 0},
            {(g_run.stdin_pending.len || g_run.stdin_eof) ? g_run.in_fd : -1, POLLOUT, 0},
            {images_fd(), POLLIN, 0},
        };
        int timeout = -1;
        if (g_run.active) {
            uint64_t now = now_ms();
            uint64_t until = g_run.main_exited ? g_run.drain_deadline_ms : g_run.deadline_ms;
            timeout = until == UINT64_MAX ? -1 : until > now ? (int)(until - now > INT_MAX ? INT_MAX : until - now) : 0;
            if (!g_run.main_exited && measured() && (timeout < 0 || timeout > LIMIT_POLL_MS))
                timeout = LIMIT_POLL_MS;
        }
        if (poll(fds, 6, timeout) < 0 && errno != EINTR)
            die("poll: %s", strerror(errno));

        if (fds[1].revents) {
            struct signalfd_siginfo info;
            while (read(sigfd, &info, sizeof info) > 0) {
            }
            int status;
            struct rusage ru;
            pid_t pid;
            while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0)
                on_reap(pid, status, &ru);
        }
        if (fds[2].revents)
            forward_output(&g_run.out_fd, F_STDOUT);
        if (fds[3].revents)
            forward_output(&g_run.err_fd, F_STDERR);
        if (fds[4].revents)
            flush_stdin();
        if (fds[5].revents)
            images_read(drain_text);
        if (fds[0].revents)
            read_engine();

        if (!g_run.active)
            continue;
        uint64_t now = now_ms();
        if (!g_run.main_exited && now >= g_run.deadline_ms)
            kill_run(X_TIMED_OUT);
        if (!g_run.main_exited && measured())
            check_limits();
        if (g_run.main_exited && ((g_run.out_fd < 0 && g_run.err_fd < 0) || now >= g_run.drain_deadline_ms))
            step_done();
    }
    /* The engine went away: leave nothing running. */
    resident_stop(NULL);
    kill_all_processes(NULL);
    return 0;
}
