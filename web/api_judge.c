/*
 * api_judge.c: the server side of the judge protocol (docs/api.md, "Judge
 * protocol"). A judge daemon, authenticated by the API token of an account
 * with role judge, claims a job (its host row is created or refreshed on the
 * way), downloads the package and sources from the blob store, renews its
 * lease with heartbeats, streams the tests judged so far (progress) and
 * posts the result once.
 *
 * How the lease works: a claim gives the judge the oldest queued submission
 * in one of its languages under a lease of lease_seconds. Heartbeats extend
 * it; if they stop, the lease runs out and the submission goes back on the
 * queue (at the next claim or timer tick), and the old judging can no longer
 * be completed: its heartbeat and result get 409. Completion happens exactly
 * once; storage decides all of this in one transaction per call. Every judge
 * account is trusted alike: a judging is identified by its id, and the host
 * that claimed it is the one whose lease counts.
 */
#include "web_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- POST /api/v1/judge/claim ------------------------------------------------------------------- */

/* Finds or creates the host row, refreshing its capabilities; -1 after a reply. */
static int host_register(struct web_req *r, struct web_store *s, const char *name, const char *caps,
                         struct web_judge_host *h)
{
    struct err err;
    for (int attempt = 0; attempt < 2; attempt++) {
        int rc = web_store_judge_host_by_name(s, name, h, &err);
        if (rc == 0) {
            if (!h->enabled) {
                web_judge_host_release(h);
                web_reply_error(r, 403, "host_disabled", "judge host '%s' is disabled", name);
                return -1;
            }
            if (!h->capabilities || strcmp(h->capabilities, caps) != 0) {
                free(h->capabilities);
                h->capabilities = strdup(caps);
                if (!h->capabilities)
                    abort();
                if ((rc = web_store_judge_host_update(s, h, &err)) < 0) {
                    web_judge_host_release(h);
                    web_reply_store_error(r, rc, &err);
                    return -1;
                }
            }
            return 0;
        }
        if (rc != ERR_NOTFOUND) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        struct web_judge_host nh = { 0 };
        char token[WEB_TOKEN_HEX + 1];
        if (str_fmt(nh.name, sizeof(nh.name), "%s", name) < 0) {
            web_reply_error(r, 400, "invalid_field", "host is longer than %d bytes", WEB_NAME_MAX);
            return -1;
        }
        nh.enabled = 1;
        nh.created_at = r->now;
        nh.capabilities = (char *)caps;
        /* The host's own token is unused: judges authenticate as accounts. */
        rc = web_store_judge_host_create(s, &nh, token, &err);
        sodium_memzero(token, sizeof(token));
        if (rc == WEB_STORE_CONFLICT)
            continue;           /* created meanwhile by another claim: read it */
        if (rc == ERR_INVALID || rc == ERR_LIMIT) {
            web_reply_error(r, 400, "invalid_field", "host: %s", err.msg);
            return -1;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            return -1;
        }
        log_info("web", "new judge host %lld '%s' (account '%s')", (long long)nh.id, name, r->user.name);
    }
    int rc = web_store_judge_host_by_name(s, name, h, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

void web_api_judge_claim(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "host", WEB_JSON_STRING, 1 },
        { "languages", WEB_JSON_ARRAY, 1 },
        { "cores", WEB_JSON_INT, 0 },
        { "memory_bytes", WEB_JSON_INT, 0 },
        { "gpus", WEB_JSON_INT, 0 },
        { "gpu_model", WEB_JSON_STRING, 0 },    /* compute budgets: "NVIDIA H100 80GB HBM3" */
    };
    struct web_judge_host host = { 0 };
    struct web_job job;
    struct web_problem p;
    struct buf langs;
    struct err err;
    char *caps = NULL;
    int rc;
    buf_init(&langs, WEB_LANGUAGES_MAX);
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        goto out;
    const char *name = web_json_str(body, "host", "");
    const cJSON *larr = cJSON_GetObjectItemCaseSensitive(body, "languages"), *l;
    if (cJSON_GetArraySize(larr) > JDG_MAX_LANGUAGES) {
        web_reply_error(r, 400, "invalid_field", "languages: more than %d", JDG_MAX_LANGUAGES);
        goto out;
    }
    cJSON_ArrayForEach(l, larr) {
        if (!cJSON_IsString(l) || !l->valuestring[0] || strlen(l->valuestring) > WEB_LANG_MAX ||
            strpbrk(l->valuestring, ", \t\r\n")) {
            web_reply_error(r, 400, "invalid_field", "languages: each must be a language id");
            goto out;
        }
        if (buf_addf(&langs, "%s%s", langs.len ? "," : "", l->valuestring) < 0) {
            web_reply_error(r, 400, "invalid_field", "languages: too long");
            goto out;
        }
    }
    for (size_t i = 0; i < 3; i++) {
        static const char *const counts[] = { "cores", "memory_bytes", "gpus" };
        if (web_json_i64(body, counts[i], 0) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s must not be negative", counts[i]);
            goto out;
        }
    }
    {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddItemReferenceToObject(c, "languages", (cJSON *)larr);
        web_json_add_i64(c, "cores", web_json_i64(body, "cores", 0));
        web_json_add_i64(c, "memory_bytes", web_json_i64(body, "memory_bytes", 0));
        web_json_add_i64(c, "gpus", web_json_i64(body, "gpus", 0));
        if (web_claim_gpu_model(r, body, c) < 0) {  /* compute budgets */
            cJSON_Delete(c);
            goto out;
        }
        cJSON_AddStringToObject(c, "account", r->user.name);
        caps = cJSON_PrintUnformatted(c);
        cJSON_Delete(c);
        if (!caps)
            abort();
    }
    if (host_register(r, s, name, caps, &host) < 0)
        goto out;
    if (langs.len == 0) {                   /* it runs nothing: nothing to give it */
        web_store_judge_host_heartbeat(s, host.id, r->now, NULL);
        web_reply_empty(r, 204);
        goto out;
    }
    /* compute budgets and scheduling: only jobs this host can run, fairly shared */
    struct web_claim_caps offer = { .languages = langs.buf, .gpus = web_json_i64(body, "gpus", 0),
                                    .memory_bytes = web_json_i64(body, "memory_bytes", 0),
                                    .max_jobs_per_user = r->srv->cfg->max_jobs_per_user };
    rc = web_store_job_claim_caps(s, host.id, &offer, r->srv->cfg->lease_seconds, r->now, &job, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_empty(r, 204);
        goto out;
    }
    if (rc == ERR_INVALID) {
        web_reply_error(r, 403, "host_disabled", "%s", err.msg);
        goto out;
    }
    if (rc < 0 || (rc = web_store_problem_by_id(s, job.problem_id, &p, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("web", "judging %lld of submission %lld: claimed by host '%s'", (long long)job.judging_id,
             (long long)job.submission_id, host.name);
    cJSON *o = cJSON_CreateObject(), *j = cJSON_AddObjectToObject(o, "job");
    cJSON *pj = cJSON_CreateObject(), *files = cJSON_CreateArray(), *f = cJSON_CreateObject();
    web_json_add_i64(j, "id", job.judging_id);
    web_json_add_i64(j, "submission_id", job.submission_id);
    web_json_add_i64(j, "lease_seconds", r->srv->cfg->lease_seconds);
    cJSON_AddStringToObject(j, "language", job.language);
    if (job.samples_only)                   /* run on samples: the judge runs data/sample only */
        cJSON_AddBoolToObject(j, "samples_only", 1);
    web_json_add_i64(pj, "id", job.problem_id);
    cJSON_AddStringToObject(pj, "package", job.package_hash);
    if (p.time_limit_inferred)
        cJSON_AddNullToObject(pj, "time_limit");
    else
        cJSON_AddNumberToObject(pj, "time_limit", job.time_limit);
    if (job.gpus > 0)                       /* compute budgets: the GPUs to hold while judging */
        web_json_add_i64(pj, "gpus", job.gpus);
    cJSON_AddItemToObject(j, "problem", pj);
    cJSON_AddStringToObject(f, "name", job.filename);
    cJSON_AddStringToObject(f, "blob", job.source_hash);
    cJSON_AddItemToArray(files, f);
    cJSON_AddItemToObject(j, "files", files);
    web_reply_json(r, 200, o);
out:
    web_judge_host_release(&host);
    free(caps);
    buf_release(&langs);
    cJSON_Delete(body);
}

/* ---- GET /api/v1/judge/blobs/{hex} ----------------------------------------------------------------------
 * Sent straight from the file (the judge checks the hash it asked for). */
void web_api_judge_blob(struct web_req *r, struct web_store *s)
{
    char path[PATH_MAX];
    struct stat st;
    struct err err;
    if (web_blob_path(s, r->hex, path, sizeof(path), &err) < 0) {
        web_reply_error(r, 404, "not_found", "no blob '%s'", r->hex);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            web_reply_error(r, 404, "not_found", "no blob '%s'", r->hex);
        else
            web_reply_store_error(r, err_sys(&err, "cannot open '%s'", path), &err);
        return;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        web_reply_store_error(r, err_set(&err, ERR_SYSTEM, "'%s' is not a file", path), &err);
        return;
    }
    web_reply_fd(r, 200, fd, (uint64_t)st.st_size, "application/octet-stream");
}

/* ---- heartbeat and result ----------------------------------------------------------------------------------- */

/* The judging in the path; -1 after a 404. */
static int judging_of_path(struct web_req *r, struct web_store *s, struct web_judging *j)
{
    struct err err;
    int rc = web_store_judging_by_id(s, r->id, j, &err);
    if (rc == ERR_NOTFOUND) {
        web_reply_error(r, 404, "not_found", "no job %lld", (long long)r->id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

void web_api_judge_heartbeat(struct web_req *r, struct web_store *s)
{
    struct web_judging j;
    struct err err;
    cJSON *body = web_json_body(r, NULL, 0);
    if (!body)
        return;
    cJSON_Delete(body);
    if (judging_of_path(r, s, &j) < 0)
        return;
    int lease = r->srv->cfg->lease_seconds;
    int rc = web_store_job_heartbeat(s, j.judge_host_id, j.id, lease, r->now, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "lease_lost", "%s", err.msg);
        return;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "lease_seconds", lease);
    web_reply_json(r, 200, o);
}

static int verdict_known(const char *v, int allow_pending)
{
    for (int i = JDG_AC; i <= JDG_PENDING; i++)
        if (!strcmp(v, jdg_verdict_name((enum jdg_verdict)i)))
            return i != JDG_PENDING || allow_pending;
    return 0;
}

/* A result's or a progress post's "tests", checked and repaired in place;
 * the strings stay borrowed from the JSON. Ordinals start at first. -1
 * after a reply; else *out (the caller frees it) holds *n tests. */
static int tests_parse(struct web_req *r, const cJSON *tarr, int64_t first, struct web_test_result **out,
                       size_t *n)
{
    char msg[ERR_MSG_MAX], where[64];
    const cJSON *t;
    int nt = cJSON_GetArraySize(tarr);
    *n = 0;
    if (nt > WEB_TESTS_MAX || first + nt > WEB_TESTS_MAX) {
        web_reply_error(r, 413, "too_large", "more than %d test results", WEB_TESTS_MAX);
        return -1;
    }
    struct web_test_result *tests = calloc((size_t)nt + 1, sizeof(*tests));
    if (!tests)
        abort();
    *out = tests;
    cJSON_ArrayForEach(t, tarr) {
        struct web_test_result *x = &tests[*n];
        str_fmt(where, sizeof(where), "tests[%zu]", *n);
        if (web_json_check(t, web_fields_result_test, web_nfields_result_test, where, msg,
                           sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            return -1;
        }
        for (cJSON *y = t->child; y; y = y->next)
            if (cJSON_IsString(y))
                web_text_repair(y->valuestring, strcmp(y->string, "message") == 0);
        const char *v = web_json_str(t, "verdict", "");
        if (!verdict_known(v, 1)) {
            web_reply_error(r, 400, "invalid_field", "%s.verdict: unknown verdict '%.16s'", where, v);
            return -1;
        }
        x->ordinal = first + (int64_t)*n;
        x->name = (char *)web_json_str(t, "name", "");
        str_fmt(x->verdict, sizeof(x->verdict), "%s", v);
        x->time_seconds = web_json_num(t, "time_seconds", 0);
        x->memory_bytes = web_json_i64(t, "memory_bytes", 0);
        x->score = web_json_num(t, "score", 0);
        web_text_truncate(x->name, WEB_TITLE_MAX);
        x->message = (char *)web_json_str(t, "message", "");
        web_text_truncate(x->message, WEB_MESSAGE_MAX);
        if (!x->message[0])
            x->message = NULL;
        (*n)++;
    }
    return 0;
}

void web_api_judge_result(struct web_req *r, struct web_store *s)
{
    struct web_judging j;
    struct web_judging_result res = { 0 };
    struct web_test_result *tests = NULL;
    struct web_judging_group *groups = NULL;
    struct err err;
    char msg[ERR_MSG_MAX], where[64], out_hash[WEB_HASH_HEX + 1] = "";
    int rc;
    cJSON *body = web_json_body(r, web_fields_result, web_nfields_result);
    if (!body)
        return;
    if (judging_of_path(r, s, &j) < 0)
        goto out;
    /* Strings are repaired in place (the route takes raw text): the judge
     * quotes compilers and checkers, which write any bytes. */
    for (cJSON *x = body->child; x; x = x->next)
        if (cJSON_IsString(x))
            web_text_repair(x->valuestring, 1);
    res.verdict = web_json_str(body, "verdict", "");
    if (!verdict_known(res.verdict, 0)) {
        web_reply_error(r, 400, "invalid_field", "verdict: unknown verdict '%.16s'", res.verdict);
        goto out;
    }
    res.score = web_json_num(body, "score", 0);
    res.max_score = web_json_num(body, "max_score", 0);
    res.time_seconds = web_json_num(body, "time_seconds", 0);
    res.memory_bytes = web_json_i64(body, "memory_bytes", 0);
    /* Too long for storage is cut, not refused: a refused result would only
     * come back (the job is judged again when its lease runs out). */
    res.message = web_json_str(body, "message", "");
    web_text_truncate((char *)res.message, WEB_MESSAGE_MAX);
    /* compute budgets: clamped, not refused (as above) */
    res.cpu_seconds = web_compute_clamp(web_json_num(body, "cpu_seconds_total", 0));
    res.gpu_seconds = web_compute_clamp(web_json_num(body, "gpu_seconds", 0));
    if (tests_parse(r, cJSON_GetObjectItemCaseSensitive(body, "tests"), 0, &tests, &res.ntests) < 0)
        goto out;
    res.tests = tests;
    /* Per-group results (judges since the scoreboards: optional). */
    const cJSON *garr = cJSON_GetObjectItemCaseSensitive(body, "groups"), *g;
    int ng = cJSON_GetArraySize(garr);
    if (ng > WEB_GROUPS_MAX) {
        web_reply_error(r, 413, "too_large", "more than %d group results", WEB_GROUPS_MAX);
        goto out;
    }
    groups = calloc((size_t)ng + 1, sizeof(*groups));
    if (!groups)
        abort();
    cJSON_ArrayForEach(g, garr) {
        struct web_judging_group *x = &groups[res.ngroups];
        str_fmt(where, sizeof(where), "groups[%zu]", res.ngroups);
        if (web_json_check(g, web_fields_result_group, web_nfields_result_group, where, msg, sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            goto out;
        }
        char *name = cJSON_GetObjectItemCaseSensitive(g, "name")->valuestring;
        web_text_repair(name, 0);
        web_text_truncate(name, WEB_TITLE_MAX);
        str_fmt(x->name, sizeof(x->name), "%s", name);
        x->ordinal = (int64_t)res.ngroups;
        x->score = web_json_num(g, "score", 0);
        x->max_score = web_json_num(g, "max_score", 0);
        if (!(x->score >= 0 && x->score <= 1e12) || !(x->max_score >= 0 && x->max_score <= 1e12)) {
            web_reply_error(r, 400, "invalid_field", "%s: score and max_score must be within 0 and 1e12", where);
            goto out;
        }
        res.ngroups++;
    }
    res.groups = groups;
    const char *compile_output = web_json_str(body, "compile_output", "");
    size_t colen = strlen(compile_output);
    if (colen > WEB_COMPILE_OUTPUT_MAX) {
        web_reply_error(r, 413, "too_large", "compile_output is larger than %zu bytes", WEB_COMPILE_OUTPUT_MAX);
        goto out;
    }
    if (colen && (rc = web_blob_put(s, compile_output, colen, out_hash, &err)) < 0) {
        web_reply_store_error(r, ERR_SYSTEM, &err);
        goto out;
    }
    res.compile_output_hash = out_hash;
    /* AI leaderboards: the `ai` scores, stored with the result in one transaction */
    double ai_scores[2];
    int ai = web_leaderboard_result_begin(r, s, body, &j, &res, tests, ai_scores);
    if (ai < 0)
        goto out;
    rc = web_store_job_complete(s, j.judge_host_id, j.id, &res, r->now, &err);
    if (ai)
        rc = web_leaderboard_result_end(s, j.id, rc, ai_scores, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "lease_lost", "%s", err.msg);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_info("web", "judging %lld of submission %lld: %s (%zu tests, %.2f cpu s in all)", (long long)j.id,
             (long long)j.submission_id, res.verdict, res.ntests, web_json_num(body, "cpu_seconds_total", 0));
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "submission_id", j.submission_id);
    cJSON_AddStringToObject(o, "verdict", res.verdict);
    web_reply_json(r, 200, o);
out:
    free(tests);
    free(groups);
    cJSON_Delete(body);
}

/* ---- POST /api/v1/judge/jobs/{id}/progress --------------------------------------------------------------------
 * The tests judged so far, streamed while judging: stored under their
 * ordinals (first + index), so a repeated post replaces rather than adds,
 * and the lease renewed, both in one transaction. The result replaces them. */
void web_api_judge_progress(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "tests", WEB_JSON_ARRAY, 1 },
        { "first", WEB_JSON_INT, 0 },
    };
    struct web_judging j;
    struct web_test_result *tests = NULL;
    struct err err;
    size_t n = 0;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    if (judging_of_path(r, s, &j) < 0)
        goto out;
    int64_t first = web_json_i64(body, "first", 0);
    if (first < 0 || first >= WEB_TESTS_MAX) {
        web_reply_error(r, 400, "invalid_field", "first: must be from 0 to %d", WEB_TESTS_MAX - 1);
        goto out;
    }
    if (tests_parse(r, cJSON_GetObjectItemCaseSensitive(body, "tests"), first, &tests, &n) < 0)
        goto out;
    int lease = r->srv->cfg->lease_seconds;
    int rc = web_store_job_progress(s, j.judge_host_id, j.id, tests, n, lease, r->now, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "lease_lost", "%s", err.msg);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    log_debug("web", "judging %lld of submission %lld: tests %lld to %lld judged", (long long)j.id,
              (long long)j.submission_id, (long long)first + 1, (long long)first + (long long)n);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "lease_seconds", lease);
    web_reply_json(r, 200, o);
out:
    free(tests);
    cJSON_Delete(body);
}
