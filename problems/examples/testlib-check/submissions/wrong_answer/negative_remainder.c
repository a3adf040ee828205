/* Wrong answer: C's % keeps the sign of the dividend, so a negative sum
 * gives a negative "remainder" (the checker: wrong answer, exit 1). */
#include <stdio.h>

int main(void)
{
    const long long p = 1000000007LL;
    int n;
    if (scanf("%d", &n) != 1)
        return 1;
    long long s = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        if (scanf("%lld", &a) != 1)
            return 1;
        s = (s + a % p) % p;
    }
    printf("%lld\n", s);
    return 0;
}
