/* coderunner-agent: PID 1 of every runtime container. See ../PROTOCOL.md. */
#ifndef CODERUNNER_AGENT_H
#define CODERUNNER_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define AGENT_PROTOCOL_VERSION 2
#define FRAME_HEADER_SIZE 8
#define MAX_FRAME_SIZE (64u * 1024u * 1024u)
#define MAX_WIPE_DIRS 8

/* Engine -> agent */
enum { F_RUN = 0x01, F_STDIN = 0x02, F_STDIN_EOF = 0x03, F_KILL = 0x04 };
/* Agent -> engine */
enum { F_READY = 0x81, F_STDOUT = 0x82, F_STDERR = 0x83, F_STEP = 0x84, F_EXIT = 0x85 };
/* EXIT flags */
enum {
    X_TIMED_OUT = 1, X_OUT_OF_MEMORY = 2, X_OUTPUT_LIMIT = 4, X_KILLED = 8, X_SPAWN_FAILED = 16
};

/* Lines of diagnostics one reset may write to stderr; the rest are only counted. */
#define RESET_NOTE_LINES 5
/* Every wipe root is owned by root with this mode, so that a program can fill it but never change it. */
#define WIPE_ROOT_MODE 01777
/* The roots' timestamps after every reset (2000-01-01 UTC): not even those carry from one run to the next. */
#define WIPE_ROOT_TIME 946684800

struct config {
    uid_t uid;
    gid_t gid;
    const char *workdir;
    const char *wipe[MAX_WIPE_DIRS];
    int nwipe;
};

struct buffer {
    unsigned char *data;
    size_t len, cap;
};

struct run_request {
    uint32_t id;            /* chosen by the engine, never 0; STDIN, STDIN_EOF and KILL carry it too */
    uint32_t timeout_ms;
    uint64_t output_limit;
    int nsteps;
    char ***steps;  /* NULL-terminated argv per step */
    char **env;     /* NULL-terminated */
    unsigned char *payload; /* owns the strings above point into a copy */
};

struct run {
    int active;
    int step_pending;       /* accepted, first step not started yet */
    struct run_request req;
    int step;
    pid_t pid;
    int out_fd, err_fd, in_fd;
    struct buffer stdin_pending;
    int stdin_eof;          /* engine closed stdin */
    int main_exited;
    int status;             /* wait status of the current step */
    long maxrss_kb;         /* the largest of every process of the run that the agent reaped */
    uint64_t start_ms, deadline_ms, drain_deadline_ms;
    uint64_t output_bytes;
    uint32_t flags;
    struct rusage children_at_start;
    uint64_t oom_kills_at_start;
};

extern struct config g_config;

/* What a run reports at its end (the EXIT frame). */
struct run_result {
    int32_t code, signal;
    uint32_t wall_ms, cpu_ms;
    uint64_t peak_rss;
    uint32_t flags;
    uint16_t step;
};

/* util.c */
uint64_t now_ms(void);
void buf_append(struct buffer *b, const void *data, size_t len);
void buf_consume(struct buffer *b, size_t len);
void buf_release(struct buffer *b);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notes_done(void);
const char *printable(const char *name, char *out, size_t out_len);

/* proto.c */
void send_frame(uint8_t type, const void *payload, size_t len);
void send_text(uint8_t type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void send_ready(int ok, const char *message);
void send_exit(const struct run_result *result);
size_t next_frame(const struct buffer *in, uint8_t *type, size_t *len);
int parse_run_request(const unsigned char *payload, size_t len, struct run_request *out, const char **error);
void free_run_request(struct run_request *req);

/* files.c */
int write_files(const unsigned char *payload, size_t len, const char **error);
int valid_relative_path(const char *path);

/* spawn.c */
pid_t spawn_step(char *const argv[], char *const envp[], int with_stdin, int *in_fd, int *out_fd, int *err_fd,
                 char *error, size_t error_len);

/* bench.c: the pause between iterations, longer than one CFS period (100 ms) */
#define BENCH_PAUSE_MS 200
int bench_main(int iterations, char **steps);

/* reset.c */
int kill_all_processes(void (*on_reap)(pid_t, int, const struct rusage *));
int reset_container(void (*on_reap)(pid_t, int, const struct rusage *), char *error, size_t error_len);
uint64_t read_oom_kills(void);

/* wipe.c */
int wipe_mount(const char *root, char *error, size_t error_len);
int check_mount_root(const char *root, char *error, size_t error_len);

#endif
