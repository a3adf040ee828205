/*
 * scoreboard_bench.c: how long the scoreboard takes at the size the issue
 * names, 1,000 teams x 13 problems x 100,000 submissions: loading them one
 * at a time, the first view after that, a judgement followed by a fresh
 * view (the steady state), and rendering the JSON. Not a test; run by hand:
 *   build/tests/web/scoreboard_bench [teams problems submissions]
 */
#include "web.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct err *err)
{
    fprintf(stderr, "scoreboard_bench: %s: %s\n", what, err->msg);
    exit(1);
}

static enum web_scoreboard_verdict random_verdict(void)
{
    unsigned r = (unsigned)(rng() % 100);
    if (r < 30) return WEB_SCOREBOARD_AC;
    if (r < 65) return WEB_SCOREBOARD_WA;
    if (r < 75) return WEB_SCOREBOARD_TLE;
    if (r < 82) return WEB_SCOREBOARD_RTE;
    if (r < 87) return WEB_SCOREBOARD_CE;
    if (r < 88) return WEB_SCOREBOARD_JE;
    return WEB_SCOREBOARD_PENDING;
}

static void bench(enum web_scoreboard_rules rules, size_t n_teams, size_t n_problems, size_t n_subs)
{
    const int64_t duration = INT64_C(5) * 3600 * 1000;
    struct web_scoreboard_problem *problems = calloc(n_problems, sizeof(*problems));
    struct web_scoreboard_team *teams = calloc(n_teams, sizeof(*teams));
    char (*pids)[24] = calloc(n_problems, sizeof(*pids));
    char (*tids)[32] = calloc(n_teams, sizeof(*tids));
    char (*names)[32] = calloc(n_teams, sizeof(*names));
    struct web_scoreboard_submission *subs = calloc(n_subs, sizeof(*subs));
    double subtasks[5];
    if (!problems || !teams || !pids || !tids || !names || !subs)
        abort();
    for (size_t p = 0; p < n_problems; p++) {
        snprintf(pids[p], sizeof(pids[p]), "p%zu", p);
        problems[p] = (struct web_scoreboard_problem){ pids[p], pids[p], 100, rules == WEB_SCOREBOARD_IOI ? 5 : 0 };
    }
    for (size_t t = 0; t < n_teams; t++) {
        snprintf(tids[t], sizeof(tids[t]), "team%zu", t);
        snprintf(names[t], sizeof(names[t]), "Team %05" PRIu64, rng() % 100000);
        teams[t] = (struct web_scoreboard_team){ tids[t], names[t], t % 100 == 99 };
    }

    struct web_scoreboard_contest c;
    web_scoreboard_contest_init(&c);
    c.rules = rules;
    c.start_ms = INT64_C(1767261600000);
    c.duration_ms = duration;
    c.freeze_ms = duration - 3600 * 1000;
    c.problems = problems;
    c.n_problems = n_problems;
    c.teams = teams;
    c.n_teams = n_teams;
    struct web_scoreboard *sb = NULL;
    struct err err = { 0 };
    if (web_scoreboard_new(&c, &sb, &err))
        die("new", &err);

    /* Submissions arrive in time order, as they do in a contest. */
    for (size_t i = 0; i < n_subs; i++) {
        subs[i] = (struct web_scoreboard_submission){
            .id = (int64_t)i + 1,
            .team_id = tids[rng() % n_teams],
            .problem_id = pids[rng() % n_problems],
            .time_ms = (int64_t)(i * (uint64_t)(duration - 1) / n_subs),
            .verdict = random_verdict(),
        };
    }

    double t0 = now_ms();
    for (size_t i = 0; i < n_subs; i++) {
        if (rules == WEB_SCOREBOARD_IOI && subs[i].verdict != WEB_SCOREBOARD_PENDING) {
            for (int k = 0; k < 5; k++)
                subtasks[k] = (double)(rng() % 3) * 10;
            subs[i].subtask_scores = subtasks;
            subs[i].n_subtasks = 5;
        }
        if (web_scoreboard_add(sb, &subs[i], &err))
            die("add", &err);
        subs[i].subtask_scores = NULL;
        subs[i].n_subtasks = 0;
    }
    double t_add = now_ms() - t0;

    struct web_scoreboard_viewer pub = { WEB_SCOREBOARD_PUBLIC, NULL, duration - 1 };
    struct web_scoreboard_viewer jury = { WEB_SCOREBOARD_JURY, NULL, duration - 1 };
    struct web_scoreboard_viewer team = { WEB_SCOREBOARD_TEAM, tids[0], duration - 1 };
    struct web_scoreboard_view *v = NULL;

    t0 = now_ms();
    if (web_scoreboard_view_new(sb, &pub, &v, &err))
        die("view", &err);
    double t_first = now_ms() - t0;
    web_scoreboard_view_free(v);

    t0 = now_ms();
    if (web_scoreboard_view_new(sb, &pub, &v, &err))
        die("view", &err);
    double t_cached = now_ms() - t0;

    struct buf b;
    buf_init(&b, 0);
    t0 = now_ms();
    if (web_scoreboard_render(sb, v, &b, &err))
        die("render", &err);
    double t_render = now_ms() - t0;
    size_t json_bytes = b.len;
    buf_release(&b);
    web_scoreboard_view_free(v);

    /* Steady state: a judgement arrives, then someone asks for the board. */
    const int rounds = 1000;
    double t_update = 0, t_view = 0, t_team = 0;
    for (int r = 0; r < rounds; r++) {
        struct web_scoreboard_submission s = subs[rng() % n_subs];
        s.verdict = random_verdict();
        if (s.verdict == WEB_SCOREBOARD_PENDING)
            s.verdict = WEB_SCOREBOARD_AC;
        t0 = now_ms();
        if (web_scoreboard_update(sb, &s, &err))
            die("update", &err);
        double t1 = now_ms();
        if (web_scoreboard_view_new(sb, r % 2 ? &pub : &jury, &v, &err))
            die("view", &err);
        double t2 = now_ms();
        web_scoreboard_view_free(v);
        if (web_scoreboard_view_new(sb, &team, &v, &err))
            die("view", &err);
        double t3 = now_ms();
        web_scoreboard_view_free(v);
        t_update += t1 - t0;
        t_view += t2 - t1;
        t_team += t3 - t2;
    }

    printf("%s: %zu teams x %zu problems x %zu submissions\n",
           rules == WEB_SCOREBOARD_IOI ? "IOI (5 subtasks)" : "ICPC", n_teams, n_problems, n_subs);
    printf("  add all, one at a time     %9.2f ms (%.3f us each)\n", t_add, t_add * 1e3 / (double)n_subs);
    printf("  first view (both sorts)    %9.3f ms\n", t_first);
    printf("  view, ranking cached       %9.3f ms\n", t_cached);
    printf("  render JSON                %9.3f ms (%zu bytes)\n", t_render, json_bytes);
    printf("  judgement (update)         %9.4f ms mean of %d\n", t_update / rounds, rounds);
    printf("  then view (re-sort)        %9.3f ms mean\n", t_view / rounds);
    printf("  then a team's view         %9.3f ms mean\n", t_team / rounds);

    web_scoreboard_free(sb);
    free(subs);
    free(names);
    free(tids);
    free(pids);
    free(teams);
    free(problems);
}

int main(int argc, char **argv)
{
    int64_t teams = 1000, problems = 13, subs = 100000;
    if (argc == 4) {
        if (parse_i64(argv[1], 1, WEB_SCOREBOARD_MAX_TEAMS, &teams) ||
            parse_i64(argv[2], 1, 999, &problems) ||
            parse_i64(argv[3], 1, WEB_SCOREBOARD_MAX_SUBMISSIONS, &subs))
            goto usage;
    } else if (argc != 1) {
        goto usage;
    }
    bench(WEB_SCOREBOARD_ICPC, (size_t)teams, (size_t)problems, (size_t)subs);
    bench(WEB_SCOREBOARD_IOI, (size_t)teams, (size_t)problems, (size_t)subs);
    return 0;
usage:
    fprintf(stderr, "usage: %s [teams problems submissions]\n", argv[0]);
    return 2;
}
