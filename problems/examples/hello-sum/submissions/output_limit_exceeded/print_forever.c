/* Output limit exceeded: prints the right answer, then prints forever (the
 * limit is 8 MiB). */
#include <stdio.h>

int main(void)
{
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2)
        return 1;
    for (;;)
        printf("%lld\n", a + b);
}
