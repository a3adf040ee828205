/* Wrong answer: n divides itself, but it is not strictly between 1 and n. */
#include <stdio.h>

int main(void)
{
    long long n;
    if (scanf("%lld", &n) != 1)
        return 1;
    printf("%lld\n", n);
    return 0;
}
