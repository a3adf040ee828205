/*
 * test_archive.c: prb_archive_extract against hostile zips built by
 * make_zips.py (path traversal, absolute paths, symlinks out of the package,
 * fifo and device entries, too many entries, zip bombs honest and lying) and
 * prb_package_load on good zipped packages.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "tests.h"

static struct err last;

/* Extracts zips/name into a folder inside a fresh parent; checks that
 * nothing appeared next to that folder. */
static int extract(const char *zips, const char *name, const struct prb_load_limits *lim)
{
    char *parent = tmp_make();
    char *dest = tmp_path(parent, "x");
    char *zip = tmp_path(zips, name);
    char *evil = tmp_path(parent, "evil.txt");
    struct stat st;
    mkdir(dest, 0755);
    err_clear(&last);
    int rc = prb_archive_extract(zip, dest, lim, &last);
    CHECK(stat(evil, &st) < 0);
    CHECK(stat("/tmp/crucible-evil.txt", &st) < 0);
    tmp_remove(parent);
    free(parent);
    free(dest);
    free(zip);
    free(evil);
    return rc;
}

#define REFUSE(name, lim, code, substr) do { \
    CHECK_INT(extract(dir, name, lim), ==, code); \
    if (!strstr(last.msg, substr)) \
        fprintf(stderr, "%s:%d: %s: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, name, \
                last.msg, substr); \
    CHECK(strstr(last.msg, substr) != NULL); \
} while (0)

int test_archive_reject(const char *dir)
{
    struct prb_load_limits small;
    prb_load_limits_init(&small);
    CHECK_INT(small.max_entries, ==, PRB_ARCHIVE_MAX_ENTRIES);
    CHECK_SECTION("paths");
    REFUSE("traversal.zip", NULL, ERR_INVALID, "'../evil.txt': '..' components are not allowed");
    REFUSE("traversal_mid.zip", NULL, ERR_INVALID, "'..' components are not allowed");
    REFUSE("absolute.zip", NULL, ERR_INVALID, "'/tmp/crucible-evil.txt': absolute paths");
    /* libarchive turns backslashes into slashes; either way it is refused. */
    REFUSE("backslash.zip", NULL, ERR_INVALID, "evil.txt");
    REFUSE("duplicate.zip", NULL, ERR_INVALID, "'p/./a.txt': duplicate archive entry");

    CHECK_SECTION("links and special files");
    REFUSE("symlink_out.zip", NULL, ERR_INVALID, "'p/data/link': symlink points outside");
    REFUSE("symlink_abs.zip", NULL, ERR_INVALID, "'p/link': symlink to absolute path");
    REFUSE("symlink_notnorm.zip", NULL, ERR_INVALID, "is not normalised");
    REFUSE("symlink_through.zip", NULL, ERR_INVALID, "'p/l/x.txt': a parent component is a symlink");
    {
        /* libarchive's zip reader turns fifo entries into regular files:
         * what lands on disk must be a plain file, never a fifo. */
        char *d = tmp_make(), *zip = tmp_path(dir, "fifo.zip"), *f = tmp_path(d, "p/fifo");
        struct stat st;
        CHECK_INT(prb_archive_extract(zip, d, NULL, &last), ==, 0);
        CHECK(lstat(f, &st) == 0 && S_ISREG(st.st_mode));
        tmp_remove(d);
        free(d);
        free(zip);
        free(f);
    }
    REFUSE("chardev.zip", NULL, ERR_INVALID, "'p/null': device, fifo and socket entries");

    CHECK_SECTION("counts and sizes");
    small.max_entries = 10;
    REFUSE("many.zip", &small, ERR_LIMIT, "more than 10 archive entries");
    prb_load_limits_init(&small);
    small.max_total_bytes = 1 << 20;
    REFUSE("bomb.zip", &small, ERR_LIMIT, "'p/zeros.bin': declared size 8388608");
    REFUSE("bomb_lying.zip", &small, ERR_LIMIT, "expands past the 1048576-byte limit");
    REFUSE("bomb_total.zip", &small, ERR_LIMIT, "past the limits");
    prb_load_limits_init(&small);
    small.max_file_bytes = 1 << 20;
    REFUSE("bomb_lying.zip", &small, ERR_LIMIT, "'p/zeros.bin': expands past the 1048576-byte "
           "file limit");
    CHECK_INT(extract(dir, "bomb.zip", NULL), ==, 0);   /* 8 MiB is fine by default */
    CHECK_INT(extract(dir, "many.zip", NULL), ==, 0);

    CHECK_SECTION("not archives");
    REFUSE("not_a_zip.zip", NULL, ERR_INVALID, "not_a_zip.zip");
    REFUSE("missing.zip", NULL, ERR_INVALID, "missing.zip");
    CHECK_INT(prb_archive_extract("x.zip", "/nonexistent/crucible", NULL, &last), ==, ERR_SYSTEM);
    return check_done("unit.problems.archive_reject");
}

static struct prb_problem *load_zip(const char *dir, const char *name, char **tmp, int *rc)
{
    char *zip = tmp_path(dir, name);
    struct prb_problem *p = NULL;
    *tmp = tmp_make();
    err_clear(&last);
    *rc = prb_package_load(zip, *tmp, NULL, &p, &last);
    if (*rc < 0)
        fprintf(stderr, "loading %s: %s\n", name, last.msg);
    free(zip);
    return p;
}

int test_archive_load(const char *dir)
{
    char *tmp;
    int rc;
    struct prb_problem *p;

    CHECK_SECTION("a package inside a top-level folder");
    p = load_zip(dir, "legacyhello.zip", &tmp, &rc);
    CHECK_INT(rc, ==, 0);
    if (p) {
        CHECK_STR(p->short_name, "legacyhello");
        CHECK_INT(p->n_cases, ==, 4);
        CHECK(strncmp(p->cases[0]->in_path, p->root, strlen(p->root)) == 0);
        double tl;
        CHECK_INT(prb_problem_time_limit(p, &tl, NULL), ==, 0);   /* .timelimit survived */
    }
    prb_problem_free(p);
    tmp_remove(tmp);
    free(tmp);

    CHECK_SECTION("a flat package");
    p = load_zip(dir, "draft2023.zip", &tmp, &rc);
    CHECK_INT(rc, ==, 0);
    if (p) {
        CHECK_STR(p->short_name, "draft2023");
        CHECK_INT(p->n_cases, ==, 5);
        CHECK_INT(p->format, ==, PRB_FORMAT_2023_07_DRAFT);
    }
    prb_problem_free(p);
    tmp_remove(tmp);
    free(tmp);

    CHECK_SECTION("symlinks that stay inside are fine");
    p = load_zip(dir, "symlink_inside.zip", &tmp, &rc);
    CHECK_INT(rc, ==, 0);
    if (p) {
        CHECK_INT(p->n_cases, ==, 5);
        CHECK_STR(p->cases[4]->name, "secret/copy");
    }
    prb_problem_free(p);
    tmp_remove(tmp);
    free(tmp);

    CHECK_SECTION("refusals through prb_package_load");
    p = load_zip(dir, "traversal.zip", &tmp, &rc);
    CHECK_INT(rc, ==, ERR_INVALID);
    CHECK(p == NULL);
    tmp_remove(tmp);
    free(tmp);
    p = load_zip(dir, "many.zip", &tmp, &rc);
    CHECK_INT(rc, ==, ERR_INVALID);
    CHECK(strstr(last.msg, "no problem.yaml") != NULL);
    tmp_remove(tmp);
    free(tmp);
    {
        char *zip = tmp_path(dir, "legacyhello.zip");
        CHECK_INT(prb_package_load(zip, NULL, NULL, &p, &last), ==, ERR_INVALID);
        CHECK(strstr(last.msg, "needs a folder") != NULL);
        free(zip);
    }
    return check_done("unit.problems.archive_load");
}
