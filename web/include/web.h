/*
 * web.h: the public header of web/: `crucible serve` (the HTTP API behind
 * libmicrohttpd), `crucible init` and `crucible user`, plus the storage and
 * scoreboard layers the server is built on.
 *
 * Ownership: a struct web_config owns nothing (fixed arrays only); every
 * pointer passed to a function here is borrowed for the call.
 */
#ifndef CRUCIBLE_WEB_H
#define CRUCIBLE_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

/* ---- scoreboard -------------------------------------------------------------
 * The scoring rules (ICPC, IOI, OI), freeze and views, and the Contest API
 * scoreboard JSON (web_scoreboard_*), in web/scoreboard.h. */
#include "../scoreboard.h"

/* ---- storage ----------------------------------------------------------------
 * Everything crucible serve keeps (web_store_*: accounts, sessions and
 * tokens, problems, contests, submissions, the judging queue) and the
 * content-addressed blob store (web_blob_*), in web/storage.h. */
#include "../storage.h"

/* ---- server configuration ---------------------------------------------------
 * One struct, filled once at start in this order: web_config_init
 * (defaults) < web_config_load_file (FILE: `key = value` lines, `#`
 * comments) < web_config_load_env (CRUCIBLE_<KEY> for every key, e.g.
 * CRUCIBLE_LISTEN) < command-line flags (web_config_set), then passed to
 * web_serve as const. Unknown keys and malformed values are errors naming the
 * key (and the file and line).
 */
#define WEB_CONFIG_PATH_MAX 1024
#define WEB_DEFAULT_DATA_DIR "/var/lib/crucible"
#define WEB_DEFAULT_LISTEN "127.0.0.1:8080"
#define WEB_JUDGES_MAX 256                  /* the `judges` setting */

#define WEB_METRICS_TOKEN_MIN 16           /* ops: the metrics_token setting's length */
#define WEB_METRICS_TOKEN_MAX 128
enum web_cookie_secure { WEB_COOKIE_SECURE_AUTO, WEB_COOKIE_SECURE_YES, WEB_COOKIE_SECURE_NO };

struct web_config {
    char listen[WEB_CONFIG_PATH_MAX];       /* "ADDR:PORT", "[::1]:PORT"; port 0 picks a free one */
    char data_dir[WEB_CONFIG_PATH_MAX];     /* database, blobs/ and tmp/ */
    char user[WEB_NAME_MAX + 1];            /* started as root: the account to drop to;
                                               "": "crucible" if it exists, else "nobody" */
    char languages[WEB_CONFIG_PATH_MAX];    /* language table; "": jdg_languages_default_path() */
    int threads;                            /* request threads; 0: one per CPU */
    int max_connections;
    int connection_timeout;                 /* seconds a connection may stay idle */
    int shutdown_grace;                     /* seconds SIGTERM waits for requests in flight */
    int session_hours;                      /* login session lifetime */
    int lease_seconds;                      /* a judge's lease on a job, renewed by heartbeats */
    int login_max_failures;                 /* per account and per address, within: */
    int login_window;                       /* seconds */
    enum web_cookie_secure cookie_secure;   /* auto: Secure when the request came over HTTPS */
    int trust_proxy;                        /* believe X-Forwarded-For/-Proto (a local reverse proxy) */
    enum log_level log_level;
    int judges;                             /* embedded judge workers (embedded.c): -1 one per
                                               CPU core, 0 none; only when started as root */
    char ui_dir[WEB_CONFIG_PATH_MAX];       /* the browser UI's files; "": web_static_ui_default() */
    int max_jobs_per_user;                  /* compute budgets: judgings one user may have at once; 0 no cap */
    char metrics_token[WEB_METRICS_TOKEN_MAX + 1];  /* ops: a Bearer token that may read /metrics; "" none */
    char database[1024];                /* "" SQLite in data_dir; else a libpq connection string */
};

void web_config_init(struct web_config *c);
/* One setting by its key ("listen", "data", ...). */
int web_config_set(struct web_config *c, const char *key, const char *value, struct err *err);
int web_config_load_file(struct web_config *c, const char *path, struct err *err);
int web_config_load_env(struct web_config *c, struct err *err);
/* Checks the settings together (the listen address parses, ...). */
int web_config_check(const struct web_config *c, struct err *err);
/* Appends every setting as `key = value` lines to out. */
int web_config_format(const struct web_config *c, struct buf *out);

/* ---- the server -------------------------------------------------------------
 * Binds, opens the store (creating the data folder and applying migrations),
 * drops root privileges (see server.c), serves until SIGTERM or SIGINT, then
 * stops accepting, lets requests in flight finish (up to shutdown_grace
 * seconds) and closes the store. Returns 0 after a clean stop. Blocks
 * SIGTERM and SIGINT in the calling thread (they are taken with sigwait) and
 * ignores SIGPIPE; call it from main's thread before any other thread
 * exists. */
int web_serve(const struct web_config *c, struct err *err);

/* Creates the data folder and database if needed and fills in missing
 * installation settings (registration mode "open", the server's secret key).
 * Idempotent. */
int web_data_init(const char *data_dir, struct err *err);

/* ---- commands ---------------------------------------------------------------- */

int cmd_serve(int argc, char **argv);     /* crucible serve */
int cmd_init(int argc, char **argv);      /* crucible init */
int cmd_user(int argc, char **argv);      /* crucible user add|token */
int cmd_backup(int argc, char **argv);    /* ops: crucible backup (backup.c) */
int cmd_restore(int argc, char **argv);   /* ops: crucible restore (backup.c) */

#endif
