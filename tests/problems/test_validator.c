/*
 * test_validator.c: the default output validator against the spec's corner
 * cases: tokenizing, case, whitespace sensitivity, float tolerances, the
 * float grammar (exponents, -0, nan, inf, over-long tokens) and its flags.
 */
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "tests.h"

/* 1 accepted, 0 wrong answer, -1 flags refused. args ends with NULL. */
static int judge(const char *ans, size_t al, const char *team, size_t tl,
                 const char *const *args, struct prb_check_result *res)
{
    struct prb_strv sv = { (char **)args, 0 };
    struct prb_validator_flags f;
    struct prb_check_result local;
    while (args && args[sv.n])
        sv.n++;
    if (prb_validator_flags_parse(&sv, &f, NULL) < 0)
        return -1;
    if (!res)
        res = &local;
    if (prb_default_validate(ans, al, team, tl, &f, res) < 0)
        return -1;
    CHECK(strlen(res->message) < PRB_CHECK_MSG_MAX);
    CHECK(res->accepted ? res->message[0] == '\0' : res->message[0] != '\0');
    return res->accepted;
}

static int v(const char *ans, const char *team, const char *const *args)
{
    return judge(ans, strlen(ans), team, strlen(team), args, NULL);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

int test_validator_tokens(const char *dir)
{
    struct prb_check_result r;
    (void)dir;
    CHECK_SECTION("equal and whitespace-insensitive");
    CHECK_INT(v("42\n", "42\n", NULL), ==, 1);
    CHECK_INT(v("42\n", "42", NULL), ==, 1);
    CHECK_INT(v("42\n", "42\n\n   \t", NULL), ==, 1);
    CHECK_INT(v("42\n", "   42", NULL), ==, 1);
    CHECK_INT(v("42 43\n", "42\n43", NULL), ==, 1);
    CHECK_INT(v("1\r\n2\n", "1\t2\v\f", NULL), ==, 1);
    CHECK_INT(v("", "", NULL), ==, 1);
    CHECK_INT(v("", "\n\n", NULL), ==, 1);

    CHECK_SECTION("mismatches");
    CHECK_INT(judge("42\n", 3, "43\n", 3, NULL, &r), ==, 0);
    CHECK(strstr(r.message, "wrong answer '43'") != NULL);
    CHECK(strstr(r.message, "42") == NULL);   /* the answer is never quoted */
    CHECK_INT(judge("1\n", 2, "1 2\n", 4, NULL, &r), ==, 0);
    CHECK(strstr(r.message, "trailing output") != NULL);
    CHECK_INT(judge("1 2\n", 4, "1\n", 2, NULL, &r), ==, 0);
    CHECK(strstr(r.message, "ended") != NULL);
    CHECK_INT(v("", "x", NULL), ==, 0);
    CHECK_INT(v("x", "", NULL), ==, 0);
    CHECK_INT(judge("a\nb\nc\n", 6, "a\nb\nd\n", 6, NULL, &r), ==, 0);
    CHECK(strstr(r.message, "token 3 (line 3)") != NULL);

    CHECK_SECTION("case");
    CHECK_INT(v("Yes", "yes", NULL), ==, 1);
    CHECK_INT(v("Yes", "YES", NULL), ==, 1);
    CHECK_INT(v("Yes", "yes", ARGS("case_sensitive")), ==, 0);
    CHECK_INT(v("Yes", "Yes", ARGS("case_sensitive")), ==, 1);
    /* Only ASCII letters fold: UTF-8 "É" and "é" differ. */
    CHECK_INT(v("\xc3\x89", "\xc3\xa9", NULL), ==, 0);
    CHECK_INT(v("[", "{", NULL), ==, 0);   /* 0x5b vs 0x7b: not letters */

    CHECK_SECTION("floats are strings without a tolerance");
    CHECK_INT(v("1.0", "1", NULL), ==, 0);
    CHECK_INT(v("1.0", "1.00", NULL), ==, 0);
    CHECK_INT(v("1.0", "1.0", NULL), ==, 1);

    CHECK_SECTION("bytes, NUL and escaping");
    CHECK_INT(judge("a\0b", 3, "a\0b", 3, NULL, &r), ==, 1);
    CHECK_INT(judge("a\0b", 3, "a\0c", 3, NULL, &r), ==, 0);
    CHECK_INT(judge("x", 1, "\x01'", 2, NULL, &r), ==, 0);
    CHECK(strstr(r.message, "\\x01\\x27") != NULL);

    CHECK_SECTION("very long tokens keep the message short");
    size_t big = 1 << 20;
    char *a = malloc(big), *t = malloc(big);
    memset(a, 'a', big);
    memcpy(t, a, big);
    CHECK_INT(judge(a, big, t, big, NULL, &r), ==, 1);
    t[big - 1] = 'b';
    CHECK_INT(judge(a, big, t, big, NULL, &r), ==, 0);
    CHECK(strlen(r.message) < PRB_CHECK_MSG_MAX);
    CHECK(strstr(r.message, "...") != NULL);
    CHECK_INT(judge(a, big, t, big - 1, NULL, &r), ==, 0);   /* prefix is not equal */
    free(a);
    free(t);
    return check_done("unit.problems.validator_tokens");
}

int test_validator_space_change(const char *dir)
{
    const char *const *s = ARGS("space_change_sensitive");
    (void)dir;
    CHECK_INT(v("1 2\n", "1 2\n", s), ==, 1);
    CHECK_INT(v("1 2\n", "1  2\n", s), ==, 0);
    CHECK_INT(v("1 2\n", "1 2", s), ==, 0);        /* trailing newline missing */
    CHECK_INT(v("1 2\n", "1 2\n\n", s), ==, 0);    /* extra trailing newline */
    CHECK_INT(v("1 2\n", "1 2 \n", s), ==, 0);     /* trailing space */
    CHECK_INT(v("1 2\n", " 1 2\n", s), ==, 0);     /* leading space */
    CHECK_INT(v("1 2\n", "1\t2\n", s), ==, 0);     /* type of whitespace */
    CHECK_INT(v("1 2\n", "1 2\r\n", s), ==, 0);
    CHECK_INT(v("a b\n", "A B\n", s), ==, 1);      /* case still folds */
    CHECK_INT(v("", "", s), ==, 1);
    CHECK_INT(v("", " ", s), ==, 0);
    /* Without the flag all of these pass. */
    CHECK_INT(v("1 2\n", "1  2", NULL), ==, 1);
    CHECK_INT(v("1 2\n", " 1\t2\r\n\n", NULL), ==, 1);
    /* With a tolerance too. */
    CHECK_INT(v("1.5 2\n", "1.50 2\n", ARGS("space_change_sensitive", "float_tolerance", "0.01")),
              ==, 1);
    CHECK_INT(v("1.5 2\n", "1.50  2\n", ARGS("space_change_sensitive", "float_tolerance", "0.01")),
              ==, 0);
    return check_done("unit.problems.validator_space_change");
}

int test_float_tolerance(const char *dir)
{
    struct prb_check_result r;
    (void)dir;
    CHECK_SECTION("absolute");
    const char *const *abs6 = ARGS("float_absolute_tolerance", "1e-6");
    CHECK_INT(v("1.0", "1.0000005", abs6), ==, 1);
    CHECK_INT(v("1.0", "0.9999995", abs6), ==, 1);
    CHECK_INT(v("1.0", "1.000002", abs6), ==, 0);
    CHECK_INT(v("1000000", "1000000.5", abs6), ==, 0);   /* absolute only */
    CHECK_INT(v("1", "1.5", ARGS("float_absolute_tolerance", "0.5")), ==, 1);   /* boundary */

    CHECK_SECTION("relative");
    const char *const *rel6 = ARGS("float_relative_tolerance", "1e-6");
    CHECK_INT(v("1000000", "1000000.5", rel6), ==, 1);
    CHECK_INT(v("1000000", "1000002", rel6), ==, 0);
    CHECK_INT(v("0", "1e-300", rel6), ==, 0);   /* relative to 0 allows nothing */
    CHECK_INT(v("-2", "-2.000001", rel6), ==, 1);

    CHECK_SECTION("either tolerance suffices");
    const char *const *both = ARGS("float_absolute_tolerance", "1e-9",
                                   "float_relative_tolerance", "1e-3");
    CHECK_INT(v("1000", "1000.5", both), ==, 1);     /* relative */
    CHECK_INT(v("0", "1e-10", both), ==, 1);         /* absolute */
    CHECK_INT(v("1000", "1002", both), ==, 0);       /* neither */
    const char *const *ft = ARGS("float_tolerance", "1e-6");
    CHECK_INT(v("0", "1e-7", ft), ==, 1);
    CHECK_INT(v("1e9", "1000000100", ft), ==, 1);
    CHECK_INT(v("1e9", "1000002000", ft), ==, 0);

    CHECK_SECTION("integers become floats; strings stay strings");
    CHECK_INT(v("3", "3.0000001", abs6), ==, 1);
    CHECK_INT(v("abc 1", "ABC 1.0", abs6), ==, 1);
    CHECK_INT(v("abc", "abd", abs6), ==, 0);
    CHECK_INT(judge("1.5", 3, "abc", 3, abs6, &r), ==, 0);
    CHECK(strstr(r.message, "expected a number") != NULL);
    CHECK_INT(judge("1.5", 3, "1.6", 3, abs6, &r), ==, 0);
    CHECK(strstr(r.message, "outside the tolerance") != NULL);

    CHECK_SECTION("zero tolerance compares numbers exactly");
    const char *const *zero = ARGS("float_absolute_tolerance", "0");
    CHECK_INT(v("1", "1.0", zero), ==, 1);
    CHECK_INT(v("1", "1e0", zero), ==, 1);
    CHECK_INT(v("1", "1.0000001", zero), ==, 0);
    return check_done("unit.problems.float_tolerance");
}

int test_float_special(const char *dir)
{
    const char *const *tol = ARGS("float_tolerance", "1e-9");
    (void)dir;
    CHECK_SECTION("exponents and spellings");
    CHECK_INT(v("0.0314", "3.14000000e-2", tol), ==, 1);
    CHECK_INT(v("0.0314", "3.14E-2", tol), ==, 1);
    CHECK_INT(v("0.0314", "314e-4", tol), ==, 1);
    CHECK_INT(v("0.0314", "+0.0314", tol), ==, 1);
    CHECK_INT(v("0.0314", ".0314", tol), ==, 1);
    CHECK_INT(v("5.", "5", tol), ==, 1);
    CHECK_INT(v(".5", "0.5", tol), ==, 1);
    CHECK_INT(v("1e3", "1000", tol), ==, 1);
    CHECK_INT(v("0.0314", "3.14e", tol), ==, 0);
    CHECK_INT(v("0.0314", "3.14e+", tol), ==, 0);
    CHECK_INT(v("0.03125", "0x1p-5", tol), ==, 0);   /* hex is not in the grammar */
    CHECK_INT(v("0.01", "1e-2.5", tol), ==, 0);
    CHECK_INT(v("1", "1,0", tol), ==, 0);
    CHECK_INT(v("1", "--1", tol), ==, 0);
    CHECK_INT(v(".", ".", tol), ==, 1);               /* not a float: a string */
    CHECK_INT(v("0x10", "0X10", tol), ==, 1);         /* not a float: case folds */

    CHECK_SECTION("-0 and 0");
    CHECK_INT(v("0", "-0", NULL), ==, 0);             /* strings */
    CHECK_INT(v("0", "-0", tol), ==, 1);
    CHECK_INT(v("-0.0", "0", ARGS("float_absolute_tolerance", "0")), ==, 1);

    CHECK_SECTION("nan and inf are not floats");
    CHECK_INT(v("nan", "nan", tol), ==, 1);           /* compared as strings */
    CHECK_INT(v("NaN", "nan", tol), ==, 1);
    CHECK_INT(v("NaN", "nan", ARGS("case_sensitive", "float_tolerance", "1e-9")), ==, 0);
    CHECK_INT(v("1", "nan", tol), ==, 0);
    CHECK_INT(v("1", "inf", tol), ==, 0);
    CHECK_INT(v("1", "-infinity", tol), ==, 0);
    CHECK_INT(v("inf", "inf", tol), ==, 1);
    CHECK_INT(v("inf", "1e999", tol), ==, 0);         /* answer token is a string */

    CHECK_SECTION("overflow and underflow");
    CHECK_INT(v("1e400", "1e400", tol), ==, 1);
    CHECK_INT(v("1e308", "1e400", tol), ==, 0);
    CHECK_INT(v("-1e400", "1e400", tol), ==, 0);
    CHECK_INT(v("1e-400", "0", tol), ==, 1);

    CHECK_SECTION("long number tokens");
    char team[200];
    memset(team, '0', sizeof(team));
    team[0] = '0';
    team[1] = '.';
    team[61] = '1';
    team[62] = '\0';   /* 0.000...001 with 59 zeros: 1e-60 */
    CHECK_INT(v("1e-60", team, ARGS("float_relative_tolerance", "1e-12")), ==, 1);
    size_t n = PRB_FLOAT_TOKEN_MAX + 10;
    char *huge = malloc(n + 1);
    memset(huge, '0', n);
    huge[0] = '1';
    huge[1] = '.';
    huge[n] = '\0';
    struct prb_check_result r;
    CHECK_INT(judge("1", 1, huge, n, tol, &r), ==, 0);
    CHECK(strstr(r.message, "too long") != NULL);
    CHECK_INT(judge(huge, n, huge, n, tol, &r), ==, 1);   /* equal strings still pass */
    free(huge);
    return check_done("unit.problems.float_special");
}

static int parse_flags(struct prb_validator_flags *f, struct err *e, const char *const *args)
{
    struct prb_strv sv = { (char **)args, 0 };
    while (args[sv.n])
        sv.n++;
    err_clear(e);
    return prb_validator_flags_parse(&sv, f, e);
}

int test_validator_flags(const char *dir)
{
    struct prb_validator_flags f;
    struct err e;
    (void)dir;
#define PARSE(...) parse_flags(&f, &e, ARGS(__VA_ARGS__))
    CHECK_INT(PARSE("case_sensitive", "space_change_sensitive"), ==, 0);
    CHECK(f.case_sensitive && f.space_change_sensitive && !f.has_abs_tol && !f.has_rel_tol);
    CHECK_INT(PARSE("float_absolute_tolerance", "1e-6", "float_relative_tolerance", "0.01"), ==, 0);
    CHECK(f.has_abs_tol && f.has_rel_tol && f.abs_tol == 1e-6 && f.rel_tol == 0.01);
    CHECK_INT(PARSE("float_tolerance", "0.5"), ==, 0);
    CHECK(f.has_abs_tol && f.has_rel_tol && f.abs_tol == 0.5 && f.rel_tol == 0.5);
    CHECK_INT(PARSE("case_sensitive", "case_sensitive"), ==, 0);
    CHECK_INT(PARSE("ignore_case"), ==, ERR_INVALID);
    CHECK(strstr(e.msg, "ignore_case") != NULL);
    CHECK_INT(PARSE("float_tolerance"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_tolerance", "-1"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_tolerance", "abc"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_tolerance", "nan"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_tolerance", "inf"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_absolute_tolerance", "1", "float_absolute_tolerance", "2"), ==,
              ERR_INVALID);
    CHECK(strstr(e.msg, "more than once") != NULL);
    CHECK_INT(PARSE("float_tolerance", "1", "float_relative_tolerance", "2"), ==, ERR_INVALID);
    CHECK_INT(PARSE("float_absolute_tolerance", "1", "float_tolerance", "2"), ==, ERR_INVALID);
    CHECK_INT(prb_validator_flags_parse(NULL, &f, NULL), ==, 0);
#undef PARSE

    struct prb_validator_flags bad = { .has_abs_tol = 1, .abs_tol = -1 };
    struct prb_check_result r;
    CHECK_INT(prb_default_validate("1", 1, "1", 1, &bad, &r), ==, ERR_INVALID);
    CHECK_INT(prb_default_validate("1", 1, "1", 1, NULL, &r), ==, 0);
    CHECK_INT(r.accepted, ==, 1);
    return check_done("unit.problems.validator_flags");
}
