/*
 * read_host.c: tries to open, list or stat each path given as an argument
 * (host secrets, the state folder, escapes through /proc/1/root and /box/..)
 * and prints "PATH ok" or "PATH err ERRNO" for each. The driver passes only
 * paths that must not be reachable.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            printf("%s err %s\n", argv[i], strerrorname_np(errno));
            continue;
        }
        int ok;
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            ok = d != NULL;
            if (d)
                closedir(d);
        } else {
            int fd = open(argv[i], O_RDONLY);
            char c;
            ok = fd >= 0 && read(fd, &c, 1) >= 0;
            if (fd >= 0)
                close(fd);
        }
        /* A stat that works is already a leak: the path exists inside. */
        printf("%s %s %s\n", argv[i], ok ? "ok" : "exists", ok ? "" : strerrorname_np(errno));
    }
    return 0;
}
