/*
 * util.c: file-tree helpers for the judge's work folders, command templates
 * and content hashes. Trees here may hold whatever a hostile program left:
 * nothing below follows a symbolic link.
 */
#include "judge_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TREE_MAX_DEPTH 32
#define TREE_MAX_ENTRIES 10000

int jdg_mounts_private(void)
{
    if (geteuid() != 0)
        return 0;
    /* MS_SLAVE: mounts the host makes later still arrive here; ours never
     * leave. The sandbox's pinned namespaces then live in this namespace
     * too and are pinned again by the next process that needs them. */
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        return -1;
    return 0;
}

int jdg_mkdirs(const char *path, mode_t mode)
{
    return fs_mkdirs(path, mode);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

int jdg_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    /* A folder the run made unreadable must still go. */
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int jdg_copy_file(const char *src, const char *dst, mode_t mode, uint64_t max, struct err *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return err_sys(err, "cannot open '%s'", src);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (out < 0) {
        close(in);
        return err_sys(err, "cannot create '%s'", dst);
    }
    char chunk[65536];
    uint64_t total = 0;
    int rc = 0;
    ssize_t n;
    while ((n = read(in, chunk, sizeof(chunk))) > 0) {
        total += (uint64_t)n;
        if (total > max) {
            rc = err_set(err, ERR_LIMIT, "'%s' is larger than %llu bytes", src, (unsigned long long)max);
            break;
        }
        if (write(out, chunk, (size_t)n) != n) {
            rc = err_sys(err, "cannot write '%s'", dst);
            break;
        }
    }
    if (n < 0)
        rc = err_sys(err, "cannot read '%s'", src);
    close(in);
    close(out);
    return rc;
}

static int copy_tree_at(const char *src, const char *dst, int depth, size_t *count, struct err *err)
{
    if (depth > TREE_MAX_DEPTH)
        return err_set(err, ERR_LIMIT, "'%s' is nested too deep", src);
    DIR *d = opendir(src);
    if (!d)
        return err_sys(err, "cannot open '%s'", src);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (++*count > TREE_MAX_ENTRIES) {
            rc = err_set(err, ERR_LIMIT, "'%s' has more than %d entries", src, TREE_MAX_ENTRIES);
            break;
        }
        char s[JDG_PATH_MAX], t[JDG_PATH_MAX];
        if (str_fmt(s, sizeof(s), "%s/%s", src, e->d_name) < 0 ||
            str_fmt(t, sizeof(t), "%s/%s", dst, e->d_name) < 0) {
            rc = err_set(err, ERR_LIMIT, "path too long below '%s'", src);
            break;
        }
        struct stat st;
        if (lstat(s, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(t, 0755) < 0 && errno != EEXIST)
                rc = err_sys(err, "cannot create '%s'", t);
            else
                rc = copy_tree_at(s, t, depth + 1, count, err);
        } else if (S_ISREG(st.st_mode)) {
            /* Hard links where possible (same file system), copies otherwise. */
            if (link(s, t) < 0)
                rc = jdg_copy_file(s, t, st.st_mode & 0755, UINT64_MAX, err);
        }
    }
    closedir(d);
    return rc;
}

int jdg_copy_tree(const char *src, const char *dst, struct err *err)
{
    size_t count = 0;
    if (mkdir(dst, 0755) < 0 && errno != EEXIST)
        return err_sys(err, "cannot create '%s'", dst);
    return copy_tree_at(src, dst, 0, &count, err);
}

/* How a tree's permissions are reset: sealed (root-owned, read-only to the
 * runs) after compiling, or opened up (any uid may write) between the passes
 * of a multi-pass validator. Links, fifos and sockets are removed in both:
 * whatever a run left is never followed. */
struct tree_mode {
    int to_root;                /* chown everything to root */
    mode_t dir_mode;
    mode_t file_mode;           /* for files without an execute bit */
    mode_t exec_mode;           /* for files with one */
};

static const struct tree_mode sealed = { 1, 0755, 0644, 0755 };
static const struct tree_mode opened = { 0, 0777, 0666, 0777 };

static int reset_at(int dirfd, const char *name, int depth, size_t *count, const struct tree_mode *m,
                    struct err *err)
{
    if (depth > TREE_MAX_DEPTH)
        return err_set(err, ERR_LIMIT, "'%s' is nested too deep", name);
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", name);
    if ((m->to_root && fchown(fd, 0, 0) < 0) || fchmod(fd, m->dir_mode) < 0) {
        close(fd);
        return err_sys(err, "cannot change the owner or mode of '%s'", name);
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return err_sys(err, "cannot read '%s'", name);
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (++*count > TREE_MAX_ENTRIES) {
            rc = err_set(err, ERR_LIMIT, "more than %d files below '%s'", TREE_MAX_ENTRIES, name);
            break;
        }
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            rc = reset_at(fd, e->d_name, depth + 1, count, m, err);
        } else if (S_ISREG(st.st_mode)) {
            if ((m->to_root && fchownat(fd, e->d_name, 0, 0, AT_SYMLINK_NOFOLLOW) < 0) ||
                fchmodat(fd, e->d_name, (st.st_mode & 0111) ? m->exec_mode : m->file_mode, 0) < 0)
                rc = err_sys(err, "cannot change the owner or mode of '%s'", e->d_name);
        } else {
            unlinkat(fd, e->d_name, 0);
        }
    }
    closedir(d);
    return rc;
}

int jdg_seal_tree(const char *dir, struct err *err)
{
    size_t count = 0;
    return reset_at(AT_FDCWD, dir, 0, &count, &sealed, err);
}

int jdg_read_capped(const char *path, size_t max, struct buf *out, int *truncated)
{
    if (truncated)
        *truncated = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
        size_t room = max - out->len;
        if ((size_t)n > room) {
            buf_add(out, chunk, room);
            if (truncated)
                *truncated = 1;
            break;
        }
        if (buf_add(out, chunk, (size_t)n) < 0) {
            if (truncated)
                *truncated = 1;
            break;
        }
    }
    close(fd);
    return n < 0 ? -1 : 0;
}

void jdg_strv_release(struct prb_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

int jdg_strv_push(struct prb_strv *sv, const char *s)
{
    char **v = realloc(sv->v, (sv->n + 2) * sizeof(*v));
    if (!v)
        abort();
    sv->v = v;
    sv->v[sv->n] = strdup(s);
    if (!sv->v[sv->n])
        abort();
    sv->n++;
    sv->v[sv->n] = NULL;
    return 0;
}

int jdg_expand(const struct prb_strv *tmpl, const char *const *files, size_t nfiles,
               const char *main, uint64_t memory_mib, struct prb_strv *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < tmpl->n; i++) {
        const char *w = tmpl->v[i];
        if (!strcmp(w, "{files}")) {
            for (size_t f = 0; f < nfiles; f++)
                jdg_strv_push(out, files[f]);
            continue;
        }
        struct buf b;
        buf_init(&b, 4096);
        for (const char *p = w; *p;) {
            if (!strncmp(p, "{main}", 6)) {
                buf_adds(&b, main);
                p += 6;
            } else if (!strncmp(p, "{memory_mib}", 12)) {
                buf_addf(&b, "%llu", (unsigned long long)memory_mib);
                p += 12;
            } else {
                buf_add(&b, p, 1);
                p++;
            }
        }
        jdg_strv_push(out, b.buf);
        buf_release(&b);
    }
    return out->n ? 0 : ERR_INVALID;
}

static int hash_at(crypto_generichash_state *h, const char *dir, const char *rel, int depth, size_t *count,
                   struct err *err)
{
    if (depth > TREE_MAX_DEPTH)
        return err_set(err, ERR_LIMIT, "'%s' is nested too deep", dir);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);   /* sorted: the hash must not depend on order */
    if (n < 0)
        return err_sys(err, "cannot read '%s'", dir);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && strcmp(name, ".") && strcmp(name, "..")) {
            char path[JDG_PATH_MAX], sub[JDG_PATH_MAX];
            struct stat st;
            if (++*count > TREE_MAX_ENTRIES)
                rc = err_set(err, ERR_LIMIT, "'%s' has too many files", dir);
            else if (str_fmt(path, sizeof(path), "%s/%s", dir, name) < 0 ||
                     str_fmt(sub, sizeof(sub), "%s/%s", rel, name) < 0)
                rc = err_set(err, ERR_LIMIT, "path too long below '%s'", dir);
            else if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
                crypto_generichash_update(h, (const unsigned char *)sub, strlen(sub) + 1);
                rc = hash_at(h, path, sub, depth + 1, count, err);
            } else if (S_ISREG(st.st_mode)) {
                crypto_generichash_update(h, (const unsigned char *)sub, strlen(sub) + 1);
                char mode = (st.st_mode & 0111) ? 'x' : '-';
                crypto_generichash_update(h, (const unsigned char *)&mode, 1);
                int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fd < 0) {
                    rc = err_sys(err, "cannot open '%s'", path);
                } else {
                    unsigned char chunk[65536];
                    ssize_t r;
                    while ((r = read(fd, chunk, sizeof(chunk))) > 0)
                        crypto_generichash_update(h, chunk, (size_t)r);
                    close(fd);
                }
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int jdg_hash_tree(const char *dir, const char *extra, char hex[65], struct err *err)
{
    if (sodium_init() < 0)
        return err_set(err, ERR_SYSTEM, "cannot initialise libsodium");
    crypto_generichash_state h;
    unsigned char out[32];
    crypto_generichash_init(&h, NULL, 0, sizeof(out));
    crypto_generichash_update(&h, (const unsigned char *)extra, strlen(extra) + 1);
    size_t count = 0;
    struct stat st;
    int rc;
    if (lstat(dir, &st) == 0 && S_ISREG(st.st_mode)) {
        /* A single-file program: hash its name (the language) and content. */
        const char *base = strrchr(dir, '/');
        crypto_generichash_update(&h, (const unsigned char *)(base ? base + 1 : dir),
                                  strlen(base ? base + 1 : dir) + 1);
        int fd = open(dir, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return err_sys(err, "cannot open '%s'", dir);
        unsigned char chunk[65536];
        ssize_t r;
        while ((r = read(fd, chunk, sizeof(chunk))) > 0)
            crypto_generichash_update(&h, chunk, (size_t)r);
        close(fd);
        rc = 0;
    } else {
        rc = hash_at(&h, dir, "", 0, &count, err);
    }
    if (rc < 0)
        return rc;
    crypto_generichash_final(&h, out, sizeof(out));
    sodium_bin2hex(hex, 65, out, sizeof(out));
    return 0;
}

int jdg_open_tree(const char *dir, struct err *err)
{
    size_t count = 0;
    return reset_at(AT_FDCWD, dir, 0, &count, &opened, err);
}
