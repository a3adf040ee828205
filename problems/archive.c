/*
 * archive.c: extracts a .zip problem package with libarchive into a folder,
 * refusing every entry that could write outside it or exhaust the disk.
 *
 * How this stays inside dest_dir: every entry name is split into components
 * and checked (no absolute paths, no "..", no control characters or
 * backslashes, bounded length and depth). Parents are then walked one
 * component at a time with openat(O_NOFOLLOW | O_DIRECTORY), so a symlink
 * created by an earlier entry is never followed while writing; files are
 * created with O_CREAT | O_EXCL | O_NOFOLLOW, so nothing is overwritten.
 * Symlink targets must be relative and normalised as "../" steps followed by
 * plain names, with no more steps up than the link is deep: such a target
 * cannot leave the package even through other links, because the only ".."
 * steps are taken from the link's own (real) directory. Hard links are
 * copied from an earlier regular file, never linked. Sizes are counted on
 * the bytes actually written, so an archive that lies about its sizes (a zip
 * bomb) stops at the limit.
 */
#include "problems_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * libarchive is loaded with dlopen() the first time a package is extracted.
 * Linked normally it drags libxml2, ICU and libstdc++ into every start of
 * the crucible binary, about 3 ms each time, which every `crucible sandbox
 * run` would pay for nothing (systemd loads its heavy optional libraries
 * the same way). The soname has been 13 since libarchive 3.0.
 */
#define LIBARCHIVE_SONAME "libarchive.so.13"

#define LA_SYMBOLS(X) \
    X(archive_entry_filetype) X(archive_entry_hardlink) X(archive_entry_pathname) \
    X(archive_entry_perm) X(archive_entry_size) X(archive_entry_size_is_set) \
    X(archive_entry_symlink) X(archive_error_string) X(archive_read_data) \
    X(archive_read_free) X(archive_read_new) X(archive_read_next_header) \
    X(archive_read_open_filename) X(archive_read_support_format_zip) \
    /* ccs files: the writer (prb_archive_zip) */ \
    X(archive_entry_free) X(archive_entry_new) X(archive_entry_set_filetype) \
    X(archive_entry_set_mtime) X(archive_entry_set_pathname) X(archive_entry_set_perm) \
    X(archive_entry_set_size) X(archive_write_close) X(archive_write_data) X(archive_write_free) \
    X(archive_write_header) X(archive_write_new) X(archive_write_open) \
    X(archive_write_set_bytes_per_block) X(archive_write_set_format_zip)

#define LA_FIELD(name) __typeof__(name) *name;
static struct { LA_SYMBOLS(LA_FIELD) } la;   /* written once, under la_once */
#undef LA_FIELD
static pthread_once_t la_once = PTHREAD_ONCE_INIT;
static struct err la_err;

static void la_load(void)
{
#define LA_NAME(name) #name,
    static const char *const names[] = { LA_SYMBOLS(LA_NAME) };
#undef LA_NAME
    _Static_assert(sizeof(names) / sizeof(names[0]) * sizeof(void *) == sizeof(la),
                   "one name per function pointer");
    dl_symbols(LIBARCHIVE_SONAME, names, (void **)&la, sizeof(names) / sizeof(names[0]), &la_err);
}

/* From here on, libarchive calls go through the loaded table. */
#define archive_entry_filetype la.archive_entry_filetype
#define archive_entry_hardlink la.archive_entry_hardlink
#define archive_entry_pathname la.archive_entry_pathname
#define archive_entry_perm la.archive_entry_perm
#define archive_entry_size la.archive_entry_size
#define archive_entry_size_is_set la.archive_entry_size_is_set
#define archive_entry_symlink la.archive_entry_symlink
#define archive_error_string la.archive_error_string
#define archive_read_data la.archive_read_data
#define archive_read_free la.archive_read_free
#define archive_read_new la.archive_read_new
#define archive_read_next_header la.archive_read_next_header
#define archive_read_open_filename la.archive_read_open_filename
#define archive_read_support_format_zip la.archive_read_support_format_zip
/* ccs files: the writer */
#define archive_entry_free la.archive_entry_free
#define archive_entry_new la.archive_entry_new
#define archive_entry_set_filetype la.archive_entry_set_filetype
#define archive_entry_set_mtime la.archive_entry_set_mtime
#define archive_entry_set_pathname la.archive_entry_set_pathname
#define archive_entry_set_perm la.archive_entry_set_perm
#define archive_entry_set_size la.archive_entry_set_size
#define archive_write_close la.archive_write_close
#define archive_write_data la.archive_write_data
#define archive_write_free la.archive_write_free
#define archive_write_header la.archive_write_header
#define archive_write_new la.archive_write_new
#define archive_write_open la.archive_write_open
#define archive_write_set_bytes_per_block la.archive_write_set_bytes_per_block
#define archive_write_set_format_zip la.archive_write_set_format_zip

void prb_load_limits_init(struct prb_load_limits *lim)
{
    lim->max_entries = PRB_ARCHIVE_MAX_ENTRIES;
    lim->max_total_bytes = PRB_ARCHIVE_MAX_TOTAL_BYTES;
    lim->max_file_bytes = PRB_ARCHIVE_MAX_FILE_BYTES;
}

/* An entry path split into components; the strings point into buf. */
struct epath {
    char buf[PRB_PATH_MAX + 1];
    char *comp[PRB_DEPTH_MAX];
    size_t n;
};

struct xstate {
    struct archive *a;
    int rootfd;
    const struct prb_load_limits *lim;
    uint64_t total;
    struct err *err;
};

/* Splits and checks an entry name; "." and empty components are dropped. */
static int epath_parse(struct epath *ep, const char *name, struct err *err)
{
    size_t len = strlen(name);
    ep->n = 0;
    if (len == 0)
        return err_set(err, ERR_INVALID, "archive entry with an empty name");
    if (len > PRB_PATH_MAX)
        return err_set(err, ERR_LIMIT, "'%.100s...': name longer than %d bytes", name, PRB_PATH_MAX);
    if (name[0] == '/')
        return err_set(err, ERR_INVALID, "'%.200s': absolute paths are not allowed", name);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch == 0x7f)
            return err_set(err, ERR_INVALID, "archive entry name with a control character");
        if (ch == '\\')
            return err_set(err, ERR_INVALID, "'%.200s': backslashes are not allowed in names", name);
    }
    memcpy(ep->buf, name, len + 1);
    char *c = ep->buf;
    while (*c) {
        char *slash = strchr(c, '/');
        char *next = slash ? slash + 1 : c + strlen(c);
        if (slash)
            *slash = '\0';
        char *cur = c;
        c = next;
        if (*cur == '\0' || strcmp(cur, ".") == 0)
            continue;
        if (strcmp(cur, "..") == 0)
            return err_set(err, ERR_INVALID, "'%.200s': '..' components are not allowed", name);
        if (strlen(cur) > PRB_NAME_MAX)
            return err_set(err, ERR_LIMIT, "'%.200s': a component is longer than %d bytes", name,
                           PRB_NAME_MAX);
        if (ep->n >= PRB_DEPTH_MAX)
            return err_set(err, ERR_LIMIT, "'%.200s': nested deeper than %d", name, PRB_DEPTH_MAX);
        ep->comp[ep->n++] = cur;
    }
    if (ep->n == 0)
        return err_set(err, ERR_INVALID, "'%.200s': names the archive root", name);
    return 0;
}

/* Opens the directory made of the first n components, creating what is
 * missing when create is set; never follows symlinks. Returns an fd or <0. */
static int open_dir(struct xstate *x, const struct epath *ep, size_t n, int create,
                    const char *name)
{
    int fd = dup(x->rootfd);
    if (fd < 0)
        return err_sys(x->err, "dup");
    for (size_t i = 0; i < n; i++) {
        int next = openat(fd, ep->comp[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create) {
            if (mkdirat(fd, ep->comp[i], 0755) < 0 && errno != EEXIST) {
                int rc = err_sys(x->err, "'%.200s': cannot create directory", name);
                close(fd);
                return rc;
            }
            next = openat(fd, ep->comp[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (next < 0) {
            int rc;
            if (errno == ELOOP || errno == ENOTDIR)
                rc = err_set(x->err, ERR_INVALID,
                             "'%.200s': a parent component is a symlink or a file", name);
            else
                rc = err_sys(x->err, "'%.200s': cannot open directory", name);
            close(fd);
            return rc;
        }
        close(fd);
        fd = next;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Counts n more bytes against the per-file and total limits. */
static int account(struct xstate *x, uint64_t *file_bytes, size_t n, const char *name)
{
    *file_bytes += n;
    x->total += n;
    if (*file_bytes > x->lim->max_file_bytes)
        return err_set(x->err, ERR_LIMIT, "'%.200s': expands past the %llu-byte file limit", name,
                       (unsigned long long)x->lim->max_file_bytes);
    if (x->total > x->lim->max_total_bytes)
        return err_set(x->err, ERR_LIMIT,
                       "archive expands past the %llu-byte limit (at '%.200s')",
                       (unsigned long long)x->lim->max_total_bytes, name);
    return 0;
}

static int create_file(struct xstate *x, const struct epath *ep, mode_t mode, const char *name,
                       int *out_fd)
{
    int dirfd = open_dir(x, ep, ep->n - 1, 1, name);
    if (dirfd < 0)
        return dirfd;
    int fd = openat(dirfd, ep->comp[ep->n - 1],
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    int rc = 0;
    if (fd < 0) {
        if (errno == EEXIST)
            rc = err_set(x->err, ERR_INVALID, "'%.200s': duplicate archive entry", name);
        else
            rc = err_sys(x->err, "'%.200s': cannot create", name);
    }
    close(dirfd);
    *out_fd = fd;
    return rc;
}

static int extract_regular(struct xstate *x, struct archive_entry *e, const struct epath *ep,
                           const char *name)
{
    if (archive_entry_size_is_set(e)) {
        la_int64_t declared = archive_entry_size(e);
        if (declared < 0 || (uint64_t)declared > x->lim->max_file_bytes ||
            (uint64_t)declared > x->lim->max_total_bytes - x->total)
            return err_set(x->err, ERR_LIMIT, "'%.200s': declared size %lld is past the limits",
                           name, (long long)declared);
    }
    mode_t mode = (archive_entry_perm(e) & 0111) ? 0755 : 0644;
    int fd = -1;
    int rc = create_file(x, ep, mode, name, &fd);
    if (rc < 0)
        return rc;
    uint64_t file_bytes = 0;
    char chunk[65536];
    for (;;) {
        la_ssize_t n = archive_read_data(x->a, chunk, sizeof(chunk));
        if (n == 0)
            break;
        if (n < 0) {
            rc = err_set(x->err, ERR_INVALID, "'%.200s': %s", name, archive_error_string(x->a));
            goto out;
        }
        if ((rc = account(x, &file_bytes, (size_t)n, name)) < 0)
            goto out;
        if (write_all(fd, chunk, (size_t)n) < 0) {
            rc = err_sys(x->err, "'%.200s': cannot write", name);
            goto out;
        }
    }
out:
    close(fd);
    return rc;
}

/* Hard links become copies of an earlier regular file of the archive. */
static int extract_hardlink(struct xstate *x, const struct epath *ep, const char *target,
                            const char *name)
{
    struct epath tp;
    int rc = epath_parse(&tp, target, x->err);
    int srcdir = -1, src = -1, fd = -1;
    if (rc < 0)
        return err_set(x->err, ERR_INVALID, "'%.200s': hard link target '%.200s' is not allowed",
                       name, target);
    srcdir = open_dir(x, &tp, tp.n - 1, 0, name);
    if (srcdir < 0)
        return srcdir;
    src = openat(srcdir, tp.comp[tp.n - 1], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (src < 0 || fstat(src, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = err_set(x->err, ERR_INVALID,
                     "'%.200s': hard link target '%.200s' is not an earlier regular file", name,
                     target);
        goto out;
    }
    if ((rc = create_file(x, ep, st.st_mode & 0111 ? 0755 : 0644, name, &fd)) < 0)
        goto out;
    uint64_t file_bytes = 0;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(src, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_sys(x->err, "'%.200s': cannot read", target);
            goto out;
        }
        if (n == 0)
            break;
        if ((rc = account(x, &file_bytes, (size_t)n, name)) < 0)
            goto out;
        if (write_all(fd, chunk, (size_t)n) < 0) {
            rc = err_sys(x->err, "'%.200s': cannot write", name);
            goto out;
        }
    }
out:
    if (fd >= 0)
        close(fd);
    if (src >= 0)
        close(src);
    close(srcdir);
    return rc;
}

static int extract_symlink(struct xstate *x, const struct epath *ep, const char *target,
                           const char *name)
{
    size_t len = target ? strlen(target) : 0;
    if (len == 0 || len > PRB_PATH_MAX)
        return err_set(x->err, ERR_INVALID, "'%.200s': symlink with an empty or too long target",
                       name);
    if (target[0] == '/')
        return err_set(x->err, ERR_INVALID, "'%.200s': symlink to absolute path '%.200s'", name,
                       target);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)target[i];
        if (ch < 0x20 || ch == 0x7f || ch == '\\')
            return err_set(x->err, ERR_INVALID, "'%.200s': symlink target with a bad character",
                           name);
    }
    /* Walk the target: ".." only before any plain name, and never above the
     * package root (the link's directory is ep->n - 1 levels deep). */
    size_t ups = 0, downs = 0;
    const char *p = target;
    while (*p) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t cl = (size_t)(p - s);
        if (*p == '/')
            p++;
        if (cl == 0 || (cl == 1 && s[0] == '.'))
            continue;
        if (cl == 2 && s[0] == '.' && s[1] == '.') {
            if (downs)
                return err_set(x->err, ERR_INVALID,
                               "'%.200s': symlink target '%.200s' is not normalised", name, target);
            if (++ups > ep->n - 1)
                return err_set(x->err, ERR_INVALID,
                               "'%.200s': symlink points outside the package ('%.200s')", name,
                               target);
            continue;
        }
        downs++;
    }
    int dirfd = open_dir(x, ep, ep->n - 1, 1, name);
    if (dirfd < 0)
        return dirfd;
    int rc = 0;
    if (symlinkat(target, dirfd, ep->comp[ep->n - 1]) < 0) {
        if (errno == EEXIST)
            rc = err_set(x->err, ERR_INVALID, "'%.200s': duplicate archive entry", name);
        else
            rc = err_sys(x->err, "'%.200s': cannot create symlink", name);
    }
    close(dirfd);
    return rc;
}

int prb_archive_extract(const char *zip_path, const char *dest_dir,
                        const struct prb_load_limits *lim, struct err *err)
{
    struct prb_load_limits deflim;
    struct xstate x = { .a = NULL, .rootfd = -1, .lim = lim, .total = 0, .err = err };
    struct epath ep;
    size_t entries = 0;
    int rc = 0;

    if (!lim) {
        prb_load_limits_init(&deflim);
        x.lim = &deflim;
    }
    pthread_once(&la_once, la_load);
    if (la_err.code)
        return err_set(err, la_err.code, "%s", la_err.msg);
    x.rootfd = open(dest_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (x.rootfd < 0)
        return err_sys(err, "cannot open '%s'", dest_dir);
    x.a = archive_read_new();
    if (!x.a)
        abort();
    archive_read_support_format_zip(x.a);
    if (archive_read_open_filename(x.a, zip_path, 65536) != ARCHIVE_OK) {
        rc = err_set(err, ERR_INVALID, "cannot open '%s': %s", zip_path,
                     archive_error_string(x.a) ? archive_error_string(x.a) : "not a zip archive");
        goto out;
    }
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(x.a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            rc = err_set(err, ERR_INVALID, "'%s': %s", zip_path,
                         archive_error_string(x.a) ? archive_error_string(x.a) : "read error");
            goto out;
        }
        if (++entries > x.lim->max_entries) {
            rc = err_set(err, ERR_LIMIT, "'%s': more than %zu archive entries", zip_path,
                         x.lim->max_entries);
            goto out;
        }
        const char *name = archive_entry_pathname(e);
        if (!name) {
            rc = err_set(err, ERR_INVALID, "'%s': entry %zu has an unreadable name", zip_path,
                         entries);
            goto out;
        }
        if ((rc = epath_parse(&ep, name, err)) < 0)
            goto out;
        const char *hardlink = archive_entry_hardlink(e);
        mode_t type = archive_entry_filetype(e);
        if (hardlink) {
            rc = extract_hardlink(&x, &ep, hardlink, name);
        } else if (type == AE_IFDIR) {
            int fd = open_dir(&x, &ep, ep.n, 1, name);
            rc = fd < 0 ? fd : 0;
            if (fd >= 0)
                close(fd);
        } else if (type == AE_IFREG) {
            rc = extract_regular(&x, e, &ep, name);
        } else if (type == AE_IFLNK) {
            rc = extract_symlink(&x, &ep, archive_entry_symlink(e), name);
        } else {
            rc = err_set(err, ERR_INVALID,
                         "'%.200s': device, fifo and socket entries are not allowed", name);
        }
        if (rc < 0)
            goto out;
    }
out:
    if (x.a)
        archive_read_free(x.a);
    if (x.rootfd >= 0)
        close(x.rootfd);
    return rc;
}

/* ---- ccs files: writing a zip into memory --------------------------------------------------------- */

struct zstate {
    struct buf *out;
    int rc;                         /* ERR_LIMIT once out's cap is passed */
};

static la_ssize_t zip_write_cb(struct archive *a, void *cls, const void *data, size_t len)
{
    struct zstate *z = cls;
    (void)a;
    if (buf_add(z->out, data, len) < 0) {
        z->rc = ERR_LIMIT;
        return -1;
    }
    return (la_ssize_t)len;
}

/* One failed libarchive call: the error, unless the buffer's cap was the cause. */
static int zip_fail(struct archive *a, const struct zstate *z, struct err *err)
{
    if (z->rc)
        return err_set(err, ERR_LIMIT, "zip archive larger than %zu bytes", z->out->cap_limit);
    return err_set(err, ERR_SYSTEM, "cannot write a zip archive: %s",
                   archive_error_string(a) ? archive_error_string(a) : "unknown error");
}

int prb_archive_zip(const struct prb_zip_file *files, size_t n, int64_t mtime, struct buf *out, struct err *err)
{
    struct zstate z = { out, 0 };
    struct archive *a = NULL;
    struct archive_entry *e = NULL;
    size_t start = out->len;
    int rc = 0;

    pthread_once(&la_once, la_load);
    if (la_err.code)
        return err_set(err, la_err.code, "%s", la_err.msg);
    a = archive_write_new();
    if (!a)
        abort();
    /* unblocked: no padding after the central directory */
    if (archive_write_set_format_zip(a) != ARCHIVE_OK || archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
        archive_write_open(a, &z, NULL, zip_write_cb, NULL) != ARCHIVE_OK) {
        rc = zip_fail(a, &z, err);
        goto out;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        e = archive_entry_new();
        if (!e)
            abort();
        archive_entry_set_pathname(e, files[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)files[i].len);
        archive_entry_set_mtime(e, (time_t)mtime, 0);
        if (archive_write_header(a, e) != ARCHIVE_OK ||
            (files[i].len && archive_write_data(a, files[i].data, files[i].len) != (la_ssize_t)files[i].len))
            rc = zip_fail(a, &z, err);
        archive_entry_free(e);
        e = NULL;
    }
    if (rc == 0 && archive_write_close(a) != ARCHIVE_OK)
        rc = zip_fail(a, &z, err);
out:
    archive_write_free(a);
    if (rc < 0 && out->alloc) {     /* nothing half-written stays */
        out->len = start;
        out->buf[start] = '\0';
    }
    return rc;
}
