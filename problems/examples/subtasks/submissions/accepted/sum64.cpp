// Subtask Sum: the full solution, summing in 64 bits (100 points).
#include <cstdint>
#include <cstdio>

int main()
{
    int n = 0;
    if (std::scanf("%d", &n) != 1)
        return 1;
    std::int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        long long x;
        if (std::scanf("%lld", &x) != 1)
            return 1;
        sum += x;
    }
    std::printf("%lld\n", static_cast<long long>(sum));
}
