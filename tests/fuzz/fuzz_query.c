/*
 * fuzz_query.c: libFuzzer target for the request line as crucible serve
 * reads it after libmicrohttpd: the path matched against the route table
 * ({id}, {id2}, {name}, {hex} parameters), each query parameter's key
 * checked against the routes' allowed keys, and values read as ids
 * (web_query_id_parse). The query string is split and %-decoded the way
 * libmicrohttpd does ('+' a space, %XX a byte), so keys and values may
 * hold any byte but NUL.
 *
 * Input: "PATH?QUERY" (no '?': a path alone). Besides memory errors the
 * promises are checked and a broken one aborts: a matched {id} is positive,
 * a {hex} is a valid hash, a {name} is not empty and does not start with a
 * dot (web_route_probe answers -2 then); an id parsed from a value is
 * positive and its decimal digits are the value's (leading zeros aside).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                                                     : -1;
}

/* libmicrohttpd's argument decoding: '+' is a space, %XX a byte (a NUL
 * from %00 ends the string, as it does for the server's C strings). */
static void unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '+') {
            *w++ = ' ';
        } else if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static void value_id(const char *value)
{
    int64_t id = 0;
    if (web_query_id_parse(value, &id) == 0) {
        /* leading zeros are allowed ("06" is 6); nothing but digits is */
        char back[32];
        if (id < 1 || !value[0] || strspn(value, "0123456789") != strlen(value))
            abort();
        snprintf(back, sizeof(back), "%" PRId64, id);
        size_t zeros = strspn(value, "0");
        if (strcmp(back, value + zeros) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    char *query = strchr(text, '?');
    if (query)
        *query++ = '\0';
    int64_t id = 0;
    int allowed = 0;
    int route = web_route_probe(text, NULL, &id, &allowed);
    if (route < -1 || allowed)
        abort();
    for (char *pair = query; pair && *pair;) {
        char *next = strchr(pair, '&');
        if (next)
            *next++ = '\0';
        char *value = strchr(pair, '=');
        if (value)
            *value++ = '\0';
        unescape(pair);
        if (value)
            unescape(value);
        if (web_route_probe(text, pair, &id, &allowed) != route)
            abort();
        if (route < 0 && allowed)
            abort();
        if (value)
            value_id(value);
        pair = next;
    }
    free(text);
    return 0;
}
