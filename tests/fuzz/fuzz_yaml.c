/*
 * fuzz_yaml.c: libFuzzer target for prb_yaml_parse over arbitrary bytes (the
 * text of a problem.yaml, test_group.yaml or testdata.yaml from an untrusted
 * package). A parsed tree is walked with the typed getters the schema code
 * uses, so every scalar goes through the float, integer and bool parsers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "problems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct prb_yctx *c, const struct prb_ynode *n, unsigned depth)
{
    if (!n || depth > PRB_YAML_MAX_DEPTH + 1)
        return;
    if (n->kind == PRB_Y_SCALAR) {
        double d;
        int64_t i;
        int b;
        char *s = NULL;
        (void)prb_y_is_null(n);
        (void)prb_y_float(c, n, "k", &d);
        (void)prb_y_int(c, n, "k", INT64_MIN, INT64_MAX, &i);
        (void)prb_y_int(c, n, "k", 0, PRB_LIMIT_VALUE_MAX, &i);
        (void)prb_y_bool(c, n, "k", &b);
        if (prb_y_string(c, n, "k", &s) == 0)
            free(s);
        return;
    }
    struct prb_strv v = { 0 };
    if (prb_y_str_or_seq(c, n, "k", &v) == 0) {
        for (size_t k = 0; k < v.n; k++)
            free(v.v[k]);
        free(v.v);
    }
    (void)prb_y_expect_map(c, n, "k");
    for (size_t k = 0; k < n->n; k++)
        walk(c, n->kids[k], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct prb_ynode *root = NULL;
    struct err err = { 0 };
    if (prb_yaml_parse((const char *)data, size, "problem.yaml", &root, &err) == 0) {
        struct prb_yctx c = { "problem.yaml", &err };
        walk(&c, root, 0);
        prb_yaml_free(root);
    }
    return 0;
}
