/*
 * test_parse.c: unit.common.parse, the strict parsers for numbers, seconds
 * and sizes that users type: whole-string only, range-checked, and never
 * fooled by overflow, NaN, signs or suffix tricks.
 */
#include "common.h"
#include "check.h"

#include <math.h>
#include <stdint.h>

static void test_i64(void)
{
    CHECK_SECTION("parse_i64");
    int64_t v = 0;
    CHECK_INT(parse_i64("0", INT64_MIN, INT64_MAX, &v), ==, 0);
    CHECK_INT(v, ==, 0);
    CHECK_INT(parse_i64("42", 0, 100, &v), ==, 0);
    CHECK_INT(v, ==, 42);
    CHECK_INT(parse_i64("-17", -100, 100, &v), ==, 0);
    CHECK_INT(v, ==, -17);
    CHECK_INT(parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), ==, 0);
    CHECK(v == INT64_MAX);
    CHECK_INT(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), ==, 0);
    CHECK(v == INT64_MIN);

    /* Range bounds are inclusive. */
    CHECK_INT(parse_i64("100", 0, 100, &v), ==, 0);
    CHECK_INT(parse_i64("101", 0, 100, &v), ==, ERR_INVALID);
    CHECK_INT(parse_i64("-1", 0, 100, &v), ==, ERR_INVALID);   /* negative where min is 0 */

    /* Overflow. */
    CHECK_INT(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), ==, ERR_INVALID);
    CHECK_INT(parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), ==, ERR_INVALID);
    CHECK_INT(parse_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), ==, ERR_INVALID);

    /* Garbage, empty input, whitespace, other bases. */
    const char *bad[] = { "", " 1", "1 ", "1\n", "12a", "a12", "1.5", "1e3", "--1",
                          "- 1", "0x10", "nan", "inf", "1K", "+", "-" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse_i64(bad[i], INT64_MIN, INT64_MAX, &v);
        if (rc != ERR_INVALID)
            fprintf(stderr, "parse_i64 accepted \"%s\"\n", bad[i]);
        CHECK_INT(rc, ==, ERR_INVALID);
    }
    CHECK_INT(parse_i64(NULL, INT64_MIN, INT64_MAX, &v), ==, ERR_INVALID);

    /* Leading zeros are decimal, not octal. */
    CHECK_INT(parse_i64("010", 0, 100, &v), ==, 0);
    CHECK_INT(v, ==, 10);
}

static void test_seconds(void)
{
    CHECK_SECTION("parse_seconds");
    double v = -1;
    CHECK_INT(parse_seconds("1.5", 100, &v), ==, 0);
    CHECK(v == 1.5);
    CHECK_INT(parse_seconds("2", 100, &v), ==, 0);
    CHECK(v == 2.0);
    CHECK_INT(parse_seconds("0", 100, &v), ==, 0);
    CHECK(v == 0.0);
    CHECK_INT(parse_seconds("0.25", 100, &v), ==, 0);
    CHECK(v == 0.25);
    CHECK_INT(parse_seconds(".5", 100, &v), ==, 0);
    CHECK(v == 0.5);
    CHECK_INT(parse_seconds("100", 100, &v), ==, 0);         /* the maximum itself */
    CHECK(v == 100.0);

    CHECK_INT(parse_seconds("100.001", 100, &v), ==, ERR_INVALID);
    CHECK_INT(parse_seconds("1e999", 1e308, &v), ==, ERR_INVALID);  /* overflow */
    /* "Decimal": strtod's hexadecimal floats are not seconds. */
    CHECK_INT(parse_seconds("0x10", 100, &v), ==, ERR_INVALID);
    CHECK_INT(parse_seconds("0x1p3", 100, &v), ==, ERR_INVALID);

    const char *bad[] = { "", "-1", "-0.5", "nan", "NaN", "-nan", "inf", "infinity",
                          "-inf", " 1", "1 ", "1s", "1.5.2", "abc", "+1", ".", "1,5" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse_seconds(bad[i], 1e9, &v);
        if (rc != ERR_INVALID)
            fprintf(stderr, "parse_seconds accepted \"%s\"\n", bad[i]);
        CHECK_INT(rc, ==, ERR_INVALID);
    }
    CHECK_INT(parse_seconds(NULL, 100, &v), ==, ERR_INVALID);
    /* Even with an infinite maximum, infinity and NaN stay out. */
    CHECK_INT(parse_seconds("inf", INFINITY, &v), ==, ERR_INVALID);
    CHECK_INT(parse_seconds("nan", INFINITY, &v), ==, ERR_INVALID);
}

static void test_size(void)
{
    CHECK_SECTION("parse_size");
    uint64_t v = 0;
    const uint64_t max = UINT64_MAX;
    CHECK_INT(parse_size("0", max, &v), ==, 0);
    CHECK(v == 0);
    CHECK_INT(parse_size("123", max, &v), ==, 0);
    CHECK(v == 123);

    /* Suffixes are powers of 1024, either case, with B / iB spellings. */
    struct { const char *s; uint64_t want; } good[] = {
        { "1K", 1024 }, { "1k", 1024 }, { "1KB", 1024 }, { "1KiB", 1024 }, { "1kib", 1024 },
        { "64M", 64ull << 20 }, { "64MB", 64ull << 20 }, { "64MiB", 64ull << 20 },
        { "2G", 2ull << 30 }, { "2GiB", 2ull << 30 }, { "512B", 512 }, { "0K", 0 },
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = 0;
        int rc = parse_size(good[i].s, max, &v);
        if (rc != 0 || v != good[i].want)
            fprintf(stderr, "parse_size(\"%s\") gave rc %d, %llu\n", good[i].s, rc,
                    (unsigned long long)v);
        CHECK_INT(rc, ==, 0);
        CHECK(v == good[i].want);
    }

    /* The maximum applies after the suffix. */
    CHECK_INT(parse_size("1M", 1ull << 20, &v), ==, 0);
    CHECK(v == 1ull << 20);
    CHECK_INT(parse_size("1M", (1ull << 20) - 1, &v), ==, ERR_INVALID);
    CHECK_INT(parse_size("1048577", 1ull << 20, &v), ==, ERR_INVALID);

    /* Overflow, before and after the multiplier. */
    CHECK_INT(parse_size("18446744073709551615", max, &v), ==, 0);
    CHECK(v == UINT64_MAX);
    CHECK_INT(parse_size("18446744073709551616", max, &v), ==, ERR_INVALID);
    CHECK_INT(parse_size("17179869184G", max, &v), ==, ERR_INVALID);   /* 2^34 GiB = 2^64 */
    CHECK_INT(parse_size("17179869183G", max, &v), ==, 0);
    CHECK_INT(parse_size("99999999999999999999999K", max, &v), ==, ERR_INVALID);

    const char *bad[] = { "", "-1", "-1K", " 1", "1 ", "1 K", "K", "1.5", "1.5M", "1X",
                          "1KK", "1KBB", "1Kx", "1BB", "1BiB", "1e3", "nan", "inf", "+1",
                          "0x10", "1MiBs" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse_size(bad[i], max, &v);
        if (rc != ERR_INVALID)
            fprintf(stderr, "parse_size accepted \"%s\"\n", bad[i]);
        CHECK_INT(rc, ==, ERR_INVALID);
    }
    CHECK_INT(parse_size(NULL, max, &v), ==, ERR_INVALID);
}

int main(void)
{
    test_i64();
    test_seconds();
    test_size();
    return check_done("unit.common.parse");
}
