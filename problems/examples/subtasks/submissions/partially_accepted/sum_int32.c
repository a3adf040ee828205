/* Subtask Sum, 30 points: the accumulator is an int. Each value is read into
 * a long long, so `sum += x` converts the exact result back to int, which
 * GCC defines as reduction modulo 2^32 (no undefined behaviour). Right in
 * group 1, where every prefix sum fits in 32 bits; wrong in group 2. */
#include <stdio.h>

int main(void)
{
    int n;
    if (scanf("%d", &n) != 1)
        return 1;
    int sum = 0;
    for (int i = 0; i < n; i++) {
        long long x;
        if (scanf("%lld", &x) != 1)
            return 1;
        sum += x;
    }
    printf("%d\n", sum);
    return 0;
}
