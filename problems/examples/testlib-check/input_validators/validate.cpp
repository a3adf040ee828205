// Input validator for Sum Modulo: stdin must be exactly "n\n" then n
// integers separated by single spaces and a newline, 1 <= n <= 1000 and
// |a_i| <= 10^18, written without '+', leading zeros or "-0". Exits 42 if
// valid, 43 otherwise, with the reason on stderr.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>

namespace {

std::string in;
size_t pos = 0;

[[noreturn]] void fail(const char *msg)
{
    std::fprintf(stderr, "invalid at byte %zu: %s\n", pos, msg);
    std::exit(43);
}

// Reads a canonical integer whose absolute value is at most max_abs.
long long read_int(unsigned long long max_abs)
{
    bool neg = pos < in.size() && in[pos] == '-';
    if (neg)
        pos++;
    size_t start = pos;
    unsigned long long v = 0;
    while (pos < in.size() && in[pos] >= '0' && in[pos] <= '9') {
        if (pos - start >= 19)
            fail("integer too long");
        v = v * 10 + static_cast<unsigned long long>(in[pos] - '0');
        pos++;
    }
    if (pos == start)
        fail("integer expected");
    if (in[start] == '0' && (pos - start > 1 || neg))
        fail("leading zero or -0");
    if (v > max_abs)
        fail("integer out of range");
    return neg ? -static_cast<long long>(v) : static_cast<long long>(v);
}

void expect(char c)
{
    if (pos >= in.size() || in[pos] != c)
        fail(c == ' ' ? "single space expected" : "newline expected");
    pos++;
}

}  // namespace

int main()
{
    in.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    long long n = read_int(1000);
    if (n < 1)
        fail("n must be at least 1");
    expect('\n');
    for (long long i = 0; i < n; i++) {
        if (i > 0)
            expect(' ');
        read_int(1000000000000000000ULL);
    }
    expect('\n');
    if (pos != in.size())
        fail("data after the last line");
    return 42;
}
