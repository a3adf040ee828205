/*
 * storage_int.h: what a storage engine shares with storage.c. An engine's
 * handle begins with struct web_store, so storage.c can reach the ops table
 * and the data folder of any engine.
 */
#ifndef CRUCIBLE_WEB_STORAGE_INT_H
#define CRUCIBLE_WEB_STORAGE_INT_H

#include "storage.h"

struct web_store {
    const struct web_store_ops *ops;
    char *data_dir;                 /* owned; freed by the engine's close */
    const char *engine;             /* "sqlite", "postgresql" */
};

/* Opens the SQL engine (storage_sql.c): data_dir/crucible.db with SQLite,
 * or PostgreSQL when database is a libpq connection string (sqldb_is_pg);
 * data_dir exists. On success *out's data_dir is a copy of data_dir. */
int web_store_sql_open(const char *data_dir, const char *database, struct web_store **out, struct err *err);

/* Room for one more row in a list being filled: grows *v (abort on OOM) and
 * returns the new, zeroed row. */
void *web_list_push(void *v_ptr, size_t *n, size_t *alloc, size_t elem);

#endif
