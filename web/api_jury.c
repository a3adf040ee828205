/*
 * api_jury.c: what a contest's jury does besides setting the contest up:
 * clarifications (participants ask, the jury answers one asker or everyone,
 * or announces), rejudging a set of submissions with a preview first and a
 * before/after view afterwards, and keeping a submission off the
 * scoreboards. Who is jury comes from web_contest_access_get (api_contests.c):
 * the contest's jury participants and every admin.
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- user names for replies ---------------------------------------------------------------------------
 * A list names the same few users again and again: each is looked up once. */
struct names {
    struct {
        int64_t id;
        char name[WEB_NAME_MAX + 1];
    } *v;
    size_t n, alloc;
};

static void names_release(struct names *nm)
{
    free(nm->v);
    memset(nm, 0, sizeof(*nm));
}

/* The user's name, or NULL for id 0 or a user that is gone. Borrowed from nm. */
static const char *names_get(struct names *nm, struct web_store *s, int64_t id)
{
    struct web_user u;
    if (id <= 0)
        return NULL;
    for (size_t i = 0; i < nm->n; i++)
        if (nm->v[i].id == id)
            return nm->v[i].name;
    if (web_store_user_by_id(s, id, &u, NULL) < 0)
        return NULL;
    sodium_memzero(u.password_hash, sizeof(u.password_hash));
    if (nm->n == nm->alloc) {
        nm->alloc = nm->alloc ? nm->alloc * 2 : 8;
        void *v = realloc(nm->v, nm->alloc * sizeof(*nm->v));
        if (!v)
            abort();
        nm->v = v;
    }
    nm->v[nm->n].id = id;
    memcpy(nm->v[nm->n].name, u.name, sizeof(u.name));
    return nm->v[nm->n++].name;
}

static void add_id_or_null(cJSON *o, const char *key, int64_t id)
{
    if (id > 0)
        web_json_add_i64(o, key, id);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s && *s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

/* ---- clarifications -----------------------------------------------------------------------------------
 * Who sees what (storage's clarifications_for): the jury everything; anyone
 * else announcements, answers to everyone, and what they or their team asked
 * or were sent. A question is from its asker (and their team); the jury's
 * messages are from nobody in particular (from: null). An answer to a
 * question goes to the asker and their team, or with to: "all" to everyone.
 */
static cJSON *clar_json(const struct web_clarification *c, struct names *nm, struct web_store *s)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", c->id);
    web_json_add_i64(o, "contest", c->contest_id);
    add_id_or_null(o, "problem", c->problem_id);
    add_str_or_null(o, "from", names_get(nm, s, c->from_user_id));
    add_str_or_null(o, "to", c->kind == WEB_CLAR_QUESTION ? NULL : names_get(nm, s, c->to_user_id));
    add_id_or_null(o, "team", c->team_id);
    add_id_or_null(o, "reply_to", c->reply_to);
    cJSON_AddBoolToObject(o, "announcement", c->kind == WEB_CLAR_ANNOUNCEMENT);
    web_json_add_i64(o, "time", c->created_at);
    web_json_add_text(o, "text", c->text, strlen(c->text ? c->text : ""));
    return o;
}

void web_api_clarification_list(struct web_req *r, struct web_store *s)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_clarification_list l;
    struct names nm = { 0 };
    struct err err;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        return;
    int rc = web_store_clarifications_for(s, c.id, a.jury ? 0 : r->user.id, a.jury ? 0 : a.team_id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "clarifications");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, clar_json(&l.v[i], &nm, s));
    web_clarification_list_release(&l);
    names_release(&nm);
    web_reply_json(r, 200, o);
}

/* 1 if problem_id is one of the contest's problems, 0 if not, <0 on error. */
static int contest_has_problem(struct web_store *s, int64_t contest_id, int64_t problem_id, struct err *err)
{
    struct web_contest_problem_list l;
    int rc = web_store_contest_problems(s, contest_id, &l, err);
    if (rc < 0)
        return rc;
    int found = 0;
    for (size_t i = 0; i < l.n && !found; i++)
        found = l.v[i].problem_id == problem_id;
    web_contest_problem_list_release(&l);
    return found;
}

/* The jury's side of a new clarification: its kind, recipient and team. -1 after a reply. */
static int clar_jury_target(struct web_req *r, struct web_store *s, const struct web_contest *c, const cJSON *body,
                            struct web_clarification *cl)
{
    struct err err;
    int announcement = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "announcement"));
    int64_t reply_to = web_json_i64(body, "reply_to", 0);
    const char *to = web_json_str(body, "to", NULL);
    int rc;
    cl->from_user_id = 0;
    if (announcement) {
        if (reply_to || to) {
            web_reply_error(r, 400, "invalid_field", "an announcement goes to everyone: no reply_to or to");
            return -1;
        }
        cl->kind = WEB_CLAR_ANNOUNCEMENT;
        return 0;
    }
    cl->kind = WEB_CLAR_ANSWER;
    if (cJSON_GetObjectItemCaseSensitive(body, "reply_to")) {
        struct web_clarification q = { 0 };
        rc = reply_to > 0 ? web_store_clarification_by_id(s, reply_to, &q, &err) : ERR_NOTFOUND;
        if (rc == 0 && q.contest_id != c->id)
            rc = ERR_NOTFOUND;
        if (rc == ERR_NOTFOUND) {
            web_clarification_release(&q);
            web_reply_error(r, 404, "not_found", "no clarification %lld in this contest", (long long)reply_to);
            return -1;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        int question = q.kind == WEB_CLAR_QUESTION;
        web_clarification_release(&q);
        if (!question) {
            web_reply_error(r, 400, "invalid_field", "reply_to: clarification %lld is not a question",
                            (long long)reply_to);
            return -1;
        }
        cl->reply_to = q.id;
        cl->to_user_id = q.from_user_id;
        cl->team_id = q.team_id;
        if (!cl->problem_id)
            cl->problem_id = q.problem_id;
    }
    if (to && !strcmp(to, "all")) {
        cl->to_user_id = 0;
        cl->team_id = 0;
    } else if (to) {
        struct web_user u;
        struct web_participant p;
        rc = web_store_user_by_name(s, to, &u, &err);
        if (rc == 0) {
            sodium_memzero(u.password_hash, sizeof(u.password_hash));
            rc = web_store_participant_get(s, c->id, u.id, &p, &err);
            if (rc == 0 && p.role != WEB_CROLE_PARTICIPANT)
                rc = ERR_NOTFOUND;
        }
        if (rc == ERR_NOTFOUND) {
            web_reply_error(r, 422, "unknown_user", "to: '%.64s' is not a participant of this contest", to);
            return -1;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        if (cl->reply_to && u.id != cl->to_user_id) {
            web_reply_error(r, 400, "invalid_field", "to: an answer goes to the asker or to \"all\"");
            return -1;
        }
        cl->to_user_id = u.id;
        cl->team_id = p.team_id;
    }
    return 0;
}

void web_api_clarification_create(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "text", WEB_JSON_STRING, 1 },
        { "problem", WEB_JSON_INT, 0 },
        { "reply_to", WEB_JSON_INT, 0 },
        { "to", WEB_JSON_STRING, 0 },
        { "announcement", WEB_JSON_BOOL, 0 },
    };
    struct web_contest c;
    struct web_contest_access a;
    struct web_clarification cl = { 0 };
    struct names nm = { 0 };
    struct err err;
    int rc;
    cJSON *body = web_json_body(r, fields, N(fields));
    if (!body)
        return;
    if (web_contest_load(r, s, r->id, &c, &a) < 0)
        goto out;
    const char *text = web_json_str(body, "text", "");
    size_t len = strlen(text);
    if (len > WEB_TEXT_MAX) {
        web_reply_error(r, 413, "too_large", "text is longer than %d bytes", WEB_TEXT_MAX);
        goto out;
    }
    if (len == 0 || !utf8_valid(text, len, UTF8_NO_CONTROLS | UTF8_ALLOW_LINES)) {
        web_reply_error(r, 400, "invalid_field", "text must be non-empty UTF-8 text without control characters");
        goto out;
    }
    if (!a.jury) {
        if (cJSON_GetObjectItemCaseSensitive(body, "reply_to") || cJSON_GetObjectItemCaseSensitive(body, "to") ||
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "announcement"))) {
            web_reply_error(r, 403, "forbidden", "only the jury answers and announces");
            goto out;
        }
        if (!a.participant) {
            web_reply_error(r, 403, "not_registered", "only the contest's participants may ask");
            goto out;
        }
        if (!web_contest_running(&c, r->now)) {
            web_reply_error(r, 400, "contest_not_running", "questions are taken while the contest runs");
            goto out;
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(body, "problem")) {
        int64_t pid = web_json_i64(body, "problem", 0);
        rc = pid > 0 ? contest_has_problem(s, c.id, pid, &err) : 0;
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        if (rc == 0) {
            web_reply_error(r, 422, "unknown_problem", "problem %lld is not in this contest", (long long)pid);
            goto out;
        }
        cl.problem_id = pid;
    }
    if (a.jury) {
        if (clar_jury_target(r, s, &c, body, &cl) < 0)
            goto out;
    } else {
        cl.kind = WEB_CLAR_QUESTION;
        cl.from_user_id = r->user.id;
        cl.team_id = a.team_id;
    }
    cl.contest_id = c.id;
    cl.created_at = r->now;
    cl.text = (char *)text;
    if ((rc = web_store_clarification_create(s, &cl, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (a.jury) {
        char target[64], detail[128];
        str_fmt(target, sizeof(target), "clarification %lld", (long long)cl.id);
        str_fmt(detail, sizeof(detail), "contest %lld: %s%s%s", (long long)c.id, web_clar_kind_name(cl.kind),
                cl.reply_to ? " to a question" : "", cl.kind == WEB_CLAR_ANSWER && !cl.to_user_id ? ", to all" : "");
        web_audit(r, s, "clarification.create", target, detail);
    }
    log_info("web", "clarification %lld in contest %lld (%s) by '%s'", (long long)cl.id, (long long)c.id,
             web_clar_kind_name(cl.kind), r->user.name);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "clarification", clar_json(&cl, &nm, s));
    names_release(&nm);
    web_reply_json(r, 201, o);
out:
    cJSON_Delete(body);
}

/* ---- rejudgings -------------------------------------------------------------------------------------------
 * How a rejudging goes: the jury names one submission, a problem or a
 * contest, optionally only those with one verdict ("WA"), and previews the
 * set (nothing changes); then posts it without preview: storage records the
 * set with each verdict in effect and queues every one again in a single
 * transaction. GET shows before and after per submission as judges finish,
 * and how many changed: the review before the new verdicts are trusted.
 * Admins may rejudge anything; anyone else only in contests they are jury
 * of (for a problem: its submissions in those contests).
 */
static const char *const verdicts[] = { "AC", "WA", "TLE", "MLE", "OLE", "RTE", "CE", "JE" };

/* Whether the caller is jury of contest_id (0 never); <0 on error. */
static int is_jury_of(struct web_req *r, struct web_store *s, int64_t contest_id, struct err *err)
{
    struct web_contest c;
    struct web_contest_access a;
    if (contest_id <= 0)
        return 0;
    int rc = web_contest_access_get(r, s, contest_id, &c, &a, err);
    if (rc == ERR_NOTFOUND)
        return 0;
    return rc < 0 ? rc : a.jury;
}

static int is_admin(const struct web_req *r)
{
    return r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_ADMIN;
}

static cJSON *entry_json(const struct web_rejudging_entry *e, int with_after)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "submission", e->submission_id);
    add_id_or_null(o, "contest", e->contest_id);
    web_json_add_i64(o, "problem", e->problem_id);
    web_json_add_i64(o, "user", e->user_id);
    add_str_or_null(o, "before", e->before);
    if (with_after) {
        add_str_or_null(o, "after", e->after);
        cJSON_AddBoolToObject(o, "changed", e->after[0] && strcmp(e->after, e->before) != 0);
    } else {
        cJSON_AddStringToObject(o, "status", web_sub_status_name(e->status));
    }
    return o;
}

/* The rejudging as GET shows it; replies on failure and returns NULL. */
static cJSON *rejudging_json(struct web_req *r, struct web_store *s, const struct web_rejudging *rj)
{
    struct web_rejudging_entry_list l;
    struct names nm = { 0 };
    struct err err;
    int rc = web_store_rejudging_entries(s, rj->id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    int64_t done = 0, changed = 0;
    web_json_add_i64(o, "id", rj->id);
    add_str_or_null(o, "created_by", names_get(&nm, s, rj->created_by));
    web_json_add_i64(o, "created_at", rj->created_at);
    add_id_or_null(o, "submission", rj->filter.submission_id);
    add_id_or_null(o, "problem", rj->filter.problem_id);
    add_id_or_null(o, "contest", rj->filter.contest_id);
    add_str_or_null(o, "verdict", rj->filter.verdict);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < l.n; i++) {
        done += l.v[i].after[0] != '\0';
        changed += l.v[i].after[0] && strcmp(l.v[i].after, l.v[i].before) != 0;
        cJSON_AddItemToArray(arr, entry_json(&l.v[i], 1));
    }
    web_json_add_i64(o, "count", (int64_t)l.n);
    web_json_add_i64(o, "judged", done);
    web_json_add_i64(o, "pending", (int64_t)l.n - done);
    web_json_add_i64(o, "changed", changed);
    cJSON_AddItemToObject(o, "submissions", arr);
    web_rejudging_entry_list_release(&l);
    names_release(&nm);
    return o;
}

/* Fills f from the body and checks the caller may rejudge that; -1 after a reply. */
static int rejudge_scope(struct web_req *r, struct web_store *s, const cJSON *body, struct web_rejudge_filter *f)
{
    static const char *const scopes[] = { "submission", "problem", "contest" };
    struct err err;
    int n = 0, rc;
    for (size_t i = 0; i < N(scopes); i++)
        n += cJSON_GetObjectItemCaseSensitive(body, scopes[i]) != NULL;
    if (n != 1) {
        web_reply_error(r, 400, "invalid_field", "give exactly one of submission, problem and contest");
        return -1;
    }
    const char *verdict = web_json_str(body, "verdict", NULL);
    if (verdict) {
        size_t i;
        for (i = 0; i < N(verdicts); i++)
            if (!strcmp(verdict, verdicts[i]))
                break;
        if (i == N(verdicts)) {
            web_reply_error(r, 400, "invalid_field", "verdict must be one of AC, WA, TLE, MLE, OLE, RTE, CE, JE");
            return -1;
        }
        str_fmt(f->verdict, sizeof(f->verdict), "%s", verdict);
    }
    int64_t sub_id = web_json_i64(body, "submission", 0), problem_id = web_json_i64(body, "problem", 0);
    int64_t contest_id = web_json_i64(body, "contest", 0);
    if (cJSON_GetObjectItemCaseSensitive(body, "submission")) {
        struct web_submission sub;
        rc = sub_id > 0 ? web_store_submission_by_id(s, sub_id, &sub, &err) : ERR_NOTFOUND;
        if (rc == 0 && !is_admin(r) && (rc = is_jury_of(r, s, sub.contest_id, &err)) >= 0)
            rc = rc ? 0 : ERR_NOTFOUND;
        if (rc == ERR_NOTFOUND) {
            web_reply_error(r, 404, "not_found", "no submission %lld", (long long)sub_id);
            return -1;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        f->submission_id = sub.id;
        f->contest_id = sub.contest_id;
        return 0;
    }
    if (cJSON_GetObjectItemCaseSensitive(body, "contest")) {
        struct web_contest c;
        struct web_contest_access a;
        if (contest_id <= 0) {
            web_reply_error(r, 404, "not_found", "no contest %lld", (long long)contest_id);
            return -1;
        }
        if (web_contest_load(r, s, contest_id, &c, &a) < 0)
            return -1;
        if (!a.jury) {
            web_reply_error(r, 403, "forbidden", "only the contest's jury rejudges");
            return -1;
        }
        f->contest_id = c.id;
        return 0;
    }
    struct web_problem p;
    rc = problem_id > 0 ? web_store_problem_by_id(s, problem_id, &p, &err) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND || (rc == 0 && !p.published && !web_req_is_staff(r))) {
        web_reply_error(r, 404, "not_found", "no problem %lld", (long long)problem_id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    f->problem_id = p.id;
    if (!is_admin(r))
        f->jury_user_id = r->user.id;       /* only in the caller's contests */
    return 0;
}

void web_api_rejudging_create(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "submission", WEB_JSON_INT, 0 },
        { "problem", WEB_JSON_INT, 0 },
        { "contest", WEB_JSON_INT, 0 },
        { "verdict", WEB_JSON_STRING, 0 },
        { "preview", WEB_JSON_BOOL, 0 },
    };
    struct web_rejudging rj = { 0 };
    struct err err;
    int64_t count = 0;
    int rc;
    cJSON *body = web_json_body(r, fields, N(fields));
    if (!body)
        return;
    if (rejudge_scope(r, s, body, &rj.filter) < 0)
        goto out;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "preview"))) {
        struct web_rejudging_entry_list l;
        rc = web_store_rejudge_preview(s, &rj.filter, &l, &err);
        if (rc == ERR_LIMIT) {
            web_reply_error(r, 422, "too_many", "%s; narrow it down (a verdict, a problem)", err.msg);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
        cJSON_AddBoolToObject(o, "preview", 1);
        web_json_add_i64(o, "count", (int64_t)l.n);
        for (size_t i = 0; i < l.n; i++)
            cJSON_AddItemToArray(arr, entry_json(&l.v[i], 0));
        cJSON_AddItemToObject(o, "submissions", arr);
        web_rejudging_entry_list_release(&l);
        web_reply_json(r, 200, o);
        goto out;
    }
    rj.created_by = r->user.id;
    rj.created_at = r->now;
    rc = web_store_rejudging_create(s, &rj, &count, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 422, "nothing_to_rejudge", "no submission matches");
        goto out;
    }
    if (rc == ERR_LIMIT) {
        web_reply_error(r, 422, "too_many", "%s; narrow it down (a verdict, a problem)", err.msg);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    {
        char target[64], detail[160];
        str_fmt(target, sizeof(target), "rejudging %lld", (long long)rj.id);
        str_fmt(detail, sizeof(detail), "submission=%lld problem=%lld contest=%lld verdict=%s: %lld submissions",
                (long long)rj.filter.submission_id, (long long)rj.filter.problem_id,
                (long long)rj.filter.contest_id, rj.filter.verdict[0] ? rj.filter.verdict : "any",
                (long long)count);
        web_audit(r, s, "rejudging.create", target, detail);
        log_info("web", "rejudging %lld by '%s': %lld submissions queued again", (long long)rj.id, r->user.name,
                 (long long)count);
    }
    cJSON *rjo = rejudging_json(r, s, &rj);
    if (!rjo)
        goto out;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "rejudging", rjo);
    web_reply_json(r, 201, o);
    char loc[64];
    str_fmt(loc, sizeof(loc), "/api/v1/rejudgings/%lld", (long long)rj.id);
    web_reply_header(r, "Location", loc);
out:
    cJSON_Delete(body);
}

void web_api_rejudging_get(struct web_req *r, struct web_store *s)
{
    struct web_rejudging rj;
    struct err err;
    int rc = web_store_rejudging_by_id(s, r->id, &rj, &err);
    if (rc == 0 && !is_admin(r) && rj.created_by != r->user.id) {
        rc = is_jury_of(r, s, rj.filter.contest_id, &err);
        if (rc >= 0)
            rc = rc ? 0 : ERR_NOTFOUND;
    }
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no rejudging %lld", (long long)r->id);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *rjo = rejudging_json(r, s, &rj);
    if (!rjo)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "rejudging", rjo);
    web_reply_json(r, 200, o);
}

/* ---- POST /api/v1/submissions/{id}/ignore ----------------------------------------------------------------- */

void web_api_submission_ignore(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "ignored", WEB_JSON_BOOL, 1 },
    };
    struct web_submission sub;
    struct err err;
    cJSON *body = web_json_body(r, fields, N(fields));
    if (!body)
        return;
    int ignored = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "ignored"));
    cJSON_Delete(body);
    int rc = web_store_submission_by_id(s, r->id, &sub, &err);
    if (rc == 0 && !is_admin(r) && (rc = is_jury_of(r, s, sub.contest_id, &err)) >= 0)
        rc = rc ? 0 : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no submission %lld", (long long)r->id);
        return;
    }
    if (rc < 0 || (rc = web_store_submission_set_ignored(s, sub.id, ignored, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    char target[64];
    str_fmt(target, sizeof(target), "submission %lld", (long long)sub.id);
    web_audit(r, s, ignored ? "submission.ignore" : "submission.unignore", target, NULL);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "submission", sub.id);
    cJSON_AddBoolToObject(o, "ignored", ignored);
    web_reply_json(r, 200, o);
}
