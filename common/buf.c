/* buf.c: growable, NUL-terminated byte buffer with a hard size cap. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf_empty[1];

void buf_init(struct buf *b, size_t cap_limit)
{
    b->buf = buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->cap_limit = cap_limit ? cap_limit : BUF_DEFAULT_LIMIT;
}

void buf_release(struct buf *b)
{
    if (b->alloc)
        free(b->buf);
    buf_init(b, b->cap_limit);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->buf[0] = '\0';
}

/* Makes room for extra more bytes plus the terminator. */
static int buf_grow(struct buf *b, size_t extra)
{
    if (extra > b->cap_limit - b->len)
        return ERR_LIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p = b->alloc ? realloc(b->buf, n) : malloc(n);
    if (!p)
        abort();
    if (!b->alloc)
        p[0] = '\0';
    b->buf = p;
    b->alloc = n;
    return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
    if (buf_grow(b, len) < 0)
        return ERR_LIMIT;
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return 0;
}

int buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return ERR_INVALID;
    if (buf_grow(b, (size_t)n) < 0)
        return ERR_LIMIT;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *buf_detach(struct buf *b, size_t *len)
{
    if (!b->alloc)
        buf_grow(b, 0);
    char *s = b->buf;
    if (len)
        *len = b->len;
    buf_init(b, b->cap_limit);
    return s;
}

int buf_read_fd(struct buf *b, int fd, struct err *err)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return err_sys(err, "cannot read");
        }
        if (n == 0)
            return 0;
        if (buf_add(b, chunk, (size_t)n) < 0)
            return err_set(err, ERR_LIMIT, "input is larger than %zu bytes", b->cap_limit);
    }
}

int buf_read_file(struct buf *b, const char *path, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", path);
    int rc = buf_read_fd(b, fd, err);
    close(fd);
    if (rc < 0 && err) {
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        err_set(err, rc, "'%s': %s", path, msg);
    }
    return rc;
}
