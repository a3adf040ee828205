/*
 * sandbox_int.h: what the sandbox's own files share and nobody else sees.
 */
#ifndef CRUCIBLE_SANDBOX_INT_H
#define CRUCIBLE_SANDBOX_INT_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox.h"

#define SBX_PATH_MAX 512
#define SBX_V1_CONTROLLERS 4

/* One v1 controller hierarchy that a run needs. */
enum sbx_v1_ctl { SBX_V1_MEMORY, SBX_V1_CPUACCT, SBX_V1_PIDS, SBX_V1_DEVICES };

/* What detection found; read-only after sbx_context_new(). */
struct sbx_cgroups {
    enum sbx_cgroup_mode mode;
    /* v2: the folder under which each run gets run-SLOT. */
    char v2_base[SBX_PATH_MAX];
    /* v1: per controller, the folder under which each run gets run-SLOT
     * (empty when the controller is missing). */
    char v1_base[SBX_V1_CONTROLLERS][SBX_PATH_MAX];
    int v1_memsw;            /* memory.memsw.* exists (swap accounting) */
    int v2_swap;             /* memory.swap.max exists */
    int v2_peak;             /* memory.peak exists (Linux 5.19 and later) */
    char missing[256];       /* what is missing, for `sandbox info` */
};

/* The cgroup of one run. */
struct sbx_cgroup {
    const struct sbx_cgroups *cgs;
    char v2_path[SBX_PATH_MAX];
    char v1_path[SBX_V1_CONTROLLERS][SBX_PATH_MAX];
};

struct sbx_cg_limits {
    uint64_t memory;         /* 0: none */
    int pids;                /* tasks alive at once, the run's init included */
    const dev_t *devices;    /* character devices the run may open */
    size_t ndevices;
};

struct sbx_cg_stats {
    uint64_t cpu_ns;
    uint64_t memory_peak;
    uint64_t oom_kills;
    int oom_known;           /* the kernel reports OOM kills for this group */
    uint64_t mem_failcnt;
};

int sbx_cgroups_detect(struct sbx_cgroups *cgs, enum sbx_cgroup_mode force, struct err *err);
int sbx_cgroup_create(struct sbx_cgroup *cg, const struct sbx_cgroups *cgs, unsigned slot,
                      const struct sbx_cg_limits *lim, struct err *err);
int sbx_cgroup_attach(const struct sbx_cgroup *cg, pid_t pid, struct err *err);
int sbx_cgroup_cpu_ns(const struct sbx_cgroup *cg, uint64_t *ns);
/* Current memory use; for kernels without a peak counter, sampled by the
 * watchdog. */
int sbx_cgroup_memory_now(const struct sbx_cgroup *cg, uint64_t *bytes);
void sbx_cgroup_stats(const struct sbx_cgroup *cg, struct sbx_cg_stats *st);
/* Kills every process left in the group and removes it; safe on a group that
 * was never created. */
int sbx_cgroup_destroy(struct sbx_cgroup *cg, struct err *err);

/* v2 device filter (BPF_PROG_TYPE_CGROUP_DEVICE) attached to a cgroup folder. */
int sbx_devbpf_attach(const char *cgroup_dir, const dev_t *devices, size_t n, struct err *err);

/* The seccomp filter, compiled once into raw BPF so that the child can
 * install it with one system call (libseccomp is not async-signal-safe). */
struct sbx_filter {
    struct sock_filter *insns;
    unsigned short len;
};
int sbx_filter_build(struct sbx_filter *f, int allow_network, struct err *err);
void sbx_filter_release(struct sbx_filter *f);

/* Small file helpers for cgroupfs. */
int sbx_write_file(const char *path, const char *text);
int sbx_read_u64(const char *path, uint64_t *out);
/* Reads "key value" lines and returns the value of key. */
int sbx_read_keyed(const char *path, const char *key, uint64_t *out);

#endif
