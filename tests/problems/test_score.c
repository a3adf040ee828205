/*
 * test_score.c: result aggregation for 2023-07+ scoring (max_score,
 * sum/min/pass-fail, score.txt and score_multiplier.txt, require_pass,
 * unbounded groups), pass-fail problems, the legacy default grader, and the
 * time limit rules.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "tests.h"

#define AC PRB_VERDICT_AC
#define WA PRB_VERDICT_WA
#define TLE PRB_VERDICT_TLE
#define RTE PRB_VERDICT_RTE
#define PENDING PRB_VERDICT_PENDING

struct pkg {
    char *dir;
    struct prb_problem *p;
    struct prb_case_result *r;
    struct prb_group_result *g;
    struct prb_group_result total;
    struct err err;
};

/* Writes files given as path, text, path, text, ..., NULL and loads them. */
static int pkg_make(struct pkg *k, ...)
{
    va_list ap;
    memset(k, 0, sizeof(*k));
    k->dir = tmp_make();
    va_start(ap, k);
    for (const char *path; (path = va_arg(ap, const char *)) != NULL;)
        tmp_write(k->dir, path, va_arg(ap, const char *));
    va_end(ap);
    int rc = prb_package_load(k->dir, NULL, NULL, &k->p, &k->err);
    if (rc < 0) {
        fprintf(stderr, "load failed: %s\n", k->err.msg);
        return rc;
    }
    k->r = calloc(k->p->n_cases, sizeof(*k->r));
    k->g = calloc(k->p->n_groups, sizeof(*k->g));
    return 0;
}

static void pkg_free(struct pkg *k)
{
    prb_problem_free(k->p);
    tmp_remove(k->dir);
    free(k->dir);
    free(k->r);
    free(k->g);
}

static void all(struct pkg *k, enum prb_verdict v)
{
    for (size_t i = 0; i < k->p->n_cases; i++) {
        k->r[i].verdict = v;
        k->r[i].score_kind = PRB_SCORE_NONE;
        k->r[i].score = 0;
    }
}

static size_t case_index(struct pkg *k, const char *name)
{
    for (size_t i = 0; i < k->p->n_cases; i++)
        if (!strcmp(k->p->cases[i]->name, name))
            return i;
    fprintf(stderr, "no case %s\n", name);
    abort();
}

static struct prb_group_result *gres(struct pkg *k, const char *name)
{
    for (size_t i = 0; i < k->p->n_groups; i++)
        if (!strcmp(k->p->groups[i]->name, name))
            return &k->g[i];
    fprintf(stderr, "no group %s\n", name);
    abort();
}

static struct prb_group *group(struct pkg *k, const char *name)
{
    for (size_t i = 0; i < k->p->n_groups; i++)
        if (!strcmp(k->p->groups[i]->name, name))
            return k->p->groups[i];
    abort();
}

static void set(struct pkg *k, const char *name, enum prb_verdict v, enum prb_score_kind kind,
                double score)
{
    size_t i = case_index(k, name);
    k->r[i].verdict = v;
    k->r[i].score_kind = kind;
    k->r[i].score = score;
}

static int agg(struct pkg *k)
{
    err_clear(&k->err);
    return prb_problem_aggregate(k->p, k->r, k->g, &k->total, &k->err);
}

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

#define CASE(path, in, ans) path ".in", in, path ".ans", ans

int test_aggregate_scoring(const char *dir)
{
    struct pkg k;
    (void)dir;
    CHECK_SECTION("bounded groups: pass-fail, sum, min");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2025-09\ntype: scoring\nname: A\nuuid: a\n",
        CASE("data/sample/1", "1\n", "1\n"),
        "data/secret/g1/test_group.yaml", "max_score: 30\n",
        CASE("data/secret/g1/1", "1\n", "1\n"), CASE("data/secret/g1/2", "2\n", "2\n"),
        "data/secret/g2/test_group.yaml",
            "max_score: 30\nscore_aggregation: sum\nrequire_pass: secret/g1\n",
        CASE("data/secret/g2/1", "1\n", "1\n"), CASE("data/secret/g2/2", "2\n", "2\n"),
        CASE("data/secret/g2/3", "3\n", "3\n"),
        "data/secret/g3/test_group.yaml", "max_score: 40\nscore_aggregation: min\n",
        CASE("data/secret/g3/1", "1\n", "1\n"), CASE("data/secret/g3/2", "2\n", "2\n"),
        (const char *)NULL), ==, 0);
    CHECK_INT(k.p->n_cases, ==, 8);
    CHECK_STR(k.p->cases[0]->name, "sample/1");
    CHECK_STR(k.p->cases[7]->name, "secret/g3/2");

    all(&k, AC);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, AC);
    CHECK(NEAR(k.total.score, 100));
    CHECK(NEAR(k.total.max_score, 100));
    CHECK(NEAR(gres(&k, "secret/g1")->score, 30));
    CHECK(NEAR(gres(&k, "secret/g2")->score, 30));
    CHECK(NEAR(gres(&k, "secret/g3")->score, 40));

    CHECK_SECTION("a failed pass-fail group scores 0 and blocks require_pass");
    all(&k, AC);
    set(&k, "secret/g1/2", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, WA);
    CHECK(NEAR(gres(&k, "secret/g1")->score, 0));
    CHECK(gres(&k, "secret/g2")->skipped);
    CHECK(NEAR(gres(&k, "secret/g2")->score, 0));
    CHECK_INT(gres(&k, "secret/g2")->verdict, ==, WA);
    CHECK(NEAR(k.total.score, 40));

    CHECK_SECTION("sum: N cases share max_score; multipliers and score.txt");
    all(&k, AC);
    set(&k, "secret/g2/1", WA, PRB_SCORE_NONE, 0);
    set(&k, "secret/g2/2", AC, PRB_SCORE_MULTIPLIER, 0.5);
    set(&k, "secret/g2/3", AC, PRB_SCORE_VALUE, 7.5);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret/g2")->score, 0 + 5 + 7.5));
    CHECK(NEAR(k.total.score, 30 + 12.5 + 40));
    CHECK_INT(k.total.verdict, ==, WA);

    CHECK_SECTION("min: the smallest case score");
    all(&k, AC);
    set(&k, "secret/g3/1", AC, PRB_SCORE_VALUE, 25);
    set(&k, "secret/g3/2", AC, PRB_SCORE_VALUE, 35);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret/g3")->score, 25));
    set(&k, "secret/g3/2", TLE, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret/g3")->score, 0));
    CHECK_INT(k.total.verdict, ==, TLE);

    CHECK_SECTION("a failed sample does not change secret's score");
    all(&k, AC);
    set(&k, "sample/1", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, WA);
    CHECK(NEAR(k.total.score, 100));

    CHECK_SECTION("judge errors");
    all(&k, AC);
    set(&k, "secret/g3/1", AC, PRB_SCORE_VALUE, 41);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    CHECK_INT(k.total.verdict, ==, PRB_VERDICT_JE);
    CHECK(strstr(k.err.msg, "secret/g3/1") != NULL);
    all(&k, AC);
    set(&k, "secret/g2/1", WA, PRB_SCORE_VALUE, 1);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    CHECK(strstr(k.err.msg, "rejected") != NULL);
    all(&k, AC);
    set(&k, "secret/g1/1", AC, PRB_SCORE_VALUE, 1);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    CHECK(strstr(k.err.msg, "pass-fail") != NULL);
    all(&k, AC);
    set(&k, "secret/g2/1", AC, PRB_SCORE_MULTIPLIER, 1.5);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    all(&k, AC);
    set(&k, "secret/g2/1", AC, PRB_SCORE_VALUE, -1);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    all(&k, AC);
    set(&k, "secret/g2/1", AC, PRB_SCORE_VALUE, NAN);
    CHECK_INT(agg(&k), ==, ERR_INVALID);

    CHECK_SECTION("pending cases");
    all(&k, AC);
    set(&k, "secret/g3/2", PENDING, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, PENDING);
    CHECK_INT(gres(&k, "secret/g3")->verdict, ==, PENDING);
    set(&k, "secret/g1/1", RTE, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, RTE);   /* a failure before the pending case decides */
    CHECK_INT(prb_problem_aggregate(k.p, k.r, NULL, &k.total, NULL), ==, 0);
    pkg_free(&k);

    CHECK_SECTION("unbounded: score.txt required, multipliers refused");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2023-07-draft\ntype: scoring\nname: B\nuuid: b\n",
        "data/secret/test_group.yaml", "max_score: unbounded\n",
        "data/secret/a/test_group.yaml", "max_score: unbounded\nscore_aggregation: sum\n",
        CASE("data/secret/a/1", "1\n", "1\n"), CASE("data/secret/a/2", "2\n", "2\n"),
        "data/secret/b/test_group.yaml", "score_aggregation: min\n",
        CASE("data/secret/b/1", "1\n", "1\n"),
        (const char *)NULL), ==, 0);
    CHECK(isinf(group(&k, "secret")->max_score));
    all(&k, AC);
    set(&k, "secret/a/1", AC, PRB_SCORE_VALUE, 7.5);
    set(&k, "secret/a/2", AC, PRB_SCORE_VALUE, 1000);
    set(&k, "secret/b/1", AC, PRB_SCORE_VALUE, 3);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(k.total.score, 1010.5));
    CHECK(isinf(k.total.max_score));
    set(&k, "secret/b/1", AC, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    CHECK(strstr(k.err.msg, "score.txt") != NULL);
    set(&k, "secret/b/1", AC, PRB_SCORE_MULTIPLIER, 0.5);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    pkg_free(&k);

    CHECK_SECTION("secret with pass-fail aggregation and no groups");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2023-07-draft\ntype: scoring\nname: C\nuuid: c\n",
        "data/secret/test_group.yaml", "max_score: 50\nscore_aggregation: pass-fail\n",
        CASE("data/secret/1", "1\n", "1\n"), CASE("data/secret/2", "2\n", "2\n"),
        (const char *)NULL), ==, 0);
    all(&k, AC);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(k.total.score, 50));
    set(&k, "secret/2", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(k.total.score, 0));
    pkg_free(&k);

    CHECK_SECTION("secret without groups, sum over cases, require_pass sample");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2025-09\ntype: scoring\nname: D\nuuid: d\n",
        CASE("data/sample/1", "1\n", "1\n"),
        "data/secret/test_group.yaml", "require_pass: sample\n",
        CASE("data/secret/1", "1\n", "1\n"), CASE("data/secret/2", "2\n", "2\n"),
        CASE("data/secret/3", "3\n", "3\n"), CASE("data/secret/4", "4\n", "4\n"),
        (const char *)NULL), ==, 0);
    all(&k, AC);
    set(&k, "secret/3", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(k.total.score, 75));
    set(&k, "sample/1", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(k.total.score, 0));
    CHECK(gres(&k, "secret")->skipped);
    pkg_free(&k);
    return check_done("unit.problems.aggregate_scoring");
}

int test_aggregate_pass_fail(const char *dir)
{
    struct pkg k;
    (void)dir;
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2023-07-draft\nname: P\nuuid: p\n",
        CASE("data/sample/1", "1\n", "1\n"),
        CASE("data/secret/1", "1\n", "1\n"), CASE("data/secret/2", "2\n", "2\n"),
        CASE("data/secret/3", "3\n", "3\n"),
        (const char *)NULL), ==, 0);
    CHECK(k.p->type == PRB_TYPE_PASS_FAIL);
    all(&k, AC);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, AC);
    CHECK(NEAR(k.total.score, 0));
    set(&k, "secret/2", TLE, PRB_SCORE_NONE, 0);
    set(&k, "secret/3", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, TLE);   /* the first failure in judging order */
    CHECK_INT(gres(&k, "secret")->verdict, ==, TLE);
    CHECK_INT(gres(&k, "sample")->verdict, ==, AC);
    all(&k, AC);
    set(&k, "sample/1", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, WA);
    all(&k, AC);
    set(&k, "secret/1", PENDING, PRB_SCORE_NONE, 0);
    set(&k, "secret/3", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, PENDING);
    pkg_free(&k);
    return check_done("unit.problems.aggregate_pass_fail");
}

int test_aggregate_legacy(const char *dir)
{
    struct pkg k;
    (void)dir;
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "type: scoring\nname: L\n",
        "data/testdata.yaml", "grader_flags: ignore_sample\non_reject: continue\n",
        CASE("data/sample/1", "1\n", "1\n"),
        "data/secret/g1/testdata.yaml", "accept_score: 20\ngrader_flags: min\n",
        CASE("data/secret/g1/a", "1\n", "1\n"), CASE("data/secret/g1/b", "2\n", "2\n"),
        "data/secret/g2/testdata.yaml", "accept_score: 10\non_reject: break\nrange: 0 30\n",
        CASE("data/secret/g2/a", "1\n", "1\n"), CASE("data/secret/g2/b", "2\n", "2\n"),
        CASE("data/secret/g2/c", "3\n", "3\n"),
        (const char *)NULL), ==, 0);
    CHECK_INT(k.p->n_groups, ==, 5);
    CHECK(group(&k, "")->ignore_sample);
    CHECK(group(&k, "secret")->on_reject_continue);     /* inherited */
    CHECK(!group(&k, "secret/g2")->on_reject_continue);
    CHECK(group(&k, "secret/g1")->legacy_aggregation == PRB_AGG_MIN);
    CHECK(NEAR(group(&k, "secret/g2")->range_max, 30));

    CHECK_SECTION("all accepted");
    all(&k, AC);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, AC);
    CHECK(NEAR(gres(&k, "secret/g1")->score, 20));
    CHECK(NEAR(gres(&k, "secret/g2")->score, 30));
    CHECK(NEAR(k.total.score, 50));

    CHECK_SECTION("ignore_sample");
    set(&k, "sample/1", WA, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, AC);
    CHECK_INT(gres(&k, "sample")->verdict, ==, WA);
    CHECK(NEAR(k.total.score, 50));

    CHECK_SECTION("on_reject: break stops the group at the first rejection");
    all(&k, AC);
    set(&k, "secret/g2/b", WA, PRB_SCORE_NONE, 0);
    set(&k, "secret/g2/c", PENDING, PRB_SCORE_NONE, 0);   /* never run */
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(gres(&k, "secret/g2")->verdict, ==, WA);
    CHECK(NEAR(gres(&k, "secret/g2")->score, 10));
    CHECK_INT(k.total.verdict, ==, WA);
    CHECK(NEAR(k.total.score, 30));

    CHECK_SECTION("score.txt beats accept_score; reject_score for failures");
    all(&k, AC);
    set(&k, "secret/g2/a", AC, PRB_SCORE_VALUE, 3.5);
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret/g2")->score, 23.5));

    CHECK_SECTION("worst_error and first_error");
    all(&k, AC);
    set(&k, "secret/g1/a", WA, PRB_SCORE_NONE, 0);
    set(&k, "secret/g2/a", TLE, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(gres(&k, "secret")->verdict, ==, TLE);   /* TLE is worse than WA */
    group(&k, "secret")->verdict_mode = PRB_VMODE_FIRST_ERROR;
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(gres(&k, "secret")->verdict, ==, WA);
    group(&k, "secret")->verdict_mode = PRB_VMODE_ALWAYS_ACCEPT;
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(gres(&k, "secret")->verdict, ==, AC);
    group(&k, "secret")->verdict_mode = PRB_VMODE_WORST_ERROR;
    group(&k, "secret")->accept_if_any_accepted = 1;
    set(&k, "secret/g1/a", AC, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(gres(&k, "secret")->verdict, ==, AC);   /* g1 accepted */
    group(&k, "secret")->accept_if_any_accepted = 0;

    CHECK_SECTION("avg and max");
    all(&k, AC);
    group(&k, "secret")->legacy_aggregation = PRB_AGG_AVG;
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret")->score, 25));
    group(&k, "secret")->legacy_aggregation = PRB_AGG_MAX;
    CHECK_INT(agg(&k), ==, 0);
    CHECK(NEAR(gres(&k, "secret")->score, 30));
    group(&k, "secret")->legacy_aggregation = PRB_AGG_SUM;

    CHECK_SECTION("judge errors, custom graders, pending");
    all(&k, AC);
    set(&k, "secret/g1/b", PRB_VERDICT_JE, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, PRB_VERDICT_JE);
    all(&k, AC);
    set(&k, "secret/g1/b", AC, PRB_SCORE_MULTIPLIER, 0.5);
    CHECK_INT(agg(&k), ==, ERR_INVALID);
    all(&k, AC);
    set(&k, "secret/g1/a", PENDING, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, PENDING);
    all(&k, AC);
    group(&k, "secret/g1")->custom_grading = 1;
    CHECK_INT(agg(&k), ==, ERR_UNSUPPORTED);
    pkg_free(&k);

    CHECK_SECTION("legacy pass-fail: first error with break, scores zero");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "name: LP\n",
        CASE("data/sample/1", "1\n", "1\n"),
        CASE("data/secret/1", "1\n", "1\n"), CASE("data/secret/2", "2\n", "2\n"),
        CASE("data/secret/3", "3\n", "3\n"),
        (const char *)NULL), ==, 0);
    all(&k, AC);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, AC);
    set(&k, "secret/2", WA, PRB_SCORE_NONE, 0);
    set(&k, "secret/3", RTE, PRB_SCORE_NONE, 0);
    CHECK_INT(agg(&k), ==, 0);
    CHECK_INT(k.total.verdict, ==, WA);
    CHECK(NEAR(k.total.score, 0));
    pkg_free(&k);
    return check_done("unit.problems.aggregate_legacy");
}

int test_time_limit(const char *dir)
{
    struct pkg k;
    struct err e;
    double tl = 0;
    (void)dir;
    CHECK_SECTION("2023-07+: smallest multiple of time_resolution");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2023-07-draft\nname: T\nuuid: t\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, 0);
    CHECK_INT(prb_problem_time_limit(k.p, &tl, &e), ==, ERR_NOTFOUND);
    CHECK(NEAR(k.p->limits.ac_to_time_limit, 2.0) && NEAR(k.p->limits.time_limit_to_tle, 1.5));
    CHECK_INT(prb_time_limit_compute(k.p, 0.3, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1.0));
    CHECK_INT(prb_time_limit_compute(k.p, 0.5, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1.0));   /* exactly 1.0 is enough */
    CHECK_INT(prb_time_limit_compute(k.p, 0.51, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 2.0));
    CHECK_INT(prb_time_limit_compute(k.p, 0.0, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1.0));   /* positive multiple */
    CHECK_INT(prb_time_limit_compute(k.p, 0.6, 3.0, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 2.0));   /* 2 * 1.5 <= 3 */
    CHECK_INT(prb_time_limit_compute(k.p, 0.6, 2.9, &tl, &e), ==, ERR_INVALID);
    CHECK(strstr(e.msg, "no time limit fits") != NULL);
    CHECK_INT(prb_time_limit_compute(k.p, -1, INFINITY, &tl, &e), ==, ERR_INVALID);
    CHECK_INT(prb_time_limit_compute(k.p, NAN, INFINITY, &tl, &e), ==, ERR_INVALID);
    k.p->limits.time_resolution = 0.1;
    CHECK_INT(prb_time_limit_compute(k.p, 0.1, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 0.2));   /* 0.2 / 0.1 is 2.0000000000000004 in doubles */
    pkg_free(&k);

    CHECK_SECTION("time_limit in problem.yaml; 2025-09 wants a multiple of the resolution");
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2025-09\nname: T\nuuid: t\nlimits:\n"
                        "  time_limit: 1.5\n  time_resolution: 0.5\n",
        ".timelimit", "9\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, 0);
    CHECK_INT(prb_problem_time_limit(k.p, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1.5));   /* time_limit wins over .timelimit */
    CHECK_INT(k.p->limits.time_limit_source, ==, PRB_TL_PROBLEM_YAML);
    pkg_free(&k);
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2025-09\nname: T\nuuid: t\nlimits:\n"
                        "  time_limit: 1.3\n  time_resolution: 0.5\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, ERR_INVALID);
    CHECK(strstr(k.err.msg, "multiple") != NULL);
    pkg_free(&k);
    CHECK_INT(pkg_make(&k,
        "problem.yaml", "problem_format_version: 2023-07-draft\nname: T\nuuid: t\nlimits:\n"
                        "  time_limit: 1.3\n  time_resolution: 0.5\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, 0);
    pkg_free(&k);

    CHECK_SECTION("legacy: .timelimit, and Kattis rounding");
    CHECK_INT(pkg_make(&k, "problem.yaml", "name: T\n", ".timelimit", " 2.5\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, 0);
    CHECK_INT(prb_problem_time_limit(k.p, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 2.5));
    CHECK_INT(k.p->limits.time_limit_source, ==, PRB_TL_TIMELIMIT_FILE);
    CHECK(NEAR(k.p->limits.ac_to_time_limit, 5) && NEAR(k.p->limits.time_limit_to_tle, 2));
    CHECK_INT(prb_time_limit_compute(k.p, 0.1, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1));     /* 0.5 rounds to at least 1 */
    CHECK_INT(prb_time_limit_compute(k.p, 0.29, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 1));     /* 1.45 rounds down */
    CHECK_INT(prb_time_limit_compute(k.p, 0.3, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 2));     /* 1.5 rounds up */
    CHECK_INT(prb_time_limit_compute(k.p, 1.0, 10.0, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 5));
    CHECK_INT(prb_time_limit_compute(k.p, 1.0, 9.9, &tl, &e), ==, ERR_INVALID);
    CHECK_INT(prb_time_limit_compute(k.p, 1e6, INFINITY, &tl, &e), ==, ERR_LIMIT);
    pkg_free(&k);
    CHECK_INT(pkg_make(&k, "problem.yaml", "name: T\n", ".timelimit", "fast\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, ERR_INVALID);
    CHECK(strstr(k.err.msg, ".timelimit:1:") != NULL);
    pkg_free(&k);
    CHECK_INT(pkg_make(&k, "problem.yaml", "name: T\n", ".timelimit", "0\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, ERR_INVALID);
    pkg_free(&k);
    CHECK_INT(pkg_make(&k, "problem.yaml", "name: T\nlimits:\n  time_multiplier: 3\n"
                           "  time_safety_margin: 1.2\n",
        CASE("data/secret/1", "1\n", "1\n"), (const char *)NULL), ==, 0);
    CHECK_INT(prb_problem_time_limit(k.p, &tl, &e), ==, ERR_NOTFOUND);
    CHECK_INT(prb_time_limit_compute(k.p, 1.0, INFINITY, &tl, &e), ==, 0);
    CHECK(NEAR(tl, 3));
    pkg_free(&k);
    return check_done("unit.problems.time_limit");
}
