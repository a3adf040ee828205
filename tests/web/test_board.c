/*
 * test_board.c: the scoreboard cache (api_scoreboard.c) against storage.
 *
 *   web_board_tests cache   unit.web.scoreboard_cache: after each of many
 *                           random changes (submissions, judgings with
 *                           random verdicts and IOI groups, rejudges, expired
 *                           leases, ignored submissions, new participants),
 *                           the incrementally kept board renders exactly as
 *                           one built afresh, for the jury, the public and a
 *                           team, in ICPC, IOI and OI contests.
 *   web_board_tests bench   not a test: times a board of 1,000 teams x 13
 *                           problems x 100,000 judged submissions: the cold
 *                           build, a warm request (the events query, a view,
 *                           the JSON), and a warm request after one change.
 *   web_board_tests world DIR   not a test: leaves that same contest in the
 *                           data folder DIR for tests/bench/web_load.py to
 *                           serve, running: it started 3 hours ago and its
 *                           100,000 judged submissions fall in those hours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storage_fixture.h"
#include "web_int.h"

static const char *const verdicts[] = { "AC", "WA", "TLE", "RTE", "CE", "JE", "MLE" };

struct world {
    struct web_store *s;
    int64_t contest, judge;
    int64_t problems[13];
    size_t nproblems;
    int64_t users[1000];
    size_t nusers;
    int64_t start;
    enum web_rules rules;
    int team_mode;
    unsigned seed;
};

/* When the worlds' contests start; `world` moves it to 3 hours ago. */
static int64_t world_start = 1700000000;

static unsigned rnd(struct world *w)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) & 0xffffff;
}

static void must(int rc, const struct err *err, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", what, err->msg);
        exit(1);
    }
}

static void world_init(struct world *w, const char *dir, enum web_rules rules, int team_mode, size_t nusers,
                       size_t nproblems, const char *tag)
{
    struct err err;
    char name[64];
    memset(w, 0, sizeof(*w));
    w->s = fixture_open(dir);
    w->rules = rules;
    w->team_mode = team_mode;
    w->seed = 12345u + (unsigned)rules;
    w->start = world_start;
    w->judge = fixture_judge(w->s, tag, NULL);
    struct web_contest c = { 0 };
    snprintf(c.short_name, sizeof(c.short_name), "c-%s", tag);
    snprintf(c.title, sizeof(c.title), "Contest %s", tag);
    c.start_time = w->start;
    c.duration = 5 * 3600;
    c.freeze = 3600;
    c.is_public = 1;
    c.registration = WEB_REG_ADMIN;
    c.team_mode = team_mode;
    c.rules = rules;
    c.penalty_minutes = 20;
    c.created_at = 1000;
    must(web_store_contest_create(w->s, &c, &err), &err, "contest");
    w->contest = c.id;
    for (size_t i = 0; i < nproblems; i++) {
        snprintf(name, sizeof(name), "%s-p%zu", tag, i);
        w->problems[i] = fixture_problem(w->s, name);
        struct web_contest_problem cp = { .contest_id = c.id, .problem_id = w->problems[i], .points = 100,
                                          .ordinal = (int64_t)i };
        snprintf(cp.label, sizeof(cp.label), "%c", (char)('A' + i));
        must(web_store_contest_problem_put(w->s, &cp, &err), &err, "problem set");
    }
    w->nproblems = nproblems;
    must(web_store_tx_begin(w->s, &err), &err, "tx");
    for (size_t i = 0; i < nusers; i++) {
        snprintf(name, sizeof(name), "%s-u%zu", tag, i);
        int64_t uid = fixture_user(w->s, name, WEB_ROLE_CONTESTANT);
        struct web_participant p = { .contest_id = c.id, .user_id = uid, .role = WEB_CROLE_PARTICIPANT,
                                     .registered_at = 1000 };
        if (team_mode) {
            struct web_team t = { .contest_id = c.id, .created_at = 1000 };
            snprintf(t.name, sizeof(t.name), "Team %03zu", i);
            must(web_store_team_create(w->s, &t, &err), &err, "team");
            p.team_id = t.id;
        }
        must(web_store_participant_put(w->s, &p, &err), &err, "participant");
        w->users[w->nusers++] = uid;
    }
    must(web_store_tx_commit(w->s, &err), &err, "commit");
}

/* Claims the oldest queued job and completes it with a random verdict. */
static int judge_one(struct world *w, int64_t now)
{
    struct web_job job;
    struct err err;
    int rc = web_store_job_claim(w->s, w->judge, 600, now, &job, &err);
    if (rc == ERR_NOTFOUND)
        return 0;
    must(rc, &err, "claim");
    struct web_judging_result res = { 0 };
    struct web_judging_group g[4];
    res.verdict = verdicts[rnd(w) % 7];
    if (w->rules != WEB_RULES_ICPC) {
        double a = (double)(rnd(w) % 31), b = (double)(rnd(w) % 71);
        if (!strcmp(res.verdict, "AC"))
            a = 30, b = 70;
        if (!strcmp(res.verdict, "CE"))
            a = 0, b = 0;
        res.score = a + b;
        res.max_score = 100;
        memset(g, 0, sizeof(g));
        snprintf(g[0].name, sizeof(g[0].name), "sample");
        snprintf(g[1].name, sizeof(g[1].name), "secret");
        g[1].score = a + b, g[1].max_score = 100;
        snprintf(g[2].name, sizeof(g[2].name), "secret/1-small");
        g[2].score = a, g[2].max_score = 30;
        snprintf(g[3].name, sizeof(g[3].name), "secret/2-large");
        g[3].score = b, g[3].max_score = 70;
        if (strcmp(res.verdict, "CE") != 0) {
            res.groups = g;
            res.ngroups = 4;
        }
    }
    must(web_store_job_complete(w->s, w->judge, job.judging_id, &res, now, &err), &err, "complete");
    return 1;
}

static int64_t submit(struct world *w, int64_t t)
{
    struct err err;
    int64_t uid = w->users[rnd(w) % w->nusers];
    int64_t pid = w->problems[rnd(w) % w->nproblems];
    struct web_submission sub = { 0 };
    struct web_participant p;
    sub.user_id = uid;
    sub.problem_id = pid;
    sub.contest_id = w->contest;
    if (w->team_mode && web_store_participant_get(w->s, w->contest, uid, &p, &err) == 0)
        sub.team_id = p.team_id;
    snprintf(sub.language, sizeof(sub.language), "cpp");
    snprintf(sub.filename, sizeof(sub.filename), "sol.cpp");
    memset(sub.source_hash, 'b', WEB_HASH_HEX);
    sub.source_size = 100;
    sub.submitted_at = t;
    must(web_store_submission_create(w->s, &sub, &err), &err, "submission");
    return sub.id;
}

/* Renders the board for three viewers into out. */
static void render_all(struct web_server *srv, struct world *w, struct buf *out)
{
    struct web_board *b = NULL;
    struct err err;
    char team[24];
    must(web_board_acquire(srv, w->s, w->contest, &b, &err), &err, "board");
    int64_t t = w->team_mode ? 0 : w->users[0];
    if (w->team_mode) {
        struct web_participant p;
        must(web_store_participant_get(w->s, w->contest, w->users[0], &p, &err), &err, "participant");
        t = p.team_id;
    }
    web_board_key(t, team);
    const struct web_scoreboard_viewer viewers[] = {
        { WEB_SCOREBOARD_JURY, NULL, 4 * 3600 * 1000 + 60000 },
        { WEB_SCOREBOARD_PUBLIC, NULL, 4 * 3600 * 1000 + 60000 },
        { WEB_SCOREBOARD_TEAM, team, 4 * 3600 * 1000 + 60000 },
        { WEB_SCOREBOARD_PUBLIC, NULL, 6 * 3600 * 1000 },
    };
    for (size_t i = 0; i < sizeof(viewers) / sizeof(viewers[0]); i++) {
        struct web_scoreboard_view *v = NULL;
        must(web_scoreboard_view_new(web_board_scoreboard(b), &viewers[i], &v, &err), &err, "view");
        must(web_scoreboard_render(web_board_scoreboard(b), v, out, &err), &err, "render");
        buf_add(out, "\n", 1);
        web_scoreboard_view_free(v);
    }
    web_board_release(b);
}

static int test_cache(void)
{
    static const struct { enum web_rules rules; int team_mode; const char *tag; } kinds[] = {
        { WEB_RULES_ICPC, 1, "icpc" },
        { WEB_RULES_IOI, 0, "ioi" },
        { WEB_RULES_OI, 1, "oi" },
    };
    char dir[256];
    fixture_tmpdir(dir);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        struct world w;
        struct web_server kept, fresh;
        struct buf a, b;
        struct err err;
        size_t ops = 0, rebuilds_seen = 0;
        CHECK_SECTION(kinds[k].tag);
        world_init(&w, dir, kinds[k].rules, kinds[k].team_mode, 6, 3, kinds[k].tag);
        memset(&kept, 0, sizeof(kept));
        web_boards_new(&kept.boards);
        buf_init(&a, 0);
        buf_init(&b, 0);
        int64_t clock = 2000000000;
        for (int step = 0; step < 400; step++) {
            unsigned op = rnd(&w) % 100;
            int64_t t = w.start + (int64_t)(rnd(&w) % (5 * 3600 + 600)) - 300;  /* a few outside the contest */
            if (op < 45) {
                submit(&w, t);
            } else if (op < 80) {
                judge_one(&w, clock);
            } else if (op < 87) {
                struct web_submission_list l = { 0 };
                struct web_submission_filter f = { .contest_id = w.contest, .status = -1, .limit = 50 };
                must(web_store_submission_list(w.s, &f, &l, &err), &err, "list");
                if (l.n)
                    web_store_rejudge(w.s, l.v[rnd(&w) % l.n].id, &err);
                web_submission_list_release(&l);
            } else if (op < 91) {
                struct web_job job;
                if (web_store_job_claim(w.s, w.judge, 10, clock, &job, &err) == 0)
                    must(web_store_job_expire(w.s, clock + 3600, NULL, &err), &err, "expire");
                clock += 3600;
            } else if (op < 96) {
                struct web_submission_list l = { 0 };
                struct web_submission_filter f = { .contest_id = w.contest, .status = -1, .limit = 50 };
                must(web_store_submission_list(w.s, &f, &l, &err), &err, "list");
                if (l.n) {
                    const struct web_submission *x = &l.v[rnd(&w) % l.n];
                    must(web_store_submission_set_ignored(w.s, x->id, !x->ignored, &err), &err, "ignore");
                }
                web_submission_list_release(&l);
            } else if (w.nusers < 40) {
                char name[64];
                snprintf(name, sizeof(name), "%s-late%zu", kinds[k].tag, w.nusers);
                int64_t uid = fixture_user(w.s, name, WEB_ROLE_CONTESTANT);
                struct web_participant p = { .contest_id = w.contest, .user_id = uid,
                                             .role = WEB_CROLE_PARTICIPANT, .registered_at = 1000 };
                if (w.team_mode) {
                    struct web_team tm = { .contest_id = w.contest, .created_at = 1000 };
                    snprintf(tm.name, sizeof(tm.name), "Late %zu", w.nusers);
                    must(web_store_team_create(w.s, &tm, &err), &err, "team");
                    p.team_id = tm.id;
                }
                must(web_store_participant_put(w.s, &p, &err), &err, "participant");
                w.users[w.nusers++] = uid;
            }
            clock++;
            ops++;
            buf_reset(&a);
            buf_reset(&b);
            render_all(&kept, &w, &a);
            memset(&fresh, 0, sizeof(fresh));
            web_boards_new(&fresh.boards);
            render_all(&fresh, &w, &b);
            web_boards_free(fresh.boards);
            if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0) {
                fprintf(stderr, "step %d (op %u): the cached board differs from a fresh one\n--- cached\n%s\n"
                                "--- fresh\n%s\n", step, op, a.buf, b.buf);
                CHECK(0);
                break;
            }
        }
        {
            struct web_board *bd = NULL;
            must(web_board_acquire(&kept, w.s, w.contest, &bd, &err), &err, "board");
            rebuilds_seen = (size_t)web_board_rebuilds(bd);
            web_board_release(bd);
        }
        /* Incremental most of the time: far fewer rebuilds than steps. */
        fprintf(stderr, "%zu steps, %zu rebuilds\n", ops, rebuilds_seen);
        CHECK(rebuilds_seen < ops / 3);
        /* An idle board is freed and rebuilt, the same, on the next request;
         * a board used recently is kept. */
        {
            struct web_board *bd = NULL;
            buf_reset(&a);
            render_all(&kept, &w, &a);
            int64_t now = web_boards_clock();
            CHECK(web_boards_evict_idle(kept.boards, now, WEB_BOARD_IDLE_SECONDS) == 0);
            must(web_board_acquire(&kept, w.s, w.contest, &bd, &err), &err, "board");
            uint64_t before = web_board_rebuilds(bd);
            web_board_release(bd);
            CHECK(web_boards_evict_idle(kept.boards, now + WEB_BOARD_IDLE_SECONDS, WEB_BOARD_IDLE_SECONDS) == 1);
            buf_reset(&b);
            render_all(&kept, &w, &b);
            CHECK(a.len == b.len && !memcmp(a.buf, b.buf, a.len));
            must(web_board_acquire(&kept, w.s, w.contest, &bd, &err), &err, "board");
            CHECK(web_board_rebuilds(bd) == before + 1);
            web_board_release(bd);
        }
        web_boards_free(kept.boards);
        buf_release(&a);
        buf_release(&b);
        web_store_close(w.s);
    }
    fixture_rmdir(dir);
    return check_done("unit.web.scoreboard_cache");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(void)
{
    char dir[256];
    struct world w;
    struct web_server srv;
    struct buf out;
    struct err err;
    fixture_tmpdir(dir);
    double t0 = now_s();
    world_init(&w, dir, WEB_RULES_ICPC, 1, 1000, 13, "bench");
    must(web_store_tx_begin(w.s, &err), &err, "tx");
    /* In rounds: a claim looks at every queued submission (fair share
     * across users), so judging 100,000 queued at once would be quadratic. */
    int64_t now = 2000000000;
    for (int i = 0; i < 100000; i++) {
        submit(&w, w.start + (int64_t)(rnd(&w) % (5 * 3600)));
        if (i % 500 == 499)
            while (judge_one(&w, now++))
                ;
    }
    must(web_store_tx_commit(w.s, &err), &err, "commit");
    printf("setup: 1000 teams, 13 problems, 100000 judged submissions in %.1f s\n", now_s() - t0);

    memset(&srv, 0, sizeof(srv));
    web_boards_new(&srv.boards);
    buf_init(&out, 0);
    t0 = now_s();
    struct web_board *b = NULL;
    must(web_board_acquire(&srv, w.s, w.contest, &b, &err), &err, "board");
    web_board_release(b);
    printf("cold build (results from storage, the board built): %.1f ms\n", (now_s() - t0) * 1e3);

    const struct web_scoreboard_viewer pub = { WEB_SCOREBOARD_PUBLIC, NULL, 4 * 3600 * 1000 + 60000 };
    int reps = 50;
    double best = 1e9, sum = 0;
    for (int i = 0; i < reps; i++) {
        struct web_scoreboard_view *v = NULL;
        buf_reset(&out);
        double t = now_s();
        must(web_board_acquire(&srv, w.s, w.contest, &b, &err), &err, "board");
        must(web_scoreboard_view_new(web_board_scoreboard(b), &pub, &v, &err), &err, "view");
        must(web_scoreboard_render(web_board_scoreboard(b), v, &out, &err), &err, "render");
        web_scoreboard_view_free(v);
        web_board_release(b);
        double d = now_s() - t;
        sum += d;
        if (d < best)
            best = d;
    }
    printf("warm request (events query + view + JSON, %zu bytes): best %.2f ms, mean %.2f ms\n", out.len,
           best * 1e3, sum / reps * 1e3);

    best = 1e9, sum = 0;
    for (int i = 0; i < reps; i++) {
        submit(&w, w.start + 100);
        judge_one(&w, now++);
        struct web_scoreboard_view *v = NULL;
        buf_reset(&out);
        double t = now_s();
        must(web_board_acquire(&srv, w.s, w.contest, &b, &err), &err, "board");
        must(web_scoreboard_view_new(web_board_scoreboard(b), &pub, &v, &err), &err, "view");
        must(web_scoreboard_render(web_board_scoreboard(b), v, &out, &err), &err, "render");
        web_scoreboard_view_free(v);
        web_board_release(b);
        double d = now_s() - t;
        sum += d;
        if (d < best)
            best = d;
    }
    printf("warm request after one new judged submission: best %.2f ms, mean %.2f ms (rebuilds: %llu)\n",
           best * 1e3, sum / reps * 1e3, (unsigned long long)web_board_rebuilds(b));
    web_boards_free(srv.boards);
    buf_release(&out);
    web_store_close(w.s);
    fixture_rmdir(dir);
    return 0;
}

/* The bench's contest, left running in dir for a real server. */
static int world(const char *dir)
{
    struct world w;
    struct err err;
    int64_t now = (int64_t)time(NULL);
    double t0 = now_s();
    world_start = now - 3 * 3600;
    world_init(&w, dir, WEB_RULES_ICPC, 1, 1000, 13, "bench");
    /* In rounds of 500, as bench() does. On SQLite all in one transaction
     * (a commit is an fsync). On PostgreSQL each round's submissions in one
     * and each claim and judgement in its own, as a server does them: the
     * claim reads the queue's index, whose entries for rows claimed earlier
     * in the same transaction cannot be skipped as dead, so a round in one
     * transaction costs the square of its size. */
    int pg = strcmp(web_store_engine(w.s), "postgresql") == 0;
    if (!pg)
        must(web_store_tx_begin(w.s, &err), &err, "tx");
    for (int i = 0; i < 100000; i++) {
        if (pg && i % 500 == 0)
            must(web_store_tx_begin(w.s, &err), &err, "tx");
        submit(&w, w.start + (int64_t)(rnd(&w) % (3 * 3600)));
        if (i % 500 == 499) {
            if (pg)
                must(web_store_tx_commit(w.s, &err), &err, "commit");
            while (judge_one(&w, now))
                ;
        }
        if (i % 10000 == 9999)
            fprintf(stderr, "%d submissions, %.1f s\n", i + 1, now_s() - t0);
    }
    if (!pg)
        must(web_store_tx_commit(w.s, &err), &err, "commit");
    web_store_close(w.s);
    printf("contest %lld: 1000 teams, 13 problems, 100000 judged submissions in %s\n", (long long)w.contest,
           dir);
    return 0;
}

int main(int argc, char **argv)
{
    log_set_level(LOG_ERROR);
    if (argc == 2 && !strcmp(argv[1], "cache"))
        return test_cache();
    if (argc == 2 && !strcmp(argv[1], "bench"))
        return bench();
    if (argc == 3 && !strcmp(argv[1], "world"))
        return world(argv[2]);
    fprintf(stderr, "usage: web_board_tests cache|bench|world DIR\n");
    return 2;
}
