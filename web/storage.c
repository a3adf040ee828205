/*
 * storage.c: the engine-neutral half of storage. It opens the engine, checks
 * every argument against storage.h's limits before an engine sees it, makes
 * and hashes tokens, and keeps the content-addressed blob store.
 */
#include "storage_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- enumeration names -------------------------------------------------------- */

static const char *const role_names[] = { "admin", "organizer", "teacher", "contestant", "judge" };
static const char *const contest_role_names[] = { "jury", "participant" };
static const char *const registration_names[] = { "admin", "open", "code" };
static const char *const rules_names[] = { "icpc", "ioi", "oi" };
static const char *const clar_kind_names[] = { "question", "answer", "announcement" };
static const char *const sub_status_names[] = { "queued", "judging", "judged" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : "?";
}

static int parse_name(const char *const *names, size_t n, const char *s, int *out)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0) {
            *out = (int)i;
            return 0;
        }
    return ERR_INVALID;
}

#define ENUM_FUNCS(fn, type, names) \
    const char *web_##fn##_name(enum type v) { return name_of(names, COUNT(names), (int)v); } \
    int web_##fn##_parse(const char *s, enum type *out) \
    { \
        int v; \
        if (parse_name(names, COUNT(names), s, &v) < 0) \
            return ERR_INVALID; \
        *out = (enum type)v; \
        return 0; \
    }

ENUM_FUNCS(role, web_role, role_names)
ENUM_FUNCS(contest_role, web_contest_role, contest_role_names)
ENUM_FUNCS(registration, web_registration, registration_names)
ENUM_FUNCS(rules, web_rules, rules_names)
ENUM_FUNCS(clar_kind, web_clar_kind, clar_kind_names)
ENUM_FUNCS(sub_status, web_sub_status, sub_status_names)

/* ---- argument checks ------------------------------------------------------------- */

/* Valid UTF-8 without control characters (tab, CR and LF too when multiline). */
static int text_ok(const char *s, int multiline)
{
    return utf8_valid(s, strlen(s), UTF8_NO_CONTROLS | (multiline ? UTF8_ALLOW_LINES : 0));
}

/* A text field: present, at most max bytes, valid UTF-8. */
static int check_text(struct err *err, const char *what, const char *s, size_t max, int multiline)
{
    if (!s)
        return err_set(err, ERR_INVALID, "missing %s", what);
    if (strnlen(s, max + 1) > max)
        return err_set(err, ERR_LIMIT, "%s is longer than %zu bytes", what, max);
    if (!text_ok(s, multiline))
        return err_set(err, ERR_INVALID, "%s is not valid text", what);
    return 0;
}

#define CHECK_ARRAY(err, what, arr) check_text(err, what, arr, sizeof(arr) - 1, 0)

/* A name used in URLs and logs: [A-Za-z0-9._-], not starting with '.' or '-'. */
static int check_name(struct err *err, const char *what, const char *s)
{
    if (!s || !*s)
        return err_set(err, ERR_INVALID, "missing %s", what);
    if (strnlen(s, WEB_NAME_MAX + 1) > WEB_NAME_MAX)
        return err_set(err, ERR_LIMIT, "%s is longer than %d bytes", what, WEB_NAME_MAX);
    if (s[0] == '.' || s[0] == '-')
        return err_set(err, ERR_INVALID, "%s must start with a letter, digit or '_'", what);
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return err_set(err, ERR_INVALID, "%s may hold only letters, digits, '.', '_' and '-'", what);
    return 0;
}

static int check_id(struct err *err, const char *what, int64_t id)
{
    return id > 0 ? 0 : err_set(err, ERR_INVALID, "missing %s", what);
}

static int check_opt_id(struct err *err, const char *what, int64_t id)
{
    return id >= 0 ? 0 : err_set(err, ERR_INVALID, "invalid %s", what);
}

static int check_nonneg(struct err *err, const char *what, int64_t v)
{
    return v >= 0 ? 0 : err_set(err, ERR_INVALID, "%s is negative", what);
}

int web_hash_valid(const char *hex)
{
    if (!hex)
        return 0;
    size_t i;
    for (i = 0; i < WEB_HASH_HEX; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return 0;
    return hex[i] == '\0';
}

static int check_hash(struct err *err, const char *what, const char *hex, int optional)
{
    if (optional && (!hex || !*hex))
        return 0;
    return web_hash_valid(hex) ? 0 : err_set(err, ERR_INVALID, "%s is not a BLAKE2b-256 hex hash", what);
}

static int check_enum(struct err *err, const char *what, int v, size_t n)
{
    return v >= 0 && (size_t)v < n ? 0 : err_set(err, ERR_INVALID, "invalid %s", what);
}

static int check_flag(struct err *err, const char *what, int v)
{
    return v == 0 || v == 1 ? 0 : err_set(err, ERR_INVALID, "%s must be 0 or 1", what);
}

static size_t page_limit(size_t limit)
{
    return limit == 0 || limit > WEB_LIST_MAX ? WEB_LIST_MAX : limit;
}

/* Runs a chain of checks, stopping at the first failure. */
#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ < 0) return try_rc_; } while (0)

/* ---- tokens -------------------------------------------------------------------------- */

void web_token_hash(const char *token, char out[WEB_HASH_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, WEB_HASH_HEX + 1, h, sizeof(h));
}

static int token_new(char token[WEB_TOKEN_HEX + 1], char hash[WEB_HASH_HEX + 1], struct err *err)
{
    unsigned char raw[WEB_TOKEN_HEX / 2];
    if (sodium_init() < 0)
        return err_set(err, ERR_SYSTEM, "cannot initialise libsodium");
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(token, WEB_TOKEN_HEX + 1, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    web_token_hash(token, hash);
    return 0;
}

/* A token as presented by a client: anything malformed is simply unknown. */
static int token_lookup_hash(const char *token, char hash[WEB_HASH_HEX + 1], struct err *err)
{
    if (!web_hash_valid(token))
        return err_set(err, ERR_NOTFOUND, "unknown token");
    web_token_hash(token, hash);
    return 0;
}

/* ---- lists ------------------------------------------------------------------------------ */

void *web_list_push(void *v_ptr, size_t *n, size_t *alloc, size_t elem)
{
    char *v;
    memcpy(&v, v_ptr, sizeof(v));
    if (*n == *alloc) {
        size_t grown = *alloc ? *alloc * 2 : 16;
        if (grown > SIZE_MAX / elem)
            abort();
        v = realloc(v, grown * elem);
        if (!v)
            abort();
        *alloc = grown;
        memcpy(v_ptr, &v, sizeof(v));
    }
    char *row = v + *n * elem;
    memset(row, 0, elem);
    (*n)++;
    return row;
}

void web_judge_host_release(struct web_judge_host *h)
{
    if (h) {
        free(h->capabilities);
        h->capabilities = NULL;
    }
}

void web_audit_entry_release(struct web_audit_entry *e)
{
    if (e) {
        free(e->detail);
        e->detail = NULL;
    }
}

void web_clarification_release(struct web_clarification *c)
{
    if (c) {
        free(c->text);
        c->text = NULL;
    }
}

#define PLAIN_LIST_RELEASE(type) \
    void type##_list_release(struct type##_list *l) \
    { \
        if (l) { \
            free(l->v); \
            l->v = NULL; \
            l->n = 0; \
        } \
    }

#define OWNING_LIST_RELEASE(type, row_release) \
    void type##_list_release(struct type##_list *l) \
    { \
        if (l) { \
            for (size_t i = 0; i < l->n; i++) \
                row_release(&l->v[i]); \
            free(l->v); \
            l->v = NULL; \
            l->n = 0; \
        } \
    }

static void test_result_release(struct web_test_result *t)
{
    free(t->name);
    free(t->message);
}

PLAIN_LIST_RELEASE(web_user)
PLAIN_LIST_RELEASE(web_api_token)
OWNING_LIST_RELEASE(web_judge_host, web_judge_host_release)
OWNING_LIST_RELEASE(web_audit_entry, web_audit_entry_release)
PLAIN_LIST_RELEASE(web_problem)
PLAIN_LIST_RELEASE(web_contest)
PLAIN_LIST_RELEASE(web_contest_problem)
PLAIN_LIST_RELEASE(web_team)
PLAIN_LIST_RELEASE(web_participant)
OWNING_LIST_RELEASE(web_clarification, web_clarification_release)
PLAIN_LIST_RELEASE(web_submission)
PLAIN_LIST_RELEASE(web_judging)
OWNING_LIST_RELEASE(web_test_result, test_result_release)
PLAIN_LIST_RELEASE(web_contest_result)
PLAIN_LIST_RELEASE(web_judging_group)
PLAIN_LIST_RELEASE(web_event)

/* ---- ops: storage faults -------------------------------------------------------------------
 * A failed system call on the data folder: err_sys's ERR_SYSTEM (errno is
 * still the call's) becomes WEB_STORE_FULL or WEB_STORE_READONLY when the
 * disk is full or the folder cannot be written, so the HTTP layer answers
 * 507 storage_full or 503 read_only rather than a bare 500. */
static int store_fault(int rc, struct err *err)
{
    int code = rc;
    if (errno == ENOSPC || errno == EDQUOT)
        code = WEB_STORE_FULL;
    else if (errno == EROFS || errno == EACCES || errno == EPERM)
        code = WEB_STORE_READONLY;
    if (err && code != rc)
        err->code = code;
    return code;
}

/* ---- opening ------------------------------------------------------------------------------ */

static int mkdir_p1(const char *path, struct err *err)
{
    if (mkdir(path, 0750) < 0 && errno != EEXIST)
        return store_fault(err_sys(err, "cannot create '%s'", path), err);
    struct stat st;
    if (stat(path, &st) < 0)
        return err_sys(err, "cannot stat '%s'", path);
    if (!S_ISDIR(st.st_mode))
        return err_set(err, ERR_INVALID, "'%s' is not a folder", path);
    return 0;
}

int web_store_open(const char *data_dir, struct web_store **out, struct err *err)
{
    return web_store_open_db(data_dir, getenv("CRUCIBLE_DATABASE"), out, err);
}

int web_store_open_db(const char *data_dir, const char *database, struct web_store **out, struct err *err)
{
    char blobs[PATH_MAX];
    *out = NULL;
    if (!data_dir || !*data_dir)
        return err_set(err, ERR_INVALID, "missing data folder");
    if (sodium_init() < 0)
        return err_set(err, ERR_SYSTEM, "cannot initialise libsodium");
    if (str_fmt(blobs, sizeof(blobs), "%s/blobs", data_dir) < 0)
        return err_set(err, ERR_LIMIT, "data folder path '%s' is too long", data_dir);
    TRY(mkdir_p1(data_dir, err));
    TRY(mkdir_p1(blobs, err));
    return web_store_sql_open(data_dir, database, out, err);
}

void web_store_close(struct web_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *web_store_data_dir(const struct web_store *s)
{
    return s->data_dir;
}

const char *web_store_engine(const struct web_store *s)
{
    return s->engine;
}

int web_store_schema_version(struct web_store *s, int64_t *out, struct err *err)
{
    return s->ops->schema_version(s, out, err);
}

int web_store_check(struct web_store *s, struct err *err)
{
    return s->ops->check(s, err);
}

int web_store_tx_begin(struct web_store *s, struct err *err)
{
    return s->ops->tx_begin(s, err);
}

int web_store_tx_commit(struct web_store *s, struct err *err)
{
    return s->ops->tx_commit(s, err);
}

int web_store_tx_rollback(struct web_store *s, struct err *err)
{
    return s->ops->tx_rollback(s, err);
}

/* ---- settings ------------------------------------------------------------------------------ */

int web_store_setting_get(struct web_store *s, const char *key, char **value, struct err *err)
{
    *value = NULL;
    TRY(check_name(err, "setting name", key));
    return s->ops->setting_get(s, key, value, err);
}

int web_store_setting_set(struct web_store *s, const char *key, const char *value, struct err *err)
{
    TRY(check_name(err, "setting name", key));
    TRY(check_text(err, "setting value", value, WEB_SETTING_MAX, 1));
    return s->ops->setting_set(s, key, value, err);
}

/* ---- accounts ------------------------------------------------------------------------------ */

static int user_fields_ok(const struct web_user *u, struct err *err)
{
    TRY(CHECK_ARRAY(err, "display name", u->display_name));
    TRY(CHECK_ARRAY(err, "email", u->email));
    TRY(CHECK_ARRAY(err, "password hash", u->password_hash));
    TRY(check_enum(err, "role", (int)u->role, COUNT(role_names)));
    TRY(check_flag(err, "disabled", u->disabled));
    return 0;
}

int web_store_user_create(struct web_store *s, struct web_user *u, struct err *err)
{
    TRY(check_name(err, "user name", u->name));
    TRY(user_fields_ok(u, err));
    TRY(check_nonneg(err, "creation time", u->created_at));
    return s->ops->user_create(s, u, err);
}

int web_store_user_by_id(struct web_store *s, int64_t id, struct web_user *out, struct err *err)
{
    TRY(check_id(err, "user id", id));
    return s->ops->user_by_id(s, id, out, err);
}

int web_store_user_by_name(struct web_store *s, const char *name, struct web_user *out, struct err *err)
{
    if (check_name(NULL, "user name", name) < 0)
        return err_set(err, ERR_NOTFOUND, "no user '%.*s'", WEB_NAME_MAX, name ? name : "");
    return s->ops->user_by_name(s, name, out, err);
}

int web_store_user_update(struct web_store *s, const struct web_user *u, struct err *err)
{
    TRY(check_id(err, "user id", u->id));
    TRY(user_fields_ok(u, err));
    return s->ops->user_update(s, u, err);
}

int web_store_user_list(struct web_store *s, int64_t after_id, size_t limit, struct web_user_list *out,
                        struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->user_list(s, after_id, page_limit(limit), out, err);
}

/* ---- sessions and tokens ------------------------------------------------------------------- */

int web_store_session_create(struct web_store *s, int64_t user_id, const char *address, int64_t now,
                             int64_t ttl_seconds, char token[WEB_TOKEN_HEX + 1], struct err *err)
{
    struct web_session in = { 0 };
    char hash[WEB_HASH_HEX + 1];
    int64_t id;
    TRY(check_id(err, "user id", user_id));
    TRY(check_text(err, "address", address ? address : "", WEB_ADDRESS_MAX, 0));
    if (ttl_seconds <= 0 || now < 0 || ttl_seconds > INT64_MAX - now)
        return err_set(err, ERR_INVALID, "invalid session lifetime");
    TRY(token_new(token, hash, err));
    in.user_id = user_id;
    in.created_at = now;
    in.expires_at = now + ttl_seconds;
    memcpy(in.address, address ? address : "", strlen(address ? address : "") + 1);
    int rc = s->ops->session_create(s, hash, &in, &id, err);
    if (rc < 0)
        sodium_memzero(token, WEB_TOKEN_HEX + 1);
    return rc;
}

int web_store_session_lookup(struct web_store *s, const char *token, int64_t now, struct web_session *out,
                             struct err *err)
{
    char hash[WEB_HASH_HEX + 1];
    TRY(token_lookup_hash(token, hash, err));
    return s->ops->session_lookup(s, hash, now, out, err);
}

int web_store_session_delete(struct web_store *s, const char *token, struct err *err)
{
    char hash[WEB_HASH_HEX + 1];
    TRY(token_lookup_hash(token, hash, err));
    return s->ops->session_delete(s, hash, err);
}

int web_store_session_delete_user(struct web_store *s, int64_t user_id, struct err *err)
{
    TRY(check_id(err, "user id", user_id));
    return s->ops->session_delete_user(s, user_id, err);
}

int web_store_session_purge(struct web_store *s, int64_t now, int64_t *removed, struct err *err)
{
    int64_t n = 0;
    int rc = s->ops->session_purge(s, now, &n, err);
    if (removed)
        *removed = n;
    return rc;
}

int web_store_apitoken_create(struct web_store *s, int64_t user_id, const char *name, int64_t now,
                              int64_t expires_at, char token[WEB_TOKEN_HEX + 1], int64_t *id,
                              struct err *err)
{
    struct web_api_token in = { 0 };
    char hash[WEB_HASH_HEX + 1];
    int64_t got = 0;
    TRY(check_id(err, "user id", user_id));
    TRY(check_name(err, "token name", name));
    TRY(check_nonneg(err, "creation time", now));
    if (expires_at != 0 && expires_at <= now)
        return err_set(err, ERR_INVALID, "token expires before it is created");
    TRY(token_new(token, hash, err));
    in.user_id = user_id;
    memcpy(in.name, name, strlen(name) + 1);
    in.created_at = now;
    in.expires_at = expires_at;
    int rc = s->ops->apitoken_create(s, hash, &in, &got, err);
    if (rc < 0)
        sodium_memzero(token, WEB_TOKEN_HEX + 1);
    else if (id)
        *id = got;
    return rc;
}

int web_store_apitoken_lookup(struct web_store *s, const char *token, int64_t now,
                              struct web_api_token *out, struct err *err)
{
    char hash[WEB_HASH_HEX + 1];
    TRY(token_lookup_hash(token, hash, err));
    return s->ops->apitoken_lookup(s, hash, now, out, err);
}

int web_store_apitoken_list(struct web_store *s, int64_t user_id, struct web_api_token_list *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "user id", user_id));
    return s->ops->apitoken_list(s, user_id, out, err);
}

int web_store_apitoken_revoke(struct web_store *s, int64_t user_id, int64_t id, struct err *err)
{
    TRY(check_opt_id(err, "user id", user_id));
    TRY(check_id(err, "token id", id));
    return s->ops->apitoken_revoke(s, user_id, id, err);
}

/* ---- login rate limiting ---------------------------------------------------------------------- */

static int login_key_ok(enum web_login_scope scope, const char *key, int64_t window, struct err *err)
{
    TRY(check_enum(err, "login scope", (int)scope, 2));
    TRY(check_text(err, "login key", key, WEB_TITLE_MAX, 0));
    if (window <= 0)
        return err_set(err, ERR_INVALID, "invalid login window");
    return 0;
}

int web_store_login_failure_add(struct web_store *s, enum web_login_scope scope, const char *key,
                                int64_t now, int64_t window, int64_t *count, struct err *err)
{
    TRY(login_key_ok(scope, key, window, err));
    return s->ops->login_failure_add(s, scope, key, now, window, count, err);
}

int web_store_login_failure_count(struct web_store *s, enum web_login_scope scope, const char *key,
                                  int64_t now, int64_t window, int64_t *count, struct err *err)
{
    TRY(login_key_ok(scope, key, window, err));
    return s->ops->login_failure_count(s, scope, key, now, window, count, err);
}

int web_store_login_failure_clear(struct web_store *s, enum web_login_scope scope, const char *key,
                                  struct err *err)
{
    TRY(login_key_ok(scope, key, 1, err));
    return s->ops->login_failure_clear(s, scope, key, err);
}

/* ---- audit log ---------------------------------------------------------------------------------- */

int web_store_audit_add(struct web_store *s, const struct web_audit_entry *e, int64_t *id, struct err *err)
{
    int64_t got = 0;
    TRY(check_opt_id(err, "actor id", e->actor_user_id));
    TRY(CHECK_ARRAY(err, "address", e->address));
    TRY(check_name(err, "audit action", e->action));
    TRY(CHECK_ARRAY(err, "audit target", e->target));
    if (e->detail)
        TRY(check_text(err, "audit detail", e->detail, WEB_TEXT_MAX, 1));
    int rc = s->ops->audit_add(s, e, &got, err);
    if (rc == 0 && id)
        *id = got;
    return rc;
}

int web_store_audit_list(struct web_store *s, int64_t before_id, size_t limit,
                         struct web_audit_entry_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->audit_list(s, before_id, page_limit(limit), out, err);
}

/* ---- judge hosts -------------------------------------------------------------------------------- */

static int judge_fields_ok(const struct web_judge_host *h, struct err *err)
{
    TRY(check_flag(err, "enabled", h->enabled));
    if (h->capabilities)
        TRY(check_text(err, "capabilities", h->capabilities, WEB_JSON_MAX, 1));
    return 0;
}

int web_store_judge_host_create(struct web_store *s, struct web_judge_host *h, char token[WEB_TOKEN_HEX + 1],
                                struct err *err)
{
    char hash[WEB_HASH_HEX + 1];
    TRY(check_name(err, "judge host name", h->name));
    TRY(judge_fields_ok(h, err));
    TRY(check_nonneg(err, "creation time", h->created_at));
    TRY(token_new(token, hash, err));
    int rc = s->ops->judge_host_create(s, hash, h, err);
    if (rc < 0)
        sodium_memzero(token, WEB_TOKEN_HEX + 1);
    return rc;
}

int web_store_judge_host_by_id(struct web_store *s, int64_t id, struct web_judge_host *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "judge host id", id));
    return s->ops->judge_host_by_id(s, id, out, err);
}

int web_store_judge_host_by_token(struct web_store *s, const char *token, struct web_judge_host *out,
                                  struct err *err)
{
    char hash[WEB_HASH_HEX + 1];
    memset(out, 0, sizeof(*out));
    TRY(token_lookup_hash(token, hash, err));
    return s->ops->judge_host_by_token(s, hash, out, err);
}

int web_store_judge_host_by_name(struct web_store *s, const char *name, struct web_judge_host *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (check_name(NULL, "judge host name", name) < 0)
        return err_set(err, ERR_NOTFOUND, "no judge host '%.*s'", WEB_NAME_MAX, name ? name : "");
    return s->ops->judge_host_by_name(s, name, out, err);
}

int web_store_judge_host_update(struct web_store *s, const struct web_judge_host *h, struct err *err)
{
    TRY(check_id(err, "judge host id", h->id));
    TRY(judge_fields_ok(h, err));
    return s->ops->judge_host_update(s, h, err);
}

int web_store_judge_host_list(struct web_store *s, struct web_judge_host_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->judge_host_list(s, out, err);
}

int web_store_judge_host_heartbeat(struct web_store *s, int64_t id, int64_t now, struct err *err)
{
    TRY(check_id(err, "judge host id", id));
    return s->ops->judge_host_heartbeat(s, id, now, err);
}

/* ---- problems and contests ------------------------------------------------------------------------ */

static int problem_tags_ok(const struct web_problem *p, struct err *err);   /* problem tags, below */

static int problem_fields_ok(const struct web_problem *p, struct err *err)
{
    TRY(CHECK_ARRAY(err, "problem title", p->title));
    TRY(check_hash(err, "package hash", p->package_hash, 0));
    if (!(p->time_limit > 0 && p->time_limit <= 3600))
        return err_set(err, ERR_INVALID, "time limit must be between 0 and 3600 seconds");
    if (p->memory_limit <= 0)
        return err_set(err, ERR_INVALID, "memory limit must be positive");
    TRY(check_name(err, "problem type", p->type));
    TRY(check_flag(err, "published", p->published));
    TRY(check_flag(err, "time_limit_inferred", p->time_limit_inferred));
    TRY(check_hash(err, "statement hash", p->statement_hash, 1));
    TRY(check_hash(err, "samples hash", p->samples_hash, 1));
    TRY(problem_tags_ok(p, err));
    return 0;
}

int web_store_problem_create(struct web_store *s, struct web_problem *p, struct err *err)
{
    TRY(check_name(err, "problem name", p->short_name));
    TRY(problem_fields_ok(p, err));
    TRY(check_opt_id(err, "creator id", p->created_by));
    return s->ops->problem_create(s, p, err);
}

int web_store_problem_by_id(struct web_store *s, int64_t id, struct web_problem *out, struct err *err)
{
    TRY(check_id(err, "problem id", id));
    return s->ops->problem_by_id(s, id, out, err);
}

int web_store_problem_by_name(struct web_store *s, const char *short_name, struct web_problem *out,
                              struct err *err)
{
    if (check_name(NULL, "problem name", short_name) < 0)
        return err_set(err, ERR_NOTFOUND, "no problem '%.*s'", WEB_NAME_MAX, short_name ? short_name : "");
    return s->ops->problem_by_name(s, short_name, out, err);
}

int web_store_problem_update(struct web_store *s, const struct web_problem *p, struct err *err)
{
    TRY(check_id(err, "problem id", p->id));
    TRY(problem_fields_ok(p, err));
    return s->ops->problem_update(s, p, err);
}

int web_store_problem_list(struct web_store *s, int published_only, int64_t after_id, size_t limit,
                           struct web_problem_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->problem_list(s, published_only != 0, after_id, page_limit(limit), out, err);
}

/* Comma-separated language ids, each a name of at most WEB_LANG_MAX. */
static int check_languages(const char *list, struct err *err)
{
    TRY(check_text(err, "language list", list, WEB_LANGUAGES_MAX, 0));
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char one[WEB_LANG_MAX + 1];
        if (n == 0 || n > WEB_LANG_MAX)
            return err_set(err, ERR_INVALID, "invalid language list '%s'", list);
        memcpy(one, p, n);
        one[n] = '\0';
        if (check_name(NULL, "language", one) < 0)
            return err_set(err, ERR_INVALID, "invalid language '%s'", one);
        p += n + (end ? 1 : 0);
        if (end && !*p)
            return err_set(err, ERR_INVALID, "invalid language list '%s'", list);
    }
    return 0;
}

static int contest_fields_ok(const struct web_contest *c, struct err *err)
{
    TRY(CHECK_ARRAY(err, "contest title", c->title));
    TRY(check_nonneg(err, "start time", c->start_time));
    if (c->duration <= 0 || c->duration > 366 * 86400)
        return err_set(err, ERR_INVALID, "contest duration must be between 1 second and a year");
    if (c->freeze < 0 || c->freeze > c->duration)
        return err_set(err, ERR_INVALID, "freeze must be between 0 and the duration");
    TRY(check_flag(err, "unfrozen", c->unfrozen));
    TRY(check_flag(err, "public", c->is_public));
    TRY(check_enum(err, "registration mode", (int)c->registration, COUNT(registration_names)));
    TRY(CHECK_ARRAY(err, "registration code", c->registration_code));
    if (c->registration == WEB_REG_CODE && !c->registration_code[0])
        return err_set(err, ERR_INVALID, "registration by code needs a code");
    TRY(check_flag(err, "team mode", c->team_mode));
    TRY(check_enum(err, "rules", (int)c->rules, COUNT(rules_names)));
    if (c->penalty_minutes < 0 || c->penalty_minutes > 1440)
        return err_set(err, ERR_INVALID, "penalty must be between 0 and 1440 minutes");
    TRY(check_languages(c->languages, err));
    TRY(check_nonneg(err, "submission limit", c->max_submissions));
    TRY(check_nonneg(err, "submission interval", c->submission_interval));
    /* AI leaderboards: 0 final submissions means the default */
    if (c->final_submissions < 0 || c->final_submissions > WEB_AI_FINAL_MAX)
        return err_set(err, ERR_INVALID, "final submissions must be between 1 and %d", WEB_AI_FINAL_MAX);
    TRY(check_nonneg(err, "daily submission limit", c->daily_submissions));
    TRY(check_flag(err, "private_published", c->private_published));
    TRY(check_flag(err, "rated", c->rated));         /* talent */
    return 0;
}

int web_store_contest_create(struct web_store *s, struct web_contest *c, struct err *err)
{
    TRY(check_name(err, "contest name", c->short_name));
    TRY(contest_fields_ok(c, err));
    TRY(check_opt_id(err, "creator id", c->created_by));
    return s->ops->contest_create(s, c, err);
}

int web_store_contest_by_id(struct web_store *s, int64_t id, struct web_contest *out, struct err *err)
{
    TRY(check_id(err, "contest id", id));
    return s->ops->contest_by_id(s, id, out, err);
}

int web_store_contest_by_name(struct web_store *s, const char *short_name, struct web_contest *out,
                              struct err *err)
{
    if (check_name(NULL, "contest name", short_name) < 0)
        return err_set(err, ERR_NOTFOUND, "no contest '%.*s'", WEB_NAME_MAX, short_name ? short_name : "");
    return s->ops->contest_by_name(s, short_name, out, err);
}

int web_store_contest_update(struct web_store *s, const struct web_contest *c, struct err *err)
{
    TRY(check_id(err, "contest id", c->id));
    TRY(contest_fields_ok(c, err));
    return s->ops->contest_update(s, c, err);
}

int web_store_contest_list(struct web_store *s, int64_t after_id, size_t limit, struct web_contest_list *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->contest_list(s, after_id, page_limit(limit), out, err);
}

int web_store_contest_problem_put(struct web_store *s, const struct web_contest_problem *cp, struct err *err)
{
    TRY(check_id(err, "contest id", cp->contest_id));
    TRY(check_id(err, "problem id", cp->problem_id));
    if (!cp->label[0])
        return err_set(err, ERR_INVALID, "missing problem label");
    TRY(CHECK_ARRAY(err, "problem label", cp->label));
    TRY(CHECK_ARRAY(err, "problem color", cp->color));
    if (!(cp->points >= 0 && cp->points <= 1e9))
        return err_set(err, ERR_INVALID, "points must be between 0 and 1e9");
    return s->ops->contest_problem_put(s, cp, err);
}

int web_store_contest_problem_remove(struct web_store *s, int64_t contest_id, int64_t problem_id,
                                     struct err *err)
{
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->contest_problem_remove(s, contest_id, problem_id, err);
}

int web_store_contest_problems(struct web_store *s, int64_t contest_id, struct web_contest_problem_list *out,
                               struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    return s->ops->contest_problems(s, contest_id, out, err);
}

/* ---- teams and participants -------------------------------------------------------------------------- */

int web_store_team_create(struct web_store *s, struct web_team *t, struct err *err)
{
    TRY(check_id(err, "contest id", t->contest_id));
    if (!t->name[0])
        return err_set(err, ERR_INVALID, "missing team name");
    TRY(CHECK_ARRAY(err, "team name", t->name));
    return s->ops->team_create(s, t, err);
}

int web_store_team_by_id(struct web_store *s, int64_t id, struct web_team *out, struct err *err)
{
    TRY(check_id(err, "team id", id));
    return s->ops->team_by_id(s, id, out, err);
}

int web_store_teams_of_contest(struct web_store *s, int64_t contest_id, struct web_team_list *out,
                               struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    return s->ops->teams_of_contest(s, contest_id, out, err);
}

int web_store_participant_put(struct web_store *s, const struct web_participant *p, struct err *err)
{
    TRY(check_id(err, "contest id", p->contest_id));
    TRY(check_id(err, "user id", p->user_id));
    TRY(check_enum(err, "contest role", (int)p->role, COUNT(contest_role_names)));
    TRY(check_opt_id(err, "team id", p->team_id));
    return s->ops->participant_put(s, p, err);
}

int web_store_participant_get(struct web_store *s, int64_t contest_id, int64_t user_id,
                              struct web_participant *out, struct err *err)
{
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->participant_get(s, contest_id, user_id, out, err);
}

int web_store_participant_remove(struct web_store *s, int64_t contest_id, int64_t user_id, struct err *err)
{
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->participant_remove(s, contest_id, user_id, err);
}

int web_store_participants(struct web_store *s, int64_t contest_id, int64_t team_id,
                           struct web_participant_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_opt_id(err, "team id", team_id));
    return s->ops->participants(s, contest_id, team_id, out, err);
}

/* ---- clarifications ------------------------------------------------------------------------------------ */

int web_store_clarification_create(struct web_store *s, struct web_clarification *c, struct err *err)
{
    TRY(check_id(err, "contest id", c->contest_id));
    TRY(check_opt_id(err, "problem id", c->problem_id));
    TRY(check_enum(err, "clarification kind", (int)c->kind, COUNT(clar_kind_names)));
    TRY(check_opt_id(err, "sender id", c->from_user_id));
    TRY(check_opt_id(err, "recipient id", c->to_user_id));
    TRY(check_opt_id(err, "team id", c->team_id));
    TRY(check_opt_id(err, "reply id", c->reply_to));
    TRY(check_text(err, "clarification text", c->text, WEB_TEXT_MAX, 1));
    if (c->kind == WEB_CLAR_QUESTION && !c->from_user_id)
        return err_set(err, ERR_INVALID, "a question needs a sender");
    if (c->kind == WEB_CLAR_ANNOUNCEMENT && (c->from_user_id || c->to_user_id))
        return err_set(err, ERR_INVALID, "an announcement comes from the jury to everyone");
    return s->ops->clarification_create(s, c, err);
}

int web_store_clarification_by_id(struct web_store *s, int64_t id, struct web_clarification *out,
                                  struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "clarification id", id));
    return s->ops->clarification_by_id(s, id, out, err);
}

int web_store_clarifications_for(struct web_store *s, int64_t contest_id, int64_t user_id, int64_t team_id,
                                 struct web_clarification_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_opt_id(err, "user id", user_id));
    TRY(check_opt_id(err, "team id", team_id));
    return s->ops->clarifications_for(s, contest_id, user_id, team_id, out, err);
}

/* ---- submissions ---------------------------------------------------------------------------------------- */

int web_store_submission_create(struct web_store *s, struct web_submission *sub, struct err *err)
{
    TRY(check_id(err, "user id", sub->user_id));
    TRY(check_opt_id(err, "team id", sub->team_id));
    TRY(check_opt_id(err, "contest id", sub->contest_id));
    TRY(check_opt_id(err, "assignment id", sub->assignment_id));    /* courses */
    TRY(check_id(err, "problem id", sub->problem_id));
    TRY(CHECK_ARRAY(err, "language", sub->language));
    TRY(check_name(err, "language", sub->language));
    TRY(CHECK_ARRAY(err, "file name", sub->filename));
    if (strchr(sub->filename, '/') || strcmp(sub->filename, ".") == 0 || strcmp(sub->filename, "..") == 0)
        return err_set(err, ERR_INVALID, "invalid file name '%s'", sub->filename);
    TRY(check_hash(err, "source hash", sub->source_hash, 0));
    TRY(check_nonneg(err, "source size", sub->source_size));
    TRY(check_nonneg(err, "submission time", sub->submitted_at));
    TRY(check_flag(err, "ignored", sub->ignored));
    sub->status = WEB_SUB_QUEUED;
    return s->ops->submission_create(s, sub, err);
}

int web_store_submission_by_id(struct web_store *s, int64_t id, struct web_submission *out, struct err *err)
{
    TRY(check_id(err, "submission id", id));
    return s->ops->submission_by_id(s, id, out, err);
}

static int filter_ok(const struct web_submission_filter *f, struct web_submission_filter *copy, struct err *err)
{
    *copy = *f;
    if (f->contest_id < -1)
        return err_set(err, ERR_INVALID, "invalid contest id");
    TRY(check_opt_id(err, "user id", f->user_id));
    TRY(check_opt_id(err, "team id", f->team_id));
    TRY(check_opt_id(err, "problem id", f->problem_id));
    if (f->status < -1 || f->status >= (int)COUNT(sub_status_names))
        return err_set(err, ERR_INVALID, "invalid status");
    TRY(check_opt_id(err, "paging id", f->before_id));
    copy->limit = page_limit(f->limit);
    return 0;
}

int web_store_submission_list(struct web_store *s, const struct web_submission_filter *f,
                              struct web_submission_list *out, struct err *err)
{
    struct web_submission_filter copy;
    memset(out, 0, sizeof(*out));
    TRY(filter_ok(f, &copy, err));
    return s->ops->submission_list(s, &copy, out, err);
}

int web_store_submission_count(struct web_store *s, const struct web_submission_filter *f, int64_t *count,
                               struct err *err)
{
    struct web_submission_filter copy;
    TRY(filter_ok(f, &copy, err));
    copy.before_id = 0;
    return s->ops->submission_count(s, &copy, count, err);
}

int web_store_submission_set_ignored(struct web_store *s, int64_t id, int ignored, struct err *err)
{
    TRY(check_id(err, "submission id", id));
    TRY(check_flag(err, "ignored", ignored));
    return s->ops->submission_set_ignored(s, id, ignored, err);
}

int web_store_contest_results(struct web_store *s, int64_t contest_id, struct web_contest_result_list *out,
                              struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    return s->ops->contest_results(s, contest_id, out, err);
}

int web_store_judging_by_id(struct web_store *s, int64_t id, struct web_judging *out, struct err *err)
{
    TRY(check_id(err, "judging id", id));
    return s->ops->judging_by_id(s, id, out, err);
}

int web_store_judgings_of_submission(struct web_store *s, int64_t submission_id, struct web_judging_list *out,
                                     struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "submission id", submission_id));
    return s->ops->judgings_of_submission(s, submission_id, out, err);
}

int web_store_judging_tests(struct web_store *s, int64_t judging_id, struct web_test_result_list *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "judging id", judging_id));
    return s->ops->judging_tests(s, judging_id, out, err);
}

/* ---- the judging queue ------------------------------------------------------------------------------------ */

static int lease_ok(int64_t lease_seconds, int64_t now, struct err *err)
{
    if (lease_seconds <= 0 || lease_seconds > WEB_LEASE_MAX)
        return err_set(err, ERR_INVALID, "lease must be between 1 and %d seconds", WEB_LEASE_MAX);
    return check_nonneg(err, "time", now);
}

int web_store_job_claim(struct web_store *s, int64_t judge_id, int64_t lease_seconds, int64_t now,
                        struct web_job *out, struct err *err)
{
    return web_store_job_claim_for(s, judge_id, NULL, lease_seconds, now, out, err);
}

/* "c,cpp": language names separated by single commas. */
static int check_language_list(struct err *err, const char *langs)
{
    if (strnlen(langs, WEB_LANGUAGES_MAX + 1) > WEB_LANGUAGES_MAX)
        return err_set(err, ERR_LIMIT, "language list is longer than %d bytes", WEB_LANGUAGES_MAX);
    char one[WEB_LANGUAGES_MAX + 1];
    const char *p = langs;
    for (;;) {
        size_t n = strcspn(p, ",");
        memcpy(one, p, n);
        one[n] = '\0';
        TRY(check_name(err, "language", one));
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

int web_store_job_claim_for(struct web_store *s, int64_t judge_id, const char *languages,
                            int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "judge host id", judge_id));
    TRY(lease_ok(lease_seconds, now, err));
    if (languages && *languages)
        TRY(check_language_list(err, languages));
    return s->ops->job_claim(s, judge_id, languages ? languages : "", lease_seconds, now, out, err);
}

int web_store_job_heartbeat(struct web_store *s, int64_t judge_id, int64_t judging_id, int64_t lease_seconds,
                            int64_t now, struct err *err)
{
    TRY(check_id(err, "judge host id", judge_id));
    TRY(check_id(err, "judging id", judging_id));
    TRY(lease_ok(lease_seconds, now, err));
    return s->ops->job_heartbeat(s, judge_id, judging_id, lease_seconds, now, err);
}

static int verdict_ok(const char *what, const char *v, struct err *err)
{
    if (!v || !*v)
        return err_set(err, ERR_INVALID, "missing %s", what);
    if (strnlen(v, WEB_VERDICT_MAX + 1) > WEB_VERDICT_MAX)
        return err_set(err, ERR_LIMIT, "%s is longer than %d bytes", what, WEB_VERDICT_MAX);
    for (const char *p = v; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return err_set(err, ERR_INVALID, "invalid %s '%s'", what, v);
    return 0;
}

int web_store_job_complete(struct web_store *s, int64_t judge_id, int64_t judging_id,
                           const struct web_judging_result *res, int64_t now, struct err *err)
{
    TRY(check_id(err, "judge host id", judge_id));
    TRY(check_id(err, "judging id", judging_id));
    TRY(check_nonneg(err, "time", now));
    TRY(verdict_ok("verdict", res->verdict, err));
    TRY(check_hash(err, "compile output hash", res->compile_output_hash, 1));
    TRY(check_nonneg(err, "memory", res->memory_bytes));
    if (!(res->time_seconds >= 0) || !(res->score >= -1e12 && res->score <= 1e12) ||
        !(res->max_score >= -1e12 && res->max_score <= 1e12))
        return err_set(err, ERR_INVALID, "invalid time or score");
    if (res->message)
        TRY(check_text(err, "judging message", res->message, WEB_MESSAGE_MAX, 1));
    /* compute budgets */
    if (!(res->cpu_seconds >= 0 && res->cpu_seconds <= WEB_COMPUTE_MAX) ||
        !(res->gpu_seconds >= 0 && res->gpu_seconds <= WEB_COMPUTE_MAX))
        return err_set(err, ERR_INVALID, "cpu and gpu seconds must be within 0 and %g", WEB_COMPUTE_MAX);
    if (res->ntests > WEB_TESTS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d test results", WEB_TESTS_MAX);
    if (res->ntests && !res->tests)
        return err_set(err, ERR_INVALID, "missing test results");
    for (size_t i = 0; i < res->ntests; i++) {
        const struct web_test_result *t = &res->tests[i];
        TRY(check_text(err, "test name", t->name, WEB_TITLE_MAX, 0));
        TRY(verdict_ok("test verdict", t->verdict, err));
        if (t->message)
            TRY(check_text(err, "test message", t->message, WEB_MESSAGE_MAX, 1));
        TRY(check_nonneg(err, "test memory", t->memory_bytes));
        if (!(t->time_seconds >= 0) || !(t->wall_seconds >= 0) || !(t->score >= -1e12 && t->score <= 1e12))
            return err_set(err, ERR_INVALID, "invalid time or score in test '%s'", t->name);
    }
    /* scoreboards: the per-group results */
    if (res->ngroups > WEB_GROUPS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d group results", WEB_GROUPS_MAX);
    if (res->ngroups && !res->groups)
        return err_set(err, ERR_INVALID, "missing group results");
    for (size_t i = 0; i < res->ngroups; i++) {
        const struct web_judging_group *g = &res->groups[i];
        TRY(check_text(err, "group name", g->name, WEB_TITLE_MAX, 0));
        if (!(g->score >= 0 && g->score <= 1e12) || !(g->max_score >= 0 && g->max_score <= 1e12))
            return err_set(err, ERR_INVALID, "invalid score in group '%s'", g->name);
    }
    return s->ops->job_complete(s, judge_id, judging_id, res, now, err);
}

int web_store_job_expire(struct web_store *s, int64_t now, int64_t *expired, struct err *err)
{
    int64_t n = 0;
    TRY(check_nonneg(err, "time", now));
    int rc = s->ops->job_expire(s, now, &n, err);
    if (expired)
        *expired = n;
    return rc;
}

int web_store_rejudge(struct web_store *s, int64_t submission_id, struct err *err)
{
    TRY(check_id(err, "submission id", submission_id));
    return s->ops->rejudge(s, submission_id, err);
}

/* ---- rejudgings (the jury) -------------------------------------------------------------------------------- */

PLAIN_LIST_RELEASE(web_rejudging_entry)

static int rejudge_filter_ok(const struct web_rejudge_filter *f, struct err *err)
{
    TRY(check_opt_id(err, "submission id", f->submission_id));
    TRY(check_opt_id(err, "problem id", f->problem_id));
    TRY(check_opt_id(err, "contest id", f->contest_id));
    TRY(check_opt_id(err, "jury user id", f->jury_user_id));
    if (!f->submission_id && !f->problem_id && !f->contest_id)
        return err_set(err, ERR_INVALID, "a rejudging needs a submission, a problem or a contest");
    if (f->verdict[0])
        TRY(verdict_ok("verdict", f->verdict, err));
    return 0;
}

int web_store_rejudge_preview(struct web_store *s, const struct web_rejudge_filter *f,
                              struct web_rejudging_entry_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(rejudge_filter_ok(f, err));
    return s->ops->rejudge_preview(s, f, out, err);
}

int web_store_rejudging_create(struct web_store *s, struct web_rejudging *rj, int64_t *count, struct err *err)
{
    int64_t got = 0;
    TRY(rejudge_filter_ok(&rj->filter, err));
    TRY(check_opt_id(err, "creator id", rj->created_by));
    TRY(check_nonneg(err, "creation time", rj->created_at));
    int rc = s->ops->rejudging_create(s, rj, &got, err);
    if (rc == 0 && count)
        *count = got;
    return rc;
}

int web_store_rejudging_by_id(struct web_store *s, int64_t id, struct web_rejudging *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "rejudging id", id));
    return s->ops->rejudging_by_id(s, id, out, err);
}

int web_store_rejudging_entries(struct web_store *s, int64_t rejudging_id, struct web_rejudging_entry_list *out,
                                struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "rejudging id", rejudging_id));
    return s->ops->rejudging_entries(s, rejudging_id, out, err);
}

/* ---- blobs ----------------------------------------------------------------------------------------------------
 * How this works: the blob's final path is decided by its hash, so a blob
 * is immutable once in place. Writers never write the final path: they
 * write a private temporary file (mkstemp) in the blobs folder, fsync it,
 * rename() it over the final name (atomic on one filesystem) and fsync the
 * folder so the rename survives a crash. Two writers of the same blob both
 * rename identical content. Readers hash what they read, so a disk that
 * flipped a bit is noticed rather than sent to a judge.
 */

static int local_path(struct web_store *s, const char *hex, char *out, size_t size, struct err *err)
{
    if (!web_hash_valid(hex))
        return err_set(err, ERR_INVALID, "'%.*s' is not a blob hash", WEB_HASH_HEX, hex ? hex : "");
    if (str_fmt(out, size, "%s/blobs/%.2s/%s", s->data_dir, hex, hex + 2) < 0)
        return err_set(err, ERR_LIMIT, "blob path is too long");
    return 0;
}

static int local_put(struct web_store *s, const char *hex, const void *data, size_t len, struct err *err);

/* A blob missing here that the database keeps (PostgreSQL: another server
 * stored it) is fetched into this server's folder the first time it is
 * wanted; on SQLite the engine has none to give. */
static int blob_fetch(struct web_store *s, const char *hex, const char *path, struct err *err)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return 0;
    struct buf b;
    buf_init(&b, SIZE_MAX);
    int rc = s->ops->blob_load(s, hex, &b, err);
    if (rc == 0)
        rc = local_put(s, hex, b.buf, b.len, err);
    buf_release(&b);
    return rc == ERR_NOTFOUND ? 0 : rc;     /* then the caller finds no file */
}

int web_blob_path(struct web_store *s, const char *hex, char *out, size_t size, struct err *err)
{
    TRY(local_path(s, hex, out, size, err));
    return blob_fetch(s, hex, out, err);
}

static int fsync_dir(const char *dir, struct err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_sys(err, "cannot open '%s'", dir);
    int rc = fsync(fd) < 0 ? err_sys(err, "cannot sync '%s'", dir) : 0;
    close(fd);
    return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A new temporary file in data_dir/blobs; path gets its name. */
static int temp_open(struct web_store *s, char *path, size_t size, struct err *err)
{
    if (str_fmt(path, size, "%s/blobs/.tmp-XXXXXX", s->data_dir) < 0)
        return err_set(err, ERR_LIMIT, "blob path is too long");
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return store_fault(err_sys(err, "cannot create '%s'", path), err);
    if (fchmod(fd, 0640) < 0) {
        int rc = err_sys(err, "cannot chmod '%s'", path);
        close(fd);
        unlink(path);
        return rc;
    }
    return fd;
}

/* Syncs and closes fd, and renames the temporary file to the blob's name. */
static int temp_commit(struct web_store *s, int fd, const char *tmp, const char *hex, struct err *err)
{
    char dir[PATH_MAX], final[PATH_MAX];
    int rc = 0;
    if (fsync(fd) < 0)
        rc = store_fault(err_sys(err, "cannot sync '%s'", tmp), err);
    if (close(fd) < 0 && rc == 0)
        rc = store_fault(err_sys(err, "cannot close '%s'", tmp), err);
    if (rc < 0)
        goto out;
    if (str_fmt(dir, sizeof(dir), "%s/blobs/%.2s", s->data_dir, hex) < 0 ||
        local_path(s, hex, final, sizeof(final), err) < 0) {
        rc = err_set(err, ERR_LIMIT, "blob path is too long");
        goto out;
    }
    if ((rc = mkdir_p1(dir, err)) < 0)
        goto out;
    if (rename(tmp, final) < 0) {
        rc = store_fault(err_sys(err, "cannot rename '%s' to '%s'", tmp, final), err);
        goto out;
    }
    rc = fsync_dir(dir, err);
out:
    if (rc < 0)
        unlink(tmp);
    return rc;
}

static void hash_final_hex(crypto_generichash_state *h, char hex[WEB_HASH_HEX + 1])
{
    unsigned char bin[32];
    crypto_generichash_final(h, bin, sizeof(bin));
    sodium_bin2hex(hex, WEB_HASH_HEX + 1, bin, sizeof(bin));
}

int web_blob_put(struct web_store *s, const void *data, size_t len, char hex[WEB_HASH_HEX + 1], struct err *err)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, data, len);
    hash_final_hex(&h, hex);
    TRY(s->ops->blob_save(s, hex, data, len, err));
    return local_put(s, hex, data, len, err);
}

/* Writes a blob whose hash is hex into data_dir/blobs. */
static int local_put(struct web_store *s, const char *hex, const void *data, size_t len, struct err *err)
{
    char final[PATH_MAX], tmp[PATH_MAX];
    struct stat st;
    TRY(local_path(s, hex, final, sizeof(final), err));
    /* Already stored: a blob with the same name has the same content, unless
     * the disk damaged it, which a size mismatch often shows; rewrite then. */
    if (stat(final, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == (uint64_t)len)
        return 0;
    int fd = temp_open(s, tmp, sizeof(tmp), err);
    if (fd < 0)
        return fd;
    if (write_all(fd, data, len) < 0) {
        int rc = store_fault(err_sys(err, "cannot write '%s'", tmp), err);
        close(fd);
        unlink(tmp);
        return rc;
    }
    return temp_commit(s, fd, tmp, hex, err);
}

int web_blob_put_fd(struct web_store *s, int in, uint64_t max_bytes, char hex[WEB_HASH_HEX + 1], struct err *err)
{
    char tmp[PATH_MAX];
    char chunk[65536];
    uint64_t total = 0;
    crypto_generichash_state h;
    int rc = 0;
    int fd = temp_open(s, tmp, sizeof(tmp), err);
    if (fd < 0)
        return fd;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (;;) {
        ssize_t n = read(in, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = err_sys(err, "cannot read the blob's input");
            goto fail;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (total > max_bytes) {
            rc = err_set(err, ERR_LIMIT, "blob is larger than %llu bytes", (unsigned long long)max_bytes);
            goto fail;
        }
        crypto_generichash_update(&h, (const unsigned char *)chunk, (unsigned long long)n);
        if (write_all(fd, chunk, (size_t)n) < 0) {
            rc = store_fault(err_sys(err, "cannot write '%s'", tmp), err);
            goto fail;
        }
    }
    hash_final_hex(&h, hex);
    TRY(temp_commit(s, fd, tmp, hex, err));
    if (strcmp(s->engine, "postgresql") != 0)
        return 0;
    /* PostgreSQL: the database keeps it too, for the other servers */
    char path[PATH_MAX];
    struct buf b;
    buf_init(&b, SIZE_MAX);
    rc = local_path(s, hex, path, sizeof(path), err);
    int in2 = rc < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    if (rc == 0 && in2 < 0)
        rc = err_sys(err, "cannot open '%s'", path);
    if (rc == 0)
        rc = buf_read_fd(&b, in2, err);
    if (in2 >= 0)
        close(in2);
    if (rc == 0)
        rc = s->ops->blob_save(s, hex, b.buf, b.len, err);
    buf_release(&b);
    return rc;
fail:
    close(fd);
    unlink(tmp);
    return rc;
}

int web_blob_get(struct web_store *s, const char *hex, struct buf *out, struct err *err)
{
    char path[PATH_MAX], got[WEB_HASH_HEX + 1];
    size_t start = out->len;
    crypto_generichash_state h;
    struct stat st;
    int rc;
    TRY(web_blob_path(s, hex, path, sizeof(path), err));       /* fetched from PostgreSQL if need be */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return err_set(err, ERR_NOTFOUND, "no blob '%s'", hex);
        return err_sys(err, "cannot open '%s'", path);
    }
    if (fstat(fd, &st) < 0) {
        rc = err_sys(err, "cannot stat '%s'", path);
        goto out;
    }
    if ((uint64_t)st.st_size > out->cap_limit - out->len) {
        rc = err_set(err, ERR_LIMIT, "blob '%s' is larger than %zu bytes", hex, out->cap_limit - out->len);
        goto out;
    }
    if ((rc = buf_read_fd(out, fd, err)) < 0)
        goto out;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, (const unsigned char *)out->buf + start, out->len - start);
    hash_final_hex(&h, got);
    if (strcmp(got, hex) != 0)
        rc = err_set(err, WEB_STORE_CORRUPT, "blob '%s' is damaged: its content hashes to '%s'", hex, got);
out:
    close(fd);
    if (rc < 0 && out->len > start) {
        out->len = start;
        out->buf[start] = '\0';
    }
    return rc;
}

/* ---- ops: metrics and backups ------------------------------------------------------------------------------------ */

int web_blob_hash_fd(int fd, char hex[WEB_HASH_HEX + 1], struct err *err)
{
    char chunk[65536];
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return err_sys(err, "cannot read a blob");
        }
        if (n == 0)
            break;
        crypto_generichash_update(&h, (const unsigned char *)chunk, (unsigned long long)n);
    }
    hash_final_hex(&h, hex);
    return 0;
}

int web_store_ops_stats(struct web_store *s, struct web_ops_stats *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->ops_stats(s, out, err);
}

int web_store_backup(struct web_store *s, const char *dest_path, struct err *err)
{
    struct stat st;
    if (!dest_path || !*dest_path)
        return err_set(err, ERR_INVALID, "missing backup path");
    if (lstat(dest_path, &st) == 0)
        return err_set(err, WEB_STORE_CONFLICT, "'%s' exists", dest_path);
    return s->ops->backup(s, dest_path, err);
}

/* ---- scoreboards, the event log and judging groups ------------------------------------------------------------ */

int web_store_events(struct web_store *s, int64_t contest_id, int64_t after_id, size_t limit,
                     struct web_event_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_nonneg(err, "event id", after_id));
    if (limit == 0 || limit > WEB_LIST_MAX)
        limit = WEB_LIST_MAX;
    return s->ops->events(s, contest_id, after_id, limit, out, err);
}

int web_store_event_last(struct web_store *s, int64_t contest_id, int64_t *id, struct err *err)
{
    *id = 0;
    TRY(check_opt_id(err, "contest id", contest_id));
    return s->ops->event_last(s, contest_id, id, err);
}

int web_store_contest_result(struct web_store *s, int64_t submission_id, struct web_contest_result *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "submission id", submission_id));
    return s->ops->contest_result(s, submission_id, out, err);
}

int web_store_contest_groups(struct web_store *s, int64_t contest_id, int64_t submission_id,
                             struct web_judging_group_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_opt_id(err, "submission id", submission_id));
    return s->ops->contest_groups(s, contest_id, submission_id, out, err);
}

int web_store_problem_groups(struct web_store *s, int64_t problem_id, struct web_judging_group_list *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->problem_groups(s, problem_id, out, err);
}

int web_store_judging_groups(struct web_store *s, int64_t judging_id, struct web_judging_group_list *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "judging id", judging_id));
    return s->ops->judging_groups(s, judging_id, out, err);
}

int web_store_contest_judgings(struct web_store *s, int64_t contest_id, struct web_judging_list *out,
                               struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    return s->ops->contest_judgings(s, contest_id, out, err);
}

/* ---- problem tags and archive search ---------------------------------------------------------------------------- */

PLAIN_LIST_RELEASE(web_tag_count)

int web_problem_tag_valid(const char *tag)
{
    size_t n = tag ? strnlen(tag, WEB_TAG_MAX + 1) : 0;
    if (n == 0 || n > WEB_TAG_MAX || tag[0] == ' ' || tag[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((tag[i] >= 'a' && tag[i] <= 'z') || (tag[i] >= '0' && tag[i] <= '9') || tag[i] == '-' ||
              tag[i] == '+' || tag[i] == ' '))
            return 0;
    return 1;
}

int web_problem_tag_add(struct web_problem *p, const char *tag, struct err *err)
{
    if (!web_problem_tag_valid(tag))
        return err_set(err, ERR_INVALID, "a tag must be 1 to %d of a-z, 0-9, '-', '+' and inner spaces",
                       WEB_TAG_MAX);
    size_t i = 0;
    while (i < p->ntags && strcmp(p->tags[i], tag) < 0)
        i++;
    if (i < p->ntags && !strcmp(p->tags[i], tag))
        return 0;
    if (p->ntags >= WEB_TAGS_MAX)
        return err_set(err, ERR_LIMIT, "a problem has at most %d tags", WEB_TAGS_MAX);
    memmove(p->tags[i + 1], p->tags[i], (p->ntags - i) * sizeof(p->tags[0]));
    memcpy(p->tags[i], tag, strlen(tag) + 1);
    p->ntags++;
    return 0;
}

static int problem_tags_ok(const struct web_problem *p, struct err *err)
{
    if (p->difficulty < 0 || p->difficulty > WEB_DIFFICULTY_MAX)
        return err_set(err, ERR_INVALID, "difficulty must be 1 to %d, or 0 for none", WEB_DIFFICULTY_MAX);
    if (p->ntags > WEB_TAGS_MAX)
        return err_set(err, ERR_LIMIT, "a problem has at most %d tags", WEB_TAGS_MAX);
    for (size_t i = 0; i < p->ntags; i++) {
        if (!memchr(p->tags[i], '\0', sizeof(p->tags[i])) || !web_problem_tag_valid(p->tags[i]))
            return err_set(err, ERR_INVALID, "tag %zu is malformed", i + 1);
        if (i > 0 && strcmp(p->tags[i - 1], p->tags[i]) >= 0)
            return err_set(err, ERR_INVALID, "tags must be sorted and unique");
    }
    return 0;
}

int web_store_problem_search(struct web_store *s, const struct web_problem_filter *f,
                             struct web_problem_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct web_problem_filter g = *f;
    TRY(check_nonneg(err, "problem id", g.after_id));
    TRY(CHECK_ARRAY(err, "search text", g.q));
    if (g.tag[0] && !web_problem_tag_valid(g.tag))
        return err_set(err, ERR_INVALID, "malformed tag");
    if (g.difficulty_min < 0 || g.difficulty_min > WEB_DIFFICULTY_MAX || g.difficulty_max < 0 ||
        g.difficulty_max > WEB_DIFFICULTY_MAX)
        return err_set(err, ERR_INVALID, "difficulties are 1 to %d", WEB_DIFFICULTY_MAX);
    g.published_only = g.published_only != 0;
    g.limit = page_limit(g.limit);
    return s->ops->problem_search(s, &g, out, err);
}

int web_store_problem_tag_counts(struct web_store *s, int published_only, struct web_tag_count_list *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->problem_tag_counts(s, published_only != 0, out, err);
}

/* ---- live judging progress ------------------------------------------------------------------------ */

int web_store_job_progress(struct web_store *s, int64_t judge_id, int64_t judging_id,
                           const struct web_test_result *tests, size_t n, int64_t lease_seconds, int64_t now,
                           struct err *err)
{
    TRY(check_id(err, "judge host id", judge_id));
    TRY(check_id(err, "judging id", judging_id));
    TRY(lease_ok(lease_seconds, now, err));
    if (n > WEB_TESTS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d test results", WEB_TESTS_MAX);
    if (n && !tests)
        return err_set(err, ERR_INVALID, "missing test results");
    for (size_t i = 0; i < n; i++) {
        const struct web_test_result *t = &tests[i];
        if (t->ordinal < 0 || t->ordinal >= WEB_TESTS_MAX)
            return err_set(err, ERR_LIMIT, "test ordinal %lld is not below %d", (long long)t->ordinal,
                           WEB_TESTS_MAX);
        TRY(check_text(err, "test name", t->name, WEB_TITLE_MAX, 0));
        TRY(verdict_ok("test verdict", t->verdict, err));
        if (t->message)
            TRY(check_text(err, "test message", t->message, WEB_MESSAGE_MAX, 1));
        TRY(check_nonneg(err, "test memory", t->memory_bytes));
        if (!(t->time_seconds >= 0) || !(t->wall_seconds >= 0) || !(t->score >= -1e12 && t->score <= 1e12))
            return err_set(err, ERR_INVALID, "invalid time or score in test '%s'", t->name);
    }
    return s->ops->job_progress(s, judge_id, judging_id, tests, n, lease_seconds, now, err);
}

/* ---- compute budgets and scheduling ---------------------------------------------------------------- */

static const char *const quota_scope_names[] = { "user", "team" };
ENUM_FUNCS(quota_scope, web_quota_scope, quota_scope_names)

void web_usage_list_release(struct web_usage_list *l)
{
    if (!l)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int compute_ok(struct err *err, const char *what, double v)
{
    if (!(v >= 0 && v <= WEB_COMPUTE_MAX))
        return err_set(err, ERR_INVALID, "%s must be within 0 and %g", what, WEB_COMPUTE_MAX);
    return 0;
}

int web_store_job_claim_caps(struct web_store *s, int64_t judge_id, const struct web_claim_caps *caps,
                             int64_t lease_seconds, int64_t now, struct web_job *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "judge host id", judge_id));
    TRY(lease_ok(lease_seconds, now, err));
    struct web_claim_caps c = *caps;
    if (!c.languages)
        c.languages = "";
    if (*c.languages)
        TRY(check_language_list(err, c.languages));
    TRY(check_nonneg(err, "gpus", c.gpus));
    TRY(check_nonneg(err, "memory", c.memory_bytes));
    TRY(check_nonneg(err, "jobs per user", c.max_jobs_per_user));
    return s->ops->job_claim_caps(s, judge_id, &c, lease_seconds, now, out, err);
}

int web_store_problem_gpus_set(struct web_store *s, int64_t problem_id, int64_t gpus, struct err *err)
{
    TRY(check_id(err, "problem id", problem_id));
    if (gpus < 0 || gpus > WEB_GPUS_MAX)
        return err_set(err, ERR_INVALID, "gpus must be from 0 to %d", WEB_GPUS_MAX);
    return s->ops->problem_gpus_set(s, problem_id, gpus, err);
}

int web_store_problem_gpus_get(struct web_store *s, int64_t problem_id, int64_t *gpus, struct err *err)
{
    *gpus = 0;
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->problem_gpus_get(s, problem_id, gpus, err);
}

int web_store_quota_get(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, struct web_quota *out,
                        struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_enum(err, "quota scope", (int)scope, COUNT(quota_scope_names)));
    return s->ops->quota_get(s, contest_id, scope, out, err);
}

int web_store_quota_put(struct web_store *s, const struct web_quota *q, struct err *err)
{
    TRY(check_id(err, "contest id", q->contest_id));
    TRY(check_enum(err, "quota scope", (int)q->scope, COUNT(quota_scope_names)));
    TRY(compute_ok(err, "cpu_seconds_per_day", q->cpu_seconds_per_day));
    TRY(compute_ok(err, "cpu_seconds_total", q->cpu_seconds_total));
    TRY(compute_ok(err, "gpu_seconds_per_day", q->gpu_seconds_per_day));
    TRY(compute_ok(err, "gpu_seconds_total", q->gpu_seconds_total));
    TRY(check_nonneg(err, "time", q->updated_at));
    return s->ops->quota_put(s, q, err);
}

int web_store_usage(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, int64_t id,
                    int64_t day_start, struct web_usage_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_enum(err, "quota scope", (int)scope, COUNT(quota_scope_names)));
    TRY(check_opt_id(err, "user or team id", id));
    TRY(check_nonneg(err, "time", day_start));
    return s->ops->usage(s, contest_id, scope, id, day_start, out, err);
}

/* ---- AI leaderboards ----------------------------------------------------------------------------------- */

PLAIN_LIST_RELEASE(web_ai_entry)

static int score_ok(struct err *err, double v)
{
    return v >= -1e300 && v <= 1e300 ? 0 : err_set(err, ERR_INVALID, "a score must be a finite number");
}

int web_store_judging_ai_set(struct web_store *s, int64_t judging_id, double public_score, double private_score,
                             struct err *err)
{
    TRY(check_id(err, "judging id", judging_id));
    TRY(score_ok(err, public_score));
    TRY(score_ok(err, private_score));
    return s->ops->judging_ai_set(s, judging_id, public_score, private_score, err);
}

int web_store_ai_problem_get(struct web_store *s, int64_t problem_id, struct web_ai_problem *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->ai_problem_get(s, problem_id, out, err);
}

int web_store_ai_problem_put(struct web_store *s, const struct web_ai_problem *p, struct err *err)
{
    TRY(check_id(err, "problem id", p->problem_id));
    TRY(check_flag(err, "maximize", p->maximize));
    if (p->precision < 0 || p->precision > WEB_AI_PRECISION_MAX)
        return err_set(err, ERR_INVALID, "precision must be between 0 and %d", WEB_AI_PRECISION_MAX);
    return s->ops->ai_problem_put(s, p, err);
}

int web_store_ai_entries(struct web_store *s, int64_t contest_id, struct web_ai_entry_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "contest id", contest_id));
    return s->ops->ai_entries(s, contest_id, out, err);
}

int web_store_ai_final_set(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id,
                           const int64_t *submission_ids, size_t n, struct err *err)
{
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_opt_id(err, "team id", team_id));
    TRY(check_id(err, "user id", user_id));
    if (n > WEB_AI_FINAL_MAX)
        return err_set(err, ERR_LIMIT, "more than %d final submissions", WEB_AI_FINAL_MAX);
    for (size_t i = 0; i < n; i++)
        TRY(check_id(err, "submission id", submission_ids[i]));
    return s->ops->ai_final_set(s, contest_id, team_id, user_id, submission_ids, n, err);
}

int web_store_ai_baseline_set(struct web_store *s, int64_t submission_id, int baseline, struct err *err)
{
    TRY(check_id(err, "submission id", submission_id));
    TRY(check_flag(err, "baseline", baseline));
    return s->ops->ai_baseline_set(s, submission_id, baseline, err);
}

int web_store_ai_daily_count(struct web_store *s, int64_t contest_id, int64_t team_id, int64_t user_id, int64_t from,
                             int64_t to, int64_t *count, struct err *err)
{
    *count = 0;
    TRY(check_id(err, "contest id", contest_id));
    TRY(check_opt_id(err, "team id", team_id));
    TRY(check_id(err, "user id", user_id));
    if (from > to)
        return err_set(err, ERR_INVALID, "the period ends before it starts");
    return s->ops->ai_daily_count(s, contest_id, team_id, user_id, from, to, count, err);
}

/* ---- AI problem files ------------------------------------------------------------------------------------ */

PLAIN_LIST_RELEASE(web_problem_file)

int web_store_problem_files_put(struct web_store *s, int64_t problem_id, const struct web_problem_file *files,
                                size_t n, struct err *err)
{
    TRY(check_id(err, "problem id", problem_id));
    if (n > WEB_PROBLEM_FILES_MAX)
        return err_set(err, ERR_LIMIT, "more than %d files", WEB_PROBLEM_FILES_MAX);
    for (size_t i = 0; i < n; i++) {
        TRY(check_name(err, "file name", files[i].name));
        TRY(check_hash(err, "file hash", files[i].hash, 0));
        TRY(check_nonneg(err, "file size", files[i].size));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(files[i].name, files[j].name))
                return err_set(err, ERR_INVALID, "file '%s' given twice", files[i].name);
    }
    return s->ops->problem_files_put(s, problem_id, files, n, err);
}

int web_store_problem_files(struct web_store *s, int64_t problem_id, struct web_problem_file_list *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->problem_files(s, problem_id, out, err);
}

int web_store_ai_metric_set(struct web_store *s, int64_t problem_id, const char *metric, struct err *err)
{
    TRY(check_id(err, "problem id", problem_id));
    if (!metric || strlen(metric) > WEB_AI_METRIC_MAX)
        return err_set(err, ERR_LIMIT, "a metric name is at most %d bytes", WEB_AI_METRIC_MAX);
    return s->ops->ai_metric_set(s, problem_id, metric, err);
}

int web_store_ai_metric_get(struct web_store *s, int64_t problem_id, char out[WEB_AI_METRIC_MAX + 1],
                            struct err *err)
{
    out[0] = '\0';
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->ai_metric_get(s, problem_id, out, err);
}

/* ---- talent: profiles, views, ratings ---------------------------------------------------------------------- */

static const char *const profile_view_kind_names[] = { "view", "export" };

const char *web_profile_view_kind_name(enum web_profile_view_kind v)
{
    return (size_t)v < COUNT(profile_view_kind_names) ? profile_view_kind_names[v] : "view";
}

PLAIN_LIST_RELEASE(web_profile)
PLAIN_LIST_RELEASE(web_profile_view)
PLAIN_LIST_RELEASE(web_rated_contest)
PLAIN_LIST_RELEASE(web_rating_change)
PLAIN_LIST_RELEASE(web_user_problem)

int web_store_profile_get(struct web_store *s, int64_t user_id, struct web_profile *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "user id", user_id));
    return s->ops->profile_get(s, user_id, out, err);
}

int web_store_profile_put(struct web_store *s, const struct web_profile *p, struct err *err)
{
    TRY(check_id(err, "user id", p->user_id));
    TRY(check_flag(err, "public", p->is_public));
    TRY(CHECK_ARRAY(err, "school", p->school));
    TRY(CHECK_ARRAY(err, "region", p->region));
    TRY(check_text(err, "bio", p->bio, WEB_PROFILE_BIO_MAX, 1));
    TRY(check_nonneg(err, "update time", p->updated_at));
    return s->ops->profile_put(s, p, err);
}

int web_store_profiles_public(struct web_store *s, struct web_profile_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->profiles_public(s, out, err);
}

int web_store_profile_view_add(struct web_store *s, int64_t user_id, int64_t viewer_id,
                               enum web_profile_view_kind kind, int64_t at, int64_t since, struct err *err)
{
    TRY(check_id(err, "user id", user_id));
    TRY(check_opt_id(err, "viewer id", viewer_id));
    TRY(check_enum(err, "view kind", (int)kind, COUNT(profile_view_kind_names)));
    TRY(check_nonneg(err, "view time", at));
    return s->ops->profile_view_add(s, user_id, viewer_id, kind, at, since, err);
}

int web_store_profile_views(struct web_store *s, int64_t user_id, size_t limit, struct web_profile_view_list *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "user id", user_id));
    if (limit == 0 || limit > WEB_PROFILE_VIEWS_MAX)
        limit = WEB_PROFILE_VIEWS_MAX;
    return s->ops->profile_views(s, user_id, limit, out, err);
}

int web_store_rated_contests(struct web_store *s, int64_t now, struct web_rated_contest_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    return s->ops->rated_contests(s, now, out, err);
}

int web_store_rating_key_get(struct web_store *s, char out[WEB_HASH_HEX + 1], struct err *err)
{
    out[0] = '\0';
    return s->ops->rating_key_get(s, out, err);
}

int web_store_rating_store(struct web_store *s, const char *key, const struct web_rating_change *v, size_t n,
                           struct err *err)
{
    TRY(check_hash(err, "rating key", key, 0));
    if (n > WEB_RESULTS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d rating changes", WEB_RESULTS_MAX);
    for (size_t i = 0; i < n; i++) {
        TRY(check_id(err, "contest id", v[i].contest_id));
        TRY(check_id(err, "user id", v[i].user_id));
        TRY(check_id(err, "rank", v[i].rank));
    }
    return s->ops->rating_store(s, key, v, n, err);
}

int web_store_rating_changes(struct web_store *s, int64_t user_id, struct web_rating_change_list *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_opt_id(err, "user id", user_id));
    return s->ops->rating_changes(s, user_id, out, err);
}

int web_store_user_problems(struct web_store *s, int64_t user_id, int64_t now, struct web_user_problem_list *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "user id", user_id));
    return s->ops->user_problems(s, user_id, now, out, err);
}

/* ---- courses ------------------------------------------------------------------------------------------- */

static const char *const course_role_names[] = { "teacher", "ta", "student" };
static const char *const late_rule_names[] = { "none", "percent_per_day", "coefficient_per_hour" };
static const char *const counting_names[] = { "best", "last" };
static const char *const feedback_names[] = { "all", "samples", "after_due" };

ENUM_FUNCS(course_role, web_course_role, course_role_names)
ENUM_FUNCS(late_rule, web_late_rule, late_rule_names)
ENUM_FUNCS(counting, web_counting, counting_names)
ENUM_FUNCS(feedback, web_feedback, feedback_names)

void web_lesson_release(struct web_lesson *l)
{
    if (l) {
        free(l->markdown);
        l->markdown = NULL;
    }
}

static void assignment_problem_release(struct web_assignment_problem *p)
{
    free(p->template_text);
    p->template_text = NULL;
}

PLAIN_LIST_RELEASE(web_course)
PLAIN_LIST_RELEASE(web_course_member)
PLAIN_LIST_RELEASE(web_course_unit)
OWNING_LIST_RELEASE(web_lesson, web_lesson_release)
PLAIN_LIST_RELEASE(web_assignment)
OWNING_LIST_RELEASE(web_assignment_problem, assignment_problem_release)
PLAIN_LIST_RELEASE(web_extension)

static int join_code_ok(const char *code)
{
    size_t n = code ? strnlen(code, WEB_JOIN_CODE_MAX + 1) : 0;
    if (n < WEB_JOIN_CODE_MIN || n > WEB_JOIN_CODE_MAX)
        return 0;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return 0;
    return 1;
}

static int course_ok(const struct web_course *c, struct err *err)
{
    TRY(CHECK_ARRAY(err, "course title", c->title));
    if (!c->title[0])
        return err_set(err, ERR_INVALID, "missing course title");
    TRY(check_text(err, "course description", c->description, WEB_COURSE_DESCRIPTION_MAX, 1));
    if (!join_code_ok(c->join_code))
        return err_set(err, ERR_INVALID, "a join code is %d to %d of [A-Za-z0-9_-]", WEB_JOIN_CODE_MIN,
                       WEB_JOIN_CODE_MAX);
    return 0;
}

int web_store_course_create(struct web_store *s, struct web_course *c, struct err *err)
{
    TRY(course_ok(c, err));
    TRY(check_opt_id(err, "user id", c->created_by));
    TRY(check_nonneg(err, "creation time", c->created_at));
    return s->ops->course_create(s, c, err);
}

int web_store_course_by_id(struct web_store *s, int64_t id, struct web_course *out, struct err *err)
{
    TRY(check_id(err, "course id", id));
    return s->ops->course_by_id(s, id, out, err);
}

int web_store_course_by_code(struct web_store *s, const char *code, struct web_course *out, struct err *err)
{
    if (!join_code_ok(code))
        return err_set(err, ERR_NOTFOUND, "no such course");
    return s->ops->course_by_code(s, code, out, err);
}

int web_store_course_update(struct web_store *s, const struct web_course *c, struct err *err)
{
    TRY(check_id(err, "course id", c->id));
    TRY(course_ok(c, err));
    return s->ops->course_update(s, c, err);
}

int web_store_courses_of_user(struct web_store *s, int64_t user_id, struct web_course_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_opt_id(err, "user id", user_id));
    return s->ops->courses_of_user(s, user_id, out, err);
}

int web_store_course_member_put(struct web_store *s, const struct web_course_member *m, struct err *err)
{
    TRY(check_id(err, "course id", m->course_id));
    TRY(check_id(err, "user id", m->user_id));
    TRY(check_enum(err, "course role", (int)m->role, COUNT(course_role_names)));
    TRY(CHECK_ARRAY(err, "student number", m->student_number));
    TRY(CHECK_ARRAY(err, "class", m->class_name));
    return s->ops->course_member_put(s, m, err);
}

int web_store_course_member_get(struct web_store *s, int64_t course_id, int64_t user_id,
                                struct web_course_member *out, struct err *err)
{
    TRY(check_id(err, "course id", course_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->course_member_get(s, course_id, user_id, out, err);
}

int web_store_course_member_remove(struct web_store *s, int64_t course_id, int64_t user_id, struct err *err)
{
    TRY(check_id(err, "course id", course_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->course_member_remove(s, course_id, user_id, err);
}

int web_store_course_members(struct web_store *s, int64_t course_id, struct web_course_member_list *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "course id", course_id));
    return s->ops->course_members(s, course_id, out, err);
}

int web_store_course_unit_create(struct web_store *s, struct web_course_unit *u, struct err *err)
{
    TRY(check_id(err, "course id", u->course_id));
    TRY(CHECK_ARRAY(err, "unit title", u->title));
    if (!u->title[0])
        return err_set(err, ERR_INVALID, "missing unit title");
    return s->ops->course_unit_create(s, u, err);
}

int web_store_course_units(struct web_store *s, int64_t course_id, struct web_course_unit_list *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "course id", course_id));
    return s->ops->course_units(s, course_id, out, err);
}

static int lesson_ok(const struct web_lesson *l, struct err *err)
{
    TRY(check_id(err, "course id", l->course_id));
    TRY(check_id(err, "unit id", l->unit_id));
    TRY(CHECK_ARRAY(err, "lesson title", l->title));
    if (!l->title[0])
        return err_set(err, ERR_INVALID, "missing lesson title");
    return check_text(err, "lesson markdown", l->markdown, WEB_LESSON_MARKDOWN_MAX, 1);
}

int web_store_lesson_create(struct web_store *s, struct web_lesson *l, struct err *err)
{
    TRY(lesson_ok(l, err));
    TRY(check_nonneg(err, "creation time", l->created_at));
    return s->ops->lesson_create(s, l, err);
}

int web_store_lesson_by_id(struct web_store *s, int64_t id, struct web_lesson *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "lesson id", id));
    return s->ops->lesson_by_id(s, id, out, err);
}

int web_store_lesson_update(struct web_store *s, const struct web_lesson *l, struct err *err)
{
    TRY(check_id(err, "lesson id", l->id));
    TRY(lesson_ok(l, err));
    return s->ops->lesson_update(s, l, err);
}

int web_store_lesson_delete(struct web_store *s, int64_t id, struct err *err)
{
    TRY(check_id(err, "lesson id", id));
    return s->ops->lesson_delete(s, id, err);
}

int web_store_lessons_of_course(struct web_store *s, int64_t course_id, struct web_lesson_list *out,
                                struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "course id", course_id));
    return s->ops->lessons_of_course(s, course_id, out, err);
}

static int assignment_ok(const struct web_assignment *a, const struct web_assignment_problem *p, size_t n,
                         int with_problems, struct err *err)
{
    TRY(check_id(err, "course id", a->course_id));
    TRY(check_opt_id(err, "unit id", a->unit_id));
    TRY(CHECK_ARRAY(err, "assignment title", a->title));
    if (!a->title[0])
        return err_set(err, ERR_INVALID, "missing assignment title");
    TRY(check_nonneg(err, "open time", a->open_time));
    if (a->due_time < a->open_time)
        return err_set(err, ERR_INVALID, "the due time is before the open time");
    if (a->late_until < a->due_time)
        return err_set(err, ERR_INVALID, "late_until is before the due time");
    TRY(check_enum(err, "late rule", (int)a->late_rule, COUNT(late_rule_names)));
    TRY(check_enum(err, "counting", (int)a->counting, COUNT(counting_names)));
    if (!(a->late_value >= 0 && a->late_value <= 1e6))
        return err_set(err, ERR_INVALID, "the late rule's value must be a number in [0, 1e6]");
    if (!with_problems)
        return 0;
    if (n > WEB_ASSIGNMENT_PROBLEMS_MAX)
        return err_set(err, ERR_LIMIT, "more than %d problems", WEB_ASSIGNMENT_PROBLEMS_MAX);
    for (size_t i = 0; i < n; i++) {
        TRY(check_id(err, "problem id", p[i].problem_id));
        TRY(check_enum(err, "feedback", (int)p[i].feedback, COUNT(feedback_names)));
        if (!(p[i].points >= 0 && p[i].points <= 1e6))
            return err_set(err, ERR_INVALID, "points must be a number in [0, 1e6]");
        if (p[i].template_text)
            TRY(check_text(err, "template", p[i].template_text, WEB_TEMPLATE_MAX, 1));
        for (size_t j = 0; j < i; j++)
            if (p[j].problem_id == p[i].problem_id)
                return err_set(err, ERR_INVALID, "problem %lld given twice", (long long)p[i].problem_id);
    }
    return 0;
}

int web_store_assignment_create(struct web_store *s, struct web_assignment *a, const struct web_assignment_problem *p,
                                size_t n, struct err *err)
{
    TRY(assignment_ok(a, p, n, 1, err));
    TRY(check_nonneg(err, "creation time", a->created_at));
    return s->ops->assignment_create(s, a, p, n, err);
}

int web_store_assignment_by_id(struct web_store *s, int64_t id, struct web_assignment *out, struct err *err)
{
    TRY(check_id(err, "assignment id", id));
    return s->ops->assignment_by_id(s, id, out, err);
}

int web_store_assignment_update(struct web_store *s, const struct web_assignment *a,
                                const struct web_assignment_problem *p, size_t n, int replace_problems,
                                struct err *err)
{
    TRY(check_id(err, "assignment id", a->id));
    TRY(assignment_ok(a, p, n, replace_problems, err));
    return s->ops->assignment_update(s, a, p, n, replace_problems, err);
}

int web_store_assignment_delete(struct web_store *s, int64_t id, struct err *err)
{
    TRY(check_id(err, "assignment id", id));
    return s->ops->assignment_delete(s, id, err);
}

int web_store_assignments_of_course(struct web_store *s, int64_t course_id, struct web_assignment_list *out,
                                    struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "course id", course_id));
    return s->ops->assignments_of_course(s, course_id, out, err);
}

int web_store_assignment_problems(struct web_store *s, int64_t assignment_id,
                                  struct web_assignment_problem_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "assignment id", assignment_id));
    return s->ops->assignment_problems(s, assignment_id, out, err);
}

int web_store_extension_put(struct web_store *s, const struct web_extension *e, struct err *err)
{
    TRY(check_id(err, "assignment id", e->assignment_id));
    TRY(check_id(err, "user id", e->user_id));
    TRY(check_nonneg(err, "due time", e->due_time));
    if (e->late_until < e->due_time)
        return err_set(err, ERR_INVALID, "late_until is before the due time");
    return s->ops->extension_put(s, e, err);
}

int web_store_extension_get(struct web_store *s, int64_t assignment_id, int64_t user_id, struct web_extension *out,
                            struct err *err)
{
    TRY(check_id(err, "assignment id", assignment_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->extension_get(s, assignment_id, user_id, out, err);
}

int web_store_extension_remove(struct web_store *s, int64_t assignment_id, int64_t user_id, struct err *err)
{
    TRY(check_id(err, "assignment id", assignment_id));
    TRY(check_id(err, "user id", user_id));
    return s->ops->extension_remove(s, assignment_id, user_id, err);
}

int web_store_extensions(struct web_store *s, int64_t assignment_id, struct web_extension_list *out,
                         struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "assignment id", assignment_id));
    return s->ops->extensions(s, assignment_id, out, err);
}

int web_store_assignment_results(struct web_store *s, int64_t assignment_id, int64_t user_id,
                                 struct web_contest_result_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "assignment id", assignment_id));
    TRY(check_opt_id(err, "user id", user_id));
    return s->ops->assignment_results(s, assignment_id, user_id, out, err);
}

/* ---- similarity ---------------------------------------------------------------------------------------------- */

void web_similarity_entry_list_release(struct web_similarity_entry_list *l)
{
    if (!l)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int web_store_similarity_entries(struct web_store *s, int64_t assignment_id, int64_t problem_id,
                                 struct web_similarity_entry_list *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "assignment id", assignment_id));
    TRY(check_id(err, "problem id", problem_id));
    return s->ops->similarity_entries(s, assignment_id, problem_id, out, err);
}

int web_store_similarity_submission(struct web_store *s, int64_t assignment_id, int64_t submission_id,
                                    struct web_similarity_entry *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    TRY(check_id(err, "assignment id", assignment_id));
    TRY(check_id(err, "submission id", submission_id));
    return s->ops->similarity_submission(s, assignment_id, submission_id, out, err);
}
