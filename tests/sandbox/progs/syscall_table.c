/*
 * syscall_table.c: calls each system call the seccomp filter must refuse,
 * with harmless arguments chosen so that an unfiltered kernel would answer
 * differently (success, EINVAL, EBADF, ...) where possible. Prints
 * "NAME ok RET" or "NAME err ERRNO"; the driver checks each against the
 * errno the filter promises. Needs --processes=2 (the clone tests fork).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "prog_common.h"

static void report(const char *name, long rc)
{
    if (rc >= 0)
        printf("%s ok %ld\n", name, rc);
    else
        printf("%s err %s\n", name, strerrorname_np(errno));
    fflush(stdout);
}

/* A raw clone that, if it works, must not leave a second copy of us running. */
static long try_clone(unsigned long flags)
{
    long rc = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (rc == 0)
        _exit(0);
    if (rc > 0)
        waitpid((pid_t)rc, NULL, 0);
    return rc;
}

static long try_clone3(uint64_t flags)
{
    struct clone_args args;
    memset(&args, 0, sizeof(args));
    args.flags = flags;
    args.exit_signal = SIGCHLD;
    long rc = syscall(SYS_clone3, &args, sizeof(args));
    if (rc == 0)
        _exit(0);
    if (rc > 0)
        waitpid((pid_t)rc, NULL, 0);
    return rc;
}

int main(void)
{
    record_uid();
    static char mem[16] = "own-memory";
    char buf[16];
    struct iovec local = { buf, sizeof(buf) }, remote = { mem, sizeof(mem) };

    report("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
    report("umount2", syscall(SYS_umount2, "/nonexistent", 0));
    report("pivot_root", syscall(SYS_pivot_root, "/nonexistent", "/nonexistent"));
    report("chroot", syscall(SYS_chroot, "/nonexistent"));
    report("unshare", syscall(SYS_unshare, CLONE_NEWUSER));
    int nsfd = open("/proc/self/ns/uts", O_RDONLY);
    report("setns", syscall(SYS_setns, nsfd, 0));
    report("clone_newuser", try_clone(CLONE_NEWUSER));
    report("clone_newns", try_clone(CLONE_NEWNS));
    report("clone3", try_clone3(0));
    report("clone3_newuser", try_clone3(CLONE_NEWUSER));
    report("ptrace", syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
    report("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0));
    report("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &remote, 1, &local, 1, 0));
    report("bpf", syscall(SYS_bpf, 0x7fff, NULL, 0));
    struct perf_event_attr pe;
    memset(&pe, 0, sizeof(pe));
    pe.type = PERF_TYPE_SOFTWARE;
    pe.size = sizeof(pe);
    pe.config = PERF_COUNT_SW_TASK_CLOCK;
    pe.disabled = 1;
    pe.exclude_kernel = 1;
    report("perf_event_open", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
    report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
    report("add_key", syscall(SYS_add_key, "user", "crucible", "x", 1, -2 /* process */));
    report("request_key", syscall(SYS_request_key, "user", "crucible-none", NULL, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */));
    unsigned char params[120];
    memset(params, 0, sizeof(params));
    report("io_uring_setup", syscall(SYS_io_uring_setup, 4, params));
    report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
    report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0x7fff0000UL));
    report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0x7fff0000UL));
    report("init_module", syscall(SYS_init_module, NULL, 0, ""));
    report("finit_module", syscall(SYS_finit_module, -1, "", 0));
    report("delete_module", syscall(SYS_delete_module, "crucible_none", 0));
    report("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));   /* bad magic: EINVAL unfiltered */
    report("swapon", syscall(SYS_swapon, "/nonexistent", 0));
    report("swapoff", syscall(SYS_swapoff, "/nonexistent"));
    report("iopl", syscall(SYS_iopl, 3));
    report("ioperm", syscall(SYS_ioperm, 0x80, 1, 1));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    report("clock_settime", syscall(SYS_clock_settime, CLOCK_MONOTONIC, &now));
    report("settimeofday", syscall(SYS_settimeofday, NULL, NULL));   /* a no-op unfiltered */
    struct timex tx;
    memset(&tx, 0, sizeof(tx));   /* modes 0: a read-only query unfiltered */
    report("adjtimex", syscall(SYS_adjtimex, &tx));
    memset(&tx, 0, sizeof(tx));
    report("clock_adjtime", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx));
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
    report("personality_no_aslr", syscall(SYS_personality, ADDR_NO_RANDOMIZE));
    report("socket_inet", syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
    report("socket_inet6", syscall(SYS_socket, AF_INET6, SOCK_DGRAM, 0));
    report("socket_netlink", syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0));
    report("socket_packet", syscall(SYS_socket, AF_PACKET, SOCK_RAW, 0));
    report("socket_vsock", syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
    report("socket_alg", syscall(SYS_socket, AF_ALG, SOCK_SEQPACKET, 0));
    /* socket() takes an int: upper bits vanish in the kernel but not in a
     * 64-bit filter comparison, so a deny list of families is bypassed. */
    report("socket_inet_hibits", syscall(SYS_socket, (1UL << 32) | AF_INET, SOCK_STREAM, 0));
    report("socketpair_inet", syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (int[2]){0, 0}));
    /* Must keep working: ordinary programs need them. */
    report("socket_unix", syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0));
    report("personality_query", syscall(SYS_personality, 0xffffffffUL));
    report("getpid", syscall(SYS_getpid));
    return 0;
}
