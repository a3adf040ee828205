/*
 * file_flood.c: writes one ever-growing file in /box. RLIMIT_FSIZE must stop
 * it with SIGXFSZ (output_limit) before it passes --output; exit code 4
 * would mean the write failed some other way.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    int fd = open("/box/flood.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 3;
    static char block[64 << 10];
    memset(block, 'y', sizeof(block));
    for (;;)
        if (write(fd, block, sizeof(block)) < 0)
            return 4;
}
