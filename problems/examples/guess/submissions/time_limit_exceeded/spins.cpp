// Time limit exceeded: makes one guess, then spins forever without reading
// the reply (this one uses CPU time, unlike never_reads.py).
#include <iostream>

int main()
{
    std::cout << 500000000 << std::endl;
    volatile unsigned long long spins = 0;
    for (;;)
        spins = spins + 1;
}
