/*
 * fd_leak.c: lists its open file descriptors and what they point to. Only
 * 0, 1 and 2 may be open at start: any other is a descriptor the sandbox
 * leaked from the host (a cgroup file, a lock, a pipe).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 3;
    int own = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd == own)
            continue;
        char path[300], target[512];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = 0;
        printf("fd %d %s\n", fd, target);
    }
    closedir(d);
    return 0;
}
