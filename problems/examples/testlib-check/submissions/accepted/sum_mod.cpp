// Sum Modulo: reduce every value first, so nothing overflows, and bring a
// negative remainder into [0, p).
#include <cstdio>

int main()
{
    const long long p = 1000000007LL;
    int n = 0;
    if (std::scanf("%d", &n) != 1)
        return 1;
    long long s = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        if (std::scanf("%lld", &a) != 1)
            return 1;
        s = ((s + a % p) % p + p) % p;
    }
    std::printf("%lld\n", s);
}
