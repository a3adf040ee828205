/* Run time error: an integer division by zero (SIGFPE on x86). The divisor
 * is volatile so that the compiler cannot see that it is zero. */
#include <stdio.h>

int main(void)
{
    volatile long long zero = 0;
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2)
        return 1;
    printf("%lld\n", (a + b) / zero);
    return 0;
}
