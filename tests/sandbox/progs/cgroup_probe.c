/*
 * cgroup_probe.c: prints /proc/self/cgroup (the cgroup namespace must show
 * "/" for every hierarchy, hiding the host's layout) and tries to reach the
 * cgroup tree to move itself out of its limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[512];
    while (f && fgets(line, sizeof(line), f))
        printf("cgroup %s", line);
    if (f)
        fclose(f);
    int fd = open("/sys/fs/cgroup", O_RDONLY);
    printf("open_sys_fs_cgroup %s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
    int rc = mount("cgroup", "/tmp", "cgroup2", 0, NULL);
    printf("mount_cgroup2 %s\n", rc == 0 ? "ok" : strerrorname_np(errno));
    rc = mount("cgroup", "/tmp", "cgroup", 0, "pids");
    printf("mount_cgroup_v1 %s\n", rc == 0 ? "ok" : strerrorname_np(errno));
    return 0;
}
