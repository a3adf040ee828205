/*
 * fuzz_json.c: libFuzzer target for the web server's JSON request bodies:
 * web_json_body (web/json.c), which parses the body and checks it against a
 * route's field table, followed by the pure part of the handlers that read
 * the two largest untrusted bodies: POST /api/v1/submissions (files[0] and
 * its name) and the judge's POST .../result (the tests[] array, and in-place
 * web_text_repair / web_text_truncate of raw-text strings).
 *
 * Input: one selector byte (bit 0: the route takes raw text, so invalid
 * UTF-8 reaches cJSON; bits 1-2: which field table), then the body. The
 * body sits in a buffer of exactly its size, as the server's struct buf
 * holds it.
 *
 * No libmicrohttpd is loaded: web_reply_error() builds its reply through
 * the web_mhd table (mhd.h), filled here with stubs that free what the real
 * library would free.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The real names, not the web_mhd.NAME macros: this file fills the table. */
#define WEB_MHD_IMPLEMENTATION
#include "web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- libmicrohttpd stubs ---- */
static char fake_response;

static struct MHD_Response *stub_from_buffer(size_t len, void *buf, enum MHD_ResponseMemoryMode mode)
{
    if (mode == MHD_RESPMEM_MUST_FREE)
        free(buf);
    return (struct MHD_Response *)&fake_response;
}

static enum MHD_Result stub_add_header(struct MHD_Response *resp, const char *h, const char *v)
{
    return MHD_YES;
}

static void stub_destroy(struct MHD_Response *resp)
{
}

/* ---- field tables, as the routes declare them ---- */
static const struct web_json_field login_fields[] = {
    { "name", WEB_JSON_STRING, 1 },
    { "password", WEB_JSON_STRING, 1 },
    { "remember", WEB_JSON_BOOL, 0 },
    { "extra", WEB_JSON_OBJECT, 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void submission(struct web_req *r, cJSON *body)
{
    char msg[ERR_MSG_MAX];
    (void)web_json_i64(body, "problem", 0);
    (void)web_json_str(body, "language", "");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(body, "files");
    if (cJSON_GetArraySize(files) != 1)
        return;
    const cJSON *file = cJSON_GetArrayItem(files, 0);
    if (web_json_check(file, web_fields_submission_file, web_nfields_submission_file, "files[0]", msg, sizeof(msg)) < 0) {
        web_reply_error(r, 400, "invalid_field", "%s", msg);
        return;
    }
    const char *name = web_json_str(file, "name", "");
    const char *content = web_json_str(file, "content", "");
    (void)strlen(content);
    (void)web_utf8_valid(name, strlen(name));
}

static void result(struct web_req *r, cJSON *body)
{
    char msg[ERR_MSG_MAX], where[64];
    for (cJSON *x = body->child; x; x = x->next)
        if (cJSON_IsString(x))
            web_text_repair(x->valuestring, 1);
    (void)web_json_num(body, "score", 0);
    (void)web_json_i64(body, "memory_bytes", 0);
    const char *message = web_json_str(body, "message", "");
    web_text_truncate((char *)message, 4);
    const cJSON *tarr = cJSON_GetObjectItemCaseSensitive(body, "tests"), *t;
    size_t i = 0;
    cJSON_ArrayForEach(t, tarr) {
        snprintf(where, sizeof(where), "tests[%zu]", i++);
        if (web_json_check(t, web_fields_result_test, web_nfields_result_test, where, msg, sizeof(msg)) < 0) {
            web_reply_error(r, 400, "invalid_field", "%s", msg);
            return;
        }
        for (cJSON *y = t->child; y; y = y->next)
            if (cJSON_IsString(y))
                web_text_repair(y->valuestring, strcmp(y->string, "message") == 0);
        char *name = (char *)web_json_str(t, "name", "");
        web_text_truncate(name, 3);
        if (!web_utf8_valid(name, strlen(name)))
            abort();            /* repaired, then cut on a boundary: still UTF-8 */
        (void)web_json_i64(t, "memory_bytes", 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!web_mhd.MHD_create_response_from_buffer) {
        web_mhd.MHD_create_response_from_buffer = stub_from_buffer;
        web_mhd.MHD_add_response_header = stub_add_header;
        web_mhd.MHD_destroy_response = stub_destroy;
    }
    if (size < 1)
        return 0;
    uint8_t sel = data[0];
    data++;
    size--;

    struct web_route route = {
        .method = "POST",
        .pattern = "/fuzz",
        .body = (sel & 8) ? WEB_BODY_JSON_OPTIONAL : WEB_BODY_JSON,
        .limit = WEB_BODY_SUBMISSION_MAX,
        .raw_text = sel & 1,
    };
    struct web_req r;
    memset(&r, 0, sizeof(r));
    r.route = &route;
    r.json_type_ok = 1;
    r.upload_fd = -1;
    r.body.buf = malloc(size ? size : 1);
    if (!r.body.buf)
        abort();
    memcpy(r.body.buf, data, size);
    r.body.len = size;
    r.body.alloc = size;

    cJSON *body;
    switch ((sel >> 1) & 3) {
    case 0:
        body = web_json_body(&r, web_fields_submission, web_nfields_submission);
        if (body)
            submission(&r, body);
        break;
    case 1:
        body = web_json_body(&r, web_fields_result, web_nfields_result);
        if (body)
            result(&r, body);
        break;
    case 2:
        body = web_json_body(&r, login_fields, N(login_fields));
        break;
    default:
        body = web_json_body(&r, NULL, 0);
        break;
    }
    if (!body && !r.resp)
        abort();                /* refused without a reply */
    cJSON_Delete(body);
    free(r.body.buf);
    return 0;
}
