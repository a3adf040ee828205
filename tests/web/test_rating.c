/*
 * test_rating.c: unit.web.rating: the rating formula (web/rating.h) against
 * docs/ratings.md's worked example, number for number (places, seeds,
 * needed ratings, deltas), and ties, a single participant, the top-group
 * correction of a larger contest, bad input, and determinism (the order the
 * participants are listed in changes nothing).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rating.h"

#define CHECK_NEAR(a, b) CHECK(fabs((a) - (b)) < 5e-7)

static struct web_rating_entry *find(struct web_rating_entry *e, size_t n, int64_t user)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].user_id == user)
            return &e[i];
    return NULL;
}

/* One participant's numbers as docs/ratings.md shows them. */
struct want {
    int64_t user, place;
    double seed, mid;
    int64_t need, delta, old_rating, new_rating;
};

static void expect(struct web_rating_entry *e, size_t n, const struct want *w, size_t nw)
{
    CHECK_INT(n, ==, nw);
    for (size_t i = 0; i < nw; i++) {
        struct web_rating_entry *x = find(e, n, w[i].user);
        CHECK(x != NULL);
        if (!x)
            continue;
        CHECK_INT(x->place, ==, w[i].place);
        CHECK_NEAR(x->seed, w[i].seed);
        CHECK_NEAR(x->mid, w[i].mid);
        CHECK_INT(x->need, ==, w[i].need);
        CHECK_INT(x->delta, ==, w[i].delta);
        CHECK_INT(x->old_rating, ==, w[i].old_rating);
        CHECK_INT(x->new_rating, ==, w[i].new_rating);
    }
}

/* docs/ratings.md, "A worked example": users 1 to 5 (Ana, Ben, Cai, Dan,
 * Eve) in three contests. */
static void test_worked_example(void)
{
    CHECK_SECTION("the worked example");
    struct web_rating_entry c1[] = { { .user_id = 1, .rank = 1 }, { .user_id = 2, .rank = 2 },
                                     { .user_id = 3, .rank = 2 }, { .user_id = 4, .rank = 4 } };
    struct web_rating_entry c2[] = { { .user_id = 1, .rank = 3 }, { .user_id = 2, .rank = 1 },
                                     { .user_id = 3, .rank = 4 }, { .user_id = 4, .rank = 2 },
                                     { .user_id = 5, .rank = 5 } };
    struct web_rating_entry c3[] = { { .user_id = 1, .rank = 1 }, { .user_id = 3, .rank = 2 },
                                     { .user_id = 5, .rank = 3 } };
    struct web_rating_round rounds[] = { { 101, c1, 4 }, { 102, c2, 5 }, { 103, c3, 3 } };
    struct err err = { 0 };
    CHECK_INT(web_rating_run(rounds, 3, &err), ==, 0);

    static const struct want w1[] = {
        { 1, 1, 2.5, 1.581139, 1807, 107, 1500, 1607 },
        { 2, 3, 2.5, 2.738613, 1545, -24, 1500, 1476 },
        { 3, 3, 2.5, 2.738613, 1545, -24, 1500, 1476 },
        { 4, 4, 2.5, 3.162278, 1471, -60, 1500, 1440 },
    };
    static const struct want w2[] = {
        { 1, 3, 2.267176, 2.607974, 1632, -38, 1607, 1569 },
        { 2, 1, 3.162931, 1.778463, 1800, 112, 1476, 1588 },
        { 3, 4, 3.162931, 3.556926, 1491, -43, 1476, 1433 },
        { 4, 2, 3.412134, 2.612330, 1631, 45, 1440, 1485 },
        { 5, 5, 2.994828, 3.869644, 1446, -77, 1500, 1423 },
    };
    static const struct want w3[] = {
        { 1, 1, 1.615141, 1.270882, 1887, 76, 1569, 1645 },
        { 3, 2, 2.171913, 2.084185, 1577, -11, 1433, 1422 },
        { 5, 3, 2.212946, 2.576594, 1456, -67, 1423, 1356 },
    };
    expect(c1, 4, w1, 4);
    expect(c2, 5, w2, 5);
    expect(c3, 3, w3, 3);
}

/* Tied users get the same place (the lowest of their group) and the same
 * change; a tie of everyone moves nobody but the correction. */
static void test_ties(void)
{
    CHECK_SECTION("ties");
    struct web_rating_entry e[] = { { .user_id = 1, .rank = 1, .old_rating = 1500 },
                                    { .user_id = 2, .rank = 1, .old_rating = 1500 } };
    struct err err = { 0 };
    CHECK_INT(web_rating_contest(e, 2, &err), ==, 0);
    CHECK_INT(e[0].place, ==, 2);
    CHECK_INT(e[1].place, ==, 2);
    CHECK_INT(e[0].need, ==, 1595);
    CHECK_INT(e[0].new_rating, ==, 1499);
    CHECK_INT(e[1].new_rating, ==, 1499);

    /* Ranks need not be dense: 1, 2, 2, 4 and 1, 3, 3, 4 give the same places. */
    struct web_rating_entry a[] = { { .user_id = 1, .rank = 1, .old_rating = 1500 },
                                    { .user_id = 2, .rank = 2, .old_rating = 1500 },
                                    { .user_id = 3, .rank = 2, .old_rating = 1500 },
                                    { .user_id = 4, .rank = 4, .old_rating = 1500 } };
    struct web_rating_entry b[] = { { .user_id = 1, .rank = 1, .old_rating = 1500 },
                                    { .user_id = 2, .rank = 3, .old_rating = 1500 },
                                    { .user_id = 3, .rank = 3, .old_rating = 1500 },
                                    { .user_id = 4, .rank = 4, .old_rating = 1500 } };
    CHECK_INT(web_rating_contest(a, 4, &err), ==, 0);
    CHECK_INT(web_rating_contest(b, 4, &err), ==, 0);
    for (size_t i = 0; i < 4; i++) {
        CHECK_INT(a[i].place, ==, b[i].place);
        CHECK_INT(a[i].new_rating, ==, b[i].new_rating);
    }
    CHECK_INT(a[1].new_rating, ==, a[2].new_rating);
}

static void test_single(void)
{
    CHECK_SECTION("a single participant");
    struct web_rating_entry e[] = { { .user_id = 7, .rank = 1, .old_rating = 1732 } };
    struct err err = { 0 };
    CHECK_INT(web_rating_contest(e, 1, &err), ==, 0);
    CHECK_INT(e[0].place, ==, 1);
    CHECK_INT(e[0].delta, ==, 0);
    CHECK_INT(e[0].new_rating, ==, 1732);
    /* In a run: their first contest keeps the initial rating. */
    struct web_rating_entry r[] = { { .user_id = 7, .rank = 1 } };
    struct web_rating_round round = { 1, r, 1 };
    CHECK_INT(web_rating_run(&round, 1, &err), ==, 0);
    CHECK_INT(r[0].old_rating, ==, WEB_RATING_INITIAL);
    CHECK_INT(r[0].new_rating, ==, WEB_RATING_INITIAL);
    CHECK_INT(web_rating_contest(NULL, 0, &err), ==, 0);
}

/* 20 players rated 1000, 1100, ..., 2900 finishing in rating order: the
 * best 16 = 4 * round(sqrt(20)) lose 3 each in step 8 (computed with the
 * document's formula by an independent implementation). */
static void test_top_correction(void)
{
    CHECK_SECTION("the top group's correction");
    static const int64_t want[20] = { 965,  1077, 1183, 1285, 1387, 1488, 1588, 1688, 1788, 1889,
                                      1989, 2089, 2189, 2290, 2392, 2494, 2599, 2708, 2830, 3004 };
    struct web_rating_entry e[20];
    struct err err = { 0 };
    memset(e, 0, sizeof(e));
    for (int i = 0; i < 20; i++) {
        e[i].user_id = i + 1;
        e[i].rank = 20 - i;
        e[i].old_rating = 1000 + 100 * i;
    }
    CHECK_INT(web_rating_contest(e, 20, &err), ==, 0);
    for (int i = 0; i < 20; i++)
        CHECK_INT(e[i].new_rating, ==, want[i]);
}

static void test_determinism(void)
{
    CHECK_SECTION("determinism");
    struct web_rating_entry a[20], b[20];
    struct err err = { 0 };
    memset(a, 0, sizeof(a));
    for (int i = 0; i < 20; i++) {
        a[i].user_id = 100 + (i * 7) % 20;
        a[i].rank = 1 + (i * 3) % 11;
        a[i].old_rating = 1200 + (i * 137) % 900;
    }
    /* the same participants in reverse order */
    for (int i = 0; i < 20; i++)
        b[i] = a[19 - i];
    CHECK_INT(web_rating_contest(a, 20, &err), ==, 0);
    CHECK_INT(web_rating_contest(b, 20, &err), ==, 0);
    int64_t sum = 0;
    for (int i = 0; i < 20; i++) {
        CHECK_INT(a[i].new_rating, ==, b[19 - i].new_rating);
        CHECK(a[i].seed == b[19 - i].seed);
        sum += a[i].delta;
    }
    CHECK_INT(sum, <=, 0);                  /* step 7: no inflation */
    /* and again: the same numbers */
    for (int i = 0; i < 20; i++)
        b[19 - i].old_rating = a[i].old_rating;
    CHECK_INT(web_rating_contest(b, 20, &err), ==, 0);
    for (int i = 0; i < 20; i++)
        CHECK_INT(a[i].new_rating, ==, b[19 - i].new_rating);
}

static void test_errors(void)
{
    CHECK_SECTION("bad input");
    struct web_rating_entry dup[] = { { .user_id = 1, .rank = 1 }, { .user_id = 1, .rank = 2 } };
    struct web_rating_entry zero[] = { { .user_id = 1, .rank = 0 }, { .user_id = 2, .rank = 1 } };
    struct err err = { 0 };
    CHECK_INT(web_rating_contest(dup, 2, &err), ==, ERR_INVALID);
    CHECK(strstr(err.msg, "twice") != NULL);
    CHECK_INT(web_rating_contest(zero, 2, &err), ==, ERR_INVALID);
    struct web_rating_round round = { 1, dup, 2 };
    CHECK_INT(web_rating_run(&round, 1, &err), ==, ERR_INVALID);
    CHECK_INT(web_rating_contest(dup, (size_t)WEB_RATING_PARTICIPANTS_MAX + 1, &err), ==, ERR_LIMIT);
}

int main(void)
{
    test_worked_example();
    test_ties();
    test_single();
    test_top_correction();
    test_determinism();
    test_errors();
    return check_done("unit.web.rating");
}
