// Wrong answer: sums first and reduces at the end, but 200 values of 10^18
// overflow 64 bits long before that. Unsigned arithmetic wraps (defined
// behaviour), then the result is reduced as if it were right.
#include <cstdio>

int main()
{
    int n = 0;
    if (std::scanf("%d", &n) != 1)
        return 1;
    unsigned long long s = 0;
    for (int i = 0; i < n; i++) {
        long long a;
        if (std::scanf("%lld", &a) != 1)
            return 1;
        s += static_cast<unsigned long long>(a);
    }
    long long wrapped = static_cast<long long>(s);   // two's complement (C++20)
    std::printf("%lld\n", ((wrapped % 1000000007LL) + 1000000007LL) % 1000000007LL);
}
