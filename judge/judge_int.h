/*
 * judge_int.h: what the judge's own files share.
 */
#ifndef CRUCIBLE_JUDGE_INT_H
#define CRUCIBLE_JUDGE_INT_H

#include <sys/types.h>

#include "judge.h"

#define JDG_PATH_MAX 1024
#define JDG_MAX_FILES 64                   /* source files of one program */
#define JDG_SOURCE_MAX_BYTES (16u << 20)   /* all source files of one program */
#define JDG_DEFAULT_MEMORY_MIB 2048
#define JDG_DEFAULT_OUTPUT_MIB 8
#define JDG_DEFAULT_COMPILE_S 60
#define JDG_DEFAULT_VALIDATION_S 60
#define JDG_ANSWER_MAX_BYTES ((uint64_t)1 << 30)
#define JDG_FEEDBACK_MAX_BYTES (64u << 10)

struct jdg_judge {
    const struct jdg_languages *langs;
    struct sbx_context *sbx;
    char self_exe[JDG_PATH_MAX];   /* this binary: the built-in scorer's box runs it */
};

/* A program made ready to run: its files compiled (or copied) into dir,
 * owned by root and read-only to the runs. */
struct jdg_program {
    const struct jdg_language *lang;
    char dir[JDG_PATH_MAX];
    char main[256];             /* main file name without extension */
    struct prb_strv run;        /* argv template, or the package's own `run` script */
    int own_run_script;         /* a validator directory with build/run */
};

/* Limits for one sandboxed step. */
struct jdg_limits {
    double time;
    uint64_t memory;
    uint64_t output;
    int processes;
};

/* util.c */
/* Moves the calling process (before it starts threads or children) into a
 * mount namespace of its own whose mounts do not propagate back to the
 * host, so the work tmpfs of a judge killed mid-job goes away with it
 * instead of staying mounted on the host. A no-op without the privilege;
 * returns 0 or -1 (errno set). */
int jdg_mounts_private(void);
int jdg_mkdirs(const char *path, mode_t mode);
int jdg_rmtree(const char *path);

/* ---- security: the parsers of validators' and scorers' output (judge.c),
 * exposed for tests/fuzz/fuzz_checker_output.c ---- */
/* A feedback file's bytes as a message: trailing line ends cut, at most
 * size - 1 bytes, control characters but '\n' made spaces. */
void jdg_feedback_text(const char *data, size_t n, char *out, size_t size);
/* score.txt / score_multiplier.txt: 0 when empty, 1 and *score for one
 * finite number (spaces and line ends after it allowed), else -1. */
int jdg_score_text_parse(const char *text, double *score);
/* A testlib checker's "points X" message (exit 7): 0 and *points, or -1. */
int jdg_testlib_points(const char *message, double *points);
/* An AI scorer's stdout: exactly {"public": x, "private": y}, finite. */
struct prb_ai_score;
int jdg_scorer_output_parse(const char *text, size_t len, struct prb_ai_score *out, struct err *err);
int jdg_copy_file(const char *src, const char *dst, mode_t mode, uint64_t max, struct err *err);
int jdg_copy_tree(const char *src, const char *dst, struct err *err);
/* Makes every file below dir root-owned and read-only to others, and removes
 * whatever is not a regular file or folder (links, fifos, sockets). */
int jdg_seal_tree(const char *dir, struct err *err);
/* The opposite, for a validator's feedback folder between passes: every
 * file readable and writable by any uid (folders 0777, files 0666; the
 * folder is only ever visible inside the validator's own runs). */
int jdg_open_tree(const char *dir, struct err *err);
/* Reads at most max bytes of a file; *truncated says whether there was more. */
int jdg_read_capped(const char *path, size_t max, struct buf *out, int *truncated);
/* Expands {files}, {main}, {memory_mib} in a command template. The result's
 * strings are owned by out (release with jdg_strv_release). */
int jdg_expand(const struct prb_strv *tmpl, const char *const *files, size_t nfiles,
               const char *main, uint64_t memory_mib, struct prb_strv *out);
void jdg_strv_release(struct prb_strv *sv);
int jdg_strv_push(struct prb_strv *sv, const char *s);
/* Hex BLAKE2b of the files below dir (names and contents) and extra text. */
int jdg_hash_tree(const char *dir, const char *extra, char hex[65], struct err *err);

/* languages.c */
/* Whether this machine can run the language: its programs exist, GPUs are
 * present when it needs them, and (when sbx is given) its version command
 * runs in the sandbox; version gets its first line. Returns 1 if so, 0 if
 * not, -1 when the sandbox could not run the version command (perhaps a
 * passing failure); why says why not. Used by `judge languages` and by the
 * daemon's claims. */
int jdg_language_usable(struct sbx_context *sbx, const struct jdg_language *l, char *why, size_t size,
                        char *version, size_t vsize);

/* ai_score.c: the built-in metrics' sandboxed scoring step. */
#define JDG_AI_SCORER_REJECT 43            /* a scorer's exit code for bad predictions */
/* Writes the AI problem's scoring settings (metric, columns, split, limits:
 * no path and no solution value) as JSON, world-readable, for the box. */
int jdg_ai_config_write(const struct prb_ai *ai, const char *path, struct err *err);
/* `crucible judge ai-score SETTINGS SOLUTION PREDICTIONS [PUBLIC_IDS]`, run
 * by the judge inside the sandbox: {"public","private"} on stdout and exit
 * 0; exit 43 with a contestant-safe message on stderr; 1 on a judge error. */
int jdg_cmd_ai_score(int argc, char **argv);

/* daemon.c */
int jdg_cmd_daemon(int argc, char **argv);   /* crucible judge daemon */

/* program.c */
/* Compiles a submission's files (host paths) into dir; compile output goes
 * to log_path. Returns 0 when it compiled, 1 on a compile error (res holds
 * the sandbox's verdict), negative when the judge failed. */
int jdg_program_build(struct jdg_judge *j, const struct jdg_language *lang,
                      const char *const *files, size_t nfiles, const char *dir,
                      const char *log_path, const struct jdg_limits *lim,
                      struct sbx_result *res, double *cpu, struct err *err);
/* A validator or checker of the package (a file or a folder), compiled once
 * into the cache. */
int jdg_program_prepare_package(struct jdg_judge *j, const char *path, const char *cache_dir,
                                const char *work, struct jdg_program *prog, double *cpu,
                                struct err *err);
void jdg_program_release(struct jdg_program *prog);
/* Adds a language's "HOST[:INSIDE]" binds to cfg; the strings live in store
 * (SBX_MAX_BINDS entries), which must outlive the run. */
void jdg_language_binds(const struct jdg_language *lang, struct sbx_config *cfg, char store[][JDG_PATH_MAX]);
/* A submission's source files: the file itself, or the files of a folder in
 * one language (name order). files[] gets up to JDG_MAX_FILES strings the
 * caller frees. */
int jdg_source_files(const struct jdg_languages *langs, const char *path, char **files, size_t *nfiles,
                     const struct jdg_language **lang);
/* Fills cfg to run prog (extra args appended) in a fresh box at box_dir. */
int jdg_program_config(const struct jdg_program *prog, const char *box_dir,
                       const struct jdg_limits *lim, const struct prb_strv *args,
                       struct prb_strv *argv_store, struct sbx_config *cfg, struct err *err);

#endif
