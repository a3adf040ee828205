/*
 * testdata.c: builds the tree of test data groups and test cases under
 * data/, with testdata.yaml (legacy) or test_group.yaml and per-case .yaml
 * (2023-07+) resolved through inheritance.
 *
 * How the tree is shaped:
 *  - legacy: every directory is a group; cases and subgroups of a directory
 *    are ordered together by base name; each testdata.yaml key is inherited
 *    from the nearest ancestor that sets it (data/testdata.yaml included).
 *  - 2023-07-draft: every directory directly under secret/ is a test data
 *    group; 2025-09: those with a test_group.yaml are (and then all must be).
 *    Deeper directories are plain folders whose cases belong to the group,
 *    ordered by their full name. sample/ never has groups. The argument keys
 *    (args, *_validator_args, *_visualizer_args, full_feedback) pass from
 *    secret/ to its groups and to each case, whose own .yaml has the last
 *    word; the scoring keys (max_score, score_aggregation, require_pass)
 *    belong to the one group that sets them.
 */
#include "problems_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SCANNED_ENTRIES ((size_t)PRB_MAX_TESTCASES * 16)

/* Settings passed down the tree. */
struct cfg {
    struct prb_strv args;
    struct prb_strv ova;                  /* output validator args / flags */
    struct prb_strv ivis;
    struct prb_strv ovis;
    struct prb_named_args *iva;
    size_t n_iva;
    int full_feedback;
    /* legacy testdata.yaml */
    int on_reject_continue;
    int custom_grading;
    struct prb_strv grader_flags;
    double accept_score, reject_score, range_min, range_max;
};

struct entry {
    char *name;
    int is_dir;
};

struct listing {
    struct entry *v;
    size_t n;
};

struct tdl {
    struct prbi_load *ld;
    struct prb_problem *p;
    struct err *err;
    size_t scanned;
    int legacy;
    int scoring;
};

/* ---- small helpers ---- */

static void named_args_release(struct prb_named_args *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        prbi_strv_release(&v[i].args);
    }
    free(v);
}

static void named_args_copy(struct prb_named_args **dst, size_t *dn,
                            const struct prb_named_args *src, size_t sn)
{
    named_args_release(*dst, *dn);
    *dst = NULL;
    *dn = 0;
    if (!sn)
        return;
    *dst = prbi_calloc(sn, sizeof(**dst));
    for (size_t i = 0; i < sn; i++) {
        (*dst)[i].name = src[i].name ? prbi_strdup(src[i].name) : NULL;
        prbi_strv_copy(&(*dst)[i].args, &src[i].args);
    }
    *dn = sn;
}

static void cfg_release(struct cfg *c)
{
    prbi_strv_release(&c->args);
    prbi_strv_release(&c->ova);
    prbi_strv_release(&c->ivis);
    prbi_strv_release(&c->ovis);
    prbi_strv_release(&c->grader_flags);
    named_args_release(c->iva, c->n_iva);
    c->iva = NULL;
    c->n_iva = 0;
}

static void cfg_copy(struct cfg *dst, const struct cfg *src)
{
    memset(dst, 0, sizeof(*dst));
    prbi_strv_copy(&dst->args, &src->args);
    prbi_strv_copy(&dst->ova, &src->ova);
    prbi_strv_copy(&dst->ivis, &src->ivis);
    prbi_strv_copy(&dst->ovis, &src->ovis);
    prbi_strv_copy(&dst->grader_flags, &src->grader_flags);
    named_args_copy(&dst->iva, &dst->n_iva, src->iva, src->n_iva);
    dst->full_feedback = src->full_feedback;
    dst->on_reject_continue = src->on_reject_continue;
    dst->custom_grading = src->custom_grading;
    dst->accept_score = src->accept_score;
    dst->reject_score = src->reject_score;
    dst->range_min = src->range_min;
    dst->range_max = src->range_max;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Files the spec says to treat as absent: names starting with '.' or '-',
 * or with characters outside [A-Za-z0-9_.-]. */
static int ignored_name(const char *s)
{
    if (s[0] == '.' || s[0] == '-')
        return 1;
    for (const char *c = s; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.' || *c == '-'))
            return 1;
    }
    return strlen(s) > PRB_NAME_MAX;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void listing_release(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* -1 when absent, else 1 for a directory and 0 for a file. */
static int listing_kind(const struct listing *l, const char *name)
{
    struct entry key = { .name = (char *)name, .is_dir = 0 };
    if (!l->n)
        return -1;
    const struct entry *e = bsearch(&key, l->v, l->n, sizeof(*l->v), entry_cmp);
    return e ? e->is_dir : -1;
}

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
{
    struct buf b;
    va_list ap;
    buf_init(&b, 0);
    va_start(ap, fmt);
    if (buf_vaddf(&b, fmt, ap) < 0)
        abort();
    va_end(ap);
    return buf_detach(&b, NULL);
}

/* Lists a directory of the package, sorted, without ignored names. Symlinks
 * must stay inside the package; anything but files and directories is an
 * error. */
static int listing_read(struct tdl *t, const char *full, const char *rel, struct listing *out)
{
    int rc = 0;
    DIR *d = opendir(full);
    out->v = NULL;
    out->n = 0;
    if (!d)
        return err_sys(t->err, "cannot open '%s'", rel);
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (ignored_name(de->d_name))
            continue;
        if (++t->scanned > MAX_SCANNED_ENTRIES) {
            rc = err_set(t->err, ERR_LIMIT, "%s: more than %zu files under data/", rel,
                         MAX_SCANNED_ENTRIES);
            goto out;
        }
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            rc = err_sys(t->err, "cannot stat '%s/%s'", rel, de->d_name);
            goto out;
        }
        if (S_ISLNK(st.st_mode)) {
            char *f = prbi_path_join(full, de->d_name);
            char *r = prbi_path_join(rel, de->d_name);
            rc = prbi_check_inside(t->ld, f, r);
            if (rc == 0 && stat(f, &st) < 0)
                rc = err_sys(t->err, "cannot stat '%s'", r);
            free(f);
            free(r);
            if (rc < 0)
                goto out;
        }
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
            rc = err_set(t->err, ERR_INVALID, "'%s/%s': not a regular file or directory", rel,
                         de->d_name);
            goto out;
        }
        out->v = prbi_realloc_array(out->v, out->n + 1, sizeof(*out->v));
        out->v[out->n].name = prbi_strdup(de->d_name);
        out->v[out->n].is_dir = S_ISDIR(st.st_mode);
        out->n++;
        errno = 0;
    }
    if (errno) {
        rc = err_sys(t->err, "cannot read '%s'", rel);
        goto out;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), entry_cmp);
out:
    closedir(d);
    if (rc < 0)
        listing_release(out);
    return rc;
}

/* A `.files` folder is copied into the submission's working directory, so
 * everything in it, whatever its name, must be a file or folder that stays
 * inside the package. */
static int check_files_tree(struct tdl *t, const char *full, const char *rel, int depth)
{
    int rc = 0;
    if (depth > PRB_DEPTH_MAX)
        return err_set(t->err, ERR_LIMIT, "%s: nested deeper than %d", rel, PRB_DEPTH_MAX);
    DIR *d = opendir(full);
    if (!d)
        return err_sys(t->err, "cannot open '%s'", rel);
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (++t->scanned > MAX_SCANNED_ENTRIES) {
            rc = err_set(t->err, ERR_LIMIT, "%s: more than %zu files under data/", rel,
                         MAX_SCANNED_ENTRIES);
            break;
        }
        char *f = prbi_path_join(full, de->d_name), *r = prbi_path_join(rel, de->d_name);
        struct stat st;
        if (lstat(f, &st) < 0)
            rc = err_sys(t->err, "cannot stat '%s'", r);
        else if (S_ISLNK(st.st_mode))
            rc = prbi_check_inside(t->ld, f, r);
        else if (S_ISDIR(st.st_mode))
            rc = check_files_tree(t, f, r, depth + 1);
        else if (!S_ISREG(st.st_mode))
            rc = err_set(t->err, ERR_INVALID, "'%s': not a regular file or directory", r);
        free(f);
        free(r);
    }
    closedir(d);
    return rc;
}

/* ---- groups and cases ---- */

static struct prb_group *group_new(struct tdl *t, struct prb_group *parent, const char *name,
                                   const char *dir)
{
    struct prb_group *g = prbi_calloc(1, sizeof(*g));
    g->name = prbi_strdup(name);
    g->dir = prbi_strdup(dir);
    g->parent = parent;
    g->aggregation = PRB_AGG_PASS_FAIL;
    g->max_score = INFINITY;
    g->verdict_mode = PRB_VMODE_WORST_ERROR;
    g->legacy_aggregation = PRB_AGG_SUM;
    g->accept_score = 1;
    g->reject_score = 0;
    g->range_min = -INFINITY;
    g->range_max = INFINITY;
    (void)t;
    return g;
}

static void group_add_item(struct prb_group *g, struct prb_group *sub, struct prb_testcase *tc)
{
    g->items = prbi_realloc_array(g->items, g->n_items + 1, sizeof(*g->items));
    g->items[g->n_items].group = sub;
    g->items[g->n_items].tc = tc;
    g->n_items++;
}

static void testcase_free(struct prb_testcase *tc)
{
    if (!tc)
        return;
    free(tc->name);
    free(tc->in_path);
    free(tc->ans_path);
    free(tc->files_dir);
    free(tc->interaction_path);
    free(tc->out_path);
    prbi_strv_release(&tc->args);
    prbi_strv_release(&tc->output_validator_args);
    named_args_release(tc->input_validator_args, tc->n_input_validator_args);
    prbi_strv_release(&tc->input_visualizer_args);
    prbi_strv_release(&tc->output_visualizer_args);
    free(tc->hint);
    free(tc->description);
    free(tc);
}

void prbi_group_free(struct prb_group *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n_items; i++) {
        prbi_group_free(g->items[i].group);
        testcase_free(g->items[i].tc);
    }
    free(g->items);
    free(g->name);
    free(g->dir);
    free(g->require_pass);
    prbi_strv_release(&g->grader_flags);
    free(g);
}

/* ---- YAML pieces ---- */

/* input_validator_args: a sequence, or a map of validator name -> sequence. */
static int parse_iva(const struct prb_yctx *c, const struct prb_ynode *v, struct cfg *cfg)
{
    struct prb_named_args *na = NULL;
    size_t nn = 0;
    int rc = 0;
    if (v && v->kind == PRB_Y_MAP) {
        if (v->n / 2 > PRB_MAX_ARGS)
            return prb_yerr(c, v, "'input_validator_args' has too many validators");
        na = prbi_calloc(v->n / 2 + 1, sizeof(*na));
        for (size_t i = 0; i + 1 < v->n; i += 2) {
            na[nn].name = prbi_strdup(v->kids[i]->str);
            nn++;
            if ((rc = prb_y_strseq(c, v->kids[i + 1], "input_validator_args",
                                    &na[nn - 1].args)) < 0)
                goto out;
        }
    } else {
        na = prbi_calloc(1, sizeof(*na));
        nn = 1;
        if ((rc = prb_y_strseq(c, v, "input_validator_args", &na[0].args)) < 0)
            goto out;
    }
    named_args_release(cfg->iva, cfg->n_iva);
    cfg->iva = na;
    cfg->n_iva = nn;
    na = NULL;
    nn = 0;
out:
    named_args_release(na, nn);
    return rc;
}

/* Legacy "String or map with the keys name and flags". */
static int parse_legacy_flags(const struct prb_yctx *c, const struct prb_ynode *v,
                              const char *key, char **name, struct prb_strv *flags)
{
    const struct prb_ynode *fl = v;
    *name = NULL;
    if (v && v->kind == PRB_Y_MAP) {
        fl = NULL;
        for (size_t i = 0; i + 1 < v->n; i += 2) {
            const char *k = v->kids[i]->str;
            if (strcmp(k, "name") == 0) {
                if (prb_y_string(c, v->kids[i + 1], "name", name) < 0)
                    return ERR_INVALID;
            } else if (strcmp(k, "flags") == 0) {
                fl = v->kids[i + 1];
            } else {
                free(*name);
                *name = NULL;
                return prb_yerr(c, v->kids[i], "unknown key '%.64s' in '%s'", k, key);
            }
        }
        if (!*name)
            return prb_yerr(c, v, "'%s' map needs 'name'", key);
    }
    prbi_strv_release(flags);
    if (!fl || prb_y_is_null(fl))
        return 0;
    if (fl->kind != PRB_Y_SCALAR) {
        free(*name);
        *name = NULL;
        return prb_yerr(c, fl, "'%s' flags must be a string", key);
    }
    if (prbi_strv_split(flags, fl->str) < 0) {
        free(*name);
        *name = NULL;
        return prb_yerr(c, fl, "'%s' has more than %d words", key, PRB_MAX_ARGS);
    }
    return 0;
}

/* "A B" with floats or inf, -inf, +inf. */
static int parse_range_word(const char *s, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (!strcmp(tmp, "inf") || !strcmp(tmp, "+inf")) {
        *out = INFINITY;
        return 0;
    }
    if (!strcmp(tmp, "-inf")) {
        *out = -INFINITY;
        return 0;
    }
    const char *p = tmp;
    if (*p == '+' || *p == '-')
        p++;
    if (!((*p >= '0' && *p <= '9') || *p == '.'))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_range(const struct prb_yctx *c, const struct prb_ynode *v, double *lo,
                       double *hi)
{
    if (!v || v->kind != PRB_Y_SCALAR)
        return prb_yerr(c, v, "'range' must be two numbers separated by a space");
    const char *s = v->str;
    while (*s == ' ')
        s++;
    const char *sp = strchr(s, ' ');
    if (!sp)
        return prb_yerr(c, v, "'range' must be two numbers separated by a space");
    const char *s2 = sp;
    while (*s2 == ' ')
        s2++;
    size_t l2 = strlen(s2);
    while (l2 && s2[l2 - 1] == ' ')
        l2--;
    if (parse_range_word(s, (size_t)(sp - s), lo) < 0 || parse_range_word(s2, l2, hi) < 0 ||
        memchr(s2, ' ', l2))
        return prb_yerr(c, v, "'range' must be two numbers separated by a space");
    if (*lo > *hi)
        return prb_yerr(c, v, "'range' must not start above its end");
    return 0;
}

static const char *const legacy_grader_words[] = {
    "worst_error", "first_error", "always_accept", "sum", "avg", "min", "max",
    "ignore_sample", "accept_if_any_accepted", NULL,
};

/* Legacy testdata.yaml: every key is inherited, so it updates cfg in place. */
static int parse_testdata_yaml(struct tdl *t, const struct prb_ynode *root, const char *rel,
                               struct cfg *cfg)
{
    struct prb_yctx c = { .file = rel, .err = t->err };
    if (prb_y_expect_map(&c, root, "testdata.yaml") < 0)
        return ERR_INVALID;
    for (size_t i = 0; root && root->kind == PRB_Y_MAP && i + 1 < root->n; i += 2) {
        const struct prb_ynode *kn = root->kids[i], *v = root->kids[i + 1];
        const char *k = kn->str;
        char *s = NULL;
        int rc = 0;
        if (!strcmp(k, "on_reject")) {
            if ((rc = prb_y_string(&c, v, k, &s)) == 0) {
                if (!strcmp(s, "break") || !strcmp(s, "continue"))
                    cfg->on_reject_continue = !strcmp(s, "continue");
                else
                    rc = prb_yerr(&c, v, "'on_reject' must be 'break' or 'continue'");
            }
        } else if (!strcmp(k, "grading")) {
            if ((rc = prb_y_string(&c, v, k, &s)) == 0) {
                if (!strcmp(s, "default") || !strcmp(s, "custom"))
                    cfg->custom_grading = !strcmp(s, "custom");
                else
                    rc = prb_yerr(&c, v, "'grading' must be 'default' or 'custom'");
            }
        } else if (!strcmp(k, "grader_flags")) {
            prbi_strv_release(&cfg->grader_flags);
            if (!prb_y_is_null(v)) {
                if (v->kind != PRB_Y_SCALAR)
                    rc = prb_yerr(&c, v, "'grader_flags' must be a string");
                else if (prbi_strv_split(&cfg->grader_flags, v->str) < 0)
                    rc = prb_yerr(&c, v, "'grader_flags' has too many words");
            }
        } else if (!strcmp(k, "input_validator_flags")) {
            struct prb_strv fl = { 0 };
            if ((rc = parse_legacy_flags(&c, v, k, &s, &fl)) == 0) {
                named_args_release(cfg->iva, cfg->n_iva);
                cfg->iva = prbi_calloc(1, sizeof(*cfg->iva));
                cfg->n_iva = 1;
                cfg->iva[0].name = s;
                cfg->iva[0].args = fl;
                s = NULL;
            } else {
                prbi_strv_release(&fl);
            }
        } else if (!strcmp(k, "output_validator_flags")) {
            /* A map names one of several output validators; the flags are
             * what the judge needs, so the name is checked and dropped. */
            rc = parse_legacy_flags(&c, v, k, &s, &cfg->ova);
        } else if (!strcmp(k, "accept_score") || !strcmp(k, "reject_score") ||
                   !strcmp(k, "range")) {
            if (!t->scoring)
                rc = prb_yerr(&c, kn, "'%s' is only allowed for scoring problems", k);
            else if (!strcmp(k, "range"))
                rc = parse_range(&c, v, &cfg->range_min, &cfg->range_max);
            else
                rc = prb_y_float(&c, v, k, k[0] == 'a' ? &cfg->accept_score : &cfg->reject_score);
        } else {
            rc = prb_yerr(&c, kn, "unknown key '%.64s'", k);
        }
        free(s);
        if (rc < 0)
            return rc;
    }
    if (!cfg->custom_grading) {
        for (size_t i = 0; i < cfg->grader_flags.n; i++) {
            size_t w = 0;
            while (legacy_grader_words[w] && strcmp(legacy_grader_words[w], cfg->grader_flags.v[i]))
                w++;
            if (!legacy_grader_words[w])
                return prb_yerr(&c, NULL, "unknown grader flag '%.64s'", cfg->grader_flags.v[i]);
        }
    }
    return 0;
}

/* The argument keys shared by test_group.yaml and a test case's .yaml. */
static int parse_arg_key(const struct prb_yctx *c, const char *k, const struct prb_ynode *v,
                         struct cfg *cfg, int *handled)
{
    *handled = 1;
    if (!strcmp(k, "args"))
        return prb_y_strseq(c, v, k, &cfg->args);
    if (!strcmp(k, "output_validator_args"))
        return prb_y_strseq(c, v, k, &cfg->ova);
    if (!strcmp(k, "input_visualizer_args"))
        return prb_y_strseq(c, v, k, &cfg->ivis);
    if (!strcmp(k, "output_visualizer_args"))
        return prb_y_strseq(c, v, k, &cfg->ovis);
    if (!strcmp(k, "input_validator_args"))
        return parse_iva(c, v, cfg);
    if (!strcmp(k, "full_feedback"))
        return prb_y_bool(c, v, k, &cfg->full_feedback);
    *handled = 0;
    return 0;
}

/* Names from require_pass, resolved once every group exists. */
struct pending_req {
    struct prb_group *g;
    struct prb_strv names;
    char *file;
    unsigned line;
};

struct reqs {
    struct pending_req *v;
    size_t n;
};

/* 2023-07+ test_group.yaml for sample, secret or a test data group. */
static int parse_test_group_yaml(struct tdl *t, const struct prb_ynode *root, const char *rel,
                                 struct prb_group *g, struct cfg *cfg, int is_sample,
                                 struct reqs *reqs)
{
    struct prb_yctx c = { .file = rel, .err = t->err };
    if (prb_y_expect_map(&c, root, "test_group.yaml") < 0)
        return ERR_INVALID;
    for (size_t i = 0; root && root->kind == PRB_Y_MAP && i + 1 < root->n; i += 2) {
        const struct prb_ynode *kn = root->kids[i], *v = root->kids[i + 1];
        const char *k = kn->str;
        int handled, rc;
        if ((rc = parse_arg_key(&c, k, v, cfg, &handled)) < 0)
            return rc;
        if (handled)
            continue;
        int scoring_key = !strcmp(k, "max_score") || !strcmp(k, "score_aggregation") ||
                          !strcmp(k, "require_pass");
        if (scoring_key && is_sample)
            return prb_yerr(&c, kn, "'%s' is not permitted in sample", k);
        if (scoring_key && !t->scoring)
            return prb_yerr(&c, kn, "'%s' is not permitted in pass-fail problems", k);
        if (!strcmp(k, "max_score")) {
            int64_t ms;
            if (v && v->kind == PRB_Y_SCALAR && !strcmp(v->str, "unbounded")) {
                g->max_score = INFINITY;
            } else {
                if ((rc = prb_y_int(&c, v, k, 0, PRB_LIMIT_VALUE_MAX, &ms)) < 0)
                    return rc;
                g->max_score = (double)ms;
            }
        } else if (!strcmp(k, "score_aggregation")) {
            const char *s = v && v->kind == PRB_Y_SCALAR ? v->str : "";
            if (!strcmp(s, "pass-fail"))
                g->aggregation = PRB_AGG_PASS_FAIL;
            else if (!strcmp(s, "sum"))
                g->aggregation = PRB_AGG_SUM;
            else if (!strcmp(s, "min"))
                g->aggregation = PRB_AGG_MIN;
            else
                return prb_yerr(&c, v, "'score_aggregation' must be pass-fail, sum or min");
        } else if (!strcmp(k, "require_pass")) {
            struct pending_req pr = { .g = g, .names = { 0 }, .file = NULL, .line = kn->line };
            if (v && v->kind == PRB_Y_SEQ && v->n == 0)
                continue;
            if ((rc = prb_y_str_or_seq(&c, v, k, &pr.names)) < 0)
                return rc;
            pr.file = prbi_strdup(rel);
            reqs->v = prbi_realloc_array(reqs->v, reqs->n + 1, sizeof(*reqs->v));
            reqs->v[reqs->n++] = pr;
        } else if (!strcmp(k, "static_validation_score")) {
            int64_t s;
            if (v && v->kind == PRB_Y_SCALAR && !strcmp(v->str, "pass-fail")) {
                g->static_validation_score = -1;
            } else {
                if ((rc = prb_y_int(&c, v, k, 0, PRB_LIMIT_VALUE_MAX, &s)) < 0)
                    return rc;
                g->static_validation_score = (double)s;
            }
            g->has_static_validation_score = 1;
        } else if (!strcmp(k, "static_validator_args")) {
            /* Static validation is not run by Crucible yet; the key is checked. */
            struct prb_strv tmp = { 0 };
            rc = prb_y_strseq(&c, v, k, &tmp);
            prbi_strv_release(&tmp);
            if (rc < 0)
                return rc;
        } else {
            return prb_yerr(&c, kn, "unknown key '%.64s'", k);
        }
    }
    return 0;
}

static int parse_case_yaml(struct tdl *t, const struct prb_ynode *root, const char *rel,
                           struct cfg *cfg, struct prb_testcase *tc)
{
    struct prb_yctx c = { .file = rel, .err = t->err };
    if (prb_y_expect_map(&c, root, "a test case .yaml") < 0)
        return ERR_INVALID;
    for (size_t i = 0; root && root->kind == PRB_Y_MAP && i + 1 < root->n; i += 2) {
        const struct prb_ynode *kn = root->kids[i], *v = root->kids[i + 1];
        const char *k = kn->str;
        int handled, rc;
        if ((rc = parse_arg_key(&c, k, v, cfg, &handled)) < 0)
            return rc;
        if (handled)
            continue;
        if (!strcmp(k, "hint"))
            rc = prb_y_string(&c, v, k, &tc->hint);
        else if (!strcmp(k, "description"))
            rc = prb_y_string(&c, v, k, &tc->description);
        else
            rc = prb_yerr(&c, kn, "unknown key '%.64s'", k);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Loads an optional YAML file of the package; *root stays NULL if absent. */
static int load_yaml(struct tdl *t, const char *full, const char *rel, struct prb_ynode **root)
{
    *root = NULL;
    int rc = prbi_check_inside(t->ld, full, rel);
    if (rc < 0)
        return rc;
    return prb_yaml_load_file(full, rel, root, t->err);
}

/* ---- building ---- */

/* Makes the test case `base` of a directory; name is its path under data/. */
static int make_case(struct tdl *t, const char *full, const char *rel, const char *name,
                     const char *base, const struct listing *l, const struct cfg *cfg,
                     struct prb_group *g, struct prb_testcase **out)
{
    struct prb_testcase *tc = prbi_calloc(1, sizeof(*tc));
    struct cfg own;
    struct prb_ynode *y = NULL;
    char *fname = NULL, *full_f = NULL, *rel_f = NULL;
    int rc = 0;

    cfg_copy(&own, cfg);
    *out = NULL;
    if (t->p->n_cases >= PRB_MAX_TESTCASES) {
        rc = err_set(t->err, ERR_LIMIT, "%s: more than %d test cases", rel, PRB_MAX_TESTCASES);
        goto out;
    }
    t->p->n_cases++;   /* counted here; the flat array is built at the end */
    tc->name = prbi_strdup(name);
    tc->group = g;

#define CASE_FILE(ext) (free(fname), free(full_f), free(rel_f), fname = strf("%s%s", base, ext), \
                        full_f = prbi_path_join(full, fname), rel_f = prbi_path_join(rel, fname))
    CASE_FILE(".in");
    if ((rc = prbi_check_inside(t->ld, full_f, rel_f)) < 0)
        goto out;
    tc->in_path = prbi_strdup(full_f);
    CASE_FILE(".ans");
    if (listing_kind(l, fname) != 0) {
        rc = err_set(t->err, ERR_INVALID, "'%s': missing (test case '%s' has an .in file)", rel_f,
                     name);
        goto out;
    }
    if ((rc = prbi_check_inside(t->ld, full_f, rel_f)) < 0)
        goto out;
    tc->ans_path = prbi_strdup(full_f);
    CASE_FILE(".interaction");
    if (listing_kind(l, fname) == 0)
        tc->interaction_path = prbi_strdup(full_f);
    CASE_FILE(".out");
    if (listing_kind(l, fname) == 0)
        tc->out_path = prbi_strdup(full_f);
    if (!t->legacy) {
        CASE_FILE(".files");
        if (listing_kind(l, fname) == 1) {
            if ((rc = prbi_check_inside(t->ld, full_f, rel_f)) < 0 ||
                (rc = check_files_tree(t, full_f, rel_f, 0)) < 0)
                goto out;
            tc->files_dir = prbi_strdup(full_f);
        }
        CASE_FILE(".yaml");
        if (listing_kind(l, fname) == 0) {
            if ((rc = load_yaml(t, full_f, rel_f, &y)) < 0 ||
                (rc = parse_case_yaml(t, y, rel_f, &own, tc)) < 0)
                goto out;
        }
    }
#undef CASE_FILE

    prbi_strv_copy(&tc->args, &own.args);
    if (t->legacy)
        prbi_strv_copy(&tc->output_validator_args, &t->p->validator_flags);
    prbi_strv_copy(&tc->output_validator_args, &own.ova);
    named_args_copy(&tc->input_validator_args, &tc->n_input_validator_args, own.iva, own.n_iva);
    prbi_strv_copy(&tc->input_visualizer_args, &own.ivis);
    prbi_strv_copy(&tc->output_visualizer_args, &own.ovis);
    tc->full_feedback = own.full_feedback;
    *out = tc;
    tc = NULL;
out:
    prb_yaml_free(y);
    cfg_release(&own);
    free(fname);
    free(full_f);
    free(rel_f);
    testcase_free(tc);
    return rc;
}

/* 2023-07+: files of a test case other than .in whose .in is missing. */
static int check_orphans(struct tdl *t, const struct listing *l, const char *rel)
{
    static const char *const exts[] = { ".ans", ".yaml", ".files", ".out", NULL };
    for (size_t i = 0; i < l->n; i++) {
        const char *n = l->v[i].name;
        if (!strcmp(n, "test_group.yaml") || !strcmp(n, "testdata.yaml"))
            continue;
        for (size_t e = 0; exts[e]; e++) {
            if (!ends_with(n, exts[e]) || strlen(n) == strlen(exts[e]))
                continue;
            if (t->legacy && e != 0)
                continue;
            char *in = strf("%.*s.in", (int)(strlen(n) - strlen(exts[e])), n);
            int k = listing_kind(l, in);
            free(in);
            if (k != 0)
                return err_set(t->err, ERR_INVALID, "'%s/%s': no matching .in file", rel, n);
        }
    }
    return 0;
}

static int case_name_cmp(const void *a, const void *b)
{
    const struct prb_testcase *x = *(const struct prb_testcase *const *)a;
    const struct prb_testcase *y = *(const struct prb_testcase *const *)b;
    return strcmp(x->name, y->name);
}

struct casevec {
    struct prb_testcase **v;
    size_t n;
};

/* 2023-07+: collects the cases of a directory and of its plain
 * subdirectories (which must not hold test_group.yaml). */
static int collect_cases(struct tdl *t, const char *full, const char *rel, const char *name,
                         const struct cfg *cfg, struct prb_group *g, int depth,
                         struct casevec *out)
{
    struct listing l = { 0 };
    int rc;
    if (depth > PRB_DEPTH_MAX)
        return err_set(t->err, ERR_LIMIT, "%s: nested deeper than %d", rel, PRB_DEPTH_MAX);
    if ((rc = listing_read(t, full, rel, &l)) < 0)
        return rc;
    if ((rc = check_orphans(t, &l, rel)) < 0)
        goto out;
    for (size_t i = 0; i < l.n; i++) {
        const char *n = l.v[i].name;
        if (depth > 0 && !strcmp(n, "test_group.yaml")) {
            rc = err_set(t->err, ERR_INVALID, "'%s/%s': test data groups cannot be nested here",
                         rel, n);
            goto out;
        }
        if (l.v[i].is_dir) {
            if (ends_with(n, ".files"))
                continue;   /* checked by check_orphans and make_case */
            char *in = strf("%s.in", n);
            int clash = listing_kind(&l, in) == 0;
            free(in);
            if (clash) {
                rc = err_set(t->err, ERR_INVALID,
                             "'%s/%s': a directory must not share its name with a test case", rel,
                             n);
                goto out;
            }
            char *f = prbi_path_join(full, n), *r = prbi_path_join(rel, n);
            char *nm = prbi_path_join(name, n);
            rc = collect_cases(t, f, r, nm, cfg, g, depth + 1, out);
            free(f);
            free(r);
            free(nm);
            if (rc < 0)
                goto out;
        } else if (ends_with(n, ".in") && strlen(n) > 3) {
            char *base = prbi_strndup(n, strlen(n) - 3);
            char *nm = prbi_path_join(name, base);
            struct prb_testcase *tc;
            rc = make_case(t, full, rel, nm, base, &l, cfg, g, &tc);
            free(base);
            free(nm);
            if (rc < 0)
                goto out;
            out->v = prbi_realloc_array(out->v, out->n + 1, sizeof(*out->v));
            out->v[out->n++] = tc;
        }
    }
out:
    listing_release(&l);
    return rc;
}

static void casevec_release(struct casevec *cv)
{
    for (size_t i = 0; i < cv->n; i++)
        testcase_free(cv->v[i]);
    free(cv->v);
    cv->v = NULL;
    cv->n = 0;
}

/* 2023-07+: fills g (sample, secret or a test data group) with its cases,
 * sorted by name. */
static int fill_flat_group(struct tdl *t, struct prb_group *g, const char *rel,
                           const struct cfg *cfg)
{
    struct casevec cv = { 0 };
    int rc = collect_cases(t, g->dir, rel, g->name, cfg, g, 0, &cv);
    if (rc < 0) {
        casevec_release(&cv);
        return rc;
    }
    if (cv.n)
        qsort(cv.v, cv.n, sizeof(*cv.v), case_name_cmp);
    for (size_t i = 0; i < cv.n; i++)
        group_add_item(g, NULL, cv.v[i]);
    free(cv.v);
    return 0;
}

static int check_group_count(struct tdl *t, const char *rel)
{
    if (++t->p->n_groups > PRB_MAX_GROUPS)
        return err_set(t->err, ERR_LIMIT, "%s: more than %d test data groups", rel,
                       PRB_MAX_GROUPS);
    return 0;
}

/* 2023-07+: sample or secret with its test data groups. */
static int build_top_new(struct tdl *t, struct prb_group *g, const char *rel,
                         const struct cfg *parent_cfg, int is_sample, struct reqs *reqs)
{
    struct cfg cfg;
    struct listing l = { 0 };
    struct prb_ynode *y = NULL;
    char *yf = prbi_path_join(g->dir, "test_group.yaml");
    char *yr = prbi_path_join(rel, "test_group.yaml");
    int rc;

    cfg_copy(&cfg, parent_cfg);
    cfg.full_feedback = is_sample;
    if (!is_sample) {
        g->aggregation = PRB_AGG_SUM;
        g->max_score = 100;
    }
    if ((rc = listing_read(t, g->dir, rel, &l)) < 0)
        goto out;
    if (listing_kind(&l, "test_group.yaml") == 0) {
        if ((rc = load_yaml(t, yf, yr, &y)) < 0 ||
            (rc = parse_test_group_yaml(t, y, yr, g, &cfg, is_sample, reqs)) < 0)
            goto out;
    }
    /* Which subdirectories of secret/ are test data groups. */
    size_t ngroups = 0, nplain = 0, nin = 0;
    for (size_t i = 0; i < l.n; i++) {
        const char *n = l.v[i].name;
        if (!l.v[i].is_dir) {
            nin += ends_with(n, ".in") && strlen(n) > 3;
            continue;
        }
        if (ends_with(n, ".files"))
            continue;
        char *tg = strf("%s/%s/test_group.yaml", g->dir, n);
        struct stat st;
        int has_tg = stat(tg, &st) == 0;
        free(tg);
        if (t->p->format == PRB_FORMAT_2023_07_DRAFT || has_tg)
            ngroups++;
        else
            nplain++;
    }
    if (is_sample || ngroups == 0) {
        rc = fill_flat_group(t, g, rel, &cfg);
        goto out;
    }
    if (nin) {
        rc = err_set(t->err, ERR_INVALID,
                     "%s: has both test data groups and test cases (.in files)", rel);
        goto out;
    }
    if (nplain) {
        rc = err_set(t->err, ERR_INVALID,
                     "%s: every subdirectory must be a test data group (with test_group.yaml) "
                     "once one is", rel);
        goto out;
    }
    for (size_t i = 0; i < l.n; i++) {
        const char *n = l.v[i].name;
        if (!l.v[i].is_dir || ends_with(n, ".files"))
            continue;
        char *dir = prbi_path_join(g->dir, n);
        char *name = prbi_path_join(g->name, n);
        char *r = prbi_path_join(rel, n);
        struct prb_group *sub = group_new(t, g, name, dir);
        group_add_item(g, sub, NULL);
        free(dir);
        free(name);
        if ((rc = check_group_count(t, r)) == 0) {
            struct cfg sc;
            struct prb_ynode *sy = NULL;
            char *syf = prbi_path_join(sub->dir, "test_group.yaml");
            char *syr = prbi_path_join(r, "test_group.yaml");
            cfg_copy(&sc, &cfg);
            struct stat st;
            if (stat(syf, &st) == 0) {
                if ((rc = load_yaml(t, syf, syr, &sy)) == 0)
                    rc = parse_test_group_yaml(t, sy, syr, sub, &sc, 0, reqs);
            }
            if (rc == 0)
                rc = fill_flat_group(t, sub, r, &sc);
            if (rc == 0 && sub->n_items == 0 && !sub->has_static_validation_score)
                rc = err_set(t->err, ERR_INVALID, "%s: test data group without test cases", r);
            prb_yaml_free(sy);
            cfg_release(&sc);
            free(syf);
            free(syr);
        }
        free(r);
        if (rc < 0)
            goto out;
    }
out:
    prb_yaml_free(y);
    listing_release(&l);
    cfg_release(&cfg);
    free(yf);
    free(yr);
    return rc;
}

struct litem {
    char *base;
    int is_dir;
};

static int litem_cmp(const void *a, const void *b)
{
    return strcmp(((const struct litem *)a)->base, ((const struct litem *)b)->base);
}

/* Legacy: a directory is a group; cases and subgroups by base name. */
static int build_legacy(struct tdl *t, struct prb_group *g, const char *rel,
                        const struct cfg *parent_cfg, int depth)
{
    struct cfg cfg;
    struct listing l = { 0 };
    struct litem *items = NULL;
    size_t nitems = 0;
    struct prb_ynode *y = NULL;
    char *yf = prbi_path_join(g->dir, "testdata.yaml");
    char *yr = prbi_path_join(rel, "testdata.yaml");
    int rc;

    cfg_copy(&cfg, parent_cfg);
    if (depth > PRB_DEPTH_MAX) {
        rc = err_set(t->err, ERR_LIMIT, "%s: nested deeper than %d", rel, PRB_DEPTH_MAX);
        goto out;
    }
    if ((rc = listing_read(t, g->dir, rel, &l)) < 0)
        goto out;
    if (listing_kind(&l, "testdata.yaml") == 0) {
        if ((rc = load_yaml(t, yf, yr, &y)) < 0 ||
            (rc = parse_testdata_yaml(t, y, yr, &cfg)) < 0)
            goto out;
    }
    if ((rc = check_orphans(t, &l, rel)) < 0)
        goto out;
    if (cfg.custom_grading) {
        char *gd = prbi_path_join(t->p->root, "graders");
        struct stat st;
        int ok = stat(gd, &st) == 0 && S_ISDIR(st.st_mode);
        free(gd);
        if (!ok) {
            rc = err_set(t->err, ERR_INVALID, "%s: 'grading: custom' needs a graders/ directory",
                         yr);
            goto out;
        }
    }
    g->on_reject_continue = cfg.on_reject_continue;
    g->custom_grading = cfg.custom_grading;
    prbi_strv_copy(&g->grader_flags, &cfg.grader_flags);
    for (size_t i = 0; i < cfg.grader_flags.n; i++) {
        const char *f = cfg.grader_flags.v[i];
        if (!strcmp(f, "worst_error"))
            g->verdict_mode = PRB_VMODE_WORST_ERROR;
        else if (!strcmp(f, "first_error"))
            g->verdict_mode = PRB_VMODE_FIRST_ERROR;
        else if (!strcmp(f, "always_accept"))
            g->verdict_mode = PRB_VMODE_ALWAYS_ACCEPT;
        else if (!strcmp(f, "sum"))
            g->legacy_aggregation = PRB_AGG_SUM;
        else if (!strcmp(f, "avg"))
            g->legacy_aggregation = PRB_AGG_AVG;
        else if (!strcmp(f, "min"))
            g->legacy_aggregation = PRB_AGG_MIN;
        else if (!strcmp(f, "max"))
            g->legacy_aggregation = PRB_AGG_MAX;
        else if (!strcmp(f, "ignore_sample"))
            g->ignore_sample = 1;
        else if (!strcmp(f, "accept_if_any_accepted"))
            g->accept_if_any_accepted = 1;
    }
    g->accept_score = cfg.accept_score;
    g->reject_score = cfg.reject_score;
    g->range_min = cfg.range_min;
    g->range_max = cfg.range_max;

    for (size_t i = 0; i < l.n; i++) {
        const char *n = l.v[i].name;
        int is_case = !l.v[i].is_dir && ends_with(n, ".in") && strlen(n) > 3;
        if (!is_case && !l.v[i].is_dir)
            continue;
        if (depth == 0 && l.v[i].is_dir && strcmp(n, "sample") && strcmp(n, "secret"))
            continue;   /* data/ holds only sample and secret */
        items = prbi_realloc_array(items, nitems + 1, sizeof(*items));
        items[nitems].base = is_case ? prbi_strndup(n, strlen(n) - 3) : prbi_strdup(n);
        items[nitems].is_dir = l.v[i].is_dir;
        nitems++;
    }
    if (depth == 0) {
        for (size_t i = 0; i < nitems; i++) {
            if (!items[i].is_dir) {
                rc = err_set(t->err, ERR_INVALID, "'%s/%s.in': test cases must be in sample/ or "
                             "secret/", rel, items[i].base);
                goto out;
            }
        }
    }
    if (nitems)
        qsort(items, nitems, sizeof(*items), litem_cmp);
    for (size_t i = 0; i < nitems; i++) {
        char *name = g->name[0] ? prbi_path_join(g->name, items[i].base)
                                : prbi_strdup(items[i].base);
        if (items[i].is_dir) {
            char *dir = prbi_path_join(g->dir, items[i].base);
            char *r = prbi_path_join(rel, items[i].base);
            struct prb_group *sub = group_new(t, g, name, dir);
            group_add_item(g, sub, NULL);
            if (depth == 0 && !strcmp(items[i].base, "sample"))
                t->p->sample = sub;
            if (depth == 0 && !strcmp(items[i].base, "secret"))
                t->p->secret = sub;
            if ((rc = check_group_count(t, r)) == 0) {
                struct cfg sub_cfg;
                cfg_copy(&sub_cfg, &cfg);
                sub_cfg.full_feedback = depth == 0 ? !strcmp(items[i].base, "sample")
                                                   : cfg.full_feedback;
                rc = build_legacy(t, sub, r, &sub_cfg, depth + 1);
                cfg_release(&sub_cfg);
            }
            free(dir);
            free(r);
        } else {
            struct prb_testcase *tc;
            rc = make_case(t, g->dir, rel, name, items[i].base, &l, &cfg, g, &tc);
            if (rc == 0)
                group_add_item(g, NULL, tc);
        }
        free(name);
        if (rc < 0)
            goto out;
    }
out:
    for (size_t i = 0; i < nitems; i++)
        free(items[i].base);
    free(items);
    prb_yaml_free(y);
    listing_release(&l);
    cfg_release(&cfg);
    free(yf);
    free(yr);
    return rc;
}

/* ---- flattening and checks ---- */

static void flatten(struct prb_problem *p, struct prb_group *g, size_t *gi, size_t *ci)
{
    g->index = *gi;
    p->groups[(*gi)++] = g;
    size_t before = *ci;
    for (size_t i = 0; i < g->n_items; i++) {
        if (g->items[i].group) {
            flatten(p, g->items[i].group, gi, ci);
        } else {
            g->items[i].tc->index = *ci;
            p->cases[(*ci)++] = g->items[i].tc;
        }
    }
    g->n_cases_below = *ci - before;
}

static struct prb_group *find_group(struct prb_problem *p, const char *name)
{
    for (size_t i = 0; i < p->n_groups; i++)
        if (!strcmp(p->groups[i]->name, name))
            return p->groups[i];
    return NULL;
}

static int resolve_requires(struct tdl *t, struct reqs *reqs)
{
    for (size_t r = 0; r < reqs->n; r++) {
        struct pending_req *pr = &reqs->v[r];
        struct prb_group *g = pr->g;
        g->require_pass = prbi_calloc(pr->names.n, sizeof(*g->require_pass));
        for (size_t i = 0; i < pr->names.n; i++) {
            const char *n = pr->names.v[i];
            struct prb_group *dep = find_group(t->p, n);
            if (!dep || dep == t->p->root_group)
                return err_set(t->err, ERR_INVALID, "%s:%u: require_pass names unknown group "
                               "'%.64s'", pr->file, pr->line, n);
            if (g == t->p->secret && dep != t->p->sample)
                return err_set(t->err, ERR_INVALID, "%s:%u: secret may only require 'sample'",
                               pr->file, pr->line);
            if (dep == t->p->secret || strcmp(dep->name, g->name) >= 0)
                return err_set(t->err, ERR_INVALID,
                               "%s:%u: require_pass group '%.64s' must come before '%s'",
                               pr->file, pr->line, n, g->name);
            if (dep != t->p->sample && dep->aggregation != PRB_AGG_PASS_FAIL)
                return err_set(t->err, ERR_INVALID,
                               "%s:%u: require_pass group '%.64s' must use pass-fail aggregation",
                               pr->file, pr->line, n);
            g->require_pass[g->n_require_pass++] = dep;
        }
    }
    return 0;
}

/* 2023-07+ scoring rules that span groups ("Scoring problems"). */
static int check_scoring(struct tdl *t)
{
    struct prb_group *s = t->p->secret;
    for (size_t i = 0; i < s->n_items; i++) {
        struct prb_group *g = s->items[i].group;
        if (!g)
            continue;
        if (s->aggregation == PRB_AGG_PASS_FAIL && g->aggregation != PRB_AGG_PASS_FAIL)
            return err_set(t->err, ERR_INVALID, "data/%s: secret uses pass-fail aggregation, so "
                           "its groups must too", g->name);
        if (isinf(g->max_score) && !isinf(s->max_score))
            return err_set(t->err, ERR_INVALID, "data/%s/test_group.yaml: max_score must be set "
                           "(a group may only be unbounded when secret is)", g->name);
        if (isinf(g->max_score) && g->aggregation == PRB_AGG_PASS_FAIL)
            return err_set(t->err, ERR_INVALID, "data/%s/test_group.yaml: pass-fail aggregation "
                           "needs a bounded max_score", g->name);
    }
    if (isinf(s->max_score) && s->aggregation == PRB_AGG_PASS_FAIL)
        return err_set(t->err, ERR_INVALID, "data/secret/test_group.yaml: pass-fail aggregation "
                       "needs a bounded max_score");
    return 0;
}

int prbi_testdata_load(struct prbi_load *ld)
{
    struct prb_problem *p = ld->p;
    struct tdl t = { .ld = ld, .p = p, .err = ld->err, .scanned = 0,
                     .legacy = p->format == PRB_FORMAT_LEGACY,
                     .scoring = (p->type & PRB_TYPE_SCORING) != 0 };
    struct cfg base;
    struct reqs reqs = { 0 };
    char *data = prbi_path_join(p->root, "data");
    struct stat st;
    int rc = 0;

    memset(&base, 0, sizeof(base));
    base.accept_score = 1;
    base.range_min = -INFINITY;
    base.range_max = INFINITY;
    if (stat(data, &st) < 0 || !S_ISDIR(st.st_mode)) {
        rc = err_set(ld->err, ERR_INVALID, "'data/': missing (the package has no test data)");
        goto out;
    }
    if ((rc = prbi_check_inside(ld, data, "data")) < 0)
        goto out;
    p->root_group = group_new(&t, NULL, "", data);
    p->n_groups = 1;

    if (t.legacy) {
        if ((rc = build_legacy(&t, p->root_group, "data", &base, 0)) < 0)
            goto out;
        if (!p->secret) {
            rc = err_set(ld->err, ERR_INVALID, "'data/secret/': missing");
            goto out;
        }
    } else {
        struct listing l = { 0 };
        if ((rc = listing_read(&t, data, "data", &l)) < 0)
            goto out;
        int has_sample = listing_kind(&l, "sample") == 1;
        int has_secret = listing_kind(&l, "secret") == 1;
        int stray = listing_kind(&l, "test_group.yaml") == 0 || listing_kind(&l, "testdata.yaml") == 0;
        listing_release(&l);
        if (stray) {
            rc = err_set(ld->err, ERR_INVALID, "data/: group configuration belongs in "
                         "data/sample/ or data/secret/ (test_group.yaml)");
            goto out;
        }
        if (!has_secret) {
            rc = err_set(ld->err, ERR_INVALID, "'data/secret/': missing");
            goto out;
        }
        if (has_sample) {
            char *d = prbi_path_join(data, "sample");
            p->sample = group_new(&t, p->root_group, "sample", d);
            free(d);
            group_add_item(p->root_group, p->sample, NULL);
            p->n_groups++;
            if ((rc = build_top_new(&t, p->sample, "data/sample", &base, 1, &reqs)) < 0)
                goto out;
        }
        char *d = prbi_path_join(data, "secret");
        p->secret = group_new(&t, p->root_group, "secret", d);
        free(d);
        group_add_item(p->root_group, p->secret, NULL);
        p->n_groups++;
        if ((rc = build_top_new(&t, p->secret, "data/secret", &base, 0, &reqs)) < 0)
            goto out;
    }

    p->groups = prbi_calloc(p->n_groups, sizeof(*p->groups));
    p->cases = prbi_calloc(p->n_cases, sizeof(*p->cases));
    size_t gi = 0, ci = 0;
    flatten(p, p->root_group, &gi, &ci);
    p->n_groups = gi;
    p->n_cases = ci;
    if (p->secret->n_cases_below == 0 && !p->secret->has_static_validation_score) {
        rc = err_set(ld->err, ERR_INVALID, "'data/secret/': no test cases");
        goto out;
    }
    if (!t.legacy) {
        if ((rc = resolve_requires(&t, &reqs)) < 0)
            goto out;
        if (t.scoring && (rc = check_scoring(&t)) < 0)
            goto out;
    }
out:
    for (size_t i = 0; i < reqs.n; i++) {
        prbi_strv_release(&reqs.v[i].names);
        free(reqs.v[i].file);
    }
    free(reqs.v);
    cfg_release(&base);
    free(data);
    return rc;
}
