/*
 * web_int.h: what the parts of crucible serve share: the server and request
 * state, the route table's types, and the reply and JSON helpers. Only web/
 * includes it.
 *
 * How a request flows (server.c): libmicrohttpd calls on_request first with
 * the headers only. The route is matched, the caller authenticated and
 * authorised, the CSRF token checked and the declared body size compared with
 * the route's limit, all before a byte of the body is read, so a refused
 * request costs nothing. Then the body arrives in pieces (into a capped
 * buffer, or for problem packages into a temporary file), and on the last
 * call the route's handler runs with a store from the pool and fills in the
 * reply. Everything the request owns is released in on_completed.
 */
#ifndef CRUCIBLE_WEB_INT_H
#define CRUCIBLE_WEB_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "judge.h"
#include "mhd.h"
#include "web.h"

/* ---- body and field limits (docs/api.md lists them) --------------------------- */
#define WEB_BODY_JSON_MAX ((uint64_t)64 << 10)          /* any JSON request body */
#define WEB_BODY_SUBMISSION_MAX ((uint64_t)1 << 20)     /* a submission's JSON, escaped sources */
#define WEB_SOURCE_MAX ((size_t)256 << 10)               /* a submission's sources, decoded */
#define WEB_BODY_PACKAGE_MAX ((uint64_t)64 << 20)       /* a problem package zip */
#define WEB_PACKAGE_EXPANDED_MAX ((uint64_t)1 << 30)    /* the package unpacked, in all */
#define WEB_PACKAGE_FILE_MAX ((uint64_t)512 << 20)      /* one unpacked file */
#define WEB_BODY_RESULT_MAX ((uint64_t)16 << 20)        /* a judge's result JSON */
#define WEB_COMPILE_OUTPUT_MAX ((size_t)JDG_COMPILE_OUTPUT_MAX + 1024)  /* the judge's cap, and a note */
#define WEB_STATEMENT_MAX ((size_t)1 << 20)              /* a statement's Markdown */
#define WEB_SAMPLE_MAX ((size_t)64 << 10)                /* one sample file served */
#define WEB_SAMPLES_MAX ((size_t)1 << 20)                /* all samples' JSON */
#define WEB_PASSWORD_MIN 8
#define WEB_PASSWORD_MAX 1024
#define WEB_PAGE_MAX 100                                 /* rows in one listed page */
#define WEB_SESSION_COOKIE "crucible_session"

/* ---- the server ------------------------------------------------------------------ */

struct web_server {
    const struct web_config *cfg;
    struct MHD_Daemon *mhd;
    int listen_fd;
    char listen_name[128];                  /* "127.0.0.1:8080", the port resolved */

    /* One store per thread that may use one at a time (storage.h: a store
     * is one connection for one thread): the request threads and the timer. */
    struct web_store **stores;
    unsigned char *store_busy;
    size_t nstores;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;

    struct jdg_languages langs;
    unsigned char csrf_key[crypto_generichash_KEYBYTES];
    char dummy_hash[crypto_pwhash_STRBYTES];   /* verified against for unknown accounts */
    char tmp_dir[PATH_MAX];                 /* data/tmp: uploads and package extraction */

    pthread_mutex_t mu;                     /* guards what follows */
    pthread_cond_t cv;
    long inflight;                          /* requests begun and not completed */
    int stopping;
    pthread_t timer;
    int timer_started;
};

struct web_store *web_pool_acquire(struct web_server *srv);
void web_pool_release(struct web_server *srv, struct web_store *s);

/* ---- routes and requests ------------------------------------------------------------ */

enum web_auth {
    WEB_AUTH_NONE,                          /* the handler never looks at the caller */
    WEB_AUTH_OPTIONAL,                      /* anyone; a logged-in caller may see more */
    WEB_AUTH_USER,                          /* any logged-in account */
    WEB_AUTH_ORGANIZER,                     /* organizers and admins */
    WEB_AUTH_JUDGE,                         /* judge accounts, by API token only */
};

enum web_body {
    WEB_BODY_NONE,                          /* no body allowed */
    WEB_BODY_JSON,                          /* application/json object, required */
    WEB_BODY_JSON_OPTIONAL,                 /* empty, or an application/json object */
    WEB_BODY_FILE,                          /* streamed to a temporary file (problem packages) */
};

enum web_via { WEB_VIA_NONE, WEB_VIA_COOKIE, WEB_VIA_TOKEN };

struct web_req;
typedef void (*web_handler)(struct web_req *r, struct web_store *s);

struct web_route {
    const char *method;                     /* "GET", "POST", ... */
    const char *pattern;                    /* "/api/v1/problems/{id}", "{hex}" a blob hash */
    web_handler fn;
    enum web_auth auth;
    enum web_body body;
    uint64_t limit;                         /* body bytes at most */
    const char *content_type;               /* FILE bodies: the type required */
    const char *query;                      /* allowed query parameters, "mine,problem"; NULL none */
    int raw_text;                           /* JSON strings may hold invalid UTF-8: the handler
                                               repairs them (web_text_repair) */
};

struct web_req {
    struct web_server *srv;
    struct MHD_Connection *conn;
    const struct web_route *route;
    char method[16];
    char path[256];                         /* for the access log */
    int64_t id;                             /* the {id} in the path */
    int64_t id2;                            /* the {id2} in the path */
    char hex[WEB_HASH_HEX + 1];             /* the {hex} in the path */
    char name[WEB_NAME_MAX + 1];            /* the {name} in the path */
    char name2[WEB_NAME_MAX + 1];           /* the {name2} in the path */
    int64_t now;
    double started;                         /* monotonic seconds, for the access log */
    char address[WEB_ADDRESS_MAX + 1];
    int https;                              /* came over HTTPS (a trusted proxy says so) */

    /* the caller */
    enum web_via via;
    struct web_user user;                   /* valid when via != NONE */
    char session_token[WEB_TOKEN_HEX + 1];  /* via COOKIE */

    /* the body */
    int json_type_ok;                       /* Content-Type allows a JSON body (see req_begin) */
    struct buf body;
    uint64_t received;
    int upload_fd;                          /* WEB_BODY_FILE: -1 until opened */
    char upload_dir[PATH_MAX];              /* removed with everything in it at completion */
    char upload_path[PATH_MAX];

    /* the reply */
    unsigned status;
    struct MHD_Response *resp;
    int queued;                             /* a reply went out before the body was read */
};

/* Replies. Each replaces any reply made before (the last one wins). */
void web_reply_json(struct web_req *r, unsigned status, cJSON *body);   /* takes body */
void web_reply_error(struct web_req *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void web_reply_empty(struct web_req *r, unsigned status);
void web_reply_text(struct web_req *r, unsigned status, const char *text);
/* Sends b's bytes (detached from b, which is left empty) as the body. */
void web_reply_buf(struct web_req *r, unsigned status, struct buf *b, const char *type);
/* Sends len bytes of fd (taken: closed by libmicrohttpd) as the body. */
void web_reply_fd(struct web_req *r, unsigned status, int fd, uint64_t len, const char *type);
/* A storage error: 404, 409, 503 (busy), 400/413 for invalid input, else 500. */
void web_reply_store_error(struct web_req *r, int rc, const struct err *err);
/* Adds a header to the reply made last. */
void web_reply_header(struct web_req *r, const char *name, const char *value);

const char *web_req_header(struct web_req *r, const char *name);
const char *web_req_query(struct web_req *r, const char *name);
/* A query parameter as an id in [1, 2^53]; 0 when absent; -1 (and a 400
 * reply) when malformed. */
int64_t web_req_query_id(struct web_req *r, const char *name);

/* The caller's role allows seeing every problem and submission. */
int web_req_is_staff(const struct web_req *r);

/* ---- JSON ----------------------------------------------------------------------------- */

enum web_json_type { WEB_JSON_STRING, WEB_JSON_INT, WEB_JSON_NUMBER, WEB_JSON_BOOL, WEB_JSON_ARRAY, WEB_JSON_OBJECT };

struct web_json_field {
    const char *name;
    enum web_json_type type;
    int required;
};

/* Bodies whose fields are shared by their handler and tests/fuzz (json.c):
 * a submission, its files[], a judge's result, its tests[]. */
extern const struct web_json_field web_fields_submission[], web_fields_submission_file[],
    web_fields_result[], web_fields_result_test[];
extern const size_t web_nfields_submission, web_nfields_submission_file, web_nfields_result,
    web_nfields_result_test;

/* Checks obj against the fields: no unknown or repeated keys, every
 * required one present, every value of its type (integers whole and within
 * +-2^53). On failure fills msg (naming `where` and the field) and returns
 * ERR_INVALID. */
int web_json_check(const cJSON *obj, const struct web_json_field *f, size_t n, const char *where, char *msg,
                   size_t msgsize);
/* Parses the request body as one JSON object and checks it; on failure
 * replies 400 (or 415 for another content type) and returns NULL. An empty
 * WEB_BODY_JSON_OPTIONAL body gives an empty object. */
cJSON *web_json_body(struct web_req *r, const struct web_json_field *f, size_t n);
/* Values of checked fields; absent ones give the fallback. */
const char *web_json_str(const cJSON *obj, const char *name, const char *fallback);
int64_t web_json_i64(const cJSON *obj, const char *name, int64_t fallback);
double web_json_num(const cJSON *obj, const char *name, double fallback);
/* Adds a number that is a whole int64 (exact below 2^53). */
void web_json_add_i64(cJSON *obj, const char *name, int64_t v);
/* Adds s if it is valid UTF-8, else null (the JSON must stay valid). */
void web_json_add_text(cJSON *obj, const char *name, const char *s, size_t len);
int web_utf8_valid(const char *s, size_t len);
/* Replaces, in place, every byte that is not part of valid UTF-8 and every
 * control character (but tab, CR and LF when multiline) with '?'. */
void web_text_repair(char *s, int multiline);
/* Cuts s to at most max bytes, never inside a UTF-8 sequence. */
void web_text_truncate(char *s, size_t max);

cJSON *web_user_json(const struct web_user *u);

/* ---- auth.c ------------------------------------------------------------------------------ */

/* Argon2id (crypto_pwhash_str, interactive limits). */
int web_password_hash(const char *password, char out[WEB_PASSWORD_HASH_MAX + 1], struct err *err);
/* ERR_INVALID for a password that is too short or too long. */
int web_password_check(const char *password, struct err *err);
/* Sets r's caller from the Authorization header or the session cookie and
 * enforces the route's auth and the CSRF rule; replies and returns -1 when
 * the request may not go on. */
int web_auth_request(struct web_req *r, struct web_store *s);
/* The CSRF token bound to a session token (keyed BLAKE2b, hex). */
void web_csrf_token(const struct web_server *srv, const char *session_token, char out[WEB_HASH_HEX + 1]);
int web_server_secret_load(struct web_server *srv, struct web_store *s, struct err *err);

void web_api_register(struct web_req *r, struct web_store *s);
void web_api_login(struct web_req *r, struct web_store *s);
void web_api_logout(struct web_req *r, struct web_store *s);
void web_api_me(struct web_req *r, struct web_store *s);

/* ---- api_problems.c -------------------------------------------------------------------------- */
void web_api_problem_upload(struct web_req *r, struct web_store *s);
void web_api_problem_list(struct web_req *r, struct web_store *s);
void web_api_problem_get(struct web_req *r, struct web_store *s);
void web_api_problem_patch(struct web_req *r, struct web_store *s);
void web_api_problem_samples(struct web_req *r, struct web_store *s);
void web_api_problem_package(struct web_req *r, struct web_store *s);
/* Renders statement Markdown to HTML: raw HTML off, $math$ kept for KaTeX
 * as \(...\) and \[...\]. Appends to out. */
int web_markdown_render(const char *md, size_t len, struct buf *out);

/* ---- api_submissions.c ------------------------------------------------------------------------- */
void web_api_submission_create(struct web_req *r, struct web_store *s);
void web_api_submission_get(struct web_req *r, struct web_store *s);
void web_api_submission_list(struct web_req *r, struct web_store *s);

/* ---- api_judge.c ---------------------------------------------------------------------------------- */
void web_api_judge_claim(struct web_req *r, struct web_store *s);
void web_api_judge_blob(struct web_req *r, struct web_store *s);
void web_api_judge_heartbeat(struct web_req *r, struct web_store *s);
void web_api_judge_result(struct web_req *r, struct web_store *s);

/* ---- api_contests.c ------------------------------------------------------------------------------ */

/* ---- api_scoreboard.c, ccs.c ------------------------------------------------------------------------- */

/* ---- api_jury.c, api_admin.c --------------------------------------------------------------------------- */

/* ---- static.c ------------------------------------------------------------------------------------------- */

/* ---- small helpers --------------------------------------------------------------------------------- */

/* Removes path and everything below it (never following links); 0 or -1. */
int web_rmtree(const char *path);
/* The audit log: actor is the caller; failures are logged, not fatal. */
void web_audit(struct web_req *r, struct web_store *s, const char *action, const char *target,
               const char *detail);
int web_listen_parse(const char *s, struct sockaddr_storage *out, socklen_t *len, struct err *err);
int web_config_help(struct buf *out);

#endif
