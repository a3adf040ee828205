// Guess the Number: binary search, at most 30 guesses. std::endl flushes
// after every guess, so the judge sees it at once.
#include <iostream>
#include <string>

int main()
{
    long long lo = 1, hi = 1000000000;
    while (lo <= hi) {
        long long mid = lo + (hi - lo) / 2;
        std::cout << mid << std::endl;
        std::string reply;
        if (!(std::cin >> reply))
            return 1;
        if (reply == "=")
            return 0;
        if (reply == "<")
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return 1;   // the replies were inconsistent
}
