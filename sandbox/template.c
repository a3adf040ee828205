/*
 * template.c: the template mount namespace that fast-path runs copy.
 *
 * How this works: building a run's root from the host's tree costs a dozen
 * mounts, copies of /etc files, and then detaching the host's whole tree
 * again. Instead, a builder child makes that root once, pivots into it,
 * drops the host tree and remounts it read-only; the supervisor pins the
 * builder's mount namespace with a bind mount at STATE/template/mnt and
 * records a stamp of what went in (the /etc files' sizes and times, the
 * devices, the uid range). Each later context opens the pinned namespace;
 * when the stamp no longer matches (an upgrade changed ld.so.cache, say), it
 * builds a new one and re-pins; runs holding the old one keep it alive.
 */
#include "run_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEMPLATE_STAMP_MAX 16384

static void stamp_entry(struct buf *b, const struct sbx_entry *e)
{
    struct stat st;
    if (lstat(e->host, &st) < 0)
        memset(&st, 0, sizeof(st));
    buf_addf(b, "%s %d %lld %lld.%09ld %s\n", e->host, (int)e->type, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, e->link);
}

static void make_stamp(const struct sbx_context *ctx, struct buf *b)
{
    buf_addf(b, "crucible-template 1\nuids %u %u\n", ctx->first_uid, ctx->slots);
    for (size_t i = 0; i < ctx->nroot; i++)
        stamp_entry(b, &ctx->root_entries[i]);
    for (size_t i = 0; i < ctx->netc; i++)
        stamp_entry(b, &ctx->etc_entries[i]);
    for (size_t i = 0; i < ctx->nbase_devs; i++)
        buf_addf(b, "dev %s %llu\n", ctx->base_devs[i].name, (unsigned long long)ctx->base_devs[i].dev);
}

static int open_pinned(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct statfs sf;
    if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static int build(struct sbx_context *ctx, const char *pin, struct err *err)
{
    struct buf passwd, group;
    buf_init(&passwd, 0);
    buf_init(&group, 0);
    /* Every slot's uid has a name, so tools that look the user up work. */
    buf_adds(&passwd, "root:x:0:0:root:/:/usr/sbin/nologin\n");
    buf_adds(&group, "root:x:0:\n");
    for (uint32_t i = 0; i < ctx->slots; i++) {
        buf_addf(&passwd, "box:x:%u:%u:box:/box:/bin/sh\n", ctx->first_uid + i, ctx->first_uid + i);
        buf_addf(&group, "box:x:%u:\n", ctx->first_uid + i);
    }

    int rc = 0, st[2] = { -1, -1 }, go[2] = { -1, -1 };
    if (pipe2(st, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) < 0) {
        rc = err_sys(err, "cannot create pipes");
        goto out;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        rc = err_sys(err, "cannot fork the template builder");
        goto out;
    }
    if (pid == 0) {
        umask(0);
        sbx_template_populate(ctx, passwd.buf, group.buf, st[1]);
        char ready = 'R', done;
        if (write(st[1], &ready, 1) != 1)
            _exit(1);
        /* Stay alive until the supervisor has pinned our namespace. */
        if (read(go[0], &done, 1) < 0)
            _exit(1);
        _exit(0);
    }
    close(st[1]);
    st[1] = -1;
    close(go[0]);
    go[0] = -1;

    struct child_msg m;
    ssize_t n = read(st[0], &m, sizeof(m));
    if (n != 1) {
        if (n == (ssize_t)sizeof(m)) {
            m.text[sizeof(m.text) - 1] = '\0';
            rc = err_set(err, ERR_SYSTEM, "template root: %s: %s", m.text, strerror(m.err));
        } else {
            rc = err_set(err, ERR_SYSTEM, "the template builder died");
        }
    } else {
        char src[64];
        str_fmt(src, sizeof(src), "/proc/%d/ns/mnt", (int)pid);
        umount2(pin, MNT_DETACH);   /* an older template: runs using it keep it alive */
        int fd = open(pin, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
        if (fd < 0 || mount(src, pin, NULL, MS_BIND, NULL) < 0)
            rc = err_sys(err, "cannot pin the template namespace at '%s'", pin);
    }
    if (send(go[1], "g", 1, MSG_NOSIGNAL) < 0)
        kill(pid, SIGKILL);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
out:
    for (int i = 0; i < 2; i++) {
        if (st[i] >= 0)
            close(st[i]);
        if (go[i] >= 0)
            close(go[i]);
    }
    buf_release(&passwd);
    buf_release(&group);
    return rc;
}

int sbx_template_open(struct sbx_context *ctx, struct err *err)
{
    char dir[SBX_PATH_MAX], lock[SBX_PATH_MAX + 8], pin[SBX_PATH_MAX + 8], stamp_path[SBX_PATH_MAX + 8],
        tmp[SBX_PATH_MAX + 16];
    str_fmt(dir, sizeof(dir), "%s/template", ctx->state_dir);
    str_fmt(lock, sizeof(lock), "%s/lock", dir);
    str_fmt(pin, sizeof(pin), "%s/mnt", dir);
    str_fmt(stamp_path, sizeof(stamp_path), "%s/stamp", dir);
    str_fmt(tmp, sizeof(tmp), "%s/stamp.new", dir);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return err_sys(err, "cannot create '%s'", dir);

    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0)
        return err_sys(err, "cannot open '%s'", lock);
    while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
        ;
    struct buf want, have;
    buf_init(&want, TEMPLATE_STAMP_MAX);
    buf_init(&have, TEMPLATE_STAMP_MAX);
    make_stamp(ctx, &want);
    int rc = 0;
    int fd = open_pinned(pin);
    if (fd < 0 || buf_read_file(&have, stamp_path, NULL) < 0 || strcmp(have.buf, want.buf) != 0) {
        if (fd >= 0)
            close(fd);
        fd = -1;
        unlink(stamp_path);
        if ((rc = build(ctx, pin, err)) == 0) {
            int sfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (sfd < 0 || write(sfd, want.buf, want.len) != (ssize_t)want.len || rename(tmp, stamp_path) < 0)
                rc = err_sys(err, "cannot write '%s'", stamp_path);
            if (sfd >= 0)
                close(sfd);
            fd = open_pinned(pin);
            if (rc == 0 && fd < 0)
                rc = err_set(err, ERR_SYSTEM, "the template namespace at '%s' is not pinned", pin);
        }
    }
    ctx->template_fd = fd;
    buf_release(&want);
    buf_release(&have);
    close(lfd);
    return rc;
}
