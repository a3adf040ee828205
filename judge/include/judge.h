/*
 * judge.h: turn a submission and a problem package into a verdict.
 *
 * The judge compiles the submission in the sandbox, runs it on every test
 * case in the sandbox (the test data never enters the box: the sandbox opens
 * stdin from outside and the output is captured outside), checks each output
 * with the default validator, a custom output validator or a testlib checker
 * (compiled once, cached, and sandboxed too), and aggregates the results by
 * the package's scoring rules. Interactive and multi-pass problems connect
 * the submission and the validator through pipes.
 *
 * Ownership: everything a struct jdg_result points to is owned by it and
 * released with jdg_result_release(). Other pointers given to functions here
 * are borrowed for the duration of the call.
 */
#ifndef CRUCIBLE_JUDGE_H
#define CRUCIBLE_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "problems.h"
#include "sandbox.h"

/* ---- languages ------------------------------------------------------------
 * One table, in a YAML file an administrator can edit (judge/languages.yaml
 * is the default, installed as /etc/crucible/languages.yaml), maps file
 * extensions to compile and run commands. In commands, {files} stands for the
 * source files (several words), {main} for the main file's name without its
 * extension, {memory_mib} for the run's memory limit in MiB.
 */
#define JDG_MAX_LANGUAGES 64
#define JDG_LANG_ID_MAX 32

struct jdg_language {
    char *id;                   /* "c", "cpp", "python3", ... */
    char *name;                 /* "C (gcc, C17)" */
    struct prb_strv extensions; /* without the dot */
    struct prb_strv compile;    /* empty: nothing to compile */
    struct prb_strv run;
    struct prb_strv version;    /* prints the compiler's version, for `judge languages` */
    double time_multiplier;     /* applied to the problem's time limit; 1 */
    int64_t memory_extra_mib;   /* added to the problem's memory limit (a VM's overhead) */
    int compile_processes;      /* processes and threads while compiling; 32 */
    int run_processes;          /* while running; 1 */
    int gpus;                   /* GPUs a run needs; 0 */
    struct prb_strv binds;      /* extra read-only binds, "HOST[:INSIDE]" */
};

/* A language with neither compile nor run (`predictions`) is a data file, not
 * a program: its submissions are prediction files for AI problems, scored
 * without running anything (see judge_ai in judge.c and docs/ai-problems.md). */
#define JDG_LANGUAGE_IS_DATA(l) ((l)->run.n == 0)

struct jdg_languages {
    struct jdg_language *v;
    size_t n;
};

/* Loads the table; unknown keys and malformed entries are errors naming the
 * file and line. */
int jdg_languages_load(const char *path, struct jdg_languages *out, struct err *err);
void jdg_languages_release(struct jdg_languages *langs);
/* By id ("cpp"), or by a file name's extension ("a/sum.cpp"). Borrowed. */
const struct jdg_language *jdg_language_find(const struct jdg_languages *langs, const char *id);
const struct jdg_language *jdg_language_for_file(const struct jdg_languages *langs, const char *file);
/* The default table's path: $CRUCIBLE_LANGUAGES, /etc/crucible/languages.yaml
 * if it exists, else the one in the source tree. Borrowed. */
const char *jdg_languages_default_path(void);

/* ---- verdicts ------------------------------------------------------------- */

enum jdg_verdict {
    JDG_AC,                     /* accepted */
    JDG_WA,                     /* wrong answer */
    JDG_TLE,                    /* time limit exceeded */
    JDG_MLE,                    /* memory limit exceeded */
    JDG_OLE,                    /* output limit exceeded */
    JDG_RTE,                    /* run-time error */
    JDG_CE,                     /* compile error */
    JDG_JE,                     /* judge error: the package or the judge, never the contestant */
    JDG_PENDING,                /* not judged (lazy judging stopped before it) */
};

const char *jdg_verdict_name(enum jdg_verdict v);   /* "AC", "WA", ...; borrowed */
enum jdg_verdict jdg_verdict_from_prb(enum prb_verdict v);

/* ---- judging ---------------------------------------------------------------- */

#define JDG_MESSAGE_MAX 512
#define JDG_COMPILE_OUTPUT_MAX (64 << 10)

struct jdg_test_result {
    char *name;                 /* "secret/group1/03" */
    char *group;                /* "secret/group1" */
    enum jdg_verdict verdict;
    double time_seconds;        /* CPU seconds */
    double wall_seconds;
    uint64_t memory_bytes;
    double score;               /* scoring problems */
    char message[JDG_MESSAGE_MAX];  /* the checker's message, for judges only */
};

struct jdg_group_result {
    char *name;                 /* "secret/group1" */
    enum jdg_verdict verdict;
    double score;
    double max_score;
};

struct jdg_result {
    enum jdg_verdict verdict;
    double score;
    double max_score;
    double time_seconds;        /* the slowest test's CPU time */
    uint64_t memory_bytes;      /* the largest test's memory */
    double cpu_seconds_total;   /* every sandboxed run, compile included: the budget */
    double gpu_seconds;         /* wall time x GPUs granted, summed over the runs that had GPUs */
    int has_ai;                 /* an AI problem judged AC: the two scores below are set */
    double ai_public_score;     /* full precision; the server rounds for contestants */
    double ai_private_score;
    char *compile_output;       /* capped at JDG_COMPILE_OUTPUT_MAX; "" if none */
    struct jdg_test_result *tests;  /* in judging order; lazily judged ones absent */
    size_t ntests;
    struct jdg_group_result *groups;   /* every test data group, parents first */
    size_t ngroups;
    char message[JDG_MESSAGE_MAX];  /* why a JE or CE happened */
};

void jdg_result_release(struct jdg_result *res);
/* {"verdict", "score", "max_score", "time_seconds", "memory_bytes",
 *  "compile_output", "message", "cpu_seconds_total", "gpu_seconds",
 *  "tests": [{"name", "group", "verdict", "time_seconds", "memory_bytes",
 *  "score", "message"}]}, plus "ai": {"public_score", "private_score"} when
 * an AI problem's submission was scored. The test messages are for judges:
 * the web hides them from contestants. An AI problem's WA message (a
 * prediction file's validation message) is safe to show. */
int jdg_result_to_json(const struct jdg_result *res, struct buf *out);
/* One test of it, as in "tests" above: a new object the caller frees with
 * cJSON_Delete (typed void * so that this header needs no cJSON). */
void *jdg_test_result_json(const struct jdg_test_result *t);

struct jdg_options {
    int all_tests;              /* do not stop at the first rejected test */
    int samples_only;           /* run only data/sample ("run on samples") */
    double time_limit;          /* seconds; 0: the package's */
    const char *work_dir;       /* parent of per-submission folders; NULL: /run/crucible/judge */
    const char *cache_dir;      /* compiled validators; NULL: /var/cache/crucible/programs,
                                   or the work folder's cache when that is not writable */
    /* Called after each test case is judged, in judging order, from the
     * judging thread: t is the result just added (borrowed until the call
     * returns; its fields are final), done the number of tests judged so
     * far, t included (res->ntests). Tests not run (lazy judging stopped,
     * or not samples in a samples-only run) get no call. NULL: none. */
    void (*on_test)(void *arg, const struct jdg_test_result *t, size_t done);
    void *on_test_arg;
    /* The GPU indexes this judging holds (the daemon's exclusive grant); the
     * runs that need GPUs get exactly these. NULL: GPUs 0..n-1 as needed
     * (`judge run`). A judging that needs more than ngpus is a JE. */
    const int *gpus;
    size_t ngpus;
};

/* Everything judging needs that outlives one submission. */
struct jdg_judge;

int jdg_judge_new(const struct jdg_languages *langs, struct sbx_context *sbx,
                  struct jdg_judge **out, struct err *err);
void jdg_judge_free(struct jdg_judge *j);

struct jdg_submission {
    const char *const *files;   /* host paths of the source files */
    size_t nfiles;
    const struct jdg_language *lang;   /* NULL: from the first file's extension */
};

/* Judges one submission. Returns 0 with res filled (any verdict, JE
 * included), or a negative code when nothing could be judged (err says
 * why; res is then a JE). */
int jdg_submission_judge(struct jdg_judge *j, const struct prb_problem *p,
                         const struct jdg_submission *sub, const struct jdg_options *opts,
                         struct jdg_result *res, struct err *err);

/* When the package gives no time limit (no limits.time_limit, no
 * .timelimit): judges its submissions/accepted/ with a generous limit and
 * computes the limit from the slowest test as the package format says
 * (prb_time_limit_compute). *slowest gets that slowest time. opts may be
 * NULL; its time_limit is ignored. */
int jdg_problem_infer_time_limit(struct jdg_judge *j, const struct prb_problem *p,
                                 const struct jdg_options *opts, double *tl, double *slowest,
                                 struct err *err);

/* ---- commands ---------------------------------------------------------------- */

int cmd_judge(int argc, char **argv);     /* crucible judge run|languages */
int cmd_problem(int argc, char **argv);   /* crucible problem verify */

#endif
