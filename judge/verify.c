/*
 * verify.c: `crucible problem verify PATH`, the problem setter's check
 * before a contest. It loads the package (structure, problem.yaml, test
 * data), runs every input validator on every input, judges every example
 * submission on every test case and compares the outcome with what the
 * package expects of it:
 *  - the folder it is in (accepted, wrong_answer, time_limit_exceeded,
 *    run_time_error, brute_force, rejected; legacy partially_accepted; and
 *    Crucible's memory_limit_exceeded, output_limit_exceeded, compile_error),
 *  - the rules of submissions/submissions.yaml (2023-07 and later: glob
 *    patterns, permitted / required verdicts, score, message, per group),
 *  - DOMjudge's `@EXPECTED_RESULTS@:` tag in the source.
 * It prints a table and exits 1 on any mismatch.
 */
#include "judge_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Verdict sets as bit masks over enum jdg_verdict. */
#define V(x) (1u << (x))
#define SPEC_VERDICTS (V(JDG_AC) | V(JDG_WA) | V(JDG_TLE) | V(JDG_RTE))

/* One requirement on a submission, over all test cases or those matched by
 * case_glob. */
struct rule {
    char *case_glob;            /* NULL: every test case */
    unsigned permitted;         /* 0: no constraint */
    unsigned required;          /* 0: no constraint */
    unsigned final;             /* the submission's verdict must be in this set (0: none) */
    int has_score;
    double score_lo, score_hi;
    int score_partial;          /* legacy partially_accepted: 0 < score < max */
    char *message;              /* must appear in some test's message */
    int exact_verdicts;         /* compare MLE/OLE as themselves (our folders) */
    char origin[96];            /* for the report */
};

struct rules {
    struct rule *v;
    size_t n;
};

static void rules_add(struct rules *rs, const struct rule *r)
{
    struct rule *v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
    if (!v)
        abort();
    rs->v = v;
    rs->v[rs->n++] = *r;
}

static void rules_release(struct rules *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].case_glob);
        free(rs->v[i].message);
    }
    free(rs->v);
    rs->v = NULL;
    rs->n = 0;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

struct folder_rule {
    const char *folder;
    unsigned permitted, required, final;
    int exact;
    int partial;
};

/* The spec's default directories, and Crucible's own. */
static const struct folder_rule folder_rules[] = {
    { "accepted", V(JDG_AC), 0, 0, 0, 0 },
    { "rejected", 0, V(JDG_RTE) | V(JDG_TLE) | V(JDG_WA), 0, 0, 0 },
    { "wrong_answer", V(JDG_AC) | V(JDG_WA), V(JDG_WA), 0, 0, 0 },
    { "time_limit_exceeded", V(JDG_AC) | V(JDG_TLE), V(JDG_TLE), 0, 0, 0 },
    { "run_time_error", V(JDG_AC) | V(JDG_RTE), V(JDG_RTE), 0, 0, 0 },
    { "brute_force", V(JDG_AC) | V(JDG_RTE) | V(JDG_TLE), V(JDG_RTE) | V(JDG_TLE), 0, 0, 0 },
    { "partially_accepted", 0, 0, 0, 0, 1 },
    { "memory_limit_exceeded", V(JDG_AC) | V(JDG_MLE), V(JDG_MLE), 0, 1, 0 },
    { "output_limit_exceeded", V(JDG_AC) | V(JDG_OLE), V(JDG_OLE), 0, 1, 0 },
    { "compile_error", 0, 0, V(JDG_CE), 1, 0 },
};

static int verdict_parse(const char *s, enum jdg_verdict *v)
{
    static const char *const names[] = { "AC", "WA", "TLE", "MLE", "OLE", "RTE", "CE", "JE" };
    for (int i = 0; i < 8; i++)
        if (!strcmp(s, names[i])) {
            *v = (enum jdg_verdict)i;
            return 0;
        }
    return -1;
}

/* DOMjudge's names in @EXPECTED_RESULTS@. */
static int domjudge_verdict(const char *s, unsigned *mask)
{
    static const struct { const char *name; unsigned mask; } map[] = {
        { "CORRECT", V(JDG_AC) }, { "WRONG-ANSWER", V(JDG_WA) }, { "NO-OUTPUT", V(JDG_WA) },
        { "TIMELIMIT", V(JDG_TLE) }, { "RUN-ERROR", V(JDG_RTE) | V(JDG_MLE) },
        { "MEMORY-LIMIT", V(JDG_MLE) }, { "OUTPUT-LIMIT", V(JDG_OLE) },
        { "COMPILER-ERROR", V(JDG_CE) },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcasecmp(s, map[i].name)) {
            *mask |= map[i].mask;
            return 0;
        }
    return -1;
}

/* Looks for "@EXPECTED_RESULTS@: A, B" in the first 64 KiB of a source. */
static int expected_results_tag(const char *const *files, size_t n, unsigned *mask, char *bad, size_t badsize)
{
    *mask = 0;
    for (size_t f = 0; f < n; f++) {
        struct buf b;
        buf_init(&b, 0);
        jdg_read_capped(files[f], 65536, &b, NULL);
        const char *tag = strstr(b.buf, "@EXPECTED_RESULTS@:");
        if (tag) {
            const char *p = tag + strlen("@EXPECTED_RESULTS@:");
            size_t len = strcspn(p, "\r\n");
            char line[512];
            str_fmt(line, sizeof(line), "%.*s", (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1), p);
            char *save = line;
            for (char *w = line; w && *w; w = save) {
                save = strchr(w, ',');
                if (save)
                    *save++ = '\0';
                while (isspace((unsigned char)*w))
                    w++;
                size_t l = strlen(w);
                while (l && isspace((unsigned char)w[l - 1]))
                    w[--l] = '\0';
                if (*w && domjudge_verdict(w, mask) < 0)
                    str_fmt(bad, badsize, "%s", w);
            }
            buf_release(&b);
            return 1;
        }
        buf_release(&b);
    }
    return 0;
}

/* ---- submissions.yaml --------------------------------------------------- */

/* Expands one level of {a,b} braces (the spec's only extension of globs). */
static int glob_match(const char *pattern, const char *path)
{
    const char *open = strchr(pattern, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!open || !close)
        return fnmatch(pattern, path, FNM_PATHNAME) == 0;
    const char *p = open + 1;
    while (p <= close) {
        const char *end = p;
        while (end < close && *end != ',')
            end++;
        char alt[1024];
        str_fmt(alt, sizeof(alt), "%.*s%.*s%s", (int)(open - pattern), pattern, (int)(end - p), p, close + 1);
        if (glob_match(alt, path))
            return 1;
        p = end + 1;
    }
    return 0;
}

/* A pattern matches a path if it matches the path or one of its parents. */
static int glob_matches_or_parent(const char *pattern, const char *path)
{
    char tmp[1024];
    str_fmt(tmp, sizeof(tmp), "%s", path);
    for (;;) {
        if (glob_match(pattern, tmp))
            return 1;
        char *slash = strrchr(tmp, '/');
        if (!slash)
            return 0;
        *slash = '\0';
    }
}

static int verdict_list(const struct prb_yctx *c, const struct prb_ynode *v, const char *key, unsigned *mask)
{
    struct prb_strv sv = { 0 };
    int rc = prb_y_strseq(c, v, key, &sv);
    *mask = 0;
    for (size_t i = 0; rc == 0 && i < sv.n; i++) {
        enum jdg_verdict x;
        if (verdict_parse(sv.v[i], &x) < 0 || !(V(x) & SPEC_VERDICTS))
            rc = prb_yerr(c, v, "'%s': '%s' is not one of AC, WA, TLE, RTE", key, sv.v[i]);
        else
            *mask |= V(x);
    }
    jdg_strv_release(&sv);
    return rc;
}

/* Reads one glob's map: its own keys, and group-scoped maps below it. With
 * into >= 0, the keys given override those of out->v[into] (a default
 * folder's rule; the others are inherited, as the spec says) instead of
 * making a new rule. */
static int parse_rule_map(const struct prb_yctx *c, const struct prb_ynode *m, const char *case_glob,
                          const char *origin, struct rules *out, ssize_t into)
{
    if (prb_y_expect_map(c, m, "a submissions.yaml entry") < 0)
        return ERR_INVALID;
    struct rule r = { 0 };
    str_fmt(r.origin, sizeof(r.origin), "%s", origin);
    int have = 0, rc = 0, has_permitted = 0, has_required = 0;
    for (size_t i = 0; m && i + 1 < m->n && rc == 0; i += 2) {
        const char *k = m->kids[i]->str;
        const struct prb_ynode *v = m->kids[i + 1];
        if (!strcmp(k, "permitted")) {
            rc = verdict_list(c, v, k, &r.permitted);
            have = has_permitted = 1;
        } else if (!strcmp(k, "required")) {
            rc = verdict_list(c, v, k, &r.required);
            have = has_required = 1;
        } else if (!strcmp(k, "score")) {
            have = 1;
            r.has_score = 1;
            if (v && v->kind == PRB_Y_SEQ && v->n == 2) {
                rc = prb_y_float(c, v->kids[0], k, &r.score_lo);
                if (rc == 0)
                    rc = prb_y_float(c, v->kids[1], k, &r.score_hi);
            } else {
                rc = prb_y_float(c, v, k, &r.score_lo);
                r.score_hi = r.score_lo;
            }
        } else if (!strcmp(k, "message")) {
            rc = prb_y_string(c, v, k, &r.message);
            have = 1;
        } else if (!strcmp(k, "language") || !strcmp(k, "entrypoint") || !strcmp(k, "authors") ||
                   !strcmp(k, "model_solution") || !strcmp(k, "use_for_time_limit")) {
            /* Metadata; the language is taken from the file extension. */
        } else if (v && v->kind == PRB_Y_MAP && !case_glob) {
            rc = parse_rule_map(c, v, k, origin, out, -1);
        } else {
            rc = prb_yerr(c, m->kids[i], "unknown key '%.64s'", k);
        }
    }
    if (rc == 0 && have && into >= 0) {
        struct rule *d = &out->v[into];
        if (has_permitted)
            d->permitted = r.permitted;
        if (has_required)
            d->required = r.required;
        if (r.has_score) {
            d->has_score = 1;
            d->score_lo = r.score_lo;
            d->score_hi = r.score_hi;
        }
        if (r.message) {
            free(d->message);
            d->message = r.message;
            r.message = NULL;
        }
        str_fmt(d->origin, sizeof(d->origin), "%s", origin);
        free(r.message);
    } else if (rc == 0 && have) {
        r.case_glob = case_glob ? xstrdup(case_glob) : NULL;
        rules_add(out, &r);
    } else {
        free(r.message);
    }
    return rc;
}

/* Applies every pattern of submissions.yaml that matches rel
 * ("accepted/sum.py") to out. A pattern naming the submission's folder
 * exactly amends that folder's default rule (out->v[folder_rule], or a new
 * rule when the folder has none). */
static int yaml_rules(const struct prb_ynode *root, const char *file, const char *rel, struct rules *out,
                      ssize_t folder_rule, struct err *err)
{
    struct prb_yctx c = { .file = file, .err = err };
    if (!root)
        return 0;
    if (prb_y_expect_map(&c, root, "submissions.yaml") < 0)
        return ERR_INVALID;
    char folder[256];
    str_fmt(folder, sizeof(folder), "%.*s", (int)strcspn(rel, "/"), rel);
    for (size_t i = 0; i + 1 < root->n; i += 2) {
        const char *pattern = root->kids[i]->str;
        if (!glob_matches_or_parent(pattern, rel))
            continue;
        char origin[96];
        str_fmt(origin, sizeof(origin), "submissions.yaml '%.60s'", pattern);
        int rc = parse_rule_map(&c, root->kids[i + 1], NULL, origin, out,
                                !strcmp(pattern, folder) ? folder_rule : -1);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- checking a result against the rules --------------------------------- */

static unsigned spec_mask(enum jdg_verdict v, int exact)
{
    if (!exact && (v == JDG_MLE || v == JDG_OLE))
        return V(JDG_RTE);   /* the spec's four verdicts count these as run-time errors */
    return V(v);
}

static int case_in(const struct rule *r, const char *name)
{
    return !r->case_glob || glob_matches_or_parent(r->case_glob, name);
}

/* An AI problem's result has no test cases: the whole verdict stands for
 * them, and `score` bounds both the public and the private score. */
static int ai_rule_holds(const struct rule *r, const struct jdg_result *res, char *why, size_t size)
{
    unsigned m = spec_mask(res->verdict, r->exact_verdicts);
    if (r->permitted && !(m & r->permitted)) {
        str_fmt(why, size, "%s: %s is not permitted", r->origin, jdg_verdict_name(res->verdict));
        return 0;
    }
    if (r->required && !(m & r->required)) {
        str_fmt(why, size, "%s: %s is not a required verdict", r->origin, jdg_verdict_name(res->verdict));
        return 0;
    }
    if (r->has_score) {
        if (!res->has_ai) {
            str_fmt(why, size, "%s: not scored (%s)", r->origin, jdg_verdict_name(res->verdict));
            return 0;
        }
        const double scores[2] = { res->ai_public_score, res->ai_private_score };
        for (int k = 0; k < 2; k++)
            if (scores[k] < r->score_lo - 1e-9 || scores[k] > r->score_hi + 1e-9) {
                str_fmt(why, size, "%s: %s score %.6g is not in [%g, %g]", r->origin, k ? "private" : "public",
                        scores[k], r->score_lo, r->score_hi);
                return 0;
            }
    }
    if (r->message && !strstr(res->message, r->message)) {
        str_fmt(why, size, "%s: the message does not contain '%s'", r->origin, r->message);
        return 0;
    }
    return 1;
}

/* Returns 1 when the result satisfies the rule, else 0 with why filled. */
static int rule_holds(const struct rule *r, const struct jdg_result *res, int ai, char *why, size_t size)
{
    if (r->final) {
        if (!(V(res->verdict) & r->final)) {
            str_fmt(why, size, "%s: verdict %s not expected", r->origin, jdg_verdict_name(res->verdict));
            return 0;
        }
        return 1;
    }
    if (res->verdict == JDG_CE || res->verdict == JDG_JE) {
        str_fmt(why, size, "%s: %s", r->origin, jdg_verdict_name(res->verdict));
        return 0;
    }
    if (ai)
        return ai_rule_holds(r, res, why, size);
    int required_seen = 0;
    for (size_t i = 0; i < res->ntests; i++) {
        const struct jdg_test_result *t = &res->tests[i];
        if (!case_in(r, t->name))
            continue;
        unsigned m = spec_mask(t->verdict, r->exact_verdicts);
        if (r->permitted && !(m & r->permitted)) {
            str_fmt(why, size, "%s: %s on %s is not permitted", r->origin, jdg_verdict_name(t->verdict), t->name);
            return 0;
        }
        if (m & r->required)
            required_seen = 1;
    }
    if (r->required && !required_seen) {
        str_fmt(why, size, "%s: no test case got a required verdict", r->origin);
        return 0;
    }
    if (r->has_score) {
        /* Under a group's key, the score is that group's aggregated score. */
        double score = res->score;
        const char *what = "score";
        for (size_t g = 0; r->case_glob && g < res->ngroups; g++)
            if (glob_match(r->case_glob, res->groups[g].name)) {
                score = res->groups[g].score;
                what = res->groups[g].name;
                break;
            }
        if (score < r->score_lo - 1e-9 || score > r->score_hi + 1e-9) {
            str_fmt(why, size, "%s: %s score %g is not in [%g, %g]", r->origin, what, score, r->score_lo,
                    r->score_hi);
            return 0;
        }
    }
    if (r->score_partial && !(res->score > 0 && res->score < res->max_score)) {
        str_fmt(why, size, "%s: score %g of %g is not partial", r->origin, res->score, res->max_score);
        return 0;
    }
    if (r->message) {
        int found = 0;
        for (size_t i = 0; i < res->ntests && !found; i++)
            found = case_in(r, res->tests[i].name) && strstr(res->tests[i].message, r->message) != NULL;
        if (!found) {
            str_fmt(why, size, "%s: no judge message contains '%s'", r->origin, r->message);
            return 0;
        }
    }
    return 1;
}

/* ---- the steps ------------------------------------------------------------ */

struct submission {
    char rel[512];              /* "accepted/sum.py" */
    char folder[128];
    char *files[JDG_MAX_FILES];
    size_t nfiles;
    const struct jdg_language *lang;
};

static void submission_release(struct submission *s)
{
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    s->nfiles = 0;
}

static int run_input_validators(struct jdg_judge *j, const struct prb_problem *p, const char *work,
                                const char *cache, int *problems)
{
    const char *dirs[] = { "input_validators", "input_format_validators" };
    int nval = 0;
    for (int d = 0; d < 2; d++) {
        char dir[JDG_PATH_MAX];
        str_fmt(dir, sizeof(dir), "%s/%s", p->root, dirs[d]);
        struct dirent **names = NULL;
        int n = scandir(dir, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            const char *name = names[i]->d_name;
            char path[JDG_PATH_MAX];
            str_fmt(path, sizeof(path), "%s/%s", dir, name);
            if (name[0] == '.') {
                free(names[i]);
                continue;
            }
            const char *ext = strrchr(name, '.');
            if (ext && (!strcmp(ext, ".ctd") || !strcmp(ext, ".viva"))) {
                printf("input validator %-28s skipped: %s files are not supported\n", name, ext);
                free(names[i]);
                continue;
            }
            nval++;
            struct jdg_program prog;
            struct err err = { 0 };
            double cpu = 0;
            if (jdg_program_prepare_package(j, path, cache, work, &prog, &cpu, &err) < 0) {
                printf("input validator %-28s ERROR: %s\n", name, err.msg);
                (*problems)++;
                free(names[i]);
                continue;
            }
            size_t bad = 0;
            for (size_t c = 0; c < p->n_cases; c++) {
                const struct prb_testcase *tc = p->cases[c];
                struct prb_strv args = { 0 };
                for (size_t a = 0; a < tc->n_input_validator_args; a++) {
                    const struct prb_named_args *na = &tc->input_validator_args[a];
                    char vname[256];
                    str_fmt(vname, sizeof(vname), "%s", name);
                    char *dot = strrchr(vname, '.');
                    if (dot)
                        *dot = '\0';
                    if (!na->name || !strcmp(na->name, name) || !strcmp(na->name, vname))
                        for (size_t k = 0; k < na->args.n; k++)
                            jdg_strv_push(&args, na->args.v[k]);
                }
                for (size_t k = 0; k < tc->args.n; k++)
                    jdg_strv_push(&args, tc->args.v[k]);
                char box[JDG_PATH_MAX], out[JDG_PATH_MAX];
                str_fmt(box, sizeof(box), "%s/ivbox", work);
                str_fmt(out, sizeof(out), "%s/iv.out", work);
                jdg_rmtree(box);
                struct prb_strv argv = { 0 };
                struct sbx_config cfg;
                sbx_config_init(&cfg);
                struct jdg_limits lim = { .time = JDG_DEFAULT_VALIDATION_S,
                                          .memory = (uint64_t)JDG_DEFAULT_MEMORY_MIB << 20,
                                          .output = (uint64_t)8 << 20, .processes = 16 };
                struct sbx_result r;
                if (jdg_program_config(&prog, box, &lim, &args, &argv, &cfg, &err) < 0) {
                    r.status = SBX_SANDBOX_ERROR;
                    str_fmt(r.message, sizeof(r.message), "%s", err.msg);
                } else {
                    cfg.stdin_path = tc->in_path;
                    cfg.stdout_path = out;
                    cfg.stderr_path = out;
                    sbx_run(j->sbx, &cfg, &r);
                }
                if (!(r.status == SBX_RUNTIME_ERROR && r.exit_code == 42)) {
                    struct buf b;
                    buf_init(&b, 0);
                    jdg_read_capped(out, 160, &b, NULL);
                    for (char *q = b.buf; *q; q++)
                        if (*q == '\n')
                            *q = ' ';
                    printf("input validator %-28s REJECTS %s (%s, exit %d) %s\n", name, tc->name,
                           sbx_status_name(r.status), r.exit_code, b.buf);
                    buf_release(&b);
                    bad++;
                }
                jdg_strv_release(&argv);
                jdg_strv_release(&args);
                jdg_rmtree(box);
            }
            printf("input validator %-28s %s on %zu inputs\n", name, bad ? "FAILED" : "ok", p->n_cases);
            *problems += bad ? 1 : 0;
            jdg_program_release(&prog);
            free(names[i]);
        }
        free(names);
    }
    if (!nval && !p->ai)   /* an AI package's inputs are its own files */
        printf("input validators: none (every package should have one)\n");
    return 0;
}

static int collect_submissions(struct jdg_judge *j, const struct prb_problem *p, struct submission **out,
                               size_t *n)
{
    *out = NULL;
    *n = 0;
    char dir[JDG_PATH_MAX];
    str_fmt(dir, sizeof(dir), "%s/submissions", p->root);
    struct dirent **folders = NULL;
    int nf = scandir(dir, &folders, NULL, alphasort);
    for (int f = 0; f < nf; f++) {
        const char *folder = folders[f]->d_name;
        char fpath[JDG_PATH_MAX];
        str_fmt(fpath, sizeof(fpath), "%s/%s", dir, folder);
        struct stat st;
        if (folder[0] != '.' && stat(fpath, &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **entries = NULL;
            int ne = scandir(fpath, &entries, NULL, alphasort);
            for (int e = 0; e < ne; e++) {
                const char *name = entries[e]->d_name;
                char epath[JDG_PATH_MAX];
                str_fmt(epath, sizeof(epath), "%s/%s", fpath, name);
                if (name[0] != '.') {
                    struct submission *v = realloc(*out, (*n + 1) * sizeof(**out));
                    if (!v)
                        abort();
                    *out = v;
                    struct submission *s = &(*out)[*n];
                    memset(s, 0, sizeof(*s));
                    str_fmt(s->rel, sizeof(s->rel), "%s/%s", folder, name);
                    str_fmt(s->folder, sizeof(s->folder), "%s", folder);
                    if (jdg_source_files(j->langs, epath, s->files, &s->nfiles, &s->lang) == 0)
                        (*n)++;
                    else
                        submission_release(s);
                }
                free(entries[e]);
            }
            free(entries);
        }
        free(folders[f]);
    }
    free(folders);
    return 0;
}

/* The rules that apply to one submission. */
static int rules_for(const struct submission *s, const struct prb_ynode *yaml, const char *yaml_file,
                     struct rules *rs, struct err *err)
{
    ssize_t folder_rule = -1;
    for (size_t i = 0; i < sizeof(folder_rules) / sizeof(folder_rules[0]); i++) {
        const struct folder_rule *f = &folder_rules[i];
        if (strcmp(f->folder, s->folder) != 0)
            continue;
        struct rule r = { .permitted = f->permitted, .required = f->required, .final = f->final,
                          .exact_verdicts = f->exact, .score_partial = f->partial };
        str_fmt(r.origin, sizeof(r.origin), "folder %s", f->folder);
        folder_rule = (ssize_t)rs->n;
        rules_add(rs, &r);
    }
    if (yaml_rules(yaml, yaml_file, s->rel, rs, folder_rule, err) < 0)
        return -1;
    unsigned tag;
    char bad[64] = "";
    if (expected_results_tag((const char *const *)s->files, s->nfiles, &tag, bad, sizeof(bad))) {
        if (bad[0])
            return err_set(err, ERR_INVALID, "%s: unknown @EXPECTED_RESULTS@ verdict '%s'", s->rel, bad);
        struct rule r = { .final = tag, .exact_verdicts = 1 };
        str_fmt(r.origin, sizeof(r.origin), "@EXPECTED_RESULTS@");
        rules_add(rs, &r);
    }
    return 0;
}

static const char verify_usage[] =
    "usage: crucible problem verify [--languages=FILE] [--time-limit=SECONDS] PATH\n"
    "  Validates a problem package (a folder or a .zip): loads it, runs every input\n"
    "  validator on every input, judges every submission in submissions/ on every\n"
    "  test case and compares the outcome with its folder, submissions.yaml and any\n"
    "  @EXPECTED_RESULTS@ tag. Prints a table; exits 1 on any mismatch.\n"
    "  Submissions in languages this machine cannot run (no GPU, say) are skipped.\n";

int jdg_cmd_load_problem(const char *path, char *tmp, size_t tmpsize, struct prb_problem **p);

static int verify(const char *path, const char *langs_path, double tl_override)
{
    struct err err = { 0 };
    struct jdg_languages langs;
    if (jdg_languages_load(langs_path ? langs_path : jdg_languages_default_path(), &langs, &err) < 0) {
        fprintf(stderr, "crucible problem: %s\n", err.msg);
        return 1;
    }
    struct sbx_context *sbx = NULL;
    struct sbx_context_options so = { 0 };
    so.filters = SBX_FILTER_ISOLATED;
    so.dev_dir = getenv("CRUCIBLE_SANDBOX_DEV");
    if (sbx_context_new(&so, &sbx, &err) < 0) {
        fprintf(stderr, "crucible problem: the sandbox is not usable: %s\n", err.msg);
        jdg_languages_release(&langs);
        sbx_context_free(sbx);
        return 1;
    }
    struct jdg_judge *j;
    jdg_judge_new(&langs, sbx, &j, &err);
    char tmp[1024];
    struct prb_problem *p = NULL;
    int problems = 0;
    struct submission *subs = NULL;
    size_t nsubs = 0;
    struct prb_ynode *yaml = NULL;
    char yaml_file[JDG_PATH_MAX] = "";
    char work[JDG_PATH_MAX] = "";
    if (jdg_cmd_load_problem(path, tmp, sizeof(tmp), &p) < 0) {
        problems++;
        goto out;
    }
    printf("package %s: %s (%s), %zu test cases\n", p->short_name, prb_problem_name(p),
           prb_format_name(p->format), p->n_cases);

    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    str_fmt(work, sizeof(work), "%s/crucible-verify-XXXXXX", base);
    if (!mkdtemp(work)) {
        fprintf(stderr, "crucible problem: cannot create a work folder\n");
        work[0] = '\0';
        problems++;
        goto out;
    }
    char cache[JDG_PATH_MAX];
    str_fmt(cache, sizeof(cache), "%s/cache", work);
    run_input_validators(j, p, work, cache, &problems);

    str_fmt(yaml_file, sizeof(yaml_file), "%s/submissions/submissions.yaml", p->root);
    if (access(yaml_file, F_OK) == 0 &&
        prb_yaml_load_file(yaml_file, "submissions/submissions.yaml", &yaml, &err) < 0) {
        printf("submissions.yaml: %s\n", err.msg);
        problems++;
        goto out;
    }
    collect_submissions(j, p, &subs, &nsubs);
    if (!nsubs) {
        printf("submissions: none found; at least one accepted submission is required\n");
        problems++;
        goto out;
    }

    /* The time limit: given, or computed from the accepted submissions. */
    double tl = tl_override;
    struct jdg_options o = { .all_tests = 1, .cache_dir = cache };
    if (tl <= 0 && prb_problem_time_limit(p, &tl, NULL) < 0) {
        double slowest;
        if (jdg_problem_infer_time_limit(j, p, &o, &tl, &slowest, &err) < 0) {
            printf("time limit: cannot be computed: %s\n", err.msg);
            problems++;
            goto out;
        }
        printf("time limit: %.3f s, computed from the slowest accepted run (%.3f s)\n", tl, slowest);
    } else {
        printf("time limit: %.3f s\n", tl);
    }
    o.time_limit = tl;

    printf("\n%-44s %-11s %-8s %8s  %s\n", "submission", "language", "verdict", "time", "result");
    for (size_t i = 0; i < nsubs; i++) {
        struct submission *s = &subs[i];
        const char *lang = s->lang ? s->lang->id : "?";
        if (!s->lang) {
            printf("%-44s %-10s %-8s %8s  MISMATCH: no language for its files\n", s->rel, lang, "-", "-");
            problems++;
            continue;
        }
        char why[256] = "";
        if (s->lang->gpus > 0 || (p->ai && p->ai->gpus > 0 && !JDG_LANGUAGE_IS_DATA(s->lang))) {
            char dev[512];
            const char *dd = getenv("CRUCIBLE_SANDBOX_DEV");
            str_fmt(dev, sizeof(dev), "%s/nvidia0", dd ? dd : "/dev");
            if (access(dev, F_OK) < 0) {
                printf("%-44s %-10s %-8s %8s  skipped: needs a GPU\n", s->rel, lang, "-", "-");
                continue;
            }
        }
        struct rules rs = { 0 };
        if (rules_for(s, yaml, yaml_file, &rs, &err) < 0) {
            printf("%-44s %-10s %-8s %8s  MISMATCH: %s\n", s->rel, lang, "-", "-", err.msg);
            problems++;
            continue;
        }
        struct jdg_submission js = { .files = (const char *const *)s->files, .nfiles = s->nfiles, .lang = s->lang };
        struct jdg_result r;
        int rc = jdg_submission_judge(j, p, &js, &o, &r, &err);
        int ok = rc == 0 && r.verdict != JDG_JE;
        if (rc < 0)
            str_fmt(why, sizeof(why), "judge failed: %s", err.msg);
        else if (r.verdict == JDG_JE)
            str_fmt(why, sizeof(why), "judge error: %s", r.message);
        if (ok && !rs.n) {
            ok = 0;
            str_fmt(why, sizeof(why), "no expectation: folder '%s' is not a known one and no rule matches",
                     s->folder);
        }
        for (size_t k = 0; ok && k < rs.n; k++)
            ok = rule_holds(&rs.v[k], &r, p->ai != NULL, why, sizeof(why));
        char verdict[32];
        if (p->type & PRB_TYPE_SCORING && r.verdict == JDG_AC)
            str_fmt(verdict, sizeof(verdict), "%g/%g", r.score, r.max_score);
        else
            str_fmt(verdict, sizeof(verdict), "%s", jdg_verdict_name(r.verdict));
        printf("%-44s %-11s %-8s %7.3fs  %s%s\n", s->rel, lang, verdict, r.time_seconds, ok ? "ok" : "MISMATCH: ",
               ok ? "" : why);
        if (r.has_ai)
            printf("    public score %.10g, private score %.10g\n", r.ai_public_score, r.ai_private_score);
        else if (p->ai && r.message[0])
            printf("    %.200s\n", r.message);
        fflush(stdout);
        if (!ok)
            problems++;
        jdg_result_release(&r);
        rules_release(&rs);
    }
out:
    printf("\n%s\n", problems ? "verify: FAILED" : "verify: ok");
    for (size_t i = 0; i < nsubs; i++)
        submission_release(&subs[i]);
    free(subs);
    prb_yaml_free(yaml);
    prb_problem_free(p);
    if (tmp[0])
        jdg_rmtree(tmp);
    if (work[0])
        jdg_rmtree(work);
    jdg_judge_free(j);
    sbx_context_free(sbx);
    jdg_languages_release(&langs);
    return problems ? 1 : 0;
}

int cmd_problem(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(verify_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify") != 0) {
        fprintf(stderr, "crucible problem: unknown subcommand '%s'\n%s", argv[1], verify_usage);
        return 2;
    }
    if (jdg_mounts_private() < 0)
        log_warn("judge", "cannot make a mount namespace of its own: %s", strerror(errno));
    const char *langs = NULL, *path = NULL;
    double tl = 0;
    for (int i = 2; i < argc; i++) {
        if (!strncmp(argv[i], "--languages=", 12)) {
            langs = argv[i] + 12;
        } else if (!strncmp(argv[i], "--time-limit=", 13)) {
            if (parse_seconds(argv[i] + 13, 3600, &tl) < 0 || tl <= 0) {
                fprintf(stderr, "crucible problem: bad %s\n%s", argv[i], verify_usage);
                return 2;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "crucible problem: unknown option '%s'\n%s", argv[i], verify_usage);
            return 2;
        } else if (!path) {
            path = argv[i];
        } else {
            fprintf(stderr, "crucible problem: one package at a time\n%s", verify_usage);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "crucible problem: no package given\n%s", verify_usage);
        return 2;
    }
    return verify(path, langs, tl);
}
