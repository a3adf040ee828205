/*
 * judge.c: compile, run every test case, check, score.
 *
 * How a submission is judged
 * --------------------------
 * Each submission gets a work folder with a tmpfs of its own mounted on it,
 * so nothing a run writes can fill the host's disk, and unmounting it
 * removes everything at once. The sources are compiled there in the
 * sandbox; the compiled folder is then sealed (root-owned, read-only to the
 * runs; links and fifos removed). Every test case runs in a fresh box
 * hard-linked from it, with stdin opened by the sandbox from the package
 * (the test data never enters the box) and stdout captured outside the box.
 * The output is then checked in-process by the default validator, or by the
 * package's output validator or testlib checker, which run in the sandbox
 * too and see the input and answer through read-only binds. Pass-fail
 * problems stop at the first rejected test unless all tests are asked for.
 *
 * Interactive problems start the validator and the submission together,
 * connected by two pipes, and decide as Kattis does: a validator that
 * rejected before the submission ended gives WA whatever the submission did
 * next; else TLE; else a crash (RTE); else the validator's verdict.
 * Multi-pass problems run again on the nextpass.in the validator wrote.
 */
#include "judge_int.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether this is an AddressSanitizer build (gcc says so one way, clang
 * another). */
#if defined(__SANITIZE_ADDRESS__)
#define JDG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JDG_ASAN 1
#endif
#endif
#ifndef JDG_ASAN
#define JDG_ASAN 0
#endif

#define VALIDATOR_ACCEPT 42
#define VALIDATOR_REJECT 43
#define MAX_PASSES 16

const char *jdg_verdict_name(enum jdg_verdict v)
{
    static const char *const names[] = { "AC", "WA", "TLE", "MLE", "OLE", "RTE", "CE", "JE", "PENDING" };
    return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "JE";
}

enum jdg_verdict jdg_verdict_from_prb(enum prb_verdict v)
{
    switch (v) {
    case PRB_VERDICT_AC: return JDG_AC;
    case PRB_VERDICT_WA: return JDG_WA;
    case PRB_VERDICT_TLE: return JDG_TLE;
    case PRB_VERDICT_RTE: return JDG_RTE;
    case PRB_VERDICT_MLE: return JDG_MLE;
    case PRB_VERDICT_OLE: return JDG_OLE;
    case PRB_VERDICT_PENDING: return JDG_PENDING;
    default: return JDG_JE;
    }
}

static enum prb_verdict to_prb(enum jdg_verdict v)
{
    switch (v) {
    case JDG_AC: return PRB_VERDICT_AC;
    case JDG_WA: return PRB_VERDICT_WA;
    case JDG_TLE: return PRB_VERDICT_TLE;
    case JDG_RTE: return PRB_VERDICT_RTE;
    case JDG_MLE: return PRB_VERDICT_MLE;
    case JDG_OLE: return PRB_VERDICT_OLE;
    case JDG_PENDING: return PRB_VERDICT_PENDING;
    default: return PRB_VERDICT_JE;
    }
}

int jdg_judge_new(const struct jdg_languages *langs, struct sbx_context *sbx,
                  struct jdg_judge **out, struct err *err)
{
    (void)err;
    struct jdg_judge *j = calloc(1, sizeof(*j));
    if (!j)
        abort();
    j->langs = langs;
    j->sbx = sbx;
    /* The built-in scorer's box runs this very binary (bound read-only). A
     * binary replaced since it started reads "... (deleted)": the magic link
     * still reaches the running file. */
    ssize_t n = readlink("/proc/self/exe", j->self_exe, sizeof(j->self_exe) - 1);
    if (n <= 0 || (size_t)n >= sizeof(j->self_exe) - 1 || j->self_exe[0] != '/')
        n = 0;
    j->self_exe[n] = '\0';
    if (!n || strstr(j->self_exe, " (deleted)"))
        str_fmt(j->self_exe, sizeof(j->self_exe), "%s", "/proc/self/exe");
    *out = j;
    return 0;
}

void jdg_judge_free(struct jdg_judge *j)
{
    free(j);
}

void jdg_result_release(struct jdg_result *res)
{
    for (size_t i = 0; i < res->ntests; i++) {
        free(res->tests[i].name);
        free(res->tests[i].group);
    }
    free(res->tests);
    for (size_t i = 0; i < res->ngroups; i++)
        free(res->groups[i].name);
    free(res->groups);
    free(res->compile_output);
    memset(res, 0, sizeof(*res));
}

#define INFER_TIME_LIMIT_S 10.0   /* what accepted submissions get while the limit is inferred */

int jdg_problem_infer_time_limit(struct jdg_judge *j, const struct prb_problem *p,
                                 const struct jdg_options *opts, double *tl, double *slowest,
                                 struct err *err)
{
    struct jdg_options o = { 0 };
    if (opts)
        o = *opts;
    o.time_limit = INFER_TIME_LIMIT_S;
    o.samples_only = 0;
    *slowest = 0;
    char dir[JDG_PATH_MAX];
    if (str_fmt(dir, sizeof(dir), "%s/submissions/accepted", p->root) < 0)
        return err_set(err, ERR_LIMIT, "package path too long");
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    int judged = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        char path[JDG_PATH_MAX];
        char *files[JDG_MAX_FILES];
        size_t nfiles = 0;
        const struct jdg_language *lang = NULL;
        if (rc == 0 && names[i]->d_name[0] != '.' &&
            str_fmt(path, sizeof(path), "%s/%s", dir, names[i]->d_name) == 0 &&
            jdg_source_files(j->langs, path, files, &nfiles, &lang) == 0 && lang && lang->gpus == 0 &&
            !JDG_LANGUAGE_IS_DATA(lang) && !(p->ai && p->ai->gpus > 0)) {
            struct jdg_submission sub = { .files = (const char *const *)files, .nfiles = nfiles, .lang = lang };
            struct jdg_result r;
            if (jdg_submission_judge(j, p, &sub, &o, &r, err) < 0) {
                rc = -1;
            } else if (r.verdict != JDG_AC) {
                rc = err_set(err, ERR_INVALID, "accepted/%s is not accepted (%s) with a %.0f s limit",
                             names[i]->d_name, jdg_verdict_name(r.verdict), INFER_TIME_LIMIT_S);
            } else {
                judged++;
                /* Compare in the problem's own terms, before the language's multiplier. */
                if (r.time_seconds / lang->time_multiplier > *slowest)
                    *slowest = r.time_seconds / lang->time_multiplier;
            }
            jdg_result_release(&r);
        }
        for (size_t k = 0; k < nfiles; k++)
            free(files[k]);
        free(names[i]);
    }
    free(names);
    if (rc < 0)
        return rc;
    if (!judged)
        return err_set(err, ERR_INVALID, "no time limit is given and submissions/accepted/ has no "
                       "submission this judge can run to compute one");
    return prb_time_limit_compute(p, *slowest, INFINITY, tl, err);
}

/* One submission being judged. */
struct judging {
    struct jdg_judge *j;
    const struct prb_problem *p;
    const struct jdg_options *o;
    const struct jdg_language *lang;
    struct jdg_result *res;
    char work[JDG_PATH_MAX];
    int mounted;
    char compiled[JDG_PATH_MAX];
    char main[256];
    struct jdg_program checker;
    int have_checker;
    struct jdg_limits run_lim;
    struct jdg_limits val_lim;
    char bind_store[SBX_MAX_BINDS][JDG_PATH_MAX];   /* the language's binds, for runs */
};

static void wpath(const struct judging *g, char *out, const char *name)
{
    str_fmt(out, JDG_PATH_MAX, "%s/%s", g->work, name);
}

static void set_message(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_message(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, JDG_MESSAGE_MAX, fmt, ap);
    va_end(ap);
}

static enum jdg_verdict verdict_of_run(const struct sbx_result *r)
{
    switch (r->status) {
    case SBX_OK: return JDG_AC;
    case SBX_TIME_LIMIT:
    case SBX_WALL_LIMIT: return JDG_TLE;
    case SBX_MEMORY_LIMIT: return JDG_MLE;
    case SBX_OUTPUT_LIMIT: return JDG_OLE;
    case SBX_RUNTIME_ERROR:
    case SBX_SIGNALED: return JDG_RTE;
    default: return JDG_JE;
    }
}

/* Reads a small text file the validator wrote; keeps the first line(s). */
static void read_feedback(const char *path, char *out, size_t size)
{
    struct buf b;
    buf_init(&b, 0);
    if (jdg_read_capped(path, size - 1, &b, NULL) == 0)
        jdg_feedback_text(b.buf, b.len, out, size);
    buf_release(&b);
}

/* ---- security: the parsers of what validators and scorers write, for
 * tests/fuzz/fuzz_checker_output.c (judge_int.h) ---- */

void jdg_feedback_text(const char *data, size_t n, char *out, size_t size)
{
    while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
        n--;
    if (n > size - 1)
        n = size - 1;
    str_fmt(out, size, "%.*s", (int)n, data);
    for (char *c = out; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\n')
            *c = ' ';
}

int jdg_score_text_parse(const char *text, double *score)
{
    if (!text[0])
        return 0;
    char *end;
    double v = strtod(text, &end);
    while (*end == ' ' || *end == '\n')
        end++;
    if (*end || !isfinite(v))
        return -1;
    *score = v;
    return 1;
}

int jdg_testlib_points(const char *message, double *points)
{
    const char *s = strstr(message, "points");
    char *end;
    double v = s ? strtod(s + 6, &end) : NAN;
    if (!isfinite(v))
        return -1;
    *points = v;
    return 0;
}

/* Adds the first line of a validator's stderr to a judge-error message. */
static void append_stderr(char *msg, const char *path)
{
    char line[200] = "";
    read_feedback(path, line, sizeof(line));
    line[strcspn(line, "\n")] = '\0';
    size_t n = strlen(msg);
    if (line[0] && n + 3 < JDG_MESSAGE_MAX)
        str_fmt(msg + n, JDG_MESSAGE_MAX - n, ": %s", line);
}

static int read_score(const char *path, double *score)
{
    char text[64] = "";
    read_feedback(path, text, sizeof(text));
    return jdg_score_text_parse(text, score);
}

/* A validator's score.txt (a score) or score_multiplier.txt (2023-07 and
 * later: a fraction of the case's maximum), into the case's result. */
static void feedback_score(const char *feedback, struct jdg_test_result *t, struct prb_case_result *cr, int use)
{
    static const struct { const char *file; enum prb_score_kind kind; } files[] = {
        { "score.txt", PRB_SCORE_VALUE }, { "score_multiplier.txt", PRB_SCORE_MULTIPLIER },
    };
    for (size_t i = 0; i < 2; i++) {
        char path[JDG_PATH_MAX];
        double score;
        str_fmt(path, sizeof(path), "%s/%s", feedback, files[i].file);
        int has = read_score(path, &score);
        if (has < 0) {
            t->verdict = JDG_JE;
            set_message(t->message, "%s does not hold a number", files[i].file);
            return;
        }
        if (has > 0 && use) {
            cr->score_kind = files[i].kind;
            cr->score = score;
            t->score = score;
        }
    }
}

/* Configures a package validator or checker run in a fresh box, with the
 * input, answer and (optionally) team output and feedback folder bound in. */
static int checker_config(struct judging *g, const char *box, const struct prb_testcase *tc,
                          const char *in_path, const char *team_out, const char *feedback,
                          const char *const *tail, struct prb_strv *argv, struct sbx_config *cfg,
                          struct err *err)
{
    jdg_rmtree(box);
    sbx_config_init(cfg);
    if (jdg_program_config(&g->checker, box, &g->val_lim, NULL, argv, cfg, err) < 0)
        return -1;
    for (size_t i = 0; tail[i]; i++)
        jdg_strv_push(argv, tail[i]);
    if (tc)
        for (size_t i = 0; i < tc->output_validator_args.n; i++)
            jdg_strv_push(argv, tc->output_validator_args.v[i]);
    cfg->argv = (const char *const *)argv->v;
    cfg->processes = 16;
    cfg->fd_limit = 256;
    struct sbx_bind *b = cfg->binds;
    b[cfg->nbinds++] = (struct sbx_bind){ .host = in_path, .inside = "/judge/input" };
    b[cfg->nbinds++] = (struct sbx_bind){ .host = tc->ans_path, .inside = "/judge/answer" };
    if (team_out)
        b[cfg->nbinds++] = (struct sbx_bind){ .host = team_out, .inside = "/judge/output" };
    if (feedback)
        b[cfg->nbinds++] = (struct sbx_bind){ .host = feedback, .inside = "/judge/feedback", .writable = 1 };
    return 0;
}

/* The judge's view of a validator's exit: accepted, rejected, or broken. */
static enum jdg_verdict validator_verdict(const struct sbx_result *r, char *msg)
{
    if (r->status == SBX_RUNTIME_ERROR && r->exit_code == VALIDATOR_ACCEPT)
        return JDG_AC;
    if (r->status == SBX_RUNTIME_ERROR && r->exit_code == VALIDATOR_REJECT)
        return JDG_WA;
    set_message(msg, "output validator failed: %s (exit code %d, signal %d)", sbx_status_name(r->status),
                r->exit_code, r->signal);
    return JDG_JE;
}

/* Checks team_out against the test case; fills verdict, score and message. */
static void check_output(struct judging *g, const struct prb_testcase *tc, const char *in_path,
                         const char *team_out, struct jdg_test_result *t, struct prb_case_result *cr,
                         char *nextpass)
{
    struct err err = { 0 };
    if (nextpass)
        nextpass[0] = '\0';
    if (g->p->checker == PRB_CHECKER_DEFAULT) {
        struct prb_validator_flags flags;
        if (prb_validator_flags_parse(&tc->output_validator_args, &flags, &err) < 0) {
            t->verdict = JDG_JE;
            set_message(t->message, "bad validator flags: %s", err.msg);
            return;
        }
        struct buf ans, out;
        buf_init(&ans, (size_t)JDG_ANSWER_MAX_BYTES);
        buf_init(&out, (size_t)g->run_lim.output + 1);
        int trunc = 0;
        if (jdg_read_capped(tc->ans_path, (size_t)JDG_ANSWER_MAX_BYTES, &ans, NULL) < 0 ||
            jdg_read_capped(team_out, (size_t)g->run_lim.output, &out, &trunc) < 0) {
            t->verdict = JDG_JE;
            set_message(t->message, "cannot read the output or the answer");
        } else {
            struct prb_check_result cres;
            prb_default_validate(ans.buf, ans.len, out.buf, out.len, &flags, &cres);
            t->verdict = cres.accepted ? JDG_AC : JDG_WA;
            set_message(t->message, "%s", cres.message);
        }
        buf_release(&ans);
        buf_release(&out);
        return;
    }

    char box[JDG_PATH_MAX], feedback[JDG_PATH_MAX], errpath[JDG_PATH_MAX];
    wpath(g, box, "checker-box");
    wpath(g, feedback, "feedback");
    wpath(g, errpath, "checker.err");
    struct prb_strv argv = { 0 };
    struct sbx_config cfg;
    struct sbx_result r;
    int testlib = g->p->checker == PRB_CHECKER_TESTLIB;
    const char *kattis_tail[] = { "/judge/input", "/judge/answer", "/judge/feedback/", NULL };
    const char *testlib_tail[] = { "/judge/input", "/judge/output", "/judge/answer", NULL };
    if (checker_config(g, box, tc, tc->in_path, testlib ? team_out : NULL, testlib ? NULL : feedback,
                       testlib ? testlib_tail : kattis_tail, &argv, &cfg, &err) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "%s", err.msg);
        jdg_strv_release(&argv);
        return;
    }
    if (!testlib)
        cfg.stdin_path = team_out;
    cfg.stderr_path = errpath;   /* testlib writes its verdict line there */
    sbx_run(g->j->sbx, &cfg, &r);
    g->res->cpu_seconds_total += r.cpu_seconds;
    jdg_strv_release(&argv);

    if (testlib) {
        /* testlib: 0 ok, 1 wrong answer, 2 presentation error (wrong answer
         * here), 3 checker failure, 7 points (score on stderr). */
        read_feedback(errpath, t->message, sizeof(t->message));
        int code = r.status == SBX_OK ? 0 : r.status == SBX_RUNTIME_ERROR ? r.exit_code : -1;
        if (code == 0) {
            t->verdict = JDG_AC;
        } else if (code == 1 || code == 2) {
            t->verdict = JDG_WA;
        } else if (code == 7) {
            double v;
            if (jdg_testlib_points(t->message, &v) < 0) {
                t->verdict = JDG_JE;
                set_message(t->message, "testlib checker gave points without a number");
            } else {
                t->verdict = JDG_AC;
                cr->score_kind = PRB_SCORE_VALUE;
                cr->score = v;
                t->score = v;
            }
        } else {
            t->verdict = JDG_JE;
            char m[JDG_MESSAGE_MAX];
            str_fmt(m, sizeof(m), "%s", t->message);
            set_message(t->message, "checker failed (%s, exit code %d): %.300s", sbx_status_name(r.status),
                        r.exit_code, m);
        }
        return;
    }

    char jm[JDG_PATH_MAX], np[JDG_PATH_MAX];
    str_fmt(jm, sizeof(jm), "%s/judgemessage.txt", feedback);
    str_fmt(np, sizeof(np), "%s/nextpass.in", feedback);
    t->verdict = validator_verdict(&r, t->message);
    if (t->verdict != JDG_JE)
        read_feedback(jm, t->message, sizeof(t->message));
    else
        append_stderr(t->message, errpath);
    feedback_score(feedback, t, cr, 1);
    if (nextpass && access(np, F_OK) == 0) {
        if (t->verdict == JDG_AC) {
            str_fmt(nextpass, JDG_PATH_MAX, "%s", np);
        } else if (t->verdict != JDG_JE) {
            t->verdict = JDG_JE;   /* the spec: nextpass.in only with an accept */
            set_message(t->message, "the output validator wrote nextpass.in but did not accept");
        }
    }
}

/* Gives a run that needs `need` GPUs the ones this judging holds (all of
 * them: the daemon grants exactly what the job needs), or GPUs 0..need-1
 * when the caller named none (`judge run`). */
static int grant_gpus(const struct judging *g, int need, struct sbx_config *cfg, struct err *err)
{
    if (need <= 0)
        return 0;
    if (need > SBX_MAX_GPUS)
        return err_set(err, ERR_LIMIT, "the run needs %d GPUs; at most %d are supported", need, SBX_MAX_GPUS);
    if (g->o && g->o->gpus) {
        if (g->o->ngpus < (size_t)need)
            return err_set(err, ERR_LIMIT, "the run needs %d GPU(s); this judging holds %zu", need, g->o->ngpus);
        for (size_t k = 0; k < g->o->ngpus && cfg->ngpus < SBX_MAX_GPUS; k++)
            cfg->gpus[cfg->ngpus++] = g->o->gpus[k];
        return 0;
    }
    for (int k = 0; k < need; k++)
        cfg->gpus[cfg->ngpus++] = k;
    return 0;
}

/* Copies the compiled submission into a fresh box and configures its run. */
static int submission_config(struct judging *g, const struct prb_testcase *tc, const char *box,
                             struct prb_strv *argv, struct sbx_config *cfg, struct err *err)
{
    jdg_rmtree(box);
    sbx_config_init(cfg);
    if (jdg_copy_tree(g->compiled, box, err) < 0)
        return -1;
    /* A test case's .files folder goes into the working folder (the spec). */
    if (tc->files_dir && jdg_copy_tree(tc->files_dir, box, err) < 0)
        return -1;
    const char *none[1] = { NULL };
    jdg_expand(&g->lang->run, none, 0, g->main, g->run_lim.memory >> 20, argv);
    for (size_t i = 0; i < tc->args.n; i++)
        jdg_strv_push(argv, tc->args.v[i]);
    cfg->argv = (const char *const *)argv->v;
    cfg->box = box;
    cfg->time_limit = g->run_lim.time;
    cfg->memory_limit = g->run_lim.memory;
    cfg->output_limit = g->run_lim.output;
    cfg->processes = g->run_lim.processes;
    cfg->fd_limit = 64;
    if (grant_gpus(g, g->lang->gpus, cfg, err) < 0)
        return -1;
    jdg_language_binds(g->lang, cfg, g->bind_store);   /* a runtime outside /usr */
    return 0;
}

static void record_run(struct jdg_test_result *t, const struct sbx_result *r, struct jdg_result *res,
                       size_t ngpus)
{
    res->gpu_seconds += r->wall_seconds * (double)ngpus;
    t->time_seconds += r->cpu_seconds;
    t->wall_seconds += r->wall_seconds;
    if (r->memory_bytes > t->memory_bytes)
        t->memory_bytes = r->memory_bytes;
    res->cpu_seconds_total += r->cpu_seconds;
}

/* One pass of a non-interactive test case. */
static void run_plain(struct judging *g, const struct prb_testcase *tc, const char *in_path,
                      struct jdg_test_result *t, struct prb_case_result *cr, char *nextpass)
{
    char box[JDG_PATH_MAX], out[JDG_PATH_MAX], errp[JDG_PATH_MAX];
    wpath(g, box, "box");
    wpath(g, out, "team.out");
    wpath(g, errp, "team.err");
    struct prb_strv argv = { 0 };
    struct sbx_config cfg;
    struct err err = { 0 };
    if (submission_config(g, tc, box, &argv, &cfg, &err) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "%s", err.msg);
        jdg_strv_release(&argv);
        return;
    }
    cfg.stdin_path = in_path;
    cfg.stdout_path = out;
    cfg.stderr_path = errp;
    struct sbx_result r;
    sbx_run(g->j->sbx, &cfg, &r);
    jdg_strv_release(&argv);
    record_run(t, &r, g->res, cfg.ngpus);
    t->verdict = verdict_of_run(&r);
    if (t->verdict == JDG_JE)
        set_message(t->message, "sandbox error: %s", r.message);
    else if (t->verdict == JDG_AC)
        check_output(g, tc, in_path, out, t, cr, nextpass);
    jdg_rmtree(box);
}

/*
 * The submission's output reaches the validator through this relay thread
 * rather than a direct pipe. The moment the relay reads the submission's
 * end-of-file is when the submission stopped talking; a validator can only
 * react to that end-of-file after the relay passed it on, so "the validator
 * rejected before the submission ended" is decided by causality, not by
 * which process the scheduler happened to reap first. The relay also caps
 * the output (the submission's stdout is a pipe: no RLIMIT_FSIZE there).
 */
struct relay {
    int in;                     /* the submission's stdout (read end) */
    int out;                    /* the validator's stdin (write end) */
    uint64_t limit;
    uint64_t bytes;
    int over;
    struct timespec eof;
};

static void *relay_main(void *arg)
{
    struct relay *rl = arg;
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);   /* EPIPE instead of a signal */
    char chunk[65536];
    for (;;) {
        ssize_t n = read(rl->in, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        rl->bytes += (uint64_t)n;
        if (rl->bytes > rl->limit)
            rl->over = 1;
        for (ssize_t off = 0; rl->out >= 0 && !rl->over && off < n;) {
            ssize_t w = write(rl->out, chunk + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {               /* the validator is gone: keep draining */
                close(rl->out);
                rl->out = -1;
                break;
            }
            off += w;
        }
        if (rl->over && rl->out >= 0) {
            close(rl->out);
            rl->out = -1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &rl->eof);
    if (rl->out >= 0)
        close(rl->out);
    rl->out = -1;
    return NULL;
}

/* One pass of an interactive test case. */
static void run_interactive(struct judging *g, const struct prb_testcase *tc, const char *in_path,
                            struct jdg_test_result *t, struct prb_case_result *cr, char *nextpass)
{
    char box[JDG_PATH_MAX], vbox[JDG_PATH_MAX], feedback[JDG_PATH_MAX], errp[JDG_PATH_MAX],
        verr[JDG_PATH_MAX];
    wpath(g, box, "box");
    wpath(g, vbox, "checker-box");
    wpath(g, feedback, "feedback");
    wpath(g, errp, "team.err");
    wpath(g, verr, "checker.err");
    nextpass[0] = '\0';

    struct prb_strv sargv = { 0 }, vargv = { 0 };
    struct sbx_config scfg, vcfg;
    struct err err = { 0 };
    int to_team[2] = { -1, -1 }, from_team[2] = { -1, -1 }, to_val[2] = { -1, -1 };
    struct sbx_run *sub = NULL, *val = NULL;
    struct relay rl = { .in = -1, .out = -1, .limit = g->run_lim.output };
    pthread_t relay_thread;
    int relay_started = 0;
    const char *tail[] = { "/judge/input", "/judge/answer", "/judge/feedback/", NULL };
    if (submission_config(g, tc, box, &sargv, &scfg, &err) < 0 ||
        checker_config(g, vbox, tc, tc->in_path, NULL, feedback, tail, &vargv, &vcfg, &err) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "%s", err.msg);
        goto out;
    }
    if (pipe2(to_team, O_CLOEXEC) < 0 || pipe2(from_team, O_CLOEXEC) < 0 || pipe2(to_val, O_CLOEXEC) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "cannot create pipes: %s", strerror(errno));
        goto out;
    }
    /* The validator gets as long as the submission, and a little more. */
    vcfg.time_limit = g->val_lim.time > scfg.time_limit ? g->val_lim.time : scfg.time_limit;
    vcfg.wall_limit = 2 * scfg.time_limit + 3;
    vcfg.stdin_fd = to_val[0];
    vcfg.stdout_fd = to_team[1];
    vcfg.stderr_path = verr;
    scfg.stdin_fd = to_team[0];
    scfg.stdout_fd = from_team[1];
    scfg.stderr_path = errp;
    if (sbx_run_start(g->j->sbx, &vcfg, &val, &err) < 0 || sbx_run_start(g->j->sbx, &scfg, &sub, &err) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "cannot start: %s", err.msg);
        if (val) {
            sbx_run_kill(val);
            struct sbx_result ignored;
            sbx_run_wait(val, &ignored);
            val = NULL;
        }
        goto out;
    }
    /* Only the runs and the relay may hold the pipes, so each side sees the
     * other's end. */
    rl.in = from_team[0];
    rl.out = to_val[1];
    from_team[0] = to_val[1] = -1;
    for (int i = 0; i < 2; i++) {
        if (to_team[i] >= 0)
            close(to_team[i]);
        to_team[i] = -1;
    }
    close(from_team[1]);
    close(to_val[0]);
    from_team[1] = to_val[0] = -1;
    if (pthread_create(&relay_thread, NULL, relay_main, &rl) != 0) {
        close(rl.in);
        close(rl.out);
        rl.in = rl.out = -1;   /* both runs now see end-of-file and end */
    } else {
        relay_started = 1;
    }
    struct sbx_run *both[2] = { sub, val };
    int first = sbx_run_wait_any(both, 2);
    struct sbx_result sr, vr;
    if (first == 1) {
        sbx_run_wait(val, &vr);
        sbx_run_wait(sub, &sr);
    } else {
        sbx_run_wait(sub, &sr);
        sbx_run_wait(val, &vr);
    }
    sub = val = NULL;
    if (relay_started) {
        pthread_join(relay_thread, NULL);
        relay_started = 0;
    } else {
        clock_gettime(CLOCK_MONOTONIC, &rl.eof);
    }
    if (rl.in >= 0)
        close(rl.in);
    record_run(t, &sr, g->res, scfg.ngpus);
    g->res->cpu_seconds_total += vr.cpu_seconds;

    char vmsg[JDG_MESSAGE_MAX] = "";
    enum jdg_verdict vv = validator_verdict(&vr, vmsg);
    enum jdg_verdict sv = verdict_of_run(&sr);
    if (rl.over && sv != JDG_TLE)
        sv = JDG_OLE;
    double eof = (double)rl.eof.tv_sec + (double)rl.eof.tv_nsec / 1e9;
    if (vv == JDG_JE) {
        t->verdict = JDG_JE;             /* a broken validator is never the contestant's fault */
    } else if (vv == JDG_WA && vr.ended_at < eof) {
        t->verdict = JDG_WA;             /* rejected while the submission was still talking */
    } else if (sv == JDG_TLE || sv == JDG_RTE || sv == JDG_MLE || sv == JDG_OLE) {
        t->verdict = sv;
    } else if (sv == JDG_JE) {
        t->verdict = JDG_JE;
        set_message(t->message, "sandbox error: %s", sr.message);
        goto out;
    } else {
        t->verdict = vv;
    }
    if (vv == JDG_JE && t->verdict == JDG_JE) {
        set_message(t->message, "%s", vmsg);
        append_stderr(t->message, verr);
        goto out;
    }
    char jm[JDG_PATH_MAX], np[JDG_PATH_MAX];
    str_fmt(jm, sizeof(jm), "%s/judgemessage.txt", feedback);
    str_fmt(np, sizeof(np), "%s/nextpass.in", feedback);
    read_feedback(jm, t->message, sizeof(t->message));
    feedback_score(feedback, t, cr, t->verdict == JDG_AC);
    if ((g->p->type & PRB_TYPE_MULTI_PASS) && access(np, F_OK) == 0) {
        if (vv == JDG_AC && t->verdict == JDG_AC) {
            str_fmt(nextpass, JDG_PATH_MAX, "%s", np);
        } else if (vv != JDG_AC) {
            t->verdict = JDG_JE;
            set_message(t->message, "the output validator wrote nextpass.in but did not accept");
        }
    }
out:
    for (int i = 0; i < 2; i++) {
        if (to_team[i] >= 0)
            close(to_team[i]);
        if (from_team[i] >= 0)
            close(from_team[i]);
        if (to_val[i] >= 0)
            close(to_val[i]);
    }
    jdg_strv_release(&sargv);
    jdg_strv_release(&vargv);
    jdg_rmtree(box);
}

/* Runs one test case (all its passes) and fills t and cr. */
static void run_case(struct judging *g, const struct prb_testcase *tc, struct jdg_test_result *t,
                     struct prb_case_result *cr)
{
    int interactive = (g->p->type & PRB_TYPE_INTERACTIVE) != 0;
    int multi = (g->p->type & PRB_TYPE_MULTI_PASS) != 0;
    int passes = multi ? (int)(g->p->limits.validation_passes > 0 ? g->p->limits.validation_passes : 2) : 1;
    if (passes > MAX_PASSES)
        passes = MAX_PASSES;
    char in_path[JDG_PATH_MAX], next[JDG_PATH_MAX], feedback[JDG_PATH_MAX];
    /* The feedback folder lives for the whole test case: the spec keeps its
     * files across the passes of a multi-pass problem. */
    wpath(g, feedback, "feedback");
    jdg_rmtree(feedback);
    mkdir(feedback, 0777);
    chmod(feedback, 0777);   /* writable by whichever uid the validator's run gets */
    /* The submission reads a copy under a neutral name: through
     * /proc/self/fd/0 it could otherwise learn the package's path and the
     * test's name. */
    wpath(g, in_path, "input");
    struct err cerr = { 0 };
    if (jdg_copy_file(tc->in_path, in_path, 0644, JDG_ANSWER_MAX_BYTES, &cerr) < 0) {
        t->verdict = JDG_JE;
        set_message(t->message, "cannot prepare the input: %s", cerr.msg);
        return;
    }
    for (int pass = 0; pass < passes; pass++) {
        if (interactive)
            run_interactive(g, tc, in_path, t, cr, next);
        else
            run_plain(g, tc, in_path, t, cr, multi ? next : NULL);
        if (t->verdict != JDG_AC || !multi || !next[0])
            return;
        if (pass + 1 == passes) {
            t->verdict = JDG_JE;
            set_message(t->message, "the validator asked for more than %d passes", passes);
            return;
        }
        /* The next pass reads what the validator wrote. nextpass.in leaves
         * the feedback folder; the rest stays, opened up for the next
         * validator run, which may get another uid. */
        char copy[JDG_PATH_MAX];
        str_fmt(copy, sizeof(copy), "%s/pass-%d.in", g->work, pass + 1);
        struct err err = { 0 };
        if (jdg_copy_file(next, copy, 0644, JDG_ANSWER_MAX_BYTES, &err) < 0 || unlink(next) < 0 ||
            jdg_open_tree(feedback, &err) < 0) {
            t->verdict = JDG_JE;
            set_message(t->message, "%s", err.msg[0] ? err.msg : "cannot prepare the next pass");
            return;
        }
        str_fmt(in_path, sizeof(in_path), "%s", copy);
    }
}

static int in_sample(const struct prb_problem *p, const struct prb_testcase *tc)
{
    for (const struct prb_group *gr = tc->group; gr; gr = gr->parent)
        if (gr == p->sample)
            return 1;
    return !strncmp(tc->name, "sample/", 7);
}

static int open_work(struct judging *g, struct err *err)
{
    const char *parent = g->o && g->o->work_dir ? g->o->work_dir : "/run/crucible/judge";
    if (jdg_mkdirs(parent, 0700) < 0)
        return err_sys(err, "cannot create the work folder '%s'", parent);
    /* Every path below the work folder must fit JDG_PATH_MAX. */
    if (strlen(parent) > JDG_PATH_MAX - 128 || str_fmt(g->work, sizeof(g->work), "%s/sub-XXXXXX", parent) < 0)
        return err_set(err, ERR_LIMIT, "work folder path too long");
    if (!mkdtemp(g->work))
        return err_sys(err, "cannot create a work folder in '%s'", parent);
    /* A tmpfs of its own bounds what the runs can write, and goes at once. */
    char opts[64];
    uint64_t size = ((uint64_t)1 << 30) + 4 * g->run_lim.output;
    str_fmt(opts, sizeof(opts), "size=%llu,mode=0700", (unsigned long long)size);
    if (mount("crucible-judge", g->work, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
        int rc = err_sys(err, "cannot mount the work tmpfs on '%s'", g->work);
        rmdir(g->work);
        g->work[0] = '\0';
        return rc;
    }
    g->mounted = 1;
    return 0;
}

static void close_work(struct judging *g)
{
    if (!g->work[0])
        return;
    if (g->mounted)
        umount2(g->work, MNT_DETACH);
    jdg_rmtree(g->work);
}

/* The package's output validator or checker program. */
static int prepare_checker(struct judging *g, struct err *err)
{
    if (g->p->checker == PRB_CHECKER_DEFAULT)
        return 0;
    char path[JDG_PATH_MAX];
    if (g->p->format == PRB_FORMAT_LEGACY) {
        /* output_validators/ holds one validator: a file or a folder. */
        char dir[JDG_PATH_MAX];
        str_fmt(dir, sizeof(dir), "%s/output_validators", g->p->root);
        struct dirent **names = NULL;
        int n = scandir(dir, &names, NULL, alphasort);
        path[0] = '\0';
        for (int i = 0; i < n; i++) {
            if (!path[0] && names[i]->d_name[0] != '.')
                str_fmt(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            free(names[i]);
        }
        free(names);
        if (!path[0])
            return err_set(err, ERR_INVALID, "output_validators/ is empty");
    } else {
        str_fmt(path, sizeof(path), "%s/output_validator", g->p->root);
    }
    const char *cache = g->o && g->o->cache_dir ? g->o->cache_dir : "/var/cache/crucible/programs";
    char fallback[JDG_PATH_MAX];
    if (jdg_mkdirs(cache, 0700) < 0) {
        str_fmt(fallback, sizeof(fallback), "%s/cache", g->work);
        cache = fallback;
    }
    double cpu = 0;
    int rc = jdg_program_prepare_package(g->j, path, cache, g->work, &g->checker, &cpu, err);
    g->res->cpu_seconds_total += cpu;
    if (rc == 0)
        g->have_checker = 1;
    return rc;
}

/*
 * The package's include/default/ and include/<language>/ files go with every
 * submission in that language (2023-07 and later): those with one of the
 * language's extensions are compiled with it, the others (headers, data)
 * are only placed next to it.
 */
static int package_includes(struct judging *g, char (*store)[JDG_PATH_MAX], const char **files,
                            size_t *nfiles, struct err *err)
{
    const char *sub[2] = { "default", g->lang->id };
    size_t used = 0;
    if (jdg_mkdirs(g->compiled, 0755) < 0)
        return err_sys(err, "cannot create '%s'", g->compiled);
    for (int k = 0; k < 2; k++) {
        char dir[JDG_PATH_MAX];
        if (str_fmt(dir, sizeof(dir), "%s/include/%s", g->p->root, sub[k]) < 0)
            continue;
        struct dirent **names = NULL;
        int n = scandir(dir, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            const char *name = names[i]->d_name;
            char path[JDG_PATH_MAX];
            struct stat st;
            if (name[0] != '.' && str_fmt(path, sizeof(path), "%s/%s", dir, name) == 0 &&
                stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (jdg_language_for_file(g->j->langs, name) == g->lang && *nfiles < JDG_MAX_FILES &&
                    used < JDG_MAX_FILES) {
                    str_fmt(store[used], JDG_PATH_MAX, "%s", path);
                    files[(*nfiles)++] = store[used++];
                } else {
                    char dst[JDG_PATH_MAX];
                    str_fmt(dst, sizeof(dst), "%s/%s", g->compiled, name);
                    if (jdg_copy_file(path, dst, 0644, JDG_SOURCE_MAX_BYTES, err) < 0) {
                        for (int k2 = i; k2 < n; k2++)
                            free(names[k2]);
                        free(names);
                        return -1;
                    }
                }
            }
            free(names[i]);
        }
        free(names);
    }
    return 0;
}

/* ---- AI problems -------------------------------------------------------------
 * How an AI problem is judged (docs/ai-problems.md): a prediction file (the
 * `predictions` data language) is never run. A program is compiled as usual
 * and run ONCE, with the package's public folder bound read-only at /data,
 * its box as the writable working folder, no network, and GPUs only when the
 * problem (or the language) asks; the judge then takes the predictions file
 * out of the box (a regular file, not a link, at most max_prediction_bytes).
 * Either way the predictions are copied into the work folder and scored in
 * a separate sandboxed step, the only one that sees the labels: a box of its
 * own (no network, read-only root, the validators' limits) that sees the
 * solution, the predictions and nothing else of the judge's. For a built-in
 * metric that step runs this binary's hidden `judge ai-score` (ai_score.c,
 * prb_ai_score_file()); for a custom metric, the package's scorer. A bad
 * prediction file is a WA whose message names lines, ids and columns only,
 * so the web may show it to the contestant. Without a usable sandbox
 * nothing is scored: the step's run fails and the judging is a JE.
 */

#define AI_SCORER_OUTPUT_MAX 4096

/* The compiled-programs cache: the option's, else the system one, else one
 * in the work folder. */
static const char *program_cache(const struct judging *g, char *fallback)
{
    const char *cache = g->o && g->o->cache_dir ? g->o->cache_dir : "/var/cache/crucible/programs";
    if (jdg_mkdirs(cache, 0700) < 0) {
        str_fmt(fallback, JDG_PATH_MAX, "%s/cache", g->work);
        cache = fallback;
    }
    return cache;
}

/* The scorer's stdout: exactly {"public": x, "private": y}, both finite
 * numbers, nothing else (security: fuzzed, judge_int.h). */
int jdg_scorer_output_parse(const char *text, size_t len, struct prb_ai_score *out, struct err *err)
{
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    int rc = 0;
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(o, "public");
    const cJSON *priv = cJSON_GetObjectItemCaseSensitive(o, "private");
    if (o && end)
        while ((size_t)(end - text) < len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
            end++;
    if (!cJSON_IsObject(o) || !end || (size_t)(end - text) != len || cJSON_GetArraySize(o) != 2 ||
        !cJSON_IsNumber(pub) || !cJSON_IsNumber(priv) || !isfinite(pub->valuedouble) ||
        !isfinite(priv->valuedouble))
        rc = err_set(err, ERR_SYSTEM, "the scorer's output is not {\"public\": x, \"private\": y} with finite numbers");
    else
        *out = (struct prb_ai_score){ .public_score = pub->valuedouble, .private_score = priv->valuedouble };
    cJSON_Delete(o);
    return rc;
}

/*
 * The scoring step's run: cfg holds the program (its argv, box and limits);
 * this adds what every scorer gets and nothing more: the solution at
 * /judge/solution.csv and the predictions at /judge/predictions.csv, both
 * read-only, no network, stdout and stderr captured outside the box. Exit
 * 43 is a refusal of the predictions: ERR_INVALID with the first line of
 * the scorer's stderr (after "PREDICTIONS_FILE: refused by the scorer: "
 * for a package's own scorer, whose words the judge cannot vouch for; as it
 * is for the built-in one, whose messages quote no label). Any other
 * failure is ERR_SYSTEM with a message for the jury.
 */
static int ai_scorer_run(struct judging *g, struct sbx_config *cfg, const char *pred, int builtin,
                         struct prb_ai_score *out, struct err *err)
{
    const struct prb_ai *ai = g->p->ai;
    char outp[JDG_PATH_MAX], errp[JDG_PATH_MAX];
    wpath(g, outp, "scorer.out");
    wpath(g, errp, "scorer.err");
    unlink(outp);
    unlink(errp);
    if (cfg->nbinds + 2 > SBX_MAX_BINDS)
        return err_set(err, ERR_SYSTEM, "too many binds for the scorer");
    cfg->processes = 16;
    cfg->fd_limit = 256;
    cfg->network = 0;
    cfg->binds[cfg->nbinds++] = (struct sbx_bind){ .host = ai->solution_path, .inside = "/judge/solution.csv" };
    cfg->binds[cfg->nbinds++] = (struct sbx_bind){ .host = pred, .inside = "/judge/predictions.csv" };
    cfg->stdout_path = outp;
    cfg->stderr_path = errp;
    struct sbx_result r;
    sbx_run(g->j->sbx, cfg, &r);
    g->res->cpu_seconds_total += r.cpu_seconds;
    int rc;
    if (r.status == SBX_RUNTIME_ERROR && r.exit_code == JDG_AI_SCORER_REJECT) {
        char line[JDG_MESSAGE_MAX] = "";
        read_feedback(errp, line, builtin ? sizeof(line) : 200);
        line[strcspn(line, "\n")] = '\0';
        if (builtin)
            rc = err_set(err, ERR_INVALID, "%s", line[0] ? line : "the predictions were refused");
        else
            rc = err_set(err, ERR_INVALID, "%s: refused by the scorer%s%s", ai->predictions_file,
                         line[0] ? ": " : "", line);
    } else if (r.status != SBX_OK) {
        char msg[JDG_MESSAGE_MAX];   /* for the jury: a JE message is not shown to contestants */
        str_fmt(msg, sizeof(msg), "the %sscorer failed: %s (exit code %d, signal %d)", builtin ? "built-in " : "",
                sbx_status_name(r.status), r.exit_code, r.signal);
        if (r.status == SBX_SANDBOX_ERROR && r.message[0]) {
            size_t n = strlen(msg);
            str_fmt(msg + n, sizeof(msg) - n, ": %s", r.message);
        } else {
            append_stderr(msg, errp);
        }
        rc = err_set(err, ERR_SYSTEM, "%s", msg);
    } else {
        struct buf b;
        buf_init(&b, AI_SCORER_OUTPUT_MAX);
        int trunc = 0;
        if (jdg_read_capped(outp, AI_SCORER_OUTPUT_MAX, &b, &trunc) < 0 || trunc)
            rc = err_set(err, ERR_SYSTEM, "the scorer's output is missing or longer than %d bytes",
                         AI_SCORER_OUTPUT_MAX);
        else
            rc = jdg_scorer_output_parse(b.buf, b.len, out, err);
        buf_release(&b);
    }
    return rc;
}

/* A built-in metric: `crucible judge ai-score` (this binary, bound
 * read-only at /judge/crucible) in an empty box, with the scoring settings
 * and, when the package has one, the public ids file. */
static int ai_builtin_score(struct judging *g, const char *pred, struct prb_ai_score *out, struct err *err)
{
    const struct prb_ai *ai = g->p->ai;
    char settings[JDG_PATH_MAX];
    wpath(g, settings, "ai-settings.json");
    if (jdg_ai_config_write(ai, settings, err) < 0)
        return ERR_SYSTEM;
    struct sbx_config cfg;
    sbx_config_init(&cfg);
    const char *argv[] = { "/judge/crucible", "judge", "ai-score", "/judge/settings.json", "/judge/solution.csv",
                           "/judge/predictions.csv", ai->public_ids_path ? "/judge/public_ids.txt" : NULL, NULL };
    cfg.argv = argv;
#if JDG_ASAN
    /* A sanitizer build runs this binary, instrumented, in the box, where
     * LeakSanitizer cannot work (it stops the process to scan it, which the
     * box's seccomp filter and missing /proc forbid) and fails the run. */
    static const char *const asan_env[] = { "ASAN_OPTIONS=detect_leaks=0", NULL };
    cfg.env = asan_env;
#endif
    cfg.time_limit = g->val_lim.time;
    cfg.memory_limit = g->val_lim.memory;
    cfg.output_limit = g->val_lim.output;
    cfg.binds[cfg.nbinds++] = (struct sbx_bind){ .host = g->j->self_exe, .inside = "/judge/crucible" };
    cfg.binds[cfg.nbinds++] = (struct sbx_bind){ .host = settings, .inside = "/judge/settings.json" };
    if (ai->public_ids_path)
        cfg.binds[cfg.nbinds++] = (struct sbx_bind){ .host = ai->public_ids_path, .inside = "/judge/public_ids.txt" };
    return ai_scorer_run(g, &cfg, pred, 1, out, err);
}

/* metric: custom. Runs `scorer SOLUTION PREDICTIONS` (the package's
 * ai/scorer, compiled once) in a box of its own. */
static int ai_custom_score(struct judging *g, const char *pred, struct prb_ai_score *out, struct err *err)
{
    const struct prb_ai *ai = g->p->ai;
    if (!ai->scorer_dir || !ai->solution_path)
        return err_set(err, ERR_SYSTEM, "metric custom without ai/scorer/");
    char fallback[JDG_PATH_MAX], box[JDG_PATH_MAX];
    const char *cache = program_cache(g, fallback);
    struct jdg_program prog;
    double cpu = 0;
    int rc = jdg_program_prepare_package(g->j, ai->scorer_dir, cache, g->work, &prog, &cpu, err);
    g->res->cpu_seconds_total += cpu;
    if (rc < 0) {
        if (err)
            err->code = ERR_SYSTEM;   /* the package's scorer is at fault, not the contestant */
        return ERR_SYSTEM;
    }
    wpath(g, box, "scorer-box");
    jdg_rmtree(box);
    struct prb_strv argv = { 0 };
    struct sbx_config cfg;
    sbx_config_init(&cfg);
    if (jdg_program_config(&prog, box, &g->val_lim, NULL, &argv, &cfg, err) < 0) {
        rc = ERR_SYSTEM;
        goto out;
    }
    jdg_strv_push(&argv, "/judge/solution.csv");
    jdg_strv_push(&argv, "/judge/predictions.csv");
    cfg.argv = (const char *const *)argv.v;
    rc = ai_scorer_run(g, &cfg, pred, 0, out, err);
out:
    jdg_strv_release(&argv);
    jdg_program_release(&prog);
    jdg_rmtree(box);
    return rc;
}

/* Scores a prediction file in the work folder (world-readable: the scorer
 * reads it under another uid) into res. */
static void ai_score(struct judging *g, const char *pred)
{
    const struct prb_ai *ai = g->p->ai;
    struct jdg_result *res = g->res;
    struct prb_ai_score sc;
    struct err err = { 0 };
    int rc = ai->metric == PRB_AI_CUSTOM ? ai_custom_score(g, pred, &sc, &err)
                                         : ai_builtin_score(g, pred, &sc, &err);
    if (rc == 0) {
        res->verdict = JDG_AC;
        res->has_ai = 1;
        res->ai_public_score = sc.public_score;
        res->ai_private_score = sc.private_score;
        res->message[0] = '\0';
    } else if (err.code == ERR_INVALID) {
        res->verdict = JDG_WA;   /* the message is contestant-safe by construction */
        set_message(res->message, "%s", err.msg);
    } else {
        res->verdict = JDG_JE;
        set_message(res->message, "scoring failed: %s", err.msg[0] ? err.msg : "unknown error");
    }
}

/* Copies the predictions (fd, a file opened without following links) to
 * dst: a regular file of at most max_prediction_bytes. 0, or ERR_INVALID
 * with a contestant-facing message, or another code. Closes fd. */
static int ai_copy_predictions(const struct prb_ai *ai, int fd, const char *dst, struct err *err)
{
    const char *name = ai->predictions_file;
    struct stat st;
    int rc = 0, out = -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = err_set(err, ERR_INVALID, "%s is not a regular file", name);
        goto out;
    }
    /* World-readable: the scorer reads it under another uid. */
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0 || fchmod(out, 0644) < 0) {
        rc = err_sys(err, "cannot create '%s'", dst);
        goto out;
    }
    uint64_t total = 0, max = ai->max_prediction_bytes;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = err_set(err, ERR_INVALID, "%s cannot be read", name);
            goto out;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (total > max) {
            rc = err_set(err, ERR_INVALID, "%s: larger than the limit of %llu bytes", name,
                         (unsigned long long)max);
            goto out;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, chunk + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = err_sys(err, "cannot write '%s'", dst);
                goto out;
            }
            off += w;
        }
    }
out:
    if (out >= 0 && close(out) < 0 && rc == 0)
        rc = err_sys(err, "cannot write '%s'", dst);
    close(fd);
    return rc;
}

/* Takes the predictions a program wrote out of its box: a regular file (no
 * link, fifo or folder), at most max_prediction_bytes, copied to dst. 0, or
 * ERR_INVALID with a contestant-facing message, or another code. */
static int ai_take_predictions(const struct judging *g, const char *box, const char *dst, struct err *err)
{
    const struct prb_ai *ai = g->p->ai;
    const char *name = ai->predictions_file;
    int rc = 0;
    int dfd = open(box, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return err_sys(err, "cannot open the box");
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        rc = err_set(err, ERR_INVALID, "no %s written", name);
    else if (fd < 0 && errno == ELOOP)
        rc = err_set(err, ERR_INVALID, "%s is a link, not a file", name);
    else if (fd < 0)
        rc = err_set(err, ERR_INVALID, "%s cannot be read", name);
    else
        rc = ai_copy_predictions(ai, fd, dst, err);
    close(dfd);
    return rc;
}

static void ai_run_code(struct judging *g)
{
    const struct prb_ai *ai = g->p->ai;
    struct jdg_result *res = g->res;
    char box[JDG_PATH_MAX], out[JDG_PATH_MAX], errp[JDG_PATH_MAX], pred[JDG_PATH_MAX];
    wpath(g, box, "box");
    wpath(g, out, "team.out");
    wpath(g, errp, "team.err");
    wpath(g, pred, "predictions");
    struct prb_strv argv = { 0 };
    struct sbx_config cfg;
    struct err err = { 0 };
    jdg_rmtree(box);
    sbx_config_init(&cfg);
    int need = ai->gpus > g->lang->gpus ? ai->gpus : g->lang->gpus;
    if (jdg_copy_tree(g->compiled, box, &err) < 0 || grant_gpus(g, need, &cfg, &err) < 0) {
        res->verdict = JDG_JE;
        set_message(res->message, "%s", err.msg);
        goto out;
    }
    const char *none[1] = { NULL };
    jdg_expand(&g->lang->run, none, 0, g->main, g->run_lim.memory >> 20, &argv);
    cfg.argv = (const char *const *)argv.v;
    cfg.box = box;
    cfg.time_limit = g->run_lim.time;
    cfg.memory_limit = g->run_lim.memory;
    cfg.output_limit = g->run_lim.output;
    cfg.processes = g->run_lim.processes;
    cfg.fd_limit = 64;
    cfg.stdout_path = out;   /* kept from everyone: it may echo what it read */
    cfg.stderr_path = errp;
    jdg_language_binds(g->lang, &cfg, g->bind_store);
    if (ai->public_dir && cfg.nbinds < SBX_MAX_BINDS)
        cfg.binds[cfg.nbinds++] = (struct sbx_bind){ .host = ai->public_dir, .inside = "/data" };
    struct sbx_result r;
    sbx_run(g->j->sbx, &cfg, &r);
    res->cpu_seconds_total += r.cpu_seconds;
    res->gpu_seconds += r.wall_seconds * (double)cfg.ngpus;
    res->time_seconds = r.cpu_seconds;
    res->memory_bytes = r.memory_bytes;
    res->verdict = verdict_of_run(&r);
    if (res->verdict == JDG_JE) {
        set_message(res->message, "sandbox error: %s", r.message);
        goto out;
    }
    if (res->verdict != JDG_AC)
        goto out;
    int rc = ai_take_predictions(g, box, pred, &err);
    if (rc == 0) {
        ai_score(g, pred);
    } else {
        res->verdict = rc == ERR_INVALID ? JDG_WA : JDG_JE;
        set_message(res->message, "%s", err.msg);
    }
out:
    jdg_strv_release(&argv);
    jdg_rmtree(box);
}

static int language_allowed(const struct prb_problem *p, const struct jdg_language *lang)
{
    if (!p->languages.n)
        return 1;
    for (size_t i = 0; i < p->languages.n; i++)
        if (!strcmp(p->languages.v[i], lang->id))
            return 1;
    return 0;
}

int jdg_submission_judge(struct jdg_judge *j, const struct prb_problem *p,
                         const struct jdg_submission *sub, const struct jdg_options *opts,
                         struct jdg_result *res, struct err *err)
{
    memset(res, 0, sizeof(*res));
    res->verdict = JDG_JE;
    res->compile_output = strdup("");
    if (!res->compile_output)
        abort();
    struct judging g = { .j = j, .p = p, .o = opts, .res = res };
    int rc = 0;
    if (!sub->nfiles)
        return err_set(err, ERR_INVALID, "no source files");
    g.lang = sub->lang ? sub->lang : jdg_language_for_file(j->langs, sub->files[0]);
    if (!g.lang) {
        res->verdict = JDG_CE;
        set_message(res->message, "no language for '%s'", sub->files[0]);
        return 0;
    }
    if (!language_allowed(p, g.lang)) {
        res->verdict = JDG_CE;
        set_message(res->message, "language '%s' is not allowed for this problem", g.lang->id);
        return 0;
    }
    int data = JDG_LANGUAGE_IS_DATA(g.lang);   /* a prediction file: nothing to run */
    if (data && (!p->ai || sub->nfiles != 1)) {
        res->verdict = JDG_CE;
        set_message(res->message, p->ai ? "a prediction file submission is one file"
                                        : "prediction files ('%s') are only for AI problems", g.lang->id);
        return 0;
    }

    double tl = opts ? opts->time_limit : 0;
    if (!data && tl <= 0 && prb_problem_time_limit(p, &tl, NULL) < 0) {
        double slowest;
        if (jdg_problem_infer_time_limit(j, p, opts, &tl, &slowest, err) < 0) {
            res->verdict = JDG_JE;
            set_message(res->message, "no time limit: %s", err ? err->msg : "cannot infer it");
            return 0;
        }
    }
    int64_t mem = p->limits.memory_mib > 0 ? p->limits.memory_mib : JDG_DEFAULT_MEMORY_MIB;
    int64_t outm = p->limits.output_mib > 0 ? p->limits.output_mib : JDG_DEFAULT_OUTPUT_MIB;
    g.run_lim.time = tl * g.lang->time_multiplier;
    g.run_lim.memory = (uint64_t)(mem + g.lang->memory_extra_mib) << 20;
    g.run_lim.output = (uint64_t)outm << 20;
    g.run_lim.processes = g.lang->run_processes;
    g.val_lim.time = p->limits.validation_time_s > 0 ? (double)p->limits.validation_time_s : JDG_DEFAULT_VALIDATION_S;
    g.val_lim.memory = (uint64_t)(p->limits.validation_memory_mib > 0 ? p->limits.validation_memory_mib
                                                                      : JDG_DEFAULT_MEMORY_MIB) << 20;
    g.val_lim.output = (uint64_t)(p->limits.validation_output_mib > 0 ? p->limits.validation_output_mib
                                                                      : JDG_DEFAULT_OUTPUT_MIB) << 20;
    g.val_lim.processes = 16;

    if ((rc = open_work(&g, err)) < 0)
        return rc;
    if (data) {
        /* Copied into the work folder, where the scoring step's box reads it. */
        struct stat st;
        char pred[JDG_PATH_MAX];
        struct err cerr = { 0 };
        wpath(&g, pred, "predictions");
        int fd = open(sub->files[0], O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0)
                close(fd);
            res->verdict = JDG_CE;
            set_message(res->message, "the prediction file is not a readable file");
        } else if ((rc = ai_copy_predictions(p->ai, fd, pred, &cerr)) < 0) {
            res->verdict = rc == ERR_INVALID ? JDG_WA : JDG_JE;
            set_message(res->message, "%s", cerr.msg);
            rc = 0;
        } else {
            ai_score(&g, pred);
        }
        goto out;
    }

    /* Compile. */
    char log[JDG_PATH_MAX];
    wpath(&g, g.compiled, "compiled");
    wpath(&g, log, "compile.log");
    struct jdg_limits clim = {
        .time = p->limits.compilation_time_s > 0 ? (double)p->limits.compilation_time_s : JDG_DEFAULT_COMPILE_S,
        .memory = (uint64_t)(p->limits.compilation_memory_mib > 0 ? p->limits.compilation_memory_mib
                                                                  : JDG_DEFAULT_MEMORY_MIB) << 20,
    };
    struct sbx_result cres;
    const char *files[JDG_MAX_FILES];
    char (*inc)[JDG_PATH_MAX] = calloc(JDG_MAX_FILES, JDG_PATH_MAX);
    if (!inc)
        abort();
    size_t nfiles = 0;
    for (size_t i = 0; i < sub->nfiles && nfiles < JDG_MAX_FILES; i++)
        files[nfiles++] = sub->files[i];
    if ((rc = package_includes(&g, inc, files, &nfiles, err)) == 0)
        rc = jdg_program_build(j, g.lang, files, nfiles, g.compiled, log, &clim, &cres,
                               &res->cpu_seconds_total, err);
    free(inc);
    struct buf cout;
    buf_init(&cout, JDG_COMPILE_OUTPUT_MAX);
    jdg_read_capped(log, JDG_COMPILE_OUTPUT_MAX, &cout, NULL);
    free(res->compile_output);
    res->compile_output = buf_detach(&cout, NULL);
    if (rc < 0) {
        if (err && (err->code == ERR_INVALID || err->code == ERR_LIMIT)) {
            /* The submission itself is unusable (bad file names, too big). */
            res->verdict = JDG_CE;
            set_message(res->message, "%s", err->msg);
            rc = 0;
        }
        goto out;
    }
    if (rc > 0) {
        res->verdict = JDG_CE;
        if (cres.status == SBX_TIME_LIMIT || cres.status == SBX_WALL_LIMIT)
            set_message(res->message, "compilation took longer than %.0f s", clim.time);
        else
            set_message(res->message, "compilation failed (%s)", sbx_status_name(cres.status));
        rc = 0;
        goto out;
    }
    const char *first = strrchr(sub->files[0], '/');
    str_fmt(g.main, sizeof(g.main), "%s", first ? first + 1 : sub->files[0]);
    char *dot = strrchr(g.main, '.');
    if (dot && dot != g.main)
        *dot = '\0';

    if (p->ai) {   /* one run, then its predictions scored */
        ai_run_code(&g);
        goto out;
    }

    if ((rc = prepare_checker(&g, err)) < 0) {
        res->verdict = JDG_JE;
        set_message(res->message, "%s", err ? err->msg : "cannot prepare the output validator");
        rc = 0;
        goto out;
    }

    /* Run and check every test case. */
    size_t n = p->n_cases;
    struct prb_case_result *cr = calloc(n ? n : 1, sizeof(*cr));
    res->tests = calloc(n ? n : 1, sizeof(*res->tests));
    if (!cr || !res->tests)
        abort();
    int lazy = !(p->type & PRB_TYPE_SCORING) && !(opts && opts->all_tests);
    int stop = 0, judge_error = 0;
    for (size_t i = 0; i < n; i++) {
        const struct prb_testcase *tc = p->cases[i];
        cr[i].verdict = PRB_VERDICT_PENDING;
        if (stop || (opts && opts->samples_only && !in_sample(p, tc)))
            continue;
        struct jdg_test_result *t = &res->tests[res->ntests++];
        t->name = strdup(tc->name);
        t->group = strdup(tc->group && tc->group->name ? tc->group->name : "");
        if (!t->name || !t->group)
            abort();
        run_case(&g, tc, t, &cr[i]);
        cr[i].verdict = to_prb(t->verdict);
        if (t->time_seconds > res->time_seconds)
            res->time_seconds = t->time_seconds;
        if (t->memory_bytes > res->memory_bytes)
            res->memory_bytes = t->memory_bytes;
        if (t->verdict == JDG_JE) {
            res->verdict = JDG_JE;
            set_message(res->message, "test %s: %s", t->name, t->message);
            stop = judge_error = 1;
        } else if (t->verdict != JDG_AC && lazy) {
            stop = 1;
        }
        if (opts && opts->on_test)
            opts->on_test(opts->on_test_arg, t, res->ntests);
    }

    if (!judge_error) {
        struct prb_group_result total;
        struct err aerr = { 0 };
        if (opts && opts->samples_only) {
            /* Samples only: accepted when every sample was. */
            res->verdict = JDG_AC;
            for (size_t i = 0; i < res->ntests; i++)
                if (res->tests[i].verdict != JDG_AC) {
                    res->verdict = res->tests[i].verdict;
                    break;
                }
        } else {
            struct prb_group_result *gr = calloc(p->n_groups ? p->n_groups : 1, sizeof(*gr));
            if (!gr)
                abort();
            if (prb_problem_aggregate(p, cr, gr, &total, &aerr) < 0) {
                res->verdict = JDG_JE;
                set_message(res->message, "%s", aerr.msg);
            } else {
                res->verdict = jdg_verdict_from_prb(total.verdict);
                res->score = total.score;
                res->max_score = total.max_score;
                res->groups = calloc(p->n_groups ? p->n_groups : 1, sizeof(*res->groups));
                if (!res->groups)
                    abort();
                for (size_t k = 0; k < p->n_groups; k++) {
                    struct jdg_group_result *x = &res->groups[res->ngroups++];
                    x->name = strdup(p->groups[k]->name ? p->groups[k]->name : "");
                    if (!x->name)
                        abort();
                    x->verdict = jdg_verdict_from_prb(gr[k].verdict);
                    x->score = gr[k].score;
                    x->max_score = gr[k].max_score;
                }
            }
            free(gr);
        }
    }
    free(cr);
out:
    if (g.have_checker)
        jdg_program_release(&g.checker);
    close_work(&g);
    return rc;
}

void *jdg_test_result_json(const struct jdg_test_result *t)
{
    cJSON *x = cJSON_CreateObject();
    if (!x)
        abort();
    cJSON_AddStringToObject(x, "name", t->name);
    cJSON_AddStringToObject(x, "group", t->group);
    cJSON_AddStringToObject(x, "verdict", jdg_verdict_name(t->verdict));
    cJSON_AddNumberToObject(x, "time_seconds", t->time_seconds);
    cJSON_AddNumberToObject(x, "memory_bytes", (double)t->memory_bytes);
    cJSON_AddNumberToObject(x, "score", t->score);
    cJSON_AddStringToObject(x, "message", t->message);
    return x;
}

int jdg_result_to_json(const struct jdg_result *res, struct buf *out)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    cJSON_AddStringToObject(o, "verdict", jdg_verdict_name(res->verdict));
    cJSON_AddNumberToObject(o, "score", isfinite(res->score) ? res->score : 0);
    cJSON_AddNumberToObject(o, "max_score", isfinite(res->max_score) ? res->max_score : 0);
    cJSON_AddNumberToObject(o, "time_seconds", res->time_seconds);
    cJSON_AddNumberToObject(o, "memory_bytes", (double)res->memory_bytes);
    cJSON_AddStringToObject(o, "compile_output", res->compile_output ? res->compile_output : "");
    cJSON_AddStringToObject(o, "message", res->message);
    cJSON_AddNumberToObject(o, "cpu_seconds_total", res->cpu_seconds_total);
    cJSON_AddNumberToObject(o, "gpu_seconds", isfinite(res->gpu_seconds) ? res->gpu_seconds : 0);
    if (res->has_ai) {
        cJSON *ai = cJSON_AddObjectToObject(o, "ai");
        if (!ai)
            abort();
        cJSON_AddNumberToObject(ai, "public_score", res->ai_public_score);
        cJSON_AddNumberToObject(ai, "private_score", res->ai_private_score);
    }
    cJSON *tests = cJSON_AddArrayToObject(o, "tests");
    for (size_t i = 0; i < res->ntests; i++)
        cJSON_AddItemToArray(tests, jdg_test_result_json(&res->tests[i]));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        abort();
    int rc = buf_adds(out, s);
    free(s);
    return rc;
}
