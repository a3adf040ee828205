/*
 * auth.c: who is calling. Passwords are Argon2id hashes (libsodium's
 * crypto_pwhash_str, interactive limits); a login opens a session whose
 * random token lives in an HttpOnly cookie (storage keeps only its hash);
 * scripts and judges use API tokens (Authorization: Bearer). Failed logins
 * are counted per account and per address, and the register, login, logout
 * and me endpoints live here.
 *
 * CSRF: a request authenticated by the session cookie that changes state
 * (any method but GET and HEAD) must carry X-CSRF-Token, a keyed BLAKE2b of
 * the session token under the installation's secret key. A page reads it
 * from the login reply or GET /api/v1/me; another site cannot, since it can
 * neither read our responses nor the HttpOnly cookie. Bearer tokens are never
 * sent by a browser on its own, so they need no CSRF token.
 */
#include "web_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_SETTING "secret_key"

/* ---- installation settings ---------------------------------------------------------------- */

int web_data_init(const char *data_dir, struct err *err)
{
    struct web_store *s = NULL;
    char *value = NULL;
    int rc;
    if (fs_mkdirs(data_dir, 0750) < 0)
        return err_sys(err, "cannot create '%s'", data_dir);
    if ((rc = web_store_open(data_dir, &s, err)) < 0)
        return rc;
    rc = web_store_setting_get(s, "registration", &value, err);
    free(value);
    value = NULL;
    if (rc == ERR_NOTFOUND)
        rc = web_store_setting_set(s, "registration", web_registration_name(WEB_REG_OPEN), err);
    if (rc < 0)
        goto out;
    rc = web_store_setting_get(s, SECRET_SETTING, &value, err);
    if (rc == ERR_NOTFOUND) {
        unsigned char key[crypto_generichash_KEYBYTES];
        char hex[2 * sizeof(key) + 1];
        randombytes_buf(key, sizeof(key));
        sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
        rc = web_store_setting_set(s, SECRET_SETTING, hex, err);
        sodium_memzero(key, sizeof(key));
        sodium_memzero(hex, sizeof(hex));
    }
out:
    if (value) {
        sodium_memzero(value, strlen(value));
        free(value);
    }
    web_store_close(s);
    return rc;
}

int web_server_secret_load(struct web_server *srv, struct web_store *s, struct err *err)
{
    char *hex = NULL;
    size_t len = 0;
    int rc = web_store_setting_get(s, SECRET_SETTING, &hex, err);
    if (rc < 0)
        return rc;
    if (sodium_hex2bin(srv->csrf_key, sizeof(srv->csrf_key), hex, strlen(hex), NULL, &len, NULL) != 0 ||
        len != sizeof(srv->csrf_key))
        rc = err_set(err, ERR_INVALID, "the setting '%s' is malformed", SECRET_SETTING);
    sodium_memzero(hex, strlen(hex));
    free(hex);
    return rc;
}

void web_csrf_token(const struct web_server *srv, const char *session_token, char out[WEB_HASH_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, srv->csrf_key, sizeof(srv->csrf_key), sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)"csrf:", 5);
    crypto_generichash_update(&st, (const unsigned char *)session_token, strlen(session_token));
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, WEB_HASH_HEX + 1, h, sizeof(h));
}

/* ---- passwords ------------------------------------------------------------------------------ */

int web_password_check(const char *password, struct err *err)
{
    size_t n = strnlen(password, WEB_PASSWORD_MAX + 1);
    if (n < WEB_PASSWORD_MIN)
        return err_set(err, ERR_INVALID, "the password must be at least %d characters long", WEB_PASSWORD_MIN);
    if (n > WEB_PASSWORD_MAX)
        return err_set(err, ERR_INVALID, "the password must be at most %d bytes long", WEB_PASSWORD_MAX);
    return 0;
}

int web_password_hash(const char *password, char out[WEB_PASSWORD_HASH_MAX + 1], struct err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, ERR_SYSTEM, "cannot hash the password (out of memory)");
    str_fmt(out, WEB_PASSWORD_HASH_MAX + 1, "%s", hash);
    return 0;
}

/* ---- request header parsers -------------------------------------------------------------------
 * Pure functions over header text (no request, no store), so that
 * tests/fuzz/fuzz_request.c reaches them directly. Whatever the bytes, they
 * read only within the NUL-terminated text and write only within out.
 */

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static int is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int web_cookie_session_parse(const char *header, char out[WEB_TOKEN_HEX + 1])
{
    static const char name[] = WEB_SESSION_COOKIE;
    const size_t nlen = sizeof(name) - 1;
    out[0] = '\0';
    if (!header)
        return 0;
    for (const char *p = header; *p;) {
        size_t n = strcspn(p, ";");         /* one cookie-pair: p[0..n) */
        const char *end = p + n;
        while (p < end && is_ows(*p))
            p++;
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq) {
            const char *ne = eq;
            while (ne > p && is_ows(ne[-1]))
                ne--;
            const char *v = eq + 1, *ve = end;
            while (v < ve && is_ows(*v))
                v++;
            while (ve > v && is_ows(ve[-1]))
                ve--;
            if (ve - v >= 2 && v[0] == '"' && ve[-1] == '"') {
                v++;
                ve--;
            }
            int ok = (size_t)(ne - p) == nlen && !memcmp(p, name, nlen) && ve - v == WEB_TOKEN_HEX;
            for (const char *q = v; ok && q < ve; q++)
                ok = is_lower_hex(*q);
            if (ok) {
                memcpy(out, v, WEB_TOKEN_HEX);
                out[WEB_TOKEN_HEX] = '\0';
                return 1;
            }
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

int web_bearer_parse(const char *header, char out[WEB_BEARER_MAX + 1])
{
    out[0] = '\0';
    if (!header || strncasecmp(header, "Bearer", 6) != 0 || !is_ows(header[6]))
        return 0;
    const char *p = header + 7;
    while (is_ows(*p))
        p++;
    size_t n = 0;
    while (p[n] > 0x20 && p[n] < 0x7f)
        n++;
    const char *rest = p + n;
    while (is_ows(*rest))
        rest++;
    if (n == 0 || n > WEB_BEARER_MAX || *rest)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

void web_forwarded_parse(const char *xff, const char *proto, char address[WEB_ADDRESS_MAX + 1], int *https)
{
    address[0] = '\0';
    *https = 0;
    if (xff) {
        /* The last hop is the one our proxy added; those before it are the
         * client's word. */
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (is_ows(*last))
            last++;
        size_t n = strcspn(last, " \t");
        if (n > 0 && n <= WEB_ADDRESS_MAX && web_utf8_valid(last, n)) {
            memcpy(address, last, n);
            address[n] = '\0';
            for (char *p = address; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = '?';
        }
    }
    if (proto) {
        while (is_ows(*proto))
            proto++;
        size_t n = strcspn(proto, " \t");
        const char *rest = proto + n;
        while (is_ows(*rest))
            rest++;
        *https = n == 5 && !strncasecmp(proto, "https", 5) && !*rest;
    }
}

int web_query_id_parse(const char *v, int64_t *out)
{
    int64_t id;
    if (!v || !*v || strspn(v, "0123456789") != strlen(v) || parse_i64(v, 1, (int64_t)1 << 53, &id) < 0)
        return -1;
    *out = id;
    return 0;
}

/* ---- authenticating a request --------------------------------------------------------------- */

static int unauthorized(struct web_req *r, const char *msg)
{
    web_reply_error(r, 401, "unauthorized", "%s", msg);
    web_reply_header(r, "WWW-Authenticate", "Bearer");
    return -1;
}

static int forbidden(struct web_req *r, const char *code, const char *msg)
{
    web_reply_error(r, 403, code, "%s", msg);
    return -1;
}

static int method_changes_state(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* Fills r's caller; -1 after a reply (a store error, or a bad token). */
static int identify(struct web_req *r, struct web_store *s)
{
    struct err err;
    int rc;
    int64_t user_id = 0;
    const char *authz = web_req_header(r, "Authorization");
    if (authz) {
        struct web_api_token t;
        char tok[WEB_BEARER_MAX + 1];
        int got = web_bearer_parse(authz, tok);
        if (got == 0)
            return r->route->auth == WEB_AUTH_JUDGE ? forbidden(r, "forbidden", "judges use an API token")
                                                    : unauthorized(r, "only Bearer tokens are accepted");
        rc = got < 0 ? ERR_NOTFOUND : web_store_apitoken_lookup(s, tok, r->now, &t, &err);
        sodium_memzero(tok, sizeof(tok));
        if (rc == ERR_NOTFOUND)
            return r->route->auth == WEB_AUTH_JUDGE ? forbidden(r, "forbidden", "invalid API token")
                                                    : unauthorized(r, "invalid or expired API token");
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        r->via = WEB_VIA_TOKEN;
        user_id = t.user_id;
    } else {
        char cookie[WEB_TOKEN_HEX + 1];
        struct web_session sess;
        if (!web_cookie_session_parse(web_req_header(r, "Cookie"), cookie))
            return 0;           /* none, or not one of ours: the caller is anonymous */
        rc = web_store_session_lookup(s, cookie, r->now, &sess, &err);
        if (rc == ERR_NOTFOUND)
            return 0;           /* a stale cookie: the caller is anonymous */
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        r->via = WEB_VIA_COOKIE;
        str_fmt(r->session_token, sizeof(r->session_token), "%s", cookie);
        user_id = sess.user_id;
    }
    rc = web_store_user_by_id(s, user_id, &r->user, &err);
    if (rc < 0) {
        r->via = WEB_VIA_NONE;
        if (rc == ERR_NOTFOUND)
            return 0;
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

int web_auth_request(struct web_req *r, struct web_store *s)
{
    if (identify(r, s) < 0)
        return -1;
    switch (r->route->auth) {
    case WEB_AUTH_NONE:
    case WEB_AUTH_OPTIONAL:
        break;
    case WEB_AUTH_USER:
        if (r->via == WEB_VIA_NONE)
            return unauthorized(r, "log in first");
        break;
    case WEB_AUTH_ORGANIZER:
        if (r->via == WEB_VIA_NONE)
            return unauthorized(r, "log in first");
        if (!web_req_is_staff(r))
            return forbidden(r, "forbidden", "organizers and admins only");
        break;
    case WEB_AUTH_JUDGE:
        if (r->via != WEB_VIA_TOKEN || r->user.role != WEB_ROLE_JUDGE)
            return forbidden(r, "forbidden", "judge accounts only, with their API token");
        break;
    }
    if (r->via == WEB_VIA_COOKIE && method_changes_state(r->method)) {
        char want[WEB_HASH_HEX + 1];
        const char *got = web_req_header(r, "X-CSRF-Token");
        web_csrf_token(r->srv, r->session_token, want);
        if (!got || strlen(got) != WEB_HASH_HEX || sodium_memcmp(got, want, WEB_HASH_HEX) != 0)
            return forbidden(r, "csrf", "missing or wrong X-CSRF-Token header");
    }
    return 0;
}

/* ---- JSON shapes ------------------------------------------------------------------------------ */

cJSON *web_user_json(const struct web_user *u)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", u->id);
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "display_name", u->display_name);
    cJSON_AddStringToObject(o, "role", web_role_name(u->role));
    return o;
}

static void set_session_cookie(struct web_req *r, const char *token, int max_age)
{
    char cookie[256];
    int secure = r->srv->cfg->cookie_secure == WEB_COOKIE_SECURE_YES ||
                 (r->srv->cfg->cookie_secure == WEB_COOKIE_SECURE_AUTO && r->https);
    str_fmt(cookie, sizeof(cookie), "%s=%s; HttpOnly; SameSite=Lax; Path=/; Max-Age=%d%s", WEB_SESSION_COOKIE,
            token, max_age, secure ? "; Secure" : "");
    web_reply_header(r, "Set-Cookie", cookie);
    sodium_memzero(cookie, sizeof(cookie));
}

/* ---- POST /api/v1/register ------------------------------------------------------------------------ */

void web_api_register(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "name", WEB_JSON_STRING, 1 },
        { "password", WEB_JSON_STRING, 1 },
        { "display_name", WEB_JSON_STRING, 0 },
        { "email", WEB_JSON_STRING, 0 },
        { "code", WEB_JSON_STRING, 0 },
    };
    struct web_user u = { 0 };
    struct err err;
    char *mode = NULL, *code = NULL;
    cJSON *body = NULL;
    int rc = web_store_setting_get(s, "registration", &mode, &err);
    enum web_registration reg = WEB_REG_ADMIN;
    if (rc == 0)
        web_registration_parse(mode, &reg);
    free(mode);
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    if (reg == WEB_REG_CODE && (rc = web_store_setting_get(s, "registration_code", &code, &err)) < 0 &&
        rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    if (reg == WEB_REG_ADMIN || (reg == WEB_REG_CODE && (!code || !code[0]))) {
        web_reply_error(r, 403, "registration_closed", "registration is closed: ask an administrator");
        goto out;
    }
    body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        goto out;
    if (reg == WEB_REG_CODE) {
        const char *given = web_json_str(body, "code", "");
        if (web_guess_check(r, s) < 0)     /* security: codes are rate-limited like logins */
            goto out;
        if (!web_secret_equal(given, code)) {
            web_guess_failed(r, s);
            web_reply_error(r, 403, "registration_closed", "registration needs the right code");
            goto out;
        }
    }
    const char *name = web_json_str(body, "name", "");
    const char *password = web_json_str(body, "password", "");
    const char *display = web_json_str(body, "display_name", name);
    const char *email = web_json_str(body, "email", "");
    if (web_password_check(password, &err) < 0) {
        web_reply_error(r, 400, "weak_password", "%s", err.msg);
        goto out;
    }
    if (str_fmt(u.name, sizeof(u.name), "%s", name) < 0 ||
        str_fmt(u.display_name, sizeof(u.display_name), "%s", display) < 0 ||
        str_fmt(u.email, sizeof(u.email), "%s", email) < 0) {
        web_reply_error(r, 400, "invalid", "name, display_name or email is too long");
        goto out;
    }
    if (!u.name[0]) {
        web_reply_error(r, 400, "invalid", "missing name");
        goto out;
    }
    if ((rc = web_password_hash(password, u.password_hash, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    u.role = WEB_ROLE_CONTESTANT;
    u.created_at = r->now;
    rc = web_store_user_create(s, &u, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "name_taken", "the name '%s' is taken", u.name);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("web", "registered user %lld '%s' from %s", (long long)u.id, u.name, r->address);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "user", web_user_json(&u));
    web_reply_json(r, 201, o);
out:
    sodium_memzero(u.password_hash, sizeof(u.password_hash));
    cJSON_Delete(body);
    free(code);
}

/* ---- POST /api/v1/login ------------------------------------------------------------------------------
 * Failed attempts count against the account name and the client address;
 * at login_max_failures within login_window seconds either one answers 429
 * without checking the password (a success clears the account's count, not
 * the address's, so one known password cannot reset an address's budget).
 */
static int login_limited(struct web_req *r, struct web_store *s, const char *account_key, struct err *err)
{
    int64_t n_acc = 0, n_addr = 0;
    const struct web_config *cfg = r->srv->cfg;
    int rc;
    if ((rc = web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, account_key, r->now, cfg->login_window, &n_acc,
                                            err)) < 0 ||
        (rc = web_store_login_failure_count(s, WEB_LOGIN_ADDRESS, r->address, r->now, cfg->login_window, &n_addr,
                                            err)) < 0)
        return rc;
    return n_acc >= cfg->login_max_failures || n_addr >= cfg->login_max_failures;
}

/* ---- security: guesses of secret codes (web_int.h) ---------------------------------------------- */

/* 1 when the two strings are equal, in time that depends on neither's
 * content nor length: both are hashed, then the hashes compared with
 * sodium_memcmp. For registration codes, which are secrets. */
int web_secret_equal(const char *given, const char *secret)
{
    unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
    crypto_generichash(a, sizeof(a), (const unsigned char *)given, strlen(given), NULL, 0);
    crypto_generichash(b, sizeof(b), (const unsigned char *)secret, strlen(secret), NULL, 0);
    return sodium_memcmp(a, b, sizeof(a)) == 0;
}

int web_guess_check(struct web_req *r, struct web_store *s)
{
    const struct web_config *cfg = r->srv->cfg;
    struct err err;
    int64_t n = 0;
    int rc = web_store_login_failure_count(s, WEB_LOGIN_ADDRESS, r->address, r->now, cfg->login_window, &n, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    if (n < cfg->login_max_failures)
        return 0;
    char after[16];
    log_warn("web", "code guess from %s refused: too many failures", r->address);
    web_reply_error(r, 429, "rate_limited", "too many wrong codes or logins; try again later");
    str_fmt(after, sizeof(after), "%d", cfg->login_window);
    web_reply_header(r, "Retry-After", after);
    return -1;
}

void web_guess_failed(struct web_req *r, struct web_store *s)
{
    struct err err;
    int64_t n;
    if (web_store_login_failure_add(s, WEB_LOGIN_ADDRESS, r->address, r->now, r->srv->cfg->login_window, &n,
                                    &err) < 0)
        log_warn("web", "cannot count a wrong code from %s: %s", r->address, err.msg);
    else
        log_info("web", "wrong code from %s", r->address);
}

void web_api_login(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "name", WEB_JSON_STRING, 1 },
        { "password", WEB_JSON_STRING, 1 },
    };
    const struct web_config *cfg = r->srv->cfg;
    struct web_user u;
    struct err err;
    char key[WEB_NAME_MAX + 1], token[WEB_TOKEN_HEX + 1] = "", csrf[WEB_HASH_HEX + 1];
    int rc;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    const char *name = web_json_str(body, "name", "");
    const char *password = web_json_str(body, "password", "");
    size_t nl = strnlen(name, WEB_NAME_MAX + 1);
    if (nl == 0 || nl > WEB_NAME_MAX || strnlen(password, WEB_PASSWORD_MAX + 1) > WEB_PASSWORD_MAX) {
        web_reply_error(r, 400, "invalid", "name or password has a bad length");
        goto out;
    }
    for (size_t i = 0; i <= nl; i++)
        key[i] = (char)tolower((unsigned char)name[i]);
    for (size_t i = 0; i < nl; i++)
        if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f || (unsigned char)key[i] >= 0x80) {
            web_reply_error(r, 400, "invalid", "the name holds characters no account name has");
            goto out;
        }
    if ((rc = login_limited(r, s, key, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (rc) {
        char after[16];
        log_warn("web", "login for '%s' from %s refused: too many failures", key, r->address);
        web_reply_error(r, 429, "rate_limited", "too many failed logins; try again later");
        str_fmt(after, sizeof(after), "%d", cfg->login_window);
        web_reply_header(r, "Retry-After", after);
        goto out;
    }
    rc = web_store_user_by_name(s, name, &u, &err);
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    int known = rc == 0 && !u.disabled && u.password_hash[0];
    int ok = crypto_pwhash_str_verify(known ? u.password_hash : r->srv->dummy_hash, password,
                                      strlen(password)) == 0 && known;
    if (!ok) {
        int64_t n;
        if ((rc = web_store_login_failure_add(s, WEB_LOGIN_ACCOUNT, key, r->now, cfg->login_window, &n, &err)) < 0 ||
            (rc = web_store_login_failure_add(s, WEB_LOGIN_ADDRESS, r->address, r->now, cfg->login_window, &n,
                                              &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        log_info("web", "failed login for '%s' from %s", key, r->address);
        web_reply_error(r, 401, "bad_credentials", "wrong name or password");
        goto out;
    }
    if ((rc = web_store_login_failure_clear(s, WEB_LOGIN_ACCOUNT, key, &err)) < 0 ||
        (rc = web_store_session_create(s, u.id, r->address, r->now, (int64_t)cfg->session_hours * 3600, token,
                                       &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    web_csrf_token(r->srv, token, csrf);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "user", web_user_json(&u));
    cJSON_AddStringToObject(o, "csrf_token", csrf);
    web_reply_json(r, 200, o);
    set_session_cookie(r, token, cfg->session_hours * 3600);
    log_info("web", "user %lld '%s' logged in from %s", (long long)u.id, u.name, r->address);
out:
    sodium_memzero(token, sizeof(token));
    cJSON_Delete(body);
}

/* ---- POST /api/v1/logout, GET /api/v1/me ------------------------------------------------------------------ */

void web_api_logout(struct web_req *r, struct web_store *s)
{
    struct err err;
    cJSON *body = web_json_body(r, NULL, 0);
    if (!body)
        return;
    cJSON_Delete(body);
    if (r->via == WEB_VIA_COOKIE) {
        int rc = web_store_session_delete(s, r->session_token, &err);
        if (rc < 0 && rc != ERR_NOTFOUND) {
            web_reply_store_error(r, rc, &err);
            return;
        }
    }
    web_reply_empty(r, 204);
    set_session_cookie(r, "", 0);
}

void web_api_me(struct web_req *r, struct web_store *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "user", web_user_json(&r->user));
    if (r->via == WEB_VIA_COOKIE) {
        char csrf[WEB_HASH_HEX + 1];
        web_csrf_token(r->srv, r->session_token, csrf);
        cJSON_AddStringToObject(o, "csrf_token", csrf);
    }
    web_reply_json(r, 200, o);
}
