/*
 * api_compute.c: compute budgets. Every judging records the CPU-seconds and
 * GPU-seconds it used (api_judge.c stores them with the result); this file
 * sums them per contest, user and team, per UTC day and in total, lets the
 * jury set quotas on them, refuses contest submissions over a quota (the
 * one call api_submissions.c makes) and shows users their usage.
 *
 * How quotas count: a quota is per contest and scope ("user": each
 * participant's own submissions; "team": all of a team's). Usage is the sum
 * over the finished judgings of those submissions, rejudged ones included;
 * "today" is what finished since the last UTC midnight. A submission is
 * refused while any limit is reached (used >= limit), so a run that started
 * under the limit may end over it: the next submission is the one refused.
 * The jury is held to no quota.
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "problems.h"

#define DAY 86400

static int64_t day_start(int64_t now)
{
    return now - now % DAY;
}

static void iso_time(int64_t t, char out[32])
{
    time_t secs = (time_t)t;
    struct tm tm;
    gmtime_r(&secs, &tm);
    if (!strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        str_fmt(out, 32, "?");
}

double web_compute_clamp(double v)
{
    if (!(v > 0))                           /* negative, zero or NaN */
        return 0;
    return v < WEB_COMPUTE_MAX ? v : WEB_COMPUTE_MAX;
}

/* ---- hooks in other handlers ------------------------------------------------------------------------ */

int web_claim_gpu_model(struct web_req *r, const cJSON *body, cJSON *caps)
{
    const char *model = web_json_str(body, "gpu_model", NULL);
    if (!model)
        return 0;
    if (strlen(model) > WEB_TITLE_MAX || !web_utf8_valid(model, strlen(model))) {
        web_reply_error(r, 400, "invalid_field", "gpu_model: at most %d bytes of UTF-8", WEB_TITLE_MAX);
        return -1;
    }
    for (const char *c = model; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            web_reply_error(r, 400, "invalid_field", "gpu_model: no control characters");
            return -1;
        }
    cJSON_AddStringToObject(caps, "gpu_model", model);
    return 0;
}

int web_compute_problem_store(struct web_req *r, struct web_store *s, int64_t problem_id,
                              const struct prb_problem *p)
{
    struct err err;
    int64_t gpus = p->ai ? p->ai->gpus : 0;
    if (gpus <= 0)
        return 0;                           /* the column's default */
    int rc = web_store_problem_gpus_set(s, problem_id, gpus, &err);
    if (rc == ERR_INVALID) {
        web_reply_error(r, 422, "invalid_package", "crucible.ai.gpus: %s", err.msg);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

/* ---- quota checks ----------------------------------------------------------------------------------------- */

struct limit {
    const char *name;                       /* the body field */
    int gpu;                                /* GPU-seconds, else CPU-seconds */
    int daily;
};

/* Totals first: a daily reset does not help when the total is used up. */
static const struct limit limits[] = {
    { "cpu_seconds_total", 0, 0 },
    { "gpu_seconds_total", 1, 0 },
    { "cpu_seconds_per_day", 0, 1 },
    { "gpu_seconds_per_day", 1, 1 },
};
#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

static double limit_of(const struct web_quota *q, const struct limit *l)
{
    if (l->gpu)
        return l->daily ? q->gpu_seconds_per_day : q->gpu_seconds_total;
    return l->daily ? q->cpu_seconds_per_day : q->cpu_seconds_total;
}

static double used_of(const struct web_usage *u, const struct limit *l)
{
    if (l->gpu)
        return l->daily ? u->gpu_day : u->gpu_total;
    return l->daily ? u->cpu_day : u->cpu_total;
}

/* The quota of a scope, zeros (unlimited) when none; *found whether one is set. */
static int quota_load(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, struct web_quota *q,
                      int *found, struct err *err)
{
    int rc = web_store_quota_get(s, contest_id, scope, q, err);
    *found = rc == 0;
    if (rc == ERR_NOTFOUND) {
        memset(q, 0, sizeof(*q));
        q->contest_id = contest_id;
        q->scope = scope;
        return 0;
    }
    return rc;
}

static int usage_one(struct web_store *s, int64_t contest_id, enum web_quota_scope scope, int64_t id, int64_t now,
                     struct web_usage *out, struct err *err)
{
    struct web_usage_list l;
    memset(out, 0, sizeof(*out));
    out->id = id;
    int rc = web_store_usage(s, contest_id, scope, id, day_start(now), &l, err);
    if (rc < 0)
        return rc;
    if (l.n)
        *out = l.v[0];
    web_usage_list_release(&l);
    return 0;
}

/* Replies 429 quota_exceeded for limit l of scope. */
static void refuse(struct web_req *r, enum web_quota_scope scope, const struct limit *l, double limit, double used)
{
    char when[32] = "never", msg[384];
    int64_t reset = day_start(r->now) + DAY;
    if (l->daily)
        iso_time(reset, when);
    str_fmt(msg, sizeof(msg), "%s quota %s used up: %.6g of %.6g %s-seconds used, 0 left; resets %s%s",
            web_quota_scope_name(scope), l->name, used, limit, l->gpu ? "GPU" : "CPU", l->daily ? "at " : "",
            when);
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", "quota_exceeded");
    cJSON_AddStringToObject(e, "message", msg);
    cJSON_AddStringToObject(e, "scope", web_quota_scope_name(scope));
    cJSON_AddStringToObject(e, "quota", l->name);
    cJSON_AddNumberToObject(e, "limit", limit);
    cJSON_AddNumberToObject(e, "used", used);
    cJSON_AddNumberToObject(e, "left", 0);
    cJSON_AddStringToObject(e, "resets_at", when);
    web_reply_json(r, 429, o);
    if (l->daily) {
        char after[24];
        str_fmt(after, sizeof(after), "%lld", (long long)(reset - r->now));
        web_reply_header(r, "Retry-After", after);
    }
}

int web_compute_quota_check(struct web_req *r, struct web_store *s, int64_t contest_id, int64_t user_id,
                            int64_t team_id)
{
    struct err err;
    int rc;
    for (int sc = 0; sc < 2; sc++) {
        enum web_quota_scope scope = sc ? WEB_QUOTA_TEAM : WEB_QUOTA_USER;
        int64_t id = sc ? team_id : user_id;
        struct web_quota q;
        struct web_usage u;
        int found;
        if (id <= 0)
            continue;
        if ((rc = quota_load(s, contest_id, scope, &q, &found, &err)) < 0)
            goto fail;
        if (!found)
            continue;
        if ((rc = usage_one(s, contest_id, scope, id, r->now, &u, &err)) < 0)
            goto fail;
        for (size_t i = 0; i < NLIMITS; i++) {
            double limit = limit_of(&q, &limits[i]), used = used_of(&u, &limits[i]);
            if (limit > 0 && used >= limit) {
                log_info("web", "contest %lld: %s %lld over quota %s", (long long)contest_id,
                         web_quota_scope_name(scope), (long long)id, limits[i].name);
                refuse(r, scope, &limits[i], limit, used);
                return -1;
            }
        }
    }
    return 0;
fail:
    web_reply_store_error(r, rc, &err);
    return -1;
}

/* ---- JSON ------------------------------------------------------------------------------------------------------ */

static void add_limit(cJSON *o, const char *name, double v)
{
    if (v > 0)
        cJSON_AddNumberToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

/* A quota as the API shows it: null fields unlimited; null when none is set. */
static cJSON *quota_json(const struct web_quota *q, int found)
{
    if (!found)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scope", web_quota_scope_name(q->scope));
    for (size_t i = 0; i < NLIMITS; i++)
        add_limit(o, limits[i].name, limit_of(q, &limits[i]));
    web_json_add_i64(o, "updated_at", q->updated_at);
    return o;
}

/* One user's or team's usage, with what is left under q (null: unlimited). */
static cJSON *usage_json(const struct web_usage *u, const char *name, const struct web_quota *q)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", u->id);
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddNumberToObject(o, "cpu_seconds_today", u->cpu_day);
    cJSON_AddNumberToObject(o, "cpu_seconds_total", u->cpu_total);
    cJSON_AddNumberToObject(o, "gpu_seconds_today", u->gpu_day);
    cJSON_AddNumberToObject(o, "gpu_seconds_total", u->gpu_total);
    cJSON *left = cJSON_AddObjectToObject(o, "left");
    for (size_t i = 0; i < NLIMITS; i++) {
        double limit = limit_of(q, &limits[i]), used = used_of(u, &limits[i]);
        if (limit > 0)
            cJSON_AddNumberToObject(left, limits[i].name, used < limit ? limit - used : 0);
        else
            cJSON_AddNullToObject(left, limits[i].name);
    }
    return o;
}

static void user_name(struct web_store *s, int64_t id, char out[WEB_NAME_MAX + 1])
{
    struct web_user u;
    str_fmt(out, WEB_NAME_MAX + 1, "%s", web_store_user_by_id(s, id, &u, NULL) == 0 ? u.name : "");
}

static void team_name(struct web_store *s, int64_t id, char out[WEB_TITLE_MAX + 1])
{
    struct web_team t;
    str_fmt(out, WEB_TITLE_MAX + 1, "%s", web_store_team_by_id(s, id, &t, NULL) == 0 ? t.name : "");
}

/* ---- GET and PUT /api/v1/contests/{id}/quota -------------------------------------------------------------- */

/* "contest", "day_start", "resets_at" and "quotas" {user, team}; NULL after a reply. */
static cJSON *quota_reply(struct web_req *r, struct web_store *s, int64_t contest_id, struct web_quota q[2])
{
    struct err err;
    char day[32], reset[32];
    int found[2], rc;
    for (int sc = 0; sc < 2; sc++)
        if ((rc = quota_load(s, contest_id, sc ? WEB_QUOTA_TEAM : WEB_QUOTA_USER, &q[sc], &found[sc], &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            return NULL;
        }
    iso_time(day_start(r->now), day);
    iso_time(day_start(r->now) + DAY, reset);
    cJSON *o = cJSON_CreateObject(), *qs;
    web_json_add_i64(o, "contest", contest_id);
    cJSON_AddStringToObject(o, "day_start", day);
    cJSON_AddStringToObject(o, "resets_at", reset);
    qs = cJSON_AddObjectToObject(o, "quotas");
    cJSON_AddItemToObject(qs, "user", quota_json(&q[0], found[0]));
    cJSON_AddItemToObject(qs, "team", quota_json(&q[1], found[1]));
    return o;
}

void web_api_quota_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_quota q[2];
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    cJSON *o = quota_reply(r, s, c.id, q);
    if (o)
        web_reply_json(r, 200, o);
}

void web_api_quota_put(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "scope", WEB_JSON_STRING, 1 },
        { "cpu_seconds_per_day", WEB_JSON_INT_OR_NULL, 0 },
        { "cpu_seconds_total", WEB_JSON_INT_OR_NULL, 0 },
        { "gpu_seconds_per_day", WEB_JSON_INT_OR_NULL, 0 },
        { "gpu_seconds_total", WEB_JSON_INT_OR_NULL, 0 },
    };
    struct web_contest c;
    struct web_contest_access a;
    struct web_quota q = { 0 }, all[2];
    struct err err;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        goto out;
    if (!a.jury) {
        web_reply_error(r, 403, "forbidden", "only the contest's jury may set quotas");
        goto out;
    }
    if (web_quota_scope_parse(web_json_str(body, "scope", ""), &q.scope) < 0) {
        web_reply_error(r, 400, "invalid_field", "scope: must be \"user\" or \"team\"");
        goto out;
    }
    q.contest_id = c.id;
    q.updated_at = r->now;
    for (size_t i = 0; i < NLIMITS; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, limits[i].name);
        double x = cJSON_IsNumber(v) ? v->valuedouble : 0;
        if (x < 0 || x > WEB_COMPUTE_MAX) {
            web_reply_error(r, 400, "invalid_field", "%s: must be from 0 (unlimited) to %.0f seconds",
                            limits[i].name, WEB_COMPUTE_MAX);
            goto out;
        }
        double *field = limits[i].gpu ? (limits[i].daily ? &q.gpu_seconds_per_day : &q.gpu_seconds_total)
                                       : (limits[i].daily ? &q.cpu_seconds_per_day : &q.cpu_seconds_total);
        *field = x;
    }
    int rc = web_store_quota_put(s, &q, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    {
        char target[64], detail[256];
        str_fmt(target, sizeof(target), "contest %lld", (long long)c.id);
        str_fmt(detail, sizeof(detail),
                "{\"scope\": \"%s\", \"cpu_seconds_per_day\": %.0f, \"cpu_seconds_total\": %.0f, "
                "\"gpu_seconds_per_day\": %.0f, \"gpu_seconds_total\": %.0f}",
                web_quota_scope_name(q.scope), q.cpu_seconds_per_day, q.cpu_seconds_total, q.gpu_seconds_per_day,
                q.gpu_seconds_total);
        web_audit(r, s, "contest.quota", target, detail);
    }
    log_info("web", "contest %lld: %s quota set by '%s'", (long long)c.id, web_quota_scope_name(q.scope),
             r->user.name);
    cJSON *o = quota_reply(r, s, c.id, all);
    if (o)
        web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}

/* ---- GET /api/v1/contests/{id}/usage ------------------------------------------------------------------------ */

/* One user's usage (and their team's) against the quotas, into o. */
static int usage_of_user(struct web_req *r, struct web_store *s, int64_t contest_id, int64_t user_id,
                         int64_t team_id, const struct web_quota q[2], cJSON *o)
{
    struct web_usage u;
    struct err err;
    char name[WEB_TITLE_MAX + 1];
    int rc = usage_one(s, contest_id, WEB_QUOTA_USER, user_id, r->now, &u, &err);
    if (rc < 0)
        goto fail;
    user_name(s, user_id, name);
    cJSON_AddItemToObject(o, "user", usage_json(&u, name, &q[0]));
    if (team_id <= 0) {
        cJSON_AddNullToObject(o, "team");
        return 0;
    }
    if ((rc = usage_one(s, contest_id, WEB_QUOTA_TEAM, team_id, r->now, &u, &err)) < 0)
        goto fail;
    team_name(s, team_id, name);
    cJSON_AddItemToObject(o, "team", usage_json(&u, name, &q[1]));
    return 0;
fail:
    web_reply_store_error(r, rc, &err);
    return -1;
}

/* The jury's view: every user and team that used anything. */
static int usage_all(struct web_req *r, struct web_store *s, int64_t contest_id, const struct web_quota q[2],
                     cJSON *o)
{
    struct err err;
    char name[WEB_TITLE_MAX + 1];
    for (int sc = 0; sc < 2; sc++) {
        struct web_usage_list l;
        int rc = web_store_usage(s, contest_id, sc ? WEB_QUOTA_TEAM : WEB_QUOTA_USER, 0, day_start(r->now), &l,
                                 &err);
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        cJSON *arr = cJSON_AddArrayToObject(o, sc ? "teams" : "users");
        for (size_t i = 0; i < l.n; i++) {
            if (sc)
                team_name(s, l.v[i].id, name);
            else
                user_name(s, l.v[i].id, name);
            cJSON_AddItemToArray(arr, usage_json(&l.v[i], name, &q[sc]));
        }
        web_usage_list_release(&l);
    }
    return 0;
}

void web_api_usage_get(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_quota q[2];
    struct err err;
    cJSON *o = NULL;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    const char *who = web_req_query(r, "user");
    if (who && !a.jury) {
        web_reply_error(r, 403, "forbidden", "only the contest's jury may see another user's usage");
        return;
    }
    if (!who && !a.jury && !a.participant) {
        web_reply_error(r, 403, "not_registered", "you are not registered in this contest");
        return;
    }
    if (!(o = quota_reply(r, s, c.id, q)))
        return;
    if (who) {
        struct web_user u;
        struct web_participant p;
        int rc = web_store_user_by_name(s, who, &u, &err);
        if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
            web_reply_error(r, 404, "not_found", "no user '%.64s'", who);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        rc = web_store_participant_get(s, c.id, u.id, &p, &err);
        if (rc < 0 && rc != ERR_NOTFOUND) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        if (usage_of_user(r, s, c.id, u.id, rc == 0 ? p.team_id : 0, q, o) < 0)
            goto out;
    } else if (a.jury) {
        if (usage_all(r, s, c.id, q, o) < 0)
            goto out;
    } else if (usage_of_user(r, s, c.id, r->user.id, a.team_id, q, o) < 0) {
        goto out;
    }
    web_reply_json(r, 200, o);
    o = NULL;
out:
    cJSON_Delete(o);
}
