/*
 * mem_hog.c: allocates and touches memory 1 MiB at a time until something
 * stops it. The memory cgroup must OOM-kill it (memory_limit); a malloc()
 * failure instead exits 12, which would show an address-space limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog_common.h"

int main(void)
{
    record_uid();
    size_t total = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) {
            printf("malloc failed after %zu MiB\n", total >> 20);
            return 12;
        }
        memset(p, 0x5a, 1 << 20);
        total += 1 << 20;
    }
}
