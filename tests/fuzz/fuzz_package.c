/*
 * fuzz_package.c: libFuzzer target for problem.yaml as a whole, through
 * prb_package_load on a real package directory: the schema of every format
 * (legacy, 2023-07-draft, 2025-09), its defaults and cross-checks, and the
 * test data tree that the yaml's settings change.
 *
 * The package is a temporary directory made once per process with a minimal
 * data/ tree (a sample case and two secret test data groups, each with a
 * test_group.yaml, one also with a legacy testdata.yaml) and an output_validator/
 * directory (interactive and multi-pass problems need one); each input only
 * rewrites problem.yaml.
 * A package that loads is also asked for its name and time limit, and an
 * all-accepted and a mixed result are aggregated over it.
 * FUZZ_PACKAGE_VERBOSE=1 prints why each input was refused, or what loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char pkg_dir[] = "/tmp/crucible-fuzz-package-XXXXXX";
static char yaml_path[sizeof(pkg_dir) + 32];

static void write_file(const char *rel, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", pkg_dir, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(path);
        abort();
    }
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror(path);
            abort();
        }
        p += w;
        len -= (size_t)w;
    }
    close(fd);
}

static void make_dir(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", pkg_dir, rel);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        perror(path);
        abort();
    }
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    remove(path);
    return 0;
}

static void cleanup(void)
{
    nftw(pkg_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *rel, const char *text)
{
    write_file(rel, text, strlen(text));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (!mkdtemp(pkg_dir)) {
        perror("mkdtemp");
        abort();
    }
    atexit(cleanup);
    snprintf(yaml_path, sizeof(yaml_path), "%s/problem.yaml", pkg_dir);
    make_dir("data");
    make_dir("data/sample");
    make_dir("data/secret");
    make_dir("data/secret/group1");
    make_dir("data/secret/group2");
    make_dir("statement");
    make_dir("output_validator");
    put("statement/problem.en.md", "# Sum\n\nAdd two numbers.\n");
    put("output_validator/validate.py", "import sys\nsys.exit(42)\n");
    put("data/sample/01.in", "1 2\n");
    put("data/sample/01.ans", "3\n");
    put("data/secret/group1/01.in", "5 5\n");
    put("data/secret/group1/01.ans", "10\n");
    put("data/secret/group1/02.in", "0 0\n");
    put("data/secret/group1/02.ans", "0\n");
    put("data/secret/group1/test_group.yaml", "output_validator_args: [case_sensitive]\n");
    put("data/secret/group2/test_group.yaml", "{}\n");
    put("data/secret/group2/01.in", "2 2\n");
    put("data/secret/group2/01.ans", "4\n");
    put("data/secret/group2/testdata.yaml", "output_validator_flags: float_tolerance 1e-6\n");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct prb_problem *p = NULL;
    struct err err = { 0 };
    write_file("problem.yaml", data, size);
    if (prb_package_load(pkg_dir, NULL, NULL, &p, &err) < 0) {
        if (p)
            abort();            /* *out is NULL on failure */
        if (getenv("FUZZ_PACKAGE_VERBOSE"))
            fprintf(stderr, "refused: %s\n", err.msg);
        return 0;
    }
    if (getenv("FUZZ_PACKAGE_VERBOSE"))
        fprintf(stderr, "loaded: %s, %zu groups, %zu cases\n", prb_format_name(p->format), p->n_groups,
                p->n_cases);
    (void)prb_problem_name(p);
    (void)prb_format_name(p->format);
    double tl;
    if (prb_problem_time_limit(p, &tl, &err) == ERR_NOTFOUND)
        (void)prb_time_limit_compute(p, 0.5, 2.0, &tl, &err);

    struct prb_case_result *cases = calloc(p->n_cases + 1, sizeof(*cases));
    struct prb_group_result *groups = calloc(p->n_groups + 1, sizeof(*groups));
    struct prb_group_result total;
    if (!cases || !groups)
        abort();
    for (size_t i = 0; i < p->n_cases; i++)
        cases[i].verdict = PRB_VERDICT_AC;
    (void)prb_problem_aggregate(p, cases, groups, &total, &err);
    for (size_t i = 0; i < p->n_cases; i++) {
        cases[i].verdict = (i & 1) ? PRB_VERDICT_WA : PRB_VERDICT_AC;
        cases[i].score_kind = PRB_SCORE_VALUE;
        cases[i].score = 1.0;
    }
    (void)prb_problem_aggregate(p, cases, groups, &total, &err);
    free(cases);
    free(groups);
    prb_problem_free(p);
    return 0;
}
