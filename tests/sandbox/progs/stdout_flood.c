/*
 * stdout_flood.c: writes 64 KiB blocks to fd 1 (or to the fd given as the
 * first argument) forever. With "ignore" as the second argument it ignores
 * SIGXFSZ, stops at the first failed write and exits 0: a stdout file that
 * reached the limit must still give output_limit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    int fd = argc > 1 ? atoi(argv[1]) : 1;
    int ignore = argc > 2 && strcmp(argv[2], "ignore") == 0;
    if (ignore)
        signal(SIGXFSZ, SIG_IGN);
    static char block[64 << 10];
    memset(block, 'x', sizeof(block));
    for (;;) {
        if (write(fd, block, sizeof(block)) < 0)
            return ignore ? 0 : 4;
    }
}
