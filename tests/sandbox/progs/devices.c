/*
 * devices.c: lists /dev (name, type, major:minor) and tries to open device
 * nodes a program must never reach (disks, memory, kernel log, terminals).
 * Lists /dev/pts too (it must be empty) and then checks that the five
 * allowed devices work as they should.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "prog_common.h"

static const char *forbidden[] = {
    "/dev/sda", "/dev/vda", "/dev/nvme0n1", "/dev/mem", "/dev/kmem", "/dev/port",
    "/dev/kmsg", "/dev/tty", "/dev/console", "/dev/ptmx", "/dev/loop0", "/dev/fuse",
    "/dev/kvm", "/dev/net/tun", "/dev/pts/ptmx", "/dev/pts/0", "/dev/nvidia0", "/dev/nvidiactl",
};

int main(void)
{
    record_uid();
    DIR *d = opendir("/dev");
    if (!d)
        return 3;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[300];
        struct stat st;
        snprintf(path, sizeof(path), "/dev/%s", e->d_name);
        if (lstat(path, &st) < 0)
            continue;
        const char *type = S_ISCHR(st.st_mode) ? "chr" : S_ISBLK(st.st_mode) ? "blk"
                         : S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "lnk" : "other";
        printf("entry %s %s %u:%u\n", e->d_name, type, major(st.st_rdev), minor(st.st_rdev));
    }
    closedir(d);
    /* No devpts may be mounted there: its ptmx would hand out terminals. */
    d = opendir("/dev/pts");
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            printf("pts %s\n", e->d_name);
    if (d)
        closedir(d);
    for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
        int fd = open(forbidden[i], O_RDONLY);
        printf("open %s %s\n", forbidden[i], fd >= 0 ? "ok" : strerrorname_np(errno));
        if (fd >= 0)
            close(fd);
    }
    char buf[16];
    int fd = open("/dev/zero", O_RDONLY);
    printf("works zero %s\n", fd >= 0 && read(fd, buf, 16) == 16 && buf[7] == 0 ? "yes" : "no");
    close(fd);
    fd = open("/dev/null", O_WRONLY);
    printf("works null %s\n", fd >= 0 && write(fd, buf, 16) == 16 ? "yes" : "no");
    close(fd);
    fd = open("/dev/full", O_WRONLY);
    printf("works full %s\n", fd >= 0 && write(fd, buf, 16) < 0 && errno == ENOSPC ? "yes" : "no");
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    printf("works urandom %s\n", fd >= 0 && read(fd, buf, 16) == 16 ? "yes" : "no");
    close(fd);
    fd = open("/dev/random", O_RDONLY);
    printf("works random %s\n", fd >= 0 && read(fd, buf, 16) == 16 ? "yes" : "no");
    close(fd);
    return 0;
}
