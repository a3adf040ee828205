// Any Divisor: the smallest divisor above 1, by trial division up to sqrt(n)
// (at most 10^6 steps: a composite n has a divisor at most sqrt(n)).
#include <cstdint>
#include <iostream>

int main()
{
    std::uint64_t n = 0;
    std::cin >> n;
    for (std::uint64_t d = 2; d * d <= n; d++) {
        if (n % d == 0) {
            std::cout << d << '\n';
            return 0;
        }
    }
    return 1;   // n is prime: cannot happen
}
