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
