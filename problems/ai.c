/*
 * ai.c: AI problems: the CSV reader (RFC 4180) for solutions and prediction
 * files, the validation of predictions against the solution with messages a
 * contestant may read, and the built-in metrics (docs/ai-problems.md).
 *
 * How scoring works: the solution is parsed whole and its ids go into a hash
 * table; each prediction row is matched to its solution row, and its values
 * are checked for the metric. Problems are collected (the first few are
 * named, the rest counted) and nothing is scored unless there are none; then
 * the rows are split into the public and the private part and the metric is
 * computed on each. A message may quote what the contestant sent and the
 * ids of the solution, never a truth value: truth values are only compared.
 */
#include "problems_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUOTE_MAX 40            /* bytes of a quoted id or value in messages */
#define ERRS_SHOWN 3            /* problems named in one message */

/* ---- small helpers ---- */

/* s as 'text' for a message: at most QUOTE_MAX bytes, anything but
 * printable ASCII shown as '?', "..." when cut. */
static const char *quote(char *out, size_t size, const char *s)
{
    size_t o = 0, i = 0;
    if (size < QUOTE_MAX + 8)
        abort();
    out[o++] = '\'';
    for (; s[i] && i < QUOTE_MAX; i++)
        out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

/* A whole-string, finite decimal number: no leading space, no hex, no nan
 * or inf. 0, or 1 when it parses but is not finite, or -1 when it does not
 * parse at all. */
static int parse_num(const char *s, double *out)
{
    if (!*s || isspace((unsigned char)*s) || strpbrk(s, "xX"))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end)
        return -1;
    if (!isfinite(v))
        return 1;
    *out = v;
    return 0;
}

/* ---- a string -> index hash table (ids, classes) ---- */

struct strmap {
    const char **keys;          /* borrowed strings, in insertion order */
    size_t n, keys_alloc;
    uint32_t *slot;             /* index + 1, 0 when empty */
    size_t cap;                 /* a power of two, or 0 */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void strmap_release(struct strmap *m)
{
    free(m->keys);
    free(m->slot);
    memset(m, 0, sizeof(*m));
}

static size_t strmap_find(const struct strmap *m, const char *s)
{
    if (!m->cap)
        return SIZE_MAX;
    for (size_t i = hash_str(s) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slot[i])
            return SIZE_MAX;
        if (!strcmp(m->keys[m->slot[i] - 1], s))
            return m->slot[i] - 1;
    }
}

static void strmap_rehash(struct strmap *m, size_t cap)
{
    free(m->slot);
    m->slot = prbi_calloc(cap, sizeof(*m->slot));
    m->cap = cap;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = hash_str(m->keys[k]) & (cap - 1);
        while (m->slot[i])
            i = (i + 1) & (cap - 1);
        m->slot[i] = (uint32_t)(k + 1);
    }
}

/* The index of s, added when absent (*added says which). */
static size_t strmap_add(struct strmap *m, const char *s, int *added)
{
    size_t at = strmap_find(m, s);
    if (added)
        *added = at == SIZE_MAX;
    if (at != SIZE_MAX)
        return at;
    if (m->n == m->keys_alloc) {
        m->keys_alloc = m->keys_alloc ? m->keys_alloc * 2 : 16;
        m->keys = prbi_realloc_array(m->keys, m->keys_alloc, sizeof(*m->keys));
    }
    m->keys[m->n++] = s;
    if (m->n * 2 > m->cap)
        strmap_rehash(m, m->cap ? m->cap * 2 : 32);
    else {
        size_t i = hash_str(s) & (m->cap - 1);
        while (m->slot[i])
            i = (i + 1) & (m->cap - 1);
        m->slot[i] = (uint32_t)m->n;
    }
    return m->n - 1;
}

/* ---- CSV (RFC 4180) ----
 * The file is read into a buffer and decoded in place: quotes and the
 * field separators are removed, and each field ends with a NUL, so a field
 * is the text at its offset. Decoding never makes the text longer, and the
 * buffer keeps one spare byte for the NUL of a last field without a newline.
 * A UTF-8 byte order mark is skipped, lines end in LF or CRLF, empty lines
 * are skipped, and every row must have as many fields as the header.
 */
struct csv {
    struct buf raw;             /* the file, decoded in place */
    uint32_t *cell;             /* offsets: header, then row after row */
    size_t ncells, cells_alloc;
    size_t ncols;               /* fields of the header */
    size_t nrows;               /* data rows */
    unsigned *line;             /* line where each data row starts */
    size_t lines_alloc;
};

static void csv_release(struct csv *t)
{
    buf_release(&t->raw);
    free(t->cell);
    free(t->line);
    memset(t, 0, sizeof(*t));
}

static const char *csv_head(const struct csv *t, size_t c)
{
    return t->raw.buf + t->cell[c];
}

static const char *csv_at(const struct csv *t, size_t r, size_t c)
{
    return t->raw.buf + t->cell[(r + 1) * t->ncols + c];
}

static int csv_parse(struct csv *t, const char *display, struct err *err)
{
    char *d = t->raw.buf;
    size_t len = t->raw.len, r = 0, w = 0;
    unsigned line = 1;

    if (len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
        r = 3;
    while (r < len) {
        if (d[r] == '\n') {
            r++;
            line++;
            continue;
        }
        if (d[r] == '\r' && r + 1 < len && d[r + 1] == '\n') {
            r += 2;
            line++;
            continue;
        }
        unsigned rec_line = line;
        size_t nf = 0;
        for (;;) {
            size_t start = w;
            if (r < len && d[r] == '"') {
                unsigned qline = line;
                r++;
                for (;;) {
                    if (r >= len)
                        return err_set(err, ERR_INVALID, "%s line %u: a quoted field is not closed",
                                       display, qline);
                    char c = d[r];
                    if (c == '"') {
                        if (r + 1 < len && d[r + 1] == '"') {
                            d[w++] = '"';
                            r += 2;
                            continue;
                        }
                        r++;
                        break;
                    }
                    if (c == '\0')
                        return err_set(err, ERR_INVALID, "%s line %u: a NUL byte", display, line);
                    if (c == '\n')
                        line++;
                    d[w++] = c;
                    r++;
                    if (w - start > PRB_AI_MAX_FIELD_BYTES)
                        return err_set(err, ERR_INVALID, "%s line %u: a field longer than %zu bytes",
                                       display, rec_line, PRB_AI_MAX_FIELD_BYTES);
                }
                if (r < len && d[r] != ',' && d[r] != '\n' &&
                    !(d[r] == '\r' && r + 1 < len && d[r + 1] == '\n'))
                    return err_set(err, ERR_INVALID, "%s line %u: text after a closing quote",
                                   display, line);
            } else {
                while (r < len && d[r] != ',' && d[r] != '\n' && d[r] != '\r') {
                    if (d[r] == '"')
                        return err_set(err, ERR_INVALID, "%s line %u: a quote inside an unquoted field "
                                       "(quote the whole field and double the quote)", display, line);
                    if (d[r] == '\0')
                        return err_set(err, ERR_INVALID, "%s line %u: a NUL byte", display, line);
                    d[w++] = d[r++];
                    if (w - start > PRB_AI_MAX_FIELD_BYTES)
                        return err_set(err, ERR_INVALID, "%s line %u: a field longer than %zu bytes",
                                       display, rec_line, PRB_AI_MAX_FIELD_BYTES);
                }
                if (r < len && d[r] == '\r' && !(r + 1 < len && d[r + 1] == '\n'))
                    return err_set(err, ERR_INVALID, "%s line %u: a carriage return outside quotes "
                                   "that does not end the line", display, line);
            }
            /* w <= r: the NUL may overwrite the separator, so read it first. */
            char term = r < len ? d[r] : '\0';
            d[w++] = '\0';
            if (++nf > PRB_AI_MAX_COLUMNS)
                return err_set(err, ERR_INVALID, "%s line %u: more than %d fields", display, rec_line,
                               PRB_AI_MAX_COLUMNS);
            if (t->ncells == t->cells_alloc) {
                t->cells_alloc = t->cells_alloc ? t->cells_alloc * 2 : 256;
                t->cell = prbi_realloc_array(t->cell, t->cells_alloc, sizeof(*t->cell));
            }
            t->cell[t->ncells++] = (uint32_t)start;
            if (term == ',') {
                r++;
                if (r >= len) {     /* "a," at the end of the file: one more, empty field */
                    d[w++] = '\0';
                    if (t->ncells == t->cells_alloc) {
                        t->cells_alloc *= 2;
                        t->cell = prbi_realloc_array(t->cell, t->cells_alloc, sizeof(*t->cell));
                    }
                    t->cell[t->ncells++] = (uint32_t)(w - 1);
                    nf++;
                    break;
                }
                continue;
            }
            if (r < len) {
                r += term == '\r' ? 2 : 1;
                line++;
            }
            break;
        }
        if (t->ncols == 0) {
            t->ncols = nf;
            continue;
        }
        if (nf != t->ncols)
            return err_set(err, ERR_INVALID, "%s line %u: %zu fields, but the header has %zu",
                           display, rec_line, nf, t->ncols);
        if (t->nrows >= PRB_AI_MAX_ROWS)
            return err_set(err, ERR_INVALID, "%s: more than %d rows", display, PRB_AI_MAX_ROWS);
        if (t->nrows == t->lines_alloc) {
            t->lines_alloc = t->lines_alloc ? t->lines_alloc * 2 : 256;
            t->line = prbi_realloc_array(t->line, t->lines_alloc, sizeof(*t->line));
        }
        t->line[t->nrows++] = rec_line;
    }
    if (t->ncols == 0)
        return err_set(err, ERR_INVALID, "%s: empty (a header row is required)", display);
    return 0;
}

/* Reads path (at most max bytes) and parses it. The size is checked while
 * reading, so a growing or special file cannot get past it either. */
static int csv_load(struct csv *t, const char *path, const char *display, uint64_t max,
                    int (*too_big)(struct err *, const char *, uint64_t), struct err *err)
{
    struct err e = { 0 };
    memset(t, 0, sizeof(*t));
    buf_init(&t->raw, max >= SIZE_MAX ? SIZE_MAX - 1 : (size_t)max);
    int rc = buf_read_file(&t->raw, path, &e);
    if (rc == ERR_LIMIT)
        return too_big(err, display, max);
    if (rc < 0)
        return err_set(err, ERR_SYSTEM, "cannot read %s", display);
    if (buf_add(&t->raw, "", 0) < 0)   /* the NUL after the text exists even when empty */
        return too_big(err, display, max);
    return csv_parse(t, display, err);
}

static int pred_too_big(struct err *err, const char *display, uint64_t max)
{
    return err_set(err, ERR_INVALID, "%s: larger than the limit of %llu bytes", display,
                   (unsigned long long)max);
}

static int sol_too_big(struct err *err, const char *display, uint64_t max)
{
    return err_set(err, ERR_LIMIT, "%s: larger than %llu bytes", display, (unsigned long long)max);
}

/* The column named name, or SIZE_MAX. */
static size_t csv_col(const struct csv *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(csv_head(t, c), name))
            return c;
    return SIZE_MAX;
}

/* ---- metric names ---- */

static const struct {
    const char *name;
    enum prb_ai_metric m;
    int has_k;
    int maximize;
} metrics[] = {
    { "accuracy", PRB_AI_ACCURACY, 0, 1 },
    { "f1_micro", PRB_AI_F1_MICRO, 0, 1 },
    { "f1_macro", PRB_AI_F1_MACRO, 0, 1 },
    { "roc_auc", PRB_AI_ROC_AUC, 0, 1 },
    { "log_loss", PRB_AI_LOG_LOSS, 0, 0 },
    { "rmse", PRB_AI_RMSE, 0, 0 },
    { "mae", PRB_AI_MAE, 0, 0 },
    { "map", PRB_AI_MAP_AT_K, 1, 1 },
    { "ndcg", PRB_AI_NDCG_AT_K, 1, 1 },
    { "custom", PRB_AI_CUSTOM, 0, 1 },
};
#define N_METRICS (sizeof(metrics) / sizeof(metrics[0]))

const char *prb_ai_metric_name(enum prb_ai_metric m, int k, char *out, size_t size)
{
    for (size_t i = 0; i < N_METRICS; i++)
        if (metrics[i].m == m) {
            if (metrics[i].has_k)
                snprintf(out, size, "%s@%d", metrics[i].name, k);
            else
                snprintf(out, size, "%s", metrics[i].name);
            return out;
        }
    snprintf(out, size, "unknown");
    return out;
}

int prb_ai_metric_parse(const char *s, enum prb_ai_metric *m, int *k)
{
    const char *at = strchr(s, '@');
    size_t nl = at ? (size_t)(at - s) : strlen(s);
    for (size_t i = 0; i < N_METRICS; i++) {
        if (strlen(metrics[i].name) != nl || strncmp(metrics[i].name, s, nl) != 0)
            continue;
        if (metrics[i].has_k != (at != NULL))
            return ERR_INVALID;
        int64_t kv = 0;
        if (at && parse_i64(at + 1, 1, PRB_AI_MAX_K, &kv) < 0)
            return ERR_INVALID;
        *m = metrics[i].m;
        *k = (int)kv;
        return 0;
    }
    return ERR_INVALID;
}

int prb_ai_metric_maximize(enum prb_ai_metric m)
{
    for (size_t i = 0; i < N_METRICS; i++)
        if (metrics[i].m == m)
            return metrics[i].maximize;
    return 1;
}

/* ---- the metrics ---- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits a copy of s on whitespace into tokens (pointers into *copy, the
 * caller's to free). */
static size_t tokens(const char *s, char **copy, const char ***out, size_t max)
{
    char *c = prbi_strdup(s);
    size_t n = 0, alloc = 0;
    const char **v = NULL;
    char *p = c;
    while (*p && n < max) {
        while (is_ws(*p))
            p++;
        if (!*p)
            break;
        char *b = p;
        while (*p && !is_ws(*p))
            p++;
        if (*p)
            *p++ = '\0';
        if (n == alloc) {
            alloc = alloc ? alloc * 2 : 8;
            v = prbi_realloc_array(v, alloc, sizeof(*v));
        }
        v[n++] = b;
    }
    *copy = c;
    *out = v;
    return n;
}

struct gain {
    const char *item;
    double gain;
    int used;
    size_t pos;                 /* place in the truth, for the first occurrence */
};

static int gain_cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct gain *)a)->item, ((const struct gain *)b)->item);
}

static int gain_cmp_item_pos(const void *a, const void *b)
{
    const struct gain *x = a, *y = b;
    int c = strcmp(x->item, y->item);
    return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int dbl_cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Parses a gain token: "item:gain" when the text after the last ':' is a
 * number (the item is then cut there): 0 and the gain; 1 when the token
 * has no gain; -1 when the gain is negative (the token is left as it is). */
static int gain_token(char *tok, double *gain)
{
    char *colon = strrchr(tok, ':');
    double v;
    if (!colon || colon == tok || parse_num(colon + 1, &v) != 0)
        return 1;
    if (v < 0)
        return -1;
    *colon = '\0';
    *gain = v;
    return 0;
}

/* The truth of a ranking row: items with gains, sorted by item, each item
 * once (with the gain of its first occurrence). With with_gains, tokens
 * "item:gain" carry a gain and others gain 1; without, all have gain 1. */
static void truth_gains(const char *s, int with_gains, char **copy, struct gain **out, size_t *n_out)
{
    const char **tok;
    size_t n = tokens(s, copy, &tok, SIZE_MAX), m = 0;
    struct gain *g = prbi_calloc(n ? n : 1, sizeof(*g));
    for (size_t i = 0; i < n; i++) {
        g[i].item = tok[i];
        g[i].gain = 1;
        g[i].pos = i;
        double v;
        if (with_gains && gain_token((char *)tok[i], &v) == 0)
            g[i].gain = v;
    }
    free(tok);
    qsort(g, n, sizeof(*g), gain_cmp_item_pos);
    for (size_t i = 0; i < n; i++)
        if (!m || strcmp(g[m - 1].item, g[i].item))
            g[m++] = g[i];
    *out = g;
    *n_out = m;
}

static struct gain *gain_find(struct gain *g, size_t n, const char *item)
{
    struct gain key = { .item = item };
    return bsearch(&key, g, n, sizeof(*g), gain_cmp_item);
}

/* Average precision at k of one row (Kaggle's apk with the truth as a set). */
static double row_apk(const char *truth, const char *pred, int k)
{
    char *tc, *pc;
    struct gain *g;
    size_t ng;
    const char **p;
    truth_gains(truth, 0, &tc, &g, &ng);
    size_t np = tokens(pred, &pc, &p, (size_t)k);
    double score = 0, hits = 0;
    for (size_t i = 0; i < np; i++) {
        struct gain *x = gain_find(g, ng, p[i]);
        if (x && !x->used) {
            x->used = 1;
            hits += 1;
            score += hits / (double)(i + 1);
        }
    }
    double res = ng ? score / (double)(ng < (size_t)k ? ng : (size_t)k) : 0;
    free(tc);
    free(pc);
    free(g);
    free(p);
    return res;
}

/* NDCG at k of one row: linear gains, log2 discount, each item counted at
 * its first place only; 0 when the ideal DCG is 0. */
static double row_ndcg(const char *truth, const char *pred, int k)
{
    char *tc, *pc;
    struct gain *g;
    size_t ng;
    const char **p;
    truth_gains(truth, 1, &tc, &g, &ng);
    size_t np = tokens(pred, &pc, &p, (size_t)k);
    double dcg = 0, idcg = 0;
    for (size_t i = 0; i < np; i++) {
        struct gain *x = gain_find(g, ng, p[i]);
        if (x && !x->used) {
            x->used = 1;
            dcg += x->gain / log2((double)i + 2);
        }
    }
    double *gs = prbi_calloc(ng ? ng : 1, sizeof(*gs));
    for (size_t i = 0; i < ng; i++)
        gs[i] = g[i].gain;
    qsort(gs, ng, sizeof(*gs), dbl_cmp_desc);
    for (size_t i = 0; i < ng && i < (size_t)k; i++)
        idcg += gs[i] / log2((double)i + 2);
    free(gs);
    free(tc);
    free(pc);
    free(g);
    free(p);
    return idcg > 0 ? dcg / idcg : 0;
}

struct scored {
    double s;
    int pos;
};

static int scored_cmp(const void *a, const void *b)
{
    double x = ((const struct scored *)a)->s, y = ((const struct scored *)b)->s;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* ROC AUC as the Mann-Whitney U statistic with tied scores sharing their
 * average rank; 0.5 when the rows hold only one class. */
static double roc_auc(const struct prb_ai_rows *r)
{
    struct scored *v = prbi_calloc(r->n ? r->n : 1, sizeof(*v));
    double npos = 0, nneg = 0, rank_sum = 0;
    for (size_t i = 0; i < r->n; i++) {
        v[i].s = r->pred_num[i * r->n_cols];
        v[i].pos = !strcmp(r->truth[i], "1");
        if (v[i].pos)
            npos++;
        else
            nneg++;
    }
    qsort(v, r->n, sizeof(*v), scored_cmp);
    for (size_t i = 0; i < r->n;) {
        size_t j = i;
        double pos_here = 0;
        while (j < r->n && v[j].s == v[i].s)
            pos_here += v[j++].pos;
        rank_sum += pos_here * ((double)(i + 1) + (double)j) / 2;   /* ranks i+1..j */
        i = j;
    }
    free(v);
    if (npos == 0 || nneg == 0)
        return 0.5;
    return (rank_sum - npos * (npos + 1) / 2) / (npos * nneg);
}

static double clip(double p)
{
    return p < PRB_AI_EPS ? PRB_AI_EPS : p > 1 - PRB_AI_EPS ? 1 - PRB_AI_EPS : p;
}

int prb_ai_metric_compute(enum prb_ai_metric m, int k, const struct prb_ai_rows *r, double *out,
                          struct err *err)
{
    double sum = 0;
    size_t n = r->n;
    struct strmap classes = { 0 };
    size_t *tp = NULL, *fp = NULL, *fn = NULL;
    int rc = 0;

    *out = 0;
    if (m == PRB_AI_CUSTOM)
        return err_set(err, ERR_UNSUPPORTED, "a custom metric is computed by the problem's scorer");
    if ((m == PRB_AI_MAP_AT_K || m == PRB_AI_NDCG_AT_K) && (k < 1 || k > PRB_AI_MAX_K))
        return err_set(err, ERR_INVALID, "k must be between 1 and %d", PRB_AI_MAX_K);
    if (n == 0)
        return 0;
    switch (m) {
    case PRB_AI_ACCURACY:
    case PRB_AI_F1_MICRO:
        /* Single-label: every miss is one false positive and one false
         * negative, so micro F1 = 2tp / (2tp + 2 misses) = accuracy. */
        for (size_t i = 0; i < n; i++)
            sum += !strcmp(r->truth[i], r->pred[i]);
        *out = sum / (double)n;
        break;
    case PRB_AI_F1_MACRO:
        for (size_t i = 0; i < n; i++) {
            strmap_add(&classes, r->truth[i], NULL);
            strmap_add(&classes, r->pred[i], NULL);
        }
        tp = prbi_calloc(classes.n, sizeof(*tp));
        fp = prbi_calloc(classes.n, sizeof(*fp));
        fn = prbi_calloc(classes.n, sizeof(*fn));
        for (size_t i = 0; i < n; i++) {
            size_t t = strmap_find(&classes, r->truth[i]), p = strmap_find(&classes, r->pred[i]);
            if (t == p) {
                tp[t]++;
            } else {
                fn[t]++;
                fp[p]++;
            }
        }
        for (size_t c = 0; c < classes.n; c++) {
            double d = 2.0 * (double)tp[c] + (double)fp[c] + (double)fn[c];
            sum += d > 0 ? 2.0 * (double)tp[c] / d : 0;
        }
        *out = sum / (double)classes.n;
        break;
    case PRB_AI_ROC_AUC:
        *out = roc_auc(r);
        break;
    case PRB_AI_LOG_LOSS:
        for (size_t i = 0; i < n; i++) {
            const double *p = r->pred_num + i * r->n_cols;
            if (r->n_cols == 1) {
                double q = clip(p[0]);
                /* sklearn: [1-q, q], renormalised */
                double pt = !strcmp(r->truth[i], "1") ? q : 1 - q;
                sum -= log(pt / ((1 - q) + q));
                continue;
            }
            double rs = 0, pt = -1;
            for (size_t c = 0; c < r->n_cols; c++) {
                rs += clip(p[c]);
                if (!strcmp(r->classes[c], r->truth[i]))
                    pt = clip(p[c]);
            }
            if (pt < 0) {
                rc = err_set(err, ERR_INVALID, "row %zu: the truth is not one of the classes", i + 1);
                goto out;
            }
            sum -= log(pt / rs);
        }
        *out = sum / (double)n;
        break;
    case PRB_AI_RMSE:
    case PRB_AI_MAE:
        for (size_t i = 0; i < n; i++) {
            double t;
            if (parse_num(r->truth[i], &t) != 0) {
                rc = err_set(err, ERR_INVALID, "row %zu: the truth is not a finite number", i + 1);
                goto out;
            }
            double d = t - r->pred_num[i * r->n_cols];
            sum += m == PRB_AI_RMSE ? d * d : fabs(d);
        }
        *out = m == PRB_AI_RMSE ? sqrt(sum / (double)n) : sum / (double)n;
        break;
    case PRB_AI_MAP_AT_K:
    case PRB_AI_NDCG_AT_K:
        for (size_t i = 0; i < n; i++)
            sum += m == PRB_AI_MAP_AT_K ? row_apk(r->truth[i], r->pred[i], k)
                                        : row_ndcg(r->truth[i], r->pred[i], k);
        *out = sum / (double)n;
        break;
    case PRB_AI_CUSTOM:
        break;
    }
out:
    strmap_release(&classes);
    free(tp);
    free(fp);
    free(fn);
    return rc;
}

/* ---- collected problems ---- */

struct errs {
    char msg[ERR_MSG_MAX];
    size_t len;
    size_t n;
    int first_is_line;          /* the first problem starts "line N" */
};

static void errs_add(struct errs *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void errs_add(struct errs *e, const char *fmt, ...)
{
    char one[256];
    va_list ap;
    if (++e->n > ERRS_SHOWN)
        return;
    va_start(ap, fmt);
    vsnprintf(one, sizeof(one), fmt, ap);
    va_end(ap);
    if (e->n == 1)
        e->first_is_line = !strncmp(one, "line ", 5);
    int w = snprintf(e->msg + e->len, sizeof(e->msg) - e->len, "%s%s", e->n > 1 ? "; " : "", one);
    if (w > 0)
        e->len += (size_t)w < sizeof(e->msg) - e->len ? (size_t)w : sizeof(e->msg) - e->len - 1;
}

static int errs_finish(const struct errs *e, const char *display, struct err *err)
{
    char more[64] = "";
    if (!e->n)
        return 0;
    if (e->n > ERRS_SHOWN)
        snprintf(more, sizeof(more), "; and %zu more problem%s", e->n - ERRS_SHOWN,
                 e->n - ERRS_SHOWN > 1 ? "s" : "");
    return err_set(err, ERR_INVALID, "%s%s%s%s", display, e->first_is_line ? " " : ": ", e->msg, more);
}

/* ---- the solution ---- */

#define SOLUTION_DISPLAY "ai/solution.csv"

struct sol {
    struct csv t;
    size_t id_col, truth_col;
    unsigned char *pub;         /* per row: 1 when public */
    struct strmap ids;          /* id -> row; keys[i] is row i's id */
    size_t n_public, n_private;
};

static void sol_release(struct sol *s)
{
    csv_release(&s->t);
    free(s->pub);
    strmap_release(&s->ids);
}

static int binary_truth(const struct prb_ai *ai)
{
    return ai->metric == PRB_AI_ROC_AUC || (ai->metric == PRB_AI_LOG_LOSS && ai->prediction_columns.n == 1);
}

static int numeric_prediction(const struct prb_ai *ai)
{
    return ai->metric == PRB_AI_ROC_AUC || ai->metric == PRB_AI_LOG_LOSS || ai->metric == PRB_AI_RMSE ||
           ai->metric == PRB_AI_MAE;
}

/* Whether the truth value v fits the metric; *why says why not (no value). */
static int truth_fits(const struct prb_ai *ai, const char *v, const char **why)
{
    double x;
    if (binary_truth(ai)) {
        *why = "must be 0 or 1";
        return !strcmp(v, "0") || !strcmp(v, "1");
    }
    if (ai->metric == PRB_AI_LOG_LOSS) {
        *why = "is not one of the classes in prediction_columns";
        for (size_t c = 0; c < ai->prediction_columns.n; c++)
            if (!strcmp(ai->prediction_columns.v[c], v))
                return 1;
        return 0;
    }
    if (ai->metric == PRB_AI_RMSE || ai->metric == PRB_AI_MAE) {
        *why = "is not a finite number";
        return parse_num(v, &x) == 0;
    }
    if (ai->metric == PRB_AI_NDCG_AT_K) {
        *why = "has a negative gain";
        char *copy;
        const char **tok;
        size_t n = tokens(v, &copy, &tok, SIZE_MAX);
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++)
            ok = gain_token((char *)tok[i], &x) >= 0;
        free(copy);
        free(tok);
        return ok;
    }
    return 1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The public ids file: one id a line; blank lines and surrounding
 * whitespace are ignored; every id must be in the solution. */
static int sol_public_ids(const struct prb_ai *ai, struct sol *s, struct err *err)
{
    struct buf b;
    struct err e = { 0 };
    const char *display = base_name(ai->public_ids_path);
    int rc = 0;
    buf_init(&b, PRB_AI_MAX_SOLUTION_BYTES);
    if ((rc = buf_read_file(&b, ai->public_ids_path, &e)) < 0) {
        rc = rc == ERR_LIMIT ? err_set(err, ERR_LIMIT, "%s: larger than %llu bytes", display,
                                       (unsigned long long)PRB_AI_MAX_SOLUTION_BYTES)
                             : err_set(err, rc, "cannot read %s", display);
        goto out;
    }
    char *p = b.buf, *end = b.buf + b.len;
    for (unsigned line = 1; p < end; line++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e2 = nl ? nl : end;
        while (p < e2 && is_ws(*p))
            p++;
        char *q = e2;
        while (q > p && is_ws(q[-1]))
            q--;
        if (q > p) {
            *q = '\0';
            size_t r = strmap_find(&s->ids, p);
            char qb[QUOTE_MAX + 8];
            if (memchr(p, '\0', (size_t)(q - p)) || r == SIZE_MAX) {
                rc = err_set(err, ERR_INVALID, "%s line %u: id %s is not in " SOLUTION_DISPLAY, display,
                             line, quote(qb, sizeof(qb), p));
                goto out;
            }
            s->pub[r] = 1;
        }
        p = nl ? nl + 1 : end;
    }
out:
    buf_release(&b);
    return rc;
}

/* Loads and checks ai/solution.csv for a built-in metric. ERR_INVALID (and
 * others) for a bad solution: messages name lines and columns, no values. */
static int sol_load(const struct prb_ai *ai, struct sol *s, struct err *err)
{
    const char *D = SOLUTION_DISPLAY;
    char qb[QUOTE_MAX + 8];
    size_t split_col = SIZE_MAX;
    int rc;

    memset(s, 0, sizeof(*s));
    if ((rc = csv_load(&s->t, ai->solution_path, D, PRB_AI_MAX_SOLUTION_BYTES, sol_too_big, err)) < 0)
        return rc;
    const struct csv *t = &s->t;
    if ((s->id_col = csv_col(t, ai->id_column)) == SIZE_MAX)
        return err_set(err, ERR_INVALID, "%s: column %s is missing", D, quote(qb, sizeof(qb), ai->id_column));
    if (ai->split_column && (split_col = csv_col(t, ai->split_column)) == SIZE_MAX)
        return err_set(err, ERR_INVALID, "%s: column %s is missing", D,
                       quote(qb, sizeof(qb), ai->split_column));
    s->truth_col = SIZE_MAX;
    if (ai->prediction_columns.n == 1) {
        size_t c = csv_col(t, ai->prediction_columns.v[0]);
        if (c != s->id_col && c != split_col)
            s->truth_col = c;
    }
    for (size_t c = 0; c < t->ncols && s->truth_col == SIZE_MAX; c++)
        if (c != s->id_col && c != split_col)
            s->truth_col = c;
    if (s->truth_col == SIZE_MAX)
        return err_set(err, ERR_INVALID, "%s: no truth column (a column besides the id and split columns)", D);
    if (t->nrows == 0)
        return err_set(err, ERR_INVALID, "%s: no rows", D);
    s->pub = prbi_calloc(t->nrows, 1);
    for (size_t r = 0; r < t->nrows; r++) {
        const char *id = csv_at(t, r, s->id_col), *why;
        int added;
        if (!*id)
            return err_set(err, ERR_INVALID, "%s line %u: the id is empty", D, t->line[r]);
        strmap_add(&s->ids, id, &added);
        if (!added)
            return err_set(err, ERR_INVALID, "%s line %u: id %s appears twice", D, t->line[r],
                           quote(qb, sizeof(qb), id));
        if (!truth_fits(ai, csv_at(t, r, s->truth_col), &why))
            return err_set(err, ERR_INVALID, "%s line %u, column %s: the value %s", D, t->line[r],
                           quote(qb, sizeof(qb), csv_head(t, s->truth_col)), why);
        if (split_col != SIZE_MAX) {
            const char *u = csv_at(t, r, split_col);
            if (!strcasecmp(u, "public"))
                s->pub[r] = 1;
            else if (strcasecmp(u, "private") != 0)
                return err_set(err, ERR_INVALID, "%s line %u, column %s: must be public or private", D,
                               t->line[r], quote(qb, sizeof(qb), ai->split_column));
        }
    }
    if (ai->public_ids_path && (rc = sol_public_ids(ai, s, err)) < 0)
        return rc;
    for (size_t r = 0; r < t->nrows; r++)
        s->n_public += s->pub[r];
    s->n_private = t->nrows - s->n_public;
    return 0;
}

int prb_ai_solution_check(const struct prb_ai *ai, size_t *rows_public, size_t *rows_private,
                          struct err *err)
{
    struct sol s;
    if (ai->metric == PRB_AI_CUSTOM)
        return err_set(err, ERR_UNSUPPORTED, "a custom metric's solution is read by its scorer");
    int rc = sol_load(ai, &s, err);
    if (rc == 0) {
        if (rows_public)
            *rows_public = s.n_public;
        if (rows_private)
            *rows_private = s.n_private;
    }
    sol_release(&s);
    return rc;
}

/* ---- scoring a prediction file ---- */

/* Turns an error about the solution into a judge error (not ERR_INVALID,
 * which would blame the contestant), keeping the message. */
static int judge_error(struct err *err)
{
    if (err)
        err->code = ERR_SYSTEM;
    return ERR_SYSTEM;
}

/* The metric on the rows of one part (public or private). */
static int score_part(const struct prb_ai *ai, const struct sol *s, const struct csv *pt,
                      const uint32_t *seen, size_t pred_col, const double *num, int public,
                      double *score, struct err *err)
{
    size_t n = public ? s->n_public : s->n_private, nc = ai->prediction_columns.n, j = 0;
    const char **truth = prbi_calloc(n ? n : 1, sizeof(*truth));
    const char **pred = prbi_calloc(n ? n : 1, sizeof(*pred));
    double *pn = numeric_prediction(ai) ? prbi_calloc(n ? n * nc : 1, sizeof(*pn)) : NULL;
    for (size_t r = 0; r < s->t.nrows; r++) {
        if (s->pub[r] != public)
            continue;
        truth[j] = csv_at(&s->t, r, s->truth_col);
        if (pn)
            memcpy(pn + j * nc, num + r * nc, nc * sizeof(*pn));
        else
            pred[j] = csv_at(pt, seen[r] - 1, pred_col);
        j++;
    }
    struct prb_ai_rows rows = { .n = n, .truth = truth, .pred = pred, .pred_num = pn, .n_cols = nc,
                                .classes = (const char *const *)ai->prediction_columns.v };
    int rc = prb_ai_metric_compute(ai->metric, ai->k, &rows, score, err);
    free(truth);
    free(pred);
    free(pn);
    return rc;
}

int prb_ai_score_file(const struct prb_ai *ai, const char *predictions_path, struct prb_ai_score *out,
                      struct err *err)
{
    const char *D = ai->predictions_file ? ai->predictions_file : "predictions.csv";
    size_t nc = ai->prediction_columns.n, id_c = SIZE_MAX;
    size_t *col = prbi_calloc(nc ? nc : 1, sizeof(*col));   /* prediction column -> CSV column */
    uint32_t *seen = NULL;      /* per solution row: prediction row + 1, or 0 */
    double *num = NULL;         /* per solution row: nc numbers */
    struct errs e = { .len = 0 };
    struct sol s;
    struct csv pt;
    char qb[QUOTE_MAX + 8], qc[QUOTE_MAX + 8];
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&s, 0, sizeof(s));
    memset(&pt, 0, sizeof(pt));
    if (ai->metric == PRB_AI_CUSTOM) {
        rc = err_set(err, ERR_UNSUPPORTED, "a custom metric is computed by the problem's scorer");
        goto out;
    }
    if ((rc = sol_load(ai, &s, err)) < 0) {
        rc = judge_error(err);          /* the package is at fault, not the contestant */
        goto out;
    }
    uint64_t max = ai->max_prediction_bytes ? ai->max_prediction_bytes : PRB_AI_DEFAULT_PREDICTION_BYTES;
    if ((rc = csv_load(&pt, predictions_path, D, max, pred_too_big, err)) < 0)
        goto out;

    /* The header: the id column and each prediction column once, no others. */
    for (size_t j = 0; j < nc; j++)
        col[j] = SIZE_MAX;
    for (size_t c = 0; c < pt.ncols; c++) {
        const char *h = csv_head(&pt, c);
        size_t *slot = NULL;
        if (!strcmp(h, ai->id_column))
            slot = &id_c;
        for (size_t j = 0; j < nc && !slot; j++)
            if (!strcmp(h, ai->prediction_columns.v[j]))
                slot = &col[j];
        if (!slot)
            errs_add(&e, "column %s is not expected", quote(qb, sizeof(qb), h));
        else if (*slot != SIZE_MAX)
            errs_add(&e, "column %s appears twice", quote(qb, sizeof(qb), h));
        else
            *slot = c;
    }
    if (id_c == SIZE_MAX)
        errs_add(&e, "column %s is missing", quote(qb, sizeof(qb), ai->id_column));
    for (size_t j = 0; j < nc; j++)
        if (col[j] == SIZE_MAX)
            errs_add(&e, "column %s is missing", quote(qb, sizeof(qb), ai->prediction_columns.v[j]));
    if (e.n)
        goto report;

    /* The rows: each id of the solution once, values fit for the metric. */
    seen = prbi_calloc(s.t.nrows, sizeof(*seen));
    if (numeric_prediction(ai))
        num = prbi_calloc(s.t.nrows * nc, sizeof(*num));
    for (size_t r = 0; r < pt.nrows; r++) {
        const char *id = csv_at(&pt, r, id_c);
        unsigned line = pt.line[r];
        size_t sr = SIZE_MAX;
        if (!*id) {
            errs_add(&e, "line %u: the id is empty", line);
        } else if ((sr = strmap_find(&s.ids, id)) == SIZE_MAX) {
            errs_add(&e, "line %u: id %s is not in the test set", line, quote(qb, sizeof(qb), id));
        } else if (seen[sr]) {
            errs_add(&e, "line %u: id %s appears twice (first on line %u)", line, quote(qb, sizeof(qb), id),
                     pt.line[seen[sr] - 1]);
            sr = SIZE_MAX;
        } else {
            seen[sr] = (uint32_t)(r + 1);
        }
        if (!num)
            continue;
        for (size_t j = 0; j < nc; j++) {
            const char *v = csv_at(&pt, r, col[j]);
            double x = 0;
            int pr = parse_num(v, &x);
            if (pr < 0)
                errs_add(&e, "line %u, column %s: %s is not a number", line,
                         quote(qc, sizeof(qc), ai->prediction_columns.v[j]), quote(qb, sizeof(qb), v));
            else if (pr > 0)
                errs_add(&e, "line %u, column %s: %s is not a finite number", line,
                         quote(qc, sizeof(qc), ai->prediction_columns.v[j]), quote(qb, sizeof(qb), v));
            else if (ai->metric == PRB_AI_LOG_LOSS && (x < 0 || x > 1))
                errs_add(&e, "line %u, column %s: %s is not a probability between 0 and 1", line,
                         quote(qc, sizeof(qc), ai->prediction_columns.v[j]), quote(qb, sizeof(qb), v));
            else if (sr != SIZE_MAX)
                num[sr * nc + j] = x;
        }
    }
    size_t missing = 0, first = SIZE_MAX;
    for (size_t r = 0; r < s.t.nrows; r++)
        if (!seen[r] && missing++ == 0)
            first = r;
    if (missing)
        errs_add(&e, "missing predictions for %zu id%s (first: %s)", missing, missing > 1 ? "s" : "",
                 quote(qb, sizeof(qb), s.ids.keys[first]));
report:
    if ((rc = errs_finish(&e, D, err)) < 0)
        goto out;

    out->rows_public = s.n_public;
    out->rows_private = s.n_private;
    if ((rc = score_part(ai, &s, &pt, seen, col[0], num, 1, &out->public_score, err)) < 0 ||
        (rc = score_part(ai, &s, &pt, seen, col[0], num, 0, &out->private_score, err)) < 0) {
        rc = judge_error(err);
        goto out;
    }
out:
    free(col);
    free(seen);
    free(num);
    csv_release(&pt);
    sol_release(&s);
    return rc;
}
