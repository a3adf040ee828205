/*
 * cat_stdin.c: copies stdin to stdout in 64 KiB blocks; checks that the
 * sandbox passes large inputs and outputs unchanged.
 */
#include <unistd.h>

int main(void)
{
    static char buf[64 << 10];
    for (;;) {
        ssize_t n = read(0, buf, sizeof(buf));
        if (n == 0)
            return 0;
        if (n < 0)
            return 3;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w < 0)
                return 4;
            off += w;
        }
    }
}
