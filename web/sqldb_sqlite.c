/*
 * sqldb_sqlite.c: sqldb.h over SQLite: prepared statements used as they
 * are, one connection per store.
 */
#include "sqldb.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "storage.h"

struct lite {
    struct sqldb base;          /* first */
    sqlite3 *db;
    int last_rc;                /* the last failed step's result code */
};

struct lite_stmt {
    struct sqldb_stmt base;     /* first */
    sqlite3_stmt *st;
};

static const struct sqldb_ops lite_ops;

static struct lite *LITE(struct sqldb *db)
{
    return (struct lite *)db;
}

#define ST(s) (((struct lite_stmt *)(s))->st)

/* Maps an SQLite result code to ours; call before the statement is reset. */
static int lite_error(struct lite *l, int rc, const char *what, struct err *err)
{
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return err_set(err, WEB_STORE_CONFLICT, "%s: already exists", what);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return err_set(err, ERR_INVALID, "%s: refers to a missing row", what);
    default:
        break;
    }
    /* ops: a full disk or a data folder that cannot be written */
    int sys = sqlite3_system_errno(l->db);
    if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
        return err_set(err, WEB_STORE_FULL, "%s: the disk is full", what);
    if ((rc & 0xff) == SQLITE_READONLY ||
        (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) && (sys == EROFS || sys == EACCES)))
        return err_set(err, WEB_STORE_READONLY, "%s: the data folder is read-only", what);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return err_set(err, ERR_INVALID, "%s: %s", what, sqlite3_errmsg(l->db));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return err_set(err, WEB_STORE_BUSY, "%s: the database is busy", what);
    default:
        return err_set(err, ERR_SYSTEM, "%s: %s", what, sqlite3_errmsg(l->db));
    }
}

static void lite_close(struct sqldb *db)
{
    if (!db)
        return;
    sqlite3_close(LITE(db)->db);
    free(db);
}

static int lite_prepare(struct sqldb *db, const char *sql, struct sqldb_stmt **out, struct err *err)
{
    struct lite *l = LITE(db);
    sqlite3_stmt *st = NULL;
    *out = NULL;
    int rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return lite_error(l, rc, "cannot prepare a query", err);
    struct lite_stmt *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->base.db = db;
    s->st = st;
    *out = (struct sqldb_stmt *)s;
    return 0;
}

static void lite_finalize(struct sqldb_stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(ST(st));
    free(st);
}

static void lite_bind_i64(struct sqldb_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(ST(st), i, v);
}

static void lite_bind_f64(struct sqldb_stmt *st, int i, double v)
{
    sqlite3_bind_double(ST(st), i, v);
}

static void lite_bind_text(struct sqldb_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(ST(st), i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(ST(st), i);
}

static void lite_bind_blob(struct sqldb_stmt *st, int i, const void *v, size_t n)
{
    sqlite3_bind_blob64(ST(st), i, v, n, SQLITE_STATIC);
}

static void lite_bind_null(struct sqldb_stmt *st, int i)
{
    sqlite3_bind_null(ST(st), i);
}

static int lite_step(struct sqldb_stmt *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return SQLDB_ROW;
    if (rc == SQLITE_DONE)
        return SQLDB_DONE;
    LITE(st->db)->last_rc = rc;
    return SQLDB_ERROR;
}

static int lite_last_error(struct sqldb *db, const char *what, struct err *err)
{
    return lite_error(LITE(db), LITE(db)->last_rc, what, err);
}

static void lite_reset(struct sqldb_stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

static int lite_is_null(struct sqldb_stmt *st, int i)
{
    return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}

static int64_t lite_col_i64(struct sqldb_stmt *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}

static double lite_col_f64(struct sqldb_stmt *st, int i)
{
    return sqlite3_column_double(ST(st), i);
}

static const void *lite_col_bytes(struct sqldb_stmt *st, int i, size_t *len)
{
    const void *p = sqlite3_column_type(ST(st), i) == SQLITE_BLOB ? sqlite3_column_blob(ST(st), i)
                                                                   : (const void *)sqlite3_column_text(ST(st), i);
    *len = p ? (size_t)sqlite3_column_bytes(ST(st), i) : 0;
    return p;
}

static int64_t lite_changes(struct sqldb *db)
{
    return sqlite3_changes(LITE(db)->db);
}

static int lite_exec(struct sqldb *db, const char *sql, const char *what, struct err *err)
{
    struct lite *l = LITE(db);
    const char *p = sql;
    while (*p) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(l->db, p, -1, &st, &tail);
        if (rc != SQLITE_OK)
            return lite_error(l, rc, what, err);
        if (!st)                    /* whitespace or a comment */
            break;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        int out = rc == SQLITE_DONE ? 0 : lite_error(l, rc, what, err);
        sqlite3_finalize(st);
        if (out < 0)
            return out;
        p = tail;
    }
    return 0;
}

static int lite_in_tx(struct sqldb *db)
{
    return !sqlite3_get_autocommit(LITE(db)->db);
}

struct sqlite3 *sqldb_sqlite_handle(struct sqldb *db)
{
    return db && db->ops == &lite_ops ? LITE(db)->db : NULL;
}

int sqldb_sqlite_open(const char *path, struct sqldb **out, struct err *err)
{
    *out = NULL;
    /* Whether this open creates the file: then it is made unreadable to
     * others below. (Not by an open() and close() of our own: closing any
     * descriptor of the file drops every POSIX lock this process holds on
     * it, the read locks of the other stores open here included, and then
     * another process's SQLite believes it is the last user and deletes the
     * -wal and -shm files under our feet.) */
    struct stat st;
    int existed = lstat(path, &st) == 0;
    if (existed && !S_ISREG(st.st_mode))
        return err_set(err, ERR_INVALID, "'%s' is not a regular file", path);
    struct lite *l = calloc(1, sizeof(*l));
    if (!l)
        abort();
    l->base.ops = &lite_ops;
    int rc = sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        rc = err_set(err, ERR_SYSTEM, "cannot open '%s': %s", path, l->db ? sqlite3_errmsg(l->db) : "out of memory");
        goto fail;
    }
    /* The database holds password hashes. A new file is still empty here,
     * and SQLite gives its -wal and -shm files the database's mode. */
    if (!existed && chmod(path, 0640) < 0) {
        rc = err_sys(err, "cannot chmod '%s'", path);
        goto fail;
    }
    sqlite3_extended_result_codes(l->db, 1);
    /* Writers queue behind each other for up to this long before BUSY. */
    sqlite3_busy_timeout(l->db, 10000);
    /* synchronous=FULL: a commit is on disk when it returns, even across a
     * power cut; submissions arrive a few a second, so the fsync is cheap. */
    if ((rc = lite_exec(&l->base, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", path, err)) < 0)
        goto fail;
    sqlite3_stmt *q = NULL;
    rc = sqlite3_prepare_v2(l->db, "PRAGMA journal_mode = WAL", -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        rc = lite_error(l, rc, path, err);
        sqlite3_finalize(q);
        goto fail;
    }
    const char *mode = (const char *)sqlite3_column_text(q, 0);
    if (!mode || strcmp(mode, "wal") != 0) {
        rc = err_set(err, ERR_UNSUPPORTED, "'%s' cannot use WAL mode (it stays in '%s')", path, mode ? mode : "?");
        sqlite3_finalize(q);
        goto fail;
    }
    sqlite3_finalize(q);
    *out = &l->base;
    return 0;
fail:
    lite_close(&l->base);
    return rc;
}

static const struct sqldb_ops lite_ops = {
    .engine = "sqlite",
    .close = lite_close,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .bind_i64 = lite_bind_i64,
    .bind_f64 = lite_bind_f64,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .error = lite_last_error,
    .reset = lite_reset,
    .is_null = lite_is_null,
    .col_i64 = lite_col_i64,
    .col_f64 = lite_col_f64,
    .col_bytes = lite_col_bytes,
    .changes = lite_changes,
    .exec = lite_exec,
    .in_tx = lite_in_tx,
};
