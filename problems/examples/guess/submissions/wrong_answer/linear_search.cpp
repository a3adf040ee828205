// Wrong answer: guesses 1, 2, 3, ... and so needs more than 31 guesses
// whenever x > 31. The validator rejects the 32nd guess and closes the
// pipe; this program then sees the end of its input and exits quietly.
#include <iostream>
#include <string>

int main()
{
    for (long long g = 1; g <= 1000000000; g++) {
        std::cout << g << std::endl;
        std::string reply;
        if (!(std::cin >> reply) || reply == "=")
            return 0;
    }
    return 0;
}
