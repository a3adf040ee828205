/* Any Divisor: the largest divisor below n, which is n / p for the smallest
 * prime factor p of n. */
#include <inttypes.h>
#include <stdio.h>

int main(void)
{
    uint64_t n;
    if (scanf("%" SCNu64, &n) != 1)
        return 1;
    for (uint64_t p = 2; p * p <= n; p++) {
        if (n % p == 0) {
            printf("%" PRIu64 "\n", n / p);
            return 0;
        }
    }
    return 1;   /* n is prime: cannot happen */
}
