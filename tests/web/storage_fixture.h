/*
 * storage_fixture.h: what the storage tests share: a scratch data folder
 * that is removed afterwards (with, on PostgreSQL, a fresh database), and
 * one-line makers for the rows most tests need (a user, a problem, a judge
 * host, a submission).
 */
#ifndef CRUCIBLE_TESTS_STORAGE_FIXTURE_H
#define CRUCIBLE_TESTS_STORAGE_FIXTURE_H

#include <ftw.h>
#include <libpq-fe.h>
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

/* ---- PostgreSQL mode ------------------------------------------------------------------------
 * How this works: when CRUCIBLE_TEST_PG holds a libpq conninfo of a cluster
 * (`host=/tmp/pgdev user=postgres`), every scratch folder comes with a fresh,
 * empty database, and CRUCIBLE_DATABASE names it, so every store opened
 * afterwards, here or in a child process, runs on PostgreSQL. fixture_rmdir
 * drops the database (WITH (FORCE): a killed child's session may linger);
 * those a test that stops early leaves are dropped at exit, by the process
 * that made them only (a forked child that exits must not drop its
 * parent's). Names: crucible_test_<pid>_<n>. */

#define FIXTURE_PG_MAX 32

static struct fixture_pg_db {
    char dir[256];
    char name[64];
    pid_t owner;
} fixture_pg_dbs[FIXTURE_PG_MAX];
static int fixture_pg_made;

/* The base conninfo, or NULL: SQLite mode. */
static inline const char *fixture_pg(void)
{
    const char *base = getenv("CRUCIBLE_TEST_PG");
    return base && *base ? base : NULL;
}

/* What web_store_engine() answers in this mode. */
static inline const char *fixture_engine(void)
{
    return fixture_pg() ? "postgresql" : "sqlite";
}

static inline void fixture_pg_quiet(void *arg, const char *msg)
{
    (void)arg, (void)msg;
}

/* A connection to database dbname of the base conninfo (NULL: the database
 * that conninfo names), or NULL after printing why. */
static inline PGconn *fixture_pg_connect(const char *conninfo, const char *dbname)
{
    const char *keys[] = { "dbname", dbname ? "dbname" : NULL, NULL };
    const char *vals[] = { conninfo, dbname, NULL };
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, fixture_pg_quiet, NULL);
    return c;
}

/* Runs sql (no rows back) on database dbname of conninfo (as
 * fixture_pg_connect): 0, or -1 after printing why. */
static inline int fixture_pg_exec(const char *conninfo, const char *dbname, const char *sql)
{
    PGconn *c = fixture_pg_connect(conninfo, dbname);
    if (!c)
        return -1;
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc < 0)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return rc;
}

/* Runs sql on the cluster's maintenance database `postgres`. */
static inline int fixture_pg_admin(const char *sql)
{
    return fixture_pg_exec(fixture_pg(), "postgres", sql);
}

/* The base conninfo with dbname replaced, as key='value' pairs (the base may
 * be a URI, which cannot simply be appended to); the caller frees it. */
static inline char *fixture_pg_conninfo(const char *dbname)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(fixture_pg(), &msg);
    struct buf b;
    if (!opts) {
        fprintf(stderr, "CRUCIBLE_TEST_PG: %s", msg ? msg : "out of memory\n");
        PQfreemem(msg);
        exit(2);
    }
    buf_init(&b, 0);
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !strcmp(o->keyword, "dbname"))
            continue;
        buf_addf(&b, "%s='", o->keyword);
        for (const char *p = o->val; *p; p++) {
            if (*p == '\'' || *p == '\\')
                buf_add(&b, "\\", 1);
            buf_add(&b, p, 1);
        }
        buf_adds(&b, "' ");
    }
    buf_addf(&b, "dbname=%s", dbname);
    PQconninfoFree(opts);
    return buf_detach(&b, NULL);
}

static inline int fixture_pg_drop(const char *name)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    return fixture_pg_admin(sql);
}

static inline void fixture_pg_drop_all(void)
{
    for (int i = 0; i < FIXTURE_PG_MAX; i++)
        if (fixture_pg_dbs[i].name[0] && fixture_pg_dbs[i].owner == getpid()) {
            fixture_pg_drop(fixture_pg_dbs[i].name);
            fixture_pg_dbs[i].name[0] = '\0';
        }
}

/* Makes a fresh database for the folder dir and points CRUCIBLE_DATABASE at it. */
static inline void fixture_pg_create(const char *dir)
{
    struct fixture_pg_db *d = NULL;
    char sql[128];
    for (int i = 0; i < FIXTURE_PG_MAX && !d; i++)
        if (!fixture_pg_dbs[i].name[0])
            d = &fixture_pg_dbs[i];
    if (!d) {
        fprintf(stderr, "more than %d test databases at once\n", FIXTURE_PG_MAX);
        exit(2);
    }
    if (fixture_pg_made++ == 0)
        atexit(fixture_pg_drop_all);
    snprintf(d->dir, sizeof(d->dir), "%s", dir);
    snprintf(d->name, sizeof(d->name), "crucible_test_%ld_%d", (long)getpid(), fixture_pg_made);
    d->owner = getpid();
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", d->name);
    if (fixture_pg_drop(d->name) < 0 || fixture_pg_admin(sql) < 0) {
        d->name[0] = '\0';
        exit(2);
    }
    char *conninfo = fixture_pg_conninfo(d->name);
    setenv("CRUCIBLE_DATABASE", conninfo, 1);
    free(conninfo);
}

/* A fresh folder under $TMPDIR alone, with no database of its own. */
static inline void fixture_tmpdir_only(char out[256])
{
    const char *base = getenv("TMPDIR");
    snprintf(out, 256, "%s/crucible-storage-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        exit(2);
    }
}

/* A fresh folder under $TMPDIR (and in PostgreSQL mode a fresh database that
 * the following web_store_open calls use); the caller removes both with
 * fixture_rmdir. */
static inline void fixture_tmpdir(char out[256])
{
    fixture_tmpdir_only(out);
    if (fixture_pg())
        fixture_pg_create(out);
}

static inline void fixture_rmdir(const char *dir)
{
    nftw(dir, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    for (int i = 0; i < FIXTURE_PG_MAX; i++)
        if (fixture_pg_dbs[i].name[0] && fixture_pg_dbs[i].owner == getpid() &&
            !strcmp(fixture_pg_dbs[i].dir, dir)) {
            fixture_pg_drop(fixture_pg_dbs[i].name);
            fixture_pg_dbs[i].name[0] = '\0';
        }
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
