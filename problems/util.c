/* util.c: allocation and string-list helpers private to problems/. */
#include "problems_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *prbi_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *prbi_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void *prbi_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        abort();
    return q;
}

char *prbi_strdup(const char *s)
{
    return prbi_strndup(s, strlen(s));
}

char *prbi_strndup(const char *s, size_t n)
{
    char *d = prbi_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *prbi_path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = prbi_malloc(la + lb + 2);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

void prbi_strv_push(struct prb_strv *sv, const char *s)
{
    /* One slot more than needed: v stays NULL-terminated, usable as argv. */
    sv->v = prbi_realloc_array(sv->v, sv->n + 2, sizeof(*sv->v));
    sv->v[sv->n++] = prbi_strdup(s);
    sv->v[sv->n] = NULL;
}

void prbi_strv_copy(struct prb_strv *dst, const struct prb_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        prbi_strv_push(dst, src->v[i]);
}

void prbi_strv_release(struct prb_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int prbi_strv_split(struct prb_strv *sv, const char *s)
{
    while (*s) {
        while (is_ascii_space(*s))
            s++;
        if (!*s)
            break;
        const char *start = s;
        while (*s && !is_ascii_space(*s))
            s++;
        if (sv->n >= PRB_MAX_ARGS)
            return ERR_LIMIT;
        char *w = prbi_strndup(start, (size_t)(s - start));
        sv->v = prbi_realloc_array(sv->v, sv->n + 2, sizeof(*sv->v));
        sv->v[sv->n++] = w;
        sv->v[sv->n] = NULL;
    }
    return 0;
}
