/*
 * similarity.c: tokenizers for C, C++, Java, Python and a generic fallback,
 * k-gram hashing, winnowing, pair scores and matched regions (similarity.h
 * tells how it works and why its constants are what they are).
 */
#include "similarity.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---------------------------------------------------------------- */

static void *grow(void *v, size_t *alloc, size_t need, size_t elem)
{
    if (need <= *alloc)
        return v;
    size_t n = *alloc ? *alloc : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(v, n * elem);
    if (!p)
        abort();
    *alloc = n;
    return p;
}

static int is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_ident_char(unsigned char c)
{
    return is_ident_start(c) || is_digit(c);
}

/* FNV-1a of text[0..len), in the range kept for keywords and operators. */
static uint32_t fixed_code(const char *text, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 16777619u;
    }
    return h | 0x80000000u;
}

/* ---- languages ----------------------------------------------------------------------- */

static const char *const kw_c[] = {
    "auto", "bool", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
    "extern", "false", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
    "short", "signed", "sizeof", "static", "struct", "switch", "true", "typedef", "union", "unsigned", "void",
    "volatile", "while", "_Bool", NULL,
};

static const char *const kw_cpp[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "catch", "class", "compl", "concept",
    "const_cast", "consteval", "constexpr", "constinit", "co_await", "co_return", "co_yield", "decltype",
    "delete", "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept", "not",
    "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "reinterpret_cast",
    "requires", "static_assert", "static_cast", "template", "this", "thread_local", "throw", "try", "typeid",
    "typename", "using", "virtual", "wchar_t", "xor", "xor_eq", NULL,
};

static const char *const kw_java[] = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
    "default", "do", "double", "else", "enum", "extends", "false", "final", "finally", "float", "for", "goto",
    "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "null", "package",
    "private", "protected", "public", "record", "return", "short", "static", "strictfp", "super", "switch",
    "synchronized", "this", "throw", "throws", "transient", "true", "try", "var", "void", "volatile", "while",
    "yield", NULL,
};

static const char *const kw_python[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", NULL,
};

/* Operators of more than one character, longest first (maximal munch). */
static const char *const operators[] = {
    ">>>=", "<<=", ">>=", ">>>", "...", "->*", "<=>", "**=", "//=", "::", "->", "++", "--", "<<", ">>", "<=", ">=",
    "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "//", ":=", ".*", NULL,
};

struct lang_rules {
    int slash_comments;                         /* // and block comments */
    int hash_comments;                          /* # to the end of the line */
    int preprocessor;                           /* a line starting with # is dropped */
    int triple_quotes;                          /* """ and ''' strings */
    int single_quote_string;                    /* 'x' is a string, not a character */
    int raw_strings;                            /* C++ R"d(...)d" */
    const char *const *keywords[4];             /* NULL-terminated lists */
};

static const struct lang_rules rules[WEB_SIM_LANGS] = {
    [WEB_SIM_GENERIC] = { 1, 1, 0, 1, 0, 0, { kw_c, kw_cpp, kw_java, kw_python } },
    [WEB_SIM_C] = { 1, 0, 1, 0, 0, 0, { kw_c, NULL, NULL, NULL } },
    [WEB_SIM_CPP] = { 1, 0, 1, 0, 0, 1, { kw_c, kw_cpp, NULL, NULL } },
    [WEB_SIM_JAVA] = { 1, 0, 0, 1, 0, 0, { kw_java, NULL, NULL, NULL } },
    [WEB_SIM_PYTHON] = { 0, 1, 0, 1, 1, 0, { kw_python, NULL, NULL, NULL } },
};

enum web_sim_lang web_sim_lang_of(const char *language)
{
    if (!language)
        return WEB_SIM_GENERIC;
    if (!strcmp(language, "c"))
        return WEB_SIM_C;
    if (!strcmp(language, "cpp") || !strcmp(language, "cuda") || !strncmp(language, "cpp", 3) ||
        !strncmp(language, "c++", 3))
        return WEB_SIM_CPP;
    if (!strcmp(language, "java"))
        return WEB_SIM_JAVA;
    if (!strncmp(language, "python", 6) || !strncmp(language, "pypy", 4))
        return WEB_SIM_PYTHON;
    return WEB_SIM_GENERIC;
}

static int is_keyword(const struct lang_rules *lr, const char *w, size_t len)
{
    for (size_t l = 0; l < 4 && lr->keywords[l]; l++)
        for (const char *const *k = lr->keywords[l]; *k; k++)
            if ((*k)[0] == w[0] && !strncmp(*k, w, len) && (*k)[len] == '\0')
                return 1;
    return 0;
}

/* ---- the tokenizer ------------------------------------------------------------------------ */

struct lexer {
    const char *s;
    size_t len, i;
    uint32_t line;
    const struct lang_rules *lr;
    struct web_sim_tokens *out;
    size_t alloc;
};

static void emit(struct lexer *lx, uint32_t code, uint32_t line)
{
    lx->out->v = grow(lx->out->v, &lx->alloc, lx->out->n + 1, sizeof(*lx->out->v));
    lx->out->v[lx->out->n].code = code;
    lx->out->v[lx->out->n].line = line;
    lx->out->n++;
}

static int at(const struct lexer *lx, size_t i, char c)
{
    return i < lx->len && lx->s[i] == c;
}

/* Skips to the end of the line (the newline is left for the main loop);
 * with continuations, a backslash before a newline joins the next line. */
static void skip_line(struct lexer *lx, int continuations)
{
    while (lx->i < lx->len && lx->s[lx->i] != '\n') {
        if (continuations && lx->s[lx->i] == '\\' && at(lx, lx->i + 1, '\n')) {
            lx->line++;
            lx->i++;
        } else if (continuations && lx->s[lx->i] == '\\' && at(lx, lx->i + 1, '\r') && at(lx, lx->i + 2, '\n')) {
            lx->line++;
            lx->i += 2;
        }
        lx->i++;
    }
}

/* Skips past the first occurrence of end (counting lines), or to the end. */
static void skip_past(struct lexer *lx, const char *end)
{
    size_t n = strlen(end);
    while (lx->i < lx->len) {
        if (lx->len - lx->i >= n && !memcmp(lx->s + lx->i, end, n)) {
            lx->i += n;
            return;
        }
        if (lx->s[lx->i] == '\n')
            lx->line++;
        lx->i++;
    }
}

/* A quoted literal from lx->i (the quote): to the closing quote, or to the
 * end of the line when unterminated. 1 if it was closed. */
static int skip_quoted(struct lexer *lx)
{
    char q = lx->s[lx->i++];
    while (lx->i < lx->len && lx->s[lx->i] != '\n') {
        char c = lx->s[lx->i++];
        if (c == '\\' && lx->i < lx->len && lx->s[lx->i] != '\n')
            lx->i++;
        else if (c == q)
            return 1;
    }
    return 0;
}

/* C++ raw string R"delim( ... )delim" from lx->i (the quote); 0 when what
 * follows is not one (then nothing is consumed). */
static int skip_raw_string(struct lexer *lx)
{
    size_t j = lx->i + 1, d = 0;
    while (j + d < lx->len && d <= 16 && lx->s[j + d] != '(' && lx->s[j + d] != '"' && lx->s[j + d] != '\n')
        d++;
    if (d > 16 || !at(lx, j + d, '('))
        return 0;
    char end[20];
    end[0] = ')';
    memcpy(end + 1, lx->s + j, d);
    end[d + 1] = '"';
    end[d + 2] = '\0';
    lx->i = j + d + 1;
    skip_past(lx, end);
    return 1;
}

static void lex_word(struct lexer *lx)
{
    uint32_t line = lx->line;
    size_t start = lx->i;
    while (lx->i < lx->len && is_ident_char((unsigned char)lx->s[lx->i]))
        lx->i++;
    size_t n = lx->i - start;
    const char *w = lx->s + start;
    if (lx->lr->raw_strings && n <= 3 && w[n - 1] == 'R' && at(lx, lx->i, '"') && skip_raw_string(lx)) {
        emit(lx, WEB_SIM_TOK_STRING, line);
        return;
    }
    /* Python string prefixes: r"..", b'..', f"""..""" */
    if (lx->lr->single_quote_string && n <= 2 && lx->i < lx->len && (lx->s[lx->i] == '"' || lx->s[lx->i] == '\'')) {
        int prefix = 1;
        for (size_t k = 0; k < n; k++)
            prefix &= strchr("rRbBuUfF", w[k]) != NULL;
        if (prefix)
            return;                             /* the main loop reads the string next */
    }
    emit(lx, is_keyword(lx->lr, w, n) ? fixed_code(w, n) : WEB_SIM_TOK_IDENT, line);
}

static void lex_number(struct lexer *lx)
{
    uint32_t line = lx->line;
    lx->i++;
    while (lx->i < lx->len) {
        unsigned char c = (unsigned char)lx->s[lx->i];
        unsigned char p = (unsigned char)lx->s[lx->i - 1];
        if (is_ident_char(c) || c == '.')
            lx->i++;
        else if ((c == '+' || c == '-') && (p == 'e' || p == 'E' || p == 'p' || p == 'P'))
            lx->i++;
        else if (c == '\'' && !lx->lr->single_quote_string && lx->i + 1 < lx->len &&
                 is_ident_char((unsigned char)lx->s[lx->i + 1]))
            lx->i++;                            /* C++14 digit separator: 1'000'000 */
        else
            break;
    }
    emit(lx, WEB_SIM_TOK_NUMBER, line);
}

static void lex_quote(struct lexer *lx)
{
    uint32_t line = lx->line;
    char q = lx->s[lx->i];
    if (lx->lr->triple_quotes && at(lx, lx->i + 1, q) && at(lx, lx->i + 2, q)) {
        char end[4] = { q, q, q, '\0' };
        lx->i += 3;
        skip_past(lx, end);
        emit(lx, WEB_SIM_TOK_STRING, line);
        return;
    }
    size_t start = lx->i;
    int closed = skip_quoted(lx);
    if (q == '"' || lx->lr->single_quote_string) {
        emit(lx, WEB_SIM_TOK_STRING, line);
    } else if (closed || lx->lr != &rules[WEB_SIM_GENERIC]) {
        emit(lx, WEB_SIM_TOK_CHAR, line);
    } else {
        /* generic: a lone ' (a Rust lifetime, a Pascal-less guess) is punctuation */
        lx->i = start + 1;
        emit(lx, WEB_SIM_TOK_FIXED + (unsigned char)q, line);
    }
}

static void lex_operator(struct lexer *lx)
{
    for (const char *const *op = operators; *op; op++) {
        if ((*op)[0] != lx->s[lx->i])
            continue;
        size_t n = strlen(*op);
        if (lx->len - lx->i >= n && !memcmp(lx->s + lx->i, *op, n)) {
            emit(lx, fixed_code(*op, n), lx->line);
            lx->i += n;
            return;
        }
    }
    emit(lx, WEB_SIM_TOK_FIXED + (unsigned char)lx->s[lx->i], lx->line);
    lx->i++;
}

int web_sim_tokenize(const char *src, size_t len, enum web_sim_lang lang, struct web_sim_tokens *out,
                     struct err *err)
{
    out->v = NULL;
    out->n = 0;
    if (len > WEB_SIM_SOURCE_MAX)
        return err_set(err, ERR_LIMIT, "a source of more than %zu bytes", WEB_SIM_SOURCE_MAX);
    if ((unsigned)lang >= WEB_SIM_LANGS)
        lang = WEB_SIM_GENERIC;
    struct lexer lx = { .s = src, .len = len, .line = 1, .lr = &rules[lang], .out = out };
    int bol = 1;                                /* only blanks since the line began */
    while (lx.i < lx.len) {
        unsigned char c = (unsigned char)lx.s[lx.i];
        if (c == '\n') {
            lx.line++;
            lx.i++;
            bol = 1;
            continue;
        }
        if (c <= ' ' || c == 0x7f) {
            lx.i++;
            continue;
        }
        if (lx.lr->slash_comments && c == '/' && at(&lx, lx.i + 1, '/')) {
            skip_line(&lx, 0);
            continue;
        }
        if (lx.lr->slash_comments && c == '/' && at(&lx, lx.i + 1, '*')) {
            lx.i += 2;
            skip_past(&lx, "*/");
            continue;
        }
        if (c == '#' && lx.lr->preprocessor && bol) {
            skip_line(&lx, 1);
            continue;
        }
        if (c == '#' && lx.lr->hash_comments) {
            skip_line(&lx, 0);
            continue;
        }
        bol = 0;
        if (is_ident_start(c))
            lex_word(&lx);
        else if (is_digit(c) || (c == '.' && lx.i + 1 < lx.len && is_digit((unsigned char)lx.s[lx.i + 1])))
            lex_number(&lx);
        else if (c == '"' || c == '\'')
            lex_quote(&lx);
        else
            lex_operator(&lx);
    }
    return 0;
}

void web_sim_tokens_release(struct web_sim_tokens *t)
{
    if (!t)
        return;
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* ---- k-gram hashes and winnowing ------------------------------------------------------------ */

#define HASH_BASE UINT64_C(0x100000001b3)

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* The hashes of every k-gram of t: n - k + 1 of them (none when shorter). */
static uint64_t *kgram_hashes(const struct web_sim_tokens *t, size_t k, size_t *m)
{
    *m = 0;
    if (t->n < k)
        return NULL;
    size_t cnt = t->n - k + 1;
    uint64_t *hs = malloc(cnt * sizeof(*hs));
    if (!hs)
        abort();
    uint64_t pow = 1, h = 0;
    for (size_t j = 0; j + 1 < k; j++)
        pow *= HASH_BASE;
    for (size_t j = 0; j < k; j++)
        h = h * HASH_BASE + t->v[j].code;
    for (size_t i = 0; i < cnt; i++) {
        hs[i] = mix(h);
        if (i + k < t->n)
            h = (h - t->v[i].code * pow) * HASH_BASE + t->v[i + k].code;
    }
    *m = cnt;
    return hs;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_print(const void *x, const void *y)
{
    const struct web_sim_print *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int web_sim_template_init(struct web_sim_template *t, const char *src, size_t len, enum web_sim_lang lang,
                          struct err *err)
{
    struct web_sim_tokens tok;
    t->v = NULL;
    t->n = 0;
    if (len > WEB_SIM_TEMPLATE_MAX)
        return err_set(err, ERR_LIMIT, "a template of more than %zu bytes", WEB_SIM_TEMPLATE_MAX);
    int rc = web_sim_tokenize(src, len, lang, &tok, err);
    if (rc < 0)
        return rc;
    size_t m;
    uint64_t *hs = kgram_hashes(&tok, WEB_SIM_TEMPLATE_K, &m);
    web_sim_tokens_release(&tok);
    if (!hs)
        return 0;
    qsort(hs, m, sizeof(*hs), cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || hs[u - 1] != hs[i])
            hs[u++] = hs[i];
    t->v = hs;
    t->n = u;
    return 0;
}

void web_sim_template_release(struct web_sim_template *t)
{
    if (!t)
        return;
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

static int in_template(const struct web_sim_template *tpl, uint64_t h)
{
    return tpl && tpl->n && bsearch(&h, tpl->v, tpl->n, sizeof(*tpl->v), cmp_u64) != NULL;
}

int web_sim_doc_init(struct web_sim_doc *d, const char *src, size_t len, enum web_sim_lang lang,
                     const struct web_sim_template *tpl, struct err *err)
{
    memset(d, 0, sizeof(*d));
    int rc = web_sim_tokenize(src, len, lang, &d->tokens, err);
    if (rc < 0)
        return rc;
    size_t m, alloc = 0;
    uint64_t *hs = kgram_hashes(&d->tokens, WEB_SIM_K, &m);
    /* Template material: tokens under any WEB_SIM_TEMPLATE_K-gram that the
     * template has too (a prefix count, so a k-gram's share of them is one
     * subtraction). */
    uint32_t *tcum = NULL;
    size_t mt;
    uint64_t *ths = tpl && tpl->n && m ? kgram_hashes(&d->tokens, WEB_SIM_TEMPLATE_K, &mt) : NULL;
    if (ths) {
        int32_t *diff = calloc(d->tokens.n + 1, sizeof(*diff));
        tcum = calloc(d->tokens.n + 1, sizeof(*tcum));
        if (!diff || !tcum)
            abort();
        for (size_t i = 0; i < mt; i++)
            if (in_template(tpl, ths[i])) {
                diff[i]++;
                diff[i + WEB_SIM_TEMPLATE_K]--;
            }
        free(ths);
        int32_t depth = 0;
        for (size_t i = 0; i < d->tokens.n; i++) {
            depth += diff[i];
            tcum[i + 1] = tcum[i] + (depth > 0);
        }
        free(diff);
    }
    /* Robust winnowing: in each window the smallest hash, recorded once
     * however many windows choose it; on a tie the one chosen last while it
     * is still in the window, else the rightmost (so a run of equal hashes,
     * `a;a;a;...`, gives one fingerprint a window, not one a k-gram). A
     * source shorter than one window has its smallest hash as its one
     * fingerprint. */
    size_t windows = m == 0 ? 0 : m < WEB_SIM_W ? 1 : m - WEB_SIM_W + 1;
    size_t width = m < WEB_SIM_W ? m : WEB_SIM_W;
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < windows; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < i + width; j++)
            if (hs[j] <= hs[best])
                best = j;
        if (last != SIZE_MAX && last >= i && hs[last] == hs[best])
            continue;
        last = best;
        /* Drop a fingerprint that is mostly template: a template k-gram, or
         * one that only joins pieces of the template (its end and the
         * signature it prescribes), which every submission repeats. */
        if (tcum && 2 * (tcum[best + WEB_SIM_K] - tcum[best]) >= WEB_SIM_K)
            continue;
        d->prints = grow(d->prints, &alloc, d->nprints + 1, sizeof(*d->prints));
        d->prints[d->nprints].hash = hs[best];
        d->prints[d->nprints].pos = (uint32_t)best;
        d->nprints++;
    }
    free(hs);
    free(tcum);
    if (d->nprints)
        qsort(d->prints, d->nprints, sizeof(*d->prints), cmp_print);
    for (size_t i = 0; i < d->nprints; i++)
        if (i == 0 || d->prints[i].hash != d->prints[i - 1].hash)
            d->ndistinct++;
    return 0;
}

void web_sim_doc_release(struct web_sim_doc *d)
{
    if (!d)
        return;
    web_sim_tokens_release(&d->tokens);
    free(d->prints);
    memset(d, 0, sizeof(*d));
}

/* ---- comparing ----------------------------------------------------------------------------------- */

/* The end of the run of prints with the hash of p[i]. */
static size_t run_end(const struct web_sim_print *p, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && p[j].hash == p[i].hash)
        j++;
    return j;
}

double web_sim_similarity(const struct web_sim_doc *a, const struct web_sim_doc *b, size_t shared)
{
    size_t least = a->ndistinct < b->ndistinct ? a->ndistinct : b->ndistinct;
    return least ? (double)shared / (double)least : 0.0;
}

double web_sim_compare(const struct web_sim_doc *a, const struct web_sim_doc *b, size_t *shared)
{
    size_t i = 0, j = 0, same = 0;
    while (i < a->nprints && j < b->nprints) {
        uint64_t ha = a->prints[i].hash, hb = b->prints[j].hash;
        if (ha < hb) {
            i = run_end(a->prints, a->nprints, i);
        } else if (hb < ha) {
            j = run_end(b->prints, b->nprints, j);
        } else {
            same++;
            i = run_end(a->prints, a->nprints, i);
            j = run_end(b->prints, b->nprints, j);
        }
    }
    if (shared)
        *shared = same;
    return web_sim_similarity(a, b, same);
}

struct owned_hash {
    uint64_t hash;
    uint32_t doc;
};

static int cmp_owned(const void *x, const void *y)
{
    const struct owned_hash *a = x, *b = y;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

void web_sim_shared_matrix(const struct web_sim_doc *docs, size_t n, uint32_t *shared)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        total += docs[i].ndistinct;
    if (!total)
        return;
    struct owned_hash *v = malloc(total * sizeof(*v));
    if (!v)
        abort();
    for (size_t i = 0; i < n; i++)
        for (size_t p = 0; p < docs[i].nprints; p = run_end(docs[i].prints, docs[i].nprints, p))
            v[k++] = (struct owned_hash){ docs[i].prints[p].hash, (uint32_t)i };
    qsort(v, k, sizeof(*v), cmp_owned);
    for (size_t g = 0; g < k;) {
        size_t e = g + 1;
        while (e < k && v[e].hash == v[g].hash)
            e++;
        for (size_t x = g; x < e; x++)
            for (size_t y = x + 1; y < e; y++)
                shared[(size_t)v[x].doc * n + v[y].doc]++;
        g = e;
    }
    free(v);
}

void web_sim_doc_compact(struct web_sim_doc *d)
{
    free(d->tokens.v);
    d->tokens.v = NULL;
}

/* Tokens of x under the k-grams of the fingerprints it shares with y. */
static size_t covered(const struct web_sim_doc *x, const struct web_sim_doc *y)
{
    if (!x->tokens.n)
        return 0;
    unsigned char *mark = calloc(x->tokens.n, 1);
    if (!mark)
        abort();
    size_t i = 0, j = 0, count = 0;
    while (i < x->nprints && j < y->nprints) {
        uint64_t hx = x->prints[i].hash, hy = y->prints[j].hash;
        if (hx < hy) {
            i = run_end(x->prints, x->nprints, i);
        } else if (hy < hx) {
            j = run_end(y->prints, y->nprints, j);
        } else {
            size_t e = run_end(x->prints, x->nprints, i);
            for (; i < e; i++)
                for (size_t p = x->prints[i].pos; p < x->prints[i].pos + WEB_SIM_K && p < x->tokens.n; p++)
                    if (!mark[p]) {
                        mark[p] = 1;
                        count++;
                    }
            j = run_end(y->prints, y->nprints, j);
        }
    }
    free(mark);
    return count;
}

size_t web_sim_matched_tokens(const struct web_sim_doc *a, const struct web_sim_doc *b)
{
    size_t ca = covered(a, b), cb = covered(b, a);
    return ca < cb ? ca : cb;
}

/* ---- matched regions ------------------------------------------------------------------------------- */

struct match {
    uint32_t pa, pb;
};

static int cmp_match(const void *x, const void *y)
{
    const struct match *a = x, *b = y;
    if (a->pa != b->pa)
        return a->pa < b->pa ? -1 : 1;
    return a->pb < b->pb ? -1 : a->pb > b->pb;
}

static int cmp_region(const void *x, const void *y)
{
    const struct web_sim_region *a = x, *b = y;
    if (a->a_start != b->a_start)
        return a->a_start < b->a_start ? -1 : 1;
    return a->b_start < b->b_start ? -1 : a->b_start > b->b_start;
}

/* A region being grown, in tokens: [a0, a1) and [b0, b1). */
struct span {
    size_t a0, a1, b0, b1, last_pb;
};

static void span_close(const struct web_sim_doc *a, const struct web_sim_doc *b, const struct span *sp,
                       struct web_sim_regions *out, size_t *alloc)
{
    out->v = grow(out->v, alloc, out->n + 1, sizeof(*out->v));
    struct web_sim_region *r = &out->v[out->n++];
    r->a_start = a->tokens.v[sp->a0].line;
    r->a_end = a->tokens.v[sp->a1 - 1].line;
    r->b_start = b->tokens.v[sp->b0].line;
    r->b_end = b->tokens.v[sp->b1 - 1].line;
}

void web_sim_regions_find(const struct web_sim_doc *a, const struct web_sim_doc *b, struct web_sim_regions *out)
{
    struct match *m = NULL;
    size_t nm = 0, malloc_n = 0, ralloc = 0, i = 0, j = 0;
    out->v = NULL;
    out->n = 0;
    if (!a->tokens.v || !b->tokens.v)
        return;                                 /* compacted, or no tokens */
    /* Pair each occurrence of a shared hash in a with one in b: the t-th
     * with the t-th (the last one b has when a has more). */
    while (i < a->nprints && j < b->nprints) {
        uint64_t ha = a->prints[i].hash, hb = b->prints[j].hash;
        size_t ea = run_end(a->prints, a->nprints, i), eb = run_end(b->prints, b->nprints, j);
        if (ha == hb) {
            for (size_t t = 0; t < ea - i; t++) {
                size_t k = j + t < eb ? j + t : eb - 1;
                m = grow(m, &malloc_n, nm + 1, sizeof(*m));
                m[nm].pa = a->prints[i + t].pos;
                m[nm].pb = b->prints[k].pos;
                nm++;
            }
        }
        if (ha <= hb)
            i = ea;
        if (hb <= ha)
            j = eb;
    }
    if (!nm)
        return;
    qsort(m, nm, sizeof(*m), cmp_match);
    /* Grow a region while the next match lies just after it in a and near
     * its end in b (a gap of a window and a k-gram allows a statement
     * inserted between copied ones); a jump elsewhere in b (a reordered
     * function) starts a new region. */
    const size_t gap = WEB_SIM_W + WEB_SIM_K;
    struct span sp = { 0 };
    int open = 0;
    for (size_t t = 0; t < nm; t++) {
        size_t pa = m[t].pa, pb = m[t].pb;
        if (open && pa <= sp.a1 + gap && pb + WEB_SIM_K >= sp.last_pb && pb <= sp.b1 + gap) {
            if (pa + WEB_SIM_K > sp.a1)
                sp.a1 = pa + WEB_SIM_K;
            if (pb < sp.b0)
                sp.b0 = pb;
            if (pb + WEB_SIM_K > sp.b1)
                sp.b1 = pb + WEB_SIM_K;
            sp.last_pb = pb;
            continue;
        }
        if (open)
            span_close(a, b, &sp, out, &ralloc);
        sp.a0 = pa;
        sp.a1 = pa + WEB_SIM_K;
        sp.b0 = pb;
        sp.b1 = pb + WEB_SIM_K;
        sp.last_pb = pb;
        open = 1;
    }
    span_close(a, b, &sp, out, &ralloc);
    free(m);
    /* Regions that touch on both sides become one. */
    qsort(out->v, out->n, sizeof(*out->v), cmp_region);
    size_t u = 0;
    for (size_t t = 0; t < out->n; t++) {
        struct web_sim_region *r = u ? &out->v[u - 1] : NULL, *x = &out->v[t];
        if (r && x->a_start <= r->a_end + 1 && x->b_start <= r->b_end + 1 && x->b_end + 1 >= r->b_start) {
            if (x->a_end > r->a_end)
                r->a_end = x->a_end;
            if (x->b_start < r->b_start)
                r->b_start = x->b_start;
            if (x->b_end > r->b_end)
                r->b_end = x->b_end;
        } else {
            out->v[u++] = *x;
        }
    }
    out->n = u;
}

void web_sim_regions_release(struct web_sim_regions *r)
{
    if (!r)
        return;
    free(r->v);
    r->v = NULL;
    r->n = 0;
}
