/*
 * test_storage_queue.c: unit.web.storage_queue_* and
 * unit.web.storage_killed_writer: the judging queue's lease protocol (the
 * oldest job first, only the holder completes, exactly once; expired leases
 * go back; rejudges keep history; a judge gets only its languages),
 * claimers on separate connections in threads and in processes never share
 * a job, and a writer killed mid-way loses nothing it had committed.
 * With CRUCIBLE_TEST_PG set, all of it runs on PostgreSQL (a fresh database
 * per world, storage_fixture.h), forked children included.
 * `web_storage_queue_tests NAME`.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "storage_fixture.h"

struct world {
    char dir[256];
    struct web_store *s;
    int64_t user, problem, judge1, judge2;
};

static void world_open(struct world *w)
{
    fixture_tmpdir(w->dir);
    w->s = fixture_open(w->dir);
    w->user = fixture_user(w->s, "alice", WEB_ROLE_CONTESTANT);
    w->problem = fixture_problem(w->s, "sum");
    w->judge1 = fixture_judge(w->s, "judge-1", NULL);
    w->judge2 = fixture_judge(w->s, "judge-2", NULL);
}

static void world_close(struct world *w)
{
    struct err err;
    CHECK_INT(web_store_check(w->s, &err), ==, 0);
    web_store_close(w->s);
    fixture_rmdir(w->dir);
}

static int64_t submit(struct world *w, int64_t contest_id, int64_t at)
{
    struct err err;
    int64_t id = fixture_submission(w->s, w->user, w->problem, contest_id, at, &err);
    if (id < 0) {
        fprintf(stderr, "cannot submit: %s\n", err.msg);
        exit(1);
    }
    return id;
}

static int complete(struct web_store *s, int64_t judge, int64_t judging, const char *verdict, double score,
                    int64_t now, struct err *err)
{
    struct web_test_result tests[2] = {
        { .name = "sample/1", .verdict = "AC", .time_seconds = 0.01, .wall_seconds = 0.02,
          .memory_bytes = 1 << 20, .score = 0 },
        { .name = "secret/1", .time_seconds = 0.5, .wall_seconds = 0.6, .memory_bytes = 2 << 20,
          .score = score, .message = "expected 3, got 4" },
    };
    snprintf(tests[1].verdict, sizeof(tests[1].verdict), "%s", verdict);
    struct web_judging_result r = { .verdict = verdict, .score = score, .time_seconds = 0.5,
                                    .memory_bytes = 2 << 20, .tests = tests, .ntests = 2 };
    return web_store_job_complete(s, judge, judging, &r, now, err);
}

static int64_t status_of(struct world *w, int64_t submission)
{
    struct web_submission sub;
    struct err err;
    if (web_store_submission_by_id(w->s, submission, &sub, &err) < 0)
        return -1;
    return sub.status;
}

static int64_t host_job(struct world *w, int64_t judge)
{
    struct web_judge_host h;
    struct err err;
    int64_t v = -1;
    if (web_store_judge_host_by_id(w->s, judge, &h, &err) == 0)
        v = h.current_judging_id;
    web_judge_host_release(&h);
    return v;
}

static int test_queue_basic(void)
{
    struct world w;
    struct err err;
    struct web_job job, job2;
    world_open(&w);
    int64_t s1 = submit(&w, 0, 10), s2 = submit(&w, 0, 20), s3 = submit(&w, 0, 30);

    CHECK_SECTION("claims take the oldest queued submission");
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 30, 100, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, s1);
    CHECK_INT(job.judging_id, >, 0);
    CHECK_INT(job.lease_expires, ==, 130);
    CHECK_INT(job.problem_id, ==, w.problem);
    CHECK_INT(job.contest_id, ==, 0);
    CHECK_STR(job.language, "cpp");
    CHECK_STR(job.filename, "sol.cpp");
    CHECK_INT(job.source_size, ==, 100);
    CHECK(job.time_limit == 1.5);
    CHECK_INT(job.memory_limit, ==, 256 << 20);
    CHECK(web_hash_valid(job.package_hash) && web_hash_valid(job.source_hash));
    CHECK_INT(status_of(&w, s1), ==, WEB_SUB_JUDGING);
    CHECK_INT(host_job(&w, w.judge1), ==, job.judging_id);
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 30, 101, &job2, &err), ==, 0);
    CHECK_INT(job2.submission_id, ==, s2);

    CHECK_SECTION("only the holder may heartbeat or complete");
    CHECK_INT(web_store_job_heartbeat(w.s, w.judge2, job.judging_id, 30, 105, &err), ==, WEB_STORE_CONFLICT);
    CHECK(strstr(err.msg, "another judge host") != NULL);
    CHECK_INT(complete(w.s, w.judge2, job.judging_id, "AC", 1, 105, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(status_of(&w, s1), ==, WEB_SUB_JUDGING);

    CHECK_SECTION("completing stores the verdict and the tests, once");
    CHECK_INT(complete(w.s, w.judge1, job.judging_id, "WA", 0, 110, &err), ==, 0);
    CHECK_INT(status_of(&w, s1), ==, WEB_SUB_JUDGED);
    CHECK_INT(host_job(&w, w.judge1), ==, 0);
    struct web_judging j;
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK_INT(j.submission_id, ==, s1);
    CHECK_INT(j.judge_host_id, ==, w.judge1);
    CHECK_INT(j.started_at, ==, 100);
    CHECK_INT(j.finished_at, ==, 110);
    CHECK_STR(j.verdict, "WA");
    CHECK(j.time_seconds == 0.5);
    CHECK_INT(j.memory_bytes, ==, 2 << 20);
    CHECK_STR(j.compile_output_hash, "");
    CHECK_INT(j.valid, ==, 1);
    struct web_test_result_list tl;
    CHECK_INT(web_store_judging_tests(w.s, job.judging_id, &tl, &err), ==, 0);
    CHECK_INT(tl.n, ==, 2);
    if (tl.n == 2) {
        CHECK_INT(tl.v[0].ordinal, ==, 0);
        CHECK_STR(tl.v[0].name, "sample/1");
        CHECK_STR(tl.v[0].verdict, "AC");
        CHECK(tl.v[0].message == NULL);
        CHECK_STR(tl.v[1].name, "secret/1");
        CHECK_STR(tl.v[1].verdict, "WA");
        CHECK_STR(tl.v[1].message, "expected 3, got 4");
        CHECK(tl.v[1].wall_seconds == 0.6);
        CHECK_INT(tl.v[1].memory_bytes, ==, 2 << 20);
    }
    web_test_result_list_release(&tl);
    CHECK_INT(complete(w.s, w.judge1, job.judging_id, "AC", 1, 111, &err), ==, WEB_STORE_CONFLICT);
    CHECK(strstr(err.msg, "already complete") != NULL);
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK_STR(j.verdict, "WA");             /* the second completion changed nothing */
    CHECK_INT(complete(w.s, w.judge1, 999999, "AC", 1, 111, &err), ==, ERR_NOTFOUND);

    CHECK_SECTION("a compile output blob and a bad result");
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 30, 120, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, s3);
    struct web_judging_result ce = { .verdict = "CE", .compile_output_hash = job.source_hash };
    struct web_judging_result bad = { .verdict = "" };
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &bad, 121, &err), ==, ERR_INVALID);
    bad.verdict = "A C";
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &bad, 121, &err), ==, ERR_INVALID);
    struct web_test_result nameless = { .verdict = "AC" };
    bad = (struct web_judging_result){ .verdict = "AC", .tests = &nameless, .ntests = 1 };
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &bad, 121, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &ce, 121, &err), ==, 0);
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK_STR(j.compile_output_hash, job.source_hash);

    CHECK_SECTION("an empty queue, a disabled host");
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 30, 122, &job, &err), ==, ERR_NOTFOUND);
    CHECK_INT(job.judging_id, ==, 0);
    struct web_judge_host h;
    CHECK_INT(web_store_judge_host_by_id(w.s, w.judge1, &h, &err), ==, 0);
    CHECK_INT(h.last_heartbeat, ==, 122);   /* a claim is a sign of life */
    h.enabled = 0;
    CHECK_INT(web_store_judge_host_update(w.s, &h, &err), ==, 0);
    web_judge_host_release(&h);
    submit(&w, 0, 40);
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 30, 123, &job, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_claim(w.s, 4242, 30, 123, &job, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 30, 123, &job, &err), ==, 0);

    CHECK_SECTION("a claim inside a caller's transaction is undone with it");
    int64_t s5 = submit(&w, 0, 50);
    CHECK_INT(web_store_tx_begin(w.s, &err), ==, 0);
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 30, 124, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, s5);
    CHECK_INT(web_store_tx_rollback(w.s, &err), ==, 0);
    CHECK_INT(status_of(&w, s5), ==, WEB_SUB_QUEUED);
    struct web_judging_list jl;
    CHECK_INT(web_store_judgings_of_submission(w.s, s5, &jl, &err), ==, 0);
    CHECK_INT(jl.n, ==, 0);
    web_judging_list_release(&jl);

    world_close(&w);
    return check_done("unit.web.storage_queue_basic");
}

static int test_queue_expire(void)
{
    struct world w;
    struct err err;
    struct web_job job, job2;
    struct web_judging j;
    world_open(&w);
    int64_t s1 = submit(&w, 0, 10);

    CHECK_SECTION("heartbeats extend the lease");
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 10, 100, &job, &err), ==, 0);
    CHECK_INT(job.lease_expires, ==, 110);
    CHECK_INT(web_store_job_heartbeat(w.s, w.judge1, job.judging_id, 10, 105, &err), ==, 0);
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK_INT(j.lease_expires, ==, 115);
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 10, 112, &job2, &err), ==, ERR_NOTFOUND);

    CHECK_SECTION("an expired lease is reclaimed by the next claim");
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 10, 115, &job2, &err), ==, 0);
    CHECK_INT(job2.submission_id, ==, s1);
    CHECK(job2.judging_id != job.judging_id);
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK_INT(j.valid, ==, 0);              /* kept, but no longer in effect */
    CHECK_INT(j.finished_at, ==, 0);
    CHECK_INT(host_job(&w, w.judge1), ==, 0);
    CHECK_INT(host_job(&w, w.judge2), ==, job2.judging_id);

    CHECK_SECTION("the old holder can neither renew nor complete");
    CHECK_INT(web_store_job_heartbeat(w.s, w.judge1, job.judging_id, 10, 116, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(complete(w.s, w.judge1, job.judging_id, "AC", 1, 116, &err), ==, WEB_STORE_CONFLICT);
    CHECK(strstr(err.msg, "cancelled") != NULL);
    CHECK_INT(complete(w.s, w.judge2, job2.judging_id, "AC", 1, 117, &err), ==, 0);
    CHECK_INT(status_of(&w, s1), ==, WEB_SUB_JUDGED);

    CHECK_SECTION("a lease that ran out cannot be used even before anyone expires it");
    int64_t s2 = submit(&w, 0, 20);
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 10, 200, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, s2);
    CHECK_INT(web_store_job_heartbeat(w.s, w.judge1, job.judging_id, 10, 210, &err), ==, WEB_STORE_CONFLICT);
    CHECK(strstr(err.msg, "expired") != NULL);
    CHECK_INT(complete(w.s, w.judge1, job.judging_id, "AC", 1, 210, &err), ==, WEB_STORE_CONFLICT);

    CHECK_SECTION("job_expire puts jobs back");
    int64_t n = -1;
    CHECK_INT(web_store_job_expire(w.s, 209, &n, &err), ==, 0);
    CHECK_INT(n, ==, 0);
    CHECK_INT(status_of(&w, s2), ==, WEB_SUB_JUDGING);
    CHECK_INT(web_store_job_expire(w.s, 210, &n, &err), ==, 0);
    CHECK_INT(n, ==, 1);
    CHECK_INT(status_of(&w, s2), ==, WEB_SUB_QUEUED);
    CHECK_INT(host_job(&w, w.judge1), ==, 0);
    CHECK_INT(web_store_job_expire(w.s, 210, &n, &err), ==, 0);
    CHECK_INT(n, ==, 0);
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 10, 211, &job2, &err), ==, 0);
    CHECK_INT(job2.submission_id, ==, s2);
    CHECK_INT(complete(w.s, w.judge1, job2.judging_id, "TLE", 0, 212, &err), ==, 0);
    struct web_judging_list jl;
    CHECK_INT(web_store_judgings_of_submission(w.s, s2, &jl, &err), ==, 0);
    CHECK_INT(jl.n, ==, 2);
    if (jl.n == 2) {
        CHECK_INT(jl.v[0].valid, ==, 0);
        CHECK_INT(jl.v[1].valid, ==, 1);
        CHECK_STR(jl.v[1].verdict, "TLE");
    }
    web_judging_list_release(&jl);

    world_close(&w);
    return check_done("unit.web.storage_queue_expire");
}

static const char *verdict_of(struct world *w, int64_t contest, int64_t submission, char *out, size_t size)
{
    struct web_contest_result_list rl;
    struct err err;
    snprintf(out, size, "(missing)");
    if (web_store_contest_results(w->s, contest, &rl, &err) == 0)
        for (size_t i = 0; i < rl.n; i++)
            if (rl.v[i].submission_id == submission)
                snprintf(out, size, "%s", rl.v[i].verdict);
    web_contest_result_list_release(&rl);
    return out;
}

static int test_queue_rejudge(void)
{
    struct world w;
    struct err err;
    struct web_job job;
    char v[32];
    world_open(&w);
    struct web_contest c = { 0 };
    snprintf(c.short_name, sizeof(c.short_name), "c1");
    snprintf(c.title, sizeof(c.title), "Contest");
    c.duration = 3600;
    c.rules = WEB_RULES_IOI;
    CHECK_INT(web_store_contest_create(w.s, &c, &err), ==, 0);
    int64_t s1 = submit(&w, c.id, 10);

    CHECK_SECTION("a judged submission");
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 60, 100, &job, &err), ==, 0);
    int64_t first = job.judging_id;
    CHECK_INT(complete(w.s, w.judge1, first, "AC", 100, 101, &err), ==, 0);
    CHECK_STR(verdict_of(&w, c.id, s1, v, sizeof(v)), "AC");

    CHECK_SECTION("a rejudge queues it again and keeps the old judging, invalid");
    CHECK_INT(web_store_rejudge(w.s, s1, &err), ==, 0);
    CHECK_INT(status_of(&w, s1), ==, WEB_SUB_QUEUED);
    CHECK_STR(verdict_of(&w, c.id, s1, v, sizeof(v)), "");
    struct web_judging j;
    CHECK_INT(web_store_judging_by_id(w.s, first, &j, &err), ==, 0);
    CHECK_INT(j.valid, ==, 0);
    CHECK_STR(j.verdict, "AC");
    struct web_test_result_list tl;
    CHECK_INT(web_store_judging_tests(w.s, first, &tl, &err), ==, 0);
    CHECK_INT(tl.n, ==, 2);
    web_test_result_list_release(&tl);

    CHECK_INT(web_store_job_claim(w.s, w.judge2, 60, 200, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, s1);
    int64_t second = job.judging_id;
    CHECK_INT(complete(w.s, w.judge2, second, "WA", 40, 201, &err), ==, 0);
    CHECK_STR(verdict_of(&w, c.id, s1, v, sizeof(v)), "WA");

    CHECK_SECTION("a rejudge while a judge works cancels that judging");
    CHECK_INT(web_store_rejudge(w.s, s1, &err), ==, 0);
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 60, 300, &job, &err), ==, 0);
    int64_t third = job.judging_id;
    CHECK_INT(web_store_rejudge(w.s, s1, &err), ==, 0);
    CHECK_INT(host_job(&w, w.judge1), ==, 0);
    CHECK_INT(complete(w.s, w.judge1, third, "AC", 100, 301, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(web_store_job_heartbeat(w.s, w.judge1, third, 60, 301, &err), ==, WEB_STORE_CONFLICT);
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 60, 302, &job, &err), ==, 0);
    CHECK_INT(complete(w.s, w.judge2, job.judging_id, "RTE", 0, 303, &err), ==, 0);

    CHECK_SECTION("the history: four judgings, one valid");
    struct web_judging_list jl;
    CHECK_INT(web_store_judgings_of_submission(w.s, s1, &jl, &err), ==, 0);
    CHECK_INT(jl.n, ==, 4);
    int valid = 0;
    for (size_t i = 0; i < jl.n; i++)
        valid += jl.v[i].valid;
    CHECK_INT(valid, ==, 1);
    if (jl.n == 4) {
        CHECK_INT(jl.v[0].id, ==, first);
        CHECK_STR(jl.v[0].verdict, "AC");
        CHECK_INT(jl.v[1].id, ==, second);
        CHECK_STR(jl.v[1].verdict, "WA");
        CHECK_INT(jl.v[2].id, ==, third);
        CHECK_STR(jl.v[2].verdict, "");
        CHECK_INT(jl.v[3].valid, ==, 1);
        CHECK_STR(jl.v[3].verdict, "RTE");
    }
    web_judging_list_release(&jl);
    CHECK_STR(verdict_of(&w, c.id, s1, v, sizeof(v)), "RTE");
    CHECK_INT(web_store_rejudge(w.s, 987654, &err), ==, ERR_NOTFOUND);

    world_close(&w);
    return check_done("unit.web.storage_queue_rejudge");
}

/* ---- concurrent claimers ---------------------------------------------------------------------- */

#define CONC_JOBS 200
#define CONC_WORKERS 4

struct worker {
    const char *dir;
    pthread_barrier_t *start;       /* threads: all claim from the same moment */
    int gate;                       /* processes: a pipe that closes when all are forked */
    int64_t judge;
    int64_t got[CONC_JOBS];
    int n;
    int busy;
    int errors;
    char msg[ERR_MSG_MAX];
};

/* Claims and completes until the queue is empty, on its own connection. */
static void work(struct worker *wk)
{
    struct web_store *s = NULL;
    struct err err;
    if (web_store_open(wk->dir, &s, &err) < 0) {
        wk->errors++;
        snprintf(wk->msg, sizeof(wk->msg), "%.400s", err.msg);
        return;
    }
    if (wk->start)
        pthread_barrier_wait(wk->start);
    if (wk->gate >= 0) {
        char c;
        while (read(wk->gate, &c, 1) < 0 && errno == EINTR)
            ;
    }
    for (;;) {
        struct web_job job;
        int rc = web_store_job_claim(s, wk->judge, 600, 1000, &job, &err);
        if (rc == ERR_NOTFOUND)
            break;
        if (rc == WEB_STORE_BUSY) {
            wk->busy++;
            continue;
        }
        if (rc < 0 || wk->n >= CONC_JOBS) {
            wk->errors++;
            snprintf(wk->msg, sizeof(wk->msg), "claim: %.400s", err.msg);
            break;
        }
        wk->got[wk->n++] = job.submission_id;
        usleep(1000);               /* judging: the others claim meanwhile */
        struct web_judging_result r = { .verdict = "AC" };
        do
            rc = web_store_job_complete(s, wk->judge, job.judging_id, &r, 1001, &err);
        while (rc == WEB_STORE_BUSY && ++wk->busy);
        if (rc < 0) {
            wk->errors++;
            snprintf(wk->msg, sizeof(wk->msg), "complete: %.400s", err.msg);
        }
    }
    web_store_close(s);
}

static void *work_thread(void *arg)
{
    work(arg);
    return NULL;
}

/* Every job claimed exactly once across the workers, and once in the database. */
static void check_claims(struct world *w, struct worker *wk, int nworkers, const int64_t *subs)
{
    static int seen[CONC_JOBS];
    struct err err;
    int total = 0, dup = 0, errors = 0, busy = 0, active = 0;
    memset(seen, 0, sizeof(seen));
    for (int i = 0; i < nworkers; i++) {
        total += wk[i].n;
        errors += wk[i].errors;
        busy += wk[i].busy;
        active += wk[i].n > 0;
        if (wk[i].errors)
            fprintf(stderr, "worker %d: %s\n", i, wk[i].msg);
        for (int k = 0; k < wk[i].n; k++) {
            int64_t idx = wk[i].got[k] - subs[0];
            if (idx < 0 || idx >= CONC_JOBS || seen[idx]++)
                dup++;
        }
    }
    fprintf(stderr, "%d workers claimed %d jobs (", nworkers, total);
    for (int i = 0; i < nworkers; i++)
        fprintf(stderr, "%s%d", i ? " + " : "", wk[i].n);
    fprintf(stderr, "), %d busy retries\n", busy);
    CHECK_INT(errors, ==, 0);
    CHECK_INT(dup, ==, 0);
    CHECK_INT(total, ==, CONC_JOBS);
    CHECK_INT(active, >=, 2);               /* or nothing raced */
    int once = 0;
    for (int k = 0; k < CONC_JOBS; k++) {
        struct web_judging_list jl;
        if (web_store_judgings_of_submission(w->s, subs[k], &jl, &err) == 0 && jl.n == 1 &&
            jl.v[0].finished_at == 1001 && status_of(w, subs[k]) == WEB_SUB_JUDGED)
            once++;
        web_judging_list_release(&jl);
    }
    CHECK_INT(once, ==, CONC_JOBS);
}

static int test_queue_concurrent(void)
{
    static struct worker wk[CONC_WORKERS];
    static int64_t subs[CONC_JOBS];
    struct world w;
    struct err err;

    CHECK_SECTION("threads, one connection each");
    world_open(&w);
    for (int k = 0; k < CONC_JOBS; k++)
        subs[k] = submit(&w, 0, k);
    memset(wk, 0, sizeof(wk));
    pthread_t th[CONC_WORKERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CONC_WORKERS);
    for (int i = 0; i < CONC_WORKERS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "thread-%d", i);
        wk[i].dir = w.dir;
        wk[i].start = &start;
        wk[i].gate = -1;
        wk[i].judge = fixture_judge(w.s, name, NULL);
        CHECK_INT(pthread_create(&th[i], NULL, work_thread, &wk[i]), ==, 0);
    }
    for (int i = 0; i < CONC_WORKERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    check_claims(&w, wk, CONC_WORKERS, subs);
    world_close(&w);

    CHECK_SECTION("processes, one connection each");
    world_open(&w);
    for (int k = 0; k < CONC_JOBS; k++)
        subs[k] = submit(&w, 0, k);
    memset(wk, 0, sizeof(wk));
    int fds[CONC_WORKERS][2], gate[2];
    pid_t pids[CONC_WORKERS];
    CHECK_INT(pipe(gate), ==, 0);
    for (int i = 0; i < CONC_WORKERS; i++) {
        char name[32];
        snprintf(name, sizeof(name), "process-%d", i);
        wk[i].dir = w.dir;
        wk[i].gate = gate[0];
        wk[i].judge = fixture_judge(w.s, name, NULL);
    }
    /* The parent's connection stays open but idle across fork; the
     * children open their own, as SQLite and libpq require. */
    for (int i = 0; i < CONC_WORKERS; i++) {
        CHECK_INT(pipe(fds[i]), ==, 0);
        pids[i] = fork();
        if (pids[i] == 0) {
            close(fds[i][0]);
            close(gate[1]);
            work(&wk[i]);
            ssize_t n = write(fds[i][1], &wk[i], sizeof(wk[i]));
            _exit(n == (ssize_t)sizeof(wk[i]) ? 0 : 1);
        }
        close(fds[i][1]);
    }
    close(gate[0]);
    close(gate[1]);                 /* every child's read() returns 0: go */
    for (int i = 0; i < CONC_WORKERS; i++) {
        struct worker back;
        size_t got = 0;
        while (got < sizeof(back)) {
            ssize_t n = read(fds[i][0], (char *)&back + got, sizeof(back) - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        close(fds[i][0]);
        int status = 0;
        waitpid(pids[i], &status, 0);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        CHECK_INT(got, ==, sizeof(back));
        if (got == sizeof(back)) {
            wk[i].n = back.n;
            wk[i].busy = back.busy;
            wk[i].errors = back.errors;
            memcpy(wk[i].got, back.got, sizeof(back.got));
            memcpy(wk[i].msg, back.msg, sizeof(back.msg));
        } else {
            wk[i].errors++;
        }
    }
    check_claims(&w, wk, CONC_WORKERS, subs);
    CHECK_INT(web_store_check(w.s, &err), ==, 0);
    world_close(&w);
    return check_done("unit.web.storage_queue_concurrent");
}

/* ---- a writer killed mid-way ---------------------------------------------------------------------- */

struct report {
    int kind;                       /* 1 committed user, 2 uncommitted user, 3 submission, 4 judged */
    int64_t id;
};

static void report(int fd, int kind, int64_t id)
{
    struct report r = { kind, id };
    if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
        _exit(3);
}

/* Commits users one by one, then starts a transaction, writes more and dies. */
static void child_uncommitted(const char *dir, int fd)
{
    struct web_store *s = NULL;
    struct err err;
    if (web_store_open(dir, &s, &err) < 0)
        _exit(2);
    for (int i = 0; i < 20; i++) {
        char name[32];
        snprintf(name, sizeof(name), "committed%d", i);
        report(fd, 1, fixture_user(s, name, WEB_ROLE_CONTESTANT));
    }
    if (web_store_tx_begin(s, &err) < 0)
        _exit(2);
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof(name), "lost%d", i);
        report(fd, 2, fixture_user(s, name, WEB_ROLE_CONTESTANT));
    }
    _exit(0);                       /* no commit, no close */
}

/* Submits and judges in a loop, reporting each commit, until killed. */
static void child_busy(const char *dir, int64_t user, int64_t problem, int64_t judge, int fd)
{
    struct web_store *s = NULL;
    struct err err;
    if (web_store_open(dir, &s, &err) < 0)
        _exit(2);
    for (int64_t i = 0;; i++) {
        int64_t id = fixture_submission(s, user, problem, 0, i, &err);
        if (id < 0)
            _exit(2);
        report(fd, 3, id);
        if (i % 2 == 0) {
            struct web_job job;
            if (web_store_job_claim(s, judge, 60, 1000 + i, &job, &err) < 0)
                _exit(2);
            if (complete(s, judge, job.judging_id, "AC", 1, 1000 + i, &err) < 0)
                _exit(2);
            report(fd, 4, job.submission_id);
        }
    }
}

static int read_reports(int fd, struct report *out, int max, int stop_after, pid_t kill_pid)
{
    int n = 0;
    while (n < max) {
        ssize_t r = read(fd, &out[n], sizeof(out[n]));
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r != (ssize_t)sizeof(out[n]))
            break;
        if (++n == stop_after && kill_pid > 0)
            kill(kill_pid, SIGKILL);
    }
    return n;
}

static int test_killed_writer(void)
{
    static struct report reps[100000];
    struct world w;
    struct err err;
    int fds[2];

    CHECK_SECTION("a writer that exits inside a transaction");
    world_open(&w);
    web_store_close(w.s);
    CHECK_INT(pipe(fds), ==, 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_uncommitted(w.dir, fds[1]);
    }
    close(fds[1]);
    int n = read_reports(fds[0], reps, 100000, 0, 0);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(n, ==, 220);
    w.s = fixture_open(w.dir);
    int kept = 0, lost = 0;
    for (int i = 0; i < n; i++) {
        struct web_user u;
        int found = web_store_user_by_id(w.s, reps[i].id, &u, &err) == 0;
        if (reps[i].kind == 1)
            kept += found;
        else
            lost += !found;
    }
    CHECK_INT(kept, ==, 20);
    CHECK_INT(lost, ==, 200);
    CHECK_INT(web_store_check(w.s, &err), ==, 0);
    /* The database is writable again: the dead writer's lock is gone. */
    fixture_user(w.s, "after", WEB_ROLE_CONTESTANT);
    world_close(&w);

    CHECK_SECTION("a writer killed at a random moment");
    for (int round = 0; round < 3; round++) {
        world_open(&w);
        web_store_close(w.s);
        CHECK_INT(pipe(fds), ==, 0);
        pid = fork();
        if (pid == 0) {
            close(fds[0]);
            child_busy(w.dir, w.user, w.problem, w.judge1, fds[1]);
        }
        close(fds[1]);
        n = read_reports(fds[0], reps, 100000, 60 + 37 * round, pid);
        close(fds[0]);
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        w.s = fixture_open(w.dir);
        int subs = 0, subs_found = 0, judged = 0, judged_found = 0;
        for (int i = 0; i < n; i++) {
            if (reps[i].kind == 3) {
                subs++;
                subs_found += status_of(&w, reps[i].id) >= 0;
            } else if (reps[i].kind == 4) {
                judged++;
                judged_found += status_of(&w, reps[i].id) == WEB_SUB_JUDGED;
            }
        }
        fprintf(stderr, "round %d: %d submissions and %d judgings reported before the kill\n", round, subs,
                judged);
        CHECK_INT(subs, >, 0);
        CHECK_INT(subs_found, ==, subs);
        CHECK_INT(judged_found, ==, judged);
        /* Whatever the kill interrupted, the queue is consistent: every
         * judging in progress belongs to a submission marked judging. */
        struct web_submission_filter f = { .status = WEB_SUB_JUDGING };
        int64_t judging = -1;
        CHECK_INT(web_store_submission_count(w.s, &f, &judging, &err), ==, 0);
        CHECK_INT(judging, <=, 1);
        world_close(&w);
    }
    return check_done("unit.web.storage_killed_writer");
}

/* Claims by language, hosts by name, and what a result keeps (the fields
 * crucible serve added in schema version 2). */
static int test_queue_languages(void)
{
    struct world w;
    struct err err;
    struct web_job job;
    world_open(&w);
    int64_t cpp1 = submit(&w, 0, 10);
    struct web_submission py = { 0 };
    py.user_id = w.user;
    py.problem_id = w.problem;
    snprintf(py.language, sizeof(py.language), "python3");
    snprintf(py.filename, sizeof(py.filename), "sol.py");
    memset(py.source_hash, 'b', WEB_HASH_HEX);
    py.source_hash[WEB_HASH_HEX] = '\0';
    py.submitted_at = 20;
    CHECK_INT(web_store_submission_create(w.s, &py, &err), ==, 0);
    int64_t cpp2 = submit(&w, 0, 30);

    CHECK_SECTION("a judge gets only submissions in its languages");
    CHECK_INT(web_store_job_claim_for(w.s, w.judge1, "c", 30, 100, &job, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge1, "c,python3", 30, 100, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, py.id);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge2, "java,cpp", 30, 100, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, cpp1);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge2, "cp", 30, 100, &job, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge2, "c,,cpp", 30, 100, &job, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge2, "c'--", 30, 100, &job, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_job_claim_for(w.s, w.judge2, NULL, 30, 100, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, cpp2);

    CHECK_SECTION("a result keeps its max score and the judge's message");
    struct web_judging_result r = { .verdict = "CE", .max_score = 100, .message = "compilation failed" };
    CHECK_INT(web_store_job_complete(w.s, w.judge2, job.judging_id, &r, 110, &err), ==, 0);
    struct web_judging j;
    CHECK_INT(web_store_judging_by_id(w.s, job.judging_id, &j, &err), ==, 0);
    CHECK(j.max_score == 100);
    CHECK_STR(j.message, "compilation failed");
    char long_msg[WEB_MESSAGE_MAX + 2];
    memset(long_msg, 'm', sizeof(long_msg) - 1);
    long_msg[sizeof(long_msg) - 1] = '\0';
    r.message = long_msg;           /* checked before anything else */
    CHECK_INT(web_store_job_complete(w.s, w.judge2, job.judging_id, &r, 111, &err), ==, ERR_LIMIT);
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 30, 120, &job, &err), ==, ERR_NOTFOUND);

    CHECK_SECTION("hosts by name, disabled ones too");
    struct web_judge_host h;
    CHECK_INT(web_store_judge_host_by_name(w.s, "JUDGE-1", &h, &err), ==, 0);
    CHECK_INT(h.id, ==, w.judge1);
    h.enabled = 0;
    CHECK_INT(web_store_judge_host_update(w.s, &h, &err), ==, 0);
    web_judge_host_release(&h);
    CHECK_INT(web_store_judge_host_by_name(w.s, "judge-1", &h, &err), ==, 0);
    CHECK_INT(h.enabled, ==, 0);
    web_judge_host_release(&h);
    CHECK_INT(web_store_judge_host_by_name(w.s, "judge-9", &h, &err), ==, ERR_NOTFOUND);
    CHECK_INT(web_store_judge_host_by_name(w.s, "bad name", &h, &err), ==, ERR_NOTFOUND);

    CHECK_SECTION("problems keep their statement, samples and inferred time limit");
    struct web_problem p;
    CHECK_INT(web_store_problem_by_id(w.s, w.problem, &p, &err), ==, 0);
    CHECK_STR(p.statement_hash, "");
    CHECK_INT(p.time_limit_inferred, ==, 0);
    memset(p.statement_hash, 'c', WEB_HASH_HEX);
    p.statement_hash[WEB_HASH_HEX] = '\0';
    memset(p.samples_hash, 'd', WEB_HASH_HEX);
    p.samples_hash[WEB_HASH_HEX] = '\0';
    p.time_limit_inferred = 1;
    CHECK_INT(web_store_problem_update(w.s, &p, &err), ==, 0);
    struct web_problem q;
    CHECK_INT(web_store_problem_by_id(w.s, w.problem, &q, &err), ==, 0);
    CHECK_STR(q.statement_hash, p.statement_hash);
    CHECK_STR(q.samples_hash, p.samples_hash);
    CHECK_INT(q.time_limit_inferred, ==, 1);
    snprintf(q.statement_hash, sizeof(q.statement_hash), "nothex");
    CHECK_INT(web_store_problem_update(w.s, &q, &err), ==, ERR_INVALID);
    world_close(&w);
    return check_done("unit.web.storage_queue_languages");
}

/* ---- compute budgets and scheduling ------------------------------------------------------------------ */

static int64_t submit_as(struct world *w, int64_t user, int64_t problem, int64_t contest, int64_t team, int64_t at)
{
    struct web_submission sub = { 0 };
    struct err err;
    sub.user_id = user;
    sub.team_id = team;
    sub.problem_id = problem;
    sub.contest_id = contest;
    snprintf(sub.language, sizeof(sub.language), "cpp");
    snprintf(sub.filename, sizeof(sub.filename), "sol.cpp");
    snprintf(sub.source_hash, sizeof(sub.source_hash), "%064llx", (unsigned long long)at);
    sub.submitted_at = at;
    if (web_store_submission_create(w->s, &sub, &err) < 0) {
        fprintf(stderr, "cannot submit: %s\n", err.msg);
        exit(1);
    }
    return sub.id;
}

static int64_t claim_caps(struct world *w, int64_t judge, int64_t gpus, int64_t memory, int64_t cap, int64_t now)
{
    struct web_claim_caps caps = { .languages = "cpp", .gpus = gpus, .memory_bytes = memory,
                                   .max_jobs_per_user = cap };
    struct web_job job;
    struct err err;
    int rc = web_store_job_claim_caps(w->s, judge, &caps, 60, now, &job, &err);
    if (rc == ERR_NOTFOUND)
        return 0;
    return rc < 0 ? rc : job.submission_id;
}

static int test_queue_fair_share(void)
{
    struct world w;
    struct err err;
    world_open(&w);
    int64_t bob = fixture_user(w.s, "bob", WEB_ROLE_CONTESTANT), carol = fixture_user(w.s, "carol",
                                                                                    WEB_ROLE_CONTESTANT);
    int64_t a[6], b[2], c1;
    for (int i = 0; i < 6; i++)
        a[i] = submit_as(&w, w.user, w.problem, 0, 0, 10 + i);     /* alice's burst */
    b[0] = submit_as(&w, bob, w.problem, 0, 0, 20);
    b[1] = submit_as(&w, bob, w.problem, 0, 0, 21);
    c1 = submit_as(&w, carol, w.problem, 0, 0, 22);

    CHECK_SECTION("with nobody judging, the oldest job first");
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, a[0]);
    CHECK_SECTION("then the users with fewer jobs in progress, oldest first");
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, b[0]);
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, c1);
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, a[1]);   /* all at 1: alice's is oldest */
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, b[1]);
    CHECK_SECTION("a user at the cap gets nothing started, even when nobody else has work");
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 100), ==, 0);
    CHECK_INT(status_of(&w, a[2]), ==, WEB_SUB_QUEUED);
    CHECK_SECTION("a finished job frees a place");
    struct web_judging_list jl;
    CHECK_INT(web_store_judgings_of_submission(w.s, a[0], &jl, &err), ==, 0);
    CHECK_INT(jl.n, ==, 1);
    struct web_judging_result r = { .verdict = "AC", .cpu_seconds = 1.5, .gpu_seconds = 0 };
    CHECK_INT(web_store_job_complete(w.s, w.judge1, jl.v[0].id, &r, 101, &err), ==, 0);
    web_judging_list_release(&jl);
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 102), ==, a[2]);
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 2, 102), ==, 0);
    CHECK_SECTION("no cap: the rest of the burst");
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 0, 103), ==, a[3]);
    CHECK_SECTION("the claims without capabilities share fairly too");
    int64_t b3 = submit_as(&w, bob, w.problem, 0, 0, 30);
    struct web_job job;
    CHECK_INT(web_store_job_claim(w.s, w.judge2, 60, 104, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, b3);       /* bob has 2 running, alice 3 */
    CHECK_SECTION("bad capabilities");
    struct web_claim_caps bad = { .gpus = -1 };
    CHECK_INT(web_store_job_claim_caps(w.s, w.judge1, &bad, 60, 105, &job, &err), ==, ERR_INVALID);
    world_close(&w);
    return check_done("unit.web.storage_queue_fair_share");
}

static int test_queue_capabilities(void)
{
    struct world w;
    struct err err;
    world_open(&w);
    int64_t gpu_problem = fixture_problem(w.s, "train");
    int64_t gpus;
    CHECK_INT(web_store_problem_gpus_get(w.s, gpu_problem, &gpus, &err), ==, 0);
    CHECK_INT(gpus, ==, 0);
    CHECK_INT(web_store_problem_gpus_set(w.s, gpu_problem, 2, &err), ==, 0);
    CHECK_INT(web_store_problem_gpus_get(w.s, gpu_problem, &gpus, &err), ==, 0);
    CHECK_INT(gpus, ==, 2);
    CHECK_INT(web_store_problem_gpus_set(w.s, gpu_problem, WEB_GPUS_MAX + 1, &err), ==, ERR_INVALID);
    CHECK_INT(web_store_problem_gpus_set(w.s, 9999, 1, &err), ==, ERR_NOTFOUND);
    int64_t g1 = submit_as(&w, w.user, gpu_problem, 0, 0, 10);
    int64_t c1 = submit_as(&w, w.user, w.problem, 0, 0, 11);

    CHECK_SECTION("a GPU job goes only to a host with enough free GPUs");
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 0, 100), ==, c1);     /* the CPU host skips the older GPU job */
    CHECK_INT(claim_caps(&w, w.judge1, 0, 0, 0, 100), ==, 0);
    CHECK_INT(claim_caps(&w, w.judge2, 1, 0, 0, 100), ==, 0);      /* one GPU is not two */
    struct web_claim_caps caps = { .gpus = 4 };
    struct web_job job;
    CHECK_INT(web_store_job_claim_caps(w.s, w.judge2, &caps, 60, 100, &job, &err), ==, 0);
    CHECK_INT(job.submission_id, ==, g1);
    CHECK_INT(job.gpus, ==, 2);

    CHECK_SECTION("memory: a host that advertises less than the limit gets nothing");
    int64_t c2 = submit_as(&w, w.user, w.problem, 0, 0, 12);
    CHECK_INT(claim_caps(&w, w.judge1, 0, 128 << 20, 0, 101), ==, 0);
    CHECK_INT(claim_caps(&w, w.judge1, 0, (int64_t)256 << 20, 0, 101), ==, c2);
    world_close(&w);
    return check_done("unit.web.storage_queue_capabilities");
}

static int test_compute_usage(void)
{
    struct world w;
    struct err err;
    world_open(&w);
    struct web_contest c = { 0 };
    snprintf(c.short_name, sizeof(c.short_name), "ai");
    snprintf(c.title, sizeof(c.title), "AI");
    c.start_time = 0;
    c.duration = 1000000;
    c.penalty_minutes = 20;
    CHECK_INT(web_store_contest_create(w.s, &c, &err), ==, 0);
    struct web_team t = { .contest_id = c.id, .created_at = 1 };
    snprintf(t.name, sizeof(t.name), "Team");
    CHECK_INT(web_store_team_create(w.s, &t, &err), ==, 0);
    int64_t bob = fixture_user(w.s, "bob", WEB_ROLE_CONTESTANT);

    CHECK_SECTION("quotas: none, then put and read back, replaced");
    struct web_quota q;
    CHECK_INT(web_store_quota_get(w.s, c.id, WEB_QUOTA_USER, &q, &err), ==, ERR_NOTFOUND);
    q = (struct web_quota){ .contest_id = c.id, .scope = WEB_QUOTA_TEAM, .cpu_seconds_total = 100,
                            .gpu_seconds_per_day = 7, .updated_at = 5 };
    CHECK_INT(web_store_quota_put(w.s, &q, &err), ==, 0);
    q.cpu_seconds_total = 200;
    CHECK_INT(web_store_quota_put(w.s, &q, &err), ==, 0);
    struct web_quota back;
    CHECK_INT(web_store_quota_get(w.s, c.id, WEB_QUOTA_TEAM, &back, &err), ==, 0);
    CHECK(back.cpu_seconds_total == 200 && back.gpu_seconds_per_day == 7 && back.cpu_seconds_per_day == 0);
    CHECK_INT(back.scope, ==, WEB_QUOTA_TEAM);
    q.cpu_seconds_per_day = -1;
    CHECK_INT(web_store_quota_put(w.s, &q, &err), ==, ERR_INVALID);

    CHECK_SECTION("usage sums finished judgings per user and team, today and in total");
    int64_t day = 86400 * 10;
    int64_t s1 = submit_as(&w, w.user, w.problem, c.id, t.id, day - 100);
    int64_t s2 = submit_as(&w, bob, w.problem, c.id, t.id, day - 50);
    (void)s1;
    (void)s2;
    struct web_job job;
    struct web_judging_result r = { .verdict = "AC", .cpu_seconds = 3, .gpu_seconds = 10 };
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 60, day - 10, &job, &err), ==, 0);
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &r, day - 5, &err), ==, 0);   /* yesterday */
    r.cpu_seconds = 4;
    r.gpu_seconds = 0;
    CHECK_INT(web_store_job_claim(w.s, w.judge1, 60, day + 10, &job, &err), ==, 0);
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &r, day + 20, &err), ==, 0);
    r.cpu_seconds = -1;
    CHECK_INT(web_store_job_complete(w.s, w.judge1, job.judging_id, &r, day + 20, &err), ==, ERR_INVALID);
    struct web_usage_list l;
    CHECK_INT(web_store_usage(w.s, c.id, WEB_QUOTA_USER, 0, day, &l, &err), ==, 0);
    CHECK_INT(l.n, ==, 2);
    CHECK(l.v[0].id == w.user && l.v[0].cpu_total == 3 && l.v[0].cpu_day == 0 && l.v[0].gpu_total == 10 &&
          l.v[0].gpu_day == 0);
    CHECK(l.v[1].id == bob && l.v[1].cpu_total == 4 && l.v[1].cpu_day == 4);
    web_usage_list_release(&l);
    CHECK_INT(web_store_usage(w.s, c.id, WEB_QUOTA_TEAM, t.id, day, &l, &err), ==, 0);
    CHECK_INT(l.n, ==, 1);
    CHECK(l.v[0].cpu_total == 7 && l.v[0].cpu_day == 4 && l.v[0].gpu_total == 10);
    web_usage_list_release(&l);
    CHECK_SECTION("one that used nothing is a row of zeros");
    int64_t dave = fixture_user(w.s, "dave", WEB_ROLE_CONTESTANT);
    CHECK_INT(web_store_usage(w.s, c.id, WEB_QUOTA_USER, dave, day, &l, &err), ==, 0);
    CHECK(l.n == 1 && l.v[0].id == dave && l.v[0].cpu_total == 0);
    web_usage_list_release(&l);
    world_close(&w);
    return check_done("unit.web.storage_compute_usage");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        { "queue_basic", test_queue_basic },
        { "queue_expire", test_queue_expire },
        { "queue_rejudge", test_queue_rejudge },
        { "queue_languages", test_queue_languages },
        { "queue_concurrent", test_queue_concurrent },
        { "killed_writer", test_killed_writer },
        /* compute budgets and scheduling */
        { "queue_fair_share", test_queue_fair_share },
        { "queue_capabilities", test_queue_capabilities },
        { "compute_usage", test_compute_usage },
    };
    if (argc != 2) {
        fprintf(stderr, "usage: web_storage_queue_tests NAME\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        if (strcmp(tests[i].name, argv[1]) == 0)
            return tests[i].fn();
    fprintf(stderr, "web_storage_queue_tests: no test '%s'\n", argv[1]);
    return 2;
}
