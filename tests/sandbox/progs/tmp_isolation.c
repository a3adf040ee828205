/*
 * tmp_isolation.c: lists /tmp (it must start empty: a private tmpfs, not the
 * host's /tmp), checks that the host's marker (argv[1]) is absent, and leaves
 * a marker (argv[2]) that the host must not see.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    if (argc < 3)
        return 3;
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            printf("entry %s\n", e->d_name);
    if (d)
        closedir(d);
    char path[256];
    snprintf(path, sizeof(path), "/tmp/%s", argv[1]);
    printf("host_marker %s\n", access(path, F_OK) == 0 ? "visible" : strerrorname_np(errno));
    snprintf(path, sizeof(path), "/tmp/%s", argv[2]);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    printf("own_marker %s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
    struct statfs sf;
    if (statfs("/tmp", &sf) == 0)
        printf("tmp_size %llu\n", (unsigned long long)sf.f_blocks * sf.f_bsize);
    return 0;
}
