/* parse.c: strict parsers for numbers, durations and sizes given by users. */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s || isspace((unsigned char)*s))
        return ERR_INVALID;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return ERR_INVALID;
    *out = v;
    return 0;
}

int parse_seconds(const char *s, double max_seconds, double *out)
{
    if (!s || !*s)
        return ERR_INVALID;
    /* Plain decimal only: strtod would also take hex, exponents, "inf". */
    int dots = 0, digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            dots++;
        else if (isdigit((unsigned char)*p))
            digits++;
        else
            return ERR_INVALID;
    }
    if (dots > 1 || !digits)
        return ERR_INVALID;
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > max_seconds)
        return ERR_INVALID;
    *out = v;
    return 0;
}

int parse_size(const char *s, uint64_t max_bytes, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return ERR_INVALID;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return ERR_INVALID;
    uint64_t mult = 1;
    if (*end) {
        switch (toupper((unsigned char)*end)) {
        case 'B': mult = 1; break;
        case 'K': mult = 1ull << 10; break;
        case 'M': mult = 1ull << 20; break;
        case 'G': mult = 1ull << 30; break;
        case 'T': mult = 1ull << 40; break;
        default: return ERR_INVALID;
        }
        const char *rest = end + 1;
        if (mult > 1 && *rest && strcasecmp(rest, "B") != 0 && strcasecmp(rest, "iB") != 0)
            return ERR_INVALID;
        if (mult == 1 && *rest)
            return ERR_INVALID;
    }
    if (v > max_bytes / mult)
        return ERR_INVALID;
    *out = (uint64_t)v * mult;
    return 0;
}
