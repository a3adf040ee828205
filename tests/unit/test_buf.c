/*
 * test_buf.c: unit.common.buf, the capped growable buffer: the size cap,
 * formatted appends, detaching, and reading whole file descriptors.
 */
#include "common.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_init_and_empty(void)
{
    CHECK_SECTION("init and empty");
    struct buf b;
    buf_init(&b, 0);
    CHECK(b.buf != NULL);
    CHECK_STR(b.buf, "");
    CHECK_INT(b.len, ==, 0);
    CHECK(b.cap_limit == BUF_DEFAULT_LIMIT);
    buf_release(&b);
    CHECK_STR(b.buf, "");

    buf_init(&b, 10);
    CHECK(b.cap_limit == 10);
    buf_reset(&b);                     /* on a never-used buffer */
    CHECK_STR(b.buf, "");
    CHECK_INT(buf_add(&b, "", 0), ==, 0);
    CHECK_STR(b.buf, "");
    buf_release(&b);
    buf_release(&b);                   /* twice is harmless */
}

static void test_add(void)
{
    CHECK_SECTION("add");
    struct buf b;
    buf_init(&b, 0);
    CHECK_INT(buf_adds(&b, "hello"), ==, 0);
    CHECK_INT(buf_add(&b, ", world!!", 7), ==, 0);
    CHECK_STR(b.buf, "hello, world");
    CHECK_INT(b.len, ==, 12);

    /* Bytes, NUL included, go in as they are. */
    CHECK_INT(buf_add(&b, "a\0b", 3), ==, 0);
    CHECK_INT(b.len, ==, 15);
    CHECK(memcmp(b.buf + 12, "a\0b", 4) == 0);

    /* Many appends cross several reallocations and keep every byte. */
    buf_reset(&b);
    CHECK_INT(b.len, ==, 0);
    CHECK_STR(b.buf, "");
    for (int i = 0; i < 10000; i++)
        CHECK_INT(buf_add(&b, &"0123456789"[i % 10], 1), ==, 0);
    CHECK_INT(b.len, ==, 10000);
    int ok = 1;
    for (int i = 0; i < 10000; i++)
        ok &= b.buf[i] == '0' + i % 10;
    CHECK(ok);
    CHECK(b.buf[10000] == '\0');
    buf_release(&b);
    CHECK_INT(b.len, ==, 0);
}

static void test_cap(void)
{
    CHECK_SECTION("cap limit");
    struct buf b;
    buf_init(&b, 10);
    CHECK_INT(buf_adds(&b, "12345"), ==, 0);
    CHECK_INT(buf_adds(&b, "67890"), ==, 0);     /* exactly the cap */
    CHECK_INT(b.len, ==, 10);
    CHECK_INT(buf_adds(&b, "x"), ==, ERR_LIMIT);  /* one past */
    CHECK_INT(b.len, ==, 10);
    CHECK_STR(b.buf, "1234567890");
    CHECK_INT(buf_add(&b, "", 0), ==, 0);        /* empty append at the cap */
    CHECK_INT(buf_addf(&b, "%d", 7), ==, ERR_LIMIT);
    CHECK_STR(b.buf, "1234567890");

    /* A too-large append on a partly filled buffer leaves it unchanged. */
    buf_reset(&b);
    CHECK_INT(buf_adds(&b, "abc"), ==, 0);
    CHECK_INT(buf_adds(&b, "defghijk"), ==, ERR_LIMIT);
    CHECK_STR(b.buf, "abc");
    CHECK_INT(b.len, ==, 3);
    CHECK_INT(buf_addf(&b, "%s", "0123456789"), ==, ERR_LIMIT);
    CHECK_STR(b.buf, "abc");
    CHECK_INT(buf_addf(&b, "%s", "1234567"), ==, 0);
    CHECK_STR(b.buf, "abc1234567");

    /* A length that would wrap size_t arithmetic is refused, not wrapped. */
    CHECK_INT(buf_add(&b, "x", SIZE_MAX), ==, ERR_LIMIT);
    CHECK_INT(b.len, ==, 10);
    buf_release(&b);

    /* A cap of one byte. */
    buf_init(&b, 1);
    CHECK_INT(buf_adds(&b, "ab"), ==, ERR_LIMIT);
    CHECK_INT(buf_adds(&b, "a"), ==, 0);
    CHECK_STR(b.buf, "a");
    buf_release(&b);
}

static void test_addf(void)
{
    CHECK_SECTION("addf");
    struct buf b;
    buf_init(&b, 0);
    CHECK_INT(buf_addf(&b, "%s=%d", "x", 42), ==, 0);
    CHECK_INT(buf_addf(&b, " %05.2f|%-3s|%lld", 3.14159, "a", -7LL), ==, 0);
    CHECK_STR(b.buf, "x=42 03.14|a  |-7");
    CHECK_INT(b.len, ==, strlen("x=42 03.14|a  |-7"));
    CHECK_INT(buf_addf(&b, "%s", ""), ==, 0);
    CHECK_INT(b.len, ==, strlen("x=42 03.14|a  |-7"));

    /* Output longer than any first allocation. */
    buf_reset(&b);
    char big[5000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_INT(buf_addf(&b, "[%s]", big), ==, 0);
    CHECK_INT(b.len, ==, 5001);
    CHECK(b.buf[0] == '[' && b.buf[5000] == ']' && b.buf[5001] == '\0');
    buf_release(&b);
}

static void test_detach(void)
{
    CHECK_SECTION("detach");
    struct buf b;
    buf_init(&b, 100);
    CHECK_INT(buf_adds(&b, "owned"), ==, 0);
    size_t len = 0;
    char *s = buf_detach(&b, &len);
    CHECK_STR(s, "owned");
    CHECK_INT(len, ==, 5);
    CHECK_INT(b.len, ==, 0);
    CHECK_STR(b.buf, "");
    CHECK(b.buf != s);
    CHECK(b.cap_limit == 100);           /* the cap survives */
    free(s);

    /* The buffer is usable again after a detach. */
    CHECK_INT(buf_adds(&b, "again"), ==, 0);
    CHECK_STR(b.buf, "again");
    s = buf_detach(&b, NULL);
    CHECK_STR(s, "again");
    free(s);

    /* Detaching a never-used buffer still gives a free()-able "". */
    s = buf_detach(&b, &len);
    CHECK(s != NULL);
    CHECK_STR(s, "");
    CHECK_INT(len, ==, 0);
    free(s);
    buf_release(&b);
}

/* Writes n bytes of a known pattern to a temporary file and reopens it. */
static int pattern_fd(size_t n)
{
    char path[] = "/tmp/crucible-unit-buf-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    char chunk[26 * 1024];
    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = (char)('a' + i % 26);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
        if (write(fd, chunk, k) != (ssize_t)k) {
            close(fd);
            return -1;
        }
        done += k;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_read_fd(void)
{
    CHECK_SECTION("read_fd");
    struct buf b;
    struct err err;
    err_clear(&err);

    /* A pipe, read until EOF. */
    int p[2];
    CHECK_INT(pipe(p), ==, 0);
    CHECK_INT(write(p[1], "line 1\nline 2\n", 14), ==, 14);
    close(p[1]);
    buf_init(&b, 0);
    CHECK_INT(buf_read_fd(&b, p[0], &err), ==, 0);
    CHECK_STR(b.buf, "line 1\nline 2\n");
    close(p[0]);
    buf_release(&b);

    /* An empty input gives an empty string. */
    CHECK_INT(pipe(p), ==, 0);
    close(p[1]);
    buf_init(&b, 0);
    CHECK_INT(buf_read_fd(&b, p[0], &err), ==, 0);
    CHECK_INT(b.len, ==, 0);
    CHECK_STR(b.buf, "");
    close(p[0]);
    buf_release(&b);

    /* More than one read chunk (64 KiB), appended after existing content. */
    size_t n = 200000;
    int fd = pattern_fd(n);
    CHECK(fd >= 0);
    buf_init(&b, 0);
    CHECK_INT(buf_adds(&b, ">"), ==, 0);
    CHECK_INT(buf_read_fd(&b, fd, &err), ==, 0);
    CHECK_INT(b.len, ==, n + 1);
    int ok = b.buf[0] == '>';
    for (size_t i = 0; i < n; i++)
        ok &= b.buf[i + 1] == (char)('a' + i % 26);
    CHECK(ok);
    CHECK(b.buf[n + 1] == '\0');
    close(fd);
    buf_release(&b);

    /* Exactly the cap is fine, one byte more is ERR_LIMIT with a message. */
    fd = pattern_fd(1000);
    buf_init(&b, 1000);
    CHECK_INT(buf_read_fd(&b, fd, &err), ==, 0);
    CHECK_INT(b.len, ==, 1000);
    close(fd);
    buf_release(&b);

    fd = pattern_fd(1001);
    buf_init(&b, 1000);
    CHECK_INT(buf_read_fd(&b, fd, &err), ==, ERR_LIMIT);
    CHECK_INT(err.code, ==, ERR_LIMIT);
    CHECK_STR(err.msg, "input is larger than 1000 bytes");
    CHECK(b.len <= 1000);
    close(fd);
    buf_release(&b);

    /* NULL err is allowed. */
    fd = pattern_fd(100);
    buf_init(&b, 10);
    CHECK_INT(buf_read_fd(&b, fd, NULL), ==, ERR_LIMIT);
    close(fd);
    buf_release(&b);

    /* A bad descriptor is a system error carrying strerror. */
    buf_init(&b, 0);
    err_clear(&err);
    CHECK_INT(buf_read_fd(&b, -1, &err), ==, ERR_SYSTEM);
    CHECK_INT(err.code, ==, ERR_SYSTEM);
    CHECK_STR(err.msg, "cannot read: Bad file descriptor");
    buf_release(&b);
}

static void test_read_file(void)
{
    CHECK_SECTION("read_file");
    struct buf b;
    struct err err;
    err_clear(&err);
    buf_init(&b, 0);
    CHECK_INT(buf_read_file(&b, "/nonexistent/crucible-unit", &err), ==, ERR_SYSTEM);
    CHECK_STR(err.msg, "cannot open '/nonexistent/crucible-unit': No such file or directory");

    char path[] = "/tmp/crucible-unit-file-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, "0123456789", 10), ==, 10);
    close(fd);
    CHECK_INT(buf_read_file(&b, path, &err), ==, 0);
    CHECK_STR(b.buf, "0123456789");
    buf_release(&b);

    /* Over the cap, the message names the file. */
    buf_init(&b, 4);
    CHECK_INT(buf_read_file(&b, path, &err), ==, ERR_LIMIT);
    char want[256];
    snprintf(want, sizeof(want), "'%s': input is larger than 4 bytes", path);
    CHECK_STR(err.msg, want);
    buf_release(&b);
    unlink(path);
}

int main(void)
{
    test_init_and_empty();
    test_add();
    test_cap();
    test_addf();
    test_detach();
    test_read_fd();
    test_read_file();
    return check_done("unit.common.buf");
}
