/*
 * env_dump.c: prints its whole environment ("env NAME=VALUE") and the
 * environment of every other process it can read in /proc ("procenv PID
 * ..."): a sandbox helper forked from crucible without exec still carries
 * crucible's environment. The driver checks that no host secret shows up
 * and that --env arrived.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "prog_common.h"

extern char **environ;

int main(void)
{
    record_uid();
    for (char **e = environ; *e; e++)
        printf("env %s\n", *e);
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        char path[300];
        static char buf[65536];
        snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
            continue;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == 0 || buf[i] == '\n')
                buf[i] = ' ';
        buf[n] = 0;
        printf("procenv %s %s\n", e->d_name, buf);
    }
    if (d)
        closedir(d);
    return 0;
}
