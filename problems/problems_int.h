/*
 * problems_int.h: helpers shared by the files of problems/ and nothing else:
 * aborting allocators, string lists, and a small YAML tree with line numbers
 * that the problem.yaml and test data parsers walk.
 */
#ifndef CRUCIBLE_PROBLEMS_INT_H
#define CRUCIBLE_PROBLEMS_INT_H

#include <stddef.h>

#include "problems.h"

/* ---- memory: out of memory aborts (STYLE.md) ---- */
void *prbi_malloc(size_t n);
void *prbi_calloc(size_t n, size_t size);
void *prbi_realloc_array(void *p, size_t n, size_t size);
char *prbi_strdup(const char *s);
char *prbi_strndup(const char *s, size_t n);
/* "a" + "/" + "b", the caller's. */
char *prbi_path_join(const char *a, const char *b);

void prbi_strv_push(struct prb_strv *sv, const char *s);
void prbi_strv_copy(struct prb_strv *dst, const struct prb_strv *src);
void prbi_strv_release(struct prb_strv *sv);
/* Splits s on ASCII whitespace and appends the words; ERR_LIMIT past
 * PRB_MAX_ARGS words. */
int prbi_strv_split(struct prb_strv *sv, const char *s);

/* ---- YAML tree ---- */
enum prbi_ykind { PRBI_Y_SCALAR, PRBI_Y_SEQ, PRBI_Y_MAP };

struct prbi_ynode {
    enum prbi_ykind kind;
    unsigned line;              /* 1-based */
    char *str;                  /* scalar text, NUL-terminated */
    size_t len;
    int plain;                  /* plain (unquoted, untagged) scalar */
    struct prbi_ynode **kids;   /* seq: items; map: key, value, key, value... */
    size_t n;                   /* number of kids */
};

/*
 * Parses the YAML text into a tree. Anchors and aliases, more than one
 * document, non-scalar map keys, duplicate keys and anything past the
 * PRB_YAML_* limits are errors "FILE:LINE: ...", with FILE the name given.
 * An empty document gives *root = NULL.
 */
int prbi_yaml_parse(const char *text, size_t len, const char *file,
                    struct prbi_ynode **root, struct err *err);
void prbi_yaml_free(struct prbi_ynode *n);

/* Reads and parses path (at most PRB_YAML_MAX_BYTES); display names it in
 * errors. */
int prbi_yaml_load_file(const char *path, const char *display,
                        struct prbi_ynode **root, struct err *err);

/* Scalar type tests on the YAML 1.2 core schema (plain scalars only). */
int prbi_y_is_null(const struct prbi_ynode *n);

/* A schema walker: file name for messages plus the error sink. */
struct prbi_yctx {
    const char *file;
    struct err *err;
};

/* Sets "FILE:LINE: message" and returns ERR_INVALID. */
int prbi_yerr(const struct prbi_yctx *c, const struct prbi_ynode *n,
              const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Typed getters; key names the field in messages. */
int prbi_y_string(const struct prbi_yctx *c, const struct prbi_ynode *n,
                  const char *key, char **out);
int prbi_y_float(const struct prbi_yctx *c, const struct prbi_ynode *n,
                 const char *key, double *out);
int prbi_y_int(const struct prbi_yctx *c, const struct prbi_ynode *n,
               const char *key, int64_t min, int64_t max, int64_t *out);
int prbi_y_bool(const struct prbi_yctx *c, const struct prbi_ynode *n,
                const char *key, int *out);
/* A sequence of scalars (any scalar's text counts as a string). */
int prbi_y_strseq(const struct prbi_yctx *c, const struct prbi_ynode *n,
                  const char *key, struct prb_strv *out);
/* A string or a sequence of strings. */
int prbi_y_str_or_seq(const struct prbi_yctx *c, const struct prbi_ynode *n,
                      const char *key, struct prb_strv *out);
/* Requires a mapping (or NULL/empty document, treated as {}). */
int prbi_y_expect_map(const struct prbi_yctx *c, const struct prbi_ynode *n,
                      const char *what);

/* ---- loader internals shared by package.c and testdata.c ---- */

/* Everything the loader needs while walking one package. */
struct prbi_load {
    struct prb_problem *p;
    char *root_real;            /* realpath of the package root */
    struct err *err;
};

/* Checks that the file at full path stays inside the package (symlinks are
 * resolved); rel names it in errors. */
int prbi_check_inside(struct prbi_load *ld, const char *full, const char *rel);

/* Builds p->root_group, groups and cases from data/. */
int prbi_testdata_load(struct prbi_load *ld);
void prbi_group_free(struct prb_group *g);

#endif
