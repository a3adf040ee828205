/* utf8.c: validating text that comes from users. */
#include "common.h"

int utf8_valid(const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    while (p < e) {
        unsigned c = *p;
        if (c < 0x80) {
            int line = c == '\n' || c == '\r' || c == '\t';
            if (c == 0 || ((flags & UTF8_NO_CONTROLS) && (c < 0x20 || c == 0x7f) &&
                           !(line && (flags & UTF8_ALLOW_LINES))))
                return 0;
            p++;
            continue;
        }
        size_t n;
        unsigned min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            min = 0x10000;
        } else {
            return 0;
        }
        if ((size_t)(e - p) <= n)
            return 0;
        unsigned cp = c & (0x3fu >> n);
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        p += n + 1;
    }
    return 1;
}
