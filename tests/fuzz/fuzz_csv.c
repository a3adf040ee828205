/*
 * fuzz_csv.c: libFuzzer target for web_csv_parse (web/csv.h), the reader of
 * the user import's uploaded CSV files. Beyond not crashing, what it reads
 * must survive a round trip: written back with every field quoted, it reads
 * again as the same rows. Small limits are tried too, so the ERR_LIMIT paths
 * free what they built.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every field quoted, '"' doubled, records ended by CRLF. */
static char *write_back(const struct web_csv *c, size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->rows[i].n; j++) {
            if (j)
                buf_add(&b, ",", 1);
            buf_add(&b, "\"", 1);
            for (const char *p = c->rows[i].v[j]; *p; p++)
                buf_add(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
            buf_add(&b, "\"", 1);
        }
        buf_add(&b, "\r\n", 2);
    }
    return buf_detach(&b, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct web_csv a, b;
    struct err err;
    const char *in = (const char *)data;
    if (web_csv_parse(in, size, 3, 4, &a, &err) == 0)
        web_csv_release(&a);
    if (web_csv_parse(in, size, 100000, 64, &a, &err) < 0) {
        if (a.n != 0 || a.rows != NULL)
            abort();
        return 0;
    }
    size_t len = 0;
    char *again = write_back(&a, &len);
    if (web_csv_parse(again, len, 100000, 64, &b, &err) < 0)
        abort();
    if (a.n != b.n)
        abort();
    for (size_t i = 0; i < a.n; i++) {
        if (a.rows[i].n != b.rows[i].n)
            abort();
        for (size_t j = 0; j < a.rows[i].n; j++)
            if (strcmp(a.rows[i].v[j], b.rows[i].v[j]) != 0)
                abort();
    }
    free(again);
    web_csv_release(&a);
    web_csv_release(&b);
    return 0;
}
