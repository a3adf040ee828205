/*
 * test_scoreboard.c: golden tests of the scoreboard's scoring rules. Every
 * expected number was worked out by hand; the arithmetic is in the comments
 * next to the checks. One executable; argv[1] names the test (CTest runs
 * each as unit.web.scoreboard_<name>).
 */
#include "web.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* 2026-01-01T10:00:00Z */
#define START_MS INT64_C(1767261600000)

/* Contest time mm:ss.mmm in milliseconds (a constant expression). */
#define T(min, sec, ms) ((((int64_t)(min)) * 60 + (sec)) * 1000 + (ms))

struct sub_spec {
    int64_t id;
    const char *team;
    const char *problem;
    int64_t time_ms;
    enum web_scoreboard_verdict verdict;
    double score;
    const double *subtasks;
    size_t n_subtasks;
};

static struct web_scoreboard_submission to_sub(const struct sub_spec *s)
{
    struct web_scoreboard_submission sub = {
        .id = s->id, .team_id = s->team, .problem_id = s->problem, .time_ms = s->time_ms,
        .verdict = s->verdict, .score = s->score, .subtask_scores = s->subtasks,
        .n_subtasks = s->n_subtasks,
    };
    return sub;
}

static void add_all(struct web_scoreboard *sb, const struct sub_spec *subs, size_t n, bool reverse)
{
    for (size_t i = 0; i < n; i++) {
        struct err err = { 0 };
        struct web_scoreboard_submission sub = to_sub(&subs[reverse ? n - 1 - i : i]);
        int rc = web_scoreboard_add(sb, &sub, &err);
        if (rc)
            fprintf(stderr, "add %lld: %s\n", (long long)sub.id, err.msg);
        CHECK_INT(rc, ==, 0);
    }
}

static int judge(struct web_scoreboard *sb, const struct sub_spec *s, enum web_scoreboard_verdict v,
                 double score)
{
    struct err err = { 0 };
    struct web_scoreboard_submission sub = to_sub(s);
    sub.verdict = v;
    sub.score = score;
    int rc = web_scoreboard_update(sb, &sub, &err);
    if (rc)
        fprintf(stderr, "update %lld: %s\n", (long long)sub.id, err.msg);
    return rc;
}

static struct web_scoreboard_view *view_at(struct web_scoreboard *sb, enum web_scoreboard_role role,
                                           const char *team, int64_t now)
{
    struct web_scoreboard_viewer viewer = { .role = role, .team_id = team, .now_ms = now };
    struct web_scoreboard_view *v = NULL;
    struct err err = { 0 };
    if (web_scoreboard_view_new(sb, &viewer, &v, &err) != 0) {
        fprintf(stderr, "view: %s\n", err.msg);
        abort();
    }
    return v;
}

static const struct web_scoreboard_row *row_of(const struct web_scoreboard_view *v, const char *team)
{
    for (size_t i = 0; i < v->n_rows; i++)
        if (strcmp(v->rows[i].team_id, team) == 0)
            return &v->rows[i];
    fprintf(stderr, "no row for team '%s'\n", team);
    abort();
}

static const struct web_scoreboard_cell *cell_of(const struct web_scoreboard_view *v, const char *team,
                                                 size_t problem)
{
    return &row_of(v, team)->cells[problem];
}

/* The team ids of the rows, in order, joined by spaces; and their ranks. */
static void order_of(const struct web_scoreboard_view *v, char *ids, size_t n_ids, char *ranks, size_t n_ranks)
{
    size_t a = 0, b = 0;
    ids[0] = ranks[0] = '\0';
    for (size_t i = 0; i < v->n_rows; i++) {
        a += (size_t)snprintf(ids + a, n_ids - a, "%s%s", i ? " " : "", v->rows[i].team_id);
        b += (size_t)snprintf(ranks + b, n_ranks - b, "%s%zu", i ? " " : "", v->rows[i].rank);
    }
}

#define CHECK_ORDER(v, want_ids, want_ranks) do { \
    char ids_[256], ranks_[256]; \
    order_of((v), ids_, sizeof(ids_), ranks_, sizeof(ranks_)); \
    CHECK_STR(ids_, want_ids); \
    CHECK_STR(ranks_, want_ranks); \
} while (0)

static char *render(struct web_scoreboard *sb, const struct web_scoreboard_view *v)
{
    struct buf b;
    struct err err = { 0 };
    buf_init(&b, 0);
    int rc = web_scoreboard_render(sb, v, &b, &err);
    CHECK_INT(rc, ==, 0);
    return buf_detach(&b, NULL);
}

/* ---- ICPC ----------------------------------------------------------------
 * Five teams (and a hidden sixth), four problems, 5 hours, frozen at 4:00,
 * 20 penalty minutes. Contest times are mm:ss.
 */
enum { A, B, C, D };

static const struct web_scoreboard_problem icpc_problems[] = {
    { "a", "A", 1, 0 }, { "b", "B", 1, 0 }, { "c", "C", 1, 0 }, { "d", "D", 1, 0 },
};

static const struct web_scoreboard_team icpc_teams[] = {
    { "t1", "Alpha", false },
    { "t2", "Bravo", false },
    { "t3", "Charlie", false },
    { "t4", "Delta", false },
    { "t5", "Echo", false },
    { "t6", "Zulu (hidden)", true },
};

#define FREEZE T(240, 0, 0)

static const struct sub_spec icpc_subs[] = {
    { 1, "t2", "a", T(5, 0, 0), WEB_SCOREBOARD_CE, 0, NULL, 0 },
    { 2, "t6", "a", T(3, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },   /* hidden: not first */
    { 3, "t1", "a", T(10, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
    { 4, "t2", "a", T(12, 59, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 5, "t4", "a", T(20, 0, 0), WEB_SCOREBOARD_JE, 0, NULL, 0 },
    { 6, "t1", "a", T(25, 30, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 7, "t4", "a", T(32, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 8, "t3", "a", T(40, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 9, "t5", "a", T(50, 0, 0), WEB_SCOREBOARD_TLE, 0, NULL, 0 },
    { 10, "t5", "a", T(55, 0, 0), WEB_SCOREBOARD_RTE, 0, NULL, 0 },
    { 11, "t5", "a", T(60, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 12, "t4", "b", T(60, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
    { 13, "t1", "b", T(70, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 14, "t3", "b", T(70, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 15, "t5", "b", T(70, 0, 1), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 16, "t2", "b", T(80, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
    { 17, "t2", "b", T(90, 0, 0), WEB_SCOREBOARD_MLE, 0, NULL, 0 },
    { 18, "t2", "b", T(100, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 19, "t4", "b", T(100, 30, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 20, "t2", "b", T(110, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },  /* after AC: ignored */
    { 21, "t3", "c", T(120, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
    { 22, "t3", "c", T(130, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 23, "t1", "c", T(145, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 24, "t1", "d", T(200, 0, 0), WEB_SCOREBOARD_PENDING, 0, NULL, 0 },
    /* the freeze, 240:00 */
    { 25, "t5", "d", T(240, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },  /* at the freeze: frozen */
    { 26, "t1", "d", T(242, 0, 0), WEB_SCOREBOARD_CE, 0, NULL, 0 },
    { 27, "t2", "c", T(245, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 28, "t5", "d", T(250, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    { 29, "t4", "c", T(260, 0, 0), WEB_SCOREBOARD_PENDING, 0, NULL, 0 },
    { 30, "t3", "d", T(290, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
};
#define N_ICPC_SUBS (sizeof(icpc_subs) / sizeof(icpc_subs[0]))

static void icpc_contest(struct web_scoreboard_contest *c)
{
    web_scoreboard_contest_init(c);
    c->rules = WEB_SCOREBOARD_ICPC;
    c->start_ms = START_MS;
    c->duration_ms = T(300, 0, 0);
    c->freeze_ms = FREEZE;
    c->problems = icpc_problems;
    c->n_problems = 4;
    c->teams = icpc_teams;
    c->n_teams = 6;
}

/* The board with the first n submissions of icpc_subs. */
static struct web_scoreboard *icpc_board_n(size_t n, bool reverse)
{
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    struct err err = { 0 };
    icpc_contest(&c);
    if (web_scoreboard_new(&c, &sb, &err) != 0) {
        fprintf(stderr, "new: %s\n", err.msg);
        abort();
    }
    add_all(sb, icpc_subs, n, reverse);
    return sb;
}

static struct web_scoreboard *icpc_board(bool reverse)
{
    return icpc_board_n(N_ICPC_SUBS, reverse);
}

/* The live board (the jury's), after submission 24 was judged WA. */
static void check_icpc_final(const struct web_scoreboard_view *v)
{
    /* t3: A 40 + B 70 + C (130 + 20 for the WA at 120) 150 + D 290 = 550, 4 solved
     * t1: A (25 + 20) 45 + B 70 + C 145 = 260; D: WA@200 (penalised, but D is
     *     not solved, so it costs nothing) and CE@242: 2 judged
     * t2: A 12 (the CE@5 costs nothing) + B (100 + 2*20) 140 + C 245 = 397
     * t5: A (60 + 2*20) 100 + B 70 + D (250 + 20) 270 = 440
     * t4: A 32 (the JE@20 costs nothing) + B (100 + 20) 120 = 152, 2 solved
     * => t3 1; then 3 solved by penalty: t1 260, t2 397, t5 440; t4 5. */
    CHECK_ORDER(v, "t3 t1 t2 t5 t4", "1 2 3 4 5");
    CHECK_INT(row_of(v, "t3")->num_solved, ==, 4);
    CHECK_INT(row_of(v, "t3")->penalty, ==, 550);
    CHECK_INT(row_of(v, "t3")->last_time, ==, 290);
    CHECK_INT(row_of(v, "t1")->penalty, ==, 260);
    CHECK_INT(row_of(v, "t2")->penalty, ==, 397);
    CHECK_INT(row_of(v, "t5")->penalty, ==, 440);
    CHECK_INT(row_of(v, "t4")->penalty, ==, 152);
    CHECK_INT(cell_of(v, "t1", D)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t1", D)->num_penalised, ==, 1);
    CHECK_INT(cell_of(v, "t1", D)->num_pending, ==, 0);
    CHECK(!cell_of(v, "t1", D)->solved);
    /* D: t5@250:00 is now the earliest AC with nothing pending before it. */
    CHECK(cell_of(v, "t5", D)->first_to_solve);
    CHECK(!cell_of(v, "t3", D)->first_to_solve);
    CHECK_INT(cell_of(v, "t5", D)->time, ==, 250);
    CHECK_INT(cell_of(v, "t5", D)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t4", C)->num_pending, ==, 1);
}

static int test_icpc(void)
{
    struct web_scoreboard *sb = icpc_board(false);
    struct web_scoreboard_view *v;

    CHECK_STR(web_scoreboard_problem_id(sb, D), "d");
    CHECK_STR(web_scoreboard_problem_label(sb, D), "D");
    CHECK(web_scoreboard_problem_label(sb, 4) == NULL);

    CHECK_SECTION("jury, 299:00, submission 24 still pending");
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0));
    CHECK(!v->frozen);
    CHECK_INT(v->n_rows, ==, 5);            /* t6 is hidden */
    /* A. t1: WA@10 (+20) then AC@25:30 -> minute 25 (rounded down) + 20 = 45,
     *    2 judged, 1 penalised. t2: CE@5 (not penalised), AC@12:59 -> 12.
     *    t4: JE@20 (not penalised), AC@32 -> 32. t5: TLE, RTE, AC@60 -> 100. */
    CHECK_INT(cell_of(v, "t1", A)->time, ==, 25);
    CHECK_INT(cell_of(v, "t1", A)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t1", A)->num_penalised, ==, 1);
    CHECK_INT(cell_of(v, "t2", A)->time, ==, 12);
    CHECK_INT(cell_of(v, "t2", A)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t2", A)->num_penalised, ==, 0);
    CHECK_INT(cell_of(v, "t4", A)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t4", A)->num_penalised, ==, 0);
    CHECK_INT(cell_of(v, "t5", A)->num_penalised, ==, 2);
    /* B. t2: WA@80, MLE@90, AC@100, then WA@110 after the AC is ignored:
     *    3 judged, 2 penalised, time 100. */
    CHECK_INT(cell_of(v, "t2", B)->num_judged, ==, 3);
    CHECK_INT(cell_of(v, "t2", B)->num_penalised, ==, 2);
    CHECK_INT(cell_of(v, "t2", B)->time, ==, 100);
    /* First to solve. A: the hidden t6 (3:00) does not count; t2@12:59 does.
     * B: t1 and t3 both at 70:00.000 exactly: both; t5@70:00.001 is the same
     * minute but a millisecond later: not. C: t3@130 (pending t4@260 is later).
     * D: t5@250 is the earliest AC, but t1's submission at 200:00 is still
     * pending and earlier: nobody yet. */
    CHECK(cell_of(v, "t2", A)->first_to_solve);
    CHECK(!cell_of(v, "t1", A)->first_to_solve);
    CHECK(cell_of(v, "t1", B)->first_to_solve);
    CHECK(cell_of(v, "t3", B)->first_to_solve);
    CHECK(!cell_of(v, "t5", B)->first_to_solve);
    CHECK_INT(cell_of(v, "t5", B)->time, ==, 70);
    CHECK(cell_of(v, "t3", C)->first_to_solve);
    CHECK(!cell_of(v, "t5", D)->first_to_solve);
    CHECK(cell_of(v, "t5", D)->solved);
    /* t1 D: pending@200, CE@242: 1 judged, 1 pending. */
    CHECK_INT(cell_of(v, "t1", D)->num_judged, ==, 1);
    CHECK_INT(cell_of(v, "t1", D)->num_pending, ==, 1);
    web_scoreboard_view_free(v);

    CHECK_SECTION("jury, after submission 24 is judged WA");
    CHECK_INT(judge(sb, &icpc_subs[23], WEB_SCOREBOARD_WA, 0), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0));
    check_icpc_final(v);
    web_scoreboard_view_free(v);

    CHECK_SECTION("ties share a rank; the last AC breaks equal penalties");
    /* The board at the freeze: only submissions 1-24 exist.
     * t3: A 40 + B 70 + C 150 = 260, last AC 130
     * t1: A 45 + B 70 + C 145 = 260, last AC 145  -> t3 first by the last AC
     * t2: A 12 + B 140 = 152, last AC 100
     * t4: A 32 + B 120 = 152, last AC 100          -> equal: rank 3 both,
     *                                                 Bravo before Delta
     * t5: A 100 + B 70 = 170                       -> rank 5 (4 is skipped) */
    web_scoreboard_free(sb);
    sb = icpc_board_n(24, false);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(239, 0, 0));
    CHECK(!v->frozen);
    CHECK_ORDER(v, "t3 t1 t2 t4 t5", "1 2 3 3 5");
    CHECK_INT(row_of(v, "t3")->last_time, ==, 130);
    CHECK_INT(row_of(v, "t1")->last_time, ==, 145);
    CHECK_INT(row_of(v, "t2")->last_time, ==, 100);
    CHECK_INT(row_of(v, "t4")->last_time, ==, 100);
    CHECK_INT(row_of(v, "t5")->penalty, ==, 170);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_icpc");
}

static int test_icpc_freeze(void)
{
    struct web_scoreboard *sb = icpc_board(false);
    struct web_scoreboard_view *v;
    CHECK_INT(judge(sb, &icpc_subs[23], WEB_SCOREBOARD_WA, 0), ==, 0);

    CHECK_SECTION("public, frozen at 240:00, seen at 299:00");
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(299, 0, 0));
    CHECK(v->frozen);
    /* Everything at or after 240:00 is pending, whatever its verdict:
     * t3: A 40 + B 70 + C 150 = 260, last 130; D@290 pending
     * t1: A 45 + B 70 + C 145 = 260, last 145; D: WA@200 judged, CE@242 pending
     * t2: A 12 + B 140 = 152, last 100; C@245 pending
     * t4: A 32 + B 120 = 152, last 100; C@260 pending (truly)
     * t5: A 100 + B 70 = 170; D WA@240:00 (at the freeze, so frozen), AC@250: 2 pending
     * => t3 1, t1 2 (same 260, later last AC), t2 = t4 share 3 (152, last 100
     *    both; Bravo before Delta), t5 5. */
    CHECK_ORDER(v, "t3 t1 t2 t4 t5", "1 2 3 3 5");
    CHECK_INT(row_of(v, "t3")->penalty, ==, 260);
    CHECK_INT(row_of(v, "t3")->last_time, ==, 130);
    CHECK_INT(row_of(v, "t1")->penalty, ==, 260);
    CHECK_INT(row_of(v, "t1")->last_time, ==, 145);
    CHECK_INT(row_of(v, "t2")->penalty, ==, 152);
    CHECK_INT(row_of(v, "t4")->penalty, ==, 152);
    CHECK_INT(row_of(v, "t5")->penalty, ==, 170);
    CHECK_INT(cell_of(v, "t1", D)->num_judged, ==, 1);
    CHECK_INT(cell_of(v, "t1", D)->num_pending, ==, 1);
    CHECK_INT(cell_of(v, "t5", D)->num_judged, ==, 0);
    CHECK_INT(cell_of(v, "t5", D)->num_pending, ==, 2);
    CHECK(!cell_of(v, "t5", D)->solved);
    CHECK_INT(cell_of(v, "t5", D)->time, ==, -1);
    CHECK_INT(cell_of(v, "t2", C)->num_pending, ==, 1);
    CHECK(!cell_of(v, "t2", C)->solved);
    CHECK(cell_of(v, "t2", A)->first_to_solve);
    CHECK(cell_of(v, "t1", B)->first_to_solve && cell_of(v, "t3", B)->first_to_solve);
    CHECK(cell_of(v, "t3", C)->first_to_solve);
    for (size_t i = 0; i < v->n_rows; i++)
        CHECK(!v->rows[i].cells[D].first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("team t2 sees its own C, the others frozen");
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "t2", T(299, 0, 0));
    CHECK(v->frozen);
    /* t2 live: 12 + 140 + 245 = 397, 3 solved, among the frozen others:
     * t3 (3, 260, 130) 1, t1 (3, 260, 145) 2, t2 (3, 397) 3, t4 (2, 152) 4,
     * t5 (2, 170) 5. t2's C is not first: t3 solved C at 130. */
    CHECK_ORDER(v, "t3 t1 t2 t4 t5", "1 2 3 4 5");
    CHECK_INT(row_of(v, "t2")->num_solved, ==, 3);
    CHECK_INT(row_of(v, "t2")->penalty, ==, 397);
    CHECK(cell_of(v, "t2", C)->solved);
    CHECK_INT(cell_of(v, "t2", C)->time, ==, 245);
    CHECK(!cell_of(v, "t2", C)->first_to_solve);
    CHECK_INT(cell_of(v, "t5", D)->num_pending, ==, 2);   /* still frozen for t2 */
    CHECK(!cell_of(v, "t5", D)->solved);
    web_scoreboard_view_free(v);

    CHECK_SECTION("team t5 sees its own D; first to solve stays unknown to it");
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "t5", T(299, 0, 0));
    /* t5 live: A 100 + B 70 + D (250 + 20) 270 = 440, 3 solved: after t3 and
     * t1 (260), before t2 and t4 (2 solved, 152, tied at 4).
     * D: t5's AC@250 is the only visible one, but t1's CE@242 is frozen, so
     * for t5 it is a pending submission made earlier: not first (yet). */
    CHECK_ORDER(v, "t3 t1 t5 t2 t4", "1 2 3 4 4");
    CHECK_INT(row_of(v, "t5")->penalty, ==, 440);
    CHECK(cell_of(v, "t5", D)->solved);
    CHECK_INT(cell_of(v, "t5", D)->num_penalised, ==, 1);
    CHECK(!cell_of(v, "t5", D)->first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("team t1 sees its own CE");
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "t1", T(299, 0, 0));
    CHECK_INT(cell_of(v, "t1", D)->num_judged, ==, 2);
    CHECK_INT(cell_of(v, "t1", D)->num_pending, ==, 0);
    CHECK_ORDER(v, "t3 t1 t2 t4 t5", "1 2 3 3 5");
    web_scoreboard_view_free(v);

    CHECK_SECTION("the jury sees the live board while frozen");
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0));
    CHECK(!v->frozen);
    check_icpc_final(v);
    web_scoreboard_view_free(v);

    CHECK_SECTION("still frozen after the end, until the thaw");
    struct err err = { 0 };
    CHECK_INT(web_scoreboard_set_thaw(sb, T(305, 0, 0), &err), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(301, 0, 0));
    CHECK(v->frozen);
    CHECK_ORDER(v, "t3 t1 t2 t4 t5", "1 2 3 3 5");
    web_scoreboard_view_free(v);

    CHECK_SECTION("unfrozen: the public sees the live board");
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(310, 0, 0));
    CHECK(!v->frozen);
    check_icpc_final(v);
    web_scoreboard_view_free(v);
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "t4", T(310, 0, 0));
    check_icpc_final(v);
    web_scoreboard_view_free(v);

    CHECK_SECTION("freezing again");
    CHECK_INT(web_scoreboard_set_thaw(sb, WEB_SCOREBOARD_NEVER, &err), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(310, 0, 0));
    CHECK(v->frozen);
    web_scoreboard_view_free(v);

    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_icpc_freeze");
}

/* The JSON of the frozen public view, and insertion order not mattering. */
static int test_icpc_json(void)
{
    struct web_scoreboard *fwd = icpc_board(false), *rev = icpc_board(true);
    CHECK_INT(judge(fwd, &icpc_subs[23], WEB_SCOREBOARD_WA, 0), ==, 0);
    CHECK_INT(judge(rev, &icpc_subs[23], WEB_SCOREBOARD_WA, 0), ==, 0);

    struct web_scoreboard_view *v1 = view_at(fwd, WEB_SCOREBOARD_PUBLIC, NULL, T(299, 0, 0));
    struct web_scoreboard_view *v2 = view_at(rev, WEB_SCOREBOARD_PUBLIC, NULL, T(299, 0, 0));
    char *j1 = render(fwd, v1), *j2 = render(rev, v2);
    CHECK_STR(j1, j2);

    cJSON *root = cJSON_Parse(j1);
    CHECK(root != NULL);
    if (root) {
        /* 10:00 + 4:59 */
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "time")), "2026-01-01T14:59:00.000Z");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(root, "contest_time")), "4:59:00.000");
        cJSON *state = cJSON_GetObjectItem(root, "state");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(state, "started")), "2026-01-01T10:00:00.000Z");
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(state, "frozen")), "2026-01-01T14:00:00.000Z");
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(state, "ended")));
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(state, "thawed")));
        cJSON *rows = cJSON_GetObjectItem(root, "rows");
        CHECK_INT(cJSON_GetArraySize(rows), ==, 5);
        cJSON *r0 = cJSON_GetArrayItem(rows, 0);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r0, "team_id")), "t3");
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(r0, "rank")), ==, 1);
        cJSON *score = cJSON_GetObjectItem(r0, "score");
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(score, "num_solved")), ==, 3);
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(score, "total_time")), ==, 260);
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(score, "time")), ==, 130);
        cJSON *pd = cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "problems"), D);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(pd, "problem_id")), "d");
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(pd, "num_judged")), ==, 0);
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(pd, "num_pending")), ==, 1);
        CHECK(cJSON_IsFalse(cJSON_GetObjectItem(pd, "solved")));
        CHECK(cJSON_GetObjectItem(pd, "time") == NULL);   /* unsolved: no time */
        cJSON *pc = cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "problems"), C);
        CHECK(cJSON_IsTrue(cJSON_GetObjectItem(pc, "solved")));
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(pc, "time")), ==, 130);
        cJSON *r3 = cJSON_GetArrayItem(rows, 3);            /* t4, sharing rank 3 */
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(r3, "team_id")), "t4");
        CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(r3, "rank")), ==, 3);
        cJSON_Delete(root);
    }
    free(j1);
    free(j2);
    web_scoreboard_view_free(v1);
    web_scoreboard_view_free(v2);

    /* A view is a snapshot; the jury's board is the same in both orders. */
    v1 = view_at(fwd, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0));
    v2 = view_at(rev, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0));
    j1 = render(fwd, v1);
    j2 = render(rev, v2);
    CHECK_STR(j1, j2);
    free(j1);
    free(j2);
    web_scoreboard_view_free(v1);
    web_scoreboard_view_free(v2);
    web_scoreboard_free(fwd);
    web_scoreboard_free(rev);
    return check_done("unit.web.scoreboard_icpc_json");
}

/* ---- ICPC options: second precision, penalty minutes, penalised CE ------ */

static struct web_scoreboard *options_board(bool seconds, int penalty, bool ce_penalised)
{
    static const struct web_scoreboard_problem problems[] = { { "a", "A", 1, 0 } };
    static const struct web_scoreboard_team teams[] = { { "o1", "One", false }, { "o2", "Two", false } };
    static const struct sub_spec subs[] = {
        { 1, "o1", "a", T(0, 30, 0), WEB_SCOREBOARD_CE, 0, NULL, 0 },
        { 2, "o2", "a", T(25, 10, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
        { 3, "o1", "a", T(25, 30, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
    };
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    web_scoreboard_contest_init(&c);
    c.start_ms = START_MS;
    c.duration_ms = T(300, 0, 0);
    c.time_in_seconds = seconds;
    c.penalty_minutes = penalty;
    if (ce_penalised)
        c.penalised |= WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_CE);
    c.problems = problems;
    c.n_problems = 1;
    c.teams = teams;
    c.n_teams = 2;
    CHECK_INT(web_scoreboard_new(&c, &sb, NULL), ==, 0);
    add_all(sb, subs, 3, false);
    return sb;
}

static int test_icpc_options(void)
{
    struct web_scoreboard *sb;
    struct web_scoreboard_view *v;

    CHECK_SECTION("minutes, CE free: 25:30 and 25:10 are both minute 25");
    /* o1: CE (free) + AC@25:30 -> 25; o2: AC@25:10 -> 25; last AC 25 both:
     * a shared rank 1, One before Two. */
    sb = options_board(false, 20, false);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_ORDER(v, "o1 o2", "1 1");
    CHECK_INT(row_of(v, "o1")->penalty, ==, 25);
    CHECK_INT(row_of(v, "o2")->penalty, ==, 25);
    /* First to solve is by exact time: o2@25:10, though both are minute 25. */
    CHECK(cell_of(v, "o2", 0)->first_to_solve);
    CHECK(!cell_of(v, "o1", 0)->first_to_solve);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);

    CHECK_SECTION("seconds: 1510 s against 1530 s");
    sb = options_board(true, 20, false);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_ORDER(v, "o2 o1", "1 2");
    CHECK_INT(row_of(v, "o2")->penalty, ==, 1510);      /* 25*60 + 10 */
    CHECK_INT(row_of(v, "o1")->penalty, ==, 1530);      /* 25*60 + 30, the CE free */
    CHECK_INT(cell_of(v, "o1", 0)->time, ==, 1530);
    char *json = render(sb, v);
    /* The API counts minutes: both 25 there, the order stays exact. */
    CHECK(strstr(json, "\"total_time\":25") != NULL);
    CHECK(strstr(json, "\"total_time\":1530") == NULL);
    free(json);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);

    CHECK_SECTION("10 penalty minutes, CE penalised");
    /* o1: 25 + 10 (the CE) = 35; o2: 25. */
    sb = options_board(false, 10, true);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_ORDER(v, "o2 o1", "1 2");
    CHECK_INT(row_of(v, "o1")->penalty, ==, 35);
    CHECK_INT(cell_of(v, "o1", 0)->num_penalised, ==, 1);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);

    CHECK_SECTION("seconds, 10 penalty minutes, CE penalised");
    /* o1: 1530 + 600 = 2130; o2: 1510. */
    sb = options_board(true, 10, true);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_INT(row_of(v, "o1")->penalty, ==, 2130);
    CHECK_INT(row_of(v, "o2")->penalty, ==, 1510);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_icpc_options");
}

/* ---- IOI ------------------------------------------------------------------
 * P1: three subtasks (20 + 30 + 50 = 100); P2: one score out of 100.
 */
static const double st_20_0_0[] = { 20, 0, 0 }, st_0_30_0[] = { 0, 30, 0 }, st_20_0_10[] = { 20, 0, 10 },
                    st_20_30_0[] = { 20, 30, 0 }, st_20_30_10[] = { 20, 30, 10 },
                    st_20_30_50[] = { 20, 30, 50 }, st_tenths[] = { 0.1, 0.2, 0 };

static const struct sub_spec ioi_subs[] = {
    { 1, "u1", "p1", T(10, 0, 0), WEB_SCOREBOARD_WA, 0, st_20_0_0, 3 },
    { 2, "u1", "p1", T(20, 0, 0), WEB_SCOREBOARD_WA, 0, st_0_30_0, 3 },
    { 3, "u1", "p1", T(30, 0, 0), WEB_SCOREBOARD_WA, 0, st_20_0_10, 3 },
    { 4, "u1", "p1", T(40, 0, 0), WEB_SCOREBOARD_WA, 0, st_20_30_0, 3 },
    { 5, "u1", "p2", T(50, 0, 0), WEB_SCOREBOARD_WA, 40, NULL, 0 },
    { 6, "u1", "p2", T(60, 0, 0), WEB_SCOREBOARD_WA, 25, NULL, 0 },
    { 7, "u2", "p1", T(15, 0, 0), WEB_SCOREBOARD_WA, 0, st_20_30_10, 3 },
    { 8, "u2", "p2", T(70, 0, 0), WEB_SCOREBOARD_CE, 0, NULL, 0 },
    { 9, "u2", "p2", T(80, 0, 0), WEB_SCOREBOARD_WA, 40, NULL, 0 },
    { 10, "u3", "p1", T(25, 0, 0), WEB_SCOREBOARD_AC, 0, st_20_30_50, 3 },
    { 11, "u3", "p2", T(35, 0, 0), WEB_SCOREBOARD_PENDING, 0, NULL, 0 },
    { 12, "u4", "p1", T(100, 0, 0), WEB_SCOREBOARD_WA, 0, st_tenths, 3 },
    { 13, "u4", "p2", T(110, 0, 0), WEB_SCOREBOARD_WA, 0.7, NULL, 0 },
    { 14, "u5", "p2", T(120, 0, 0), WEB_SCOREBOARD_WA, 1.0, NULL, 0 },
};

static struct web_scoreboard *ioi_board(bool tiebreak)
{
    static const struct web_scoreboard_problem problems[] = { { "p1", "P1", 100, 3 }, { "p2", "P2", 100, 0 } };
    static const struct web_scoreboard_team teams[] = {
        { "u1", "Anna", false }, { "u2", "Boris", false }, { "u3", "Chen", false },
        { "u4", "Dora", false }, { "u5", "Emil", false },
    };
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    web_scoreboard_contest_init(&c);
    c.rules = WEB_SCOREBOARD_IOI;
    c.start_ms = START_MS;
    c.duration_ms = T(300, 0, 0);
    c.score_tiebreak_time = tiebreak;
    c.problems = problems;
    c.n_problems = 2;
    c.teams = teams;
    c.n_teams = 5;
    CHECK_INT(web_scoreboard_new(&c, &sb, NULL), ==, 0);
    add_all(sb, ioi_subs, sizeof(ioi_subs) / sizeof(ioi_subs[0]), false);
    return sb;
}

static int test_ioi(void)
{
    struct web_scoreboard *sb = ioi_board(false);
    struct web_scoreboard_view *v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(200, 0, 0));

    CHECK_SECTION("subtask maxima across submissions");
    /* u1 P1: [20,0,0] -> best [20,0,0] = 20 @10; [0,30,0] -> [20,30,0] = 50 @20;
     *        [20,0,10] -> [20,30,10] = 60 @30; [20,30,0] -> still 60 (no
     *        improvement, time stays 30). No single submission scored 60.
     * u1 P2: 40 @50, then 25 -> still 40. Total 100, last improvement @50. */
    CHECK(cell_of(v, "u1", 0)->score == 60);
    CHECK_INT(cell_of(v, "u1", 0)->time, ==, 30);
    CHECK_INT(cell_of(v, "u1", 0)->num_judged, ==, 4);
    CHECK(!cell_of(v, "u1", 0)->solved);
    CHECK(cell_of(v, "u1", 1)->score == 40);
    CHECK_INT(cell_of(v, "u1", 1)->time, ==, 50);
    CHECK(row_of(v, "u1")->score == 100);
    CHECK_INT(row_of(v, "u1")->last_time, ==, 50);
    /* u2: P1 [20,30,10] = 60 @15; P2 CE (0), then 40 @80. Total 100, last @80. */
    CHECK(row_of(v, "u2")->score == 100);
    CHECK_INT(row_of(v, "u2")->last_time, ==, 80);
    CHECK_INT(cell_of(v, "u2", 1)->num_judged, ==, 2);
    /* u3: P1 full 100 @25 (solved); P2 pending: 0. Total 100, last @25. */
    CHECK(row_of(v, "u3")->score == 100);
    CHECK(cell_of(v, "u3", 0)->solved);
    CHECK_INT(row_of(v, "u3")->num_solved, ==, 1);
    CHECK_INT(cell_of(v, "u3", 1)->num_pending, ==, 1);
    CHECK(cell_of(v, "u3", 1)->score == 0);
    CHECK_INT(cell_of(v, "u3", 1)->time, ==, -1);
    /* u4: 0.1 + 0.2 + 0.7, u5: 1.0. In doubles 0.1 + 0.2 + 0.7 is
     * 1.0000000000000002; kept in millionths both are exactly 1. */
    CHECK(row_of(v, "u4")->score == 1.0);
    CHECK(row_of(v, "u5")->score == 1.0);

    CHECK_SECTION("equal scores share a rank");
    /* 100, 100, 100 -> rank 1 (Anna, Boris, Chen by name); 1, 1 -> rank 4. */
    CHECK_ORDER(v, "u1 u2 u3 u4 u5", "1 1 1 4 4");
    char *json = render(sb, v);
    CHECK(strstr(json, "\"score\":{\"score\":100,\"time\":50}") != NULL);
    CHECK(strstr(json, "{\"problem_id\":\"p1\",\"num_judged\":4,\"num_pending\":0,\"score\":60,\"time\":30}")
          != NULL);
    /* u3's pending P2: score 0 and no time. */
    CHECK(strstr(json, "{\"problem_id\":\"p2\",\"num_judged\":0,\"num_pending\":1,\"score\":0}") != NULL);
    CHECK(strstr(json, "\"solved\"") == NULL);
    free(json);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);

    CHECK_SECTION("tie-break by the last improvement");
    /* Chen @25, Anna @50, Boris @80; Dora @110, Emil @120. */
    sb = ioi_board(true);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(200, 0, 0));
    CHECK_ORDER(v, "u3 u1 u2 u4 u5", "1 2 3 4 5");
    web_scoreboard_view_free(v);

    CHECK_SECTION("a pending submission judged later");
    /* u3 P2 @35 -> 30 points: u3 130 ranks first alone. */
    CHECK_INT(judge(sb, &ioi_subs[10], WEB_SCOREBOARD_WA, 30), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(200, 0, 0));
    CHECK(row_of(v, "u3")->score == 130);
    CHECK_INT(row_of(v, "u3")->last_time, ==, 35);
    CHECK_ORDER(v, "u3 u1 u2 u4 u5", "1 2 3 4 5");
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_ioi");
}

/* ---- OI -------------------------------------------------------------------
 * The last submission counts; results are hidden until the contest ends.
 * Q1: one score; Q2: two subtasks of 50. 3 hours.
 */
static const double st_50_50[] = { 50, 50 };

static const struct sub_spec oi_subs[] = {
    { 1, "v1", "q1", T(10, 0, 0), WEB_SCOREBOARD_AC, 100, NULL, 0 },
    { 2, "v1", "q1", T(20, 0, 0), WEB_SCOREBOARD_WA, 30, NULL, 0 },
    { 3, "v1", "q2", T(30, 0, 0), WEB_SCOREBOARD_AC, 0, st_50_50, 2 },
    { 4, "v1", "q2", T(40, 0, 0), WEB_SCOREBOARD_JE, 0, NULL, 0 },
    { 5, "v2", "q1", T(15, 0, 0), WEB_SCOREBOARD_WA, 60, NULL, 0 },
    { 6, "v2", "q1", T(50, 0, 0), WEB_SCOREBOARD_PENDING, 0, NULL, 0 },
    { 7, "v2", "q2", T(25, 0, 0), WEB_SCOREBOARD_CE, 0, NULL, 0 },
};

static struct web_scoreboard *oi_board(void)
{
    static const struct web_scoreboard_problem problems[] = { { "q1", "Q1", 100, 0 }, { "q2", "Q2", 100, 2 } };
    static const struct web_scoreboard_team teams[] = { { "v1", "Vera", false }, { "v2", "Wang", false } };
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    web_scoreboard_contest_init(&c);
    c.rules = WEB_SCOREBOARD_OI;
    c.start_ms = START_MS;
    c.duration_ms = T(180, 0, 0);
    c.problems = problems;
    c.n_problems = 2;
    c.teams = teams;
    c.n_teams = 2;
    CHECK_INT(web_scoreboard_new(&c, &sb, NULL), ==, 0);
    add_all(sb, oi_subs, sizeof(oi_subs) / sizeof(oi_subs[0]), false);
    return sb;
}

static int test_oi(void)
{
    struct web_scoreboard *sb = oi_board();
    struct web_scoreboard_view *v;

    CHECK_SECTION("hidden from the public and the teams during the contest");
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(100, 0, 0));
    CHECK(v->hidden);
    /* Nothing is known: both 0, one shared rank, by name. */
    CHECK_ORDER(v, "v1 v2", "1 1");
    CHECK(cell_of(v, "v1", 0)->hidden);
    CHECK_INT(cell_of(v, "v1", 0)->num_judged, ==, 0);
    CHECK_INT(cell_of(v, "v1", 0)->num_pending, ==, 2);   /* both Q1 submissions */
    CHECK(cell_of(v, "v1", 0)->score == 0);
    CHECK(row_of(v, "v1")->score == 0);
    char *json = render(sb, v);
    CHECK(strstr(json, "{\"problem_id\":\"q1\",\"num_judged\":0,\"num_pending\":2,\"score\":0}") != NULL);
    free(json);
    web_scoreboard_view_free(v);
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "v1", T(100, 0, 0));
    CHECK(v->hidden);                           /* its own results too */
    CHECK(cell_of(v, "v1", 0)->hidden);
    web_scoreboard_view_free(v);

    CHECK_SECTION("the jury sees the last submissions");
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(100, 0, 0));
    CHECK(!v->hidden);
    /* v1: Q1 100 then 30 -> the last, 30 @20; Q2 [50,50] = 100 @30, then a JE
     *     that does not replace it. Total 130.
     * v2: Q1 60 @15, then one pending: still 60; Q2 CE -> 0. Total 60. */
    CHECK(cell_of(v, "v1", 0)->score == 30);
    CHECK_INT(cell_of(v, "v1", 0)->time, ==, 20);
    CHECK(!cell_of(v, "v1", 0)->solved);
    CHECK(cell_of(v, "v1", 1)->score == 100);
    CHECK(cell_of(v, "v1", 1)->solved);
    CHECK_INT(cell_of(v, "v1", 1)->num_judged, ==, 2);
    CHECK(row_of(v, "v1")->score == 130);
    CHECK(cell_of(v, "v2", 0)->score == 60);
    CHECK_INT(cell_of(v, "v2", 0)->num_pending, ==, 1);
    CHECK(cell_of(v, "v2", 1)->score == 0);
    CHECK(row_of(v, "v2")->score == 60);
    CHECK_ORDER(v, "v1 v2", "1 2");
    web_scoreboard_view_free(v);

    CHECK_SECTION("the pending one is judged: the last counts, even lower or higher");
    /* v2 Q1 @50 -> 90: v2 = 90 + 0 = 90 < 130. */
    CHECK_INT(judge(sb, &oi_subs[5], WEB_SCOREBOARD_WA, 90), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(100, 0, 0));
    CHECK(row_of(v, "v2")->score == 90);
    CHECK_INT(cell_of(v, "v2", 0)->time, ==, 50);
    web_scoreboard_view_free(v);

    CHECK_SECTION("visible to everyone after the end");
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(180, 0, 0));
    CHECK(!v->hidden);
    CHECK_ORDER(v, "v1 v2", "1 2");
    CHECK(row_of(v, "v1")->score == 130);
    web_scoreboard_view_free(v);

    CHECK_SECTION("or when the results are released early");
    struct err err = { 0 };
    CHECK_INT(web_scoreboard_set_thaw(sb, T(120, 0, 0), &err), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "v2", T(119, 0, 0));
    CHECK(v->hidden);
    web_scoreboard_view_free(v);
    v = view_at(sb, WEB_SCOREBOARD_TEAM, "v2", T(121, 0, 0));
    CHECK(!v->hidden);
    CHECK(row_of(v, "v2")->score == 90);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_oi");
}

/* ---- rejudging -------------------------------------------------------------- */

static int test_rejudge(void)
{
    static const struct web_scoreboard_problem problems[] = { { "a", "A", 1, 0 }, { "b", "B", 1, 0 } };
    static const struct web_scoreboard_team teams[] = { { "r1", "Rho", false }, { "r2", "Sigma", false } };
    static const struct sub_spec subs[] = {
        { 101, "r1", "a", T(10, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
        { 102, "r2", "a", T(15, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
        { 103, "r1", "a", T(20, 0, 0), WEB_SCOREBOARD_AC, 0, NULL, 0 },
        { 104, "r2", "b", T(30, 0, 0), WEB_SCOREBOARD_WA, 0, NULL, 0 },
    };
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    struct web_scoreboard_view *v;
    struct err err = { 0 };
    web_scoreboard_contest_init(&c);
    c.start_ms = START_MS;
    c.duration_ms = T(300, 0, 0);
    c.problems = problems;
    c.n_problems = 2;
    c.teams = teams;
    c.n_teams = 2;
    CHECK_INT(web_scoreboard_new(&c, &sb, NULL), ==, 0);
    add_all(sb, subs, 4, false);

    CHECK_SECTION("before");
    /* r1: WA@10, AC@20 -> 20 + 20 = 40; r2: AC@15 -> 15, first to solve A. */
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_ORDER(v, "r2 r1", "1 2");
    CHECK_INT(row_of(v, "r1")->penalty, ==, 40);
    CHECK_INT(row_of(v, "r2")->penalty, ==, 15);
    CHECK(cell_of(v, "r2", 0)->first_to_solve);
    CHECK(!cell_of(v, "r1", 0)->first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("r2's AC becomes WA");
    /* r2: A unsolved (1 judged, 1 penalised, no cost); r1 alone: 1 solved, 40,
     * and now first to solve A. */
    CHECK_INT(judge(sb, &subs[1], WEB_SCOREBOARD_WA, 0), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_ORDER(v, "r1 r2", "1 2");
    CHECK_INT(row_of(v, "r2")->num_solved, ==, 0);
    CHECK_INT(row_of(v, "r2")->penalty, ==, 0);
    CHECK(!cell_of(v, "r2", 0)->solved);
    CHECK(cell_of(v, "r1", 0)->first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("r1's WA becomes AC");
    /* r1: AC@10 -> 10, no penalty; the AC@20 is now after the first AC and
     * ignored: 1 judged. */
    CHECK_INT(judge(sb, &subs[0], WEB_SCOREBOARD_AC, 0), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    CHECK_INT(row_of(v, "r1")->penalty, ==, 10);
    CHECK_INT(cell_of(v, "r1", 0)->num_judged, ==, 1);
    CHECK_INT(cell_of(v, "r1", 0)->time, ==, 10);
    CHECK(cell_of(v, "r1", 0)->first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("back to pending, then judged");
    CHECK_INT(judge(sb, &subs[0], WEB_SCOREBOARD_PENDING, 0), ==, 0);
    v = view_at(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0));
    /* r1 A: pending@10, AC@20 -> solved at 20 with nothing penalised yet: 20;
     * first to solve is unknown while the earlier one is pending. */
    CHECK_INT(row_of(v, "r1")->penalty, ==, 20);
    CHECK_INT(cell_of(v, "r1", 0)->num_pending, ==, 1);
    CHECK(!cell_of(v, "r1", 0)->first_to_solve);
    web_scoreboard_view_free(v);

    CHECK_SECTION("refused updates change nothing");
    struct web_scoreboard_submission s = to_sub(&subs[3]);
    s.id = 999;
    CHECK_INT(web_scoreboard_update(sb, &s, &err), ==, ERR_NOTFOUND);
    s = to_sub(&subs[3]);
    s.problem_id = "a";
    CHECK_INT(web_scoreboard_update(sb, &s, &err), ==, ERR_INVALID);
    s = to_sub(&subs[3]);
    s.time_ms += 1;
    CHECK_INT(web_scoreboard_update(sb, &s, &err), ==, ERR_INVALID);
    s = to_sub(&subs[3]);
    s.verdict = (enum web_scoreboard_verdict)42;
    CHECK_INT(web_scoreboard_update(sb, &s, &err), ==, ERR_INVALID);
    v = view_at(sb, WEB_SCOREBOARD_JURY, NULL, T(60, 0, 0));
    CHECK_INT(cell_of(v, "r2", 1)->num_penalised, ==, 1);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    return check_done("unit.web.scoreboard_rejudge");
}

/* ---- bad input ------------------------------------------------------------- */

static int test_errors(void)
{
    struct web_scoreboard_problem problems[] = { { "a", "A", 100, 2 } };
    struct web_scoreboard_team teams[] = { { "t1", "One", false }, { "t2", "Two", false } };
    struct web_scoreboard_contest c;
    struct web_scoreboard *sb = NULL;
    struct err err = { 0 };

    web_scoreboard_contest_init(&c);
    c.rules = WEB_SCOREBOARD_IOI;
    c.start_ms = START_MS;
    c.duration_ms = T(60, 0, 0);
    c.problems = problems;
    c.n_problems = 1;
    c.teams = teams;
    c.n_teams = 2;

    CHECK_SECTION("contest descriptions");
    teams[1].id = "t1";
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    CHECK(strstr(err.msg, "'t1' appears twice") != NULL);
    CHECK(sb == NULL);
    teams[1].id = "bad id";
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    teams[1].id = "";
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    teams[1].id = "t2";
    c.freeze_ms = T(61, 0, 0);
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    c.freeze_ms = WEB_SCOREBOARD_NEVER;
    c.penalised |= WEB_SCOREBOARD_VERDICT_BIT(WEB_SCOREBOARD_AC);
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    c.penalised = WEB_SCOREBOARD_PENALISED_DEFAULT;
    c.duration_ms = 0;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    c.duration_ms = T(60, 0, 0);
    c.penalty_minutes = -1;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_INVALID);
    c.penalty_minutes = 20;
    problems[0].n_subtasks = WEB_SCOREBOARD_MAX_SUBTASKS + 1;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_LIMIT);
    problems[0].n_subtasks = 2;
    c.n_teams = WEB_SCOREBOARD_MAX_TEAMS + 1;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, ERR_LIMIT);
    c.n_teams = 2;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, 0);

    CHECK_SECTION("submissions");
    double two[] = { 10, 20 }, bad[] = { 10, -1 };
    struct web_scoreboard_submission s = {
        .id = 1, .team_id = "t1", .problem_id = "a", .time_ms = T(5, 0, 0),
        .verdict = WEB_SCOREBOARD_WA, .subtask_scores = two, .n_subtasks = 2,
    };
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, 0);
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);   /* id 1 again */
    CHECK(strstr(err.msg, "already added") != NULL);
    s.id = 2;
    s.team_id = "nobody";
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_NOTFOUND);
    CHECK_STR(err.msg, "submission 2: unknown team 'nobody'");
    s.team_id = "t1";
    s.problem_id = "z";
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_NOTFOUND);
    s.problem_id = "a";
    s.time_ms = -1;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.time_ms = T(60, 0, 0);                /* the end itself is too late */
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.time_ms = T(5, 0, 0);
    s.n_subtasks = 1;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.subtask_scores = bad;
    s.n_subtasks = 2;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.subtask_scores = NULL;
    s.n_subtasks = 0;
    s.score = 50;                           /* by subtask only */
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.score = NAN;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.score = 0;
    s.time_absolute = true;
    s.time_ms = START_MS + T(7, 0, 0);      /* absolute times are converted */
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, 0);
    s.id = 3;
    s.time_ms = START_MS - 1;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);
    s.time_ms = INT64_MIN;
    CHECK_INT(web_scoreboard_add(sb, &s, &err), ==, ERR_INVALID);

    CHECK_SECTION("viewers and verdict names");
    struct web_scoreboard_viewer viewer = { .role = WEB_SCOREBOARD_TEAM, .team_id = "nobody" };
    struct web_scoreboard_view *v = NULL;
    CHECK_INT(web_scoreboard_view_new(sb, &viewer, &v, &err), ==, ERR_NOTFOUND);
    CHECK(v == NULL);
    viewer.team_id = NULL;
    CHECK_INT(web_scoreboard_view_new(sb, &viewer, &v, &err), ==, ERR_NOTFOUND);
    viewer.role = WEB_SCOREBOARD_JURY;
    viewer.now_ms = T(30, 0, 0);
    CHECK_INT(web_scoreboard_view_new(sb, &viewer, &v, &err), ==, 0);
    CHECK(cell_of(v, "t1", 0)->score == 30);   /* [10, 20], once, the re-add refused */
    CHECK_INT(cell_of(v, "t1", 0)->num_judged, ==, 2);   /* ids 1 and 2 */
    web_scoreboard_view_free(v);
    CHECK_INT(web_scoreboard_set_thaw(sb, -5, &err), ==, ERR_INVALID);

    enum web_scoreboard_verdict verdict;
    CHECK_INT(web_scoreboard_verdict_parse("RE", &verdict), ==, 0);
    CHECK_INT(verdict, ==, WEB_SCOREBOARD_RTE);
    CHECK_INT(web_scoreboard_verdict_parse("TLE", &verdict), ==, 0);
    CHECK_INT(verdict, ==, WEB_SCOREBOARD_TLE);
    CHECK_INT(web_scoreboard_verdict_parse("XX", &verdict), ==, ERR_INVALID);
    CHECK_STR(web_scoreboard_verdict_name(WEB_SCOREBOARD_JE), "JE");
    CHECK_STR(web_scoreboard_verdict_name(WEB_SCOREBOARD_PENDING), "PENDING");

    CHECK_SECTION("the JSON buffer's cap");
    struct buf b;
    buf_init(&b, 16);
    viewer.role = WEB_SCOREBOARD_PUBLIC;
    CHECK_INT(web_scoreboard_view_new(sb, &viewer, &v, &err), ==, 0);
    CHECK_INT(web_scoreboard_render(sb, v, &b, &err), ==, ERR_LIMIT);
    buf_release(&b);
    web_scoreboard_view_free(v);

    CHECK_SECTION("empty contests");
    web_scoreboard_free(sb);
    sb = NULL;
    c.n_teams = 0;
    c.n_problems = 0;
    CHECK_INT(web_scoreboard_new(&c, &sb, &err), ==, 0);
    CHECK_INT(web_scoreboard_view_new(sb, &viewer, &v, &err), ==, 0);
    CHECK_INT(v->n_rows, ==, 0);
    char *json = render(sb, v);
    CHECK(strstr(json, "\"rows\":[]") != NULL);
    free(json);
    web_scoreboard_view_free(v);
    web_scoreboard_free(sb);
    web_scoreboard_free(NULL);
    web_scoreboard_view_free(NULL);
    return check_done("unit.web.scoreboard_errors");
}

/* ---- incremental = from scratch --------------------------------------------
 * Random submissions added in random order, with views asked in between (so
 * cached rankings go stale and are rebuilt) and random rejudgements, must
 * give byte for byte the boards that adding the final judgements in time
 * order gives, for every viewer.
 */
static uint64_t rnd_state = 42;

static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (unsigned)((rnd_state >> 33) % n);
}

#define INC_TEAMS 30
#define INC_PROBLEMS 5
#define INC_SUBS 600
#define INC_SUBTASKS 3

static bool same_boards(struct web_scoreboard *x, struct web_scoreboard *y, int64_t now)
{
    static const char *const team_ids[INC_TEAMS] = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
        "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29",
    };
    bool same = true;
    for (int i = -2; i < INC_TEAMS; i++) {
        enum web_scoreboard_role role = i == -2 ? WEB_SCOREBOARD_JURY
                                      : i == -1 ? WEB_SCOREBOARD_PUBLIC : WEB_SCOREBOARD_TEAM;
        const char *team = i >= 0 ? team_ids[i] : NULL;
        struct web_scoreboard_view *vx = view_at(x, role, team, now), *vy = view_at(y, role, team, now);
        char *jx = render(x, vx), *jy = render(y, vy);
        if (strcmp(jx, jy) != 0) {
            fprintf(stderr, "boards differ for viewer %d\n", i);
            same = false;
        }
        free(jx);
        free(jy);
        web_scoreboard_view_free(vx);
        web_scoreboard_view_free(vy);
    }
    return same;
}

static int test_incremental_rules(enum web_scoreboard_rules rules)
{
    static char team_ids[INC_TEAMS][8], names[INC_TEAMS][16];
    static const struct web_scoreboard_problem problems[INC_PROBLEMS] = {
        { "a", "A", 100, INC_SUBTASKS }, { "b", "B", 100, INC_SUBTASKS }, { "c", "C", 100, INC_SUBTASKS },
        { "d", "D", 100, INC_SUBTASKS }, { "e", "E", 100, INC_SUBTASKS },
    };
    struct web_scoreboard_team teams[INC_TEAMS];
    static struct sub_spec subs[INC_SUBS];
    static double scores[INC_SUBS][INC_SUBTASKS];
    static size_t order[INC_SUBS];
    for (int t = 0; t < INC_TEAMS; t++) {
        snprintf(team_ids[t], sizeof(team_ids[t]), "x%d", t);
        /* Few distinct names, so ties are ordered by id too. */
        snprintf(names[t], sizeof(names[t]), "Team %d", t % 7);
        teams[t] = (struct web_scoreboard_team){ team_ids[t], names[t], t == 13 };
    }
    struct web_scoreboard_contest c;
    web_scoreboard_contest_init(&c);
    c.rules = rules;
    c.start_ms = START_MS;
    c.duration_ms = T(300, 0, 0);
    c.freeze_ms = T(240, 0, 0);
    c.problems = problems;
    c.n_problems = INC_PROBLEMS;
    c.teams = teams;
    c.n_teams = INC_TEAMS;

    static const enum web_scoreboard_verdict verdicts[] = {
        WEB_SCOREBOARD_PENDING, WEB_SCOREBOARD_AC, WEB_SCOREBOARD_AC, WEB_SCOREBOARD_WA,
        WEB_SCOREBOARD_WA, WEB_SCOREBOARD_TLE, WEB_SCOREBOARD_RTE, WEB_SCOREBOARD_CE, WEB_SCOREBOARD_JE,
    };
    const size_t n_verdicts = sizeof(verdicts) / sizeof(verdicts[0]);
    for (size_t i = 0; i < INC_SUBS; i++) {
        /* Times on a coarse grid, so equal times (ties by id) happen. */
        subs[i] = (struct sub_spec){
            .id = (int64_t)i * 7 + 1, .team = team_ids[rnd(INC_TEAMS)],
            .problem = problems[rnd(INC_PROBLEMS)].id, .time_ms = (int64_t)rnd(300) * 60000,
            .verdict = verdicts[rnd((unsigned)n_verdicts)],
        };
        for (int k = 0; k < INC_SUBTASKS; k++)
            scores[i][k] = rnd(4) * 10.5;
        subs[i].subtasks = scores[i];
        subs[i].n_subtasks = INC_SUBTASKS;
        order[i] = i;
    }
    for (size_t i = INC_SUBS - 1; i > 0; i--) {
        size_t j = rnd((unsigned)i + 1), tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }

    struct web_scoreboard *inc = NULL, *fresh = NULL;
    CHECK_INT(web_scoreboard_new(&c, &inc, NULL), ==, 0);
    CHECK_INT(web_scoreboard_new(&c, &fresh, NULL), ==, 0);
    for (size_t i = 0; i < INC_SUBS; i++) {
        struct web_scoreboard_submission s = to_sub(&subs[order[i]]);
        CHECK_INT(web_scoreboard_add(inc, &s, NULL), ==, 0);
        if (i % 50 == 0) {
            struct web_scoreboard_view *v = view_at(inc, i % 100 ? WEB_SCOREBOARD_PUBLIC : WEB_SCOREBOARD_JURY,
                                                    NULL, T(299, 0, 0));
            web_scoreboard_view_free(v);
        }
    }
    for (int r = 0; r < 300; r++) {
        size_t i = rnd(INC_SUBS);
        subs[i].verdict = verdicts[rnd((unsigned)n_verdicts)];
        for (int k = 0; k < INC_SUBTASKS; k++)
            scores[i][k] = rnd(4) * 10.5;
        struct web_scoreboard_submission s = to_sub(&subs[i]);
        CHECK_INT(web_scoreboard_update(inc, &s, NULL), ==, 0);
        if (r % 37 == 0)
            web_scoreboard_view_free(view_at(inc, WEB_SCOREBOARD_TEAM, subs[i].team, T(299, 0, 0)));
    }
    /* In time order, then by id, as a fresh board would get them. */
    for (size_t i = 0; i < INC_SUBS; i++)
        order[i] = i;
    for (size_t i = 1; i < INC_SUBS; i++)
        for (size_t j = i; j > 0 && subs[order[j - 1]].time_ms > subs[order[j]].time_ms; j--) {
            size_t tmp = order[j];
            order[j] = order[j - 1];
            order[j - 1] = tmp;
        }
    for (size_t i = 0; i < INC_SUBS; i++) {
        struct web_scoreboard_submission s = to_sub(&subs[order[i]]);
        CHECK_INT(web_scoreboard_add(fresh, &s, NULL), ==, 0);
    }
    CHECK(same_boards(inc, fresh, T(299, 0, 0)));   /* frozen, OI hidden */
    CHECK(same_boards(inc, fresh, T(300, 0, 0)));   /* ended, still frozen */
    CHECK_INT(web_scoreboard_set_thaw(inc, T(301, 0, 0), NULL), ==, 0);
    CHECK_INT(web_scoreboard_set_thaw(fresh, T(301, 0, 0), NULL), ==, 0);
    CHECK(same_boards(inc, fresh, T(302, 0, 0)));   /* thawed */
    web_scoreboard_free(inc);
    web_scoreboard_free(fresh);
    return 0;
}

static int test_incremental(void)
{
    CHECK_SECTION("ICPC");
    test_incremental_rules(WEB_SCOREBOARD_ICPC);
    CHECK_SECTION("IOI");
    test_incremental_rules(WEB_SCOREBOARD_IOI);
    CHECK_SECTION("OI");
    test_incremental_rules(WEB_SCOREBOARD_OI);
    return check_done("unit.web.scoreboard_incremental");
}

/* ---- JSON files for the schema check (validate_scoreboard.py) ------------- */

static int write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    if (str_fmt(path, sizeof(path), "%s/%s", dir, name) != 0)
        return 1;
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot open '%s': %s\n", path, strerror(errno));
        return 1;
    }
    fputs(text, f);
    return fclose(f) != 0;
}

static int dump_view(struct web_scoreboard *sb, enum web_scoreboard_role role, const char *team, int64_t now,
                     const char *dir, const char *name)
{
    struct web_scoreboard_view *v = view_at(sb, role, team, now);
    char *json = render(sb, v);
    int rc = write_file(dir, name, json);
    free(json);
    web_scoreboard_view_free(v);
    return rc;
}

static int dump_json(const char *dir)
{
    int rc = 0;
    struct web_scoreboard *sb = icpc_board(false);
    rc |= dump_view(sb, WEB_SCOREBOARD_JURY, NULL, T(299, 0, 0), dir, "icpc_jury.json");
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(299, 0, 0), dir, "icpc_public_frozen.json");
    rc |= dump_view(sb, WEB_SCOREBOARD_TEAM, "t5", T(299, 0, 0), dir, "icpc_team_frozen.json");
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, -T(10, 0, 0), dir, "icpc_before_start.json");
    web_scoreboard_set_thaw(sb, T(305, 0, 0), NULL);
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(310, 0, 0), dir, "icpc_thawed.json");
    web_scoreboard_free(sb);
    sb = options_board(true, 20, false);
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(60, 0, 0), dir, "icpc_seconds.json");
    web_scoreboard_free(sb);
    sb = ioi_board(false);
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(200, 0, 0), dir, "ioi.json");
    web_scoreboard_free(sb);
    sb = oi_board();
    rc |= dump_view(sb, WEB_SCOREBOARD_PUBLIC, NULL, T(100, 0, 0), dir, "oi_hidden.json");
    rc |= dump_view(sb, WEB_SCOREBOARD_JURY, NULL, T(100, 0, 0), dir, "oi_jury.json");
    web_scoreboard_free(sb);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        goto usage;
    if (strcmp(argv[1], "icpc") == 0)
        return test_icpc();
    if (strcmp(argv[1], "icpc_freeze") == 0)
        return test_icpc_freeze();
    if (strcmp(argv[1], "icpc_json") == 0)
        return test_icpc_json();
    if (strcmp(argv[1], "icpc_options") == 0)
        return test_icpc_options();
    if (strcmp(argv[1], "ioi") == 0)
        return test_ioi();
    if (strcmp(argv[1], "oi") == 0)
        return test_oi();
    if (strcmp(argv[1], "rejudge") == 0)
        return test_rejudge();
    if (strcmp(argv[1], "errors") == 0)
        return test_errors();
    if (strcmp(argv[1], "incremental") == 0)
        return test_incremental();
    if (strcmp(argv[1], "dump_json") == 0 && argc == 3)
        return dump_json(argv[2]);
usage:
    fprintf(stderr, "usage: %s icpc|icpc_freeze|icpc_json|icpc_options|ioi|oi|rejudge|errors|incremental|dump_json DIR\n",
            argv[0]);
    return 2;
}
