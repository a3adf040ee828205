/*
 * sqldb_pg.c: sqldb.h over PostgreSQL (libpq), for a web tier of several
 * servers sharing one database.
 *
 * How this works:
 * - Statements are written once, in SQLite's dialect (storage_sql.c). When
 *   one is prepared here its text is rewritten outside string literals:
 *   ?N becomes $N; the column `freeze` (a reserved word here) is quoted;
 *   group_concat is string_agg; in schema text INTEGER is BIGINT (SQLite's
 *   integers are 64-bit), REAL is DOUBLE PRECISION, BLOB is BYTEA, an
 *   `INTEGER PRIMARY KEY` row id is an identity column and WITHOUT ROWID
 *   goes; strftime('%s', 'now') is the epoch. COLLATE NOCASE needs no
 *   rewriting: the connection creates a case-insensitive ICU collation named
 *   nocase, and an instr() function, once per database.
 * - SQLite lets one writer in at a time (BEGIN IMMEDIATE), and storage_sql.c
 *   relies on it: a claim reads the queue and then writes. Here BEGIN
 *   IMMEDIATE takes one transaction-level advisory lock, so write
 *   transactions from every server queue behind each other exactly as they
 *   do on SQLite, while reads run in parallel. lock_timeout turns a long wait
 *   into WEB_STORE_BUSY, as SQLite's busy timeout does.
 * - A statement is prepared on the server at its first use on a connection
 *   (PQprepare), with the types its parameters were bound with, so one the
 *   SQL leaves to context still gets a type, and is planned once. Values go
 *   as text (blobs in binary); results come as text and are parsed when
 *   read.
 * - A connection that was lost is re-opened before the next statement; a
 *   statement that failed for that reason outside a transaction is retried
 *   once.
 * - A statement that fails inside a transaction ends it: what follows fails
 *   and COMMIT reports the error (PostgreSQL would answer it with a silent
 *   rollback). SQLite carries on without the failed statement; callers roll
 *   back on any error, so both behave alike for them (storage.h, tx_begin).
 *   A savepoint around each statement would keep SQLite's behaviour, but
 *   costs two round trips and a subtransaction per statement, which a large
 *   transaction (a CSV import, a test's world of 100,000 submissions)
 *   cannot afford.
 */
#include "sqldb.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage.h"

/* pg_advisory_xact_lock's key for "the write lock": "Crucible" in ASCII. */
#define WRITE_LOCK "4859618452357884261"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

struct pg {
    struct sqldb base;          /* first */
    PGconn *conn;
    int64_t changes;
    char state[6];              /* the last failure's SQLSTATE */
    char message[256];          /* and its primary message */
    unsigned generation;        /* bumped by each reconnection (prepared statements go) */
    unsigned names;             /* prepared statements named so far */
};

struct pg_stmt {
    struct sqldb_stmt base;     /* first */
    char *sql;                  /* rewritten */
    int nparams;
    const char **values;
    int *lengths, *formats;
    unsigned int *types;
    char (*num)[32];            /* numbers formatted for values */
    unsigned char *used;        /* whether $i appears in sql */
    PGresult *res;
    int row, nrows;             /* the current row is row - 1 */
    unsigned char *bytea;       /* the last bytea column read, unescaped */
    unsigned prepared_in;       /* the connection's generation it was prepared in; 0 not */
    char name[24];              /* its name there */
};

static const struct sqldb_ops pg_ops;

static struct pg *PG(struct sqldb *db)
{
    return (struct pg *)db;
}

static struct pg_stmt *PS(struct sqldb_stmt *st)
{
    return (struct pg_stmt *)st;
}

int sqldb_is_pg(const char *database)
{
    return database && *database && strcmp(database, "sqlite") != 0;
}

/* ---- rewriting SQLite's dialect ---------------------------------------------------------- */

static void out_add(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether p starts with s. */
static int starts(const char *p, const char *s)
{
    return strncmp(p, s, strlen(s)) == 0;
}

/* The rewritten text (the caller frees it); used[i] (sized max_params + 1)
 * set for each $i found, *nparams the highest. */
static char *rewrite(const char *in, int *nparams, unsigned char *used, int max_params)
{
    struct buf b;
    buf_init(&b, SIZE_MAX);
    *nparams = 0;
    const char *p = in;
    while (*p) {
        if (*p == '\'' || *p == '"') {                  /* a literal or a quoted name, as is */
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q))
                e += *e == q ? 2 : 1;
            if (*e)
                e++;
            buf_add(&b, p, (size_t)(e - p));
            p = e;
            continue;
        }
        if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
            int n = 0;
            p++;
            while (*p >= '0' && *p <= '9')
                n = n * 10 + (*p++ - '0');
            buf_addf(&b, "$%d", n);
            if (n > *nparams)
                *nparams = n;
            if (used && n <= max_params)
                used[n] = 1;
            continue;
        }
        if (starts(p, "strftime('%s', 'now')")) {
            out_add(&b, "floor(extract(epoch FROM now()))");
            p += strlen("strftime('%s', 'now')");
            continue;
        }
        if (!is_word_char(*p) || (p > in && is_word_char(p[-1]))) {
            buf_add(&b, p, 1);
            p++;
            continue;
        }
        const char *e = p;
        while (is_word_char(*e))
            e++;
        size_t n = (size_t)(e - p);
#define WORD(w) (n == strlen(w) && strncmp(p, w, n) == 0)
        if (WORD("freeze")) {
            out_add(&b, "\"freeze\"");
        } else if (WORD("group_concat")) {
            out_add(&b, "string_agg");
        } else if (WORD("REAL")) {
            out_add(&b, "DOUBLE PRECISION");
        } else if (WORD("BLOB")) {
            out_add(&b, "BYTEA");
        } else if (WORD("WITHOUT") && starts(e, " ROWID")) {
            e += strlen(" ROWID");
        } else if (WORD("BEGIN") && starts(e, " IMMEDIATE")) {
            out_add(&b, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")");
            e += strlen(" IMMEDIATE");
        } else if (WORD("INTEGER") && starts(e, " PRIMARY KEY AUTOINCREMENT")) {
            out_add(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
            e += strlen(" PRIMARY KEY AUTOINCREMENT");
        } else if (WORD("INTEGER") && starts(e, " PRIMARY KEY") &&
                   (e[12] == ',' || e[12] == '\n' || e[12] == ')')) {
            /* SQLite's row id: numbered by the database when not given */
            out_add(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
            e += strlen(" PRIMARY KEY");
        } else if (WORD("INTEGER")) {
            out_add(&b, "BIGINT");
        } else {
            buf_add(&b, p, n);
        }
#undef WORD
        p = e;
    }
    char *s = strdup(b.buf);
    buf_release(&b);
    if (!s)
        abort();
    return s;
}

/* ---- errors ----------------------------------------------------------------------------------- */

static void remember(struct pg *db, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(db->state, sizeof(db->state), "%s", state ? state : "08000");
    snprintf(db->message, sizeof(db->message), "%s", msg ? msg : PQerrorMessage(db->conn));
    size_t n = strlen(db->message);
    while (n && (db->message[n - 1] == '\n' || db->message[n - 1] == ' '))
        db->message[--n] = '\0';
}

/* Only the primary message: PostgreSQL's DETAIL repeats the values of a
 * row, which may be anything a user sent. */
static int pg_error(struct sqldb *base, const char *what, struct err *err)
{
    struct pg *db = PG(base);
    const char *s = db->state;
    if (strcmp(s, "23505") == 0)
        return err_set(err, WEB_STORE_CONFLICT, "%s: already exists", what);
    if (strcmp(s, "23503") == 0)
        return err_set(err, ERR_INVALID, "%s: refers to a missing row", what);
    if (starts(s, "23") || starts(s, "22"))
        return err_set(err, ERR_INVALID, "%s: %s", what, db->message);
    if (strcmp(s, "53100") == 0)
        return err_set(err, WEB_STORE_FULL, "%s: the database's disk is full", what);
    if (strcmp(s, "25006") == 0)
        return err_set(err, WEB_STORE_READONLY, "%s: the database is read-only", what);
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0)
        return err_set(err, WEB_STORE_BUSY, "%s: the database is busy", what);
    if (starts(s, "08") || starts(s, "57P"))
        return err_set(err, ERR_SYSTEM, "%s: the connection to PostgreSQL was lost: %s", what, db->message);
    return err_set(err, ERR_SYSTEM, "%s: %s", what, db->message);
}

/* ---- the connection ------------------------------------------------------------------------------ */

/* What every connection sets, and what the shared statements need in the
 * database (made once, under the write lock, so servers starting together
 * do not race). */
static const char session_sql[] =
    "SET client_min_messages = warning;"
    "SET lock_timeout = '10s';"
    "SET idle_in_transaction_session_timeout = '120s';"
    "BEGIN;"
    "SELECT pg_advisory_xact_lock(" WRITE_LOCK ");"
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);"
    /* instr() on SQLite; substring searches need a deterministic collation */
    "CREATE OR REPLACE FUNCTION instr(a text, b text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$ SELECT strpos(a COLLATE \"C\", b COLLATE \"C\") $$;"
    "COMMIT";

static int session_setup(struct pg *db, struct err *err)
{
    if (PQsetClientEncoding(db->conn, "UTF8") != 0)
        return err_set(err, ERR_SYSTEM, "PostgreSQL: cannot use UTF-8: %s", PQerrorMessage(db->conn));
    PGresult *res = PQexec(db->conn, session_sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        remember(db, res);
    PQclear(res);
    if (!ok) {
        PQclear(PQexec(db->conn, "ROLLBACK"));
        return pg_error(&db->base, "cannot prepare the PostgreSQL session", err);
    }
    return 0;
}

/* A lost connection is opened again (and set up) before it is used. */
static int reconnect(struct pg *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK)
        return 0;
    PQreset(db->conn);
    db->generation++;
    struct err e;
    if (PQstatus(db->conn) != CONNECTION_OK || session_setup(db, &e) < 0)
        return -1;
    return 0;
}

static void pg_close(struct sqldb *base)
{
    if (!base)
        return;
    PQfinish(PG(base)->conn);
    free(base);
}

int sqldb_pg_open(const char *conninfo, struct sqldb **out, struct err *err)
{
    *out = NULL;
    struct pg *db = calloc(1, sizeof(*db));
    if (!db)
        abort();
    db->base.ops = &pg_ops;
    db->generation = 1;
    db->conn = PQconnectdb(conninfo);
    if (!db->conn)
        abort();
    int rc = 0;
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = '\0';
        rc = err_set(err, ERR_SYSTEM, "cannot connect to PostgreSQL: %s", msg);
    } else {
        rc = session_setup(db, err);
    }
    if (rc < 0) {
        pg_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return 0;
}

/* ---- statements ------------------------------------------------------------------------------------ */

static int pg_prepare(struct sqldb *base, const char *sql, struct sqldb_stmt **out, struct err *err)
{
    (void)err;
    struct pg_stmt *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    s->base.db = base;
    int n = 0;
    free(rewrite(sql, &n, NULL, 0));
    s->used = calloc((size_t)n + 1, 1);
    if (!s->used)
        abort();
    s->sql = rewrite(sql, &s->nparams, s->used, n);
    size_t k = (size_t)s->nparams + 1;
    s->values = calloc(k, sizeof(*s->values));
    s->lengths = calloc(k, sizeof(*s->lengths));
    s->formats = calloc(k, sizeof(*s->formats));
    s->types = calloc(k, sizeof(*s->types));
    s->num = calloc(k, sizeof(*s->num));
    if (!s->values || !s->lengths || !s->formats || !s->types || !s->num)
        abort();
    *out = &s->base;
    return 0;
}

static void pg_reset(struct sqldb_stmt *st)
{
    struct pg_stmt *s = PS(st);
    PQclear(s->res);
    s->res = NULL;
    s->row = s->nrows = 0;
    PQfreemem(s->bytea);
    s->bytea = NULL;
    for (int i = 0; i < s->nparams; i++) {
        s->values[i] = NULL;
        s->lengths[i] = s->formats[i] = 0;
        s->types[i] = 0;
    }
}

static void pg_finalize(struct sqldb_stmt *st)
{
    if (!st)
        return;
    struct pg_stmt *s = PS(st);
    pg_reset(st);
    free(s->sql);
    free(s->values);
    free(s->lengths);
    free(s->formats);
    free(s->types);
    free(s->num);
    free(s->used);
    free(s);
}

/* Parameter i (1-based) or NULL when the statement has no such one. */
static int slot(struct sqldb_stmt *st, int i)
{
    return i >= 1 && i <= PS(st)->nparams ? i - 1 : -1;
}

static void pg_bind_i64(struct sqldb_stmt *st, int i, int64_t v)
{
    struct pg_stmt *s = PS(st);
    int k = slot(st, i);
    if (k < 0)
        return;
    snprintf(s->num[k], sizeof(s->num[k]), "%lld", (long long)v);
    s->values[k] = s->num[k];
    s->types[k] = OID_INT8;
}

static void pg_bind_f64(struct sqldb_stmt *st, int i, double v)
{
    struct pg_stmt *s = PS(st);
    int k = slot(st, i);
    if (k < 0)
        return;
    if (isnan(v))
        snprintf(s->num[k], sizeof(s->num[k]), "NaN");
    else if (isinf(v))
        snprintf(s->num[k], sizeof(s->num[k]), "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(s->num[k], sizeof(s->num[k]), "%.17g", v);
    s->values[k] = s->num[k];
    s->types[k] = OID_FLOAT8;
}

static void pg_bind_text(struct sqldb_stmt *st, int i, const char *v)
{
    struct pg_stmt *s = PS(st);
    int k = slot(st, i);
    if (k < 0)
        return;
    s->values[k] = v;
    s->types[k] = v ? OID_TEXT : 0;
}

static void pg_bind_blob(struct sqldb_stmt *st, int i, const void *v, size_t n)
{
    struct pg_stmt *s = PS(st);
    int k = slot(st, i);
    if (k < 0)
        return;
    s->values[k] = v ? v : "";
    s->lengths[k] = (int)n;
    s->formats[k] = 1;
    s->types[k] = OID_BYTEA;
}

static void pg_bind_null(struct sqldb_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    int k = slot(st, i);
    if (k < 0)
        return;
    s->values[k] = NULL;
    s->types[k] = 0;
}

static PGresult *execute(struct pg_stmt *s)
{
    struct pg *db = PG(s->base.db);
    /* A parameter the text never uses still needs a type. */
    for (int i = 0; i < s->nparams; i++)
        if (!s->used[i + 1] && !s->types[i])
            s->types[i] = OID_TEXT;
    if (s->nparams == 0)                /* transaction control: may be several statements */
        return PQexec(db->conn, s->sql);
    /* Prepared on the server at its first use on this connection, with the
     * types bound then (a NULL's type is left to the context), and planned
     * once: the queue's claim costs more to plan than to run. */
    if (s->prepared_in != db->generation) {
        snprintf(s->name, sizeof(s->name), "crucible_%u", ++db->names);
        PGresult *res = PQprepare(db->conn, s->name, s->sql, s->nparams, s->types);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            return res;
        PQclear(res);
        s->prepared_in = db->generation;
    }
    return PQexecPrepared(db->conn, s->name, s->nparams, s->values, s->lengths, s->formats, 0);
}

static int pg_step(struct sqldb_stmt *st)
{
    struct pg_stmt *s = PS(st);
    struct pg *db = PG(st->db);
    if (!s->res) {
        reconnect(db);
        PGTransactionStatusType tx = PQtransactionStatus(db->conn);
        s->res = execute(s);
        if (PQstatus(db->conn) != CONNECTION_OK && tx == PQTRANS_IDLE && reconnect(db) == 0) {
            PQclear(s->res);                /* lost outside a transaction: once more */
            s->res = execute(s);
        }
        ExecStatusType t = PQresultStatus(s->res);
        if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
            remember(db, s->res);
            PQclear(s->res);
            s->res = NULL;
            return SQLDB_ERROR;
        }
        /* COMMIT of a transaction an error ended rolls back instead */
        if (starts(s->sql, "COMMIT") && starts(PQcmdStatus(s->res), "ROLLBACK")) {
            snprintf(db->state, sizeof(db->state), "25P02");
            snprintf(db->message, sizeof(db->message), "the transaction was rolled back after an error");
            PQclear(s->res);
            s->res = NULL;
            return SQLDB_ERROR;
        }
        const char *cmd = PQcmdStatus(s->res);
        if (starts(cmd, "INSERT") || starts(cmd, "UPDATE") || starts(cmd, "DELETE"))
            db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
        s->nrows = t == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->row = 0;
    }
    if (s->row < s->nrows) {
        s->row++;
        return SQLDB_ROW;
    }
    return SQLDB_DONE;
}

static int pg_is_null(struct sqldb_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    return !s->res || s->row < 1 || i >= PQnfields(s->res) || PQgetisnull(s->res, s->row - 1, i);
}

static const char *value(struct sqldb_stmt *st, int i)
{
    return pg_is_null(st, i) ? NULL : PQgetvalue(PS(st)->res, PS(st)->row - 1, i);
}

static int64_t pg_col_i64(struct sqldb_stmt *st, int i)
{
    const char *v = value(st, i);
    if (!v)
        return 0;
    if (PQftype(PS(st)->res, i) == OID_BOOL)
        return v[0] == 't';
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E')     /* a real read as an integer: truncated, as SQLite does */
        return (int64_t)strtod(v, NULL);
    return n;
}

static double pg_col_f64(struct sqldb_stmt *st, int i)
{
    const char *v = value(st, i);
    if (!v)
        return 0;
    if (PQftype(PS(st)->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtod(v, NULL);
}

static const void *pg_col_bytes(struct sqldb_stmt *st, int i, size_t *len)
{
    struct pg_stmt *s = PS(st);
    const char *v = value(st, i);
    *len = 0;
    if (!v)
        return NULL;
    if (PQftype(s->res, i) == OID_BYTEA) {
        PQfreemem(s->bytea);
        s->bytea = PQunescapeBytea((const unsigned char *)v, len);
        if (!s->bytea)
            abort();
        return s->bytea;
    }
    if (PQftype(s->res, i) == OID_BOOL) {
        *len = 1;
        return v[0] == 't' ? "1" : "0";
    }
    *len = (size_t)PQgetlength(s->res, s->row - 1, i);
    return v;
}

static int64_t pg_changes(struct sqldb *base)
{
    return PG(base)->changes;
}

static int pg_exec(struct sqldb *base, const char *sql, const char *what, struct err *err)
{
    struct pg *db = PG(base);
    int n;
    char *text = rewrite(sql, &n, NULL, 0);
    reconnect(db);
    PGresult *res = PQexec(db->conn, text);
    free(text);
    ExecStatusType t = PQresultStatus(res);
    int rc = 0;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        remember(db, res);
        rc = pg_error(base, what, err);
    }
    PQclear(res);
    return rc;
}

static int pg_in_tx(struct sqldb *base)
{
    PGTransactionStatusType t = PQtransactionStatus(PG(base)->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static const struct sqldb_ops pg_ops = {
    .engine = "postgresql",
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_i64 = pg_bind_i64,
    .bind_f64 = pg_bind_f64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .error = pg_error,
    .reset = pg_reset,
    .is_null = pg_is_null,
    .col_i64 = pg_col_i64,
    .col_f64 = pg_col_f64,
    .col_bytes = pg_col_bytes,
    .changes = pg_changes,
    .exec = pg_exec,
    .in_tx = pg_in_tx,
};
