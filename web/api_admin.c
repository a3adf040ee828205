/*
 * api_admin.c: the administrators' endpoints: accounts (list, change,
 * disable, reset a password, import many from CSV), the audit log, and the
 * judge hosts with what each is doing. Admins only: organizers pass the
 * routes' check (WEB_AUTH_ORGANIZER) and are refused here with 403.
 */
#include "web_int.h"

#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define CSV_FIELDS_MAX 64           /* columns in an import, header included */
#define GENERATED_PASSWORD_LEN 16

/* 0 for an admin; else replies 403 and returns -1. */
static int admin_only(struct web_req *r)
{
    if (r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_ADMIN)
        return 0;
    web_reply_error(r, 403, "forbidden", "administrators only");
    return -1;
}

static cJSON *user_admin_json(const struct web_user *u)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", u->id);
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "display_name", u->display_name);
    cJSON_AddStringToObject(o, "email", u->email);
    cJSON_AddStringToObject(o, "role", web_role_name(u->role));
    cJSON_AddBoolToObject(o, "disabled", u->disabled);
    web_json_add_i64(o, "created_at", u->created_at);
    return o;
}

/* ---- field rules shared by PATCH and the import; NULL when fine, else why not ---- */

static const char *name_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return "the name is empty";
    if (n > WEB_NAME_MAX)
        return "the name is longer than 64 bytes";
    if (s[0] == '.' || s[0] == '-')
        return "the name must start with a letter, digit or '_'";
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return "the name may hold only letters, digits, '.', '_' and '-'";
    return NULL;
}

static const char *display_name_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return "display_name is empty";
    if (n > WEB_TITLE_MAX)
        return "display_name is longer than 256 bytes";
    if (!utf8_valid(s, n, UTF8_NO_CONTROLS))
        return "display_name is not UTF-8 text";
    return NULL;
}

/* "" (none), or one '@' with something on both sides, no spaces. */
static const char *email_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return NULL;
    if (n > WEB_EMAIL_MAX)
        return "email is longer than 254 bytes";
    const char *at = strchr(s, '@');
    if (!utf8_valid(s, n, UTF8_NO_CONTROLS) || strchr(s, ' ') || !at || at == s || !at[1] || strchr(at + 1, '@'))
        return "email is not an address";
    return NULL;
}

static void password_generate(char out[GENERATED_PASSWORD_LEN + 1])
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < GENERATED_PASSWORD_LEN; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    out[GENERATED_PASSWORD_LEN] = '\0';
}

/* ---- GET /api/v1/users ------------------------------------------------------------------------------------ */

void web_api_user_list(struct web_req *r, struct web_store *s)
{
    struct web_user_list l;
    struct err err;
    if (admin_only(r) < 0)
        return;
    int64_t after = web_req_query_id(r, "after"), limit = web_req_query_id(r, "limit");
    if (after < 0 || limit < 0)
        return;
    int rc = web_store_user_list(s, after, limit == 0 || limit > WEB_PAGE_MAX ? WEB_PAGE_MAX : (size_t)limit, &l,
                                 &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "users");
    for (size_t i = 0; i < l.n; i++) {
        cJSON_AddItemToArray(arr, user_admin_json(&l.v[i]));
        sodium_memzero(l.v[i].password_hash, sizeof(l.v[i].password_hash));
    }
    web_user_list_release(&l);
    web_reply_json(r, 200, o);
}

/* ---- PATCH /api/v1/users/{id} -----------------------------------------------------------------------------
 * Disabling a user, or resetting their password, ends all their sessions
 * (a disabled user's API tokens stop working too: storage refuses them). An
 * admin cannot disable or demote themselves, so the last admin stays one. */
void web_api_user_patch(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "role", WEB_JSON_STRING, 0 },
        { "disabled", WEB_JSON_BOOL, 0 },
        { "display_name", WEB_JSON_STRING, 0 },
        { "email", WEB_JSON_STRING, 0 },
        { "password", WEB_JSON_STRING, 0 },
    };
    struct web_user u = { 0 };
    struct buf changed;
    struct err err;
    const char *why;
    int rc, logout = 0;
    buf_init(&changed, 256);
    cJSON *body = NULL;
    if (admin_only(r) < 0)
        goto out;
    if (!(body = web_json_body(r, fields, N(fields))))
        goto out;
    rc = web_store_user_by_id(s, r->id, &u, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no user %lld", (long long)r->id);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    const char *role = web_json_str(body, "role", NULL);
    if (role) {
        enum web_role nr;
        if (web_role_parse(role, &nr) < 0) {
            web_reply_error(r, 400, "invalid_field",
                            "role must be admin, organizer, teacher, contestant or judge");
            goto out;
        }
        if (u.id == r->user.id && nr != WEB_ROLE_ADMIN) {
            web_reply_error(r, 400, "invalid_field", "you cannot take away your own admin role");
            goto out;
        }
        if (nr != u.role)
            buf_addf(&changed, "%srole %s -> %s", changed.len ? ", " : "", web_role_name(u.role), role);
        u.role = nr;
    }
    const cJSON *dis = cJSON_GetObjectItemCaseSensitive(body, "disabled");
    if (dis) {
        int d = cJSON_IsTrue(dis);
        if (d && u.id == r->user.id) {
            web_reply_error(r, 400, "invalid_field", "you cannot disable yourself");
            goto out;
        }
        if (d != u.disabled)
            buf_addf(&changed, "%s%s", changed.len ? ", " : "", d ? "disabled" : "enabled");
        logout |= d && !u.disabled;
        u.disabled = d;
    }
    const char *display = web_json_str(body, "display_name", NULL);
    if (display) {
        if ((why = display_name_problem(display))) {
            web_reply_error(r, 400, "invalid_field", "%s", why);
            goto out;
        }
        str_fmt(u.display_name, sizeof(u.display_name), "%s", display);
        buf_addf(&changed, "%sdisplay_name", changed.len ? ", " : "");
    }
    const char *email = web_json_str(body, "email", NULL);
    if (email) {
        if ((why = email_problem(email))) {
            web_reply_error(r, 400, "invalid_field", "%s", why);
            goto out;
        }
        str_fmt(u.email, sizeof(u.email), "%s", email);
        buf_addf(&changed, "%semail", changed.len ? ", " : "");
    }
    const char *password = web_json_str(body, "password", NULL);
    if (password) {
        if (web_password_check(password, &err) < 0) {
            web_reply_error(r, 400, "weak_password", "%s", err.msg);
            goto out;
        }
        if ((rc = web_password_hash(password, u.password_hash, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        buf_addf(&changed, "%spassword reset", changed.len ? ", " : "");
        logout = 1;
    }
    if ((rc = web_store_user_update(s, &u, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (logout && (rc = web_store_session_delete_user(s, u.id, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    {
        char target[WEB_NAME_MAX + 32];
        str_fmt(target, sizeof(target), "user %lld (%s)", (long long)u.id, u.name);
        web_audit(r, s, "user.update", target, changed.len ? changed.buf : "nothing");
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "user", user_admin_json(&u));
    web_reply_json(r, 200, o);
out:
    sodium_memzero(u.password_hash, sizeof(u.password_hash));
    buf_release(&changed);
    cJSON_Delete(body);
}

/* ---- POST /api/v1/users/import ----------------------------------------------------------------------------
 * How an import goes: the CSV is read and every row checked first (names
 * free and not repeated, roles, emails, passwords, contests and teams), and
 * if any row is bad the answer lists them all and nothing is stored. Then
 * the missing passwords are generated and every password hashed (slow by
 * design, so outside any transaction), and the users, their new teams and
 * their registrations are written in one transaction. Generated passwords
 * are in the answer and nowhere else.
 */
enum { COL_NAME, COL_DISPLAY, COL_EMAIL, COL_ROLE, COL_PASSWORD, COL_CONTEST, COL_TEAM, NCOLS };
static const char *const col_names[NCOLS] = { "name", "display_name", "email", "role", "password", "contest",
                                              "team" };

struct import_row {
    size_t line;
    const char *col[NCOLS];                 /* borrowed from the CSV; "" when absent */
    enum web_role role;
    int64_t contest_id;
    char password[GENERATED_PASSWORD_LEN + 1];  /* generated; "" when given */
    char hash[WEB_PASSWORD_HASH_MAX + 1];
    int64_t user_id;
};

struct import {
    struct import_row *rows;
    size_t n;
    struct web_bad_rows br;                 /* the rows refused, for the reply */
};

/* Maps the header row to columns; -1 after a reply. */
static int import_header(struct web_req *r, const struct web_csv_row *h, int map[CSV_FIELDS_MAX])
{
    int seen[NCOLS] = { 0 };
    for (size_t i = 0; i < h->n; i++) {
        char name[32];
        const char *f = h->v[i];
        while (*f == ' ')
            f++;
        size_t len = strlen(f);
        while (len && f[len - 1] == ' ')
            len--;
        int c = -1;
        if (len < sizeof(name)) {
            memcpy(name, f, len);
            name[len] = '\0';
            for (int k = 0; k < NCOLS; k++)
                if (!strcasecmp(name, col_names[k]))
                    c = k;
        }
        if (c < 0) {
            web_reply_error(r, 400, "invalid_csv",
                            "line %zu: unknown column '%.32s' (the columns are name, display_name, email, role, "
                            "password, contest, team)", h->line, h->v[i]);
            return -1;
        }
        if (seen[c]++) {
            web_reply_error(r, 400, "invalid_csv", "line %zu: column '%s' appears twice", h->line, col_names[c]);
            return -1;
        }
        map[i] = c;
    }
    if (!seen[COL_NAME]) {
        web_reply_error(r, 400, "invalid_csv", "line %zu: the header row has no 'name' column", h->line);
        return -1;
    }
    return 0;
}

/* Checks one row against the rules and the database; problems go to im->br.bad. */
static int import_check(struct web_store *s, struct import *im, struct import_row *row, size_t index,
                        struct err *err)
{
    const char *why;
    const char *name = row->col[COL_NAME];
    if ((why = name_problem(name)))
        web_bad_row(&im->br, row->line, "%s", why);
    for (size_t k = 0; k < index && !why; k++)
        if (!strcasecmp(im->rows[k].col[COL_NAME], name)) {
            web_bad_row(&im->br, row->line, "the name '%s' is also on line %zu", name, im->rows[k].line);
            break;
        }
    if (!why) {
        struct web_user u;
        int rc = web_store_user_by_name(s, name, &u, err);
        if (rc == 0) {
            sodium_memzero(u.password_hash, sizeof(u.password_hash));
            web_bad_row(&im->br, row->line, "the name '%s' is taken", name);
        } else if (rc != ERR_NOTFOUND) {
            return rc;
        }
    }
    if (row->col[COL_DISPLAY][0] && (why = display_name_problem(row->col[COL_DISPLAY])))
        web_bad_row(&im->br, row->line, "%s", why);
    if ((why = email_problem(row->col[COL_EMAIL])))
        web_bad_row(&im->br, row->line, "%s", why);
    row->role = WEB_ROLE_CONTESTANT;
    if (row->col[COL_ROLE][0] && (web_role_parse(row->col[COL_ROLE], &row->role) < 0 ||
                                  row->role == WEB_ROLE_JUDGE)) {
        web_bad_row(&im->br, row->line, "role must be admin, organizer, teacher or contestant (judge accounts need a "
                "token: crucible user add)");
    }
    if (row->col[COL_PASSWORD][0] && web_password_check(row->col[COL_PASSWORD], NULL) < 0)
        web_bad_row(&im->br, row->line, "the password must be %d to %d bytes", WEB_PASSWORD_MIN, WEB_PASSWORD_MAX);
    const char *contest = row->col[COL_CONTEST], *team = row->col[COL_TEAM];
    if (contest[0]) {
        struct web_contest c;
        int rc = web_store_contest_by_name(s, contest, &c, err);
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
            web_bad_row(&im->br, row->line, "no contest '%.64s'", contest);
        } else if (rc < 0) {
            return rc;
        } else {
            row->contest_id = c.id;
            if (team[0] && !c.team_mode)
                web_bad_row(&im->br, row->line, "contest '%s' is not a team contest", c.short_name);
        }
    }
    if (team[0] && !contest[0])
        web_bad_row(&im->br, row->line, "a team needs a contest");
    if (team[0] && (strlen(team) > WEB_TITLE_MAX || !utf8_valid(team, strlen(team), UTF8_NO_CONTROLS)))
        web_bad_row(&im->br, row->line, "the team name must be text of at most %d bytes", WEB_TITLE_MAX);
    return 0;
}

/* A team id by name in a contest, created on first use. */
struct team_cache {
    struct {
        int64_t contest_id, id;
        char name[WEB_TITLE_MAX + 1];
    } *v;
    size_t n, alloc;
    int64_t *loaded;                        /* contests whose teams are in v */
    size_t nloaded;
};

static void team_cache_add(struct team_cache *tc, int64_t contest_id, int64_t id, const char *name)
{
    if (tc->n == tc->alloc) {
        tc->alloc = tc->alloc ? tc->alloc * 2 : 16;
        void *v = realloc(tc->v, tc->alloc * sizeof(*tc->v));
        if (!v)
            abort();
        tc->v = v;
    }
    tc->v[tc->n].contest_id = contest_id;
    tc->v[tc->n].id = id;
    str_fmt(tc->v[tc->n].name, sizeof(tc->v[tc->n].name), "%s", name);
    tc->n++;
}

static int team_get(struct web_store *s, struct team_cache *tc, int64_t contest_id, const char *name, int64_t now,
                    int64_t *id, struct err *err)
{
    size_t i;
    for (i = 0; i < tc->nloaded && tc->loaded[i] != contest_id; i++)
        ;
    if (i == tc->nloaded) {
        struct web_team_list l;
        int rc = web_store_teams_of_contest(s, contest_id, &l, err);
        if (rc < 0)
            return rc;
        for (size_t k = 0; k < l.n; k++)
            team_cache_add(tc, contest_id, l.v[k].id, l.v[k].name);
        web_team_list_release(&l);
        int64_t *v = realloc(tc->loaded, (tc->nloaded + 1) * sizeof(*v));
        if (!v)
            abort();
        tc->loaded = v;
        tc->loaded[tc->nloaded++] = contest_id;
    }
    for (i = 0; i < tc->n; i++)
        if (tc->v[i].contest_id == contest_id && !strcmp(tc->v[i].name, name)) {
            *id = tc->v[i].id;
            return 0;
        }
    struct web_team t = { 0 };
    t.contest_id = contest_id;
    str_fmt(t.name, sizeof(t.name), "%s", name);
    t.created_at = now;
    int rc = web_store_team_create(s, &t, err);
    if (rc < 0)
        return rc;
    team_cache_add(tc, contest_id, t.id, name);
    *id = t.id;
    return 0;
}

/* Writes every row in one transaction; on failure nothing stays and
 * *failed_line names the row. */
static int import_store(struct web_req *r, struct web_store *s, struct import *im, size_t *failed_line,
                        struct err *err)
{
    struct team_cache tc = { 0 };
    int rc = web_store_tx_begin(s, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < im->n && rc == 0; i++) {
        struct import_row *row = &im->rows[i];
        struct web_user u = { 0 };
        *failed_line = row->line;
        str_fmt(u.name, sizeof(u.name), "%s", row->col[COL_NAME]);
        str_fmt(u.display_name, sizeof(u.display_name), "%s",
                row->col[COL_DISPLAY][0] ? row->col[COL_DISPLAY] : row->col[COL_NAME]);
        str_fmt(u.email, sizeof(u.email), "%s", row->col[COL_EMAIL]);
        memcpy(u.password_hash, row->hash, sizeof(u.password_hash));
        u.role = row->role;
        u.created_at = r->now;
        rc = web_store_user_create(s, &u, err);
        sodium_memzero(u.password_hash, sizeof(u.password_hash));
        if (rc < 0)
            break;
        row->user_id = u.id;
        if (row->contest_id) {
            struct web_participant p = { 0 };
            p.contest_id = row->contest_id;
            p.user_id = u.id;
            p.role = WEB_CROLE_PARTICIPANT;
            p.registered_at = r->now;
            if (row->col[COL_TEAM][0])
                rc = team_get(s, &tc, row->contest_id, row->col[COL_TEAM], r->now, &p.team_id, err);
            if (rc == 0)
                rc = web_store_participant_put(s, &p, err);
        }
    }
    free(tc.v);
    free(tc.loaded);
    if (rc == 0)
        return web_store_tx_commit(s, err);
    web_store_tx_rollback(s, NULL);
    return rc;
}

/* Reads the uploaded CSV file (a text/csv body) into data and parses it
 * into csv: at most WEB_CSV_ROWS_MAX rows after the header and max_fields
 * columns, UTF-8; replies 413 or 400 and returns -1 otherwise. Shared by the
 * user import and the course roster (api_courses.c). */
void web_bad_row(struct web_bad_rows *b, size_t line, const char *fmt, ...)
{
    char reason[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    web_text_repair(reason, 0);             /* it may quote the file */
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "line", (int64_t)line);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddItemToArray(b->bad, o);
    if (b->nbad++ < 5)
        buf_addf(&b->summary, "%sline %zu: %s", b->summary.len ? "; " : "", line, reason);
}

int web_csv_upload(struct web_req *r, struct buf *data, size_t max_fields, struct web_csv *csv)
{
    struct err err;
    int rc = buf_read_file(data, r->upload_path, &err);
    if (rc < 0) {
        if (rc == ERR_LIMIT)
            web_reply_error(r, 413, "too_large", "the file is larger than %llu bytes",
                            (unsigned long long)WEB_BODY_CSV_MAX);
        else
            web_reply_store_error(r, rc, &err);
        return -1;
    }
    if (!utf8_valid(data->buf, data->len, 0)) {
        web_reply_error(r, 400, "invalid_csv", "the file is not UTF-8 text");
        return -1;
    }
    rc = web_csv_parse(data->buf, data->len, WEB_CSV_ROWS_MAX + 1, max_fields, csv, &err);
    if (rc == ERR_LIMIT) {
        web_reply_error(r, 413, "too_large", "%s (at most %d rows, %zu columns)", err.msg, WEB_CSV_ROWS_MAX,
                        max_fields);
        return -1;
    }
    if (rc < 0) {
        web_reply_error(r, 400, "invalid_csv", "%s", err.msg);
        return -1;
    }
    return 0;
}

void web_api_user_import(struct web_req *r, struct web_store *s)
{
    struct web_csv csv = { 0 };
    struct import im = { 0 };
    struct buf data;
    struct err err;
    int map[CSV_FIELDS_MAX];
    int rc;
    buf_init(&data, (size_t)WEB_BODY_CSV_MAX);
    buf_init(&im.br.summary, 1024);
    if (admin_only(r) < 0)
        goto out;
    if (web_csv_upload(r, &data, CSV_FIELDS_MAX, &csv) < 0)
        goto out;
    if (csv.n == 0) {
        web_reply_error(r, 400, "invalid_csv", "the file is empty: a header row (name,...) is needed");
        goto out;
    }
    if (import_header(r, &csv.rows[0], map) < 0)
        goto out;
    im.rows = calloc(csv.n, sizeof(*im.rows));
    im.br.bad = cJSON_CreateArray();
    if (!im.rows)
        abort();
    for (size_t i = 1; i < csv.n; i++) {
        const struct web_csv_row *cr = &csv.rows[i];
        if (cr->n == 1 && !cr->v[0][0])
            continue;                       /* a blank line */
        struct import_row *row = &im.rows[im.n];
        row->line = cr->line;
        for (int k = 0; k < NCOLS; k++)
            row->col[k] = "";
        if (cr->n != csv.rows[0].n) {
            web_bad_row(&im.br, cr->line, "%zu fields where the header has %zu", cr->n, csv.rows[0].n);
            continue;
        }
        for (size_t k = 0; k < cr->n; k++)
            row->col[map[k]] = cr->v[k];
        if ((rc = import_check(s, &im, row, im.n, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        im.n++;
    }
    if (im.br.nbad) {
        cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
        char msg[ERR_MSG_MAX];
        str_fmt(msg, sizeof(msg), "%zu bad row%s, nothing imported: %s%s", im.br.nbad, im.br.nbad == 1 ? "" : "s",
                im.br.summary.buf, im.br.nbad > 5 ? "; ..." : "");
        cJSON_AddStringToObject(e, "code", "invalid_csv");
        web_json_add_text(e, "message", msg, strlen(msg));
        cJSON_AddItemToObject(e, "rows", im.br.bad);
        im.br.bad = NULL;
        web_reply_json(r, 400, o);
        goto out;
    }
    if (im.n == 0) {
        web_reply_error(r, 400, "invalid_csv", "no users in the file, only a header");
        goto out;
    }
    for (size_t i = 0; i < im.n; i++) {
        struct import_row *row = &im.rows[i];
        const char *pw = row->col[COL_PASSWORD];
        if (!pw[0]) {
            password_generate(row->password);
            pw = row->password;
        }
        if ((rc = web_password_hash(pw, row->hash, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    size_t failed_line = 0;
    rc = import_store(r, s, &im, &failed_line, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "name_taken", "line %zu: %s (nothing imported)", failed_line, err.msg);
        goto out;
    }
    if (rc < 0) {
        log_warn("web", "user import failed at line %zu: %s", failed_line, err.msg);
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    {
        char detail[256];
        str_fmt(detail, sizeof(detail), "%zu users, first '%s', last '%s'", im.n, im.rows[0].col[COL_NAME],
                im.rows[im.n - 1].col[COL_NAME]);
        web_audit(r, s, "user.import", "users", detail);
        log_info("web", "user import by '%s': %zu users", r->user.name, im.n);
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    web_json_add_i64(o, "created", (int64_t)im.n);
    for (size_t i = 0; i < im.n; i++) {
        cJSON *u = cJSON_CreateObject();
        web_json_add_i64(u, "id", im.rows[i].user_id);
        cJSON_AddStringToObject(u, "name", im.rows[i].col[COL_NAME]);
        if (im.rows[i].password[0])
            cJSON_AddStringToObject(u, "password", im.rows[i].password);
        cJSON_AddItemToArray(arr, u);
    }
    cJSON_AddItemToObject(o, "users", arr);
    web_reply_json(r, 201, o);
out:
    if (im.rows) {
        sodium_memzero(im.rows, csv.n * sizeof(*im.rows));
        free(im.rows);
    }
    cJSON_Delete(im.br.bad);
    buf_release(&im.br.summary);
    web_csv_release(&csv);
    sodium_memzero(data.buf, data.len);
    buf_release(&data);
}

/* ---- GET /api/v1/audit ------------------------------------------------------------------------------------- */

void web_api_audit_list(struct web_req *r, struct web_store *s)
{
    struct web_audit_entry_list l;
    struct err err;
    struct {
        int64_t id;
        char name[WEB_NAME_MAX + 1];
    } last = { 0, "" };
    if (admin_only(r) < 0)
        return;
    int64_t before = web_req_query_id(r, "before"), limit = web_req_query_id(r, "limit");
    if (before < 0 || limit < 0)
        return;
    int rc = web_store_audit_list(s, before, limit == 0 || limit > WEB_PAGE_MAX ? WEB_PAGE_MAX : (size_t)limit,
                                  &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "entries");
    for (size_t i = 0; i < l.n; i++) {
        const struct web_audit_entry *e = &l.v[i];
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "id", e->id);
        web_json_add_i64(x, "at", e->at);
        if (e->actor_user_id) {
            struct web_user u;
            if (last.id != e->actor_user_id && web_store_user_by_id(s, e->actor_user_id, &u, NULL) == 0) {
                last.id = u.id;
                memcpy(last.name, u.name, sizeof(u.name));
                sodium_memzero(u.password_hash, sizeof(u.password_hash));
            }
            web_json_add_i64(x, "actor_id", e->actor_user_id);
            if (last.id == e->actor_user_id)
                cJSON_AddStringToObject(x, "actor", last.name);
            else
                cJSON_AddNullToObject(x, "actor");
        } else {
            cJSON_AddNullToObject(x, "actor_id");
            cJSON_AddNullToObject(x, "actor");
        }
        cJSON_AddStringToObject(x, "address", e->address);
        cJSON_AddStringToObject(x, "action", e->action);
        cJSON_AddStringToObject(x, "target", e->target);
        if (e->detail)
            web_json_add_text(x, "detail", e->detail, strlen(e->detail));
        else
            cJSON_AddNullToObject(x, "detail");
        cJSON_AddItemToArray(arr, x);
    }
    web_audit_entry_list_release(&l);
    web_reply_json(r, 200, o);
}

/* ---- judge hosts -----------------------------------------------------------------------------------------
 * A host's status: "offline" when it has not been heard from for two lease
 * periods (its last claim, or the last heartbeat of the job it holds: a
 * lease runs lease_seconds from its latest renewal), else "judging" while it
 * holds a job, else "idle". Languages and counts are what it reported at its
 * last claim (api_judge.c stores them as the capabilities JSON).
 */
static cJSON *judge_json(struct web_req *r, struct web_store *s, const struct web_judge_host *h)
{
    struct web_judging j = { 0 };
    int64_t lease = r->srv->cfg->lease_seconds, seen = h->last_heartbeat;
    if (h->current_judging_id && web_store_judging_by_id(s, h->current_judging_id, &j, NULL) == 0 &&
        j.lease_expires - lease > seen)
        seen = j.lease_expires - lease;
    const char *status = !seen || r->now - seen > 2 * lease ? "offline" : h->current_judging_id ? "judging" : "idle";
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", h->id);
    cJSON_AddStringToObject(o, "name", h->name);
    cJSON_AddBoolToObject(o, "enabled", h->enabled);
    cJSON_AddStringToObject(o, "status", status);
    if (h->current_judging_id) {
        web_json_add_i64(o, "current_judging", h->current_judging_id);
        if (j.id)
            web_json_add_i64(o, "current_submission", j.submission_id);
        else
            cJSON_AddNullToObject(o, "current_submission");
    } else {
        cJSON_AddNullToObject(o, "current_judging");
        cJSON_AddNullToObject(o, "current_submission");
    }
    if (seen)
        web_json_add_i64(o, "last_heartbeat", seen);
    else
        cJSON_AddNullToObject(o, "last_heartbeat");
    web_json_add_i64(o, "created_at", h->created_at);
    cJSON *caps = cJSON_Parse(h->capabilities ? h->capabilities : "{}");
    cJSON *langs = cJSON_CreateArray(), *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(caps, "languages"))
        if (cJSON_IsString(l))
            cJSON_AddItemToArray(langs, cJSON_CreateString(l->valuestring));
    cJSON_AddItemToObject(o, "languages", langs);
    static const char *const counts[] = { "gpus", "cores", "memory_bytes" };
    for (size_t i = 0; i < N(counts); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(caps, counts[i]);
        web_json_add_i64(o, counts[i], cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0);
    }
    const cJSON *acct = cJSON_GetObjectItemCaseSensitive(caps, "account");
    if (cJSON_IsString(acct))
        cJSON_AddStringToObject(o, "account", acct->valuestring);
    else
        cJSON_AddNullToObject(o, "account");
    cJSON_Delete(caps);
    return o;
}

void web_api_judge_list(struct web_req *r, struct web_store *s)
{
    struct web_judge_host_list l;
    struct err err;
    if (admin_only(r) < 0)
        return;
    int rc = web_store_judge_host_list(s, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "judges");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, judge_json(r, s, &l.v[i]));
    web_judge_host_list_release(&l);
    web_reply_json(r, 200, o);
}

void web_api_judge_patch(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "enabled", WEB_JSON_BOOL, 1 },
    };
    struct web_judge_host h = { 0 };
    struct err err;
    int rc;
    if (admin_only(r) < 0)
        return;
    cJSON *body = web_json_body(r, fields, N(fields));
    if (!body)
        return;
    int enabled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "enabled"));
    cJSON_Delete(body);
    rc = web_store_judge_host_by_id(s, r->id, &h, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no judge host %lld", (long long)r->id);
        return;
    }
    if (rc == 0) {
        h.enabled = enabled;
        rc = web_store_judge_host_update(s, &h, &err);
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        web_judge_host_release(&h);
        return;
    }
    char target[WEB_NAME_MAX + 32];
    str_fmt(target, sizeof(target), "judge %lld (%s)", (long long)h.id, h.name);
    web_audit(r, s, "judge.update", target, enabled ? "enabled" : "disabled");
    log_info("web", "judge host '%s' %s by '%s'", h.name, enabled ? "enabled" : "disabled", r->user.name);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "judge", judge_json(r, s, &h));
    web_judge_host_release(&h);
    web_reply_json(r, 200, o);
}

/* ---- courses: the account rules and generated passwords, shared with the
 * roster import (api_courses.c) ---- */

const char *web_user_name_problem(const char *s)
{
    return name_problem(s);
}

const char *web_user_display_name_problem(const char *s)
{
    return display_name_problem(s);
}

const char *web_user_email_problem(const char *s)
{
    return email_problem(s);
}

void web_password_generate(char out[WEB_GENERATED_PASSWORD_LEN + 1])
{
    password_generate(out);
}
