/*
 * ro_write.c: tries to create, change or delete files in the read-only parts
 * of the sandbox (/, /usr, /etc, /bin, /proc/sys, /proc/sysrq-trigger) and
 * then writes where it may (/box, /tmp). Prints "NAME ok|err ERRNO".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prog_common.h"

static void try_create(const char *name, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, "x", 1) == 1;
    printf("%s %s\n", name, ok ? "ok" : strerrorname_np(errno));
    if (fd >= 0)
        close(fd);
}

static void report(const char *name, int rc)
{
    printf("%s %s\n", name, rc >= 0 ? "ok" : strerrorname_np(errno));
}

int main(void)
{
    record_uid();
    try_create("create_root", "/pwned");
    try_create("create_usr", "/usr/pwned");
    try_create("create_usr_bin", "/usr/bin/pwned");
    try_create("create_etc", "/etc/pwned");
    try_create("create_bin", "/bin/pwned");
    try_create("overwrite_ld_cache", "/etc/ld.so.cache");
    try_create("proc_hostname", "/proc/sys/kernel/hostname");
    try_create("proc_sysrq", "/proc/sysrq-trigger");
    try_create("proc_core_pattern", "/proc/sys/kernel/core_pattern");
    report("mkdir_usr", mkdir("/usr/pwned_dir", 0755));
    report("unlink_usr_bin_env", unlink("/usr/bin/env"));
    report("rename_etc", rename("/etc/ld.so.cache", "/etc/ld.so.cache.old"));
    report("chmod_usr_bin_env", chmod("/usr/bin/env", 04777));
    report("symlink_root", symlink("/box", "/pwned_link"));
    /* These two must work. */
    try_create("allowed_box", "/box/written");
    try_create("allowed_tmp", "/tmp/written");
    return 0;
}
