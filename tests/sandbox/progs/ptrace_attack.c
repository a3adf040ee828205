/*
 * ptrace_attack.c: tries to trace or read another process: PTRACE_TRACEME,
 * PTRACE_ATTACH and PTRACE_SEIZE on its own child and on pid 1, and
 * process_vm_readv on the child. Prints "NAME ok|err ERRNO".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include "prog_common.h"

static void report(const char *name, long rc)
{
    if (rc >= 0)
        printf("%s ok\n", name);
    else
        printf("%s err %s\n", name, strerrorname_np(errno));
}

int main(void)
{
    record_uid();
    static char secret[16] = "child-secret";
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    if (child < 0) {
        printf("fork err %s\n", strerrorname_np(errno));
        return 3;
    }
    usleep(20 * 1000);
    report("attach_child", ptrace(PTRACE_ATTACH, child, 0, 0));
    report("seize_child", ptrace(PTRACE_SEIZE, child, 0, 0));
    report("attach_init", ptrace(PTRACE_ATTACH, 1, 0, 0));
    char buf[16];
    struct iovec local = { buf, sizeof(buf) }, remote = { secret, sizeof(secret) };
    report("vm_readv_child", process_vm_readv(child, &local, 1, &remote, 1, 0));
    kill(child, SIGKILL);
    report("traceme", ptrace(PTRACE_TRACEME, 0, 0, 0));
    return 0;
}
