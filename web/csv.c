/*
 * csv.c: the RFC 4180 reader behind csv.h. One pass over the bytes with
 * an explicit position; every field is copied out, so the rows do not
 * depend on the input staying alive. tests/fuzz/fuzz_csv.c checks that
 * what it reads writes back and reads again the same.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

struct parser {
    const char *p;
    size_t len, i;
    size_t line;                    /* the line data[i] is on */
    struct buf field;
};

static void row_push_field(struct web_csv_row *row, size_t *alloc, struct buf *field)
{
    if (row->n == *alloc) {
        *alloc = *alloc ? *alloc * 2 : 8;
        char **v = realloc(row->v, *alloc * sizeof(*v));
        if (!v)
            abort();
        row->v = v;
    }
    char *copy = malloc(field->len + 1);
    if (!copy)
        abort();
    memcpy(copy, field->len ? field->buf : "", field->len);
    copy[field->len] = '\0';
    row->v[row->n++] = copy;
}

static void row_release(struct web_csv_row *row)
{
    for (size_t i = 0; i < row->n; i++)
        free(row->v[i]);
    free(row->v);
    memset(row, 0, sizeof(*row));
}

static int is_break(char c)
{
    return c == '\r' || c == '\n';
}

/* Consumes one line break at ps->i (CRLF, LF or CR) and counts it. */
static void skip_break(struct parser *ps)
{
    if (ps->p[ps->i] == '\r' && ps->i + 1 < ps->len && ps->p[ps->i + 1] == '\n')
        ps->i++;
    ps->i++;
    ps->line++;
}

/* Reads one field into ps->field, leaving ps->i on the ',', the line break
 * or the end that follows it. */
static int read_field(struct parser *ps, struct err *err)
{
    buf_reset(&ps->field);
    if (ps->i < ps->len && ps->p[ps->i] == '"') {
        size_t start_line = ps->line;
        ps->i++;
        for (;;) {
            if (ps->i >= ps->len)
                return err_set(err, ERR_INVALID, "line %zu: a quoted field is not closed", start_line);
            char c = ps->p[ps->i];
            if (c == '"') {
                if (ps->i + 1 < ps->len && ps->p[ps->i + 1] == '"') {
                    if (buf_add(&ps->field, "\"", 1) < 0)
                        return err_set(err, ERR_LIMIT, "line %zu: a field is too long", ps->line);
                    ps->i += 2;
                    continue;
                }
                ps->i++;
                break;
            }
            if (c == '\0')
                return err_set(err, ERR_INVALID, "line %zu: a NUL byte", ps->line);
            if (c == '\n' || (c == '\r' && !(ps->i + 1 < ps->len && ps->p[ps->i + 1] == '\n')))
                ps->line++;
            if (buf_add(&ps->field, &c, 1) < 0)
                return err_set(err, ERR_LIMIT, "line %zu: a field is too long", ps->line);
            ps->i++;
        }
        if (ps->i < ps->len && ps->p[ps->i] != ',' && !is_break(ps->p[ps->i]))
            return err_set(err, ERR_INVALID, "line %zu: text after a closing quote", ps->line);
        return 0;
    }
    size_t from = ps->i;
    while (ps->i < ps->len && ps->p[ps->i] != ',' && !is_break(ps->p[ps->i])) {
        if (ps->p[ps->i] == '"')
            return err_set(err, ERR_INVALID, "line %zu: a quote inside an unquoted field (quote the whole field)",
                           ps->line);
        if (ps->p[ps->i] == '\0')
            return err_set(err, ERR_INVALID, "line %zu: a NUL byte", ps->line);
        ps->i++;
    }
    if (buf_add(&ps->field, ps->p + from, ps->i - from) < 0)
        return err_set(err, ERR_LIMIT, "line %zu: a field is too long", ps->line);
    return 0;
}

int web_csv_parse(const char *data, size_t len, size_t max_rows, size_t max_fields, struct web_csv *out,
                  struct err *err)
{
    struct parser ps = { data, len, 0, 1, { 0 } };
    size_t rows_alloc = 0;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    buf_init(&ps.field, len + 1);
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        ps.i = 3;
    while (ps.i < ps.len) {
        struct web_csv_row row = { ps.line, 0, NULL };
        size_t fields_alloc = 0;
        if (out->n >= max_rows) {
            rc = err_set(err, ERR_LIMIT, "line %zu: more than %zu records", ps.line, max_rows);
            goto out;
        }
        for (;;) {
            if ((rc = read_field(&ps, err)) < 0) {
                row_release(&row);
                goto out;
            }
            if (row.n >= max_fields) {
                rc = err_set(err, ERR_LIMIT, "line %zu: more than %zu fields", row.line, max_fields);
                row_release(&row);
                goto out;
            }
            row_push_field(&row, &fields_alloc, &ps.field);
            if (ps.i < ps.len && ps.p[ps.i] == ',') {
                ps.i++;
                continue;           /* a ',' at the very end still ends an (empty) field */
            }
            if (ps.i < ps.len)
                skip_break(&ps);
            break;
        }
        if (out->n == rows_alloc) {
            rows_alloc = rows_alloc ? rows_alloc * 2 : 16;
            struct web_csv_row *v = realloc(out->rows, rows_alloc * sizeof(*v));
            if (!v)
                abort();
            out->rows = v;
        }
        out->rows[out->n++] = row;
    }
out:
    buf_release(&ps.field);
    if (rc < 0)
        web_csv_release(out);
    return rc;
}

void web_csv_release(struct web_csv *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        row_release(&c->rows[i]);
    free(c->rows);
    c->rows = NULL;
    c->n = 0;
}
