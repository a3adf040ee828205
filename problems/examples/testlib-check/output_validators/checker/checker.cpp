// Checker for Sum Modulo with testlib's interface, written from scratch (it
// does not use testlib.h):
//
//     checker input_file output_file answer_file
//
// output_file is the team's output and answer_file the judge's answer. The
// exit code is the verdict: 0 accepted, 1 wrong answer, 2 presentation error
// (the output is not one integer), 3 checker failure (the answer file is
// bad: a judge error). A one-line comment goes to stderr, as testlib does.
// Whitespace is free: the output must hold exactly one integer token.
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

enum Verdict { OK = 0, WA = 1, PE = 2, FAIL = 3 };

constexpr long long MOD = 1000000007LL;

[[noreturn]] void quit(Verdict v, const char *fmt, ...)
{
    static const char *const prefix[] = {"ok", "wrong answer", "wrong output format", "FAIL"};
    std::fprintf(stderr, "%s ", prefix[v]);
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
    std::fputc('\n', stderr);
    std::exit(v);
}

bool read_file(const char *path, std::string &out)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return !f.bad();
}

// Splits on the whitespace testlib skips: space, \t, \n, \v, \f, \r.
std::vector<std::string> tokens(const std::string &s)
{
    std::vector<std::string> v;
    std::string cur;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
            if (!cur.empty())
                v.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        v.push_back(cur);
    return v;
}

// A 64-bit integer with an optional '-', digits only, no leading zeros, no
// "-0" (testlib's readLong is as strict).
bool parse_long(const std::string &t, long long &value)
{
    size_t i = t[0] == '-' ? 1 : 0;
    if (i == t.size() || t.size() > 20)
        return false;
    for (size_t j = i; j < t.size(); j++)
        if (t[j] < '0' || t[j] > '9')
            return false;
    if (t[i] == '0' && (t.size() > i + 1 || i == 1))
        return false;
    errno = 0;
    char *end = nullptr;
    value = std::strtoll(t.c_str(), &end, 10);
    return errno == 0 && *end == '\0';
}

// A token as it may appear in the comment: at most 32 bytes, printable.
std::string shown(const std::string &t)
{
    std::string s;
    for (size_t i = 0; i < t.size() && i < 32; i++)
        s += (t[i] >= 32 && t[i] < 127) ? t[i] : '?';
    return t.size() > 32 ? s + "..." : s;
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 4)
        quit(FAIL, "usage: checker input_file output_file answer_file");
    std::string out_text, ans_text;
    if (!read_file(argv[3], ans_text))
        quit(FAIL, "cannot read the answer file '%s'", argv[3]);
    if (!read_file(argv[2], out_text))
        quit(FAIL, "cannot read the output file '%s'", argv[2]);

    std::vector<std::string> ans = tokens(ans_text);
    long long expected = 0;
    if (ans.size() != 1 || !parse_long(ans[0], expected) || expected < 0 || expected >= MOD)
        quit(FAIL, "the answer file does not hold one integer in [0, 10^9+7)");

    std::vector<std::string> out = tokens(out_text);
    if (out.empty())
        quit(PE, "unexpected end of file: an integer expected");
    long long found = 0;
    if (!parse_long(out[0], found))
        quit(PE, "expected an integer, found \"%s\"", shown(out[0]).c_str());
    if (out.size() > 1)
        quit(PE, "extra output after the answer: \"%s\"", shown(out[1]).c_str());
    if (found != expected)
        quit(WA, "expected %lld, found %lld", expected, found);
    quit(OK, "the sum is %lld", found);
}
