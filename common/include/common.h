/*
 * common.h: small utilities every Crucible module shares: a capped growable
 * buffer, an error value carried up to the caller, one-line logging, and
 * checked parsers for the numbers and sizes that come from users.
 */
#ifndef CRUCIBLE_COMMON_H
#define CRUCIBLE_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors ------------------------------------------------------------
 * A fallible function returns 0 or a negative code and, when given a
 * non-NULL struct err, fills it with a lowercase message without a full stop.
 */
#define ERR_MSG_MAX 512

enum err_code {
    ERR_OK = 0,
    ERR_INVALID = -1,   /* bad input from the caller or a user */
    ERR_SYSTEM = -2,    /* a system call failed; errno is in the message */
    ERR_LIMIT = -3,     /* a size or count limit was exceeded */
    ERR_NOTFOUND = -4,
    ERR_UNSUPPORTED = -5,
};

struct err {
    int code;
    char msg[ERR_MSG_MAX];
};

/* Sets err (if non-NULL) and returns code, so callers can `return err_set(...)`. */
int err_set(struct err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like err_set, with ": strerror(errno)" appended; returns ERR_SYSTEM. */
int err_sys(struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void err_clear(struct err *err);

/* snprintf that says whether the result fit: 0, or ERR_LIMIT when out holds
 * a truncated string. Paths must check it; messages may ignore it. */
int str_fmt(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* mkdir -p: creates path and its missing parents (parents 0755, path
 * itself mode); an existing folder is fine. 0 or -1 with errno. */
int fs_mkdirs(const char *path, unsigned mode);

/* Loads a shared library by soname and resolves each of names[0..n-1] into
 * out[i]. For libraries with heavy dependency trees (libcurl, libmicrohttpd,
 * libarchive) that only one subcommand needs: linked normally, they would
 * slow down the start of every `crucible` command, `sandbox run` included.
 * The handle stays open for the process's life. */
int dl_symbols(const char *soname, const char *const *names, void **out, size_t n, struct err *err);

/* Whether s[0..len) is well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF, no NUL). With UTF8_NO_CONTROLS, ASCII control
 * characters and DEL are refused too, except \n, \r and \t when
 * UTF8_ALLOW_LINES is also given. */
#define UTF8_NO_CONTROLS 1u
#define UTF8_ALLOW_LINES 2u
int utf8_valid(const char *s, size_t len, unsigned flags);

/* ---- growable buffer ---------------------------------------------------
 * Invariants: buf is always NUL-terminated (even when len == 0, once any
 * append happened, or after buf_init it points to a static ""), len never
 * exceeds cap_limit. An append that would pass the limit fails with
 * ERR_LIMIT and leaves the buffer unchanged. Out of memory aborts.
 */
struct buf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t cap_limit;
};

#define BUF_DEFAULT_LIMIT ((size_t)1 << 30)

void buf_init(struct buf *b, size_t cap_limit);   /* 0 means BUF_DEFAULT_LIMIT */
void buf_release(struct buf *b);                   /* frees; b is then empty */
void buf_reset(struct buf *b);                     /* len = 0, keeps memory */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the string to the caller (free() it) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Reads a whole file descriptor until EOF; ERR_LIMIT past the cap. */
int buf_read_fd(struct buf *b, int fd, struct err *err);
int buf_read_file(struct buf *b, const char *path, struct err *err);

/* ---- logging -----------------------------------------------------------
 * One line per event on stderr: "2026-11-27T17:00:00Z info judge: text".
 * The level is checked before anything is formatted.
 */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level level);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int log_level_parse(const char *s, enum log_level *out);

#define log_debug(mod, ...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, mod, __VA_ARGS__); } while (0)
#define log_info(mod, ...)  do { if (log_enabled(LOG_INFO))  log_msg(LOG_INFO,  mod, __VA_ARGS__); } while (0)
#define log_warn(mod, ...)  do { if (log_enabled(LOG_WARN))  log_msg(LOG_WARN,  mod, __VA_ARGS__); } while (0)
#define log_error(mod, ...) do { if (log_enabled(LOG_ERROR)) log_msg(LOG_ERROR, mod, __VA_ARGS__); } while (0)

/* ---- parsers -----------------------------------------------------------
 * Whole-string parses: trailing garbage, overflow, NaN and negatives are
 * errors (return ERR_INVALID).
 */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Seconds as a non-negative decimal ("1.5", "2"), at most max_seconds. */
int parse_seconds(const char *s, double max_seconds, double *out);
/* Byte size with optional suffix K, M, G (powers of 1024; "KB", "MiB" also
 * accepted); at most max_bytes. */
int parse_size(const char *s, uint64_t max_bytes, uint64_t *out);

#endif
