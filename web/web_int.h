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

    struct web_boards *boards;              /* api_scoreboard.c: the scoreboard cache */
    struct web_feeds *feeds;                /* ccs.c: event feeds waiting for news */
    struct web_metrics *metrics;            /* ops (metrics.c): request counts and latencies */
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
    int upload_errno;                       /* ops: writing the upload failed (ENOSPC): the
                                               rest is read and dropped, then 507/503 */

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

enum web_json_type { WEB_JSON_STRING, WEB_JSON_INT, WEB_JSON_NUMBER, WEB_JSON_BOOL, WEB_JSON_ARRAY, WEB_JSON_OBJECT,
                     WEB_JSON_INT_OR_NULL /* a whole number, or null to clear (a problem's difficulty) */ };

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
/* A judge's result's groups[] (optional; scoreboards use them for IOI subtasks). */
extern const struct web_json_field web_fields_result_group[];
extern const size_t web_nfields_result_group;

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

/* security: guesses of secret codes (the site's registration code, a
 * contest's, a course's join code) count as failed logins of the client's
 * address. web_guess_check replies 429 (or a store error) and returns -1
 * once the address has used up login_max_failures within login_window;
 * web_guess_failed records one wrong guess. */
/* Compares a guess with a secret code in constant time (auth.c). */
int web_secret_equal(const char *given, const char *secret);
int web_guess_check(struct web_req *r, struct web_store *s);
void web_guess_failed(struct web_req *r, struct web_store *s);

/* security: route matching and the query-key check (server.c), for
 * tests/fuzz/fuzz_query.c: the index of the first route whose pattern
 * matches path (its {id} in *id), -1 for none, -2 when a matched parameter
 * breaks its promise; *key_allowed: some matching route takes query key. */
int web_route_probe(const char *path, const char *key, int64_t *id, int *key_allowed);

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
/* AI problem files: ai/public's files, listed and downloaded, in the archive
 * and through a contest; and the problem JSON's "ai" object ({"metric",
 * "direction", "precision"}, or null when the problem is not AI). */
void web_api_problem_files(struct web_req *r, struct web_store *s);
void web_api_problem_file(struct web_req *r, struct web_store *s);
void web_api_contest_problem_files(struct web_req *r, struct web_store *s);
void web_api_contest_problem_file(struct web_req *r, struct web_store *s);
int web_problem_ai_json(struct web_store *s, int64_t problem_id, cJSON *parent, struct err *err);
/* problem tags and archive search; the language table for submission forms */
void web_api_problem_tags(struct web_req *r, struct web_store *s);
void web_api_languages(struct web_req *r, struct web_store *s);
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
void web_api_judge_progress(struct web_req *r, struct web_store *s);   /* live judging progress */

/* ---- api_contests.c ------------------------------------------------------------------------------ */

/* The caller's standing in one contest. The jury (the contest's jury
 * participants, and every admin) sees and manages everything in it; a user
 * who is jury of one contest is nobody special in another. */
struct web_contest_access {
    int visible;                            /* public, or the caller takes part, or jury */
    int jury;
    int participant;                        /* registered with the role "participant" */
    int64_t team_id;                        /* the participant's team; 0 none */
};
/* Loads contest id (into c) and the caller's standing. A contest the caller
 * may not see is ERR_NOTFOUND, like one that does not exist (c->id is still
 * set then, 0 when there is none). */
int web_contest_access_get(struct web_req *r, struct web_store *s, int64_t id, struct web_contest *c,
                           struct web_contest_access *a, struct err *err);
/* The same, replying 404 (or the storage error) and returning -1 on failure. */
int web_contest_load(struct web_req *r, struct web_store *s, int64_t id, struct web_contest *c,
                     struct web_contest_access *a);
int64_t web_contest_end(const struct web_contest *c);
/* start <= now < end. */
int web_contest_running(const struct web_contest *c, int64_t now);
/* "scheduled", "running", "frozen" (running in the freeze, not unfrozen) or "finished". */
const char *web_contest_state(const struct web_contest *c, int64_t now);

void web_api_contest_create(struct web_req *r, struct web_store *s);
void web_api_contest_list(struct web_req *r, struct web_store *s);
void web_api_contest_get(struct web_req *r, struct web_store *s);
void web_api_contest_patch(struct web_req *r, struct web_store *s);
void web_api_contest_problems(struct web_req *r, struct web_store *s);
void web_api_contest_problems_put(struct web_req *r, struct web_store *s);
void web_api_contest_problem(struct web_req *r, struct web_store *s);
/* GET /api/v1/contests/{id}/problems/{id2}'s rule: loads problem {id2} of
 * contest {id} when the caller may see it (the jury always, others who may
 * see the contest once it started); else replies (404, 403 not_started) and
 * returns -1. */
/* A problem page's type, AI settings, statement_html and samples added to
 * pj (api_contests.c); shared by contests' and assignments' problem pages. */
int web_problem_page_json(struct web_store *s, const struct web_problem *p, cJSON *pj, struct err *err);
int web_contest_problem_load(struct web_req *r, struct web_store *s, struct web_contest_problem *cp,
                             struct web_problem *p);
void web_api_contest_register(struct web_req *r, struct web_store *s);
void web_api_contest_participants(struct web_req *r, struct web_store *s);
void web_api_contest_participant_add(struct web_req *r, struct web_store *s);
void web_api_contest_participant_remove(struct web_req *r, struct web_store *s);
void web_api_contest_teams(struct web_req *r, struct web_store *s);
void web_api_contest_team_create(struct web_req *r, struct web_store *s);

/* ---- api_scoreboard.c, ccs.c ------------------------------------------------------------------------- */

/* The scoreboard cache: one board per contest (api_scoreboard.c tells how
 * it stays up to date). Created and freed with the server. */
struct web_board;
struct web_boards;
void web_boards_new(struct web_boards **out);
void web_boards_free(struct web_boards *b);                 /* NULL is fine */
/* Finds the contest's board, locks it and brings it up to date with s.
 * Use it, then web_board_release() it (NULL is fine); views made from it
 * must be freed before. */
int web_board_acquire(struct web_server *srv, struct web_store *s, int64_t contest_id, struct web_board **out,
                      struct err *err);
void web_board_release(struct web_board *b);
struct web_scoreboard *web_board_scoreboard(struct web_board *b);
const struct web_contest *web_board_contest(const struct web_board *b);   /* as the board was built */
uint64_t web_board_rebuilds(const struct web_board *b);
/* Boards not acquired for this long are freed (checked at most once a
 * minute, on an acquire); a later request rebuilds them from storage. */
#define WEB_BOARD_IDLE_SECONDS 900
/* Frees the boards idle for idle seconds at now (web_boards_clock()'s
 * seconds); returns how many. For tests; acquiring does it by itself. */
size_t web_boards_evict_idle(struct web_boards *bs, int64_t now, int64_t idle);
int64_t web_boards_clock(void);
/* A board's team and problem ids are the decimal ids: of the team, or in an
 * individual contest of the participant's user. */
void web_board_key(int64_t id, char out[24]);
/* The caller's team on the board; 0 none. */
int64_t web_board_team(const struct web_contest *c, const struct web_contest_access *a, int64_t user_id);
/* Appends s as a JSON string. */
void web_json_escape(struct buf *out, const char *s);
void web_api_scoreboard_get(struct web_req *r, struct web_store *s);

/* ccs.c: the ICPC Contest API (2023-06) under /api, and its event feed. */
#define WEB_CCS_QUERY "since_token,stream,team_id,problem_id,language_id,submission_id,judgement_id," \
                      "judgement_type_id,from_team_id,to_team_id,reply_to_id,organization_id"
void web_api_ccs(struct web_req *r, struct web_store *s);
/* Sends resp (taken) as the reply; for responses made by hand (streams). */
void web_reply_response(struct web_req *r, unsigned status, struct MHD_Response *resp, const char *type);
/* Event feeds: streaming responses that wait for news (web_feeds_notify,
 * called after every request that may have changed something, and by the
 * timer). web_feeds_stop ends them all before the server stops. */
void web_feeds_new(struct web_server *srv);
void web_feeds_notify(struct web_server *srv);
void web_feeds_stop(struct web_server *srv);
void web_feeds_free(struct web_server *srv);

/* ---- api_jury.c, api_admin.c --------------------------------------------------------------------------- */
#define WEB_BODY_CLARIFICATION_MAX ((uint64_t)512 << 10)  /* 64 KiB of text, escaped */
#define WEB_BODY_CSV_MAX ((uint64_t)1 << 20)              /* a user import */
#define WEB_CSV_ROWS_MAX 5000                             /* users in one import */

void web_api_clarification_list(struct web_req *r, struct web_store *s);
void web_api_clarification_create(struct web_req *r, struct web_store *s);
void web_api_rejudging_create(struct web_req *r, struct web_store *s);
void web_api_rejudging_get(struct web_req *r, struct web_store *s);
void web_api_submission_ignore(struct web_req *r, struct web_store *s);

void web_api_user_list(struct web_req *r, struct web_store *s);
void web_api_user_patch(struct web_req *r, struct web_store *s);
struct web_csv;
/* The uploaded CSV file read and parsed (api_admin.c); -1 after a 413/400. */
int web_csv_upload(struct web_req *r, struct buf *data, size_t max_fields, struct web_csv *csv);
/* The rows a CSV import refused: bad is [{"line", "reason"}] (the reply's
 * "rows"), summary the first five, for its message. */
struct web_bad_rows {
    cJSON *bad;
    size_t nbad;
    struct buf summary;
};
void web_bad_row(struct web_bad_rows *b, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void web_api_user_import(struct web_req *r, struct web_store *s);
void web_api_audit_list(struct web_req *r, struct web_store *s);
void web_api_judge_list(struct web_req *r, struct web_store *s);
void web_api_judge_patch(struct web_req *r, struct web_store *s);

/* ---- api_compute.c: compute budgets and scheduling ------------------------------------------------------- */
struct prb_problem;
void web_api_quota_get(struct web_req *r, struct web_store *s);
void web_api_quota_put(struct web_req *r, struct web_store *s);
void web_api_usage_get(struct web_req *r, struct web_store *s);
/* A contest submission by user_id (team_id 0: none) over a quota of the
 * contest: replies 429 quota_exceeded and returns -1; else 0. */
int web_compute_quota_check(struct web_req *r, struct web_store *s, int64_t contest_id, int64_t user_id,
                            int64_t team_id);
/* At upload: stores the GPUs the package asks for (crucible: ai: gpus); -1 after a reply. */
int web_compute_problem_store(struct web_req *r, struct web_store *s, int64_t problem_id,
                              const struct prb_problem *p);
/* The claim body's "gpu_model", checked and added to the host's capabilities; -1 after a reply. */
int web_claim_gpu_model(struct web_req *r, const cJSON *body, cJSON *caps);
/* A judge's CPU- or GPU-seconds kept within 0 and WEB_COMPUTE_MAX (NaN: 0). */
double web_compute_clamp(double v);

/* ---- static.c ------------------------------------------------------------------------------------------- */
/* The route for a GET or HEAD of a path no API route has: /ui/... (the
 * UI's files), /vendor/NAME/... (Debian's KaTeX, CodeMirror, Chart.js) or,
 * for any other plain path outside /api/ not named like a file of a known
 * type, the UI's index.html (its router shows the page). NULL when none applies. */
const struct web_route *web_static_route(const char *url, const char *method);
/* Where the UI's files are when ui_dir is not set: the source tree's web/ui
 * if present (a build), else /usr/share/crucible/ui. Borrowed. */
const char *web_static_ui_default(void);
/* uiq: libmicrohttpd's unescape callback (MHD_OPTION_UNESCAPE_CALLBACK) for
 * URLs and their query arguments: %HH decoded, except an encoded NUL, which
 * stays "%00" (decoded, it would silently cut the path short). */
size_t web_url_unescape(void *cls, struct MHD_Connection *c, char *s);

/* ---- small helpers --------------------------------------------------------------------------------- */

/* Removes path and everything below it (never following links); 0 or -1. */
int web_rmtree(const char *path);
/* The audit log: actor is the caller; failures are logged, not fatal. */
void web_audit(struct web_req *r, struct web_store *s, const char *action, const char *target,
               const char *detail);
int web_listen_parse(const char *s, struct sockaddr_storage *out, socklen_t *len, struct err *err);
int web_config_help(struct buf *out);

/* ---- ops: embedded judges (embedded.c), request parsers (auth.c, config.c) ----------------------- */

/* Started as root with `judges` not 0: makes sure the judge account
 * WEB_EMBEDDED_JUDGE exists, gives it a fresh API token (the earlier one is
 * revoked), writes the token to DATA/judge.token (root only), and forks the
 * root supervisor that runs `crucible judge daemon` against srv's listening
 * address until the server ends. Call before dropping privileges and before
 * any thread is started (it forks). Not root, or judges = 0: logs why and
 * does nothing. s is borrowed for the call. */
#define WEB_EMBEDDED_JUDGE "local-judge"
int web_embedded_start(struct web_server *srv, struct web_store *s, struct err *err);
/* Closes the supervisor's pipe (it then stops the judges) and waits a few
 * seconds for it to end. Safe to call when nothing was started. */
void web_embedded_stop(void);

/* Pure parsers of request header text (fuzzed by tests/fuzz/fuzz_request.c).
 * The session token of a Cookie header: 1 and out filled when a
 * crucible_session pair holds WEB_TOKEN_HEX lowercase hex digits (the first
 * such pair wins; others are ignored), else 0. header may be NULL. */
int web_cookie_session_parse(const char *header, char out[WEB_TOKEN_HEX + 1]);
/* An Authorization header: 1 and out = the token for `Bearer TOKEN` (scheme
 * case-insensitive, TOKEN 1 to WEB_BEARER_MAX visible ASCII characters,
 * spaces around it ignored); -1 for a malformed Bearer header; 0 for another
 * scheme or NULL. */
#define WEB_BEARER_MAX 512
int web_bearer_parse(const char *header, char out[WEB_BEARER_MAX + 1]);
/* What a trusted proxy says: address gets the last X-Forwarded-For entry
 * (control characters as '?'; "" when absent, empty, too long or not UTF-8),
 * *https whether X-Forwarded-Proto is "https". Either header may be NULL. */
void web_forwarded_parse(const char *xff, const char *proto, char address[WEB_ADDRESS_MAX + 1], int *https);
/* A query parameter's id: ASCII digits only, in [1, 2^53]; 0 or -1. */
int web_query_id_parse(const char *v, int64_t *out);
/* The text of a settings file: `key = value` lines, `#` comments. text must
 * be NUL-terminated at text[len] and is modified; where names it in errors. */
int web_config_parse(struct web_config *c, char *text, size_t len, const char *where, struct err *err);

/* ---- api_leaderboard.c: AI leaderboards ------------------------------------------------------------------ */
void web_api_leaderboard_get(struct web_req *r, struct web_store *s);
void web_api_final_get(struct web_req *r, struct web_store *s);
void web_api_final_set(struct web_req *r, struct web_store *s);
void web_api_submission_baseline(struct web_req *r, struct web_store *s);
/* A score rounded to `precision` decimals, as every non-jury answer shows it. */
double web_ai_round(double v, int precision);
/* A judge result's `ai` scores: checks them (400 and -1 when bad), rounds
 * what contestants see of the result (its score and its tests' scores) to
 * the problem's precision, and begins the transaction that stores them with
 * the result. 1: scores[0..1] are the public and private scores and a
 * transaction is open: call web_leaderboard_result_end with the result's
 * rc. 0: no `ai` object. */
int web_leaderboard_result_begin(struct web_req *r, struct web_store *s, const cJSON *body, const struct web_judging *j,
                                 struct web_judging_result *res, struct web_test_result *tests, double scores[2]);
/* Stores the scores when rc is 0 and commits, else rolls back; returns rc or the error. */
int web_leaderboard_result_end(struct web_store *s, int64_t judging_id, int rc, const double scores[2],
                               struct err *err);
/* The contest's daily limit, checked (inside the submission's transaction)
 * for sub (its contest, user, team and time filled): 0 fine, -1 after a 429
 * `daily_limit` reply. */
int web_leaderboard_daily_check(struct web_req *r, struct web_store *s, const struct web_contest *c,
                                const struct web_submission *sub);

/* ---- ops: /metrics (metrics.c) ------------------------------------------------------------------------
 * Request counts and latencies by method, route pattern (never the raw
 * path: ids would make series without end) and status, kept in memory
 * since the start; queue, judge and verdict figures are read from storage
 * at each scrape. */
struct web_metrics;
void web_metrics_new(struct web_metrics **out);
void web_metrics_free(struct web_metrics *m);              /* NULL is fine */
/* One finished request; route is the matched pattern, NULL for none. */
void web_metrics_observe(struct web_metrics *m, const char *method, const char *route, unsigned status,
                         double seconds);
void web_api_metrics(struct web_req *r, struct web_store *s);
/* A storage error's reply for a fault (full disk, read-only folder):
 * 1 after replying 507 storage_full or 503 read_only, else 0. */
int web_reply_store_fault(struct web_req *r, int rc);
/* Writes all of p to fd, retrying after EINTR; 0, or -1 with errno (server.c). */
int web_write_all(int fd, const char *p, size_t len);

/* ---- talent: profiles, ratings, the talent pool (api_talent.c; rating.h is the formula) ------------------ */
#define WEB_TALENT_QUERY "min_rating,max_rating,tag,school,region,active_days,limit"
void web_api_me_profile_get(struct web_req *r, struct web_store *s);
void web_api_me_profile_patch(struct web_req *r, struct web_store *s);
void web_api_me_profile_views(struct web_req *r, struct web_store *s);
void web_api_user_profile(struct web_req *r, struct web_store *s);
void web_api_ratings(struct web_req *r, struct web_store *s);
void web_api_talent(struct web_req *r, struct web_store *s);
void web_api_talent_csv(struct web_req *r, struct web_store *s);
/* Appends s to b as one CSV field: quoted when it must be, and a leading
 * = + - @ defused with a ' (a spreadsheet would run it as a formula). */
void web_csv_field(struct buf *b, const char *s);

/* ---- courses (api_courses.c) ---------------------------------------------------------------------------
 * A course's things are 404 to non-members. Staff: its teachers and TAs,
 * and every admin; teachers (and admins) manage members and the course. */
#define WEB_BODY_LESSON_MAX ((uint64_t)2 << 20)           /* 256 KiB of Markdown, escaped */
#define WEB_BODY_ASSIGNMENT_MAX ((uint64_t)8 << 20)       /* problems with 64 KiB templates, escaped */
struct web_course_access {
    int member;                             /* any role, or an admin */
    int staff;                              /* teacher, TA or admin */
    int teacher;                            /* teacher or admin */
    int student;                            /* enrolled as a student */
};
/* Loads course id (into c) and the caller's standing; replies 404 (or the
 * storage error) and returns -1 when it does not exist or the caller is
 * not a member. */
int web_course_load(struct web_req *r, struct web_store *s, int64_t id, struct web_course *c,
                    struct web_course_access *a);
/* The same for assignment id and its course. */
int web_assignment_load(struct web_req *r, struct web_store *s, int64_t id, struct web_assignment *as,
                        struct web_course_access *a);
/* POST /api/v1/submissions' `assignment` (and the staff's `user` and
 * `time`): checks them for sub (caller, problem and now filled), sets
 * sub's assignment, user and time, and fills audit when staff acted for a
 * student; -1 after a reply. */
int web_course_submission_check(struct web_req *r, struct web_store *s, const cJSON *body,
                                struct web_submission *sub, char *audit, size_t auditsize);
/* What the caller may see of an assignment submission's result: *all
 * (course staff: everything), else *feedback and *after_due_hidden (the
 * student's due time has not passed and the feedback is after_due). 0, or
 * ERR_NOTFOUND when the caller may not see it at all. */
int web_course_submission_view(struct web_req *r, struct web_store *s, const struct web_submission *sub, int *all,
                               enum web_feedback *feedback, int *hidden, struct err *err);
/* The late rule's factor for a submission at t with the student's due time
 * (docs/courses.md): 1 up to due, then by the rule. */
double web_course_late_factor(enum web_late_rule rule, double value, int64_t due, int64_t t);
void web_api_course_create(struct web_req *r, struct web_store *s);
void web_api_course_list(struct web_req *r, struct web_store *s);
void web_api_course_get(struct web_req *r, struct web_store *s);
void web_api_course_patch(struct web_req *r, struct web_store *s);
void web_api_course_join(struct web_req *r, struct web_store *s);
void web_api_course_members(struct web_req *r, struct web_store *s);
void web_api_course_member_add(struct web_req *r, struct web_store *s);
void web_api_course_member_remove(struct web_req *r, struct web_store *s);
void web_api_course_roster(struct web_req *r, struct web_store *s);
void web_api_course_units(struct web_req *r, struct web_store *s);
void web_api_course_unit_create(struct web_req *r, struct web_store *s);
void web_api_lesson_create(struct web_req *r, struct web_store *s);
void web_api_lesson_get(struct web_req *r, struct web_store *s);
void web_api_lesson_preview(struct web_req *r, struct web_store *s);
void web_api_lesson_patch(struct web_req *r, struct web_store *s);
void web_api_lesson_delete(struct web_req *r, struct web_store *s);
void web_api_assignment_create(struct web_req *r, struct web_store *s);
void web_api_assignment_list(struct web_req *r, struct web_store *s);
void web_api_assignment_get(struct web_req *r, struct web_store *s);
void web_api_assignment_problem(struct web_req *r, struct web_store *s);
void web_api_assignment_patch(struct web_req *r, struct web_store *s);
void web_api_assignment_delete(struct web_req *r, struct web_store *s);
void web_api_extension_put(struct web_req *r, struct web_store *s);
void web_api_extension_list(struct web_req *r, struct web_store *s);
void web_api_extension_remove(struct web_req *r, struct web_store *s);
void web_api_assignment_grades(struct web_req *r, struct web_store *s);
void web_api_course_gradebook(struct web_req *r, struct web_store *s);
void web_api_course_gradebook_csv(struct web_req *r, struct web_store *s);
/* api_admin.c's account rules, shared with the roster import: NULL when
 * fine, else why not (static text). */
const char *web_user_name_problem(const char *s);
const char *web_user_display_name_problem(const char *s);
const char *web_user_email_problem(const char *s);
#define WEB_GENERATED_PASSWORD_LEN 16
void web_password_generate(char out[WEB_GENERATED_PASSWORD_LEN + 1]);

/* ---- similarity: an assignment's similarity report (api_similarity.c; similarity.h is the method) ---------- */
void web_api_similarity_report(struct web_req *r, struct web_store *s);
void web_api_similarity_pair(struct web_req *r, struct web_store *s);

#endif
