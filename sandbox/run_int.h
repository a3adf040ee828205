/*
 * run_int.h: the context and run structures, shared by context.c and run.c.
 */
#ifndef CRUCIBLE_SANDBOX_RUN_INT_H
#define CRUCIBLE_SANDBOX_RUN_INT_H

#include <sys/capability.h>
#include <sys/types.h>

#include "sandbox_int.h"

#define SBX_MAX_ENTRIES 32
#define SBX_ETC_COPY_MAX (4 << 20)   /* /etc files copied into the run's root */

enum sbx_entry_type { SBX_ENTRY_FILE, SBX_ENTRY_DIR, SBX_ENTRY_LINK };

/* A host path that the run's root shows: copied (small file), bound
 * read-only (folder) or re-created (symbolic link). */
struct sbx_entry {
    enum sbx_entry_type type;
    char host[128];
    char name[64];
    char link[256];
};

struct sbx_dev {
    dev_t dev;
    char name[32];
};

struct sbx_context {
    int usable;
    char why_unusable[ERR_MSG_MAX];
    struct sbx_cgroups cgs;
    struct sbx_filter filter;       /* no network */
    struct sbx_filter filter_net;   /* --network */
    char state_dir[SBX_PATH_MAX];
    char root_dir[SBX_PATH_MAX];    /* mount point of each run's root (in its own namespace) */
    char lock_dir[SBX_PATH_MAX];    /* slot locks: one uid and one cgroup name per slot */
    char dev_dir[SBX_PATH_MAX];
    uint32_t first_uid, slots;
    int ncpus;
    int last_cap;
    cap_t empty_caps;
    struct sbx_entry root_entries[SBX_MAX_ENTRIES];
    size_t nroot;
    struct sbx_entry etc_entries[SBX_MAX_ENTRIES];
    size_t netc;
    struct sbx_dev base_devs[8];
    size_t nbase_devs;
    int template_fd;                /* the template mount namespace, or -1 */
    char template_error[ERR_MSG_MAX];
};

enum sbx_msg_kind { MSG_SETUP_ERROR = 1, MSG_EXEC_ERROR, MSG_EXIT };

/* What init and the program (or the template builder) send the supervisor;
 * one write each, smaller than PIPE_BUF so it arrives whole. */
struct child_msg {
    int kind;
    int wstatus;
    int tmp_full;
    int err;
    int64_t ended_ns;           /* CLOCK_MONOTONIC when the program ended */
    char text[184];
};

/* template.c: opens (building or rebuilding it when /etc changed) the
 * template mount namespace pinned under the state folder. */
int sbx_template_open(struct sbx_context *ctx, struct err *err);
/* run.c: fills the template's root; runs in the builder child. */
void sbx_template_populate(const struct sbx_context *ctx, const char *passwd, const char *group, int sfd);

#endif
