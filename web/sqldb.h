/*
 * sqldb.h: the few database calls storage_sql.c needs, over SQLite
 * (sqldb_sqlite.c) or PostgreSQL through libpq (sqldb_pg.c). storage_sql.c
 * writes every statement once, in SQLite's dialect with ?N parameters; the
 * PostgreSQL driver rewrites the handful of differences when it prepares a
 * statement (see sqldb_pg.c), so both engines run the same queries and the
 * same schema migrations.
 *
 * Conventions: a statement is prepared once and kept; each use binds its
 * parameters (1-based), steps until SQLDB_DONE, and is reset. Text bound is
 * borrowed until the reset. Errors are mapped to storage.h's codes
 * (WEB_STORE_CONFLICT for a unique key, ERR_INVALID for a missing referenced
 * row or a failed CHECK, WEB_STORE_FULL, WEB_STORE_READONLY, WEB_STORE_BUSY,
 * else ERR_SYSTEM) with `what` leading the message.
 */
#ifndef CRUCIBLE_WEB_SQLDB_H
#define CRUCIBLE_WEB_SQLDB_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

enum { SQLDB_ERROR = -1, SQLDB_DONE = 0, SQLDB_ROW = 1 };

struct sqldb;
struct sqldb_stmt;

struct sqldb_ops {
    const char *engine;         /* "sqlite", "postgresql" */
    void (*close)(struct sqldb *db);
    int (*prepare)(struct sqldb *db, const char *sql, struct sqldb_stmt **out, struct err *err);
    void (*finalize)(struct sqldb_stmt *st);
    void (*bind_i64)(struct sqldb_stmt *st, int i, int64_t v);
    void (*bind_f64)(struct sqldb_stmt *st, int i, double v);
    void (*bind_text)(struct sqldb_stmt *st, int i, const char *v);
    void (*bind_blob)(struct sqldb_stmt *st, int i, const void *v, size_t n);
    void (*bind_null)(struct sqldb_stmt *st, int i);
    /* SQLDB_ROW, SQLDB_DONE, or SQLDB_ERROR: then error() says what failed. */
    int (*step)(struct sqldb_stmt *st);
    /* The last failed step's error, mapped, with `what` leading the message. */
    int (*error)(struct sqldb *db, const char *what, struct err *err);
    void (*reset)(struct sqldb_stmt *st);   /* and clears the bindings */
    int (*is_null)(struct sqldb_stmt *st, int i);
    int64_t (*col_i64)(struct sqldb_stmt *st, int i);
    double (*col_f64)(struct sqldb_stmt *st, int i);
    /* NULL for NULL; *len its length. Valid until the next step or reset. */
    const void *(*col_bytes)(struct sqldb_stmt *st, int i, size_t *len);
    /* Rows changed by the last INSERT, UPDATE or DELETE. */
    int64_t (*changes)(struct sqldb *db);
    /* Runs statements without parameters, separated by ';' (migrations). */
    int (*exec)(struct sqldb *db, const char *sql, const char *what, struct err *err);
    /* Whether a transaction is open (an error may have ended one). */
    int (*in_tx)(struct sqldb *db);
};

struct sqldb {
    const struct sqldb_ops *ops;
};

/* Each engine's statement begins with this. */
struct sqldb_stmt {
    struct sqldb *db;
};

/* Opens (creating if missing) the SQLite database at path, in WAL mode with
 * foreign keys on; a new file gets mode 0640. */
int sqldb_sqlite_open(const char *path, struct sqldb **out, struct err *err);
/* The SQLite handle under db, for what only SQLite has (the backup API,
 * PRAGMAs); NULL for another engine. */
struct sqlite3 *sqldb_sqlite_handle(struct sqldb *db);

/* Connects to PostgreSQL with a libpq connection string (URI or key=value),
 * and makes what the shared statements need: the case-insensitive collation
 * `nocase`, and instr(). */
int sqldb_pg_open(const char *conninfo, struct sqldb **out, struct err *err);

/* Whether a `database` setting names PostgreSQL (else SQLite). */
int sqldb_is_pg(const char *database);

#endif
