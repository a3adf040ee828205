/*
 * json.c: strict JSON request bodies. cJSON parses; this file decides what
 * is acceptable: one object, no unknown or repeated keys, every field of its
 * declared type, integers whole and exactly representable. Everything else
 * is a 400 naming the field, never a guess.
 */
#include "web_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(enum web_json_type t)
{
    switch (t) {
    case WEB_JSON_STRING: return "a string";
    case WEB_JSON_INT: return "a whole number";
    case WEB_JSON_NUMBER: return "a number";
    case WEB_JSON_BOOL: return "true or false";
    case WEB_JSON_ARRAY: return "an array";
    case WEB_JSON_OBJECT: return "an object";
    case WEB_JSON_INT_OR_NULL: return "a whole number or null";
    }
    return "?";
}

#define JSON_INT_MAX 9007199254740992.0     /* 2^53: every integer below is exact in a double */

static int type_ok(const cJSON *v, enum web_json_type t)
{
    switch (t) {
    case WEB_JSON_STRING: return cJSON_IsString(v) && v->valuestring;
    case WEB_JSON_INT:
        return cJSON_IsNumber(v) && isfinite(v->valuedouble) && floor(v->valuedouble) == v->valuedouble &&
               fabs(v->valuedouble) <= JSON_INT_MAX;
    case WEB_JSON_NUMBER: return cJSON_IsNumber(v) && isfinite(v->valuedouble);
    case WEB_JSON_BOOL: return cJSON_IsBool(v);
    case WEB_JSON_ARRAY: return cJSON_IsArray(v);
    case WEB_JSON_OBJECT: return cJSON_IsObject(v);
    case WEB_JSON_INT_OR_NULL: return cJSON_IsNull(v) || type_ok(v, WEB_JSON_INT);
    }
    return 0;
}

int web_json_check(const cJSON *obj, const struct web_json_field *f, size_t n, const char *where, char *msg,
                   size_t msgsize)
{
    if (!cJSON_IsObject(obj)) {
        snprintf(msg, msgsize, "%s must be a JSON object", where);
        return ERR_INVALID;
    }
    for (const cJSON *c = obj->child; c; c = c->next) {
        size_t i;
        for (i = 0; i < n; i++)
            if (c->string && !strcmp(c->string, f[i].name))
                break;
        if (i == n) {
            snprintf(msg, msgsize, "%s: unknown field '%.64s'", where, c->string ? c->string : "");
            return ERR_INVALID;
        }
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (!strcmp(d->string, c->string)) {
                snprintf(msg, msgsize, "%s: field '%s' appears twice", where, c->string);
                return ERR_INVALID;
            }
        if (!type_ok(c, f[i].type)) {
            snprintf(msg, msgsize, "%s: field '%s' must be %s", where, f[i].name, type_name(f[i].type));
            return ERR_INVALID;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (f[i].required && !cJSON_GetObjectItemCaseSensitive(obj, f[i].name)) {
            snprintf(msg, msgsize, "%s: missing field '%s'", where, f[i].name);
            return ERR_INVALID;
        }
    return 0;
}

cJSON *web_json_body(struct web_req *r, const struct web_json_field *f, size_t n)
{
    const char *end = NULL;
    char msg[ERR_MSG_MAX];
    if (r->body.len == 0 && r->route->body == WEB_BODY_JSON_OPTIONAL)
        return cJSON_CreateObject();
    if (!r->json_type_ok) {
        web_reply_error(r, 415, "unsupported_media_type", "the body must be application/json");
        return NULL;
    }
    if (r->body.len == 0) {
        web_reply_error(r, 400, "invalid_json", "the body is empty; a JSON object is expected");
        return NULL;
    }
    if (!r->route->raw_text && !web_utf8_valid(r->body.buf, r->body.len)) {
        web_reply_error(r, 400, "invalid_json", "the body is not valid UTF-8");
        return NULL;
    }
    cJSON *v = cJSON_ParseWithLengthOpts(r->body.buf, r->body.len, &end, 0);
    if (!v) {
        size_t at = end && end >= r->body.buf ? (size_t)(end - r->body.buf) : 0;
        web_reply_error(r, 400, "invalid_json", "malformed JSON near byte %zu", at);
        return NULL;
    }
    while (end && (size_t)(end - r->body.buf) < r->body.len &&
           (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (end && (size_t)(end - r->body.buf) < r->body.len) {
        cJSON_Delete(v);
        web_reply_error(r, 400, "invalid_json", "trailing data after the JSON value");
        return NULL;
    }
    if (web_json_check(v, f, n, "the body", msg, sizeof(msg)) < 0) {
        cJSON_Delete(v);
        web_reply_error(r, 400, "invalid_field", "%s", msg);
        return NULL;
    }
    return v;
}

const char *web_json_str(const cJSON *obj, const char *name, const char *fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : fallback;
}

int64_t web_json_i64(const cJSON *obj, const char *name, int64_t fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : fallback;
}

double web_json_num(const cJSON *obj, const char *name, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

void web_json_add_i64(cJSON *obj, const char *name, int64_t v)
{
    cJSON_AddNumberToObject(obj, name, (double)v);
}

int web_utf8_valid(const char *s, size_t len)
{
    return utf8_valid(s, len, 0);
}

void web_text_repair(char *s, int multiline)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = 0;
        unsigned c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
                *p = '?';
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3;
        size_t i;
        for (i = 1; n && i <= n; i++)
            if (!p[i])
                break;
        if (n && i == n + 1 && web_utf8_valid((const char *)p, n + 1)) {
            p += n + 1;
            continue;
        }
        *p++ = '?';             /* a stray byte: replace it and look again after it */
    }
}

void web_text_truncate(char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    s[n] = '\0';
}

void web_json_add_text(cJSON *obj, const char *name, const char *s, size_t len)
{
    if (!s || !web_utf8_valid(s, len)) {
        cJSON_AddNullToObject(obj, name);
        return;
    }
    if (s[len] == '\0') {
        cJSON_AddStringToObject(obj, name, s);
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        abort();
    memcpy(copy, s, len);
    copy[len] = '\0';
    cJSON_AddStringToObject(obj, name, copy);
    free(copy);
}

/* The request bodies whose fields the handlers and tests/fuzz share. */
const struct web_json_field web_fields_submission[] = {
    { "problem", WEB_JSON_INT, 1 },
    { "language", WEB_JSON_STRING, 1 },
    { "files", WEB_JSON_ARRAY, 1 },
    { "contest", WEB_JSON_INT, 0 },         /* contests: absent in practice */
    { "user", WEB_JSON_STRING, 0 },         /* contests: the jury submits for a participant */
    { "time", WEB_JSON_INT, 0 },            /* contests: the jury dates it */
    { "samples_only", WEB_JSON_BOOL, 0 },   /* judge: run on samples */
    { "assignment", WEB_JSON_INT, 0 },      /* courses: an assignment's submission */
};
const struct web_json_field web_fields_submission_file[] = {
    { "name", WEB_JSON_STRING, 1 },
    { "content", WEB_JSON_STRING, 1 },
};
const struct web_json_field web_fields_result[] = {
    { "verdict", WEB_JSON_STRING, 1 },
    { "score", WEB_JSON_NUMBER, 1 },
    { "max_score", WEB_JSON_NUMBER, 1 },
    { "time_seconds", WEB_JSON_NUMBER, 1 },
    { "memory_bytes", WEB_JSON_INT, 1 },
    { "compile_output", WEB_JSON_STRING, 1 },
    { "message", WEB_JSON_STRING, 1 },
    { "cpu_seconds_total", WEB_JSON_NUMBER, 1 },
    { "tests", WEB_JSON_ARRAY, 1 },
    { "groups", WEB_JSON_ARRAY, 0 },       /* newer judges: per test data group, for IOI subtasks */
    { "gpu_seconds", WEB_JSON_NUMBER, 0 },  /* compute budgets: wall time x GPUs held; 0 none */
    { "ai", WEB_JSON_OBJECT, 0 },           /* AI leaderboards: {"public_score", "private_score"} */
};
const struct web_json_field web_fields_result_test[] = {
    { "name", WEB_JSON_STRING, 1 },
    { "group", WEB_JSON_STRING, 1 },
    { "verdict", WEB_JSON_STRING, 1 },
    { "time_seconds", WEB_JSON_NUMBER, 1 },
    { "memory_bytes", WEB_JSON_INT, 1 },
    { "score", WEB_JSON_NUMBER, 1 },
    { "message", WEB_JSON_STRING, 1 },
};
const size_t web_nfields_submission = sizeof(web_fields_submission) / sizeof(web_fields_submission[0]);
const size_t web_nfields_submission_file = sizeof(web_fields_submission_file) / sizeof(web_fields_submission_file[0]);
const size_t web_nfields_result = sizeof(web_fields_result) / sizeof(web_fields_result[0]);
const size_t web_nfields_result_test = sizeof(web_fields_result_test) / sizeof(web_fields_result_test[0]);
const struct web_json_field web_fields_result_group[] = {
    { "name", WEB_JSON_STRING, 1 },
    { "score", WEB_JSON_NUMBER, 1 },
    { "max_score", WEB_JSON_NUMBER, 1 },
};
const size_t web_nfields_result_group = sizeof(web_fields_result_group) / sizeof(web_fields_result_group[0]);
