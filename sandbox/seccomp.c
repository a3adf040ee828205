/*
 * seccomp.c: the system-call filter installed right before exec.
 *
 * The policy is a deny-list on top of the other layers (no capabilities, an
 * unprivileged uid, namespaces): it closes the kernel interfaces that an
 * unprivileged process can still reach and that contest programs never need.
 * Refused calls fail with an errno rather than killing the process, because
 * runtimes (the JVM, Python, glibc) probe for features and carry on when a
 * call fails. The filter is built with libseccomp once per context and
 * exported as raw BPF, so the child installs it with a single prctl().
 */
#include "sandbox_int.h"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>

struct rule {
    const char *name;
    int err;                 /* errno returned */
    const char *why;
};

/* Calls refused whatever their arguments. */
static const struct rule plain_rules[] = {
    /* The file-system view is fixed by the sandbox; the user could not
     * mount without CAP_SYS_ADMIN anyway, but these also reach the new mount
     * API's parsers, which have had bugs reachable from user namespaces. */
    { "mount", EPERM, "no changes to the file-system view" },
    { "umount2", EPERM, "no changes to the file-system view" },
    { "pivot_root", EPERM, "no changes to the file-system view" },
    { "chroot", EPERM, "no changes to the file-system view" },
    { "move_mount", EPERM, "new mount API" },
    { "open_tree", EPERM, "new mount API" },
    { "fsopen", EPERM, "new mount API" },
    { "fsconfig", EPERM, "new mount API" },
    { "fsmount", EPERM, "new mount API" },
    { "fspick", EPERM, "new mount API" },
    { "mount_setattr", EPERM, "new mount API" },
    /* Joining other namespaces would leave the sandbox's. */
    { "setns", EPERM, "no entering other namespaces" },
    /* clone3 passes its flags in memory, which seccomp cannot read, so the
     * namespace check below cannot apply; ENOSYS makes glibc fall back to
     * clone, whose flags we can inspect. */
    { "clone3", ENOSYS, "flags not inspectable; libc falls back to clone" },
    /* Looking into or controlling other processes. */
    { "ptrace", EPERM, "no debugging or tracing of any process" },
    { "process_vm_readv", EPERM, "no reading other processes' memory" },
    { "process_vm_writev", EPERM, "no writing other processes' memory" },
    { "pidfd_getfd", EPERM, "no stealing other processes' descriptors" },
    { "kcmp", EPERM, "reveals kernel object identity across processes" },
    /* Large kernel attack surfaces with no use in a submission. */
    { "bpf", EPERM, "BPF verifier and maps: large attack surface" },
    { "perf_event_open", EPERM, "performance counters: side channels, attack surface" },
    { "keyctl", EPERM, "kernel keyrings are shared per uid and not namespaced" },
    { "add_key", EPERM, "kernel keyrings are shared per uid and not namespaced" },
    { "request_key", EPERM, "kernel keyrings are shared per uid and not namespaced" },
    { "userfaultfd", EPERM, "used to widen kernel race windows in exploits" },
    { "io_uring_setup", EPERM, "io_uring bypasses seccomp for the calls it runs" },
    { "io_uring_enter", EPERM, "io_uring bypasses seccomp for the calls it runs" },
    { "io_uring_register", EPERM, "io_uring bypasses seccomp for the calls it runs" },
    { "fanotify_init", EPERM, "file-system wide monitoring" },
    { "lookup_dcookie", EPERM, "kernel profiling interface" },
    /* Whole-machine operations (root only, refused for defence in depth). */
    { "kexec_load", EPERM, "machine control" },
    { "kexec_file_load", EPERM, "machine control" },
    { "init_module", EPERM, "kernel modules" },
    { "finit_module", EPERM, "kernel modules" },
    { "delete_module", EPERM, "kernel modules" },
    { "reboot", EPERM, "machine control" },
    { "swapon", EPERM, "machine control" },
    { "swapoff", EPERM, "machine control" },
    { "iopl", EPERM, "raw port I/O" },
    { "ioperm", EPERM, "raw port I/O" },
    { "acct", EPERM, "machine control" },
    { "quotactl", EPERM, "machine control" },
    { "syslog", EPERM, "kernel log reveals host information" },
    { "vhangup", EPERM, "terminal control" },
    { "sethostname", EPERM, "host identity" },
    { "setdomainname", EPERM, "host identity" },
    { "mknod", EPERM, "no new device nodes" },
    { "mknodat", EPERM, "no new device nodes" },
    /* The clock is shared by the whole machine and the judge's timing. */
    { "clock_settime", EPERM, "the clock is the machine's" },
    { "clock_adjtime", EPERM, "the clock is the machine's" },
    { "settimeofday", EPERM, "the clock is the machine's" },
    { "adjtimex", EPERM, "the clock is the machine's" },
    /* File handles bypass path-based access checks (the "shocker" escape). */
    { "open_by_handle_at", EPERM, "bypasses path permission checks" },
    { "name_to_handle_at", EPERM, "companion of open_by_handle_at" },
};

/* clone() and unshare() flags that create namespaces. */
static const unsigned long ns_flags[] = {
    CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */,
};

/* personality() flags that weaken address-space layout randomisation or
 * map page zero. */
static const unsigned long bad_personality[] = {
    ADDR_NO_RANDOMIZE, MMAP_PAGE_ZERO, ADDR_COMPAT_LAYOUT, READ_IMPLIES_EXEC,
};

static int add_plain(scmp_filter_ctx ctx, struct err *err)
{
    for (size_t i = 0; i < sizeof(plain_rules) / sizeof(plain_rules[0]); i++) {
        int nr = seccomp_syscall_resolve_name(plain_rules[i].name);
        if (nr == __NR_SCMP_ERROR)
            continue;   /* unknown to this libseccomp/architecture */
        int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(plain_rules[i].err), nr, 0);
        if (rc < 0)
            return err_set(err, ERR_SYSTEM, "seccomp rule for '%s': %s", plain_rules[i].name, strerror(-rc));
    }
    return 0;
}

/* Refuses name() when (argument & mask) == flag. */
static int add_masked(scmp_filter_ctx ctx, const char *name, unsigned arg, unsigned long mask,
                      unsigned long flag, struct err *err)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0;
    struct scmp_arg_cmp cmp = { .arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = flag };
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, &cmp);
    if (rc < 0)
        return err_set(err, ERR_SYSTEM, "seccomp rule for '%s': %s", name, strerror(-rc));
    return 0;
}

int sbx_filter_build(struct sbx_filter *f, int allow_network, struct err *err)
{
    memset(f, 0, sizeof(*f));
    int rc = 0, memfd = -1;
    /* Anything not listed is allowed. Calls made through another ABI (the
     * 32-bit int 0x80 entry, or x32) do not match our x86-64 rules, so they
     * kill the process outright: libseccomp's "bad architecture" action. */
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return err_set(err, ERR_SYSTEM, "cannot initialise seccomp");
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) {
        rc = err_set(err, ERR_SYSTEM, "cannot set seccomp attributes");
        goto out;
    }
    if ((rc = add_plain(ctx, err)) < 0)
        goto out;
    /* Namespaces: refused whenever any namespace flag is set. */
    for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
        if ((rc = add_masked(ctx, "unshare", 0, ns_flags[i], ns_flags[i], err)) < 0 ||
            (rc = add_masked(ctx, "clone", 0, ns_flags[i], ns_flags[i], err)) < 0)
            goto out;
    }
    /* Bit 31 is never a real persona flag; requiring it clear lets the
     * query value 0xffffffff through. */
    for (size_t i = 0; i < sizeof(bad_personality) / sizeof(bad_personality[0]); i++)
        if ((rc = add_masked(ctx, "personality", 0, bad_personality[i] | 0x80000000UL, bad_personality[i], err)) < 0)
            goto out;
    if (!allow_network) {
        /* Only local (AF_UNIX) sockets: everything else is the network, and
         * the empty network namespace is our first wall, this the second. */
        const char *calls[] = { "socket", "socketpair" };
        for (size_t i = 0; i < 2; i++) {
            int nr = seccomp_syscall_resolve_name(calls[i]);
            struct scmp_arg_cmp not_unix = { .arg = 0, .op = SCMP_CMP_NE, .datum_a = AF_UNIX, .datum_b = 0 };
            rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), nr, 1, &not_unix);
            if (rc < 0) {
                rc = err_set(err, ERR_SYSTEM, "seccomp rule for '%s': %s", calls[i], strerror(-rc));
                goto out;
            }
        }
    }

    memfd = memfd_create("crucible-seccomp", MFD_CLOEXEC);
    if (memfd < 0) {
        rc = err_sys(err, "cannot create a memfd for the filter");
        goto out;
    }
    if ((rc = seccomp_export_bpf(ctx, memfd)) < 0) {
        rc = err_set(err, ERR_SYSTEM, "cannot export the seccomp filter: %s", strerror(-rc));
        goto out;
    }
    off_t size = lseek(memfd, 0, SEEK_END);
    if (size <= 0 || size % (off_t)sizeof(struct sock_filter) || size / (off_t)sizeof(struct sock_filter) > 4096) {
        rc = err_set(err, ERR_SYSTEM, "the exported seccomp filter has a bad size");
        goto out;
    }
    f->insns = malloc((size_t)size);
    if (!f->insns)
        abort();
    if (pread(memfd, f->insns, (size_t)size, 0) != size) {
        rc = err_sys(err, "cannot read the seccomp filter back");
        sbx_filter_release(f);
        goto out;
    }
    f->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    rc = 0;
out:
    if (memfd >= 0)
        close(memfd);
    seccomp_release(ctx);
    return rc;
}

void sbx_filter_release(struct sbx_filter *f)
{
    free(f->insns);
    f->insns = NULL;
    f->len = 0;
}
