/*
 * api_similarity.c: the similarity report of an assignment for its course's
 * staff: every pair of students' submissions for one problem scored by
 * winnowed fingerprints (similarity.h), the problem's template left out, and
 * one pair's sources side by side with their matched line ranges.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "similarity.h"
#include "storage.h"
#include "web_int.h"

#define PAIRS_MAX 1000                  /* pairs in one report, the most similar first */
#define REPORT_PRINTS_MAX 4000000       /* fingerprints of a report's submissions in all (64 MiB) */
#define MIN_DEFAULT 0.2                 /* pairs below this similarity are left out */

/* The assignment {id} when the caller is staff of its course; else a 404
 * (not a member, a student, no such assignment: all look the same) and -1. */
static int staff_assignment(struct web_req *r, struct web_store *s, struct web_assignment *as)
{
    struct web_course_access a = { 0 };
    if (web_assignment_load(r, s, r->id, as, &a) < 0)
        return -1;
    if (!a.staff) {
        web_reply_error(r, 404, "not_found", "no assignment %lld", (long long)r->id);
        return -1;
    }
    return 0;
}

/* The problem's template in the assignment (the caller's, free()); 1 found,
 * 0 when the problem is not in the assignment (then *out is NULL). */
static int problem_template(struct web_store *s, int64_t assignment_id, int64_t problem_id, char **out,
                            struct err *err)
{
    struct web_assignment_problem_list l;
    *out = NULL;
    int rc = web_store_assignment_problems(s, assignment_id, &l, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].problem_id == problem_id) {
            const char *t = l.v[i].template_text ? l.v[i].template_text : "";
            *out = strdup(t);
            if (!*out)
                abort();
            rc = 1;
            break;
        }
    web_assignment_problem_list_release(&l);
    return rc;
}

/* Templates by language rules, fingerprinted on first use. */
struct templates {
    const char *text;
    struct web_sim_template t[WEB_SIM_LANGS];
    int done[WEB_SIM_LANGS];
};

static const struct web_sim_template *template_for(struct templates *ts, enum web_sim_lang lang)
{
    if (!ts->text || !ts->text[0])
        return NULL;
    if (!ts->done[lang]) {
        struct err err;
        /* The courses API keeps templates within WEB_SIM_TEMPLATE_MAX; a
         * longer one is left out rather than failing the report. */
        if (web_sim_template_init(&ts->t[lang], ts->text, strlen(ts->text), lang, &err) < 0)
            log_warn("web", "similarity: template not used: %s", err.msg);
        ts->done[lang] = 1;
    }
    return &ts->t[lang];
}

static void templates_release(struct templates *ts)
{
    for (int i = 0; i < WEB_SIM_LANGS; i++)
        web_sim_template_release(&ts->t[i]);
}

/* Fingerprints submission e. A source that cannot be read (a missing blob)
 * is logged and compared as empty: one bad blob must not hide the rest. */
static int doc_load(struct web_store *s, const struct web_similarity_entry *e, struct templates *ts,
                    struct web_sim_doc *d, struct buf *src)
{
    struct err err;
    enum web_sim_lang lang = web_sim_lang_of(e->language);
    buf_reset(src);
    int rc = web_blob_get(s, e->source_hash, src, &err);
    if (rc < 0) {
        log_warn("web", "similarity: submission %lld: %s", (long long)e->submission_id, err.msg);
        buf_reset(src);
    }
    return web_sim_doc_init(d, src->len ? src->buf : "", src->len, lang, template_for(ts, lang), &err);
}

static cJSON *side_json(const struct web_similarity_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "user", e->user_id);
    cJSON_AddStringToObject(o, "name", e->name);
    web_json_add_i64(o, "submission", e->submission_id);
    return o;
}

struct pair {
    size_t a, b;
    double similarity;
};

static int cmp_pair(const void *x, const void *y)
{
    const struct pair *p = x, *q = y;
    if (p->similarity != q->similarity)
        return p->similarity > q->similarity ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* A number in [0, 1] from the query; -1 after a 400 reply. */
static int min_param(struct web_req *r, double *out)
{
    const char *v = web_req_query(r, "min");
    *out = MIN_DEFAULT;
    if (!v)
        return 0;
    char *end;
    double d = strtod(v, &end);
    if (!v[0] || *end || !isfinite(d) || d < 0 || d > 1) {
        web_reply_error(r, 400, "invalid_parameter", "query parameter 'min' must be a number from 0 to 1");
        return -1;
    }
    *out = d;
    return 0;
}

void web_api_similarity_report(struct web_req *r, struct web_store *s)
{
    struct web_assignment as;
    struct web_similarity_entry_list el = { 0 };
    struct templates ts = { 0 };
    struct web_sim_doc *docs = NULL;
    struct pair *pairs = NULL;
    uint32_t *shared = NULL;
    size_t npairs = 0, alloc = 0, nprints = 0;
    struct buf src;
    struct err err;
    char *tpl = NULL;
    double min;
    int rc;
    buf_init(&src, WEB_SIM_SOURCE_MAX);
    if (staff_assignment(r, s, &as) < 0)
        goto out;
    int64_t problem = web_req_query_id(r, "problem");
    if (problem < 0 || min_param(r, &min) < 0)
        goto out;
    if (problem == 0) {
        web_reply_error(r, 400, "invalid_parameter", "query parameter 'problem' is required");
        goto out;
    }
    if ((rc = problem_template(s, as.id, problem, &tpl, &err)) == 0) {
        web_reply_error(r, 404, "not_found", "no problem %lld in assignment %lld", (long long)problem,
                        (long long)as.id);
        goto out;
    }
    if (rc < 0 || (rc = web_store_similarity_entries(s, as.id, problem, &el, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    ts.text = tpl;
    docs = calloc(el.n ? el.n : 1, sizeof(*docs));
    if (!docs)
        abort();
    for (size_t i = 0; i < el.n; i++) {
        if (doc_load(s, &el.v[i], &ts, &docs[i], &src) < 0)
            memset(&docs[i], 0, sizeof(docs[i]));      /* over the size limit: nothing to compare */
        web_sim_doc_compact(&docs[i]);                  /* scores need no lines */
        nprints += docs[i].nprints;
        if (nprints > REPORT_PRINTS_MAX) {
            web_reply_error(r, 413, "too_large", "the submissions are too large to compare together");
            goto out;
        }
    }
    /* n <= WEB_SIMILARITY_SUBMISSIONS_MAX: the matrix is at most 4 MB */
    shared = calloc(el.n ? el.n * el.n : 1, sizeof(*shared));
    if (!shared)
        abort();
    web_sim_shared_matrix(docs, el.n, shared);
    for (size_t i = 0; i < el.n; i++)
        for (size_t j = i + 1; j < el.n; j++) {
            uint32_t same = shared[i * el.n + j];
            double v = web_sim_similarity(&docs[i], &docs[j], same);
            if (same == 0 || v < min)
                continue;
            if (npairs == alloc) {
                alloc = alloc ? alloc * 2 : 64;
                pairs = realloc(pairs, alloc * sizeof(*pairs));
                if (!pairs)
                    abort();
            }
            pairs[npairs++] = (struct pair){ i, j, v };
        }
    if (npairs)
        qsort(pairs, npairs, sizeof(*pairs), cmp_pair);
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "problem", problem);
    cJSON *arr = cJSON_AddArrayToObject(o, "pairs");
    for (size_t k = 0; k < npairs && k < PAIRS_MAX; k++) {
        const struct pair *p = &pairs[k];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToObject(x, "a", side_json(&el.v[p->a]));
        cJSON_AddItemToObject(x, "b", side_json(&el.v[p->b]));
        cJSON_AddNumberToObject(x, "similarity", round(p->similarity * 1000) / 1000);
        web_json_add_i64(x, "matched_tokens", (int64_t)web_sim_matched_tokens(&docs[p->a], &docs[p->b]));
        cJSON_AddItemToArray(arr, x);
    }
    /* How many pairs reached `min` in all: more than listed when cut. */
    web_json_add_i64(o, "total_pairs", (int64_t)npairs);
    cJSON_AddBoolToObject(o, "truncated", npairs > PAIRS_MAX);
    web_reply_json(r, 200, o);
out:
    for (size_t i = 0; docs && i < el.n; i++)
        web_sim_doc_release(&docs[i]);
    free(docs);
    free(pairs);
    free(shared);
    free(tpl);
    templates_release(&ts);
    web_similarity_entry_list_release(&el);
    buf_release(&src);
}

/* The pair's side: who, which, and the source (invalid UTF-8 shown as '?'). */
static cJSON *pair_side_json(const struct web_similarity_entry *e, struct buf *src)
{
    cJSON *o = cJSON_CreateObject();
    web_json_add_i64(o, "submission", e->submission_id);
    web_json_add_i64(o, "user", e->user_id);
    cJSON_AddStringToObject(o, "name", e->name);
    cJSON_AddStringToObject(o, "language", e->language);
    web_text_repair(src->buf, 1);
    cJSON_AddStringToObject(o, "source", src->buf);
    return o;
}

void web_api_similarity_pair(struct web_req *r, struct web_store *s)
{
    struct web_assignment as;
    struct web_similarity_entry e[2];
    struct web_sim_doc d[2] = { 0 };
    struct web_sim_regions rg = { 0 };
    struct templates ts = { 0 };
    struct buf src[2];
    struct err err;
    char *tpl = NULL;
    int rc;
    buf_init(&src[0], WEB_SIM_SOURCE_MAX);
    buf_init(&src[1], WEB_SIM_SOURCE_MAX);
    if (staff_assignment(r, s, &as) < 0)
        goto out;
    int64_t id[2] = { web_req_query_id(r, "a"), 0 };
    if (id[0] < 0 || (id[1] = web_req_query_id(r, "b")) < 0)
        goto out;
    if (!id[0] || !id[1]) {
        web_reply_error(r, 400, "invalid_parameter", "query parameters 'a' and 'b' are required");
        goto out;
    }
    for (int k = 0; k < 2; k++) {
        rc = web_store_similarity_submission(s, as.id, id[k], &e[k], &err);
        if (rc == ERR_NOTFOUND) {
            web_reply_error(r, 404, "not_found", "no submission %lld in assignment %lld", (long long)id[k],
                            (long long)as.id);
            goto out;
        }
        if (rc < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    if (e[0].problem_id != e[1].problem_id) {
        web_reply_error(r, 400, "different_problems", "submissions %lld and %lld are for different problems",
                        (long long)id[0], (long long)id[1]);
        goto out;
    }
    if ((rc = problem_template(s, as.id, e[0].problem_id, &tpl, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    ts.text = tpl;
    for (int k = 0; k < 2; k++)
        if (doc_load(s, &e[k], &ts, &d[k], &src[k]) < 0)
            memset(&d[k], 0, sizeof(d[k]));
    web_sim_regions_find(&d[0], &d[1], &rg);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "a", pair_side_json(&e[0], &src[0]));
    cJSON_AddItemToObject(o, "b", pair_side_json(&e[1], &src[1]));
    cJSON *arr = cJSON_AddArrayToObject(o, "regions");
    for (size_t i = 0; i < rg.n; i++) {
        cJSON *x = cJSON_CreateObject();
        web_json_add_i64(x, "a_start", rg.v[i].a_start);
        web_json_add_i64(x, "a_end", rg.v[i].a_end);
        web_json_add_i64(x, "b_start", rg.v[i].b_start);
        web_json_add_i64(x, "b_end", rg.v[i].b_end);
        cJSON_AddItemToArray(arr, x);
    }
    {
        /* Staff reading two students' sources: recorded, like other
         * organizer actions, so students' work is not read unseen. */
        char target[48], detail[96];
        str_fmt(target, sizeof(target), "assignment %lld", (long long)as.id);
        str_fmt(detail, sizeof(detail), "{\"a\": %lld, \"b\": %lld}", (long long)e[0].submission_id,
                (long long)e[1].submission_id);
        web_audit(r, s, "similarity.view", target, detail);
    }
    web_reply_json(r, 200, o);
out:
    web_sim_regions_release(&rg);
    web_sim_doc_release(&d[0]);
    web_sim_doc_release(&d[1]);
    free(tpl);
    templates_release(&ts);
    buf_release(&src[0]);
    buf_release(&src[1]);
}
