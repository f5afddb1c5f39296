/* Returns the container to the state it had when it started: no process but the agent, every writable mount
 * empty with its root as Docker made it (wipe.c), and no System V IPC object left. PROTOCOL.md lists every kind
 * of state a program can leave, and what clears or refuses it. */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void reap(void (*on_reap)(pid_t, int, const struct rusage *))
{
    int status;
    struct rusage ru;
    pid_t pid;
    while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0)
        if (on_reap)
            on_reap(pid, status, &ru);
}

/* Kills every process but PID 1 and the resident compiler that it finds in /proc; returns how many it found. */
static int kill_listed(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d))) {
        pid_t pid = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? (pid_t)atoi(e->d_name) : 0;
        if (pid > 1 && pid != resident_pid()) {
            kill(pid, SIGKILL);
            count++;
        }
    }
    closedir(d);
    return count;
}

/* One sweep over the program's processes. Without a resident, kill(-1) from PID 1 reaches every other process of the
 * container, setsid and nohup ones included. With one, a child that becomes the program's user sends kill(-1): it
 * reaches every process of that uid at once (the kernel walks them under one lock, so a fork bomb cannot outrun it)
 * and never the resident, another uid; what is left of other uids (a relay) is killed by name from /proc. */
static int sweep(void)
{
    if (resident_pid() <= 0)
        return kill(-1, SIGKILL) < 0 && errno == ESRCH ? 0 : 1;
    pid_t killer = fork();
    if (killer == 0) {
        if (become_user(g_config.uid, g_config.gid) < 0)
            _exit(1);
        kill(-1, SIGKILL);
        _exit(0);
    }
    if (killer > 0)
        while (waitpid(killer, NULL, 0) < 0 && errno == EINTR) {
        }
    return kill_listed();
}

int kill_all_processes(void (*on_reap)(pid_t, int, const struct rusage *))
{
    struct timespec pause = {0, 200000};
    uint64_t give_up = now_ms() + 3000;
    for (;;) {
        int none_left = sweep() == 0;
        reap(on_reap);
        if (none_left)
            return 0;
        if (now_ms() > give_up)
            return -1;
        nanosleep(&pause, NULL);
    }
}

static int other_processes(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    struct dirent *e;
    int count = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && atoi(e->d_name) != 1 && atoi(e->d_name) != resident_pid())
            count++;
    closedir(d);
    return count;
}

/* System V IPC objects outlive their processes. Only their owner (or CAP_SYS_ADMIN, which nobody here has) may
 * remove them, so a child becomes the program's user to do it. */
static int ipc_objects(int remove)
{
    static const char *files[] = {"/proc/sysvipc/shm", "/proc/sysvipc/msg", "/proc/sysvipc/sem"};
    int count = 0;
    pid_t child = remove ? fork() : 0;
    if (child > 0) {
        int status;
        waitpid(child, &status, 0);
        return 0;
    }
    if (remove && become_user(g_config.uid, g_config.gid) < 0)
        _exit(1);
    for (int f = 0; f < 3; f++) {
        FILE *in = fopen(files[f], "re");
        if (!in)
            continue;
        char line[512];
        int first = 1;
        while (fgets(line, sizeof line, in)) {
            long key, id;
            if (first || sscanf(line, "%ld %ld", &key, &id) != 2) {
                first = 0;
                continue;
            }
            count++;
            if (remove)
                f == 0 ? shmctl((int)id, IPC_RMID, NULL) : f == 1 ? msgctl((int)id, IPC_RMID, NULL)
                                                                  : semctl((int)id, 0, IPC_RMID);
        }
        fclose(in);
    }
    if (remove)
        _exit(0);
    return count;
}

static int reset(void (*on_reap)(pid_t, int, const struct rusage *), char *error, size_t error_len)
{
    if (kill_all_processes(on_reap) < 0) {
        snprintf(error, error_len, "processes survived SIGKILL for 3 s");
        return -1;
    }
    int wiped = 0;
    for (int i = 0; i < g_config.nwipe; i++)
        wiped |= wipe_mount(g_config.wipe[i], error, error_len);
    if (ipc_objects(0) > 0)
        ipc_objects(1);
    if (wiped < 0)
        return -1;

    for (int i = 0; i < g_config.nwipe; i++)
        if (check_mount_root(g_config.wipe[i], error, error_len) < 0)
            return -1;
    int others = other_processes();
    if (others != 0) {
        snprintf(error, error_len, "%d processes are left", others);
        return -1;
    }
    if (ipc_objects(0) != 0) {
        snprintf(error, error_len, "System V IPC objects are left");
        return -1;
    }
    return 0;
}

int reset_container(void (*on_reap)(pid_t, int, const struct rusage *), char *error, size_t error_len)
{
    error[0] = 0;
    int rc = reset(on_reap, error, error_len);
    notes_done();
    return rc;
}

/* The memory cgroup's OOM-kill counter (cgroup v1 memory.oom_control, or v2 memory.events). */
uint64_t read_oom_kills(void)
{
    static const char *files[] = {"/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events"};
    for (int f = 0; f < 2; f++) {
        FILE *in = fopen(files[f], "re");
        if (!in)
            continue;
        char name[64];
        unsigned long long value;
        while (fscanf(in, "%63s %llu", name, &value) == 2)
            if (!strcmp(name, "oom_kill")) {
                fclose(in);
                return value;
            }
        fclose(in);
    }
    return 0;
}
