/*
 * yaml.c: turns one YAML file into a small tree with line numbers (libyaml's
 * event parser), and the typed getters the package parsers use on it.
 *
 * The tree is built from events rather than with yaml_parser_load() so that
 * aliases can be refused outright (a "billion laughs" file would otherwise
 * become a DAG that a naive walk expands exponentially) and so that the node
 * count and the nesting depth are capped while parsing.
 */
#include "problems_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#define YAML_STR_TAG "tag:yaml.org,2002:str"

static struct prb_ynode *ynode_new(enum prb_ykind kind, const yaml_mark_t *mark)
{
    struct prb_ynode *n = prbi_calloc(1, sizeof(*n));
    n->kind = kind;
    n->line = (unsigned)mark->line + 1;
    return n;
}

void prb_yaml_free(struct prb_ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        prb_yaml_free(n->kids[i]);
    free(n->kids);
    free(n->str);
    free(n);
}

static void ynode_add(struct prb_ynode *parent, struct prb_ynode *kid)
{
    /* Capacity doubles at every power of two from 4 on, so a long map costs
     * amortised O(1) per entry without a capacity field (growing by one made
     * big maps quadratic wherever realloc copies, as under ASan). */
    size_t n = parent->n;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
        parent->kids = prbi_realloc_array(parent->kids, n == 0 ? 4 : 2 * n, sizeof(*parent->kids));
    parent->kids[parent->n++] = kid;
}

static int key_cmp(const void *a, const void *b)
{
    const struct prb_ynode *x = *(const struct prb_ynode *const *)a;
    const struct prb_ynode *y = *(const struct prb_ynode *const *)b;
    int c = strcmp(x->str, y->str);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorting keys keeps this O(n log n) on hostile maps with many keys. */
static int map_check_duplicates(const struct prb_ynode *map, const char *file, struct err *err)
{
    size_t nk = map->n / 2;
    if (nk < 2)
        return 0;
    struct prb_ynode **keys = prbi_malloc(nk * sizeof(*keys));
    for (size_t i = 0; i < nk; i++)
        keys[i] = map->kids[2 * i];
    qsort(keys, nk, sizeof(*keys), key_cmp);
    int rc = 0;
    for (size_t i = 1; i < nk; i++) {
        if (strcmp(keys[i - 1]->str, keys[i]->str) == 0) {
            rc = err_set(err, ERR_INVALID, "%s:%u: duplicate key '%.64s'", file,
                         keys[i]->line, keys[i]->str);
            break;
        }
    }
    free(keys);
    return rc;
}

int prb_yaml_parse(const char *text, size_t len, const char *file,
                    struct prb_ynode **root_out, struct err *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct prb_ynode *stack[PRB_YAML_MAX_DEPTH + 1];
    size_t depth = 0, nodes = 0;
    struct prb_ynode *root = NULL;
    int docs = 0, rc = 0, have_event = 0;

    *root_out = NULL;
    if (len > PRB_YAML_MAX_BYTES)
        return err_set(err, ERR_LIMIT, "%s: larger than %zu bytes", file, PRB_YAML_MAX_BYTES);
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    for (;;) {
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.context)
                rc = err_set(err, ERR_INVALID, "%s:%zu: invalid YAML: %s (%s at line %zu)", file,
                             parser.problem_mark.line + 1,
                             parser.problem ? parser.problem : "syntax error", parser.context,
                             parser.context_mark.line + 1);
            else
                rc = err_set(err, ERR_INVALID, "%s:%zu: invalid YAML: %s", file,
                             parser.problem_mark.line + 1,
                             parser.problem ? parser.problem : "syntax error");
            goto out;
        }
        have_event = 1;
        unsigned line = (unsigned)ev.start_mark.line + 1;
        struct prb_ynode *n = NULL;

        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
            yaml_event_delete(&ev);
            have_event = 0;
            goto out;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                rc = err_set(err, ERR_INVALID, "%s:%u: more than one YAML document", file, line);
                goto out;
            }
            break;
        case YAML_ALIAS_EVENT:
            rc = err_set(err, ERR_INVALID, "%s:%u: YAML aliases are not supported", file, line);
            goto out;
        case YAML_SCALAR_EVENT: {
            n = ynode_new(PRB_Y_SCALAR, &ev.start_mark);
            size_t sl = ev.data.scalar.length;
            if (memchr(ev.data.scalar.value, '\0', sl)) {
                prb_yaml_free(n);
                rc = err_set(err, ERR_INVALID, "%s:%u: NUL character in a string", file, line);
                goto out;
            }
            n->str = prbi_strndup((const char *)ev.data.scalar.value, sl);
            n->len = sl;
            const char *tag = (const char *)ev.data.scalar.tag;
            n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                       !(tag && (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0));
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
            n = ynode_new(PRB_Y_SEQ, &ev.start_mark);
            break;
        case YAML_MAPPING_START_EVENT:
            n = ynode_new(PRB_Y_MAP, &ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth == 0)
                abort();   /* libyaml guarantees balanced events */
            depth--;
            if (stack[depth]->kind == PRB_Y_MAP &&
                (rc = map_check_duplicates(stack[depth], file, err)) < 0)
                goto out;
            break;
        default:
            break;
        }

        if (n) {
            if (++nodes > PRB_YAML_MAX_NODES) {
                prb_yaml_free(n);
                rc = err_set(err, ERR_LIMIT, "%s:%u: more than %d YAML nodes", file, line,
                             PRB_YAML_MAX_NODES);
                goto out;
            }
            if (depth == 0) {
                root = n;
            } else {
                struct prb_ynode *top = stack[depth - 1];
                if (top->kind == PRB_Y_MAP && top->n % 2 == 0 && n->kind != PRB_Y_SCALAR) {
                    prb_yaml_free(n);
                    rc = err_set(err, ERR_INVALID, "%s:%u: mapping keys must be strings", file, line);
                    goto out;
                }
                ynode_add(top, n);
            }
            if (n->kind != PRB_Y_SCALAR) {
                if (depth >= PRB_YAML_MAX_DEPTH) {
                    rc = err_set(err, ERR_LIMIT, "%s:%u: YAML nested deeper than %d", file, line,
                                 PRB_YAML_MAX_DEPTH);
                    goto out;
                }
                stack[depth++] = n;
            }
        }
        yaml_event_delete(&ev);
        have_event = 0;
    }

out:
    if (have_event)
        yaml_event_delete(&ev);
    yaml_parser_delete(&parser);
    if (rc < 0) {
        prb_yaml_free(root);
        return rc;
    }
    *root_out = root;
    return 0;
}

int prb_yaml_load_file(const char *path, const char *display,
                        struct prb_ynode **root, struct err *err)
{
    struct buf b;
    buf_init(&b, PRB_YAML_MAX_BYTES);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    int rc;
    *root = NULL;
    if (fd < 0) {
        rc = err_sys(err, "cannot open '%s'", display);
        goto out;
    }
    rc = buf_read_fd(&b, fd, NULL);
    close(fd);
    if (rc == ERR_LIMIT) {
        rc = err_set(err, ERR_LIMIT, "%s: larger than %zu bytes", display, PRB_YAML_MAX_BYTES);
        goto out;
    }
    if (rc < 0) {
        rc = err_sys(err, "cannot read '%s'", display);
        goto out;
    }
    rc = prb_yaml_parse(b.buf, b.len, display, root, err);
out:
    buf_release(&b);
    return rc;
}

/* ---- schema helpers ---- */

int prb_yerr(const struct prb_yctx *c, const struct prb_ynode *n, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n)
        return err_set(c->err, ERR_INVALID, "%s:%u: %s", c->file, n->line, msg);
    return err_set(c->err, ERR_INVALID, "%s: %s", c->file, msg);
}

int prb_y_is_null(const struct prb_ynode *n)
{
    if (!n)
        return 1;
    if (n->kind != PRB_Y_SCALAR || !n->plain)
        return 0;
    return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

int prb_y_string(const struct prb_yctx *c, const struct prb_ynode *n,
                  const char *key, char **out)
{
    if (!n || n->kind != PRB_Y_SCALAR || prb_y_is_null(n))
        return prb_yerr(c, n, "'%s' must be a string", key);
    free(*out);
    *out = prbi_strdup(n->str);
    return 0;
}

/* YAML 1.2 core schema numbers: [-+]?digits with optional fraction and
 * exponent, plus the .inf/.nan spellings (which are refused by callers). */
static int yaml_number_syntax(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int prb_y_float(const struct prb_yctx *c, const struct prb_ynode *n,
                 const char *key, double *out)
{
    if (!n || n->kind != PRB_Y_SCALAR || !n->plain || !yaml_number_syntax(n->str))
        return prb_yerr(c, n, "'%s' must be a number", key);
    errno = 0;
    char *end;
    double v = strtod(n->str, &end);
    if (*end || !isfinite(v))
        return prb_yerr(c, n, "'%s' must be a finite number", key);
    *out = v;
    return 0;
}

int prb_y_int(const struct prb_yctx *c, const struct prb_ynode *n,
               const char *key, int64_t min, int64_t max, int64_t *out)
{
    int64_t v;
    const char *s = n && n->kind == PRB_Y_SCALAR ? n->str : "";
    if (*s == '+')
        s++;
    if (!n || n->kind != PRB_Y_SCALAR || !n->plain || parse_i64(s, INT64_MIN, INT64_MAX, &v) < 0)
        return prb_yerr(c, n, "'%s' must be an integer", key);
    if (v < min || v > max)
        return prb_yerr(c, n, "'%s' must be between %lld and %lld", key, (long long)min,
                         (long long)max);
    *out = v;
    return 0;
}

int prb_y_bool(const struct prb_yctx *c, const struct prb_ynode *n,
                const char *key, int *out)
{
    if (n && n->kind == PRB_Y_SCALAR && n->plain) {
        if (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "TRUE")) {
            *out = 1;
            return 0;
        }
        if (!strcmp(n->str, "false") || !strcmp(n->str, "False") || !strcmp(n->str, "FALSE")) {
            *out = 0;
            return 0;
        }
    }
    return prb_yerr(c, n, "'%s' must be true or false", key);
}

int prb_y_strseq(const struct prb_yctx *c, const struct prb_ynode *n,
                  const char *key, struct prb_strv *out)
{
    if (!n || n->kind != PRB_Y_SEQ)
        return prb_yerr(c, n, "'%s' must be a sequence of strings", key);
    if (n->n > PRB_MAX_ARGS)
        return prb_yerr(c, n, "'%s' has more than %d items", key, PRB_MAX_ARGS);
    prbi_strv_release(out);
    for (size_t i = 0; i < n->n; i++) {
        const struct prb_ynode *k = n->kids[i];
        if (k->kind != PRB_Y_SCALAR || prb_y_is_null(k)) {
            prbi_strv_release(out);
            return prb_yerr(c, k, "'%s' must be a sequence of strings", key);
        }
        prbi_strv_push(out, k->str);
    }
    return 0;
}

int prb_y_str_or_seq(const struct prb_yctx *c, const struct prb_ynode *n,
                      const char *key, struct prb_strv *out)
{
    if (n && n->kind == PRB_Y_SCALAR && !prb_y_is_null(n)) {
        prbi_strv_release(out);
        prbi_strv_push(out, n->str);
        return 0;
    }
    if (n && n->kind == PRB_Y_SEQ && n->n == 0)
        return prb_yerr(c, n, "'%s' must not be empty", key);
    return prb_y_strseq(c, n, key, out);
}

int prb_y_expect_map(const struct prb_yctx *c, const struct prb_ynode *n, const char *what)
{
    if (!n || prb_y_is_null(n) || n->kind == PRB_Y_MAP)
        return 0;
    return prb_yerr(c, n, "%s must be a mapping", what);
}
