/*
 * sandbox.h: run one untrusted program in isolation and measure it.
 *
 * Every submission, compiler, checker and scorer in Crucible runs through
 * this library: new PID, mount, IPC, UTS, network and cgroup namespaces, a
 * read-only root of system folders, a private uid, no capabilities, a
 * seccomp filter, and kernel-enforced CPU, memory, process and output
 * limits through cgroups (v1 or v2, detected at start).
 *
 * The library never logs, never exits and keeps no mutable globals: all
 * state lives in a struct sbx_context (created once, shared read-only by
 * concurrent runs in any thread) and a struct sbx_run (one per run).
 * It needs root (or CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID, CAP_CHOWN and
 * write access to the cgroup tree); without them a run ends as
 * SBX_SANDBOX_ERROR with the reason.
 */
#ifndef CRUCIBLE_SANDBOX_H
#define CRUCIBLE_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

enum sbx_status {
    SBX_OK,              /* exited with code 0 */
    SBX_TIME_LIMIT,      /* CPU time over the limit */
    SBX_WALL_LIMIT,      /* wall-clock time over the limit */
    SBX_MEMORY_LIMIT,    /* the memory cgroup refused memory (OOM kill) */
    SBX_OUTPUT_LIMIT,    /* a file, stdout, stderr or /tmp passed the output limit */
    SBX_RUNTIME_ERROR,   /* exited with a non-zero code */
    SBX_SIGNALED,        /* killed by a signal that no limit explains */
    SBX_SANDBOX_ERROR,   /* the run could not be carried out */
};

/* "ok", "time_limit", ...: the names used in the JSON result. Borrowed. */
const char *sbx_status_name(enum sbx_status status);

struct sbx_bind {
    const char *host;      /* host path, borrowed */
    const char *inside;    /* absolute path inside the sandbox, borrowed */
    int writable;          /* 0: read-only (the default) */
};

#define SBX_MAX_BINDS 32
#define SBX_MAX_GPUS 16
#define SBX_DEFAULT_OUTPUT ((uint64_t)64 << 20)

/*
 * What one run gets. Initialise with sbx_config_init(), then set fields.
 * Every pointer is borrowed for the duration of sbx_run_start().
 */
struct sbx_config {
    const char *const *argv;    /* program and arguments, NULL-terminated */
    const char *const *env;     /* extra NAME=VALUE entries, NULL-terminated, or NULL */
    double time_limit;          /* CPU seconds over all processes; 0: none */
    double wall_limit;          /* seconds; 0: 2 x time_limit + 1 (or none without a time limit) */
    uint64_t memory_limit;      /* bytes for the whole process tree; 0: none */
    uint64_t stack_limit;       /* bytes; 0: the memory limit (or unlimited) */
    int processes;              /* processes and threads alive at once; 0: 1 */
    uint64_t output_limit;      /* largest file, stdout and stderr included, and /tmp total; 0: 64 MiB */
    uint64_t fd_limit;          /* open file descriptors; 0: 64 */
    const char *box;            /* host folder mounted read-write at /box; NULL: an empty /box */
    const char *stdin_path;     /* host paths opened by the sandbox; NULL: /dev/null */
    const char *stdout_path;
    const char *stderr_path;
    int stdin_fd;               /* if >= 0, used instead of the path (a pipe, say); */
    int stdout_fd;              /* the caller keeps ownership */
    int stderr_fd;
    struct sbx_bind binds[SBX_MAX_BINDS];
    size_t nbinds;
    int network;                /* 1: keep the host network (trusted tools only) */
    int gpus[SBX_MAX_GPUS];     /* GPU indexes granted */
    size_t ngpus;
};

void sbx_config_init(struct sbx_config *cfg);

struct sbx_result {
    enum sbx_status status;
    int exit_code;              /* the program's exit code, or 0 if signaled */
    int signal;                 /* the signal that ended it, or 0 */
    double cpu_seconds;         /* user + system over every process and thread */
    double wall_seconds;
    uint64_t memory_bytes;      /* peak memory of the process tree */
    double ended_at;            /* CLOCK_MONOTONIC seconds when the program ended
                                   (or was killed): orders the two sides of an
                                   interactive run */
    char message[256];          /* a human-readable explanation, may be empty */
};

/* Writes {"status": ..., "exit_code": ..., ...} (one line, no newline). */
int sbx_result_to_json(const struct sbx_result *res, struct buf *out);

/* ---- the context: detected once, shared by every run ---------------------- */

enum sbx_cgroup_mode { SBX_CGROUP_NONE, SBX_CGROUP_V1, SBX_CGROUP_V2 };

struct sbx_context_options {
    /* Force a cgroup mode instead of detecting it (NONE: detect). */
    enum sbx_cgroup_mode cgroup_mode;
    const char *state_dir;      /* uid locks and per-slot folders; NULL: /run/crucible/sandbox */
    const char *dev_dir;        /* where device nodes are taken from; NULL: /dev (tests use a fake one) */
    uint32_t first_uid;         /* runs use uids first_uid .. first_uid + slots - 1; 0: 60000 */
    uint32_t slots;             /* 0: 1000 */
    /* Which seccomp filters to compile (each takes a fraction of a
     * millisecond): SBX_FILTER_ISOLATED for runs without the network,
     * SBX_FILTER_NETWORK for --network runs; 0: both. */
    unsigned filters;
};

#define SBX_FILTER_ISOLATED 1u
#define SBX_FILTER_NETWORK 2u

struct sbx_context;

/* Detects cgroups, compiles the seccomp filter and prepares state folders.
 * opts may be NULL. On failure *out is still a usable context whose runs end
 * as SBX_SANDBOX_ERROR, so `sandbox info` can report what is missing. */
int sbx_context_new(const struct sbx_context_options *opts, struct sbx_context **out,
                    struct err *err);
void sbx_context_free(struct sbx_context *ctx);

/* What `crucible sandbox info` prints: a JSON object describing the cgroup
 * mode, the controllers found, and what is missing. */
int sbx_context_describe(const struct sbx_context *ctx, struct buf *out);

/* ---- runs ----------------------------------------------------------------- */

struct sbx_run;

/* Starts a run; it goes on in the background until sbx_run_wait(). Returns 0
 * and sets *out, or a negative code (the cause in err) when nothing was
 * started. */
int sbx_run_start(struct sbx_context *ctx, const struct sbx_config *cfg,
                  struct sbx_run **out, struct err *err);
/* Waits for the run, enforces its limits meanwhile, kills everything left in
 * it, removes its cgroup, fills res and frees run. Always fills res; returns
 * 0, or a negative code when res->status is SBX_SANDBOX_ERROR. */
int sbx_run_wait(struct sbx_run *run, struct sbx_result *res);
/* Waits until one of n started runs (at most SBX_WAIT_MAX) has ended,
 * enforcing every run's limits meanwhile, and returns its index (-1 on a bad
 * argument). Each run still needs sbx_run_wait(), which then returns at once
 * for the ones that ended. For interactive problems, where the order in
 * which the two sides end decides the verdict. */
#define SBX_WAIT_MAX 8
int sbx_run_wait_any(struct sbx_run *const *runs, size_t n);

/* Kills a started run at once (its result will say so); for interactive
 * problems where the other side ended. Safe to call from the waiting thread's
 * peers only before sbx_run_wait() returns. */
void sbx_run_kill(struct sbx_run *run);

/* start + wait. */
int sbx_run(struct sbx_context *ctx, const struct sbx_config *cfg, struct sbx_result *res);

/* `crucible sandbox ...`: the command entry point. */
int cmd_sandbox(int argc, char **argv);

#endif
