/*
 * api_submissions.c: submitting code and reading verdicts, in practice and in
 * contests. A submission's source goes to the blob store and its row onto
 * the judging queue in one call; what a reader sees of the result depends
 * on who they are: the owner (and in a contest their team) sees verdicts,
 * times, memory and compile output per test, unless an OI contest hides them
 * until it ends; the jury and admins also see the judge's messages (which
 * may quote secret test data).
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>

/* Staff and judges see every practice submission and the judge's messages. */
static int sees_all(const struct web_req *r)
{
    return web_req_is_staff(r) || (r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_JUDGE);
}

/* The caller's standing in a submission's contest, whether or not the
 * contest is visible to them. Judge accounts see what the jury sees. */
static int contest_viewer(struct web_req *r, struct web_store *s, int64_t id, struct web_contest *c,
                          struct web_contest_access *a, struct err *err)
{
    int rc = web_contest_access_get(r, s, id, c, a, err);
    if (rc == ERR_NOTFOUND && c->id)
        rc = 0;
    if (rc == 0 && r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_JUDGE)
        a->jury = 1;
    return rc;
}

/* OI contests show contestants nothing of a verdict until they end. */
static int results_hidden(const struct web_req *r, const struct web_contest *c, const struct web_contest_access *a)
{
    return !a->jury && c->rules == WEB_RULES_OI && r->now < web_contest_end(c);
}

/* ---- contest submissions ----------------------------------------------------------------------------
 * What a contest takes: from a participant (or its jury, any time) while
 * it runs, for a problem of its set, in one of its languages, within its
 * limits. The checks and the insert share one write transaction, so two
 * submissions sent at once cannot both slip under a limit. The jury may
 * submit for a participant (`user`) and date it (`time`), as an import or
 * a scripted contest does; the jury is held to no limits.
 */
static int language_allowed(const struct web_contest *c, const char *lang)
{
    if (!c->languages[0])
        return 1;
    size_t n = strlen(lang);
    for (const char *p = c->languages; *p;) {
        size_t m = strcspn(p, ",");
        if (m == n && !strncmp(p, lang, n))
            return 1;
        p += m + (p[m] == ',');
    }
    return 0;
}

static int in_problem_set(struct web_store *s, int64_t contest_id, int64_t problem_id, int *found, struct err *err)
{
    struct web_contest_problem_list l;
    int rc = web_store_contest_problems(s, contest_id, &l, err);
    *found = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        if (l.v[i].problem_id == problem_id)
            *found = 1;
    web_contest_problem_list_release(&l);
    return rc;
}

/* Fills sub's contest, user, team and time, or replies and returns -1. */
static int contest_submission_check(struct web_req *r, struct web_store *s, const cJSON *body,
                                    struct web_submission *sub, char *audit, size_t auditsize)
{
    struct web_contest c;
    struct web_contest_access a;
    struct web_participant p;
    struct web_user u;
    struct err err;
    int rc, found;
    int64_t contest_id = web_json_i64(body, "contest", 0);
    const char *name = web_json_str(body, "user", NULL);
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(body, "time");
    rc = contest_id > 0 ? web_contest_access_get(r, s, contest_id, &c, &a, &err) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 422, "unknown_contest", "contest: no contest %lld", (long long)contest_id);
        return -1;
    }
    if (rc < 0)
        goto fail;
    if ((name || when) && !a.jury) {
        web_reply_error(r, 403, "forbidden", "only the contest's jury may submit for another user or set the time");
        return -1;
    }
    sub->contest_id = c.id;
    sub->user_id = r->user.id;
    sub->submitted_at = r->now;
    if (name) {
        if ((rc = web_store_user_by_name(s, name, &u, &err)) == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_LIMIT) {
            web_reply_error(r, 422, "unknown_user", "user: no user '%.64s'", name);
            return -1;
        }
        if (rc < 0)
            goto fail;
        rc = web_store_participant_get(s, c.id, u.id, &p, &err);
        if (rc == ERR_NOTFOUND || (rc == 0 && p.role != WEB_CROLE_PARTICIPANT)) {
            web_reply_error(r, 403, "not_registered", "user: '%s' is not a participant of this contest", u.name);
            return -1;
        }
        if (rc < 0)
            goto fail;
        sub->user_id = u.id;
        sub->team_id = p.team_id;
    } else if (a.participant) {
        sub->team_id = a.team_id;
    } else if (!a.jury) {
        web_reply_error(r, 403, "not_registered", "you are not registered in this contest");
        return -1;
    }
    if (when) {
        int64_t t = web_json_i64(body, "time", 0);
        if (t < c.start_time || t >= web_contest_end(&c)) {
            web_reply_error(r, 400, "invalid_field", "time: must fall within the contest, in [%lld, %lld)",
                            (long long)c.start_time, (long long)web_contest_end(&c));
            return -1;
        }
        sub->submitted_at = t;
    }
    if (!a.jury && !web_contest_running(&c, r->now)) {
        web_reply_error(r, 403, "contest_not_running", "the contest is %s", web_contest_state(&c, r->now));
        return -1;
    }
    if ((rc = in_problem_set(s, c.id, sub->problem_id, &found, &err)) < 0)
        goto fail;
    if (!found) {
        web_reply_error(r, 422, "unknown_problem", "problem: no problem %lld in this contest",
                        (long long)sub->problem_id);
        return -1;
    }
    if (!a.jury && !language_allowed(&c, sub->language)) {
        web_reply_error(r, 422, "language_not_allowed", "language: '%s' is not allowed in this contest",
                        sub->language);
        return -1;
    }
    /* run on samples: such a run counts toward no limit and is held to none
     * of these (compute quotas still apply: it uses the judges). */
    if (!a.jury && !sub->samples_only && (c.max_submissions > 0 || c.submission_interval > 0)) {
        /* The participant is the team in a team contest. */
        struct web_submission_filter f = { .contest_id = c.id, .status = -1, .counted_only = 1 };
        if (sub->team_id)
            f.team_id = sub->team_id;
        else
            f.user_id = sub->user_id;
        if (c.max_submissions > 0) {
            int64_t n;
            f.problem_id = sub->problem_id;
            if ((rc = web_store_submission_count(s, &f, &n, &err)) < 0)
                goto fail;
            if (n >= c.max_submissions) {
                web_reply_error(r, 403, "submission_limit", "at most %lld submissions per problem",
                                (long long)c.max_submissions);
                return -1;
            }
            f.problem_id = 0;
        }
        if (c.submission_interval > 0) {
            struct web_submission_list l;
            f.limit = 1;
            if ((rc = web_store_submission_list(s, &f, &l, &err)) < 0)
                goto fail;
            int64_t wait = l.n ? l.v[0].submitted_at + c.submission_interval - r->now : 0;
            web_submission_list_release(&l);
            if (wait > 0) {
                char after[24];
                web_reply_error(r, 429, "too_soon", "wait %lld s between submissions", (long long)wait);
                str_fmt(after, sizeof(after), "%lld", (long long)wait);
                web_reply_header(r, "Retry-After", after);
                return -1;
            }
        }
    }
    /* compute budgets: a user or team over a quota is refused at once (the jury never) */
    if (!a.jury && web_compute_quota_check(r, s, c.id, sub->user_id, sub->team_id) < 0)
        return -1;
    if (!a.jury && !sub->samples_only && web_leaderboard_daily_check(r, s, &c, sub) < 0)   /* AI: daily limits */
        return -1;
    if (name || when)
        str_fmt(audit, auditsize, "contest %lld, user '%s', time %lld", (long long)c.id, name ? u.name : r->user.name,
                (long long)sub->submitted_at);
    return 0;
fail:
    web_reply_store_error(r, rc, &err);
    return -1;
}

/* ---- POST /api/v1/submissions ------------------------------------------------------------------ */

static int ai_problem(struct web_store *s, int64_t problem_id);   /* run on samples: below */

void web_api_submission_create(struct web_req *r, struct web_store *s)
{
    struct web_submission sub = { 0 };
    struct web_problem p;
    struct err err;
    char msg[ERR_MSG_MAX], audit[WEB_NAME_MAX + 96] = "";
    int rc;
    cJSON *body = web_json_body(r, web_fields_submission, web_nfields_submission);
    if (!body)
        return;
    int64_t problem_id = web_json_i64(body, "problem", 0);
    const char *lang = web_json_str(body, "language", "");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(body, "files");
    /* Storage keeps one source file per submission. */
    if (cJSON_GetArraySize(files) != 1) {
        web_reply_error(r, 400, "invalid_field", "files: exactly one file is accepted");
        goto out;
    }
    const cJSON *file = cJSON_GetArrayItem(files, 0);
    if (web_json_check(file, web_fields_submission_file, web_nfields_submission_file, "files[0]", msg,
                       sizeof(msg)) < 0) {
        web_reply_error(r, 400, "invalid_field", "%s", msg);
        goto out;
    }
    const char *name = web_json_str(file, "name", "");
    const char *content = web_json_str(file, "content", "");
    size_t size = strlen(content);
    if (size > WEB_SOURCE_MAX) {
        web_reply_error(r, 413, "too_large", "the source is larger than %zu bytes", (size_t)WEB_SOURCE_MAX);
        goto out;
    }
    if (!name[0] || str_fmt(sub.filename, sizeof(sub.filename), "%s", name) < 0 || strchr(name, '/') ||
        name[0] == '.' || !web_utf8_valid(name, strlen(name))) {
        web_reply_error(r, 400, "invalid_field", "files[0].name must be a plain file name of at most %d bytes",
                        WEB_FILENAME_MAX);
        goto out;
    }
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            web_reply_error(r, 400, "invalid_field", "files[0].name holds a control character");
            goto out;
        }
    if (!jdg_language_find(&r->srv->langs, lang) || str_fmt(sub.language, sizeof(sub.language), "%s", lang) < 0) {
        web_reply_error(r, 422, "unknown_language", "no language '%.32s' on this server", lang);
        goto out;
    }
    int in_contest = cJSON_GetObjectItemCaseSensitive(body, "contest") != NULL;
    /* courses: an assignment's submission, never also a contest's */
    int in_assignment = cJSON_GetObjectItemCaseSensitive(body, "assignment") != NULL;
    if (in_contest && in_assignment) {
        web_reply_error(r, 400, "invalid_field", "contest and assignment exclude each other");
        goto out;
    }
    if (!in_contest && !in_assignment &&
        (cJSON_GetObjectItemCaseSensitive(body, "user") || cJSON_GetObjectItemCaseSensitive(body, "time"))) {
        web_reply_error(r, 400, "invalid_field", "%s: only with contest or assignment",
                        cJSON_GetObjectItemCaseSensitive(body, "user") ? "user" : "time");
        goto out;
    }
    sub.samples_only = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "samples_only"));   /* run on samples */
    rc = web_store_problem_by_id(s, problem_id > 0 ? problem_id : 0, &p, &err);
    /* Contest problems are often unpublished: the contest decides (below). */
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID ||
        (rc == 0 && !in_contest && !in_assignment && !p.published && !web_req_is_staff(r))) {
        web_reply_error(r, 422, "unknown_problem", "no problem %lld", (long long)problem_id);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (sub.samples_only && ai_problem(s, p.id)) {   /* run on samples: an AI problem has none */
        web_reply_error(r, 422, "no_samples", "samples_only: this problem has no sample tests to run on");
        goto out;
    }
    if ((rc = web_blob_put(s, content, size, sub.source_hash, &err)) < 0) {
        web_reply_store_error(r, ERR_SYSTEM, &err);
        goto out;
    }
    sub.user_id = r->user.id;
    sub.problem_id = p.id;
    sub.source_size = (int64_t)size;
    sub.submitted_at = r->now;
    if (in_contest) {
        if ((rc = web_store_tx_begin(s, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        if (contest_submission_check(r, s, body, &sub, audit, sizeof(audit)) < 0) {
            web_store_tx_rollback(s, NULL);
            goto out;
        }
        if ((rc = web_store_submission_create(s, &sub, &err)) < 0 || (rc = web_store_tx_commit(s, &err)) < 0)
            web_store_tx_rollback(s, NULL);
    } else if (in_assignment) {
        /* courses: enrolled, open, in the problem set (api_courses.c) */
        if (web_course_submission_check(r, s, body, &sub, audit, sizeof(audit)) < 0)
            goto out;
        rc = web_store_submission_create(s, &sub, &err);
    } else {
        rc = web_store_submission_create(s, &sub, &err);
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (audit[0]) {
        char target[64];
        str_fmt(target, sizeof(target), "submission %lld", (long long)sub.id);
        web_audit(r, s, "submission.create_for", target, audit);
    }
    log_info("web", "submission %lld: user '%s', problem '%s', %s, %zu bytes%s%s", (long long)sub.id, r->user.name,
             p.short_name, sub.language, size, sub.contest_id ? ", in a contest" : "",
             sub.samples_only ? ", samples only" : "");
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", sub.id);
    web_reply_json(r, 201, o);
    char loc[64];
    str_fmt(loc, sizeof(loc), "/api/v1/submissions/%lld", (long long)sub.id);
    web_reply_header(r, "Location", loc);
out:
    cJSON_Delete(body);
}

/* ---- reading submissions ----------------------------------------------------------------------------- */

/* The judging in effect: the valid one, finished or not; 0 when none. */
static int current_judging(struct web_store *s, int64_t submission_id, struct web_judging *out, struct err *err)
{
    struct web_judging_list l;
    int rc = web_store_judgings_of_submission(s, submission_id, &l, err);
    if (rc < 0)
        return rc;
    int found = 0;
    for (size_t i = l.n; i-- > 0;)
        if (l.v[i].valid) {
            *out = l.v[i];
            found = 1;
            break;
        }
    web_judging_list_release(&l);
    return found;
}

static void add_result(cJSON *o, const struct web_submission *sub, const struct web_judging *j, int judged)
{
    cJSON_AddStringToObject(o, "status", web_sub_status_name(sub->status));
    if (judged && j->finished_at) {
        cJSON_AddStringToObject(o, "verdict", j->verdict);
        cJSON_AddNumberToObject(o, "score", j->score);
        cJSON_AddNumberToObject(o, "max_score", j->max_score);
        cJSON_AddNumberToObject(o, "time_seconds", j->time_seconds);
        web_json_add_i64(o, "memory_bytes", j->memory_bytes);
    } else {
        cJSON_AddNullToObject(o, "verdict");
        cJSON_AddNullToObject(o, "score");
        cJSON_AddNullToObject(o, "max_score");
        cJSON_AddNullToObject(o, "time_seconds");
        cJSON_AddNullToObject(o, "memory_bytes");
    }
}

static cJSON *submission_json(const struct web_submission *sub)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "id", sub->id);
    web_json_add_i64(o, "user", sub->user_id);
    web_json_add_i64(o, "problem", sub->problem_id);
    cJSON_AddStringToObject(o, "language", sub->language);
    cJSON_AddStringToObject(o, "filename", sub->filename);
    web_json_add_i64(o, "size", sub->source_size);
    web_json_add_i64(o, "submitted_at", sub->submitted_at);
    if (sub->contest_id)
        web_json_add_i64(o, "contest", sub->contest_id);
    else
        cJSON_AddNullToObject(o, "contest");
    if (sub->team_id)
        web_json_add_i64(o, "team", sub->team_id);
    else
        cJSON_AddNullToObject(o, "team");
    cJSON_AddBoolToObject(o, "samples_only", sub->samples_only != 0);   /* run on samples */
    if (sub->assignment_id)                 /* courses */
        web_json_add_i64(o, "assignment", sub->assignment_id);
    else
        cJSON_AddNullToObject(o, "assignment");
    return o;
}

/* 1 if the problem is an AI problem (its leaderboard settings are stored at upload). */
static int ai_problem(struct web_store *s, int64_t problem_id)
{
    struct web_ai_problem ap = { 0 };
    struct err err;
    return web_store_ai_problem_get(s, problem_id, &ap, &err) == 0 && ap.stored;
}

void web_api_submission_get(struct web_req *r, struct web_store *s)
{
    struct web_submission sub;
    struct web_judging j = { 0 };
    struct web_test_result_list tests = { 0 };
    struct web_contest c;
    struct web_contest_access a = { 0 };
    struct buf out;
    struct err err;
    int all = sees_all(r), hidden = 0;
    int course_all = 0;                     /* courses: the course's staff */
    enum web_feedback feedback = WEB_FEEDBACK_ALL;
    int rc = web_store_submission_by_id(s, r->id, &sub, &err);
    if (rc == 0 && sub.contest_id) {
        /* In a contest: its jury sees all, a team its own, others nothing
         * (staff who are not its jury included). */
        if ((rc = contest_viewer(r, s, sub.contest_id, &c, &a, &err)) == 0) {
            all = a.jury;
            if (!all && sub.user_id != r->user.id && !(sub.team_id && a.participant && a.team_id == sub.team_id))
                rc = ERR_NOTFOUND;
            if (!all && sub.samples_only && sub.user_id != r->user.id)   /* run on samples: the owner's */
                rc = ERR_NOTFOUND;
            hidden = results_hidden(r, &c, &a) && !sub.samples_only;
        }
    } else if (rc == 0 && sub.assignment_id && !all) {
        /* courses: the course's staff see all, its owner what the problem's feedback allows */
        if ((rc = web_course_submission_view(r, s, &sub, &course_all, &feedback, &hidden, &err)) == 0)
            all = course_all;
    } else if (rc == 0 && !all && sub.user_id != r->user.id) {
        rc = ERR_NOTFOUND;
    }
    /* Another's submission is "not found", not "forbidden": ids leak nothing. */
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no submission %lld", (long long)r->id);
        return;
    }
    if (rc < 0 || (rc = current_judging(s, sub.id, &j, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    int judged = rc == 1 && j.finished_at && sub.status == WEB_SUB_JUDGED && !hidden;
    /* Live judging progress: while it is judged, the tests judged so far,
     * to those who would see them once it is judged. */
    int judging = rc == 1 && !j.finished_at && sub.status == WEB_SUB_JUDGING && !hidden;
    if ((judged || judging) && (rc = web_store_judging_tests(s, j.id, &tests, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *so = submission_json(&sub);
    add_result(so, &sub, &j, judged);
    if (sub.assignment_id)                  /* courses: after_due feedback before the due time */
        cJSON_AddBoolToObject(so, "hidden", hidden);
    buf_init(&out, WEB_COMPILE_OUTPUT_MAX + 1);
    if (hidden)
        cJSON_AddNullToObject(so, "compile_output");
    else if (judged && j.compile_output_hash[0] && web_blob_get(s, j.compile_output_hash, &out, &err) == 0)
        web_json_add_text(so, "compile_output", out.buf, out.len);
    else if (judged)
        cJSON_AddStringToObject(so, "compile_output", "");
    else
        cJSON_AddNullToObject(so, "compile_output");
    buf_release(&out);
    if (all) {
        if (judged)
            cJSON_AddStringToObject(so, "message", j.message);
        else
            cJSON_AddNullToObject(so, "message");
        web_json_add_i64(so, "judging", j.id);
    } else if (judged && !hidden && !strcmp(j.verdict, "WA") && ai_problem(s, sub.problem_id)) {
        /* Why an AI problem refused the predictions: the prediction checker
         * names only lines, ids and columns of what was sent (problems.h,
         * prb_ai_score_file), so its owner may read it; other problems'
         * messages may quote secret data and stay the jury's. */
        cJSON_AddStringToObject(so, "message", j.message);
    }
    cJSON *arr = hidden ? NULL : cJSON_AddArrayToObject(so, "tests");
    if (hidden)
        cJSON_AddNullToObject(so, "tests");
    for (size_t i = 0; arr && i < tests.n; i++) {
        const struct web_test_result *t = &tests.v[i];
        if (!all && feedback == WEB_FEEDBACK_SAMPLES && strncmp(t->name, "sample/", 7) != 0)
            continue;                       /* courses: samples-only feedback */
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", t->name);
        cJSON_AddStringToObject(x, "verdict", t->verdict);
        cJSON_AddNumberToObject(x, "time_seconds", t->time_seconds);
        web_json_add_i64(x, "memory_bytes", t->memory_bytes);
        cJSON_AddNumberToObject(x, "score", t->score);
        if (all)
            cJSON_AddStringToObject(x, "message", t->message ? t->message : "");
        cJSON_AddItemToArray(arr, x);
    }
    if (judging)
        web_json_add_i64(cJSON_AddObjectToObject(so, "progress"), "tests_done", (int64_t)tests.n);
    else
        cJSON_AddNullToObject(so, "progress");
    web_test_result_list_release(&tests);
    cJSON_AddItemToObject(o, "submission", so);
    web_reply_json(r, 200, o);
}

/* Whether a listed contest submission's results are hidden from the caller:
 * one lookup per contest in the page. */
struct hide_cache {
    int64_t contest_id[WEB_PAGE_MAX];
    int hidden[WEB_PAGE_MAX];
    size_t n;
};

static int hidden_in_list(struct web_req *r, struct web_store *s, struct hide_cache *hc, int64_t contest_id,
                          int *hidden, struct err *err)
{
    struct web_contest c;
    struct web_contest_access a;
    for (size_t i = 0; i < hc->n; i++)
        if (hc->contest_id[i] == contest_id) {
            *hidden = hc->hidden[i];
            return 0;
        }
    int rc = contest_viewer(r, s, contest_id, &c, &a, err);
    if (rc < 0)
        return rc;
    *hidden = results_hidden(r, &c, &a);
    if (hc->n < WEB_PAGE_MAX) {
        hc->contest_id[hc->n] = contest_id;
        hc->hidden[hc->n++] = *hidden;
    }
    return 0;
}

static int flag_param(struct web_req *r, const char *name, int *out)
{
    const char *v = web_req_query(r, name);
    *out = 0;
    if (!v)
        return 0;
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "%s must be 0 or 1", name);
        return -1;
    }
    *out = v[0] == '1';
    return 0;
}

void web_api_submission_list(struct web_req *r, struct web_store *s)
{
    struct web_submission_filter f = { 0 };
    struct web_submission_list l;
    struct hide_cache *hc = NULL;
    struct err err;
    int mine, practice, rc, see_others = 0;
    int64_t problem = web_req_query_id(r, "problem"), before = web_req_query_id(r, "before");
    int64_t limit = web_req_query_id(r, "limit"), contest = web_req_query_id(r, "contest");
    if (problem < 0 || before < 0 || limit < 0 || contest < 0 || flag_param(r, "mine", &mine) < 0 ||
        flag_param(r, "practice", &practice) < 0)
        return;
    if (contest && practice) {
        web_reply_error(r, 400, "invalid_parameter", "contest and practice=1 exclude each other");
        return;
    }
    if (contest) {
        /* One contest: its jury sees all of it, a team member the team's,
         * anyone else their own. */
        struct web_contest c;
        struct web_contest_access a;
        rc = contest_viewer(r, s, contest, &c, &a, &err);
        if (rc == 0 && !a.visible && !a.jury)
            rc = err_set(&err, ERR_NOTFOUND, "no contest %lld", (long long)contest);
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return;
        }
        f.contest_id = c.id;
        see_others = a.jury;
        if (a.jury && !mine)
            f.user_id = 0;
        else if (a.participant && a.team_id && !mine)
            f.team_id = a.team_id;
        else
            f.user_id = r->user.id;
    } else {
        /* Without the jury's rights a list is always one's own. Organizers
         * see everyone's practice; contests are their juries' business. */
        f.contest_id = practice ? -1 : 0;
        see_others = sees_all(r);
        if (mine || !sees_all(r))
            f.user_id = r->user.id;
        else if (r->user.role == WEB_ROLE_ORGANIZER)
            f.contest_id = -1;
    }
    f.problem_id = problem;
    f.before_id = before;
    f.status = -1;
    f.limit = limit == 0 || limit > WEB_PAGE_MAX ? WEB_PAGE_MAX : (size_t)limit;
    rc = web_store_submission_list(s, &f, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    hc = calloc(1, sizeof(*hc));
    if (!hc)
        abort();
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "submissions");
    for (size_t i = 0; i < l.n; i++) {
        struct web_judging j = { 0 };
        int hidden = 0;
        if (l.v[i].samples_only && l.v[i].user_id != r->user.id && !see_others)
            continue;                       /* run on samples: a teammate's stays theirs */
        if (l.v[i].contest_id && (rc = hidden_in_list(r, s, hc, l.v[i].contest_id, &hidden, &err)) < 0)
            break;
        hidden = hidden && !l.v[i].samples_only;
        if (l.v[i].assignment_id && !see_others) {
            /* courses: after_due feedback stays hidden in lists too */
            int course_all;
            enum web_feedback fb;
            if ((rc = web_course_submission_view(r, s, &l.v[i], &course_all, &fb, &hidden, &err)) < 0)
                break;
        }
        rc = current_judging(s, l.v[i].id, &j, &err);
        if (rc < 0)
            break;
        cJSON *x = submission_json(&l.v[i]);
        add_result(x, &l.v[i], &j, rc == 1 && j.finished_at && l.v[i].status == WEB_SUB_JUDGED && !hidden);
        cJSON_AddItemToArray(arr, x);
    }
    free(hc);
    web_submission_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}
