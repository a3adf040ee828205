/* test_util.c: temporary folders and files for the package tests. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests.h"

char *tmp_make(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof(tmpl), "%s/crucible-prb-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        chmod(path, 0700), rmdir(path);
    else
        unlink(path);
    return 0;
}

void tmp_remove(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

char *tmp_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

int tmp_write(const char *dir, const char *rel, const char *text)
{
    char *p = tmp_path(dir, rel);
    for (char *s = p + strlen(dir) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = '/';
        }
    }
    FILE *f = fopen(p, "w");
    free(p);
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}
