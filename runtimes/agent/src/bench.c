/* `coderunner-agent --bench N -- STEP [--then STEP]...`: the floor of the benchmark. Started inside a running
 * container (docker exec), it runs the steps N times through the same spawn code as real runs, in the workspace,
 * as the program user, with its own environment, and prints each iteration's wall time in milliseconds. It pauses
 * between iterations (untimed) so that the container's CPU quota refills, as it does between a student's runs. */
#include "agent.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void drain(int out, int err)
{
    char chunk[65536];
    struct pollfd fds[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            die("poll: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR))) {
                close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
    }
}

int bench_main(int iterations, char **steps)
{
    char *argv[64][64];
    int nsteps = 0, argc = 0;
    for (char **a = steps; *a; a++) {
        if (!strcmp(*a, "--then")) {
            argv[nsteps++][argc] = NULL;
            argc = 0;
        } else if (argc < 63) {
            argv[nsteps][argc++] = *a;
        }
    }
    argv[nsteps++][argc] = NULL;

    for (int i = 0; i < iterations; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int s = 0; s < nsteps; s++) {
            char error[256];
            int in, out, err, status;
            pid_t pid = spawn_step(argv[s], environ, 0, 0, &in, &out, &err, error, sizeof error);
            if (pid < 0 || error[0])
                die("step %d: %s", s, error);
            drain(out, err);
            waitpid(pid, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                die("step %d failed with status %d", s, status);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("%.3f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
        fflush(stdout);
        struct timespec pause = {0, BENCH_PAUSE_MS * 1000000L};
        nanosleep(&pause, NULL);
    }
    return 0;
}
