/* err.c: the error value that fallible functions fill for their caller. */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

int err_sys(struct err *err, const char *fmt, ...)
{
    int saved = errno;
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < sizeof(err->msg))
            snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(saved));
        err->code = ERR_SYSTEM;
    }
    errno = saved;
    return ERR_SYSTEM;
}

void err_clear(struct err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

int str_fmt(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return (n < 0 || (size_t)n >= size) ? ERR_LIMIT : 0;
}
