/*
 * test_err.c: unit.common.err, the error value: codes pass through, messages
 * are formatted and truncated safely, err_sys appends strerror and keeps
 * errno, and a NULL err is always allowed.
 */
#include "common.h"
#include "check.h"

#include <errno.h>
#include <string.h>

static int fails_with_set(struct err *err)
{
    return err_set(err, ERR_NOTFOUND, "no problem '%s' in contest %d", "hello", 7);
}

static void test_set(void)
{
    CHECK_SECTION("err_set");
    struct err err;
    err_clear(&err);
    CHECK_INT(err.code, ==, 0);
    CHECK_STR(err.msg, "");

    CHECK_INT(fails_with_set(&err), ==, ERR_NOTFOUND);
    CHECK_INT(err.code, ==, ERR_NOTFOUND);
    CHECK_STR(err.msg, "no problem 'hello' in contest 7");

    /* A later error replaces the earlier one. */
    CHECK_INT(err_set(&err, ERR_LIMIT, "too many"), ==, ERR_LIMIT);
    CHECK_INT(err.code, ==, ERR_LIMIT);
    CHECK_STR(err.msg, "too many");

    /* NULL err: only the code comes back. */
    CHECK_INT(fails_with_set(NULL), ==, ERR_NOTFOUND);
    CHECK_INT(err_set(NULL, ERR_INVALID, "x"), ==, ERR_INVALID);

    /* A message longer than ERR_MSG_MAX is cut and stays terminated. */
    char longs[ERR_MSG_MAX * 2];
    memset(longs, 'q', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    CHECK_INT(err_set(&err, ERR_INVALID, "%s", longs), ==, ERR_INVALID);
    CHECK_INT(strlen(err.msg), ==, ERR_MSG_MAX - 1);
    CHECK(err.msg[0] == 'q' && err.msg[ERR_MSG_MAX - 2] == 'q');

    err_clear(&err);
    CHECK_INT(err.code, ==, 0);
    CHECK_STR(err.msg, "");
    err_clear(NULL);                      /* harmless */
}

static void test_sys(void)
{
    CHECK_SECTION("err_sys");
    struct err err;
    err_clear(&err);

    errno = ENOENT;
    CHECK_INT(err_sys(&err, "cannot open '%s'", "data/secret/3.in"), ==, ERR_SYSTEM);
    CHECK_INT(err.code, ==, ERR_SYSTEM);
    CHECK_STR(err.msg, "cannot open 'data/secret/3.in': No such file or directory");
    CHECK_INT(errno, ==, ENOENT);         /* errno survives for the caller */

    errno = EACCES;
    CHECK_INT(err_sys(NULL, "cannot open"), ==, ERR_SYSTEM);
    CHECK_INT(errno, ==, EACCES);

    /* strerror is taken from errno as it was on entry, even though the
     * formatting in between may itself touch errno. */
    errno = EPERM;
    CHECK_INT(err_sys(&err, "mount %s %s", "/proc", "x"), ==, ERR_SYSTEM);
    CHECK_STR(err.msg, "mount /proc x: Operation not permitted");

    /* A long subject is cut, still terminated, and never overruns. */
    char longs[ERR_MSG_MAX * 2];
    memset(longs, 'p', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    errno = EIO;
    CHECK_INT(err_sys(&err, "%s", longs), ==, ERR_SYSTEM);
    CHECK(strlen(err.msg) <= ERR_MSG_MAX - 1);
    CHECK_INT(errno, ==, EIO);

    /* A subject that nearly fills the message leaves room for part of the
     * reason, and the result is still terminated within the array. */
    memset(longs, 'p', ERR_MSG_MAX - 5);
    longs[ERR_MSG_MAX - 5] = '\0';
    errno = ENOENT;
    err_sys(&err, "%s", longs);
    CHECK_INT(strlen(err.msg), ==, ERR_MSG_MAX - 1);
    CHECK(strncmp(err.msg + ERR_MSG_MAX - 5, ": No", 4) == 0);
}

int main(void)
{
    test_set();
    test_sys();
    return check_done("unit.common.err");
}
