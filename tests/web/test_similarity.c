/*
 * test_similarity.c: the winnowing similarity of web/similarity.h on the
 * fixtures in tests/web/similarity/ (argv[1]): copies planted with renamed
 * variables, reordered functions, changed comments and layout, and inserted
 * statements score high; independent solutions of the same problem and
 * submissions that share only the teacher's template score low.
 *
 * Thresholds: a copy scores >= 0.6 against its origin and the other copies
 * (MOSS-style reports are read from the top, and a teacher looks at pairs
 * above about half); independent pairs <= 0.25; two submissions that are the
 * template and a few lines each <= 0.05 (~0).
 */
#include "similarity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char *dir;

struct src {
    const char *name;
    enum web_sim_lang lang;
    struct buf text;
    struct web_sim_doc doc;
};

static void load(struct src *s, const char *name, enum web_sim_lang lang, const struct web_sim_template *tpl)
{
    char path[1024];
    struct err err = { 0 };
    s->name = name;
    s->lang = lang;
    buf_init(&s->text, 0);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (buf_read_file(&s->text, path, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    CHECK_INT(web_sim_doc_init(&s->doc, s->text.buf, s->text.len, lang, tpl, &err), ==, 0);
}

static void drop(struct src *s)
{
    buf_release(&s->text);
    web_sim_doc_release(&s->doc);
}

static double score(const struct src *a, const struct src *b)
{
    size_t shared;
    double v = web_sim_compare(&a->doc, &b->doc, &shared);
    double w = web_sim_compare(&b->doc, &a->doc, NULL);
    CHECK(v == w);                          /* symmetric */
    fprintf(stderr, "   %-20s %-20s %.3f (%zu shared of %zu/%zu, %zu tokens)\n", a->name, b->name, v, shared,
            a->doc.ndistinct, b->doc.ndistinct, web_sim_matched_tokens(&a->doc, &b->doc));
    return v;
}

static size_t lines_of(const struct buf *b)
{
    size_t n = 1;
    for (size_t i = 0; i < b->len; i++)
        n += b->buf[i] == '\n';
    return n;
}

/* The 1-based line of the first occurrence of needle. */
static uint32_t line_of(const struct buf *b, const char *needle)
{
    const char *p = strstr(b->buf, needle);
    CHECK(p != NULL);
    uint32_t line = 1;
    for (const char *q = b->buf; p && q < p; q++)
        line += *q == '\n';
    return line;
}

static void test_tokenizer(void)
{
    struct web_sim_tokens t, u;
    struct err err = { 0 };
    CHECK_SECTION("tokenizer: comments, layout and names do not matter");
    const char *a = "int total = 0; // running sum\nfor (int i = 0; i < n; i++)\n    total += v[i];\n";
    const char *b = "/* renamed */ int s=0;\n\n\nfor(int k=0;k<count;k++) s+=arr[k]; /* x */\n";
    CHECK_INT(web_sim_tokenize(a, strlen(a), WEB_SIM_C, &t, &err), ==, 0);
    CHECK_INT(web_sim_tokenize(b, strlen(b), WEB_SIM_C, &u, &err), ==, 0);
    CHECK_INT(t.n, ==, u.n);
    for (size_t i = 0; i < t.n && i < u.n; i++)
        CHECK_INT(t.v[i].code, ==, u.v[i].code);
    CHECK_INT(t.v[0].line, ==, 1);
    CHECK_INT(t.v[t.n - 1].line, ==, 3);    /* the final ';' */
    CHECK_INT(u.v[u.n - 1].line, ==, 4);
    CHECK_INT(t.v[1].code, ==, WEB_SIM_TOK_IDENT);
    CHECK_INT(t.v[3].code, ==, WEB_SIM_TOK_NUMBER);
    CHECK(t.v[0].code >= WEB_SIM_TOK_FIXED);    /* int: a keyword stays itself */
    CHECK(t.v[0].code != t.v[5].code);          /* int and for differ */
    web_sim_tokens_release(&t);
    web_sim_tokens_release(&u);

    CHECK_SECTION("tokenizer: preprocessor lines, strings, characters");
    const char *c = "#include <stdio.h>\n#define X \\\n  42\nputs(\"a // b\"); c = 'x';\n";
    CHECK_INT(web_sim_tokenize(c, strlen(c), WEB_SIM_C, &t, &err), ==, 0);
    CHECK_INT(t.n, ==, 9);                      /* puts ( STR ) ; c = CHR ; */
    CHECK_INT(t.v[0].line, ==, 4);
    CHECK_INT(t.v[2].code, ==, WEB_SIM_TOK_STRING);
    CHECK_INT(t.v[7].code, ==, WEB_SIM_TOK_CHAR);
    web_sim_tokens_release(&t);

    CHECK_SECTION("tokenizer: python comments, // division, triple-quoted strings");
    const char *p = "def f(x):\n    \"\"\"doc\n    string\"\"\"\n    return x // 2  # half\n";
    CHECK_INT(web_sim_tokenize(p, strlen(p), WEB_SIM_PYTHON, &t, &err), ==, 0);
    CHECK_INT(t.n, ==, 11);                     /* def f ( x ) : STR return x // 2 */
    CHECK_INT(t.v[6].code, ==, WEB_SIM_TOK_STRING);
    CHECK_INT(t.v[7].line, ==, 4);
    web_sim_tokens_release(&t);

    CHECK_SECTION("tokenizer: C++ raw strings, Java text blocks");
    const char *r = "auto s = R\"x(a \" )\" b)x\"; int k;";
    CHECK_INT(web_sim_tokenize(r, strlen(r), WEB_SIM_CPP, &t, &err), ==, 0);
    CHECK_INT(t.n, ==, 8);                      /* auto s = STR ; int k ; */
    web_sim_tokens_release(&t);
    const char *j = "String s = \"\"\"\n  a \"quoted\" b\n\"\"\"; int k;";
    CHECK_INT(web_sim_tokenize(j, strlen(j), WEB_SIM_JAVA, &t, &err), ==, 0);
    CHECK_INT(t.n, ==, 8);
    CHECK_INT(t.v[5].line, ==, 3);
    web_sim_tokens_release(&t);

    CHECK_SECTION("tokenizer: bad input never breaks it");
    const char *bad[] = { "\"unterminated\nx = 1;", "/* open comment", "'", "R\"(never closed", "\"\"\"",
                          "0x1e+5 1'000 .5e-3", "#", "\\\n\\" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        for (int l = 0; l < WEB_SIM_LANGS; l++) {
            CHECK_INT(web_sim_tokenize(bad[i], strlen(bad[i]), (enum web_sim_lang)l, &t, &err), ==, 0);
            for (size_t k = 0; k < t.n; k++)
                CHECK(t.v[k].line >= 1 && t.v[k].line <= 3);
            web_sim_tokens_release(&t);
        }
    srand(7);
    char *noise = malloc(1 << 16);
    for (int round = 0; round < 50; round++) {
        size_t n = (size_t)rand() % (1 << 16);
        for (size_t i = 0; i < n; i++)
            noise[i] = (char)(round % 2 ? "/*\"'#\\\nR(x)a1 "[rand() % 15] : rand());
        struct web_sim_doc d, e;
        CHECK_INT(web_sim_doc_init(&d, noise, n, (enum web_sim_lang)(round % WEB_SIM_LANGS), NULL, &err), ==, 0);
        CHECK_INT(web_sim_doc_init(&e, noise, n / 2, (enum web_sim_lang)(round % WEB_SIM_LANGS), NULL, &err), ==, 0);
        double v = web_sim_compare(&d, &e, NULL);
        CHECK(v >= 0.0 && v <= 1.0);
        struct web_sim_regions rg;
        web_sim_regions_find(&d, &e, &rg);
        web_sim_regions_release(&rg);
        web_sim_doc_release(&d);
        web_sim_doc_release(&e);
    }
    free(noise);

    CHECK_SECTION("a run of one statement gives a fingerprint a window, not a k-gram");
    size_t big = 60000;
    char *run = malloc(big);
    for (size_t i = 0; i < big; i += 3)
        memcpy(run + i, "a;\n", 3);
    struct web_sim_doc rd;
    CHECK_INT(web_sim_doc_init(&rd, run, big, WEB_SIM_C, NULL, &err), ==, 0);
    CHECK_INT(rd.tokens.n, ==, big / 3 * 2);
    CHECK(rd.nprints <= rd.tokens.n / WEB_SIM_W + 1);
    CHECK_INT(rd.ndistinct, ==, 1);
    CHECK(web_sim_compare(&rd, &rd, NULL) == 1.0);
    size_t covered = web_sim_matched_tokens(&rd, &rd);
    web_sim_doc_compact(&rd);                   /* scores still work, regions find nothing */
    CHECK_INT(web_sim_matched_tokens(&rd, &rd), ==, covered);
    struct web_sim_regions none;
    web_sim_regions_find(&rd, &rd, &none);
    CHECK_INT(none.n, ==, 0);
    web_sim_doc_release(&rd);
    free(run);

    CHECK_SECTION("limits");
    CHECK_INT(web_sim_tokenize("", WEB_SIM_SOURCE_MAX + 1, WEB_SIM_C, &t, &err), ==, ERR_LIMIT);
    struct web_sim_template tpl;
    CHECK_INT(web_sim_template_init(&tpl, "", WEB_SIM_TEMPLATE_MAX + 1, WEB_SIM_C, &err), ==, ERR_LIMIT);
    CHECK_INT(web_sim_lang_of("c"), ==, WEB_SIM_C);
    CHECK_INT(web_sim_lang_of("cpp"), ==, WEB_SIM_CPP);
    CHECK_INT(web_sim_lang_of("java"), ==, WEB_SIM_JAVA);
    CHECK_INT(web_sim_lang_of("python3"), ==, WEB_SIM_PYTHON);
    CHECK_INT(web_sim_lang_of("rust"), ==, WEB_SIM_GENERIC);

    CHECK_SECTION("short and empty sources");
    struct web_sim_doc d0, d1;
    CHECK_INT(web_sim_doc_init(&d0, "", 0, WEB_SIM_C, NULL, &err), ==, 0);
    CHECK_INT(web_sim_doc_init(&d1, "int x;", 6, WEB_SIM_C, NULL, &err), ==, 0);
    CHECK_INT(d0.nprints, ==, 0);
    CHECK_INT(d1.nprints, ==, 0);               /* fewer than k tokens */
    CHECK(web_sim_compare(&d0, &d1, NULL) == 0.0);
    CHECK(web_sim_compare(&d0, &d0, NULL) == 0.0);
    web_sim_doc_release(&d0);
    web_sim_doc_release(&d1);
}

enum { ORIG, RENAMED, REORDERED, INSERTED, QUAD, SPFA, INDEXED, TPL_A, TPL_B, NC };

static void test_c_fixtures(void)
{
    struct buf tb;
    struct web_sim_template tpl;
    struct err err = { 0 };
    char path[1024];
    buf_init(&tb, 0);
    snprintf(path, sizeof(path), "%s/template.c", dir);
    CHECK_INT(buf_read_file(&tb, path, &err), ==, 0);
    CHECK_INT(web_sim_template_init(&tpl, tb.buf, tb.len, WEB_SIM_C, &err), ==, 0);
    CHECK(tpl.n > 100);

    static const char *const names[NC] = { "original.c", "copy_renamed.c", "copy_reordered.c", "copy_inserted.c",
                                           "indep_quadratic.c", "indep_spfa.c", "indep_indexed.c",
                                           "template_only_a.c", "template_only_b.c" };
    struct src s[NC];
    for (int i = 0; i < NC; i++)
        load(&s[i], names[i], WEB_SIM_C, &tpl);

    CHECK_SECTION("planted copies score >= 0.6 against the original and each other");
    for (int i = ORIG; i <= INSERTED; i++)
        for (int j = i + 1; j <= INSERTED; j++)
            CHECK(score(&s[i], &s[j]) >= 0.6);
    CHECK(score(&s[ORIG], &s[RENAMED]) >= 0.9);  /* only names, comments and layout changed */

    CHECK_SECTION("independent solutions score <= 0.25 against everything");
    for (int i = QUAD; i <= INDEXED; i++)
        for (int j = 0; j < NC; j++)
            if (j != i)
                CHECK(score(&s[i], &s[j]) <= 0.25);

    CHECK_SECTION("the shared template counts for nothing");
    CHECK(score(&s[TPL_A], &s[TPL_B]) <= 0.05);
    for (int j = ORIG; j <= INDEXED; j++) {
        CHECK(score(&s[TPL_A], &s[j]) <= 0.25);
        CHECK(score(&s[TPL_B], &s[j]) <= 0.25);
    }
    /* Without excluding it, the template alone would make them "copies". */
    struct web_sim_doc a, b;
    CHECK_INT(web_sim_doc_init(&a, s[TPL_A].text.buf, s[TPL_A].text.len, WEB_SIM_C, NULL, &err), ==, 0);
    CHECK_INT(web_sim_doc_init(&b, s[TPL_B].text.buf, s[TPL_B].text.len, WEB_SIM_C, NULL, &err), ==, 0);
    CHECK(web_sim_compare(&a, &b, NULL) >= 0.6);
    web_sim_doc_release(&a);
    web_sim_doc_release(&b);
    /* The template's own prints are gone from every document. */
    struct web_sim_doc t;
    CHECK_INT(web_sim_doc_init(&t, tb.buf, tb.len, WEB_SIM_C, &tpl, &err), ==, 0);
    CHECK_INT(t.nprints, ==, 0);
    web_sim_doc_release(&t);

    CHECK_SECTION("all pairs at once (the report's way) agree with one pair at a time");
    struct web_sim_doc docs[NC];
    uint32_t shared[NC * NC];
    memset(shared, 0, sizeof(shared));
    for (int i = 0; i < NC; i++)
        docs[i] = s[i].doc;                     /* shallow: s[] still owns them */
    web_sim_shared_matrix(docs, NC, shared);
    for (int i = 0; i < NC; i++)
        for (int j = i + 1; j < NC; j++) {
            size_t same;
            double v = web_sim_compare(&s[i].doc, &s[j].doc, &same);
            CHECK_INT(shared[i * NC + j], ==, same);
            CHECK(web_sim_similarity(&s[i].doc, &s[j].doc, same) == v);
        }

    CHECK_SECTION("matched regions: line ranges in both files, reordered functions found apart");
    struct web_sim_regions rg;
    web_sim_regions_find(&s[ORIG].doc, &s[REORDERED].doc, &rg);
    CHECK(rg.n >= 3);
    size_t la = lines_of(&s[ORIG].text), lb = lines_of(&s[REORDERED].text);
    uint32_t push_a = line_of(&s[ORIG].text, "static void heap_push"), push_b = line_of(&s[REORDERED].text,
                                                                                         "static void push(long long dd, int vv)\n{");
    uint32_t pop_a = line_of(&s[ORIG].text, "static struct item heap_pop"),
             pop_b = line_of(&s[REORDERED].text, "static struct entry pop_min");
    int push_found = 0, pop_found = 0;
    for (size_t i = 0; i < rg.n; i++) {
        const struct web_sim_region *x = &rg.v[i];
        fprintf(stderr, "   region a %u-%u  b %u-%u\n", x->a_start, x->a_end, x->b_start, x->b_end);
        CHECK(x->a_start >= 1 && x->a_start <= x->a_end && x->a_end <= la);
        CHECK(x->b_start >= 1 && x->b_start <= x->b_end && x->b_end <= lb);
        CHECK(i == 0 || rg.v[i - 1].a_start <= x->a_start);
        /* heap_push is first in the original and last in the copy */
        if (x->a_start <= push_a + 3 && x->a_end >= push_a + 6 && x->b_start <= push_b + 3 && x->b_end >= push_b + 6)
            push_found = 1;
        if (x->a_start <= pop_a + 4 && x->a_end >= pop_a + 10 && x->b_start <= pop_b + 4 && x->b_end >= pop_b + 10)
            pop_found = 1;
    }
    CHECK(push_found);
    CHECK(pop_found);
    web_sim_regions_release(&rg);
    /* Nothing in common but the template: no regions. */
    web_sim_regions_find(&s[TPL_A].doc, &s[TPL_B].doc, &rg);
    CHECK_INT(rg.n, ==, 0);
    web_sim_regions_release(&rg);

    for (int i = 0; i < NC; i++)
        drop(&s[i]);
    web_sim_template_release(&tpl);
    buf_release(&tb);
}

static void test_python_fixtures(void)
{
    struct src o, c, i;
    CHECK_SECTION("python: a copy with renamed names and reordered functions, an independent solution");
    load(&o, "original.py", WEB_SIM_PYTHON, NULL);
    load(&c, "copy.py", WEB_SIM_PYTHON, NULL);
    load(&i, "indep.py", WEB_SIM_PYTHON, NULL);
    CHECK(score(&o, &c) >= 0.6);
    CHECK(score(&o, &i) <= 0.25);
    CHECK(score(&c, &i) <= 0.25);
    drop(&o);
    drop(&c);
    drop(&i);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    test_tokenizer();
    test_c_fixtures();
    test_python_fixtures();
    return check_done("unit.web.similarity");
}
