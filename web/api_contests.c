/*
 * api_contests.c: contests, their problem sets, registration, participants
 * and teams. Who may see and do what in a contest is decided here, once
 * (web_contest_access_get), for every part of the server that serves one:
 * a private contest does not exist for outsiders, its jury (and the admins)
 * manage it, and its participants take part in it.
 */
#include "web_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONTEST_DURATION_MAX ((int64_t)366 * 86400)
#define CONTEST_PENALTY_MAX 1440
#define CONTEST_LANGUAGES_MAX 64            /* ids in a contest's language list */
#define CONTEST_SUBMISSIONS_MAX 1000000     /* max_submissions at most */
#define CONTEST_PROBLEMS_MAX 100            /* problems in one contest */
#define CONTEST_POINTS_MAX 1e6
#define TEAM_MEMBERS_MAX 100                /* members named in one team creation */
#define CONTEST_STATEMENT_MAX ((size_t)8 << 20)

/* ---- the caller's standing ------------------------------------------------------------------ */

int64_t web_contest_end(const struct web_contest *c)
{
    return c->start_time + c->duration;
}

int web_contest_running(const struct web_contest *c, int64_t now)
{
    return now >= c->start_time && now < web_contest_end(c);
}

const char *web_contest_state(const struct web_contest *c, int64_t now)
{
    if (now < c->start_time)
        return "scheduled";
    if (now >= web_contest_end(c))
        return "finished";
    if (c->freeze > 0 && !c->unfrozen && now >= web_contest_end(c) - c->freeze)
        return "frozen";
    return "running";
}

int web_contest_access_get(struct web_req *r, struct web_store *s, int64_t id, struct web_contest *c,
                           struct web_contest_access *a, struct err *err)
{
    struct web_participant p;
    memset(a, 0, sizeof(*a));
    memset(c, 0, sizeof(*c));
    int rc = web_store_contest_by_id(s, id, c, err);
    if (rc == ERR_INVALID)
        rc = err_set(err, ERR_NOTFOUND, "no contest %lld", (long long)id);
    if (rc < 0)
        return rc;
    if (r->via != WEB_VIA_NONE) {
        if (r->user.role == WEB_ROLE_ADMIN)
            a->jury = 1;
        rc = web_store_participant_get(s, c->id, r->user.id, &p, err);
        if (rc < 0 && rc != ERR_NOTFOUND)
            return rc;
        if (rc == 0 && p.role == WEB_CROLE_JURY)
            a->jury = 1;
        if (rc == 0 && p.role == WEB_CROLE_PARTICIPANT) {
            a->participant = 1;
            a->team_id = p.team_id;
        }
    }
    a->visible = c->is_public || a->jury || a->participant;
    if (!a->visible)
        return err_set(err, ERR_NOTFOUND, "no contest %lld", (long long)id);
    return 0;
}

int web_contest_load(struct web_req *r, struct web_store *s, int64_t id, struct web_contest *c,
                     struct web_contest_access *a)
{
    struct err err;
    int rc = web_contest_access_get(r, s, id, c, a, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no contest %lld", (long long)id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

/* Loads {id} for a jury action: 404 for those who may not see the contest,
 * 403 for those who may see it but are not its jury. */
static int load_as_jury(struct web_req *r, struct web_store *s, struct web_contest *c, struct web_contest_access *a)
{
    if (web_contest_load(r, s, r->id, c, a) < 0)
        return -1;
    if (!a->jury) {
        web_reply_error(r, 403, "forbidden", "only the contest's jury may do this");
        return -1;
    }
    return 0;
}

/* ---- field checks ------------------------------------------------------------------------------ */

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > WEB_NAME_MAX || s[0] == '.' || s[0] == '-')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* One line of text: 1 to max bytes of UTF-8 without control characters. */
static int line_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !web_utf8_valid(s, n))
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

static int label_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > WEB_LABEL_MAX)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* The CSS named colors (CSS Color Module Level 4). */
static const char *const css_colors[] = {
    "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black", "blanchedalmond",
    "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse", "chocolate", "coral",
    "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue", "darkcyan", "darkgoldenrod", "darkgray",
    "darkgreen", "darkgrey", "darkkhaki", "darkmagenta", "darkolivegreen", "darkorange", "darkorchid",
    "darkred", "darksalmon", "darkseagreen", "darkslateblue", "darkslategray", "darkslategrey",
    "darkturquoise", "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey", "dodgerblue", "firebrick",
    "floralwhite", "forestgreen", "fuchsia", "gainsboro", "ghostwhite", "gold", "goldenrod", "gray", "green",
    "greenyellow", "grey", "honeydew", "hotpink", "indianred", "indigo", "ivory", "khaki", "lavender",
    "lavenderblush", "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan",
    "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey", "lightpink", "lightsalmon",
    "lightseagreen", "lightskyblue", "lightslategray", "lightslategrey", "lightsteelblue", "lightyellow",
    "lime", "limegreen", "linen", "magenta", "maroon", "mediumaquamarine", "mediumblue", "mediumorchid",
    "mediumpurple", "mediumseagreen", "mediumslateblue", "mediumspringgreen", "mediumturquoise",
    "mediumvioletred", "midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite", "navy", "oldlace",
    "olive", "olivedrab", "orange", "orangered", "orchid", "palegoldenrod", "palegreen", "paleturquoise",
    "palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum", "powderblue", "purple",
    "rebeccapurple", "red", "rosybrown", "royalblue", "saddlebrown", "salmon", "sandybrown", "seagreen",
    "seashell", "sienna", "silver", "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen",
    "steelblue", "tan", "teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "whitesmoke",
    "yellow", "yellowgreen",
};

/* "#rrggbb" or a CSS color name, in any case; out gets it in lowercase. */
static int color_parse(const char *s, char out[WEB_COLOR_MAX + 1])
{
    size_t n = strlen(s);
    if (n == 0 || n > WEB_COLOR_MAX)
        return 0;
    if (s[0] == '#') {
        if (n != 7)
            return 0;
        for (size_t i = 1; i < 7; i++)
            if (!isxdigit((unsigned char)s[i]))
                return 0;
    } else {
        size_t i;
        for (i = 0; i < sizeof(css_colors) / sizeof(css_colors[0]); i++)
            if (!strcasecmp(s, css_colors[i]))
                break;
        if (i == sizeof(css_colors) / sizeof(css_colors[0]))
            return 0;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    return 1;
}

/* ---- contest JSON -------------------------------------------------------------------------------- */

static void add_languages(cJSON *o, const char *list)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "languages");
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        char one[WEB_LANG_MAX + 1];
        if (n > 0 && n <= WEB_LANG_MAX) {
            memcpy(one, p, n);
            one[n] = '\0';
            cJSON_AddItemToArray(arr, cJSON_CreateString(one));
        }
        p += n + (p[n] == ',');
    }
}

static void add_id_or_null(cJSON *o, const char *name, int64_t id)
{
    if (id > 0)
        web_json_add_i64(o, name, id);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *contest_json(const struct web_contest *c, const struct web_contest_access *a, int64_t now)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", c->id);
    cJSON_AddStringToObject(o, "short_name", c->short_name);
    cJSON_AddStringToObject(o, "title", c->title);
    web_json_add_i64(o, "start_time", c->start_time);
    web_json_add_i64(o, "duration", c->duration);
    web_json_add_i64(o, "freeze", c->freeze);
    cJSON_AddBoolToObject(o, "public", c->is_public);
    cJSON_AddStringToObject(o, "registration", web_registration_name(c->registration));
    /* The code is the contest's password: only its jury sees it. */
    if (a->jury)
        cJSON_AddStringToObject(o, "registration_code", c->registration_code);
    else
        cJSON_AddNullToObject(o, "registration_code");
    cJSON_AddBoolToObject(o, "team_mode", c->team_mode);
    cJSON_AddStringToObject(o, "rules", web_rules_name(c->rules));
    web_json_add_i64(o, "penalty_minutes", c->penalty_minutes);
    add_languages(o, c->languages);
    web_json_add_i64(o, "max_submissions", c->max_submissions);
    web_json_add_i64(o, "submission_interval", c->submission_interval);
    /* AI leaderboards */
    web_json_add_i64(o, "final_submissions", c->final_submissions > 0 ? c->final_submissions : WEB_AI_FINAL_DEFAULT);
    web_json_add_i64(o, "daily_submissions", c->daily_submissions);
    cJSON_AddBoolToObject(o, "private_published", c->private_published);
    cJSON_AddBoolToObject(o, "rated", c->rated);  /* talent */
    cJSON_AddStringToObject(o, "state", web_contest_state(c, now));
    cJSON_AddBoolToObject(o, "unfrozen", c->unfrozen);
    if (a->jury)
        cJSON_AddStringToObject(o, "my_role", "jury");
    else if (a->participant)
        cJSON_AddStringToObject(o, "my_role", "participant");
    else
        cJSON_AddNullToObject(o, "my_role");
    add_id_or_null(o, "my_team", a->participant ? a->team_id : 0);
    return o;
}

/* ---- creating and changing contests -------------------------------------------------------------- */

/* The body fields of a contest: required when creating; PATCH takes any of
 * them, and `unfrozen` too. */
#define CONTEST_FIELDS(X) \
    X("short_name", STRING, 1) \
    X("title", STRING, 1) \
    X("start_time", INT, 1) \
    X("duration", INT, 1) \
    X("freeze", INT, 0) \
    X("public", BOOL, 0) \
    X("registration", STRING, 0) \
    X("registration_code", STRING, 0) \
    X("team_mode", BOOL, 0) \
    X("rules", STRING, 0) \
    X("penalty_minutes", INT, 0) \
    X("languages", ARRAY, 0) \
    X("max_submissions", INT, 0) \
    X("submission_interval", INT, 0) \
    X("final_submissions", INT, 0)          /* AI leaderboards */ \
    X("daily_submissions", INT, 0) \
    X("rated", BOOL, 0)                     /* talent: its final standings change ratings */
#define CREATE_FIELD(name, type, req) { name, WEB_JSON_##type, req },
#define PATCH_FIELD(name, type, req) { name, WEB_JSON_##type, 0 },

static const struct web_json_field contest_create_fields[] = { CONTEST_FIELDS(CREATE_FIELD) };
static const struct web_json_field contest_patch_fields[] = {
    CONTEST_FIELDS(PATCH_FIELD)
    { "unfrozen", WEB_JSON_BOOL, 0 },
    { "private_published", WEB_JSON_BOOL, 0 },     /* AI leaderboards: the jury reveals the private board */
};
#undef CREATE_FIELD
#undef PATCH_FIELD

static int bad_field(struct web_req *r, const char *field, const char *why)
{
    web_reply_error(r, 400, "invalid_field", "%s: %s", field, why);
    return -1;
}

/* An integer field within [lo, hi] into *out; absent leaves *out. */
static int int_field(struct web_req *r, const cJSON *body, const char *name, int64_t lo, int64_t hi,
                     const char *why, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    if (!v)
        return 0;
    int64_t x = (int64_t)v->valuedouble;
    if (x < lo || x > hi)
        return bad_field(r, name, why);
    *out = x;
    return 0;
}

static int bool_field(const cJSON *body, const char *name, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    if (v)
        *out = cJSON_IsTrue(v);
    return 0;
}

static int languages_field(struct web_req *r, const cJSON *body, char out[WEB_LANGUAGES_MAX + 1])
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(body, "languages");
    struct buf b;
    int rc = 0;
    if (!arr)
        return 0;
    if (cJSON_GetArraySize(arr) > CONTEST_LANGUAGES_MAX)
        return bad_field(r, "languages", "too many languages");
    buf_init(&b, WEB_LANGUAGES_MAX + 1);
    for (const cJSON *x = arr->child; x; x = x->next) {
        if (!cJSON_IsString(x) || !x->valuestring) {
            rc = bad_field(r, "languages", "must be an array of language ids");
            goto out;
        }
        if (!jdg_language_find(&r->srv->langs, x->valuestring) || strlen(x->valuestring) > WEB_LANG_MAX ||
            !name_ok(x->valuestring)) {
            web_reply_error(r, 400, "invalid_field", "languages: no language '%.32s' on this server", x->valuestring);
            rc = -1;
            goto out;
        }
        for (const cJSON *y = arr->child; y != x; y = y->next)
            if (!strcmp(y->valuestring, x->valuestring)) {
                web_reply_error(r, 400, "invalid_field", "languages: '%.32s' appears twice", x->valuestring);
                rc = -1;
                goto out;
            }
        if ((b.len && buf_add(&b, ",", 1) < 0) || buf_add(&b, x->valuestring, strlen(x->valuestring)) < 0) {
            rc = bad_field(r, "languages", "the list is too long");
            goto out;
        }
    }
    if (b.len > WEB_LANGUAGES_MAX) {
        rc = bad_field(r, "languages", "the list is too long");
        goto out;
    }
    memcpy(out, b.len ? b.buf : "", b.len);
    out[b.len] = '\0';
out:
    buf_release(&b);
    return rc;
}

/* Applies the body's fields to c, checking each; replies and returns -1 on
 * the first bad one. */
static int contest_apply(struct web_req *r, const cJSON *body, struct web_contest *c)
{
    const char *v;
    if ((v = web_json_str(body, "short_name", NULL))) {
        if (!name_ok(v))
            return bad_field(r, "short_name", "1 to 64 of [A-Za-z0-9._-], not starting with '.' or '-'");
        str_fmt(c->short_name, sizeof(c->short_name), "%s", v);
    }
    if ((v = web_json_str(body, "title", NULL))) {
        if (!line_ok(v, WEB_TITLE_MAX))
            return bad_field(r, "title", "1 to 256 bytes of UTF-8 text on one line");
        str_fmt(c->title, sizeof(c->title), "%s", v);
    }
    if (int_field(r, body, "start_time", 0, (int64_t)1 << 40, "must be a Unix time in seconds", &c->start_time) < 0 ||
        int_field(r, body, "duration", 1, CONTEST_DURATION_MAX, "must be between 1 second and 366 days",
                  &c->duration) < 0 ||
        int_field(r, body, "freeze", 0, CONTEST_DURATION_MAX, "must be between 0 and the duration", &c->freeze) < 0 ||
        int_field(r, body, "penalty_minutes", 0, CONTEST_PENALTY_MAX, "must be between 0 and 1440",
                  &c->penalty_minutes) < 0 ||
        int_field(r, body, "max_submissions", 0, CONTEST_SUBMISSIONS_MAX, "must be between 0 and 1000000",
                  &c->max_submissions) < 0 ||
        int_field(r, body, "submission_interval", 0, CONTEST_DURATION_MAX, "must be between 0 and 366 days",
                  &c->submission_interval) < 0 ||
        /* AI leaderboards */
        int_field(r, body, "final_submissions", 1, WEB_AI_FINAL_MAX, "must be between 1 and 100",
                  &c->final_submissions) < 0 ||
        int_field(r, body, "daily_submissions", 0, CONTEST_SUBMISSIONS_MAX, "must be between 0 and 1000000",
                  &c->daily_submissions) < 0)
        return -1;
    bool_field(body, "private_published", &c->private_published);
    bool_field(body, "rated", &c->rated);   /* talent */
    bool_field(body, "public", &c->is_public);
    bool_field(body, "team_mode", &c->team_mode);
    bool_field(body, "unfrozen", &c->unfrozen);
    if ((v = web_json_str(body, "registration", NULL)) && web_registration_parse(v, &c->registration) < 0)
        return bad_field(r, "registration", "must be \"open\", \"code\" or \"admin\"");
    if ((v = web_json_str(body, "registration_code", NULL))) {
        if (*v && !line_ok(v, WEB_CODE_MAX))
            return bad_field(r, "registration_code", "at most 64 bytes of UTF-8 text on one line");
        str_fmt(c->registration_code, sizeof(c->registration_code), "%s", v);
    }
    if ((v = web_json_str(body, "rules", NULL)) && web_rules_parse(v, &c->rules) < 0)
        return bad_field(r, "rules", "must be \"icpc\", \"ioi\" or \"oi\"");
    if (languages_field(r, body, c->languages) < 0)
        return -1;
    /* The rules that tie fields together, checked on the result. */
    if (c->freeze > c->duration)
        return bad_field(r, "freeze", "must not be longer than the duration");
    if (c->registration == WEB_REG_CODE && !c->registration_code[0])
        return bad_field(r, "registration_code", "registration by code needs a code");
    return 0;
}

/* The body for the audit log, without the registration code. */
static char *audit_detail(const cJSON *body)
{
    cJSON *copy = cJSON_Duplicate(body, 1);
    if (cJSON_GetObjectItemCaseSensitive(copy, "registration_code"))
        cJSON_ReplaceItemInObjectCaseSensitive(copy, "registration_code", cJSON_CreateString("(hidden)"));
    char *text = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return text;
}

static void audit_contest(struct web_req *r, struct web_store *s, const char *action, int64_t id,
                          const cJSON *body)
{
    char target[64];
    char *detail = body ? audit_detail(body) : NULL;
    str_fmt(target, sizeof(target), "contest %lld", (long long)id);
    web_audit(r, s, action, target, detail);
    free(detail);
}

void web_api_contest_create(struct web_req *r, struct web_store *s)
{
    struct web_contest c = { 0 };
    struct web_participant p = { 0 };
    struct web_contest_access a = { .visible = 1, .jury = 1 };
    struct err err;
    int rc;
    cJSON *body = web_json_body(r, contest_create_fields, sizeof(contest_create_fields) / sizeof(contest_create_fields[0]));
    if (!body)
        return;
    c.registration = WEB_REG_ADMIN;
    c.rules = WEB_RULES_ICPC;
    c.penalty_minutes = 20;
    c.final_submissions = WEB_AI_FINAL_DEFAULT;
    if (contest_apply(r, body, &c) < 0)
        goto out;
    c.created_by = r->user.id;
    c.created_at = r->now;
    if ((rc = web_store_tx_begin(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    rc = web_store_contest_create(s, &c, &err);
    if (rc == 0) {
        /* The creator is the contest's jury. */
        p.contest_id = c.id;
        p.user_id = r->user.id;
        p.role = WEB_CROLE_JURY;
        p.registered_at = r->now;
        rc = web_store_participant_put(s, &p, &err);
    }
    if (rc == 0)
        rc = web_store_tx_commit(s, &err);
    if (rc < 0) {
        web_store_tx_rollback(s, NULL);
        if (rc == WEB_STORE_CONFLICT)
            web_reply_error(r, 409, "name_taken", "short_name: contest '%s' exists", c.short_name);
        else
            web_reply_store_error(r, rc, &err);
        goto out;
    }
    audit_contest(r, s, "contest.create", c.id, body);
    log_info("web", "contest %lld '%s' created by '%s'", (long long)c.id, c.short_name, r->user.name);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", c.id);
    cJSON_AddItemToObject(o, "contest", contest_json(&c, &a, r->now));
    web_reply_json(r, 201, o);
    char loc[64];
    str_fmt(loc, sizeof(loc), "/api/v1/contests/%lld", (long long)c.id);
    web_reply_header(r, "Location", loc);
out:
    cJSON_Delete(body);
}

void web_api_contest_patch(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct err err;
    cJSON *body = web_json_body(r, contest_patch_fields, sizeof(contest_patch_fields) / sizeof(contest_patch_fields[0]));
    if (!body)
        return;
    if (load_as_jury(r, s, &c, &a) < 0)
        goto out;
    char old_name[WEB_NAME_MAX + 1];
    memcpy(old_name, c.short_name, sizeof(old_name));
    if (contest_apply(r, body, &c) < 0)
        goto out;
    /* The ICPC Contest API names the contest by it: it stays. */
    if (strcmp(old_name, c.short_name) != 0) {
        bad_field(r, "short_name", "cannot be changed once the contest exists");
        goto out;
    }
    int rc = web_store_contest_update(s, &c, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    audit_contest(r, s, "contest.update", c.id, body);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "contest", contest_json(&c, &a, r->now));
    web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}

void web_api_contest_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "contest", contest_json(&c, &a, r->now));
    web_reply_json(r, 200, o);
}

/* Those the caller may see, by id: a page of up to `limit` after `after`. */
void web_api_contest_list(struct web_req *r, struct web_store *s)
{
    struct err err;
    int64_t after = web_req_query_id(r, "after"), limit = web_req_query_id(r, "limit");
    int rc = 0;
    if (after < 0 || limit < 0)
        return;
    if (limit == 0 || limit > WEB_PAGE_MAX)
        limit = WEB_PAGE_MAX;
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "contests");
    int64_t got = 0;
    while (got < limit) {
        struct web_contest_list l;
        if ((rc = web_store_contest_list(s, after, WEB_LIST_MAX, &l, &err)) < 0)
            break;
        for (size_t i = 0; i < l.n && got < limit && rc == 0; i++) {
            struct web_contest c;
            struct web_contest_access a;
            after = l.v[i].id;
            rc = web_contest_access_get(r, s, l.v[i].id, &c, &a, &err);
            if (rc == ERR_NOTFOUND) {
                rc = 0;
                continue;
            }
            if (rc == 0) {
                cJSON_AddItemToArray(arr, contest_json(&c, &a, r->now));
                got++;
            }
        }
        size_t n = l.n;
        web_contest_list_release(&l);
        if (rc < 0 || n < WEB_LIST_MAX)
            break;
    }
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

/* ---- the problem set ------------------------------------------------------------------------------------ */

static cJSON *contest_problem_json(const struct web_contest_problem *cp, const struct web_problem *p)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "problem", cp->problem_id);
    cJSON_AddStringToObject(o, "label", cp->label);
    if (cp->color[0])
        cJSON_AddStringToObject(o, "color", cp->color);
    else
        cJSON_AddNullToObject(o, "color");
    cJSON_AddNumberToObject(o, "points", cp->points);
    cJSON_AddStringToObject(o, "short_name", p->short_name);
    cJSON_AddStringToObject(o, "title", p->title);
    if (p->time_limit_inferred)
        cJSON_AddNullToObject(o, "time_limit");
    else
        cJSON_AddNumberToObject(o, "time_limit", p->time_limit);
    web_json_add_i64(o, "memory_limit", p->memory_limit);
    return o;
}

/* The problem set is shown to the jury always, to others once it starts. */
static int problems_visible(struct web_req *r, const struct web_contest *c, const struct web_contest_access *a)
{
    if (a->jury || r->now >= c->start_time)
        return 1;
    web_reply_error(r, 403, "not_started", "the contest's problems are shown once it starts");
    return 0;
}

void web_api_contest_problems(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_contest_problem_list l;
    struct err err;
    int rc = 0;
    if (web_contest_load(r, s, r->id, &c, &a) < 0 || !problems_visible(r, &c, &a))
        return;
    if ((rc = web_store_contest_problems(s, c.id, &l, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "problems");
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        struct web_problem p;
        if ((rc = web_store_problem_by_id(s, l.v[i].problem_id, &p, &err)) == 0) {
            cJSON *pj = contest_problem_json(&l.v[i], &p);
            cJSON_AddItemToArray(arr, pj);
            rc = web_problem_ai_json(s, p.id, pj, &err);
        }
    }
    web_contest_problem_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

/* GET /api/v1/contests/{id}/problems/{id2}: one problem of the set with its
 * statement and samples, for those who may see the set (contest problems
 * are often unpublished, so the archive's endpoints do not show them). */
int web_contest_problem_load(struct web_req *r, struct web_store *s, struct web_contest_problem *cp,
                             struct web_problem *p)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_contest_problem_list l;
    struct err err;
    int rc, found = 0;
    if (web_contest_load(r, s, r->id, &c, &a) < 0 || !problems_visible(r, &c, &a))
        return -1;
    if ((rc = web_store_contest_problems(s, c.id, &l, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].problem_id == r->id2) {
            *cp = l.v[i];
            found = 1;
        }
    web_contest_problem_list_release(&l);
    if (!found) {
        web_reply_error(r, 404, "not_found", "no problem %lld in this contest", (long long)r->id2);
        return -1;
    }
    if ((rc = web_store_problem_by_id(s, cp->problem_id, p, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

/* Adds what a problem's page shows beyond its list entry to pj: the type
 * ("scoring.interactive" is ["scoring", "interactive"]), the AI metric and
 * direction, statement_html and samples; so a page served from a contest or
 * an assignment needs no second request to the archive (which does not
 * show unpublished problems). */
int web_problem_page_json(struct web_store *s, const struct web_problem *p, cJSON *pj, struct err *err)
{
    struct buf b;
    int rc;
    cJSON *types = cJSON_AddArrayToObject(pj, "type");
    for (const char *t = p->type; *t;) {
        char one[WEB_NAME_MAX + 1];
        size_t n = strcspn(t, ".");
        str_fmt(one, sizeof(one), "%.*s", (int)n, t);
        cJSON_AddItemToArray(types, cJSON_CreateString(one));
        t += n + (t[n] == '.');
    }
    if ((rc = web_problem_ai_json(s, p->id, pj, err)) < 0)
        return rc;
    buf_init(&b, CONTEST_STATEMENT_MAX);
    if (p->statement_hash[0] && (rc = web_blob_get(s, p->statement_hash, &b, err)) < 0)
        goto out;
    if (p->statement_hash[0])
        web_json_add_text(pj, "statement_html", b.buf, b.len);
    else
        cJSON_AddNullToObject(pj, "statement_html");
    buf_release(&b);
    buf_init(&b, WEB_SAMPLES_MAX * 7);
    cJSON *samples = NULL;
    if (p->samples_hash[0]) {
        if ((rc = web_blob_get(s, p->samples_hash, &b, err)) < 0)
            goto out;
        /* The stored JSON is {"samples": [...]}, written by the upload. */
        cJSON *doc = cJSON_ParseWithLength(b.buf, b.len);
        cJSON *arr = cJSON_DetachItemFromObjectCaseSensitive(doc, "samples");
        cJSON_Delete(doc);
        samples = cJSON_IsArray(arr) ? arr : NULL;
        if (!samples)
            cJSON_Delete(arr);
    }
    cJSON_AddItemToObject(pj, "samples", samples ? samples : cJSON_CreateArray());
out:
    buf_release(&b);
    return rc == ERR_NOTFOUND ? err_set(err, ERR_SYSTEM, "a problem's statement or samples are missing") : rc;
}

void web_api_contest_problem(struct web_req *r, struct web_store *s)
{
    struct web_contest_problem cp;
    struct web_problem p;
    struct err err;
    int rc;
    if (web_contest_problem_load(r, s, &cp, &p) < 0)
        return;
    cJSON *o = cJSON_CreateObject(), *pj = contest_problem_json(&cp, &p);
    cJSON_AddItemToObject(o, "problem", pj);
    if ((rc = web_problem_page_json(s, &p, pj, &err)) < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

static const struct web_json_field problems_put_fields[] = {
    { "problems", WEB_JSON_ARRAY, 1 },
};

static const struct web_json_field problem_entry_fields[] = {
    { "problem", WEB_JSON_INT, 1 },
    { "label", WEB_JSON_STRING, 1 },
    { "color", WEB_JSON_STRING, 0 },
    { "points", WEB_JSON_NUMBER, 0 },
};

void web_api_contest_problems_put(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_contest_problem *set = NULL;
    struct web_contest_problem_list old = { 0 };
    struct err err;
    char msg[ERR_MSG_MAX], where[32];
    int rc, in_tx = 0;
    cJSON *body = web_json_body(r, problems_put_fields, 1);
    if (!body)
        return;
    if (load_as_jury(r, s, &c, &a) < 0)
        goto out;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(body, "problems");
    int n = cJSON_GetArraySize(arr);
    if (n > CONTEST_PROBLEMS_MAX) {
        web_reply_error(r, 400, "invalid_field", "problems: at most %d problems", CONTEST_PROBLEMS_MAX);
        goto out;
    }
    set = calloc((size_t)n + 1, sizeof(*set));
    if (!set)
        abort();
    int i = 0;
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        struct web_contest_problem *cp = &set[i];
        struct web_problem p;
        str_fmt(where, sizeof(where), "problems[%d]", i);
        if (web_json_check(x, problem_entry_fields, sizeof(problem_entry_fields) / sizeof(problem_entry_fields[0]),
                           where, msg, sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            goto out;
        }
        const char *label = web_json_str(x, "label", ""), *color = web_json_str(x, "color", NULL);
        int64_t pid = web_json_i64(x, "problem", 0);
        cp->contest_id = c.id;
        cp->ordinal = i;
        cp->points = web_json_num(x, "points", 1);
        if (!label_ok(label)) {
            web_reply_error(r, 400, "invalid_field", "%s.label: 1 to 16 of [A-Za-z0-9._-]", where);
            goto out;
        }
        str_fmt(cp->label, sizeof(cp->label), "%s", label);
        if (color && *color && !color_parse(color, cp->color)) {
            web_reply_error(r, 400, "invalid_field", "%s.color: \"#rrggbb\" or a CSS color name", where);
            goto out;
        }
        if (!(cp->points > 0 && cp->points <= CONTEST_POINTS_MAX)) {
            web_reply_error(r, 400, "invalid_field", "%s.points: must be above 0 and at most 1000000", where);
            goto out;
        }
        rc = web_store_problem_by_id(s, pid > 0 ? pid : 0, &p, &err);
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID) {
            web_reply_error(r, 422, "unknown_problem", "%s.problem: no problem %lld", where, (long long)pid);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        cp->problem_id = p.id;
        for (int j = 0; j < i; j++) {
            if (set[j].problem_id == cp->problem_id) {
                web_reply_error(r, 400, "invalid_field", "%s.problem: problem %lld appears twice", where,
                                (long long)pid);
                goto out;
            }
            if (!strcasecmp(set[j].label, cp->label)) {
                web_reply_error(r, 400, "invalid_field", "%s.label: label '%s' appears twice", where, cp->label);
                goto out;
            }
        }
    }
    /* Replace the set in one transaction: remove every old row first, so
     * that swapping two labels never meets the unique label rule. */
    if ((rc = web_store_tx_begin(s, &err)) < 0)
        goto fail;
    in_tx = 1;
    if ((rc = web_store_contest_problems(s, c.id, &old, &err)) < 0)
        goto fail;
    for (size_t k = 0; k < old.n; k++)
        if ((rc = web_store_contest_problem_remove(s, c.id, old.v[k].problem_id, &err)) < 0)
            goto fail;
    for (int k = 0; k < n; k++)
        if ((rc = web_store_contest_problem_put(s, &set[k], &err)) < 0)
            goto fail;
    if ((rc = web_store_tx_commit(s, &err)) < 0)
        goto fail;
    in_tx = 0;
    audit_contest(r, s, "contest.problems", c.id, body);
    web_api_contest_problems(r, s);
    goto out;
fail:
    if (in_tx)
        web_store_tx_rollback(s, NULL);
    web_reply_store_error(r, rc, &err);
out:
    web_contest_problem_list_release(&old);
    free(set);
    cJSON_Delete(body);
}

/* ---- participants and teams --------------------------------------------------------------------------------- */

static int participant_json(struct web_store *s, const struct web_participant *p, cJSON **out, struct err *err)
{
    struct web_user u;
    int rc = web_store_user_by_id(s, p->user_id, &u, err);
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "user", p->user_id);
    cJSON_AddStringToObject(o, "name", u.name);
    cJSON_AddStringToObject(o, "display_name", u.display_name);
    cJSON_AddStringToObject(o, "role", web_contest_role_name(p->role));
    add_id_or_null(o, "team", p->team_id);
    web_json_add_i64(o, "registered_at", p->registered_at);
    *out = o;
    return 0;
}

static void reply_participant(struct web_req *r, struct web_store *s, unsigned status,
                              const struct web_participant *p)
{
    struct err err;
    cJSON *pj;
    int rc = participant_json(s, p, &pj, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "participant", pj);
    web_reply_json(r, status, o);
}

static const struct web_json_field register_fields[] = {
    { "code", WEB_JSON_STRING, 0 },
    { "team_name", WEB_JSON_STRING, 0 },
};

/* POST /api/v1/contests/{id}/register. A private contest takes only those
 * who know its code; to anyone else it does not exist. */
void web_api_contest_register(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_participant p = { 0 };
    struct web_team t = { 0 };
    struct err err;
    int rc, in_tx = 0, existed = 0;
    cJSON *body = web_json_body(r, register_fields, sizeof(register_fields) / sizeof(register_fields[0]));
    if (!body)
        return;
    const char *code = web_json_str(body, "code", NULL), *team_name = web_json_str(body, "team_name", NULL);
    if (code && web_guess_check(r, s) < 0)      /* security: codes are rate-limited like logins */
        goto out;
    rc = web_contest_access_get(r, s, r->id, &c, &a, &err);
    /* c.id is set when the contest exists, even when the caller may not see it. */
    int code_right = (rc == 0 || rc == ERR_NOTFOUND) && c.id && c.registration == WEB_REG_CODE && code &&
                     c.registration_code[0] && web_secret_equal(code, c.registration_code);
    if (rc == ERR_NOTFOUND && !code_right) {
        if (code)
            web_guess_failed(r, s);             /* security */
        web_reply_error(r, 404, "not_found", "no contest %lld", (long long)r->id);
        goto out;
    }
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (r->now >= web_contest_end(&c)) {
        web_reply_error(r, 403, "contest_over", "the contest has finished");
        goto out;
    }
    if (team_name && !c.team_mode) {
        web_reply_error(r, 400, "invalid_field", "team_name: this contest is for individuals");
        goto out;
    }
    if (team_name && !line_ok(team_name, WEB_TITLE_MAX)) {
        web_reply_error(r, 400, "invalid_field", "team_name: 1 to 256 bytes of UTF-8 text on one line");
        goto out;
    }
    rc = web_store_participant_get(s, c.id, r->user.id, &p, &err);
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    existed = rc == 0;
    if (existed && (!team_name || p.role == WEB_CROLE_JURY)) {
        /* Registering again changes nothing (nor does the jury become a participant). */
        reply_participant(r, s, 200, &p);
        goto out;
    }
    if (existed && p.team_id) {
        rc = web_store_team_by_id(s, p.team_id, &t, &err);
        if (rc == 0 && !strcmp(t.name, team_name))
            reply_participant(r, s, 200, &p);
        else if (rc == 0)
            web_reply_error(r, 409, "already_in_team", "you are already in team '%s'", t.name);
        else
            web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (!existed && c.registration == WEB_REG_ADMIN) {
        web_reply_error(r, 403, "registration_closed", "the jury registers this contest's participants");
        goto out;
    }
    if (!existed && c.registration == WEB_REG_CODE && !code_right) {
        if (code)
            web_guess_failed(r, s);             /* security */
        web_reply_error(r, 403, "wrong_code", "code: wrong or missing registration code");
        goto out;
    }
    if ((rc = web_store_tx_begin(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 1;
    if (team_name) {
        t.contest_id = c.id;
        str_fmt(t.name, sizeof(t.name), "%s", team_name);
        t.created_at = r->now;
        if ((rc = web_store_team_create(s, &t, &err)) == WEB_STORE_CONFLICT) {
            web_reply_error(r, 409, "name_taken", "team_name: team '%s' exists in this contest", t.name);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    if (!existed) {
        p.contest_id = c.id;
        p.user_id = r->user.id;
        p.role = WEB_CROLE_PARTICIPANT;
        p.registered_at = r->now;
    }
    p.team_id = t.id;
    if ((rc = web_store_participant_put(s, &p, &err)) < 0 || (rc = web_store_tx_commit(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 0;
    log_info("web", "contest %lld: '%s' registered%s", (long long)c.id, r->user.name, t.id ? " with a team" : "");
    reply_participant(r, s, existed ? 200 : 201, &p);
out:
    if (in_tx)
        web_store_tx_rollback(s, NULL);
    cJSON_Delete(body);
}

void web_api_contest_participants(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_participant_list l;
    struct err err;
    int rc = 0;
    if (load_as_jury(r, s, &c, &a) < 0)
        return;
    if ((rc = web_store_participants(s, c.id, 0, &l, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "participants");
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        cJSON *pj;
        if ((rc = participant_json(s, &l.v[i], &pj, &err)) == 0)
            cJSON_AddItemToArray(arr, pj);
    }
    web_participant_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

static const struct web_json_field participant_fields[] = {
    { "user", WEB_JSON_STRING, 1 },
    { "role", WEB_JSON_STRING, 0 },
    { "team", WEB_JSON_INT, 0 },
};

/* Looks up a user named in a body: 422 unknown_user when there is none. */
static int named_user(struct web_req *r, struct web_store *s, const char *field, const char *name,
                      struct web_user *u)
{
    struct err err;
    int rc = web_store_user_by_name(s, name, u, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
        web_reply_error(r, 422, "unknown_user", "%s: no user '%.64s'", field, name);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

void web_api_contest_participant_add(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_participant p = { 0 }, old;
    struct web_user u;
    struct web_team t;
    struct err err;
    char target[64], detail[WEB_NAME_MAX + 96];
    cJSON *body = web_json_body(r, participant_fields, sizeof(participant_fields) / sizeof(participant_fields[0]));
    if (!body)
        return;
    if (load_as_jury(r, s, &c, &a) < 0)
        goto out;
    const char *role = web_json_str(body, "role", "participant");
    int64_t team = web_json_i64(body, "team", 0);
    if (web_contest_role_parse(role, &p.role) < 0) {
        web_reply_error(r, 400, "invalid_field", "role: must be \"participant\" or \"jury\"");
        goto out;
    }
    if (team != 0 && p.role == WEB_CROLE_JURY) {
        web_reply_error(r, 400, "invalid_field", "team: the jury is in no team");
        goto out;
    }
    if (named_user(r, s, "user", web_json_str(body, "user", ""), &u) < 0)
        goto out;
    if (team != 0) {
        int rc = web_store_team_by_id(s, team > 0 ? team : 0, &t, &err);
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID || (rc == 0 && t.contest_id != c.id)) {
            web_reply_error(r, 422, "unknown_team", "team: no team %lld in this contest", (long long)team);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    int rc = web_store_participant_get(s, c.id, u.id, &old, &err);
    if (rc < 0 && rc != ERR_NOTFOUND) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    int existed = rc == 0;
    p.contest_id = c.id;
    p.user_id = u.id;
    p.team_id = team;
    p.registered_at = existed ? old.registered_at : r->now;
    if ((rc = web_store_participant_put(s, &p, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    str_fmt(target, sizeof(target), "contest %lld", (long long)c.id);
    str_fmt(detail, sizeof(detail), "%s as %s, team %lld", u.name, web_contest_role_name(p.role), (long long)team);
    web_audit(r, s, "contest.participant_add", target, detail);
    reply_participant(r, s, existed ? 200 : 201, &p);
out:
    cJSON_Delete(body);
}

void web_api_contest_participant_remove(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct err err;
    char target[64], detail[64];
    if (load_as_jury(r, s, &c, &a) < 0)
        return;
    int rc = web_store_participant_remove(s, c.id, r->id2, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "user %lld is not in this contest", (long long)r->id2);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    str_fmt(target, sizeof(target), "contest %lld", (long long)c.id);
    str_fmt(detail, sizeof(detail), "user %lld", (long long)r->id2);
    web_audit(r, s, "contest.participant_remove", target, detail);
    web_reply_empty(r, 204);
}

void web_api_contest_teams(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_team_list tl = { 0 };
    struct web_participant_list pl = { 0 };
    struct err err;
    int rc;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    if ((rc = web_store_teams_of_contest(s, c.id, &tl, &err)) < 0 ||
        (rc = web_store_participants(s, c.id, 0, &pl, &err)) < 0) {
        web_team_list_release(&tl);
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "teams");
    cJSON **members = calloc(tl.n + 1, sizeof(*members));
    if (!members)
        abort();
    for (size_t i = 0; i < tl.n; i++) {
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "id", tl.v[i].id);
        cJSON_AddStringToObject(x, "name", tl.v[i].name);
        members[i] = cJSON_AddArrayToObject(x, "members");
        cJSON_AddItemToArray(arr, x);
    }
    for (size_t i = 0; i < pl.n && rc == 0; i++) {
        struct web_user u;
        if (!pl.v[i].team_id)
            continue;
        size_t k;
        for (k = 0; k < tl.n && tl.v[k].id != pl.v[i].team_id; k++)
            ;
        if (k == tl.n)
            continue;
        if ((rc = web_store_user_by_id(s, pl.v[i].user_id, &u, &err)) == 0)
            cJSON_AddItemToArray(members[k], cJSON_CreateString(u.name));
    }
    free(members);
    web_team_list_release(&tl);
    web_participant_list_release(&pl);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

static const struct web_json_field team_fields[] = {
    { "name", WEB_JSON_STRING, 1 },
    { "members", WEB_JSON_ARRAY, 0 },
};

void web_api_contest_team_create(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_team t = { 0 };
    struct web_user *users = NULL;
    struct err err;
    int rc, in_tx = 0;
    cJSON *body = web_json_body(r, team_fields, sizeof(team_fields) / sizeof(team_fields[0]));
    if (!body)
        return;
    if (load_as_jury(r, s, &c, &a) < 0)
        goto out;
    const char *name = web_json_str(body, "name", "");
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(body, "members");
    int n = members ? cJSON_GetArraySize(members) : 0;
    if (!line_ok(name, WEB_TITLE_MAX)) {
        web_reply_error(r, 400, "invalid_field", "name: 1 to 256 bytes of UTF-8 text on one line");
        goto out;
    }
    if (n > TEAM_MEMBERS_MAX) {
        web_reply_error(r, 400, "invalid_field", "members: at most %d", TEAM_MEMBERS_MAX);
        goto out;
    }
    users = calloc((size_t)n + 1, sizeof(*users));
    if (!users)
        abort();
    int i = 0;
    for (const cJSON *x = members ? members->child : NULL; x; x = x->next, i++) {
        struct web_participant p;
        char field[32];
        str_fmt(field, sizeof(field), "members[%d]", i);
        if (!cJSON_IsString(x) || !x->valuestring) {
            web_reply_error(r, 400, "invalid_field", "%s: must be a user name", field);
            goto out;
        }
        if (named_user(r, s, field, x->valuestring, &users[i]) < 0)
            goto out;
        for (int j = 0; j < i; j++)
            if (users[j].id == users[i].id) {
                web_reply_error(r, 400, "invalid_field", "%s: '%s' appears twice", field, users[i].name);
                goto out;
            }
        rc = web_store_participant_get(s, c.id, users[i].id, &p, &err);
        if (rc == 0 && p.role == WEB_CROLE_JURY) {
            web_reply_error(r, 409, "is_jury", "%s: '%s' is on this contest's jury", field, users[i].name);
            goto out;
        }
        if (rc == 0 && p.team_id) {
            web_reply_error(r, 409, "already_in_team", "%s: '%s' is already in a team of this contest", field,
                            users[i].name);
            goto out;
        }
        if (rc < 0 && rc != ERR_NOTFOUND) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    if ((rc = web_store_tx_begin(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 1;
    t.contest_id = c.id;
    str_fmt(t.name, sizeof(t.name), "%s", name);
    t.created_at = r->now;
    if ((rc = web_store_team_create(s, &t, &err)) == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "name_taken", "name: team '%s' exists in this contest", t.name);
        goto out;
    }
    for (int k = 0; k < n && rc == 0; k++) {
        struct web_participant p = { 0 }, old;
        rc = web_store_participant_get(s, c.id, users[k].id, &old, &err);
        if (rc < 0 && rc != ERR_NOTFOUND)
            break;
        p.contest_id = c.id;
        p.user_id = users[k].id;
        p.role = WEB_CROLE_PARTICIPANT;
        p.team_id = t.id;
        p.registered_at = rc == 0 ? old.registered_at : r->now;
        rc = web_store_participant_put(s, &p, &err);
    }
    if (rc == 0)
        rc = web_store_tx_commit(s, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 0;
    audit_contest(r, s, "contest.team_create", c.id, body);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", t.id);
    web_reply_json(r, 201, o);
out:
    if (in_tx)
        web_store_tx_rollback(s, NULL);
    free(users);
    cJSON_Delete(body);
}
