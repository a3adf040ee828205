/*
 * storage_fixture.h: what the storage tests share: a scratch data folder
 * that is removed afterwards, and one-line makers for the rows most tests
 * need (a user, a problem, a judge host, a submission).
 */
#ifndef CRUCIBLE_TESTS_STORAGE_FIXTURE_H
#define CRUCIBLE_TESTS_STORAGE_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "storage.h"

static inline int fixture_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

/* A fresh folder under $TMPDIR; the caller removes it with fixture_rmdir. */
static inline void fixture_tmpdir(char out[256])
{
    const char *base = getenv("TMPDIR");
    snprintf(out, 256, "%s/crucible-storage-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        exit(2);
    }
}

static inline void fixture_rmdir(const char *dir)
{
    nftw(dir, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Opens the store or stops the test: nothing else can be checked without it. */
static inline struct web_store *fixture_open(const char *dir)
{
    struct web_store *s = NULL;
    struct err err;
    if (web_store_open(dir, &s, &err) < 0) {
        fprintf(stderr, "cannot open store in '%s': %s\n", dir, err.msg);
        exit(1);
    }
    return s;
}

static inline int64_t fixture_user(struct web_store *s, const char *name, enum web_role role)
{
    struct web_user u = { 0 };
    struct err err;
    snprintf(u.name, sizeof(u.name), "%s", name);
    snprintf(u.display_name, sizeof(u.display_name), "User %s", name);
    u.role = role;
    u.created_at = 1000;
    if (web_store_user_create(s, &u, &err) < 0) {
        fprintf(stderr, "cannot create user '%s': %s\n", name, err.msg);
        exit(1);
    }
    return u.id;
}

static inline int64_t fixture_problem(struct web_store *s, const char *name)
{
    struct web_problem p = { 0 };
    struct err err;
    snprintf(p.short_name, sizeof(p.short_name), "%s", name);
    snprintf(p.title, sizeof(p.title), "Problem %s", name);
    memset(p.package_hash, 'a', WEB_HASH_HEX);
    p.time_limit = 1.5;
    p.memory_limit = 256 << 20;
    snprintf(p.type, sizeof(p.type), "pass-fail");
    p.created_at = 1000;
    if (web_store_problem_create(s, &p, &err) < 0) {
        fprintf(stderr, "cannot create problem '%s': %s\n", name, err.msg);
        exit(1);
    }
    return p.id;
}

static inline int64_t fixture_judge(struct web_store *s, const char *name, char token[WEB_TOKEN_HEX + 1])
{
    struct web_judge_host h = { 0 };
    char scratch[WEB_TOKEN_HEX + 1];
    struct err err;
    snprintf(h.name, sizeof(h.name), "%s", name);
    h.enabled = 1;
    h.created_at = 1000;
    if (web_store_judge_host_create(s, &h, token ? token : scratch, &err) < 0) {
        fprintf(stderr, "cannot create judge host '%s': %s\n", name, err.msg);
        exit(1);
    }
    return h.id;
}

/* A submission with a distinct fake source hash; contest_id 0 is practice. */
static inline int64_t fixture_submission(struct web_store *s, int64_t user_id, int64_t problem_id,
                                         int64_t contest_id, int64_t at, struct err *err)
{
    struct web_submission sub = { 0 };
    sub.user_id = user_id;
    sub.problem_id = problem_id;
    sub.contest_id = contest_id;
    snprintf(sub.language, sizeof(sub.language), "cpp");
    snprintf(sub.filename, sizeof(sub.filename), "sol.cpp");
    snprintf(sub.source_hash, sizeof(sub.source_hash), "%064llx", (unsigned long long)at);
    sub.source_size = 100;
    sub.submitted_at = at;
    if (web_store_submission_create(s, &sub, err) < 0)
        return -1;
    return sub.id;
}

#endif
