/* Memory limit exceeded: allocates 1 GiB (the limit is 256 MiB) and writes
 * to every page, so the memory is really used and not just reserved. The
 * blocks are kept in a volatile array, so the compiler cannot prove them
 * unused and drop the allocations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK ((size_t)16 << 20)
#define NBLOCKS 64                     /* 64 x 16 MiB = 1 GiB */

static char *volatile blocks[NBLOCKS];

int main(void)
{
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2)
        return 1;
    for (int i = 0; i < NBLOCKS; i++) {
        char *p = malloc(BLOCK);
        if (!p)
            abort();                   /* a limit on address space, not pages */
        memset(p, 1 + i, BLOCK);
        blocks[i] = p;
    }
    printf("%lld\n", a + b);
    return 0;
}
