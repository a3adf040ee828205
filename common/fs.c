/* fs.c: small file-system helpers. */
#include "common.h"

#include <errno.h>
#include <sys/stat.h>

int fs_mkdirs(const char *path, unsigned mode)
{
    char tmp[4096];
    if (str_fmt(tmp, sizeof(tmp), "%s", path) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return (mkdir(tmp, (mode_t)mode) < 0 && errno != EEXIST) ? -1 : 0;
}
