/*
 * syscall_abi.c: a 64-bit program that makes system calls through the
 * 32-bit int 0x80 entry and with the x32 bit set, where a filter that only
 * knows x86-64 numbers would let dangerous calls through. Each attempt runs
 * in a child (the filter may kill it); prints "NAME succeeded RET",
 * "NAME errno ERRNO" or "NAME killed SIG". None may succeed.
 * Needs --processes=2.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prog_common.h"

#define X32_BIT 0x40000000L

static long int80(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
}

static long sys64(long nr, long a, long b, long c)
{
    long ret;
    register long r10 __asm__("r10") = 0;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

static void attempt(const char *name, int abi32, long nr, long a, long b, long c)
{
    int pipefd[2];
    if (pipe(pipefd) < 0)
        return;
    pid_t pid = fork();
    if (pid < 0) {
        printf("%s fork-failed %s\n", name, strerrorname_np(errno));
        return;
    }
    if (pid == 0) {
        long r = abi32 ? int80(nr, a, b, c) : sys64(nr, a, b, c);
        (void)!write(pipefd[1], &r, sizeof(r));
        _exit(0);
    }
    close(pipefd[1]);
    long r = 0;
    ssize_t got = read(pipefd[0], &r, sizeof(r));
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (got != (ssize_t)sizeof(r))
        printf("%s killed %d\n", name, WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    else if (r < 0 && r > -4096)
        printf("%s errno %s\n", name, strerrorname_np((int)-r));
    else
        printf("%s succeeded %ld\n", name, r);
    fflush(stdout);
}

int main(void)
{
    record_uid();
    fflush(stdout);
    /* The i386 numbers: getpid 20, unshare 310, ptrace 26, mount 21,
     * setns 346, personality 136, socket(AF_INET) 359. */
    attempt("i386_getpid", 1, 20, 0, 0, 0);
    attempt("i386_unshare_newuser", 1, 310, 0x10000000, 0, 0);
    attempt("i386_ptrace_traceme", 1, 26, 0, 0, 0);
    attempt("i386_mount", 1, 21, 0, 0, 0);
    attempt("i386_personality", 1, 136, 0x0040000, 0, 0);
    attempt("i386_socket_inet", 1, 359, 2, 1, 0);
    /* The x32 numbers: getpid 39, unshare 272, socket 41. */
    attempt("x32_getpid", 0, X32_BIT | 39, 0, 0, 0);
    attempt("x32_unshare_newuser", 0, X32_BIT | 272, 0x10000000, 0, 0);
    attempt("x32_socket_inet", 0, X32_BIT | 41, 2, 1, 0);
    return 0;
}
