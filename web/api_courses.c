/*
 * api_courses.c: courses for teaching: members (teachers, TAs, students,
 * enrolled by code, by hand or from a CSV roster), units of Markdown lessons
 * that may embed problems, assignments with open, due and late-until times,
 * late rules and per-student extensions, and the gradebook. Grades are never
 * stored: they are computed on every read from the valid judgings, so a
 * rejudge after a test fix changes them (docs/courses.md has the formula).
 * Everything of a course answers 404 to those who are not its members.
 */
#include "web_int.h"

#include "csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ROSTER_FIELDS_MAX 16
#define JOIN_CODE_LEN 10

/* ---- access ---------------------------------------------------------------------------------------------- */

static int is_admin(const struct web_req *r)
{
    return r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_ADMIN;
}

static int course_access_get(struct web_req *r, struct web_store *s, int64_t course_id, struct web_course_access *a,
                             struct err *err)
{
    struct web_course_member m;
    memset(a, 0, sizeof(*a));
    int rc = web_store_course_member_get(s, course_id, r->user.id, &m, err);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return rc;
    if (rc == 0) {
        a->member = 1;
        a->staff = m.role != WEB_COURSE_STUDENT;
        a->teacher = m.role == WEB_COURSE_TEACHER;
        a->student = m.role == WEB_COURSE_STUDENT;
    }
    if (is_admin(r))
        a->member = a->staff = a->teacher = 1;
    return 0;
}

int web_course_load(struct web_req *r, struct web_store *s, int64_t id, struct web_course *c,
                    struct web_course_access *a)
{
    struct err err;
    int rc = web_store_course_by_id(s, id, c, &err);
    if (rc == 0)
        rc = course_access_get(r, s, id, a, &err);
    if (rc == 0 && !a->member)
        rc = ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
        web_reply_error(r, 404, "not_found", "no course %lld", (long long)id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

int web_assignment_load(struct web_req *r, struct web_store *s, int64_t id, struct web_assignment *as,
                        struct web_course_access *a)
{
    struct err err;
    int rc = web_store_assignment_by_id(s, id, as, &err);
    if (rc == 0 && (rc = course_access_get(r, s, as->course_id, a, &err)) == 0 && !a->member)
        rc = ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
        web_reply_error(r, 404, "not_found", "no assignment %lld", (long long)id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

/* -1 after a 403 unless the caller has the right. */
static int need(struct web_req *r, int ok, const char *who)
{
    if (ok)
        return 0;
    web_reply_error(r, 403, "forbidden", "only the course's %s may do this", who);
    return -1;
}

/* ---- small helpers --------------------------------------------------------------------------------------- */

/* Copies a checked string field into an array: -1 after a 400/413 when it
 * is too long, empty (when required non-empty) or not text. */
static int field_copy(struct web_req *r, const char *what, const char *v, char *out, size_t size, int nonempty,
                      int multiline)
{
    size_t n = strlen(v);
    if (n >= size) {
        web_reply_error(r, 413, "too_large", "%s: at most %zu bytes", what, size - 1);
        return -1;
    }
    if ((nonempty && n == 0) ||
        !utf8_valid(v, n, UTF8_NO_CONTROLS | (multiline ? UTF8_ALLOW_LINES : 0))) {
        web_reply_error(r, 400, "invalid_field", "%s: must be %stext", what, nonempty ? "non-empty " : "");
        return -1;
    }
    memcpy(out, v, n + 1);
    return 0;
}

static void json_id_or_null(cJSON *o, const char *name, int64_t id)
{
    if (id)
        web_json_add_i64(o, name, id);
    else
        cJSON_AddNullToObject(o, name);
}

static void html_escape(struct buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': buf_adds(out, "&lt;"); break;
        case '>': buf_adds(out, "&gt;"); break;
        case '&': buf_adds(out, "&amp;"); break;
        case '"': buf_adds(out, "&quot;"); break;
        case '\'': buf_adds(out, "&#39;"); break;
        default: buf_add(out, s, 1); break;
        }
    }
}

static void csv_field(struct buf *b, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        buf_adds(b, s);
        return;
    }
    buf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            buf_add(b, "\"", 1);
        buf_add(b, s, 1);
    }
    buf_add(b, "\"", 1);
}

/* ---- courses ---------------------------------------------------------------------------------------------- */

static int join_code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n < WEB_JOIN_CODE_MIN || n > WEB_JOIN_CODE_MAX)
        return 0;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return 0;
    return 1;
}

static void join_code_generate(char out[JOIN_CODE_LEN + 1])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < JOIN_CODE_LEN; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    out[JOIN_CODE_LEN] = '\0';
}

static int role_json(cJSON *o, const struct web_course_member *m, int member)
{
    if (member)
        cJSON_AddStringToObject(o, "my_role", web_course_role_name(m->role));
    else
        cJSON_AddNullToObject(o, "my_role");
    return 0;
}

/* The course's JSON for the caller: the join code for staff only. */
static int course_json(struct web_req *r, struct web_store *s, const struct web_course *c, cJSON **out,
                       struct err *err)
{
    struct web_course_member me;
    struct web_course_member_list l;
    int rc = web_store_course_member_get(s, c->id, r->user.id, &me, err);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return rc;
    int member = rc == 0, staff = is_admin(r) || (member && me.role != WEB_COURSE_STUDENT);
    if ((rc = web_store_course_members(s, c->id, &l, err)) < 0)
        return rc;
    int64_t students = 0;
    for (size_t i = 0; i < l.n; i++)
        students += l.v[i].role == WEB_COURSE_STUDENT;
    web_course_member_list_release(&l);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", c->id);
    cJSON_AddStringToObject(o, "title", c->title);
    cJSON_AddStringToObject(o, "description", c->description);
    role_json(o, &me, member);
    if (staff)
        cJSON_AddStringToObject(o, "join_code", c->join_code);
    web_json_add_i64(o, "students", students);
    web_json_add_i64(o, "created_at", c->created_at);
    *out = o;
    return 0;
}

static const struct web_json_field course_fields[] = {
    { "title", WEB_JSON_STRING, 1 },
    { "description", WEB_JSON_STRING, 0 },
    { "join_code", WEB_JSON_STRING, 0 },
};

/* Fills c from body's fields (those present); -1 after a reply. */
static int course_from_body(struct web_req *r, const cJSON *body, struct web_course *c)
{
    const char *title = web_json_str(body, "title", NULL), *desc = web_json_str(body, "description", NULL);
    const char *code = web_json_str(body, "join_code", NULL);
    if (title && field_copy(r, "title", title, c->title, sizeof(c->title), 1, 0) < 0)
        return -1;
    if (desc && field_copy(r, "description", desc, c->description, sizeof(c->description), 0, 1) < 0)
        return -1;
    if (code) {
        if (!join_code_valid(code)) {
            web_reply_error(r, 400, "invalid_field", "join_code: %d to %d characters of [A-Za-z0-9_-]",
                            WEB_JOIN_CODE_MIN, WEB_JOIN_CODE_MAX);
            return -1;
        }
        str_fmt(c->join_code, sizeof(c->join_code), "%s", code);
    }
    return 0;
}

void web_api_course_create(struct web_req *r, struct web_store *s)
{
    struct web_course c = { 0 };
    struct web_course_member m = { 0 };
    struct err err;
    int rc = 0;
    if (r->user.role != WEB_ROLE_TEACHER && r->user.role != WEB_ROLE_ORGANIZER && r->user.role != WEB_ROLE_ADMIN) {
        web_reply_error(r, 403, "forbidden", "only teachers, organizers and admins create courses");
        return;
    }
    cJSON *body = web_json_body(r, course_fields, N(course_fields));
    if (!body)
        return;
    if (course_from_body(r, body, &c) < 0)
        goto out;
    int generated = !c.join_code[0];
    c.created_by = r->user.id;
    c.created_at = r->now;
    for (int tries = 0; tries < 5; tries++) {
        if (generated)
            join_code_generate(c.join_code);
        if ((rc = web_store_tx_begin(s, &err)) < 0)
            break;
        rc = web_store_course_create(s, &c, &err);
        if (rc == 0) {
            m.course_id = c.id;
            m.user_id = r->user.id;
            m.role = WEB_COURSE_TEACHER;
            rc = web_store_course_member_put(s, &m, &err);
        }
        if (rc == 0)
            rc = web_store_tx_commit(s, &err);
        if (rc < 0)
            web_store_tx_rollback(s, NULL);
        if (rc != WEB_STORE_CONFLICT || !generated)
            break;
    }
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "code_taken", "join_code: another course has this code");
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    char target[48];
    str_fmt(target, sizeof(target), "course %lld", (long long)c.id);
    web_audit(r, s, "course.create", target, c.title);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", c.id);
    web_reply_json(r, 201, o);
out:
    cJSON_Delete(body);
}

void web_api_course_list(struct web_req *r, struct web_store *s)
{
    struct web_course_list l;
    struct err err;
    int rc = web_store_courses_of_user(s, is_admin(r) ? 0 : r->user.id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "courses");
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        cJSON *x;
        if ((rc = course_json(r, s, &l.v[i], &x, &err)) == 0)
            cJSON_AddItemToArray(arr, x);
    }
    web_course_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

void web_api_course_get(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct err err;
    cJSON *x;
    if (web_course_load(r, s, r->id, &c, &a) < 0)
        return;
    int rc = course_json(r, s, &c, &x, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "course", x);
    web_reply_json(r, 200, o);
}

void web_api_course_patch(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "title", WEB_JSON_STRING, 0 },
        { "description", WEB_JSON_STRING, 0 },
        { "join_code", WEB_JSON_STRING, 0 },
    };
    struct web_course c;
    struct web_course_access a;
    struct err err;
    cJSON *body = NULL, *x;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.teacher, "teachers") < 0)
        return;
    if (!(body = web_json_body(r, fields, N(fields))))
        return;
    if (course_from_body(r, body, &c) < 0)
        goto out;
    int rc = web_store_course_update(s, &c, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "code_taken", "join_code: another course has this code");
        goto out;
    }
    if (rc < 0 || (rc = course_json(r, s, &c, &x, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    char target[48];
    str_fmt(target, sizeof(target), "course %lld", (long long)c.id);
    web_audit(r, s, "course.update", target, c.title);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "course", x);
    web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}

/* POST /api/v1/courses/join: wrong codes count as failed logins do, against
 * the account and the address ("join:" keys), and answer 429 past the limit. */
void web_api_course_join(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = { { "code", WEB_JSON_STRING, 1 } };
    const struct web_config *cfg = r->srv->cfg;
    struct web_course c;
    struct web_course_member m = { 0 };
    struct err err;
    char acc[WEB_NAME_MAX + 8], addr[WEB_ADDRESS_MAX + 8];
    int64_t n_acc = 0, n_addr = 0;
    int rc;
    if (r->user.role == WEB_ROLE_JUDGE) {
        web_reply_error(r, 403, "forbidden", "judge accounts take no courses");
        return;
    }
    cJSON *body = web_json_body(r, fields, N(fields));
    if (!body)
        return;
    str_fmt(acc, sizeof(acc), "join:%lld", (long long)r->user.id);
    str_fmt(addr, sizeof(addr), "join:%s", r->address);
    if ((rc = web_store_login_failure_count(s, WEB_LOGIN_ACCOUNT, acc, r->now, cfg->login_window, &n_acc, &err)) < 0 ||
        (rc = web_store_login_failure_count(s, WEB_LOGIN_ADDRESS, addr, r->now, cfg->login_window, &n_addr, &err)) < 0)
        goto fail;
    if (n_acc >= cfg->login_max_failures || n_addr >= cfg->login_max_failures) {
        char after[16];
        web_reply_error(r, 429, "rate_limited", "too many wrong codes; try again later");
        str_fmt(after, sizeof(after), "%d", cfg->login_window);
        web_reply_header(r, "Retry-After", after);
        goto out;
    }
    rc = web_store_course_by_code(s, web_json_str(body, "code", ""), &c, &err);
    if (rc == ERR_NOTFOUND) {
        int64_t n;
        if ((rc = web_store_login_failure_add(s, WEB_LOGIN_ACCOUNT, acc, r->now, cfg->login_window, &n, &err)) < 0 ||
            (rc = web_store_login_failure_add(s, WEB_LOGIN_ADDRESS, addr, r->now, cfg->login_window, &n, &err)) < 0)
            goto fail;
        web_reply_error(r, 404, "unknown_code", "no course has this code");
        goto out;
    }
    if (rc < 0)
        goto fail;
    /* A member already (a teacher joining their own course) keeps the role. */
    rc = web_store_course_member_get(s, c.id, r->user.id, &m, &err);
    if (rc == ERR_NOTFOUND) {
        memset(&m, 0, sizeof(m));
        m.course_id = c.id;
        m.user_id = r->user.id;
        m.role = WEB_COURSE_STUDENT;
        rc = web_store_course_member_put(s, &m, &err);
        if (rc == 0)
            log_info("web", "user '%s' joined course %lld", r->user.name, (long long)c.id);
    }
    if (rc < 0)
        goto fail;
    web_store_login_failure_clear(s, WEB_LOGIN_ACCOUNT, acc, NULL);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "course", c.id);
    web_reply_json(r, 200, o);
    goto out;
fail:
    web_reply_store_error(r, rc, &err);
out:
    cJSON_Delete(body);
}

/* ---- members ---------------------------------------------------------------------------------------------- */

static cJSON *member_json(const struct web_course_member *m)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "user", m->user_id);
    cJSON_AddStringToObject(o, "name", m->name);
    cJSON_AddStringToObject(o, "display_name", m->display_name);
    cJSON_AddStringToObject(o, "role", web_course_role_name(m->role));
    cJSON_AddStringToObject(o, "student_number", m->student_number);
    cJSON_AddStringToObject(o, "class", m->class_name);
    return o;
}

void web_api_course_members(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct web_course_member_list l;
    struct err err;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.staff, "teachers and TAs") < 0)
        return;
    int rc = web_store_course_members(s, c.id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "members");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, member_json(&l.v[i]));
    web_course_member_list_release(&l);
    web_reply_json(r, 200, o);
}

void web_api_course_member_add(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "user", WEB_JSON_STRING, 1 },
        { "role", WEB_JSON_STRING, 0 },
        { "student_number", WEB_JSON_STRING, 0 },
        { "class", WEB_JSON_STRING, 0 },
    };
    struct web_course c;
    struct web_course_access a;
    struct web_course_member m = { 0 };
    struct web_user u;
    struct err err;
    int rc;
    cJSON *body = NULL;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.teacher, "teachers") < 0)
        return;
    if (!(body = web_json_body(r, fields, N(fields))))
        return;
    const char *name = web_json_str(body, "user", "");
    rc = web_store_user_by_name(s, name, &u, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
        web_reply_error(r, 422, "unknown_user", "user: no user '%.64s'", name);
        goto out;
    }
    if (rc < 0)
        goto fail;
    sodium_memzero(u.password_hash, sizeof(u.password_hash));
    m.role = WEB_COURSE_STUDENT;
    if (web_course_role_parse(web_json_str(body, "role", "student"), &m.role) < 0) {
        web_reply_error(r, 400, "invalid_field", "role: one of student, ta, teacher");
        goto out;
    }
    if (field_copy(r, "student_number", web_json_str(body, "student_number", ""), m.student_number,
                   sizeof(m.student_number), 0, 0) < 0 ||
        field_copy(r, "class", web_json_str(body, "class", ""), m.class_name, sizeof(m.class_name), 0, 0) < 0)
        goto out;
    m.course_id = c.id;
    m.user_id = u.id;
    if ((rc = web_store_course_member_put(s, &m, &err)) < 0 ||
        (rc = web_store_course_member_get(s, c.id, u.id, &m, &err)) < 0)
        goto fail;
    {
        char target[48], detail[WEB_NAME_MAX + 32];
        str_fmt(target, sizeof(target), "course %lld", (long long)c.id);
        str_fmt(detail, sizeof(detail), "%s as %s", u.name, web_course_role_name(m.role));
        web_audit(r, s, "course.member_add", target, detail);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "member", member_json(&m));
    web_reply_json(r, 200, o);
    goto out;
fail:
    web_reply_store_error(r, rc, &err);
out:
    cJSON_Delete(body);
}

void web_api_course_member_remove(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct err err;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.teacher, "teachers") < 0)
        return;
    int rc = web_store_course_member_remove(s, c.id, r->id2, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "user %lld is not a member of this course", (long long)r->id2);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    char target[48], detail[32];
    str_fmt(target, sizeof(target), "course %lld", (long long)c.id);
    str_fmt(detail, sizeof(detail), "user %lld", (long long)r->id2);
    web_audit(r, s, "course.member_remove", target, detail);
    web_reply_empty(r, 204);
}

/* ---- POST /api/v1/courses/{id}/roster ---------------------------------------------------------------------
 * Like the users import (api_admin.c, whose account rules it shares): every
 * row is checked first and any bad row refuses the whole file, listing the
 * lines; then new accounts' generated passwords are hashed (slowly, outside
 * any transaction) and the accounts and enrolments written in one
 * transaction. A row whose username exists enrols that account. */
enum { RC_NUMBER, RC_NAME, RC_CLASS, RC_USERNAME, RC_EMAIL, RC_NCOLS };
static const char *const roster_cols[RC_NCOLS] = { "student_number", "name", "class", "username", "email" };

struct roster_row {
    size_t line;
    const char *col[RC_NCOLS];
    char username[WEB_NAME_MAX + 1];
    int64_t user_id;                        /* existing account; 0: create one */
    char password[WEB_GENERATED_PASSWORD_LEN + 1];
    char hash[WEB_PASSWORD_HASH_MAX + 1];
};

struct roster {
    struct roster_row *rows;
    size_t n;
    struct web_bad_rows br;                 /* the rows refused, for the reply */
};

static int roster_header(struct web_req *r, const struct web_csv_row *h, int map[ROSTER_FIELDS_MAX])
{
    int seen[RC_NCOLS] = { 0 };
    for (size_t i = 0; i < h->n; i++) {
        int c = -1;
        for (int k = 0; k < RC_NCOLS; k++)
            if (!strcasecmp(h->v[i], roster_cols[k]))
                c = k;
        if (c < 0 || seen[c]++) {
            web_reply_error(r, 400, "invalid_csv", "line %zu: column '%.32s' is unknown or repeated (the columns "
                            "are student_number, name, class, username, email)", h->line, h->v[i]);
            return -1;
        }
        map[i] = c;
    }
    if (!seen[RC_NUMBER] || !seen[RC_NAME]) {
        web_reply_error(r, 400, "invalid_csv", "line %zu: the header needs student_number and name columns",
                        h->line);
        return -1;
    }
    return 0;
}

static int roster_check(struct web_store *s, struct roster *ro, struct roster_row *row, struct err *err)
{
    const char *why, *num = row->col[RC_NUMBER];
    size_t nl = strlen(num);
    if (nl == 0 || nl > WEB_STUDENT_NUMBER_MAX || !utf8_valid(num, nl, UTF8_NO_CONTROLS))
        web_bad_row(&ro->br, row->line, "student_number must be text of 1 to %d bytes", WEB_STUDENT_NUMBER_MAX);
    if ((why = web_user_display_name_problem(row->col[RC_NAME])))
        web_bad_row(&ro->br, row->line, "name: %s", why);
    if (strlen(row->col[RC_CLASS]) > WEB_TITLE_MAX || !utf8_valid(row->col[RC_CLASS], strlen(row->col[RC_CLASS]),
                                                                  UTF8_NO_CONTROLS))
        web_bad_row(&ro->br, row->line, "class must be text of at most %d bytes", WEB_TITLE_MAX);
    if ((why = web_user_email_problem(row->col[RC_EMAIL])))
        web_bad_row(&ro->br, row->line, "%s", why);
    const char *user = row->col[RC_USERNAME][0] ? row->col[RC_USERNAME] : num;
    if ((why = web_user_name_problem(user))) {
        web_bad_row(&ro->br, row->line, "username '%.64s': %s%s", user, why,
                   row->col[RC_USERNAME][0] ? "" : " (derived from the student number; give a username column)");
        return 0;
    }
    str_fmt(row->username, sizeof(row->username), "%s", user);
    for (size_t k = 0; k < ro->n; k++) {
        if (!strcasecmp(ro->rows[k].username, row->username))
            web_bad_row(&ro->br, row->line, "username '%s' is also on line %zu", row->username, ro->rows[k].line);
        if (!strcmp(ro->rows[k].col[RC_NUMBER], num))
            web_bad_row(&ro->br, row->line, "student number '%.64s' is also on line %zu", num, ro->rows[k].line);
    }
    struct web_user u;
    int rc = web_store_user_by_name(s, row->username, &u, err);
    if (rc == 0) {
        sodium_memzero(u.password_hash, sizeof(u.password_hash));
        row->user_id = u.id;
        if (u.role == WEB_ROLE_JUDGE || u.disabled)
            web_bad_row(&ro->br, row->line, "account '%s' cannot be enrolled", u.name);
    } else if (rc != ERR_NOTFOUND) {
        return rc;
    }
    return 0;
}

static int roster_store(struct web_req *r, struct web_store *s, int64_t course_id, struct roster *ro,
                        size_t *failed_line, struct err *err)
{
    int rc = web_store_tx_begin(s, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < ro->n && rc == 0; i++) {
        struct roster_row *row = &ro->rows[i];
        struct web_course_member m = { 0 };
        m.role = WEB_COURSE_STUDENT;
        *failed_line = row->line;
        if (!row->user_id) {
            struct web_user u = { 0 };
            str_fmt(u.name, sizeof(u.name), "%s", row->username);
            str_fmt(u.display_name, sizeof(u.display_name), "%s", row->col[RC_NAME]);
            str_fmt(u.email, sizeof(u.email), "%s", row->col[RC_EMAIL]);
            memcpy(u.password_hash, row->hash, sizeof(u.password_hash));
            u.role = WEB_ROLE_CONTESTANT;
            u.created_at = r->now;
            rc = web_store_user_create(s, &u, err);
            sodium_memzero(u.password_hash, sizeof(u.password_hash));
            if (rc < 0)
                break;
            row->user_id = u.id;
        } else {
            /* an existing teacher or TA of the course stays one */
            struct web_course_member old;
            rc = web_store_course_member_get(s, course_id, row->user_id, &old, err);
            if (rc == 0)
                m.role = old.role;
            else if (rc != ERR_NOTFOUND)
                break;
            rc = 0;
        }
        m.course_id = course_id;
        m.user_id = row->user_id;
        str_fmt(m.student_number, sizeof(m.student_number), "%s", row->col[RC_NUMBER]);
        str_fmt(m.class_name, sizeof(m.class_name), "%s", row->col[RC_CLASS]);
        rc = web_store_course_member_put(s, &m, err);
    }
    if (rc == 0)
        return web_store_tx_commit(s, err);
    web_store_tx_rollback(s, NULL);
    return rc;
}

void web_api_course_roster(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct web_csv csv = { 0 };
    struct roster ro = { 0 };
    struct buf data;
    struct err err;
    int map[ROSTER_FIELDS_MAX];
    int rc;
    buf_init(&data, (size_t)WEB_BODY_CSV_MAX);
    buf_init(&ro.br.summary, 1024);
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.teacher, "teachers") < 0)
        goto out;
    if (web_csv_upload(r, &data, ROSTER_FIELDS_MAX, &csv) < 0)
        goto out;
    if (csv.n < 2) {
        web_reply_error(r, 400, "invalid_csv", "a header row (student_number,name,class) and students are needed");
        goto out;
    }
    if (roster_header(r, &csv.rows[0], map) < 0)
        goto out;
    ro.rows = calloc(csv.n, sizeof(*ro.rows));
    ro.br.bad = cJSON_CreateArray();
    if (!ro.rows)
        abort();
    for (size_t i = 1; i < csv.n; i++) {
        const struct web_csv_row *cr = &csv.rows[i];
        if (cr->n == 1 && !cr->v[0][0])
            continue;
        struct roster_row *row = &ro.rows[ro.n];
        row->line = cr->line;
        for (int k = 0; k < RC_NCOLS; k++)
            row->col[k] = "";
        if (cr->n != csv.rows[0].n) {
            web_bad_row(&ro.br, cr->line, "%zu fields where the header has %zu", cr->n, csv.rows[0].n);
            continue;
        }
        for (size_t k = 0; k < cr->n; k++)
            row->col[map[k]] = cr->v[k];
        if ((rc = roster_check(s, &ro, row, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        ro.n++;
    }
    if (ro.br.nbad || ro.n == 0) {
        cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
        char msg[ERR_MSG_MAX];
        str_fmt(msg, sizeof(msg), "%zu bad row%s, nothing enrolled: %s%s", ro.br.nbad, ro.br.nbad == 1 ? "" : "s",
                ro.n ? ro.br.summary.buf : "no students in the file", ro.br.nbad > 5 ? "; ..." : "");
        cJSON_AddStringToObject(e, "code", "invalid_csv");
        web_json_add_text(e, "message", msg, strlen(msg));
        cJSON_AddItemToObject(e, "rows", ro.br.bad);
        ro.br.bad = NULL;
        web_reply_json(r, 400, o);
        goto out;
    }
    for (size_t i = 0; i < ro.n; i++) {
        if (ro.rows[i].user_id)
            continue;
        web_password_generate(ro.rows[i].password);
        if ((rc = web_password_hash(ro.rows[i].password, ro.rows[i].hash, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    size_t failed_line = 0;
    rc = roster_store(r, s, c.id, &ro, &failed_line, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "name_taken", "line %zu: %s (nothing enrolled)", failed_line, err.msg);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *arr;
    size_t created = 0;
    web_json_add_i64(o, "enrolled", (int64_t)ro.n);
    arr = cJSON_AddArrayToObject(o, "created");
    for (size_t i = 0; i < ro.n; i++) {
        if (!ro.rows[i].password[0])
            continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", ro.rows[i].username);
        cJSON_AddStringToObject(x, "student_number", ro.rows[i].col[RC_NUMBER]);
        cJSON_AddStringToObject(x, "password", ro.rows[i].password);
        cJSON_AddItemToArray(arr, x);
        created++;
    }
    {
        char target[48], detail[96];
        str_fmt(target, sizeof(target), "course %lld", (long long)c.id);
        str_fmt(detail, sizeof(detail), "%zu students enrolled, %zu accounts created", ro.n, created);
        web_audit(r, s, "course.roster", target, detail);
    }
    web_reply_json(r, 200, o);
out:
    if (ro.rows) {
        sodium_memzero(ro.rows, csv.n * sizeof(*ro.rows));
        free(ro.rows);
    }
    cJSON_Delete(ro.br.bad);
    buf_release(&ro.br.summary);
    web_csv_release(&csv);
    buf_release(&data);
}

/* ---- units and lessons ------------------------------------------------------------------------------------ */

/* 1 if unit id belongs to the course. */
static int unit_in_course(struct web_store *s, int64_t course_id, int64_t unit_id, int *found, struct err *err)
{
    struct web_course_unit_list l;
    int rc = web_store_course_units(s, course_id, &l, err);
    *found = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        *found |= l.v[i].id == unit_id;
    web_course_unit_list_release(&l);
    return rc;
}

void web_api_course_units(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct web_course_unit_list units = { 0 };
    struct web_lesson_list lessons = { 0 };
    struct web_assignment_list as = { 0 };
    struct err err;
    int rc;
    if (web_course_load(r, s, r->id, &c, &a) < 0)
        return;
    if ((rc = web_store_course_units(s, c.id, &units, &err)) < 0 ||
        (rc = web_store_lessons_of_course(s, c.id, &lessons, &err)) < 0 ||
        (rc = web_store_assignments_of_course(s, c.id, &as, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "units");
    for (size_t i = 0; i < units.n; i++) {
        cJSON *u = cJSON_CreateObject(), *la, *aa;
        web_json_add_i64(u, "id", units.v[i].id);
        cJSON_AddStringToObject(u, "title", units.v[i].title);
        web_json_add_i64(u, "position", units.v[i].position);
        la = cJSON_AddArrayToObject(u, "lessons");
        for (size_t k = 0; k < lessons.n; k++) {
            if (lessons.v[k].unit_id != units.v[i].id)
                continue;
            cJSON *x = cJSON_CreateObject();
            web_json_add_i64(x, "id", lessons.v[k].id);
            cJSON_AddStringToObject(x, "title", lessons.v[k].title);
            web_json_add_i64(x, "position", lessons.v[k].position);
            cJSON_AddItemToArray(la, x);
        }
        aa = cJSON_AddArrayToObject(u, "assignments");
        for (size_t k = 0; k < as.n; k++) {
            if (as.v[k].unit_id != units.v[i].id)
                continue;
            cJSON *x = cJSON_CreateObject();
            web_json_add_i64(x, "id", as.v[k].id);
            cJSON_AddStringToObject(x, "title", as.v[k].title);
            web_json_add_i64(x, "open_time", as.v[k].open_time);
            web_json_add_i64(x, "due_time", as.v[k].due_time);
            cJSON_AddItemToArray(aa, x);
        }
        cJSON_AddItemToArray(arr, u);
    }
    web_reply_json(r, 200, o);
out:
    web_course_unit_list_release(&units);
    web_lesson_list_release(&lessons);
    web_assignment_list_release(&as);
}

void web_api_course_unit_create(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "title", WEB_JSON_STRING, 1 },
        { "position", WEB_JSON_INT, 0 },
    };
    struct web_course c;
    struct web_course_access a;
    struct web_course_unit u = { 0 };
    struct err err;
    cJSON *body;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, fields, N(fields))))
        return;
    if (field_copy(r, "title", web_json_str(body, "title", ""), u.title, sizeof(u.title), 1, 0) == 0) {
        u.course_id = c.id;
        u.position = web_json_i64(body, "position", 0);
        int rc = web_store_course_unit_create(s, &u, &err);
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
        } else {
            cJSON *o = cJSON_CreateObject();
            web_json_add_i64(o, "id", u.id);
            web_reply_json(r, 201, o);
        }
    }
    cJSON_Delete(body);
}

static const struct web_json_field lesson_fields[] = {
    { "unit", WEB_JSON_INT, 0 },
    { "title", WEB_JSON_STRING, 0 },
    { "markdown", WEB_JSON_STRING, 0 },
    { "position", WEB_JSON_INT, 0 },
};

/* Fills l from the body's fields (those present); -1 after a reply. */
static int lesson_from_body(struct web_req *r, struct web_store *s, const cJSON *body, struct web_lesson *l)
{
    struct err err;
    int found, rc;
    const char *title = web_json_str(body, "title", NULL), *md = web_json_str(body, "markdown", NULL);
    if (title && field_copy(r, "title", title, l->title, sizeof(l->title), 1, 0) < 0)
        return -1;
    if (md) {
        size_t n = strlen(md);
        if (n > WEB_LESSON_MARKDOWN_MAX) {
            web_reply_error(r, 413, "too_large", "markdown: at most %zu bytes", WEB_LESSON_MARKDOWN_MAX);
            return -1;
        }
        if (!utf8_valid(md, n, UTF8_NO_CONTROLS | UTF8_ALLOW_LINES)) {
            web_reply_error(r, 400, "invalid_field", "markdown: must be text");
            return -1;
        }
        l->markdown = (char *)md;           /* borrowed from body for the store call */
    }
    if (cJSON_GetObjectItemCaseSensitive(body, "unit")) {
        l->unit_id = web_json_i64(body, "unit", 0);
        if (l->unit_id <= 0 || (rc = unit_in_course(s, l->course_id, l->unit_id, &found, &err)) < 0 || !found) {
            web_reply_error(r, 422, "unknown_unit", "unit: no unit %lld in this course", (long long)l->unit_id);
            return -1;
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(body, "position"))
        l->position = web_json_i64(body, "position", 0);
    return 0;
}

void web_api_lesson_create(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access a;
    struct web_lesson l = { 0 };
    struct err err;
    cJSON *body;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, lesson_fields, N(lesson_fields))))
        return;
    if (!cJSON_GetObjectItemCaseSensitive(body, "unit") || !cJSON_GetObjectItemCaseSensitive(body, "title") ||
        !cJSON_GetObjectItemCaseSensitive(body, "markdown")) {
        web_reply_error(r, 400, "invalid_field", "unit, title and markdown are required");
        goto out;
    }
    l.course_id = c.id;
    l.created_at = r->now;
    if (lesson_from_body(r, s, body, &l) < 0)
        goto out;
    int rc = web_store_lesson_create(s, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", l.id);
    web_reply_json(r, 201, o);
out:
    cJSON_Delete(body);
}

/* Loads lesson r->id and its course's standing; -1 after a 404. */
static int lesson_load(struct web_req *r, struct web_store *s, struct web_lesson *l, struct web_course_access *a)
{
    struct err err;
    int rc = web_store_lesson_by_id(s, r->id, l, &err);
    if (rc == 0 && (rc = course_access_get(r, s, l->course_id, a, &err)) == 0 && !a->member)
        rc = ERR_NOTFOUND;
    if (rc == 0)
        return 0;
    web_lesson_release(l);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID)
        web_reply_error(r, 404, "not_found", "no lesson %lld", (long long)r->id);
    else
        web_reply_store_error(r, rc, &err);
    return -1;
}

/* How a lesson embeds problems: a line holding only {{problem:SHORT_NAME}}
 * (outside fenced code) becomes a placeholder paragraph before md4c runs,
 * and the rendered `<p>PLACEHOLDER</p>` becomes the link; a placeholder
 * that md4c did not leave as its own paragraph (in an indented block, a
 * list) gets its line back as text. */
#define EMBED_MAX 100
#define EMBED_TOKEN "CRUCIBLEEMBED%03zuZ"

struct embed {
    int64_t problem_id;                     /* 0: no such problem, the line stays as text */
    char line[WEB_NAME_MAX + 16];
    char title[WEB_TITLE_MAX + 1];
    char short_name[WEB_NAME_MAX + 1];
};

/* 1 and the name when line[0..len) is {{problem:NAME}} (spaces around allowed). */
static int embed_line(const char *line, size_t len, char name[WEB_NAME_MAX + 1])
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    if (len < 13 || strncmp(line, "{{problem:", 10) || strncmp(line + len - 2, "}}", 2))
        return 0;
    size_t n = len - 12;
    if (n == 0 || n > WEB_NAME_MAX)
        return 0;
    memcpy(name, line + 10, n);
    name[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
              (name[i] >= '0' && name[i] <= '9') || name[i] == '.' || name[i] == '_' || name[i] == '-'))
            return 0;
    return 1;
}

/* Replaces every `from` in b with `to`. */
static void buf_replace_all(struct buf *b, const char *from, const char *to)
{
    struct buf out;
    size_t fl = strlen(from);
    const char *p = b->buf, *hit;
    if (!b->len || !strstr(b->buf, from))
        return;
    buf_init(&out, 0);
    while ((hit = strstr(p, from))) {
        buf_add(&out, p, (size_t)(hit - p));
        buf_adds(&out, to);
        p = hit + fl;
    }
    buf_adds(&out, p);
    buf_release(b);
    *b = out;
}

static int lesson_render(struct web_store *s, const char *md, struct buf *html, struct embed *emb, size_t *nemb,
                         struct err *err)
{
    struct buf src;
    int rc = 0;
    int fenced = 0;                         /* inside a ``` or ~~~ code block: no embedding */
    buf_init(&src, 0);
    *nemb = 0;
    for (const char *p = md; *p;) {
        size_t len = strcspn(p, "\n"), lead = strspn(p, " ");
        char name[WEB_NAME_MAX + 1];
        if (lead < 4 && lead + 3 <= len && (!strncmp(p + lead, "```", 3) || !strncmp(p + lead, "~~~", 3)))
            fenced = !fenced;
        if (!fenced && *nemb < EMBED_MAX && embed_line(p, len, name)) {
            struct embed *e = &emb[*nemb];
            struct web_problem pr;
            memset(e, 0, sizeof(*e));
            str_fmt(e->line, sizeof(e->line), "{{problem:%s}}", name);
            rc = web_store_problem_by_name(s, name, &pr, err);
            if (rc == 0) {
                e->problem_id = pr.id;
                str_fmt(e->title, sizeof(e->title), "%s", pr.title);
                str_fmt(e->short_name, sizeof(e->short_name), "%s", pr.short_name);
            } else if (rc != ERR_NOTFOUND && rc != ERR_INVALID) {
                goto out;
            }
            rc = 0;
            buf_addf(&src, "\n" EMBED_TOKEN "\n\n", *nemb);
            (*nemb)++;
        } else {
            buf_add(&src, p, len);
            buf_add(&src, "\n", 1);
        }
        p += len + (p[len] == '\n');
    }
    if ((rc = web_markdown_render(src.buf, src.len, html)) < 0) {
        rc = err_set(err, rc, "cannot render the lesson");
        goto out;
    }
    for (size_t i = 0; i < *nemb; i++) {
        char token[32], para[48];
        struct buf link;
        buf_init(&link, 0);
        str_fmt(token, sizeof(token), EMBED_TOKEN, i);
        str_fmt(para, sizeof(para), "<p>%s</p>", token);
        if (emb[i].problem_id) {
            buf_addf(&link, "<p><a class=\"embedded-problem\" href=\"/problems/%lld\">", (long long)emb[i].problem_id);
            html_escape(&link, emb[i].title);
            buf_adds(&link, "</a></p>");
        } else {
            buf_adds(&link, "<p>");
            html_escape(&link, emb[i].line);
            buf_adds(&link, "</p>");
        }
        buf_replace_all(html, para, link.buf);
        buf_reset(&link);
        html_escape(&link, emb[i].line);
        buf_replace_all(html, token, link.buf);
        buf_release(&link);
    }
out:
    buf_release(&src);
    return rc;
}

/* Renders md into x's "html" and "problems" (the embedded ones found);
 * -1 after a store error's reply. */
static int lesson_render_json(struct web_req *r, struct web_store *s, const char *md, cJSON *x)
{
    struct embed *emb = calloc(EMBED_MAX, sizeof(*emb));
    struct buf html;
    struct err err;
    size_t nemb = 0;
    if (!emb)
        abort();
    buf_init(&html, 0);
    int rc = lesson_render(s, md, &html, emb, &nemb, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
    } else {
        web_json_add_text(x, "html", html.buf, html.len);
        cJSON *arr = cJSON_AddArrayToObject(x, "problems");
        for (size_t i = 0; i < nemb; i++) {
            if (!emb[i].problem_id)
                continue;
            cJSON *p = cJSON_CreateObject();
            web_json_add_i64(p, "problem", emb[i].problem_id);
            cJSON_AddStringToObject(p, "short_name", emb[i].short_name);
            cJSON_AddStringToObject(p, "title", emb[i].title);
            cJSON_AddItemToArray(arr, p);
        }
    }
    buf_release(&html);
    free(emb);
    return rc < 0 ? -1 : 0;
}

void web_api_lesson_get(struct web_req *r, struct web_store *s)
{
    struct web_lesson l;
    struct web_course_access a;
    if (lesson_load(r, s, &l, &a) < 0)
        return;
    cJSON *o = cJSON_CreateObject(), *x = cJSON_AddObjectToObject(o, "lesson");
    web_json_add_i64(x, "id", l.id);
    web_json_add_i64(x, "course", l.course_id);
    web_json_add_i64(x, "unit", l.unit_id);
    cJSON_AddStringToObject(x, "title", l.title);
    web_json_add_i64(x, "position", l.position);
    cJSON_AddStringToObject(x, "markdown", l.markdown ? l.markdown : "");
    if (lesson_render_json(r, s, l.markdown ? l.markdown : "", x) < 0)
        cJSON_Delete(o);
    else
        web_reply_json(r, 200, o);
    web_lesson_release(&l);
}

/* POST /api/v1/courses/{id}/lessons/preview: {"markdown"} rendered as a
 * lesson would be, stored nowhere; for the editor's preview (staff). */
void web_api_lesson_preview(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = { { "markdown", WEB_JSON_STRING, 1 } };
    struct web_course c;
    struct web_course_access a;
    struct web_lesson l = { 0 };
    cJSON *body;
    if (web_course_load(r, s, r->id, &c, &a) < 0 || need(r, a.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, fields, N(fields))))
        return;
    if (lesson_from_body(r, s, body, &l) == 0) {
        cJSON *o = cJSON_CreateObject();
        if (lesson_render_json(r, s, l.markdown, o) < 0)
            cJSON_Delete(o);
        else
            web_reply_json(r, 200, o);
    }
    cJSON_Delete(body);
}

void web_api_lesson_patch(struct web_req *r, struct web_store *s)
{
    struct web_lesson l;
    struct web_course_access a;
    struct err err;
    cJSON *body = NULL;
    if (lesson_load(r, s, &l, &a) < 0)
        return;
    char *stored = l.markdown;
    if (need(r, a.staff, "teachers and TAs") < 0 || !(body = web_json_body(r, lesson_fields, N(lesson_fields))))
        goto out;
    if (lesson_from_body(r, s, body, &l) < 0)
        goto out;
    int rc = web_store_lesson_update(s, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    char target[48];
    str_fmt(target, sizeof(target), "lesson %lld", (long long)l.id);
    web_audit(r, s, "lesson.update", target, l.title);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", l.id);
    web_reply_json(r, 200, o);
out:
    free(stored);
    cJSON_Delete(body);
}

void web_api_lesson_delete(struct web_req *r, struct web_store *s)
{
    struct web_lesson l;
    struct web_course_access a;
    struct err err;
    if (lesson_load(r, s, &l, &a) < 0)
        return;
    web_lesson_release(&l);
    if (need(r, a.staff, "teachers and TAs") < 0)
        return;
    int rc = web_store_lesson_delete(s, l.id, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    char target[48];
    str_fmt(target, sizeof(target), "lesson %lld", (long long)l.id);
    web_audit(r, s, "lesson.delete", target, l.title);
    web_reply_empty(r, 204);
}

/* ---- assignments ------------------------------------------------------------------------------------------ */

static const struct web_json_field assignment_fields[] = {
    { "title", WEB_JSON_STRING, 0 },
    { "unit", WEB_JSON_INT_OR_NULL, 0 },
    { "open_time", WEB_JSON_INT, 0 },
    { "due_time", WEB_JSON_INT, 0 },
    { "late_until", WEB_JSON_INT, 0 },
    { "late_rule", WEB_JSON_OBJECT, 0 },
    { "counting", WEB_JSON_STRING, 0 },
    { "problems", WEB_JSON_ARRAY, 0 },
};
static const struct web_json_field late_rule_fields[] = {
    { "kind", WEB_JSON_STRING, 1 },
    { "value", WEB_JSON_NUMBER, 0 },
};
static const struct web_json_field problem_fields[] = {
    { "problem", WEB_JSON_INT, 1 },
    { "points", WEB_JSON_NUMBER, 0 },
    { "feedback", WEB_JSON_STRING, 0 },
    { "template", WEB_JSON_STRING, 0 },
};

/* The problems[] of a body into p (templates borrowed from the body); a
 * problem may be set by staff (admins, organizers) if it exists, by others
 * if it is published or theirs. -1 after a reply. */
static int problems_from_body(struct web_req *r, struct web_store *s, const cJSON *arr,
                              struct web_assignment_problem *p, size_t *n)
{
    struct err err;
    char msg[ERR_MSG_MAX], where[32];
    *n = 0;
    if (cJSON_GetArraySize(arr) > WEB_ASSIGNMENT_PROBLEMS_MAX) {
        web_reply_error(r, 413, "too_large", "problems: at most %d", WEB_ASSIGNMENT_PROBLEMS_MAX);
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        struct web_assignment_problem *x = &p[*n];
        struct web_problem pr;
        str_fmt(where, sizeof(where), "problems[%zu]", *n);
        if (web_json_check(it, problem_fields, N(problem_fields), where, msg, sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            return -1;
        }
        memset(x, 0, sizeof(*x));
        x->problem_id = web_json_i64(it, "problem", 0);
        x->position = (int64_t)*n;
        x->points = web_json_num(it, "points", 100);
        if (!(x->points >= 0 && x->points <= 1e6)) {
            web_reply_error(r, 400, "invalid_field", "%s.points: a number in [0, 1000000]", where);
            return -1;
        }
        if (web_feedback_parse(web_json_str(it, "feedback", "all"), &x->feedback) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s.feedback: one of all, samples, after_due", where);
            return -1;
        }
        const char *tpl = web_json_str(it, "template", "");
        if (strlen(tpl) > WEB_TEMPLATE_MAX || !utf8_valid(tpl, strlen(tpl), UTF8_NO_CONTROLS | UTF8_ALLOW_LINES)) {
            web_reply_error(r, 400, "invalid_field", "%s.template: text of at most %zu bytes", where,
                            WEB_TEMPLATE_MAX);
            return -1;
        }
        x->template_text = (char *)tpl;
        int rc = web_store_problem_by_id(s, x->problem_id > 0 ? x->problem_id : 0, &pr, &err);
        if (rc == 0 && !web_req_is_staff(r) && !pr.published && pr.created_by != r->user.id)
            rc = ERR_NOTFOUND;
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
            web_reply_error(r, 422, "unknown_problem", "%s.problem: no problem %lld", where,
                            (long long)x->problem_id);
            return -1;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        for (size_t k = 0; k < *n; k++)
            if (p[k].problem_id == x->problem_id) {
                web_reply_error(r, 400, "invalid_field", "%s.problem: problem %lld is listed twice", where,
                                (long long)x->problem_id);
                return -1;
            }
        (*n)++;
    }
    return 0;
}

/* Applies the body's fields to a (those present); -1 after a reply. */
static int assignment_from_body(struct web_req *r, struct web_store *s, const cJSON *body, struct web_assignment *a)
{
    struct err err;
    int found;
    const char *title = web_json_str(body, "title", NULL);
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(body, "unit");
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(body, "late_rule");
    char msg[ERR_MSG_MAX];
    if (title && field_copy(r, "title", title, a->title, sizeof(a->title), 1, 0) < 0)
        return -1;
    if (unit) {
        a->unit_id = cJSON_IsNull(unit) ? 0 : web_json_i64(body, "unit", 0);
        if (a->unit_id && (unit_in_course(s, a->course_id, a->unit_id, &found, &err) < 0 || !found)) {
            web_reply_error(r, 422, "unknown_unit", "unit: no unit %lld in this course", (long long)a->unit_id);
            return -1;
        }
        if (!a->unit_id && !cJSON_IsNull(unit)) {
            web_reply_error(r, 422, "unknown_unit", "unit: an id or null");
            return -1;
        }
    }
    int64_t old_late = a->late_until - a->due_time;
    a->open_time = web_json_i64(body, "open_time", a->open_time);
    a->due_time = web_json_i64(body, "due_time", a->due_time);
    /* late_until follows a changed due time unless given */
    a->late_until = web_json_i64(body, "late_until", a->due_time + (old_late > 0 ? old_late : 0));
    if (a->open_time < 0 || a->due_time < a->open_time || a->late_until < a->due_time) {
        web_reply_error(r, 400, "invalid_field", "times: 0 <= open_time <= due_time <= late_until");
        return -1;
    }
    if (rule) {
        if (web_json_check(rule, late_rule_fields, N(late_rule_fields), "late_rule", msg, sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            return -1;
        }
        if (web_late_rule_parse(web_json_str(rule, "kind", ""), &a->late_rule) < 0) {
            web_reply_error(r, 400, "invalid_field", "late_rule.kind: none, percent_per_day or coefficient_per_hour");
            return -1;
        }
        a->late_value = web_json_num(rule, "value", 0);
        if ((a->late_rule == WEB_LATE_PERCENT_PER_DAY && !(a->late_value >= 0 && a->late_value <= 100)) ||
            (a->late_rule == WEB_LATE_COEFFICIENT_PER_HOUR && !(a->late_value > 0 && a->late_value <= 1))) {
            web_reply_error(r, 400, "invalid_field", "late_rule.value: a percentage in [0, 100] per day, or a "
                            "coefficient in (0, 1] per hour");
            return -1;
        }
        if (a->late_rule == WEB_LATE_NONE)
            a->late_value = 0;
    }
    const char *counting = web_json_str(body, "counting", NULL);
    if (counting && web_counting_parse(counting, &a->counting) < 0) {
        web_reply_error(r, 400, "invalid_field", "counting: best or last");
        return -1;
    }
    return 0;
}

static void add_late_rule(cJSON *o, const struct web_assignment *a)
{
    cJSON *lr = cJSON_AddObjectToObject(o, "late_rule");
    cJSON_AddStringToObject(lr, "kind", web_late_rule_name(a->late_rule));
    cJSON_AddNumberToObject(lr, "value", a->late_value);
}

/* The student's due time and late-until (their extension, else the assignment's). */
static int student_times(struct web_store *s, const struct web_assignment *a, int64_t user_id, int64_t *due,
                         int64_t *late, struct err *err)
{
    struct web_extension e;
    *due = a->due_time;
    *late = a->late_until;
    int rc = web_store_extension_get(s, a->id, user_id, &e, err);
    if (rc == 0) {
        *due = e.due_time;
        *late = e.late_until;
    }
    return rc == ERR_NOTFOUND ? 0 : rc;
}

/* The assignment's JSON; problems (NULL: left out) shown to students only once it opened. */
static int assignment_json(struct web_req *r, struct web_store *s, const struct web_assignment *a,
                           const struct web_course_access *acc, const struct web_assignment_problem_list *pl,
                           cJSON **out, struct err *err)
{
    int64_t due, late;
    int rc = student_times(s, a, r->user.id, &due, &late, err);
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", a->id);
    web_json_add_i64(o, "course", a->course_id);
    cJSON_AddStringToObject(o, "title", a->title);
    json_id_or_null(o, "unit", a->unit_id);
    web_json_add_i64(o, "open_time", a->open_time);
    web_json_add_i64(o, "due_time", a->due_time);
    web_json_add_i64(o, "late_until", a->late_until);
    add_late_rule(o, a);
    cJSON_AddStringToObject(o, "counting", web_counting_name(a->counting));
    web_json_add_i64(o, "my_due_time", due);
    web_json_add_i64(o, "my_late_until", late);
    if (pl) {
        cJSON *arr = cJSON_AddArrayToObject(o, "problems");
        for (size_t i = 0; i < pl->n && (acc->staff || r->now >= a->open_time); i++) {
            const struct web_assignment_problem *p = &pl->v[i];
            cJSON *x = cJSON_CreateObject();
            web_json_add_i64(x, "problem", p->problem_id);
            cJSON_AddStringToObject(x, "short_name", p->short_name);
            cJSON_AddStringToObject(x, "title", p->title);
            cJSON_AddNumberToObject(x, "points", p->points);
            cJSON_AddStringToObject(x, "feedback", web_feedback_name(p->feedback));
            cJSON_AddStringToObject(x, "template", p->template_text ? p->template_text : "");
            cJSON_AddItemToArray(arr, x);
        }
    }
    *out = o;
    return 0;
}

static void assignment_audit(struct web_req *r, struct web_store *s, const char *action, const struct web_assignment *a)
{
    char target[48];
    str_fmt(target, sizeof(target), "assignment %lld", (long long)a->id);
    web_audit(r, s, action, target, a->title);
}

void web_api_assignment_create(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access acc;
    struct web_assignment a = { 0 };
    struct web_assignment_problem *p = NULL;
    struct err err;
    size_t n = 0;
    cJSON *body;
    if (web_course_load(r, s, r->id, &c, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, assignment_fields, N(assignment_fields))))
        return;
    if (!web_json_str(body, "title", NULL) || !cJSON_GetObjectItemCaseSensitive(body, "open_time") ||
        !cJSON_GetObjectItemCaseSensitive(body, "due_time") || !cJSON_GetObjectItemCaseSensitive(body, "problems")) {
        web_reply_error(r, 400, "invalid_field", "title, open_time, due_time and problems are required");
        goto out;
    }
    a.course_id = c.id;
    a.created_at = r->now;
    a.late_rule = WEB_LATE_NONE;
    a.counting = WEB_COUNT_BEST;
    p = calloc(WEB_ASSIGNMENT_PROBLEMS_MAX, sizeof(*p));
    if (!p)
        abort();
    if (assignment_from_body(r, s, body, &a) < 0 ||
        problems_from_body(r, s, cJSON_GetObjectItemCaseSensitive(body, "problems"), p, &n) < 0)
        goto out;
    int rc = web_store_assignment_create(s, &a, p, n, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    assignment_audit(r, s, "assignment.create", &a);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", a.id);
    web_reply_json(r, 201, o);
out:
    free(p);
    cJSON_Delete(body);
}

void web_api_assignment_list(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access acc;
    struct web_assignment_list l;
    struct err err;
    if (web_course_load(r, s, r->id, &c, &acc) < 0)
        return;
    int rc = web_store_assignments_of_course(s, c.id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "assignments");
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        cJSON *x;
        if ((rc = assignment_json(r, s, &l.v[i], &acc, NULL, &x, &err)) == 0)
            cJSON_AddItemToArray(arr, x);
    }
    web_assignment_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

void web_api_assignment_get(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_assignment_problem_list pl = { 0 };
    struct err err;
    cJSON *x;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0)
        return;
    int rc = web_store_assignment_problems(s, a.id, &pl, &err);
    if (rc == 0)
        rc = assignment_json(r, s, &a, &acc, &pl, &x, &err);
    web_assignment_problem_list_release(&pl);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "assignment", x);
    web_reply_json(r, 200, o);
}

/* GET /api/v1/assignments/{id}/problems/{id2}: one problem of the
 * assignment as its page shows it (statement, samples, limits, points,
 * feedback, template), to members once the assignment is open (staff at
 * any time); the problem need not be published in the archive. */
void web_api_assignment_problem(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_assignment_problem_list pl = { 0 };
    struct web_problem p;
    struct err err;
    int rc;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0)
        return;
    if ((rc = web_store_assignment_problems(s, a.id, &pl, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    const struct web_assignment_problem *ap = NULL;
    for (size_t i = 0; i < pl.n && (acc.staff || r->now >= a.open_time); i++)
        if (pl.v[i].problem_id == r->id2)
            ap = &pl.v[i];
    if (!ap) {
        web_reply_error(r, 404, "not_found", "no problem %lld in this assignment", (long long)r->id2);
        goto out;
    }
    if ((rc = web_store_problem_by_id(s, ap->problem_id, &p, &err)) < 0) {
        web_reply_store_error(r, rc == ERR_NOTFOUND ? ERR_SYSTEM : rc, &err);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *pj = cJSON_AddObjectToObject(o, "problem");
    web_json_add_i64(pj, "problem", p.id);
    cJSON_AddStringToObject(pj, "short_name", p.short_name);
    cJSON_AddStringToObject(pj, "title", p.title);
    cJSON_AddNumberToObject(pj, "time_limit", p.time_limit);
    web_json_add_i64(pj, "memory_limit", p.memory_limit);
    cJSON_AddNumberToObject(pj, "points", ap->points);
    cJSON_AddStringToObject(pj, "feedback", web_feedback_name(ap->feedback));
    cJSON_AddStringToObject(pj, "template", ap->template_text ? ap->template_text : "");
    if ((rc = web_problem_page_json(s, &p, pj, &err)) < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    web_reply_json(r, 200, o);
out:
    web_assignment_problem_list_release(&pl);
}

void web_api_assignment_patch(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_assignment_problem *p = NULL;
    struct err err;
    size_t n = 0;
    cJSON *body;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, assignment_fields, N(assignment_fields))))
        return;
    const cJSON *probs = cJSON_GetObjectItemCaseSensitive(body, "problems");
    p = calloc(WEB_ASSIGNMENT_PROBLEMS_MAX, sizeof(*p));
    if (!p)
        abort();
    if (assignment_from_body(r, s, body, &a) < 0 || (probs && problems_from_body(r, s, probs, p, &n) < 0))
        goto out;
    int rc = web_store_assignment_update(s, &a, p, n, probs != NULL, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    assignment_audit(r, s, "assignment.update", &a);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", a.id);
    web_reply_json(r, 200, o);
out:
    free(p);
    cJSON_Delete(body);
}

void web_api_assignment_delete(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct err err;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    int rc = web_store_assignment_delete(s, a.id, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    assignment_audit(r, s, "assignment.delete", &a);
    web_reply_empty(r, 204);
}

/* ---- extensions ------------------------------------------------------------------------------------------- */

static cJSON *extension_json(const struct web_extension *e)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "user", e->user_id);
    cJSON_AddStringToObject(o, "name", e->name);
    web_json_add_i64(o, "due_time", e->due_time);
    web_json_add_i64(o, "late_until", e->late_until);
    return o;
}

void web_api_extension_put(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "user", WEB_JSON_STRING, 1 },
        { "due_time", WEB_JSON_INT, 1 },
        { "late_until", WEB_JSON_INT, 0 },
    };
    struct web_assignment a;
    struct web_course_access acc;
    struct web_extension e = { 0 };
    struct web_course_member m;
    struct web_user u;
    struct err err;
    int rc;
    cJSON *body;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    if (!(body = web_json_body(r, fields, N(fields))))
        return;
    const char *name = web_json_str(body, "user", "");
    rc = web_store_user_by_name(s, name, &u, &err);
    if (rc == 0) {
        sodium_memzero(u.password_hash, sizeof(u.password_hash));
        rc = web_store_course_member_get(s, a.course_id, u.id, &m, &err);
        if (rc == 0 && m.role != WEB_COURSE_STUDENT)
            rc = ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
        web_reply_error(r, 422, "not_enrolled", "user: '%.64s' is not a student of this course", name);
        goto out;
    }
    if (rc < 0)
        goto fail;
    e.assignment_id = a.id;
    e.user_id = u.id;
    e.due_time = web_json_i64(body, "due_time", 0);
    e.late_until = web_json_i64(body, "late_until", e.due_time + (a.late_until - a.due_time));
    if (e.due_time < 0 || e.late_until < e.due_time) {
        web_reply_error(r, 400, "invalid_field", "times: 0 <= due_time <= late_until");
        goto out;
    }
    if ((rc = web_store_extension_put(s, &e, &err)) < 0)
        goto fail;
    str_fmt(e.name, sizeof(e.name), "%s", u.name);
    {
        char target[48], detail[WEB_NAME_MAX + 64];
        str_fmt(target, sizeof(target), "assignment %lld", (long long)a.id);
        str_fmt(detail, sizeof(detail), "%s: due %lld, late until %lld", u.name, (long long)e.due_time,
                (long long)e.late_until);
        web_audit(r, s, "assignment.extension", target, detail);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "extension", extension_json(&e));
    web_reply_json(r, 200, o);
    goto out;
fail:
    web_reply_store_error(r, rc, &err);
out:
    cJSON_Delete(body);
}

void web_api_extension_list(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_extension_list l;
    struct err err;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    int rc = web_store_extensions(s, a.id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "extensions");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, extension_json(&l.v[i]));
    web_extension_list_release(&l);
    web_reply_json(r, 200, o);
}

void web_api_extension_remove(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct err err;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    int rc = web_store_extension_remove(s, a.id, r->id2, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no extension for user %lld", (long long)r->id2);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    char target[48], detail[48];
    str_fmt(target, sizeof(target), "assignment %lld", (long long)a.id);
    str_fmt(detail, sizeof(detail), "extension of user %lld removed", (long long)r->id2);
    web_audit(r, s, "assignment.extension", target, detail);
    web_reply_empty(r, 204);
}

/* ---- grades -------------------------------------------------------------------------------------------------
 * How a grade is computed (docs/courses.md says the same for teachers): a
 * student's submission for a problem of the assignment, at time t, with the
 * student's due time D and late-until L (their extension, else the
 * assignment's), judged (its valid judging finished) and not ignored:
 *   t > L: does not count (the server refuses such submissions anyway)
 *   late factor: 1 when t <= D; else percent_per_day: max(0, 1 - value/100 *
 *   ceil((t - D) / 86400)); coefficient_per_hour: value ^ ceil((t - D) /
 *   3600); none: 1
 *   fraction: score / max_score when max_score > 0, else 1 for AC, 0 else
 *   (kept within [0, 1])
 *   grade: points * fraction * factor
 * The problem's grade is the best such grade ("best") or that of the last
 * judged submission ("last"); the assignment's is their sum. */
double web_course_late_factor(enum web_late_rule rule, double value, int64_t due, int64_t t)
{
    if (t <= due)
        return 1;
    int64_t late = t - due;
    switch (rule) {
    case WEB_LATE_PERCENT_PER_DAY: {
        double f = 1 - value / 100 * (double)((late + 86399) / 86400);
        return f > 0 ? f : 0;
    }
    case WEB_LATE_COEFFICIENT_PER_HOUR:
        return pow(value, (double)((late + 3599) / 3600));
    default:
        return 1;
    }
}

struct pgrade {
    double grade;
    double factor;
    int64_t submission;                     /* 0: none counted */
};

/* One student's grades for an assignment's problems: g[0..pl->n). */
struct sgrade {
    const struct web_course_member *m;
    struct pgrade *g;
    double total;
};

/* Grades of every student in members[0..nm) (students only) for assignment
 * a; out[i] matches members[i] (g NULL for non-students). */
static int grades_compute(struct web_store *s, const struct web_assignment *a,
                          const struct web_assignment_problem_list *pl, const struct web_course_member *members,
                          size_t nm, int64_t only_user, struct sgrade *out, struct err *err)
{
    struct web_contest_result_list res;
    struct web_extension_list ext;
    int rc = web_store_assignment_results(s, a->id, only_user, &res, err);
    if (rc < 0)
        return rc;
    if ((rc = web_store_extensions(s, a->id, &ext, err)) < 0) {
        web_contest_result_list_release(&res);
        return rc;
    }
    for (size_t i = 0; i < nm; i++) {
        out[i].m = &members[i];
        out[i].total = 0;
        out[i].g = NULL;
        if (members[i].role != WEB_COURSE_STUDENT || (only_user && members[i].user_id != only_user))
            continue;
        out[i].g = calloc(pl->n ? pl->n : 1, sizeof(*out[i].g));
        if (!out[i].g)
            abort();
        int64_t due = a->due_time, late = a->late_until;
        for (size_t k = 0; k < ext.n; k++)
            if (ext.v[k].user_id == members[i].user_id) {
                due = ext.v[k].due_time;
                late = ext.v[k].late_until;
            }
        for (size_t k = 0; k < res.n; k++) {
            const struct web_contest_result *x = &res.v[k];
            if (x->user_id != members[i].user_id || x->ignored || !x->judging_id || x->submitted_at > late)
                continue;
            size_t pi;
            for (pi = 0; pi < pl->n && pl->v[pi].problem_id != x->problem_id; pi++)
                ;
            if (pi == pl->n)
                continue;
            double fraction = x->max_score > 0 ? x->score / x->max_score : !strcmp(x->verdict, "AC");
            if (!(fraction >= 0))
                fraction = 0;
            if (fraction > 1)
                fraction = 1;
            double factor = web_course_late_factor(a->late_rule, a->late_value, due, x->submitted_at);
            double g = pl->v[pi].points * fraction * factor;
            struct pgrade *pg = &out[i].g[pi];
            if (a->counting == WEB_COUNT_LAST || !pg->submission || g > pg->grade) {
                pg->grade = g;
                pg->factor = factor;
                pg->submission = x->submission_id;
            }
        }
        for (size_t pi = 0; pi < pl->n; pi++)
            out[i].total += out[i].g[pi].grade;
    }
    web_contest_result_list_release(&res);
    web_extension_list_release(&ext);
    return 0;
}

static void grades_free(struct sgrade *g, size_t n)
{
    for (size_t i = 0; g && i < n; i++)
        free(g[i].g);
    free(g);
}

/* Grades are shown rounded to 2 decimals (totals from the unrounded sums). */
static double round2(double v)
{
    return round(v * 100) / 100;
}

void web_api_assignment_grades(struct web_req *r, struct web_store *s)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_assignment_problem_list pl = { 0 };
    struct web_course_member_list ml = { 0 };
    struct sgrade *g = NULL;
    struct err err;
    int rc;
    if (web_assignment_load(r, s, r->id, &a, &acc) < 0)
        return;
    if ((rc = web_store_assignment_problems(s, a.id, &pl, &err)) < 0 ||
        (rc = web_store_course_members(s, a.course_id, &ml, &err)) < 0)
        goto fail;
    g = calloc(ml.n ? ml.n : 1, sizeof(*g));
    if (!g)
        abort();
    /* students see only themselves */
    if ((rc = grades_compute(s, &a, &pl, ml.v, ml.n, acc.staff ? 0 : r->user.id, g, &err)) < 0)
        goto fail;
    cJSON *o = cJSON_CreateObject(), *arr;
    web_json_add_i64(o, "assignment", a.id);
    arr = cJSON_AddArrayToObject(o, "students");
    for (size_t i = 0; i < ml.n; i++) {
        if (!g[i].g)
            continue;
        cJSON *x = cJSON_CreateObject(), *pa;
        web_json_add_i64(x, "user", ml.v[i].user_id);
        cJSON_AddStringToObject(x, "name", ml.v[i].name);
        cJSON_AddStringToObject(x, "display_name", ml.v[i].display_name);
        cJSON_AddStringToObject(x, "student_number", ml.v[i].student_number);
        cJSON_AddStringToObject(x, "class", ml.v[i].class_name);
        pa = cJSON_AddArrayToObject(x, "problems");
        for (size_t k = 0; k < pl.n; k++) {
            cJSON *p = cJSON_CreateObject();
            web_json_add_i64(p, "problem", pl.v[k].problem_id);
            cJSON_AddNumberToObject(p, "grade", round2(g[i].g[k].grade));
            json_id_or_null(p, "submission", g[i].g[k].submission);
            if (g[i].g[k].submission)
                cJSON_AddNumberToObject(p, "late_factor", g[i].g[k].factor);
            else
                cJSON_AddNullToObject(p, "late_factor");
            cJSON_AddItemToArray(pa, p);
        }
        cJSON_AddNumberToObject(x, "total", round2(g[i].total));
        cJSON_AddItemToArray(arr, x);
    }
    web_reply_json(r, 200, o);
    goto out;
fail:
    web_reply_store_error(r, rc, &err);
out:
    grades_free(g, ml.n);
    web_assignment_problem_list_release(&pl);
    web_course_member_list_release(&ml);
}

/* The gradebook: every assignment of the course by every student. */
struct gradebook {
    struct web_course_member_list ml;
    struct web_assignment_list al;
    double *max;                            /* per assignment: the sum of its points */
    double *grade;                          /* [student * al.n + assignment] */
    double *total;                          /* per member (students only) */
    size_t *order;                          /* the students' indexes in ml, by student number then name */
    size_t nstudents;
};

static const struct web_course_member_list *sort_members;

static int by_number(const void *x, const void *y)
{
    const struct web_course_member *a = &sort_members->v[*(const size_t *)x];
    const struct web_course_member *b = &sort_members->v[*(const size_t *)y];
    int c = strcmp(a->student_number, b->student_number);
    return c ? c : strcmp(a->name, b->name);
}

static void gradebook_release(struct gradebook *gb)
{
    web_course_member_list_release(&gb->ml);
    web_assignment_list_release(&gb->al);
    free(gb->max);
    free(gb->grade);
    free(gb->total);
    free(gb->order);
}

static int gradebook_build(struct web_store *s, int64_t course_id, struct gradebook *gb, struct err *err)
{
    int rc;
    memset(gb, 0, sizeof(*gb));
    if ((rc = web_store_course_members(s, course_id, &gb->ml, err)) < 0 ||
        (rc = web_store_assignments_of_course(s, course_id, &gb->al, err)) < 0)
        return rc;
    size_t nm = gb->ml.n, na = gb->al.n;
    gb->max = calloc(na + 1, sizeof(double));
    gb->grade = calloc(nm * na + 1, sizeof(double));
    gb->total = calloc(nm + 1, sizeof(double));
    gb->order = calloc(nm + 1, sizeof(size_t));
    if (!gb->max || !gb->grade || !gb->total || !gb->order)
        abort();
    for (size_t i = 0; i < nm; i++)
        if (gb->ml.v[i].role == WEB_COURSE_STUDENT)
            gb->order[gb->nstudents++] = i;
    sort_members = &gb->ml;
    qsort(gb->order, gb->nstudents, sizeof(size_t), by_number);
    sort_members = NULL;
    for (size_t j = 0; j < na && rc == 0; j++) {
        struct web_assignment_problem_list pl;
        struct sgrade *g = calloc(nm + 1, sizeof(*g));
        if (!g)
            abort();
        if ((rc = web_store_assignment_problems(s, gb->al.v[j].id, &pl, err)) == 0) {
            for (size_t k = 0; k < pl.n; k++)
                gb->max[j] += pl.v[k].points;
            rc = grades_compute(s, &gb->al.v[j], &pl, gb->ml.v, nm, 0, g, err);
            for (size_t i = 0; rc == 0 && i < nm; i++) {
                gb->grade[i * na + j] = g[i].total;
                gb->total[i] += g[i].total;
            }
            web_assignment_problem_list_release(&pl);
        }
        grades_free(g, nm);
    }
    return rc;
}

void web_api_course_gradebook(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access acc;
    struct gradebook gb;
    struct err err;
    if (web_course_load(r, s, r->id, &c, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    int rc = gradebook_build(s, c.id, &gb, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        gradebook_release(&gb);
        return;
    }
    size_t na = gb.al.n;
    cJSON *o = cJSON_CreateObject(), *aa = cJSON_AddArrayToObject(o, "assignments"), *sa;
    for (size_t j = 0; j < na; j++) {
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "id", gb.al.v[j].id);
        cJSON_AddStringToObject(x, "title", gb.al.v[j].title);
        cJSON_AddNumberToObject(x, "max", gb.max[j]);
        cJSON_AddItemToArray(aa, x);
    }
    sa = cJSON_AddArrayToObject(o, "students");
    for (size_t k = 0; k < gb.nstudents; k++) {
        size_t i = gb.order[k];
        const struct web_course_member *m = &gb.ml.v[i];
        cJSON *x = cJSON_CreateObject(), *ga;
        web_json_add_i64(x, "user", m->user_id);
        cJSON_AddStringToObject(x, "name", m->name);
        cJSON_AddStringToObject(x, "display_name", m->display_name);
        cJSON_AddStringToObject(x, "student_number", m->student_number);
        cJSON_AddStringToObject(x, "class", m->class_name);
        ga = cJSON_AddArrayToObject(x, "grades");
        for (size_t j = 0; j < na; j++)
            cJSON_AddItemToArray(ga, cJSON_CreateNumber(round2(gb.grade[i * na + j])));
        cJSON_AddNumberToObject(x, "total", round2(gb.total[i]));
        cJSON_AddItemToArray(sa, x);
    }
    gradebook_release(&gb);
    web_reply_json(r, 200, o);
}

void web_api_course_gradebook_csv(struct web_req *r, struct web_store *s)
{
    struct web_course c;
    struct web_course_access acc;
    struct gradebook gb;
    struct buf b;
    struct err err;
    char disp[96];
    if (web_course_load(r, s, r->id, &c, &acc) < 0 || need(r, acc.staff, "teachers and TAs") < 0)
        return;
    int rc = gradebook_build(s, c.id, &gb, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        gradebook_release(&gb);
        return;
    }
    size_t na = gb.al.n;
    buf_init(&b, 0);
    buf_adds(&b, "student_number,name,class");
    for (size_t j = 0; j < na; j++) {
        buf_add(&b, ",", 1);
        csv_field(&b, gb.al.v[j].title);
    }
    buf_adds(&b, ",total\r\n");
    for (size_t k = 0; k < gb.nstudents; k++) {
        size_t i = gb.order[k];
        const struct web_course_member *m = &gb.ml.v[i];
        csv_field(&b, m->student_number);
        buf_add(&b, ",", 1);
        csv_field(&b, m->display_name);
        buf_add(&b, ",", 1);
        csv_field(&b, m->class_name);
        for (size_t j = 0; j < na; j++)
            buf_addf(&b, ",%.2f", round2(gb.grade[i * na + j]));
        buf_addf(&b, ",%.2f\r\n", round2(gb.total[i]));
    }
    gradebook_release(&gb);
    str_fmt(disp, sizeof(disp), "attachment; filename=\"gradebook-course-%lld.csv\"", (long long)c.id);
    web_reply_buf(r, 200, &b, "text/csv; charset=utf-8");
    web_reply_header(r, "Content-Disposition", disp);
    buf_release(&b);
}

/* ---- submissions for assignments (api_submissions.c calls these) ------------------------------------------ */

int web_course_submission_check(struct web_req *r, struct web_store *s, const cJSON *body,
                                struct web_submission *sub, char *audit, size_t auditsize)
{
    struct web_assignment a;
    struct web_course_access acc = { 0 };
    struct web_assignment_problem_list pl;
    struct web_user u;
    struct err err;
    int64_t due, late;
    int64_t assignment_id = web_json_i64(body, "assignment", 0);
    const char *name = web_json_str(body, "user", NULL);
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(body, "time");
    int rc = assignment_id > 0 ? web_store_assignment_by_id(s, assignment_id, &a, &err) : ERR_NOTFOUND;
    if (rc == 0)
        rc = course_access_get(r, s, a.course_id, &acc, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || (rc == 0 && !acc.member)) {
        web_reply_error(r, 403, "not_enrolled", "you are not enrolled in this assignment's course");
        return -1;
    }
    if (rc < 0)
        goto fail;
    if ((name || when) && !acc.staff) {
        web_reply_error(r, 403, "forbidden", "only the course's staff may submit for another user or set the time");
        return -1;
    }
    if (name) {
        struct web_course_member m;
        rc = web_store_user_by_name(s, name, &u, &err);
        if (rc == 0) {
            sodium_memzero(u.password_hash, sizeof(u.password_hash));
            rc = web_store_course_member_get(s, a.course_id, u.id, &m, &err);
            if (rc == 0 && m.role != WEB_COURSE_STUDENT)
                rc = ERR_NOTFOUND;
        }
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
            web_reply_error(r, 403, "not_enrolled", "user: '%.64s' is not a student of this course", name);
            return -1;
        }
        if (rc < 0)
            goto fail;
        sub->user_id = u.id;
    }
    if (when) {
        sub->submitted_at = web_json_i64(body, "time", 0);
        if (sub->submitted_at < 0) {
            web_reply_error(r, 400, "invalid_field", "time: a Unix time");
            return -1;
        }
    }
    if ((rc = student_times(s, &a, sub->user_id, &due, &late, &err)) < 0)
        goto fail;
    /* staff submitting as themselves may do so any time; for a student,
     * the student's window holds (at the time given) */
    if (!(acc.staff && sub->user_id == r->user.id)) {
        if (sub->submitted_at < a.open_time) {
            web_reply_error(r, 403, "assignment_not_open", "the assignment opens at %lld", (long long)a.open_time);
            return -1;
        }
        if (sub->submitted_at > late) {
            web_reply_error(r, 403, "assignment_closed", "the assignment closed at %lld", (long long)late);
            return -1;
        }
    }
    if ((rc = web_store_assignment_problems(s, a.id, &pl, &err)) < 0)
        goto fail;
    int found = 0;
    for (size_t i = 0; i < pl.n; i++)
        found |= pl.v[i].problem_id == sub->problem_id;
    web_assignment_problem_list_release(&pl);
    if (!found) {
        web_reply_error(r, 422, "unknown_problem", "problem: no problem %lld in this assignment",
                        (long long)sub->problem_id);
        return -1;
    }
    /* run on samples: such a run is checked like the others but belongs to
     * no assignment, so it is never graded (nor compared by similarity) */
    if (!sub->samples_only)
        sub->assignment_id = a.id;
    if (name || when)
        str_fmt(audit, auditsize, "assignment %lld, user '%s', time %lld", (long long)a.id,
                name ? u.name : r->user.name, (long long)sub->submitted_at);
    return 0;
fail:
    web_reply_store_error(r, rc, &err);
    return -1;
}

int web_course_submission_view(struct web_req *r, struct web_store *s, const struct web_submission *sub, int *all,
                               enum web_feedback *feedback, int *hidden, struct err *err)
{
    struct web_assignment a;
    struct web_course_access acc;
    struct web_assignment_problem_list pl;
    int64_t due, late;
    *all = 0;
    *feedback = WEB_FEEDBACK_ALL;
    *hidden = 0;
    int rc = web_store_assignment_by_id(s, sub->assignment_id, &a, err);
    if (rc == 0)
        rc = course_access_get(r, s, a.course_id, &acc, err);
    if (rc < 0)
        return rc;
    if (acc.staff) {
        *all = 1;
        return 0;
    }
    if (sub->user_id != r->user.id)
        return err_set(err, ERR_NOTFOUND, "no such submission");
    if ((rc = web_store_assignment_problems(s, a.id, &pl, err)) < 0)
        return rc;
    for (size_t i = 0; i < pl.n; i++)
        if (pl.v[i].problem_id == sub->problem_id)
            *feedback = pl.v[i].feedback;
    web_assignment_problem_list_release(&pl);
    if (*feedback == WEB_FEEDBACK_AFTER_DUE) {
        if ((rc = student_times(s, &a, sub->user_id, &due, &late, err)) < 0)
            return rc;
        *hidden = r->now <= due;
    }
    return 0;
}
