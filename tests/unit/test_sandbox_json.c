/*
 * test_sandbox_json.c: unit.sandbox.json, the one-line JSON result that
 * `crucible sandbox run` prints and the judge reads: field order, types,
 * status names, and escaping of the free-text message.
 */
#include "sandbox.h"
#include "check.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "cJSON.h"

static const char *const field_order[] = {
    "status", "exit_code", "signal", "cpu_seconds", "wall_seconds", "memory_bytes", "message",
};
#define NFIELDS (sizeof(field_order) / sizeof(field_order[0]))

/* Renders res, checks the shape every result must have, and returns the
 * parsed object (the caller deletes it) or NULL. */
static cJSON *render(const struct sbx_result *res, struct buf *out)
{
    buf_reset(out);
    CHECK_INT(sbx_result_to_json(res, out), ==, 0);
    CHECK(out->len > 0 && out->buf[0] == '{' && out->buf[out->len - 1] == '}');
    CHECK(strchr(out->buf, '\n') == NULL);      /* one line, no newline */
    CHECK_INT(strlen(out->buf), ==, out->len);

    cJSON *root = cJSON_Parse(out->buf);
    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "not JSON: %s\n", out->buf);
        return NULL;
    }
    CHECK(cJSON_IsObject(root));
    size_t i = 0;
    for (cJSON *f = root->child; f; f = f->next, i++) {
        if (i < NFIELDS && strcmp(f->string, field_order[i]) != 0)
            fprintf(stderr, "field %zu is \"%s\", want \"%s\"\n", i, f->string, field_order[i]);
        CHECK(i < NFIELDS && strcmp(f->string, field_order[i]) == 0);
    }
    CHECK_INT(i, ==, NFIELDS);
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "status")));
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "exit_code")));
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "signal")));
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "cpu_seconds")));
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "wall_seconds")));
    CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "memory_bytes")));
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "message")));
    return root;
}

static double num(const cJSON *root, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, name);
    return cJSON_IsNumber(f) ? f->valuedouble : NAN;
}

static const char *str(const cJSON *root, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, name);
    return cJSON_IsString(f) ? f->valuestring : NULL;
}

static void test_status_names(void)
{
    CHECK_SECTION("status names");
    CHECK_STR(sbx_status_name(SBX_OK), "ok");
    CHECK_STR(sbx_status_name(SBX_TIME_LIMIT), "time_limit");
    for (int s = SBX_OK; s <= SBX_SANDBOX_ERROR; s++) {
        const char *name = sbx_status_name((enum sbx_status)s);
        CHECK(name != NULL && *name);
        if (!name)
            continue;
        int ok = 1;
        for (const char *p = name; *p; p++)
            ok &= islower((unsigned char)*p) || *p == '_';
        CHECK(ok);                                    /* snake_case */
        for (int t = SBX_OK; t < s; t++)
            CHECK(strcmp(name, sbx_status_name((enum sbx_status)t)) != 0);  /* distinct */
    }
}

static void test_fields(void)
{
    CHECK_SECTION("fields");
    struct buf out;
    buf_init(&out, 0);

    struct sbx_result res;
    memset(&res, 0, sizeof(res));
    res.status = SBX_OK;
    cJSON *root = render(&res, &out);
    if (root) {
        CHECK_STR(str(root, "status"), "ok");
        CHECK(num(root, "exit_code") == 0 && num(root, "signal") == 0);
        CHECK(num(root, "memory_bytes") == 0);
        CHECK_STR(str(root, "message"), "");
        cJSON_Delete(root);
    }

    memset(&res, 0, sizeof(res));
    res.status = SBX_SIGNALED;
    res.exit_code = 0;
    res.signal = 11;
    res.cpu_seconds = 0.123;
    res.wall_seconds = 1.5;
    res.memory_bytes = (uint64_t)5 << 30;
    snprintf(res.message, sizeof(res.message), "killed by signal 11 (SIGSEGV)");
    root = render(&res, &out);
    if (root) {
        CHECK_STR(str(root, "status"), sbx_status_name(SBX_SIGNALED));
        CHECK(num(root, "signal") == 11);
        CHECK(fabs(num(root, "cpu_seconds") - 0.123) < 1e-3);
        CHECK(fabs(num(root, "wall_seconds") - 1.5) < 1e-3);
        CHECK(num(root, "memory_bytes") == 5368709120.0);
        CHECK_STR(str(root, "message"), "killed by signal 11 (SIGSEGV)");
        cJSON_Delete(root);
    }

    /* Every status renders with its own name. */
    for (int s = SBX_OK; s <= SBX_SANDBOX_ERROR; s++) {
        memset(&res, 0, sizeof(res));
        res.status = (enum sbx_status)s;
        res.exit_code = s == SBX_RUNTIME_ERROR ? 3 : 0;
        root = render(&res, &out);
        if (root) {
            CHECK_STR(str(root, "status"), sbx_status_name((enum sbx_status)s));
            CHECK(num(root, "exit_code") == res.exit_code);
            cJSON_Delete(root);
        }
    }
    buf_release(&out);
}

static void test_escaping(void)
{
    CHECK_SECTION("message escaping");
    struct buf out;
    buf_init(&out, 0);
    struct sbx_result res;

    /* Quotes, backslashes, newlines, tabs, control bytes and UTF-8 all come
     * back unchanged after a round trip through a JSON parser. */
    const char *messages[] = {
        "cannot exec '/box/a \"b\"': No such file or directory",
        "back\\slash and \\\" and \\n literally",
        "line 1\nline 2\r\n\ttabbed",
        "bell \a, escape \x1b[31m, unit separator \x1f, delete \x7f",
        "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x94\xa5",
        "</script><script>alert(1)</script>",
        "{\"status\": \"ok\"}",
    };
    for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
        memset(&res, 0, sizeof(res));
        res.status = SBX_SANDBOX_ERROR;
        snprintf(res.message, sizeof(res.message), "%s", messages[i]);
        cJSON *root = render(&res, &out);
        if (root) {
            CHECK_STR(str(root, "message"), messages[i]);
            CHECK_STR(str(root, "status"), sbx_status_name(SBX_SANDBOX_ERROR));
            cJSON_Delete(root);
        }
        /* No raw control character may reach the output. */
        int raw = 0;
        for (size_t k = 0; k < out.len; k++)
            raw |= (unsigned char)out.buf[k] < 0x20;
        CHECK(!raw);
    }

    /* A message that fills the whole array. */
    memset(&res, 0, sizeof(res));
    res.status = SBX_RUNTIME_ERROR;
    memset(res.message, '"', sizeof(res.message) - 1);
    res.message[sizeof(res.message) - 1] = '\0';
    cJSON *root = render(&res, &out);
    if (root) {
        CHECK_STR(str(root, "message"), res.message);
        cJSON_Delete(root);
    }
    buf_release(&out);
}

static void test_cap(void)
{
    CHECK_SECTION("output cap");
    /* A buffer too small for the result reports it instead of truncating. */
    struct buf out;
    buf_init(&out, 16);
    struct sbx_result res;
    memset(&res, 0, sizeof(res));
    res.status = SBX_OK;
    CHECK(sbx_result_to_json(&res, &out) < 0);
    CHECK(out.len <= 16);
    buf_release(&out);
}

int main(void)
{
    test_status_names();
    test_fields();
    test_escaping();
    test_cap();
    return check_done("unit.sandbox.json");
}
