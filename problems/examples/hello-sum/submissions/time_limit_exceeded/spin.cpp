// Time limit exceeded: reads the input, then loops forever. The counter is
// volatile so that the compiler cannot drop the loop (C++ lets it assume
// that a loop without side effects terminates).
#include <iostream>

int main()
{
    long long a = 0, b = 0;
    std::cin >> a >> b;
    volatile unsigned long long spins = 0;
    for (;;)
        spins = spins + 1;
    std::cout << a + b << '\n';
}
