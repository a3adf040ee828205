/*
 * api_submissions.c: submitting code and reading verdicts. A submission's
 * source goes to the blob store and its row onto the judging queue in one
 * call; what a reader sees of the result depends on who they are: the owner
 * sees verdicts, times, memory and compile output per test, the jury and
 * admins also the judge's messages (which may quote secret test data).
 */
#include "web_int.h"

#include <stdlib.h>
#include <string.h>

/* Staff and judges see every submission and the judge's messages. */
static int sees_all(const struct web_req *r)
{
    return web_req_is_staff(r) || (r->via != WEB_VIA_NONE && r->user.role == WEB_ROLE_JUDGE);
}

/* ---- POST /api/v1/submissions ------------------------------------------------------------------ */

void web_api_submission_create(struct web_req *r, struct web_store *s)
{
    struct web_submission sub = { 0 };
    struct web_problem p;
    struct err err;
    char msg[ERR_MSG_MAX];
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
    rc = web_store_problem_by_id(s, problem_id > 0 ? problem_id : 0, &p, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || (rc == 0 && !p.published && !web_req_is_staff(r))) {
        web_reply_error(r, 422, "unknown_problem", "no problem %lld", (long long)problem_id);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
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
    rc = web_store_submission_create(s, &sub, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("web", "submission %lld: user '%s', problem '%s', %s, %zu bytes", (long long)sub.id, r->user.name,
             p.short_name, sub.language, size);
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
    return o;
}

void web_api_submission_get(struct web_req *r, struct web_store *s)
{
    struct web_submission sub;
    struct web_judging j = { 0 };
    struct web_test_result_list tests = { 0 };
    struct buf out;
    struct err err;
    int all = sees_all(r);
    int rc = web_store_submission_by_id(s, r->id, &sub, &err);
    /* Another's submission is "not found", not "forbidden": ids leak nothing. */
    if (rc == ERR_NOTFOUND || (rc == 0 && !all && sub.user_id != r->user.id)) {
        web_reply_error(r, 404, "not_found", "no submission %lld", (long long)r->id);
        return;
    }
    if (rc < 0 || (rc = current_judging(s, sub.id, &j, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    int judged = rc == 1 && j.finished_at && sub.status == WEB_SUB_JUDGED;
    if (judged && (rc = web_store_judging_tests(s, j.id, &tests, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *so = submission_json(&sub);
    add_result(so, &sub, &j, judged);
    buf_init(&out, WEB_COMPILE_OUTPUT_MAX + 1);
    if (judged && j.compile_output_hash[0] && web_blob_get(s, j.compile_output_hash, &out, &err) == 0)
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
    }
    cJSON *arr = cJSON_AddArrayToObject(so, "tests");
    for (size_t i = 0; i < tests.n; i++) {
        const struct web_test_result *t = &tests.v[i];
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
    web_test_result_list_release(&tests);
    cJSON_AddItemToObject(o, "submission", so);
    web_reply_json(r, 200, o);
}

void web_api_submission_list(struct web_req *r, struct web_store *s)
{
    struct web_submission_filter f = { 0 };
    struct web_submission_list l;
    struct err err;
    const char *mine = web_req_query(r, "mine");
    int64_t problem = web_req_query_id(r, "problem"), before = web_req_query_id(r, "before");
    int64_t limit = web_req_query_id(r, "limit");
    if (problem < 0 || before < 0 || limit < 0)
        return;
    if (mine && strcmp(mine, "0") != 0 && strcmp(mine, "1") != 0) {
        web_reply_error(r, 400, "invalid_parameter", "mine must be 0 or 1");
        return;
    }
    /* Without the jury's rights a list is always one's own. */
    f.user_id = (mine && !strcmp(mine, "1")) || !sees_all(r) ? r->user.id : 0;
    f.problem_id = problem;
    f.before_id = before;
    f.status = -1;
    f.limit = limit == 0 || limit > WEB_PAGE_MAX ? WEB_PAGE_MAX : (size_t)limit;
    int rc = web_store_submission_list(s, &f, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "submissions");
    for (size_t i = 0; i < l.n; i++) {
        struct web_judging j = { 0 };
        rc = current_judging(s, l.v[i].id, &j, &err);
        if (rc < 0)
            break;
        cJSON *x = submission_json(&l.v[i]);
        add_result(x, &l.v[i], &j, rc == 1 && j.finished_at && l.v[i].status == WEB_SUB_JUDGED);
        cJSON_AddItemToArray(arr, x);
    }
    web_submission_list_release(&l);
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}
