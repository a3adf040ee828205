/*
 * api_problems.c: problem packages over HTTP. An upload is streamed to a
 * temporary file, extracted and validated with prb_package_load (every
 * error names the file inside the package), and only then kept: the zip in
 * the blob store by its hash, the statement rendered to HTML and the sample
 * cases as JSON in blobs of their own, so reading a problem never touches
 * the package again. Secret test data leaves the server only through the
 * judges' blob endpoint.
 */
#include "web_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATEMENT_HTML_MAX ((size_t)8 << 20)

/* ---- JSON --------------------------------------------------------------------------------------- */

static cJSON *problem_json(const struct web_problem *p)
{
    cJSON *o = cJSON_CreateObject(), *types = cJSON_CreateArray();
    web_json_add_i64(o, "id", p->id);
    cJSON_AddStringToObject(o, "short_name", p->short_name);
    cJSON_AddStringToObject(o, "title", p->title);
    /* The stored type is "scoring.interactive": base type, then modifiers. */
    for (const char *t = p->type; *t;) {
        char one[WEB_NAME_MAX + 1];
        size_t n = strcspn(t, ".");
        memcpy(one, t, n);
        one[n] = '\0';
        cJSON_AddItemToArray(types, cJSON_CreateString(one));
        t += n + (t[n] == '.');
    }
    cJSON_AddItemToObject(o, "type", types);
    if (p->time_limit_inferred)
        cJSON_AddNullToObject(o, "time_limit");
    else
        cJSON_AddNumberToObject(o, "time_limit", p->time_limit);
    web_json_add_i64(o, "memory_bytes", p->memory_limit);
    cJSON_AddBoolToObject(o, "published", p->published);
    web_json_add_i64(o, "created_at", p->created_at);
    cJSON *tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t i = 0; i < p->ntags; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(p->tags[i]));
    if (p->difficulty > 0)
        cJSON_AddNumberToObject(o, "difficulty", p->difficulty);
    else
        cJSON_AddNullToObject(o, "difficulty");
    return o;
}

/* ---- statements ------------------------------------------------------------------------------------
 * md4c renders the Markdown with raw HTML off (MD_FLAG_NOHTML: a <script>
 * in a statement comes out as text). With MD_FLAG_LATEXMATHSPANS it keeps
 * $...$ and $$...$$ out of Markdown's hands (no _emphasis_ inside a formula)
 * and marks them <x-equation>; those marks become KaTeX's \(...\) and
 * \[...\] delimiters, so the formula reaches the page as text. Link and
 * image addresses may only be http(s), mailto or relative; anything else
 * (javascript:, data:) becomes "#". md4c escapes everything it copies from
 * the input, so the markers matched here can only be md4c's own.
 */
static void md_out(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    buf_add(userdata, text, size);      /* past the cap the rest is dropped; checked after */
}

static int url_allowed(const char *url, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (url[i] == ':')
            break;
        if (url[i] == '/' || url[i] == '?' || url[i] == '#')
            return 1;               /* relative */
    }
    if (i == len)
        return 1;
    return (i == 4 && !strncasecmp(url, "http", 4)) || (i == 5 && !strncasecmp(url, "https", 5)) ||
           (i == 6 && !strncasecmp(url, "mailto", 6));
}

int web_markdown_render(const char *md, size_t len, struct buf *out)
{
    struct buf raw;
    int rc = 0, display = 0;
    buf_init(&raw, STATEMENT_HTML_MAX);
    if (md_html(md, (MD_SIZE)len, md_out, &raw, MD_DIALECT_GITHUB | MD_FLAG_NOHTML | MD_FLAG_LATEXMATHSPANS,
                MD_HTML_FLAG_SKIP_UTF8_BOM) != 0 ||
        raw.len >= STATEMENT_HTML_MAX - 1) {
        buf_release(&raw);
        return ERR_LIMIT;
    }
    static const char open_inline[] = "<x-equation>", open_display[] = "<x-equation type=\"display\">",
                      close_eq[] = "</x-equation>";
    const char *p = raw.buf, *end = raw.buf + raw.len;
    while (rc == 0 && p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        const char *attr = NULL;
        /* the next '<' or an href/src attribute value, whichever is first */
        for (const char *q = p; q < (lt ? lt : end); q++)
            if ((!strncmp(q, "href=\"", 6) || !strncmp(q, "src=\"", 5)) && q > raw.buf && q[-1] == ' ') {
                attr = q;
                break;
            }
        if (attr) {
            const char *v = strchr(attr, '"') + 1;
            const char *ve = memchr(v, '"', (size_t)(end - v));
            if (!ve)
                ve = end;
            rc = buf_add(out, p, (size_t)(v - p));
            if (rc == 0)
                rc = url_allowed(v, (size_t)(ve - v)) ? buf_add(out, v, (size_t)(ve - v)) : buf_adds(out, "#");
            p = ve;
            continue;
        }
        if (!lt) {
            rc = buf_add(out, p, (size_t)(end - p));
            break;
        }
        rc = buf_add(out, p, (size_t)(lt - p));
        p = lt;
        if (rc < 0)
            break;
        if (!strncmp(p, open_display, sizeof(open_display) - 1)) {
            rc = buf_adds(out, "\\[");
            display = 1;
            p += sizeof(open_display) - 1;
        } else if (!strncmp(p, open_inline, sizeof(open_inline) - 1)) {
            rc = buf_adds(out, "\\(");
            display = 0;
            p += sizeof(open_inline) - 1;
        } else if (!strncmp(p, close_eq, sizeof(close_eq) - 1)) {
            rc = buf_adds(out, display ? "\\]" : "\\)");
            p += sizeof(close_eq) - 1;
        } else {
            /* an ordinary tag: copy up to and including its '>' (attribute
             * values inside are handled by the loop above) */
            const char *gt = p + 1;
            while (gt < end && *gt != '>' && *gt != ' ')
                gt++;
            rc = buf_add(out, p, (size_t)(gt - p));
            p = gt;
        }
    }
    buf_release(&raw);
    return rc;
}

/* The English Markdown statement, rendered; "" in hex when there is none. */
static int statement_store(struct web_store *s, const struct prb_problem *p, char hex[WEB_HASH_HEX + 1],
                           struct err *err)
{
    static const char *const candidates[] = { "statement/problem.en.md", "problem_statement/problem.en.md" };
    struct buf md, html;
    int rc = 0;
    hex[0] = '\0';
    buf_init(&md, WEB_STATEMENT_MAX);
    buf_init(&html, STATEMENT_HTML_MAX);
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        char path[PATH_MAX];
        struct stat st;
        if (str_fmt(path, sizeof(path), "%s/%s", p->root, candidates[i]) < 0 || lstat(path, &st) < 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (buf_read_file(&md, path, NULL) < 0) {
            rc = err_set(err, ERR_LIMIT, "'%s' is larger than %zu bytes or unreadable", candidates[i],
                         (size_t)WEB_STATEMENT_MAX);
            goto out;
        }
        if (!web_utf8_valid(md.buf, md.len)) {
            rc = err_set(err, ERR_INVALID, "'%s' is not UTF-8 text", candidates[i]);
            goto out;
        }
        if (web_markdown_render(md.buf, md.len, &html) < 0) {
            rc = err_set(err, ERR_LIMIT, "'%s': the rendered statement is too large", candidates[i]);
            goto out;
        }
        rc = web_blob_put(s, html.buf, html.len, hex, err);
        break;
    }
out:
    buf_release(&md);
    buf_release(&html);
    return rc;
}

/* Reads one sample file for the JSON: NULL when it is too large or missing. */
static int sample_read(const char *path, struct buf *b)
{
    struct stat st;
    buf_reset(b);
    if (!path || lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > WEB_SAMPLE_MAX)
        return -1;
    return buf_read_file(b, path, NULL);
}

/* {"samples": [{"name", "input", "answer"}]}: data/sample's cases; a file
 * past WEB_SAMPLE_MAX or not UTF-8 shows as null. */
static int samples_store(struct web_store *s, const struct prb_problem *p, char hex[WEB_HASH_HEX + 1],
                         struct err *err)
{
    struct buf in, ans;
    size_t total = 0;
    int rc = 0;
    hex[0] = '\0';
    buf_init(&in, WEB_SAMPLE_MAX);
    buf_init(&ans, WEB_SAMPLE_MAX);
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "samples");
    for (size_t i = 0; i < p->n_cases; i++) {
        const struct prb_testcase *tc = p->cases[i];
        if (strncmp(tc->name, "sample/", 7) != 0)
            continue;
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "name", tc->name + 7);
        if (sample_read(tc->in_path, &in) == 0)
            web_json_add_text(one, "input", in.buf, in.len);
        else
            cJSON_AddNullToObject(one, "input");
        if (sample_read(tc->out_path ? tc->out_path : tc->ans_path, &ans) == 0)
            web_json_add_text(one, "answer", ans.buf, ans.len);
        else
            cJSON_AddNullToObject(one, "answer");
        total += in.len + ans.len;
        if (total > WEB_SAMPLES_MAX) {
            cJSON_Delete(one);
            break;
        }
        cJSON_AddItemToArray(arr, one);
    }
    if (cJSON_GetArraySize(arr) > 0) {
        char *text = cJSON_PrintUnformatted(o);
        if (!text)
            abort();
        rc = web_blob_put(s, text, strlen(text), hex, err);
        free(text);
    }
    cJSON_Delete(o);
    buf_release(&in);
    buf_release(&ans);
    return rc;
}

/* ---- POST /api/v1/problems ---------------------------------------------------------------------------- */

/* Replaces every "prefix/" in msg by nothing: errors name files inside the
 * package, not the server's folders. */
static void strip_prefix(char *msg, const char *prefix)
{
    char pre[PATH_MAX + 1];
    if (!prefix[0] || str_fmt(pre, sizeof(pre), "%s/", prefix) < 0)
        return;
    size_t n = strlen(pre);
    char *at;
    while ((at = strstr(msg, pre)))
        memmove(at, at + n, strlen(at + n) + 1);
}

/* A short name from a title: "Hello Sum!" -> "hello-sum". */
static void slug(const char *title, char out[WEB_NAME_MAX + 1])
{
    size_t n = 0;
    for (const char *p = title; *p && n < WEB_NAME_MAX; p++) {
        if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
            out[n++] = (char)tolower((unsigned char)*p);
        else if (n && out[n - 1] != '-')
            out[n++] = '-';
    }
    while (n && out[n - 1] == '-')
        n--;
    out[n] = '\0';
}

static void type_string(unsigned type, char out[WEB_NAME_MAX + 1])
{
    str_fmt(out, WEB_NAME_MAX + 1, "%s%s%s%s", type & PRB_TYPE_SCORING ? "scoring" : "pass-fail",
            type & PRB_TYPE_INTERACTIVE ? ".interactive" : "", type & PRB_TYPE_MULTI_PASS ? ".multi-pass" : "",
            type & PRB_TYPE_SUBMIT_ANSWER ? ".submit-answer" : "");
}

/* The package's keywords become the first tags: lowercased (ASCII); those
 * that are not tags even then are left out, as are any past WEB_TAGS_MAX. */
static void keywords_to_tags(const struct prb_problem *p, struct web_problem *row)
{
    for (size_t i = 0; i < p->keywords.n; i++) {
        char tag[WEB_TAG_MAX + 1];
        const char *k = p->keywords.v[i];
        size_t n = strlen(k);
        if (n == 0 || n > WEB_TAG_MAX)
            continue;
        for (size_t j = 0; j <= n; j++)
            tag[j] = (k[j] >= 'A' && k[j] <= 'Z') ? (char)(k[j] - 'A' + 'a') : k[j];
        web_problem_tag_add(row, tag, NULL);
    }
}

/* ---- AI problem files -------------------------------------------------------------------------------------
 * The regular files directly in an AI package's ai/public/ are what
 * contestants may download (docs/ai-problems.md): each goes to the blob
 * store at upload. Subfolders, links and hidden files (".gitkeep") are left
 * out; nothing outside ai/public/ is ever listed (ai/solution.csv, the
 * scorer). A name the download URL cannot carry, more than
 * WEB_PROBLEM_FILES_MAX files, or a file past WEB_PROBLEM_FILE_MAX (all of
 * them past WEB_PROBLEM_FILES_TOTAL_MAX) refuses the package. */

static int file_name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > WEB_NAME_MAX || n[0] == '-')
        return 0;
    for (const char *c = n; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
              *c == '_' || *c == '-'))
            return 0;
    return 1;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const struct web_problem_file *)a)->name, ((const struct web_problem_file *)b)->name);
}

static int ai_files_collect(struct web_store *s, const struct prb_ai *ai, struct web_problem_file *files,
                            size_t *n, struct err *err)
{
    int64_t total = 0;
    int rc = 0;
    *n = 0;
    if (!ai->public_dir)
        return 0;
    DIR *d = opendir(ai->public_dir);
    if (!d)
        return errno == ENOENT ? 0 : err_set(err, ERR_INVALID, "cannot read ai/public/");
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if (str_fmt(path, sizeof(path), "%s/%s", ai->public_dir, e->d_name) < 0 || lstat(path, &st) < 0 ||
            !S_ISREG(st.st_mode))
            continue;
        if (!file_name_ok(e->d_name)) {
            rc = err_set(err, ERR_INVALID, "ai/public/%.64s: a downloadable file's name must be 1 to %d of "
                         "A-Z, a-z, 0-9, '.', '_' and '-', not starting with '-'", e->d_name, WEB_NAME_MAX);
            break;
        }
        if (*n >= WEB_PROBLEM_FILES_MAX) {
            rc = err_set(err, ERR_LIMIT, "ai/public/ holds more than %d files", WEB_PROBLEM_FILES_MAX);
            break;
        }
        if (st.st_size > WEB_PROBLEM_FILE_MAX || (total += st.st_size) > WEB_PROBLEM_FILES_TOTAL_MAX) {
            rc = err_set(err, ERR_LIMIT, st.st_size > WEB_PROBLEM_FILE_MAX ?
                         "ai/public/%s is larger than %lld bytes" : "ai/public/ (up to %s) is larger than %lld bytes",
                         e->d_name, (long long)(st.st_size > WEB_PROBLEM_FILE_MAX ? WEB_PROBLEM_FILE_MAX :
                                                WEB_PROBLEM_FILES_TOTAL_MAX));
            break;
        }
        struct web_problem_file *f = &files[*n];
        str_fmt(f->name, sizeof(f->name), "%s", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            rc = err_set(err, ERR_INVALID, "cannot read ai/public/%s", e->d_name);
            break;
        }
        rc = web_blob_put_fd(s, fd, (uint64_t)WEB_PROBLEM_FILE_MAX, f->hash, err);
        close(fd);
        if (rc == ERR_LIMIT)
            rc = err_set(err, ERR_LIMIT, "ai/public/%s is larger than %lld bytes", e->d_name,
                         (long long)WEB_PROBLEM_FILE_MAX);
        if (rc == 0) {
            f->size = st.st_size;
            (*n)++;
        }
    }
    closedir(d);
    if (rc == 0)
        qsort(files, *n, sizeof(*files), file_cmp);
    return rc;
}

void web_api_problem_upload(struct web_req *r, struct web_store *s)
{
    struct prb_problem *p = NULL;
    struct web_problem row = { 0 };
    struct err err = { 0 };
    char xdir[PATH_MAX], xreal[PATH_MAX] = "";
    int rc, in_tx = 0;

    if (r->received == 0) {
        web_reply_error(r, 400, "empty_body", "the body must be a problem package (.zip)");
        return;
    }
    if (str_fmt(xdir, sizeof(xdir), "%s/x", r->upload_dir) < 0 || mkdir(xdir, 0700) < 0 ||
        !realpath(xdir, xreal)) {
        log_error("web", "cannot create '%s': %s", xdir, strerror(errno));
        web_reply_error(r, 500, "internal", "cannot unpack the upload");
        return;
    }
    struct prb_load_limits lim;
    prb_load_limits_init(&lim);
    lim.max_total_bytes = WEB_PACKAGE_EXPANDED_MAX;
    lim.max_file_bytes = WEB_PACKAGE_FILE_MAX;
    rc = prb_package_load(r->upload_path, xdir, &lim, &p, &err);
    if (rc < 0) {
        strip_prefix(err.msg, xreal);
        strip_prefix(err.msg, xdir);
        strip_prefix(err.msg, r->upload_dir);
        web_reply_error(r, 422, "invalid_package", "%s", err.msg);
        return;
    }

    /* The short name: ?name=, else the package's top-level folder, else
     * one made from the title. */
    const char *given = web_req_query(r, "name");
    if (given) {
        if (str_fmt(row.short_name, sizeof(row.short_name), "%s", given) < 0) {
            web_reply_error(r, 400, "invalid", "name is longer than %d bytes", WEB_NAME_MAX);
            goto out;
        }
    } else if (strcmp(p->root, xreal) != 0) {
        const char *base = strrchr(p->root, '/');
        str_fmt(row.short_name, sizeof(row.short_name), "%s", base ? base + 1 : p->root);
    } else {
        slug(prb_problem_name(p), row.short_name);
    }
    if (!row.short_name[0]) {
        web_reply_error(r, 422, "invalid_package", "the package has no top-level folder and no name: "
                        "give one with ?name=SHORT_NAME");
        goto out;
    }
    const char *title = prb_problem_name(p);
    if (!title[0] || str_fmt(row.title, sizeof(row.title), "%s", title) < 0)
        str_fmt(row.title, sizeof(row.title), "%s", row.short_name);
    double tl;
    if (prb_problem_time_limit(p, &tl, NULL) == 0 && tl > 0 && tl <= 3600) {
        row.time_limit = tl;
    } else {
        row.time_limit = 1;
        row.time_limit_inferred = 1;
    }
    row.memory_limit = (p->limits.memory_mib > 0 ? p->limits.memory_mib : 2048) << 20;
    type_string(p->type, row.type);
    keywords_to_tags(p, &row);
    row.created_by = r->user.id;
    row.created_at = r->now;

    if ((rc = statement_store(s, p, row.statement_hash, &err)) < 0 ||
        (rc = samples_store(s, p, row.samples_hash, &err)) < 0) {
        if (rc == ERR_INVALID || rc == ERR_LIMIT)
            web_reply_error(r, 422, "invalid_package", "%s", err.msg);
        else
            web_reply_store_error(r, rc, &err);
        goto out;
    }
    struct web_problem_file files[WEB_PROBLEM_FILES_MAX];
    size_t nfiles = 0;
    if (p->ai && (rc = ai_files_collect(s, p->ai, files, &nfiles, &err)) < 0) {
        if (rc == ERR_INVALID || rc == ERR_LIMIT)
            web_reply_error(r, 422, "invalid_package", "%s", err.msg);
        else
            web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (lseek(r->upload_fd, 0, SEEK_SET) < 0 ||
        (rc = web_blob_put_fd(s, r->upload_fd, WEB_BODY_PACKAGE_MAX, row.package_hash, &err)) < 0) {
        web_reply_store_error(r, ERR_SYSTEM, &err);
        goto out;
    }
    /* The problem's row and the rows that go with it (GPUs, AI settings and
     * files) in one transaction: a failure half way stores none of them. */
    if ((rc = web_store_tx_begin(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 1;
    rc = web_store_problem_create(s, &row, &err);
    if (rc == WEB_STORE_CONFLICT) {
        web_reply_error(r, 409, "conflict", "a problem named '%s' exists", row.short_name);
        goto out;
    }
    if (rc == ERR_INVALID || rc == ERR_LIMIT) {
        web_reply_error(r, 422, "invalid_package", "%s", err.msg);
        goto out;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    if (web_compute_problem_store(r, s, row.id, p) < 0)     /* compute budgets: the GPUs its runs need */
        goto out;
    if (p->ai) {
        /* AI leaderboards: the metric's direction and the decimals shown */
        struct web_ai_problem ap = { .problem_id = row.id, .maximize = p->ai->maximize,
                                     .precision = p->ai->precision };
        if ((rc = web_store_ai_problem_put(s, &ap, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
        /* AI problem files: the metric's name and ai/public's files */
        char metric[WEB_AI_METRIC_MAX + 1];
        prb_ai_metric_name(p->ai->metric, p->ai->k, metric, sizeof(metric));
        if ((rc = web_store_ai_metric_set(s, row.id, metric, &err)) < 0 ||
            (rc = web_store_problem_files_put(s, row.id, files, nfiles, &err)) < 0) {
            web_reply_store_error(r, rc, &err);
            goto out;
        }
    }
    if ((rc = web_store_tx_commit(s, &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    in_tx = 0;
    {
        char target[64], detail[256];
        str_fmt(target, sizeof(target), "problem %lld", (long long)row.id);
        str_fmt(detail, sizeof(detail), "{\"short_name\": \"%s\", \"package\": \"%s\"}", row.short_name,
                row.package_hash);
        web_audit(r, s, "problem.create", target, detail);
    }
    log_info("web", "problem %lld '%s' uploaded by '%s' (package %.12s)", (long long)row.id, row.short_name,
             r->user.name, row.package_hash);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "problem", problem_json(&row));
    web_reply_json(r, 201, o);
    {
        char loc[64];
        str_fmt(loc, sizeof(loc), "/api/v1/problems/%lld", (long long)row.id);
        web_reply_header(r, "Location", loc);
    }
out:
    if (in_tx)
        web_store_tx_rollback(s, NULL);
    prb_problem_free(p);
}

/* ---- reading problems ------------------------------------------------------------------------------------- */

/* The problem in the path, if the caller may see it; else replies 404. */
static int visible_problem(struct web_req *r, struct web_store *s, struct web_problem *p)
{
    struct err err;
    int rc = web_store_problem_by_id(s, r->id, p, &err);
    if (rc == ERR_NOTFOUND || (rc == 0 && !p->published && !web_req_is_staff(r))) {
        web_reply_error(r, 404, "not_found", "no problem %lld", (long long)r->id);
        return -1;
    }
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return -1;
    }
    return 0;
}

/* A difficulty bound from the query: 0 when absent, -1 after a 400. */
static int query_difficulty(struct web_req *r, const char *name)
{
    const char *v = web_req_query(r, name);
    int64_t d;
    if (!v)
        return 0;
    if (web_query_id_parse(v, &d) < 0 || d > WEB_DIFFICULTY_MAX) {
        web_reply_error(r, 400, "invalid_parameter", "query parameter '%s' must be a whole number from 1 to %d",
                        name, WEB_DIFFICULTY_MAX);
        return -1;
    }
    return (int)d;
}

/* GET /api/v1/problems: the archive, searched (q, tag, difficulty_min,
 * difficulty_max) and paged by id (after, limit). Contestants and the
 * public see published problems only, staff all. */
void web_api_problem_list(struct web_req *r, struct web_store *s)
{
    struct web_problem_filter f = { 0 };
    struct web_problem_list l;
    struct err err;
    int64_t after = web_req_query_id(r, "after"), limit = web_req_query_id(r, "limit");
    if (after < 0 || limit < 0)
        return;
    if (limit == 0 || limit > WEB_PAGE_MAX)
        limit = WEB_PAGE_MAX;
    const char *q = web_req_query(r, "q"), *tag = web_req_query(r, "tag");
    if (q && (!web_utf8_valid(q, strlen(q)) || str_fmt(f.q, sizeof(f.q), "%s", q) < 0)) {
        web_reply_error(r, 400, "invalid_parameter", "query parameter 'q' must be at most %d bytes of UTF-8 text",
                        WEB_TITLE_MAX);
        return;
    }
    if (tag && tag[0]) {
        if (!web_problem_tag_valid(tag)) {
            web_reply_error(r, 400, "invalid_parameter", "query parameter 'tag' must be a tag: 1 to %d of a-z, "
                            "0-9, '-', '+' and inner spaces", WEB_TAG_MAX);
            return;
        }
        str_fmt(f.tag, sizeof(f.tag), "%s", tag);
    }
    if ((f.difficulty_min = query_difficulty(r, "difficulty_min")) < 0 ||
        (f.difficulty_max = query_difficulty(r, "difficulty_max")) < 0)
        return;
    if (f.difficulty_min && f.difficulty_max && f.difficulty_min > f.difficulty_max) {
        web_reply_error(r, 400, "invalid_parameter", "difficulty_min is above difficulty_max");
        return;
    }
    f.published_only = !web_req_is_staff(r);
    f.after_id = after;
    f.limit = (size_t)limit;
    int rc = web_store_problem_search(s, &f, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "problems");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, problem_json(&l.v[i]));
    web_problem_list_release(&l);
    web_reply_json(r, 200, o);
}

/* GET /api/v1/problems/tags: the tags of the problems the caller may see,
 * with how many of them have each, for the archive's filter. */
void web_api_problem_tags(struct web_req *r, struct web_store *s)
{
    struct web_tag_count_list l;
    struct err err;
    int rc = web_store_problem_tag_counts(s, !web_req_is_staff(r), &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "tags");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "tag", l.v[i].tag);
        web_json_add_i64(one, "problems", l.v[i].problems);
        cJSON_AddItemToArray(arr, one);
    }
    web_tag_count_list_release(&l);
    web_reply_json(r, 200, o);
}

void web_api_problem_get(struct web_req *r, struct web_store *s)
{
    struct web_problem p;
    struct buf html;
    struct err err;
    if (visible_problem(r, s, &p) < 0)
        return;
    cJSON *o = cJSON_CreateObject(), *pj = problem_json(&p);
    buf_init(&html, STATEMENT_HTML_MAX);
    if (p.statement_hash[0]) {
        int rc = web_blob_get(s, p.statement_hash, &html, &err);
        if (rc < 0) {
            buf_release(&html);
            cJSON_Delete(pj);
            cJSON_Delete(o);
            web_reply_store_error(r, rc == ERR_NOTFOUND ? ERR_SYSTEM : rc, &err);
            return;
        }
        web_json_add_text(pj, "statement_html", html.buf, html.len);
    } else {
        cJSON_AddNullToObject(pj, "statement_html");
    }
    buf_release(&html);
    cJSON_AddItemToObject(o, "problem", pj);
    int rc = web_problem_ai_json(s, p.id, pj, &err);     /* AI problems: metric, direction */
    if (rc < 0) {
        cJSON_Delete(o);
        web_reply_store_error(r, rc, &err);
        return;
    }
    web_reply_json(r, 200, o);
}

void web_api_problem_samples(struct web_req *r, struct web_store *s)
{
    struct web_problem p;
    struct buf b;
    struct err err;
    if (visible_problem(r, s, &p) < 0)
        return;
    if (!p.samples_hash[0]) {
        web_reply_json(r, 200, cJSON_Parse("{\"samples\": []}"));
        return;
    }
    buf_init(&b, WEB_SAMPLES_MAX * 7);
    int rc = web_blob_get(s, p.samples_hash, &b, &err);
    if (rc < 0) {
        buf_release(&b);
        web_reply_store_error(r, rc == ERR_NOTFOUND ? ERR_SYSTEM : rc, &err);
        return;
    }
    web_reply_buf(r, 200, &b, "application/json");
    buf_release(&b);
}

/* ---- GET /api/v1/problems/{id}/package ---------------------------------------------------------------------
 * The package as uploaded, secret data included: only for admins and the
 * organizer who uploaded it (judges fetch it by hash through the judge
 * protocol). Every download is in the audit log. */

void web_api_problem_package(struct web_req *r, struct web_store *s)
{
    struct web_problem p;
    struct err err;
    char path[PATH_MAX];
    int rc = web_store_problem_by_id(s, r->id, &p, &err);
    if (rc == ERR_NOTFOUND || (rc == 0 && r->user.role != WEB_ROLE_ADMIN && p.created_by != r->user.id)) {
        web_reply_error(r, 404, "not_found", "no problem %lld", (long long)r->id);
        return;
    }
    if (rc < 0 || (rc = web_blob_path(s, p.package_hash, path, sizeof(path), &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        err_set(&err, ERR_SYSTEM, "cannot open the package of problem %lld", (long long)p.id);
        web_reply_store_error(r, ERR_SYSTEM, &err);
        return;
    }
    char target[64], disp[WEB_NAME_MAX + 48];
    str_fmt(target, sizeof(target), "problem %lld", (long long)p.id);
    web_audit(r, s, "problem.download", target, NULL);
    web_reply_fd(r, 200, fd, (uint64_t)st.st_size, "application/zip");
    str_fmt(disp, sizeof(disp), "attachment; filename=\"%s.zip\"", p.short_name);
    web_reply_header(r, "Content-Disposition", disp);
}

/* ---- AI problem files: listing and download ------------------------------------------------------------------
 * Whoever may see the problem's statement: in the archive, a published
 * problem anyone (staff any); through a contest, the rule of GET
 * /api/v1/contests/{id}/problems/{id2}. A problem without files lists none. */

int web_problem_ai_json(struct web_store *s, int64_t problem_id, cJSON *parent, struct err *err)
{
    struct web_ai_problem ap;
    char metric[WEB_AI_METRIC_MAX + 1];
    int rc;
    if ((rc = web_store_ai_problem_get(s, problem_id, &ap, err)) < 0)
        return rc;
    if (!ap.stored) {
        cJSON_AddNullToObject(parent, "ai");
        return 0;
    }
    if ((rc = web_store_ai_metric_get(s, problem_id, metric, err)) < 0)
        return rc;
    cJSON *o = cJSON_AddObjectToObject(parent, "ai");
    if (metric[0])
        cJSON_AddStringToObject(o, "metric", metric);
    else
        cJSON_AddNullToObject(o, "metric");
    cJSON_AddStringToObject(o, "direction", ap.maximize ? "maximize" : "minimize");
    cJSON_AddNumberToObject(o, "precision", ap.precision);
    return 0;
}

static void files_reply(struct web_req *r, struct web_store *s, int64_t problem_id)
{
    struct web_problem_file_list l;
    struct err err;
    int rc = web_store_problem_files(s, problem_id, &l, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "files");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "name", l.v[i].name);
        web_json_add_i64(one, "size", l.v[i].size);
        cJSON_AddItemToArray(arr, one);
    }
    web_problem_file_list_release(&l);
    web_reply_json(r, 200, o);
}

static void file_reply(struct web_req *r, struct web_store *s, int64_t problem_id)
{
    struct web_problem_file_list l;
    struct web_problem_file f = { 0 };
    struct err err;
    char path[PATH_MAX];
    int rc = web_store_problem_files(s, problem_id, &l, &err), found = 0;
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].name, r->name)) {
            f = l.v[i];
            found = 1;
        }
    web_problem_file_list_release(&l);
    if (!found) {
        web_reply_error(r, 404, "not_found", "problem %lld has no file '%s'", (long long)problem_id, r->name);
        return;
    }
    if ((rc = web_blob_path(s, f.hash, path, sizeof(path), &err)) < 0) {
        web_reply_store_error(r, rc, &err);
        return;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        err_set(&err, ERR_SYSTEM, "cannot open file '%s' of problem %lld", f.name, (long long)problem_id);
        web_reply_store_error(r, ERR_SYSTEM, &err);
        return;
    }
    size_t n = strlen(f.name);
    int csv = n > 4 && !strcasecmp(f.name + n - 4, ".csv");
    char disp[WEB_NAME_MAX + 48];
    web_reply_fd(r, 200, fd, (uint64_t)st.st_size, csv ? "text/csv" : "application/octet-stream");
    str_fmt(disp, sizeof(disp), "attachment; filename=\"%s\"", f.name);  /* the name is [A-Za-z0-9._-] */
    web_reply_header(r, "Content-Disposition", disp);
}

void web_api_problem_files(struct web_req *r, struct web_store *s)
{
    struct web_problem p;
    if (visible_problem(r, s, &p) == 0)
        files_reply(r, s, p.id);
}

void web_api_problem_file(struct web_req *r, struct web_store *s)
{
    struct web_problem p;
    if (visible_problem(r, s, &p) == 0)
        file_reply(r, s, p.id);
}

void web_api_contest_problem_files(struct web_req *r, struct web_store *s)
{
    struct web_contest_problem cp;
    struct web_problem p;
    if (web_contest_problem_load(r, s, &cp, &p) == 0)
        files_reply(r, s, p.id);
}

void web_api_contest_problem_file(struct web_req *r, struct web_store *s)
{
    struct web_contest_problem cp;
    struct web_problem p;
    if (web_contest_problem_load(r, s, &cp, &p) == 0)
        file_reply(r, s, p.id);
}

/* ---- PATCH /api/v1/problems/{id} ----------------------------------------------------------------------------- */

/* Replaces p's tags with the body's array: 0, or -1 after a 400 naming the field. */
static int tags_from_body(struct web_req *r, const cJSON *arr, struct web_problem *p)
{
    struct err err;
    p->ntags = 0;
    if (cJSON_GetArraySize(arr) > WEB_TAGS_MAX) {
        web_reply_error(r, 400, "invalid_field", "the body: field 'tags' holds more than %d tags", WEB_TAGS_MAX);
        return -1;
    }
    int i = 0;
    for (const cJSON *t = arr->child; t; t = t->next, i++) {
        if (!cJSON_IsString(t) || !t->valuestring) {
            web_reply_error(r, 400, "invalid_field", "the body: field 'tags' item %d must be a string", i + 1);
            return -1;
        }
        if (web_problem_tag_add(p, t->valuestring, &err) < 0) {
            web_reply_error(r, 400, "invalid_field", "the body: field 'tags' item %d: %s", i + 1, err.msg);
            return -1;
        }
    }
    return 0;
}

void web_api_problem_patch(struct web_req *r, struct web_store *s)
{
    static const struct web_json_field fields[] = {
        { "published", WEB_JSON_BOOL, 0 },
        { "title", WEB_JSON_STRING, 0 },
        { "tags", WEB_JSON_ARRAY, 0 },
        { "difficulty", WEB_JSON_INT_OR_NULL, 0 },
    };
    struct web_problem p;
    struct err err;
    cJSON *body = web_json_body(r, fields, sizeof(fields) / sizeof(fields[0]));
    if (!body)
        return;
    if (visible_problem(r, s, &p) < 0)
        goto out;
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(body, "published");
    if (pub)
        p.published = cJSON_IsTrue(pub);
    const char *title = web_json_str(body, "title", NULL);
    if (title && (!title[0] || str_fmt(p.title, sizeof(p.title), "%s", title) < 0)) {
        web_reply_error(r, 400, "invalid", "title must be 1 to %d bytes", WEB_TITLE_MAX);
        goto out;
    }
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(body, "tags");
    if (tags && tags_from_body(r, tags, &p) < 0)
        goto out;
    const cJSON *diff = cJSON_GetObjectItemCaseSensitive(body, "difficulty");
    if (diff && cJSON_IsNull(diff)) {
        p.difficulty = 0;
    } else if (diff) {
        if (diff->valuedouble < 1 || diff->valuedouble > WEB_DIFFICULTY_MAX) {
            web_reply_error(r, 400, "invalid_field", "the body: field 'difficulty' must be 1 to %d, or null",
                            WEB_DIFFICULTY_MAX);
            goto out;
        }
        p.difficulty = (int)diff->valuedouble;
    }
    int rc = web_store_problem_update(s, &p, &err);
    if (rc < 0) {
        web_reply_store_error(r, rc, &err);
        goto out;
    }
    {
        char target[64], *detail = cJSON_PrintUnformatted(body);
        str_fmt(target, sizeof(target), "problem %lld", (long long)p.id);
        web_audit(r, s, "problem.update", target, detail);
        free(detail);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "problem", problem_json(&p));
    web_reply_json(r, 200, o);
out:
    cJSON_Delete(body);
}

/* ---- GET /api/v1/languages -----------------------------------------------------------------------------------
 * The server's language table as a submission form needs it: ids, names,
 * file extensions, the file name to give a source typed in the editor, and
 * the time and memory allowances. Never the compile or run commands, their
 * paths and flags, or the binds: those describe the judges' machines. */

void web_api_languages(struct web_req *r, struct web_store *s)
{
    (void)s;
    const struct jdg_languages *langs = &r->srv->langs;
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "languages");
    for (size_t i = 0; i < langs->n; i++) {
        const struct jdg_language *l = &langs->v[i];
        cJSON *one = cJSON_CreateObject(), *ext = cJSON_CreateArray();
        cJSON_AddStringToObject(one, "id", l->id);
        cJSON_AddStringToObject(one, "name", l->name ? l->name : l->id);
        for (size_t j = 0; j < l->extensions.n; j++)
            cJSON_AddItemToArray(ext, cJSON_CreateString(l->extensions.v[j]));
        cJSON_AddItemToObject(one, "extensions", ext);
        /* The run command names the main file without its extension ({main}):
         * for Java and Kotlin that is the class, "Main" by convention. */
        int java = !strcmp(l->id, "java") || !strcmp(l->id, "kotlin");
        char file[WEB_FILENAME_MAX + 1];
        if (l->extensions.n > 0 &&
            str_fmt(file, sizeof(file), "%s.%s", java ? "Main" : "main", l->extensions.v[0]) == 0)
            cJSON_AddStringToObject(one, "file", file);
        else
            cJSON_AddNullToObject(one, "file");
        cJSON_AddNumberToObject(one, "time_multiplier", l->time_multiplier > 0 ? l->time_multiplier : 1);
        web_json_add_i64(one, "memory_extra_bytes", l->memory_extra_mib > 0 ? l->memory_extra_mib << 20 : 0);
        cJSON_AddItemToArray(arr, one);
    }
    web_reply_json(r, 200, o);
}
