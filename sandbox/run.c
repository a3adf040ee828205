/*
 * run.c: one sandboxed run, from the limits in to the JSON result out.
 *
 * Theory of operation
 * -------------------
 * The caller (root) is the "supervisor". For each run it:
 *   1. takes a free slot (an flock()ed file); the slot fixes the run's uid
 *      (first_uid + slot) and its cgroup name, so no concurrent run shares
 *      either;
 *   2. creates the run's cgroup with the memory, pids and device limits;
 *   3. clone()s the "init" with new PID, mount, IPC, UTS and network
 *      namespaces, moves it into the cgroup and only then lets it go on (a
 *      pipe), so that nothing the run does escapes the accounting;
 *   4. watches: a pidfd tells when init ends; between polls it reads the
 *      group's CPU counter and kills the run when the CPU or wall limit is
 *      passed (RLIMIT_CPU is the kernel's backstop if we are stalled);
 *   5. reads the result init sends, the cgroup's counters, removes the group.
 *
 * The init (PID 1 of the new namespace, still root there) builds the root:
 * a size-bounded tmpfs holding read-only binds of /usr (and the /bin, /lib
 * links), a few copied /etc files, /dev with five nodes (plus granted GPUs),
 * its own /proc, /tmp and /box; pivot_root()s into it, and forks the
 * program. The program drops everything (bounding set, groups, uid/gid,
 * capabilities), sets no_new_privs and rlimits, installs the seccomp filter
 * last and execs. Init reaps orphans and, when the program ends, reports its
 * wait status and whether /tmp filled, then exits: the kernel then kills every
 * process left in the namespace, so a daemon cannot outlive the run.
 *
 * Everything the children need is prepared in the supervisor beforehand:
 * after clone() a process of a multi-threaded caller may only make
 * async-signal-safe calls, so the children do system calls and memcpy only.
 */
#include "run_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#define SBX_MAX_ENV 64
#define SBX_MAX_DEVS 24
#define SBX_ROOT_INODES 65536
#define SBX_DEFAULT_FDS 64
#define SBX_SPAWN_STACK (256 << 10)

enum kill_reason { KILL_NONE, KILL_TIME, KILL_WALL, KILL_CALLER };

struct sbx_run {
    struct sbx_context *ctx;
    /* limits, copied */
    double time_limit, wall_limit;
    uint64_t output_limit;
    int processes;
    /* resources */
    int lock_fd;
    unsigned slot;
    struct sbx_cgroup cg;
    int cg_made;
    pid_t pid;
    int pidfd;
    int status_fd;
    int in_owned, out_owned, err_owned;   /* opened by us from the paths */
    struct timespec start;
    enum kill_reason killed;
    struct timespec killed_at;
    uint64_t mem_sampled;           /* peak memory seen by the watchdog */
    /* the box's owner, restored afterwards */
    char box[SBX_PATH_MAX];
    uid_t box_uid;
    gid_t box_gid;
    int box_chowned;
    /* memory the children read (prepared before clone) */
    char *envp[SBX_MAX_ENV + 8];
    char env_store[8][96];
    char exec_paths[4][SBX_PATH_MAX];
    int nexec;
    char tmpfs_opts[96];            /* slow path: the root tmpfs, /tmp included */
    char tmp_opts[96];              /* fast path: /tmp */
    char box_opts[128];             /* fast path: /box when no host box is given */
    int fast;                       /* use the template namespace */
    int box_tree;                   /* detached mount of the host box (fast path), or -1 */
    char passwd[160], group[96];
    char bind_targets[SBX_MAX_BINDS][SBX_PATH_MAX];
    struct sbx_dev devs[SBX_MAX_DEVS];
    size_t ndevs;
    dev_t dev_ids[SBX_MAX_DEVS];
    uid_t uid;
    gid_t gid;
    int in_fd, out_fd, err_fd;      /* the run's stdio; out/err kept to measure them */
    int go_fd, child_status_fd;
    int netns_fd;                   /* the slot's network namespace, or -1 */
    const struct sbx_config *cfg;   /* valid until sbx_run_start returns */
};

const char *sbx_status_name(enum sbx_status status)
{
    static const char *const names[] = {
        "ok", "time_limit", "wall_limit", "memory_limit", "output_limit",
        "runtime_error", "signaled", "sandbox_error",
    };
    return (unsigned)status < sizeof(names) / sizeof(names[0]) ? names[status] : "sandbox_error";
}

void sbx_config_init(struct sbx_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->stdin_fd = cfg->stdout_fd = cfg->stderr_fd = -1;
}

/* ---- the children (async-signal-safe only) ------------------------------- */

static size_t s_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void s_copy(char *dst, size_t size, const char *a, const char *b)
{
    size_t n = 0;
    for (; *a && n + 1 < size; a++)
        dst[n++] = *a;
    for (; b && *b && n + 1 < size; b++)
        dst[n++] = *b;
    dst[n] = '\0';
}

static void send_msg(int fd, int kind, int wstatus, int tmp_full, int e, const char *what, const char *arg)
{
    struct child_msg m;
    memset(&m, 0, sizeof(m));
    m.kind = kind;
    m.wstatus = wstatus;
    m.tmp_full = tmp_full;
    m.err = e;
    s_copy(m.text, sizeof(m.text), what, arg);
    ssize_t ignored = write(fd, &m, sizeof(m));
    (void)ignored;
}

/* Every signal back to its default action and none blocked: a supervisor
 * that ignores SIGPIPE or SIGCHLD, or blocks SIGTERM, must pass none of that
 * on (ignored signals survive exec; an ignored SIGCHLD would even stop init
 * from reaping its program). */
static void reset_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < _NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL);   /* EINVAL for libc's reserved ones: fine */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Reports a failed setup step (with errno) and ends the child. */
static __attribute__((noreturn)) void child_fail(int fd, const char *what, const char *arg)
{
    send_msg(fd, MSG_SETUP_ERROR, 0, 0, errno, what, arg);
    _exit(127);
}

/* mkdir -p for a path relative to the current folder. */
static int mkdir_rel(const char *path, mode_t mode)
{
    char tmp[SBX_PATH_MAX];
    s_copy(tmp, sizeof(tmp), path, NULL);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return (mkdir(tmp, mode) < 0 && errno != EEXIST) ? -1 : 0;
}

static int bind_ro(const char *src, const char *dst, int writable)
{
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
        return -1;
    unsigned long fl = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (writable ? 0 : MS_RDONLY);
    return mount(NULL, dst, NULL, fl, NULL);
}

static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char chunk[16384];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, chunk, sizeof(chunk))) > 0)
        if (write(out, chunk, (size_t)n) != n) {
            rc = -1;
            break;
        }
    close(in);
    close(out);
    return n < 0 ? -1 : rc;
}

static int write_text(const char *dst, const char *text)
{
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    size_t len = s_len(text);
    int rc = write(fd, text, len) == (ssize_t)len ? 0 : -1;
    close(fd);
    return rc;
}

/* Fills the current folder (a fresh tmpfs) with what every run's root has:
 * the read-only system folders, the /etc allow-list, /dev, and the mount
 * points /proc, /tmp and /box. */
static void populate_root(const struct sbx_context *ctx, const char *passwd, const char *group,
                          const struct sbx_dev *devs, size_t ndevs, int sfd)
{
    for (size_t i = 0; i < ctx->nroot; i++) {
        const struct sbx_entry *e = &ctx->root_entries[i];
        if (e->type == SBX_ENTRY_LINK) {
            if (symlink(e->link, e->name) < 0)
                child_fail(sfd, "cannot create link /", e->name);
        } else if (e->type == SBX_ENTRY_DIR) {
            if (mkdir(e->name, 0755) < 0 || bind_ro(e->host, e->name, 0) < 0)
                child_fail(sfd, "cannot bind ", e->host);
        }
    }

    if (mkdir("etc", 0755) < 0)
        child_fail(sfd, "cannot create /etc", NULL);
    for (size_t i = 0; i < ctx->netc; i++) {
        const struct sbx_entry *e = &ctx->etc_entries[i];
        char dst[SBX_PATH_MAX];
        s_copy(dst, sizeof(dst), "etc/", e->name);
        int rc = 0;
        if (e->type == SBX_ENTRY_LINK)
            rc = symlink(e->link, dst);
        else if (e->type == SBX_ENTRY_DIR)
            rc = (mkdir(dst, 0755) < 0 || bind_ro(e->host, dst, 0) < 0) ? -1 : 0;
        else
            rc = copy_file(e->host, dst);
        if (rc < 0)
            child_fail(sfd, "cannot provide ", e->host);
    }
    if (write_text("etc/passwd", passwd) < 0 || write_text("etc/group", group) < 0 ||
        write_text("etc/hostname", "crucible\n") < 0 ||
        write_text("etc/hosts", "127.0.0.1 localhost crucible\n::1 localhost\n") < 0)
        child_fail(sfd, "cannot write /etc files", NULL);

    /* /dev: five harmless nodes and the granted GPUs; the device cgroup
     * allows exactly these too. /dev/shm leads to the run's /tmp. */
    if (mkdir("dev", 0755) < 0 || mkdir("dev/pts", 0755) < 0 || symlink("/tmp", "dev/shm") < 0)
        child_fail(sfd, "cannot create /dev", NULL);
    for (size_t i = 0; i < ndevs; i++) {
        char dst[64];
        s_copy(dst, sizeof(dst), "dev/", devs[i].name);
        if (mknod(dst, S_IFCHR | 0666, devs[i].dev) < 0)
            child_fail(sfd, "cannot create ", dst);
    }
    if (symlink("/proc/self/fd", "dev/fd") < 0 || symlink("/proc/self/fd/0", "dev/stdin") < 0 ||
        symlink("/proc/self/fd/1", "dev/stdout") < 0 || symlink("/proc/self/fd/2", "dev/stderr") < 0)
        child_fail(sfd, "cannot create /dev links", NULL);
    if (mkdir("proc", 0555) < 0 || mkdir("tmp", 01777) < 0 || mkdir("box", 0755) < 0)
        child_fail(sfd, "cannot create mount points", NULL);
}

/* Mounts a fresh tmpfs at ctx->root_dir in a private copy of the current
 * mount namespace and enters it. */
static void enter_new_tmpfs_root(const struct sbx_context *ctx, const char *opts, int sfd)
{
    /* Our mounts must not propagate back to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        child_fail(sfd, "cannot make mounts private", NULL);
    if (mount("crucible", ctx->root_dir, "tmpfs", MS_NOSUID, opts) < 0)
        child_fail(sfd, "cannot mount a tmpfs on ", ctx->root_dir);
    if (chdir(ctx->root_dir) < 0)
        child_fail(sfd, "cannot enter ", ctx->root_dir);
}

/* Makes the current folder the root and drops the host's tree. */
static void pivot_here(int sfd)
{
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        child_fail(sfd, "cannot pivot_root", NULL);
    if (umount2(".", MNT_DETACH) < 0)
        child_fail(sfd, "cannot detach the host root", NULL);
}

/* Mounts what only this run has into the root in the current folder:
 * /proc of its PID namespace (we are its init), /tmp, /box, extra binds.
 * Paths are relative: on the slow path the host's tree is still visible
 * (binds need it), on the fast path the current folder is the root. */
static void mount_run_parts(const struct sbx_run *r, int fast, int sfd)
{
    const struct sbx_config *cfg = r->cfg;
    /* hidepid: the program sees only its own processes. Init is a copy of
     * the supervisor, and its command line (a judge's flags, the paths of
     * test data) must stay unreadable. */
    if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") < 0)
        child_fail(sfd, "cannot mount /proc", NULL);
    if (fast && mount("tmp", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, r->tmp_opts) < 0)
        child_fail(sfd, "cannot mount /tmp", NULL);
    if (r->box_tree >= 0) {
        /* A detached copy of the host folder, made by the supervisor. */
        if (move_mount(r->box_tree, "", AT_FDCWD, "box", MOVE_MOUNT_F_EMPTY_PATH) < 0)
            child_fail(sfd, "cannot mount the box ", r->box);
    } else if (r->box[0]) {
        if (bind_ro(r->box, "box", 1) < 0)
            child_fail(sfd, "cannot bind the box ", r->box);
    } else if (fast) {
        if (mount("box", "box", "tmpfs", MS_NOSUID | MS_NODEV, r->box_opts) < 0)
            child_fail(sfd, "cannot mount /box", NULL);
    } else if (chown("box", r->uid, r->gid) < 0) {
        child_fail(sfd, "cannot give /box to the run", NULL);
    }

    for (size_t i = 0; i < cfg->nbinds; i++) {
        const struct sbx_bind *b = &cfg->binds[i];
        const char *dst = r->bind_targets[i];
        struct stat st;
        if (stat(b->host, &st) < 0)
            child_fail(sfd, "cannot bind ", b->host);
        if (S_ISDIR(st.st_mode)) {
            if (mkdir_rel(dst, 0755) < 0)
                child_fail(sfd, "cannot create bind target for ", b->host);
        } else {
            char parent[SBX_PATH_MAX];
            s_copy(parent, sizeof(parent), dst, NULL);
            char *slash = NULL;
            for (char *p = parent; *p; p++)
                if (*p == '/')
                    slash = p;
            if (slash) {
                *slash = '\0';
                if (mkdir_rel(parent, 0755) < 0)
                    child_fail(sfd, "cannot create bind target for ", b->host);
            }
            int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0)
                child_fail(sfd, "cannot create bind target for ", b->host);
            close(fd);
        }
        if (bind_ro(b->host, dst, b->writable) < 0)
            child_fail(sfd, "cannot bind ", b->host);
    }
}

/* The run's root. Fast path: copy the context's template namespace (a root
 * built once, see template.c) and mount only the per-run parts. Slow path,
 * for runs with extra binds or GPUs: build the whole root in a copy of the
 * host's namespace, then pivot into it. */
static void build_root(const struct sbx_run *r, int sfd)
{
    const struct sbx_context *ctx = r->ctx;
    if (r->fast) {
        if (setns(ctx->template_fd, CLONE_NEWNS) < 0 || unshare(CLONE_NEWNS) < 0 || chdir("/") < 0)
            child_fail(sfd, "cannot enter the template mount namespace", NULL);
        mount_run_parts(r, 1, sfd);
    } else {
        if (unshare(CLONE_NEWNS) < 0)
            child_fail(sfd, "cannot create a mount namespace", NULL);
        enter_new_tmpfs_root(ctx, r->tmpfs_opts, sfd);
        populate_root(ctx, r->passwd, r->group, r->devs, r->ndevs, sfd);
        mount_run_parts(r, 0, sfd);
        pivot_here(sfd);
    }
    if (chdir("/box") < 0)
        child_fail(sfd, "cannot enter /box", NULL);
    if (sethostname("crucible", 8) < 0)
        child_fail(sfd, "cannot set the host name", NULL);
}

/* The template: the same root, built once in a namespace of its own whose
 * host tree is dropped, then made read-only. Runs copy this small namespace
 * instead of the host's, and mount only /proc, /tmp and /box. Called in a
 * child that exits afterwards; the supervisor pins the namespace. */
void sbx_template_populate(const struct sbx_context *ctx, const char *passwd, const char *group, int sfd)
{
    if (unshare(CLONE_NEWNS) < 0)
        child_fail(sfd, "cannot create a mount namespace", NULL);
    enter_new_tmpfs_root(ctx, "size=8m,nr_inodes=4096,mode=0755", sfd);
    populate_root(ctx, passwd, group, ctx->base_devs, ctx->nbase_devs, sfd);
    if (mount(NULL, ".", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) < 0)
        child_fail(sfd, "cannot make the template read-only", NULL);
    pivot_here(sfd);
}

static void set_limit(int sfd, int resource, rlim_t value)
{
    struct rlimit rl = { value, value };
    if (setrlimit(resource, &rl) < 0)
        child_fail(sfd, "cannot set a resource limit", NULL);
}

/* The program: drop everything, then exec. fds 0-2 are its stdio, 3 the
 * status pipe (close-on-exec). */
static int program_exec(void *arg)
{
    const struct sbx_run *r = arg;
    const struct sbx_context *ctx = r->ctx;
    const struct sbx_config *cfg = r->cfg;
    const int sfd = 3;

    if (setsid() < 0)
        child_fail(sfd, "cannot start a session", NULL);
    umask(022);

    /* Resource limits. No file can grow past the output limit; one that
     * reaches it counts as over (see sbx_run_wait). RLIMIT_CPU per process
     * is the kernel's backstop for the supervisor's cgroup watchdog. */
    uint64_t stack = cfg->stack_limit ? cfg->stack_limit : cfg->memory_limit;
    set_limit(sfd, RLIMIT_STACK, stack ? (rlim_t)stack : RLIM_INFINITY);
    set_limit(sfd, RLIMIT_FSIZE, (rlim_t)r->output_limit);
    set_limit(sfd, RLIMIT_CORE, 0);
    set_limit(sfd, RLIMIT_NOFILE, (rlim_t)(cfg->fd_limit ? cfg->fd_limit : SBX_DEFAULT_FDS));
    set_limit(sfd, RLIMIT_NPROC, (rlim_t)r->processes);
    set_limit(sfd, RLIMIT_MEMLOCK, 0);
    set_limit(sfd, RLIMIT_MSGQUEUE, 0);
    if (r->time_limit > 0)
        set_limit(sfd, RLIMIT_CPU, (rlim_t)r->time_limit + 2);

    /* Privileges: bounding set first (needs CAP_SETPCAP), then ids, then
     * the remaining capability sets. */
    for (int cap = 0; cap <= ctx->last_cap; cap++)
        if (cap_drop_bound((cap_value_t)cap) < 0 && errno != EINVAL)
            child_fail(sfd, "cannot drop the capability bounding set", NULL);
    /* Raw system calls: glibc's wrappers would try to apply the change to
     * every thread they remember from the (possibly multi-threaded)
     * supervisor, which do not exist in this process. */
    if (syscall(SYS_setgroups, 0, NULL) < 0 || syscall(SYS_setresgid, r->gid, r->gid, r->gid) < 0 ||
        syscall(SYS_setresuid, r->uid, r->uid, r->uid) < 0)
        child_fail(sfd, "cannot switch to the run's uid", NULL);
    if (cap_set_proc(ctx->empty_caps) < 0)
        child_fail(sfd, "cannot drop capabilities", NULL);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        child_fail(sfd, "cannot set no_new_privs", NULL);

    /* The filter goes last: everything above needs calls it refuses. */
    const struct sbx_filter *f = cfg->network ? &ctx->filter_net : &ctx->filter;   /* checked in prepare() */
    struct sock_fprog prog = { .len = f->len, .filter = f->insns };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
        child_fail(sfd, "cannot install the seccomp filter", NULL);

    int e = ENOENT;
    for (int i = 0; i < r->nexec; i++) {
        execve(r->exec_paths[i], (char *const *)cfg->argv, r->envp);
        if (errno != ENOENT)
            e = errno;
    }
    errno = e;
    send_msg(sfd, MSG_EXEC_ERROR, 0, 0, e, "cannot execute ", cfg->argv[0]);
    _exit(127);
    return 127;
}

/* PID 1 of the run's namespace. */
static __attribute__((noreturn)) void init_main(const struct sbx_run *r)
{
    int sfd = r->child_status_fd;
    reset_signals();
    /* If the supervisor dies, so does the run. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    char go;
    if (read(r->go_fd, &go, 1) != 1)
        _exit(127);
    close(r->go_fd);
    if (unshare(CLONE_NEWCGROUP) < 0)
        child_fail(sfd, "cannot create a cgroup namespace", NULL);
    if (r->netns_fd >= 0 && setns(r->netns_fd, CLONE_NEWNET) < 0)
        child_fail(sfd, "cannot enter the network namespace", NULL);
    umask(0);   /* the modes below are meant exactly */

    build_root(r, sfd);

    /* Arrange fds: 0-2 stdio, 3 the status pipe, nothing else. */
    int in = fcntl(r->in_fd, F_DUPFD_CLOEXEC, 10);
    int out = fcntl(r->out_fd, F_DUPFD_CLOEXEC, 10);
    int er = fcntl(r->err_fd, F_DUPFD_CLOEXEC, 10);
    int st = fcntl(sfd, F_DUPFD_CLOEXEC, 10);
    if (in < 0 || out < 0 || er < 0 || st < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(er, 2) < 0 ||
        dup2(st, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
        child_fail(sfd, "cannot arrange file descriptors", NULL);
    syscall(SYS_close_range, 4, ~0U, 0);
    sfd = 3;

    /* The program is spawned as posix_spawn() does: sharing our memory
     * (no page tables to copy) on its own stack, while we wait until it has
     * exec'd or failed. */
    void *stack = mmap(NULL, SBX_SPAWN_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        child_fail(sfd, "cannot allocate a stack", NULL);
    pid_t prog = clone(program_exec, (char *)stack + SBX_SPAWN_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)r);
    if (prog < 0)
        child_fail(sfd, "cannot start the program", NULL);
    munmap(stack, SBX_SPAWN_STACK);

    /* Init keeps only the status pipe and gives up its capabilities. */
    close(0);
    close(1);
    close(2);
    cap_set_proc(r->ctx->empty_caps);
    int wstatus = 0;
    for (;;) {
        int s;
        pid_t p = waitpid(-1, &s, __WALL);
        if (p == prog) {
            wstatus = s;
            break;
        }
        if (p < 0 && errno != EINTR)
            break;
    }
    struct timespec ended;
    clock_gettime(CLOCK_MONOTONIC, &ended);
    /* A full /tmp (or /dev/shm: the same tmpfs) counts as an output limit. */
    struct statfs sf;
    int full = statfs("/tmp", &sf) == 0 && (sf.f_bavail == 0 || sf.f_ffree == 0);
    if (!r->box[0] && statfs("/box", &sf) == 0 && (sf.f_bavail == 0 || sf.f_ffree == 0))
        full = 1;
    struct child_msg m;
    memset(&m, 0, sizeof(m));
    m.kind = MSG_EXIT;
    m.wstatus = wstatus;
    m.tmp_full = full;
    m.ended_ns = (int64_t)ended.tv_sec * 1000000000 + ended.tv_nsec;
    ssize_t ignored = write(sfd, &m, sizeof(m));
    (void)ignored;
    _exit(0);
}

/* ---- the supervisor ------------------------------------------------------ */

static int take_slot(struct sbx_run *r, struct err *err)
{
    const struct sbx_context *ctx = r->ctx;
    /* The lowest free slot: few slots in use keeps few network namespaces. */
    for (unsigned slot = 0; slot < ctx->slots; slot++) {
        char path[SBX_PATH_MAX];
        str_fmt(path, sizeof(path), "%s/%u", ctx->lock_dir, slot);
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
            return err_sys(err, "cannot open slot lock '%s'", path);
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            r->lock_fd = fd;
            r->slot = slot;
            r->uid = ctx->first_uid + slot;
            r->gid = ctx->first_uid + slot;
            return 0;
        }
        close(fd);
    }
    return err_set(err, ERR_LIMIT, "all %u sandbox slots are busy", ctx->slots);
}

/* Each slot keeps an empty network namespace, pinned by a bind mount at
 * state_dir/netns/SLOT: creating one costs about 0.5 ms and its teardown
 * runs later in a kernel worker, while joining an existing one is nearly
 * free. Runs of a slot never overlap, and nothing of a run survives it, so
 * sharing the namespace over time shares nothing between runs. Its loopback
 * interface stays down. */
static int slot_netns(struct sbx_run *r, struct err *err)
{
    char dir[SBX_PATH_MAX], path[SBX_PATH_MAX];
    str_fmt(dir, sizeof(dir), "%s/netns", r->ctx->state_dir);
    if (str_fmt(path, sizeof(path), "%s/%u", dir, r->slot) < 0)
        return err_set(err, ERR_LIMIT, "state folder path too long");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct statfs sf;
    if (fd >= 0 && fstatfs(fd, &sf) == 0 && sf.f_type == NSFS_MAGIC) {
        r->netns_fd = fd;
        return 0;
    }
    if (fd >= 0)
        close(fd);
    if ((mkdir(dir, 0700) < 0 && errno != EEXIST))
        return err_sys(err, "cannot create '%s'", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_sys(err, "cannot create '%s'", path);
    close(fd);
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid < 0)
        return err_sys(err, "cannot fork");
    if (pid == 0) {
        if (unshare(CLONE_NEWNET) < 0 || mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0)
            _exit(1);
        _exit(0);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        return err_set(err, ERR_SYSTEM, "cannot create a network namespace at '%s'", path);
    r->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->netns_fd < 0)
        return err_sys(err, "cannot open '%s'", path);
    return 0;
}

static int open_io(const char *path, int flags, int *out, int *owned, struct err *err)
{
    int fd = open(path ? path : "/dev/null", flags | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", path ? path : "/dev/null");
    *out = fd;
    *owned = 1;
    return 0;
}

static int valid_inside(const char *p)
{
    if (!p || p[0] != '/' || !p[1] || strlen(p) >= SBX_PATH_MAX - 1)
        return 0;
    for (const char *s = p; *s; s++)
        if (s[0] == '/' && s[1] == '.' && s[2] == '.' && (s[3] == '/' || !s[3]))
            return 0;
    /* The sandbox's own mount points may not be shadowed. */
    static const char *const reserved[] = { "/proc", "/dev", "/etc", "/tmp", "/box", "/usr" };
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        size_t n = strlen(reserved[i]);
        if (!strncmp(p, reserved[i], n) && !p[n])
            return 0;
    }
    return 1;
}

static int prepare(struct sbx_run *r, const struct sbx_config *cfg, struct err *err)
{
    struct sbx_context *ctx = r->ctx;
    if (!cfg->argv || !cfg->argv[0] || !cfg->argv[0][0])
        return err_set(err, ERR_INVALID, "no program to run");
    if (!(cfg->network ? ctx->filter_net.len : ctx->filter.len))
        return err_set(err, ERR_INVALID, "this sandbox context was created without the %s seccomp filter",
                       cfg->network ? "network" : "isolated");
    r->time_limit = cfg->time_limit;
    r->wall_limit = cfg->wall_limit > 0 ? cfg->wall_limit : (cfg->time_limit > 0 ? 2 * cfg->time_limit + 1 : 0);
    r->output_limit = cfg->output_limit ? cfg->output_limit : SBX_DEFAULT_OUTPUT;
    r->processes = cfg->processes > 0 ? cfg->processes : 1;
    if (cfg->nbinds > SBX_MAX_BINDS || cfg->ngpus > SBX_MAX_GPUS)
        return err_set(err, ERR_LIMIT, "too many binds or GPUs");

    /* Where to look for the program: as given, or along the default PATH. */
    const char *prog = cfg->argv[0];
    if (strchr(prog, '/')) {
        str_fmt(r->exec_paths[r->nexec++], SBX_PATH_MAX, "%s", prog);
    } else {
        static const char *const dirs[] = { "/usr/local/bin/", "/usr/bin/", "/bin/" };
        for (size_t i = 0; i < 3; i++)
            str_fmt(r->exec_paths[r->nexec++], SBX_PATH_MAX, "%s%s", dirs[i], prog);
    }

    /* The environment: a fixed base, then the caller's additions. Nothing
     * of the supervisor's own environment leaks in. */
    size_t n = 0;
    str_fmt(r->env_store[0], sizeof(r->env_store[0]), "PATH=/usr/local/bin:/usr/bin:/bin");
    str_fmt(r->env_store[1], sizeof(r->env_store[1]), "HOME=/box");
    str_fmt(r->env_store[2], sizeof(r->env_store[2]), "TMPDIR=/tmp");
    str_fmt(r->env_store[3], sizeof(r->env_store[3]), "LANG=C.UTF-8");
    for (int i = 0; i < 4; i++)
        r->envp[n++] = r->env_store[i];
    if (cfg->ngpus) {
        char list[80] = "";
        for (size_t i = 0; i < cfg->ngpus; i++)
            str_fmt(list + strlen(list), sizeof(list) - strlen(list), "%s%d", i ? "," : "", cfg->gpus[i]);
        str_fmt(r->env_store[4], sizeof(r->env_store[4]), "CUDA_VISIBLE_DEVICES=%s", list);
        r->envp[n++] = r->env_store[4];
    }
    for (size_t i = 0; cfg->env && cfg->env[i]; i++) {
        if (n >= SBX_MAX_ENV)
            return err_set(err, ERR_LIMIT, "more than %d environment entries", SBX_MAX_ENV);
        if (!strchr(cfg->env[i], '=') || cfg->env[i][0] == '=')
            return err_set(err, ERR_INVALID, "environment entry '%s' is not NAME=VALUE", cfg->env[i]);
        r->envp[n++] = (char *)cfg->env[i];
    }
    r->envp[n] = NULL;

    str_fmt(r->passwd, sizeof(r->passwd), "root:x:0:0:root:/:/usr/sbin/nologin\nbox:x:%u:%u:box:/box:/bin/sh\n",
             r->uid, r->gid);
    str_fmt(r->group, sizeof(r->group), "root:x:0:\nbox:x:%u:\n", r->gid);
    /* Slow path: one tmpfs holds the root's few files and /tmp, sized to
     * the output limit plus room for the copied /etc files. Fast path: /tmp
     * (and /box without a host box) are tmpfs mounts of the output limit. */
    str_fmt(r->tmpfs_opts, sizeof(r->tmpfs_opts), "size=%llu,nr_inodes=%d,mode=0755",
             (unsigned long long)(r->output_limit + ((uint64_t)SBX_ETC_COPY_MAX)), SBX_ROOT_INODES);
    str_fmt(r->tmp_opts, sizeof(r->tmp_opts), "size=%llu,nr_inodes=%d,mode=1777",
             (unsigned long long)r->output_limit, SBX_ROOT_INODES);
    str_fmt(r->box_opts, sizeof(r->box_opts), "size=%llu,nr_inodes=%d,mode=0755,uid=%u,gid=%u",
             (unsigned long long)r->output_limit, SBX_ROOT_INODES, r->uid, r->gid);
    r->fast = ctx->template_fd >= 0 && cfg->nbinds == 0 && cfg->ngpus == 0;

    for (size_t i = 0; i < cfg->nbinds; i++) {
        const struct sbx_bind *b = &cfg->binds[i];
        const char *inside = b->inside ? b->inside : b->host;
        if (!b->host || b->host[0] != '/')
            return err_set(err, ERR_INVALID, "bind source '%s' is not an absolute path", b->host ? b->host : "");
        if (!valid_inside(inside))
            return err_set(err, ERR_INVALID, "bind target '%s' is not allowed", inside);
        str_fmt(r->bind_targets[i], SBX_PATH_MAX, "%s", inside + 1);
    }

    for (size_t i = 0; i < ctx->nbase_devs; i++)
        r->devs[r->ndevs++] = ctx->base_devs[i];
    if (cfg->ngpus) {
        /* A GPU run sees the control nodes and exactly the granted cards. */
        const char *common_nodes[] = { "nvidiactl", "nvidia-uvm" };
        for (size_t i = 0; i < 2 + cfg->ngpus; i++) {
            char name[32], path[SBX_PATH_MAX];
            if (i < 2)
                str_fmt(name, sizeof(name), "%s", common_nodes[i]);
            else if (cfg->gpus[i - 2] < 0 || cfg->gpus[i - 2] > 63)
                return err_set(err, ERR_INVALID, "GPU index %d is out of range", cfg->gpus[i - 2]);
            else
                str_fmt(name, sizeof(name), "nvidia%d", cfg->gpus[i - 2]);
            str_fmt(path, sizeof(path), "%s/%s", ctx->dev_dir, name);
            struct stat st;
            if (stat(path, &st) < 0 || !S_ISCHR(st.st_mode))
                return err_set(err, ERR_NOTFOUND, "GPU device '%s' is not present on this host", path);
            struct sbx_dev *d = &r->devs[r->ndevs++];
            d->dev = st.st_rdev;
            str_fmt(d->name, sizeof(d->name), "%s", name);
        }
    }
    for (size_t i = 0; i < r->ndevs; i++)
        r->dev_ids[i] = r->devs[i].dev;

    if (cfg->box) {
        struct stat st;
        if (cfg->box[0] != '/' || str_fmt(r->box, sizeof(r->box), "%s", cfg->box) < 0)
            return err_set(err, ERR_INVALID, "box '%s' must be an absolute path", cfg->box);
        if (lstat(r->box, &st) < 0 || !S_ISDIR(st.st_mode))
            return err_set(err, ERR_INVALID, "box '%s' is not a folder", cfg->box);
        r->box_uid = st.st_uid;
        r->box_gid = st.st_gid;
        if (r->fast) {
            /* The template namespace cannot see host paths: hand init a
             * detached copy of the box's mount, already nosuid and nodev. */
            r->box_tree = open_tree(AT_FDCWD, r->box, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
            struct mount_attr attr = { .attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
            if (r->box_tree < 0 || mount_setattr(r->box_tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                return err_sys(err, "cannot prepare the box '%s'", r->box);
        }
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void run_free(struct sbx_run *r)
{
    if (!r)
        return;
    if (r->cg_made)
        sbx_cgroup_destroy(&r->cg, NULL);
    if (r->box_chowned && chown(r->box, r->box_uid, r->box_gid) < 0)
        r->box_chowned = 0;   /* nothing more to do: the caller owns the box */
    close_fd(&r->pidfd);
    close_fd(&r->status_fd);
    close_fd(&r->go_fd);
    close_fd(&r->child_status_fd);
    if (r->in_owned)
        close_fd(&r->in_fd);
    if (r->out_owned)
        close_fd(&r->out_fd);
    if (r->err_owned)
        close_fd(&r->err_fd);
    close_fd(&r->netns_fd);
    close_fd(&r->box_tree);
    close_fd(&r->lock_fd);
    free(r);
}

int sbx_run_start(struct sbx_context *ctx, const struct sbx_config *cfg, struct sbx_run **out, struct err *err)
{
    *out = NULL;
    if (!ctx || !ctx->usable)
        return err_set(err, ERR_UNSUPPORTED, "sandbox unusable: %s", ctx ? ctx->why_unusable : "no context");
    struct sbx_run *r = calloc(1, sizeof(*r));
    if (!r)
        abort();
    r->ctx = ctx;
    r->cfg = cfg;
    r->lock_fd = r->pidfd = r->status_fd = r->go_fd = r->child_status_fd = -1;
    r->in_fd = r->out_fd = r->err_fd = r->netns_fd = r->box_tree = -1;
    int rc;
    int go[2] = { -1, -1 }, st[2] = { -1, -1 };

    if ((rc = take_slot(r, err)) < 0 || (rc = prepare(r, cfg, err)) < 0)
        goto fail;
    if (!cfg->network && (rc = slot_netns(r, err)) < 0)
        goto fail;
    if (cfg->stdin_fd >= 0)
        r->in_fd = cfg->stdin_fd;
    else if ((rc = open_io(cfg->stdin_path, O_RDONLY, &r->in_fd, &r->in_owned, err)) < 0)
        goto fail;
    if (cfg->stdout_fd >= 0)
        r->out_fd = cfg->stdout_fd;
    else if ((rc = open_io(cfg->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, &r->out_fd, &r->out_owned, err)) < 0)
        goto fail;
    if (cfg->stderr_fd >= 0)
        r->err_fd = cfg->stderr_fd;
    else if ((rc = open_io(cfg->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, &r->err_fd, &r->err_owned, err)) < 0)
        goto fail;

    struct sbx_cg_limits lim = {
        .memory = cfg->memory_limit, .pids = r->processes + 1 /* init */,
        .devices = r->dev_ids, .ndevices = r->ndevs,
    };
    r->cg_made = 1;
    if ((rc = sbx_cgroup_create(&r->cg, &ctx->cgs, r->slot, &lim, err)) < 0)
        goto fail;
    if (r->box[0]) {
        if (chown(r->box, r->uid, r->gid) < 0) {
            rc = err_sys(err, "cannot give the box '%s' to the run", r->box);
            goto fail;
        }
        r->box_chowned = 1;
    }

    /* The go signal travels over a socket so that send(MSG_NOSIGNAL) cannot
     * raise SIGPIPE in the caller if init has already died. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0 || pipe2(st, O_CLOEXEC) < 0) {
        rc = err_sys(err, "cannot create pipes");
        goto fail;
    }
    r->go_fd = go[0];
    r->child_status_fd = st[1];
    r->status_fd = st[0];

    /* The mount namespace is made by init itself (see build_root). */
    unsigned long flags = SIGCHLD | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_PIDFD;
    int pidfd = -1;
    /* A raw clone() behaves like fork() here (no CLONE_VM): the child runs
     * on a copy of our stack and memory, and never returns from init_main. */
    pid_t pid = (pid_t)syscall(SYS_clone, flags, 0, &pidfd, 0, 0);
    if (pid < 0) {
        rc = err_sys(err, "cannot create the run's namespaces");
        goto fail;
    }
    if (pid == 0) {
        close(go[1]);
        close(st[0]);
        init_main(r);
    }
    r->pid = pid;
    r->pidfd = pidfd;
    close_fd(&r->go_fd);
    close_fd(&r->child_status_fd);
    close_fd(&r->netns_fd);
    close_fd(&r->box_tree);
    fcntl(r->status_fd, F_SETFL, O_NONBLOCK);

    if ((rc = sbx_cgroup_attach(&r->cg, pid, err)) < 0) {
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        waitpid(pid, NULL, __WALL);
        goto fail;
    }
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    if (send(go[1], "g", 1, MSG_NOSIGNAL) != 1) {
        rc = err_sys(err, "cannot start the run");
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        waitpid(pid, NULL, __WALL);
        goto fail;
    }
    close(go[1]);
    r->cfg = NULL;
    *out = r;
    return 0;
fail:
    if (go[1] >= 0)
        close(go[1]);
    if (go[0] >= 0 && go[0] != r->go_fd)
        close(go[0]);
    if (st[0] >= 0 && st[0] != r->status_fd)
        close(st[0]);
    if (st[1] >= 0 && st[1] != r->child_status_fd)
        close(st[1]);
    run_free(r);
    return rc < 0 ? rc : ERR_SYSTEM;
}

void sbx_run_kill(struct sbx_run *r)
{
    if (r && r->pidfd >= 0) {
        if (r->killed == KILL_NONE) {
            r->killed = KILL_CALLER;
            clock_gettime(CLOCK_MONOTONIC, &r->killed_at);
        }
        syscall(SYS_pidfd_send_signal, r->pidfd, SIGKILL, NULL, 0);
    }
}

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void kill_for(struct sbx_run *r, enum kill_reason why)
{
    if (r->killed == KILL_NONE) {
        r->killed = why;
        clock_gettime(CLOCK_MONOTONIC, &r->killed_at);
    }
    /* Killing init tears down the whole PID namespace. */
    syscall(SYS_pidfd_send_signal, r->pidfd, SIGKILL, NULL, 0);
}

/* How long to sleep before the next CPU check: the CPU left, divided by how
 * fast the run can burn it, so a check never comes much after the limit. */
static int next_poll_ms(const struct sbx_run *r, double cpu, double wall)
{
    double wait = 0.2;
    if (r->time_limit > 0) {
        int par = r->processes < r->ctx->ncpus ? r->processes : r->ctx->ncpus;
        double left = (r->time_limit - cpu) / (par > 0 ? par : 1);
        if (left < wait)
            wait = left;
    }
    if (r->wall_limit > 0 && r->wall_limit - wall < wait)
        wait = r->wall_limit - wall;
    if (wait < 0.002)
        wait = 0.002;
    return (int)(wait * 1000.0 + 0.999);
}

/* Checks one run's CPU and wall limits, killing it when one is passed;
 * returns how many milliseconds until it should be checked again. */
static int check_limits(struct sbx_run *r)
{
    if (r->killed != KILL_NONE)
        return 200;
    uint64_t ns = 0;
    double cpu = 0, wall = since(&r->start);
    if (r->time_limit > 0 && sbx_cgroup_cpu_ns(&r->cg, &ns) == 0) {
        cpu = (double)ns / 1e9;
        if (cpu >= r->time_limit) {
            kill_for(r, KILL_TIME);
            return 200;
        }
    }
    if (r->wall_limit > 0 && wall >= r->wall_limit) {
        kill_for(r, KILL_WALL);
        return 200;
    }
    /* Without memory.peak (v2 before Linux 5.19) the peak is sampled. */
    uint64_t mem;
    int sample = r->ctx->cgs.mode == SBX_CGROUP_V2 && !r->ctx->cgs.v2_peak;
    if (sample && sbx_cgroup_memory_now(&r->cg, &mem) == 0 && mem > r->mem_sampled)
        r->mem_sampled = mem;
    int next = next_poll_ms(r, cpu, wall);
    return sample && next > 20 ? 20 : next;
}

int sbx_run_wait_any(struct sbx_run *const *runs, size_t n)
{
    struct pollfd p[SBX_WAIT_MAX];
    if (n == 0 || n > SBX_WAIT_MAX)
        return -1;
    for (;;) {
        int timeout = INT_MAX;
        for (size_t i = 0; i < n; i++) {
            int t = check_limits(runs[i]);
            if (t < timeout)
                timeout = t;
            p[i].fd = runs[i]->pidfd;
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        int k = poll(p, (nfds_t)n, timeout);
        if (k < 0 && errno != EINTR)
            return -1;
        for (size_t i = 0; k > 0 && i < n; i++)
            if (p[i].revents)
                return (int)i;
    }
}

static uint64_t fd_size(int fd)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    return (uint64_t)st.st_size;
}

int sbx_run_wait(struct sbx_run *r, struct sbx_result *res)
{
    memset(res, 0, sizeof(*res));
    sbx_run_wait_any(&r, 1);
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    while (waitid(P_PIDFD, (id_t)r->pidfd, &info, WEXITED | __WALL) < 0 && errno == EINTR)
        ;
    res->wall_seconds = since(&r->start);
    struct timespec reaped;
    clock_gettime(CLOCK_MONOTONIC, &reaped);

    struct child_msg m, setup = { 0 }, ex = { 0 };
    int have_exit = 0;
    while (read(r->status_fd, &m, sizeof(m)) == (ssize_t)sizeof(m)) {
        m.text[sizeof(m.text) - 1] = '\0';
        if (m.kind == MSG_EXIT) {
            ex = m;
            have_exit = 1;
        } else if (!setup.kind) {
            setup = m;
        }
    }

    /* When the program itself ended: init's clock, else when we killed it. */
    if (have_exit)
        res->ended_at = (double)ex.ended_ns / 1e9;
    else if (r->killed != KILL_NONE)
        res->ended_at = (double)r->killed_at.tv_sec + (double)r->killed_at.tv_nsec / 1e9;
    else
        res->ended_at = (double)reaped.tv_sec + (double)reaped.tv_nsec / 1e9;
    struct sbx_cg_stats cs;
    sbx_cgroup_stats(&r->cg, &cs);
    struct err derr = { 0 };
    int destroyed = sbx_cgroup_destroy(&r->cg, &derr);
    r->cg_made = 0;
    res->cpu_seconds = (double)cs.cpu_ns / 1e9;
    res->memory_bytes = cs.memory_peak > r->mem_sampled ? cs.memory_peak : r->mem_sampled;

    int rc = 0;
    int ws = ex.wstatus;
    if (have_exit) {
        if (WIFEXITED(ws))
            res->exit_code = WEXITSTATUS(ws);
        else if (WIFSIGNALED(ws))
            res->signal = WTERMSIG(ws);
    } else if (r->killed == KILL_NONE) {
        /* init itself was killed without a limit explaining it: only the
         * OOM killer (or the kernel's RLIMIT_CPU) can do that. */
        res->signal = info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED ? info.si_status : 0;
    } else {
        res->signal = SIGKILL;
    }

    int over_output = (res->signal == SIGXFSZ) || ex.tmp_full ||
                      fd_size(r->out_fd) >= r->output_limit || fd_size(r->err_fd) >= r->output_limit;
    int oom = cs.oom_known ? cs.oom_kills > 0 : (cs.mem_failcnt > 0 && res->signal == SIGKILL);

    if (setup.kind) {
        res->status = SBX_SANDBOX_ERROR;
        str_fmt(res->message, sizeof(res->message), "%s%s%s", setup.text, setup.err ? ": " : "",
                 setup.err ? strerror(setup.err) : "");
        res->exit_code = 0;
        res->signal = 0;
        rc = ERR_SYSTEM;
    } else if (r->killed == KILL_TIME || (r->time_limit > 0 && res->cpu_seconds > r->time_limit) ||
               res->signal == SIGXCPU) {
        res->status = SBX_TIME_LIMIT;
        str_fmt(res->message, sizeof(res->message), "CPU time limit of %.3f s exceeded", r->time_limit);
    } else if (r->killed == KILL_WALL) {
        res->status = SBX_WALL_LIMIT;
        str_fmt(res->message, sizeof(res->message), "wall-clock limit of %.3f s exceeded", r->wall_limit);
    } else if (oom) {
        res->status = SBX_MEMORY_LIMIT;
        str_fmt(res->message, sizeof(res->message), "memory limit exceeded");
    } else if (over_output) {
        res->status = SBX_OUTPUT_LIMIT;
        str_fmt(res->message, sizeof(res->message), "output limit of %llu bytes exceeded",
                 (unsigned long long)r->output_limit);
    } else if (r->killed == KILL_CALLER) {
        res->status = SBX_SIGNALED;
        str_fmt(res->message, sizeof(res->message), "killed by the caller");
    } else if (res->signal) {
        res->status = SBX_SIGNALED;
        str_fmt(res->message, sizeof(res->message), "killed by signal %d (%s)", res->signal, strsignal(res->signal));
    } else if (!have_exit) {
        res->status = SBX_SANDBOX_ERROR;
        str_fmt(res->message, sizeof(res->message), "the run ended without a result");
        rc = ERR_SYSTEM;
    } else if (res->exit_code) {
        res->status = SBX_RUNTIME_ERROR;
        str_fmt(res->message, sizeof(res->message), "exited with code %d", res->exit_code);
    } else {
        res->status = SBX_OK;
    }
    if (destroyed < 0 && res->status != SBX_SANDBOX_ERROR) {
        res->status = SBX_SANDBOX_ERROR;
        str_fmt(res->message, sizeof(res->message), "%s", derr.msg);
        rc = ERR_SYSTEM;
    }
    run_free(r);
    return rc;
}

int sbx_run(struct sbx_context *ctx, const struct sbx_config *cfg, struct sbx_result *res)
{
    struct sbx_run *r;
    struct err err = { 0 };
    if (sbx_run_start(ctx, cfg, &r, &err) < 0) {
        memset(res, 0, sizeof(*res));
        res->status = SBX_SANDBOX_ERROR;
        str_fmt(res->message, sizeof(res->message), "%s", err.msg);
        return err.code ? err.code : ERR_SYSTEM;
    }
    return sbx_run_wait(r, res);
}

static int json_escape(struct buf *out, const char *s)
{
    int rc = buf_adds(out, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            rc |= buf_addf(out, "\\%c", c);
        else if (c == '\n')
            rc |= buf_adds(out, "\\n");
        else if (c < 0x20)
            rc |= buf_addf(out, "\\u%04x", c);
        else
            rc |= buf_add(out, s, 1);
    }
    return rc | buf_adds(out, "\"");
}

int sbx_result_to_json(const struct sbx_result *res, struct buf *out)
{
    int rc = buf_addf(out, "{\"status\": \"%s\", \"exit_code\": %d, \"signal\": %d, "
                      "\"cpu_seconds\": %.3f, \"wall_seconds\": %.3f, \"memory_bytes\": %llu, \"message\": ",
                      sbx_status_name(res->status), res->exit_code, res->signal, res->cpu_seconds,
                      res->wall_seconds, (unsigned long long)res->memory_bytes);
    rc |= json_escape(out, res->message);
    rc |= buf_adds(out, "}");
    return rc ? ERR_LIMIT : 0;
}
