/* coderunner-agent: PID 1 of every runtime container. See ../PROTOCOL.md. */
#ifndef CODERUNNER_AGENT_H
#define CODERUNNER_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define AGENT_PROTOCOL_VERSION 5
#define FRAME_HEADER_SIZE 8
#define MAX_FRAME_SIZE (64u * 1024u * 1024u)
#define MAX_WIPE_DIRS 8
#define MAX_CASES 1000
#define MAX_PATH_LEN 1024
/* A test run's workspace after compiling, kept to start each case from: at most this much. */
#define SNAPSHOT_MAX (64u * 1024u * 1024u)
/* How often a run with a CPU or memory limit is measured. */
#define LIMIT_POLL_MS 20

/* Engine -> agent */
enum { F_RUN = 0x01, F_STDIN = 0x02, F_STDIN_EOF = 0x03, F_KILL = 0x04, F_TEST_RUN = 0x05, F_SIGNAL = 0x06 };
/* Agent -> engine */
enum { F_READY = 0x81, F_STDOUT = 0x82, F_STDERR = 0x83, F_STEP = 0x84, F_EXIT = 0x85, F_CASE = 0x86, F_CASE_EXIT = 0x87,
       F_IMAGE = 0x88 };
/* Agent -> engine: a file the run wrote, or how many were left out (outfiles.c) */
enum { F_FILE = 0x89 };
/* EXIT flags */
enum {
    X_TIMED_OUT = 1, X_OUT_OF_MEMORY = 2, X_OUTPUT_LIMIT = 4, X_KILLED = 8, X_SPAWN_FAILED = 16, X_CPU_LIMIT = 32
};

/* The image channel (images.c): the descriptor every step gets, and the caps. */
#define IMAGE_FD 3
#define IMAGE_MAX_BYTES (4u * 1024u * 1024u)
#define IMAGE_MAX_TEXT "4 MiB"
#define IMAGE_RUN_MAX_BYTES (16u * 1024u * 1024u)
#define IMAGE_MAX_COUNT 50
#define IMAGE_RUN_MAX_TEXT "50 images or 16 MiB"

/* Output files (outfiles.c): what a run sends back at most. Past a cap, files are only counted. */
#define OUTFILES_MAX_COUNT 20
#define OUTFILES_MAX_FILE (4u * 1024u * 1024u)
#define OUTFILES_MAX_TOTAL (8u * 1024u * 1024u)
#define OUTFILES_MAX_DEPTH 32
enum { OUTFILE_KIND_FILE = 1, OUTFILE_KIND_LEFT_OUT = 2 };
enum { OUTFILES_OVER_COUNT = 1, OUTFILES_OVER_TOTAL = 2, OUTFILES_OVER_FILE = 4 };

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
    const char *resident;     /* --resident: the resident compiler's command, or NULL (resident.c) */
    const char *resident_for; /* --resident-for: the step command it stands in for, such as javac */
    uid_t resident_uid;       /* --resident-uid: never the program's */
};

struct buffer {
    unsigned char *data;
    size_t len, cap;
};

/* One case of a test run: its own limits, arguments after the run step's, and stdin given whole. */
struct test_case {
    uint32_t timeout_ms, cpu_ms;
    uint64_t memory_limit, output_limit;
    char **args; /* NULL-terminated */
    int nargs;
    const unsigned char *stdin_data; /* in the request's own storage */
    uint32_t stdin_len;
};

/* The limits in force for the process running now: a run's or a case's. */
struct limits {
    uint32_t timeout_ms, cpu_ms; /* timeout_ms 0: none (a notebook kernel); cpu_ms 0: none but the timeout */
    uint64_t memory_limit;       /* 0: none but the container's */
    uint64_t output_limit;
};

struct run_request {
    uint32_t id;            /* chosen by the engine, never 0; STDIN, STDIN_EOF and KILL carry it too */
    struct limits limits;   /* of an ordinary run, or of a test run's compile steps */
    int nsteps;             /* in a test run, the last step is the run step each case extends */
    int is_test;
    const char *keep[MAX_WIPE_DIRS]; /* test run: the mounts each case starts from as they were after compiling */
    int nkeep;
    struct test_case *cases;
    int ncases;
    char ***steps;  /* NULL-terminated argv per step */
    char **env;     /* NULL-terminated */
    unsigned char *payload; /* owns the strings above point into a copy */
};

struct run {
    int active;
    int step_pending;       /* accepted, first step not started yet */
    struct run_request req;
    int step;
    int case_index;         /* the case running now, or -1 */
    int aborted;            /* a test run was killed, or cannot go on: no further case starts */
    int snapshot_fd;        /* a test run's workspace after compiling (a memfd), or -1 */
    struct limits limits;   /* of what runs now */
    char **case_argv;
    uint64_t test_start_ms;
    pid_t pid;
    int relay;              /* the step is the resident compiler's relay (resident.c) */
    int step_sent;          /* the STEP frame of the step about to start again went out already */
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
int write_all(int fd, const void *data, size_t len);
int read_all(int fd, void *data, size_t len);
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
void send_frame_start(uint8_t type, size_t len);
void send_bytes(const void *data, size_t len);
void send_ready(int ok, const char *message);
void send_exit(uint8_t type, int case_index, const struct run_result *result);
size_t next_frame(const struct buffer *in, uint8_t *type, size_t *len);
int parse_run_request(const unsigned char *payload, size_t len, int is_test, struct run_request *out, const char **error);
void free_run_request(struct run_request *req);

/* files.c */
int write_files(const unsigned char *payload, size_t len, const char **error);
int valid_relative_path(const char *path);
int write_one(int root, const char *path, uint32_t mode, const unsigned char *data, uint32_t size);

/* outfiles.c */
void outfiles_forget(void);
void outfiles_note(const char *path, const unsigned char *data, uint32_t size);
void outfiles_arm(void);
void outfiles_send(void);

/* snapshot.c */
int snapshot_take(const char *const *roots, int nroots, char *error, size_t error_len);
int snapshot_restore(int fd, const char *const *roots, int nroots, char *error, size_t error_len);
int measure_run(uint64_t *cpu_ms, uint64_t *rss_bytes);

/* spawn.c: a forked child's default signals in a session of its own; dropping root for uid and gid */
void start_child(void);
int become_user(uid_t uid, gid_t gid);
pid_t spawn_step(char *const argv[], char *const envp[], int with_stdin, uint32_t cpu_ms, int *in_fd, int *out_fd,
                 int *err_fd, char *error, size_t error_len);
/* As spawn_step, but the child is the resident compiler's relay (resident.c) rather than argv's program. */
pid_t spawn_relay(char *const argv[], uint32_t cpu_ms, int *in_fd, int *out_fd, int *err_fd, char *error,
                  size_t error_len);

/* images.c */
int images_open(void);
void images_forked(void);
int images_fd(void);
int images_child_fd(void); /* the program's end, given to the next spawned step as IMAGE_FD, or -1 */
void images_reset(void);
void images_read(void (*drain_text)(void));
void images_close(void (*drain_text)(void));

/* bench.c: the pause between iterations, longer than one CFS period (100 ms) */
#define BENCH_PAUSE_MS 200
int bench_main(int iterations, char **steps);

/* resident.c: a relay that exits with RESIDENT_GONE wrote nothing; the agent runs the step plainly instead. */
#define RESIDENT_GONE 253
pid_t resident_pid(void); /* 0 when there is none now */
int resident_serves(char *const argv[]);
void resident_start(void);
int resident_reaped(pid_t pid, int status);
void resident_stop(struct rusage *usage); /* its usage, when it was reaped here; usage may be NULL */
void resident_relay(char *const argv[]) __attribute__((noreturn));

/* reset.c */
int kill_all_processes(void (*on_reap)(pid_t, int, const struct rusage *));
int reset_container(void (*on_reap)(pid_t, int, const struct rusage *), char *error, size_t error_len);
uint64_t read_oom_kills(void);

/* wipe.c */
int wipe_mount(const char *root, char *error, size_t error_len);
int check_mount_root(const char *root, char *error, size_t error_len);

#endif
