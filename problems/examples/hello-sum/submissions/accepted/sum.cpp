// Hello Sum in C++20.
#include <cstdint>
#include <iostream>

int main()
{
    std::int64_t a = 0, b = 0;
    std::cin >> a >> b;
    std::cout << a + b << '\n';
}
