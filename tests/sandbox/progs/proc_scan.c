/*
 * proc_scan.c: looks for host processes in /proc. Prints "pid PID CMD" for
 * every process it can see and "count N"; only the run's own pid namespace
 * (a handful of pids) may be there.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    DIR *d = opendir("/proc");
    if (!d)
        return 3;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        count++;
        char path[300], cmd[256] = "";
        snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd >= 0) {
            ssize_t n = read(fd, cmd, sizeof(cmd) - 1);
            if (n > 0) {
                for (ssize_t i = 0; i < n; i++)
                    if (cmd[i] == 0 || cmd[i] == '\n')
                        cmd[i] = ' ';
                cmd[n] = 0;
            }
            close(fd);
        }
        printf("pid %s %s\n", e->d_name, cmd);
    }
    closedir(d);
    printf("count %d\n", count);
    return 0;
}
