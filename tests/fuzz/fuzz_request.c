/*
 * fuzz_request.c: libFuzzer target for the request parsers crucible serve
 * implements itself (libmicrohttpd's own parsing is not ours to fuzz): the
 * session cookie in a Cookie header, the Authorization header, the
 * X-Forwarded-For / X-Forwarded-Proto pair a trusted proxy sends, query
 * parameter ids, and the settings file (web_config_parse, then the checks
 * and the printing of what it read, the listen address among them).
 *
 * Input: one selector byte (low 3 bits: which parser), then the text, NUL
 * terminated in a buffer of exactly its size. For the proxy headers the text
 * is split at the first newline: X-Forwarded-For, then X-Forwarded-Proto.
 * Besides memory errors, each parser's promises (web_int.h) are checked and
 * a broken one aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cookie(const char *text)
{
    char out[WEB_TOKEN_HEX + 1];
    int got = web_cookie_session_parse(text, out);
    if (got != 0 && got != 1)
        abort();
    if (got == 1) {
        if (strlen(out) != WEB_TOKEN_HEX || strspn(out, "0123456789abcdef") != WEB_TOKEN_HEX)
            abort();
        if (!strstr(text, WEB_SESSION_COOKIE) || !strstr(text, out))
            abort();
    }
}

static void bearer(const char *text)
{
    char out[WEB_BEARER_MAX + 1];
    int got = web_bearer_parse(text, out);
    if (got < -1 || got > 1)
        abort();
    if (got == 1) {
        size_t n = strlen(out);
        if (n == 0 || n > WEB_BEARER_MAX || !strstr(text, out))
            abort();
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)out[i] <= 0x20 || (unsigned char)out[i] >= 0x7f)
                abort();
    }
}

static void forwarded(char *text)
{
    char address[WEB_ADDRESS_MAX + 1];
    int https = -1;
    char *proto = strchr(text, '\n');
    if (proto)
        *proto++ = '\0';
    web_forwarded_parse(text, proto, address, &https);
    if (https != 0 && https != 1)
        abort();
    size_t n = strlen(address);
    if (n > WEB_ADDRESS_MAX || !web_utf8_valid(address, n))
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)address[i] < 0x20 || address[i] == 0x7f || address[i] == ' ' || address[i] == '\t')
            abort();
    web_forwarded_parse(NULL, NULL, address, &https);
    if (address[0] || https)
        abort();
}

static void query_id(const char *text)
{
    int64_t id = 0;
    if (web_query_id_parse(text, &id) == 0) {
        if (id < 1 || id > ((int64_t)1 << 53) || !text[0] || strspn(text, "0123456789") != strlen(text))
            abort();
    }
}

static void config(char *text, size_t len)
{
    struct web_config c;
    struct err err = { 0 };
    web_config_init(&c);
    if (web_config_parse(&c, text, len, "fuzz.conf", &err) == 0) {
        struct buf out;
        buf_init(&out, 0);
        if (web_config_check(&c, &err) == 0) {
            struct sockaddr_storage ss;
            socklen_t sl;
            if (web_listen_parse(c.listen, &ss, &sl, &err) < 0)
                abort();
        }
        if (web_config_format(&c, &out) < 0)
            abort();
        /* What was printed reads back as the same settings. */
        struct web_config again;
        web_config_init(&again);
        char *copy = strdup(out.buf);
        if (!copy)
            abort();
        struct buf out2;
        buf_init(&out2, 0);
        if (web_config_parse(&again, copy, strlen(copy), "printed", &err) < 0 || web_config_format(&again, &out2) < 0 ||
            out.len != out2.len || memcmp(out.buf, out2.buf, out.len) != 0)
            abort();
        free(copy);
        buf_release(&out);
        buf_release(&out2);
    } else if (!err.msg[0]) {
        abort();                /* an error must say what is wrong */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = size - 1;
    char *text = malloc(len + 1);
    if (!text)
        abort();
    memcpy(text, data + 1, len);
    text[len] = '\0';
    switch (data[0] & 7) {
    case 0: cookie(text); break;
    case 1: bearer(text); break;
    case 2: forwarded(text); break;
    case 3: query_id(text); break;
    default: config(text, len); break;
    }
    free(text);
    return 0;
}
