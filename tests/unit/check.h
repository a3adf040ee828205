/*
 * check.h: the unit tests' tiny harness (after valkey's src/unit). A CHECK
 * that fails prints file:line and the expression, counts, and lets the test
 * go on; check_done() prints the tally and gives main its exit code.
 */
#ifndef CRUCIBLE_CHECK_H
#define CRUCIBLE_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_count;
static int check_failed;

#define CHECK(cond) do { \
    check_count++; \
    if (!(cond)) { \
        check_failed++; \
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

/* Integers are compared as int64_t and both values shown on failure. */
#define CHECK_INT(a, op, b) do { \
    int64_t check_a_ = (int64_t)(a), check_b_ = (int64_t)(b); \
    check_count++; \
    if (!(check_a_ op check_b_)) { \
        check_failed++; \
        fprintf(stderr, "%s:%d: check failed: %s %s %s (%" PRId64 " vs %" PRId64 ")\n", \
                __FILE__, __LINE__, #a, #op, #b, check_a_, check_b_); \
    } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *check_a_ = (a), *check_b_ = (b); \
    check_count++; \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) { \
        check_failed++; \
        fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" vs \"%s\")\n", \
                __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", \
                check_b_ ? check_b_ : "(null)"); \
    } \
} while (0)

/* Names the group of checks that follows, so a failure is easy to place. */
#define CHECK_SECTION(name) fprintf(stderr, "-- %s\n", name)

static inline int check_done(const char *suite)
{
    fprintf(stderr, "%s: %d checks, %d failed\n", suite, check_count, check_failed);
    return check_failed ? 1 : 0;
}

#endif
