// Float Mean: fixed notation with exactly 6 decimals, the least that the
// 1e-6 tolerance allows.
#include <cstdio>
#include <iostream>

int main()
{
    int n = 0;
    std::cin >> n;
    long double sum = 0;
    for (int i = 0; i < n; i++) {
        long double x;
        std::cin >> x;
        sum += x;
    }
    std::printf("%.6Lf\n", sum / n);
}
