/*
 * tmp_flood.c: fills /tmp with many 64 KiB files (named after the token in
 * argv[1]) until a write fails, then exits 0. The private /tmp is as large
 * as --output, so the run must end as output_limit and the host's /tmp must
 * not see a single one of these files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    const char *token = argc > 1 ? argv[1] : "flood";
    static char block[64 << 10];
    memset(block, 'z', sizeof(block));
    int n = 0, err = 0;
    for (; n < 100000; n++) {
        char path[256];
        snprintf(path, sizeof(path), "/tmp/%s_%d", token, n);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            err = errno;
            break;
        }
        ssize_t w = write(fd, block, sizeof(block));
        if (w != (ssize_t)sizeof(block)) {
            err = w < 0 ? errno : ENOSPC;
            close(fd);
            break;
        }
        close(fd);
    }
    printf("files %d errno %s\n", n, err ? strerrorname_np(err) : "none");
    return 0;
}
