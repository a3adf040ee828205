/*
 * stdin_reopen.c: tries to change the host's input file, which the sandbox
 * opened read-only as fd 0: writing fd 0, reopening /proc/self/fd/0 for
 * writing (as the host file's path would allow), chmod through the fd.
 * Prints "NAME ok|err ERRNO"; all must fail and the file stay unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog_common.h"

static void report(const char *name, long rc)
{
    printf("%s %s\n", name, rc >= 0 ? "ok" : strerrorname_np(errno));
}

int main(void)
{
    record_uid();
    report("write_fd0", write(0, "pwned", 5));
    int fd = open("/proc/self/fd/0", O_WRONLY | O_TRUNC);
    report("reopen_wronly", fd);
    if (fd >= 0) {
        (void)!write(fd, "pwned", 5);
        close(fd);
    }
    report("reopen_rdwr", fd = open("/proc/self/fd/0", O_RDWR));
    if (fd >= 0)
        close(fd);
    report("fchmod_fd0", fchmod(0, 0666));
    report("ftruncate_fd0", ftruncate(0, 0));
    return 0;
}
