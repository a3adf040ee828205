/*
 * problems.h: ICPC/Kattis problem packages (legacy, 2023-07-draft and
 * 2025-09): safe extraction of .zip packages, problem.yaml and the test data
 * tree, the default output validator, time limit rules and score aggregation.
 *
 * Everything here is pure: no logging, no globals, no processes. A package is
 * untrusted input: every malformed file becomes an error naming the file (and
 * the line where there is one), and every size that comes from the package is
 * checked against a named limit below before anything is allocated for it.
 *
 * Ownership: a struct prb_problem owns every string and array reachable from
 * it; all pointers into it are borrowed and live until prb_problem_free().
 */
#ifndef CRUCIBLE_PROBLEMS_H
#define CRUCIBLE_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* ---- limits --------------------------------------------------------------
 * Archive extraction and package loading refuse anything past these.
 */
#define PRB_ARCHIVE_MAX_ENTRIES     20000                  /* files, dirs, links */
#define PRB_ARCHIVE_MAX_TOTAL_BYTES ((uint64_t)4 << 30)    /* expanded size */
#define PRB_ARCHIVE_MAX_FILE_BYTES  ((uint64_t)1 << 30)    /* one expanded file */
#define PRB_PATH_MAX                1024   /* a path inside the package, bytes */
#define PRB_NAME_MAX                255    /* one path component, bytes */
#define PRB_DEPTH_MAX               32     /* path components inside the package */
#define PRB_YAML_MAX_BYTES          ((size_t)1 << 20)      /* one YAML file */
#define PRB_YAML_MAX_NODES          100000 /* scalars, sequences and maps per file */
#define PRB_YAML_MAX_DEPTH          64     /* nesting of sequences and maps */
#define PRB_MAX_TESTCASES           100000 /* all of sample and secret */
#define PRB_MAX_GROUPS              10000
#define PRB_MAX_ARGS                1024   /* strings in one args list */
#define PRB_TIME_LIMIT_MAX_S        3600.0 /* time_limit and .timelimit */
#define PRB_LIMIT_VALUE_MAX         ((int64_t)1 << 30)     /* any integer limit */
#define PRB_FLOAT_TOKEN_MAX         4096   /* longest token parsed as a float */
#define PRB_CHECK_MSG_MAX           256    /* judge message of the validator */

/* Limits for one load; prb_load_limits_init() sets the PRB_ARCHIVE_* values.
 * Callers (and tests) may lower them. */
struct prb_load_limits {
    size_t max_entries;
    uint64_t max_total_bytes;
    uint64_t max_file_bytes;
};

void prb_load_limits_init(struct prb_load_limits *lim);

/* ---- archives ------------------------------------------------------------
 * Extracts the .zip (or .kpp) at zip_path into dest_dir, which must exist and
 * should be empty; the caller creates it and removes it afterwards. Refused,
 * with an error naming the entry: absolute paths, `..` components, empty or
 * over-long names, backslashes, device/fifo/socket entries, symlinks whose
 * target is absolute or leaves the package, hard links to anything but an
 * earlier regular file, duplicate entries, more than lim->max_entries
 * entries, and any file or total that expands past the byte limits (counted
 * on the bytes actually written, not the sizes the archive declares).
 * Nothing is ever written outside dest_dir. lim may be NULL for the defaults.
 * On failure dest_dir may hold a partial extraction.
 */
int prb_archive_extract(const char *zip_path, const char *dest_dir,
                        const struct prb_load_limits *lim, struct err *err);

/* ccs files: one file of a zip made by prb_archive_zip; name and data are
 * borrowed. */
struct prb_zip_file {
    const char *name;           /* the entry's name, at the archive's root */
    const void *data;
    size_t len;
};
/* Appends to out a zip archive of the n files (regular, mode 0644, modified
 * at mtime, Unix seconds). ERR_LIMIT past out's cap; on failure out is left
 * as it was. */
int prb_archive_zip(const struct prb_zip_file *files, size_t n, int64_t mtime, struct buf *out,
                    struct err *err);

struct prb_strv {               /* a list of strings, each owned; v[n] is NULL
                                   when n > 0, so v can serve as an argv */
    char **v;
    size_t n;
};

/* ---- YAML ----------------------------------------------------------------
 * A small YAML tree with line numbers, for problem.yaml and for the other
 * YAML files Crucible reads (the judge's language table). Untrusted input:
 * the PRB_YAML_* limits apply.
 */
enum prb_ykind { PRB_Y_SCALAR, PRB_Y_SEQ, PRB_Y_MAP };

struct prb_ynode {
    enum prb_ykind kind;
    unsigned line;              /* 1-based */
    char *str;                  /* scalar text, NUL-terminated */
    size_t len;
    int plain;                  /* plain (unquoted, untagged) scalar */
    struct prb_ynode **kids;   /* seq: items; map: key, value, key, value... */
    size_t n;                   /* number of kids */
};

/*
 * Parses the YAML text into a tree. Anchors and aliases, more than one
 * document, non-scalar map keys, duplicate keys and anything past the
 * PRB_YAML_* limits are errors "FILE:LINE: ...", with FILE the name given.
 * An empty document gives *root = NULL.
 */
int prb_yaml_parse(const char *text, size_t len, const char *file,
                    struct prb_ynode **root, struct err *err);
void prb_yaml_free(struct prb_ynode *n);

/* Reads and parses path (at most PRB_YAML_MAX_BYTES); display names it in
 * errors. */
int prb_yaml_load_file(const char *path, const char *display,
                        struct prb_ynode **root, struct err *err);

/* Scalar type tests on the YAML 1.2 core schema (plain scalars only). */
int prb_y_is_null(const struct prb_ynode *n);

/* A schema walker: file name for messages plus the error sink. */
struct prb_yctx {
    const char *file;
    struct err *err;
};

/* Sets "FILE:LINE: message" and returns ERR_INVALID. */
int prb_yerr(const struct prb_yctx *c, const struct prb_ynode *n,
              const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Typed getters; key names the field in messages. */
int prb_y_string(const struct prb_yctx *c, const struct prb_ynode *n,
                  const char *key, char **out);
int prb_y_float(const struct prb_yctx *c, const struct prb_ynode *n,
                 const char *key, double *out);
int prb_y_int(const struct prb_yctx *c, const struct prb_ynode *n,
               const char *key, int64_t min, int64_t max, int64_t *out);
int prb_y_bool(const struct prb_yctx *c, const struct prb_ynode *n,
                const char *key, int *out);
/* A sequence of scalars (any scalar's text counts as a string). */
int prb_y_strseq(const struct prb_yctx *c, const struct prb_ynode *n,
                  const char *key, struct prb_strv *out);
/* A string or a sequence of strings. */
int prb_y_str_or_seq(const struct prb_yctx *c, const struct prb_ynode *n,
                      const char *key, struct prb_strv *out);
/* Requires a mapping (or NULL/empty document, treated as {}). */
int prb_y_expect_map(const struct prb_yctx *c, const struct prb_ynode *n,
                      const char *what);

/* ---- the problem ---------------------------------------------------------- */

enum prb_format {
    PRB_FORMAT_LEGACY,          /* "legacy", "legacy-icpc" or no key */
    PRB_FORMAT_2023_07_DRAFT,   /* "2023-07-draft" */
    PRB_FORMAT_2025_09,         /* "2025-09" */
};

/* prb_problem.type is a set of these bits. */
#define PRB_TYPE_PASS_FAIL     0x01u
#define PRB_TYPE_SCORING       0x02u
#define PRB_TYPE_INTERACTIVE   0x04u
#define PRB_TYPE_MULTI_PASS    0x08u
#define PRB_TYPE_SUBMIT_ANSWER 0x10u

struct prb_kv {                 /* a key and its value, both owned */
    char *key;
    char *value;
};

struct prb_person {             /* name is set; the rest may be NULL */
    char *name;
    char *email;
    char *orcid;
    char *kattis;
};

struct prb_people {
    struct prb_person *v;
    size_t n;
};

struct prb_translation {        /* credits.translators: language -> people */
    char *lang;
    struct prb_people people;
};

struct prb_credits {
    struct prb_people authors;  /* legacy `author` is split on "," and " and " */
    struct prb_people contributors;
    struct prb_people testers;
    struct prb_people packagers;
    struct prb_people acknowledgements;
    struct prb_translation *translators;
    size_t n_translators;
};

struct prb_source {             /* name is set; url may be NULL */
    char *name;
    char *url;
};

struct prb_constant {           /* constants: value, plus 2025-09 variants */
    char *name;
    char *value;
    struct prb_kv *variants;    /* variant name -> text */
    size_t n_variants;
};

enum prb_time_limit_source {
    PRB_TL_NONE,                /* compute it: prb_time_limit_compute() */
    PRB_TL_PROBLEM_YAML,        /* limits.time_limit */
    PRB_TL_TIMELIMIT_FILE,      /* DOMjudge `.timelimit` at the package root */
};

/*
 * Limits as the package gives them. Integer limits are 0 when absent ("use
 * the system default"). Legacy time_multiplier and time_safety_margin are
 * stored as ac_to_time_limit and time_limit_to_tle with their legacy
 * defaults (5 and 2); 2023-07+ defaults are 2.0 and 1.5.
 */
struct prb_limits {
    double time_limit;          /* seconds; valid unless time_limit_source is NONE */
    enum prb_time_limit_source time_limit_source;
    double ac_to_time_limit;
    double time_limit_to_tle;
    double time_resolution;     /* seconds; 1.0 unless given (2023-07+) */
    int64_t memory_mib;
    int64_t output_mib;
    int64_t code_kib;
    int64_t compilation_time_s;
    int64_t compilation_memory_mib;
    int64_t validation_time_s;
    int64_t validation_memory_mib;
    int64_t validation_output_mib;
    int64_t validation_passes;  /* 2 unless given; multi-pass only */
};

/* Arguments for one named input validator, or for all when name is NULL. */
struct prb_named_args {
    char *name;
    struct prb_strv args;
};

enum prb_aggregation {
    PRB_AGG_PASS_FAIL,          /* 2023-07+: max_score if all accepted, else 0 */
    PRB_AGG_SUM,
    PRB_AGG_MIN,
    PRB_AGG_AVG,                /* legacy default grader only */
    PRB_AGG_MAX,                /* legacy default grader only */
};

enum prb_verdict_mode {         /* legacy default grader */
    PRB_VMODE_WORST_ERROR,
    PRB_VMODE_FIRST_ERROR,
    PRB_VMODE_ALWAYS_ACCEPT,
};

struct prb_group;
struct prb_testcase;
struct prb_ai;

/* One child of a group, in judging order: exactly one pointer is set. */
struct prb_item {
    struct prb_group *group;
    struct prb_testcase *tc;
};

/*
 * A test data group. The root (name "") holds `sample` (when present) and
 * `secret`. Legacy: every directory under data/ is a group, with its
 * testdata.yaml resolved through inheritance. 2023-07+: the groups are
 * `sample`, `secret` and the test data groups directly under secret/; test
 * cases in deeper plain directories belong to the enclosing group.
 */
struct prb_group {
    char *name;                 /* "", "sample", "secret", "secret/group1" */
    char *dir;                  /* full path of its directory */
    struct prb_group *parent;   /* NULL for the root */
    struct prb_item *items;
    size_t n_items;
    size_t index;               /* position in prb_problem.groups */
    size_t n_cases_below;       /* test cases in this group and below */

    /* 2023-07+ test_group.yaml (for the root: unused) */
    enum prb_aggregation aggregation;
    double max_score;           /* INFINITY when unbounded */
    int has_static_validation_score;
    double static_validation_score;  /* -1 when `pass-fail` */
    struct prb_group **require_pass; /* borrowed, groups of this problem */
    size_t n_require_pass;

    /* legacy testdata.yaml, already inherited */
    int on_reject_continue;     /* 0: break (the default) */
    int custom_grading;         /* grading: custom */
    struct prb_strv grader_flags;
    enum prb_verdict_mode verdict_mode;       /* parsed from grader_flags */
    enum prb_aggregation legacy_aggregation;  /* SUM, AVG, MIN or MAX */
    int ignore_sample;
    int accept_if_any_accepted;
    double accept_score;        /* 1 */
    double reject_score;        /* 0 */
    double range_min;           /* -INFINITY */
    double range_max;           /* INFINITY */
};

/* One test case; every setting already resolved through inheritance. */
struct prb_testcase {
    char *name;                 /* path under data/ without extension: "secret/g1/01" */
    char *in_path;              /* full paths; in and ans always exist */
    char *ans_path;
    char *files_dir;            /* `.files` directory, or NULL */
    char *interaction_path;     /* `.interaction`, or NULL */
    char *out_path;             /* `.out` (shown instead of .ans), or NULL */
    struct prb_strv args;       /* for the submission */
    struct prb_strv output_validator_args;  /* legacy: validator_flags + group flags */
    struct prb_named_args *input_validator_args;
    size_t n_input_validator_args;
    struct prb_strv input_visualizer_args;
    struct prb_strv output_visualizer_args;
    int full_feedback;
    char *hint;                 /* or NULL */
    char *description;          /* or NULL */
    struct prb_group *group;    /* the group whose scoring rules apply */
    size_t index;               /* position in prb_problem.cases */
};

enum prb_checker {
    PRB_CHECKER_DEFAULT,        /* the default output validator */
    PRB_CHECKER_VALIDATOR,      /* a custom output validator (42/43 protocol) */
    PRB_CHECKER_TESTLIB,        /* a testlib checker: checker input output answer */
};

struct prb_problem {
    char *root;                 /* package directory (realpath) */
    enum prb_checker checker;   /* how outputs are checked */
    char *short_name;           /* directory or archive base name */
    enum prb_format format;
    unsigned type;              /* PRB_TYPE_* */
    struct prb_kv *names;       /* language -> name; a plain string is "en" */
    size_t n_names;
    char *uuid;                 /* or NULL (required from 2023-07) */
    char *version;              /* or NULL */
    struct prb_credits credits;
    struct prb_source *sources;
    size_t n_sources;
    char *license;              /* "unknown" unless given */
    char *rights_owner;         /* given, else the spec's default, else NULL */
    char *embargo_until;        /* or NULL */
    struct prb_limits limits;
    struct prb_strv keywords;
    struct prb_strv languages;  /* empty means all */
    int allow_file_writing;
    struct prb_constant *constants;
    size_t n_constants;
    int custom_output_validator;   /* output_validator(s)/ is used */
    int legacy_custom_score;       /* legacy `validation: custom score` */
    struct prb_strv validator_flags;  /* legacy problem-level flags */
    int objective_min;             /* legacy grading.objective: min */
    int show_test_data_groups;     /* legacy grading.show_test_data_groups */

    struct prb_group *root_group;
    struct prb_group *sample;      /* borrowed; NULL without data/sample */
    struct prb_group *secret;      /* borrowed */
    struct prb_group **groups;     /* every group, parents first (root is [0]) */
    size_t n_groups;
    struct prb_testcase **cases;   /* every test case in judging order */
    size_t n_cases;

    struct prb_ai *ai;             /* `crucible: ai:`; NULL: not an AI problem */
};

/*
 * Loads the package at path: a directory, or a .zip/.kpp file that is first
 * extracted (prb_archive_extract) into tmp_dir, an existing empty directory
 * the caller owns and removes afterwards (it may be NULL for a directory).
 * In the archive, problem.yaml may sit at the top or inside one top-level
 * directory. lim may be NULL for the defaults. On success *out is the
 * caller's, released with prb_problem_free(); on failure *out is NULL and
 * err names the file (and line) at fault.
 */
int prb_package_load(const char *path, const char *tmp_dir,
                     const struct prb_load_limits *lim,
                     struct prb_problem **out, struct err *err);

void prb_problem_free(struct prb_problem *p);   /* accepts NULL */

/* "legacy", "2023-07-draft", "2025-09". Borrowed. */
const char *prb_format_name(enum prb_format format);

/* The English name, else the first one; "" if none. Borrowed. */
const char *prb_problem_name(const struct prb_problem *p);

/* ---- time limits ---------------------------------------------------------
 * prb_problem_time_limit gives the package's own time limit (limits.
 * time_limit, else `.timelimit`); ERR_NOTFOUND means it must be computed
 * from the judge's submissions with prb_time_limit_compute.
 *
 * prb_time_limit_compute applies the format's rule to the slowest accepted
 * run slowest_ac and the fastest time_limit_exceeded run fastest_tle
 * (INFINITY when there is none), all in seconds:
 *  - 2023-07+: the smallest positive integer multiple of time_resolution that
 *    is >= slowest_ac * ac_to_time_limit and <= fastest_tle /
 *    time_limit_to_tle; an error when none exists.
 *  - legacy (as Kattis problemtools): slowest_ac * time_multiplier rounded
 *    to the nearest whole second, at least 1; an error when that limit times
 *    time_safety_margin exceeds fastest_tle.
 */
int prb_problem_time_limit(const struct prb_problem *p, double *seconds, struct err *err);
int prb_time_limit_compute(const struct prb_problem *p, double slowest_ac,
                           double fastest_tle, double *seconds, struct err *err);

/* ---- default output validator --------------------------------------------
 * The spec's default validator: tokens split on space, \f, \n, \r, \t, \v;
 * string tokens equal byte for byte (case_sensitive) or up to ASCII case;
 * with any float tolerance set, an answer token matching the spec's float
 * grammar (decimal, optional exponent; no inf, nan or hex) is compared as a
 * number, the team token must then match the grammar too, and either
 * tolerance suffices (|s-a| <= abs, |s-a| <= rel*|a|). space_change_sensitive
 * requires every whitespace run, leading and trailing included, to be equal.
 */
struct prb_validator_flags {
    int case_sensitive;
    int space_change_sensitive;
    int has_abs_tol;
    int has_rel_tol;
    double abs_tol;
    double rel_tol;
};

/* Parses output_validator_args for the default validator. Unknown words,
 * repeated tolerances, float_tolerance together with another tolerance and
 * bad numbers are errors (a judge error: the package is wrong). */
int prb_validator_flags_parse(const struct prb_strv *args,
                              struct prb_validator_flags *flags, struct err *err);

struct prb_check_result {
    int accepted;               /* 1: accepted, 0: wrong answer */
    char message[PRB_CHECK_MSG_MAX];  /* short judge message; tokens are cut and escaped */
};

/* Compares team output to the answer; both buffers are borrowed and need not
 * be NUL-terminated. Returns 0 with res filled, or ERR_INVALID when flags is
 * inconsistent. flags may be NULL for the defaults. */
int prb_default_validate(const char *ans, size_t ans_len,
                         const char *team, size_t team_len,
                         const struct prb_validator_flags *flags,
                         struct prb_check_result *res);

/* ---- result aggregation ---------------------------------------------------- */

enum prb_verdict {
    PRB_VERDICT_PENDING,        /* not judged (yet) */
    PRB_VERDICT_AC,
    PRB_VERDICT_WA,
    PRB_VERDICT_TLE,
    PRB_VERDICT_RTE,
    PRB_VERDICT_MLE,
    PRB_VERDICT_OLE,
    PRB_VERDICT_IF,
    PRB_VERDICT_JE,
};

/* "AC", "WA", ... ("PENDING"). Borrowed. */
const char *prb_verdict_name(enum prb_verdict v);

enum prb_score_kind {
    PRB_SCORE_NONE,             /* the validator wrote neither file */
    PRB_SCORE_VALUE,            /* score.txt */
    PRB_SCORE_MULTIPLIER,       /* score_multiplier.txt (2023-07+) */
};

struct prb_case_result {
    enum prb_verdict verdict;
    enum prb_score_kind score_kind;
    double score;               /* the file's number when score_kind is set */
};

struct prb_group_result {
    enum prb_verdict verdict;   /* PENDING while a needed case is pending */
    double score;               /* scoring problems; 0 otherwise */
    double max_score;           /* 2023-07+: max_score (INFINITY if unbounded);
                                   legacy: the top of `range` */
    int skipped;                /* 2023-07+: require_pass not met */
};

/*
 * Aggregates per-case results (cases[i] is for p->cases[i]) into one result
 * per group (groups[j] for p->groups[j]; groups may be NULL) and the
 * submission's result in *total:
 *  - pass-fail: AC iff every case of sample and secret is AC, else the
 *    verdict of the first case that is not (legacy: its default grader);
 *  - 2023-07+ scoring: test case max scores, score.txt / score_multiplier.txt
 *    rules, pass-fail/sum/min aggregation, require_pass; total->score is the
 *    score of secret;
 *  - legacy: the default grader with accept_score/reject_score, on_reject,
 *    verdict and score modes, ignore_sample and accept_if_any_accepted.
 * Returns ERR_INVALID when the validator broke a scoring rule (a judge
 * error; total->verdict is then JE and err says why) and ERR_UNSUPPORTED for
 * legacy custom graders.
 */
int prb_problem_aggregate(const struct prb_problem *p,
                          const struct prb_case_result *cases,
                          struct prb_group_result *groups,
                          struct prb_group_result *total, struct err *err);

/* ---- AI problems (docs/ai-problems.md) ------------------------------------
 * An AI problem is a package whose problem.yaml has `crucible: {ai: {...}}`:
 * visible inputs in ai/public/ (downloadable; /data for code submissions),
 * the hidden ground truth in ai/solution.csv (id column, truth column, split
 * column), and a metric. It must be of type pass-fail and needs no data/
 * folder: without one, root_group holds an empty secret group (n_groups 2,
 * sample NULL, n_cases 0), so aggregation still works.
 * Contestants send a CSV of predictions (or code that writes one); it is
 * validated against the solution and scored on the public and on the private
 * rows. Messages about predictions quote only what the contestant sent and
 * the ids the solution expects, never a label or another solution value.
 */
#define PRB_AI_MAX_ROWS              10000000   /* data rows of one CSV */
#define PRB_AI_MAX_COLUMNS           10000      /* fields of one CSV row */
#define PRB_AI_MAX_FIELD_BYTES       ((size_t)1 << 20)   /* one CSV field */
#define PRB_AI_MAX_SOLUTION_BYTES    ((uint64_t)256 << 20)  /* ai/solution.csv */
#define PRB_AI_MAX_PREDICTION_BYTES  ((uint64_t)1 << 30)    /* max_prediction_bytes at most */
#define PRB_AI_DEFAULT_PREDICTION_BYTES ((uint64_t)10 << 20)
#define PRB_AI_DEFAULT_PRECISION     5
#define PRB_AI_MAX_PRECISION         12
#define PRB_AI_MAX_K                 10000      /* the K of map@K and ndcg@K */
#define PRB_AI_MAX_GPUS              64
#define PRB_AI_EPS                   1e-15      /* log_loss clips to [eps, 1-eps] */

enum prb_ai_metric { PRB_AI_ACCURACY, PRB_AI_F1_MICRO, PRB_AI_F1_MACRO, PRB_AI_ROC_AUC, PRB_AI_LOG_LOSS,
                     PRB_AI_RMSE, PRB_AI_MAE, PRB_AI_MAP_AT_K, PRB_AI_NDCG_AT_K, PRB_AI_CUSTOM };

/* Owned by struct prb_problem (freed by prb_problem_free). Paths are
 * absolute (under prb_problem.root) or NULL. */
struct prb_ai {
    enum prb_ai_metric metric;
    int k;                      /* map@K, ndcg@K; 0 otherwise */
    int maximize;               /* 1: higher is better */
    char *id_column;            /* "id" */
    struct prb_strv prediction_columns;  /* default ["prediction"]; log_loss with
                                            several: one per class, named by it */
    char *split_column;         /* or NULL when public_ids_path is set */
    char *public_ids_path;      /* or NULL when split_column is set */
    int precision;              /* decimals on leaderboards (5) */
    uint64_t max_prediction_bytes;
    int gpus;                   /* GPUs a code submission gets (0) */
    char *predictions_file;     /* "predictions.csv": a plain file name */
    char *public_dir;           /* ai/public, or NULL when the package has none */
    char *solution_path;        /* ai/solution.csv (always set) */
    char *scorer_dir;           /* ai/scorer (custom only), else NULL */
};

struct prb_ai_score {
    double public_score, private_score;  /* 0 for a part without rows */
    size_t rows_public, rows_private;
};

/* "accuracy", "f1_micro", ..., "map@K" with the K (k is ignored for the
 * others); the result lives in out (at least 32 bytes) and is returned. */
const char *prb_ai_metric_name(enum prb_ai_metric m, int k, char *out, size_t size);
/* Parses a metric name as problem.yaml spells it ("map@10"): 0 or
 * ERR_INVALID (an unknown name, or K outside 1..PRB_AI_MAX_K). */
int prb_ai_metric_parse(const char *s, enum prb_ai_metric *m, int *k);
/* 1 when higher is better by nature (all but log_loss, rmse and mae; custom: 1). */
int prb_ai_metric_maximize(enum prb_ai_metric m);

/*
 * Validates the prediction file against the solution and computes both
 * scores. Returns:
 *  - 0 with *out filled;
 *  - ERR_INVALID when the predictions are bad: err holds a message fit for
 *    the contestant (the first few problems: line numbers, ids, columns;
 *    never a label value or anything of the solution beyond the ids it
 *    expects), e.g. "predictions.csv line 7: id 'x19' appears twice";
 *  - ERR_UNSUPPORTED for PRB_AI_CUSTOM (the judge runs the scorer);
 *  - any other negative code when the solution or the system is at fault (a
 *    judge error: the message is for the jury and logs; it names lines and
 *    columns of the solution but no values).
 * Both files are read whole: the predictions up to ai->max_prediction_bytes,
 * the solution up to PRB_AI_MAX_SOLUTION_BYTES.
 */
int prb_ai_score_file(const struct prb_ai *ai, const char *predictions_path, struct prb_ai_score *out,
                      struct err *err);

/* Checks ai/solution.csv (and the public ids file) as the loader does for an
 * AI package with a built-in metric, and counts its public and private rows
 * (either pointer may be NULL). Errors name the file and line; never values. */
int prb_ai_solution_check(const struct prb_ai *ai, size_t *rows_public, size_t *rows_private,
                          struct err *err);

/* The metric on in-memory values, for tests and the custom path. Row i has
 * the truth truth[i] (as in the solution: a label, a number, "0"/"1" for
 * roc_auc and binary log_loss, a space-separated set or "item:gain" list for
 * map@K and ndcg@K) and either pred[i] (accuracy, f1_*, map@K, ndcg@K: a
 * label or a space-separated ranked list) or the n_cols numbers
 * pred_num[i*n_cols ...] (roc_auc: a score; log_loss: the probability of "1"
 * when n_cols is 1, else one per class in classes[]; rmse, mae: a value).
 * n may be 0 (the result is 0). ERR_INVALID when a truth value does not fit
 * the metric (a truth number that does not parse, a class not in classes);
 * ERR_UNSUPPORTED for PRB_AI_CUSTOM. */
struct prb_ai_rows {
    size_t n;
    const char *const *truth;
    const char *const *pred;
    const double *pred_num;
    size_t n_cols;
    const char *const *classes;
};

int prb_ai_metric_compute(enum prb_ai_metric m, int k, const struct prb_ai_rows *rows, double *out,
                          struct err *err);

#endif
