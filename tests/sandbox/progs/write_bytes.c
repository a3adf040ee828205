/*
 * write_bytes.c: writes exactly COUNT bytes (argv[1]) to stdout and exits 0.
 * A stdout file that reaches the output limit exactly must already count as
 * output_limit.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog_common.h"

int main(int argc, char **argv)
{
    record_uid();
    long long left = argc > 1 ? strtoll(argv[1], NULL, 10) : 0;
    static char block[64 << 10];
    memset(block, 'w', sizeof(block));
    while (left > 0) {
        size_t n = left < (long long)sizeof(block) ? (size_t)left : sizeof(block);
        ssize_t w = write(1, block, n);
        if (w < 0)
            return 4;
        left -= w;
    }
    return 0;
}
