/*
 * privileged_ops.c: what only root could do: mount, umount, unshare, chroot,
 * mknod of a disk, sethostname, setuid(0), setgroups, chown to root, a
 * real-time scheduler, a negative nice, an OOM-proof oom_score_adj. Prints "NAME ok|err ERRNO"; every one
 * must fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "prog_common.h"

static void report(const char *name, int rc)
{
    if (rc >= 0)
        printf("%s ok\n", name);
    else
        printf("%s err %s\n", name, strerrorname_np(errno));
}

int main(void)
{
    record_uid();
    report("mount_tmpfs", mount("none", "/tmp", "tmpfs", 0, NULL));
    report("mount_bind_root", mount("/", "/box", NULL, MS_BIND | MS_REC, NULL));
    report("mount_proc", mount("proc", "/tmp", "proc", 0, NULL));
    report("remount_usr_rw", mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL));
    report("umount_proc", umount2("/proc", MNT_DETACH));
    report("unshare_user", unshare(CLONE_NEWUSER));
    report("unshare_mount", unshare(CLONE_NEWNS));
    report("unshare_net", unshare(CLONE_NEWNET));
    report("chroot", chroot("/tmp"));
    report("mknod_disk", mknod("/tmp/sda", S_IFBLK | 0666, makedev(8, 0)));
    report("mknod_mem", mknod("/box/mem", S_IFCHR | 0666, makedev(1, 1)));
    report("sethostname", sethostname("pwned", 5));
    report("setdomainname", setdomainname("pwned", 5));
    report("setuid0", setuid(0));
    report("setgid0", setgid(0));
    report("setgroups", setgroups(0, NULL));
    int fd = open("/box/owned", O_WRONLY | O_CREAT, 0644);
    if (fd >= 0)
        close(fd);
    report("chown_root", chown("/box/owned", 0, 0));
    struct sched_param sp = { .sched_priority = 10 };
    report("sched_fifo", sched_setscheduler(0, SCHED_FIFO, &sp));
    report("nice_negative", setpriority(PRIO_PROCESS, 0, -10));
    /* -1000 would make the run's processes unkillable by the OOM killer. */
    fd = open("/proc/self/oom_score_adj", O_WRONLY);
    report("oom_score_adj_lower", fd >= 0 && write(fd, "-1000", 5) == 5 ? 0 : -1);
    if (fd >= 0)
        close(fd);
    return 0;
}
